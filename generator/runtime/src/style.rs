//! OpenAPI's parameter styles, once per crate: how an array or an object is written as the
//! text of a path segment, a query pair, a header or a cookie (the `style` and `explode` of
//! a parameter, as the specification's table of style examples writes them), and how that
//! text is read back. The client writes with `write_*`, the server reads with `read_*`;
//! both see items already percent-encoded (path and query) or as they are (headers and
//! cookies), so the separators a style puts between items are never confused with the
//! same characters inside an item.

use serde::de::{Deserialize, Deserializer, MapAccess, Visitor};
use serde::Serialize;

/// A parameter's `style`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Style {
    /// `blue,black` (path and header).
    Simple,
    /// `.blue.black` (path).
    Label,
    /// `;color=blue,black` (path).
    Matrix,
    /// `color=blue,black` (query and cookie).
    Form,
    /// `color=blue%20black` (query).
    SpaceDelimited,
    /// `color=blue|black` (query).
    PipeDelimited,
    /// `color[R]=100` (query, objects).
    DeepObject,
}

impl Style {
    /// Its name in the specification.
    fn name(self) -> &'static str {
        match self {
            Style::Simple => "simple",
            Style::Label => "label",
            Style::Matrix => "matrix",
            Style::Form => "form",
            Style::SpaceDelimited => "spaceDelimited",
            Style::PipeDelimited => "pipeDelimited",
            Style::DeepObject => "deepObject",
        }
    }

    /// What a query parameter not exploded puts between its items, encoded.
    fn delimiter(self) -> &'static str {
        match self {
            Style::SpaceDelimited => "%20",
            Style::PipeDelimited => "|",
            _ => ",",
        }
    }
}

/// An array's items, or an object's properties and values, each as text.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) enum Parts {
    List(Vec<String>),
    Object(Vec<(String, String)>),
}

/// `text` percent-encoded as a path segment or a query component takes it: every byte but
/// letters, digits and `-._~` (RFC 3986's unreserved characters), so no separator a style
/// or the URL uses appears unencoded inside a value.
pub(crate) fn encode(text: &str) -> String {
    encode_keeping(text, b"")
}

/// `text` percent-encoded for a query parameter with `allowReserved`: RFC 3986's reserved
/// characters stay as they are, but for those that would change what the query says (`&`
/// and `=` between pairs, `+` read as a space, `#` ending the query).
pub(crate) fn encode_reserved(text: &str) -> String {
    encode_keeping(text, b":/?[]@!$'()*,;")
}

fn encode_keeping(text: &str, keep: &[u8]) -> String {
    use std::fmt::Write;
    let mut encoded = String::with_capacity(text.len());
    for byte in text.bytes() {
        if byte.is_ascii_alphanumeric()
            || matches!(byte, b'-' | b'.' | b'_' | b'~')
            || keep.contains(&byte)
        {
            encoded.push(char::from(byte));
        } else {
            let _ = write!(encoded, "%{byte:02X}");
        }
    }
    encoded
}

/// `text` with its percent escapes decoded (and `+` read as a space where `plus` says so,
/// as in a query); an escape that is not UTF-8 is an error.
pub(crate) fn decode(text: &str, plus: bool) -> Result<String, String> {
    let bytes = text.as_bytes();
    let mut out = Vec::with_capacity(bytes.len());
    let mut i = 0;
    while i < bytes.len() {
        let hex = |b: u8| char::from(b).to_digit(16);
        match bytes[i] {
            b'%' if i + 2 < bytes.len() => match (hex(bytes[i + 1]), hex(bytes[i + 2])) {
                (Some(high), Some(low)) => {
                    out.push((high * 16 + low) as u8);
                    i += 3;
                    continue;
                }
                _ => out.push(b'%'),
            },
            b'+' if plus => out.push(b' '),
            byte => out.push(byte),
        }
        i += 1;
    }
    String::from_utf8(out).map_err(|_| format!("{text:?} does not decode to UTF-8"))
}

