//! The `requests` module: per operation, a struct holding all its inputs (parameters and
//! body), one named field each. Client and server share it: the client sends it, the server
//! trait receives it.

use proc_macro2::TokenStream;
use quote::quote;

use super::types::default_literal;
use super::{doc_attrs, ident, payload_tokens, type_tokens};
use crate::model::{Api, Docs, Media, Operation, Param, TypeGraph, TypeRef};

pub fn emit_requests(api: &Api) -> TokenStream {
    let structs = api.operations.iter().map(|op| emit_request(api, op));
    quote! {
        //! One struct per operation with all its inputs: the client sends it, the server
        //! trait receives it.
        #(#structs)*
    }
}

/// An input of an operation as the request struct holds it.
pub struct Input {
    pub name: syn::Ident,
    /// The field's type.
    pub ty: TokenStream,
    /// The type of a value: the field's, less the `Option` of an optional input.
    pub value_ty: TokenStream,
    /// Text: a `String` (or an alias of one), so `impl Into<String>` can stand for it.
    pub text: bool,
    pub start: Start,
    pub docs: TokenStream,
    /// A header the client stores once and fills in by itself.
    pub client_level: bool,
}

/// How an input's field gets its first value.
pub enum Start {
    /// Given by whoever makes the struct: the input is required.
    Required,
    /// `None`: optional, and left out until set.
    Absent,
    /// The spec's default, as a Rust expression.
    Default(TokenStream),
}

/// The inputs of `op`, in the order of its struct's fields: parameters, then the body.
pub fn inputs(api: &Api, op: &Operation) -> Vec<Input> {
    let graph = &api.types;
    let mut inputs: Vec<Input> = op.params.iter().map(|p| param_input(graph, p)).collect();
    if let Some(body) = &op.body {
        let ty = payload_tokens(graph, &body.payload);
        let docs = if body.docs == Docs::default() {
            quote!(#[doc = " The request body."])
        } else {
            doc_attrs(&body.docs)
        };
        let text = body.payload.enum_name.is_none()
            && matches!(body.payload.contents.as_slice(), [only] if only.media == Media::Text);
        inputs.push(Input {
            name: ident("body"),
            ty: if body.required {
                ty.clone()
            } else {
                quote!(Option<#ty>)
            },
            value_ty: ty,
            text,
            start: if body.required {
                Start::Required
            } else {
                Start::Absent
            },
            docs,
            client_level: false,
        });
    }
    inputs
}

fn param_input(graph: &TypeGraph, param: &Param) -> Input {
    let ty = type_tokens(graph, &param.ty);
    let location = format!(
        " {} parameter `{}`.",
        capitalized(param.location.as_str()),
        param.api_name
    );
    let mut docs = doc_attrs(&param.docs);
    if !docs.is_empty() {
        docs.extend(quote!(#[doc = ""]));
    }
    docs.extend(quote!(#[doc = #location]));
    if param.client_level {
        let note = " The client fills it in from the value it stores; an empty value is not sent.";
        docs.extend(quote!(#[doc = #note]));
    }
    let default = param
        .default
        .as_ref()
        .and_then(|value| default_literal(graph, &param.ty, value));
    let (field_ty, start) = match default {
        Some(literal) => (ty.clone(), Start::Default(literal)),
        None if param.required => (ty.clone(), Start::Required),
        None => (quote!(Option<#ty>), Start::Absent),
    };
    Input {
        name: ident(&param.name),
        ty: field_ty,
        value_ty: ty,
        text: *graph.resolve_alias(&param.ty) == TypeRef::String,
        start,
        docs,
        client_level: param.client_level,
    }
}

fn capitalized(word: &str) -> String {
    let mut chars = word.chars();
    chars
        .next()
        .map(|c| c.to_ascii_uppercase().to_string() + chars.as_str())
        .unwrap_or_default()
}

fn emit_request(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.request_type);
    let inputs = inputs(api, op);
    let doc = format!(
        " Inputs of `{}` ({} `{}`).",
        op.api_name,
        op.method.as_str(),
        op.path.raw
    );
    let fields = inputs.iter().map(|input| {
        let Input { name, ty, docs, .. } = input;
        quote! {
            #docs
            pub #name: #ty,
        }
    });
    let required: Vec<&Input> = inputs
        .iter()
        .filter(|i| matches!(i.start, Start::Required))
        .collect();
    let derive_default = inputs.iter().all(|i| matches!(i.start, Start::Absent));
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
    };
    // Optional inputs start as `None` or the spec's default; required ones come from the
    // constructor's arguments.
    let values = inputs.iter().map(|input| {
        let name = &input.name;
        match &input.start {
            Start::Required => quote!(#name),
            Start::Absent => quote!(#name: None),
            Start::Default(value) => quote!(#name: #value),
        }
    });
    let constructor = if required.is_empty() {
        (!derive_default).then(|| {
            quote! {
                impl Default for #name {
                    fn default() -> Self {
                        #name { #(#values,)* }
                    }
                }
            }
        })
    } else {
        let args = required.iter().map(|i| {
            let (name, ty) = (&i.name, &i.ty);
            quote!(#name: #ty)
        });
        let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
        Some(quote! {
            impl #name {
                /// The inputs with the required ones given, in the order of the fields; the
                /// others are `None` or the spec's default.
                #too_many
                pub fn new(#(#args),*) -> Self {
                    #name { #(#values,)* }
                }
            }
        })
    };
    quote! {
        #[doc = #doc]
        #derives
        pub struct #name {
            #(#fields)*
        }
        #constructor
    }
}
