//! Folding structurally identical inline types into one.
//!
//! Specs without named schemas repeat the same inline object wherever it is used (a message,
//! a user, a room in every response that returns one). Each copy is first lowered under a name
//! from where it sits; this pass then folds copies whose definitions are equal (same fields,
//! same wire names, same field types, docs aside) into one, repeating until parents made equal by
//! folded children are folded too. Folding is safe: equal definitions serialize identically.
//!
//! The folded type keeps a name the spec's author gave one of the copies (a title, the key of
//! a response in `components/responses`), else a name from what the copies share (see
//! [`name_by_common_ending`]), else the shortest name of the group (ties: the first in
//! alphabetical order). These depend only on the names and shapes of the copies, never on
//! document order; so adding an operation can rename a folded type only when it holds the
//! same structure.
//!
//! A user meets a type by its name where an operation uses it (a body, a response, a
//! parameter) and where a union names its alternatives; there the folded type's name would
//! belong to an unrelated operation. So a copy used in one of those places stays, as a type
//! alias of the folded type under its own name (`pub type PostChannelsKickBody =
//! RoomIdUserId;`), the copy whose definition was kept too where that one is renamed.
//! Copies met only as field types are dropped: aliases for them would cost more than they
//! explain.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::hash::{DefaultHasher, Hasher};

use super::{pascal, Namespace};
use crate::model::{
    Docs, Example, Media, Operation, PartKind, TypeDef, TypeGraph, TypeId, TypeKind, TypeRef,
};

/// Folds identical definitions among those not in `keep` (component schemas keep their own
/// identity and name), then drops the folded copies and renumbers the graph.
pub(super) fn fold_identical(
    graph: &mut TypeGraph,
    operations: &mut [Operation],
    keep: &HashSet<TypeId>,
    authored: &HashSet<TypeId>,
    type_names: &mut Namespace,
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
    // Each definition's hash, kept from round to round until a fold changes it.
    let mut hashes: Vec<Option<u64>> = vec![None; graph.defs.len()];
    loop {
        let mut changed = false;
        for ids in identical_shapes(graph, &target, keep, &mut hashes) {
            // A name the spec's author gave (a title, a response's key) before one from a
            // place; then the shortest.
            let rank = |id: usize| {
                let name = &graph.defs[id].name;
                (!authored.contains(&TypeId(id)), name.len(), name)
            };
            let Some(&canonical) = ids.iter().min_by(|a, b| rank(**a).cmp(&rank(**b))) else {
                continue;
            };
            for &id in &ids {
                if id != canonical {
                    target[id] = canonical;
                    changed = true;
                }
            }
        }
        if !changed {
            break;
        }
        for (def, hash) in graph.defs.iter_mut().zip(&mut hashes) {
            each_kind_ref(&mut def.kind, &mut |ty| {
                if redirect(ty, &target) {
                    *hash = None;
                }
            });
        }
    }
    // A canonical type of one round may fold into another in a later one: every copy points
    // at the end of its chain.
    for id in 0..target.len() {
        let mut root = id;
        while target[root] != root {
            root = target[root];
        }
        target[id] = root;
    }
    let renamed = name_by_common_ending(graph, &target, authored, type_names);
    // The operations that used a renamed type under their own name still do: that name
    // stays, an alias of the renamed type, as every other copy's is.
    let mut own_names: BTreeMap<usize, usize> = BTreeMap::new();
    for op in operations.iter_mut() {
        each_operation_ref(op, &mut |ty| {
            each_named(ty, &mut |id| {
                if let Some(old) = renamed.get(&id) {
                    own_names.entry(id).or_insert_with(|| {
                        graph.defs.push(TypeDef {
                            name: old.clone(),
                            docs: graph.defs[id].docs.clone(),
                            kind: TypeKind::Alias(TypeRef::Named(TypeId(id))),
                        });
                        target.push(graph.defs.len() - 1);
                        graph.defs.len() - 1
                    });
                }
            })
        });
        each_operation_ref(op, &mut |ty| rename_use(ty, &own_names));
    }
    // Folded copies a user meets by name become aliases of what they folded into.
    let mut aliased = vec![false; graph.defs.len()];
    for &alias in own_names.values() {
        aliased[alias] = true;
    }
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
            if target[id] != id {
                def.kind = TypeKind::Alias(TypeRef::Named(TypeId(target[id])));
            }
            let TypeKind::Alias(TypeRef::Named(of)) = def.kind else {
                continue;
            };
            let note = format!(
                "The spec repeats this schema elsewhere; one definition, [`{}`], serves all.",
                names[of.0]
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
            each_kind_ref(&mut def.kind, &mut |ty| {
                redirect(ty, &renumber);
            });
            def
        })
        .collect();
    for op in operations {
        each_operation_ref(op, &mut |ty| {
            redirect(ty, &renumber);
        });
    }
    for example in examples {
        redirect(&mut example.ty, &renumber);
    }
}

