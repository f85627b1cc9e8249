//! What a generated server run by its `serve` holds at once, whatever its clients do: so
//! many connections, and so many bytes of request bodies being read. Raw TCP clients on
//! 127.0.0.1, as a well-behaved client cannot misbehave.

use std::net::SocketAddr;
use std::sync::Arc;
use std::time::Duration;

use http_features::requests::CreateNoteRequest;
use http_features::responses::CreateNoteResponse;
use http_features::server::{HttpFeatures, Limits, Problem, ReadTimeout};
use http_features::types::{CreateNoteBody, Note};
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;

/// Serves `createNote` (the other operations answer 501).
struct Notes;

impl HttpFeatures for Notes {
    async fn create_note(
        self: Arc<Self>,
        CreateNoteRequest { body }: CreateNoteRequest,
    ) -> Result<CreateNoteResponse, Problem> {
        let title = match body {
            CreateNoteBody::Text(text) => format!("{} bytes", text.len()),
            CreateNoteBody::Json(note) | CreateNoteBody::Form(note) => note.title,
        };
        Ok(CreateNoteResponse::Created(Note { title, body: None }))
    }
}

async fn serve(limits: Limits) -> SocketAddr {
    let router = axum::Router::new().nest("/v1", http_features::server::router(Notes));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(http_features::server::serve(listener, router, limits));
    address
}

/// The first bytes of an answer on `socket` within `wait`, or `None`.
async fn answer(socket: &mut TcpStream, wait: Duration) -> Option<String> {
    let mut buffer = [0u8; 64];
    match tokio::time::timeout(wait, socket.read(&mut buffer)).await {
        Ok(Ok(n)) if n > 0 => Some(String::from_utf8_lossy(&buffer[..n]).into_owned()),
        _ => None,
    }
}

fn post_head(length: usize) -> String {
    format!(
        "POST /v1/notes HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: {length}\r\n\r\n"
    )
}

#[tokio::test]
async fn connections_past_the_cap_wait_until_one_closes() {
    let address = serve(Limits::default().max_connections(2)).await;
    // Two clients that send half a head and wait hold both places.
    let mut holders = Vec::new();
    for _ in 0..2 {
        let mut socket = TcpStream::connect(address).await.unwrap();
        socket
            .write_all(b"GET /v1/report HTTP/1.1\r\n")
            .await
            .unwrap();
        holders.push(socket);
    }
    tokio::time::sleep(Duration::from_millis(100)).await;
    // A third, with a whole request, is not served...
    let mut third = TcpStream::connect(address).await.unwrap();
    third
        .write_all(b"GET /v1/nowhere HTTP/1.1\r\nhost: x\r\n\r\n")
        .await
        .unwrap();
    assert_eq!(answer(&mut third, Duration::from_millis(500)).await, None);
    // ... until one of the others closes.
    drop(holders.pop());
    let reply = answer(&mut third, Duration::from_secs(10)).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 404"), "{reply}");
}

#[tokio::test]
async fn a_body_past_the_budget_waits_rather_than_being_held() {
    let limits = Limits::default()
        .body_budget(1000)
        .read_timeout(ReadTimeout(Duration::from_secs(10)));
    let address = serve(limits).await;
    // A slow client holds 800 bytes of the 1000 ...
    let mut slow = TcpStream::connect(address).await.unwrap();
    slow.write_all(post_head(100_000).as_bytes()).await.unwrap();
    slow.write_all(&[b'a'; 800]).await.unwrap();
    tokio::time::sleep(Duration::from_millis(200)).await;
    // ... so a whole body of 500 bytes waits for room,
    let mut next = TcpStream::connect(address).await.unwrap();
    next.write_all(post_head(500).as_bytes()).await.unwrap();
    next.write_all(&[b'b'; 500]).await.unwrap();
    assert_eq!(answer(&mut next, Duration::from_millis(500)).await, None);
    // and is read once the slow one is gone.
    drop(slow);
    let reply = answer(&mut next, Duration::from_secs(10)).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");

    // Within the budget, bodies are read at once.
    let mut quick = TcpStream::connect(address).await.unwrap();
    quick.write_all(post_head(900).as_bytes()).await.unwrap();
    quick.write_all(&[b'c'; 900]).await.unwrap();
    let reply = answer(&mut quick, Duration::from_secs(10)).await.unwrap();
    assert!(reply.starts_with("HTTP/1.1 201"), "{reply}");
}
