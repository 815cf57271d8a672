//! The request-path handling, as pure functions on bytes (spec §4.1): how kube-apiserver's
//! `RequestInfoFactory` splits a decoded `/api/v1/...` path into resource, name and subresource,
//! and how the proxy subresource turns the segments after `proxy` into the backend path,
//! `PathPrepend` and `X-Forwarded-Uri`. No I/O; the fuzz target `sandbox_path` calls these.

use crate::gourl;

/// A decoded request path under `/api/v1`, split as `requestinfo.go` does: trim `/` at both
/// ends, split on `/`, keep empty and dot segments. Every field borrows from the input.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct ApiPath<'a> {
    /// The segment after `namespaces` (also when the resource is the namespace itself).
    pub namespace: Option<&'a [u8]>,
    /// The resource (`services`, `namespaces`, …); may be empty.
    pub resource: &'a [u8],
    /// The object name (`web:http`).
    pub name: Option<&'a [u8]>,
    /// The subresource (`proxy`, `status`, …).
    pub subresource: Option<&'a [u8]>,
    /// The segments after the subresource, joined again by `/` (empty when there are none).
    pub rest: &'a [u8],
}

/// The path with every leading and trailing `/` removed.
pub fn trim_slashes(p: &[u8]) -> &[u8] {
    let start = p.iter().position(|&c| c != b'/').unwrap_or(p.len());
    let end = p.iter().rposition(|&c| c != b'/').map_or(start, |e| e + 1);
    &p[start..end.max(start)]
}

/// Splits a decoded request path; `None` when it is not `/api/v1/{something}` (404).
pub fn split_api_path(decoded: &[u8]) -> Option<ApiPath<'_>> {
    let tail = trim_slashes(decoded).strip_prefix(b"api/v1/")?;
    Some(split_tail(tail))
}

/// Splits a decoded `/apis/{group}/{version}/{something}` path the same way; returns the group,
/// the version and the split. `None` for anything else (the group's discovery documents
/// included, which have nothing after the version).
pub fn split_group_path(decoded: &[u8]) -> Option<(&[u8], &[u8], ApiPath<'_>)> {
    let rest = trim_slashes(decoded).strip_prefix(b"apis/")?;
    let mut it = rest.splitn(3, |&c| c == b'/');
    let (group, version, tail) = (it.next()?, it.next()?, it.next()?);
    Some((group, version, split_tail(tail)))
}

/// The `requestinfo.go` split of what follows the API prefix (`parts[2..]` for `/api/v1`).
fn split_tail(tail: &[u8]) -> ApiPath<'_> {
    // Segments 0..=4 are all that is ever looked at one by one; item 5 is the unsplit tail.
    let mut seg: [&[u8]; 6] = [b""; 6];
    let mut n = 0;
    for (slot, s) in seg.iter_mut().zip(tail.splitn(6, |&c| c == b'/')) {
        *slot = s;
        n += 1;
    }
    let mut first = 0;
    let mut namespace = None;
    if seg[0] == b"namespaces" && n > 1 {
        namespace = Some(seg[1]);
        if n > 2 && seg[2] != b"status" && seg[2] != b"finalize" {
            first = 2;
        }
    }
    let at = |k: usize| (k < n).then(|| seg[k]);
    // The segments after the subresource, joined by '/': a tail of `tail`.
    let rest_at = first + 3;
    let rest = if rest_at < n {
        let skip: usize = seg[..rest_at].iter().map(|s| s.len() + 1).sum();
        tail.get(skip..).unwrap_or_default()
    } else {
        b""
    };
    ApiPath {
        namespace,
        resource: seg[first],
        name: at(first + 1),
        subresource: at(first + 2),
        rest,
    }
}

/// What the proxy subresource derives from the request path (upstream `getRequestOptions`,
/// `Connect`, `UpgradeAwareHandler.ServeHTTP` and `defaultProxyTransport`).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProxyPaths {
    /// `location.Path`: `JoinPreservingTrailingSlash("", "/" + rest)` — cleaned, rooted or empty.
    pub location_path: Vec<u8>,
    /// The decoded path sent to the backend: the location path, plus the request's trailing
    /// `/`. Empty means "no path": GET and HEAD are redirected to `…/proxy/`.
    pub backend_path: Vec<u8>,
    /// `PathPrepend` for the link-rewriting transport: the decoded request path minus the
    /// backend path.
    pub path_prepend: Vec<u8>,
    /// The backend path escaped as Go's `URL.EscapedPath` writes it (`""` when empty).
    pub escaped: String,
    /// The `X-Forwarded-Uri` header value (`path.Join(PathPrepend, escaped)`, trailing `/` kept).
    pub forwarded_uri: Vec<u8>,
}

