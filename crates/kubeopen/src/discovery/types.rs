//! The few Kubernetes API types kubeopen reads, with only the fields it uses. Field names are the
//! API's JSON names; unknown fields are ignored and absent (or `null`) ones take their zero
//! value, so any API version's objects decode. They are read by hand (`json_read.rs`, for wasm size),
//! and `Deserialize` goes through the same readers.

use serde::{Deserialize, Serialize};

use crate::json_read::{
    FromJson, Object, deserialize_via_read, integer, list, nested, optional_integer, optional_nested,
    optional_string, string, string_list, string_map,
};
use std::collections::BTreeMap;

/// `GET /version` (`version.Info`).
///
/// ```
/// let v: kubeopen::discovery::VersionInfo =
///     serde_json::from_str(r#"{"major":"1","minor":"34","gitVersion":"v1.34.1"}"#)?;
/// assert_eq!(v.git_version, "v1.34.1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct VersionInfo {
    /// `major`.
    pub major: String,
    /// `minor` (may carry a `+`).
    pub minor: String,
    /// `emulationMajor` (1.31+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emulation_major: Option<String>,
    /// `emulationMinor` (1.31+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub emulation_minor: Option<String>,
    /// `minCompatibilityMajor` (1.31+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_compatibility_major: Option<String>,
    /// `minCompatibilityMinor` (1.31+).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub min_compatibility_minor: Option<String>,
    /// `gitVersion`, e.g. `v1.34.1`.
    pub git_version: String,
    /// `gitCommit`.
    pub git_commit: String,
    /// `gitTreeState`.
    pub git_tree_state: String,
    /// `buildDate`.
    pub build_date: String,
    /// `goVersion`.
    pub go_version: String,
    /// `compiler`.
    pub compiler: String,
    /// `platform`, e.g. `linux/amd64`.
    pub platform: String,
}

/// `GET /api` (`metav1.APIVersions`).
///
/// ```
/// let v: kubeopen::discovery::ApiVersions = serde_json::from_str(
///     r#"{"kind":"APIVersions","versions":["v1"],"serverAddressByClientCIDRs":[{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}]}"#,
/// )?;
/// assert_eq!(v.server_address_by_client_cidrs[0].server_address, "10.0.0.1:6443");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ApiVersions {
    /// `versions`, e.g. `["v1"]`.
    pub versions: Vec<String>,
    /// `serverAddressByClientCIDRs`.
    #[serde(rename = "serverAddressByClientCIDRs")]
    pub server_address_by_client_cidrs: Vec<ServerAddressByClientCidr>,
}

/// One `serverAddressByClientCIDRs` entry.
///
/// ```
/// let v: kubeopen::discovery::ServerAddressByClientCidr = serde_json::from_str(r#"{"clientCIDR":"0.0.0.0/0","serverAddress":"10.0.0.1:6443"}"#)?;
/// assert!(v.client_cidr == "0.0.0.0/0");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServerAddressByClientCidr {
    /// `clientCIDR`.
    #[serde(rename = "clientCIDR")]
    pub client_cidr: String,
    /// `serverAddress`, `host:port`.
    pub server_address: String,
}

/// `metadata` of an object.
///
/// ```
/// let v: kubeopen::discovery::ObjectMeta = serde_json::from_str(r#"{"name":"web","namespace":"a","labels":{"app":"web"}}"#)?;
/// assert!(v.labels["app"] == "web");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ObjectMeta {
    /// `name`.
    pub name: String,
    /// `namespace` (absent for cluster-scoped objects).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `uid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
    /// `labels`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub labels: BTreeMap<String, String>,
    /// `annotations`.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub annotations: BTreeMap<String, String>,
    /// `creationTimestamp` (RFC 3339).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub creation_timestamp: Option<String>,
}

/// `metadata` of a list.
///
/// ```
/// let v: kubeopen::discovery::ListMeta = serde_json::from_str(r#"{"resourceVersion":"7","continue":"tok"}"#)?;
/// assert!(v.continue_token.as_deref() == Some("tok"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ListMeta {
    /// `resourceVersion`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub resource_version: Option<String>,
    /// `continue`: the token for the next page.
    #[serde(rename = "continue", skip_serializing_if = "Option::is_none")]
    pub continue_token: Option<String>,
}

