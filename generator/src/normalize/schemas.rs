//! Rules repairing schema objects that break the letter of the OpenAPI schema.

use serde_json::Value;

use super::walk::each_object;
use super::Context;
use crate::diagnostics::pointer_push;

/// `required: [" name", "gone"]`: hand-edited schemas keep names in `required` after a
/// property was renamed or removed, sometimes with stray whitespace. In a schema that lists
/// its properties and is not combined with others, a name matching a property once trimmed is
/// trimmed, and a name matching none is dropped. Combined schemas (allOf and its parts) are
/// left alone: there a part may require what another part declares.
pub fn required_unknown(value: &mut Value, cx: &mut Context<'_>) {
    each_object(value, "", &mut |object, pointer| {
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
    each_object(value, "", &mut |object, pointer| {
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
