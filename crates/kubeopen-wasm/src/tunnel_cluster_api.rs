//! The part of tunnel mode that reads the API's JSON, in the cluster module (which has the JSON
//! readers already): which pod and port a target's lookups lead to. The rest is `tunnel_api.rs`.

use kubeopen::discovery::{Pod, Service};
use kubeopen::target::{Kind, Port, Target};
use kubeopen::tunnel::endpoints::{EndpointError, EndpointSliceList, ForwardTo, pod_port, select_endpoint};
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, invalid_argument, kubeopen_error};

fn decode<T: serde::de::DeserializeOwned>(body: &str, what: &str) -> Result<T, JsValue> {
    serde_json::from_str(body).map_err(|e| {
        kubeopen_error(
            KubeopenErrorCode::InvalidResponse,
            &format!("the API server's answer is not {what}: {e}"),
            &[],
        )
    })
}

fn endpoint_error(e: &EndpointError) -> JsValue {
    let code = match e {
        EndpointError::NoReadyEndpoint { .. } => KubeopenErrorCode::ServiceUnavailable,
        EndpointError::BadPortNumber(_) => KubeopenErrorCode::InvalidResponse,
        EndpointError::NoSuchPort { .. }
        | EndpointError::WhichPort { .. }
        | EndpointError::NoNamedPort { .. } => KubeopenErrorCode::InvalidTarget,
    };
    kubeopen_error(code, &e.to_string(), &[])
}

/// The pod and port from the lookups' 2xx bodies (`__tunnelLookups` said what to get; the
/// caller turned other statuses into errors): `[pod, port]`. The target was checked by
/// `__tunnelLookups` already; it is checked again here, cheaply, since this is a separate call.
#[wasm_bindgen(js_name = "__tunnelResolve", skip_typescript)]
pub fn resolve(
    kind: &str,
    namespace: &str,
    name: &str,
    port: &str,
    first: Option<String>,
    second: Option<String>,
) -> Result<js_sys::Array, JsValue> {
    let invalid = |m: String| kubeopen_error(KubeopenErrorCode::InvalidTarget, &m, &[]);
    let port = match port {
        "" => None,
        p => Some(Port::parse(p).map_err(|e| invalid(e.to_string()))?),
    };
    let kind = if kind == "pod" { Kind::Pod } else { Kind::Service };
    Target::new(kind, Some(namespace), name).map_err(|e| invalid(e.to_string()))?;
    let to = match (kind, first, second) {
        (Kind::Service, Some(service), Some(slices)) => {
            let service: Service = decode(&service, "a Service")?;
            let slices: EndpointSliceList = decode(&slices, "an EndpointSliceList")?;
            select_endpoint(&service, &slices, port.as_ref()).map_err(|e| endpoint_error(&e))?
        }
        (Kind::Pod, pod, None) => {
            let pod: Pod = match pod {
                Some(body) => decode(&body, "a Pod")?,
                None => Pod::default(),
            };
            let port = port.ok_or_else(|| invalid("a tunnel to a pod needs a port".to_owned()))?;
            ForwardTo {
                pod: name.to_owned(),
                port: pod_port(&pod, &port).map_err(|e| endpoint_error(&e))?,
            }
        }
        _ => return Err(invalid_argument("__tunnelResolve: wrong number of answers")),
    };
    Ok(js_sys::Array::of2(&to.pod.into(), &to.port.into()))
}
