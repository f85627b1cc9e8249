//! allOf → one struct holding every part's properties; an allOf of primitives → that
//! primitive; an allOf of objects and one union → a union of the merged objects.

use openapiv3::{ReferenceOr, Schema, SchemaKind, Type};

use super::fields::additional_field;
use super::types::ObjectParts;
use super::types::Shape;
use super::{component_name, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{Docs, Field, TypeGraph, TypeKind, TypeRef, UntaggedVariant};

impl<'a> Lowerer<'a> {
    /// allOf becomes one struct holding the fields of every part, nested allOfs included.
    /// Parts that say nothing about the value (only a description, `nullable`) are skipped;
    /// a part that is not an object cannot be merged exactly, so the whole falls back to
    /// any JSON value. `extra` is an object schema written beside the parts, at `pointer`;
    /// each part comes with its own pointer.
    pub(super) fn lower_all_of(
        &mut self,
        parts: Vec<(String, &'a ReferenceOr<Schema>)>,
        extra: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let meaningful: Vec<(String, &'a ReferenceOr<Schema>)> = parts
            .into_iter()
            .filter(|(_, part)| !matches!(part, ReferenceOr::Item(s) if says_nothing(s)))
            .collect();
        if let ([(part_pointer, only)], None) = (meaningful.as_slice(), &extra) {
            return Shape::Use(self.lower_schema(only, hint, part_pointer));
        }
        if extra.is_none() {
            if let Some((part_pointer, part)) = self.primitive_part(&meaningful) {
                return Shape::Use(self.lower_schema(part, hint, &part_pointer));
            }
        }
        if let Some(shape) = self.all_of_union(&meaningful, extra, hint, pointer) {
            return shape;
        }
        // An inline allOf whose parts hold it again (`Cat.siblings.items: {allOf: [{rank},
        // {$ref: Cat}]}`) would be merged anew at each turn: the inner one is read loosely.
        let key = meaningful
            .first()
            .map(|(_, part)| std::ptr::from_ref(*part));
        if key.is_some_and(|key| self.merging.contains(&key)) {
            let why = "this inline allOf holds itself through one of its parts' properties";
            return Shape::Use(self.loosen("all-of", pointer, why, "allOf holding itself"));
        }
        self.merging.extend(key);
        let merged = self.merge_parts(meaningful, extra, hint, pointer);
        if key.is_some() {
            self.merging.pop();
        }
        let merged = match merged {
            Ok(merged) => merged,
            Err(shape) => return shape,
        };
        let Merged {
            mut fields,
            mut names,
            additional,
            required,
        } = merged;
        for field in &mut fields {
            if required.contains(&field.api_name.as_str()) {
                field.required = true;
                // A required property never takes its default.
                field.default = None;
            }
        }
        if let Some(values) = additional {
            fields.push(additional_field(values, &mut names));
        }
        Shape::Define(TypeKind::Struct(fields))
    }

    /// Every part merged into one struct, then `extra`; `Err` is the shape the whole falls
    /// back to when a part is not an object.
    fn merge_parts(
        &mut self,
        parts: Vec<(String, &'a ReferenceOr<Schema>)>,
        extra: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Result<Merged<'a>, Shape> {
        let mut merged = Merged::default();
        for (part_pointer, part) in parts {
            match self.merge_part(part, hint, &part_pointer, &mut merged, 0) {
                Ok(()) => {}
                Err(Some((at, why))) => {
                    return Err(Shape::Use(self.loosen(
                        "all-of",
                        &at,
                        &why,
                        "allOf of a non-object part",
                    )))
                }
                Err(None) => return Err(Shape::Use(self.any("allOf with a dangling $ref"))),
            }
        }
        if let Some(object) = extra {
            self.merge_object(&object, hint, pointer, &mut merged);
        }
        Ok(merged)
    }

    /// An allOf of objects and one union (`allOf: [{$ref: Base}, {oneOf: [A, B]}]`, the
    /// usual way to say "a Base, and one of these"): a union whose alternatives are the
    /// objects merged with each alternative of the union. `None` when no part, or more than
    /// one, is a union.
    fn all_of_union(
        &mut self,
        parts: &[(String, &'a ReferenceOr<Schema>)],
        extra: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Option<Shape> {
        let mut unions = parts.iter().enumerate().filter_map(|(i, (at, part))| {
            let schema = match part {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => self.resolve_quietly(reference)?,
            };
            let (keyword, alternatives) = match &schema.schema_kind {
                SchemaKind::OneOf { one_of } => ("oneOf", one_of),
                SchemaKind::AnyOf { any_of } => ("anyOf", any_of),
                SchemaKind::Any(a) if a.properties.is_empty() && a.all_of.is_empty() => {
                    match (a.one_of.is_empty(), a.any_of.is_empty()) {
                        (false, true) => ("oneOf", &a.one_of),
                        (true, false) => ("anyOf", &a.any_of),
                        _ => return None,
                    }
                }
                _ => return None,
            };
            let at = match part {
                ReferenceOr::Item(_) => pointer_push(at, keyword),
                // The alternatives sit in the component.
                ReferenceOr::Reference { reference } => pointer_push(
                    &pointer_push(
                        "/components/schemas",
                        &component_name(reference, "schemas")?,
                    ),
                    keyword,
                ),
            };
            Some((i, at, &alternatives[..]))
        });
        let (index, at, alternatives) = unions.next()?;
        if unions.next().is_some() || alternatives.len() < 2 {
            return None;
        }
        let names = self.variant_names(alternatives, None);
        let mut variants = Vec::new();
        for (k, (alternative, name)) in alternatives.iter().zip(names).enumerate() {
            let mut merged: Vec<(String, &'a ReferenceOr<Schema>)> = parts
                .iter()
                .enumerate()
                .filter(|(i, _)| *i != index)
                .map(|(_, part)| part.clone())
                .collect();
            merged.push((pointer_push(&at, &k.to_string()), alternative));
            let variant_hint = format!("{hint}{name}");
            let ty = match self.lower_all_of(merged, extra, &variant_hint, pointer) {
                Shape::Use(ty) => ty,
                Shape::Define(kind) => self.define_inline(&variant_hint, Docs::default(), kind),
            };
            variants.push(UntaggedVariant {
                name,
                ty,
                boxed: false,
                claim: None,
                keys: None,
                constraints: Default::default(),
            });
        }
        Some(Shape::Define(TypeKind::Untagged(variants)))
    }

    /// The part that gives an allOf of primitives its type, when every part is of one
    /// primitive type or only constrains (`{maxLength: 8}`, `{format: uuid}`): the part
    /// that names a type (a `$ref`) first, else one with an `enum`, else one with a
    /// `format`, else the first. The other parts' constraints are merged where the value is
    /// checked ([`Self::constraints`]), their annotations where it is documented
    /// ([`annotations`]). `None` for an allOf with an object, array or composition part, or
    /// parts of different types.
    fn primitive_part(
        &self,
        parts: &[(String, &'a ReferenceOr<Schema>)],
    ) -> Option<(String, &'a ReferenceOr<Schema>)> {
        let mut typ = None;
        let mut chosen: Option<(u8, usize)> = None;
        for (i, (_, part)) in parts.iter().enumerate() {
            let schema = match part {
                ReferenceOr::Item(schema) => schema,
                ReferenceOr::Reference { reference } => self.resolve_quietly(reference)?,
            };
            let Some((t, specific)) = self.primitive_type(schema, 0) else {
                if only_constrains(schema) {
                    continue;
                }
                return None;
            };
            if typ.is_some_and(|known| known != t) {
                return None;
            }
            typ = Some(t);
            let rank = match part {
                ReferenceOr::Reference { .. } => 3,
                ReferenceOr::Item(_) => specific,
            };
            if chosen.is_none_or(|(best, _)| rank > best) {
                chosen = Some((rank, i));
            }
        }
        let (_, i) = chosen?;
        Some(parts[i].clone())
    }

    /// The primitive JSON type of a schema (`string`, `integer`, `number`, `boolean`) and
    /// how much it says beyond the type (2 with an `enum`, 1 with a `format`); an allOf of
    /// primitives of one type is of that type.
    fn primitive_type(&self, schema: &'a Schema, depth: usize) -> Option<(&'static str, u8)> {
        let specific =
            |enumerated: bool, format: bool| u8::from(format).max(2 * u8::from(enumerated));
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => Some((
                "string",
                specific(
                    !s.enumeration.is_empty(),
                    !matches!(s.format, openapiv3::VariantOrUnknownOrEmpty::Empty),
                ),
            )),
            SchemaKind::Type(Type::Integer(i)) => Some((
                "integer",
                specific(
                    !i.enumeration.is_empty(),
                    !matches!(i.format, openapiv3::VariantOrUnknownOrEmpty::Empty),
                ),
            )),
            SchemaKind::Type(Type::Number(n)) => Some((
                "number",
                specific(
                    !n.enumeration.is_empty(),
                    !matches!(n.format, openapiv3::VariantOrUnknownOrEmpty::Empty),
                ),
            )),
            SchemaKind::Type(Type::Boolean(b)) => {
                Some(("boolean", specific(!b.enumeration.is_empty(), false)))
            }
            SchemaKind::Any(a)
                if a.properties.is_empty()
                    && a.items.is_none()
                    && a.additional_properties.is_none()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && a.all_of.is_empty() =>
            {
                let typ = match a.typ.as_deref() {
                    Some("string") => "string",
                    Some("integer") => "integer",
                    Some("number") => "number",
                    Some("boolean") => "boolean",
                    Some(_) => return None,
                    None if !a.enumeration.is_empty()
                        && a.enumeration.iter().all(|v| v.is_string() || v.is_null()) =>
                    {
                        "string"
                    }
                    None => return None,
                };
                Some((typ, specific(!a.enumeration.is_empty(), a.format.is_some())))
            }
            SchemaKind::AllOf { all_of } if depth < 16 => {
                let mut found = None;
                for part in all_of {
                    let part = match part {
                        ReferenceOr::Item(schema) => schema,
                        ReferenceOr::Reference { reference } => self.resolve_quietly(reference)?,
                    };
                    match self.primitive_type(part, depth + 1) {
                        Some((t, rank)) => {
                            if found.is_some_and(|(known, _)| known != t) {
                                return None;
                            }
                            let best = found.map_or(0, |(_, r)| r);
                            found = Some((t, rank.max(best)));
                        }
                        None if only_constrains(part) => {}
                        None => return None,
                    }
                }
                found
            }
            _ => None,
        }
    }

    /// Adds the fields of one allOf part; when the part is not an object, the place and
    /// why (`None` for a `$ref` that does not resolve, reported where it was resolved).
    fn merge_part(
        &mut self,
        part: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
        merged: &mut Merged<'a>,
        depth: usize,
    ) -> Result<(), Option<(String, String)>> {
        let Some(schema) = self.resolve_schema(part, pointer) else {
            return Err(None);
        };
        // Nested allOf: its parts are parts of this one. The depth bound stops a spec whose
        // allOf includes itself.
        let nested = match &schema.schema_kind {
            SchemaKind::AllOf { all_of } => Some((all_of, None)),
            SchemaKind::Any(a) if !a.all_of.is_empty() => Some((
                &a.all_of,
                Some(ObjectParts {
                    properties: &a.properties,
                    required: &a.required,
                    additional: a.additional_properties.as_ref(),
                }),
            )),
            _ => None,
        };
        if let Some((parts, extra)) = nested {
            if depth > 16 {
                let why = "allOf parts nest deeper than 16 (an allOf that includes itself)";
                return Err(Some((pointer.to_owned(), why.to_owned())));
            }
            for (i, inner) in parts.iter().enumerate() {
                let inner_pointer = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
                if matches!(inner, ReferenceOr::Item(s) if says_nothing(s)) {
                    continue;
                }
                self.merge_part(inner, hint, &inner_pointer, merged, depth + 1)?;
            }
            if let Some(object) = extra {
                self.merge_object(&object, hint, pointer, merged);
            }
            return Ok(());
        }
        let object = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => ObjectParts {
                properties: &o.properties,
                required: &o.required,
                additional: o.additional_properties.as_ref(),
            },
            SchemaKind::Any(a)
                if a.one_of.is_empty()
                    && a.any_of.is_empty()
                    && (a.typ.is_none() || a.typ.as_deref() == Some("object")) =>
            {
                ObjectParts {
                    properties: &a.properties,
                    required: &a.required,
                    additional: a.additional_properties.as_ref(),
                }
            }
            _ => {
                let why = "allOf part is not an object schema, nor of the type of the other parts";
                return Err(Some((pointer.to_owned(), why.to_owned())));
            }
        };
        self.merge_object(&object, hint, pointer, merged);
        Ok(())
    }

    fn merge_object(
        &mut self,
        object: &ObjectParts<'a>,
        hint: &str,
        pointer: &str,
        merged: &mut Merged<'a>,
    ) {
        merged
            .required
            .extend(object.required.iter().map(String::as_str));
        // Names are claimed only for fields that are kept, so a repeated property does not
        // use up a name.
        let mut scratch = merged.names.clone();
        for field in self.lower_fields(object, hint, pointer, &mut scratch) {
            match merged
                .fields
                .iter_mut()
                .find(|f| f.api_name == field.api_name)
            {
                Some(existing) => {
                    if let Some(ty) = narrower(&self.graph, &existing.ty, &field.ty) {
                        // Both parts hold: a value is of the narrower type.
                        existing.ty = ty;
                    } else if existing.ty != field.ty
                        && narrower(&self.graph, &field.ty, &existing.ty).is_none()
                        && field.ty != TypeRef::Any
                        && existing.ty != TypeRef::Any
                    {
                        self.lose(
                            Loss::Type,
                            "all-of",
                            &pointer_push(&pointer_push(pointer, "properties"), &field.api_name),
                            format!(
                                "allOf parts give property {:?} different types; the first part's type is kept",
                                field.api_name
                            ),
                        );
                    }
                }
                None => {
                    merged.names.claim(field.name.clone());
                    merged.fields.push(field);
                }
            }
        }
        if let Some(values) = self.lower_additional(object.additional, hint, pointer) {
            merged.additional.get_or_insert(values);
        }
    }
}

/// The struct an allOf is being merged into.
#[derive(Default)]
struct Merged<'a> {
    fields: Vec<Field>,
    names: Namespace,
    additional: Option<TypeRef>,
    /// Every part's `required`: a part may require a property another part declares.
    required: Vec<&'a str>,
}

/// Of the types two allOf parts give one property, the one whose values the other reads
/// too, when they differ so: a string enum, uuid or date within a string (a base's `type:
/// string` narrowed by a derived part's `enum: [document]`), a string enum within one of more
/// values, an integer or integer enum within a number, an integer enum within an integer.
fn narrower(graph: &TypeGraph, a: &TypeRef, b: &TypeRef) -> Option<TypeRef> {
    /// How wide a type is among those of one JSON kind: 0 narrowest.
    fn width(graph: &TypeGraph, ty: &TypeRef) -> Option<(u8, u8)> {
        Some(match graph.resolve_alias(ty) {
            TypeRef::String => (0, 1),
            TypeRef::Uuid | TypeRef::DateTime | TypeRef::Date => (0, 0),
            TypeRef::Named(id) => match graph.get(*id).kind {
                TypeKind::Enum(_) => (0, 0),
                TypeKind::IntEnum(_) => (1, 0),
                _ => return None,
            },
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 => (1, 1),
            TypeRef::F32 | TypeRef::F64 => (1, 2),
            _ => return None,
        })
    }
    // An enum of some of another's values (a base's `type: {enum: [a, b]}`, a derived part's
    // `type: {enum: [a]}`).
    if let (TypeRef::Named(x), TypeRef::Named(y)) = (graph.resolve_alias(a), graph.resolve_alias(b))
    {
        if let (TypeKind::Enum(wide), TypeKind::Enum(narrow)) =
            (&graph.get(*x).kind, &graph.get(*y).kind)
        {
            let within = narrow
                .iter()
                .all(|n| wide.iter().any(|w| w.value == n.value));
            return (within && narrow.len() < wide.len()).then(|| b.clone());
        }
    }
    let (kind_a, width_a) = width(graph, a)?;
    let (kind_b, width_b) = width(graph, b)?;
    match (kind_a == kind_b, width_a.cmp(&width_b)) {
        (true, std::cmp::Ordering::Greater) => Some(b.clone()),
        _ => None,
    }
}

/// A schema with no keyword that constrains the value: `{description: ...}`, `{nullable: true}`.
/// A part with only `required` says which properties of the others must be there.
fn says_nothing(schema: &Schema) -> bool {
    only_constrains(schema)
        && matches!(&schema.schema_kind, SchemaKind::Any(a) if a.format.is_none())
}

/// A schema without a type that only says what a value must be if it is of some type
/// (`{maxLength: 8}`, `{format: uuid}`, `{description: ...}`): it fits beside any primitive.
fn only_constrains(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
                && a.required.is_empty()
        }
        _ => false,
    }
}
