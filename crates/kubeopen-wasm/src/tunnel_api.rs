//! Tunnel mode: the sans-I/O half of `Cluster.portForward` and `Cluster.tunnelFetch`
//! (crates/kubeopen/src/tunnel.rs). JavaScript (npm/src/tunnel-client.js) owns the WebSocket, timers
//! and streams; every URL, header, frame and parse is here. The byte-level part is in the URL
//! module (`kubeopen_bg.wasm`): in the cluster module the whole tunnel cost ~23 KB gzipped,
//! beyond that module's budget, while the URL module has room and no JSON is needed here. Reading
//! the API's JSON (which pod) is in the cluster module: `tunnel_cluster_api.rs`.

use kubeopen::auth::{Credentials, WebSocketAuthError, websocket_protocols};
use kubeopen::target::{Kind, Port, Target};
use kubeopen::tunnel::channel::{BINARY_PROTOCOL, ChannelDecoder, Framing, Stream, encode};
use kubeopen::tunnel::response::{ResponseEvent, ResponseParser};
use kubeopen::tunnel::{self, PathError};
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, credentials_error, kubeopen_error};

fn path_error(e: &PathError) -> JsValue {
    let code = match e {
        PathError::Server(_) => KubeopenErrorCode::InvalidServer,
        PathError::Name { .. } | PathError::PortZero => KubeopenErrorCode::InvalidTarget,
    };
    kubeopen_error(code, &e.to_string(), &[])
}

/// The subprotocols for the client's credentials (`UnsupportedCredentials` for basic auth).
#[wasm_bindgen(js_name = "__websocketProtocols", skip_typescript)]
pub fn protocols(
    token: Option<String>,
    username: Option<String>,
    password: Option<String>,
) -> Result<Vec<String>, JsValue> {
    let credentials = Credentials::from_parts(token.as_deref(), username.as_deref(), password.as_deref())
        .map_err(|e| credentials_error(&e))?;
    websocket_protocols(credentials.as_ref(), BINARY_PROTOCOL).map_err(|e| match e {
        WebSocketAuthError::Credentials(e) => credentials_error(&e),
        e @ WebSocketAuthError::Basic => {
            kubeopen_error(KubeopenErrorCode::UnsupportedCredentials, &e.to_string(), &[])
        }
    })
}

/// A tunnel's target: a service or a pod, with its port.
pub(crate) fn target(
    kind: &str,
    namespace: &str,
    name: &str,
    port: &str,
) -> Result<(Target, Option<Port>), JsValue> {
    let invalid = |m: &str| kubeopen_error(KubeopenErrorCode::InvalidTarget, m, &[]);
    let kind = match kind {
        "service" => Kind::Service,
        "pod" => Kind::Pod,
        other => {
            return Err(invalid(&format!(
                "a tunnel goes to a \"service\" or a \"pod\", not {other:?}"
            )));
        }
    };
    // A service's only port may go unnamed; a pod's may not (a pod has no port list to pick from).
    let port = match port {
        "" if kind == Kind::Service => None,
        "" => return Err(invalid("a tunnel to a pod needs a port")),
        p => Some(Port::parse(p).map_err(|e| invalid(&e.to_string()))?),
    };
    let t = Target::new(kind, Some(namespace), name)
        .map_err(|e| invalid(&e.to_string()))?
        .with_port(port.clone());
    Ok((t, port))
}

/// The URLs to `GET` before the tunnel can open: a service's object and EndpointSlices; a pod
/// for a named port; nothing for a pod's port number.
#[wasm_bindgen(js_name = "__tunnelLookups", skip_typescript)]
pub fn lookups(
    server: &str,
    kind: &str,
    namespace: &str,
    name: &str,
    port: &str,
) -> Result<Vec<String>, JsValue> {
    let (t, port) = target(kind, namespace, name, port)?;
    let base = kubeopen::proxy_url::server_base(server).map_err(|e| path_error(&PathError::Server(e)))?;
    let paths = match t.kind() {
        Kind::Service => vec![
            tunnel::service_path(namespace, name),
            tunnel::endpoint_slices_path(namespace, name),
        ],
        _ if port.as_ref().and_then(Port::as_number).is_some() => Vec::new(),
        _ => vec![tunnel::pod_path(namespace, name)],
    };
    paths
        .into_iter()
        .map(|p| p.map(|p| format!("{base}{p}")).map_err(|e| path_error(&e)))
        .collect()
}

/// The portforward URL: the WebSocket's, or (`websocket` false) the same over HTTP(S).
#[wasm_bindgen(js_name = "__portForwardUrl", skip_typescript)]
pub fn portforward_url(
    server: &str,
    namespace: &str,
    pod: &str,
    port: u16,
    websocket: bool,
) -> Result<String, JsValue> {
    if websocket {
        tunnel::portforward_url(server, namespace, pod, port)
    } else {
        tunnel::portforward_http_url(server, namespace, pod, port)
    }
    .map_err(|e| path_error(&e))
}

