//! `pods/{name}/portforward` over WebSocket (design note §1.1–1.2, §2, §3): subprotocol
//! negotiation, binary and base64 channel framing, the 2-byte port prefixes, several ports,
//! forwarding errors, empty messages, closing from either side, the token subprotocol, the
//! `get` and `create` checks, and the refusals (bad ports, no upgrade, SPDY).

#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{Read, Write};
use std::net::TcpStream;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use base64::Engine as _;

mod common;
use common::{Sandbox, fixtures};

const PF: &str = "/api/v1/namespaces/demo/pods/web-0/portforward";
const HTTP_GET: &[u8] = b"GET /api/data HTTP/1.1\r\nHost: pod\r\nConnection: close\r\n\r\n";

fn tmp(name: &str) -> PathBuf {
    common::scratch_dir(&format!("pf-{name}"))
}

fn demo() -> Sandbox {
    let f = fixtures().join("clusters/demo.yaml");
    Sandbox::start(&["--fixture", f.to_str().unwrap(), "--verbose"])
}

/// With tokens: `admin` may do anything, `getter` only `get pods/portforward`, `viewer` only
/// `get services/proxy`, `both` `get` and `create` on `pods/portforward`.
fn with_auth() -> Sandbox {
    let d = tmp("auth");
    std::fs::write(
        d.join("tokens.csv"),
        "admin-token,admin,1,\"system:masters\"\ngetter-token,getter,2\nviewer-token,viewer,3\nboth-token,both,4\n",
    )
    .unwrap();
    std::fs::write(
        d.join("rules.yaml"),
        "rules:\n  - groups: [\"system:masters\"]\n    resources: [\"*\"]\n    verbs: [\"*\"]\n  - users: [getter]\n    resources: [pods/portforward]\n    verbs: [get]\n  - users: [viewer]\n    resources: [services/proxy]\n    verbs: [get]\n  - users: [both]\n    namespaces: [demo]\n    resources: [pods/portforward]\n    verbs: [get, create]\n",
    )
    .unwrap();
    let f = fixtures().join("clusters/demo.yaml");
    let p = |n: &str| d.join(n).to_str().unwrap().to_owned();
    Sandbox::start(&[
        "--fixture",
        f.to_str().unwrap(),
        "--verbose",
        "--token-auth-file",
        &p("tokens.csv"),
        "--authz-file",
        &p("rules.yaml"),
    ])
}

fn token_protocol(token: &str) -> String {
    format!(
        "base64url.bearer.authorization.k8s.io.{}",
        base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(token)
    )
}

struct Handshake {
    status: u16,
    head: String,
    body: Vec<u8>,
    conn: Option<TcpStream>,
}

impl Handshake {
    fn header(&self, name: &str) -> Option<String> {
        self.head.lines().find_map(|l| {
            let (k, v) = l.split_once(':')?;
            k.eq_ignore_ascii_case(name).then(|| v.trim().to_owned())
        })
    }
    fn ws(self) -> TcpStream {
        assert_eq!(
            self.status,
            101,
            "{}\n{}",
            self.head,
            String::from_utf8_lossy(&self.body)
        );
        self.conn.unwrap()
    }
}

/// A WebSocket handshake with `Sec-WebSocket-Protocol: protocols` (omitted when `None`).
fn open(sb: &Sandbox, target: &str, protocols: Option<&str>, extra: &[(&str, &str)]) -> Handshake {
    let mut h = vec![
        ("Connection", "Upgrade"),
        ("Upgrade", "websocket"),
        ("Sec-WebSocket-Version", "13"),
        ("Sec-WebSocket-Key", "dGhlIHNhbXBsZSBub25jZQ=="),
    ];
    if let Some(p) = protocols {
        h.push(("Sec-WebSocket-Protocol", p));
    }
    h.extend_from_slice(extra);
    raw(sb, "GET", target, &h)
}

