//! Object schemas → struct fields: names, optionality, defaults, constraints and the map of
//! additional properties.

use openapiv3::{
    AdditionalProperties, ReferenceOr, Schema, SchemaData, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};
use serde_json::Value;

use super::types::{data_docs, ObjectParts, Shape};
use super::{client_name, pascal, snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{
    Access, Constraints, Docs, Each, Field, IntRepr, Members, TextFormat, TypeGraph, TypeKind,
    TypeRef,
};

impl<'a> Lowerer<'a> {
    pub(super) fn lower_object(
        &mut self,
        object: ObjectParts<'a>,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if object.properties.is_empty() {
            let values = match self.lower_additional(object.additional, hint, pointer) {
                Some(values) => values,
                None => self.any("object without properties"),
            };
            return Shape::Use(TypeRef::Map(Box::new(values)));
        }
        let mut names = Namespace::default();
        let mut fields = self.lower_fields(&object, hint, pointer, &mut names);
        if let Some(values) = self.lower_additional(object.additional, hint, pointer) {
            fields.push(additional_field(values, &mut names));
        }
        Shape::Define(TypeKind::Struct(fields))
    }

    /// The type of the values of properties the schema does not name: `None` when it
    /// allows none (absent or `false`), any JSON value for `true` or `{}`.
    pub(super) fn lower_additional(
        &mut self,
        additional: Option<&'a AdditionalProperties>,
        hint: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        match additional? {
            AdditionalProperties::Any(true) => Some(self.any("additionalProperties: true")),
            AdditionalProperties::Any(false) => None,
            AdditionalProperties::Schema(schema) => Some(self.lower_schema(
                schema,
                &format!("{hint}Value"),
                &pointer_push(pointer, "additionalProperties"),
            )),
        }
    }

    pub(super) fn lower_fields(
        &mut self,
        object: &ObjectParts<'a>,
        hint: &str,
        pointer: &str,
        field_names: &mut Namespace,
    ) -> Vec<Field> {
        self.lower_fields_except(object, hint, pointer, field_names, &[])
    }

    /// The fields of the properties not named in `skip`.
    pub(super) fn lower_fields_except(
        &mut self,
        object: &ObjectParts<'a>,
        hint: &str,
        pointer: &str,
        field_names: &mut Namespace,
        skip: &[String],
    ) -> Vec<Field> {
        let properties_pointer = pointer_push(pointer, "properties");
        let mut fields = Vec::new();
        for (api_name, schema) in object.properties {
            if skip.contains(api_name) {
                continue;
            }
            let extensions = match schema {
                ReferenceOr::Item(schema) => Some(&schema.schema_data.extensions),
                ReferenceOr::Reference { .. } => None,
            };
            let spelled = extensions.map_or(api_name.as_str(), |e| client_name(e, api_name));
            let name = field_names.claim(snake(spelled, "field"));
            let property_pointer = pointer_push(&properties_pointer, api_name);
            let ty = self.lower_boxed(
                schema,
                &format!("{hint} {}", pascal(api_name, "Field")),
                &property_pointer,
            );
            // What a referenced schema says about its value (nullable, default, constraints)
            // holds for the field too.
            let resolved = self.resolve_boxed(schema);
            let annotations = resolved.map(|s| self.annotations(s));
            let data = annotations.as_deref();
            let listed = object.required.iter().any(|r| r == api_name);
            // A property the server sets (readOnly) is absent from requests, one only clients
            // send (writeOnly) from responses: `split_directions` gives each side its type.
            let access = match data {
                Some(d) if d.read_only && !d.write_only => Access::ReadOnly,
                Some(d) if d.write_only && !d.read_only => Access::WriteOnly,
                _ => Access::ReadWrite,
            };
            let one_way = access != Access::ReadWrite;
            let nullable = data.is_some_and(|d| d.nullable) || resolved.is_some_and(has_null_value);
            let constraints = match resolved {
                Some(s) => self.constraints(s, &property_pointer),
                None => Constraints::default(),
            };
            // Whether the default fits the type is known once every type is lowered:
            // `check_defaults` drops those that do not.
            let default = data.and_then(|d| d.default.clone());
            let docs = field_docs(schema, &constraints, default.as_ref(), one_way, data);
            // A required property never takes its default.
            let default = default.filter(|_| !nullable && !listed);
            if let Some(value) = &default {
                self.defaults.push((
                    pointer_push(&property_pointer, "default"),
                    ty.clone(),
                    value.clone(),
                ));
            }
            fields.push(Field {
                name,
                api_name: api_name.clone(),
                ty,
                required: listed,
                nullable,
                flatten: false,
                boxed: false,
                loose: false,
                default,
                constraints,
                access,
                docs,
            });
        }
        fields
    }

    /// The constraints a schema puts on its value. A `pattern` Rust's regex engine cannot
    /// compile (lookaround, backreferences) is reported and left unchecked.
    pub(super) fn constraints(&mut self, schema: &'a Schema, pointer: &str) -> Constraints {
        self.nested_constraints(schema, pointer, 0)
    }

    /// [`Self::constraints`] of a schema `depth` arrays or maps within the first: each
    /// item's constraints too, to a depth that stops an array whose items are itself.
    fn nested_constraints(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        depth: usize,
    ) -> Constraints {
        let mut c = self.all_of_constraints(schema, pointer, 0);
        if depth < 8 {
            if let Some((item, members)) = self.each_schema(schema) {
                let key = match members {
                    Members::Items => "items",
                    Members::Values => "additionalProperties",
                };
                let each = self.nested_constraints(item, &pointer_push(pointer, key), depth + 1);
                c.each = (!each.is_empty()).then(|| {
                    Box::new(Each {
                        members,
                        constraints: each,
                    })
                });
            }
        }
        if let Some(pattern) = &c.pattern {
            if let Err(e) = regex_syntax::Parser::new().parse(pattern) {
                let first_line = e.to_string().lines().last().unwrap_or("").trim().to_owned();
                self.lose(
                    Loss::Check,
                    "pattern",
                    &pointer_push(pointer, "pattern"),
                    format!("pattern {pattern:?} is not a regex Rust can check ({first_line}); it is not checked"),
                );
                c.pattern = None;
            }
        }
        c
    }

    /// The schema each item of an array schema (`items`), or each value of a map schema
    /// (`additionalProperties`), is, and which of them.
    fn each_schema(&self, schema: &'a Schema) -> Option<(&'a Schema, Members)> {
        let (items, values) = match &schema.schema_kind {
            SchemaKind::Type(Type::Array(a)) => (a.items.as_ref(), None),
            SchemaKind::Type(Type::Object(o)) => (None, o.additional_properties.as_ref()),
            SchemaKind::Any(a) => (a.items.as_ref(), a.additional_properties.as_ref()),
            _ => (None, None),
        };
        match (items, values) {
            (Some(items), _) => Some((self.resolve_boxed(items)?, Members::Items)),
            (None, Some(AdditionalProperties::Schema(values))) => {
                Some((self.resolve_boxless(values)?, Members::Values))
            }
            _ => None,
        }
    }

    /// The schema's own constraints and its allOf parts'. The depth bound stops an allOf
    /// that includes itself.
    fn all_of_constraints(
        &mut self,
        schema: &'a Schema,
        pointer: &str,
        depth: usize,
    ) -> Constraints {
        let mut c = self.own_constraints(schema);
        if depth > 16 {
            return c;
        }
        // An allOf's parts each constrain the value (`allOf: [{$ref: Code}, {maxLength: 8}]`):
        // the tightest of each bound holds.
        for (i, part) in all_of(schema).iter().enumerate() {
            let part_pointer = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            let Some(part) = self.resolve_boxless(part) else {
                continue;
            };
            let other = self.all_of_constraints(part, &part_pointer, depth + 1);
            if let (Some(kept), Some(dropped)) = (&c.pattern, &other.pattern) {
                if kept != dropped {
                    self.lose(
                        Loss::Check,
                        "pattern",
                        &pointer_push(&part_pointer, "pattern"),
                        format!("allOf parts give two patterns; only {kept:?} is checked"),
                    );
                }
            }
            c = c.tightest(other);
        }
        c
    }

    /// The schema of an allOf part (or a header's); a `$ref` that does not resolve was
    /// reported where the schema was lowered.
    pub(super) fn resolve_boxless(&self, part: &'a ReferenceOr<Schema>) -> Option<&'a Schema> {
        match part {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference),
        }
    }

    /// The constraints the keywords of the schema itself (not its allOf parts) put on it.
    pub(super) fn own_constraints(&self, schema: &Schema) -> Constraints {
        let mut c = Constraints::default();
        // A type the user chose checks its own values.
        if let Some(TypeRef::Custom(_)) = super::types::chosen_rust_type(schema) {
            return c;
        }
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                c.min_length = s.min_length;
                c.max_length = s.max_length;
                c.pattern = s.pattern.clone();
                if let VariantOrUnknownOrEmpty::Unknown(format) = &s.format {
                    c.format = TextFormat::named(format);
                }
            }
            SchemaKind::Type(Type::Integer(i)) => {
                c.minimum = i.minimum.map(|m| m as f64);
                c.maximum = i.maximum.map(|m| m as f64);
                c.exclusive_minimum = i.exclusive_minimum;
                c.exclusive_maximum = i.exclusive_maximum;
                c.multiple_of = i.multiple_of.map(|m| m as f64);
            }
            SchemaKind::Type(Type::Number(n)) => {
                c.minimum = n.minimum;
                c.maximum = n.maximum;
                c.exclusive_minimum = n.exclusive_minimum;
                c.exclusive_maximum = n.exclusive_maximum;
                c.multiple_of = n.multiple_of;
            }
            SchemaKind::Type(Type::Array(a)) => {
                c.min_items = a.min_items;
                c.max_items = a.max_items;
                c.unique_items = a.unique_items;
            }
            SchemaKind::Any(a) => {
                c.min_length = a.min_length;
                c.max_length = a.max_length;
                c.pattern = a.pattern.clone();
                c.format = a.format.as_deref().and_then(TextFormat::named);
                c.minimum = a.minimum;
                c.maximum = a.maximum;
                c.exclusive_minimum = a.exclusive_minimum.unwrap_or(false);
                c.exclusive_maximum = a.exclusive_maximum.unwrap_or(false);
                c.multiple_of = a.multiple_of;
                c.min_items = a.min_items;
                c.max_items = a.max_items;
                c.unique_items = a.unique_items.unwrap_or(false);
            }
            _ => {}
        }
        c
    }

    /// What the schema says about its value besides its type, with what its allOf parts say
    /// (`allOf: [{$ref: Code}, {description: ..., nullable: true}]`, the usual way to
    /// annotate a use of a named type): the schema's own annotations first, then the parts'
    /// in order; a flag (`nullable`, `readOnly`, `deprecated` ...) holds when any sets it.
    pub(super) fn annotations(&self, schema: &'a Schema) -> std::borrow::Cow<'a, SchemaData> {
        let parts = all_of(schema);
        if parts.is_empty() {
            return std::borrow::Cow::Borrowed(&schema.schema_data);
        }
        let mut data = schema.schema_data.clone();
        for part in parts {
            // A referenced part's annotations are its type's, documented there.
            let ReferenceOr::Item(part) = part else {
                continue;
            };
            let part = self.annotations(part);
            data.nullable |= part.nullable;
            data.read_only |= part.read_only;
            data.write_only |= part.write_only;
            data.deprecated |= part.deprecated;
            data.title = data.title.or_else(|| part.title.clone());
            data.description = data.description.or_else(|| part.description.clone());
            data.default = data.default.or_else(|| part.default.clone());
            data.example = data.example.or_else(|| part.example.clone());
        }
        std::borrow::Cow::Owned(data)
    }
}

