//! Per-API settings: what a user tells the generator beyond the spec, read from a TOML file
//! next to it (`specs/petstore.toml` for `specs/petstore.yaml`, `specs/rocketchat.toml` for
//! the folder `specs/rocketchat/`).
//!
//! Settings act at two points of the pipeline, and nowhere else:
//! - [`apply_to_tree`], on the merged tree before it is parsed: which operations are kept,
//!   operation renames (as new operationIds, so everything named after an operation follows),
//!   and type overrides (as `x-rust-type` on the schemas they name; lowering reads that
//!   extension);
//! - [`apply_to_model`], on the lowered model: trait and client names, type renames, extra
//!   derives and dependencies.
//!
//! The overlay a settings file names is applied earlier, to each document before normalize
//! (see [`crate::overlay`]).

mod type_path;

use std::collections::BTreeMap;

use serde::Deserialize;
use serde_json::{Map, Value};

use crate::diagnostics::{pointer_push, push_token, Diagnostic, Diagnostics};
use crate::emit::toml_string;
use crate::load::Source;
use crate::model::{Api, TypeRef};
use crate::normalize::each_object;
use crate::parse::METHODS;

/// The extension that gives a schema a Rust type of the user's choosing.
pub const RUST_TYPE_EXTENSION: &str = "x-rust-type";

const RULE: &str = "settings";

/// The settings of one API. Every key is optional; unknown keys are errors.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields, rename_all = "kebab-case")]
pub struct Settings {
    /// The settings file, as messages name it (not part of the TOML).
    #[serde(skip)]
    pub file: String,
    /// Cargo package name of the generated crate.
    pub crate_name: Option<String>,
    /// Name of the server trait.
    pub trait_name: Option<String>,
    /// Another name for the client type, exported beside `client::Client`.
    pub client_name: Option<String>,
    /// An OpenAPI Overlay 1.0 document (YAML or JSON), relative to the settings file,
    /// applied to each document of the API before generation.
    pub overlay: Option<String>,
    /// Which operations are generated.
    #[serde(default)]
    pub operations: OperationSettings,
    /// Rust types chosen by the user instead of the generated ones.
    #[serde(default)]
    pub types: TypeOverrides,
    #[serde(default)]
    pub rename: Renames,
    /// Extra derives by type name; `"*"` applies to every generated struct and enum.
    #[serde(default)]
    pub derives: BTreeMap<String, Vec<String>>,
    /// Dependencies added to the generated Cargo.toml (for the types of `types` and the
    /// derives), written as in Cargo.toml.
    #[serde(default)]
    pub dependencies: toml::Table,
    /// How operations' answers come in pages, by operationId, where the rules do not see it
    /// (or see it wrong): written into the spec as `x-pagination`.
    #[serde(default)]
    pub pagination: BTreeMap<String, PaginationMark>,
    /// Losses are errors: the API is not generated while anything the spec declares would
    /// not arrive (an operation, a webhook, a parameter, a body, a schema's type). For CI;
    /// `--deny-losses` does the same for one run.
    #[serde(default)]
    pub deny_losses: bool,
    /// Where the crate's runtime comes from: `"vendored"` (the default), `{ path = "DIR" }`
    /// (relative to the generated crate's folder) or `{ version = "REQ" }`; `--runtime`
    /// overrides it for one run.
    pub runtime: Option<crate::model::RuntimeSource>,
    /// How operations are grouped into the generated crate's modules.
    #[serde(default)]
    pub group_by: Grouping,
}

/// `group-by`: what puts operations in one module (`client/<group>.rs`, `types/<group>.rs`,
/// ...): their first tag (the default; an operation without tags goes by its path), or the
/// first segment of their path after the prefix all paths share.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Grouping {
    #[default]
    Tag,
    Path,
}

