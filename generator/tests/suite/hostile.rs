//! `specs/hostile.yaml`, a spec written to break the crate it gives. That the crate compiles
//! at all (names shadowing the prelude, types nested 200 deep) is checked by building the
//! workspace; here its server is built and answers, through its client, paths that look
//! like axum's route syntax.

use hostile::client::{Client, Error};
use hostile::requests::TextRequest;
use hostile::responses::*;
use hostile::server::{ErasedApi, Problem};
use hostile::types::{Text, TextDirection};
use std::sync::Arc;

/// Answers each path operation with its own name, so a test sees which route matched.
struct Server;

impl ErasedApi for Server {
    async fn star(self: Arc<Self>) -> Result<StarResponse, Problem> {
        Ok(StarResponse::Ok("star".to_owned()))
    }

    async fn colon(self: Arc<Self>) -> Result<ColonResponse, Problem> {
        Ok(ColonResponse::Ok("colon".to_owned()))
    }

    async fn variable(
        self: Arc<Self>,
        request: hostile::requests::VariableRequest,
    ) -> Result<VariableResponse, Problem> {
        Ok(VariableResponse::Ok(format!("variable {}", request.id)))
    }

    async fn empty_segment(self: Arc<Self>) -> Result<EmptySegmentResponse, Problem> {
        Ok(EmptySegmentResponse::Ok("empty_segment".to_owned()))
    }

    async fn braces(self: Arc<Self>) -> Result<BracesResponse, Problem> {
        Ok(BracesResponse::Ok("braces".to_owned()))
    }

    async fn trailing_slash(self: Arc<Self>) -> Result<TrailingSlashResponse, Problem> {
        Ok(TrailingSlashResponse::Ok("trailing_slash".to_owned()))
    }

    /// Answers with the query parameter in the body's property, and the header's value.
    async fn text(self: Arc<Self>, request: TextRequest) -> Result<TextResponse, Problem> {
        Ok(TextResponse::Ok {
            body: Text {
                p: request.q,
                direction: request.body.and_then(|body| body.direction),
            },
            x_answer: request.x_header,
        })
    }
}

/// Builds the router (which panicked on `/d/*rest` and `/d/:v1.0`) and serves it.
async fn serve() -> (Client, String) {
    let router = hostile::server::router(Server);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, router).await });
    (Client::new(&base).unwrap(), base)
}

#[tokio::test]
async fn literal_segments_like_route_syntax_reach_their_own_operation() {
    let (client, _) = serve().await;
    let text = |result: Result<String, Error>| result.unwrap();
    assert_eq!(
        text(client.star().send().await.map(|StarResponse::Ok(t)| t)),
        "star"
    );
    assert_eq!(
        text(client.colon().send().await.map(|ColonResponse::Ok(t)| t)),
        "colon"
    );
    assert_eq!(
        text(
            client
                .variable("x")
                .send()
                .await
                .map(|VariableResponse::Ok(t)| t)
        ),
        "variable x"
    );
    assert_eq!(
        text(
            client
                .empty_segment()
                .send()
                .await
                .map(|EmptySegmentResponse::Ok(t)| t)
        ),
        "empty_segment"
    );
    assert_eq!(
        text(client.braces().send().await.map(|BracesResponse::Ok(t)| t)),
        "braces"
    );
    assert_eq!(
        text(
            client
                .trailing_slash()
                .send()
                .await
                .map(|TrailingSlashResponse::Ok(t)| t)
        ),
        "trailing_slash"
    );
}

/// A client other than the generated one, sending the paths as written in the spec.
#[tokio::test]
async fn the_paths_as_the_spec_writes_them_are_served() {
    let (_, base) = serve().await;
    let http = reqwest::Client::new();
    for (path, answer) in [
        ("/d/*rest", "star"),
        ("/d/:v1.0", "colon"),
        ("/d/*other", "variable *other"),
        ("/e//f", "empty_segment"),
        ("/g/a%7Db%7Bc", "braces"),
        ("/t/", "trailing_slash"),
    ] {
        let response = http.get(format!("{base}{path}")).send().await.unwrap();
        assert_eq!(response.status(), 200, "{path}");
        assert_eq!(response.text().await.unwrap(), answer, "{path}");
    }
}

/// Text holding bidirectional formatting characters and a CR, which rustc refuses in the
/// docs it appears in, crosses the wire exactly: docs drop them, string literals escape them.
#[tokio::test]
async fn bidi_characters_and_a_cr_in_names_and_values_are_sent_exactly() {
    const BIDI: &str = "\u{202e}\u{2066}\r\u{200e}\u{61c}\u{2069}";
    assert_eq!(
        serde_json::to_string(&TextDirection::Left).unwrap(),
        serde_json::to_string(&format!("left{BIDI}")).unwrap()
    );
    assert_eq!(TextDirection::Right.to_string(), "\u{202e}right");
    let (client, _) = serve().await;
    let body = Text {
        p: "b".to_owned(),
        direction: Some(TextDirection::Left),
    };
    let answer = client
        .text()
        .q(format!("a{BIDI}"))
        .body(body)
        .send()
        .await
        .unwrap();
    let TextResponse::Ok { body, .. } = answer;
    assert_eq!(body.p, format!("a{BIDI}"));
    assert_eq!(body.direction, Some(TextDirection::Left));
}

/// The types glob-imported beside the client and the server bring no name in twice: the
/// spec's `Error`, `Problem` and `Client` are `ErrorModel2` (the spec has an `ErrorModel`
/// of its own), `ProblemModel` and `ClientModel`, so `Error` here is the client's.
mod glob_imports {
    use hostile::client::*;
    use hostile::server::*;
    use hostile::types::*;

    #[test]
    fn the_spec_s_names_keep_off_the_runtime_s() {
        let spec = ErrorModel2 {
            problem: Some(ProblemModel::from("the spec's")),
            client: Some(ClientModel::from("its client")),
        };
        let _: ErrorModel = "its own ErrorModel".to_owned();
        let _: (
            CallModel,
            OperationModel,
            RetryModel,
            AuthModel,
            LimitsModel,
        );
        let problem = Problem::new(400, "the runtime's");
        let client: Result<Client, Error> = Client::new("http://127.0.0.1:1");
        assert!(client.is_ok());
        let _: Option<(Retry, Limits, Auth)> = None;
        assert_eq!(problem.status, 400);
        assert_eq!(spec.problem.as_deref(), Some("the spec's"));
    }
}
