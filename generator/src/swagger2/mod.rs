//! Swagger 2.0 read natively: a 2.0 document is rewritten into the OpenAPI 3.0 tree the rest
//! of the pipeline reads, before the normalize rules run on it.
//!
//! What moves: `definitions`, `parameters`, `responses` and `securityDefinitions` become
//! components (every `$ref` rewritten); `body` and `formData` parameters become request
//! bodies, one media type per `consumes` entry; a response's `schema` becomes its content,
//! one media type per `produces` entry; `host`, `basePath` and `schemes` become servers;
//! `collectionFormat` becomes `style` and `explode`; `type: file` becomes a binary string;
//! `x-nullable` becomes `nullable`, `x-example` an example; `x-ms-paths` are paths. Each
//! moved part is returned with its place in the 2.0 file, for the provenance, so that a
//! diagnostic about it names that place.
//!
//! A document is upgraded as it is loaded, before its refs to other files are bundled; the
//! schemas bundled in from other files are upgraded after ([`upgrade_bundled_schemas`]).

use serde_json::{json, Map, Value};

use crate::diagnostics::{pointer_push, Diagnostics, Loss};
use crate::parse::METHODS;

mod parameters;
mod refs;
mod security;

use refs::rewrite_refs;
use security::servers;

/// The version a 2.0 document is read as.
const UPGRADED_VERSION: &str = "3.0.3";

/// The media type a body or response is given when no `consumes` or `produces` says.
const DEFAULT_MEDIA: &str = "application/json";

/// Whether `doc` is a Swagger 2.0 document.
pub fn is_swagger2(doc: &Value) -> bool {
    doc.get("swagger")
        .and_then(Value::as_str)
        .is_some_and(|v| v.trim() == "2.0")
}

/// (pointer in the 3.0 tree, pointer in the 2.0 document) for each part that moved.
pub type Moves = Vec<(String, String)>;

/// Rewrites the 2.0 document `doc` (from `file`) as OpenAPI 3.0; returns where each moved
/// part came from.
pub fn upgrade(doc: &mut Value, file: &str, diags: &mut Diagnostics) -> Moves {
    refs::bare_name_refs(doc, file, diags);
    let Value::Object(old) = std::mem::take(doc) else {
        return Moves::new();
    };
    let mut upgrade = Upgrade::new(&old, file, diags);
    let mut new = Map::new();
    new.insert("openapi".to_owned(), json!(UPGRADED_VERSION));
    for (key, value) in &old {
        if matches!(key.as_str(), "info" | "tags" | "externalDocs" | "security")
            || key.starts_with("x-") && key != "x-ms-paths"
        {
            new.insert(key.clone(), value.clone());
        }
    }
    if let Some(servers) = servers(&old) {
        new.insert("servers".to_owned(), servers);
    }
    new.insert("components".to_owned(), upgrade.components(&old));
    let mut paths = Map::new();
    for section in ["paths", "x-ms-paths"] {
        for (path, item) in old
            .get(section)
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
        {
            let at = pointer_push(&pointer_push("", section), path);
            let item = upgrade.path_item(item, &at, &pointer_push("/paths", path));
            if paths.contains_key(path) {
                upgrade.diags.lose(
                    Loss::Operation,
                    "swagger2",
                    upgrade.file,
                    &at,
                    "this path is also under `paths`; the one there is kept".to_owned(),
                );
            } else {
                paths.insert(path.clone(), item);
            }
        }
    }
    new.insert("paths".to_owned(), Value::Object(paths));
    let mut new = Value::Object(new);
    rewrite_refs(&mut new, &upgrade.body_parameters, false);
    *doc = new;
    upgrade.moves
}

/// Upgrades what was bundled from other files, written in 2.0's forms too: schemas,
/// parameters, responses, and path items bundled in place (`$ref:
/// shared/auth.yml#/paths/login`, a multi-file API's habit), whose `body` and `formData`
/// parameters become request bodies; a `body` or `formData` parameter bundled into
/// `components/parameters` is a request body wherever an operation refers to it. A part
/// already in 3.0's form is left as it is.
pub fn upgrade_bundled(doc: &mut Value, file: &str, diags: &mut Diagnostics) {
    // Parts of other files: no document's `consumes` or `produces` applies to them.
    let mut upgrade = Upgrade::new(&Map::new(), file, diags);
    upgrade_bundled_components(doc, &mut upgrade);
    let payload_refs = !upgrade.body_parameters.is_empty() || !upgrade.form_parameters.is_empty();
    let Some(Value::Object(paths)) = doc.get_mut("paths") else {
        return;
    };
    for (path, item) in paths.iter_mut() {
        if payload_refs || written_in_2(item) {
            let at = pointer_push("/paths", path);
            *item = upgrade.path_item(item, &at, &at);
        }
    }
}

