//! OAuth 2 tokens from a token source, from `specs/security-schemes.yaml`: a token endpoint
//! on 127.0.0.1 issuing short-lived tokens, beside the generated server behind a layer that
//! checks each bearer token as a resource server does (issued, not expired, not refused).
//! The generated client fetches, caches, renews and retries; the tests count what it asked.

use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use axum::extract::{Request, State};
use axum::http::{HeaderMap, StatusCode};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use security_schemes::client::{Client, ClientCredentials, Error, Token, TokenFuture, TokenSource};
use security_schemes::responses::{
    OpenResponse, OptionalAuthResponse, ScopedResponse, SignedInResponse,
};

use super::security::{schemes, Echo};
use super::support::{check_outside, fixture_model, workspace};

/// The token endpoint's and the API's books.
#[derive(Default)]
struct Books {
    /// How long the tokens it issues live, in seconds.
    lifetime: u64,
    /// What the token endpoint answers instead of a token, when set.
    hostile: Option<String>,
    /// Each token issued, with when it expires and the scopes asked for.
    issued: Vec<(String, Instant, String)>,
    /// Requests the API saw with a bearer token.
    api_calls: usize,
    /// Reads of the OpenID Connect discovery document.
    discovery_reads: usize,
    /// The API refuses the next token it sees (as if revoked), or every one.
    refuse_once: bool,
    refuse_all: bool,
}

type Shared = Arc<Mutex<Books>>;

/// `POST /oauth/token`: the client credentials grant, for `client:secret` by HTTP basic.
async fn token_endpoint(State(books): State<Shared>, headers: HeaderMap, body: String) -> Response {
    let mut books = books.lock().unwrap();
    let basic = headers.get("authorization").and_then(|v| v.to_str().ok());
    // "client:secret"
    if basic != Some("Basic Y2xpZW50OnNlY3JldA==") {
        let error = r#"{"error":"invalid_client"}"#;
        return (StatusCode::UNAUTHORIZED, error).into_response();
    }
    if let Some(hostile) = &books.hostile {
        return (StatusCode::OK, hostile.clone()).into_response();
    }
    let form: Vec<(&str, String)> = body
        .split('&')
        .filter_map(|pair| pair.split_once('='))
        .map(|(k, v)| (k, v.replace('+', " ")))
        .collect();
    let field = |name: &str| {
        form.iter()
            .find(|(k, _)| *k == name)
            .map(|(_, v)| v.clone())
    };
    assert_eq!(field("grant_type").as_deref(), Some("client_credentials"));
    let token = format!("tok-{}", books.issued.len() + 1);
    let expires = Instant::now() + Duration::from_secs(books.lifetime);
    books
        .issued
        .push((token.clone(), expires, field("scope").unwrap_or_default()));
    let body = format!(
        r#"{{"access_token":"{token}","token_type":"Bearer","expires_in":{}}}"#,
        books.lifetime
    );
    ([("content-type", "application/json")], body).into_response()
}

