//! Schemas → the type graph.
//!
//! Component schemas are declared first, each under its spec name, so `$ref`s resolve
//! whatever order they appear in (recursion included). Inline schemas that need a definition
//! of their own are named by where they sit: `{parent}{property}`. Composition is in
//! `composition.rs` (oneOf, anyOf) and `all_of.rs`, fields of objects in `fields.rs`, and the
//! whole-graph passes run after lowering in `recursion.rs` (boxing, alias cycles) and
//! `alternatives.rs` (how a union's value is told apart).

use openapiv3::{
    AdditionalProperties, AnySchema, IntegerFormat, IntegerType, NumberFormat, ReferenceOr, Schema,
    SchemaKind, StringFormat, StringType, Type, VariantOrUnknownOrEmpty,
};
use std::collections::HashMap;

use serde_json::Value;

use super::names::variant_name;
use super::{component_name, is_reserved, pascal, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{Docs, EnumVariant, IntRepr, IntVariant, TypeDef, TypeKind, TypeRef};

/// The object part of a schema, whichever form the parser gave it.
#[derive(Clone, Copy)]
pub(super) struct ObjectParts<'s> {
    pub properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    pub required: &'s [String],
    pub additional: Option<&'s AdditionalProperties>,
}

/// A schema either needs a definition of its own (a struct, an enum) or is a use of an
/// existing type (a primitive, a list, a ref).
pub(super) enum Shape {
    Use(TypeRef),
    Define(TypeKind),
}

