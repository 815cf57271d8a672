//! What kubeopen reads from the API: the types ([`types`]), `Status` errors, `kubectl
//! cluster-info`, and which service ports can be opened in a browser.
//!
//! ```
//! use kubeopen::discovery::{cluster_info, ServiceList};
//!
//! let services: ServiceList = serde_json::from_str(r#"{"items":[{
//!   "metadata":{"name":"kube-dns","namespace":"kube-system",
//!               "labels":{"kubernetes.io/cluster-service":"true","kubernetes.io/name":"CoreDNS"}},
//!   "spec":{"ports":[{"name":"dns","port":53,"protocol":"UDP"}]}}]}"#)?;
//! let info = cluster_info(&services, "https://10.0.0.1:6443");
//! assert_eq!(info[0].line(), "CoreDNS is running at https://10.0.0.1:6443/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy");
//! # Ok::<(), serde_json::Error>(())
//! ```

pub mod requests;
pub mod types;

pub use types::*;

use crate::proxy_url::{ProxyUrlError, Query, proxy_url};
use crate::segment::{Scheme, join_scheme_name_port};
use crate::target::{Port, Target};

/// An error answer of the API server, as kubectl prints it.
///
/// ```
/// use kubeopen::discovery::status_error;
/// let err = status_error(403, r#"{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure",
///   "message":"services is forbidden: User \"x\" cannot list resource \"services\"","reason":"Forbidden","code":403}"#);
/// assert_eq!(err.reason, "Forbidden");
/// assert_eq!(err.to_string(), "Error from server (Forbidden): services is forbidden: User \"x\" cannot list resource \"services\"");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, thiserror::Error)]
#[error("Error from server ({reason}): {message}")]
pub struct StatusError {
    /// The HTTP status (`Status.code` when the body has one).
    pub code: u16,
    /// `Status.reason`, else the reason Kubernetes uses for `code` (`Unauthorized`, `Forbidden`,
    /// `NotFound`, `ServiceUnavailable`, …), else `Unknown`.
    pub reason: String,
    /// `Status.message`, else the start of the body, else the HTTP status text.
    pub message: String,
}

/// Most bytes of a non-Status body quoted in [`StatusError::message`].
const BODY_QUOTE_LIMIT: usize = 300;

/// Turns an error response into a [`StatusError`]. The body may be a `metav1.Status` (what the
/// API server sends), or anything else (a front proxy's HTML, `kubectl proxy`'s plain text).
///
/// ```
/// use kubeopen::discovery::status_error;
/// let err = status_error(502, "Bad Gateway\n");
/// assert_eq!((err.reason.as_str(), err.message.as_str()), ("BadGateway", "Bad Gateway"));
/// ```
pub fn status_error(http_status: u16, body: &str) -> StatusError {
    let status = crate::json_read::from_str::<Status>(body)
        .ok()
        .filter(|s| s.kind == "Status" || !s.reason.is_empty() || !s.message.is_empty());
    let (code, reason, message) = match status {
        Some(s) => (
            u16::try_from(s.code)
                .ok()
                .filter(|c| *c != 0)
                .unwrap_or(http_status),
            s.reason,
            s.message,
        ),
        None => (http_status, String::new(), quote_body(body)),
    };
    let reason = if reason.is_empty() {
        reason_for(code).to_owned()
    } else {
        reason
    };
    let message = if message.is_empty() {
        format!("the server answered HTTP {code}")
    } else {
        message
    };
    StatusError {
        code,
        reason,
        message,
    }
}

/// The first [`BODY_QUOTE_LIMIT`] bytes of a body, trimmed, cut at a character boundary.
fn quote_body(body: &str) -> String {
    let body = body.trim();
    let mut end = body.len().min(BODY_QUOTE_LIMIT);
    while !body.is_char_boundary(end) {
        end -= 1;
    }
    let cut = if end < body.len() { "…" } else { "" };
    format!("{}{cut}", &body[..end])
}

/// The `StatusReason` client-go derives from an HTTP status (`apierrors.NewGenericServerResponse`).
fn reason_for(code: u16) -> &'static str {
    match code {
        400 => "BadRequest",
        401 => "Unauthorized",
        403 => "Forbidden",
        404 => "NotFound",
        405 => "MethodNotAllowed",
        406 => "NotAcceptable",
        409 => "Conflict",
        410 => "Expired",
        413 => "RequestEntityTooLarge",
        415 => "UnsupportedMediaType",
        422 => "Invalid",
        429 => "TooManyRequests",
        500 => "InternalError",
        502 => "BadGateway",
        503 => "ServiceUnavailable",
        504 => "Timeout",
        _ => "Unknown",
    }
}

