//! Groups of operations, each a module of its own in the generated crate (`types/pets.rs`,
//! `client/pets.rs`, ...), so no file grows with the whole API: an operation belongs to its
//! first tag's group, or, without tags (or with `group-by = "path"`), to the group of the
//! first path segment after the prefix every path of the API shares (Rocket.Chat's
//! `/api/v1/` names nothing). And which groups reach each type, so a type is written in the
//! module of the one group that uses it, or in `shared`. And each group's cargo feature,
//! which compiles it.

use std::collections::{BTreeMap, HashMap};

use super::names::{snake, Namespace};
use crate::model::{Docs, Group, Operation, PathPart, Payload, Reach, TypeGraph, TypeRef};
use crate::settings::Grouping;

/// Module names a group cannot take: the generated root modules (`client`, `types`, ...)
/// and their own modules (`types::shared`,
/// `types::rules`, `client::support`, `server::defaults`, ...), the runtime's modules
/// (`crate::de` is imported as `de` where it is used), and the crates the generated code
/// names by path, which a module of the same name would hide (`std::fmt`, `serde::Serialize`).
/// Type names are PascalCase and cannot meet a module's snake_case name.
const TAKEN_MODULE_NAMES: &[&str] = &[
    // A group's module sits in the root module of its kind: `client::client` would be a
    // module named as the one holding it (clippy's `module_inception`).
    "client",
    "server",
    "types",
    "requests",
    "responses",
    "shared",
    "rules",
    "patterns",
    "support",
    "defaults",
    "erased",
    "handlers",
    "operations",
    "binary",
    "budget",
    "client_support",
    "de",
    "jsonl",
    "media",
    "multipart",
    "problem",
    "redirect",
    "routes",
    "ser",
    "server_support",
    "sse",
    "stream",
    "style",
    "validate",
    "std",
    "core",
    "alloc",
    "serde",
    "serde_json",
    "reqwest",
    "reqwest_middleware",
    "axum",
    "tracing",
    "chrono",
    "uuid",
    "regex",
    "base64",
    "runtime",
];

/// The features every generated crate declares (`emit/cargo.rs`), and the names of its
/// dependencies, which cargo reads as features too: a group's feature takes none of them.
pub const RESERVED_FEATURES: &[&str] = &[
    "default",
    crate::model::ALL_OPERATIONS,
    "client",
    "server",
    "rustls",
    "rustls-no-provider",
    "native-tls",
    "middleware",
    "tracing",
    "server-defaults",
    "mock",
    "serde",
    "serde_json",
    "reqwest",
    "reqwest-middleware",
    "axum",
    "chrono",
    "uuid",
    "base64",
    "regex",
    "runtime",
];

/// Gives each group its cargo feature, when there are two groups or more: its tag or
/// segment as the module's name is made of it, in kebab-case (`code-scanning`, `Code
/// Scanning` → `code-scanning`; not the module's `client2` for a tag `client`), or, where
/// that is a feature the
/// crate declares or the name of a dependency (`RESERVED_FEATURES` and the settings'
/// `dependencies`), that name followed by `-operations` (`tracing-operations`).
pub(super) fn name_features<'d>(groups: &mut [Group], dependencies: impl Iterator<Item = &'d str>) {
    if groups.len() < 2 {
        return;
    }
    // Cargo tells `-` from `_` in a feature's name but not in a package's: keep both off.
    let mut taken: Vec<String> = RESERVED_FEATURES
        .iter()
        .copied()
        .chain(dependencies)
        .flat_map(|name| [name.replace('_', "-"), name.replace('-', "_")])
        .collect();
    taken.sort_unstable();
    taken.dedup();
    let reserved: Vec<&str> = taken.iter().map(String::as_str).collect();
    let mut names = Namespace::with_reserved(&reserved);
    for group in groups {
        // A keyword's `_` (`self_`) is for Rust; cargo takes `self`.
        let snake = snake(&group.api_name, "root");
        let base = snake.trim_end_matches('_').replace('_', "-");
        let base = match names.is_taken(&base) {
            true => format!("{base}-operations"),
            false => base,
        };
        group.feature = Some(names.claim(base));
    }
}

