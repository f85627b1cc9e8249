//! openapiv3 → model: operations, parameters, bodies, responses, and a type graph with final
//! Rust names. All naming and collision handling happens in this stage.

mod all_of;
mod alternatives;
mod bodies;
mod client_headers;
mod composition;
mod dedup;
mod directions;
mod events;
mod examples;
mod fields;
pub(crate) mod groups;
mod multipart;
mod names;
mod operations;
mod pagination;
mod recursion;
mod remains;
mod routes;
mod security;
mod servers;
mod tags;
mod titles;
mod types;

use std::collections::{HashMap, HashSet};

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::{Diagnostics, Loss};
use crate::load::Provenance;
use crate::model::{
    Api, Kept, Payload, ResponseHeader, SecurityScheme, TypeDef, TypeGraph, TypeId, TypeRef,
};

pub use names::{client_name, pascal, snake, Namespace};
pub(crate) use security::DEVICE_FLOW_KEY;

/// The names of the type namespace every generated module sees unqualified: the prelude
/// of every edition (Rust 2021's, with 2024's `Future` and `IntoFuture`) and `Self`; derive
/// macros (`Debug`, `Hash`) live in another namespace. The generated code names
/// everything else by path (`crate::types::Pet`, `serde::Serialize`, `std::fmt::Display`),
/// so a generated type that keeps off these names can never shadow what the code relies on:
/// a schema named `From` would otherwise turn every `impl From<..>` into a type error.
const PRELUDE: &[&str] = &[
    "Self",
    "Option",
    "Some",
    "None",
    "Result",
    "Ok",
    "Err",
    "String",
    "Vec",
    "Box",
    "ToString",
    "ToOwned",
    "Default",
    "Clone",
    "Copy",
    "Send",
    "Sync",
    "Sized",
    "Unpin",
    "Drop",
    "Fn",
    "FnMut",
    "FnOnce",
    "AsyncFn",
    "AsyncFnMut",
    "AsyncFnOnce",
    "Iterator",
    "IntoIterator",
    "DoubleEndedIterator",
    "ExactSizeIterator",
    "Extend",
    "From",
    "Into",
    "TryFrom",
    "TryInto",
    "FromIterator",
    "AsRef",
    "AsMut",
    "PartialEq",
    "Eq",
    "PartialOrd",
    "Ord",
    "Future",
    "IntoFuture",
];

/// The names a glob import of `client`, `server` or a webhooks module brings into the type
/// namespace (their `pub use` lists, `Sender`, the receiver's trait). A user who writes
/// `use api::types::*; use api::client::*;` must not find `Error` in both, so a type of the
/// spec's keeps off them as it keeps off the prelude (see [`unreserved`]): the runtime's
/// names are few, fixed and the ones every user of the client or server writes (`Error` as
/// in `reqwest::Error`), the spec's are open-ended.
const EXPORTED: &[&str] = &[
    "Auth",
    "BodyBudget",
    "BodyLimits",
    "ByteStream",
    "Call",
    "Client",
    "Credential",
    "Error",
    "ErrorResponse",
    "Items",
    "Limits",
    "Operation",
    "Paginated",
    "Problem",
    "ReadTimeout",
    "Redirects",
    "Retry",
    "Sender",
    "Streamed",
    "Webhooks",
];

/// Names the server trait does not take besides the prelude, [`EXPORTED`] and the types':
/// what the `client` and `server` modules use unqualified, and the traits users derive most.
const MODULE_NAMES: &[&str] = &[
    "Debug",
    "Hash",
    "Erased",
    "Pending",
    "Core",
    "Reply",
    "Incoming",
    "Found",
    "Scheme",
    "Request",
    "Response",
    "State",
    "Arc",
    "IntoResponse",
    "Router",
];

/// The suffix a type name taken by the prelude or by [`EXPORTED`] gets: a schema `Error`
/// is `ErrorModel`, `Result` is `ResultModel`. A word, not a number (`Result2` read as a
/// second `Result`), and the same for every such name, so a reader can tell where it came
/// from.
const RESERVED_SUFFIX: &str = "Model";

/// `base`, or `base` with [`RESERVED_SUFFIX`] when the prelude or a generated module's
/// exports already have that name.
fn unreserved(base: String) -> String {
    if is_reserved(&base) {
        format!("{base}{RESERVED_SUFFIX}")
    } else {
        base
    }
}

