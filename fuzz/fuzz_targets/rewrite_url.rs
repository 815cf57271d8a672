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
            && let Ok(resolved) = page.join(&once)
        {
            assert!(inside(&resolved), "{input:?} -> {once:?} -> {resolved}");
        }
    }
});
