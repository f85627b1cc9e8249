//! OpenAPI Overlay 1.0: a document of actions, each naming places in a spec with a JSONPath
//! (RFC 9535) and updating or removing what is there. It fixes a vendor's spec without
//! editing it; a settings file names it, and it is applied to each document of the API
//! before normalize, so its paths are written against the spec as the vendor ships it.

use serde_json::{Map, Value};
use serde_json_path::JsonPath;

use crate::diagnostics::{pointer_push, Diagnostics};
use crate::load::depth::MAX_DEPTH;
use crate::load::{load_document, Document, Source};

const RULE: &str = "overlay";

/// One action of an overlay: where, and what to do there.
#[derive(Debug)]
struct Action {
    /// The action's JSON pointer in the overlay document, for messages.
    pointer: String,
    target: JsonPath,
    /// Merged into each target: objects key by key, recursively; an array target gets the
    /// value appended (or its items, when it is an array too); anything else is replaced.
    update: Option<Value>,
    remove: bool,
}

/// A read overlay, ready to apply.
#[derive(Debug)]
pub struct Overlay {
    file: String,
    actions: Vec<Action>,
    /// How many targets each action met across the documents it was applied to.
    hits: Vec<usize>,
}

impl Overlay {
    /// Reads an overlay document (YAML or JSON). Problems are errors in `diags`.
    pub fn read(source: &Source, diags: &mut Diagnostics) -> Option<Overlay> {
        let Document { file, value } = load_document(source, diags)?;
        let mut error = |pointer: &str, message: String| diags.error(RULE, &file, pointer, message);
        let version = value.get("overlay").and_then(Value::as_str);
        if !version.is_some_and(|v| v.starts_with("1.")) {
            error(
                "/overlay",
                format!(
                    "expected an Overlay 1.x document (`overlay: 1.0.0`), found {}",
                    version.map_or_else(|| "no version".to_owned(), |v| format!("{v:?}"))
                ),
            );
            return None;
        }
        let Some(items) = value.get("actions").and_then(Value::as_array) else {
            error("/actions", "expected a list of actions".to_owned());
            return None;
        };
        let mut actions = Vec::new();
        let mut broken = false;
        for (i, action) in items.iter().enumerate() {
            let pointer = pointer_push("/actions", &i.to_string());
            let target = action.get("target").and_then(Value::as_str);
            let Some(target) = target else {
                error(&pointer, "an action needs a `target`".to_owned());
                broken = true;
                continue;
            };
            // The JSONPath parser recurses once per bracket or parenthesis.
            if nesting(target) > MAX_DEPTH {
                error(
                    &pointer_push(&pointer, "target"),
                    format!("not a JSONPath this reads: nested deeper than {MAX_DEPTH} levels, the limit"),
                );
                broken = true;
                continue;
            }
            let target = match JsonPath::parse(target) {
                Ok(path) => path,
                Err(e) => {
                    error(
                        &pointer_push(&pointer, "target"),
                        format!("not a JSONPath: {e}"),
                    );
                    broken = true;
                    continue;
                }
            };
            let remove = action.get("remove").and_then(Value::as_bool) == Some(true);
            let update = action.get("update").cloned();
            if update.is_none() && !remove {
                error(
                    &pointer,
                    "an action needs `update` or `remove: true`".to_owned(),
                );
                broken = true;
                continue;
            }
            actions.push(Action {
                pointer,
                target,
                update,
                remove,
            });
        }
        let hits = vec![0; actions.len()];
        (!broken).then_some(Overlay {
            file,
            actions,
            hits,
        })
    }

    /// Applies every action, in order, to one document.
    pub fn apply(&mut self, document: &mut Value) {
        for (action, hits) in self.actions.iter().zip(&mut self.hits) {
            let pointers: Vec<String> = action
                .target
                .query_located(document)
                .locations()
                .map(|path| path.to_json_pointer())
                .collect();
            *hits += pointers.len();
            if action.remove {
                // Matches come in document order: the later ones go first, so the indices of
                // earlier array items stay right.
                for pointer in pointers.iter().rev() {
                    remove_at(document, pointer);
                }
            } else if let Some(update) = &action.update {
                for pointer in &pointers {
                    if let Some(target) = document.pointer_mut(pointer) {
                        merge(target, update);
                    }
                }
            }
        }
    }

    /// Warns about each action that met no target in any document: its JSONPath is likely
    /// written against another version of the spec.
    pub fn report_unused(&self, diags: &mut Diagnostics) {
        for (action, hits) in self.actions.iter().zip(&self.hits) {
            if *hits == 0 {
                diags.warn(
                    RULE,
                    &self.file,
                    &pointer_push(&action.pointer, "target"),
                    format!("{} matches nothing in the spec", action.target),
                );
            }
        }
    }
}

/// The deepest nesting of brackets and parentheses in a JSONPath, quoted names aside.
fn nesting(path: &str) -> usize {
    let (mut depth, mut deepest, mut quote, mut escaped) = (0usize, 0, None, false);
    for c in path.chars() {
        match (quote, c) {
            (Some(_), _) if escaped => escaped = false,
            (Some(_), '\\') => escaped = true,
            (Some(q), c) if c == q => quote = None,
            (Some(_), _) => {}
            (None, '\'' | '"') => quote = Some(c),
            (None, '[' | '(') => {
                depth += 1;
                deepest = deepest.max(depth);
            }
            (None, ']' | ')') => depth = depth.saturating_sub(1),
            (None, _) => {}
        }
    }
    deepest
}

