//! Throughput of the HTML rewriter on a ~1 MB realistic page (budget: ≥ 150 MB/s natively) and
//! the cost of one `rewrite_url` call (the JS budget is 3× `new URL()`, ~290 ns here; the native
//! call must leave room for the wasm boundary).
//!
//! Run with `cargo bench -p kubeopen --features html --bench rewrite`.
#![allow(
    clippy::expect_used,
    reason = "set-up on constant inputs, not reachable from input"
)]

use divan::counter::BytesCount;
use divan::{Bencher, black_box};
use kubeopen::rewrite::{HtmlRewriter, RewriteContext, rewrite_css, rewrite_html, rewrite_url};
use kubeopen::target::{Port, Target};

const DASHBOARD: &str = include_str!("../../../tests/fixtures/pages/dashboard.html");

fn main() {
    // On a loaded machine wall-clock medians mostly measure the scheduler. With
    // `KUBEOPEN_BENCH_CPU=1` this reports throughput per second of this thread's own CPU time
    // (Linux `/proc/thread-self/schedstat`), interleaved with a copy baseline.
    if std::env::var_os("KUBEOPEN_BENCH_CPU").is_some() {
        cpu_time_report();
        return;
    }
    divan::main();
}

/// This thread's CPU time in nanoseconds, if the kernel reports it.
fn thread_cpu_ns() -> Option<u64> {
    let text = std::fs::read_to_string("/proc/thread-self/schedstat").ok()?;
    text.split_whitespace().next()?.parse().ok()
}

fn cpu_time_report() {
    let ctx = ctx();
    let page = page_1mb();
    let mb = page.len() as f64 / 1e6;
    let mut results: Vec<(&str, Vec<f64>)> = vec![
        ("html one-shot", Vec::new()),
        ("html streamed 16 KiB", Vec::new()),
    ];
    for _ in 0..30 {
        for (name, samples) in &mut results {
            let start = thread_cpu_ns().expect("schedstat is readable");
            if name.starts_with("html one-shot") {
                black_box(rewrite_html(black_box(&page), &ctx));
            } else {
                let mut rewriter = HtmlRewriter::new(ctx.clone());
                let mut out = Vec::with_capacity(page.len() * 9 / 8);
                for chunk in black_box(page.as_bytes()).chunks(16 * 1024) {
                    rewriter.write(chunk, &mut |b: &[u8]| out.extend_from_slice(b));
                }
                rewriter.end(&mut |b: &[u8]| out.extend_from_slice(b));
                black_box(out);
            }
            let ns = thread_cpu_ns().expect("schedstat is readable") - start;
            samples.push(mb / (ns as f64 / 1e9));
        }
    }
    for (name, mut samples) in results {
        samples.sort_by(f64::total_cmp);
        println!(
            "{name}: median {:.0} MB/s of CPU time (min {:.0}, max {:.0}) on {:.2} MB",
            samples[samples.len() / 2],
            samples[0],
            samples[samples.len() - 1],
            mb
        );
    }
}

fn ctx() -> RewriteContext {
    let grafana = Target::service("monitoring", "grafana")
        .expect("valid service")
        .with_port(Some(Port::number(3000).expect("valid port")));
    RewriteContext::new("https://10.0.0.1:6443", &grafana)
        .expect("valid server")
        .with_page_url(
            "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/dashboards",
        )
        .expect("valid page")
}

/// The corpus page with its body repeated to just over 1 MB (head, scripts, style and the
/// closing part once): 120 rows of links, images, srcsets, iframes, forms and inline styles
/// per repetition.
fn page_1mb() -> String {
    let body_start = DASHBOARD
        .find("<nav class=\"sidemenu\"")
        .expect("corpus has a nav");
    let body_end = DASHBOARD.find("</nav>").expect("corpus has a nav");
    let (head, body, tail) = (
        &DASHBOARD[..body_start],
        &DASHBOARD[body_start..body_end],
        &DASHBOARD[body_end..],
    );
    let mut page = String::with_capacity(1 << 20 | 1 << 16);
    page.push_str(head);
    while page.len() + body.len() + tail.len() < 1 << 20 {
        page.push_str(body);
    }
    page.push_str(tail);
    page
}

/// One-shot rewrite of the whole page.
#[divan::bench(sample_count = 40)]
fn html_1mb_one_shot(bencher: Bencher) {
    let ctx = ctx();
    let page = page_1mb();
    bencher
        .counter(BytesCount::new(page.len()))
        .bench_local(|| rewrite_html(black_box(&page), &ctx));
}

/// Streaming in 16 KiB chunks, as a response body arrives.
#[divan::bench(sample_count = 40)]
fn html_1mb_streamed_16k(bencher: Bencher) {
    let ctx = ctx();
    let page = page_1mb();
    bencher.counter(BytesCount::new(page.len())).bench_local(|| {
        let mut rewriter = HtmlRewriter::new(ctx.clone());
        let mut written = 0usize;
        for chunk in black_box(page.as_bytes()).chunks(16 * 1024) {
            rewriter.write(chunk, &mut |b: &[u8]| written += b.len());
        }
        rewriter.end(&mut |b: &[u8]| written += b.len());
        written
    });
}

/// The floor: copying the page once (what any rewriter must at least do).
#[divan::bench(sample_count = 40)]
fn baseline_copy_1mb(bencher: Bencher) {
    let page = page_1mb();
    bencher
        .counter(BytesCount::new(page.len()))
        .bench_local(|| black_box(page.as_bytes()).to_vec());
}

#[divan::bench(args = [
    "/public/build/app.51d2e7c0.js",
    "public/img/x.png",
    "http://10.0.0.1:6443/login?redirect=%2Fd%2Fabc",
    "http://prometheus.monitoring.svc:9090/graph?g0.expr=up",
    "https://grafana.com/docs/",
    "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/already",
], sample_count = 500, sample_size = 200)]
fn url(bencher: Bencher, input: &str) {
    let ctx = ctx();
    bencher.bench_local(|| rewrite_url(black_box(input), &ctx));
}

#[divan::bench(sample_count = 200)]
fn css_style_block(bencher: Bencher) {
    let ctx = ctx();
    let start = DASHBOARD.find("<style>").expect("corpus has a style") + 7;
    let end = DASHBOARD.find("</style>").expect("corpus has a style");
    let css = &DASHBOARD[start..end];
    bencher
        .counter(BytesCount::new(css.len()))
        .bench_local(|| rewrite_css(black_box(css), &ctx));
}
