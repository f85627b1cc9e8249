//! [`Reply`], an answer being written: status, headers, and a body of any media type.

use axum::body::Body;
use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::Serialize;

use crate::binary::Binary;
use crate::media::sent;
use crate::problem::Problem;

/// A response being written. A status or header the HTTP types reject (only possible with
/// values an implementation made up) becomes a 500 problem, never a panic.
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) error: Option<String>,
}

impl Reply {
    pub fn new(status: u16) -> Self {
        Reply {
            status,
            headers: HeaderMap::new(),
            error: None,
        }
    }

    pub fn header<T: ToString + ?Sized>(mut self, name: &str, value: Option<&T>) -> Self {
        if let Some(value) = value {
            match (
                HeaderName::try_from(name),
                HeaderValue::try_from(value.to_string()),
            ) {
                (Ok(name), Ok(value)) => {
                    self.headers.insert(name, value);
                }
                _ => {
                    self.error.get_or_insert(format!(
                        "response header {name} has a value not valid in a header"
                    ));
                }
            }
        }
        self
    }

    pub fn json<T: Serialize + ?Sized>(self, content_type: &'static str, body: &T) -> Response {
        match serde_json::to_vec(body) {
            Ok(bytes) => self.finish(Some((sent(content_type, "application/json"), bytes.into()))),
            Err(e) => Problem::new(500, format!("the response body did not serialize: {e}"))
                .into_response(),
        }
    }

    pub fn form<T: Serialize + ?Sized>(self, content_type: &'static str, body: &T) -> Response {
        match serde_urlencoded::to_string(body) {
            Ok(text) => self.finish(Some((content_type, text.into()))),
            Err(e) => Problem::new(500, format!("the response body did not serialize: {e}"))
                .into_response(),
        }
    }

    pub fn raw(self, content_type: &'static str, body: Vec<u8>) -> Response {
        let content_type = sent(content_type, "text/plain");
        self.finish(Some((content_type, body.into())))
    }

    pub fn empty(self) -> Response {
        self.finish(None)
    }

    /// A binary body: bytes, or a stream sent as it is produced.
    pub fn binary(self, content_type: &'static str, body: Binary) -> Response {
        let content_type = sent(content_type, "application/octet-stream");
        match body.take_stream() {
            Ok(Some(chunks)) => self.finish(Some((content_type, Body::from_stream(chunks)))),
            Ok(None) => {
                let bytes = body.as_bytes().cloned().unwrap_or_default();
                self.finish(Some((content_type, bytes.into())))
            }
            Err(e) => Problem::new(500, format!("the response body: {e}")).into_response(),
        }
    }

    /// A body sent as it is produced, with headers of its own (an event stream's).
    pub fn streamed(
        mut self,
        content_type: &'static str,
        headers: &[(HeaderName, &'static str)],
        body: Body,
    ) -> Response {
        for (name, value) in headers {
            self.headers
                .insert(name.clone(), HeaderValue::from_static(value));
        }
        self.finish(Some((content_type, body)))
    }

    fn finish(mut self, body: Option<(&'static str, Body)>) -> Response {
        let Ok(status) = StatusCode::from_u16(self.status) else {
            return Problem::new(
                500,
                format!("the implementation answered with status {}", self.status),
            )
            .into_response();
        };
        if let Some(error) = self.error {
            return Problem::new(500, error).into_response();
        }
        match body {
            Some((content_type, bytes)) => {
                if let Ok(value) = HeaderValue::try_from(content_type) {
                    self.headers.insert(CONTENT_TYPE, value);
                }
                (status, self.headers, bytes).into_response()
            }
            None => (status, self.headers).into_response(),
        }
    }
}
