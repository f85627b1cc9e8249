//! The runtime of a generated crate: the `use` lines of its `lib.rs` that bring the
//! runtime's modules in, and, for a vendored runtime, the runtime crate's files copied in
//! verbatim under `runtime/` with a manifest naming the package `<crate>-runtime`.
//!
//! The runtime is the crate `generator/runtime/` (package [`PACKAGE`]). A shared runtime is
//! that crate itself, by path or version (`emit/cargo.rs` writes the dependency); a vendored
//! one is a copy of its files, so the generated crate stands alone.

use proc_macro2::TokenStream;
use quote::{format_ident, quote};

use super::Needs;
use crate::GeneratedFile;

/// The runtime crate's package name, which a shared runtime is depended on by.
pub const PACKAGE: &str = "openapi-gen-runtime";

/// The runtime crate's manifest: a vendored copy's is its own `[package]` and this from
/// `[features]` to `[dev-dependencies]`.
const MANIFEST: &str = include_str!("../../runtime/Cargo.toml");

/// The runtime crate's source files, by their path in it, copied verbatim into a vendored
/// runtime; a unit test checks that this is every file of `generator/runtime/src/`.
const FILES: &[(&str, &str)] = &[
    (
        "src/__private.rs",
        include_str!("../../runtime/src/__private.rs"),
    ),
    (
        "src/__private/client_support.rs",
        include_str!("../../runtime/src/__private/client_support.rs"),
    ),
    (
        "src/__private/client_support/config.rs",
        include_str!("../../runtime/src/__private/client_support/config.rs"),
    ),
    (
        "src/__private/client_support/device.rs",
        include_str!("../../runtime/src/__private/client_support/device.rs"),
    ),
    (
        "src/__private/client_support/error.rs",
        include_str!("../../runtime/src/__private/client_support/error.rs"),
    ),
    (
        "src/__private/client_support/oauth.rs",
        include_str!("../../runtime/src/__private/client_support/oauth.rs"),
    ),
    (
        "src/__private/client_support/operation.rs",
        include_str!("../../runtime/src/__private/client_support/operation.rs"),
    ),
    (
        "src/__private/client_support/pages.rs",
        include_str!("../../runtime/src/__private/client_support/pages.rs"),
    ),
    (
        "src/__private/client_support/path.rs",
        include_str!("../../runtime/src/__private/client_support/path.rs"),
    ),
    (
        "src/__private/client_support/reply.rs",
        include_str!("../../runtime/src/__private/client_support/reply.rs"),
    ),
    (
        "src/__private/client_support/request.rs",
        include_str!("../../runtime/src/__private/client_support/request.rs"),
    ),
    (
        "src/__private/client_support/retry.rs",
        include_str!("../../runtime/src/__private/client_support/retry.rs"),
    ),
    (
        "src/__private/client_support/send.rs",
        include_str!("../../runtime/src/__private/client_support/send.rs"),
    ),
    (
        "src/__private/client_support/token.rs",
        include_str!("../../runtime/src/__private/client_support/token.rs"),
    ),
    (
        "src/__private/de.rs",
        include_str!("../../runtime/src/__private/de.rs"),
    ),
    (
        "src/__private/ser.rs",
        include_str!("../../runtime/src/__private/ser.rs"),
    ),
    (
        "src/__private/server_support.rs",
        include_str!("../../runtime/src/__private/server_support.rs"),
    ),
    (
        "src/__private/server_support/auth.rs",
        include_str!("../../runtime/src/__private/server_support/auth.rs"),
    ),
    (
        "src/__private/server_support/body.rs",
        include_str!("../../runtime/src/__private/server_support/body.rs"),
    ),
    (
        "src/__private/server_support/found.rs",
        include_str!("../../runtime/src/__private/server_support/found.rs"),
    ),
    (
        "src/__private/server_support/incoming.rs",
        include_str!("../../runtime/src/__private/server_support/incoming.rs"),
    ),
    (
        "src/__private/server_support/params.rs",
        include_str!("../../runtime/src/__private/server_support/params.rs"),
    ),
    (
        "src/__private/server_support/reply.rs",
        include_str!("../../runtime/src/__private/server_support/reply.rs"),
    ),
    (
        "src/__private/server_support/serve.rs",
        include_str!("../../runtime/src/__private/server_support/serve.rs"),
    ),
    ("src/binary.rs", include_str!("../../runtime/src/binary.rs")),
    ("src/budget.rs", include_str!("../../runtime/src/budget.rs")),
    ("src/jsonl.rs", include_str!("../../runtime/src/jsonl.rs")),
    ("src/lib.rs", include_str!("../../runtime/src/lib.rs")),
    ("src/media.rs", include_str!("../../runtime/src/media.rs")),
    (
        "src/multipart.rs",
        include_str!("../../runtime/src/multipart.rs"),
    ),
    (
        "src/platform.rs",
        include_str!("../../runtime/src/platform.rs"),
    ),
    (
        "src/problem.rs",
        include_str!("../../runtime/src/problem.rs"),
    ),
    (
        "src/redirect.rs",
        include_str!("../../runtime/src/redirect.rs"),
    ),
    ("src/routes.rs", include_str!("../../runtime/src/routes.rs")),
    ("src/sse.rs", include_str!("../../runtime/src/sse.rs")),
    ("src/stream.rs", include_str!("../../runtime/src/stream.rs")),
    ("src/style.rs", include_str!("../../runtime/src/style.rs")),
    (
        "src/validate.rs",
        include_str!("../../runtime/src/validate.rs"),
    ),
];

