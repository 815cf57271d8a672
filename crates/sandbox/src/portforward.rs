//! `pods/{name}/portforward` over a WebSocket, as a real cluster serves it to a browser
//! (design note `portforward-in-browser.md` §1.1–1.2): kube-apiserver's `PortForwardREST`
//! (query conversion, the synthetic `create` check, `Upgrade request required`), then the
//! kubelet's legacy WebSocket handler (`portforward/websocket.go` + `wsstream`'s channel
//! framing) and containerd's forwarder (one TCP connection per port, the 1 s close wait).
//!
//! The pure parts — the `ports` query, subprotocol negotiation, channel framing — are public
//! for the `sandbox_ports` fuzz target; the I/O half is crate-private.

use std::net::{IpAddr, SocketAddr};
use std::sync::Arc;
use std::time::Duration;

use base64::Engine as _;
use bytes::Bytes;
use hyper::body::Incoming;
use hyper::header::{CONNECTION, CONTENT_TYPE, HeaderMap, HeaderValue, UPGRADE};
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpStream;
use tokio::sync::mpsc;

/// The binary channel subprotocol.
pub const V4_BINARY: &str = "v4.channel.k8s.io";
/// The base64 (text) channel subprotocol.
pub const V4_BASE64: &str = "v4.base64.channel.k8s.io";

/// Why a `ports` query is refused, and who refuses it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum PortsError {
    /// kube-apiserver's query conversion failed: 400 `Status` (reason `BadRequest`).
    Apiserver(String),
    /// The kubelet refused the re-encoded `port` parameter: 400, plain text, written through.
    Kubelet(String),
}

/// Go's `strconv.Quote`, for the ASCII cases error messages meet.
fn go_quote(s: &str) -> String {
    let mut out = String::with_capacity(s.len() + 2);
    out.push('"');
    for c in s.chars() {
        match c {
            '"' => out.push_str("\\\""),
            '\\' => out.push_str("\\\\"),
            '\n' => out.push_str("\\n"),
            '\r' => out.push_str("\\r"),
            '\t' => out.push_str("\\t"),
            c if (c as u32) < 0x20 || c as u32 == 0x7f => out.push_str(&format!("\\x{:02x}", c as u32)),
            c => out.push(c),
        }
    }
    out.push('"');
    out
}

/// `strconv.ParseUint(v, 10, 16)`, errors worded as Go's.
fn parse_uint16(v: &str) -> Result<u16, String> {
    let syntax = || format!("strconv.ParseUint: parsing {}: invalid syntax", go_quote(v));
    if v.is_empty() {
        return Err(syntax());
    }
    let mut n: u32 = 0;
    for b in v.bytes() {
        if !b.is_ascii_digit() {
            return Err(syntax());
        }
        n = n * 10 + u32::from(b - b'0');
        if n > u32::from(u16::MAX) {
            return Err(format!(
                "strconv.ParseUint: parsing {}: value out of range",
                go_quote(v)
            ));
        }
    }
    u16::try_from(n).map_err(|_| syntax())
}

/// Go's `url.ParseQuery` values for one key, in order (pairs that fail to parse are skipped,
/// as `URL.Query()` does).
pub fn query_values(raw_query: &str, key: &str) -> Vec<String> {
    let unescape = |s: &str| -> Option<String> {
        let plus = s.replace('+', " ");
        crate::gourl::unescape(&plus)
            .ok()
            .map(|b| String::from_utf8_lossy(&b).into_owned())
    };
    raw_query
        .split('&')
        .filter(|kv| !kv.is_empty() && !kv.contains(';'))
        .filter_map(|kv| {
            let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
            let k = unescape(k)?;
            let v = unescape(v)?;
            (k == key).then_some(v)
        })
        .collect()
}

