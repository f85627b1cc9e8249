//! What SDK users expect at run time, generated client against generated server over
//! loopback, from the `specs/http-features.yaml` fixture: per-call options, retries, limits
//! on what either side reads, middleware. (Tracing is in `tracing.rs`.)

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use bytes::Bytes;
use http_features::binary::Binary;
use http_features::client::{Client, Error, Streamed};
use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{BodyLimits, HttpFeatures, Problem, ReadTimeout};
use http_features::types::{CreateNoteBody, Note, ReportOkBody};
use tokio::io::{AsyncReadExt, AsyncWriteExt};

/// Serves `router` under the spec server's base path, `/v1`, with the generated crate's
/// own `serve` and this read timeout; the base URL.
async fn serve_with(router: axum::Router, timeout: ReadTimeout) -> String {
    let router = axum::Router::new().nest("/v1", router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(http_features::server::serve(listener, router, timeout));
    format!("http://{address}/v1")
}

async fn serve(router: axum::Router) -> String {
    serve_with(router, ReadTimeout::default()).await
}

/// An implementation of the few operations these tests call (the crate is built with
/// `server-defaults`, so the others answer 501).
#[derive(Default)]
struct Server {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
}

fn note(title: &str) -> Note {
    Note {
        title: title.to_owned(),
        body: None,
    }
}

impl HttpFeatures for Server {
    async fn put_file(
        self: Arc<Self>,
        PutFileRequest { name, body }: PutFileRequest,
    ) -> Result<PutFileResponse, Problem> {
        let bytes = body.collect(usize::MAX).await?;
        self.files.lock().unwrap().insert(name, bytes.to_vec());
        Ok(PutFileResponse::NoContent)
    }

    async fn get_file(
        self: Arc<Self>,
        GetFileRequest { name }: GetFileRequest,
    ) -> Result<GetFileResponse, Problem> {
        Ok(match self.files.lock().unwrap().get(&name) {
            Some(bytes) => GetFileResponse::Ok {
                body: bytes.clone().into(),
                x_size: bytes.len() as i64,
            },
            None => GetFileResponse::NotFound,
        })
    }

    async fn get_item(
        self: Arc<Self>,
        GetItemRequest { id }: GetItemRequest,
    ) -> Result<GetItemResponse, Problem> {
        Ok(GetItemResponse::Ok(note(&format!("item {id}"))))
    }

    async fn create_note(
        self: Arc<Self>,
        CreateNoteRequest { body }: CreateNoteRequest,
    ) -> Result<CreateNoteResponse, Problem> {
        Ok(CreateNoteResponse::Created(match body {
            CreateNoteBody::Text(text) => note(&text),
            CreateNoteBody::Json(note) | CreateNoteBody::Form(note) => note,
        }))
    }

    async fn search(
        self: Arc<Self>,
        SearchRequest {
            q, x_request_id, ..
        }: SearchRequest,
    ) -> Result<SearchResponse, Problem> {
        Ok(SearchResponse::Ok(http_features::types::SearchEcho {
            request_id: x_request_id,
            ..http_features::types::SearchEcho::new(q, Vec::new(), Vec::new(), String::new())
        }))
    }
}

async fn client() -> Client {
    Client::new(&serve(http_features::server::router(Server::default())).await).unwrap()
}

/// Reads from `socket` until the end of a response head, the connection's end, or 10 s
/// (a guard against a hanging test, not a measure); what arrived, and whether it ended.
async fn read_head(socket: &mut tokio::net::TcpStream) -> Option<String> {
    let mut reply = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buffer = [0u8; 1024];
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    reply.extend_from_slice(&buffer[..n]);
                    if reply.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    read.ok()
        .map(|()| String::from_utf8_lossy(&reply).into_owned())
}

#[tokio::test]
async fn per_call_headers_timeout_and_idempotency_key() {
    // A header of the call's own reaches the server (the echo reports X-Request-Id).
    let client = client().await;
    let SearchResponse::Ok(echo) = client
        .search(SearchRequired {
            q: "q".to_owned(),
            session: "s".to_owned(),
        })
        .with_header("x-request-id", "from-the-call")
        .send()
        .await
        .unwrap();
    assert_eq!(echo.request_id.as_deref(), Some("from-the-call"));

    // A header value that cannot be one fails before sending.
    let error = client
        .report()
        .with_header("x-note", "line\nbreak")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    // The idempotency key goes out as `Idempotency-Key`; this server hands it back.
    let router = axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        let key = headers["idempotency-key"].to_str().unwrap().to_owned();
        (
            [("content-type", "application/json")],
            format!("{{\"title\":\"{key}\"}}"),
        )
    });
    let echoing = Client::new(&serve(router).await).unwrap();
    assert_eq!(
        echoing
            .report()
            .with_idempotency_key("report-7")
            .send()
            .await
            .unwrap(),
        ReportResponse::Ok(ReportOkBody::Json(note("report-7")))
    );

    // A server slower than the call's time limit: a timeout error, not a wait.
    let router = axum::Router::new().fallback(|| async {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        "late"
    });
    let slow = Client::new(&serve(router).await).unwrap();
    let error = slow
        .report()
        .with_timeout(std::time::Duration::from_millis(50))
        .send()
        .await
        .unwrap_err();
    let Error::Transport(error) = error else {
        panic!("{error:?}");
    };
    assert!(error.is_timeout(), "{error}");
}