/// The label selector `kubectl cluster-info` lists services with.
///
/// ```
/// assert_eq!(kubeopen::discovery::CLUSTER_SERVICE_SELECTOR, "kubernetes.io/cluster-service=true");
/// ```
pub const CLUSTER_SERVICE_SELECTOR: &str = "kubernetes.io/cluster-service=true";

/// One line of `kubectl cluster-info`: `<name> is running at <url>`.
///
/// ```
/// let e = kubeopen::discovery::ClusterInfoEntry { name: "CoreDNS".into(), namespace: "kube-system".into(), url: "https://k/api/v1/namespaces/kube-system/services/kube-dns:dns/proxy".into() };
/// assert!(e.line().starts_with("CoreDNS is running at https://k/"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ClusterInfoEntry {
    /// Label `kubernetes.io/name`, else the service's name.
    pub name: String,
    /// The service's namespace.
    pub namespace: String,
    /// Exactly what kubectl prints after "is running at": a proxy URL without trailing `/`, or
    /// for a load balancer `http://IP:PORT ` per port (each with its trailing space).
    pub url: String,
}

impl ClusterInfoEntry {
    /// The line kubectl prints, without the newline.
    ///
    /// ```
    /// let e = kubeopen::discovery::ClusterInfoEntry { name: "x".into(), namespace: "kube-system".into(), url: "http://1.2.3.4:80 ".into() };
    /// assert_eq!(e.line(), "x is running at http://1.2.3.4:80 ");
    /// ```
    pub fn line(&self) -> String {
        format!("{} is running at {}", self.name, self.url)
    }
}

/// `kubectl cluster-info` (kubectl `pkg/cmd/clusterinfo/clusterinfo.go`; spec §6) over `services`,
/// with `server` as `cfg.Host`:
///
/// - only services labelled [`CLUSTER_SERVICE_SELECTOR`] (kubectl asks the server for them; they
///   are filtered here too so an unfiltered list gives the same answer);
/// - with a load-balancer ingress: `http://` + `ingress[0].ip` (else its hostname) + `:port ` for
///   every port;
/// - otherwise only `ports[0]`: scheme `https` if its name is `https` or its port 443, id
///   `JoinSchemeNamePort(scheme, name, port.name)` (the port *name*, even when empty),
///   `server/api/v1/namespaces/NS/services/ID/proxy` with no trailing `/`; no ports: the bare name.
///
/// The one liberty: trailing `/`s of `server` are dropped, so `https://host/` does not give `//api`.
///
/// ```
/// use kubeopen::discovery::{cluster_info, Service, ServiceList, ServicePort};
/// let mut svc = Service::default();
/// svc.metadata.name = "dashboard".into();
/// svc.metadata.namespace = Some("kube-system".into());
/// svc.metadata.labels.insert("kubernetes.io/cluster-service".into(), "true".into());
/// svc.spec.ports = vec![ServicePort { port: 443, ..ServicePort::default() }];
/// let list = ServiceList { items: vec![svc], ..ServiceList::default() };
/// assert_eq!(
///     cluster_info(&list, "https://k8s.example/")[0].url,
///     "https://k8s.example/api/v1/namespaces/kube-system/services/https:dashboard:/proxy",
/// );
/// ```
pub fn cluster_info(services: &ServiceList, server: &str) -> Vec<ClusterInfoEntry> {
    let host = server.trim_end_matches('/');
    services
        .items
        .iter()
        .filter(|s| {
            s.metadata
                .labels
                .get("kubernetes.io/cluster-service")
                .map(String::as_str)
                == Some("true")
        })
        .map(|service| {
            let meta = &service.metadata;
            let namespace = meta.namespace.clone().unwrap_or_default();
            let url = match service.status.load_balancer.ingress.first() {
                Some(ingress) => {
                    let ip = if ingress.ip.is_empty() {
                        &ingress.hostname
                    } else {
                        &ingress.ip
                    };
                    service
                        .spec
                        .ports
                        .iter()
                        .map(|p| format!("http://{ip}:{} ", p.port))
                        .collect()
                }
                None => {
                    let id = match service.spec.ports.first() {
                        Some(port) => {
                            let https = port.name == "https" || port.port == 443;
                            join_scheme_name_port(https.then_some(Scheme::Https), &meta.name, &port.name)
                        }
                        None => meta.name.clone(),
                    };
                    format!("{host}/api/v1/namespaces/{namespace}/services/{id}/proxy")
                }
            };
            let name = match meta.labels.get("kubernetes.io/name") {
                Some(label) if !label.is_empty() => label.clone(),
                _ => meta.name.clone(),
            };
            ClusterInfoEntry { name, namespace, url }
        })
        .collect()
}

