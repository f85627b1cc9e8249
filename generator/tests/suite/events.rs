//! Server-sent events, generated client against generated server over loopback, from the
//! `specs/http-features.yaml` fixture: typed data, the event's own fields, events read as
//! they are sent, data that does not decode, and reconnection with `Last-Event-ID`.

use crate::support::within;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_features::client::Client;
use http_features::requests::NoteEventsRequest;
use http_features::responses::{ClockResponse, NoteEventsResponse};
use http_features::server::{HttpFeatures, Problem};
use http_features::sse::{Event, Events};
use http_features::types::{ClockOkBody, Note};

async fn serve(router: axum::Router) -> String {
    let router = axum::Router::new().nest("/v1", router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/v1")
}

fn note(title: &str) -> Note {
    Note {
        title: title.to_owned(),
        body: None,
    }
}

/// Sends the notes the test hands it, as the test hands them; the stream ends when the
/// test drops its sender.
struct Paced(Mutex<Option<tokio::sync::mpsc::UnboundedReceiver<Event<Note>>>>);

impl HttpFeatures for Paced {
    async fn note_events(
        self: Arc<Self>,
        _: NoteEventsRequest,
    ) -> Result<NoteEventsResponse, Problem> {
        let receiver = self.0.lock().unwrap().take().unwrap();
        let events = futures_util::stream::unfold(receiver, |mut receiver| async move {
            let event = receiver.recv().await?;
            Some((Ok::<_, Problem>(event), receiver))
        });
        Ok(NoteEventsResponse::Ok(Events::from_stream(events)))
    }

    async fn clock(self: Arc<Self>) -> Result<ClockResponse, Problem> {
        Ok(ClockResponse::Ok(ClockOkBody::Events(Events::from(vec![
            Event::new("12:00".to_owned()).with_event("tick"),
            Event::new("12:01\n12:02".to_owned()).with_id("2"),
        ]))))
    }
}

#[tokio::test]
async fn events_arrive_typed_with_their_fields_as_they_are_sent() {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let server = Paced(Mutex::new(Some(receiver)));
    let client = Client::new(&serve(http_features::server::router(server)).await).unwrap();
    let first = Event::new(note("first"))
        .with_event("note")
        .with_id("1")
        .with_retry(Duration::from_millis(1500));
    sender.send(first.clone()).unwrap();
    let NoteEventsResponse::Ok(mut events) = within(client.note_events().send()).await.unwrap()
    else {
        panic!("expected the event stream");
    };
    // The first event is read while the server has not produced the second.
    assert_eq!(within(events.next()).await.unwrap().unwrap(), first);
    let second = Event::new(Note {
        title: "second".to_owned(),
        body: Some("two\nlines".to_owned()),
    });
    sender.send(second.clone()).unwrap();
    // An event without an ID carries the stream's last one, as browsers have it.
    assert_eq!(
        within(events.next()).await.unwrap().unwrap(),
        second.with_id("1")
    );
    drop(sender);
    assert!(within(events.next()).await.is_none());

    // Text data keeps its line breaks; the schema of the event's own fields reads as text.
    // The answer could be JSON too: `Content-Type` says it is events.
    let ClockResponse::Ok(ClockOkBody::Events(events)) =
        within(client.clock().send()).await.unwrap()
    else {
        panic!("expected the event stream");
    };
    let ticks: Vec<_> = within(futures_util::StreamExt::collect::<Vec<_>>(events)).await;
    let ticks: Vec<Event<String>> = ticks.into_iter().map(Result::unwrap).collect();
    assert_eq!(
        ticks,
        [
            Event::new("12:00".to_owned()).with_event("tick"),
            Event::new("12:01\n12:02".to_owned()).with_id("2"),
        ]
    );
}

#[tokio::test]
async fn data_that_does_not_decode_is_an_error_and_reading_goes_on() {
    let router = axum::Router::new().route(
        "/notes/events",
        axum::routing::get(|| async {
            (
                [("content-type", "text/event-stream")],
                "data: {\"title\":\"a\"}\n\ndata: not json\n\n: a comment\ndata: {\"title\":\"b\"}\n\n",
            )
        }),
    );
    let client = Client::new(&serve(router).await).unwrap();
    let NoteEventsResponse::Ok(mut events) = within(client.note_events().send()).await.unwrap()
    else {
        panic!("expected the event stream");
    };
    assert_eq!(
        within(events.next()).await.unwrap().unwrap().data,
        note("a")
    );
    let error = within(events.next()).await.unwrap().unwrap_err();
    assert!(error.to_string().contains("not json"), "{error}");
    assert_eq!(
        within(events.next()).await.unwrap().unwrap().data,
        note("b")
    );
    assert!(within(events.next()).await.is_none());
}

/// Sends two notes per connection, going on after the `Last-Event-ID` it is given, and
/// has nothing after the fourth (404).
#[derive(Default, Clone)]
struct Resumable {
    seen: Arc<Mutex<Vec<Option<String>>>>,
    calls: Arc<AtomicUsize>,
}

impl HttpFeatures for Resumable {
    async fn note_events(
        self: Arc<Self>,
        NoteEventsRequest { last_event_id }: NoteEventsRequest,
    ) -> Result<NoteEventsResponse, Problem> {
        self.calls.fetch_add(1, Ordering::SeqCst);
        self.seen.lock().unwrap().push(last_event_id.clone());
        let after: usize = last_event_id.map_or(0, |id| id.parse().unwrap());
        if after >= 4 {
            return Ok(NoteEventsResponse::NotFound);
        }
        Ok(NoteEventsResponse::Ok(Events::from(
            (after + 1..=after + 2)
                .map(|n| {
                    let event = Event::new(note(&format!("note {n}"))).with_id(n.to_string());
                    // Reconnect at once, not after the default 3 s.
                    match n {
                        1 => event.with_retry(Duration::from_millis(10)),
                        _ => event,
                    }
                })
                .collect::<Vec<_>>(),
        )))
    }
}

async fn read_all(client: &Client) -> Vec<Result<String, String>> {
    let NoteEventsResponse::Ok(events) = within(client.note_events().send()).await.unwrap() else {
        panic!("expected the event stream");
    };
    let items = within(futures_util::StreamExt::collect::<Vec<_>>(events)).await;
    items
        .into_iter()
        .map(|item| item.map(|e| e.data.title).map_err(|e| e.to_string()))
        .collect()
}

#[tokio::test]
async fn a_stream_that_ends_is_opened_again_with_last_event_id_when_asked() {
    let server = Resumable::default();
    let router = http_features::server::router(server.clone());
    let url = serve(router).await;

    // By default, the end of the stream is the end.
    let once = read_all(&Client::new(&url).unwrap()).await;
    assert_eq!(once, [Ok("note 1".to_owned()), Ok("note 2".to_owned())]);
    assert_eq!(server.calls.load(Ordering::SeqCst), 1);

    // Reconnecting, the client goes on from the last ID it read, until the server has no
    // more to send (the 404 is said, then the stream ends).
    server.seen.lock().unwrap().clear();
    let resumed = read_all(&Client::new(&url).unwrap().with_event_reconnect(1)).await;
    let titles: Vec<_> = resumed.iter().filter_map(|r| r.clone().ok()).collect();
    assert_eq!(titles, ["note 1", "note 2", "note 3", "note 4"]);
    assert_eq!(resumed.len(), 5, "{resumed:?}");
    assert!(
        resumed[4].as_ref().unwrap_err().contains("404"),
        "{resumed:?}"
    );
    assert_eq!(
        *server.seen.lock().unwrap(),
        [None, Some("2".to_owned()), Some("4".to_owned())]
    );
}
