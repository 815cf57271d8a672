use super::*;
use crate::go_path::clean;
use crate::segment::Scheme;
use crate::target::Port;
use proptest::prelude::*;

fn service(ns: &str, segment: &str) -> Target {
    Target::from_segment(Kind::Service, Some(ns), segment).unwrap()
}

fn pod(ns: &str, segment: &str) -> Target {
    Target::from_segment(Kind::Pod, Some(ns), segment).unwrap()
}

fn node(segment: &str) -> Target {
    Target::from_segment(Kind::Node, None, segment).unwrap()
}

const SERVER: &str = "https://10.0.0.1:6443";

/// client-go `ProxyGet` URL forms (spec §6, `rest/request.go`), with where kubeopen differs on
/// purpose: client-go `path.Join`s the suffix, dropping a trailing `/` (so `.../proxy` and a 301
/// for an empty path), and `url.Values.Encode` sorts keys; kubeopen keeps the trailing `/` (the
/// server keeps it too, `JoinPreservingTrailingSlash`) and the caller's key order.
#[test]
fn client_go_proxy_get_forms() {
    // ProxyGet("https","web","8443","/metrics",nil) in namespace ns.
    let web = service("ns", "https:web:8443");
    assert_eq!(
        proxy_url(SERVER, &web, "/metrics", Query::None).unwrap(),
        "https://10.0.0.1:6443/api/v1/namespaces/ns/services/https:web:8443/proxy/metrics"
    );
    // ProxyGet("","web","","x/",{"b":"2","a":"1"}) → client-go: .../services/web/proxy/x?a=1&b=2
    let web = service("ns", "web");
    assert_eq!(
        proxy_url(SERVER, &web, "x/", Query::Pairs(&[("a", "1"), ("b", "2")])).unwrap(),
        "https://10.0.0.1:6443/api/v1/namespaces/ns/services/web/proxy/x/?a=1&b=2"
    );
    assert_eq!(
        proxy_url(SERVER, &web, "x", Query::Pairs(&[("b", "2"), ("a", "1")])).unwrap(),
        "https://10.0.0.1:6443/api/v1/namespaces/ns/services/web/proxy/x?b=2&a=1"
    );
    // ProxyGet(..., path="") and path="/" → client-go: .../proxy, then the server's 301 to .../proxy/.
    for path in ["", "/"] {
        assert_eq!(
            proxy_url(SERVER, &web, path, Query::None).unwrap(),
            "https://10.0.0.1:6443/api/v1/namespaces/ns/services/web/proxy/"
        );
    }
    // Pods use the same form.
    assert_eq!(
        proxy_url(SERVER, &pod("ns", "web-0:8080"), "/healthz", Query::None).unwrap(),
        "https://10.0.0.1:6443/api/v1/namespaces/ns/pods/web-0:8080/proxy/healthz"
    );
}

/// `kubectl cluster-info` links (spec §6): `JoinSchemeNamePort(scheme, svcName, port.Name)`.
#[test]
fn cluster_info_ids() {
    for (segment, want) in [
        ("svc", "/api/v1/namespaces/kube-system/services/svc/proxy/"),
        (
            "svc:dns",
            "/api/v1/namespaces/kube-system/services/svc:dns/proxy/",
        ),
        (
            "https:svc:",
            "/api/v1/namespaces/kube-system/services/https:svc:/proxy/",
        ),
        (
            "https:svc:https",
            "/api/v1/namespaces/kube-system/services/https:svc:https/proxy/",
        ),
        (
            "https:svc:http",
            "/api/v1/namespaces/kube-system/services/https:svc:http/proxy/",
        ),
    ] {
        assert_eq!(proxy_path(&service("kube-system", segment)), want, "{segment:?}");
    }
    assert_eq!(proxy_path(&node("n1")), "/api/v1/nodes/n1/proxy/");
}

