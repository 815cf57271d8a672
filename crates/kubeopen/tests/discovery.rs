//! `kubectl cluster-info` (spec §6), openable endpoints and `Status` errors.
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed unwrap is a failed test"
)]

use kubeopen::discovery::{
    ClusterInfoEntry, Evidence, IntOrString, LoadBalancerIngress, NodeList, PodList, Service, ServiceList,
    ServicePort, cluster_info, openable_endpoints, status_error,
};

const SERVER: &str = "https://10.0.0.1:6443";

fn port(name: &str, number: i64) -> ServicePort {
    ServicePort {
        name: name.into(),
        port: number,
        ..ServicePort::default()
    }
}

/// A service labelled for cluster-info, with a selector (so it is proxyable).
fn service(namespace: &str, name: &str, ports: Vec<ServicePort>) -> Service {
    let mut s = Service::default();
    s.metadata.name = name.into();
    s.metadata.namespace = Some(namespace.into());
    s.metadata
        .labels
        .insert("kubernetes.io/cluster-service".into(), "true".into());
    s.spec.selector.insert("app".into(), name.into());
    s.spec.ports = ports;
    s
}

fn list(items: Vec<Service>) -> ServiceList {
    ServiceList {
        items,
        ..ServiceList::default()
    }
}

#[test]
fn cluster_info_ids_spec_6() {
    // Spec §6 "Derived id examples", plus the no-port case (bare name).
    for (ports, id) in [
        (vec![port("", 80)], "svc"),
        (vec![port("dns", 53)], "svc:dns"),
        (vec![port("", 443)], "https:svc:"),
        (vec![port("https", 8443)], "https:svc:https"),
        (vec![port("http", 443)], "https:svc:http"),
        (vec![], "svc"),
        // Only ports[0] counts.
        (vec![port("metrics", 9153), port("https", 443)], "svc:metrics"),
    ] {
        let info = cluster_info(&list(vec![service("kube-system", "svc", ports)]), SERVER);
        assert_eq!(
            info,
            [ClusterInfoEntry {
                name: "svc".into(),
                namespace: "kube-system".into(),
                url: format!("{SERVER}/api/v1/namespaces/kube-system/services/{id}/proxy"),
            }],
            "{id}"
        );
    }
}

#[test]
fn cluster_info_display_name_filter_and_load_balancers() {
    let mut dns = service(
        "kube-system",
        "kube-dns",
        vec![port("dns", 53), port("dns-tcp", 53)],
    );
    dns.metadata
        .labels
        .insert("kubernetes.io/name".into(), "CoreDNS".into());
    let mut lb = service(
        "kube-system",
        "ingress",
        vec![port("http", 80), port("https", 443)],
    );
    lb.status.load_balancer.ingress = vec![LoadBalancerIngress {
        ip: "203.0.113.7".into(),
        hostname: "lb.example".into(),
    }];
    let mut lb_host = service("kube-system", "ingress-host", vec![port("", 8080)]);
    lb_host.status.load_balancer.ingress = vec![LoadBalancerIngress {
        ip: String::new(),
        hostname: "lb.example".into(),
    }];
    let mut unlabelled = service("kube-system", "other", vec![port("", 80)]);
    unlabelled.metadata.labels.clear();
    let mut label_false = service("kube-system", "no", vec![port("", 80)]);
    label_false
        .metadata
        .labels
        .insert("kubernetes.io/cluster-service".into(), "false".into());

    let info = cluster_info(
        &list(vec![dns, lb, lb_host, unlabelled, label_false]),
        "https://k8s.example/prefix/",
    );
    let lines: Vec<String> = info.iter().map(ClusterInfoEntry::line).collect();
    assert_eq!(
        lines,
        [
            "CoreDNS is running at https://k8s.example/prefix/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy",
            // Always http, every port, each with a trailing space (kubectl's exact output).
            "ingress is running at http://203.0.113.7:80 http://203.0.113.7:443 ",
            "ingress-host is running at http://lb.example:8080 ",
        ]
    );
}

