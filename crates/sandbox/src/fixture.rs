//! The cluster fixture: a YAML file describing namespaces, nodes, pods, services and endpoints
//! (format in `crates/sandbox/README.md`). Parsed with `serde-saphyr`, so every error carries
//! the file, line and column; semantic checks point at the offending field too.

use std::collections::{BTreeMap, HashMap};
use std::net::IpAddr;
use std::path::{Path, PathBuf};

use serde::Deserialize;
use serde_saphyr::Spanned;

/// A fixture that failed to load: message already carries `file:line:column`.
#[derive(Debug)]
pub struct FixtureError(pub String);

impl std::fmt::Display for FixtureError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.0)
    }
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct File {
    #[serde(default)]
    namespaces: Vec<NamespaceF>,
    #[serde(default)]
    nodes: Vec<NodeF>,
    #[serde(default)]
    pods: Vec<PodF>,
    #[serde(default)]
    services: Vec<ServiceF>,
    #[serde(default)]
    endpoints: Vec<EndpointsF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NamespaceF {
    name: Spanned<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct NodeF {
    name: Spanned<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    addresses: Vec<NodeAddressF>,
    #[serde(default)]
    kubelet_port: u16,
    #[serde(default)]
    serve: Option<Spanned<String>>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct NodeAddressF {
    #[serde(rename = "type")]
    kind: String,
    address: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct PodF {
    name: Spanned<String>,
    #[serde(default = "default_ns")]
    namespace: Spanned<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default, rename = "podIPs")]
    pod_ips: Vec<Spanned<String>>,
    #[serde(default)]
    node_name: Option<String>,
    #[serde(default)]
    containers: Vec<ContainerF>,
    #[serde(default)]
    serve: Option<Spanned<String>>,
    #[serde(default)]
    dial_address: Option<Spanned<String>>,
    #[serde(default)]
    ready: Option<bool>,
    #[serde(default)]
    encoding: Option<Encoding>,
}

/// How the built-in backend encodes the files it serves (`encoding:` on a served pod).
#[derive(Deserialize, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Encoding {
    /// `Content-Encoding: identity` on every file, whatever the request asked for.
    #[serde(rename = "identity")]
    Identity,
    /// Brotli (`Content-Encoding: br`) for HTML, CSS and JavaScript when the request's
    /// `Accept-Encoding` allows `br`; no encoding (no header) otherwise.
    #[serde(rename = "br")]
    Brotli,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ContainerF {
    name: String,
    #[serde(default)]
    image: Option<String>,
    #[serde(default)]
    ports: Vec<ContainerPortF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ContainerPortF {
    container_port: u16,
    #[serde(default)]
    name: Option<String>,
    #[serde(default)]
    protocol: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ServiceF {
    name: Spanned<String>,
    #[serde(default = "default_ns")]
    namespace: Spanned<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default, rename = "type")]
    kind: Option<String>,
    #[serde(default, rename = "clusterIP")]
    cluster_ip: Option<String>,
    #[serde(default)]
    selector: Option<BTreeMap<String, String>>,
    #[serde(default)]
    ports: Vec<ServicePortF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct ServicePortF {
    #[serde(default)]
    name: Option<String>,
    port: u16,
    #[serde(default)]
    target_port: Option<IntOrString>,
    #[serde(default)]
    app_protocol: Option<String>,
    #[serde(default)]
    protocol: Option<String>,
    #[serde(default)]
    node_port: Option<u16>,
}

/// `intstr.IntOrString`.
#[derive(Deserialize, Clone, Debug, PartialEq, Eq)]
#[serde(untagged)]
pub enum IntOrString {
    /// A number.
    Int(u16),
    /// A (port) name.
    Str(String),
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct EndpointsF {
    name: Spanned<String>,
    #[serde(default = "default_ns")]
    namespace: Spanned<String>,
    #[serde(default)]
    labels: BTreeMap<String, String>,
    #[serde(default)]
    subsets: Vec<SubsetF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct SubsetF {
    #[serde(default)]
    addresses: Vec<AddressF>,
    #[serde(default)]
    not_ready_addresses: Vec<AddressF>,
    #[serde(default)]
    ports: Vec<EndpointPortF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct AddressF {
    ip: Spanned<String>,
    #[serde(default)]
    target_ref: Option<TargetRefF>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct TargetRefF {
    #[serde(default = "default_pod_kind")]
    kind: String,
    name: String,
    #[serde(default)]
    namespace: Option<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields, rename_all = "camelCase")]
struct EndpointPortF {
    #[serde(default)]
    name: Option<String>,
    port: u16,
    #[serde(default)]
    app_protocol: Option<String>,
}

fn default_ns() -> Spanned<String> {
    Spanned::new(
        "default".to_owned(),
        serde_saphyr::Location::UNKNOWN,
        serde_saphyr::Location::UNKNOWN,
    )
}

fn default_pod_kind() -> String {
    "Pod".to_owned()
}

// ---------------------------------------------------------------------------------------------
// The loaded cluster.

/// Common object metadata.
#[derive(Clone, Debug)]
pub struct Meta {
    /// `metadata.name`.
    pub name: String,
    /// `metadata.namespace` (`""` for cluster-scoped objects).
    pub namespace: String,
    /// `metadata.labels`.
    pub labels: BTreeMap<String, String>,
    /// `metadata.resourceVersion`.
    pub resource_version: u64,
}

/// A namespace.
#[derive(Clone, Debug)]
pub struct Namespace {
    /// Metadata.
    pub meta: Meta,
}

/// A node address.
#[derive(Clone, Debug)]
pub struct NodeAddress {
    /// `Hostname`, `InternalIP`, …
    pub kind: String,
    /// The address as written.
    pub address: String,
}

/// A node.
#[derive(Clone, Debug)]
pub struct Node {
    /// Metadata.
    pub meta: Meta,
    /// `status.addresses`.
    pub addresses: Vec<NodeAddress>,
    /// `status.daemonEndpoints.kubeletEndpoint.Port` (0 = unset).
    pub kubelet_port: u16,
    /// Folder the sandbox serves on the node's kubelet port.
    pub serve: Option<PathBuf>,
}

/// A container port.
#[derive(Clone, Debug)]
pub struct ContainerPort {
    /// `containerPort`.
    pub container_port: u16,
    /// `name`.
    pub name: Option<String>,
    /// `protocol`.
    pub protocol: String,
}

/// A container.
#[derive(Clone, Debug)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// `image`.
    pub image: String,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
}

/// A pod.
#[derive(Clone, Debug)]
pub struct Pod {
    /// Metadata.
    pub meta: Meta,
    /// `status.podIPs`, as written in the fixture.
    pub pod_ips: Vec<String>,
    /// `spec.nodeName`.
    pub node_name: Option<String>,
    /// `spec.containers`.
    pub containers: Vec<Container>,
    /// Folder the sandbox serves on every container port.
    pub serve: Option<PathBuf>,
    /// The Ready condition (`ready: false` in the fixture; default true).
    pub ready: bool,
    /// How the served files are encoded (`None`: as they are, no header).
    pub encoding: Option<Encoding>,
}

/// A service port.
#[derive(Clone, Debug)]
pub struct ServicePort {
    /// `name` (`""` when unnamed).
    pub name: String,
    /// `port`.
    pub port: u16,
    /// `targetPort` (defaults to `port`).
    pub target_port: IntOrString,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
    /// `protocol`.
    pub protocol: String,
    /// `nodePort`.
    pub node_port: Option<u16>,
}

/// A service.
#[derive(Clone, Debug)]
pub struct Service {
    /// Metadata.
    pub meta: Meta,
    /// `spec.type`.
    pub kind: String,
    /// `spec.clusterIP`.
    pub cluster_ip: String,
    /// `spec.selector`.
    pub selector: Option<BTreeMap<String, String>>,
    /// `spec.ports`.
    pub ports: Vec<ServicePort>,
}

/// An endpoint address.
#[derive(Clone, Debug)]
pub struct EndpointAddress {
    /// `ip`.
    pub ip: String,
    /// `targetRef` (kind, namespace, name).
    pub target_ref: Option<(String, String, String)>,
}

/// An endpoint port.
#[derive(Clone, Debug)]
pub struct EndpointPort {
    /// `name` (`""` when unnamed).
    pub name: String,
    /// `port`.
    pub port: u16,
    /// `appProtocol`.
    pub app_protocol: Option<String>,
}

/// An endpoint subset.
#[derive(Clone, Debug)]
pub struct Subset {
    /// Ready addresses.
    pub addresses: Vec<EndpointAddress>,
    /// Not-ready addresses.
    pub not_ready_addresses: Vec<EndpointAddress>,
    /// Ports.
    pub ports: Vec<EndpointPort>,
}

/// A v1 Endpoints object.
#[derive(Clone, Debug)]
pub struct Endpoints {
    /// Metadata.
    pub meta: Meta,
    /// `subsets`.
    pub subsets: Vec<Subset>,
}

/// One endpoint of an EndpointSlice.
#[derive(Clone, Debug)]
pub struct SliceEndpoint {
    /// `addresses[0]`.
    pub address: String,
    /// `conditions.ready` (and `serving`; nothing here is terminating).
    pub ready: bool,
    /// `targetRef` (kind, namespace, name); kind is `Pod` for controller-made slices.
    pub target_ref: Option<(String, String, String)>,
    /// `nodeName`.
    pub node_name: Option<String>,
}

/// A `discovery.k8s.io/v1` EndpointSlice, as the EndpointSlice (or mirroring) controller
/// writes it.
#[derive(Clone, Debug)]
pub struct EndpointSlice {
    /// Metadata (labels include `kubernetes.io/service-name`).
    pub meta: Meta,
    /// The owning service (`ownerReferences`).
    pub service: String,
    /// `IPv4` or `IPv6`.
    pub address_type: &'static str,
    /// `endpoints` (`None`: a placeholder slice, written `null`).
    pub endpoints: Option<Vec<SliceEndpoint>>,
    /// `ports` (`None`: written `null`).
    pub ports: Option<Vec<EndpointPort>>,
}

/// The whole cluster, read-only after load.
#[derive(Clone, Debug, Default)]
pub struct Cluster {
    /// Namespaces.
    pub namespaces: Vec<Namespace>,
    /// Nodes.
    pub nodes: Vec<Node>,
    /// Pods.
    pub pods: Vec<Pod>,
    /// Services.
    pub services: Vec<Service>,
    /// Endpoints.
    pub endpoints: Vec<Endpoints>,
    /// EndpointSlices (derived from services and pods, or mirrored from hand-written Endpoints).
    pub endpoint_slices: Vec<EndpointSlice>,
    /// Fixture IPs that must be dialled somewhere else (`dialAddress`).
    pub dial_overrides: HashMap<IpAddr, IpAddr>,
    /// Highest resourceVersion handed out.
    pub resource_version: u64,
}

const BUILTIN_NAMESPACES: [&str; 4] = ["default", "kube-system", "kube-public", "kube-node-lease"];

fn at(file: &Path, loc: &serde_saphyr::Location) -> String {
    if loc.line() == 0 {
        file.display().to_string()
    } else {
        format!("{}:{}:{}", file.display(), loc.line(), loc.column())
    }
}

/// Loads and checks a fixture file.
pub fn load(file: &Path) -> Result<Cluster, FixtureError> {
    let text = std::fs::read_to_string(file)
        .map_err(|e| FixtureError(format!("{}: cannot read fixture: {e}", file.display())))?;
    let parsed: File = serde_saphyr::from_str(&text).map_err(|e| describe(file, &text, &e))?;
    build(file, parsed)
}

/// Turns a parse error into `file:line:col: field `x`: message`.
fn describe(file: &Path, text: &str, e: &serde_saphyr::Error) -> FixtureError {
    let full = e.to_string();
    // The first line of serde-saphyr's report is "error: line L column C: MESSAGE".
    let first = full.lines().next().unwrap_or("");
    let message = first
        .split_once(": ")
        .map(|(_, rest)| rest)
        .and_then(|rest| rest.split_once(": ").map(|(_, m)| m))
        .unwrap_or(first);
    match e.location() {
        Some(loc) => {
            let line_text = text
                .lines()
                .nth(usize::try_from(loc.line()).unwrap_or(1).saturating_sub(1))
                .unwrap_or("");
            let key = line_text
                .trim_start()
                .trim_start_matches("- ")
                .split_once(':')
                .map(|(k, _)| k.trim().to_owned())
                .filter(|k| !k.is_empty() && !k.contains(' '));
            let field = match key {
                Some(k) if !message.contains("field") => format!("field `{k}`: "),
                _ => String::new(),
            };
            FixtureError(format!(
                "{}:{}:{}: {field}{message}\n{}",
                file.display(),
                loc.line(),
                loc.column(),
                full.lines()
                    .skip(1)
                    .collect::<Vec<_>>()
                    .join("\n")
                    .replace("<input>", &file.display().to_string())
            ))
        }
        None => FixtureError(format!("{}: {full}", file.display())),
    }
}

fn parse_ip(file: &Path, s: &Spanned<String>, field: &str) -> Result<IpAddr, FixtureError> {
    s.value.parse::<IpAddr>().map_err(|_| {
        FixtureError(format!(
            "{}: field `{field}`: {:?} is not an IP address",
            at(file, &s.referenced),
            s.value
        ))
    })
}

fn check_ns(file: &Path, namespaces: &[Namespace], ns: &Spanned<String>) -> Result<String, FixtureError> {
    if namespaces.iter().any(|n| n.meta.name == ns.value) {
        Ok(ns.value.clone())
    } else {
        Err(FixtureError(format!(
            "{}: field `namespace`: namespace {:?} is not declared under `namespaces:` (built in: {})",
            at(file, &ns.referenced),
            ns.value,
            BUILTIN_NAMESPACES.join(", ")
        )))
    }
}

fn serve_dir(file: &Path, s: &Spanned<String>) -> Result<PathBuf, FixtureError> {
    let base = file.parent().unwrap_or_else(|| Path::new("."));
    let dir = base.join(&s.value);
    if dir.is_dir() {
        Ok(dir)
    } else {
        Err(FixtureError(format!(
            "{}: field `serve`: {} is not a folder (paths are relative to the fixture file)",
            at(file, &s.referenced),
            dir.display()
        )))
    }
}

fn build(file: &Path, f: File) -> Result<Cluster, FixtureError> {
    let mut c = Cluster::default();
    let mut rv = 0u64;
    let mut meta = |name: &str, namespace: &str, labels: BTreeMap<String, String>| {
        rv += 1;
        Meta {
            name: name.to_owned(),
            namespace: namespace.to_owned(),
            labels,
            resource_version: rv,
        }
    };
    let dup = |what: &str, name: &Spanned<String>| {
        FixtureError(format!(
            "{}: field `name`: duplicate {what} {:?}",
            at(file, &name.referenced),
            name.value
        ))
    };
    for b in BUILTIN_NAMESPACES {
        let mut labels = BTreeMap::new();
        labels.insert("kubernetes.io/metadata.name".to_owned(), b.to_owned());
        c.namespaces.push(Namespace {
            meta: meta(b, "", labels),
        });
    }
    for n in f.namespaces {
        let mut labels = n.labels;
        labels.insert("kubernetes.io/metadata.name".to_owned(), n.name.value.clone());
        match c.namespaces.iter_mut().find(|x| x.meta.name == n.name.value) {
            Some(existing) if BUILTIN_NAMESPACES.contains(&n.name.value.as_str()) => {
                existing.meta.labels = labels;
            }
            Some(_) => return Err(dup("namespace", &n.name)),
            None => c.namespaces.push(Namespace {
                meta: meta(&n.name.value, "", labels),
            }),
        }
    }
    for n in f.nodes {
        if c.nodes.iter().any(|x| x.meta.name == n.name.value) {
            return Err(dup("node", &n.name));
        }
        let mut addresses = Vec::new();
        for a in &n.addresses {
            if a.kind.ends_with("IP") {
                parse_ip(file, &a.address, "address")?;
            }
            addresses.push(NodeAddress {
                kind: a.kind.clone(),
                address: a.address.value.clone(),
            });
        }
        let serve = n.serve.as_ref().map(|s| serve_dir(file, s)).transpose()?;
        if let Some(s) = &n.serve
            && !n
                .addresses
                .iter()
                .any(|a| a.address.value.parse::<IpAddr>().is_ok())
        {
            return Err(FixtureError(format!(
                "{}: field `serve`: a served node needs an InternalIP or ExternalIP address",
                at(file, &s.referenced)
            )));
        }
        c.nodes.push(Node {
            meta: meta(&n.name.value, "", n.labels),
            addresses,
            kubelet_port: n.kubelet_port,
            serve,
        });
    }
    for p in f.pods {
        let ns = check_ns(file, &c.namespaces, &p.namespace)?;
        if c.pods
            .iter()
            .any(|x| x.meta.name == p.name.value && x.meta.namespace == ns)
        {
            return Err(dup("pod", &p.name));
        }
        let mut ips = Vec::new();
        for ip in &p.pod_ips {
            parse_ip(file, ip, "podIPs")?;
            ips.push(ip.value.clone());
        }
        if let Some(d) = &p.dial_address {
            let to = parse_ip(file, d, "dialAddress")?;
            let Some(first) = p.pod_ips.first() else {
                return Err(FixtureError(format!(
                    "{}: field `dialAddress`: the pod has no podIPs to redirect",
                    at(file, &d.referenced)
                )));
            };
            c.dial_overrides.insert(parse_ip(file, first, "podIPs")?, to);
        }
        let serve = p.serve.as_ref().map(|s| serve_dir(file, s)).transpose()?;
        if p.encoding.is_some() && p.serve.is_none() {
            return Err(FixtureError(format!(
                "{}: field `encoding`: only a pod with `serve:` has a built-in backend to encode",
                at(file, &p.name.referenced)
            )));
        }
        if let Some(s) = &p.serve
            && (p.pod_ips.is_empty() || p.containers.iter().all(|c| c.ports.is_empty()))
        {
            return Err(FixtureError(format!(
                "{}: field `serve`: a served pod needs podIPs and at least one containerPort",
                at(file, &s.referenced)
            )));
        }
        let containers = p
            .containers
            .into_iter()
            .map(|k| Container {
                name: k.name,
                image: k.image.unwrap_or_else(|| "kubeopen/fixture-app".to_owned()),
                ports: k
                    .ports
                    .into_iter()
                    .map(|cp| ContainerPort {
                        container_port: cp.container_port,
                        name: cp.name,
                        protocol: cp.protocol.unwrap_or_else(|| "TCP".to_owned()),
                    })
                    .collect(),
            })
            .collect();
        c.pods.push(Pod {
            meta: meta(&p.name.value, &ns, p.labels),
            pod_ips: ips,
            node_name: p.node_name,
            containers,
            serve,
            ready: p.ready.unwrap_or(true),
            encoding: p.encoding,
        });
    }
    for (next_cluster_ip, s) in (11u16..).zip(f.services) {
        let ns = check_ns(file, &c.namespaces, &s.namespace)?;
        if c.services
            .iter()
            .any(|x| x.meta.name == s.name.value && x.meta.namespace == ns)
        {
            return Err(dup("service", &s.name));
        }
        if s.ports.len() > 1 && s.ports.iter().any(|p| p.name.as_deref().unwrap_or("").is_empty()) {
            return Err(FixtureError(format!(
                "{}: field `ports`: service {:?} has more than one port, so every port needs a name (as Kubernetes validation requires)",
                at(file, &s.name.referenced),
                s.name.value
            )));
        }
        let cluster_ip = s
            .cluster_ip
            .unwrap_or_else(|| format!("10.96.{}.{}", next_cluster_ip / 256, next_cluster_ip % 256));
        let ports = s
            .ports
            .into_iter()
            .map(|p| ServicePort {
                name: p.name.unwrap_or_default(),
                port: p.port,
                target_port: p.target_port.unwrap_or(IntOrString::Int(p.port)),
                app_protocol: p.app_protocol,
                protocol: p.protocol.unwrap_or_else(|| "TCP".to_owned()),
                node_port: p.node_port,
            })
            .collect();
        c.services.push(Service {
            meta: meta(&s.name.value, &ns, s.labels),
            kind: s.kind.unwrap_or_else(|| "ClusterIP".to_owned()),
            cluster_ip,
            selector: s.selector,
            ports,
        });
    }
    for e in f.endpoints {
        let ns = check_ns(file, &c.namespaces, &e.namespace)?;
        if c.endpoints
            .iter()
            .any(|x| x.meta.name == e.name.value && x.meta.namespace == ns)
        {
            return Err(dup("endpoints", &e.name));
        }
        let mut subsets = Vec::new();
        for s in e.subsets {
            let conv = |list: Vec<AddressF>| -> Result<Vec<EndpointAddress>, FixtureError> {
                list.into_iter()
                    .map(|a| {
                        parse_ip(file, &a.ip, "ip")?;
                        Ok(EndpointAddress {
                            ip: a.ip.value,
                            target_ref: a
                                .target_ref
                                .map(|t| (t.kind, t.namespace.unwrap_or_else(|| ns.clone()), t.name)),
                        })
                    })
                    .collect()
            };
            subsets.push(Subset {
                addresses: conv(s.addresses)?,
                not_ready_addresses: conv(s.not_ready_addresses)?,
                ports: s
                    .ports
                    .into_iter()
                    .map(|p| EndpointPort {
                        name: p.name.unwrap_or_default(),
                        port: p.port,
                        app_protocol: p.app_protocol,
                    })
                    .collect(),
            });
        }
        c.endpoints.push(Endpoints {
            meta: meta(&e.name.value, &ns, e.labels),
            subsets,
        });
    }
    // The endpoints controller: a service with a selector and no hand-written Endpoints gets one
    // from the matching pods.
    let mut derived = Vec::new();
    for s in &c.services {
        let Some(sel) = &s.selector else { continue };
        if c.endpoints
            .iter()
            .any(|e| e.meta.name == s.meta.name && e.meta.namespace == s.meta.namespace)
        {
            continue;
        }
        let pods: Vec<&Pod> = c
            .pods
            .iter()
            .filter(|p| {
                p.meta.namespace == s.meta.namespace
                    && !p.pod_ips.is_empty()
                    && sel.iter().all(|(k, v)| p.meta.labels.get(k) == Some(v))
            })
            .collect();
        let mut subsets = Vec::new();
        if let Some(first) = pods.first() {
            let ports = s
                .ports
                .iter()
                .filter_map(|sp| {
                    let port = match &sp.target_port {
                        IntOrString::Int(n) => Some(*n),
                        IntOrString::Str(name) => first
                            .containers
                            .iter()
                            .flat_map(|k| &k.ports)
                            .find(|cp| cp.name.as_deref() == Some(name))
                            .map(|cp| cp.container_port),
                    }?;
                    Some(EndpointPort {
                        name: sp.name.clone(),
                        port,
                        app_protocol: sp.app_protocol.clone(),
                    })
                })
                .collect();
            let address = |p: &&Pod| EndpointAddress {
                ip: p.pod_ips[0].clone(),
                target_ref: Some(("Pod".to_owned(), p.meta.namespace.clone(), p.meta.name.clone())),
            };
            subsets.push(Subset {
                addresses: pods.iter().filter(|p| p.ready).map(address).collect(),
                not_ready_addresses: pods.iter().filter(|p| !p.ready).map(address).collect(),
                ports,
            });
        }
        derived.push((s.meta.name.clone(), s.meta.namespace.clone(), subsets));
    }
    for (name, ns, subsets) in derived {
        rv += 1;
        c.endpoints.push(Endpoints {
            meta: Meta {
                name,
                namespace: ns,
                labels: BTreeMap::new(),
                resource_version: rv,
            },
            subsets,
        });
    }
    c.endpoint_slices = endpoint_slices(&c, &mut rv);
    c.resource_version = rv;
    Ok(c)
}

/// The container port a service port targets on one pod (`podutil.FindPort`).
fn find_port(pod: &Pod, sp: &ServicePort) -> Option<u16> {
    match &sp.target_port {
        IntOrString::Int(n) => Some(*n),
        IntOrString::Str(name) => pod
            .containers
            .iter()
            .flat_map(|k| &k.ports)
            .find(|cp| cp.name.as_deref() == Some(name.as_str()) && cp.protocol == sp.protocol)
            .map(|cp| cp.container_port),
    }
}

/// Five lowercase letters/digits from a name, standing in for `generateName`'s random suffix
/// (stable across runs, so tests and logs are repeatable).
fn suffix(seed: &str) -> String {
    const ALPHABET: &[u8] = b"bcdfghjklmnpqrstvwxz2456789";
    let mut h: u64 = 0xcbf2_9ce4_8422_2325;
    for b in seed.bytes() {
        h ^= u64::from(b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    (0..5)
        .map(|i| {
            let k = usize::try_from((h >> (i * 8)) % 27).unwrap_or(0);
            char::from(ALPHABET[k])
        })
        .collect()
}

/// The EndpointSlice controller (services with a selector: every matching pod with an IP,
/// ready or not, grouped by address family and by the ports it resolves to) and the mirroring
/// controller (services without a selector: their hand-written Endpoints, one slice per subset).
fn endpoint_slices(c: &Cluster, rv: &mut u64) -> Vec<EndpointSlice> {
    let mut out = Vec::new();
    let mut push = |svc: &Service,
                    managed_by: &str,
                    n: usize,
                    slice: (
        &'static str,
        Option<Vec<SliceEndpoint>>,
        Option<Vec<EndpointPort>>,
    )| {
        *rv += 1;
        let mut labels = svc.meta.labels.clone();
        labels.insert(
            "endpointslice.kubernetes.io/managed-by".to_owned(),
            managed_by.to_owned(),
        );
        labels.insert("kubernetes.io/service-name".to_owned(), svc.meta.name.clone());
        let name = format!(
            "{}-{}",
            svc.meta.name,
            suffix(&format!("{}/{}/{n}", svc.meta.namespace, svc.meta.name))
        );
        out.push(EndpointSlice {
            meta: Meta {
                name,
                namespace: svc.meta.namespace.clone(),
                labels,
                resource_version: *rv,
            },
            service: svc.meta.name.clone(),
            address_type: slice.0,
            endpoints: slice.1,
            ports: slice.2,
        });
    };
    for svc in &c.services {
        let Some(sel) = &svc.selector else {
            // Mirroring: only hand-written Endpoints of a selector-less service.
            let Some(eps) = c
                .endpoints
                .iter()
                .find(|e| e.meta.name == svc.meta.name && e.meta.namespace == svc.meta.namespace)
            else {
                continue;
            };
            for (n, ss) in eps.subsets.iter().enumerate() {
                let ep = |a: &EndpointAddress, ready: bool| SliceEndpoint {
                    address: a.ip.clone(),
                    ready,
                    target_ref: a.target_ref.clone(),
                    node_name: None,
                };
                let endpoints: Vec<SliceEndpoint> = ss
                    .addresses
                    .iter()
                    .map(|a| ep(a, true))
                    .chain(ss.not_ready_addresses.iter().map(|a| ep(a, false)))
                    .collect();
                let family = if endpoints.first().is_some_and(|e| e.address.contains(':')) {
                    "IPv6"
                } else {
                    "IPv4"
                };
                push(
                    svc,
                    "endpointslicemirroring-controller.k8s.io",
                    n,
                    (family, Some(endpoints), Some(ss.ports.clone())),
                );
            }
            continue;
        };
        let pods = c.pods.iter().filter(|p| {
            p.meta.namespace == svc.meta.namespace
                && !p.pod_ips.is_empty()
                && sel.iter().all(|(k, v)| p.meta.labels.get(k) == Some(v))
        });
        // (family, ports) → endpoints, in pod order.
        let mut groups: Vec<(&'static str, Vec<EndpointPort>, Vec<SliceEndpoint>)> = Vec::new();
        for p in pods {
            let ports: Vec<EndpointPort> = svc
                .ports
                .iter()
                .filter_map(|sp| {
                    Some(EndpointPort {
                        name: sp.name.clone(),
                        port: find_port(p, sp)?,
                        app_protocol: sp.app_protocol.clone(),
                    })
                })
                .collect();
            for family in ["IPv4", "IPv6"] {
                let Some(ip) = p.pod_ips.iter().find(|ip| ip.contains(':') == (family == "IPv6")) else {
                    continue;
                };
                let ep = SliceEndpoint {
                    address: ip.clone(),
                    ready: p.ready,
                    target_ref: Some(("Pod".to_owned(), p.meta.namespace.clone(), p.meta.name.clone())),
                    node_name: p.node_name.clone(),
                };
                let same = |g: &&mut (&str, Vec<EndpointPort>, Vec<SliceEndpoint>)| {
                    g.0 == family
                        && g.1.len() == ports.len()
                        && g.1
                            .iter()
                            .zip(&ports)
                            .all(|(a, b)| a.name == b.name && a.port == b.port)
                };
                match groups.iter_mut().find(|g| same(g)) {
                    Some(g) => g.2.push(ep),
                    None => groups.push((family, ports.clone(), vec![ep])),
                }
            }
        }
        if groups.is_empty() {
            // No pod: the controller's placeholder slice.
            push(svc, "endpointslice-controller.k8s.io", 0, ("IPv4", None, None));
        }
        for (n, (family, ports, endpoints)) in groups.into_iter().enumerate() {
            push(
                svc,
                "endpointslice-controller.k8s.io",
                n,
                (family, Some(endpoints), Some(ports)),
            );
        }
    }
    out
}

impl Cluster {
    /// The cluster with no fixture: the built-in namespaces only.
    pub fn empty() -> Cluster {
        build(Path::new("<built-in>"), File::default()).unwrap_or_default()
    }

    /// Every distinct IP written in the fixture, in order of appearance.
    pub fn fixture_ips(&self) -> Vec<IpAddr> {
        let mut out: Vec<IpAddr> = Vec::new();
        let mut add = |s: &str| {
            if let Ok(ip) = s.parse::<IpAddr>()
                && !out.contains(&ip)
            {
                out.push(ip);
            }
        };
        for p in &self.pods {
            p.pod_ips.iter().for_each(|ip| add(ip));
        }
        for n in &self.nodes {
            n.addresses.iter().for_each(|a| add(&a.address));
        }
        for e in &self.endpoints {
            for s in &e.subsets {
                s.addresses
                    .iter()
                    .chain(&s.not_ready_addresses)
                    .for_each(|a| add(&a.ip));
            }
        }
        out
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn load_str(yaml: &str) -> Result<Cluster, FixtureError> {
        // One file per call: tests run in parallel, and two fixtures may have the same length.
        static NEXT: std::sync::atomic::AtomicUsize = std::sync::atomic::AtomicUsize::new(0);
        let n = NEXT.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
        let dir = std::env::temp_dir().join(format!("kubeopen-fixture-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let f = dir.join(format!("f{n}.yaml"));
        std::fs::write(&f, yaml).unwrap();
        load(&f)
    }

    #[test]
    fn errors_name_file_line_and_field() {
        let e = load_str("services:\n  - name: a\n    ports:\n      - port: abc\n")
            .err()
            .unwrap()
            .0;
        assert!(e.contains(".yaml:4:"), "{e}");
        assert!(e.contains("field `port`"), "{e}");
        let e = load_str("pods:\n  - name: a\n    podIPs: [10.0.0.300]\n")
            .err()
            .unwrap()
            .0;
        assert!(e.contains(":3:") && e.contains("podIPs"), "{e}");
        let e = load_str("services:\n  - name: a\n    namespace: nope\n")
            .err()
            .unwrap()
            .0;
        assert!(e.contains(":3:") && e.contains("nope"), "{e}");
        let e = load_str("servces: []\n").err().unwrap().0;
        assert!(e.contains(":1:") && e.contains("servces"), "{e}");
    }

    #[test]
    fn selector_derives_endpoints() {
        let c = load_str(
            "pods:\n  - name: p\n    labels: {app: x}\n    podIPs: [10.1.0.1]\n    containers: [{name: c, ports: [{containerPort: 8080, name: web}]}]\nservices:\n  - name: s\n    selector: {app: x}\n    ports: [{name: http, port: 80, targetPort: web}]\n",
        )
        .unwrap();
        let e = c.endpoints.iter().find(|e| e.meta.name == "s").unwrap();
        assert_eq!(e.subsets[0].ports[0].port, 8080);
        assert_eq!(e.subsets[0].addresses[0].ip, "10.1.0.1");
    }
}
