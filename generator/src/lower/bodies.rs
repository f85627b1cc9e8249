//! Request and response bodies: each media type of a `content` map becomes a [`Content`];
//! several become an enum the receiver picks from by `Content-Type`.

use openapiv3::{Content as SpecContent, ReferenceOr};
use openapiv3::{RequestBody, Schema, SchemaKind, StringFormat, Type, VariantOrUnknownOrEmpty};

use super::{component_name, pascal, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::media::{essence, is_json};
use crate::model::{Body, Constraints, Content, Docs, Framing, Media, Payload, TypeRef};

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
        let shared = match body {
            ReferenceOr::Reference { reference } => component_name(reference, "requestBodies"),
            ReferenceOr::Item(_) => None,
        };
        let body = self.resolve(body, "requestBodies", |c| &c.request_bodies, pointer)?;
        let payload = match shared {
            Some(name) => self.lower_shared_body(&name, body)?,
            None => self.lower_payload(
                &body.content,
                &format!("{type_name}Body"),
                &pointer_push(pointer, "content"),
                Direction::Request,
            )?,
        };
        Some(Body {
            payload,
            required: body.required,
            docs: Docs::description(body.description.as_deref()),
        })
    }

    /// A body of `components/requestBodies`, lowered once where it is declared and named
    /// after its key (`NewPet`, `NewPetBody` where a type has that name), as a response of
    /// `components/responses` is: every operation taking it names that one type.
    fn lower_shared_body(&mut self, name: &str, body: &'a RequestBody) -> Option<Payload> {
        if let Some(lowered) = self.shared_bodies.get(name) {
            return lowered.clone();
        }
        let pointer = pointer_push("/components/requestBodies", name);
        let hint = self.shared_hint(name, "Body");
        let first = self.graph.defs.len();
        let payload = self.lower_payload(
            &body.content,
            &hint,
            &pointer_push(&pointer, "content"),
            Direction::Request,
        );
        self.mark_authored(first, &hint);
        self.shared_bodies.insert(name.to_owned(), payload.clone());
        payload
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
            .then(|| self.claim_type_name(hint.to_owned()));
        let json_hint = match request_enum {
            Some(_) => format!("{hint}Json"),
            None => hint.to_owned(),
        };
        for (media_type, media) in content {
            let media_pointer = pointer_push(pointer, media_type);
            let schema_pointer = pointer_push(&media_pointer, "schema");
            let kind = essence(media_type);
            let mut constraints = Constraints::default();
            let (variant, media) = if is_json(&kind) || self.is_json_range(&kind, media) {
                let ty = match &media.schema {
                    Some(schema) => self.lower_schema(schema, &json_hint, &schema_pointer),
                    None => TypeRef::Any,
                };
                // What the server holds a request's body to besides its type.
                let resolved = media
                    .schema
                    .as_ref()
                    .filter(|_| direction == Direction::Request)
                    .and_then(|schema| self.resolve_boxless(schema));
                if let Some(schema) = resolved {
                    constraints = self.constraints(schema, &schema_pointer);
                }
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
            } else if let Some((variant, item, framing)) =
                sequential(&kind).and_then(|(variant, framing)| {
                    let item = self.sequence_item(media.schema.as_ref()?, hint, &schema_pointer)?;
                    Some((variant, item, framing))
                })
            {
                (variant.to_owned(), Media::Items(item, framing))
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
                constraints,
            });
        }
        if contents.is_empty() {
            return None;
        }
        let enum_name = (contents.len() > 1)
            .then(|| request_enum.unwrap_or_else(|| self.claim_type_name(format!("{hint}Body"))));
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
}

impl<'a> Lowerer<'a> {
    /// A media range (`*/*`, `application/*`) whose schema describes a structured value:
    /// what Kubernetes' `consumes: ["*/*"]` and springdoc's `*/*` answers mean, JSON. A
    /// range without a schema, or with a string's, stays bytes.
    fn is_json_range(&self, essence: &str, media: &'a openapiv3::MediaType) -> bool {
        if !matches!(essence, "*/*" | "application/*") {
            return false;
        }
        let resolved = match &media.schema {
            Some(ReferenceOr::Item(item)) => Some(item),
            Some(ReferenceOr::Reference { reference }) => self.resolve_quietly(reference),
            None => None,
        };
        resolved.is_some_and(|schema| match &schema.schema_kind {
            SchemaKind::Type(Type::String(_)) => false,
            SchemaKind::Any(a) => {
                !(a.properties.is_empty()
                    && a.items.is_none()
                    && a.all_of.is_empty()
                    && a.one_of.is_empty()
                    && a.any_of.is_empty())
            }
            _ => true,
        })
    }
}

/// Sequential JSON ([`crate::media::sequential_json`]): the variant its media gets in a
/// payload's enum, and how its items are framed.
fn sequential(essence: &str) -> Option<(&'static str, Framing)> {
    let framing = crate::media::sequential_json(essence)?;
    let variant = match framing {
        Framing::Lines => "Jsonl",
        Framing::RecordSeparator => "JsonSeq",
    };
    Some((variant, framing))
}

impl<'a> Lowerer<'a> {
    /// The item type of sequential JSON, whose schema describes the whole sequence as an
    /// array (what a 3.2 `itemSchema` becomes in normalize, and how 3.0 documents write
    /// it); a schema that is not an array leaves the body bytes, as the sequence it
    /// describes is not one 3.2 gives a meaning to.
    fn sequence_item(
        &mut self,
        schema: &'a ReferenceOr<Schema>,
        hint: &str,
        pointer: &str,
    ) -> Option<TypeRef> {
        let (resolved, pointer) = match schema {
            ReferenceOr::Item(item) => (item, pointer.to_owned()),
            ReferenceOr::Reference { reference } => (
                self.resolve_quietly(reference)?,
                reference.trim_start_matches('#').to_owned(),
            ),
        };
        let SchemaKind::Type(Type::Array(array)) = &resolved.schema_kind else {
            return None;
        };
        let item = match &array.items {
            Some(items) => self.lower_boxed(
                items,
                &format!("{hint}Item"),
                &pointer_push(&pointer, "items"),
            ),
            None => TypeRef::Any,
        };
        Some(item)
    }
}

/// `type: string, format: binary` (or a schema with only `format: binary`).
pub(super) fn is_binary(schema: &Schema) -> bool {
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
