//! The `mock` feature: the server trait answered from the spec's examples, behind the
//! generated router, called by the generated client as a user's test would.

use serde_json::Value;

/// The value at `pointer` in a YAML spec of `specs/`, as JSON.
fn spec_value(spec: &str, pointer: &str) -> Value {
    let path = crate::support::workspace().join("specs").join(spec);
    let text = std::fs::read_to_string(path).unwrap();
    let document: Value = serde_yaml::from_str(&text).unwrap();
    document.pointer(pointer).unwrap().clone()
}

#[tokio::test]
async fn the_mock_answers_with_the_spec_s_example() {
    use docker_engine::responses::ContainerChangesResponse;

    let url = docker_engine::mock::serve().await.unwrap();
    let client = docker_engine::client::Client::new(&url).unwrap();
    let ContainerChangesResponse::Ok(changes) =
        client.container_changes("c1").send().await.unwrap()
    else {
        panic!("expected the success response");
    };
    let example = spec_value(
        "docker-engine.yaml",
        "/paths/~1containers~1{id}~1changes/get/responses/200/examples/application~1json",
    );
    assert_eq!(serde_json::to_value(&changes).unwrap(), example);
    assert_eq!(changes.len(), 3);
}

#[tokio::test]
async fn without_an_example_the_mock_answers_a_value_built_from_the_schema() {
    use petstore::responses::{ListPetsResponse, ShowPetByIdResponse};

    let url = petstore::mock::serve().await.unwrap();
    let client = petstore::client::Client::new(&url).unwrap();
    // `Pet` requires `id` (int64) and `name` (string); `tag` is optional.
    let ShowPetByIdResponse::Ok(pet) = client.show_pet_by_id("7").send().await.unwrap() else {
        panic!("expected the success response");
    };
    assert_eq!((pet.id, pet.name.as_str(), pet.tag), (0, "string", None));
    let ListPetsResponse::Ok { body, x_next } = client.list_pets().send().await.unwrap() else {
        panic!("expected the success response");
    };
    assert_eq!((body.len(), x_next), (0, None));
}

/// A file or a stream with no example is answered empty: an empty download, not a 501.
#[tokio::test]
async fn without_an_example_a_file_is_answered_empty() {
    use docker_engine::responses::ContainerLogsResponse;
    use docker_engine::types::ContainerLogsOkBody;

    let url = docker_engine::mock::serve().await.unwrap();
    let client = docker_engine::client::Client::new(&url).unwrap();
    let answer = client.container_logs("c1").send().await.unwrap();
    let ContainerLogsResponse::Ok(ContainerLogsOkBody::ApplicationVndDockerRawStream(logs)) =
        answer
    else {
        panic!("expected the success response, got {answer:?}");
    };
    assert_eq!(logs.collect(1024).await.unwrap().len(), 0);
}

#[tokio::test]
async fn the_mock_s_router_still_checks_requests() {
    let url = petstore::mock::serve().await.unwrap();
    // `limit` is an integer.
    let answer = reqwest::get(format!("{url}/pets?limit=many"))
        .await
        .unwrap();
    assert_eq!(answer.status(), 400);
    let answer = reqwest::get(format!("{url}/no/such/path")).await.unwrap();
    assert_eq!(answer.status(), 404);
}

/// A header the answer requires is built from its schema like a body: `X-Size` (an int64)
/// arrives as 0, where the mock answered 501 before.
#[tokio::test]
async fn a_required_response_header_is_built_from_its_schema() {
    use http_features::responses::{GetFileResponse, HeadFileResponse};

    let url = http_features::mock::serve().await.unwrap();
    let client = http_features::client::Client::new(&url).unwrap();
    let answer = client.get_file("notes.txt").send().await.unwrap();
    let GetFileResponse::Ok { body, x_size } = answer else {
        panic!("expected the success response, got {answer:?}");
    };
    assert_eq!((x_size, body.collect(1024).await.unwrap().len()), (0, 0));
    let answer = client.head_file("notes.txt").send().await.unwrap();
    assert!(
        matches!(answer, HeadFileResponse::Ok { x_size: 0 }),
        "{answer:?}"
    );
}

/// Which value the mock gives each header: the spec's example where it reads into the
/// header's type, else one built from the schema; nothing for an optional header.
#[test]
fn a_required_header_s_value_is_its_example_else_built() {
    let (api, _) = crate::support::fixture_model(&["mock-headers.yaml"]);
    let response = &api.operations[0].responses[0];
    let values: Vec<(&str, Option<&str>)> = response
        .headers
        .iter()
        .map(|h| (h.api_name.as_str(), h.example.as_deref()))
        .collect();
    assert_eq!(
        values,
        [
            ("X-Request-Id", Some("\"req-42\"")),
            ("X-Count", Some("3")),
            ("X-Note", None)
        ]
    );
}
