//! Reading the normalized tree as an `openapiv3::OpenAPI` document.

use serde_json::Value;

use crate::diagnostics::{pointer_push, Diagnostics, Loss};

mod ahead;
mod degrade;
mod methods;

pub use methods::ExtensionOperation;

/// A parsed document: openapiv3's, and the webhooks that its 3.0 types do not hold.
pub struct Spec {
    pub api: openapiv3::OpenAPI,
    /// 3.1's top-level `webhooks`, each path item read by openapiv3's own `PathItem`, in
    /// the document's order.
    pub webhooks: Vec<(String, openapiv3::PathItem)>,
    /// 3.2's `query` and `additionalOperations` of the items under `paths`, which the 3.0
    /// types do not hold, in the document's order.
    pub extension_operations: Vec<ExtensionOperation>,
}

/// Checks the version field first, so that a Swagger 1.x or OpenAPI 4 document gets one
/// clear message instead of a list of shape errors, then deserializes (a Swagger 2.0
/// document arrives here read as OpenAPI 3.0). A shape error names
/// the JSON pointer where deserialization failed.
pub fn parse_document(value: Value, file: &str, diags: &mut Diagnostics) -> Option<Spec> {
    if let Some(swagger) = value.get("swagger") {
        diags.error(
            "version",
            file,
            "/swagger",
            format!(
                "this is a Swagger {} document; Swagger 2.0 and OpenAPI 3.0, 3.1 and 3.2 are read",
                display_version(swagger)
            ),
        );
        return None;
    }
    match value.get("openapi") {
        Some(Value::String(v)) if is_openapi_3(v) => {}
        Some(other) => {
            diags.error(
                "version",
                file,
                "/openapi",
                format!(
                    "OpenAPI {} is not supported; OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 are",
                    display_version(other)
                ),
            );
            return None;
        }
        None => {
            diags.error(
                "version",
                file,
                "",
                "not an OpenAPI document: there is no `openapi` version field".to_owned(),
            );
            return None;
        }
    }
    let mut value = value;
    // openapiv3 would drop `webhooks` unread; each is read on its own, so a defect in one
    // costs that webhook (or the part of it holding the defect) only.
    let webhooks = match value
        .as_object_mut()
        .and_then(|root| root.remove("webhooks"))
    {
        Some(webhooks) => parse_webhooks(webhooks, file, diags),
        None => Vec::new(),
    };
    let extension_operations = methods::take_extension_operations(&mut value, file, diags);
    let ahead = ahead::Ahead::read(&mut value);
    match read_degrading::<openapiv3::OpenAPI>(&mut value, "", "the document", file, diags) {
        Ok(Some(mut api)) => {
            ahead.put_back(&mut api);
            Some(Spec {
                api,
                webhooks,
                extension_operations,
            })
        }
        // The root cannot be left out: `None` does not come back for it.
        Ok(None) => None,
        Err((pointer, message)) => {
            diags.error("parse", file, &pointer, message);
            None
        }
    }
}

