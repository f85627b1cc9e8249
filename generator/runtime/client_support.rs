//! What every operation of the client needs: the client's settings ([`Core`], inside the
//! crate's `Client`), building a request, sending it and reading the reply. The same in every
//! generated crate, and compiled once, with the crate's dependencies.

use std::collections::BTreeMap;
use std::fmt;
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue, CONTENT_TYPE, COOKIE};
use reqwest::{Method, Url};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::binary::{Binary, SyncBody};
use crate::media::sent;
pub use crate::problem::Problem;
use crate::redirect::Hop;
use crate::style::{self, Parts};
pub use crate::style::Style;
pub use crate::redirect::Redirects;

/// What a client holds: the base URL, what sends the requests, credentials, stored header
/// values and limits. The generated crate's `Client` wraps one and documents its methods.
#[doc(hidden)]
#[derive(Debug, Clone)]
pub struct Core {
    base_url: Url,
    transport: Transport,
    /// Credentials by security scheme (its name in the spec), set once, sent where an
    /// operation requires them.
    credentials: Arc<BTreeMap<&'static str, Credential>>,
    client_headers: ClientHeaders,
    /// Whether and how failed calls are tried again; off unless set.
    retry: Option<Retry>,
    /// The largest reply body read, in bytes.
    max_response_bytes: usize,
    /// How many times in a row an event stream that ends is opened again; 0: never.
    pub event_reconnect: u32,
    redirects: Redirects,
    /// The time limit of a call that sets none of its own; `None`: no limit.
    timeout: Option<std::time::Duration>,
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
const CONNECT_TIMEOUT: std::time::Duration = std::time::Duration::from_secs(10);

/// How the client tries a call again after a failure it may be worth repeating: no
/// answer (a connection refused, a timeout), or `408`, `429`, `500`, `502`, `503`, `504`.
///
/// Only requests that may safely arrive twice are repeated: `GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`, `TRACE`, or any request carrying an `Idempotency-Key`
/// (`Call::with_idempotency_key`). The wait between tries doubles from `initial_backoff`
/// up to `max_backoff`, each wait a random part of that (full jitter), unless the answer
/// says how long to wait with `Retry-After` (seconds or an HTTP date), which is honoured.
/// Every try sends the same body. Once `max_attempts` tries are spent, or the next wait
/// would pass `max_elapsed` since the first, the last answer or error is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all, the first one included.
    pub max_attempts: u32,
    pub initial_backoff: std::time::Duration,
    pub max_backoff: std::time::Duration,
    /// The longest time from the first try to the start of the last.
    pub max_elapsed: std::time::Duration,
}

