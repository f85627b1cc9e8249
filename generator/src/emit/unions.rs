//! Unions: enums of alternatives told apart by what a value has (untagged, read through
//! the runtime's `de::Alternatives`) or by a discriminator (tagged), with their `From`s and,
//! for unions of scalars, their text form.

use proc_macro2::TokenStream;
use quote::quote;

use super::{ident, type_tokens};
use crate::model::{Claim, TaggedVariant, TypeGraph, TypeKind, TypeRef, UntaggedVariant};

pub(super) fn emit_untagged(
    graph: &TypeGraph,
    name: &syn::Ident,
    docs: &TokenStream,
    variants: &[UntaggedVariant],
) -> TokenStream {
    let emitted = variants.iter().map(|v| {
        let variant = ident(&v.name);
        let mut ty = type_tokens(graph, &v.ty);
        if v.boxed {
            ty = quote!(Box<#ty>);
        }
        quote!(#variant(#ty))
    });
    let text_form = variants
        .iter()
        .all(|v| graph.is_text_scalar(&v.ty))
        .then(|| emit_untagged_text(graph, name, variants));
    let froms = variant_froms(
        graph,
        name,
        variants.iter().map(|v| (v.name.as_str(), &v.ty, v.boxed)),
    );
    let expecting = name.to_string();
    let attempt = |v: &UntaggedVariant| {
        let variant = ident(&v.name);
        let name = &v.name;
        quote! {
            if let Some(found) = alternatives.read(#name, Self::#variant) {
                return Ok(found);
            }
        }
    };
    // Claims by a constant first, then by a required key, then by the keys declared; then
    // every alternative in order (one already read is not read again).
    let by_value = variants.iter().filter_map(|v| match &v.claim {
        Some(Claim::Value { property, value }) => Some((v, quote!(#property, Some(#value)))),
        _ => None,
    });
    let by_key = variants.iter().filter_map(|v| match &v.claim {
        Some(Claim::Key(property)) => Some((v, quote!(#property, None))),
        _ => None,
    });
    let claimed = by_value.chain(by_key).map(|(v, test)| {
        let attempt = attempt(v);
        quote! {
            if alternatives.has(#test) {
                #attempt
            }
        }
    });
    let declared = variants.iter().filter_map(|v| {
        let keys = v.keys.as_ref()?;
        let attempt = attempt(v);
        Some(quote! {
            if alternatives.declares(&[#(#keys),*]) {
                #attempt
            }
        })
    });
    let attempts = claimed
        .chain(declared)
        .chain(variants.iter().map(attempt))
        .collect::<Vec<_>>();
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, serde::Serialize)]
        #[serde(untagged)]
        pub enum #name {
            #(#emitted,)*
        }
        // The alternatives the value's keys claim are tried first, then each in order, on
        // the value read once, without serde's per-enum `untagged` machinery; the server
        // holds each to its constraints.
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = crate::de::buffered(deserializer)?;
                let mut alternatives = crate::de::Alternatives::new(&value);
                #(#attempts)*
                Err(alternatives.none_fits(#expecting))
            }
        }
        #text_form
        #froms
    }
}

/// A oneOf of scalars (`integer` or `string`) can be a parameter: its text form is its
/// variant's, and parsing tries the variants in order, a string (which reads any text) last.
fn emit_untagged_text(
    graph: &TypeGraph,
    name: &syn::Ident,
    variants: &[UntaggedVariant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let mut parsers = Vec::new();
    let mut tail = None;
    for (v, variant) in variants.iter().zip(&idents) {
        let infallible = match graph.resolve_alias(&v.ty) {
            TypeRef::String => true,
            TypeRef::Named(id) => matches!(graph.get(*id).kind, TypeKind::Enum(_)),
            _ => false,
        };
        if !infallible {
            parsers.push(quote! {
                if let Ok(parsed) = value.parse() {
                    return Ok(Self::#variant(parsed));
                }
            });
        } else if tail.is_none() {
            // Any text reads as a string: it is the last resort, after the variants whose
            // text is narrower (`type: [string, integer]` reads "7" as the integer), and
            // the variants after it that read any text too are never chosen.
            tail = Some(quote! {
                Ok(match value.parse() {
                    Ok(parsed) => Self::#variant(parsed),
                    Err(never) => match never {},
                })
            });
        }
    }
    let tail =
        tail.unwrap_or_else(|| quote!(Err(format!("{value:?} is none of the alternatives"))));
    quote! {
        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                match self {
                    #(Self::#idents(value) => value.fmt(f),)*
                }
            }
        }

        impl std::str::FromStr for #name {
            type Err = String;

            // Never `Self::Err`: an enum with a variant `Err` makes that ambiguous.
            fn from_str(value: &str) -> Result<Self, String> {
                #(#parsers)*
                #tail
            }
        }
    }
}

/// A discriminated oneOf. Serde's `#[serde(tag)]` strips the tag before the variant reads
/// the rest, which breaks variant types that declare the tag as a property (as the spec
/// requires); these impls hand each variant the whole object instead. Unknown tags are kept
/// in `Other`, so a server adding a variant does not break a client.
pub(super) fn emit_tagged(
    graph: &TypeGraph,
    name: &syn::Ident,
    docs: &TokenStream,
    property: &str,
    variants: &[TaggedVariant],
) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<&str> = variants.iter().map(|v| v.value.as_str()).collect();
    let types = variants.iter().map(|v| {
        let ty = type_tokens(graph, &v.ty);
        if v.boxed {
            quote!(Box<#ty>)
        } else {
            ty
        }
    });
    let variant_docs = values.iter().map(|v| format!(" `{property}` is `{v}`."));
    let readers = variants.iter().map(|v| {
        let variant = ident(&v.name);
        if v.boxed {
            quote!(crate::types::deserialize_tagged(value).map(|v| Self::#variant(Box::new(v))))
        } else {
            quote!(crate::types::deserialize_tagged(value).map(Self::#variant))
        }
    });
    let other_doc = format!(" A `{property}` the spec does not list, kept as it came.");
    let froms = variant_froms(
        graph,
        name,
        variants.iter().map(|v| (v.name.as_str(), &v.ty, v.boxed)),
    );
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq)]
        pub enum #name {
            #(#[doc = #variant_docs] #idents(#types),)*
            #[doc = #other_doc]
            Other(serde_json::Value),
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                match self {
                    #(Self::#idents(value) => crate::types::serialize_tagged(serializer, #property, #values, value),)*
                    Self::Other(value) => serde::Serialize::serialize(value, serializer),
                }
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                let value = <serde_json::Value as serde::Deserialize>::deserialize(deserializer)?;
                match value.get(#property).and_then(serde_json::Value::as_str) {
                    #(Some(#values) => #readers,)*
                    _ => Ok(Self::Other(value)),
                }
            }
        }

        #froms
    }
}

/// `From` each variant's type into the union, so that a variant's value goes where the
/// union is taken (`.body(cat)` for an `Animal`): for every variant whose type no other
/// variant has, and is not the union itself (aliases seen through, as the compiler does).
fn variant_froms<'a>(
    graph: &TypeGraph,
    name: &syn::Ident,
    variants: impl Iterator<Item = (&'a str, &'a TypeRef, bool)>,
) -> TokenStream {
    let union = quote!(crate::types::#name).to_string();
    let variants: Vec<_> = variants
        .map(|(variant, ty, boxed)| {
            let ty = type_tokens(graph, &without_aliases(graph, ty));
            (ident(variant), ty.to_string(), ty, boxed)
        })
        .collect();
    let impls = variants
        .iter()
        .filter(|(_, key, ..)| {
            *key != union
                && variants
                    .iter()
                    .filter(|(_, other, ..)| other == key)
                    .count()
                    == 1
        })
        .map(|(variant, _, ty, boxed)| {
            let value = if *boxed {
                quote!(Box::new(value))
            } else {
                quote!(value)
            };
            quote! {
                impl From<#ty> for #name {
                    fn from(value: #ty) -> Self {
                        Self::#variant(#value)
                    }
                }
            }
        });
    quote!(#(#impls)*)
}

/// `ty` with every alias in it replaced by what it stands for.
fn without_aliases(graph: &TypeGraph, ty: &TypeRef) -> TypeRef {
    match graph.resolve_alias(ty) {
        TypeRef::List(inner) => TypeRef::List(Box::new(without_aliases(graph, inner))),
        TypeRef::Map(inner) => TypeRef::Map(Box::new(without_aliases(graph, inner))),
        other => other.clone(),
    }
}
