//! Which module of the crate each item is written in: a module per group of operations
//! (`Api::groups`) in `types`, `requests`, `responses`, `client` and `server`, and
//! `types::shared` for the types several groups (or an event, or nothing) use. The root
//! files (`types.rs`, `client.rs`, ...) declare the modules and re-export their items, so
//! every item keeps its path (`crate::types::Pet`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::{doc_lines, payloads};
use crate::model::{Api, Group, Operation, Payload};

/// The module of `types` holding what no single group owns.
pub(super) const SHARED: &str = "shared";

/// A module of `types`: a group's, or `shared`.
pub(super) struct TypesModule<'a> {
    pub name: &'a str,
    /// Its `//!` lines.
    pub docs: Vec<String>,
    /// The definitions it holds (indices into `TypeGraph::defs`), in the graph's order.
    pub defs: Vec<usize>,
    /// The enums of media types it holds, each once.
    pub enums: Vec<&'a Payload>,
}

/// Where the types go: each group's module that holds any, then `shared` if it holds any.
pub(super) fn types_modules(api: &Api) -> Vec<TypesModule<'_>> {
    let mut modules: Vec<TypesModule<'_>> = api
        .groups
        .iter()
        .map(|group| TypesModule {
            name: &group.name,
            docs: group_docs(group, |what| format!(" The types only {what} use.")),
            defs: Vec::new(),
            enums: Vec::new(),
        })
        .collect();
    modules.push(TypesModule {
        name: SHARED,
        docs: vec![
            " The types more than one group of operations uses (or a webhook, or none).".to_owned(),
        ],
        defs: Vec::new(),
        enums: Vec::new(),
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
    modules
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
/// items at its own path.
pub(super) fn declare<'n>(names: impl Iterator<Item = &'n str> + Clone) -> TokenStream {
    let modules = names.clone().map(|n| format_ident!("{n}"));
    let uses = names.map(|n| format_ident!("{n}"));
    quote! {
        #(mod #modules;)*
        #(pub use #uses::*;)*
    }
}
