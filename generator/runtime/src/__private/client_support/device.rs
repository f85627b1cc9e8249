//! The device authorization grant (RFC 8628), for a program without a browser: it asks for
//! a user code, shows it with where to enter it, and polls the token endpoint until the
//! user has approved (or denied, or the code expired).

use std::fmt;
use std::time::Duration;

use reqwest::Url;
use serde_json::Value;

use super::oauth::{endpoint_url, read_token, seconds, Endpoint};
use super::*;
use crate::platform::Instant;

/// The polling interval when the server names none (RFC 8628, section 3.2).
const INTERVAL: u64 = 5;

/// The longest a user code is waited for, and the longest interval taken: an hour, whatever
/// a server says, so a hostile answer cannot hold the program.
const MAX_WAIT: u64 = 3600;

/// A device flow's endpoints and the client using them.
///
/// ```ignore
/// let device = DeviceAuthorization::new(device_url, token_url, "my-cli")?;
/// let code = device.start(&["read"]).await?;
/// println!("Go to {} and enter {}", code.verification_uri(), code.user_code());
/// let token = code.token().await?;
/// let source = RefreshToken::from_token(token_url, "my-cli", token)?;
/// ```
#[derive(Debug)]
pub struct DeviceAuthorization {
    device_url: Url,
    endpoint: Endpoint,
}

impl DeviceAuthorization {
    /// The flow at `device_authorization_url` and `token_url` (both absolute), as the
    /// public client `client_id`.
    pub fn new(
        device_authorization_url: &str,
        token_url: &str,
        client_id: impl Into<String>,
    ) -> Result<Self, Error> {
        Ok(DeviceAuthorization {
            device_url: endpoint_url(device_authorization_url)?,
            endpoint: Endpoint::new(token_url, client_id.into())?,
        })
    }

    /// The flow, for a confidential client: authenticated with `client_secret` as `auth`
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

    /// The flow, asking through `http`.
    pub fn with_http_client(mut self, http: reqwest::Client) -> Self {
        self.endpoint.http = http;
        self
    }

    /// Asks for a user code for `scopes`: show the user its
    /// [`user_code`](DeviceCode::user_code) and [`verification_uri`](DeviceCode::verification_uri),
    /// then wait for the token with [`DeviceCode::token`].
    pub async fn start(&self, scopes: &[&str]) -> Result<DeviceCode, Error> {
        let scope = scopes.join(" ");
        let mut form = Vec::new();
        if !scope.is_empty() {
            form.push(("scope", scope.as_str()));
        }
        let answer = match self.endpoint.post(&self.device_url, &form).await? {
            Ok(answer) => answer,
            Err((_, message)) => return Err(Error::Token(message)),
        };
        let url = &self.device_url;
        let bad = |what: String| {
            Error::Token(format!(
                "the device authorization endpoint {url} answered {what}"
            ))
        };
        let text = |key: &str| match answer.get(key) {
            Some(Value::String(text)) if !text.is_empty() => Ok(Some(text.clone())),
            None | Some(Value::Null) => Ok(None),
            Some(_) => Err(bad(format!("a {key} that is not text"))),
        };
        let required = |key: &str| text(key)?.ok_or_else(|| bad(format!("no {key}")));
        let device_code = required("device_code")?;
        let user_code = required("user_code")?;
        let verification_uri = required("verification_uri")?;
        let verification_uri_complete = text("verification_uri_complete")?;
        let lifetime = answer
            .get("expires_in")
            .ok_or_else(|| bad("no expires_in".to_owned()))
            .and_then(|v| seconds(v, MAX_WAIT).map_err(|e| bad(format!("expires_in {e}"))))?;
        let interval = match answer.get("interval") {
            None | Some(Value::Null) => INTERVAL,
            Some(v) => seconds(v, MAX_WAIT).map_err(|e| bad(format!("interval {e}")))?,
        };
        Ok(DeviceCode {
            device_code,
            user_code,
            verification_uri,
            verification_uri_complete,
            expires_at: Instant::now() + Duration::from_secs(lifetime),
            interval: Duration::from_secs(interval),
            endpoint: self.endpoint.clone(),
        })
    }
}

/// A user code waiting for the user's approval.
pub struct DeviceCode {
    device_code: String,
    user_code: String,
    verification_uri: String,
    verification_uri_complete: Option<String>,
    expires_at: Instant,
    interval: Duration,
    endpoint: Endpoint,
}

impl fmt::Debug for DeviceCode {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("DeviceCode")
            .field("user_code", &self.user_code)
            .field("verification_uri", &self.verification_uri)
            .field("expires_at", &self.expires_at)
            .finish_non_exhaustive()
    }
}

