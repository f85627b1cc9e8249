//! The `server` module: a trait with one method per operation, an axum router over it, and
//! the encoding of each response enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::imports::Imports;
use super::modules::{group_docs, header};
use super::routes::{alone_statement, segment_literals, Routes};
use super::server_trait::{emit_defaults, emit_trait};
use super::types::{default_literal, is_constant};
use super::validate::{checked_types, held_to, param_check, ParamCheck};
use super::{content_types, framing_tokens, gates, ident, pick_patterns, Needs};
use crate::model::{
    Api, Content, Location, Media, Operation, Param, ParamEncoding, PathPart, Payload, Response,
    SchemeKind, Status, Style, TypeGraph, TypeKind, TypeRef,
};
use percent_encoding::{utf8_percent_encode, AsciiSet, CONTROLS};

/// What the `url` crate percent-encodes in a path segment, so a route matches the path a
/// client sends for the same literal.
const PATH_SEGMENT: &AsciiSet = &CONTROLS
    .add(b' ')
    .add(b'"')
    .add(b'#')
    .add(b'<')
    .add(b'>')
    .add(b'?')
    .add(b'`')
    .add(b'{')
    .add(b'}')
    .add(b'/')
    .add(b'%');

/// `server.rs`: the trait, the router, and a module per group of operations.
pub fn emit_server(api: &Api, needs: &Needs, plan: &ServerPlan<'_>) -> TokenStream {
    let tokens = emit_router(
        api,
        needs,
        &api.operations,
        &server_surface(api),
        Some(plan),
    );
    // The module imports the requests and responses with globs, for the trait.
    Imports::globbed(&[], &api.trait_name, &["requests", "responses"]).rewrite(tokens)
}

/// What the server's files share, worked out once for all of them.
pub struct ServerPlan<'a> {
    /// Which types have checks of their own ([`checked_types`]).
    checked: Vec<bool>,
    /// The operations alone on their route (by name), which their group's file routes.
    alone: std::collections::HashSet<&'a str>,
    /// The groups with an operation the server serves.
    groups: Vec<usize>,
    /// The groups with an operation alone on its route.
    routing: std::collections::BTreeSet<usize>,
}

impl<'a> ServerPlan<'a> {
    pub fn of(api: &'a Api) -> Self {
        let served = served(&api.operations);
        let table = Routes::of(&served);
        let alone = table.alone().map(|op| op.name.as_str()).collect();
        let routing = table.alone().filter_map(|op| op.group).collect();
        let mut groups: Vec<usize> = served.iter().filter_map(|op| op.group).collect();
        groups.sort_unstable();
        groups.dedup();
        ServerPlan {
            checked: checked_types(&api.types),
            alone,
            groups,
            routing,
        }
    }

    /// The groups with an operation the server serves, each a file `server/<group>.rs`.
    pub fn groups(&self) -> &[usize] {
        &self.groups
    }

    /// Whether group `index` adds routes of its own (a `routes` function).
    fn routes_alone(&self, index: usize) -> bool {
        self.routing.contains(&index)
    }
}

/// Where an operations module sits, as its functions see the router's module: inline in it
/// (the webhooks' receiver), or in a group's file.
struct Placement {
    /// The router's module, from inside the operations module.
    router: TokenStream,
    /// The visibility that lets the router's module call the functions.
    vis: TokenStream,
}

impl Placement {
    fn inline() -> Self {
        Placement {
            router: quote!(super),
            vis: quote!(pub(super)),
        }
    }

    fn in_group() -> Self {
        Placement {
            router: quote!(crate::server),
            vis: quote!(pub(in crate::server)),
        }
    }
}

/// `server/<group>.rs`: the routes of the group's operations that are alone on their
/// route, how each takes its inputs out of a request (`operations`), and how its responses
/// are written, an operation at a time. Returns its imports.
pub fn emit_server_module(
    api: &Api,
    needs: &Needs,
    plan: &ServerPlan<'_>,
    group: usize,
    out: &mut dyn FnMut(TokenStream),
) -> TokenStream {
    let served: Vec<&Operation> = served(&api.operations)
        .into_iter()
        .filter(|op| op.group == Some(group))
        .collect();
    let mut imports = Imports::new([], &api.trait_name);
    let docs = header(&group_docs(&api.groups[group], |what| {
        format!(" How the server reads the requests of {what}, and writes their responses.")
    }));
    let alone: Vec<&Operation> = served
        .iter()
        .copied()
        .filter(|op| plan.alone.contains(op.name.as_str()))
        .collect();
    let routes_alone = !alone.is_empty();
    // A multipart operation's route takes its own handler, not the shared one.
    let handlers = alone
        .iter()
        .any(|op| !reads_multipart(op))
        .then(|| quote!(handlers,));
    let router_imports = routes_alone.then(|| {
        quote!(
            use super::{#handlers Erased};
        )
    });
    out(docs);
    if routes_alone {
        let statements = alone
            .iter()
            .map(|op| alone_statement(op, &quote!(operations)));
        out(quote! {
            /// Adds the routes of the group's operations that have a route to themselves.
            pub(super) fn routes(
                mut router: axum::Router<std::sync::Arc<dyn Erased>>,
            ) -> axum::Router<std::sync::Arc<dyn Erased>> {
                #(#statements)*
                router
            }
        });
    }
    // The operations module imports what its functions name, on its own.
    let mut inner = Imports::new([], &api.trait_name);
    let at = Placement::in_group();
    let handlers: Vec<TokenStream> = served
        .iter()
        .map(|op| inner.rewrite(emit_handler(api, &plan.checked, &needs.patterns, op, &at)))
        .collect();
    if let Some(operations) = operations_module(&served, &handlers, &at, inner.uses()) {
        out(operations);
    }
    for op in &served {
        out(imports.rewrite(emit_encoder(op)));
    }
    let uses = imports.uses();
    quote! {
        use super::support::Reply;
        #router_imports
        #uses
    }
}

/// `server/defaults.rs`: the server's trait with the `server-defaults` feature.
pub fn emit_server_defaults(api: &Api) -> TokenStream {
    emit_defaults(api, &api.operations, &server_surface(api))
}

fn server_surface(api: &Api) -> Surface<'_> {
    Surface {
        trait_name: &api.trait_name,
        what: format!("The operations of {}", api.title),
        module_doc: vec![format!(
            " The server: implement [`{}`], then serve [`router`] with axum.",
            api.trait_name
        )],
    }
}

