//! The generated crate's `Cargo.toml`: standalone, so the crate can be copied anywhere.

use crate::model::Api;

/// Versions of what the generated code uses, in one place.
const DEPENDENCIES: &str = r#"[dependencies]
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.120"
reqwest = { version = "0.13.1", default-features = false, features = ["rustls", "http2"], optional = true }
axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio"], optional = true }
form_urlencoded = { version = "1.2", optional = true }
"#;

pub fn emit_manifest(api: &Api, stamp: &str) -> String {
    let description = toml_string(&format!(
        "Client and server for {} {}",
        api.title, api.version
    ));
    format!(
        r#"{stamp}[package]
name = {name}
version = "0.1.0"
edition = "2021"
description = {description}
publish = false

[lib]
# Descriptions from the spec become docs; their indented text is not Rust to test.
doctest = false

[features]
default = ["client", "server"]
client = ["dep:reqwest"]
server = ["dep:axum", "dep:form_urlencoded"]
# Trait methods of the server get defaults answering 501 Not Implemented, so an
# implementation can serve part of the API.
server-defaults = ["server"]

{DEPENDENCIES}"#,
        name = toml_string(&api.crate_name),
    )
}

/// A TOML basic string: JSON's string escapes are valid TOML.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
