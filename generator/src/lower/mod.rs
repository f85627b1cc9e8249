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
mod multipart;
mod names;
mod operations;
mod pagination;
mod recursion;
mod routes;
mod security;
mod tags;
mod types;

use std::collections::HashMap;

use openapiv3::{OpenAPI, ReferenceOr};

use crate::diagnostics::{Diagnostics, Loss};
use crate::load::Provenance;
use crate::model::{Api, Kept, SecurityScheme, Server, TypeDef, TypeGraph, TypeId, TypeRef};

pub use names::{client_name, pascal, snake, Namespace};

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

/// Names the server trait does not take besides the prelude and the types': what the
/// `client` and `server` modules export or use unqualified, so that glob imports of the
/// modules never make a name ambiguous, and the traits users derive most.
const MODULE_NAMES: &[&str] = &[
    "Debug",
    "Hash",
    "Erased",
    "Pending",
    "BodyLimits",
    "ReadTimeout",
    "ByteStream",
    "Items",
    "Paginated",
    "Retry",
    "Streamed",
    "Core",
    "Problem",
    "Auth",
    "Credential",
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
    "Client",
    "Call",
    "Error",
    "ErrorResponse",
    "Operation",
];

/// Lowers a parsed spec into the model. Problems are reported into `diags`; the model is
/// returned in any case, so later problems are found too, but it must not be emitted when
/// `diags` holds an error.
pub fn lower_api(
    parsed: &crate::parse::Spec,
    crate_name: &str,
    files: &Provenance,
    diags: &mut Diagnostics,
) -> Api {
    let spec = &parsed.api;
    let mut cx = Lowerer {
        spec,
        extension_operations: &parsed.extension_operations,
        files,
        diags,
        graph: TypeGraph::default(),
        type_names: Namespace::with_reserved(PRELUDE),
        components: HashMap::new(),
        schemes: Vec::new(),
        defaults: Vec::new(),
        merging: Vec::new(),
        schema_sites: HashMap::new(),
    };
    cx.schemes = cx.lower_security_schemes();
    cx.declare_components();
    cx.lower_components();
    let mut operations = cx.lower_operations();
    // Events go through every step that names or renumbers types with the operations, and
    // leave before the steps that are for calling the API (client headers, pages).
    let served = operations.len();
    operations.extend(cx.lower_events(&parsed.webhooks));
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
    let mut examples = cx.collect_examples(&operations);
    // Folding renumbers the graph: everything that names types by id goes through it.
    let components = cx.components.values().copied().collect();
    dedup::fold_identical(&mut cx.graph, &mut operations, &components, &mut examples);
    tags::drop_variant_tags(&mut cx.graph, &mut operations, &examples);
    recursion::mark_boxed(&mut cx.graph);
    alternatives::tell_alternatives_apart(&mut cx.graph);
    let events = operations.split_off(served);
    let client_headers = client_headers::mark_client_headers(&mut operations);
    cx.paginate(&mut operations);
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
        server: server(spec),
        operations,
        events,
        types: cx.graph,
        security_schemes: cx.schemes,
        client_headers,
        examples,
        customization: Default::default(),
        kept,
    }
}

/// The server trait is named after the API's title (a folder API's title is its folder's
/// name), or the crate's when the title has no letters. A name the prelude, the generated
/// modules or a generated type already use gets `Api` appended: `title: Ok` gives `OkApi`.
fn trait_name(title: &str, crate_name: &str, type_names: &mut Namespace) -> String {
    let base = pascal(title, &pascal(crate_name, "Api"));
    let base = if PRELUDE.contains(&base.as_str())
        || MODULE_NAMES.contains(&base.as_str())
        || type_names.is_taken(&base)
    {
        format!("{base}Api")
    } else {
        base
    };
    type_names.claim(base)
}

/// The first server whose URL is absolute once its variables take their defaults.
fn server(spec: &OpenAPI) -> Option<Server> {
    spec.servers.iter().find_map(|server| {
        let server = Server {
            template: server.url.clone(),
            variables: server
                .variables
                .iter()
                .flatten()
                .map(|(name, var)| (name.clone(), var.default.clone()))
                .collect(),
        };
        let url = server.url_with(&[]);
        (url.starts_with("http://") || url.starts_with("https://")).then_some(server)
    })
}

/// State of one lowering: the spec, where to report, and the type graph being built.
pub(crate) struct Lowerer<'a> {
    spec: &'a OpenAPI,
    /// The operations of methods openapiv3's path items do not hold (3.2's `query` and
    /// `additionalOperations`), lowered with their path's others.
    extension_operations: &'a [crate::parse::ExtensionOperation],
    files: &'a Provenance,
    diags: &'a mut Diagnostics,
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
}

impl<'a> Lowerer<'a> {
    fn warn(&mut self, rule: &'static str, pointer: &str, message: String) {
        let (file, pointer) = self.files.locate(pointer);
        self.diags.warn(rule, file, &pointer, message);
    }

    /// A warning that something the spec declares does not arrive as declared.
    fn lose(&mut self, loss: Loss, rule: &'static str, pointer: &str, message: String) {
        let (file, pointer) = self.files.locate(pointer);
        self.diags.lose(loss, rule, file, &pointer, message);
    }

    /// Adds a definition under a fresh name derived from `hint`.
    fn define(&mut self, hint: &str, def: TypeDef) -> TypeId {
        let name = self.type_names.claim(pascal(hint, "Type"));
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
