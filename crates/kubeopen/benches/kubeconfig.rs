//! Native cost of reading a large kubeconfig (budget: a 1 MB file with hundreds of contexts
//! parses in under 20 ms).
//!
//! Run with `cargo bench -p kubeopen --bench kubeconfig`.
#![allow(
    clippy::expect_used,
    reason = "set-up on constant inputs, not reachable from input"
)]

#[path = "../tests/support/big_kubeconfig.rs"]
mod big;

use divan::black_box;
use kubeopen::kubeconfig::{Kubeconfig, resolve_context};

fn main() {
    divan::main();
}

/// Contexts needed for ~1 MB (each context, cluster and user together is ~2.3 KB).
const CONTEXTS: usize = 440;

/// Parse (YAML events, tree, typed model, base64 checks) of ~1 MB.
#[divan::bench(sample_count = 30, sample_size = 1)]
fn parse_1mb(bencher: divan::Bencher) {
    let text = big::big_kubeconfig(CONTEXTS);
    assert!(text.len() >= 1_000_000, "{} bytes", text.len());
    bencher
        .counter(divan::counter::BytesCount::new(text.len()))
        .bench_local(|| Kubeconfig::parse(black_box(&text)).expect("valid kubeconfig"));
}

/// Resolving the current context of that file (after parsing).
#[divan::bench(sample_count = 100, sample_size = 10)]
fn resolve_current_context(bencher: divan::Bencher) {
    let config = Kubeconfig::parse(&big::big_kubeconfig(CONTEXTS)).expect("valid kubeconfig");
    bencher.bench_local(|| resolve_context(black_box(&config), None));
}
