//! The account of a run: what the spec declares against what arrives in the crate.
//!
//! Operations and webhooks are counted in the documents as written (every method of every
//! path item, of `webhooks` and of each operation's `callbacks`) and in the model; schemas
//! are counted as lowering meets them, each place once, typed or read as any JSON value.
//! What did not arrive is listed by the diagnostics that are losses ([`Diagnostic::loss`]).

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use crate::diagnostics::{Diagnostic, Diagnostics, Loss};
use crate::model::Api;

/// The methods of a path item.
const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// What one API declares, kept and lost.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Account {
    pub operations_declared: usize,
    pub operations_generated: usize,
    pub webhooks_declared: usize,
    pub webhooks_generated: usize,
    /// Schemas lowered, each place once.
    pub schemas: usize,
    /// Of those, the ones read as any JSON value (`serde_json::Value`), by declaration
    /// (`{}`, no type) or not.
    pub schemas_any: usize,
    /// Schemas that declare a type (or properties, items, an enum, composition) and are
    /// nevertheless read as any JSON value: the places of [`Loss::AnyValue`] losses.
    pub schemas_loosened: usize,
    /// The losses by rule.
    pub losses: BTreeMap<&'static str, usize>,
}

impl Account {
    /// The account of a model and the diagnostics met making it.
    pub fn of(api: &Api, diagnostics: &[Diagnostic]) -> Account {
        let loosened: BTreeSet<(&str, &str)> = diagnostics
            .iter()
            .filter(|d| d.loss == Some(Loss::AnyValue))
            .map(|d| (d.file.as_str(), d.pointer.as_str()))
            .collect();
        Account {
            operations_declared: api.kept.operations_declared,
            operations_generated: api.operations.len(),
            webhooks_declared: api.kept.webhooks_declared,
            webhooks_generated: generated_webhooks(api),
            schemas: api.kept.schemas,
            schemas_any: api.kept.schemas_any,
            schemas_loosened: loosened.len(),
            losses: losses_by_rule(diagnostics),
        }
    }

    /// Whether everything declared arrived: no loss, every operation and webhook generated.
    pub fn is_complete(&self) -> bool {
        self.losses.is_empty()
            && self.operations_generated >= self.operations_declared
            && self.webhooks_generated >= self.webhooks_declared
    }
}

/// The webhooks and callbacks the model holds, each method once: the one place that counts
/// them.
pub fn generated_webhooks(api: &Api) -> usize {
    api.events.len()
}

/// Reports operations and webhooks the documents declare that are neither generated nor
/// reported lost where they are, as one loss of each kind for the document (rule
/// `unaccounted`): nothing declared goes missing without a word.
pub(crate) fn report_unaccounted(api: &Api, file: &str, diags: &mut Diagnostics) {
    let operations = api
        .kept
        .operations_declared
        .saturating_sub(api.operations.len() + diags.losses_of(Loss::Operation));
    if operations > 0 {
        diags.lose(
            Loss::Operation,
            "unaccounted",
            file,
            "",
            format!(
                "{operations} of the {} operations declared are not generated, and no other \
                 diagnostic says why",
                api.kept.operations_declared
            ),
        );
    }
    let webhooks = api
        .kept
        .webhooks_declared
        .saturating_sub(generated_webhooks(api) + diags.losses_of(Loss::Webhook));
    if webhooks > 0 {
        diags.lose(
            Loss::Webhook,
            "unaccounted",
            file,
            "",
            format!(
                "{webhooks} of the {} webhooks and callbacks declared are not generated",
                api.kept.webhooks_declared
            ),
        );
    }
}

/// The losses among `diagnostics`, counted by rule.
pub fn losses_by_rule(diagnostics: &[Diagnostic]) -> BTreeMap<&'static str, usize> {
    let mut rules = BTreeMap::new();
    for d in diagnostics.iter().filter(|d| d.loss.is_some()) {
        *rules.entry(d.rule).or_default() += 1;
    }
    rules
}

/// What a document declares, as written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Declared {
    /// Every method of every path item under `paths`: its fixed fields, 3.2's `query`
    /// and each entry of its `additionalOperations`.
    pub operations: usize,
    /// Every method of every path item under `webhooks` and under each operation's
    /// `callbacks` (a callback's own callbacks included).
    pub webhooks: usize,
}

/// What the documents of an API declare, read on their own: for an API that failed before
/// its model was made, so its declarations still count against what was generated.
pub fn declared_in(input: &crate::ApiInput) -> Declared {
    let mut diags = crate::diagnostics::Diagnostics::default();
    let loaded = input
        .sources
        .iter()
        .filter_map(|source| crate::load::load_document(source, &mut diags))
        .collect();
    let documents = crate::load::bundle_roots(loaded, BTreeMap::new(), &mut diags);
    declared_all(documents.iter().map(|(doc, _)| &doc.value))
}

