//! The `kubeopen/cluster` module (cargo feature `cluster`): kubeconfig, credentials, tokens,
//! in-cluster config, discovery, and the sans-I/O half of the `Cluster` client (request URLs,
//! answers decoded or turned into errors). Values cross as JSON text: serde_json is in this
//! module anyway, and one `JSON.parse` in `cluster-api.js` is smaller and faster than building
//! objects field by field from wasm. The public types are in `npm/cluster.d.ts`.

use kubeopen::auth::{Credentials, SecretTokenError, decode_secret_token};
use kubeopen::discovery::requests::{ApiCall, ApiError, CallError, ErrorKind, read_answer};
use kubeopen::discovery::{ServiceList, StatusError, cluster_info, openable_endpoints, status_error};
use kubeopen::in_cluster::{InClusterInputs, in_cluster_config};
use kubeopen::kubeconfig::{Kubeconfig, MinifyError, ParseError, ResolveError, resolve_context};
use kubeopen::proxy_url::{ProxyUrlError, Query, proxy_url, server_base};
use kubeopen::segment::Scheme;
use kubeopen::suggest::{Markup, SuggestEndpoint, SuggestOptions, suggest_endpoints};
use kubeopen::target::{Kind, Port, Target, TargetError};
use kubeopen::token::inspect_token;
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, credentials_error, invalid_argument, kubeopen_error};

/// JSON text of a value the core made (serialising these types cannot fail; the error arm is
/// there so that nothing panics if it ever did).
fn json<T: serde::Serialize>(value: &T) -> Result<String, JsValue> {
    serde_json::to_string(value).map_err(|e| invalid_argument(&e.to_string()))
}

fn kubeconfig_error(e: &ParseError) -> JsValue {
    let detail: Vec<(&str, JsValue)> = match e {
        ParseError::Syntax { line, column, .. } => vec![
            ("line", (*line as u32).into()),
            ("column", (*column as u32).into()),
        ],
        ParseError::Field {
            line, column, path, ..
        } => vec![
            ("line", (*line as u32).into()),
            ("column", (*column as u32).into()),
            ("path", path.as_str().into()),
        ],
    };
    kubeopen_error(KubeopenErrorCode::InvalidKubeconfig, &e.to_string(), &detail)
}

/// The kubeconfig argument: the text of a file, or `JSON.stringify` of an object.
fn kubeconfig(input: &str, is_object: bool) -> Result<Kubeconfig, JsValue> {
    if is_object {
        Kubeconfig::from_object_json(input)
    } else {
        Kubeconfig::parse(input)
    }
    .map_err(|e| kubeconfig_error(&e))
}

/// `parseKubeconfig(text)`: the kubeconfig as JSON.
#[wasm_bindgen(js_name = "__parseKubeconfig", skip_typescript)]
pub fn parse_kubeconfig(text: &str) -> Result<String, JsValue> {
    json(&kubeconfig(text, false)?)
}

/// `minifyKubeconfig(kubeconfig, contextName?)`.
#[wasm_bindgen(js_name = "__minifyKubeconfig", skip_typescript)]
pub fn minify_kubeconfig(input: &str, is_object: bool, context: Option<String>) -> Result<String, JsValue> {
    let config = kubeconfig(input, is_object)?;
    let small = config.minify(context.as_deref()).map_err(|e| {
        let name = match &e {
            MinifyError::NoCurrentContext => None,
            MinifyError::Context(n) | MinifyError::Cluster(n) | MinifyError::User(n) => Some(n.as_str()),
        };
        let detail: Vec<(&str, JsValue)> = name.map(|n| ("name", n.into())).into_iter().collect();
        kubeopen_error(KubeopenErrorCode::InvalidKubeconfig, &e.to_string(), &detail)
    })?;
    json(&small)
}