fn raw(sb: &Sandbox, method: &str, target: &str, headers: &[(&str, &str)]) -> Handshake {
    let mut s = TcpStream::connect(&sb.addr).unwrap();
    s.set_read_timeout(Some(Duration::from_secs(10))).unwrap();
    let mut req = format!("{method} {target} HTTP/1.1\r\nHost: {}\r\n", sb.addr);
    for (k, v) in headers {
        req.push_str(&format!("{k}: {v}\r\n"));
    }
    req.push_str("\r\n");
    s.write_all(req.as_bytes()).unwrap();
    // Byte by byte up to the blank line, so no frame is consumed with the head.
    let mut head = Vec::new();
    let mut b = [0u8; 1];
    while !head.ends_with(b"\r\n\r\n") {
        assert_eq!(
            s.read(&mut b).unwrap(),
            1,
            "connection closed in the head: {head:?}"
        );
        head.push(b[0]);
    }
    let head = String::from_utf8(head).unwrap();
    let status: u16 = head.split(' ').nth(1).unwrap().parse().unwrap();
    let mut hs = Handshake {
        status,
        head,
        body: Vec::new(),
        conn: None,
    };
    if status == 101 {
        hs.conn = Some(s);
    } else {
        let n: usize = hs.header("content-length").map_or(0, |v| v.parse().unwrap());
        let mut body = vec![0u8; n];
        s.read_exact(&mut body).unwrap();
        hs.body = body;
    }
    hs
}

fn send(s: &mut TcpStream, opcode: u8, payload: &[u8]) {
    let mask = [0x11u8, 0x22, 0x33, 0x44];
    let mut f = vec![0x80 | opcode];
    let n = payload.len();
    if n < 126 {
        f.push(0x80 | u8::try_from(n).unwrap());
    } else {
        f.push(0x80 | 126);
        f.extend_from_slice(&u16::try_from(n).unwrap().to_be_bytes());
    }
    f.extend_from_slice(&mask);
    f.extend(payload.iter().enumerate().map(|(i, b)| b ^ mask[i % 4]));
    s.write_all(&f).unwrap();
}

/// The next server frame: (opcode, payload); `None` at EOF.
fn recv(s: &mut TcpStream) -> Option<(u8, Vec<u8>)> {
    let mut h = [0u8; 2];
    s.read_exact(&mut h).ok()?;
    assert_eq!(h[1] & 0x80, 0, "server frames are not masked");
    let mut len = u64::from(h[1] & 0x7f);
    if len == 126 {
        let mut b = [0u8; 2];
        s.read_exact(&mut b).unwrap();
        len = u64::from(u16::from_be_bytes(b));
    } else if len == 127 {
        let mut b = [0u8; 8];
        s.read_exact(&mut b).unwrap();
        len = u64::from_be_bytes(b);
    }
    let mut p = vec![0u8; usize::try_from(len).unwrap()];
    s.read_exact(&mut p).unwrap();
    Some((h[0] & 0x0f, p))
}

/// Every channel message until the server's close frame: (channel, bytes) in order, and
/// whether a close frame (status 1000) came.
fn drain(s: &mut TcpStream, base64: bool) -> (Vec<(u8, Vec<u8>)>, bool) {
    let mut out = Vec::new();
    while let Some((op, p)) = recv(s) {
        match op {
            0x8 => {
                assert_eq!(p, 1000u16.to_be_bytes(), "close status");
                return (out, true);
            }
            0x1 => {
                assert!(base64, "text frame on a binary connection");
                let data = base64::engine::general_purpose::STANDARD.decode(&p[1..]).unwrap();
                out.push((p[0] - b'0', data));
            }
            0x2 => {
                assert!(!base64, "binary frame on a base64 connection");
                out.push((p[0], p[1..].to_vec()));
            }
            other => panic!("unexpected opcode {other}"),
        }
    }
    (out, false)
}

fn channel(msgs: &[(u8, Vec<u8>)], ch: u8) -> Vec<u8> {
    msgs.iter()
        .filter(|(c, _)| *c == ch)
        .flat_map(|(_, d)| d.clone())
        .collect()
}

