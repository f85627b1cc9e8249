//! The client side in WebAssembly, run in Node.js by wasm-bindgen-test-runner (`.ci/run`):
//! the clock, the timers and reading a body as it arrives (`src/platform.rs`) against a
//! Node.js HTTP server on 127.0.0.1 at port 0, through Node's Fetch API, which reqwest uses
//! there as in a browser. `std::time::Instant::now` would panic here and tokio has no timer.
#![cfg(all(target_arch = "wasm32", feature = "client"))]

use std::time::Duration;

use openapi_gen_runtime::__private::client_support::Core;
use openapi_gen_runtime::client::{Error, Retry};
use wasm_bindgen::JsCast;
use wasm_bindgen_test::wasm_bindgen_test;

/// Starts a Node.js server (unreferenced, so it never keeps Node running) and gives its base
/// URL: `/retry` answers 503 with `Retry-After: 1` once, then 200; `/slow` never answers;
/// `/chunks` sends two chunks 50 ms apart; `/away` redirects to another origin.
async fn node_server() -> String {
    let start = js_sys::Function::new_no_args(
        r#"
        const http = process.getBuiltinModule("node:http");
        let tries = 0;
        const server = http.createServer((req, res) => {
            if (req.url === "/retry") {
                tries += 1;
                if (tries === 1) {
                    res.writeHead(503, { "retry-after": "1" });
                    return res.end();
                }
                res.writeHead(200, { "content-type": "text/plain" });
                return res.end(`after ${tries} tries`);
            }
            if (req.url === "/slow") return;
            if (req.url === "/chunks") {
                res.writeHead(200, { "content-type": "application/octet-stream" });
                res.write("first ");
                return setTimeout(() => res.end("second"), 50);
            }
            if (req.url === "/away") {
                res.writeHead(302, { location: "http://localhost:1/elsewhere" });
                return res.end();
            }
            res.writeHead(404);
            res.end();
        });
        server.unref();
        return new Promise((resolve) =>
            server.listen(0, "127.0.0.1", () => resolve(server.address().port)));
        "#,
    );
    let promise: js_sys::Promise = start
        .call0(&wasm_bindgen::JsValue::NULL)
        .unwrap()
        .unchecked_into();
    let port = wasm_bindgen_futures::JsFuture::from(promise).await.unwrap();
    format!("http://127.0.0.1:{}", port.as_f64().unwrap())
}

#[wasm_bindgen_test]
async fn a_503_is_retried_after_the_wait_it_asks_for() {
    let core = Core::new(&node_server().await)
        .unwrap()
        .with_retry(Retry::default());
    let started = web_time::Instant::now();
    let reply = core
        .request(reqwest::Method::GET, "retry", &[])
        .send()
        .await
        .unwrap();
    assert_eq!(
        (reply.status(), reply.text().unwrap().as_str()),
        (200, "after 2 tries")
    );
    assert!(
        started.elapsed() >= Duration::from_millis(900),
        "{:?}",
        started.elapsed()
    );
}

#[wasm_bindgen_test]
async fn a_call_that_gets_no_answer_ends_at_its_time_limit() {
    let core = Core::new(&node_server().await)
        .unwrap()
        .with_timeout(Some(Duration::from_millis(200)));
    match core.request(reqwest::Method::GET, "slow", &[]).send().await {
        Err(error) => assert!(error.is_timeout(), "{error:?}"),
        Ok(reply) => panic!("answered {}", reply.status()),
    }
}

#[wasm_bindgen_test]
async fn a_streamed_body_is_read_as_it_arrives() {
    let core = Core::new(&node_server().await).unwrap();
    let mut request = core.request(reqwest::Method::GET, "chunks", &[]);
    request.stream_binary(&[200]);
    let mut reply = request.send().await.unwrap();
    let body = reply.binary().collect(1024).await.unwrap();
    assert_eq!(&body[..], b"first second");
}

#[wasm_bindgen_test]
async fn a_reply_from_another_origin_is_refused() {
    let core = Core::new(&node_server().await).unwrap();
    match core.request(reqwest::Method::GET, "away", &[]).send().await {
        // Node's fetch followed the redirect to a port where nothing listens, or the reply
        // came from there: either way, not a reply of the API's.
        Err(Error::InvalidRequest(message)) => {
            assert!(message.contains("another origin"), "{message}")
        }
        Err(Error::Transport(_)) => {}
        Err(other) => panic!("{other:?}"),
        Ok(reply) => panic!("answered {}", reply.status()),
    }
}
