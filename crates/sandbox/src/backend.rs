//! The built-in fixture backend: what a pod or node with `serve: FOLDER` runs.
//!
//! - static files from the folder (`/` and folders serve `index.html`);
//! - `GET /api/data` — JSON; `POST /login` — 302 to `/home`; `GET /home` — an HTML page;
//! - `GET /ws` with a WebSocket upgrade — first a text message naming the request target it
//!   received (so tests can see the query the API server forwarded), then an echo;
//! - test helpers: any request with `X-Echo: 1` gets a JSON echo of method, target, headers and
//!   body; `/_respond?status=&ct=&enc=&body=&location=&cors=1` answers exactly as told.

use std::io::Write as _;
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

use base64::Engine as _;
use bytes::Bytes;
use http_body_util::BodyExt;
use hyper::body::Incoming;
use hyper::header::{CONTENT_ENCODING, CONTENT_TYPE, HeaderValue, LOCATION};
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Method, Request, Response, StatusCode};
use hyper_util::rt::TokioIo;
use serde_json::json;
use tokio::io::{AsyncReadExt, AsyncWriteExt};
use tokio::net::TcpListener;

use crate::fixture::Encoding;
use crate::server::{Body, full};

/// Runs the backend on an already-bound listener (plain HTTP, or TLS when `tls` is given);
/// `encoding` is the pod's `encoding:` (how its files are sent).
pub fn spawn(
    listener: TcpListener,
    dir: PathBuf,
    tls: Option<tokio_rustls::TlsAcceptor>,
    encoding: Option<Encoding>,
) {
    let dir = Arc::new(dir);
    tokio::spawn(async move {
        loop {
            let Ok((stream, _)) = listener.accept().await else {
                continue;
            };
            let _ = stream.set_nodelay(true);
            let local = stream.local_addr().ok();
            let dir = dir.clone();
            let tls = tls.clone();
            tokio::spawn(async move {
                let service = service_fn(move |req| {
                    let dir = dir.clone();
                    async move { Ok::<_, std::convert::Infallible>(route(req, &dir, local, encoding).await) }
                });
                match tls {
                    Some(acc) => {
                        if let Ok(s) = acc.accept(stream).await {
                            let _ = http1::Builder::new()
                                .serve_connection(TokioIo::new(s), service)
                                .with_upgrades()
                                .await;
                        }
                    }
                    None => {
                        let _ = http1::Builder::new()
                            .serve_connection(TokioIo::new(stream), service)
                            .with_upgrades()
                            .await;
                    }
                }
            });
        }
    });
}

fn respond(status: StatusCode, ct: &'static str, body: impl Into<Bytes>) -> Response<Body> {
    let mut r = Response::new(full(body));
    *r.status_mut() = status;
    r.headers_mut().insert(CONTENT_TYPE, HeaderValue::from_static(ct));
    r
}

fn query_param(q: &str, key: &str) -> Option<String> {
    q.split('&').find_map(|kv| {
        let (k, v) = kv.split_once('=').unwrap_or((kv, ""));
        (k == key).then(|| {
            let plus = v.replace('+', " ");
            crate::gourl::unescape(&plus)
                .map(|b| String::from_utf8_lossy(&b).into_owned())
                .unwrap_or(plus)
        })
    })
}

