//! Passes over the whole type graph once every schema is lowered: making recursive types
//! finite.

use crate::model::{TypeGraph, TypeId, TypeKind, TypeRef};

/// Turns aliases that refer to themselves through a container (`Tree = Vec<Tree>`) into
/// newtypes: a Rust type alias cannot name itself, a struct can. Aliases that only name each
/// other (`A = B`, `B = A`) describe no value at all; they become any JSON value.
pub(super) fn break_alias_cycles(graph: &mut TypeGraph) -> Vec<TypeId> {
    let mut empty_cycles = Vec::new();
    for id in 0..graph.defs.len() {
        let TypeKind::Alias(ty) = &graph.defs[id].kind else {
            continue;
        };
        match alias_cycle(graph, ty, TypeId(id), false, &mut Vec::new()) {
            Some(true) => {
                let ty = ty.clone();
                graph.defs[id].kind = TypeKind::Newtype(ty);
            }
            Some(false) => {
                graph.defs[id].kind = TypeKind::Alias(TypeRef::Any);
                *graph.fallbacks.entry("$ref cycle").or_default() += 1;
                empty_cycles.push(TypeId(id));
            }
            None => {}
        }
    }
    empty_cycles
}

/// Whether expanding `ty` through aliases (and containers) reaches `target`: `Some(true)`
/// when a container is on the way.
fn alias_cycle(
    graph: &TypeGraph,
    ty: &TypeRef,
    target: TypeId,
    contained: bool,
    seen: &mut Vec<TypeId>,
) -> Option<bool> {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => alias_cycle(graph, inner, target, true, seen),
        TypeRef::Named(id) if *id == target => Some(contained),
        TypeRef::Named(id) if !seen.contains(id) => {
            seen.push(*id);
            match &graph.get(*id).kind {
                TypeKind::Alias(inner) => alias_cycle(graph, inner, target, contained, seen),
                _ => None,
            }
        }
        _ => None,
    }
}

/// Boxes each struct field and enum variant whose type holds its own type by value, so
/// recursive types have a finite size.
pub(super) fn mark_boxed(graph: &mut TypeGraph) {
    for id in 0..graph.defs.len() {
        let target = TypeId(id);
        let boxed: Vec<bool> = match &graph.defs[id].kind {
            TypeKind::Struct(fields) => fields
                .iter()
                .map(|f| holds_by_value(graph, &f.ty, target, &mut Vec::new()))
                .collect(),
            TypeKind::Untagged(variants) => variants
                .iter()
                .map(|v| holds_by_value(graph, &v.ty, target, &mut Vec::new()))
                .collect(),
            TypeKind::Tagged { variants, .. } => variants
                .iter()
                .map(|v| holds_by_value(graph, &v.ty, target, &mut Vec::new()))
                .collect(),
            _ => continue,
        };
        match &mut graph.defs[id].kind {
            TypeKind::Struct(fields) => {
                for (field, boxed) in fields.iter_mut().zip(boxed) {
                    field.boxed = boxed;
                }
            }
            TypeKind::Untagged(variants) => {
                for (variant, boxed) in variants.iter_mut().zip(boxed) {
                    variant.boxed = boxed;
                }
            }
            TypeKind::Tagged { variants, .. } => {
                for (variant, boxed) in variants.iter_mut().zip(boxed) {
                    variant.boxed = boxed;
                }
            }
            _ => {}
        }
    }
}

/// Whether a value of `ty` contains a `target` inline (not behind a `Vec`, map or `Box`).
fn holds_by_value(graph: &TypeGraph, ty: &TypeRef, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
    let TypeRef::Named(id) = ty else {
        return false;
    };
    if *id == target {
        return true;
    }
    if seen.contains(id) {
        return false;
    }
    seen.push(*id);
    match &graph.get(*id).kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .any(|f| !f.boxed && holds_by_value(graph, &f.ty, target, seen)),
        TypeKind::Untagged(variants) => variants
            .iter()
            .any(|v| !v.boxed && holds_by_value(graph, &v.ty, target, seen)),
        TypeKind::Tagged { variants, .. } => variants
            .iter()
            .any(|v| !v.boxed && holds_by_value(graph, &v.ty, target, seen)),
        TypeKind::Alias(inner) | TypeKind::Newtype(inner) => {
            holds_by_value(graph, inner, target, seen)
        }
        TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Multipart(_) => false,
    }
}
