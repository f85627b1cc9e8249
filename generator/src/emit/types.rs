//! The `types` module: one Rust definition per named schema, plus the few serde helpers the
//! definitions need, each emitted once and only when used.

use proc_macro2::{Literal, TokenStream};
use quote::{format_ident, quote};
use serde_json::Value;

use super::constructors::{constructors, Start};
use super::imports::Imports;
use super::modules::{declare, header, TypesModule};
use super::unions::{emit_tagged, emit_untagged};
use super::validate::{emit_validate_impl, emit_validate_root};
use super::{bodies, doc_attrs, gates, ident, print, rust_path, type_tokens, Needs};
use crate::model::{
    Api, EnumVariant, Field, IntRepr, IntVariant, Reach, TypeDef, TypeGraph, TypeKind, TypeRef,
};

/// `types.rs`: its modules (a group's types, `shared`) and what their definitions share:
/// the discriminated unions' helpers, `Base64`, the patterns and rule sets.
pub fn emit_types_root(api: &Api, needs: &Needs, modules: &[TypesModule<'_>]) -> TokenStream {
    // A build of some groups' features may leave the helpers of the others unused.
    let narrowed = gates::allow_when_narrowed(api, quote!(dead_code));
    let tagged = needs.tagged.then(|| {
        quote! {
            #narrowed
            /// Writes a variant of a discriminated enum: the variant's JSON with the
            /// discriminating property set to the variant's tag, whatever a field of the
            /// variant's type says: the variant decides.
            fn serialize_tagged<S: serde::Serializer, T: serde::Serialize>(
                serializer: S,
                property: &str,
                tag: &str,
                value: &T,
            ) -> Result<S::Ok, S::Error> {
                let mut json = serde_json::to_value(value).map_err(serde::ser::Error::custom)?;
                if let serde_json::Value::Object(object) = &mut json {
                    object.insert(property.to_owned(), serde_json::Value::String(tag.to_owned()));
                }
                serde::Serialize::serialize(&json, serializer)
            }

            /// Reads a variant of a discriminated enum from the whole object, discriminating
            /// property included, so a variant type that declares it reads it too.
            #narrowed
            fn deserialize_tagged<T: serde::de::DeserializeOwned, E: serde::de::Error>(
                value: serde_json::Value,
            ) -> Result<T, E> {
                serde_json::from_value(value).map_err(E::custom)
            }
        }
    });
    let base64 = needs.base64.then(|| {
        quote! {
            /// Bytes written as base64 text on the wire (`format: byte`).
            #[derive(Debug, Clone, Default, PartialEq, Eq, Hash, PartialOrd, Ord)]
            pub struct Base64(pub Vec<u8>);

            impl serde::Serialize for Base64 {
                fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                    use base64::Engine as _;
                    serializer.serialize_str(&base64::engine::general_purpose::STANDARD.encode(&self.0))
                }
            }

            impl<'de> serde::Deserialize<'de> for Base64 {
                fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                    use base64::Engine as _;
                    let text = <String as serde::Deserialize>::deserialize(deserializer)?;
                    // Servers differ in padding and alphabet; accept each, write the standard.
                    let engines = [
                        &base64::engine::general_purpose::STANDARD,
                        &base64::engine::general_purpose::STANDARD_NO_PAD,
                        &base64::engine::general_purpose::URL_SAFE,
                        &base64::engine::general_purpose::URL_SAFE_NO_PAD,
                    ];
                    engines
                        .iter()
                        .find_map(|engine| engine.decode(&text).ok())
                        .map(Base64)
                        .ok_or_else(|| serde::de::Error::custom("not base64 text"))
                }
            }
        }
    });
    let declared = declare(modules.iter().map(|m| {
        // `shared`'s items are gated one by one: a build may leave none.
        let gate = match m.group {
            Some(g) => gates::group(api, g),
            None => gates::allow_when_narrowed(api, quote!(unused_imports)),
        };
        (m.name.as_str(), gate)
    }));
    let validate = emit_validate_root(needs, &narrowed);
    quote! {
        //! Types for the schemas of the spec, named after their components or, for inline
        //! schemas, after where they sit; each in the module of the group of operations that
        //! uses it, or in `shared`, and all of them here.
        // Variant names come from the spec's values, which often share a prefix, and one
        // alternative of a oneOf may be much larger than another: both are the spec's shape.
        #![allow(clippy::enum_variant_names, clippy::large_enum_variant)]
        #declared
        #tagged
        #base64
        #validate
    }
}

