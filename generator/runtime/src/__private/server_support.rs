//! What every route of the server needs: reading a request's inputs with a clear 4xx for
//! anything malformed, writing responses, and the problem-details error body. The same in
//! every generated crate.

use std::fmt::Display;
use std::str::FromStr;

use axum::body::{Body, Bytes};
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::header::{CONTENT_TYPE, COOKIE};
use axum::http::{HeaderMap, HeaderName, HeaderValue, StatusCode};
use axum::response::{IntoResponse, Response};
use serde::de::DeserializeOwned;
use serde::Serialize;

use crate::binary::{Binary, BoxError};
pub use crate::budget::BodyBudget;
use crate::media::sent;
pub use crate::problem::Problem;
use crate::routes::split_segment;
pub use crate::style::Style;
use crate::style::{self, Parts};
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

/// Everything an operation's handler reads from a request, taken apart once. The body is
/// read here, within the router's body size limit (axum's `DefaultBodyLimit`).
pub struct Incoming {
    headers: HeaderMap,
    path: Vec<(String, String)>,
    /// The path as sent, percent escapes and all: an array or object path parameter is
    /// split at its style's separators before its items are decoded.
    raw_path: String,
    query: Vec<(String, String)>,
    /// Each query pair's name, decoded, and value as sent, for the same reason.
    raw_query: Vec<(String, String)>,
    /// The query string as sent, for a parameter that is all of it.
    query_string: String,
    body: Bytes,
    /// The body left unread, for an operation that streams it (a binary upload).
    upload: Option<Binary>,
}

/// How long the router waits for a request's whole body before answering 408 Request
/// Timeout, so a client that stops sending mid-body does not hold its connection: 30 s
/// unless set. [`serve`] sets it, and also holds a request's head to it; with
/// `axum::serve`, set it with a layer on the router:
/// `router(api).layer(axum::Extension(ReadTimeout(Duration::from_secs(5))))`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ReadTimeout(pub std::time::Duration);

impl Default for ReadTimeout {
    fn default() -> Self {
        ReadTimeout(std::time::Duration::from_secs(30))
    }
}

/// Body size limits of particular operations, by operation name (the spec's
/// `operationId`), in bytes: a request body past its operation's limit is answered 413.
/// Operations not named here keep the router's limit (2 MB, or an
/// `axum::extract::DefaultBodyLimit` layer's). Set it with a layer on the router:
/// `router(api).layer(axum::Extension(BodyLimits::default().operation("putFile", 1 << 30)))`.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct BodyLimits(std::collections::BTreeMap<String, usize>);

impl BodyLimits {
    /// The limits, with `bytes` for the operation named `operation` in the spec.
    pub fn operation(mut self, operation: impl Into<String>, bytes: usize) -> Self {
        self.0.insert(operation.into(), bytes);
        self
    }
}

/// What a server run by [`serve`] holds at once, and how long it waits for a client:
/// `Limits::default()` is 512 connections, a [`BodyBudget`] of 64 MiB and a
/// [`ReadTimeout`] of 30 s. A [`ReadTimeout`] converts into limits of that timeout and the
/// rest by default.
#[derive(Debug, Clone)]
pub struct Limits {
    read_timeout: ReadTimeout,
    max_connections: usize,
    body_budget: BodyBudget,
}

impl Default for Limits {
    /// 512 connections keep the server under the usual limit of 1,024 open files with room
    /// for the implementation's own files and connections.
    fn default() -> Self {
        Limits {
            read_timeout: ReadTimeout::default(),
            max_connections: 512,
            body_budget: BodyBudget::default(),
        }
    }
}

impl From<ReadTimeout> for Limits {
    fn from(read_timeout: ReadTimeout) -> Self {
        Limits::default().read_timeout(read_timeout)
    }
}

impl Limits {
    /// How long a client may take to send a request's head, and then its body.
    pub fn read_timeout(mut self, read_timeout: ReadTimeout) -> Self {
        self.read_timeout = read_timeout;
        self
    }

    /// How many connections are served at once (at least 1). Past it, the server accepts no
    /// new connection until one closes: the operating system holds the rest in the
    /// listener's backlog. An idle connection closes after the read timeout.
    pub fn max_connections(mut self, connections: usize) -> Self {
        self.max_connections = connections.max(1);
        self
    }

    /// How many bytes of request bodies are read into memory at once, over all connections
    /// (see [`BodyBudget`]).
    pub fn body_budget(mut self, bytes: usize) -> Self {
        self.body_budget = BodyBudget::new(bytes);
        self
    }
}