/// A generated server whose implementation answers `503` to the first `failures` requests
/// (its `rejection` adds `Retry-After: retry_after`), then serves `report` and `createNote`;
/// it keeps the bodies it was sent (empty for a report).
struct Flaky {
    failures: usize,
    retry_after: &'static str,
    seen: Arc<Mutex<Vec<Vec<u8>>>>,
}

impl Flaky {
    fn arrived(&self, body: &[u8]) -> Result<(), Problem> {
        let mut seen = self.seen.lock().unwrap();
        seen.push(body.to_vec());
        if seen.len() <= self.failures {
            return Err(Problem::new(503, "busy"));
        }
        Ok(())
    }
}

impl HttpFeatures for Flaky {
    async fn report(self: Arc<Self>, _: ReportRequest) -> Result<ReportResponse, Problem> {
        self.arrived(b"")?;
        Ok(ReportResponse::Ok(ReportOkBody::Json(note("report"))))
    }

    async fn create_note(
        self: Arc<Self>,
        CreateNoteRequest { body }: CreateNoteRequest,
    ) -> Result<CreateNoteResponse, Problem> {
        let CreateNoteBody::Text(text) = body else {
            return Err(Problem::new(400, "text only"));
        };
        self.arrived(text.as_bytes())?;
        Ok(CreateNoteResponse::Created(note(&text)))
    }

    fn rejection(&self, problem: Problem) -> axum::response::Response {
        let busy = problem.status == 503;
        let mut response = axum::response::IntoResponse::into_response(problem);
        if busy {
            let wait = axum::http::HeaderValue::from_static(self.retry_after);
            response.headers_mut().insert("retry-after", wait);
        }
        response
    }
}

async fn flaky(failures: usize, retry_after: &'static str) -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let server = Flaky {
        failures,
        retry_after,
        seen: seen.clone(),
    };
    (serve(http_features::server::router(server)).await, seen)
}

/// Calls `report` on a [`flaky`] server: the result, and how many requests it took.
async fn report_on_flaky(
    failures: usize,
    retry_after: &'static str,
    retry: Option<http_features::client::Retry>,
) -> (Result<ReportResponse, Error>, usize) {
    let (url, seen) = flaky(failures, retry_after).await;
    let mut client = Client::new(&url).unwrap();
    if let Some(retry) = retry {
        client = client.with_retry(retry);
    }
    let result = client.report().send().await;
    let tries = seen.lock().unwrap().len();
    (result, tries)
}

