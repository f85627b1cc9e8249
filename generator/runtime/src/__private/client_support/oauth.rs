//! The token sources of OAuth 2 itself (RFC 6749): [`ClientCredentials`] (at a token URL,
//! or at the one an OpenID Connect provider's discovery document names) and
//! [`RefreshToken`], and the exchange with a token endpoint they and the device flow share.
//!
//! A token endpoint is asked as the API is, through the client's own request machinery
//! ([`Core`]), so its answer is read within a byte limit and a time limit, and a redirect
//! is followed only within the endpoint's origin (the request carries the client's secret).
//! Whatever it answers, the result is a [`Token`] or an [`Error::Token`], never a panic.

use std::fmt;
use std::sync::Mutex;
use std::time::Duration;

use reqwest::{Method, Url};
use serde_json::Value;

use super::*;

/// How a client proves its identity to the token endpoint (RFC 6749, section 2.3.1).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum ClientAuth {
    /// HTTP basic authentication with the client id and secret (the default, which every
    /// server must support).
    #[default]
    Basic,
    /// `client_id` and `client_secret` in the form body.
    Body,
}

/// The most a token endpoint's answer may hold: tokens are a few kilobytes at most.
const REPLY_BYTES: usize = 64 << 10;

/// The time limit of one exchange with a token endpoint.
const TIMEOUT: Duration = Duration::from_secs(30);

/// The longest lifetime taken from an `expires_in`: ten years. More is a server's mistake
/// (or a trap for the clock's arithmetic), refused as such.
const MAX_LIFETIME: u64 = 10 * 365 * 24 * 3600;

/// A token endpoint, and the client asking it.
#[derive(Clone)]
pub(crate) struct Endpoint {
    pub(crate) url: Url,
    pub(crate) client_id: String,
    pub(crate) client_secret: Option<String>,
    pub(crate) auth: ClientAuth,
    pub(crate) http: reqwest::Client,
}

impl fmt::Debug for Endpoint {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Endpoint")
            .field("url", &self.url.as_str())
            .field("client_id", &self.client_id)
            .field(
                "client_secret",
                &self.client_secret.as_ref().map(|_| "<redacted>"),
            )
            .field("auth", &self.auth)
            .finish()
    }
}

/// `url` as an endpoint's URL: absolute, `http` or `https`.
pub(crate) fn endpoint_url(url: &str) -> Result<Url, Error> {
    match Url::parse(url) {
        Ok(parsed) if matches!(parsed.scheme(), "http" | "https") => Ok(parsed),
        Ok(_) => Err(Error::Token(format!("{url:?} is not an http or https URL"))),
        Err(e) => Err(Error::Token(format!("{url:?} is not a URL: {e}"))),
    }
}

impl Endpoint {
    pub(crate) fn new(url: &str, client_id: String) -> Result<Self, Error> {
        let http = Core::http_builder().build().map_err(Error::Transport)?;
        Ok(Endpoint {
            url: endpoint_url(url)?,
            client_id,
            client_secret: None,
            auth: ClientAuth::default(),
            http,
        })
    }

    /// A request to `url` as every exchange of the flows is made: redirects followed only
    /// within its origin, the answer capped at 64 KiB, within 30 s.
    fn request(&self, method: Method, url: &Url) -> Result<Request, Error> {
        let core = Core::with_http_client(url.as_str(), self.http.clone())?
            .with_redirects(Redirects::SameOrigin(5))
            .with_max_response_bytes(REPLY_BYTES)
            .with_timeout(Some(TIMEOUT));
        let mut request = core.request_at_base(method);
        request.header("accept", Some("application/json"));
        Ok(request)
    }

