//! [`Retry`]: which failed calls are tried again, and how long to wait between tries.

use reqwest::header::HeaderMap;

/// How the client tries a call again after a failure it may be worth repeating: no
/// answer (a connection refused, a timeout), or `408`, `429`, `500`, `502`, `503`, `504`.
///
/// Only requests that may safely arrive twice are repeated: `GET`, `HEAD`, `PUT`,
/// `DELETE`, `OPTIONS`, `TRACE`, or any request carrying an `Idempotency-Key`
/// (`Call::with_idempotency_key`). The wait between tries doubles from `initial_backoff`
/// up to `max_backoff`, each wait a random part of that (full jitter), unless the answer
/// says how long to wait with `Retry-After` (seconds or an HTTP date), which is honoured.
/// Every try sends the same body. Once `max_attempts` tries are spent, or the next wait
/// would pass `max_elapsed` since the first, the last answer or error is returned.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Retry {
    /// Tries in all, the first one included.
    pub max_attempts: u32,
    pub initial_backoff: std::time::Duration,
    pub max_backoff: std::time::Duration,
    /// The longest time from the first try to the start of the last.
    pub max_elapsed: std::time::Duration,
}

impl Default for Retry {
    /// 3 tries, waits from 100 ms to 5 s, within 30 s.
    fn default() -> Self {
        Retry {
            max_attempts: 3,
            initial_backoff: std::time::Duration::from_millis(100),
            max_backoff: std::time::Duration::from_secs(5),
            max_elapsed: std::time::Duration::from_secs(30),
        }
    }
}

impl Retry {
    /// Whether an answer with this status may be worth a new try.
    pub(crate) fn retries_status(status: u16) -> bool {
        matches!(status, 408 | 429 | 500 | 502 | 503 | 504)
    }

    /// The wait before try number `attempt` (1 is the first retry): a random part of the
    /// doubled backoff.
    pub(crate) fn backoff(&self, attempt: u32) -> std::time::Duration {
        use std::hash::{BuildHasher, Hasher};
        let ceiling = self
            .initial_backoff
            .saturating_mul(2u32.saturating_pow(attempt.saturating_sub(1)))
            .min(self.max_backoff);
        // A fresh `RandomState` is randomly keyed: enough randomness for spreading retries.
        let random = std::collections::hash_map::RandomState::new()
            .build_hasher()
            .finish();
        ceiling.mul_f64((random % 1_000_000) as f64 / 1_000_000.0)
    }
}

/// The wait a `Retry-After` header asks for: delay seconds, or an HTTP date.
pub(crate) fn retry_after(headers: &HeaderMap) -> Option<std::time::Duration> {
    let value = headers
        .get(reqwest::header::RETRY_AFTER)?
        .to_str()
        .ok()?
        .trim();
    if let Ok(seconds) = value.parse::<u64>() {
        return Some(std::time::Duration::from_secs(seconds));
    }
    // Both times as durations since the epoch: the date is a `std::time::SystemTime`, the
    // clock (in a browser) another type.
    let at = httpdate::parse_http_date(value)
        .ok()?
        .duration_since(std::time::UNIX_EPOCH)
        .ok()?;
    let now = crate::platform::SystemTime::now()
        .duration_since(crate::platform::SystemTime::UNIX_EPOCH)
        .unwrap_or_default();
    Some(at.saturating_sub(now))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn backoff_doubles_within_its_ceiling_and_never_passes_the_maximum() {
        let retry = Retry {
            initial_backoff: std::time::Duration::from_millis(100),
            max_backoff: std::time::Duration::from_millis(300),
            ..Retry::default()
        };
        for _ in 0..50 {
            assert!(retry.backoff(1) <= std::time::Duration::from_millis(100));
            assert!(retry.backoff(2) <= std::time::Duration::from_millis(200));
            assert!(retry.backoff(9) <= std::time::Duration::from_millis(300));
        }
        assert!(Retry::retries_status(503) && Retry::retries_status(429));
        assert!(!Retry::retries_status(501) && !Retry::retries_status(400));
    }

    #[test]
    fn retry_after_is_seconds_or_an_http_date() {
        let headers = |value: &str| {
            let mut headers = HeaderMap::new();
            headers.insert(reqwest::header::RETRY_AFTER, value.parse().unwrap());
            headers
        };
        assert_eq!(
            retry_after(&headers(" 7 ")),
            Some(std::time::Duration::from_secs(7))
        );
        let past = retry_after(&headers("Wed, 21 Oct 2015 07:28:00 GMT"));
        assert_eq!(past, Some(std::time::Duration::ZERO), "a date gone by: now");
        let soon = std::time::SystemTime::now() + std::time::Duration::from_secs(120);
        let wait = retry_after(&headers(&httpdate::fmt_http_date(soon))).unwrap();
        assert!(wait > std::time::Duration::from_secs(100), "{wait:?}");
        assert_eq!(retry_after(&headers("soon")), None);
        assert_eq!(retry_after(&HeaderMap::new()), None);
    }
}
