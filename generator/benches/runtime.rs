//! The generated runtime's overhead on a simple JSON call, client and server together,
//! against a hand-written reqwest + axum pair doing the same work over loopback, in one run:
//! `cargo bench -p generator --bench runtime [-- CALLS_PER_ROUND ROUNDS]`.
//!
//! Both pairs run in one process on one runtime, each server behind `axum::serve` on its
//! own loopback port, each client with its own connection pool. The calls are sequential
//! (one in flight), so a call's time is the whole round trip: client encoding, HTTP on
//! both sides, routing, server decoding and checking, the answer's encoding and decoding.
//! Rounds alternate between the two pairs, and which goes first, so that a slower moment
//! of a shared machine falls on both; each pair's figure is its median round.

use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::extract::Path;
use axum::http::StatusCode;
use axum::Json;
use petstore::requests::{CreatePetsRequest, ShowPetByIdRequest};
use petstore::responses::{CreatePetsResponse, ShowPetByIdResponse};
use petstore::server::{Problem, SwaggerPetstore};
use serde::{Deserialize, Serialize};

/// The pet as a hand-written program would declare it.
#[derive(Debug, Clone, Serialize, Deserialize, PartialEq)]
struct Pet {
    id: i64,
    name: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    tag: Option<String>,
}

fn pet(id: i64) -> Pet {
    Pet {
        id,
        name: format!("pet {id}"),
        tag: Some("dog".to_owned()),
    }
}

/// The generated server's implementation: the same answers as the hand-written one.
struct Generated;

impl SwaggerPetstore for Generated {
    async fn list_pets(
        self: Arc<Self>,
        _: petstore::requests::ListPetsRequest,
    ) -> Result<petstore::responses::ListPetsResponse, Problem> {
        Err(Problem::new(501, "not measured"))
    }

    async fn create_pets(
        self: Arc<Self>,
        CreatePetsRequest { body }: CreatePetsRequest,
    ) -> Result<CreatePetsResponse, Problem> {
        std::hint::black_box(body);
        Ok(CreatePetsResponse::Created)
    }

    async fn show_pet_by_id(
        self: Arc<Self>,
        ShowPetByIdRequest { pet_id }: ShowPetByIdRequest,
    ) -> Result<ShowPetByIdResponse, Problem> {
        let id = pet_id.parse().map_err(|_| Problem::new(400, "not an id"))?;
        let pet = pet(id);
        Ok(ShowPetByIdResponse::Ok(petstore::types::Pet {
            id: pet.id,
            name: pet.name,
            tag: pet.tag,
        }))
    }
}

/// The hand-written server.
fn hand_written_router() -> axum::Router {
    async fn show(Path(id): Path<String>) -> Result<Json<Pet>, StatusCode> {
        let id = id.parse().map_err(|_| StatusCode::BAD_REQUEST)?;
        Ok(Json(pet(id)))
    }
    async fn create(Json(body): Json<Pet>) -> StatusCode {
        std::hint::black_box(body);
        StatusCode::CREATED
    }
    axum::Router::new()
        .route("/pets/{pet_id}", axum::routing::get(show))
        .route("/pets", axum::routing::post(create))
}

async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// One call pair: fetch a pet, then create one.
trait Pair {
    async fn call(&self, id: i64);
}

struct HandWritten {
    http: reqwest::Client,
    url: String,
}

impl Pair for HandWritten {
    async fn call(&self, id: i64) {
        let response = self
            .http
            .get(format!("{}/pets/{id}", self.url))
            .send()
            .await
            .unwrap()
            .error_for_status()
            .unwrap();
        let got: Pet = response.json().await.unwrap();
        assert_eq!(got.id, id);
        let response = self
            .http
            .post(format!("{}/pets", self.url))
            .json(&got)
            .send()
            .await
            .unwrap();
        assert_eq!(response.status(), StatusCode::CREATED);
    }
}

impl Pair for petstore::client::Client {
    async fn call(&self, id: i64) {
        let ShowPetByIdResponse::Ok(got) =
            self.show_pet_by_id(id.to_string()).send().await.unwrap()
        else {
            panic!("not a pet");
        };
        assert_eq!(got.id, id);
        let created = self.create_pets(got).send().await.unwrap();
        assert_eq!(created, CreatePetsResponse::Created);
    }
}

/// The time per call pair of `calls` sequential ones.
async fn round(pair: &impl Pair, calls: u32) -> Duration {
    let start = Instant::now();
    for id in 0..calls {
        pair.call(i64::from(id)).await;
    }
    start.elapsed() / calls
}

fn median(mut times: Vec<Duration>) -> Duration {
    times.sort();
    times[times.len() / 2]
}

#[tokio::main(flavor = "multi_thread", worker_threads = 2)]
async fn main() {
    // `cargo bench` passes `--bench`; the numbers are ours.
    let mut args = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with('-'))
        .map(|a| {
            a.parse::<u32>()
                .expect("CALLS_PER_ROUND and ROUNDS are whole numbers")
        });
    let calls = args.next().unwrap_or(2000);
    let rounds = args.next().unwrap_or(15);
    let hand = HandWritten {
        http: reqwest::Client::new(),
        url: serve(hand_written_router()).await,
    };
    let generated =
        petstore::client::Client::new(&serve(petstore::server::router(Generated)).await).unwrap();
    // Warm up: connections, allocator, caches.
    round(&hand, calls / 4).await;
    round(&generated, calls / 4).await;
    let (mut hand_times, mut generated_times) = (Vec::new(), Vec::new());
    for i in 0..rounds {
        if i % 2 == 0 {
            hand_times.push(round(&hand, calls).await);
            generated_times.push(round(&generated, calls).await);
        } else {
            generated_times.push(round(&generated, calls).await);
            hand_times.push(round(&hand, calls).await);
        }
    }
    let (hand, generated) = (median(hand_times), median(generated_times));
    println!(
        "{rounds} rounds of {calls} call pairs (GET a pet as JSON, POST it back), median round:"
    );
    println!("  hand-written reqwest + axum: {hand:?} per pair");
    println!("  generated client + server:   {generated:?} per pair");
    println!(
        "  ratio generated / hand-written: {:.3}",
        generated.as_secs_f64() / hand.as_secs_f64()
    );
}
