//! OpenAPI 3.1 shapes rewritten in their 3.0 form, so the 3.0 parser reads them. These rules
//! run on 3.1 documents only: in a 3.0 document the same shapes are mistakes, not dialect.

use serde_json::{Map, Value};

use super::walk::{each_object, each_schema_object};
use super::Context;
use crate::diagnostics::{pointer_push, Loss};

/// 3.1, or 3.2, which keeps 3.1's dialect.
fn is_31(value: &Value) -> bool {
    matches!(value.get("openapi"), Some(Value::String(v)) if v.starts_with("3.1") || v.starts_with("3.2"))
}

/// `type: [string, "null"]`: 3.1 spells nullable as a type array (and 3.0 documents written
/// with JSON Schema habits do too, which the 3.0 parser would refuse whole). One type plus
/// "null" becomes that type with `nullable: true`; several types become the union they
/// describe, `oneOf` one schema per type, each taking the keywords that apply to its type
/// (`maxLength` to the string, `minimum` to the number, `items` to the array, `properties`
/// to the object, each `enum` value to the alternative of its type). A list of every JSON
/// type allows any value, and is read so.
pub fn type_arrays(value: &mut Value, cx: &mut Context<'_>) {
    let dialect = is_31(value);
    each_schema_object(value, &mut |object, pointer| {
        let Some(Value::Array(types)) = object.get("type") else {
            return;
        };
        if !dialect {
            cx.repaired(
                &pointer_push(pointer, "type"),
                "a list of types is OpenAPI 3.1; read as 3.1 reads it".to_owned(),
            );
        }
        let null = types.iter().any(|t| t == "null");
        let mut others: Vec<&str> = Vec::new();
        for name in types.iter().filter_map(Value::as_str) {
            if name != "null" && !others.contains(&name) {
                others.push(name);
            }
        }
        // A number that is an integer reads as both: the integer is tried first.
        if let (Some(i), Some(n)) = (
            others.iter().position(|t| *t == "integer"),
            others.iter().position(|t| *t == "number"),
        ) {
            if n < i {
                others.swap(n, i);
            }
        }
        let others: Vec<String> = others.into_iter().map(str::to_owned).collect();
        let composed = ["oneOf", "anyOf", "allOf"]
            .iter()
            .any(|k| object.contains_key(*k));
        let every = ["string", "number", "boolean", "object", "array"]
            .iter()
            .all(|t| others.iter().any(|o| o == t));
        match others.as_slice() {
            [one] => {
                object.insert("type".to_owned(), Value::String(one.clone()));
            }
            [] => {
                object.remove("type");
            }
            _ if every => {
                object.remove("type");
            }
            _ if composed => {
                object.remove("type");
                cx.lost(
                    Loss::AnyValue,
                    &pointer_push(pointer, "type"),
                    "several types beside oneOf, anyOf or allOf are read as any JSON value"
                        .to_owned(),
                );
            }
            _ => {
                object.remove("type");
                let alternatives = split_by_type(object, &others);
                object.insert("oneOf".to_owned(), Value::Array(alternatives));
            }
        }
        if null {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
    });
}

/// The keywords that say something about values of one JSON type only.
fn keywords_of(typ: &str) -> &'static [&'static str] {
    match typ {
        "string" => &[
            "minLength",
            "maxLength",
            "pattern",
            "contentEncoding",
            "contentMediaType",
        ],
        "integer" | "number" => &[
            "minimum",
            "maximum",
            "exclusiveMinimum",
            "exclusiveMaximum",
            "multipleOf",
        ],
        "array" => &[
            "items",
            "minItems",
            "maxItems",
            "uniqueItems",
            "prefixItems",
            "contains",
        ],
        "object" => &[
            "properties",
            "required",
            "additionalProperties",
            "minProperties",
            "maxProperties",
            "patternProperties",
            "propertyNames",
            "discriminator",
        ],
        _ => &[],
    }
}