impl<'a> Lowerer<'a> {
    pub(super) fn declare_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return;
        };
        let names: Vec<&str> = components.schemas.keys().map(String::as_str).collect();
        let hints = super::names::component_hints(&names, is_reserved);
        // A name the prelude or the modules' exports hold is claimed last, suffixed, so that
        // it never takes a name the spec gives another schema (`Error` and `ErrorModel`).
        let (reserved, free): (Vec<_>, Vec<_>) = components
            .schemas
            .iter()
            .zip(hints)
            .partition(|(_, hint)| is_reserved(&pascal(hint, "Type")));
        for ((name, schema), hint) in free.into_iter().chain(reserved) {
            let docs = match schema {
                ReferenceOr::Item(s) => schema_docs(s),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let id = self.define(
                &hint,
                TypeDef {
                    name: String::new(),
                    docs,
                    kind: TypeKind::Alias(TypeRef::Any),
                },
            );
            self.components.insert(name.clone(), id);
        }
    }

    pub(super) fn lower_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let id = self.components[name];
            let pointer = pointer_push("/components/schemas", name);
            let type_name = self.graph.get(id).name.clone();
            let kind = match schema {
                ReferenceOr::Reference { .. } => {
                    TypeKind::Alias(self.lower_schema(schema, &type_name, &pointer))
                }
                ReferenceOr::Item(schema) => match self.lower_shape(schema, &type_name, &pointer) {
                    Shape::Use(ty) => TypeKind::Alias(ty),
                    Shape::Define(kind) => kind,
                },
            };
            self.graph.defs[id.0].kind = kind;
        }
    }

    /// A use of `serde_json::Value`, counted by why it was chosen.
    pub(super) fn any(&mut self, reason: &'static str) -> TypeRef {
        *self.graph.fallbacks.entry(reason).or_default() += 1;
        TypeRef::Any
    }

    /// A schema that declares a type, or types, read as `serde_json::Value` all the same: a
    /// loss reported at `pointer` under `rule` (saying why, and that it is any JSON value) and
    /// counted by `reason`. Every such loss in lowering comes through here.
    pub(super) fn loosen(
        &mut self,
        rule: &'static str,
        pointer: &str,
        why: &str,
        reason: &'static str,
    ) -> TypeRef {
        self.lose(
            Loss::AnyValue,
            rule,
            pointer,
            format!("{why}; read as any JSON value"),
        );
        self.any(reason)
    }

    /// The type for a schema found at `pointer`; an inline schema that needs a definition
    /// gets one named from `hint`.
    pub(super) fn lower_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(item) => self.lower_inline(item, hint, pointer),
        }
    }

    pub(super) fn lower_boxed(
        &mut self,
        schema: &'a ReferenceOr<Box<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        match schema {
            ReferenceOr::Reference { reference } => self.lower_ref(reference, pointer),
            ReferenceOr::Item(item) => self.lower_inline(item, hint, pointer),
        }
    }

    fn lower_inline(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> TypeRef {
        // Named by its title where that is unambiguous, else by where it sits; what it
        // holds is named after it either way.
        let titled = self.title_name(schema.schema_data.title.as_deref());
        let hint = titled.as_deref().unwrap_or(hint);
        match self.lower_shape(schema, hint, pointer) {
            Shape::Use(ty) => ty,
            Shape::Define(kind) => {
                // `x-ms-enum`'s name, like a title, is a name the spec's author gave.
                let enum_named = match kind {
                    TypeKind::Enum(_) | TypeKind::IntEnum(_) => enum_name(schema),
                    _ => None,
                };
                let hint = enum_named.unwrap_or(hint);
                let ty = self.define_inline(hint, schema_docs(schema), kind);
                if let (true, TypeRef::Named(id)) = (titled.is_some() || enum_named.is_some(), &ty)
                {
                    self.authored.insert(*id);
                }
                ty
            }
        }
    }

    /// A definition for an inline schema, named from `hint`.
    pub(super) fn define_inline(&mut self, hint: &str, docs: Docs, kind: TypeKind) -> TypeRef {
        TypeRef::Named(self.define(
            hint,
            TypeDef {
                name: String::new(),
                docs,
                kind,
            },
        ))
    }

    fn lower_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match component_name(reference, "schemas").and_then(|name| self.components.get(&name)) {
            Some(id) => TypeRef::Named(*id),
            None => {
                self.lose(
                    Loss::AnyValue,
                    "ref",
                    &pointer_push(pointer, "$ref"),
                    format!("$ref {reference:?} does not point to a schema in components/schemas; read as any value"),
                );
                self.any("dangling $ref")
            }
        }
    }

    /// The shape of a schema, counted once by its place for the account of the run: typed,
    /// or read as any JSON value.
    pub(super) fn lower_shape(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Shape {
        let shape = self.shape_of(schema, hint, pointer);
        let any = matches!(shape, Shape::Use(TypeRef::Any));
        self.schema_sites.entry(pointer.to_owned()).or_insert(any);
        shape
    }

    fn shape_of(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Shape {
        if let Some(ty) = chosen_rust_type(schema) {
            return Shape::Use(ty);
        }
        let discriminator = schema.schema_data.discriminator.as_ref();
        let given = given_variant_names(schema);
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => string_shape(s, &given),
            SchemaKind::Type(Type::Integer(i)) => integer_shape(i, &given),
            SchemaKind::Type(Type::Number(n)) => Shape::Use(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Use(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                Shape::Use(self.lower_items(a.items.as_ref(), hint, pointer))
            }
            SchemaKind::Type(Type::Object(o)) => self.lower_object(
                ObjectParts {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                },
                hint,
                pointer,
            ),
            SchemaKind::OneOf { one_of: parts } => self.lower_one_of(
                parts,
                discriminator,
                None,
                hint,
                &pointer_push(pointer, "oneOf"),
            ),
            SchemaKind::AnyOf { any_of: parts } => self.lower_any_of(
                parts,
                discriminator,
                None,
                hint,
                &pointer_push(pointer, "anyOf"),
            ),
            SchemaKind::AllOf { all_of } => {
                self.lower_all_of(all_of_parts(all_of, pointer), None, hint, pointer)
            }
            SchemaKind::Not { .. } => Shape::Use(self.any("not")),
            SchemaKind::Any(any) => {
                self.lower_any_schema(any, discriminator, &given, hint, pointer)
            }
        }
    }

    fn lower_items(
        &mut self,
        items: Option<&'a ReferenceOr<Box<Schema>>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let item = match items {
            Some(items) => self.lower_boxed(
                items,
                &format!("{hint}Item"),
                &pointer_push(pointer, "items"),
            ),
            None => self.any("array without items"),
        };
        TypeRef::List(Box::new(item))
    }

    /// A schema the parser could not give one `type`: no `type` at all (`{}`), a `type`
    /// beside composition keywords, or keywords of several types. The exact type is taken
    /// where the keywords make it obvious; otherwise any JSON value.
    fn lower_any_schema(
        &mut self,
        any: &'a AnySchema,
        discriminator: Option<&'a openapiv3::Discriminator>,
        given: &GivenNames,
        hint: &str,
        pointer: &str,
    ) -> Shape {
        let object = ObjectParts {
            properties: &any.properties,
            required: &any.required,
            additional: any.additional_properties.as_ref(),
        };
        // Properties beside composition keywords belong to every alternative.
        let base = (!any.properties.is_empty()).then_some(object);
        if !any.all_of.is_empty() {
            return self.lower_all_of(all_of_parts(&any.all_of, pointer), base, hint, pointer);
        }
        if !any.one_of.is_empty() {
            return self.lower_one_of(
                &any.one_of,
                discriminator,
                base,
                hint,
                &pointer_push(pointer, "oneOf"),
            );
        }
        if !any.any_of.is_empty() {
            return self.lower_any_of(
                &any.any_of,
                discriminator,
                base,
                hint,
                &pointer_push(pointer, "anyOf"),
            );
        }
        if any.not.is_some() && any.typ.is_none() {
            return Shape::Use(self.any("not"));
        }
        if !any.enumeration.is_empty() {
            return match enum_shape(&any.enumeration, given) {
                Ok(shape) => shape,
                Err(EnumMisfit::Mixed) if any.typ.is_some() => Shape::Use(self.loosen(
                    "enum",
                    &pointer_push(pointer, "enum"),
                    "the enum's values are of several JSON types, not all of the declared type",
                    "enum of mixed types",
                )),
                Err(EnumMisfit::Mixed) => Shape::Use(self.any("enum of mixed types")),
                Err(EnumMisfit::Wide) => {
                    self.lose(
                        Loss::Type,
                        "integer-range",
                        &pointer_push(pointer, "enum"),
                        "the enum's integers do not fit one 64-bit integer type (some are \
                         negative, some beyond i64); read as f64, not checked as an enum"
                            .to_owned(),
                    );
                    Shape::Use(TypeRef::F64)
                }
            };
        }
        match any.typ.as_deref() {
            Some("string") => {
                return Shape::Use(string_format(any.format.as_deref().unwrap_or("")))
            }
            Some("integer") => {
                let chosen = integer_format(any.format.as_deref().unwrap_or(""), any.minimum);
                return Shape::Use(self.integer_range(chosen, any, pointer));
            }
            Some("number") => {
                return Shape::Use(match any.format.as_deref() {
                    Some("float") => TypeRef::F32,
                    _ => TypeRef::F64,
                })
            }
            Some("boolean") => return Shape::Use(TypeRef::Bool),
            Some("array") => {
                return Shape::Use(self.lower_items(any.items.as_ref(), hint, pointer))
            }
            Some("object") => return self.lower_object(object, hint, pointer),
            _ => {}
        }
        if !any.properties.is_empty() || any.additional_properties.is_some() {
            return self.lower_object(object, hint, pointer);
        }
        if any.items.is_some() {
            return Shape::Use(self.lower_items(any.items.as_ref(), hint, pointer));
        }
        if let Some(format) = any.format.as_deref() {
            let ty = string_format(format);
            if ty != TypeRef::String {
                return Shape::Use(ty);
            }
        }
        Shape::Use(self.any("schema without a type"))
    }

    /// The schema a `$ref` points to, following chains of refs.
    pub(super) fn resolve_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Option<&'a Schema> {
        self.resolve(schema, "schemas", |c| &c.schemas, pointer)
    }

    /// Like [`Self::resolve_schema`], for the boxed schemas of properties and items; a ref
    /// that does not resolve was reported where it was lowered.
    pub(super) fn resolve_boxed(&self, schema: &'a ReferenceOr<Box<Schema>>) -> Option<&'a Schema> {
        match schema {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference),
        }
    }

    /// The schema a `$ref` points to, following chains of refs, for a look that reports
    /// nothing: the ref is reported where it is lowered.
    pub(super) fn resolve_quietly(&self, mut reference: &'a str) -> Option<&'a Schema> {
        let schemas = &self.spec.components.as_ref()?.schemas;
        for _ in 0..=schemas.len() {
            match schemas.get(&component_name(reference, "schemas")?)? {
                ReferenceOr::Item(item) => return Some(item),
                ReferenceOr::Reference { reference: next } => reference = next,
            }
        }
        None
    }
}

