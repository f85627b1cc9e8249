//! A crate's files in the form `include!` takes, for build scripts that generate into
//! `OUT_DIR`: `include!` reads items only, so the crate-level attributes become attributes of
//! each item (the crate docs are dropped: the including crate has its own). The `mod`
//! declarations still find their files beside the included one.
//!
//! A build script's output cannot be a crate of its own, so a vendored runtime becomes
//! modules of the including one: its `lib.rs`'s items join the crate's root, `pub use
//! runtime::validate` becomes its `mod validate` (public), `use runtime::__private::de`
//! becomes `use crate::__private::de`, so the generated code and the runtime find each
//! other at the paths they use between the two crates. The runtime's optional features this
//! API uses (`multipart`, `sse` ...) are decided here, as the crate's manifest turns them on:
//! the including crate declares only the crate's own features. With a shared runtime the
//! `use runtime::..` lines stay, for a `runtime` dependency of the including crate.

use std::collections::BTreeMap;

use quote::ToTokens;

use super::EmitError;
use crate::GeneratedFile;

/// Where a runtime file's unit tests start: each ends its file this way.
const UNIT_TESTS: &str = "\n#[cfg(test)]\nmod tests {";

/// Rewrites `files` for `include!`: the runtime's modules beside `src/lib.rs`, declared in it.
/// Returns the crate's `recursion_limit`, if it has one: only the including crate's root
/// can set it, so the caller tells its author.
pub fn for_include(files: &mut Vec<GeneratedFile>) -> Result<Option<String>, EmitError> {
    let runtime_lib = files
        .iter()
        .position(|f| f.path == "runtime/src/lib.rs")
        .map(|i| files.remove(i));
    let features = runtime_features(files);
    files.retain(|f| f.path != "runtime/Cargo.toml");
    for file in files.iter_mut() {
        if let Some(module) = file.path.strip_prefix("runtime/src/") {
            file.path = format!("src/{module}");
            // The runtime's unit tests are its own, not the including crate's to run.
            if let Some(end) = file.contents.find(UNIT_TESTS) {
                file.contents.truncate(end + 1);
            }
        }
    }
    let Some(lib) = files.iter_mut().find(|f| f.path == "src/lib.rs") else {
        return Ok(None);
    };
    let error = |path: &str| {
        let path = path.to_owned();
        move |e: syn::Error| EmitError {
            file: path.clone(),
            message: e.to_string(),
        }
    };
    // The stamp is the first line, a plain comment that prettyplease would not keep.
    let (stamp, code) = lib.contents.split_once('\n').unwrap_or(("", &lib.contents));
    let mut file = syn::parse_file(code).map_err(error(&lib.path))?;
    if let Some(runtime) = runtime_lib {
        let (_, code) = runtime
            .contents
            .split_once('\n')
            .unwrap_or(("", &runtime.contents));
        let runtime = syn::parse_file(code).map_err(error(&runtime.path))?;
        file.items = as_modules(std::mem::take(&mut file.items), runtime.items, &features);
    }
    let mut recursion_limit = None;
    let inner: Vec<syn::Attribute> = std::mem::take(&mut file.attrs)
        .into_iter()
        .filter(|a| !a.path().is_ident("doc"))
        .filter(|a| {
            let limit = a.path().is_ident("recursion_limit");
            if let (true, syn::Meta::NameValue(value)) = (limit, &a.meta) {
                recursion_limit = Some(value.value.to_token_stream().to_string());
            }
            !limit
        })
        .map(|mut a| {
            a.style = syn::AttrStyle::Outer;
            a
        })
        .collect();
    for item in &mut file.items {
        // The crate's `allow`s are for its docs: nothing to an import but clippy's
        // `useless_attribute`.
        if matches!(item, syn::Item::Use(_)) {
            continue;
        }
        let mut tokens = proc_macro2::TokenStream::new();
        for attr in &inner {
            attr.to_tokens(&mut tokens);
        }
        item.to_tokens(&mut tokens);
        *item = syn::parse2(tokens).map_err(error(&lib.path))?;
    }
    lib.contents = format!("{stamp}\n{}", prettyplease::unparse(&file));
    Ok(recursion_limit)
}

/// The runtime's optional features the crate's manifest turns on (`features = [..]` of its
/// `runtime` dependency).
fn runtime_features(files: &[GeneratedFile]) -> Vec<String> {
    let manifest = files.iter().find(|f| f.path == "Cargo.toml");
    let table: Option<toml::Table> = manifest.and_then(|f| toml::from_str(&f.contents).ok());
    let features = table.as_ref().and_then(|t| {
        t.get("dependencies")?
            .get("runtime")?
            .get("features")?
            .as_array()
    });
    features
        .into_iter()
        .flatten()
        .filter_map(|f| f.as_str().map(str::to_owned))
        .collect()
}

