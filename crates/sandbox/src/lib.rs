//! `kubeopen-sandbox`: a local stand-in for kube-apiserver, faithful where kubeopen touches it.
//!
//! The binary (`src/main.rs`) only calls [`main`]. The library exists so the fuzz targets can
//! reach the pure request-path functions: [`paths`] (request path splitting, the proxy's
//! backend path) and [`gourl`] (Go's `net/url` and `path` pieces).
//!
//! Usage: see `usage()` and `crates/sandbox/README.md`. On start it prints one line,
//! `kubeopen-sandbox listening on http://ADDR:PORT` (`https://` with `--tls`), which tests wait
//! for (use port 0 to get a free one). SIGINT/SIGTERM stop it cleanly.

use std::collections::HashMap;
use std::net::{IpAddr, Ipv4Addr, SocketAddr};
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::SystemTime;

use tokio::net::TcpListener;

mod api;
mod auth;
mod backend;
mod cors;
mod fixture;
pub mod gourl;
mod html;
pub mod paths;
mod pool;
pub mod portforward;
mod proxy;
mod server;
mod tls;
mod ws;
mod www;

fn usage() -> &'static str {
    "usage: kubeopen-sandbox [--listen ADDR:PORT] [--fixture FILE] [--verbose]
                        [--token-auth-file CSV] [--basic-auth-file CSV] [--authz-file YAML]
                        [--tls [--cert-dir DIR]] [--fix-upgrade-query]
                        [--cors-allowed-origins REGEX[,REGEX...]]
                        [--www-dir DIR [--www-prefix PREFIX]]

  --listen ADDR:PORT     where the API server listens (default 127.0.0.1:8443; port 0 = any)
  --fixture FILE         the cluster (YAML; see crates/sandbox/README.md); default: empty cluster
  --token-auth-file CSV  bearer tokens, kube-apiserver format: token,user,uid,\"group1,group2\"
  --basic-auth-file CSV  passwords, same format: password,user,uid,\"groups\"
  --authz-file YAML      per-user/group rules (403 otherwise); default: every user may do anything
                         With no auth file at all, every request is allowed (kubectl-proxy style).
  --tls                  serve HTTPS with a generated CA; files go to --cert-dir
  --cert-dir DIR         where --tls writes ca.crt, ca.key, tls.crt, tls.key, kubeconfig
                         (default: $TMPDIR/kubeopen-sandbox-PORT)
  --cors-allowed-origins LIST
                         origins (regular expressions, comma-separated, repeatable) allowed
                         cross-origin access, like kube-apiserver's flag; default: none
  --fix-upgrade-query    forward the query string on upgrades (kubernetes PR #139292);
                         default: dropped, as kube-apiserver does (spec §4.3)
  --www-dir DIR          also serve the files in DIR, without authentication, under --www-prefix
                         (like kubectl proxy --www; a real API server has no such thing)
  --www-prefix PREFIX    where --www-dir is served (default /static/, as kubectl proxy)
  --verbose              log every proxied request (method, target, backend, status, time)"
}

struct Config {
    listen: SocketAddr,
    fixture: Option<PathBuf>,
    token_file: Option<PathBuf>,
    basic_file: Option<PathBuf>,
    authz_file: Option<PathBuf>,
    tls: bool,
    cert_dir: Option<PathBuf>,
    verbose: bool,
    fix_upgrade_query: bool,
    cors_allowed_origins: Vec<String>,
    www_dir: Option<PathBuf>,
    www_prefix: String,
}

