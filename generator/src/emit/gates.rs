//! The `#[cfg(feature = ..)]` of what a group's feature compiles (`Group::feature`): a
//! group's modules whole (`mod pets;` in each root file), its trait methods, routes, mock
//! methods and tests one by one, a type of `shared` by the groups that reach it. An API with
//! one group has no features, and every gate here is empty.

use proc_macro2::TokenStream;
use quote::quote;

use crate::model::{Api, Operation, Reach, TypeRef, ALL_OPERATIONS};

/// The gate of group `index`: `#[cfg(feature = "pets")]`.
pub(super) fn group(api: &Api, index: usize) -> TokenStream {
    groups(api, [index])
}

/// The gate of an operation: its group's; none for a webhook or callback, which no
/// feature leaves out.
pub(super) fn operation(api: &Api, op: &Operation) -> TokenStream {
    match op.group {
        Some(index) => group(api, index),
        None => TokenStream::new(),
    }
}

/// The gate of what any of `indices` compiles: `#[cfg(any(feature = "a", feature = "b"))]`.
pub(super) fn groups(api: &Api, indices: impl IntoIterator<Item = usize>) -> TokenStream {
    let mut features: Vec<&str> = indices
        .into_iter()
        .filter_map(|i| api.groups[i].feature.as_deref())
        .collect();
    features.sort_unstable();
    features.dedup();
    match features.as_slice() {
        [] => TokenStream::new(),
        [one] => quote!(#[cfg(feature = #one)]),
        many => quote!(#[cfg(any(#(feature = #many),*))]),
    }
}

/// The gate of an item that `reach` uses: the groups' features; none where an event uses
/// it (webhooks are always compiled); where nothing does (a component no operation names),
/// the feature of every group, [`ALL_OPERATIONS`], which the default build has.
pub(super) fn reach(api: &Api, reach: &Reach) -> TokenStream {
    if reach.events || !has_features(api) {
        return TokenStream::new();
    }
    match reach.groups.is_empty() {
        true => quote!(#[cfg(feature = #ALL_OPERATIONS)]),
        false => groups(api, reach.groups.iter().copied()),
    }
}

/// The gate of a value of type `ty`: the reach of the definitions it names (those a list
/// or map holds); none for a type naming no definition.
pub(super) fn type_ref(api: &Api, ty: &TypeRef) -> TokenStream {
    match ty {
        TypeRef::Named(id) => reach(api, &api.type_reach[id.0]),
        TypeRef::List(inner) | TypeRef::Map(inner) => type_ref(api, inner),
        _ => TokenStream::new(),
    }
}

/// `statement` behind `gate`: in a block, as Rust takes attributes on no assignment.
pub(super) fn statement(gate: TokenStream, statement: TokenStream) -> TokenStream {
    match gate.is_empty() {
        true => statement,
        false => quote!(#gate { #statement }),
    }
}

/// `#[cfg_attr(not(feature = "all-operations"), allow(<lint>))]` where the API has
/// features: for what every group's code uses (the router's handler, the types' helpers),
/// which a build of some groups may leave unused.
pub(super) fn allow_when_narrowed(api: &Api, lint: TokenStream) -> TokenStream {
    match has_features(api) {
        true => quote!(#[cfg_attr(not(feature = #ALL_OPERATIONS), allow(#lint))]),
        false => TokenStream::new(),
    }
}

/// Whether the API's groups have features (two groups or more).
pub(super) fn has_features(api: &Api) -> bool {
    api.groups.iter().any(|g| g.feature.is_some())
}