#[test]
fn binary_protocol_prefixes_and_an_http_exchange() {
    let sb = demo();
    let hs = open(
        &sb,
        &format!("{PF}?ports=8080"),
        Some("x.k8s.io, v4.channel.k8s.io, v4.base64.channel.k8s.io"),
        &[],
    );
    assert_eq!(
        hs.header("sec-websocket-protocol").as_deref(),
        Some("v4.channel.k8s.io")
    );
    assert_eq!(
        hs.header("sec-websocket-accept").as_deref(),
        Some("s3pPLMBiTxaQ9kYGzzhZRbK+xOo=")
    );
    let mut ws = hs.ws();
    // The prefixes come first: data channel, then error channel, each the port little-endian.
    assert_eq!(recv(&mut ws), Some((2, vec![0, 0x90, 0x1f])));
    assert_eq!(recv(&mut ws), Some((2, vec![1, 0x90, 0x1f])));
    // Empty messages are ignored; a request split over two messages arrives whole.
    send(&mut ws, 2, b"");
    send(&mut ws, 2, &[&[0u8][..], &HTTP_GET[..10]].concat());
    send(&mut ws, 2, &[&[0u8][..], &HTTP_GET[10..]].concat());
    let t0 = Instant::now();
    let (msgs, closed) = drain(&mut ws, false);
    assert!(closed, "the server closes once the pod closed its side");
    let data = String::from_utf8(channel(&msgs, 0)).unwrap();
    assert!(data.starts_with("HTTP/1.1 200 OK\r\n"), "{data}");
    assert!(data.contains("\"alpha\""), "{data}");
    assert!(channel(&msgs, 1).is_empty(), "no error: {msgs:?}");
    // containerd waits up to 1 s for the other direction before the kubelet closes.
    assert!(t0.elapsed() < Duration::from_secs(3), "{:?}", t0.elapsed());
    sb.wait_log("portforward demo/web-0:8080 done (pod closed)");
}

#[test]
fn base64_protocol_and_no_protocol() {
    let sb = demo();
    let hs = open(
        &sb,
        &format!("{PF}?ports=8080"),
        Some("v4.base64.channel.k8s.io,v4.channel.k8s.io"),
        &[],
    );
    assert_eq!(
        hs.header("sec-websocket-protocol").as_deref(),
        Some("v4.base64.channel.k8s.io")
    );
    let mut ws = hs.ws();
    assert_eq!(
        recv(&mut ws),
        Some((1, b"0kB8=".to_vec())),
        "port 8080 = 0x1f90, base64 of [0x90, 0x1f]"
    );
    assert_eq!(recv(&mut ws), Some((1, b"1kB8=".to_vec())));
    let mut msg = b"0".to_vec();
    msg.extend(base64::engine::general_purpose::STANDARD.encode(HTTP_GET).bytes());
    send(&mut ws, 1, &msg);
    let (msgs, closed) = drain(&mut ws, true);
    assert!(closed);
    assert!(
        String::from_utf8(channel(&msgs, 0))
            .unwrap()
            .contains("\"alpha\"")
    );

    // No subprotocol offered: binary framing, and x/net/websocket writes the empty choice.
    let hs = open(&sb, &format!("{PF}?ports=8080"), None, &[]);
    assert_eq!(hs.header("sec-websocket-protocol").as_deref(), Some(""));
    let mut ws = hs.ws();
    assert_eq!(recv(&mut ws), Some((2, vec![0, 0x90, 0x1f])));

    // Nothing supported offered: x/net's bare 403.
    let hs = open(
        &sb,
        &format!("{PF}?ports=8080"),
        Some("channel.k8s.io, SPDY/3.1+portforward.k8s.io"),
        &[],
    );
    assert_eq!(hs.status, 403);
    assert!(hs.body.is_empty());
}

