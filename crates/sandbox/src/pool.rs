//! A small keep-alive pool of HTTP/1.1 connections to plain-HTTP backends (Go's transport pools
//! too). Requests check out an idle connection to their dial address, or dial a new one; the
//! connection goes back as soon as the response head arrives and is reused once its body has
//! been read (`SendRequest::is_ready`). A connection that went away before the request was
//! written is skipped and the request tried on another one.

use std::net::SocketAddr;
use std::sync::Mutex;

use hyper::body::Incoming;
use hyper::client::conn::http1::SendRequest;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpStream;

/// At most this many connections are kept (busy or idle); more are closed after their response.
const MAX_KEPT: usize = 64;

/// The pool; cheap to share (`&Pool` from the server state).
#[derive(Default)]
pub struct Pool {
    conns: Mutex<Vec<(SocketAddr, SendRequest<Incoming>)>>,
}

impl Pool {
    /// An empty pool.
    pub fn new() -> Pool {
        Pool::default()
    }

    /// A ready connection to `dial`, most recently used first; closed ones are dropped.
    fn checkout(&self, dial: SocketAddr) -> Option<SendRequest<Incoming>> {
        let mut conns = self.conns.lock().ok()?;
        conns.retain(|(_, s)| !s.is_closed());
        let i = conns
            .iter()
            .rposition(|(addr, s)| *addr == dial && s.is_ready())?;
        Some(conns.swap_remove(i).1)
    }

    fn checkin(&self, dial: SocketAddr, sender: SendRequest<Incoming>) {
        if let Ok(mut conns) = self.conns.lock()
            && conns.len() < MAX_KEPT
        {
            conns.push((dial, sender));
        }
    }

    /// Sends `req` (origin-form URI, `Host` set) to `dial`. `host` is the cluster address the
    /// API server would name in a dial error.
    pub async fn send(
        &self,
        dial: SocketAddr,
        host: &str,
        mut req: Request<Incoming>,
    ) -> Result<Response<Incoming>, String> {
        while let Some(mut sender) = self.checkout(dial) {
            match sender.try_send_request(req).await {
                Ok(resp) => {
                    self.checkin(dial, sender);
                    return Ok(resp);
                }
                Err(mut e) => match e.take_message() {
                    // Not written: the connection was gone. Try the next one (or dial).
                    Some(r) => req = r,
                    None => return Err(e.into_error().to_string()),
                },
            }
        }
        let tcp = TcpStream::connect(dial)
            .await
            .map_err(|e| format!("dial tcp {host}: connect: {}", crate::proxy::go_errno(&e)))?;
        let _ = tcp.set_nodelay(true);
        let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(tcp))
            .await
            .map_err(|e| e.to_string())?;
        tokio::spawn(conn);
        let resp = sender.send_request(req).await.map_err(|e| e.to_string())?;
        self.checkin(dial, sender);
        Ok(resp)
    }
}