/// The client and its calls, copied into the generated crate itself (`src/client/support.rs`):
/// each operation's method is on them, and Rust lets a crate add methods only to its own types.
pub(super) const CLIENT: &str = include_str!("../../runtime/local/client_support.rs");

/// The runtime crate's version, from its manifest.
pub fn version() -> &'static str {
    MANIFEST
        .lines()
        .find_map(|line| line.strip_prefix("version = \""))
        .and_then(|rest| rest.strip_suffix('"'))
        .unwrap_or("0.0.0")
}

/// The runtime's features that only some APIs use, which the generated crate turns on in
/// its dependency (not through features of its own).
pub(super) const OPTIONAL: &[&str] = &["chrono", "jsonl", "multipart", "sse", "uuid"];

/// The runtime's optional features this API uses (its spec's bodies and types), turned on
/// in the dependency whatever the crate's own features.
pub(super) fn features(needs: &Needs) -> Vec<&'static str> {
    [
        (needs.chrono, "chrono"),
        (needs.items, "jsonl"),
        (needs.multipart, "multipart"),
        (needs.events, "sse"),
        (needs.uuid, "uuid"),
    ]
    .into_iter()
    .filter(|(used, _)| *used)
    .map(|(_, feature)| feature)
    .collect()
}

/// A vendored runtime: its manifest and the runtime crate's files, each stamped.
pub(super) fn vendored_files(crate_name: &str, stamp: &str) -> Vec<GeneratedFile> {
    let start = MANIFEST.find("\n[features]").map_or(0, |i| i + 1);
    let end = MANIFEST
        .find("\n[dev-dependencies]")
        .unwrap_or(MANIFEST.len());
    let description = super::toml_string(&format!(
        "The runtime of the crate {crate_name}: a copy of {PACKAGE} {}",
        version()
    ));
    let manifest = format!(
        r#"{}[package]
name = {}
version = "{}"
edition = "2021"
rust-version = "{}"
description = {description}
publish = false

[lib]
doctest = false
test = false

{}"#,
        stamp.replacen("//", "#", 1),
        super::toml_string(&runtime_name(crate_name)),
        version(),
        super::cargo::RUST_VERSION,
        MANIFEST[start..end].trim_end_matches('\n').to_owned() + "\n",
    );
    let mut files = vec![GeneratedFile {
        path: "runtime/Cargo.toml".to_owned(),
        contents: manifest,
    }];
    files.extend(FILES.iter().map(|(path, text)| GeneratedFile {
        path: format!("runtime/{path}"),
        contents: format!("{stamp}{text}"),
    }));
    files
}