#[tokio::test]
async fn retries_are_opt_in_capped_and_only_for_requests_that_may_arrive_twice() {
    let retry = http_features::client::Retry {
        max_attempts: 3,
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(5),
        max_elapsed: std::time::Duration::from_secs(5),
    };
    // Off by default: the first 503 is the answer.
    let (result, tries) = report_on_flaky(2, "0", None).await;
    assert_eq!((result.unwrap_err().status(), tries), (Some(503), 1));

    // A GET is tried again until it succeeds; `Retry-After` in seconds or as an HTTP date
    // (one in the past: no wait) is honoured.
    let (result, tries) = report_on_flaky(2, "Wed, 21 Oct 2015 07:28:00 GMT", Some(retry)).await;
    assert_eq!(
        (result.unwrap(), tries),
        (ReportResponse::Ok(ReportOkBody::Json(note("report"))), 3)
    );

    // A `Retry-After` longer than the time allowed ends the tries at once.
    for later in ["3600", "Fri, 01 Jan 2100 00:00:00 GMT"] {
        let (result, tries) = report_on_flaky(1, later, Some(retry)).await;
        assert_eq!((result.unwrap_err().status(), tries), (Some(503), 1));
    }

    // No more tries than allowed: the last answer comes back.
    let (result, tries) = report_on_flaky(5, "0", Some(retry)).await;
    assert_eq!((result.unwrap_err().status(), tries), (Some(503), 3));

    // A POST goes once, unless it carries an idempotency key; then every try sends the
    // same body.
    let (url, seen) = flaky(1, "0").await;
    let client = Client::new(&url).unwrap().with_retry(retry);
    let error = client
        .create_note(CreateNoteBody::Text("hi".to_owned()))
        .send()
        .await
        .unwrap_err();
    assert_eq!((error.status(), seen.lock().unwrap().len()), (Some(503), 1));
    let (url, seen) = flaky(1, "0").await;
    let client = Client::new(&url).unwrap().with_retry(retry);
    let _ = client
        .create_note(CreateNoteBody::Text("hi".to_owned()))
        .with_idempotency_key("note-1")
        .send()
        .await;
    assert_eq!(*seen.lock().unwrap(), [b"hi".to_vec(), b"hi".to_vec()]);
}

/// A raw HTTP server whose reply to each request has these head lines, then writes
/// `chunk` again and again (as chunked transfer coding when `chunked`) until the client
/// stops reading.
async fn endless(head: &'static str, chunked: bool) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                loop {
                    let written = if chunked {
                        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                        framed.extend_from_slice(&chunk);
                        framed.extend_from_slice(b"\r\n");
                        socket.write_all(&framed).await
                    } else {
                        socket.write_all(&chunk).await
                    };
                    if written.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_reply_longer_than_the_client_reads_is_an_error_not_all_of_memory() {
    // A body that never ends.
    let url = endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let client = Client::new(&url).unwrap().with_max_response_bytes(1 << 20);
    let error = client.report().send().await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { status: 200, limit } if limit == 1 << 20),
        "{error:?}"
    );
    // A length announced beyond the limit is refused before reading.
    let url = endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 999999999999\r\n\r\n",
        false,
    )
    .await;
    let client = Client::new(&url).unwrap().with_max_response_bytes(1 << 20);
    let error = client.report().send().await.unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
}

#[tokio::test]
async fn a_client_that_stops_sending_mid_body_gets_408_and_the_connection_back() {
    let timeout = ReadTimeout(std::time::Duration::from_millis(200));
    let url = serve_with(http_features::server::router(Server::default()), timeout).await;
    let address = url.trim_start_matches("http://").trim_end_matches("/v1");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    // Announces 100 bytes, sends 10, then nothing.
    socket
        .write_all(
            b"POST /v1/notes HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n0123456789",
        )
        .await
        .unwrap();
    let reply = read_head(&mut socket)
        .await
        .expect("the server held the connection");
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
}

