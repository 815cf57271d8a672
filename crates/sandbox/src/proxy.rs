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
    CACHE_CONTROL, CONNECTION, CONTENT_ENCODING, CONTENT_LENGTH, CONTENT_TYPE, HOST, HeaderMap, HeaderValue,
    LOCATION,
};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use kubeopen::segment::{Scheme, Segment};
use tokio::io::{AsyncRead, AsyncWrite};
use tokio::net::TcpStream;

use crate::api::{self, Kind};
use crate::gourl::{self, Rewriter};
use crate::server::{Body, BoxError, State, full};

/// A request for `…/{kind}/{id}/proxy[/rest…]`.
pub struct ProxyRequest {
    /// services, pods or nodes.
    pub kind: Kind,
    /// Namespace (`""` for nodes).
    pub namespace: String,
    /// The whole `{name}` segment (`https:web:8443`).
    pub id: String,
    /// Decoded segments after `proxy`.
    pub rest: Vec<Vec<u8>>,
    /// The whole decoded request path.
    pub decoded_path: Vec<u8>,
    /// Client address (`X-Forwarded-For`).
    pub peer: SocketAddr,
    /// The sandbox's own address (Host fallback).
    pub local: SocketAddr,
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
                        host: join_host_port(&addr.ip, &ep_port.port.to_string()),
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
const HOP_BY_HOP: [&str; 9] = [
    "connection",
    "proxy-connection",
    "keep-alive",
    "proxy-authenticate",
    "proxy-authorization",
    "te",
    "trailer",
    "transfer-encoding",
    "upgrade",
];

const CORS: [&str; 4] = [
    "access-control-allow-credentials",
    "access-control-allow-headers",
    "access-control-allow-methods",
    "access-control-allow-origin",
];

fn remove_hop_by_hop(h: &mut HeaderMap) {
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
    for name in HOP_BY_HOP {
        h.remove(name);
    }
}

fn is_upgrade_request(h: &HeaderMap) -> bool {
    h.get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("upgrade"))
}

fn append_forwarded_for(h: &mut HeaderMap, peer: SocketAddr) {
    let prior: Vec<String> = h
        .get_all("x-forwarded-for")
        .iter()
        .filter_map(|v| v.to_str().ok().map(str::to_owned))
        .collect();
    let mut v = peer.ip().to_string();
    if !prior.is_empty() {
        v = format!("{}, {v}", prior.join(", "));
    }
    if let Ok(hv) = HeaderValue::from_str(&v) {
        h.insert("x-forwarded-for", hv);
    }
}

fn log(state: &State, method: &Method, target: &str, backend: &str, status: u16, t0: Instant) {
    if state.verbose {
        eprintln!(
            "proxy {method} {target} -> {backend} {status} {:.1}ms",
            t0.elapsed().as_secs_f64() * 1000.0
        );
    }
}

