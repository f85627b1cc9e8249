//! The ways to make a struct beyond its literal (`Default`, `new` with the required fields),
//! for the types, the request structs and the multipart structs alike.

use proc_macro2::TokenStream;
use quote::quote;

/// How a field of a struct starts out when the struct is made without naming it.
#[derive(Clone)]
pub(super) enum Start {
    /// It has to be given: the field is required.
    Required,
    /// `None`: an optional field.
    None,
    /// Its type's own default: an empty list or map.
    Empty,
    /// The spec's default, as an expression.
    Value(TokenStream),
}

/// The ways to make a struct beyond its literal, for `fields` (name, type, start): `Default`
/// where no field is required (derived, the bool, when every field starts empty; written out
/// with the spec's defaults otherwise), and `new` taking the required fields, in the spec's
/// order, where optional ones sit beside them, so that `T { tag: Some(..), ..T::new(id) }`
/// names each field it sets. A struct of required fields only is made by its literal.
pub(super) fn constructors(
    name: &syn::Ident,
    fields: &[(syn::Ident, TokenStream, Start)],
) -> (bool, Option<TokenStream>) {
    let required: Vec<_> = fields
        .iter()
        .filter(|(_, _, start)| matches!(start, Start::Required))
        .collect();
    if fields
        .iter()
        .all(|(_, _, start)| matches!(start, Start::None | Start::Empty))
    {
        return (true, None);
    }
    if required.len() == fields.len() {
        return (false, None);
    }
    let values = start_values(fields);
    if required.is_empty() {
        return (
            false,
            Some(quote! {
                impl std::default::Default for #name {
                    fn default() -> Self {
                        Self { #(#values,)* }
                    }
                }
            }),
        );
    }
    let args = required.iter().map(|(field, ty, _)| quote!(#field: #ty));
    let too_many = (required.len() > 7).then(|| quote!(#[allow(clippy::too_many_arguments)]));
    let doc = [
        " The value with its required fields, in the spec's order; the others start as `None`"
            .to_owned(),
        format!(" or the spec's default. Set them by name: `{name} {{ field: .., ..{name}::new(..) }}`."),
    ];
    (
        false,
        Some(quote! {
            impl #name {
                #(#[doc = #doc])*
                #too_many
                pub fn new(#(#args),*) -> Self {
                    Self { #(#values,)* }
                }
            }
        }),
    )
}

/// The fields of a struct literal made without naming the optional ones: `field` for a
/// required one (a variable of that name), its start for the others.
pub(super) fn start_values(
    fields: &[(syn::Ident, TokenStream, Start)],
) -> impl Iterator<Item = TokenStream> + '_ {
    fields.iter().map(|(field, _, start)| match start {
        Start::Required => quote!(#field),
        Start::None => quote!(#field: None),
        Start::Empty => quote!(#field: std::default::Default::default()),
        Start::Value(value) => quote!(#field: #value),
    })
}