/// Puts each of `operations` in a group and returns the groups, sorted by module name.
/// `tags` are the spec's tags, whose descriptions document their groups.
pub(super) fn group_operations(
    operations: &mut [Operation],
    tags: &[openapiv3::Tag],
    grouping: Grouping,
) -> Vec<Group> {
    let prefix = shared_prefix(operations);
    // Each operation's key (tag or segment), and the keys in the order first met.
    let keys: Vec<String> = operations
        .iter()
        .map(|op| match (&op.tag, grouping) {
            (Some(tag), Grouping::Tag) if !tag.trim().is_empty() => tag.clone(),
            _ => path_key(op, prefix),
        })
        .collect();
    let mut names = Namespace::with_reserved(TAKEN_MODULE_NAMES);
    let mut named: HashMap<&str, String> = HashMap::new();
    let mut groups: Vec<Group> = Vec::new();
    for key in &keys {
        if named.contains_key(key.as_str()) {
            continue;
        }
        let name = names.claim(snake(key, "root"));
        let description = tags
            .iter()
            .find(|t| t.name == *key)
            .and_then(|t| t.description.as_deref());
        let tagged = operations
            .iter()
            .zip(&keys)
            .any(|(o, k)| k == key && o.tag.as_ref() == Some(key));
        let what = match key.as_str() {
            _ if tagged => format!("the operations tagged `{key}`"),
            "" => "the operations at the root of the API's paths".to_owned(),
            _ => format!("the operations under `{key}`"),
        };
        named.insert(key, name.clone());
        groups.push(Group {
            name,
            api_name: key.clone(),
            what,
            docs: Docs::description(description),
            feature: None,
        });
    }
    groups.sort_by(|a, b| a.name.cmp(&b.name));
    let index: HashMap<&str, usize> = groups
        .iter()
        .enumerate()
        .map(|(i, g)| (g.api_name.as_str(), i))
        .collect();
    for (op, key) in operations.iter_mut().zip(&keys) {
        op.group = index.get(key.as_str()).copied();
    }
    groups
}

/// How many leading segments every path shares as literal text, short of the last segment
/// of any path: `/api/v1/users` and `/api/v1/rooms` share `api/v1`; `/pets` and
/// `/pets/{id}` share nothing, so `pets` stays the name of their group.
fn shared_prefix(operations: &[Operation]) -> usize {
    let Some(first) = operations.first() else {
        return 0;
    };
    let mut shared = operations
        .iter()
        .map(|op| op.path.segments.len().saturating_sub(1))
        .min()
        .unwrap_or(0);
    for op in operations {
        let same = first
            .path
            .segments
            .iter()
            .zip(&op.path.segments)
            .take(shared)
            .take_while(|(a, b)| a == b && literal(a).is_some())
            .count();
        shared = shared.min(same);
    }
    shared
}

/// The text of a segment without variables.
fn literal(segment: &[PathPart]) -> Option<String> {
    segment
        .iter()
        .map(|part| match part {
            PathPart::Literal(text) => Some(text.as_str()),
            PathPart::Param(_) => None,
        })
        .collect()
}

/// The path segment naming an operation's group: the first after the shared prefix, when it
/// is literal text; `""` (the root group) when it is a variable or there is none.
fn path_key(op: &Operation, prefix: usize) -> String {
    op.path
        .segments
        .get(prefix)
        .and_then(|segment| literal(segment))
        .unwrap_or_default()
}

/// Which groups (and whether events) reach each type of `graph` and each enum of media
/// types, through everything a type holds.
pub(super) fn reach(
    graph: &TypeGraph,
    operations: &[Operation],
    events: &[Operation],
) -> (Vec<Reach>, BTreeMap<String, Reach>) {
    let mut reach = vec![Reach::default(); graph.defs.len()];
    let mut enums: BTreeMap<String, Reach> = BTreeMap::new();
    // Each group's roots, then the events' as a group of their own, walked once each.
    let mut roots: BTreeMap<Option<usize>, Vec<usize>> = BTreeMap::new();
    for op in operations.iter().chain(events) {
        let entry = roots.entry(op.group).or_default();
        let mut refs: Vec<&TypeRef> = Vec::new();
        refs.extend(op.params.iter().map(|p| &p.ty));
        let payloads = op
            .body
            .iter()
            .map(|b| &b.payload)
            .chain(op.responses.iter().filter_map(|r| r.body.as_ref()));
        for payload in payloads {
            payload_refs(payload, entry, &mut refs);
            if let Some(name) = &payload.enum_name {
                mark(enums.entry(name.clone()).or_default(), op.group);
            }
        }
        for response in &op.responses {
            refs.extend(response.headers.iter().map(|h| &h.ty));
        }
        for ty in refs {
            named_in(ty, entry);
        }
    }
    for (group, starts) in roots {
        let mut seen = vec![false; graph.defs.len()];
        let mut stack = starts;
        while let Some(id) = stack.pop() {
            if std::mem::replace(&mut seen[id], true) {
                continue;
            }
            mark(&mut reach[id], group);
            for ty in graph.defs[id].kind.held_refs() {
                named_in(ty, &mut stack);
            }
        }
    }
    (reach, enums)
}