/// One schema per type of `types`, each with the keywords of `object` that apply to its
/// type (taken out of `object`); an alternative an `enum` leaves no value for is left out.
fn split_by_type(object: &mut Map<String, Value>, types: &[String]) -> Vec<Value> {
    let values = match object.remove("enum") {
        Some(Value::Array(values)) => Some(values),
        Some(other) => {
            object.insert("enum".to_owned(), other);
            None
        }
        None => None,
    };
    let format = object.remove("format");
    let format_type = match format.as_ref().and_then(Value::as_str) {
        Some("int32" | "int64" | "uint8" | "uint16" | "uint32" | "uint64" | "uint") => "integer",
        Some("float" | "double" | "decimal") => "number",
        _ => "string",
    };
    let format_owner = types
        .iter()
        .find(|t| *t == format_type)
        .or_else(|| {
            types
                .iter()
                .find(|t| *t == "number" && format_type == "integer")
        })
        .or_else(|| types.first())
        .cloned();
    let mut alternatives = Vec::new();
    for typ in types {
        let mut alternative = Map::new();
        alternative.insert("type".to_owned(), Value::String(typ.clone()));
        for keyword in keywords_of(typ) {
            if let Some(value) = object.get(*keyword) {
                alternative.insert((*keyword).to_owned(), value.clone());
            }
        }
        if let Some(values) = &values {
            let own: Vec<Value> = values
                .iter()
                .filter(|v| is_of_type(v, typ))
                .cloned()
                .collect();
            if own.is_empty() {
                continue;
            }
            alternative.insert("enum".to_owned(), Value::Array(own));
        }
        if let Some(format) = format
            .as_ref()
            .filter(|_| format_owner.as_ref() == Some(typ))
        {
            alternative.insert("format".to_owned(), format.clone());
        }
        alternatives.push(Value::Object(alternative));
    }
    for typ in types {
        for keyword in keywords_of(typ) {
            object.remove(*keyword);
        }
    }
    alternatives
}

/// Whether an `enum` value is of the JSON type `typ` (an integer is a number too).
fn is_of_type(value: &Value, typ: &str) -> bool {
    match (typ, value) {
        ("string", Value::String(_))
        | ("boolean", Value::Bool(_))
        | ("number", Value::Number(_))
        | ("array", Value::Array(_))
        | ("object", Value::Object(_)) => true,
        ("integer", Value::Number(n)) => n.is_i64() || n.is_u64(),
        _ => false,
    }
}

/// `const: x` (3.1, and 3.0 documents written with JSON Schema habits) is a one-value `enum`
/// in 3.0, typed as the value is when the schema has no `type`. Without the rule the value
/// would silently become any value of its type.
pub fn const_values(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        if let Some(constant) = object.remove("const") {
            if object.contains_key("enum") {
                cx.repaired(
                    &pointer_push(pointer, "const"),
                    "`const` beside `enum` is dropped".to_owned(),
                );
            } else {
                // Without a `type`, 3.0 tools read an enum as any value: the constant's own
                // type is the schema's.
                let typ = match &constant {
                    Value::String(_) => Some("string"),
                    Value::Bool(_) => Some("boolean"),
                    Value::Number(n) if n.is_i64() || n.is_u64() => Some("integer"),
                    Value::Number(_) => Some("number"),
                    _ => None,
                };
                if let Some(typ) = typ {
                    object
                        .entry("type")
                        .or_insert_with(|| Value::String(typ.to_owned()));
                }
                object.insert("enum".to_owned(), Value::Array(vec![constant]));
            }
        }
    });
}