/// Serves `router` on `listener`, as `axum::serve` does (HTTP/1.1; it runs until its task
/// ends), within `limits` ([`Limits`], or a [`ReadTimeout`] with the other limits by
/// default): a request's head (its line and headers) must arrive within the read timeout,
/// or the connection is closed, and so must its body, or the answer is 408; at most so many
/// connections are served at once, and request bodies being read hold at most the body
/// budget. `axum::serve` waits for a head for ever and takes every connection, so clients
/// that send half of one, or many slow bodies, hold the server's memory.
pub async fn serve(
    listener: tokio::net::TcpListener,
    router: axum::Router,
    limits: impl Into<Limits>,
) -> std::io::Result<()> {
    let limits = limits.into();
    let timeout = limits.read_timeout;
    let router = router
        .layer(axum::Extension(timeout))
        .layer(axum::Extension(limits.body_budget));
    let connections = std::sync::Arc::new(tokio::sync::Semaphore::new(
        limits
            .max_connections
            .min(tokio::sync::Semaphore::MAX_PERMITS),
    ));
    loop {
        // The semaphore is never closed: acquiring only waits for a connection to end.
        let Ok(permit) = connections.clone().acquire_owned().await else {
            return Ok(());
        };
        let stream = match listener.accept().await {
            Ok((stream, _)) => stream,
            // A connection that failed before it was accepted concerns that client only;
            // anything else (too many open files, say) passes, as axum::serve waits it out.
            Err(e) if is_connection_error(&e) => continue,
            Err(_) => {
                tokio::time::sleep(std::time::Duration::from_secs(1)).await;
                continue;
            }
        };
        let service = hyper_util::service::TowerToHyperService::new(router.clone());
        tokio::spawn(async move {
            // An error here ends this connection only (the client went away, or was too
            // slow).
            let _ = hyper::server::conn::http1::Builder::new()
                .timer(hyper_util::rt::TokioTimer::new())
                .header_read_timeout(timeout.0)
                .serve_connection(hyper_util::rt::TokioIo::new(stream), service)
                .with_upgrades()
                .await;
            drop(permit);
        });
    }
}

fn is_connection_error(e: &std::io::Error) -> bool {
    use std::io::ErrorKind;
    matches!(
        e.kind(),
        ErrorKind::ConnectionRefused | ErrorKind::ConnectionAborted | ErrorKind::ConnectionReset
    )
}

impl Incoming {
    /// Takes a request to the operation named `operation` in the spec apart. The body is
    /// read within its size limit (413 past it) and the read timeout (408 past it).
    pub async fn read(request: Request, operation: &str) -> Result<Self, Problem> {
        Self::take_apart(request, operation, false).await
    }

    /// Takes a request apart as [`read`](Incoming::read) does, but leaves the body unread:
    /// the implementation reads it as it arrives (a binary upload, as large as it is). Its
    /// chunks are errors past the operation's [`BodyLimits`] limit, if it has one (the
    /// router's default limit does not apply), and when none arrives within the read timeout.
    pub async fn read_streaming(request: Request, operation: &str) -> Result<Self, Problem> {
        Self::take_apart(request, operation, true).await
    }

    async fn take_apart(
        mut request: Request,
        operation: &str,
        streaming: bool,
    ) -> Result<Self, Problem> {
        let limit = request
            .extensions()
            .get::<BodyLimits>()
            .and_then(|limits| limits.0.get(operation).copied());
        if let (Some(limit), false) = (limit, streaming) {
            axum::extract::DefaultBodyLimit::max(limit).apply(&mut request);
        }
        let (mut parts, body) = request.into_parts();
        let path = match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => params
                .iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
            Err(RawPathParamsRejection::MissingPathParams(_)) => Vec::new(),
            Err(e) => return Err(Problem::new(400, e.body_text())),
        };
        let raw = parts.uri.query().unwrap_or_default();
        let query_string = raw.to_owned();
        let query = form_urlencoded::parse(raw.as_bytes())
            .into_owned()
            .collect();
        let raw_query = raw
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let name = style::decode(name, true).unwrap_or_else(|_| name.to_owned());
                (name, value.to_owned())
            })
            .collect();
        let raw_path = parts.uri.path().to_owned();
        // Reading the body needs only the extensions (its size limit), not the headers.
        let headers = std::mem::take(&mut parts.headers);
        let timeout = parts
            .extensions
            .get::<ReadTimeout>()
            .copied()
            .unwrap_or_default();
        if streaming {
            let length = headers
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
            if let Some(limit) = limit.filter(|limit| length.is_some_and(|l| l > *limit as u64)) {
                return Err(too_long(limit));
            }
            // HTTP/1.1: a request without a length or chunked encoding has no body.
            let has_body = headers.contains_key(axum::http::header::TRANSFER_ENCODING)
                || length.is_some_and(|length| length > 0);
            let upload = has_body.then(|| {
                Binary::from_stream(Upload {
                    body: Binary::from_body(body),
                    read: 0,
                    limit,
                    idle: timeout.0,
                    timer: Box::pin(tokio::time::sleep(timeout.0)),
                    waiting: false,
                    done: false,
                })
            });
            return Ok(Incoming {
                headers,
                path,
                raw_path,
                query,
                raw_query,
                query_string,
                body: Bytes::new(),
                upload,
            });
        }
        let budget = parts
            .extensions
            .get::<BodyBudget>()
            .cloned()
            .unwrap_or_else(BodyBudget::shared);
        let starved = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let body = budget.count(body, starved.clone());
        let read = Bytes::from_request(Request::from_parts(parts, body), &());
        let body = tokio::time::timeout(timeout.0, read)
            .await
            .map_err(|_| {
                // Waiting for other bodies to be read is the server's doing, not the client's.
                if starved.load(std::sync::atomic::Ordering::Relaxed) {
                    Problem::new(
                        503,
                        "the server is reading as many request bodies as it holds at once",
                    )
                } else {
                    Problem::new(
                        408,
                        format!("the request body did not arrive within {:?}", timeout.0),
                    )
                }
            })?
            .map_err(|e| Problem::new(e.status().as_u16(), e.body_text()))?;
        Ok(Incoming {
            headers,
            path,
            raw_path,
            query,
            raw_query,
            query_string,
            body,
            upload: None,
        })
    }
}