/// The parts of an allOf, each with its pointer.
fn all_of_parts<'a>(
    parts: &'a [ReferenceOr<Schema>],
    pointer: &str,
) -> Vec<(String, &'a ReferenceOr<Schema>)> {
    let all_of = pointer_push(pointer, "allOf");
    parts
        .iter()
        .enumerate()
        .map(|(i, part)| (pointer_push(&all_of, &i.to_string()), part))
        .collect()
}

/// The Rust type a schema's `x-rust-type` names (the settings' type overrides put it there;
/// a spec's own are removed before, by `settings::remove_spec_types`).
pub(super) fn chosen_rust_type(schema: &Schema) -> Option<TypeRef> {
    let path = schema
        .schema_data
        .extensions
        .get(crate::settings::RUST_TYPE_EXTENSION)?
        .as_str()?;
    crate::settings::rust_type(path)
}

pub(super) fn schema_docs(schema: &Schema) -> Docs {
    data_docs(&schema.schema_data)
}

/// The name Azure's `x-ms-enum` gives an inline enum (`{name: AccountStatus, modelAsString:
/// true}`): the type its SDKs have, and one type wherever the same enum is written again
/// (identical inline types fold into one). Unknown values are kept whatever `modelAsString`
/// says, as every generated enum keeps them.
fn enum_name(schema: &Schema) -> Option<&str> {
    let name = schema
        .schema_data
        .extensions
        .get("x-ms-enum")?
        .get("name")?;
    name.as_str().filter(|n| n.chars().any(char::is_alphabetic))
}

