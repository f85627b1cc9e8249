//! [`Incoming`], a request taken apart once, its body read within the limits (or left
//! unread for an operation that streams it).

use axum::body::Bytes;
use axum::extract::rejection::RawPathParamsRejection;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::HeaderMap;

use crate::binary::{Binary, BoxError};
use crate::budget::BodyBudget;
use crate::problem::Problem;
use crate::style::{self};

use super::*;

/// Everything an operation's handler reads from a request, taken apart once. The body is
/// read here, within the router's body size limit (axum's `DefaultBodyLimit`).
pub struct Incoming {
    pub(crate) headers: HeaderMap,
    pub(crate) path: Vec<(String, String)>,
    /// The path as sent, percent escapes and all: an array or object path parameter is
    /// split at its style's separators before its items are decoded.
    pub(crate) raw_path: String,
    pub(crate) query: Vec<(String, String)>,
    /// Each query pair's name, decoded, and value as sent, for the same reason.
    pub(crate) raw_query: Vec<(String, String)>,
    /// The query string as sent, for a parameter that is all of it.
    pub(crate) query_string: String,
    pub(crate) body: Bytes,
    /// The body left unread, for an operation that streams it (a binary upload).
    pub(crate) upload: Option<Binary>,
}

impl Incoming {
    /// Takes a request to the operation named `operation` in the spec apart. The body is
    /// read within its size limit (413 past it) and the read timeout (408 past it).
    pub async fn read(request: Request, operation: &str) -> Result<Self, Problem> {
        Self::take_apart(request, operation, false).await
    }

    /// Takes a request apart as [`read`](Incoming::read) does, but leaves the body unread:
    /// the implementation reads it as it arrives (a binary upload, as large as it is). Its
    /// chunks are errors past the operation's [`BodyLimits`] limit, if it has one (the
    /// router's default limit does not apply), and when none arrives within the read timeout.
    pub async fn read_streaming(request: Request, operation: &str) -> Result<Self, Problem> {
        Self::take_apart(request, operation, true).await
    }

    async fn take_apart(
        mut request: Request,
        operation: &str,
        streaming: bool,
    ) -> Result<Self, Problem> {
        let limit = request
            .extensions()
            .get::<BodyLimits>()
            .and_then(|limits| limits.0.get(operation).copied());
        if let (Some(limit), false) = (limit, streaming) {
            axum::extract::DefaultBodyLimit::max(limit).apply(&mut request);
        }
        let (mut parts, body) = request.into_parts();
        let path = match RawPathParams::from_request_parts(&mut parts, &()).await {
            Ok(params) => params
                .iter()
                .map(|(key, value)| (key.to_owned(), value.to_owned()))
                .collect(),
            Err(RawPathParamsRejection::MissingPathParams(_)) => Vec::new(),
            Err(e) => return Err(Problem::new(400, e.body_text())),
        };
        let raw = parts.uri.query().unwrap_or_default();
        let query_string = raw.to_owned();
        let query = form_urlencoded::parse(raw.as_bytes())
            .into_owned()
            .collect();
        let raw_query = raw
            .split('&')
            .filter(|pair| !pair.is_empty())
            .map(|pair| {
                let (name, value) = pair.split_once('=').unwrap_or((pair, ""));
                let name = style::decode(name, true).unwrap_or_else(|_| name.to_owned());
                (name, value.to_owned())
            })
            .collect();
        let raw_path = parts.uri.path().to_owned();
        // Reading the body needs only the extensions (its size limit), not the headers.
        let headers = std::mem::take(&mut parts.headers);
        let timeout = parts
            .extensions
            .get::<ReadTimeout>()
            .copied()
            .unwrap_or_default();
        if streaming {
            let length = headers
                .get(axum::http::header::CONTENT_LENGTH)
                .and_then(|length| length.to_str().ok()?.parse::<u64>().ok());
            if let Some(limit) = limit.filter(|limit| length.is_some_and(|l| l > *limit as u64)) {
                return Err(too_long(limit));
            }
            // HTTP/1.1: a request without a length or chunked encoding has no body.
            let has_body = headers.contains_key(axum::http::header::TRANSFER_ENCODING)
                || length.is_some_and(|length| length > 0);
            let upload = has_body.then(|| {
                Binary::from_stream(Upload {
                    body: Binary::from_body(body),
                    read: 0,
                    limit,
                    idle: timeout.0,
                    timer: Box::pin(tokio::time::sleep(timeout.0)),
                    waiting: false,
                    done: false,
                })
            });
            return Ok(Incoming {
                headers,
                path,
                raw_path,
                query,
                raw_query,
                query_string,
                body: Bytes::new(),
                upload,
            });
        }
        let budget = parts
            .extensions
            .get::<BodyBudget>()
            .cloned()
            .unwrap_or_else(BodyBudget::shared);
        let starved = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
        let body = budget.count(body, starved.clone());
        let read = Bytes::from_request(Request::from_parts(parts, body), &());
        let body = tokio::time::timeout(timeout.0, read)
            .await
            .map_err(|_| {
                // Waiting for other bodies to be read is the server's doing, not the client's.
                if starved.load(std::sync::atomic::Ordering::Relaxed) {
                    Problem::new(
                        503,
                        "the server is reading as many request bodies as it holds at once",
                    )
                } else {
                    Problem::new(
                        408,
                        format!("the request body did not arrive within {:?}", timeout.0),
                    )
                }
            })?
            .map_err(|e| Problem::new(e.status().as_u16(), e.body_text()))?;
        Ok(Incoming {
            headers,
            path,
            raw_path,
            query,
            raw_query,
            query_string,
            body,
            upload: None,
        })
    }
}

