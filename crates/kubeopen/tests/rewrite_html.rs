//! The streaming HTML rewriter: what is rewritten, what is left byte-for-byte, chunk
//! boundaries, encodings and the memory bound.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions fail loudly on purpose"
)]
#![cfg(feature = "html")]

use kubeopen::rewrite::html::DEFAULT_MAX_TAG_BYTES;
use kubeopen::rewrite::{HtmlRewriter, RewriteContext, rewrite_html};
use kubeopen::target::{Port, Target};

const SERVER: &str = "https://10.0.0.1:6443";
const P: &str = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy";
const DASHBOARD: &str = include_str!("../../../tests/fixtures/pages/dashboard.html");
const DEMO: &str = include_str!("../../../tests/fixtures/apps/demo/index.html");

fn ctx() -> RewriteContext {
    let grafana = Target::service("monitoring", "grafana")
        .unwrap()
        .with_port(Some(Port::number(3000).unwrap()));
    RewriteContext::new(SERVER, &grafana)
        .unwrap()
        .with_page_url(&format!("{SERVER}{P}/dashboards/list"))
        .unwrap()
}

fn html(input: &str) -> String {
    rewrite_html(input, &ctx())
}

/// Feeds `input` in the given pieces and collects the output.
fn streamed(pieces: &[&[u8]], rewriter: &mut HtmlRewriter) -> Vec<u8> {
    let mut out = Vec::new();
    for piece in pieces {
        rewriter.write(piece, &mut |b: &[u8]| out.extend_from_slice(b));
    }
    rewriter.end(&mut |b: &[u8]| out.extend_from_slice(b));
    out
}

/// Every pair of the API server's attribute table (spec §3.5) is rewritten.
#[test]
fn api_server_attribute_table() {
    let table: &[(&str, &[&str])] = &[
        ("a", &["href"]),
        ("applet", &["codebase"]),
        ("area", &["href"]),
        ("audio", &["src"]),
        ("base", &["href"]),
        ("blockquote", &["cite"]),
        ("body", &["background"]),
        ("button", &["formaction"]),
        ("command", &["icon"]),
        ("del", &["cite"]),
        ("embed", &["src"]),
        ("form", &["action"]),
        ("frame", &["longdesc", "src"]),
        ("head", &["profile"]),
        ("html", &["manifest"]),
        ("iframe", &["longdesc", "src"]),
        ("img", &["longdesc", "src", "usemap"]),
        ("input", &["src", "usemap", "formaction"]),
        ("ins", &["cite"]),
        ("link", &["href"]),
        ("object", &["classid", "codebase", "data", "usemap"]),
        ("q", &["cite"]),
        ("script", &["src"]),
        ("source", &["src"]),
        ("video", &["poster", "src"]),
    ];
    for (element, attributes) in table {
        for attribute in *attributes {
            let input = format!("<{element} {attribute}=\"/x\" data-{attribute}=\"/y\">");
            let want = format!("<{element} {attribute}=\"{P}/x\" data-{attribute}=\"/y\">");
            // Each element alone, so raw-text elements (iframe, script) do not swallow the next.
            assert_eq!(html(&input), want, "{element}@{attribute}");
        }
    }
}

#[test]
fn beyond_the_api_server() {
    let cases = [
        (
            "<img srcset=\"/a.png 1x, /b.png 2x\">",
            format!("<img srcset=\"{P}/a.png 1x, {P}/b.png 2x\">"),
        ),
        (
            "<link imagesrcset='/a.png 1x'>",
            format!("<link imagesrcset='{P}/a.png 1x'>"),
        ),
        (
            "<div style=\"background:url('/bg.png')\">",
            format!("<div style=\"background:url('{P}/bg.png')\">"),
        ),
        (
            "<meta http-equiv=\"Refresh\" content=\"0; url=/login\">",
            format!("<meta http-equiv=\"Refresh\" content=\"0; url={P}/login\">"),
        ),
        (
            "<meta name=x content=\"0; url=/login\">",
            "<meta name=x content=\"0; url=/login\">".to_owned(),
        ),
        (
            "<svg><use xlink:href=\"/i.svg#a\"/><image href=/b.png /><a href='/c'>c</a></svg>",
            format!(
                "<svg><use xlink:href=\"{P}/i.svg#a\"/><image href=\"{P}/b.png\" /><a href='{P}/c'>c</a></svg>"
            ),
        ),
        ("<a ping=\"/p1 /p2\">", format!("<a ping=\"{P}/p1 {P}/p2\">")),
        (
            "<style>a{b:url(/x.png)}</style>",
            format!("<style>a{{b:url({P}/x.png)}}</style>"),
        ),
        (
            "<a href=\"http://prometheus.monitoring.svc:9090/graph\">",
            "<a href=\"https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/graph\">".to_owned(),
        ),
        // References are decoded before deciding, and `&` is written back escaped.
        (
            "<a href=\"&#47;x?a=1&amp;b=2&c=3\">",
            format!("<a href=\"{P}/x?a=1&amp;b=2&amp;c=3\">"),
        ),
        ("<a href='/it&#39;s'>", format!("<a href='{P}/it&#39;s'>")),
        // A reference the decoder does not know: left alone rather than guessed.
        ("<a href=\"/x&copy;\">", "<a href=\"/x&copy;\">".to_owned()),
    ];
    for (input, want) in cases {
        assert_eq!(html(input), want, "{input}");
    }
}

