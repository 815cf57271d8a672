//! `--cors-allowed-origins`: kube-apiserver's `WithCORS` filter (cors.go) end to end — preflight
//! before authentication, headers on every answer (401s and proxied pages included), nothing for
//! other origins or without the flag.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{Resp, Sandbox, fixtures, scratch_dir};

const ALLOWED: &str = "http://localhost:5173";
const METHODS: &str = "POST, GET, OPTIONS, PUT, DELETE, PATCH";
const HEADERS: &str = "Content-Type, Content-Length, Accept-Encoding, X-CSRF-Token, Authorization, X-Requested-With, If-Modified-Since";
const PREFIX: &str = "/api/v1/namespaces/default/services/named:p/proxy";

fn sandbox(cors: Option<&str>) -> Sandbox {
    let dir = scratch_dir("cors");
    let tokens = dir.join("tokens.csv");
    std::fs::write(&tokens, "good-token,alice,1,\"system:masters\"\n").unwrap();
    let fixture = fixtures().join("clusters/upstream.yaml");
    let mut args = vec![
        "--fixture".to_owned(),
        fixture.to_str().unwrap().to_owned(),
        "--token-auth-file".to_owned(),
        tokens.to_str().unwrap().to_owned(),
    ];
    if let Some(cors) = cors {
        args.extend(["--cors-allowed-origins".to_owned(), cors.to_owned()]);
    }
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Sandbox::start(&args)
}

fn request(sb: &Sandbox, method: &str, path: &str, origin: &str, token: Option<&str>) -> Resp {
    let bearer = token.map(|t| format!("Bearer {t}"));
    let mut h = vec![("Origin", origin)];
    if let Some(b) = &bearer {
        h.push(("Authorization", b));
    }
    if method == "OPTIONS" {
        h.push(("Access-Control-Request-Method", "GET"));
        h.push(("Access-Control-Request-Headers", "authorization"));
    }
    sb.request(method, path, &h, b"")
}

fn assert_cors(r: &Resp, origin: &str) {
    assert_eq!(r.header("access-control-allow-origin"), Some(origin));
    assert_eq!(r.header("access-control-allow-methods"), Some(METHODS));
    assert_eq!(r.header("access-control-allow-headers"), Some(HEADERS));
    assert_eq!(r.header("access-control-allow-credentials"), Some("true"));
    assert_eq!(r.headers_named("access-control-expose-headers")[0], "Date");
}

fn assert_no_cors(r: &Resp) {
    for h in [
        "access-control-allow-origin",
        "access-control-allow-methods",
        "access-control-allow-headers",
        "access-control-allow-credentials",
        "access-control-expose-headers",
    ] {
        assert_eq!(r.header(h), None, "{h}");
    }
}

#[test]
fn preflight_is_answered_before_authentication() {
    let sb = sandbox(Some("//localhost(:|$),//127\\.0\\.0\\.1(:|$)"));
    let r = request(&sb, "OPTIONS", "/api/v1/namespaces", ALLOWED, None);
    assert_eq!(r.status, 204);
    assert_cors(&r, ALLOWED);
    assert_eq!(r.text(), "");
    // A second pattern of the list, and a proxy path: the filter is outside everything.
    let r = request(
        &sb,
        "OPTIONS",
        &format!("{PREFIX}/x"),
        "http://127.0.0.1:8080",
        None,
    );
    assert_eq!(r.status, 204);
    assert_cors(&r, "http://127.0.0.1:8080");
}

#[test]
fn every_answer_to_an_allowed_origin_carries_the_headers() {
    let sb = sandbox(Some("//localhost(:|$)"));
    let r = request(&sb, "GET", "/api/v1/namespaces", ALLOWED, None);
    assert_eq!(r.status, 401);
    assert_cors(&r, ALLOWED);
    let r = request(&sb, "GET", "/api/v1/namespaces", ALLOWED, Some("good-token"));
    assert_eq!(r.status, 200);
    assert_cors(&r, ALLOWED);
    // A proxied answer: the backend's own CORS headers are stripped (spec §3), except
    // Expose-Headers, which Go's proxy adds after the filter's.
    let r = request(
        &sb,
        "GET",
        &format!("{PREFIX}/_respond?cors=1"),
        ALLOWED,
        Some("good-token"),
    );
    assert_eq!(r.status, 200);
    assert_cors(&r, ALLOWED);
    assert_eq!(r.headers_named("access-control-expose-headers"), ["Date", "X-B"]);
}

#[test]
fn other_origins_and_no_flag_get_nothing() {
    let sb = sandbox(Some("//localhost(:|$)"));
    let r = request(
        &sb,
        "OPTIONS",
        "/api/v1/namespaces",
        "http://localhost.evil.example",
        None,
    );
    // Not a preflight the filter answers: authentication runs, and refuses.
    assert_eq!(r.status, 401);
    assert_no_cors(&r);
    let r = request(
        &sb,
        "GET",
        "/api/v1/namespaces",
        "http://localhost.evil.example",
        Some("good-token"),
    );
    assert_eq!(r.status, 200);
    assert_no_cors(&r);

    let sb = sandbox(None);
    let r = request(&sb, "OPTIONS", "/api/v1/namespaces", ALLOWED, None);
    assert_eq!(r.status, 401);
    assert_no_cors(&r);
}

#[test]
fn a_pattern_that_does_not_compile_stops_the_sandbox() {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_kubeopen-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--cors-allowed-origins", "(unclosed"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(
        stderr.contains("Invalid CORS allowed origin, --cors-allowed-origins flag was set to (unclosed - "),
        "{stderr}"
    );
}
