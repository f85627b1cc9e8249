//! The spec's `servers` as the client's typed choice of base URL: each server whose URL is
//! absolute once its variables take their defaults is a variant of the crate's
//! `base_urls::Server`, named after its description (or its host), each variable a field:
//! an enum of the values its `enum` lists, or text.

use openapiv3::{OpenAPI, Operation as SpecOperation, PathItem};

use super::names::{pascal, snake, Namespace};
use super::types::{string_variants, GivenNames};
use super::Lowerer;
use crate::diagnostics::pointer_push;
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
        if !is_absolute(&url) {
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

impl Lowerer<'_> {
    /// The base URL an operation's own `servers`, else its path's, send it to: the first,
    /// its variables at their defaults. `None` where there are none, where the first is one
    /// of the document's servers (Twilio repeats its own on every path: the client's base
    /// URL is the user's choice among those), or where it is not an absolute URL (warned).
    pub(super) fn operation_server(
        &mut self,
        item: &PathItem,
        op: &SpecOperation,
        pointer: &str,
    ) -> Option<String> {
        let (own, at) = if op.servers.is_empty() {
            (
                item.servers.first()?,
                pointer_push(pointer.rsplit_once('/')?.0, "servers"),
            )
        } else {
            (op.servers.first()?, pointer_push(pointer, "servers"))
        };
        if self.spec.servers.iter().any(|server| server.url == own.url) {
            return None;
        }
        let url = filled(own);
        let why = if !is_absolute(&url) || url.contains('{') {
            "is not an absolute http(s) URL once its variables take their defaults"
        } else if !self.spec.servers.iter().any(|s| is_absolute(&filled(s))) {
            "cannot be told apart from the document's, which names no absolute server URL for the client's to be one of"
        } else {
            return Some(url);
        };
        self.warn(
            "operation-server",
            &pointer_push(&at, "0"),
            format!(
                "the server {:?} {why}; this operation goes to the client's base URL",
                own.url
            ),
        );
        None
    }
}

/// A server's URL with its variables at their defaults.
fn filled(server: &openapiv3::Server) -> String {
    let defaults = server.variables.iter().flatten();
    crate::model::fill_variables(
        &server.url,
        defaults.map(|(name, variable)| (name.as_str(), variable.default.as_str())),
    )
}

fn is_absolute(url: &str) -> bool {
    url.starts_with("http://") || url.starts_with("https://")
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
