//! Webhooks and callbacks over loopback, from `specs/pet-events.yaml`: the generated
//! sender sends each to the generated receiver's router, which hands the typed payload to
//! its `Webhooks` implementation, answers typed, and refuses a malformed payload with 400.
//! A callback goes to the URL the API's client gave in its request, read from the request
//! as the callback's runtime expression says.

use std::sync::{Arc, Mutex};

use pet_events::client::Client;
use pet_events::requests::{
    NewPetRequest, PetDeletedRequest, SubscribeOnPetEventRequest, SubscribeOnPetRemovedRequest,
    SubscribeRequest,
};
use pet_events::responses::{
    NewPetResponse, PetDeletedResponse, SubscribeOnPetEventResponse, SubscribeOnPetRemovedResponse,
    SubscribeResponse,
};
use pet_events::server::{PetEvents, Problem};
use pet_events::types::{NewPetOk, Pet, PetDeletedBody, PetEvent, PetEventKind, SubscribeBody};
use pet_events::webhooks::receiver::{self, Webhooks};
use pet_events::webhooks::sender::Sender;

use crate::support::{check_outside, workspace};

/// Serves `router` under `/hooks` on 127.0.0.1 at a free port; returns the base URL.
async fn serve(router: axum::Router) -> String {
    let router = axum::Router::new().nest("/hooks", router);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}/hooks")
}

fn pet(name: &str) -> Pet {
    Pet {
        id: 7,
        name: name.to_owned(),
        tag: None,
    }
}

/// What the receiver got, in order.
#[derive(Debug, PartialEq)]
enum Received {
    NewPet(NewPetRequest),
    PetDeleted(PetDeletedRequest),
    PetEvent(SubscribeOnPetEventRequest),
    PetRemoved(SubscribeOnPetRemovedRequest),
}

#[derive(Clone, Default)]
struct Receiver(Arc<Mutex<Vec<Received>>>);

impl Webhooks for Receiver {
    async fn new_pet(self: Arc<Self>, request: NewPetRequest) -> Result<NewPetResponse, Problem> {
        let gone = request.body.name == "gone";
        self.0.lock().unwrap().push(Received::NewPet(request));
        Ok(if gone {
            NewPetResponse::Gone
        } else {
            NewPetResponse::Ok(NewPetOk { accepted: true })
        })
    }

    async fn pet_deleted(
        self: Arc<Self>,
        request: PetDeletedRequest,
    ) -> Result<PetDeletedResponse, Problem> {
        self.0.lock().unwrap().push(Received::PetDeleted(request));
        Ok(PetDeletedResponse::Default { status: 202 })
    }

    async fn subscribe_on_pet_event(
        self: Arc<Self>,
        request: SubscribeOnPetEventRequest,
    ) -> Result<SubscribeOnPetEventResponse, Problem> {
        self.0.lock().unwrap().push(Received::PetEvent(request));
        Ok(SubscribeOnPetEventResponse::NoContent)
    }

    async fn subscribe_on_pet_removed(
        self: Arc<Self>,
        request: SubscribeOnPetRemovedRequest,
    ) -> Result<SubscribeOnPetRemovedResponse, Problem> {
        self.0.lock().unwrap().push(Received::PetRemoved(request));
        Ok(SubscribeOnPetRemovedResponse::NoContent)
    }
}

#[tokio::test]
async fn each_webhook_arrives_typed_and_is_answered_typed() {
    let receiver = Receiver::default();
    let base = serve(receiver::router(receiver.clone())).await;
    let to_new_pet = Sender::new(&format!("{base}/newPet")).unwrap();
    let answer = to_new_pet.new_pet("d-1", pet("Rex")).send().await.unwrap();
    assert_eq!(answer, NewPetResponse::Ok(NewPetOk { accepted: true }));
    let answer = to_new_pet.new_pet("d-2", pet("gone")).send().await.unwrap();
    assert_eq!(answer, NewPetResponse::Gone);
    let to_pet_deleted = Sender::new(&format!("{base}/pet.deleted")).unwrap();
    let answer = to_pet_deleted
        .pet_deleted()
        .body(PetDeletedBody { id: 3 })
        .send()
        .await
        .unwrap();
    assert_eq!(answer, PetDeletedResponse::Default { status: 202 });
    assert_eq!(
        *receiver.0.lock().unwrap(),
        [
            Received::NewPet(NewPetRequest {
                x_delivery: "d-1".to_owned(),
                body: pet("Rex"),
            }),
            Received::NewPet(NewPetRequest {
                x_delivery: "d-2".to_owned(),
                body: pet("gone"),
            }),
            Received::PetDeleted(PetDeletedRequest {
                body: Some(PetDeletedBody { id: 3 }),
            }),
        ]
    );
}

