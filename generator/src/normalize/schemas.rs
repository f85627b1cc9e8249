//! Rules repairing schema objects that break the letter of the OpenAPI schema.

use serde_json::{Map, Value};

use super::walk::{each_schema, each_schema_object};
use super::Context;
use crate::diagnostics::{pointer_push, Loss};

/// `required: [" name", "gone"]`: hand-edited schemas keep names in `required` after a
/// property was renamed or removed, sometimes with stray whitespace. In a schema that lists
/// its properties and is not combined with others, a name matching a property once trimmed is
/// trimmed, and a name matching none is dropped. Combined schemas (allOf and its parts) are
/// left alone: there a part may require what another part declares.
pub fn required_unknown(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        // A schema combined with others, or one part of a combination, may require what
        // another part declares.
        let part = pointer
            .rsplit('/')
            .nth(1)
            .is_some_and(|k| matches!(k, "allOf" | "anyOf" | "oneOf"));
        let composed = part
            || ["allOf", "anyOf", "oneOf"]
                .iter()
                .any(|k| object.contains_key(*k));
        let Some(Value::Object(properties)) = object.get("properties") else {
            return;
        };
        if composed || !object.contains_key("required") {
            return;
        }
        let properties: Vec<String> = properties.keys().cloned().collect();
        let Some(Value::Array(required)) = object.get_mut("required") else {
            return;
        };
        let required_pointer = pointer_push(pointer, "required");
        let mut kept = Vec::new();
        for (i, name) in required.drain(..).enumerate() {
            let Value::String(name) = name else {
                kept.push(name);
                continue;
            };
            let at = pointer_push(&required_pointer, &i.to_string());
            if properties.contains(&name) {
                kept.push(Value::String(name));
            } else if properties.iter().any(|p| p == name.trim()) {
                cx.repaired(
                    &at,
                    format!(
                        "required name {name:?} has stray whitespace; read as {:?}",
                        name.trim()
                    ),
                );
                kept.push(Value::String(name.trim().to_owned()));
            } else {
                cx.repaired(
                    &at,
                    format!(
                        "required name {name:?} is not a property of this schema; it is dropped"
                    ),
                );
            }
        }
        *required = kept;
    });
}

/// `type: string` with `items`: a property changed from a list to a single value kept its
/// `items`. `items` means nothing on a non-array type, so it is dropped.
pub fn items_without_array(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        let typed_other = matches!(object.get("type"), Some(Value::String(t)) if t != "array");
        if typed_other && object.contains_key("items") {
            object.remove("items");
            cx.repaired(
                &pointer_push(pointer, "items"),
                format!(
                    "`items` on a schema of type {}; it is dropped",
                    object["type"]
                ),
            );
        }
    });
}

/// The keywords of a schema object (OpenAPI 3.0 and the JSON Schema ones 3.1 adds).
const SCHEMA_KEYWORDS: &[&str] = &[
    "title",
    "multipleOf",
    "maximum",
    "exclusiveMaximum",
    "minimum",
    "exclusiveMinimum",
    "maxLength",
    "minLength",
    "pattern",
    "maxItems",
    "minItems",
    "uniqueItems",
    "maxProperties",
    "minProperties",
    "required",
    "enum",
    "type",
    "allOf",
    "oneOf",
    "anyOf",
    "not",
    "items",
    "properties",
    "additionalProperties",
    "description",
    "format",
    "default",
    "nullable",
    "discriminator",
    "readOnly",
    "writeOnly",
    "xml",
    "externalDocs",
    "example",
    "examples",
    "deprecated",
    "const",
    "contentMediaType",
    "contentEncoding",
    "$ref",
    "$schema",
    "$id",
    "$defs",
    "$comment",
    "prefixItems",
    "patternProperties",
    "unevaluatedProperties",
    "propertyNames",
    "dependentRequired",
    "if",
    "then",
    "else",
];

/// A key of a schema one or two letters away from a keyword (`requried`, `minLenght`) is
/// that keyword misspelled: read as the keyword when the schema does not have it already,
/// and reported either way. Without this it would be ignored in silence.
pub fn keyword_typos(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        let unknown: Vec<String> = object
            .keys()
            .filter(|k| {
                k.len() >= 4 && !k.starts_with("x-") && !SCHEMA_KEYWORDS.contains(&k.as_str())
            })
            .cloned()
            .collect();
        for key in unknown {
            // One edit for short words, two for long ones; `$` keywords are not guessed at.
            let allowed = if key.len() < 7 { 1 } else { 2 };
            let Some(keyword) = SCHEMA_KEYWORDS.iter().find(|kw| {
                !kw.starts_with('$')
                    && strsim::osa_distance(&key.to_ascii_lowercase(), &kw.to_ascii_lowercase())
                        <= allowed
            }) else {
                continue;
            };
            let at = pointer_push(pointer, &key);
            if object.contains_key(*keyword) {
                cx.repaired(
                    &at,
                    format!("unknown keyword `{key}` (a misspelled `{keyword}`?) beside `{keyword}`; it is ignored"),
                );
            } else if let Some(v) = object.remove(&key) {
                object.insert((*keyword).to_owned(), v);
                cx.repaired(
                    &at,
                    format!("unknown keyword `{key}` is read as `{keyword}`"),
                );
            }
        }
    });
}

