//! The HTTP/1.1 listener (plain or TLS), authentication, request info and routing.

use std::borrow::Cow;
use std::collections::HashMap;
use std::convert::Infallible;
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::SystemTime;

use bytes::Bytes;
use http_body_util::{BodyExt, Full, combinators::BoxBody};
use hyper::body::Incoming;
use hyper::header::{ACCEPT, AUTHORIZATION, CONTENT_TYPE, HeaderValue, SEC_WEBSOCKET_PROTOCOL};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpListener;

use crate::api::{self, Kind};
use crate::auth::{Attributes, Auth};
use crate::fixture::Cluster;
use crate::gourl;
use crate::paths;
use crate::proxy;

/// Boxed error for bodies.
pub type BoxError = Box<dyn std::error::Error + Send + Sync>;
/// The response body type used everywhere.
pub type Body = BoxBody<Bytes, BoxError>;

/// A complete body.
pub fn full(b: impl Into<Bytes>) -> Body {
    Full::new(b.into()).map_err(|never| match never {}).boxed()
}

/// Everything a request handler needs.
pub struct State {
    /// The cluster.
    pub cluster: Cluster,
    /// Fixture IP → loopback address to dial.
    pub net: HashMap<IpAddr, IpAddr>,
    /// Authn/authz.
    pub auth: Auth,
    /// Log proxied requests.
    pub verbose: bool,
    /// Forward the query string on upgrades (the fix proposed in kubernetes PR #139292).
    pub fix_upgrade_query: bool,
    /// `--cors-allowed-origins` (kube-apiserver's CORS filter; empty: not installed).
    pub cors: crate::cors::Cors,
    /// `--www-dir`: static files served before authentication, like `kubectl proxy --www`.
    pub www: Option<crate::www::Www>,
    /// When the sandbox started (creationTimestamp of every object).
    pub started: SystemTime,
    /// TLS client for `https` backends (no verification, like the API server's proxy transport).
    pub tls_client: Arc<rustls::ClientConfig>,
    /// Pooled keep-alive client for plain-HTTP backends (Go's transport pools too).
    pub pool: crate::pool::Pool,
}

/// Serves until Ctrl-C (SIGINT) or SIGTERM.
pub async fn serve(
    listener: TcpListener,
    state: Arc<State>,
    tls: Option<tokio_rustls::TlsAcceptor>,
) -> std::io::Result<()> {
    let local = listener.local_addr()?;
    let scheme = if tls.is_some() { "https" } else { "http" };
    println!("kubeopen-sandbox listening on {scheme}://{local}");
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => { eprintln!("kubeopen-sandbox: accept: {e}"); continue; }
                };
                // Go's net package sets TCP_NODELAY on every TCP connection; so do we.
                let _ = stream.set_nodelay(true);
                let state = state.clone();
                let tls = tls.clone();
                tokio::spawn(async move {
                    match tls {
                        Some(acc) => match acc.accept(stream).await {
                            Ok(s) => serve_conn(s, state, local, peer).await,
                            Err(e) => if state.verbose { eprintln!("kubeopen-sandbox: TLS handshake with {peer}: {e}"); }
                        },
                        None => serve_conn(stream, state, local, peer).await,
                    }
                });
            }
            () = &mut shutdown => {
                println!("kubeopen-sandbox: stopping");
                return Ok(());
            }
        }
    }
}

async fn serve_conn<S>(io: S, state: Arc<State>, local: SocketAddr, peer: SocketAddr)
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    // The client's address as `X-Forwarded-For` writes it, formatted once per connection.
    let peer_ip = HeaderValue::from_str(&peer.ip().to_string()).unwrap_or(HeaderValue::from_static(""));
    let abort = Arc::new(tokio::sync::Notify::new());
    let aborted = abort.clone();
    let service = service_fn(move |req| {
        let state = state.clone();
        let conn = Conn {
            local,
            peer_ip: peer_ip.clone(),
            abort: abort.clone(),
        };
        async move {
            // The CORS filter wraps everything, authentication included (`DefaultBuildHandlerChain`).
            let Some(origin) = state.cors.allowed(req.headers()) else {
                return Ok::<_, Infallible>(handle(req, state, conn).await);
            };
            if let Some(preflight) = crate::cors::preflight(req.method(), &origin) {
                return Ok(preflight);
            }
            let mut response = handle(req, state, conn).await;
            crate::cors::add_headers(response.headers_mut(), &origin);
            Ok(response)
        }
    });
    // Client hang-ups are normal; nothing to report. An aborted handler drops the connection
    // (and whatever it had not written) at once.
    let connection = http1::Builder::new()
        .serve_connection(TokioIo::new(io), service)
        .with_upgrades();
    tokio::select! {
        _ = connection => {}
        () = aborted.notified() => {}
    }
}

