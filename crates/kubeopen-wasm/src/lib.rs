//! The npm package `kubeopen`: converts between JavaScript values and the core's types, and
//! nothing else. Every function here is a few lines of conversion around one core call; if you
//! are about to write URL or parsing logic, it belongs in `crates/kubeopen`.
//!
//! The JavaScript names are a contract (ARCHITECTURE.md, "The npm package").
#![forbid(unsafe_code)]

mod error;
mod js;
mod packed;
pub mod proxy_api;
pub mod rewrite_api;
pub mod segment_api;

pub use error::KubeopenErrorCode;

use wasm_bindgen::prelude::*;

/// The package version (`"0.1.0"`), from Cargo.toml.
#[wasm_bindgen]
pub fn version() -> String {
    env!("CARGO_PKG_VERSION").to_owned()
}
