//! Building and parsing API-server proxy URLs:
//! `SERVER/api/v1/namespaces/NS/services/[https:]NAME[:PORT]/proxy/PATH?QUERY#FRAGMENT`
//! (pods likewise; nodes: `SERVER/api/v1/nodes/…`).
//!
//! # The server
//!
//! `server` is an absolute `http`/`https` URL with an optional path of its own —
//! `https://10.0.0.1:6443`, `http://localhost:8001` (`kubectl proxy`), `http://localhost:8001/k8s`
//! (`--api-prefix=/k8s`), `https://rancher.example/k8s/clusters/c-abc`, `https://[::1]:6443`. It
//! is used as written, less trailing `/`s and surrounding whitespace. No credentials, query or
//! fragment; ASCII host names only (`xn--` for IDN); the base path may contain only characters
//! that need no escaping and no dot segments — kubeopen does not guess what an odd base means.
//!
//! # Encoding of the path argument
//!
//! `path` is what comes after `/proxy/`, written as in a URL: `d/abc?orgId=1#panel` — the first `?`
//! starts a query and the first `#` a fragment. A leading `/` is optional.
//!
//! - **Segment characters**: RFC 3986 `pchar` is kept (`A–Z a–z 0–9 - . _ ~ ! $ & ' ( ) * + , ; = :
//!   @`); every other byte is written `%XX` (uppercase, UTF-8). That is a superset of what
//!   browsers escape, so a browser shows and sends exactly our string.
//! - **Existing escapes** (`%41`) are kept as written; a `%` that starts no escape becomes `%25`.
//! - **Separators**: `/`, `\`, `%2F`, `%5C` (any case) all become `/`. Browsers read `\` as `/`;
//!   the API server decodes `%2F` and splits on it (spec §4.1), so no backend could ever receive
//!   `%2F` through it; and a decoded `%5C` is a separator for some front proxies and backends.
//! - **Empty segments and dot segments** (`.`, `..`, `%2e`, `.%2E`, … any case) are resolved
//!   here, and `..` stops at the `/proxy/` prefix. The server cleans the sub-path the same way
//!   (`JoinPreservingTrailingSlash`, spec §1.3), so the backend sees the same path. A trailing
//!   `/` is kept, and a path that ends in a dot segment ends in `/` (as browsers resolve it).
//! - The **segment**'s `:` is literal (`https:web:8443`), like client-go writes it (spec §6).
//!
//! The result: a browser (WHATWG URL parser), the API server (which decodes) and a front proxy
//! that decodes and cleans all see a path that starts with the target's `/proxy/` prefix.
//!
//! # Query and fragment
//!
//! The query in `path` and [`Query::Raw`] keep RFC 3986 query characters and valid escapes, and
//! escape the rest (`'` included, as browsers do). [`Query::Pairs`] is form-encoded exactly like
//! Go's `url.Values.Encode` (space as `+`, all but `A–Z a–z 0–9 - _ . ~` escaped) **but in the
//! order given**, repeated keys included — `Encode` sorts by key, which would reorder what the
//! caller chose. The query in `path` comes first, then `&`, then `query`. The fragment keeps RFC
//! 3986 fragment characters.

use crate::dot_segments::{is_dot_segment, push_confined_path, resolve_like_browser};
use crate::percent::{Component, decode, is_escape_at, push_encoded, push_form_encoded};
use crate::target::{Kind, Target};
use crate::url_split::{UrlProblem, split_url};

/// The query to add to a proxy URL.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Query<'a> {
    /// No query beyond what `path` carries.
    #[default]
    None,
    /// A query string as it would appear after `?` (one leading `?` is ignored).
    Raw(&'a str),
    /// Keys and values, form-encoded in this order; keys may repeat.
    Pairs(&'a [(&'a str, &'a str)]),
}

/// Why a proxy URL could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ProxyUrlError {
    /// The server base is not usable.
    #[error("invalid server {server:?}: {reason} (at byte {at})")]
    Server {
        /// The server as given.
        server: String,
        /// What is wrong.
        reason: &'static str,
        /// Byte offset in `server`.
        at: usize,
    },
}

