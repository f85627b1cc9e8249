//! Every way an operation talks HTTP, generated client against generated server stub, from
//! the `specs/http-features.yaml` fixture.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use http_features::client::{Client, Error};
use http_features::multipart::FilePart;
use http_features::requests::*;
use http_features::responses::*;
use http_features::server::{HttpFeatures, Problem};
use http_features::types::{
    CreateNoteBody, ListPageOk, ListPageOrder, Note, Point, Range, ReportOkBody, SearchEcho, Size,
    StylesEcho, UploadBodyMultipart, UploadSummary,
};

/// Serves the router under the spec server's base path, `/v1`, as a user would mount it.
async fn serve(router: axum::Router) -> String {
    let router = axum::Router::new().nest("/v1", router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/v1")
}

#[derive(Default)]
struct Server {
    files: Mutex<BTreeMap<String, Vec<u8>>>,
    drafts: Arc<Mutex<Vec<Option<Note>>>>,
}

fn note(title: &str, body: Option<&str>) -> Note {
    Note {
        title: title.to_owned(),
        body: body.map(str::to_owned),
    }
}

impl HttpFeatures for Server {
    async fn get_file(
        &self,
        GetFileRequest { name }: GetFileRequest,
    ) -> Result<GetFileResponse, Problem> {
        Ok(match self.files.lock().unwrap().get(&name) {
            Some(bytes) => GetFileResponse::Ok {
                body: bytes.clone(),
                x_size: bytes.len() as i64,
            },
            None => GetFileResponse::NotFound,
        })
    }

    async fn put_file(
        &self,
        PutFileRequest { name, body }: PutFileRequest,
    ) -> Result<PutFileResponse, Problem> {
        self.files.lock().unwrap().insert(name, body);
        Ok(PutFileResponse::NoContent)
    }

    async fn head_file(
        &self,
        HeadFileRequest { name }: HeadFileRequest,
    ) -> Result<HeadFileResponse, Problem> {
        Ok(match self.files.lock().unwrap().get(&name) {
            Some(bytes) => HeadFileResponse::Ok {
                x_size: bytes.len() as i64,
            },
            None => HeadFileResponse::NotFound,
        })
    }

    async fn get_item(
        &self,
        GetItemRequest { id }: GetItemRequest,
    ) -> Result<GetItemResponse, Problem> {
        Ok(GetItemResponse::Ok(note(&format!("item {id}"), None)))
    }

    async fn create_note(
        &self,
        CreateNoteRequest { body }: CreateNoteRequest,
    ) -> Result<CreateNoteResponse, Problem> {
        Ok(CreateNoteResponse::Created(match body {
            CreateNoteBody::Json(note) => note,
            CreateNoteBody::Form(mut note) => {
                note.title = format!("form: {}", note.title);
                note
            }
            CreateNoteBody::Text(text) => note(&format!("text: {text}"), None),
        }))
    }

    async fn save_draft(
        &self,
        SaveDraftRequest { body }: SaveDraftRequest,
    ) -> Result<SaveDraftResponse, Problem> {
        self.drafts.lock().unwrap().push(body);
        Ok(SaveDraftResponse::NoContent)
    }

    async fn upload(
        &self,
        UploadRequest { body }: UploadRequest,
    ) -> Result<UploadResponse, Problem> {
        Ok(UploadResponse::Ok(UploadSummary {
            title: body.title,
            count: body.count,
            tags: body.tags,
            file_name: body.file.file_name.unwrap_or_default(),
            file_size: body.file.bytes.len() as i64,
            file_type: body.file.content_type.unwrap_or_default(),
            attachments: body
                .attachments
                .iter()
                .map(|a| String::from_utf8_lossy(&a.bytes).into_owned())
                .collect(),
        }))
    }

    async fn search(
        &self,
        SearchRequest {
            q,
            tag,
            ids,
            filter,
            limit,
            x_request_id,
            session,
        }: SearchRequest,
    ) -> Result<SearchResponse, Problem> {
        Ok(SearchResponse::Ok(SearchEcho {
            q,
            tag: tag.unwrap_or_default(),
            ids: ids.unwrap_or_default(),
            filter,
            limit,
            request_id: x_request_id,
            session,
        }))
    }

    async fn status(
        &self,
        StatusRequest { code }: StatusRequest,
    ) -> Result<StatusResponse, Problem> {
        Ok(match code {
            204 => StatusResponse::NoContent,
            200..=299 => StatusResponse::Success {
                status: code as u16,
                body: format!("status {code}"),
            },
            418 => return Err(Problem::new(418, "I'm a teapot")),
            400..=499 => StatusResponse::ClientError {
                status: code as u16,
                body: note("client error", None),
            },
            _ => return Err(Problem::new(code as u16, "undeclared")),
        })
    }

    async fn styles(
        &self,
        StylesRequest {
            label,
            matrix,
            point,
            range,
            size,
            words,
            flags,
        }: StylesRequest,
    ) -> Result<StylesResponse, Problem> {
        Ok(StylesResponse::Ok(StylesEcho {
            label,
            matrix,
            point,
            range,
            size,
            words,
            flags,
        }))
    }

    async fn list_page(
        &self,
        ListPageRequest {
            size,
            order,
            x_page_label,
            request,
            input,
            reply,
        }: ListPageRequest,
    ) -> Result<ListPageResponse, Problem> {
        let label = [Some(x_page_label), request, input, reply];
        Ok(ListPageResponse::Ok(ListPageOk {
            size,
            order: order.to_string(),
            label: label.into_iter().flatten().collect::<Vec<_>>().join("+"),
        }))
    }

    async fn report(
        &self,
        ReportRequest { format }: ReportRequest,
    ) -> Result<ReportResponse, Problem> {
        Ok(ReportResponse::Ok(match format.as_deref() {
            Some("csv") => ReportOkBody::TextCsv("title\nreport\n".to_owned()),
            _ => ReportOkBody::Json(note("report", None)),
        }))
    }
}

async fn client() -> Client {
    Client::new(&serve(http_features::server::router(Server::default())).await).unwrap()
}

#[tokio::test]
async fn binary_bodies_path_encoding_head_and_typed_headers() {
    let client = client().await;
    let name = "dir/sub file ü.bin";
    let bytes: Vec<u8> = (0..=255).collect();
    assert_eq!(
        client.put_file(name, bytes.clone()).send().await.unwrap(),
        PutFileResponse::NoContent
    );
    assert_eq!(
        client.get_file(name).send().await.unwrap(),
        GetFileResponse::Ok {
            body: bytes.clone(),
            x_size: 256
        }
    );
    assert_eq!(
        client.head_file(name).send().await.unwrap(),
        HeadFileResponse::Ok { x_size: 256 }
    );
    assert_eq!(
        client.get_file("missing").send().await.unwrap(),
        GetFileResponse::NotFound
    );
    assert_eq!(
        client.head_file("missing").send().await.unwrap(),
        HeadFileResponse::NotFound
    );
}

#[tokio::test]
async fn path_parameter_inside_a_segment() {
    let client = client().await;
    assert_eq!(
        client.get_item(42).send().await.unwrap(),
        GetItemResponse::Ok(note("item 42", None))
    );
}

#[tokio::test]
async fn one_operation_several_request_media_types() {
    let client = client().await;
    let sent = note("hello", Some("world & more = yes"));
    assert_eq!(
        client
            .create_note(CreateNoteBody::Json(sent.clone()))
            .send()
            .await
            .unwrap(),
        CreateNoteResponse::Created(sent.clone())
    );
    assert_eq!(
        client
            .create_note(CreateNoteBody::Form(sent.clone()))
            .send()
            .await
            .unwrap(),
        CreateNoteResponse::Created(note("form: hello", Some("world & more = yes")))
    );
    assert_eq!(
        client
            .create_note(CreateNoteBody::Text("plain".to_owned()))
            .send()
            .await
            .unwrap(),
        CreateNoteResponse::Created(note("text: plain", None))
    );
}

#[tokio::test]
async fn optional_body_may_be_left_out() {
    let server = Server::default();
    let drafts = server.drafts.clone();
    let client = Client::new(&serve(http_features::server::router(server)).await).unwrap();
    assert_eq!(
        client.save_draft().send().await.unwrap(),
        SaveDraftResponse::NoContent
    );
    assert_eq!(
        client
            .save_draft()
            .body(note("d", None))
            .send()
            .await
            .unwrap(),
        SaveDraftResponse::NoContent
    );
    assert_eq!(*drafts.lock().unwrap(), [None, Some(note("d", None))]);
}

#[tokio::test]
async fn multipart_files_and_fields() {
    let client = client().await;
    let pdf = b"%PDF-1.7 \r\n--not-a-boundary\r\n".to_vec();
    let body = UploadBodyMultipart {
        title: "report \"Q3\"".to_owned(),
        count: Some(3),
        tags: Some(vec!["a".to_owned(), "b,c".to_owned()]),
        file: FilePart::new(
            "résumé.pdf",
            "application/pdf",
            b"%PDF-1.7 \r\n--not-a-boundary\r\n".to_vec(),
        ),
        attachments: vec![
            FilePart::new("one.txt", "text/plain", b"first".to_vec()),
            FilePart {
                file_name: None,
                content_type: None,
                bytes: b"second".to_vec(),
            },
        ],
    };
    assert_eq!(
        client.upload(body).send().await.unwrap(),
        UploadResponse::Ok(UploadSummary {
            title: "report \"Q3\"".to_owned(),
            count: Some(3),
            tags: Some(vec!["a".to_owned(), "b,c".to_owned()]),
            file_name: "résumé.pdf".to_owned(),
            file_size: pdf.len() as i64,
            file_type: "application/pdf".to_owned(),
            attachments: vec!["first".to_owned(), "second".to_owned()],
        })
    );
}

#[tokio::test]
async fn query_header_and_cookie_parameters() {
    let client = client().await;
    let filter = note("f", Some("{json} & more"));
    let SearchResponse::Ok(echo) = client
        .search(SearchRequired {
            q: "a b&c=d".to_owned(),
            session: "s3cr3t".to_owned(),
        })
        .tag(vec!["x".to_owned(), "y z".to_owned()])
        .ids(vec![1, 2, 3])
        .filter(filter.clone())
        .x_request_id("req-1")
        .send()
        .await
        .unwrap();
    assert_eq!(
        echo,
        SearchEcho {
            q: "a b&c=d".to_owned(),
            tag: vec!["x".to_owned(), "y z".to_owned()],
            ids: vec![1, 2, 3],
            filter: Some(filter),
            limit: None,
            request_id: Some("req-1".to_owned()),
            session: "s3cr3t".to_owned(),
        }
    );
}

#[tokio::test]
async fn parameters_on_the_wire_as_the_spec_styles_them() {
    let url = serve(http_features::server::router(Server::default())).await;
    // Exploded arrays repeat the name; `explode: false` joins with commas.
    let response = reqwest::Client::new()
        .get(format!("{url}/search?q=x&tag=a&tag=b&ids=4,5&limit=7"))
        .header("cookie", "other=1; session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = response.json().await.unwrap();
    assert_eq!(echo["tag"], serde_json::json!(["a", "b"]));
    assert_eq!(echo["ids"], serde_json::json!([4, 5]));
    assert_eq!(echo["limit"], 7);
    assert_eq!(echo["session"], "abc");

    // A required cookie that is missing, and a malformed array item, are 400s naming them.
    let problem: serde_json::Value = reqwest::get(format!("{url}/search?q=x"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (problem["status"].as_u64(), problem["location"].as_str()),
        (Some(400), Some("cookie"))
    );
    let response = reqwest::Client::new()
        .get(format!("{url}/search?q=x&ids=1,two"))
        .header("cookie", "session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 400);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["parameter"], "ids");
}

#[tokio::test]
async fn status_ranges_and_undeclared_statuses() {
    let client = client().await;
    assert_eq!(
        client.status(204).send().await.unwrap(),
        StatusResponse::NoContent
    );
    assert_eq!(
        client.status(203).send().await.unwrap(),
        StatusResponse::Success {
            status: 203,
            body: "status 203".to_owned()
        }
    );
    assert_eq!(
        client.status(409).send().await.unwrap(),
        StatusResponse::ClientError {
            status: 409,
            body: note("client error", None)
        }
    );
    let error = client.status(503).send().await.unwrap_err();
    assert_eq!(error.status(), Some(503));
    assert!(error.response().unwrap().body_text().contains("undeclared"));
}

#[tokio::test]
async fn one_response_several_media_types() {
    let client = client().await;
    assert_eq!(
        client.report().send().await.unwrap(),
        ReportResponse::Ok(ReportOkBody::Json(note("report", None)))
    );
    assert_eq!(
        client.report().format("csv").send().await.unwrap(),
        ReportResponse::Ok(ReportOkBody::TextCsv("title\nreport\n".to_owned()))
    );
}

#[tokio::test]
async fn unsupported_media_type_is_415() {
    let url = serve(http_features::server::router(Server::default())).await;
    let http = reqwest::Client::new();
    let response = http
        .post(format!("{url}/notes"))
        .header("content-type", "application/xml")
        .body("<note/>")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
    let problem: serde_json::Value = response.json().await.unwrap();
    assert!(
        problem["detail"].as_str().unwrap().contains("text/plain"),
        "{problem}"
    );
    let response = http
        .put(format!("{url}/files/x"))
        .header("content-type", "text/plain")
        .body("x")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 415);
}

#[tokio::test]
async fn body_size_limit_is_413_and_can_be_raised() {
    let big = vec![7u8; 3 * 1024 * 1024];
    let client = client().await;
    let error = client
        .put_file("big", big.clone())
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(413));

    let router = http_features::server::router(Server::default())
        .layer(axum::extract::DefaultBodyLimit::max(8 * 1024 * 1024));
    let client = Client::new(&serve(router).await).unwrap();
    assert_eq!(
        client.put_file("big", big.clone()).send().await.unwrap(),
        PutFileResponse::NoContent
    );
}

#[tokio::test]
async fn label_matrix_deep_object_exploded_objects_and_delimited_arrays() {
    let url = serve(http_features::server::router(Server::default())).await;
    let client = Client::new(&url).unwrap();
    // Items of a space-delimited array cannot hold spaces themselves: the style has no escape.
    let words = ["a-b".to_owned(), "c".to_owned()];
    let flags = ["x".to_owned(), "y".to_owned()];
    let echo = StylesEcho {
        label: 5,
        matrix: "m v".to_owned(),
        point: Some(Point { x: 1, y: -2 }),
        range: Some(Range { from: 3, to: None }),
        size: Some(Size { w: 640, h: 480 }),
        words: Some(words.to_vec()),
        flags: Some(flags.to_vec()),
    };
    let got = client
        .styles(5, "m v")
        .point(Point { x: 1, y: -2 })
        .range(Range { from: 3, to: None })
        .size(Size { w: 640, h: 480 })
        .words(words.to_vec())
        .flags(flags.to_vec())
        .send()
        .await
        .unwrap();
    assert_eq!(got, StylesResponse::Ok(echo));

    // The same request written by hand, as the styles put it on the wire.
    let response = reqwest::get(format!(
        "{url}/styles/.7/;matrix=q?point[x]=1&point[y]=2&from=9&to=10&size=w,1,h,2&words=p%20q&flags=r|s"
    ))
    .await
    .unwrap();
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        echo,
        serde_json::json!({
            "label": 7, "matrix": "q", "point": {"x": 1, "y": 2}, "range": {"from": 9, "to": 10},
            "size": {"w": 1, "h": 2}, "words": ["p", "q"], "flags": ["r", "s"]
        })
    );
    // A deep object missing a required field is a 400 naming the parameter.
    let problem: serde_json::Value = reqwest::get(format!("{url}/styles/.7/;matrix=q?point[x]=1"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        (problem["status"].as_u64(), problem["parameter"].as_str()),
        (Some(400), Some("point"))
    );
}

#[tokio::test]
async fn base_url_from_the_spec_servers_and_default_headers_from_your_own_client() {
    assert_eq!(
        http_features::servers::SERVER_URL,
        "http://localhost:8080/v1"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let router = axum::Router::new().nest("/v1", http_features::server::router(Server::default()));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let url = http_features::servers::server_url(&[("port", &port)]);
    assert_eq!(url, format!("http://localhost:{port}/v1"));
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert("x-request-id", "from-default".parse().unwrap());
    let http = reqwest::Client::builder()
        .default_headers(headers)
        .timeout(std::time::Duration::from_secs(10))
        .build()
        .unwrap();
    let client = Client::with_http_client(&url, http).unwrap();
    let SearchResponse::Ok(echo) = client
        .search(SearchRequired {
            q: "q".to_owned(),
            session: "s".to_owned(),
        })
        .send()
        .await
        .unwrap();
    assert_eq!(echo.request_id.as_deref(), Some("from-default"));
}

#[tokio::test]
async fn omitted_inputs_get_the_spec_defaults_on_both_sides() {
    let url = serve(http_features::server::router(Server::default())).await;
    // The server fills in what a request leaves out.
    let echo: serde_json::Value = reqwest::get(format!("{url}/pages"))
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    assert_eq!(
        echo,
        serde_json::json!({"size": 20, "order": "asc", "label": "first"})
    );
    // The request type starts from the same defaults, and a setter replaces one.
    let client = Client::new(&url).unwrap();
    assert_eq!(
        ListPageRequest::default(),
        ListPageRequest {
            size: 20,
            order: ListPageOrder::Asc,
            x_page_label: "first".to_owned(),
            request: None,
            input: None,
            reply: None,
        }
    );
    // Inputs named like the generated code's own locals go where they belong.
    assert_eq!(
        client
            .list_page()
            .request("a")
            .input("b")
            .reply("c")
            .send()
            .await
            .unwrap(),
        ListPageResponse::Ok(ListPageOk {
            size: 20,
            order: "asc".to_owned(),
            label: "first+a+b+c".to_owned(),
        })
    );
    assert_eq!(
        client
            .list_page()
            .order(ListPageOrder::Desc)
            .send()
            .await
            .unwrap(),
        ListPageResponse::Ok(ListPageOk {
            size: 20,
            order: "desc".to_owned(),
            label: "first".to_owned(),
        })
    );
    // A default is checked like any value: a size out of range is still refused.
    let response = reqwest::get(format!("{url}/pages?size=0")).await.unwrap();
    assert_eq!(response.status(), 400);
}

#[tokio::test]
async fn the_servers_own_answers_are_typed_problems_for_the_client() {
    let url = serve(http_features::server::router(Server::default())).await;
    let client = Client::new(&url).unwrap();
    let problem = |error: Error| match error {
        Error::Problem { problem, .. } => (problem.status, problem.detail.unwrap_or_default()),
        other => panic!("not a problem: {other:?}"),
    };
    // A status the spec gives a body of its own (`4XX`: a Note), answered with problem
    // details by the implementation: the client reads the problem, not a broken Note.
    assert_eq!(
        problem(client.status(418).send().await.unwrap_err()),
        (418, "I'm a teapot".to_owned())
    );
    // A status the spec does not declare.
    assert_eq!(
        problem(client.status(503).send().await.unwrap_err()),
        (503, "undeclared".to_owned())
    );
    // The router's own answers: a body too large, a path it does not serve.
    let (status, _) = problem(
        client
            .put_file("big", vec![7u8; 3 * 1024 * 1024])
            .send()
            .await
            .unwrap_err(),
    );
    assert_eq!(status, 413);
    let elsewhere = Client::new(&format!("{url}/nothing-here")).unwrap();
    let (status, _) = problem(elsewhere.report().send().await.unwrap_err());
    assert_eq!(status, 404);
}

#[tokio::test]
async fn per_call_headers_timeout_and_idempotency_key() {
    // A header of the call's own reaches the server (the echo reports X-Request-Id).
    let client = client().await;
    let SearchResponse::Ok(echo) = client
        .search(SearchRequired {
            q: "q".to_owned(),
            session: "s".to_owned(),
        })
        .with_header("x-request-id", "from-the-call")
        .send()
        .await
        .unwrap();
    assert_eq!(echo.request_id.as_deref(), Some("from-the-call"));

    // A header value that cannot be one fails before sending.
    let error = client
        .report()
        .with_header("x-note", "line\nbreak")
        .send()
        .await
        .unwrap_err();
    assert!(matches!(error, Error::InvalidRequest(_)), "{error:?}");

    // The idempotency key goes out as `Idempotency-Key`; this server hands it back.
    let router = axum::Router::new().fallback(|headers: axum::http::HeaderMap| async move {
        let key = headers["idempotency-key"].to_str().unwrap().to_owned();
        (
            [("content-type", "application/json")],
            format!("{{\"title\":\"{key}\"}}"),
        )
    });
    let echoing = Client::new(&serve(router).await).unwrap();
    assert_eq!(
        echoing
            .report()
            .with_idempotency_key("report-7")
            .send()
            .await
            .unwrap(),
        ReportResponse::Ok(ReportOkBody::Json(note("report-7", None)))
    );

    // A server slower than the call's time limit: a timeout error, not a wait.
    let router = axum::Router::new().fallback(|| async {
        tokio::time::sleep(std::time::Duration::from_secs(30)).await;
        "late"
    });
    let slow = Client::new(&serve(router).await).unwrap();
    let error = slow
        .report()
        .with_timeout(std::time::Duration::from_millis(50))
        .send()
        .await
        .unwrap_err();
    let Error::Transport(error) = error else {
        panic!("{error:?}");
    };
    assert!(error.is_timeout(), "{error}");
}

/// A server answering `503` (with `Retry-After: retry_after`) to the first `failures`
/// requests, then the report; it keeps the bodies it saw.
async fn flaky(failures: usize, retry_after: &'static str) -> (String, Arc<Mutex<Vec<Vec<u8>>>>) {
    let seen: Arc<Mutex<Vec<Vec<u8>>>> = Arc::default();
    let log = seen.clone();
    let router = axum::Router::new().fallback(move |body: axum::body::Bytes| {
        let log = log.clone();
        async move {
            let mut seen = log.lock().unwrap();
            seen.push(body.to_vec());
            if seen.len() <= failures {
                axum::response::IntoResponse::into_response((
                    axum::http::StatusCode::SERVICE_UNAVAILABLE,
                    [("retry-after", retry_after)],
                    "busy",
                ))
            } else {
                axum::response::IntoResponse::into_response((
                    [("content-type", "application/json")],
                    r#"{"title":"report"}"#,
                ))
            }
        }
    });
    (serve(router).await, seen)
}

/// Calls `report` on a [`flaky`] server: the result, and how many requests it took.
async fn report_on_flaky(
    failures: usize,
    retry_after: &'static str,
    retry: Option<http_features::client::Retry>,
) -> (Result<ReportResponse, Error>, usize) {
    let (url, seen) = flaky(failures, retry_after).await;
    let mut client = Client::new(&url).unwrap();
    if let Some(retry) = retry {
        client = client.with_retry(retry);
    }
    let result = client.report().send().await;
    let tries = seen.lock().unwrap().len();
    (result, tries)
}

#[tokio::test]
async fn retries_are_opt_in_capped_and_only_for_requests_that_may_arrive_twice() {
    let retry = http_features::client::Retry {
        max_attempts: 3,
        initial_backoff: std::time::Duration::from_millis(1),
        max_backoff: std::time::Duration::from_millis(5),
        max_elapsed: std::time::Duration::from_secs(5),
    };
    // Off by default: the first 503 is the answer.
    let (result, tries) = report_on_flaky(2, "0", None).await;
    assert_eq!((result.unwrap_err().status(), tries), (Some(503), 1));

    // A GET is tried again until it succeeds; `Retry-After` in seconds or as an HTTP date
    // (one in the past: no wait) is honoured.
    let (result, tries) = report_on_flaky(2, "Wed, 21 Oct 2015 07:28:00 GMT", Some(retry)).await;
    assert_eq!(
        (result.unwrap(), tries),
        (
            ReportResponse::Ok(ReportOkBody::Json(note("report", None))),
            3
        )
    );

    // A `Retry-After` longer than the time allowed ends the tries at once.
    for later in ["3600", "Fri, 01 Jan 2100 00:00:00 GMT"] {
        let (result, tries) = report_on_flaky(1, later, Some(retry)).await;
        assert_eq!((result.unwrap_err().status(), tries), (Some(503), 1));
    }

    // No more tries than allowed: the last answer comes back.
    let (result, tries) = report_on_flaky(5, "0", Some(retry)).await;
    assert_eq!((result.unwrap_err().status(), tries), (Some(503), 3));

    // A POST goes once, unless it carries an idempotency key; then every try sends the
    // same body.
    let (url, seen) = flaky(1, "0").await;
    let client = Client::new(&url).unwrap().with_retry(retry);
    let error = client
        .create_note(CreateNoteBody::Text("hi".to_owned()))
        .send()
        .await
        .unwrap_err();
    assert_eq!((error.status(), seen.lock().unwrap().len()), (Some(503), 1));
    let (url, seen) = flaky(1, "0").await;
    let client = Client::new(&url).unwrap().with_retry(retry);
    let _ = client
        .create_note(CreateNoteBody::Text("hi".to_owned()))
        .with_idempotency_key("note-1")
        .send()
        .await;
    assert_eq!(*seen.lock().unwrap(), [b"hi".to_vec(), b"hi".to_vec()]);
}

/// A raw HTTP server whose reply to each request has these head lines, then writes
/// `chunk` again and again (as chunked transfer coding when `chunked`) until the client
/// stops reading.
async fn endless(head: &'static str, chunked: bool) -> String {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move {
        while let Ok((mut socket, _)) = listener.accept().await {
            tokio::spawn(async move {
                let mut request = [0u8; 4096];
                let _ = socket.read(&mut request).await;
                if socket.write_all(head.as_bytes()).await.is_err() {
                    return;
                }
                let chunk = vec![b' '; 64 * 1024];
                loop {
                    let written = if chunked {
                        let mut framed = format!("{:x}\r\n", chunk.len()).into_bytes();
                        framed.extend_from_slice(&chunk);
                        framed.extend_from_slice(b"\r\n");
                        socket.write_all(&framed).await
                    } else {
                        socket.write_all(&chunk).await
                    };
                    if written.is_err() {
                        return;
                    }
                }
            });
        }
    });
    format!("http://{address}")
}

#[tokio::test]
async fn a_reply_longer_than_the_client_reads_is_an_error_not_all_of_memory() {
    // A body that never ends.
    let url = endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ntransfer-encoding: chunked\r\n\r\n",
        true,
    )
    .await;
    let client = Client::new(&url).unwrap().with_max_response_bytes(1 << 20);
    let error = client.report().send().await.unwrap_err();
    assert!(
        matches!(error, Error::ResponseTooLarge { status: 200, limit } if limit == 1 << 20),
        "{error:?}"
    );
    // A length announced beyond the limit is refused before reading.
    let url = endless(
        "HTTP/1.1 200 OK\r\ncontent-type: application/json\r\ncontent-length: 999999999999\r\n\r\n",
        false,
    )
    .await;
    let client = Client::new(&url).unwrap().with_max_response_bytes(1 << 20);
    let error = client.report().send().await.unwrap_err();
    assert_eq!(error.status(), Some(200));
    assert!(error.to_string().contains("1048576 bytes"), "{error}");
}

