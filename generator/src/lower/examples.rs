//! The spec's examples, each tied to the type it must read into: component schemas'
//! `example`, and the `example` / `examples` of JSON request and response bodies.
//!
//! An example is checked against the lowered type before it becomes a test: one that
//! contradicts its schema (a missing required property, null where not nullable, a string
//! for a number ...) is reported with its location and left out, as it tests the spec, not
//! the generator. This needs the types, so it runs here rather than in `normalize`.

use std::collections::BTreeMap;

use openapiv3::{Content, ReferenceOr, StatusCode};
use serde_json::Value;

use super::dedup::each_named;
use super::remains::PathRemains;
use super::{snake, Lowerer, Namespace};
use crate::diagnostics::pointer_push;
use crate::model::{
    Constraints, Content as ModelContent, Example, IntRepr, Media, Operation, Payload,
    ResponseHeader, Status, TypeGraph, TypeKind, TypeRef,
};

/// An example found: its label, where it is, the type it must read into, the value, and
/// the response it is a body of (operation, response and content index), if it is one.
type Found<'a> = (
    String,
    String,
    TypeRef,
    &'a Value,
    Option<(usize, usize, usize)>,
);

impl<'a> Lowerer<'a> {
    /// The examples that become tests; each response with a JSON body also gets the body
    /// the generated mock answers with ([`crate::model::Response::example`]).
    /// The bodies and responses of the path items' operations are read from `remains`.
    pub(super) fn collect_examples(
        &mut self,
        operations: &mut [Operation],
        remains: &'a PathRemains,
    ) -> Vec<Example> {
        let mut found: Vec<Found<'a>> = Vec::new();
        let spec = self.spec;
        if let Some(components) = &spec.components {
            for (name, schema) in &components.schemas {
                if let ReferenceOr::Item(schema) = schema {
                    if let Some(value) = &schema.schema_data.example {
                        let pointer =
                            pointer_push(&pointer_push("/components/schemas", name), "example");
                        let ty = TypeRef::Named(self.components[name]);
                        found.push((format!("schema {name}"), pointer, ty, value, None));
                    }
                }
            }
        }
        for (op_index, op) in operations.iter().enumerate() {
            let path_pointer = pointer_push("/paths", &op.path.raw);
            let pointer = pointer_push(&path_pointer, &op.method.as_str().to_ascii_lowercase());
            let Some(spec_op) = remains.example_sources(&op.path.raw, op.method.as_str()) else {
                continue;
            };
            if let (Some(body), Some(spec_body)) = (&op.body, &spec_op.request_body) {
                let body_pointer = pointer_push(&pointer, "requestBody");
                let spec_body = self.resolve(
                    spec_body,
                    "requestBodies",
                    |c| &c.request_bodies,
                    &body_pointer,
                );
                for ((_, content), spec_body) in
                    json_contents(&body.payload).zip(std::iter::repeat(spec_body))
                {
                    let (Media::Json(ty), Some(spec_body)) = (&content.media, spec_body) else {
                        continue;
                    };
                    let label = format!("{} request", op.name);
                    self.media_examples(
                        &spec_body.content,
                        (&content.content_type, ty),
                        &label,
                        &body_pointer,
                        None,
                        &mut found,
                    );
                }
            }
            for (response_index, response, content_index, content) in
                op.responses.iter().enumerate().flat_map(|(r, response)| {
                    response.body.iter().flat_map(move |body| {
                        json_contents(body).map(move |(c, content)| (r, response, c, content))
                    })
                })
            {
                let (Media::Json(ty), content_type) = (&content.media, &content.content_type)
                else {
                    continue;
                };
                let (key, spec_response) = match response.status {
                    Status::Code(code) => (
                        code.to_string(),
                        spec_op.responses.responses.get(&StatusCode::Code(code)),
                    ),
                    Status::Range(range) => (
                        format!("{range}XX"),
                        spec_op.responses.responses.get(&StatusCode::Range(range)),
                    ),
                    Status::Default => ("default".to_owned(), spec_op.responses.default.as_ref()),
                };
                let response_pointer = pointer_push(&pointer_push(&pointer, "responses"), &key);
                let Some(spec_response) = spec_response.and_then(|r| {
                    self.resolve(r, "responses", |c| &c.responses, &response_pointer)
                }) else {
                    continue;
                };
                let label = format!("{} {key}", op.name);
                self.media_examples(
                    &spec_response.content,
                    (content_type, ty),
                    &label,
                    &response_pointer,
                    Some((op_index, response_index, content_index)),
                    &mut found,
                );
            }
        }
        let mut names = Namespace::default();
        let mut examples = Vec::new();
        let custom = CustomReach::of(&self.graph);
        for (label, pointer, ty, value, answers) in found {
            // A type the user chose may write a value in another form than it was read
            // (a decimal as a string, say): such examples are not round-trip tests.
            if custom.reaches(&ty) {
                continue;
            }
            if let Err(problem) = fits(&self.graph, &ty, value, "") {
                self.warn(
                    "example",
                    &pointer,
                    format!("the example does not match its schema ({problem}); it is not used as a test"),
                );
                continue;
            }
            let json = value.to_string();
            if let Some((op, response, content)) = answers {
                let example = &mut operations[op].responses[response].example;
                if example.is_none() {
                    *example = Some((content, json.clone()));
                }
            }
            examples.push(Example {
                name: names.claim(snake(&label, "example")),
                pointer,
                ty,
                json,
            });
        }
        self.mock_bodies(operations, &examples, &custom);
        examples
    }

