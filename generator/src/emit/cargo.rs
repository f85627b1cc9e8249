//! The generated crate's `Cargo.toml`: standalone, so the crate can be copied anywhere.

use std::fmt::Write;

use super::Needs;
use crate::model::Api;

/// The oldest Rust a generated crate builds with: the generator's own (the workspace's
/// `rust-version`), checked in CI by building a generated crate with it.
pub const RUST_VERSION: &str = "1.85";

/// Which of the two crates uses a dependency.
#[derive(Clone, Copy, PartialEq)]
enum User {
    /// The generated crate's own code (and so, for `include!`, the including crate).
    Crate,
    Runtime,
    Both,
}

/// Versions of what the generated code uses, in one place, each with who uses it.
const DEPENDENCIES: &[(User, &str)] = &[
    (
        User::Both,
        r#"serde = { version = "1.0.200", features = ["derive"] }"#,
    ),
    (User::Both, r#"serde_json = "1.0.120""#),
    (User::Runtime, r#"serde_urlencoded = "0.7.1""#),
    // Client and server: a union's alternatives are ranked by where they fail in the value.
    (User::Runtime, r#"serde_path_to_error = "0.1.16""#),
    (User::Runtime, r#"bytes = "1.5""#),
    (User::Runtime, r#"futures-core = "0.3.30""#),
    (
        User::Runtime,
        r#"futures-util = { version = "0.3.30", default-features = false, optional = true }"#,
    ),
    (User::Runtime, r#"http-body = "1.0""#),
    (
        User::Both,
        r#"reqwest = { version = "0.13.1", default-features = false, features = ["http2"], optional = true }"#,
    ),
    (
        User::Runtime,
        r#"tokio = { version = "1.38", features = ["time"], optional = true }"#,
    ),
    (
        User::Runtime,
        r#"http = { version = "1.1", optional = true }"#,
    ),
    (
        User::Runtime,
        r#"httpdate = { version = "1.0.3", optional = true }"#,
    ),
    (
        User::Both,
        r#"tracing = { version = "0.1.40", default-features = false, features = ["std", "attributes"], optional = true }"#,
    ),
    (
        User::Both,
        r#"reqwest-middleware = { version = "0.5.2", default-features = false, optional = true }"#,
    ),
    (
        User::Both,
        r#"axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio"], optional = true }"#,
    ),
    (
        User::Runtime,
        r#"hyper = { version = "1.1", default-features = false, features = ["server", "http1"], optional = true }"#,
    ),
    (
        User::Runtime,
        r#"hyper-util = { version = "0.1.3", default-features = false, features = ["tokio", "server", "service"], optional = true }"#,
    ),
    (
        User::Runtime,
        r#"form_urlencoded = { version = "1.2", optional = true }"#,
    ),
];

/// Event streams are read with a WHATWG-conformant incremental parser; its dependencies
/// (memchr, futures-core, pin-project-lite) are already built for reqwest and axum.
const EVENTS_DEPENDENCY: &str = r#"sse-parse = { version = "0.1.0", optional = true }"#;

/// Only crates with multipart bodies need a multipart parser.
const MULTIPART_DEPENDENCY: &str = r#"multer = { version = "3.1", default-features = false, features = ["tokio-io"], optional = true }"#;

/// The dependencies `user` has for this API: the fixed ones, then those only some specs
/// need, each added when used, so a small spec stays a small crate. chrono is the date-time
/// crate: its serde forms are RFC 3339 and ISO 8601 dates without field attributes, so they
/// work inside `Option`, `Vec` and maps too.
fn dependencies(api: &Api, needs: &Needs, user: User) -> String {
    let runtime = user == User::Runtime;
    let base64 = if needs.base64 {
        r#"base64 = "0.22""#
    } else {
        // Only for the server's basic credentials.
        r#"base64 = { version = "0.22", optional = true }"#
    };
    let mut lines: Vec<String> = DEPENDENCIES
        .iter()
        .filter(|(used_by, _)| *used_by == User::Both || *used_by == user)
        .map(|(_, line)| line.to_string())
        .collect();
    let optional = [
        (
            needs.chrono,
            r#"chrono = { version = "0.4.38", default-features = false, features = ["std", "serde"] }"#,
        ),
        (
            needs.uuid,
            r#"uuid = { version = "1.8", features = ["serde"] }"#,
        ),
        (needs.base64 || runtime, base64),
        (
            !needs.patterns.is_empty() && !runtime,
            r#"regex = { version = "1.10", default-features = false, features = ["std", "unicode"] }"#,
        ),
        (needs.multipart && runtime, MULTIPART_DEPENDENCY),
        (needs.events && runtime, EVENTS_DEPENDENCY),
    ];
    lines.extend(
        optional
            .iter()
            .filter(|(used, _)| *used)
            .map(|(_, line)| line.to_string()),
    );
    // What the settings add, for the types and derives they name.
    if !runtime {
        lines.extend(
            api.customization
                .dependencies
                .iter()
                .map(|(name, spec)| format!("{name} = {spec}")),
        );
    }
    format!("[dependencies]\n{}\n", lines.join("\n"))
}

/// The runtime's `client` and `server` features: the dependencies each turns on.
fn runtime_features(needs: &Needs) -> (String, String) {
    let mut client = vec![
        "dep:reqwest",
        "dep:tokio",
        "dep:httpdate",
        "dep:http",
        "dep:futures-util",
    ];
    let mut server = vec![
        "dep:axum",
        "dep:form_urlencoded",
        "dep:hyper",
        "dep:hyper-util",
        "dep:tokio",
        "tokio/net",
        "tokio/rt",
        "tokio/sync",
    ];
    // A crate whose types use base64 has it as a plain dependency.
    if !needs.base64 {
        server.push("dep:base64");
    }
    if needs.multipart {
        server.push("dep:multer");
    }
    if needs.events {
        client.push("dep:sse-parse");
    }
    if needs.events || needs.items {
        server.push("dep:futures-util");
    }
    (list(&client), list(&server))
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

/// The name of the runtime crate beside the crate `name`.
fn runtime_name(name: &str) -> String {
    format!("{name}-runtime")
}

pub fn emit_manifest(api: &Api, needs: &Needs, stamp: &str) -> String {
    let dependencies = dependencies(api, needs, User::Crate);
    let description = toml_string(&format!(
        "Client and server for {} {}",
        api.title, api.version
    ));
    let package = package(&api.crate_name, &description);
    format!(
        r#"{stamp}{package}
[lib]
# Descriptions from the spec become docs; their indented text is not Rust to test. The
# tests (the spec's examples) are in tests/, so `cargo test` compiles the library once.
doctest = false
test = false

[features]
default = ["client", "server", "rustls"]
client = ["runtime/client", "dep:reqwest"]
# The client's TLS, through reqwest. `rustls` (the default) uses aws-lc-rs, which builds C
# code (a C compiler; cmake on some targets); `rustls-no-provider` uses the rustls crypto
# provider your program installs (ring, say); `native-tls` is the platform's TLS (OpenSSL
# on Linux). Without any, the client speaks plain HTTP only.
rustls = ["client", "reqwest/rustls"]
rustls-no-provider = ["client", "reqwest/rustls-no-provider"]
native-tls = ["client", "reqwest/native-tls"]
server = ["runtime/server", "dep:axum"]
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

{dependencies}# What every generated crate needs, the same in each: built once, with the dependencies.
runtime = {{ package = {runtime}, path = "runtime" }}
"#,
        runtime = toml_string(&runtime_name(&api.crate_name)),
    )
}

/// The runtime crate's `Cargo.toml`: a crate of its own beside the generated one, so that
/// regenerating the API (or editing it) does not check the runtime again.
pub fn emit_runtime_manifest(api: &Api, needs: &Needs, stamp: &str) -> String {
    let (client, server) = runtime_features(needs);
    let dependencies = dependencies(api, needs, User::Runtime);
    let description = toml_string(&format!(
        "The runtime of the crate {}: what its client and server need",
        api.crate_name
    ));
    let package = package(&runtime_name(&api.crate_name), &description);
    format!(
        r#"{stamp}{package}
[lib]
doctest = false
test = false

# Turned on by the features of the same names of the crate this one is the runtime of.
[features]
client = [{client}]
server = [{server}]
middleware = ["client", "dep:reqwest-middleware"]
tracing = ["dep:tracing"]

{dependencies}"#
    )
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