/// The path of a target's proxy prefix, ending with `/proxy/`.
///
/// ```
/// use kubeopen::{proxy_url::proxy_path, segment::Scheme, target::{Port, Target}};
///
/// let t = Target::service("monitoring", "grafana")?.with_port(Some(Port::number(3000)?));
/// assert_eq!(proxy_path(&t), "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/");
/// let node = Target::node("n1")?.with_scheme(Some(Scheme::Https)).with_port(Some(Port::number(10250)?));
/// assert_eq!(proxy_path(&node), "/api/v1/nodes/https:n1:10250/proxy/");
/// # Ok::<(), kubeopen::target::TargetError>(())
/// ```
pub fn proxy_path(target: &Target) -> String {
    let mut out = String::with_capacity(64);
    push_proxy_path(&mut out, target);
    out
}

/// Writes `proxy_path(target)`. Validated names, namespaces and ports need no escaping.
fn push_proxy_path(out: &mut String, target: &Target) {
    out.push_str("/api/v1/");
    if let Some(namespace) = target.namespace() {
        out.push_str("namespaces/");
        out.push_str(namespace);
        out.push('/');
    }
    out.push_str(target.kind().resource());
    out.push('/');
    out.push_str(&target.segment());
    out.push_str("/proxy/");
}

/// The proxy URL of `target` on `server`, opening `path` (see the module docs for every
/// encoding rule).
///
/// ```
/// use kubeopen::proxy_url::{proxy_url, Query};
/// use kubeopen::target::{Port, Target};
///
/// let grafana = Target::service("monitoring", "grafana")?.with_port(Some(Port::number(3000)?));
/// assert_eq!(
///     proxy_url("https://rancher.example/k8s/clusters/c-abc/", &grafana, "/d/x?orgId=1#panel-2", Query::None)?,
///     "https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x?orgId=1#panel-2",
/// );
/// // No way out of the prefix:
/// assert_eq!(
///     proxy_url("http://localhost:8001", &grafana, "../../..%2F..%2Fsecrets", Query::Pairs(&[("q", "a b"), ("q", "&")]))?,
///     "http://localhost:8001/api/v1/namespaces/monitoring/services/grafana:3000/proxy/secrets?q=a+b&q=%26",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn proxy_url(
    server: &str,
    target: &Target,
    path: &str,
    query: Query<'_>,
) -> Result<String, ProxyUrlError> {
    let base = server_base(server)?;
    let mut out = String::with_capacity(base.len() + 64 + path.len());
    out.push_str(base);
    push_proxy_path(&mut out, target);
    push_path_query_fragment(&mut out, path, query);
    Ok(out)
}

/// Checks `server` and returns it without surrounding whitespace and trailing `/`s.
fn server_base(server: &str) -> Result<&str, ProxyUrlError> {
    let fail = |UrlProblem { reason, at }| ProxyUrlError::Server {
        server: server.to_owned(),
        reason,
        at,
    };
    let leading = server.len() - server.trim_start().len();
    let trimmed = server.trim();
    let parts = split_url(trimmed).map_err(|p| {
        fail(UrlProblem {
            at: p.at + leading,
            ..p
        })
    })?;
    let path_at = leading + parts.origin.len();
    if parts.query.is_some() || parts.fragment.is_some() {
        let at = trimmed.find(['?', '#']).map_or(0, |i| i + leading);
        return Err(fail(UrlProblem {
            reason: "a server URL may not have a query or fragment",
            at,
        }));
    }
    let path = parts.path.as_bytes();
    for (i, &b) in path.iter().enumerate() {
        let plain = b.is_ascii_alphanumeric() || b"-._~!$&'()*+,;=:@/".contains(&b);
        if !(plain || (b == b'%' && is_escape_at(path, i))) {
            return Err(fail(UrlProblem {
                reason: "the server's path may only contain characters that need no escaping",
                at: path_at + i,
            }));
        }
    }
    let mut offset = 0;
    for segment in parts.path.split('/') {
        if is_dot_segment(segment) {
            return Err(fail(UrlProblem {
                reason: "the server's path may not contain '.' or '..' segments",
                at: path_at + offset,
            }));
        }
        offset += segment.len() + 1;
    }
    Ok(trimmed.trim_end_matches('/'))
}