/// The parts of a schema's allOf, whichever form the parser gave it.
fn all_of(schema: &Schema) -> &[ReferenceOr<Schema>] {
    match &schema.schema_kind {
        SchemaKind::AllOf { all_of } => all_of,
        SchemaKind::Any(a) => &a.all_of,
        _ => &[],
    }
}

/// The flattened map that holds the properties a struct does not name.
pub(super) fn additional_field(values: TypeRef, names: &mut Namespace) -> Field {
    Field {
        name: names.claim("additional_properties".to_owned()),
        api_name: String::new(),
        ty: TypeRef::Map(Box::new(values)),
        required: true,
        nullable: false,
        flatten: true,
        boxed: false,
        loose: false,
        default: None,
        constraints: Constraints::default(),
        access: Access::ReadWrite,
        docs: Docs::description(Some("Properties the schema does not name.")),
    }
}

/// An enum that lists `null` among its values admits null, whatever `nullable` says.
fn has_null_value(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => s.enumeration.iter().any(Option::is_none),
        SchemaKind::Type(Type::Integer(i)) => i.enumeration.iter().any(Option::is_none),
        SchemaKind::Any(a) => a.enumeration.iter().any(Value::is_null),
        _ => false,
    }
}

impl Lowerer<'_> {
    /// Reports each default that does not fit its field's type, and drops it from the
    /// field: it stays in the docs only.
    pub(super) fn check_defaults(&mut self) {
        for (pointer, ty, value) in std::mem::take(&mut self.defaults) {
            if !default_fits(&self.graph, &ty, &value) {
                self.lose(
                    Loss::Check,
                    "default",
                    &pointer,
                    format!(
                        "default {value} does not fit the property's type; it is documented only"
                    ),
                );
            }
        }
        // The fields found first, then their defaults dropped: the graph is read whole while
        // it is searched, and copying it to search it was lower's peak on GitHub's spec.
        let graph = &self.graph;
        let unfit: Vec<(usize, usize)> = graph
            .defs
            .iter()
            .enumerate()
            .flat_map(|(id, def)| match &def.kind {
                TypeKind::Struct(fields) => fields
                    .iter()
                    .enumerate()
                    .filter(|(_, field)| {
                        field
                            .default
                            .as_ref()
                            .is_some_and(|v| !default_fits(graph, &field.ty, v))
                    })
                    .map(|(at, _)| (id, at))
                    .collect(),
                _ => Vec::new(),
            })
            .collect();
        for (id, at) in unfit {
            if let TypeKind::Struct(fields) = &mut self.graph.defs[id].kind {
                fields[at].default = None;
            }
        }
    }
}

