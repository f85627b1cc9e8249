//! [`Core`], what a client holds (inside the generated crate's `Client`): the base URL,
//! what sends the requests, credentials, client-level headers and limits; and the start of
//! each request.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::Arc;

use reqwest::header::HeaderMap;
use reqwest::{Method, Url};

use crate::redirect::Redirects;

use super::*;

/// What a client holds: the base URL, what sends the requests, credentials, stored header
/// values and limits. The generated crate's `Client` wraps one and documents its methods.
#[derive(Debug, Clone)]
pub struct Core {
    pub(crate) base_url: Url,
    pub(crate) transport: Transport,
    /// Credentials by security scheme (its name in the spec), set once, sent where an
    /// operation requires them.
    pub(crate) credentials: Arc<BTreeMap<&'static str, Credential>>,
    pub(crate) client_headers: ClientHeaders,
    /// Whether and how failed calls are tried again; off unless set.
    pub(crate) retry: Option<Retry>,
    /// The largest reply body read, in bytes.
    pub(crate) max_response_bytes: usize,
    /// How many times in a row an event stream that ends is opened again; 0: never.
    pub event_reconnect: u32,
    pub(crate) redirects: Redirects,
    /// The time limit of a call that sets none of its own; `None`: no limit.
    pub(crate) timeout: Option<std::time::Duration>,
}

/// The largest reply body a client reads unless told otherwise: 64 MiB.
const MAX_RESPONSE_BYTES: usize = 64 << 20;

/// A call's time limit unless the client or the call sets another: long enough for any
/// ordinary API call on a slow link, short enough that a server that stalls (or sends its
/// answer a byte at a time) does not hold the caller for ever. Larger transfers set their
/// own, or stream.
const TIMEOUT: std::time::Duration = std::time::Duration::from_secs(60);

/// How long [`Core::new`]'s client waits for a connection: a host that has not answered
/// within 10 s is unreachable, and failing then leaves a retry time to try again.
#[cfg(not(target_arch = "wasm32"))]
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// What sends the requests: your `reqwest::Client`, or, with the crate's `middleware`
/// feature, a `reqwest_middleware` chain around one.
#[derive(Debug, Clone)]
pub(crate) enum Transport {
    Plain(reqwest::Client),
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
}

impl Transport {
    /// The `reqwest::Client` underneath.
    pub(crate) fn http(&self) -> &reqwest::Client {
        match self {
            Transport::Plain(http) => http,
            #[cfg(feature = "middleware")]
            Transport::Middleware(chain) => chain.as_ref(),
        }
    }

    pub(crate) async fn execute(
        &self,
        request: reqwest::Request,
    ) -> Result<reqwest::Response, Error> {
        match self {
            Transport::Plain(http) => http.execute(request).await.map_err(Error::Transport),
            #[cfg(feature = "middleware")]
            Transport::Middleware(chain) => chain.execute(request).await.map_err(|e| match e {
                reqwest_middleware::Error::Reqwest(e) => Error::Transport(e),
                reqwest_middleware::Error::Middleware(e) => Error::Middleware(e.into()),
            }),
        }
    }
}

