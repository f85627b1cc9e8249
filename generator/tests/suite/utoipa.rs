//! The round trip with utoipa: a small axum server described with utoipa 6 (`backend`
//! below) serves its own OpenAPI 3.2 document, `specs/utoipa-todos.json` is that document
//! as served, and the client generated from it (`generated/utoipa-todos`) calls the server
//! over loopback: typed answers, a declared error status kept with its typed body, and
//! the two streaming answers (server-sent events, JSON Lines) read as typed items.
//!
//! If the server's description changes, the committed document no longer matches what it
//! serves and `the_committed_spec_is_what_the_server_serves` fails; rewrite it with
//! `UPDATE_UTOIPA_SPEC=1 cargo test -p generator --test suite -- utoipa::`, then `cargo xtask codegen`.

use std::time::Duration;

use utoipa_todos::client::Client;
use utoipa_todos::responses::{
    AddTodoResponse, ExportTodosResponse, ListTodosResponse, TodoEventsResponse,
};
use utoipa_todos::types::{NewTodo, Priority, ProblemModel, Todo};

/// The backend as a utoipa user writes it: handlers annotated with `#[utoipa::path]`,
/// types deriving `ToSchema`, routed with utoipa-axum so the routes served are the paths
/// documented. Nothing here knows of the generator.
mod backend {
    use std::collections::BTreeMap;
    use std::convert::Infallible;
    use std::sync::{Arc, Mutex};

    use axum::extract::{Path, Query, State};
    use axum::http::{header, StatusCode};
    use axum::response::sse::{Event, Sse};
    use axum::response::IntoResponse;
    use axum::Json;
    use futures_util::stream::{self, Stream};
    use serde::{Deserialize, Serialize};
    use utoipa::{IntoParams, OpenApi, ToSchema};
    use utoipa_axum::router::OpenApiRouter;
    use utoipa_axum::routes;

    /// A thing to do.
    #[derive(Clone, Serialize, ToSchema)]
    pub struct Todo {
        pub id: u64,
        pub title: String,
        pub done: bool,
        pub priority: Priority,
        /// Free text, if any.
        pub note: Option<String>,
    }

    /// How soon it should be done.
    #[derive(Clone, Copy, Deserialize, Serialize, ToSchema)]
    #[serde(rename_all = "lowercase")]
    pub enum Priority {
        Low,
        High,
    }

    /// A todo to add to a list.
    #[derive(Deserialize, ToSchema)]
    pub struct NewTodo {
        pub title: String,
        pub priority: Priority,
        pub note: Option<String>,
    }

    /// The todos of one list that the query selects.
    #[derive(Serialize, ToSchema)]
    pub struct TodoPage {
        pub list: String,
        pub todos: Vec<Todo>,
        /// How many todos the list holds in all.
        pub total: u32,
    }

    /// What went wrong.
    #[derive(Serialize, ToSchema)]
    pub struct Problem {
        pub message: String,
    }

    /// One server-sent event: the event's own fields, its data a todo as JSON.
    #[derive(Serialize, ToSchema)]
    pub struct TodoEvent {
        /// Always `todo`.
        pub event: String,
        /// The todo's id.
        pub id: String,
        pub data: Todo,
    }

    /// Which todos to list.
    #[derive(Deserialize, IntoParams)]
    #[into_params(parameter_in = Query)]
    pub struct ListQuery {
        /// Only the todos done (`true`) or not done yet (`false`).
        pub done: Option<bool>,
        /// At most this many todos.
        pub limit: Option<u32>,
    }

    type Lists = Arc<Mutex<BTreeMap<String, Vec<Todo>>>>;
    type Failure = (StatusCode, Json<Problem>);

    fn not_found(list: &str) -> Failure {
        let message = format!("no list named {list}");
        (StatusCode::NOT_FOUND, Json(Problem { message }))
    }

    fn todos_of(lists: &Lists, list: &str) -> Result<Vec<Todo>, Failure> {
        let lists = lists.lock().unwrap();
        lists.get(list).cloned().ok_or_else(|| not_found(list))
    }