/// Only rewritten values change: case, quotes, spacing, duplicates and everything else stay.
#[test]
fn byte_for_byte_elsewhere() {
    let input = "<!DOCTYPE html>\n<A\tHREF = /x  TITLE=\"  /t \" \n data-x='/y'  >T</A >\
                 <img src=/a.png/><IMG SRC=\"/b.png\" SRC=\"/c.png\"><p class=x>text &amp; /more</p><br/>";
    let want = format!(
        "<!DOCTYPE html>\n<A\tHREF = \"{P}/x\"  TITLE=\"  /t \" \n data-x='/y'  >T</A >\
         <img src=\"{P}/a.png/\"><IMG SRC=\"{P}/b.png\" SRC=\"{P}/c.png\"><p class=x>text &amp; /more</p><br/>"
    );
    assert_eq!(html(input), want);
    // A page with nothing to rewrite comes back identical.
    let plain = "<html><body><p>Hello <b>world</b> <a href=\"x.html\">x</a></p></body></html>";
    assert_eq!(html(plain), plain);
}

/// Text that only looks like markup — in comments, raw text, RCDATA and scripts — is left alone,
/// and the element after it is rewritten again.
#[test]
fn raw_text_comments_and_scripts() {
    let untouched = [
        "<!-- <a href=\"/x\"> -->",
        "<!-- a --!> <a href=\"/y\">",
        "<script>var a = '<a href=\"/x\">';</script>",
        "<script><!--<script></script><a href=\"/x\">--></script>",
        "<SCRIPT type=module>if (a</b) x = '</scripts>';</Script >",
        "<textarea><a href=\"/x\"></textarea >",
        "<title><a href=\"/x\"></title>",
        "<noscript><img src=\"/x\"></noscript>",
        "<iframe><a href=\"/x\"></iframe>",
        "<xmp><a href=\"/x\"></xmp>",
        "<?php <a href=\"/x\"> ?>",
        "<! <a href=\"/x\"> >",
        "<svg><![CDATA[ > <a href=\"/x\"> ]]></svg>",
        "<a <b>",
    ];
    let after = "<a href=\"/after\">";
    let after_rewritten = format!("<a href=\"{P}/after\">");
    for input in untouched {
        let whole = format!("{input}{after}");
        let got = html(&whole);
        // The comment `<!-- a --!>` ends early, so its `<a href="/y">` is a real tag.
        let want = if input.contains("--!>") {
            format!("<!-- a --!> <a href=\"{P}/y\">{after_rewritten}")
        } else {
            format!("{input}{after_rewritten}")
        };
        assert_eq!(got, want, "{input}");
    }
    // `<!-->` and `<!--->` are whole (empty) comments: what follows is markup.
    for comment in ["<!-->", "<!--->"] {
        assert_eq!(
            html(&format!("{comment}<a href=/x>")),
            format!("{comment}<a href=\"{P}/x\">")
        );
    }
    // `<plaintext>` never ends.
    assert_eq!(html("<plaintext><a href=\"/x\">"), "<plaintext><a href=\"/x\">");
    // In a double-escaped script block, `</script>` does not end the script.
    let script = "<script><!--<script>x</script>y</script><a href=\"/x\">";
    assert_eq!(
        html(script),
        format!("<script><!--<script>x</script>y</script><a href=\"{P}/x\">")
    );
}