/// The parts as a path segment or a header (the `simple`, `label` and `matrix` styles)
/// write them; `name` is the parameter's.
pub(crate) fn write_text(name: &str, parts: &Parts, style: Style, explode: bool) -> String {
    let pairs = |pairs: &[(String, String)], within: &str, between: &str| -> String {
        let written: Vec<String> = pairs
            .iter()
            .map(|(property, value)| format!("{property}{within}{value}"))
            .collect();
        written.join(between)
    };
    match (style, parts) {
        (Style::Label, Parts::List(items)) => {
            format!(".{}", items.join(if explode { "." } else { "," }))
        }
        (Style::Label, Parts::Object(properties)) if explode => {
            format!(".{}", pairs(properties, "=", "."))
        }
        (Style::Label, Parts::Object(properties)) => format!(".{}", pairs(properties, ",", ",")),
        (Style::Matrix, Parts::List(items)) if items.is_empty() => format!(";{name}"),
        (Style::Matrix, Parts::Object(properties)) if properties.is_empty() => format!(";{name}"),
        (Style::Matrix, Parts::List(items)) if explode => {
            items.iter().map(|item| format!(";{name}={item}")).collect()
        }
        (Style::Matrix, Parts::List(items)) => format!(";{name}={}", items.join(",")),
        (Style::Matrix, Parts::Object(properties)) if explode => {
            format!(";{}", pairs(properties, "=", ";"))
        }
        (Style::Matrix, Parts::Object(properties)) => {
            format!(";{name}={}", pairs(properties, ",", ","))
        }
        (_, Parts::List(items)) => items.join(","),
        (_, Parts::Object(properties)) if explode => pairs(properties, "=", ","),
        (_, Parts::Object(properties)) => pairs(properties, ",", ","),
    }
}

/// The parts as query or cookie pairs (the `form`, `spaceDelimited`, `pipeDelimited` and
/// `deepObject` styles) write them; `name` is the parameter's, encoded as the parts are.
pub(crate) fn write_pairs(
    name: &str,
    parts: Parts,
    style: Style,
    explode: bool,
) -> Vec<(String, String)> {
    match parts {
        Parts::List(items) if explode => items
            .into_iter()
            .map(|item| (name.to_owned(), item))
            .collect(),
        Parts::List(items) => vec![(name.to_owned(), items.join(style.delimiter()))],
        Parts::Object(properties) if style == Style::DeepObject => properties
            .into_iter()
            .map(|(property, value)| (format!("{name}[{property}]"), value))
            .collect(),
        Parts::Object(properties) if explode => properties,
        Parts::Object(properties) => {
            let flat: Vec<String> = properties.into_iter().flat_map(|(p, v)| [p, v]).collect();
            vec![(name.to_owned(), flat.join(style.delimiter()))]
        }
    }
}

/// Reads back what [`write_text`] wrote: the items of an array (`object` false) or the
/// properties of an object, each decoded by `decode`.
pub(crate) fn read_text(
    name: &str,
    text: &str,
    style: Style,
    explode: bool,
    object: bool,
    decode: impl Fn(&str) -> Result<String, String>,
) -> Result<Parts, String> {
    let expected = || {
        let exploded = if explode { ", exploded" } else { "" };
        format!("{text:?} is not in the {} style{exploded}", style.name())
    };
    let (body, within, between) = match style {
        Style::Label => {
            let body = text.strip_prefix('.').ok_or_else(expected)?;
            match (object, explode) {
                (_, false) => (body, ',', ','),
                (false, true) => (body, '.', '.'),
                (true, true) => (body, '=', '.'),
            }
        }
        Style::Matrix => {
            let body = text.strip_prefix(';').ok_or_else(expected)?;
            if body == name {
                return Ok(if object {
                    Parts::Object(Vec::new())
                } else {
                    Parts::List(Vec::new())
                });
            }
            match (object, explode) {
                (false, true) => {
                    let items = body
                        .split(';')
                        .map(|item| {
                            item.strip_prefix(name)
                                .and_then(|rest| rest.strip_prefix('='))
                                .ok_or_else(expected)
                                .and_then(&decode)
                        })
                        .collect::<Result<_, _>>()?;
                    return Ok(Parts::List(items));
                }
                (true, true) => (body, '=', ';'),
                (_, false) => {
                    let body = body
                        .strip_prefix(name)
                        .and_then(|rest| rest.strip_prefix('='))
                        .ok_or_else(expected)?;
                    (body, ',', ',')
                }
            }
        }
        _ if explode => (text, '=', ','),
        _ => (text, ',', ','),
    };
    let items = split(body, between);
    if !object {
        return items
            .into_iter()
            .map(decode)
            .collect::<Result<_, _>>()
            .map(Parts::List);
    }
    let properties = if within == between {
        alternating(&items)?
    } else {
        items
            .into_iter()
            .map(|item| item.split_once(within).ok_or_else(expected))
            .collect::<Result<_, _>>()?
    };
    properties
        .into_iter()
        .map(|(property, value)| Ok((decode(property)?, decode(value)?)))
        .collect::<Result<_, String>>()
        .map(Parts::Object)
}

