//! Passes over the whole type graph once every schema is lowered: making recursive types
//! finite.

use crate::model::{TypeGraph, TypeId, TypeKind, TypeRef};

/// Turns aliases that refer to themselves through a container (`Tree = Vec<Tree>`) into
/// newtypes: a Rust type alias cannot name itself, a struct can. Aliases that only name each
/// other (`A = B`, `B = A`) describe no value at all; they become any JSON value. Of each
/// cycle, the alias declared first is changed, which breaks it.
///
/// Each alias names at most one type, so the aliases are followed once each, in one walk
/// (following each alias's chain anew was cubic in a chain's length: 20,000 `$ref`s in a
/// row took minutes, and recursed once per link).
pub(super) fn break_alias_cycles(graph: &mut TypeGraph) -> Vec<TypeId> {
    #[derive(Clone, Copy, PartialEq)]
    enum Walk {
        New,
        OnPath,
        Done,
    }
    let mut state = vec![Walk::New; graph.defs.len()];
    // The first alias of each cycle, and whether a container is on the cycle.
    let mut cycles = Vec::new();
    for start in 0..graph.defs.len() {
        let mut path: Vec<(usize, bool)> = Vec::new();
        let mut at = start;
        while state[at] == Walk::New {
            let Some((next, contained)) = alias_target(graph, at) else {
                break;
            };
            state[at] = Walk::OnPath;
            path.push((at, contained));
            if state[next] == Walk::OnPath {
                let from = path.iter().position(|(id, _)| *id == next).unwrap_or(0);
                let cycle = &path[from..];
                let first = cycle.iter().map(|(id, _)| *id).min().unwrap_or(next);
                cycles.push((first, cycle.iter().any(|(_, c)| *c)));
                break;
            }
            at = next;
        }
        for (id, _) in path {
            state[id] = Walk::Done;
        }
    }
    cycles.sort_unstable();
    let mut empty_cycles = Vec::new();
    for (id, contained) in cycles {
        let TypeKind::Alias(ty) = &graph.defs[id].kind else {
            continue;
        };
        if contained {
            graph.defs[id].kind = TypeKind::Newtype(ty.clone());
        } else {
            graph.defs[id].kind = TypeKind::Alias(TypeRef::Any);
            *graph.fallbacks.entry("$ref cycle").or_default() += 1;
            empty_cycles.push(TypeId(id));
        }
    }
    empty_cycles
}

/// The alias a definition that is an alias names (through lists and maps: then `true`).
fn alias_target(graph: &TypeGraph, id: usize) -> Option<(usize, bool)> {
    let TypeKind::Alias(named) = &graph.defs[id].kind else {
        return None;
    };
    let mut ty = named;
    let mut contained = false;
    while let TypeRef::List(inner) | TypeRef::Map(inner) = ty {
        ty = inner;
        contained = true;
    }
    match ty {
        TypeRef::Named(next) if matches!(graph.get(*next).kind, TypeKind::Alias(_)) => {
            Some((next.0, contained))
        }
        _ => None,
    }
}

/// Boxes each struct field and enum variant whose type holds its own type by value, so
/// recursive types have a finite size. Definitions are taken in order, and a field boxed
/// for one is no longer a way back for the next. Only a type in the definition's strongly
/// connected component can lead back to it: the others are not searched (searching the
/// whole graph for each field was cubic in a chain of 20,000 object `$ref`s).
pub(super) fn mark_boxed(graph: &mut TypeGraph) {
    let component = components(graph);
    for id in 0..graph.defs.len() {
        let target = TypeId(id);
        let holds = |ty: &TypeRef| holds_by_value(graph, ty, target, &component);
        let boxed: Vec<bool> = match &graph.defs[id].kind {
            TypeKind::Struct(fields) => fields.iter().map(|f| holds(&f.ty)).collect(),
            TypeKind::Untagged(variants) => variants.iter().map(|v| holds(&v.ty)).collect(),
            TypeKind::Tagged { variants, .. } => variants.iter().map(|v| holds(&v.ty)).collect(),
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

/// The definitions a value of definition `id` holds inline (not behind a `Vec`, map or
/// `Box`).
fn held_by_value(graph: &TypeGraph, id: TypeId) -> Vec<TypeId> {
    let named = |ty: &TypeRef| match ty {
        TypeRef::Named(id) => Some(*id),
        _ => None,
    };
    match &graph.get(id).kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .filter(|f| !f.boxed)
            .filter_map(|f| named(&f.ty))
            .collect(),
        TypeKind::Untagged(variants) => variants
            .iter()
            .filter(|v| !v.boxed)
            .filter_map(|v| named(&v.ty))
            .collect(),
        TypeKind::Tagged { variants, .. } => variants
            .iter()
            .filter(|v| !v.boxed)
            .filter_map(|v| named(&v.ty))
            .collect(),
        TypeKind::Alias(inner) | TypeKind::Newtype(inner) => named(inner).into_iter().collect(),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Multipart(_) => Vec::new(),
    }
}

/// Whether a value of `ty` contains a `target` inline: a search within the target's
/// component, without recursing.
fn holds_by_value(graph: &TypeGraph, ty: &TypeRef, target: TypeId, component: &[usize]) -> bool {
    let TypeRef::Named(first) = ty else {
        return false;
    };
    let within = |id: &TypeId| component[id.0] == component[target.0];
    if !within(first) {
        return false;
    }
    let mut seen = std::collections::HashSet::new();
    let mut pending = vec![*first];
    while let Some(id) = pending.pop() {
        if id == target {
            return true;
        }
        if seen.insert(id) {
            pending.extend(held_by_value(graph, id).into_iter().filter(within));
        }
    }
    false
}

/// The strongly connected component of each definition in the graph of types held by
/// value (Kosaraju's two passes, without recursing): a number per definition.
fn components(graph: &TypeGraph) -> Vec<usize> {
    let n = graph.defs.len();
    let edges: Vec<Vec<TypeId>> = (0..n).map(|id| held_by_value(graph, TypeId(id))).collect();
    let mut reverse: Vec<Vec<usize>> = vec![Vec::new(); n];
    for (from, targets) in edges.iter().enumerate() {
        for to in targets {
            reverse[to.0].push(from);
        }
    }
    // First pass: the order in which definitions are finished.
    let mut finished = Vec::with_capacity(n);
    let mut visited = vec![false; n];
    for start in 0..n {
        if visited[start] {
            continue;
        }
        visited[start] = true;
        let mut stack = vec![(start, 0)];
        while let Some((id, next)) = stack.last_mut() {
            if let Some(to) = edges[*id].get(*next) {
                *next += 1;
                if !visited[to.0] {
                    visited[to.0] = true;
                    stack.push((to.0, 0));
                }
            } else {
                finished.push(*id);
                stack.pop();
            }
        }
    }
    // Second pass: on the reversed graph, latest finished first.
    let mut component = vec![usize::MAX; n];
    for (number, &start) in finished.iter().rev().enumerate() {
        if component[start] != usize::MAX {
            continue;
        }
        component[start] = number;
        let mut pending = vec![start];
        while let Some(id) = pending.pop() {
            for &from in &reverse[id] {
                if component[from] == usize::MAX {
                    component[from] = number;
                    pending.push(from);
                }
            }
        }
    }
    component
}