#[test]
fn foreign_content() {
    // In SVG, `<style>` and `<title>` are not raw text; a breakout tag ends foreign content.
    assert_eq!(
        html("<svg><title><a href=/x></a></title></svg><p><a href=/y>"),
        format!("<svg><title><a href=\"{P}/x\"></a></title></svg><p><a href=\"{P}/y\">")
    );
    assert_eq!(
        html("<svg><foreignObject><textarea><a href=/x></textarea></foreignObject></svg>"),
        "<svg><foreignObject><textarea><a href=/x></textarea></foreignObject></svg>"
    );
    // After a breakout, CDATA is a bogus comment again, ending at the first `>`.
    assert_eq!(
        html("<svg><p><![CDATA[ > <a href=/x> ]]>"),
        format!("<svg><p><![CDATA[ > <a href=\"{P}/x\"> ]]>")
    );
}

#[test]
fn base_href_keeps_later_relative_urls_inside() {
    // Argo CD: `<base href="/">` would send every relative URL to the server's root.
    let got = html("<base href=\"/\"><a href=\"../../../../x\"><img src=\"img/a.png\">");
    assert_eq!(
        got,
        format!("<base href=\"{P}/\"><a href=\"{P}/x\"><img src=\"img/a.png\">")
    );
    // Only the first base counts; a base elsewhere leaves relative URLs alone.
    let got = html("<base href=\"https://cdn.example/\"><base href=\"/b/\"><a href=\"../../x\">");
    assert_eq!(
        got,
        format!("<base href=\"https://cdn.example/\"><base href=\"{P}/b/\"><a href=\"../../x\">")
    );
    // Without a base, `../` past the prefix is clamped against the page URL.
    assert_eq!(html("<a href=\"../../../x\">"), format!("<a href=\"{P}/x\">"));
    assert_eq!(html("<a href=\"../x\">"), "<a href=\"../x\">");
}

#[test]
fn legacy_charsets_keep_their_bytes() {
    let ctx = ctx();
    let mut input = b"<meta charset=shift_jis><a href=\"/\x93\xfa\x96\x7b/x\">".to_vec();
    let mut out = Vec::new();
    let mut rewriter = HtmlRewriter::new(ctx.clone());
    rewriter.write(&input, &mut |b: &[u8]| out.extend_from_slice(b));
    rewriter.end(&mut |b: &[u8]| out.extend_from_slice(b));
    let want = [
        b"<meta charset=shift_jis><a href=\"".as_slice(),
        P.as_bytes(),
        b"/\x93\xfa\x96\x7b/x\">",
    ]
    .concat();
    assert_eq!(out, want);
    // The same bytes read as UTF-8 (Content-Type wins over meta) are not valid UTF-8: left alone.
    let mut rewriter = HtmlRewriter::new(ctx.clone()).with_charset("utf-8").unwrap();
    assert_eq!(streamed(&[&input], &mut rewriter), input);
    // UTF-16 declared in meta means UTF-8; ISO-2022-JP stops rewriting.
    input = b"<meta charset=iso-2022-jp><a href=/x>".to_vec();
    assert_eq!(streamed(&[&input], &mut HtmlRewriter::new(ctx.clone())), input);
    let bom16 = b"\xff\xfe<\0a\0 \0h\0r\0e\0f\0=\0/\0x\0>\0".to_vec();
    assert_eq!(streamed(&[&bom16], &mut HtmlRewriter::new(ctx.clone())), bom16);
    assert!(HtmlRewriter::new(ctx).with_charset("utf-16").is_err());
}

/// The output does not depend on where the input is split (every split point of two pages, and
/// one-byte chunks of the large one).
#[test]
fn every_split_point() {
    for page in [DEMO, &DASHBOARD[..6000]] {
        let want = html(page);
        let bytes = page.as_bytes();
        for split in 0..=bytes.len() {
            let got = streamed(&[&bytes[..split], &bytes[split..]], &mut HtmlRewriter::new(ctx()));
            assert!(
                got == want.as_bytes(),
                "split at {split}: {}",
                String::from_utf8_lossy(&got)
            );
        }
    }
    let want = html(DASHBOARD);
    let pieces: Vec<&[u8]> = DASHBOARD.as_bytes().chunks(1).collect();
    assert_eq!(
        String::from_utf8(streamed(&pieces, &mut HtmlRewriter::new(ctx()))).unwrap(),
        want
    );
    let pieces: Vec<&[u8]> = DASHBOARD.as_bytes().chunks(7).collect();
    assert_eq!(
        String::from_utf8(streamed(&pieces, &mut HtmlRewriter::new(ctx()))).unwrap(),
        want
    );
}

