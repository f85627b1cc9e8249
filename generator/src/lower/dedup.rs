//! Folding structurally identical inline types into one.
//!
//! Specs without named schemas repeat the same inline object wherever it is used (a message,
//! a user, a room in every response that returns one). Each copy is first lowered under a name
//! from where it sits; this pass then folds copies whose definitions are equal (same fields,
//! same wire names, same field types, docs aside) into one, repeating until parents made equal by
//! folded children are folded too. Folding is safe: equal definitions serialize identically.
//!
//! The folded type keeps a name the spec's author gave one of the copies (a title, the key of
//! a response in `components/responses`), else the shortest name of the group (ties: the
//! first in alphabetical order), which depends only on the names of the copies, never on
//! document order; so adding an operation can rename a folded type only when it holds the
//! same structure.
//!
//! A user meets a type by its name where an operation uses it (a body, a response, a
//! parameter) and where a union names its alternatives; there the folded type's name would
//! belong to an unrelated operation. So a copy used in one of those places stays, as a type
//! alias of the folded type under its own name (`pub type PostChannelsArchiveBody =
//! PostImOpenBody;`). Copies met only as field types are dropped: aliases for them would cost
//! more than they explain.

use std::collections::{BTreeMap, HashSet};

use crate::model::{
    Docs, Example, Media, Operation, PartKind, TypeGraph, TypeId, TypeKind, TypeRef,
};