fn too_long(limit: usize) -> Problem {
    Problem::new(
        413,
        format!("the request body is longer than {limit} bytes"),
    )
}

/// A streamed upload as the implementation reads it: within a size limit, and never
/// waiting longer than the read timeout for the next chunk.
struct Upload {
    body: Binary,
    read: usize,
    limit: Option<usize>,
    idle: std::time::Duration,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    /// Whether the timer runs: since the first poll that found no chunk ready.
    waiting: bool,
    /// Set once an error ended the body.
    done: bool,
}

impl futures_core::Stream for Upload {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        use std::task::Poll;
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let failed = |this: &mut Upload, problem: Problem| {
            this.done = true;
            Poll::Ready(Some(Err(problem.into())))
        };
        match std::pin::Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.read += chunk.len();
                if let Some(limit) = this.limit.filter(|limit| this.read > *limit) {
                    return failed(this, too_long(limit));
                }
                this.waiting = false;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => {
                // The implementation may take its time before reading; the wait starts
                // when it does.
                if !this.waiting {
                    this.waiting = true;
                    let deadline = tokio::time::Instant::now() + this.idle;
                    this.timer.as_mut().reset(deadline);
                }
                if this.timer.as_mut().poll(cx).is_ready() {
                    let idle = this.idle;
                    let detail = format!("the request body stalled for {idle:?}");
                    return failed(this, Problem::new(408, detail));
                }
                Poll::Pending
            }
            other => other.map(|end| end.map(|end| end.map_err(crate::binary::Error::into_inner))),
        }
    }
}

/// A credential a request carried. `Debug` never shows its value.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key, from the header, query parameter or cookie the scheme names.
    ApiKey(String),
    /// The token of `Authorization: Bearer <token>`.
    Bearer(String),
    /// The user and password of `Authorization: Basic ...`.
    Basic { username: String, password: String },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
        }
    }
}

/// The credentials that met an operation's security requirement, by scheme name. It is
/// empty when the operation's security is optional and the request carried none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auth {
    pub credentials: Vec<(&'static str, Credential)>,
}

impl Auth {
    /// The credential for the scheme the spec names `scheme`.
    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, c)| c)
    }
}