fn is_reserved(name: &str) -> bool {
    PRELUDE.contains(&name) || EXPORTED.contains(&name)
}

/// Lowers a parsed spec into the model. Problems are reported into `diags`; the model is
/// returned in any case, so later problems are found too, but it must not be emitted when
/// `diags` holds an error.
pub fn lower_api(
    mut parsed: crate::parse::Spec,
    crate_name: &str,
    settings: &crate::settings::Settings,
    files: &Provenance,
    diags: &mut Diagnostics,
) -> Api {
    let titles = titles::unique_titles(&mut parsed.api, &parsed.webhooks);
    // The path items are lowered one by one and dropped (`lower_operations`).
    let paths = std::mem::take(&mut parsed.api.paths.paths);
    let spec = &parsed.api;
    let mut cx = Lowerer {
        spec,
        extension_operations: &parsed.extension_operations,
        files,
        diags: std::mem::take(diags),
        graph: TypeGraph::default(),
        type_names: Namespace::with_reserved(&[PRELUDE, EXPORTED].concat()),
        components: HashMap::new(),
        schemes: Vec::new(),
        defaults: Vec::new(),
        merging: Vec::new(),
        schema_sites: HashMap::new(),
        titles,
        authored: HashSet::new(),
        shared_responses: HashMap::new(),
        shared_bodies: HashMap::new(),
    };
    cx.schemes = cx.lower_security_schemes();
    cx.declare_components();
    cx.lower_components();
    let (mut cx, mut operations, remains) = cx.lower_operations(paths);
    // Events go through every step that names or renumbers types with the operations, and
    // leave before the steps that are for calling the API (client headers, pages).
    let served = operations.len();
    operations.extend(cx.lower_events(&parsed.webhooks, &remains.callbacks));
    cx.check_defaults();
    cx.split_directions(&mut operations);
    let empty_cycles = recursion::break_alias_cycles(&mut cx.graph);
    // The first name (in order) of each definition: looked up once, not per cycle.
    let mut first_names: HashMap<TypeId, &String> = HashMap::new();
    if !empty_cycles.is_empty() {
        for (name, id) in &cx.components {
            let first = first_names.entry(*id).or_insert(name);
            if name < *first {
                *first = name;
            }
        }
    }
    let pointers: Vec<String> = empty_cycles
        .iter()
        .map(|id| {
            first_names.get(id).map_or_else(String::new, |name| {
                crate::diagnostics::pointer_push("/components/schemas", name)
            })
        })
        .collect();
    for pointer in pointers {
        cx.warn(
            "ref",
            &pointer,
            "a cycle of $refs that never reaches a schema; it is read as any JSON value".to_owned(),
        );
    }
    let mut examples = cx.collect_examples(&mut operations, &remains);
    // What is left to do reads the document's info, servers and tags, and the pages the
    // operations say: the rest of the document (its components) goes before the graph
    // is folded.
    let spec = &openapiv3::OpenAPI {
        info: spec.info.clone(),
        servers: spec.servers.clone(),
        tags: spec.tags.clone(),
        ..OpenAPI::default()
    };
    let mut cx = cx.rebind(spec, &parsed.extension_operations, files);
    let pagination = remains.into_pagination();
    parsed.api = OpenAPI::default();
    // Folding renumbers the graph: everything that names types by id goes through it.
    let components = cx.components.values().copied().collect();
    dedup::fold_identical(
        &mut cx.graph,
        &mut operations,
        &components,
        &cx.authored,
        &mut cx.type_names,
        &mut examples,
    );
    tags::drop_variant_tags(&mut cx.graph, &mut operations, &examples);
    recursion::mark_boxed(&mut cx.graph);
    alternatives::tell_alternatives_apart(&mut cx.graph);
    let events = operations.split_off(served);
    let client_headers = client_headers::mark_client_headers(&mut operations);
    cx.paginate(&mut operations, &pagination);
    *diags = std::mem::take(&mut cx.diags);
    let tags = &spec.tags;
    let mut groups = groups::group_operations(&mut operations, tags, settings.group_by);
    groups::name_features(
        &mut groups,
        settings.dependencies.keys().map(String::as_str),
    );
    let (type_reach, enum_reach) = groups::reach(&cx.graph, &operations, &events);
    let trait_name = trait_name(&spec.info.title, crate_name, &mut cx.type_names);
    let kept = Kept {
        schemas: cx.schema_sites.len(),
        schemas_any: cx.schema_sites.values().filter(|any| **any).count(),
        ..Kept::default()
    };
    Api {
        crate_name: crate_name.to_owned(),
        trait_name,
        title: spec.info.title.clone(),
        version: spec.info.version.clone(),
        description: spec
            .info
            .description
            .as_deref()
            .map(str::trim)
            .filter(|d| !d.is_empty())
            .map(str::to_owned),
        servers: servers::servers(spec),
        operations,
        events,
        types: cx.graph,
        security_schemes: cx.schemes,
        client_headers,
        examples,
        customization: Default::default(),
        kept,
        groups,
        type_reach,
        enum_reach,
    }
}

