//! OpenAPI 3.2's operations beyond the fixed fields openapiv3's `PathItem` reads: a path
//! item's `query` (the `QUERY` method) and each entry of its `additionalOperations`
//! (`COPY`, `PURGE`, any method spelled as sent). They are taken out of each item under
//! `paths` before openapiv3 reads the document and each is read on its own as an
//! openapiv3 `Operation`, so a defect in one costs that operation only.

use serde_json::Value;

use super::located;
use crate::diagnostics::{pointer_push, Diagnostics, Loss};
use crate::model::Method;

/// An operation of a method a path item's fixed fields do not name.
pub struct ExtensionOperation {
    /// The path item's key under `paths`.
    pub path: String,
    pub method: Method,
    /// Where it is: `/paths/~1x/query`, `/paths/~1x/additionalOperations/COPY`.
    pub pointer: String,
    pub operation: openapiv3::Operation,
}

/// Takes `query` and `additionalOperations` out of every path item under `paths` and reads
/// them; what cannot be read, or is no method a request can carry, is reported and left out.
pub(super) fn take_extension_operations(
    value: &mut Value,
    file: &str,
    diags: &mut Diagnostics,
) -> Vec<ExtensionOperation> {
    let mut found = Vec::new();
    let Some(Value::Object(paths)) = value.get_mut("paths") else {
        return found;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        let at = pointer_push("/paths", path);
        let mut taken = Vec::new();
        if let Some(op) = item.remove("query") {
            taken.push(("QUERY".to_owned(), pointer_push(&at, "query"), op));
        }
        match item.remove("additionalOperations") {
            Some(Value::Object(more)) => {
                let more_at = pointer_push(&at, "additionalOperations");
                for (name, op) in more {
                    taken.push((name.clone(), pointer_push(&more_at, &name), op));
                }
            }
            Some(_) => diags.lose(
                Loss::Operation,
                "additional-operations",
                file,
                &pointer_push(&at, "additionalOperations"),
                "additionalOperations is not a map of methods to operations; none is generated"
                    .to_owned(),
            ),
            None => {}
        }
        for (name, pointer, op) in taken {
            if let Some(problem) = method_problem(&name) {
                diags.lose(
                    Loss::Operation,
                    "additional-operations",
                    file,
                    &pointer,
                    format!("{problem}; this operation is left out"),
                );
                continue;
            }
            match serde_path_to_error::deserialize::<_, openapiv3::Operation>(&op) {
                Ok(mut operation) => {
                    drop_callbacks(&mut operation, &pointer, file, diags);
                    found.push(ExtensionOperation {
                        path: path.clone(),
                        method: Method::Extension(name),
                        pointer,
                        operation,
                    })
                }
                Err(e) => {
                    let (inside, message) = located(e, &pointer);
                    diags.lose(
                        Loss::Operation,
                        "parse",
                        file,
                        &inside,
                        format!("not a valid OpenAPI operation: {message}; left out"),
                    );
                }
            }
        }
    }
    found
}

/// The callbacks of an extension operation are not generated yet: each of their
/// operations is reported where it is and left out.
fn drop_callbacks(
    operation: &mut openapiv3::Operation,
    pointer: &str,
    file: &str,
    diags: &mut Diagnostics,
) {
    let callbacks = std::mem::take(&mut operation.callbacks);
    for (name, callback) in &callbacks {
        let at = pointer_push(&pointer_push(pointer, "callbacks"), name);
        for (expression, item) in callback {
            for (method, _) in item.iter() {
                diags.lose(
                    Loss::Webhook,
                    "additional-operations",
                    file,
                    &pointer_push(&pointer_push(&at, expression), method),
                    "a callback of a QUERY or additionalOperations operation is not generated yet; it is left out".to_owned(),
                );
            }
        }
    }
}

/// Why `name` cannot be an extension method: not an HTTP token (RFC 9110's `tchar`s), or
/// a method a fixed field of the path item is for (`additionalOperations` may not repeat
/// them, and a route has each method once).
fn method_problem(name: &str) -> Option<String> {
    let tchar = |c: char| c.is_ascii_alphanumeric() || "!#$%&'*+-.^_`|~".contains(c);
    if name.is_empty() || !name.chars().all(tchar) {
        return Some(format!("{name:?} is not an HTTP method name (a token)"));
    }
    let fixed = [
        "GET", "PUT", "POST", "DELETE", "OPTIONS", "HEAD", "PATCH", "TRACE",
    ];
    if fixed.contains(&name.to_ascii_uppercase().as_str()) {
        return Some(format!(
            "{name} is a method the path item's field `{}` is for",
            name.to_ascii_lowercase()
        ));
    }
    None
}

#[cfg(test)]
mod tests {
    use super::method_problem;

    #[test]
    fn extension_methods_are_tokens_and_not_fixed_ones() {
        assert_eq!(method_problem("COPY"), None);
        assert_eq!(method_problem("QUERY"), None);
        assert!(method_problem("BAD METHOD").is_some());
        assert!(method_problem("").is_some());
        assert!(method_problem("Get").is_some());
    }
}