/// Writes the confined path, then the merged query, then the fragment.
fn push_path_query_fragment(out: &mut String, path: &str, query: Query<'_>) {
    let (path, fragment) = match path.split_once('#') {
        Some((path, fragment)) => (path, Some(fragment)),
        None => (path, None),
    };
    let (path, path_query) = match path.split_once('?') {
        Some((path, query)) => (path, Some(query)),
        None => (path, None),
    };
    push_confined_path(out, path);
    let raw = match query {
        Query::Raw(raw) => raw.strip_prefix('?').unwrap_or(raw),
        Query::None | Query::Pairs(_) => "",
    };
    let has_extra = !raw.is_empty() || matches!(query, Query::Pairs(pairs) if !pairs.is_empty());
    if path_query.is_some() || has_extra {
        out.push('?');
    }
    if let Some(q) = path_query {
        push_encoded(out, q, Component::Query);
        if !q.is_empty() && has_extra {
            out.push('&');
        }
    }
    push_encoded(out, raw, Component::Query);
    if let Query::Pairs(pairs) = query {
        for (i, (key, value)) in pairs.iter().enumerate() {
            if i > 0 {
                out.push('&');
            }
            push_form_encoded(out, key);
            out.push('=');
            push_form_encoded(out, value);
        }
    }
    if let Some(fragment) = fragment {
        out.push('#');
        push_encoded(out, fragment, Component::Fragment);
    }
}

/// A proxy URL taken apart by [`parse_proxy_url`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyUrl {
    /// The server base: `scheme://host[:port]` as written, plus any path before `/api/v1/`
    /// (with what a browser would escape escaped).
    pub server: String,
    /// What is proxied to.
    pub target: Target,
    /// Everything after `/proxy`, still percent-encoded: `""` for `…/proxy`, `"/"` for
    /// `…/proxy/`, `"/d/x"` for `…/proxy/d/x`.
    pub path: String,
    /// The query after `?`, as written (`Some("")` for a bare `?`).
    pub query: Option<String>,
    /// The fragment after `#`, as written.
    pub fragment: Option<String>,
}

impl ProxyUrl {
    /// Builds the URL again with [`proxy_url`]'s rules; `parse_proxy_url(u)?.to_url()` is `u`
    /// with its path normalised.
    ///
    /// ```
    /// use kubeopen::proxy_url::parse_proxy_url;
    /// let u = parse_proxy_url("http://localhost:8001/api/v1/nodes/n1/proxy/a/./b?x#y").unwrap();
    /// assert_eq!(u.to_url()?, "http://localhost:8001/api/v1/nodes/n1/proxy/a/b?x#y");
    /// # Ok::<(), kubeopen::proxy_url::ProxyUrlError>(())
    /// ```
    pub fn to_url(&self) -> Result<String, ProxyUrlError> {
        let mut out = String::new();
        push_proxy_url(
            &mut out,
            &self.server,
            &self.target,
            &self.path,
            self.query.as_deref(),
            self.fragment.as_deref(),
        )?;
        Ok(out)
    }
}

/// Writes a proxy URL whose path, query and fragment are already apart.
pub(crate) fn push_proxy_url(
    out: &mut String,
    server: &str,
    target: &Target,
    path: &str,
    query: Option<&str>,
    fragment: Option<&str>,
) -> Result<(), ProxyUrlError> {
    let base = server_base(server)?;
    out.reserve(base.len() + 64 + path.len());
    out.push_str(base);
    push_proxy_path(out, target);
    push_confined_path(out, path);
    if let Some(query) = query {
        out.push('?');
        push_encoded(out, query, Component::Query);
    }
    if let Some(fragment) = fragment {
        out.push('#');
        push_encoded(out, fragment, Component::Fragment);
    }
    Ok(())
}