/// `anyOf: [{$ref: Pet}, {type: "null"}]`: 3.1 (and JSON Schema) spells a nullable use of a
/// type as a union with null. The null alternatives (`type: "null"`, `enum: [null]`) become
/// `nullable: true` on the union, so the use is an `Option` of the other alternatives rather
/// than a union with a variant holding any JSON value.
pub fn null_alternatives(value: &mut Value, _cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, _| {
        for keyword in ["oneOf", "anyOf"] {
            let Some(Value::Array(alternatives)) = object.get_mut(keyword) else {
                continue;
            };
            let before = alternatives.len();
            alternatives.retain(|a| !is_null_schema(a));
            if alternatives.len() < before && !alternatives.is_empty() {
                object.insert("nullable".to_owned(), Value::Bool(true));
            }
        }
    });
}

/// A schema that allows null only: `{type: "null"}` or `{enum: [null]}`, with docs at most.
fn is_null_schema(schema: &Value) -> bool {
    let Value::Object(object) = schema else {
        return false;
    };
    let null = match (object.get("type"), object.get("enum")) {
        (Some(Value::String(t)), None) => t == "null",
        (None | Some(Value::String(_)), Some(Value::Array(values))) => {
            !values.is_empty() && values.iter().all(Value::is_null)
        }
        _ => false,
    };
    null && object.keys().all(|k| {
        matches!(
            k.as_str(),
            "type" | "enum" | "description" | "title" | "nullable"
        )
    })
}

/// `examples: [a, b]` in a schema (3.1, from JSON Schema) becomes the 3.0 `example: a`. A map
/// of `examples` (on parameters and media types) is the 3.0 keyword and stays.
pub fn schema_examples(value: &mut Value, _cx: &mut Context<'_>) {
    if !is_31(value) {
        return;
    }
    each_schema_object(value, &mut |object, _| {
        if let Some(Value::Array(examples)) = object.get("examples") {
            let first = examples.first().cloned();
            object.remove("examples");
            if let Some(first) = first {
                object.entry("example").or_insert(first);
            }
        }
    });
}

/// `exclusiveMinimum: 5` (3.1, a number) is `minimum: 5, exclusiveMinimum: true` in 3.0.
pub fn exclusive_bounds(value: &mut Value, _cx: &mut Context<'_>) {
    if !is_31(value) {
        return;
    }
    each_schema_object(value, &mut |object, _| {
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if let Some(Value::Number(n)) = object.get(exclusive) {
                let n = Value::Number(n.clone());
                object.insert(bound.to_owned(), n);
                object.insert(exclusive.to_owned(), Value::Bool(true));
            }
        }
    });
}

/// `{$ref, description}`: 3.1 lets a reference carry siblings, 3.0 ignores them. Siblings
/// that only document (`description`, `summary`) are dropped; siblings that constrain the
/// schema (`nullable`, `readOnly` ...) wrap the reference as `allOf: [{$ref}]` beside them.
pub fn ref_siblings(value: &mut Value, cx: &mut Context<'_>) {
    if !is_31(value) {
        return;
    }
    each_object(value, "", &mut |object, pointer| {
        if object.len() < 2 || !matches!(object.get("$ref"), Some(Value::String(_))) {
            return;
        }
        let documenting = |k: &String| matches!(k.as_str(), "$ref" | "description" | "summary");
        if object.keys().all(documenting) {
            object.retain(|k, _| k == "$ref");
            return;
        }
        // Only a schema carries schema keywords; a reference to anything else keeps its ref.
        let schema_keywords = ["nullable", "readOnly", "writeOnly", "deprecated", "default"];
        if !object.keys().any(|k| schema_keywords.contains(&k.as_str())) {
            return;
        }
        let Some(reference) = object.remove("$ref") else {
            return;
        };
        let mut wrapped = Map::new();
        wrapped.insert("$ref".to_owned(), reference);
        object.insert(
            "allOf".to_owned(),
            Value::Array(vec![Value::Object(wrapped)]),
        );
        cx.repaired(
            pointer,
            "a $ref with schema keywords beside it is read as allOf: [$ref] with those keywords"
                .to_owned(),
        );
    });
}
