//! Bundling: a root document and the files its `$ref`s reach, made one tree.
//!
//! A ref to another file (`../shared/parameters.yml#/per_page`, `models/droplet.yml`) is
//! resolved against the file holding it. What it points to is copied into the root: into
//! `components/<section>` when the place of the ref says which section (a schema, a parameter,
//! a response ...), under a name from the target (the pointer's last token, or the file's
//! stem), made unique by numbering in the order refs are met; everywhere else (path items,
//! operations, descriptions) the target replaces the ref in place. A target is copied once, so
//! cycles between files end at the components entry already made; a cycle of in-place refs is
//! reported. The same applies to a local ref the parser cannot take where it stands: one
//! into any part of the document but a component of the section its place calls for
//! (`#/components/schemas/Volume/properties/size`, `#/paths/~1x/get/responses/200`, written
//! percent-encoded or not), and one where OpenAPI allows no ref (a path item, a callback).

use std::collections::BTreeMap;

use percent_encoding::percent_decode_str;
use serde_json::{Map, Value};

use super::depth::MAX_DEPTH;
use super::{Document, Provenance};
use crate::diagnostics::{pointer_of, pointer_push, Diagnostics};

/// Whether the document refers to anything outside itself, or holds a local ref the parser
/// cannot take where it stands: one not naming a component of the section its place calls
/// for (a property of a schema, another operation's response, a percent-encoded pointer),
/// or one where a ref is not allowed (a path item, a callback).
pub fn needs_bundling(value: &Value) -> bool {
    fn walk(value: &Value, site: &mut Vec<String>) -> bool {
        match value {
            Value::Object(object) => {
                if let Some(Value::String(r)) = object.get("$ref") {
                    return match r.strip_prefix('#') {
                        Some(pointer) => section_of(site)
                            .is_none_or(|section| !names_component(pointer, section)),
                        None => true,
                    };
                }
                object.iter().any(|(k, v)| {
                    if is_data(k, site) {
                        return false;
                    }
                    site.push(k.clone());
                    let found = walk(v, site);
                    site.pop();
                    found
                })
            }
            Value::Array(items) => items.iter().enumerate().any(|(i, v)| {
                site.push(i.to_string());
                let found = walk(v, site);
                site.pop();
                found
            }),
            _ => false,
        }
    }
    walk(value, &mut Vec::new())
}

/// Whether `pointer` (a ref's fragment, as written) is `/components/<section>/<name>`.
fn names_component(pointer: &str, section: &str) -> bool {
    pointer
        .strip_prefix("/components/")
        .and_then(|p| p.strip_prefix(section))
        .and_then(|p| p.strip_prefix('/'))
        .is_some_and(|name| !name.contains(['/', '%']))
}

/// Data (examples, defaults) may hold `$ref` keys of its own, which are not refs; a map key
/// that only looks like a data keyword (a property called `example`, the `default`
/// response) is not data.
fn is_data(key: &str, site: &[String]) -> bool {
    let in_map = site
        .last()
        .is_some_and(|k| matches!(k.as_str(), "properties" | "patternProperties" | "responses"));
    let in_example = site.len() >= 2 && site[site.len() - 2] == "examples";
    let data =
        matches!(key, "example" | "default" | "enum" | "const") || (in_example && key == "value");
    data && !in_map
}

/// The root with everything its refs reach from `files` (by path, as the sources name them),
/// and which file each part copied in came from.
pub fn bundle(
    root: Document,
    files: &BTreeMap<String, Value>,
    diags: &mut Diagnostics,
) -> (Value, Provenance) {
    let mut bundler = Bundler {
        root_file: root.file.clone(),
        files,
        placed: BTreeMap::new(),
        taken: BTreeMap::new(),
        added: BTreeMap::new(),
        inlining: Vec::new(),
        // The documents' own size, times a factor no spec reusing fragments nears; refs
        // whose copies hold refs multiply (two refs a level, thirty levels: a billion).
        copy_budget: COPY_FACTOR * files.values().map(count_values).sum::<usize>(),
        copies_refused: false,
        provenance: Provenance::single(&root.file),
        diags,
    };
    let mut value = root.value;
    if let Some(Value::Object(components)) = value.get("components") {
        for (section, entries) in components {
            if let Value::Object(entries) = entries {
                let names = entries.keys().cloned().collect();
                bundler.taken.insert(section.clone(), names);
            }
        }
    }
    let file = root.file;
    bundler.walk(&mut value, &file, &mut Vec::new());
    let added = std::mem::take(&mut bundler.added);
    if !added.is_empty() {
        let root = value.as_object_mut();
        let components = root.map(|r| {
            r.entry("components")
                .or_insert_with(|| Value::Object(Map::new()))
        });
        if let Some(Value::Object(components)) = components {
            for (section, entries) in added {
                let slot = components
                    .entry(section)
                    .or_insert_with(|| Value::Object(Map::new()));
                if let Value::Object(slot) = slot {
                    slot.extend(entries);
                }
            }
        }
    }
    (value, bundler.provenance)
}