    /// The token endpoint an OpenID Connect provider's discovery document at `url` names
    /// (OpenID Connect Discovery 1.0, `token_endpoint`).
    pub(crate) async fn discover(&self, url: &Url) -> Result<Url, Error> {
        let failed = |what: String| Error::Token(format!("the discovery document {url}: {what}"));
        let request = self
            .request(Method::GET, url)
            .map_err(|e| failed(e.to_string()))?;
        let reply = request.send().await.map_err(|e| failed(e.to_string()))?;
        if !(200..300).contains(&reply.status()) {
            return Err(failed(format!("answered {}", reply.status())));
        }
        let document: Value =
            serde_json::from_slice(&reply.body).map_err(|e| failed(format!("not JSON ({e})")))?;
        match document.get("token_endpoint") {
            Some(Value::String(endpoint)) => {
                endpoint_url(endpoint).map_err(|e| failed(e.to_string()))
            }
            _ => Err(failed("names no token_endpoint".to_owned())),
        }
    }

    /// POSTs `form` to `url` (the token endpoint, or the device flow's) with the client's
    /// credentials, and reads the answer as JSON: `Ok` for a success, else the OAuth 2
    /// `error` code and the message to report.
    pub(crate) async fn post(
        &self,
        url: &Url,
        form: &[(&str, &str)],
    ) -> Result<Result<Value, (String, String)>, Error> {
        let failed = |e: Error| Error::Token(format!("the token endpoint {url}: {e}"));
        let mut request = self.request(Method::POST, url).map_err(failed)?;
        let mut pairs: Vec<(&str, &str)> = form.to_vec();
        match (&self.client_secret, self.auth) {
            (Some(secret), ClientAuth::Basic) => {
                // RFC 6749 form-encodes both before they are joined.
                request.basic = Some((form_encode(&self.client_id), form_encode(secret)));
            }
            (Some(secret), ClientAuth::Body) => {
                pairs.push(("client_id", &self.client_id));
                pairs.push(("client_secret", secret));
            }
            (None, _) => pairs.push(("client_id", &self.client_id)),
        }
        request.form("application/x-www-form-urlencoded", Some(&pairs));
        let reply = request.send().await.map_err(failed)?;
        let status = reply.status();
        let json: Option<Value> = serde_json::from_slice(&reply.body).ok();
        if (200..300).contains(&status) {
            return match json {
                Some(value @ Value::Object(_)) => Ok(Ok(value)),
                // The body may hold a token: it is not shown.
                _ => Err(Error::Token(format!(
                    "the token endpoint {url} answered {status} with a body that is not a JSON object"
                ))),
            };
        }
        let text = |key: &str| json.as_ref()?.get(key)?.as_str().map(str::to_owned);
        let code = text("error").unwrap_or_default();
        let mut message = format!("the token endpoint {url} answered {status}");
        if !code.is_empty() {
            message.push_str(&format!(": {code}"));
        }
        if let Some(description) = text("error_description") {
            message.push_str(&format!(" ({description})"));
        }
        if (300..400).contains(&status) {
            message.push_str(
                " (a redirect to another origin is not followed with the client's credentials)",
            );
        }
        Ok(Err((code, message)))
    }

    /// Asks the token endpoint for a token with `form`.
    pub(crate) async fn token(&self, form: &[(&str, &str)]) -> Result<Token, Error> {
        self.token_at(&self.url, form).await
    }

    /// Asks the token endpoint at `url` for a token with `form`.
    pub(crate) async fn token_at(&self, url: &Url, form: &[(&str, &str)]) -> Result<Token, Error> {
        match self.post(url, form).await? {
            Ok(value) => read_token(&value, url),
            Err((_, message)) => Err(Error::Token(message)),
        }
    }
}

/// `text` as `application/x-www-form-urlencoded` writes it.
fn form_encode(text: &str) -> String {
    let pair = serde_urlencoded::to_string([("", text)]).unwrap_or_default();
    pair.trim_start_matches('=').to_owned()
}

