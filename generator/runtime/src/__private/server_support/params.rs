//! Parameters: path, query, header and cookie values in every style, each a [`Found`] that
//! answers 400 naming the parameter when it does not read.

use std::fmt::Display;
use std::str::FromStr;

use axum::http::header::COOKIE;
use serde::de::DeserializeOwned;

use crate::routes::split_segment;
use crate::style::{self, Parts, Style};

use super::*;

impl Incoming {
    /// A path parameter: the segment the router captured as `key`, whole.
    pub fn path<T: FromStr>(&self, key: &str, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        self.path_within(key, name, &["", ""], 0)
    }

    /// A path parameter that is part of a segment (`/files/{name}.json`,
    /// `/files/{name}.{ext}`): variable `index` of the segment the router captured as `key`,
    /// whose template is `literals` around its variables (see [`split_segment`]).
    pub fn path_within<T: FromStr>(
        &self,
        key: &str,
        name: &str,
        literals: &[&str],
        index: usize,
    ) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .path
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        let value = value.map(|segment| {
            split_segment(segment, literals)
                .and_then(|values| values.get(index).copied())
                .ok_or_else(|| {
                    let template: String = literals
                        .iter()
                        .enumerate()
                        .map(|(i, literal)| match i {
                            0 => literal.to_string(),
                            i if i == index + 1 => format!("{{{name}}}{literal}"),
                            _ => format!("{{..}}{literal}"),
                        })
                        .collect();
                    format!("{segment:?} does not have the form {template}")
                })
                .and_then(parse_text)
        });
        Found::new("path", name, value.transpose())
    }

    /// An array path parameter in its style (`simple`, `label`, `matrix`): the segment
    /// `back` segments from the path's end, as sent, less the literal text around the
    /// variable in the spec's template (`prefix`, `suffix`, encoded as the route has them).
    pub fn path_list<T: FromStr>(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
    ) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let parts = self.path_parts(segment, style, explode, false);
        Found::new(
            "path",
            segment.name,
            parts.map(|parts| list_of(parts)).transpose(),
        )
    }

    /// An object path parameter in its style, found as [`path_list`](Incoming::path_list)
    /// finds an array.
    pub fn path_object<T: DeserializeOwned>(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
    ) -> Found<T> {
        let parts = self.path_parts(segment, style, explode, true);
        Found::new(
            "path",
            segment.name,
            parts.map(|parts| object_of(parts)).transpose(),
        )
    }

    fn path_parts(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
        object: bool,
    ) -> Option<Result<Parts, String>> {
        let Segment {
            back,
            name,
            prefix,
            suffix,
        } = segment;
        let text = self.raw_path.rsplit('/').nth(back)?;
        Some(
            text.strip_prefix(prefix)
                .and_then(|s| s.strip_suffix(suffix))
                .ok_or_else(|| {
                    format!("{text:?} does not have the form {prefix}{{{name}}}{suffix}")
                })
                .and_then(|text| {
                    style::read_text(name, text, style, explode, object, |item| {
                        style::decode(item, false)
                    })
                }),
        )
    }

    pub(crate) fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A query parameter of one value. An empty value (`end=`, as an HTML form sends an
    /// empty field) is absent where the type reads no value from empty text (a number, a
    /// date): it is how a client writes a null or a value it does not have.
    pub fn query<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .query_values(name)
            .first()
            .and_then(|v| match parse_text(v) {
                Err(_) if v.is_empty() => None,
                read => Some(read),
            });
        Found::new("query", name, value.transpose())
    }

    /// An array in the query in its style: repeated (`a=1&a=2`) when exploded, else split
    /// at the style's delimiter before its items are decoded.
    pub fn query_list<T: FromStr>(&self, name: &str, style: Style, explode: bool) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = if explode {
            let values = self.query_values(name);
            (!values.is_empty()).then(|| parse_list(&values))
        } else {
            self.raw_query_value(name)
                .map(|raw| list_of(style::read_delimited(raw, style, false)))
        };
        Found::new("query", name, value.transpose())
    }

    /// The first value of the query parameter `name`, as sent.
    fn raw_query_value(&self, name: &str) -> Option<&str> {
        self.raw_query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A flat object in the query, in the encodings OpenAPI gives the `form`,
    /// `spaceDelimited`, `pipeDelimited` and `deepObject` styles: each property its own pair
    /// when exploded (`status=offline&role=admin`), `name[property]` pairs in the
    /// `deepObject` style, else one pair of properties and values alternating at the
    /// style's delimiter (`name=status,offline,role,admin`). Exploded, which pairs are the
    /// object's is told by `keys`. Absent when none of its pairs are there.
    pub fn query_object<T: DeserializeOwned>(
        &self,
        name: &str,
        style: Style,
        explode: bool,
        keys: Keys<'_>,
    ) -> Found<T> {
        let deep = style == Style::DeepObject;
        let pairs: Vec<(&str, &str)> = if deep {
            self.query
                .iter()
                .filter_map(|(k, v)| {
                    let field = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
                    Some((field, v.as_str()))
                })
                .collect()
        } else if explode {
            self.query
                .iter()
                .filter(|(k, _)| keys.has(k))
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect()
        } else {
            // `name=` is the empty object, there.
            let value = self
                .raw_query_value(name)
                .map(|raw| object_of(style::read_delimited(raw, style, true)));
            return Found::new("query", name, value.transpose());
        };
        let value = if pairs.is_empty() {
            Ok(None)
        } else {
            read_pairs(&pairs).map(Some)
        };
        Found::new("query", name, value)
    }

    pub fn query_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = self.query_values(name).first().map(|v| parse_json(v));
        Found::new("query", name, value.transpose())
    }

    /// A parameter that is the whole query string, as JSON text (OpenAPI 3.2's
    /// `in: querystring`); an empty query string is absent.
    pub fn querystring_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = (!self.query_string.is_empty()).then(|| {
            style::decode(&self.query_string, false)
                .map_err(|e| format!("not percent-encoded text: {e}"))
                .and_then(|text| parse_json(&text))
        });
        Found::new("query", name, value.transpose())
    }

    pub(crate) fn header_text(&self, name: &str) -> Result<Option<&str>, String> {
        self.headers
            .get(name)
            .map(|v| {
                v.to_str()
                    .map_err(|_| "the value is not visible ASCII".to_owned())
            })
            .transpose()
    }

    pub fn header<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(parse_text).transpose());
        Found::new("header", name, value)
    }

    pub fn header_list<T: FromStr>(&self, name: &str) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(|t| parse_list(&split_list(t))).transpose());
        Found::new("header", name, value)
    }

    /// An object in a header, in the `simple` style: `a=1,b=2` exploded, `a,1,b,2` not.
    pub fn header_object<T: DeserializeOwned>(&self, name: &str, explode: bool) -> Found<T> {
        let value = self.header_text(name).and_then(|text| {
            text.map(|text| {
                let parts = style::read_text(name, text, Style::Simple, explode, true, |item| {
                    Ok(item.to_owned())
                });
                object_of(parts)
            })
            .transpose()
        });
        Found::new("header", name, value)
    }

    pub fn header_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(parse_json).transpose());
        Found::new("header", name, value)
    }

    pub(crate) fn cookie_text(&self, name: &str) -> Option<&str> {
        self.cookies().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The request's cookies, names and values, in order.
    pub(crate) fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
    }

    /// An array cookie in the `form` style: items joined by commas, or each its own
    /// cookie of the same name when exploded.
    pub fn cookie_list<T: FromStr>(&self, name: &str, explode: bool) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = if explode {
            let values: Vec<&str> = self
                .cookies()
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v)
                .collect();
            (!values.is_empty()).then(|| parse_list(&values))
        } else {
            self.cookie_text(name).map(|text| {
                list_of(style::read_text(
                    name,
                    text,
                    Style::Form,
                    false,
                    false,
                    |item| Ok(item.to_owned()),
                ))
            })
        };
        Found::new("cookie", name, value.transpose())
    }

    /// An object cookie in the `form` style: properties and values alternating in one
    /// cookie, or each property its own cookie when exploded (which cookies told by `keys`).
    pub fn cookie_object<T: DeserializeOwned>(
        &self,
        name: &str,
        explode: bool,
        keys: Keys<'_>,
    ) -> Found<T> {
        let value = if explode {
            let pairs: Vec<(&str, &str)> = self.cookies().filter(|(k, _)| keys.has(k)).collect();
            (!pairs.is_empty()).then(|| read_pairs(&pairs))
        } else {
            self.cookie_text(name).map(|text| {
                object_of(style::read_text(
                    name,
                    text,
                    Style::Form,
                    false,
                    true,
                    |item| Ok(item.to_owned()),
                ))
            })
        };
        Found::new("cookie", name, value.transpose())
    }

    pub fn cookie<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        Found::new(
            "cookie",
            name,
            self.cookie_text(name).map(parse_text).transpose(),
        )
    }

    pub fn cookie_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        Found::new(
            "cookie",
            name,
            self.cookie_text(name).map(parse_json).transpose(),
        )
    }
}