/// Whether a path item bundled in place is in 2.0's form: a parameter with its type beside
/// it or in a body or form, or a response with a `schema`.
fn written_in_2(item: &Value) -> bool {
    let operations = METHODS.iter().filter_map(|m| item.get(*m));
    let parameters = std::iter::once(item)
        .chain(operations.clone())
        .filter_map(|o| o.get("parameters").and_then(Value::as_array))
        .flatten();
    let responses = operations
        .filter_map(|op| op.get("responses").and_then(Value::as_object))
        .flat_map(|r| r.values());
    parameters.into_iter().any(|p| {
        matches!(
            p.get("in").and_then(Value::as_str),
            Some("body" | "formData")
        ) || p.get("type").is_some() && p.get("schema").is_none()
    }) || responses.into_iter().any(|r| r.get("schema").is_some())
}

fn upgrade_bundled_components(doc: &mut Value, upgrade: &mut Upgrade<'_>) {
    let Some(Value::Object(components)) = doc.get_mut("components") else {
        return;
    };
    if let Some(Value::Object(schemas)) = components.get_mut("schemas") {
        schemas.values_mut().for_each(upgrade_schema);
    }
    if let Some(Value::Object(parameters)) = components.get_mut("parameters") {
        // Bodies and forms are not parameters in 3.0: they are read where they are used.
        let payloads: Vec<String> = parameters
            .iter()
            .filter(|(_, p)| {
                matches!(
                    p.get("in").and_then(Value::as_str),
                    Some("body" | "formData")
                )
            })
            .map(|(name, _)| name.clone())
            .collect();
        for name in payloads {
            if let Some(param) = parameters.remove(&name) {
                match param.get("in").and_then(Value::as_str) {
                    Some("body") => upgrade.body_parameters.insert(name, param),
                    _ => upgrade.form_parameters.insert(name, param),
                };
            }
        }
        for (name, param) in parameters.iter_mut() {
            let written_in_2 = ["schema", "content", "$ref"]
                .iter()
                .all(|key| param.get(key).is_none());
            if written_in_2 {
                let at = pointer_push("/components/parameters", name);
                *param = upgrade.parameter(param, &at);
            }
        }
    }
    if let Some(Value::Object(responses)) = components.get_mut("responses") {
        for (name, response) in responses.iter_mut() {
            if response.get("schema").is_some() {
                let at = pointer_push("/components/responses", name);
                *response = upgrade.response(response, &[], &at, &at);
            }
        }
    }
}

struct Upgrade<'a> {
    file: &'a str,
    diags: &'a mut Diagnostics,
    moves: Moves,
    consumes: Vec<String>,
    produces: Vec<String>,
    /// Global `formData` parameters by name: inlined where an operation refers to them.
    form_parameters: Map<String, Value>,
    /// Global `body` parameters by name: they become `components/requestBodies`.
    body_parameters: Map<String, Value>,
}

impl<'a> Upgrade<'a> {
    /// The upgrade of the document whose root is `root`: its `consumes` and `produces` are
    /// what its operations default to.
    fn new(root: &Map<String, Value>, file: &'a str, diags: &'a mut Diagnostics) -> Self {
        Upgrade {
            file,
            diags,
            moves: Moves::new(),
            consumes: media_list(root.get("consumes")),
            produces: media_list(root.get("produces")),
            form_parameters: Map::new(),
            body_parameters: Map::new(),
        }
    }

    fn moved(&mut self, to: String, from: String) {
        if to != from {
            self.moves.push((to, from));
        }
    }

