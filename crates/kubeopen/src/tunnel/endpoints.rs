//! Which pod and port a tunnel to a service goes to: like `kubectl port-forward svc/NAME`, but
//! from the service's EndpointSlices (design note §3), so only a *ready* endpoint backed by a
//! pod is chosen, and the slice port already carries the resolved target port.
//!
//! ```
//! use kubeopen::discovery::Service;
//! use kubeopen::target::Port;
//! use kubeopen::tunnel::endpoints::{EndpointSliceList, select_endpoint};
//!
//! let service: Service = serde_json::from_str(r#"{"metadata":{"name":"web","namespace":"demo"},
//!   "spec":{"ports":[{"name":"http","port":80,"targetPort":"web"}]}}"#)?;
//! let slices: EndpointSliceList = serde_json::from_str(r#"{"items":[{
//!   "ports":[{"name":"http","port":8080,"protocol":"TCP"}],
//!   "endpoints":[
//!     {"addresses":["10.0.0.9"],"conditions":{"ready":false},"targetRef":{"kind":"Pod","name":"web-1"}},
//!     {"addresses":["10.0.0.8"],"conditions":{"ready":true},"targetRef":{"kind":"Pod","name":"web-0"}}]}]}"#)?;
//! let chosen = select_endpoint(&service, &slices, Some(&Port::parse("80")?))?;
//! assert_eq!((chosen.pod.as_str(), chosen.port), ("web-0", 8080));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use crate::discovery::{Pod, Service, ServicePort};
use crate::json_read::{
    FromJson, Object, deserialize_via_read, list, nested, optional_integer, optional_nested, optional_string,
    string, string_list,
};
use crate::target::Port;

/// `GET /apis/discovery.k8s.io/v1/namespaces/NS/endpointslices`.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSliceList {
    /// `items`.
    pub items: Vec<EndpointSlice>,
}

/// An EndpointSlice (only what the choice needs).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointSlice {
    /// `addressType`: `IPv4`, `IPv6` or `FQDN`.
    pub address_type: String,
    /// `ports`.
    pub ports: Vec<EndpointPort>,
    /// `endpoints`.
    pub endpoints: Vec<Endpoint>,
}

/// One `ports[]` entry of a slice.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct EndpointPort {
    /// `name`: the service port's name (`""` for a service's single unnamed port).
    pub name: String,
    /// `port`: the resolved target port on the pods.
    pub port: Option<i64>,
    /// `protocol` (`TCP` when absent).
    pub protocol: Option<String>,
}

/// One `endpoints[]` entry.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Endpoint {
    /// `addresses`.
    pub addresses: Vec<String>,
    /// `conditions.ready`: absent means ready ("unknown state … interpreted as ready").
    pub ready: Option<bool>,
    /// `targetRef`.
    pub target_ref: Option<ObjectReference>,
}

/// `targetRef` of an endpoint.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ObjectReference {
    /// `kind`: `Pod` for pod-backed endpoints.
    pub kind: String,
    /// `name`.
    pub name: String,
    /// `namespace`.
    pub namespace: Option<String>,
}

#[derive(Default)]
struct Conditions {
    ready: Option<bool>,
}

impl FromJson for EndpointSliceList {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(EndpointSliceList {
            items: list(o, "items", EndpointSlice::from_value)?,
        })
    }
}

impl FromJson for EndpointSlice {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(EndpointSlice {
            address_type: string(o, "addressType")?,
            ports: list(o, "ports", EndpointPort::from_value)?,
            endpoints: list(o, "endpoints", Endpoint::from_value)?,
        })
    }
}

impl FromJson for EndpointPort {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(EndpointPort {
            name: string(o, "name")?,
            port: optional_integer(o, "port")?,
            protocol: optional_string(o, "protocol")?,
        })
    }
}

impl FromJson for Conditions {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        let ready = match o.get("ready") {
            None | Some(serde_json::Value::Null) => None,
            Some(serde_json::Value::Bool(b)) => Some(*b),
            Some(other) => return Err(crate::json_read::wrong("a boolean", other).within("ready".to_owned())),
        };
        Ok(Conditions { ready })
    }
}

