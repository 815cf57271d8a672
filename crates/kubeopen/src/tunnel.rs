//! Tunnel mode, sans-I/O: an HTTP request to a pod's port through the API server's
//! `pods/NAME/portforward` WebSocket, for the apps whose pages the service proxy destroys
//! (spec `apiserver-proxy.md` §3.3 step 5; design note `portforward-in-browser.md`).
//!
//! The steps, each a pure function here; the caller only moves bytes:
//! 1. which pod and port: [`endpoints::select_endpoint`] over the service and its EndpointSlices
//!    ([`service_path`], [`endpoint_slices_path`]), or [`endpoints::pod_port`] for a pod;
//! 2. the WebSocket: [`portforward_url`] with the subprotocols of
//!    [`crate::auth::websocket_protocols`];
//! 3. the request: [`request::Request::write_head`], sent through [`channel::encode`];
//! 4. the answer: server messages through [`channel::ChannelDecoder`], the data bytes through
//!    [`response::ResponseParser`]; bytes on the error channel mean the forward failed.
//!
//! ```
//! use kubeopen::tunnel::{endpoint_slices_path, portforward_url};
//!
//! assert_eq!(
//!     endpoint_slices_path("demo", "identity")?,
//!     "/apis/discovery.k8s.io/v1/namespaces/demo/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3Didentity",
//! );
//! assert_eq!(
//!     portforward_url("https://10.0.0.1:6443/k8s/", "demo", "identity-0", 80)?,
//!     "wss://10.0.0.1:6443/k8s/api/v1/namespaces/demo/pods/identity-0/portforward?ports=80",
//! );
//! # Ok::<(), kubeopen::tunnel::PathError>(())
//! ```

pub mod channel;
pub mod endpoints;
pub mod request;
pub mod response;

use crate::proxy_url::{ProxyUrlError, server_base};
use crate::validation::{Rule, Violation};

/// Why a request path cannot be built.
///
/// ```
/// let err = kubeopen::tunnel::service_path("demo", "a/b").unwrap_err();
/// assert!(err.to_string().starts_with("invalid service name \"a/b\":"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum PathError {
    /// A namespace, service or pod name Kubernetes would refuse (and that could change the path).
    #[error("invalid {what} {name:?}: {violation}")]
    Name {
        /// `namespace`, `service name` or `pod name`.
        what: &'static str,
        /// The name as given.
        name: String,
        /// The rule it breaks.
        violation: Violation,
    },
    /// Port 0.
    #[error("port 0 cannot be forwarded")]
    PortZero,
    /// The server base is not usable.
    #[error(transparent)]
    Server(#[from] ProxyUrlError),
}

fn checked<'a>(rule: Rule, what: &'static str, name: &'a str) -> Result<&'a str, PathError> {
    rule.check(name).map_err(|violation| PathError::Name {
        what,
        name: name.to_owned(),
        violation,
    })?;
    Ok(name)
}

/// `GET` of one service: `/api/v1/namespaces/NS/services/NAME`.
///
/// ```
/// assert_eq!(kubeopen::tunnel::service_path("demo", "web")?, "/api/v1/namespaces/demo/services/web");
/// # Ok::<(), kubeopen::tunnel::PathError>(())
/// ```
pub fn service_path(namespace: &str, name: &str) -> Result<String, PathError> {
    let namespace = checked(Rule::Dns1123Label, "namespace", namespace)?;
    let name = checked(Rule::Dns1035Label, "service name", name)?;
    Ok(format!("/api/v1/namespaces/{namespace}/services/{name}"))
}

/// `GET` of one pod: `/api/v1/namespaces/NS/pods/NAME`.
///
/// ```
/// assert_eq!(kubeopen::tunnel::pod_path("demo", "web-0")?, "/api/v1/namespaces/demo/pods/web-0");
/// # Ok::<(), kubeopen::tunnel::PathError>(())
/// ```
pub fn pod_path(namespace: &str, name: &str) -> Result<String, PathError> {
    let namespace = checked(Rule::Dns1123Label, "namespace", namespace)?;
    let name = checked(Rule::Dns1123Subdomain, "pod name", name)?;
    Ok(format!("/api/v1/namespaces/{namespace}/pods/{name}"))
}