    fn components(&mut self, old: &Map<String, Value>) -> Value {
        // Refs to other files are bundled into `components` before this runs.
        let mut components = old
            .get("components")
            .and_then(Value::as_object)
            .cloned()
            .unwrap_or_default();
        let mut section = |name: &str| -> Map<String, Value> {
            components
                .remove(name)
                .and_then(|v| match v {
                    Value::Object(map) => Some(map),
                    _ => None,
                })
                .unwrap_or_default()
        };
        let mut schemas = section("schemas");
        let mut parameters = section("parameters");
        let mut bodies = section("requestBodies");
        let mut responses = section("responses");
        let mut schemes = section("securitySchemes");
        for schema in schemas.values_mut() {
            upgrade_schema(schema);
        }
        for (name, schema) in entries(old.get("definitions")) {
            let mut schema = schema.clone();
            upgrade_schema(&mut schema);
            schemas.insert(name.clone(), schema);
            self.moved(
                pointer_push("/components/schemas", name),
                pointer_push("/definitions", name),
            );
        }
        for (name, param) in entries(old.get("parameters")) {
            let from = pointer_push("/parameters", name);
            match param.get("in").and_then(Value::as_str) {
                Some("body") => {
                    self.body_parameters.insert(name.clone(), param.clone());
                    let consumes = self.consumes.clone();
                    bodies.insert(name.clone(), body(param, &consumes));
                    self.moved(pointer_push("/components/requestBodies", name), from);
                }
                Some("formData") => {
                    self.form_parameters.insert(name.clone(), param.clone());
                }
                _ => {
                    let param = self.parameter(param, &from);
                    parameters.insert(name.clone(), param);
                    self.moved(pointer_push("/components/parameters", name), from);
                }
            }
        }
        for (name, response) in entries(old.get("responses")) {
            let at = pointer_push("/components/responses", name);
            let produces = self.produces.clone();
            let response =
                self.response(response, &produces, &at, &pointer_push("/responses", name));
            responses.insert(name.clone(), response);
        }
        for (name, scheme) in entries(old.get("securityDefinitions")) {
            let from = pointer_push("/securityDefinitions", name);
            if let Some(scheme) = self.security_scheme(scheme, &from) {
                schemes.insert(name.clone(), scheme);
                self.moved(pointer_push("/components/securitySchemes", name), from);
            }
        }
        for (name, map) in [
            ("schemas", schemas),
            ("parameters", parameters),
            ("requestBodies", bodies),
            ("responses", responses),
            ("securitySchemes", schemes),
        ] {
            if !map.is_empty() {
                components.insert(name.to_owned(), Value::Object(map));
            }
        }
        Value::Object(components)
    }

    /// A path item; `from` is where it is in the 2.0 document, `to` where it goes.
    fn path_item(&mut self, item: &Value, from: &str, to: &str) -> Value {
        let Some(item) = item.as_object() else {
            return item.clone();
        };
        if item.contains_key("$ref") {
            return Value::Object(item.clone());
        }
        self.moved(to.to_owned(), from.to_owned());
        let mut new = Map::new();
        // Path-level `body` and `formData` parameters belong to each operation's body.
        let (plain, shared_payload) = self.split_parameters(item.get("parameters"), from, to);
        if !plain.is_empty() {
            new.insert("parameters".to_owned(), Value::Array(plain));
        }
        for (key, value) in item {
            if METHODS.contains(&key.as_str()) {
                let op = self.operation(
                    value,
                    &shared_payload,
                    &pointer_push(from, key),
                    &pointer_push(to, key),
                );
                new.insert(key.clone(), op);
            } else if key != "parameters" {
                new.insert(key.clone(), value.clone());
            }
        }
        Value::Object(new)
    }

