//! [`Error`], what a call fails with, and [`ErrorResponse`], a reply kept whole for it.

use std::fmt;

use reqwest::header::{HeaderMap, CONTENT_TYPE};

use crate::problem::Problem;

/// A reply whose status is not what was wanted, as an error: problem details when its body
/// is some.
pub(crate) fn unexpected(response: Box<ErrorResponse>) -> Error {
    match response.problem() {
        Some(problem) => Error::Problem { problem, response },
        None => Error::UnexpectedStatus(response),
    }
}

/// The media type of problem details (RFC 9457).
pub(crate) const PROBLEM_JSON: &str = "application/problem+json";

/// A reply kept whole for an error: status, headers and the raw body.
#[derive(Clone)]
pub struct ErrorResponse {
    pub status: u16,
    pub headers: HeaderMap,
    pub body: Vec<u8>,
}

impl fmt::Debug for ErrorResponse {
    /// Shows the body as text, which is what a person reading a failure wants.
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("ErrorResponse")
            .field("status", &self.status)
            .field("headers", &self.headers)
            .field("body", &self.body_text())
            .finish()
    }
}

impl ErrorResponse {
    /// The body as text, with invalid UTF-8 replaced.
    pub fn body_text(&self) -> String {
        String::from_utf8_lossy(&self.body).into_owned()
    }

    /// The body as problem details, when its `Content-Type` says it is one and it reads.
    pub(crate) fn problem(&self) -> Option<Box<Problem>> {
        let content_type = self.headers.get(CONTENT_TYPE)?.to_str().ok()?;
        if !crate::media::matches(PROBLEM_JSON, content_type) {
            return None;
        }
        serde_json::from_slice(&self.body).ok()
    }
}

/// Why a call did not give a declared response.
#[derive(Debug)]
pub enum Error {
    /// The request could not be built (a bad base URL, a value not valid in a header).
    InvalidRequest(String),
    /// Sending the request or reading the reply failed.
    Transport(reqwest::Error),
    /// A middleware of the client's (`Client::with_middleware`, feature `middleware`)
    /// failed or refused the request. The variant exists without the feature too, so a
    /// `match` on `Error` compiles whichever crate of a build enables it.
    Middleware(Box<dyn std::error::Error + Send + Sync>),
    /// The server answered with a status the spec does not declare for the operation, or,
    /// reading pages (`Call::items`), with an answer that is not a page (a `404`, say).
    UnexpectedStatus(Box<ErrorResponse>),
    /// The reply's status was declared, but its body or a header did not decode.
    Decode {
        message: String,
        response: Box<ErrorResponse>,
    },
    /// The server answered with problem details (`application/problem+json`) where the
    /// operation declares no such body: how the generated server answers every request it
    /// rejects by itself (400, 401, 404, 405, 413, 415, 501).
    Problem {
        problem: Box<Problem>,
        response: Box<ErrorResponse>,
    },
    /// The reply's body was longer than the client reads
    /// (`Client::with_max_response_bytes`); reading stopped there.
    ResponseTooLarge { status: u16, limit: usize },
    /// No reply head arrived within the client's time limit, for a call whose reply is left
    /// to be read as it arrives (a call's own limit, and the client's on any other call,
    /// are a [`Error::Transport`] whose `is_timeout()` is true; [`Error::is_timeout`] tells
    /// either).
    Timeout { limit: std::time::Duration },
    /// No OAuth 2 token could be had for the call: the token endpoint was not reached, or
    /// refused (its `error` code in the message), or answered something that is not a
    /// token. The message never holds a token or a secret.
    Token(String),
}

impl Error {
    /// The status code, when the server answered.
    pub fn status(&self) -> Option<u16> {
        match self {
            Error::ResponseTooLarge { status, .. } => Some(*status),
            _ => self.response().map(|r| r.status),
        }
    }

    /// Whether the call ran out of time: its own limit or the client's.
    pub fn is_timeout(&self) -> bool {
        match self {
            Error::Transport(e) => e.is_timeout(),
            Error::Timeout { .. } => true,
            _ => false,
        }
    }

    /// The whole reply, when the server answered.
    pub fn response(&self) -> Option<&ErrorResponse> {
        match self {
            Error::UnexpectedStatus(response)
            | Error::Decode { response, .. }
            | Error::Problem { response, .. } => Some(response),
            Error::InvalidRequest(_)
            | Error::Transport(_)
            | Error::Middleware(_)
            | Error::ResponseTooLarge { .. }
            | Error::Timeout { .. }
            | Error::Token(_) => None,
        }
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Error::InvalidRequest(message) => write!(f, "invalid request: {message}"),
            Error::Transport(e) => write!(f, "transport error: {e}"),
            Error::Middleware(e) => write!(f, "middleware error: {e}"),
            Error::UnexpectedStatus(response) => write!(
                f,
                "unexpected status {}: {}",
                response.status,
                response.body_text()
            ),
            Error::Decode { message, response } => write!(
                f,
                "could not decode the {} reply: {message}",
                response.status
            ),
            Error::Problem { problem, .. } => write!(f, "the server answered {problem}"),
            Error::ResponseTooLarge { status, limit } => write!(
                f,
                "the {status} reply's body is longer than the {limit} bytes the client reads"
            ),
            Error::Timeout { limit } => write!(f, "no reply within the time limit of {limit:?}"),
            Error::Token(message) => write!(f, "no OAuth 2 token: {message}"),
        }
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        match self {
            Error::Transport(e) => Some(e),
            Error::Middleware(e) => Some(e.as_ref()),
            _ => None,
        }
    }
}
