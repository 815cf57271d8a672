//! The read-only API: discovery (spec §7), `/api/v1` lists and gets in kube-apiserver's JSON
//! shapes (and the `Table` form kubectl asks for), and `Status` errors.

use std::collections::BTreeMap;
use std::net::SocketAddr;
use std::time::{SystemTime, UNIX_EPOCH};

use hyper::header::{CACHE_CONTROL, CONTENT_TYPE, HeaderValue};
use hyper::{Response, StatusCode};
use serde_json::{Map, Value, json};

use crate::fixture::{Cluster, IntOrString, Meta};
use crate::server::{Body, full};

/// The version this sandbox reports, in `version.Info` field order.
fn version_info() -> Value {
    json!({
        "major": "1",
        "minor": "34",
        "gitVersion": "v1.34.0-kubeopen-sandbox",
        "gitCommit": "0000000000000000000000000000000000000000",
        "gitTreeState": "clean",
        "buildDate": "2026-01-01T00:00:00Z",
        "goVersion": "go1.24.0",
        "compiler": "gc",
        "platform": "linux/amd64"
    })
}

/// Non-resource paths every authenticated user may read (`system:discovery`).
pub fn is_discovery_path(path: &str) -> bool {
    matches!(
        path,
        "/version"
            | "/version/"
            | "/api"
            | "/api/"
            | "/api/v1"
            | "/api/v1/"
            | "/apis"
            | "/apis/"
            | "/apis/discovery.k8s.io"
            | "/apis/discovery.k8s.io/"
            | "/apis/discovery.k8s.io/v1"
            | "/apis/discovery.k8s.io/v1/"
            | "/healthz"
            | "/livez"
            | "/readyz"
    ) || path.starts_with("/openapi/")
}

/// Answers a non-resource path, or `None` when it is not one.
pub fn discovery(path: &str, server_addr: SocketAddr) -> Option<Response<Body>> {
    Some(match path {
        // kube-apiserver writes /version with json.MarshalIndent(info, "", "  ").
        "/version" | "/version/" => json_response(
            StatusCode::OK,
            serde_json::to_vec_pretty(&version_info()).unwrap_or_default(),
        ),
        "/api" | "/api/" => json_ok(&json!({
            "kind": "APIVersions",
            "versions": ["v1"],
            "serverAddressByClientCIDRs": [{"clientCIDR": "0.0.0.0/0", "serverAddress": server_addr.to_string()}]
        })),
        "/apis" | "/apis/" => json_ok(&json!({
            "kind": "APIGroupList",
            "apiVersion": "v1",
            "groups": [discovery_group()]
        })),
        "/apis/discovery.k8s.io" | "/apis/discovery.k8s.io/" => {
            let mut g = discovery_group();
            if let Value::Object(m) = &mut g {
                let mut out = Map::new();
                out.insert("kind".into(), json!("APIGroup"));
                out.insert("apiVersion".into(), json!("v1"));
                out.extend(std::mem::take(m));
                g = Value::Object(out);
            }
            json_ok(&g)
        }
        "/apis/discovery.k8s.io/v1" | "/apis/discovery.k8s.io/v1/" => json_ok(&json!({
            "kind": "APIResourceList",
            "apiVersion": "v1",
            "groupVersion": "discovery.k8s.io/v1",
            "resources": [{
                "name": "endpointslices",
                "singularName": "endpointslice",
                "namespaced": true,
                "kind": "EndpointSlice",
                "verbs": ["get", "list"]
            }]
        })),
        "/api/v1" | "/api/v1/" => json_ok(&resource_list()),
        "/healthz" | "/livez" | "/readyz" => {
            let mut r = Response::new(full("ok"));
            r.headers_mut().insert(
                CONTENT_TYPE,
                HeaderValue::from_static("text/plain; charset=utf-8"),
            );
            r
        }
        p if p.starts_with("/openapi/") => status(
            StatusCode::NOT_FOUND,
            "NotFound",
            "the server could not find the requested resource",
            None,
        ),
        _ => return None,
    })
}

/// The one API group the sandbox serves besides the core group.
fn discovery_group() -> Value {
    let v1 = json!({"groupVersion": "discovery.k8s.io/v1", "version": "v1"});
    json!({"name": "discovery.k8s.io", "versions": [v1.clone()], "preferredVersion": v1})
}