    fn operation(
        &mut self,
        op: &Value,
        shared_payload: &[(Value, String)],
        from: &str,
        to: &str,
    ) -> Value {
        let Some(op) = op.as_object() else {
            return op.clone();
        };
        let consumes = op
            .get("consumes")
            .map_or_else(|| self.consumes.clone(), |c| media_list(Some(c)));
        let produces = op
            .get("produces")
            .map_or_else(|| self.produces.clone(), |p| media_list(Some(p)));
        let mut new = Map::new();
        let (plain, mut payload) = self.split_parameters(op.get("parameters"), from, to);
        // An operation's own parameter overrides a path-level one of the same name and place.
        for (param, at) in shared_payload {
            let (name, place) = self.name_and_place(param);
            if !payload
                .iter()
                .any(|(p, _)| self.name_and_place(p) == (name.clone(), place.clone()))
            {
                payload.push((param.clone(), at.clone()));
            }
        }
        for (key, value) in op {
            match key.as_str() {
                "parameters" | "consumes" | "produces" | "schemes" => {}
                "responses" => {
                    let responses = self.responses(value, &produces, from, to);
                    new.insert(key.clone(), responses);
                }
                _ => {
                    new.insert(key.clone(), value.clone());
                }
            }
        }
        if !plain.is_empty() {
            new.insert("parameters".to_owned(), Value::Array(plain));
        }
        if new.contains_key("requestBody") {
            // Read already (a path item bundled from another file, upgraded again).
            for (_, from) in &payload {
                self.diags.lose(
                    Loss::Body,
                    "swagger2",
                    self.file,
                    from,
                    "a `body` or `formData` parameter beside the request body; the request body is kept".to_owned(),
                );
            }
        } else if let Some(body) = self.request_body(&payload, &consumes, to) {
            new.insert("requestBody".to_owned(), body);
        }
        Value::Object(new)
    }

    /// The parameters of a path item or operation at `from` (going to `to`): those that stay
    /// parameters, upgraded, and the `body` and `formData` ones, each with its place.
    fn split_parameters(
        &mut self,
        parameters: Option<&Value>,
        from: &str,
        to: &str,
    ) -> (Vec<Value>, Vec<(Value, String)>) {
        let mut plain = Vec::new();
        let mut payload = Vec::new();
        let list = parameters.and_then(Value::as_array).into_iter().flatten();
        for (i, param) in list.enumerate() {
            let at = pointer_push(&pointer_push(from, "parameters"), &i.to_string());
            match self.kind(param) {
                Kind::Body | Kind::Form => payload.push((param.clone(), at)),
                Kind::Plain => {
                    self.moved(
                        pointer_push(&pointer_push(to, "parameters"), &plain.len().to_string()),
                        at.clone(),
                    );
                    plain.push(self.parameter(param, &at));
                }
            }
        }
        (plain, payload)
    }

    /// The request body of an operation's `body` parameter or its `formData` parameters.
    fn request_body(
        &mut self,
        payload: &[(Value, String)],
        consumes: &[String],
        to: &str,
    ) -> Option<Value> {
        let at = pointer_push(to, "requestBody");
        let mut body_param = None;
        let mut form = Vec::new();
        for (param, from) in payload {
            let resolved = self.resolve(param);
            if resolved.get("in").and_then(Value::as_str) == Some("body") {
                if body_param.is_some() {
                    self.diags.lose(
                        Loss::Body,
                        "swagger2",
                        self.file,
                        from,
                        "a second `body` parameter; an operation has one body, the first is kept"
                            .to_owned(),
                    );
                } else {
                    body_param = Some((param, resolved, from));
                }
            } else {
                form.push((resolved, from));
            }
        }
        if let Some((param, resolved, from)) = body_param {
            for (_, from) in &form {
                self.diags.lose(
                    Loss::Body,
                    "swagger2",
                    self.file,
                    from,
                    "a `formData` parameter beside a `body` parameter; the body is kept".to_owned(),
                );
            }
            self.moved(at, from.clone());
            if let Some(name) = param
                .get("$ref")
                .and_then(Value::as_str)
                .and_then(|r| r.strip_prefix("#/parameters/"))
            {
                return Some(json!({"$ref": format!("#/components/requestBodies/{name}")}));
            }
            return Some(body(&resolved, consumes));
        }
        let (_, first) = form.first()?;
        self.moved(at, (*first).clone());
        let mut properties = Map::new();
        let mut required = Vec::new();
        let mut has_file = false;
        for (param, from) in &form {
            let Some(name) = param.get("name").and_then(Value::as_str) else {
                continue;
            };
            has_file |= param.get("type").and_then(Value::as_str) == Some("file");
            let mut schema = self.parameter_schema(param, from);
            if let Some(description) = param.get("description") {
                schema.insert("description".to_owned(), description.clone());
            }
            properties.insert(name.to_owned(), Value::Object(schema));
            if param.get("required").and_then(Value::as_bool) == Some(true) {
                required.push(json!(name));
            }
        }
        let mut schema = json!({"type": "object", "properties": properties});
        if !required.is_empty() {
            schema["required"] = Value::Array(required);
        }
        let forms: Vec<&str> = consumes
            .iter()
            .map(String::as_str)
            .filter(|m| {
                matches!(
                    *m,
                    "multipart/form-data" | "application/x-www-form-urlencoded"
                )
            })
            .collect();
        let media = if has_file
            || forms.is_empty() && consumes.iter().any(|m| m == "multipart/form-data")
        {
            vec!["multipart/form-data"]
        } else if forms.is_empty() {
            vec!["application/x-www-form-urlencoded"]
        } else {
            forms
        };
        let content: Map<String, Value> = media
            .into_iter()
            .map(|m| (m.to_owned(), json!({"schema": schema.clone()})))
            .collect();
        // A form with a required field cannot be left out.
        let required = schema.get("required").is_some();
        Some(json!({"content": content, "required": required}))
    }

