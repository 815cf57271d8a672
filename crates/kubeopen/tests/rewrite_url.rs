//! `rewrite_url` against the shared reference cases (`tests/url-cases.json`, also used by the
//! npm package and the extension), the API server's transport table (spec §3.6) read from the
//! client side, and properties: idempotence, and nothing on the server outside a proxy prefix.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions fail loudly on purpose"
)]

use std::borrow::Cow;

use kubeopen::rewrite::{RewriteContext, rewrite_location, rewrite_url};
use kubeopen::segment::Scheme;
use kubeopen::target::{Kind, Port, Target};
use proptest::prelude::*;
use serde_json::Value;

const CASES: &str = include_str!("../../../tests/url-cases.json");

fn target_from_json(t: &Value) -> Target {
    let kind = match t["kind"].as_str().unwrap() {
        "service" => Kind::Service,
        "pod" => Kind::Pod,
        "node" => Kind::Node,
        other => panic!("unknown kind {other}"),
    };
    let scheme = t.get("scheme").and_then(Value::as_str).map(|s| match s {
        "https" => Scheme::Https,
        _ => Scheme::Http,
    });
    let port = t
        .get("port")
        .and_then(Value::as_str)
        .map(|p| Port::parse(p).unwrap());
    Target::new(
        kind,
        t.get("namespace").and_then(Value::as_str),
        t["name"].as_str().unwrap(),
    )
    .unwrap()
    .with_scheme(scheme)
    .with_port(port)
}

fn context_from_json(case: &Value) -> RewriteContext {
    let target = target_from_json(&case["target"]);
    let mut ctx = RewriteContext::new(case["server"].as_str().unwrap(), &target).unwrap();
    if let Some(page) = case["page"].as_str() {
        ctx = ctx.with_page_url(page).unwrap();
    }
    if let Some(domain) = case.get("clusterDomain").and_then(Value::as_str) {
        ctx = ctx.with_cluster_domain(domain).unwrap();
    }
    ctx
}

#[test]
fn reference_cases() {
    let doc: Value = serde_json::from_str(CASES).unwrap();
    let cases = doc["cases"].as_array().unwrap();
    assert!(cases.len() >= 80, "the reference list shrank to {}", cases.len());
    let mut failures = Vec::new();
    for case in cases {
        let ctx = context_from_json(case);
        let input = case["input"].as_str().unwrap();
        let expected = case["expected"].as_str().unwrap();
        let got = rewrite_url(input, &ctx);
        if got != expected {
            failures.push(format!(
                "{}\n  input:    {input:?}\n  expected: {expected:?}\n  got:      {got:?}",
                case["name"]
            ));
        }
        // Unchanged URLs are borrowed; rewriting the result again changes nothing.
        if input == expected {
            assert!(
                matches!(got, Cow::Borrowed(_)),
                "{}: allocated for an unchanged URL",
                case["name"]
            );
        }
        assert_eq!(
            rewrite_url(expected, &ctx),
            expected,
            "{}: not idempotent",
            case["name"]
        );
    }
    assert!(
        failures.is_empty(),
        "{} of {} cases failed:\n{}",
        failures.len(),
        cases.len(),
        failures.join("\n")
    );
}

/// Spec §3.6 (`TestProxyTransport`), read from the browser's side. The API server's PathPrepend
/// `/proxy/node/node1:PORT` is our `/api/v1/nodes/node1:PORT/proxy`; the backend host
/// (`mynode.com`) is what the app sees in `Host`, i.e. the server's host (spec §3.2). For every
/// case where the API server rewrites, our URL resolves to the same place; where it does not,
/// ours is left too. (Case 5, `text/plain`, is the caller's content-type decision; 15–17 have no
/// URL.)
mod transport_table {
    use super::*;

    fn node(port: u16) -> Target {
        Target::node("node1")
            .unwrap()
            .with_port(Some(Port::number(port).unwrap()))
    }

    fn ctx(server: &str, port: u16, source_path: &str) -> RewriteContext {
        let prefix = format!("/api/v1/nodes/node1:{port}/proxy");
        RewriteContext::new(server, &node(port))
            .unwrap()
            .with_page_url(&format!("{server}{prefix}{source_path}"))
            .unwrap()
    }

    /// The API server's expected output, with its PathPrepend mapped to ours.
    fn theirs(expected: &str) -> String {
        expected
            .replace("/proxy/node/node1:10250", "/api/v1/nodes/node1:10250/proxy")
            .replace("/proxy/node/node1:8080", "/api/v1/nodes/node1:8080/proxy")
    }

    /// Where a URL found on `page` leads: the resolved URL with its path percent-decoded.
    fn lands(page: &str, url: &str) -> String {
        let resolved = url::Url::parse(page).unwrap().join(url).unwrap();
        let path = percent_decode(resolved.path());
        format!(
            "{}://{}{}?{}",
            resolved.scheme(),
            resolved.host_str().unwrap_or(""),
            path,
            resolved.query().unwrap_or("")
        )
    }

