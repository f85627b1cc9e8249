//! The model types as a user meets them (issue 8), through the crate generated from
//! `specs/model-shape.yaml` and through the Rocket.Chat crate: names that say what a type is
//! for, `Default` and constructors, tags written by the variant, and a server that refuses
//! what the spec forbids while the client stays lenient.

use generator::load::Source;
use generator::model::{Api, Media, TypeKind, TypeRef};
use generator::ApiInput;
use model_shape::client::{Client, Error};
use model_shape::requests::{
    AddAttachmentRequest, AddLabelRequest, AddLinkRequest, OpenDirectRequest, PostMessageRequest,
    PutContactRequest, RoomsArchiveRequest, RoomsUnarchiveRequest,
};
use model_shape::responses::{
    AddAttachmentResponse, AddLabelResponse, AddLinkResponse, OpenDirectResponse,
    PostMessageResponse, PutContactResponse, RoomsArchiveResponse, RoomsUnarchiveResponse,
};
use model_shape::server::{OkApi, Problem};
use model_shape::types::*;
use quote::ToTokens;
use serde_json::{json, Value};
use std::sync::Arc;

fn manifest_dir() -> std::path::PathBuf {
    std::path::PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

fn model_of(name: &str, files: &[(&str, &str)]) -> Api {
    let input = ApiInput {
        name: name.to_owned(),
        origin: format!("{name}/"),
        sources: files
            .iter()
            .map(|(path, text)| Source {
                path: (*path).to_owned(),
                text: (*text).to_owned(),
            })
            .collect(),
        ..Default::default()
    };
    generator::build_model(&input).unwrap().0
}

fn model_shape_model() -> Api {
    let text = std::fs::read_to_string(manifest_dir().join("../specs/model-shape.yaml")).unwrap();
    model_of("model-shape", &[("specs/model-shape.yaml", &text)])
}

/// Reads `json` as `T`, checks it writes back to the same JSON, and returns it.
fn round_trip<T: serde::de::DeserializeOwned + serde::Serialize>(json: Value) -> T {
    let value: T = serde_json::from_value(json.clone()).unwrap();
    assert_eq!(serde_json::to_value(&value).unwrap(), json);
    value
}

#[test]
fn a_shared_inline_type_is_named_after_each_operation_that_uses_it() {
    let api = model_shape_model();
    let body_name = |op: &str| {
        let op = api.operations.iter().find(|o| o.api_name == op).unwrap();
        let Media::Json(TypeRef::Named(id)) = &op.body.as_ref().unwrap().payload.contents[0].media
        else {
            panic!("{} has no named JSON body", op.api_name);
        };
        api.types.get(*id)
    };
    // One definition: the second operation's name is an alias of the first's.
    assert_eq!(body_name("rooms.archive").name, "RoomsArchiveBody");
    let unarchive = body_name("rooms.unarchive");
    assert_eq!(unarchive.name, "RoomsUnarchiveBody");
    let TypeKind::Alias(TypeRef::Named(shared)) = &unarchive.kind else {
        panic!("{:?} is not an alias", unarchive.kind);
    };
    assert_eq!(api.types.get(*shared).name, "RoomsArchiveBody");
    // In the crate, both names are the same type.
    let body: RoomsUnarchiveBody = RoomsArchiveBody {
        room_id: "GENERAL".to_owned(),
    };
    let request = RoomsUnarchiveRequest { body: Some(body) };
    let ok: RoomsUnarchiveOk = RoomsArchiveOk::default();
    assert_eq!(request.body.unwrap().room_id, "GENERAL");
    assert_eq!(ok.success, None);
}

#[test]
fn union_alternatives_are_named_by_what_tells_them_apart() {
    // A title, a property with one value, a property only one alternative requires.
    let login: Event = round_trip(json!({ "user": "ann" }));
    assert!(matches!(login, Event::LoginEvent(LoginEvent { user: Some(ref u) }) if u == "ann"));
    let logout: Event = round_trip(json!({ "type": "logout", "user": "ann" }));
    assert!(matches!(
        logout,
        Event::Logout(EventLogout {
            type_: EventLogoutType::Logout,
            ..
        })
    ));
    let room: Event = round_trip(json!({ "room": "GENERAL", "user": "ann" }));
    assert!(matches!(room, Event::Room(EventRoom { ref room, .. }) if room == "GENERAL"));
    // A property only one alternative requires.
    let by_channel: PostMessageBody = round_trip(json!({ "channel": "#general", "text": "hi" }));
    assert!(matches!(by_channel, PostMessageBody::Channel(_)));
    let by_room: PostMessageBody = round_trip(json!({ "roomId": "GENERAL", "text": "hi" }));
    assert!(matches!(by_room, PostMessageBody::RoomId(_)));
    // Properties beside the oneOf belong to each alternative, required as it says.
    let by_name: RoomRef = round_trip(json!({ "roomName": "general" }));
    assert_eq!(
        by_name,
        RoomRef::RoomName(RoomRefRoomName {
            room_id: None,
            room_name: "general".to_owned()
        })
    );
    let by_id: RoomRef = round_trip(json!({ "roomId": "GENERAL", "roomName": "general" }));
    assert!(matches!(
        by_id,
        RoomRef::RoomId(RoomRefRoomId {
            room_name: Some(_),
            ..
        })
    ));
}

#[test]
fn the_server_trait_is_named_after_the_title_never_a_prelude_name() {
    assert_eq!(model_shape_model().trait_name, "OkApi");
    let spec = |title: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: '{title}', version: '1'}}\npaths: {{}}\n\
             components: {{schemas: {{Pet: {{type: object, properties: {{id: {{type: string}}}}}}}}}}\n"
        )
    };
    let trait_of = |title: &str| model_of("ok", &[("ok.yaml", &spec(title))]).trait_name;
    assert_eq!(trait_of("Swagger Petstore"), "SwaggerPetstore");
    assert_eq!(trait_of("Result"), "ResultApi");
    assert_eq!(trait_of("Default"), "DefaultApi");
    // What the server module re-exports beside the trait.
    assert_eq!(trait_of("Limits"), "LimitsApi");
    assert_eq!(trait_of("Body Budget"), "BodyBudgetApi");
    // A generated type already has the name.
    assert_eq!(trait_of("pet"), "PetApi");
    // No letters in the title: the crate's name, here a prelude name too.
    assert_eq!(trait_of("..."), "OkApi");
}

