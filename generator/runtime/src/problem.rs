//! Problem details (RFC 9457): the error body the server writes for every request it rejects
//! by itself, and the client reads back as [`Problem`] rather than a decode error. The same in
//! every generated crate.

use std::collections::BTreeMap;

use crate::__private::de;

/// An error answer, written as `application/problem+json`.
///
/// The generated server answers every request it rejects by itself with one (a missing or
/// malformed input, an unknown path, a wrong method, a body too large, an unsupported media
/// type, an operation not implemented), and an implementation returns one for any status
/// its operation does not declare. The generated client gives it back as
/// `Error::Problem`, whatever the operation declares for that status.
#[derive(Debug, Clone, PartialEq, Default, serde::Serialize)]
pub struct Problem {
    /// The status's reason phrase, or a short summary.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub title: Option<String>,
    pub status: u16,
    /// What went wrong, for a person to read.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub detail: Option<String>,
    /// Where the bad input was.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub location: Option<Location>,
    /// The name of the bad parameter, as the spec writes it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parameter: Option<String>,
    /// Any other members the answer carried, `type` among them (a URI naming the kind of
    /// problem; the generated server writes `about:blank`, as the status says it all).
    #[serde(flatten)]
    pub extensions: BTreeMap<String, serde_json::Value>,
}

/// Read as the generated structs are (serde's derive for a flattened map is large): a
/// member that is null or absent is `None`, and the members it does not name are kept.
impl de::Object for Problem {
    type Fields = (
        de::OrNull<String>,
        de::Required<u16>,
        de::OrNull<String>,
        de::OrNull<Location>,
        de::OrNull<String>,
    );
    type Rest = BTreeMap<String, serde_json::Value>;

    fn build(
        (title, status, detail, location, parameter): (
            Option<String>,
            u16,
            Option<String>,
            Option<Location>,
            Option<String>,
        ),
        extensions: Self::Rest,
    ) -> Self {
        Problem {
            title,
            status,
            detail,
            location,
            parameter,
            extensions,
        }
    }
}

impl<'de> serde::Deserialize<'de> for Problem {
    fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
        de::object(
            deserializer,
            "problem details",
            &["title", "status", "detail", "location", "parameter"],
        )
    }
}

impl Problem {
    /// A problem with `status` and a detail message.
    pub fn new(status: u16, detail: impl Into<String>) -> Self {
        Problem {
            status,
            detail: Some(detail.into()),
            ..Problem::default()
        }
    }

    /// 400 for one input, named with where it was (`path`, `query`, `header`, `cookie` or
    /// `body`).
    pub fn bad_input(location: &str, name: &str, detail: String) -> Self {
        let location = Location::named(location);
        Problem {
            location,
            parameter: (location != Some(Location::Body)).then(|| name.to_owned()),
            ..Problem::new(400, detail)
        }
    }

    /// 404: the request's path matches no operation.
    pub fn not_found() -> Self {
        Problem::new(404, "no operation has this path")
    }

    /// 405: the path exists, but not with the request's method.
    pub fn method_not_allowed() -> Self {
        Problem::new(405, "the path does not take this method")
    }
}

impl std::fmt::Display for Problem {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "{}", self.status)?;
        if let Some(title) = &self.title {
            write!(f, " {title}")?;
        }
        if let Some(detail) = &self.detail {
            write!(f, ": {detail}")?;
        }
        Ok(())
    }
}

impl std::error::Error for Problem {}

/// A streamed body that could not be read, as an answer: the problem the server met reading
/// an upload (413 past its size limit, 408 when it stalled), else 400 naming the error. So an
/// implementation reading an upload can use `?`.
impl From<crate::binary::Error> for Problem {
    fn from(error: crate::binary::Error) -> Self {
        match error.into_inner().downcast::<Problem>() {
            Ok(problem) => *problem,
            Err(error) => Problem::new(400, format!("the request body could not be read: {error}")),
        }
    }
}

/// Where in a request an input is.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Path,
    Query,
    Header,
    Cookie,
    Body,
}

impl Location {
    fn named(name: &str) -> Option<Self> {
        Some(match name {
            "path" => Location::Path,
            "query" => Location::Query,
            "header" => Location::Header,
            "cookie" => Location::Cookie,
            "body" => Location::Body,
            _ => return None,
        })
    }
}