fn plain(code: StatusCode, text: &'static str) -> Response<Body> {
    let mut r = Response::new(full(text));
    *r.status_mut() = code;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

/// The verb kube-apiserver derives from the method.
fn verb_for(method: &Method, has_name: bool) -> &'static str {
    match *method {
        Method::GET | Method::HEAD => {
            if has_name {
                "get"
            } else {
                "list"
            }
        }
        Method::POST => "create",
        Method::PUT => "update",
        Method::PATCH => "patch",
        Method::DELETE => "delete",
        _ => "",
    }
}

/// `content.IsPathSegmentName`.
fn path_segment_name_problem(name: &str) -> Option<&'static str> {
    match name {
        "." => Some("may not be '.'"),
        ".." => Some("may not be '..'"),
        _ if name.contains('/') => Some("may not contain '/'"),
        _ if name.contains('%') => Some("may not contain '%'"),
        _ => None,
    }
}

/// The client connection a request came on.
#[derive(Clone)]
pub struct Conn {
    /// The sandbox's own address (Host fallback, discovery).
    pub local: SocketAddr,
    /// `peer`'s IP as a header value (`X-Forwarded-For`).
    pub peer_ip: HeaderValue,
    /// Closes the connection (see [`Conn::abort`]).
    pub abort: Arc<tokio::sync::Notify>,
}

impl Conn {
    /// `panic(http.ErrAbortHandler)` in a Go HTTP/1.1 server before anything was flushed:
    /// `conn.serve`'s deferred recover closes the connection, and `finalFlush` has nothing to
    /// send, because the response head still sits in the response's own buffer
    /// (`response.w`), which only `finishRequest` or a `Flush` would have written. The client
    /// gets no byte of this response. Never returns: the connection task drops this future.
    pub async fn abort(&self) -> Response<Body> {
        self.abort.notify_one();
        std::future::pending().await
    }
}

async fn handle(mut req: Request<Incoming>, state: Arc<State>, conn: Conn) -> Response<Body> {
    let local = conn.local;
    if let Some(www) = &state.www
        && let Some(r) = www.serve(req.method(), req.uri().path()).await
    {
        return r;
    }
    // Go's server refuses a request target whose escapes do not decode.
    let Ok(decoded) = gourl::unescape(req.uri().path()) else {
        return plain(StatusCode::BAD_REQUEST, "400 Bad Request");
    };
    let auth_header = req.headers().get(AUTHORIZATION).and_then(|v| v.to_str().ok());
    // kube-apiserver's union of token authenticators: the header, then (WebSockets only) the
    // `base64url.bearer.authorization.k8s.io.` subprotocol.
    let user = match state.auth.authenticate(auth_header) {
        Ok(u) => u,
        Err(()) => match protocol_user(&state, &mut req) {
            Some(u) => Some(u),
            None => {
                return api::status(StatusCode::UNAUTHORIZED, "Unauthorized", "Unauthorized", None);
            }
        },
    };
    // The authentication filter deletes the header: backends never see the caller's token.
    req.headers_mut().remove(AUTHORIZATION);
    let path = String::from_utf8_lossy(&decoded);

    if api::is_discovery_path(&path) {
        let verb = if req.method() == Method::HEAD {
            "head"
        } else {
            "get"
        };
        let attrs = Attributes {
            verb,
            resource: None,
            group: "",
            namespace: "",
            name: None,
            path: &path,
        };
        if let Err(msg) = state.auth.authorize(user.as_ref(), &attrs) {
            return forbidden(&msg, None, None, "");
        }
        if req.method() != Method::GET && req.method() != Method::HEAD {
            return api::method_not_allowed();
        }
        if let Some(r) = api::discovery(&path, local) {
            return r;
        }
    }

    // requestinfo.go: trim '/' at both ends, split on '/', keep empty and dot segments.
    let (group, ap) = if let Some(ap) = paths::split_api_path(&decoded) {
        ("", ap)
    } else if let Some((b"discovery.k8s.io", b"v1", ap)) = paths::split_group_path(&decoded) {
        ("discovery.k8s.io", ap)
    } else {
        return api::no_such_path();
    };
    let namespace = ap.namespace.map(String::from_utf8_lossy);
    let resource = String::from_utf8_lossy(ap.resource);
    let name = ap.name.map(String::from_utf8_lossy);
    let subresource = ap.subresource.map(String::from_utf8_lossy);
    let Some(kind) = Kind::from_resource(group, &resource) else {
        return api::no_such_path();
    };
    // `namespaces/{name}` is the namespace itself.
    let ns_for_scope = if kind == Kind::Namespaces {
        None
    } else {
        namespace.clone()
    };
    if kind.cluster_scoped() && ns_for_scope.is_some() {
        return api::no_such_path();
    }
    if !kind.cluster_scoped() && ns_for_scope.is_none() && name.is_some() {
        return api::no_such_path();
    }
    let verb = verb_for(req.method(), name.is_some());
    // Only the rules look at "services/proxy"; no need to build it without them.
    let full_resource = match &subresource {
        Some(s) if state.auth.has_rules() => Cow::Owned(format!("{resource}/{s}")),
        _ => Cow::Borrowed(resource.as_ref()),
    };
    let attrs = Attributes {
        verb,
        resource: Some(full_resource.as_ref()),
        group,
        namespace: namespace.as_deref().unwrap_or(""),
        name: name.as_deref(),
        path: &path,
    };
    if let Err(msg) = state.auth.authorize(user.as_ref(), &attrs) {
        return forbidden(&msg, name.as_deref(), Some(resource.as_ref()), group);
    }
    if let Some(n) = &name
        && let Some(problem) = path_segment_name_problem(n)
    {
        return api::bad_request(&format!("Name parameter invalid: \"{n}\": {problem}"));
    }

    match subresource.as_deref() {
        Some("proxy") if matches!(kind, Kind::Services | Kind::Pods | Kind::Nodes) => {
            let Some(id) = name.map(Cow::into_owned) else {
                return api::no_such_path();
            };
            let paths = paths::ProxyPaths::new(&decoded, ap.rest);
            let p = proxy::ProxyRequest {
                kind,
                namespace: ns_for_scope.map(Cow::into_owned).unwrap_or_default(),
                id,
                paths,
                decoded_path: decoded,
                conn,
            };
            proxy::handle(state, req, p).await
        }
        Some("portforward") if kind == Kind::Pods => {
            let (Some(ns), Some(name)) = (ns_for_scope.as_deref(), name.as_deref()) else {
                return api::no_such_path();
            };
            let pf = crate::portforward::PortForward {
                namespace: ns,
                name,
                user: user.as_ref(),
                path: &path,
            };
            crate::portforward::handle(state.clone(), req, pf).await
        }
        Some(_) => api::no_such_path(),
        None => {
            if req.method() != Method::GET && req.method() != Method::HEAD {
                return api::method_not_allowed();
            }
            let accept = req
                .headers()
                .get(ACCEPT)
                .and_then(|v| v.to_str().ok())
                .unwrap_or("");
            let query = req.uri().query().unwrap_or("");
            api::read(
                &state.cluster,
                state.started,
                &api::Read {
                    kind,
                    namespace: ns_for_scope.as_deref(),
                    name: name.as_deref(),
                    query,
                    accept,
                },
            )
        }
    }
}

