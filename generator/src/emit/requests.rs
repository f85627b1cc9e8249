//! The `requests` module: per operation, a struct holding all its inputs (parameters and
//! body), one named field each. Client and server share it: the client sends it, the server
//! trait receives it.
//!
//! Names are what keep two inputs of one type apart. Rocket.Chat's logout takes two header
//! strings in no particular order; as positional arguments they could be swapped without a
//! word from the compiler, so the client method takes them named, in the request struct:
//!
//! ```no_run
//! # async fn demo(client: rocketchat_logout::client::Client) {
//! use rocketchat_logout::requests::PostLogoutRequest;
//! let reply = client
//!     .post_logout(PostLogoutRequest {
//!         x_auth_token: "token".to_owned(),
//!         x_user_id: "user".to_owned(),
//!     })
//!     .send()
//!     .await;
//! # }
//! ```
//!
//! Positional values do not compile:
//!
//! ```compile_fail,E0061
//! # async fn demo(client: rocketchat_logout::client::Client) {
//! let reply = client.post_logout("user", "token").send().await;
//! # }
//! ```
//!
//! Nor do they in the whole Rocket.Chat API, where the client stores the two headers and
//! each call may set them by name:
//!
//! ```compile_fail,E0061
//! # async fn demo(client: rocketchat::client::Client) {
//! let me = client.get_me("user", "token").send().await;
//! # }
//! ```
//!
//! A required input cannot be forgotten: the client method takes it, and a request struct
//! written out without it does not compile.
//!
//! ```compile_fail,E0063
//! let request = petstore::requests::ShowPetByIdRequest {};
//! ```
//!
//! ```compile_fail,E0061
//! # async fn demo(client: petstore::client::Client) {
//! let pet = client.show_pet_by_id().send().await;
//! # }
//! ```

use proc_macro2::TokenStream;
use quote::quote;

use super::constructors::{constructors, start_values, Start};
use super::imports::Imports;
use super::modules::{declare, group_docs, group_modules, group_operations, header};
use super::types::{default_literal, is_zero_default};
use super::{doc_attrs, ident, payload_tokens, type_tokens};
use crate::model::{Api, Docs, Location, Media, Operation, Param, TypeGraph, TypeKind, TypeRef};

/// `requests.rs`: a module per group of operations, and the structs of the webhooks and
/// callbacks.
pub fn emit_requests_root(api: &Api) -> TokenStream {
    let declared = declare(group_modules(api));
    let structs = api.events.iter().map(|op| emit_request(api, op));
    quote! {
        //! One struct per operation with all its inputs: the client sends it, the server
        //! trait receives it.
        #declared
        #(#structs)*
    }
}

/// `requests/<group>.rs`, a struct at a time. Returns its imports.
pub fn emit_requests_module(
    api: &Api,
    group: usize,
    out: &mut dyn FnMut(TokenStream),
) -> TokenStream {
    let ops = group_operations(api, group);
    let local = ops
        .iter()
        .flat_map(|op| [op.request_type.clone(), required_type(op)]);
    let local: Vec<String> = local.collect();
    let mut imports = Imports::new(local.iter().map(String::as_str), &api.trait_name);
    out(header(&group_docs(&api.groups[group], |what| {
        format!(" The inputs of {what}.")
    })));
    for op in ops {
        out(imports.rewrite(emit_request(api, op)));
    }
    imports.uses()
}

/// An input of an operation as the request struct holds it.
pub struct Input {
    pub name: syn::Ident,
    /// The field's type.
    pub ty: TokenStream,
    /// The type of a value: the field's, less the `Option` of an optional input.
    pub value_ty: TokenStream,
    /// The type that `impl Into<_>` stands for as the argument: `String` for text (or an
    /// alias of it), so a `&str` does; `Binary` for a binary body, so a `Vec<u8>` does.
    pub into: Option<TokenStream>,
    pub start: Start,
    pub docs: TokenStream,
    /// A path parameter: its place among the others is the URL's.
    pub in_path: bool,
}