#[test]
fn server_bases() {
    let t = service("monitoring", "grafana:3000");
    let suffix = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d";
    for (server, base) in [
        ("http://localhost:8001", "http://localhost:8001"),
        ("http://localhost:8001/", "http://localhost:8001"),
        // kubectl proxy --api-prefix=/k8s-api/
        ("http://localhost:8001/k8s-api/", "http://localhost:8001/k8s-api"),
        (
            "https://rancher.example/k8s/clusters/c-abc",
            "https://rancher.example/k8s/clusters/c-abc",
        ),
        (
            "https://headlamp.example/clusters/prod//",
            "https://headlamp.example/clusters/prod",
        ),
        ("https://192.168.49.2:8443", "https://192.168.49.2:8443"),
        ("https://[::1]:6443", "https://[::1]:6443"),
        ("https://[fd00::1]", "https://[fd00::1]"),
        ("https://api.example:443", "https://api.example:443"),
        ("  https://api.example  ", "https://api.example"),
    ] {
        assert_eq!(
            proxy_url(server, &t, "d", Query::None).unwrap(),
            format!("{base}{suffix}"),
            "{server:?}"
        );
    }
}

#[test]
fn server_errors_say_what_and_where() {
    let t = service("ns", "web");
    let err = |server| match proxy_url(server, &t, "", Query::None) {
        Err(ProxyUrlError::Server { reason, at, .. }) => (reason, at),
        Ok(url) => panic!("{server:?} gave {url:?}"),
    };
    assert_eq!(err("localhost:8001").1, 0);
    assert_eq!(err("https://x/a?b").1, 11);
    assert_eq!(err("https://x/a#b").1, 11);
    assert_eq!(err("https://x/a b").1, 11);
    assert_eq!(err("https://x/a/../b").1, 12);
    assert_eq!(err("https://x/%2e").1, 10);
    assert_eq!(err(" https://u@x").1, 10);
    assert!(err("https://x/a/..").0.contains("'..'"));
}

#[test]
fn queries() {
    let t = service("ns", "web");
    let url = |path, query| {
        let url = proxy_url("http://h", &t, path, query).unwrap();
        url.split_once("/proxy/").unwrap().1.to_owned()
    };
    assert_eq!(url("x", Query::Raw("a=1&b=%20")), "x?a=1&b=%20");
    assert_eq!(url("x", Query::Raw("?a=1")), "x?a=1");
    assert_eq!(url("x", Query::Raw("")), "x");
    assert_eq!(url("x", Query::Raw("q=it's #1 é")), "x?q=it%27s%20%231%20%C3%A9");
    assert_eq!(url("x", Query::Pairs(&[])), "x");
    assert_eq!(
        url("x", Query::Pairs(&[("q", "a b"), ("q", "c&d=e"), ("", "")])),
        "x?q=a+b&q=c%26d%3De&="
    );
    // The path's own query comes first.
    assert_eq!(
        url("x?orgId=1", Query::Pairs(&[("from", "now-1h")])),
        "x?orgId=1&from=now-1h"
    );
    assert_eq!(url("x?", Query::Raw("a")), "x?a");
    assert_eq!(url("x?", Query::None), "x?");
    // The fragment is kept, after the query.
    assert_eq!(url("#/login", Query::Raw("a=1")), "?a=1#/login");
    assert_eq!(url("d?x#a b#c", Query::None), "d?x#a%20b%23c");
}

/// Spec §4.1: the server decodes `%2F`, keeps `..`, then cleans; browsers resolve dot segments.
/// Every spelling here stays inside the prefix.
#[test]
fn no_escape_examples() {
    let t = service("ns", "web");
    let prefix = "http://h/api/v1/namespaces/ns/services/web/proxy/";
    for (path, want) in [
        ("..", ""),
        ("../../../../api/v1/secrets", "api/v1/secrets"),
        ("%2e%2e/%2E%2e/", ""),
        ("%2E%2e/x", "x"),
        ("..%2f..%2fsecrets", "secrets"),
        ("..%2F..%2F", ""),
        ("..\\..\\secrets", "secrets"),
        ("..%5c..%5Csecrets", "secrets"),
        ("//evil.example/x", "evil.example/x"),
        ("a/..?x=../..", "?x=../.."),
        ("a/b/..#../..", "a/#../.."),
        ("?/../..", "?/../.."),
        (".\t./x", ".%09./x"),
    ] {
        assert_eq!(
            proxy_url("http://h", &t, path, Query::None).unwrap(),
            format!("{prefix}{want}"),
            "{path:?}"
        );
    }
}

