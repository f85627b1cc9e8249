//! The generated crate's `Cargo.toml`: standalone, so the crate can be copied anywhere.

use super::uses_media;
use crate::model::{Api, Media};

/// Versions of what the generated code uses, in one place.
const DEPENDENCIES: &str = r#"[dependencies]
serde = { version = "1.0.200", features = ["derive"] }
serde_json = "1.0.120"
serde_urlencoded = "0.7.1"
reqwest = { version = "0.13.1", default-features = false, features = ["rustls", "http2"], optional = true }
axum = { version = "0.8.4", default-features = false, features = ["http1", "tokio"], optional = true }
form_urlencoded = { version = "1.2", optional = true }
base64 = { version = "0.22", optional = true }
"#;

/// Only crates with multipart bodies need a multipart parser.
const MULTIPART_DEPENDENCIES: &str = r#"multer = { version = "3.1", default-features = false, features = ["tokio-io"], optional = true }
"#;

pub fn emit_manifest(api: &Api, stamp: &str) -> String {
    let multipart = uses_media(api, |m| matches!(m, Media::Multipart(_)));
    let (server_extra, multipart_dependencies) = if multipart {
        (", \"dep:multer\"", MULTIPART_DEPENDENCIES)
    } else {
        ("", "")
    };
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
server = ["dep:axum", "dep:form_urlencoded", "dep:base64"{server_extra}]

{DEPENDENCIES}{multipart_dependencies}"#,
        name = toml_string(&api.crate_name),
    )
}

/// A TOML basic string: JSON's string escapes are valid TOML.
fn toml_string(text: &str) -> String {
    serde_json::Value::String(text.to_owned()).to_string()
}
