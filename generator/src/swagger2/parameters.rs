//! A 2.0 parameter other than a body or form: its type keywords moved into a schema, its
//! `collectionFormat` into `style` and `explode`.

use serde_json::{json, Map, Value};

use super::Upgrade;
use crate::diagnostics::{pointer_push, Loss};

impl Upgrade<'_> {
    /// A `query`, `header` or `path` parameter: its type keywords move into a schema, its
    /// `collectionFormat` becomes `style` and `explode`.
    pub(super) fn parameter(&mut self, param: &Value, from: &str) -> Value {
        let Some(object) = param.as_object() else {
            return param.clone();
        };
        if let Some(reference) = object.get("$ref") {
            return json!({"$ref": reference});
        }
        if object.contains_key("schema") || object.contains_key("content") {
            // In 3.0's form already.
            return param.clone();
        }
        let mut new = Map::new();
        for key in [
            "name",
            "in",
            "description",
            "required",
            "deprecated",
            "allowEmptyValue",
        ] {
            if let Some(value) = object.get(key) {
                new.insert(key.to_owned(), value.clone());
            }
        }
        if let Some(example) = object.get("x-example") {
            new.insert("example".to_owned(), example.clone());
        }
        for (key, value) in object {
            if key.starts_with("x-") && key != "x-example" && key != "x-nullable" {
                new.insert(key.clone(), value.clone());
            }
        }
        let place = object.get("in").and_then(Value::as_str).unwrap_or_default();
        if object.get("type").and_then(Value::as_str) == Some("array") {
            let format = object
                .get("collectionFormat")
                .and_then(Value::as_str)
                .unwrap_or("csv");
            let (style, explode) = match (format, place) {
                ("csv", "query" | "cookie") => ("form", false),
                ("csv", _) => ("simple", false),
                ("multi", "query") => ("form", true),
                ("ssv", "query") => ("spaceDelimited", false),
                ("pipes", "query") => ("pipeDelimited", false),
                _ => {
                    self.diags.lose(
                        Loss::Parameter,
                        "swagger2",
                        self.file,
                        &pointer_push(from, "collectionFormat"),
                        format!(
                            "collectionFormat {format:?} has no OpenAPI 3 form in a {place} \
                             parameter; read as csv"
                        ),
                    );
                    if matches!(place, "query" | "cookie") {
                        ("form", false)
                    } else {
                        ("simple", false)
                    }
                }
            };
            new.insert("style".to_owned(), json!(style));
            new.insert("explode".to_owned(), json!(explode));
        }
        let schema = self.parameter_schema(param, from);
        new.insert("schema".to_owned(), Value::Object(schema));
        Value::Object(new)
    }

    /// The schema of a non-body parameter, a header or an array's `items`: the type keywords
    /// of the object itself.
    pub(super) fn parameter_schema(&mut self, object: &Value, from: &str) -> Map<String, Value> {
        const KEYWORDS: &[&str] = &[
            "type",
            "format",
            "enum",
            "default",
            "maximum",
            "exclusiveMaximum",
            "minimum",
            "exclusiveMinimum",
            "maxLength",
            "minLength",
            "pattern",
            "maxItems",
            "minItems",
            "uniqueItems",
            "multipleOf",
        ];
        let mut schema = Map::new();
        for key in KEYWORDS {
            if let Some(value) = object.get(key) {
                schema.insert((*key).to_owned(), value.clone());
            }
        }
        if let Some(nullable) = object.get("x-nullable") {
            schema.insert("nullable".to_owned(), nullable.clone());
        }
        // Azure's enum name belongs to the enum, which is the schema here.
        if let Some(azure_enum) = object.get("x-ms-enum") {
            schema.insert("x-ms-enum".to_owned(), azure_enum.clone());
        }
        if let Some(items) = object.get("items") {
            let at = pointer_push(from, "items");
            let items = match items.get("$ref") {
                Some(reference) => json!({"$ref": reference}),
                None => Value::Object(self.parameter_schema(items, &at)),
            };
            schema.insert("items".to_owned(), items);
        }
        if schema.get("type").and_then(Value::as_str) == Some("file") {
            schema.insert("type".to_owned(), json!("string"));
            schema.insert("format".to_owned(), json!("binary"));
        }
        schema
    }
}
