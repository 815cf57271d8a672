//! The `proxy` subresources: target resolution (spec §2.2–§2.4), path handling (§4.1), the
//! link-rewriting transport (§3) and upgrades (§4.3).

use std::io::{Read as _, Write as _};
use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Instant;

use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::{Frame, Incoming};
use hyper::header::{
    ACCEPT_ENCODING, ACCESS_CONTROL_ALLOW_CREDENTIALS, ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS, ACCESS_CONTROL_ALLOW_ORIGIN, CACHE_CONTROL, CONNECTION, CONTENT_ENCODING,
    CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderName, HeaderValue, LOCATION, PROXY_AUTHENTICATE,
    PROXY_AUTHORIZATION, RANGE, TE, TRAILER, TRANSFER_ENCODING, UPGRADE,
};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use kubeopen::segment::{Scheme, Segment};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::api::{self, Kind};
use crate::gourl::{self, Rewriter};
use crate::paths::ProxyPaths;
use crate::server::{Body, BoxError, Conn, State, full};

/// A request for `…/{kind}/{id}/proxy[/rest…]`.
pub struct ProxyRequest {
    /// services, pods or nodes.
    pub kind: Kind,
    /// Namespace (`""` for nodes).
    pub namespace: String,
    /// The whole `{name}` segment (`https:web:8443`).
    pub id: String,
    /// The backend path and friends, from the decoded segments after `proxy`.
    pub paths: ProxyPaths,
    /// The whole decoded request path.
    pub decoded_path: Vec<u8>,
    /// The client connection (`X-Forwarded-For`, Host fallback).
    pub conn: Conn,
}

/// A resolved backend.
#[derive(Debug, Clone)]
pub struct Location {
    /// `http` or `https`.
    pub scheme: &'static str,
    /// URL host as the API server would write it (cluster address).
    pub host: String,
    /// Where the sandbox actually connects.
    pub dial: SocketAddr,
}

fn scheme_str(s: Option<Scheme>) -> &'static str {
    match s {
        Some(Scheme::Https) => "https",
        _ => "http",
    }
}

fn join_host_port(ip: &str, port: &str) -> String {
    if ip.contains(':') {
        format!("[{ip}]:{port}")
    } else {
        format!("{ip}:{port}")
    }
}

/// Go's `net.IP.IsGlobalUnicast`.
fn is_global_unicast(ip: IpAddr) -> bool {
    match ip {
        IpAddr::V4(v) => {
            !(v.is_unspecified()
                || v.is_loopback()
                || v.is_multicast()
                || v.is_link_local()
                || v.is_broadcast())
        }
        IpAddr::V6(v) => {
            !(v.is_unspecified()
                || v.is_loopback()
                || v.is_multicast()
                || (v.segments()[0] & 0xffc0) == 0xfe80)
        }
    }
}

fn dial_for(state: &State, ip: IpAddr, port: u16) -> SocketAddr {
    SocketAddr::new(state.net.get(&ip).copied().unwrap_or(ip), port)
}

/// Turns a port string into a dial port; non-numeric ports fail at dial time, as upstream.
fn port_num(p: &str) -> Option<u16> {
    p.parse::<u16>().ok()
}

/// Resolution result: a location, or the error response kube-apiserver gives.
#[allow(clippy::result_large_err)] // the error *is* the HTTP response; built once per request
type Resolved = Result<(Location, Option<String>), Response<Body>>;

