//! Native cost of the hot paths (budget: building or parsing a proxy URL under 1 µs).
//!
//! Run with `cargo bench -p kubeopen --bench proxy_url`.
#![allow(
    clippy::expect_used,
    reason = "set-up on constant inputs, not reachable from input"
)]

use divan::black_box;
use kubeopen::{AddressOptions, Port, Query, Target, parse_proxy_url, proxy_url, resolve_address};

fn main() {
    divan::main();
}

fn grafana() -> Target {
    let port = Port::number(3000).expect("valid port");
    Target::service("monitoring", "grafana")
        .expect("valid service")
        .with_port(Some(port))
}

/// The common case: a plain path and query on a server with a path of its own.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn build_proxy_url(bencher: divan::Bencher) {
    let target = grafana();
    bencher.bench_local(|| {
        proxy_url(
            black_box("https://rancher.example/k8s/clusters/c-abc"),
            black_box(&target),
            black_box("/d/abc123/node-exporter?orgId=1&refresh=30s"),
            Query::None,
        )
    });
}

/// A path that needs work: dot segments in every spelling, escapes and non-ASCII.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn build_proxy_url_hostile_path(bencher: divan::Bencher) {
    let target = grafana();
    bencher.bench_local(|| {
        proxy_url(
            black_box("http://localhost:8001"),
            black_box(&target),
            black_box("/a/./b/../%2e%2E/..%2f..%5Cx/my dashboard/é"),
            Query::Pairs(&[("q", "up{job=\"node\"}"), ("q", "a b")]),
        )
    });
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn parse_proxy_url_typical(bencher: divan::Bencher) {
    let url = "https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/monitoring/services/https%3Agrafana%3A3000/proxy/d/abc123/node-exporter?orgId=1#panel-2";
    bencher.bench_local(|| parse_proxy_url(black_box(url)));
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn resolve_address_host_form(bencher: divan::Bencher) {
    let options = AddressOptions::default();
    bencher.bench_local(|| {
        resolve_address(
            black_box("http://grafana.monitoring.svc.cluster.local:3000/d/x?orgId=1"),
            black_box(&options),
        )
    });
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn target_from_segment(bencher: divan::Bencher) {
    bencher.bench_local(|| {
        Target::from_segment(
            kubeopen::Kind::Service,
            Some(black_box("monitoring")),
            black_box("https:grafana:3000"),
        )
    });
}

#[divan::bench(sample_count = 500, sample_size = 200)]
fn parse_proxy_url_short(bencher: divan::Bencher) {
    bencher.bench_local(|| parse_proxy_url(black_box("http://h/api/v1/nodes/n1/proxy/")));
}

/// The borrowed parse the wasm facade uses: no copies of the parts.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn parse_proxy_url_parts_typical(bencher: divan::Bencher) {
    let url = "https://10.0.1.149:443/api/v1/namespaces/kube-system/services/https:kubernetes-dashboard:/proxy/#!/login?x=1";
    bencher.bench_local(|| kubeopen::proxy_url::parse_proxy_url_parts(black_box(url)));
}

/// The borrowed `resolve_address` the wasm facade uses.
#[divan::bench(sample_count = 500, sample_size = 200)]
fn resolve_address_parts_host_form(bencher: divan::Bencher) {
    let options = AddressOptions::default();
    bencher.bench_local(|| {
        kubeopen::address::resolve_address_parts(
            black_box("https://kubernetes-dashboard.kube-system.svc.cluster.local:443/#!/login"),
            black_box(&options),
        )
    });
}