/// Why a port was taken to be HTTP(S).
///
/// ```
/// assert_eq!(serde_json::to_string(&kubeopen::discovery::Evidence::WellKnownPort)?, "\"wellKnownPort\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub enum Evidence {
    /// `appProtocol` says HTTP, HTTPS, h2c or WebSocket.
    AppProtocol,
    /// The port's name says so (`http`, `https-web`, `metrics`, `ui`, …).
    PortName,
    /// A port number web apps usually use (80, 443, 3000, 8080, 9090, …).
    WellKnownPort,
    /// Nothing says otherwise: an unnamed or unrecognised TCP port. Show these last.
    Unknown,
}

/// A service port that can probably be opened in a browser.
///
/// ```
/// use kubeopen::discovery::{openable_endpoints, ServiceList};
/// let list: ServiceList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"web","namespace":"a"},"spec":{"selector":{"app":"web"},"ports":[{"name":"https","port":8443}]}}]}"#)?;
/// let e = &openable_endpoints(&list, "https://k")?[0];
/// assert_eq!((e.scheme, e.port, e.url.as_str()), ("https", 8443, "https://k/api/v1/namespaces/a/services/https:web:8443/proxy/"));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct OpenableEndpoint {
    /// The service's namespace.
    pub namespace: String,
    /// The service's name.
    pub name: String,
    /// The service port number.
    pub port: u16,
    /// The port's name, when it has one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub port_name: Option<String>,
    /// `http` or `https`: what the API server should speak to the backend.
    pub scheme: &'static str,
    /// The proxy URL, ending in `/proxy/`.
    pub url: String,
    /// Why the port is in the list.
    pub evidence: Evidence,
    /// The target [`OpenableEndpoint::url`] opens (`[https:]NAME:PORT` in the namespace), for
    /// building other proxy URLs of the same port.
    pub target: Target,
}

/// Every service port that looks like HTTP(S), with its proxy URL on `server` and a scheme guess,
/// in list order. The heuristic, in order:
///
/// 1. **Services that cannot be proxied are skipped**: `ExternalName` services (they have no
///    Endpoints), `default/kubernetes` (its Endpoints are the API servers' own addresses, written
///    without a `targetRef`, and the proxy only dials addresses that are pods — spec §2.2 step 4)
///    and names that are not valid service names. **Services without a selector are listed**:
///    the proxy reads Endpoints, not the selector, and Endpoints written by hand (or by another
///    controller) whose addresses name pods of the namespace are proxied like any others; a
///    service list cannot tell whether they do, so opening one may answer 503 "no endpoints
///    available". **Headless** services (`clusterIP: None`) are listed too: the proxy goes
///    through Endpoints, never the cluster IP.
/// 2. **Only TCP ports** (`protocol` absent or `TCP`).
/// 3. **`appProtocol` decides when set**: `http`, `http2`, `h2c`, `kubernetes.io/h2c`,
///    `kubernetes.io/ws`, `websocket`, `grpc-web` → http; `https`, `kubernetes.io/wss` → https;
///    anything else (`grpc`, `tcp`, `mysql`, …) → skipped.
/// 4. **Then the port name**, split on `-`: a part `https`/`wss` → https; `http`, `http2`,
///    `h2c`, `web`, `www`, `ui`, `dashboard`, `console`, `metrics`, `ws`, `websocket` → http; a
///    part naming a non-HTTP protocol (`dns`, `grpc`, `tcp`, `udp`, `tls`, `ssh`, `smtp`,
///    `redis`, `mysql`, `postgres`, `postgresql`, `mongo`, `mongodb`, `amqp`, `mqtt`, `kafka`,
///    `ldap`, `memcached`, `cql`, `zookeeper`, `etcd`, `nats`, `gossip`, `raft`, `peer`,
///    `cluster`) → skipped.
/// 5. **Then the port number**: 443, 6443, 8443, 9443, 10250, 10257, 10259 → https; 80, 3000,
///    4180, 5601, 8000, 8001, 8008, 8080, 8081, 8088, 8888, 9090, 9091, 9093, 9100, 9411,
///    16686 → http; well-known non-HTTP ports (22, 25, 53, 389, 636, 1883, 2181, 2379, 2380,
///    3306, 4222, 5432, 5672, 6379, 9042, 9092, 11211, 27017) → skipped.
/// 6. **Otherwise** the port is listed as http with [`Evidence::Unknown`].
///
/// Independently of how it was found, the scheme is https when a numeric `targetPort` is 443 or
/// 8443 or a named `targetPort` is `https` and nothing above said http explicitly.
/// The URL's segment is `[https:]NAME:PORT` with the service port *number* (the proxy resolves
/// it to the port's name, spec §2.2), which is also what people type.
///
/// ```
/// use kubeopen::discovery::{openable_endpoints, ServiceList};
/// let list: ServiceList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"grafana","namespace":"monitoring"},
///   "spec":{"selector":{"app":"grafana"},"ports":[{"name":"service","port":3000},{"name":"grpc","port":9095}]}}]}"#)?;
/// let open = openable_endpoints(&list, "https://10.0.0.1:6443")?;
/// assert_eq!(open.len(), 1);
/// assert_eq!(open[0].url, "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn openable_endpoints(
    services: &ServiceList,
    server: &str,
) -> Result<Vec<OpenableEndpoint>, ProxyUrlError> {
    let mut out = Vec::new();
    for service in &services.items {
        let spec = &service.spec;
        if spec.service_type.as_deref() == Some("ExternalName") {
            continue;
        }
        let Some(namespace) = service.metadata.namespace.as_deref() else {
            continue;
        };
        if (namespace, service.metadata.name.as_str()) == ("default", "kubernetes") {
            continue;
        }
        let Ok(base) = Target::service(namespace, &service.metadata.name) else {
            continue;
        };
        for port in &spec.ports {
            let Some((scheme, evidence)) = classify(port) else {
                continue;
            };
            let Some(number) = u16::try_from(port.port).ok().and_then(|n| Port::number(n).ok()) else {
                continue;
            };
            let target = base
                .clone()
                .with_scheme((scheme == Scheme::Https).then_some(Scheme::Https))
                .with_port(Some(number));
            out.push(OpenableEndpoint {
                namespace: namespace.to_owned(),
                name: service.metadata.name.clone(),
                port: u16::try_from(port.port).unwrap_or_default(),
                port_name: Some(port.name.clone()).filter(|n| !n.is_empty()),
                scheme: scheme.as_str(),
                url: proxy_url(server, &target, "", Query::None)?,
                evidence,
                target,
            });
        }
    }
    Ok(out)
}