#[tokio::test]
async fn a_client_that_stops_sending_mid_head_loses_the_connection() {
    let timeout = ReadTimeout(std::time::Duration::from_millis(200));
    let url = serve_with(http_features::server::router(Server::default()), timeout).await;
    let address = url.trim_start_matches("http://").trim_end_matches("/v1");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    // Half a head: the request line and one header, never the blank line that ends it.
    socket
        .write_all(b"GET /v1/items/item-1.json HTTP/1.1\r\nhost: x\r\n")
        .await
        .unwrap();
    let reply = read_head(&mut socket)
        .await
        .expect("the server held the connection");
    assert!(!reply.contains(" 200 "), "{reply}");
    // The same server answers a whole request.
    let client = Client::new(&url).unwrap();
    assert_eq!(
        client.get_item(1).send().await.unwrap(),
        GetItemResponse::Ok(note("item 1"))
    );
}

#[tokio::test]
async fn body_limits_per_operation() {
    let limits = BodyLimits::default().operation("putFile", 8 << 20);
    let router = http_features::server::router(Server::default()).layer(axum::Extension(limits));
    let client = Client::new(&serve(router).await).unwrap();
    let three_megabytes = vec![7u8; 3 << 20];
    // Above the router's 2 MB default, within the 8 MB given to putFile.
    assert_eq!(
        client
            .put_file("big", three_megabytes.clone())
            .send()
            .await
            .unwrap(),
        PutFileResponse::NoContent
    );
    // The other operations keep the default.
    let text = String::from_utf8(three_megabytes).unwrap();
    let error = client
        .create_note(CreateNoteBody::Text(text))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(413));
    // And putFile has a limit still.
    let error = client
        .put_file("bigger", vec![7u8; 9 << 20])
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(413));
}

/// A client middleware: stamps every request with `X-Request-Id`, notes the `X-Served-By`
/// of every answer, and refuses to send a report.
struct Stamp {
    served_by: Arc<Mutex<Vec<String>>>,
}

#[async_trait::async_trait]
impl reqwest_middleware::Middleware for Stamp {
    async fn handle(
        &self,
        mut request: reqwest::Request,
        extensions: &mut axum::http::Extensions,
        next: reqwest_middleware::Next<'_>,
    ) -> reqwest_middleware::Result<reqwest::Response> {
        if request.url().path().ends_with("/report") {
            return Err(reqwest_middleware::Error::middleware(
                std::io::Error::other("no reports today"),
            ));
        }
        request.headers_mut().insert(
            "x-request-id",
            axum::http::HeaderValue::from_static("stamped"),
        );
        let response = next.run(request, extensions).await?;
        let served_by = response.headers().get("x-served-by");
        let served_by = served_by.map_or("", |v| v.to_str().unwrap()).to_owned();
        self.served_by.lock().unwrap().push(served_by);
        Ok(response)
    }
}

#[tokio::test]
async fn middleware_wraps_every_request_on_both_sides() {
    // The server side: any tower layer on the router sees every request and answer.
    let router = http_features::server::router(Server::default()).layer(axum::middleware::from_fn(
        |request: axum::extract::Request, next: axum::middleware::Next| async move {
            let mut response = next.run(request).await;
            let served_by = axum::http::HeaderValue::from_static("layer");
            response.headers_mut().insert("x-served-by", served_by);
            response
        },
    ));
    let url = serve(router).await;
    let served_by: Arc<Mutex<Vec<String>>> = Arc::default();
    let chain = reqwest_middleware::ClientBuilder::new(reqwest::Client::new())
        .with(Stamp {
            served_by: served_by.clone(),
        })
        .build();
    let client = Client::with_middleware(&url, chain).unwrap();
    let SearchResponse::Ok(echo) = client
        .search(SearchRequired {
            q: "q".to_owned(),
            session: "s".to_owned(),
        })
        .send()
        .await
        .unwrap();
    // The header the client middleware added reached the implementation; the header the
    // server layer added reached the client middleware.
    assert_eq!(echo.request_id.as_deref(), Some("stamped"));
    assert_eq!(*served_by.lock().unwrap(), ["layer"]);
    // A middleware's refusal is an error of its own.
    let error = client.report().send().await.unwrap_err();
    assert!(matches!(error, Error::Middleware(_)), "{error:?}");
    assert_eq!(error.to_string(), "middleware error: no reports today");
}