/// A port given as a number or a name (`intstr.IntOrString`).
///
/// ```
/// use kubeopen::discovery::IntOrString;
/// let p: IntOrString = serde_json::from_str("8080")?;
/// assert_eq!(p, IntOrString::Int(8080));
/// assert_eq!(serde_json::to_string(&IntOrString::String("http".into()))?, "\"http\"");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(untagged)]
pub enum IntOrString {
    /// A number.
    Int(i64),
    /// A name.
    String(String),
}

// By hand: `#[serde(untagged)]` deserialisation buffers the value first, which costs several KB
// of wasm for what a two-method visitor does.
impl<'de> Deserialize<'de> for IntOrString {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct Visitor;
        impl serde::de::Visitor<'_> for Visitor {
            type Value = IntOrString;
            fn expecting(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str("a port number or name")
            }
            fn visit_i64<E: serde::de::Error>(self, v: i64) -> Result<IntOrString, E> {
                Ok(IntOrString::Int(v))
            }
            fn visit_u64<E: serde::de::Error>(self, v: u64) -> Result<IntOrString, E> {
                i64::try_from(v).map(IntOrString::Int).map_err(E::custom)
            }
            fn visit_str<E: serde::de::Error>(self, v: &str) -> Result<IntOrString, E> {
                Ok(IntOrString::String(v.to_owned()))
            }
        }
        d.deserialize_any(Visitor)
    }
}

/// `GET /api/v1/[namespaces/NS/]services`.
///
/// ```
/// let v: kubeopen::discovery::ServiceList = serde_json::from_str(r#"{"kind":"ServiceList","items":[{"metadata":{"name":"web"}}]}"#)?;
/// assert!(v.items[0].metadata.name == "web");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct ServiceList {
    /// `metadata`.
    pub metadata: ListMeta,
    /// `items`.
    pub items: Vec<Service>,
}

/// A Service.
///
/// ```
/// let v: kubeopen::discovery::Service = serde_json::from_str(r#"{"metadata":{"name":"web"},"spec":{"ports":[{"port":80}]}}"#)?;
/// assert!(v.spec.ports[0].port == 80);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Service {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: ServiceSpec,
    /// `status`.
    pub status: ServiceStatus,
}

/// `spec` of a Service.
///
/// ```
/// let v: kubeopen::discovery::ServiceSpec = serde_json::from_str(r#"{"type":"ClusterIP","clusterIP":"None","ports":[]}"#)?;
/// assert!(v.cluster_ip.as_deref() == Some("None"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceSpec {
    /// `type`: `ClusterIP` (when absent), `NodePort`, `LoadBalancer` or `ExternalName`.
    #[serde(rename = "type", skip_serializing_if = "Option::is_none")]
    pub service_type: Option<String>,
    /// `clusterIP`; `"None"` for a headless service.
    #[serde(rename = "clusterIP", skip_serializing_if = "Option::is_none")]
    pub cluster_ip: Option<String>,
    /// `externalName` (ExternalName services).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub external_name: Option<String>,
    /// `selector`; empty for services whose endpoints are managed by hand.
    #[serde(skip_serializing_if = "BTreeMap::is_empty")]
    pub selector: BTreeMap<String, String>,
    /// `ports`.
    pub ports: Vec<ServicePort>,
}

/// One `spec.ports[]` entry.
///
/// ```
/// let v: kubeopen::discovery::ServicePort = serde_json::from_str(r#"{"name":"http","port":80,"targetPort":8080,"appProtocol":"http"}"#)?;
/// assert!(v.target_port == Some(kubeopen::discovery::IntOrString::Int(8080)));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServicePort {
    /// `name` (required when there is more than one port; `""` otherwise allowed).
    pub name: String,
    /// `protocol`: `TCP` (when absent), `UDP` or `SCTP`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
    /// `appProtocol`, e.g. `http`, `https`, `kubernetes.io/h2c`, `grpc`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub app_protocol: Option<String>,
    /// `port`: the service port (what the proxy selects by number).
    pub port: i64,
    /// `targetPort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub target_port: Option<IntOrString>,
    /// `nodePort`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_port: Option<i64>,
}

/// `status` of a Service.
///
/// ```
/// let v: kubeopen::discovery::ServiceStatus = serde_json::from_str(r#"{"loadBalancer":{"ingress":[{"ip":"203.0.113.7"}]}}"#)?;
/// assert!(v.load_balancer.ingress[0].ip == "203.0.113.7");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ServiceStatus {
    /// `loadBalancer`.
    pub load_balancer: LoadBalancerStatus,
}

