//! `rewrite_url` and `rewrite_location` on any string: no panic; rewriting twice is rewriting
//! once; and a rewritten URL, resolved by a browser (the WHATWG parser) from a page inside the
//! prefix, is inside a proxy prefix or on another origin — never elsewhere on the server.
#![no_main]

use kubeopen::rewrite::{RewriteContext, rewrite_location, rewrite_url};
use kubeopen::target::{Port, Target};
use libfuzzer_sys::fuzz_target;

const PAGE: &str = "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x/y";

fn inside(url: &url::Url) -> bool {
    let on_server = url.host_str() == Some("10.0.0.1") && url.port_or_known_default() == Some(6443);
    if !on_server || !matches!(url.scheme(), "http" | "https" | "ws" | "wss") {
        return true;
    }
    let segments: Vec<&str> = url.path().split('/').collect();
    match segments.as_slice() {
        [
            "",
            "api",
            "v1",
            "namespaces",
            ns,
            "services" | "pods",
            name,
            "proxy",
            ..,
        ] => !ns.is_empty() && !name.is_empty(),
        ["", "api", "v1", "nodes", name, "proxy", ..] => !name.is_empty(),
        _ => false,
    }
}

/// `url` 2.5.8 keeps a drive-letter-like segment (`p:`, `p|`) when `..` should pop it, in every
/// scheme (servo/rust-url#1130; the WHATWG standard exempts only `file:`, and browsers pop it).
/// Such a segment is an ordinary one in http(s), so the oracle renames it to another ordinary
/// segment of the same length before resolving: `/p:/../x` is then `/x`, as in a browser.
fn without_drive_letter_segments(url: &str) -> String {
    let end = url.find(['?', '#']).unwrap_or(url.len());
    let (path, rest) = url.split_at(end);
    let mut out = String::with_capacity(url.len());
    let mut start = 0;
    for (i, c) in path.char_indices().chain([(path.len(), '/')]) {
        if c == '/' || c == '\\' {
            let segment = &path[start..i];
            let b = segment.as_bytes();
            // Only after a separator: a leading `p:` is a scheme, not a segment.
            if start > 0 && b.len() == 2 && b[0].is_ascii_alphabetic() && (b[1] == b':' || b[1] == b'|') {
                out.push(char::from(b[0]));
                out.push('_');
            } else {
                out.push_str(segment);
            }
            if i < path.len() {
                out.push(c);
            }
            start = i + c.len_utf8();
        }
    }
    out.push_str(rest);
    out
}

fuzz_target!(|input: &str| {
    let grafana = Target::service("monitoring", "grafana")
        .expect("valid")
        .with_port(Some(Port::number(3000).expect("valid")));
    let ctx = RewriteContext::new("https://10.0.0.1:6443", &grafana)
        .expect("valid server")
        .with_page_url(PAGE)
        .expect("valid page");
    let page = url::Url::parse(PAGE).expect("valid page");
    for once in [rewrite_url(input, &ctx), rewrite_location(input, &ctx)] {
        let twice = rewrite_url(&once, &ctx);
        assert_eq!(once, twice, "not idempotent for {input:?}");
        if once != input
            && let Ok(resolved) = page.join(&without_drive_letter_segments(&once))
        {
            assert!(inside(&resolved), "{input:?} -> {once:?} -> {resolved}");
        }
    }
});
