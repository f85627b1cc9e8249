//! oneOf, anyOf and allOf → enums and merged structs.

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::fields::{additional_field, ObjectParts};
use super::names::variant_name;
use super::types::{schema_docs, Shape};
use super::{component_name, pascal, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::model::{Docs, Field, TaggedVariant, TypeGraph, TypeKind, TypeRef, UntaggedVariant};

impl<'a> Lowerer<'a> {
    /// oneOf / anyOf: an internally tagged enum when a discriminator names the property that
    /// tells the alternatives apart, else an untagged enum tried in the spec's order.
    ///
    /// `base` is an object schema written beside the oneOf (`properties` next to `oneOf: [{required:
    /// [a]}, {required: [b]}]`): each alternative is that object with the alternative's own
    /// keywords merged in, as an allOf of the two.
    pub(super) fn lower_alternatives(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        base: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if parts.is_empty() {
            return Shape::Use(self.any("empty oneOf/anyOf"));
        }
        if let ([only], None) = (parts, base) {
            return Shape::Use(self.lower_schema(only, hint, &pointer_push(pointer, "0")));
        }
        if let (Some(discriminator), None) = (discriminator, base) {
            if let Some(shape) = self.lower_tagged(parts, discriminator, pointer) {
                return shape;
            }
        }
        let names = self.variant_names(parts, base.as_ref());
        let mut variants = Vec::new();
        for (i, (part, name)) in parts.iter().zip(names).enumerate() {
            let hint = format!("{hint}{name}");
            let part_pointer = pointer_push(pointer, &i.to_string());
            // A dangling `$ref` is reported where it is lowered.
            let resolved = match part {
                ReferenceOr::Item(schema) => Some(schema),
                ReferenceOr::Reference { reference } => self.resolve_quietly(reference),
            };
            let constraints = match resolved {
                Some(schema) => self.constraints(schema, &part_pointer),
                None => Default::default(),
            };
            let ty = match base {
                None => self.lower_schema(part, &hint, &part_pointer),
                Some(base) => {
                    // The base object's pointer is the schema holding the oneOf.
                    let schema_pointer = pointer.rsplit_once('/').map_or("", |(p, _)| p);
                    let docs = match part {
                        ReferenceOr::Item(schema) => schema_docs(schema),
                        ReferenceOr::Reference { .. } => Docs::default(),
                    };
                    match self.lower_all_of(
                        vec![(part_pointer, part)],
                        Some(base),
                        &hint,
                        schema_pointer,
                    ) {
                        Shape::Use(ty) => ty,
                        Shape::Define(kind) => self.define_inline(&hint, docs, kind),
                    }
                }
            };
            variants.push(UntaggedVariant {
                name,
                ty,
                boxed: false,
                claim: None,
                keys: None,
                constraints,
            });
        }
        Shape::Define(TypeKind::Untagged(variants))
    }

    /// oneOf without a discriminator is read as an untagged enum, its alternatives told apart
    /// by what a value has (`alternatives.rs`: constants, required and declared properties,
    /// JSON types and formats). Two object alternatives nothing tells apart (the same
    /// required properties, one declaring every property the other does, with the same
    /// schemas, and no constant of their own) read each other's values: that is reported,
    /// and where all the alternatives agree on the properties they share, one struct holds
    /// them all (as anyOf).
    pub(super) fn lower_one_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        base: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let objects = (discriminator.is_none() && base.is_none() && parts.len() >= 2)
            .then(|| self.object_alternatives(parts, pointer))
            .flatten();
        let Some(objects) = objects else {
            return self.lower_alternatives(parts, discriminator, base, hint, pointer);
        };
        let indistinct = objects.iter().enumerate().find_map(|(i, (_, later))| {
            objects[..i]
                .iter()
                .position(|(_, earlier)| self.indistinct(earlier, later))
                .map(|j| (j, i))
        });
        // Met again inside its own alternatives: reported and merged where first met.
        let again = self.merging.contains(&parts.as_ptr());
        let Some((j, i)) = indistinct.filter(|_| !again) else {
            return self.lower_alternatives(parts, discriminator, base, hint, pointer);
        };
        let why = format!(
            "alternatives {j} and {i} require the same properties, one declares every property \
             the other does, with the same schemas, and no constant sets them apart: a value of \
             one is a value of the other"
        );
        if agree(&objects) {
            self.warn(
                "one-of-ambiguous",
                pointer,
                format!("{why}; read as one struct holding the properties of all alternatives"),
            );
            if let Some(shape) = self.merge_objects(parts, &objects, hint) {
                return shape;
            }
        }
        self.warn(
            "one-of-ambiguous",
            pointer,
            format!("{why}; such a value is read as alternative {j}"),
        );
        self.lower_alternatives(parts, discriminator, base, hint, pointer)
    }

    /// Whether nothing in a value tells object alternatives `a` and `b` apart: see
    /// [`Self::lower_one_of`].
    fn indistinct(&self, a: &ObjectParts<'a>, b: &ObjectParts<'a>) -> bool {
        let same_required = a.required.iter().all(|r| b.required.contains(r))
            && b.required.iter().all(|r| a.required.contains(r));
        let declares_all = |x: &ObjectParts<'a>, y: &ObjectParts<'a>| {
            y.properties.keys().all(|k| x.properties.contains_key(k))
        };
        let shared_agree = a.properties.iter().all(|(name, schema)| {
            b.properties
                .get(name)
                .is_none_or(|other| same_property(schema, other))
        });
        let consts = |x: &ObjectParts<'a>| -> Vec<(&'a str, &'a str)> {
            x.properties
                .iter()
                .filter_map(|(name, p)| {
                    Some((name.as_str(), self.resolve_boxed(p).and_then(single_value)?))
                })
                .collect()
        };
        same_required
            && (declares_all(a, b) || declares_all(b, a))
            && shared_agree
            && consts(a) == consts(b)
    }

    /// anyOf: where every alternative is an object and the alternatives agree on the
    /// properties they share, one struct holds them all, exactly: a property is required
    /// when every alternative requires it. Serde would otherwise pick the first alternative
    /// that reads, and drop the properties only a later one has.
    pub(super) fn lower_any_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        discriminator: Option<&'a Discriminator>,
        base: Option<ObjectParts<'a>>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if discriminator.is_some() || base.is_some() || parts.len() < 2 {
            return self.lower_alternatives(parts, discriminator, base, hint, pointer);
        }
        let merged = self
            .object_alternatives(parts, pointer)
            .filter(|objects| agree(objects))
            .and_then(|objects| self.merge_objects(parts, &objects, hint));
        merged.unwrap_or_else(|| self.lower_alternatives(parts, discriminator, None, hint, pointer))
    }

    /// Each alternative as an object with properties and nothing else beside them, with its
    /// pointer; `None` when one is not such an object.
    fn object_alternatives(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        pointer: &str,
    ) -> Option<Vec<(String, ObjectParts<'a>)>> {
        let mut objects = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part_pointer = pointer_push(pointer, &i.to_string());
            let object = self.resolve_schema(part, &part_pointer)?;
            let SchemaKind::Type(Type::Object(o)) = &object.schema_kind else {
                return None;
            };
            if o.additional_properties.is_some() || o.properties.is_empty() {
                return None;
            }
            let object = ObjectParts {
                properties: &o.properties,
                required: &o.required,
                additional: None,
            };
            objects.push((part_pointer, object));
        }
        Some(objects)
    }

    /// One struct of the properties of all `objects`, each required when all require it and
    /// loose (a value that does not fit reads as absent) when not all declare it;
    /// `None` when the union of `parts` is already being merged (it holds itself).
    fn merge_objects(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        objects: &[(String, ObjectParts<'a>)],
        hint: &str,
    ) -> Option<Shape> {
        if self.merging.contains(&parts.as_ptr()) {
            return None;
        }
        self.merging.push(parts.as_ptr());
        let mut names = Namespace::default();
        let mut fields: Vec<Field> = Vec::new();
        for (part_pointer, object) in objects {
            let seen: Vec<String> = fields.iter().map(|f| f.api_name.clone()).collect();
            for mut field in self.lower_fields_except(object, hint, part_pointer, &mut names, &seen)
            {
                field.required = objects
                    .iter()
                    .all(|(_, o)| o.required.contains(&field.api_name));
                field.loose = !objects
                    .iter()
                    .all(|(_, o)| o.properties.contains_key(&field.api_name));
                fields.push(field);
            }
        }
        self.merging.pop();
        Some(Shape::Define(TypeKind::Struct(fields)))
    }

    /// Names for the alternatives of a union, each from the first of these that it has: the
    /// component it refers to, its `title`, the one value of a property that only it gives
    /// that value (a `const` or one-value `enum`: a discriminator the spec did not declare),
    /// a property only it requires, a property only it has, and last its JSON type (`String`,
    /// `Integer`, `Object` ...). Properties of `base` (written beside the oneOf) count for
    /// every alternative.
    fn variant_names(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        base: Option<&ObjectParts<'a>>,
    ) -> Vec<String> {
        let views: Vec<PartView<'a>> = parts
            .iter()
            .map(|part| self.part_view(part, base))
            .collect();
        let mut names = Namespace::default();
        let mut taken = Vec::new();
        for (i, (part, view)) in parts.iter().zip(&views).enumerate() {
            let others = || {
                views
                    .iter()
                    .enumerate()
                    .filter(move |(j, _)| *j != i)
                    .map(|(_, v)| v)
            };
            let component = match part {
                ReferenceOr::Reference { reference } => component_name(reference, "schemas")
                    .and_then(|name| self.components.get(&name))
                    .map(|id| self.graph.get(*id).name.clone()),
                ReferenceOr::Item(_) => None,
            };
            let name = component
                .or_else(|| view.title.map(|title| pascal(title, "Variant")))
                .or_else(|| {
                    view.consts
                        .iter()
                        .find(|c| others().all(|o| !o.consts.contains(c)))
                        .map(|(_, value)| variant_name(value))
                })
                .or_else(|| {
                    view.required
                        .iter()
                        .find(|r| others().all(|o| !o.required.contains(r)))
                        .map(|r| pascal(r, "Variant"))
                })
                .or_else(|| {
                    view.properties
                        .iter()
                        .find(|p| others().all(|o| !o.properties.contains(p)))
                        .map(|p| pascal(p, "Variant"))
                })
                .unwrap_or_else(|| view.kind.to_owned());
            taken.push(names.claim(name));
        }
        taken
    }

    /// What tells an alternative apart from the others.
    fn part_view(
        &mut self,
        part: &'a ReferenceOr<Schema>,
        base: Option<&ObjectParts<'a>>,
    ) -> PartView<'a> {
        let schema = match part {
            ReferenceOr::Item(schema) => Some(schema),
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference),
        };
        let object = schema.and_then(|s| match &s.schema_kind {
            SchemaKind::Type(Type::Object(o)) => Some((&o.properties, &o.required[..])),
            SchemaKind::Any(a) => Some((&a.properties, &a.required[..])),
            _ => None,
        });
        let mut view = PartView {
            title: schema.and_then(|s| s.schema_data.title.as_deref()),
            kind: schema.map_or("Variant", json_kind),
            ..PartView::default()
        };
        let objects = object
            .into_iter()
            .chain(base.map(|b| (b.properties, b.required)));
        for (properties, required) in objects {
            view.required.extend(required.iter().map(String::as_str));
            for (name, property) in properties {
                view.properties.push(name);
                if let Some(value) = self.resolve_boxed(property).and_then(single_value) {
                    view.consts.push((name, value));
                }
            }
        }
        view
    }

    /// Every alternative must be a component (its name is the default tag value); an inline
    /// alternative has no name to be told by, and the enum falls back to untagged.
    fn lower_tagged(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        discriminator: &'a Discriminator,
        pointer: &str,
    ) -> Option<Shape> {
        let mut names = Namespace::with_reserved(&["Other"]);
        let mut variants = Vec::new();
        let mut seen: Vec<&str> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let ReferenceOr::Reference { reference } = part else {
                self.warn(
                    "discriminator",
                    &pointer_push(pointer, &i.to_string()),
                    "an inline alternative cannot be selected by the discriminator; the alternatives are tried in order instead".to_owned(),
                );
                return None;
            };
            // The same alternative twice would be the same tag twice.
            if seen.contains(&reference.as_str()) {
                continue;
            }
            seen.push(reference);
            let component = component_name(reference, "schemas")?;
            let id = *self.components.get(&component)?;
            // `mapping` values are refs or bare component names.
            let mapped: Vec<&String> = discriminator
                .mapping
                .iter()
                .filter(|(_, target)| {
                    *target == reference
                        || component_name(target, "schemas").as_deref() == Some(&component)
                        || **target == component
                })
                .map(|(value, _)| value)
                .collect();
            let values = if mapped.is_empty() {
                vec![component.clone()]
            } else {
                mapped.into_iter().cloned().collect()
            };
            for value in values {
                variants.push(TaggedVariant {
                    name: names.claim(self.graph.get(id).name.clone()),
                    value,
                    ty: TypeRef::Named(id),
                    boxed: false,
                });
            }
        }
        Some(Shape::Define(TypeKind::Tagged {
            property: discriminator.property_name.clone(),
            variants,
        }))
    }

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
        let mut merged = Merged::default();
        for (part_pointer, part) in meaningful {
            match self.merge_part(part, hint, &part_pointer, &mut merged, 0) {
                Ok(()) => {}
                Err(Some((at, why))) => {
                    return Shape::Use(self.loosen(
                        "all-of",
                        &at,
                        &why,
                        "allOf of a non-object part",
                    ))
                }
                Err(None) => return Shape::Use(self.any("allOf with a dangling $ref")),
            }
        }
        if let Some(object) = extra {
            self.merge_object(&object, hint, pointer, &mut merged);
        }
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
                        self.warn(
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

/// What the names of a union's alternatives are chosen from.
#[derive(Default)]
struct PartView<'a> {
    title: Option<&'a str>,
    /// Properties with one possible value, and the value.
    consts: Vec<(&'a str, &'a str)>,
    required: Vec<&'a str>,
    properties: Vec<&'a str>,
    /// The JSON type, the name of last resort.
    kind: &'static str,
}