    /// A body for each response with a JSON body and no example of its own: the example of
    /// its type's schema, else a value built from the type ([`sample`]) if one reads into
    /// it; a body of a type the user chose gets none.
    fn mock_bodies(
        &self,
        operations: &mut [Operation],
        examples: &[Example],
        custom: &CustomReach,
    ) {
        // The first example of each component schema, looked up once per response.
        let mut schema_examples: BTreeMap<&TypeRef, &str> = BTreeMap::new();
        for example in examples
            .iter()
            .filter(|e| e.pointer.starts_with("/components/schemas/"))
        {
            schema_examples.entry(&example.ty).or_insert(&example.json);
        }
        for response in operations.iter_mut().flat_map(|op| &mut op.responses) {
            self.mock_headers(&mut response.headers, custom);
            if response.example.is_some() {
                continue;
            }
            let Some(body) = &response.body else {
                continue;
            };
            let Some((content, ty)) = json_contents(body).find_map(|(i, c)| match &c.media {
                Media::Json(ty) => Some((i, ty)),
                _ => None,
            }) else {
                continue;
            };
            let schema_example = schema_examples.get(ty).map(|json| (*json).to_owned());
            let built = || {
                if custom.reaches(ty) {
                    return None;
                }
                let value = sample(&self.graph, ty, &Constraints::default(), 0)?;
                fits(&self.graph, ty, &value, "").ok()?;
                Some(value.to_string())
            };
            response.example = schema_example.or_else(built).map(|json| (content, json));
        }
    }

    /// A value for each required header of a response: the spec's example where it reads
    /// into the header's type, else one built from the type ([`sample`]); none for an
    /// optional header (the mock leaves it out) or a type the user chose.
    fn mock_headers(&self, headers: &mut [ResponseHeader], custom: &CustomReach) {
        for header in headers {
            let written = header.example.take();
            if !header.required {
                continue;
            }
            let fits_type = |value: &Value| fits(&self.graph, &header.ty, value, "").is_ok();
            let written = written.filter(|json| {
                serde_json::from_str::<Value>(json).is_ok_and(|value| fits_type(&value))
            });
            let built = || {
                if custom.reaches(&header.ty) {
                    return None;
                }
                let value = sample(&self.graph, &header.ty, &header.rules, 0)?;
                fits_type(&value).then(|| value.to_string())
            };
            header.example = written.or_else(built);
        }
    }

    /// The examples of one media type of a body: `(content_type, ty)`; `answers` is the
    /// response (operation, response and content index) a response example is a body of.
    fn media_examples(
        &mut self,
        content: &'a Content,
        (content_type, ty): (&str, &TypeRef),
        label: &str,
        pointer: &str,
        answers: Option<(usize, usize, usize)>,
        found: &mut Vec<Found<'a>>,
    ) {
        let Some(media) = content.get(content_type) else {
            return;
        };
        let media_pointer = pointer_push(&pointer_push(pointer, "content"), content_type);
        if let Some(value) = &media.example {
            found.push((
                label.to_owned(),
                pointer_push(&media_pointer, "example"),
                ty.clone(),
                value,
                answers,
            ));
        }
        for (name, example) in &media.examples {
            let example_pointer = pointer_push(&pointer_push(&media_pointer, "examples"), name);
            let Some(example) =
                self.resolve(example, "examples", |c| &c.examples, &example_pointer)
            else {
                continue;
            };
            if let Some(value) = &example.value {
                found.push((
                    format!("{label} {name}"),
                    pointer_push(&example_pointer, "value"),
                    ty.clone(),
                    value,
                    answers,
                ));
            }
        }
    }
}