/// The docs of what a schema says about its value: title, description, deprecation.
pub(super) fn data_docs(data: &openapiv3::SchemaData) -> Docs {
    let mut docs = Docs::new(data.title.as_deref(), data.description.as_deref());
    if data.deprecated {
        // A doc note, not `#[deprecated]`: the crate's own (de)serializers use every type and
        // field, and would warn.
        let note = "**Deprecated** by the spec.".to_owned();
        docs.description = Some(match docs.description.take() {
            Some(text) => format!("{text}\n\n{note}"),
            None => note,
        });
    }
    docs
}

fn string_shape(s: &StringType, given: &GivenNames) -> Shape {
    let values = distinct(s.enumeration.iter().flatten().map(String::as_str));
    if !values.is_empty() {
        return Shape::Define(TypeKind::Enum(string_variants(&values, given)));
    }
    Shape::Use(match &s.format {
        VariantOrUnknownOrEmpty::Item(StringFormat::DateTime) => TypeRef::DateTime,
        VariantOrUnknownOrEmpty::Item(StringFormat::Date) => TypeRef::Date,
        VariantOrUnknownOrEmpty::Item(StringFormat::Byte) => TypeRef::Base64,
        VariantOrUnknownOrEmpty::Unknown(format) => string_format(format),
        _ => TypeRef::String,
    })
}

/// The Rust type for a string `format`. `binary` inside JSON has no agreed encoding, so it
/// stays text; binary bodies are handled by their media type instead. `uri`, `email` and
/// formats not known here are strings.
fn string_format(format: &str) -> TypeRef {
    match format {
        "date-time" => TypeRef::DateTime,
        "date" => TypeRef::Date,
        "uuid" => TypeRef::Uuid,
        "byte" => TypeRef::Base64,
        _ => TypeRef::String,
    }
}

fn integer_shape(i: &IntegerType, given: &GivenNames) -> Shape {
    let values = distinct(i.enumeration.iter().flatten().map(|v| i128::from(*v)));
    if !values.is_empty() {
        return Shape::Define(TypeKind::IntEnum(int_variants(&values, given)));
    }
    Shape::Use(match &i.format {
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
        VariantOrUnknownOrEmpty::Item(IntegerFormat::Int64) => TypeRef::I64,
        VariantOrUnknownOrEmpty::Unknown(format) => {
            integer_format(format, i.minimum.map(|m| m as f64))
        }
        VariantOrUnknownOrEmpty::Empty => TypeRef::I64,
    })
}