/// `resolveContext(kubeconfig, contextName?)`.
#[wasm_bindgen(js_name = "__resolveContext", skip_typescript)]
pub fn resolve(input: &str, is_object: bool, context: Option<String>) -> Result<String, JsValue> {
    let config = kubeconfig(input, is_object)?;
    let resolved = resolve_context(&config, context.as_deref()).map_err(|e| {
        let detail: Vec<(&str, JsValue)> = match &e {
            ResolveError::NoContext { available } | ResolveError::ContextNotFound { available, .. } => {
                let list: js_sys::Array = available.iter().map(|n| JsValue::from(n.as_str())).collect();
                vec![("available", list.into())]
            }
            _ => Vec::new(),
        };
        kubeopen_error(KubeopenErrorCode::InvalidKubeconfig, &e.to_string(), &detail)
    })?;
    json(&resolved)
}

/// The header value for a token (trimmed, as pasted) or for basic auth.
fn header(
    token: Option<String>,
    username: Option<String>,
    password: Option<String>,
) -> Result<String, JsValue> {
    Credentials::from_parts(token.as_deref(), username.as_deref(), password.as_deref())
        .map_err(|e| credentials_error(&e))?
        .ok_or_else(|| invalid_argument("credentials must be {token} or {username, password}"))?
        .authorization_header()
        .map_err(|e| credentials_error(&e))
}

/// `authorizationHeader({token} | {username, password})`.
#[wasm_bindgen(js_name = "__authorizationHeader", skip_typescript)]
pub fn authorization_header(
    token: Option<String>,
    username: Option<String>,
    password: Option<String>,
) -> Result<String, JsValue> {
    header(token, username, password)
}

/// `decodeSecretToken(data)`.
#[wasm_bindgen(js_name = "__decodeSecretToken", skip_typescript)]
pub fn decode_secret(data: &str) -> Result<String, JsValue> {
    decode_secret_token(data).map_err(|e| {
        let detail: Vec<(&str, JsValue)> = match &e {
            SecretTokenError::Base64 { looks_decoded, .. } => vec![("looksDecoded", (*looks_decoded).into())],
            SecretTokenError::NotText { at } => vec![("at", (*at as u32).into())],
            SecretTokenError::Token(_) => Vec::new(),
        };
        kubeopen_error(KubeopenErrorCode::InvalidToken, &e.to_string(), &detail)
    })
}

/// `inspectToken(token, now?)`; `now` in Unix seconds.
#[wasm_bindgen(js_name = "__inspectToken", skip_typescript)]
pub fn inspect(token: &str, now: f64) -> Result<String, JsValue> {
    // `as` saturates, and NaN becomes 0: both are fine for "is it expired".
    let info = inspect_token(token, now as i64)
        .map_err(|e| kubeopen_error(KubeopenErrorCode::InvalidToken, &e.to_string(), &[]))?;
    json(&info)
}

/// `inClusterConfig(inputs)`.
#[wasm_bindgen(js_name = "__inClusterConfig", skip_typescript)]
pub fn in_cluster(
    service_host: Option<String>,
    service_port: Option<String>,
    pod_namespace: Option<String>,
    token: Option<String>,
    ca_crt: Option<String>,
    namespace_file: Option<String>,
) -> Result<String, JsValue> {
    let config = in_cluster_config(&InClusterInputs {
        service_host: service_host.as_deref(),
        service_port: service_port.as_deref(),
        pod_namespace: pod_namespace.as_deref(),
        token: token.as_deref(),
        ca_crt: ca_crt.as_deref(),
        namespace_file: namespace_file.as_deref(),
    })
    .map_err(|e| kubeopen_error(KubeopenErrorCode::NotInCluster, &e.to_string(), &[]))?;
    json(&config)
}

fn server_error(e: &ProxyUrlError) -> JsValue {
    let ProxyUrlError::Server { server, reason, at } = e;
    kubeopen_error(
        KubeopenErrorCode::InvalidServer,
        &e.to_string(),
        &[
            ("input", server.as_str().into()),
            ("rule", (*reason).into()),
            ("at", (*at as u32).into()),
        ],
    )
}

/// A service list handed in by the caller (`JSON.stringify` of it).
fn service_list(list: &str) -> Result<ServiceList, JsValue> {
    serde_json::from_str(list)
        .map_err(|e| invalid_argument(&format!("serviceList is not a ServiceList: {e}")))
}