/// What a port name part says about the protocol.
enum Hint {
    Http,
    Https,
    NotHttp,
}

fn name_hint(part: &str) -> Option<Hint> {
    match part {
        "https" | "wss" => Some(Hint::Https),
        "http" | "http2" | "h2c" | "web" | "www" | "ui" | "dashboard" | "console" | "metrics" | "ws"
        | "websocket" => Some(Hint::Http),
        "dns" | "grpc" | "tcp" | "udp" | "tls" | "ssh" | "smtp" | "redis" | "mysql" | "postgres"
        | "postgresql" | "mongo" | "mongodb" | "amqp" | "mqtt" | "kafka" | "ldap" | "memcached" | "cql"
        | "zookeeper" | "etcd" | "nats" | "gossip" | "raft" | "peer" | "cluster" => Some(Hint::NotHttp),
        _ => None,
    }
}

/// Steps 2–6 of [`openable_endpoints`]' heuristic.
fn classify(port: &ServicePort) -> Option<(Scheme, Evidence)> {
    if !port
        .protocol
        .as_deref()
        .is_none_or(|p| p.eq_ignore_ascii_case("TCP"))
    {
        return None;
    }
    if let Some(app) = port.app_protocol.as_deref() {
        return match app.to_ascii_lowercase().as_str() {
            "http" | "http2" | "h2c" | "kubernetes.io/h2c" | "kubernetes.io/ws" | "websocket"
            | "grpc-web" => Some((Scheme::Http, Evidence::AppProtocol)),
            "https" | "kubernetes.io/wss" => Some((Scheme::Https, Evidence::AppProtocol)),
            _ => None,
        };
    }
    let name = port.name.to_ascii_lowercase();
    let hints: Vec<Hint> = name.split('-').filter_map(name_hint).collect();
    if hints.iter().any(|h| matches!(h, Hint::Https)) {
        return Some((Scheme::Https, Evidence::PortName));
    }
    if hints.iter().any(|h| matches!(h, Hint::Http)) {
        return Some((Scheme::Http, Evidence::PortName));
    }
    if !hints.is_empty() {
        return None;
    }
    let target_https = match &port.target_port {
        Some(IntOrString::Int(n)) => *n == 443 || *n == 8443,
        Some(IntOrString::String(s)) => s == "https",
        None => false,
    };
    let guess = |evidence| Some((if target_https { Scheme::Https } else { Scheme::Http }, evidence));
    match port.port {
        443 | 6443 | 8443 | 9443 | 10250 | 10257 | 10259 => Some((Scheme::Https, Evidence::WellKnownPort)),
        80 | 3000 | 4180 | 5601 | 8000 | 8001 | 8008 | 8080 | 8081 | 8088 | 8888 | 9090 | 9091 | 9093
        | 9100 | 9411 | 16686 => guess(Evidence::WellKnownPort),
        22 | 25 | 53 | 389 | 636 | 1883 | 2181 | 2379 | 2380 | 3306 | 4222 | 5432 | 5672 | 6379 | 9042
        | 9092 | 11211 | 27017 => None,
        _ => guess(Evidence::Unknown),
    }
}