impl Default for Retry {
    /// 3 tries, waits from 100 ms to 5 s, within 30 s.
    fn default() -> Self {
        Retry {
            max_attempts: 3,
            initial_backoff: std::time::Duration::from_millis(100),
            max_backoff: std::time::Duration::from_secs(5),
            max_elapsed: std::time::Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// Whether an answer with this status may be worth a new try.
    fn retries_status(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The wait before try number `attempt` (1 is the first retry): a random part of the
    /// doubled backoff.
    fn backoff(&self, attempt: u32) -> std::time::Duration {
        use std::hash::{BuildHasher, Hasher};
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        // A fresh `RandomState` is randomly keyed: enough randomness for spreading retries.
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        ceiling.mul_f64((random % 1_000_000) as f64 / 1_000_000.0)
    }
}

/// The wait a `Retry-After` header asks for: delay seconds, or an HTTP date.
fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    let at = httpdate::parse_http_date(value).ok()?;
    Some(
        at.duration_since(std::time::SystemTime::now())
            .unwrap_or_default(),
    )
}

/// What sends the requests: your `reqwest::Client`, or, with the crate's `middleware`
/// feature, a `reqwest_middleware` chain around one.
#[derive(Debug, Clone)]
enum Transport {
    Plain(reqwest::Client),
    #[cfg(feature = "middleware")]
    Middleware(reqwest_middleware::ClientWithMiddleware),
}

impl Transport {
    /// The `reqwest::Client` underneath.
    fn http(&self) -> &reqwest::Client {
        match self {
            Transport::Plain(http) => http,
            #[cfg(feature = "middleware")]
            Transport::Middleware(chain) => chain.as_ref(),
        }
    }

    async fn execute(&self, request: reqwest::Request) -> Result<reqwest::Response, Error> {
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
#[doc(hidden)]
pub enum Credential {
    /// An API key sent as this header, query parameter or cookie.
    Header(&'static str, String),
    Query(&'static str, String),
    Cookie(&'static str, String),
    /// `Authorization: Bearer <token>`.
    Bearer(String),
    /// `Authorization: Basic ...`.
    Basic(String, String),
}

impl fmt::Debug for Credential {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let kind = match self {
            Credential::Header(name, _) => format!("header {name}"),
            Credential::Query(name, _) => format!("query {name}"),
            Credential::Cookie(name, _) => format!("cookie {name}"),
            Credential::Bearer(_) => "bearer".to_owned(),
            Credential::Basic(user, _) => format!("basic {user}"),
        };
        write!(f, "Credential({kind}, <redacted>)")
    }
}

/// Header values stored on the client (session tokens, API keys), by header name. Their
/// `Debug` form names the headers and hides the values, so logging a client leaks no secret.
#[derive(Clone, Default)]
struct ClientHeaders(Vec<(&'static str, String)>);

impl fmt::Debug for ClientHeaders {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_set()
            .entries(self.0.iter().map(|(name, _)| name))
            .finish()
    }
}

#[doc(hidden)]
impl Core {
    // The crate's `Client` documents these methods for its users.

    pub fn new(base_url: &str) -> Result<Self, Error> {
        let http = Self::http_builder().build().map_err(Error::Transport)?;
        Self::with_http_client(base_url, http)
    }

    /// What [`Core::new`] builds its `reqwest::Client` with: reqwest follows no redirect
    /// (the runtime does, keeping credentials to their origin), sends no `Referer`, and
    /// gives up connecting after 10 s.
    pub fn http_builder() -> reqwest::ClientBuilder {
        reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .referer(false)
            .connect_timeout(CONNECT_TIMEOUT)
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
        let mut url = self.base_url.clone();
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

/// A path parameter's value as the path takes it.
#[doc(hidden)]
pub trait PathValue {
    /// The text of its segment, percent-encoded.
    fn path_text(&self) -> Result<String, String>;
}

/// A value with a text form of its own, percent-encoded whole: every byte but letters,
/// digits and `-._~` (RFC 3986's unreserved characters), so no value adds a segment (`/`),
/// ends the path (`?`, `#`), is decoded into something else (`%`) or loses a character
/// (tab, CR and LF, which URL parsers drop).
impl<T: fmt::Display + ?Sized> PathValue for T {
    fn path_text(&self) -> Result<String, String> {
        Ok(style::encode(&self.to_string()))
    }
}

/// An array or an object written in its path style ([`path_list`], [`path_object`]): each
/// item percent-encoded, the style's separators as they are.
#[doc(hidden)]
pub struct Styled(Result<String, String>);

impl PathValue for Styled {
    fn path_text(&self) -> Result<String, String> {
        self.0.clone()
    }
}

/// A method reqwest has no constant for (OpenAPI 3.2's `QUERY`, an `additionalOperations`
/// entry such as `COPY`), from its name. The generator takes only names that are HTTP
/// tokens, which are what `from_bytes` accepts.
#[doc(hidden)]
pub fn extension_method(name: &'static [u8]) -> Method {
    Method::from_bytes(name).expect("the generator takes only method names that are tokens")
}

/// An array path parameter `name` in the `simple`, `label` or `matrix` style.
pub fn path_list<T: ToString>(name: &str, values: &[T], style: Style, explode: bool) -> Styled {
    let items = values.iter().map(|v| path_item(&v.to_string(), style, explode));
    let parts = Parts::List(items.collect());
    Styled(Ok(style::write_text(name, &parts, style, explode)))
}

/// An object path parameter `name` in the `simple`, `label` or `matrix` style.
pub fn path_object<T: Serialize + ?Sized>(
    name: &str,
    value: &T,
    style: Style,
    explode: bool,
) -> Styled {
    Styled(style::object_parts(value).map(|properties| {
        let encoded = properties
            .into_iter()
            .map(|(p, v)| (path_item(&p, style, explode), path_item(&v, style, explode)));
        style::write_text(name, &Parts::Object(encoded.collect()), style, explode)
    }))
}

/// An item of a styled path value, percent-encoded; in the `label` style exploded, whose
/// separator is `.`, dots too, so an item holding one arrives whole.
fn path_item(text: &str, style: Style, explode: bool) -> String {
    let encoded = style::encode(text);
    if style == Style::Label && explode {
        encoded.replace('.', "%2E")
    } else {
        encoded
    }
}

/// Whether URLs read `segment` as `.` or `..` (also written `%2e`), a step that removes
/// itself or the segment before it.
fn is_dot_segment(segment: &str) -> bool {
    let dots = segment.to_ascii_lowercase().replace("%2e", ".");
    dots == "." || dots == ".."
}

/// The inputs of one operation, ready to send: each `crate::requests` type is one.
///
/// `Client::send` sends any of them; each operation's method on `Client` starts a `Call`
/// with its required inputs, to which the optional ones are added by name.
pub trait Operation {
    /// The operation's answer: one variant per status the spec declares.
    type Response;

    /// The operation's name in the spec (its `operationId`).
    const OPERATION: &'static str;

    /// The operation's path template in the spec (`/pets/{petId}`).
    const PATH: &'static str;

    /// The HTTP request carrying these inputs.
    #[doc(hidden)]
    fn build(&self, client: &Core) -> Request;

    /// The answer in a reply; an undeclared status or a body that does not decode is an
    /// [`Error`] holding the whole reply.
    #[doc(hidden)]
    fn decode(reply: Reply) -> Result<Self::Response, Error>;
}

/// A call's own options, beside its operation's: extra headers and a time limit.
#[doc(hidden)]
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Headers of this call only, set after the operation's own.
    pub headers: Vec<(String, String)>,
    pub timeout: Option<std::time::Duration>,
}

impl Options {
    /// The request carrying `inputs` through `client`, with these options.
    fn request<O: Operation>(&self, client: &Core, inputs: &O) -> Request {
        let mut request = inputs.build(client);
        for (name, value) in &self.headers {
            request.header(name, Some(value));
        }
        request.timeout = self.timeout;
        request
    }
}

#[doc(hidden)]
impl Core {
    /// Sends one operation's inputs with `options` and decodes the answer.
    pub async fn send<O: Operation>(
        &self,
        inputs: &O,
        options: &Options,
    ) -> Result<O::Response, Error> {
        send_request::<O, _>(options.request(self, inputs), O::decode).await
    }

    /// Sends one operation's inputs with `options` and hands back the body of a success
    /// (`2xx`) as it arrives; any other status is read whole and decoded.
    pub async fn send_streaming<O: Operation>(
        &self,
        inputs: &O,
        options: &Options,
    ) -> Result<Streamed<O::Response>, Error> {
        let mut request = options.request(self, inputs);
        request.stream_success = true;
        send_request::<O, _>(request, |mut reply| match reply.unread.take() {
            Some(response) => Ok(Streamed::Body(Box::new(ByteStream {
                status: reply.status,
                headers: reply.headers,
                response,
            }))),
            None => O::decode(reply).map(Streamed::Answer),
        })
        .await
    }

    /// Every item of every page, as a stream: the first page is asked for with `inputs` and
    /// `options`, each next one as the operation's pages say.
    pub fn items<O: Paginated>(&self, inputs: O, options: Options) -> Items<O::Item>
    where
        O::Item: Send + 'static,
    {
        let paging = Paging {
            client: self.clone(),
            options,
            next: Next::Inputs(inputs),
            last: None,
            items: Vec::new().into_iter(),
        };
        Items(Box::pin(futures_util::stream::unfold(
            paging,
            |mut paging| async move { paging.next().await.map(|item| (item, paging)) },
        )))
    }
}

/// Sends an operation's request and makes the answer of the reply with `finish`; with the
/// crate's `tracing` feature, inside a span `operation` naming it, its method and path
/// template, and the status.
// `O` names the operation in the span: without `tracing`, it has nothing else to do.
#[cfg_attr(not(feature = "tracing"), allow(clippy::extra_unused_type_parameters))]
async fn send_request<O: Operation, T>(
    request: Request,
    finish: impl FnOnce(Reply) -> Result<T, Error>,
) -> Result<T, Error> {
    #[cfg(feature = "tracing")]
    {
        use tracing::Instrument;
        let span = tracing::info_span!(
            "operation",
            side = "client",
            operation = O::OPERATION,
            method = %request.method,
            path = O::PATH,
            status = tracing::field::Empty,
        );
        let reply = request.send().instrument(span.clone()).await?;
        span.record("status", reply.status);
        finish(reply)
    }
    #[cfg(not(feature = "tracing"))]
    finish(request.send().await?)
}

/// An operation whose answers come in pages: `Call::items` reads every item of every page.
pub trait Paginated: Operation + Clone + PartialEq + Send + 'static {
    /// The type of one item.
    type Item;

    /// The items of an answer and where the next page is; `None` when the answer is not a
    /// page.
    #[doc(hidden)]
    fn page(&self, response: Self::Response) -> Option<Page<Self, Self::Item>>;
}

/// One page: its items, and where the next one is.
#[doc(hidden)]
pub struct Page<O, T> {
    items: Vec<T>,
    next: Next<O>,
}

enum Next<O> {
    /// The inputs of the next page.
    Inputs(O),
    /// The next page's URL, absolute or relative to the page's.
    Url(String),
    End,
}

impl<O, T> Page<O, T> {
    /// The next page is asked for with `next`.
    pub fn inputs(items: Vec<T>, next: Option<O>) -> Self {
        let next = next.map_or(Next::End, Next::Inputs);
        Page { items, next }
    }

    /// The next page is at `next` (none, or empty: this is the last).
    pub fn url(items: Vec<T>, next: Option<&str>) -> Self {
        let next = next
            .filter(|url| !url.is_empty())
            .map_or(Next::End, |url| Next::Url(url.to_owned()));
        Page { items, next }
    }

    /// The next page is the `rel="next"` link of a `Link` header (RFC 8288).
    pub fn link(items: Vec<T>, link: Option<&str>) -> Self {
        Self::url(items, link.and_then(next_link))
    }
}

/// The target of the `rel="next"` link of a `Link` header:
/// `<https://api.example.com/items?page=2>; rel="next", <...>; rel="last"`.
fn next_link(header: &str) -> Option<&str> {
    let mut rest = header;
    while let Some(start) = rest.find('<') {
        let end = start + rest[start..].find('>')?;
        let target = &rest[start + 1..end];
        rest = &rest[end + 1..];
        let params = &rest[..rest.find('<').unwrap_or(rest.len())];
        let next = params.split([';', ',']).any(|param| {
            param.split_once('=').is_some_and(|(key, value)| {
                key.trim().eq_ignore_ascii_case("rel")
                    && value
                        .trim()
                        .trim_matches('"')
                        .split_ascii_whitespace()
                        .any(|rel| rel.eq_ignore_ascii_case("next"))
            })
        });
        if next {
            return Some(target);
        }
    }
    None
}

/// Every item of every page of a call, read page after page as the stream is read: see
/// `Call::items`. A `futures_core::Stream`; [`next`](Items::next) reads it without any
/// stream extension trait.
pub struct Items<T>(std::pin::Pin<Box<dyn futures_core::Stream<Item = Result<T, Error>> + Send>>);

impl<T> Items<T> {
    /// The next item, or `None` after the last page's last item.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| self.0.as_mut().poll_next(cx)).await
    }
}

impl<T> futures_core::Stream for Items<T> {
    type Item = Result<T, Error>;

    fn poll_next(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        self.0.as_mut().poll_next(cx)
    }
}

impl<T> fmt::Debug for Items<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Items(stream)")
    }
}

/// Pages being read.
struct Paging<O: Paginated> {
    client: Core,
    /// The call's own options, sent with every page.
    options: Options,
    next: Next<O>,
    /// The inputs and URL of the page read last.
    last: Option<(O, Url)>,
    /// What is left of that page.
    items: std::vec::IntoIter<O::Item>,
}

impl<O: Paginated> Paging<O> {
    async fn next(&mut self) -> Option<Result<O::Item, Error>> {
        loop {
            if let Some(item) = self.items.next() {
                return Some(Ok(item));
            }
            let (inputs, url) = match std::mem::replace(&mut self.next, Next::End) {
                Next::End => return None,
                Next::Inputs(inputs) => (inputs, None),
                Next::Url(url) => {
                    let (inputs, _) = self.last.clone()?;
                    (inputs, Some(url))
                }
            };
            let mut request = self.options.request(&self.client, &inputs);
            if let Some(url) = url {
                request.set_url(&url);
            }
            // A next page that is the same as the last would never end.
            if let Some((last_inputs, last_url)) = &self.last {
                if request.error.is_none() && *last_inputs == inputs && *last_url == request.url {
                    return None;
                }
            }
            let url = request.url.clone();
            let reply = match send_request::<O, _>(request, Ok).await {
                Ok(reply) => reply,
                Err(e) => return Some(Err(e)),
            };
            let kept = reply.kept();
            let page = match O::decode(reply) {
                Ok(response) => inputs.page(response),
                Err(e) => return Some(Err(e)),
            };
            let Some(page) = page else {
                return Some(Err(unexpected(kept)));
            };
            if !page.items.is_empty() {
                self.next = page.next;
            }
            self.items = page.items.into_iter();
            self.last = Some((inputs, url));
        }
    }
}

/// The answer to `Call::send_streaming`.
#[derive(Debug)]
pub enum Streamed<R> {
    /// A success, its body to be read as it arrives.
    Body(Box<ByteStream>),
    /// Any other status, read whole and decoded.
    Answer(R),
}

/// The reply to a streamed call: status and headers read, the body read part by part.
#[derive(Debug)]
pub struct ByteStream {
    status: u16,
    headers: HeaderMap,
    response: reqwest::Response,
}

impl ByteStream {
    pub fn status(&self) -> u16 {
        self.status
    }

    pub fn headers(&self) -> &HeaderMap {
        &self.headers
    }

    /// The next part of the body as it arrived, or `None` at its end.
    pub async fn chunk(&mut self) -> Result<Option<bytes::Bytes>, Error> {
        self.response.chunk().await.map_err(Error::Transport)
    }

    /// The `reqwest::Response` underneath, for its own ways of reading (`bytes_stream`
    /// with reqwest's `stream` feature, say).
    pub fn into_response(self) -> reqwest::Response {
        self.response
    }
}

/// A request being built for one operation.
#[doc(hidden)]
pub struct Request {
    transport: Transport,
    credentials: Arc<BTreeMap<&'static str, Credential>>,
    basic: Option<(String, String)>,
    method: Method,
    url: Url,
    headers: HeaderMap,
    cookies: Vec<String>,
    /// Encoded once: each try sends these bytes (a shared buffer, not a copy).
    body: Option<(String, bytes::Bytes)>,
    /// The call's own time limit, for the whole exchange.
    timeout: Option<std::time::Duration>,
    /// The client's, where the call sets none: for the whole exchange too, except for a
    /// reply left unread for the caller to stream, which it limits until its head arrives.
    client_timeout: Option<std::time::Duration>,
    redirects: Redirects,
    /// A streamed body, sent once (a request with one is never tried again).
    stream: Option<(String, SyncBody)>,
    /// Whether a success's body is left unread, for the caller to stream.
    stream_success: bool,
    /// The statuses whose (binary) body is left unread, for the caller to stream.
    stream_statuses: &'static [u16],
    /// The media types (an event stream, sequential JSON) whose reply is left unread, to be
    /// read item by item.
    stream_media: &'static [&'static str],
    /// How many times in a row an event stream may be opened again.
    pub event_reconnect: u32,
    retry: Option<Retry>,
    max_response_bytes: usize,
    /// The first problem met while building; reported by `send`.
    error: Option<Error>,
    /// Whether query values being added keep RFC 3986's reserved characters
    /// ([`with_reserved`](Request::with_reserved)).
    reserved: bool,
}

impl Request {
    /// Applies the credentials of the first requirement the client can meet: `alternatives`
    /// lists sets of scheme names, any one of which suffices (an empty set means none are
    /// needed). With no requirement met, the request goes without credentials and the server
    /// answers as it sees fit.
    pub fn security(&mut self, alternatives: &[&[&str]]) {
        let credentials = self.credentials.clone();
        let met = alternatives.iter().find(|set| {
            !set.is_empty() && set.iter().all(|scheme| credentials.contains_key(scheme))
        });
        for scheme in met.into_iter().flat_map(|set| set.iter()) {
            match credentials.get(scheme) {
                Some(Credential::Header(name, value)) => self.secret_header(name, value),
                Some(Credential::Query(name, value)) => self.query(name, Some(value)),
                Some(Credential::Cookie(name, value)) => self.cookie(name, Some(value)),
                Some(Credential::Bearer(token)) => {
                    self.secret_header("authorization", &format!("Bearer {token}"))
                }
                Some(Credential::Basic(user, password)) => {
                    self.basic = Some((user.clone(), password.clone()));
                }
                None => {}
            }
        }
    }

    /// Sets a header marked sensitive, so it is never logged or shown.
    fn secret_header(&mut self, name: &str, value: &str) {
        match (HeaderName::try_from(name), HeaderValue::try_from(value)) {
            (Ok(name), Ok(mut value)) => {
                value.set_sensitive(true);
                self.headers.insert(name, value);
            }
            _ => self.fail(format!("credential for {name}: not valid in a header")),
        }
    }

    /// Adds a query parameter, or nothing for `None`.
    pub fn query<T: ToString + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            let pair = (style::encode(name), self.query_text(&value.to_string()));
            self.push_query(vec![pair]);
        }
    }

    /// Adds the query parameters `add` adds with RFC 3986's reserved characters kept as
    /// they are (`allowReserved`), but for those that would change what the query says.
    pub fn with_reserved(&mut self, add: impl FnOnce(&mut Self)) {
        self.reserved = true;
        add(self);
        self.reserved = false;
    }

    /// A query value (or item, or property) percent-encoded.
    fn query_text(&self, text: &str) -> String {
        if self.reserved {
            style::encode_reserved(text)
        } else {
            style::encode(text)
        }
    }

    /// Appends pairs, already encoded, to the query.
    fn push_query(&mut self, pairs: Vec<(String, String)>) {
        let pieces: Vec<String> = pairs
            .into_iter()
            .map(|(name, value)| format!("{name}={value}"))
            .collect();
        self.push_query_text(pieces);
    }

    /// Appends pieces of query text, already encoded, to the query, `&` between them.
    fn push_query_text(&mut self, pieces: Vec<String>) {
        if pieces.is_empty() {
            return;
        }
        let mut query = self.url.query().unwrap_or_default().to_owned();
        for piece in pieces {
            if !query.is_empty() {
                query.push('&');
            }
            query.push_str(&piece);
        }
        self.url.set_query(Some(&query));
    }

    /// Adds an array query parameter in its style: repeated (`a=1&a=2`) when exploded,
    /// else joined by the style's delimiter (`a=1,2`, `a=1%202`, `a=1|2`).
    pub fn query_list<T: ToString>(
        &mut self,
        name: &str,
        values: Option<&[T]>,
        style: Style,
        explode: bool,
    ) {
        let Some(values) = values else { return };
        let items = values.iter().map(|v| self.query_text(&v.to_string()));
        let parts = Parts::List(items.collect());
        self.push_query(style::write_pairs(
            &style::encode(name),
            parts,
            style,
            explode,
        ));
    }

    /// Adds a flat object to the query in its style: each property its own pair when
    /// exploded (`R=100&G=200`), `name[property]` pairs in the `deepObject` style, else
    /// properties and values alternating in one pair (`color=R,100,G,200`).
    pub fn query_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        style: Style,
        explode: bool,
    ) {
        let Some(value) = value else { return };
        match style::object_parts(value) {
            Ok(properties) => {
                let encoded = properties
                    .into_iter()
                    .map(|(p, v)| (self.query_text(&p), self.query_text(&v)));
                let parts = Parts::Object(encoded.collect());
                self.push_query(style::write_pairs(
                    &style::encode(name),
                    parts,
                    style,
                    explode,
                ));
            }
            Err(e) => self.fail(format!("parameter {name}: {e}")),
        }
    }

