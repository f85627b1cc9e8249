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

/// `type: [string, "null"]`: 3.1 spells nullable as a type array. One type plus "null"
/// becomes that type with `nullable: true`; several types leave the schema untyped (any
/// JSON value), keeping `nullable` when "null" was among them.
pub fn type_arrays(value: &mut Value, cx: &mut Context<'_>) {
    if !is_31(value) {
        return;
    }
    each_schema_object(value, &mut |object, pointer| {
        let Some(Value::Array(types)) = object.get("type") else {
            return;
        };
        let null = types.iter().any(|t| t == "null");
        let others: Vec<Value> = types.iter().filter(|t| *t != "null").cloned().collect();
        match others.as_slice() {
            [one] => {
                object.insert("type".to_owned(), one.clone());
            }
            _ => {
                object.remove("type");
                if others.len() > 1 {
                    cx.lost(
                        Loss::AnyValue,
                        &pointer_push(pointer, "type"),
                        "several types are read as any JSON value".to_owned(),
                    );
                }
            }
        }
        if null {
            object.insert("nullable".to_owned(), Value::Bool(true));
        }
    });
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
