//! The refs of a 2.0 document: each pointed at its 3.0 home, and the bare names older
//! documents write for a definition made refs to it.

use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, Diagnostics};
use crate::normalize::{each_object, is_data_key};

/// `$ref: Pet`, a definition's bare name: Swagger 1.2 wrote refs so, and documents of its
/// time (Wordnik's petstore, go-swagger's petstore fixtures) carried the habit into 2.0;
/// swagger-parser reads it as `#/definitions/Pet`. As a relative URL it would name a file
/// `Pet` beside the document, which is never meant: a name with no `#`, `/` or file
/// extension that is a definition's is read as the ref to that definition.
pub(super) fn bare_name_refs(doc: &mut Value, file: &str, diags: &mut Diagnostics) {
    let names: Vec<String> = doc
        .get("definitions")
        .and_then(Value::as_object)
        .map(|d| d.keys().cloned().collect())
        .unwrap_or_default();
    if names.is_empty() {
        return;
    }
    each_object(doc, "", &mut |object, pointer| {
        let Some(Value::String(reference)) = object.get_mut("$ref") else {
            return;
        };
        let file_like = [".json", ".yaml", ".yml"]
            .iter()
            .any(|ext| reference.ends_with(ext));
        if reference.contains(['#', '/']) || file_like || !names.contains(reference) {
            return;
        }
        let fixed = format!("#/definitions/{reference}");
        diags.warn(
            "bare-name-refs",
            file,
            &pointer_push(pointer, "$ref"),
            format!("$ref {reference:?} is the bare name of a definition (read as {fixed:?})"),
        );
        *reference = fixed;
    });
}

/// Points every 2.0 `$ref` at its 3.0 home, outside data (examples, defaults, enums and
/// extensions are values, not refs). `names` says `value` is a map of named parts
/// (`properties`, `paths`, ...), whose keys are names, never keywords.
pub(super) fn rewrite_refs(value: &mut Value, body_parameters: &Map<String, Value>, names: bool) {
    match value {
        Value::Object(object) => {
            if names {
                for child in object.values_mut() {
                    rewrite_refs(child, body_parameters, false);
                }
                return;
            }
            if let Some(Value::String(reference)) = object.get_mut("$ref") {
                if let Some(name) = reference.strip_prefix("#/definitions/") {
                    *reference = format!("#/components/schemas/{name}");
                } else if let Some(name) = reference.strip_prefix("#/responses/") {
                    *reference = format!("#/components/responses/{name}");
                } else if let Some(name) = reference.strip_prefix("#/parameters/") {
                    let section = if body_parameters.contains_key(name) {
                        "requestBodies"
                    } else {
                        "parameters"
                    };
                    *reference = format!("#/components/{section}/{name}");
                }
            }
            for (key, child) in object.iter_mut() {
                if is_data_key(key) {
                    continue;
                }
                let names = NAMED.contains(&key.as_str());
                rewrite_refs(child, body_parameters, names);
            }
        }
        Value::Array(items) => {
            for item in items {
                rewrite_refs(item, body_parameters, false);
            }
        }
        _ => {}
    }
}

/// Keys whose value maps names to parts.
const NAMED: &[&str] = &[
    "paths",
    "properties",
    "patternProperties",
    "schemas",
    "parameters",
    "requestBodies",
    "responses",
    "headers",
    "securitySchemes",
    "content",
    "callbacks",
    "links",
];