#[test]
fn a_folder_api_is_titled_by_its_folder_not_its_first_document() {
    let doc = |title: &str, path: &str| {
        format!(
            "openapi: 3.0.3\ninfo: {{title: {title}, version: '1', description: about {title}}}\n\
             paths: {{{path}: {{get: {{responses: {{'204': {{description: none}}}}}}}}}}\n"
        )
    };
    let api = model_of(
        "chat",
        &[
            ("chat/auth.yaml", &doc("Authentication", "/login")),
            ("chat/rooms.yaml", &doc("Rooms", "/rooms")),
        ],
    );
    assert_eq!(api.title, "chat");
    assert_eq!(api.trait_name, "Chat");
    assert_eq!(
        api.description.as_deref(),
        Some("One API made of 2 documents: Authentication, Rooms.")
    );
    let lib =
        std::fs::read_to_string(manifest_dir().join("../generated/rocketchat/src/lib.rs")).unwrap();
    assert!(lib.contains("//! rocketchat (version"), "{lib}");
    assert!(!lib.contains("Authentication (version"));
}

#[test]
fn structs_of_optional_fields_are_default_and_others_have_new() {
    // Every field optional: derived.
    assert_eq!(serde_json::to_value(Message::default()).unwrap(), json!({}));
    let message = Message {
        text: Some("hi".to_owned()),
        ..Message::default()
    };
    assert_eq!(
        serde_json::to_value(message).unwrap(),
        json!({ "text": "hi" })
    );
    // Optional fields with the spec's defaults: written out, the defaults applied.
    let settings = Settings::default();
    assert_eq!((settings.retries, settings.verbose), (3, None));
    // Required fields beside optional ones: `new` takes the required, in the spec's order.
    let contact = Contact {
        homepage: Some("https://example.com/ann".to_owned()),
        ..Contact::new("Ann".to_owned(), "ann@example.com".to_owned())
    };
    assert_eq!(
        serde_json::to_value(contact).unwrap(),
        json!({ "name": "Ann", "email": "ann@example.com", "homepage": "https://example.com/ann" })
    );
}