/// The inputs of `op`, in the order of its struct's fields: parameters, then the body.
pub fn inputs(api: &Api, op: &Operation) -> Vec<Input> {
    let graph = &api.types;
    let mut inputs: Vec<Input> = op.params.iter().map(|p| param_input(api, p)).collect();
    if let Some(body) = &op.body {
        let ty = payload_tokens(graph, &body.payload);
        let docs = if body.docs == Docs::default() {
            quote!(#[doc = " The request body."])
        } else {
            doc_attrs(&body.docs)
        };
        let into = match body.payload.contents.as_slice() {
            _ if body.payload.enum_name.is_some() => None,
            [only] if only.media == Media::Text => Some(quote!(String)),
            // Binary takes bytes; items take a `Vec` of them.
            [only] if matches!(only.media, Media::Binary | Media::Items(..)) => Some(ty.clone()),
            // A union takes any of its variants' values (`From` each, see `variant_froms`).
            [only] if is_union(graph, &only.media) => Some(ty.clone()),
            _ => None,
        };
        inputs.push(Input {
            name: ident("body"),
            ty: if body.required {
                ty.clone()
            } else {
                quote!(Option<#ty>)
            },
            value_ty: ty,
            into,
            start: if body.required {
                Start::Required
            } else {
                Start::None
            },
            docs,
            in_path: false,
        });
    }
    inputs
}

fn param_input(api: &Api, param: &Param) -> Input {
    let graph = &api.types;
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
    if let Some(header) = api.client_header(param) {
        let note = format!(
            " Required: `None` sends the client's own (`Client::{}`); a server gets `Some`.",
            header.setter
        );
        docs.extend(quote!(#[doc = #note]));
    }
    let default = param
        .default
        .as_ref()
        .and_then(|value| default_literal(graph, &param.ty, value));
    let (field_ty, start) = match default {
        // `None` until a call sets it: the client sends the value it stores.
        _ if param.client_level => (quote!(Option<#ty>), Start::None),
        Some(value) => {
            let zero = param
                .default
                .as_ref()
                .is_some_and(|d| is_zero_default(graph, &param.ty, d));
            let start = if zero {
                Start::Empty
            } else {
                Start::Value(value)
            };
            (ty.clone(), start)
        }
        None if param.required => (ty.clone(), Start::Required),
        None => (quote!(Option<#ty>), Start::None),
    };
    Input {
        name: ident(&param.name),
        ty: field_ty,
        value_ty: ty,
        into: (*graph.resolve_alias(&param.ty) == TypeRef::String).then(|| quote!(String)),
        start,
        docs,
        in_path: param.location == Location::Path,
    }
}

/// Whether a body is JSON of a oneOf or anyOf type (an enum of variants).
fn is_union(graph: &TypeGraph, media: &Media) -> bool {
    let Media::Json(ty) = media else {
        return false;
    };
    matches!(graph.resolve_alias(ty), TypeRef::Named(id)
        if matches!(graph.get(*id).kind, TypeKind::Untagged(_) | TypeKind::Tagged { .. }))
}

/// Whether the required inputs can be positional arguments (of the client method and of the
/// struct's `new`): at most [`MAX_ARGUMENTS`], and no two of one type unless both are path
/// parameters, whose order the URL gives. Two strings in no particular order (Rocket.Chat's
/// `X-Auth-Token` and `X-User-Id`) would swap without a word from the compiler, so they are
/// named instead: the request struct is written out.
pub fn positional(required: &[&Input]) -> bool {
    let key = |i: &Input| i.into.as_ref().unwrap_or(&i.value_ty).to_string();
    required.len() <= MAX_ARGUMENTS
        && required.iter().enumerate().all(|(n, a)| {
            required[..n]
                .iter()
                .all(|b| (a.in_path && b.in_path) || key(a) != key(b))
        })
}

/// An input as a documented public field.
fn field(input: &Input) -> TokenStream {
    let Input { name, ty, docs, .. } = input;
    quote! {
        #docs
        pub #name: #ty,
    }
}

/// The struct of an operation's required inputs, where they are not positional:
/// `ListPetsRequest` → `ListPetsRequired` (`…Request2` → `…Required2`), so the names are as
/// unique as the request structs'.
pub fn required_type(op: &Operation) -> String {
    match op.request_type.rfind("Request") {
        Some(at) => format!(
            "{}Required{}",
            &op.request_type[..at],
            &op.request_type[at + "Request".len()..]
        ),
        None => format!("{}Required", op.request_type),
    }
}

/// How many required inputs can be positional arguments.
const MAX_ARGUMENTS: usize = 4;

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
    let fields = inputs.iter().map(field);
    let required: Vec<&Input> = inputs
        .iter()
        .filter(|i| matches!(i.start, Start::Required))
        .collect();
    let starts: Vec<(syn::Ident, TokenStream, Start)> = inputs
        .iter()
        .map(|i| (i.name.clone(), i.ty.clone(), i.start.clone()))
        .collect();
    let (derive_default, constructor) =
        if required.is_empty() || positional(&required) || required.len() == inputs.len() {
            constructors(&name, &starts)
        } else {
            // Required inputs that could be swapped unnoticed, beside optional ones: `new`
            // takes them named, in a struct of their own.
            let required_name = ident(&required_type(op));
            let required_doc = format!(
                " The required inputs of `{}`, named: `{name}::new` takes them.",
                op.api_name
            );
            let names = required.iter().map(|i| &i.name);
            let fields = required.iter().copied().map(field);
            let values = start_values(&starts);
            let constructor = quote! {
                #[doc = #required_doc]
                #[derive(Debug, Clone, PartialEq)]
                pub struct #required_name {
                    #(#fields)*
                }
                impl #name {
                    /// The inputs with the required ones given; the others are `None` or the
                    /// spec's default.
                    pub fn new(required: #required_name) -> Self {
                        let #required_name { #(#names),* } = required;
                        #name { #(#values,)* }
                    }
                }
            };
            (false, Some(constructor))
        };
    let derives = if derive_default {
        quote!(#[derive(Debug, Clone, PartialEq, Default)])
    } else {
        quote!(#[derive(Debug, Clone, PartialEq)])
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