    fn percent_decode(s: &str) -> String {
        let bytes = s.as_bytes();
        let hex = |b: u8| char::from(b).to_digit(16);
        let mut out = Vec::new();
        let mut i = 0;
        while i < bytes.len() {
            if let (b'%', Some(&h), Some(&l)) = (bytes[i], bytes.get(i + 1), bytes.get(i + 2))
                && let (Some(h), Some(l)) = (hex(h), hex(l))
            {
                out.push((h * 16 + l) as u8);
                i += 3;
                continue;
            }
            out.push(bytes[i]);
            i += 1;
        }
        String::from_utf8_lossy(&out).into_owned()
    }

    #[cfg(feature = "html")]
    fn urls_in(html: &str) -> Vec<String> {
        let re = regex_lite::Regex::new(r#"(?:href|src)="([^"]*)""#).unwrap();
        re.captures_iter(html).map(|c| c[1].to_owned()).collect()
    }

    #[cfg(feature = "html")]
    #[test]
    fn html_bodies() {
        use kubeopen::rewrite::rewrite_html;
        let pre1 = r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre>"#;
        let cases: &[(u8, &str, u16, &str, &str, &str)] = &[
            // (#, server, port, source path, input, the API server's expected output)
            (
                1,
                "http://foo.com",
                10250,
                "/logs/log.log",
                pre1,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
            ),
            (
                2,
                "http://foo.com",
                10250,
                "/logs/log.log",
                r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a></pre></body></html>"#,
                r#"<html><header></header><body><pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre></body></html>"#,
            ),
            (
                3,
                "http://foo.com",
                10250,
                "/logs/log.log",
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="/google.log/">google.log</a></pre>"#,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log/">google.log</a></pre>"#,
            ),
            (
                4,
                "http://foo.com",
                10250,
                "/logs/log.log",
                pre1,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
            ),
            (
                6,
                "https://foo.com",
                8080,
                "/whatever/apt/somelog.log",
                r#"<a href="kubelet.log">kubelet.log</a><a href="/google.log">google.log</a>"#,
                r#"<a href="kubelet.log">kubelet.log</a><a href="https://foo.com/proxy/node/node1:8080/google.log">google.log</a>"#,
            ),
            (
                7,
                "http://foo.com",
                10250,
                "/",
                r#"<pre><img src="kubernetes.jpg"/><img src="/kubernetes_abs.jpg"/></pre>"#,
                r#"<pre><img src="kubernetes.jpg"/><img src="http://foo.com/proxy/node/node1:10250/kubernetes_abs.jpg"/></pre>"#,
            ),
            (
                8,
                "http://foo.com",
                10250,
                "/any/path/",
                r#"<script src="http://google.com/kubernetes.js"/>"#,
                r#"<script src="http://google.com/kubernetes.js"/>"#,
            ),
            (
                9,
                "http://foo.com",
                10250,
                "/any/path/",
                r#"<script src="http://foo.com/kubernetes.js"/>"#,
                r#"<script src="http://foo.com/proxy/node/node1:10250/kubernetes.js"/>"#,
            ),
            (
                14,
                "http://foo.com",
                10250,
                "/logs/log.log",
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
                r#"<pre><a href="kubelet.log">kubelet.log</a><a href="http://foo.com/proxy/node/node1:10250/google.log">google.log</a></pre>"#,
            ),
            (
                15,
                "https://foo.com",
                10250,
                "/logs/log.log",
                "<html></html>",
                "<html></html>",
            ),
        ];
        for &(number, server, port, source, input, expected) in cases {
            let ctx = ctx(server, port, source);
            // Case 14's input is the API server's output: map it too.
            let input = theirs(input);
            let ours = rewrite_html(&input, &ctx);
            let theirs = theirs(expected);
            let page = format!("{server}/api/v1/nodes/node1:{port}/proxy{source}");
            let (our_urls, their_urls) = (urls_in(&ours), urls_in(&theirs));
            assert_eq!(our_urls.len(), their_urls.len(), "#{number}");
            for (o, t) in our_urls.iter().zip(&their_urls) {
                assert_eq!(lands(&page, o), lands(&page, t), "#{number}: {o} vs {t}");
            }
            // Idempotence on the API server's own output.
            assert_eq!(rewrite_html(&theirs, &ctx), theirs, "#{number}");
            // The same with the API server's real, host-relative form (its Scheme and Host are
            // empty in kube-apiserver, spec §3.2).
            let host_relative = theirs.replace(&format!("{server}/api/"), "/api/");
            assert_eq!(rewrite_html(&host_relative, &ctx), host_relative, "#{number}");
        }
    }

    #[test]
    fn locations() {
        let script = "%00<script>alert(1)</script>/";
        let escaped = "%00%3Cscript%3Ealert%281%29%3C/script%3E/";
        let cases: Vec<(u8, &str, String, String)> = vec![
            (
                10,
                "http://foo.com",
                "/redirected/target/".into(),
                "http://foo.com/proxy/node/node1:10250/redirected/target/".into(),
            ),
            (
                11,
                "http://foo.com",
                "http://foo.com/redirected/target/".into(),
                "http://foo.com/proxy/node/node1:10250/redirected/target/".into(),
            ),
            (
                12,
                "http://foo.com",
                "http://example.com/redirected/target/".into(),
                "http://example.com/redirected/target/".into(),
            ),
            (
                13,
                "http://10.0.0.1:8001",
                "http://10.0.0.1:8001/redirected/target/".into(),
                "http://10.0.0.1:8001/proxy/node/node1:10250/redirected/target/".into(),
            ),
            (
                18,
                "http://foo.com",
                format!("/redirected/target/{script}"),
                format!("http://foo.com/proxy/node/node1:10250/redirected/target/{escaped}"),
            ),
            (
                19,
                "http://foo.com",
                format!("http://foo.com/redirected/target/{script}"),
                format!("http://foo.com/proxy/node/node1:10250/redirected/target/{escaped}"),
            ),
            (
                20,
                "http://foo.com",
                format!("http://example.com/redirected/target/{script}"),
                format!("http://example.com/redirected/target/{escaped}"),
            ),
            (
                21,
                "http://10.0.0.1:8001",
                format!("http://10.0.0.1:8001/redirected/target/{script}"),
                format!("http://10.0.0.1:8001/proxy/node/node1:10250/redirected/target/{escaped}"),
            ),
        ];
        for (number, server, location, expected) in cases {
            let ctx = ctx(server, 10250, "/redirect");
            let page = format!("{server}/api/v1/nodes/node1:10250/proxy/redirect");
            let ours = rewrite_location(&location, &ctx);
            let theirs = theirs(&expected);
            assert_eq!(lands(&page, &ours), lands(&page, &theirs), "#{number}: {ours}");
            // Where the API server leaves the URL alone (other hosts), so do we — byte for byte.
            if number == 12 || number == 20 {
                assert_eq!(ours, location, "#{number}");
            }
            // Our output is never escaped less than a browser needs: no raw `<`/`>` in our paths.
            if ours != location {
                assert!(!ours.contains('<'), "#{number}: {ours}");
            }
            assert_eq!(
                rewrite_location(&theirs, &ctx),
                theirs,
                "#{number}: not idempotent on the API server's output"
            );
        }
    }
}

/// Whether a URL the browser resolves from a page inside the prefix is still inside a proxy
/// prefix, or on another origin.
fn stays_inside(page: &str, url: &str) -> bool {
    let Ok(resolved) = url::Url::parse(page).unwrap().join(url) else {
        return true;
    };
    let server = url::Url::parse(page).unwrap();
    let same_origin = resolved.host_str() == server.host_str()
        && resolved.port_or_known_default() == server.port_or_known_default();
    if !same_origin || !matches!(resolved.scheme(), "http" | "https" | "ws" | "wss") {
        return true;
    }
    let path = resolved.path();
    let rest = path.strip_prefix("/api/v1/").unwrap_or("");
    let segments: Vec<&str> = rest.split('/').collect();
    match segments.as_slice() {
        ["namespaces", ns, "services" | "pods", name, "proxy", ..] => !ns.is_empty() && !name.is_empty(),
        ["nodes", name, "proxy", ..] => !name.is_empty(),
        _ => false,
    }
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// Any URL built from the pieces apps use: rewriting twice is rewriting once, and the result
    /// never lands on the server outside a proxy prefix.
    #[test]
    fn idempotent_and_inside(
        scheme in prop::sample::select(vec!["", "http:", "https:", "ws:", "wss:", "HTTP:", "data:", "javascript:"]),
        slashes in prop::sample::select(vec!["", "/", "//", "\\\\", "/\\"]),
        host in prop::sample::select(vec!["", "10.0.0.1:6443", "10.0.0.1", "example.com", "grafana", "prometheus.monitoring.svc:9090", "x.y.svc.cluster.local", "10.0.0.1:6443@evil"]),
        segments in prop::collection::vec(prop::sample::select(vec!["a", "..", ".", "%2e%2E", "%2F", "\\", "", "api", "v1", "nodes", "n1", "proxy", "é", " ", "?", "#"]), 0..8),
    ) {
        let grafana = Target::service("monitoring", "grafana").unwrap().with_port(Some(Port::number(3000).unwrap()));
        let page = "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x";
        let ctx = RewriteContext::new("https://10.0.0.1:6443", &grafana).unwrap().with_page_url(page).unwrap();
        let url = format!("{scheme}{slashes}{host}/{}", segments.join("/"));
        let once = rewrite_url(&url, &ctx).into_owned();
        let twice = rewrite_url(&once, &ctx).into_owned();
        prop_assert_eq!(&once, &twice, "not idempotent for {:?}", url);
        if once != url {
            prop_assert!(stays_inside(page, &once), "{:?} became {:?}", url, once);
        }
    }
}
