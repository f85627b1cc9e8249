//! The generated client talks to the generated server stub over loopback.

use std::sync::{Arc, Mutex};

use crate::support::{check_outside, workspace};

use petstore::requests::{CreatePetsRequest, ListPetsRequest, ShowPetByIdRequest};
use petstore::responses::{CreatePetsResponse, ListPetsResponse, ShowPetByIdResponse};
use petstore::server::SwaggerPetstore;
use petstore::types::{ErrorModel, Pet};
use rocketchat_logout::requests::PostLogoutRequest;
use rocketchat_logout::responses::PostLogoutResponse;
use rocketchat_logout::server::{Authentication, Problem};
use rocketchat_logout::types::{PostLogoutOk, PostLogoutOkData};

/// Serves `router` on 127.0.0.1 at a free port for as long as the test's runtime lives, and
/// returns its base URL.
async fn serve(router: axum::Router) -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

/// Accepts one token; records the headers it was called with.
#[derive(Default)]
struct Logout {
    calls: Mutex<Vec<(String, String)>>,
}

impl Authentication for Logout {
    async fn post_logout(
        self: Arc<Self>,
        request: PostLogoutRequest,
    ) -> Result<PostLogoutResponse, Problem> {
        let PostLogoutRequest {
            x_auth_token,
            x_user_id,
        } = request;
        self.calls
            .lock()
            .unwrap()
            .push((x_auth_token.clone(), x_user_id));
        if x_auth_token != "token-1" {
            return Err(Problem::new(401, "invalid token"));
        }
        Ok(PostLogoutResponse::Ok(PostLogoutOk {
            status: Some("success".to_owned()),
            data: Some(PostLogoutOkData {
                message: Some("You've been logged out!".to_owned()),
            }),
        }))
    }
}

async fn logout_server() -> (String, Arc<Logout>) {
    // The router owns its implementation; share the call log through an Arc.
    struct Shared(Arc<Logout>);
    impl Authentication for Shared {
        async fn post_logout(
            self: Arc<Self>,
            request: PostLogoutRequest,
        ) -> Result<PostLogoutResponse, Problem> {
            Arc::clone(&self.0).post_logout(request).await
        }
    }
    let logout = Arc::new(Logout::default());
    let url = serve(rocketchat_logout::server::router(Shared(logout.clone()))).await;
    (url, logout)
}

#[tokio::test]
async fn seed_logout_round_trip() {
    let (url, logout) = logout_server().await;
    let client = rocketchat_logout::client::Client::new(&url).unwrap();
    let response = client
        .post_logout(PostLogoutRequest {
            x_auth_token: "token-1".to_owned(),
            x_user_id: "user-1".to_owned(),
        })
        .send()
        .await
        .unwrap();
    let PostLogoutResponse::Ok(body) = response;
    assert_eq!(body.status.as_deref(), Some("success"));
    assert_eq!(
        body.data.and_then(|d| d.message).as_deref(),
        Some("You've been logged out!")
    );
    assert_eq!(
        *logout.calls.lock().unwrap(),
        [("token-1".to_owned(), "user-1".to_owned())]
    );
}

#[tokio::test]
async fn seed_missing_header_is_answered_400_naming_it() {
    let (url, logout) = logout_server().await;
    let response = reqwest::Client::new()
        .post(format!("{url}/api/v1/logout"))
        .header("X-Auth-Token", "token-1")
        .send()
        .await
        .unwrap();
    assert_eq!(response.status().as_u16(), 400);
    assert_eq!(
        response.headers()["content-type"],
        "application/problem+json"
    );
    let problem: serde_json::Value = response.json().await.unwrap();
    assert_eq!(problem["status"], 400);
    assert_eq!(problem["location"], "header");
    assert_eq!(problem["parameter"], "X-User-Id");
    assert!(problem["detail"].as_str().unwrap().contains("X-User-Id"));
    assert!(
        logout.calls.lock().unwrap().is_empty(),
        "the implementation was not called"
    );
}

#[tokio::test]
async fn seed_client_reports_an_undeclared_status_with_its_body() {
    let (url, _) = logout_server().await;
    let client = rocketchat_logout::client::Client::new(&url).unwrap();
    let error = client
        .post_logout(PostLogoutRequest {
            x_auth_token: "wrong".to_owned(),
            x_user_id: "user-1".to_owned(),
        })
        .send()
        .await
        .unwrap_err();
    assert_eq!(error.status(), Some(401));
    let response = error.response().unwrap();
    let problem: serde_json::Value = serde_json::from_slice(&response.body).unwrap();
    assert_eq!(problem["detail"], "invalid token");
    assert_eq!(response.headers["content-type"], "application/problem+json");
}