/// Where a scheme's credential is, as the router looks for it.
pub enum Scheme {
    ApiKeyHeader(&'static str),
    ApiKeyQuery(&'static str),
    ApiKeyCookie(&'static str),
    Bearer,
    Basic,
}

/// An input looked up by name: absent, present and parsed, or present and malformed.
pub struct Found<T> {
    location: &'static str,
    name: String,
    value: Result<Option<T>, Problem>,
}

impl<T> Found<T> {
    fn new(location: &'static str, name: &str, value: Result<Option<T>, String>) -> Self {
        Found {
            location,
            name: name.to_owned(),
            value: value.map_err(|detail| {
                Problem::bad_input(
                    location,
                    name,
                    format!("{location} parameter {name}: {detail}"),
                )
            }),
        }
    }

    /// A body, already checked.
    pub fn body(value: Result<Option<T>, Problem>) -> Self {
        Found {
            location: "body",
            name: String::new(),
            value,
        }
    }

    /// The value, when there is one, made another (a body read another way).
    pub fn map<U>(self, f: impl FnOnce(T) -> U) -> Found<U> {
        Found {
            location: self.location,
            name: self.name,
            value: self.value.map(|value| value.map(f)),
        }
    }

    /// Holds the value, when there is one, to the constraints its schema puts on it: 400
    /// naming the input and each broken constraint (`query.limit: 500 is above maximum 100`).
    pub fn checked(self, rules: &crate::validate::Rules) -> Self
    where
        T: crate::validate::Constrained,
    {
        self.held(|value, location, name, problems| {
            crate::validate::check(value, location, name, rules, problems)
        })
    }

    /// Checks the value, when there is one, by its type's own `Validate` (enum values the
    /// spec does not list, the fields of an object).
    pub fn validated(self) -> Self
    where
        T: crate::validate::Validate,
    {
        self.held(crate::validate::nested)
    }

    /// The value kept when `check` finds no problem with it, else 400 naming them.
    fn held(self, check: impl FnOnce(&T, &str, &str, &mut Vec<String>)) -> Self {
        let Found {
            location,
            name,
            value,
        } = self;
        let value = match value {
            Ok(Some(value)) => {
                let mut problems = Vec::new();
                check(&value, location, &name, &mut problems);
                if problems.is_empty() {
                    Ok(Some(value))
                } else {
                    Err(Problem::bad_input(location, &name, problems.join("; ")))
                }
            }
            other => other,
        };
        Found {
            location,
            name,
            value,
        }
    }

    /// An object parameter that sent no pairs, read as the empty object where its type
    /// allows one: exploded (`form` or `deepObject`), an empty object is no pairs at all, so
    /// a required one that is empty is not missing.
    pub fn or_empty(self) -> Self
    where
        T: DeserializeOwned,
    {
        match self.value {
            Ok(None) => Found {
                value: Ok(read_pairs(&[]).ok()),
                ..self
            },
            _ => self,
        }
    }

    /// The value, or 400 when it is missing or malformed.
    pub fn required(self) -> Result<T, Problem> {
        match self.value? {
            Some(value) => Ok(value),
            None if self.location == "body" => Err(Problem::bad_input(
                "body",
                "",
                "the request body is required".to_owned(),
            )),
            None => Err(Problem::bad_input(
                self.location,
                &self.name,
                format!(
                    "required {} parameter {} is missing",
                    self.location, self.name
                ),
            )),
        }
    }

    /// The value if present, or 400 when it is malformed.
    pub fn optional(self) -> Result<Option<T>, Problem> {
        self.value
    }
}

/// Where a path parameter `name` is: its segment counted from the path's end (`back`, 0
/// for the last), and the literal text around it in that segment (encoded as the route has
/// it).
#[derive(Clone, Copy)]
pub struct Segment<'a> {
    back: usize,
    name: &'a str,
    prefix: &'a str,
    suffix: &'a str,
}

impl<'a> Segment<'a> {
    /// The parameter `name`, the whole segment `back` segments from the path's end.
    pub fn at(back: usize, name: &'a str) -> Self {
        Segment {
            back,
            name,
            prefix: "",
            suffix: "",
        }
    }

    /// The parameter between `prefix` and `suffix` in its segment (`item-{id}.json`).
    pub fn within(self, prefix: &'a str, suffix: &'a str) -> Self {
        Segment {
            prefix,
            suffix,
            ..self
        }
    }
}

/// Which query pairs (or cookies) are an exploded object's properties.
#[derive(Clone, Copy)]
pub enum Keys<'a> {
    /// Those of the properties its schema names.
    Only(&'a [&'a str]),
    /// Any but these, the operation's other query parameters: the object takes properties
    /// its schema does not name (`additionalProperties`, or an object with no properties).
    AllBut(&'a [&'a str]),
}

impl Keys<'_> {
    fn has(&self, key: &str) -> bool {
        match self {
            Keys::Only(keys) => keys.contains(&key),
            // A `deepObject` parameter among them has `other[property]` pairs.
            Keys::AllBut(others) => !others.iter().any(|other| {
                key.strip_prefix(other)
                    .is_some_and(|rest| rest.is_empty() || rest.starts_with('['))
            }),
        }
    }
}

fn parse_text<T: FromStr>(text: &str) -> Result<T, String>
where
    T::Err: Display,
{
    text.parse().map_err(|e| format!("{e} (got {text:?})"))
}

fn parse_list<T: FromStr>(items: &[&str]) -> Result<Vec<T>, String>
where
    T::Err: Display,
{
    items.iter().map(|item| parse_text(item)).collect()
}