async fn route(
    mut req: Request<Incoming>,
    dir: &Path,
    local: Option<SocketAddr>,
    encoding: Option<Encoding>,
) -> Response<Body> {
    let path = req.uri().path().to_owned();
    let query = req.uri().query().unwrap_or("").to_owned();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    if req.headers().get("x-echo").is_some_and(|v| v == "1") {
        let headers: serde_json::Map<String, serde_json::Value> = req
            .headers()
            .keys()
            .map(|k| {
                let vals: Vec<String> = req
                    .headers()
                    .get_all(k)
                    .iter()
                    .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned())
                    .collect();
                (k.as_str().to_owned(), json!(vals))
            })
            .collect();
        let method = req.method().to_string();
        let body = req
            .into_body()
            .collect()
            .await
            .map(|c| c.to_bytes())
            .unwrap_or_default();
        let v = json!({
            "method": method,
            "target": target,
            "headers": headers,
            "body": String::from_utf8_lossy(&body),
            "local": local.map(|l| l.to_string()),
        });
        return respond(StatusCode::OK, "application/json", v.to_string());
    }
    let is_upgrade = req
        .headers()
        .get("upgrade")
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.eq_ignore_ascii_case("websocket"));
    if path == "/ws" {
        if !is_upgrade {
            return respond(
                StatusCode::BAD_REQUEST,
                "text/plain; charset=utf-8",
                "expected a WebSocket upgrade\n",
            );
        }
        return websocket(&mut req, target);
    }
    match (req.method(), path.as_str()) {
        (&Method::GET, "/api/data") => respond(
            StatusCode::OK,
            "application/json",
            json!({
                "items": ["alpha", "beta", "gamma"],
                "path": path,
                "forwardedUri": req.headers().get("x-forwarded-uri").map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned()),
                // Tests check that no caller's credential ever reaches a backend.
                "authorization": req.headers().contains_key(hyper::header::AUTHORIZATION),
            })
            .to_string(),
        ),
        (&Method::POST, "/login") => {
            let mut r = respond(StatusCode::FOUND, "text/plain; charset=utf-8", "");
            r.headers_mut()
                .insert(LOCATION, HeaderValue::from_static("/home"));
            r
        }
        (&Method::GET | &Method::HEAD, "/home") => {
            encoded_file(dir, "/home.html", encoding, req.headers()).await
        }
        (_, "/_respond") => respond_as_told(&query),
        _ if req.method() == Method::GET || req.method() == Method::HEAD => {
            encoded_file(dir, &path, encoding, req.headers()).await
        }
        _ => respond(
            StatusCode::METHOD_NOT_ALLOWED,
            "text/plain; charset=utf-8",
            "method not allowed\n",
        ),
    }
}

fn respond_as_told(q: &str) -> Response<Body> {
    let status = query_param(q, "status")
        .and_then(|s| s.parse::<u16>().ok())
        .and_then(|s| StatusCode::from_u16(s).ok())
        .unwrap_or(StatusCode::OK);
    let body = query_param(q, "body").unwrap_or_default().into_bytes();
    let enc = query_param(q, "enc").unwrap_or_default();
    let bytes: Vec<u8> = match enc.as_str() {
        "gzip" => {
            let mut e = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = e.write_all(&body);
            e.finish().unwrap_or_default()
        }
        "deflate" => {
            let mut e = flate2::write::DeflateEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = e.write_all(&body);
            e.finish().unwrap_or_default()
        }
        "zlib" => {
            let mut e = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
            let _ = e.write_all(&body);
            e.finish().unwrap_or_default()
        }
        _ => body,
    };
    let mut r = Response::new(full(bytes));
    *r.status_mut() = status;
    let h = r.headers_mut();
    if let Some(ct) = query_param(q, "ct")
        && let Ok(v) = HeaderValue::from_str(&ct)
    {
        h.insert(CONTENT_TYPE, v);
    }
    let wire_enc = if enc == "zlib" { "deflate".to_owned() } else { enc };
    if !wire_enc.is_empty()
        && let Ok(v) = HeaderValue::from_str(&wire_enc)
    {
        h.insert("content-encoding", v);
    }
    if let Some(l) = query_param(q, "location")
        && let Ok(v) = HeaderValue::from_str(&l)
    {
        h.insert(LOCATION, v);
    }
    if query_param(q, "cors").is_some() {
        for (k, v) in [
            ("access-control-allow-origin", "*"),
            ("access-control-allow-methods", "GET"),
            ("access-control-allow-headers", "X-A"),
            ("access-control-allow-credentials", "true"),
            ("access-control-expose-headers", "X-B"),
            ("access-control-max-age", "60"),
        ] {
            h.insert(k, HeaderValue::from_static(v));
        }
    }
    if query_param(q, "cache").is_some() {
        h.insert("cache-control", HeaderValue::from_static("max-age=60"));
    }
    r
}