/// A credential for one security scheme. `Debug` never shows its value.
#[derive(Clone)]
pub enum Credential {
    /// An API key sent as this header, query parameter or cookie.
    Header(&'static str, String),
    Query(&'static str, String),
    Cookie(&'static str, String),
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic ...`.
    Basic(String, String),
    /// `Authorization: Bearer <token>`, the token from a [`TokenSource`], cached and shared
    /// by every clone of the client.
    Source(Arc<TokenCache>),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Credential::Header(name, _) => format!("header {name}"),
            Credential::Query(name, _) => format!("query {name}"),
            Credential::Cookie(name, _) => format!("cookie {name}"),
            Credential::Bearer(_) => "bearer".to_owned(),
            Credential::Basic(user, _) => format!("basic {user}"),
            Credential::Source(_) => "token source".to_owned(),
        };
        write!(f, "Credential({kind}, <redacted>)")
    }
}

/// Header values stored on the client (session tokens, API keys), by header name. Their
/// `Debug` form names the headers and hides the values, so logging a client leaks no secret.
#[derive(Clone, Default)]
pub(crate) struct ClientHeaders(Vec<(&'static str, String)>);

impl fmt::Debug for ClientHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

impl Core {
    // The crate's `Client` documents these methods for its users.

    pub fn new(base_url: &str) -> Result<Self, Error> {
        let http = Self::http_builder().build().map_err(Error::Transport)?;
        Self::with_http_client(base_url, http)
    }

    /// What [`Core::new`] builds its `reqwest::Client` with: reqwest follows no redirect
    /// (the runtime does, keeping credentials to their origin), sends no `Referer`, and
    /// gives up connecting after 10 s. In a browser, the Fetch API does all three its own
    /// way, and the builder is reqwest's default.
    pub fn http_builder() -> reqwest::ClientBuilder {
        #[cfg(not(target_arch = "wasm32"))]
        return reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(CONNECT_TIMEOUT);
        #[cfg(target_arch = "wasm32")]
        reqwest::Client::builder()
    }

    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error> {
        Self::with_transport(base_url, Transport::Plain(http))
    }

    #[cfg(feature = "middleware")]
    pub fn with_middleware(
        base_url: &str,
        http: reqwest_middleware::ClientWithMiddleware,
    ) -> Result<Self, Error> {
        Self::with_transport(base_url, Transport::Middleware(http))
    }

    fn with_transport(base_url: &str, transport: Transport) -> Result<Self, Error> {
        let base_url = Url::parse(base_url)
            .map_err(|e| Error::InvalidRequest(format!("base URL {base_url:?}: {e}")))?;
        if base_url.cannot_be_a_base() {
            return Err(Error::InvalidRequest(format!(
                "base URL {base_url} cannot have a path"
            )));
        }
        Ok(Core {
            base_url,
            transport,
            credentials: Arc::default(),
            client_headers: ClientHeaders::default(),
            retry: None,
            max_response_bytes: MAX_RESPONSE_BYTES,
            event_reconnect: 0,
            redirects: Redirects::default(),
            timeout: Some(TIMEOUT),
        })
    }

    pub fn with_redirects(mut self, redirects: Redirects) -> Self {
        self.redirects = redirects;
        self
    }

    pub fn with_timeout(mut self, timeout: Option<std::time::Duration>) -> Self {
        self.timeout = timeout;
        self
    }

    pub fn timeout(&self) -> Option<std::time::Duration> {
        self.timeout
    }

    pub fn with_max_response_bytes(mut self, bytes: usize) -> Self {
        self.max_response_bytes = bytes;
        self
    }

    pub fn with_retry(mut self, retry: Retry) -> Self {
        self.retry = Some(retry);
        self
    }

    /// Keeps `credential` for the security scheme named `scheme` in the spec.
    pub fn set_credential(&mut self, scheme: &'static str, credential: Credential) {
        Arc::make_mut(&mut self.credentials).insert(scheme, credential);
    }

    pub fn base_url(&self) -> &Url {
        &self.base_url
    }

    /// An endpoint's URL as the spec writes it (an OAuth 2 token URL), resolved against the
    /// base URL when relative.
    pub fn endpoint(&self, url: &str) -> Result<String, Error> {
        self.base_url
            .join(url)
            .map(String::from)
            .map_err(|e| Error::InvalidRequest(format!("the endpoint {url:?}: {e}")))
    }

    /// Stores (or, with `None`, removes) a header value the operations taking that header send
    /// when a call passes none.
    pub fn set_client_header(&mut self, name: &'static str, value: Option<String>) {
        self.client_headers
            .0
            .retain(|(n, _)| !n.eq_ignore_ascii_case(name));
        if let Some(value) = value {
            self.client_headers.0.push((name, value));
        }
    }

    /// The value to send for a client-level header: the call's own if it gives one, else
    /// the stored one (compared case-insensitively, as HTTP does), else none.
    pub fn client_header<'a>(&'a self, name: &str, given: Option<&'a str>) -> Option<&'a str> {
        if given.is_some() {
            return given;
        }
        self.client_headers
            .0
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, value)| value.as_str())
    }

    pub fn http_client(&self) -> &reqwest::Client {
        self.transport.http()
    }

    /// Starts a request to the base URL plus `path`, the operation's path as the spec
    /// writes it (`items/item-{}.json`, `files/{}.{}`) with each `{}` a parameter, taking `values` in order.
    /// A value is percent-encoded whole (everything but letters, digits and `-._~`, as RFC
    /// 6570 expands `{name}`), so the server reads back exactly the value sent. A value that
    /// no encoding keeps (`.` and `..`, which URLs read as steps in the path, or an empty
    /// value taking a whole segment, which many routers read as the path without it) makes
    /// `send` fail before anything is sent: never a request to another path.
    pub fn request(&self, method: Method, path: &str, values: &[&dyn PathValue]) -> Request {
        self.request_from(&self.base_url, method, path, values)
    }

    /// A request for an operation with a server of its own (`server`, an absolute URL),
    /// which it goes to while the client's base URL is one of the document's servers
    /// (`spec_servers`, templates whose `{variables}` match any text); a client pointed
    /// anywhere else (a mock, a proxy) sends it there, as every other call.
    pub fn request_on(
        &self,
        server: &str,
        spec_servers: &[&str],
        method: Method,
        path: &str,
        values: &[&dyn PathValue],
    ) -> Request {
        let base = self.base_url.as_str();
        if !spec_servers
            .iter()
            .any(|template| matches_template(template, base))
        {
            return self.request(method, path, values);
        }
        match Url::parse(server) {
            Ok(url) => self.request_from(&url, method, path, values),
            Err(e) => {
                let mut request = self.request(method, path, values);
                request.fail(format!("the operation's server {server:?}: {e}"));
                request
            }
        }
    }

    fn request_from(
        &self,
        base: &Url,
        method: Method,
        path: &str,
        values: &[&dyn PathValue],
    ) -> Request {
        let mut url = base.clone();
        let base = url.path();
        let mut full = base.strip_suffix('/').unwrap_or(base).to_owned();
        let mut values = values.iter();
        let mut error = None;
        for segment in path.split('/') {
            full.push('/');
            // A segment may hold several values (`{}.{}`).
            let mut pieces = segment.split("{}");
            let mut text = pieces.next().unwrap_or_default().to_owned();
            let mut has_value = false;
            for piece in pieces {
                has_value = true;
                match values.next().map(|v| v.path_text()) {
                    Some(Ok(value)) => text.push_str(&value),
                    Some(Err(e)) => {
                        error.get_or_insert_with(|| {
                            Error::InvalidRequest(format!("a path parameter: {e}"))
                        });
                    }
                    None => {}
                }
                text.push_str(piece);
            }
            if !has_value {
                full.push_str(segment);
                continue;
            }
            if text.is_empty() {
                error.get_or_insert_with(|| {
                    Error::InvalidRequest(
                        "a path parameter is empty: the request would go to another path"
                            .to_owned(),
                    )
                });
            } else if is_dot_segment(&text) {
                error.get_or_insert_with(|| {
                    Error::InvalidRequest(format!(
                        "the path segment {text:?} cannot be sent: URLs read it as a step in the path, which would change the path"
                    ))
                });
            }
            full.push_str(&text);
        }
        // Percent-encodes what the spec's own text holds that a path may not; values are
        // encoded already.
        url.set_path(&full);
        self.request_to(method, url, error)
    }

    /// A request to the base URL itself, path and query as given: a webhook or callback
    /// goes to exactly the URL its subscriber gave.
    pub fn request_at_base(&self, method: Method) -> Request {
        self.request_to(method, self.base_url.clone(), None)
    }

    fn request_to(&self, method: Method, url: Url, error: Option<Error>) -> Request {
        Request {
            transport: self.transport.clone(),
            credentials: self.credentials.clone(),
            basic: None,
            bearer: None,
            scopes: &[],
            method,
            url,
            headers: HeaderMap::new(),
            cookies: Vec::new(),
            body: None,
            timeout: None,
            client_timeout: self.timeout,
            redirects: self.redirects,
            stream_success: false,
            stream_statuses: &[],
            stream_media: &[],
            event_reconnect: self.event_reconnect,
            stream: None,
            retry: self.retry,
            max_response_bytes: self.max_response_bytes,
            error,
            reserved: false,
        }
    }
}

/// Whether `url` is what `template` gives with some value for each `{variable}` (text without
/// `/`), a trailing `/` aside.
fn matches_template(template: &str, url: &str) -> bool {
    let (template, url) = (template.trim_end_matches('/'), url.trim_end_matches('/'));
    let mut pieces = template.split('{');
    let first = pieces.next().unwrap_or_default();
    let Some(mut rest) = url.strip_prefix(first) else {
        return false;
    };
    for piece in pieces {
        // `name}literal`: a value, then the literal.
        let literal = piece.split_once('}').map_or("", |(_, literal)| literal);
        let value_end = rest.find('/').unwrap_or(rest.len());
        let found = if literal.is_empty() {
            Some(value_end)
        } else {
            rest[..].find(literal).filter(|at| *at <= value_end)
        };
        let Some(at) = found else {
            return false;
        };
        rest = &rest[at + literal.len()..];
    }
    rest.is_empty()
}

#[cfg(test)]
mod tests {
    use super::matches_template;

    #[test]
    fn a_base_url_is_one_of_the_documents_servers_whatever_its_variables() {
        assert!(matches_template(
            "https://api.box.com/2.0",
            "https://api.box.com/2.0/"
        ));
        assert!(matches_template(
            "https://{region}.sentry.io",
            "https://de.sentry.io/"
        ));
        assert!(matches_template(
            "https://{host}:{port}/v1",
            "https://example.com:8443/v1"
        ));
        assert!(matches_template(
            "https://{yourOktaDomain}",
            "https://acme.okta.com/"
        ));
        // Elsewhere: a mock on loopback, another host, another path.
        assert!(!matches_template(
            "https://api.box.com/2.0",
            "http://127.0.0.1:4010/"
        ));
        assert!(!matches_template(
            "https://{region}.sentry.io",
            "https://sentry.io.evil.test/"
        ));
        assert!(!matches_template(
            "https://{host}/v1",
            "https://example.com/v2"
        ));
        assert!(!matches_template(
            "https://{host}/v1",
            "https://example.com/a/v1"
        ));
    }
}
