//! `discovery.k8s.io/v1` EndpointSlices (design note §3): discovery documents, the controller's
//! slices derived from services and pods (resolved target ports, readiness, targetRef,
//! nodeName), mirrored slices for hand-written Endpoints, selectors, and the 403 wording for a
//! non-core group.

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use serde_json::{Value, json};

mod common;
use common::{Sandbox, fixtures};

fn demo() -> Sandbox {
    let f = fixtures().join("clusters/demo.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap()])
}

const SLICES: &str = "/apis/discovery.k8s.io/v1/namespaces/demo/endpointslices";

fn with_fixture(name: &str, yaml: &str, extra: &[&str]) -> Sandbox {
    let d = common::scratch_dir(&format!("eps-{name}"));
    let f = d.join("cluster.yaml");
    std::fs::write(&f, yaml).unwrap();
    let mut args = vec!["--fixture", f.to_str().unwrap()];
    args.extend_from_slice(extra);
    let args: Vec<String> = args.into_iter().map(str::to_owned).collect();
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    Sandbox::start(&args)
}

#[test]
fn discovery_lists_the_group() {
    let sb = demo();
    let groups = sb.get("/apis").json();
    assert_eq!(
        groups["groups"],
        json!([{"name": "discovery.k8s.io", "versions": [{"groupVersion": "discovery.k8s.io/v1", "version": "v1"}], "preferredVersion": {"groupVersion": "discovery.k8s.io/v1", "version": "v1"}}])
    );
    let g = sb.get("/apis/discovery.k8s.io").json();
    assert_eq!(
        (g["kind"].as_str(), g["name"].as_str()),
        (Some("APIGroup"), Some("discovery.k8s.io"))
    );
    let rl = sb.get("/apis/discovery.k8s.io/v1").json();
    assert_eq!(rl["groupVersion"], "discovery.k8s.io/v1");
    assert_eq!(rl["resources"][0]["name"], "endpointslices");
    assert_eq!(rl["resources"][0]["kind"], "EndpointSlice");
    assert!(
        rl["resources"][0]["verbs"]
            .as_array()
            .unwrap()
            .contains(&json!("list"))
    );
    // The core group does not serve it, nor does the group serve core resources.
    assert_eq!(sb.get("/api/v1/namespaces/demo/endpointslices").status, 404);
    assert_eq!(
        sb.get("/apis/discovery.k8s.io/v1/namespaces/demo/services")
            .status,
        404
    );
    assert_eq!(
        sb.get("/apis/discovery.k8s.io/v2/namespaces/demo/endpointslices")
            .status,
        404
    );
}

#[test]
fn controller_slices_in_the_real_shape() {
    let sb = demo();
    let list = sb
        .get(&format!(
            "{SLICES}?labelSelector=kubernetes.io%2Fservice-name%3Dweb"
        ))
        .json();
    assert_eq!(list["kind"], "EndpointSliceList");
    assert_eq!(list["apiVersion"], "discovery.k8s.io/v1");
    let items = list["items"].as_array().unwrap();
    assert_eq!(items.len(), 1, "{list}");
    let s = &items[0];
    let name = s["metadata"]["name"].as_str().unwrap();
    assert!(
        name.starts_with("web-") && name.len() == "web-".len() + 5,
        "{name}"
    );
    assert_eq!(s["metadata"]["generateName"], "web-");
    assert_eq!(s["metadata"]["labels"]["kubernetes.io/service-name"], "web");
    assert_eq!(
        s["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"],
        "endpointslice-controller.k8s.io"
    );
    assert_eq!(s["metadata"]["ownerReferences"][0]["kind"], "Service");
    assert_eq!(s["metadata"]["ownerReferences"][0]["name"], "web");
    assert_eq!(s["addressType"], "IPv4");
    let ep = &s["endpoints"][0];
    assert_eq!(ep["addresses"], json!(["10.244.1.10"]));
    assert_eq!(
        ep["conditions"],
        json!({"ready": true, "serving": true, "terminating": false})
    );
    assert_eq!(ep["targetRef"]["kind"], "Pod");
    assert_eq!(ep["targetRef"]["name"], "web-0");
    assert_eq!(ep["targetRef"]["namespace"], "demo");
    assert_eq!(ep["nodeName"], "node-1");
    // The service port `http` (80 → targetPort `http`) resolved to the container port.
    assert_eq!(
        s["ports"],
        json!([{"name": "http", "protocol": "TCP", "port": 8080, "appProtocol": "http"}])
    );
    // The same object by name.
    let one = sb.get(&format!("{SLICES}/{name}")).json();
    assert_eq!(one["kind"], "EndpointSlice");
    assert_eq!(one["apiVersion"], "discovery.k8s.io/v1");
    assert_eq!(one["ports"], s["ports"]);

    // Two ports; a selector that matches nothing gives the placeholder slice.
    let multi = &sb
        .get(&format!(
            "{SLICES}?labelSelector=kubernetes.io/service-name=web-multi"
        ))
        .json()["items"][0];
    let ports: Vec<(Value, Value)> = multi["ports"]
        .as_array()
        .unwrap()
        .iter()
        .map(|p| (p["name"].clone(), p["port"].clone()))
        .collect();
    assert_eq!(
        ports,
        vec![(json!("http"), json!(8080)), (json!("metrics"), json!(9100))]
    );
    let none = &sb
        .get(&format!(
            "{SLICES}?labelSelector=kubernetes.io/service-name=no-endpoints"
        ))
        .json()["items"][0];
    assert_eq!(none["endpoints"], Value::Null);
    // A selector-less service's hand-written Endpoints are mirrored.
    let mirrored = &sb
        .get(&format!(
            "{SLICES}?labelSelector=kubernetes.io/service-name=web-unnamed"
        ))
        .json()["items"][0];
    assert_eq!(
        mirrored["metadata"]["labels"]["endpointslice.kubernetes.io/managed-by"],
        "endpointslicemirroring-controller.k8s.io"
    );
    assert_eq!(
        mirrored["ports"],
        json!([{"name": "", "protocol": "TCP", "port": 8080}])
    );
    // All namespaces.
    let all = sb.get("/apis/discovery.k8s.io/v1/endpointslices").json();
    let names: Vec<&str> = all["items"]
        .as_array()
        .unwrap()
        .iter()
        .map(|i| {
            i["metadata"]["labels"]["kubernetes.io/service-name"]
                .as_str()
                .unwrap()
        })
        .collect();
    assert!(
        names.contains(&"kubernetes-dashboard") && names.contains(&"prometheus"),
        "{names:?}"
    );
}

#[test]
fn not_ready_pods_are_listed_not_ready() {
    let sb = with_fixture(
        "ready",
        "namespaces: [{name: demo}]\npods:\n  - {name: a-old, namespace: demo, labels: {app: a}, ready: false, nodeName: n1, podIPs: [10.1.0.1], containers: [{name: c, ports: [{name: web, containerPort: 8081}]}]}\n  - {name: a-new, namespace: demo, labels: {app: a}, nodeName: n1, podIPs: [10.1.0.2], containers: [{name: c, ports: [{name: web, containerPort: 8081}]}]}\nservices:\n  - {name: a, namespace: demo, selector: {app: a}, ports: [{name: http, port: 80, targetPort: web}]}\n",
        &[],
    );
    let s = &sb
        .get(&format!("{SLICES}?labelSelector=kubernetes.io/service-name=a"))
        .json()["items"][0];
    let eps: Vec<(Value, Value, Value)> = s["endpoints"]
        .as_array()
        .unwrap()
        .iter()
        .map(|e| {
            (
                e["targetRef"]["name"].clone(),
                e["conditions"]["ready"].clone(),
                e["conditions"]["serving"].clone(),
            )
        })
        .collect();
    assert_eq!(
        eps,
        vec![
            (json!("a-old"), json!(false), json!(false)),
            (json!("a-new"), json!(true), json!(true))
        ]
    );
    // The v1 Endpoints agree (notReadyAddresses), and the pod shows 0/1 ready.
    let e = sb.get("/api/v1/namespaces/demo/endpoints/a").json();
    assert_eq!(e["subsets"][0]["notReadyAddresses"][0]["ip"], "10.1.0.1");
    assert_eq!(e["subsets"][0]["addresses"][0]["ip"], "10.1.0.2");
    let p = sb.get("/api/v1/namespaces/demo/pods/a-old").json();
    assert_eq!(
        p["status"]["conditions"][0],
        json!({"type": "Ready", "status": "False"})
    );
}

#[test]
fn forbidden_names_the_group() {
    let d = common::scratch_dir("eps-authz");
    std::fs::write(d.join("tokens.csv"), "t1,alice,1\nt2,bob,2\n").unwrap();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - users: [bob]\n    namespaces: [demo]\n    resources: [endpointslices]\n    verbs: [list]\n",
    )
    .unwrap();
    let f = fixtures().join("clusters/demo.yaml");
    let sb = Sandbox::start(&[
        "--fixture",
        f.to_str().unwrap(),
        "--token-auth-file",
        d.join("tokens.csv").to_str().unwrap(),
        "--authz-file",
        d.join("rules.yaml").to_str().unwrap(),
    ]);
    let r = sb.request("GET", SLICES, &[("Authorization", "Bearer t1")], b"");
    assert_eq!(r.status, 403);
    assert_eq!(
        r.json()["message"],
        "endpointslices.discovery.k8s.io is forbidden: User \"alice\" cannot list resource \"endpointslices\" in API group \"discovery.k8s.io\" in the namespace \"demo\""
    );
    assert_eq!(
        r.json()["details"],
        json!({"group": "discovery.k8s.io", "kind": "endpointslices"})
    );
    let r = sb.request("GET", SLICES, &[("Authorization", "Bearer t2")], b"");
    assert_eq!(r.status, 200);
}
