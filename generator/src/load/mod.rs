//! Reading spec documents (JSON or YAML) into one raw JSON tree per API.

mod bundle;
pub mod depth;
mod merge;
pub mod positions;
mod yaml_node;

use std::collections::BTreeMap;

use serde_json::{Map, Number, Value};

pub(crate) use bundle::{join, referenced_files};
pub use merge::merge_documents;

use crate::diagnostics::{pointer_push, Diagnostics};

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
pub fn load_document(source: &Source, diags: &mut Diagnostics) -> Option<Document> {
    let parsed = if is_json(source) {
        serde_json::from_str::<Value>(&source.text).map_err(|e| {
            let message = reason(&e.to_string());
            (
                format!("not valid JSON: {message}"),
                Some((e.line(), e.column())),
            )
        })
    } else if let Some(at) = depth::yaml_flow_too_deep(&source.text) {
        Err((format!("not valid YAML: {}", too_deep()), Some(at)))
    } else {
        serde_yaml::from_str::<yaml_node::YamlNode>(&source.text)
            .map_err(|e| {
                let message = format!("not valid YAML: {}", reason(&e.to_string()));
                (message, e.location().map(|at| (at.line(), at.column())))
            })
            .map(|yaml| yaml_to_json(yaml.0, "", &source.path, diags))
    };
    match parsed {
        Ok(value) => Some(Document {
            file: source.path.clone(),
            value,
        }),
        Err((message, position)) => {
            diags.error_at("load", &source.path, position, message);
            None
        }
    }
}

/// Separates the roots of an API (documents with an `openapi` or `swagger` version) from
/// fragments (documents only reachable by `$ref`), and bundles into each root what its
/// refs reach, with the file each bundled part came from. When no document is a root, all
/// are returned as they are, so that the version check names the problem.
pub fn bundle_roots(
    documents: Vec<Document>,
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
        documents
            .iter()
            .map(|doc| (doc.file.clone(), doc.value.clone()))
            .collect()
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

/// YAML allows what JSON does not: keys that are numbers or booleans (an unquoted `200:`
/// status code is an integer), tags, and non-finite floats. Keys become their text; tags are
/// dropped with their value kept.
fn yaml_to_json(
    yaml: serde_yaml::Value,
    pointer: &str,
    file: &str,
    diags: &mut Diagnostics,
) -> Value {
    use serde_yaml::Value as Y;
    match yaml {
        Y::Null => Value::Null,
        Y::Bool(b) => Value::Bool(b),
        Y::Number(n) => {
            if let Some(i) = n.as_i64() {
                Value::from(i)
            } else if let Some(u) = n.as_u64() {
                Value::from(u)
            } else {
                let f = n.as_f64().unwrap_or(f64::NAN);
                Number::from_f64(f).map_or_else(
                    || {
                        diags.warn(
                            "yaml-number",
                            file,
                            pointer,
                            format!("the number {n} has no JSON form (read as null)"),
                        );
                        Value::Null
                    },
                    Value::Number,
                )
            }
        }
        Y::String(s) => Value::String(s),
        Y::Sequence(items) => Value::Array(
            items
                .into_iter()
                .enumerate()
                .map(|(i, item)| {
                    yaml_to_json(item, &pointer_push(pointer, &i.to_string()), file, diags)
                })
                .collect(),
        ),
        Y::Mapping(entries) => {
            let mut object = Map::new();
            for (key, value) in entries {
                let key = match key {
                    Y::String(s) => s,
                    Y::Number(n) => n.to_string(),
                    Y::Bool(b) => b.to_string(),
                    Y::Null => "null".to_owned(),
                    other => serde_yaml::to_string(&other)
                        .unwrap_or_default()
                        .trim()
                        .to_owned(),
                };
                let child = pointer_push(pointer, &key);
                object.insert(key, yaml_to_json(value, &child, file, diags));
            }
            Value::Object(object)
        }
        Y::Tagged(tagged) => yaml_to_json(tagged.value, pointer, file, diags),
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
