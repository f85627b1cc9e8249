//! Binary bodies (`application/octet-stream`, images, archives): bytes in memory, or a
//! stream of chunks, so that a large file is never held whole.
//!
//! The client sends a [`Binary`] made with [`Binary::from_stream`] chunk by chunk as the
//! stream produces them, and hands a binary download to the caller before reading it; the
//! server hands an upload to the implementation as it arrives, and sends a streamed answer
//! as it is produced.

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use bytes::Bytes;
use futures_core::Stream;

/// What reading a streamed body can fail with: the stream's own error, or the transport's.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;

/// A stream in a box: `Send`, but in a browser, where a reply's body is a JavaScript stream
/// that stays on its one thread.
#[cfg(not(target_arch = "wasm32"))]
pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = T> + Send>>;
#[cfg(target_arch = "wasm32")]
pub(crate) type BoxStream<T> = Pin<Box<dyn Stream<Item = T>>>;

pub(crate) type Chunks = BoxStream<Result<Bytes, BoxError>>;

/// What reading a streamed body failed with: a binary body's stream's own error, the
/// connection, a body longer than the limit, a stream already read (by a clone); an event
/// stream's too (`sse::Error`). See [`source`](std::error::Error::source) for the error
/// underneath. `?` turns it into a `Box<dyn Error>`, an `anyhow::Error` or, in a server
/// method, a `Problem`.
#[derive(Debug)]
pub struct Error(pub(crate) BoxError);

impl Error {
    /// The error underneath.
    pub fn into_inner(self) -> BoxError {
        self.0
    }
}

impl fmt::Display for Error {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        self.0.fmt(f)
    }
}

impl std::error::Error for Error {
    fn source(&self) -> Option<&(dyn std::error::Error + 'static)> {
        Some(&*self.0)
    }
}

/// A binary body: bytes in memory, or a stream of chunks that is read once.
///
/// Make one from bytes (`Binary::from(vec)`) or from any stream of chunks
/// ([`Binary::from_stream`]: a file read with `tokio_util::io::ReaderStream`, say). Read one
/// chunk by chunk with [`chunk`](Binary::chunk) (or as a `futures_core::Stream`), or whole
/// with [`collect`](Binary::collect). Clones of a streamed body share its one stream:
/// whichever reads or sends it first gets its chunks.
#[derive(Clone)]
pub struct Binary(Repr);

#[derive(Clone)]
enum Repr {
    Bytes(Bytes),
    Stream(Arc<Mutex<Option<Chunks>>>),
}

impl Binary {
    /// A body produced by `stream`, chunk by chunk.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<Bytes, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::from_chunks(Box::pin(ErrInto(Box::pin(stream))))
    }

    // In a browser the stream is not `Send` (see `BoxStream`), and neither is a `Binary`: the
    // `Arc` is what clones share, on the one thread there is.
    #[cfg_attr(target_arch = "wasm32", allow(clippy::arc_with_non_send_sync))]
    pub(crate) fn from_chunks(chunks: Chunks) -> Self {
        Binary(Repr::Stream(Arc::new(Mutex::new(Some(chunks)))))
    }

    /// The bytes, when the body is in memory rather than a stream.
    pub fn as_bytes(&self) -> Option<&Bytes> {
        match &self.0 {
            Repr::Bytes(bytes) => Some(bytes),
            Repr::Stream(_) => None,
        }
    }

    /// The next chunk, or `None` at the end (a body in memory is one chunk).
    pub async fn chunk(&mut self) -> Option<Result<Bytes, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// Reads the rest of the body into memory, failing once it is longer than `limit` bytes
    /// (a server that never stops sending is an error, not an exhausted memory).
    pub async fn collect(mut self, limit: usize) -> Result<Bytes, Error> {
        if let Repr::Bytes(bytes) = &self.0 {
            if bytes.len() > limit {
                return Err(Error(too_long(limit)));
            }
            return Ok(bytes.clone());
        }
        let mut whole = Vec::new();
        while let Some(chunk) = self.chunk().await {
            let chunk = chunk?;
            if whole.len() + chunk.len() > limit {
                return Err(Error(too_long(limit)));
            }
            whole.extend_from_slice(&chunk);
        }
        Ok(whole.into())
    }

    /// The stream, taken out to be sent; `None` for bytes in memory. Sent once: a second
    /// taker (a clone, say) gets an error.
    #[cfg(any(feature = "client", feature = "server"))]
    pub(crate) fn take_stream(&self) -> Result<Option<Chunks>, BoxError> {
        match &self.0 {
            Repr::Bytes(_) => Ok(None),
            Repr::Stream(shared) => shared
                .lock()
                .unwrap_or_else(PoisonError::into_inner)
                .take()
                .map(Some)
                .ok_or_else(spent),
        }
    }

    /// A body read from an HTTP body as its data frames arrive.
    #[cfg(any(
        feature = "server",
        all(feature = "client", not(target_arch = "wasm32"))
    ))]
    pub(crate) fn from_body<B>(body: B) -> Self
    where
        B: http_body::Body<Data = Bytes> + Send + Unpin + 'static,
        B::Error: Into<BoxError>,
    {
        Self::from_chunks(Box::pin(Frames(body)))
    }
}

