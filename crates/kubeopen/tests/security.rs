//! Threats from SECURITY.md that the core answers for and that had no test of their own:
//! open redirects through a rewritten `Location`, hostile kubeconfigs (alias bombs, deep
//! nesting, servers that are not http(s)), and hostile answers from an API server.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use std::time::{Duration, Instant};

use kubeopen::discovery::requests::{ApiCall, ApiError, read_answer};
use kubeopen::kubeconfig::{Kubeconfig, resolve_context};
use kubeopen::rewrite::{RewriteContext, rewrite_location};
use kubeopen::target::{Port, Target};
use proptest::prelude::*;

const SERVER: &str = "https://10.0.0.1:6443";
const PAGE: &str = "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x";
const PREFIX: &str = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/";

fn ctx() -> RewriteContext {
    let grafana = Target::service("monitoring", "grafana")
        .unwrap()
        .with_port(Some(Port::number(3000).unwrap()));
    RewriteContext::new(SERVER, &grafana)
        .unwrap()
        .with_page_url(PAGE)
        .unwrap()
}

/// Where the browser goes when it follows `location` from the page (WHATWG URL parsing, as
/// Chromium and Firefox do): `(origin, path)`, or `None` when it is no URL to follow.
fn follows(location: &str) -> Option<(String, String)> {
    let url = url::Url::parse(PAGE).unwrap().join(location).ok()?;
    Some((url.origin().ascii_serialization(), url.path().to_owned()))
}

/// An in-cluster host kubeopen maps to the API server's proxy on purpose.
fn in_cluster(origin: &str) -> bool {
    origin.contains(".svc")
}

/// The open-redirect property: following the rewritten `Location` goes to the origin the app
/// asked for, or (for the API server itself or an in-cluster host) to the API server inside a
/// proxy prefix — never to a third origin, and never to the API outside `/proxy/`.
fn check_redirect(location: &str) -> Result<(), String> {
    let rewritten = rewrite_location(location, &ctx()).into_owned();
    let Some((wanted_origin, _)) = follows(location.trim_matches([' ', '\t'])) else {
        return Ok(());
    };
    let Some((origin, path)) = follows(&rewritten) else {
        return Err(format!(
            "{location:?} became {rewritten:?}, which the browser cannot follow"
        ));
    };
    // The server's host and port over another scheme (http, ws, wss) is still the server:
    // kubeopen sends it to the server's own scheme, not to a third origin.
    let server_host = |o: &str| o.split_once("://").is_some_and(|(_, h)| h == "10.0.0.1:6443");
    if server_host(&origin) {
        let inside = path.starts_with("/api/v1/") && path.split('/').any(|s| s == "proxy");
        if !inside {
            return Err(format!(
                "{location:?} became {rewritten:?}: on the API server outside any proxy prefix ({path})"
            ));
        }
        if !server_host(&wanted_origin) && !in_cluster(&wanted_origin) {
            return Err(format!(
                "{location:?} (to {wanted_origin}) was moved to the API server: {rewritten:?}"
            ));
        }
        return Ok(());
    }
    if origin != wanted_origin {
        return Err(format!(
            "{location:?} went to {wanted_origin}, the rewritten {rewritten:?} goes to {origin}"
        ));
    }
    Ok(())
}

