//! Schemas → the type graph.
//!
//! Component schemas are declared first, each under its spec name, so `$ref`s resolve
//! whatever order they appear in (recursion included). Inline schemas that need a definition
//! of their own are named by where they sit: `{parent}{property}`.

use openapiv3::{
    AdditionalProperties, IntegerFormat, NumberFormat, ReferenceOr, Schema, SchemaKind, Type,
    VariantOrUnknownOrEmpty,
};

use super::{component_name, pascal, snake, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::model::{
    Docs, EnumVariant, Field, TypeDef, TypeGraph, TypeId, TypeKind, TypeRef, UntaggedVariant,
};

/// A schema either needs a definition of its own (a struct, an enum) or is a use of an
/// existing type (a primitive, a list, a ref).
enum Shape {
    Use(TypeRef),
    Define(TypeKind),
}

/// The object part of a schema, whichever form the parser gave it.
struct ObjectParts<'s> {
    properties: &'s indexmap::IndexMap<String, ReferenceOr<Box<Schema>>>,
    required: &'s [String],
    additional: Option<&'s AdditionalProperties>,
}

impl<'a> Lowerer<'a> {
    pub(super) fn declare_components(&mut self) {
        let spec = self.spec;
        let Some(components) = &spec.components else {
            return;
        };
        for (name, schema) in &components.schemas {
            let docs = match schema {
                ReferenceOr::Item(s) => schema_docs(s),
                ReferenceOr::Reference { .. } => Docs::default(),
            };
            let id = self.define(
                name,
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
        match self.lower_shape(schema, hint, pointer) {
            Shape::Use(ty) => ty,
            Shape::Define(kind) => TypeRef::Named(self.define(
                hint,
                TypeDef {
                    name: String::new(),
                    docs: schema_docs(schema),
                    kind,
                },
            )),
        }
    }

    fn lower_ref(&mut self, reference: &str, pointer: &str) -> TypeRef {
        match component_name(reference, "schemas").and_then(|name| self.components.get(&name)) {
            Some(id) => TypeRef::Named(*id),
            None => {
                self.error(
                    "ref",
                    &pointer_push(pointer, "$ref"),
                    format!("$ref {reference:?} does not point to a schema in components/schemas"),
                );
                TypeRef::Any
            }
        }
    }

    fn lower_shape(&mut self, schema: &'a Schema, hint: &str, pointer: &str) -> Shape {
        match &schema.schema_kind {
            SchemaKind::Type(Type::String(s)) => {
                let mut values: Vec<&str> = Vec::new();
                for value in s.enumeration.iter().flatten() {
                    if !values.contains(&value.as_str()) {
                        values.push(value);
                    }
                }
                if values.is_empty() {
                    Shape::Use(TypeRef::String)
                } else {
                    Shape::Define(TypeKind::Enum(enum_variants(&values)))
                }
            }
            SchemaKind::Type(Type::Integer(i)) => Shape::Use(match i.format {
                VariantOrUnknownOrEmpty::Item(IntegerFormat::Int32) => TypeRef::I32,
                _ => TypeRef::I64,
            }),
            SchemaKind::Type(Type::Number(n)) => Shape::Use(match n.format {
                VariantOrUnknownOrEmpty::Item(NumberFormat::Float) => TypeRef::F32,
                _ => TypeRef::F64,
            }),
            SchemaKind::Type(Type::Boolean(_)) => Shape::Use(TypeRef::Bool),
            SchemaKind::Type(Type::Array(a)) => {
                Shape::Use(TypeRef::List(Box::new(match &a.items {
                    Some(items) => self.lower_boxed(
                        items,
                        &format!("{hint}Item"),
                        &pointer_push(pointer, "items"),
                    ),
                    None => TypeRef::Any,
                })))
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
            SchemaKind::OneOf { one_of: parts } | SchemaKind::AnyOf { any_of: parts } => {
                let key = if matches!(schema.schema_kind, SchemaKind::OneOf { .. }) {
                    "oneOf"
                } else {
                    "anyOf"
                };
                self.lower_alternatives(parts, hint, &pointer_push(pointer, key))
            }
            SchemaKind::AllOf { all_of } => self.lower_all_of(all_of, hint, pointer),
            SchemaKind::Not { .. } => Shape::Use(TypeRef::Any),
            SchemaKind::Any(any) => {
                if !any.properties.is_empty() || any.typ.as_deref() == Some("object") {
                    self.lower_object(
                        ObjectParts {
                            properties: &any.properties,
                            required: &any.required,
                            additional: any.additional_properties.as_ref(),
                        },
                        hint,
                        pointer,
                    )
                } else {
                    Shape::Use(TypeRef::Any)
                }
            }
        }
    }

    fn lower_object(&mut self, object: ObjectParts<'a>, hint: &str, pointer: &str) -> Shape {
        if object.properties.is_empty() {
            let values = match object.additional {
                Some(AdditionalProperties::Schema(schema)) => self.lower_schema(
                    schema,
                    &format!("{hint}Value"),
                    &pointer_push(pointer, "additionalProperties"),
                ),
                _ => TypeRef::Any,
            };
            return Shape::Use(TypeRef::Map(Box::new(values)));
        }
        let fields = self.lower_fields(&object, hint, pointer, &mut Namespace::default());
        Shape::Define(TypeKind::Struct(fields))
    }

    fn lower_fields(
        &mut self,
        object: &ObjectParts<'a>,
        hint: &str,
        pointer: &str,
        field_names: &mut Namespace,
    ) -> Vec<Field> {
        let properties_pointer = pointer_push(pointer, "properties");
        let mut fields = Vec::new();
        for (api_name, schema) in object.properties {
            let name = field_names.claim(snake(api_name, "field"));
            let property_pointer = pointer_push(&properties_pointer, api_name);
            let ty = self.lower_boxed(
                schema,
                &format!("{hint} {}", pascal(api_name, "Field")),
                &property_pointer,
            );
            let (nullable, docs) = match schema {
                ReferenceOr::Item(s) => (s.schema_data.nullable, schema_docs(s)),
                ReferenceOr::Reference { .. } => (false, Docs::default()),
            };
            fields.push(Field {
                name,
                api_name: api_name.clone(),
                ty,
                required: object.required.iter().any(|r| r == api_name),
                nullable,
                boxed: false,
                docs,
            });
        }
        fields
    }

    fn lower_alternatives(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if let [only] = parts {
            return Shape::Use(self.lower_schema(only, hint, &pointer_push(pointer, "0")));
        }
        let mut variant_names = Namespace::default();
        let mut variants = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let base = match part {
                ReferenceOr::Reference { reference } => component_name(reference, "schemas")
                    .map_or_else(|| format!("Variant{i}"), |n| pascal(&n, "Variant")),
                ReferenceOr::Item(_) => format!("Variant{i}"),
            };
            let name = variant_names.claim(base);
            let ty = self.lower_schema(
                part,
                &format!("{hint}{name}"),
                &pointer_push(pointer, &i.to_string()),
            );
            variants.push(UntaggedVariant { name, ty });
        }
        if variants.is_empty() {
            return Shape::Use(TypeRef::Any);
        }
        Shape::Define(TypeKind::Untagged(variants))
    }

    /// allOf becomes one struct holding the fields of every part that is an object; a part
    /// that is not an object cannot be merged exactly, so the whole falls back to any JSON.
    fn lower_all_of(
        &mut self,
        parts: &'a [ReferenceOr<Schema>],
        hint: &str,
        pointer: &str,
    ) -> Shape {
        if let [only] = parts {
            return Shape::Use(self.lower_schema(
                only,
                hint,
                &pointer_push(&pointer_push(pointer, "allOf"), "0"),
            ));
        }
        let mut field_names = Namespace::default();
        let mut fields: Vec<Field> = Vec::new();
        for (i, part) in parts.iter().enumerate() {
            let part_pointer = pointer_push(&pointer_push(pointer, "allOf"), &i.to_string());
            let Some(schema) = self.resolve_schema(part, &part_pointer) else {
                return Shape::Use(TypeRef::Any);
            };
            let object = match &schema.schema_kind {
                SchemaKind::Type(Type::Object(o)) => ObjectParts {
                    properties: &o.properties,
                    required: &o.required,
                    additional: o.additional_properties.as_ref(),
                },
                SchemaKind::Any(a) if a.typ.is_none() || a.typ.as_deref() == Some("object") => {
                    ObjectParts {
                        properties: &a.properties,
                        required: &a.required,
                        additional: a.additional_properties.as_ref(),
                    }
                }
                _ => {
                    self.warn(
                        "all-of",
                        &part_pointer,
                        "allOf part is not an object schema; the whole allOf is read as any JSON value".to_owned(),
                    );
                    return Shape::Use(TypeRef::Any);
                }
            };
            for field in self.lower_fields(&object, hint, &part_pointer, &mut field_names) {
                match fields.iter_mut().find(|f| f.api_name == field.api_name) {
                    // The same property in two parts: it is required if either part says so.
                    Some(existing) => existing.required |= field.required,
                    None => fields.push(field),
                }
            }
        }
        Shape::Define(TypeKind::Struct(fields))
    }

    /// The schema a `$ref` points to, following chains of refs.
    fn resolve_schema(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        pointer: &str,
    ) -> Option<&'a Schema> {
        self.resolve(schema, "schemas", |c| &c.schemas, pointer)
    }
}

fn schema_docs(schema: &Schema) -> Docs {
    Docs::new(
        schema.schema_data.title.as_deref(),
        schema.schema_data.description.as_deref(),
    )
}

fn enum_variants(values: &[&str]) -> Vec<EnumVariant> {
    let mut names = Namespace::with_reserved(&["Other", "Self"]);
    values
        .iter()
        .map(|value| EnumVariant {
            name: names.claim(pascal(value, "Empty")),
            value: (*value).to_owned(),
        })
        .collect()
}

/// Boxes each struct field whose type holds the struct itself by value, so recursive types
/// have a finite size.
pub(super) fn mark_boxed_fields(graph: &mut TypeGraph) {
    for id in 0..graph.defs.len() {
        let TypeKind::Struct(fields) = &graph.defs[id].kind else {
            continue;
        };
        let boxed: Vec<bool> = fields
            .iter()
            .map(|f| holds_by_value(graph, &f.ty, TypeId(id), &mut Vec::new()))
            .collect();
        if let TypeKind::Struct(fields) = &mut graph.defs[id].kind {
            for (field, boxed) in fields.iter_mut().zip(boxed) {
                field.boxed = boxed;
            }
        }
    }
}

/// Whether a value of `ty` contains a `target` inline (not behind a `Vec` or map).
fn holds_by_value(graph: &TypeGraph, ty: &TypeRef, target: TypeId, seen: &mut Vec<TypeId>) -> bool {
    let TypeRef::Named(id) = ty else {
        return false;
    };
    if *id == target {
        return true;
    }
    if seen.contains(id) {
        return false;
    }
    seen.push(*id);
    match &graph.get(*id).kind {
        TypeKind::Struct(fields) => fields
            .iter()
            .any(|f| !f.boxed && holds_by_value(graph, &f.ty, target, seen)),
        TypeKind::Untagged(variants) => variants
            .iter()
            .any(|v| holds_by_value(graph, &v.ty, target, seen)),
        TypeKind::Alias(inner) => holds_by_value(graph, inner, target, seen),
        TypeKind::Enum(_) | TypeKind::Multipart(_) => false,
    }
}
