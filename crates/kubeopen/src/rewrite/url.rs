//! One URL: [`rewrite_url`] and [`rewrite_location`].

use std::borrow::Cow;

use crate::dot_segments::{push_confined_path, resolve_like_browser};
use crate::percent::{Component, keeps};
use crate::proxy_url::proxy_path;

use super::cluster_host::cluster_target;
use super::context::{RewriteContext, default_port, proxy_prefix_len};
use super::host::{canonical_host, same_host};
use super::reference::{Absolute, Reference, parse_reference};

/// Rewrites one URL found in a page of the context's target so that it stays inside the proxy
/// (see the [module docs](super) for every case). Unchanged URLs are returned borrowed, so the
/// common case does not allocate. The result is idempotent: rewriting it again changes nothing.
///
/// ```
/// use kubeopen::rewrite::{rewrite_url, RewriteContext};
/// use kubeopen::target::Target;
///
/// let ctx = RewriteContext::new("https://k8s.example:6443", &Target::service("argocd", "argocd-server")?)?;
/// let prefix = "/api/v1/namespaces/argocd/services/argocd-server/proxy";
/// assert_eq!(rewrite_url("/applications?x=1", &ctx), format!("{prefix}/applications?x=1"));
/// assert_eq!(rewrite_url("http://k8s.example:6443/login", &ctx), format!("https://k8s.example:6443{prefix}/login"));
/// assert_eq!(rewrite_url("//K8S.example:6443/../../x", &ctx), format!("//K8S.example:6443{prefix}/x"));
/// // Already inside a proxy prefix (this or another target): unchanged.
/// assert_eq!(rewrite_url("/api/v1/nodes/n1/proxy/metrics", &ctx), "/api/v1/nodes/n1/proxy/metrics");
/// assert_eq!(rewrite_url("https://example.com/x", &ctx), "https://example.com/x");
/// assert_eq!(rewrite_url("data:image/png;base64,AAAA", &ctx), "data:image/png;base64,AAAA");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_url<'a>(url: &'a str, ctx: &RewriteContext) -> Cow<'a, str> {
    // The WHATWG parser drops leading and trailing C0 controls and spaces, and tabs and
    // newlines anywhere; read the URL as the browser will.
    let trimmed = trim_controls_and_spaces(url);
    let rewritten = if trimmed.bytes().any(|b| matches!(b, b'\t' | b'\n' | b'\r')) {
        let cleaned: String = trimmed
            .chars()
            .filter(|c| !matches!(c, '\t' | '\n' | '\r'))
            .collect();
        rewrite_clean(&cleaned, ctx)
    } else {
        rewrite_clean(trimmed, ctx)
    };
    match rewritten {
        Some(out) => Cow::Owned(out),
        None => Cow::Borrowed(url),
    }
}

/// `url` without leading and trailing C0 controls and spaces (all single bytes, so cutting at
/// them keeps UTF-8 intact).
fn trim_controls_and_spaces(url: &str) -> &str {
    let bytes = url.as_bytes();
    let start = bytes.iter().position(|&b| b > b' ').unwrap_or(bytes.len());
    let end = bytes.iter().rposition(|&b| b > b' ').map_or(start, |i| i + 1);
    url.get(start..end).unwrap_or_default()
}

/// Rewrites the value of a `Location` (or `Content-Location`, `Refresh` URL) response header.
/// It is resolved against the request's URL, so give the request URL as the context's page URL
/// to have relative redirects that climb out of the prefix clamped. Surrounding spaces and tabs
/// (HTTP's optional whitespace) are ignored.
///
/// ```
/// use kubeopen::rewrite::{rewrite_location, RewriteContext};
/// let ctx = RewriteContext::new("https://k8s.example", &kubeopen::Target::service("kibana", "kibana")?)?;
/// assert_eq!(rewrite_location(" /login?next=%2Fapp ", &ctx), "/api/v1/namespaces/kibana/services/kibana/proxy/login?next=%2Fapp");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn rewrite_location<'a>(value: &'a str, ctx: &RewriteContext) -> Cow<'a, str> {
    rewrite_url(value.trim_matches([' ', '\t']), ctx)
}

/// `None` when the URL stays as it is.
fn rewrite_clean(url: &str, ctx: &RewriteContext) -> Option<String> {
    let page_https = ctx.page.as_ref().map_or(ctx.server.https, |p| p.https());
    match parse_reference(url, page_https) {
        Reference::Untouched => None,
        Reference::RootRelative { path, rest } => {
            if is_in_proxy_prefix(path, ctx) {
                return None;
            }
            let mut out = String::with_capacity(ctx.prefix.len() + path.len() + rest.len());
            out.push_str(&ctx.prefix);
            push_path_inside(&mut out, path);
            out.push_str(rest);
            Some(out)
        }
        Reference::Relative { path, rest } => rewrite_relative(path, rest, ctx),
        Reference::Absolute(absolute) => rewrite_absolute(&absolute, ctx),
    }
}