#[tokio::test]
async fn a_malformed_webhook_is_refused_before_the_implementation_sees_it() {
    let receiver = Receiver::default();
    let base = serve(receiver::router(receiver.clone())).await;
    let http = reqwest::Client::new();
    let post = |path: &str, delivery: Option<&str>, body: &str| {
        let mut request = http
            .post(format!("{base}/{path}"))
            .header("content-type", "application/json")
            .body(body.to_owned());
        if let Some(delivery) = delivery {
            request = request.header("x-delivery", delivery);
        }
        request.send()
    };
    let cases = [
        // Not a pet: the id is text.
        ("newPet", Some("d"), r#"{"id": "seven", "name": "Rex"}"#),
        // The name breaks its maxLength.
        (
            "newPet",
            Some("d"),
            r#"{"id": 7, "name": "a name far too long to be a pet's"}"#,
        ),
        // The required header is missing.
        ("newPet", None, r#"{"id": 7, "name": "Rex"}"#),
        // The id breaks its minimum.
        ("pet.deleted", None, r#"{"id": 0}"#),
    ];
    for (path, delivery, body) in cases {
        let status = post(path, delivery, body).await.unwrap().status();
        assert_eq!(status, 400, "{path} {delivery:?} {body}");
    }
    // Each webhook is at its own route only.
    let status = post("newPet/more", Some("d"), "{}").await.unwrap().status();
    assert_eq!(status, 404);
    assert!(receiver.0.lock().unwrap().is_empty());
}

/// The API's server: each subscription gets a callback at the URL its request gave.
struct Api;

impl PetEvents for Api {
    async fn subscribe(
        self: Arc<Self>,
        request: SubscribeRequest,
    ) -> Result<SubscribeResponse, Problem> {
        // `{$request.body#/callbackUrl}`, evaluated against the request.
        let url = request.subscribe_on_pet_event_url();
        assert_eq!(url.as_deref(), Some(request.body.callback_url.as_str()));
        let sender = Sender::new(&url.unwrap()).map_err(|e| Problem::new(400, e.to_string()))?;
        let event = PetEvent {
            pet: pet("Rex"),
            kind: PetEventKind::Sold,
        };
        match sender.subscribe_on_pet_event(event).send().await {
            Ok(SubscribeOnPetEventResponse::NoContent) => Ok(SubscribeResponse::Created),
            Err(e) => Err(Problem::new(502, e.to_string())),
        }
    }
}

#[tokio::test]
async fn a_callback_goes_to_the_url_the_request_gave() {
    let receiver = Receiver::default();
    let hooks = serve(receiver::router(receiver.clone())).await;
    let api = serve(pet_events::server::router(Api)).await;
    let client = Client::new(&api).unwrap();
    // The query of the URL given is kept: the callback goes to exactly that URL.
    let callback_url = format!("{hooks}/subscribe/onPetEvent?subscriber=1");
    let answer = client
        .subscribe(SubscribeBody { callback_url })
        .send()
        .await
        .unwrap();
    assert_eq!(answer, SubscribeResponse::Created);
    assert_eq!(
        *receiver.0.lock().unwrap(),
        [Received::PetEvent(SubscribeOnPetEventRequest {
            body: PetEvent {
                pet: pet("Rex"),
                kind: PetEventKind::Sold,
            },
        })]
    );
}

#[test]
fn a_callback_url_is_read_from_the_request_it_follows() {
    let request = SubscribeRequest {
        notify: Some("http://hooks.example/gone".to_owned()),
        body: SubscribeBody {
            callback_url: "http://hooks.example/pets".to_owned(),
        },
    };
    // `{$request.body#/callbackUrl}`
    let url = request.subscribe_on_pet_event_url();
    assert_eq!(url.as_deref(), Some("http://hooks.example/pets"));
    // `{$request.query.notify}?reason=removed`
    let url = request.subscribe_on_pet_removed_url();
    assert_eq!(
        url.as_deref(),
        Some("http://hooks.example/gone?reason=removed")
    );
    let without = SubscribeRequest {
        notify: None,
        ..request
    };
    assert_eq!(without.subscribe_on_pet_removed_url(), None);
}

/// The crate of a document of webhooks only (`tests/fixtures/webhooks-only.yaml`) checks
/// without a warning with the client and the server each on and off. Slow (`cargo check`
/// outside the workspace, in `target/vendored` beside the vendoring and mutation tests),
/// so ignored by default; CI runs it with `--ignored`.
#[test]
#[ignore = "cargo check of a generated crate, four times; minutes"]
fn a_webhooks_only_crate_checks_without_warnings_with_each_side_on_and_off() {
    let fixture = "tests/fixtures/webhooks-only.yaml";
    let text = std::fs::read_to_string(workspace().join("generator").join(fixture)).unwrap();
    let input = generator::ApiInput {
        name: "webhooks-only".to_owned(),
        origin: "webhooks-only.yaml".to_owned(),
        sources: vec![generator::load::Source {
            path: fixture.to_owned(),
            text,
        }],
        ..Default::default()
    };
    let output = generator::generate(&input).unwrap();
    let dir = std::env::temp_dir().join(format!("webhooks-only-{}", std::process::id()));
    // TLS (the default `rustls`) is left out: it adds nothing the generated code uses.
    let failures = check_outside(
        output.files,
        &dir,
        &[
            &["--no-default-features"],
            &["--no-default-features", "--features", "client"],
            &["--no-default-features", "--features", "server"],
            &[
                "--no-default-features",
                "--features",
                "client,server,server-defaults,tracing,middleware",
            ],
        ],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}