/// A successful token response (RFC 6749, section 5.1) as a [`Token`]: a bearer token with
/// a lifetime in seconds from 0 to ten years, when it gives one. Nothing of the body shows
/// in an error: it may hold a token.
pub(crate) fn read_token(reply: &Value, url: &Url) -> Result<Token, Error> {
    let bad = |what: &str| Error::Token(format!("the token endpoint {url} answered {what}"));
    let access_token = match reply.get("access_token") {
        Some(Value::String(token)) if !token.is_empty() => token,
        Some(Value::String(_)) => return Err(bad("an empty access_token")),
        Some(_) => return Err(bad("an access_token that is not a string of text")),
        None => return Err(bad("no access_token")),
    };
    if reqwest::header::HeaderValue::from_str(access_token).is_err() {
        return Err(bad("an access_token that cannot be sent in a header"));
    }
    match reply.get("token_type") {
        None => {}
        Some(Value::String(kind)) if kind.eq_ignore_ascii_case("bearer") => {}
        Some(Value::String(kind)) => {
            return Err(bad(&format!(
                "a token of type {kind:?}, which the client cannot send (only bearer tokens)"
            )))
        }
        Some(_) => return Err(bad("a token_type that is not text")),
    }
    let mut token = Token::new(access_token.clone());
    if let Some(lifetime) = reply.get("expires_in") {
        let seconds =
            seconds(lifetime, MAX_LIFETIME).map_err(|e| bad(&format!("expires_in {e}")))?;
        token = token.expires_in(Duration::from_secs(seconds));
    }
    match reply.get("refresh_token") {
        None | Some(Value::Null) => {}
        Some(Value::String(refresh)) if !refresh.is_empty() => {
            token = token.with_refresh_token(refresh.clone());
        }
        Some(_) => return Err(bad("a refresh_token that is not a string of text")),
    }
    Ok(token)
}

/// A count of seconds from 0 to `max`: a JSON number, or text holding one (as some servers
/// write `expires_in`).
pub(crate) fn seconds(value: &Value, max: u64) -> Result<u64, String> {
    let number = match value {
        Value::Number(n) => n
            .as_u64()
            .or_else(|| n.as_f64().filter(|f| *f >= 0.0).map(|f| f as u64)),
        Value::String(text) => text.trim().parse::<u64>().ok(),
        _ => None,
    };
    match number {
        Some(n) if n <= max => Ok(n),
        Some(n) => Err(format!(
            "of {n} seconds is longer than the {max} the client accepts"
        )),
        None => Err(format!("{value} is not a number of seconds from 0")),
    }
}

/// Tokens for the client itself (RFC 6749's client credentials grant): the client id and
/// secret are exchanged at the token endpoint for a token with the scopes each call needs.
#[derive(Debug)]
pub struct ClientCredentials {
    endpoint: Endpoint,
    /// The token endpoint, once read from the discovery document, when the source was made
    /// with [`ClientCredentials::discovered`].
    discovered: Option<tokio::sync::OnceCell<Url>>,
}

impl ClientCredentials {
    /// A source asking `token_url` (absolute) as the client `client_id`, authenticated
    /// with HTTP basic ([`ClientAuth::Basic`]), through a `reqwest::Client` of its own.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self, Error> {
        let mut endpoint = Endpoint::new(token_url, client_id.into())?;
        endpoint.client_secret = Some(client_secret.into());
        Ok(ClientCredentials {
            endpoint,
            discovered: None,
        })
    }

    /// A source asking the token endpoint that the OpenID Connect provider's discovery
    /// document at `discovery_url` (absolute; its `openIdConnectUrl`) names. The document is
    /// read once, when the first token is needed.
    pub fn discovered(
        discovery_url: &str,
        client_id: impl Into<String>,
        client_secret: impl Into<String>,
    ) -> Result<Self, Error> {
        let mut source = ClientCredentials::new(discovery_url, client_id, client_secret)?;
        source.discovered = Some(tokio::sync::OnceCell::new());
        Ok(source)
    }

    /// The source, sending the client's id and secret as `auth` says.
    pub fn with_client_auth(mut self, auth: ClientAuth) -> Self {
        self.endpoint.auth = auth;
        self
    }

    /// The source, asking through `http` (built with `redirect(Policy::none())`, as
    /// `Client::http_builder` does).
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.endpoint.http = http;
        self
    }
}

