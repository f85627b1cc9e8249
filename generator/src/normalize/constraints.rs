//! Rules for the validation keywords of a schema whose values cannot mean what they say:
//! the generated server would enforce them as written (refusing every value) or the
//! generator would have to guess. Each is dropped, never half kept, and reported.

use serde_json::{Map, Value};

use super::walk::each_schema_object;
use super::Context;
use crate::diagnostics::pointer_push;

/// `exclusiveMinimum: true` without `minimum` (OpenAPI 3.0's boolean form, written as if it
/// were 3.1's number form): it makes no bound exclusive, as there is no bound.
pub fn exclusive_without_bound(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        for (exclusive, bound) in [
            ("exclusiveMinimum", "minimum"),
            ("exclusiveMaximum", "maximum"),
        ] {
            if object.get(exclusive) == Some(&Value::Bool(true)) && !object.contains_key(bound) {
                object.remove(exclusive);
                cx.repaired(
                    &pointer_push(pointer, exclusive),
                    format!("`{exclusive}: true` without `{bound}` bounds nothing; it is dropped"),
                );
            }
        }
    });
}

/// `multipleOf: 0` or a negative one: JSON Schema requires a number greater than 0, and no
/// value is a multiple of 0 but 0 itself.
pub fn multiple_of(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        let Some(Value::Number(n)) = object.get("multipleOf") else {
            return;
        };
        if n.as_f64().is_some_and(|n| n <= 0.0) {
            let n = n.clone();
            object.remove("multipleOf");
            cx.repaired(
                &pointer_push(pointer, "multipleOf"),
                format!(
                    "`multipleOf: {n}` is not greater than 0, so it divides nothing; it is dropped"
                ),
            );
        }
    });
}

/// `minimum: 5, maximum: 1`, `minLength` over `maxLength`, `minItems` over `maxItems`: no
/// value satisfies both, so a server enforcing them refuses every request that carries the
/// value. Which of the two is the mistake is the author's to say, so neither is checked
/// (the pair is dropped), and the warning names both.
pub fn contradictory_bounds(value: &mut Value, cx: &mut Context<'_>) {
    each_schema_object(value, &mut |object, pointer| {
        for (low, high) in [
            ("minimum", "maximum"),
            ("minLength", "maxLength"),
            ("minItems", "maxItems"),
            ("minProperties", "maxProperties"),
        ] {
            let (Some(min), Some(max)) = (number(object, low), number(object, high)) else {
                continue;
            };
            let exclusive = low == "minimum"
                && ["exclusiveMinimum", "exclusiveMaximum"]
                    .iter()
                    .any(|k| object.get(*k) == Some(&Value::Bool(true)));
            if min < max || (min == max && !exclusive) {
                continue;
            }
            let shown = |key: &str| object.get(key).map(Value::to_string).unwrap_or_default();
            let message = format!(
                "`{low}: {}` and `{high}: {}` admit no value; neither is checked",
                shown(low),
                shown(high)
            );
            for key in [low, high] {
                object.remove(key);
            }
            if low == "minimum" {
                object.remove("exclusiveMinimum");
                object.remove("exclusiveMaximum");
            }
            cx.repaired(&pointer_push(pointer, low), message);
        }
    });
}

fn number(object: &Map<String, Value>, key: &str) -> Option<f64> {
    object.get(key).and_then(Value::as_f64)
}
