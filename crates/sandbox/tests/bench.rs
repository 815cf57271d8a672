//! Side-by-side proxy overhead (issue 4 budgets): the same backend route hit directly and
//! through `services/proxy`, interleaved in one run. Not part of the normal test run:
//! `cargo test --release -p kubeopen-sandbox --test bench -- --ignored --nocapture`.

// Test helpers outside #[test] functions may panic too.
#![allow(clippy::unwrap_used, clippy::expect_used, clippy::panic)]

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpStream;
use std::time::{Duration, Instant};

mod common;
use common::{Sandbox, fixtures};

/// One keep-alive connection doing GETs.
struct Conn {
    r: BufReader<TcpStream>,
    w: TcpStream,
    host: String,
}

impl Conn {
    fn new(addr: &str) -> Conn {
        let s = TcpStream::connect(addr).unwrap();
        s.set_nodelay(true).unwrap();
        Conn {
            r: BufReader::new(s.try_clone().unwrap()),
            w: s,
            host: addr.to_owned(),
        }
    }
    fn get(&mut self, path: &str) -> usize {
        write!(
            self.w,
            "GET {path} HTTP/1.1\r\nHost: {}\r\nAccept-Encoding: gzip\r\n\r\n",
            self.host
        )
        .unwrap();
        let mut line = String::new();
        self.r.read_line(&mut line).unwrap();
        assert!(line.starts_with("HTTP/1.1 200"), "{line}");
        let (mut len, mut chunked) = (0usize, false);
        loop {
            line.clear();
            self.r.read_line(&mut line).unwrap();
            let l = line.to_ascii_lowercase();
            if l == "\r\n" {
                break;
            }
            if let Some(v) = l.strip_prefix("content-length:") {
                len = v.trim().parse().unwrap();
            }
            if l.starts_with("transfer-encoding:") && l.contains("chunked") {
                chunked = true;
            }
        }
        if !chunked {
            let mut b = vec![0u8; len];
            self.r.read_exact(&mut b).unwrap();
            return len;
        }
        let mut total = 0;
        loop {
            line.clear();
            self.r.read_line(&mut line).unwrap();
            let n = usize::from_str_radix(line.trim(), 16).unwrap();
            let mut b = vec![0u8; n + 2];
            self.r.read_exact(&mut b).unwrap();
            total += n;
            if n == 0 {
                return total;
            }
        }
    }
}

fn median(v: &mut [Duration]) -> Duration {
    v.sort();
    v[v.len() / 2]
}

fn throughput(addr: &str, path: &str, threads: usize, dur: Duration) -> f64 {
    let hs: Vec<_> = (0..threads)
        .map(|_| {
            let (addr, path) = (addr.to_owned(), path.to_owned());
            std::thread::spawn(move || {
                let mut c = Conn::new(&addr);
                let t0 = Instant::now();
                let mut n = 0u64;
                while t0.elapsed() < dur {
                    c.get(&path);
                    n += 1;
                }
                n
            })
        })
        .collect();
    let n: u64 = hs.into_iter().map(|h| h.join().unwrap()).sum();
    n as f64 / dur.as_secs_f64()
}

#[test]
#[ignore = "benchmark: run explicitly with --ignored --nocapture (release build)"]
fn proxy_overhead() {
    let f = fixtures().join("clusters/demo.yaml");
    let sb = Sandbox::start(&["--fixture", f.to_str().unwrap(), "--verbose"]);
    let line = sb.wait_log("fixture address 10.244.1.10 is dialled at ");
    let ip = line.rsplit(' ').next().unwrap();
    let direct = format!("{ip}:8080");
    for (name, path) in [("json /api/data", "/api/data"), ("html / (rewritten)", "/")] {
        let proxied_path = format!("/api/v1/namespaces/demo/services/web:http/proxy{path}");
        let (mut d, mut p) = (Vec::new(), Vec::new());
        let mut cd = Conn::new(&direct);
        let mut cp = Conn::new(&sb.addr);
        for _ in 0..200 {
            cd.get(path);
            cp.get(&proxied_path);
        }
        for _ in 0..2000 {
            let t = Instant::now();
            cd.get(path);
            d.push(t.elapsed());
            let t = Instant::now();
            cp.get(&proxied_path);
            p.push(t.elapsed());
        }
        let (md, mp) = (median(&mut d), median(&mut p));
        // Interleaved rounds, medians (the machine has bursts of noise).
        let (mut tds, mut tps) = (Vec::new(), Vec::new());
        for _ in 0..5 {
            tds.push(throughput(&direct, path, 4, Duration::from_millis(500)));
            tps.push(throughput(&sb.addr, &proxied_path, 4, Duration::from_millis(500)));
        }
        tds.sort_by(f64::total_cmp);
        tps.sort_by(f64::total_cmp);
        let (td, tp) = (tds[2], tps[2]);
        println!(
            "{name}: p50 direct {:.0} µs, proxied {:.0} µs (+{:.0} µs); throughput direct {td:.0} req/s, proxied {tp:.0} req/s ({:.0} %)",
            md.as_secs_f64() * 1e6,
            mp.as_secs_f64() * 1e6,
            (mp.as_secs_f64() - md.as_secs_f64()) * 1e6,
            100.0 * tp / td
        );
    }
    // Memory under 1,000 concurrent keep-alive connections, each used once through the proxy.
    let rss = || {
        let status = std::fs::read_to_string(format!("/proc/{}/status", sb.pid())).unwrap();
        let line = status
            .lines()
            .find(|l| l.starts_with("VmRSS:"))
            .unwrap()
            .to_owned();
        line.split_whitespace().nth(1).unwrap().parse::<u64>().unwrap()
    };
    let before = rss();
    let mut conns: Vec<Conn> = (0..1000).map(|_| Conn::new(&sb.addr)).collect();
    for c in &mut conns {
        c.get("/api/v1/namespaces/demo/services/web:http/proxy/api/data");
    }
    let during = rss();
    for c in &mut conns {
        c.get("/api/v1/namespaces/demo/services/web:http/proxy/api/data");
    }
    let again = rss();
    println!(
        "RSS: {before} kB idle, {during} kB with 1000 keep-alive connections, {again} kB after a second round"
    );
}
