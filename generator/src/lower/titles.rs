//! Inline schemas named by their `title`.
//!
//! An inline schema is named from where it sits (`PingCreated`, `{Parent}{Property}`); one
//! with a `title` (`PingResult`) is named by it instead, as its author named it, where the
//! name is unambiguous: no other schema of the document has a title giving that name, and no
//! type has it already (a component's, or the same schema lowered at an earlier place). Titles
//! are counted over the whole document before anything is named, so which schema a title
//! names never depends on the order schemas are lowered in.

use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, PathItem};
use serde_json::Value;

use super::pascal;
use crate::normalize::walk::each_schema_object;

/// The names (PascalCase) that exactly one inline schema's title gives, in the document and
/// its webhooks. A component's own title is left out: its key names it.
pub(super) fn unique_titles(spec: &OpenAPI, webhooks: &[(String, PathItem)]) -> HashSet<String> {
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
    // Serializing openapiv3's types cannot fail: they are maps, lists and strings.
    count(serde_json::to_value(spec).unwrap_or_default());
    for (_, item) in webhooks {
        // A path item's schemas sit under its operations, where the walk finds them.
        count(serde_json::json!({ "webhook": serde_json::to_value(item).unwrap_or_default() }));
    }
    counts
        .into_iter()
        .filter(|(_, n)| *n == 1)
        .map(|(name, _)| name)
        .collect()
}