struct Bundler<'f, 'd> {
    root_file: String,
    files: &'f BTreeMap<String, Value>,
    /// (file, pointer) → the local ref it was given.
    placed: BTreeMap<(String, String), String>,
    /// Component names in use, by section.
    taken: BTreeMap<String, std::collections::BTreeSet<String>>,
    /// Components copied in, by section.
    added: BTreeMap<String, Map<String, Value>>,
    /// Targets being copied in place, to find cycles.
    inlining: Vec<(String, String)>,
    /// How many more JSON values copies in place may add to the tree.
    copy_budget: usize,
    /// Whether a copy was refused for the budget (and reported).
    copies_refused: bool,
    provenance: Provenance,
    diags: &'d mut Diagnostics,
}

impl Bundler<'_, '_> {
    /// Rewrites the refs in `value`, which comes from `file`; `site` is where `value` sits
    /// in the bundled tree.
    fn walk(&mut self, value: &mut Value, file: &str, site: &mut Vec<String>) {
        // Only copies in place nest a tree deeper than its document did.
        if site.len() > MAX_DEPTH {
            self.error(
                site,
                format!("refs copied in place nest the document deeper than {MAX_DEPTH} levels, the limit"),
            );
            return;
        }
        match value {
            Value::Object(object) => {
                if let Some(Value::String(reference)) = object.get("$ref") {
                    let reference = reference.clone();
                    if let Some(replacement) = self.follow(&reference, file, site) {
                        *value = replacement;
                    }
                    return;
                }
                for (key, child) in object.iter_mut() {
                    if is_data(key, site) {
                        continue;
                    }
                    site.push(key.clone());
                    self.walk(child, file, site);
                    site.pop();
                }
            }
            Value::Array(items) => {
                for (i, item) in items.iter_mut().enumerate() {
                    site.push(i.to_string());
                    self.walk(item, file, site);
                    site.pop();
                }
            }
            _ => {}
        }
    }

    /// What replaces the ref object: a local ref, the target itself, or nothing (leave it).
    fn follow(&mut self, reference: &str, file: &str, site: &mut Vec<String>) -> Option<Value> {
        let (path, written) = reference.split_once('#').unwrap_or((reference, ""));
        // A ref is a URI: its fragment may be percent-encoded (`~1users~1%7Bid%7D`).
        let decoded = percent_decode_str(written).decode_utf8_lossy();
        let pointer = decoded.as_ref();
        let path = &*percent_decode_str(path).decode_utf8_lossy();
        if path.contains("://") {
            self.warn(
                site,
                format!("$ref {reference:?} is a URL, which is not fetched"),
            );
            return None;
        }
        let target_file = if path.is_empty() {
            file.to_owned()
        } else {
            join(file, path)
        };
        let section = section_of(site);
        let local = target_file == self.root_file;
        if let Some(section) = section.filter(|s| local && names_component(pointer, s)) {
            // A ref to a component of the root stays a ref; from another file, or written
            // percent-encoded, it is made local as the parser reads it.
            let rewrite = file != self.root_file || !names_component(written, section);
            return rewrite.then(|| ref_object(&format!("#{pointer}")));
        }
        let key = (target_file.clone(), pointer.to_owned());
        if let Some(local_ref) = self.placed.get(&key) {
            return Some(ref_object(local_ref));
        }
        let Some(document) = self.files.get(&target_file) else {
            self.warn(
                site,
                format!(
                    "$ref {reference:?} names {target_file:?}, which is not read (it is missing, \
                     outside the root document's folder, or not a spec document)"
                ),
            );
            return None;
        };
        let Some(target) = document.pointer(pointer).cloned() else {
            self.warn(
                site,
                format!(
                    "$ref {reference:?} points to nothing ({target_file:?} has no {pointer:?})"
                ),
            );
            return None;
        };
        let Some(section) = section else {
            if self.inlining.contains(&key) {
                self.warn(
                    site,
                    format!("$ref {reference:?} refers to itself in a cycle"),
                );
                return None;
            }
            let size = count_values(&target);
            if self.copies_refused || size > self.copy_budget {
                // Reported once: every ref met after this one is left as it is too.
                if !self.copies_refused {
                    self.copies_refused = true;
                    self.error(
                        site,
                        format!(
                            "$ref {reference:?} and the refs after it are not copied: the copies \
                             refs make in place would hold more than {COPY_FACTOR} times the \
                             values of the documents themselves"
                        ),
                    );
                }
                return None;
            }
            self.copy_budget -= size;
            self.inlining.push(key);
            let pointer_in_file = pointer.to_owned();
            let pointer = pointer_of(site);
            self.provenance
                .add(pointer, target_file.clone(), pointer_in_file.clone());
            let mut target = target;
            self.walk(&mut target, &target_file, site);
            self.inlining.pop();
            return Some(target);
        };
        let name = self.claim(section, &target_file, pointer);
        let local_ref = format!(
            "#{}",
            pointer_push(&pointer_push("/components", section), &name)
        );
        self.placed.insert(key, local_ref.clone());
        self.provenance.add(
            local_ref[1..].to_owned(),
            target_file.clone(),
            pointer.to_owned(),
        );
        let mut target = target;
        let mut component_site = vec!["components".to_owned(), section.to_owned(), name.clone()];
        self.walk(&mut target, &target_file, &mut component_site);
        self.added
            .entry(section.to_owned())
            .or_default()
            .insert(name, target);
        Some(ref_object(&local_ref))
    }

