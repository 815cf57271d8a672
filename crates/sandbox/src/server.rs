//! The HTTP/1.1 listener: accepts connections, routes by the raw request path, stops on Ctrl-C.

use std::convert::Infallible;
use std::net::SocketAddr;

use bytes::Bytes;
use http_body_util::Full;
use hyper::server::conn::http1;
use hyper::service::service_fn;
use hyper::{Request, Response};
use hyper_util::rt::TokioIo;
use tokio::net::TcpListener;

use crate::api;

/// Serves until Ctrl-C (SIGINT) or SIGTERM.
pub async fn serve(listen: SocketAddr) -> std::io::Result<()> {
    let listener = TcpListener::bind(listen).await.map_err(|e| {
        std::io::Error::new(
            e.kind(),
            format!("cannot listen on {listen}: {e} (is another server using this port?)"),
        )
    })?;
    let local = listener.local_addr()?;
    println!("kubeopen-sandbox listening on http://{local}");
    let shutdown = shutdown_signal();
    tokio::pin!(shutdown);
    loop {
        tokio::select! {
            accepted = listener.accept() => {
                let (stream, _peer) = match accepted {
                    Ok(c) => c,
                    Err(e) => { eprintln!("kubeopen-sandbox: accept: {e}"); continue; }
                };
                tokio::spawn(async move {
                    let service = service_fn(move |req| handle(req, local));
                    // Client hang-ups are normal; nothing to report.
                    let _ = http1::Builder::new().serve_connection(TokioIo::new(stream), service).await;
                });
            }
            () = &mut shutdown => {
                println!("kubeopen-sandbox: stopping");
                return Ok(());
            }
        }
    }
}

async fn handle(
    req: Request<hyper::body::Incoming>,
    local: SocketAddr,
) -> Result<Response<Full<Bytes>>, Infallible> {
    Ok(api::route(req.method(), req.uri().path(), local))
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
