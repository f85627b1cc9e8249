//! The generator's integration tests, one test binary (`cargo test -p generator --test suite`;
//! a module's tests alone: `cargo test -p generator --test suite -- roundtrip::`). One binary
//! links the library and the generated crates once, where a binary per file linked them once
//! each (BENCHMARKS.md, "One test binary"). `tracing.rs` stays a binary of its own: tracing
//! caches per call site whether anyone listens, which tests running beside it would settle.

// `specs/hostile.yaml`'s types nest 200 deep; its docs name the limit a crate using them needs.
#![recursion_limit = "864"]

mod support;

mod cli;
mod client_trust;
mod conformance;
mod diagnostics;
mod events;
mod features;
mod files;
mod fixtures_model;
mod hostile;
mod http;
mod jsonl;
mod methods;
mod mock;
mod model_shape;
mod mutation;
mod names;
mod oauth;
mod pages;
mod roundtrip;
mod routes;
mod runtime;
mod security;
mod server_limits;
mod settings;
mod styles;
mod swagger2;
mod type_model;
mod types;
mod utoipa;
mod webhooks;
