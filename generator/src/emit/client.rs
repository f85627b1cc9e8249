//! The `client` module: one async method per operation on the runtime's `Client`.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::{
    content_types, doc_attrs, ident, operation_docs, payload_tokens, pick_patterns, type_tokens,
};
use crate::model::{
    Api, Body, Content, Location, Media, Operation, Param, ParamEncoding, PathPart, Payload,
    Response, SchemeKind, SecurityScheme, Status, TypeGraph, TypeRef,
};

pub fn emit_client(api: &Api) -> TokenStream {
    let methods = api.operations.iter().map(|op| emit_method(api, op));
    let credentials = api.security_schemes.iter().map(emit_credential_setter);
    let header_methods = api.client_headers.iter().map(|h| {
        let setter = ident(&h.setter);
        let clearer = ident(&h.clearer);
        let wire = &h.api_name;
        let set_doc = format!(" Sets `{wire}`, sent with every operation that takes it unless a call passes its own value.");
        let clear_doc = format!(" Stops sending a stored `{wire}`.");
        quote! {
            #[doc = #set_doc]
            pub fn #setter(&mut self, value: &str) {
                self.set_client_header(#wire, Some(value.to_owned()));
            }

            #[doc = #clear_doc]
            pub fn #clearer(&mut self) {
                self.set_client_header(#wire, None);
            }
        }
    });
    quote! {
        //! The client: [`Client`] with one method per operation.
        // The runtime is the same in every crate; an API without, say, array parameters
        // leaves some of its helpers unused.
        #[allow(dead_code)]
        pub(crate) mod support;

        pub use support::{Client, Error, ErrorResponse};

        impl Client {
            #(#credentials)*
            #(#header_methods)*
            #(#methods)*
        }
    }
}

