//! Bodies: the declared media type picked (415 otherwise), read as JSON, a form, text or
//! binary, and checked against the schema's constraints.

use axum::http::header::CONTENT_TYPE;
use serde::de::DeserializeOwned;

use crate::binary::Binary;
use crate::problem::Problem;

use super::*;

impl Incoming {
    /// The request's `Content-Type`, when it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// Which of the declared media types the body is: `None` for no body, 415 for a
    /// `Content-Type` that is none of them. A body without `Content-Type` is read as the
    /// first.
    pub fn pick(&self, declared: &[&str]) -> Result<Option<usize>, Problem> {
        if self.body.is_empty() && self.upload.is_none() {
            return Ok(None);
        }
        let Some(actual) = self.content_type() else {
            return Ok(Some(0));
        };
        match declared
            .iter()
            .position(|d| crate::media::matches(d, actual))
        {
            Some(index) => Ok(Some(index)),
            None => Err(Problem::new(
                415,
                format!(
                    "the request body must be one of {}, not {actual}",
                    declared.join(", ")
                ),
            )),
        }
    }

    /// The body, if any, after checking it is the declared media type.
    pub fn body_of(&self, declared: &str) -> Result<Option<&[u8]>, Problem> {
        Ok(self.pick(&[declared])?.map(|_| &self.body[..]))
    }

    /// The body as JSON, checked against the schema's constraints; an empty body counts as
    /// absent.
    pub fn json<T: DeserializeOwned + crate::validate::Validate>(
        &self,
        declared: &str,
    ) -> Found<T> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                // A struct's JSON is an object: its first byte past whitespace is `{`. Looking
                // at it spares reading the body twice.
                let first = b
                    .iter()
                    .find(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
                let read = if T::JSON_OBJECT && first != Some(&b'{') {
                    Err("expected a JSON object".to_owned())
                } else {
                    read_json(b)
                };
                read.map_err(|e| format!("the request body is not the expected JSON: {e}"))
                    .and_then(valid_body)
                    .map_err(|detail| Problem::bad_input("body", "", detail))
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body as form fields (`application/x-www-form-urlencoded`), checked against the
    /// schema's constraints.
    pub fn form<T: DeserializeOwned + crate::validate::Validate>(
        &self,
        declared: &str,
    ) -> Found<T> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                serde_urlencoded::from_bytes(b)
                    .map_err(|e| format!("the request body is not the expected form: {e}"))
                    .and_then(valid_body)
                    .map_err(|detail| Problem::bad_input("body", "", detail))
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body as UTF-8 text; an empty body counts as absent.
    pub fn text(&self, declared: &str) -> Found<String> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                String::from_utf8(b.to_vec()).map_err(|_| {
                    Problem::bad_input("body", "", "the request body is not UTF-8 text".to_owned())
                })
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body's bytes; an empty body counts as absent.
    /// A binary body read whole (the bytes are shared, not copied).
    pub fn binary(&self, declared: &str) -> Found<Binary> {
        let body = || Binary::from(self.body.clone());
        Found::body(self.pick(&[declared]).map(|found| found.map(|_| body())))
    }

    /// A binary body left unread, to be read as it arrives (see [`Incoming::read_streaming`]).
    pub fn upload(&mut self, declared: &str) -> Found<Binary> {
        let found = self.pick(&[declared]);
        Found::body(found.map(|found| found.and(self.upload.take())))
    }

    /// The body as it arrives: left unread where the operation streams it, else the bytes
    /// read.
    pub fn arriving(&mut self, declared: &str) -> Found<Binary> {
        match self.upload {
            Some(_) => self.upload(declared),
            None => self.binary(declared),
        }
    }
}

/// A JSON body read with nulls refused where the schema lets a field be absent but not null;
/// an error names where in the body it is (`body.children[1].name: ...`).
pub(crate) fn read_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    crate::__private::de::strict(|| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
            let path = e.path().to_string();
            let error = e.into_inner();
            if path == "." {
                error.to_string()
            } else {
                format!("body.{path}: {error}")
            }
        })?;
        json.end().map_err(|e| e.to_string())?;
        Ok(value)
    })
}

/// A body checked against its schema: constraints (lengths, ranges, patterns, formats) and
/// enum values, each problem naming the field's path.
pub(crate) fn valid_body<T: crate::validate::Validate>(value: T) -> Result<T, String> {
    let problems = crate::validate::problems(&value, "body");
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(crate::validate::described(&problems))
    }
}

pub(crate) fn split_list(text: &str) -> Vec<&str> {
    // Header arrays are comma-separated (the `simple` style).
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(',').collect()
    }
}