fn resource_list() -> Value {
    let rw = ["get", "list"];
    let proxy_verbs = ["create", "delete", "get", "patch", "update"];
    let r = |name: &str, singular: &str, namespaced: bool, kind: &str, verbs: &[&str], short: &[&str]| {
        let mut v = json!({
            "name": name,
            "singularName": singular,
            "namespaced": namespaced,
            "kind": kind,
            "verbs": verbs,
        });
        if !short.is_empty() {
            v["shortNames"] = json!(short);
        }
        v
    };
    json!({
        "kind": "APIResourceList",
        "groupVersion": "v1",
        "resources": [
            r("endpoints", "endpoints", true, "Endpoints", &rw, &["ep"]),
            r("namespaces", "namespace", false, "Namespace", &rw, &["ns"]),
            r("nodes", "node", false, "Node", &rw, &["no"]),
            r("nodes/proxy", "", false, "NodeProxyOptions", &proxy_verbs, &[]),
            r("pods", "pod", true, "Pod", &rw, &["po"]),
            r("pods/portforward", "", true, "PodPortForwardOptions", &["create", "get"], &[]),
            r("pods/proxy", "", true, "PodProxyOptions", &proxy_verbs, &[]),
            r("services", "service", true, "Service", &rw, &["svc"]),
            r("services/proxy", "", true, "ServiceProxyOptions", &proxy_verbs, &[]),
        ]
    })
}

/// A `metav1.Status` failure, as kube-apiserver writes it (`details` omitted when `None`).
pub fn status(code: StatusCode, reason: &str, message: &str, details: Option<Value>) -> Response<Body> {
    let mut body = Map::new();
    body.insert("kind".into(), json!("Status"));
    body.insert("apiVersion".into(), json!("v1"));
    body.insert("metadata".into(), json!({}));
    body.insert("status".into(), json!("Failure"));
    body.insert("message".into(), json!(message));
    if !reason.is_empty() {
        body.insert("reason".into(), json!(reason));
    }
    if let Some(d) = details {
        body.insert("details".into(), d);
    }
    body.insert("code".into(), json!(code.as_u16()));
    json_response(code, compact(&Value::Object(body)))
}

/// 404 for a named object: `services "x" not found`.
pub fn not_found(resource: &str, name: &str) -> Response<Body> {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        &format!("{resource} \"{name}\" not found"),
        Some(json!({"name": name, "kind": resource})),
    )
}

/// 400 BadRequest.
pub fn bad_request(message: &str) -> Response<Body> {
    status(StatusCode::BAD_REQUEST, "BadRequest", message, None)
}

/// 503 ServiceUnavailable.
pub fn unavailable(message: &str) -> Response<Body> {
    status(
        StatusCode::SERVICE_UNAVAILABLE,
        "ServiceUnavailable",
        message,
        None,
    )
}

/// The generic 404 for unknown paths.
pub fn no_such_path() -> Response<Body> {
    status(
        StatusCode::NOT_FOUND,
        "NotFound",
        "the server could not find the requested resource",
        None,
    )
}

/// 405 for methods the sandbox does not serve.
pub fn method_not_allowed() -> Response<Body> {
    status(
        StatusCode::METHOD_NOT_ALLOWED,
        "MethodNotAllowed",
        "the server does not allow this method on the requested resource",
        None,
    )
}

fn compact(v: &Value) -> Vec<u8> {
    let mut out = serde_json::to_vec(v).unwrap_or_default();
    out.push(b'\n');
    out
}

fn json_ok(v: &Value) -> Response<Body> {
    json_response(StatusCode::OK, compact(v))
}

/// A JSON response with kube-apiserver's headers.
pub fn json_response(code: StatusCode, body: Vec<u8>) -> Response<Body> {
    let mut resp = Response::new(full(body));
    *resp.status_mut() = code;
    let h = resp.headers_mut();
    h.insert(CONTENT_TYPE, HeaderValue::from_static("application/json"));
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    resp
}

// ---------------------------------------------------------------------------------------------
// Objects.

/// RFC 3339 UTC, seconds precision (`metav1.Time`).
pub fn rfc3339(t: SystemTime) -> String {
    let secs = t.duration_since(UNIX_EPOCH).map_or(0, |d| d.as_secs());
    let days = i64::try_from(secs / 86_400).unwrap_or(0);
    let rem = secs % 86_400;
    // Howard Hinnant's civil_from_days.
    let z = days + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    format!(
        "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
        rem / 3600,
        rem % 3600 / 60,
        rem % 60
    )
}