/// What the documents of one API declare, together: an operation (or webhook) given the
/// same in two documents of a folder is one, as merging them makes it.
pub(crate) fn declared_all<'v>(documents: impl IntoIterator<Item = &'v Value>) -> Declared {
    let mut found = Found::default();
    for document in documents {
        found.document(document);
    }
    Declared {
        operations: found.operations.len(),
        webhooks: found.webhooks.len(),
    }
}

/// Counts what `document` declares. Local `$ref`s to path items and callbacks are followed
/// (one step each: a chain of refs is a defect reported elsewhere).
pub fn declared(document: &Value) -> Declared {
    declared_all([document])
}

/// The operations and webhooks found, each by where it is declared (a path and method; a
/// webhook's name, or the operation, callback and expression of a callback, and method).
#[derive(Default)]
struct Found<'v> {
    operations: BTreeSet<Vec<&'v str>>,
    webhooks: BTreeSet<Vec<&'v str>>,
}

impl<'v> Found<'v> {
    fn document(&mut self, document: &'v Value) {
        for (path, item) in members(document.get("paths")) {
            for (method, operation) in methods(document, item) {
                self.callbacks(document, operation, vec![path, method]);
                self.operations.insert(vec![path, method]);
            }
        }
        for (name, item) in members(document.get("webhooks")) {
            for (method, operation) in methods(document, item) {
                let at = vec!["webhooks", name, method];
                self.callbacks(document, operation, at.clone());
                self.webhooks.insert(at);
            }
        }
    }

    /// The callbacks of the operation `at`, their own callbacks included.
    fn callbacks(&mut self, document: &'v Value, operation: &'v Value, at: Vec<&'v str>) {
        for (name, callback) in members(operation.get("callbacks")) {
            for (expression, item) in members(Some(follow(document, callback))) {
                for (method, inner) in methods(document, item) {
                    let mut key = at.clone();
                    key.extend([name, expression, method]);
                    // The depth bound stops callbacks that include themselves by ref.
                    if key.len() < 64 {
                        self.callbacks(document, inner, key.clone());
                    }
                    self.webhooks.insert(key);
                }
            }
        }
    }
}

/// The operations of a path item, by method: its fixed fields, 3.2's `query`, and each
/// entry of its `additionalOperations` (by that key and the method's name).
fn methods<'v>(document: &'v Value, item: &'v Value) -> impl Iterator<Item = (&'v str, &'v Value)> {
    let item = follow(document, item);
    let fixed = item
        .as_object()
        .into_iter()
        .flatten()
        .filter(|(key, value)| {
            (METHODS.contains(&key.as_str()) || key.as_str() == "query") && value.is_object()
        })
        .map(|(key, value)| (key.as_str(), value));
    let additional =
        members(item.get("additionalOperations")).filter(|(_, value)| value.is_object());
    fixed.chain(additional)
}

/// The members of a map (none for anything else).
fn members(value: Option<&Value>) -> impl Iterator<Item = (&str, &Value)> {
    value
        .and_then(Value::as_object)
        .into_iter()
        .flatten()
        .map(|(k, v)| (k.as_str(), v))
}

/// The target of a local `$ref`, or the value itself.
fn follow<'v>(document: &'v Value, value: &'v Value) -> &'v Value {
    value
        .get("$ref")
        .and_then(Value::as_str)
        .and_then(|r| r.strip_prefix('#'))
        .and_then(|pointer| document.pointer(pointer))
        .unwrap_or(value)
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    #[test]
    fn declared_counts_methods_of_paths_webhooks_and_callbacks() {
        let document = json!({
            "paths": {
                "/a": {
                    "parameters": [],
                    "get": {},
                    "post": {"callbacks": {
                        "done": {"{$request.body#/url}": {"post": {}, "put": {}}},
                        "shared": {"$ref": "#/components/callbacks/c"}
                    }}
                },
                "/b": {"$ref": "#/components/pathItems/b"}
            },
            "webhooks": {"ping": {"post": {}}, "pong": {"$ref": "#/components/pathItems/b"}},
            "components": {
                "pathItems": {"b": {"delete": {}, "summary": "b"}},
                "callbacks": {"c": {"{$url}": {"get": {}}}}
            }
        });
        assert_eq!(
            declared(&document),
            Declared {
                operations: 3,
                webhooks: 5
            }
        );
    }

    /// 3.2's `query` and each `additionalOperations` entry are operations declared.
    #[test]
    fn declared_counts_query_and_additional_operations() {
        let document = json!({
            "paths": {"/a": {
                "get": {},
                "query": {},
                "additionalOperations": {"COPY": {}, "PURGE": {}},
                "summary": "a"
            }}
        });
        assert_eq!(
            declared(&document),
            Declared {
                operations: 4,
                webhooks: 0
            }
        );
    }
}
