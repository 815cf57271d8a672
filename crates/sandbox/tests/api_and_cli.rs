//! The API's JSON shapes (spec §7, lists and gets), the command line (fixture errors, clean
//! stop), and malformed requests (nothing panics).

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::process::Command;

mod common;
use common::{Sandbox, fixtures};

fn demo() -> Sandbox {
    let f = fixtures().join("clusters/demo.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap()])
}

#[test]
fn discovery_shapes_7() {
    let sb = demo();
    let v = sb.get("/version");
    assert_eq!(v.header("content-type"), Some("application/json"));
    assert!(
        v.text().starts_with("{\n  \"major\": \"1\",\n  \"minor\": "),
        "{}",
        v.text()
    );
    let api = sb.get("/api").json();
    assert_eq!(api["kind"], "APIVersions");
    assert!(api.get("apiVersion").is_none(), "apiVersion is stripped");
    assert_eq!(api["versions"][0], "v1");
    assert_eq!(api["serverAddressByClientCIDRs"][0]["clientCIDR"], "0.0.0.0/0");
    assert_eq!(
        api["serverAddressByClientCIDRs"][0]["serverAddress"],
        sb.addr.as_str()
    );
    assert_eq!(sb.get("/apis").json()["kind"], "APIGroupList");
    let v1 = sb.get("/api/v1").json();
    assert_eq!(v1["kind"], "APIResourceList");
    let names: Vec<&str> = v1["resources"]
        .as_array()
        .unwrap()
        .iter()
        .map(|r| r["name"].as_str().unwrap())
        .collect();
    for n in [
        "namespaces",
        "services",
        "services/proxy",
        "endpoints",
        "pods",
        "pods/proxy",
        "nodes",
        "nodes/proxy",
    ] {
        assert!(names.contains(&n), "{n} missing from {names:?}");
    }
}

#[test]
fn list_and_get_shapes() {
    let sb = demo();
    let l = sb.get("/api/v1/namespaces/demo/services").json();
    assert_eq!(l["kind"], "ServiceList");
    assert_eq!(l["apiVersion"], "v1");
    assert!(
        l["metadata"]["resourceVersion"]
            .as_str()
            .unwrap()
            .parse::<u64>()
            .is_ok()
    );
    let items = l["items"].as_array().unwrap();
    assert!(
        items
            .iter()
            .all(|i| i.get("kind").is_none() && i["metadata"]["namespace"] == "demo")
    );
    let names: Vec<&str> = items
        .iter()
        .map(|i| i["metadata"]["name"].as_str().unwrap())
        .collect();
    assert_eq!(
        names,
        [
            "brotli",
            "identity",
            "no-endpoints",
            "web",
            "web-multi",
            "web-unnamed"
        ]
    );
    let all = sb.get("/api/v1/services").json();
    assert!(all["items"].as_array().unwrap().len() > items.len());
    let s = sb.get("/api/v1/namespaces/demo/services/web").json();
    assert_eq!(s["kind"], "Service");
    assert_eq!(
        s["spec"]["ports"][0],
        serde_json::json!({"name": "http", "protocol": "TCP", "appProtocol": "http", "port": 80, "targetPort": "http"})
    );
    let ep = sb.get("/api/v1/namespaces/demo/endpoints/web").json();
    assert_eq!(ep["kind"], "Endpoints");
    assert_eq!(ep["subsets"][0]["addresses"][0]["ip"], "10.244.1.10");
    assert_eq!(ep["subsets"][0]["addresses"][0]["targetRef"]["name"], "web-0");
    assert_eq!(ep["subsets"][0]["ports"][0]["port"], 8080);
    let pod = sb.get("/api/v1/namespaces/demo/pods/web-0").json();
    assert_eq!(pod["status"]["podIPs"][0]["ip"], "10.244.1.10");
    assert_eq!(pod["spec"]["containers"][0]["ports"][0]["containerPort"], 8080);
    let node = sb.get("/api/v1/nodes/node-1").json();
    assert_eq!(
        node["status"]["daemonEndpoints"]["kubeletEndpoint"]["Port"],
        10250
    );
    assert_eq!(node["status"]["addresses"][0]["type"], "InternalIP");
    assert_eq!(sb.get("/api/v1/namespaces/demo").json()["kind"], "Namespace");
    // The selector kubectl cluster-info uses.
    let cs = sb
        .get("/api/v1/namespaces/kube-system/services?labelSelector=kubernetes.io%2Fcluster-service%3Dtrue")
        .json();
    assert_eq!(cs["items"].as_array().unwrap().len(), 1);
    let none = sb
        .get("/api/v1/namespaces/demo/services?labelSelector=kubernetes.io%2Fcluster-service%3Dtrue")
        .json();
    assert_eq!(none["items"].as_array().unwrap().len(), 0);
}

#[test]
fn status_errors() {
    let sb = demo();
    let r = sb.get("/api/v1/namespaces/demo/services/nope");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.text(),
        "{\"kind\":\"Status\",\"apiVersion\":\"v1\",\"metadata\":{},\"status\":\"Failure\",\"message\":\"services \\\"nope\\\" not found\",\"reason\":\"NotFound\",\"details\":{\"name\":\"nope\",\"kind\":\"services\"},\"code\":404}\n"
    );
    let r = sb.get("/api/v1/foos");
    assert_eq!(r.status, 404);
    assert_eq!(
        r.json()["message"],
        "the server could not find the requested resource"
    );
    let r = sb.request("POST", "/api/v1/namespaces/demo/services", &[], b"{}");
    assert_eq!(r.status, 405);
    assert_eq!(r.json()["reason"], "MethodNotAllowed");
    let r = sb.get("/api/v1/namespaces/demo/services/web:http/proxy/?x");
    assert_eq!(r.status, 200);
    let r = sb.get("/api/v1/namespaces/demo/services/web-multi/proxy/");
    assert_eq!(
        r.json()["message"],
        "no endpoints available for service \"web-multi\""
    );
    let r = sb.get("/api/v1/namespaces/demo/services/no-endpoints/proxy/");
    assert_eq!(
        r.json()["message"],
        "no endpoints available for service \"no-endpoints\""
    );
}