/// Whether `path` (a URL path starting with `/` or `\`) is, as the browser will resolve it,
/// inside a proxy prefix of any target on this server.
fn is_in_proxy_prefix(path: &str, ctx: &RewriteContext) -> bool {
    let path = if path.is_empty() { "/" } else { path };
    if is_plain_path(path) {
        // Nothing for a browser to resolve: skip the resolver (the common case, and hot).
        return proxy_prefix_len(path, &ctx.server.base_path).is_some();
    }
    proxy_prefix_len(&resolve_like_browser(path), &ctx.server.base_path).is_some()
}

/// Whether `path` (starting with `/`) has only characters a path keeps as they are (RFC 3986
/// `pchar` and `/`, valid `%XX` escapes other than `%2E`/`%2F`/`%5C`), no empty segment and no
/// dot segment: then confining it changes nothing and it can be copied.
fn is_plain_path(path: &str) -> bool {
    let bytes = path.as_bytes();
    let mut previous = 0u8;
    for (i, &b) in bytes.iter().enumerate() {
        // `pchar` other than `.` (which needs the check below) is always kept as it is.
        if b != b'.' && keeps(Component::PathSegment, b) {
            previous = b;
            continue;
        }
        let ok = match b {
            // A segment may not start with `.` (it could be `.` or `..`), nor be empty.
            b'.' => previous != b'/',
            b'/' => previous != b'/' || i == 0,
            b'%' => match (bytes.get(i + 1), bytes.get(i + 2)) {
                (Some(&h), Some(&l)) if h.is_ascii_hexdigit() && l.is_ascii_hexdigit() => {
                    !matches!((h, l.to_ascii_lowercase()), (b'2', b'e' | b'f') | (b'5', b'c'))
                }
                _ => false,
            },
            _ => false,
        };
        if !ok {
            return false;
        }
        previous = b;
    }
    true
}

/// Appends `path` (starting with `/` or `\`, or empty) below the prefix in `out` (which ends with
/// `/`), confined with [`push_confined_path`]; plain paths are copied as they are, which is what
/// confining them would give.
fn push_path_inside(out: &mut String, path: &str) {
    if path.len() > 1 && path.starts_with('/') && is_plain_path(path) {
        out.push_str(&path[1..]);
    } else {
        push_confined_path(out, path);
    }
}

/// A relative path stays inside unless its `..` segments climb above the page's prefix.
fn rewrite_relative(path: &str, rest: &str, ctx: &RewriteContext) -> Option<String> {
    let page = ctx.page.as_ref()?;
    let mut depth = page.depth;
    let mut escapes = false;
    let segments: Vec<&str> = path.split(['/', '\\']).collect();
    let last = segments.len().saturating_sub(1);
    for (i, segment) in segments.iter().enumerate() {
        if is_double_dot(segment) {
            if depth == 0 {
                escapes = true;
                break;
            }
            depth -= 1;
        } else if !is_single_dot(segment) && i < last {
            depth += 1;
        }
    }
    if !escapes {
        return None;
    }
    let mut out = String::with_capacity(page.prefix.len() + page.dir.len() + path.len() + rest.len());
    out.push_str(&page.prefix);
    let mut joined = String::with_capacity(page.dir.len() + path.len());
    joined.push_str(&page.dir);
    joined.push_str(path);
    push_confined_path(&mut out, &joined);
    out.push_str(rest);
    Some(out)
}

fn is_single_dot(segment: &str) -> bool {
    segment == "." || segment.eq_ignore_ascii_case("%2e")
}

fn is_double_dot(segment: &str) -> bool {
    segment == ".."
        || segment.eq_ignore_ascii_case(".%2e")
        || segment.eq_ignore_ascii_case("%2e.")
        || segment.eq_ignore_ascii_case("%2e%2e")
}

fn rewrite_absolute(url: &Absolute<'_>, ctx: &RewriteContext) -> Option<String> {
    let websocket = url.scheme.is_some_and(|s| s.is_websocket());
    // A protocol-relative URL takes the page's scheme; without a page, the server's.
    let secure = url.scheme.map_or_else(
        || ctx.page.as_ref().map_or(ctx.server.https, |p| p.https()),
        |s| s.is_secure(),
    );
    if names_server(url, secure, ctx) {
        let path = if url.path.is_empty() { "/" } else { url.path };
        let inside = is_in_proxy_prefix(path, ctx);
        // Apps build absolute URLs from the Host header they receive, usually with `http`
        // because the API server does not say it was reached over TLS: use the server's scheme.
        let scheme_ok = url.scheme.is_none_or(|s| s.is_secure() == ctx.server.https);
        if inside && scheme_ok {
            return None;
        }
        let mut out =
            String::with_capacity(url.authority.len() + ctx.prefix.len() + path.len() + url.rest.len() + 8);
        match url.scheme {
            None => out.push_str(url.lead),
            Some(_) => {
                ctx.push_origin(&mut out, websocket);
                out.truncate(out.len() - ctx.server.authority.len());
            }
        }
        out.push_str(url.authority);
        if inside {
            out.push_str(path);
        } else {
            out.push_str(&ctx.prefix);
            push_path_inside(&mut out, path);
        }
        out.push_str(url.rest);
        return Some(out);
    }
    let target = cluster_target(ctx, &canonical_host(url.host)?, url.port, secure)?;
    let mut out = String::with_capacity(
        ctx.server.authority.len() + ctx.prefix.len() + 64 + url.path.len() + url.rest.len(),
    );
    ctx.push_origin(&mut out, websocket);
    if target == ctx.target {
        out.push_str(&ctx.prefix);
    } else {
        out.push_str(&ctx.server.base_path);
        out.push_str(&proxy_path(&target));
    }
    push_path_inside(&mut out, url.path);
    out.push_str(url.rest);
    Some(out)
}

