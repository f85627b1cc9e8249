//! A walk over every object of a document that holds the spec's own keywords, for rules
//! that repair one object at a time.

use serde_json::{Map, Value};

use super::is_data_key;
use crate::diagnostics::pointer_push;

/// Calls `visit` on every object in `value` (parents before children) with its JSON
/// pointer, skipping the values of data keys (examples, defaults, enums, extensions).
pub(crate) fn each_object(
    value: &mut Value,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    match value {
        Value::Object(object) => {
            visit(object, pointer);
            for (key, child) in object.iter_mut() {
                if !is_data_key(key) {
                    each_object(child, &pointer_push(pointer, key), visit);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                each_object(item, &pointer_push(pointer, &i.to_string()), visit);
            }
        }
        _ => {}
    }
}

/// Calls `visit` on every value that stands where a schema belongs (parents before
/// children), with its JSON pointer: the `schema` of parameters, headers and media types,
/// `components/schemas`, and inside a schema the keywords that hold schemas. Unlike
/// [`each_object`], the walk knows which keys are keywords, so a property named `type`,
/// `items` or `properties` is visited as the schema it is, never read as the keyword.
pub(crate) fn each_schema(value: &mut Value, visit: &mut dyn FnMut(&mut Value, &str)) {
    schemas_in(value, "", false, visit);
}

/// [`each_schema`] for the schemas that are objects (not `true` or `false`).
pub(crate) fn each_schema_object(
    value: &mut Value,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    each_schema(value, &mut |schema, pointer| {
        if let Value::Object(object) = schema {
            visit(object, pointer);
        }
    });
}

fn schemas_in(
    value: &mut Value,
    pointer: &str,
    schema: bool,
    visit: &mut dyn FnMut(&mut Value, &str),
) {
    if schema {
        visit(value, pointer);
    }
    match value {
        Value::Object(object) => {
            let components = pointer == "/components";
            for (key, child) in object.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
                let at = pointer_push(pointer, key);
                let slot = match (schema, key.as_str()) {
                    (false, "schema") => Some(Slot::One),
                    (false, "schemas") if components => Some(Slot::Map),
                    // `additionalProperties: false` is its own keyword, not a schema.
                    (true, "additionalProperties") if child.is_object() => Some(Slot::One),
                    (true, key) => SCHEMA_SLOTS
                        .iter()
                        .find(|(k, _)| *k == key)
                        .map(|(_, slot)| *slot),
                    (false, _) => None,
                };
                match slot {
                    Some(Slot::One) => schemas_in(child, &at, true, visit),
                    Some(Slot::List) => {
                        for (i, item) in child.as_array_mut().into_iter().flatten().enumerate() {
                            schemas_in(item, &pointer_push(&at, &i.to_string()), true, visit);
                        }
                    }
                    Some(Slot::Map) => {
                        for (name, item) in child.as_object_mut().into_iter().flatten() {
                            schemas_in(item, &pointer_push(&at, name), true, visit);
                        }
                    }
                    // Other keywords of a schema (`discriminator`, `xml`) hold no schemas.
                    None if schema => {}
                    None => schemas_in(child, &at, false, visit),
                }
            }
        }
        Value::Array(items) if !schema => {
            for (i, item) in items.iter_mut().enumerate() {
                schemas_in(item, &pointer_push(pointer, &i.to_string()), false, visit);
            }
        }
        _ => {}
    }
}

/// How a keyword holds schemas.
#[derive(Clone, Copy)]
enum Slot {
    One,
    List,
    Map,
}

/// Keywords of a schema that hold schemas.
const SCHEMA_SLOTS: &[(&str, Slot)] = &[
    ("items", Slot::One),
    ("not", Slot::One),
    ("contains", Slot::One),
    ("propertyNames", Slot::One),
    ("if", Slot::One),
    ("then", Slot::One),
    ("else", Slot::One),
    ("additionalItems", Slot::One),
    ("unevaluatedItems", Slot::One),
    ("unevaluatedProperties", Slot::One),
    ("allOf", Slot::List),
    ("anyOf", Slot::List),
    ("oneOf", Slot::List),
    ("prefixItems", Slot::List),
    ("properties", Slot::Map),
    ("patternProperties", Slot::Map),
    ("$defs", Slot::Map),
    ("definitions", Slot::Map),
];