    fn claim(&mut self, section: &str, file: &str, pointer: &str) -> String {
        let base = pointer
            .rsplit('/')
            .next()
            .filter(|t| !t.is_empty())
            .map(|t| t.replace("~1", "/").replace("~0", "~"))
            .unwrap_or_else(|| {
                let name = file.rsplit('/').next().unwrap_or(file);
                name.split('.').next().unwrap_or(name).to_owned()
            });
        let taken = self.taken.entry(section.to_owned()).or_default();
        let mut name = base.clone();
        let mut n = 2;
        while !taken.insert(name.clone()) {
            name = format!("{base}_{n}");
            n += 1;
        }
        name
    }

    fn warn(&mut self, site: &[String], message: String) {
        let pointer = pointer_of(site);
        self.diags
            .warn("bundle", &self.root_file, &pointer, message);
    }

    fn error(&mut self, site: &[String], message: String) {
        let pointer = pointer_of(site);
        self.diags
            .error("bundle", &self.root_file, &pointer, message);
    }
}

/// How many times the values of the documents the copies made in place may hold.
const COPY_FACTOR: usize = 16;

/// How many JSON values `value` holds, itself included; counted without recursing.
fn count_values(value: &Value) -> usize {
    let mut count = 0;
    let mut pending = vec![value];
    while let Some(value) = pending.pop() {
        count += 1;
        match value {
            Value::Array(items) => pending.extend(items),
            Value::Object(object) => pending.extend(object.values()),
            _ => {}
        }
    }
    count
}

fn ref_object(reference: &str) -> Value {
    let mut object = Map::new();
    object.insert("$ref".to_owned(), Value::String(reference.to_owned()));
    Value::Object(object)
}

/// The components section a ref at `site` points into, when its place says: schemas inside
/// schemas, parameters in parameter lists, and so on. `None` means in place.
fn section_of(site: &[String]) -> Option<&'static str> {
    let n = site.len();
    let last = site.last().map(String::as_str);
    let parent = n.checked_sub(2).map(|i| site[i].as_str());
    let grandparent = n.checked_sub(3).map(|i| site[i].as_str());
    if let ["components", section, _] = site
        .iter()
        .map(String::as_str)
        .collect::<Vec<_>>()
        .as_slice()
    {
        return SECTIONS.iter().find(|s| *s == section).copied();
    }
    // `itemSchema`: a 3.2 media type's schema of each item of a sequence.
    let in_schema = matches!(
        last,
        Some("schema" | "itemSchema" | "items" | "additionalProperties" | "not" | "contentSchema")
    ) || matches!(
        parent,
        Some("properties" | "allOf" | "anyOf" | "oneOf" | "patternProperties")
    );
    if in_schema {
        return Some("schemas");
    }
    match (grandparent, parent) {
        (_, Some("parameters")) => Some("parameters"),
        (_, Some("headers")) => Some("headers"),
        (_, Some("examples")) => Some("examples"),
        (_, Some("links")) => Some("links"),
        (_, Some("responses")) if grandparent != Some("components") => Some("responses"),
        _ if last == Some("requestBody") => Some("requestBodies"),
        _ => None,
    }
}