#[test]
fn a_discriminated_union_writes_the_tag_of_its_variant() {
    // Used only as a variant: no `kind` field to fill, the variant writes it.
    let file = Attachment::FileAttachment(FileAttachment {
        name: "a.txt".to_owned(),
    });
    assert_eq!(
        serde_json::to_value(&file).unwrap(),
        json!({ "kind": "file", "name": "a.txt" })
    );
    assert_eq!(
        round_trip::<Attachment>(json!({ "kind": "file", "name": "a.txt" })),
        file
    );
    // Also a body of its own, so it keeps its field; inside the union the variant decides.
    let contradicting = Attachment::LinkAttachment(LinkAttachment {
        kind: "file".to_owned(),
        url: "https://example.com/".to_owned(),
    });
    assert_eq!(
        serde_json::to_value(&contradicting).unwrap(),
        json!({ "kind": "link", "url": "https://example.com/" })
    );
    let read: Attachment =
        serde_json::from_value(json!({ "kind": "link", "url": "https://example.com/" })).unwrap();
    assert!(
        matches!(read, Attachment::LinkAttachment(LinkAttachment { kind, .. }) if kind == "link")
    );
}

#[test]
fn formats_follow_their_standards() {
    use model_shape::validate::{format, Format};
    let check = |text: &str, kind: Format| {
        let mut problems = Vec::new();
        format("body.x", text, kind, &mut problems);
        problems.is_empty()
    };
    for good in [
        "a@b",
        "ann.lee+chat@example.com",
        "x!#$%&'*/=?^_`{|}~-@a-b.c1",
    ] {
        assert!(check(good, Format::Email), "{good}");
    }
    for bad in [
        "", "a", "@b", "a@", "a@b@c", "a b@c", "a@-b", "a@b-", "a@b..c", "ä@b",
    ] {
        assert!(!check(bad, Format::Email), "{bad}");
    }
    for good in [
        "https://example.com/a?b=c#d",
        "urn:isbn:0451450523",
        "mailto:ann@example.com",
        "http://[::1]:8080/%20x",
    ] {
        assert!(check(good, Format::Uri), "{good}");
    }
    for bad in [
        "example.com",
        "/relative",
        "1http://x",
        "http://a b",
        "http://x/%zz",
        "http://x/\u{e9}",
    ] {
        assert!(!check(bad, Format::Uri), "{bad}");
    }
    assert!(check("192.168.0.1", Format::Ipv4));
    for bad in ["256.0.0.1", "1.2.3", "::1", "01.2.3.4"] {
        assert!(!check(bad, Format::Ipv4), "{bad}");
    }
    assert!(check("::1", Format::Ipv6));
    assert!(check("2001:db8::8a2e:370:7334", Format::Ipv6));
    assert!(!check("2001:db8::g", Format::Ipv6));
    assert!(!check("1.2.3.4", Format::Ipv6));
}

/// Stores nothing; answers with what it was given.
struct Server;

impl OkApi for Server {
    async fn rooms_archive(
        self: Arc<Self>,
        _request: RoomsArchiveRequest,
    ) -> Result<RoomsArchiveResponse, Problem> {
        Ok(RoomsArchiveResponse::Ok(RoomsArchiveOk {
            success: Some(true),
        }))
    }

    async fn rooms_unarchive(
        self: Arc<Self>,
        _request: RoomsUnarchiveRequest,
    ) -> Result<RoomsUnarchiveResponse, Problem> {
        Ok(RoomsUnarchiveResponse::Ok(RoomsUnarchiveOk::default()))
    }

