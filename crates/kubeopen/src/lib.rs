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
#![forbid(unsafe_code)]
#![deny(missing_docs)]

pub mod segment;