/// The package name of the vendored runtime beside the crate `name`.
pub(super) fn runtime_name(name: &str) -> String {
    format!("{name}-runtime")
}

/// A runtime module the generated crate brings in at its root, by the path its code uses
/// (`de::object`, `crate::validate::Validate`).
struct Import {
    name: &'static str,
    /// Public (re-exported for the user) or one of `__private`'s, for the generated code.
    public: bool,
    /// The crate feature it belongs to, if any.
    feature: Option<&'static str>,
    /// Whether this API uses it at all.
    needed: fn(&Needs) -> bool,
    /// Allowed to be unused (a spec without object schemas leaves `de` and `ser` so).
    maybe_unused: bool,
}

const fn import(name: &'static str, public: bool) -> Import {
    Import {
        name,
        public,
        feature: None,
        needed: |_| true,
        maybe_unused: false,
    }
}

/// In the order rustfmt keeps them: `runtime::__private::..` before `runtime::binary`.
const IMPORTS: &[Import] = &[
    Import {
        feature: Some("client"),
        ..import("client_support", false)
    },
    Import {
        maybe_unused: true,
        ..import("de", false)
    },
    Import {
        maybe_unused: true,
        ..import("ser", false)
    },
    Import {
        feature: Some("server"),
        ..import("server_support", false)
    },
    import("binary", true),
    Import {
        needed: |needs| needs.items,
        ..import("jsonl", true)
    },
    Import {
        needed: |needs| needs.multipart,
        ..import("multipart", true)
    },
    import("problem", true),
    Import {
        needed: |needs| needs.events,
        ..import("sse", true)
    },
    import("validate", true),
];

/// The `use` lines of the generated `lib.rs` that bring the runtime's modules in.
pub(super) fn imports(needs: &Needs) -> TokenStream {
    let lines = IMPORTS.iter().filter(|i| (i.needed)(needs)).map(|i| {
        let name = format_ident!("{}", i.name);
        let cfg = i.feature.map(|feature| quote!(#[cfg(feature = #feature)]));
        let allow = i.maybe_unused.then(|| quote!(#[allow(unused_imports)]));
        if i.public {
            quote!(#cfg pub use runtime::#name;)
        } else {
            quote!(#cfg #allow use runtime::__private::#name;)
        }
    });
    quote!(#(#lines)*)
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every `.rs` file under `dir`, relative to `root`.
    fn sources(root: &Path, dir: &Path, out: &mut Vec<String>) {
        for entry in std::fs::read_dir(dir).unwrap() {
            let path = entry.unwrap().path();
            if path.is_dir() {
                sources(root, &path, out);
            } else if path.extension().is_some_and(|e| e == "rs") {
                let relative = path.strip_prefix(root).unwrap();
                out.push(relative.to_string_lossy().replace('\\', "/"));
            }
        }
    }

    #[test]
    fn a_vendored_runtime_is_every_file_of_the_runtime_crate() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("runtime");
        let mut found = Vec::new();
        sources(&root, &root.join("src"), &mut found);
        found.sort();
        let listed: Vec<&str> = super::FILES.iter().map(|(path, _)| *path).collect();
        assert_eq!(listed, found);
    }

    #[test]
    fn the_vendored_manifest_keeps_the_runtime_crates_features_and_dependencies() {
        let files = super::vendored_files("petstore", "// stamp\n");
        let manifest: toml::Table = toml::from_str(&files[0].contents).unwrap();
        let own: toml::Table = toml::from_str(super::MANIFEST).unwrap();
        assert_eq!(
            manifest["package"]["name"].as_str(),
            Some("petstore-runtime")
        );
        assert_eq!(manifest["features"], own["features"]);
        assert_eq!(manifest["dependencies"], own["dependencies"]);
        assert!(!manifest.contains_key("dev-dependencies"));
    }
}