impl DeviceCode {
    /// The code the user enters.
    pub fn user_code(&self) -> &str {
        &self.user_code
    }

    /// Where the user enters it.
    pub fn verification_uri(&self) -> &str {
        &self.verification_uri
    }

    /// Where the user approves without typing the code, when the server gives one (for a
    /// link or a QR code).
    pub fn verification_uri_complete(&self) -> Option<&str> {
        self.verification_uri_complete.as_deref()
    }

    /// Polls the token endpoint until the user approves: every `interval` the server
    /// named (5 s unless it said), 5 s longer after each `slow_down`. The user's refusal
    /// (`access_denied`), the code's expiry, or any other error ends it with
    /// [`Error::Token`].
    pub async fn token(mut self) -> Result<Token, Error> {
        let grant = "urn:ietf:params:oauth:grant-type:device_code";
        loop {
            if Instant::now() + self.interval > self.expires_at {
                return Err(Error::Token(format!(
                    "the user code {} expired before the user approved it",
                    self.user_code
                )));
            }
            crate::platform::sleep(self.interval).await;
            let form = [
                ("grant_type", grant),
                ("device_code", self.device_code.as_str()),
            ];
            match self.endpoint.post(&self.endpoint.url, &form).await? {
                Ok(answer) => return read_token(&answer, &self.endpoint.url),
                Err((code, _)) if code == "authorization_pending" => {}
                Err((code, _)) if code == "slow_down" => self.interval += Duration::from_secs(5),
                Err((code, _)) if code == "access_denied" => {
                    return Err(Error::Token(
                        "the user denied the authorization request".to_owned(),
                    ))
                }
                Err((_, message)) => return Err(Error::Token(message)),
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::oauth::tests::{endpoint, json};
    use super::*;

    #[tokio::test]
    async fn the_device_flow_polls_until_approved_slowing_down_when_told() {
        let (url, seen) = endpoint(vec![
            json(
                200,
                r#"{"device_code":"dc","user_code":"WDJB-MJHT","verification_uri":"https://example.com/device","expires_in":60,"interval":0}"#,
            ),
            json(400, r#"{"error":"authorization_pending"}"#),
            json(400, r#"{"error":"slow_down"}"#),
            json(200, r#"{"access_token":"t","refresh_token":"r"}"#),
        ])
        .await;
        let device = DeviceAuthorization::new(&url, &url, "cli").unwrap();
        let code = device.start(&["read"]).await.unwrap();
        assert_eq!(code.user_code(), "WDJB-MJHT");
        assert_eq!(code.verification_uri(), "https://example.com/device");
        let started = Instant::now();
        let token = code.token().await.unwrap();
        assert_eq!(
            (token.access_token(), token.refresh_token()),
            ("t", Some("r"))
        );
        // Interval 0, then 5 s more after `slow_down`.
        assert!(started.elapsed() >= Duration::from_secs(5));
        let seen = seen.lock().unwrap();
        assert_eq!(seen.len(), 4);
        assert!(seen[0].ends_with("scope=read&client_id=cli"), "{}", seen[0]);
        assert!(seen[1].contains("device_code=dc"), "{}", seen[1]);
    }

    #[tokio::test]
    async fn a_denied_or_malformed_device_flow_is_an_error() {
        let start = r#"{"device_code":"dc","user_code":"U","verification_uri":"https://e.com/d","expires_in":60,"interval":0}"#;
        let (url, _) = endpoint(vec![
            json(200, start),
            json(400, r#"{"error":"access_denied"}"#),
        ])
        .await;
        let code = DeviceAuthorization::new(&url, &url, "cli")
            .unwrap()
            .start(&[])
            .await
            .unwrap();
        let error = code.token().await.unwrap_err().to_string();
        assert!(error.contains("denied"), "{error}");
        for (answer, expected) in [
            (
                r#"{"user_code":"U","verification_uri":"u","expires_in":60}"#,
                "no device_code",
            ),
            (
                r#"{"device_code":"d","user_code":"U","verification_uri":"u","expires_in":-1}"#,
                "expires_in",
            ),
            (
                r#"{"device_code":"d","user_code":"U","verification_uri":"u","expires_in":60,"interval":1e9}"#,
                "interval",
            ),
        ] {
            let (url, _) = endpoint(vec![json(200, answer)]).await;
            let device = DeviceAuthorization::new(&url, &url, "cli").unwrap();
            let error = device.start(&[]).await.unwrap_err().to_string();
            assert!(error.contains(expected), "{expected:?} in {error}");
        }
    }
}
