//! The generated crate's `Cargo.toml`: standalone, so the crate can be copied anywhere, with
//! its runtime vendored (`runtime/`), or shared by path or version.

use std::fmt::Write;

use super::{runtime, Needs};
use crate::model::{Api, RuntimeSource, ALL_OPERATIONS};

/// The oldest Rust a generated crate builds with: the generator's own (the workspace's
/// `rust-version`), checked in CI by building a generated crate with it.
pub const RUST_VERSION: &str = "1.85";

/// Versions of what the generated code uses itself (the runtime's are in its own manifest).
const DEPENDENCIES: &[&str] = &[
    r#"serde = { version = "1.0.200", features = ["derive"] }"#,
    r#"serde_json = "1.0.120""#,
    r#"reqwest = { version = "0.13.1", default-features = false, features = ["http2"], optional = true }"#,
    r#"tracing = { version = "0.1.40", default-features = false, features = ["std", "attributes"], optional = true }"#,
    r#"reqwest-middleware = { version = "0.5.2", default-features = false, optional = true }"#,
    r#"axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio"], optional = true }"#,
];

/// The crate's dependencies for this API: the fixed ones, then those only some specs need,
/// each added when used, so a small spec stays a small crate. chrono is the date-time
/// crate: its serde forms are RFC 3339 and ISO 8601 dates without field attributes, so they
/// work inside `Option`, `Vec` and maps too.
fn dependencies(api: &Api, needs: &Needs) -> String {
    let mut lines: Vec<String> = DEPENDENCIES.iter().map(|line| line.to_string()).collect();
    let optional = [
        (
            needs.chrono,
            r#"chrono = { version = "0.4.38", default-features = false, features = ["std", "serde"] }"#,
        ),
        (
            needs.uuid,
            r#"uuid = { version = "1.8", features = ["serde"] }"#,
        ),
        (needs.base64, r#"base64 = "0.22""#),
        (
            !needs.patterns.is_empty(),
            r#"regex = { version = "1.10", default-features = false, features = ["std", "unicode"] }"#,
        ),
    ];
    lines.extend(
        optional
            .iter()
            .filter(|(used, _)| *used)
            .map(|(_, line)| line.to_string()),
    );
    // What the settings add, for the types and derives they name.
    lines.extend(
        api.customization
            .dependencies
            .iter()
            .map(|(name, spec)| format!("{name} = {spec}")),
    );
    format!("[dependencies]\n{}\n", lines.join("\n"))
}

/// The `runtime` dependency: the vendored copy beside the crate, or the shared runtime
/// crate by path or version; with the runtime features this API uses.
fn runtime_dependency(api: &Api, needs: &Needs) -> String {
    let (package, source) = match &api.customization.runtime {
        RuntimeSource::Vendored => (
            runtime::runtime_name(&api.crate_name),
            r#"path = "runtime""#.to_owned(),
        ),
        RuntimeSource::Path(path) => (
            runtime::PACKAGE.to_owned(),
            format!("path = {}", toml_string(path)),
        ),
        RuntimeSource::Version(version) => (
            runtime::PACKAGE.to_owned(),
            format!("version = {}", toml_string(version)),
        ),
    };
    let features = runtime::features(needs);
    let features = match features.is_empty() {
        true => String::new(),
        false => format!(", features = [{}]", list(&features)),
    };
    let comment = match &api.customization.runtime {
        RuntimeSource::Vendored => "# What every generated crate needs, the same in each: a copy of the runtime crate,\n# built once, with the dependencies.",
        _ => "# What every generated crate needs, the same in each: the runtime crate, shared by\n# the generated crates of a workspace and built once for them all.",
    };
    format!(
        "{comment}\nruntime = {{ package = {}, {source}{features} }}\n",
        toml_string(&package)
    )
}

/// A TOML array's items.
fn list(items: &[&str]) -> String {
    items
        .iter()
        .map(|d| format!("{d:?}"))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The `[package]` section of a generated manifest; `description` is TOML already.
fn package(name: &str, description: &str) -> String {
    format!(
        r#"[package]
name = {}
version = "0.1.0"
edition = "2021"
rust-version = "{RUST_VERSION}"
description = {description}
publish = false
"#,
        toml_string(name)
    )
}

pub fn emit_manifest(api: &Api, needs: &Needs, stamp: &str) -> String {
    let dependencies = dependencies(api, needs);
    let runtime = runtime_dependency(api, needs);
    // The server's multipart parser is the runtime's; only the server needs it.
    let multipart_server = match needs.multipart {
        true => r#", "runtime/multipart-server""#,
        false => "",
    };
    let description = toml_string(&format!(
        "Client and server for {} {}",
        api.title, api.version
    ));
    let package = package(&api.crate_name, &description);
    let (all, groups) = group_features(api);
    format!(
        r#"{stamp}{package}
[lib]
# Descriptions from the spec become docs; their indented text is not Rust to test. The
# tests (the spec's examples) are in tests/, so `cargo test` compiles the library once.
doctest = false
test = false

[features]
default = ["client", "server", "rustls"{all}]
client = ["runtime/client", "dep:reqwest"]
# The client's TLS, through reqwest. `rustls` (the default) uses aws-lc-rs, which builds C
# code (a C compiler; cmake on some targets); `rustls-no-provider` uses the rustls crypto
# provider your program installs (ring, say); `native-tls` is the platform's TLS (OpenSSL
# on Linux). Without any, the client speaks plain HTTP only.
rustls = ["client", "reqwest/rustls"]
rustls-no-provider = ["client", "reqwest/rustls-no-provider"]
native-tls = ["client", "reqwest/native-tls"]
server = ["runtime/server"{multipart_server}, "dep:axum"]
# `Client::with_middleware`: requests go through a reqwest-middleware chain.
middleware = ["client", "runtime/middleware", "dep:reqwest-middleware"]
# A `tracing` span per operation called or served (operation, method, path template,
# status), for whatever subscriber your program installs.
tracing = ["runtime/tracing", "dep:tracing"]
# Trait methods of the server get defaults answering 501 Not Implemented, so an
# implementation can serve part of the API.
server-defaults = ["server"]
# `mock::Mock`: the server trait answered from the spec's examples, and `mock::serve`,
# which runs it on loopback for a test.
mock = ["server"]
{groups}
{dependencies}{runtime}"#
    )
}

/// The features of the groups (`lower/groups.rs`), each compiling one, and
/// [`ALL_OPERATIONS`] turning them all on, in `default`; with `all`, the `default` list's
/// item naming it. Nothing for an API of one group.
fn group_features(api: &Api) -> (String, String) {
    let features: Vec<&str> = api
        .groups
        .iter()
        .filter_map(|g| g.feature.as_deref())
        .collect();
    if features.is_empty() {
        return (String::new(), String::new());
    }
    let each: String = features.iter().map(|f| format!("{f} = []\n")).collect();
    let all: String = features.iter().map(|f| format!("    {f:?},\n")).collect();
    let text = format!(
        r#"# A feature per group of operations (a tag of the spec, or a path segment): each compiles
# its operations in the client and the server, and the types they use. `{ALL_OPERATIONS}`, in
# `default`, turns on every group; to compile only the groups you use, turn default features
# off and name them (`default-features = false, features = ["client", "rustls", "{first}"]`).
{ALL_OPERATIONS} = [
{all}]
{each}"#,
        first = features[0]
    );
    (format!(", {ALL_OPERATIONS:?}"), text)
}

/// A TOML basic string (JSON's escapes are TOML's), with DEL, which TOML wants escaped, and
/// the code points that change the direction of text escaped too, so the manifest shows
/// what the text holds.
pub(crate) fn toml_string(text: &str) -> String {
    let json = serde_json::Value::String(text.to_owned()).to_string();
    let mut out = String::with_capacity(json.len());
    for c in json.chars() {
        if super::fits_a_comment(c) {
            out.push(c);
        } else {
            let _ = write!(out, "\\u{:04X}", u32::from(c));
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use crate::lower::groups::RESERVED_FEATURES;

    #[test]
    fn a_group_feature_takes_no_name_the_manifest_has() {
        let spec = r#"{"openapi": "3.0.3", "info": {"title": "t", "version": "1"}, "paths": {}}"#;
        let input = crate::ApiInput {
            name: "t".to_owned(),
            origin: "t.json".to_owned(),
            sources: vec![crate::load::Source {
                path: "t.json".to_owned(),
                text: spec.to_owned(),
            }],
            settings: crate::settings::Settings::default(),
            overlay: None,
            refused: Vec::new(),
            command: String::new(),
        };
        let (api, _) = crate::build_model(&input).expect("the spec lowers");
        let manifest = super::emit_manifest(&api, &super::Needs::default(), "");
        let features = manifest.split("[features]").nth(1).unwrap_or_default();
        let keys = features
            .lines()
            .filter(|line| !line.starts_with('#') && !line.starts_with(' '))
            .filter_map(|line| line.split_once(" = "))
            .map(|(key, _)| key);
        let dependencies = super::DEPENDENCIES
            .iter()
            .chain(["chrono =", "uuid =", "base64 =", "regex ="].iter())
            .filter_map(|line| line.split_once(" = ").or(line.split_once(" =")))
            .map(|(key, _)| key);
        for key in keys.chain(dependencies).chain(["runtime"]) {
            assert!(RESERVED_FEATURES.contains(&key), "{key} is reserved");
        }
    }

    #[test]
    fn generated_crates_need_the_rust_the_generator_needs() {
        let workspace = include_str!("../../../Cargo.toml");
        let line = format!("rust-version = \"{}\"", super::RUST_VERSION);
        assert!(
            workspace.contains(&line),
            "{line} in the workspace Cargo.toml"
        );
    }
}
