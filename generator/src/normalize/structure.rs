//! Rules repairing the document's structure around paths and components.

use serde_json::{Map, Value};

use super::Context;
use crate::diagnostics::pointer_push;

/// `/api/v1/login - with Facebook`: documentation sites key alternative examples of one
/// endpoint by the path plus a note. A path never holds whitespace, so the key is cut at the
/// first whitespace; where the cut path is a key already, the note becomes the key's
/// fragment (`/api/v1/login#with Facebook`), which is not part of the URL.
pub fn path_key_notes(value: &mut Value, cx: &mut Context<'_>) {
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return;
    };
    let noted: Vec<String> = paths
        .keys()
        .filter(|k| k.contains(char::is_whitespace))
        .cloned()
        .collect();
    if noted.is_empty() {
        return;
    }
    let mut repaired = Map::new();
    for (key, item) in std::mem::take(paths) {
        let Some(cut) = noted.contains(&key).then(|| cut_at_whitespace(&key)) else {
            let from = key.clone();
            insert_path_item(&mut repaired, key, item, &from, &from, cx);
            continue;
        };
        cx.repaired(
            &pointer_push("/paths", &key),
            format!("a path holds no whitespace; the key is read as {cut:?}"),
        );
        let note = key[cut.len()..].trim_start_matches(|c: char| c.is_whitespace() || c == '-');
        insert_path_item(&mut repaired, cut.clone(), item, &key, note, cx);
    }
    *paths = repaired;
}

/// `api/v1/pet`: a path key without its leading slash (swagger-typescript-api's petstore
/// variants; hand-edited documents). Paths are relative to the server and start with `/`;
/// the key is read with one, so its operations are not passed over.
pub fn path_leading_slash(value: &mut Value, cx: &mut Context<'_>) {
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return;
    };
    let slashless = |k: &String| !k.starts_with('/') && !k.starts_with("x-") && !k.is_empty();
    if !paths.keys().any(slashless) {
        return;
    }
    let mut repaired = Map::new();
    for (key, item) in std::mem::take(paths) {
        if !slashless(&key) {
            insert_path_item(&mut repaired, key.clone(), item, &key, &key, cx);
            continue;
        }
        let slashed = format!("/{key}");
        cx.repaired(
            &pointer_push("/paths", &key),
            format!("a path starts with `/`; the key is read as {slashed:?}"),
        );
        insert_path_item(&mut repaired, slashed, item, &key, &key, cx);
    }
    *paths = repaired;
}

/// `/rooms/:rid`: specs written from Express or Rails routes keep the framework's `:name`
/// path variables. A whole segment `:name` is the template variable `{name}`.
pub fn colon_path_params(value: &mut Value, cx: &mut Context<'_>) {
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return;
    };
    if !paths.keys().any(|k| k.split('/').any(is_colon_variable)) {
        return;
    }
    let mut repaired = Map::new();
    for (key, item) in std::mem::take(paths) {
        let templated: Vec<String> = key
            .split('/')
            .map(|segment| match is_colon_variable(segment) {
                true => format!("{{{}}}", &segment[1..]),
                false => segment.to_owned(),
            })
            .collect();
        let templated = templated.join("/");
        if templated != key {
            cx.repaired(
                &pointer_push("/paths", &key),
                format!("`:name` path variables are read as `{{name}}`: {templated:?}"),
            );
        }
        insert_path_item(&mut repaired, templated, item, &key, &key, cx);
    }
    *paths = repaired;
}

fn is_colon_variable(segment: &str) -> bool {
    segment.strip_prefix(':').is_some_and(|name| {
        !name.is_empty()
            && name
                .chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '_' || c == '-')
    })
}

fn cut_at_whitespace(key: &str) -> String {
    key.split(char::is_whitespace)
        .next()
        .unwrap_or_default()
        .to_owned()
}

/// Adds a path item. When the key is there already, the item keeps its operations under the
/// key with `note` as its fragment (`/login#with Facebook`): the same URL, so lowering makes
/// each operation a client method of its own and reports which one the server answers with.
fn insert_path_item(
    paths: &mut Map<String, Value>,
    key: String,
    item: Value,
    from: &str,
    note: &str,
    cx: &mut Context<'_>,
) {
    if !paths.contains_key(&key) {
        paths.insert(key, item);
        return;
    }
    let mut alias = format!("{key}#{note}");
    let mut n = 1;
    while paths.contains_key(&alias) {
        n += 1;
        alias = format!("{key}#{note} {n}");
    }
    cx.repaired(
        &pointer_push("/paths", from),
        format!("{key:?} is a path of the document already; this path item is read as {alias:?}, the same URL"),
    );
    paths.insert(alias, item);
}

