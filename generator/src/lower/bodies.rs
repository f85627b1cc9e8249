//! Request and response bodies: each media type of a `content` map becomes a [`Content`];
//! several become an enum the receiver picks from by `Content-Type`.

use openapiv3::{
    ArrayType, RequestBody, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty,
};
use openapiv3::{Content as SpecContent, ReferenceOr};

use super::{component_name, pascal, snake, Lowerer, Namespace};
use crate::diagnostics::{pointer_push, Loss};
use crate::model::{
    Body, Content, Docs, Media, PartField, PartKind, Payload, TypeDef, TypeKind, TypeRef,
};

/// `application/json; charset=utf-8` → `application/json`.
pub fn essence(media_type: &str) -> String {
    media_type
        .split(';')
        .next()
        .unwrap_or("")
        .trim()
        .to_ascii_lowercase()
}

pub fn is_json(essence: &str) -> bool {
    essence == "application/json" || essence.ends_with("+json")
}

/// Which way a body travels. Multipart is read into typed parts only in requests; a
/// multipart response is kept as bytes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    Request,
    Response,
}

impl<'a> Lowerer<'a> {
    pub(super) fn lower_body(
        &mut self,
        body: &'a ReferenceOr<RequestBody>,
        type_name: &str,
        pointer: &str,
    ) -> Option<Body> {
        let body = self.resolve(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let payload = self.lower_payload(
            &body.content,
            &format!("{type_name}Body"),
            &pointer_push(pointer, "content"),
            Direction::Request,
        )?;
        Some(Body {
            payload,
            required: body.required,
            docs: Docs::description(body.description.as_deref()),
        })
    }

    /// Every media type of `content`, in the spec's order.
    pub(super) fn lower_payload(
        &mut self,
        content: &'a SpecContent,
        hint: &str,
        pointer: &str,
        direction: Direction,
    ) -> Option<Payload> {
        let mut variants = Namespace::default();
        let mut contents = Vec::new();
        // A request body of several media types is the enum `hint` the caller picks a variant
        // of; each media type's schema is named after its variant (`{hint}Json`). A response's
        // enum is named after its schema instead (`{hint}Body`), since readers meet the schema.
        let request_enum = (direction == Direction::Request && content.len() > 1)
            .then(|| self.type_names.claim(hint.to_owned()));
        let json_hint = match request_enum {
            Some(_) => format!("{hint}Json"),
            None => hint.to_owned(),
        };
        for (media_type, media) in content {
            let media_pointer = pointer_push(pointer, media_type);
            let schema_pointer = pointer_push(&media_pointer, "schema");
            let kind = essence(media_type);
            let (variant, media) = if is_json(&kind) {
                let ty = match &media.schema {
                    Some(schema) => self.lower_schema(schema, &json_hint, &schema_pointer),
                    None => TypeRef::Any,
                };
                ("Json".to_owned(), Media::Json(ty))
            } else if kind == "application/x-www-form-urlencoded" {
                let ty = match &media.schema {
                    Some(schema) => {
                        self.lower_schema(schema, &format!("{hint}Form"), &schema_pointer)
                    }
                    None => TypeRef::Map(Box::new(TypeRef::String)),
                };
                ("Form".to_owned(), Media::Form(ty))
            } else if kind.starts_with("multipart/") && direction == Direction::Request {
                let Some(id) = self.lower_multipart(media.schema.as_ref(), hint, &schema_pointer)
                else {
                    continue;
                };
                ("Multipart".to_owned(), Media::Multipart(id))
            } else if kind == "text/event-stream" && direction == Direction::Response {
                let data = self.event_data(media.schema.as_ref(), hint, &schema_pointer);
                ("Events".to_owned(), Media::EventStream(data))
            } else if kind.starts_with("text/") {
                (
                    pascal(&kind.replace('/', " "), "Text").replace("TextPlain", "Text"),
                    Media::Text,
                )
            } else {
                (pascal(&kind.replace('/', " "), "Binary"), Media::Binary)
            };
            contents.push(Content {
                content_type: media_type.clone(),
                variant: variants.claim(variant),
                media,
            });
        }
        if contents.is_empty() {
            return None;
        }
        let enum_name = (contents.len() > 1)
            .then(|| request_enum.unwrap_or_else(|| self.type_names.claim(format!("{hint}Body"))));
        Some(Payload {
            contents,
            enum_name,
        })
    }

    /// The type of an event stream's data. Specs describe an event stream's schema three
    /// ways: none or a string (the data is text), an object of the event's own fields
    /// (`data`, with `event`, `id`, `retry`: the data is the `data` field's type), or the
    /// data's own schema (JSON data).
    fn event_data(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> TypeRef {
        let Some(schema) = schema else {
            return TypeRef::String;
        };
        let resolved = match schema {
            ReferenceOr::Item(item) => Some(item),
            ReferenceOr::Reference { reference } => self.resolve_quietly(reference),
        };
        let event_fields = resolved.and_then(|resolved| {
            let SchemaKind::Type(Type::Object(object)) = &resolved.schema_kind else {
                return None;
            };
            let fields = ["data", "event", "id", "retry"];
            (object.properties.contains_key("data")
                && object
                    .properties
                    .keys()
                    .all(|k| fields.contains(&k.as_str())))
            .then(|| &object.properties["data"])
        });
        let data = match event_fields {
            Some(data) => {
                let pointer = pointer_push(&pointer_push(pointer, "properties"), "data");
                self.lower_boxed(data, &format!("{hint}Data"), &pointer)
            }
            None => self.lower_schema(schema, &format!("{hint}Data"), pointer),
        };
        match data {
            TypeRef::Any => TypeRef::String,
            data => data,
        }
    }

    /// A multipart body's schema is an object; each property is one part. Binary strings are
    /// files, scalars are text, anything else is JSON text.
    fn lower_multipart(
        &mut self,
        schema: Option<&'a ReferenceOr<Schema>>,
        hint: &str,
        pointer: &str,
    ) -> Option<crate::model::TypeId> {
        let schema = match schema {
            Some(schema) => self.resolve(schema, "schemas", |c| &c.schemas, pointer)?,
            None => {
                self.lose(
                    Loss::Body,
                    "multipart-schema",
                    pointer,
                    "multipart body has no schema; its parts are unknown, so the media type is skipped"
                        .to_owned(),
                );
                return None;
            }
        };
        let (properties, required) = match &schema.schema_kind {
            SchemaKind::Type(Type::Object(o)) => (&o.properties, &o.required),
            SchemaKind::Any(a) => (&a.properties, &a.required),
            _ => {
                self.lose(
                    Loss::Body,
                    "multipart-schema",
                    pointer,
                    "multipart body schema is not an object; the media type is skipped".to_owned(),
                );
                return None;
            }
        };
        let mut names = Namespace::default();
        let mut fields = Vec::new();
        for (api_name, property) in properties {
            let property_pointer = pointer_push(&pointer_push(pointer, "properties"), api_name);
            let field_hint = format!("{hint} {}", pascal(api_name, "Part"));
            let resolved = match property {
                ReferenceOr::Item(item) => Some(&**item),
                ReferenceOr::Reference { reference } => component_name(reference, "schemas")
                    .and_then(|name| self.spec.components.as_ref()?.schemas.get(&name))
                    .and_then(ReferenceOr::as_item),
            };
            let kind = match resolved {
                Some(s) if is_binary(s) => PartKind::File,
                Some(Schema {
                    schema_kind:
                        SchemaKind::Type(Type::Array(ArrayType {
                            items: Some(items), ..
                        })),
                    ..
                }) if items.as_item().is_some_and(|i| is_binary(i)) => PartKind::Files,
                _ => {
                    let ty = self.lower_boxed(property, &field_hint, &property_pointer);
                    if self.is_text(&ty) {
                        PartKind::Text(ty)
                    } else {
                        PartKind::Json(ty)
                    }
                }
            };
            fields.push(PartField {
                name: names.claim(snake(api_name, "part")),
                api_name: api_name.clone(),
                kind,
                required: required.iter().any(|r| r == api_name),
                docs: Docs::description(
                    resolved.and_then(|s| s.schema_data.description.as_deref()),
                ),
            });
        }
        Some(self.define(
            &format!("{hint}Multipart"),
            TypeDef {
                name: String::new(),
                docs: Docs::default(),
                kind: TypeKind::Multipart(fields),
            },
        ))
    }
}

/// `type: string, format: binary` (or a schema with only `format: binary`).
fn is_binary(schema: &Schema) -> bool {
    match &schema.schema_kind {
        SchemaKind::Type(Type::String(s)) => {
            matches!(
                s.format,
                VariantOrUnknownOrEmpty::Item(StringFormat::Binary)
            )
        }
        SchemaKind::Any(a) => a.format.as_deref() == Some("binary"),
        _ => false,
    }
}
