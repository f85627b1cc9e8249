//! A walk over every object of a document that holds the spec's own keywords, for rules
//! that repair one object at a time.

use serde_json::{Map, Value};

use super::is_data_key;
use crate::diagnostics::push_token;

/// Calls `visit` on every object in `value` (parents before children) with its JSON
/// pointer, skipping the values of data keys (examples, defaults, enums, extensions).
pub(crate) fn each_object(
    value: &mut Value,
    pointer: &str,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    objects_in(value, &mut pointer.to_owned(), visit);
}

/// The walks keep one pointer, a token pushed on the way down and cut on the way up, rather
/// than a new string per node: a document has tens of thousands of nodes.
fn objects_in(
    value: &mut Value,
    at: &mut String,
    visit: &mut dyn FnMut(&mut Map<String, Value>, &str),
) {
    let len = at.len();
    match value {
        Value::Object(object) => {
            visit(object, at);
            for (key, child) in object.iter_mut() {
                if !is_data_key(key) {
                    push_token(at, key);
                    objects_in(child, at, visit);
                    at.truncate(len);
                }
            }
        }
        Value::Array(items) => {
            for (i, item) in items.iter_mut().enumerate() {
                push_index(at, i);
                objects_in(item, at, visit);
                at.truncate(len);
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
    schemas_in(value, &mut String::new(), false, visit);
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
    at: &mut String,
    schema: bool,
    visit: &mut dyn FnMut(&mut Value, &str),
) {
    if schema {
        visit(value, at);
    }
    let len = at.len();
    match value {
        Value::Object(object) => {
            let components = at == "/components";
            for (key, child) in object.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
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
                // Other keywords of a schema (`discriminator`, `xml`) hold no schemas.
                if slot.is_none() && schema {
                    continue;
                }
                push_token(at, key);
                let keyword = at.len();
                match slot {
                    Some(Slot::One) => schemas_in(child, at, true, visit),
                    Some(Slot::List) => {
                        for (i, item) in child.as_array_mut().into_iter().flatten().enumerate() {
                            push_index(at, i);
                            schemas_in(item, at, true, visit);
                            at.truncate(keyword);
                        }
                    }
                    Some(Slot::Map) => {
                        for (name, item) in child.as_object_mut().into_iter().flatten() {
                            push_token(at, name);
                            schemas_in(item, at, true, visit);
                            at.truncate(keyword);
                        }
                    }
                    None => schemas_in(child, at, false, visit),
                }
                at.truncate(len);
            }
        }
        Value::Array(items) if !schema => {
            for (i, item) in items.iter_mut().enumerate() {
                push_index(at, i);
                schemas_in(item, at, false, visit);
                at.truncate(len);
            }
        }
        _ => {}
    }
}

fn push_index(at: &mut String, index: usize) {
    use std::fmt::Write;
    let _ = write!(at, "/{index}");
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
    ("contentSchema", Slot::One),
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
