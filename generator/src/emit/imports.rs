//! Imports instead of `crate::` paths: the emitters spell every generated type by its full
//! path (`crate::types::Pet`, `crate::de::Required`), which is right anywhere; a file of a
//! group is rewritten, an item at a time as it is printed, to name them bare
//! (`Pet`, `de::Required`) under `use crate::types::{Pet, ...};` and `use crate::{de, ser};`
//! at its top. A name stays spelled in full where it could mean something else in the file:
//! one the generated code uses unqualified ([`BARE_NAMES`]), a one-letter name (generic
//! parameters), or the server trait's name.

use std::collections::{BTreeMap, BTreeSet, HashSet};

use proc_macro2::{Group, Ident, Spacing, TokenStream, TokenTree};
use quote::{format_ident, quote};

use super::print::Trees;

/// The modules of generated items, whose items are imported by name.
const ITEM_MODULES: &[&str] = &["types", "requests", "responses"];

/// The runtime's modules, imported whole (`de::Required`, `validate::Validate`): several
/// have items of one name (`de::Optional`, `ser::Optional`).
const RUNTIME_MODULES: &[&str] = &[
    "de",
    "ser",
    "validate",
    "multipart",
    "binary",
    "sse",
    "jsonl",
];

/// What the generated files use unqualified besides the prelude (which no type takes, see
/// `lower::PRELUDE`): the client's and the server's own names and those they import from
/// the runtime, axum and std. A type of one of these names is spelled in full.
const BARE_NAMES: &[&str] = &[
    "Arc",
    "Candidate",
    "Core",
    "Debug",
    "Endpoint",
    "Erased",
    "Found",
    "Future",
    "Hash",
    "Incoming",
    "IntoResponse",
    "Keys",
    "Pending",
    "Reply",
    "Request",
    "Response",
    "Router",
    "Scheme",
    "Segment",
    "State",
    "Style",
];

/// The imports of one file, gathered while its items are rewritten.
pub(super) struct Imports {
    /// Names defined in the file itself: written bare, imported from nowhere.
    local: HashSet<String>,
    /// Names the file spells bare for something else.
    taken: HashSet<String>,
    /// Item modules the file imports with a glob (`use crate::requests::*;`): their names
    /// are written bare without a `use` of their own.
    globbed: Vec<&'static str>,
    /// The items imported, by module.
    items: BTreeMap<&'static str, BTreeSet<String>>,
    /// The runtime modules imported.
    modules: BTreeSet<&'static str>,
}

