//! Merging the documents of a folder API into one tree.

use std::collections::BTreeSet;

use serde_json::{Map, Value};

use super::{Document, Provenance};
use crate::diagnostics::{pointer_push, pointer_tokens, Diagnostics, Loss};

/// Merges the documents of one API (a folder in `specs/`) into one tree: the first document
/// is the base, and each later one adds its paths, operations and components.
///
/// Components: an identical duplicate folds into one. A component whose name is taken by a
/// different definition is renamed `{name}_{file stem}` (or joins an earlier renamed copy it
/// equals), and the refs of its own document are rewritten to the new name, so every ref keeps
/// pointing at the definition its author meant. Operations: the same method and path in two
/// documents fold when equal; otherwise the first document's is kept and the other reported.
///
/// The merged API is called `name` (the folder's): the first document's title and description
/// speak for that document only. The description lists the documents' titles instead.
///
/// Each document comes with its own provenance (what bundling copied in from other files,
/// where a Swagger 2.0 document's parts were in it): the merged tree keeps it, so a
/// diagnostic names the place the part was written.
pub fn merge_documents(
    documents: Vec<(Document, Provenance)>,
    name: &str,
    diags: &mut Diagnostics,
) -> Option<(Value, Provenance)> {
    let titles: Vec<&str> = documents
        .iter()
        .filter_map(|(doc, _)| doc.value.pointer("/info/title").and_then(Value::as_str))
        .collect();
    let description = format!(
        "One API made of {} documents: {}.",
        documents.len(),
        titles.join(", ")
    );
    let mut documents = documents.into_iter();
    let (first, mut provenance) = documents.next()?;
    let mut merged = first.value;
    if let Some(Value::Object(info)) = merged.get_mut("info") {
        info.insert("title".to_owned(), Value::String(name.to_owned()));
        info.insert("description".to_owned(), Value::String(description));
    }
    for (mut doc, own) in documents {
        rename_conflicting_components(&merged, &mut doc, diags);
        let Value::Object(object) = &doc.value else {
            diags.error(
                "merge",
                &doc.file,
                "",
                "the document is not a JSON object".to_owned(),
            );
            continue;
        };
        // Operations (and webhooks) merge one method of a path at a time, components one
        // name of a section at a time: all are the entries two levels below a top-level key.
        for top in ["paths", "webhooks", "components"] {
            let Some(Value::Object(groups)) = object.get(top) else {
                continue;
            };
            for (group, entries) in groups {
                let Value::Object(entries) = entries else {
                    continue;
                };
                let group_pointer = pointer_push(&format!("/{top}"), group);
                for (key, value) in entries {
                    merge_entry(
                        &mut merged,
                        &pointer_push(&group_pointer, key),
                        (value, &doc.value),
                        (&doc.file, &own),
                        &mut provenance,
                        diags,
                    );
                }
            }
        }
    }
    Some((merged, provenance))
}

fn merge_entry(
    merged: &mut Value,
    pointer: &str,
    (value, root): (&Value, &Value),
    (file, own): (&str, &Provenance),
    provenance: &mut Provenance,
    diags: &mut Diagnostics,
) {
    match merged.pointer(pointer) {
        Some(existing) if same_definition((existing, merged), (value, root)) => {}
        Some(_) => diags.lose(
            Loss::Definition,
            "merge",
            file,
            pointer,
            format!(
                "also defined differently in {}; the first definition is kept",
                provenance.file_of(pointer)
            ),
        ),
        None => {
            let tokens = pointer_tokens(pointer);
            let mut node = &mut *merged;
            for token in &tokens {
                if !node.is_object() {
                    *node = Value::Object(Map::new());
                }
                let Value::Object(object) = node else { return };
                node = object.entry(token.clone()).or_insert(Value::Null);
            }
            *node = value.clone();
            provenance.add(pointer.to_owned(), file.to_owned(), pointer.to_owned());
            // What the document's own provenance says of the parts below the entry.
            for (prefix, from_file, from) in &own.parts {
                let below = prefix.starts_with(pointer)
                    && matches!(prefix.as_bytes().get(pointer.len()), None | Some(b'/'));
                if below {
                    provenance.add(prefix.clone(), from_file.clone(), from.clone());
                }
            }
        }
    }
}