#[test]
fn two_ports_and_a_forwarding_error() {
    let sb = demo();
    // 8080 and 9100 are served by web-0; 8081 has no listener.
    let mut ws = open(
        &sb,
        &format!("{PF}?ports=8080,9100&ports=8081"),
        Some("v4.channel.k8s.io"),
        &[],
    )
    .ws();
    let mut prefixes = Vec::new();
    for _ in 0..6 {
        prefixes.push(recv(&mut ws).unwrap().1);
    }
    assert_eq!(
        prefixes,
        vec![
            vec![0, 0x90, 0x1f],
            vec![1, 0x90, 0x1f],
            vec![2, 0x8c, 0x23],
            vec![3, 0x8c, 0x23],
            vec![4, 0x91, 0x1f],
            vec![5, 0x91, 0x1f],
        ]
    );
    send(&mut ws, 2, &[&[2u8][..], HTTP_GET].concat());
    send(&mut ws, 2, &[&[0u8][..], HTTP_GET].concat());
    // Data on an error channel or a channel past the last is dropped.
    send(&mut ws, 2, &[1u8, b'x']);
    send(&mut ws, 2, &[9u8, b'x']);
    let (msgs, closed) = drain(&mut ws, false);
    assert!(closed);
    for ch in [0, 2] {
        let d = String::from_utf8(channel(&msgs, ch)).unwrap();
        assert!(
            d.starts_with("HTTP/1.1 200 OK") && d.contains("\"alpha\""),
            "channel {ch}: {d}"
        );
    }
    let err = String::from_utf8(channel(&msgs, 5)).unwrap();
    assert!(
        err.starts_with("error forwarding port 8081 to pod ") && err.contains("connect: connection refused"),
        "{err}"
    );
    assert!(channel(&msgs, 4).is_empty());
    assert!(channel(&msgs, 1).is_empty() && channel(&msgs, 3).is_empty());
}

#[test]
fn client_close_tears_down_the_pod_connection() {
    let sb = demo();
    let mut ws = open(&sb, &format!("{PF}?ports=8080"), Some("v4.channel.k8s.io"), &[]).ws();
    recv(&mut ws).unwrap();
    recv(&mut ws).unwrap();
    sb.wait_log("portforward demo/web-0:8080 -> ");
    // A keep-alive request: the pod would keep its side open.
    send(
        &mut ws,
        2,
        &[&[0u8][..], b"GET /api/data HTTP/1.1\r\nHost: pod\r\n\r\n"].concat(),
    );
    let (op, first) = recv(&mut ws).unwrap();
    assert_eq!(op, 2);
    assert!(first[1..].starts_with(b"HTTP/1.1 200"));
    let t0 = Instant::now();
    send(&mut ws, 0x8, &1000u16.to_be_bytes());
    // The server answers with its own close at once…
    loop {
        match recv(&mut ws) {
            Some((0x8, _)) | None => break,
            Some(_) => {}
        }
    }
    // …and the pod connection is closed within containerd's 1 s.
    sb.wait_log("portforward demo/web-0:8080 done (client closed)");
    assert!(t0.elapsed() < Duration::from_secs(3));
}

#[test]
fn refusals_like_a_real_cluster() {
    let sb = demo();
    // No `ports`: the kubelet's 400, plain text, written through by the API server.
    let hs = open(&sb, PF, Some("v4.channel.k8s.io"), &[]);
    assert_eq!(hs.status, 400);
    assert_eq!(
        String::from_utf8_lossy(&hs.body),
        "query parameter \"port\" is required"
    );
    let hs = open(&sb, &format!("{PF}?ports=0"), Some("v4.channel.k8s.io"), &[]);
    assert_eq!(
        (hs.status, String::from_utf8_lossy(&hs.body).into_owned()),
        (400, "port \"0\" must be > 0".to_owned())
    );
    // Not a number: kube-apiserver's conversion error, as a Status.
    for (q, msg) in [
        (
            "ports=http",
            "cannot convert to []int32: strconv.ParseUint: parsing \"http\": invalid syntax",
        ),
        (
            "ports=65536",
            "cannot convert to []int32: strconv.ParseUint: parsing \"65536\": value out of range",
        ),
    ] {
        let hs = open(&sb, &format!("{PF}?{q}"), Some("v4.channel.k8s.io"), &[]);
        assert_eq!(hs.status, 400);
        let v: serde_json::Value = serde_json::from_slice(&hs.body).unwrap();
        assert_eq!(v["message"], msg);
        assert_eq!(v["reason"], "BadRequest");
    }
    // A plain GET: the upgrade-required handler.
    let r = sb.get(&format!("{PF}?ports=8080"));
    assert_eq!(r.status, 400);
    assert_eq!(r.json()["message"], "Upgrade request required");
    // SPDY (kubectl's old transport): refused.
    let hs = raw(
        &sb,
        "POST",
        &format!("{PF}?ports=8080"),
        &[
            ("Connection", "Upgrade"),
            ("Upgrade", "SPDY/3.1"),
            ("X-Stream-Protocol-Version", "portforward.k8s.io"),
            ("Content-Length", "0"),
        ],
    );
    assert_eq!(hs.status, 403);
    assert!(String::from_utf8_lossy(&hs.body).contains("not SPDY"));
    // Unknown pod, wrong version.
    let hs = open(
        &sb,
        "/api/v1/namespaces/demo/pods/nope/portforward?ports=80",
        Some("v4.channel.k8s.io"),
        &[],
    );
    assert_eq!(hs.status, 404);
    assert!(String::from_utf8_lossy(&hs.body).contains("pods \\\"nope\\\" not found"));
    let hs = raw(
        &sb,
        "GET",
        &format!("{PF}?ports=8080"),
        &[
            ("Connection", "Upgrade"),
            ("Upgrade", "websocket"),
            ("Sec-WebSocket-Version", "8"),
            ("Sec-WebSocket-Key", "a2V5"),
        ],
    );
    assert_eq!(hs.status, 400);
    assert_eq!(hs.header("sec-websocket-version").as_deref(), Some("13"));
}

