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
    Bounds, CreateNoteBody, FilterEcho, FormSummary, ListPageOk, ListPageOrder, Note, Point, Range,
    ReportOkBody, SearchEcho, Size, StylesEcho, UploadBodyMultipart, UploadFormBodyMultipart,
    UploadFormBodyMultipartFile, UploadFormBodyMultipartUrl, UploadMergedBodyMultipart,
    UploadSummary,
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
        self: Arc<Self>,
        GetFileRequest { name }: GetFileRequest,
    ) -> Result<GetFileResponse, Problem> {
        Ok(match self.files.lock().unwrap().get(&name) {
            Some(bytes) => GetFileResponse::Ok {
                body: bytes.clone().into(),
                x_size: bytes.len() as i64,
            },
            None => GetFileResponse::NotFound,
        })
    }

    async fn put_file(
        self: Arc<Self>,
        PutFileRequest { name, body }: PutFileRequest,
    ) -> Result<PutFileResponse, Problem> {
        let bytes = body.collect(usize::MAX).await?;
        self.files.lock().unwrap().insert(name, bytes.to_vec());
        Ok(PutFileResponse::NoContent)
    }

    async fn head_file(
        self: Arc<Self>,
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
        self: Arc<Self>,
        GetItemRequest { id }: GetItemRequest,
    ) -> Result<GetItemResponse, Problem> {
        Ok(GetItemResponse::Ok(note(&format!("item {id}"), None)))
    }

    async fn create_note(
        self: Arc<Self>,
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
        self: Arc<Self>,
        SaveDraftRequest { body }: SaveDraftRequest,
    ) -> Result<SaveDraftResponse, Problem> {
        self.drafts.lock().unwrap().push(body);
        Ok(SaveDraftResponse::NoContent)
    }

    async fn upload(
        self: Arc<Self>,
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

    async fn upload_form(
        self: Arc<Self>,
        UploadFormRequest { body }: UploadFormRequest,
    ) -> Result<UploadFormResponse, Problem> {
        let summary = match body {
            UploadFormBodyMultipart::File(form) => FormSummary {
                form: "file".to_owned(),
                caption: form.caption,
                source: Some(String::from_utf8_lossy(&form.file.bytes).into_owned()),
            },
            UploadFormBodyMultipart::Url(form) => FormSummary {
                form: "url".to_owned(),
                caption: form.caption,
                source: Some(form.url),
            },
        };
        Ok(UploadFormResponse::Ok(summary))
    }

    async fn upload_merged(
        self: Arc<Self>,
        UploadMergedRequest { body }: UploadMergedRequest,
    ) -> Result<UploadMergedResponse, Problem> {
        let source = match (body.file, body.url) {
            (Some(file), None) => String::from_utf8_lossy(&file.bytes).into_owned(),
            (None, Some(url)) => url,
            other => format!("{other:?}"),
        };
        Ok(UploadMergedResponse::Ok(FormSummary {
            form: "merged".to_owned(),
            caption: Some(body.caption),
            source: Some(source),
        }))
    }

    async fn search(
        self: Arc<Self>,
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
        self: Arc<Self>,
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

    async fn filter(
        self: Arc<Self>,
        FilterRequest {
            q,
            conditions,
            labels,
            pairs,
            x_bounds,
            x_tags,
        }: FilterRequest,
    ) -> Result<FilterResponse, Problem> {
        Ok(FilterResponse::Ok(FilterEcho {
            q,
            conditions,
            labels,
            pairs,
            bounds: x_bounds,
            tags: x_tags,
        }))
    }

    async fn styles(
        self: Arc<Self>,
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
        self: Arc<Self>,
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

    async fn get_archive(self: Arc<Self>) -> Result<GetArchiveResponse, Problem> {
        Ok(GetArchiveResponse::NoContent)
    }

    async fn report(
        self: Arc<Self>,
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
    let GetFileResponse::Ok { body, x_size } = client.get_file(name).send().await.unwrap() else {
        panic!("no file")
    };
    assert_eq!(x_size, 256);
    assert_eq!(body.collect(1024).await.unwrap(), bytes);
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
async fn multipart_bodies_of_one_of_several_forms_and_of_merged_parts() {
    let client = client().await;
    // A oneOf of objects: the client sends the parts of the form it is given, the server
    // reads the form the parts fit.
    let file = UploadFormBodyMultipartFile {
        file: FilePart::new("a.txt", "text/plain", b"bytes".to_vec()),
        caption: Some("a file".to_owned()),
    };
    assert_eq!(
        client.upload_form(file.into()).send().await.unwrap(),
        UploadFormResponse::Ok(FormSummary {
            form: "file".to_owned(),
            caption: Some("a file".to_owned()),
            source: Some("bytes".to_owned()),
        })
    );
    let url = UploadFormBodyMultipartUrl {
        url: "https://example.com/a.txt".to_owned(),
        caption: None,
    };
    assert_eq!(
        client.upload_form(url.into()).send().await.unwrap(),
        UploadFormResponse::Ok(FormSummary {
            form: "url".to_owned(),
            caption: None,
            source: Some("https://example.com/a.txt".to_owned()),
        })
    );
    // An allOf over an anyOf: one form with every part, required where the allOf says.
    let merged = UploadMergedBodyMultipart {
        caption: "both".to_owned(),
        file: None,
        url: Some("https://example.com/b".to_owned()),
    };
    assert_eq!(
        client.upload_merged(merged).send().await.unwrap(),
        UploadMergedResponse::Ok(FormSummary {
            form: "merged".to_owned(),
            caption: Some("both".to_owned()),
            source: Some("https://example.com/b".to_owned()),
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

    // An empty value of a number is the number left out; an empty string is a string.
    let response = reqwest::Client::new()
        .get(format!("{url}/search?q=&limit="))
        .header("cookie", "session=abc")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        (&echo["q"], &echo["limit"]),
        (&serde_json::json!(""), &serde_json::Value::Null)
    );
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
    let big = "n".repeat(3 << 20);
    let client = client().await;
    let error = client
        .create_note(CreateNoteBody::Text(big.clone()))
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(413));
    // A binary upload is streamed to the implementation: the router's limit, made for
    // bodies it reads whole, is not its limit.
    assert_eq!(
        client.put_file("big", big.clone()).send().await.unwrap(),
        PutFileResponse::NoContent
    );

    let router = http_features::server::router(Server::default())
        .layer(axum::extract::DefaultBodyLimit::max(8 * 1024 * 1024));
    let client = Client::new(&serve(router).await).unwrap();
    assert!(matches!(
        client
            .create_note(CreateNoteBody::Text(big))
            .send()
            .await
            .unwrap(),
        CreateNoteResponse::Created(_)
    ));
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
async fn object_query_parameters_in_every_style_the_spec_allows() {
    let url = serve(http_features::server::router(Server::default())).await;
    let client = Client::new(&url).unwrap();
    let conditions: BTreeMap<String, serde_json::Value> =
        [("status", "offline"), ("role", "admin")]
            .into_iter()
            .map(|(k, v)| (k.to_owned(), serde_json::json!(v)))
            .collect();
    let labels: BTreeMap<String, String> = [("team".to_owned(), "core".to_owned())].into();
    let pairs: BTreeMap<String, i64> = [("min".to_owned(), 1), ("max".to_owned(), 9)].into();
    let bounds = Bounds {
        min: Some(1),
        max: None,
    };
    let tags: BTreeMap<String, String> = [("kind".to_owned(), "bug".to_owned())].into();
    let FilterResponse::Ok(echo) = client
        .filter(conditions.clone())
        .q("x".to_owned())
        .labels(labels.clone())
        .pairs(pairs.clone())
        .x_bounds(bounds.clone())
        .x_tags(tags.clone())
        .send()
        .await
        .unwrap();
    let expected = FilterEcho {
        q: Some("x".to_owned()),
        conditions,
        labels: Some(labels),
        pairs: Some(pairs),
        bounds: Some(bounds),
        tags: Some(tags),
    };
    assert_eq!(echo, expected);

    // By hand, as OpenAPI writes each: `form` exploded (each property its own pair, other
    // parameters' pairs not among them), `deepObject`, `form` unexploded.
    let read = |query: &'static str| {
        let url = url.clone();
        async move {
            let response = reqwest::get(format!("{url}/filters?{query}"))
                .await
                .unwrap();
            let status = response.status().as_u16();
            (status, response.json::<serde_json::Value>().await.unwrap())
        }
    };
    let (status, echo) =
        read("status=offline&q=x&role=admin&labels[team]=core&pairs=min,1,max,9").await;
    assert_eq!(status, 200, "{echo}");
    assert_eq!(
        echo,
        serde_json::json!({
            "q": "x", "conditions": {"status": "offline", "role": "admin"},
            "labels": {"team": "core"}, "pairs": {"min": 1, "max": 9}
        })
    );
    // An empty object, exploded, is no pairs at all: the required `conditions` is there.
    let (status, echo) = read("").await;
    assert_eq!(
        (status, echo),
        (200, serde_json::json!({ "conditions": {} }))
    );
    // Headers, `simple` style: unexploded properties and values alternate, exploded each
    // is `property=value`.
    let response = reqwest::Client::new()
        .get(format!("{url}/filters"))
        .header("X-Bounds", "min,1,max,9")
        .header("X-Tags", "team=core,kind=bug")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 200);
    let echo: serde_json::Value = response.json().await.unwrap();
    assert_eq!(
        (&echo["bounds"], &echo["tags"]),
        (
            &serde_json::json!({"min": 1, "max": 9}),
            &serde_json::json!({"team": "core", "kind": "bug"})
        )
    );
    // Unexploded, the empty object is an empty value.
    let (status, echo) = read("pairs=").await;
    assert_eq!(
        (status, echo),
        (200, serde_json::json!({ "conditions": {}, "pairs": {} }))
    );
    // Unexploded, properties and values alternate: an odd count is a 400 naming it.
    let (status, problem) = read("pairs=min,1,max").await;
    assert_eq!(
        (status, problem["parameter"].as_str()),
        (400, Some("pairs"))
    );
}

/// The spec's three servers (one with an enum and a text variable, one with an enum, one
/// with none) are a typed choice; the one picked with the local port reaches the server.
#[tokio::test]
async fn every_server_of_the_spec_is_a_typed_choice() {
    use http_features::base_urls::{LocalScheme, ProductionRegion, Server as Base};

    assert_eq!(Base::default().url(), http_features::base_urls::DEFAULT);
    let production = Base::Production {
        region: ProductionRegion::Us,
    };
    assert_eq!(production.url(), "https://us.notes.example.com/v1");
    assert_eq!(Base::Staging.url(), "https://staging.notes.example.com/v1");
    assert_eq!(ProductionRegion::default(), ProductionRegion::Eu);

    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let router = axum::Router::new().nest("/v1", http_features::server::router(Server::default()));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let local = Base::Local {
        scheme: LocalScheme::Http,
        port: port.clone(),
    };
    assert_eq!(local.url(), format!("http://localhost:{port}/v1"));
    let client = Client::new(&local.url()).unwrap();
    let required = SearchRequired {
        q: "typed".to_owned(),
        session: "s".to_owned(),
    };
    let SearchResponse::Ok(echo) = client.search(required).send().await.unwrap();
    assert_eq!(echo.request_id, None);
}

/// `/archive` has a server of its own (`http://127.0.0.1:1/archive`, where nothing listens):
/// a client on one of the spec's servers sends it there and every other call to its base
/// URL; a client pointed elsewhere (as at a mock) sends it to its base URL too.
#[tokio::test]
async fn a_path_with_a_server_of_its_own_is_sent_there_from_the_specs_servers_only() {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port();
    let router = axum::Router::new().nest("/v1", http_features::server::router(Server::default()));
    tokio::spawn(async move { axum::serve(listener, router).await });
    let search = || SearchRequired {
        q: "where".to_owned(),
        session: "s".to_owned(),
    };

    // `http://localhost:{port}/v1` is the spec's `Local` server.
    let on_spec = Client::new(&format!("http://localhost:{port}/v1")).unwrap();
    let Err(Error::Transport(e)) = on_spec.get_archive().send().await else {
        panic!("the archive host answered")
    };
    assert_eq!(
        e.url().map(|url| url.as_str()),
        Some("http://127.0.0.1:1/archive/archive")
    );
    let SearchResponse::Ok(_) = on_spec.search(search()).send().await.unwrap();

    // `127.0.0.1` is none of the spec's servers.
    let elsewhere = Client::new(&format!("http://127.0.0.1:{port}/v1")).unwrap();
    assert_eq!(
        elsewhere.get_archive().send().await.unwrap(),
        GetArchiveResponse::NoContent
    );
}

#[tokio::test]
async fn base_url_from_the_spec_servers_and_default_headers_from_your_own_client() {
    assert_eq!(
        http_features::base_urls::DEFAULT,
        "http://localhost:8080/v1"
    );
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let port = listener.local_addr().unwrap().port().to_string();
    let router = axum::Router::new().nest("/v1", http_features::server::router(Server::default()));
    tokio::spawn(async move { axum::serve(listener, router).await });

    let url = http_features::base_urls::default_with(&[("port", &port)]);
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
    let too_large = CreateNoteBody::Text("n".repeat(3 << 20));
    let (status, _) = problem(client.create_note(too_large).send().await.unwrap_err());
    assert_eq!(status, 413);
    let elsewhere = Client::new(&format!("{url}/nothing-here")).unwrap();
    let (status, _) = problem(elsewhere.report().send().await.unwrap_err());
    assert_eq!(status, 404);
}