fn forbidden(msg: &str, name: Option<&str>, kind: Option<&str>, group: &str) -> Response<Body> {
    let details = kind.map(|k| {
        let mut d = serde_json::Map::new();
        if let Some(n) = name {
            d.insert("name".into(), serde_json::json!(n));
        }
        if !group.is_empty() {
            d.insert("group".into(), serde_json::json!(group));
        }
        d.insert("kind".into(), serde_json::json!(k));
        serde_json::Value::Object(d)
    });
    api::status(StatusCode::FORBIDDEN, "Forbidden", msg, details)
}

/// The WebSocket subprotocol authenticator: on success the token entry is removed from
/// `Sec-WebSocket-Protocol` (the backend sees only the others).
fn protocol_user(state: &State, req: &mut Request<Incoming>) -> Option<crate::auth::User> {
    if !crate::portforward::is_websocket_request(req.headers()) {
        return None;
    }
    let values = req
        .headers()
        .get_all(SEC_WEBSOCKET_PROTOCOL)
        .iter()
        .filter_map(|v| v.to_str().ok());
    let crate::auth::ProtocolToken::Token { token, filtered } = crate::auth::protocol_token(values) else {
        return None;
    };
    let user = state.auth.authenticate_token(&token).ok()??;
    match HeaderValue::from_str(&filtered) {
        Ok(v) => {
            req.headers_mut().insert(SEC_WEBSOCKET_PROTOCOL, v);
        }
        Err(_) => {
            req.headers_mut().remove(SEC_WEBSOCKET_PROTOCOL);
        }
    }
    Some(user)
}

async fn shutdown_signal() {
    #[cfg(unix)]
    {
        use tokio::signal::unix::{SignalKind, signal};
        match signal(SignalKind::terminate()) {
            Ok(mut term) => {
                tokio::select! {
                    _ = tokio::signal::ctrl_c() => {}
                    _ = term.recv() => {}
                }
            }
            Err(_) => {
                let _ = tokio::signal::ctrl_c().await;
            }
        }
    }
    #[cfg(not(unix))]
    {
        let _ = tokio::signal::ctrl_c().await;
    }
}