/// `[pagination.<operationId>]`: where a page's items are and how the next page is asked
/// for (see `lower/pagination.rs`); `off = true` reads the operation without pages.
#[derive(Debug, Clone, Default, PartialEq, Deserialize, serde::Serialize)]
#[serde(default, deny_unknown_fields, rename_all = "kebab-case")]
pub struct PaginationMark {
    /// The list, from the body: dotted wire names (`data.items`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub items: Option<String>,
    /// The query parameter taking the next cursor, with `next`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cursor: Option<String>,
    /// The body field holding the next cursor (`meta.next_cursor`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next: Option<String>,
    /// The body field holding the next page's URL.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub next_url: Option<String>,
    /// The next page is the `Link` header's `rel="next"`.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub link: bool,
    /// The query parameter counting items to skip.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub offset: Option<String>,
    /// The query parameter numbering pages.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub page: Option<String>,
    #[serde(skip_serializing)]
    pub off: bool,
}

/// `[operations]`: with `include`, only operations it matches are generated; operations
/// `exclude` matches are not.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OperationSettings {
    pub include: Option<Selection>,
    #[serde(default)]
    pub exclude: Selection,
}

/// Operations matched by any of their tags (case-insensitive), their path or their
/// operationId. Patterns may use `*` for any run of characters and `?` for one.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Selection {
    #[serde(default)]
    pub tags: Vec<String>,
    #[serde(default)]
    pub paths: Vec<String>,
    #[serde(default)]
    pub ids: Vec<String>,
}

/// `[types]`: Rust type paths (`rust_decimal::Decimal`, `String`) by string `format` and by
/// component schema name.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct TypeOverrides {
    #[serde(default)]
    pub formats: BTreeMap<String, String>,
    #[serde(default)]
    pub schemas: BTreeMap<String, String>,
}

/// `[rename]`: operations by operationId (or `METHOD /path` where there is none) to a new
/// name, types by the Rust name the generator gives them to another.
#[derive(Debug, Clone, Default, PartialEq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Renames {
    #[serde(default)]
    pub operations: BTreeMap<String, String>,
    #[serde(default)]
    pub types: BTreeMap<String, String>,
}

impl Settings {
    /// Reads a settings file. Problems (TOML syntax, unknown keys, names that are not Rust
    /// identifiers, types that are not Rust types) come back as errors with their place.
    pub fn from_toml(source: &Source) -> Result<Settings, Vec<Diagnostic>> {
        let mut diags = Diagnostics::default();
        let mut settings = match toml::from_str::<Settings>(&source.text) {
            Ok(settings) => settings,
            Err(e) => {
                let at = e.span().map_or_else(String::new, |span| {
                    let (line, column) = line_column(&source.text, span.start);
                    format!("line {line}, column {column}: ")
                });
                let message = e.message().trim_end_matches('\n').to_owned();
                diags.error(RULE, &source.path, "", format!("{at}{message}"));
                return Err(diags.into_vec());
            }
        };
        settings.file = source.path.clone();
        settings.check(&mut diags);
        if diags.has_errors() {
            Err(diags.into_vec())
        } else {
            Ok(settings)
        }
    }

    fn check(&self, diags: &mut Diagnostics) {
        let mut error = |pointer: String, message: String| {
            diags.error(RULE, &self.file, &pointer, message);
        };
        for (key, name) in [
            ("trait-name", &self.trait_name),
            ("client-name", &self.client_name),
        ] {
            if let Some(name) = name.as_deref().filter(|n| !is_ident(n)) {
                error(
                    format!("/{key}"),
                    format!("{name:?} is not a Rust identifier"),
                );
            }
        }
        for (section, map) in [
            ("/types/formats", &self.types.formats),
            ("/types/schemas", &self.types.schemas),
        ] {
            for (key, ty) in map {
                if let Err(why) = type_path::check(ty) {
                    error(pointer_push(section, key), format!("{ty:?} {why}"));
                }
            }
        }
        for (section, map) in [
            ("/rename/operations", &self.rename.operations),
            ("/rename/types", &self.rename.types),
        ] {
            for (key, name) in map.iter().filter(|(_, name)| !is_ident(name)) {
                error(
                    pointer_push(section, key),
                    format!("{name:?} is not a Rust identifier"),
                );
            }
        }
        for (key, derives) in &self.derives {
            for derive in derives {
                // A derive is named by a plain path: generic arguments could hold code.
                let path = syn::parse_str::<syn::Path>(derive);
                if !path.is_ok_and(|p| p.segments.iter().all(|s| s.arguments.is_none())) {
                    error(
                        pointer_push("/derives", key),
                        format!("{derive:?} is not a path to a derive macro"),
                    );
                }
            }
        }
    }
}

