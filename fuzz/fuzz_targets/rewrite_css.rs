//! `rewrite_css` on any string: no panic; idempotent; and the streaming `CssStream`, fed the same
//! text in two pieces split anywhere, writes exactly what the one-shot rewrite does.
#![no_main]

use kubeopen::rewrite::css::CssStream;
use kubeopen::rewrite::{RewriteContext, rewrite_css};
use kubeopen::target::Target;
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: (u16, &str)| {
    let (split, css) = input;
    let ctx = RewriteContext::new(
        "https://k8s.example",
        &Target::service("a", "web").expect("valid"),
    )
    .expect("valid");
    let once = rewrite_css(css, &ctx);
    assert_eq!(rewrite_css(&once, &ctx), once, "not idempotent for {css:?}");
    let bytes = css.as_bytes();
    let split = usize::from(split) % (bytes.len() + 1);
    let mut stream = CssStream::new();
    let mut out = Vec::new();
    stream.write(&bytes[..split], &ctx, &mut |b: &[u8]| out.extend_from_slice(b));
    stream.write(&bytes[split..], &ctx, &mut |b: &[u8]| out.extend_from_slice(b));
    stream.end(&ctx, &mut |b: &[u8]| out.extend_from_slice(b));
    assert_eq!(out, once.as_bytes(), "split at {split} of {css:?}");
});
