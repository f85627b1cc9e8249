//! Conformance against tools no one here wrote: schemathesis (property-based tests from the
//! spec) against the generated server stub, and Prism (a validating mock from the spec)
//! against the generated client.
//!
//! These tests need the tools, so they are ignored by default; `cargo xtask conformance`
//! installs them into `.conformance/` and runs these tests with `CONFORMANCE_TOOLS` set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Mutex;
use std::time::Duration;

use petstore_expanded::client::Client;
use petstore_expanded::responses::{
    AddPetResponse, DeletePetResponse, FindPetByIdResponse, FindPetsResponse,
};
use petstore_expanded::server::{PetstoreExpanded, Problem};
use petstore_expanded::types::{Error, NewPet, Pet};

fn tools() -> PathBuf {
    PathBuf::from(std::env::var("CONFORMANCE_TOOLS").expect(
        "CONFORMANCE_TOOLS names the folder `cargo xtask conformance` installs the tools in",
    ))
}

fn spec(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../specs")
        .join(name)
}

/// An in-memory pet store, answering errors in the spec's own `Error` shape.
#[derive(Default)]
struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
}

fn error(status: u16, message: String) -> Error {
    Error {
        code: i32::from(status),
        message,
    }
}

impl PetstoreExpanded for Store {
    async fn find_pets(
        &self,
        tags: Option<Vec<String>>,
        limit: Option<i32>,
    ) -> Result<FindPetsResponse, Problem> {
        let pets = self.pets.lock().unwrap();
        let limit = limit.map_or(usize::MAX, |l| usize::try_from(l).unwrap_or(0));
        let found = pets
            .values()
            .filter(|p| match &tags {
                Some(tags) if !tags.is_empty() => p.tag.as_ref().is_some_and(|t| tags.contains(t)),
                _ => true,
            })
            .take(limit)
            .cloned()
            .collect();
        Ok(FindPetsResponse::Ok(found))
    }

    async fn add_pet(&self, body: NewPet) -> Result<AddPetResponse, Problem> {
        let mut pets = self.pets.lock().unwrap();
        let id = pets.keys().next_back().map_or(1, |last| last + 1);
        let pet = Pet {
            name: body.name,
            tag: body.tag,
            id,
        };
        pets.insert(id, pet.clone());
        Ok(AddPetResponse::Ok(pet))
    }

    async fn find_pet_by_id(&self, id: i64) -> Result<FindPetByIdResponse, Problem> {
        Ok(match self.pets.lock().unwrap().get(&id) {
            Some(pet) => FindPetByIdResponse::Ok(pet.clone()),
            None => FindPetByIdResponse::Default {
                status: 404,
                body: error(404, format!("no pet {id}")),
            },
        })
    }

    async fn delete_pet(&self, id: i64) -> Result<DeletePetResponse, Problem> {
        Ok(match self.pets.lock().unwrap().remove(&id) {
            Some(_) => DeletePetResponse::NoContent,
            None => DeletePetResponse::Default {
                status: 404,
                body: error(404, format!("no pet {id}")),
            },
        })
    }

    fn rejection(&self, problem: Problem) -> axum::response::Response {
        let body = error(problem.status, problem.detail.unwrap_or_default());
        let status = axum::http::StatusCode::from_u16(problem.status)
            .unwrap_or(axum::http::StatusCode::BAD_REQUEST);
        let json = serde_json::to_vec(&body).unwrap_or_default();
        axum::response::IntoResponse::into_response((
            status,
            [(axum::http::header::CONTENT_TYPE, "application/json")],
            json,
        ))
    }
}

/// Serves the router on 127.0.0.1 from a runtime of its own, for an outside process to call.
fn serve_in_background(router: axum::Router) -> (String, tokio::runtime::Runtime) {
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let listener = runtime
        .block_on(tokio::net::TcpListener::bind("127.0.0.1:0"))
        .unwrap();
    let address = listener.local_addr().unwrap();
    runtime.spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), runtime)
}

