//! What every operation of the client needs: the client's settings ([`Core`], inside the
//! generated crate's `Client`), building a request, sending it and reading the reply.
//! Generated code reaches it through [`crate::__private`]; what a user of the client sees
//! ([`Error`], [`Retry`], [`Items`] ...) is re-exported by [`crate::client`].

mod config;
mod device;
mod error;
mod oauth;
mod operation;
mod pages;
mod path;
mod reply;
mod request;
mod retry;
mod send;
mod token;

pub use crate::problem::Problem;
pub use crate::redirect::Redirects;
pub use crate::style::Style;
pub use config::{Core, Credential};
pub use device::{DeviceAuthorization, DeviceCode};
pub use error::{Error, ErrorResponse};
pub use oauth::{ClientAuth, ClientCredentials, RefreshToken};
pub use operation::{ByteStream, Exchange, Operation, Options, Streamed};
pub use pages::{Items, Page, Pages, Paginated};
pub use path::{extension_method, path_list, path_object, PathValue};
pub use reply::Reply;
pub use request::Request;
pub use retry::Retry;
pub use token::{Token, TokenCache, TokenFuture, TokenSource};

// What the parts use of each other.
use config::Transport;
use error::{unexpected, PROBLEM_JSON};
use operation::send_request;
use path::is_dot_segment;
use retry::retry_after;
use send::join;