impl Imports {
    /// Imports for a file defining `local`, in a crate whose server trait is `trait_name`.
    pub fn new<'n>(local: impl IntoIterator<Item = &'n str>, trait_name: &str) -> Self {
        let mut taken: HashSet<String> = BARE_NAMES.iter().map(|s| (*s).to_owned()).collect();
        taken.insert(trait_name.to_owned());
        Imports {
            local: local.into_iter().map(str::to_owned).collect(),
            taken,
            globbed: Vec::new(),
            items: BTreeMap::new(),
            modules: BTreeSet::new(),
        }
    }

    /// Imports for a file that imports `modules` with globs of its own
    /// (`use crate::requests::*;`): only their items are written bare, and need no `use`.
    pub fn globbed(local: &[&str], trait_name: &str, modules: &[&'static str]) -> Self {
        let mut imports = Imports::new(local.iter().copied(), trait_name);
        imports.globbed = modules.to_vec();
        imports
    }

    /// The `use` declarations for what [`Imports::rewrite`] made bare, sorted: the crate's
    /// modules, then each module's items.
    pub fn uses(&self) -> TokenStream {
        let modules = self.modules.iter().map(|m| format_ident!("{m}"));
        let modules = match self.modules.len() {
            0 => quote!(),
            1 => quote!(use crate::#(#modules)*;),
            _ => quote!(use crate::{#(#modules),*};),
        };
        let items = self.items.iter().map(|(module, names)| {
            let module = format_ident!("{module}");
            let names: Vec<Ident> = names.iter().map(|n| format_ident!("{n}")).collect();
            match names.as_slice() {
                [one] => quote!(use crate::#module::#one;),
                _ => quote!(use crate::#module::{#(#names),*};),
            }
        });
        quote!(#modules #(#items)*)
    }

    /// `tokens` with each `crate::<module>::<Name>` that can be named bare in the file
    /// written bare, and its import noted. `use` declarations are left as they are.
    ///
    /// Each tree is moved, not copied, into a stream built as it goes (one allocation a
    /// group): every file of a group goes through here whole.
    pub fn rewrite(&mut self, tokens: TokenStream) -> TokenStream {
        let mut trees = Trees::new(tokens);
        let mut out = TokenStream::new();
        // The last two trees written, as far as a path before `crate` goes (`::crate` or
        // `$crate` is another path; `x: crate::..` is not).
        let mut before: [Option<(char, Spacing)>; 2] = [None, None];
        let mut in_use = false;
        while let Some(tree) = trees.next() {
            let tree = match tree {
                TokenTree::Ident(ident) if ident == "use" => {
                    in_use = true;
                    TokenTree::Ident(ident)
                }
                TokenTree::Punct(p) if p.as_char() == ';' => {
                    in_use = false;
                    TokenTree::Punct(p)
                }
                TokenTree::Group(group) if !in_use => {
                    let (delimiter, span, stream) =
                        (group.delimiter(), group.span(), group.stream());
                    // Dropped first, so the stream is the only holder of its trees and gives
                    // them up without copying them.
                    drop(group);
                    let mut rebuilt = Group::new(delimiter, self.rewrite(stream));
                    rebuilt.set_span(span);
                    TokenTree::Group(rebuilt)
                }
                TokenTree::Ident(ident)
                    if !in_use
                        && ident == "crate"
                        && !matches!(before, [Some((':', Spacing::Joint)), Some((':', _))])
                        && !matches!(before[1], Some(('$', _))) =>
                {
                    match self.shortened(&mut trees) {
                        Some(bare) => TokenTree::Ident(bare),
                        None => TokenTree::Ident(ident),
                    }
                }
                tree => tree,
            };
            before = [
                before[1],
                match &tree {
                    TokenTree::Punct(p) => Some((p.as_char(), p.spacing())),
                    _ => None,
                },
            ];
            out.extend([tree]);
        }
        out
    }

    /// The bare form of the path whose `crate` was just read, the trees it replaces taken
    /// out of `trees`; `None` (nothing taken) where it stays as it is.
    fn shortened(&mut self, trees: &mut Trees) -> Option<Ident> {
        let module = segment_after(trees, 0)?;
        if !self.globbed.is_empty() && !self.globbed.iter().any(|m| module == *m) {
            return None;
        }
        if let Some(module) = RUNTIME_MODULES.iter().find(|m| module == **m) {
            if self.local.contains(*module) {
                return None;
            }
            self.modules.insert(module);
            return take_ident(trees, 3);
        }
        let module = ITEM_MODULES.iter().find(|m| module == **m)?;
        let name = segment_after(trees, 3)?.to_string();
        // A generic parameter (`D`) or a name the file uses bare shadows even its own items.
        if self.taken.contains(&name) || name.chars().count() == 1 {
            return None;
        }
        if !self.local.contains(&name) && !self.globbed.contains(module) {
            self.items.entry(module).or_default().insert(name);
        }
        take_ident(trees, 6)
    }
}

/// The identifier after the `::` at `trees[at..at + 2]` ahead.
fn segment_after(trees: &mut Trees, at: usize) -> Option<&Ident> {
    match trees.ahead(at + 3).get(at..)? {
        [TokenTree::Punct(a), TokenTree::Punct(b), TokenTree::Ident(name)]
            if a.as_char() == ':' && a.spacing() == Spacing::Joint && b.as_char() == ':' =>
        {
            Some(name)
        }
        _ => None,
    }
}

/// The `n`th tree ahead, an identifier, with those before it taken out of `trees`.
fn take_ident(trees: &mut Trees, n: usize) -> Option<Ident> {
    match trees.nth(n - 1) {
        Some(TokenTree::Ident(ident)) => Some(ident),
        _ => None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_become_imports_unless_the_name_is_taken_or_local() {
        let mut imports = Imports::new(["Pet"], "PetStore");
        let code = quote! {
            pub struct Pets(pub Vec<crate::types::Pet>, crate::types::Owner, crate::types::Request);
            impl crate::validate::Validate for Pets {}
            fn f<D>(x: crate::de::Required<crate::types::D>) -> crate::types::Owner::Kind { x }
            use crate::types::Owner;
            const _: &str = "crate::types::Owner";
            m!($crate::types::Owner, a::crate::types::Owner, [crate::types::Owner]);
        };
        let rewritten = imports.rewrite(code).to_string();
        assert_eq!(
            rewritten,
            quote! {
                pub struct Pets(pub Vec<Pet>, Owner, crate::types::Request);
                impl validate::Validate for Pets {}
                fn f<D>(x: de::Required<crate::types::D>) -> Owner::Kind { x }
                use crate::types::Owner;
                const _: &str = "crate::types::Owner";
                m!($crate::types::Owner, a::crate::types::Owner, [Owner]);
            }
            .to_string()
        );
        assert_eq!(
            imports.uses().to_string(),
            quote!(
                use crate::{de, validate};
                use crate::types::Owner;
            )
            .to_string()
        );
    }
}
