//! What every route of the server needs: reading a request's inputs with a clear 4xx for
//! anything malformed, writing responses, and the problem-details error body. The same in
//! every generated crate.

use axum::http::header::CONTENT_TYPE;
use axum::http::{HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};

pub use crate::budget::BodyBudget;
pub use crate::problem::Problem;
pub use crate::style::Style;
// For the dispatch functions of routes several operations share, which not every API has:
// built into a crate by `include!`, this module is private and the import unused there.
#[allow(unused_imports)]
pub use crate::routes::{pick, Candidate};

/// Problem details as the body of an answer, with the status's reason phrase as `title` and
/// `about:blank` as `type` unless the problem names its own.
impl IntoResponse for Problem {
    fn into_response(mut self) -> Response {
        let status = StatusCode::from_u16(self.status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
        self.extensions
            .entry("type".to_owned())
            .or_insert_with(|| "about:blank".into());
        if self.title.is_none() {
            self.title = status.canonical_reason().map(str::to_owned);
        }
        let body = serde_json::to_vec(&self).unwrap_or_default();
        (
            status,
            [(
                CONTENT_TYPE,
                HeaderValue::from_static("application/problem+json"),
            )],
            body,
        )
            .into_response()
    }
}

/// The answer of a trait method an implementation leaves to its default (the crate's
/// `server-defaults` feature): 501 Not Implemented, naming the operation. Not generic, so it
/// is compiled once, not once per operation in the crate that implements the trait.
pub fn not_implemented(operation: &str) -> Problem {
    Problem::new(
        501,
        format!("operation `{operation}` is not implemented by this server"),
    )
}

mod auth;
mod body;
mod found;
mod incoming;
mod params;
mod reply;
mod serve;

pub use auth::{Auth, Credential, Scheme};
pub use found::{Found, Keys, Segment};
pub use incoming::Incoming;
pub use reply::Reply;
pub use serve::{serve, serve_locally, BodyLimits, Limits, ReadTimeout};

// What the parts use of each other.
use body::split_list;
use found::{list_of, object_of, parse_json, parse_list, parse_text, read_pairs};