    /// List the todos of a list.
    #[utoipa::path(
        get,
        path = "/lists/{list}/todos",
        operation_id = "listTodos",
        params(("list" = String, Path, description = "The list's name"), ListQuery),
        responses(
            (status = 200, description = "The todos selected", body = TodoPage),
            (status = 404, description = "No such list", body = Problem),
        )
    )]
    async fn list_todos(
        State(lists): State<Lists>,
        Path(list): Path<String>,
        Query(query): Query<ListQuery>,
    ) -> Result<Json<TodoPage>, Failure> {
        let all = todos_of(&lists, &list)?;
        let total = u32::try_from(all.len()).unwrap();
        let todos = all
            .into_iter()
            .filter(|todo| query.done.is_none_or(|done| todo.done == done))
            .take(query.limit.map_or(usize::MAX, |limit| limit as usize))
            .collect();
        Ok(Json(TodoPage { list, todos, total }))
    }

    /// Add a todo to a list.
    #[utoipa::path(
        post,
        path = "/lists/{list}/todos",
        operation_id = "addTodo",
        params(("list" = String, Path, description = "The list's name")),
        request_body = NewTodo,
        responses(
            (status = 201, description = "The todo added", body = Todo),
            (status = 404, description = "No such list", body = Problem),
            (status = 422, description = "The title is blank", body = Problem),
        )
    )]
    async fn add_todo(
        State(lists): State<Lists>,
        Path(list): Path<String>,
        Json(new): Json<NewTodo>,
    ) -> Result<(StatusCode, Json<Todo>), Failure> {
        if new.title.trim().is_empty() {
            let message = "a todo needs a title".to_owned();
            return Err((StatusCode::UNPROCESSABLE_ENTITY, Json(Problem { message })));
        }
        let mut lists = lists.lock().unwrap();
        let todos = lists.get_mut(&list).ok_or_else(|| not_found(&list))?;
        let todo = Todo {
            id: todos.iter().map(|todo| todo.id).max().unwrap_or(0) + 1,
            title: new.title,
            done: false,
            priority: new.priority,
            note: new.note,
        };
        todos.push(todo.clone());
        Ok((StatusCode::CREATED, Json(todo)))
    }

    /// Each todo of a list as a server-sent event.
    #[utoipa::path(
        get,
        path = "/lists/{list}/events",
        operation_id = "todoEvents",
        params(("list" = String, Path, description = "The list's name")),
        responses(
            (status = 200, description = "One event a todo", content_type = "text/event-stream",
                item_schema = TodoEvent),
            (status = 404, description = "No such list", body = Problem),
        )
    )]
    async fn todo_events(
        State(lists): State<Lists>,
        Path(list): Path<String>,
    ) -> Result<Sse<impl Stream<Item = Result<Event, Infallible>>>, Failure> {
        let todos = todos_of(&lists, &list)?;
        Ok(Sse::new(stream::iter(todos.into_iter().map(|todo| {
            let event = Event::default().event("todo").id(todo.id.to_string());
            Ok(event.json_data(todo).unwrap())
        }))))
    }

    /// The todos of a list as JSON Lines, one todo a line.
    #[utoipa::path(
        get,
        path = "/lists/{list}/todos.jsonl",
        operation_id = "exportTodos",
        params(("list" = String, Path, description = "The list's name")),
        responses(
            (status = 200, description = "One todo a line", content_type = "application/jsonl",
                item_schema = Todo),
            (status = 404, description = "No such list", body = Problem),
        )
    )]
    async fn export_todos(
        State(lists): State<Lists>,
        Path(list): Path<String>,
    ) -> Result<impl IntoResponse, Failure> {
        let lines = todos_of(&lists, &list)?.into_iter().map(|todo| {
            let mut line = serde_json::to_string(&todo).unwrap();
            line.push('\n');
            Ok::<_, Infallible>(line)
        });
        let body = axum::body::Body::from_stream(stream::iter(lines));
        Ok(([(header::CONTENT_TYPE, "application/jsonl")], body))
    }

    /// The document's own fields. utoipa writes OpenAPI 3.1 unless told `version = "3.2.0"`;
    /// `item_schema` types are not gathered into the components as `body` types are, so
    /// `TodoEvent` is listed.
    #[derive(OpenApi)]
    #[openapi(
        version = "3.2.0",
        info(
            title = "utoipa todos",
            version = "1",
            description = "Todo lists, served by axum and described by utoipa 6."
        ),
        components(schemas(TodoEvent))
    )]
    struct ApiDoc;

    /// The router, serving the API and its own description at `/openapi.json`, with a
    /// list `home` holding two todos.
    pub fn router() -> axum::Router {
        let (router, api) = parts();
        router.route(
            "/openapi.json",
            axum::routing::get(move || async move { Json(api) }),
        )
    }

    /// The API's routes and its description, as utoipa-axum gathers them.
    pub fn parts() -> (axum::Router, utoipa::openapi::OpenApi) {
        let lists = BTreeMap::from([(
            "home".to_owned(),
            vec![
                Todo {
                    id: 1,
                    title: "water the plants".to_owned(),
                    done: true,
                    priority: Priority::Low,
                    note: None,
                },
                Todo {
                    id: 2,
                    title: "fix the door".to_owned(),
                    done: false,
                    priority: Priority::High,
                    note: Some("the hinge".to_owned()),
                },
            ],
        )]);
        OpenApiRouter::with_openapi(ApiDoc::openapi())
            .routes(routes!(list_todos, add_todo))
            .routes(routes!(todo_events))
            .routes(routes!(export_todos))
            .with_state(Arc::new(Mutex::new(lists)))
            .split_for_parts()
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, backend::router()).await });
    format!("http://{address}")
}

