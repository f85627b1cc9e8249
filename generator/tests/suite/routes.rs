//! Path keys that are more than a path, and operations that are one request on the wire:
//! the client keeps every operation, the server routes each request shape once. Fixture
//! specs of one construct each (the model and the diagnostics), then the `/routes` paths of
//! `specs/http-features.yaml`, generated client against generated server over loopback.

use std::sync::{Arc, Mutex};

use generator::load::Source;
use generator::model::{Api, Location};
use generator::ApiInput;
use http_features::client::Client;
use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};

/// The model of one fixture of `tests/fixtures/`, with every diagnostic as text.
fn model(file: &str) -> (Api, Vec<String>) {
    let path = format!("{}/tests/fixtures/{file}", env!("CARGO_MANIFEST_DIR"));
    let input = ApiInput {
        name: "fixture".to_owned(),
        origin: file.to_owned(),
        sources: vec![Source {
            path: format!("fixtures/{file}"),
            text: std::fs::read_to_string(path).unwrap(),
        }],
        ..Default::default()
    };
    match generator::build_model(&input) {
        Ok((api, diagnostics)) => (api, diagnostics.iter().map(|d| d.to_string()).collect()),
        Err(e) => panic!("{file}: {e}: {e:?}"),
    }
}

fn emitted(api: &Api, path: &str) -> String {
    let files = generator::emit::emit_crate(api, "fixture", "").unwrap();
    generator::module_text(&files, path)
}

/// An operation's name, path as sent, constant query and the operation answering it.
type Routed<'a> = (&'a str, &'a str, Vec<(&'a str, &'a str)>, Option<&'a str>);

fn operations(api: &Api) -> Vec<Routed<'_>> {
    api.operations
        .iter()
        .map(|op| {
            let query = op
                .query_constants
                .iter()
                .map(|(n, v)| (n.as_str(), v.as_str()))
                .collect();
            let answered = op.answered_by.as_deref();
            (op.name.as_str(), op.path.raw.as_str(), query, answered)
        })
        .collect()
}

#[test]
fn a_fragment_is_not_sent_and_names_an_operation_without_an_id() {
    let (api, diags) = model("path-key-fragment.yaml");
    assert_eq!(
        operations(&api),
        [
            ("get_file", "/files/{file_id}", vec![], None),
            (
                "get_files_file_id_get_shared_link",
                "/files/{file_id}",
                vec![],
                Some("get_file")
            ),
            ("add_shared_link", "/files/{file_id}", vec![], None),
        ]
    );
    assert_eq!(
        diags,
        ["warning[route-conflict]: fixtures/path-key-fragment.yaml:14:5#/paths/~1files~1{file_id}#get_shared_link/get: GET /files/{file_id}#get_shared_link is the same request on the wire as GET /files/{file_id} (`get_file`), which comes first: the server answers it with `get_file` and leaves `get_files_file_id_get_shared_link` out of its trait; the client has both"]
    );
    // The client has all three; the server's trait has the two it calls, and says which
    // one answers for the third.
    let client = emitted(&api, "src/client.rs");
    let server = emitted(&api, "src/server.rs");
    for name in [
        "get_file",
        "get_files_file_id_get_shared_link",
        "add_shared_link",
    ] {
        assert!(client.contains(&format!("pub fn {name}(")), "{name}");
    }
    assert!(!server.contains("fn get_files_file_id_get_shared_link"));
    assert!(server.contains("Also answers `GET /files/{file_id}` (`GET /files/{file_id}#get_shared_link`, the client's `get_files_file_id_get_shared_link`)"));
}

