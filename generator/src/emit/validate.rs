//! `Validate` impls for the types: code only where a constraint can be reached, an empty
//! impl elsewhere, so per-type code stays small.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};

use super::types::{representation, Representation};
use super::{ident, Needs};
use crate::model::{Api, Constraints, Field, Param, TypeGraph, TypeKind, TypeRef};

pub fn emit_validate_impls(api: &Api, needs: &Needs) -> TokenStream {
    let graph = &api.types;
    let checked = checked_types(graph);
    let impls = graph.defs.iter().enumerate().filter_map(|(id, def)| {
        let name = ident(&def.name);
        let body = if checked[id] {
            def_checks(graph, &checked, &def.kind)
        } else {
            None
        };
        let object = matches!(def.kind, TypeKind::Struct(_)).then(|| {
            quote!(
                const JSON_OBJECT: bool = true;
            )
        });
        let body = body.map(|body| {
            quote! {
                fn validate(&self, path: &str, problems: &mut Vec<String>) {
                    #body
                }
            }
        });
        match &def.kind {
            TypeKind::Alias(_) => None,
            _ => Some(quote! {
                impl crate::validate::Validate for #name {
                    #object
                    #body
                }
            }),
        }
    });
    let foreign = [
        (needs.chrono, quote!(chrono::DateTime<chrono::Utc>)),
        (needs.chrono, quote!(chrono::NaiveDate)),
        (needs.uuid, quote!(uuid::Uuid)),
        (needs.base64, quote!(Base64)),
    ]
    .into_iter()
    .filter(|(used, _)| *used)
    .map(|(_, ty)| quote!(impl crate::validate::Validate for #ty {}));
    quote! {
        #(#impls)*
        #(#foreign)*
    }
}

/// Which definitions have something to check: a constrained field, or a field or variant
/// whose type has something to check. Computed to a fixed point, so recursion is fine.
pub fn checked_types(graph: &TypeGraph) -> Vec<bool> {
    let mut checked = vec![false; graph.defs.len()];
    loop {
        let mut changed = false;
        for (id, def) in graph.defs.iter().enumerate() {
            if checked[id] {
                continue;
            }
            let needs = match &def.kind {
                TypeKind::Struct(fields) => fields.iter().any(|f| {
                    !applicable(graph, &f.ty, &f.constraints).is_empty() || reaches(&checked, &f.ty)
                }),
                TypeKind::Untagged(variants) => variants
                    .iter()
                    .any(|v| !is_enum(graph, &v.ty) && reaches(&checked, &v.ty)),
                // A value the spec does not list is refused.
                TypeKind::Enum(_) | TypeKind::IntEnum(_) | TypeKind::Tagged { .. } => true,
                TypeKind::Newtype(ty) | TypeKind::Alias(ty) => reaches(&checked, ty),
                TypeKind::Multipart(_) => false,
            };
            if needs {
                checked[id] = true;
                changed = true;
            }
        }
        if !changed {
            return checked;
        }
    }
}

fn reaches(checked: &[bool], ty: &TypeRef) -> bool {
    match ty {
        TypeRef::Named(id) => checked[id.0],
        TypeRef::List(inner) | TypeRef::Map(inner) => reaches(checked, inner),
        _ => false,
    }
}

/// The constraints of a field that apply to its type (a length on a string, not on a
/// number).
fn applicable(graph: &TypeGraph, ty: &TypeRef, c: &Constraints) -> Constraints {
    match graph.resolve_alias(ty) {
        TypeRef::String => Constraints {
            min_length: c.min_length,
            max_length: c.max_length,
            pattern: c.pattern.clone(),
            format: c.format,
            ..Constraints::default()
        },
        TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64 => {
            Constraints {
                minimum: c.minimum,
                maximum: c.maximum,
                exclusive_minimum: c.exclusive_minimum,
                exclusive_maximum: c.exclusive_maximum,
                ..Constraints::default()
            }
        }
        TypeRef::List(_) => Constraints {
            min_items: c.min_items,
            max_items: c.max_items,
            unique_items: c.unique_items,
            ..Constraints::default()
        },
        _ => Constraints::default(),
    }
}

/// A string or integer enum: read from any value of its type, unknown ones kept in `Other`.
fn is_enum(graph: &TypeGraph, ty: &TypeRef) -> bool {
    matches!(graph.resolve_alias(ty), TypeRef::Named(id)
        if matches!(graph.get(*id).kind, TypeKind::Enum(_) | TypeKind::IntEnum(_)))
}

/// The match arm of an enum's `validate` for one variant: it checks the value inside when
/// its type has something to check. An enum inside an untagged union is not held to its
/// values: it reads any string (or integer) first, and a later alternative may be the one
/// that allows the value.
fn variant_arm(
    graph: &TypeGraph,
    checked: &[bool],
    name: &str,
    ty: &TypeRef,
    untagged: bool,
) -> TokenStream {
    let variant = ident(name);
    if reaches(checked, ty) && !(untagged && is_enum(graph, ty)) {
        quote!(Self::#variant(value) => crate::validate::Validate::validate(value, path, problems),)
    } else {
        quote!(Self::#variant(_) => {})
    }
}

fn def_checks(graph: &TypeGraph, checked: &[bool], kind: &TypeKind) -> Option<TokenStream> {
    match kind {
        TypeKind::Struct(fields) => {
            let checks: Vec<TokenStream> = fields
                .iter()
                .filter_map(|f| field_checks(graph, checked, f))
                .collect();
            Some(quote!(#(#checks)*))
        }
        TypeKind::Untagged(variants) => {
            let arms = variants
                .iter()
                .map(|v| variant_arm(graph, checked, &v.name, &v.ty, true));
            Some(quote!(match self { #(#arms)* }))
        }
        TypeKind::Tagged { property, variants } => {
            let arms = variants
                .iter()
                .map(|v| variant_arm(graph, checked, &v.name, &v.ty, false));
            let values = variants.iter().map(|v| v.value.as_str());
            Some(quote! {
                match self {
                    #(#arms)*
                    Self::Other(value) => crate::validate::unknown_tag(path, #property, value, &[#(#values),*], problems),
                }
            })
        }
        TypeKind::Enum(variants) => {
            let values = variants.iter().map(|v| v.value.as_str());
            Some(quote! {
                if let Self::Other(value) = self {
                    crate::validate::not_listed(path, value, &[#(#values),*], problems);
                }
            })
        }
        TypeKind::IntEnum(variants) => {
            let values = variants.iter().map(|v| v.value.to_string());
            Some(quote! {
                if let Self::Other(value) = self {
                    crate::validate::not_listed(path, &value.to_string(), &[#(#values),*], problems);
                }
            })
        }
        TypeKind::Newtype(_) => {
            Some(quote!(crate::validate::Validate::validate(&self.0, path, problems);))
        }
        _ => None,
    }
}

fn field_checks(graph: &TypeGraph, checked: &[bool], field: &Field) -> Option<TokenStream> {
    let mut checks = value_checks(graph, &field.ty, &field.constraints);
    let nested = reaches(checked, &field.ty);
    if checks.is_empty() && !nested {
        return None;
    }
    if nested {
        checks.push(quote!(crate::validate::Validate::validate(value, path, problems);));
    }
    let name = ident(&field.name);
    let path = if field.flatten {
        TokenStream::new()
    } else {
        let wire = format!(
            "{{path}}.{}",
            field.api_name.replace('{', "{{").replace('}', "}}")
        );
        quote!(let path = &format!(#wire);)
    };
    Some(match representation(field) {
        Representation::DoubleOption => {
            quote!(if let Some(Some(value)) = &self.#name { #path #(#checks)* })
        }
        Representation::Option => quote!(if let Some(value) = &self.#name { #path #(#checks)* }),
        Representation::Value => quote!({ let value = &self.#name; #path #(#checks)* }),
    })
}

/// Whether the checks of a value of `ty` under `constraints` match a pattern, with `regex`:
/// the one rule for both the check and the crate's dependency on `regex`.
pub fn checks_pattern(graph: &TypeGraph, ty: &TypeRef, constraints: &Constraints) -> bool {
    applicable(graph, ty, constraints).pattern.is_some()
}

/// The checks of the constraints that apply to a value of `ty`, reading `value` (a
/// reference) and `path`, pushing to `problems`.
fn value_checks(graph: &TypeGraph, ty: &TypeRef, constraints: &Constraints) -> Vec<TokenStream> {
    let c = applicable(graph, ty, constraints);
    // The crate's manifest declares `regex` by this same test (`Needs`).
    let mut checks = Vec::new();
    if c.min_length.is_some() || c.max_length.is_some() {
        let (min, max) = (option_usize(c.min_length), option_usize(c.max_length));
        checks.push(quote!(crate::validate::length(path, value, #min, #max, problems);));
    }
    if let Some(source) = &c.pattern {
        checks.push(quote! {{
            static REGEX: std::sync::LazyLock<Option<regex::Regex>> =
                std::sync::LazyLock::new(|| regex::Regex::new(#source).ok());
            let matched = REGEX.as_ref().is_none_or(|regex| regex.is_match(value));
            crate::validate::pattern(path, value, matched, #source, problems);
        }});
    }
    if c.minimum.is_some() || c.maximum.is_some() {
        let as_f64 = match graph.resolve_alias(ty) {
            TypeRef::F64 => quote!(*value),
            TypeRef::I64 | TypeRef::U64 => quote!(*value as f64),
            _ => quote!(f64::from(*value)),
        };
        let bound = |limit: Option<f64>, exclusive: bool| match limit {
            Some(limit) => {
                let limit = Literal::f64_suffixed(limit);
                quote!(Some((#limit, #exclusive)))
            }
            None => quote!(None),
        };
        let min = bound(c.minimum, c.exclusive_minimum);
        let max = bound(c.maximum, c.exclusive_maximum);
        checks.push(quote!(crate::validate::range(path, #as_f64, #min, #max, problems);));
    }
    if let Some(format) = c.format {
        let format = format_ident!("{}", format!("{format:?}"));
        checks.push(quote!(crate::validate::format(path, value, crate::validate::Format::#format, problems);));
    }
    if c.min_items.is_some() || c.max_items.is_some() || c.unique_items {
        let (min, max) = (option_usize(c.min_items), option_usize(c.max_items));
        let unique = c.unique_items;
        checks.push(quote!(crate::validate::items(path, value, #min, #max, #unique, problems);));
    }
    checks
}

/// Whether values of `ty` hold a generated definition, which may have checks of its own.
fn holds_definition(graph: &TypeGraph, ty: &TypeRef) -> bool {
    match graph.resolve_alias(ty) {
        TypeRef::Named(_) => true,
        TypeRef::List(inner) | TypeRef::Map(inner) => holds_definition(graph, inner),
        _ => false,
    }
}

/// For a parameter whose schema has constraints: a closure checking its value (an
/// `Option` when the parameter is optional without a default), for the server's `checked`.
/// How the server checks a parameter beyond reading it.
pub enum ParamCheck {
    /// Its type's own `Validate` is all: one call shared by every parameter of the type.
    Type,
    /// Constraints written on the parameter: a closure given the value, its path and the
    /// problems found.
    Closure(TokenStream),
}

/// `checked` is [`checked_types`] of `graph`, worked out once per crate.
pub fn param_check(graph: &TypeGraph, checked: &[bool], param: &Param) -> Option<ParamCheck> {
    let checks = value_checks(graph, &param.ty, &param.constraints);
    // Enum values the spec does not list, the fields of an object parameter.
    let by_type = holds_definition(graph, &param.ty) && reaches(checked, &param.ty);
    if checks.is_empty() {
        return by_type.then_some(ParamCheck::Type);
    }
    let by_type =
        by_type.then(|| quote!(crate::validate::Validate::validate(value, path, problems);));
    Some(ParamCheck::Closure(if !param.is_option() {
        quote!(|value, path, problems| { #(#checks)* #by_type })
    } else {
        quote!(|value, path, problems| if let Some(value) = value { #(#checks)* #by_type })
    }))
}

fn option_usize(value: Option<usize>) -> TokenStream {
    match value {
        Some(v) => {
            let v = Literal::usize_unsuffixed(v);
            quote!(Some(#v))
        }
        None => quote!(None),
    }
}
