//! The server's routes: one `route` call per request shape and method. Operations that
//! share one (a constant query, `/responses/{id}?beta=true` beside `/responses/{id}`, or the
//! literal text of a segment, `/files/{id}.json` beside `/files/{id}`) get a dispatch
//! function that picks the operation the request fits, the most specific first.

use std::cmp::Reverse;
use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::ident;
use super::server::{emit_endpoint, reads_multipart, route_path};
use crate::model::{Method, Operation, PathPart};

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
            let index = *at.entry((route.clone(), op.method)).or_insert_with(|| {
                groups.push((route, op.method, Vec::new()));
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
        self.groups
            .iter()
            .any(|(_, _, ops)| matches!(ops.as_slice(), [op] if !reads_multipart(op)))
    }

    /// The statements adding each route to `router`, and the dispatch functions they use.
    pub fn emit(&self) -> (Vec<TokenStream>, Vec<TokenStream>) {
        let mut statements = Vec::new();
        let mut dispatchers = Vec::new();
        for (route, method, ops) in &self.groups {
            let filter = format_ident!("{}", method.as_str().to_ascii_uppercase());
            let filter = quote!(axum::routing::MethodFilter::#filter);
            if let [op] = ops.as_slice() {
                let endpoint = emit_endpoint(op);
                statements.push(if reads_multipart(op) {
                    quote!(router = router.route(#route, axum::routing::on(#filter, #endpoint));)
                } else {
                    quote!(router = handlers::route(router, #route, #filter, #endpoint);)
                });
                continue;
            }
            let name = format_ident!("dispatch_{}", dispatchers.len());
            statements
                .push(quote!(router = router.route(#route, axum::routing::on(#filter, #name));));
            dispatchers.push(emit_dispatch(&name, route, *method, ops));
        }
        (statements, dispatchers)
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
    name: &proc_macro2::Ident,
    route: &str,
    method: Method,
    ops: &[&Operation],
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
        let call = if reads_multipart(op) {
            let handler = ident(&op.name);
            quote!(operations::#handler(axum::extract::State(api), request).await)
        } else {
            let endpoint = emit_endpoint(op);
            quote!(axum::handler::Handler::call(#endpoint, request, api).await)
        };
        let i = proc_macro2::Literal::usize_unsuffixed(i);
        quote!(Some(#i) => #call,)
    });
    let names: Vec<String> = ops.iter().map(|op| format!("`{}`", op.name)).collect();
    let doc = format!(
        " `{} {route}`: {}, told apart by their constant query and the literal text of their segments.",
        method.as_str(),
        names.join(", ")
    );
    quote! {
        #[doc = #doc]
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