#[allow(clippy::result_large_err)]
fn resolve_service(state: &State, ns: &str, id: &str) -> Resolved {
    let Ok(seg) = Segment::parse(id) else {
        return Err(api::bad_request(&format!("invalid service request \"{id}\"")));
    };
    let c = &state.cluster;
    let name = seg.name.as_str();
    let mut port = seg.port.clone();
    // strconv.ParseInt(port, 10, 64): "+80" and "080" count as numbers.
    if let Ok(n) = port.parse::<i64>() {
        let Some(svc) = c
            .services
            .iter()
            .find(|s| s.meta.namespace == ns && s.meta.name == name)
        else {
            return Err(api::not_found("services", name));
        };
        match svc.ports.iter().find(|p| i64::from(p.port) == n) {
            Some(p) => port.clone_from(&p.name),
            None => {
                return Err(api::unavailable(&format!(
                    "no service port {n} found for service \"{name}\""
                )));
            }
        }
    }
    let Some(eps) = c
        .endpoints
        .iter()
        .find(|e| e.meta.namespace == ns && e.meta.name == name)
    else {
        return Err(api::not_found("endpoints", name));
    };
    if eps.subsets.is_empty() {
        return Err(api::unavailable(&format!(
            "no endpoints available for service \"{name}\""
        )));
    }
    let n = eps.subsets.len();
    let start = random_below(n);
    for k in 0..n {
        let ss = &eps.subsets[(start + k) % n];
        if ss.addresses.is_empty() {
            continue;
        }
        for ep_port in ss.ports.iter().filter(|p| p.name == port) {
            let m = ss.addresses.len();
            let a0 = random_below(m);
            for j in 0..m {
                let addr = &ss.addresses[(a0 + j) % m];
                let Some((kind, rns, rname)) = &addr.target_ref else {
                    continue;
                };
                if kind != "Pod" || rns != ns {
                    continue;
                }
                let Some(pod) = c
                    .pods
                    .iter()
                    .find(|p| p.meta.namespace == ns && &p.meta.name == rname)
                else {
                    continue;
                };
                if !pod.pod_ips.contains(&addr.ip) {
                    continue;
                }
                let Ok(ip) = addr.ip.parse::<IpAddr>() else {
                    continue;
                };
                return Ok((
                    Location {
                        scheme: scheme_str(seg.scheme),
                        host: if addr.ip.contains(':') {
                            format!("[{}]:{}", addr.ip, ep_port.port)
                        } else {
                            format!("{}:{}", addr.ip, ep_port.port)
                        },
                        dial: dial_for(state, ip, ep_port.port),
                    },
                    None,
                ));
            }
        }
    }
    Err(api::unavailable(&format!(
        "no endpoints available for service \"{id}\""
    )))
}

#[allow(clippy::result_large_err)]
fn resolve_pod(state: &State, ns: &str, id: &str) -> Resolved {
    let Ok(seg) = Segment::parse(id) else {
        return Err(api::bad_request(&format!("invalid pod request \"{id}\"")));
    };
    let Some(pod) = state
        .cluster
        .pods
        .iter()
        .find(|p| p.meta.namespace == ns && p.meta.name == seg.name)
    else {
        return Err(api::not_found("pods", &seg.name));
    };
    let mut port = seg.port.clone();
    if port.is_empty()
        && let Some(cp) = pod.containers.iter().find_map(|k| k.ports.first())
    {
        port = cp.container_port.to_string();
    }
    let ip = pod
        .pod_ips
        .first()
        .and_then(|s| s.parse::<IpAddr>().ok())
        .filter(|ip| is_global_unicast(*ip));
    let Some(ip) = ip else {
        return Err(api::bad_request("address not allowed"));
    };
    let ip_s = ip.to_string();
    let host = if port.is_empty() {
        if ip.is_ipv6() { format!("[{ip_s}]") } else { ip_s }
    } else {
        join_host_port(&ip_s, &port)
    };
    let scheme = scheme_str(seg.scheme);
    let default_port = if scheme == "https" { 443 } else { 80 };
    let dial_port = if port.is_empty() {
        Some(default_port)
    } else {
        port_num(&port)
    };
    let dial = dial_for(state, ip, dial_port.unwrap_or(0));
    let dial_error = dial_port
        .is_none()
        .then(|| format!("dial tcp: address {host}: invalid port"));
    Ok((Location { scheme, host, dial }, dial_error))
}

