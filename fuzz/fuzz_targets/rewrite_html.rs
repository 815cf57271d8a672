//! The streaming HTML rewriter on any bytes: no panic; the output does not depend on where the
//! input is split; the buffers stay within the stated memory bound; rewriting the output again
//! changes nothing; and `rewrite_html` agrees with the streaming rewriter.
#![no_main]

use kubeopen::rewrite::{HtmlRewriter, RewriteContext, rewrite_html};
use kubeopen::target::Target;
use libfuzzer_sys::fuzz_target;

fn run(ctx: &RewriteContext, pieces: &[&[u8]]) -> Vec<u8> {
    // A small tag limit so that the fuzzer reaches the "tag too long" path.
    let mut rewriter = HtmlRewriter::new(ctx.clone()).with_max_tag_bytes(1024);
    let bound = rewriter.memory_bound();
    let mut out = Vec::new();
    for piece in pieces {
        rewriter.write(piece, &mut |b: &[u8]| out.extend_from_slice(b));
        assert!(
            rewriter.memory_in_use() <= bound,
            "{} > {bound}",
            rewriter.memory_in_use()
        );
    }
    rewriter.end(&mut |b: &[u8]| out.extend_from_slice(b));
    out
}

fuzz_target!(|input: (u16, u16, &[u8])| {
    let (a, b, html) = input;
    let ctx = RewriteContext::new(
        "https://k8s.example",
        &Target::service("a", "web").expect("valid"),
    )
    .expect("valid")
    .with_page_url("https://k8s.example/api/v1/namespaces/a/services/web/proxy/x/")
    .expect("valid");
    let whole = run(&ctx, &[html]);
    let mut cuts = [
        usize::from(a) % (html.len() + 1),
        usize::from(b) % (html.len() + 1),
    ];
    cuts.sort_unstable();
    let pieces = [&html[..cuts[0]], &html[cuts[0]..cuts[1]], &html[cuts[1]..]];
    assert_eq!(run(&ctx, &pieces), whole, "splits at {cuts:?}");
    // Idempotent, with the same tag limit (a tag over the limit is passed through, so a
    // larger limit could rewrite it later).
    assert_eq!(run(&ctx, &[&whole]), whole, "not idempotent");
    if html.len() < 1024
        && let Ok(text) = std::str::from_utf8(html)
    {
        assert_eq!(
            rewrite_html(text, &ctx).as_bytes(),
            whole.as_slice(),
            "rewrite_html differs"
        );
    }
});