const SECTIONS: &[&str] = &[
    "schemas",
    "responses",
    "parameters",
    "examples",
    "requestBodies",
    "headers",
    "securitySchemes",
    "links",
    "callbacks",
];

/// The files the `$ref`s in a document's text name (`models/pet.yaml` of
/// `$ref: 'models/pet.yaml#/Pet'`), percent-decoded, as written: a quick scan of the text
/// so that files can be found before anything is parsed. URLs are left out.
pub(crate) fn referenced_files(text: &str) -> Vec<String> {
    let mut found = Vec::new();
    for (at, _) in text.match_indices("$ref") {
        let rest = text[at + 4..].trim_start_matches(['"', '\'', ' ', '\t']);
        let Some(rest) = rest.strip_prefix(':') else {
            continue;
        };
        let rest = rest.trim_start_matches([' ', '\t']);
        let value = match rest.chars().next() {
            Some(quote @ ('"' | '\'')) => rest[1..].split(quote).next().unwrap_or(""),
            _ => rest
                .split(|c: char| c.is_whitespace() || matches!(c, ',' | '}' | ']'))
                .next()
                .unwrap_or(""),
        };
        let file = value.split('#').next().unwrap_or("");
        if !file.is_empty() && !file.contains("://") {
            let file = percent_decode_str(file).decode_utf8_lossy().into_owned();
            if !found.contains(&file) {
                found.push(file);
            }
        }
    }
    found
}

/// `dir/a.yaml` + `../b.yaml` → `b.yaml`: the path of `relative` seen from `file`'s folder.
pub(crate) fn join(file: &str, relative: &str) -> String {
    let mut parts: Vec<&str> = file.split('/').collect();
    parts.pop();
    for part in relative.split('/') {
        match part {
            "" | "." => {}
            ".." => {
                if parts.last().is_some_and(|p| *p != "..") && !parts.is_empty() {
                    parts.pop();
                } else {
                    parts.push("..");
                }
            }
            other => parts.push(other),
        }
    }
    parts.join("/")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn relative_paths_join_from_the_file_folder() {
        assert_eq!(
            join("spec/resources/a/x.yml", "../../shared/p.yml"),
            "spec/shared/p.yml"
        );
        assert_eq!(join("root.yaml", "models/m.yml"), "models/m.yml");
        assert_eq!(join("/abs/root.yaml", "./m.yml"), "/abs/m.yml");
    }

    #[test]
    fn referenced_files_are_found_in_json_and_yaml_text() {
        let yaml = "a:\n  $ref: models/pet.yaml#/Pet\nb: {$ref: 'x%20y.yml'}\nc:\n  \"$ref\": \"#/local\"\nd: {$ref: https://h/x.yaml}\ne: {$ref: models/pet.yaml}";
        assert_eq!(referenced_files(yaml), ["models/pet.yaml", "x y.yml"]);
        let json = r##"{"s": {"$ref": "../shared/p.json#/p"}, "t": {"$ref":"#/components/x"}}"##;
        assert_eq!(referenced_files(json), ["../shared/p.json"]);
    }

    #[test]
    fn sections_follow_the_place_of_the_ref() {
        let site = |s: &str| s.split('/').map(str::to_owned).collect::<Vec<_>>();
        assert_eq!(section_of(&site("paths/~1a/get")), None);
        assert_eq!(
            section_of(&site("paths/~1a/get/parameters/0")),
            Some("parameters")
        );
        assert_eq!(
            section_of(&site("paths/~1a/get/responses/200")),
            Some("responses")
        );
        assert_eq!(
            section_of(&site(
                "paths/~1a/get/responses/200/content/application~1json/schema"
            )),
            Some("schemas")
        );
        assert_eq!(
            section_of(&site("components/schemas/A/properties/b")),
            Some("schemas")
        );
        assert_eq!(section_of(&site("info/description")), None);
    }
}