/// `clusterInfo(serviceList, server)`.
#[wasm_bindgen(js_name = "__clusterInfo", skip_typescript)]
pub fn cluster_info_of(list: &str, server: &str) -> Result<String, JsValue> {
    json(&cluster_info(&service_list(list)?, server))
}

/// `openableEndpoints(serviceList, server)`.
#[wasm_bindgen(js_name = "__openableEndpoints", skip_typescript)]
pub fn openable_endpoints_of(list: &str, server: &str) -> Result<String, JsValue> {
    json(&openable_endpoints(&service_list(list)?, server).map_err(|e| server_error(&e))?)
}

/// `suggestEndpoints(input, endpoints, options?)`: `endpoints` is `JSON.stringify` of the list
/// (`openableEndpoints`' items, or anything with their `namespace`, `name`, `port`, `portName`
/// and `url`); `null` options take the core's defaults.
#[wasm_bindgen(js_name = "__suggestEndpoints", skip_typescript)]
pub fn suggest_endpoints_of(
    input: &str,
    endpoints: &str,
    namespace: Option<String>,
    cluster_domain: Option<String>,
    limit: Option<u32>,
    markup: Option<String>,
) -> Result<String, JsValue> {
    // Item by item from a `Value`: serde's `Vec` visitor would bring float formatting (for its
    // error messages) into the module, ~10 KB gzipped.
    let expected = "endpoints must be a list of {namespace, name, port, portName?, scheme, url}";
    let serde_json::Value::Array(items) =
        serde_json::from_str(endpoints).map_err(|e| invalid_argument(&format!("{expected}: {e}")))?
    else {
        return Err(invalid_argument(expected));
    };
    let endpoints = items
        .into_iter()
        .enumerate()
        .map(|(i, item)| {
            serde_json::from_value::<SuggestEndpoint>(item)
                .map_err(|e| invalid_argument(&format!("endpoints[{i}]: {e}")))
        })
        .collect::<Result<Vec<_>, _>>()?;
    let defaults = SuggestOptions::default();
    let markup = match markup.as_deref() {
        None | Some("text") => Markup::Text,
        Some("omnibox") => Markup::OmniboxXml,
        Some(other) => {
            return Err(invalid_argument(&format!(
                "options.markup must be \"text\" or \"omnibox\", got {other:?}"
            )));
        }
    };
    let options = SuggestOptions {
        namespace: namespace.unwrap_or(defaults.namespace),
        cluster_domain: cluster_domain.unwrap_or(defaults.cluster_domain),
        limit: limit.map_or(defaults.limit, |n| n as usize),
        markup,
    };
    json(&suggest_endpoints(input, &endpoints, &options))
}

/// The server base of a `Cluster` (checked, no trailing `/`).
#[wasm_bindgen(js_name = "__serverBase", skip_typescript)]
pub fn cluster_server(server: &str) -> Result<String, JsValue> {
    server_base(server)
        .map(str::to_owned)
        .map_err(|e| server_error(&e))
}

/// A `Cluster` method's call. `namespace` is `null` for "all" (or the default).
fn api_call<'a>(call: &str, namespace: Option<&'a str>) -> Result<ApiCall<'a>, JsValue> {
    Ok(match (call, namespace) {
        ("version", _) => ApiCall::Version,
        ("apiVersions", _) => ApiCall::ApiVersions,
        ("listNamespaces", _) => ApiCall::Namespaces,
        ("listServices", namespace) => ApiCall::Services { namespace },
        ("listPods", Some(namespace)) => ApiCall::Pods { namespace },
        ("listPods", None) => return Err(invalid_argument("listPods(namespace): the namespace is required")),
        ("listNodes", _) => ApiCall::Nodes,
        ("clusterInfo", namespace) => ApiCall::ClusterInfo { namespace },
        ("openableEndpoints", namespace) => ApiCall::OpenableEndpoints { namespace },
        _ => return Err(invalid_argument(&format!("unknown call {call:?}"))),
    })
}

