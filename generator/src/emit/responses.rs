//! The `responses` module: per operation, an enum with one variant per declared status.
//! Client and server share it: the client decodes into it, the server encodes from it.

use proc_macro2::TokenStream;
use quote::quote;

use super::imports::Imports;
use super::modules::{declare, group_docs, group_modules, group_operations, header};
use super::{doc_attrs, ident, payload_tokens, type_tokens};
use crate::model::{Api, Operation, Response, Status};

/// `responses.rs`: a module per group of operations, and the enums of the webhooks and
/// callbacks.
pub fn emit_responses_root(api: &Api) -> TokenStream {
    let declared = declare(group_modules(api));
    let enums = api.events.iter().map(|op| emit_response_enum(api, op));
    quote! {
        //! One enum per operation, with a variant per response the spec declares.
        // A response is built once and sent or matched once: a large body beside small error
        // variants costs nothing worth boxing it for and making every match deref.
        #![allow(clippy::large_enum_variant)]
        #declared
        #(#enums)*
    }
}

/// `responses/<group>.rs`, an enum at a time. Returns its imports.
pub fn emit_responses_module(
    api: &Api,
    group: usize,
    out: &mut dyn FnMut(TokenStream),
) -> TokenStream {
    let ops = group_operations(api, group);
    let local = ops.iter().map(|op| op.response_type.as_str());
    let mut imports = Imports::new(local, &api.trait_name);
    out(header(&group_docs(&api.groups[group], |what| {
        format!(" The responses of {what}.")
    })));
    for op in ops {
        out(imports.rewrite(emit_response_enum(api, op)));
    }
    imports.uses()
}

fn emit_response_enum(api: &Api, op: &Operation) -> TokenStream {
    let name = ident(&op.response_type);
    let doc = format!(
        " Responses of `{}` ({} `{}`).",
        op.api_name,
        op.method.as_str(),
        op.path.raw
    );
    let variants = op.responses.iter().map(|r| emit_variant(api, r));
    quote! {
        #[doc = #doc]
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }
    }
}

fn emit_variant(api: &Api, response: &Response) -> TokenStream {
    let name = ident(&response.variant);
    let status_doc = format!(" Status {}.", status_label(response.status));
    let docs = doc_attrs(&response.docs);
    let body = response
        .body
        .as_ref()
        .map(|p| payload_tokens(&api.types, p));
    let shape = if response.is_body_only() {
        quote!((#body))
    } else if matches!(response.status, Status::Code(_)) && response.headers.is_empty() {
        quote!()
    } else {
        let status = (!matches!(response.status, Status::Code(_))).then(|| {
            quote! {
                /// The status code the server sent.
                status: u16,
            }
        });
        let body = body.map(|ty| quote!(body: #ty,));
        let headers = response.headers.iter().map(|h| {
            let field = ident(&h.name);
            let mut ty = type_tokens(&api.types, &h.ty);
            if !h.required {
                ty = quote!(Option<#ty>);
            }
            let doc = format!(" Header `{}`.", h.api_name);
            let docs = doc_attrs(&h.docs);
            quote! {
                #[doc = #doc]
                #docs
                #field: #ty,
            }
        });
        quote!({ #status #body #(#headers)* })
    };
    quote! {
        #[doc = #status_doc]
        #docs
        #name #shape
    }
}

pub(super) fn status_label(status: Status) -> String {
    match status {
        Status::Code(code) => code.to_string(),
        Status::Range(digit) => format!("{digit}XX"),
        Status::Default => "default (any status not listed)".to_owned(),
    }
}