#[test]
#[ignore = "needs schemathesis: run `cargo xtask conformance`"]
fn schemathesis_finds_no_failure_in_the_petstore_expanded_server() {
    let (url, _runtime) = serve_in_background(petstore_expanded::server::router(Store::default()));
    let output = Command::new(tools().join("venv/bin/schemathesis"))
        .args(["run", spec("petstore-expanded.yaml").to_str().unwrap()])
        .args([
            "--url",
            &url,
            "--checks",
            "all",
            "--workers",
            "1",
            "--max-examples",
            "100",
        ])
        .args(["--seed", "1", "--no-color"])
        .env("SCHEMATHESIS_HOOKS", "")
        .stdin(Stdio::null())
        .output()
        .unwrap();
    let stdout = String::from_utf8_lossy(&output.stdout);
    println!("{stdout}");
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "schemathesis reported failures (above)"
    );
}

/// Runs a Prism mock of `spec`; it stops when dropped.
struct Prism {
    child: Option<std::process::Child>,
    url: String,
}

impl Prism {
    fn start(spec: &Path) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(tools().join("node/node_modules/.bin/prism"))
            .args(["mock", spec.to_str().unwrap(), "--host", "127.0.0.1"])
            .args(["--port", &port.to_string(), "--errors"])
            .stdin(Stdio::null())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .unwrap();
        let prism = Prism {
            child: Some(child),
            url: format!("http://127.0.0.1:{port}"),
        };
        for _ in 0..300 {
            if std::net::TcpStream::connect(("127.0.0.1", port)).is_ok() {
                return prism;
            }
            std::thread::sleep(Duration::from_millis(100));
        }
        panic!("prism did not start on port {port}: {}", prism.stop());
    }

    /// Stops the mock and returns what it logged.
    fn stop(mut self) -> String {
        let Some(mut child) = self.child.take() else {
            return String::new();
        };
        let _ = child.kill();
        let output = child.wait_with_output().unwrap();
        format!(
            "{}{}",
            String::from_utf8_lossy(&output.stdout),
            String::from_utf8_lossy(&output.stderr)
        )
    }
}

impl Drop for Prism {
    fn drop(&mut self) {
        if let Some(mut child) = self.child.take() {
            let _ = child.kill();
            let _ = child.wait();
        }
    }
}

#[test]
#[ignore = "needs prism: run `cargo xtask conformance`"]
fn prism_accepts_every_request_of_the_petstore_expanded_client() {
    let prism = Prism::start(&spec("petstore-expanded.yaml"));
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let client = Client::new(&prism.url).unwrap();
    let calls = runtime.block_on(async {
        let mut calls = 0;
        // Prism answers with an example or a schema-valid value; `--errors` turns any request
        // that violates the spec into an error response, which the client would report.
        for (tags, limit) in [
            (None, None),
            (Some(vec!["dog".to_owned(), "cat".to_owned()]), Some(5)),
        ] {
            let response = client.find_pets(tags.as_deref(), limit).await.unwrap();
            assert!(matches!(response, FindPetsResponse::Ok(_)), "{response:?}");
            calls += 1;
        }
        let new_pet = NewPet {
            name: "Rex".to_owned(),
            tag: Some("dog".to_owned()),
        };
        let response = client.add_pet(&new_pet).await.unwrap();
        assert!(matches!(response, AddPetResponse::Ok(_)), "{response:?}");
        let response = client.find_pet_by_id(7).await.unwrap();
        assert!(
            matches!(response, FindPetByIdResponse::Ok(_)),
            "{response:?}"
        );
        let response = client.delete_pet(7).await.unwrap();
        assert!(
            matches!(response, DeletePetResponse::NoContent),
            "{response:?}"
        );
        calls + 3
    });
    let log = prism.stop();
    println!("{log}");
    assert!(
        !log.contains("Request violation"),
        "prism saw a request that violates the spec"
    );
    println!("prism: {calls} requests from the generated client, 0 violations");
}
