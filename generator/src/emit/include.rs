//! A crate's files in the form `include!` takes, for build scripts that generate into
//! `OUT_DIR`: `include!` reads items only, so the crate-level attributes become attributes of
//! each item (the crate docs are dropped: the including crate has its own). The `mod`
//! declarations still find their files beside the included one.
//!
//! A build script's output cannot be a crate of its own, so the runtime crate becomes
//! modules of the including one: `use runtime::validate` becomes `mod validate`, at the
//! same path, so the generated code and the runtime find each other as they do between
//! the two crates.

use std::collections::BTreeMap;

use quote::ToTokens;

use super::EmitError;
use crate::GeneratedFile;

/// Rewrites `files` for `include!`: the runtime's modules beside `src/lib.rs`, declared in it.
/// Returns the crate's `recursion_limit`, if it has one: only the including crate's root
/// can set it, so the caller tells its author.
pub fn for_include(files: &mut Vec<GeneratedFile>) -> Result<Option<String>, EmitError> {
    let runtime_lib = files
        .iter()
        .position(|f| f.path == "runtime/src/lib.rs")
        .map(|i| files.remove(i));
    files.retain(|f| f.path != "runtime/Cargo.toml");
    for file in files.iter_mut() {
        if let Some(module) = file.path.strip_prefix("runtime/src/") {
            file.path = format!("src/{module}");
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
        file.items = as_modules(std::mem::take(&mut file.items), runtime.items);
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

/// The crate's items with its imports from the runtime crate replaced by the runtime's
/// modules (public where the crate re-exports them), and the runtime's other items.
fn as_modules(items: Vec<syn::Item>, runtime: Vec<syn::Item>) -> Vec<syn::Item> {
    let mut public = BTreeMap::new();
    let mut kept: Vec<syn::Item> = items
        .into_iter()
        .filter(|item| {
            let syn::Item::Use(import) = item else {
                return true;
            };
            let syn::UseTree::Path(path) = &import.tree else {
                return true;
            };
            if path.ident != "runtime" {
                return true;
            }
            let is_public = matches!(import.vis, syn::Visibility::Public(_));
            for name in imported_names(&path.tree) {
                public.insert(name, is_public);
            }
            false
        })
        .collect();
    for item in runtime {
        match item {
            syn::Item::Mod(mut module) => {
                if public.get(&module.ident.to_string()) == Some(&true) {
                    module.vis = syn::parse_quote!(pub);
                } else {
                    module.vis = syn::Visibility::Inherited;
                }
                // What the generated code leaves unused is no warning of the user's.
                module
                    .attrs
                    .insert(0, syn::parse_quote!(#[allow(dead_code)]));
                kept.push(syn::Item::Mod(module));
            }
            other => kept.push(other),
        }
    }
    kept
}

/// The names a `use` tree below `runtime::` brings in: `validate`, `{de, ser}`.
fn imported_names(tree: &syn::UseTree) -> Vec<String> {
    match tree {
        syn::UseTree::Name(name) => vec![name.ident.to_string()],
        syn::UseTree::Group(group) => group.items.iter().flat_map(imported_names).collect(),
        _ => Vec::new(),
    }
}