/// Reads the part of `tree` at `at` as a `T`, degrading what it trips on: first every part
/// that fails on its own, found in one pass (taken only once the whole has failed, so a
/// valid document is read once) and degraded the last first, so that leaving out a list
/// entry does not move those still to come (reported in the document's order); then,
/// one at a time, whatever the whole still trips on. `Ok(None)` when the part itself was
/// left out; `Err` (a pointer and a message) when a failure has no part around it that can
/// go, or there are too many (`what` says what is then not read).
fn read_degrading<T: serde::de::DeserializeOwned>(
    tree: &mut Value,
    at: &str,
    what: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Result<Option<T>, (String, String)> {
    let mut parts_degraded = false;
    for _ in 0..MAX_DEGRADED {
        let Some(part) = tree.pointer(at) else {
            return Ok(None);
        };
        // Read plainly first: keeping the path of every value read is for the message of
        // a failure, which a valid document never has.
        if let Ok(read) = <T as serde::Deserialize>::deserialize(part) {
            return Ok(Some(read));
        }
        let (pointer, message) = match serde_path_to_error::deserialize::<_, T>(part) {
            Ok(read) => return Ok(Some(read)),
            Err(e) => located(e, at),
        };
        if !parts_degraded {
            parts_degraded = true;
            let mut degraded = Diagnostics::default();
            for (pointer, message) in failing_parts(tree).into_iter().rev() {
                degrade_part(tree, &pointer, &message, file, &mut degraded);
            }
            if !degraded.is_empty() {
                diags.extend(degraded.into_vec().into_iter().rev());
                continue;
            }
        }
        if !degrade_part(tree, &pointer, &message, file, diags) {
            return Err((
                pointer,
                format!("not a valid OpenAPI document here: {message}"),
            ));
        }
    }
    Err((
        at.to_owned(),
        format!("more than {MAX_DEGRADED} parts are not valid OpenAPI; {what} is not read"),
    ))
}

/// Each webhook's path item, read until it parses with the parts holding defects degraded
/// (its parts that fail on their own were degraded with the document's); one that is no
/// path item at all is reported and left out. A `$ref` (to 3.1's `components/pathItems`,
/// say) was copied in place by `load::bundle`; one still here leads nowhere.
fn parse_webhooks(
    webhooks: Value,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, openapiv3::PathItem)> {
    let Value::Object(webhooks) = webhooks else {
        diags.lose(
            Loss::Webhook,
            "webhook",
            file,
            "/webhooks",
            "webhooks is not a map of path items; no webhook is generated".to_owned(),
        );
        return Vec::new();
    };
    let mut parsed = Vec::new();
    for (name, item) in webhooks {
        let pointer = pointer_push("/webhooks", &name);
        if let Some(reference) = item.get("$ref") {
            diags.lose(
                Loss::Webhook,
                "webhook",
                file,
                &pointer,
                format!("the webhook is a $ref to {reference}, which leads to no path item; it is not generated"),
            );
            continue;
        }
        // Degraded in a tree of its own, where its pointers are the document's.
        let mut tree = serde_json::json!({ "webhooks": { name.as_str(): item } });
        match read_degrading::<openapiv3::PathItem>(&mut tree, &pointer, "the webhook", file, diags)
        {
            Ok(Some(item)) => parsed.push((name, item)),
            // Left out, with the warning saying so.
            Ok(None) => {}
            Err((at, message)) => {
                diags.lose(
                    Loss::Webhook,
                    "webhook",
                    file,
                    &at,
                    format!("{message}; the webhook is not generated"),
                );
            }
        }
    }
    parsed
}

/// How many parts the whole document may trip on, one after the other, before it is given
/// up: each costs a reading of the whole document.
const MAX_DEGRADED: usize = 256;

/// Degrades the part around `pointer` with a located warning; false when no part around it
/// can go.
fn degrade_part(
    value: &mut Value,
    pointer: &str,
    message: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> bool {
    let Some((part, done, loss)) = degrade::degrade(value, pointer) else {
        return false;
    };
    let inside = pointer
        .strip_prefix(part.as_str())
        .filter(|rest| !rest.is_empty())
        .map(|rest| format!(" at {rest}"))
        .unwrap_or_default();
    diags.lose(
        loss,
        "parse",
        file,
        &part,
        format!("not valid OpenAPI{inside}: {message}; {done}"),
    );
    true
}

/// A deserialization error as a JSON pointer (below `base`) and a message.
fn located(e: serde_path_to_error::Error<serde_json::Error>, base: &str) -> (String, String) {
    let mut pointer = base.to_owned();
    for segment in e.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    (pointer, e.into_inner().to_string())
}

/// Tries `value` as a `T` at `pointer`.
fn try_part<T: serde::de::DeserializeOwned>(
    value: &Value,
    pointer: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| located(e, pointer))
}

/// Adds a failure found, if any; whether there was one.
fn check(found: &mut Vec<(String, String)>, failed: Option<(String, String)>) -> bool {
    let failed_here = failed.is_some();
    found.extend(failed);
    failed_here
}

/// Whether `version` (an `openapi` field) is one read: 3.0, 3.1 or 3.2.
pub(crate) fn is_openapi_3(version: &str) -> bool {
    ["3.0", "3.1", "3.2"].iter().any(|p| version.starts_with(p))
}

/// The keys of a path item that hold operations.
pub(crate) const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

fn entries(value: &Value) -> impl Iterator<Item = (&String, &Value)> {
    value.as_object().into_iter().flatten()
}

/// Every part of the document (webhooks included) that fails on its own, in document order: parameters,
/// bodies and responses, an operation only where none of its parts failed (openapiv3 reads
/// `$ref`-or-item values as untagged enums, which hide where inside them deserialization
/// failed: a part read on its own names the place), and the components.
fn failing_parts(value: &Value) -> Vec<(String, String)> {
    use openapiv3::{Header, Operation, Parameter, RequestBody, Response, Schema};
    let mut found = Vec::new();
    let not_ref = |v: &Value| v.get("$ref").is_none();
    let parameters = |found: &mut Vec<_>, holder: &Value, pointer: &str| {
        let mut failed = false;
        for (i, param) in holder["parameters"]
            .as_array()
            .into_iter()
            .flatten()
            .enumerate()
        {
            if not_ref(param) {
                let at = pointer_push(&pointer_push(pointer, "parameters"), &i.to_string());
                failed |= check(found, try_part::<Parameter>(param, &at));
            }
        }
        failed
    };
    let path_items = ["paths", "webhooks"].into_iter().flat_map(|section| {
        entries(&value[section])
            .map(move |(key, item)| (pointer_push(&pointer_push("", section), key), item))
    });
    for (path_pointer, item) in path_items {
        parameters(&mut found, item, &path_pointer);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_pointer = pointer_push(&path_pointer, method);
            let mut failed = parameters(&mut found, op, &op_pointer);
            if let Some(body) = op.get("requestBody").filter(|b| not_ref(b)) {
                let at = pointer_push(&op_pointer, "requestBody");
                failed |= check(&mut found, try_part::<RequestBody>(body, &at));
            }
            for (status, response) in entries(&op["responses"]) {
                if not_ref(response) {
                    let at = pointer_push(&pointer_push(&op_pointer, "responses"), status);
                    failed |= check(&mut found, try_part::<Response>(response, &at));
                }
            }
            if !failed {
                check(&mut found, try_part::<Operation>(op, &op_pointer));
            }
        }
    }
    let components = &value["components"];
    let mut section = |name: &str, try_one: fn(&Value, &str) -> Option<(String, String)>| {
        let section_pointer = pointer_push("/components", name);
        for (key, part) in entries(&components[name]) {
            if not_ref(part) {
                let failed = try_one(part, &pointer_push(&section_pointer, key));
                found.extend(failed);
            }
        }
    };
    section("schemas", try_part::<Schema>);
    section("parameters", try_part::<Parameter>);
    section("requestBodies", try_part::<RequestBody>);
    section("responses", try_part::<Response>);
    section("headers", try_part::<Header>);
    found
}

