//! OpenAPI 3.2's additions, read in the 3.1 shapes the rest of the pipeline knows, on 3.2
//! documents only (3.2 is otherwise 3.1, and the 3.1 rules run on it too), but for
//! `itemSchema`, which older documents carry too and which is read in them with a warning.
//!
//! What has a 3.1 form takes it: a media type's `itemSchema` for `text/event-stream` is the
//! schema of each event, which the typed event streams already read; a media type given by
//! `$ref` to `components/mediaTypes` is copied in place by the load stage's bundling, as
//! every ref to where 3.1 allows none is; a parameter `in: querystring` whose content is a
//! form-urlencoded object is that object `in: query`, form style, exploded; sequential JSON
//! in a body (`application/jsonl` and the like) takes the whole sequence's schema, an array
//! of its items. The `QUERY` method and `additionalOperations` of `paths` are read by the
//! parse stage (`parse/methods.rs`). What would change behaviour and is not generated yet is
//! reported where it is and left out: the `QUERY` method and `additionalOperations` of
//! webhooks and callbacks, `in: querystring` parameters of other media, sequential JSON in a
//! parameter or header, a discriminator's `defaultMapping`. What means nothing to generated code (`$self`, tags' `parent` and
//! `kind`, servers' `name`, examples' `dataValue` and `serializedValue`,
//! `oauth2MetadataUrl`) is read and ignored quietly. The OAuth2 `deviceAuthorization` flow
//! moves where openapiv3 keeps it, for lowering to read.

use serde_json::{Map, Value};

use super::walk::{each_object, each_schema_object};
use super::Context;
use crate::diagnostics::{pointer_push, pointer_tokens, Loss};
use crate::parse::METHODS;

fn is_32(value: &Value) -> bool {
    matches!(value.get("openapi"), Some(Value::String(v)) if v.starts_with("3.2"))
}

