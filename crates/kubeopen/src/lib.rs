//! # kubeopen — the core
//!
//! Everything kubeopen knows about the Kubernetes API server's proxy subresource, as pure
//! functions: no networking, no WebAssembly, no global state. The npm package, the browser
//! extension and the sandbox are thin edges around this crate.
//!
//! ```
//! use kubeopen::segment::{Scheme, Segment};
//!
//! let seg = Segment::parse("https:grafana:3000")?;
//! assert_eq!(seg.scheme, Some(Scheme::Https));
//! assert_eq!(seg.name, "grafana");
//! assert_eq!(seg.port, "3000");
//! assert_eq!(seg.to_string(), "https:grafana:3000");
//! # Ok::<(), kubeopen::segment::SegmentError>(())
//! ```
//!
//! From what a person types to the URL to open:
//!
//! ```
//! use kubeopen::address::{resolve_address, AddressOptions};
//!
//! let address = resolve_address("grafana.monitoring:3000/d/x?orgId=1", &AddressOptions::default())?;
//! assert_eq!(
//!     address.proxy_url("https://10.0.0.1:6443")?,
//!     "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x?orgId=1",
//! );
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod address;
pub mod auth;
pub mod discovery;
pub mod go_path;
pub mod in_cluster;
pub mod kubeconfig;
pub mod proxy_url;
pub mod rewrite;
pub mod rules;
pub mod segment;
pub mod suggest;
pub mod target;
pub mod token;
pub mod tunnel;
pub mod validation;

mod dot_segments;
mod json_read;
mod percent;
mod url_split;

pub use address::{Address, AddressError, AddressOptions, resolve_address};
pub use proxy_url::{ProxyUrl, ProxyUrlError, Query, parse_proxy_url, proxy_path, proxy_url};
pub use target::{Kind, Port, Target, TargetError};