fn mark(reach: &mut Reach, group: Option<usize>) {
    match group {
        Some(group) => {
            reach.groups.insert(group);
        }
        None => reach.events = true,
    }
}

/// The types a payload's media hold (a multipart struct by its id).
fn payload_refs<'a>(payload: &'a Payload, ids: &mut Vec<usize>, refs: &mut Vec<&'a TypeRef>) {
    for content in &payload.contents {
        match &content.media {
            crate::model::Media::Json(ty)
            | crate::model::Media::Form(ty)
            | crate::model::Media::EventStream(ty)
            | crate::model::Media::Items(ty, _) => refs.push(ty),
            crate::model::Media::Multipart(id) => ids.push(id.0),
            crate::model::Media::Text | crate::model::Media::Binary => {}
        }
    }
}

/// The definitions a type names, through lists and maps.
fn named_in(ty: &TypeRef, ids: &mut Vec<usize>) {
    match ty {
        TypeRef::Named(id) => ids.push(id.0),
        TypeRef::List(inner) | TypeRef::Map(inner) => named_in(inner, ids),
        _ => {}
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::model::{Method, Origin, PathTemplate};

    fn op(path: &str, tag: Option<&str>) -> Operation {
        let segments = path
            .trim_start_matches('/')
            .split('/')
            .map(|s| match s.strip_prefix('{') {
                Some(_) => vec![PathPart::Param(0)],
                None => vec![PathPart::Literal(s.to_owned())],
            })
            .collect();
        Operation {
            path: PathTemplate {
                raw: path.to_owned(),
                segments,
            },
            tag: tag.map(str::to_owned),
            name: String::new(),
            type_name: String::new(),
            api_name: String::new(),
            method: Method::Get,
            params: Vec::new(),
            body: None,
            responses: Vec::new(),
            request_type: String::new(),
            response_type: String::new(),
            security: Vec::new(),
            scopes: Vec::new(),
            pagination: None,
            query_constants: Vec::new(),
            answered_by: None,
            server: None,
            docs: Docs::default(),
            origin: Origin::Path,
            group: None,
        }
    }

    #[test]
    fn operations_group_by_first_tag_else_by_the_segment_after_the_shared_prefix() {
        let mut ops = vec![
            op("/api/v1/users.info", None),
            op("/api/v1/rooms/{id}", None),
            op("/api/v1/rooms", None),
            op("/api/v1/chat", Some("Messaging")),
            op("/api/v1/{id}", None),
        ];
        let groups = group_operations(&mut ops, &[], Grouping::Tag);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["messaging", "rooms", "root", "users_info"]);
        let of = |i: usize| groups[ops[i].group.unwrap()].name.as_str();
        assert_eq!(
            [of(0), of(1), of(2), of(3), of(4)],
            ["users_info", "rooms", "rooms", "messaging", "root"]
        );
        // By path, the tag is not read.
        let groups = group_operations(&mut ops, &[], Grouping::Path);
        assert_eq!(groups[ops[3].group.unwrap()].name, "chat");
    }

    #[test]
    fn a_group_never_takes_a_name_the_generated_modules_use() {
        let mut ops = vec![op("/shared", None), op("/de", None), op("/self", None)];
        let groups = group_operations(&mut ops, &[], Grouping::Path);
        let names: Vec<&str> = groups.iter().map(|g| g.name.as_str()).collect();
        assert_eq!(names, ["de2", "self_", "shared2"]);
    }

    #[test]
    fn a_group_feature_never_takes_a_feature_or_dependency_of_the_crate() {
        let mut ops = vec![
            op("/client", None),
            op("/code-scanning", None),
            op("/self", None),
            op("/server", None),
            op("/server-operations", None),
            op("/yaml", None),
        ];
        let mut groups = group_operations(&mut ops, &[], Grouping::Path);
        name_features(&mut groups, ["serde_yaml", "yaml"].into_iter());
        let features: Vec<&str> = groups
            .iter()
            .map(|g| g.feature.as_deref().unwrap_or_default())
            .collect();
        assert_eq!(
            features,
            [
                "client-operations",
                "code-scanning",
                "self",
                "server-operations",
                "server-operations-operations",
                "yaml-operations"
            ]
        );
        // One group: no feature to narrow a build with.
        let mut one = vec![op("/pets", None)];
        let mut groups = group_operations(&mut one, &[], Grouping::Path);
        name_features(&mut groups, std::iter::empty());
        assert_eq!(groups[0].feature, None);
    }
}