/// `GET /.well-known/openid-configuration`: the provider's token endpoint is this server's.
async fn discovery(State(books): State<Shared>, headers: HeaderMap) -> Response {
    books.lock().unwrap().discovery_reads += 1;
    let host = headers["host"].to_str().unwrap();
    let document =
        format!(r#"{{"issuer":"http://{host}","token_endpoint":"http://{host}/oauth/token"}}"#);
    ([("content-type", "application/json")], document).into_response()
}

/// The resource server's check: a bearer token must be one issued and not expired.
async fn check(State(books): State<Shared>, request: Request, next: Next) -> Response {
    let bearer = request
        .headers()
        .get("authorization")
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    if let Some(token) = bearer {
        let mut books = books.lock().unwrap();
        books.api_calls += 1;
        let known = books
            .issued
            .iter()
            .any(|(issued, expires, _)| *issued == token && Instant::now() < *expires);
        let refused = books.refuse_all || std::mem::take(&mut books.refuse_once);
        if !known || refused {
            return StatusCode::UNAUTHORIZED.into_response();
        }
    }
    next.run(request).await
}

/// The API and its token endpoint at one origin; the client's base URL.
async fn serve(lifetime: u64) -> (String, Shared) {
    let books: Shared = Arc::new(Mutex::new(Books {
        lifetime,
        ..Books::default()
    }));
    let tokens = axum::Router::new()
        .route("/oauth/token", axum::routing::post(token_endpoint))
        .route(
            "/.well-known/openid-configuration",
            axum::routing::get(discovery),
        )
        .with_state(books.clone());
    let api = security_schemes::server::router(Echo)
        .layer(axum::middleware::from_fn_with_state(books.clone(), check));
    let router = tokens.merge(api);
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    tokio::spawn(async move { axum::serve(listener, router).await });
    (format!("http://{address}"), books)
}

fn issued(books: &Shared) -> Vec<(String, String)> {
    let books = books.lock().unwrap();
    let issued = books.issued.iter();
    issued
        .map(|(t, _, scope)| (t.clone(), scope.clone()))
        .collect()
}

fn scoped(token: &str) -> ScopedResponse {
    ScopedResponse::Ok(schemes(&[&format!("OAuth={token}")]))
}

#[tokio::test]
async fn tokens_are_fetched_once_shared_and_renewed_before_they_expire() {
    let (url, books) = serve(1).await;
    // The spec's token URL is relative: the client resolves it against its base URL.
    let client = Client::new(&url)
        .unwrap()
        .with_o_auth_client_credentials("client", "secret")
        .unwrap();
    // Concurrent first calls wait for one token.
    let calls = (0..5).map(|_| client.scoped().send());
    for answer in futures_util::future::join_all(calls).await {
        assert_eq!(answer.unwrap(), scoped("tok-1"));
    }
    // A clone shares it.
    let clone = client.clone();
    assert_eq!(clone.scoped().send().await.unwrap(), scoped("tok-1"));
    // The operation's scopes, sorted, are what the token was asked for.
    assert_eq!(
        issued(&books),
        [("tok-1".to_owned(), "read write".to_owned())]
    );
    // Past its lifetime, the next call gets a new one without the caller noticing.
    tokio::time::sleep(Duration::from_millis(1100)).await;
    assert_eq!(client.scoped().send().await.unwrap(), scoped("tok-2"));
    assert_eq!(clone.scoped().send().await.unwrap(), scoped("tok-2"));
    assert_eq!(issued(&books).len(), 2);
    // An operation naming other scopes has a token of its own.
    let maybe = client.optional_auth().send().await.unwrap();
    assert_eq!(maybe, OptionalAuthResponse::Ok(schemes(&["OAuth=tok-3"])));
    assert_eq!(issued(&books)[2].1, "read");
    // The token never shows in the client's Debug form.
    assert!(!format!("{client:?}").contains("tok-"), "{client:?}");
}

#[tokio::test]
async fn a_401_gets_a_new_token_and_the_call_is_sent_once_more_never_twice() {
    let (url, books) = serve(60).await;
    let client = Client::new(&url)
        .unwrap()
        .with_o_auth_client_credentials("client", "secret")
        .unwrap();
    assert_eq!(client.scoped().send().await.unwrap(), scoped("tok-1"));
    // The API refuses tok-1 once (revoked): the client fetches tok-2 and sends again.
    books.lock().unwrap().refuse_once = true;
    assert_eq!(client.scoped().send().await.unwrap(), scoped("tok-2"));
    assert_eq!(books.lock().unwrap().api_calls, 3);
    assert_eq!(issued(&books).len(), 2);
    // Refused again with the new token: the 401 is the answer, after one more token.
    books.lock().unwrap().refuse_all = true;
    let error = client.scoped().send().await.unwrap_err();
    assert_eq!(error.status(), Some(401), "{error:?}");
    assert_eq!(books.lock().unwrap().api_calls, 5);
    assert_eq!(issued(&books).len(), 3);
}

#[tokio::test]
async fn a_token_endpoint_that_answers_nonsense_fails_the_call_with_a_token_error() {
    let (url, books) = serve(60).await;
    let client = Client::new(&url)
        .unwrap()
        .with_o_auth_client_credentials("client", "secret")
        .unwrap();
    for hostile in [
        r#"{"access_token":"sneaky","expires_in":-1}"#,
        r#"{"token_type":"bearer"}"#,
        "<html>",
    ] {
        books.lock().unwrap().hostile = Some(hostile.to_owned());
        let error = client.scoped().send().await.unwrap_err();
        assert!(matches!(error, Error::Token(_)), "{error:?}");
        assert!(!error.to_string().contains("sneaky"), "{error}");
    }
    // Wrong credentials: the endpoint's own error code.
    let wrong = Client::new(&url)
        .unwrap()
        .with_o_auth_client_credentials("client", "guess")
        .unwrap();
    let error = wrong.scoped().send().await.unwrap_err().to_string();
    assert!(error.contains("401: invalid_client"), "{error}");
    assert_eq!(books.lock().unwrap().api_calls, 0);
}

#[tokio::test]
async fn the_token_goes_to_the_api_origin_only_never_where_it_redirects() {
    /// A server recording the `Authorization` of each request; `/scoped` redirects to
    /// `to`, anything else answers a `Caller`.
    async fn recorder(to: Option<String>) -> (String, Arc<Mutex<Vec<Option<String>>>>) {
        let seen = Arc::new(Mutex::new(Vec::new()));
        let kept = seen.clone();
        let router = axum::Router::new().fallback(move |headers: HeaderMap| {
            let (kept, to) = (kept.clone(), to.clone());
            async move {
                let auth = headers
                    .get("authorization")
                    .map(|v| v.to_str().unwrap().to_owned());
                kept.lock().unwrap().push(auth);
                match to {
                    Some(to) => {
                        (StatusCode::TEMPORARY_REDIRECT, [("location", to)]).into_response()
                    }
                    None => ([("content-type", "application/json")], r#"{"schemes":[]}"#)
                        .into_response(),
                }
            }
        });
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
        let url = format!("http://{}", listener.local_addr().unwrap());
        tokio::spawn(async move { axum::serve(listener, router).await });
        (url, seen)
    }
    let (elsewhere, elsewhere_saw) = recorder(None).await;
    let (api, api_saw) = recorder(Some(format!("{elsewhere}/scoped"))).await;
    // The token endpoint is a third origin.
    let (issuer, books) = serve(60).await;
    let source =
        ClientCredentials::new(&format!("{issuer}/oauth/token"), "client", "secret").unwrap();
    let client = Client::new(&api).unwrap().with_token_source(source);
    let answer = client.scoped().send().await.unwrap();
    assert_eq!(answer, ScopedResponse::Ok(schemes(&[])));
    assert_eq!(issued(&books).len(), 1);
    assert_eq!(*api_saw.lock().unwrap(), [Some("Bearer tok-1".to_owned())]);
    assert_eq!(*elsewhere_saw.lock().unwrap(), [None]);
    // The issuer never saw the bearer token either: only the client's own credentials.
    assert_eq!(books.lock().unwrap().api_calls, 0);
}

#[tokio::test]
async fn an_openid_connect_scheme_gets_tokens_where_its_discovery_document_says() {
    let (url, books) = serve(60).await;
    let client = Client::new(&url)
        .unwrap()
        .with_oidc_client_credentials("client", "secret")
        .unwrap();
    for _ in 0..2 {
        let answer = client.signed_in().send().await.unwrap();
        assert_eq!(answer, SignedInResponse::Ok(schemes(&["Oidc=tok-1"])));
    }
    assert_eq!(
        issued(&books),
        [("tok-1".to_owned(), "openid profile".to_owned())]
    );
    assert_eq!(books.lock().unwrap().discovery_reads, 1);
}

/// A source of your own: counts what it is asked for.
struct Counted(Arc<Mutex<Vec<Vec<String>>>>);

impl TokenSource for Counted {
    fn fetch<'a>(&'a self, scopes: &'a [&'a str]) -> TokenFuture<'a> {
        Box::pin(async move {
            let mut asked = self.0.lock().unwrap();
            asked.push(scopes.iter().map(|s| (*s).to_owned()).collect());
            Ok(Token::new(format!("mine-{}", asked.len())).expires_in(Duration::from_secs(60)))
        })
    }
}