fn content_type(p: &Path) -> &'static str {
    match p.extension().and_then(|e| e.to_str()).unwrap_or("") {
        "html" | "htm" => "text/html; charset=utf-8",
        "css" => "text/css; charset=utf-8",
        "js" | "mjs" => "text/javascript; charset=utf-8",
        "json" => "application/json",
        "wasm" => "application/wasm",
        "svg" => "image/svg+xml",
        "png" => "image/png",
        "ico" => "image/x-icon",
        "txt" => "text/plain; charset=utf-8",
        _ => "application/octet-stream",
    }
}

/// Does an `Accept-Encoding` value allow `br` (RFC 9110 §12.5.3: listed, or `*`, with q > 0)?
fn accepts_br(h: &hyper::HeaderMap) -> bool {
    let mut br = None;
    let mut star = None;
    for v in h
        .get_all(hyper::header::ACCEPT_ENCODING)
        .iter()
        .filter_map(|v| v.to_str().ok())
    {
        for item in v.split(',') {
            let mut parts = item.split(';');
            let coding = parts.next().unwrap_or("").trim().to_ascii_lowercase();
            let q = parts
                .filter_map(|p| {
                    p.trim()
                        .strip_prefix("q=")
                        .or_else(|| p.trim().strip_prefix("Q="))
                })
                .find_map(|q| q.trim().parse::<f32>().ok())
                .unwrap_or(1.0);
            match coding.as_str() {
                "br" => br = Some(q > 0.0),
                "*" => star = Some(q > 0.0),
                _ => {}
            }
        }
    }
    br.or(star).unwrap_or(false)
}

/// A static file, encoded as the pod's `encoding:` says.
async fn encoded_file(
    dir: &Path,
    path: &str,
    encoding: Option<Encoding>,
    h: &hyper::HeaderMap,
) -> Response<Body> {
    let Some(encoding) = encoding else {
        return static_file(dir, path).await;
    };
    let Some((bytes, ct)) = read_static(dir, path).await else {
        return not_found();
    };
    let textual =
        ct.starts_with("text/html") || ct.starts_with("text/css") || ct.starts_with("text/javascript");
    let mut r = match encoding {
        Encoding::Identity => {
            let mut r = respond(StatusCode::OK, ct, bytes);
            r.headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static("identity"));
            r
        }
        Encoding::Brotli if textual && accepts_br(h) => {
            let mut out = Vec::new();
            let params = brotli::enc::BrotliEncoderParams::default();
            if brotli::BrotliCompress(&mut &bytes[..], &mut out, &params).is_err() {
                return respond(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    "text/plain; charset=utf-8",
                    "brotli failed\n",
                );
            }
            let mut r = respond(StatusCode::OK, ct, out);
            r.headers_mut()
                .insert(CONTENT_ENCODING, HeaderValue::from_static("br"));
            r
        }
        Encoding::Brotli => respond(StatusCode::OK, ct, bytes),
    };
    if encoding == Encoding::Brotli {
        r.headers_mut()
            .insert(hyper::header::VARY, HeaderValue::from_static("Accept-Encoding"));
    }
    r
}

fn not_found() -> Response<Body> {
    respond(
        StatusCode::NOT_FOUND,
        "text/plain; charset=utf-8",
        "404 page not found\n",
    )
}

/// A file under `dir` for the request path `path` (percent-encoded); `..` and `\` are refused.
/// Also serves `--www-dir` (`crate::www`).
pub(crate) async fn static_file(dir: &Path, path: &str) -> Response<Body> {
    match read_static(dir, path).await {
        Some((bytes, ct)) => respond(StatusCode::OK, ct, bytes),
        None => not_found(),
    }
}

/// The bytes and content type of the file `path` names under `dir`.
async fn read_static(dir: &Path, path: &str) -> Option<(Vec<u8>, &'static str)> {
    let Ok(decoded) = crate::gourl::unescape(path) else {
        return None;
    };
    let decoded = String::from_utf8_lossy(&decoded).into_owned();
    let mut file = dir.to_path_buf();
    for seg in decoded.split('/').filter(|s| !s.is_empty()) {
        if seg == ".." || seg == "." || seg.contains('\\') {
            return None;
        }
        file.push(seg);
    }
    if file.is_dir() {
        file.push("index.html");
    }
    let bytes = tokio::fs::read(&file).await.ok()?;
    Some((bytes, content_type(&file)))
}