/// A guard against a hanging test, not a measure.
async fn within<T>(future: impl std::future::Future<Output = T>) -> T {
    tokio::time::timeout(Duration::from_secs(10), future)
        .await
        .expect("the server went quiet")
}

const SPEC: &str = "specs/utoipa-todos.json";

/// The committed document is the one the server serves now, compared as JSON.
#[tokio::test]
async fn the_committed_spec_is_what_the_server_serves() {
    let url = serve().await;
    let served: serde_json::Value = within(async {
        let reply = reqwest::get(format!("{url}/openapi.json")).await.unwrap();
        reply.json().await.unwrap()
    })
    .await;
    let path = std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join(SPEC);
    if std::env::var_os("UPDATE_UTOIPA_SPEC").is_some() {
        let mut text = serde_json::to_string_pretty(&served).unwrap();
        text.push('\n');
        std::fs::write(&path, text).unwrap();
    }
    let committed: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    assert!(
        committed == served,
        "{SPEC} is not what the utoipa server serves: rewrite it with \
         `UPDATE_UTOIPA_SPEC=1 cargo test -p generator --test suite -- utoipa::`, then run `cargo xtask codegen`"
    );
}

fn todo(id: i64, title: &str, done: bool, priority: Priority, note: Option<&str>) -> Todo {
    Todo {
        id,
        title: title.to_owned(),
        done,
        priority,
        // The server writes `null` for no note: utoipa declares the field optional and
        // nullable, and the generated type keeps the two apart.
        note: Some(note.map(str::to_owned)),
    }
}

fn home() -> [Todo; 2] {
    [
        todo(1, "water the plants", true, Priority::Low, None),
        todo(2, "fix the door", false, Priority::High, Some("the hinge")),
    ]
}

async fn client() -> Client {
    Client::new(&serve().await).unwrap()
}

/// A path parameter and two query parameters in, a typed object out; an unknown list is
/// the declared 404 with its typed body.
#[tokio::test]
async fn a_get_with_path_and_query_parameters_answers_a_typed_object() {
    let client = client().await;
    let ListTodosResponse::Ok(page) = within(client.list_todos("home").send()).await.unwrap()
    else {
        panic!("expected 200");
    };
    assert_eq!(page.list, "home");
    assert_eq!(page.todos, home());
    assert_eq!(page.total, 2);

    let call = client.list_todos("home").done(false).limit(5);
    let ListTodosResponse::Ok(page) = within(call.send()).await.unwrap() else {
        panic!("expected 200");
    };
    assert_eq!(page.todos, [home()[1].clone()]);
    let call = client.list_todos("home").limit(1);
    let ListTodosResponse::Ok(page) = within(call.send()).await.unwrap() else {
        panic!("expected 200");
    };
    assert_eq!(page.todos, [home()[0].clone()]);
    assert_eq!(page.total, 2);

    let answer = within(client.list_todos("work").send()).await.unwrap();
    let message = "no list named work".to_owned();
    assert_eq!(
        answer,
        ListTodosResponse::NotFound(ProblemModel { message })
    );
}