/// `types/<module>.rs` of a module in parts: their declarations. A part of `shared` is
/// gated by what its types are gated by together (a group's module is gated whole), so a
/// build of some groups does not read the parts it needs none of (GitHub's components no
/// operation uses, 3.5 MB of its 5.6 MB of shared types).
pub fn emit_types_parts(api: &Api, module: &TypesModule<'_>) -> TokenStream {
    let docs = header(&module.docs);
    let declared = declare(module.parts.iter().map(|part| {
        let gate = match module.group {
            Some(_) => TokenStream::new(),
            None => gates::reach(api, &part_reach(api, part)),
        };
        (part.name.as_str(), gate)
    }));
    quote! {
        #docs
        #declared
    }
}

/// What reaches any type or enum of media types in `part`.
fn part_reach(api: &Api, part: &TypesModule<'_>) -> Reach {
    let enums = part.enums.iter().filter_map(|p| {
        p.enum_name
            .as_ref()
            .and_then(|name| api.enum_reach.get(name))
    });
    let mut reach = Reach::default();
    for one in part.defs.iter().map(|id| &api.type_reach[*id]).chain(enums) {
        reach.events |= one.events;
        reach.groups.extend(&one.groups);
    }
    reach
}

/// `types/<module>.rs`, written to `out` a definition at a time, so the tokens of one are
/// held at once, not the file's (GitHub's spec: 600,000 tokens). Returns its imports.
pub fn emit_types_module(
    api: &Api,
    needs: &Needs,
    checked: &[bool],
    module: &TypesModule<'_>,
    out: &mut dyn FnMut(TokenStream),
) -> TokenStream {
    let graph = &api.types;
    let local = module
        .defs
        .iter()
        .map(|id| graph.defs[*id].name.as_str())
        .chain(module.enums.iter().filter_map(|p| p.enum_name.as_deref()));
    let mut imports = Imports::new(local, &api.trait_name);
    // `shared`'s items are gated one by one, and a `use` line at the top of the file would
    // name some that a build leaves out: with features, its items keep their full paths.
    // A part of one reach is compiled only with types it names (they are reached by the same
    // groups or more), so its `use` lines name only what the build has.
    let rewrite = module.group.is_some() || module.one_reach || !gates::has_features(api);
    let mut rewrite = |tokens| match rewrite {
        true => imports.rewrite(tokens),
        false => tokens,
    };
    out(header(&module.docs));
    for id in &module.defs {
        let def = &graph.defs[*id];
        let mut tokens = emit_def(graph, def, &extra_derives(api, def));
        tokens.extend(emit_validate_impl(graph, checked, &needs.patterns, *id));
        let gate = match module.group.is_none() && !module.one_reach {
            true => gates::reach(api, &api.type_reach[*id]),
            false => TokenStream::new(),
        };
        out(gated_items(rewrite(tokens), &gate));
    }
    for payload in &module.enums {
        let gate = payload
            .enum_name
            .as_ref()
            .and_then(|name| api.enum_reach.get(name))
            .filter(|_| module.group.is_none())
            .map(|reach| gates::reach(api, reach))
            .unwrap_or_default();
        let tokens = rewrite(bodies::emit_payload_enum(api, payload));
        out(gated_items(tokens, &gate));
    }
    imports.uses()
}

/// Each item of `tokens` behind `gate`. A type of a group's module has no gate of its own
/// (the module has), nor one any group reaches: only `shared`'s are gated one by one. The
/// items are cut on their tokens (each starts with an attribute or a keyword), not parsed:
/// the printer parses them, and a parse here besides cost a tenth of GitHub's codegen.
fn gated_items(tokens: TokenStream, gate: &TokenStream) -> TokenStream {
    if gate.is_empty() {
        return tokens;
    }
    let mut gated = TokenStream::new();
    for item in print::items(tokens) {
        gated.extend(gate.clone());
        gated.extend(item);
    }
    gated
}

