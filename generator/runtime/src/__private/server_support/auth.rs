//! Credentials a request carries, by security scheme: [`Credential`], [`Auth`], and
//! `Incoming::auth`, which answers 401 where no requirement is met.

use crate::problem::Problem;

use super::*;

/// A credential a request carried. `Debug` never shows its value.
#[derive(Clone, PartialEq, Eq)]
pub enum Credential {
    /// An API key, from the header, query parameter or cookie the scheme names.
    ApiKey(String),
    /// The token of `Authorization: Bearer <token>`.
    Bearer(String),
    /// The user and password of `Authorization: Basic ...`.
    Basic { username: String, password: String },
}

impl std::fmt::Debug for Credential {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Credential::ApiKey(_) => f.write_str("ApiKey(<redacted>)"),
            Credential::Bearer(_) => f.write_str("Bearer(<redacted>)"),
            Credential::Basic { username, .. } => write!(f, "Basic({username}, <redacted>)"),
        }
    }
}

/// The credentials that met an operation's security requirement, by scheme name. It is
/// empty when the operation's security is optional and the request carried none.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Auth {
    pub credentials: Vec<(&'static str, Credential)>,
}

impl Auth {
    /// The credential for the scheme the spec names `scheme`.
    pub fn get(&self, scheme: &str) -> Option<&Credential> {
        self.credentials
            .iter()
            .find(|(name, _)| *name == scheme)
            .map(|(_, c)| c)
    }
}

/// Where a scheme's credential is, as the router looks for it.
pub enum Scheme {
    ApiKeyHeader(&'static str),
    ApiKeyQuery(&'static str),
    ApiKeyCookie(&'static str),
    Bearer,
    Basic,
}

impl Incoming {
    /// The credentials of the first security requirement the request meets; 401 when it
    /// meets none. An empty requirement set makes credentials optional.
    pub fn auth(&self, alternatives: &[&[(&'static str, Scheme)]]) -> Result<Auth, Problem> {
        for set in alternatives.iter().filter(|set| !set.is_empty()) {
            let found: Option<Vec<_>> = set
                .iter()
                .map(|(name, scheme)| self.credential(scheme).map(|c| (*name, c)))
                .collect();
            if let Some(credentials) = found {
                return Ok(Auth { credentials });
            }
        }
        if alternatives.iter().any(|set| set.is_empty()) {
            return Ok(Auth::default());
        }
        let needed: Vec<String> = alternatives
            .iter()
            .map(|set| {
                set.iter()
                    .map(|(n, _)| *n)
                    .collect::<Vec<_>>()
                    .join(" and ")
            })
            .collect();
        Err(Problem::new(
            401,
            format!("this operation needs credentials: {}", needed.join(", or ")),
        ))
    }

    fn credential(&self, scheme: &Scheme) -> Option<Credential> {
        let authorization = || {
            self.headers
                .get(axum::http::header::AUTHORIZATION)
                .and_then(|v| v.to_str().ok())
                .and_then(|v| v.split_once(' '))
        };
        match scheme {
            Scheme::ApiKeyHeader(name) => self
                .header_text(name)
                .ok()
                .flatten()
                .map(|v| Credential::ApiKey(v.to_owned())),
            Scheme::ApiKeyQuery(name) => self
                .query_values(name)
                .first()
                .map(|v| Credential::ApiKey((*v).to_owned())),
            Scheme::ApiKeyCookie(name) => self
                .cookie_text(name)
                .map(|v| Credential::ApiKey(v.to_owned())),
            Scheme::Bearer => authorization()
                .filter(|(kind, _)| kind.eq_ignore_ascii_case("bearer"))
                .map(|(_, token)| Credential::Bearer(token.trim().to_owned())),
            Scheme::Basic => {
                use base64::Engine;
                let (kind, encoded) = authorization()?;
                if !kind.eq_ignore_ascii_case("basic") {
                    return None;
                }
                let decoded = base64::engine::general_purpose::STANDARD
                    .decode(encoded.trim())
                    .ok()?;
                let text = String::from_utf8(decoded).ok()?;
                let (username, password) = text.split_once(':')?;
                Some(Credential::Basic {
                    username: username.to_owned(),
                    password: password.to_owned(),
                })
            }
        }
    }
}