/// The ports a `…/portforward?ports=…` request asks for, in order (repeats allowed), checked
/// as the two servers do: kube-apiserver converts every `ports` value, split on `,`, with
/// `strconv.ParseUint(p, 10, 16)` (`metav1.Convert_Slice_string_To_Slice_int32`) and sends
/// them on as one `port=a,b` parameter (`streamParams`); the kubelet (`NewV4Options`) then
/// requires at least one and refuses 0.
///
/// ```
/// use kubeopen_sandbox::portforward::{PortsError, parse_ports};
/// assert_eq!(parse_ports("ports=8080,9100&ports=80"), Ok(vec![8080, 9100, 80]));
/// assert!(matches!(parse_ports("ports=http"), Err(PortsError::Apiserver(_))));
/// assert_eq!(
///     parse_ports(""),
///     Err(PortsError::Kubelet("query parameter \"port\" is required".into()))
/// );
/// ```
pub fn parse_ports(raw_query: &str) -> Result<Vec<u16>, PortsError> {
    let mut ports = Vec::new();
    for value in query_values(raw_query, "ports") {
        for p in value.split(',') {
            let n = parse_uint16(p)
                .map_err(|e| PortsError::Apiserver(format!("cannot convert to []int32: {e}")))?;
            ports.push(n);
        }
    }
    if ports.is_empty() {
        return Err(PortsError::Kubelet(
            "query parameter \"port\" is required".to_owned(),
        ));
    }
    if ports.contains(&0) {
        let joined = ports.iter().map(u16::to_string).collect::<Vec<_>>().join(",");
        return Err(PortsError::Kubelet(format!(
            "port {} must be > 0",
            go_quote(&joined)
        )));
    }
    Ok(ports)
}

/// How channel messages are framed.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Codec {
    /// Binary messages: one channel byte, then the bytes.
    Binary,
    /// Text messages: the channel as an ASCII digit, then standard base64.
    Base64,
}

/// wsstream's `handshake`: the first offered protocol the server supports (`""` — none
/// offered — selects binary). `None`: nothing offered is supported (x/net answers 403).
///
/// ```
/// use kubeopen_sandbox::portforward::{Codec, negotiate};
/// assert_eq!(
///     negotiate(&["v4.base64.channel.k8s.io", "v4.channel.k8s.io"]),
///     Some(("v4.base64.channel.k8s.io", Codec::Base64))
/// );
/// assert_eq!(negotiate(&[]), Some(("", Codec::Binary)));
/// ```
pub fn negotiate(offered: &[&str]) -> Option<(&'static str, Codec)> {
    let offered: &[&str] = if offered.is_empty() { &[""] } else { offered };
    offered.iter().find_map(|p| match *p {
        "" => Some(("", Codec::Binary)),
        V4_BINARY => Some((V4_BINARY, Codec::Binary)),
        V4_BASE64 => Some((V4_BASE64, Codec::Base64)),
        _ => None,
    })
}

/// The WebSocket message (opcode, payload) carrying `data` on `channel`.
///
/// ```
/// use kubeopen_sandbox::portforward::{Codec, decode, encode};
/// let (_, msg) = encode(Codec::Base64, 1, b"hi");
/// assert_eq!(msg, b"1aGk=");
/// assert_eq!(decode(Codec::Base64, &msg), Some((1, b"hi".to_vec())));
/// ```
pub fn encode(codec: Codec, channel: u8, data: &[u8]) -> (u8, Vec<u8>) {
    match codec {
        Codec::Binary => {
            let mut out = Vec::with_capacity(data.len() + 1);
            out.push(channel);
            out.extend_from_slice(data);
            (crate::ws::BINARY, out)
        }
        Codec::Base64 => {
            let mut out = vec![b'0'.wrapping_add(channel)];
            out.extend_from_slice(base64::engine::general_purpose::STANDARD.encode(data).as_bytes());
            (crate::ws::TEXT, out)
        }
    }
}

/// wsstream's read side: the channel and bytes of a client message, `None` when it is ignored
/// (empty, or base64 that does not decode). The channel is not range-checked here.
pub fn decode(codec: Codec, message: &[u8]) -> Option<(u8, Vec<u8>)> {
    let (&first, rest) = message.split_first()?;
    match codec {
        Codec::Binary => Some((first, rest.to_vec())),
        Codec::Base64 => {
            let data = base64::engine::general_purpose::STANDARD.decode(rest).ok()?;
            Some((first.wrapping_sub(b'0'), data))
        }
    }
}

// ---------------------------------------------------------------------------------------------
// The I/O half.

use crate::api;
use crate::auth::{Attributes, User};
use crate::server::{Body, State, full};

