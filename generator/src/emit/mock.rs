//! The crate's `mock` module (feature `mock`): `Mock`, an implementation of the server trait
//! answering every operation with a response the spec declares, its body the spec's example
//! (or one built from the schema, [`crate::model::Response::example`]), behind the generated
//! router and its checks; and `serve`, which runs it on loopback for a test in one line.

use proc_macro2::TokenStream;
use quote::quote;

use super::server::{has_inputs, served};
use super::{ident, Api};
use crate::model::{Media, Operation, Payload, Response, Status};

/// `src/mock.rs`.
pub fn emit_mock(api: &Api) -> TokenStream {
    let trait_name = ident(&api.trait_name);
    let served = served(&api.operations);
    // Whether any answer reads an example, so the function doing it is there only then.
    let mut uses_examples = false;
    let methods: Vec<TokenStream> = served
        .iter()
        .map(|op| {
            let gate = super::gates::operation(api, op);
            let (method, reads) = emit_method(op);
            uses_examples |= reads;
            quote!(#gate #method)
        })
        .collect();
    // A build of some groups' features may name none of the requests or responses, nor
    // answer from an example.
    let narrowed = super::gates::allow_when_narrowed(api, quote!(unused_imports));
    let unused_example = super::gates::allow_when_narrowed(api, quote!(dead_code));
    let trait_doc = format!(" [`{}`] answered from the spec's examples.", api.trait_name);
    let requests = served.iter().copied().any(has_inputs).then(|| {
        quote!(
            #narrowed
            use crate::requests::*;
        )
    });
    let arc = (!served.is_empty()).then(|| {
        quote!(
            #narrowed
            use std::sync::Arc;
        )
    });
    let example = uses_examples.then(|| {
        quote! {
            /// The example's JSON read into the type the answer holds.
            #unused_example
            fn example<T: serde::de::DeserializeOwned>(json: &str) -> Result<T, Problem> {
                serde_json::from_str(json).map_err(|e| {
                    Problem::new(500, format!("the mock's example does not read into its type: {e}"))
                })
            }
        }
    });
    quote! {
        //! A stand-in for the API in tests: [`Mock`] implements the server trait, answering
        //! each operation with the first success response it declares, whose body is the
        //! spec's example (or, where the spec gives none, a value built from the schema:
        //! every required property, the first value of an enum). Requests go through the
        //! generated router and its checks, as with a real implementation.
        //!
        //! ```ignore
        //! let url = mock::serve().await?;
        //! let client = client::Client::new(&url)?;
        //! ```
        #requests
        #narrowed
        use crate::responses::*;
        use crate::server::{Problem, #trait_name};
        #arc

        #[doc = #trait_doc]
        ///
        /// Without an example, a text or a file is empty and a stream (events, sequential
        /// JSON) ends at once. A header the answer requires is the spec's example, or a value
        /// built from its schema. An operation whose answer cannot be built from the spec (a
        /// body or a required header of a type with no value to build) answers 501 Not
        /// Implemented, saying so.
        #[derive(Debug, Clone, Copy, Default)]
        pub struct Mock;

        impl #trait_name for Mock {
            #(#methods)*
        }

        /// The generated router over [`Mock`].
        pub fn router() -> axum::Router {
            crate::server::router(Mock)
        }

        /// Serves [`Mock`] on 127.0.0.1 at a port the system picks, on a task of the current
        /// Tokio runtime (it stops with the runtime); the base URL to give the client.
        pub async fn serve() -> std::io::Result<String> {
            crate::server_support::serve_locally(router()).await
        }

        #example
    }
}

/// The method answering `op`: its signature is the trait's, written as an `async fn`; and
/// whether its answer reads an example.
fn emit_method(op: &Operation) -> (TokenStream, bool) {
    let name = ident(&op.name);
    let auth = (!op.security.is_empty()).then(|| quote!(_auth: crate::server::Auth,));
    let request = has_inputs(op).then(|| {
        let ty = ident(&op.request_type);
        quote!(_request: #ty,)
    });
    let response = ident(&op.response_type);
    let (answer, reads) = match chosen(op) {
        Some(declared) => answer(&response, declared, &op.name),
        None => (not_built(&op.name, "it declares no response"), false),
    };
    let method = quote! {
        async fn #name(self: Arc<Self>, #auth #request) -> Result<#response, Problem> {
            #answer
        }
    };
    (method, reads)
}

/// The response the mock answers with: the lowest success status, else a `2XX` range,
/// else the first fixed status, else `default`.
fn chosen(op: &Operation) -> Option<&Response> {
    let success = |r: &&Response| matches!(r.status, Status::Code(200..=299));
    op.responses
        .iter()
        .filter(success)
        .min_by_key(|r| r.status)
        .or_else(|| op.responses.iter().find(|r| r.status == Status::Range(2)))
        .or_else(|| {
            op.responses
                .iter()
                .find(|r| matches!(r.status, Status::Code(_)))
        })
        .or_else(|| op.responses.first())
}

/// `Ok(Response::Variant ..)` with the response's body, status and required headers, or a
/// 501 saying what could not be built; and whether it reads an example.
fn answer(response_type: &syn::Ident, response: &Response, op: &str) -> (TokenStream, bool) {
    let variant = ident(&response.variant);
    if let Some(header) = response
        .headers
        .iter()
        .find(|h| h.required && h.example.is_none())
    {
        let why = format!(
            "its answer requires the header `{}`, of a type with no value to build",
            header.api_name
        );
        return (not_built(op, &why), false);
    }
    let body = match &response.body {
        None => None,
        Some(payload) => match body(response, payload) {
            Some(body) => Some(body),
            None => {
                let why = "the spec gives no example of its answer's body";
                return (not_built(op, why), false);
            }
        },
    };
    let reads = response.example.is_some() || response.headers.iter().any(|h| h.example.is_some());
    if response.is_body_only() {
        return (quote!(Ok(#response_type::#variant(#body))), reads);
    }
    if matches!(response.status, Status::Code(_)) && response.headers.is_empty() {
        return (quote!(Ok(#response_type::#variant)), reads);
    }
    let status = match response.status {
        Status::Code(_) => None,
        Status::Range(digit) => Some(digit * 100),
        Status::Default => Some(200),
    }
    .map(|code| {
        let code = proc_macro2::Literal::u16_unsuffixed(code);
        quote!(status: #code,)
    });
    let body = body.map(|body| quote!(body: #body,));
    let headers = response.headers.iter().map(|h| {
        let field = ident(&h.name);
        match &h.example {
            Some(json) => quote!(#field: example(#json)?,),
            None => quote!(#field: None,),
        }
    });
    let answer = quote!(Ok(#response_type::#variant { #status #body #(#headers)* }));
    (answer, reads)
}

/// The body's value: the example read into its type (wrapped in the payload's enum where
/// it has several media types); without one, an empty text or file, or a stream that ends
/// at once; `None` where nothing can be built.
fn body(response: &Response, payload: &Payload) -> Option<TokenStream> {
    let (index, value) = match &response.example {
        Some((index, json)) => (*index, quote!(example(#json)?)),
        None => payload
            .contents
            .iter()
            .enumerate()
            .find_map(|(index, content)| {
                let empty = match content.media {
                    Media::Text => quote!(String::new()),
                    Media::Binary => quote!(crate::binary::Binary::from(Vec::new())),
                    Media::EventStream(_) => quote!(crate::sse::Events::from(Vec::new())),
                    Media::Items(..) => quote!(crate::jsonl::Items::from(Vec::new())),
                    _ => return None,
                };
                Some((index, empty))
            })?,
    };
    Some(match &payload.enum_name {
        None => value,
        Some(name) => {
            let name = ident(name);
            let variant = ident(&payload.contents.get(index)?.variant);
            quote!(crate::types::#name::#variant(#value))
        }
    })
}

/// An answer saying why the mock cannot answer `op`.
fn not_built(op: &str, why: &str) -> TokenStream {
    let detail = format!("the mock cannot answer `{op}`: {why}");
    quote!(Err(Problem::new(501, #detail)))
}