impl TokenSource for ClientCredentials {
    fn fetch<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(async move {
            let scope = scopes.join(" ");
            let mut form = vec![("grant_type", "client_credentials")];
            if !scope.is_empty() {
                form.push(("scope", &scope));
            }
            let Some(discovered) = &self.discovered else {
                return self.endpoint.token(&form).await;
            };
            let discovery = &self.endpoint.url;
            let url = discovered
                .get_or_try_init(|| self.endpoint.discover(discovery))
                .await?;
            self.endpoint.token_at(url, &form).await
        })
    }
}

/// Tokens from a refresh token (RFC 6749, section 6): the one an authorization code, a
/// password or a device flow gave, exchanged at the token endpoint for a new access token
/// whenever one is needed. A new refresh token in the answer replaces the old one.
///
/// The refresh asks for no scopes: the new token has those of the grant.
pub struct RefreshToken {
    endpoint: Endpoint,
    /// The refresh token, and the access token that came with it until it is used.
    state: Mutex<(String, Option<Token>)>,
}

impl fmt::Debug for RefreshToken {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("RefreshToken")
            .field("endpoint", &self.endpoint)
            .field("refresh_token", &"<redacted>")
            .finish()
    }
}

impl RefreshToken {
    /// A source exchanging `refresh_token` at `token_url` (absolute) as the public client
    /// `client_id`.
    pub fn new(
        token_url: &str,
        client_id: impl Into<String>,
        refresh_token: impl Into<String>,
    ) -> Result<Self, Error> {
        Ok(RefreshToken {
            endpoint: Endpoint::new(token_url, client_id.into())?,
            state: Mutex::new((refresh_token.into(), None)),
        })
    }

    /// A source starting from `token` (a device flow's, or one you got yourself): its
    /// access token is used while it lasts, then its refresh token.
    pub fn from_token(
        token_url: &str,
        client_id: impl Into<String>,
        token: Token,
    ) -> Result<Self, Error> {
        let Some(refresh) = token.refresh_token().map(str::to_owned) else {
            return Err(Error::Token(
                "the token came without a refresh token".to_owned(),
            ));
        };
        let source = RefreshToken::new(token_url, client_id, refresh)?;
        source.lock().1 = Some(token);
        Ok(source)
    }

    /// The source, for a confidential client: authenticated with `client_secret` as `auth`
    /// says.
    pub fn with_client_secret(
        mut self,
        client_secret: impl Into<String>,
        auth: ClientAuth,
    ) -> Self {
        self.endpoint.client_secret = Some(client_secret.into());
        self.endpoint.auth = auth;
        self
    }

    /// The source, asking through `http`.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.endpoint.http = http;
        self
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, (String, Option<Token>)> {
        self.state
            .lock()
            .unwrap_or_else(|poisoned| poisoned.into_inner())
    }
}

impl TokenSource for RefreshToken {
    fn fetch<'a>(&'a self, _scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(async move {
            let refresh = {
                let mut state = self.lock();
                if let Some(first) = state.1.take().filter(Token::is_fresh) {
                    return Ok(first);
                }
                state.0.clone()
            };
            let form = [
                ("grant_type", "refresh_token"),
                ("refresh_token", refresh.as_str()),
            ];
            let token = self.endpoint.token(&form).await?;
            Ok(match token.refresh_token() {
                Some(rotated) => {
                    self.lock().0 = rotated.to_owned();
                    token
                }
                None => token.with_refresh_token(refresh),
            })
        })
    }
}

#[cfg(test)]
pub(crate) mod tests {
    use std::sync::{Arc, Mutex};

    use tokio::io::{AsyncReadExt, AsyncWriteExt};

    use super::*;

