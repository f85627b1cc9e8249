//! The `server` module: a trait with one method per operation, an axum router over it, and
//! the encoding of each response enum.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::validate::param_check;
use super::{doc_attrs, ident, media_tokens, type_tokens};
use crate::model::{
    Api, Location, Media, Operation, ParamEncoding, PathPart, Response, Status, TypeGraph,
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

pub fn emit_server(api: &Api) -> TokenStream {
    let trait_name = ident(&api.trait_name);
    let trait_doc = format!(
        " The operations of {}: implement this and serve [`router`].",
        api.title
    );
    let methods = api.operations.iter().map(|op| emit_trait_method(api, op));
    let handlers = api
        .operations
        .iter()
        .map(|op| emit_handler(&api.types, &trait_name, op));
    let encoders = api.operations.iter().map(emit_encoder);

    // Operations on the same route (path shape) share one `route` call.
    let mut routes: Vec<(String, Vec<TokenStream>)> = Vec::new();
    for op in &api.operations {
        let route = route_path(op);
        let method = format_ident!("{}", op.method.as_str().to_ascii_lowercase());
        let handler = ident(&op.name);
        let call = quote!(#method(handlers::#handler::<A>));
        match routes.iter_mut().find(|(r, _)| *r == route) {
            Some((_, calls)) => calls.push(call),
            None => routes.push((route, vec![call])),
        }
    }
    let routes = routes.iter().map(|(route, calls)| {
        let (first, rest) = calls
            .split_first()
            .map_or((None, &[][..]), |(f, r)| (Some(f), r));
        quote!(.route(#route, axum::routing::#first #(.#rest)*))
    });
    let module_doc = format!(
        " The server: implement [`{}`], then serve [`router`] with axum.",
        api.trait_name
    );
    quote! {
        #![doc = #module_doc]
        // The runtime is the same in every crate; an API without, say, array parameters
        // leaves some of its helpers unused.
        #[allow(dead_code)]
        mod support;

        pub use support::Problem;
        use support::Reply;

        #[doc = #trait_doc]
        ///
        /// Each method gets the operation's inputs after the router has extracted and checked
        /// them; a request with a missing or malformed input is answered 400 before any method
        /// is called. Return a [`Problem`] for an answer the operation does not declare.
        pub trait #trait_name: Send + Sync + 'static {
            #(#methods)*
        }

        /// An axum router serving `api`. Unknown paths are answered 404 and known paths with
        /// the wrong method 405, both as problem details. Bodies larger than axum's default
        /// limit (2 MB) are refused with 413; add an `axum::extract::DefaultBodyLimit` layer
        /// to change that.
        pub fn router<A: #trait_name>(api: A) -> axum::Router {
            axum::Router::new()
                #(#routes)*
                .fallback(support::not_found)
                .method_not_allowed_fallback(support::method_not_allowed)
                .with_state(std::sync::Arc::new(api))
        }

        /// One handler per operation: extract, check, call the trait.
        mod handlers {
            use super::support::Incoming;
            use super::{Problem, #trait_name};
            use axum::extract::State;
            use std::sync::Arc;

            #(#handlers)*
        }

        #(#encoders)*
    }
}

/// The route as axum (matchit) writes it: literals percent-encoded like a client sends them,
/// with `{` and `}` doubled; each variable segment named by its position (`{s1}`), so that
/// operations on the same shape share a route whatever their variables are called.
fn route_path(op: &Operation) -> String {
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

fn emit_trait_method(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let mut docs = doc_attrs(&op.docs);
    let call = format!(
        " `{} {}` (`{}`)",
        op.method.as_str(),
        op.path.raw,
        op.api_name
    );
    docs.extend(quote!(#[doc = ""] #[doc = #call]));
    let mut args: Vec<TokenStream> = op
        .params
        .iter()
        .map(|p| {
            let arg = ident(&p.name);
            let ty = type_tokens(&api.types, &p.ty);
            let ty = if p.required { ty } else { quote!(Option<#ty>) };
            quote!(#arg: #ty)
        })
        .collect();
    if let Some(body) = &op.body {
        let ty = media_tokens(&api.types, &body.media);
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        args.push(quote!(body: #ty));
    }
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let response = response_type(op);
    quote! {
        #docs
        #too_many
        fn #name(&self, #(#args),*) -> impl std::future::Future<Output = Result<#response, Problem>> + Send;
    }
}

fn emit_handler(graph: &TypeGraph, trait_name: &syn::Ident, op: &Operation) -> TokenStream {
    let name = ident(&op.name);
    let mut values: Vec<TokenStream> = op
        .params
        .iter()
        .enumerate()
        .map(|(index, p)| {
            let wire = &p.api_name;
            let lookup = match (p.location, p.encoding) {
                (Location::Path, _) => {
                    let (segment, prefix, suffix) = path_position(op, index);
                    quote!(input.path(#segment, #wire, #prefix, #suffix))
                }
                (Location::Query, ParamEncoding::Text) => quote!(input.query(#wire)),
                (Location::Query, ParamEncoding::List { explode }) => {
                    quote!(input.query_list(#wire, #explode))
                }
                (Location::Query, ParamEncoding::Json) => quote!(input.query_json(#wire)),
                (Location::Header, ParamEncoding::Text) => quote!(input.header(#wire)),
                (Location::Header, ParamEncoding::List { .. }) => quote!(input.header_list(#wire)),
                (Location::Header, ParamEncoding::Json) => quote!(input.header_json(#wire)),
                (Location::Cookie, ParamEncoding::Json) => quote!(input.cookie_json(#wire)),
                (Location::Cookie, _) => quote!(input.cookie(#wire)),
            };
            let value = if p.required {
                quote!(#lookup.required()?)
            } else {
                quote!(#lookup.optional()?)
            };
            match param_check(graph, p) {
                Some(check) => {
                    let location = p.location.as_str();
                    let ty = type_tokens(graph, &p.ty);
                    let ty = if p.required { ty } else { quote!(Option<#ty>) };
                    quote!(super::support::checked::<#ty>(#value, #location, #wire, #check)?)
                }
                None => value,
            }
        })
        .collect();
    if let Some(body) = &op.body {
        let lookup = match body.media {
            Media::Json(_) => quote!(input.json()),
            Media::Text => quote!(input.text()),
            Media::Binary => quote!(input.bytes()),
        };
        values.push(if body.required {
            quote!(#lookup.required()?)
        } else {
            quote!(#lookup.optional()?)
        });
    }
    let response = response_type(op);
    // An operation without inputs still reads the request (within the body limit).
    let input = if values.is_empty() {
        quote!(_input)
    } else {
        quote!(input)
    };
    quote! {
        pub(super) async fn #name<A: #trait_name>(
            State(api): State<Arc<A>>,
            #input: Incoming,
        ) -> Result<#response, Problem> {
            api.#name(#(#values),*).await
        }
    }
}

/// The router's name for the segment holding path parameter `index`, and the literal text
/// before and after the variable in that segment.
fn path_position(op: &Operation, index: usize) -> (String, String, String) {
    for (i, segment) in op.path.segments.iter().enumerate() {
        if let Some(at) = segment.iter().position(|p| *p == PathPart::Param(index)) {
            let literal = |parts: &[PathPart]| -> String {
                parts
                    .iter()
                    .filter_map(|p| match p {
                        PathPart::Literal(l) => Some(l.as_str()),
                        PathPart::Param(_) => None,
                    })
                    .collect()
            };
            return (
                format!("s{i}"),
                literal(&segment[..at]),
                literal(&segment[at + 1..]),
            );
        }
    }
    (String::new(), String::new(), String::new())
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
    let body_out = |body: TokenStream| match (&response.body, &response.content_type) {
        (Some(Media::Json(_)), Some(ct)) => quote!(.json(#ct, &#body)),
        (Some(Media::Text), Some(ct)) => quote!(.raw(#ct, #body.into_bytes())),
        (Some(Media::Binary), Some(ct)) => quote!(.raw(#ct, #body)),
        _ => quote!(.empty()),
    };
    let status = match response.status {
        Status::Code(code) => {
            let code = proc_macro2::Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        _ => quote!(status),
    };
    if response.is_body_only() {
        let out = body_out(quote!(body));
        return quote!(Self::#variant(body) => Reply::new(#status)#out,);
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
    let out = body_out(quote!(body));
    quote! {
        Self::#variant { #status_field #body_field #(#header_fields,)* } => Reply::new(#status)#(#header_calls)*#out,
    }
}