/// A port-forward request that passed authentication and the `get` check.
pub(crate) struct PortForward<'a> {
    pub namespace: &'a str,
    pub name: &'a str,
    pub user: Option<&'a User>,
    pub path: &'a str,
}

fn text_response(code: StatusCode, text: &str) -> Response<Body> {
    let mut r = Response::new(full(text.to_owned()));
    *r.status_mut() = code;
    r.headers_mut().insert(
        CONTENT_TYPE,
        HeaderValue::from_static("text/plain; charset=utf-8"),
    );
    r
}

fn empty(code: StatusCode) -> Response<Body> {
    let mut r = Response::new(full(Bytes::new()));
    *r.status_mut() = code;
    r
}

/// wsstream.IsWebSocketRequest: `Upgrade: websocket` and `upgrade` in `Connection`.
pub(crate) fn is_websocket_request(h: &HeaderMap) -> bool {
    let upgrade = h.get(UPGRADE).and_then(|v| v.to_str().ok()).unwrap_or("");
    let connection = h.get(CONNECTION).and_then(|v| v.to_str().ok()).unwrap_or("");
    upgrade.eq_ignore_ascii_case("websocket")
        && connection
            .split(',')
            .any(|t| t.trim().eq_ignore_ascii_case("upgrade"))
}

/// httpstream.IsUpgradeRequest: `upgrade` anywhere in a `Connection` value.
fn is_upgrade_request(h: &HeaderMap) -> bool {
    h.get_all(CONNECTION)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .any(|v| v.to_ascii_lowercase().contains("upgrade"))
}

/// The pod sandbox id containerd would name in its errors (64 hex digits, stable per pod).
fn sandbox_id(uid: &str) -> String {
    let hex: String = uid.chars().filter(char::is_ascii_hexdigit).collect();
    format!("{hex}{hex}")
}