/// An object read from its properties' pairs, each value the text of a scalar.
fn read_pairs<T: DeserializeOwned>(pairs: &[(&str, &str)]) -> Result<T, String> {
    serde_urlencoded::to_string(pairs)
        .map_err(|e| e.to_string())
        .and_then(|text| serde_urlencoded::from_str(&text).map_err(|e| e.to_string()))
}

/// The array [`style::read_text`] or [`style::read_delimited`] read, each item parsed.
fn list_of<T: FromStr>(parts: Result<Parts, String>) -> Result<Vec<T>, String>
where
    T::Err: Display,
{
    match parts? {
        Parts::List(items) => items.iter().map(|item| parse_text(item)).collect(),
        Parts::Object(_) => Err("expected an array".to_owned()),
    }
}

/// The object [`style::read_text`] or [`style::read_delimited`] read.
fn object_of<T: DeserializeOwned>(parts: Result<Parts, String>) -> Result<T, String> {
    match parts? {
        Parts::Object(properties) => {
            let pairs: Vec<(&str, &str)> = properties
                .iter()
                .map(|(p, v)| (p.as_str(), v.as_str()))
                .collect();
            read_pairs(&pairs)
        }
        Parts::List(_) => Err("expected an object".to_owned()),
    }
}

fn parse_json<T: DeserializeOwned>(text: &str) -> Result<T, String> {
    serde_json::from_str(text).map_err(|e| format!("not the expected JSON: {e}"))
}

impl Incoming {
    /// A path parameter: the segment the router captured as `key`, whole.
    pub fn path<T: FromStr>(&self, key: &str, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        self.path_within(key, name, &["", ""], 0)
    }