    fn responses(&mut self, responses: &Value, produces: &[String], from: &str, to: &str) -> Value {
        let Some(responses) = responses.as_object() else {
            return responses.clone();
        };
        let mut new = Map::new();
        for (status, response) in responses {
            let response_from = pointer_push(&pointer_push(from, "responses"), status);
            let response_to = pointer_push(&pointer_push(to, "responses"), status);
            let response = self.response(response, produces, &response_to, &response_from);
            new.insert(status.clone(), response);
        }
        Value::Object(new)
    }

    fn response(&mut self, response: &Value, produces: &[String], to: &str, from: &str) -> Value {
        let Some(response) = response.as_object() else {
            return response.clone();
        };
        if let Some(reference) = response.get("$ref") {
            return json!({"$ref": reference});
        }
        let headers_in_3 = response
            .get("headers")
            .and_then(Value::as_object)
            .into_iter()
            .flatten()
            .all(|(_, h)| h.get("schema").is_some() || h.get("$ref").is_some());
        if !response.contains_key("schema") && headers_in_3 {
            // Nothing to move (or in 3.0's form already: its content, links, headers kept);
            // 3.0 requires the description 2.0 writers leave out.
            let mut kept = response.clone();
            kept.entry("description").or_insert_with(|| json!(""));
            return Value::Object(kept);
        }
        self.moved(to.to_owned(), from.to_owned());
        let mut new = Map::new();
        new.insert(
            "description".to_owned(),
            response.get("description").cloned().unwrap_or(json!("")),
        );
        if let Some(schema) = response.get("schema") {
            let mut schema = schema.clone();
            upgrade_schema(&mut schema);
            let examples = response.get("examples").and_then(Value::as_object);
            let is_file = schema.get("format").and_then(Value::as_str) == Some("binary")
                && response["schema"].get("type").and_then(Value::as_str) == Some("file");
            let media: Vec<String> = if produces.is_empty() {
                vec![if is_file {
                    "application/octet-stream"
                } else {
                    DEFAULT_MEDIA
                }
                .to_owned()]
            } else {
                produces.to_vec()
            };
            let mut content = Map::new();
            for m in media {
                let mut entry = json!({"schema": schema.clone()});
                if let Some(example) = examples.and_then(|e| e.get(&m)) {
                    entry["example"] = example.clone();
                }
                self.moved(
                    pointer_push(&pointer_push(&pointer_push(to, "content"), &m), "schema"),
                    pointer_push(from, "schema"),
                );
                content.insert(m, entry);
            }
            new.insert("content".to_owned(), Value::Object(content));
        }
        if let Some(headers) = response.get("headers").and_then(Value::as_object) {
            let mut new_headers = Map::new();
            for (name, header) in headers {
                if header.get("schema").is_some() || header.get("$ref").is_some() {
                    new_headers.insert(name.clone(), header.clone());
                    continue;
                }
                let at = pointer_push(&pointer_push(from, "headers"), name);
                let mut new_header = Map::new();
                if let Some(description) = header.get("description") {
                    new_header.insert("description".to_owned(), description.clone());
                }
                let schema = self.parameter_schema(header, &at);
                new_header.insert("schema".to_owned(), Value::Object(schema));
                new_headers.insert(name.clone(), Value::Object(new_header));
            }
            new.insert("headers".to_owned(), Value::Object(new_headers));
        }
        for (key, value) in response {
            if key.starts_with("x-") {
                new.insert(key.clone(), value.clone());
            }
        }
        Value::Object(new)
    }

