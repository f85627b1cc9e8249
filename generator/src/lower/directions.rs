//! readOnly and writeOnly: one schema, two shapes on the wire.
//!
//! A readOnly property is sent by the server only, a writeOnly property by the client only.
//! A type with such fields (or holding such a type) stays under its own name in the form a
//! client reads (writeOnly fields left out), and, when requests use it, gets a twin
//! `{Name}Request` in the form a client sends (readOnly fields left out). Each keeps the
//! spec's `required`, so a response's readOnly `id` is as required as the spec says.

use std::collections::BTreeMap;

use super::Lowerer;
use crate::model::{
    Access, Media, Operation, PartKind, TypeDef, TypeGraph, TypeId, TypeKind, TypeRef,
};

impl Lowerer<'_> {
    pub(super) fn split_directions(&mut self, operations: &mut [Operation]) {
        let one_way = one_way_types(&self.graph);
        if !one_way.iter().any(|b| *b) {
            return;
        }
        let mut reached = vec![false; self.graph.defs.len()];
        for op in operations.iter() {
            for param in &op.params {
                reachable(&self.graph, &param.ty, &mut reached);
            }
            for content in op.body.iter().flat_map(|b| &b.payload.contents) {
                match &content.media {
                    Media::Json(ty)
                    | Media::Form(ty)
                    | Media::EventStream(ty)
                    | Media::Items(ty, _) => reachable(&self.graph, ty, &mut reached),
                    Media::Multipart(id) => {
                        reachable(&self.graph, &TypeRef::Named(*id), &mut reached)
                    }
                    Media::Text | Media::Binary => {}
                }
            }
        }
        let reached: Vec<TypeId> = (0..reached.len())
            .filter(|id| reached[*id] && one_way[*id])
            .map(TypeId)
            .collect();
        let mut twins: BTreeMap<TypeId, TypeId> = BTreeMap::new();
        for id in reached {
            let def = self.graph.get(id);
            let twin = TypeDef {
                name: String::new(),
                docs: def.docs.clone(),
                kind: def.kind.clone(),
            };
            let hint = format!("{}Request", def.name);
            twins.insert(id, self.define(&hint, twin));
        }
        for &twin in twins.values() {
            let kind = &mut self.graph.defs[twin.0].kind;
            if let TypeKind::Struct(fields) = kind {
                fields.retain(|f| f.access != Access::ReadOnly);
            }
            rewrite_kind(kind, &twins);
        }
        // The originals (not their twins, defined after them) are the form a client reads.
        for def in self.graph.defs.iter_mut().take(one_way.len()) {
            if let TypeKind::Struct(fields) = &mut def.kind {
                fields.retain(|f| f.access != Access::WriteOnly);
            }
        }
        for op in operations {
            for param in &mut op.params {
                rewrite(&mut param.ty, &twins);
            }
            for content in op.body.iter_mut().flat_map(|b| &mut b.payload.contents) {
                match &mut content.media {
                    Media::Json(ty)
                    | Media::Form(ty)
                    | Media::EventStream(ty)
                    | Media::Items(ty, _) => rewrite(ty, &twins),
                    // A multipart body is a request type already: its parts take the twins.
                    Media::Multipart(id) => rewrite_kind(&mut self.graph.defs[id.0].kind, &twins),
                    Media::Text | Media::Binary => {}
                }
            }
        }
    }
}

/// Which definitions differ by direction: a struct with a readOnly or writeOnly field, or
/// anything holding one.
fn one_way_types(graph: &TypeGraph) -> Vec<bool> {
    let mut one_way: Vec<bool> = graph
        .defs
        .iter()
        .map(|d| matches!(&d.kind, TypeKind::Struct(fields) if fields.iter().any(|f| f.access != Access::ReadWrite)))
        .collect();
    loop {
        let mut changed = false;
        for (id, def) in graph.defs.iter().enumerate() {
            if !one_way[id] && def.kind.held_refs().iter().any(|r| holds(r, &one_way)) {
                one_way[id] = true;
                changed = true;
            }
        }
        if !changed {
            return one_way;
        }
    }
}

fn holds(ty: &TypeRef, marked: &[bool]) -> bool {
    match ty {
        TypeRef::Named(id) => marked[id.0],
        TypeRef::List(inner) | TypeRef::Map(inner) => holds(inner, marked),
        _ => false,
    }
}

/// Marks every definition a use of `ty` can reach.
fn reachable(graph: &TypeGraph, ty: &TypeRef, reached: &mut [bool]) {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => reachable(graph, inner, reached),
        TypeRef::Named(id) if !reached[id.0] => {
            reached[id.0] = true;
            for inner in graph.get(*id).kind.held_refs() {
                reachable(graph, inner, reached);
            }
        }
        _ => {}
    }
}

fn rewrite(ty: &mut TypeRef, twins: &BTreeMap<TypeId, TypeId>) {
    match ty {
        TypeRef::List(inner) | TypeRef::Map(inner) => rewrite(inner, twins),
        TypeRef::Named(id) => {
            if let Some(twin) = twins.get(id) {
                *id = *twin;
            }
        }
        _ => {}
    }
}

fn rewrite_kind(kind: &mut TypeKind, twins: &BTreeMap<TypeId, TypeId>) {
    match kind {
        TypeKind::Struct(fields) => fields.iter_mut().for_each(|f| rewrite(&mut f.ty, twins)),
        TypeKind::Untagged(variants) => variants.iter_mut().for_each(|v| rewrite(&mut v.ty, twins)),
        TypeKind::Tagged { variants, .. } => {
            variants.iter_mut().for_each(|v| rewrite(&mut v.ty, twins))
        }
        TypeKind::Alias(ty) | TypeKind::Newtype(ty) => rewrite(ty, twins),
        TypeKind::Multipart(parts) => {
            for part in parts {
                if let PartKind::Text(ty) | PartKind::Json(ty) = &mut part.kind {
                    rewrite(ty, twins);
                }
            }
        }
        TypeKind::Enum(_) | TypeKind::IntEnum(_) => {}
    }
}
