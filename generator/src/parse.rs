//! Reading the normalized tree as an `openapiv3::OpenAPI` document.

use serde_json::Value;

use crate::diagnostics::{pointer_push, Diagnostics};

/// A parsed document: openapiv3's, and the webhooks that its 3.0 types do not hold.
pub struct Spec {
    pub api: openapiv3::OpenAPI,
    /// 3.1's top-level `webhooks`, each path item read by openapiv3's own `PathItem`, in
    /// the document's order.
    pub webhooks: Vec<(String, openapiv3::PathItem)>,
}

/// Checks the version field first, so that a Swagger 2.0 or OpenAPI 3.2 document gets one
/// clear message instead of a list of shape errors, then deserializes. A shape error names
/// the JSON pointer where deserialization failed.
pub fn parse_document(mut value: Value, file: &str, diags: &mut Diagnostics) -> Option<Spec> {
    if let Some(swagger) = value.get("swagger") {
        diags.error(
            "version",
            file,
            "/swagger",
            format!(
                "this is a Swagger {} document; only OpenAPI 3.0 and 3.1 are supported \
                 (convert it first, e.g. with swagger2openapi)",
                display_version(swagger)
            ),
        );
        return None;
    }
    match value.get("openapi") {
        Some(Value::String(v)) if v.starts_with("3.0") || v.starts_with("3.1") => {}
        Some(other) => {
            diags.error(
                "version",
                file,
                "/openapi",
                format!(
                    "OpenAPI {} is not supported; only OpenAPI 3.0 and 3.1 are",
                    display_version(other)
                ),
            );
            return None;
        }
        None => {
            diags.error(
                "version",
                file,
                "",
                "not an OpenAPI document: there is no `openapi` version field".to_owned(),
            );
            return None;
        }
    }
    // openapiv3 would drop `webhooks` unread; each is read here on its own, so a defect in
    // one costs that webhook only.
    let webhooks = match value
        .as_object_mut()
        .and_then(|root| root.remove("webhooks"))
    {
        Some(webhooks) => parse_webhooks(webhooks, file, diags),
        None => Vec::new(),
    };
    let whole = match serde_path_to_error::deserialize::<_, openapiv3::OpenAPI>(&value) {
        Ok(api) => return Some(Spec { api, webhooks }),
        Err(e) => located(e, ""),
    };
    // openapiv3 reads `$ref`-or-item values as untagged enums, which hide where inside them
    // deserialization failed. Parsing the parts on their own finds the place.
    let (pointer, message) = locate_in_parts(&value).unwrap_or(whole);
    diags.error(
        "parse",
        file,
        &pointer,
        format!("not a valid OpenAPI document here: {message}"),
    );
    None
}

