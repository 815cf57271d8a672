//! kubeopen-sandbox's request-path handling on any request path: `%`-decoding, the
//! `requestinfo.go` split of `/api/v1/...` into namespace/resource/name/subresource, and the
//! proxy subresource's backend path (`path.Clean`, `JoinPreservingTrailingSlash`, Go's path
//! escaping, `PathPrepend`, `X-Forwarded-Uri`). Invariants: nothing panics; the split agrees
//! with the straightforward segment-vector version; the backend path is cleaned (rooted, no
//! `.`/`..`/empty segments) and its escaped form decodes back to it and is a plain request
//! target; `PathPrepend` + backend path give back the request path.
#![no_main]

use kubeopen_sandbox::gourl::{self, GoUrl, Mode, Rewriter};
use kubeopen_sandbox::paths::{ProxyPaths, split_api_path, trim_slashes};
use libfuzzer_sys::fuzz_target;

/// requestinfo.go as first written: every segment in a `Vec`.
fn reference(decoded: &[u8]) -> Option<(Option<&[u8]>, &[u8], Option<&[u8]>, Option<&[u8]>, Vec<u8>)> {
    let trimmed = trim_slashes(decoded);
    let parts: Vec<&[u8]> = trimmed.split(|&c| c == b'/').collect();
    if parts.len() < 3 || parts[0] != b"api" || parts[1] != b"v1" {
        return None;
    }
    let mut cur: &[&[u8]] = &parts[2..];
    let mut namespace = None;
    if cur[0] == b"namespaces" && cur.len() > 1 {
        namespace = Some(cur[1]);
        if cur.len() > 2 && cur[2] != b"status" && cur[2] != b"finalize" {
            cur = &cur[2..];
        }
    }
    let rest = if cur.len() > 3 { cur[3..].join(&b'/') } else { Vec::new() };
    Some((namespace, cur[0], cur.get(1).copied(), cur.get(2).copied(), rest))
}

fn check_clean(p: &[u8]) {
    let c = gourl::clean(p);
    assert_eq!(gourl::clean(&c), c, "clean is idempotent");
    if p.first() == Some(&b'/') {
        assert!(c.first() == Some(&b'/'));
        if c != b"/" {
            assert!(
                c[1..].split(|&b| b == b'/').all(|s| !matches!(s, b"" | b"." | b"..")),
                "rooted clean path with an empty, . or .. segment: {:?}",
                String::from_utf8_lossy(&c)
            );
        }
    }
}

fuzz_target!(|data: &[u8]| {
    let raw = String::from_utf8_lossy(data);
    check_clean(data);

    // The request target's path, as the server decodes it (a bad escape is a 400).
    let Ok(decoded) = gourl::unescape(&raw) else {
        return;
    };
    // Go's path escaping round-trips any bytes.
    let escaped = gourl::escape(&decoded, Mode::Path);
    assert_eq!(gourl::unescape(&escaped).ok().as_deref(), Some(&decoded[..]));

    let Some(ap) = split_api_path(&decoded) else {
        assert!(reference(&decoded).is_none());
        return;
    };
    let want = reference(&decoded).expect("the reference split accepts it too");
    assert_eq!(
        (ap.namespace, ap.resource, ap.name, ap.subresource, ap.rest.to_vec()),
        want,
        "split of {:?}",
        String::from_utf8_lossy(&decoded)
    );
    if !ap.rest.is_empty() {
        assert!(ap.subresource.is_some());
    }

    // Whatever the subresource, the proxy's path computation must hold up.
    let p = ProxyPaths::new(&decoded, ap.rest);
    let bp = &p.backend_path;
    if bp.is_empty() {
        // Only "no segments after proxy" gives no path (GET/HEAD: 301 to ".../proxy/").
        assert!(p.location_path.is_empty());
    } else {
        assert_eq!(bp[0], b'/', "backend path is rooted");
        let body = bp[1..].strip_suffix(b"/").unwrap_or(&bp[1..]);
        if !body.is_empty() {
            assert!(
                body.split(|&c| c == b'/').all(|s| !matches!(s, b"" | b"." | b"..")),
                "backend path not clean: {:?} from {:?}",
                String::from_utf8_lossy(bp),
                String::from_utf8_lossy(&decoded)
            );
        }
        // The request's trailing slash is kept (JoinPreservingTrailingSlash), and only it.
        if bp.len() > 1 {
            assert_eq!(bp.ends_with(b"/"), decoded.ends_with(b"/"));
        }
    }
    // The escaped backend path decodes back to it and is a plain origin-form path.
    assert_eq!(gourl::unescape(&p.escaped).ok().as_deref(), Some(&bp[..]));
    assert!(
        p.escaped.bytes().all(|c| c.is_ascii_graphic() && c != b'?' && c != b'#'),
        "escaped backend path {:?}",
        p.escaped
    );
    // PathPrepend is the request path minus the backend path (or all of it).
    if decoded.ends_with(bp) {
        assert_eq!([&p.path_prepend[..], &bp[..]].concat(), decoded);
    } else {
        assert_eq!(p.path_prepend, decoded);
    }
    check_clean(&p.forwarded_uri);

    // The link-rewriting transport on the raw input as a URL (Location header, attributes).
    let rw = Rewriter {
        path_prepend: p.path_prepend.clone(),
        source_host: "10.0.0.5:80".into(),
        request_host: "127.0.0.1:8443".into(),
        ..Rewriter::default()
    };
    if let Ok(u) = GoUrl::parse(&raw) {
        let _ = u.go_string();
        let _ = rw.rewrite_url(u);
    }
});
