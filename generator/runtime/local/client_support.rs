//! The client and a call being prepared: the types each operation's method is on, so they
//! are this crate's own (Rust lets a crate add methods only to its own types). What they do
//! is the runtime's (`client_support`), compiled once with the crate's dependencies.

use crate::client_support::{Core, Options};
// For the operations' code (`support::Request`); an API without security schemes or pages
// leaves some unused.
#[allow(unused_imports)]
pub(crate) use crate::client_support::{
    extension_method, path_list, path_object, Credential, Exchange, Page, Pages, Reply, Request,
    Style, TokenCache,
};
pub use crate::client_support::{
    ByteStream, ClientAuth, ClientCredentials, DeviceAuthorization, DeviceCode, Error,
    ErrorResponse, Items, Operation, Paginated, Problem, Redirects, RefreshToken, Retry, Streamed,
    Token, TokenFuture, TokenSource,
};

/// An HTTP client for this API.
///
/// It is cheap to clone: clones share the connection pool of the `reqwest::Client` inside.
#[derive(Debug, Clone)]
pub struct Client {
    pub(crate) core: Core,
}

impl Client {
    /// A client for the API at `base_url` (for example `https://api.example.com/v1`), with a
    /// `reqwest::Client` from [`Client::http_builder`]: calls time out after 60 s
    /// ([`Client::with_timeout`]), connecting after 10 s, and redirects are followed as
    /// [`Redirects::default`] says: credentials never leave their origin.
    pub fn new(base_url: &str) -> Result<Self, Error> {
        Core::new(base_url).map(|core| Client { core })
    }

    /// The `reqwest::ClientBuilder` [`Client::new`] builds its client with: reqwest follows
    /// no redirect (this client does, as its [`Redirects`] say), sends no `Referer`, and
    /// gives up connecting after 10 s. Start from it to configure your own (proxies, TLS)
    /// for [`Client::with_http_client`].
    pub fn http_builder() -> reqwest::ClientBuilder {
        Core::http_builder()
    }

    /// A client sending through `http`, configured as you like (proxies, default headers).
    ///
    /// Build `http` with `redirect(reqwest::redirect::Policy::none())`, as
    /// [`Client::http_builder`] does: a `reqwest::Client` that follows redirects itself sends
    /// the call's API keys and other headers to wherever a redirect points (reqwest strips
    /// only `Authorization` and `Cookie` across hosts) with a `Referer` holding the whole URL.
    /// A call through such a client that reqwest redirected to another origin fails with
    /// [`Error::InvalidRequest`] (the request was sent already). The client's time limit
    /// ([`Client::with_timeout`]) applies whatever `http`'s own; headers `http` adds by
    /// default go everywhere.
    pub fn with_http_client(base_url: &str, http: reqwest::Client) -> Result<Self, Error> {
        Core::with_http_client(base_url, http).map(|core| Client { core })
    }

    /// A client sending through `http`, a [`reqwest_middleware`] chain: every request of
    /// every call (each try, with [`Client::with_retry`]) goes through its middleware, yours
    /// or the crates built on it (tracing, caching, authentication). An error a middleware
    /// returns is [`Error::Middleware`]. Needs the crate's `middleware` feature.
    #[cfg(feature = "middleware")]
    pub fn with_middleware(
        base_url: &str,
        http: reqwest_middleware::ClientWithMiddleware,
    ) -> Result<Self, Error> {
        Core::with_middleware(base_url, http).map(|core| Client { core })
    }

    /// The client, reading reply bodies of at most `bytes` (64 MiB unless set): a longer
    /// one, or one that never ends, is [`Error::ResponseTooLarge`], not all of memory.
    pub fn with_max_response_bytes(self, bytes: usize) -> Self {
        Client {
            core: self.core.with_max_response_bytes(bytes),
        }
    }

    /// The client, trying failed calls again as `retry` says (see [`Retry`] for which
    /// calls and failures; a call carrying [`Call::with_idempotency_key`] is repeated
    /// whatever its method); `Retry::default()` is a sensible start.
    pub fn with_retry(self, retry: Retry) -> Self {
        Client {
            core: self.core.with_retry(retry),
        }
    }

    /// The client, following redirects as `redirects` says (see [`Redirects`]; the default
    /// follows up to 10, to another origin without the call's credentials and headers).
    pub fn with_redirects(self, redirects: Redirects) -> Self {
        Client {
            core: self.core.with_redirects(redirects),
        }
    }