/// The server trait is named after the API's title (a folder API's title is its folder's
/// name), or the crate's when the title has no letters. A name the prelude, the generated
/// modules or a generated type already use gets `Api` appended: `title: Ok` gives `OkApi`.
fn trait_name(title: &str, crate_name: &str, type_names: &mut Namespace) -> String {
    let base = pascal(title, &pascal(crate_name, "Api"));
    let base = if is_reserved(&base)
        || MODULE_NAMES.contains(&base.as_str())
        || type_names.is_taken(&base)
    {
        format!("{base}Api")
    } else {
        base
    };
    type_names.claim(base)
}

/// State of one lowering: the spec, where to report, and the type graph being built.
pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    /// The operations of methods openapiv3's path items do not hold (3.2's `query` and
    /// `additionalOperations`), lowered with their path's others.
    extension_operations: &'a [crate::parse::ExtensionOperation],
    files: &'a Provenance,
    /// The pipeline's diagnostics, held while lowering (a lowering that borrows the spec
    /// for less long is made from this one, see [`Lowerer::rebind`]).
    diags: Diagnostics,
    graph: TypeGraph,
    type_names: Namespace,
    /// `#/components/schemas/X` → the id declared for it.
    components: HashMap<String, TypeId>,
    /// The security schemes operations may require.
    schemes: Vec<SecurityScheme>,
    /// Each field default met, with where it is and the field's type, checked once every
    /// type is known.
    defaults: Vec<(String, TypeRef, serde_json::Value)>,
    /// The unions whose alternatives are being merged into one struct, and the inline allOfs
    /// whose parts are (each by the address of its parts): a union met again inside its own
    /// alternatives, through a ref, is left an enum, and an allOf met again inside its own
    /// parts is read as any JSON value, so the merge ends.
    merging: Vec<*const openapiv3::ReferenceOr<openapiv3::Schema>>,
    /// Each schema lowered, by its place: whether it was read as any JSON value (for the
    /// account of the run, each place once however often it is lowered).
    schema_sites: HashMap<String, bool>,
    /// The names only one inline schema's `title` gives: such a schema is named by it.
    titles: HashSet<String>,
    /// The definitions named by the spec's author (a title, a response's key) rather than by
    /// where they sit: folding identical types keeps their name first.
    authored: HashSet<TypeId>,
    /// Each response of `components/responses` met, lowered once (body and headers).
    shared_responses: HashMap<String, (Option<Payload>, Vec<ResponseHeader>)>,
    /// Each body of `components/requestBodies` met, lowered once.
    shared_bodies: HashMap<String, Option<Payload>>,
}