/// Serves one `…/pods/{name}/portforward` request.
pub(crate) async fn handle(
    state: Arc<State>,
    mut req: Request<Incoming>,
    pf: PortForward<'_>,
) -> Response<Body> {
    let query = req.uri().query().unwrap_or("").to_owned();
    // ConnectResource: the options first (400 Status on a bad `ports` value).
    let ports = parse_ports(&query);
    if let Err(PortsError::Apiserver(msg)) = &ports {
        return api::bad_request(msg);
    }
    // PortForwardREST.Connect: the synthetic `create` check (AuthorizePodWebsocketUpgradeCreatePermission, 1.35+).
    let verb = if req.method() == Method::GET || req.method() == Method::HEAD {
        "get"
    } else {
        "create"
    };
    if verb != "create" {
        let attrs = Attributes {
            verb: "create",
            resource: Some("pods/portforward"),
            group: "",
            namespace: pf.namespace,
            name: Some(pf.name),
            path: pf.path,
        };
        if !state.auth.allows(pf.user, &attrs) {
            // NewForbidden(pods, name, errors.New(reason)); RBAC gives an empty reason.
            return api::status(
                StatusCode::FORBIDDEN,
                "Forbidden",
                &format!("pods \"{}\" is forbidden: ", pf.name),
                Some(serde_json::json!({"name": pf.name, "kind": "pods"})),
            );
        }
    }
    // PortForwardLocation.
    let Some(pod) = state
        .cluster
        .pods
        .iter()
        .find(|p| p.meta.namespace == pf.namespace && p.meta.name == pf.name)
    else {
        return api::not_found("pods", pf.name);
    };
    let Some(node) = pod.node_name.as_deref() else {
        return api::bad_request(&format!("pod {} does not have a host assigned", pf.name));
    };
    if !state.cluster.nodes.iter().any(|n| n.meta.name == node) {
        return api::not_found("nodes", node);
    }
    // UpgradeAwareHandler with upgradeRequired.
    if !is_upgrade_request(req.headers()) {
        return api::bad_request("Upgrade request required");
    }
    // The kubelet: NewV4Options only looks at WebSocket requests.
    if !is_websocket_request(req.headers()) {
        // A SPDY upgrade (or anything else): the sandbox does not speak SPDY.
        return text_response(
            StatusCode::FORBIDDEN,
            "unable to upgrade: kubeopen-sandbox serves port-forward over WebSocket only (v4.channel.k8s.io, v4.base64.channel.k8s.io), not SPDY\n",
        );
    }
    let ports = match ports {
        Ok(p) => p,
        Err(PortsError::Kubelet(msg) | PortsError::Apiserver(msg)) => {
            return text_response(StatusCode::BAD_REQUEST, &msg);
        }
    };
    // x/net/websocket's handshake (errors: a status line and nothing else).
    if req.method() != Method::GET {
        return empty(StatusCode::METHOD_NOT_ALLOWED);
    }
    let version_ok = req
        .headers()
        .get("sec-websocket-version")
        .is_some_and(|v| v.as_bytes() == b"13");
    if !version_ok {
        let mut r = empty(StatusCode::BAD_REQUEST);
        r.headers_mut()
            .insert("sec-websocket-version", HeaderValue::from_static("13"));
        return r;
    }
    let Some(key) = req
        .headers()
        .get("sec-websocket-key")
        .map(|k| k.as_bytes().to_vec())
        .filter(|k| !k.is_empty())
    else {
        return empty(StatusCode::BAD_REQUEST);
    };
    let offered_header = req
        .headers()
        .get("sec-websocket-protocol")
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .trim()
        .to_owned();
    let offered: Vec<&str> = if offered_header.is_empty() {
        Vec::new()
    } else {
        offered_header.split(',').map(str::trim).collect()
    };
    let Some((selected, codec)) = negotiate(&offered) else {
        return empty(StatusCode::FORBIDDEN);
    };
    let uid = api::uid("Pod", &pod.meta);
    let sid = sandbox_id(&uid);
    let dial_ip = pod.pod_ips.first().and_then(|s| s.parse::<IpAddr>().ok());
    let dial: Vec<(u16, Option<SocketAddr>)> = ports
        .iter()
        .map(|&p| {
            (
                p,
                dial_ip.map(|ip| SocketAddr::new(state.net.get(&ip).copied().unwrap_or(ip), p)),
            )
        })
        .collect();
    let label = format!("{}/{}", pf.namespace, pf.name);
    let on_upgrade = hyper::upgrade::on(&mut req);
    let verbose = state.verbose;
    tokio::spawn(async move {
        let Ok(up) = on_upgrade.await else { return };
        session(TokioIo::new(up), codec, dial, sid, label, verbose).await;
    });
    let mut r = empty(StatusCode::SWITCHING_PROTOCOLS);
    let h = r.headers_mut();
    h.insert(UPGRADE, HeaderValue::from_static("websocket"));
    h.insert(CONNECTION, HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&crate::ws::accept_key(&key)) {
        h.insert("sec-websocket-accept", v);
    }
    // x/net writes the chosen protocol even when it is "" (no protocol offered).
    h.insert("sec-websocket-protocol", HeaderValue::from_static(selected));
    r
}

/// What the writer task sends.
enum Out {
    Frame(Vec<u8>),
    Close,
}

fn log(verbose: bool, line: &str) {
    if verbose {
        eprintln!("{line}");
    }
}

/// containerd's wording for a port nothing listens on (approximated; see README).
fn dial_error(port: u16, sid: &str, err: &std::io::Error) -> String {
    let e = crate::proxy::go_errno(err);
    format!(
        "error forwarding port {port} to pod {sid}, uid : failed to execute portforward in network namespace \"/var/run/netns/cni-{}\": failed to connect to localhost:{port} inside namespace \"{sid}\", IPv4: dial tcp4 127.0.0.1:{port}: connect: {e} IPv6 dial tcp6 [::1]:{port}: connect: {e} ",
        &sid[..sid.len().min(36)]
    )
}

