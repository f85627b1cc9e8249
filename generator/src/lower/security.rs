//! Security schemes and the requirements operations put on them.

use openapiv3::{APIKeyLocation, SecurityRequirement, SecurityScheme as SpecScheme};

use super::{snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{Docs, Location, SchemeKind, SecurityScheme};

impl<'a> Lowerer<'a> {
    /// The schemes of `components.securitySchemes` that the generator can apply; others are
    /// reported and left out, and requirements naming them cannot be met.
    pub(super) fn lower_security_schemes(&mut self) -> Vec<SecurityScheme> {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return Vec::new();
        };
        // Client methods are named `with_<scheme>`; keep them apart.
        let mut names = Namespace::default();
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
                SpecScheme::OAuth2 { description, .. }
                | SpecScheme::OpenIDConnect { description, .. } => {
                    (SchemeKind::Bearer, description)
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

    /// An operation's requirements (its own, else the document's), as sets of scheme
    /// indices. A set naming an unknown scheme cannot be met and is dropped with a warning.
    pub(super) fn lower_requirements(
        &mut self,
        own: Option<&'a Vec<SecurityRequirement>>,
        pointer: &str,
    ) -> Vec<Vec<usize>> {
        let (requirements, pointer) = match own {
            Some(own) => (own, pointer_push(pointer, "security")),
            None => match &self.spec.security {
                Some(global) => (global, "/security".to_owned()),
                None => return Vec::new(),
            },
        };
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
                sets.push(set);
            }
        }
        sets
    }
}