#[test]
fn corpus_page_stays_inside() {
    let out = html(DASHBOARD);
    // Every root-relative asset went into the prefix, nothing in scripts or comments did.
    for needle in [
        "href=\"/public/",
        "src=\"/public/build",
        "href='/d/",
        "url(/public",
        "\"/public/img/menu.png\"",
    ] {
        assert!(!out.contains(needle), "{needle} left outside the prefix");
    }
    for kept in [
        "<a href=\"/inside/script\">",
        "<a href=\"/commented/",
        "<a href=\"/in/textarea\">",
        "<noscript><img src=\"/public/img/noscript.png\"",
        "url(/commented/out.png)",
        "\"/not/a/url\"",
        "href=\"playlists/play/",
        "href=\"https://grafana.com/docs/grafana/latest/\"",
    ] {
        assert!(out.contains(kept), "{kept} should be unchanged");
    }
    assert!(out.contains(&format!("<base href=\"{P}/\">")));
    assert!(out.contains(
        "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/graph?g0.expr=up"
    ));
    // Idempotent.
    assert_eq!(html(&out), out);
}

/// Arbitrarily large input never grows the rewriter's buffers past its stated bound.
#[test]
fn memory_stays_bounded() {
    let ctx = ctx();
    let big = "x".repeat(1 << 20);
    let inputs = [
        format!("<img alt=\"{big}\" src=\"/a.png\"><a href=/b>"),
        format!("<img src=\"data:image/png;base64,{big}\">"),
        format!("<!-- {big} -->"),
        format!("<style>a{{b:url(/x)}} /* {big} */ c{{d:url('{big}')}}</style>"),
        format!("<script>{big}</script>"),
        format!("<a {}>", "b=/c ".repeat(200_000)),
        "<svg>".repeat(100_000),
        format!("<p>{big}</p>"),
    ];
    for input in &inputs {
        let mut rewriter = HtmlRewriter::new(ctx.clone());
        let bound = rewriter.memory_bound();
        assert!(bound <= 2 * DEFAULT_MAX_TAG_BYTES + 256 * 1024);
        let mut out_len = 0;
        for chunk in input.as_bytes().chunks(4096) {
            rewriter.write(chunk, &mut |b: &[u8]| out_len += b.len());
            let used = rewriter.memory_in_use();
            assert!(used <= bound, "{used} > {bound} on {}…", &input[..20]);
        }
        rewriter.end(&mut |b: &[u8]| out_len += b.len());
        assert!(out_len >= input.len());
    }
    // A tag longer than the limit passes through unchanged; the next one is rewritten.
    let input = format!("<img alt=\"{big}\" src=\"/a.png\"><a href=/b>");
    let out = html(&input);
    assert!(out.starts_with(&format!("<img alt=\"{big}\" src=\"/a.png\">")));
    assert!(out.ends_with(&format!("<a href=\"{P}/b\">")));
}

#[test]
fn unfinished_input_is_kept() {
    for input in [
        "<a href=\"/x",
        "<a href=/x",
        "<",
        "<!-",
        "<!--x",
        "</a",
        "<style>a{b:url(/x",
        "<script><!--",
    ] {
        let got = html(input);
        assert!(got.len() >= input.len(), "{input}: {got}");
        if !input.starts_with("<style>") {
            assert_eq!(got, input);
        }
    }
}

/// After `end`, the rewriter starts the next document as configured, not as the last one left
/// it (its `<base>`, its `<meta charset>`).
#[test]
fn end_resets_for_the_next_document() {
    let mut rewriter = HtmlRewriter::new(ctx());
    let first = streamed(
        &[b"<meta charset=windows-1252><base href=\"https://cdn.example/\">"],
        &mut rewriter,
    );
    assert_eq!(
        first,
        b"<meta charset=windows-1252><base href=\"https://cdn.example/\">"
    );
    let second = streamed(
        &["<a href=\"../../../x\"><a href=\"/\u{e9}\">".as_bytes()],
        &mut rewriter,
    );
    assert_eq!(
        String::from_utf8(second).unwrap(),
        format!("<a href=\"{P}/x\"><a href=\"{P}/%C3%A9\">")
    );
}

