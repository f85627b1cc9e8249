//! `impl Paginated` for each operation whose answers come in pages: the items of a page,
//! and the inputs (or URL) of the next one. The loop over pages is the runtime's
//! (`Call::items`), once per crate.

use proc_macro2::{Literal, TokenStream};
use quote::quote;

use super::types::{representation, Representation};
use super::{ident, type_tokens};
use crate::model::{Api, FieldStep, NextPage, Operation, TypeKind};

pub(super) fn emit_paginated(api: &Api, op: &Operation) -> Option<TokenStream> {
    let pages = op.pagination.as_ref()?;
    let response = &op.responses[pages.response];
    let (request_type, response_type, variant) = (
        ident(&op.request_type),
        ident(&op.response_type),
        ident(&response.variant),
    );
    let link = match &pages.next {
        NextPage::Link { header } => Some(&response.headers[*header]),
        _ => None,
    };
    let pattern = if response.is_body_only() {
        quote!(#variant(body))
    } else {
        let link = link.map(|h| {
            let field = ident(&h.name);
            quote!(#field,)
        });
        quote!(#variant { body, #link .. })
    };
    let destructure = if op.responses.len() == 1 {
        quote!(let crate::responses::#response_type::#pattern = response;)
    } else {
        quote!(let crate::responses::#response_type::#pattern = response else { return None; };)
    };
    let items = take(api, &pages.items)?;
    let item = type_tokens(&api.types, &pages.item);
    let param = |index: usize| {
        let param = &op.params[index];
        let name = ident(&param.name);
        let wrap = |value: TokenStream| {
            if param.is_option() {
                quote!(Some(#value))
            } else {
                value
            }
        };
        (name, wrap, param.is_option())
    };
    let page = match &pages.next {
        NextPage::Cursor {
            param: index,
            field,
        } => {
            let (name, wrap, _) = param(*index);
            let cursor = read(api, field)?;
            let string =
                *api.types.resolve_alias(&op.params[*index].ty) == crate::model::TypeRef::String;
            // An empty cursor is no cursor: the last page of some APIs says so.
            let filter = string.then(|| quote!(.filter(|cursor| !cursor.is_empty())));
            let value = wrap(quote!(cursor));
            quote! {
                let next = #cursor #filter.map(|cursor| Self { #name: #value, ..self.clone() });
                let items = #items;
                Some(support::Page::inputs(items, next))
            }
        }
        NextPage::Url { field } => {
            let url = read(api, field)?;
            quote! {
                let next = #url;
                let items = #items;
                Some(support::Page::url(items, next.as_deref()))
            }
        }
        NextPage::Link { .. } => {
            let link = match link {
                Some(header) => {
                    let field = ident(&header.name);
                    if header.required {
                        quote!(Some(#field.as_str()))
                    } else {
                        quote!(#field.as_deref())
                    }
                }
                None => quote!(None),
            };
            quote! {
                let items = #items;
                Some(support::Page::link(items, #link))
            }
        }
        NextPage::Offset { param: index } => {
            let (name, wrap, option) = param(*index);
            let ty = type_tokens(&api.types, &op.params[*index].ty);
            let current = if option {
                quote!(self.#name.unwrap_or(0))
            } else {
                quote!(self.#name)
            };
            let value = wrap(quote!(#current + items.len() as #ty));
            quote! {
                let items = #items;
                let next = Self { #name: #value, ..self.clone() };
                Some(support::Page::inputs(items, Some(next)))
            }
        }
        NextPage::Page {
            param: index,
            first,
        } => {
            let (name, wrap, option) = param(*index);
            let first = Literal::i64_unsuffixed(*first);
            let current = if option {
                quote!(self.#name.unwrap_or(#first))
            } else {
                quote!(self.#name)
            };
            let value = wrap(quote!(#current + 1));
            quote! {
                let items = #items;
                let next = Self { #name: #value, ..self.clone() };
                Some(support::Page::inputs(items, Some(next)))
            }
        }
    };
    Some(quote! {
        impl support::Paginated for crate::requests::#request_type {
            type Item = #item;
        }

        impl support::Pages for crate::requests::#request_type {
            fn page(&self, response: crate::responses::#response_type) -> Option<support::Page<Self, #item>> {
                #destructure
                #page
            }
        }
    })
}

/// A path into a body as it is built: a place (`body.meta`) while every field on the way is
/// there, an `Option` once one may be missing.
enum Path {
    Place(TokenStream),
    Maybe(TokenStream),
}

/// The path from `body` through `steps`, borrowing each field on the way (`borrow`) or
/// moving it out.
fn walk(api: &Api, steps: &[FieldStep], borrow: bool) -> Option<Path> {
    let mut path = Path::Place(quote!(body));
    for step in steps {
        let (name, held) = field(api, *step)?;
        // The field of a value `v` as an `Option` of it, for the fields that may be missing.
        let optional = |v: TokenStream| match (held, borrow) {
            (Representation::DoubleOption, true) => {
                quote!(#v.#name.as_ref().and_then(Option::as_ref))
            }
            (Representation::DoubleOption, false) => quote!(#v.#name.flatten()),
            (_, true) => quote!(#v.#name.as_ref()),
            (_, false) => quote!(#v.#name),
        };
        let by = borrow.then(|| quote!(&));
        path = match (path, held) {
            (Path::Place(p), Representation::Value) => Path::Place(quote!(#p.#name)),
            (Path::Place(p), _) => Path::Maybe(optional(p)),
            (Path::Maybe(m), Representation::Value) => Path::Maybe(quote!(#m.map(|v| #by v.#name))),
            (Path::Maybe(m), _) => {
                let v = optional(quote!(v));
                Path::Maybe(quote!(#m.and_then(|v| #v)))
            }
        };
    }
    Some(path)
}

/// The value at the end of `steps` from `body`, cloned, as an `Option`.
fn read(api: &Api, steps: &[FieldStep]) -> Option<TokenStream> {
    let Some((last, steps)) = steps.split_last() else {
        return Some(quote!(Some(body.clone())));
    };
    let (name, held) = field(api, *last)?;
    Some(match (walk(api, steps, true)?, held) {
        (Path::Place(p), Representation::Value) => quote!(Some(#p.#name.clone())),
        (Path::Place(p), Representation::Option) => quote!(#p.#name.clone()),
        (Path::Place(p), Representation::DoubleOption) => quote!(#p.#name.clone().flatten()),
        (Path::Maybe(m), Representation::Value) => quote!(#m.map(|v| v.#name.clone())),
        (Path::Maybe(m), Representation::Option) => quote!(#m.and_then(|v| v.#name.clone())),
        (Path::Maybe(m), Representation::DoubleOption) => {
            quote!(#m.and_then(|v| v.#name.clone().flatten()))
        }
    })
}

/// The list at the end of `steps` from `body`, moved out; empty when a field on the way is
/// missing.
fn take(api: &Api, steps: &[FieldStep]) -> Option<TokenStream> {
    Some(match walk(api, steps, false)? {
        Path::Place(p) => p,
        Path::Maybe(m) => quote!(#m.unwrap_or_default()),
    })
}

/// A step's field name, and how its struct holds it (lowering makes steps of struct fields
/// only).
fn field(api: &Api, step: FieldStep) -> Option<(syn::Ident, Representation)> {
    match &api.types.get(step.owner).kind {
        TypeKind::Struct(fields) => {
            let field = fields.get(step.field)?;
            Some((ident(&field.name), representation(field)))
        }
        _ => None,
    }
}
