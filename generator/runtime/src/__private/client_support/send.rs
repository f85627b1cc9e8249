//! Sending a [`Request`]: once, or tried again as the client's [`Retry`] says, following
//! redirects itself, the reply read within the client's cap.

use reqwest::header::{HeaderValue, CONTENT_TYPE, COOKIE};

use crate::redirect::Hop;

use super::*;

impl Request {
    /// Sends the request and reads the whole reply, trying again as the client's [`Retry`]
    /// says. A bearer token from a [`TokenSource`] is fetched first (or taken from the
    /// cache); if the API answers `401` to it, a new one is fetched and the request sent
    /// once more, never more: a second `401` is the answer.
    pub async fn send(mut self) -> Result<Reply, Error> {
        if let Some(error) = self.error.take() {
            return Err(error);
        }
        if !self.cookies.is_empty() {
            match HeaderValue::try_from(self.cookies.join("; ")) {
                Ok(value) => {
                    self.headers.insert(COOKIE, value);
                }
                Err(_) => {
                    return Err(Error::InvalidRequest(
                        "a cookie value is not valid in a header".to_owned(),
                    ))
                }
            }
        }
        let Some(token) = self.bearer_token().await? else {
            return self.deliver().await;
        };
        // A streamed body is sent once: its 401 is the answer.
        if self.stream.is_some() {
            return self.deliver().await;
        }
        let reply = self.deliver().await?;
        if reply.status != 401 {
            return Ok(reply);
        }
        drop(reply);
        if let Some((scheme, tokens)) = self.bearer.clone() {
            let token = tokens
                .renew(self.scopes_of(scheme), Some(token.access_token()))
                .await?;
            self.authorize(&token)?;
        }
        self.deliver().await
    }

    /// Sets `Authorization` to a token from the request's token source, when it has one:
    /// the one held unless it is about to expire. An event stream opened again later gets
    /// a current one so.
    pub(crate) async fn bearer_token(&mut self) -> Result<Option<Token>, Error> {
        let Some((scheme, tokens)) = self.bearer.clone() else {
            return Ok(None);
        };
        let token = tokens.get(self.scopes_of(scheme)).await?;
        self.authorize(&token)?;
        Ok(Some(token))
    }

