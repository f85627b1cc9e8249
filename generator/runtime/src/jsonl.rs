//! Sequential JSON (`application/jsonl`, `application/x-ndjson`, `application/json-seq`): a
//! stream of typed items, on both sides.
//!
//! The client hands over an [`Items`] as soon as the reply's status and headers are in, and
//! decodes each item as it arrives: a line at a time, or a record at a time for
//! `application/json-seq` (RFC 7464: each item after the record separator 0x1E). The server
//! writes the [`Items`] the implementation returns, each item as it is produced: make one
//! from any stream of items ([`Items::from_stream`]) or from a `Vec`.

#[cfg(any(feature = "client", feature = "server"))]
use crate::binary::BoxError;

/// What reading or sending an item failed with: an item that does not decode (the message
/// quotes it), an item longer than the client's cap on a reply body, the connection. The
/// same type as a binary body's chunks fail with.
pub use crate::binary::Error;

/// How the items are told apart on the wire.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Framing {
    /// One item a line (JSON Lines, NDJSON).
    Lines,
    /// Each item after a record separator (0x1E) and ended by a line feed (RFC 7464).
    RecordSeparator,
}

/// The record separator that starts each item of `application/json-seq`.
#[cfg(any(feature = "client", feature = "server"))]
const RS: u8 = 0x1E;

/// The longest item the server reads of a request body, as the router's default limit on a
/// whole body (2 MB).
#[cfg(feature = "server")]
const SERVER_ITEM_LIMIT: usize = 2 * 1024 * 1024;

/// A stream of items, read once (see [`Shared`](crate::stream::Shared)): make one from any
/// stream of items with `Items::from_stream`, or from a `Vec` with `Items::from`.
pub type Items<T> = crate::stream::Shared<T>;

/// One item read as JSON, the whitespace around it trimmed; the error quotes the item, so
/// nothing is lost. `None` for an empty line or record, which holds no item.
#[cfg(any(feature = "client", feature = "server"))]
fn decode<T: serde::de::DeserializeOwned>(text: &[u8]) -> Option<Result<T, BoxError>> {
    let text = text.trim_ascii();
    if text.is_empty() {
        return None;
    }
    Some(serde_json::from_slice(text).map_err(|e| quote(text, e)))
}

/// A record of `application/json-seq` read up to a line feed, as soon as it is whole: its
/// item, or the error of a whole JSON text of another type. `None` while it may go on (an
/// item written over several lines): its next record separator ends it.
#[cfg(any(feature = "client", feature = "server"))]
fn decode_whole<T: serde::de::DeserializeOwned>(text: &[u8]) -> Option<Result<T, BoxError>> {
    let text = text.trim_ascii();
    match serde_json::from_slice(text) {
        Ok(item) => Some(Ok(item)),
        Err(e) if e.is_data() => Some(Err(quote(text, e))),
        Err(_) => None,
    }
}

#[cfg(any(feature = "client", feature = "server"))]
fn quote(text: &[u8], e: serde_json::Error) -> BoxError {
    let quoted = String::from_utf8_lossy(text);
    format!("item {quoted:?}: {e}").into()
}

/// One item in the wire format: its JSON on one line (serde_json never writes a line break
/// in compact JSON), after a record separator for `application/json-seq`.
#[cfg(any(feature = "client", feature = "server"))]
fn encode<T: serde::Serialize>(item: &T, framing: Framing) -> Result<bytes::Bytes, BoxError> {
    let mut text = Vec::new();
    if framing == Framing::RecordSeparator {
        text.push(RS);
    }
    serde_json::to_writer(&mut text, item)?;
    text.push(b'\n');
    Ok(text.into())
}

/// Items as they arrive in a body, framed as `framing` says, each at most `limit` bytes.
#[cfg(any(feature = "client", feature = "server"))]
fn read<T: serde::de::DeserializeOwned + Send + 'static>(
    body: crate::binary::Binary,
    framing: Framing,
    limit: usize,
) -> Items<T> {
    let received = reader::Received {
        buffer: Vec::new(),
        ended: 0,
        searched: 0,
        skipping: false,
        body: Some(body),
        broken: None,
        framing,
        limit,
    };
    Items::from_inner(Box::pin(futures_util::stream::unfold(
        received,
        |mut received| async move { received.next().await.map(|item| (item, received)) },
    )))
}

/// Items as a body, each written as it is produced; an error from the stream ends it.
#[cfg(any(feature = "client", feature = "server"))]
fn written<T: serde::Serialize + 'static>(
    items: &Items<T>,
    framing: Framing,
) -> Result<crate::binary::Binary, BoxError> {
    use futures_util::StreamExt;
    let items = items.take_stream()?;
    Ok(crate::binary::Binary::from_chunks(Box::pin(items.map(
        move |item| encode(&item.map_err(|e| e.0)?, framing),
    ))))
}

#[cfg(any(feature = "client", feature = "server"))]
mod reader {
    use super::{Error, Framing};
    use crate::binary::{Binary, BoxError};

    /// Sequential JSON being read.
    pub(super) struct Received {
        /// What arrived of the item being read, and after it.
        pub(super) buffer: Vec<u8>,
        /// How far the buffer is known to hold no delimiter.
        pub(super) ended: usize,
        /// How far the buffer was searched for a line feed ending a record.
        pub(super) searched: usize,
        /// Whether the item being read is too long, and dropped up to its end.
        pub(super) skipping: bool,
        /// The body being read; `None` once it ended.
        pub(super) body: Option<Binary>,
        /// How the body broke, said once its items are out.
        pub(super) broken: Option<BoxError>,
        pub(super) framing: Framing,
        pub(super) limit: usize,
    }