#[allow(clippy::result_large_err)]
async fn resolve_node(state: &State, id: &str) -> Resolved {
    let Ok(seg) = Segment::parse(id) else {
        return Err(api::bad_request(&format!("invalid node request \"{id}\"")));
    };
    let Some(node) = state.cluster.nodes.iter().find(|n| n.meta.name == seg.name) else {
        return Err(api::not_found("nodes", &seg.name));
    };
    let order = [
        "Hostname",
        "InternalDNS",
        "InternalIP",
        "ExternalDNS",
        "ExternalIP",
    ];
    let Some(hostname) = order
        .iter()
        .find_map(|t| node.addresses.iter().find(|a| a.kind == *t))
        .map(|a| a.address.clone())
    else {
        return Err(api::bad_request(
            "no preferred addresses found; known addresses: []",
        ));
    };
    let kubelet_port = if node.kubelet_port > 0 {
        node.kubelet_port
    } else {
        10250
    };
    // isProxyableHostname: resolve, every address must be global unicast.
    let ips: Vec<IpAddr> = match hostname.parse::<IpAddr>() {
        Ok(ip) => vec![ip],
        Err(_) => match tokio::net::lookup_host((hostname.as_str(), 0)).await {
            Ok(it) => it.map(|a| a.ip()).collect(),
            Err(_) => Vec::new(),
        },
    };
    if ips.is_empty() {
        return Err(api::bad_request("no addresses for hostname"));
    }
    if !ips.iter().all(|ip| is_global_unicast(*ip)) {
        return Err(api::bad_request("address not allowed"));
    }
    let ip = ips[0];
    let kp = kubelet_port.to_string();
    if seg.port.is_empty() || seg.port == kp {
        // The kubelet connection: always https; the requested scheme is ignored.
        return Ok((
            Location {
                scheme: "https",
                host: join_host_port(&hostname, &kp),
                dial: dial_for(state, ip, kubelet_port),
            },
            None,
        ));
    }
    let host = join_host_port(&hostname, &seg.port);
    let dial_port = port_num(&seg.port);
    Ok((
        Location {
            scheme: scheme_str(seg.scheme),
            host: host.clone(),
            dial: dial_for(state, ip, dial_port.unwrap_or(0)),
        },
        dial_port
            .is_none()
            .then(|| format!("dial tcp: address {host}: invalid port")),
    ))
}

fn random_below(n: usize) -> usize {
    if n <= 1 {
        return 0;
    }
    let nanos = std::time::SystemTime::now()
        .duration_since(std::time::UNIX_EPOCH)
        .map_or(0, |d| d.subsec_nanos());
    usize::try_from(nanos).unwrap_or(0) % n
}

const PROXY_METHODS: [Method; 7] = [
    Method::GET,
    Method::POST,
    Method::PUT,
    Method::PATCH,
    Method::DELETE,
    Method::HEAD,
    Method::OPTIONS,
];

/// Go ReverseProxy's hop-by-hop headers.
const HOP_BY_HOP: [HeaderName; 9] = [
    CONNECTION,
    HeaderName::from_static("proxy-connection"),
    HeaderName::from_static("keep-alive"),
    PROXY_AUTHENTICATE,
    PROXY_AUTHORIZATION,
    TE,
    TRAILER,
    TRANSFER_ENCODING,
    UPGRADE,
];

const CORS: [HeaderName; 4] = [
    ACCESS_CONTROL_ALLOW_CREDENTIALS,
    ACCESS_CONTROL_ALLOW_HEADERS,
    ACCESS_CONTROL_ALLOW_METHODS,
    ACCESS_CONTROL_ALLOW_ORIGIN,
];

const X_FORWARDED_FOR: HeaderName = HeaderName::from_static("x-forwarded-for");
const X_FORWARDED_URI: HeaderName = HeaderName::from_static("x-forwarded-uri");

fn remove_hop_by_hop(h: &mut HeaderMap) {
    if h.contains_key(CONNECTION) {
        let listed: Vec<String> = h
            .get_all(CONNECTION)
            .iter()
            .filter_map(|v| v.to_str().ok())
            .flat_map(|v| v.split(','))
            .map(|s| s.trim().to_ascii_lowercase())
            .filter(|s| !s.is_empty())
            .collect();
        for name in listed {
            h.remove(name.as_str());
        }
    }
    // Usually none is there: one pass over the (few) names instead of nine lookups.
    if h.keys().any(|k| HOP_BY_HOP.contains(k)) {
        for name in &HOP_BY_HOP {
            h.remove(name);
        }
    }
}

