//! `parse_proxy_url` on any string, and `proxy_url` with any path and raw query: no panic; what
//! parses builds again; what is built parses back to its target and, read by a browser (the
//! WHATWG parser), stays inside the target's `/proxy/` prefix.
#![no_main]

use kubeopen::{Query, Target, parse_proxy_url, proxy_path, proxy_url};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    if let Some(parsed) = parse_proxy_url(input) {
        let rebuilt = parsed.to_url().expect("a parsed server builds again");
        let again = parse_proxy_url(&rebuilt).expect("a rebuilt URL parses");
        assert_eq!(again.target, parsed.target);
    }

    let targets = [
        Target::service("ns", "web").expect("valid"),
        Target::node("n1").expect("valid"),
    ];
    for (server, target) in [
        ("https://10.0.0.1:6443", &targets[0]),
        ("http://[::1]:8001/k8s", &targets[1]),
    ] {
        let built = proxy_url(server, target, input, Query::Raw(input)).expect("valid server");
        let parsed = parse_proxy_url(&built).expect("a built URL parses");
        assert_eq!(&parsed.target, target);
        let base_path = server
            .splitn(4, '/')
            .nth(3)
            .map(|p| format!("/{p}"))
            .unwrap_or_default();
        let prefix = format!("{base_path}{}", proxy_path(target));
        let browser = url::Url::parse(&built).expect("the WHATWG parser accepts it");
        assert!(
            browser.path().starts_with(&prefix),
            "{built} -> {}",
            browser.path()
        );
    }
});
