//! Which module of the crate each item is written in: a module per group of operations
//! (`Api::groups`) in `types`, `requests`, `responses`, `client` and `server`, and
//! `types::shared` for the types several groups (or an event, or nothing) use. The root
//! files (`types.rs`, `client.rs`, ...) declare the modules and re-export their items, so
//! every item keeps its path (`crate::types::Pet`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_lines, payloads};
use crate::model::{Api, Group, Operation, Payload, TypeKind};

/// The module of `types` holding what no single group owns.
pub(super) const SHARED: &str = "shared";

/// A module of `types`: a group's, or `shared`; or a part of one, too large for one file.
pub(super) struct TypesModule<'a> {
    pub name: String,
    /// The group whose types it holds (a part: its module's); `None` for `shared`.
    pub group: Option<usize>,
    /// Its `//!` lines.
    pub docs: Vec<String>,
    /// The definitions it holds (indices into `TypeGraph::defs`), in the graph's order.
    pub defs: Vec<usize>,
    /// The enums of media types it holds, each once.
    pub enums: Vec<&'a Payload>,
    /// Where it is larger than one file should be: its parts, each a module of its own in
    /// `types/<name>/`, which hold its definitions and enums instead.
    pub parts: Vec<TypesModule<'a>>,
}

/// About how many bytes of Rust a file of types may take, as [`weight`] reckons them: under
/// half of the 1 MB GitHub shows, so a file stays below that where the reckoning is off by
/// twice.
const FILE_BUDGET: usize = 400_000;

/// Where the types go: each group's module that holds any, then `shared` if it holds any.
pub(super) fn types_modules(api: &Api) -> Vec<TypesModule<'_>> {
    let mut modules: Vec<TypesModule<'_>> = api
        .groups
        .iter()
        .enumerate()
        .map(|(index, group)| TypesModule {
            name: group.name.clone(),
            group: Some(index),
            docs: group_docs(group, |what| format!(" The types only {what} use.")),
            defs: Vec::new(),
            enums: Vec::new(),
            parts: Vec::new(),
        })
        .collect();
    modules.push(TypesModule {
        name: SHARED.to_owned(),
        group: None,
        docs: vec![
            " The types more than one group of operations uses (or a webhook, or none).".to_owned(),
        ],
        defs: Vec::new(),
        enums: Vec::new(),
        parts: Vec::new(),
    });
    let shared = modules.len() - 1;
    for (id, reach) in api.type_reach.iter().enumerate() {
        modules[reach.home().unwrap_or(shared)].defs.push(id);
    }
    let mut written = std::collections::HashSet::new();
    for payload in payloads(api) {
        let Some(name) = payload.enum_name.as_deref() else {
            continue;
        };
        if !written.insert(name) {
            continue;
        }
        let home = api.enum_reach.get(name).and_then(|r| r.home());
        modules[home.unwrap_or(shared)].enums.push(payload);
    }
    modules.retain(|m| !m.defs.is_empty() || !m.enums.is_empty());
    for module in &mut modules {
        split(api, module);
    }
    modules
}

/// Splits a module whose definitions weigh more than [`FILE_BUDGET`] into parts, each run of
/// definitions (in the graph's order) that fits, named after its first definition.
fn split(api: &Api, module: &mut TypesModule<'_>) {
    let weights: Vec<usize> = module.defs.iter().map(|id| weight(api, *id)).collect();
    if weights.iter().sum::<usize>() <= FILE_BUDGET {
        return;
    }
    let mut parts: Vec<TypesModule<'_>> = Vec::new();
    let mut taken = std::collections::HashSet::new();
    let mut load = FILE_BUDGET;
    for (id, weight) in module.defs.iter().zip(weights) {
        if load + weight > FILE_BUDGET {
            let first = &api.types.defs[*id].name;
            let mut name = heck::ToSnakeCase::to_snake_case(first.as_str());
            while !taken.insert(name.clone()) {
                name.push('_');
            }
            parts.push(TypesModule {
                name,
                group: module.group,
                docs: vec![format!(
                    " {} Those from [`{first}`] on.",
                    module.docs[0].trim()
                )],
                defs: Vec::new(),
                enums: Vec::new(),
                parts: Vec::new(),
            });
            load = 0;
        }
        load += weight;
        if let Some(part) = parts.last_mut() {
            part.defs.push(*id);
        }
    }
    if let Some(last) = parts.last_mut() {
        last.enums = std::mem::take(&mut module.enums);
    }
    module.defs.clear();
    module.parts = parts;
}

/// About how many bytes of Rust a definition takes: its docs, and per field or variant the
/// lines of the definition, its serde and its checks.
fn weight(api: &Api, id: usize) -> usize {
    let def = &api.types.defs[id];
    let docs = |d: &crate::model::Docs| {
        d.summary.as_ref().map_or(0, String::len) + d.description.as_ref().map_or(0, String::len)
    };
    let members = match &def.kind {
        TypeKind::Struct(fields) => fields.iter().map(|f| 300 + docs(&f.docs)).sum(),
        TypeKind::Enum(variants) => variants.iter().map(|v| 100 + 3 * v.value.len()).sum(),
        TypeKind::IntEnum(variants) => 100 * variants.len(),
        TypeKind::Tagged { variants, .. } => 300 * variants.len(),
        TypeKind::Untagged(variants) => 400 * variants.len(),
        TypeKind::Multipart(parts) => 400 * parts.len(),
        TypeKind::Alias(_) | TypeKind::Newtype(_) => 0,
    };
    600 + docs(&def.docs) + members
}

/// The operations of group `index`, in the API's order.
pub(super) fn group_operations(api: &Api, index: usize) -> Vec<&Operation> {
    api.operations
        .iter()
        .filter(|op| op.group == Some(index))
        .collect()
}

/// The `//!` lines of a group's module: what it holds of the group (`first`, given which
/// operations they are), then the tag's description.
pub(super) fn group_docs(group: &Group, first: impl Fn(&str) -> String) -> Vec<String> {
    let mut lines = vec![first(&group.what)];
    if let Some(description) = &group.docs.description {
        lines.push(String::new());
        lines.extend(doc_lines(description));
    }
    lines
}

/// The start of a group's file: its docs.
pub(super) fn header(docs: &[String]) -> TokenStream {
    quote!(#(#![doc = #docs])*)
}

/// `mod a; mod b;` then `pub use a::*; pub use b::*;`: the modules of a root file, their
/// items at its own path; each with its gate (`gates`), when it has one.
pub(super) fn declare<'n>(modules: impl Iterator<Item = (&'n str, TokenStream)>) -> TokenStream {
    let (names, gates): (Vec<syn::Ident>, Vec<TokenStream>) = modules
        .map(|(n, gate)| (format_ident!("{n}"), gate))
        .unzip();
    quote! {
        #(#gates mod #names;)*
        #(#gates pub use #names::*;)*
    }
}

/// The modules of the groups, for [`declare`]: each gated by its group's feature.
pub(super) fn group_modules(api: &Api) -> impl Iterator<Item = (&str, TokenStream)> {
    api.groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.name.as_str(), super::gates::group(api, i)))
}
