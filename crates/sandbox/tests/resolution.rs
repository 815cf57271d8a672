//! Proxy target resolution against the running binary: spec §2.2 (services), §2.3 (pods),
//! §2.4 (nodes), with the upstream tables' fixtures (tests/fixtures/clusters/upstream.yaml).

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

mod common;
use common::{Sandbox, fixtures};

fn sandbox() -> Sandbox {
    let f = fixtures().join("clusters/upstream.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap(), "--verbose"])
}

/// The backend URL the sandbox logged for the request tagged `row`.
fn backend_url(sb: &Sandbox, row: usize) -> String {
    let needle = format!("?row={row} -> ");
    let line = sb.wait_log(&needle);
    let after = line.split(&needle).nth(1).unwrap();
    after.split(' ').next().unwrap().to_owned()
}

enum Want {
    /// Reached: backend URL (scheme://host:port/?row=N) and the local port that answered.
    Ok(&'static str, Option<u16>),
    /// Resolved (URL logged) but the dial fails: 503 "error trying to reach service".
    Unreachable(&'static str),
    /// Refused before dialling.
    Err(u16, &'static str, &'static str),
}

fn check(sb: &Sandbox, prefix: &str, rows: &[(&str, Want)]) {
    for (i, (id, want)) in rows.iter().enumerate() {
        let path = format!("{prefix}/{id}/proxy/?row={i}");
        let r = sb.request("GET", &path, &[("X-Echo", "1")], b"");
        match want {
            Want::Ok(url, port) => {
                assert_eq!(r.status, 200, "{id}: {}", r.text());
                assert_eq!(backend_url(sb, i), format!("{url}/?row={i}"), "{id}");
                if let Some(port) = port {
                    let local = r.json()["local"].as_str().unwrap().to_owned();
                    assert!(local.ends_with(&format!(":{port}")), "{id}: answered by {local}");
                }
            }
            Want::Unreachable(url) => {
                assert_eq!(r.status, 503, "{id}: {}", r.text());
                let j = r.json();
                assert_eq!(j["reason"], "ServiceUnavailable", "{id}");
                let msg = j["message"].as_str().unwrap();
                assert!(msg.starts_with("error trying to reach service: "), "{id}: {msg}");
                assert_eq!(backend_url(sb, i), format!("{url}/?row={i}"), "{id}");
            }
            Want::Err(code, reason, message) => {
                assert_eq!(r.status, *code, "{id}: {}", r.text());
                let j = r.json();
                assert_eq!(j["kind"], "Status");
                assert_eq!(j["status"], "Failure");
                assert_eq!(j["code"], *code, "{id}");
                assert_eq!(j["reason"], *reason, "{id}");
                assert_eq!(j["message"], *message, "{id}");
            }
        }
    }
}

#[test]
fn services_table_2_2() {
    let sb = sandbox();
    use Want::*;
    let rows = [
        ("unnamed", Ok("http://1.2.3.4:80", Some(80))),
        ("unnamed:", Ok("http://1.2.3.4:80", Some(80))),
        ("unnamed:93", Ok("http://1.2.3.4:80", Some(80))),
        ("http:unnamed:", Ok("http://1.2.3.4:80", Some(80))),
        ("http:unnamed:93", Ok("http://1.2.3.4:80", Some(80))),
        (
            "unnamed:80",
            Err(
                503,
                "ServiceUnavailable",
                "no service port 80 found for service \"unnamed\"",
            ),
        ),
        ("unnamed2", Ok("http://1.2.3.5:80", Some(80))),
        ("named:p", Ok("http://1.2.3.6:80", Some(80))),
        ("named:q", Ok("http://1.2.3.6:81", Some(81))),
        ("named:93", Ok("http://1.2.3.6:80", Some(80))),
        ("named:76", Ok("http://1.2.3.6:81", Some(81))),
        ("http:named:p", Ok("http://1.2.3.6:80", Some(80))),
        ("http:named:q", Ok("http://1.2.3.6:81", Some(81))),
        (
            "named:bad",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"named:bad\"",
            ),
        ),
        (
            "no-endpoints",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"no-endpoints\"",
            ),
        ),
        (
            "non-existent",
            Err(404, "NotFound", "endpoints \"non-existent\" not found"),
        ),
        // [derived] rows.
        (
            "named",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"named\"",
            ),
        ),
        ("https:named:q", Unreachable("https://1.2.3.6:81")),
        (
            "ftp:named:q",
            Err(400, "BadRequest", "invalid service request \"ftp:named:q\""),
        ),
        (
            "a:b:c:d",
            Err(400, "BadRequest", "invalid service request \"a:b:c:d\""),
        ),
        (
            "non-existent:80",
            Err(404, "NotFound", "services \"non-existent\" not found"),
        ),
        ("unnamed:+93", Ok("http://1.2.3.4:80", Some(80))),
        ("unnamed:093", Ok("http://1.2.3.4:80", Some(80))),
        (
            "manual",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"manual\"",
            ),
        ),
        (
            "not-ready",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"not-ready\"",
            ),
        ),
        (
            "other-ns-ref",
            Err(
                503,
                "ServiceUnavailable",
                "no endpoints available for service \"other-ns-ref\"",
            ),
        ),
        ("second-subset", Ok("http://1.2.3.6:81", Some(81))),
    ];
    check(&sb, "/api/v1/namespaces/default/services", &rows);
}

