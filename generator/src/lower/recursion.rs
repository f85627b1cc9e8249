//! Passes over the whole type graph once every schema is lowered: making recursive types
//! finite.

use crate::model::{TypeGraph, TypeId, TypeKind, TypeRef};

/// Turns aliases that refer to themselves (`Tree = Vec<Tree>`, `A = B`, `B = A`) into
/// newtypes: a Rust type alias cannot name itself, a struct can.
pub(super) fn break_alias_cycles(graph: &mut TypeGraph) {
    for id in 0..graph.defs.len() {
        let TypeKind::Alias(ty) = &graph.defs[id].kind else {
            continue;
        };
        if alias_reaches(graph, ty, TypeId(id), &mut Vec::new()) {
            let ty = ty.clone();
            graph.defs[id].kind = TypeKind::Newtype(ty);
        }
    }
}

/// Whether expanding `ty` through aliases (and containers) reaches `target`.
fn alias_reaches(graph: &TypeGraph, ty: &TypeRef, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => alias_reaches(graph, inner, target, seen),
        TypeRef::Named(id) if *id == target => true,
        TypeRef::Named(id) if !seen.contains(id) => {
            seen.push(*id);
            match &graph.get(*id).kind {
                TypeKind::Alias(inner) => alias_reaches(graph, inner, target, seen),
                _ => false,
            }
        }
        _ => false,
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