/// `status.loadBalancer`.
///
/// ```
/// let v: kubeopen::discovery::LoadBalancerStatus = serde_json::from_str(r#"{"ingress":[{"hostname":"lb.example"}]}"#)?;
/// assert!(v.ingress[0].hostname == "lb.example");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadBalancerStatus {
    /// `ingress`.
    pub ingress: Vec<LoadBalancerIngress>,
}

/// One `status.loadBalancer.ingress[]` entry.
///
/// ```
/// let v: kubeopen::discovery::LoadBalancerIngress = serde_json::from_str(r#"{"ip":"203.0.113.7"}"#)?;
/// assert!(v.hostname.is_empty());
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct LoadBalancerIngress {
    /// `ip`.
    pub ip: String,
    /// `hostname`.
    pub hostname: String,
}

/// `GET /api/v1/namespaces`.
///
/// ```
/// let v: kubeopen::discovery::NamespaceList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"default"},"status":{"phase":"Active"}}]}"#)?;
/// assert!(v.items[0].status.phase.as_deref() == Some("Active"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NamespaceList {
    /// `metadata`.
    pub metadata: ListMeta,
    /// `items`.
    pub items: Vec<Namespace>,
}

/// A Namespace.
///
/// ```
/// let v: kubeopen::discovery::Namespace = serde_json::from_str(r#"{"metadata":{"name":"kube-system"}}"#)?;
/// assert!(v.metadata.name == "kube-system");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Namespace {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `status`.
    pub status: PhaseStatus,
}

/// A `status` that only has a `phase` (namespaces: `Active`, `Terminating`).
///
/// ```
/// let v: kubeopen::discovery::PhaseStatus = serde_json::from_str(r#"{"phase":"Terminating"}"#)?;
/// assert!(v.phase.as_deref() == Some("Terminating"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PhaseStatus {
    /// `phase`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
}

/// `GET /api/v1/namespaces/NS/pods`.
///
/// ```
/// let v: kubeopen::discovery::PodList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"web-0"}}]}"#)?;
/// assert!(v.items.len() == 1);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct PodList {
    /// `metadata`.
    pub metadata: ListMeta,
    /// `items`.
    pub items: Vec<Pod>,
}

/// A Pod.
///
/// ```
/// let v: kubeopen::discovery::Pod = serde_json::from_str(r#"{"metadata":{"name":"web-0"},"status":{"podIP":"10.244.0.5"}}"#)?;
/// assert!(v.status.pod_ip.as_deref() == Some("10.244.0.5"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Pod {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `spec`.
    pub spec: PodSpec,
    /// `status`.
    pub status: PodStatus,
}

/// `spec` of a Pod.
///
/// ```
/// let v: kubeopen::discovery::PodSpec = serde_json::from_str(r#"{"nodeName":"n1","containers":[{"name":"web"}]}"#)?;
/// assert!(v.containers[0].name == "web");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodSpec {
    /// `nodeName`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node_name: Option<String>,
    /// `containers`.
    pub containers: Vec<Container>,
}

/// One `spec.containers[]` entry.
///
/// ```
/// let v: kubeopen::discovery::Container = serde_json::from_str(r#"{"name":"web","ports":[{"containerPort":8080}]}"#)?;
/// assert!(v.ports[0].container_port == 8080);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Container {
    /// `name`.
    pub name: String,
    /// `ports`.
    pub ports: Vec<ContainerPort>,
}

/// One `containers[].ports[]` entry.
///
/// ```
/// let v: kubeopen::discovery::ContainerPort = serde_json::from_str(r#"{"name":"http","containerPort":8080,"protocol":"TCP"}"#)?;
/// assert!(v.name.as_deref() == Some("http"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ContainerPort {
    /// `name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub name: Option<String>,
    /// `containerPort`.
    pub container_port: i64,
    /// `protocol`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub protocol: Option<String>,
}

/// `status` of a Pod.
///
/// ```
/// let v: kubeopen::discovery::PodStatus = serde_json::from_str(r#"{"phase":"Running"}"#)?;
/// assert!(v.phase.as_deref() == Some("Running"));
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct PodStatus {
    /// `phase`: `Pending`, `Running`, `Succeeded`, `Failed`, `Unknown`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub phase: Option<String>,
    /// `podIP`.
    #[serde(rename = "podIP", skip_serializing_if = "Option::is_none")]
    pub pod_ip: Option<String>,
}

