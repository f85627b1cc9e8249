//! The `types` module: one Rust definition per named schema.

use proc_macro2::TokenStream;
use quote::quote;

use super::{bodies, doc_attrs, ident, type_tokens};
use crate::model::{Api, EnumVariant, Field, TypeDef, TypeGraph, TypeKind};

pub fn emit_types(api: &Api) -> TokenStream {
    let defs = api.types.defs.iter().map(|def| emit_def(&api.types, def));
    let payload_enums = bodies::emit_payload_enums(api);
    quote! {
        //! Types for the schemas of the spec, named after their components or, for inline
        //! schemas, after where they sit.
        #(#defs)*
        #payload_enums
    }
}

fn emit_def(graph: &TypeGraph, def: &TypeDef) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    match &def.kind {
        TypeKind::Struct(fields) => {
            let fields = fields.iter().map(|f| emit_field(graph, f));
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                pub struct #name {
                    #(#fields,)*
                }
            }
        }
        TypeKind::Enum(variants) => emit_enum(&name, &docs, variants),
        TypeKind::Untagged(variants) => {
            let variants = variants.iter().map(|v| {
                let variant = ident(&v.name);
                let ty = type_tokens(graph, &v.ty);
                quote!(#variant(#ty))
            });
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(untagged)]
                pub enum #name {
                    #(#variants,)*
                }
            }
        }
        TypeKind::Multipart(fields) => bodies::emit_multipart(graph, &name, &def.docs, fields),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(graph, ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
    }
}

fn emit_field(graph: &TypeGraph, field: &Field) -> TokenStream {
    let name = ident(&field.name);
    let docs = doc_attrs(&field.docs);
    let mut ty = type_tokens(graph, &field.ty);
    if field.boxed {
        ty = quote!(Box<#ty>);
    }
    let optional = !field.required || field.nullable;
    if optional {
        ty = quote!(Option<#ty>);
    }
    let mut serde = Vec::new();
    if field.name != field.api_name {
        let wire = &field.api_name;
        serde.push(quote!(rename = #wire));
    }
    if !field.required {
        serde.push(quote!(default, skip_serializing_if = "Option::is_none"));
    }
    let serde = (!serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    quote! {
        #docs
        #serde
        pub #name: #ty
    }
}

/// A string enum keeps values it does not know in `Other`, so a server adding a value does
/// not break a client; its text form serves serde, `Display` and `FromStr` alike.
fn emit_enum(name: &syn::Ident, docs: &TokenStream, variants: &[EnumVariant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<_> = variants.iter().map(|v| v.value.as_str()).collect();
    let variant_docs = values.iter().map(|v| format!(" `{v}`"));
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#[doc = #variant_docs] #idents,)*
            /// A value the spec does not list.
            Other(String),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn as_str(&self) -> &str {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Other(value) => value,
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.as_str())
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::convert::Infallible;

            fn from_str(value: &str) -> Result<Self, Self::Err> {
                Ok(match value {
                    #(#values => Self::#idents,)*
                    other => Self::Other(other.to_owned()),
                })
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.serialize_str(self.as_str())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = String::deserialize(deserializer)?;
                Ok(match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {},
                })
            }
        }
    }
}
