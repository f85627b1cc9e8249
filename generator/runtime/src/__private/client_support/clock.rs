//! The clock of the token cache and the waits of the device flow: the one place the
//! client's OAuth 2 code reads the time or sleeps, so a target without `std::time::Instant`
//! or tokio's timer (wasm32) swaps them here.

pub(crate) use std::time::Instant;

/// Now, on the clock tokens expire by.
pub(crate) fn now() -> Instant {
    Instant::now()
}

/// Waits `duration` (the device flow's polling interval).
pub(crate) async fn sleep(duration: std::time::Duration) {
    tokio::time::sleep(duration).await
}