    /// A token endpoint on 127.0.0.1 answering each request with the next of `answers`
    /// (whole HTTP responses; the last is repeated), keeping each request's text.
    pub(crate) async fn endpoint(answers: Vec<String>) -> (String, Arc<Mutex<Vec<String>>>) {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}/token", listener.local_addr().unwrap());
        let seen = Arc::new(Mutex::new(Vec::new()));
        let kept = seen.clone();
        tokio::spawn(async move {
            let mut answers = answers.into_iter().peekable();
            while let Ok((mut socket, _)) = listener.accept().await {
                let mut request = Vec::new();
                let mut buffer = [0; 4096];
                // The head, then as much body as it announces.
                loop {
                    let n = socket.read(&mut buffer).await.unwrap_or(0);
                    request.extend_from_slice(&buffer[..n]);
                    let text = String::from_utf8_lossy(&request).to_lowercase();
                    if let Some(end) = text.find("\r\n\r\n") {
                        let length = text
                            .lines()
                            .find_map(|l| l.strip_prefix("content-length:"))
                            .and_then(|l| l.trim().parse::<usize>().ok())
                            .unwrap_or(0);
                        if request.len() >= end + 4 + length {
                            break;
                        }
                    }
                    if n == 0 {
                        break;
                    }
                }
                kept.lock()
                    .unwrap()
                    .push(String::from_utf8_lossy(&request).into_owned());
                let answer = match answers.next() {
                    Some(answer) if answers.peek().is_none() => {
                        answers = vec![answer.clone()].into_iter().peekable();
                        answer
                    }
                    Some(answer) => answer,
                    None => break,
                };
                let _ = socket.write_all(answer.as_bytes()).await;
            }
        });
        (url, seen)
    }

    /// A whole HTTP response with a JSON body.
    pub(crate) fn json(status: u16, body: &str) -> String {
        format!(
            "HTTP/1.1 {status} X\r\ncontent-type: application/json\r\ncontent-length: {}\r\nconnection: close\r\n\r\n{body}",
            body.len()
        )
    }

    async fn fetch(answer: String) -> Result<Token, Error> {
        let (url, _) = endpoint(vec![answer]).await;
        let source = ClientCredentials::new(&url, "id", "secret").unwrap();
        source.fetch(&["read"]).await
    }

    #[tokio::test]
    async fn client_credentials_are_sent_as_the_rfc_says() {
        let (url, seen) = endpoint(vec![json(
            200,
            r#"{"access_token":"t1","token_type":"Bearer","expires_in":60}"#,
        )])
        .await;
        let source = ClientCredentials::new(&url, "my id", "s3cret").unwrap();
        let token = source.fetch(&["read", "write"]).await.unwrap();
        assert_eq!(token.access_token(), "t1");
        assert!(token.expires_at().is_some());
        let request = seen.lock().unwrap()[0].clone();
        assert!(request.starts_with("POST /token "), "{request}");
        // "my+id:s3cret", each form-encoded first.
        assert!(request.contains("bXkraWQ6czNjcmV0"), "{request}");
        assert!(
            request.ends_with("grant_type=client_credentials&scope=read+write"),
            "{request}"
        );

        let body = ClientCredentials::new(&url, "id", "s3cret")
            .unwrap()
            .with_client_auth(ClientAuth::Body);
        body.fetch(&[]).await.unwrap();
        let request = seen.lock().unwrap()[1].clone();
        assert!(
            !request.to_lowercase().contains("authorization:"),
            "{request}"
        );
        assert!(
            request.ends_with("grant_type=client_credentials&client_id=id&client_secret=s3cret"),
            "{request}"
        );
    }

    #[tokio::test]
    async fn hostile_token_answers_are_errors_that_show_no_token() {
        let cases = [
            (json(200, "not json"), "not a JSON object"),
            (json(200, r#"{"token_type":"bearer"}"#), "no access_token"),
            (json(200, r#"{"access_token":7}"#), "not a string"),
            (json(200, r#"{"access_token":"sec\nret"}"#), "cannot be sent in a header"),
            (json(200, r#"{"access_token":"secret","token_type":"mac"}"#), "type \"mac\""),
            (json(200, r#"{"access_token":"secret","expires_in":-5}"#), "expires_in"),
            (json(200, r#"{"access_token":"secret","expires_in":1e300}"#), "longer than"),
            (json(200, r#"{"access_token":"secret","expires_in":"soon"}"#), "expires_in"),
            (json(400, r#"{"error":"invalid_client","error_description":"who?"}"#), "400: invalid_client (who?)"),
            (json(200, &format!(r#"{{"access_token":"{}"}}"#, "a".repeat(100_000))), "longer than"),
            (
                "HTTP/1.1 307 X\r\nlocation: http://elsewhere.invalid/token\r\ncontent-length: 0\r\n\r\n".to_owned(),
                "answered 307",
            ),
        ];
        for (answer, expected) in cases {
            let error = fetch(answer).await.unwrap_err();
            let shown = format!("{error} {error:?}");
            assert!(matches!(error, Error::Token(_)), "{shown}");
            assert!(shown.contains(expected), "{expected:?} in {shown}");
            assert!(!shown.contains("secret"), "{shown}");
        }
        // A string of seconds, as some servers write it, is read.
        let token = fetch(json(200, r#"{"access_token":"t","expires_in":"3600"}"#)).await;
        assert!(token.unwrap().expires_at().is_some());
    }

    #[tokio::test]
    async fn an_openid_provider_names_its_token_endpoint_once() {
        let (token_url, seen) = endpoint(vec![json(200, r#"{"access_token":"t"}"#)]).await;
        let document = format!(r#"{{"issuer":"x","token_endpoint":"{token_url}"}}"#);
        let (discovery, read) = endpoint(vec![json(200, &document)]).await;
        let source = ClientCredentials::discovered(&discovery, "id", "secret").unwrap();
        source.fetch(&["openid"]).await.unwrap();
        source.fetch(&["openid"]).await.unwrap();
        assert_eq!(read.lock().unwrap().len(), 1);
        assert_eq!(seen.lock().unwrap().len(), 2);
        assert!(read.lock().unwrap()[0].starts_with("GET /token "));
        for (document, expected) in [
            ("{}", "names no token_endpoint"),
            (
                r#"{"token_endpoint":"file:///etc/passwd"}"#,
                "not an http or https URL",
            ),
            ("nonsense", "not JSON"),
        ] {
            let (discovery, _) = endpoint(vec![json(200, document)]).await;
            let source = ClientCredentials::discovered(&discovery, "id", "secret").unwrap();
            let error = source.fetch(&[]).await.unwrap_err().to_string();
            assert!(error.contains(expected), "{expected:?} in {error}");
        }
    }

    #[tokio::test]
    async fn a_refresh_token_is_rotated_and_the_first_access_token_used_while_it_lasts() {
        let (url, seen) = endpoint(vec![
            json(200, r#"{"access_token":"a2","refresh_token":"r2"}"#),
            json(200, r#"{"access_token":"a3"}"#),
        ])
        .await;
        let first = Token::new("a1").with_refresh_token("r1");
        let source = RefreshToken::from_token(&url, "cli", first).unwrap();
        assert_eq!(source.fetch(&[]).await.unwrap().access_token(), "a1");
        assert_eq!(source.fetch(&[]).await.unwrap().access_token(), "a2");
        let third = source.fetch(&[]).await.unwrap();
        assert_eq!(
            (third.access_token(), third.refresh_token()),
            ("a3", Some("r2"))
        );
        let seen = seen.lock().unwrap();
        assert!(seen[0].ends_with("grant_type=refresh_token&refresh_token=r1&client_id=cli"));
        assert!(seen[1].ends_with("grant_type=refresh_token&refresh_token=r2&client_id=cli"));
        assert!(!format!("{source:?}").contains("r2"));
    }
}