fn display_version(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn errors(value: Value) -> Vec<String> {
        let mut diags = Diagnostics::default();
        assert!(parse_document(value, "a.json", &mut diags).is_none());
        diags.into_vec().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn unsupported_versions_are_named() {
        assert_eq!(
            errors(json!({"swagger": "1.2"})),
            [
                "error[version]: a.json#/swagger: this is a Swagger 1.2 document; Swagger 2.0 and \
              OpenAPI 3.0, 3.1 and 3.2 are read"
            ]
        );
        assert_eq!(
            errors(json!({"openapi": "4.0.0"})),
            ["error[version]: a.json#/openapi: OpenAPI 4.0.0 is not supported; OpenAPI 3.0, 3.1 and 3.2 and Swagger 2.0 are"]
        );
    }

    /// A shape error costs the part holding it, with a warning naming the place inside.
    #[test]
    fn shape_errors_cost_their_part_located() {
        let mut diags = Diagnostics::default();
        let api = parse_document(
            json!({
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": {"/x": {"get": {"responses": {
                    "200": {"description": 5},
                    "404": {"description": "none"}
                }}}}
            }),
            "a.json",
            &mut diags,
        )
        .unwrap();
        let found: Vec<String> = diags.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            found,
            [
                "warning[parse]: a.json#/paths/~1x/get/responses/200: not valid OpenAPI at \
              /description: invalid type: integer `5`, expected a string; left out"
            ]
        );
        let responses = &api.api.paths.paths["/x"]
            .as_item()
            .unwrap()
            .get
            .as_ref()
            .unwrap()
            .responses;
        assert_eq!(responses.responses.len(), 1, "the other response stays");
    }

    /// The path items that read on their own are read ahead, out of the tree; those left
    /// for the whole read (degraded there) take their places among them, as when all were
    /// read at once.
    #[test]
    fn path_items_keep_the_document_order_around_those_degraded() {
        let ok = json!({"get": {"responses": {"200": {"description": "ok"}}}});
        let mut diags = Diagnostics::default();
        let spec = parse_document(
            json!({
                "openapi": "3.0.0",
                "info": {"title": "t", "version": "1"},
                "paths": {
                    "/a": ok,
                    "/b": {"get": {"responses": {
                        "200": {"description": 5},
                        "404": {"description": "none"}
                    }}},
                    "/c": ok,
                    "/d": {"get": 5},
                    "/e": ok,
                    "x-note": "kept"
                }
            }),
            "a.json",
            &mut diags,
        )
        .unwrap();
        let paths = &spec.api.paths;
        let keys: Vec<&str> = paths.paths.keys().map(String::as_str).collect();
        assert_eq!(keys, ["/a", "/b", "/c", "/d", "/e"]);
        let responses = |key: &str| {
            let op = paths.paths[key].as_item().unwrap().get.as_ref();
            op.map(|op| op.responses.responses.len())
        };
        assert_eq!(responses("/a"), Some(1));
        assert_eq!(
            responses("/b"),
            Some(1),
            "the response that failed is left out"
        );
        assert_eq!(
            responses("/d"),
            None,
            "the operation that failed is left out"
        );
        assert_eq!(paths.extensions["x-note"], "kept");
        let found: Vec<String> = diags.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(found.len(), 2, "{found:?}");
        assert!(
            found[0].contains("#/paths/~1b/get/responses/200:"),
            "{found:?}"
        );
        assert!(found[1].contains("#/paths/~1d/get:"), "{found:?}");
    }

    #[test]
    fn a_document_whose_own_fields_are_wrong_is_refused() {
        let errs =
            errors(json!({"openapi": "3.0.0", "info": {"title": 5, "version": "1"}, "paths": {}}));
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("error[parse]: a.json#/info/title"),
            "{}",
            errs[0]
        );
    }
}
