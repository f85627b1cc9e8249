//! Server-sent events (`text/event-stream`): a stream of typed events, on both sides.
//!
//! The client hands over an [`Events`] as soon as the reply's status and headers are in, and
//! decodes each event's data to the type the spec gives as the event arrives. The server
//! sends the [`Events`] the implementation returns, each event written as it is produced:
//! make one from any stream of [`Event`]s (`Events::from_stream`) or from a `Vec`.

use std::time::Duration;

use crate::binary::BoxError;

/// One event: its data, and the fields the stream sent with it.
#[derive(Debug, Clone, PartialEq)]
pub struct Event<T> {
    /// The event's data (its `data:` lines), decoded.
    pub data: T,
    /// The event's type (`event:`); `None` for the default type, `message`.
    pub event: Option<String>,
    /// The event's ID (`id:`). As browsers' `lastEventId`, a received event without one
    /// carries the last ID the stream gave: what a reconnecting client sends back as
    /// `Last-Event-ID`.
    pub id: Option<String>,
    /// How long a client waits before reconnecting (`retry:`), when this event says.
    pub retry: Option<Duration>,
}

impl<T> Event<T> {
    /// An event of the default type carrying `data`.
    pub fn new(data: T) -> Self {
        Event {
            data,
            event: None,
            id: None,
            retry: None,
        }
    }

    /// The event with a type (`event:`).
    pub fn with_event(mut self, event: impl Into<String>) -> Self {
        self.event = Some(event.into());
        self
    }

    /// The event with an ID (`id:`).
    pub fn with_id(mut self, id: impl Into<String>) -> Self {
        self.id = Some(id.into());
        self
    }

    /// The event telling clients how long to wait before reconnecting (`retry:`).
    pub fn with_retry(mut self, retry: Duration) -> Self {
        self.retry = Some(retry);
        self
    }
}

/// What reading or sending an event stream failed with: an event whose data does not
/// decode (the message quotes it), an event too long to read, the connection. The same type
/// as a binary body's chunks fail with.
pub use crate::binary::Error;

/// A stream of events, read once (see [`Shared`](crate::stream::Shared)): make one from
/// any stream of [`Event`]s with `Events::from_stream`, or from a `Vec` with `Events::from`.
pub type Events<T> = crate::stream::Shared<Event<T>>;

/// Data as JSON text, for a spec that gives the event's data a schema.
pub fn to_json<T: serde::Serialize>(data: &T) -> Result<String, BoxError> {
    Ok(serde_json::to_string(data)?)
}

/// Data as it is, for text data (`&String`: it is the `fn(&T)` of `T = String`).
#[allow(clippy::ptr_arg)]
pub fn to_text(data: &String) -> Result<String, BoxError> {
    Ok(data.clone())
}

/// Data read as JSON; the error quotes the data, so nothing is lost.
pub fn from_json<T: serde::de::DeserializeOwned>(data: &str) -> Result<T, BoxError> {
    serde_json::from_str(data).map_err(|e| format!("event data {data:?}: {e}").into())
}

/// Data taken as it is.
pub fn from_text(data: &str) -> Result<String, BoxError> {
    Ok(data.to_owned())
}

/// One event in the wire format: its fields, a `data:` line per line of its data, and the
/// blank line that ends it. An event type or ID with a line break would end the event early,
/// so it is an error.
#[cfg(feature = "server")]
pub(crate) fn encode<T>(
    event: &Event<T>,
    data: fn(&T) -> Result<String, BoxError>,
) -> Result<String, BoxError> {
    let mut text = String::new();
    for (field, value) in [("event", &event.event), ("id", &event.id)] {
        if let Some(value) = value {
            if value.contains(['\r', '\n']) {
                return Err(format!("the event's {field} {value:?} holds a line break").into());
            }
            text.push_str(&format!("{field}: {value}\n"));
        }
    }
    if let Some(retry) = event.retry {
        text.push_str(&format!("retry: {}\n", retry.as_millis()));
    }
    let data = data(&event.data)?;
    // `lines` would drop a last empty line, and treat `\r\n` and `\r` unlike readers do.
    for line in data.split("\r\n").flat_map(|l| l.split(['\r', '\n'])) {
        text.push_str("data: ");
        text.push_str(line);
        text.push('\n');
    }
    text.push('\n');
    Ok(text)
}

/// An event the parser read, decoded: its type `message` is the default (`None`), an empty
/// ID is none.
#[cfg(feature = "client")]
pub(crate) fn decoded<T>(
    event: sse_parse::Event,
    data: fn(&str) -> Result<T, BoxError>,
) -> Result<Event<T>, BoxError> {
    Ok(Event {
        data: data(&event.data)?,
        event: (event.event != "message").then_some(event.event),
        id: (!event.id.is_empty()).then_some(event.id),
        retry: event.retry,
    })
}

#[cfg(feature = "client")]
mod receive {
    use std::time::Duration;

    use sse_parse::SseParser;

    use super::{Error, Event, Events};
    use crate::__private::client_support::{Core, Reply, Request};
    use crate::binary::{Binary, BoxError};

    /// How long a client waits before opening an event stream again, unless the stream
    /// said (`retry:`): 3 s, as browsers do.
    const RECONNECT_AFTER: Duration = Duration::from_secs(3);