/// `content: {text/event-stream: {itemSchema: ...}}`: each event's schema, which is what a
/// 3.1 document wrote as the media type's `schema`. Sequential JSON in a response or a
/// request body (`content: {application/jsonl: {itemSchema: X}}`) takes the form 3.2 itself
/// gives the whole sequence, `schema: {type: array, items: X}`, which lowering reads as a
/// stream of X. Sequential JSON in a parameter or a header is not read item by item: the
/// value is its media type without a schema.
///
/// A 3.0 or 3.1 document has no `itemSchema`, but utoipa 6 writes one into the 3.1 document
/// it makes unless told `version = "3.2.0"`: it is read as 3.2 reads it, with a warning, as
/// the typed stream is what its author described.
pub fn item_schema(value: &mut Value, cx: &mut Context<'_>) {
    let older = match value.get("openapi") {
        Some(Value::String(version)) if !version.starts_with("3.2") => Some(version.clone()),
        _ => None,
    };
    if older.is_some() && !has_key(value, "itemSchema") {
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
            let essence = crate::media::essence(media);
            let sequential = crate::media::sequential_json(&essence).is_some();
            if let Some(version) = &older {
                cx.repaired(
                    &at,
                    format!("itemSchema is OpenAPI 3.2's, in a {version} document; read as in 3.2"),
                );
            }
            if entry.contains_key("schema") {
                cx.lost(
                    Loss::Type,
                    &at,
                    "itemSchema beside a schema is not used".to_owned(),
                );
            } else if essence == "text/event-stream" {
                let mut items = items;
                json_data(&mut items);
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

/// Whether `key` is a key anywhere in the tree: a search that builds no pointers, so that
/// the documents without it (every 3.0 one, nearly every 3.1 one) are not walked with them.
fn has_key(value: &Value, key: &str) -> bool {
    match value {
        Value::Object(object) => {
            object.contains_key(key) || object.values().any(|child| has_key(child, key))
        }
        Value::Array(items) => items.iter().any(|item| has_key(item, key)),
        _ => false,
    }
}

/// An event whose `data` is a string holding JSON, as OpenAPI 3.2's own example writes
/// it (`data: {type: string, contentMediaType: application/json, contentSchema: Note}`):
/// the data is read as the `contentSchema`, which the event streams decode from the text.
fn json_data(event: &mut Value) {
    let Some(data) = event.pointer_mut("/properties/data") else {
        return;
    };
    let json = data
        .get("contentMediaType")
        .and_then(Value::as_str)
        .is_some_and(|media| crate::media::is_json(&crate::media::essence(media)));
    if let (true, Some(schema)) = (json, data.get("contentSchema")) {
        *data = schema.clone();
    }
}

/// The `QUERY` method (`query`) and `additionalOperations` of a path item under `paths` are
/// generated (the parse stage reads them); those of webhooks and callbacks are not yet,
/// each reported and left out rather than read as something else. Parameters
/// `in: querystring` (the whole query as one schema) are read as a form object in the
/// query where their content is form-urlencoded, and reported and left out otherwise.
pub fn operations_not_generated(value: &mut Value, cx: &mut Context<'_>) {
    if !is_32(value) {
        return;
    }
    for pointer in path_items(value) {
        let Some(Value::Object(item)) = value.pointer_mut(&pointer) else {
            continue;
        };
        // `/paths/~1x`: an item of `paths` itself, whose every method is an operation.
        let served = pointer.starts_with("/paths/") && pointer.matches('/').count() == 2;
        if served {
            if let Some(Value::Object(op)) = item.get_mut("query") {
                read_querystrings(op, &pointer_push(&pointer, "query"), cx);
            }
            if let Some(Value::Object(more)) = item.get_mut("additionalOperations") {
                let more_at = pointer_push(&pointer, "additionalOperations");
                for (method, op) in more.iter_mut() {
                    if let Value::Object(op) = op {
                        read_querystrings(op, &pointer_push(&more_at, method), cx);
                    }
                }
            }
        } else if pointer.starts_with("/components/pathItems/") {
            // Copied in place where referenced, and reported (or generated) there.
            item.remove("query");
            item.remove("additionalOperations");
        } else {
            if item.remove("query").is_some() {
                cx.lost(
                    Loss::Operation,
                    &pointer_push(&pointer, "query"),
                    "the QUERY method of a webhook or callback is not generated yet; this operation is left out".to_owned(),
                );
            }
            if let Some(Value::Object(more)) = item.remove("additionalOperations") {
                for method in more.keys() {
                    cx.lost(
                        Loss::Operation,
                        &pointer_push(&pointer_push(&pointer, "additionalOperations"), method),
                        format!("the {method} method of a webhook or callback is not generated yet; this operation is left out"),
                    );
                }
            }
        }
        read_querystrings(item, &pointer, cx);
        for method in METHODS {
            if let Some(Value::Object(op)) = item.get_mut(*method) {
                read_querystrings(op, &pointer_push(&pointer, method), cx);
            }
        }
    }
    if let Some(Value::Object(parameters)) = value.pointer_mut("/components/parameters") {
        let mut lost = Vec::new();
        for (name, param) in parameters.iter_mut() {
            if is_querystring(param) {
                if let Err(message) = read_querystring(param) {
                    lost.push((name.clone(), message));
                }
            }
        }
        for (name, message) in lost {
            parameters.remove(&name);
            cx.lost(
                Loss::Parameter,
                &pointer_push("/components/parameters", &name),
                format!("{message}; it is left out"),
            );
        }
    }
}

/// A parameter `in: querystring` whose content is a form-urlencoded object is the query
/// parameter 3.0 writes as an object `in: query`, `style: form`, `explode: true`: each
/// property a pair of the query string (`a=1&b=2`), which the existing styled query
/// parameters send and read. It is read as that; any other (JSON text as the whole query,
/// say) is not generated yet: the message saying so then.
fn read_querystring(param: &mut Value) -> Result<(), String> {
    let Some(param) = param.as_object_mut() else {
        return Err("the parameter is not an object".to_owned());
    };
    let Some(Value::Object(content)) = param.get("content") else {
        return Err(format!(
            "{QUERYSTRING_PARAMETER} without a `content` map is not generated"
        ));
    };
    let [(media, entry)] = content.iter().collect::<Vec<_>>()[..] else {
        return Err(format!(
            "{QUERYSTRING_PARAMETER} with other than one media type is not generated"
        ));
    };
    let essence = crate::media::essence(media);
    let schema = entry.get("schema").filter(|schema| {
        schema.get("$ref").is_some()
            || schema.get("properties").is_some()
            || schema.get("type").and_then(Value::as_str) == Some("object")
    });
    if crate::media::is_json(&essence) && entry.get("schema").is_some() {
        // JSON text as the whole query: a query parameter of JSON content, marked so that
        // lower makes it the query string.
        param.insert("in".to_owned(), Value::from("query"));
        param.insert(QUERYSTRING.to_owned(), Value::Bool(true));
        return Ok(());
    }
    let schema = match schema {
        Some(schema) if essence == "application/x-www-form-urlencoded" => schema.clone(),
        _ => {
            return Err(format!(
                "{QUERYSTRING_PARAMETER} is generated as JSON text or a form-urlencoded object; as {media} it is not generated yet"
            ))
        }
    };
    param.remove("content");
    param.insert("in".to_owned(), Value::from("query"));
    param.insert("style".to_owned(), Value::from("form"));
    param.insert("explode".to_owned(), Value::from(true));
    param.insert("schema".to_owned(), schema);
    Ok(())
}

const QUERYSTRING_PARAMETER: &str =
    "a parameter `in: querystring` (the whole query string as one value)";

/// The mark a parameter `in: querystring` of JSON text carries once read as `in: query`:
/// lower makes it the whole query string ([`crate::model::Location::QueryString`]).
pub const QUERYSTRING: &str = "x-openapi-gen-querystring";

fn is_querystring(param: &Value) -> bool {
    param.get("in").and_then(Value::as_str) == Some("querystring")
}

/// Each `in: querystring` parameter of `holder` read as a form object in the query, or
/// reported and left out.
fn read_querystrings(holder: &mut Map<String, Value>, pointer: &str, cx: &mut Context<'_>) {
    let Some(Value::Array(parameters)) = holder.get_mut("parameters") else {
        return;
    };
    let at = pointer_push(pointer, "parameters");
    // From the last, so the indices reported are those of the document.
    for index in (0..parameters.len()).rev() {
        if is_querystring(&parameters[index]) {
            if let Err(message) = read_querystring(&mut parameters[index]) {
                parameters.remove(index);
                cx.lost(
                    Loss::Parameter,
                    &pointer_push(&at, &index.to_string()),
                    format!("{message}; it is left out"),
                );
            }
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

/// The `deviceAuthorization` flow (RFC 8628) of an oauth2 scheme: openapiv3 knows only 3.0's
/// four flows and keeps nothing else of `flows` but its `x-` keys, so the flow moves to one
/// that lowering reads (`lower/security.rs`). A move, not a repair: nothing is reported.
pub fn device_flow(value: &mut Value, _cx: &mut Context<'_>) {
    if !is_32(value) {
        return;
    }
    let schemes = value
        .get_mut("components")
        .and_then(|c| c.get_mut("securitySchemes"))
        .and_then(Value::as_object_mut);
    for scheme in schemes.into_iter().flat_map(|s| s.values_mut()) {
        let Some(Value::Object(flows)) = scheme.get_mut("flows") else {
            continue;
        };
        if let Some(flow) = flows.remove("deviceAuthorization") {
            flows.insert(crate::lower::DEVICE_FLOW_KEY.to_owned(), flow);
        }
    }
}