impl FromJson for Endpoint {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        let conditions: Conditions = nested(o, "conditions")?;
        Ok(Endpoint {
            addresses: string_list(o, "addresses")?,
            ready: conditions.ready,
            target_ref: optional_nested(o, "targetRef")?,
        })
    }
}

impl FromJson for ObjectReference {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ObjectReference {
            kind: string(o, "kind")?,
            name: string(o, "name")?,
            namespace: optional_string(o, "namespace")?,
        })
    }
}

deserialize_via_read!(
    EndpointSliceList,
    EndpointSlice,
    EndpointPort,
    Endpoint,
    ObjectReference
);

/// The pod and port a tunnel goes to.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct ForwardTo {
    /// The pod's name.
    pub pod: String,
    /// The port on the pod.
    pub port: u16,
}

/// Why no pod and port could be chosen.
///
/// ```
/// use kubeopen::discovery::Service;
/// use kubeopen::tunnel::endpoints::{select_endpoint, EndpointSliceList};
/// let service: Service = serde_json::from_str(r#"{"metadata":{"name":"idle","namespace":"demo"},"spec":{"ports":[{"port":80}]}}"#)?;
/// let err = select_endpoint(&service, &EndpointSliceList::default(), None).unwrap_err();
/// assert_eq!(err.to_string(), "service demo/idle has no ready endpoint backed by a pod for port 80");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum EndpointError {
    /// The service has no port with that number or name.
    #[error("service {service} has no port {asked} (its ports: {available})")]
    NoSuchPort {
        /// `NS/NAME`.
        service: String,
        /// The port asked for.
        asked: String,
        /// The ports it has, e.g. `http (80), 9090`.
        available: String,
    },
    /// No port given, and the service has more than one (or none).
    #[error("service {service} has {count} ports; say which one (its ports: {available})")]
    WhichPort {
        /// `NS/NAME`.
        service: String,
        /// How many ports it has.
        count: usize,
        /// Its ports.
        available: String,
    },
    /// No ready endpoint with a pod `targetRef` serves the port.
    #[error("service {service} has no ready endpoint backed by a pod for port {port}")]
    NoReadyEndpoint {
        /// `NS/NAME`.
        service: String,
        /// The service port (`name (number)` or the number).
        port: String,
    },
    /// A pod has no container port with that name.
    #[error("pod {pod} has no container port named {name:?}")]
    NoNamedPort {
        /// `NS/NAME`.
        pod: String,
        /// The name asked for.
        name: String,
    },
    /// A port number outside 1–65535 in the API's answer.
    #[error("port {0} is not a TCP port number")]
    BadPortNumber(i64),
}

fn describe(port: &ServicePort) -> String {
    if port.name.is_empty() {
        port.port.to_string()
    } else {
        format!("{} ({})", port.name, port.port)
    }
}

fn port_number(n: i64) -> Result<u16, EndpointError> {
    u16::try_from(n)
        .ok()
        .filter(|&n| n != 0)
        .ok_or(EndpointError::BadPortNumber(n))
}

/// The service port `port` names (by number or name; `None`: the service's only port).
fn service_port<'a>(service: &'a Service, port: Option<&Port>) -> Result<&'a ServicePort, EndpointError> {
    let meta = &service.metadata;
    let name = format!("{}/{}", meta.namespace.as_deref().unwrap_or_default(), meta.name);
    let ports = &service.spec.ports;
    let available = || ports.iter().map(describe).collect::<Vec<_>>().join(", ");
    let found = match port {
        None if ports.len() == 1 => ports.first(),
        None => {
            return Err(EndpointError::WhichPort {
                service: name,
                count: ports.len(),
                available: available(),
            });
        }
        Some(p) => match (p.as_number(), p.as_name()) {
            (Some(n), _) => ports.iter().find(|sp| sp.port == i64::from(n)),
            (None, Some(wanted)) => ports.iter().find(|sp| sp.name == wanted),
            (None, None) => None,
        },
    };
    found.ok_or_else(|| EndpointError::NoSuchPort {
        service: name,
        asked: port
            .map(|p| {
                p.as_number()
                    .map_or_else(|| p.as_name().unwrap_or_default().to_owned(), |n| n.to_string())
            })
            .unwrap_or_default(),
        available: available(),
    })
}