impl<'a> Lowerer<'a> {
    /// This lowering, borrowing `spec` and the rest for `'b`: a lowering narrowed to borrow
    /// a path item only while it is lowered takes back the document's lifetimes here.
    fn rebind<'b>(
        self,
        spec: &'b OpenAPI,
        extension_operations: &'b [crate::parse::ExtensionOperation],
        files: &'b Provenance,
    ) -> Lowerer<'b> {
        let Lowerer {
            spec: _,
            extension_operations: _,
            files: _,
            diags,
            graph,
            type_names,
            components,
            schemes,
            defaults,
            merging,
            schema_sites,
            titles,
            authored,
            shared_responses,
            shared_bodies,
        } = self;
        Lowerer {
            spec,
            extension_operations,
            files,
            diags,
            graph,
            type_names,
            components,
            schemes,
            defaults,
            merging,
            schema_sites,
            titles,
            authored,
            shared_responses,
            shared_bodies,
        }
    }

    fn warn(&mut self, rule: &'static str, pointer: &str, message: String) {
        let (file, pointer) = self.files.locate(pointer);
        self.diags.warn(rule, file, &pointer, message);
    }

    /// A warning that something the spec declares does not arrive as declared.
    fn lose(&mut self, loss: Loss, rule: &'static str, pointer: &str, message: String) {
        let (file, pointer) = self.files.locate(pointer);
        self.diags.lose(loss, rule, file, &pointer, message);
    }

    /// A fresh type name from `base`, kept off the prelude and the modules' exports.
    fn claim_type_name(&mut self, base: String) -> String {
        self.type_names.claim(unreserved(base))
    }

    /// Whether `base` (kept off reserved names as a type's would be) names a type already.
    fn is_type_name_taken(&self, base: &str) -> bool {
        self.type_names.is_taken(&unreserved(base.to_owned()))
    }

    /// What a shared component (a response or a request body of `components`) is named
    /// after: its key, or the key with `suffix` where a type has that name already.
    fn shared_hint(&self, key: &str, suffix: &str) -> String {
        let base = pascal(key, suffix);
        if self.is_type_name_taken(&base) {
            format!("{base}{suffix}")
        } else {
            base
        }
    }

    /// Marks the definition made since the graph held `first` definitions under the name
    /// `hint` gave, if any, as named by the spec's author.
    fn mark_authored(&mut self, first: usize, hint: &str) {
        let name = unreserved(pascal(hint, "Type"));
        if let Some(id) =
            (first..self.graph.defs.len()).find(|&id| self.graph.defs[id].name == name)
        {
            self.authored.insert(TypeId(id));
        }
    }

    /// The name an inline schema's `title` gives it, where that name is unambiguous (see
    /// `titles.rs`) and free.
    fn title_name(&self, title: Option<&str>) -> Option<String> {
        let name = pascal(title?, "");
        (self.titles.contains(&name) && !self.is_type_name_taken(&name)).then_some(name)
    }

    /// Adds a definition under a fresh name derived from `hint`.
    fn define(&mut self, hint: &str, def: TypeDef) -> TypeId {
        let name = self.claim_type_name(pascal(hint, "Type"));
        let id = TypeId(self.graph.defs.len());
        self.graph.defs.push(TypeDef { name, ..def });
        id
    }

    /// Follows a `$ref` into `components.<section>`, reporting a dangling or foreign one.
    fn resolve<T>(
        &mut self,
        item: &'a ReferenceOr<T>,
        section: &str,
        lookup: fn(&'a openapiv3::Components) -> &'a indexmap::IndexMap<String, ReferenceOr<T>>,
        pointer: &str,
    ) -> Option<&'a T> {
        let spec = self.spec;
        let mut current = item;
        // A chain of refs longer than the section itself must be a cycle.
        for _ in 0..64 {
            match current {
                ReferenceOr::Item(value) => return Some(value),
                ReferenceOr::Reference { reference } => {
                    let target = component_name(reference, section).and_then(|name| {
                        spec.components.as_ref().and_then(|c| lookup(c).get(&name))
                    });
                    match target {
                        Some(next) => current = next,
                        None => {
                            self.lose(
                                loss_of(section),
                                "ref",
                                pointer,
                                format!("$ref {reference:?} does not point to anything in components/{section}; left out"),
                            );
                            return None;
                        }
                    }
                }
            }
        }
        self.lose(
            loss_of(section),
            "ref",
            pointer,
            "$ref chain does not end (a cycle of references); left out".to_owned(),
        );
        None
    }
}

/// What is lost when a ref into `components/<section>` leads nowhere and its part is left out.
fn loss_of(section: &str) -> Loss {
    match section {
        "parameters" | "headers" => Loss::Parameter,
        "requestBodies" | "responses" => Loss::Body,
        "securitySchemes" => Loss::Security,
        "schemas" => Loss::AnyValue,
        _ => Loss::Check,
    }
}

/// `#/components/<section>/<name>` → `<name>`, with JSON pointer escapes undone.
fn component_name(reference: &str, section: &str) -> Option<String> {
    let name = reference
        .strip_prefix("#/components/")?
        .strip_prefix(section)?
        .strip_prefix('/')?;
    if name.contains('/') {
        return None;
    }
    Some(name.replace("~1", "/").replace("~0", "~"))
}