/// The URL a `Cluster` method fetches.
#[wasm_bindgen(js_name = "__apiUrl", skip_typescript)]
pub fn api_url(call: &str, namespace: Option<String>, server: &str) -> Result<String, JsValue> {
    api_call(call, namespace.as_deref())?
        .url(server)
        .map_err(|e| match &e {
            CallError::Namespace { namespace, .. } => kubeopen_error(
                KubeopenErrorCode::InvalidArgument,
                &e.to_string(),
                &[("namespace", namespace.as_str().into())],
            ),
            CallError::Server(e) => server_error(e),
        })
}

fn http_error(e: &StatusError, path: &str) -> JsValue {
    let code = match e.kind() {
        ErrorKind::Unauthorized => KubeopenErrorCode::Unauthorized,
        ErrorKind::Forbidden => KubeopenErrorCode::Forbidden,
        ErrorKind::NotFound => KubeopenErrorCode::NotFound,
        ErrorKind::ServiceUnavailable => KubeopenErrorCode::ServiceUnavailable,
        ErrorKind::Http => KubeopenErrorCode::HttpError,
    };
    kubeopen_error(
        code,
        &e.message,
        &[
            ("status", e.code.into()),
            ("reason", e.reason.as_str().into()),
            ("path", path.into()),
        ],
    )
}

/// A `Cluster` method's answer: its JSON, or the error its status and body stand for.
#[wasm_bindgen(js_name = "__apiAnswer", skip_typescript)]
pub fn api_answer(
    call: &str,
    namespace: Option<String>,
    server: &str,
    status: u16,
    body: &str,
) -> Result<String, JsValue> {
    let call = api_call(call, namespace.as_deref())?;
    match read_answer(&call, server, status, body) {
        Ok(answer) => json(&answer),
        Err(ApiError::Status(e)) => Err(http_error(&e, &call.path().unwrap_or_default())),
        Err(e @ ApiError::InvalidResponse { .. }) => Err(kubeopen_error(
            KubeopenErrorCode::InvalidResponse,
            &e.to_string(),
            &[("status", status.into())],
        )),
    }
}

/// `responseError(response)`: the error a non-2xx answer stands for, or `undefined`.
#[wasm_bindgen(js_name = "__responseError", skip_typescript)]
pub fn response_error(status: u16, body: &str, path: &str) -> JsValue {
    if (200..300).contains(&status) {
        return JsValue::UNDEFINED;
    }
    http_error(&status_error(status, body), path)
}

/// The proxy URL `proxyFetch` fetches: `path` (with its query) under `target`'s prefix.
#[wasm_bindgen(js_name = "__proxyFetchUrl", skip_typescript)]
#[allow(clippy::too_many_arguments)]
pub fn proxy_fetch_url(
    server: &str,
    kind: &str,
    namespace: Option<String>,
    name: &str,
    scheme: &str,
    port: &str,
    path: &str,
) -> Result<String, JsValue> {
    let target_error =
        |e: &TargetError| kubeopen_error(KubeopenErrorCode::InvalidTarget, &e.to_string(), &[]);
    let kind = match kind {
        "service" => Kind::Service,
        "pod" => Kind::Pod,
        "node" => Kind::Node,
        other => {
            return Err(kubeopen_error(
                KubeopenErrorCode::InvalidTarget,
                &format!("target.kind must be \"service\", \"pod\" or \"node\", got {other:?}"),
                &[],
            ));
        }
    };
    let scheme = Scheme::from_segment_str(scheme).map_err(|()| {
        kubeopen_error(
            KubeopenErrorCode::InvalidTarget,
            &format!("target.scheme must be \"\", \"http\" or \"https\", got {scheme:?}"),
            &[],
        )
    })?;
    let port = match port {
        "" => None,
        p => Some(Port::parse(p).map_err(|e| target_error(&e))?),
    };
    let target = Target::new(kind, namespace.as_deref(), name)
        .map_err(|e| target_error(&e))?
        .with_scheme(scheme)
        .with_port(port);
    proxy_url(server, &target, path, Query::None).map_err(|e| server_error(&e))
}
