//! OpenAPI 3.2's additions, read in the 3.1 shapes the rest of the pipeline knows, on 3.2
//! documents only (3.2 is otherwise 3.1, and the 3.1 rules run on it too).
//!
//! What has a 3.1 form takes it: a media type's `itemSchema` for `text/event-stream` is the
//! schema of each event, which the typed event streams already read; a media type given by
//! `$ref` to `components/mediaTypes` is copied in place by the load stage's bundling, as
//! every ref to where 3.1 allows none is; sequential JSON in a body (`application/jsonl`
//! and the like) takes the whole sequence's schema, an array of its items. What would
//! change behaviour and is not generated yet is reported where it is and left out: the
//! `QUERY` method and `additionalOperations`, `in: querystring` parameters, sequential JSON
//! in a parameter or header, a discriminator's `defaultMapping`. What means nothing to generated code (`$self`, tags' `parent` and
//! `kind`, servers' `name`, examples' `dataValue` and `serializedValue`, the OAuth2 device
//! flow and `oauth2MetadataUrl`) is read and ignored quietly.

use serde_json::{Map, Value};

use super::walk::{each_object, each_schema_object};
use super::Context;
use crate::diagnostics::{pointer_push, pointer_tokens, Loss};
use crate::parse::METHODS;

fn is_32(value: &Value) -> bool {
    matches!(value.get("openapi"), Some(Value::String(v)) if v.starts_with("3.2"))
}

/// The media types whose body is a sequence of items `itemSchema` describes one of.
const SEQUENTIAL_JSON: &[&str] = &[
    "application/jsonl",
    "application/x-ndjson",
    "application/json-seq",
    "application/x-jsonlines",
];

/// `content: {text/event-stream: {itemSchema: ...}}`: each event's schema, which is what a
/// 3.1 document wrote as the media type's `schema`. Sequential JSON in a response or a
/// request body (`content: {application/jsonl: {itemSchema: X}}`) takes the form 3.2 itself
/// gives the whole sequence, `schema: {type: array, items: X}`, which lowering reads as a
/// stream of X. Sequential JSON in a parameter or a header is not read item by item: the
/// value is its media type without a schema.
pub fn item_schema(value: &mut Value, cx: &mut Context<'_>) {
    if !is_32(value) {
        return;
    }
    each_object(value, "", &mut |object, pointer| {
        let Some(Value::Object(content)) = object.get_mut("content") else {
            return;
        };
        // A response or a request body: not a parameter's or a header's `content`.
        let tokens = pointer_tokens(pointer);
        let body = match tokens.as_slice() {
            [.., last] if last == "requestBody" => true,
            [.., parent, _] => parent == "responses" || parent == "requestBodies",
            _ => false,
        };
        for (media, entry) in content.iter_mut() {
            let Some(entry) = entry.as_object_mut() else {
                continue;
            };
            let Some(items) = entry.remove("itemSchema") else {
                continue;
            };
            let at = pointer_push(
                &pointer_push(&pointer_push(pointer, "content"), media),
                "itemSchema",
            );
            let essence = media
                .split(';')
                .next()
                .unwrap_or(media)
                .trim()
                .to_ascii_lowercase();
            let sequential = SEQUENTIAL_JSON.contains(&essence.as_str());
            if entry.contains_key("schema") {
                cx.lost(
                    Loss::Type,
                    &at,
                    "itemSchema beside a schema is not used".to_owned(),
                );
            } else if essence == "text/event-stream" {
                entry.insert("schema".to_owned(), items);
            } else if sequential && body {
                let sequence = serde_json::json!({"type": "array", "items": items});
                entry.insert("schema".to_owned(), sequence);
            } else if sequential {
                cx.lost(
                    Loss::Type,
                    &at,
                    format!("{media} items of a parameter or header are not generated as a typed stream; the value is read as bytes"),
                );
            } else {
                cx.lost(
                    Loss::Type,
                    &at,
                    format!("itemSchema of {media} (not a sequential media type) is not used"),
                );
            }
        }
    });
}

