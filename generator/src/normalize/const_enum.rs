//! `const: "card"`: OpenAPI 3.1 (JSON Schema) writes a fixed value as `const`, which 3.0 and
//! its parser do not know, so the value would silently become any string. A `const` is a
//! one-value `enum`, which both versions read: the rule writes it so.

use serde_json::Value;

use super::{is_data_key, Context};
use crate::diagnostics::pointer_push;

pub fn apply(value: &mut Value, cx: &mut Context<'_>) {
    walk(value, "", false, cx);
}

/// `names` is true for maps whose keys are names, not keywords (`properties`, the sections of
/// `components`), where a key `const` is a property called so.
fn walk(value: &mut Value, pointer: &str, names: bool, cx: &mut Context<'_>) {
    match value {
        Value::Object(object) => {
            if !names && !object.contains_key("enum") {
                if let Some(fixed) = object.remove("const") {
                    cx.repaired(
                        &pointer_push(pointer, "const"),
                        format!("const {fixed} is read as enum [{fixed}]"),
                    );
                    object.insert("enum".to_owned(), Value::Array(vec![fixed]));
                }
            }
            for (key, child) in object.iter_mut() {
                if !names && is_data_key(key) {
                    continue;
                }
                let child_names = !names
                    && matches!(
                        key.as_str(),
                        "properties"
                            | "schemas"
                            | "paths"
                            | "responses"
                            | "parameters"
                            | "examples"
                            | "requestBodies"
                            | "headers"
                            | "securitySchemes"
                            | "links"
                            | "callbacks"
                            | "content"
                            | "mapping"
                            | "variables"
                    );
                walk(child, &pointer_push(pointer, key), child_names, cx);
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                walk(item, &pointer_push(pointer, &i.to_string()), false, cx);
            }
        }
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::diagnostics::Diagnostics;
    use serde_json::json;

    #[test]
    fn const_becomes_a_one_value_enum_but_a_property_named_const_stays() {
        let mut doc = json!({
            "components": {"schemas": {"Kind": {"type": "string", "const": "card"},
                "Holder": {"type": "object", "properties": {"const": {"type": "integer"}}}}}
        });
        let mut diags = Diagnostics::default();
        let mut cx = Context {
            file: "f.json",
            rule: "const-as-enum",
            diags: &mut diags,
        };
        apply(&mut doc, &mut cx);
        assert_eq!(
            doc["components"]["schemas"]["Kind"],
            json!({"type": "string", "enum": ["card"]})
        );
        assert_eq!(
            doc["components"]["schemas"]["Holder"]["properties"]["const"],
            json!({"type": "integer"})
        );
        assert_eq!(
            diags.into_vec()[0].to_string(),
            "warning[const-as-enum]: f.json#/components/schemas/Kind/const: const \"card\" is read as enum [\"card\"]"
        );
    }
}
