//! A URL's host read as a browser reads it (`rewrite/host.rs`), against the `url` crate (the
//! WHATWG parser): a protocol-relative URL whose host is any string is rewritten into the proxy
//! prefix exactly when the browser would send it to the API server, and left alone when it goes
//! elsewhere. Hosts are where `10.000.1`, `%31%30.0.0.1`, `１０.０.０.１` or `[0:0::a00:1]` hide.
#![no_main]

use kubeopen::rewrite::{RewriteContext, rewrite_url};
use kubeopen::target::Target;
use libfuzzer_sys::fuzz_target;

const SERVERS: [(&str, &str); 2] = [
    ("https://10.0.0.1:6443", "10.0.0.1"),
    ("https://[::a00:1]:6443", "[::a00:1]"),
];

fuzz_target!(|input: (bool, &str)| {
    let (ipv6, host) = input;
    // Only the host: what ends it (or what the browser cuts from it first) is another test's.
    let bracketed = host.starts_with('[') && host.ends_with(']');
    if host.is_empty()
        || host.contains(['/', '\\', '?', '#', '@'])
        || host.chars().any(|c| c <= ' ' || c == '\u{7f}')
        || (host.contains(':') && !bracketed)
    {
        return;
    }
    let (server, server_host) = SERVERS[usize::from(ipv6)];
    let target = Target::service("monitoring", "grafana").expect("valid");
    let ctx = RewriteContext::new(server, &target).expect("valid server");
    let written = format!("//{host}:6443/x");
    let rewritten = rewrite_url(&written, &ctx);
    let Ok(read) = url::Url::parse(&format!("https:{written}")) else {
        return; // the browser refuses it: whatever the rewrite did, nothing is requested
    };
    let to_server = read.host_str().map(|h| h.strip_suffix('.').unwrap_or(h)) == Some(server_host);
    // Into the prefix exactly when the browser sends it to the server. (A host naming a service
    // of the cluster, `grafana.monitoring.svc`, is rewritten to that service's proxy URL: not this.)
    let prefixed =
        rewritten.as_ref() == format!("//{host}:6443/api/v1/namespaces/monitoring/services/grafana/proxy/x");
    assert_eq!(
        prefixed,
        to_server,
        "{written:?} -> {rewritten:?}; the browser reads host {:?}",
        read.host_str()
    );
});