/// Each webhook's path item; one that is not a path item is reported and left out. A
/// `$ref` (to 3.1's `components/pathItems`, say) was copied in place by `load::bundle`;
/// one still here leads nowhere.
fn parse_webhooks(
    webhooks: Value,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<(String, openapiv3::PathItem)> {
    let Value::Object(webhooks) = webhooks else {
        diags.warn(
            "webhook",
            file,
            "/webhooks",
            "webhooks is not a map of path items; no webhook is generated".to_owned(),
        );
        return Vec::new();
    };
    let mut parsed = Vec::new();
    for (name, item) in webhooks {
        let pointer = pointer_push("/webhooks", &name);
        if let Some(reference) = item.get("$ref") {
            diags.warn(
                "webhook",
                file,
                &pointer,
                format!("the webhook is a $ref to {reference}, which leads to no path item; it is not generated"),
            );
            continue;
        }
        match serde_path_to_error::deserialize::<_, openapiv3::PathItem>(&item) {
            Ok(item) => parsed.push((name, item)),
            Err(e) => {
                let (at, message) = located(e, &pointer);
                diags.warn(
                    "webhook",
                    file,
                    &at,
                    format!("not a valid path item here: {message}; the webhook is not generated"),
                );
            }
        }
    }
    parsed
}

/// A deserialization error as a JSON pointer (below `base`) and a message.
fn located(e: serde_path_to_error::Error<serde_json::Error>, base: &str) -> (String, String) {
    let mut pointer = base.to_owned();
    for segment in e.path().iter() {
        use serde_path_to_error::Segment;
        match segment {
            Segment::Seq { index } => pointer = pointer_push(&pointer, &index.to_string()),
            Segment::Map { key } => pointer = pointer_push(&pointer, key),
            Segment::Enum { .. } | Segment::Unknown => {}
        }
    }
    (pointer, e.into_inner().to_string())
}

/// Tries `value` as a `T` at `pointer`.
fn try_part<T: serde::de::DeserializeOwned>(
    value: &Value,
    pointer: &str,
) -> Option<(String, String)> {
    serde_path_to_error::deserialize::<_, T>(value)
        .err()
        .map(|e| located(e, pointer))
}

const METHODS: &[&str] = &[
    "get", "put", "post", "delete", "options", "head", "patch", "trace",
];

/// The first part of the document that fails on its own, from the innermost kinds of part
/// (parameters, bodies, responses, schemas) out to whole operations.
fn locate_in_parts(value: &Value) -> Option<(String, String)> {
    use openapiv3::{Operation, Parameter, RequestBody, Response, Schema};
    let entries = |v: &Value| {
        v.as_object()
            .into_iter()
            .flatten()
            .map(|(k, v)| (k.clone(), v.clone()))
            .collect::<Vec<_>>()
    };
    let not_ref = |v: &Value| v.get("$ref").is_none();
    for (path, item) in entries(&value["paths"]) {
        let path_pointer = pointer_push("/paths", &path);
        for method in METHODS {
            let Some(op) = item.get(*method) else {
                continue;
            };
            let op_pointer = pointer_push(&path_pointer, method);
            for (i, param) in op["parameters"]
                .as_array()
                .into_iter()
                .flatten()
                .enumerate()
            {
                let at = pointer_push(&pointer_push(&op_pointer, "parameters"), &i.to_string());
                if let Some(found) = not_ref(param)
                    .then(|| try_part::<Parameter>(param, &at))
                    .flatten()
                {
                    return Some(found);
                }
            }
            if let Some(body) = op.get("requestBody").filter(|b| not_ref(b)) {
                if let Some(found) =
                    try_part::<RequestBody>(body, &pointer_push(&op_pointer, "requestBody"))
                {
                    return Some(found);
                }
            }
            for (status, response) in entries(&op["responses"]) {
                let at = pointer_push(&pointer_push(&op_pointer, "responses"), &status);
                if let Some(found) = not_ref(&response)
                    .then(|| try_part::<Response>(&response, &at))
                    .flatten()
                {
                    return Some(found);
                }
            }
            if let Some(found) = try_part::<Operation>(op, &op_pointer) {
                return Some(found);
            }
        }
    }
    for (name, schema) in entries(&value["components"]["schemas"]) {
        let at = pointer_push("/components/schemas", &name);
        if let Some(found) = not_ref(&schema)
            .then(|| try_part::<Schema>(&schema, &at))
            .flatten()
        {
            return Some(found);
        }
    }
    None
}

fn display_version(value: &Value) -> String {
    match value {
        Value::String(s) => s.clone(),
        other => other.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn errors(value: Value) -> Vec<String> {
        let mut diags = Diagnostics::default();
        assert!(parse_document(value, "a.json", &mut diags).is_none());
        diags.into_vec().iter().map(|d| d.to_string()).collect()
    }

    #[test]
    fn unsupported_versions_are_named() {
        assert_eq!(
            errors(json!({"swagger": "2.0"})),
            ["error[version]: a.json#/swagger: this is a Swagger 2.0 document; only OpenAPI 3.0 \
              and 3.1 are supported (convert it first, e.g. with swagger2openapi)"]
        );
        assert_eq!(
            errors(json!({"openapi": "3.2.0"})),
            ["error[version]: a.json#/openapi: OpenAPI 3.2.0 is not supported; only OpenAPI 3.0 and 3.1 are"]
        );
    }

    #[test]
    fn shape_errors_are_located() {
        let errs = errors(json!({
            "openapi": "3.0.0",
            "info": {"title": "t", "version": "1"},
            "paths": {"/x": {"get": {"responses": {"200": {"description": 5}}}}}
        }));
        assert_eq!(errs.len(), 1);
        assert!(
            errs[0].starts_with("error[parse]: a.json#/paths/~1x/get/responses/200"),
            "{}",
            errs[0]
        );
    }
}
