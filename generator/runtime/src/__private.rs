//! What only generated code calls: not part of the runtime's API, and may change in any
//! release. The generated crate's `lib.rs` imports these modules at its root (`use
//! runtime::__private::de;`), so its per-operation code says `de::object(..)`,
//! `support::Request`; the items of them a user sees are re-exported by the public modules
//! (`client`, `server`) and by the generated crate's own `client` and `server`.

#[cfg(feature = "client")]
pub mod client_support;
pub mod de;
pub mod ser;
#[cfg(feature = "server")]
pub mod server_support;
