//! The npm package `kubeopen`: converts between JavaScript values and the core's types, and
//! nothing else. Every function here is a few lines of conversion around one core call; if you
//! are about to write URL or parsing logic, it belongs in `crates/kubeopen`.
//!
//! The JavaScript names are a contract (ARCHITECTURE.md, "The npm package").
#![forbid(unsafe_code)]

//!
//! Two wasm modules come from this crate (scripts/build-wasm.sh), chosen by cargo features so
//! that the default one stays small: `url` (default; `kubeopen_bg.wasm`: segments, proxy URLs,
//! addresses, rewriting, browser rules) and `cluster` (`kubeopen_cluster_bg.wasm`: kubeconfig,
//! credentials, tokens, discovery and the `Cluster` client's sans-I/O half). `error` is in both.

#[cfg(feature = "cluster")]
pub mod cluster_api;
mod error;
#[cfg(feature = "url")]
mod js;
#[cfg(feature = "url")]
mod packed;
#[cfg(feature = "url")]
pub mod proxy_api;
#[cfg(feature = "url")]
pub mod rewrite_api;
#[cfg(feature = "url")]
pub mod segment_api;
#[cfg(feature = "cluster")]
pub mod tunnel_cluster_api;
// Tunnels' byte-level half is in the URL module, not the cluster one: the cluster module is at
// its size budget, and the URL module is loaded anyway where tunnels are used (the extension);
// `kubeopen/cluster` loads it on the first tunnel (npm/src/tunnel-client.js).
#[cfg(feature = "url")]
pub mod tunnel_api;

pub use error::KubeopenErrorCode;

#[cfg(feature = "url")]
use wasm_bindgen::prelude::*;

/// The package version (`"0.1.0"`), from Cargo.toml.
#[cfg(feature = "url")]
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