fn is_upgrade_request(h: &HeaderMap) -> bool {
    h.get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("upgrade"))
}

/// Appends the client's IP to `X-Forwarded-For` (one header, earlier values first).
fn append_forwarded_for(h: &mut HeaderMap, peer_ip: &HeaderValue) {
    if !h.contains_key(&X_FORWARDED_FOR) {
        h.insert(X_FORWARDED_FOR, peer_ip.clone());
        return;
    }
    let prior: Vec<String> = h
        .get_all(&X_FORWARDED_FOR)
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let ip = peer_ip.to_str().unwrap_or("");
    let v = if prior.is_empty() {
        ip.to_owned()
    } else {
        format!("{}, {ip}", prior.join(", "))
    };
    if let Ok(hv) = HeaderValue::from_str(&v) {
        h.insert(X_FORWARDED_FOR, hv);
    }
}

/// `--verbose`: one line per proxied request. Built (and the backend URL formatted) only when
/// verbose, and written with a single `write` so concurrent lines do not interleave.
fn log(
    state: &State,
    method: &Method,
    target: &str,
    backend: &dyn std::fmt::Display,
    status: u16,
    t0: Instant,
) {
    if state.verbose {
        let line = format!(
            "proxy {method} {target} -> {backend} {status} {:.1}ms\n",
            t0.elapsed().as_secs_f64() * 1000.0
        );
        let _ = std::io::stderr().write_all(line.as_bytes());
    }
}

/// The request target as the client wrote it (for the log).
fn target_of(req: &Request<Incoming>) -> &str {
    req.uri().path_and_query().map_or("", |pq| pq.as_str())
}

/// The backend URL and dial address for the log, formatted only when printed.
struct BackendLog<'a> {
    loc: &'a Location,
    uri: &'a str,
}

impl std::fmt::Display for BackendLog<'_> {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{}://{}{} (dial {})",
            self.loc.scheme, self.loc.host, self.uri, self.loc.dial
        )
    }
}

