//! OAuth 2 access tokens: [`Token`], [`TokenSource`] (where a client gets them), and the
//! cache every call and every clone of a client shares ([`TokenCache`]), which fetches a
//! token once for concurrent calls, again before it expires, and again after the API
//! refuses it.

use std::collections::BTreeMap;
use std::fmt;
use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::time::Duration;

use super::*;
use crate::platform::Instant;

/// An access token, sent as `Authorization: Bearer <token>`, with when it expires and the
/// refresh token that came with it. Its `Debug` form never shows either token.
#[derive(Clone)]
pub struct Token {
    access_token: String,
    refresh_token: Option<String>,
    /// When it expires, on the runtime's clock (`Instant`: web-time's in a browser); `None`: the issuer did not say.
    expires_at: Option<Instant>,
    /// When the cache fetches another: a little before it expires.
    renew_at: Option<Instant>,
}

/// The most a token is renewed before it expires: early enough that a request sent with it
/// arrives while it is valid. A short-lived token is renewed when a quarter of its lifetime
/// is left, if that is less.
const RENEW_MARGIN: Duration = Duration::from_secs(30);

impl Token {
    /// A token that, as far as the client knows, does not expire (the API's 401 tells).
    pub fn new(access_token: impl Into<String>) -> Self {
        Token {
            access_token: access_token.into(),
            refresh_token: None,
            expires_at: None,
            renew_at: None,
        }
    }

    /// The token, expiring `lifetime` from now (the token endpoint's `expires_in`).
    pub fn expires_in(mut self, lifetime: Duration) -> Self {
        let now = Instant::now();
        let margin = RENEW_MARGIN.min(lifetime / 4);
        self.expires_at = now.checked_add(lifetime);
        self.renew_at = now.checked_add(lifetime - margin);
        self
    }

    /// The token, with the refresh token that came with it.
    pub fn with_refresh_token(mut self, refresh_token: impl Into<String>) -> Self {
        self.refresh_token = Some(refresh_token.into());
        self
    }

    /// The access token itself.
    pub fn access_token(&self) -> &str {
        &self.access_token
    }

    /// The refresh token that came with it, if any.
    pub fn refresh_token(&self) -> Option<&str> {
        self.refresh_token.as_deref()
    }

    /// When it expires, if the issuer said.
    pub fn expires_at(&self) -> Option<Instant> {
        self.expires_at
    }

    /// Whether it is still good to send: not within its renewal margin of expiring.
    pub(crate) fn is_fresh(&self) -> bool {
        self.renew_at.is_none_or(|at| Instant::now() < at)
    }
}

impl fmt::Debug for Token {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Token")
            .field("access_token", &"<redacted>")
            .field(
                "refresh_token",
                &self.refresh_token.as_ref().map(|_| "<redacted>"),
            )
            .field("expires_at", &self.expires_at)
            .finish()
    }
}

/// What [`TokenSource::fetch`] returns: a boxed future, so that a client can hold any
/// source; `Send`, but in a browser (wasm32), where a request's future is not.
#[cfg(not(target_arch = "wasm32"))]
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, Error>> + Send + 'a>>;
#[cfg(target_arch = "wasm32")]
pub type TokenFuture<'a> = Pin<Box<dyn Future<Output = Result<Token, Error>> + 'a>>;

/// Where a client gets its access tokens: [`ClientCredentials`], [`RefreshToken`], or your
/// own (a cloud SDK's credentials, a token file, a vault).
///
/// The client calls `fetch` when it holds no token for the scopes a call needs, when the
/// one it holds is about to expire, and after the API answered `401` to it (once per call:
/// a second `401` is the call's answer). Concurrent calls wait for one fetch, and clones of
/// the client share what it fetched, so a source need not cache.
///
/// ```ignore
/// struct FromEnv;
///
/// impl TokenSource for FromEnv {
///     fn fetch<'a>(&'a self, _scopes: &'a [&'a str]) -> TokenFuture<'a> {
///         Box::pin(async {
///             let token = std::env::var("API_TOKEN")
///                 .map_err(|e| Error::Token(format!("API_TOKEN: {e}")))?;
///             Ok(Token::new(token))
///         })
///     }
/// }
/// ```
pub trait TokenSource: Send + Sync + 'static {
    /// A new token for `scopes` (those the operation's security requirement names; empty
    /// when it names none).
    fn fetch<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a>;
}

/// The tokens a client holds, by the scopes they were fetched for, and where it gets new
/// ones. Shared (an `Arc`) by every clone of the client; the lock is held while fetching,
/// so concurrent calls needing a token fetch it once.
pub struct TokenCache {
    source: Box<dyn TokenSource>,
    tokens: tokio::sync::Mutex<BTreeMap<Vec<String>, Token>>,
}

impl fmt::Debug for TokenCache {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str("TokenCache(<redacted>)")
    }
}

impl TokenCache {
    pub fn new(source: impl TokenSource) -> Arc<Self> {
        Arc::new(TokenCache {
            source: Box::new(source),
            tokens: tokio::sync::Mutex::default(),
        })
    }

