//! The fixed facts a rewrite needs, computed once: the server's origin and base path, the
//! target's prefix, where the page is, and the cluster's DNS domain.

use std::borrow::Cow;

use crate::dot_segments::resolve_like_browser;
use crate::proxy_url::{ProxyUrlError, Query, proxy_path, proxy_url};
use crate::target::Target;
use crate::url_split::split_url;

use super::host::{canonical_host, same_host};

/// Why a [`RewriteContext`] could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RewriteError {
    /// The server base is not usable (see [`mod@crate::proxy_url`] for what is accepted).
    #[error(transparent)]
    Server(#[from] ProxyUrlError),
    /// The page URL is not an absolute `http`/`https` URL.
    #[error("invalid page URL {page:?}: {reason} (at byte {at})")]
    Page {
        /// The page URL as given.
        page: String,
        /// What is wrong.
        reason: &'static str,
        /// Byte offset in `page`.
        at: usize,
    },
    /// The cluster domain is not a DNS name.
    #[error("invalid cluster domain {domain:?}: expected lowercase DNS labels such as \"cluster.local\"")]
    ClusterDomain {
        /// The domain as given.
        domain: String,
    },
}

/// Everything [`rewrite_url`](super::rewrite_url) and the rewriters built on it need: the API
/// server, the target the page belongs to, optionally the page's own URL, and the cluster domain.
///
/// Building it checks and pre-computes everything, so each rewrite is only string work.
///
/// ```
/// use kubeopen::rewrite::RewriteContext;
/// use kubeopen::target::Target;
///
/// let web = Target::service("shop", "web")?;
/// let ctx = RewriteContext::new("https://rancher.example/k8s/clusters/c-1/", &web)?
///     .with_page_url("https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/shop/services/web/proxy/cart/")?
///     .with_cluster_domain("corp.internal")?;
/// assert_eq!(ctx.prefix(), "/k8s/clusters/c-1/api/v1/namespaces/shop/services/web/proxy/");
/// assert!(RewriteContext::new("ftp://x", &web).is_err());
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RewriteContext {
    pub(super) server: Server,
    pub(super) target: Target,
    /// `base_path + proxy_path(target)`, ending with `/proxy/`.
    pub(super) prefix: String,
    pub(super) page: Option<Page>,
    /// The page URL as given (trimmed), to resolve a `<base href>` against.
    pub(super) page_url: Option<String>,
    pub(super) cluster_domain: String,
}

/// The API server's origin, parsed once.
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Server {
    pub https: bool,
    /// `host[:port]` as written (host lower-cased).
    pub authority: String,
    /// The host, lower-cased; IPv6 with brackets.
    pub host: String,
    /// The effective port (explicit or the scheme's default).
    pub port: u16,
    /// The server's own path, without trailing `/` (`""` or `/k8s/clusters/c-1`).
    pub base_path: String,
}

/// Where the page is, when it is inside a proxy prefix on the server (the only case in which
/// relative URLs can climb out of a prefix).
#[derive(Clone, Debug, PartialEq, Eq)]
pub(super) struct Page {
    https: bool,
    /// The proxy prefix the page is in (any target), ending with `/`.
    pub prefix: String,
    /// The page's directory below that prefix: `""` or `a/b/`.
    pub dir: String,
    /// How many segments `dir` has: how many `..` a relative URL may use before leaving.
    pub depth: usize,
}

impl Page {
    pub(super) fn https(&self) -> bool {
        self.https
    }
}