/// Whether an absolute URL names the API server. Like the API server (spec §3.4) the scheme is
/// not compared: a backend that builds `http://HOST/…` from the `Host` header means the server
/// even when it is reached over TLS. The host is compared as the browser reads it (host.rs:
/// `10.000.1`, `%31%30.0.0.1` and `ｋ８ｓ.example` are hosts it may be written as). The port
/// must be the server's, explicitly or as the default of either the URL's scheme or the server's.
fn names_server(url: &Absolute<'_>, secure: bool, ctx: &RewriteContext) -> bool {
    let Some(host) = canonical_host(url.host) else {
        return false; // the browser refuses the URL: it requests nothing
    };
    if !same_host(&host, &ctx.server.host) {
        return false;
    }
    match url.port {
        None | Some("") => {
            ctx.server.port == default_port(ctx.server.https) || ctx.server.port == default_port(secure)
        }
        Some(port) => {
            let digits = port.trim_start_matches('0');
            let digits = if digits.is_empty() && !port.is_empty() {
                "0"
            } else {
                digits
            };
            digits.len() <= 5 && digits.parse::<u32>().ok() == Some(u32::from(ctx.server.port))
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::target::{Port, Target};

    fn ctx() -> RewriteContext {
        let t = Target::service("monitoring", "grafana")
            .unwrap()
            .with_port(Some(Port::number(3000).unwrap()));
        RewriteContext::new("https://k8s.example:6443", &t).unwrap()
    }

    const P: &str = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy";

    #[test]
    fn unchanged_urls_are_borrowed() {
        let ctx = ctx();
        for url in [
            "a.png",
            "#x",
            "",
            "https://other/x",
            " /api/v1/nodes/n/proxy/ ",
            "mailto:x@y",
        ] {
            assert!(
                matches!(rewrite_url(url, &ctx), Cow::Borrowed(u) if u == url),
                "{url:?}"
            );
        }
    }

    /// The copy fast path gives exactly what confining gives.
    #[test]
    fn plain_paths_copy_like_confining() {
        for path in [
            "/a/b.c/d", "/a/", "/", "/a//b", "/a/./b", "/a/../b", "/.x", "/a%2Fb", "/a%2eb", "/%41", "/%zz",
            "/é", "/a b", "/a\\b", "/x.", "/a/.b/c",
        ] {
            let (mut fast, mut slow) = (String::from("/p/"), String::from("/p/"));
            push_path_inside(&mut fast, path);
            push_confined_path(&mut slow, path);
            assert_eq!(fast, slow, "{path:?}");
        }
    }

    #[test]
    fn server_origin_variants() {
        let ctx = ctx();
        let cases = [
            (
                "https://k8s.example:6443",
                format!("https://k8s.example:6443{P}/"),
            ),
            (
                "http://K8S.example:6443/x",
                format!("https://K8S.example:6443{P}/x"),
            ),
            (
                "ws://k8s.example:6443/ws?a#b",
                format!("wss://k8s.example:6443{P}/ws?a#b"),
            ),
            (
                "https://k8s.example:06443/x",
                format!("https://k8s.example:06443{P}/x"),
            ),
            (
                "http://k8s.example:6443/api/v1/nodes/n/proxy/",
                "https://k8s.example:6443/api/v1/nodes/n/proxy/".to_owned(),
            ),
            ("\t/a\n/b ", format!("{P}/a/b")),
            ("/..%2f..%2fapi/v1/secrets", format!("{P}/api/v1/secrets")),
            ("/api/v1/nodes/n/proxy/../../../x", format!("{P}/api/v1/x")),
        ];
        for (input, want) in cases {
            assert_eq!(rewrite_url(input, &ctx), want, "{input:?}");
        }
        assert_eq!(
            rewrite_url("https://k8s.example/x", &ctx),
            "https://k8s.example/x"
        );
        assert_eq!(
            rewrite_url("https://k8s.example:643/x", &ctx),
            "https://k8s.example:643/x"
        );
    }
}
