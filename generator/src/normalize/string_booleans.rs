//! `"required": "true"`: exporters and hand-written specs often quote booleans. Where the
//! OpenAPI schema wants a boolean and the spec has the string "true" or "false" (any case),
//! the rule reads it as that boolean.

use serde_json::Value;

use super::{is_data_key, Context};
use crate::diagnostics::pointer_push;

/// Keywords whose value is a boolean in OpenAPI 3.0 and 3.1 (`exclusiveMinimum` and
/// `exclusiveMaximum` are booleans in 3.0 only; a number there is left alone).
const BOOLEAN_KEYWORDS: &[&str] = &[
    "required",
    "deprecated",
    "nullable",
    "readOnly",
    "writeOnly",
    "explode",
    "allowReserved",
    "allowEmptyValue",
    "uniqueItems",
    "exclusiveMinimum",
    "exclusiveMaximum",
];

pub fn apply(value: &mut Value, cx: &mut Context<'_>) {
    walk(value, "", cx);
}

fn walk(value: &mut Value, pointer: &str, cx: &mut Context<'_>) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
                let child_pointer = pointer_push(pointer, key);
                if BOOLEAN_KEYWORDS.contains(&key.as_str()) {
                    if let Value::String(text) = child {
                        let read = match text.to_ascii_lowercase().as_str() {
                            "true" => Some(true),
                            "false" => Some(false),
                            _ => None,
                        };
                        if let Some(b) = read {
                            cx.repaired(
                                &child_pointer,
                                format!(
                                    "expected a boolean, found the string {text:?} (read as {b})"
                                ),
                            );
                            *child = Value::Bool(b);
                        }
                        continue;
                    }
                }
                walk(child, &child_pointer, cx);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &pointer_push(pointer, &i.to_string()), cx);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use crate::diagnostics::Diagnostics;
    use crate::normalize::normalize_document;

    #[test]
    fn quoted_booleans_are_read_and_reported() {
        let mut doc = json!({
            "paths": {"/x": {"get": {"parameters": [
                {"name": "a", "in": "header", "required": "true"},
                {"name": "b", "in": "query", "required": "False", "example": {"required": "true"}}
            ], "responses": {}}}},
            "components": {"schemas": {"S": {"type": "object", "required": ["required"],
                "properties": {"required": {"type": "string", "default": "true"}}}}}
        });
        let mut diags = Diagnostics::default();
        normalize_document(&mut doc, "specs/s.json", &mut diags);
        let params = &doc["paths"]["/x"]["get"]["parameters"];
        assert_eq!(params[0]["required"], json!(true));
        assert_eq!(params[1]["required"], json!(false));
        // Examples, defaults and the `required` list of a schema are left as they are.
        assert_eq!(params[1]["example"]["required"], json!("true"));
        assert_eq!(
            doc["components"]["schemas"]["S"]["required"],
            json!(["required"])
        );
        let messages: Vec<String> = diags.into_vec().iter().map(|d| d.to_string()).collect();
        assert_eq!(
            messages,
            [
                "warning[string-booleans]: specs/s.json#/paths/~1x/get/parameters/0/required: \
                 expected a boolean, found the string \"true\" (read as true)",
                "warning[string-booleans]: specs/s.json#/paths/~1x/get/parameters/1/required: \
                 expected a boolean, found the string \"False\" (read as false)",
            ]
        );
    }
}
