//! oneOf and anyOf → enums and merged structs (allOf is in all_of.rs).

use openapiv3::{Discriminator, ReferenceOr, Schema, SchemaKind, Type};

use super::names::variant_name;
use super::types::ObjectParts;
use super::types::{schema_docs, Shape};
use super::{component_name, pascal, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{Docs, Field, TaggedVariant, TypeKind, TypeRef, UntaggedVariant};

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
            return Shape::Use(self.loosen(
                "any-value",
                pointer,
                "the list of alternatives is empty",
                "empty oneOf/anyOf",
            ));
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
            self.lose(
                Loss::Type,
                "one-of-ambiguous",
                pointer,
                format!("{why}; read as one struct holding the properties of all alternatives"),
            );
            if let Some(shape) = self.merge_objects(parts, &objects, hint) {
                return shape;
            }
        }
        self.lose(
            Loss::Type,
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
    pub(super) fn variant_names(
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
                self.lose(
                    Loss::Type,
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