/// `with_<scheme>`: sets the credential for one security scheme, once for every call.
fn emit_credential_setter(scheme: &SecurityScheme) -> TokenStream {
    let method = format_ident!("with_{}", scheme.name);
    let key = &scheme.api_name;
    let docs = doc_attrs(&scheme.docs);
    let (summary, args, credential) = match &scheme.kind {
        SchemeKind::ApiKey { location, param } => {
            let variant = match location {
                Location::Query => quote!(Query),
                Location::Cookie => quote!(Cookie),
                _ => quote!(Header),
            };
            (
                format!(
                    " Sends `{key}`: an API key in {} `{param}`.",
                    location.as_str()
                ),
                quote!(key: impl Into<String>),
                quote!(support::Credential::#variant(#param, key.into())),
            )
        }
        SchemeKind::Bearer => (
            format!(" Sends `{key}`: `Authorization: Bearer <token>`."),
            quote!(token: impl Into<String>),
            quote!(support::Credential::Bearer(token.into())),
        ),
        SchemeKind::Basic => (
            format!(" Sends `{key}`: HTTP basic authentication."),
            quote!(username: impl Into<String>, password: impl Into<String>),
            quote!(support::Credential::Basic(username.into(), password.into())),
        ),
    };
    quote! {
        #[doc = #summary]
        #[doc = ""]
        #[doc = " Operations that accept it get it from here; its value never shows in `Debug`."]
        #docs
        pub fn #method(mut self, #args) -> Self {
            self.set_credential(#key, #credential);
            self
        }
    }
}

/// How an argument is passed to a client method.
#[derive(Clone, Copy, PartialEq)]
enum Passing {
    /// By value: a `Copy` scalar, borrowed at the call site.
    Value,
    /// As `&str`.
    Str,
    /// As a reference to the type.
    Ref,
}

/// An argument's type, and how it is passed.
fn arg_type(graph: &TypeGraph, param: &Param) -> (TokenStream, Passing) {
    let ty = &param.ty;
    match param.encoding {
        ParamEncoding::Text => match graph.resolve_alias(ty) {
            TypeRef::String => (quote!(&str), Passing::Str),
            TypeRef::Named(_) => {
                let ty = type_tokens(graph, ty);
                (quote!(&#ty), Passing::Ref)
            }
            _ => (type_tokens(graph, ty), Passing::Value),
        },
        ParamEncoding::List { .. } => match graph.resolve_alias(ty) {
            TypeRef::List(inner) => {
                let inner = type_tokens(graph, inner);
                (quote!(&[#inner]), Passing::Ref)
            }
            _ => {
                let ty = type_tokens(graph, ty);
                (quote!(&#ty), Passing::Ref)
            }
        },
        ParamEncoding::Json | ParamEncoding::Object { .. } => {
            let ty = type_tokens(graph, ty);
            (quote!(&#ty), Passing::Ref)
        }
    }
}

/// The `Option<&T>` expression the request helpers take for an argument.
fn arg_value(name: &syn::Ident, required: bool, passing: Passing) -> TokenStream {
    match (required, passing == Passing::Value) {
        (true, true) => quote!(Some(&#name)),
        (true, false) => quote!(Some(#name)),
        (false, true) => quote!(#name.as_ref()),
        (false, false) => quote!(#name),
    }
}

/// A body argument: a reference to its type (`&str` and `&[u8]` for text and bytes).
fn body_type(graph: &TypeGraph, payload: &Payload) -> TokenStream {
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) if only.media == Media::Text => quote!(&str),
        (None, [only]) if only.media == Media::Binary => quote!(&[u8]),
        _ => {
            let ty = payload_tokens(graph, payload);
            quote!(&#ty)
        }
    }
}

/// The call that sets a request body of one media from `value` (an `Option<&T>`).
fn encode_content(content: &Content, value: TokenStream) -> TokenStream {
    let content_type = &content.content_type;
    match content.media {
        Media::Json(_) => quote!(request.json(#content_type, #value)),
        Media::Form(_) => quote!(request.form(#content_type, #value)),
        Media::Text | Media::Binary => quote!(request.raw(#content_type, #value)),
        Media::Multipart(_) => quote!(request.multipart(#value)),
    }
}

/// Sets the body argument, picking the media from the enum variant when there are several.
fn encode_body(body: &Body) -> TokenStream {
    let payload = &body.payload;
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => {
            let value = arg_value(&ident("body"), body.required, Passing::Ref);
            let call = encode_content(only, value);
            quote!(#call;)
        }
        (name, contents) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            let arms = contents.iter().map(|c| {
                let variant = ident(&c.variant);
                let call = encode_content(c, quote!(Some(value)));
                quote!(crate::types::#name::#variant(value) => #call,)
            });
            let matched = quote!(match body { #(#arms)* });
            if body.required {
                quote!(#matched)
            } else {
                quote!(if let Some(body) = body { #matched })
            }
        }
    }
}

/// Decodes a reply's body of one media.
fn decode_content(content: &Content) -> TokenStream {
    match content.media {
        Media::Json(_) => quote!(reply.json()?),
        Media::Form(_) => quote!(reply.form()?),
        Media::Text => quote!(reply.text()?),
        // Multipart replies are rare; their bytes are kept whole.
        Media::Binary | Media::Multipart(_) => quote!(reply.bytes()),
    }
}

/// Decodes a reply's body, choosing the media by `Content-Type` when there are several.
fn decode_payload(payload: &Payload) -> TokenStream {
    match (&payload.enum_name, payload.contents.as_slice()) {
        (None, [only]) => decode_content(only),
        (name, contents) => {
            let name = ident(name.as_deref().unwrap_or("Body"));
            let declared = content_types(payload);
            let arms = contents
                .iter()
                .zip(pick_patterns(payload))
                .map(|(c, pattern)| {
                    let variant = ident(&c.variant);
                    let decode = decode_content(c);
                    quote!(#pattern => crate::types::#name::#variant(#decode),)
                });
            quote!(match reply.pick(#declared) { #(#arms)* })
        }
    }
}

fn emit_method(api: &Api, op: &Operation) -> TokenStream {
    let graph = &api.types;
    let name = ident(&op.name);
    let docs = operation_docs(op);
    let mut args = Vec::new();
    let mut setup = Vec::new();
    let mut passing_of = Vec::new();
    for param in &op.params {
        let arg = ident(&param.name);
        if param.client_level {
            // Stored on the client; the argument overrides the stored value for one call.
            let wire = &param.api_name;
            args.push(quote!(#arg: Option<&str>));
            passing_of.push(Passing::Str);
            setup.push(quote!(request.header(#wire, #arg.or(self.client_header(#wire)));));
            continue;
        }
        let (ty, passing) = arg_type(graph, param);
        passing_of.push(passing);
        let ty = if param.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        args.push(quote!(#arg: #ty));
        let wire = &param.api_name;
        let value = arg_value(&arg, param.required, passing);
        setup.push(match (param.location, param.encoding) {
            (Location::Query, ParamEncoding::Text) => quote!(request.query(#wire, #value);),
            (Location::Query, ParamEncoding::List { explode, delimiter }) => {
                quote!(request.query_list(#wire, #value, #explode, #delimiter);)
            }
            (_, ParamEncoding::Object { explode, deep }) => {
                quote!(request.query_object(#wire, #value, #explode, #deep);)
            }
            (Location::Query, ParamEncoding::Json) => quote!(request.query_json(#wire, #value);),
            (Location::Header, ParamEncoding::Text) => quote!(request.header(#wire, #value);),
            (Location::Header, ParamEncoding::List { .. }) => {
                quote!(request.header_list(#wire, #value);)
            }
            (Location::Header, ParamEncoding::Json) => quote!(request.header_json(#wire, #value);),
            (Location::Cookie, ParamEncoding::Json) => quote!(request.cookie_json(#wire, #value);),
            (Location::Cookie, _) => quote!(request.cookie(#wire, #value);),
            // Path parameters are part of the URL's segments.
            (Location::Path, _) => continue,
        });
    }
    if let Some(body) = &op.body {
        let ty = body_type(graph, &body.payload);
        let ty = if body.required {
            ty
        } else {
            quote!(Option<#ty>)
        };
        args.push(quote!(body: #ty));
        setup.push(encode_body(body));
    }
    if !op.security.is_empty() {
        let sets = op.security.iter().map(|set| {
            let names = set.iter().map(|i| graph_scheme_name(api, *i));
            quote!(&[#(#names),*])
        });
        setup.push(quote!(request.security(&[#(#sets),*]);));
    }
    let segments = op
        .path
        .segments
        .iter()
        .map(|segment| path_segment(op, segment, &passing_of));
    let method = ident(op.method.as_str());
    let response_type = ident(&op.response_type);
    let arms = op.responses.iter().map(|r| decode_arm(&response_type, r));
    let fallback = (!op.responses.iter().any(|r| r.status == Status::Default))
        .then(|| quote!(_ => return Err(reply.unexpected()),));
    let too_many = (args.len() > 6).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let mutable = (!setup.is_empty()).then(|| quote!(mut));
    quote! {
        #docs
        #too_many
        pub async fn #name(&self, #(#args),*) -> Result<crate::responses::#response_type, Error> {
            let #mutable request = self.request(reqwest::Method::#method, &[#(#segments),*]);
            #(#setup)*
            let reply = request.send().await?;
            Ok(match reply.status() {
                #(#arms)*
                #fallback
            })
        }
    }
}

fn graph_scheme_name(api: &Api, index: usize) -> &str {
    &api.security_schemes[index].api_name
}

/// One path segment as a `&str` expression: a literal, a parameter's text, or both joined.
fn path_segment(op: &Operation, segment: &[PathPart], passing_of: &[Passing]) -> TokenStream {
    match segment {
        [PathPart::Literal(literal)] => quote!(#literal),
        [PathPart::Param(i)] => {
            let arg = ident(&op.params[*i].name);
            if passing_of[*i] == Passing::Str {
                quote!(#arg)
            } else {
                quote!(&#arg.to_string())
            }
        }
        parts => {
            let mut template = String::new();
            let mut values = Vec::new();
            for part in parts {
                match part {
                    PathPart::Literal(literal) => {
                        template.push_str(&literal.replace('{', "{{").replace('}', "}}"))
                    }
                    PathPart::Param(i) => {
                        template.push_str("{}");
                        values.push(ident(&op.params[*i].name));
                    }
                }
            }
            quote!(&format!(#template, #(#values),*))
        }
    }
}

fn decode_arm(response_type: &syn::Ident, response: &Response) -> TokenStream {
    let variant = ident(&response.variant);
    let pattern = match response.status {
        Status::Code(code) => {
            let code = Literal::u16_unsuffixed(code);
            quote!(#code)
        }
        Status::Range(digit) => {
            let low = Literal::u16_unsuffixed(digit * 100);
            let high = Literal::u16_unsuffixed(digit * 100 + 99);
            quote!(#low..=#high)
        }
        Status::Default => quote!(_),
    };
    let body = response.body.as_ref().map(decode_payload);
    let value = if response.is_body_only() {
        quote!(crate::responses::#response_type::#variant(#body))
    } else if matches!(response.status, Status::Code(_)) && response.headers.is_empty() {
        quote!(crate::responses::#response_type::#variant)
    } else {
        let status =
            (!matches!(response.status, Status::Code(_))).then(|| quote!(status: reply.status(),));
        let body = body.map(|b| quote!(body: #b,));
        let headers = response.headers.iter().map(|h| {
            let field = ident(&h.name);
            let wire = &h.api_name;
            if h.required {
                quote!(#field: reply.required_header(#wire)?,)
            } else {
                quote!(#field: reply.header(#wire)?,)
            }
        });
        quote!(crate::responses::#response_type::#variant { #status #body #(#headers)* })
    };
    quote!(#pattern => #value,)
}