/// Words that say where a type sits, not what it is: an ending made only of these names
/// nothing (`OkData`, `BodyItem`).
const PLACE_WORDS: &[&str] = &[
    "Body",
    "Item",
    "Json",
    "Form",
    "Multipart",
    "Data",
    "Value",
    "Request",
    "Response",
    "Ok",
    "Created",
    "Accepted",
    "NoContent",
    "Default",
    "Success",
    "Error",
    "BadRequest",
    "Unauthorized",
    "Forbidden",
    "NotFound",
    "Conflict",
];

/// Names for folded types that no copy's place gives well.
///
/// A folded type whose copies were all named with the same last words (`PostChannelsKickBody`
/// and `PostGroupsKickBody` end in `KickBody`; `GetRoomOkOwner` and `ListRoomsOkItemOwner` in
/// `Owner`), and that do not begin with the same two words or more (siblings such as
/// `PostLoginOkData` and `PostLoginGoogleOkData` keep the shortest), is named by those
/// words: the part of the name its copies agree on, rather than the whole name of one of
/// them. Only where those words say more than a place (one of them is no [`PLACE_WORDS`]
/// and has three letters or more), no other folded type ends the same way, no type has the
/// name yet, and none of the copies has a name its author gave. A folded object of two or
/// three fields whose copies agree on no such ending is named by its fields (`{roomId,
/// userId}` bodies of `kick` and `addOwner`: `RoomIdUserIdBody`), on the same conditions.
fn name_by_common_ending(
    graph: &mut TypeGraph,
    target: &[usize],
    authored: &HashSet<TypeId>,
    names: &mut Namespace,
) -> BTreeMap<usize, String> {
    let mut renamed = BTreeMap::new();
    let mut groups: BTreeMap<usize, Vec<usize>> = BTreeMap::new();
    for (id, &root) in target.iter().enumerate() {
        groups.entry(root).or_default().push(id);
    }
    let mut endings: BTreeMap<String, Vec<usize>> = BTreeMap::new();
    for (root, ids) in &groups {
        if ids.len() < 2 || ids.iter().any(|id| authored.contains(&TypeId(*id))) {
            continue;
        }
        let words: Vec<Vec<&str>> = ids
            .iter()
            .map(|&id| pascal_words(&graph.defs[id].name))
            .collect();
        let shortest = words.iter().map(Vec::len).min().unwrap_or(0);
        let common = (0..shortest)
            .take_while(|&n| {
                let word = words[0][words[0].len() - 1 - n];
                words.iter().all(|w| w[w.len() - 1 - n] == word)
            })
            .count();
        // Copies that begin alike (`PostLoginOkData`, `PostLoginGoogleOkData`: a method and
        // more) are siblings, and the shortest name is the general one; so is a copy whose
        // whole name is the ending.
        let prefix = (0..shortest)
            .take_while(|&n| words.iter().all(|w| w[n] == words[0][n]))
            .count();
        if common == shortest || prefix >= 2 {
            continue;
        }
        // Place words in front say where the first copy sat (`OkData` of `OkDataSettings`).
        let mut ending = &words[0][words[0].len() - common..];
        while let [first, rest @ ..] = ending {
            if rest.is_empty() || !PLACE_WORDS.contains(first) {
                break;
            }
            ending = rest;
        }
        let telling = ending
            .iter()
            .any(|w| w.len() >= 3 && !PLACE_WORDS.contains(w));
        let name = if telling {
            ending.concat()
        } else {
            // Copies from unrelated places (`kick`, `addOwner`) of a small object: its fields
            // say what it is (`RoomIdUserIdBody`), where one copy's place would mislead.
            match &graph.defs[*root].kind {
                TypeKind::Struct(fields) if (2..=3).contains(&fields.len()) => {
                    let mut name: String = fields
                        .iter()
                        .map(|f| pascal(&f.api_name, "Field"))
                        .collect();
                    name.push_str(ending.last().copied().unwrap_or_default());
                    name
                }
                _ => continue,
            }
        };
        endings.entry(name).or_default().push(*root);
    }
    for (name, roots) in endings {
        if let [root] = roots[..] {
            if !names.is_taken(&name) && !name.starts_with(|c: char| c.is_ascii_digit()) {
                let old = std::mem::replace(&mut graph.defs[root].name, names.claim(name));
                renamed.insert(root, old);
            }
        }
    }
    renamed
}

