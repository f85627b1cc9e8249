//! A crate's `src/lib.rs` in the form `include!` takes, for build scripts that generate into
//! `OUT_DIR`: `include!` reads items only, so the crate-level attributes become attributes of
//! each item (the crate docs are dropped: the including crate has its own). The `mod`
//! declarations still find their files beside the included one.

use quote::ToTokens;

use super::EmitError;
use crate::GeneratedFile;

/// Rewrites `src/lib.rs` among `files` for `include!`.
pub fn for_include(files: &mut [GeneratedFile]) -> Result<(), EmitError> {
    let Some(lib) = files.iter_mut().find(|f| f.path == "src/lib.rs") else {
        return Ok(());
    };
    let error = |e: syn::Error| EmitError {
        file: lib.path.clone(),
        message: e.to_string(),
    };
    // The stamp is the first line, a plain comment that prettyplease would not keep.
    let (stamp, code) = lib.contents.split_once('\n').unwrap_or(("", &lib.contents));
    let mut file = syn::parse_file(code).map_err(error)?;
    let inner: Vec<syn::Attribute> = std::mem::take(&mut file.attrs)
        .into_iter()
        .filter(|a| !a.path().is_ident("doc"))
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
        *item = syn::parse2(tokens).map_err(error)?;
    }
    lib.contents = format!("{stamp}\n{}", prettyplease::unparse(&file));
    Ok(())
}