impl RewriteContext {
    /// A context for pages of `target` served through `server` (an `http`/`https` base URL, as for
    /// [`proxy_url`](crate::proxy_url::proxy_url)); no page URL, cluster domain `cluster.local`.
    ///
    /// ```
    /// use kubeopen::{rewrite::RewriteContext, target::Target};
    /// let ctx = RewriteContext::new("http://localhost:8001", &Target::node("n1")?)?;
    /// assert_eq!(ctx.prefix(), "/api/v1/nodes/n1/proxy/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn new(server: &str, target: &Target) -> Result<RewriteContext, RewriteError> {
        // proxy_url validates the server exactly as every other kubeopen function does.
        let full = proxy_url(server, target, "", Query::None)?;
        let path = proxy_path(target);
        let base_len = full.len() - path.len();
        let parts =
            split_url(full.get(..base_len).unwrap_or_default()).map_err(|p| ProxyUrlError::Server {
                server: server.to_owned(),
                reason: p.reason,
                at: p.at,
            })?;
        // As the browser reads it, as every URL's host is compared with it (host.rs).
        let host =
            canonical_host(parts.host).map_or_else(|| parts.host.to_ascii_lowercase(), Cow::into_owned);
        let port = match parts.port {
            Some(p) => p.trim_start_matches('0').parse::<u16>().unwrap_or(0),
            None => default_port(parts.https),
        };
        let authority = match parts.port {
            Some(p) => format!("{host}:{p}"),
            None => host.clone(),
        };
        let base_path = parts.path.trim_end_matches('/').to_owned();
        let prefix = format!("{base_path}{path}");
        Ok(RewriteContext {
            server: Server {
                https: parts.https,
                authority,
                host,
                port,
                base_path,
            },
            target: target.clone(),
            prefix,
            page: None,
            page_url: None,
            cluster_domain: "cluster.local".to_owned(),
        })
    }

    /// The same context for a page at `page_url` (after `<base href>`, the base URL). Relative
    /// URLs are then checked against it: one that would climb above the page's proxy prefix is
    /// clamped inside. A page outside every proxy prefix, or on another origin, leaves relative
    /// URLs alone.
    ///
    /// ```
    /// use kubeopen::rewrite::{rewrite_url, RewriteContext};
    /// let ctx = RewriteContext::new("http://localhost:8001", &kubeopen::Target::node("n1")?)?
    ///     .with_page_url("http://localhost:8001/api/v1/nodes/n1/proxy/logs/")?;
    /// assert_eq!(rewrite_url("../metrics", &ctx), "../metrics");
    /// assert_eq!(rewrite_url("../../../secrets", &ctx), "/api/v1/nodes/n1/proxy/secrets");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_page_url(mut self, page_url: &str) -> Result<RewriteContext, RewriteError> {
        let trimmed = page_url.trim_matches(|c: char| c <= ' ');
        let leading = page_url.len() - page_url.trim_start_matches(|c: char| c <= ' ').len();
        let parts = split_url(trimmed).map_err(|p| RewriteError::Page {
            page: page_url.to_owned(),
            reason: p.reason,
            at: p.at + leading,
        })?;
        let port = match parts.port {
            Some(p) => p.trim_start_matches('0').parse::<u16>().unwrap_or(0),
            None => default_port(parts.https),
        };
        let same_origin = canonical_host(parts.host).is_some_and(|h| same_host(&h, &self.server.host))
            && port == self.server.port;
        self.page = None;
        self.page_url = Some(trimmed.to_owned());
        if same_origin {
            let path = if parts.path.is_empty() { "/" } else { parts.path };
            let resolved = resolve_like_browser(path);
            if let Some(len) = proxy_prefix_len(&resolved, &self.server.base_path) {
                let prefix_end = len.min(resolved.len());
                let mut prefix = resolved.get(..prefix_end).unwrap_or_default().to_owned();
                if !prefix.ends_with('/') {
                    prefix.push('/');
                }
                let below = resolved.get(prefix_end..).unwrap_or_default();
                let below = below.strip_prefix('/').unwrap_or(below);
                let dir = below
                    .rfind('/')
                    .map_or("", |i| below.get(..=i).unwrap_or_default());
                self.page = Some(Page {
                    https: parts.https,
                    prefix,
                    depth: dir.matches('/').count(),
                    dir: dir.to_owned(),
                });
            }
        }
        Ok(self)
    }

    /// The same context with another cluster DNS domain (default `cluster.local`), for
    /// `NAME.NS.svc.DOMAIN` hosts.
    ///
    /// ```
    /// use kubeopen::rewrite::{rewrite_url, RewriteContext};
    /// let ctx = RewriteContext::new("https://k8s.example", &kubeopen::Target::service("a", "web")?)?
    ///     .with_cluster_domain("corp.internal")?;
    /// assert_eq!(rewrite_url("http://api.b.svc.corp.internal/x", &ctx), "https://k8s.example/api/v1/namespaces/b/services/api:80/proxy/x");
    /// assert!(ctx.with_cluster_domain("Bad Domain").is_err());
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn with_cluster_domain(mut self, domain: &str) -> Result<RewriteContext, RewriteError> {
        let domain = domain.trim_end_matches('.').to_ascii_lowercase();
        let valid = !domain.is_empty()
            && domain.len() <= 253
            && domain.split('.').all(|label| {
                !label.is_empty()
                    && label.len() <= 63
                    && label.bytes().all(|b| b.is_ascii_alphanumeric() || b == b'-')
                    && !label.starts_with('-')
                    && !label.ends_with('-')
            });
        if !valid {
            return Err(RewriteError::ClusterDomain {
                domain: domain.to_owned(),
            });
        }
        self.cluster_domain = domain;
        Ok(self)
    }

    /// The path every rewritten URL of the target starts with: the server's own path, then
    /// [`proxy_path`](crate::proxy_url::proxy_path). Ends with `/proxy/`.
    ///
    /// ```
    /// use kubeopen::rewrite::RewriteContext;
    /// let ctx = RewriteContext::new("https://h/k8s", &kubeopen::Target::pod("ns", "web-0")?)?;
    /// assert_eq!(ctx.prefix(), "/k8s/api/v1/namespaces/ns/pods/web-0/proxy/");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn prefix(&self) -> &str {
        &self.prefix
    }

    /// The target the page belongs to.
    ///
    /// ```
    /// use kubeopen::rewrite::RewriteContext;
    /// let ctx = RewriteContext::new("https://h", &kubeopen::Target::node("n1")?)?;
    /// assert_eq!(ctx.target().name(), "n1");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn target(&self) -> &Target {
        &self.target
    }

    /// `scheme://authority` of the server, lower-case, for absolute outputs; `ws`/`wss` on request.
    pub(super) fn push_origin(&self, out: &mut String, websocket: bool) {
        out.push_str(match (websocket, self.server.https) {
            (false, false) => "http://",
            (false, true) => "https://",
            (true, false) => "ws://",
            (true, true) => "wss://",
        });
        out.push_str(&self.server.authority);
    }
}

