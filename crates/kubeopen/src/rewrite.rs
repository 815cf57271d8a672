//! Keeping every URL of a proxied app inside its proxy prefix.
//!
//! An app opened through `https://SERVER/api/v1/namespaces/NS/services/NAME:PORT/proxy/` believes
//! it lives at the root of its own origin. Whenever it writes a *root-relative* URL
//! (`/static/app.js`), an absolute URL naming the API server's origin (built from the `Host`
//! header it receives, spec §3.2), or an *in-cluster* URL (`http://grafana.monitoring.svc:3000/`),
//! the browser would leave the prefix. This module maps each such URL back inside:
//!
//! | input | output |
//! | --- | --- |
//! | `/static/app.js` | `/api/v1/namespaces/NS/services/NAME:PORT/proxy/static/app.js` |
//! | `https://SERVER/login?next=/` (or `http://`, `ws://`, `wss://`, `//SERVER/…`) | the same origin, prefix inserted |
//! | `http://NAME.NS.svc[.CLUSTER-DOMAIN][:PORT]/x`, `NAME.NS`, `NAME` | the proxy URL of that service on SERVER |
//! | `ws://NAME.NS.svc/socket` | the same, with `ws`/`wss` matching SERVER's scheme |
//! | `img.png`, `../img.png` (staying inside), `?q`, `#f` | unchanged: it already resolves inside |
//! | `../../../../x` (climbing above the prefix, with a page URL) | clamped: `PREFIX…/x` |
//! | any proxy path (`…/api/v1/…/proxy/…`, any target) | unchanged — idempotence |
//! | `data:`, `blob:`, `javascript:`, `mailto:`, other origins | unchanged |
//!
//! On top of single URLs: [`rewrite_location`] for redirects, [`rewrite_css`] for style sheets,
//! and (feature `html`) a streaming HTML rewriter, `html::HtmlRewriter`.
//!
//! Paths are confined with the same rules as [`mod@crate::proxy_url`]: `..`, `%2e%2e`, `\`, `%2F`
//! and `%5C` can never climb above the prefix. Root-relative inputs give root-relative outputs
//! (as the API server does, spec §3.4); absolute inputs stay absolute.
//!
//! ```
//! use kubeopen::rewrite::{rewrite_url, RewriteContext};
//! use kubeopen::target::{Port, Target};
//!
//! let grafana = Target::service("monitoring", "grafana")?.with_port(Some(Port::number(3000)?));
//! let ctx = RewriteContext::new("https://10.0.0.1:6443", &grafana)?;
//! assert_eq!(rewrite_url("/public/app.js", &ctx), "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/public/app.js");
//! assert_eq!(
//!     rewrite_url("ws://prometheus.monitoring.svc:9090/ws", &ctx),
//!     "wss://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/ws",
//! );
//! assert_eq!(rewrite_url("img/logo.png", &ctx), "img/logo.png");
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

mod cluster_host;
mod context;
pub mod css;
mod host;
#[cfg(feature = "html")]
pub mod html;
mod legacy;
mod reference;
mod refresh;
mod srcset;
mod url;
mod uts46_ascii;

pub use context::{RewriteContext, RewriteError};
pub use css::rewrite_css;
#[cfg(feature = "html")]
pub use html::{HtmlRewriter, rewrite_html};
pub use refresh::rewrite_refresh;
pub use srcset::rewrite_srcset;
pub use url::{rewrite_location, rewrite_url};