    /// A parameter as written or, for a `$ref` to a global one, the parameter it names.
    fn resolve(&self, param: &Value) -> Value {
        param
            .get("$ref")
            .and_then(Value::as_str)
            .and_then(|r| {
                r.strip_prefix("#/parameters/")
                    .or_else(|| r.strip_prefix("#/components/parameters/"))
            })
            .and_then(|name| {
                self.body_parameters
                    .get(name)
                    .or_else(|| self.form_parameters.get(name))
            })
            .cloned()
            .unwrap_or_else(|| param.clone())
    }

    fn kind(&self, param: &Value) -> Kind {
        match self.resolve(param).get("in").and_then(Value::as_str) {
            Some("body") => Kind::Body,
            Some("formData") => Kind::Form,
            _ => Kind::Plain,
        }
    }

    fn name_and_place(&self, param: &Value) -> (Option<String>, Option<String>) {
        let param = self.resolve(param);
        let text = |key: &str| param.get(key).and_then(Value::as_str).map(str::to_owned);
        (text("name"), text("in"))
    }
}

enum Kind {
    Plain,
    Body,
    Form,
}

/// The request body of a `body` parameter: its schema under each media type consumed.
fn body(param: &Value, consumes: &[String]) -> Value {
    let mut schema = param.get("schema").cloned().unwrap_or(json!({}));
    upgrade_schema(&mut schema);
    let media: Vec<&str> = if consumes.is_empty() {
        vec![DEFAULT_MEDIA]
    } else {
        consumes.iter().map(String::as_str).collect()
    };
    let content: Map<String, Value> = media
        .into_iter()
        .map(|m| (m.to_owned(), json!({"schema": schema.clone()})))
        .collect();
    let mut body = json!({"content": content});
    for key in ["description", "required"] {
        if let Some(value) = param.get(key) {
            body[key] = value.clone();
        }
    }
    body
}

/// A `consumes` or `produces` list.
fn media_list(value: Option<&Value>) -> Vec<String> {
    value
        .and_then(Value::as_array)
        .into_iter()
        .flatten()
        .filter_map(Value::as_str)
        .map(str::to_owned)
        .collect()
}

fn entries(value: Option<&Value>) -> impl Iterator<Item = (&String, &Value)> {
    value.and_then(Value::as_object).into_iter().flatten()
}

/// A 2.0 schema's own forms, at every schema position below it: `type: file` is a binary
/// string, `x-nullable` is `nullable`, a discriminator named by its property alone is an
/// object.
fn upgrade_schema(schema: &mut Value) {
    let Some(object) = schema.as_object_mut() else {
        return;
    };
    if object.get("type").and_then(Value::as_str) == Some("file") {
        object.insert("type".to_owned(), json!("string"));
        object.insert("format".to_owned(), json!("binary"));
    }
    if let Some(nullable) = object.remove("x-nullable") {
        object.insert("nullable".to_owned(), nullable);
    }
    if let Some(Value::String(property)) = object.get("discriminator") {
        let discriminator = json!({"propertyName": property});
        object.insert("discriminator".to_owned(), discriminator);
    }
    for key in ["items", "additionalProperties", "not"] {
        if let Some(child) = object.get_mut(key) {
            upgrade_schema(child);
        }
    }
    for key in ["properties", "patternProperties"] {
        if let Some(Value::Object(children)) = object.get_mut(key) {
            children.values_mut().for_each(upgrade_schema);
        }
    }
    if let Some(Value::Object(properties)) = object.get_mut("properties") {
        properties.values_mut().for_each(client_name_beside_ref);
    }
    for key in ["allOf", "oneOf", "anyOf"] {
        if let Some(Value::Array(children)) = object.get_mut(key) {
            children.iter_mut().for_each(upgrade_schema);
        }
    }
}

/// `{$ref: Pet, x-ms-client-name: Owner}`: a property's name in code written beside the ref
/// of its type, which 3.0 reads as the ref alone. The ref becomes the one part of an allOf
/// (the same type), so the name beside it is kept.
fn client_name_beside_ref(property: &mut Value) {
    let Some(object) = property.as_object_mut() else {
        return;
    };
    if !object.contains_key("x-ms-client-name") {
        return;
    }
    if let Some(reference) = object.remove("$ref") {
        object.insert("allOf".to_owned(), json!([{ "$ref": reference }]));
    }
}