fn is_ident(name: &str) -> bool {
    syn::parse_str::<syn::Ident>(name).is_ok()
}

/// 1-based line and column (in characters) of a byte offset.
fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let before = &text[..offset.min(text.len())];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().map_or(0, |l| l.chars().count()) + 1;
    (line, column)
}

/// `*` matches any run of characters, `?` any one.
fn glob_match(pattern: &str, text: &str) -> bool {
    let (p, t): (Vec<char>, Vec<char>) = (pattern.chars().collect(), text.chars().collect());
    // The classic two-pointer match, remembering the last `*` to backtrack to.
    let (mut pi, mut ti, mut star, mut mark) = (0, 0, None, 0);
    while ti < t.len() {
        if pi < p.len() && (p[pi] == '?' || p[pi] == t[ti]) {
            pi += 1;
            ti += 1;
        } else if pi < p.len() && p[pi] == '*' {
            star = Some(pi);
            mark = ti;
            pi += 1;
        } else if let Some(s) = star {
            pi = s + 1;
            mark += 1;
            ti = mark;
        } else {
            return false;
        }
    }
    p[pi..].iter().all(|c| *c == '*')
}

/// One operation of the tree, as the selection sees it.
struct OperationRef<'a> {
    path: &'a str,
    method: &'a str,
    operation: &'a Map<String, Value>,
}

impl OperationRef<'_> {
    /// The operationId, or `METHOD /path` where there is none.
    fn id(&self) -> String {
        match self.operation.get("operationId").and_then(Value::as_str) {
            Some(id) => id.to_owned(),
            None => format!("{} {}", self.method.to_ascii_uppercase(), self.path),
        }
    }

    fn tags(&self) -> impl Iterator<Item = &str> {
        self.operation
            .get("tags")
            .and_then(Value::as_array)
            .into_iter()
            .flatten()
            .filter_map(Value::as_str)
    }
}

/// Which patterns of a selection matched some operation, to report the ones that did not.
#[derive(Default)]
struct Matched {
    tags: Vec<bool>,
    paths: Vec<bool>,
    ids: Vec<bool>,
}

impl Selection {
    fn matches(&self, op: &OperationRef<'_>, seen: &mut Matched) -> bool {
        let mut any = false;
        let mut mark = |hits: &mut Vec<bool>, patterns: &[String], test: &dyn Fn(&str) -> bool| {
            hits.resize(patterns.len(), false);
            for (hit, pattern) in hits.iter_mut().zip(patterns) {
                if test(pattern) {
                    *hit = true;
                    any = true;
                }
            }
        };
        let tags: Vec<String> = op.tags().map(str::to_lowercase).collect();
        mark(&mut seen.tags, &self.tags, &|p| {
            let p = p.to_lowercase();
            tags.iter().any(|t| glob_match(&p, t))
        });
        mark(&mut seen.paths, &self.paths, &|p| glob_match(p, op.path));
        let id = op.id();
        mark(&mut seen.ids, &self.ids, &|p| glob_match(p, &id));
        any
    }

