//! Reading spec documents (JSON or YAML) into one raw JSON tree per API.

mod bundle;
pub mod depth;
mod merge;
pub mod positions;
mod tree;

use std::collections::BTreeMap;

use serde_json::Value;

pub(crate) use bundle::{join, referenced_files};
pub use merge::merge_documents;

use crate::diagnostics::Diagnostics;

/// One spec document as text, named as the user should see it in messages.
#[derive(Debug, Clone)]
pub struct Source {
    pub path: String,
    pub text: String,
}

/// A parsed document: its raw tree and the file it came from.
#[derive(Debug, Clone)]
pub struct Document {
    pub file: String,
    pub value: Value,
}

/// Whether a source is read as JSON: its name ends in `.json`, or it has no YAML name and
/// its text starts with `{`.
pub fn is_json(source: &Source) -> bool {
    source.path.ends_with(".json")
        || (!source.path.ends_with(".yaml")
            && !source.path.ends_with(".yml")
            && source.text.trim_start().starts_with('{'))
}

/// Parses one source as JSON when [`is_json`], as YAML otherwise. A syntax error becomes a
/// diagnostic at its line and column.
///
/// A byte order mark before the text (Azure DevOps' documents have one) is not part of it:
/// RFC 8259 lets a reader ignore it, and YAML 1.2 says a stream may begin with one.
pub fn load_document(source: &Source, diags: &mut Diagnostics) -> Option<Document> {
    let text = source.text.strip_prefix('\u{feff}').unwrap_or(&source.text);
    let parsed = if is_json(source) {
        let mut reader = serde_json::Deserializer::from_str(text);
        tree::read(&mut reader)
            .and_then(|read| reader.end().map(|()| read))
            .map_err(|e| {
                let message = format!("not valid JSON: {}", reason(&e.to_string()));
                (message, Some((e.line(), e.column())))
            })
    } else if let Some(at) = depth::yaml_flow_too_deep(text) {
        Err((format!("not valid YAML: {}", too_deep()), Some(at)))
    } else {
        tree::read(serde_yaml::Deserializer::from_str(text)).map_err(|e| {
            let message = format!("not valid YAML: {}", reason(&e.to_string()));
            (message, e.location().map(|at| (at.line(), at.column())))
        })
    };
    match parsed {
        Ok((value, notes)) => {
            for pointer in notes.duplicates {
                diags.warn(
                    "duplicate-key",
                    &source.path,
                    &pointer,
                    "this key is given again in its mapping; its last value is kept, the \
                     earlier one dropped"
                        .to_owned(),
                );
            }
            for (pointer, number) in notes.non_finite {
                diags.warn(
                    "yaml-number",
                    &source.path,
                    &pointer,
                    format!("the number {number} has no JSON form (read as null)"),
                );
            }
            Some(Document {
                file: source.path.clone(),
                value,
            })
        }
        Err((message, position)) => {
            diags.error_at("load", &source.path, position, message);
            None
        }
    }
}

/// `swagger: 2.0` or `openapi: 3.0` unquoted in YAML is a number, where the version is a
/// string: read as its text (`2.0`, `3.0`), so the document is read as the version it says.
pub fn version_as_text(doc: &mut Document, diags: &mut Diagnostics) {
    for field in ["swagger", "openapi"] {
        if let Some(version) = doc.value.get_mut(field) {
            if let Value::Number(n) = version {
                let text = n.to_string();
                diags.warn(
                    "version-number",
                    &doc.file,
                    &format!("/{field}"),
                    format!("the version is the number {text}, not a string (read as {text:?})"),
                );
                *version = Value::String(text);
            }
        }
    }
}