/// What a router serves besides its operations: the name of its trait and its docs.
pub struct Surface<'s> {
    pub trait_name: &'s str,
    /// The start of the trait's first doc line: what its methods answer.
    pub what: String,
    /// The module's doc lines.
    pub module_doc: Vec<String>,
}

/// A module with a trait of one method per operation of `ops` and an axum router over it:
/// the API's server, or the receiver of its webhooks and callbacks.
/// With `by_group` (the API's server), each group's operations are read and answered in a
/// file of its own (see [`emit_server_module`]); without (the webhooks' receiver), here.
pub fn emit_router(
    api: &Api,
    needs: &Needs,
    ops: &[Operation],
    surface: &Surface<'_>,
    by_group: Option<&ServerPlan<'_>>,
) -> TokenStream {
    let trait_name = ident(surface.trait_name);
    let served = served(ops);
    // An API without operations (a document of webhooks only) has no methods, handlers or
    // responses to encode: emitting their machinery would leave it unused.
    let has_operations = !served.is_empty();
    // With the `server-defaults` feature, `defaults.rs` holds the trait instead.
    let trait_cfg = has_operations.then(|| quote!(#[cfg(not(feature = "server-defaults"))]));
    let the_trait = emit_trait(api, &served, surface, false, quote!(#trait_cfg));
    // Without groups, each operation is read and answered here.
    let (handlers, encoders) = match by_group {
        Some(_) => (Vec::new(), Vec::new()),
        None => inline_operations(api, needs, &served),
    };

    // One statement per operation, each adding its method to its route (axum merges the
    // methods of a route added again): a chain of thousands of `.route` calls (Microsoft
    // Graph) is an expression deep enough to overflow the compiler's stack. An `Endpoint` is
    // added through `handlers::route`, so axum's handler traits are worked out once there,
    // not at every route. A document of webhooks only has no route to add.
    let mutable = (!served.is_empty()).then(|| quote!(mut));
    let route_table = Routes::of(&served);
    // Each group's functions are in its module's `operations`.
    let group_operations = |op: &Operation| match op.group {
        Some(group) if by_group.is_some() => {
            let module = ident(&api.groups[group].name);
            quote!(#module::operations)
        }
        _ => quote!(operations),
    };
    let (mut routes, dispatchers) = route_table.emit(api, by_group.is_some(), &group_operations);
    let modules = by_group.map(|plan| group_modules(api, plan, &mut routes));
    // Operations that share a route are added through their dispatch function instead.
    let route_alone = route_table.any_alone();
    // The responses are written where they are encoded: here, or in each group's file.
    let reply_import = (has_operations && by_group.is_none()).then(|| {
        quote!(
            use support::Reply;
        )
    });
    // The trait's signatures name the types bare; the defaults trait beside it, with the
    // crate's `server-defaults` feature, replaces it. Request and response types never
    // share a name (one namespace, `…Request`, `…Required` and `…Response`), nor take one
    // this module declares or imports (`lower::MODULE_NAMES`).
    // A build of some groups' features may name none of them, nor use the handler's parts.
    let narrowed = |lint| match by_group {
        Some(_) => gates::allow_when_narrowed(api, lint),
        None => TokenStream::new(),
    };
    let signature_imports = has_operations
        .then(|| signature_imports(&served, &trait_name, narrowed(quote!(unused_imports))));
    // The object trait is a file of its own beside the groups', or here.
    let erased = match by_group {
        Some(_) => {
            let pending = has_operations.then(|| quote!(, Pending));
            quote! {
                mod erased;
                use erased::{Erased #pending};
            }
        }
        None => emit_erased(api, &served, &trait_name, quote!()),
    };
    // An operation without inputs takes none out of the request.
    let nothing = served
        .iter()
        .copied()
        .any(|op| !reads_multipart(op) && takes_nothing(op));
    // Multipart operations have async handlers of their own; the others share `Endpoint`.
    let handle = served
        .iter()
        .copied()
        .any(|op| !reads_multipart(op))
        .then(|| emit_endpoint_type(route_alone, nothing));
    // Without operations there is nothing to respond for, only the fallbacks.
    let operation_handling = has_operations.then(|| {
        // The shared handler's imports, only where it is (an API of multipart forms only
        // has none).
        let handle_imports = handle.is_some().then(|| {
            quote! {
                use super::support::Incoming;
                use axum::extract::Request;
            }
        });
        quote! {
            #handle_imports
            use axum::response::IntoResponse;

            #handle

            /// The response for a handler's result: the operation's, or the
            /// implementation's rejection.
            pub(super) fn respond<R: IntoResponse>(api: &dyn Erased, result: Result<R, Problem>) -> Response {
                let response = match result {
                    Ok(response) => response.into_response(),
                    Err(problem) => api.rejection(problem),
                };
                #[cfg(feature = "tracing")]
                tracing::Span::current().record("status", response.status().as_u16());
                response
            }
        }
    });
    let operations = operations_module(&served, &handlers, &Placement::inline(), quote!());
    let module_doc = &surface.module_doc;
    let unused_mut = narrowed(quote!(unused_mut));
    let unused_handling = narrowed(quote!(dead_code, unused_imports));
    quote! {
        #(#![doc = #module_doc])*
        use crate::server_support as support;
        use std::sync::Arc;

        pub use support::{
            serve, serve_locally, Auth, BodyBudget, BodyLimits, Credential, Limits, Problem, ReadTimeout,
        };
        #reply_import

        #signature_imports

        #modules

        #the_trait

        /// An axum router serving `api`. Unknown paths are answered 404 and known paths with
        /// the wrong method 405, both as problem details. Bodies larger than axum's default
        /// limit (2 MB) are refused with 413; add an `axum::extract::DefaultBodyLimit` layer
        /// to change that, or a [`BodyLimits`] extension for some operations. Serve it with
        /// [`serve`], which limits how long a client may take to send a request and how many
        /// connections and buffered bodies it holds at once (see [`Limits`]).
        pub fn router<A: #trait_name>(api: A) -> axum::Router {
            routes(Arc::new(api))
        }

        #erased

        fn routes(api: Arc<dyn Erased>) -> axum::Router {
            // A literal segment may start with `*` or `:` (`/d/*rest`), which axum refuses
            // as route syntax of its 0.7 releases unless told otherwise; matchit reads them
            // as literals. Captures are `{s1}` and literal braces are doubled.
            #unused_mut
            let #mutable router = axum::Router::<Arc<dyn Erased>>::new().without_v07_checks();
            #(#routes)*
            router
                .fallback(handlers::not_found)
                .method_not_allowed_fallback(handlers::method_not_allowed)
                .with_state(api)
        }

        #(#dispatchers)*

        /// The one handler that serves every operation, and the answers to unknown paths
        /// and methods.
        #unused_handling
        mod handlers {
            use super::{Erased, Problem};
            use axum::extract::State;
            use axum::response::Response;
            use std::sync::Arc;

            #operation_handling

            pub(super) async fn not_found(State(api): State<Arc<dyn Erased>>) -> Response {
                api.rejection(Problem::not_found())
            }

            pub(super) async fn method_not_allowed(State(api): State<Arc<dyn Erased>>) -> Response {
                api.rejection(Problem::method_not_allowed())
            }

        }

        #operations

        #(#encoders)*
    }
}

/// What the trait's signatures name (requests, responses, `Future`), each `use` behind
/// `unused` (an allow, where a build of some groups may name none), and the trait with
/// defaults in place of this one under `server-defaults`.
fn signature_imports(
    served: &[&Operation],
    trait_name: &syn::Ident,
    unused: TokenStream,
) -> TokenStream {
    let requests = served.iter().any(|op| has_inputs(op)).then(|| {
        quote!(
            #unused
            use crate::requests::*;
        )
    });
    quote! {
        #requests
        #unused
        use crate::responses::*;
        #unused
        use std::future::Future;

        #[cfg(feature = "server-defaults")]
        mod defaults;
        #[cfg(feature = "server-defaults")]
        pub use defaults::#trait_name;
    }
}

/// `server/erased.rs`: the trait as an object, beside the groups' files.
pub fn emit_erased_file(api: &Api) -> TokenStream {
    let served = served(&api.operations);
    let trait_name = ident(&api.trait_name);
    let items = emit_erased(api, &served, &trait_name, quote!(pub(super)));
    // A build of some groups' features may name none of the requests or responses.
    let narrowed = gates::allow_when_narrowed(api, quote!(unused_imports));
    let requests = served.iter().any(|op| has_inputs(op)).then(|| {
        quote!(
            #narrowed
            use crate::requests::*;
        )
    });
    // An API of webhooks only has no operation to answer, nor their types to import.
    let answers = (!served.is_empty()).then(|| {
        quote! {
            #narrowed
            use crate::responses::*;
            use std::future::Future;
            #narrowed
            use std::sync::Arc;
        }
    });
    let tokens = quote! {
        //! The server's trait as an object, which the router holds.
        use super::{Problem, #trait_name};
        #requests
        #answers

        #items
    };
    Imports::globbed(&[], &api.trait_name, &["requests", "responses"]).rewrite(tokens)
}

/// The trait as an object (`Erased`), the boxed answer its methods return (`Pending`), and
/// its implementation for every implementation of the trait, each item `vis`.
fn emit_erased(
    api: &Api,
    served: &[&Operation],
    trait_name: &syn::Ident,
    vis: TokenStream,
) -> TokenStream {
    let (erased_methods, erased_impls) = erased(api, served, trait_name);
    let pending = (!served.is_empty()).then(|| {
        quote! {
            /// An implementation's answer to come, boxed.
            #vis type Pending<T> = std::pin::Pin<Box<dyn Future<Output = Result<T, Problem>> + Send>>;
        }
    });
    quote! {
        /// The trait as an object: the router holds the implementation behind it, so the
        /// router and its handlers are compiled once, in this crate, not again in the crate
        /// that implements the trait.
        #vis trait Erased: Send + Sync + 'static {
            #(#erased_methods)*
            fn rejection(&self, problem: Problem) -> axum::response::Response;
        }

        #pending

        impl<A: #trait_name> Erased for A {
            #(#erased_impls)*
            fn rejection(&self, problem: Problem) -> axum::response::Response {
                <A as #trait_name>::rejection(self, problem)
            }
        }
    }
}

/// The functions reading each operation's inputs, and the encoders of its responses, for a
/// router without groups.
fn inline_operations(
    api: &Api,
    needs: &Needs,
    served: &[&Operation],
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let checked = checked_types(&api.types);
    let at = Placement::inline();
    served
        .iter()
        .map(|op| {
            let handler = emit_handler(api, &checked, &needs.patterns, op, &at);
            (handler, emit_encoder(op))
        })
        .unzip()
}

/// The server's modules of groups, declared; and the statements adding their routes.
fn group_modules(api: &Api, plan: &ServerPlan<'_>, routes: &mut Vec<TokenStream>) -> TokenStream {
    let modules = plan.groups().iter().map(|g| {
        let (name, gate) = (ident(&api.groups[*g].name), gates::group(api, *g));
        quote!(#gate mod #name;)
    });
    routes.extend(
        plan.groups()
            .iter()
            .filter(|g| plan.routes_alone(**g))
            .map(|g| {
                let (module, gate) = (ident(&api.groups[*g].name), gates::group(api, *g));
                gates::statement(gate, quote!(router = #module::routes(router);))
            }),
    );
    quote!(#(#modules)*)
}

/// The trait as an object (`Erased`): its methods, and their implementation for any
/// implementation of the trait. The object's methods take the operation's inputs as one
/// value, so that each is a plain function pointer for the one shared handler
/// (`handlers::Endpoint`).
fn erased(
    api: &Api,
    served: &[&Operation],
    trait_name: &syn::Ident,
) -> (Vec<TokenStream>, Vec<TokenStream>) {
    let methods = served
        .iter()
        .map(|op| {
            let name = ident(&op.name);
            let input = erased_input(op).ty;
            let response = response_type(op);
            let gate = gates::operation(api, op);
            quote!(#gate fn #name(self: Arc<Self>, input: #input) -> Pending<#response>;)
        })
        .collect();
    let impls = served
        .iter()
        .map(|op| {
            let name = ident(&op.name);
            let ErasedInput { ty, pattern, names } = erased_input(op);
            let response = response_type(op);
            let gate = gates::operation(api, op);
            quote! {
                #gate
                fn #name(self: Arc<Self>, #pattern: #ty) -> Pending<#response> {
                    Box::pin(<A as #trait_name>::#name(self #(, #names)*))
                }
            }
        })
        .collect();
    (methods, impls)
}

/// The `operations` module: each operation's function taking its inputs out of a request.
/// A module of their own, beside `handlers`: an operation's function may take any name
/// (`respond`, `route`), so nothing else is declared or imported by name where they are.
fn operations_module(
    served: &[&Operation],
    handlers: &[TokenStream],
    at: &Placement,
    uses: TokenStream,
) -> Option<TokenStream> {
    if handlers.iter().all(|h| h.is_empty()) {
        return None;
    }
    let router = &at.router;
    let support = support_imports(served, router);
    let extracts = served
        .iter()
        .copied()
        .any(|op| !reads_multipart(op) && !takes_nothing(op))
        .then(|| {
            quote!(
                use #router::Problem;
            )
        });
    let multipart = served.iter().copied().any(reads_multipart).then(|| {
        quote! {
            use #router::Erased;
            use axum::extract::{Request, State};
            use axum::response::Response;
            use std::sync::Arc;
        }
    });
    let vis = (at.router.to_string() != "super").then(|| quote!(pub(super)));
    Some(quote! {
        /// How each operation's inputs are taken out of a request and checked.
        #vis mod operations {
            #uses
            #support
            #extracts
            #multipart

            #(#handlers)*
        }
    })
}

/// What the `operations` module takes from the runtime's server support: `Incoming`, and
/// the helpers only some operations need.
fn support_imports(served: &[&Operation], router: &TokenStream) -> TokenStream {
    // `Found` rebuilds a body read from one of several media types.
    let found = served
        .iter()
        .copied()
        .any(|op| {
            op.body
                .as_ref()
                .is_some_and(|b| b.payload.enum_name.is_some())
        })
        .then(|| quote!(Found,));
    // `security: [{}]` alone (anonymous access) names no scheme.
    let scheme = served
        .iter()
        .copied()
        .any(|op| op.security.iter().any(|set| !set.is_empty()))
        .then(|| quote!(, Scheme));
    // Only the operations served are read (another answers the rest).
    let params = || served.iter().copied().flat_map(|op| &op.params);
    let keys = params()
        .any(|p| {
            matches!(p.location, Location::Query | Location::Cookie)
                && matches!(p.encoding, ParamEncoding::Object { .. })
        })
        .then(|| quote!(, Keys));
    let segment = params()
        .any(|p| {
            p.location == Location::Path
                && matches!(
                    p.encoding,
                    ParamEncoding::List { .. } | ParamEncoding::Object { .. }
                )
        })
        .then(|| quote!(, Segment));
    // Headers and cookies have one style each, which the runtime knows.
    let style = params()
        .any(|p| {
            matches!(p.location, Location::Path | Location::Query)
                && matches!(
                    p.encoding,
                    ParamEncoding::List { .. } | ParamEncoding::Object { .. }
                )
        })
        .then(|| quote!(, Style));
    quote!(use #router::support::{#found Incoming #scheme #keys #segment #style};)
}

/// `Endpoint`, the one handler every operation but a multipart one is served by, with
/// `route` (for operations alone on their route) and `nothing` (for those without inputs)
/// where the API has such operations.
fn emit_endpoint_type(route_alone: bool, nothing: bool) -> TokenStream {
    let route_alone = route_alone.then(|| {
        quote! {
            /// Adds an operation's method to its route.
            pub(super) fn route<I: Send + 'static, R: IntoResponse + Send + 'static>(
                router: axum::Router<Arc<dyn Erased>>,
                route: &str,
                method: axum::routing::MethodFilter,
                endpoint: Endpoint<I, R>,
            ) -> axum::Router<Arc<dyn Erased>> {
                router.route(route, axum::routing::on(method, endpoint))
            }
        }
    });
    let nothing = nothing.then(|| {
        quote! {
            /// The inputs of an operation that has none.
            pub(super) fn nothing(_: &mut Incoming) -> Result<(), Problem> {
                Ok(())
            }
        }
    });
    quote! {
        /// An operation as axum serves it: what it is, how its inputs are taken out of a
        /// request, and the method of the implementation that answers. Every operation's
        /// route holds one, so the crate has one handler, not one per operation.
        pub(super) struct Endpoint<I, R> {
            pub(super) operation: &'static str,
            // The method and path template name the operation's tracing span.
            #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
            pub(super) method: &'static str,
            #[cfg_attr(not(feature = "tracing"), allow(dead_code))]
            pub(super) path: &'static str,
            /// Whether the body is handed to the implementation unread.
            pub(super) streaming: bool,
            pub(super) extract: fn(&mut Incoming) -> Result<I, Problem>,
            pub(super) call: fn(Arc<dyn Erased>, I) -> super::Pending<R>,
        }

        impl<I, R> Clone for Endpoint<I, R> {
            fn clone(&self) -> Self {
                *self
            }
        }

        impl<I, R> Copy for Endpoint<I, R> {}

        #route_alone

        /// The one async body of every handler: reads the request, takes the operation's
        /// inputs out of it, calls the implementation and answers; with the crate's
        /// `tracing` feature, inside a span `operation`.
        impl<I: Send + 'static, R: IntoResponse + Send + 'static> axum::handler::Handler<(), Arc<dyn Erased>> for Endpoint<I, R> {
            type Future = std::pin::Pin<Box<dyn std::future::Future<Output = Response> + Send>>;

            fn call(self, request: Request, api: Arc<dyn Erased>) -> Self::Future {
                let Endpoint { operation, streaming, extract, call, .. } = self;
                let future = async move {
                    let result = async {
                        let mut input = if streaming {
                            Incoming::read_streaming(request, operation).await?
                        } else {
                            Incoming::read(request, operation).await?
                        };
                        let inputs = extract(&mut input)?;
                        call(Arc::clone(&api), inputs).await
                    }
                    .await;
                    respond(&*api, result)
                };
                #[cfg(feature = "tracing")]
                let future = tracing::Instrument::instrument(
                    future,
                    tracing::info_span!(
                        "operation",
                        side = "server",
                        operation,
                        method = self.method,
                        path = self.path,
                        status = tracing::field::Empty,
                    ),
                );
                Box::pin(future)
            }
        }
        #nothing
    }
}

/// The route as axum (matchit) writes it: literals percent-encoded like a client sends them,
/// with `{` and `}` doubled; each variable segment named by its position (`{s1}`), so that
/// operations on the same shape share a route whatever their variables are called.
pub(super) fn route_path(op: &Operation) -> String {
    let mut route = String::new();
    for (i, segment) in op.path.segments.iter().enumerate() {
        route.push('/');
        if segment.iter().any(|p| matches!(p, PathPart::Param(_))) {
            route.push_str(&format!("{{s{i}}}"));
        } else {
            for part in segment {
                if let PathPart::Literal(literal) = part {
                    let encoded = utf8_percent_encode(literal, PATH_SEGMENT).to_string();
                    route.push_str(&encoded.replace('{', "{{").replace('}', "}}"));
                }
            }
        }
    }
    route
}

fn response_type(op: &Operation) -> TokenStream {
    let name = ident(&op.response_type);
    quote!(crate::responses::#name)
}

/// The operations a router serves: an operation another one answers (the same request on
/// the wire) is the client's only.
pub(super) fn served(ops: &[Operation]) -> Vec<&Operation> {
    ops.iter().filter(|op| op.answered_by.is_none()).collect()
}

/// Whether the operation takes any input: an operation without one has no request argument.
pub(super) fn has_inputs(op: &Operation) -> bool {
    !op.params.is_empty() || op.body.is_some()
}

/// The call reading the credentials of `op`, if it has security.
fn auth_lookup(api: &Api, op: &Operation) -> Option<TokenStream> {
    (!op.security.is_empty()).then(|| {
        let sets = op.security.iter().map(|set| {
            let schemes = set.iter().map(|i| {
                let scheme = &api.security_schemes[*i];
                let key = &scheme.api_name;
                let locate = match &scheme.kind {
                    SchemeKind::ApiKey {
                        location: Location::Query,
                        param,
                    } => quote!(Scheme::ApiKeyQuery(#param)),
                    SchemeKind::ApiKey {
                        location: Location::Cookie,
                        param,
                    } => quote!(Scheme::ApiKeyCookie(#param)),
                    SchemeKind::ApiKey { param, .. } => quote!(Scheme::ApiKeyHeader(#param)),
                    SchemeKind::Bearer
                    | SchemeKind::OAuth2 { .. }
                    | SchemeKind::OpenIdConnect { .. } => quote!(Scheme::Bearer),
                    SchemeKind::Basic => quote!(Scheme::Basic),
                };
                quote!((#key, #locate))
            });
            quote!(&[#(#schemes),*])
        });
        quote!(input.auth(&[#(#sets),*])?)
    })
}

/// `checked` is which types have checks of their own ([`checked_types`]).
/// `patterns` are the crate's ([`Needs::patterns`]).
fn emit_handler(
    api: &Api,
    checked: &[bool],
    patterns: &[String],
    op: &Operation,
    at: &Placement,
) -> TokenStream {
    let graph = &api.types;
    let name = ident(&op.name);
    let auth = auth_lookup(api, op);
    let mut fields: Vec<TokenStream> = op
        .params
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let field = ident(&p.name);
            let wire = &p.api_name;
            let lookup = match (p.location, p.encoding) {
                (Location::Path, ParamEncoding::List { style, explode }) => {
                    let (segment, style) = (path_segment(op, index), style_variant(style));
                    quote!(input.path_list(#segment, #style, #explode))
                }
                (Location::Path, ParamEncoding::Object { style, explode }) => {
                    let (segment, style) = (path_segment(op, index), style_variant(style));
                    quote!(input.path_object(#segment, #style, #explode))
                }
                (Location::Path, _) => {
                    let (segment, literals, at) = path_position(op, index);
                    if literals.iter().all(String::is_empty) && literals.len() == 2 {
                        quote!(input.path(#segment, #wire))
                    } else {
                        let at = proc_macro2::Literal::usize_unsuffixed(at);
                        quote!(input.path_within(#segment, #wire, &[#(#literals),*], #at))
                    }
                }
                (Location::Query, ParamEncoding::Text) => quote!(input.query(#wire)),
                (Location::Query, ParamEncoding::List { style, explode }) => {
                    let style = style_variant(style);
                    quote!(input.query_list(#wire, #style, #explode))
                }
                (Location::Query, ParamEncoding::Object { style, explode }) => {
                    let keys = object_keys(api, op, p);
                    let style_tokens = style_variant(style);
                    let lookup = quote!(input.query_object(#wire, #style_tokens, #explode, #keys));
                    // Exploded, an empty object is no pairs: a required one is not missing.
                    if p.required && (explode || style == Style::DeepObject) {
                        quote!(#lookup.or_empty())
                    } else {
                        lookup
                    }
                }
                (Location::Query, ParamEncoding::Json) => quote!(input.query_json(#wire)),
                (Location::QueryString, _) => quote!(input.querystring_json(#wire)),
                (Location::Header, ParamEncoding::Text) => quote!(input.header(#wire)),
                (Location::Header, ParamEncoding::List { .. }) => quote!(input.header_list(#wire)),
                (Location::Header, ParamEncoding::Object { explode, .. }) => {
                    quote!(input.header_object(#wire, #explode))
                }
                (Location::Header, ParamEncoding::Json) => quote!(input.header_json(#wire)),
                (Location::Cookie, ParamEncoding::Text) => quote!(input.cookie(#wire)),
                (Location::Cookie, ParamEncoding::List { explode, .. }) => {
                    quote!(input.cookie_list(#wire, #explode))
                }
                (Location::Cookie, ParamEncoding::Object { explode, .. }) => {
                    let keys = object_keys(api, op, p);
                    let lookup = quote!(input.cookie_object(#wire, #explode, #keys));
                    if p.required && explode {
                        quote!(#lookup.or_empty())
                    } else {
                        lookup
                    }
                }
                (Location::Cookie, ParamEncoding::Json) => quote!(input.cookie_json(#wire)),
            };
            // The value is checked when the request has it (a default is the spec's own).
            let ParamCheck { rules, by_type } = param_check(graph, checked, patterns, p);
            let by_type = by_type.then(|| quote!(.validated()));
            let lookup = quote!(#lookup #rules #by_type);
            let default = p
                .default
                .as_ref()
                .and_then(|value| default_literal(graph, &p.ty, value));
            let value = match default {
                _ if p.absent_is_empty => quote!(#lookup.optional()?.unwrap_or_default()),
                // Required on the wire; `None` is only the client's "use the stored value".
                _ if p.client_level => quote!(Some(#lookup.required()?)),
                _ if p.required => quote!(#lookup.required()?),
                // An omitted parameter takes the spec's default.
                Some(default) if is_constant(&default) => {
                    quote!(#lookup.optional()?.unwrap_or(#default))
                }
                Some(default) => quote!(#lookup.optional()?.unwrap_or_else(|| #default)),
                None => quote!(#lookup.optional()?),
            };
            quote!(#field: #value)
        })
        .collect();
    let mut prelude = None;
    if let Some(body) = &op.body {
        let presence = if body.required {
            quote!(required)
        } else {
            quote!(optional)
        };
        let payload = &body.payload;
        match (&payload.enum_name, payload.contents.as_slice()) {
            (None, [only]) => {
                let declared = &only.content_type;
                let lookup = if payload.is_binary() {
                    quote!(input.upload(#declared))
                } else {
                    read_content(graph, patterns, only)
                };
                fields.push(quote!(body: #lookup.#presence()?));
            }
            (name, contents) => {
                // Several media types: `Content-Type` picks the variant.
                let name = ident(name.as_deref().unwrap_or("Body"));
                let declared = content_types(payload);
                let arms = contents.iter().zip(pick_patterns(payload)).map(|(c, index)| {
                    let variant = ident(&c.variant);
                    let lookup = read_content(graph, patterns, c);
                    quote!(Some(#index) => Some(crate::types::#name::#variant(#lookup.required()?)),)
                });
                prelude = Some(quote! {
                    let body = match input.pick(#declared)? {
                        None => None,
                        #(#arms)*
                    };
                });
                fields.push(quote!(body: Found::body(Ok(body)).#presence()?));
            }
        }
    }
    let request = has_inputs(op).then(|| {
        let ty = ident(&op.request_type);
        quote!(let request = crate::requests::#ty { #(#fields,)* };)
    });
    // The credentials are looked at once the inputs are read.
    let auth = auth.map(|auth| quote!(let auth = #auth;));
    let build = quote!(#request #auth);
    let inputs = erased_input(op);
    let input = inputs.value();
    // Reading a multipart body is async: such an operation has an async handler of its own.
    // Every other operation has a plain function taking its inputs out of the request,
    // which `Endpoint` calls.
    if !reads_multipart(op) {
        if takes_nothing(op) {
            return TokenStream::new();
        }
        let ty = inputs.ty;
        let vis = &at.vis;
        return quote! {
            #vis fn #name(input: &mut Incoming) -> Result<#ty, Problem> {
                #prelude
                #build
                Ok(#input)
            }
        };
    }
    let (api_name, method, path) = (&op.api_name, op.method.as_str(), &op.path.raw);
    let (vis, router) = (&at.vis, &at.router);
    quote! {
        #[cfg_attr(feature = "tracing", tracing::instrument(
            name = "operation",
            skip_all,
            fields(side = "server", operation = #api_name, method = #method, path = #path, status = tracing::field::Empty)
        ))]
        #vis async fn #name(State(api): State<Arc<dyn Erased>>, request: Request) -> Response {
            let result = async {
                let input = Incoming::read(request, #api_name).await?;
                #prelude
                #build
                <dyn Erased>::#name(Arc::clone(&api), #input).await
            }
            .await;
            #router::handlers::respond(&*api, result)
        }
    }
}

/// The route's handler of an operation: the shared [`Endpoint`] for most, an async function
/// of its own for an operation reading a multipart body.
/// `operations` is the path of the module of its functions.
pub(super) fn emit_endpoint(op: &Operation, operations: &TokenStream) -> TokenStream {
    let name = ident(&op.name);
    if reads_multipart(op) {
        return quote!(#operations::#name);
    }
    let (api_name, method, path) = (&op.api_name, op.method.as_str(), &op.path.raw);
    // A binary body, or items, are handed to the implementation unread.
    let streams = op.body.as_ref().is_some_and(|b| b.payload.is_streamed());
    let extract = if takes_nothing(op) {
        quote!(handlers::nothing)
    } else {
        quote!(#operations::#name)
    };
    quote! {
        handlers::Endpoint {
            operation: #api_name,
            method: #method,
            path: #path,
            streaming: #streams,
            extract: #extract,
            call: <dyn Erased>::#name,
        }
    }
}

/// Whether the operation takes nothing out of a request (no credentials, no inputs): its
/// route's `Endpoint` uses the shared `handlers::nothing`.
fn takes_nothing(op: &Operation) -> bool {
    op.security.is_empty() && !has_inputs(op)
}

/// The inputs of an operation as the implementation behind [`Erased`] takes them: the
/// credentials when it has security, the request struct when it has inputs, as one value
/// (a pair for both, `()` for neither).
struct ErasedInput {
    ty: TokenStream,
    pattern: TokenStream,
    names: Vec<TokenStream>,
}

impl ErasedInput {
    /// The value, built from locals of the inputs' names.
    fn value(&self) -> TokenStream {
        match self.names.as_slice() {
            [one] => one.clone(),
            names => quote!((#(#names),*)),
        }
    }
}

fn erased_input(op: &Operation) -> ErasedInput {
    let auth = (!op.security.is_empty()).then(|| (quote!(auth), quote!(crate::server::Auth)));
    let request = has_inputs(op).then(|| {
        let ty = ident(&op.request_type);
        (quote!(request), quote!(crate::requests::#ty))
    });
    let (names, types): (Vec<_>, Vec<_>) = auth.into_iter().chain(request).unzip();
    let (ty, pattern) = match (names.as_slice(), types.as_slice()) {
        ([name], [ty]) => (ty.clone(), name.clone()),
        ([], _) => (quote!(()), quote!(_)),
        (names, types) => (quote!((#(#types),*)), quote!((#(#names),*))),
    };
    ErasedInput { ty, pattern, names }
}

/// Whether the operation's body may be multipart, whose reading is async.
pub(super) fn reads_multipart(op: &Operation) -> bool {
    op.body.as_ref().is_some_and(|b| {
        b.payload
            .contents
            .iter()
            .any(|c| matches!(c.media, Media::Multipart(_)))
    })
}

/// Reads the request body as one media, checking its `Content-Type` (and a JSON body's
/// constraints beyond its type).
fn read_content(graph: &TypeGraph, patterns: &[String], content: &Content) -> TokenStream {
    let declared = &content.content_type;
    match &content.media {
        Media::Json(ty) => {
            let rules = held_to(graph, patterns, ty, &content.constraints);
            quote!(input.json(#declared) #rules)
        }
        Media::Form(_) => quote!(input.form(#declared)),
        // Lower reads an event stream in a request as text: only responses hold events.
        Media::Text | Media::EventStream(_) => quote!(input.text(#declared)),
        Media::Items(_, framing) => {
            let framing = framing_tokens(*framing);
            quote!(input.items(#declared, #framing))
        }
        Media::Binary => quote!(input.binary(#declared)),
        Media::Multipart(_) => quote!(input.multipart(#declared).await),
    }
}

/// Writes a response body of one media from `body`, finishing `reply`.
fn write_content(content: &Content, reply: TokenStream, body: TokenStream) -> TokenStream {
    let content_type = &content.content_type;
    match content.media {
        Media::Json(_) => quote!(#reply.json(#content_type, &#body)),
        Media::Form(_) => quote!(#reply.form(#content_type, &#body)),
        Media::Text => quote!(#reply.raw(#content_type, #body.into_bytes())),
        Media::Binary => quote!(#reply.binary(#content_type, #body)),
        Media::EventStream(TypeRef::String) => {
            quote!(#reply.events(#content_type, #body, crate::sse::to_text))
        }
        Media::EventStream(_) => quote!(#reply.events(#content_type, #body, crate::sse::to_json)),
        Media::Items(_, framing) => {
            let framing = framing_tokens(framing);
            quote!(#reply.items(#content_type, #body, #framing))
        }
        // Responses never hold multipart values (lower reads them as bytes).
        Media::Multipart(_) => quote!(#reply.empty()),
    }
}

/// Writes a response's body, or none, finishing `reply`.
fn write_payload(payload: Option<&Payload>, reply: TokenStream) -> TokenStream {
    let Some(payload) = payload else {
        return quote!(#reply.empty());
    };
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => write_content(only, reply, quote!(body)),
        (name, contents) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            let arms = contents.iter().map(|c| {
                let variant = ident(&c.variant);
                let write = write_content(c, quote!(reply), quote!(value));
                quote!(crate::types::#name::#variant(value) => #write,)
            });
            quote!({
                let reply = #reply;
                match body { #(#arms)* }
            })
        }
    }
}

/// The wire names of a struct's fields, the keys of an exploded object parameter; `None`
/// for an object that takes properties its schema does not name (a map, or a struct with
/// `additionalProperties`).
fn object_fields<'a>(api: &'a Api, ty: &'a TypeRef) -> Option<Vec<&'a str>> {
    match api.types.resolve_alias(ty) {
        TypeRef::Named(id) => match &api.types.get(*id).kind {
            TypeKind::Struct(fields) if !fields.iter().any(|f| f.flatten) => {
                Some(fields.iter().map(|f| f.api_name.as_str()).collect())
            }
            _ => None,
        },
        _ => None,
    }
}

/// Which pairs (query) or cookies are an exploded object parameter's: those its struct
/// names, or for a map any but the operation's other parameters in the same place.
fn object_keys(api: &Api, op: &Operation, p: &Param) -> TokenStream {
    match object_fields(api, &p.ty) {
        Some(fields) => quote!(Keys::Only(&[#(#fields),*])),
        None => {
            let others = op
                .params
                .iter()
                .filter(|o| o.location == p.location && o.api_name != p.api_name)
                .map(|o| &o.api_name);
            quote!(Keys::AllBut(&[#(#others),*]))
        }
    }
}

/// The runtime's `Style` variant for a style.
fn style_variant(style: Style) -> TokenStream {
    let variant = format_ident!("{}", style.variant());
    quote!(Style::#variant)
}

/// Where the path parameter `index` is, as the runtime's `Segment`: its segment counted from
/// the path's end, and the literal text around it there, encoded as the route has it.
fn path_segment(op: &Operation, index: usize) -> TokenStream {
    let (key, literals, nth) = path_position(op, index);
    // The literal text either side of the value (a styled value shares its segment with
    // literals only, not with other variables).
    let prefix = literals.get(nth).cloned().unwrap_or_default();
    let suffix = literals.get(nth + 1).cloned().unwrap_or_default();
    let at: usize = key.trim_start_matches('s').parse().unwrap_or(0);
    let back =
        proc_macro2::Literal::usize_unsuffixed(op.path.segments.len().saturating_sub(at + 1));
    let name = &op.params[index].api_name;
    if prefix.is_empty() && suffix.is_empty() {
        return quote!(Segment::at(#back, #name));
    }
    let prefix = utf8_percent_encode(&prefix, PATH_SEGMENT).to_string();
    let suffix = utf8_percent_encode(&suffix, PATH_SEGMENT).to_string();
    quote!(Segment::at(#back, #name).within(#prefix, #suffix))
}

/// The router's name for the segment holding path parameter `index`, the literal text
/// around the variables of that segment, and which of them the parameter is.
fn path_position(op: &Operation, index: usize) -> (String, Vec<String>, usize) {
    for (i, segment) in op.path.segments.iter().enumerate() {
        if let Some(at) = segment.iter().position(|p| *p == PathPart::Param(index)) {
            let before = segment[..at]
                .iter()
                .filter(|p| matches!(p, PathPart::Param(_)))
                .count();
            return (format!("s{i}"), segment_literals(segment), before);
        }
    }
    (String::new(), vec![String::new(); 2], 0)
}

fn emit_encoder(op: &Operation) -> TokenStream {
    let response = response_type(op);
    let arms = op.responses.iter().map(encode_arm);
    quote! {
        impl axum::response::IntoResponse for #response {
            fn into_response(self) -> axum::response::Response {
                match self {
                    #(#arms)*
                }
            }
        }
    }
}

fn encode_arm(response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let status = match response.status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        _ => quote!(status),
    };
    if response.is_body_only() {
        let out = write_payload(response.body.as_ref(), quote!(Reply::new(#status)));
        return quote!(Self::#variant(body) => #out,);
    }
    if matches!(response.status, Status::Code(_)) && response.headers.is_empty() {
        return quote!(Self::#variant => Reply::new(#status).empty(),);
    }
    let status_field = (!matches!(response.status, Status::Code(_))).then(|| quote!(status,));
    let body_field = response.body.as_ref().map(|_| quote!(body,));
    let header_fields = response.headers.iter().map(|h| ident(&h.name));
    let header_calls = response.headers.iter().map(|h| {
        let field = ident(&h.name);
        let wire = &h.api_name;
        if h.required {
            quote!(.header(#wire, Some(&#field)))
        } else {
            quote!(.header(#wire, #field.as_ref()))
        }
    });
    let out = write_payload(
        response.body.as_ref(),
        quote!(Reply::new(#status)#(#header_calls)*),
    );
    quote! {
        Self::#variant { #status_field #body_field #(#header_fields,)* } => #out,
    }
}