    fn report_unmatched(&self, seen: &Matched, file: &str, key: &str, diags: &mut Diagnostics) {
        for (list, patterns, hits) in [
            ("tags", &self.tags, &seen.tags),
            ("paths", &self.paths, &seen.paths),
            ("ids", &self.ids, &seen.ids),
        ] {
            for (i, pattern) in patterns.iter().enumerate() {
                if !hits.get(i).copied().unwrap_or(false) {
                    diags.warn(
                        RULE,
                        file,
                        &format!("/operations/{key}/{list}/{i}"),
                        format!("{pattern:?} matches no operation"),
                    );
                }
            }
        }
    }
}

/// Removes the `x-rust-type` a spec (or its overlay) writes itself, with a warning: a spec is
/// data, and a Rust type is emitted as code, so only the settings' `[types]` choose one
/// ([`apply_to_tree`] puts those in after this). Every object is looked at, data keys
/// included (a property may be named `example`), so none escapes.
pub fn remove_spec_types(tree: &mut Value, diags: &mut Diagnostics) {
    fn walk(value: &mut Value, at: &mut String, diags: &mut Diagnostics) {
        let len = at.len();
        match value {
            Value::Object(object) => {
                if object.remove(RUST_TYPE_EXTENSION).is_some() {
                    diags.warn(
                        "spec-rust-type",
                        "",
                        &pointer_push(at, RUST_TYPE_EXTENSION),
                        format!(
                            "{RUST_TYPE_EXTENSION} is ignored in a spec: Rust types are chosen \
                             by the settings' [types] (see README, \"What the generator trusts\")"
                        ),
                    );
                }
                for (key, child) in object.iter_mut() {
                    push_token(at, key);
                    walk(child, at, diags);
                    at.truncate(len);
                }
            }
            Value::Array(items) => {
                for (i, child) in items.iter_mut().enumerate() {
                    push_token(at, &i.to_string());
                    walk(child, at, diags);
                    at.truncate(len);
                }
            }
            _ => {}
        }
    }
    walk(tree, &mut String::new(), diags);
}

/// Applies the settings that act on the spec itself to the merged tree: drops the
/// operations not selected, gives renamed operations their new operationId, and marks the
/// schemas whose Rust type the user chose with `x-rust-type`.
pub fn apply_to_tree(settings: &Settings, tree: &mut Value, diags: &mut Diagnostics) {
    select_operations(settings, tree, diags);
    mark_pagination(settings, tree, diags);
    rename_operations(settings, tree, diags);
    override_types(settings, tree, diags);
}

fn select_operations(settings: &Settings, tree: &mut Value, diags: &mut Diagnostics) {
    let selection = &settings.operations;
    let (mut included, mut excluded) = (Matched::default(), Matched::default());
    let Some(paths) = tree.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    paths.retain(|path, item| {
        let Some(item) = item.as_object_mut() else {
            return true;
        };
        let had_operations = has_operations(item);
        let mut keep = |method: &str, operation: &Value| {
            let Some(operation) = operation.as_object() else {
                return true;
            };
            let op = OperationRef {
                path,
                method,
                operation,
            };
            let wanted = selection
                .include
                .as_ref()
                .is_none_or(|include| include.matches(&op, &mut included));
            let unwanted = selection.exclude.matches(&op, &mut excluded);
            wanted && !unwanted
        };
        item.retain(|method, operation| {
            !(METHODS.contains(&method.as_str()) || method == "query") || keep(method, operation)
        });
        // 3.2's other methods, each by its name as sent.
        if let Some(Value::Object(more)) = item.get_mut("additionalOperations") {
            more.retain(|method, operation| keep(method, operation));
            if more.is_empty() {
                item.remove("additionalOperations");
            }
        }
        // A path left without operations would be an empty route.
        !had_operations || has_operations(item)
    });
    if let Some(include) = &selection.include {
        include.report_unmatched(&included, &settings.file, "include", diags);
    }
    selection
        .exclude
        .report_unmatched(&excluded, &settings.file, "exclude", diags);
}

