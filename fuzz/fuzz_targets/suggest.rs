//! `suggest_endpoints` on any input: no panic, at most the limit, every URL a proxy URL of the
//! suggested endpoint's target (the typed path never leaves its prefix).
#![no_main]

use kubeopen::parse_proxy_url;
use kubeopen::suggest::{Markup, SuggestEndpoint, SuggestOptions, suggest_endpoints};
use libfuzzer_sys::fuzz_target;

const SERVER: &str = "https://10.0.0.1:6443";

fn endpoint(namespace: &str, name: &str, port: u16, port_name: Option<&str>, https: bool) -> SuggestEndpoint {
    let prefix = if https { "https:" } else { "" };
    let url = format!("{SERVER}/api/v1/namespaces/{namespace}/services/{prefix}{name}:{port}/proxy/");
    SuggestEndpoint::new(
        namespace,
        name,
        port,
        port_name,
        if https { "https" } else { "http" },
        &url,
    )
}

fuzz_target!(|input: &str| {
    let endpoints = [
        endpoint("demo", "web", 80, Some("http"), false),
        endpoint("demo", "web-multi", 9100, Some("metrics"), false),
        endpoint("monitoring", "grafana", 3000, Some("service"), false),
        endpoint("argocd", "argocd-server", 443, Some("https"), true),
    ];
    for markup in [Markup::Text, Markup::OmniboxXml] {
        let options = SuggestOptions {
            markup,
            limit: 3,
            ..SuggestOptions::default()
        };
        let found = suggest_endpoints(input, &endpoints, &options);
        assert!(found.len() <= 3);
        for s in found {
            let want = parse_proxy_url(&endpoints[s.index].url).map(|u| u.target);
            assert_eq!(
                parse_proxy_url(&s.url).map(|u| u.target),
                want,
                "{input:?} -> {}",
                s.url
            );
        }
    }
});
