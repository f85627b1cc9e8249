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