/// Whether a path item has an operation: a fixed method, or 3.2's `query` or
/// `additionalOperations`.
fn has_operations(item: &Map<String, Value>) -> bool {
    METHODS.iter().any(|m| item.contains_key(*m))
        || item.contains_key("query")
        || item.contains_key("additionalOperations")
}

/// Each `[pagination.<operationId>]` as the operation's `x-pagination`.
fn mark_pagination(settings: &Settings, tree: &mut Value, diags: &mut Diagnostics) {
    let marks = &settings.pagination;
    let mut used = vec![false; marks.len()];
    each_operation(tree, &mut |id, operation| {
        if let Some(i) = marks.keys().position(|k| *k == id) {
            used[i] = true;
            let mark = &marks[&id];
            let value = if mark.off {
                Value::Bool(false)
            } else {
                serde_json::to_value(mark).unwrap_or(Value::Null)
            };
            operation.insert("x-pagination".to_owned(), value);
        }
    });
    for (key, _) in marks.iter().zip(&used).filter(|(_, used)| !**used) {
        diags.warn(
            RULE,
            &settings.file,
            &pointer_push("/pagination", key.0),
            format!("no operation has the operationId {:?}", key.0),
        );
    }
}

/// Calls `f` with the id (operationId, or `METHOD /path`) and object of each operation.
fn each_operation(tree: &mut Value, f: &mut dyn FnMut(String, &mut Map<String, Value>)) {
    let Some(paths) = tree.get_mut("paths").and_then(Value::as_object_mut) else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for (method, operation) in item.iter_mut() {
            let (true, Some(operation)) = (
                METHODS.contains(&method.as_str()),
                operation.as_object_mut(),
            ) else {
                continue;
            };
            let id = OperationRef {
                path,
                method,
                operation,
            }
            .id();
            f(id, operation);
        }
    }
}

fn rename_operations(settings: &Settings, tree: &mut Value, diags: &mut Diagnostics) {
    let renames = &settings.rename.operations;
    let mut used = vec![false; renames.len()];
    each_operation(tree, &mut |id, operation| {
        if let Some(i) = renames.keys().position(|k| *k == id) {
            used[i] = true;
            let new = renames[&id].clone();
            operation.insert("operationId".to_owned(), Value::String(new));
        }
    });
    for (key, _) in renames.iter().zip(&used).filter(|(_, used)| !**used) {
        diags.warn(
            RULE,
            &settings.file,
            &pointer_push("/rename/operations", key.0),
            format!("no operation has the operationId {:?}", key.0),
        );
    }
}

fn override_types(settings: &Settings, tree: &mut Value, diags: &mut Diagnostics) {
    let overrides = &settings.types;
    let mut formats_used = vec![false; overrides.formats.len()];
    each_object(tree, "", &mut |object, _| {
        let Some(format) = object.get("format").and_then(Value::as_str) else {
            return;
        };
        if let Some(i) = overrides.formats.keys().position(|f| f == format) {
            formats_used[i] = true;
            let ty = overrides.formats[format].clone();
            object.insert(RUST_TYPE_EXTENSION.to_owned(), Value::String(ty));
        }
    });
    for (format, _) in overrides
        .formats
        .iter()
        .zip(&formats_used)
        .filter(|(_, used)| !**used)
    {
        diags.warn(
            RULE,
            &settings.file,
            &pointer_push("/types/formats", format.0),
            format!("no schema has the format {:?}", format.0),
        );
    }
    let mut schemas = tree
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut);
    for (name, ty) in &overrides.schemas {
        let schema = schemas
            .as_deref_mut()
            .and_then(|s| s.get_mut(name))
            .and_then(Value::as_object_mut);
        match schema {
            Some(schema) => {
                schema.insert(RUST_TYPE_EXTENSION.to_owned(), Value::String(ty.clone()));
            }
            None => diags.warn(
                RULE,
                &settings.file,
                &pointer_push("/types/schemas", name),
                format!("there is no schema {name:?} in components/schemas"),
            ),
        }
    }
}