/// Whether `value` reads into `ty` and writes back the same: `Err` names the first place
/// where it does not.
fn fits(graph: &TypeGraph, ty: &TypeRef, value: &Value, at: &str) -> Result<(), String> {
    let here = || {
        if at.is_empty() {
            "the value".to_owned()
        } else {
            at.to_owned()
        }
    };
    let expect = |ok: bool, what: &str| {
        if ok {
            Ok(())
        } else {
            Err(format!("{} is {value}, not {what}", here()))
        }
    };
    match ty {
        TypeRef::Any => Ok(()),
        TypeRef::Custom(_) => Ok(()),
        TypeRef::String => expect(value.is_string(), "a string"),
        TypeRef::DateTime => expect(
            value.as_str().is_some_and(looks_like_date_time),
            "an RFC 3339 date-time",
        ),
        TypeRef::Date => expect(
            value.as_str().is_some_and(looks_like_date),
            "a date (YYYY-MM-DD)",
        ),
        TypeRef::Uuid => expect(value.as_str().is_some_and(looks_like_uuid), "a UUID"),
        TypeRef::Base64 => expect(
            value.as_str().is_some_and(|s| {
                s.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+/=-_".contains(&b))
            }),
            "base64 text",
        ),
        TypeRef::Bool => expect(value.is_boolean(), "a boolean"),
        TypeRef::I32 => expect(
            value.as_i64().is_some_and(|i| i32::try_from(i).is_ok()),
            "a 32-bit integer",
        ),
        TypeRef::I64 => expect(value.is_i64(), "an integer"),
        TypeRef::U32 => expect(
            value.as_u64().is_some_and(|i| u32::try_from(i).is_ok()),
            "an unsigned 32-bit integer",
        ),
        TypeRef::U64 => expect(value.is_u64(), "an unsigned integer"),
        // A float written back as `1.0` reads as the example's `1`; they compare equal by value.
        TypeRef::F32 | TypeRef::F64 => expect(value.is_number(), "a number"),
        TypeRef::List(item) => match value.as_array() {
            Some(items) => items
                .iter()
                .enumerate()
                .try_for_each(|(i, v)| fits(graph, item, v, &format!("{at}[{i}]"))),
            None => expect(false, "an array"),
        },
        TypeRef::Map(values) => match value.as_object() {
            Some(entries) => entries
                .iter()
                .try_for_each(|(k, v)| fits(graph, values, v, &format!("{at}.{k}"))),
            None => expect(false, "an object"),
        },
        TypeRef::Named(id) => match &graph.get(*id).kind {
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => fits(graph, inner, value, at),
            TypeKind::Enum(_) => expect(value.is_string(), "a string"),
            TypeKind::IntEnum(variants) => {
                let repr = IntRepr::of_variants(variants);
                let fits = value.as_number().and_then(|n| repr.read(n)).is_some();
                expect(fits, &format!("an integer that fits {}", repr.as_str()))
            }
            TypeKind::Tagged { .. } => expect(value.is_object(), "an object"),
            // Multipart bodies are not JSON; no example is read into one.
            TypeKind::Multipart(_) => Err("a multipart body, not JSON".to_owned()),
            TypeKind::Untagged(variants) => {
                let ok = variants
                    .iter()
                    .any(|v| fits(graph, &v.ty, value, at).is_ok());
                expect(ok, "any of the oneOf/anyOf alternatives")
            }
            TypeKind::Struct(fields) => {
                let Some(object) = value.as_object() else {
                    return expect(false, "an object");
                };
                for field in fields.iter().filter(|f| !f.flatten) {
                    let field_at = format!("{at}.{}", field.api_name);
                    match object.get(&field.api_name) {
                        None if field.required => {
                            return Err(format!("required property {field_at} is missing"))
                        }
                        None => {}
                        Some(Value::Null) if field.nullable => {}
                        Some(Value::Null) => {
                            return Err(format!("{field_at} is null, but not nullable"))
                        }
                        Some(v) => fits(graph, &field.ty, v, &field_at)?,
                    }
                }
                let additional = fields.iter().find(|f| f.flatten);
                for (key, v) in object {
                    if fields.iter().any(|f| !f.flatten && f.api_name == *key) {
                        continue;
                    }
                    match additional {
                        Some(map) => match &map.ty {
                            TypeRef::Map(values) => fits(graph, values, v, &format!("{at}.{key}"))?,
                            other => fits(graph, other, v, &format!("{at}.{key}"))?,
                        },
                        None => return Err(format!("property {at}.{key} is not in the schema")),
                    }
                }
                Ok(())
            }
        },
    }
}