#[test]
fn parses_proxy_urls() {
    let parsed = |url| parse_proxy_url(url).unwrap();
    let u = parsed(
        "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/https:grafana:3000/proxy/d/x?orgId=1#p",
    );
    assert_eq!(u.server, "https://10.0.0.1:6443");
    assert_eq!(u.target, service("monitoring", "https:grafana:3000"));
    assert_eq!(
        (u.path.as_str(), u.query.as_deref(), u.fragment.as_deref()),
        ("/d/x", Some("orgId=1"), Some("p"))
    );
    // `%3A`-encoded colons (browsers and some clients encode them), any case.
    let u = parsed("http://localhost:8001/api/v1/namespaces/ns/services/https%3aweb%3A8443/proxy/");
    assert_eq!(u.target, service("ns", "https:web:8443"));
    // `/proxy` with and without the trailing slash.
    assert_eq!(parsed("http://h/api/v1/nodes/n1/proxy").path, "");
    assert_eq!(parsed("http://h/api/v1/nodes/n1/proxy/").path, "/");
    assert_eq!(
        parsed("http://h/api/v1/nodes/n1/proxy?x").query.as_deref(),
        Some("x")
    );
    // A base with a path; `api/v1` inside the suffix belongs to the backend.
    let u = parsed(
        "https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/ns/pods/web-0:80/proxy/api/v1/x",
    );
    assert_eq!(
        (u.server.as_str(), u.path.as_str()),
        ("https://rancher.example/k8s/clusters/c-abc", "/api/v1/x")
    );
    assert_eq!(u.target, pod("ns", "web-0:80"));
    // IPv6 and a browser's reading of the path.
    let u = parsed("HTTPS://[::1]:6443/api/v1/nodes/n1/./proxy/a\\..\\b");
    assert_eq!((u.server.as_str(), u.path.as_str()), ("HTTPS://[::1]:6443", "/b"));
    assert_eq!(parsed(" http://h/api/v1/nodes/n\t1/proxy \n").target, node("n1"));
    // A base path a browser would escape comes back escaped, so it builds again (found by fuzzing).
    let u = parsed("https://h/a\u{10}b c/api/v1/nodes/n1/proxy/");
    assert_eq!(u.server, "https://h/a%10b%20c");
    assert_eq!(u.to_url().unwrap(), "https://h/a%10b%20c/api/v1/nodes/n1/proxy/");
    // The first complete proxy path wins, as on the server: the rest goes to the backend.
    let u = parsed("http://h/api/v1/namespaces/x/services/y/proxy/api/v1/nodes/n1/proxy/");
    assert_eq!(
        (u.target, u.path.as_str()),
        (service("x", "y"), "/api/v1/nodes/n1/proxy/")
    );
}

#[test]
fn refuses_what_is_not_a_proxy_url() {
    for url in [
        "",
        "grafana.monitoring:3000",
        "ftp://h/api/v1/nodes/n1/proxy/",
        "http://h/api/v1/nodes/n1",
        "http://h/api/v1/nodes/n1/proxyx",
        "http://h/api/v1/nodes/n1/log/",
        "http://h/api/v2/nodes/n1/proxy/",
        "http://h/apis/v1/nodes/n1/proxy/",
        "http://h/api/v1/namespaces/ns/secrets/s/proxy/",
        "http://h/api/v1/namespaces/ns/services/proxy/",
        "http://h/api/v1/namespaces/NS/services/web/proxy/",
        "http://h/api/v1/namespaces/ns/services/ftp:web:21/proxy/",
        "http://h/api/v1/namespaces/ns/services/a:b:c:d/proxy/",
        "http://h/api/v1/namespaces/ns/services/web:0/proxy/",
        "http://h/api/v1/namespaces/ns%2Fx/services/web/proxy/",
        "http://h/api/v1/namespaces/ns/services/web%zz/proxy/",
        // A browser resolves this to /api/v1/namespaces/ns/services/x.
        "http://h/api/v1/namespaces/ns/services/web/proxy/../../x",
        "http://u@h/api/v1/nodes/n1/proxy/",
    ] {
        assert_eq!(parse_proxy_url(url), None, "{url:?}");
    }
}