/// The type a schema's `x-rust-type` names: one of the model's own where the path is one
/// (`String`, `i64`, `serde_json::Value` ...), otherwise the user's type; `None` where it is
/// not a type override may name (see `type_path.rs`), as when [`Settings`] were built in
/// code rather than read.
pub fn rust_type(path: &str) -> Option<TypeRef> {
    Some(match path {
        "String" | "std::string::String" => TypeRef::String,
        "bool" => TypeRef::Bool,
        "i32" => TypeRef::I32,
        "i64" => TypeRef::I64,
        "u32" => TypeRef::U32,
        "u64" => TypeRef::U64,
        "f32" => TypeRef::F32,
        "f64" => TypeRef::F64,
        "serde_json::Value" => TypeRef::Any,
        other => {
            type_path::check(other).ok()?;
            TypeRef::Custom(other.to_owned())
        }
    })
}

/// Applies the settings that act on generated names and the crate: the trait and client
/// names, type renames, extra derives and dependencies. Also gives renamed operations back
/// the operationId of the spec, for their docs.
pub fn apply_to_model(settings: &Settings, api: &mut Api, diags: &mut Diagnostics) {
    if let Some(name) = &settings.trait_name {
        api.trait_name = name.clone();
    }
    api.customization.client_name = settings.client_name.clone();
    api.customization.runtime = settings.runtime.clone().unwrap_or_default();
    for op in &mut api.operations {
        if let Some((original, _)) = settings
            .rename
            .operations
            .iter()
            .find(|(_, new)| **new == op.api_name)
        {
            op.api_name = original.clone();
        }
    }
    rename_types(settings, api, diags);
    for (name, derives) in &settings.derives {
        if name != "*" && !api.types.defs.iter().any(|d| d.name == *name) {
            diags.warn(
                RULE,
                &settings.file,
                &pointer_push("/derives", name),
                format!("no generated type is named {name}"),
            );
        }
        api.customization
            .derives
            .push((name.clone(), derives.clone()));
    }
    api.customization.dependencies = dependency_lines(settings);
}

/// `[dependencies]` as Cargo.toml lines: each name, and its value written inline.
fn dependency_lines(settings: &Settings) -> Vec<(String, String)> {
    settings
        .dependencies
        .iter()
        .map(|(name, spec)| (toml_key(name), inline_toml(spec)))
        .collect()
}

fn rename_types(settings: &Settings, api: &mut Api, diags: &mut Diagnostics) {
    for (old, new) in &settings.rename.types {
        let pointer = pointer_push("/rename/types", old);
        if api.types.defs.iter().any(|d| d.name == *new) {
            diags.error(
                RULE,
                &settings.file,
                &pointer,
                format!("a generated type is already named {new}"),
            );
            continue;
        }
        match api.types.defs.iter_mut().find(|d| d.name == *old) {
            Some(def) => def.name = new.clone(),
            None => diags.warn(
                RULE,
                &settings.file,
                &pointer,
                format!("no generated type is named {old}"),
            ),
        }
    }
}

/// A TOML key as Cargo.toml takes it: bare where it may be, quoted otherwise, so that no key
/// ends its line and starts a section of its own (`"x = 1\n[patch.crates-io]"`).
fn toml_key(key: &str) -> String {
    let bare = key
        .bytes()
        .all(|b| b.is_ascii_alphanumeric() || b == b'_' || b == b'-');
    if bare && !key.is_empty() {
        key.to_owned()
    } else {
        toml_string(key)
    }
}