/// The JSON type of an inline schema (a string's format where it has one), as a variant name.
fn json_kind(schema: &Schema) -> &'static str {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match &s.format {
            openapiv3::VariantOrUnknownOrEmpty::Item(format) => match format {
                openapiv3::StringFormat::DateTime => "DateTime",
                openapiv3::StringFormat::Date => "Date",
                openapiv3::StringFormat::Byte => "Bytes",
                _ => "String",
            },
            openapiv3::VariantOrUnknownOrEmpty::Unknown(format) => match format.as_str() {
                "uuid" => "Uuid",
                "email" => "Email",
                "uri" => "Uri",
                _ => "String",
            },
            openapiv3::VariantOrUnknownOrEmpty::Empty => "String",
        },
        SchemaKind::Type(Type::Integer(_)) => "Integer",
        SchemaKind::Type(Type::Number(_)) => "Number",
        SchemaKind::Type(Type::Boolean(_)) => "Boolean",
        SchemaKind::Type(Type::Array(_)) => "Array",
        SchemaKind::Type(Type::Object(_)) => "Object",
        SchemaKind::Any(any) => match any.typ.as_deref() {
            Some("string") => "String",
            Some("integer") => "Integer",
            Some("number") => "Number",
            Some("boolean") => "Boolean",
            Some("array") => "Array",
            Some("null") => "Null",
            Some(_) => "Object",
            None if !any.properties.is_empty() => "Object",
            None => "Variant",
        },
        _ => "Variant",
    }
}