    /// A token for `scopes`: the one held, unless it is about to expire, else a new one.
    pub(crate) async fn get(&self, scopes: &[&str]) -> Result<Token, Error> {
        self.renew(scopes, None).await
    }

    /// A token for `scopes` other than `refused` (one the API answered `401` to): a new one,
    /// unless another call replaced it already.
    pub(crate) async fn renew(
        &self,
        scopes: &[&str],
        refused: Option<&str>,
    ) -> Result<Token, Error> {
        let key: Vec<String> = scopes.iter().map(|s| (*s).to_owned()).collect();
        let mut tokens = self.tokens.lock().await;
        if let Some(held) = tokens.get(&key) {
            if held.is_fresh() && refused != Some(held.access_token()) {
                return Ok(held.clone());
            }
        }
        tokens.remove(&key);
        let token = self.source.fetch(scopes).await?;
        tokens.insert(key, token.clone());
        Ok(token)
    }
}

#[cfg(test)]
mod tests {
    use std::sync::atomic::{AtomicUsize, Ordering};

    use super::*;

    /// Issues `token-1`, `token-2`, ... each living `lifetime`.
    struct Counter {
        fetched: Arc<AtomicUsize>,
        lifetime: Option<Duration>,
    }

    impl TokenSource for Counter {
        fn fetch<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
            Box::pin(async move {
                // Slow enough that concurrent calls overlap.
                tokio::time::sleep(Duration::from_millis(20)).await;
                let n = self.fetched.fetch_add(1, Ordering::SeqCst) + 1;
                let token = Token::new(format!("token-{n}:{}", scopes.join(" ")));
                Ok(match self.lifetime {
                    Some(lifetime) => token.expires_in(lifetime),
                    None => token,
                })
            })
        }
    }

    fn cache(lifetime: Option<Duration>) -> (Arc<TokenCache>, Arc<AtomicUsize>) {
        let fetched = Arc::new(AtomicUsize::new(0));
        let source = Counter {
            fetched: fetched.clone(),
            lifetime,
        };
        (TokenCache::new(source), fetched)
    }

    #[tokio::test]
    async fn concurrent_calls_fetch_once_and_scopes_have_tokens_of_their_own() {
        let (cache, fetched) = cache(None);
        let (a, b, c) = tokio::join!(
            cache.get(&["read"]),
            cache.get(&["read"]),
            cache.get(&["read"])
        );
        assert_eq!(fetched.load(Ordering::SeqCst), 1);
        assert_eq!(a.unwrap().access_token(), "token-1:read");
        assert_eq!(b.unwrap().access_token(), c.unwrap().access_token());
        let write = cache.get(&["read", "write"]).await.unwrap();
        assert_eq!(write.access_token(), "token-2:read write");
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_token_is_renewed_before_it_expires() {
        let (cache, fetched) = cache(Some(Duration::from_millis(200)));
        cache.get(&[]).await.unwrap();
        cache.get(&[]).await.unwrap();
        assert_eq!(fetched.load(Ordering::SeqCst), 1);
        // A quarter of its lifetime before it expires, it is renewed.
        tokio::time::sleep(Duration::from_millis(160)).await;
        assert_eq!(cache.get(&[]).await.unwrap().access_token(), "token-2:");
    }

    #[tokio::test]
    async fn a_refused_token_is_replaced_once_for_all_who_saw_it_refused() {
        let (cache, fetched) = cache(None);
        let first = cache.get(&[]).await.unwrap();
        let refused = Some(first.access_token());
        let (a, b) = tokio::join!(cache.renew(&[], refused), cache.renew(&[], refused));
        assert_eq!(a.unwrap().access_token(), "token-2:");
        assert_eq!(b.unwrap().access_token(), "token-2:");
        assert_eq!(fetched.load(Ordering::SeqCst), 2);
    }

    #[tokio::test]
    async fn a_request_sent_again_later_carries_a_current_token() {
        let (cache, _) = cache(Some(Duration::from_millis(100)));
        let mut core = Core::new("http://127.0.0.1:9/").unwrap();
        core.set_credential("S", Credential::Source(cache));
        let mut request = core.request(reqwest::Method::GET, "events", &[]);
        request.security(&[&["S"]]);
        request.scopes(&[("S", &["read"])]);
        let bearer = |r: &Request| r.headers["authorization"].to_str().unwrap().to_owned();
        request.bearer_token().await.unwrap();
        assert_eq!(bearer(&request), "Bearer token-1:read");
        assert!(request.headers["authorization"].is_sensitive());
        // An event stream opened again after the token expired: a new one.
        tokio::time::sleep(Duration::from_millis(100)).await;
        let mut again = request.again();
        again.bearer_token().await.unwrap();
        assert_eq!(bearer(&again), "Bearer token-2:read");
    }

    #[test]
    fn debug_never_shows_a_token() {
        let token = Token::new("s3cret").with_refresh_token("r3fresh");
        let shown = format!("{token:?}");
        assert!(
            !shown.contains("s3cret") && !shown.contains("r3fresh"),
            "{shown}"
        );
    }
}
