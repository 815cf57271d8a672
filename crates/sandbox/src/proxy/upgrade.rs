//! Upgrades (spec §4.3): the request goes to `h.Location` — without the client's query string
//! unless `--fix-upgrade-query` — with no X-Forwarded-Uri, no rewriting and no CORS stripping.

use std::sync::Arc;
use std::time::Instant;

use hyper::body::Incoming;
use hyper::header::{HeaderValue, USER_AGENT};
use hyper::{Request, Response, StatusCode};
use hyper_util::rt::TokioIo;

use super::{Location, append_forwarded_for, log, send};
use crate::api;
use crate::gourl;
use crate::server::{Body, BoxError, Conn, State};
use http_body_util::BodyExt;

/// Serves one upgrade request.
pub async fn handle(
    state: Arc<State>,
    mut req: Request<Incoming>,
    conn: Conn,
    loc: Location,
    location_path: Vec<u8>,
    dial_error: Option<String>,
    t0: Instant,
) -> Response<Body> {
    let method = req.method().clone();
    let target = req
        .uri()
        .path_and_query()
        .map_or_else(String::new, |pq| pq.as_str().to_owned());
    let mut uri = gourl::escape(&location_path, gourl::Mode::Path);
    if uri.is_empty() {
        uri.push('/');
    }
    if state.fix_upgrade_query
        && let Some(q) = req.uri().query()
        && !q.is_empty()
    {
        uri.push('?');
        uri.push_str(q);
    }
    let backend_log = format!(
        "{}://{}{} (dial {}, upgrade)",
        loc.scheme, loc.host, uri, loc.dial
    );
    let client_upgrade = hyper::upgrade::on(&mut req);
    let (parts, body) = req.into_parts();
    let mut headers = parts.headers;
    append_forwarded_for(&mut headers, &conn.peer_ip);
    // Go's Request.Write adds a User-Agent when there is none.
    if !headers.contains_key(USER_AGENT) {
        headers.insert(USER_AGENT, HeaderValue::from_static("Go-http-client/1.1"));
    }
    let mut breq = Request::new(body);
    *breq.method_mut() = method.clone();
    *breq.headers_mut() = headers;
    *breq.uri_mut() = match uri.parse() {
        Ok(u) => u,
        Err(e) => return api::status(StatusCode::INTERNAL_SERVER_ERROR, "", &e.to_string(), None),
    };
    if let Some(e) = dial_error {
        log(&state, &method, &target, &backend_log, 500, t0);
        return api::status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "",
            &format!("error dialing backend: {e}"),
            None,
        );
    }
    let mut resp = match send(&state, &loc, breq, true).await {
        Ok(r) => r,
        Err(e) => {
            log(&state, &method, &target, &backend_log, 500, t0);
            return api::status(
                StatusCode::INTERNAL_SERVER_ERROR,
                "",
                &format!("error dialing backend: {e}"),
                None,
            );
        }
    };
    let status = resp.status();
    log(&state, &method, &target, &backend_log, status.as_u16(), t0);
    if status == StatusCode::SWITCHING_PROTOCOLS {
        let backend_upgrade = hyper::upgrade::on(&mut resp);
        let mut out = Response::new(crate::server::full(bytes::Bytes::new()));
        *out.status_mut() = status;
        *out.headers_mut() = resp.headers().clone();
        tokio::spawn(async move {
            let (Ok(c), Ok(b)) = (client_upgrade.await, backend_upgrade.await) else {
                return;
            };
            let mut c = TokioIo::new(c);
            let mut b = TokioIo::new(b);
            let _ = tokio::io::copy_bidirectional(&mut c, &mut b).await;
        });
        return out;
    }
    if status.as_u16() < 400 {
        return api::status(
            StatusCode::INTERNAL_SERVER_ERROR,
            "",
            &format!("invalid upgrade response: status code {}", status.as_u16()),
            None,
        );
    }
    // An error response is written through as the backend sent it.
    let (parts, body) = resp.into_parts();
    let mut out = Response::new(body.map_err(|e| -> BoxError { Box::new(e) }).boxed());
    *out.status_mut() = parts.status;
    *out.headers_mut() = parts.headers;
    out
}