#[tokio::test]
async fn any_token_source_serves_every_token_scheme_with_each_operations_scopes() {
    let (url, _) = serve(60).await;
    let asked = Arc::new(Mutex::new(Vec::new()));
    let client = Client::new(&url)
        .unwrap()
        .with_token_source(Counted(asked.clone()));
    // The API refuses tokens it did not issue: a 401, a second token, a second 401, which
    // is the answer.
    let answer = client.signed_in().send().await;
    assert!(
        matches!(answer, Err(Error::UnexpectedStatus(_))),
        "{answer:?}"
    );
    assert_eq!(
        *asked.lock().unwrap(),
        [vec!["openid", "profile"], vec!["openid", "profile"]]
    );
    // Open operations ask for none.
    let open = client.open().send().await.unwrap();
    assert_eq!(open, OpenResponse::Ok(schemes(&[])));
    assert_eq!(asked.lock().unwrap().len(), 2);
}

#[test]
fn the_flows_a_spec_declares_are_lowered_with_their_urls_and_scopes() {
    use generator::model::{FlowKind, SchemeKind};
    let (api, diags) = fixture_model(&["oauth-flows.yaml"]);
    let flows = |i: usize| match &api.security_schemes[i].kind {
        SchemeKind::OAuth2 { flows } => flows.clone(),
        other => panic!("{other:?}"),
    };
    let all = flows(0);
    let kinds: Vec<FlowKind> = all.iter().map(|f| f.kind).collect();
    assert_eq!(
        kinds,
        [
            FlowKind::ClientCredentials,
            FlowKind::AuthorizationCode,
            FlowKind::Password,
            FlowKind::Implicit,
            FlowKind::DeviceAuthorization
        ]
    );
    let device = &all[4];
    assert_eq!(
        device.device_authorization_url.as_deref(),
        Some("https://auth.example.com/device")
    );
    assert_eq!(device.token_url.as_deref(), Some("/token"));
    assert_eq!(device.scopes, [("read".to_owned(), "Read".to_owned())]);
    assert_eq!(
        all[1].refresh_url.as_deref(),
        Some("https://auth.example.com/refresh")
    );
    // The flow with a URL that is none is left out, with where it is; its scheme stays.
    assert_eq!(flows(1).len(), 1);
    assert_eq!(
        api.security_schemes[2].kind,
        SchemeKind::OpenIdConnect {
            discovery: "https://auth.example.com/.well-known/openid-configuration".to_owned()
        }
    );
    let file = "fixtures/oauth-flows.yaml";
    assert_eq!(
        diags,
        [format!("warning[security-scheme]: {file}:48:11#/components/securitySchemes/broken/flows/clientCredentials/tokenUrl: \"ftp://auth.example.com/token\" is not a URL the client can use (its scheme is not http or https); this flow is left out")]
    );
    // Each operation keeps the scopes its requirement names, by scheme.
    let scopes: Vec<_> = api.operations.iter().map(|op| op.scopes.clone()).collect();
    assert_eq!(
        scopes,
        [
            vec![(0, vec!["read".to_owned(), "write".to_owned()])],
            vec![(2, vec!["openid".to_owned()])]
        ]
    );
}

