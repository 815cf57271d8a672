//! Path handling (spec §4.1), the upgrade-aware handler's tables (§4.2), headers (§2.1) and
//! upgrades (§4.3) against the running binary.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::Duration;

mod common;
use common::{Sandbox, fixtures};

const PREFIX: &str = "/api/v1/namespaces/default/services/named:p/proxy";

fn sandbox(extra: &[&str]) -> Sandbox {
    let f = fixtures().join("clusters/upstream.yaml");
    let mut args = vec!["--fixture", f.to_str().unwrap()];
    args.extend_from_slice(extra);
    Sandbox::start(&args)
}

fn echo(sb: &Sandbox, method: &str, path: &str, headers: &[(&str, &str)]) -> serde_json::Value {
    let mut h = vec![("X-Echo", "1")];
    h.extend_from_slice(headers);
    let r = sb.request(method, path, &h, b"");
    assert_eq!(r.status, 200, "{method} {path}: {}", r.text());
    r.json()
}

#[test]
fn root_redirect_4_2() {
    let sb = sandbox(&[]);
    for m in ["GET", "HEAD"] {
        let r = sb.request(m, PREFIX, &[], b"");
        assert_eq!(r.status, 301, "{m}");
        assert_eq!(r.header("location"), Some(format!("{PREFIX}/").as_str()));
        assert_eq!(r.header("cache-control"), Some("no-cache, private"));
    }
    let r = sb.get(&format!("{PREFIX}?a=1&b=%2F"));
    assert_eq!(
        r.header("location"),
        Some(format!("{PREFIX}/?a=1&b=%2F").as_str())
    );
    // The Location is the decoded request path (req.URL.Path).
    let r = sb.get("/api/v1/namespaces/default/services/named%3Ap/proxy");
    assert_eq!(r.header("location"), Some(format!("{PREFIX}/").as_str()));
    // Other methods are proxied with an empty path, which goes out as "/".
    for m in ["PUT", "DELETE", "POST", "OPTIONS"] {
        let j = echo(&sb, m, PREFIX, &[]);
        assert_eq!(j["method"], m);
        assert_eq!(j["target"], "/", "{m}");
    }
    let r = sb.request("TRACE", &format!("{PREFIX}/"), &[], b"");
    assert_eq!(r.status, 405);
}

#[test]
fn serve_http_rows_4_2() {
    let sb = sandbox(&[]);
    assert_eq!(echo(&sb, "GET", &format!("{PREFIX}/"), &[])["target"], "/");
    assert_eq!(
        echo(&sb, "GET", &format!("{PREFIX}/path/to/test"), &[])["target"],
        "/path/to/test"
    );
    let j = echo(
        &sb,
        "POST",
        &format!("{PREFIX}/some/path/?param1=value/1&param2=value%2"),
        &[],
    );
    assert_eq!(j["target"], "/some/path/?param1=value/1&param2=value%2");
    let j = echo(
        &sb,
        "PUT",
        &format!("{PREFIX}/some/path"),
        &[("Header1", "value1")],
    );
    assert_eq!(j["target"], "/some/path");
    assert_eq!(j["headers"]["header1"][0], "value1");
    // Request bodies are streamed to the backend.
    let r = sb.request(
        "POST",
        &format!("{PREFIX}/form"),
        &[
            ("X-Echo", "1"),
            ("Content-Type", "application/x-www-form-urlencoded"),
        ],
        b"user=demo&x=1",
    );
    assert_eq!(r.json()["body"], "user=demo&x=1");
}

#[test]
fn path_handling_4_1() {
    let sb = sandbox(&[]);
    let t = |p: &str| {
        echo(&sb, "GET", &format!("{PREFIX}{p}"), &[])["target"]
            .as_str()
            .unwrap()
            .to_owned()
    };
    // Decoded segments: %2F is a separator, %2E%2E is "..", cleaned and clamped at "/".
    assert_eq!(t("/a%2Fb"), "/a/b");
    assert_eq!(t("/a/%2E%2E/b"), "/b");
    assert_eq!(t("/../../etc/passwd"), "/etc/passwd");
    assert_eq!(t("/a//b/./c"), "/a/b/c");
    assert_eq!(t("/a/"), "/a/");
    assert_eq!(t("/a/b/.."), "/a");
    // Re-escaped by Go's EscapedPath with no RawPath.
    assert_eq!(t("/x%20y!'()*$&+,:;=@"), "/x%20y%21%27%28%29%2A$&+,:;=@");
    assert_eq!(t("/%C3%A9t%C3%A9"), "/%C3%A9t%C3%A9");
    // The query goes through verbatim (?path= too, although the server overwrote its option).
    assert_eq!(t("/q?a=%2F&b=%zz&path=/evil&c"), "/q?a=%2F&b=%zz&path=/evil&c");
    // PathPrepend goes wrong when the request path is not clean (§4.1 step 7).
    let j = echo(&sb, "GET", &format!("{PREFIX}/a/%2E%2E/b"), &[]);
    assert_eq!(j["headers"]["x-forwarded-uri"][0], format!("{PREFIX}/b"));
    let j = echo(&sb, "GET", &format!("{PREFIX}/x/y"), &[]);
    assert_eq!(j["headers"]["x-forwarded-uri"][0], format!("{PREFIX}/x/y"));
    // Go's server refuses a request target that does not decode.
    assert_eq!(sb.get(&format!("{PREFIX}/%zz")).status, 400);
}

