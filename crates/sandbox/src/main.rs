//! `kubeopen-sandbox`: a local stand-in for kube-apiserver, faithful where kubeopen touches it.
//!
//! Usage: `kubeopen-sandbox [--listen ADDR:PORT]` (default `127.0.0.1:8443`, plain HTTP).
//! On start it prints one line, `kubeopen-sandbox listening on http://ADDR:PORT`, which tests
//! wait for (use port 0 to get a free one).

use std::net::SocketAddr;
use std::process::ExitCode;

mod api;
mod server;

fn usage() -> &'static str {
    "usage: kubeopen-sandbox [--listen ADDR:PORT]"
}

fn parse_args() -> Result<SocketAddr, String> {
    let mut listen: SocketAddr = SocketAddr::from(([127, 0, 0, 1], 8443));
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        match arg.as_str() {
            "--listen" => {
                let v = args.next().ok_or("--listen needs ADDR:PORT")?;
                listen = v.parse().map_err(|e| format!("--listen {v:?}: {e}"))?;
            }
            "-h" | "--help" => return Err(usage().to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    Ok(listen)
}

#[tokio::main]
async fn main() -> ExitCode {
    let listen = match parse_args() {
        Ok(l) => l,
        Err(msg) => {
            eprintln!("kubeopen-sandbox: {msg}");
            return ExitCode::from(2);
        }
    };
    match server::serve(listen).await {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kubeopen-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