/// The EndpointSlices of a service: `list` in `discovery.k8s.io/v1` with the label selector
/// `kubernetes.io/service-name=NAME`, form-encoded as client-go writes it.
pub fn endpoint_slices_path(namespace: &str, service: &str) -> Result<String, PathError> {
    let namespace = checked(Rule::Dns1123Label, "namespace", namespace)?;
    let service = checked(Rule::Dns1035Label, "service name", service)?;
    Ok(format!(
        "/apis/discovery.k8s.io/v1/namespaces/{namespace}/endpointslices?labelSelector=kubernetes.io%2Fservice-name%3D{service}"
    ))
}

/// The portforward WebSocket URL on `server` (its path prefix kept; `http` → `ws`, `https` →
/// `wss`): `…/api/v1/namespaces/NS/pods/POD/portforward?ports=PORT`.
pub fn portforward_url(server: &str, namespace: &str, pod: &str, port: u16) -> Result<String, PathError> {
    if port == 0 {
        return Err(PathError::PortZero);
    }
    let base = server_base(server)?;
    let path = pod_path(namespace, pod)?;
    // `server_base` accepts only http and https URLs.
    let ws = match base.strip_prefix("https") {
        Some(rest) => format!("wss{rest}"),
        None => format!("ws{}", base.strip_prefix("http").unwrap_or(base)),
    };
    Ok(format!("{ws}{path}/portforward?ports={port}"))
}

/// The same address over plain HTTP(S): a `GET` there is authorized like the WebSocket's
/// handshake, and its error answer can be read (a browser hides a failed handshake's status).
///
/// ```
/// assert_eq!(
///     kubeopen::tunnel::portforward_http_url("https://k:6443", "demo", "web-0", 80)?,
///     "https://k:6443/api/v1/namespaces/demo/pods/web-0/portforward?ports=80",
/// );
/// # Ok::<(), kubeopen::tunnel::PathError>(())
/// ```
pub fn portforward_http_url(
    server: &str,
    namespace: &str,
    pod: &str,
    port: u16,
) -> Result<String, PathError> {
    if port == 0 {
        return Err(PathError::PortZero);
    }
    let base = server_base(server)?;
    Ok(format!(
        "{base}{}/portforward?ports={port}",
        pod_path(namespace, pod)?
    ))
}

/// The permission a 403 `Status.message` names (`… cannot create resource "pods/portforward" …`
/// → `create pods/portforward`), for telling the user what to ask for.
///
/// ```
/// let m = r#"pods "web-0" is forbidden: User "bob" cannot create resource "pods/portforward" in API group "" in the namespace "demo""#;
/// assert_eq!(kubeopen::tunnel::forbidden_permission(m).as_deref(), Some("create pods/portforward"));
/// assert_eq!(kubeopen::tunnel::forbidden_permission("forbidden"), None);
/// ```
pub fn forbidden_permission(message: &str) -> Option<String> {
    let rest = &message[message.find(" cannot ")? + 8..];
    let (verb, rest) = rest.split_once(' ')?;
    let rest = rest.strip_prefix("resource \"")?;
    let resource = &rest[..rest.find('"')?];
    let ok = |s: &str| {
        !s.is_empty()
            && s.bytes()
                .all(|b| b.is_ascii_alphanumeric() || b"/-.".contains(&b))
    };
    (ok(verb) && ok(resource)).then(|| format!("{verb} {resource}"))
}

/// The permission a 403 answer to a portforward request says is missing: the one its message
/// names (the authorizer's `get` check), else `create pods/portforward` — kube-apiserver's
/// second, synthetic `create` check (1.35+, `AuthorizePodWebsocketUpgradeCreatePermission`)
/// answers `pods "NAME" is forbidden: ` with no reason.
///
/// ```
/// use kubeopen::tunnel::portforward_forbidden_permission;
/// assert_eq!(portforward_forbidden_permission(r#"pods "web-0" is forbidden: "#), "create pods/portforward");
/// let m = r#"pods "web-0" is forbidden: User "bob" cannot get resource "pods/portforward" in API group "" in the namespace "demo""#;
/// assert_eq!(portforward_forbidden_permission(m), "get pods/portforward");
/// ```
pub fn portforward_forbidden_permission(message: &str) -> String {
    forbidden_permission(message).unwrap_or_else(|| "create pods/portforward".to_owned())
}