#[test]
fn rewritten_locations_are_no_open_redirect() {
    // The forms browsers read as another host (protocol-relative, backslashes, tabs and newlines
    // the URL parser drops, userinfo) and the API server's own paths.
    for location in [
        "/login",
        "login?next=/admin",
        "../../../../../../api/v1/secrets",
        "/api/v1/namespaces/kube-system/secrets",
        "//evil.example/x",
        "/\\evil.example/x",
        "\\\\evil.example/x",
        "\\/evil.example/x",
        "/\t/evil.example/x",
        "/\n/evil.example/x",
        " //evil.example/x",
        "https:evil.example/x",
        "https:/evil.example/x",
        "https://10.0.0.1:6443@evil.example/x",
        "https://evil.example@10.0.0.1:6443/x",
        "https://evil.example/api/v1/namespaces/monitoring/services/grafana:3000/proxy/",
        "HTTPS://10.0.0.1:6443/x",
        "https://10.0.0.1:6443/%2e%2e/%2e%2e/api/v1/secrets",
        "http://grafana.monitoring.svc:3000/d/y",
        "javascript:alert(1)",
        "data:text/html,<script>alert(1)</script>",
    ] {
        check_redirect(location).unwrap_or_else(|e| panic!("{e}"));
    }
    // And the same-origin ones really land in this target's prefix.
    for location in [
        "/login",
        "../../../../../../api/v1/secrets",
        "/api/v1/namespaces/kube-system/secrets",
    ] {
        let rewritten = rewrite_location(location, &ctx());
        let (_, path) = follows(&rewritten).unwrap();
        assert!(path.starts_with(PREFIX), "{location:?} → {rewritten:?} → {path}");
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(3000))]

    /// Any `Location` built from the pieces redirect tricks use keeps the open-redirect property.
    #[test]
    fn no_location_becomes_an_open_redirect(
        lead in prop::sample::select(vec!["", " ", "\t", "\u{1}"]),
        scheme in prop::sample::select(vec!["", "http:", "https:", "HTTPS:", "ws:", "javascript:"]),
        slashes in prop::sample::select(vec!["", "/", "//", "\\\\", "/\\", "\\/", "/\t/", "/\n/", "///"]),
        userinfo in prop::sample::select(vec!["", "u@", "10.0.0.1:6443@", "evil.example@"]),
        host in prop::sample::select(vec!["", "10.0.0.1:6443", "10.0.0.1", "evil.example", "evil.example:6443", "grafana.monitoring.svc:3000", "%65vil.example"]),
        segments in prop::collection::vec(prop::sample::select(vec!["a", "..", ".", "%2e%2e", "%2F", "\\", "", "api", "v1", "secrets", "proxy", "?next=//evil.example", "#"]), 0..6),
    ) {
        let location = format!("{lead}{scheme}{slashes}{userinfo}{host}/{}", segments.join("/"));
        if let Err(e) = check_redirect(&location) {
            prop_assert!(false, "{}", e);
        }
    }
}

/// Parses within `limit`, whatever the answer: hostile input must fail fast, not hang or abort.
fn parse_quickly(text: &str, limit: Duration) -> Result<Kubeconfig, String> {
    let start = Instant::now();
    let result = Kubeconfig::parse(text).map_err(|e| e.to_string());
    assert!(start.elapsed() < limit, "took {:?}", start.elapsed());
    result
}

#[test]
fn kubeconfig_alias_bombs_fail_fast() {
    // "Billion laughs": nine levels of nine aliases each, 9^9 = 387 420 489 nodes if expanded.
    let mut text = String::from("a0: &a0 [x, x, x, x, x, x, x, x, x]\n");
    for level in 1..=9 {
        let prev = level - 1;
        text.push_str(&format!(
            "a{level}: &a{level} [*a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}, *a{prev}]\n"
        ));
    }
    text.push_str("clusters: *a9\n");
    let err = parse_quickly(&text, Duration::from_secs(5)).expect_err("an alias bomb is refused");
    assert!(
        err.contains("alias") || err.contains("nodes") || err.contains("large"),
        "{err}"
    );
}

#[test]
fn kubeconfig_deep_nesting_fails_fast() {
    for text in [
        format!("clusters: {}{}", "[".repeat(100_000), "]".repeat(100_000)),
        format!("clusters: {}", "{a: ".repeat(50_000)),
        (0..10_000)
            .map(|i| format!("{}- \n", "  ".repeat(i)))
            .collect::<String>(),
    ] {
        let err = parse_quickly(&text, Duration::from_secs(5)).expect_err("deep nesting is refused");
        assert!(!err.is_empty());
    }
}