/// `GET /api/v1/nodes`.
///
/// ```
/// let v: kubeopen::discovery::NodeList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"n1"}}]}"#)?;
/// assert!(v.items[0].metadata.name == "n1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NodeList {
    /// `metadata`.
    pub metadata: ListMeta,
    /// `items`.
    pub items: Vec<Node>,
}

/// A Node.
///
/// ```
/// let v: kubeopen::discovery::Node = serde_json::from_str(r#"{"metadata":{"name":"n1"},"status":{"nodeInfo":{"kubeletVersion":"v1.34.1"}}}"#)?;
/// assert!(v.status.node_info.kubelet_version == "v1.34.1");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct Node {
    /// `metadata`.
    pub metadata: ObjectMeta,
    /// `status`.
    pub status: NodeStatus,
}

/// `status` of a Node.
///
/// ```
/// let v: kubeopen::discovery::NodeStatus = serde_json::from_str(r#"{"addresses":[{"type":"InternalIP","address":"172.18.0.2"}]}"#)?;
/// assert!(v.addresses[0].address == "172.18.0.2");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeStatus {
    /// `addresses`.
    pub addresses: Vec<NodeAddress>,
    /// `daemonEndpoints`.
    pub daemon_endpoints: DaemonEndpoints,
    /// `nodeInfo`.
    pub node_info: NodeInfo,
}

/// One `status.addresses[]` entry.
///
/// ```
/// let v: kubeopen::discovery::NodeAddress = serde_json::from_str(r#"{"type":"Hostname","address":"n1"}"#)?;
/// assert!(v.address_type == "Hostname");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct NodeAddress {
    /// `type`: `InternalIP`, `ExternalIP`, `Hostname`, ….
    #[serde(rename = "type")]
    pub address_type: String,
    /// `address`.
    pub address: String,
}

/// `status.daemonEndpoints`.
///
/// ```
/// let v: kubeopen::discovery::DaemonEndpoints = serde_json::from_str(r#"{"kubeletEndpoint":{"Port":10250}}"#)?;
/// assert!(v.kubelet_endpoint.port == 10250);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct DaemonEndpoints {
    /// `kubeletEndpoint`.
    pub kubelet_endpoint: DaemonEndpoint,
}

/// A daemon endpoint; the API spells its one field `Port`.
///
/// ```
/// let v: kubeopen::discovery::DaemonEndpoint = serde_json::from_str(r#"{"Port":10250}"#)?;
/// assert!(v.port == 10250);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct DaemonEndpoint {
    /// `Port` (10250 for the kubelet, usually).
    #[serde(rename = "Port")]
    pub port: i64,
}

/// `status.nodeInfo` (the fields shown).
///
/// ```
/// let v: kubeopen::discovery::NodeInfo = serde_json::from_str(r#"{"kubeletVersion":"v1.34.1","architecture":"arm64"}"#)?;
/// assert!(v.architecture == "arm64");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct NodeInfo {
    /// `kubeletVersion`.
    pub kubelet_version: String,
    /// `osImage`.
    pub os_image: String,
    /// `architecture`.
    pub architecture: String,
}

/// `metav1.Status`: what the API server answers on errors.
///
/// ```
/// let v: kubeopen::discovery::Status = serde_json::from_str(r#"{"kind":"Status","status":"Failure","message":"not found","reason":"NotFound","code":404}"#)?;
/// assert!(v.code == 404 && v.reason == "NotFound");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Status {
    /// `kind` (`Status`).
    pub kind: String,
    /// `status`: `Success` or `Failure`.
    pub status: String,
    /// `message`.
    pub message: String,
    /// `reason`: `Unauthorized`, `Forbidden`, `NotFound`, `ServiceUnavailable`, ….
    pub reason: String,
    /// `details`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub details: Option<StatusDetails>,
    /// `code`: the HTTP status.
    pub code: i64,
}

/// `Status.details`.
///
/// ```
/// let v: kubeopen::discovery::StatusDetails = serde_json::from_str(r#"{"name":"web","kind":"services","causes":[{"reason":"FieldValueInvalid","field":"spec"}]}"#)?;
/// assert!(v.causes[0].field == "spec");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct StatusDetails {
    /// `name`.
    pub name: String,
    /// `group`.
    pub group: String,
    /// `kind`.
    pub kind: String,
    /// `causes`.
    pub causes: Vec<StatusCause>,
    /// `retryAfterSeconds`.
    pub retry_after_seconds: i64,
}

