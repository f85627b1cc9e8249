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
    pub(crate) method: Method,
    pub(crate) url: Url,
    /// Whether every request of the chain so far stayed within the first one's origin:
    /// only then do the call's credentials and headers go.
    pub(crate) trusted: bool,
    /// Whether the call's body goes.
    pub(crate) body: bool,
}

impl Hop {
    pub(crate) fn first(method: Method, url: Url) -> Self {
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
    pub(crate) fn next(
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

#[cfg(test)]
mod tests {
    use super::*;

    fn redirect(status: u16, location: &str) -> reqwest::Response {
        let response = http::Response::builder()
            .status(status)
            .header(LOCATION, location)
            .body(Vec::new())
            .unwrap();
        reqwest::Response::from(response)
    }

    fn first(method: Method) -> (Hop, Url) {
        let url = Url::parse("https://api.example.com/a").unwrap();
        (Hop::first(method, url.clone()), url)
    }

    #[test]
    fn credentials_stay_with_their_origin_even_when_the_chain_comes_back() {
        let (hop, url) = first(Method::GET);
        let policy = Redirects::default();
        let same = hop
            .next(&redirect(302, "/b"), &url, policy, 0, true)
            .unwrap();
        assert!(same.trusted);
        assert_eq!(same.url.as_str(), "https://api.example.com/b");
        let away = same
            .next(
                &redirect(302, "https://elsewhere.example/c"),
                &url,
                policy,
                1,
                true,
            )
            .unwrap();
        assert!(!away.trusted);
        let back = away
            .next(
                &redirect(302, "https://api.example.com/d"),
                &url,
                policy,
                2,
                true,
            )
            .unwrap();
        assert!(!back.trusted, "once it left the origin");
    }

    #[test]
    fn the_policy_limits_where_and_how_many() {
        let (hop, url) = first(Method::GET);
        let away = redirect(301, "https://elsewhere.example/");
        assert!(hop
            .next(&away, &url, Redirects::SameOrigin(5), 0, true)
            .is_none());
        assert!(hop.next(&away, &url, Redirects::Never, 0, true).is_none());
        assert!(hop
            .next(&away, &url, Redirects::AnyOrigin(3), 3, true)
            .is_none());
        let other_scheme = redirect(302, "file:///etc/passwd");
        assert!(hop
            .next(&other_scheme, &url, Redirects::default(), 0, true)
            .is_none());
        assert!(hop
            .next(&redirect(300, "/x"), &url, Redirects::default(), 0, true)
            .is_none());
    }

    #[test]
    fn methods_and_bodies_change_as_browsers_change_them() {
        let (post, url) = first(Method::POST);
        let policy = Redirects::default();
        let see_other = post
            .next(&redirect(303, "/b"), &url, policy, 0, true)
            .unwrap();
        assert_eq!((see_other.method, see_other.body), (Method::GET, false));
        let found = post
            .next(&redirect(302, "/b"), &url, policy, 0, true)
            .unwrap();
        assert_eq!((found.method, found.body), (Method::GET, false));
        let temporary = post
            .next(&redirect(307, "/b"), &url, policy, 0, true)
            .unwrap();
        assert_eq!((temporary.method, temporary.body), (Method::POST, true));
        // A streamed body is sent once: the 307 is the answer.
        assert!(post
            .next(&redirect(307, "/b"), &url, policy, 0, false)
            .is_none());
    }
}
