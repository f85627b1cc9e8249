//! Conformance against tools no one here wrote: schemathesis (property-based tests from the
//! spec) against the generated server stub, and Prism (a validating mock from the spec)
//! against the generated client.
//!
//! These tests need the tools, so they are ignored by default; `cargo xtask conformance`
//! installs them into `.conformance/` and runs these tests with `CONFORMANCE_TOOLS` set.

use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::process::{Command, Stdio};
use std::sync::Arc;
use std::sync::Mutex;
use std::time::Duration;

use petstore_expanded::client::Client;
use petstore_expanded::requests::{
    AddPetRequest, DeletePetRequest, FindPetByIdRequest, FindPetsRequest,
};
use petstore_expanded::responses::{
    AddPetResponse, DeletePetResponse, FindPetByIdResponse, FindPetsResponse,
};
use petstore_expanded::server::{Problem, SwaggerPetstore};
use petstore_expanded::types::{ErrorModel, NewPet, Pet};

mod rocketchat_server;

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

/// An in-memory pet store, answering errors in the spec's own `Error` shape (`ErrorModel`,
/// apart from the client's `Error`).
#[derive(Default)]
struct Store {
    pets: Mutex<BTreeMap<i64, Pet>>,
}

fn error(status: u16, message: String) -> ErrorModel {
    ErrorModel {
        code: i32::from(status),
        message,
    }
}