/// The `QUERY` method (`query`) and `additionalOperations` of a path item, and parameters
/// `in: querystring` (the whole query as one schema): not generated yet, each reported and
/// left out rather than read as something else.
pub fn operations_not_generated(value: &mut Value, cx: &mut Context<'_>) {
    if !is_32(value) {
        return;
    }
    for pointer in path_items(value) {
        let Some(Value::Object(item)) = value.pointer_mut(&pointer) else {
            continue;
        };
        if item.remove("query").is_some() {
            cx.lost(
                Loss::Operation,
                &pointer_push(&pointer, "query"),
                "the QUERY method is not generated yet; this operation is left out".to_owned(),
            );
        }
        if let Some(Value::Object(more)) = item.remove("additionalOperations") {
            for method in more.keys() {
                cx.lost(
                    Loss::Operation,
                    &pointer_push(&pointer_push(&pointer, "additionalOperations"), method),
                    format!("the {method} method is not generated yet; this operation is left out"),
                );
            }
        }
        drop_querystring(item, &pointer, cx);
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                drop_querystring(op, &pointer_push(&pointer, method), cx);
            }
        }
    }
    if let Some(Value::Object(parameters)) = value.pointer_mut("/components/parameters") {
        let names: Vec<String> = parameters
            .iter()
            .filter(|(_, p)| is_querystring(p))
            .map(|(name, _)| name.clone())
            .collect();
        for name in names {
            parameters.remove(&name);
            cx.lost(
                Loss::Parameter,
                &pointer_push("/components/parameters", &name),
                QUERYSTRING.to_owned(),
            );
        }
    }
}

const QUERYSTRING: &str = "a parameter `in: querystring` (the whole query string as one value) is not generated yet; it is left out";

fn is_querystring(param: &Value) -> bool {
    param.get("in").and_then(Value::as_str) == Some("querystring")
}

fn drop_querystring(holder: &mut Map<String, Value>, pointer: &str, cx: &mut Context<'_>) {
    let Some(Value::Array(parameters)) = holder.get_mut("parameters") else {
        return;
    };
    let at = pointer_push(pointer, "parameters");
    // From the last, so the indices reported are those of the document.
    for index in (0..parameters.len()).rev() {
        if is_querystring(&parameters[index]) {
            parameters.remove(index);
            cx.lost(
                Loss::Parameter,
                &pointer_push(&at, &index.to_string()),
                QUERYSTRING.to_owned(),
            );
        }
    }
}

/// The pointers of the path items of `paths`, `webhooks` and `components/pathItems`, and of
/// the callbacks of their operations.
fn path_items(value: &Value) -> Vec<String> {
    let mut found = Vec::new();
    for section in ["/paths", "/webhooks", "/components/pathItems"] {
        for (key, item) in value
            .pointer(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let at = pointer_push(section, key);
            for method in METHODS {
                let op_at = pointer_push(&at, method);
                let callbacks = item.get(*method).and_then(|op| op.get("callbacks"));
                for (name, callback) in callbacks.and_then(Value::as_object).into_iter().flatten() {
                    let callback_at = pointer_push(&pointer_push(&op_at, "callbacks"), name);
                    for expression in callback.as_object().into_iter().flatten().map(|(k, _)| k) {
                        found.push(pointer_push(&callback_at, expression));
                    }
                }
            }
            found.push(at);
        }
    }
    found
}

/// A discriminator's `defaultMapping` (the alternative for a value the mapping does not
/// name) is not generated: such a value is refused, as in 3.1.
pub fn default_mapping(value: &mut Value, cx: &mut Context<'_>) {
    if !is_32(value) {
        return;
    }
    each_schema_object(value, &mut |schema, pointer| {
        if let Some(Value::Object(discriminator)) = schema.get_mut("discriminator") {
            if discriminator.remove("defaultMapping").is_some() {
                cx.lost(
                    Loss::Type,
                    &pointer_push(&pointer_push(pointer, "discriminator"), "defaultMapping"),
                    "defaultMapping is not used: a value the mapping does not name is refused"
                        .to_owned(),
                );
            }
        }
    });
}