/// One `details.causes[]` entry.
///
/// ```
/// let v: kubeopen::discovery::StatusCause = serde_json::from_str(r#"{"reason":"FieldValueInvalid","message":"bad","field":"spec.ports"}"#)?;
/// assert!(v.field == "spec.ports");
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize)]
pub struct StatusCause {
    /// `reason`.
    pub reason: String,
    /// `message`.
    pub message: String,
    /// `field`.
    pub field: String,
}

// The readers: one line per field, in declaration order.

impl FromJson for VersionInfo {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(VersionInfo {
            major: string(o, "major")?,
            minor: string(o, "minor")?,
            emulation_major: optional_string(o, "emulationMajor")?,
            emulation_minor: optional_string(o, "emulationMinor")?,
            min_compatibility_major: optional_string(o, "minCompatibilityMajor")?,
            min_compatibility_minor: optional_string(o, "minCompatibilityMinor")?,
            git_version: string(o, "gitVersion")?,
            git_commit: string(o, "gitCommit")?,
            git_tree_state: string(o, "gitTreeState")?,
            build_date: string(o, "buildDate")?,
            go_version: string(o, "goVersion")?,
            compiler: string(o, "compiler")?,
            platform: string(o, "platform")?,
        })
    }
}

impl FromJson for ApiVersions {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ApiVersions {
            versions: string_list(o, "versions")?,
            server_address_by_client_cidrs: list(
                o,
                "serverAddressByClientCIDRs",
                ServerAddressByClientCidr::from_value,
            )?,
        })
    }
}

impl FromJson for ServerAddressByClientCidr {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ServerAddressByClientCidr {
            client_cidr: string(o, "clientCIDR")?,
            server_address: string(o, "serverAddress")?,
        })
    }
}

impl FromJson for ObjectMeta {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ObjectMeta {
            name: string(o, "name")?,
            namespace: optional_string(o, "namespace")?,
            uid: optional_string(o, "uid")?,
            labels: string_map(o, "labels")?,
            annotations: string_map(o, "annotations")?,
            creation_timestamp: optional_string(o, "creationTimestamp")?,
        })
    }
}

impl FromJson for ListMeta {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ListMeta {
            resource_version: optional_string(o, "resourceVersion")?,
            continue_token: optional_string(o, "continue")?,
        })
    }
}

impl IntOrString {
    fn from_value(value: &serde_json::Value) -> crate::json_read::Result<Self> {
        match value {
            serde_json::Value::String(s) => Ok(IntOrString::String(s.clone())),
            other => other
                .as_i64()
                .map(IntOrString::Int)
                .ok_or_else(|| crate::json_read::wrong("a port number or name", other)),
        }
    }
}

impl FromJson for ServiceList {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ServiceList {
            metadata: nested(o, "metadata")?,
            items: list(o, "items", Service::from_value)?,
        })
    }
}

impl FromJson for Service {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Service {
            metadata: nested(o, "metadata")?,
            spec: nested(o, "spec")?,
            status: nested(o, "status")?,
        })
    }
}

impl FromJson for ServiceSpec {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ServiceSpec {
            service_type: optional_string(o, "type")?,
            cluster_ip: optional_string(o, "clusterIP")?,
            external_name: optional_string(o, "externalName")?,
            selector: string_map(o, "selector")?,
            ports: list(o, "ports", ServicePort::from_value)?,
        })
    }
}

impl FromJson for ServicePort {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        let target_port = match o.get("targetPort") {
            None | Some(serde_json::Value::Null) => None,
            Some(v) => Some(IntOrString::from_value(v).map_err(|e| e.within("targetPort".to_owned()))?),
        };
        Ok(ServicePort {
            name: string(o, "name")?,
            protocol: optional_string(o, "protocol")?,
            app_protocol: optional_string(o, "appProtocol")?,
            port: integer(o, "port")?,
            target_port,
            node_port: optional_integer(o, "nodePort")?,
        })
    }
}

impl FromJson for ServiceStatus {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ServiceStatus {
            load_balancer: nested(o, "loadBalancer")?,
        })
    }
}

impl FromJson for LoadBalancerStatus {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(LoadBalancerStatus {
            ingress: list(o, "ingress", LoadBalancerIngress::from_value)?,
        })
    }
}

