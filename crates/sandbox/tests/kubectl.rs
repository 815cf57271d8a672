//! The real kubectl against the sandbox: `get`, `cluster-info` (spec §6), `get --raw`, and
//! `kubectl proxy` in front of it (spec §5 filter rows, WebSocket through both).
//! kubectl is required: without it these tests fail with a message saying so.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::process::{Child, Command, Stdio};
use std::time::Duration;

mod common;
use common::{Sandbox, fixtures, http};

fn kubectl() -> Command {
    let ok = Command::new("kubectl")
        .args(["version", "--client"])
        .output()
        .map(|o| o.status.success());
    assert!(
        matches!(ok, Ok(true)),
        "kubectl is required for the interop tests and was not found on PATH (expected /usr/bin/kubectl)"
    );
    let mut c = Command::new("kubectl");
    // No kubeconfig of the machine's may leak in.
    c.env("KUBECONFIG", "/dev/null");
    c
}

fn demo() -> Sandbox {
    let f = fixtures().join("clusters/demo.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap()])
}

fn run(sb: &Sandbox, args: &[&str]) -> String {
    let out = kubectl()
        .arg("--server")
        .arg(&sb.url)
        .args(args)
        .output()
        .unwrap();
    assert!(
        out.status.success(),
        "kubectl {args:?}: {}",
        String::from_utf8_lossy(&out.stderr)
    );
    String::from_utf8(out.stdout).unwrap()
}

#[test]
fn kubectl_get_svc_all_namespaces() {
    let sb = demo();
    let out = run(&sb, &["get", "svc", "-A"]);
    let rows: Vec<Vec<&str>> = out
        .lines()
        .map(|l| l.split_whitespace().take(6).collect())
        .collect();
    assert_eq!(
        rows[0],
        [
            "NAMESPACE",
            "NAME",
            "TYPE",
            "CLUSTER-IP",
            "EXTERNAL-IP",
            "PORT(S)"
        ]
    );
    let names: Vec<(&str, &str, &str)> = rows[1..].iter().map(|r| (r[0], r[1], r[5])).collect();
    assert_eq!(
        names,
        [
            ("demo", "brotli", "80/TCP"),
            ("demo", "identity", "80/TCP"),
            ("demo", "no-endpoints", "80/TCP"),
            ("demo", "web", "80/TCP"),
            ("demo", "web-multi", "80/TCP,9100/TCP"),
            ("demo", "web-unnamed", "80/TCP"),
            ("kube-system", "kubernetes-dashboard", "80/TCP"),
            ("monitoring", "prometheus", "9090/TCP"),
        ]
    );
    let pods = run(&sb, &["get", "pods", "-n", "demo", "-o", "wide"]);
    let web0 = pods.lines().find(|l| l.starts_with("web-0 ")).unwrap();
    assert!(web0.contains("10.244.1.10"), "{pods}");
    // `ready: false` in the fixture shows as 0/1.
    let not_ready = pods.lines().find(|l| l.starts_with("identity-1 ")).unwrap();
    assert!(not_ready.contains(" 0/1 "), "{pods}");
    assert_eq!(run(&sb, &["get", "nodes", "-o", "name"]), "node/node-1\n");
    let json = run(&sb, &["get", "endpoints", "web", "-n", "demo", "-o", "json"]);
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert_eq!(v["subsets"][0]["ports"][0]["port"], 8080);
    let out = kubectl()
        .args(["--server", &sb.url, "get", "svc", "nope", "-n", "demo"])
        .output()
        .unwrap();
    assert_eq!(
        String::from_utf8_lossy(&out.stderr).trim(),
        "Error from server (NotFound): services \"nope\" not found"
    );
}

#[test]
fn kubectl_cluster_info_6() {
    let sb = demo();
    let out = run(&sb, &["cluster-info"]);
    let u = &sb.url;
    assert_eq!(
        out,
        format!(
            "Kubernetes control plane is running at {u}\nDashboard is running at {u}/api/v1/namespaces/kube-system/services/kubernetes-dashboard:http/proxy\n\nTo further debug and diagnose cluster problems, use 'kubectl cluster-info dump'.\n"
        )
    );
}

#[test]
fn kubectl_get_raw_api() {
    let sb = demo();
    assert_eq!(run(&sb, &["get", "--raw", "/api"]), sb.get("/api").text());
    let v: serde_json::Value = serde_json::from_str(&run(
        &sb,
        &[
            "get",
            "--raw",
            "/api/v1/namespaces/demo/services/web:http/proxy/api/data",
        ],
    ))
    .unwrap();
    assert_eq!(v["path"], "/api/data");
}

struct KubectlProxy {
    child: Child,
    addr: String,
}

impl Drop for KubectlProxy {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

fn kubectl_proxy(sb: &Sandbox) -> KubectlProxy {
    let mut child = kubectl()
        .args(["--server", &sb.url, "proxy", "--port=0"])
        .stdout(Stdio::piped())
        .stderr(Stdio::null())
        .spawn()
        .unwrap();
    let mut line = String::new();
    BufReader::new(child.stdout.take().unwrap())
        .read_line(&mut line)
        .unwrap();
    let addr = line
        .trim()
        .strip_prefix("Starting to serve on ")
        .unwrap_or_else(|| panic!("{line}"))
        .to_owned();
    KubectlProxy { child, addr }
}

#[test]
fn kubectl_proxy_in_front_5() {
    let sb = demo();
    let kp = kubectl_proxy(&sb);
    let port = kp.addr.rsplit(':').next().unwrap();
    let get = |path: &str, host: &str| http(&kp.addr, "GET", path, &[("Host", host)], b"");
    // curl through kubectl proxy: the API server rewrote the page (kubectl does not).
    let r = get("/api/v1/namespaces/demo/services/web:http/proxy/", "127.0.0.1");
    assert_eq!(r.status, 200);
    assert!(
        r.text()
            .contains(r#"href="/api/v1/namespaces/demo/services/web:http/proxy/static/app.css""#),
        "{}",
        r.text()
    );
    let r = get("/api/v1/namespaces/demo/services/web:http/proxy", "localhost");
    assert_eq!(r.status, 301);
    assert_eq!(
        r.header("location"),
        Some("/api/v1/namespaces/demo/services/web:http/proxy/")
    );
    // TestAccept rows with the default filter.
    let h = |host: &str| format!("{host}:{port}");
    for (path, host, accepted) in [
        ("/api/v1/pods", h("127.0.0.1"), true),
        ("/api/v1/pods", h("localhost"), true),
        ("/api/v1/namespaces/default/pods/foo/exec", h("127.0.0.1"), false),
        (
            "/api/v1/namespaces/default/pods/foo/attach",
            h("127.0.0.1"),
            false,
        ),
        ("/api/v1/pods", h("evil.com"), false),
        ("/api/v1/pods", h("localhost.evil.com"), false),
        ("/api/v1/pods", h("127a0b0c1"), false),
        ("/ui", h("localhost"), true),
        ("/api/v1/pods", "[::1]".to_owned(), true),
        ("/api/v1/pods", h("[::1]"), false),
    ] {
        let r = get(path, &host);
        if accepted {
            assert_ne!(r.status, 403, "{path} {host}");
        } else {
            assert_eq!(
                (r.status, r.text().as_str()),
                (403, "Forbidden\n"),
                "{path} {host}"
            );
        }
    }
    // WebSocket through kubectl proxy: kubectl forwards the query, the API server drops it.
    let mut s = TcpStream::connect(&kp.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    write!(
        s,
        "GET /api/v1/namespaces/demo/services/web:http/proxy/ws?token=abc HTTP/1.1\r\nHost: localhost\r\nConnection: Upgrade\r\nUpgrade: websocket\r\nSec-WebSocket-Version: 13\r\nSec-WebSocket-Key: dGhlIHNhbXBsZSBub25jZQ==\r\n\r\n"
    )
    .unwrap();
    let mut r = BufReader::new(s);
    let mut status = String::new();
    r.read_line(&mut status).unwrap();
    assert!(status.starts_with("HTTP/1.1 101"), "{status}");
    loop {
        let mut l = String::new();
        r.read_line(&mut l).unwrap();
        if l == "\r\n" {
            break;
        }
    }
    let mut head = [0u8; 2];
    r.read_exact(&mut head).unwrap();
    let mut msg = vec![0u8; (head[1] & 0x7f) as usize];
    r.read_exact(&mut msg).unwrap();
    let v: serde_json::Value = serde_json::from_slice(&msg).unwrap();
    assert_eq!(v["hello"], "/ws");
}

#[test]
fn kubectl_get_endpointslices() {
    let sb = demo();
    // Discovery (`/apis`, `/apis/discovery.k8s.io/v1`) must list the resource for this to resolve.
    let out = run(
        &sb,
        &[
            "get",
            "endpointslices",
            "-n",
            "demo",
            "-l",
            "kubernetes.io/service-name=web-multi",
        ],
    );
    let rows: Vec<Vec<&str>> = out.lines().map(|l| l.split_whitespace().collect()).collect();
    assert_eq!(
        rows[0],
        ["NAME", "ADDRESSTYPE", "PORTS", "ENDPOINTS", "AGE"],
        "{out}"
    );
    assert_eq!(rows.len(), 2, "{out}");
    assert!(rows[1][0].starts_with("web-multi-"), "{out}");
    assert_eq!(rows[1][1..4], ["IPv4", "8080,9100", "10.244.1.10"], "{out}");
    let json = run(
        &sb,
        &["get", "endpointslices.discovery.k8s.io", "-A", "-o", "json"],
    );
    let v: serde_json::Value = serde_json::from_str(&json).unwrap();
    assert!(
        v["items"]
            .as_array()
            .unwrap()
            .iter()
            .any(|s| s["metadata"]["namespace"] == "kube-system")
    );
}