#[test]
fn token_in_the_subprotocol_and_rbac() {
    let sb = with_auth();
    let target = format!("{PF}?ports=8080");
    // No credentials at all: 401.
    assert_eq!(open(&sb, &target, Some("v4.channel.k8s.io"), &[]).status, 401);
    // The token as a subprotocol, next to the channel protocol.
    let protos = format!("{}, v4.channel.k8s.io", token_protocol("admin-token"));
    let hs = open(&sb, &target, Some(&protos), &[]);
    assert_eq!(
        hs.header("sec-websocket-protocol").as_deref(),
        Some("v4.channel.k8s.io")
    );
    let mut ws = hs.ws();
    assert_eq!(recv(&mut ws), Some((2, vec![0, 0x90, 0x1f])));
    // The token entry alone: "missing additional subprotocol" → 401.
    assert_eq!(
        open(&sb, &target, Some(&token_protocol("admin-token")), &[]).status,
        401
    );
    // An unknown token, or one not base64url without padding: 401.
    let bad = format!("{}, v4.channel.k8s.io", token_protocol("nope"));
    assert_eq!(open(&sb, &target, Some(&bad), &[]).status, 401);
    let padded = "base64url.bearer.authorization.k8s.io.YWRtaW4tdG9rZW4=, v4.channel.k8s.io";
    assert_eq!(open(&sb, &target, Some(padded), &[]).status, 401);
    // Only WebSocket requests are read this way.
    let r = sb.request(
        "GET",
        "/api/v1/namespaces/demo/pods",
        &[("Sec-WebSocket-Protocol", &protos)],
        b"",
    );
    assert_eq!(r.status, 401);
    // The header works too.
    let hs = open(
        &sb,
        &target,
        Some("v4.channel.k8s.io"),
        &[("Authorization", "Bearer both-token")],
    );
    assert_eq!(hs.status, 101);

    let json = |hs: &Handshake| serde_json::from_slice::<serde_json::Value>(&hs.body).unwrap();
    // `get services/proxy` only: the filter's 403 for `get`.
    let hs = open(
        &sb,
        &target,
        Some(&format!("{}, v4.channel.k8s.io", token_protocol("viewer-token"))),
        &[],
    );
    assert_eq!(hs.status, 403);
    assert_eq!(
        json(&hs)["message"],
        "pods \"web-0\" is forbidden: User \"viewer\" cannot get resource \"pods/portforward\" in API group \"\" in the namespace \"demo\""
    );
    // `get` but not `create`: PortForwardREST's synthetic check, NewForbidden with RBAC's empty reason.
    let hs = open(
        &sb,
        &target,
        Some(&format!("{}, v4.channel.k8s.io", token_protocol("getter-token"))),
        &[],
    );
    assert_eq!(hs.status, 403);
    let v = json(&hs);
    assert_eq!(v["message"], "pods \"web-0\" is forbidden: ");
    assert_eq!(v["reason"], "Forbidden");
    assert_eq!(v["details"], serde_json::json!({"name": "web-0", "kind": "pods"}));
    // Both verbs: allowed.
    let hs = open(
        &sb,
        &target,
        Some(&format!("{}, v4.channel.k8s.io", token_protocol("both-token"))),
        &[],
    );
    assert_eq!(hs.status, 101);
}
