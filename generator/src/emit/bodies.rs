//! Body types that are not schemas: `multipart/form-data` structs (one part per field) and
//! the enums of payloads offered in several media types. Both live in the `types` module.

use proc_macro2::TokenStream;
use quote::quote;

use super::constructors::{constructors, Start};
use super::{doc_attrs, ident, media_tokens, type_tokens};
use crate::model::{Api, Docs, PartField, PartKind, Payload, TypeGraph, UntaggedVariant};

pub fn emit_multipart(
    graph: &TypeGraph,
    name: &syn::Ident,
    docs: &Docs,
    fields: &[PartField],
) -> TokenStream {
    let docs = doc_attrs(docs);
    let members: Vec<(syn::Ident, TokenStream, Start)> = fields
        .iter()
        .map(|f| {
            let ty = match &f.kind {
                PartKind::File => quote!(crate::multipart::FilePart),
                PartKind::Files => quote!(Vec<crate::multipart::FilePart>),
                PartKind::Text(ty) | PartKind::Json(ty) => type_tokens(graph, ty),
            };
            let (ty, start) = if f.kind == PartKind::Files {
                (ty, Start::Empty)
            } else if f.required {
                (ty, Start::Required)
            } else {
                (quote!(Option<#ty>), Start::None)
            };
            (ident(&f.name), ty, start)
        })
        .collect();
    let field_defs = fields.iter().zip(&members).map(|(f, (field, ty, _))| {
        let docs = doc_attrs(&f.docs);
        let wire = format!(" Part `{}`.", f.api_name);
        quote!(#[doc = #wire] #docs pub #field: #ty)
    });
    let (derive_default, constructors) = constructors(name, &members);
    let derive_default = derive_default.then(|| quote!(Default,));
    let writes = fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.api_name;
        let value = if f.required {
            quote!(Some(&self.#field))
        } else {
            quote!(self.#field.as_ref())
        };
        match f.kind {
            PartKind::File => quote!(parts.file(#wire, #value);),
            PartKind::Files => quote!(parts.files(#wire, &self.#field);),
            PartKind::Text(_) => quote!(parts.text(#wire, #value);),
            PartKind::Json(_) => quote!(parts.json(#wire, #value)?;),
        }
    });
    let reads = fields.iter().map(|f| {
        let field = ident(&f.name);
        let wire = &f.api_name;
        let read = match f.kind {
            PartKind::File => quote!(parts.take_file(#wire)),
            PartKind::Files => return quote!(#field: parts.take_files(#wire)),
            PartKind::Text(_) => quote!(parts.take_text(#wire)?),
            PartKind::Json(_) => quote!(parts.take_json(#wire)?),
        };
        if f.required {
            quote!(#field: crate::multipart::required(#read, #wire)?)
        } else {
            quote!(#field: #read)
        }
    });
    let mutable = (!fields.is_empty()).then(|| quote!(mut));
    let from_param = if fields.is_empty() {
        quote!(_parts)
    } else {
        quote!(mut parts)
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default)]
        pub struct #name {
            #(#field_defs,)*
        }
        #constructors

        impl crate::multipart::MultipartBody for #name {
            fn to_parts(&self) -> Result<crate::multipart::Parts, String> {
                let #mutable parts = crate::multipart::Parts::default();
                #(#writes)*
                Ok(parts)
            }

            fn from_parts(#from_param: crate::multipart::Parts) -> Result<Self, String> {
                Ok(Self { #(#reads,)* })
            }
        }
    }
}

/// A multipart body that takes one of several forms (a oneOf of objects): an enum of the
/// forms' structs, sent as the parts of its form and read as the first form the parts fit
/// (lowering puts the form that requires more parts first).
pub fn emit_multipart_forms(
    graph: &TypeGraph,
    name: &syn::Ident,
    docs: &Docs,
    variants: &[UntaggedVariant],
) -> TokenStream {
    let docs = doc_attrs(docs);
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let types: Vec<_> = variants.iter().map(|v| type_tokens(graph, &v.ty)).collect();
    let misses = variants.iter().map(|v| format!("{}: {{miss}}", v.name));
    let none_fits = format!("the parts fit none of the forms of {name}: {{}}");
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#idents(#types),)*
        }

        #(
            impl From<#types> for #name {
                fn from(form: #types) -> Self {
                    Self::#idents(form)
                }
            }
        )*

        impl crate::multipart::MultipartBody for #name {
            fn to_parts(&self) -> Result<crate::multipart::Parts, String> {
                match self {
                    #(Self::#idents(form) => form.to_parts(),)*
                }
            }

            fn from_parts(parts: crate::multipart::Parts) -> Result<Self, String> {
                let mut misses = Vec::new();
                #(
                    match <#types as crate::multipart::MultipartBody>::from_parts(parts.clone()) {
                        Ok(form) => return Ok(Self::#idents(form)),
                        Err(miss) => misses.push(format!(#misses)),
                    }
                )*
                Err(format!(#none_fits, misses.join("; ")))
            }
        }
    }
}

/// The enum of a body that comes in several media types (a response or body of
/// `components` is one payload every operation using it shares: its enum is written once).
pub fn emit_payload_enum(api: &Api, payload: &Payload) -> TokenStream {
    let name = ident(payload.enum_name.as_deref().unwrap_or("Body"));
    let variants = payload.contents.iter().map(|c| {
        let variant = ident(&c.variant);
        let ty = media_tokens(&api.types, &c.media);
        let doc = format!(" Sent as `{}`.", c.content_type);
        quote!(#[doc = #doc] #variant(#ty))
    });
    quote! {
        /// A body that comes in several media types; `Content-Type` says which.
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#variants,)*
        }
    }
}