    /// A path parameter that is part of a segment (`/files/{name}.json`,
    /// `/files/{name}.{ext}`): variable `index` of the segment the router captured as `key`,
    /// whose template is `literals` around its variables (see [`split_segment`]).
    pub fn path_within<T: FromStr>(
        &self,
        key: &str,
        name: &str,
        literals: &[&str],
        index: usize,
    ) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .path
            .iter()
            .find(|(k, _)| k == key)
            .map(|(_, v)| v.as_str());
        let value = value.map(|segment| {
            split_segment(segment, literals)
                .and_then(|values| values.get(index).copied())
                .ok_or_else(|| {
                    let template: String = literals
                        .iter()
                        .enumerate()
                        .map(|(i, literal)| match i {
                            0 => literal.to_string(),
                            i if i == index + 1 => format!("{{{name}}}{literal}"),
                            _ => format!("{{..}}{literal}"),
                        })
                        .collect();
                    format!("{segment:?} does not have the form {template}")
                })
                .and_then(parse_text)
        });
        Found::new("path", name, value.transpose())
    }

    /// An array path parameter in its style (`simple`, `label`, `matrix`): the segment
    /// `back` segments from the path's end, as sent, less the literal text around the
    /// variable in the spec's template (`prefix`, `suffix`, encoded as the route has them).
    pub fn path_list<T: FromStr>(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
    ) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let parts = self.path_parts(segment, style, explode, false);
        Found::new(
            "path",
            segment.name,
            parts.map(|parts| list_of(parts)).transpose(),
        )
    }

    /// An object path parameter in its style, found as [`path_list`](Incoming::path_list)
    /// finds an array.
    pub fn path_object<T: DeserializeOwned>(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
    ) -> Found<T> {
        let parts = self.path_parts(segment, style, explode, true);
        Found::new(
            "path",
            segment.name,
            parts.map(|parts| object_of(parts)).transpose(),
        )
    }

    fn path_parts(
        &self,
        segment: Segment<'_>,
        style: Style,
        explode: bool,
        object: bool,
    ) -> Option<Result<Parts, String>> {
        let Segment {
            back,
            name,
            prefix,
            suffix,
        } = segment;
        let text = self.raw_path.rsplit('/').nth(back)?;
        Some(
            text.strip_prefix(prefix)
                .and_then(|s| s.strip_suffix(suffix))
                .ok_or_else(|| {
                    format!("{text:?} does not have the form {prefix}{{{name}}}{suffix}")
                })
                .and_then(|text| {
                    style::read_text(name, text, style, explode, object, |item| {
                        style::decode(item, false)
                    })
                }),
        )
    }

    fn query_values(&self, name: &str) -> Vec<&str> {
        self.query
            .iter()
            .filter(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
            .collect()
    }

    /// A query parameter of one value. An empty value (`end=`, as an HTML form sends an
    /// empty field) is absent where the type reads no value from empty text (a number, a
    /// date): it is how a client writes a null or a value it does not have.
    pub fn query<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .query_values(name)
            .first()
            .and_then(|v| match parse_text(v) {
                Err(_) if v.is_empty() => None,
                read => Some(read),
            });
        Found::new("query", name, value.transpose())
    }

    /// An array in the query in its style: repeated (`a=1&a=2`) when exploded, else split
    /// at the style's delimiter before its items are decoded.
    pub fn query_list<T: FromStr>(&self, name: &str, style: Style, explode: bool) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = if explode {
            let values = self.query_values(name);
            (!values.is_empty()).then(|| parse_list(&values))
        } else {
            self.raw_query_value(name)
                .map(|raw| list_of(style::read_delimited(raw, style, false)))
        };
        Found::new("query", name, value.transpose())
    }

    /// The first value of the query parameter `name`, as sent.
    fn raw_query_value(&self, name: &str) -> Option<&str> {
        self.raw_query
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    /// A flat object in the query, in the encodings OpenAPI gives the `form`,
    /// `spaceDelimited`, `pipeDelimited` and `deepObject` styles: each property its own pair
    /// when exploded (`status=offline&role=admin`), `name[property]` pairs in the
    /// `deepObject` style, else one pair of properties and values alternating at the
    /// style's delimiter (`name=status,offline,role,admin`). Exploded, which pairs are the
    /// object's is told by `keys`. Absent when none of its pairs are there.
    pub fn query_object<T: DeserializeOwned>(
        &self,
        name: &str,
        style: Style,
        explode: bool,
        keys: Keys<'_>,
    ) -> Found<T> {
        let deep = style == Style::DeepObject;
        let pairs: Vec<(&str, &str)> = if deep {
            self.query
                .iter()
                .filter_map(|(k, v)| {
                    let field = k.strip_prefix(name)?.strip_prefix('[')?.strip_suffix(']')?;
                    Some((field, v.as_str()))
                })
                .collect()
        } else if explode {
            self.query
                .iter()
                .filter(|(k, _)| keys.has(k))
                .map(|(k, v)| (k.as_str(), v.as_str()))
                .collect()
        } else {
            // `name=` is the empty object, there.
            let value = self
                .raw_query_value(name)
                .map(|raw| object_of(style::read_delimited(raw, style, true)));
            return Found::new("query", name, value.transpose());
        };
        let value = if pairs.is_empty() {
            Ok(None)
        } else {
            read_pairs(&pairs).map(Some)
        };
        Found::new("query", name, value)
    }

    pub fn query_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = self.query_values(name).first().map(|v| parse_json(v));
        Found::new("query", name, value.transpose())
    }

    /// A parameter that is the whole query string, as JSON text (OpenAPI 3.2's
    /// `in: querystring`); an empty query string is absent.
    pub fn querystring_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = (!self.query_string.is_empty()).then(|| {
            style::decode(&self.query_string, false)
                .map_err(|e| format!("not percent-encoded text: {e}"))
                .and_then(|text| parse_json(&text))
        });
        Found::new("query", name, value.transpose())
    }

    fn header_text(&self, name: &str) -> Result<Option<&str>, String> {
        self.headers
            .get(name)
            .map(|v| {
                v.to_str()
                    .map_err(|_| "the value is not visible ASCII".to_owned())
            })
            .transpose()
    }

    pub fn header<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(parse_text).transpose());
        Found::new("header", name, value)
    }

    pub fn header_list<T: FromStr>(&self, name: &str) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(|t| parse_list(&split_list(t))).transpose());
        Found::new("header", name, value)
    }

    /// An object in a header, in the `simple` style: `a=1,b=2` exploded, `a,1,b,2` not.
    pub fn header_object<T: DeserializeOwned>(&self, name: &str, explode: bool) -> Found<T> {
        let value = self.header_text(name).and_then(|text| {
            text.map(|text| {
                let parts = style::read_text(name, text, Style::Simple, explode, true, |item| {
                    Ok(item.to_owned())
                });
                object_of(parts)
            })
            .transpose()
        });
        Found::new("header", name, value)
    }

    pub fn header_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        let value = self
            .header_text(name)
            .and_then(|text| text.map(parse_json).transpose());
        Found::new("header", name, value)
    }

    fn cookie_text(&self, name: &str) -> Option<&str> {
        self.cookies().find(|(k, _)| *k == name).map(|(_, v)| v)
    }

    /// The request's cookies, names and values, in order.
    fn cookies(&self) -> impl Iterator<Item = (&str, &str)> {
        self.headers
            .get_all(COOKIE)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(';'))
            .filter_map(|pair| pair.trim().split_once('='))
    }

    /// An array cookie in the `form` style: items joined by commas, or each its own
    /// cookie of the same name when exploded.
    pub fn cookie_list<T: FromStr>(&self, name: &str, explode: bool) -> Found<Vec<T>>
    where
        T::Err: Display,
    {
        let value = if explode {
            let values: Vec<&str> = self
                .cookies()
                .filter(|(k, _)| *k == name)
                .map(|(_, v)| v)
                .collect();
            (!values.is_empty()).then(|| parse_list(&values))
        } else {
            self.cookie_text(name).map(|text| {
                list_of(style::read_text(
                    name,
                    text,
                    Style::Form,
                    false,
                    false,
                    |item| Ok(item.to_owned()),
                ))
            })
        };
        Found::new("cookie", name, value.transpose())
    }

    /// An object cookie in the `form` style: properties and values alternating in one
    /// cookie, or each property its own cookie when exploded (which cookies told by `keys`).
    pub fn cookie_object<T: DeserializeOwned>(
        &self,
        name: &str,
        explode: bool,
        keys: Keys<'_>,
    ) -> Found<T> {
        let value = if explode {
            let pairs: Vec<(&str, &str)> = self.cookies().filter(|(k, _)| keys.has(k)).collect();
            (!pairs.is_empty()).then(|| read_pairs(&pairs))
        } else {
            self.cookie_text(name).map(|text| {
                object_of(style::read_text(
                    name,
                    text,
                    Style::Form,
                    false,
                    true,
                    |item| Ok(item.to_owned()),
                ))
            })
        };
        Found::new("cookie", name, value.transpose())
    }

    pub fn cookie<T: FromStr>(&self, name: &str) -> Found<T>
    where
        T::Err: Display,
    {
        Found::new(
            "cookie",
            name,
            self.cookie_text(name).map(parse_text).transpose(),
        )
    }

    pub fn cookie_json<T: DeserializeOwned>(&self, name: &str) -> Found<T> {
        Found::new(
            "cookie",
            name,
            self.cookie_text(name).map(parse_json).transpose(),
        )
    }

    /// The credentials of the first security requirement the request meets; 401 when it
    /// meets none. An empty requirement set makes credentials optional.
    pub fn auth(&self, alternatives: &[&[(&'static str, Scheme)]]) -> Result<Auth, Problem> {
        for set in alternatives.iter().filter(|set| !set.is_empty()) {
            let found: Option<Vec<_>> = set
                .iter()
                .map(|(name, scheme)| self.credential(scheme).map(|c| (*name, c)))
                .collect();
            if let Some(credentials) = found {
                return Ok(Auth { credentials });
            }
        }
        if alternatives.iter().any(|set| set.is_empty()) {
            return Ok(Auth::default());
        }
        let needed: Vec<String> = alternatives
            .iter()
            .map(|set| {
                set.iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        Err(Problem::new(
            401,
            format!("this operation needs credentials: {}", needed.join(", or ")),
        ))
    }

    fn credential(&self, scheme: &Scheme) -> Option<Credential> {
        let authorization = || {
            self.headers
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
        };
        match scheme {
            Scheme::ApiKeyHeader(name) => self
                .header_text(name)
                .ok()
                .flatten()
                .map(|v| Credential::ApiKey(v.to_owned())),
            Scheme::ApiKeyQuery(name) => self
                .query_values(name)
                .first()
                .map(|v| Credential::ApiKey((*v).to_owned())),
            Scheme::ApiKeyCookie(name) => self
                .cookie_text(name)
                .map(|v| Credential::ApiKey(v.to_owned())),
            Scheme::Bearer => authorization()
                .filter(|(kind, _)| kind.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| Credential::Bearer(token.trim().to_owned())),
            Scheme::Basic => {
                use base64::Engine;
                let (kind, encoded) = authorization()?;
                if !kind.eq_ignore_ascii_case("basic") {
                    return None;
                }
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()?;
                let text = String::from_utf8(decoded).ok()?;
                let (username, password) = text.split_once(':')?;
                Some(Credential::Basic {
                    username: username.to_owned(),
                    password: password.to_owned(),
                })
            }
        }
    }

    /// The request's `Content-Type`, when it has one.
    pub fn content_type(&self) -> Option<&str> {
        self.headers.get(CONTENT_TYPE).and_then(|v| v.to_str().ok())
    }

    /// Which of the declared media types the body is: `None` for no body, 415 for a
    /// `Content-Type` that is none of them. A body without `Content-Type` is read as the
    /// first.
    pub fn pick(&self, declared: &[&str]) -> Result<Option<usize>, Problem> {
        if self.body.is_empty() && self.upload.is_none() {
            return Ok(None);
        }
        let Some(actual) = self.content_type() else {
            return Ok(Some(0));
        };
        match declared
            .iter()
            .position(|d| crate::media::matches(d, actual))
        {
            Some(index) => Ok(Some(index)),
            None => Err(Problem::new(
                415,
                format!(
                    "the request body must be one of {}, not {actual}",
                    declared.join(", ")
                ),
            )),
        }
    }

    /// The body, if any, after checking it is the declared media type.
    pub fn body_of(&self, declared: &str) -> Result<Option<&[u8]>, Problem> {
        Ok(self.pick(&[declared])?.map(|_| &self.body[..]))
    }

    /// The body as JSON, checked against the schema's constraints; an empty body counts as
    /// absent.
    pub fn json<T: DeserializeOwned + crate::validate::Validate>(
        &self,
        declared: &str,
    ) -> Found<T> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                // A struct's JSON is an object: its first byte past whitespace is `{`. Looking
                // at it spares reading the body twice.
                let first = b
                    .iter()
                    .find(|c| !matches!(c, b' ' | b'\t' | b'\n' | b'\r'));
                let read = if T::JSON_OBJECT && first != Some(&b'{') {
                    Err("expected a JSON object".to_owned())
                } else {
                    read_json(b)
                };
                read.map_err(|e| format!("the request body is not the expected JSON: {e}"))
                    .and_then(valid_body)
                    .map_err(|detail| Problem::bad_input("body", "", detail))
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body as form fields (`application/x-www-form-urlencoded`), checked against the
    /// schema's constraints.
    pub fn form<T: DeserializeOwned + crate::validate::Validate>(
        &self,
        declared: &str,
    ) -> Found<T> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                serde_urlencoded::from_bytes(b)
                    .map_err(|e| format!("the request body is not the expected form: {e}"))
                    .and_then(valid_body)
                    .map_err(|detail| Problem::bad_input("body", "", detail))
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body as UTF-8 text; an empty body counts as absent.
    pub fn text(&self, declared: &str) -> Found<String> {
        let value = self.body_of(declared).and_then(|body| {
            body.map(|b| {
                String::from_utf8(b.to_vec()).map_err(|_| {
                    Problem::bad_input("body", "", "the request body is not UTF-8 text".to_owned())
                })
            })
            .transpose()
        });
        Found::body(value)
    }

    /// The body's bytes; an empty body counts as absent.
    /// A binary body read whole (the bytes are shared, not copied).
    pub fn binary(&self, declared: &str) -> Found<Binary> {
        let body = || Binary::from(self.body.clone());
        Found::body(self.pick(&[declared]).map(|found| found.map(|_| body())))
    }

    /// A binary body left unread, to be read as it arrives (see [`Incoming::read_streaming`]).
    pub fn upload(&mut self, declared: &str) -> Found<Binary> {
        let found = self.pick(&[declared]);
        Found::body(found.map(|found| found.and(self.upload.take())))
    }

    /// The body as it arrives: left unread where the operation streams it, else the bytes
    /// read.
    pub fn arriving(&mut self, declared: &str) -> Found<Binary> {
        match self.upload {
            Some(_) => self.upload(declared),
            None => self.binary(declared),
        }
    }
}

/// A JSON body read with nulls refused where the schema lets a field be absent but not null;
/// an error names where in the body it is (`body.children[1].name: ...`).
fn read_json<T: DeserializeOwned>(body: &[u8]) -> Result<T, String> {
    crate::__private::de::strict(|| {
        let mut json = serde_json::Deserializer::from_slice(body);
        let value = serde_path_to_error::deserialize(&mut json).map_err(|e| {
            let path = e.path().to_string();
            let error = e.into_inner();
            if path == "." {
                error.to_string()
            } else {
                format!("body.{path}: {error}")
            }
        })?;
        json.end().map_err(|e| e.to_string())?;
        Ok(value)
    })
}

/// A body checked against its schema: constraints (lengths, ranges, patterns, formats) and
/// enum values, each problem naming the field's path.
fn valid_body<T: crate::validate::Validate>(value: T) -> Result<T, String> {
    let problems = crate::validate::problems(&value, "body");
    if problems.is_empty() {
        Ok(value)
    } else {
        Err(problems.join("; "))
    }
}

fn split_list(text: &str) -> Vec<&str> {
    // Header arrays are comma-separated (the `simple` style).
    if text.is_empty() {
        Vec::new()
    } else {
        text.split(',').collect()
    }
}

/// A response being written. A status or header the HTTP types reject (only possible with
/// values an implementation made up) becomes a 500 problem, never a panic.
pub struct Reply {
    status: u16,
    headers: HeaderMap,
    error: Option<String>,
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
