//! The stream type typed streaming bodies share: server-sent events (`sse::Events`) and
//! sequential JSON (`jsonl::Items`).

use std::fmt;
use std::pin::Pin;
use std::sync::{Arc, Mutex, PoisonError};
use std::task::{Context, Poll};

use futures_core::Stream;

use crate::binary::{BoxError, Error};

type Inner<T> = crate::binary::BoxStream<Result<T, Error>>;

/// A stream of items, read once: `Shared` is a `futures_core::Stream`, and
/// [`next`](Shared::next) reads it without any stream extension trait.
///
/// Clones share the one stream: whichever reads first gets the items. An error from the
/// stream (an item that does not decode, a broken connection) is one item; reading goes on
/// after it.
pub struct Shared<T>(Arc<Mutex<Option<Inner<T>>>>);

impl<T: 'static> Shared<T> {
    /// Items produced by `stream`, sent as they come.
    pub fn from_stream<S, E>(stream: S) -> Self
    where
        S: Stream<Item = Result<T, E>> + Send + 'static,
        E: Into<BoxError>,
    {
        Self::from_inner(Box::pin(ErrInto(Box::pin(stream))))
    }

    pub(crate) fn from_inner(inner: Inner<T>) -> Self {
        Shared(Arc::new(Mutex::new(Some(inner))))
    }

    /// The next item, or `None` at the end of the stream.
    pub async fn next(&mut self) -> Option<Result<T, Error>> {
        std::future::poll_fn(|cx| Pin::new(&mut *self).poll_next(cx)).await
    }

    /// The stream, taken out to be sent; a second taker (a clone) gets an error.
    #[cfg_attr(not(feature = "server"), allow(dead_code))]
    pub(crate) fn take_stream(&self) -> Result<Inner<T>, BoxError> {
        self.0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .take()
            .ok_or_else(|| "the stream was read or sent already (by a clone)".into())
    }
}

impl<T: Send + 'static> From<Vec<T>> for Shared<T> {
    fn from(items: Vec<T>) -> Self {
        Self::from_inner(Box::pin(Listed(items.into_iter())))
    }
}

impl<T> Stream for Shared<T> {
    type Item = Result<T, Error>;

    fn poll_next(self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        match self
            .0
            .lock()
            .unwrap_or_else(PoisonError::into_inner)
            .as_mut()
        {
            Some(inner) => inner.as_mut().poll_next(cx),
            None => Poll::Ready(None),
        }
    }
}

impl<T> Clone for Shared<T> {
    fn clone(&self) -> Self {
        Shared(self.0.clone())
    }
}

/// A stream equals only its clones.
impl<T> PartialEq for Shared<T> {
    fn eq(&self, other: &Self) -> bool {
        Arc::ptr_eq(&self.0, &other.0)
    }
}

impl<T> fmt::Debug for Shared<T> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("Shared(stream)")
    }
}

/// A stream's errors made [`Error`]s.
struct ErrInto<S>(Pin<Box<S>>);

impl<S, T, E> Stream for ErrInto<S>
where
    S: Stream<Item = Result<T, E>>,
    E: Into<BoxError>,
{
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, cx: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        self.0
            .as_mut()
            .poll_next(cx)
            .map(|item| item.map(|item| item.map_err(|e| Error(e.into()))))
    }
}

/// Items held in memory, as a stream.
struct Listed<T>(std::vec::IntoIter<T>);

impl<T> Unpin for Listed<T> {}

impl<T> Stream for Listed<T> {
    type Item = Result<T, Error>;

    fn poll_next(mut self: Pin<&mut Self>, _: &mut Context<'_>) -> Poll<Option<Self::Item>> {
        Poll::Ready(self.0.next().map(Ok))
    }
}