fn remove_at(document: &mut Value, pointer: &str) {
    let Some((parent, last)) = pointer.rsplit_once('/') else {
        return;
    };
    let key = last.replace("~1", "/").replace("~0", "~");
    match document.pointer_mut(parent) {
        Some(Value::Object(object)) => {
            object.shift_remove(&key);
        }
        Some(Value::Array(items)) => {
            if let Ok(i) = key.parse::<usize>() {
                if i < items.len() {
                    items.remove(i);
                }
            }
        }
        _ => {}
    }
}

fn merge(target: &mut Value, update: &Value) {
    match (target, update) {
        (Value::Object(target), Value::Object(update)) => merge_objects(target, update),
        (Value::Array(items), Value::Array(more)) => items.extend(more.iter().cloned()),
        (Value::Array(items), value) => items.push(value.clone()),
        (target, value) => *target = value.clone(),
    }
}

fn merge_objects(target: &mut Map<String, Value>, update: &Map<String, Value>) {
    for (key, value) in update {
        match target.get_mut(key) {
            Some(existing) if existing.is_object() && value.is_object() => merge(existing, value),
            _ => {
                target.insert(key.clone(), value.clone());
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use serde_json::json;

    use super::*;

    fn overlay(text: &str) -> (Option<Overlay>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let overlay = Overlay::read(
            &Source {
                path: "fix.yaml".to_owned(),
                text: text.to_owned(),
            },
            &mut diags,
        );
        let messages = diags.into_vec().iter().map(ToString::to_string).collect();
        (overlay, messages)
    }

    #[test]
    fn targets_nested_too_deep_are_refused_not_parsed() {
        let deep = format!("$[?{}@.a{}]", "(".repeat(20_000), ")".repeat(20_000));
        let text = format!(
            "overlay: 1.0.0\ninfo: {{title: o, version: '1'}}\nactions:\n  - target: '{deep}'\n    remove: true\n"
        );
        let (read, messages) = overlay(&text);
        assert!(read.is_none());
        assert_eq!(
            messages,
            [
                "error[overlay]: fix.yaml#/actions/0/target: not a JSONPath this reads: nested \
              deeper than 128 levels, the limit"
            ]
        );
        // As deep as the limit allows: read (on a test thread's stack, in a debug build).
        let limit = format!("$[?{}@.a{}]", "(".repeat(127), ")".repeat(127));
        let text = text.replace(&deep, &limit);
        let (read, messages) = overlay(&text);
        assert!(read.is_some(), "{messages:?}");
        // Brackets inside quoted names do not count.
        let quoted = format!("$['{}']", "(".repeat(200));
        assert_eq!(nesting(&quoted), 1);
        assert_eq!(nesting("$.a[?(@.b[0] == 1)]"), 3);
    }

    #[test]
    fn updates_merge_and_removes_remove() {
        let (overlay, messages) = overlay(
            r#"
overlay: 1.0.0
info: { title: fix, version: "1" }
actions:
  - target: $.info
    update: { description: fixed, contact: { name: me } }
  - target: $.paths.*.get.tags
    update: Pets
  - target: $.paths['/b']
    remove: true
  - target: $.paths.*.get.parameters[?@.in == 'cookie']
    remove: true
  - target: $.nothing
    update: {}
"#,
        );
        assert!(messages.is_empty(), "{messages:?}");
        let mut overlay = overlay.unwrap();
        let mut spec = json!({
            "info": { "title": "t", "contact": { "url": "u" } },
            "paths": {
                "/a": { "get": { "tags": ["A"], "parameters": [
                    { "in": "cookie", "name": "c1" }, { "in": "query", "name": "q" },
                    { "in": "cookie", "name": "c2" }
                ] } },
                "/b": { "get": {} }
            }
        });
        overlay.apply(&mut spec);
        assert_eq!(
            spec,
            json!({
                "info": { "title": "t", "contact": { "url": "u", "name": "me" }, "description": "fixed" },
                "paths": {
                    "/a": { "get": { "tags": ["A", "Pets"], "parameters": [
                        { "in": "query", "name": "q" }
                    ] } }
                }
            })
        );
        let mut diags = Diagnostics::default();
        overlay.report_unused(&mut diags);
        let unused: Vec<String> = diags.into_vec().iter().map(ToString::to_string).collect();
        assert_eq!(
            unused,
            ["warning[overlay]: fix.yaml#/actions/4/target: $.nothing matches nothing in the spec"]
        );
    }

    #[test]
    fn a_broken_overlay_is_an_error_in_its_file() {
        let (overlay, messages) =
            overlay("overlay: 1.0.0\nactions:\n  - target: $.paths[\n    remove: true\n");
        assert!(overlay.is_none());
        assert_eq!(messages.len(), 1);
        assert!(
            messages[0].starts_with("error[overlay]: fix.yaml#/actions/0/target: not a JSONPath"),
            "{messages:?}"
        );
    }
}