impl Lowerer<'_> {
    /// The integer type for bounds the parser's `i64` does not hold (why it gave an untyped
    /// schema): `u64` when the bounds fit it, otherwise `chosen` and a warning that values
    /// beyond it are refused.
    fn integer_range(&mut self, chosen: TypeRef, any: &AnySchema, pointer: &str) -> TypeRef {
        // `i64::MAX as f64` is 2^63, the nearest float to i64::MAX: a maximum written as
        // i64::MAX and read through a float (9223372036854776000) admits no value beyond
        // i64; one past it does.
        let beyond_i64 = any.maximum.is_some_and(|m| m > i64::MAX as f64);
        let unsigned = any.minimum.is_none_or(|m| m >= 0.0);
        let fits_u64 = any.maximum.is_none_or(|m| m <= u64::MAX as f64);
        if !beyond_i64 && any.minimum.is_none_or(|m| m >= i64::MIN as f64) {
            return chosen;
        }
        if beyond_i64 && unsigned && fits_u64 && matches!(chosen, TypeRef::I64 | TypeRef::U64) {
            return TypeRef::U64;
        }
        let keyword = if beyond_i64 { "maximum" } else { "minimum" };
        let name = match chosen {
            TypeRef::I32 => "i32",
            TypeRef::U32 => "u32",
            TypeRef::U64 => "u64",
            _ => "i64",
        };
        self.lose(
            Loss::Type,
            "integer-range",
            &pointer_push(pointer, keyword),
            format!(
                "the bounds do not fit a 64-bit integer type; read as {name}, values beyond it \
                 are refused"
            ),
        );
        chosen
    }
}

/// Unsigned formats (`uint32`, `uint64`, `uint`) become unsigned types; a minimum below zero
/// contradicts them, and then the signed type is kept.
fn integer_format(format: &str, minimum: Option<f64>) -> TypeRef {
    let unsigned = minimum.is_none_or(|m| m >= 0.0);
    match format {
        "int32" => TypeRef::I32,
        "uint8" | "uint16" | "uint32" if unsigned => TypeRef::U32,
        "uint64" | "uint" if unsigned => TypeRef::U64,
        _ => TypeRef::I64,
    }
}

/// Why the values of an enum give no type of their own.
enum EnumMisfit {
    /// Values of several JSON types: any JSON value.
    Mixed,
    /// Integers no one 64-bit integer type holds.
    Wide,
}

/// An enum given without a `type` (or with values of another type than it says, or with
/// integers the parser's `i64` does not hold): typed by its values when they agree; `null`
/// among them only makes the use nullable. Integers beyond `i64`, none below zero, are an
/// enum of `u64` values.
fn enum_shape(values: &[Value], given: &GivenNames) -> Result<Shape, EnumMisfit> {
    let values: Vec<&Value> = values.iter().filter(|v| !v.is_null()).collect();
    if values.is_empty() {
        return Err(EnumMisfit::Mixed);
    }
    if let Some(strings) = values
        .iter()
        .map(|v| v.as_str())
        .collect::<Option<Vec<_>>>()
    {
        return Ok(Shape::Define(TypeKind::Enum(string_variants(
            &distinct(strings),
            given,
        ))));
    }
    let whole = |v: &&Value| {
        v.as_i64()
            .map(i128::from)
            .or_else(|| v.as_u64().map(i128::from))
    };
    if let Some(ints) = values.iter().map(whole).collect::<Option<Vec<_>>>() {
        let ints = distinct(ints);
        return match IntRepr::of(ints.iter().copied()) {
            Some(_) => Ok(Shape::Define(TypeKind::IntEnum(int_variants(&ints, given)))),
            None => Err(EnumMisfit::Wide),
        };
    }
    if values.iter().all(|v| v.is_boolean()) {
        return Ok(Shape::Use(TypeRef::Bool));
    }
    if values.iter().all(|v| v.is_number()) {
        return Ok(Shape::Use(TypeRef::F64));
    }
    Err(EnumMisfit::Mixed)
}

/// The values in their first order, each once: a set remembers those seen, as an enum may
/// list a hundred thousand values (looking each up in the list kept was quadratic: 64 s).
fn distinct<T: Copy + Eq + std::hash::Hash>(values: impl IntoIterator<Item = T>) -> Vec<T> {
    let mut seen = std::collections::HashSet::new();
    values.into_iter().filter(|v| seen.insert(*v)).collect()
}

/// The names a spec gives its enum's values, by each value's JSON text (a string's quoted,
/// an integer's its digits).
pub(super) type GivenNames = HashMap<String, String>;