/// A JSON body in, the declared 201 with the typed todo out, and the server keeps it; the
/// server's 422 and 404 come back as their variants with their typed bodies.
#[tokio::test]
async fn a_post_with_a_json_body_answers_created_and_its_error_statuses() {
    let client = client().await;
    let mut new = NewTodo::new(Priority::High, "buy bread".to_owned());
    new.note = Some(Some("rye".to_owned()));
    let answer = within(client.add_todo("home", new.clone()).send()).await;
    let added = todo(3, "buy bread", false, Priority::High, Some("rye"));
    assert_eq!(answer.unwrap(), AddTodoResponse::Created(added.clone()));
    let ListTodosResponse::Ok(page) = within(client.list_todos("home").send()).await.unwrap()
    else {
        panic!("expected 200");
    };
    assert_eq!(page.todos.last(), Some(&added));

    let blank = NewTodo::new(Priority::Low, " ".to_owned());
    let answer = within(client.add_todo("home", blank).send()).await.unwrap();
    let message = "a todo needs a title".to_owned();
    assert_eq!(
        answer,
        AddTodoResponse::UnprocessableEntity(ProblemModel { message })
    );

    let answer = within(client.add_todo("work", new).send()).await.unwrap();
    let message = "no list named work".to_owned();
    assert_eq!(answer, AddTodoResponse::NotFound(ProblemModel { message }));
}

/// axum's server-sent events, described by an `itemSchema` of the event's fields, are read
/// as typed events: the data a `Todo`, with the event's type and id.
#[tokio::test]
async fn server_sent_events_are_read_as_typed_todos() {
    let client = client().await;
    let TodoEventsResponse::Ok(mut events) =
        within(client.todo_events("home").send()).await.unwrap()
    else {
        panic!("expected 200");
    };
    for expected in home() {
        let event = within(events.next()).await.unwrap().unwrap();
        assert_eq!(event.event.as_deref(), Some("todo"));
        assert_eq!(event.id, Some(expected.id.to_string()));
        assert_eq!(event.data, expected);
    }
    assert!(within(events.next()).await.is_none());

    let answer = within(client.todo_events("work").send()).await.unwrap();
    assert!(
        matches!(answer, TodoEventsResponse::NotFound(_)),
        "{answer:?}"
    );
}

/// JSON Lines described by an `itemSchema` are read as typed todos, one a line.
#[tokio::test]
async fn json_lines_are_read_as_typed_todos() {
    let client = client().await;
    let ExportTodosResponse::Ok(mut items) =
        within(client.export_todos("home").send()).await.unwrap()
    else {
        panic!("expected 200");
    };
    for expected in home() {
        assert_eq!(within(items.next()).await.unwrap().unwrap(), expected);
    }
    assert!(within(items.next()).await.is_none());

    let answer = within(client.export_todos("work").send()).await.unwrap();
    assert!(
        matches!(answer, ExportTodosResponse::NotFound(_)),
        "{answer:?}"
    );
}

/// Without `version = "3.2.0"` utoipa writes the same document as OpenAPI 3.1, `itemSchema`
/// and all (its `item_schema` does not depend on the version); the generator reads the
/// streams typed all the same, with a warning at each `itemSchema`.
#[test]
fn utoipa_s_default_31_document_keeps_its_typed_streams() {
    use generator::model::{Framing, Media, TypeRef};
    let (_, mut api) = backend::parts();
    api.openapi = utoipa::openapi::OpenApiVersion::Version31;
    let text = api.to_pretty_json().unwrap();
    assert!(text.contains("\"openapi\": \"3.1.0\""), "{text}");
    let input = generator::ApiInput {
        name: "todos".to_owned(),
        origin: "todos.json".to_owned(),
        sources: vec![generator::load::Source {
            path: "todos.json".to_owned(),
            text,
        }],
        ..Default::default()
    };
    let (model, diagnostics) = generator::build_model(&input).unwrap();
    let media = |operation: &str| {
        let operation = model
            .operations
            .iter()
            .find(|op| op.api_name == operation)
            .unwrap();
        let body = operation.responses[0].body.as_ref().unwrap();
        body.contents[0].media.clone()
    };
    let type_name = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => model.types.defs[id.0].name.clone(),
        other => panic!("not a named type: {other:?}"),
    };
    let Media::EventStream(data) = media("todoEvents") else {
        panic!("events: {:?}", media("todoEvents"))
    };
    assert_eq!(type_name(&data), "Todo");
    let Media::Items(item, Framing::Lines) = media("exportTodos") else {
        panic!("JSON Lines: {:?}", media("exportTodos"))
    };
    assert_eq!(type_name(&item), "Todo");
    let warnings: Vec<String> = diagnostics.iter().map(ToString::to_string).collect();
    assert_eq!(warnings.len(), 2, "{warnings:#?}");
    assert!(
        warnings
            .iter()
            .all(|w| w.starts_with("warning[item-schema]")
                && w.ends_with("itemSchema is OpenAPI 3.2's, in a 3.1.0 document; read as in 3.2")),
        "{warnings:#?}"
    );
}
