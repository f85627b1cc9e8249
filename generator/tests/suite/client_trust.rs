//! What a generated client keeps to whatever its inputs and the server do: a path parameter
//! never changes the path, credentials never leave the origin they were given for, and no
//! call waits for ever. Generated clients (`http-features`, `security-schemes`, `petstore`)
//! against generated servers and small axum or raw TCP peers on 127.0.0.1.

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};

/// A generated server that keeps the file names its `getFile` and `putFile` received.
#[derive(Clone, Default)]
struct Names(Arc<Mutex<Vec<String>>>);

impl HttpFeatures for Names {
    async fn get_file(
        self: Arc<Self>,
        GetFileRequest { name }: GetFileRequest,
    ) -> Result<GetFileResponse, Problem> {
        self.0.lock().unwrap().push(name);
        Ok(GetFileResponse::NotFound)
    }
}

/// Serves `router` on a new port of 127.0.0.1 under `/v1`; the base URL, and how many
/// requests arrived.
async fn serve_counting(router: axum::Router) -> (String, Arc<Mutex<usize>>) {
    let arrived = Arc::new(Mutex::new(0));
    let count = arrived.clone();
    let router = axum::Router::new()
        .nest("/v1", router)
        .layer(axum::middleware::from_fn(
            move |request, next: axum::middleware::Next| {
                *count.lock().unwrap() += 1;
                next.run(request)
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(axum::serve(listener, router).into_future());
    (format!("http://{address}/v1"), arrived)
}

#[tokio::test]
async fn a_path_parameter_reaches_the_server_exactly_or_not_at_all() {
    let names = Names::default();
    let (url, arrived) = serve_counting(http_features::server::router(names.clone())).await;
    let client = http_features::client::Client::new(&url).unwrap();
    let odd = [
        " ",
        "a b",
        "a/b",
        "/",
        "%2F",
        "%",
        "%2e%2e",
        "\t",
        "tab\there",
        "line\r\nbreak",
        "ünïcødé ✓",
        "?q=1",
        "#top",
        "a+b",
        "\\",
        ";,=&$'()*!@:",
        "...",
        ".hidden",
    ];
    for value in odd {
        let answer = client.get_file(value).send().await;
        assert!(
            matches!(answer, Ok(GetFileResponse::NotFound)),
            "{value:?}: {answer:?}"
        );
        assert_eq!(names.0.lock().unwrap().pop().as_deref(), Some(value));
    }
    assert_eq!(*arrived.lock().unwrap(), odd.len());

    // Values a URL cannot carry as they are: refused before anything is sent.
    for value in [".", "..", ""] {
        let error = client.get_file(value).send().await.unwrap_err();
        let http_features::client::Error::InvalidRequest(message) = &error else {
            panic!("{value:?}: {error:?}");
        };
        assert!(message.contains("path"), "{message}");
    }
    let pets = petstore::client::Client::new(&url).unwrap();
    let error = pets.show_pet_by_id("..").send().await.unwrap_err();
    assert!(
        matches!(error, petstore::client::Error::InvalidRequest(_)),
        "{error:?}"
    );
    assert_eq!(
        *arrived.lock().unwrap(),
        odd.len(),
        "a refused value was sent"
    );
}

/// A request as a peer received it.
#[derive(Debug)]
struct Seen {
    method: String,
    uri: String,
    headers: axum::http::HeaderMap,
    body: Vec<u8>,
}

type Log = Arc<Mutex<Vec<Seen>>>;

/// A peer on a new port of 127.0.0.1 (its own origin): it keeps every request to
/// `/landed...` and answers it `200` with an empty `Caller`; it answers any other request
/// `status` with `Location: location`, or `/landed` on its own origin. Its base URL.
async fn peer(status: u16, location: Option<String>, log: Log) -> String {
    let handler = move |request: axum::extract::Request| {
        let (log, location) = (log.clone(), location.clone());
        async move {
            use axum::response::IntoResponse;
            let (parts, body) = request.into_parts();
            if !parts.uri.path().starts_with("/landed") {
                let location = location.unwrap_or_else(|| "/landed".to_owned());
                let status = axum::http::StatusCode::from_u16(status).unwrap();
                return (status, [("location", location)]).into_response();
            }
            let body = axum::body::to_bytes(body, usize::MAX).await.unwrap();
            log.lock().unwrap().push(Seen {
                method: parts.method.to_string(),
                uri: parts.uri.to_string(),
                headers: parts.headers,
                body: body.to_vec(),
            });
            ([("content-type", "application/json")], r#"{"schemes": []}"#).into_response()
        }
    };
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = axum::Router::new().fallback(handler);
    tokio::spawn(axum::serve(listener, router).into_future());
    format!("http://{address}")
}

/// Whether `seen` carries `secret` anywhere (URL or any header), a header that holds
/// credentials, or a `Referer`.
fn leaks(seen: &Seen, secret: &str) -> bool {
    let credentials = [
        "authorization",
        "cookie",
        "x-api-key",
        "x-auth-token",
        "referer",
    ];
    seen.uri.contains(secret)
        || credentials
            .iter()
            .any(|name| seen.headers.contains_key(*name))
        || seen
            .headers
            .values()
            .any(|value| String::from_utf8_lossy(value.as_bytes()).contains(secret))
}

/// A client of the security-schemes API at `url` holding a credential of every kind, each
/// containing `SECRET`.
fn keyed(url: &str) -> security_schemes::client::Client {
    security_schemes::client::Client::new(url)
        .unwrap()
        .with_bearer_auth(format!("bearer-{SECRET}"))
        .with_basic_auth("user", format!("password-{SECRET}"))
        .with_api_key_auth(format!("header-{SECRET}"))
        .with_cookie_key(format!("cookie-{SECRET}"))
}

const SECRET: &str = "s3cr3t";

#[tokio::test]
async fn credentials_never_follow_a_redirect_to_another_origin() {
    for status in [301, 302, 303, 307, 308] {
        let landed = Log::default();
        let other = peer(200, None, landed.clone()).await;
        let first = peer(
            status,
            Some(format!("{other}/landed?from=first")),
            Log::default(),
        )
        .await;

        // Header, cookie, bearer, basic and query credentials: none goes to the other port.
        let client = keyed(&first);
        let answer = client.key_and_cookie().send().await;
        assert!(answer.is_ok(), "{status}: {answer:?}");
        client.by_default().send().await.unwrap();
        client.either_way().send().await.unwrap();
        let query = security_schemes::client::Client::new(&first)
            .unwrap()
            .with_query_key(format!("query-{SECRET}"));
        query.either_way().send().await.unwrap();

        // A header parameter (Rocket.Chat's session token) and a call's own header, on a
        // POST with a body.
        let logout = rocketchat_logout::client::Client::new(&first).unwrap();
        let _ = logout
            .post_logout(rocketchat_logout::requests::PostLogoutRequest {
                x_auth_token: format!("token-{SECRET}"),
                x_user_id: "me".to_owned(),
            })
            .send()
            .await;
        let notes = http_features::client::Client::new(&first).unwrap();
        let _ = notes
            .create_note(http_features::types::CreateNoteBody::Text(
                "hello".to_owned(),
            ))
            .with_header("X-Auth-Token", format!("token-{SECRET}"))
            .send()
            .await;

        let landed = landed.lock().unwrap();
        assert_eq!(landed.len(), 6, "{status}: {landed:#?}");
        for seen in landed.iter() {
            assert!(!leaks(seen, SECRET), "{status}: {seen:#?}");
            assert!(seen.uri.ends_with("/landed?from=first"), "{seen:#?}");
        }
        // 307 and 308 keep the method and the body; the others make a POST a GET.
        let post = &landed[5];
        if status >= 307 {
            assert_eq!(
                (post.method.as_str(), &post.body[..]),
                ("POST", &b"hello"[..])
            );
            assert_eq!(post.headers["content-type"], "text/plain");
        } else {
            assert_eq!((post.method.as_str(), post.body.len()), ("GET", 0));
        }
    }
}

#[tokio::test]
async fn a_redirect_within_the_origin_keeps_credentials_and_the_policy_is_the_clients() {
    use security_schemes::client::{Error, Redirects};
    for status in [302, 307] {
        let landed = Log::default();
        let first = peer(status, None, landed.clone()).await;
        keyed(&first).key_and_cookie().send().await.unwrap();
        let notes = http_features::client::Client::new(&first).unwrap();
        let _ = notes
            .create_note(http_features::types::CreateNoteBody::Text(
                "hello".to_owned(),
            ))
            .with_header("X-Auth-Token", format!("token-{SECRET}"))
            .send()
            .await;
        let landed = landed.lock().unwrap();
        assert_eq!(landed.len(), 2);
        assert_eq!(landed[0].headers["x-api-key"], format!("header-{SECRET}"));
        assert_eq!(
            landed[0].headers["cookie"],
            format!("session=cookie-{SECRET}")
        );
        assert_eq!(landed[1].headers["x-auth-token"], format!("token-{SECRET}"));
        let expected = if status == 307 { "POST" } else { "GET" };
        assert_eq!(landed[1].method, expected);
    }

    // Never: the redirect is the answer. SameOrigin: one to another origin is.
    let landed = Log::default();
    let other = peer(200, None, landed.clone()).await;
    let first = peer(307, Some(format!("{other}/landed")), Log::default()).await;
    for policy in [Redirects::Never, Redirects::SameOrigin(10)] {
        let client = keyed(&first).with_redirects(policy);
        let error = client.key_and_cookie().send().await.unwrap_err();
        assert!(
            matches!(&error, Error::UnexpectedStatus(response) if response.status == 307),
            "{error:?}"
        );
    }
    let same = peer(307, None, Log::default()).await;
    let client = keyed(&same).with_redirects(Redirects::SameOrigin(10));
    client.key_and_cookie().send().await.unwrap();
    assert!(landed.lock().unwrap().is_empty());

    // Your own reqwest::Client that follows redirects itself: the call fails rather than
    // pass for a success (reqwest has sent the request on by then).
    let own = security_schemes::client::Client::with_http_client(&first, reqwest::Client::new())
        .unwrap()
        .with_api_key_auth(format!("header-{SECRET}"))
        .with_cookie_key(format!("cookie-{SECRET}"));
    let error = own.key_and_cookie().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::InvalidRequest(message) if message.contains("Policy::none")),
        "{error:?}"
    );
}

/// A peer on 127.0.0.1 that accepts connections and never sends a byte; its base URL.
async fn silent() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        let mut held = Vec::new();
        while let Ok((socket, _)) = listener.accept().await {
            held.push(socket);
        }
    });
    format!("http://{address}/v1")
}