/// One upgraded connection: port prefixes, then one forwarder per port until all are done.
async fn session<S>(
    io: S,
    codec: Codec,
    dial: Vec<(u16, Option<SocketAddr>)>,
    sid: String,
    label: String,
    verbose: bool,
) where
    S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Send + 'static,
{
    let (rd, mut wr) = tokio::io::split(io);
    let (out_tx, mut out_rx) = mpsc::channel::<Out>(64);
    let writer = tokio::spawn(async move {
        while let Some(o) = out_rx.recv().await {
            match o {
                Out::Frame(f) => {
                    if wr.write_all(&f).await.is_err() {
                        break;
                    }
                }
                Out::Close => break,
            }
        }
        // x/net's Conn.Close: a close frame with status 1000, then the TCP connection goes.
        let _ = wr
            .write_all(&crate::ws::frame(crate::ws::CLOSE, &1000u16.to_be_bytes()))
            .await;
        let _ = wr.shutdown().await;
    });
    let send = |tx: &mpsc::Sender<Out>, channel: u8, data: &[u8]| {
        let (op, payload) = encode(codec, channel, data);
        let tx = tx.clone();
        let frame = crate::ws::frame(op, &payload);
        async move { tx.send(Out::Frame(frame)).await.is_ok() }
    };
    // handleWebSocketStreams: the port, little-endian, on the data then the error channel of each.
    let mut to_pod = Vec::new();
    let mut pairs = Vec::new();
    for (i, (port, addr)) in dial.iter().enumerate() {
        let data_ch = u8::try_from(2 * i).unwrap_or(u8::MAX);
        let _ = send(&out_tx, data_ch, &port.to_le_bytes()).await;
        let _ = send(&out_tx, data_ch.wrapping_add(1), &port.to_le_bytes()).await;
        let (tx, rx) = mpsc::channel::<Vec<u8>>(64);
        to_pod.push(tx);
        pairs.push((data_ch, *port, *addr, rx));
    }
    // The read loop (wsstream Conn.handle).
    let reader_out = out_tx.clone();
    let reader = tokio::spawn(async move {
        let mut r = crate::ws::Reader::new(rd);
        loop {
            match r.next().await {
                Ok(crate::ws::Incoming::Message { data, .. }) => {
                    if data.is_empty() {
                        continue;
                    }
                    let Some((channel, bytes)) = decode(codec, &data) else {
                        continue;
                    };
                    // Only data channels (even) are readable; others are dropped.
                    let idx = usize::from(channel);
                    if idx % 2 == 1 {
                        continue;
                    }
                    if let Some(tx) = to_pod.get(idx / 2)
                        && !bytes.is_empty()
                    {
                        let _ = tx.send(bytes).await;
                    }
                }
                Ok(crate::ws::Incoming::Ping(p)) => {
                    let _ = reader_out
                        .send(Out::Frame(crate::ws::frame(crate::ws::PONG, &p)))
                        .await;
                }
                Ok(crate::ws::Incoming::Close) | Err(_) => break,
            }
        }
        // The client is gone: wsstream closes the connection at once (close frame 1000).
        let _ = reader_out.send(Out::Close).await;
        drop(to_pod);
    });
    let mut forwarders = tokio::task::JoinSet::new();
    for (data_ch, port, addr, rx) in pairs {
        let out = out_tx.clone();
        let sid = sid.clone();
        let label = label.clone();
        forwarders.spawn(async move {
            forward(codec, data_ch, port, addr, rx, out, &sid, &label, verbose).await;
        });
    }
    drop(out_tx);
    while forwarders.join_next().await.is_some() {}
    // Every forwarder is done: the kubelet returns and the connection closes.
    reader.abort();
    let _ = writer.await;
}