pub(crate) fn uid(kind: &str, m: &Meta) -> String {
    // FNV-1a over kind/namespace/name, printed as a UUID.
    let mut h: u128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d;
    for b in kind
        .bytes()
        .chain([b'/'])
        .chain(m.namespace.bytes())
        .chain([b'/'])
        .chain(m.name.bytes())
    {
        h ^= u128::from(b);
        h = h.wrapping_mul(0x0000_0000_0100_0000_0000_0000_0000_013B);
    }
    let x = format!("{h:032x}");
    format!(
        "{}-{}-{}-{}-{}",
        &x[0..8],
        &x[8..12],
        &x[12..16],
        &x[16..20],
        &x[20..32]
    )
}

fn metadata(kind: &str, m: &Meta, created: &str) -> Value {
    let mut v = Map::new();
    v.insert("name".into(), json!(m.name));
    if !m.namespace.is_empty() {
        v.insert("namespace".into(), json!(m.namespace));
    }
    v.insert("uid".into(), json!(uid(kind, m)));
    v.insert("resourceVersion".into(), json!(m.resource_version.to_string()));
    v.insert("creationTimestamp".into(), json!(created));
    if !m.labels.is_empty() {
        v.insert("labels".into(), json!(m.labels));
    }
    Value::Object(v)
}

/// The resources the sandbox serves.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub enum Kind {
    /// namespaces
    Namespaces,
    /// services
    Services,
    /// endpoints
    Endpoints,
    /// pods
    Pods,
    /// nodes
    Nodes,
    /// endpointslices (`discovery.k8s.io/v1`)
    EndpointSlices,
}

impl Kind {
    /// From the API group (`""` for the core group) and the plural resource name.
    pub fn from_resource(group: &str, r: &str) -> Option<Kind> {
        Some(match (group, r) {
            ("", "namespaces") => Kind::Namespaces,
            ("", "services") => Kind::Services,
            ("", "endpoints") => Kind::Endpoints,
            ("", "pods") => Kind::Pods,
            ("", "nodes") => Kind::Nodes,
            ("discovery.k8s.io", "endpointslices") => Kind::EndpointSlices,
            _ => return None,
        })
    }
    /// `apiVersion`.
    fn api_version(self) -> &'static str {
        match self {
            Kind::EndpointSlices => "discovery.k8s.io/v1",
            _ => "v1",
        }
    }
    /// Cluster-scoped?
    pub fn cluster_scoped(self) -> bool {
        matches!(self, Kind::Namespaces | Kind::Nodes)
    }
    fn kind(self) -> &'static str {
        match self {
            Kind::Namespaces => "Namespace",
            Kind::Services => "Service",
            Kind::Endpoints => "Endpoints",
            Kind::Pods => "Pod",
            Kind::Nodes => "Node",
            Kind::EndpointSlices => "EndpointSlice",
        }
    }
}

/// One object as JSON, plus its metadata (for selectors and tables).
struct Obj<'a> {
    meta: &'a Meta,
    json: Value,
    cells: Vec<Value>,
}

fn port_list(c: &Cluster, ns: &str, name: &str) -> String {
    let Some(s) = c
        .services
        .iter()
        .find(|s| s.meta.namespace == ns && s.meta.name == name)
    else {
        return "<none>".into();
    };
    if s.ports.is_empty() {
        return "<none>".into();
    }
    s.ports
        .iter()
        .map(|p| match p.node_port {
            Some(np) => format!("{}:{}/{}", p.port, np, p.protocol),
            None => format!("{}/{}", p.port, p.protocol),
        })
        .collect::<Vec<_>>()
        .join(",")
}