/// Picks a ready, pod-backed endpoint of `service` for `port` from its slices: the slice port
/// whose name is the service port's name (TCP) gives the pod port; among the ready endpoints
/// (`conditions.ready` true or absent) whose `targetRef` is a Pod, the one whose pod name sorts
/// first, so the same cluster state always gives the same pod.
pub fn select_endpoint(
    service: &Service,
    slices: &EndpointSliceList,
    port: Option<&Port>,
) -> Result<ForwardTo, EndpointError> {
    let wanted = service_port(service, port)?;
    let mut best: Option<ForwardTo> = None;
    for slice in &slices.items {
        let Some(slice_port) = slice
            .ports
            .iter()
            .find(|p| p.name == wanted.name && p.protocol.as_deref().unwrap_or("TCP") == "TCP")
        else {
            continue;
        };
        let Some(number) = slice_port.port else {
            continue;
        };
        let number = port_number(number)?;
        for endpoint in &slice.endpoints {
            let Some(target) = endpoint.target_ref.as_ref() else {
                continue;
            };
            if endpoint.ready == Some(false) || target.kind != "Pod" || target.name.is_empty() {
                continue;
            }
            if best.as_ref().is_none_or(|b| target.name < b.pod) {
                best = Some(ForwardTo {
                    pod: target.name.clone(),
                    port: number,
                });
            }
        }
    }
    best.ok_or_else(|| EndpointError::NoReadyEndpoint {
        service: format!(
            "{}/{}",
            service.metadata.namespace.as_deref().unwrap_or_default(),
            service.metadata.name
        ),
        port: describe(wanted),
    })
}