/// Reads back the one value [`write_pairs`] wrote for a parameter not exploded (its raw,
/// still encoded text): the items of an array or the properties of an object, decoded.
/// Where the text has no delimiter as it is but only encoded (`a%2Cb`, as clients that
/// encode every comma write a list), it is split after decoding; a space, which has no
/// form but encoded, is always split after decoding.
pub(crate) fn read_delimited(text: &str, style: Style, object: bool) -> Result<Parts, String> {
    let delimiter = match style {
        Style::SpaceDelimited => ' ',
        Style::PipeDelimited => '|',
        _ => ',',
    };
    let items: Vec<String> = if delimiter != ' ' && text.contains(delimiter) {
        split(text, delimiter)
            .into_iter()
            .map(|item| decode(item, true))
            .collect::<Result<_, _>>()?
    } else {
        let decoded = decode(text, true)?;
        split(&decoded, delimiter)
            .into_iter()
            .map(str::to_owned)
            .collect()
    };
    if !object {
        return Ok(Parts::List(items));
    }
    let items: Vec<&str> = items.iter().map(String::as_str).collect();
    let properties = alternating(&items)?;
    Ok(Parts::Object(
        properties
            .into_iter()
            .map(|(p, v)| (p.to_owned(), v.to_owned()))
            .collect(),
    ))
}

/// `text` split at `separator`; the empty text has no items.
fn split(text: &str, separator: char) -> Vec<&str> {
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(separator).collect()
    }
}

/// An object's properties and values, alternating (`a,1,b,2`).
fn alternating<'a>(items: &[&'a str]) -> Result<Vec<(&'a str, &'a str)>, String> {
    if items.len() % 2 == 0 {
        Ok(items.chunks(2).map(|pair| (pair[0], pair[1])).collect())
    } else {
        Err("expected property,value pairs".to_owned())
    }
}

/// A flat object's properties and their text, in the order the value writes them (a
/// struct's field order): a value with no text form of its own (an array, an object) as its
/// JSON text, a null property left out.
pub(crate) fn object_parts<T: Serialize + ?Sized>(
    value: &T,
) -> Result<Vec<(String, String)>, String> {
    let json = serde_json::to_string(value).map_err(|e| e.to_string())?;
    let Ordered(properties) =
        serde_json::from_str(&json).map_err(|_| format!("{json} is not an object"))?;
    Ok(properties
        .into_iter()
        .filter_map(|(property, value)| {
            let text = match value {
                serde_json::Value::Null => return None,
                serde_json::Value::String(text) => text,
                other => other.to_string(),
            };
            Some((property, text))
        })
        .collect())
}

/// A JSON object's members in the order of its text (`serde_json::Map` sorts them).
struct Ordered(Vec<(String, serde_json::Value)>);

impl<'de> Deserialize<'de> for Ordered {
    fn deserialize<D: Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        struct Members;
        impl<'de> Visitor<'de> for Members {
            type Value = Ordered;

            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("an object")
            }