/// The extensions that name an enum's values: `x-enum-varnames` (openapi-generator),
/// `x-enumNames` (NSwag), `x-enum-names`, each a list beside `enum`.
const NAME_LISTS: &[&str] = &["x-enum-varnames", "x-enumNames", "x-enum-names"];

/// What [`NAME_LISTS`] and `x-ms-enum`'s `values` (`{value, name}`, Azure) name; empty, and
/// nothing read, for a schema with neither.
fn given_variant_names(schema: &Schema) -> GivenNames {
    let extensions = &schema.schema_data.extensions;
    let mut names = HashMap::new();
    let lists: Vec<&Vec<Value>> = NAME_LISTS
        .iter()
        .filter_map(|key| extensions.get(*key)?.as_array())
        .collect();
    if !lists.is_empty() {
        let values: Vec<Value> = match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => s
                .enumeration
                .iter()
                .map(|v| Value::from(v.clone()))
                .collect(),
            SchemaKind::Type(Type::Integer(i)) => {
                i.enumeration.iter().map(|v| Value::from(*v)).collect()
            }
            SchemaKind::Any(a) => a.enumeration.clone(),
            _ => Vec::new(),
        };
        for given in lists {
            for (value, name) in values.iter().zip(given) {
                if let Some(name) = name.as_str() {
                    names
                        .entry(value.to_string())
                        .or_insert_with(|| name.to_owned());
                }
            }
        }
    }
    let listed = extensions.get("x-ms-enum").and_then(|e| e.get("values"));
    for entry in listed.and_then(Value::as_array).into_iter().flatten() {
        if let (Some(value), Some(Value::String(name))) = (entry.get("value"), entry.get("name")) {
            names
                .entry(value.to_string())
                .or_insert_with(|| name.clone());
        }
    }
    names
}

/// The namespace of an enum's variants: `Other` holds a value the spec does not list.
fn variant_namespace() -> Namespace {
    Namespace::with_reserved(&["Other", "Self"])
}

/// A variant's name: the one the spec gives its value (looked up by `key`, the value's JSON
/// text, only when the spec gives any), else the value's own.
fn claim_variant(
    names: &mut Namespace,
    given: &GivenNames,
    key: impl FnOnce() -> String,
    value: &str,
) -> String {
    if !given.is_empty() {
        if let Some(name) = given.get(&key()) {
            if name.chars().any(|c| c.is_ascii_alphanumeric()) {
                return names.claim(pascal(name, "Value"));
            }
        }
    }
    names.claim(variant_name(value))
}

pub(super) fn string_variants(values: &[&str], given: &GivenNames) -> Vec<EnumVariant> {
    let mut names = variant_namespace();
    values
        .iter()
        .map(|value| EnumVariant {
            name: claim_variant(&mut names, given, || Value::from(*value).to_string(), value),
            value: (*value).to_owned(),
        })
        .collect()
}

fn int_variants(values: &[i128], given: &GivenNames) -> Vec<IntVariant> {
    let mut names = variant_namespace();
    values
        .iter()
        .map(|value| {
            let text = value.to_string();
            IntVariant {
                name: claim_variant(&mut names, given, || text.clone(), &text),
                value: *value,
            }
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::Cell;

    /// A value that counts how often it is compared.
    #[derive(Clone, Copy)]
    struct Counted<'c>(u32, &'c Cell<usize>);

    impl PartialEq for Counted<'_> {
        fn eq(&self, other: &Self) -> bool {
            self.1.set(self.1.get() + 1);
            self.0 == other.0
        }
    }
    impl Eq for Counted<'_> {}
    impl std::hash::Hash for Counted<'_> {
        fn hash<H: std::hash::Hasher>(&self, state: &mut H) {
            self.0.hash(state);
        }
    }

    #[test]
    fn distinct_values_keep_their_order_in_comparisons_linear_in_their_number() {
        let comparisons = Cell::new(0);
        let n = 10_000;
        let values = (0..n).chain(0..n).map(|v| Counted(v, &comparisons));
        let kept: Vec<u32> = distinct(values).iter().map(|c| c.0).collect();
        assert_eq!(kept, (0..n).collect::<Vec<_>>());
        // Each repeated value is compared with the one it repeats (and rarely another of the
        // same hash bucket); a search of the values kept makes n² / 2 comparisons.
        assert!(comparisons.get() < 2 * n as usize, "{}", comparisons.get());
    }
}