/// Whether a `default` can be written as a Rust value of the field's type. Only scalars,
/// enums, lists of those and empty maps are: anything else is documented, not applied.
pub(super) fn default_fits(graph: &TypeGraph, ty: &TypeRef, value: &Value) -> bool {
    match (graph.resolve_alias(ty), value) {
        (TypeRef::String, Value::String(_)) | (TypeRef::Bool, Value::Bool(_)) => true,
        (TypeRef::I32, Value::Number(n)) => n.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
        (TypeRef::I64, Value::Number(n)) => n.as_i64().is_some(),
        (TypeRef::U32, Value::Number(n)) => n.as_u64().is_some_and(|i| u32::try_from(i).is_ok()),
        (TypeRef::U64, Value::Number(n)) => n.as_u64().is_some(),
        (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => n.as_f64().is_some_and(f64::is_finite),
        (TypeRef::List(item), Value::Array(items)) => items
            .iter()
            .all(|v| default_fits(graph, item, v) && !v.is_array()),
        (TypeRef::Map(_), Value::Object(entries)) => entries.is_empty(),
        (TypeRef::Named(id), value) => match &graph.get(*id).kind {
            TypeKind::Enum(_) => value.is_string(),
            TypeKind::IntEnum(variants) => value
                .as_number()
                .and_then(|n| IntRepr::of_variants(variants).read(n))
                .is_some(),
            _ => false,
        },
        _ => false,
    }
}

/// A field's docs: its schema's, then what a client should know that the type does not say.
fn field_docs(
    schema: &ReferenceOr<Box<Schema>>,
    constraints: &Constraints,
    default: Option<&Value>,
    one_way: bool,
    data: Option<&openapiv3::SchemaData>,
) -> Docs {
    // A referenced type's docs are on the type; an inline schema's (with its allOf parts')
    // are the field's.
    let docs = match (schema, data) {
        (ReferenceOr::Item(_), Some(data)) => data_docs(data),
        _ => Docs::default(),
    };
    let mut docs = with_notes(docs, constraints, default);
    if one_way {
        let side = if data.is_some_and(|d| d.read_only) {
            "Read-only: set by the server; the request form of this type leaves it out."
        } else {
            "Write-only: sent by clients; the response form of this type leaves it out."
        };
        append_notes(&mut docs, vec![side.to_owned()]);
    }
    docs
}

/// Docs with what the schema says beyond its type appended: the default and the
/// constraints, for fields and parameters alike.
pub(super) fn with_notes(
    mut docs: Docs,
    constraints: &Constraints,
    default: Option<&Value>,
) -> Docs {
    let mut notes = Vec::new();
    if let Some(value) = default {
        notes.push(format!("Default: `{value}`."));
    }
    let described = constraints.describe();
    if !described.is_empty() {
        notes.push(format!("Constraints: {described}."));
    }
    append_notes(&mut docs, notes);
    docs
}

fn append_notes(docs: &mut Docs, notes: Vec<String>) {
    if !notes.is_empty() {
        let notes = notes.join("\n\n");
        docs.description = Some(match docs.description.take() {
            Some(text) => format!("{text}\n\n{notes}"),
            None => notes,
        });
    }
}