/// The definitions whose values contain a type the user chose: those whose fields,
/// variants or aliased type name one (through lists and maps), and every definition that
/// reaches one of those. Found once for the graph, walking back from each definition to
/// those that name it, so asking costs nothing per example (a walk per example, keeping
/// the definitions seen in a list, was a quarter of Microsoft Graph's generation).
struct CustomReach(Vec<bool>);

impl CustomReach {
    fn of(graph: &TypeGraph) -> Self {
        let mut reaches = vec![false; graph.defs.len()];
        let mut named_by: Vec<Vec<usize>> = vec![Vec::new(); graph.defs.len()];
        let mut found = Vec::new();
        for (id, def) in graph.defs.iter().enumerate() {
            let mut direct = false;
            let mut uses = |ty: &TypeRef| {
                direct |= names_custom(ty);
                each_named(ty, &mut |named| named_by[named].push(id));
            };
            match &def.kind {
                TypeKind::Struct(fields) => fields.iter().for_each(|f| uses(&f.ty)),
                TypeKind::Tagged { variants, .. } => variants.iter().for_each(|v| uses(&v.ty)),
                TypeKind::Untagged(variants) => variants.iter().for_each(|v| uses(&v.ty)),
                TypeKind::Alias(inner) | TypeKind::Newtype(inner) => uses(inner),
                TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Multipart(_) => {}
            }
            if direct {
                reaches[id] = true;
                found.push(id);
            }
        }
        while let Some(id) = found.pop() {
            for &user in &named_by[id] {
                if !reaches[user] {
                    reaches[user] = true;
                    found.push(user);
                }
            }
        }
        CustomReach(reaches)
    }

    /// Whether values of `ty` contain a type the user chose.
    fn reaches(&self, ty: &TypeRef) -> bool {
        match ty {
            TypeRef::Named(id) => self.0[id.0],
            TypeRef::List(inner) | TypeRef::Map(inner) => self.reaches(inner),
            ty => names_custom(ty),
        }
    }
}

/// Whether `ty` is a type the user chose, or a list or map of one.
fn names_custom(ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Custom(_) => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => names_custom(inner),
        _ => false,
    }
}

/// `2024-05-01T10:00:00Z`, with optional fractions and an offset instead of `Z`.
fn looks_like_date_time(text: &str) -> bool {
    let Some((date, time)) = text.split_once('T') else {
        return false;
    };
    let t = time.as_bytes();
    let zoned = t.ends_with(b"Z") || (t.len() > 6 && matches!(t[t.len() - 6], b'+' | b'-'));
    t.len() >= 9 && t[2] == b':' && zoned && looks_like_date(date)
}