#[test]
fn a_query_in_a_path_key_is_a_constant_query_of_its_operation() {
    let (api, diags) = model("path-key-query.yaml");
    assert_eq!(
        operations(&api),
        [
            ("get_response", "/responses/{id}", vec![], None),
            // `mode` is a declared parameter: its value is sent, not the key's.
            (
                "get_response_beta",
                "/responses/{id}",
                vec![("beta", "true")],
                None
            ),
        ]
    );
    assert_eq!(
        diags,
        ["warning[path-query]: fixtures/path-key-query.yaml:12:5#/paths/~1responses~1{id}?beta=true&mode=fast%20lane/get: the path's query sets \"mode\" to \"fast lane\", which is also a declared query parameter; the parameter is sent instead"]
    );
    let client = emitted(&api, "src/client.rs");
    assert!(client.contains(r#"request.query("beta", Some("true"));"#));
}

#[test]
fn templates_differing_in_names_only_are_two_methods_and_one_route() {
    let (api, diags) = model("path-param-names.yaml");
    assert_eq!(
        operations(&api),
        [
            ("get_contact", "/Contacts/{ContactID}", vec![], None),
            (
                "get_contact_by_number",
                "/Contacts/{ContactNumber}",
                vec![],
                Some("get_contact")
            ),
        ]
    );
    assert_eq!(
        diags,
        ["warning[route-conflict]: fixtures/path-param-names.yaml:12:5#/paths/~1Contacts~1{ContactNumber}/get: GET /Contacts/{ContactNumber} is the same request on the wire as GET /Contacts/{ContactID} (`get_contact`), which comes first: the server answers it with `get_contact` and leaves `get_contact_by_number` out of its trait; the client has both"]
    );
    // The pattern only the unserved operation's parameter has is checked by no one: the
    // crate does not define it (an unused rule would be a warning).
    assert!(!emitted(&api, "src/types.rs").contains("[0-9]+"));
}

#[test]
fn a_segment_may_hold_several_variables() {
    let (api, diags) = model("path-segment-variables.yaml");
    let [op] = api.operations.as_slice() else {
        panic!("{:?}", operations(&api))
    };
    let params: Vec<_> = op
        .params
        .iter()
        .map(|p| (p.api_name.as_str(), p.location))
        .collect();
    assert_eq!(params, [("name", Location::Path), ("ext", Location::Path)]);
    assert_eq!(diags, Vec::<String>::new());
    let server = emitted(&api, "src/server.rs");
    assert!(server.contains(r#"input.path_within("s1", "ext", &["", ".", ""], 1)"#));
}

#[test]
fn a_request_body_without_media_types_costs_the_body_only() {
    let (api, diags) = model("request-body-no-media.yaml");
    let [op] = api.operations.as_slice() else {
        panic!("{:?}", operations(&api))
    };
    assert_eq!(
        (op.name.as_str(), op.body.is_none()),
        ("create_thing", true)
    );
    assert_eq!(
        diags,
        ["warning[request-body]: fixtures/request-body-no-media.yaml:7:7#/paths/~1things/post/requestBody: the request body has no media type that can be sent; the operation is kept without a body"]
    );
}

/// Answers with the operation's name and what it read.
struct Routes;

impl HttpFeatures for Routes {
    async fn route_plain(
        self: Arc<Self>,
        RoutePlainRequest { id }: RoutePlainRequest,
    ) -> Result<RoutePlainResponse, Problem> {
        Ok(RoutePlainResponse::Ok(format!("plain {id}")))
    }

    async fn route_beta(
        self: Arc<Self>,
        RouteBetaRequest { id }: RouteBetaRequest,
    ) -> Result<RouteBetaResponse, Problem> {
        Ok(RouteBetaResponse::Ok(format!("beta {id}")))
    }

    async fn route_json(
        self: Arc<Self>,
        RouteJsonRequest { id }: RouteJsonRequest,
    ) -> Result<RouteJsonResponse, Problem> {
        Ok(RouteJsonResponse::Ok(format!("json {id}")))
    }

    async fn route_file(
        self: Arc<Self>,
        RouteFileRequest { id, name, ext }: RouteFileRequest,
    ) -> Result<RouteFileResponse, Problem> {
        Ok(RouteFileResponse::Ok(format!("file {id} {name} {ext}")))
    }
}

/// Serves the router under `/v1`, keeping the path and query of every request it gets.
async fn serve(seen: Arc<Mutex<Vec<String>>>) -> String {
    let router = axum::Router::new()
        .nest("/v1", http_features::server::router(Routes))
        .layer(axum::middleware::from_fn(
            move |request: axum::extract::Request, next: axum::middleware::Next| {
                let uri = request.uri().to_string();
                seen.lock().unwrap().push(uri);
                next.run(request)
            },
        ));
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/v1")
}

#[tokio::test]
async fn each_request_shape_is_answered_by_its_operation() {
    let seen = Arc::new(Mutex::new(Vec::new()));
    let base = serve(seen.clone()).await;
    let client = Client::new(&base).unwrap();
    let plain = client.route_plain("7").send().await.unwrap();
    assert_eq!(plain, RoutePlainResponse::Ok("plain 7".to_owned()));
    let beta = client.route_beta("7").send().await.unwrap();
    assert_eq!(beta, RouteBetaResponse::Ok("beta 7".to_owned()));
    let json = client.route_json("7").send().await.unwrap();
    assert_eq!(json, RouteJsonResponse::Ok("json 7".to_owned()));
    // The fragment's operation is its own method, the same request as `route_plain`,
    // which answers it.
    let shared = client.get_routes_key_shared("7").send().await.unwrap();
    assert_eq!(shared, GetRoutesKeySharedResponse::Ok("plain 7".to_owned()));
    let file = client
        .route_file("7", "report", "pdf")
        .send()
        .await
        .unwrap();
    assert_eq!(file, RouteFileResponse::Ok("file 7 report pdf".to_owned()));
    // Two variables in a segment: the first takes the shortest text up to the dot.
    let file = client
        .route_file("7", "archive.tar", "gz")
        .send()
        .await
        .unwrap();
    assert_eq!(
        file,
        RouteFileResponse::Ok("file 7 archive tar.gz".to_owned())
    );
    assert_eq!(
        *seen.lock().unwrap(),
        [
            "/v1/routes/7",
            "/v1/routes/7?view=beta",
            "/v1/routes/7.json",
            "/v1/routes/7",
            "/v1/routes/7/report.pdf",
            "/v1/routes/7/archive.tar.gz",
        ]
    );
}

#[tokio::test]
async fn the_constant_query_picks_its_operation_among_other_pairs() {
    let base = serve(Arc::default()).await;
    let text = |path: &'static str| {
        let url = format!("{base}{path}");
        async move { reqwest::get(url).await.unwrap().text().await.unwrap() }
    };
    assert_eq!(text("/routes/7?x=1&view=beta").await, "beta 7");
    assert_eq!(text("/routes/7?view=other").await, "plain 7");
    assert_eq!(text("/routes/a%2Eb.json").await, "json a.b");
}
