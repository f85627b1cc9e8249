//! Sequential JSON (OpenAPI 3.2 `itemSchema`), generated client against generated server
//! over loopback, from the `specs/openapi32-streams.yaml` fixture: JSON Lines and JSON text
//! sequences (RFC 7464) of typed items, each read as it is sent; an item that does not
//! decode, or is longer than the client's cap, is one error and reading goes on.

use crate::support::within;
use std::sync::{Arc, Mutex};

use openapi32_streams::client::Client;
use openapi32_streams::jsonl::Items;
use openapi32_streams::requests::AddNotesRequest;
use openapi32_streams::responses::{
    AddNotesResponse, CountsResponse, NoteLinesResponse, NoteRecordsResponse,
};
use openapi32_streams::server::{OpenApi32Streams, Problem};
use openapi32_streams::types::{CountsOkBody, Note};

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

fn note(title: &str) -> Note {
    Note {
        title: title.to_owned(),
        body: None,
    }
}

type Receiver = tokio::sync::mpsc::UnboundedReceiver<Note>;

/// Sends the notes the test hands it, as the test hands them, as JSON Lines or as a JSON
/// text sequence; the stream ends when the test drops its sender.
struct Paced(Mutex<Option<Receiver>>);

impl Paced {
    fn items(&self) -> Items<Note> {
        let receiver = self.0.lock().unwrap().take().unwrap();
        Items::from_stream(futures_util::stream::unfold(
            receiver,
            |mut receiver| async move {
                let note = receiver.recv().await?;
                Some((Ok::<_, Problem>(note), receiver))
            },
        ))
    }
}

impl OpenApi32Streams for Paced {
    async fn note_lines(self: Arc<Self>) -> Result<NoteLinesResponse, Problem> {
        Ok(NoteLinesResponse::Ok(self.items()))
    }

    /// Each line's title, or the error it was read with, in the order read.
    async fn add_notes(
        self: Arc<Self>,
        request: AddNotesRequest,
    ) -> Result<AddNotesResponse, Problem> {
        let mut items = request.body;
        let mut read = Vec::new();
        while let Some(item) = items.next().await {
            read.push(match item {
                Ok(note) => note.title,
                Err(e) => format!("error: {e}"),
            });
        }
        Ok(AddNotesResponse::Ok(read))
    }

    async fn note_records(self: Arc<Self>) -> Result<NoteRecordsResponse, Problem> {
        Ok(NoteRecordsResponse::Ok(self.items()))
    }

    async fn counts(self: Arc<Self>) -> Result<CountsResponse, Problem> {
        Ok(CountsResponse::Ok(CountsOkBody::Jsonl(Items::from(vec![
            1, 2, 3,
        ]))))
    }
}

async fn paced() -> (Client, tokio::sync::mpsc::UnboundedSender<Note>) {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let server = Paced(Mutex::new(Some(receiver)));
    let url = serve(openapi32_streams::server::router(server)).await;
    (Client::new(&url).unwrap(), sender)
}

/// Reads two notes from `items`, each after the server produced it and before it produced
/// the next, then the end of the stream once the sender is dropped.
async fn read_as_sent(mut items: Items<Note>, sender: tokio::sync::mpsc::UnboundedSender<Note>) {
    let second = Note {
        title: "second".to_owned(),
        body: Some("two\nlines".to_owned()),
    };
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("first"));
    sender.send(second.clone()).unwrap();
    assert_eq!(within(items.next()).await.unwrap().unwrap(), second);
    drop(sender);
    assert!(within(items.next()).await.is_none());
}

#[tokio::test]
async fn json_lines_arrive_typed_as_they_are_sent() {
    let (client, sender) = paced().await;
    sender.send(note("first")).unwrap();
    let NoteLinesResponse::Ok(items) = within(client.note_lines().send()).await.unwrap();
    read_as_sent(items, sender).await;
}

#[tokio::test]
async fn json_text_sequences_arrive_typed_as_they_are_sent() {
    let (client, sender) = paced().await;
    sender.send(note("first")).unwrap();
    let NoteRecordsResponse::Ok(items) = within(client.note_records().send()).await.unwrap();
    read_as_sent(items, sender).await;
}

/// The server writes each item in its framing with the declared `Content-Type`.
#[tokio::test]
async fn the_server_frames_each_item_with_its_content_type() {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    sender.send(note("a")).unwrap();
    sender.send(note("b")).unwrap();
    drop(sender);
    let url = serve(openapi32_streams::server::router(Paced(Mutex::new(Some(
        receiver,
    )))))
    .await;
    let reply = reqwest::get(format!("{url}/notes.seq")).await.unwrap();
    assert_eq!(reply.headers()["content-type"], "application/json-seq");
    assert_eq!(
        reply.text().await.unwrap(),
        "\u{1e}{\"title\":\"a\"}\n\u{1e}{\"title\":\"b\"}\n"
    );
}

/// An operation answering JSON or NDJSON: the answer the server gives is read by its
/// `Content-Type`, item by item for NDJSON.
#[tokio::test]
async fn a_json_or_ndjson_answer_is_read_by_its_content_type() {
    let (client, _sender) = paced().await;
    let CountsResponse::Ok(CountsOkBody::Jsonl(mut items)) =
        within(client.counts().send()).await.unwrap()
    else {
        panic!("expected NDJSON");
    };
    let mut read = Vec::new();
    while let Some(item) = within(items.next()).await {
        read.push(item.unwrap());
    }
    assert_eq!(read, [1, 2, 3]);
}