/// Serves one proxy request.
pub async fn handle(state: Arc<State>, req: Request<Incoming>, p: ProxyRequest) -> Response<Body> {
    let t0 = Instant::now();
    if !PROXY_METHODS.contains(req.method()) {
        return api::method_not_allowed();
    }
    let resolved = match p.kind {
        Kind::Services => resolve_service(&state, &p.namespace, &p.id),
        Kind::Pods => resolve_pod(&state, &p.namespace, &p.id),
        _ => resolve_node(&state, &p.id).await,
    };
    let (loc, dial_error) = match resolved {
        Ok(l) => l,
        Err(resp) => {
            log(
                &state,
                req.method(),
                target_of(&req),
                &"-",
                resp.status().as_u16(),
                t0,
            );
            return resp;
        }
    };
    // getRequestOptions + Connect: location.Path from the decoded segments after "proxy".
    if is_upgrade_request(req.headers()) {
        let ProxyRequest { paths, conn, .. } = p;
        return upgrade::handle(state, req, conn, loc, paths.location_path, dial_error, t0).await;
    }
    // UpgradeAwareHandler.ServeHTTP.
    let ProxyRequest {
        paths,
        decoded_path,
        conn,
        ..
    } = p;
    let method = req.method().clone();
    if paths.backend_path.is_empty() && (method == Method::GET || method == Method::HEAD) {
        // Go writes req.URL.Path (decoded) as is.
        let query = req.uri().query().unwrap_or("");
        let mut l = decoded_path;
        l.push(b'/');
        if !query.is_empty() {
            l.push(b'?');
            l.extend_from_slice(query.as_bytes());
        }
        let mut r = Response::new(full(Bytes::new()));
        *r.status_mut() = StatusCode::MOVED_PERMANENTLY;
        r.headers_mut()
            .insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
        if let Ok(v) = HeaderValue::from_bytes(&l) {
            r.headers_mut().insert(LOCATION, v);
        }
        log(&state, &method, target_of(&req), &"(redirect)", 301, t0);
        return r;
    }
    // defaultProxyTransport: the backend request, origin-form.
    let ProxyPaths {
        path_prepend,
        escaped,
        forwarded_uri,
        ..
    } = paths;
    let query = req.uri().query().unwrap_or("");
    let mut uri = if escaped.is_empty() {
        "/".to_owned()
    } else {
        escaped
    };
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(query);
    }
    // Only for the log, and only when it is printed.
    let target = if state.verbose {
        target_of(&req).to_owned()
    } else {
        String::new()
    };
    let (parts, body) = req.into_parts();
    let mut headers = parts.headers;
    let request_host = headers
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| conn.local.to_string(), str::to_owned);
    remove_hop_by_hop(&mut headers);
    append_forwarded_for(&mut headers, &conn.peer_ip);
    // Transport.RoundTrip: X-Forwarded-Uri (Host/Proto are empty in kube-apiserver).
    if let Ok(v) = HeaderValue::from_maybe_shared(Bytes::from(forwarded_uri)) {
        headers.insert(X_FORWARDED_URI, v);
    }
    // Go's Transport asks for gzip itself when the client did not, and decodes it transparently.
    let transparent_gzip =
        !headers.contains_key(ACCEPT_ENCODING) && !headers.contains_key(RANGE) && method != Method::HEAD;
    if transparent_gzip {
        headers.insert(ACCEPT_ENCODING, HeaderValue::from_static("gzip"));
    }
    let backend_uri = match hyper::Uri::from_maybe_shared(Bytes::from(uri)) {
        Ok(u) => u,
        Err(e) => return api::unavailable(&format!("error trying to reach service: {e}")),
    };
    let backend_log = if state.verbose {
        BackendLog {
            loc: &loc,
            uri: backend_uri.path_and_query().map_or("/", |pq| pq.as_str()),
        }
        .to_string()
    } else {
        String::new()
    };
    if let Ok(v) = HeaderValue::from_str(&request_host) {
        headers.insert(HOST, v);
    }
    let mut breq = Request::new(body);
    *breq.method_mut() = method.clone();
    *breq.uri_mut() = backend_uri;
    *breq.headers_mut() = headers;
    if let Some(e) = dial_error {
        let r = api::unavailable(&format!("error trying to reach service: {e}"));
        log(&state, &method, &target, &backend_log, 503, t0);
        return r;
    }
    let resp = match send(&state, &loc, breq, false).await {
        Ok(r) => r,
        Err(e) => {
            log(&state, &method, &target, &backend_log, 503, t0);
            return api::unavailable(&format!("error trying to reach service: {e}"));
        }
    };
    let out = transport_response(resp, &loc, path_prepend, request_host, transparent_gzip).await;
    if out.extensions().get::<Aborted>().is_some() {
        log(&state, &method, &target, &backend_log, 0, t0);
        return conn.abort().await;
    }
    log(&state, &method, &target, &backend_log, out.status().as_u16(), t0);
    out
}

/// Dials the backend (TCP, or TLS without verification) and sends one request.
async fn send(
    state: &State,
    loc: &Location,
    req: Request<Incoming>,
    upgrades: bool,
) -> Result<Response<Incoming>, String> {
    if loc.scheme == "http" && !upgrades {
        return state.pool.send(loc.dial, &loc.host, req).await;
    }
    let tcp = TcpStream::connect(loc.dial)
        .await
        .map_err(|e| format!("dial tcp {}: connect: {}", loc.host, go_errno(&e)))?;
    let _ = tcp.set_nodelay(true);
    if loc.scheme == "https" {
        let connector = tokio_rustls::TlsConnector::from(state.tls_client.clone());
        let host = loc
            .host
            .rsplit_once(':')
            .map_or(loc.host.as_str(), |(h, _)| h)
            .trim_start_matches('[')
            .trim_end_matches(']')
            .to_owned();
        let name = rustls::pki_types::ServerName::try_from(host).map_err(|e| format!("tls: {e}"))?;
        let tls = connector
            .connect(name, tcp)
            .await
            .map_err(|e| format!("tls: {e}"))?;
        send_on(tls, req, upgrades).await
    } else {
        send_on(tcp, req, upgrades).await
    }
}

