//! Security schemes, client against server stub, from `specs/security-schemes.yaml`.

use security_schemes::client::{Client, Error};
use security_schemes::responses::*;
use security_schemes::server::{Auth, Credential, Problem, SecuritySchemes};
use security_schemes::types::Caller;
use std::sync::Arc;

/// Answers with the credentials it was handed, as `scheme=value`.
pub(crate) struct Echo;

fn caller(auth: Option<Auth>) -> Caller {
    let schemes = auth
        .map(|auth| {
            auth.credentials
                .iter()
                .map(|(scheme, credential)| match credential {
                    Credential::ApiKey(key) => format!("{scheme}={key}"),
                    Credential::Bearer(token) => format!("{scheme}={token}"),
                    Credential::Basic { username, password } => {
                        format!("{scheme}={username}:{password}")
                    }
                })
                .collect()
        })
        .unwrap_or_default();
    Caller { schemes }
}

impl SecuritySchemes for Echo {
    async fn by_default(self: Arc<Self>, auth: Auth) -> Result<ByDefaultResponse, Problem> {
        Ok(ByDefaultResponse::Ok(caller(Some(auth))))
    }
    async fn with_key(self: Arc<Self>, auth: Auth) -> Result<WithKeyResponse, Problem> {
        Ok(WithKeyResponse::Ok(caller(Some(auth))))
    }
    async fn either_way(self: Arc<Self>, auth: Auth) -> Result<EitherWayResponse, Problem> {
        Ok(EitherWayResponse::Ok(caller(Some(auth))))
    }
    async fn key_and_cookie(self: Arc<Self>, auth: Auth) -> Result<KeyAndCookieResponse, Problem> {
        Ok(KeyAndCookieResponse::Ok(caller(Some(auth))))
    }
    async fn optional_auth(self: Arc<Self>, auth: Auth) -> Result<OptionalAuthResponse, Problem> {
        Ok(OptionalAuthResponse::Ok(caller(Some(auth))))
    }
    async fn scoped(self: Arc<Self>, auth: Auth) -> Result<ScopedResponse, Problem> {
        Ok(ScopedResponse::Ok(caller(Some(auth))))
    }
    async fn signed_in(self: Arc<Self>, auth: Auth) -> Result<SignedInResponse, Problem> {
        Ok(SignedInResponse::Ok(caller(Some(auth))))
    }
    async fn open(self: Arc<Self>) -> Result<OpenResponse, Problem> {
        Ok(OpenResponse::Ok(caller(None)))
    }
}

async fn serve() -> String {
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.unwrap();
    let address = listener.local_addr().unwrap();
    let router = security_schemes::server::router(Echo);
    tokio::spawn(async move { axum::serve(listener, router).await });
    format!("http://{address}")
}

pub(crate) fn schemes(values: &[&str]) -> Caller {
    Caller {
        schemes: values.iter().map(|v| (*v).to_owned()).collect(),
    }
}

#[tokio::test]
async fn credentials_set_once_go_where_each_operation_requires_them() {
    let url = serve().await;
    let client = Client::new(&url)
        .unwrap()
        .with_bearer_auth("tok")
        .with_api_key_auth("key-1")
        .with_cookie_key("sess")
        .with_query_key("q-key")
        .with_o_auth("oauth-token");
    assert_eq!(
        client.by_default().send().await.unwrap(),
        ByDefaultResponse::Ok(schemes(&["BearerAuth=tok"]))
    );
    assert_eq!(
        client.with_key().send().await.unwrap(),
        WithKeyResponse::Ok(schemes(&["ApiKeyAuth=key-1"]))
    );
    // No basic credentials: the second alternative, a query key, is used.
    assert_eq!(
        client.either_way().send().await.unwrap(),
        EitherWayResponse::Ok(schemes(&["QueryKey=q-key"]))
    );
    assert_eq!(
        client.key_and_cookie().send().await.unwrap(),
        KeyAndCookieResponse::Ok(schemes(&["ApiKeyAuth=key-1", "CookieKey=sess"]))
    );
    assert_eq!(
        client.optional_auth().send().await.unwrap(),
        OptionalAuthResponse::Ok(schemes(&["OAuth=oauth-token"]))
    );
    assert_eq!(
        client.open().send().await.unwrap(),
        OpenResponse::Ok(schemes(&[]))
    );

    let basic = Client::new(&url).unwrap().with_basic_auth("ann", "pa:ss");
    assert_eq!(
        basic.either_way().send().await.unwrap(),
        EitherWayResponse::Ok(schemes(&["BasicAuth=ann:pa:ss"]))
    );
}

#[tokio::test]
async fn missing_credentials_are_401_unless_optional() {
    let url = serve().await;
    let client = Client::new(&url).unwrap();
    for status in [
        client.by_default().send().await.unwrap_err().status(),
        client.with_key().send().await.unwrap_err().status(),
        client.either_way().send().await.unwrap_err().status(),
    ] {
        assert_eq!(status, Some(401));
    }
    // Half of a combined requirement is not enough.
    let half = Client::new(&url).unwrap().with_api_key_auth("key-1");
    // The server's 401 is problem details, which the client reads as a typed `Problem`.
    let error = half.key_and_cookie().send().await.unwrap_err();
    let Error::Problem { problem, .. } = error else {
        panic!("not a problem: {error:?}");
    };
    assert_eq!(problem.status, 401);
    assert!(problem
        .detail
        .unwrap_or_default()
        .contains("ApiKeyAuth and CookieKey"));
    // Optional security: no credentials is fine.
    assert_eq!(
        client.optional_auth().send().await.unwrap(),
        OptionalAuthResponse::Ok(schemes(&[]))
    );
}

#[tokio::test]
async fn credentials_never_show_in_debug_output() {
    let client = Client::new("http://127.0.0.1:1")
        .unwrap()
        .with_bearer_auth("very-secret-token")
        .with_basic_auth("ann", "very-secret-password")
        .with_api_key_auth("very-secret-key");
    let shown = format!("{client:?}");
    assert!(!shown.contains("very-secret"), "{shown}");
    assert!(shown.contains("<redacted>"));
    let credential = Credential::Basic {
        username: "ann".to_owned(),
        password: "very-secret-password".to_owned(),
    };
    assert!(!format!("{credential:?}").contains("very-secret"));
}