            fn visit_map<A: MapAccess<'de>>(self, mut map: A) -> Result<Ordered, A::Error> {
                let mut members = Vec::new();
                while let Some(member) = map.next_entry()? {
                    members.push(member);
                }
                Ok(Ordered(members))
            }
        }
        deserializer.deserialize_map(Members)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn list(items: &[&str]) -> Parts {
        Parts::List(items.iter().map(|s| s.to_string()).collect())
    }

    fn object(pairs: &[(&str, &str)]) -> Parts {
        Parts::Object(
            pairs
                .iter()
                .map(|(p, v)| (p.to_string(), v.to_string()))
                .collect(),
        )
    }

    #[test]
    fn encode_keeps_only_unreserved_characters_and_decode_reverses_it() {
        let text = "a b/c?d#e%f&g=h+i.j~k_l-m\u{e9}";
        let encoded = encode(text);
        assert_eq!(encoded, "a%20b%2Fc%3Fd%23e%25f%26g%3Dh%2Bi.j~k_l-m%C3%A9");
        assert_eq!(decode(&encoded, false).unwrap(), text);
        assert_eq!(decode("a+b", true).unwrap(), "a b");
        assert_eq!(decode("a+b", false).unwrap(), "a+b");
        assert!(decode("%FF", false).is_err());
    }

    #[test]
    fn reserved_encoding_keeps_what_does_not_change_the_query() {
        assert_eq!(
            encode_reserved("a/b:c,d&e=f+g#h"),
            "a/b:c,d%26e%3Df%2Bg%23h"
        );
    }

    /// The specification's style examples: `color` as the array `["blue", "black"]` and the
    /// object `{"R": 100, "G": 200}`.
    #[test]
    fn path_styles_write_the_specifications_examples_and_read_them_back() {
        let colors = list(&["blue", "black"]);
        let rgb = object(&[("R", "100"), ("G", "200")]);
        let cases = [
            (Style::Simple, false, &colors, "blue,black"),
            (Style::Simple, true, &rgb, "R=100,G=200"),
            (Style::Simple, false, &rgb, "R,100,G,200"),
            (Style::Label, false, &colors, ".blue,black"),
            (Style::Label, true, &colors, ".blue.black"),
            (Style::Label, true, &rgb, ".R=100.G=200"),
            (Style::Matrix, false, &colors, ";color=blue,black"),
            (Style::Matrix, true, &colors, ";color=blue;color=black"),
            (Style::Matrix, true, &rgb, ";R=100;G=200"),
        ];
        for (style, explode, parts, text) in cases {
            assert_eq!(
                write_text("color", parts, style, explode),
                text,
                "{style:?}"
            );
            let object = matches!(parts, Parts::Object(_));
            let read = read_text("color", text, style, explode, object, |s| decode(s, false));
            assert_eq!(read.as_ref(), Ok(parts), "{style:?} {explode} {text}");
        }
    }

    #[test]
    fn a_path_value_in_another_style_is_refused_by_name() {
        let read = read_text("color", "blue", Style::Label, false, false, |s| {
            Ok(s.to_owned())
        });
        assert_eq!(read, Err("\"blue\" is not in the label style".to_owned()));
    }

    #[test]
    fn query_styles_write_pairs_and_read_the_delimited_ones_back() {
        let colors = || list(&["blue", "black"]);
        assert_eq!(
            write_pairs("color", colors(), Style::Form, true),
            [
                ("color".into(), "blue".into()),
                ("color".into(), "black".into())
            ]
        );
        assert_eq!(
            write_pairs("color", colors(), Style::Form, false),
            [("color".to_owned(), "blue,black".to_owned())]
        );
        assert_eq!(
            write_pairs("color", colors(), Style::SpaceDelimited, false),
            [("color".to_owned(), "blue%20black".to_owned())]
        );
        assert_eq!(
            write_pairs("color", colors(), Style::PipeDelimited, false),
            [("color".to_owned(), "blue|black".to_owned())]
        );
        let rgb = object(&[("R", "100"), ("G", "200")]);
        assert_eq!(
            write_pairs("color", rgb.clone(), Style::DeepObject, true),
            [
                ("color[R]".to_owned(), "100".to_owned()),
                ("color[G]".to_owned(), "200".to_owned())
            ]
        );
        for (text, style) in [
            ("blue,black", Style::Form),
            ("blue%20black", Style::SpaceDelimited),
            ("blue|black", Style::PipeDelimited),
            // A client that encodes every comma.
            ("blue%2Cblack", Style::Form),
        ] {
            assert_eq!(read_delimited(text, style, false), Ok(colors()), "{text}");
        }
        assert_eq!(read_delimited("R,100,G,200", Style::Form, true), Ok(rgb));
        assert!(read_delimited("R,100,G", Style::Form, true).is_err());
    }

    #[test]
    fn an_object_is_its_properties_in_their_order_as_text() {
        #[derive(Serialize)]
        struct Value {
            z: u8,
            a: &'static str,
            m: bool,
        }
        let value = Value {
            z: 1,
            a: "x y",
            m: true,
        };
        assert_eq!(
            object_parts(&value).unwrap(),
            [
                ("z".to_owned(), "1".to_owned()),
                ("a".to_owned(), "x y".to_owned()),
                ("m".to_owned(), "true".to_owned())
            ]
        );
    }
}