/// An in-memory pet store.
#[derive(Default)]
struct Store {
    pets: Mutex<Vec<Pet>>,
}

impl SwaggerPetstore for Store {
    async fn list_pets(
        self: Arc<Self>,
        request: ListPetsRequest,
    ) -> Result<ListPetsResponse, petstore::server::Problem> {
        let pets = self.pets.lock().unwrap();
        let limit = request.limit.map_or(pets.len(), |l| l.max(0) as usize);
        let page: Vec<Pet> = pets.iter().take(limit).cloned().collect();
        let x_next = (page.len() < pets.len()).then(|| format!("/pets?offset={}", page.len()));
        Ok(ListPetsResponse::Ok { body: page, x_next })
    }

    async fn create_pets(
        self: Arc<Self>,
        CreatePetsRequest { body }: CreatePetsRequest,
    ) -> Result<CreatePetsResponse, petstore::server::Problem> {
        let mut pets = self.pets.lock().unwrap();
        if pets.iter().any(|p| p.id == body.id) {
            return Ok(CreatePetsResponse::Default {
                status: 409,
                body: ErrorModel {
                    code: 409,
                    message: format!("pet {} exists", body.id),
                },
            });
        }
        pets.push(body);
        Ok(CreatePetsResponse::Created)
    }

    async fn show_pet_by_id(
        self: Arc<Self>,
        ShowPetByIdRequest { pet_id }: ShowPetByIdRequest,
    ) -> Result<ShowPetByIdResponse, petstore::server::Problem> {
        let pets = self.pets.lock().unwrap();
        Ok(
            match pets
                .iter()
                .find(|p| p.name == pet_id || p.id.to_string() == pet_id)
            {
                Some(pet) => ShowPetByIdResponse::Ok(pet.clone()),
                None => ShowPetByIdResponse::Default {
                    status: 404,
                    body: ErrorModel {
                        code: 404,
                        message: format!("no pet {pet_id}"),
                    },
                },
            },
        )
    }
}

fn pet(id: i64, name: &str, tag: Option<&str>) -> Pet {
    Pet {
        id,
        name: name.to_owned(),
        tag: tag.map(str::to_owned),
    }
}

#[tokio::test]
async fn petstore_body_query_and_path_round_trip() {
    let url = serve(petstore::server::router(Store::default())).await;
    let client = petstore::client::Client::new(&url).unwrap();

    // A JSON body.
    for p in [
        pet(1, "Rex", Some("dog")),
        pet(2, "a/b c ü", None),
        pet(3, "Tom", Some("cat")),
    ] {
        assert_eq!(
            client.create_pets(p).send().await.unwrap(),
            CreatePetsResponse::Created
        );
    }
    // A declared `default` response keeps its status and typed body.
    assert_eq!(
        client
            .create_pets(pet(1, "Again", None))
            .send()
            .await
            .unwrap(),
        CreatePetsResponse::Default {
            status: 409,
            body: ErrorModel {
                code: 409,
                message: "pet 1 exists".to_owned()
            }
        }
    );

    // A query parameter, and a typed response header.
    assert_eq!(
        client.list_pets().limit(2).send().await.unwrap(),
        ListPetsResponse::Ok {
            body: vec![pet(1, "Rex", Some("dog")), pet(2, "a/b c ü", None)],
            x_next: Some("/pets?offset=2".to_owned()),
        }
    );
    match client.list_pets().send().await.unwrap() {
        ListPetsResponse::Ok { body, x_next } => {
            assert_eq!(body.len(), 3);
            assert_eq!(x_next, None);
        }
        other => panic!("unexpected {other:?}"),
    }

    // A path parameter, with `/`, a space and non-ASCII kept inside its segment.
    assert_eq!(
        client.show_pet_by_id("a/b c ü").send().await.unwrap(),
        ShowPetByIdResponse::Ok(pet(2, "a/b c ü", None))
    );
    assert_eq!(
        client.show_pet_by_id("3").send().await.unwrap(),
        ShowPetByIdResponse::Ok(pet(3, "Tom", Some("cat")))
    );
    assert!(matches!(
        client.show_pet_by_id("nobody").send().await.unwrap(),
        ShowPetByIdResponse::Default { status: 404, .. }
    ));
}

/// Sends a raw request and returns status and the JSON body.
async fn raw(request: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let response = request.send().await.unwrap();
    let status = response.status().as_u16();
    let body = response.json().await.unwrap_or(serde_json::Value::Null);
    (status, body)
}

