//! OpenAPI 3.2's methods beyond the fixed fields, client to generated server over loopback
//! (`specs/openapi32-methods.yaml`): `QUERY` with a JSON body beside a `GET` on the same
//! path, an `additionalOperations` `COPY`, a query string that is one value
//! (`in: querystring`, a form object or JSON text), and 405 with the route's `Allow` for a method the
//! path does not take.

use std::sync::{Arc, Mutex};

use openapi32_methods::client::Client;
use openapi32_methods::requests::*;
use openapi32_methods::responses::*;
use openapi32_methods::server::{OpenApi32Methods, Problem};
use openapi32_methods::types::{Filter, Note, Search};

fn note(id: &str, title: &str) -> Note {
    Note {
        id: id.to_owned(),
        title: title.to_owned(),
    }
}

/// Records each request, as the handler saw it.
#[derive(Clone, Default)]
struct Notes {
    seen: Arc<Mutex<Vec<String>>>,
}

impl OpenApi32Methods for Notes {
    async fn list_notes(
        self: Arc<Self>,
        request: ListNotesRequest,
    ) -> Result<ListNotesResponse, Problem> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("GET {:?}", request.filter));
        Ok(ListNotesResponse::Ok(vec![
            note("1", "hello"),
            note("2", "world"),
        ]))
    }

    async fn search_notes(
        self: Arc<Self>,
        request: SearchNotesRequest,
    ) -> Result<SearchNotesResponse, Problem> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("QUERY {} {:?}", request.body.text, request.limit));
        Ok(SearchNotesResponse::Ok(vec![note("2", &request.body.text)]))
    }

    async fn deep_search_notes(
        self: Arc<Self>,
        request: DeepSearchNotesRequest,
    ) -> Result<DeepSearchNotesResponse, Problem> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("QUERY deep {}", request.body.text));
        Ok(DeepSearchNotesResponse::Ok(vec![]))
    }

    async fn find_notes(
        self: Arc<Self>,
        request: FindNotesRequest,
    ) -> Result<FindNotesResponse, Problem> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("FIND {}", request.search.text));
        Ok(FindNotesResponse::Ok(vec![note("3", &request.search.text)]))
    }

    async fn copy_note(
        self: Arc<Self>,
        request: CopyNoteRequest,
    ) -> Result<CopyNoteResponse, Problem> {
        self.seen
            .lock()
            .unwrap()
            .push(format!("COPY {} {}", request.id, request.destination));
        Ok(match request.id.as_str() {
            "1" => CopyNoteResponse::Created(note(&request.destination, "hello")),
            _ => CopyNoteResponse::NotFound,
        })
    }
}

/// Serves `notes` on a loopback port of its own; the URL to reach it.
async fn serve(notes: Notes) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let url = format!("http://{}", listener.local_addr().unwrap());
    let router = openapi32_methods::server::router(notes);
    tokio::spawn(async move { axum::serve(listener, router).await });
    url
}

#[tokio::test]
async fn query_and_additional_operations_round_trip() {
    let notes = Notes::default();
    let url = serve(notes.clone()).await;
    let client = Client::new(&url).unwrap();

    // QUERY and GET share `/notes`: each reaches its own operation.
    let found = client
        .search_notes(Search {
            text: "world".into(),
        })
        .limit(3)
        .send()
        .await
        .unwrap();
    assert_eq!(found, SearchNotesResponse::Ok(vec![note("2", "world")]));
    // Two QUERY operations on one route, told apart by the constant query.
    let deep = client
        .deep_search_notes(Search {
            text: "deep".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(deep, DeepSearchNotesResponse::Ok(vec![]));
    let filter = Filter {
        tag: Some("a b".into()),
        max: Some(3),
    };
    let all = client.list_notes().filter(filter).send().await.unwrap();
    assert_eq!(
        all,
        ListNotesResponse::Ok(vec![note("1", "hello"), note("2", "world")])
    );
    let copied = client
        .copy_note(CopyNoteRequest {
            id: "1".into(),
            destination: "3".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(copied, CopyNoteResponse::Created(note("3", "hello")));
    let missing = client
        .copy_note(CopyNoteRequest {
            id: "9".into(),
            destination: "3".into(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(missing, CopyNoteResponse::NotFound);
    assert_eq!(
        *notes.seen.lock().unwrap(),
        [
            "QUERY world Some(3)",
            "QUERY deep deep",
            "GET Some(Filter { tag: Some(\"a b\"), max: Some(3) })",
            "COPY 1 3",
            "COPY 9 3"
        ]
    );

    // The querystring is the object's properties as the query's pairs; a pair that does
    // not fit the object's schema is refused.
    let http = reqwest::Client::new();
    let reply = http
        .get(format!("{url}/notes?tag=b&max=2"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(
        notes.seen.lock().unwrap().last().unwrap(),
        "GET Some(Filter { tag: Some(\"b\"), max: Some(2) })"
    );
    let reply = http
        .get(format!("{url}/notes?max=many"))
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status(), 400);

    // Another method on either path is 405, with every method the path takes.
    for (method, path, allow) in [
        ("DELETE", "/notes", "GET, HEAD, QUERY"),
        ("MOVE", "/notes", "GET, HEAD, QUERY"),
        ("GET", "/notes/1", "COPY"),
        ("QUERY", "/notes/1", "COPY"),
    ] {
        let reply = http
            .request(
                reqwest::Method::from_bytes(method.as_bytes()).unwrap(),
                format!("{url}{path}"),
            )
            .send()
            .await
            .unwrap();
        assert_eq!(reply.status(), 405, "{method} {path}");
        assert_eq!(reply.headers()["allow"], allow, "{method} {path}");
    }
    // A QUERY without its required body is refused as a GET's bad input would be.
    let reply = http
        .request(
            reqwest::Method::from_bytes(b"QUERY").unwrap(),
            format!("{url}/notes"),
        )
        .send()
        .await
        .unwrap();
    assert_eq!(reply.status().as_u16() / 100, 4);
}

/// A parameter `in: querystring` of JSON is the whole query string: the client writes the
/// value's JSON text percent-encoded (`?%7B%22text%22...`), the server reads it back, and a
/// query string that is not the JSON the schema describes, or none for a required one, is
/// answered 400.
#[tokio::test]
async fn a_json_querystring_is_the_whole_query() {
    let notes = Notes::default();
    let url = serve(notes.clone()).await;
    let client = Client::new(&url).unwrap();
    let text = "a&b=c #?+ ü";
    let found = client
        .find_notes(Search {
            text: text.to_owned(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(found, FindNotesResponse::Ok(vec![note("3", text)]));
    assert_eq!(
        notes.seen.lock().unwrap().last().unwrap(),
        &format!("FIND {text}")
    );

    let http = reqwest::Client::new();
    let raw = |query: &'static str| http.get(format!("{url}/notes/found{query}")).send();
    let reply = raw("?%7B%22text%22%3A%22raw%22%7D").await.unwrap();
    assert_eq!(reply.status(), 200);
    assert_eq!(notes.seen.lock().unwrap().last().unwrap(), "FIND raw");
    for refused in ["?text=raw", "?%7B%22title%22%3A1%7D", ""] {
        let reply = raw(refused).await.unwrap();
        assert_eq!(reply.status(), 400, "{refused:?}");
    }
}