/// A body read as a caller would: `?` turns a chunk's error into the caller's own.
async fn read_all(mut body: Binary) -> Result<Vec<u8>, Box<dyn std::error::Error>> {
    let mut received = Vec::new();
    while let Some(chunk) = body.chunk().await {
        received.extend_from_slice(&chunk?);
    }
    Ok(received)
}

#[tokio::test]
async fn a_download_is_read_as_it_arrives_past_the_size_cap() {
    let client = Client::new(&serve(http_features::server::router(Server::default())).await)
        .unwrap()
        .with_max_response_bytes(1 << 20);
    let file: Vec<u8> = (0..5 << 20).map(|i: u32| (i % 251) as u8).collect();
    client.put_file("big", file.clone()).send().await.unwrap();
    // A binary body is handed over unread: the size cap is the reader's to choose.
    let GetFileResponse::Ok { body, .. } = client.get_file("big").send().await.unwrap() else {
        panic!("no file");
    };
    let error = body.collect(1 << 20).await.unwrap_err();
    assert_eq!(error.to_string(), "the body is longer than 1048576 bytes");
    let GetFileResponse::Ok { body, .. } = client.get_file("big").send().await.unwrap() else {
        panic!("no file");
    };
    assert!(read_all(body).await.unwrap() == file);
    // A JSON answer read whole is held to the cap.
    let big_note = CreateNoteBody::Text("n".repeat(1 << 20));
    let error = client.create_note(big_note).send().await.unwrap_err();
    assert!(matches!(error, Error::ResponseTooLarge { .. }), "{error:?}");
    // Any body can be streamed: it arrives in parts, none larger than the cap, and whole.
    let Streamed::Body(mut download) = client.get_file("big").send_streaming().await.unwrap()
    else {
        panic!("not streamed");
    };
    assert_eq!(download.status(), 200);
    assert_eq!(
        download.headers()["x-size"],
        file.len().to_string().as_str()
    );
    let mut received = Vec::new();
    let mut parts = 0;
    while let Some(chunk) = download.chunk().await.unwrap() {
        assert!(chunk.len() <= 1 << 20);
        received.extend_from_slice(&chunk);
        parts += 1;
    }
    assert!(parts > 1, "{parts}");
    assert!(received == file);
    // A status that is not a success is decoded as `send` does.
    let missing = client.get_file("missing").send_streaming().await.unwrap();
    assert!(
        matches!(missing, Streamed::Answer(GetFileResponse::NotFound)),
        "{missing:?}"
    );
}

/// Streams its bodies through: the upload's first chunk is read before the client has made
/// its second, the download's second chunk is made only once the client has read its first.
#[derive(Default)]
struct Relay {
    first_chunk_read: Mutex<Option<tokio::sync::oneshot::Sender<()>>>,
    download_may_go_on: Mutex<Option<tokio::sync::oneshot::Receiver<()>>>,
    received: Arc<Mutex<Vec<u8>>>,
}

