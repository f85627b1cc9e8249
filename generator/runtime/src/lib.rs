//! The runtime of the crates `openapi-gen` generates: what every operation of a generated
//! client and server needs, written once, compiled once, and tested here.
//!
//! A generated crate depends on it in one of two ways, chosen when generating (README,
//! "One runtime or a copy"): *vendored*, a copy of this crate's files inside the generated
//! crate under the package name `<api>-runtime`, or *shared*, this crate itself by path or
//! version, so that several generated APIs in one workspace build it once.
//!
//! What a user of a generated crate sees is public here and re-exported there: [`binary`],
//! [`problem`], [`validate`], [`client`], [`server`], and with their features
//! [`multipart`], [`sse`] and [`jsonl`] (both streams of [`stream`]). What only generated code calls is in
//! `__private`, which is no part of the API.
//!
//! Features: `client` (reqwest), `server` (axum), `middleware` (reqwest-middleware),
//! `tracing` (a span per operation); what some APIs need: `multipart` (with
//! `multipart-server` for the server's parser), `sse`, `jsonl`, `chrono` and `uuid`
//! (`Validate` for their types).

pub mod binary;
#[cfg(feature = "server")]
mod budget;
#[cfg(feature = "jsonl")]
pub mod jsonl;
#[cfg(any(feature = "client", feature = "server"))]
mod media;
#[cfg(feature = "multipart")]
pub mod multipart;
#[cfg(feature = "client")]
mod platform;
pub mod problem;
#[cfg(feature = "client")]
mod redirect;
#[cfg(feature = "server")]
mod routes;
#[cfg(feature = "sse")]
pub mod sse;
#[cfg(any(feature = "sse", feature = "jsonl"))]
pub mod stream;
// Each side uses its half: the client writes parameters, the server reads them.
#[cfg(any(feature = "client", feature = "server"))]
#[cfg_attr(not(all(feature = "client", feature = "server")), allow(dead_code))]
mod style;
pub mod validate;

#[doc(hidden)]
pub mod __private;

/// What a user of a generated client names: its errors, retries, redirects, pages,
/// streamed answers and OAuth 2 token sources. The generated crate's `client` module re-exports them.
#[cfg(feature = "client")]
pub mod client {
    pub use crate::__private::client_support::{
        ByteStream, ClientAuth, ClientCredentials, DeviceAuthorization, DeviceCode, Error,
        ErrorResponse, Items, Operation, Paginated, Redirects, RefreshToken, Retry, Streamed,
        Token, TokenFuture, TokenSource,
    };
}

/// What a user of a generated server names: `serve` and its limits, credentials. The
/// generated crate's `server` module re-exports them.
#[cfg(feature = "server")]
pub mod server {
    pub use crate::__private::server_support::{
        serve, serve_locally, Auth, BodyBudget, BodyLimits, Credential, Limits, ReadTimeout,
    };
}

#[cfg(feature = "chrono")]
impl validate::Validate for chrono::DateTime<chrono::Utc> {}

#[cfg(feature = "chrono")]
impl validate::Validate for chrono::NaiveDate {}

#[cfg(feature = "uuid")]
impl validate::Validate for uuid::Uuid {}