/// Renames, in `doc`, each component whose name `merged` already gives a different
/// definition, and rewrites `doc`'s refs to follow. Renaming one component changes the
/// content of those referring to it, which may make them conflict in turn: the renaming
/// repeats until nothing more conflicts. A renamed component is not renamed again, so each
/// round renames at least one more of the document's components and the loop ends.
fn rename_conflicting_components(merged: &Value, doc: &mut Document, diags: &mut Diagnostics) {
    let stem = file_stem(&doc.file);
    let mut renamed: BTreeSet<(String, String)> = BTreeSet::new();
    loop {
        let Some(Value::Object(components)) = doc.value.get("components") else {
            return;
        };
        let mut found = Vec::new();
        for (section, entries) in components {
            let Value::Object(entries) = entries else {
                continue;
            };
            for (name, value) in entries {
                if renamed.contains(&(section.clone(), name.clone())) {
                    continue;
                }
                let pointer = pointer_push(&pointer_push("/components", section), name);
                match merged.pointer(&pointer) {
                    Some(existing) if !same_definition((existing, merged), (value, &doc.value)) => {
                    }
                    _ => continue,
                }
                // An earlier document's renamed copy that is equal is reused.
                let mut new_name = format!("{name}_{stem}");
                let mut n = 2;
                loop {
                    let at = pointer_push(&pointer_push("/components", section), &new_name);
                    let clash = entries.contains_key(&new_name);
                    match merged.pointer(&at) {
                        Some(existing) if existing == value && !clash => break,
                        None if !clash => break,
                        _ => {
                            new_name = format!("{name}_{stem}{n}");
                            n += 1;
                        }
                    }
                }
                found.push((section.clone(), name.clone(), new_name, pointer));
            }
        }
        if found.is_empty() {
            return;
        }
        for (section, name, new_name, pointer) in found {
            diags.warn(
                "merge-rename",
                &doc.file,
                &pointer,
                format!("an earlier document defines {name:?} differently; this one is renamed {new_name:?} and this document's refs follow"),
            );
            let entries = doc
                .value
                .get_mut("components")
                .and_then(|c| c.get_mut(&section))
                .and_then(Value::as_object_mut);
            if let Some(entries) = entries {
                if let Some(value) = entries.remove(&name) {
                    entries.insert(new_name.clone(), value);
                }
            }
            let from = pointer_push(&pointer_push("#/components", &section), &name);
            let to = pointer_push(&pointer_push("#/components", &section), &new_name);
            rewrite_refs(&mut doc.value, &from, &to);
            renamed.insert((section, new_name));
        }
    }
}

fn rewrite_refs(value: &mut Value, from: &str, to: &str) {
    match value {
        Value::Object(object) => {
            for (key, child) in object.iter_mut() {
                if key == "$ref" && child.as_str() == Some(from) {
                    *child = Value::String(to.to_owned());
                } else {
                    rewrite_refs(child, from, to);
                }
            }
        }
        Value::Array(items) => items
            .iter_mut()
            .for_each(|item| rewrite_refs(item, from, to)),
        _ => {}
    }
}

/// `specs/rocketchat/user-management.yaml` → `user-management`.
fn file_stem(file: &str) -> &str {
    let name = file.rsplit(['/', '\\']).next().unwrap_or(file);
    name.split_once('.').map_or(name, |(stem, _)| stem)
}

/// Whether two definitions, each read in its own document, mean the same: equal once the
/// local refs inside them are replaced by what they point to (to a fixed depth, so cycles
/// end). Copies of one endpoint in two documents differ in the names of the components they
/// refer to, not in what those components are.
fn same_definition((a, a_root): (&Value, &Value), (b, b_root): (&Value, &Value)) -> bool {
    a == b || expand(a, a_root, 8) == expand(b, b_root, 8)
}

fn expand(value: &Value, root: &Value, depth: usize) -> Value {
    match value {
        Value::Object(object) => {
            let target = match object.get("$ref") {
                Some(Value::String(r)) if depth > 0 => r
                    .strip_prefix('#')
                    .and_then(|pointer| root.pointer(pointer)),
                _ => None,
            };
            match target {
                Some(target) => expand(target, root, depth - 1),
                None => Value::Object(
                    object
                        .iter()
                        .map(|(k, v)| (k.clone(), expand(v, root, depth)))
                        .collect(),
                ),
            }
        }
        Value::Array(items) => Value::Array(items.iter().map(|v| expand(v, root, depth)).collect()),
        other => other.clone(),
    }
}