/// `components: {schemas: null}`: an exporter writes an empty section as null, which is not
/// a map of anything. The null section is removed.
pub fn null_sections(value: &mut Value, cx: &mut Context<'_>) {
    for section in ["paths", "components", "webhooks"] {
        if value.get(section).is_some_and(Value::is_null) {
            if let Value::Object(root) = value {
                root.remove(section);
            }
            cx.repaired(
                &pointer_push("", section),
                "null where a map is expected; read as absent".to_owned(),
            );
        }
    }
    let Some(Value::Object(components)) = value.get_mut("components") else {
        return;
    };
    let nulls: Vec<String> = components
        .iter()
        .filter(|(_, v)| v.is_null())
        .map(|(k, _)| k.clone())
        .collect();
    for key in nulls {
        components.remove(&key);
        cx.repaired(
            &pointer_push("/components", &key),
            "null where a map is expected; read as absent".to_owned(),
        );
    }
}

/// `info` without its `title` or `version`, or with either written as a number (`version:
/// 1.0` in YAML), or a `license` without its `name`: go-swagger's and swagger-codegen's test
/// documents, documents cut from a larger one, and generators' output leave them out. The number is read as its text, a missing field as empty
/// (the server trait is then named after the crate), so the document is not refused for a
/// field no code depends on.
pub fn info_fields(value: &mut Value, cx: &mut Context<'_>) {
    let Value::Object(root) = value else { return };
    if !root.contains_key("openapi") {
        return;
    }
    let info = root
        .entry("info")
        .or_insert_with(|| Value::Object(Map::new()));
    let Value::Object(info) = info else {
        return;
    };
    for field in ["title", "version"] {
        let pointer = pointer_push("/info", field);
        match info.get(field) {
            Some(Value::String(_)) => {}
            Some(Value::Number(n)) => {
                let text = n.to_string();
                cx.repaired(
                    &pointer,
                    format!("expected a string, found the number {text} (read as {text:?})"),
                );
                info.insert(field.to_owned(), Value::String(text));
            }
            Some(_) | None => {
                cx.repaired(
                    &pointer,
                    format!("`info` has no {field} string (read as empty)"),
                );
                info.insert(field.to_owned(), Value::String(String::new()));
            }
        }
    }
    // `license: {}` (swag's output for Portainer): a license is named, or there is none.
    let unnamed = |license: &Value| !license.get("name").is_some_and(Value::is_string);
    if info.get("license").is_some_and(unnamed) {
        info.remove("license");
        cx.repaired(
            "/info/license",
            "a license without a `name` string names no license (read as none)".to_owned(),
        );
    }
}

/// A document with only `webhooks` (allowed since 3.1) has no `paths`, which 3.0 requires:
/// an empty `paths` is added. Only a document with neither is reported: its crate has
/// nothing to call or send.
pub fn missing_paths(value: &mut Value, cx: &mut Context<'_>) {
    let Value::Object(root) = value else { return };
    if !root.contains_key("openapi") || root.contains_key("paths") {
        return;
    }
    root.insert("paths".to_owned(), Value::Object(Map::new()));
    if !root.contains_key("webhooks") {
        cx.repaired(
            "",
            "the document has no paths; the crate has no operations".to_owned(),
        );
    }
}

/// An operation without `responses`: 3.1 allows it and 3.0 writers forget it (webhooks
/// and callbacks most of all). It is read as declaring one `default` response without
/// content, so any status the server sends is an answer the client can take. Covers the
/// operations under `paths` and `webhooks` (3.2's `query` and `additionalOperations`
/// too), and their callbacks'.
pub fn missing_responses(value: &mut Value, cx: &mut Context<'_>) {
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = value.get_mut(section) else {
            continue;
        };
        for (key, item) in items.iter_mut() {
            let pointer = pointer_push(&pointer_push("", section), key);
            responses_in_path_item(item, &pointer, cx);
        }
    }
}

