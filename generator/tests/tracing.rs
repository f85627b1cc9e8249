//! The `tracing` feature: a span per operation called or served. Alone in its test binary,
//! because tracing caches per call site whether anyone listens, and a test running beside
//! it without a subscriber could settle that for both.

use std::sync::{Arc, Mutex};

use http_features::client::Client;
use http_features::requests::GetItemRequest;
use http_features::responses::GetItemResponse;
use http_features::server::{HttpFeatures, Problem};
use http_features::types::Note;

async fn serve(router: axum::Router) -> String {
    let router = axum::Router::new().nest("/v1", router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/v1")
}

/// Serves `getItem` only (the crate is built with `server-defaults`).
struct Server;

impl HttpFeatures for Server {
    async fn get_item(
        self: Arc<Self>,
        GetItemRequest { id }: GetItemRequest,
    ) -> Result<GetItemResponse, Problem> {
        Ok(GetItemResponse::Ok(Note {
            title: format!("item {id}"),
            body: None,
        }))
    }
}

/// What a tracing subscriber writes, kept for the test to read.
#[derive(Clone, Default)]
struct Written(Arc<Mutex<Vec<u8>>>);

impl std::io::Write for Written {
    fn write(&mut self, bytes: &[u8]) -> std::io::Result<usize> {
        self.0.lock().unwrap().extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[test]
fn each_operation_called_or_served_is_a_tracing_span_with_its_status() {
    let written = Written::default();
    let sink = written.clone();
    let subscriber = tracing_subscriber::fmt()
        .with_writer(move || sink.clone())
        .with_span_events(tracing_subscriber::fmt::format::FmtSpan::CLOSE)
        .with_ansi(false)
        .finish();
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    tracing::subscriber::with_default(subscriber, || {
        runtime.block_on(async {
            let url = serve(http_features::server::router(Server)).await;
            let client = Client::new(&url).unwrap();
            client.get_item(42).send().await.unwrap();
        })
    });
    let log = String::from_utf8(written.0.lock().unwrap().clone()).unwrap();
    for side in ["client", "server"] {
        let line = log
            .lines()
            .find(|l| l.contains(&format!("side=\"{side}\"")))
            .unwrap_or_else(|| panic!("no {side} span in:\n{log}"));
        assert!(line.contains("operation=\"getItem\""), "{line}");
        assert!(line.contains("path=\"/items/item-{id}.json\""), "{line}");
        assert!(line.contains("status=200"), "{line}");
    }
}