    async fn post_message(
        self: Arc<Self>,
        request: PostMessageRequest,
    ) -> Result<PostMessageResponse, Problem> {
        let text = match request.body {
            PostMessageBody::RoomId(body) => body.text,
            PostMessageBody::Channel(body) => body.text,
        };
        // A value the spec does not list, which only an implementation can send: the
        // client reads it all the same.
        let priority = match request.priority {
            Some(Priority::High) => Priority::Other("urgent".to_owned()),
            other => other.unwrap_or(Priority::Low),
        };
        Ok(PostMessageResponse::Ok(Message {
            text: Some(text),
            priority: Some(priority),
            ..Message::default()
        }))
    }

    async fn put_contact(
        self: Arc<Self>,
        _request: PutContactRequest,
    ) -> Result<PutContactResponse, Problem> {
        Ok(PutContactResponse::NoContent)
    }

    async fn add_attachment(
        self: Arc<Self>,
        request: AddAttachmentRequest,
    ) -> Result<AddAttachmentResponse, Problem> {
        Ok(AddAttachmentResponse::Ok(request.body))
    }

    async fn add_link(
        self: Arc<Self>,
        _request: AddLinkRequest,
    ) -> Result<AddLinkResponse, Problem> {
        Ok(AddLinkResponse::NoContent)
    }

    /// Refuses what the test sends as the wrong alternative, so the test sees which one the
    /// server read.
    async fn add_label(
        self: Arc<Self>,
        request: AddLabelRequest,
    ) -> Result<AddLabelResponse, Problem> {
        match request.body {
            Label::Note(_) => Ok(AddLabelResponse::NoContent),
            other => Err(Problem::new(422, format!("read as {other:?}"))),
        }
    }

    async fn open_direct(
        self: Arc<Self>,
        request: OpenDirectRequest,
    ) -> Result<OpenDirectResponse, Problem> {
        match request.body {
            OpenDirectBody::Usernames(_) => Ok(OpenDirectResponse::NoContent),
            other => Err(Problem::new(422, format!("read as {other:?}"))),
        }
    }
}

/// The base URL of the model-shape server on a port of its own.
async fn listen() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    tokio::spawn(async move { axum::serve(listener, model_shape::server::router(Server)).await });
    base
}

async fn serve() -> Client {
    Client::new(&listen().await).unwrap()
}

/// The status and body of posting `body` to `url`, raw: no generated client sends what
/// these tests send.
async fn post_json(url: &str, body: Value) -> (u16, Value) {
    let response = reqwest::Client::new()
        .post(url)
        .json(&body)
        .send()
        .await
        .unwrap();
    let status = response.status().as_u16();
    let text = response.text().await.unwrap();
    (status, serde_json::from_str(&text).unwrap_or(Value::Null))
}

/// The problem details of a 400, as the generated client reads them.
fn bad_request<T: std::fmt::Debug>(result: Result<T, Error>) -> model_shape::client::Problem {
    match result {
        Err(Error::Problem { problem, .. }) if problem.status == 400 => *problem,
        other => panic!("expected a 400 problem, got {other:?}"),
    }
}

fn hello() -> PostMessageBody {
    PostMessageBody::RoomId(PostMessageBodyRoomId {
        room_id: "GENERAL".to_owned(),
        text: "hi".to_owned(),
    })
}