fn parse_args() -> Result<Config, String> {
    let mut c = Config {
        listen: SocketAddr::from(([127, 0, 0, 1], 8443)),
        fixture: None,
        token_file: None,
        basic_file: None,
        authz_file: None,
        tls: false,
        cert_dir: None,
        verbose: false,
        fix_upgrade_query: false,
        cors_allowed_origins: Vec::new(),
        www_dir: None,
        www_prefix: "/static/".to_owned(),
    };
    let mut args = std::env::args().skip(1);
    while let Some(arg) = args.next() {
        let mut value = |flag: &str| args.next().ok_or(format!("{flag} needs a value"));
        match arg.as_str() {
            "--listen" => {
                let v = value("--listen")?;
                c.listen = v.parse().map_err(|e| format!("--listen {v:?}: {e}"))?;
            }
            "--fixture" => c.fixture = Some(value("--fixture")?.into()),
            "--token-auth-file" => c.token_file = Some(value("--token-auth-file")?.into()),
            "--basic-auth-file" => c.basic_file = Some(value("--basic-auth-file")?.into()),
            "--authz-file" => c.authz_file = Some(value("--authz-file")?.into()),
            "--cert-dir" => c.cert_dir = Some(value("--cert-dir")?.into()),
            "--www-dir" => c.www_dir = Some(value("--www-dir")?.into()),
            "--www-prefix" => c.www_prefix = value("--www-prefix")?,
            "--tls" => c.tls = true,
            "--verbose" | "-v" => c.verbose = true,
            "--fix-upgrade-query" => c.fix_upgrade_query = true,
            "--cors-allowed-origins" => c.cors_allowed_origins.push(value("--cors-allowed-origins")?),
            "-h" | "--help" => return Err(usage().to_owned()),
            other => return Err(format!("unknown argument {other:?}\n{}", usage())),
        }
    }
    Ok(c)
}

/// A backend the sandbox runs for the fixture.
struct Served {
    ip: IpAddr,
    port: u16,
    dir: PathBuf,
    tls: bool,
    encoding: Option<fixture::Encoding>,
}

fn served_backends(c: &fixture::Cluster) -> Vec<Served> {
    let mut out = Vec::new();
    for p in &c.pods {
        let (Some(dir), Some(ip)) = (&p.serve, p.pod_ips.first().and_then(|s| s.parse::<IpAddr>().ok()))
        else {
            continue;
        };
        for port in p.containers.iter().flat_map(|k| &k.ports) {
            out.push(Served {
                ip,
                port: port.container_port,
                dir: dir.clone(),
                tls: false,
                encoding: p.encoding,
            });
        }
    }
    for n in &c.nodes {
        let (Some(dir), Some(ip)) = (
            &n.serve,
            n.addresses.iter().find_map(|a| a.address.parse::<IpAddr>().ok()),
        ) else {
            continue;
        };
        let port = if n.kubelet_port > 0 { n.kubelet_port } else { 10250 };
        out.push(Served {
            ip,
            port,
            dir: dir.clone(),
            tls: true,
            encoding: None,
        });
    }
    out
}

/// Maps every fixture IP to `127.R.x.y` and binds the served backends there, trying another
/// `R` when an address is taken (another sandbox on the machine).
async fn start_network(
    c: &fixture::Cluster,
    backend_tls: Option<tokio_rustls::TlsAcceptor>,
) -> Result<HashMap<IpAddr, IpAddr>, String> {
    let ips = c.fixture_ips();
    let served = served_backends(c);
    let seed = std::process::id()
        ^ SystemTime::now()
            .duration_since(SystemTime::UNIX_EPOCH)
            .map_or(0, |d| d.subsec_nanos());
    let mut last_err = String::new();
    for attempt in 0..32u32 {
        let r = u8::try_from((seed.wrapping_add(attempt.wrapping_mul(37))) % 253 + 1).unwrap_or(1);
        let mut net = HashMap::new();
        for (i, ip) in ips.iter().enumerate() {
            let i = i + 1;
            let [hi, lo] = u16::try_from(i).unwrap_or(u16::MAX).to_be_bytes();
            net.insert(*ip, IpAddr::V4(Ipv4Addr::new(127, r, hi, lo)));
        }
        for (from, to) in &c.dial_overrides {
            net.insert(*from, *to);
        }
        let mut listeners = Vec::new();
        let mut ok = true;
        for s in &served {
            let addr = SocketAddr::new(net.get(&s.ip).copied().unwrap_or(s.ip), s.port);
            match TcpListener::bind(addr).await {
                Ok(l) => listeners.push((l, s)),
                Err(e) => {
                    last_err = format!("cannot bind the backend for {}:{} at {addr}: {e}", s.ip, s.port);
                    ok = false;
                    break;
                }
            }
        }
        if ok {
            for (l, s) in listeners {
                let tls = if s.tls { backend_tls.clone() } else { None };
                backend::spawn(l, s.dir.clone(), tls, s.encoding);
            }
            return Ok(net);
        }
    }
    Err(last_err)
}

