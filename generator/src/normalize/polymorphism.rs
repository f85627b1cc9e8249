//! Polymorphism written the inheritance way: a base schema with a `discriminator` and no
//! `oneOf`, and schemas extending it (`allOf: [{$ref: base}, {..their own fields..}]`), as
//! Swagger 2.0 writes it and many 3.x documents still do. Read as it stands, a use of the
//! base is the base's fields only: a `Cat` sent where a `Pet` is declared loses what makes
//! it a cat. What the document means is that a `Pet` is one of its kinds, chosen by the
//! discriminator, and OpenAPI 3 says that with `oneOf`: the base's fields move to
//! `<Base>Base`, which the kinds extend instead, and the base becomes the `oneOf` of its
//! kinds (the base itself among them, under its own name) with the discriminator's
//! mapping, so it lowers to an enum tagged by that property.
//!
//! A kind's discriminator value is the one the mapping gives it, else its
//! `x-ms-discriminator-value` (Azure), else its name. Only kinds in the same document and
//! direct ones are read: a kind of a kind is reached through its parent only as the parent.

use serde_json::{json, Map, Value};

use super::Context;
use crate::diagnostics::pointer_push;

const PREFIX: &str = "#/components/schemas/";

pub fn discriminated_bases(value: &mut Value, cx: &mut Context<'_>) {
    let Some(schemas) = value
        .pointer_mut("/components/schemas")
        .and_then(Value::as_object_mut)
    else {
        return;
    };
    let bases: Vec<(String, String)> = schemas
        .iter()
        .filter_map(|(name, schema)| {
            let schema = schema.as_object()?;
            let property = schema.get("discriminator")?.get("propertyName")?.as_str()?;
            let composed = ["oneOf", "anyOf"].iter().any(|k| schema.contains_key(*k));
            (!composed).then(|| (name.clone(), property.to_owned()))
        })
        .collect();
    for (base, property) in bases {
        let kinds = kinds_of(schemas, &base);
        if kinds.is_empty() {
            continue;
        }
        let mut base_name = format!("{base}Base");
        while schemas.contains_key(&base_name) {
            base_name.push('_');
        }
        let Some(Value::Object(mut fields)) = schemas.remove(&base) else {
            continue;
        };
        let discriminator = fields.remove("discriminator").unwrap_or(Value::Null);
        let mapped = mapping(&discriminator);
        let mut mapping = Map::new();
        let mut alternatives = Vec::new();
        for kind in kinds.iter().chain(std::iter::once(&base)) {
            let target = if *kind == base { &base_name } else { kind };
            let reference = format!("{PREFIX}{target}");
            let given = mapped
                .iter()
                .find(|(_, to)| to == kind)
                .map(|(v, _)| v.clone());
            let azure = schemas
                .get(kind)
                .and_then(|k| k.get("x-ms-discriminator-value"))
                .and_then(Value::as_str)
                .map(str::to_owned);
            let value = given.or(azure).unwrap_or_else(|| kind.clone());
            mapping.insert(value, Value::from(reference.clone()));
            alternatives.push(json!({ "$ref": reference }));
            if *kind != base {
                extend_instead(schemas, kind, &base, &base_name);
            }
        }
        let mut union = Map::new();
        for key in ["title", "description"] {
            if let Some(text) = fields.get(key) {
                union.insert(key.to_owned(), text.clone());
            }
        }
        union.insert("oneOf".to_owned(), Value::Array(alternatives));
        union.insert(
            "discriminator".to_owned(),
            json!({ "propertyName": property, "mapping": mapping }),
        );
        schemas.insert(base_name.clone(), Value::Object(fields));
        schemas.insert(base.clone(), Value::Object(union));
        cx.repaired(
            &pointer_push("/components/schemas", &base),
            format!(
                "`{base}` has a discriminator and {} schemas extend it ({}): its uses are one \
                 of them, chosen by `{property}`, and its own fields are `{base_name}`",
                kinds.len(),
                kinds.join(", ")
            ),
        );
    }
}

/// The schemas whose `allOf` extends `base` directly, sorted by name.
fn kinds_of(schemas: &Map<String, Value>, base: &str) -> Vec<String> {
    let reference = format!("{PREFIX}{base}");
    schemas
        .iter()
        .filter(|(name, schema)| {
            *name != base
                && schema
                    .get("allOf")
                    .and_then(Value::as_array)
                    .is_some_and(|parts| {
                        parts
                            .iter()
                            .any(|p| p.get("$ref").and_then(Value::as_str) == Some(&reference))
                    })
        })
        .map(|(name, _)| name.clone())
        .collect()
}

/// The discriminator's mapping as (value, schema name) for local schema references and
/// bare names.
fn mapping(discriminator: &Value) -> Vec<(String, String)> {
    let Some(mapping) = discriminator.get("mapping").and_then(Value::as_object) else {
        return Vec::new();
    };
    mapping
        .iter()
        .filter_map(|(value, target)| {
            let target = target.as_str()?;
            let name = target.strip_prefix(PREFIX).unwrap_or(target);
            (!name.contains('/')).then(|| (value.clone(), name.to_owned()))
        })
        .collect()
}

/// `kind`'s `allOf` extends `base_name` where it extended `base`.
fn extend_instead(schemas: &mut Map<String, Value>, kind: &str, base: &str, base_name: &str) {
    let from = format!("{PREFIX}{base}");
    let parts = schemas
        .get_mut(kind)
        .and_then(|k| k.get_mut("allOf"))
        .and_then(Value::as_array_mut);
    for part in parts.into_iter().flatten() {
        if part.get("$ref").and_then(Value::as_str) == Some(&from) {
            *part = json!({ "$ref": format!("{PREFIX}{base_name}") });
        }
    }
}