/// Takes a proxy URL apart; `None` for anything that is not one.
///
/// The path is read the way a browser reads it first (`\` as `/`, dot segments resolved), then
/// its segments are matched after percent-decoding, as the API server matches them — so
/// `https%3Aweb%3A8443` is the segment `https:web:8443`. The first `/api/v1/` that starts a
/// complete proxy path wins; whatever comes before it is the server's own path. Names are
/// validated as [`Target`] validates them.
///
/// ```
/// use kubeopen::{proxy_url::parse_proxy_url, segment::Scheme, target::Kind};
///
/// let u = parse_proxy_url(
///     "https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/kube-system/services/https%3Akubernetes-dashboard%3A/proxy/#/login",
/// ).unwrap();
/// assert_eq!(u.server, "https://rancher.example/k8s/clusters/c-abc");
/// assert_eq!((u.target.kind(), u.target.namespace()), (Kind::Service, Some("kube-system")));
/// assert_eq!((u.target.scheme(), u.target.name()), (Some(Scheme::Https), "kubernetes-dashboard"));
/// assert_eq!((u.path.as_str(), u.fragment.as_deref()), ("/", Some("/login")));
/// assert!(parse_proxy_url("https://example.com/api/v1/namespaces/default/services").is_none());
/// ```
pub fn parse_proxy_url(url: &str) -> Option<ProxyUrl> {
    // WHATWG drops surrounding C0 controls and spaces, and tabs and newlines anywhere.
    let url = url.trim_matches(|c: char| c <= ' ');
    let cleaned: String;
    let url = if url.contains(['\t', '\n', '\r']) {
        cleaned = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
        cleaned.as_str()
    } else {
        url
    };
    let parts = split_url(url).ok()?;
    let path = resolve_like_browser(parts.path);
    let (api_at, target, suffix_at) = find_proxy_path(&path)?;
    let base_path = path.get(..api_at.saturating_sub(1))?;
    // Escaped as a browser would escape it, so that `to_url` accepts the server.
    let mut server = String::with_capacity(parts.origin.len() + base_path.len());
    server.push_str(parts.origin);
    for (i, segment) in base_path.split('/').enumerate() {
        if i > 0 {
            server.push('/');
        }
        push_encoded(&mut server, segment, Component::PathSegment);
    }
    Some(ProxyUrl {
        server,
        target,
        path: path.get(suffix_at..)?.to_owned(),
        query: parts.query.map(str::to_owned),
        fragment: parts.fragment.map(str::to_owned),
    })
}

/// Finds `api/v1/(namespaces/NS/(services|pods)|nodes)/SEGMENT/proxy` followed by `/` or the end.
/// Returns where `api` starts, the target, and where the part after `proxy` starts.
fn find_proxy_path(path: &str) -> Option<(usize, Target, usize)> {
    let mut search_from = 0;
    while let Some(i) = path.get(search_from..)?.find('/') {
        let start = search_from + i + 1;
        if let Some((target, suffix_at)) = match_proxy_path_at(path, start) {
            return Some((start, target, suffix_at));
        }
        search_from = start;
    }
    None
}

fn match_proxy_path_at(path: &str, start: usize) -> Option<(Target, usize)> {
    let mut segments = path.get(start..)?.split('/');
    let mut consumed = start;
    let mut next = || {
        let segment = segments.next()?;
        consumed += segment.len() + 1;
        decode(segment)
    };
    if next()? != "api" || next()? != "v1" {
        return None;
    }
    let target = match next()?.as_ref() {
        "namespaces" => {
            let namespace = next()?;
            let kind = match next()?.as_ref() {
                "services" => Kind::Service,
                "pods" => Kind::Pod,
                _ => return None,
            };
            Target::from_segment(kind, Some(&namespace), &next()?).ok()?
        }
        "nodes" => Target::from_segment(Kind::Node, None, &next()?).ok()?,
        _ => return None,
    };
    if next()? != "proxy" {
        return None;
    }
    // `consumed` counts a '/' after "proxy" that may not be there.
    Some((target, (consumed - 1).min(path.len())))
}

#[cfg(test)]
mod tests;
