//! [`Operation`], the inputs of one operation, and sending them: whole, or a success's
//! body streamed ([`Streamed`], [`ByteStream`]).

use reqwest::header::HeaderMap;

use super::*;

/// The inputs of one operation, ready to send: each `crate::requests` type is one.
///
/// `Client::send` sends any of them; each operation's method on `Client` starts a `Call`
/// with its required inputs, to which the optional ones are added by name.
///
/// Only the generated crate implements it: how the inputs go on the wire is its
/// supertrait [`Exchange`], which is no part of the API.
pub trait Operation: Exchange {
    /// The operation's answer: one variant per status the spec declares.
    type Response;

    /// The operation's name in the spec (its `operationId`).
    const OPERATION: &'static str;

    /// The operation's path template in the spec (`/pets/{petId}`).
    const PATH: &'static str;
}

/// How an operation's inputs go on the wire and its answer comes back: the half of an
/// [`Operation`] that only generated code implements and only the runtime calls. Being in
/// `__private`, it also seals `Operation`.
pub trait Exchange {
    /// The HTTP request carrying these inputs.
    fn build(&self, client: &Core) -> Request;

    /// The answer in a reply; an undeclared status or a body that does not decode is an
    /// [`Error`] holding the whole reply.
    fn decode(reply: Reply) -> Result<<Self as Operation>::Response, Error>
    where
        Self: Operation;
}

/// A call's own options, beside its operation's: extra headers and a time limit.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Headers of this call only, set after the operation's own.
    pub headers: Vec<(String, String)>,
    pub timeout: Option<std::time::Duration>,
}

impl Options {
    /// The request carrying `inputs` through `client`, with these options.
    pub(crate) fn request<O: Operation>(&self, client: &Core, inputs: &O) -> Request {
        let mut request = inputs.build(client);
        for (name, value) in &self.headers {
            request.header(name, Some(value));
        }
        request.timeout = self.timeout;
        request
    }
}

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
}

/// Sends an operation's request and makes the answer of the reply with `finish`; with the
/// crate's `tracing` feature, inside a span `operation` naming it, its method and path
/// template, and the status.
// `O` names the operation in the span: without `tracing`, it has nothing else to do.
#[cfg_attr(not(feature = "tracing"), allow(clippy::extra_unused_type_parameters))]
pub(crate) async fn send_request<O: Operation, T>(
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
    pub(crate) status: u16,
    pub(crate) headers: HeaderMap,
    pub(crate) response: crate::platform::Unread,
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
    /// with reqwest's `stream` feature, say). Not in a browser, whose reqwest has no
    /// `chunk`: the body is read there through its stream.
    #[cfg(not(target_arch = "wasm32"))]
    pub fn into_response(self) -> reqwest::Response {
        self.response.into_response()
    }
}