#[test]
fn kubeconfig_servers_and_credentials_that_are_not_what_they_seem() {
    // A server that is not http(s) never becomes a server kubeopen sends a token to: refused, or
    // (written without `://`, as client-go reads it) taken as plain http, which gets no credentials.
    for server in [
        "javascript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "ftp://k8s.example",
        "//k8s.example",
        "k8s.example:6443",
    ] {
        let text = format!(
            "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {{server: '{server}'}}\nusers:\n- name: u\n  user: {{token: secret-token}}\ncontexts:\n- name: x\n  context: {{cluster: c, user: u}}\ncurrent-context: x\n"
        );
        let config = parse_quickly(&text, Duration::from_secs(1)).unwrap();
        match resolve_context(&config, None) {
            Err(e) => assert!(
                !e.to_string().contains("secret-token"),
                "the error repeats the token: {e}"
            ),
            Ok(resolved) => {
                assert!(
                    resolved.server.starts_with("http://"),
                    "{server:?} → {:?}",
                    resolved.server
                );
                assert!(
                    resolved.credentials.is_none(),
                    "{server:?} → {:?} gets credentials",
                    resolved.server
                );
            }
        }
    }
    // An exec plugin and a token file are reported, never run or read (sans-I/O core: no process,
    // no file system), and no credential is made up for them.
    let text = "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://k8s.example'}\nusers:\n- name: u\n  user:\n    tokenFile: /etc/shadow\n    exec: {apiVersion: client.authentication.k8s.io/v1, command: /bin/sh, args: ['-c', 'rm -rf ~'], interactiveMode: Never}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
    let resolved = resolve_context(&parse_quickly(text, Duration::from_secs(1)).unwrap(), None).unwrap();
    assert!(resolved.credentials.is_none(), "{:?}", resolved.credentials);
    assert!(!resolved.unsupported.is_empty());
}

#[test]
fn hostile_api_answers_are_errors_not_panics() {
    let long = "9".repeat(100_000);
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let bodies = [
        "",
        "null",
        "<html>proxy error</html>",
        "{\"kind\":\"ServiceList\",\"items\":{}}",
        "{\"kind\":\"ServiceList\",\"items\":[{\"metadata\":{\"name\":7}}]}",
        "{\"kind\":\"ServiceList\",\"items\":[{\"spec\":{\"ports\":[{\"port\":1e999}]}}]}",
        "{\"major\":\"1\",\"minor\":[]}",
        "\u{feff}{\"kind\":\"Status\"}",
        long.as_str(),
        deep.as_str(),
    ];
    let calls = [
        ApiCall::Version,
        ApiCall::ApiVersions,
        ApiCall::Namespaces,
        ApiCall::Services { namespace: None },
        ApiCall::Services {
            namespace: Some("demo"),
        },
    ];
    // Read leniently like kubectl (a null item is an empty object): no panic, no hang, and any
    // answer is an error or a value — nothing more is promised.
    for call in &calls {
        for body in [
            "{\"kind\":\"NamespaceList\",\"items\":[null]}",
            "{\"items\":[{}],\"kind\":\"ServiceList\"}",
        ] {
            let start = Instant::now();
            let _answer = read_answer(call, SERVER, 200, body);
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "{body:.60?} took {:?}",
                start.elapsed()
            );
        }
    }
    for call in &calls {
        for body in bodies {
            let start = Instant::now();
            let answer = read_answer(call, SERVER, 200, body);
            // `/version` has no `kind`, and an answer without `kind` is read leniently (every
            // field optional, as kubectl does): such a JSON object may be accepted with the
            // fields it has. A wrong `kind`, a wrong shape or no object must be refused.
            let lenient =
                body.starts_with('{') && (matches!(call, ApiCall::Version) || !body.contains("\"kind\""));
            match answer {
                Err(ApiError::InvalidResponse { .. }) => {}
                Ok(_) if lenient => {}
                Err(other) => panic!("{body:.60?}: {other:?}"),
                Ok(answer) => panic!("{body:.60?} was accepted as {answer:?}"),
            }
            assert!(
                start.elapsed() < Duration::from_secs(2),
                "{body:.60?} took {:?}",
                start.elapsed()
            );
            // The same bodies as error answers: a status error, whatever the body says.
            let Err(ApiError::Status(_)) = read_answer(call, SERVER, 500, body) else {
                panic!("{body:.60?} with 500 must be a status error");
            };
        }
    }
}