#[test]
fn malformed_requests_never_panic() {
    let sb = demo();
    let pieces = [
        "api",
        "v1",
        "namespaces",
        "demo",
        "services",
        "pods",
        "nodes",
        "web",
        "web:http",
        "https:web:",
        "proxy",
        "",
        ".",
        "..",
        "%2F",
        "%2E%2E",
        "%zz",
        "%",
        ":",
        "a:b:c:d",
        "%C3%A9",
        "%00",
        "node-1",
        "web-0",
        "x?y=1",
        "endpoints",
        "status",
    ];
    let mut seed: u64 = 0x9e37_79b9_7f4a_7c15;
    let mut next = || {
        seed ^= seed << 13;
        seed ^= seed >> 7;
        seed ^= seed << 17;
        seed
    };
    for _ in 0..300 {
        let n = (next() % 9) as usize;
        let mut path = String::new();
        for _ in 0..n {
            path.push('/');
            path.push_str(pieces[(next() % pieces.len() as u64) as usize]);
        }
        if path.is_empty() || next() % 3 == 0 {
            path.push('/');
        }
        let method = ["GET", "POST", "HEAD", "DELETE"][(next() % 4) as usize];
        let r = sb.request(method, &path, &[], b"");
        assert!((200..600).contains(&r.status), "{method} {path}: {}", r.status);
    }
    assert_eq!(sb.get("/version").status, 200, "still alive");
}

#[test]
fn stops_cleanly_on_sigterm() {
    let sb = Sandbox::start(&[]);
    assert_eq!(
        sb.get("/api/v1/namespaces").json()["items"]
            .as_array()
            .unwrap()
            .len(),
        4
    );
    let status = sb.terminate();
    assert!(status.success(), "{status}");
}

fn run_with_fixture(yaml: &str) -> (i32, String) {
    let dir = common::scratch_dir("cli");
    let f = dir.join(format!("bad-{}.yaml", yaml.len()));
    std::fs::write(&f, yaml).unwrap();
    let out = Command::new(env!("CARGO_BIN_EXE_kubeopen-sandbox"))
        .args(["--listen", "127.0.0.1:0", "--fixture", f.to_str().unwrap()])
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn malformed_fixture_names_file_line_and_field() {
    let (code, err) = run_with_fixture("services:\n  - name: a\n    ports:\n      - port: eighty\n");
    assert_eq!(code, 1, "{err}");
    assert!(
        err.contains("bad-") && err.contains(".yaml:4:") && err.contains("field `port`"),
        "{err}"
    );
    let (code, err) = run_with_fixture("pods:\n  - name: p\n    podIP: [10.0.0.1]\n");
    assert_eq!(code, 1);
    assert!(err.contains(":3:") && err.contains("podIP"), "{err}");
    let (code, err) =
        run_with_fixture("endpoints:\n  - name: e\n    subsets:\n      - addresses: [{ip: not-an-ip}]\n");
    assert_eq!(code, 1);
    assert!(err.contains(":4:") && err.contains("field `ip`"), "{err}");
    let (code, err) =
        run_with_fixture("pods:\n  - name: p\n    serve: ./no/such/folder\n    podIPs: [10.0.0.1]\n");
    assert_eq!(code, 1);
    assert!(err.contains(":3:") && err.contains("field `serve`"), "{err}");
}
