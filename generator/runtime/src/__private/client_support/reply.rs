//! [`Reply`], a whole reply, read before it is decoded so nothing is lost when decoding
//! fails.

use std::fmt;

use reqwest::header::{HeaderMap, CONTENT_TYPE};
use serde::de::DeserializeOwned;

use crate::binary::Binary;

use super::*;

/// A whole reply: status, headers and body, read before decoding so that nothing is lost
/// when decoding fails.
pub struct Reply {
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) body: Vec<u8>,
    /// A streamed call's success, its body not read.
    pub(crate) unread: Option<crate::platform::Unread>,
    /// The request, to open an event stream again once it ends.
    pub(crate) again: Option<Box<Request>>,
    /// The client's cap on a reply body, in bytes.
    pub(crate) limit: usize,
}

impl Reply {
    pub fn status(&self) -> u16 {
        self.status
    }

    /// The request that opens this event stream again, when the client reconnects them.
    pub fn take_again(&mut self) -> Option<Box<Request>> {
        self.again.take()
    }

    /// The client's cap on a reply body, in bytes.
    pub fn limit(&self) -> usize {
        self.limit
    }

    /// The body as the JSON the operation declares as `declared`. Problem details where the
    /// operation declares another JSON body are the server's own answer (the generated
    /// server's 401, say, where the spec declares a 401 body): an [`Error::Problem`], never a
    /// declared body read from the wrong document.
    pub fn json<T: DeserializeOwned>(&self, declared: &str) -> Result<T, Error> {
        if crate::media::matches(PROBLEM_JSON, self.content_type())
            && !crate::media::matches(declared, PROBLEM_JSON)
        {
            let response = self.kept();
            if let Some(problem) = response.problem() {
                return Err(Error::Problem { problem, response });
            }
        }
        serde_json::from_slice(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    pub fn form<T: DeserializeOwned>(&self) -> Result<T, Error> {
        serde_urlencoded::from_bytes(&self.body).map_err(|e| self.decode_error(e.to_string()))
    }

    /// Which of the declared media types the reply's `Content-Type` is (the first one when
    /// it names none of them).
    pub fn pick(&self, declared: &[&str]) -> usize {
        declared
            .iter()
            .position(|d| crate::media::matches(d, self.content_type()))
            .unwrap_or(0)
    }

    /// The `Content-Type` header; empty when absent or not text.
    fn content_type(&self) -> &str {
        self.headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("")
    }

    pub fn text(&self) -> Result<String, Error> {
        String::from_utf8(self.body.clone()).map_err(|e| self.decode_error(e.to_string()))
    }

    pub fn bytes(&self) -> Vec<u8> {
        self.body.clone()
    }

    /// A binary body: streamed as it arrives when the request left it unread, else the
    /// bytes read.
    pub fn binary(&mut self) -> Binary {
        match self.unread.take() {
            Some(unread) => unread.into_binary(),
            None => Binary::from(std::mem::take(&mut self.body)),
        }
    }

    /// A response header, parsed; `None` when absent.
    pub fn header<T: std::str::FromStr>(&self, name: &str) -> Result<Option<T>, Error>
    where
        T::Err: fmt::Display,
    {
        let Some(value) = self.headers.get(name) else {
            return Ok(None);
        };
        let text = value
            .to_str()
            .map_err(|_| self.decode_error(format!("header {name} is not visible ASCII")))?;
        text.parse()
            .map(Some)
            .map_err(|e| self.decode_error(format!("header {name}: {e}")))
    }

    /// A response header the spec requires.
    pub fn required_header<T: std::str::FromStr>(&self, name: &str) -> Result<T, Error>
    where
        T::Err: fmt::Display,
    {
        self.header(name)?
            .ok_or_else(|| self.decode_error(format!("required header {name} is missing")))
    }

    /// The reply as an error: its status was not one the spec declares.
    pub fn unexpected(self) -> Error {
        unexpected(Box::new(ErrorResponse {
            status: self.status,
            headers: self.headers,
            body: self.body,
        }))
    }

    /// A copy of the reply for an error.
    pub(crate) fn kept(&self) -> Box<ErrorResponse> {
        Box::new(ErrorResponse {
            status: self.status,
            headers: self.headers.clone(),
            body: self.body.clone(),
        })
    }

    /// The reply as an error: its body did not decode. Problem details, as the generated
    /// server answers what it rejects by itself, are a [`Problem`] whatever the operation
    /// declares for the status.
    fn decode_error(&self, message: String) -> Error {
        let response = self.kept();
        match response.problem() {
            Some(problem) => Error::Problem { problem, response },
            None => Error::Decode { message, response },
        }
    }
}