    /// The client, giving up on a call after `timeout` (60 s unless set; `None`: never),
    /// with an error whose [`Error::is_timeout`] is true. It covers connecting, every
    /// redirect, sending and reading the whole reply; for a reply read as it arrives
    /// ([`Call::send_streaming`], a binary download, an event stream), only the wait for
    /// its head. A call's own [`Call::with_timeout`] replaces it for that call.
    pub fn with_timeout(self, timeout: Option<std::time::Duration>) -> Self {
        Client {
            core: self.core.with_timeout(timeout),
        }
    }

    /// The time limit of a call that sets none of its own.
    pub fn timeout(&self) -> Option<std::time::Duration> {
        self.core.timeout()
    }

    /// The URL every operation's path is appended to.
    pub fn base_url(&self) -> &reqwest::Url {
        self.core.base_url()
    }

    /// The `reqwest::Client` requests go through (inside the middleware, if any).
    pub fn http_client(&self) -> &reqwest::Client {
        self.core.http_client()
    }

    /// Sends one operation's inputs and decodes the answer.
    ///
    /// Each operation also has a method of its own that builds the inputs by name
    /// (`client.get_pet(7).send()`); this one takes them whole, as a server receives them.
    pub async fn send<O: Operation>(&self, request: &O) -> Result<O::Response, Error> {
        self.core.send(request, &Options::default()).await
    }

    /// Starts a call with `request` as its inputs.
    pub(crate) fn call<O: Operation>(&self, request: O) -> Call<'_, O> {
        Call {
            client: self,
            request,
            options: Options::default(),
        }
    }
}

/// One call of an operation being prepared: its method on [`Client`] took the required
/// inputs, a method per optional input sets it, and [`send`](Call::send) sends it.
///
/// Any call also takes options of its own: extra headers ([`with_header`](Call::with_header)),
/// a time limit ([`with_timeout`](Call::with_timeout)) and an idempotency key
/// ([`with_idempotency_key`](Call::with_idempotency_key)). A large download is read as it
/// arrives with [`send_streaming`](Call::send_streaming).
#[must_use = "a call does nothing until it is sent"]
#[derive(Debug, Clone)]
pub struct Call<'c, O> {
    client: &'c Client,
    pub(crate) request: O,
    options: Options,
}

impl<O: Operation> Call<'_, O> {
    /// Sends the request and decodes the answer.
    pub async fn send(self) -> Result<O::Response, Error> {
        self.client.core.send(&self.request, &self.options).await
    }

    /// Sends the request and hands back the body of a success (`2xx`) as it arrives, for a
    /// download too large to hold: not read yet, so the client's response size cap does not
    /// apply. Any other status is read whole and decoded as [`send`](Call::send) does.
    pub async fn send_streaming(self) -> Result<Streamed<O::Response>, Error> {
        let core = &self.client.core;
        core.send_streaming(&self.request, &self.options).await
    }

    /// Sends a header with this call, replacing one of that name the operation sets. A name
    /// or value that cannot be a header makes `send` fail before anything is sent.
    pub fn with_header(mut self, name: impl Into<String>, value: impl Into<String>) -> Self {
        self.options.headers.push((name.into(), value.into()));
        self
    }

    /// Gives up on this call after `timeout` (connecting, every redirect, sending and
    /// reading the whole reply, streamed or not), with an [`Error::Transport`] whose
    /// `is_timeout()` is true. It replaces the client's limit ([`Client::with_timeout`])
    /// for this call, longer or shorter (and reqwest's own, of a client given to
    /// [`Client::with_http_client`]).
    pub fn with_timeout(mut self, timeout: std::time::Duration) -> Self {
        self.options.timeout = Some(timeout);
        self
    }

    /// Sends `Idempotency-Key: key`, with which a server that supports it (the IETF draft
    /// `Idempotency-Key` header, as Stripe does) performs an unsafe request once however
    /// often it arrives. Use one key per intended action, and the same key when repeating it.
    pub fn with_idempotency_key(self, key: impl Into<String>) -> Self {
        self.with_header("idempotency-key", key)
    }

    /// The inputs gathered so far, to keep, inspect or send later with [`Client::send`].
    pub fn into_request(self) -> O {
        self.request
    }
}

impl<O: Paginated> Call<'_, O>
where
    O::Item: Send + 'static,
{
    /// Every item of every page, as a stream: the first page is asked for with this call's
    /// inputs and options, each next one as the operation's pages say (a cursor, a link, an
    /// offset), when the items of the one before are read. The pages end with an empty one
    /// or one with no next; an error (an answer that is not a page, say) is the stream's
    /// last item.
    pub fn items(self) -> Items<O::Item> {
        self.client.core.items(self.request, self.options)
    }
}
