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