/// A schema `type` that is not one of OpenAPI's: a common name for one (`int`, `bool`,
/// `str`, `float`, `dict`, `list`...) is read as that type; any other is dropped (the
/// schema then allows any type). Security schemes, whose `type` means something else, are
/// left alone.
pub fn unknown_types(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        let ty = match object.get("type") {
            None | Some(Value::Array(_)) => return,
            Some(Value::String(ty)) => ty,
            Some(other) => {
                let message = format!(
                    "type {} is not a type name; it is dropped, so any value is allowed",
                    shortened(other)
                );
                object.remove("type");
                cx.lost(Loss::AnyValue, &pointer_push(pointer, "type"), message);
                return;
            }
        };
        let known = [
            "string", "number", "integer", "boolean", "array", "object", "null",
        ];
        if known.contains(&ty.as_str()) {
            return;
        }
        let read_as = match ty.to_ascii_lowercase().as_str() {
            "int" | "int32" | "int64" | "long" | "short" | "uint" | "integer32" | "integer64" => {
                Some("integer")
            }
            "bool" => Some("boolean"),
            "str" | "text" | "date" | "datetime" | "date-time" | "uuid" | "file" => Some("string"),
            "float" | "double" | "decimal" | "numeric" | "real" => Some("number"),
            "dict" | "map" | "obj" | "json" => Some("object"),
            "list" => Some("array"),
            other if known.contains(&other) => known.iter().find(|k| **k == other).copied(),
            _ => None,
        };
        let at = pointer_push(pointer, "type");
        let given = ty.clone();
        match read_as {
            Some(read_as) => {
                object.insert("type".to_owned(), Value::String(read_as.to_owned()));
                cx.repaired(
                    &at,
                    format!("unknown type {given:?} is read as {read_as:?}"),
                );
            }
            None => {
                object.remove("type");
                cx.lost(
                    Loss::AnyValue,
                    &at,
                    format!("unknown type {given:?}; it is dropped, so any value is allowed"),
                );
            }
        }
    });
}

/// `schema: true`, `properties: {legacy: false}`: JSON Schema allows a boolean where a
/// schema belongs (3.1 by the letter, 3.0 documents by habit). `true` is any value and reads
/// as `{}`; a property that is `false` can never be present and is dropped; `false`
/// elsewhere reads as `{not: {}}` (no value), which generation treats as any value.
pub fn boolean_schemas(value: &mut Value, cx: &mut Context<'_>) {
    each_schema(value, &mut |schema, pointer| {
        if let Some(Value::Object(properties)) = schema.get_mut("properties") {
            let never: Vec<String> = properties
                .iter()
                .filter(|(_, v)| **v == Value::Bool(false))
                .map(|(k, _)| k.clone())
                .collect();
            for name in never {
                properties.shift_remove(&name);
                cx.repaired(
                    &pointer_push(&pointer_push(pointer, "properties"), &name),
                    "a property whose schema is `false` can never be present; it is dropped"
                        .to_owned(),
                );
            }
        }
        read_boolean_schema(schema, pointer, cx);
    });
}

fn read_boolean_schema(value: &mut Value, pointer: &str, cx: &mut Context<'_>) {
    match value {
        Value::Bool(true) => *value = Value::Object(Map::new()),
        Value::Bool(false) => {
            *value = serde_json::json!({"not": {}});
            cx.lost(
                Loss::AnyValue,
                pointer,
                "the schema `false` allows no value; read as any value".to_owned(),
            );
        }
        _ => {}
    }
}

/// `pattern: 0`, `maxLength: "64"`, `description: 42`: a keyword holding a value of the wrong
/// JSON type. A number written as text is read as the number, a number or boolean where
/// text belongs as its text; anything else is dropped, as is a `discriminator` without the
/// `propertyName` it exists to give.
pub fn keyword_values(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        let mut dropped = Vec::new();
        for (key, value) in object.iter_mut() {
            let text = matches!(key.as_str(), "title" | "description" | "pattern" | "format");
            let number = matches!(
                key.as_str(),
                "minimum"
                    | "maximum"
                    | "multipleOf"
                    | "minLength"
                    | "maxLength"
                    | "minItems"
                    | "maxItems"
                    | "minProperties"
                    | "maxProperties"
            );
            let repaired = match (&*value, text, number) {
                (Value::String(_), true, _) | (Value::Number(_), _, true) => continue,
                (Value::Number(_) | Value::Bool(_), true, _) if key != "pattern" => {
                    Some(Value::String(value.to_string()))
                }
                (Value::String(s), _, true) => s
                    .trim()
                    .parse::<serde_json::Number>()
                    .ok()
                    .map(Value::Number),
                (_, true, _) | (_, _, true) => None,
                _ => continue,
            };
            let at = pointer_push(pointer, key);
            match repaired {
                Some(read) => {
                    cx.repaired(
                        &at,
                        format!(
                            "{} is not a {}; read as {read}",
                            shortened(value),
                            if text { "string" } else { "number" }
                        ),
                    );
                    *value = read;
                }
                None => {
                    cx.repaired(
                        &at,
                        format!(
                            "{} is not a {}; it is dropped",
                            shortened(value),
                            if text { "string" } else { "number" }
                        ),
                    );
                    dropped.push(key.clone());
                }
            }
        }
        let named = |d: &Value| matches!(d.get("propertyName"), Some(Value::String(_)));
        if object.get("discriminator").is_some_and(|d| !named(d)) {
            cx.repaired(
                &pointer_push(pointer, "discriminator"),
                "a discriminator without a `propertyName` names nothing; it is dropped".to_owned(),
            );
            dropped.push("discriminator".to_owned());
        }
        for key in dropped {
            object.remove(&key);
        }
    });
}

/// A value as JSON text, cut to a length a message can hold.
fn shortened(value: &Value) -> String {
    let text = value.to_string();
    match text.char_indices().nth(60) {
        Some((at, _)) => format!("{}...", &text[..at]),
        None => text,
    }
}