// ---- properties -------------------------------------------------------------------------

fn schemes() -> impl Strategy<Value = Option<Scheme>> {
    prop::option::of(prop_oneof![Just(Scheme::Http), Just(Scheme::Https)])
}

fn ports() -> impl Strategy<Value = Option<Port>> {
    prop::option::of(prop_oneof![
        (1u16..=65535).prop_map(|n| Port::number(n).unwrap()),
        "[a-z]([-a-z0-9]{0,13}[a-z0-9])?".prop_map(|name| Port::parse(&name).unwrap()),
    ])
}

fn targets() -> impl Strategy<Value = Target> {
    let label = "[a-z0-9]([-a-z0-9]{0,10}[a-z0-9])?";
    let dns1035 = "[a-z]([-a-z0-9]{0,10}[a-z0-9])?";
    let subdomain = "[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]{0,6}[a-z0-9])?){0,3}";
    let object = prop_oneof![
        (label, dns1035).prop_map(|(ns, name)| Target::service(&ns, &name).unwrap()),
        (label, subdomain).prop_map(|(ns, name)| Target::pod(&ns, &name).unwrap()),
        subdomain.prop_map(|name| Target::node(&name).unwrap()),
    ];
    (object, schemes(), ports()).prop_map(|(t, scheme, port)| t.with_scheme(scheme).with_port(port))
}

fn servers() -> impl Strategy<Value = String> {
    let origin = prop_oneof![
        Just("https://10.0.0.1:6443"),
        Just("http://localhost:8001"),
        Just("https://[::1]"),
        Just("https://[fd00:10:244::6b]:443"),
        Just("https://api.example.com"),
    ];
    let base_path = prop_oneof![
        Just(""),
        Just("/"),
        Just("/k8s/clusters/c-abc"),
        Just("/k8s-api/"),
        Just("/clusters/prod"),
    ];
    (origin, base_path).prop_map(|(o, p)| format!("{o}{p}"))
}

/// Path pieces chosen to attack the prefix: every spelling of a dot segment and a separator,
/// delimiters, controls that browsers strip, escapes that are and aren't valid.
fn hostile_paths() -> impl Strategy<Value = String> {
    const PIECES: &[&str] = &[
        "..", ".", "%2e", "%2E", "%2e%2e", "%2E%2e", ".%2E", "%2e.", "/", "//", "\\", "%2f", "%2F", "%5c",
        "%5C", "%252e", "?", "#", "%", "%zz", "\t", "\n", " ", ";", ":", "é", "api", "v1", "a",
    ];
    let piece = prop_oneof![
        3 => prop::sample::select(PIECES).prop_map(str::to_owned),
        1 => "[a-z]{1,3}",
    ];
    prop::collection::vec(piece, 0..12).prop_map(|pieces| pieces.concat())
}