#[allow(clippy::too_many_arguments)]
async fn forward(
    codec: Codec,
    data_ch: u8,
    port: u16,
    addr: Option<SocketAddr>,
    mut from_client: mpsc::Receiver<Vec<u8>>,
    out: mpsc::Sender<Out>,
    sid: &str,
    label: &str,
    verbose: bool,
) {
    let conn = match addr {
        Some(a) => TcpStream::connect(a).await,
        None => Err(std::io::Error::from(std::io::ErrorKind::ConnectionRefused)),
    };
    let conn = match conn {
        Ok(c) => c,
        Err(e) => {
            let msg = dial_error(port, sid, &e);
            log(verbose, &format!("portforward {label}:{port} -> {addr:?}: {msg}"));
            let (op, payload) = encode(codec, data_ch.wrapping_add(1), msg.as_bytes());
            let _ = out.send(Out::Frame(crate::ws::frame(op, &payload))).await;
            return;
        }
    };
    let _ = conn.set_nodelay(true);
    log(
        verbose,
        &format!("portforward {label}:{port} -> {addr:?}: connected"),
    );
    let (mut pod_r, mut pod_w) = conn.into_split();
    let pod_to_client = async {
        let mut buf = vec![0u8; 32 * 1024];
        loop {
            match pod_r.read(&mut buf).await {
                Ok(0) | Err(_) => return "pod closed",
                Ok(n) => {
                    let (op, payload) = encode(codec, data_ch, &buf[..n]);
                    if out
                        .send(Out::Frame(crate::ws::frame(op, &payload)))
                        .await
                        .is_err()
                    {
                        return "client gone";
                    }
                }
            }
        }
    };
    let client_to_pod = async {
        while let Some(b) = from_client.recv().await {
            if pod_w.write_all(&b).await.is_err() {
                return "pod write failed";
            }
        }
        "client closed"
    };
    tokio::pin!(pod_to_client);
    tokio::pin!(client_to_pod);
    // containerd: the first direction to end, then up to 1 s for the other, then close both.
    let first = tokio::select! {
        r = &mut pod_to_client => {
            let _ = tokio::time::timeout(Duration::from_secs(1), &mut client_to_pod).await;
            r
        }
        r = &mut client_to_pod => {
            let _ = tokio::time::timeout(Duration::from_secs(1), &mut pod_to_client).await;
            r
        }
    };
    log(verbose, &format!("portforward {label}:{port} done ({first})"));
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used)]
    use super::*;

    #[test]
    fn ports_like_the_apiserver_and_kubelet() {
        assert_eq!(parse_ports("ports=8080"), Ok(vec![8080]));
        assert_eq!(parse_ports("ports=80,8080&ports=80"), Ok(vec![80, 8080, 80]));
        assert_eq!(parse_ports("ports=080"), Ok(vec![80]));
        assert_eq!(
            parse_ports(""),
            Err(PortsError::Kubelet("query parameter \"port\" is required".into()))
        );
        assert_eq!(
            parse_ports("port=80"),
            Err(PortsError::Kubelet("query parameter \"port\" is required".into()))
        );
        assert_eq!(
            parse_ports("ports=abc"),
            Err(PortsError::Apiserver(
                "cannot convert to []int32: strconv.ParseUint: parsing \"abc\": invalid syntax".into()
            ))
        );
        assert_eq!(
            parse_ports("ports="),
            Err(PortsError::Apiserver(
                "cannot convert to []int32: strconv.ParseUint: parsing \"\": invalid syntax".into()
            ))
        );
        assert_eq!(
            parse_ports("ports=70000"),
            Err(PortsError::Apiserver(
                "cannot convert to []int32: strconv.ParseUint: parsing \"70000\": value out of range".into()
            ))
        );
        assert_eq!(
            parse_ports("ports=%2B80"),
            Err(PortsError::Apiserver(
                "cannot convert to []int32: strconv.ParseUint: parsing \"+80\": invalid syntax".into()
            ))
        );
        assert_eq!(
            parse_ports("ports=8080,0"),
            Err(PortsError::Kubelet("port \"8080,0\" must be > 0".into()))
        );
    }

    #[test]
    fn negotiation_takes_the_first_supported_offer() {
        assert_eq!(negotiate(&[]), Some(("", Codec::Binary)));
        assert_eq!(
            negotiate(&["x", V4_BASE64, V4_BINARY]),
            Some((V4_BASE64, Codec::Base64))
        );
        assert_eq!(
            negotiate(&[V4_BINARY, V4_BASE64]),
            Some((V4_BINARY, Codec::Binary))
        );
        assert_eq!(
            negotiate(&["channel.k8s.io", "SPDY/3.1+portforward.k8s.io"]),
            None
        );
    }

    #[test]
    fn framing_round_trips() {
        assert_eq!(
            encode(Codec::Binary, 3, b"hi"),
            (crate::ws::BINARY, vec![3, b'h', b'i'])
        );
        assert_eq!(
            encode(Codec::Base64, 1, b"hi"),
            (crate::ws::TEXT, b"1aGk=".to_vec())
        );
        assert_eq!(decode(Codec::Base64, b"0aGk="), Some((0, b"hi".to_vec())));
        assert_eq!(decode(Codec::Base64, b"0!!"), None);
        assert_eq!(decode(Codec::Binary, b""), None);
        assert_eq!(decode(Codec::Binary, &[2, 9]), Some((2, vec![9])));
    }
}