/// The one value a string schema allows (`const`, or an `enum` of one value).
fn single_value(schema: &Schema) -> Option<&str> {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => match s.enumeration.as_slice() {
            [Some(value)] => Some(value),
            _ => None,
        },
        SchemaKind::Any(a) => match a.enumeration.as_slice() {
            [value] => value.as_str(),
            _ => None,
        },
        _ => None,
    }
}

/// A schema with no keyword that constrains the value: `{description: ...}`, `{nullable: true}`.
/// A part with only `required` says which properties of the others must be there.
fn says_nothing(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Any(a) => {
            a.typ.is_none()
                && a.properties.is_empty()
                && a.additional_properties.is_none()
                && a.items.is_none()
                && a.enumeration.is_empty()
                && a.format.is_none()
                && a.one_of.is_empty()
                && a.all_of.is_empty()
                && a.any_of.is_empty()
                && a.not.is_none()
                && a.required.is_empty()
        }
        _ => false,
    }
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

/// Whether object alternatives give each property they share the same schema.
fn agree(objects: &[(String, ObjectParts<'_>)]) -> bool {
    objects.iter().enumerate().all(|(i, (_, a))| {
        objects[i + 1..].iter().all(|(_, b)| {
            a.properties.iter().all(|(name, schema)| {
                b.properties
                    .get(name)
                    .is_none_or(|other| same_property(schema, other))
            })
        })
    })
}

/// Two alternatives' schemas for one property describe the same values: the same `$ref`,
/// or inline schemas equal but for docs and examples.
fn same_property(a: &ReferenceOr<Box<Schema>>, b: &ReferenceOr<Box<Schema>>) -> bool {
    match (a, b) {
        (ReferenceOr::Reference { reference: x }, ReferenceOr::Reference { reference: y }) => {
            x == y
        }
        (ReferenceOr::Item(x), ReferenceOr::Item(y)) => {
            x.schema_kind == y.schema_kind
                && x.schema_data.nullable == y.schema_data.nullable
                && x.schema_data.read_only == y.schema_data.read_only
                && x.schema_data.write_only == y.schema_data.write_only
        }
        _ => false,
    }
}