/// Separates the roots of an API (documents with an `openapi` or `swagger` version) from
/// fragments (documents only reachable by `$ref`), and bundles into each root what its
/// refs reach, with the file each bundled part came from. When no document is a root, all
/// are returned as they are, so that the version check names the problem.
///
/// `as_written` holds, by file, the documents that were rewritten as they were loaded (a
/// Swagger 2.0 document read as 3.0): a ref from another file names a place in the file as
/// written (`common.json#/definitions/Error`), so it is looked up there.
pub fn bundle_roots(
    documents: Vec<Document>,
    as_written: BTreeMap<String, Value>,
    diags: &mut Diagnostics,
) -> Vec<(Document, Provenance)> {
    let is_root =
        |doc: &Document| doc.value.get("openapi").is_some() || doc.value.get("swagger").is_some();
    let roots = documents.iter().any(is_root);
    let bundled: Vec<bool> = documents
        .iter()
        .map(|doc| is_root(doc) && bundle::needs_bundling(&doc.value))
        .collect();
    // A root that refers to no other file (most specs) is its own bundle: the documents are
    // copied for looking references up only when one does.
    let files: BTreeMap<String, Value> = if bundled.contains(&true) {
        let mut files: BTreeMap<String, Value> = documents
            .iter()
            .filter(|doc| !as_written.contains_key(&doc.file))
            .map(|doc| (doc.file.clone(), doc.value.clone()))
            .collect();
        files.extend(as_written);
        files
    } else {
        BTreeMap::new()
    };
    documents
        .into_iter()
        .zip(bundled)
        .filter(|(doc, _)| !roots || is_root(doc))
        .map(|(doc, bundled)| {
            if bundled {
                let file = doc.file.clone();
                let (value, provenance) = bundle::bundle(doc, &files, diags);
                (Document { value, file }, provenance)
            } else {
                let provenance = Provenance::single(&doc.file);
                (doc, provenance)
            }
        })
        .collect()
}

/// Which file each part of a merged or bundled tree came from, so later stages can name the
/// file of a JSON pointer, and the pointer within that file.
#[derive(Debug, Clone, Default)]
pub struct Provenance {
    /// The file of the first document: the base of the merged tree.
    base: String,
    /// JSON pointer prefix in the tree → the file of that part, and the part's own pointer
    /// in its file.
    parts: Vec<(String, String, String)>,
}

impl Provenance {
    pub fn single(file: &str) -> Self {
        Provenance {
            base: file.to_owned(),
            parts: Vec::new(),
        }
    }

    /// Records that the part of the tree at `pointer` came from `source` in `file`.
    pub(crate) fn add(&mut self, pointer: String, file: String, source: String) {
        self.parts.push((pointer, file, source));
    }

    pub fn file_of(&self, pointer: &str) -> &str {
        self.locate(pointer).0
    }

    /// The file a pointer of the tree lies in, and the pointer within that file.
    pub fn locate(&self, pointer: &str) -> (&str, String) {
        self.parts
            .iter()
            .filter(|(prefix, _, _)| {
                pointer.starts_with(prefix.as_str())
                    && matches!(pointer.as_bytes().get(prefix.len()), None | Some(b'/'))
            })
            .max_by_key(|(prefix, _, _)| prefix.len())
            .map_or(
                (self.base.as_str(), pointer.to_owned()),
                |(prefix, file, source)| {
                    (
                        file.as_str(),
                        format!("{source}{}", &pointer[prefix.len()..]),
                    )
                },
            )
    }
}

fn too_deep() -> String {
    format!("nested deeper than {} levels, the limit", depth::MAX_DEPTH)
}

/// The reason in a reader's error message. serde's messages end in " at line X column Y";
/// we print the position ourselves. Both readers call their depth limit a recursion limit,
/// which is theirs, not the document's, to speak of.
fn reason(message: &str) -> String {
    let message = message
        .find(" at line ")
        .map_or(message, |at| &message[..at]);
    if message == "recursion limit exceeded" {
        too_deep()
    } else {
        message.to_owned()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load(path: &str, text: &str) -> (Option<Document>, Vec<String>) {
        let mut diags = Diagnostics::default();
        let doc = load_document(
            &Source {
                path: path.into(),
                text: text.into(),
            },
            &mut diags,
        );
        (
            doc,
            diags.into_vec().iter().map(|d| d.to_string()).collect(),
        )
    }

    #[test]
    fn yaml_integer_keys_become_strings() {
        let (doc, diags) = load("a.yaml", "responses:\n  200:\n    description: ok\n");
        assert!(diags.is_empty());
        assert_eq!(doc.unwrap().value["responses"]["200"]["description"], "ok");
    }

    #[test]
    fn syntax_errors_name_file_line_and_column() {
        let (doc, diags) = load(
            "specs/broken.json",
            "{\n  \"openapi\": \"3.0.0\",\n  oops\n}",
        );
        assert!(doc.is_none());
        assert_eq!(diags.len(), 1);
        assert!(
            diags[0].starts_with(
                "error[load]: specs/broken.json:3:3#: not valid JSON: key must be a string"
            ),
            "{}",
            diags[0]
        );
    }
}
