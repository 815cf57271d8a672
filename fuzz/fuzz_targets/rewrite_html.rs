//! The streaming HTML rewriter on any bytes: no panic; the output does not depend on where the
//! input is split; the buffers stay within the stated memory bound; rewriting the output again
//! changes nothing; and `rewrite_html` agrees with the streaming rewriter.
#![no_main]

use kubeopen::rewrite::{HtmlRewriter, RewriteContext, rewrite_html};
use kubeopen::target::Target;
use libfuzzer_sys::fuzz_target;

/// A small tag limit, so that the fuzzer reaches the "tag too long" path.
const SMALL_TAG_LIMIT: usize = 1024;

fn run(ctx: &RewriteContext, pieces: &[&[u8]], max_tag_bytes: usize) -> Vec<u8> {
    let mut rewriter = HtmlRewriter::new(ctx.clone()).with_max_tag_bytes(max_tag_bytes);
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
    let whole = run(&ctx, &[html], SMALL_TAG_LIMIT);
    let mut cuts = [
        usize::from(a) % (html.len() + 1),
        usize::from(b) % (html.len() + 1),
    ];
    cuts.sort_unstable();
    let pieces = [&html[..cuts[0]], &html[cuts[0]..cuts[1]], &html[cuts[1]..]];
    assert_eq!(run(&ctx, &pieces, SMALL_TAG_LIMIT), whole, "splits at {cuts:?}");
    // Idempotent, at a tag limit that no tag reaches in either pass (a tag is never longer than
    // the document). Not at the small limit, by design: a tag that the first pass grew past it
    // (say a `<base href>` full of `<`, each now `%3C`) is passed through by the second pass,
    // which then resolves later relative URLs without that base; and a tag the first pass
    // passed through would be rewritten by a second pass with a larger limit. Without too-long
    // tags `unlimited` is `whole`.
    let unlimited = run(&ctx, &[html], html.len().max(SMALL_TAG_LIMIT));
    assert_eq!(
        run(&ctx, &[&unlimited], unlimited.len().max(SMALL_TAG_LIMIT)),
        unlimited,
        "not idempotent"
    );
    if html.len() < SMALL_TAG_LIMIT
        && let Ok(text) = std::str::from_utf8(html)
    {
        assert_eq!(
            rewrite_html(text, &ctx).as_bytes(),
            whole.as_slice(),
            "rewrite_html differs"
        );
    }
});
