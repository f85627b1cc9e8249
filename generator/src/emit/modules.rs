//! Which module of the crate each item is written in: a module per group of operations
//! (`Api::groups`) in `types`, `requests`, `responses`, `client` and `server`, and
//! `types::shared` for the types several groups (or an event, or nothing) use. The root
//! files (`types.rs`, `client.rs`, ...) declare the modules and re-export their items, so
//! every item keeps its path (`crate::types::Pet`).

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use std::collections::{HashMap, HashSet};

use super::{doc_lines, gates, payloads};
use crate::model::{Api, Group, Operation, Payload, Reach, TypeKind};

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
    /// A part of `shared` whose definitions the same groups reach: its declaration carries
    /// their gate, once, and its items none of their own.
    pub one_reach: bool,
}

/// A type of `shared` reached by more groups than this is written in a part of `shared`
/// with the types the same groups reach, gated once, rather than among the others with a
/// gate of its own on each of its items (a gate of more features than this is a quarter of
/// a typical type's text). Microsoft Graph's shared types are reached by up
/// to 936 of its groups: a gate on each item was 116 MB of its 168 MB of types.
const OWN_PARTS_ABOVE: usize = 8;

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
            one_reach: false,
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
        one_reach: false,
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
        match module.group {
            None => split_shared(api, module),
            Some(_) => split(api, module),
        }
    }
    modules
}

/// `shared`, split as [`split`] does, except that the types reached by more than
/// [`OWN_PARTS_ABOVE`] groups (but aliases, a single item each) go in parts of their own,
/// one run of parts for each set of groups, in the order the sets first appear; where
/// `shared` is larger than one file, so do the types no operation reaches (compiled with
/// `all-operations`), which a build of some groups then does not read. A type names only
/// types that the same groups reach (or more), so a part of one set's types compiles
/// whenever its gate is on.
fn split_shared(api: &Api, module: &mut TypesModule<'_>) {
    let large = module.defs.iter().map(|id| weight(api, *id)).sum::<usize>() > FILE_BUDGET;
    let mut mixed = Vec::new();
    let mut sets: Vec<(&Reach, Vec<usize>)> = Vec::new();
    let mut index: HashMap<&Reach, usize> = HashMap::new();
    for id in &module.defs {
        let reach = &api.type_reach[*id];
        // An alias is one item, one gate: it stays among the others.
        let alias = matches!(api.types.defs[*id].kind, TypeKind::Alias(_));
        let own = gates::has_features(api)
            && !reach.events
            && !alias
            && (reach.groups.len() > OWN_PARTS_ABOVE || (large && reach.groups.is_empty()));
        if !own {
            mixed.push(*id);
            continue;
        }
        let at = *index.entry(reach).or_insert_with(|| {
            sets.push((reach, Vec::new()));
            sets.len() - 1
        });
        sets[at].1.push(*id);
    }
    if sets.is_empty() {
        return split(api, module);
    }
    let mut taken = HashSet::new();
    let mut parts = runs(api, module, &mixed, &mut taken, None);
    if parts.is_empty() && !module.enums.is_empty() {
        parts.push(part(
            module,
            "media_types",
            &mut taken,
            " Enums of media types.".to_owned(),
        ));
    }
    if let Some(last) = parts.last_mut() {
        last.enums = std::mem::take(&mut module.enums);
    }
    for (reach, defs) in &sets {
        parts.extend(runs(api, module, defs, &mut taken, Some(reach)));
    }
    module.defs.clear();
    module.parts = parts;
}

/// Splits a module whose definitions weigh more than [`FILE_BUDGET`] into parts, each run of
/// definitions (in the graph's order) that fits, named after its first definition.
fn split(api: &Api, module: &mut TypesModule<'_>) {
    let total: usize = module.defs.iter().map(|id| weight(api, *id)).sum();
    if total <= FILE_BUDGET {
        return;
    }
    let defs = std::mem::take(&mut module.defs);
    let mut parts = runs(api, module, &defs, &mut HashSet::new(), None);
    if let Some(last) = parts.last_mut() {
        last.enums = std::mem::take(&mut module.enums);
    }
    module.parts = parts;
}

/// `defs` of `module` in parts of up to [`FILE_BUDGET`], each named after its first
/// definition (a name in `taken` gets a `_` more). `one_reach`: the groups that reach every
/// one of them, which the parts' docs name.
fn runs<'a>(
    api: &Api,
    module: &TypesModule<'a>,
    defs: &[usize],
    taken: &mut HashSet<String>,
    one_reach: Option<&Reach>,
) -> Vec<TypesModule<'a>> {
    let mut parts: Vec<TypesModule<'a>> = Vec::new();
    let mut load = FILE_BUDGET;
    for id in defs {
        let weight = weight(api, *id);
        if load + weight > FILE_BUDGET {
            let first = &api.types.defs[*id].name;
            let what = match one_reach {
                None => module.docs[0].trim().to_owned(),
                Some(reach) if reach.groups.is_empty() => {
                    "The types no operation uses, compiled with the `all-operations` feature."
                        .to_owned()
                }
                Some(reach) => format!(
                    "The types the operations of {} groups use, compiled when any of their \
                     features is on (the gate of this module in `shared.rs`).",
                    reach.groups.len()
                ),
            };
            let name = heck::ToSnakeCase::to_snake_case(first.as_str());
            let docs = format!(" {what} Those from [`{first}`] on.");
            let mut new = part(module, &name, taken, docs);
            new.one_reach = one_reach.is_some();
            parts.push(new);
            load = 0;
        }
        load += weight;
        if let Some(part) = parts.last_mut() {
            part.defs.push(*id);
        }
    }
    parts
}

/// An empty part of `module` named `name` (with a `_` more while `taken` has it).
fn part<'a>(
    module: &TypesModule<'a>,
    name: &str,
    taken: &mut HashSet<String>,
    docs: String,
) -> TypesModule<'a> {
    let mut name = name.to_owned();
    while !taken.insert(name.clone()) {
        name.push('_');
    }
    TypesModule {
        name,
        group: module.group,
        docs: vec![docs],
        defs: Vec::new(),
        enums: Vec::new(),
        parts: Vec::new(),
        one_reach: false,
    }
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
