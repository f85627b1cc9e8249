//! The document's path items and components read one by one ahead of the whole, each left
//! in the tree as a placeholder once read, so that the tree gives its memory back while
//! openapiv3's document takes its own: read whole, the two were held at once (GitHub's
//! 13 MB description: 80 MB of tree beside 70 MB of document). Whatever does not read on
//! its own is left where it is, for the whole document's read to degrade as before.

use indexmap::IndexMap;
use openapiv3::{
    Callback, Components, Example, Header, Link, OpenAPI, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde_json::Value;

/// The parts read ahead, by their keys, in the document's order.
#[derive(Default)]
pub(super) struct Ahead {
    /// The root's extensions (GitHub's `x-webhooks`, 4 MB once read), moved out of the
    /// tree: read with the whole, they were copied, beside the tree holding them.
    extensions: Vec<(String, Value)>,
    paths: Vec<(String, ReferenceOr<PathItem>)>,
    schemas: Vec<(String, ReferenceOr<Schema>)>,
    responses: Vec<(String, ReferenceOr<Response>)>,
    parameters: Vec<(String, ReferenceOr<Parameter>)>,
    examples: Vec<(String, ReferenceOr<Example>)>,
    request_bodies: Vec<(String, ReferenceOr<RequestBody>)>,
    headers: Vec<(String, ReferenceOr<Header>)>,
    security_schemes: Vec<(String, ReferenceOr<SecurityScheme>)>,
    links: Vec<(String, ReferenceOr<Link>)>,
    callbacks: Vec<(String, ReferenceOr<Callback>)>,
}

impl Ahead {
    /// Reads the parts of `tree` that read on their own, leaving a placeholder for each.
    pub(super) fn read(tree: &mut Value) -> Ahead {
        let mut ahead = Ahead {
            extensions: take_extensions(tree),
            paths: read_each(tree.get_mut("paths"), |key| key.starts_with('/')),
            ..Ahead::default()
        };
        let Some(components) = tree.get_mut("components") else {
            return ahead;
        };
        let all = |_: &str| true;
        ahead.schemas = read_each(components.get_mut("schemas"), all);
        ahead.responses = read_each(components.get_mut("responses"), all);
        ahead.parameters = read_each(components.get_mut("parameters"), all);
        ahead.examples = read_each(components.get_mut("examples"), all);
        ahead.request_bodies = read_each(components.get_mut("requestBodies"), all);
        ahead.headers = read_each(components.get_mut("headers"), all);
        ahead.security_schemes = read_each(components.get_mut("securitySchemes"), all);
        ahead.links = read_each(components.get_mut("links"), all);
        ahead.callbacks = read_each(components.get_mut("callbacks"), all);
        ahead
    }

    /// Puts the parts read ahead in the places their placeholders hold in `api`.
    pub(super) fn put_back(self, api: &mut OpenAPI) {
        api.extensions.extend(self.extensions);
        put_back(&mut api.paths.paths, self.paths);
        let Some(components) = &mut api.components else {
            return;
        };
        let Components {
            schemas,
            responses,
            parameters,
            examples,
            request_bodies,
            headers,
            security_schemes,
            links,
            callbacks,
            extensions: _,
        } = components;
        put_back(schemas, self.schemas);
        put_back(responses, self.responses);
        put_back(parameters, self.parameters);
        put_back(examples, self.examples);
        put_back(request_bodies, self.request_bodies);
        put_back(headers, self.headers);
        put_back(security_schemes, self.security_schemes);
        put_back(links, self.links);
        put_back(callbacks, self.callbacks);
    }
}

/// The root's extensions (`x-` keys, which openapiv3 keeps as they are), taken out of
/// `tree` in their order.
fn take_extensions(tree: &mut Value) -> Vec<(String, Value)> {
    let Value::Object(root) = tree else {
        return Vec::new();
    };
    let keys: Vec<String> = root
        .keys()
        .filter(|key| key.starts_with("x-"))
        .cloned()
        .collect();
    keys.into_iter()
        .filter_map(|key| root.shift_remove(&key).map(|value| (key, value)))
        .collect()
}

/// Each entry of the map at `map` whose key is `wanted` and which reads as a `T` on its
/// own, replaced in the tree by a `$ref`, which reads as any `ReferenceOr`.
fn read_each<T: DeserializeOwned>(
    map: Option<&mut Value>,
    wanted: impl Fn(&str) -> bool,
) -> Vec<(String, T)> {
    let Some(Value::Object(map)) = map else {
        return Vec::new();
    };
    let mut read = Vec::new();
    for (key, value) in map.iter_mut().filter(|(key, _)| wanted(key)) {
        if let Ok(part) = T::deserialize(&*value) {
            *value = serde_json::json!({ "$ref": "" });
            read.push((key.clone(), part));
        }
    }
    read
}

/// Each part read ahead into the place of its placeholder. A placeholder the whole read
/// left out (a degraded map around it) takes its part with it.
fn put_back<T>(map: &mut IndexMap<String, T>, read: Vec<(String, T)>) {
    for (key, part) in read {
        if let Some(slot) = map.get_mut(&key) {
            *slot = part;
        }
    }
}
