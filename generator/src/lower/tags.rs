//! The tag of a discriminated union belongs to the variant, not to the caller.
//!
//! A variant's schema declares the discriminating property (the spec requires it), so its
//! struct would have a field the caller fills, free to contradict the variant it sits in
//! (`Shape::Circle(Circle { kind: "square", .. })`). Where a struct is used only as a variant
//! of unions discriminated by that one property, the field goes: the union writes the tag
//! itself and reads past it. A struct used elsewhere too keeps the field, and the union
//! overwrites it when writing (see `serialize_tagged` in the emitted types).

use super::dedup::{each_kind_ref, each_named, each_operation_ref};
use crate::model::{Example, Operation, TypeGraph, TypeKind, TypeRef};

/// Where a definition is used.
#[derive(Clone, PartialEq)]
enum Uses {
    None,
    /// Only as a variant of unions discriminated by this property.
    Variant(String),
    /// Anywhere else, or as variants of unions that disagree on the property.
    Other,
}

pub(super) fn drop_variant_tags(
    graph: &mut TypeGraph,
    operations: &mut [Operation],
    examples: &[Example],
) {
    let mut uses = vec![Uses::None; graph.defs.len()];
    let mut other = |id: usize| uses[id] = Uses::Other;
    let mut variants = Vec::new();
    for def in &mut graph.defs {
        match &mut def.kind {
            TypeKind::Tagged {
                property,
                variants: tagged,
            } => {
                for v in tagged.iter() {
                    if let TypeRef::Named(id) = v.ty {
                        variants.push((id.0, property.clone()));
                    }
                }
            }
            kind => each_kind_ref(kind, &mut |ty| each_named(ty, &mut other)),
        }
    }
    for op in operations.iter_mut() {
        each_operation_ref(op, &mut |ty| each_named(ty, &mut other));
    }
    for example in examples {
        each_named(&example.ty, &mut other);
    }
    for (id, property) in variants {
        uses[id] = match &uses[id] {
            Uses::None => Uses::Variant(property),
            Uses::Variant(p) if *p == property => Uses::Variant(property),
            _ => Uses::Other,
        };
    }
    for (def, uses) in graph.defs.iter_mut().zip(uses) {
        if let (TypeKind::Struct(fields), Uses::Variant(property)) = (&mut def.kind, uses) {
            fields.retain(|f| f.flatten || f.api_name != property);
        }
    }
}