/// Points each use of a key of `to` at its value, through lists and maps.
fn rename_use(ty: &mut TypeRef, to: &BTreeMap<usize, usize>) {
    match ty {
        TypeRef::Named(id) => {
            if let Some(&new) = to.get(&id.0) {
                id.0 = new;
            }
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => rename_use(inner, to),
        _ => {}
    }
}

/// The words of a PascalCase name: each starts at an upper-case letter (`GetRoomOkOwner` →
/// `Get`, `Room`, `Ok`, `Owner`); digits stay with the word before them.
fn pascal_words(name: &str) -> Vec<&str> {
    let mut words = Vec::new();
    let mut start = 0;
    for (i, c) in name.char_indices().skip(1) {
        if c.is_ascii_uppercase() {
            words.push(&name[start..i]);
            start = i;
        }
    }
    words.push(&name[start..]);
    words
}

/// The groups of two or more definitions (each its own target, none kept) whose
/// structures, docs left out, are the same: the same [`shape_key`], in no set order (the
/// groups are disjoint, so folding them in any order gives the same result). Each
/// definition's key is first hashed (its text written, hashed and let go before the next),
/// and the text is kept only for those whose hash another shares, to tell a true match from
/// a collision: most inline types are unlike any other, and the texts of all of them at
/// once were a large part of lower's peak.
fn identical_shapes(
    graph: &mut TypeGraph,
    target: &[usize],
    keep: &HashSet<TypeId>,
    hashes: &mut [Option<u64>],
) -> Vec<Vec<usize>> {
    let mut by_hash: HashMap<u64, Vec<usize>> = HashMap::new();
    // One definition's text at a time, hashed whole: hashing each of the many small
    // pieces `Debug` writes as it came cost more than writing them.
    let mut text = String::new();
    for (id, def) in graph.defs.iter_mut().enumerate() {
        if target[id] == id && !keep.contains(&TypeId(id)) {
            let hash = *hashes[id].get_or_insert_with(|| {
                text.clear();
                // Writing to a string does not fail (nor does a derived `Debug`).
                let _ = with_shape(&mut def.kind, |kind| write!(text, "{kind:?}"));
                let mut hasher = DefaultHasher::new();
                hasher.write(text.as_bytes());
                hasher.finish()
            });
            by_hash.entry(hash).or_default().push(id);
        }
    }
    let mut groups = Vec::new();
    for ids in by_hash.into_values().filter(|ids| ids.len() > 1) {
        let mut same: BTreeMap<String, Vec<usize>> = BTreeMap::new();
        for id in ids {
            same.entry(shape_key(&mut graph.defs[id].kind))
                .or_default()
                .push(id);
        }
        groups.extend(same.into_values().filter(|ids| ids.len() > 1));
    }
    groups
}

/// A definition's structure with docs left out, as a comparable key.
fn shape_key(kind: &mut TypeKind) -> String {
    with_shape(kind, |kind| format!("{kind:?}"))
}

/// `f` of the definition with its fields' docs left out (taken out and put back: the
/// definition is not copied).
fn with_shape<T>(kind: &mut TypeKind, f: impl FnOnce(&TypeKind) -> T) -> T {
    let docs: Vec<Docs> = match kind {
        TypeKind::Struct(fields) => fields
            .iter_mut()
            .map(|f| std::mem::take(&mut f.docs))
            .collect(),
        _ => Vec::new(),
    };
    let result = f(kind);
    if let TypeKind::Struct(fields) = kind {
        for (field, docs) in fields.iter_mut().zip(docs) {
            field.docs = docs;
        }
    }
    result
}

/// Points the use at its target; whether that moved it.
fn redirect(ty: &mut TypeRef, target: &[usize]) -> bool {
    match ty {
        TypeRef::Named(id) => {
            let was = id.0;
            id.0 = target[was];
            id.0 != was
        }
        TypeRef::List(inner) | TypeRef::Map(inner) => redirect(inner, target),
        _ => false,
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
pub(super) mod tests {
    use super::*;
    use crate::model::{Field, TypeDef};

    pub(in crate::lower) fn def(name: &str, kind: TypeKind) -> TypeDef {
        TypeDef {
            name: name.to_owned(),
            docs: Docs::default(),
            kind,
        }
    }

    pub(in crate::lower) fn field(name: &str, ty: TypeRef) -> Field {
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
            &mut Namespace::default(),
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
            &mut Namespace::default(),
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
