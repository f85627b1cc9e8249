//! The server's routes: one `route` call per request shape and method. Operations that
//! share one (a constant query, `/responses/{id}?beta=true` beside `/responses/{id}`, or the
//! literal text of a segment, `/files/{id}.json` beside `/files/{id}`) get a dispatch
//! function that picks the operation the request fits, the most specific first.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::server::{emit_endpoint, reads_multipart, route_path};
use super::{gates, ident};
use crate::model::{Api, Method, Operation, PathPart};

/// A method of a route with extension methods: its name, the call answering it, and the
/// call's gate (`gates`).
type MethodCall<'m> = (&'m str, TokenStream, TokenStream);

/// The server's routes, in the order of their first operation.
pub(super) struct Routes<'a> {
    /// Each route's operations, most specific first.
    groups: Vec<(String, Method, Vec<&'a Operation>)>,
}

impl<'a> Routes<'a> {
    pub fn of(served: &[&'a Operation]) -> Self {
        let mut at: BTreeMap<(String, Method), usize> = BTreeMap::new();
        let mut groups: Vec<(String, Method, Vec<&'a Operation>)> = Vec::new();
        for op in served {
            let route = route_path(op);
            let index = *at
                .entry((route.clone(), op.method.clone()))
                .or_insert_with(|| {
                    groups.push((route, op.method.clone(), Vec::new()));
                    groups.len() - 1
                });
            groups[index].2.push(op);
        }
        // A stable sort: operations as specific as each other keep the document's order.
        for (_, _, ops) in &mut groups {
            ops.sort_by_key(|op| Reverse(specificity(op)));
        }
        Routes { groups }
    }

    /// Whether some operation has a route of its own, added through `handlers::route`.
    pub fn any_alone(&self) -> bool {
        self.groups.iter().any(|(_, method, ops)| {
            !matches!(method, Method::Extension(_))
                && matches!(ops.as_slice(), [op] if !reads_multipart(op))
        })
    }

    /// The operations alone on their route with a method axum names: each group's file adds
    /// their routes ([`alone_statement`]); the others are added by the router's module.
    pub fn alone(&self) -> impl Iterator<Item = &'a Operation> + '_ {
        self.groups
            .iter()
            .filter_map(|(_, method, ops)| match ops.as_slice() {
                [op] if !matches!(method, Method::Extension(_)) => Some(*op),
                _ => None,
            })
    }

    /// The statements adding each route to `router`, and the dispatch functions they use;
    /// with `by_group`, none for the operations alone on their route, which their group's
    /// file adds. `operations` is the path of an operation's module of functions.
    /// A method axum's `MethodFilter` has no name for (`QUERY`, `COPY`) is answered on its
    /// route by one function per route that reads the method itself, added as the route's
    /// fallback, and answers another method 405 with the route's `Allow`.
    /// With group features, a dispatch function and its route are compiled with any of
    /// its operations' groups, and each operation's arm with its own.
    pub fn emit(
        &self,
        api: &Api,
        by_group: bool,
        operations: &dyn Fn(&Operation) -> TokenStream,
    ) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut statements = Vec::new();
        let mut dispatchers = Vec::new();
        // Per route (in the order of their first extension method): each method and the
        // call answering it.
        let mut extensions: Vec<(&str, Vec<MethodCall>)> = Vec::new();
        for (route, method, ops) in &self.groups {
            let extension = matches!(method, Method::Extension(_));
            let call = if let [op] = ops.as_slice() {
                if !extension {
                    if !by_group {
                        statements.push(alone_statement(op, &operations(op)));
                    }
                    continue;
                }
                emit_call(op, &operations(op))
            } else {
                let name = format_ident!("dispatch_{}", dispatchers.len());
                let gate = gates::groups(api, ops.iter().filter_map(|op| op.group));
                let dispatch = emit_dispatch(api, &name, (route, method), ops, operations, &gate);
                dispatchers.push(dispatch);
                if !extension {
                    let filter = filter(method);
                    let statement =
                        quote!(router = router.route(#route, axum::routing::on(#filter, #name)););
                    statements.push(gates::statement(gate, statement));
                    continue;
                }
                quote!(#name(axum::extract::State(api), request).await)
            };
            let at = match extensions.iter().position(|(r, _)| r == route) {
                Some(at) => at,
                None => {
                    extensions.push((route, Vec::new()));
                    extensions.len() - 1
                }
            };
            let gate = gates::groups(api, ops.iter().filter_map(|op| op.group));
            extensions[at].1.push((method.as_str(), call, gate));
        }
        for (i, (route, methods)) in extensions.into_iter().enumerate() {
            let name = format_ident!("methods_{i}");
            let gate = gates::groups(
                api,
                self.groups
                    .iter()
                    .filter(|(r, method, _)| r == route && matches!(method, Method::Extension(_)))
                    .flat_map(|(_, _, ops)| ops.iter().filter_map(|op| op.group)),
            );
            let statement = quote!(router = router.route(#route, axum::routing::any(#name)););
            statements.push(gates::statement(gate.clone(), statement));
            dispatchers.push(self.emit_methods(&name, route, methods, &gate));
        }
        (statements, dispatchers)
    }

    /// The fallback of a route with extension methods: each method's call, and 405 with
    /// every method of the route in `Allow` for any other.
    fn emit_methods(
        &self,
        name: &proc_macro2::Ident,
        route: &str,
        methods: Vec<MethodCall<'_>>,
        gate: &TokenStream,
    ) -> TokenStream {
        let mut allow: Vec<&str> = Vec::new();
        for (_, method, _) in self.groups.iter().filter(|(r, _, _)| r == route) {
            allow.push(method.as_str());
            // axum answers HEAD with the GET handler.
            if *method == Method::Get {
                allow.push("HEAD");
            }
        }
        let allow = allow.join(", ");
        let arms = methods
            .into_iter()
            .map(|(method, call, gate)| quote!(#gate #method => #call,));
        let doc = format!(" `{route}`: the methods axum's router has no filter for.");
        quote! {
            #[doc = #doc]
            #gate
            async fn #name(
                axum::extract::State(api): axum::extract::State<std::sync::Arc<dyn Erased>>,
                request: axum::extract::Request,
            ) -> axum::response::Response {
                match request.method().as_str() {
                    #(#arms)*
                    _ => {
                        let mut response = api.rejection(Problem::method_not_allowed());
                        response.headers_mut().insert(
                            axum::http::header::ALLOW,
                            axum::http::HeaderValue::from_static(#allow),
                        );
                        response
                    }
                }
            }
        }
    }
}

/// The statement adding the route of an operation alone on it, whose functions are in the
/// module at `operations`.
pub(super) fn alone_statement(op: &Operation, operations: &TokenStream) -> TokenStream {
    let (route, filter) = (route_path(op), filter(&op.method));
    let endpoint = emit_endpoint(op, operations);
    if reads_multipart(op) {
        quote!(router = router.route(#route, axum::routing::on(#filter, #endpoint));)
    } else {
        quote!(router = handlers::route(router, #route, #filter, #endpoint);)
    }
}

/// axum's filter for a method it names.
fn filter(method: &Method) -> TokenStream {
    let filter = format_ident!("{}", method.as_str());
    quote!(axum::routing::MethodFilter::#filter)
}

/// The call answering `request` with `op`, in a function holding `api` and `request`.
fn emit_call(op: &Operation, operations: &TokenStream) -> TokenStream {
    if reads_multipart(op) {
        let handler = ident(&op.name);
        quote!(#operations::#handler(axum::extract::State(api), request).await)
    } else {
        let endpoint = emit_endpoint(op, operations);
        quote!(axum::handler::Handler::call(#endpoint, request, api).await)
    }
}

/// How much a request must have to fit `op` beyond its route: its constant query pairs, then
/// the literal text in its variable segments.
fn specificity(op: &Operation) -> (usize, usize) {
    let literal_text = op
        .path
        .segments
        .iter()
        .filter(|segment| segment.iter().any(|p| matches!(p, PathPart::Param(_))))
        .flatten()
        .map(|part| match part {
            PathPart::Literal(literal) => literal.len(),
            PathPart::Param(_) => 0,
        })
        .sum();
    (op.query_constants.len(), literal_text)
}

/// The literal text of a segment around its variables: `{name}.{ext}` → `["", ".", ""]`.
pub(super) fn segment_literals(segment: &[PathPart]) -> Vec<String> {
    let mut literals = vec![String::new()];
    for part in segment {
        match part {
            PathPart::Literal(literal) => {
                if let Some(last) = literals.last_mut() {
                    last.push_str(literal);
                }
            }
            PathPart::Param(_) => literals.push(String::new()),
        }
    }
    literals
}

fn emit_dispatch(
    api: &Api,
    name: &proc_macro2::Ident,
    (route, method): (&str, &Method),
    ops: &[&Operation],
    operations: &dyn Fn(&Operation) -> TokenStream,
    gate: &TokenStream,
) -> TokenStream {
    let candidates = ops.iter().map(|op| {
        let query = op
            .query_constants
            .iter()
            .map(|(name, value)| quote!((#name, #value)));
        let segments = op
            .path
            .segments
            .iter()
            .enumerate()
            .filter_map(|(i, segment)| {
                let literals = segment_literals(segment);
                // A segment that is one variable alone fits any text.
                (literals.len() > 1 && literals.iter().any(|l| !l.is_empty())).then(|| {
                    let key = format!("s{i}");
                    quote!((#key, &[#(#literals),*]))
                })
            });
        quote!(support::Candidate { query: &[#(#query),*], segments: &[#(#segments),*] })
    });
    let arms = ops.iter().enumerate().map(|(i, op)| {
        let call = emit_call(op, &operations(op));
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        let gate = gates::operation(api, op);
        quote!(#gate Some(#i) => #call,)
    });
    let names: Vec<String> = ops.iter().map(|op| format!("`{}`", op.name)).collect();
    let doc = format!(
        " `{} {route}`: {}, told apart by their constant query and the literal text of their segments.",
        method.as_str(),
        names.join(", ")
    );
    quote! {
        #[doc = #doc]
        #gate
        async fn #name(
            axum::extract::State(api): axum::extract::State<std::sync::Arc<dyn Erased>>,
            request: axum::extract::Request,
        ) -> axum::response::Response {
            let (request, picked) = support::pick(request, &[#(#candidates),*]).await;
            match picked {
                #(#arms)*
                _ => api.rejection(Problem::not_found()),
            }
        }
    }
}