fn objects<'a>(c: &'a Cluster, kind: Kind, created: &str, age: &str) -> Vec<Obj<'a>> {
    match kind {
        Kind::Namespaces => c
            .namespaces
            .iter()
            .map(|n| Obj {
                meta: &n.meta,
                json: json!({
                    "metadata": metadata("Namespace", &n.meta, created),
                    "spec": {"finalizers": ["kubernetes"]},
                    "status": {"phase": "Active"}
                }),
                cells: vec![json!(n.meta.name), json!("Active"), json!(age)],
            })
            .collect(),
        Kind::Nodes => c
            .nodes
            .iter()
            .map(|n| {
                let addr = |t: &str| {
                    n.addresses
                        .iter()
                        .find(|a| a.kind == t)
                        .map_or("<none>".to_owned(), |a| a.address.clone())
                };
                let mut status = json!({
                    "conditions": [{"type": "Ready", "status": "True", "reason": "KubeletReady", "message": "kubelet is posting ready status"}],
                    "addresses": n.addresses.iter().map(|a| json!({"type": a.kind, "address": a.address})).collect::<Vec<_>>(),
                    "daemonEndpoints": {"kubeletEndpoint": {"Port": n.kubelet_port}},
                    "nodeInfo": {"kubeletVersion": "v1.34.0", "osImage": "kubeopen-sandbox", "kernelVersion": "-", "containerRuntimeVersion": "sandbox://1", "operatingSystem": "linux", "architecture": "amd64"}
                });
                if n.kubelet_port == 0 {
                    status["daemonEndpoints"] = json!({"kubeletEndpoint": {"Port": 0}});
                }
                Obj {
                    meta: &n.meta,
                    json: json!({"metadata": metadata("Node", &n.meta, created), "spec": {}, "status": status}),
                    cells: vec![
                        json!(n.meta.name),
                        json!("Ready"),
                        json!("<none>"),
                        json!(age),
                        json!("v1.34.0"),
                        json!(addr("InternalIP")),
                        json!(addr("ExternalIP")),
                        json!("kubeopen-sandbox"),
                        json!("-"),
                        json!("sandbox://1"),
                    ],
                }
            })
            .collect(),
        Kind::Pods => c
            .pods
            .iter()
            .map(|p| {
                let containers: Vec<Value> = p
                    .containers
                    .iter()
                    .map(|k| {
                        let mut v = json!({"name": k.name, "image": k.image});
                        if !k.ports.is_empty() {
                            v["ports"] = k
                                .ports
                                .iter()
                                .map(|cp| {
                                    let mut pv = Map::new();
                                    if let Some(n) = &cp.name {
                                        pv.insert("name".into(), json!(n));
                                    }
                                    pv.insert("containerPort".into(), json!(cp.container_port));
                                    pv.insert("protocol".into(), json!(cp.protocol));
                                    Value::Object(pv)
                                })
                                .collect();
                        }
                        v
                    })
                    .collect();
                let mut spec = json!({"containers": containers});
                if let Some(n) = &p.node_name {
                    spec["nodeName"] = json!(n);
                }
                let mut status = json!({"phase": "Running"});
                if let Some(ip) = p.pod_ips.first() {
                    status["podIP"] = json!(ip);
                    status["podIPs"] = p.pod_ips.iter().map(|ip| json!({"ip": ip})).collect();
                }
                let n = p.containers.len();
                let ready_n = if p.ready { n } else { 0 };
                let ready = if p.ready { "True" } else { "False" };
                status["conditions"] = json!([
                    {"type": "Ready", "status": ready},
                    {"type": "ContainersReady", "status": ready}
                ]);
                Obj {
                    meta: &p.meta,
                    json: json!({"metadata": metadata("Pod", &p.meta, created), "spec": spec, "status": status}),
                    cells: vec![
                        json!(p.meta.name),
                        json!(format!("{ready_n}/{n}")),
                        json!("Running"),
                        json!("0"),
                        json!(age),
                        json!(p.pod_ips.first().cloned().unwrap_or_else(|| "<none>".into())),
                        json!(p.node_name.clone().unwrap_or_else(|| "<none>".into())),
                        json!("<none>"),
                        json!("<none>"),
                    ],
                }
            })
            .collect(),
        Kind::Services => c
            .services
            .iter()
            .map(|s| {
                let ports: Vec<Value> = s
                    .ports
                    .iter()
                    .map(|p| {
                        let mut v = Map::new();
                        if !p.name.is_empty() {
                            v.insert("name".into(), json!(p.name));
                        }
                        v.insert("protocol".into(), json!(p.protocol));
                        if let Some(a) = &p.app_protocol {
                            v.insert("appProtocol".into(), json!(a));
                        }
                        v.insert("port".into(), json!(p.port));
                        v.insert(
                            "targetPort".into(),
                            match &p.target_port {
                                IntOrString::Int(n) => json!(n),
                                IntOrString::Str(s) => json!(s),
                            },
                        );
                        if let Some(np) = p.node_port {
                            v.insert("nodePort".into(), json!(np));
                        }
                        Value::Object(v)
                    })
                    .collect();
                let mut spec = json!({
                    "ports": ports,
                    "clusterIP": s.cluster_ip,
                    "clusterIPs": [s.cluster_ip],
                    "type": s.kind,
                    "sessionAffinity": "None",
                    "ipFamilies": ["IPv4"],
                    "ipFamilyPolicy": "SingleStack",
                    "internalTrafficPolicy": "Cluster"
                });
                if let Some(sel) = &s.selector {
                    spec["selector"] = json!(sel);
                }
                let selector = s.selector.as_ref().map_or("<none>".to_owned(), |sel| {
                    sel.iter()
                        .map(|(k, v)| format!("{k}={v}"))
                        .collect::<Vec<_>>()
                        .join(",")
                });
                Obj {
                    meta: &s.meta,
                    json: json!({"metadata": metadata("Service", &s.meta, created), "spec": spec, "status": {"loadBalancer": {}}}),
                    cells: vec![
                        json!(s.meta.name),
                        json!(s.kind),
                        json!(s.cluster_ip),
                        json!("<none>"),
                        json!(port_list(c, &s.meta.namespace, &s.meta.name)),
                        json!(age),
                        json!(selector),
                    ],
                }
            })
            .collect(),
        Kind::EndpointSlices => c
            .endpoint_slices
            .iter()
            .map(|s| endpoint_slice(c, s, created, age))
            .collect(),
        Kind::Endpoints => c
            .endpoints
            .iter()
            .map(|e| {
                let addr = |a: &crate::fixture::EndpointAddress| {
                    let mut v = json!({"ip": a.ip});
                    if let Some((kind, ns, name)) = &a.target_ref {
                        let m = Meta {
                            name: name.clone(),
                            namespace: ns.clone(),
                            labels: BTreeMap::new(),
                            resource_version: 0,
                        };
                        v["targetRef"] = json!({"kind": kind, "namespace": ns, "name": name, "uid": uid(kind, &m)});
                    }
                    v
                };
                let subsets: Vec<Value> = e
                    .subsets
                    .iter()
                    .map(|s| {
                        let mut v = Map::new();
                        if !s.addresses.is_empty() {
                            v.insert("addresses".into(), s.addresses.iter().map(addr).collect());
                        }
                        if !s.not_ready_addresses.is_empty() {
                            v.insert(
                                "notReadyAddresses".into(),
                                s.not_ready_addresses.iter().map(addr).collect(),
                            );
                        }
                        v.insert(
                            "ports".into(),
                            s.ports
                                .iter()
                                .map(|p| {
                                    let mut pv = Map::new();
                                    if !p.name.is_empty() {
                                        pv.insert("name".into(), json!(p.name));
                                    }
                                    pv.insert("port".into(), json!(p.port));
                                    pv.insert("protocol".into(), json!("TCP"));
                                    if let Some(a) = &p.app_protocol {
                                        pv.insert("appProtocol".into(), json!(a));
                                    }
                                    Value::Object(pv)
                                })
                                .collect(),
                        );
                        Value::Object(v)
                    })
                    .collect();
                let mut v = json!({"metadata": metadata("Endpoints", &e.meta, created)});
                if !subsets.is_empty() {
                    v["subsets"] = json!(subsets);
                }
                let eps: Vec<String> = e
                    .subsets
                    .iter()
                    .flat_map(|s| {
                        s.addresses.iter().flat_map(move |a| {
                            s.ports.iter().map(move |p| format!("{}:{}", a.ip, p.port))
                        })
                    })
                    .collect();
                Obj {
                    meta: &e.meta,
                    json: v,
                    cells: vec![
                        json!(e.meta.name),
                        json!(if eps.is_empty() { "<none>".to_owned() } else { eps.join(",") }),
                        json!(age),
                    ],
                }
            })
            .collect(),
    }
}