/// Full percent-decoding, bytes kept even when they are not UTF-8 (as Go's server does).
fn decode_lossy(path: &str) -> String {
    let bytes = path.as_bytes();
    let mut out = Vec::new();
    let mut i = 0;
    while i < bytes.len() {
        if crate::percent::is_escape_at(bytes, i) {
            let hex = |b| crate::percent::hex_value(b).unwrap();
            out.push(hex(bytes[i + 1]) << 4 | hex(bytes[i + 2]));
            i += 3;
        } else {
            out.push(bytes[i]);
            i += 1;
        }
    }
    String::from_utf8_lossy(&out).into_owned()
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The brief's guarantee: whatever `path` is, (1) a WHATWG parser keeps the path under the
    /// prefix, (2) so does a reader that decodes everything and cleans (the API server, or a
    /// front proxy that normalises), and (3) the browser leaves our path, query and fragment
    /// exactly as written — whatever the query holds.
    #[test]
    fn no_path_escapes_the_prefix(
        server in servers(),
        target in targets(),
        path in hostile_paths(),
        raw_query in hostile_paths(),
        pairs in prop::collection::vec((hostile_paths(), hostile_paths()), 0..3),
        use_pairs in any::<bool>(),
    ) {
        let pairs: Vec<(&str, &str)> = pairs.iter().map(|(k, v)| (k.as_str(), v.as_str())).collect();
        let query = if use_pairs { Query::Pairs(&pairs) } else { Query::Raw(&raw_query) };
        let built = proxy_url(&server, &target, &path, query).unwrap();
        let base = server.trim_end_matches('/');
        let base_path = &base[split_url(base).unwrap().origin.len()..];
        let prefix = format!("{base_path}{}", proxy_path(&target));

        let parsed = url::Url::parse(&built).unwrap();
        prop_assert!(parsed.path().starts_with(&prefix), "browser: {} from {built}", parsed.path());

        let server_view = clean(&decode_lossy(parsed.path()));
        prop_assert!(
            server_view.starts_with(prefix.trim_end_matches('/')),
            "decoded and cleaned: {server_view} from {built}"
        );

        let ours = &built[split_url(&built).unwrap().origin.len()..];
        prop_assert_eq!(&parsed[url::Position::BeforePath..], ours);
    }

    /// `parse(build(x)) == x` for every valid target, server and query.
    #[test]
    fn parse_inverts_build(
        server in servers(),
        target in targets(),
        path in "(/[a-z0-9.~-]{1,6}){0,4}/?",
        query in prop::option::of("[a-z0-9=&]{0,8}"),
        fragment in prop::option::of("[a-z0-9/]{0,8}"),
    ) {
        let mut full = path.clone();
        if let Some(q) = &query { full.push('?'); full.push_str(q); }
        if let Some(f) = &fragment { full.push('#'); full.push_str(f); }
        let built = proxy_url(&server, &target, &full, Query::None).unwrap();
        let parsed = parse_proxy_url(&built);
        prop_assert!(parsed.is_some(), "{built}");
        let parsed = parsed.unwrap();
        prop_assert_eq!(&parsed.server, server.trim_end_matches('/'));
        prop_assert_eq!(&parsed.target, &target);
        prop_assert_eq!(&parsed.query, &query);
        prop_assert_eq!(&parsed.fragment, &fragment);
        // The path comes back normalised, the way the builder wrote it.
        let mut normalised = String::from("/");
        crate::dot_segments::push_confined_path(&mut normalised, &path);
        prop_assert_eq!(&parsed.path, &normalised);
        prop_assert_eq!(parsed.to_url().unwrap(), built);
    }

    /// Hostile paths round-trip too: parsing what we built finds the same target, and building
    /// again from the parts gives the same URL.
    #[test]
    fn hostile_paths_round_trip(target in targets(), path in hostile_paths()) {
        let built = proxy_url(SERVER, &target, &path, Query::None).unwrap();
        let parsed = parse_proxy_url(&built);
        prop_assert!(parsed.is_some(), "{built}");
        let parsed = parsed.unwrap();
        prop_assert_eq!(&parsed.target, &target);
        prop_assert_eq!(parsed.to_url().unwrap(), built);
    }

    /// Anything at all: no panic.
    #[test]
    fn parse_is_total(url in "\\PC{0,60}|https?://[a-z]{1,3}/api/v1/(nodes|namespaces/[a-z%3A]{0,4}/(services|pods))/[a-z%3A:./\\\\]{0,12}/proxy[/?#.a-z%]{0,8}") {
        let _ = parse_proxy_url(&url);
    }
}
