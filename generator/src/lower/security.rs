//! Security schemes and the requirements operations put on them.

use openapiv3::{APIKeyLocation, OAuth2Flows, SecurityRequirement, SecurityScheme as SpecScheme};

use super::{snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{Docs, FlowKind, Location, OAuthFlow, SchemeKind, SecurityScheme};

/// An operation's requirements as sets of scheme indices, and the scopes they name by scheme.
type Requirements = (Vec<Vec<usize>>, Vec<(usize, Vec<String>)>);

/// Where OpenAPI 3.2's `deviceAuthorization` flow waits for lowering: openapiv3 keeps only
/// `x-` keys of `flows`, and the `device-authorization` rule moves it here.
pub(crate) const DEVICE_FLOW_KEY: &str = "x-device-authorization";

impl<'a> Lowerer<'a> {
    /// The schemes of `components.securitySchemes` that the generator can apply; others are
    /// reported and left out, and requirements naming them cannot be met.
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return Vec::new();
        };
        // Client methods are named `with_<scheme>`; keep them apart, and apart from the
        // client's own `with_` methods.
        let own = super::operations::CLIENT_METHODS
            .iter()
            .filter_map(|method| method.strip_prefix("with_"));
        let mut names = Namespace::with_reserved(&own.collect::<Vec<_>>());
        let mut schemes = Vec::new();
        for (api_name, scheme) in &components.security_schemes {
            let pointer = pointer_push("/components/securitySchemes", api_name);
            let Some(scheme) =
                self.resolve(scheme, "securitySchemes", |c| &c.security_schemes, &pointer)
            else {
                continue;
            };
            let (kind, description) = match scheme {
                SpecScheme::APIKey {
                    location,
                    name,
                    description,
                    ..
                } => (
                    SchemeKind::ApiKey {
                        location: match location {
                            APIKeyLocation::Query => Location::Query,
                            APIKeyLocation::Header => Location::Header,
                            APIKeyLocation::Cookie => Location::Cookie,
                        },
                        param: name.clone(),
                    },
                    description,
                ),
                SpecScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("bearer") => (SchemeKind::Bearer, description),
                SpecScheme::HTTP {
                    scheme,
                    description,
                    ..
                } if scheme.eq_ignore_ascii_case("basic") => (SchemeKind::Basic, description),
                SpecScheme::HTTP { scheme, .. } => {
                    self.lose(
                        Loss::Security,
                        "security-scheme",
                        &pointer,
                        format!("HTTP authentication scheme {scheme:?} is not supported; operations requiring only it are sent without credentials"),
                    );
                    continue;
                }
                SpecScheme::OAuth2 {
                    flows, description, ..
                } => {
                    let flows = self.lower_flows(flows, &pointer_push(&pointer, "flows"));
                    (SchemeKind::OAuth2 { flows }, description)
                }
                SpecScheme::OpenIDConnect {
                    open_id_connect_url,
                    description,
                    ..
                } => {
                    let at = pointer_push(&pointer, "openIdConnectUrl");
                    let discovery = self
                        .endpoint(open_id_connect_url, &at, "it is not used")
                        .unwrap_or_default();
                    (SchemeKind::OpenIdConnect { discovery }, description)
                }
            };
            schemes.push(SecurityScheme {
                name: names.claim(snake(api_name, "auth")),
                api_name: api_name.clone(),
                kind,
                docs: Docs::description(description.as_deref()),
            });
        }
        schemes
    }

    /// The flows of an OAuth 2 scheme, in a fixed order. A flow whose URL is not one is
    /// left out with a located loss; the scheme keeps its others (and a token set by hand).
    fn lower_flows(&mut self, flows: &OAuth2Flows, pointer: &str) -> Vec<OAuthFlow> {
        let flow = |kind,
                    authorization: Option<&String>,
                    token: Option<&String>,
                    refresh: Option<&String>,
                    scopes: &indexmap::IndexMap<String, String>| OAuthFlow {
            kind,
            authorization_url: authorization.cloned(),
            token_url: token.cloned(),
            refresh_url: refresh.cloned(),
            device_authorization_url: None,
            scopes: scopes.iter().map(|(n, t)| (n.clone(), t.clone())).collect(),
        };
        let mut found = Vec::new();
        if let Some(f) = &flows.client_credentials {
            found.push(flow(
                FlowKind::ClientCredentials,
                None,
                Some(&f.token_url),
                f.refresh_url.as_ref(),
                &f.scopes,
            ));
        }
        if let Some(f) = &flows.authorization_code {
            found.push(flow(
                FlowKind::AuthorizationCode,
                Some(&f.authorization_url),
                Some(&f.token_url),
                f.refresh_url.as_ref(),
                &f.scopes,
            ));
        }
        if let Some(f) = &flows.password {
            found.push(flow(
                FlowKind::Password,
                None,
                Some(&f.token_url),
                f.refresh_url.as_ref(),
                &f.scopes,
            ));
        }
        if let Some(f) = &flows.implicit {
            found.push(flow(
                FlowKind::Implicit,
                Some(&f.authorization_url),
                None,
                f.refresh_url.as_ref(),
                &f.scopes,
            ));
        }
        if let Some(device) = flows.extensions.get(DEVICE_FLOW_KEY) {
            let url = |key: &str| device.get(key).and_then(|u| u.as_str()).map(str::to_owned);
            let listed = device.get("scopes").and_then(|s| s.as_object());
            let scopes = listed
                .into_iter()
                .flatten()
                .map(|(name, text)| (name.clone(), text.as_str().unwrap_or_default().to_owned()));
            found.push(OAuthFlow {
                kind: FlowKind::DeviceAuthorization,
                authorization_url: None,
                token_url: url("tokenUrl"),
                refresh_url: url("refreshUrl"),
                device_authorization_url: url("deviceAuthorizationUrl"),
                scopes: scopes.collect(),
            });
        }
        found.retain(|flow| self.check_flow(flow, &pointer_push(pointer, flow.kind.api_name())));
        found
    }

    /// Whether every URL of `flow` (at `pointer`) is one the client can use, each one not a
    /// located loss. The device flow's URLs are required; openapiv3 checked the others'.
    fn check_flow(&mut self, flow: &OAuthFlow, pointer: &str) -> bool {
        let urls = [
            ("authorizationUrl", &flow.authorization_url),
            ("tokenUrl", &flow.token_url),
            ("refreshUrl", &flow.refresh_url),
            ("deviceAuthorizationUrl", &flow.device_authorization_url),
        ];
        let mut usable = true;
        for (key, url) in urls {
            if let Some(url) = url {
                let at = pointer_push(pointer, key);
                usable &= self.endpoint(url, &at, "this flow is left out").is_some();
            }
        }
        let incomplete = flow.kind == FlowKind::DeviceAuthorization
            && (flow.token_url.is_none() || flow.device_authorization_url.is_none());
        if usable && incomplete {
            self.lose(
                Loss::Security,
                "security-scheme",
                pointer,
                "the deviceAuthorization flow needs a deviceAuthorizationUrl and a tokenUrl; this flow is left out".to_owned(),
            );
        }
        usable && !incomplete
    }

    /// An endpoint's URL as the spec writes it, when it is one: absolute with `http` or
    /// `https`, or relative (to the server's URL, resolved by the client). Anything else
    /// is a located loss and `None`.
    fn endpoint(&mut self, url: &str, pointer: &str, consequence: &str) -> Option<String> {
        match endpoint_problem(url) {
            None => Some(url.to_owned()),
            Some(problem) => {
                self.lose(
                    Loss::Security,
                    "security-scheme",
                    pointer,
                    format!("{url:?} is not a URL the client can use ({problem}); {consequence}"),
                );
                None
            }
        }
    }

    /// An operation's requirements (its own, else the document's), as sets of scheme
    /// indices, and the scopes they name for each OAuth 2 or OpenID Connect scheme. A set
    /// naming an unknown scheme cannot be met and is dropped with a warning.
    pub(super) fn lower_requirements(
        &mut self,
        own: Option<&'a Vec<SecurityRequirement>>,
        pointer: &str,
    ) -> Requirements {
        let (requirements, pointer) = match own {
            Some(own) => (own, pointer_push(pointer, "security")),
            None => match &self.spec.security {
                Some(global) => (global, "/security".to_owned()),
                None => return (Vec::new(), Vec::new()),
            },
        };
        let mut scopes: std::collections::BTreeMap<usize, std::collections::BTreeSet<String>> =
            Default::default();
        let mut sets = Vec::new();
        for (i, requirement) in requirements.iter().enumerate() {
            let mut set = Vec::new();
            for name in requirement.keys() {
                match self.schemes.iter().position(|s| &s.api_name == name) {
                    Some(index) => set.push(index),
                    None => {
                        self.lose(
                            Loss::Security,
                            "security-requirement",
                            &pointer_push(&pointer, &i.to_string()),
                            format!("security scheme {name:?} is not declared (or not supported); this requirement is left out"),
                        );
                        set.clear();
                        break;
                    }
                }
            }
            if !set.is_empty() || requirement.is_empty() {
                for (index, (_, named)) in set.iter().zip(requirement) {
                    if !named.is_empty() && self.schemes[*index].kind.is_token() {
                        scopes
                            .entry(*index)
                            .or_default()
                            .extend(named.iter().cloned());
                    }
                }
                sets.push(set);
            }
        }
        let scopes = scopes
            .into_iter()
            .map(|(index, named)| (index, named.into_iter().collect()))
            .collect();
        (sets, scopes)
    }
}

/// What keeps `url` from being an endpoint the client can reach, if anything.
fn endpoint_problem(url: &str) -> Option<&'static str> {
    if url.trim().is_empty() {
        return Some("it is empty");
    }
    if url
        .chars()
        .any(|c| c.is_whitespace() || c.is_control() || c == '\\')
    {
        return Some("it holds a space, a control character or a backslash");
    }
    let scheme_end = url.find(':').filter(|&end| {
        let scheme = &url[..end];
        scheme.starts_with(|c: char| c.is_ascii_alphabetic())
            && scheme
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || "+-.".contains(c))
    });
    let Some(end) = scheme_end else {
        // Relative: the client resolves it against its base URL.
        return None;
    };
    let scheme = url[..end].to_ascii_lowercase();
    if scheme != "http" && scheme != "https" {
        return Some("its scheme is not http or https");
    }
    match url[end + 1..].strip_prefix("//") {
        Some(rest) if !rest.is_empty() && !rest.starts_with(['/', '?', '#']) => None,
        _ => Some("it names no host"),
    }
}
