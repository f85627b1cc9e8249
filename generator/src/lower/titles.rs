//! Inline schemas named by their `title`.
//!
//! An inline schema is named from where it sits (`PingCreated`, `{Parent}{Property}`); one
//! with a `title` (`PingResult`) is named by it instead, as its author named it, where the
//! name is unambiguous: no other schema of the document has a title giving that name, and no
//! type has it already (a component's, or the same schema lowered at an earlier place). Titles
//! are counted over the whole document before anything is named, so which schema a title
//! names never depends on the order schemas are lowered in.

use std::collections::{HashMap, HashSet};

use indexmap::IndexMap;
use openapiv3::{OpenAPI, PathItem};
use serde::Serialize;
use serde_json::{json, Value};

use super::pascal;
use crate::normalize::walk::each_schema_object;

/// The names (PascalCase) that exactly one inline schema's title gives, in the document and
/// its webhooks. A component's own title is left out: its key names it.
///
/// The walk reads the document as a JSON tree, one part at a time (each path item, each
/// component, the rest of the root), each in a tree holding only it at its place, so that
/// its pointers are the whole document's: serialized whole, the tree was as large as half
/// the document and lower's peak (43 MB beside GitHub's 13 MB description). The walk
/// descends part by part and skips data keys (`examples`, extensions), so the counts are
/// the whole tree's.
pub(super) fn unique_titles(
    spec: &mut OpenAPI,
    webhooks: &[(String, PathItem)],
) -> HashSet<String> {
    let mut counts: HashMap<String, usize> = HashMap::new();
    let mut count = |mut tree: Value| {
        each_schema_object(&mut tree, &mut |schema, pointer| {
            let component = pointer
                .strip_prefix("/components/schemas/")
                .is_some_and(|rest| !rest.contains('/'));
            if let (false, Some(Value::String(title))) = (component, schema.get("title")) {
                let name = pascal(title, "");
                if !name.is_empty() {
                    *counts.entry(name).or_default() += 1;
                }
            }
        });
    };
    let paths = std::mem::take(&mut spec.paths);
    let components = spec.components.take();
    count(to_tree(&*spec));
    spec.components = components;
    spec.paths = paths;
    for (key, item) in &spec.paths.paths {
        count(json!({ "paths": { key.as_str(): to_tree(item) } }));
    }
    if let Some(c) = &spec.components {
        // `examples` is a data key (the walk skips it), and so are the extensions.
        each_component(&mut count, "schemas", &c.schemas);
        each_component(&mut count, "responses", &c.responses);
        each_component(&mut count, "parameters", &c.parameters);
        each_component(&mut count, "requestBodies", &c.request_bodies);
        each_component(&mut count, "headers", &c.headers);
        each_component(&mut count, "securitySchemes", &c.security_schemes);
        each_component(&mut count, "links", &c.links);
        each_component(&mut count, "callbacks", &c.callbacks);
    }
    for (_, item) in webhooks {
        // A path item's schemas sit under its operations, where the walk finds them.
        count(json!({ "webhook": to_tree(item) }));
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n == 1)
        .map(|(name, _)| name)
        .collect()
}

/// Each entry of the components' `section`, counted at its place.
fn each_component<T: Serialize>(
    count: &mut impl FnMut(Value),
    section: &str,
    entries: &IndexMap<String, T>,
) {
    for (name, entry) in entries {
        count(json!({ "components": { section: { name.as_str(): to_tree(entry) } } }));
    }
}

/// Serializing openapiv3's types cannot fail: they are maps, lists and strings.
fn to_tree(part: &impl Serialize) -> Value {
    serde_json::to_value(part).unwrap_or_default()
}
