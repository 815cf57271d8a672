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

use std::borrow::Cow;

use crate::dot_segments::{is_dot_segment, push_confined_path, resolve_like_browser};
use crate::percent::{
    Component, decode, decodes_to, is_escape_at, keeps, push_encoded, push_form_encoded, with_decoded,
};
use crate::target::{Kind, Target, TargetRef};
use crate::url_split::{UrlParts, UrlProblem, contains_below, split_url};

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
    push_proxy_path_head(out, target.kind(), target.namespace());
    target.push_segment(out);
    out.push_str("/proxy/");
}

/// Writes the proxy path up to the segment.
fn push_proxy_path_head(out: &mut String, kind: Kind, namespace: Option<&str>) {
    out.push_str("/api/v1/");
    if let Some(namespace) = namespace {
        out.push_str("namespaces/");
        out.push_str(namespace);
        out.push('/');
    }
    out.push_str(kind.resource());
    out.push('/');
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
    let mut out = String::with_capacity(capacity(base, target.namespace(), target.name(), path, query));
    out.push_str(base);
    push_proxy_path(&mut out, target);
    push_path_query_fragment(&mut out, path, query);
    Ok(out)
}

/// [`proxy_url`] of a borrowed target, appended to `out` (which is left as it was on error).
///
/// ```
/// use kubeopen::proxy_url::{proxy_url, push_proxy_url_ref, Query};
/// use kubeopen::target::{Kind, Target, TargetRef};
///
/// let t = TargetRef::from_segment(Kind::Service, Some("ns".into()), "https:web:")?;
/// let owned = Target::from_segment(Kind::Service, Some("ns"), "https:web:")?;
/// let mut out = String::new();
/// push_proxy_url_ref(&mut out, "http://localhost:8001", &t, "a?b#c", Query::None)?;
/// assert_eq!(out, proxy_url("http://localhost:8001", &owned, "a?b#c", Query::None)?);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn push_proxy_url_ref(
    out: &mut String,
    server: &str,
    target: &TargetRef<'_>,
    path: &str,
    query: Query<'_>,
) -> Result<(), ProxyUrlError> {
    let base = server_base(server)?;
    out.reserve(capacity(base, target.namespace(), target.name(), path, query));
    out.push_str(base);
    push_proxy_path_head(out, target.kind(), target.namespace());
    target.push_segment(out);
    out.push_str("/proxy/");
    push_path_query_fragment(out, path, query);
    Ok(())
}

/// Room for a proxy URL with nothing to escape (so that the usual one is written without
/// growing): the fixed words, scheme and port take at most 64 bytes.
fn capacity(base: &str, namespace: Option<&str>, name: &str, path: &str, query: Query<'_>) -> usize {
    let query = match query {
        Query::None => 0,
        Query::Raw(raw) => raw.len(),
        Query::Pairs(pairs) => pairs.iter().map(|(k, v)| k.len() + v.len() + 2).sum(),
    };
    base.len() + 64 + namespace.map_or(0, str::len) + name.len() + path.len() + query + 1
}

/// Checks `server` (see the module docs, "The server") and returns it without surrounding
/// whitespace and trailing `/`s: the base every API path is appended to.
///
/// ```
/// use kubeopen::proxy_url::server_base;
/// assert_eq!(server_base(" https://rancher.example/k8s/clusters/c-1/ ")?, "https://rancher.example/k8s/clusters/c-1");
/// assert!(server_base("https://k8s.example/?x=1").is_err());
/// # Ok::<(), kubeopen::proxy_url::ProxyUrlError>(())
/// ```
pub fn server_base(server: &str) -> Result<&str, ProxyUrlError> {
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
        if !(keeps(Component::Path, b) || (b == b'%' && is_escape_at(path, i))) {
            return Err(fail(UrlProblem {
                reason: "the server's path may only contain characters that need no escaping",
                at: path_at + i,
            }));
        }
    }
    let mut start = 0;
    for end in path
        .iter()
        .enumerate()
        .filter_map(|(i, &b)| (b == b'/').then_some(i))
        .chain([path.len()])
    {
        // '/' is ASCII, so `start..end` is on char boundaries.
        if parts.path.get(start..end).is_some_and(is_dot_segment) {
            return Err(fail(UrlProblem {
                reason: "the server's path may not contain '.' or '..' segments",
                at: path_at + start,
            }));
        }
        start = end + 1;
    }
    Ok(trimmed.trim_end_matches('/'))
}

