//! The server's budget for request bodies being read into memory: each body's size limit
//! bounds one request, and this bounds them all together, so many slow clients sending
//! large bodies cannot make the server hold them all at once.

use std::future::Future;
use std::pin::Pin;
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, OnceLock};
use std::task::{Context, Poll};

use axum::body::{Body, Bytes};
use http_body::Frame;
use tokio::sync::{AcquireError, OwnedSemaphorePermit, Semaphore};

/// How many bytes of request bodies the server reads into memory at once, over all
/// requests: 64 MiB unless set. A body's bytes count from when they arrive until the body is
/// read whole; a request whose next bytes do not fit waits for others to finish, and is
/// answered 503 if that takes longer than the [`ReadTimeout`](crate::__private::server_support::ReadTimeout).
/// Streamed uploads, which the implementation reads as they arrive, do not count.
///
/// [`serve`](crate::__private::server_support::serve) sets it from its `Limits`; with `axum::serve`,
/// set it with a layer on the router
/// (`router(api).layer(axum::Extension(BodyBudget::new(16 << 20)))`), or one budget, by
/// default, is shared by every router of the process.
#[derive(Clone)]
pub struct BodyBudget {
    bytes: usize,
    free: Arc<Semaphore>,
}

impl BodyBudget {
    /// A budget of `bytes` (at least 1).
    pub fn new(bytes: usize) -> Self {
        let bytes = bytes.clamp(1, Semaphore::MAX_PERMITS);
        BodyBudget {
            bytes,
            free: Arc::new(Semaphore::new(bytes)),
        }
    }

    /// The process's default budget, for routers served without one.
    pub(crate) fn shared() -> Self {
        static SHARED: OnceLock<BodyBudget> = OnceLock::new();
        SHARED.get_or_init(BodyBudget::default).clone()
    }

    /// `body`, its bytes counted against this budget while it is read; `starved` is set
    /// while it waits for room.
    pub(crate) fn count(&self, body: Body, starved: Arc<AtomicBool>) -> Body {
        Body::new(Counted {
            body,
            budget: self.clone(),
            held: None,
            waiting: None,
            starved,
        })
    }
}

impl Default for BodyBudget {
    /// 64 MiB: 32 bodies of axum's default size limit (2 MB) at once.
    fn default() -> Self {
        BodyBudget::new(64 << 20)
    }
}

impl std::fmt::Debug for BodyBudget {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("BodyBudget")
            .field("bytes", &self.bytes)
            .field("free", &self.free.available_permits())
            .finish()
    }
}

type Acquire = Pin<Box<dyn Future<Output = Result<OwnedSemaphorePermit, AcquireError>> + Send>>;

/// A request body whose bytes hold a part of the budget from when they arrive until the
/// body is dropped (once read whole).
struct Counted {
    body: Body,
    budget: BodyBudget,
    held: Option<OwnedSemaphorePermit>,
    /// Room being waited for, and the frame that needs it.
    waiting: Option<(Acquire, Frame<Bytes>)>,
    starved: Arc<AtomicBool>,
}

impl Counted {
    fn hold(&mut self, permit: OwnedSemaphorePermit) {
        match &mut self.held {
            Some(held) => held.merge(permit),
            None => self.held = Some(permit),
        }
    }
}

impl http_body::Body for Counted {
    type Data = Bytes;
    type Error = axum::Error;

    fn poll_frame(
        self: Pin<&mut Self>,
        cx: &mut Context<'_>,
    ) -> Poll<Option<Result<Frame<Bytes>, axum::Error>>> {
        let this = self.get_mut();
        if let Some((acquire, _)) = &mut this.waiting {
            let permit = std::task::ready!(acquire.as_mut().poll(cx));
            this.starved.store(false, Ordering::Relaxed);
            // The semaphore is never closed, so the permit is always there.
            if let Ok(permit) = permit {
                this.hold(permit);
            }
            return Poll::Ready(this.waiting.take().map(|(_, frame)| Ok(frame)));
        }
        let frame = match std::task::ready!(Pin::new(&mut this.body).poll_frame(cx)) {
            Some(Ok(frame)) => frame,
            other => return Poll::Ready(other),
        };
        // A frame larger than the whole budget takes all of it.
        let size = frame
            .data_ref()
            .map_or(0, Bytes::len)
            .min(this.budget.bytes);
        let Ok(size) = u32::try_from(size) else {
            return Poll::Ready(Some(Ok(frame)));
        };
        if size == 0 {
            return Poll::Ready(Some(Ok(frame)));
        }
        match this.budget.free.clone().try_acquire_many_owned(size) {
            Ok(permit) => {
                this.hold(permit);
                Poll::Ready(Some(Ok(frame)))
            }
            Err(_) => {
                this.starved.store(true, Ordering::Relaxed);
                let acquire = Box::pin(this.budget.free.clone().acquire_many_owned(size));
                this.waiting = Some((acquire, frame));
                Pin::new(this).poll_frame(cx)
            }
        }
    }

    fn is_end_stream(&self) -> bool {
        self.waiting.is_none() && self.body.is_end_stream()
    }

    fn size_hint(&self) -> http_body::SizeHint {
        self.body.size_hint()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Polls `body` for its next frame once, without a runtime.
    fn poll(body: &mut Body) -> Poll<Option<usize>> {
        let mut cx = Context::from_waker(std::task::Waker::noop());
        http_body::Body::poll_frame(Pin::new(body), &mut cx)
            .map(|frame| frame.map(|frame| frame.unwrap().into_data().map_or(0, |data| data.len())))
    }

    #[test]
    fn bodies_share_the_budget_until_they_are_dropped() {
        let budget = BodyBudget::new(10);
        let (first_starved, second_starved) = (Arc::default(), Arc::<AtomicBool>::default());
        let mut first = budget.count(Body::from("12345678"), first_starved);
        let mut second = budget.count(Body::from("123456"), second_starved.clone());
        assert_eq!(poll(&mut first), Poll::Ready(Some(8)));
        assert_eq!(budget.free.available_permits(), 2);
        assert_eq!(poll(&mut second), Poll::Pending, "6 bytes do not fit in 2");
        assert!(second_starved.load(Ordering::Relaxed));
        drop(first);
        assert_eq!(poll(&mut second), Poll::Ready(Some(6)));
        assert!(!second_starved.load(Ordering::Relaxed));
        drop(second);
        assert_eq!(budget.free.available_permits(), 10);
    }

    #[test]
    fn a_frame_larger_than_the_budget_takes_all_of_it_and_a_budget_is_never_empty() {
        let budget = BodyBudget::new(0);
        assert_eq!(budget.bytes, 1);
        let mut body = budget.count(Body::from("larger"), Arc::default());
        assert_eq!(poll(&mut body), Poll::Ready(Some(6)));
        assert_eq!(budget.free.available_permits(), 0);
    }
}
