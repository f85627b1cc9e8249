//! The spec's `servers` as the client's typed choice of base URL: each server whose URL is
//! absolute once its variables take their defaults is a variant of the crate's
//! `base_urls::Server`, named after its description (or its host), each variable a field:
//! an enum of the values its `enum` lists, or text.

use openapiv3::OpenAPI;

use super::names::{pascal, snake, Namespace};
use super::types::{string_variants, GivenNames};
use crate::model::{Docs, Server, ServerVariable};

/// The names `base_urls` holds besides the servers' variable enums.
const MODULE_NAMES: &[&str] = &["Server", "DEFAULT", "Self"];

pub(super) fn servers(spec: &OpenAPI) -> Vec<Server> {
    let mut variants = Namespace::with_reserved(&["Self"]);
    let mut types = Namespace::with_reserved(MODULE_NAMES);
    let mut servers = Vec::new();
    for server in &spec.servers {
        let mut variables = Vec::new();
        let mut fields = Namespace::default();
        for (name, variable) in server.variables.iter().flatten() {
            let mut values: Vec<&str> = variable.enumeration.iter().map(String::as_str).collect();
            // A default the list leaves out is one more value, not a URL nobody can build.
            if !values.is_empty() && !values.contains(&variable.default.as_str()) {
                values.insert(0, &variable.default);
            }
            variables.push(ServerVariable {
                name: name.clone(),
                field: fields.claim(snake(name, "value")),
                default: variable.default.clone(),
                values: string_variants(&values, &GivenNames::new()),
                type_name: String::new(),
                docs: Docs::description(variable.description.as_deref()),
            });
        }
        let mut candidate = Server {
            template: server.url.clone(),
            name: String::new(),
            docs: Docs::description(server.description.as_deref()),
            variables,
        };
        let url = candidate.url_with(&[]);
        if !(url.starts_with("http://") || url.starts_with("https://")) {
            continue;
        }
        candidate.name = variants.claim(variant_base(server.description.as_deref(), &url));
        for variable in &mut candidate.variables {
            if !variable.values.is_empty() {
                let base = format!("{}{}", candidate.name, pascal(&variable.name, "Value"));
                variable.type_name = types.claim(base);
            }
        }
        servers.push(candidate);
    }
    servers
}

/// A server's name: its description when that is a short name (`Production`, `EU
/// sandbox`), else the first label of its host that is a word (`staging` of
/// `staging.example.com`), else `Server`.
fn variant_base(description: Option<&str>, url: &str) -> String {
    if let Some(description) = description {
        let words = description.split_whitespace().count();
        if (1..=4).contains(&words) && description.chars().any(char::is_alphabetic) {
            return pascal(description, "Server");
        }
    }
    let host = url
        .split_once("://")
        .map_or(url, |(_, rest)| rest)
        .split(['/', ':', '?', '#'])
        .next()
        .unwrap_or("");
    host.split('.')
        .find(|label| {
            !matches!(*label, "www" | "api")
                && label.chars().next().is_some_and(char::is_alphabetic)
        })
        .map_or_else(|| "Server".to_owned(), |label| pascal(label, "Server"))
}

#[cfg(test)]
mod tests {
    use super::variant_base;

    #[test]
    fn servers_are_named_by_a_short_description_else_their_host() {
        assert_eq!(
            variant_base(Some("Production"), "https://x.io"),
            "Production"
        );
        assert_eq!(
            variant_base(
                Some("The server that runs in the EU region"),
                "https://eu.x.io/v1"
            ),
            "Eu"
        );
        assert_eq!(variant_base(None, "https://api.stripe.com/v1"), "Stripe");
        assert_eq!(variant_base(None, "http://127.0.0.1:8080"), "Server");
        assert_eq!(variant_base(None, "http://localhost:8080/v1"), "Localhost");
    }
}
