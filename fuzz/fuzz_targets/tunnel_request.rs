//! The tunnel's HTTP request writer (`tunnel::http_request`) on any path, method and header:
//! no panic, and a head it writes is one request — it ends with the only empty line, every line
//! ends in CRLF, no CR or LF anywhere else — so no input can smuggle a second request.
#![no_main]

use kubeopen::target::{Port, Target};
use libfuzzer_sys::fuzz_target;

fuzz_target!(|input: &str| {
    let mut parts = input.splitn(4, '\u{1}');
    let (path, method, name, value) = (
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
        parts.next().unwrap_or_default(),
    );
    let Ok(target) = Target::service("demo", "web") else {
        return;
    };
    let target = target.with_port(Port::parse("http").ok());
    let method = if method.is_empty() { "GET" } else { method };
    let headers = [(name.to_owned(), value.to_owned())];
    let Ok(head) = kubeopen::tunnel::http_request(&target, path, 8080, method, &headers, None) else {
        return;
    };
    let text = String::from_utf8(head).expect("a head is text");
    assert!(text.ends_with("\r\n\r\n"));
    assert_eq!(text.matches("\r\n\r\n").count(), 1, "{text:?}");
    for line in text[..text.len() - 4].split("\r\n") {
        assert!(!line.contains(['\r', '\n', '\0']), "{text:?}");
    }
    assert!(text.starts_with(&format!("{method} /")));
    assert!(text.contains("\r\nX-Forwarded-Uri: /api/v1/namespaces/demo/services/web:http/proxy/"));
});