fn looks_like_date(text: &str) -> bool {
    let b = text.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn looks_like_uuid(text: &str) -> bool {
    let b = text.as_bytes();
    (b.len() == 36
        && b.iter().enumerate().all(|(i, c)| {
            if matches!(i, 8 | 13 | 18 | 23) {
                *c == b'-'
            } else {
                c.is_ascii_hexdigit()
            }
        }))
        || (b.len() == 32 && b.iter().all(u8::is_ascii_hexdigit))
}

/// The JSON media of a payload, with their index: the ones whose examples are JSON values
/// of their type.
fn json_contents(payload: &Payload) -> impl Iterator<Item = (usize, &ModelContent)> {
    payload
        .contents
        .iter()
        .enumerate()
        .filter(|(_, c)| matches!(c.media, Media::Json(_)))
}

/// A value of `ty` built from its schema, for a mock to answer with where the spec gives no
/// example: each required property, the first value of an enum, the first alternative that
/// can be built, zero or the nearest number the bounds allow, `string` cut or padded to the
/// lengths allowed, empty lists and maps. `None` where nothing can be built (a required property that holds its own
/// type, nesting past 32 levels, a multipart body, a type the user chose).
fn sample(graph: &TypeGraph, ty: &TypeRef, rules: &Constraints, depth: usize) -> Option<Value> {
    if depth > 32 {
        return None;
    }
    // Zero, or the nearest whole number the bounds allow.
    let number = || {
        let above = rules.minimum.map_or(0.0, |m| m.max(0.0).ceil());
        rules.maximum.map_or(above, |m| above.min(m.floor()))
    };
    // `string`, cut or padded to the lengths allowed.
    let text = || {
        let mut text: String = "string"
            .chars()
            .take(rules.max_length.unwrap_or(6))
            .collect();
        while text.len() < rules.min_length.unwrap_or(0) {
            text.push('x');
        }
        text
    };
    Some(match ty {
        TypeRef::Any => Value::Null,
        TypeRef::Custom(_) => return None,
        TypeRef::String => Value::String(text()),
        TypeRef::DateTime => Value::from("1970-01-01T00:00:00Z"),
        TypeRef::Date => Value::from("1970-01-01"),
        TypeRef::Uuid => Value::from("00000000-0000-0000-0000-000000000000"),
        TypeRef::Base64 => Value::from(""),
        TypeRef::Bool => Value::Bool(false),
        TypeRef::I32 | TypeRef::I64 => Value::from(number() as i64),
        TypeRef::U32 | TypeRef::U64 => Value::from(number().max(0.0) as u64),
        TypeRef::F32 | TypeRef::F64 => {
            serde_json::Number::from_f64(number()).map_or(Value::from(0), Value::Number)
        }
        TypeRef::List(_) => Value::Array(Vec::new()),
        TypeRef::Map(_) => Value::Object(serde_json::Map::new()),
        TypeRef::Named(id) => match &graph.get(*id).kind {
            TypeKind::Alias(inner) | TypeKind::Newtype(inner) => {
                sample(graph, inner, rules, depth + 1)?
            }
            TypeKind::Enum(variants) => Value::from(variants.first()?.value.clone()),
            TypeKind::IntEnum(variants) => {
                let value = variants.first()?.value;
                i64::try_from(value)
                    .map(Value::from)
                    .or_else(|_| u64::try_from(value).map(Value::from))
                    .ok()?
            }
            TypeKind::Tagged { property, variants } => {
                let variant = variants.first()?;
                let mut value = sample(graph, &variant.ty, &Constraints::default(), depth + 1)?;
                value
                    .as_object_mut()?
                    .insert(property.clone(), Value::from(variant.value.clone()));
                value
            }
            TypeKind::Untagged(variants) => variants
                .iter()
                .find_map(|v| sample(graph, &v.ty, &Constraints::default(), depth + 1))?,
            TypeKind::Multipart(_) => return None,
            TypeKind::Struct(fields) => {
                let mut object = serde_json::Map::new();
                for field in fields.iter().filter(|f| f.required && !f.flatten) {
                    let value = match &field.default {
                        Some(default) => default.clone(),
                        None if field.nullable => Value::Null,
                        None => sample(graph, &field.ty, &field.constraints, depth + 1)?,
                    };
                    object.insert(field.api_name.clone(), value);
                }
                Value::Object(object)
            }
        },
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lower::dedup::tests::{def, field};
    use crate::model::TypeId;

    #[test]
    fn a_chosen_type_is_reached_through_cycles_lists_and_maps_only_where_held() {
        let named = |id| TypeRef::Named(TypeId(id));
        let custom = || TypeRef::Custom("rust_decimal::Decimal".to_owned());
        let graph = TypeGraph {
            defs: vec![
                // 0 and 1 hold each other; 1 holds the chosen type in a map.
                def(
                    "A",
                    TypeKind::Struct(vec![field("b", TypeRef::List(Box::new(named(1))))]),
                ),
                def(
                    "B",
                    TypeKind::Struct(vec![
                        field("a", named(0)),
                        field("amounts", TypeRef::Map(Box::new(custom()))),
                    ]),
                ),
                def("C", TypeKind::Alias(named(0))),
                // A cycle that reaches nothing chosen.
                def("D", TypeKind::Struct(vec![field("d", named(3))])),
                def("E", TypeKind::Enum(Vec::new())),
                def("F", TypeKind::Newtype(named(4))),
            ],
            ..TypeGraph::default()
        };
        let reach = CustomReach::of(&graph);
        let reached: Vec<bool> = (0..6).map(|id| reach.reaches(&named(id))).collect();
        assert_eq!(reached, [true, true, true, false, false, false]);
        assert!(reach.reaches(&TypeRef::List(Box::new(named(2)))));
        assert!(reach.reaches(&custom()));
        assert!(!reach.reaches(&TypeRef::String));
    }
}