/// A stream of `first`, then `second` once `go` fires.
fn two_chunks(
    first: &'static str,
    go: tokio::sync::oneshot::Receiver<()>,
    second: &'static str,
) -> Binary {
    Binary::from_stream(futures_util::stream::unfold(
        (0, Some(go)),
        move |(step, go)| async move {
            match (step, go) {
                (0, go) => Some((Ok::<_, std::io::Error>(Bytes::from(first)), (1, go))),
                (1, Some(go)) => {
                    go.await.ok()?;
                    Some((Ok(Bytes::from(second)), (2, None)))
                }
                _ => None,
            }
        },
    ))
}

impl HttpFeatures for Relay {
    async fn put_file(
        self: Arc<Self>,
        request: PutFileRequest,
    ) -> Result<PutFileResponse, Problem> {
        let mut body = request.body;
        let first = body.chunk().await.expect("a first chunk")?;
        self.received.lock().unwrap().extend_from_slice(&first);
        if let Some(read) = self.first_chunk_read.lock().unwrap().take() {
            read.send(()).unwrap();
        }
        let rest = body.collect(1 << 20).await?;
        self.received.lock().unwrap().extend_from_slice(&rest);
        Ok(PutFileResponse::NoContent)
    }

    async fn get_file(self: Arc<Self>, _: GetFileRequest) -> Result<GetFileResponse, Problem> {
        let go = self.download_may_go_on.lock().unwrap().take().unwrap();
        Ok(GetFileResponse::Ok {
            body: two_chunks("first part, ", go, "second part"),
            x_size: 23,
        })
    }
}

/// Were either side to hold a body whole before handing it on, these exchanges would wait
/// forever (the timeout says so instead).
#[tokio::test]
async fn uploads_and_downloads_stream_without_being_held_whole() {
    let (first_chunk_read, upload_may_go_on) = tokio::sync::oneshot::channel();
    let (download_go, download_may_go_on) = tokio::sync::oneshot::channel();
    let received = Arc::default();
    let relay = Relay {
        first_chunk_read: Mutex::new(Some(first_chunk_read)),
        download_may_go_on: Mutex::new(Some(download_may_go_on)),
        received: Arc::clone(&received),
    };
    let url = serve(http_features::server::router(relay)).await;
    let client = Client::new(&url).unwrap();
    let exchange = async {
        let upload = two_chunks("uploaded ", upload_may_go_on, "in two");
        let answer = client.put_file("x", upload).send().await.unwrap();
        assert_eq!(answer, PutFileResponse::NoContent);
        assert_eq!(*received.lock().unwrap(), b"uploaded in two");

        let GetFileResponse::Ok { mut body, .. } = client.get_file("x").send().await.unwrap()
        else {
            panic!("no file");
        };
        let first = body.chunk().await.unwrap().unwrap();
        assert_eq!(first, "first part, ");
        download_go.send(()).unwrap();
        assert_eq!(body.collect(1024).await.unwrap(), "second part");
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), exchange)
        .await
        .expect("a body was held whole");
}

/// A streamed upload has no length to refuse it by up front: its operation's limit ends it
/// mid-way, and the implementation's `?` answers 413. (The chunks are small so that all of
/// the body is written before the answer: over HTTP/1.1, a client still writing when the
/// server answers and closes sees the connection reset, not the answer.) A streamed body is
/// sent once, never tried again.
#[tokio::test]
async fn a_streamed_upload_past_its_limit_is_413() {
    let limits = BodyLimits::default().operation("putFile", 1000);
    let router = http_features::server::router(Server::default()).layer(axum::Extension(limits));
    let client = Client::new(&serve(router).await)
        .unwrap()
        .with_retry(http_features::client::Retry::default());
    let chunks = (0..3).map(|_| Ok::<_, std::io::Error>(Bytes::from(vec![7u8; 600])));
    let upload = Binary::from_stream(futures_util::stream::iter(chunks));
    let error = client
        .put_file("big", upload.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(413), "{error}");
    // Its clone shares the one stream, which is spent.
    let error = client.put_file("big", upload).send().await.unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");
    assert!(error.to_string().contains("sent already"), "{error}");
}