/// kubectl's `listWithMoreString`: at most 3 entries, then `+ N more...`; none: `<unset>`.
fn list_with_more(items: &[String]) -> String {
    let shown = items.iter().take(3).cloned().collect::<Vec<_>>().join(",");
    if items.len() > 3 {
        format!("{shown} + {} more...", items.len() - 3)
    } else if shown.is_empty() {
        "<unset>".to_owned()
    } else {
        shown
    }
}

/// One EndpointSlice in `discovery.k8s.io/v1`'s field order.
fn endpoint_slice<'a>(
    c: &Cluster,
    s: &'a crate::fixture::EndpointSlice,
    created: &str,
    age: &str,
) -> Obj<'a> {
    let mut meta = metadata("EndpointSlice", &s.meta, created);
    let owner_uid = c
        .services
        .iter()
        .find(|x| x.meta.namespace == s.meta.namespace && x.meta.name == s.service)
        .map(|x| uid("Service", &x.meta));
    if let Value::Object(m) = &mut meta {
        // ObjectMeta's field order: name, generateName, namespace, uid, resourceVersion,
        // generation, creationTimestamp, labels, ownerReferences.
        let mut out = Map::new();
        for key in [
            "name",
            "generateName",
            "namespace",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "labels",
        ] {
            match key {
                "generateName" => {
                    out.insert(key.into(), json!(format!("{}-", s.service)));
                }
                "generation" => {
                    out.insert(key.into(), json!(1));
                }
                _ => {
                    if let Some(v) = m.remove(key) {
                        out.insert(key.into(), v);
                    }
                }
            }
        }
        if let Some(owner_uid) = owner_uid {
            out.insert(
                "ownerReferences".into(),
                json!([{"apiVersion": "v1", "kind": "Service", "name": s.service, "uid": owner_uid, "controller": true, "blockOwnerDeletion": true}]),
            );
        }
        *m = out;
    }
    let endpoints = s.endpoints.as_ref().filter(|e| !e.is_empty()).map(|eps| {
        eps.iter()
            .map(|e| {
                let mut v = Map::new();
                v.insert("addresses".into(), json!([e.address]));
                v.insert(
                    "conditions".into(),
                    json!({"ready": e.ready, "serving": e.ready, "terminating": false}),
                );
                if let Some((kind, ns, name)) = &e.target_ref {
                    let m = Meta {
                        name: name.clone(),
                        namespace: ns.clone(),
                        labels: BTreeMap::new(),
                        resource_version: 0,
                    };
                    v.insert(
                        "targetRef".into(),
                        json!({"kind": kind, "namespace": ns, "name": name, "uid": uid(kind, &m)}),
                    );
                }
                if let Some(n) = &e.node_name {
                    v.insert("nodeName".into(), json!(n));
                }
                Value::Object(v)
            })
            .collect::<Vec<_>>()
    });
    let ports = s.ports.as_ref().filter(|p| !p.is_empty()).map(|ps| {
        ps.iter()
            .map(|p| {
                let mut v = Map::new();
                v.insert("name".into(), json!(p.name));
                v.insert("protocol".into(), json!("TCP"));
                v.insert("port".into(), json!(p.port));
                if let Some(a) = &p.app_protocol {
                    v.insert("appProtocol".into(), json!(a));
                }
                Value::Object(v)
            })
            .collect::<Vec<_>>()
    });
    let addresses: Vec<String> = s.endpoints.iter().flatten().map(|e| e.address.clone()).collect();
    let port_cells: Vec<String> = s.ports.iter().flatten().map(|p| p.port.to_string()).collect();
    Obj {
        meta: &s.meta,
        json: json!({
            "metadata": meta,
            "addressType": s.address_type,
            "endpoints": endpoints,
            "ports": ports,
        }),
        cells: vec![
            json!(s.meta.name),
            json!(s.address_type),
            json!(list_with_more(&port_cells)),
            json!(list_with_more(&addresses)),
            json!(age),
        ],
    }
}