fn responses_in_path_item(item: &mut Value, pointer: &str, cx: &mut Context<'_>) {
    let Value::Object(item) = item else { return };
    // The fixed methods, 3.2's `query`, and each of its `additionalOperations`.
    let mut operations = Vec::new();
    for (key, op) in item.iter_mut() {
        match (key.as_str(), op) {
            (
                "get" | "put" | "post" | "delete" | "options" | "head" | "patch" | "trace"
                | "query",
                Value::Object(op),
            ) => operations.push((pointer_push(pointer, key), op)),
            ("additionalOperations", Value::Object(more)) => {
                let more_at = pointer_push(pointer, key);
                for (method, op) in more.iter_mut() {
                    if let Value::Object(op) = op {
                        operations.push((pointer_push(&more_at, method), op));
                    }
                }
            }
            _ => {}
        }
    }
    for (op_pointer, op) in operations {
        if !op.contains_key("responses") {
            let default = serde_json::json!({"default": {"description": "not declared"}});
            op.insert("responses".to_owned(), default);
            cx.repaired(
                &op_pointer,
                "the operation declares no responses; read as a default response without content"
                    .to_owned(),
            );
        }
        let Some(Value::Object(callbacks)) = op.get_mut("callbacks") else {
            continue;
        };
        for (name, callback) in callbacks.iter_mut() {
            let Value::Object(expressions) = callback else {
                continue;
            };
            let callback_pointer = pointer_push(&pointer_push(&op_pointer, "callbacks"), name);
            for (expression, item) in expressions.iter_mut() {
                responses_in_path_item(item, &pointer_push(&callback_pointer, expression), cx);
            }
        }
    }
}

/// `security: [{oauth2: null}]` or `[{api_key: "read"}]`: a requirement's scopes written as
/// null or as one string, where a list belongs (the document is otherwise refused whole for
/// one operation's slip). Null and any other non-list are no scopes, a string is the one
/// scope it names; each is reported. Covers the document's requirement and every operation's,
/// under `paths` and `webhooks`.
pub fn security_scopes(value: &mut Value, cx: &mut Context<'_>) {
    let Value::Object(root) = value else { return };
    if let Some(security) = root.get_mut("security") {
        scopes_as_lists(security, "/security", cx);
    }
    for section in ["paths", "webhooks"] {
        let Some(Value::Object(items)) = root.get_mut(section) else {
            continue;
        };
        for (path, item) in items.iter_mut() {
            let Value::Object(item) = item else { continue };
            let item_pointer = pointer_push(&pointer_push("", section), path);
            for (method, op) in item.iter_mut() {
                let Some(security) = op.get_mut("security") else {
                    continue;
                };
                let pointer = pointer_push(&pointer_push(&item_pointer, method), "security");
                scopes_as_lists(security, &pointer, cx);
            }
        }
    }
}

fn scopes_as_lists(security: &mut Value, pointer: &str, cx: &mut Context<'_>) {
    let Value::Array(requirements) = security else {
        return;
    };
    for (index, requirement) in requirements.iter_mut().enumerate() {
        let Value::Object(schemes) = requirement else {
            continue;
        };
        for (scheme, scopes) in schemes.iter_mut() {
            let (repaired, message) = match scopes {
                Value::Array(_) => continue,
                Value::String(scope) => (
                    Value::Array(vec![Value::String(scope.clone())]),
                    format!("a string where a list of scopes is expected; read as [{scope:?}]"),
                ),
                Value::Null => (
                    Value::Array(Vec::new()),
                    "null where a list of scopes is expected; read as no scopes".to_owned(),
                ),
                _ => (
                    Value::Array(Vec::new()),
                    "not a list of scopes; read as no scopes".to_owned(),
                ),
            };
            *scopes = repaired;
            let at = pointer_push(&pointer_push(pointer, &index.to_string()), scheme);
            cx.repaired(&at, message);
        }
    }
}

/// `in: path, style: form` or `in: header, style: deepObject`: a parameter style OpenAPI
/// does not allow where the parameter is (the document is otherwise refused whole for one
/// parameter's slip). The style becomes the location's default (`simple` in a path or a
/// header, `form` in the query or a cookie), which writes primitives and arrays as the
/// misplaced style mostly meant, and is reported.
pub fn parameter_styles(value: &mut Value, cx: &mut Context<'_>) {
    super::each_object(value, "", &mut |object, pointer| {
        let (Some(Value::String(location)), Some(Value::String(style))) =
            (object.get("in"), object.get("style"))
        else {
            return;
        };
        let allowed: &[&str] = match location.as_str() {
            "path" => &["simple", "label", "matrix"],
            "query" => &["form", "spaceDelimited", "pipeDelimited", "deepObject"],
            "header" => &["simple"],
            "cookie" => &["form"],
            _ => return,
        };
        if allowed.contains(&style.as_str()) {
            return;
        }
        let default = if matches!(location.as_str(), "path" | "header") {
            "simple"
        } else {
            "form"
        };
        let message = format!(
            "style {style:?} is not allowed for a {location} parameter (allowed: {}); read as {default:?}",
            allowed.join(", ")
        );
        object.insert("style".to_owned(), Value::String(default.to_owned()));
        cx.repaired(&pointer_push(pointer, "style"), message);
    });
}