    impl Core {
        /// Opens an event stream again up to `attempts` times in a row (the crate's
        /// `Client::with_event_reconnect` says how).
        pub fn with_event_reconnect(mut self, attempts: u32) -> Self {
            self.event_reconnect = attempts;
            self
        }
    }

    impl Reply {
        /// The body as events, each one's data decoded with `data` as it arrives.
        pub fn events<T: Send + 'static>(
            &mut self,
            data: fn(&str) -> Result<T, BoxError>,
        ) -> Events<T> {
            let limit = self.limit();
            let again = self.take_again();
            let attempts = again.as_ref().map_or(0, |r| r.event_reconnect);
            let received = Received {
                parser: SseParser::new().max_buffer(limit),
                overflows: 0,
                body: Some(self.binary()),
                broken: None,
                data,
                limit,
                again,
                attempts,
                retry: None,
                left: attempts,
            };
            Events::from_inner(Box::pin(futures_util::stream::unfold(
                received,
                |mut received| async move { received.next().await.map(|item| (item, received)) },
            )))
        }
    }

    /// An event stream being read.
    struct Received<T> {
        parser: SseParser,
        /// Blocks the parser dropped as too long so far.
        overflows: u64,
        /// The body being read; `None` once it ended.
        body: Option<Binary>,
        /// How the body broke, said once its events are out.
        broken: Option<BoxError>,
        data: fn(&str) -> Result<T, BoxError>,
        limit: usize,
        /// The request that opens the stream again, when the client reconnects.
        again: Option<Box<Request>>,
        attempts: u32,
        /// The wait before reconnecting the stream last asked for.
        retry: Option<Duration>,
        /// Attempts left before giving up; all of them again after each event.
        left: u32,
    }

    impl<T> Received<T> {
        async fn next(&mut self) -> Option<Result<Event<T>, Error>> {
            self.read().await.map(|item| item.map_err(Error))
        }

        async fn read(&mut self) -> Option<Result<Event<T>, BoxError>> {
            loop {
                if let Some(event) = self.parser.next_event() {
                    self.left = self.attempts;
                    return Some(super::decoded(event, self.data));
                }
                if self.parser.overflows() > self.overflows {
                    self.overflows = self.parser.overflows();
                    let limit = self.limit;
                    return Some(Err(format!(
                        "an event longer than {limit} bytes was dropped"
                    )
                    .into()));
                }
                if let Some(body) = &mut self.body {
                    match body.chunk().await {
                        Some(Ok(chunk)) => self.parser.feed(&chunk),
                        end => {
                            self.broken = end
                                .and_then(Result::err)
                                .map(crate::binary::Error::into_inner);
                            self.body = None;
                            self.parser.finish();
                        }
                    }
                    continue;
                }
                // The body ended, and its events are out.
                match self.reconnect().await {
                    Ok(true) => continue,
                    Ok(false) => return self.broken.take().map(Err),
                    Err(e) => return Some(Err(e)),
                }
            }
        }

        /// Opens the stream again, when the client says to and attempts are left: `true`
        /// once it is open.
        async fn reconnect(&mut self) -> Result<bool, BoxError> {
            let Some(request) = &self.again else {
                return Ok(false);
            };
            while self.left > 0 {
                self.left -= 1;
                // A `retry:` lasts until the stream changes it, across reconnections.
                self.retry = self.parser.retry().or(self.retry);
                crate::platform::sleep(self.retry.unwrap_or(RECONNECT_AFTER)).await;
                let mut request = request.again();
                let id = self.parser.last_event_id().to_owned();
                if !id.is_empty() {
                    request.header("last-event-id", Some(&id));
                }
                let sent = match request.bearer_token().await {
                    Ok(_) => request.send_once(None).await,
                    Err(e) => Err(e),
                };
                match sent {
                    Ok(reply) if reply.status() == 204 => self.left = 0,
                    Ok(mut reply) if (200..300).contains(&reply.status()) => {
                        self.parser = SseParser::with_last_event_id(id).max_buffer(self.limit);
                        self.overflows = 0;
                        self.body = Some(reply.binary());
                        self.broken = None;
                        return Ok(true);
                    }
                    Ok(reply) => return Err(reply.unexpected().into()),
                    Err(e) => self.broken = Some(e.into()),
                }
            }
            Ok(false)
        }
    }
}

#[cfg(feature = "server")]
mod send {
    use axum::body::Body;
    use axum::http::header::CACHE_CONTROL;
    use axum::response::{IntoResponse, Response};
    use futures_util::StreamExt;

    use super::Events;
    use crate::__private::server_support::{Problem, Reply};
    use crate::binary::BoxError;

    impl Reply {
        /// An event stream: each event written, with `data` encoding its data, as the
        /// implementation produces it. An error from the stream ends it.
        pub fn events<T: 'static>(
            self,
            content_type: &'static str,
            body: Events<T>,
            data: fn(&T) -> Result<String, BoxError>,
        ) -> Response {
            match body.take_stream() {
                Ok(events) => {
                    let text =
                        events.map(move |event| super::encode(&event.map_err(|e| e.0)?, data));
                    // Proxies must pass each event on as it comes, not keep a copy.
                    let headers = [(CACHE_CONTROL, "no-cache")];
                    self.streamed(content_type, &headers, Body::from_stream(text))
                }
                Err(e) => Problem::new(500, format!("the response body: {e}")).into_response(),
            }
        }
    }
}