/// The port of a pod target: a number as it is, a name looked up in the pod's container ports
/// (`kubectl port-forward pod/NAME http` does the same).
///
/// ```
/// use kubeopen::discovery::Pod;
/// use kubeopen::target::Port;
/// use kubeopen::tunnel::endpoints::pod_port;
/// let pod: Pod = serde_json::from_str(r#"{"metadata":{"name":"web-0"},"spec":{"containers":[{"name":"c","ports":[{"name":"http","containerPort":8080}]}]}}"#)?;
/// assert_eq!(pod_port(&pod, &Port::parse("http")?)?, 8080);
/// assert_eq!(pod_port(&pod, &Port::parse("9090")?)?, 9090);
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn pod_port(pod: &Pod, port: &Port) -> Result<u16, EndpointError> {
    if let Some(n) = port.as_number() {
        return Ok(n);
    }
    let name = port.as_name().unwrap_or_default();
    let found = pod
        .spec
        .containers
        .iter()
        .flat_map(|c| &c.ports)
        .find(|p| p.name.as_deref() == Some(name));
    match found {
        Some(p) => port_number(p.container_port),
        None => Err(EndpointError::NoNamedPort {
            pod: format!(
                "{}/{}",
                pod.metadata.namespace.as_deref().unwrap_or_default(),
                pod.metadata.name
            ),
            name: name.to_owned(),
        }),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn service(ports: &str) -> Service {
        serde_json::from_str(&format!(
            r#"{{"metadata":{{"name":"web","namespace":"demo"}},"spec":{{"ports":{ports}}}}}"#
        ))
        .unwrap()
    }

    fn slices(json: &str) -> EndpointSliceList {
        serde_json::from_str(json).unwrap()
    }

    const TWO_SLICES: &str = r#"{"items":[
      {"ports":[{"name":"http","port":8080},{"name":"metrics","port":9100}],
       "endpoints":[
         {"addresses":["10.0.0.3"],"conditions":{"ready":true},"targetRef":{"kind":"Pod","name":"web-c"}},
         {"addresses":["10.0.0.9"],"conditions":{"ready":false},"targetRef":{"kind":"Pod","name":"web-a"}},
         {"addresses":["10.0.0.7"],"conditions":{"ready":true}}]},
      {"ports":[{"name":"http","port":8080,"protocol":"TCP"}],
       "endpoints":[
         {"addresses":["10.0.0.4"],"targetRef":{"kind":"Pod","name":"web-b"}},
         {"addresses":["10.0.0.5"],"conditions":{"ready":true},"targetRef":{"kind":"Node","name":"a-node"}}]}]}"#;

    #[test]
    fn picks_the_first_ready_pod_by_name_and_the_slice_port() {
        let svc = service(r#"[{"name":"http","port":80,"targetPort":"web"},{"name":"metrics","port":9100}]"#);
        let list = slices(TWO_SLICES);
        let by = |p: &str| select_endpoint(&svc, &list, Some(&Port::parse(p).unwrap()));
        // web-a is not ready, the address without targetRef and the Node ref are skipped;
        // web-b has no conditions (ready) and sorts before web-c.
        assert_eq!(
            by("80").unwrap(),
            ForwardTo {
                pod: "web-b".into(),
                port: 8080
            }
        );
        assert_eq!(
            by("http").unwrap(),
            ForwardTo {
                pod: "web-b".into(),
                port: 8080
            }
        );
        // Only the first slice carries `metrics`.
        assert_eq!(
            by("metrics").unwrap(),
            ForwardTo {
                pod: "web-c".into(),
                port: 9100
            }
        );
        assert_eq!(
            by("81").unwrap_err().to_string(),
            "service demo/web has no port 81 (its ports: http (80), metrics (9100))"
        );
        assert_eq!(
            select_endpoint(&svc, &list, None).unwrap_err().to_string(),
            "service demo/web has 2 ports; say which one (its ports: http (80), metrics (9100))"
        );
    }

    #[test]
    fn a_single_unnamed_port_matches_the_unnamed_slice_port() {
        let svc = service(r#"[{"port":80,"targetPort":8080}]"#);
        let list = slices(
            r#"{"items":[{"ports":[{"port":8080}],"endpoints":[{"addresses":["1.1.1.1"],"targetRef":{"kind":"Pod","name":"p"}}]}]}"#,
        );
        assert_eq!(
            select_endpoint(&svc, &list, None).unwrap(),
            ForwardTo {
                pod: "p".into(),
                port: 8080
            }
        );
        assert_eq!(
            select_endpoint(&svc, &list, Some(&Port::parse("80").unwrap()))
                .unwrap()
                .port,
            8080
        );
    }

    #[test]
    fn no_ready_endpoint_is_an_error() {
        let svc = service(r#"[{"name":"http","port":80}]"#);
        let none = slices(
            r#"{"items":[{"ports":[{"name":"http","port":80}],"endpoints":[{"addresses":["1.1.1.1"],"conditions":{"ready":false},"targetRef":{"kind":"Pod","name":"p"}}]},
                        {"ports":[{"name":"http","port":80,"protocol":"UDP"}],"endpoints":[{"addresses":["1.1.1.2"],"targetRef":{"kind":"Pod","name":"q"}}]},
                        {"ports":null,"endpoints":null}]}"#,
        );
        assert_eq!(
            select_endpoint(&svc, &none, None).unwrap_err(),
            EndpointError::NoReadyEndpoint {
                service: "demo/web".into(),
                port: "http (80)".into()
            }
        );
        let bad = slices(r#"{"items":[{"ports":[{"name":"http","port":70000}],"endpoints":[]}]}"#);
        assert_eq!(
            select_endpoint(&svc, &bad, None).unwrap_err(),
            EndpointError::BadPortNumber(70000)
        );
    }

    #[test]
    fn wrong_types_say_where() {
        let err = serde_json::from_str::<EndpointSliceList>(
            r#"{"items":[{"endpoints":[{"conditions":{"ready":"yes"}}]}]}"#,
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.starts_with("items[0].endpoints[0].conditions.ready: expected a boolean, found a string"),
            "{err}"
        );
    }
}