impl FromJson for LoadBalancerIngress {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(LoadBalancerIngress {
            ip: string(o, "ip")?,
            hostname: string(o, "hostname")?,
        })
    }
}

impl FromJson for NamespaceList {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(NamespaceList {
            metadata: nested(o, "metadata")?,
            items: list(o, "items", Namespace::from_value)?,
        })
    }
}

impl FromJson for Namespace {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Namespace {
            metadata: nested(o, "metadata")?,
            status: nested(o, "status")?,
        })
    }
}

impl FromJson for PhaseStatus {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(PhaseStatus {
            phase: optional_string(o, "phase")?,
        })
    }
}

impl FromJson for PodList {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(PodList {
            metadata: nested(o, "metadata")?,
            items: list(o, "items", Pod::from_value)?,
        })
    }
}

impl FromJson for Pod {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Pod {
            metadata: nested(o, "metadata")?,
            spec: nested(o, "spec")?,
            status: nested(o, "status")?,
        })
    }
}

impl FromJson for PodSpec {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(PodSpec {
            node_name: optional_string(o, "nodeName")?,
            containers: list(o, "containers", Container::from_value)?,
        })
    }
}

impl FromJson for Container {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Container {
            name: string(o, "name")?,
            ports: list(o, "ports", ContainerPort::from_value)?,
        })
    }
}

impl FromJson for ContainerPort {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ContainerPort {
            name: optional_string(o, "name")?,
            container_port: integer(o, "containerPort")?,
            protocol: optional_string(o, "protocol")?,
        })
    }
}

impl FromJson for PodStatus {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(PodStatus {
            phase: optional_string(o, "phase")?,
            pod_ip: optional_string(o, "podIP")?,
        })
    }
}

impl FromJson for NodeList {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(NodeList {
            metadata: nested(o, "metadata")?,
            items: list(o, "items", Node::from_value)?,
        })
    }
}

impl FromJson for Node {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Node {
            metadata: nested(o, "metadata")?,
            status: nested(o, "status")?,
        })
    }
}

impl FromJson for NodeStatus {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(NodeStatus {
            addresses: list(o, "addresses", NodeAddress::from_value)?,
            daemon_endpoints: nested(o, "daemonEndpoints")?,
            node_info: nested(o, "nodeInfo")?,
        })
    }
}

impl FromJson for NodeAddress {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(NodeAddress {
            address_type: string(o, "type")?,
            address: string(o, "address")?,
        })
    }
}

impl FromJson for DaemonEndpoints {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(DaemonEndpoints {
            kubelet_endpoint: nested(o, "kubeletEndpoint")?,
        })
    }
}

impl FromJson for DaemonEndpoint {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(DaemonEndpoint {
            port: integer(o, "Port")?,
        })
    }
}

impl FromJson for NodeInfo {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(NodeInfo {
            kubelet_version: string(o, "kubeletVersion")?,
            os_image: string(o, "osImage")?,
            architecture: string(o, "architecture")?,
        })
    }
}

impl FromJson for Status {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Status {
            kind: string(o, "kind")?,
            status: string(o, "status")?,
            message: string(o, "message")?,
            reason: string(o, "reason")?,
            details: optional_nested(o, "details")?,
            code: integer(o, "code")?,
        })
    }
}

impl FromJson for StatusDetails {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(StatusDetails {
            name: string(o, "name")?,
            group: string(o, "group")?,
            kind: string(o, "kind")?,
            causes: list(o, "causes", StatusCause::from_value)?,
            retry_after_seconds: integer(o, "retryAfterSeconds")?,
        })
    }
}

impl FromJson for StatusCause {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(StatusCause {
            reason: string(o, "reason")?,
            message: string(o, "message")?,
            field: string(o, "field")?,
        })
    }
}

deserialize_via_read!(
    VersionInfo,
    ApiVersions,
    ServerAddressByClientCidr,
    ObjectMeta,
    ListMeta,
    ServiceList,
    Service,
    ServiceSpec,
    ServicePort,
    ServiceStatus,
    LoadBalancerStatus,
    LoadBalancerIngress,
    NamespaceList,
    Namespace,
    PhaseStatus,
    PodList,
    Pod,
    PodSpec,
    Container,
    ContainerPort,
    PodStatus,
    NodeList,
    Node,
    NodeStatus,
    NodeAddress,
    DaemonEndpoints,
    DaemonEndpoint,
    NodeInfo,
    Status,
    StatusDetails,
    StatusCause,
);