#[test]
fn swagger2_flows_arrive_as_their_openapi3_names() {
    use generator::model::{FlowKind, SchemeKind};
    let (api, _) = fixture_model(&["../../../specs/swagger2-features.yaml"]);
    let kinds: Vec<(&str, Vec<FlowKind>, Option<String>)> = api
        .security_schemes
        .iter()
        .filter_map(|s| match &s.kind {
            SchemeKind::OAuth2 { flows } => Some((
                s.api_name.as_str(),
                flows.iter().map(|f| f.kind).collect(),
                flows[0].token_url.clone(),
            )),
            _ => None,
        })
        .collect();
    let token = || Some("https://auth.example.com/token".to_owned());
    assert_eq!(
        kinds,
        [
            ("implicit", vec![FlowKind::Implicit], None),
            ("password", vec![FlowKind::Password], token()),
            ("application", vec![FlowKind::ClientCredentials], token()),
            ("accessCode", vec![FlowKind::AuthorizationCode], token()),
        ]
    );
}

#[test]
fn a_client_of_every_flow_compiles_warning_free() {
    let fixture = "tests/fixtures/oauth-flows.yaml";
    let text = std::fs::read_to_string(workspace().join("generator").join(fixture)).unwrap();
    let input = generator::ApiInput {
        name: "oauth-flows".to_owned(),
        origin: "oauth-flows.yaml".to_owned(),
        sources: vec![generator::load::Source {
            path: fixture.to_owned(),
            text,
        }],
        ..Default::default()
    };
    let output = generator::generate(&input).unwrap();
    let client = output
        .files
        .iter()
        .find(|f| f.path == "src/client.rs")
        .unwrap();
    for method in [
        "pub fn with_token_source(",
        "pub fn with_everything_client_credentials(",
        "pub fn with_everything_refresh_token(",
        "pub fn everything_device_authorization(",
        "pub fn with_broken_refresh_token(",
    ] {
        assert!(
            client.contents.contains(method),
            "{method} in {}",
            client.contents
        );
    }
    let dir = std::env::temp_dir().join(format!("oauth-flows-{}", std::process::id()));
    let failures = check_outside(
        output.files,
        &dir,
        &[&["--no-default-features", "--features", "client"]],
    );
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn flow_methods_take_no_name_the_client_or_an_operation_has() {
    let (api, _) = fixture_model(&["oauth-names.yaml"]);
    // `with_token_source` is the client's own: the scheme's setter is `with_token_source2`,
    // and operations keep clear of both and of the scheme's flow methods.
    assert_eq!(api.security_schemes[0].name, "token_source2");
    let operations: Vec<&str> = api.operations.iter().map(|op| op.name.as_str()).collect();
    assert_eq!(
        operations,
        ["with_token_source3", "token_source2_device_authorization2"]
    );
}