/// Serves one proxy request.
pub async fn handle(state: Arc<State>, req: Request<Incoming>, p: ProxyRequest) -> Response<Body> {
    let t0 = Instant::now();
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    if !PROXY_METHODS.contains(&method) {
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
            log(&state, &method, &target, "-", resp.status().as_u16(), t0);
            return resp;
        }
    };
    // getRequestOptions: the subpath from the decoded segments after "proxy".
    let trailing = p.decoded_path.ends_with(b"/");
    let mut sub = p.rest.join(&b'/');
    if !sub.is_empty() && !sub.starts_with(b"/") {
        sub.insert(0, b'/');
    }
    if trailing {
        sub.push(b'/');
    }
    // Connect: location.Path = JoinPreservingTrailingSlash(location.Path, opts.Path).
    let location_path = gourl::join_preserving_trailing_slash(&[b"", &sub]);
    let upgrade = is_upgrade_request(req.headers());
    if upgrade {
        return upgrade::handle(state, req, p, loc, location_path, dial_error, t0).await;
    }
    // UpgradeAwareHandler.ServeHTTP.
    let mut backend_path = location_path.clone();
    if trailing && !backend_path.ends_with(b"/") {
        backend_path.push(b'/');
    }
    let query = req.uri().query().unwrap_or("").to_owned();
    if backend_path.is_empty() && (method == Method::GET || method == Method::HEAD) {
        // Go writes req.URL.Path (decoded) as is.
        let mut l = p.decoded_path.clone();
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
        log(&state, &method, &target, "(redirect)", 301, t0);
        return r;
    }
    // defaultProxyTransport: PathPrepend from the request path minus the location path.
    let mut suffix = location_path.clone();
    if trailing && !suffix.ends_with(b"/") {
        suffix.push(b'/');
    }
    let path_prepend = p
        .decoded_path
        .strip_suffix(suffix.as_slice())
        .unwrap_or(&p.decoded_path)
        .to_vec();
    let escaped = gourl::escape(&backend_path, gourl::Mode::Path);
    let mut uri = if escaped.is_empty() {
        "/".to_owned()
    } else {
        escaped.clone()
    };
    if !query.is_empty() {
        uri.push('?');
        uri.push_str(&query);
    }
    let backend_url = format!("{}://{}{}", loc.scheme, loc.host, uri);
    let backend_log = format!("{backend_url} (dial {})", loc.dial);

    let request_host = req
        .headers()
        .get(HOST)
        .and_then(|v| v.to_str().ok())
        .map_or_else(|| p.local.to_string(), str::to_owned);
    let (parts, body) = req.into_parts();
    let mut headers = parts.headers;
    remove_hop_by_hop(&mut headers);
    append_forwarded_for(&mut headers, p.peer);
    // Transport.RoundTrip: X-Forwarded-Uri (Host/Proto are empty in kube-apiserver).
    let mut xfu = gourl::join(&[&path_prepend, escaped.as_bytes()]);
    if backend_path.ends_with(b"/") {
        xfu.push(b'/');
    }
    if let Ok(v) = HeaderValue::from_bytes(&xfu) {
        headers.insert("x-forwarded-uri", v);
    }
    // Go's Transport asks for gzip itself when the client did not, and decodes it transparently.
    let transparent_gzip =
        !headers.contains_key("accept-encoding") && !headers.contains_key("range") && method != Method::HEAD;
    if transparent_gzip {
        headers.insert("accept-encoding", HeaderValue::from_static("gzip"));
    }
    let mut breq = Request::new(body);
    *breq.method_mut() = method.clone();
    *breq.uri_mut() = match uri.parse() {
        Ok(u) => u,
        Err(e) => return api::unavailable(&format!("error trying to reach service: {e}")),
    };
    *breq.headers_mut() = headers;
    if let Ok(v) = HeaderValue::from_str(&request_host) {
        breq.headers_mut().insert(HOST, v);
    }
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
    let rewriter = Rewriter {
        scheme: String::new(),
        host: String::new(),
        path_prepend,
        source_host: loc.host.clone(),
        request_host,
    };
    let out = transport_response(resp, &rewriter, transparent_gzip).await;
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
        let (mut parts, body) = req.into_parts();
        let pq = parts
            .uri
            .path_and_query()
            .map_or("/", |pq| pq.as_str())
            .to_owned();
        parts.uri = format!("http://{}{pq}", loc.dial)
            .parse()
            .map_err(|e: hyper::http::uri::InvalidUri| e.to_string())?;
        return state
            .pool
            .request(Request::from_parts(parts, body))
            .await
            .map_err(|e| pool_error(&e, &loc.host));
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

/// Go-style text for a pooled client's error (the dial error when there is one).
fn pool_error(e: &hyper_util::client::legacy::Error, host: &str) -> String {
    let mut src: Option<&(dyn std::error::Error + 'static)> = std::error::Error::source(e);
    while let Some(s) = src {
        if let Some(io) = s.downcast_ref::<std::io::Error>() {
            return format!("dial tcp {host}: connect: {}", go_errno(io));
        }
        src = s.source();
    }
    e.to_string()
}

fn go_errno(e: &std::io::Error) -> String {
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
fn client_response(status: StatusCode, backend: &HeaderMap, body: Body) -> Response<Body> {
    let mut r = Response::new(body);
    *r.status_mut() = status;
    let h = r.headers_mut();
    h.insert(CACHE_CONTROL, HeaderValue::from_static("no-cache, private"));
    for (k, v) in backend {
        h.append(k.clone(), v.clone());
    }
    r
}

async fn transport_response(
    resp: Response<Incoming>,
    rw: &Rewriter,
    transparent_gzip: bool,
) -> Response<Body> {
    let (parts, body) = resp.into_parts();
    let mut h = parts.headers;
    remove_hop_by_hop(&mut h);
    for c in CORS {
        h.remove(c);
    }
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
            Err(_) => return client_response(status, &h, aborted_body()),
        };
        match gunzip(&raw) {
            Ok(plain) => body = full(plain),
            Err(_) => return client_response(status, &h, aborted_body()),
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
            return client_response(status, &h, body);
        }
    }
    let ct = h.get(CONTENT_TYPE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let media = ct.split(';').next().unwrap_or("").trim();
    if media != "text/html" {
        return client_response(status, &h, body);
    }
    let encoding = h
        .get(CONTENT_ENCODING)
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
        .unwrap_or_default();
    if !matches!(encoding.as_str(), "" | "gzip" | "deflate") {
        // "can't understand this so not fixing links" — and the deferred Close has already
        // closed the body: the client gets the headers and no body (kubernetes PR #124194).
        return client_response(status, &h, aborted_body());
    }
    let raw = match body.collect().await {
        Ok(c) => c.to_bytes(),
        Err(_) => return client_response(status, &h, aborted_body()),
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
            client_response(status, &h, chunked(bytes))
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