/// A server that sends `body` as `content_type` for every request.
async fn raw(content_type: &'static str, body: &'static str) -> String {
    let router = axum::Router::new().fallback(move || async move {
        ([(axum::http::header::CONTENT_TYPE, content_type)], body)
    });
    serve(router).await
}

#[tokio::test]
async fn a_line_that_does_not_decode_is_one_error_and_reading_goes_on() {
    let body = "{\"title\":\"first\"}\r\n\n{\"title\": 7}\n{\"title\":\"third\"}";
    let client = Client::new(&raw("application/jsonl", body).await).unwrap();
    let NoteLinesResponse::Ok(mut items) = within(client.note_lines().send()).await.unwrap();
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("first"));
    let error = within(items.next()).await.unwrap().unwrap_err().to_string();
    assert!(error.contains(r#"{\"title\": 7}"#), "{error}");
    // The last line needs no line feed after it.
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("third"));
    assert!(within(items.next()).await.is_none());
}

#[tokio::test]
async fn a_record_that_does_not_decode_is_one_error_and_reading_goes_on() {
    // A record may hold its JSON over several lines.
    let body = "\u{1e}{\n  \"title\": \"first\"\n}\n\u{1e}not json\n\u{1e}{\"title\":\"third\"}\n";
    let client = Client::new(&raw("application/json-seq", body).await).unwrap();
    let NoteRecordsResponse::Ok(mut items) = within(client.note_records().send()).await.unwrap();
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("first"));
    let error = within(items.next()).await.unwrap().unwrap_err().to_string();
    assert!(error.contains("not json"), "{error}");
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("third"));
    assert!(within(items.next()).await.is_none());
}

#[tokio::test]
async fn a_line_longer_than_the_cap_is_one_error_and_reading_goes_on() {
    const LONG: &str = concat!(
        "{\"title\":\"first\"}\n{\"title\":\"",
        "0123456789012345678901234567890123456789012345678901234567890123456789",
        "\"}\n{\"title\":\"third\"}\n"
    );
    let url = raw("application/jsonl", LONG).await;
    let client = Client::new(&url).unwrap().with_max_response_bytes(40);
    let NoteLinesResponse::Ok(mut items) = within(client.note_lines().send()).await.unwrap();
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("first"));
    let error = within(items.next()).await.unwrap().unwrap_err().to_string();
    assert_eq!(error, "an item longer than 40 bytes was dropped");
    assert_eq!(within(items.next()).await.unwrap().unwrap(), note("third"));
    assert!(within(items.next()).await.is_none());
}

/// The client streams items up as they are produced; the server reads them as they arrive.
#[tokio::test]
async fn items_sent_up_are_read_as_they_arrive() {
    let (client, _) = paced().await;
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    let items = Items::from_stream(futures_util::stream::unfold(
        receiver,
        |mut receiver: Receiver| async move {
            let note = receiver.recv().await?;
            Some((Ok::<_, Problem>(note), receiver))
        },
    ));
    sender.send(note("first")).unwrap();
    let call = tokio::spawn(async move { client.add_notes(items).send().await });
    sender.send(note("second")).unwrap();
    drop(sender);
    let AddNotesResponse::Ok(read) = within(call).await.unwrap().unwrap();
    assert_eq!(read, ["first", "second"]);
}

/// A line of a request body that does not decode is one error to the implementation, and
/// reading goes on.
#[tokio::test]
async fn the_server_reads_a_bad_line_as_one_error_and_goes_on() {
    let (sender, receiver) = tokio::sync::mpsc::unbounded_channel();
    drop(sender);
    let url = serve(openapi32_streams::server::router(Paced(Mutex::new(Some(
        receiver,
    )))))
    .await;
    let reply = reqwest::Client::new()
        .post(format!("{url}/notes.jsonl"))
        .header("content-type", "application/jsonl")
        .body("{\"title\":\"a\"}\nnope\n{\"title\":\"c\"}\n")
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    let read: Vec<String> = reply.json().await.unwrap();
    assert_eq!(read[0], "a");
    assert!(read[1].starts_with("error: item \"nope\""), "{}", read[1]);
    assert_eq!(read[2], "c");
    assert_eq!(read.len(), 3);
}

/// Items are read whole however the body's chunks cut them.
#[tokio::test]
async fn items_cut_across_chunks_are_read_whole() {
    for (content_type, chunks) in [
        (
            "application/jsonl",
            ["{\"tit", "le\":\"a\"}\n{\"title\"", ":\"b\"}", "\n"],
        ),
        (
            "application/json-seq",
            [
                "\u{1e}{\"tit",
                "le\":\"a\"}\n\u{1e}{\"title\"",
                ":\"b\"}",
                "\n",
            ],
        ),
    ] {
        let router = axum::Router::new().fallback(move || async move {
            let chunks = chunks.map(|c| Ok::<_, std::convert::Infallible>(c.to_owned()));
            let body = axum::body::Body::from_stream(futures_util::stream::iter(chunks));
            ([(axum::http::header::CONTENT_TYPE, content_type)], body)
        });
        let client = Client::new(&serve(router).await).unwrap();
        let mut items = match content_type {
            "application/jsonl" => {
                let NoteLinesResponse::Ok(items) = client.note_lines().send().await.unwrap();
                items
            }
            _ => {
                let NoteRecordsResponse::Ok(items) = client.note_records().send().await.unwrap();
                items
            }
        };
        assert_eq!(within(items.next()).await.unwrap().unwrap(), note("a"));
        assert_eq!(within(items.next()).await.unwrap().unwrap(), note("b"));
        assert!(within(items.next()).await.is_none(), "{content_type}");
    }
}
