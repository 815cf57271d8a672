//! The link-rewriting transport end to end (spec §3): the upstream TestProxyTransport table
//! (§3.6) in kube-apiserver's configuration (Scheme and Host empty, so links become
//! host-relative), encodings (§3.3 step 5), CORS stripping and Cache-Control.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};

mod common;
use common::{Sandbox, enc, fixtures};

const PREFIX: &str = "/api/v1/namespaces/default/services/named:p/proxy";
/// The backend as the API server sees it (`sourceURL.Host`).
const BACKEND: &str = "1.2.3.6:80";

fn sandbox() -> Sandbox {
    let f = fixtures().join("clusters/upstream.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap()])
}

/// Asks the fixture backend to answer with exactly this.
fn respond(sb: &Sandbox, params: &[(&str, &str)], headers: &[(&str, &str)]) -> common::Resp {
    let q: Vec<String> = params.iter().map(|(k, v)| format!("{k}={}", enc(v))).collect();
    let mut h = vec![("Accept-Encoding", "gzip, deflate, br")];
    h.extend_from_slice(headers);
    sb.request("GET", &format!("{PREFIX}/_respond?{}", q.join("&")), &h, b"")
}

fn html(sb: &Sandbox, ct: &str, body: &str) -> String {
    let r = respond(sb, &[("ct", ct), ("body", body)], &[]);
    assert_eq!(r.status, 200);
    r.text()
}

#[test]
fn transport_table_bodies_3_6() {
    let sb = sandbox();
    let p = PREFIX;
    let a = &sb.addr;
    let rows: Vec<(&str, String, String)> = vec![
        ("normal", r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre>"#.into(),
            format!(r#"<pre><a href="kubelet.log">kubelet.log</a><a href="{p}/google.log">google.log</a></pre>"#)),
        ("full document", r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre></body></html>"#.into(),
            format!(r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="{p}/google.log">google.log</a></pre></body></html>"#)),
        ("trailing slash", r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log/">google.log</a></pre>"#.into(),
            format!(r#"<pre><a href="kubelet.log">kubelet.log</a><a href="{p}/google.log/">google.log</a></pre>"#)),
        ("image", r#"<pre><img src="kubernetes.jpg"/><img src="/kubernetes_abs.jpg"/></pre>"#.into(),
            format!(r#"<pre><img src="kubernetes.jpg"/><img src="{p}/kubernetes_abs.jpg"/></pre>"#)),
        ("abs", r#"<script src="http://google.com/kubernetes.js"/>"#.into(), r#"<script src="http://google.com/kubernetes.js"/>"#.into()),
        ("abs but same host", format!(r#"<script src="http://{BACKEND}/kubernetes.js"/>"#),
            format!(r#"<script src="{p}/kubernetes.js"/>"#)),
        ("abs request host keeps scheme and host", format!(r#"<a href="http://{a}/x">"#),
            format!(r#"<a href="http://{a}{p}/x">"#)),
        ("source contains the prefix already", format!(r#"<a href="{p}/google.log">google.log</a>"#),
            format!(r#"<a href="{p}/google.log">google.log</a>"#)),
        ("no host", "<html></html>".into(), "<html></html>".into()),
        ("unmapped attributes and raw text stay", r#"<img srcset="/a.png 1x" style="background:url(/b.png)"><style>a{background:url(/c.png)}</style><meta http-equiv="refresh" content="0; url=/d">"#.into(),
            r#"<img srcset="/a.png 1x" style="background:url(/b.png)"><style>a{background:url(/c.png)}</style><meta http-equiv="refresh" content="0; url=/d">"#.into()),
        ("dot-dot climbs out of the prefix", r#"<a href="/..">"#.into(), r#"<a href="/api/v1/namespaces/default/services/named:p">"#.into()),
    ];
    for (name, input, want) in rows {
        assert_eq!(html(&sb, "text/html", &input), want, "{name}");
    }
    // Content type: charset parameter still rewrites; anything but exactly text/html passes.
    let one = r#"<a href="/google.log">g</a>"#;
    assert_eq!(
        html(&sb, "text/html; charset=utf-8", one),
        format!(r#"<a href="{p}/google.log">g</a>"#)
    );
    for ct in ["text/plain", "TEXT/HTML", "application/xhtml+xml"] {
        assert_eq!(html(&sb, ct, one), one, "{ct}");
    }
    let r = respond(&sb, &[("body", one)], &[]);
    assert_eq!(r.text(), one, "missing Content-Type passes");
}

#[test]
fn transport_table_redirects_3_6() {
    let sb = sandbox();
    let p = PREFIX;
    let a = &sb.addr;
    let x = "%00%3Cscript%3Ealert%281%29%3C/script%3E/";
    let rows: Vec<(&str, String, String)> = vec![
        (
            "redirect rel",
            "/redirected/target/".into(),
            format!("{p}/redirected/target/"),
        ),
        (
            "redirect abs same host",
            format!("http://{BACKEND}/redirected/target/"),
            format!("{p}/redirected/target/"),
        ),
        (
            "redirect abs other host",
            "http://example.com/redirected/target/".into(),
            "http://example.com/redirected/target/".into(),
        ),
        (
            "redirect abs use reqHost",
            format!("http://{a}/redirected/target/"),
            format!("http://{a}{p}/redirected/target/"),
        ),
        (
            "redirect rel must be escaped",
            "/redirected/target/%00<script>alert(1)</script>/".into(),
            format!("{p}/redirected/target/{x}"),
        ),
        (
            "redirect abs same host must be escaped",
            format!("http://{BACKEND}/redirected/target/%00<script>alert(1)</script>/"),
            format!("{p}/redirected/target/{x}"),
        ),
        (
            "redirect abs other host must be escaped",
            "http://example.com/redirected/target/%00<script>alert(1)</script>/".into(),
            format!("http://example.com/redirected/target/{x}"),
        ),
        (
            "redirect abs use reqHost must be escaped",
            format!("http://{a}/redirected/target/%00<script>alert(1)</script>/"),
            format!("http://{a}{p}/redirected/target/{x}"),
        ),
    ];
    for (name, loc, want) in rows {
        let r = respond(&sb, &[("status", "301"), ("location", &loc)], &[]);
        assert_eq!(r.status, 301, "{name}");
        assert_eq!(r.header("location"), Some(want.as_str()), "{name}");
    }
    // Whatever the status (201 too); and the body is then left alone.
    let r = respond(
        &sb,
        &[
            ("status", "201"),
            ("location", "/made"),
            ("ct", "text/html"),
            ("body", r#"<a href="/x">"#),
        ],
        &[],
    );
    assert_eq!(r.status, 201);
    assert_eq!(r.header("location"), Some(format!("{p}/made").as_str()));
    assert_eq!(r.text(), r#"<a href="/x">"#);
    // An unparsable Location is a 500.
    let r = respond(&sb, &[("status", "302"), ("location", "/%zz")], &[]);
    assert_eq!(r.status, 500, "{}", r.text());
    let j = r.json();
    assert_eq!(j["reason"], "InternalError");
    assert!(
        j["message"]
            .as_str()
            .unwrap()
            .starts_with("Internal error occurred: error trying to parse Location header: "),
        "{j}"
    );
}

#[test]
fn forwarded_uri_must_be_escaped_3_6_row_17() {
    let sb = sandbox();
    let r = sb.request(
        "GET",
        &format!("{PREFIX}/logs/log.log%00%3Cscript%3Ealert(1)%3C/script%3E"),
        &[("X-Echo", "1")],
        b"",
    );
    assert_eq!(r.status, 200, "{}", r.text());
    let j = r.json();
    assert_eq!(
        j["headers"]["x-forwarded-uri"][0],
        format!("{PREFIX}/logs/log.log%00%3Cscript%3Ealert%281%29%3C/script%3E")
    );
    // X-Forwarded-Host/-Proto are empty in kube-apiserver, so never sent.
    assert!(j["headers"].get("x-forwarded-host").is_none());
    assert!(j["headers"].get("x-forwarded-proto").is_none());
}

fn gunzip(b: &[u8]) -> String {
    let mut s = String::new();
    flate2::read::GzDecoder::new(b).read_to_string(&mut s).unwrap();
    s
}

#[test]
fn encodings_3_3() {
    let sb = sandbox();
    let body = r#"<a href="/x">x</a>"#;
    let want = format!(r#"<a href="{PREFIX}/x">x</a>"#);
    // gzip: decoded, rewritten, re-encoded; Content-Length dropped (chunked).
    let r = respond(&sb, &[("ct", "text/html"), ("enc", "gzip"), ("body", body)], &[]);
    assert_eq!(r.header("content-encoding"), Some("gzip"));
    assert!(r.header("content-length").is_none());
    assert_eq!(r.header("transfer-encoding"), Some("chunked"));
    assert_eq!(gunzip(&r.body), want);
    // deflate: raw DEFLATE both ways.
    let r = respond(
        &sb,
        &[("ct", "text/html"), ("enc", "deflate"), ("body", body)],
        &[],
    );
    let mut s = String::new();
    flate2::read::DeflateDecoder::new(&r.body[..])
        .read_to_string(&mut s)
        .unwrap();
    assert_eq!(s, want);
    // zlib-wrapped "deflate" fails to decode: an error instead of the page.
    let r = respond(&sb, &[("ct", "text/html"), ("enc", "zlib"), ("body", body)], &[]);
    assert_eq!(r.status, 500, "{}", r.text());
    // Other encodings: the closed-body bug (PR #124194) makes ReverseProxy's copy fail before
    // any byte; it panics with ErrAbortHandler and Go closes the HTTP/1.1 connection with the
    // head still unsent. On a keep-alive connection, the answer before it arrives whole, then
    // the connection ends without a single byte of this one (what a browser reports as
    // ERR_EMPTY_RESPONSE).
    for e in ["br", "identity", "GZIP", "zstd"] {
        let mut s = std::net::TcpStream::connect(&sb.addr).unwrap();
        s.set_read_timeout(Some(std::time::Duration::from_secs(10)))
            .unwrap();
        let q = format!("ct=text%2Fhtml&enc={e}&body={}", enc(body));
        write!(
            s,
            "GET {PREFIX}/_respond?ct=text%2Fplain&body=first HTTP/1.1\r\nHost: {a}\r\n\r\nGET {PREFIX}/_respond?{q} HTTP/1.1\r\nHost: {a}\r\nAccept-Encoding: gzip, deflate, br, zstd\r\n\r\n",
            a = sb.addr
        )
        .unwrap();
        let mut raw = Vec::new();
        s.read_to_end(&mut raw).unwrap();
        let first = common::parse_response(&raw, false);
        assert_eq!((first.status, first.text()), (200, "first".to_owned()), "{e}");
        let text = String::from_utf8_lossy(&raw);
        assert_eq!(
            text.matches("HTTP/1.1").count(),
            1,
            "{e}: nothing after the first answer: {text}"
        );
        assert!(text.ends_with("first"), "{e}: {text}");
    }
    // Not HTML: untouched whatever the encoding.
    let r = respond(&sb, &[("ct", "text/plain"), ("enc", "br"), ("body", body)], &[]);
    assert_eq!(r.text(), body);
    // A client without Accept-Encoding: Go's transport asks for gzip and decodes it itself.
    let q = format!("ct=text%2Fhtml&enc=gzip&body={}", enc(body));
    let mut s = std::net::TcpStream::connect(&sb.addr).unwrap();
    write!(
        s,
        "GET {PREFIX}/_respond?{q} HTTP/1.1\r\nHost: {}\r\nConnection: close\r\n\r\n",
        sb.addr
    )
    .unwrap();
    let mut raw = Vec::new();
    s.read_to_end(&mut raw).unwrap();
    let r = common::parse_response(&raw, false);
    assert!(r.header("content-encoding").is_none(), "{r:?}");
    assert_eq!(r.text(), want);
}

#[test]
fn cors_and_cache_control_2_1_3_3() {
    let sb = sandbox();
    let r = respond(&sb, &[("cors", "1"), ("cache", "1")], &[]);
    for h in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-allow-credentials",
    ] {
        assert!(r.header(h).is_none(), "{h} not stripped");
    }
    assert_eq!(r.header("access-control-expose-headers"), Some("X-B"));
    assert_eq!(r.header("access-control-max-age"), Some("60"));
    assert_eq!(
        r.headers_named("cache-control"),
        vec!["no-cache, private", "max-age=60"]
    );
}