fn spent() -> BoxError {
    "the streamed body was read or sent already (by a clone)".into()
}

fn too_long(limit: usize) -> BoxError {
    format!("the body is longer than {limit} bytes").into()
}

impl Stream for Binary {
    type Item = Result<Bytes, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        let this = self.get_mut();
        match &mut this.0 {
            Repr::Bytes(bytes) if bytes.is_empty() => Poll::Ready(None),
            Repr::Bytes(bytes) => Poll::Ready(Some(Ok(std::mem::take(bytes)))),
            Repr::Stream(shared) => {
                let mut stream = shared.lock().unwrap_or_else(PoisonError::into_inner);
                match stream.as_mut() {
                    Some(chunks) => chunks
                        .as_mut()
                        .poll_next(cx)
                        .map(|chunk| chunk.map(|chunk| chunk.map_err(Error))),
                    None => {
                        drop(stream);
                        // Said once; then the body ends.
                        this.0 = Repr::Bytes(Bytes::new());
                        Poll::Ready(Some(Err(Error(spent()))))
                    }
                }
            }
        }
    }
}

impl Default for Binary {
    fn default() -> Self {
        Binary(Repr::Bytes(Bytes::new()))
    }
}

impl From<Bytes> for Binary {
    fn from(bytes: Bytes) -> Self {
        Binary(Repr::Bytes(bytes))
    }
}

impl From<Vec<u8>> for Binary {
    fn from(bytes: Vec<u8>) -> Self {
        Binary(Repr::Bytes(bytes.into()))
    }
}

impl From<&'static [u8]> for Binary {
    fn from(bytes: &'static [u8]) -> Self {
        Binary(Repr::Bytes(Bytes::from_static(bytes)))
    }
}

impl From<String> for Binary {
    fn from(text: String) -> Self {
        Binary(Repr::Bytes(text.into()))
    }
}

impl From<&'static str> for Binary {
    fn from(text: &'static str) -> Self {
        Binary(Repr::Bytes(Bytes::from_static(text.as_bytes())))
    }
}

/// Bodies in memory are equal when their bytes are; a streamed body equals only its clones.
impl PartialEq for Binary {
    fn eq(&self, other: &Self) -> bool {
        match (&self.0, &other.0) {
            (Repr::Bytes(a), Repr::Bytes(b)) => a == b,
            (Repr::Stream(a), Repr::Stream(b)) => Arc::ptr_eq(a, b),
            _ => false,
        }
    }
}

impl fmt::Debug for Binary {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.0 {
            Repr::Bytes(bytes) => write!(f, "Binary({} bytes)", bytes.len()),
            Repr::Stream(_) => f.write_str("Binary(stream)"),
        }
    }
}

/// A stream's errors made [`BoxError`]s.
struct ErrInto<S>(Pin<Box<S>>);

impl<S, E> Stream for ErrInto<S>
where
    S: Stream<Item = Result<Bytes, E>>,
    E: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map_err(Into::into)))
    }
}

/// An HTTP body's data frames as a stream (trailers are skipped).
#[cfg(any(
    feature = "server",
    all(feature = "client", not(target_arch = "wasm32"))
))]
struct Frames<B>(B);

#[cfg(any(
    feature = "server",
    all(feature = "client", not(target_arch = "wasm32"))
))]
impl<B> Stream for Frames<B>
where
    B: http_body::Body<Data = Bytes> + Unpin,
    B::Error: Into<BoxError>,
{
    type Item = Result<Bytes, BoxError>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        loop {
            return match Pin::new(&mut self.0).poll_frame(cx) {
                Poll::Ready(Some(Ok(frame))) => match frame.into_data() {
                    Ok(data) => Poll::Ready(Some(Ok(data))),
                    Err(_trailers) => continue,
                },
                Poll::Ready(Some(Err(e))) => Poll::Ready(Some(Err(e.into()))),
                Poll::Ready(None) => Poll::Ready(None),
                Poll::Pending => Poll::Pending,
            };
        }
    }
}

/// A stream of chunks as an HTTP body that is `Sync` (as reqwest wants its bodies): the
/// stream is only ever used through `&mut`, so the mutex is never contended.
#[cfg(feature = "client")]
pub(crate) struct SyncBody(pub(crate) Mutex<Chunks>);

#[cfg(all(feature = "client", target_arch = "wasm32"))]
impl SyncBody {
    pub(crate) fn into_chunks(self) -> Chunks {
        self.0.into_inner().unwrap_or_else(PoisonError::into_inner)
    }
}

#[cfg(feature = "client")]
impl http_body::Body for SyncBody {
    type Data = Bytes;
    type Error = BoxError;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<http_body::Frame<Bytes>, BoxError>>> {
        let chunks = self
            .get_mut()
            .0
            .get_mut()
            .unwrap_or_else(PoisonError::into_inner);
        chunks
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|chunk| chunk.map(http_body::Frame::data)))
    }
}