    /// Sets a header to a flat object in the `simple` style: `a=1,b=2` exploded, `a,1,b,2`
    /// not.
    pub fn header_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        explode: bool,
    ) {
        let Some(value) = value else { return };
        match style::object_parts(value) {
            Ok(properties) => {
                let parts = Parts::Object(properties);
                let text = style::write_text(name, &parts, Style::Simple, explode);
                self.header(name, Some(&text));
            }
            Err(e) => self.fail(format!("parameter {name}: {e}")),
        }
    }

    /// Adds a query parameter whose value is JSON text.
    pub fn query_json<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(text) = self.json_text(name, value) {
            self.query(name, Some(&text));
        }
    }

    /// Sets the whole query string to a value's JSON text, percent-encoded (an OpenAPI 3.2
    /// parameter `in: querystring` of JSON: `?%7B%22a%22%3A1%7D`), or nothing for `None`.
    pub fn querystring_json<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(text) = self.json_text(name, value) {
            self.push_query_text(vec![style::encode(&text)]);
        }
    }

    /// Sets a header, or nothing for `None`. A value that cannot be a header (a line break,
    /// say) makes `send` fail before anything is sent.
    pub fn header<T: ToString + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        let Some(value) = value else { return };
        match (
            HeaderName::try_from(name),
            HeaderValue::try_from(value.to_string()),
        ) {
            (Ok(name), Ok(value)) => {
                self.headers.insert(name, value);
            }
            _ => self.fail(format!("header {name}: the value is not valid in a header")),
        }
    }

    /// Sets an array header: items joined by commas.
    pub fn header_list<T: ToString>(&mut self, name: &str, values: Option<&[T]>) {
        if let Some(values) = values {
            self.header(name, Some(&join(values)));
        }
    }

    /// Sets a header whose value is JSON text.
    pub fn header_json<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(text) = self.json_text(name, value) {
            self.header(name, Some(&text));
        }
    }

    /// Adds a cookie, or nothing for `None`.
    pub fn cookie<T: ToString + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(value) = value {
            self.cookies.push(format!("{name}={}", value.to_string()));
        }
    }

    /// Adds an array cookie in the `form` style: its items joined by commas, or each its
    /// own cookie of the same name when exploded.
    pub fn cookie_list<T: ToString>(&mut self, name: &str, values: Option<&[T]>, explode: bool) {
        let Some(values) = values else { return };
        let parts = Parts::List(values.iter().map(ToString::to_string).collect());
        for (name, value) in style::write_pairs(name, parts, Style::Form, explode) {
            self.cookie(&name, Some(&value));
        }
    }

    /// Adds an object cookie in the `form` style: properties and values alternating in
    /// one cookie (`color=R,100,G,200`), or each property its own cookie when exploded.
    pub fn cookie_object<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
        explode: bool,
    ) {
        let Some(value) = value else { return };
        match style::object_parts(value) {
            Ok(properties) => {
                let parts = Parts::Object(properties);
                for (name, value) in style::write_pairs(name, parts, Style::Form, explode) {
                    self.cookie(&name, Some(&value));
                }
            }
            Err(e) => self.fail(format!("parameter {name}: {e}")),
        }
    }

    /// Adds a cookie whose value is JSON text.
    pub fn cookie_json<T: Serialize + ?Sized>(&mut self, name: &str, value: Option<&T>) {
        if let Some(text) = self.json_text(name, value) {
            self.cookie(name, Some(&text));
        }
    }

    /// Sets a JSON body, or none for `None`.
    pub fn json<T: Serialize + ?Sized>(&mut self, content_type: &str, body: Option<&T>) {
        let Some(body) = body else { return };
        match serde_json::to_vec(body) {
            Ok(bytes) => self.body(sent(content_type, "application/json").to_owned(), bytes),
            Err(e) => self.fail(format!("request body: {e}")),
        }
    }

    /// Sets an `application/x-www-form-urlencoded` body, or none for `None`.
    pub fn form<T: Serialize + ?Sized>(&mut self, content_type: &str, body: Option<&T>) {
        let Some(body) = body else { return };
        match serde_urlencoded::to_string(body) {
            Ok(text) => self.body(content_type.to_owned(), text.into_bytes()),
            Err(e) => self.fail(format!("request body: {e}")),
        }
    }

    /// Sets a body of raw bytes (text or binary), or none for `None`.
    pub fn raw<T: AsRef<[u8]> + ?Sized>(&mut self, content_type: &str, body: Option<&T>) {
        if let Some(body) = body {
            let content_type = sent(content_type, "text/plain");
            self.body(content_type.to_owned(), body.as_ref().to_vec());
        }
    }

    /// Sets the body, encoded already.
    pub fn body(&mut self, content_type: String, bytes: Vec<u8>) {
        self.body = Some((content_type, bytes.into()));
    }

    /// Sets a binary body, bytes or a stream, or none for `None`.
    pub fn binary(&mut self, content_type: &str, body: Option<&Binary>) {
        let Some(body) = body else { return };
        let content_type = sent(content_type, "application/octet-stream");
        match body.take_stream() {
            Ok(Some(chunks)) => {
                self.stream = Some((content_type.to_owned(), SyncBody(Mutex::new(chunks))))
            }
            Ok(None) => {
                let bytes = body.as_bytes().cloned().unwrap_or_default();
                self.body = Some((content_type.to_owned(), bytes));
            }
            Err(e) => self.fail(format!("request body: {e}")),
        }
    }

    /// Leaves the body of a reply with one of these statuses unread, to be streamed: those
    /// whose declared body is binary.
    pub fn stream_binary(&mut self, statuses: &'static [u16]) {
        self.stream_statuses = statuses;
    }

    /// Leaves the body of a reply of one of these media types (`text/event-stream`,
    /// `application/jsonl`) unread, to be read item by item.
    pub fn stream_media(&mut self, media: &'static [&'static str]) {
        self.stream_media = media;
    }

    /// The same request again, to open an event stream anew (its body is never a stream:
    /// those are sent once).
    pub fn again(&self) -> Request {
        Request {
            transport: self.transport.clone(),
            credentials: self.credentials.clone(),
            basic: self.basic.clone(),
            method: self.method.clone(),
            url: self.url.clone(),
            headers: self.headers.clone(),
            cookies: Vec::new(),
            body: self.body.clone(),
            timeout: self.timeout,
            client_timeout: self.client_timeout,
            redirects: self.redirects,
            stream: None,
            stream_success: self.stream_success,
            stream_statuses: self.stream_statuses,
            stream_media: self.stream_media,
            event_reconnect: self.event_reconnect,
            retry: None,
            max_response_bytes: self.max_response_bytes,
            error: None,
            reserved: false,
        }
    }

    fn json_text<T: Serialize + ?Sized>(
        &mut self,
        name: &str,
        value: Option<&T>,
    ) -> Option<String> {
        match serde_json::to_string(value?) {
            Ok(text) => Some(text),
            Err(e) => {
                self.fail(format!("parameter {name}: {e}"));
                None
            }
        }
    }

    /// Sends the request to `next` instead (a next page's link), resolved against its URL. A
    /// URL of another origin is refused: the request carries the client's credentials. A link
    /// is followed as links are, with GET and no body: a list operation that is a POST (Azure's
    /// `x-ms-pageable` ones) names its next page so.
    pub fn set_url(&mut self, next: &str) {
        match self.url.join(next) {
            Ok(url) if url.origin() == self.url.origin() => {
                self.url = url;
                self.method = Method::GET;
                self.body = None;
                self.stream = None;
            }
            Ok(url) => self.fail(format!(
                "the next page is at another origin ({url}); the client's credentials are not sent there"
            )),
            Err(e) => self.fail(format!("the next page's URL {next:?}: {e}")),
        }
    }

    /// Records a problem met while building; `send` reports it.
    pub fn fail(&mut self, message: String) {
        self.error.get_or_insert(Error::InvalidRequest(message));
    }

    /// Sends the request and reads the whole reply, trying again as the client's [`Retry`]
    /// says.
    pub async fn send(mut self) -> Result<Reply, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if !self.cookies.is_empty() {
            match HeaderValue::try_from(self.cookies.join("; ")) {
                Ok(value) => {
                    self.headers.insert(COOKIE, value);
                }
                Err(_) => {
                    return Err(Error::InvalidRequest(
                        "a cookie value is not valid in a header".to_owned(),
                    ))
                }
            }
        }
        if let Some((content_type, stream)) = self.stream.take() {
            // A stream is sent once: there is nothing to send again.
            return self
                .send_once(Some((content_type, reqwest::Body::wrap(stream))))
                .await;
        }
        let retry = self.retry.filter(|_| {
            self.method.is_idempotent() || self.headers.contains_key("idempotency-key")
        });
        let Some(retry) = retry else {
            return self.send_once(None).await;
        };
        let start = std::time::Instant::now();
        let mut attempt = 1;
        loop {
            let outcome = self.send_once(None).await;
            let wait = match &outcome {
                Ok(reply) if Retry::retries_status(reply.status) => {
                    retry_after(&reply.headers).unwrap_or_else(|| retry.backoff(attempt))
                }
                Err(Error::Transport(e)) if e.is_connect() => retry.backoff(attempt),
                Err(e) if e.is_timeout() => retry.backoff(attempt),
                _ => return outcome,
            };
            if attempt >= retry.max_attempts || start.elapsed() + wait > retry.max_elapsed {
                return outcome;
            }
            tokio::time::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The HTTP request of one hop: credentials, headers and cookies only while the chain
    /// stayed within the origin, the body where the hop keeps it.
    fn hop(
        &self,
        hop: &Hop,
        stream: Option<(String, reqwest::Body)>,
        timeout: Option<std::time::Duration>,
    ) -> Result<reqwest::Request, Error> {
        let mut request = self
            .transport
            .http()
            .request(hop.method.clone(), hop.url.clone());
        if hop.trusted {
            request = request.headers(self.headers.clone());
            if let Some((user, password)) = &self.basic {
                request = request.basic_auth(user, Some(password));
            }
        }
        if hop.body {
            if let Some((content_type, body)) = &self.body {
                request = request
                    .header(CONTENT_TYPE, content_type.as_str())
                    .body(body.clone());
            }
            if let Some((content_type, body)) = stream {
                request = request.header(CONTENT_TYPE, content_type).body(body);
            }
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        request.build().map_err(Error::Transport)
    }

    /// One try: the same method, URL, headers and body each time; or the one try of a
    /// streamed body. Redirects are followed here, as the client's [`Redirects`] says, all
    /// within the call's time limit.
    pub async fn send_once(&self, stream: Option<(String, reqwest::Body)>) -> Result<Reply, Error> {
        // A streamed request body is sent once: such a request is never sent again.
        let once = stream.is_some();
        let mut stream = stream;
        let streamed_reply =
            self.stream_success || !self.stream_statuses.is_empty() || !self.stream_media.is_empty();
        let limit = self.timeout.or(self.client_timeout);
        // Whether the limit also covers reading the body (else only the wait for the head).
        let whole = self.timeout.is_some() || !streamed_reply;
        let start = std::time::Instant::now();
        let left = |limit: std::time::Duration| limit.saturating_sub(start.elapsed());
        let mut hop = Hop::first(self.method.clone(), self.url.clone());
        let mut followed = 0;
        let mut response = loop {
            let request = self.hop(&hop, stream.take(), limit.filter(|_| whole).map(left))?;
            let sent = request.url().clone();
            let exchange = self.transport.execute(request);
            let response = match limit.filter(|_| !whole) {
                Some(limit) => tokio::time::timeout(left(limit), exchange)
                    .await
                    .map_err(|_| Error::Timeout { limit })??,
                None => exchange.await?,
            };
            if hop.trusted && response.url().origin() != sent.origin() {
                return Err(Error::InvalidRequest(format!(
                    "the reqwest::Client followed a redirect to another origin ({}) by itself, with this call's credentials and headers; build it with redirect(reqwest::redirect::Policy::none()), as Client::http_builder does, and the client follows redirects without them",
                    response.url()
                )));
            }
            match hop.next(&response, &self.url, self.redirects, followed, !once) {
                Some(next) => {
                    hop = next;
                    followed += 1;
                }
                None => break response,
            }
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let item_by_item = self
            .stream_media
            .iter()
            .any(|media| crate::media::matches(media, content_type));
        let events = item_by_item && crate::media::matches("text/event-stream", content_type);
        if (self.stream_success && response.status().is_success())
            || self.stream_statuses.contains(&status)
            || item_by_item
        {
            // An event stream that ends may be opened again: the request is kept for that.
            let again =
                (events && self.event_reconnect > 0 && !once).then(|| Box::new(self.again()));
            return Ok(Reply {
                status,
                headers,
                body: Vec::new(),
                unread: Some(response),
                again,
                limit: self.max_response_bytes,
            });
        }
        let limit = self.max_response_bytes;
        let too_large = || Error::ResponseTooLarge { status, limit };
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        // Usually the length is announced: one allocation.
        let mut body = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            headers,
            body,
            unread: None,
            again: None,
            limit,
        })
    }
}

fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}

/// A whole reply: status, headers and body, read before decoding so that nothing is lost
/// when decoding fails.
#[doc(hidden)]
pub struct Reply {
    status: u16,
    headers: HeaderMap,
    body: Vec<u8>,
    /// A streamed call's success, its body not read.
    unread: Option<reqwest::Response>,
    /// The request, to open an event stream again once it ends.
    again: Option<Box<Request>>,
    /// The client's cap on a reply body, in bytes.
    limit: usize,
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
            Some(response) => Binary::from_body(http::Response::from(response).into_body()),
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
    fn kept(&self) -> Box<ErrorResponse> {
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

/// A reply whose status is not what was wanted, as an error: problem details when its body
/// is some.
fn unexpected(response: Box<ErrorResponse>) -> Error {
    match response.problem() {
        Some(problem) => Error::Problem { problem, response },
        None => Error::UnexpectedStatus(response),
    }
}

/// The media type of problem details (RFC 9457).
const PROBLEM_JSON: &str = "application/problem+json";

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
    fn problem(&self) -> Option<Box<Problem>> {
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
            | Error::Timeout { .. } => None,
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