/// Folds identical definitions among those not in `keep` (component schemas keep their own
/// identity and name), then drops the folded copies and renumbers the graph.
pub(super) fn fold_identical(
    graph: &mut TypeGraph,
    operations: &mut [Operation],
    keep: &HashSet<TypeId>,
    authored: &HashSet<TypeId>,
    examples: &mut [Example],
) {
    // The alternatives of unions as lowered, each naming its own copy, before folding
    // redirects them.
    let variant_uses: Vec<(usize, usize, usize)> = graph
        .defs
        .iter()
        .enumerate()
        .flat_map(|(owner, def)| match &def.kind {
            TypeKind::Untagged(variants) => variants
                .iter()
                .enumerate()
                .filter_map(|(i, v)| match v.ty {
                    TypeRef::Named(id) => Some((owner, i, id.0)),
                    _ => None,
                })
                .collect(),
            _ => Vec::new(),
        })
        .collect();
    let mut target: Vec<usize> = (0..graph.defs.len()).collect();
    loop {
        let mut groups: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for (id, def) in graph.defs.iter().enumerate() {
            if target[id] == id && !keep.contains(&TypeId(id)) {
                groups.entry(shape_key(&def.kind)).or_default().push(id);
            }
        }
        let mut changed = false;
        for ids in groups.values().filter(|ids| ids.len() > 1) {
            // A name the spec's author gave (a title, a response's key) before one from a
            // place; then the shortest.
            let rank = |id: usize| {
                let name = &graph.defs[id].name;
                (!authored.contains(&TypeId(id)), name.len(), name)
            };
            let Some(&canonical) = ids.iter().min_by(|a, b| rank(**a).cmp(&rank(**b))) else {
                continue;
            };
            for &id in ids {
                if id != canonical {
                    target[id] = canonical;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
        for def in &mut graph.defs {
            each_kind_ref(&mut def.kind, &mut |ty| redirect(ty, &target));
        }
    }
    // Folded copies a user meets by name become aliases of what they folded into.
    let mut aliased = vec![false; graph.defs.len()];
    let mut mark = |ty: &mut TypeRef| {
        each_named(ty, &mut |id| aliased[id] |= target[id] != id);
    };
    for op in operations.iter_mut() {
        each_operation_ref(op, &mut mark);
    }
    for &(owner, _, id) in &variant_uses {
        aliased[id] |= target[owner] == owner && target[id] != id;
    }
    let names: Vec<String> = graph.defs.iter().map(|d| d.name.clone()).collect();
    for (id, def) in graph.defs.iter_mut().enumerate() {
        // A multipart body is read by its parts: it has to stay the definition itself.
        aliased[id] &= !matches!(def.kind, TypeKind::Multipart(_));
        if aliased[id] {
            def.kind = TypeKind::Alias(TypeRef::Named(TypeId(target[id])));
            let note = format!(
                "The spec repeats this schema elsewhere; one definition, [`{}`], serves all.",
                names[target[id]]
            );
            def.docs.description = Some(match def.docs.description.take() {
                Some(text) => format!("{text}\n\n{note}"),
                None => note,
            });
        }
    }
    for &(owner, i, id) in &variant_uses {
        if aliased[id] && target[owner] == owner {
            if let TypeKind::Untagged(variants) = &mut graph.defs[owner].kind {
                variants[i].ty = TypeRef::Named(TypeId(id));
            }
        }
    }
    // Renumber the definitions that remain, in their order.
    let kept: Vec<bool> = (0..graph.defs.len())
        .map(|id| target[id] == id || aliased[id])
        .collect();
    let mut new_index = vec![usize::MAX; graph.defs.len()];
    let mut next = 0;
    for (id, slot) in new_index.iter_mut().enumerate() {
        if kept[id] {
            *slot = next;
            next += 1;
        }
    }
    let renumber: Vec<usize> = (0..graph.defs.len())
        .map(|id| new_index[if kept[id] { id } else { target[id] }])
        .collect();
    let defs = std::mem::take(&mut graph.defs);
    graph.defs = defs
        .into_iter()
        .enumerate()
        .filter(|(id, _)| kept[*id])
        .map(|(_, mut def)| {
            each_kind_ref(&mut def.kind, &mut |ty| redirect(ty, &renumber));
            def
        })
        .collect();
    for op in operations {
        each_operation_ref(op, &mut |ty| redirect(ty, &renumber));
    }
    for example in examples {
        redirect(&mut example.ty, &renumber);
    }
}

/// A definition's structure with docs left out, as a comparable key.
fn shape_key(kind: &TypeKind) -> String {
    let mut kind = kind.clone();
    if let TypeKind::Struct(fields) = &mut kind {
        for field in fields {
            field.docs = Docs::default();
        }
    }
    format!("{kind:?}")
}

fn redirect(ty: &mut TypeRef, target: &[usize]) {
    match ty {
        TypeRef::Named(id) => id.0 = target[id.0],
        TypeRef::List(inner) | TypeRef::Map(inner) => redirect(inner, target),
        _ => {}
    }
}

/// The definitions a use names, through lists and maps.
pub(super) fn each_named(ty: &TypeRef, f: &mut dyn FnMut(usize)) {
    match ty {
        TypeRef::Named(id) => f(id.0),
        TypeRef::List(inner) | TypeRef::Map(inner) => each_named(inner, f),
        _ => {}
    }
}

pub(super) fn each_kind_ref(kind: &mut TypeKind, f: &mut dyn FnMut(&mut TypeRef)) {
    match kind {
        TypeKind::Struct(fields) => fields.iter_mut().for_each(|field| f(&mut field.ty)),
        TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Tagged { variants, .. } => variants.iter_mut().for_each(|v| f(&mut v.ty)),
        TypeKind::Multipart(parts) => {
            for part in parts {
                if let PartKind::Text(ty) | PartKind::Json(ty) = &mut part.kind {
                    f(ty);
                }
            }
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => f(ty),
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}

pub(super) fn each_operation_ref(op: &mut Operation, f: &mut dyn FnMut(&mut TypeRef)) {
    op.params.iter_mut().for_each(|p| f(&mut p.ty));
    let payloads = op
        .body
        .iter_mut()
        .map(|b| &mut b.payload)
        .chain(op.responses.iter_mut().filter_map(|r| r.body.as_mut()));
    for content in payloads.flat_map(|p| p.contents.iter_mut()) {
        match &mut content.media {
            Media::Json(ty) | Media::Form(ty) | Media::EventStream(ty) | Media::Items(ty, _) => {
                f(ty)
            }
            Media::Multipart(id) => {
                let mut named = TypeRef::Named(*id);
                f(&mut named);
                if let TypeRef::Named(new) = named {
                    *id = new;
                }
            }
            Media::Text | Media::Binary => {}
        }
    }
    for response in &mut op.responses {
        response.headers.iter_mut().for_each(|h| f(&mut h.ty));
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Field, TypeDef};

    fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            docs: Docs::default(),
            kind,
        }
    }

    fn field(name: &str, ty: TypeRef) -> Field {
        Field {
            name: name.to_owned(),
            api_name: name.to_owned(),
            ty,
            required: true,
            nullable: false,
            flatten: false,
            boxed: false,
            loose: false,
            default: None,
            constraints: Default::default(),
            access: crate::model::Access::ReadWrite,
            docs: Docs::default(),
        }
    }

    #[test]
    fn identical_structures_fold_to_the_shortest_name() {
        let user = || TypeKind::Struct(vec![field("id", TypeRef::String)]);
        let mut graph = TypeGraph {
            defs: vec![
                def("GetRoomOkOwner", user()),
                def(
                    "GetRoomOk",
                    TypeKind::Struct(vec![field("owner", TypeRef::Named(TypeId(0)))]),
                ),
                def("GetMeOk", user()),
                def(
                    "ListRoomsOkItem",
                    TypeKind::Struct(vec![field("owner", TypeRef::Named(TypeId(2)))]),
                ),
                def(
                    "Unrelated",
                    TypeKind::Struct(vec![field("n", TypeRef::I64)]),
                ),
            ],
            ..TypeGraph::default()
        };
        fold_identical(
            &mut graph,
            &mut [],
            &HashSet::new(),
            &HashSet::new(),
            &mut [],
        );
        let names: Vec<&str> = graph.defs.iter().map(|d| d.name.as_str()).collect();
        assert_eq!(names, ["GetRoomOk", "GetMeOk", "Unrelated"]);
        assert_eq!(
            graph.defs[0].kind,
            TypeKind::Struct(vec![field("owner", TypeRef::Named(TypeId(1)))])
        );
    }

    #[test]
    fn a_folded_alternative_keeps_its_name_as_an_alias() {
        let user = || TypeKind::Struct(vec![field("id", TypeRef::String)]);
        let mut graph = TypeGraph {
            defs: vec![
                def("GetMeOk", user()),
                def("PostRoomBodyUser", user()),
                def(
                    "PostRoomBody",
                    TypeKind::Untagged(vec![crate::model::UntaggedVariant {
                        name: "User".to_owned(),
                        ty: TypeRef::Named(TypeId(1)),
                        boxed: false,
                        claim: None,
                        keys: None,
                        constraints: Default::default(),
                    }]),
                ),
            ],
            ..TypeGraph::default()
        };
        fold_identical(
            &mut graph,
            &mut [],
            &HashSet::new(),
            &HashSet::new(),
            &mut [],
        );
        assert_eq!(graph.defs[1].name, "PostRoomBodyUser");
        assert_eq!(
            graph.defs[1].kind,
            TypeKind::Alias(TypeRef::Named(TypeId(0)))
        );
        let TypeKind::Untagged(variants) = &graph.defs[2].kind else {
            panic!("not a union");
        };
        assert_eq!(variants[0].ty, TypeRef::Named(TypeId(1)));
    }
}
