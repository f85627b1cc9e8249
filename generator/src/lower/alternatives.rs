//! How a value of an untagged union (a oneOf or anyOf without a discriminator) is told to be
//! one alternative and not another, decided once over the whole graph, after every type is
//! lowered (an alternative may be a component lowered after the union, or a request or
//! response form made by `split_directions`).
//!
//! Reading a value tries the alternatives in order, and the first that reads it is the value
//! (`de::Alternatives`). Three things keep the first from being the wrong one:
//! - the order: a narrower alternative before one that reads its values too (a uuid or a
//!   date before a string, an integer before a number, an object that requires more
//!   properties before one that requires fewer);
//! - claims ([`Claim`]): a constant property or a required property no other alternative
//!   declares says which alternative a value is before any is read;
//! - keys: of the object alternatives, those that declare every key the value has are tried
//!   before those that do not.
//!
//! The alternatives nothing of these tells apart are reported where the union is lowered
//! (`one-of-ambiguous` in composition.rs).

use crate::model::{Claim, TypeGraph, TypeKind, TypeRef, UntaggedVariant};

/// What an alternative that is an object declares, read from its struct.
struct ObjectView {
    keys: Vec<String>,
    required: Vec<String>,
    /// Properties with one possible string value, and the value.
    consts: Vec<(String, String)>,
    /// It keeps properties it does not name (`additionalProperties`).
    open: bool,
}

/// Sets the claims, keys and order of the alternatives of every untagged union.
pub(super) fn tell_alternatives_apart(graph: &mut TypeGraph) {
    for index in 0..graph.defs.len() {
        let TypeKind::Untagged(variants) = &graph.defs[index].kind else {
            continue;
        };
        let views: Vec<Option<ObjectView>> =
            variants.iter().map(|v| object_view(graph, &v.ty)).collect();
        let ranks: Vec<(u8, usize)> = variants
            .iter()
            .zip(&views)
            .map(|(v, view)| rank(graph, &v.ty, view.as_ref()))
            .collect();
        let mut told: Vec<(UntaggedVariant, (u8, usize))> =
            variants.iter().cloned().zip(ranks).collect();
        for (i, (variant, _)) in told.iter_mut().enumerate() {
            let Some(view) = &views[i] else {
                continue;
            };
            let others = || {
                views
                    .iter()
                    .enumerate()
                    .filter(move |(j, _)| *j != i)
                    .filter_map(|(_, v)| v.as_ref())
            };
            variant.claim = view
                .consts
                .iter()
                .find(|c| others().all(|o| !o.consts.contains(c)))
                .map(|(property, value)| Claim::Value {
                    property: property.clone(),
                    value: value.clone(),
                })
                .or_else(|| {
                    view.required
                        .iter()
                        .find(|r| others().all(|o| !o.keys.contains(r)))
                        .map(|r| Claim::Key(r.clone()))
                });
            // A value without what a claim looks for is not meant as the variant (a key it
            // requires, or the one value it allows); and keys that every other object
            // declares too tell nothing.
            let claimed = variant.claim.is_some();
            let telling = others()
                .filter(|o| !o.open)
                .any(|o| view.keys.iter().any(|k| !o.keys.contains(k)));
            variant.keys = (!view.open && !claimed && telling).then(|| view.keys.clone());
        }
        // Each group is ordered among the places its alternatives hold (a stable sort: of
        // one rank, the spec's order), so alternatives no value could be read as both of
        // keep their places.
        let mut slots: Vec<Option<(UntaggedVariant, (u8, usize))>> =
            told.into_iter().map(Some).collect();
        for group in [Group::Text, Group::Number, Group::Object] {
            let places: Vec<usize> = (0..slots.len())
                .filter(|i| slots[*i].as_ref().is_some_and(|(_, r)| r.0 == group as u8))
                .collect();
            let mut members: Vec<_> = places.iter().filter_map(|i| slots[*i].take()).collect();
            members.sort_by_key(|(_, rank)| rank.1);
            for (place, member) in places.into_iter().zip(members) {
                slots[place] = Some(member);
            }
        }
        let variants = slots.into_iter().flatten().map(|(v, _)| v).collect();
        graph.defs[index].kind = TypeKind::Untagged(variants);
    }
}

/// Alternatives whose values overlap, ordered among themselves.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Group {
    Text,
    Number,
    Object,
    Other,
}

/// An alternative's group and where it is tried in it, lowest first: a string of a format
/// read as its own type before a plain string, an integer before a number, and of objects
/// the one that requires more properties first (a value that has them all is more likely
/// meant as that one).
fn rank(graph: &TypeGraph, ty: &TypeRef, view: Option<&ObjectView>) -> (u8, usize) {
    if let Some(view) = view {
        return (Group::Object as u8, usize::MAX - view.required.len());
    }
    let (group, place) = match graph.resolve_alias(ty) {
        TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => (Group::Text, 0),
        TypeRef::String | TypeRef::Base64 => (Group::Text, 1),
        TypeRef::Named(id) if matches!(graph.get(*id).kind, TypeKind::Enum(_)) => (Group::Text, 1),
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => (Group::Number, 0),
        TypeRef::Named(id) if matches!(graph.get(*id).kind, TypeKind::IntEnum(_)) => {
            (Group::Number, 0)
        }
        TypeRef::F32 | TypeRef::F64 => (Group::Number, 1),
        _ => (Group::Other, 0),
    };
    (group as u8, place)
}

/// The object an alternative is, through aliases, when it is a struct.
fn object_view(graph: &TypeGraph, ty: &TypeRef) -> Option<ObjectView> {
    let TypeRef::Named(id) = graph.resolve_alias(ty) else {
        return None;
    };
    let TypeKind::Struct(fields) = &graph.get(*id).kind else {
        return None;
    };
    let mut view = ObjectView {
        keys: Vec::new(),
        required: Vec::new(),
        consts: Vec::new(),
        open: false,
    };
    for field in fields {
        if field.flatten {
            view.open = true;
            continue;
        }
        view.keys.push(field.api_name.clone());
        if field.required {
            view.required.push(field.api_name.clone());
        }
        if let Some(value) = single_value(graph, &field.ty) {
            view.consts.push((field.api_name.clone(), value));
        }
    }
    Some(view)
}

/// The one string a type allows: an enum of one value.
fn single_value(graph: &TypeGraph, ty: &TypeRef) -> Option<String> {
    let TypeRef::Named(id) = graph.resolve_alias(ty) else {
        return None;
    };
    match &graph.get(*id).kind {
        TypeKind::Enum(values) if values.len() == 1 => Some(values[0].value.clone()),
        _ => None,
    }
}