#[test]
fn openable_endpoints_heuristic() {
    let with = |p: ServicePort, f: fn(&mut ServicePort)| {
        let mut p = p;
        f(&mut p);
        p
    };
    let services = list(vec![
        service(
            "monitoring",
            "grafana",
            vec![
                port("service", 3000),                                                 // well-known port
                with(port("grpc", 9095), |_| {}),                                      // non-HTTP name
                with(port("grpc-gw", 9096), |p| p.app_protocol = Some("http".into())), // appProtocol wins
                with(port("dns", 53), |p| p.protocol = Some("UDP".into())),            // UDP
            ],
        ),
        service(
            "apps",
            "web",
            vec![
                port("https-admin", 9000),       // name says https
                port("http-metrics", 10254),     // name says http
                port("", 7777),                  // unknown: listed last-class
                port("redis", 6379),             // skipped by name
                port("", 5432),                  // skipped by number
                with(port("tls", 8443), |_| {}), // "tls" is not HTTP
                with(port("app", 8081), |p| {
                    p.target_port = Some(IntOrString::Int(8443))
                }), // https by targetPort
                with(port("h2", 9999), |p| {
                    p.app_protocol = Some("kubernetes.io/h2c".into())
                }),
                with(port("db", 1234), |p| p.app_protocol = Some("mysql".into())),
                port("", 443),
            ],
        ),
    ]);
    let open = openable_endpoints(&services, SERVER).unwrap();
    let got: Vec<(&str, u16, &str, Evidence, &str)> = open
        .iter()
        .map(|e| {
            (
                e.name.as_str(),
                e.port,
                e.scheme,
                e.evidence,
                e.url.strip_prefix(SERVER).unwrap(),
            )
        })
        .collect();
    assert_eq!(
        got,
        [
            (
                "grafana",
                3000,
                "http",
                Evidence::WellKnownPort,
                "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"
            ),
            (
                "grafana",
                9096,
                "http",
                Evidence::AppProtocol,
                "/api/v1/namespaces/monitoring/services/grafana:9096/proxy/"
            ),
            (
                "web",
                9000,
                "https",
                Evidence::PortName,
                "/api/v1/namespaces/apps/services/https:web:9000/proxy/"
            ),
            (
                "web",
                10254,
                "http",
                Evidence::PortName,
                "/api/v1/namespaces/apps/services/web:10254/proxy/"
            ),
            (
                "web",
                7777,
                "http",
                Evidence::Unknown,
                "/api/v1/namespaces/apps/services/web:7777/proxy/"
            ),
            (
                "web",
                8081,
                "https",
                Evidence::WellKnownPort,
                "/api/v1/namespaces/apps/services/https:web:8081/proxy/"
            ),
            (
                "web",
                9999,
                "http",
                Evidence::AppProtocol,
                "/api/v1/namespaces/apps/services/web:9999/proxy/"
            ),
            (
                "web",
                443,
                "https",
                Evidence::WellKnownPort,
                "/api/v1/namespaces/apps/services/https:web:443/proxy/"
            ),
        ]
    );
    assert_eq!(open[0].port_name.as_deref(), Some("service"));
    assert_eq!(open[4].port_name, None);
}

#[test]
fn openable_endpoints_skip_what_the_proxy_cannot_reach() {
    let mut external = service("apps", "external", vec![port("http", 80)]);
    external.spec.service_type = Some("ExternalName".into());
    external.spec.external_name = Some("example.com".into());
    // The API servers' own service: Endpoints without targetRef, never proxied (spec §2.2).
    let mut kubernetes = service("default", "kubernetes", vec![port("https", 443)]);
    kubernetes.spec.selector.clear();
    // No selector, Endpoints written by hand (demo/web-unnamed): proxyable, so listed.
    let mut manual = service("demo", "web-unnamed", vec![port("", 80)]);
    manual.spec.selector.clear();
    // Another service named `kubernetes`, not in `default`, is an ordinary one.
    let other_kubernetes = service("apps", "kubernetes", vec![port("https", 443)]);
    let mut headless = service("apps", "db-ui", vec![port("http", 8080)]);
    headless.spec.cluster_ip = Some("None".into());
    let mut no_namespace = service("x", "nons", vec![port("http", 80)]);
    no_namespace.metadata.namespace = None;
    let bad_name = service("apps", "1-not-dns-1035", vec![port("http", 80)]);
    let out_of_range = service("apps", "big", vec![port("http", 70000), port("http2", 0)]);

    let open = openable_endpoints(
        &list(vec![
            external,
            kubernetes,
            manual,
            other_kubernetes,
            headless,
            no_namespace,
            bad_name,
            out_of_range,
        ]),
        SERVER,
    )
    .unwrap();
    let names: Vec<(&str, &str, u16)> = open
        .iter()
        .map(|e| (e.namespace.as_str(), e.name.as_str(), e.port))
        .collect();
    assert_eq!(
        names,
        [
            ("demo", "web-unnamed", 80),
            ("apps", "kubernetes", 443),
            ("apps", "db-ui", 8080)
        ],
        "the selectorless, the other `kubernetes` and the headless service are proxyable"
    );
    assert_eq!(
        open[0].url,
        format!("{SERVER}/api/v1/namespaces/demo/services/web-unnamed:80/proxy/")
    );
}