impl SwaggerPetstore for Store {
    async fn find_pets(
        self: Arc<Self>,
        FindPetsRequest { tags, limit }: FindPetsRequest,
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

    async fn add_pet(
        self: Arc<Self>,
        AddPetRequest { body }: AddPetRequest,
    ) -> Result<AddPetResponse, Problem> {
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

    async fn find_pet_by_id(
        self: Arc<Self>,
        FindPetByIdRequest { id }: FindPetByIdRequest,
    ) -> Result<FindPetByIdResponse, Problem> {
        Ok(match self.pets.lock().unwrap().get(&id) {
            Some(pet) => FindPetByIdResponse::Ok(pet.clone()),
            None => FindPetByIdResponse::Default {
                status: 404,
                body: error(404, format!("no pet {id}")),
            },
        })
    }

    async fn delete_pet(
        self: Arc<Self>,
        DeletePetRequest { id }: DeletePetRequest,
    ) -> Result<DeletePetResponse, Problem> {
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
        // Its caches go beside the tools, not into the source tree.
        .current_dir(tools())
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
        Prism::start_with(spec, &[])
    }

    fn start_with(spec: &Path, options: &[&str]) -> Prism {
        let port = std::net::TcpListener::bind("127.0.0.1:0")
            .unwrap()
            .local_addr()
            .unwrap()
            .port();
        let child = Command::new(tools().join("node/node_modules/.bin/prism"))
            .args(["mock", spec.to_str().unwrap(), "--host", "127.0.0.1"])
            .args(["--port", &port.to_string(), "--errors"])
            .args(options)
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
        let all = client.find_pets();
        let some = client
            .find_pets()
            .tags(vec!["dog".to_owned(), "cat".to_owned()])
            .limit(5);
        for call in [all, some] {
            let response = call.send().await.unwrap();
            assert!(matches!(response, FindPetsResponse::Ok(_)), "{response:?}");
            calls += 1;
        }
        let new_pet = NewPet {
            name: "Rex".to_owned(),
            tag: Some("dog".to_owned()),
        };
        let response = client.add_pet(new_pet).send().await.unwrap();
        assert!(matches!(response, AddPetResponse::Ok(_)), "{response:?}");
        let response = client.find_pet_by_id(7).send().await.unwrap();
        assert!(
            matches!(response, FindPetByIdResponse::Ok(_)),
            "{response:?}"
        );
        let response = client.delete_pet(7).send().await.unwrap();
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

/// What a call came to: decoded, or why not.
fn outcome<T: std::fmt::Debug>(result: Result<T, rocketchat::client::Error>) -> Result<(), String> {
    result.map(|_| ()).map_err(|e| e.to_string())
}

#[test]
#[ignore = "needs prism: run `cargo xtask conformance`"]
fn prism_accepts_the_rocketchat_client_on_every_operation_of_a_document() {
    // Prism mocks one document; rooms.yaml has the most operations. `--dynamic` answers from
    // the schemas, not the spec's examples, some of which contradict their schemas.
    let prism = Prism::start_with(&spec("rocketchat/rooms.yaml"), &["--dynamic"]);
    let runtime = tokio::runtime::Runtime::new().unwrap();
    let mut client = rocketchat::client::Client::new(&prism.url).unwrap();
    client.set_x_auth_token("token");
    client.set_x_user_id("user");
    let channel: rocketchat::types::PostChannelsCreateBody = serde_json::from_value(
        serde_json::json!({"name": "general-2", "members": ["ann"], "readOnly": false}),
    )
    .unwrap();
    let upload = rocketchat::types::PostRoomsMediaBodyMultipart {
        file: rocketchat::multipart::FilePart::new("a.txt", "text/plain", b"hello".to_vec()),
        content: Some("a note".to_owned()),
    };
    // Every operation of rooms.yaml whose inputs are optional, strings or numbers: all but
    // a few. Optional inputs are left out, which every operation must accept.
    let results = runtime.block_on(async {
        vec![
            (
                "post_channels_create",
                outcome(client.post_channels_create().send().await),
            ),
            (
                "post_channels_add_all",
                outcome(client.post_channels_add_all().send().await),
            ),
            (
                "post_channels_add_leader",
                outcome(client.post_channels_add_leader().send().await),
            ),
            (
                "post_channels_add_moderator",
                outcome(client.post_channels_add_moderator().send().await),
            ),
            (
                "post_channels_add_owner",
                outcome(client.post_channels_add_owner().send().await),
            ),
            (
                "get_channels_anonymousread",
                outcome(client.get_channels_anonymousread().send().await),
            ),
            (
                "post_channels_archive",
                outcome(client.post_channels_archive().send().await),
            ),
            (
                "post_channels_close",
                outcome(client.post_channels_close().send().await),
            ),
            (
                "get_channels_counters",
                outcome(client.get_channels_counters().send().await),
            ),
            (
                "post_channels_delete",
                outcome(client.post_channels_delete().send().await),
            ),
            (
                "get_channels_files",
                outcome(client.get_channels_files().send().await),
            ),
            (
                "get_channels_history",
                outcome(client.get_channels_history().send().await),
            ),
            (
                "get_channels_info",
                outcome(client.get_channels_info().send().await),
            ),
            (
                "post_channels_invite",
                outcome(client.post_channels_invite().send().await),
            ),
            (
                "post_channels_join",
                outcome(client.post_channels_join().send().await),
            ),
            (
                "post_channels_kick",
                outcome(client.post_channels_kick().send().await),
            ),
            (
                "post_channels_leave",
                outcome(client.post_channels_leave().send().await),
            ),
            (
                "get_channels_list_joined",
                outcome(client.get_channels_list_joined().send().await),
            ),
            (
                "get_channels_list",
                outcome(client.get_channels_list().send().await),
            ),
            (
                "get_channels_members",
                outcome(client.get_channels_members().send().await),
            ),
            (
                "get_channels_messages",
                outcome(client.get_channels_messages("x").send().await),
            ),
            (
                "get_channels_moderators",
                outcome(client.get_channels_moderators().send().await),
            ),
            (
                "get_channels_online",
                outcome(client.get_channels_online("x").send().await),
            ),
            (
                "post_channels_open",
                outcome(client.post_channels_open().send().await),
            ),
            (
                "post_channels_remove_leader",
                outcome(client.post_channels_remove_leader().send().await),
            ),
            (
                "post_channels_remove_moderator",
                outcome(client.post_channels_remove_moderator().send().await),
            ),
            (
                "post_channels_remove_owner",
                outcome(client.post_channels_remove_owner().send().await),
            ),
            (
                "pos_api_v1_channels_rename",
                outcome(client.pos_api_v1_channels_rename().send().await),
            ),
            (
                "get_channels_roles",
                outcome(client.get_channels_roles().send().await),
            ),
            (
                "post_channels_set_announcement",
                outcome(client.post_channels_set_announcement().send().await),
            ),
            (
                "post_channels_set_custom_fields",
                outcome(client.post_channels_set_custom_fields().send().await),
            ),
            (
                "post_channels_set_default",
                outcome(client.post_channels_set_default().send().await),
            ),
            (
                "post_channels_set_description",
                outcome(client.post_channels_set_description().send().await),
            ),
            (
                "post_channels_set_join_code",
                outcome(client.post_channels_set_join_code().send().await),
            ),
            (
                "post_channels_set_purpose",
                outcome(client.post_channels_set_purpose().send().await),
            ),
            (
                "post_channels_set_read_only",
                outcome(client.post_channels_set_read_only().send().await),
            ),
            (
                "post_channels_set_topic",
                outcome(client.post_channels_set_topic().send().await),
            ),
            (
                "post_channels_set_type",
                outcome(client.post_channels_set_type().send().await),
            ),
            (
                "post_channels_unarchive",
                outcome(client.post_channels_unarchive().send().await),
            ),
            (
                "get_channels_get_all_user_mentions_by_channel",
                outcome(
                    client
                        .get_channels_get_all_user_mentions_by_channel("x")
                        .send()
                        .await,
                ),
            ),
            (
                "get_channels_get_integrations",
                outcome(client.get_channels_get_integrations("x").send().await),
            ),
            (
                "post_channels_convert_to_team",
                outcome(client.post_channels_convert_to_team().send().await),
            ),
            (
                "post_rooms_save_notification",
                outcome(client.post_rooms_save_notification().send().await),
            ),
            (
                "get_rooms_admin_rooms",
                outcome(client.get_rooms_admin_rooms().send().await),
            ),
            (
                "get_api_v1_rooms_clean_history",
                outcome(client.get_api_v1_rooms_clean_history().send().await),
            ),
            (
                "get_rooms_info",
                outcome(client.get_rooms_info().send().await),
            ),
            (
                "get_rooms_get_discussions",
                outcome(client.get_rooms_get_discussions().send().await),
            ),
            (
                "get_rooms_get",
                outcome(client.get_rooms_get().send().await),
            ),
            (
                "post_rooms_join",
                outcome(client.post_rooms_join().send().await),
            ),
            (
                "post_rooms_leave",
                outcome(client.post_rooms_leave().send().await),
            ),
            (
                "get_api_v1_rooms_delete",
                outcome(client.get_api_v1_rooms_delete().send().await),
            ),
            (
                "post_rooms_favorite",
                outcome(client.post_rooms_favorite().send().await),
            ),
            (
                "get_rooms_autocomplete_available_for_teams",
                outcome(
                    client
                        .get_rooms_autocomplete_available_for_teams("x")
                        .send()
                        .await,
                ),
            ),
            (
                "get_rooms_autocomplete_channel_and_private",
                outcome(
                    client
                        .get_rooms_autocomplete_channel_and_private("x")
                        .send()
                        .await,
                ),
            ),
            (
                "get_rooms_autocomplete_admin_rooms",
                outcome(client.get_rooms_autocomplete_admin_rooms("x").send().await),
            ),
            (
                "get_rooms_admin_rooms_get_room",
                outcome(client.get_rooms_admin_rooms_get_room("x").send().await),
            ),
            (
                "post_rooms_save_room_settings",
                outcome(client.post_rooms_save_room_settings().send().await),
            ),
            (
                "get_rooms_name_exists",
                outcome(client.get_rooms_name_exists("x").send().await),
            ),
            (
                "post_rooms_autocomplete_channel_and_private",
                outcome(
                    client
                        .post_rooms_autocomplete_channel_and_private()
                        .send()
                        .await,
                ),
            ),
            (
                "post_rooms_export",
                outcome(client.post_rooms_export().send().await),
            ),
            (
                "post_rooms_mute_user",
                outcome(client.post_rooms_mute_user().send().await),
            ),
            (
                "post_rooms_unmute_user",
                outcome(client.post_rooms_unmute_user().send().await),
            ),
            (
                "post_rooms_create_discussion",
                outcome(client.post_rooms_create_discussion().send().await),
            ),
            (
                "get_rooms_images",
                outcome(client.get_rooms_images("x").send().await),
            ),
            (
                "get_audit_rooms_members",
                outcome(client.get_audit_rooms_members("x").send().await),
            ),
            (
                "get_rooms_members_ordered_by_role",
                outcome(client.get_rooms_members_ordered_by_role("x").send().await),
            ),
            (
                "post_teams_create",
                outcome(client.post_teams_create().send().await),
            ),
            (
                "get_teams_list_all",
                outcome(client.get_teams_list_all().send().await),
            ),
            (
                "get_teams_list",
                outcome(client.get_teams_list().send().await),
            ),
            (
                "get_teams_info",
                outcome(client.get_teams_info().send().await),
            ),
            (
                "post_teams_update",
                outcome(client.post_teams_update().send().await),
            ),
            (
                "post_teams_add_members",
                outcome(client.post_teams_add_members().send().await),
            ),
            (
                "get_teams_members",
                outcome(client.get_teams_members().send().await),
            ),
            (
                "post_teams_update_members",
                outcome(client.post_teams_update_members().send().await),
            ),
            (
                "post_teams_leave",
                outcome(client.post_teams_leave().send().await),
            ),
            (
                "post_teams_remove_member",
                outcome(client.post_teams_remove_member().send().await),
            ),
            (
                "post_teams_delete",
                outcome(client.post_teams_delete().send().await),
            ),
            (
                "get_teams_autocomplete",
                outcome(client.get_teams_autocomplete("x").send().await),
            ),
            (
                "post_teams_convert_to_channel",
                outcome(client.post_teams_convert_to_channel().send().await),
            ),
            (
                "post_teams_add_rooms",
                outcome(client.post_teams_add_rooms().send().await),
            ),
            (
                "post_teams_remove_room",
                outcome(client.post_teams_remove_room().send().await),
            ),
            (
                "post_teams_update_room",
                outcome(client.post_teams_update_room().send().await),
            ),
            (
                "get_teams_list_rooms",
                outcome(client.get_teams_list_rooms().send().await),
            ),
            (
                "get_teams_list_rooms_of_user",
                outcome(client.get_teams_list_rooms_of_user("x").send().await),
            ),
            (
                "get_teams_list_children",
                outcome(client.get_teams_list_children().send().await),
            ),
            (
                "get_groups_online",
                outcome(client.get_groups_online("x").send().await),
            ),
            (
                "get_groups_get_integrations",
                outcome(client.get_groups_get_integrations("x").send().await),
            ),
            (
                "post_groups_add_all",
                outcome(client.post_groups_add_all().send().await),
            ),
            (
                "post_groups_add_leader",
                outcome(client.post_groups_add_leader().send().await),
            ),
            (
                "post_groups_add_moderator",
                outcome(client.post_groups_add_moderator().send().await),
            ),
            (
                "post_groups_add_owner",
                outcome(client.post_groups_add_owner().send().await),
            ),
            (
                "post_groups_archive",
                outcome(client.post_groups_archive().send().await),
            ),
            (
                "post_groups_close",
                outcome(client.post_groups_close().send().await),
            ),
            (
                "get_groups_counters",
                outcome(client.get_groups_counters().send().await),
            ),
            (
                "post_groups_create",
                outcome(client.post_groups_create().send().await),
            ),
            (
                "post_groups_delete",
                outcome(client.post_groups_delete().send().await),
            ),
            (
                "get_groups_history",
                outcome(client.get_groups_history("x").send().await),
            ),
            (
                "get_groups_info",
                outcome(client.get_groups_info().send().await),
            ),
            (
                "post_groups_invite",
                outcome(client.post_groups_invite().send().await),
            ),
            (
                "post_groups_kick",
                outcome(client.post_groups_kick().send().await),
            ),
            (
                "post_groups_leave",
                outcome(client.post_groups_leave().send().await),
            ),
            (
                "get_groups_list_all",
                outcome(client.get_groups_list_all().send().await),
            ),
            (
                "get_groups_list",
                outcome(client.get_groups_list().send().await),
            ),
            (
                "get_groups_members",
                outcome(client.get_groups_members().send().await),
            ),
            (
                "get_groups_messages",
                outcome(client.get_groups_messages().send().await),
            ),
            (
                "get_groups_moderators",
                outcome(client.get_groups_moderators().send().await),
            ),
            (
                "post_groups_open",
                outcome(client.post_groups_open().send().await),
            ),
            (
                "post_groups_remove_leader",
                outcome(client.post_groups_remove_leader().send().await),
            ),
            (
                "post_groups_remove_moderator",
                outcome(client.post_groups_remove_moderator().send().await),
            ),
            (
                "post_groups_remove_owner",
                outcome(client.post_groups_remove_owner().send().await),
            ),
            (
                "post_groups_rename",
                outcome(client.post_groups_rename().send().await),
            ),
            (
                "post_groups_set_announcement",
                outcome(client.post_groups_set_announcement().send().await),
            ),
            (
                "post_groups_set_custom_fields",
                outcome(client.post_groups_set_custom_fields().send().await),
            ),
            (
                "post_groups_set_description",
                outcome(client.post_groups_set_description().send().await),
            ),
            (
                "post_groups_set_purpose",
                outcome(client.post_groups_set_purpose().send().await),
            ),
            (
                "post_groups_set_read_only",
                outcome(client.post_groups_set_read_only().send().await),
            ),
            (
                "post_groups_set_topic",
                outcome(client.post_groups_set_topic().send().await),
            ),
            (
                "post_groups_set_type",
                outcome(client.post_groups_set_type().send().await),
            ),
            (
                "post_groups_unarchive",
                outcome(client.post_groups_unarchive().send().await),
            ),
            (
                "get_groups_files",
                outcome(client.get_groups_files().send().await),
            ),
            (
                "post_groups_set_encrypted",
                outcome(client.post_groups_set_encrypted().send().await),
            ),
            (
                "post_groups_convert_to_team",
                outcome(client.post_groups_convert_to_team().send().await),
            ),
            (
                "get_groups_roles",
                outcome(client.get_groups_roles("x").send().await),
            ),
            (
                "post_rooms_open",
                outcome(client.post_rooms_open().send().await),
            ),
            (
                "post_rooms_hide",
                outcome(client.post_rooms_hide().send().await),
            ),
            (
                "post_find_or_create_invite",
                outcome(client.post_find_or_create_invite().send().await),
            ),
            (
                "get_rooms_roles",
                outcome(client.get_rooms_roles("x").send().await),
            ),
            (
                "get_rooms_is_member",
                outcome(
                    client
                        .get_rooms_is_member(rocketchat::requests::GetRoomsIsMemberRequired {
                            room_id: "x".to_owned(),
                            user_id: "x".to_owned(),
                        })
                        .send()
                        .await,
                ),
            ),
            (
                "get_rooms_autocomplete_channel_and_private_with_pagination",
                outcome(
                    client
                        .get_rooms_autocomplete_channel_and_private_with_pagination("x")
                        .send()
                        .await,
                ),
            ),
            (
                "post_rooms_media",
                outcome(client.post_rooms_media("x").send().await),
            ),
            // With bodies too: JSON and multipart.
            (
                "post_channels_create with a body",
                outcome(
                    client
                        .post_channels_create()
                        .body(channel.clone())
                        .send()
                        .await,
                ),
            ),
            (
                "post_rooms_media with a file",
                outcome(
                    client
                        .post_rooms_media("x")
                        .body(upload.clone())
                        .send()
                        .await,
                ),
            ),
            (
                "post_rooms_media_confirm_rid_file_id",
                outcome(
                    client
                        .post_rooms_media_confirm_rid_file_id("x", "x")
                        .send()
                        .await,
                ),
            ),
            (
                "post_uploads_delete",
                outcome(client.post_uploads_delete().send().await),
            ),
            (
                "get_list_invites",
                outcome(client.get_list_invites().send().await),
            ),
            (
                "delete_remove_invite_id",
                outcome(client.delete_remove_invite_id("x").send().await),
            ),
            (
                "get_abac_attributes",
                outcome(client.get_abac_attributes().send().await),
            ),
            (
                "post_abac_attributes",
                outcome(client.post_abac_attributes().send().await),
            ),
            (
                "post_abac_users_sync",
                outcome(client.post_abac_users_sync().send().await),
            ),
            (
                "get_abac_rooms",
                outcome(client.get_abac_rooms().send().await),
            ),
            (
                "get_abac_audit",
                outcome(client.get_abac_audit().send().await),
            ),
            (
                "get_abac_pdp_health",
                outcome(client.get_abac_pdp_health().send().await),
            ),
            (
                "get_subscriptions_get",
                outcome(client.get_subscriptions_get().send().await),
            ),
            (
                "get_subscriptions_get_one",
                outcome(client.get_subscriptions_get_one("x").send().await),
            ),
            (
                "post_subscriptions_read",
                outcome(client.post_subscriptions_read().send().await),
            ),
            (
                "post_subscriptions_unread",
                outcome(client.post_subscriptions_unread().send().await),
            ),
        ]
    });
    let log = prism.stop();
    let failures: Vec<String> = results
        .iter()
        .filter_map(|(name, result)| result.as_ref().err().map(|e| format!("{name}: {e}")))
        .collect();
    println!(
        "prism (rocketchat rooms.yaml): {} operations called, {} failed",
        results.len(),
        failures.len()
    );
    assert!(failures.is_empty(), "{}\n{log}", failures.join("\n"));
    assert!(
        !log.contains("Request violation"),
        "prism saw a request that violates the spec"
    );
}

/// Rocket.Chat's authentication operations, in memory: any login opens a session (the spec
/// declares no other answer to it), `me` and logout need that session.
mod rocketchat_auth {
    use std::sync::{Arc, Mutex};

    use rocketchat::requests::{GetMeRequest, PostLoginRequest, PostLogoutRequest};
    use rocketchat::responses::{GetMeResponse, PostLoginResponse, PostLogoutResponse};
    use rocketchat::server::{Problem, Rocketchat};
    use rocketchat::types::{PostLoginOk, PostLoginOkData, PostLogoutOk};

    #[derive(Default)]
    pub struct Sessions {
        tokens: Mutex<Vec<String>>,
    }

    impl Sessions {
        /// The token is a client-level header: an `Option`, always `Some` on the server.
        fn check(&self, token: Option<&str>) -> Result<(), Problem> {
            if self
                .tokens
                .lock()
                .unwrap()
                .iter()
                .any(|t| Some(t.as_str()) == token)
            {
                Ok(())
            } else {
                Err(Problem::new(401, "not logged in"))
            }
        }
    }

    impl Rocketchat for Sessions {
        async fn post_login(
            self: Arc<Self>,
            request: PostLoginRequest,
        ) -> Result<PostLoginResponse, Problem> {
            let mut tokens = self.tokens.lock().unwrap();
            let token = format!("token-{}", tokens.len());
            tokens.push(token.clone());
            let user = request.body.and_then(|b| b.user).unwrap_or_default();
            Ok(PostLoginResponse::Ok(PostLoginOk {
                status: Some("success".to_owned()),
                data: Some(PostLoginOkData {
                    auth_token: Some(token),
                    user_id: Some(format!("{user}-id")),
                    me: None,
                }),
            }))
        }

        async fn get_me(self: Arc<Self>, request: GetMeRequest) -> Result<GetMeResponse, Problem> {
            self.check(request.x_auth_token.as_deref())?;
            let me = serde_json::json!({"_id": "user-id", "username": "user", "active": true});
            Ok(GetMeResponse::Ok(serde_json::from_value(me).unwrap()))
        }

        async fn post_logout(
            self: Arc<Self>,
            request: PostLogoutRequest,
        ) -> Result<PostLogoutResponse, Problem> {
            let token = request.x_auth_token;
            self.check(token.as_deref())?;
            self.tokens
                .lock()
                .unwrap()
                .retain(|t| Some(t.as_str()) != token.as_deref());
            Ok(PostLogoutResponse::Ok(PostLogoutOk {
                status: Some("success".to_owned()),
                data: None,
            }))
        }
    }
}

#[test]
#[ignore = "needs schemathesis: run `cargo xtask conformance`"]
fn schemathesis_finds_no_failure_in_the_rocketchat_authentication_server() {
    let router = rocketchat::server::router(rocketchat_auth::Sessions::default());
    let (url, _runtime) = serve_in_background(router);
    let output = Command::new(tools().join("venv/bin/schemathesis"))
        // Its caches go beside the tools, not into the source tree.
        .current_dir(tools())
        .args([
            "run",
            spec("rocketchat/authentication.yaml").to_str().unwrap(),
        ])
        .args([
            "--url",
            &url,
            "--checks",
            "all",
            "--workers",
            "1",
            "--max-examples",
            "50",
        ])
        .args(["--seed", "1", "--no-color"])
        .args(["--include-operation-id", "post-api-v1-login"])
        .args(["--include-operation-id", "get-api-v1-me"])
        .args(["--include-operation-id", "post-api-v1-logout"])
        // Rocket.Chat's documents declare no 400 for their operations, while the real server
        // (like this stub) answers 400 to malformed input; every other check stays on.
        .args(["--exclude-checks", "status_code_conformance"])
        .stdin(Stdio::null())
        .output()
        .unwrap();
    println!("{}", String::from_utf8_lossy(&output.stdout));
    eprintln!("{}", String::from_utf8_lossy(&output.stderr));
    assert!(
        output.status.success(),
        "schemathesis reported failures (above)"
    );
}