#[tokio::test]
async fn a_call_has_a_time_limit_unless_told_otherwise() {
    use http_features::client::{Client, Error};
    // The defaults: 60 s a call, 10 s to connect, and reqwest neither redirects (the client
    // does) nor sends a Referer.
    let url = silent().await;
    let client = Client::new(&url).unwrap();
    assert_eq!(client.timeout(), Some(Duration::from_secs(60)));
    let builder = format!("{:?}", Client::http_builder());
    assert!(builder.contains("connect_timeout: 10s"), "{builder}");
    let http = format!("{:?}", client.http_client());
    assert!(http.contains("redirect_policy"), "{http}");
    assert!(!http.contains("referer"), "{http}");

    // The client's limit, shorter, against a peer that never answers: a timeout, soon,
    // for a call read whole and for one streamed (whose limit ends with the head).
    let short = client.with_timeout(Some(Duration::from_millis(200)));
    let started = std::time::Instant::now();
    let error = short.report().send().await.unwrap_err();
    assert!(
        matches!(&error, Error::Transport(e) if e.is_timeout()),
        "{error:?}"
    );
    let error = short.get_file("a").send().await.unwrap_err();
    assert!(matches!(error, Error::Timeout { .. }), "{error:?}");
    assert!(error.is_timeout());
    assert!(started.elapsed() < Duration::from_secs(5));

    // A call's own limit replaces the client's, longer or shorter.
    let router = axum::Router::new().fallback(|| async {
        tokio::time::sleep(Duration::from_millis(500)).await;
        axum::http::StatusCode::NOT_FOUND
    });
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let slow = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(axum::serve(listener, router).into_future());
    let short = Client::new(&slow)
        .unwrap()
        .with_timeout(Some(Duration::from_millis(100)));
    let answer = short
        .report()
        .with_timeout(Duration::from_secs(10))
        .send()
        .await;
    assert!(
        matches!(&answer, Err(Error::UnexpectedStatus(r)) if r.status == 404),
        "{answer:?}"
    );
    let error = Client::new(&slow)
        .unwrap()
        .report()
        .with_timeout(Duration::from_millis(100))
        .send()
        .await
        .unwrap_err();
    assert!(error.is_timeout(), "{error:?}");
    // No limit at all, when asked: the slow answer arrives.
    let none = Client::new(&slow).unwrap().with_timeout(None);
    assert!(matches!(
        none.report().send().await,
        Err(Error::UnexpectedStatus(_))
    ));
}
