//! A part of the document openapiv3 cannot read costs that part, never the whole document.
//!
//! Real documents carry shapes no normalize rule foresaw (a parameter with `in: body`, a
//! response that is a list, an `enum` holding objects in a string schema). The part holding
//! the shape error is found and degraded: a schema is read as any value (`{}`); anything else
//! (a parameter, body, response, header, operation, path item, component, list entry) is
//! left out. The document is then read again.

use openapiv3::{ReferenceOr, Schema};
use serde_json::{Map, Value};

use super::METHODS;
use crate::diagnostics::{pointer_of, pointer_tokens, Loss};

/// What became of a degraded part, as the warning says it.
pub(super) const ANY_VALUE: &str = "read as any value";
pub(super) const LEFT_OUT: &str = "left out";

/// A degraded part: its pointer, what became of it, and what kind of loss that is.
pub(super) type Degraded = (String, &'static str, Loss);

/// Degrades the part of `doc` around `pointer`, where deserialization failed: the innermost
/// schema holding it, or else the innermost part that can be left out. Returns the part's
/// pointer and what became of it; `None` when no part around the pointer can go (a
/// malformed `info` or `openapi`), which leaves the document unreadable.
pub(super) fn degrade(doc: &mut Value, pointer: &str) -> Option<Degraded> {
    let tokens = pointer_tokens(pointer);
    if let Some(depth) = schema_depths(&tokens).last() {
        let at = innermost_failing_schema(doc, pointer_of(&tokens[..*depth]));
        let slot = doc.pointer_mut(&at)?;
        // A schema that is already any value cannot be what failed: nothing to degrade.
        if slot.as_object().is_some_and(Map::is_empty) {
            return None;
        }
        *slot = Value::Object(Map::new());
        return Some((at, ANY_VALUE, Loss::AnyValue));
    }
    let depth = (1..=tokens.len())
        .rev()
        .find(|&depth| can_leave_out(&tokens[..depth]))?;
    let (last, parent) = tokens[..depth].split_last()?;
    match doc.pointer_mut(&pointer_of(parent))? {
        Value::Object(map) => {
            map.shift_remove(last)?;
        }
        Value::Array(list) => {
            let index: usize = last.parse().ok().filter(|i| *i < list.len())?;
            list.remove(index);
        }
        _ => return None,
    }
    Some((
        pointer_of(&tokens[..depth]),
        LEFT_OUT,
        loss_of(&tokens[..depth]),
    ))
}

/// What leaving out the part at `tokens` loses.
fn loss_of(tokens: &[String]) -> Loss {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match t.as_slice() {
        ["paths", ..] if t.len() <= 3 => Loss::Operation,
        ["webhooks", ..] if t.len() <= 3 => Loss::Webhook,
        [.., "callbacks", _] => Loss::Webhook,
        ["components", "parameters" | "headers", _]
        | [.., "parameters" | "headers", _]
        | [.., "parameters"] => Loss::Parameter,
        ["components", "requestBodies" | "responses", _]
        | [.., "requestBody"]
        | [.., "responses" | "content" | "encoding", _] => Loss::Body,
        ["components", "securitySchemes", _] | [.., "security", _] | [.., "security"] => {
            Loss::Security
        }
        ["components", "schemas", _] => Loss::AnyValue,
        _ => Loss::Check,
    }
}

/// The depths along `tokens` at which a schema sits: `components/schemas/<name>`, any
/// `schema` of a parameter, header or media type, and below a schema its `items`, `not`,
/// `additionalProperties`, `properties/<name>`, `allOf/<i>`, `oneOf/<i>` and `anyOf/<i>`.
fn schema_depths(tokens: &[String]) -> Vec<usize> {
    let mut depths = Vec::new();
    let mut in_schema = false;
    let mut i = 0;
    while i < tokens.len() {
        let next = i + 1;
        let schema_at = match (in_schema, tokens[i].as_str()) {
            (true, "items" | "additionalProperties" | "not") => Some(next),
            (true, "properties" | "allOf" | "oneOf" | "anyOf") if next < tokens.len() => {
                Some(next + 1)
            }
            (false, "schema") => Some(next),
            (false, "schemas") if i == 1 && tokens[0] == "components" && next < tokens.len() => {
                Some(next + 1)
            }
            _ => None,
        };
        match schema_at {
            Some(depth) => {
                depths.push(depth);
                in_schema = true;
                i = depth;
            }
            None => {
                in_schema = false;
                i = next;
            }
        }
    }
    depths
}

/// A failing schema fails because of itself or of a schema below it (openapiv3 reads a
/// schema's kind as an untagged enum, which reports a failure anywhere inside as one at the
/// schema): the innermost that fails on its own is what goes.
fn innermost_failing_schema(doc: &Value, mut at: String) -> String {
    'down: loop {
        let Some(schema) = doc.pointer(&at) else {
            return at;
        };
        for (path, child) in sub_schemas(schema) {
            if serde_json::from_value::<ReferenceOr<Schema>>(child.clone()).is_err() {
                at.push_str(&pointer_of(&path));
                continue 'down;
            }
        }
        return at;
    }
}