pub(super) fn default_port(https: bool) -> u16 {
    if https { 443 } else { 80 }
}

/// If `path` (already resolved like a browser would) starts with `base_path` followed by a proxy
/// path of any target — `/api/v1/namespaces/NS/services|pods/SEG/proxy` or
/// `/api/v1/nodes/SEG/proxy`, then `/` or the end — the length of that prefix, including its
/// trailing `/` when present. The shape is checked, not the names: this is what the browser
/// rules' "allow" regex matches too (see [`crate::rules`]).
pub(crate) fn proxy_prefix_len(path: &str, base_path: &str) -> Option<usize> {
    let rest = path.strip_prefix(base_path)?;
    let rest = rest.strip_prefix("/api/v1/")?;
    let mut used = path.len() - rest.len();
    let mut segments = rest.split('/');
    let mut take = |used: &mut usize| -> Option<&str> {
        let s = segments.next()?;
        *used += s.len() + 1;
        (!s.is_empty()).then_some(s)
    };
    match take(&mut used)? {
        "namespaces" => {
            take(&mut used)?;
            if !matches!(take(&mut used)?, "services" | "pods") {
                return None;
            }
            take(&mut used)?;
        }
        "nodes" => {
            take(&mut used)?;
        }
        _ => return None,
    }
    if take(&mut used)? != "proxy" {
        return None;
    }
    Some(used.min(path.len()))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn proxy_prefixes_are_recognised_by_shape() {
        let p = |path| proxy_prefix_len(path, "");
        assert_eq!(p("/api/v1/namespaces/a/services/b:80/proxy/x"), Some(41));
        assert_eq!(p("/api/v1/namespaces/a/pods/b/proxy"), Some(33));
        assert_eq!(p("/api/v1/nodes/n1/proxy/"), Some(23));
        assert_eq!(p("/api/v1/nodes/n1/proxyfoo"), None);
        assert_eq!(p("/api/v1/namespaces/a/secrets/b/proxy/"), None);
        assert_eq!(p("/api/v1/namespaces//services/b/proxy/"), None);
        assert_eq!(p("/static/api/v1/nodes/n1/proxy/"), None);
        assert_eq!(proxy_prefix_len("/k/api/v1/nodes/n/proxy/", "/k"), Some(24));
        assert_eq!(proxy_prefix_len("/api/v1/nodes/n/proxy/", "/k"), None);
    }

    #[test]
    fn pages_inside_a_prefix_know_their_depth() {
        let t = Target::service("a", "web").unwrap();
        let ctx = RewriteContext::new("https://h:443/", &t)
            .unwrap()
            .with_page_url("https://H/api/v1/namespaces/a/services/other/proxy/x/y/z.html?q")
            .unwrap();
        let page = ctx.page.as_ref().unwrap();
        assert_eq!(page.prefix, "/api/v1/namespaces/a/services/other/proxy/");
        assert_eq!((page.dir.as_str(), page.depth), ("x/y/", 2));
        let elsewhere = ctx
            .clone()
            .with_page_url("https://other/api/v1/nodes/n/proxy/")
            .unwrap();
        assert!(elsewhere.page.is_none());
        let err = ctx.with_page_url("  file:///x").unwrap_err();
        assert!(matches!(err, RewriteError::Page { at: 2, .. }), "{err:?}");
    }
}