#[tokio::test]
async fn the_server_refuses_enum_values_the_spec_does_not_list() {
    let client = serve().await;
    // Listed values pass, and the client reads an unlisted one the server sends.
    let PostMessageResponse::Ok(message) = client
        .post_message(hello())
        .priority(Priority::High)
        .level(PostMessageLevel::V2)
        .send()
        .await
        .unwrap();
    assert_eq!(message.priority, Some(Priority::Other("urgent".to_owned())));

    // The client sends what it is given; the server names the parameter and what it allows.
    let problem = bad_request(
        client
            .post_message(hello())
            .priority(Priority::Other("urgent".to_owned()))
            .send()
            .await,
    );
    assert_eq!(problem.parameter.as_deref(), Some("priority"));
    assert_eq!(
        problem.detail.as_deref(),
        Some(r#"query.priority: "urgent" is not one of the allowed values "low", "high""#)
    );
    let problem = bad_request(
        client
            .post_message(hello())
            .level(PostMessageLevel::Other(7))
            .send()
            .await,
    );
    assert_eq!(
        problem.detail.as_deref(),
        Some(r#"query.level: "7" is not one of the allowed values "1", "2", "3""#)
    );

    // In a body, the field's path is named.
    let contact = Contact {
        priority: Some(Priority::Other("urgent".to_owned())),
        ..Contact::new("Ann".to_owned(), "ann@example.com".to_owned())
    };
    let problem = bad_request(client.put_contact(contact).send().await);
    assert_eq!(
        problem.detail.as_deref(),
        Some(r#"body.priority: "urgent" is not one of the allowed values "low", "high""#)
    );

    // A tag the spec does not list.
    let video = Attachment::Other(json!({ "kind": "video", "url": "https://example.com/v" }));
    let problem = bad_request(client.add_attachment(video).send().await);
    assert_eq!(
        problem.detail.as_deref(),
        Some(r#"body.kind: "video" is not one of the allowed values "file", "link""#)
    );
    let file = Attachment::FileAttachment(FileAttachment {
        name: "a.txt".to_owned(),
    });
    let AddAttachmentResponse::Ok(echoed) =
        client.add_attachment(file.clone()).send().await.unwrap();
    assert_eq!(echoed, file);
}

#[tokio::test]
async fn the_server_refuses_malformed_emails_uris_and_addresses() {
    let client = serve().await;
    let valid = Contact {
        homepage: Some("https://example.com/ann".to_owned()),
        ipv4: Some("192.0.2.1".to_owned()),
        ipv6: Some("2001:db8::1".to_owned()),
        ..Contact::new("Ann".to_owned(), "ann@example.com".to_owned())
    };
    let PutContactResponse::NoContent = client.put_contact(valid.clone()).send().await.unwrap();
    let cases = [
        (
            Contact {
                email: "ann at example.com".to_owned(),
                ..valid.clone()
            },
            r#"body.email: "ann at example.com" is not a valid email"#,
        ),
        (
            Contact {
                homepage: Some("example.com/ann".to_owned()),
                ..valid.clone()
            },
            r#"body.homepage: "example.com/ann" is not a valid uri"#,
        ),
        (
            Contact {
                ipv4: Some("192.0.2.300".to_owned()),
                ..valid.clone()
            },
            r#"body.ipv4: "192.0.2.300" is not a valid ipv4"#,
        ),
        (
            Contact {
                ipv6: Some("2001:db8::1::2".to_owned()),
                ..valid.clone()
            },
            r#"body.ipv6: "2001:db8::1::2" is not a valid ipv6"#,
        ),
    ];
    for (contact, detail) in cases {
        let problem = bad_request(client.put_contact(contact).send().await);
        assert_eq!(problem.detail.as_deref(), Some(detail));
    }
}

#[tokio::test]
async fn the_server_reads_a_union_body_as_any_alternative_it_fits() {
    let labels = format!("{}/labels", listen().await);
    // `tag` reads this body (it ignores `text`) but holds `name` to 8 characters; `note`
    // allows 40: the body is a `note`.
    let (status, problem) = post_json(
        &labels,
        json!({ "name": "a longer label", "text": "kept for the note" }),
    )
    .await;
    assert_eq!(status, 204, "{problem}");

    // None fits: the error is that of the alternative that got furthest, `styled`, which
    // failed inside `style`, not the first's.
    let (status, problem) = post_json(&labels, json!({ "style": { "color": 5 } })).await;
    assert_eq!(status, 400);
    assert_eq!(
        problem["detail"],
        "the request body is not the expected JSON: fits none of the alternatives of Label; the nearest, Styled, fails with: \
         style.color: invalid type: integer `5`, expected a string"
    );
    // One that reads the body and breaks only a constraint is nearer than any that cannot
    // read it; of those, the one the body's `text` claims (only `note` declares it) is
    // named.
    let long = "x".repeat(41);
    let (status, problem) = post_json(&labels, json!({ "name": long, "text": "t" })).await;
    assert_eq!(status, 400);
    assert_eq!(
        problem["detail"],
        format!(
            "the request body is not the expected JSON: fits none of the alternatives of Label; the nearest, Note, fails with: \
             name: length 41 is above maxLength 40"
        )
    );
}

#[test]
fn an_enum_alternative_of_a_union_is_held_to_its_values() {
    use model_shape::validate::problems;
    let unlisted = Urgency::Priority(Priority::Other("urgent".to_owned()));
    assert_eq!(
        problems(&unlisted, "body"),
        [r#"body: "urgent" is not one of the allowed values "low", "high""#]
    );
    assert!(problems(&Urgency::Priority(Priority::High), "body").is_empty());
}

#[tokio::test]
async fn a_union_takes_any_value_under_a_property_only_another_alternative_declares() {
    let direct = format!("{}/direct", listen().await);
    // The second alternative declares no `username`: null, or a number, is any value there
    // (Rocket.Chat's dm.create, refused before as "null is not allowed here"). The first,
    // tried first for a body whose keys it declares, does not read them.
    for body in [
        json!({ "username": null }),
        json!({ "username": 5, "usernames": "ann,bob" }),
    ] {
        let (status, problem) = post_json(&direct, body.clone()).await;
        assert_eq!(status, 204, "{body}: {problem}");
    }
    // Every alternative declares `excludeSelf` a boolean.
    let (status, problem) = post_json(&direct, json!({ "excludeSelf": null })).await;
    assert_eq!(status, 400);
    assert_eq!(
        problem["detail"],
        "the request body is not the expected JSON: fits none of the alternatives of OpenDirectBody; \
         the nearest, Username, fails with: excludeSelf: null is not allowed here"
    );
}

/// A Rocket.Chat server that implements nothing: a request it reads is answered 501.
struct Unimplemented;

impl rocketchat::server::Rocketchat for Unimplemented {}

/// The base URL of a Rocket.Chat server that implements nothing, and a request to it with
/// the session headers every operation requires.
async fn rocketchat_server() -> (String, reqwest::Client) {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let router = rocketchat::server::router(Unimplemented);
    tokio::spawn(async move { axum::serve(listener, router).await });
    let headers = [("X-Auth-Token", "token"), ("X-User-Id", "user")]
        .into_iter()
        .map(|(k, v)| (k.parse().unwrap(), v.parse().unwrap()))
        .collect();
    let client = reqwest::Client::builder()
        .default_headers(headers)
        .build()
        .unwrap();
    (base, client)
}

#[tokio::test]
async fn rocketchat_dm_create_takes_null_under_a_property_of_the_other_alternative() {
    let (base, client) = rocketchat_server().await;
    // schemathesis's case: valid for the alternative of `usernames`, which has no `username`.
    let response = client
        .post(format!("{base}/api/v1/dm.create"))
        .json(&json!({ "username": null }))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 501, "{}", response.text().await.unwrap());
}

#[tokio::test]
async fn rocketchat_a_required_query_parameter_of_any_value_may_be_an_empty_object() {
    let (base, client) = rocketchat_server().await;
    // `query` of directory is required with `schema: {}`: the empty object, in the default
    // `form` style, is no pairs at all (schemathesis's case).
    let response = client
        .get(format!("{base}/api/v1/directory?offset=50"))
        .send()
        .await
        .unwrap();
    assert_eq!(response.status(), 501, "{}", response.text().await.unwrap());
}

/// A module of the generated Rocket.Chat crate, read as Rust: its root file's items and
/// those of the files of its groups and their parts (`types/*.rs`, `types/shared/*.rs`).
fn rocketchat(file: &str) -> syn::File {
    let src = manifest_dir().join("../generated/rocketchat/src");
    let read =
        |path: &std::path::Path| syn::parse_file(&std::fs::read_to_string(path).unwrap()).unwrap();
    let mut module = read(&src.join(file));
    let mut folders = vec![src.join(file.trim_end_matches(".rs"))];
    while let Some(folder) = folders.pop() {
        let Ok(entries) = std::fs::read_dir(&folder) else {
            continue;
        };
        let mut paths: Vec<_> = entries.map(|e| e.unwrap().path()).collect();
        paths.sort();
        for path in paths {
            if path.is_dir() {
                folders.push(path);
            } else {
                module.items.extend(read(&path).items);
            }
        }
    }
    module
}

fn tokens(item: &impl ToTokens) -> String {
    item.to_token_stream().to_string()
}

#[test]
fn rocketchat_names_say_what_each_type_is_for() {
    // channels.archive's body is named after it, not after the operation it shares a shape with.
    let requests = rocketchat("requests.rs");
    let archive = requests
        .items
        .iter()
        .find_map(|item| match item {
            syn::Item::Struct(s) if s.ident == "PostChannelsArchiveRequest" => Some(s),
            _ => None,
        })
        .unwrap();
    let body = archive
        .fields
        .iter()
        .find(|f| f.ident.as_ref().is_some_and(|i| i == "body"))
        .unwrap();
    assert!(
        tokens(&body.ty).contains("ChannelsArchive"),
        "{}",
        tokens(&body.ty)
    );

    // No type or variant is numbered for want of a name.
    let numbered = |name: &str| {
        ["Object", "Variant"].iter().any(|stem| {
            name.strip_prefix(stem)
                .is_some_and(|rest| rest.chars().all(|c| c.is_ascii_digit()))
                || name.rsplit_once(stem).is_some_and(|(_, rest)| {
                    !rest.is_empty() && rest.chars().all(|c| c.is_ascii_digit())
                })
        })
    };
    let types = rocketchat("types.rs");
    for item in &types.items {
        let names: Vec<String> = match item {
            syn::Item::Struct(s) => vec![s.ident.to_string()],
            syn::Item::Type(t) => vec![t.ident.to_string()],
            syn::Item::Enum(e) => std::iter::once(e.ident.to_string())
                .chain(e.variants.iter().map(|v| v.ident.to_string()))
                .collect(),
            _ => Vec::new(),
        };
        for name in names {
            assert!(!numbered(&name), "{name}");
        }
    }
}

#[test]
fn rocketchat_structs_of_optional_fields_are_default() {
    let types = rocketchat("types.rs");
    let written: Vec<String> = types
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i)
                if i.trait_
                    .as_ref()
                    .is_some_and(|(t, _)| tokens(t).ends_with("Default")) =>
            {
                Some(tokens(&i.self_ty))
            }
            _ => None,
        })
        .collect();
    // How each struct reads its fields (its `de::Object`, naming a slot per field), by the
    // struct's name.
    let deserialize_impls: std::collections::BTreeMap<String, String> = types
        .items
        .iter()
        .filter_map(|item| match item {
            syn::Item::Impl(i)
                if i.trait_
                    .as_ref()
                    .is_some_and(|(t, _)| tokens(t).ends_with("de :: Object")) =>
            {
                let ty = tokens(&i.self_ty);
                Some((ty.rsplit(' ').next()?.to_owned(), tokens(i)))
            }
            _ => None,
        })
        .collect();
    let mut optional_only = 0;
    for item in &types.items {
        let syn::Item::Struct(s) = item else {
            continue;
        };
        // Every field may be absent when the struct's `Deserialize` requires none (it takes
        // `None`, the spec's default or the flattened map of other properties for them).
        let name = s.ident.to_string();
        // Multipart bodies are read part by part, not as JSON.
        let Some(deserialize) = deserialize_impls.get(&name) else {
            continue;
        };
        if deserialize.contains("de :: Required") {
            continue;
        }
        optional_only += 1;
        let derived = s
            .attrs
            .iter()
            .any(|a| a.path().is_ident("derive") && tokens(a).contains("Default"));
        assert!(
            derived || written.contains(&s.ident.to_string()),
            "{} has only optional fields but no Default",
            s.ident
        );
    }
    assert!(optional_only > 500, "{optional_only}");
}