/// The HTTP/1.1 request head for `path` (with its query) of `target`, sent to `port` of the pod
/// through the tunnel. The path is placed and cleaned exactly as for a proxy URL, so the pod sees
/// the request the service proxy would have sent, with the same `X-Forwarded-Uri` (the proxy
/// prefix and the backend path; kube-apiserver sends no `X-Forwarded-Host`/`-Proto`, so neither
/// does this). `Host` is `localhost:PORT`: the connection lands on the pod's loopback, as with
/// `kubectl port-forward`. `Accept-Encoding: identity` unless the caller says otherwise.
///
/// ```
/// use kubeopen::target::{Port, Target};
/// let t = Target::service("demo", "identity")?.with_port(Some(Port::parse("http")?));
/// let head = kubeopen::tunnel::http_request(&t, "app/../page 2.html?x=1#top", 8080, "GET", &[], None)?;
/// assert_eq!(
///     String::from_utf8(head).unwrap(),
///     "GET /page%202.html?x=1 HTTP/1.1\r\nHost: localhost:8080\r\nAccept-Encoding: identity\r\n\
///      X-Forwarded-Uri: /api/v1/namespaces/demo/services/identity:http/proxy/page%202.html\r\nConnection: close\r\n\r\n",
/// );
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn http_request(
    target: &crate::target::Target,
    path: &str,
    port: u16,
    method: &str,
    headers: &[(String, String)],
    body_length: Option<u64>,
) -> Result<Vec<u8>, request::RequestError> {
    const ORIGIN: &str = "http://h";
    let prefix = crate::proxy_url::proxy_path(target);
    // The server is a constant that parses; the path cannot fail (it is escaped as needed).
    let url = crate::proxy_url::proxy_url(ORIGIN, target, path, crate::proxy_url::Query::None)
        .unwrap_or_else(|_| format!("{ORIGIN}{prefix}"));
    let rest = url.get(ORIGIN.len() + prefix.len() - 1..).unwrap_or("/");
    let rest = rest.split('#').next().unwrap_or(rest);
    let backend_path = rest.split('?').next().unwrap_or(rest);
    let mut all: Vec<(String, String)> = Vec::with_capacity(headers.len() + 2);
    if !headers
        .iter()
        .any(|(n, _)| n.eq_ignore_ascii_case("accept-encoding"))
    {
        all.push(("Accept-Encoding".to_owned(), "identity".to_owned()));
    }
    all.extend(
        headers
            .iter()
            .filter(|(n, _)| !n.eq_ignore_ascii_case("x-forwarded-uri"))
            .cloned(),
    );
    all.push((
        "X-Forwarded-Uri".to_owned(),
        format!("{}{backend_path}", &prefix[..prefix.len() - 1]),
    ));
    request::Request {
        method: method.to_owned(),
        target: rest.to_owned(),
        host: format!("localhost:{port}"),
        headers: all,
        body_length,
    }
    .write_head()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn urls_keep_the_base_path_and_switch_the_scheme() {
        assert_eq!(
            portforward_url("http://127.0.0.1:6443", "demo", "p", 8080).unwrap(),
            "ws://127.0.0.1:6443/api/v1/namespaces/demo/pods/p/portforward?ports=8080"
        );
        assert_eq!(
            portforward_url("https://rancher.example/k8s/clusters/c-1", "a", "b.c", 1).unwrap(),
            "wss://rancher.example/k8s/clusters/c-1/api/v1/namespaces/a/pods/b.c/portforward?ports=1"
        );
        assert_eq!(portforward_url("http://h", "a", "b", 0), Err(PathError::PortZero));
        assert!(matches!(
            portforward_url("ftp://h", "a", "b", 1),
            Err(PathError::Server(_))
        ));
        for bad in ["", "a/b", "..", "A", "a?x"] {
            assert!(portforward_url("http://h", bad, "b", 1).is_err(), "{bad:?}");
            assert!(portforward_url("http://h", "a", bad, 1).is_err(), "{bad:?}");
            assert!(endpoint_slices_path("a", bad).is_err(), "{bad:?}");
        }
    }

    #[test]
    fn forbidden_messages_name_the_permission() {
        let m = r#"pods "web-0" is forbidden: User "system:serviceaccount:demo:viewer" cannot get resource "pods/portforward" in API group "" in the namespace "demo""#;
        assert_eq!(forbidden_permission(m).as_deref(), Some("get pods/portforward"));
        assert_eq!(
            forbidden_permission(r#"x cannot get resource "a"b"#).as_deref(),
            Some("get a")
        );
        assert_eq!(forbidden_permission(r#"x cannot get resource "<script>""#), None);
        assert_eq!(forbidden_permission(" cannot "), None);
    }
}