/// The schemas directly below `schema`, each with its tokens relative to it.
fn sub_schemas(schema: &Value) -> Vec<(Vec<String>, &Value)> {
    let mut found = Vec::new();
    for key in ["items", "additionalProperties", "not"] {
        // `additionalProperties: true` is not a schema but openapiv3's boolean form.
        if let Some(child) = schema.get(key).filter(|c| c.is_object()) {
            found.push((vec![key.to_owned()], child));
        }
    }
    if let Some(properties) = schema.get("properties").and_then(Value::as_object) {
        for (name, child) in properties {
            found.push((vec!["properties".to_owned(), name.clone()], child));
        }
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(list) = schema.get(key).and_then(Value::as_array) {
            for (i, child) in list.iter().enumerate() {
                found.push((vec![key.to_owned(), i.to_string()], child));
            }
        }
    }
    found
}

/// Whether the part at `tokens` may be left out with the rest of the document still meaning
/// what it said: an entry of a map or list whose entries are independent parts.
fn can_leave_out(tokens: &[String]) -> bool {
    let t: Vec<&str> = tokens.iter().map(String::as_str).collect();
    match t.as_slice() {
        ["paths" | "webhooks", _] | ["components", _, _] => true,
        ["servers" | "tags" | "security", _] => true,
        ["paths" | "webhooks", _, method] => METHODS.contains(method),
        ["paths", _, "parameters" | "servers", _] => true,
        [.., "parameters" | "responses" | "callbacks" | "security" | "servers" | "tags", _] => {
            t.len() >= 5
        }
        [.., "requestBody"] => true,
        // A list that is not one (`parameters: 7`): the list goes, the operation stays.
        [.., "parameters" | "security" | "servers" | "tags"] => t.len() >= 3,
        [.., "headers" | "content" | "links" | "examples" | "encoding", _] => t.len() >= 4,
        _ => false,
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn tokens(pointer: &str) -> Vec<String> {
        pointer_tokens(pointer)
    }

    #[test]
    fn schema_positions_are_found_along_a_pointer() {
        assert_eq!(
            schema_depths(&tokens(
                "/components/schemas/A/properties/b/items/maxLength"
            )),
            [3, 5, 6]
        );
        assert_eq!(
            schema_depths(&tokens("/paths/~1x/get/parameters/0/schema/allOf/1")),
            [6, 8]
        );
        // A property named like a keyword is a property, and `example` is not a schema.
        assert_eq!(
            schema_depths(&tokens(
                "/components/schemas/A/properties/items/example/schema"
            )),
            [3, 5, 7]
        );
        assert!(schema_depths(&tokens("/paths/~1x/get/responses/200")).is_empty());
    }

    #[test]
    fn a_bad_property_costs_that_property_only() {
        let mut doc = json!({"components": {"schemas": {"A": {
            "type": "object",
            "properties": {
                "ok": {"type": "string"},
                "bad": {"type": "object", "properties": {"deep": {"type": "string", "maxLength": "ten"}}}
            }
        }}}});
        let done = degrade(&mut doc, "/components/schemas/A").unwrap();
        assert_eq!(
            done,
            (
                "/components/schemas/A/properties/bad/properties/deep".to_owned(),
                ANY_VALUE,
                Loss::AnyValue
            )
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["ok"],
            json!({"type": "string"})
        );
        assert_eq!(
            doc["components"]["schemas"]["A"]["properties"]["bad"]["properties"]["deep"],
            json!({})
        );
    }

    #[test]
    fn parts_that_are_not_schemas_are_left_out() {
        let mut doc = json!({"paths": {"/x": {"get": {
            "parameters": [{"name": "a", "in": "query"}, {"name": "b", "in": "body"}],
            "responses": {"200": {"description": "ok"}}
        }}}});
        assert_eq!(
            degrade(&mut doc, "/paths/~1x/get/parameters/1/in"),
            Some((
                "/paths/~1x/get/parameters/1".to_owned(),
                LEFT_OUT,
                Loss::Parameter
            ))
        );
        assert_eq!(
            doc["paths"]["/x"]["get"]["parameters"],
            json!([{"name": "a", "in": "query"}])
        );
        assert_eq!(
            degrade(&mut doc, "/paths/~1x/get/responses/200/description"),
            Some((
                "/paths/~1x/get/responses/200".to_owned(),
                LEFT_OUT,
                Loss::Body
            ))
        );
        // The document's own fields cannot go.
        assert_eq!(
            degrade(&mut json!({"info": {"title": 5}}), "/info/title"),
            None
        );
    }
}