/// The derives the settings add to a definition (an alias or multipart struct takes none).
fn extra_derives(api: &Api, def: &TypeDef) -> TokenStream {
    if matches!(def.kind, TypeKind::Alias(_) | TypeKind::Multipart(_))
        || api.types.is_multipart_forms(&def.kind)
    {
        return TokenStream::new();
    }
    let paths = api
        .customization
        .derives
        .iter()
        .filter(|(name, _)| name == "*" || *name == def.name)
        .flat_map(|(_, derives)| derives)
        .map(|path| rust_path(path))
        .collect::<Vec<_>>();
    if paths.is_empty() {
        return TokenStream::new();
    }
    quote!(#[derive(#(#paths),*)])
}

fn emit_def(graph: &TypeGraph, def: &TypeDef, extra_derives: &TokenStream) -> TokenStream {
    let name = ident(&def.name);
    let docs = doc_attrs(&def.docs);
    let docs = quote!(#docs #extra_derives);
    match &def.kind {
        TypeKind::Struct(fields) => emit_struct(graph, &name, &docs, fields),
        TypeKind::Enum(variants) => emit_enum(&name, &docs, variants),
        TypeKind::IntEnum(variants) => emit_int_enum(&name, &docs, variants),
        TypeKind::Tagged { property, variants } => {
            emit_tagged(graph, &name, &docs, property, variants)
        }
        TypeKind::Multipart(fields) => bodies::emit_multipart(graph, &name, &def.docs, fields),
        TypeKind::Untagged(variants) if graph.is_multipart_forms(&def.kind) => {
            bodies::emit_multipart_forms(graph, &name, &def.docs, variants)
        }
        TypeKind::Untagged(variants) => emit_untagged(graph, &name, &docs, variants),
        TypeKind::Alias(ty) => {
            let ty = type_tokens(graph, ty);
            quote! {
                #docs
                pub type #name = #ty;
            }
        }
        TypeKind::Newtype(ty) => {
            let ty = type_tokens(graph, ty);
            quote! {
                #docs
                #[derive(Debug, Clone, PartialEq, serde::Serialize, serde::Deserialize)]
                #[serde(transparent)]
                pub struct #name(pub #ty);
            }
        }
    }
}

fn emit_struct(
    graph: &TypeGraph,
    name: &syn::Ident,
    docs: &TokenStream,
    fields: &[Field],
) -> TokenStream {
    // A struct with a flattened field keeps serde's derive, which writes it as a map.
    let derived = fields.iter().any(|f| f.flatten);
    let (emitted, starts): (Vec<TokenStream>, Vec<(syn::Ident, TokenStream, Start)>) = fields
        .iter()
        .map(|f| {
            let (tokens, ty) = emit_field(graph, f, derived);
            let start = match representation(f) {
                _ if f.flatten => Start::Empty,
                _ if f.required => Start::Required,
                Representation::Value => {
                    let function = format_ident!("default_{}", f.name.trim_end_matches('_'));
                    Start::Value(quote!(Self::#function()))
                }
                Representation::Option | Representation::DoubleOption => Start::None,
            };
            (tokens, (ident(&f.name), ty, start))
        })
        .unzip();
    let defaults: Vec<TokenStream> = fields
        .iter()
        .filter_map(|f| {
            // A required field is always on the wire; only an optional one uses its default.
            if f.required || f.flatten {
                return None;
            }
            let value = f.default.as_ref()?;
            let function = format_ident!("default_{}", f.name.trim_end_matches('_'));
            let ty = field_base_type(graph, f);
            let literal = default_literal(graph, &f.ty, value)?;
            Some(quote! {
                fn #function() -> #ty {
                    #literal
                }
            })
        })
        .collect();
    let defaults = (!defaults.is_empty()).then(|| {
        quote! {
            /// The spec's defaults, used for absent fields.
            impl #name {
                #(#defaults)*
            }
        }
    });
    let (derive_default, constructors) = constructors(name, &starts);
    let derive_default = derive_default.then(|| quote!(Default,));
    let types = starts.iter().map(|(_, ty, _)| ty);
    let deserialize = emit_deserialize(graph, name, fields, types);
    let (derive_serialize, serialize) = if derived {
        (Some(quote!(serde::Serialize)), None)
    } else {
        (None, Some(emit_serialize(name, fields)))
    };
    quote! {
        #docs
        #[derive(Debug, Clone, PartialEq, #derive_default #derive_serialize)]
        pub struct #name {
            #(#emitted,)*
        }
        #serialize
        #deserialize
        #defaults
        #constructors
    }
}

/// `Deserialize` for a struct: one call to `crate::de::object`, and the struct's
/// `crate::de::Object` naming its slots (in tuples, see the runtime's `de::Fields`) and
/// making the struct of the values, so the reading itself is checked once per crate, not
/// once per struct, and what is per struct is checked outside a function generic over the
/// deserializer. Unknown keys are skipped,
/// or kept in the flattened map of `additionalProperties`. What serde's derive would do for
/// these fields (an absent `Option` is `None`, an absent field with a default takes it, null
/// in an optional nullable field is `Some(None)`), in a few lines per struct; and a null in
/// an optional field the schema does not let be null is refused when the server reads
/// (`crate::de::NotNull`), except in a field only some alternatives of a merged union
/// declare (`crate::de::Loose`).
fn emit_deserialize<'a>(
    graph: &TypeGraph,
    name: &syn::Ident,
    fields: &[Field],
    types: impl Iterator<Item = &'a TokenStream>,
) -> TokenStream {
    let mut slots = Vec::new();
    let mut patterns = Vec::new();
    let mut value_types = Vec::new();
    let mut names = Vec::new();
    let mut values = Vec::new();
    let mut rest = (quote!(()), quote!(_));
    for (field, ty) in fields.iter().zip(types) {
        // Each slot is bound to its field's name, so a value is read into the field it fills.
        let value = ident(&field.name);
        if field.flatten {
            rest = (ty.clone(), quote!(#value));
            values.push(quote!(#value));
            continue;
        }
        let optional = if field.loose {
            quote!(Loose)
        } else {
            quote!(Optional)
        };
        let (slot, value_type, filled) = match representation(field) {
            Representation::Value if field.required => {
                (quote!(Required<#ty>), ty.clone(), quote!(#value))
            }
            Representation::Value => {
                let function = format_ident!("default_{}", field.name.trim_end_matches('_'));
                let filled = quote!(#value: #value.unwrap_or_else(Self::#function));
                (quote!(#optional<#ty>), quote!(Option<#ty>), filled)
            }
            Representation::Option => {
                let base = field_base_type(graph, field);
                let slot = if field.loose {
                    quote!(Loose<#base>)
                } else if refuses_null(graph, field) {
                    quote!(NotNull<#base>)
                } else {
                    quote!(OrNull<#base>)
                };
                (slot, quote!(Option<#base>), quote!(#value))
            }
            Representation::DoubleOption => {
                let base = field_base_type(graph, field);
                let slot = quote!(#optional<Option<#base>>);
                (slot, quote!(Option<Option<#base>>), quote!(#value))
            }
        };
        slots.push(quote!(crate::de::#slot));
        patterns.push(quote!(#value));
        value_types.push(value_type);
        names.push(&field.api_name);
        values.push(filled);
    }
    let (slots, value_types) = (tupled(&slots), tupled(&value_types));
    let pattern = if patterns.is_empty() {
        quote!(_)
    } else {
        tupled(&patterns)
    };
    let (rest_type, rest_pattern) = rest;
    let expecting = format!("an object ({name})");
    quote! {
        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                crate::de::object(deserializer, #expecting, &[#(#names),*])
            }
        }

        impl crate::de::Object for #name {
            type Fields = #slots;
            type Rest = #rest_type;

            fn build(#pattern: #value_types, #rest_pattern: #rest_type) -> Self {
                Self { #(#values,)* }
            }
        }
    }
}

/// A struct's fields as the tuples `crate::de::Fields` and `crate::ser::Fields` take (a
/// slot type, a value, a pattern per field), in the fields' order: up to six in one tuple
/// (the most those take: each size is an impl for the compiler to check), a tuple of such
/// tuples beyond; `()` for none.
fn tupled(leaves: &[TokenStream]) -> TokenStream {
    const MOST: usize = 6;
    match leaves {
        [] => quote!(()),
        [leaf] => leaf.clone(),
        _ => {
            let mut size = 1;
            while size * MOST < leaves.len() {
                size *= MOST;
            }
            let parts = leaves.chunks(size).map(tupled);
            quote!((#(#parts,)*))
        }
    }
}

fn field_base_type(graph: &TypeGraph, field: &Field) -> TokenStream {
    let ty = type_tokens(graph, &field.ty);
    if field.boxed {
        quote!(Box<#ty>)
    } else {
        ty
    }
}

/// How a field holds its value.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Representation {
    /// `T`: required, filled by a default, or the flattened map.
    Value,
    /// `Option<T>`.
    Option,
    /// `Option<Option<T>>`: optional and nullable.
    DoubleOption,
}

/// An optional field the spec does not let be null (a client reads a null as absent; the
/// server refuses it, see `crate::de::optional`). Any JSON value may be null, so a field
/// of any type never refuses it.
pub(super) fn refuses_null(graph: &TypeGraph, field: &Field) -> bool {
    !field.required
        && !field.nullable
        && representation(field) == Representation::Option
        && *graph.resolve_alias(&field.ty) != TypeRef::Any
}

pub(super) fn representation(field: &Field) -> Representation {
    if field.flatten || (field.required && !field.nullable) || field.default.is_some() {
        Representation::Value
    } else if !field.required && field.nullable {
        Representation::DoubleOption
    } else {
        Representation::Option
    }
}

/// Whether a field is left out of the JSON written when it is `None` (an optional field),
/// rather than written (a required field, null when nullable): the one rule for the written
/// `Serialize` and for serde's derive.
fn left_out_when_none(field: &Field) -> bool {
    match representation(field) {
        Representation::Option => !field.required,
        Representation::DoubleOption => true,
        Representation::Value => false,
    }
}

/// A struct's `Serialize`, written out: one call to `crate::ser::object` with the keys and
/// a tuple of references to the fields, an optional field (`Option<T>` or
/// `Option<Option<T>>`) in a `crate::ser::Optional`, left out when `None`.
fn emit_serialize(name: &syn::Ident, fields: &[Field]) -> TokenStream {
    let values: Vec<TokenStream> = fields
        .iter()
        .map(|f| {
            let field = ident(&f.name);
            if left_out_when_none(f) {
                quote!(crate::ser::Optional(&self.#field))
            } else {
                quote!(&self.#field)
            }
        })
        .collect();
    let values = tupled(&values);
    let names = fields.iter().map(|f| &f.api_name);
    let title = name.to_string();
    quote! {
        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                crate::ser::object(serializer, #title, &[#(#names),*], #values)
            }
        }
    }
}

/// Required: `T`. Optional: `Option<T>`, left out when `None`, or `T` filled by the spec's
/// default. Required and nullable: `Option<T>`, always written. Optional and nullable:
/// `Option<Option<T>>`, so absent (`None`) and null (`Some(None)`) stay apart, as PATCH
/// bodies need.
/// `derived`: the struct derives `Serialize`, which reads the field's `#[serde]` attributes.
fn emit_field(graph: &TypeGraph, field: &Field, derived: bool) -> (TokenStream, TokenStream) {
    let name = ident(&field.name);
    let mut docs = doc_attrs(&field.docs);
    let base = field_base_type(graph, field);
    let mut serde = Vec::new();
    if !field.flatten && field.name != field.api_name {
        let wire = &field.api_name;
        serde.push(quote!(rename = #wire));
    }
    // Serialize only: `Deserialize` is written out (see `emit_deserialize`).
    let ty = match representation(field) {
        _ if field.flatten => {
            serde.push(quote!(flatten));
            base
        }
        Representation::Value => base,
        Representation::Option => quote!(Option<#base>),
        Representation::DoubleOption => {
            let note = " `None`: absent; `Some(None)`: null.";
            if !docs.is_empty() {
                docs.extend(quote!(#[doc = ""]));
            }
            docs.extend(quote!(#[doc = #note]));
            quote!(Option<Option<#base>>)
        }
    };
    if left_out_when_none(field) {
        serde.push(quote!(skip_serializing_if = "Option::is_none"));
    }
    let serde = (derived && !serde.is_empty()).then(|| quote!(#[serde(#(#serde),*)]));
    let tokens = quote! {
        #docs
        #serde
        pub #name: #ty
    };
    (tokens, ty)
}

/// Whether a default from [`default_literal`] is what the type's own `Default` gives
/// (`false`, `0`, `""`, `[]`), so a struct of such defaults can derive `Default`.
pub(super) fn is_zero_default(graph: &TypeGraph, ty: &TypeRef, value: &Value) -> bool {
    match (graph.resolve_alias(ty), value) {
        (TypeRef::Bool, Value::Bool(b)) => !b,
        (
            TypeRef::I32 | TypeRef::I64 | TypeRef::U32 | TypeRef::U64 | TypeRef::F32 | TypeRef::F64,
            Value::Number(n),
        ) => n.as_f64() == Some(0.0),
        (TypeRef::String, Value::String(s)) => s.is_empty(),
        (TypeRef::List(_), Value::Array(items)) => items.is_empty(),
        _ => false,
    }
}

/// Whether a default from [`default_literal`] calls nothing (a number, a boolean, a unit
/// variant), so it is taken as is rather than made in a closure.
pub(super) fn is_constant(literal: &TokenStream) -> bool {
    let text = literal.to_string();
    !text.contains('(') && !text.contains('!')
}

/// A default as a Rust expression; `None` for values lowering did not accept.
pub(super) fn default_literal(
    graph: &TypeGraph,
    ty: &TypeRef,
    value: &Value,
) -> Option<TokenStream> {
    Some(match (graph.resolve_alias(ty), value) {
        (TypeRef::String, Value::String(s)) => quote!(#s.to_owned()),
        (TypeRef::Bool, Value::Bool(b)) => quote!(#b),
        (TypeRef::I32 | TypeRef::I64, Value::Number(n)) => {
            let literal = Literal::i64_unsuffixed(n.as_i64()?);
            quote!(#literal)
        }
        (TypeRef::U32 | TypeRef::U64, Value::Number(n)) => {
            let literal = Literal::u64_unsuffixed(n.as_u64()?);
            quote!(#literal)
        }
        (TypeRef::F32 | TypeRef::F64, Value::Number(n)) => {
            let literal = Literal::f64_unsuffixed(n.as_f64()?);
            quote!(#literal)
        }
        (TypeRef::List(item), Value::Array(items)) => {
            let items = items
                .iter()
                .map(|v| default_literal(graph, item, v))
                .collect::<Option<Vec<_>>>()?;
            quote!(vec![#(#items),*])
        }
        (TypeRef::Map(_), Value::Object(_)) => quote!(std::collections::BTreeMap::new()),
        (TypeRef::Named(id), value) => {
            let def = graph.get(*id);
            let enum_name = ident(&def.name);
            match (&def.kind, value) {
                (TypeKind::Enum(variants), Value::String(s)) => {
                    match variants.iter().find(|v| v.value == *s) {
                        Some(v) => {
                            let variant = ident(&v.name);
                            quote!(crate::types::#enum_name::#variant)
                        }
                        None => quote!(crate::types::#enum_name::Other(#s.to_owned())),
                    }
                }
                (TypeKind::IntEnum(variants), Value::Number(n)) => {
                    let literal = Literal::i128_unsuffixed(IntRepr::of_variants(variants).read(n)?);
                    quote!(crate::types::#enum_name::from(#literal))
                }
                _ => return None,
            }
        }
        _ => return None,
    })
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

            fn from_str(value: &str) -> Result<Self, std::convert::Infallible> {
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
                let value = <String as serde::Deserialize>::deserialize(deserializer)?;
                Ok(match value.parse() {
                    Ok(parsed) => parsed,
                    Err(never) => match never {},
                })
            }
        }
    }
}

/// An integer enum, like a string enum, keeps values it does not know in `Other`.
fn emit_int_enum(name: &syn::Ident, docs: &TokenStream, variants: &[IntVariant]) -> TokenStream {
    let idents: Vec<_> = variants.iter().map(|v| ident(&v.name)).collect();
    let values: Vec<_> = variants
        .iter()
        .map(|v| Literal::i128_unsuffixed(v.value))
        .collect();
    let variant_docs = variants.iter().map(|v| format!(" `{}`", v.value));
    let repr = IntRepr::of_variants(variants);
    let int = format_ident!("{}", repr.as_str());
    let serialize = format_ident!("serialize_{}", repr.as_str());
    quote! {
        #docs
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
        pub enum #name {
            #(#[doc = #variant_docs] #idents,)*
            /// A value the spec does not list.
            Other(#int),
        }

        impl #name {
            /// The value as it is written on the wire.
            pub fn value(self) -> #int {
                match self {
                    #(Self::#idents => #values,)*
                    Self::Other(value) => value,
                }
            }
        }

        impl From<#int> for #name {
            fn from(value: #int) -> Self {
                match value {
                    #(#values => Self::#idents,)*
                    other => Self::Other(other),
                }
            }
        }

        impl std::fmt::Display for #name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                self.value().fmt(f)
            }
        }

        impl std::str::FromStr for #name {
            type Err = std::num::ParseIntError;

            fn from_str(value: &str) -> Result<Self, std::num::ParseIntError> {
                value.parse::<#int>().map(Self::from)
            }
        }

        impl serde::Serialize for #name {
            fn serialize<S: serde::Serializer>(&self, serializer: S) -> Result<S::Ok, S::Error> {
                serializer.#serialize(self.value())
            }
        }

        impl<'de> serde::Deserialize<'de> for #name {
            fn deserialize<D: serde::Deserializer<'de>>(deserializer: D) -> Result<Self, D::Error> {
                <#int as serde::Deserialize>::deserialize(deserializer).map(Self::from)
            }
        }
    }
}