/// The HTTP request head for `tunnelFetch`; `headers` as `[name, value, name, value, …]`.
#[wasm_bindgen(js_name = "__tunnelRequest", skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn request(
    kind: &str,
    namespace: &str,
    name: &str,
    port: &str,
    path: &str,
    pod_port: u16,
    method: &str,
    headers: Vec<String>,
    body_length: Option<f64>,
) -> Result<Vec<u8>, JsValue> {
    let (t, _) = target(kind, namespace, name, port)?;
    let pairs: Vec<(String, String)> = headers
        .chunks(2)
        .map(|c| (c[0].clone(), c.get(1).cloned().unwrap_or_default()))
        .collect();
    // A body length from JavaScript is an integer below 2^53; `as` saturates anything else.
    let length = body_length.map(|n| n as u64);
    tunnel::http_request(&t, path, pod_port, method, &pairs, length)
        .map_err(|e| kubeopen_error(KubeopenErrorCode::InvalidArgument, &e.to_string(), &[]))
}

/// The permission a 403 message names.
#[wasm_bindgen(js_name = "__forbiddenPermission", skip_typescript)]
pub fn forbidden_permission(message: &str) -> Option<String> {
    tunnel::forbidden_permission(message)
}

/// The permission a 403 to a portforward request says is missing.
#[wasm_bindgen(js_name = "__portForwardPermission", skip_typescript)]
pub fn portforward_permission(message: &str) -> String {
    tunnel::portforward_forbidden_permission(message)
}

fn protocol_error(message: &str) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidResponse, message, &[])
}

/// The channel codec of one portforward WebSocket with one port.
#[wasm_bindgen(js_name = "__PortForwardChannel", skip_typescript)]
pub struct PortForwardChannel {
    framing: Framing,
    decoder: ChannelDecoder,
}

#[wasm_bindgen(js_class = "__PortForwardChannel")]
impl PortForwardChannel {
    /// `protocol`: the subprotocol the server accepted (`""` for none).
    #[wasm_bindgen(constructor)]
    pub fn new(protocol: &str, port: u16) -> Result<PortForwardChannel, JsValue> {
        let framing = Framing::from_protocol(protocol)
            .ok_or_else(|| protocol_error(&format!("the server chose the subprotocol {protocol:?}")))?;
        Ok(PortForwardChannel {
            framing,
            decoder: ChannelDecoder::new(framing, &[port]),
        })
    }

    /// One server message → `[stream, bytes, stream, bytes, …]`, stream 0 = data, 1 = error.
    pub fn decode(&mut self, message: &[u8]) -> Result<js_sys::Array, JsValue> {
        let frames = self
            .decoder
            .decode(message)
            .map_err(|e| protocol_error(&e.to_string()))?;
        let out = js_sys::Array::new();
        for f in frames {
            out.push(&JsValue::from(u8::from(f.stream == Stream::Error)));
            out.push(&js_sys::Uint8Array::from(f.bytes.as_slice()));
        }
        Ok(out)
    }

    /// The message carrying `data` to the pod (a text message's bytes for the base64 framing).
    pub fn encode(&self, data: &[u8]) -> Vec<u8> {
        encode(self.framing, 0, data)
    }

    /// Whether messages are text (base64 framing).
    #[wasm_bindgen(getter)]
    pub fn text(&self) -> bool {
        self.framing == Framing::Base64
    }
}

/// The HTTP response parser of one `tunnelFetch`.
#[wasm_bindgen(js_name = "__TunnelResponse", skip_typescript)]
pub struct TunnelResponse(ResponseParser);

fn events(
    result: Result<Vec<ResponseEvent>, kubeopen::tunnel::response::HttpError>,
) -> Result<js_sys::Array, JsValue> {
    let events = result.map_err(|e| {
        kubeopen_error(
            KubeopenErrorCode::InvalidResponse,
            &e.to_string(),
            &[("at", (e.at as f64).into())],
        )
    })?;
    let out = js_sys::Array::new();
    for event in events {
        match event {
            // The head as `[status, statusText, name, value, name, value, …]`.
            ResponseEvent::Head(head) => {
                let fields = js_sys::Array::of2(&head.status.into(), &head.reason.as_str().into());
                for (name, value) in &head.headers {
                    fields.push(&name.as_str().into());
                    fields.push(&value.as_str().into());
                }
                out.push(&fields);
            }
            ResponseEvent::Body(bytes) if !bytes.is_empty() => {
                out.push(&js_sys::Uint8Array::from(bytes.as_slice()));
            }
            ResponseEvent::Body(_) | ResponseEvent::Trailers(_) => {}
            ResponseEvent::End => {
                out.push(&JsValue::TRUE);
            }
        }
    }
    Ok(out)
}

#[wasm_bindgen(js_class = "__TunnelResponse")]
impl TunnelResponse {
    /// `head_request`: the request was a HEAD.
    #[wasm_bindgen(constructor)]
    pub fn new(head_request: bool) -> TunnelResponse {
        TunnelResponse(ResponseParser::new(head_request))
    }

    /// The next bytes → events: an array (the head), a `Uint8Array` (body), `true` (end).
    pub fn push(&mut self, bytes: &[u8]) -> Result<js_sys::Array, JsValue> {
        events(self.0.feed(bytes))
    }

    /// The connection closed: ends a close-delimited body, or throws what was cut off.
    pub fn finish(&mut self) -> Result<js_sys::Array, JsValue> {
        events(self.0.finish())
    }
}
