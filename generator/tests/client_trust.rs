//! What a generated client keeps to whatever its inputs and the server do: a path parameter
//! never changes the path, credentials never leave the origin they were given for, and no
//! call waits for ever. Generated clients (`http-features`, `security-schemes`, `petstore`)
//! against generated servers and small axum or raw TCP peers on 127.0.0.1.

use std::future::IntoFuture;
use std::sync::{Arc, Mutex};

use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};

/// A generated server that keeps the file names its `getFile` and `putFile` received.
#[derive(Clone, Default)]
struct Names(Arc<Mutex<Vec<String>>>);

impl HttpFeatures for Names {
    async fn get_file(
        &self,
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
