//! Where and how a 2.0 API is reached: `securityDefinitions` as 3.0 security schemes, and
//! `host`, `basePath` and `schemes` as servers.

use serde_json::{json, Map, Value};

use super::Upgrade;
use crate::diagnostics::{pointer_push, Loss};

impl Upgrade<'_> {
    pub(super) fn security_scheme(&mut self, scheme: &Value, from: &str) -> Option<Value> {
        let description = scheme.get("description").cloned();
        let mut new = match scheme.get("type").and_then(Value::as_str) {
            Some("basic") => json!({"type": "http", "scheme": "basic"}),
            Some("apiKey") => json!({
                "type": "apiKey",
                "name": scheme.get("name").cloned().unwrap_or(Value::Null),
                "in": scheme.get("in").cloned().unwrap_or(Value::Null),
            }),
            Some("oauth2") => {
                let scopes = scheme.get("scopes").cloned().unwrap_or(json!({}));
                let url = |key: &str| scheme.get(key).cloned().unwrap_or(json!(""));
                let (name, flow) = match scheme.get("flow").and_then(Value::as_str) {
                    Some("implicit") => (
                        "implicit",
                        json!({"authorizationUrl": url("authorizationUrl"), "scopes": scopes}),
                    ),
                    Some("password") => (
                        "password",
                        json!({"tokenUrl": url("tokenUrl"), "scopes": scopes}),
                    ),
                    Some("application") => (
                        "clientCredentials",
                        json!({"tokenUrl": url("tokenUrl"), "scopes": scopes}),
                    ),
                    Some("accessCode") => (
                        "authorizationCode",
                        json!({
                            "authorizationUrl": url("authorizationUrl"),
                            "tokenUrl": url("tokenUrl"),
                            "scopes": scopes
                        }),
                    ),
                    other => {
                        self.diags.lose(
                            Loss::Security,
                            "swagger2",
                            self.file,
                            &pointer_push(from, "flow"),
                            format!("oauth2 flow {other:?} is not one of Swagger 2.0's; this scheme is left out"),
                        );
                        return None;
                    }
                };
                json!({"type": "oauth2", "flows": {name: flow}})
            }
            other => {
                self.diags.lose(
                    Loss::Security,
                    "swagger2",
                    self.file,
                    &pointer_push(from, "type"),
                    format!("security scheme type {other:?} is not one of Swagger 2.0's; this scheme is left out"),
                );
                return None;
            }
        };
        if let Some(description) = description {
            new["description"] = description;
        }
        Some(new)
    }
}

/// The servers `host`, `basePath` and `schemes` name: one per scheme, `https` first; a
/// document without `host` has a relative server (its base path), as 2.0 says the host is
/// the one serving the document.
pub(super) fn servers(old: &Map<String, Value>) -> Option<Value> {
    let base = old.get("basePath").and_then(Value::as_str).unwrap_or("");
    let base = base.trim_end_matches('/');
    let Some(host) = old.get("host").and_then(Value::as_str) else {
        return (!base.is_empty()).then(|| json!([{"url": base}]));
    };
    let mut schemes: Vec<&str> = old
        .get("schemes")
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .filter(|s| matches!(*s, "http" | "https"))
        .collect();
    schemes.sort_by_key(|s| *s != "https");
    schemes.dedup();
    if schemes.is_empty() {
        schemes.push("https");
    }
    let host = host.trim_end_matches('/');
    Some(Value::Array(
        schemes
            .into_iter()
            .map(|scheme| json!({"url": format!("{scheme}://{host}{base}")}))
            .collect(),
    ))
}