    impl Framing {
        /// The byte that ends an item in the reader's eyes.
        fn delimiter(self) -> u8 {
            match self {
                Framing::Lines => b'\n',
                Framing::RecordSeparator => super::RS,
            }
        }
    }

    impl Received {
        pub(super) async fn next<T: serde::de::DeserializeOwned>(
            &mut self,
        ) -> Option<Result<T, Error>> {
            self.read().await.map(|item| item.map_err(Error))
        }

        async fn read<T: serde::de::DeserializeOwned>(&mut self) -> Option<Result<T, BoxError>> {
            loop {
                if let Some(item) = self.item() {
                    return Some(item);
                }
                if self.buffer.len() > self.limit {
                    self.buffer.clear();
                    (self.ended, self.searched) = (0, 0);
                    if !std::mem::replace(&mut self.skipping, true) {
                        return Some(Err(self.too_long()));
                    }
                }
                let Some(body) = &mut self.body else {
                    // The body ended: what is left is the last item, unless it was dropped.
                    let rest = std::mem::take(&mut self.buffer);
                    (self.ended, self.searched) = (0, 0);
                    if let Some(item) = (!self.skipping).then(|| super::decode(&rest)).flatten() {
                        return Some(item);
                    }
                    return self.broken.take().map(Err);
                };
                match body.chunk().await {
                    Some(Ok(chunk)) => self.buffer.extend_from_slice(&chunk),
                    end => {
                        self.broken = end.and_then(Result::err).map(Error::into_inner);
                        self.body = None;
                    }
                }
            }
        }

        /// The next item the buffer holds whole, if any.
        fn item<T: serde::de::DeserializeOwned>(&mut self) -> Option<Result<T, BoxError>> {
            loop {
                let delimiter = self.framing.delimiter();
                let found = self.buffer[self.ended..]
                    .iter()
                    .position(|b| *b == delimiter);
                if let Some(end) = found.map(|at| self.ended + at) {
                    let item: Vec<u8> = self.buffer.drain(..=end).collect();
                    (self.ended, self.searched) = (0, 0);
                    if std::mem::take(&mut self.skipping) {
                        continue;
                    }
                    if end > self.limit {
                        return Some(Err(self.too_long()));
                    }
                    match super::decode(&item[..end]) {
                        Some(item) => return Some(item),
                        None => continue,
                    }
                }
                // Searched once: a long item arrives in many chunks.
                self.ended = self.buffer.len();
                // A record of json-seq ends at its line feed, when the JSON before it is
                // whole: the next record separator may be a long time coming.
                if self.framing != Framing::RecordSeparator || self.skipping {
                    return None;
                }
                while let Some(at) = self.buffer[self.searched..]
                    .iter()
                    .position(|b| *b == b'\n')
                {
                    let end = self.searched + at;
                    self.searched = end + 1;
                    if let Some(item) = super::decode_whole(&self.buffer[..end]) {
                        self.buffer.drain(..=end);
                        (self.ended, self.searched) = (0, 0);
                        return Some(item);
                    }
                }
                return None;
            }
        }

        fn too_long(&self) -> BoxError {
            let limit = self.limit;
            format!("an item longer than {limit} bytes was dropped").into()
        }
    }
}

#[cfg(feature = "client")]
mod client {
    use super::{Framing, Items};
    use crate::__private::client_support::{Reply, Request};

    impl Reply {
        /// The body as items framed as `framing` says, each decoded as it arrives.
        pub fn items<T: serde::de::DeserializeOwned + Send + 'static>(
            &mut self,
            framing: Framing,
        ) -> Items<T> {
            super::read(self.binary(), framing, self.limit())
        }
    }

    impl Request {
        /// Sets a body of items, each sent as it is produced, framed as `framing` says.
        pub fn items<T: serde::Serialize + 'static>(
            &mut self,
            content_type: &str,
            body: Option<&Items<T>>,
            framing: Framing,
        ) {
            let Some(body) = body else { return };
            match super::written(body, framing) {
                Ok(binary) => self.binary(content_type, Some(&binary)),
                Err(e) => self.fail(format!("request body: {e}")),
            }
        }
    }
}

#[cfg(feature = "server")]
mod server {
    use axum::response::{IntoResponse, Response};

    use super::{Framing, Items};
    use crate::__private::server_support::{Found, Incoming, Problem, Reply};

    impl Incoming {
        /// A body of items framed as `framing` says, read as it arrives.
        pub fn items<T: serde::de::DeserializeOwned + Send + 'static>(
            &mut self,
            declared: &str,
            framing: Framing,
        ) -> Found<Items<T>> {
            self.arriving(declared)
                .map(|body| super::read(body, framing, super::SERVER_ITEM_LIMIT))
        }
    }

    impl Reply {
        /// Sequential JSON: each item written, framed as `framing` says, as the
        /// implementation produces it. An error from the stream ends it.
        pub fn items<T: serde::Serialize + 'static>(
            self,
            content_type: &'static str,
            body: Items<T>,
            framing: Framing,
        ) -> Response {
            match super::written(&body, framing) {
                Ok(binary) => self.binary(content_type, binary),
                Err(e) => Problem::new(500, format!("the response body: {e}")).into_response(),
            }
        }
    }
}