impl ProxyPaths {
    /// From the whole decoded request path and the joined segments after `proxy`
    /// ([`ApiPath::rest`]).
    pub fn new(decoded_path: &[u8], rest: &[u8]) -> ProxyPaths {
        let trailing = decoded_path.ends_with(b"/");
        let mut sub = Vec::with_capacity(rest.len() + 2);
        if !rest.is_empty() && !rest.starts_with(b"/") {
            sub.push(b'/');
        }
        sub.extend_from_slice(rest);
        if trailing {
            sub.push(b'/');
        }
        let location_path = gourl::join_preserving_trailing_slash(&[b"", &sub]);
        let mut backend_path = location_path.clone();
        if trailing && !backend_path.ends_with(b"/") {
            backend_path.push(b'/');
        }
        let path_prepend = decoded_path
            .strip_suffix(backend_path.as_slice())
            .unwrap_or(decoded_path)
            .to_vec();
        let escaped = gourl::escape(&backend_path, gourl::Mode::Path);
        let mut forwarded_uri = gourl::join(&[&path_prepend, escaped.as_bytes()]);
        if backend_path.ends_with(b"/") {
            forwarded_uri.push(b'/');
        }
        ProxyPaths {
            location_path,
            backend_path,
            path_prepend,
            escaped,
            forwarded_uri,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The original implementation (a `Vec` of every segment), kept to check the new one.
    type Split = (
        Option<Vec<u8>>,
        Vec<u8>,
        Option<Vec<u8>>,
        Option<Vec<u8>>,
        Vec<u8>,
    );

    fn reference(decoded: &[u8]) -> Option<Split> {
        let trimmed = trim_slashes(decoded);
        let parts: Vec<&[u8]> = trimmed.split(|&c| c == b'/').collect();
        if parts.len() < 3 || parts[0] != b"api" || parts[1] != b"v1" {
            return None;
        }
        let mut cur: &[&[u8]] = &parts[2..];
        let mut namespace = None;
        if cur[0] == b"namespaces" && cur.len() > 1 {
            namespace = Some(cur[1].to_vec());
            if cur.len() > 2 && cur[2] != b"status" && cur[2] != b"finalize" {
                cur = &cur[2..];
            }
        }
        let rest = if cur.len() > 3 {
            cur[3..].join(&b'/')
        } else {
            Vec::new()
        };
        Some((
            namespace,
            cur[0].to_vec(),
            cur.get(1).map(|s| s.to_vec()),
            cur.get(2).map(|s| s.to_vec()),
            rest,
        ))
    }

    #[test]
    fn split_matches_the_segment_vector() {
        let pieces: [&str; 12] = [
            "api",
            "v1",
            "namespaces",
            "demo",
            "services",
            "web:http",
            "proxy",
            "",
            ".",
            "..",
            "status",
            "x",
        ];
        // Every path of up to 9 pieces from a small alphabet, with and without end slashes.
        let mut paths = vec![String::new()];
        let mut frontier = vec![String::new()];
        for _ in 0..9 {
            let mut next = Vec::new();
            for p in &frontier {
                for (i, s) in pieces.iter().enumerate() {
                    // Keep the tree small: the canonical prefix most of the time.
                    if p.split('/').count() < 7 && (i % 3 != 0 && i > 6) {
                        continue;
                    }
                    next.push(format!("{p}/{s}"));
                }
            }
            next.truncate(20_000);
            paths.extend(next.iter().cloned());
            frontier = next;
        }
        paths.push("/api/v1/namespaces/demo/services/web:http/proxy/a/b/c/d/e/".into());
        paths.push("//api//v1//namespaces//demo".into());
        for p in &paths {
            for q in [p.clone(), format!("{p}/"), format!("/{p}//")] {
                let got = split_api_path(q.as_bytes()).map(|a| {
                    (
                        a.namespace.map(<[u8]>::to_vec),
                        a.resource.to_vec(),
                        a.name.map(<[u8]>::to_vec),
                        a.subresource.map(<[u8]>::to_vec),
                        a.rest.to_vec(),
                    )
                });
                assert_eq!(got, reference(q.as_bytes()), "{q:?}");
            }
        }
    }

    #[test]
    fn proxy_paths_examples() {
        let p = ProxyPaths::new(b"/api/v1/namespaces/demo/services/web/proxy/a/../b/", b"a/../b");
        assert_eq!(p.location_path, b"/b/");
        assert_eq!(p.backend_path, b"/b/");
        assert_eq!(p.path_prepend, b"/api/v1/namespaces/demo/services/web/proxy/a/..");
        assert_eq!(p.escaped, "/b/");
        let p = ProxyPaths::new(b"/api/v1/namespaces/demo/services/web/proxy", b"");
        assert!(p.backend_path.is_empty());
        let p = ProxyPaths::new(b"/api/v1/nodes/n/proxy/x y", b"x y");
        assert_eq!(p.escaped, "/x%20y");
        assert_eq!(p.forwarded_uri, b"/api/v1/nodes/n/proxy/x%20y");
    }
}