#[test]
fn request_headers_2_1() {
    let sb = sandbox(&[]);
    let j = echo(
        &sb,
        "GET",
        &format!("{PREFIX}/h"),
        &[
            ("Authorization", "Bearer secret"),
            ("X-Forwarded-For", "10.9.9.9"),
            ("Host", "apiserver.example:6443"),
            ("Connection", "X-Hop"),
            ("X-Hop", "1"),
            ("Keep-Alive", "timeout=5"),
        ],
    );
    let h = &j["headers"];
    assert!(
        h.get("authorization").is_none(),
        "Authorization reached the backend: {h}"
    );
    assert_eq!(h["x-forwarded-for"][0], "10.9.9.9, 127.0.0.1");
    assert_eq!(h["host"][0], "apiserver.example:6443");
    assert!(h.get("x-hop").is_none() && h.get("keep-alive").is_none(), "{h}");
}

/// Opens a WebSocket through the proxy; returns the hello message.
fn ws_hello(sb: &Sandbox, path: &str) -> (TcpStream, serde_json::Value) {
    let mut s = TcpStream::connect(&sb.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET {path} HTTP/1.1\r\nHost: {}\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n",
        sb.addr
    )
    .unwrap();
    let mut r = BufReader::new(s.try_clone().unwrap());
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 101"), "{status}");
    loop {
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        if l == "\r\n" {
            break;
        }
        if l.to_ascii_lowercase().starts_with("sec-websocket-accept") {
            assert_eq!(l.trim().split(": ").nth(1), Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo="));
        }
    }
    let msg = read_frame(&mut r);
    (s, serde_json::from_slice(&msg).unwrap())
}

fn read_frame(r: &mut impl Read) -> Vec<u8> {
    let mut h = [0u8; 2];
    r.read_exact(&mut h).unwrap();
    let len = (h[1] & 0x7f) as usize;
    assert!(len < 126);
    let mut p = vec![0u8; len];
    r.read_exact(&mut p).unwrap();
    p
}

#[test]
fn websocket_drops_query_4_3() {
    let sb = sandbox(&[]);
    let (mut s, hello) = ws_hello(&sb, &format!("{PREFIX}/ws?token=abc"));
    assert_eq!(hello["hello"], "/ws", "query must be dropped on upgrades");
    assert!(
        hello["xForwardedUri"].is_null(),
        "upgrades get no X-Forwarded-Uri"
    );
    // Masked text frame "hi" → echoed.
    let mask = [1u8, 2, 3, 4];
    let payload: Vec<u8> = b"hi".iter().enumerate().map(|(i, b)| b ^ mask[i % 4]).collect();
    let mut frame = vec![0x81, 0x80 | 2];
    frame.extend_from_slice(&mask);
    frame.extend_from_slice(&payload);
    s.write_all(&frame).unwrap();
    let mut r = BufReader::new(s);
    assert_eq!(read_frame(&mut r), b"hi");
}

#[test]
fn websocket_fix_upgrade_query_flag() {
    let sb = sandbox(&["--fix-upgrade-query"]);
    let (_s, hello) = ws_hello(&sb, &format!("{PREFIX}/ws?token=abc"));
    assert_eq!(hello["hello"], "/ws?token=abc");
}

#[test]
fn upgrade_responses_4_3() {
    let sb = sandbox(&[]);
    // The backend refuses (400): written through.
    let r = sb.request(
        "GET",
        &format!("{PREFIX}/ws"),
        &[("Connection", "Upgrade"), ("Upgrade", "h2c")],
        b"",
    );
    assert_eq!(r.status, 400);
    assert_eq!(r.text(), "expected a WebSocket upgrade\n");
    // The backend answers 200 to an upgrade: an error.
    let r = sb.request(
        "GET",
        &format!("{PREFIX}/api/data"),
        &[("Connection", "keep-alive, Upgrade"), ("Upgrade", "websocket")],
        b"",
    );
    assert_eq!(r.status, 500);
    assert_eq!(r.json()["message"], "invalid upgrade response: status code 200");
}
