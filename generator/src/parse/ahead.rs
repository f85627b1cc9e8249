//! The document's path items and components read one by one ahead of the whole, each left
//! in the tree as a placeholder once read, so that the tree gives its memory back while
//! openapiv3's document takes its own: read whole, the two were held at once (GitHub's
//! 13 MB description: 80 MB of tree beside 70 MB of document). Whatever does not read on
//! its own is left where it is, for the whole document's read to degrade as before.
//!
//! The path items read are taken out of the tree, not left as placeholders: openapiv3's
//! `PathItem` is 8.7 KB before anything is in it (eight operations held inline), so a map
//! of placeholders read whole beside the items read ahead held every path twice
//! (Microsoft Graph beta's 14,227 paths: 124 MB each).

use indexmap::IndexMap;
use openapiv3::{
    Callback, Components, Example, Header, Link, OpenAPI, Parameter, PathItem, ReferenceOr,
    RequestBody, Response, Schema, SecurityScheme,
};
use serde::de::DeserializeOwned;
use serde::Deserialize;
use serde_json::Value;

/// The parts read ahead, by their keys, in the document's order.
#[derive(Default)]
pub(super) struct Ahead {
    /// The root's extensions (GitHub's `x-webhooks`, 4 MB once read), moved out of the
    /// tree: read with the whole, they were copied, beside the tree holding them.
    extensions: Vec<(String, Value)>,
    /// Every path item by its key, in the document's order: the map the document gets. The
    /// keys of those left in the tree (in `left`) hold a placeholder until the whole is read.
    paths: IndexMap<String, ReferenceOr<PathItem>>,
    left: Vec<String>,
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
    /// Reads the parts of `tree` that read on their own: a path item is taken out of the
    /// tree, a component left as a placeholder.
    pub(super) fn read(tree: &mut Value) -> Ahead {
        let mut ahead = Ahead {
            extensions: take_extensions(tree),
            ..Ahead::default()
        };
        ahead.read_paths(tree.get_mut("paths"));
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

    /// Reads each path item of the `paths` map that reads on its own out of the tree; the
    /// others stay for the whole read (and the map's extensions, which are not items).
    fn read_paths(&mut self, map: Option<&mut Value>) {
        let Some(Value::Object(map)) = map else {
            return;
        };
        let entries = std::mem::take(map);
        self.paths.reserve(entries.len());
        for (key, value) in entries {
            if !key.starts_with('/') {
                map.insert(key, value);
                continue;
            }
            match ReferenceOr::<PathItem>::deserialize(&value) {
                Ok(item) => {
                    self.paths.insert(key, item);
                }
                Err(_) => {
                    let placeholder = ReferenceOr::Reference {
                        reference: String::new(),
                    };
                    self.paths.insert(key.clone(), placeholder);
                    self.left.push(key.clone());
                    map.insert(key, value);
                }
            }
        }
    }

    /// Puts the parts read ahead in the places their placeholders hold in `api`.
    pub(super) fn put_back(self, api: &mut OpenAPI) {
        api.extensions.extend(self.extensions);
        let mut whole = std::mem::take(&mut api.paths.paths);
        let mut paths = self.paths;
        for key in self.left {
            match whole.swap_remove(&key) {
                Some(item) => {
                    if let Some(slot) = paths.get_mut(&key) {
                        *slot = item;
                    }
                }
                // Left out by the whole read (degraded).
                None => {
                    paths.shift_remove(&key);
                }
            }
        }
        api.paths.paths = paths;
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