async fn run(cfg: Config) -> Result<(), String> {
    let cluster = match &cfg.fixture {
        Some(f) => fixture::load(f).map_err(|e| e.0)?,
        None => fixture::Cluster::empty(),
    };
    let www = match &cfg.www_dir {
        Some(dir) => Some(www::Www::new(dir.clone(), &cfg.www_prefix)?),
        None => None,
    };
    let auth = auth::Auth::load(
        cfg.token_file.as_deref(),
        cfg.basic_file.as_deref(),
        cfg.authz_file.as_deref(),
    )?;
    let listener = TcpListener::bind(cfg.listen).await.map_err(|e| {
        format!(
            "cannot listen on {}: {e} (is another server using this port?)",
            cfg.listen
        )
    })?;
    let local = listener.local_addr().map_err(|e| e.to_string())?;
    let needs_certs = cfg.tls || cluster.nodes.iter().any(|n| n.serve.is_some());
    let mut api_tls = None;
    let mut backend_tls = None;
    if needs_certs {
        let dir =
            if cfg.tls {
                Some(cfg.cert_dir.clone().unwrap_or_else(|| {
                    std::env::temp_dir().join(format!("kubeopen-sandbox-{}", local.port()))
                }))
            } else {
                None
            };
        let generated = tls::generate(dir.as_deref(), local)?;
        backend_tls = Some(tokio_rustls::TlsAcceptor::from(generated.backend));
        if let Some(dir) = dir {
            tls::write_kubeconfig(
                &dir,
                &format!("https://{local}"),
                auth.first_token().unwrap_or("kubeopen-sandbox-no-auth"),
            )?;
            eprintln!(
                "kubeopen-sandbox: TLS CA at {}, kubeconfig at {}",
                dir.join("ca.crt").display(),
                dir.join("kubeconfig").display()
            );
            api_tls = Some(tokio_rustls::TlsAcceptor::from(generated.server));
        }
    }
    let net = start_network(&cluster, backend_tls).await?;
    if cfg.verbose {
        let mut pairs: Vec<_> = net.iter().collect();
        pairs.sort();
        for (from, to) in pairs {
            eprintln!("kubeopen-sandbox: fixture address {from} is dialled at {to}");
        }
    }
    let state = Arc::new(server::State {
        cluster,
        net,
        auth,
        verbose: cfg.verbose,
        fix_upgrade_query: cfg.fix_upgrade_query,
        cors: cors::Cors::new(&cfg.cors_allowed_origins)?,
        www,
        started: SystemTime::now(),
        tls_client: tls::insecure_client()?,
        pool: pool::Pool::new(),
    });
    server::serve(listener, state, api_tls)
        .await
        .map_err(|e| e.to_string())
}

/// The whole program: parses the command line, runs the server until SIGINT/SIGTERM.
pub fn main() -> ExitCode {
    let cfg = match parse_args() {
        Ok(c) => c,
        Err(msg) => {
            eprintln!("kubeopen-sandbox: {msg}");
            return ExitCode::from(2);
        }
    };
    // One worker per core (2 on the benchmark machine); the in-process fixture backends share
    // them. Built explicitly instead of `#[tokio::main]` so the choice is visible.
    let rt = match tokio::runtime::Builder::new_multi_thread().enable_all().build() {
        Ok(rt) => rt,
        Err(e) => {
            eprintln!("kubeopen-sandbox: cannot start the runtime: {e}");
            return ExitCode::FAILURE;
        }
    };
    match rt.block_on(run(cfg)) {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("kubeopen-sandbox: {e}");
            ExitCode::FAILURE
        }
    }
}