/// Writes the confined path, then the merged query, then the fragment.
fn push_path_query_fragment(out: &mut String, path: &str, query: Query<'_>) {
    let (path, path_query, fragment) = split_query_fragment(path);
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

/// `path?query#fragment` cut at the first `#` and the first `?` before it.
pub(crate) fn split_query_fragment(text: &str) -> (&str, Option<&str>, Option<&str>) {
    let bytes = text.as_bytes();
    let fragment_at = bytes.iter().position(|&b| b == b'#').unwrap_or(bytes.len());
    let query_at = bytes
        .get(..fragment_at)
        .and_then(|before| before.iter().position(|&b| b == b'?'))
        .unwrap_or(fragment_at);
    // `?` and `#` are ASCII: every cut is on a char boundary.
    (
        text.get(..query_at).unwrap_or_default(),
        text.get(query_at + 1..fragment_at),
        text.get(fragment_at + 1..),
    )
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
    parse_proxy_url_parts(url).map(ProxyUrlParts::into_proxy_url)
}

/// A proxy URL taken apart by [`parse_proxy_url_parts`]: [`ProxyUrl`] with every part borrowed
/// from the URL where it is the URL's text as written.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ProxyUrlParts<'a> {
    /// As [`ProxyUrl::server`].
    pub server: Cow<'a, str>,
    /// What is proxied to (namespace and segment decoded; borrowed when they held no escape).
    pub target: TargetRef<'a>,
    /// As [`ProxyUrl::path`].
    pub path: Cow<'a, str>,
    /// As [`ProxyUrl::query`].
    pub query: Option<Cow<'a, str>>,
    /// As [`ProxyUrl::fragment`].
    pub fragment: Option<Cow<'a, str>>,
}

impl ProxyUrlParts<'_> {
    /// The owned [`ProxyUrl`].
    pub fn to_proxy_url(&self) -> ProxyUrl {
        ProxyUrl {
            server: self.server.clone().into_owned(),
            target: self.target.to_target(),
            path: self.path.clone().into_owned(),
            query: self.query.clone().map(Cow::into_owned),
            fragment: self.fragment.clone().map(Cow::into_owned),
        }
    }

    /// The owned [`ProxyUrl`], moving what is already owned.
    pub fn into_proxy_url(self) -> ProxyUrl {
        ProxyUrl {
            server: self.server.into_owned(),
            target: self.target.into_target(),
            path: self.path.into_owned(),
            query: self.query.map(Cow::into_owned),
            fragment: self.fragment.map(Cow::into_owned),
        }
    }

    fn into_owned(self) -> ProxyUrlParts<'static> {
        ProxyUrlParts {
            server: Cow::Owned(self.server.into_owned()),
            target: self.target.into_owned(),
            path: Cow::Owned(self.path.into_owned()),
            query: self.query.map(|q| Cow::Owned(q.into_owned())),
            fragment: self.fragment.map(|f| Cow::Owned(f.into_owned())),
        }
    }
}

/// [`parse_proxy_url`] without copying what it can borrow from `url`.
///
/// ```
/// use std::borrow::Cow;
/// use kubeopen::proxy_url::{parse_proxy_url, parse_proxy_url_parts};
///
/// let url = "http://localhost:8001/api/v1/nodes/n1/proxy/metrics?x#y";
/// let parts = parse_proxy_url_parts(url).unwrap();
/// assert!(matches!(parts.path, Cow::Borrowed("/metrics")));
/// assert_eq!(parts.to_proxy_url(), parse_proxy_url(url).unwrap());
/// ```
pub fn parse_proxy_url_parts(url: &str) -> Option<ProxyUrlParts<'_>> {
    // WHATWG drops surrounding C0 controls and spaces, and tabs and newlines anywhere.
    let url = trim_c0_and_space(url);
    if has_tab_or_newline(url) {
        let cleaned: String = url.chars().filter(|c| !matches!(c, '\t' | '\n' | '\r')).collect();
        return proxy_url_from_parts(&cleaned, split_url(&cleaned).ok()?).map(ProxyUrlParts::into_owned);
    }
    proxy_url_from_parts(url, split_url(url).ok()?)
}

/// Whether [`parse_proxy_url`] reads `url` exactly as written (nothing to trim or drop), so that
/// a caller holding `split_url(url)` may pass it to [`proxy_url_from_parts`].
pub(crate) fn is_read_as_written(url: &str) -> bool {
    trim_c0_and_space(url).len() == url.len() && !has_tab_or_newline(url)
}

fn has_tab_or_newline(url: &str) -> bool {
    let bytes = url.as_bytes();
    contains_below(bytes, b'\r' + 1) && bytes.iter().any(|b| matches!(b, b'\t' | b'\n' | b'\r'))
}

