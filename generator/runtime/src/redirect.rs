//! Redirects, followed by the client itself rather than by reqwest: reqwest strips only
//! `Authorization` and `Cookie` when a redirect leaves the host, so an API key header or a
//! session header would follow the server's `Location` anywhere, and it adds a `Referer`
//! with the whole URL, query (and any API key in it) included.

use reqwest::header::LOCATION;
use reqwest::{Method, Url};

/// Which redirects (`301`, `302`, `303`, `307` and `308` with a `Location`) a client
/// follows. A redirect it does not follow is the call's answer: decoded when the operation
/// declares its status, else [`Error::UnexpectedStatus`](crate::__private::client_support::Error).
///
/// Credentials are the origin's they were given for: the scheme, host and port of the
/// request's URL. A request that a redirect sends to another origin carries none of the
/// call's credentials (header, query or cookie API keys, bearer and basic credentials),
/// client-level headers, per-call headers or cookies: only its body and `Content-Type`
/// where the redirect keeps them (`307`, `308`). The client never sends a `Referer`. Once a
/// chain of redirects has left the origin, credentials stay off even if it comes back.
///
/// A `303`, and a `301` or `302` to a `POST`, is followed with `GET` and no body, as
/// browsers do; a `307` or `308` keeps the method and body, except a streamed body, which
/// is sent once (the redirect is then the answer).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Redirects {
    /// None: every redirect is the answer.
    Never,
    /// Those within the request's origin, up to this many in a row; one to another origin
    /// is the answer.
    SameOrigin(u32),
    /// Any, up to this many in a row, to another origin without credentials (see above).
    AnyOrigin(u32),
}

impl Default for Redirects {
    /// Up to 10 in a row, to any origin, credentials only within the request's own.
    fn default() -> Self {
        Redirects::AnyOrigin(10)
    }
}

/// One request of a call: the first, or one a redirect asked for.
pub(crate) struct Hop {
    pub method: Method,
    pub url: Url,
    /// Whether every request of the chain so far stayed within the first one's origin:
    /// only then do the call's credentials and headers go.
    pub trusted: bool,
    /// Whether the call's body goes.
    pub body: bool,
}

impl Hop {
    pub fn first(method: Method, url: Url) -> Self {
        Hop {
            method,
            url,
            trusted: true,
            body: true,
        }
    }

    /// The request `response` (the answer to this one) redirects to, if `policy` follows
    /// it after `followed` redirects already; `first` is the chain's first URL, and
    /// `resendable` whether the body can be sent again.
    pub fn next(
        &self,
        response: &reqwest::Response,
        first: &Url,
        policy: Redirects,
        followed: u32,
        resendable: bool,
    ) -> Option<Hop> {
        let limit = match policy {
            Redirects::Never => return None,
            Redirects::SameOrigin(limit) | Redirects::AnyOrigin(limit) => limit,
        };
        let status = response.status().as_u16();
        if followed >= limit || !matches!(status, 301 | 302 | 303 | 307 | 308) {
            return None;
        }
        let location = response.headers().get(LOCATION)?.to_str().ok()?;
        let url = self.url.join(location).ok()?;
        if !matches!(url.scheme(), "http" | "https") {
            return None;
        }
        let same_origin = url.origin() == first.origin();
        if !same_origin && matches!(policy, Redirects::SameOrigin(_)) {
            return None;
        }
        let (method, body) = match status {
            303 if self.method != Method::HEAD => (Method::GET, false),
            301 | 302 if self.method == Method::POST => (Method::GET, false),
            _ => (self.method.clone(), self.body),
        };
        if body && !resendable {
            return None;
        }
        Some(Hop {
            method,
            url,
            trusted: self.trusted && same_origin,
            body,
        })
    }
}