/// The crate's items with the runtime's `lib.rs` items joined to them: a runtime module the
/// crate re-exports is that module, public; an import from inside the runtime is an
/// import from the crate. The runtime's inline modules (`client`, `server`: re-exports for
/// users of the runtime crate) are left out, the crate has its own.
fn as_modules(
    items: Vec<syn::Item>,
    runtime: Vec<syn::Item>,
    features: &[String],
) -> Vec<syn::Item> {
    let top: Vec<String> = runtime
        .iter()
        .filter_map(|item| match item {
            syn::Item::Mod(module) => Some(module.ident.to_string()),
            _ => None,
        })
        .collect();
    let mut public = BTreeMap::new();
    let mut kept: Vec<syn::Item> = Vec::new();
    for item in items {
        let syn::Item::Use(mut import) = item else {
            kept.push(item);
            continue;
        };
        let syn::UseTree::Path(path) = &mut import.tree else {
            kept.push(syn::Item::Use(import));
            continue;
        };
        if path.ident != "runtime" {
            kept.push(syn::Item::Use(import));
            continue;
        }
        let names = imported_names(&path.tree);
        if !names.is_empty() && names.iter().all(|name| top.contains(name)) {
            let is_public = matches!(import.vis, syn::Visibility::Public(_));
            for name in names {
                public.insert(name, is_public);
            }
        } else {
            path.ident = syn::Ident::new("crate", path.ident.span());
            kept.push(syn::Item::Use(import));
        }
    }
    for mut item in runtime {
        match runtime_cfg(&item, features) {
            Some(false) => continue,
            Some(true) => strip_cfg(&mut item),
            None => {}
        }
        match item {
            syn::Item::Mod(module) if module.content.is_some() => {}
            syn::Item::Mod(mut module) => {
                if public.get(&module.ident.to_string()) == Some(&true) {
                    module.vis = syn::parse_quote!(pub);
                } else {
                    module.vis = syn::Visibility::Inherited;
                }
                // What the generated code leaves unused is no warning of the user's; this
                // allows it whatever the features, so the runtime's own `cfg_attr` allowing
                // dead code with some features would repeat it.
                module.attrs.retain(|attr| !is_conditional_allow(attr));
                module
                    .attrs
                    .insert(0, syn::parse_quote!(#[allow(dead_code, unused_imports)]));
                kept.push(syn::Item::Mod(module));
            }
            other => kept.push(other),
        }
    }
    kept
}

/// `#[cfg_attr(.., allow(..))]`.
fn is_conditional_allow(attr: &syn::Attribute) -> bool {
    attr.path().is_ident("cfg_attr")
        && attr
            .meta
            .require_list()
            .is_ok_and(|list| list.tokens.to_string().contains("allow"))
}

/// Whether the item's `#[cfg]` holds, where it names only the runtime's optional features
/// (`feature = "sse"`, `any(feature = "sse", feature = "jsonl")`); `None` for any other
/// `cfg` (`feature = "client"` is the including crate's own) or none.
fn runtime_cfg(item: &syn::Item, features: &[String]) -> Option<bool> {
    let attrs = item_attrs(item)?;
    let cfg = attrs.iter().find(|a| a.path().is_ident("cfg"))?;
    let meta: syn::Meta = cfg.parse_args().ok()?;
    let optional = |meta: &syn::Meta| -> Option<bool> {
        let syn::Meta::NameValue(pair) = meta else {
            return None;
        };
        let syn::Expr::Lit(syn::ExprLit {
            lit: syn::Lit::Str(name),
            ..
        }) = &pair.value
        else {
            return None;
        };
        let name = name.value();
        (pair.path.is_ident("feature") && super::runtime::OPTIONAL.contains(&name.as_str()))
            .then(|| features.contains(&name))
    };
    match &meta {
        syn::Meta::List(list) if list.path.is_ident("any") => {
            let metas = list
                .parse_args_with(
                    syn::punctuated::Punctuated::<syn::Meta, syn::Token![,]>::parse_terminated,
                )
                .ok()?;
            let each: Option<Vec<bool>> = metas.iter().map(optional).collect();
            Some(each?.into_iter().any(|on| on))
        }
        meta => optional(meta),
    }
}

/// The item without its `#[cfg]`, once decided.
fn strip_cfg(item: &mut syn::Item) {
    let attrs = match item {
        syn::Item::Mod(module) => &mut module.attrs,
        syn::Item::Impl(block) => &mut block.attrs,
        _ => return,
    };
    attrs.retain(|a| !a.path().is_ident("cfg"));
}

fn item_attrs(item: &syn::Item) -> Option<&Vec<syn::Attribute>> {
    match item {
        syn::Item::Mod(module) => Some(&module.attrs),
        syn::Item::Impl(block) => Some(&block.attrs),
        _ => None,
    }
}

/// The names a `use` tree below `runtime::` brings in: `validate`, `{de, ser}`.
fn imported_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Name(name) => vec![name.ident.to_string()],
        syn::UseTree::Group(group) => group.items.iter().flat_map(imported_names).collect(),
        _ => Vec::new(),
    }
}
