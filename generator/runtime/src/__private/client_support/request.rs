//! [`Request`], a request being built for one operation: parameters in every style and
//! location, and bodies of every media type.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use reqwest::header::{HeaderMap, HeaderName, HeaderValue};
use reqwest::{Method, Url};
use serde::Serialize;

use crate::binary::{Binary, SyncBody};
use crate::media::sent;
use crate::redirect::Redirects;
use crate::style::{self, Parts, Style};

use super::*;

/// A request being built for one operation.
pub struct Request {
    pub(crate) transport: Transport,
    pub(crate) credentials: Arc<BTreeMap<&'static str, Credential>>,
    pub(crate) basic: Option<(String, String)>,
    /// Where the bearer token comes from, when it is fetched as the request is sent: the
    /// scheme's name and its source.
    pub(crate) bearer: Option<(&'static str, Arc<TokenCache>)>,
    /// The scopes the operation's requirements name, by scheme.
    pub(crate) scopes: &'static [(&'static str, &'static [&'static str])],
    pub(crate) method: Method,
    pub(crate) url: Url,
    pub(crate) headers: HeaderMap,
    pub(crate) cookies: Vec<String>,
    /// Encoded once: each try sends these bytes (a shared buffer, not a copy).
    pub(crate) body: Option<(String, bytes::Bytes)>,
    /// The call's own time limit, for the whole exchange.
    pub(crate) timeout: Option<std::time::Duration>,
    /// The client's, where the call sets none: for the whole exchange too, except for a
    /// reply left unread for the caller to stream, which it limits until its head arrives.
    pub(crate) client_timeout: Option<std::time::Duration>,
    pub(crate) redirects: Redirects,
    /// A streamed body, sent once (a request with one is never tried again).
    pub(crate) stream: Option<(String, SyncBody)>,
    /// Whether a success's body is left unread, for the caller to stream.
    pub(crate) stream_success: bool,
    /// The statuses whose (binary) body is left unread, for the caller to stream.
    pub(crate) stream_statuses: &'static [u16],
    /// The media types (an event stream, sequential JSON) whose reply is left unread, to be
    /// read item by item.
    pub(crate) stream_media: &'static [&'static str],
    /// How many times in a row an event stream may be opened again.
    pub event_reconnect: u32,
    pub(crate) retry: Option<Retry>,
    pub(crate) max_response_bytes: usize,
    /// The first problem met while building; reported by `send`.
    pub(crate) error: Option<Error>,
    /// Whether query values being added keep RFC 3986's reserved characters
    /// ([`with_reserved`](Request::with_reserved)).
    pub(crate) reserved: bool,
}

impl Request {
    /// Applies the credentials of the first requirement the client can meet: `alternatives`
    /// lists sets of scheme names, any one of which suffices (an empty set means none are
    /// needed). With no requirement met, the request goes without credentials and the server
    /// answers as it sees fit.
    pub fn security(&mut self, alternatives: &[&[&'static str]]) {
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
                Some(Credential::Source(tokens)) => self.bearer = Some((*scheme, tokens.clone())),
                None => {}
            }
        }
    }

    /// The scopes the operation's security requirements name, by scheme: those a token
    /// from a [`TokenSource`] is asked for.
    pub fn scopes(&mut self, scopes: &'static [(&'static str, &'static [&'static str])]) {
        self.scopes = scopes;
    }

    /// Sets a header marked sensitive, so it is never logged or shown.
    pub(crate) fn secret_header(&mut self, name: &str, value: &str) {
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
            bearer: self.bearer.clone(),
            scopes: self.scopes,
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
}
