//! Path parameters as the path takes them: each value percent-encoded whole, arrays and
//! objects in their style.

use std::fmt;

use reqwest::Method;
use serde::Serialize;

use crate::style::{self, Parts, Style};

/// A path parameter's value as the path takes it.
pub trait PathValue {
    /// The text of its segment, percent-encoded.
    fn path_text(&self) -> Result<String, String>;
}

/// A value with a text form of its own, percent-encoded whole: every byte but letters,
/// digits and `-._~` (RFC 3986's unreserved characters), so no value adds a segment (`/`),
/// ends the path (`?`, `#`), is decoded into something else (`%`) or loses a character
/// (tab, CR and LF, which URL parsers drop).
impl<T: fmt::Display + ?Sized> PathValue for T {
    fn path_text(&self) -> Result<String, String> {
        Ok(style::encode(&self.to_string()))
    }
}

/// An array or an object written in its path style ([`path_list`], [`path_object`]): each
/// item percent-encoded, the style's separators as they are.
pub struct Styled(Result<String, String>);

impl PathValue for Styled {
    fn path_text(&self) -> Result<String, String> {
        self.0.clone()
    }
}

/// A method reqwest has no constant for (OpenAPI 3.2's `QUERY`, an `additionalOperations`
/// entry such as `COPY`), from its name. The generator takes only names that are HTTP
/// tokens, which are what `from_bytes` accepts.
pub fn extension_method(name: &'static [u8]) -> Method {
    Method::from_bytes(name).expect("the generator takes only method names that are tokens")
}

/// An array path parameter `name` in the `simple`, `label` or `matrix` style.
pub fn path_list<T: ToString>(name: &str, values: &[T], style: Style, explode: bool) -> Styled {
    let items = values
        .iter()
        .map(|v| path_item(&v.to_string(), style, explode));
    let parts = Parts::List(items.collect());
    Styled(Ok(style::write_text(name, &parts, style, explode)))
}

/// An object path parameter `name` in the `simple`, `label` or `matrix` style.
pub fn path_object<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Styled {
    Styled(style::object_parts(value).map(|properties| {
        let encoded = properties
            .into_iter()
            .map(|(p, v)| (path_item(&p, style, explode), path_item(&v, style, explode)));
        style::write_text(name, &Parts::Object(encoded.collect()), style, explode)
    }))
}

/// An item of a styled path value, percent-encoded; in the `label` style exploded, whose
/// separator is `.`, dots too, so an item holding one arrives whole.
fn path_item(text: &str, style: Style, explode: bool) -> String {
    let encoded = style::encode(text);
    if style == Style::Label && explode {
        encoded.replace('.', "%2E")
    } else {
        encoded
    }
}

/// Whether URLs read `segment` as `.` or `..` (also written `%2e`), a step that removes
/// itself or the segment before it.
pub(crate) fn is_dot_segment(segment: &str) -> bool {
    let dots = segment.to_ascii_lowercase().replace("%2e", ".");
    dots == "." || dots == ".."
}

#[cfg(test)]
mod tests {
    use super::super::{Core, Error};
    use super::*;

    #[test]
    fn a_path_value_is_one_segment_whatever_it_holds() {
        let core = Core::new("https://api.example.com/v1/").unwrap();
        let request = core.request(
            Method::GET,
            "pets/{}/photos/{}.{}",
            &[&"a/b?c#d" as &dyn PathValue, &7, &"png"],
        );
        assert!(request.error.is_none());
        assert_eq!(
            request.url.as_str(),
            "https://api.example.com/v1/pets/a%2Fb%3Fc%23d/photos/7.png"
        );
    }

    #[test]
    fn a_value_that_would_change_the_path_is_refused_before_sending() {
        let core = Core::new("https://api.example.com").unwrap();
        for value in ["..", ".", ""] {
            let request = core.request(Method::GET, "pets/{}", &[&value]);
            assert!(
                matches!(request.error, Some(Error::InvalidRequest(_))),
                "{value:?}"
            );
        }
        // A `%` in a value is a `%` (`%252e`), never an encoded dot.
        let request = core.request(Method::GET, "pets/{}", &[&"%2e%2E"]);
        assert!(request.error.is_none());
        assert!(request.url.as_str().ends_with("/pets/%252e%252E"));
    }

    #[test]
    fn styled_path_values_keep_their_separators_and_encode_their_items() {
        let list = path_list("id", &["a,b", "c"], Style::Label, true);
        assert_eq!(list.path_text(), Ok(".a%2Cb.c".to_owned()));
        let list = path_list("id", &["x.y"], Style::Label, true);
        assert_eq!(
            list.path_text(),
            Ok(".x%2Ey".to_owned()),
            "dots within an item"
        );
        let list = path_list("id", &[1, 2], Style::Matrix, false);
        assert_eq!(list.path_text(), Ok(";id=1,2".to_owned()));
    }
}