    /// The scopes the operation names for `scheme`.
    fn scopes_of(&self, scheme: &str) -> &'static [&'static str] {
        self.scopes
            .iter()
            .find(|(name, _)| *name == scheme)
            .map_or(&[], |(_, scopes)| scopes)
    }

    /// Sets `Authorization` to `token`, a header marked sensitive (never logged).
    fn authorize(&mut self, token: &Token) -> Result<(), Error> {
        self.secret_header("authorization", &format!("Bearer {}", token.access_token()));
        self.error.take().map_or(Ok(()), Err)
    }

    /// Sends the request as it is, trying again as the client's [`Retry`] says.
    async fn deliver(&mut self) -> Result<Reply, Error> {
        if let Some((content_type, stream)) = self.stream.take() {
            // A stream is sent once: there is nothing to send again.
            let body = crate::platform::streamed_body(stream)
                .await
                .map_err(|e| Error::InvalidRequest(format!("request body: {e}")))?;
            return self.send_once(Some((content_type, body))).await;
        }
        let retry = self.retry.filter(|_| {
            self.method.is_idempotent() || self.headers.contains_key("idempotency-key")
        });
        let Some(retry) = retry else {
            return self.send_once(None).await;
        };
        let start = crate::platform::Instant::now();
        let mut attempt = 1;
        loop {
            let outcome = self.send_once(None).await;
            let wait = match &outcome {
                Ok(reply) if Retry::retries_status(reply.status) => {
                    retry_after(&reply.headers).unwrap_or_else(|| retry.backoff(attempt))
                }
                Err(Error::Transport(e)) if crate::platform::is_connect(e) => {
                    retry.backoff(attempt)
                }
                Err(e) if e.is_timeout() => retry.backoff(attempt),
                _ => return outcome,
            };
            if attempt >= retry.max_attempts || start.elapsed() + wait > retry.max_elapsed {
                return outcome;
            }
            crate::platform::sleep(wait).await;
            attempt += 1;
        }
    }

    /// The HTTP request of one hop: credentials, headers and cookies only while the chain
    /// stayed within the origin, the body where the hop keeps it.
    fn hop(
        &self,
        hop: &Hop,
        stream: Option<(String, reqwest::Body)>,
        timeout: Option<std::time::Duration>,
    ) -> Result<reqwest::Request, Error> {
        let mut request = self
            .transport
            .http()
            .request(hop.method.clone(), hop.url.clone());
        if hop.trusted {
            request = request.headers(self.headers.clone());
            if let Some((user, password)) = &self.basic {
                request = request.basic_auth(user, Some(password));
            }
        }
        if hop.body {
            if let Some((content_type, body)) = &self.body {
                request = request
                    .header(CONTENT_TYPE, content_type.as_str())
                    .body(body.clone());
            }
            if let Some((content_type, body)) = stream {
                request = request.header(CONTENT_TYPE, content_type).body(body);
            }
        }
        if let Some(timeout) = timeout {
            request = request.timeout(timeout);
        }
        request.build().map_err(Error::Transport)
    }

    /// One try: the same method, URL, headers and body each time; or the one try of a
    /// streamed body. Redirects are followed here, as the client's [`Redirects`] says, all
    /// within the call's time limit.
    pub async fn send_once(&self, stream: Option<(String, reqwest::Body)>) -> Result<Reply, Error> {
        // A streamed request body is sent once: such a request is never sent again.
        let once = stream.is_some();
        let mut stream = stream;
        let streamed_reply = self.stream_success
            || !self.stream_statuses.is_empty()
            || !self.stream_media.is_empty();
        let limit = self.timeout.or(self.client_timeout);
        // Whether the limit also covers reading the body (else only the wait for the head).
        let whole = self.timeout.is_some() || !streamed_reply;
        let start = crate::platform::Instant::now();
        let left = |limit: std::time::Duration| limit.saturating_sub(start.elapsed());
        let mut hop = Hop::first(self.method.clone(), self.url.clone());
        let mut followed = 0;
        let mut response = loop {
            let request = self.hop(&hop, stream.take(), limit.filter(|_| whole).map(left))?;
            let sent = request.url().clone();
            let exchange = self.transport.execute(request);
            let response = match limit.filter(|_| !whole) {
                Some(limit) => crate::platform::timeout(left(limit), exchange)
                    .await
                    .ok_or(Error::Timeout { limit })??,
                None => exchange.await?,
            };
            if hop.trusted && response.url().origin() != sent.origin() {
                let to = response.url();
                #[cfg(not(target_arch = "wasm32"))]
                let why = format!("the reqwest::Client followed a redirect to another origin ({to}) by itself, with this call's credentials and headers; build it with redirect(reqwest::redirect::Policy::none()), as Client::http_builder does, and the client follows redirects without them");
                #[cfg(target_arch = "wasm32")]
                let why = format!(
                    "the browser followed a redirect to another origin ({to}); its reply is not read"
                );
                return Err(Error::InvalidRequest(why));
            }
            match hop.next(&response, &self.url, self.redirects, followed, !once) {
                Some(next) => {
                    hop = next;
                    followed += 1;
                }
                None => break response,
            }
        };
        let status = response.status().as_u16();
        let headers = std::mem::take(response.headers_mut());
        let content_type = headers
            .get(CONTENT_TYPE)
            .and_then(|v| v.to_str().ok())
            .unwrap_or("");
        let item_by_item = self
            .stream_media
            .iter()
            .any(|media| crate::media::matches(media, content_type));
        let events = item_by_item && crate::media::matches("text/event-stream", content_type);
        if (self.stream_success && response.status().is_success())
            || self.stream_statuses.contains(&status)
            || item_by_item
        {
            // An event stream that ends may be opened again: the request is kept for that.
            let again =
                (events && self.event_reconnect > 0 && !once).then(|| Box::new(self.again()));
            return Ok(Reply {
                status,
                headers,
                body: Vec::new(),
                unread: Some(crate::platform::Unread::new(response)),
                again,
                limit: self.max_response_bytes,
            });
        }
        let limit = self.max_response_bytes;
        let too_large = || Error::ResponseTooLarge { status, limit };
        if response
            .content_length()
            .is_some_and(|length| length > limit as u64)
        {
            return Err(too_large());
        }
        // Usually the length is announced: one allocation.
        let mut body = Vec::with_capacity(response.content_length().unwrap_or(0) as usize);
        let mut response = crate::platform::Unread::new(response);
        while let Some(chunk) = response.chunk().await.map_err(Error::Transport)? {
            if body.len() + chunk.len() > limit {
                return Err(too_large());
            }
            body.extend_from_slice(&chunk);
        }
        Ok(Reply {
            status,
            headers,
            body,
            unread: None,
            again: None,
            limit,
        })
    }
}

pub(crate) fn join<T: ToString>(values: &[T]) -> String {
    values
        .iter()
        .map(ToString::to_string)
        .collect::<Vec<_>>()
        .join(",")
}