fn websocket(req: &mut Request<Incoming>, target: String) -> Response<Body> {
    let Some(key) = req
        .headers()
        .get("sec-websocket-key")
        .map(|k| k.as_bytes().to_vec())
    else {
        return respond(
            StatusCode::BAD_REQUEST,
            "text/plain; charset=utf-8",
            "missing Sec-WebSocket-Key\n",
        );
    };
    let mut sha = sha1_smol::Sha1::new();
    sha.update(&key);
    sha.update(b"258EAFA5-E914-47DA-95CA-C5AB0DC85B11");
    let accept = base64::engine::general_purpose::STANDARD.encode(sha.digest().bytes());
    let xfu = req
        .headers()
        .get("x-forwarded-uri")
        .map(|v| String::from_utf8_lossy(v.as_bytes()).into_owned());
    let hello = json!({"hello": target, "xForwardedUri": xfu}).to_string();
    let on_upgrade = hyper::upgrade::on(req);
    tokio::spawn(async move {
        let Ok(up) = on_upgrade.await else { return };
        let mut io = TokioIo::new(up);
        let _ = echo(&mut io, &hello).await;
    });
    let mut r = Response::new(full(Bytes::new()));
    *r.status_mut() = StatusCode::SWITCHING_PROTOCOLS;
    let h = r.headers_mut();
    h.insert("upgrade", HeaderValue::from_static("websocket"));
    h.insert("connection", HeaderValue::from_static("Upgrade"));
    if let Ok(v) = HeaderValue::from_str(&accept) {
        h.insert("sec-websocket-accept", v);
    }
    r
}

async fn write_frame<W: tokio::io::AsyncWrite + Unpin>(
    w: &mut W,
    opcode: u8,
    payload: &[u8],
) -> std::io::Result<()> {
    let mut head = vec![0x80 | opcode];
    let n = payload.len();
    if n < 126 {
        head.push(u8::try_from(n).unwrap_or(0));
    } else if let Ok(n16) = u16::try_from(n) {
        head.push(126);
        head.extend_from_slice(&n16.to_be_bytes());
    } else {
        head.push(127);
        head.extend_from_slice(&(n as u64).to_be_bytes());
    }
    w.write_all(&head).await?;
    w.write_all(payload).await?;
    w.flush().await
}

/// Sends the hello message then echoes every text/binary message until close.
async fn echo<S: tokio::io::AsyncRead + tokio::io::AsyncWrite + Unpin>(
    io: &mut S,
    hello: &str,
) -> std::io::Result<()> {
    write_frame(io, 1, hello.as_bytes()).await?;
    loop {
        let mut h = [0u8; 2];
        io.read_exact(&mut h).await?;
        let opcode = h[0] & 0x0f;
        let masked = h[1] & 0x80 != 0;
        let mut len = u64::from(h[1] & 0x7f);
        if len == 126 {
            let mut b = [0u8; 2];
            io.read_exact(&mut b).await?;
            len = u64::from(u16::from_be_bytes(b));
        } else if len == 127 {
            let mut b = [0u8; 8];
            io.read_exact(&mut b).await?;
            len = u64::from_be_bytes(b);
        }
        if len > 1 << 20 {
            return Ok(());
        }
        let mut mask = [0u8; 4];
        if masked {
            io.read_exact(&mut mask).await?;
        }
        let mut payload = vec![0u8; usize::try_from(len).unwrap_or(0)];
        io.read_exact(&mut payload).await?;
        if masked {
            for (i, b) in payload.iter_mut().enumerate() {
                *b ^= mask[i % 4];
            }
        }
        match opcode {
            0x8 => {
                write_frame(io, 0x8, &payload).await?;
                return Ok(());
            }
            0x9 => write_frame(io, 0xA, &payload).await?,
            0x1 | 0x2 => write_frame(io, opcode, &payload).await?,
            _ => {}
        }
    }
}
