//! What the client does differently in a browser (`wasm32-unknown-unknown`), in one place:
//! clocks and timers, reading a reply's body as it arrives, sending a streamed body.
//!
//! Elsewhere, `std::time::Instant` and `tokio::time` are the clock and the timers, and a
//! body is read from reqwest's hyper response. In the browser, `std::time::Instant::now`
//! panics and tokio has no timer: the clock is `performance.now()` (web-time), the timers are
//! `setTimeout` (gloo-timers), and a body is read through the Fetch API's stream.

use std::future::Future;
use std::time::Duration;

use bytes::Bytes;

#[cfg(not(target_arch = "wasm32"))]
pub(crate) use std::time::{Instant, SystemTime};
#[cfg(target_arch = "wasm32")]
pub(crate) use web_time::{Instant, SystemTime};

/// Waits `duration`.
pub(crate) async fn sleep(duration: Duration) {
    #[cfg(not(target_arch = "wasm32"))]
    tokio::time::sleep(duration).await;
    #[cfg(target_arch = "wasm32")]
    gloo_timers::future::sleep(duration).await;
}

/// `future`'s output, or `None` once `limit` has passed without it.
pub(crate) async fn timeout<F: Future>(limit: Duration, future: F) -> Option<F::Output> {
    #[cfg(not(target_arch = "wasm32"))]
    return tokio::time::timeout(limit, future).await.ok();
    #[cfg(target_arch = "wasm32")]
    {
        let future = std::pin::pin!(future);
        let timer = std::pin::pin!(sleep(limit));
        match futures_util::future::select(future, timer).await {
            futures_util::future::Either::Left((output, _)) => Some(output),
            futures_util::future::Either::Right(_) => None,
        }
    }
}

/// A reply whose body is read as it arrives.
#[derive(Debug)]
pub(crate) struct Unread {
    #[cfg(not(target_arch = "wasm32"))]
    response: reqwest::Response,
    /// The Fetch API's response body as a stream.
    #[cfg(target_arch = "wasm32")]
    stream: FetchStream,
}

#[cfg(target_arch = "wasm32")]
struct FetchStream(std::pin::Pin<Box<dyn futures_core::Stream<Item = reqwest::Result<Bytes>>>>);

#[cfg(target_arch = "wasm32")]
impl std::fmt::Debug for FetchStream {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("FetchStream")
    }
}

impl Unread {
    pub(crate) fn new(response: reqwest::Response) -> Self {
        #[cfg(not(target_arch = "wasm32"))]
        return Unread { response };
        #[cfg(target_arch = "wasm32")]
        Unread {
            stream: FetchStream(Box::pin(response.bytes_stream())),
        }
    }

    /// The next part of the body, or `None` at its end.
    pub(crate) async fn chunk(&mut self) -> reqwest::Result<Option<Bytes>> {
        #[cfg(not(target_arch = "wasm32"))]
        return self.response.chunk().await;
        #[cfg(target_arch = "wasm32")]
        {
            use futures_util::StreamExt;
            self.stream.0.next().await.transpose()
        }
    }

    /// The `reqwest::Response` underneath.
    #[cfg(not(target_arch = "wasm32"))]
    pub(crate) fn into_response(self) -> reqwest::Response {
        self.response
    }

    /// The body as a [`Binary`](crate::binary::Binary) read as it arrives.
    pub(crate) fn into_binary(self) -> crate::binary::Binary {
        #[cfg(not(target_arch = "wasm32"))]
        return crate::binary::Binary::from_body(http::Response::from(self.response).into_body());
        #[cfg(target_arch = "wasm32")]
        {
            use futures_util::StreamExt;
            crate::binary::Binary::from_chunks(Box::pin(self.stream.0.map(|chunk| Ok(chunk?))))
        }
    }
}

/// A streamed request body, for reqwest. The Fetch API reqwest uses in a browser cannot
/// send a body as a stream, so there it is read whole first.
pub(crate) async fn streamed_body(
    body: crate::binary::SyncBody,
) -> Result<reqwest::Body, crate::binary::Error> {
    #[cfg(not(target_arch = "wasm32"))]
    return Ok(reqwest::Body::wrap(body));
    #[cfg(target_arch = "wasm32")]
    crate::binary::Binary::from_chunks(body.into_chunks())
        .collect(usize::MAX)
        .await
        .map(reqwest::Body::from)
}

/// Whether a transport error is a failure to connect (worth a retry). The browser does not
/// say, so there it never is.
pub(crate) fn is_connect(error: &reqwest::Error) -> bool {
    #[cfg(not(target_arch = "wasm32"))]
    return error.is_connect();
    #[cfg(target_arch = "wasm32")]
    {
        let _ = error;
        false
    }
}