#[test]
fn pods_table_2_3() {
    let sb = sandbox();
    use Want::*;
    let rows = [
        ("no-containers", Ok("http://1.2.3.4", None)),
        ("no-containers:12345", Unreachable("http://1.2.3.4:12345")),
        ("ctr-no-ports", Ok("http://1.2.3.4", None)),
        ("ctr-no-ports-v6", Unreachable("http://[fd00:10:244:0:2::6b]")),
        ("ctr-9376", Unreachable("http://1.2.3.4:9376")),
        ("ctr-9376:12345", Unreachable("http://1.2.3.4:12345")),
        ("ctr2-9376", Unreachable("http://1.2.3.4:9376")),
        ("ctr-9376-1234", Unreachable("http://1.2.3.4:9376")),
        ("dual-v4-first", Unreachable("http://1.2.3.4:9376")),
        ("dual-v6-first", Unreachable("http://[fd00:10:244:0:2::6b]:9376")),
        ("pod-named:81", Ok("http://1.2.3.6:81", Some(81))),
        ("https:pod-named:81", Unreachable("https://1.2.3.6:81")),
        ("no-ip", Err(400, "BadRequest", "address not allowed")),
        ("loopback-ip", Err(400, "BadRequest", "address not allowed")),
        (
            "ftp:pod-named:81",
            Err(400, "BadRequest", "invalid pod request \"ftp:pod-named:81\""),
        ),
        ("missing", Err(404, "NotFound", "pods \"missing\" not found")),
    ];
    check(&sb, "/api/v1/namespaces/default/pods", &rows);
}

#[test]
fn nodes_table_2_4() {
    let sb = sandbox();
    use Want::*;
    let rows = [
        ("node0", Unreachable("https://10.0.0.1:10250")),
        ("node0:5000", Unreachable("http://10.0.0.1:5000")),
        // The kubelet port ignores the requested scheme [derived].
        ("http:node0:10250", Unreachable("https://10.0.0.1:10250")),
        ("node-daemon", Unreachable("https://10.0.0.2:5000")),
        ("node-loopback", Err(400, "BadRequest", "address not allowed")),
        (
            "node-loopback:5000",
            Err(400, "BadRequest", "address not allowed"),
        ),
        ("node-loopback-443", Err(400, "BadRequest", "address not allowed")),
        (
            "node-unresolvable",
            Err(400, "BadRequest", "no addresses for hostname"),
        ),
        ("missing", Err(404, "NotFound", "nodes \"missing\" not found")),
        (
            "ftp:node0:1",
            Err(400, "BadRequest", "invalid node request \"ftp:node0:1\""),
        ),
        ("node-served", Ok("https://10.0.0.3:10250", Some(10250))),
    ];
    check(&sb, "/api/v1/nodes", &rows);
}

#[test]
fn path_segment_names_are_checked() {
    let sb = sandbox();
    let r = sb.get("/api/v1/namespaces/default/services/a%25b/proxy/");
    assert_eq!(r.status, 400, "{}", r.text());
    assert_eq!(
        r.json()["message"],
        "Name parameter invalid: \"a%b\": may not contain '%'"
    );
}