/// Go's text for a dial error.
pub fn go_errno(e: &std::io::Error) -> String {
    match e.kind() {
        std::io::ErrorKind::ConnectionRefused => "connection refused".to_owned(),
        _ => e.to_string(),
    }
}

async fn send_on<S>(io: S, req: Request<Incoming>, upgrades: bool) -> Result<Response<Incoming>, String>
where
    S: AsyncRead + AsyncWrite + Unpin + Send + 'static,
{
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(io))
        .await
        .map_err(|e| e.to_string())?;
    if upgrades {
        tokio::spawn(conn.with_upgrades());
    } else {
        tokio::spawn(conn);
    }
    sender.send_request(req).await.map_err(|e| e.to_string())
}

/// Marks a transport response whose copy fails before any byte: the connection is dropped.
#[derive(Clone, Copy)]
struct Aborted;

/// A body that fails after the headers are out: the client gets them and then a cut
/// connection, as with Go's `panic(http.ErrAbortHandler)` after a failed body copy.
fn aborted_body() -> Body {
    AbortBody(0).boxed()
}

/// A buffered body sent without Content-Length (chunked, as Go's ReverseProxy does).
fn chunked(b: Vec<u8>) -> Body {
    OnceBody(Some(Bytes::from(b))).boxed()
}

/// One frame, with an unknown size.
struct OnceBody(Option<Bytes>);

impl hyper::body::Body for OnceBody {
    type Data = Bytes;
    type Error = BoxError;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        _: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        std::task::Poll::Ready(self.0.take().map(|b| Ok(Frame::data(b))))
    }
}

/// Pending once (so hyper flushes the head), then an error.
struct AbortBody(u8);

impl hyper::body::Body for AbortBody {
    type Data = Bytes;
    type Error = BoxError;
    fn poll_frame(
        mut self: std::pin::Pin<&mut Self>,
        cx: &mut std::task::Context<'_>,
    ) -> std::task::Poll<Option<Result<Frame<Bytes>, BoxError>>> {
        if self.0 < 2 {
            self.0 += 1;
            let waker = cx.waker().clone();
            tokio::spawn(async move {
                tokio::time::sleep(std::time::Duration::from_millis(5)).await;
                waker.wake();
            });
            return std::task::Poll::Pending;
        }
        std::task::Poll::Ready(Some(Err("http: read on closed response body".into())))
    }
}

/// Builds the client response: Cache-Control first, then the backend's headers (added).
fn client_response(status: StatusCode, backend: HeaderMap, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.reserve(backend.len() + 1);
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    // Moved, not copied: `None` names repeat the previous one (HeaderMap's IntoIter).
    let mut name: Option<HeaderName> = None;
    for (k, v) in backend {
        if k.is_some() {
            name = k;
        }
        if let Some(n) = &name {
            h.append(n.clone(), v);
        }
    }
    r
}