#[tokio::test]
async fn a_client_that_stops_sending_mid_body_gets_408_and_the_connection_back() {
    use tokio::io::{AsyncReadExt, AsyncWriteExt};
    let router = http_features::server::router(Server::default()).layer(axum::Extension(
        http_features::server::ReadTimeout(std::time::Duration::from_millis(200)),
    ));
    let url = serve(router).await;
    let address = url.trim_start_matches("http://").trim_end_matches("/v1");
    let mut socket = tokio::net::TcpStream::connect(address).await.unwrap();
    // Announces 100 bytes, sends 10, then nothing.
    socket
        .write_all(
            b"POST /v1/notes HTTP/1.1\r\nhost: x\r\ncontent-type: text/plain\r\ncontent-length: 100\r\n\r\n0123456789",
        )
        .await
        .unwrap();
    let mut reply = Vec::new();
    let read = tokio::time::timeout(std::time::Duration::from_secs(10), async {
        let mut buffer = [0u8; 1024];
        loop {
            match socket.read(&mut buffer).await {
                Ok(0) | Err(_) => break,
                Ok(n) => {
                    reply.extend_from_slice(&buffer[..n]);
                    if reply.windows(4).any(|w| w == b"\r\n\r\n") {
                        break;
                    }
                }
            }
        }
    })
    .await;
    assert!(read.is_ok(), "the server held the connection");
    let reply = String::from_utf8_lossy(&reply);
    assert!(reply.starts_with("HTTP/1.1 408"), "{reply}");
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
            let client = client().await;
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
