//! The trait a server (or a webhook receiver) implements, written as a person writes one:
//! a method per operation with its docs, taking `self: Arc<Self>` and the operation's request
//! struct and returning `impl Future<Output = Result<Response, Problem>> + Send`. The
//! receiver is an `Arc`, not `&self`: a method whose future borrows `self` is an associated
//! type generic over that lifetime, and rustc checks a trait of such methods in time
//! quadratic in their number (GitHub's 1,222 took 2.4 s, Microsoft Graph's 21,994 would take
//! minutes); without the lifetime the check is linear. The router's module
//! holds the trait with every method required; `defaults.rs` beside it holds the same trait
//! with a body answering 501 in every method, used with the crate's `server-defaults`
//! feature.

use std::collections::BTreeMap;

use proc_macro2::TokenStream;
use quote::quote;

use super::server::{has_inputs, served, Surface};
use super::{ident, operation_docs};
use crate::model::{Api, Operation};

/// The trait of the operations `served`, each method required, or (`provided`) with a
/// default answering 501 Not Implemented. `attrs` go between its docs and itself.
pub fn emit_trait(
    api: &Api,
    served: &[&Operation],
    surface: &Surface<'_>,
    provided: bool,
    attrs: TokenStream,
) -> TokenStream {
    let trait_name = ident(surface.trait_name);
    let first = format!(" {}: implement this and serve [`router`].", surface.what);
    // The operations each one answers for, found in one pass (a search of all operations
    // for each made Microsoft Graph's 22,000 take 480 million comparisons).
    let mut answering: BTreeMap<&str, Vec<&Operation>> = BTreeMap::new();
    for other in &api.operations {
        if let Some(by) = &other.answered_by {
            answering.entry(by).or_default().push(other);
        }
    }
    let methods = served.iter().map(|op| {
        let others = answering
            .get(op.name.as_str())
            .map_or(&[][..], Vec::as_slice);
        let gate = super::gates::operation(api, op);
        let method = emit_method(op, others, provided);
        quote!(#gate #method)
    });
    // With no method, the two forms are one: nothing names the feature.
    let features = match (served.is_empty(), provided) {
        (true, _) => quote!(),
        (false, false) => quote! {
            ///
            /// Every method must be implemented, so the compiler lists what is missing. To serve
            /// part of the API, enable the crate's `server-defaults` feature: every method then has
            /// a default answering 501 Not Implemented (as problem details), and an implementation
            /// overrides only the operations it serves. Cargo unifies features across a build, so
            /// if any crate in it enables `server-defaults`, the methods are provided for all.
        },
        (false, true) => quote! {
            ///
            /// The crate's `server-defaults` feature is on: every method has a default answering
            /// 501 Not Implemented (as problem details), so an implementation overrides only the
            /// operations it serves. Without the feature every method must be implemented, and
            /// the compiler lists what is missing.
        },
    };
    let groups = (served.iter().any(|op| op.group.is_some()) && super::gates::has_features(api))
        .then(|| {
            quote! {
                ///
                /// Each group of operations is a feature of the crate: the trait has the methods of
                /// the groups whose features are on (the default features have every group, through
                /// `all-operations`), and the router serves only those.
            }
        });
    let writing = (!served.is_empty()).then(|| {
        quote! {
            ///
            /// Write each method as an `async fn` taking `self: Arc<Self>`: the trait declares it
            /// as returning `impl Future<..> + Send`, which an `async fn` satisfies when its future
            /// is `Send` (the router runs it on any of the runtime's threads). The method holds
            /// its own handle to the implementation, so its future borrows nothing and can move
            /// to a task of its own (`tokio::spawn`); `self.field` reads as it would through
            /// `&self`.
        }
    });
    quote! {
        #[doc = #first]
        ///
        /// Each method gets the operation's inputs after the router has extracted and checked
        /// them; a request with a missing or malformed input is answered 400 before any method
        /// is called. Return a [`Problem`] for an answer the operation does not declare.
        #writing
        #features
        #groups
        #attrs
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*

            /// Writes the answer to a request the router rejected (a missing or malformed
            /// input, an unknown path, a wrong method, a body too large) or to a [`Problem`]
            /// a method returned. The default writes RFC 9457 problem details; override it
            /// to answer in the error shape your API declares.
            fn rejection(&self, problem: Problem) -> axum::response::Response {
                axum::response::IntoResponse::into_response(problem)
            }
        }
    }
}

/// `defaults.rs` beside the router's module: its trait with every method provided. It sees
/// what the router's module imports (`use super::*`), so both read the same names.
pub fn emit_defaults(api: &Api, ops: &[Operation], surface: &Surface<'_>) -> TokenStream {
    let doc = format!(
        " [`{}`] with the crate's `server-defaults` feature: every method answers",
        surface.trait_name
    );
    let the_trait = emit_trait(api, &served(ops), surface, true, quote!());
    // A build of some groups' features may have no method to answer.
    let narrowed = match ops.iter().any(|op| op.group.is_some()) {
        true => super::gates::allow_when_narrowed(api, quote!(unused_imports)),
        false => TokenStream::new(),
    };
    quote! {
        #![doc = #doc]
        //! 501 Not Implemented unless the implementation overrides it.
        use super::*;
        #narrowed
        use std::future::ready;

        #the_trait
    }
}

/// The trait's method for `op`: its docs (and those of the operations it answers for,
/// `others`: the same request on the wire), its inputs, and `Result<Response, Problem>` to
/// come.
fn emit_method(op: &Operation, others: &[&Operation], provided: bool) -> TokenStream {
    let name = ident(&op.name);
    let mut docs = operation_docs(op);
    for other in others {
        let line = format!(
            " Also answers `{} {}` (`{}`, the client's `{}`): the same request on the wire, \
             so the server never calls a method of its own for it.",
            other.method.as_str(),
            other.path.raw,
            other.api_name,
            other.name
        );
        docs.extend(quote!(#[doc = ""] #[doc = #line]));
    }
    let auth = (!op.security.is_empty()).then(|| quote!(auth));
    let request = has_inputs(op).then(|| quote!(request));
    let args: Vec<&TokenStream> = auth.iter().chain(&request).collect();
    let types = auth
        .as_ref()
        .map(|_| quote!(Auth))
        .into_iter()
        .chain(request.as_ref().map(|_| {
            let ty = ident(&op.request_type);
            quote!(#ty)
        }));
    let response = ident(&op.response_type);
    let signature = quote! {
        fn #name(self: Arc<Self> #(, #args: #types)*) -> impl Future<Output = Result<#response, Problem>> + Send
    };
    if !provided {
        return quote!(#docs #signature;);
    }
    let unused = match args.as_slice() {
        [] => quote!(),
        [one] => quote!(let _ = #one;),
        many => quote!(let _ = (#(#many),*);),
    };
    let operation = op.name.as_str();
    quote! {
        #docs
        #signature {
            #unused
            ready(Err(support::not_implemented(#operation)))
        }
    }
}