fn columns(kind: Kind) -> Value {
    let col = |name: &str, ty: &str, priority: u8| json!({"name": name, "type": ty, "format": if name == "Name" { "name" } else { "" }, "description": "", "priority": priority});
    let cols: Vec<Value> = match kind {
        Kind::Namespaces => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::Nodes => vec![
            col("Name", "string", 0),
            col("Status", "string", 0),
            col("Roles", "string", 0),
            col("Age", "string", 0),
            col("Version", "string", 0),
            col("Internal-IP", "string", 1),
            col("External-IP", "string", 1),
            col("OS-Image", "string", 1),
            col("Kernel-Version", "string", 1),
            col("Container-Runtime", "string", 1),
        ],
        Kind::Pods => vec![
            col("Name", "string", 0),
            col("Ready", "string", 0),
            col("Status", "string", 0),
            col("Restarts", "string", 0),
            col("Age", "string", 0),
            col("IP", "string", 1),
            col("Node", "string", 1),
            col("Nominated Node", "string", 1),
            col("Readiness Gates", "string", 1),
        ],
        Kind::Services => vec![
            col("Name", "string", 0),
            col("Type", "string", 0),
            col("Cluster-IP", "string", 0),
            col("External-IP", "string", 0),
            col("Port(s)", "string", 0),
            col("Age", "string", 0),
            col("Selector", "string", 1),
        ],
        Kind::Endpoints => vec![
            col("Name", "string", 0),
            col("Endpoints", "string", 0),
            col("Age", "string", 0),
        ],
        Kind::EndpointSlices => vec![
            col("Name", "string", 0),
            col("AddressType", "string", 0),
            col("Ports", "string", 0),
            col("Endpoints", "string", 0),
            col("Age", "string", 0),
        ],
    };
    Value::Array(cols)
}