#[test]
fn openable_endpoints_need_a_valid_server() {
    let services = list(vec![service("a", "web", vec![port("http", 80)])]);
    assert!(openable_endpoints(&services, "not a url").is_err());
    assert!(
        openable_endpoints(&ServiceList::default(), "not a url")
            .unwrap()
            .is_empty()
    );
    // Server paths are kept (Rancher-style prefix).
    let open = openable_endpoints(&services, "https://rancher.example/k8s/clusters/c-1/").unwrap();
    assert_eq!(
        open[0].url,
        "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/a/services/web:80/proxy/"
    );
}

#[test]
fn status_errors() {
    // Spec §2.2's 503 body.
    let e = status_error(
        503,
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"no endpoints available for service \"x\"","reason":"ServiceUnavailable","code":503}"#,
    );
    assert_eq!((e.code, e.reason.as_str()), (503, "ServiceUnavailable"));
    assert_eq!(
        e.to_string(),
        "Error from server (ServiceUnavailable): no endpoints available for service \"x\""
    );

    // The 401 body has no reason field on some servers: derived from the code.
    let e = status_error(
        401,
        r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"Unauthorized","code":401}"#,
    );
    assert_eq!(
        (e.code, e.reason.as_str(), e.message.as_str()),
        (401, "Unauthorized", "Unauthorized")
    );

    // Not JSON: body quoted (trimmed, bounded), reason from the HTTP status.
    let e = status_error(404, "404 page not found\n");
    assert_eq!(
        (e.reason.as_str(), e.message.as_str()),
        ("NotFound", "404 page not found")
    );
    let long = "é".repeat(400);
    let e = status_error(500, &long);
    assert!(
        e.message.ends_with('…') && e.message.len() <= 300 + '…'.len_utf8(),
        "{}",
        e.message.len()
    );
    assert_eq!(
        status_error(418, "").to_string(),
        "Error from server (Unknown): the server answered HTTP 418"
    );
    // JSON that is not a Status is quoted too.
    assert_eq!(status_error(400, r#"{"items":[]}"#).message, r#"{"items":[]}"#);
}

#[test]
fn api_types_decode_real_responses() {
    let pods: PodList = serde_json::from_str(
        r#"{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"42"},"items":[{"metadata":{"name":"grafana-0","namespace":"monitoring","uid":"u"},
            "spec":{"nodeName":"n1","containers":[{"name":"grafana","image":"grafana/grafana","ports":[{"name":"http","containerPort":3000,"protocol":"TCP"}]}]},
            "status":{"phase":"Running","podIP":"10.244.0.5","podIPs":[{"ip":"10.244.0.5"}]}}]}"#,
    )
    .unwrap();
    assert_eq!(pods.metadata.resource_version.as_deref(), Some("42"));
    let pod = &pods.items[0];
    assert_eq!(pod.spec.containers[0].ports[0].container_port, 3000);
    assert_eq!(pod.status.pod_ip.as_deref(), Some("10.244.0.5"));

    let nodes: NodeList = serde_json::from_str(
        r#"{"items":[{"metadata":{"name":"n1","labels":{"kubernetes.io/os":"linux"}},"status":{
            "addresses":[{"type":"InternalIP","address":"172.18.0.2"}],"daemonEndpoints":{"kubeletEndpoint":{"Port":10250}},
            "nodeInfo":{"kubeletVersion":"v1.34.1","osImage":"Debian","architecture":"amd64"}}}]}"#,
    )
    .unwrap();
    assert_eq!(
        nodes.items[0].status.daemon_endpoints.kubelet_endpoint.port,
        10250
    );
    assert_eq!(nodes.items[0].status.addresses[0].address_type, "InternalIP");

    let services: ServiceList = serde_json::from_str(
        r#"{"items":[{"metadata":{"name":"db","namespace":"a"},"spec":{"type":"ClusterIP","clusterIP":"None","ports":[{"port":5432,"targetPort":"pg"}]}}]}"#,
    )
    .unwrap();
    let spec = &services.items[0].spec;
    assert_eq!(spec.cluster_ip.as_deref(), Some("None"));
    assert_eq!(spec.ports[0].target_port, Some(IntOrString::String("pg".into())));
    // Serialising keeps the API's names.
    let json = serde_json::to_value(&services.items[0]).unwrap();
    assert_eq!(json["spec"]["clusterIP"], "None");
    assert_eq!(json["spec"]["ports"][0]["targetPort"], "pg");
}
