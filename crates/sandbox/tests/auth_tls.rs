//! Authentication (token and basic-auth CSV files), the rule file (403s), and `--tls`.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::path::PathBuf;
use std::process::Command;

use base64::Engine as _;

mod common;
use common::{Sandbox, fixtures};

fn tmp(name: &str) -> PathBuf {
    common::scratch_dir(&format!("auth-{name}"))
}

fn sandbox() -> Sandbox {
    let d = tmp("files");
    std::fs::write(
        d.join("tokens.csv"),
        "# token,user,uid,groups\nadmin-token,admin,1,\"system:masters\"\nalice-token,alice,2\nbob-token,bob,3,\"viewers,other\"\n",
    )
    .unwrap();
    std::fs::write(d.join("basic.csv"), "carol-pw,carol,4,\"system:masters\"\n").unwrap();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - groups: [\"system:masters\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n  - users: [alice]\n    namespaces: [demo]\n    resources: [services, services/proxy]\n    verbs: [get, list]\n  - groups: [viewers]\n    resources: [\"*\"]\n    verbs: [list]\n",
    )
    .unwrap();
    let f = fixtures().join("clusters/demo.yaml");
    let p = |n: &str| d.join(n).to_str().unwrap().to_owned();
    Sandbox::start(&[
        "--fixture",
        f.to_str().unwrap(),
        "--token-auth-file",
        &p("tokens.csv"),
        "--basic-auth-file",
        &p("basic.csv"),
        "--authz-file",
        &p("rules.yaml"),
    ])
}

fn get(sb: &Sandbox, path: &str, auth: Option<&str>) -> common::Resp {
    let h: Vec<(&str, &str)> = auth.map(|a| vec![("Authorization", a)]).unwrap_or_default();
    sb.request("GET", path, &h, b"")
}

#[test]
fn unauthenticated_is_401() {
    let sb = sandbox();
    for auth in [
        None,
        Some("Bearer wrong"),
        Some("Basic Y2Fyb2w6bm8="),
        Some("Negotiate x"),
    ] {
        let r = get(&sb, "/api/v1/namespaces", auth);
        assert_eq!(r.status, 401, "{auth:?}");
        assert_eq!(
            r.text(),
            "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"Unauthorized\",\"reason\":\"Unauthorized\",\"code\":401}\n"
        );
    }
    // Anonymous access is off: even discovery needs a token.
    assert_eq!(get(&sb, "/api", None).status, 401);
}

#[test]
fn tokens_basic_auth_and_rules() {
    let sb = sandbox();
    assert_eq!(
        get(&sb, "/api/v1/namespaces", Some("Bearer admin-token")).status,
        200
    );
    let basic = format!(
        "Basic {}",
        base64::engine::general_purpose::STANDARD.encode("carol:carol-pw")
    );
    assert_eq!(get(&sb, "/api/v1/nodes", Some(&basic)).status, 200);
    // alice: services in demo only.
    let alice = Some("Bearer alice-token");
    assert_eq!(
        get(&sb, "/api", alice).status,
        200,
        "discovery is open to authenticated users"
    );
    assert_eq!(get(&sb, "/api/v1/namespaces/demo/services", alice).status, 200);
    let r = get(&sb, "/api/v1/namespaces/demo/services/web:http/proxy/", alice);
    assert_eq!(r.status, 200, "{}", r.text());
    let r = get(&sb, "/api/v1/namespaces/demo/pods", alice);
    assert_eq!(r.status, 403);
    let j = r.json();
    assert_eq!(j["reason"], "Forbidden");
    assert_eq!(
        j["message"],
        "pods is forbidden: User \"alice\" cannot list resource \"pods\" in API group \"\" in the namespace \"demo\""
    );
    let r = get(
        &sb,
        "/api/v1/namespaces/kube-system/services/kubernetes-dashboard:http/proxy/",
        alice,
    );
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "services \"kubernetes-dashboard:http\" is forbidden: User \"alice\" cannot get resource \"services/proxy\" in API group \"\" in the namespace \"kube-system\""
    );
    assert_eq!(
        r.json()["details"],
        serde_json::json!({"name": "kubernetes-dashboard:http", "kind": "services"})
    );
    let r = sb.request(
        "POST",
        "/api/v1/namespaces/demo/services/web:http/proxy/login",
        &[("Authorization", "Bearer alice-token")],
        b"u=1",
    );
    assert_eq!(r.status, 403, "POST needs the create verb");
    let r = get(&sb, "/api/v1/nodes", alice);
    assert_eq!(
        r.json()["message"],
        "nodes is forbidden: User \"alice\" cannot list resource \"nodes\" in API group \"\" at the cluster scope"
    );
    // bob (group viewers): list anywhere, nothing else.
    assert_eq!(get(&sb, "/api/v1/pods", Some("Bearer bob-token")).status, 200);
    assert_eq!(
        get(
            &sb,
            "/api/v1/namespaces/demo/pods/web-0",
            Some("Bearer bob-token")
        )
        .status,
        403
    );
    // The token never reaches the backend.
    let r = sb.request(
        "GET",
        "/api/v1/namespaces/demo/services/web:http/proxy/x",
        &[("Authorization", "Bearer admin-token"), ("X-Echo", "1")],
        b"",
    );
    assert!(r.json()["headers"].get("authorization").is_none());
}

fn kubectl() -> &'static str {
    let ok = Command::new("kubectl")
        .arg("version")
        .arg("--client")
        .output()
        .map(|o| o.status.success());
    assert!(
        matches!(ok, Ok(true)),
        "kubectl is required for this test (Debian: install kubectl; expected at /usr/bin/kubectl)"
    );
    "kubectl"
}

#[test]
fn tls_with_generated_ca() {
    let dir = tmp("tls");
    let f = fixtures().join("clusters/demo.yaml");
    let sb = Sandbox::start(&[
        "--fixture",
        f.to_str().unwrap(),
        "--tls",
        "--cert-dir",
        dir.to_str().unwrap(),
    ]);
    assert!(sb.url.starts_with("https://"), "{}", sb.url);
    for f in ["ca.crt", "ca.key", "tls.crt", "tls.key", "kubeconfig"] {
        assert!(dir.join(f).is_file(), "{f} missing");
    }
    // kubectl verifies the certificate against ca.crt from the written kubeconfig.
    let out = Command::new(kubectl())
        .args([
            "--kubeconfig",
            dir.join("kubeconfig").to_str().unwrap(),
            "get",
            "ns",
            "demo",
            "-o",
            "name",
        ])
        .output()
        .unwrap();
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), "namespace/demo");
    // And without the CA it is refused.
    let out = Command::new(kubectl())
        .args(["--server", &sb.url, "--token", "x", "get", "ns"])
        .output()
        .unwrap();
    assert!(!out.status.success());
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("certificate"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}