/// [`parse_proxy_url_parts`] of `url`, already split into `parts`.
pub(crate) fn proxy_url_from_parts<'a>(url: &'a str, parts: UrlParts<'a>) -> Option<ProxyUrlParts<'a>> {
    let path = resolve_like_browser(parts.path);
    let (api_at, target, suffix_at) = match &path {
        Cow::Borrowed(p) => find_proxy_path(p)?,
        Cow::Owned(p) => {
            let (api_at, target, suffix_at) = find_proxy_path(p)?;
            (api_at, target.into_owned(), suffix_at)
        }
    };
    let base_path = path.get(..api_at.saturating_sub(1))?;
    // Escaped as a browser would escape it, so that `to_url` accepts the server. The origin and
    // a base path that needs neither resolving nor escaping are the URL's own text, side by side.
    let base = base_path.as_bytes();
    let escaped = base
        .iter()
        .enumerate()
        .all(|(i, &b)| keeps(Component::Path, b) || (b == b'%' && is_escape_at(base, i)));
    let path_at = (parts.path.as_ptr() as usize).wrapping_sub(url.as_ptr() as usize);
    let server = match &path {
        Cow::Borrowed(_) if escaped && path_at == parts.origin.len() => {
            Cow::Borrowed(url.get(..path_at + base_path.len())?)
        }
        _ => {
            let mut server = String::with_capacity(parts.origin.len() + base_path.len());
            server.push_str(parts.origin);
            push_encoded(&mut server, base_path, Component::Path);
            Cow::Owned(server)
        }
    };
    let path = match path {
        Cow::Borrowed(p) => Cow::Borrowed(p.get(suffix_at..)?),
        Cow::Owned(p) => Cow::Owned(p.get(suffix_at..)?.to_owned()),
    };
    Some(ProxyUrlParts {
        server,
        target,
        path,
        query: parts.query.map(Cow::Borrowed),
        fragment: parts.fragment.map(Cow::Borrowed),
    })
}

/// `text` without the C0 controls and spaces around it (all ASCII, so bytes will do).
fn trim_c0_and_space(text: &str) -> &str {
    let bytes = text.as_bytes();
    let start = bytes.iter().position(|&b| b > b' ').unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| b > b' ').map_or(start, |i| i + 1);
    text.get(start..end).unwrap_or_default()
}

/// Finds `api/v1/(namespaces/NS/(services|pods)|nodes)/SEGMENT/proxy` followed by `/` or the end.
/// Returns where `api` starts, the target, and where the part after `proxy` starts.
fn find_proxy_path(path: &str) -> Option<(usize, TargetRef<'_>, usize)> {
    let bytes = path.as_bytes();
    // `api` decoded starts with `a`, so its raw form starts with `a` or an escape.
    let could_start_api = |i: usize| matches!(bytes.get(i + 1), Some(b'a' | b'%'));
    bytes
        .iter()
        .enumerate()
        .filter(|&(i, &b)| b == b'/' && could_start_api(i))
        .find_map(|(i, _)| {
            let (target, suffix_at) = match_proxy_path_at(path, i + 1)?;
            Some((i + 1, target, suffix_at))
        })
}

/// The `/`-separated segments of a path from some offset on, as `split('/')` yields them, each
/// with the offset where it ends.
struct Segments<'a> {
    path: &'a str,
    next_start: Option<usize>,
}

impl<'a> Iterator for Segments<'a> {
    type Item = (&'a str, usize);

    fn next(&mut self) -> Option<(&'a str, usize)> {
        let start = self.next_start?;
        let bytes = self.path.as_bytes();
        let end = bytes
            .get(start..)?
            .iter()
            .position(|&b| b == b'/')
            .map_or(bytes.len(), |i| start + i);
        self.next_start = (end < bytes.len()).then_some(end + 1);
        // '/' is ASCII, so `start..end` is on char boundaries.
        Some((self.path.get(start..end)?, end))
    }
}

/// Segments are matched decoded, as the API server matches them; nothing is allocated for the
/// keywords, nor for a namespace and segment without escapes.
fn match_proxy_path_at(path: &str, start: usize) -> Option<(TargetRef<'_>, usize)> {
    let mut segments = Segments {
        path,
        next_start: Some(start),
    };
    let mut next = || segments.next().map(|(segment, _)| segment);
    if !decodes_to(next()?, "api") || !decodes_to(next()?, "v1") {
        return None;
    }
    let resource = next()?;
    let target = if decodes_to(resource, "namespaces") {
        let namespace = next()?;
        let resource = next()?;
        let kind = if decodes_to(resource, "services") {
            Kind::Service
        } else if decodes_to(resource, "pods") {
            Kind::Pod
        } else {
            return None;
        };
        let segment = next()?;
        let namespace = decode(namespace)?;
        target_from_segment(kind, Some(namespace), segment)?
    } else if decodes_to(resource, "nodes") {
        let segment = next()?;
        target_from_segment(Kind::Node, None, segment)?
    } else {
        return None;
    };
    let (proxy, suffix_at) = segments.next()?;
    decodes_to(proxy, "proxy").then_some((target, suffix_at))
}

/// [`TargetRef::from_segment`] of `segment` decoded: borrowed when it holds no escape, else
/// decoded on the stack (for short segments) and the name copied.
fn target_from_segment<'a>(
    kind: Kind,
    namespace: Option<Cow<'a, str>>,
    segment: &'a str,
) -> Option<TargetRef<'a>> {
    if !segment.as_bytes().contains(&b'%') {
        return TargetRef::from_segment(kind, namespace, segment).ok();
    }
    with_decoded(segment, |segment| {
        TargetRef::from_segment(kind, namespace, segment)
            .ok()
            .map(TargetRef::into_owned)
    })?
}

#[cfg(test)]
mod tests;