pub(crate) fn too_long(limit: usize) -> Problem {
    Problem::new(
        413,
        format!("the request body is longer than {limit} bytes"),
    )
}

/// A streamed upload as the implementation reads it: within a size limit, and never
/// waiting longer than the read timeout for the next chunk.
struct Upload {
    body: Binary,
    read: usize,
    limit: Option<usize>,
    idle: std::time::Duration,
    timer: std::pin::Pin<Box<tokio::time::Sleep>>,
    /// Whether the timer runs: since the first poll that found no chunk ready.
    waiting: bool,
    /// Set once an error ended the body.
    done: bool,
}

impl futures_core::Stream for Upload {
    type Item = Result<Bytes, BoxError>;

    fn poll_next(
        self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Self::Item>> {
        use std::future::Future;
        use std::task::Poll;
        let this = self.get_mut();
        if this.done {
            return Poll::Ready(None);
        }
        let failed = |this: &mut Upload, problem: Problem| {
            this.done = true;
            Poll::Ready(Some(Err(problem.into())))
        };
        match std::pin::Pin::new(&mut this.body).poll_next(cx) {
            Poll::Ready(Some(Ok(chunk))) => {
                this.read += chunk.len();
                if let Some(limit) = this.limit.filter(|limit| this.read > *limit) {
                    return failed(this, too_long(limit));
                }
                this.waiting = false;
                Poll::Ready(Some(Ok(chunk)))
            }
            Poll::Pending => {
                // The implementation may take its time before reading; the wait starts
                // when it does.
                if !this.waiting {
                    this.waiting = true;
                    let deadline = tokio::time::Instant::now() + this.idle;
                    this.timer.as_mut().reset(deadline);
                }
                if this.timer.as_mut().poll(cx).is_ready() {
                    let idle = this.idle;
                    let detail = format!("the request body stalled for {idle:?}");
                    return failed(this, Problem::new(408, detail));
                }
                Poll::Pending
            }
            other => other.map(|end| end.map(|end| end.map_err(crate::binary::Error::into_inner))),
        }
    }
}