/// Found by the `rewrite_html` fuzz target: an empty first chunk, or a first chunk that ends
/// inside a byte order mark, decided the encoding too early, so a UTF-16 page (passed through
/// whole) was rewritten as if it were ASCII when split.
#[test]
fn byte_order_mark_split_anywhere() {
    for bom in [&[0xFE_u8, 0xFF][..], &[0xFF, 0xFE], &[0xEF, 0xBB, 0xBF]] {
        let mut page = bom.to_vec();
        page.extend_from_slice(br#"<a href="/x">x</a>"#);
        let whole = streamed(&[&page], &mut HtmlRewriter::new(ctx()));
        for cut in 0..=page.len() {
            let (a, b) = page.split_at(cut);
            assert_eq!(
                streamed(&[&[], a, b], &mut HtmlRewriter::new(ctx())),
                whole,
                "bom {bom:?}, cut {cut}"
            );
        }
        let bytes: Vec<&[u8]> = page.chunks(1).collect();
        assert_eq!(
            streamed(&bytes, &mut HtmlRewriter::new(ctx())),
            whole,
            "bom {bom:?}, 1-byte chunks"
        );
        // UTF-16 passes through untouched; a UTF-8 BOM page is rewritten.
        assert_eq!(whole == page, bom.len() == 2, "bom {bom:?}");
    }
}

/// Found by the `rewrite_html` fuzz target (both idempotence findings): the tokenizer turns a NUL
/// in an attribute value into U+FFFD, which the URL parser percent-encodes; the rewriter read it
/// as a C0 control, which the URL parser strips from a URL's ends. In a `srcset`, dropping the
/// NULs after `/a.png,` made the comma end the candidate, so the invalid descriptor `/b.png`
/// became a second candidate that Chromium loaded from outside the prefix.
#[test]
fn nul_in_an_attribute_value_is_u_fffd() {
    let cases = [
        (
            "<img srcset=\"/a.png,\0\0 /b.png 2x\">",
            format!("<img srcset=\"{P}/a.png,%EF%BF%BD%EF%BF%BD /b.png 2x\">"),
        ),
        ("<a href=\"/x\0\">", format!("<a href=\"{P}/x%EF%BF%BD\">")),
        // A `<base href>` with a NUL (the first finding's base) keeps the browser's path.
        (
            "<base href=\"/a\0/\"><a href=\"../z\">",
            format!("<base href=\"{P}/a%EF%BF%BD/\"><a href=\"../z\">"),
        ),
        (
            "<div style=\"background:url(/b\0.png)\">",
            format!("<div style=\"background:url({P}/b%EF%BF%BD.png)\">"),
        ),
        // CSS reads NUL as U+FFFD too: the url is a URL, not a bad url left alone.
        (
            "<style>a{b:url(/c\0.png)}</style>",
            format!("<style>a{{b:url({P}/c%EF%BF%BD.png)}}</style>"),
        ),
    ];
    for (input, want) in cases {
        assert_eq!(html(input), want, "{input:?}");
    }
    // In a legacy page an ASCII value is read as text too; what is not ASCII in the new value
    // is written as references (the query is encoded in the page's encoding: kept as such).
    let input = b"<meta charset=windows-1252><a href=\"/x\0?\0&#233;\">";
    let want = format!("<meta charset=windows-1252><a href=\"{P}/x%EF%BF%BD?&#xFFFD;&#xE9;\">");
    let legacy = |page: &[u8]| streamed(&[page], &mut HtmlRewriter::new(ctx()));
    assert_eq!(String::from_utf8(legacy(input)).unwrap(), want);
    // With legacy bytes in it, the NUL (which that page cannot spell as U+FFFD) is kept as it
    // is, like the non-ASCII bytes.
    let input = b"<meta charset=windows-1252><a href=\"/\xe9/\0\">";
    let want = [
        b"<meta charset=windows-1252><a href=\"".as_slice(),
        P.as_bytes(),
        b"/\xe9/\0\">",
    ]
    .concat();
    assert_eq!(legacy(input), want);
}

/// The C0 controls that end a `srcset` candidate's URL are not whitespace to the srcset parser
/// (they belong to the URL, which the URL parser then strips of them): rewriting the URL keeps
/// them, or `/a.png,` would end the candidate and make `/b.png` (an invalid descriptor, so no
/// candidate) a candidate that Chromium loads.
#[test]
fn srcset_keeps_the_controls_around_a_url() {
    let cases = [
        (
            "<img srcset=\"/a.png,\u{1} /b.png 2x\">",
            format!("<img srcset=\"{P}/a.png,\u{1} /b.png 2x\">"),
        ),
        (
            "<img srcset=\"\u{1f}/a.png\u{7} 1x, /c.png 2x\">",
            format!("<img srcset=\"\u{1f}{P}/a.png\u{7} 1x, {P}/c.png 2x\">"),
        ),
        // Controls only: nothing to rewrite.
        (
            "<img srcset=\"\u{1}, /c.png\">",
            format!("<img srcset=\"\u{1}, {P}/c.png\">"),
        ),
    ];
    for (input, want) in cases {
        assert_eq!(html(input), want, "{input:?}");
    }
}

/// Why the fuzz target states idempotence at a tag limit no tag reaches (the first finding): a
/// `<base href>` under the limit that rewriting grows past it (each `<` becomes `%3C`) is passed
/// through unchanged by a second pass at the same limit, which then no longer knows the base
/// and rewrites a relative URL that the first pass had rightly left to it.
#[test]
fn a_tag_grown_past_the_limit_is_passed_through_again() {
    let input = format!("<base href=\"/a/{}/\"><a href=../../z>", "<".repeat(330));
    let pass = |page: &[u8], limit: usize| {
        streamed(&[page], &mut HtmlRewriter::new(ctx()).with_max_tag_bytes(limit))
    };
    let first = pass(input.as_bytes(), 1024);
    let base_end = first.iter().position(|&b| b == b'>').unwrap() + 1;
    assert!(input.find('>').unwrap() < 1024 && base_end > 1024, "{base_end}");
    assert!(first.ends_with(b"<a href=../../z>"));
    // At the same limit the grown base is passed through, so `../../z` is clamped to the page.
    let second = pass(&first, 1024);
    assert!(second.ends_with(format!("<a href=\"{P}/z\">").as_bytes()));
    // With a limit above the document's length, rewriting again changes nothing.
    assert_eq!(pass(&first, first.len()), first);
}

/// Found by the `rewrite_html` fuzz target: in a legacy page, a value with a non-ASCII byte and
/// a reference was left alone even when the reference decoded to ASCII. So the first pass
/// rewrote `<base href=/é"/>` (writing the `"` as `&quot;`) and let it be the page's base, and
/// a second pass skipped that base and took the next one instead, rewriting what the first left.
#[test]
fn legacy_values_with_ascii_references_are_rewritten() {
    let legacy = |page: &[u8]| streamed(&[page], &mut HtmlRewriter::new(ctx()));
    let input = b"<meta charset=windows-1252><a href=\"/caf\xe9?a=1&amp;b=2\">";
    let want = [
        b"<meta charset=windows-1252><a href=\"".as_slice(),
        P.as_bytes(),
        b"/caf\xe9?a=1&amp;b=2\">",
    ]
    .concat();
    assert_eq!(legacy(input), want);
    let input = b"<meta charset=windows-1252><base href=/\xe9\"/><base href=/><a href=../x>";
    let first = legacy(input);
    let want = [
        b"<meta charset=windows-1252><base href=\"".as_slice(),
        P.as_bytes(),
        b"/\xe9&quot;/\"><base href=\"",
        P.as_bytes(),
        b"/\"><a href=../x>",
    ]
    .concat();
    assert_eq!(first, want);
    assert_eq!(legacy(&first), first);
    // Legacy bytes that happen to be valid UTF-8 (windows-1252 `Ã©`) are kept as bytes.
    let input = b"<meta charset=windows-1252><a href=\"/\xc3\xa9&amp;\">";
    let want = [
        b"<meta charset=windows-1252><a href=\"".as_slice(),
        P.as_bytes(),
        b"/\xc3\xa9&amp;\">",
    ]
    .concat();
    assert_eq!(legacy(input), want);
    // A reference to a non-ASCII character still leaves a legacy value alone.
    let input = b"<meta charset=windows-1252><a href=\"/caf\xe9/&#233;\">";
    assert_eq!(legacy(input), input);
}