/// Go's `duration.HumanDuration`, roughly.
fn human_age(secs: u64) -> String {
    let (m, h, d) = (secs / 60, secs / 3600, secs / 86_400);
    if secs < 120 {
        format!("{secs}s")
    } else if m < 10 {
        if secs.is_multiple_of(60) {
            format!("{m}m")
        } else {
            format!("{m}m{}s", secs % 60)
        }
    } else if m < 180 {
        format!("{m}m")
    } else if h < 8 {
        format!("{h}h{}m", m % 60)
    } else if h < 48 {
        format!("{h}h")
    } else {
        format!("{d}d")
    }
}

/// A parsed equality-based label selector.
pub struct Selector(Vec<(String, Op)>);

/// One requirement.
pub enum Op {
    /// `k=v` / `k==v`
    Eq(String),
    /// `k!=v`
    Ne(String),
    /// `k`
    Exists,
    /// `!k`
    NotExists,
}

impl Selector {
    /// Parses `a=b,c!=d,e,!f`; set-based forms are refused.
    pub fn parse(s: &str) -> Result<Selector, String> {
        let mut reqs = Vec::new();
        for part in s.split(',').map(str::trim).filter(|p| !p.is_empty()) {
            let req = if let Some((k, v)) = part.split_once("!=") {
                (k.trim().to_owned(), Op::Ne(v.trim().to_owned()))
            } else if let Some((k, v)) = part.split_once("==") {
                (k.trim().to_owned(), Op::Eq(v.trim().to_owned()))
            } else if let Some((k, v)) = part.split_once('=') {
                (k.trim().to_owned(), Op::Eq(v.trim().to_owned()))
            } else if let Some(k) = part.strip_prefix('!') {
                (k.trim().to_owned(), Op::NotExists)
            } else if part.contains(' ') || part.contains('(') {
                return Err(format!(
                    "unable to parse requirement: {part:?} (the sandbox supports =, ==, != and existence only)"
                ));
            } else {
                (part.to_owned(), Op::Exists)
            };
            reqs.push(req);
        }
        Ok(Selector(reqs))
    }

    /// Does a label set match?
    pub fn matches(&self, labels: &BTreeMap<String, String>) -> bool {
        self.0.iter().all(|(k, op)| match op {
            Op::Eq(v) => labels.get(k) == Some(v),
            Op::Ne(v) => labels.get(k) != Some(v),
            Op::Exists => labels.contains_key(k),
            Op::NotExists => !labels.contains_key(k),
        })
    }
}

/// What a list or get asks for.
pub struct Read<'a> {
    /// Resource.
    pub kind: Kind,
    /// Namespace (`None` = all namespaces or cluster-scoped).
    pub namespace: Option<&'a str>,
    /// Object name (`None` = list).
    pub name: Option<&'a str>,
    /// Raw query string.
    pub query: &'a str,
    /// `Accept` header.
    pub accept: &'a str,
}

fn query_param(query: &str, key: &str) -> Option<String> {
    query.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then(|| form_decode(v))
    })
}

fn form_decode(v: &str) -> String {
    let plus = v.replace('+', " ");
    crate::gourl::unescape(&plus)
        .map(|b| String::from_utf8_lossy(&b).into_owned())
        .unwrap_or(plus)
}