/// A TOML value written inline, as a dependency line of Cargo.toml takes it.
fn inline_toml(value: &toml::Value) -> String {
    match value {
        toml::Value::String(s) => toml_string(s),
        toml::Value::Array(items) => {
            let items: Vec<String> = items.iter().map(inline_toml).collect();
            format!("[{}]", items.join(", "))
        }
        toml::Value::Table(table) => {
            let entries: Vec<String> = table
                .iter()
                .map(|(k, v)| format!("{} = {}", toml_key(k), inline_toml(v)))
                .collect();
            format!("{{ {} }}", entries.join(", "))
        }
        toml::Value::Integer(i) => i.to_string(),
        toml::Value::Float(f) => f.to_string(),
        toml::Value::Boolean(b) => b.to_string(),
        toml::Value::Datetime(d) => d.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn read(text: &str) -> Result<Settings, Vec<String>> {
        Settings::from_toml(&Source {
            path: "api.toml".to_owned(),
            text: text.to_owned(),
        })
        .map_err(|diags| diags.iter().map(ToString::to_string).collect())
    }

    #[test]
    fn unknown_keys_are_errors_with_line_and_column() {
        let errors =
            read("trait-name = \"Api\"\n\n[operations.exclude]\ntag = [\"x\"]\n").unwrap_err();
        assert_eq!(errors.len(), 1);
        assert!(
            errors[0].starts_with(
                "error[settings]: api.toml#: line 4, column 1: unknown field `tag`, expected one of `tags`, `paths`, `ids`"
            ),
            "{}",
            errors[0]
        );
    }

    #[test]
    fn names_and_types_are_checked() {
        let errors = read(
            "trait-name = \"two words\"\n[types.formats]\ndecimal = \"not a type!\"\n[rename.types]\nPet = \"fn\"\n",
        )
        .unwrap_err();
        assert_eq!(
            errors,
            [
                "error[settings]: api.toml#/trait-name: \"two words\" is not a Rust identifier",
                "error[settings]: api.toml#/types/formats/decimal: \"not a type!\" is not a Rust type",
                "error[settings]: api.toml#/rename/types/Pet: \"fn\" is not a Rust identifier",
            ]
        );
    }

    #[test]
    fn globs() {
        assert!(glob_match("/api/v1/livechat*", "/api/v1/livechat/visitor"));
        assert!(glob_match("*rooms.?nfo", "/api/v1/rooms.info"));
        assert!(!glob_match("/api/v1/rooms", "/api/v1/rooms.info"));
        assert!(glob_match("*", ""));
    }

    /// A dependency is a line of Cargo.toml: no name, key or value may end that line and
    /// start a section (`[patch.crates-io]` replacing serde for every crate of a workspace).
    #[test]
    fn dependencies_stay_on_their_line() {
        let name = "x = \"1\"\n[patch.crates-io]\nserde = { path = \"/evil\" }\n#";
        let toml = format!(
            "[dependencies]\n{:?} = {{ version = \"1\", {:?} = \"\\u007F\" }}\n",
            name, name
        );
        let settings = read(&toml).unwrap();
        let [(name, spec)] = dependency_lines(&settings).try_into().unwrap_or_else(|_| {
            panic!("one dependency");
        });
        let line = format!("{name} = {spec}\n");
        assert_eq!(line.lines().count(), 1, "{line}");
        let table: toml::Table = toml::from_str(&line).unwrap();
        assert_eq!(toml::Value::Table(table), settings.dependencies.into());
    }

    #[test]
    fn derives_are_plain_paths() {
        let errors = read("[derives]\n\"*\" = [\"Eq\", \"my::Derive<{ 1 }>\"]\n").unwrap_err();
        assert_eq!(
            errors,
            ["error[settings]: api.toml#/derives/*: \"my::Derive<{ 1 }>\" is not a path to a derive macro"]
        );
    }

    #[test]
    fn dependencies_are_written_inline_in_order() {
        let settings = read(
            "[dependencies]\nrust_decimal = { version = \"1\", features = [\"serde-str\"] }\nbytes = \"1\"\n",
        )
        .unwrap();
        assert_eq!(
            dependency_lines(&settings),
            [
                (
                    "rust_decimal".to_owned(),
                    "{ version = \"1\", features = [\"serde-str\"] }".to_owned()
                ),
                ("bytes".to_owned(), "\"1\"".to_owned()),
            ],
            "in the file's order"
        );
    }
}