async fn transport_response(
    resp: Response<Incoming>,
    loc: &Location,
    path_prepend: Vec<u8>,
    request_host: String,
    transparent_gzip: bool,
) -> Response<Body> {
    let (parts, body) = resp.into_parts();
    let mut h = parts.headers;
    remove_hop_by_hop(&mut h);
    for c in &CORS {
        h.remove(c);
    }
    let rw = Rewriter {
        scheme: String::new(),
        host: String::new(),
        path_prepend,
        source_host: loc.host.clone(),
        request_host,
    };
    let status = parts.status;
    let mut body: Body = body.map_err(|e| -> BoxError { Box::new(e) }).boxed();
    if transparent_gzip
        && h.get(CONTENT_ENCODING)
            .and_then(|v| v.to_str().ok())
            .is_some_and(|v| v.eq_ignore_ascii_case("gzip"))
    {
        h.remove(CONTENT_ENCODING);
        h.remove(CONTENT_LENGTH);
        let raw = match body.collect().await {
            Ok(c) => c.to_bytes(),
            Err(_) => return client_response(status, h, aborted_body()),
        };
        match gunzip(&raw) {
            Ok(plain) => body = full(plain),
            Err(_) => return client_response(status, h, aborted_body()),
        }
    }
    // Location: rewritten whatever the status; the body is then never rewritten.
    if let Some(l) = h.get(LOCATION) {
        let l = String::from_utf8_lossy(l.as_bytes()).into_owned();
        if !l.is_empty() {
            match gourl::GoUrl::parse(&l) {
                Ok(u) => {
                    let new = rw.rewrite_url(u);
                    if let Ok(v) = HeaderValue::from_str(&new) {
                        h.insert(LOCATION, v);
                    }
                }
                Err(e) => {
                    return api::status(
                        StatusCode::INTERNAL_SERVER_ERROR,
                        "InternalError",
                        &format!(
                            "Internal error occurred: error trying to parse Location header: parse {l:?}: {e}"
                        ),
                        Some(
                            serde_json::json!({"causes": [{"message": format!("error trying to parse Location header: parse {l:?}: {e}")}]}),
                        ),
                    );
                }
            }
            return client_response(status, h, body);
        }
    }
    let ct = h.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    if media != "text/html" {
        return client_response(status, h, body);
    }
    let encoding = h
        .get(CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if !matches!(encoding.as_str(), "" | "gzip" | "deflate") {
        // "can't understand this so not fixing links" — and the deferred Close has already
        // closed the body (kubernetes PR #124194). ReverseProxy has called WriteHeader (buffered,
        // nothing on the wire), its first body read fails, it panics with ErrAbortHandler and
        // the HTTP/1.1 connection is closed before the head is sent: the client gets nothing.
        // See README, "Other encodings".
        let mut r = Response::new(full(Bytes::new()));
        r.extensions_mut().insert(Aborted);
        return r;
    }
    let raw = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => return client_response(status, h, aborted_body()),
    };
    let rewrite = |v: &str| rw.rewrite_str(v).unwrap_or_else(|_| v.to_owned());
    let out = match encoding.as_str() {
        "" => Ok(crate::html::rewrite_html(&raw, &rewrite)),
        "gzip" => gunzip(&raw).and_then(|plain| {
            let html = crate::html::rewrite_html(&plain, &rewrite);
            let mut enc = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::new(6));
            enc.write_all(&html).map_err(|e| e.to_string())?;
            enc.finish().map_err(|e| e.to_string())
        }),
        _ => {
            let mut plain = Vec::new();
            flate2::read::DeflateDecoder::new(&raw[..])
                .read_to_end(&mut plain)
                .map_err(|_| "flate: corrupt input before offset 0".to_owned())
                .and_then(|_| {
                    let html = crate::html::rewrite_html(&plain, &rewrite);
                    let mut enc = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::best());
                    enc.write_all(&html).map_err(|e| e.to_string())?;
                    enc.finish().map_err(|e| e.to_string())
                })
        }
    };
    match out {
        Ok(bytes) => {
            h.remove(CONTENT_LENGTH);
            client_response(status, h, chunked(bytes))
        }
        // A non-Status error from the transport: 500 with no reason (ErrorToAPIStatus).
        Err(e) => api::status(StatusCode::INTERNAL_SERVER_ERROR, "", &e, None),
    }
}

fn gunzip(raw: &[u8]) -> Result<Vec<u8>, String> {
    let mut plain = Vec::new();
    flate2::read::GzDecoder::new(raw)
        .read_to_end(&mut plain)
        .map_err(|e| {
            if e.kind() == std::io::ErrorKind::InvalidInput || raw.len() < 2 || raw[..2] != [0x1f, 0x8b] {
                "gzip: invalid header".to_owned()
            } else {
                "unexpected EOF".to_owned()
            }
        })?;
    Ok(plain)
}

mod upgrade;