/// Serves a list or get.
pub fn read(c: &Cluster, started: SystemTime, r: &Read<'_>) -> Response<Body> {
    let created = rfc3339(started);
    let age = human_age(
        SystemTime::now()
            .duration_since(started)
            .map_or(0, |d| d.as_secs()),
    );
    let resource = match r.kind {
        Kind::Namespaces => "namespaces",
        Kind::Services => "services",
        Kind::Endpoints => "endpoints",
        Kind::Pods => "pods",
        Kind::Nodes => "nodes",
        Kind::EndpointSlices => "endpointslices",
    };
    let table = r.accept.contains("as=Table");
    let mut objs: Vec<Obj<'_>> = objects(c, r.kind, &created, &age)
        .into_iter()
        .filter(|o| r.namespace.is_none_or(|ns| o.meta.namespace == ns))
        .collect();
    if let Some(name) = r.name {
        let Some(o) = objs.into_iter().find(|o| o.meta.name == name) else {
            return not_found(resource, name);
        };
        if table {
            return json_ok(&table_of(r.kind, c, vec![o]));
        }
        let mut v = o.json;
        if let Value::Object(m) = &mut v {
            let mut out = Map::new();
            out.insert("kind".into(), json!(r.kind.kind()));
            out.insert("apiVersion".into(), json!(r.kind.api_version()));
            out.extend(std::mem::take(m));
            v = Value::Object(out);
        }
        return json_ok(&v);
    }
    if let Some(sel) = query_param(r.query, "labelSelector") {
        match Selector::parse(&sel) {
            Ok(sel) => objs.retain(|o| sel.matches(&o.meta.labels)),
            Err(e) => return bad_request(&e),
        }
    }
    if let Some(fs) = query_param(r.query, "fieldSelector") {
        for req in fs.split(',').filter(|s| !s.is_empty()) {
            match req.split_once('=') {
                Some(("metadata.name", v)) => objs.retain(|o| o.meta.name == v.trim_start_matches('=')),
                Some(("metadata.namespace", v)) => {
                    objs.retain(|o| o.meta.namespace == v.trim_start_matches('='));
                }
                _ => {
                    return bad_request(&format!(
                        "\"{req}\" is not a known field selector: only \"metadata.name\", \"metadata.namespace\""
                    ));
                }
            }
        }
    }
    objs.sort_by(|a, b| (&a.meta.namespace, &a.meta.name).cmp(&(&b.meta.namespace, &b.meta.name)));
    if table {
        return json_ok(&table_of(r.kind, c, objs));
    }
    json_ok(&json!({
        "kind": format!("{}List", r.kind.kind()),
        "apiVersion": r.kind.api_version(),
        "metadata": {"resourceVersion": c.resource_version.to_string()},
        "items": objs.into_iter().map(|o| o.json).collect::<Vec<_>>()
    }))
}

fn table_of(kind: Kind, c: &Cluster, objs: Vec<Obj<'_>>) -> Value {
    json!({
        "kind": "Table",
        "apiVersion": "meta.k8s.io/v1",
        "metadata": {"resourceVersion": c.resource_version.to_string()},
        "columnDefinitions": columns(kind),
        "rows": objs.into_iter().map(|o| json!({
            "cells": o.cells,
            "object": {
                "kind": "PartialObjectMetadata",
                "apiVersion": "meta.k8s.io/v1",
                "metadata": o.json.get("metadata").cloned().unwrap_or(Value::Null)
            }
        })).collect::<Vec<_>>()
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rfc3339_known_dates() {
        assert_eq!(rfc3339(UNIX_EPOCH), "1970-01-01T00:00:00Z");
        let t = UNIX_EPOCH + std::time::Duration::from_secs(1_700_000_000);
        assert_eq!(rfc3339(t), "2023-11-14T22:13:20Z");
    }

    #[test]
    fn selectors() {
        let mut l = BTreeMap::new();
        l.insert("kubernetes.io/cluster-service".to_owned(), "true".to_owned());
        assert!(
            Selector::parse("kubernetes.io/cluster-service=true")
                .unwrap()
                .matches(&l)
        );
        assert!(
            !Selector::parse("kubernetes.io/cluster-service!=true")
                .unwrap()
                .matches(&l)
        );
        assert!(
            Selector::parse("!x,kubernetes.io/cluster-service")
                .unwrap()
                .matches(&l)
        );
        assert!(Selector::parse("x in (a)").is_err());
    }
}