#[tokio::test]
async fn petstore_server_rejects_bad_requests_with_problem_details() {
    let url = serve(petstore::server::router(Store::default())).await;
    let http = reqwest::Client::new();

    let (status, problem) = raw(http.get(format!("{url}/pets?limit=many"))).await;
    assert_eq!(status, 400);
    assert_eq!(problem["parameter"], "limit");
    assert_eq!(problem["location"], "query");

    let (status, problem) = raw(http
        .post(format!("{url}/pets"))
        .header("content-type", "application/json")
        .body(r#"{"id": "one", "name": "Rex"}"#))
    .await;
    assert_eq!(status, 400);
    assert_eq!(problem["location"], "body");
    assert!(
        problem["detail"].as_str().unwrap().contains("invalid type"),
        "{problem}"
    );

    // serde would read a struct from an array of its fields; a request body may not.
    let (status, problem) = raw(http
        .post(format!("{url}/pets"))
        .header("content-type", "application/json")
        .body(r#"[1, "Rex", null]"#))
    .await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"].as_str().unwrap().contains("object"),
        "{problem}"
    );

    let (status, problem) = raw(http.post(format!("{url}/pets"))).await;
    assert_eq!(status, 400);
    assert_eq!(problem["detail"], "the request body is required");

    let (status, _) = raw(http
        .post(format!("{url}/pets"))
        .header("content-type", "text/plain")
        .body("Rex"))
    .await;
    assert_eq!(status, 415);

    let (status, problem) = raw(http.get(format!("{url}/nothing/here"))).await;
    assert_eq!((status, problem["status"].as_u64()), (404, Some(404)));

    let (status, problem) = raw(http.delete(format!("{url}/pets"))).await;
    assert_eq!((status, problem["status"].as_u64()), (405, Some(405)));
}

#[tokio::test]
async fn client_keeps_status_headers_and_body_of_a_reply_that_does_not_decode() {
    // A server that answers every request 200 with a body that is not a pet list.
    let router = axum::Router::new().fallback(|| async { ([("x-trace", "abc")], "not json") });
    let url = serve(router).await;
    let client = petstore::client::Client::new(&url).unwrap();
    let error = client.list_pets().send().await.unwrap_err();
    assert!(
        matches!(error, petstore::client::Error::Decode { .. }),
        "{error:?}"
    );
    let response = error.response().unwrap();
    assert_eq!(response.status, 200);
    assert_eq!(response.headers["x-trace"], "abc");
    assert_eq!(response.body_text(), "not json");
}

#[tokio::test]
async fn null_in_an_optional_field_is_refused_by_the_server_and_read_as_absent_by_the_client() {
    // The spec does not let `tag` be null: a request with it is rejected.
    let url = serve(petstore::server::router(Store::default())).await;
    let (status, problem) = raw(reqwest::Client::new()
        .post(format!("{url}/pets"))
        .header("content-type", "application/json")
        .body(r#"{"id": 1, "name": "Rex", "tag": null}"#))
    .await;
    assert_eq!(status, 400);
    assert!(
        problem["detail"].as_str().unwrap().contains("null"),
        "{problem}"
    );

    // Servers in the wild send null for absent: a client reads it as `None`.
    let router = axum::Router::new().fallback(|| async {
        (
            [("content-type", "application/json")],
            r#"{"id": 1, "name": "Rex", "tag": null}"#,
        )
    });
    let client = petstore::client::Client::new(&serve(router).await).unwrap();
    assert_eq!(
        client.show_pet_by_id("1").send().await.unwrap(),
        ShowPetByIdResponse::Ok(pet(1, "Rex", None))
    );
}

/// The whole Rocket.Chat API, served in part: login, `me` and logout are implemented, every
/// other operation answers 501 through the `server-defaults` feature.
mod rocketchat_partial {
    use std::sync::{Arc, Mutex};

    use rocketchat::multipart::FilePart;
    use rocketchat::requests::{
        GetMeRequest, PostLoginRequest, PostLogoutRequest, PostRoomsMediaRequest,
    };
    use rocketchat::responses::{
        GetMeResponse, PostLoginResponse, PostLogoutResponse, PostRoomsMediaResponse,
    };
    use rocketchat::server::{Problem, Rocketchat};
    use rocketchat::types::{
        PostLoginBody, PostLoginOk, PostLoginOkData, PostLogoutOk, PostRoomsMediaBodyMultipart,
        PostRoomsMediaOk, PostRoomsMediaOkFile,
    };

    /// One user, `alice`/`secret`; at most one session.
    #[derive(Default)]
    struct Chat {
        session: Mutex<Option<String>>,
    }

    impl Chat {
        /// The session headers are client-level: `Option`s, always `Some` on the server.
        fn check(&self, token: &Option<String>, user_id: &Option<String>) -> Result<(), Problem> {
            let (Some(token), Some(user_id)) = (token, user_id) else {
                unreachable!("the server refuses a request without its required headers");
            };
            match self.session.lock().unwrap().as_deref() {
                Some(t) if t == token && user_id == "alice-id" => Ok(()),
                _ => Err(Problem::new(401, "not logged in")),
            }
        }
    }

    impl Rocketchat for Chat {
        async fn post_login(
            self: Arc<Self>,
            request: PostLoginRequest,
        ) -> Result<PostLoginResponse, Problem> {
            let body = request
                .body
                .ok_or_else(|| Problem::new(400, "credentials needed"))?;
            if body.user.as_deref() != Some("alice") || body.password.as_deref() != Some("secret") {
                return Err(Problem::new(401, "wrong credentials"));
            }
            *self.session.lock().unwrap() = Some("token-7".to_owned());
            Ok(PostLoginResponse::Ok(PostLoginOk {
                status: Some("success".to_owned()),
                data: Some(PostLoginOkData {
                    auth_token: Some("token-7".to_owned()),
                    user_id: Some("alice-id".to_owned()),
                    me: None,
                }),
            }))
        }

        async fn get_me(self: Arc<Self>, request: GetMeRequest) -> Result<GetMeResponse, Problem> {
            self.check(&request.x_auth_token, &request.x_user_id)?;
            let me = serde_json::json!({"_id": "alice-id", "username": "alice", "active": true});
            Ok(GetMeResponse::Ok(serde_json::from_value(me).unwrap()))
        }

        /// Stores nothing: answers with an id made of what arrived, so the test sees it.
        async fn post_rooms_media(
            self: Arc<Self>,
            request: PostRoomsMediaRequest,
        ) -> Result<PostRoomsMediaResponse, Problem> {
            let PostRoomsMediaRequest {
                rid,
                x_auth_token,
                x_user_id,
                body,
            } = request;
            self.check(&x_auth_token, &x_user_id)?;
            let body = body.ok_or_else(|| Problem::new(400, "a file is needed"))?;
            let id = format!(
                "{rid}/{}/{}/{}/{}",
                body.file.file_name.unwrap_or_default(),
                body.file.content_type.unwrap_or_default(),
                body.file.bytes.len(),
                body.content.unwrap_or_default(),
            );
            Ok(PostRoomsMediaResponse::Ok(PostRoomsMediaOk {
                file: Some(PostRoomsMediaOkFile {
                    id: Some(id),
                    url: None,
                }),
                success: Some(true),
            }))
        }

        async fn post_logout(
            self: Arc<Self>,
            request: PostLogoutRequest,
        ) -> Result<PostLogoutResponse, Problem> {
            self.check(&request.x_auth_token, &request.x_user_id)?;
            *self.session.lock().unwrap() = None;
            Ok(PostLogoutResponse::Ok(PostLogoutOk {
                status: Some("success".to_owned()),
                data: None,
            }))
        }
    }

    #[tokio::test]
    async fn login_call_with_stored_headers_and_logout() {
        let url = super::serve(rocketchat::server::router(Chat::default())).await;
        let mut client = rocketchat::client::Client::new(&url).unwrap();
        let login = PostLoginBody {
            user: Some("alice".to_owned()),
            password: Some("secret".to_owned()),
            resume: None,
            code: None,
        };
        let PostLoginResponse::Ok(session) = client.post_login().body(login).send().await.unwrap();
        let data = session.data.unwrap();
        // Set once on the client; every authenticated call sends them.
        client.set_x_auth_token(data.auth_token.as_deref().unwrap());
        client.set_x_user_id(data.user_id.as_deref().unwrap());

        let GetMeResponse::Ok(me) = client.get_me().send().await.unwrap();
        assert_eq!(me.username.as_deref(), Some("alice"));

        // A per-call value overrides the stored one.
        let error = client
            .get_me()
            .x_auth_token("forged")
            .send()
            .await
            .unwrap_err();
        assert_eq!(error.status(), Some(401));

        // Operations the server does not implement answer 501 Not Implemented.
        let error = client.get_emoji_custom_all().send().await.unwrap_err();
        assert_eq!(error.status(), Some(501));
        assert!(error
            .response()
            .unwrap()
            .body_text()
            .contains("get_emoji_custom_all"));

        // A file upload to a multipart operation, with the headers stored on the client.
        let upload = PostRoomsMediaBodyMultipart {
            file: FilePart::new(
                "cat.png",
                "image/png",
                vec![0x89, b'P', b'N', b'G', 0, 1, 2],
            ),
            content: Some("a cat".to_owned()),
        };
        let PostRoomsMediaResponse::Ok(uploaded) = client
            .post_rooms_media("GENERAL")
            .body(upload)
            .send()
            .await
            .unwrap();
        assert_eq!(
            uploaded.file.and_then(|f| f.id).as_deref(),
            Some("GENERAL/cat.png/image/png/7/a cat")
        );

        let PostLogoutResponse::Ok(bye) = client.post_logout().send().await.unwrap();
        assert_eq!(bye.status.as_deref(), Some("success"));
        let error = client.get_me().send().await.unwrap_err();
        assert_eq!(error.status(), Some(401), "the session ended");
        client.clear_x_auth_token();
        client.clear_x_user_id();
    }
}

/// Swagger 2.0 documents, read natively, client against server: a body parameter, a form, a
/// multipart upload with a file, a file download, collectionFormat lists, a global response
/// (`specs/swagger2-features.yaml`), and a few of Docker Engine's operations.
mod swagger2 {
    use std::sync::{Arc, Mutex};

    use swagger2_features::client::Client;
    use swagger2_features::requests::*;
    use swagger2_features::responses::*;
    use swagger2_features::server::{Auth, Problem, SwaggerTwoFeatures};
    use swagger2_features::types::{
        ErrorModel, NewPet, Pet, RenamePetBodyForm, UploadPhotoBodyMultipart,
    };

    use super::serve;

    /// Records what each operation received, as text.
    #[derive(Clone, Default)]
    struct Pets(Arc<Mutex<Vec<String>>>);

    impl Pets {
        fn saw(&self, what: String) {
            self.0.lock().unwrap().push(what);
        }
    }

    fn pet(id: i64, name: &str) -> Pet {
        Pet {
            name: name.to_owned(),
            kind: "cat".to_owned(),
            tag: Some(None),
            id,
        }
    }

    impl SwaggerTwoFeatures for Pets {
        async fn list_pets(
            self: Arc<Self>,
            _: Auth,
            request: ListPetsRequest,
        ) -> Result<ListPetsResponse, Problem> {
            self.saw(format!(
                "list {:?} {:?} {:?} {:?} {:?}",
                request.limit, request.tags, request.ids, request.colors, request.x_trace
            ));
            Ok(ListPetsResponse::Ok {
                body: vec![pet(1, "Tom")],
                x_total: Some(1),
            })
        }
        async fn add_pet(
            self: Arc<Self>,
            _: Auth,
            request: AddPetRequest,
        ) -> Result<AddPetResponse, Problem> {
            let NewPet { name, tag, .. } = request.body;
            self.saw(format!("add {name} {tag:?}"));
            Ok(AddPetResponse::Created(pet(2, &name)))
        }
        async fn get_pet(
            self: Arc<Self>,
            _: Auth,
            request: GetPetRequest,
        ) -> Result<GetPetResponse, Problem> {
            Ok(match request.pet_id {
                1 => GetPetResponse::Ok(pet(1, "Tom")),
                _ => GetPetResponse::NotFound(ErrorModel {
                    message: "no such pet".to_owned(),
                }),
            })
        }
        async fn rename_pet(
            self: Arc<Self>,
            _: Auth,
            request: RenamePetRequest,
        ) -> Result<RenamePetResponse, Problem> {
            let RenamePetBodyForm { name, nickname } = request.body;
            self.saw(format!("rename {} {name} {nickname:?}", request.pet_id));
            Ok(RenamePetResponse::NoContent)
        }
        async fn download_photo(
            self: Arc<Self>,
            _: Auth,
            _: DownloadPhotoRequest,
        ) -> Result<DownloadPhotoResponse, Problem> {
            Ok(DownloadPhotoResponse::Ok(b"\x89PNG".to_vec().into()))
        }
        async fn upload_photo(
            self: Arc<Self>,
            _: Auth,
            request: UploadPhotoRequest,
        ) -> Result<UploadPhotoResponse, Problem> {
            let UploadPhotoBodyMultipart { photo, caption } = request.body;
            self.saw(format!(
                "upload {:?} {:?} {caption:?}",
                photo.file_name, photo.bytes
            ));
            Ok(UploadPhotoResponse::NoContent)
        }
        async fn feed_pet(
            self: Arc<Self>,
            _: Auth,
            request: FeedPetRequest,
        ) -> Result<FeedPetResponse, Problem> {
            self.saw(format!("feed {}", request.pet_id));
            Ok(FeedPetResponse::NoContent)
        }
    }

    #[tokio::test]
    async fn a_swagger_2_api_round_trips() {
        let pets = Pets::default();
        let url = serve(swagger2_features::server::router(pets.clone())).await;
        let client = Client::new(&url)
            .unwrap()
            .with_key("k")
            .with_application("token");

        let ListPetsResponse::Ok { body, x_total } = client
            .list_pets()
            .limit(5)
            .tags(vec!["a".into(), "b".into()])
            .ids(vec![1, 2])
            .colors(vec!["red".into(), "blue".into()])
            .x_trace(vec!["t1".into(), "t2".into()])
            .send()
            .await
            .unwrap();
        assert_eq!((body, x_total), (vec![pet(1, "Tom")], Some(1)));

        let added = client
            .add_pet(NewPet {
                name: "Rex".into(),
                kind: "dog".into(),
                tag: Some(Some("good".into())),
            })
            .send()
            .await
            .unwrap();
        assert_eq!(added, AddPetResponse::Created(pet(2, "Rex")));
        assert_eq!(
            client.get_pet(9).send().await.unwrap(),
            GetPetResponse::NotFound(ErrorModel {
                message: "no such pet".into()
            })
        );
        client
            .rename_pet(
                1,
                RenamePetBodyForm {
                    name: "Tommy".into(),
                    nickname: None,
                },
            )
            .send()
            .await
            .unwrap();
        client
            .upload_photo(
                1,
                UploadPhotoBodyMultipart {
                    photo: swagger2_features::multipart::FilePart::new(
                        "p.png",
                        "image/png",
                        b"png".to_vec(),
                    ),
                    caption: Some("hi".into()),
                },
            )
            .send()
            .await
            .unwrap();
        let DownloadPhotoResponse::Ok(photo) = client.download_photo(1).send().await.unwrap();
        assert_eq!(&photo.collect(1024).await.unwrap()[..], b"\x89PNG");
        client.feed_pet(3).send().await.unwrap();

        assert_eq!(
            *pets.0.lock().unwrap(),
            [
                "list Some(5) Some([\"a\", \"b\"]) Some([1, 2]) Some([\"red\", \"blue\"]) Some([\"t1\", \"t2\"])",
                "add Rex Some(Some(\"good\"))",
                "rename 1 Tommy None",
                "upload Some(\"p.png\") [112, 110, 103] Some(\"hi\")",
                "feed 3",
            ]
        );
    }

    /// Docker Engine's Swagger 2.0 description (`specs/docker-engine.yaml`): a ping answered
    /// with headers, and the container list with its query parameters.
    #[tokio::test]
    async fn docker_engine_operations_round_trip() {
        use docker_engine::requests::ContainerListRequest;
        use docker_engine::responses::{ContainerListResponse, SystemPingResponse};
        use docker_engine::server::{DockerEngineApi, Problem};

        struct Engine;
        impl DockerEngineApi for Engine {
            async fn system_ping(self: Arc<Self>) -> Result<SystemPingResponse, Problem> {
                Ok(SystemPingResponse::Ok {
                    body: "OK".into(),
                    api_version: Some("1.56".into()),
                    builder_version: None,
                    docker_experimental: Some(false),
                    swarm: None,
                    cache_control: None,
                    pragma: None,
                })
            }
            async fn container_list(
                self: Arc<Self>,
                request: ContainerListRequest,
            ) -> Result<ContainerListResponse, Problem> {
                assert_eq!(
                    (
                        request.all,
                        request.limit,
                        request.size,
                        request.filters.as_deref()
                    ),
                    (true, Some(3), false, Some("{\"status\":[\"running\"]}"))
                );
                Ok(ContainerListResponse::Ok(Vec::new()))
            }
        }
        let url = serve(docker_engine::server::router(Engine)).await;
        let client = docker_engine::client::Client::new(&url).unwrap();
        let SystemPingResponse::Ok {
            body,
            api_version,
            docker_experimental,
            ..
        } = client.system_ping().send().await.unwrap()
        else {
            panic!("not OK")
        };
        assert_eq!(
            (body.as_str(), api_version.as_deref(), docker_experimental),
            ("OK", Some("1.56"), Some(false))
        );
        let listed = client
            .container_list()
            .all(true)
            .limit(3)
            .filters("{\"status\":[\"running\"]}")
            .send()
            .await
            .unwrap();
        assert_eq!(listed, ContainerListResponse::Ok(Vec::new()));
    }

    /// Kubernetes' Swagger 2.0 description (`specs/kubernetes.json`, a handful of its
    /// operations selected by `specs/kubernetes.toml`): a ConfigMap created from a body the
    /// spec declares as `*/*` (sent and read as JSON), pods listed by label, a pod's log
    /// as text, and the server's version; each with the bearer token the spec requires.
    #[tokio::test]
    async fn kubernetes_operations_round_trip() {
        use std::collections::BTreeMap;

        use kubernetes::requests::*;
        use kubernetes::responses::*;
        use kubernetes::server::{Auth, Credential, Kubernetes, Problem};
        use kubernetes::types::*;

        fn meta(name: &str) -> Option<ObjectMeta> {
            Some(ObjectMeta {
                name: Some(name.into()),
                labels: Some(BTreeMap::from([("app".into(), "web".into())])),
                ..Default::default()
            })
        }

        fn token(auth: &Auth) -> Result<(), Problem> {
            match auth.get("BearerToken") {
                Some(Credential::ApiKey(key)) if key == "Bearer s3cret" => Ok(()),
                other => Err(Problem::new(401, format!("credential {other:?}"))),
            }
        }

        struct Cluster;
        impl Kubernetes for Cluster {
            async fn create_core_v1_namespaced_config_map(
                self: Arc<Self>,
                auth: Auth,
                request: CreateCoreV1NamespacedConfigMapRequest,
            ) -> Result<CreateCoreV1NamespacedConfigMapResponse, Problem> {
                token(&auth)?;
                assert_eq!(
                    (request.namespace.as_str(), request.dry_run.as_deref()),
                    ("default", Some("All"))
                );
                let mut created = request.body;
                created.metadata.as_mut().unwrap().uid = Some("uid-1".into());
                Ok(CreateCoreV1NamespacedConfigMapResponse::Created(
                    CreateCoreV1NamespacedConfigMapCreatedBody::Json(created),
                ))
            }
            async fn list_core_v1_namespaced_pod(
                self: Arc<Self>,
                auth: Auth,
                request: ListCoreV1NamespacedPodRequest,
            ) -> Result<ListCoreV1NamespacedPodResponse, Problem> {
                token(&auth)?;
                assert_eq!(
                    (request.label_selector.as_deref(), request.limit),
                    (Some("app=web"), Some(2))
                );
                Ok(ListCoreV1NamespacedPodResponse::Ok(
                    ListCoreV1NamespacedPodOkBody::Json(PodList {
                        items: vec![Pod {
                            metadata: meta("web-0"),
                            ..Default::default()
                        }],
                        api_version: None,
                        kind: None,
                        metadata: None,
                    }),
                ))
            }
            async fn read_core_v1_namespaced_pod_log(
                self: Arc<Self>,
                auth: Auth,
                request: ReadCoreV1NamespacedPodLogRequest,
            ) -> Result<ReadCoreV1NamespacedPodLogResponse, Problem> {
                token(&auth)?;
                let lines = ["starting", "listening on :80", "GET / 200"];
                let tail = request.tail_lines.unwrap_or(3) as usize;
                Ok(ReadCoreV1NamespacedPodLogResponse::Ok(
                    ReadCoreV1NamespacedPodLogOkBody::Text(lines[lines.len() - tail..].join("\n")),
                ))
            }
            async fn get_code_version(
                self: Arc<Self>,
                auth: Auth,
            ) -> Result<GetCodeVersionResponse, Problem> {
                token(&auth)?;
                Ok(GetCodeVersionResponse::Ok(Info {
                    build_date: "2026-11-30T00:00:00Z".into(),
                    compiler: "gc".into(),
                    emulation_major: None,
                    emulation_minor: None,
                    git_commit: "0000000".into(),
                    git_tree_state: "clean".into(),
                    git_version: "v1.35.0".into(),
                    go_version: "go1.25".into(),
                    major: "1".into(),
                    min_compatibility_major: None,
                    min_compatibility_minor: None,
                    minor: "35".into(),
                    platform: "linux/amd64".into(),
                }))
            }
        }

        let url = serve(kubernetes::server::router(Cluster)).await;
        let client = kubernetes::client::Client::new(&url)
            .unwrap()
            .with_bearer_token("Bearer s3cret");

        let config = ConfigMap {
            metadata: meta("settings"),
            data: Some(BTreeMap::from([("mode".into(), "fast".into())])),
            ..Default::default()
        };
        let created = client
            .create_core_v1_namespaced_config_map("default", config.clone())
            .dry_run("All")
            .send()
            .await
            .unwrap();
        let CreateCoreV1NamespacedConfigMapResponse::Created(
            CreateCoreV1NamespacedConfigMapCreatedBody::Json(created),
        ) = created
        else {
            panic!("not created as JSON: {created:?}")
        };
        assert_eq!(created.data, config.data);
        assert_eq!(created.metadata.unwrap().uid.as_deref(), Some("uid-1"));

        let pods = client
            .list_core_v1_namespaced_pod("default")
            .label_selector("app=web")
            .limit(2)
            .send()
            .await
            .unwrap();
        let ListCoreV1NamespacedPodResponse::Ok(ListCoreV1NamespacedPodOkBody::Json(pods)) = pods
        else {
            panic!("no pod list: {pods:?}")
        };
        assert_eq!(pods.items[0].metadata, meta("web-0"));

        let log = client
            .read_core_v1_namespaced_pod_log("web-0", "default")
            .tail_lines(2)
            .send()
            .await
            .unwrap();
        assert_eq!(
            log,
            ReadCoreV1NamespacedPodLogResponse::Ok(ReadCoreV1NamespacedPodLogOkBody::Text(
                "listening on :80\nGET / 200".into()
            ))
        );

        let GetCodeVersionResponse::Ok(version) = client.get_code_version().send().await.unwrap()
        else {
            panic!("no version")
        };
        assert_eq!(
            (version.major.as_str(), version.minor.as_str()),
            ("1", "35")
        );

        let anonymous = kubernetes::client::Client::new(&url).unwrap();
        assert_eq!(
            anonymous.get_code_version().send().await.unwrap(),
            GetCodeVersionResponse::Unauthorized
        );
    }

    /// Kubernetes' whole description (1,123 operations, `specs/kubernetes.json` without its
    /// settings' selection) generates without a loss and checks without a warning with every
    /// feature on. Slow (a minute of `cargo check` outside the workspace), so ignored by
    /// default; CI runs it with `--ignored`.
    #[test]
    #[ignore = "cargo check of a 1,123-operation crate; minutes"]
    fn the_whole_kubernetes_api_compiles() {
        let spec = "specs/kubernetes.json";
        let input = generator::ApiInput {
            name: "kubernetes-whole".to_owned(),
            origin: "kubernetes.json".to_owned(),
            sources: vec![generator::load::Source {
                path: spec.to_owned(),
                text: std::fs::read_to_string(super::workspace().join(spec)).unwrap(),
            }],
            ..Default::default()
        };
        let output = generator::generate(&input).unwrap();
        assert!(output.diagnostics.is_empty(), "{:?}", output.diagnostics);
        let dir = std::env::temp_dir().join(format!("kubernetes-whole-{}", std::process::id()));
        let failures = super::check_outside(output.files, &dir, &[&["--all-features"]]);
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }
}

/// Every generated server trait (and webhook receiver) is plain Rust, no `operation!`
/// macro: each method's signature is written out, required in the router's module and
/// provided (answering 501) in `defaults.rs` beside it, for the `server-defaults` feature.
#[test]
fn server_traits_are_written_out_with_their_defaults_beside_them() {
    let generated = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("../generated");
    let read = |path: &str| std::fs::read_to_string(generated.join(path)).unwrap();
    let flat = |text: &str| text.split_whitespace().collect::<Vec<_>>().join(" ");
    for entry in std::fs::read_dir(&generated).unwrap() {
        let server = entry.unwrap().path().join("src/server.rs");
        let text = std::fs::read_to_string(&server).unwrap();
        assert!(!text.contains("macro_rules!"), "{}", server.display());
        assert!(!text.contains("operation!"), "{}", server.display());
    }
    for (router, defaults, signature, name) in [
        (
            "petstore/src/server.rs",
            "petstore/src/server/defaults.rs",
            "fn show_pet_by_id( self: Arc<Self>, request: ShowPetByIdRequest, ) -> impl Future<Output = \
             Result<ShowPetByIdResponse, Problem>> + Send",
            "show_pet_by_id",
        ),
        (
            "security-schemes/src/server.rs",
            "security-schemes/src/server/defaults.rs",
            "fn with_key( self: Arc<Self>, auth: Auth, ) -> impl Future<Output = \
             Result<WithKeyResponse, Problem>> + Send",
            "with_key",
        ),
        (
            "pet-events/src/webhooks/receiver.rs",
            "pet-events/src/webhooks/receiver/defaults.rs",
            "fn new_pet( self: Arc<Self>, request: NewPetRequest, ) -> impl Future<Output = \
             Result<NewPetResponse, Problem>> + Send",
            "new_pet",
        ),
    ] {
        let router = flat(&read(router));
        assert!(router.contains(&format!("{signature};")), "{router}");
        assert!(
            router.contains("#[cfg(not(feature = \"server-defaults\"))] pub trait"),
            "{router}"
        );
        let defaults = flat(&read(defaults));
        let body = format!("{signature} {{ let _ = ");
        assert!(defaults.contains(&body), "{defaults}");
        let answer = format!("ready(Err(support::not_implemented(\"{name}\"))) }}");
        assert!(defaults.contains(&answer), "{defaults}");
    }
    // rustc names a type by the first module that exports it: the server's, for its trait.
    let lib = read("petstore/src/lib.rs");
    assert!(lib.find("pub mod server;") < lib.find("pub mod client;"));
}
