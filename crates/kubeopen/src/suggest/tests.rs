use proptest::prelude::*;

use super::*;
use crate::proxy_url::parse_proxy_url;

const SERVER: &str = "https://10.0.0.1:6443";

fn endpoint(namespace: &str, name: &str, port: u16, port_name: Option<&str>, https: bool) -> SuggestEndpoint {
    let scheme = if https { "https:" } else { "" };
    let url = format!("{SERVER}/api/v1/namespaces/{namespace}/services/{scheme}{name}:{port}/proxy/");
    SuggestEndpoint::new(
        namespace,
        name,
        port,
        port_name,
        if https { "https" } else { "http" },
        &url,
    )
}

/// A small cluster: the sandbox's demo services, a monitoring stack, and names built to test
/// the ranking (`my-web` after a dash, `cobweb` anywhere).
fn cluster() -> Vec<SuggestEndpoint> {
    vec![
        endpoint("demo", "web", 80, Some("http"), false),       // 0
        endpoint("demo", "web-multi", 80, Some("http"), false), // 1
        endpoint("demo", "web-multi", 9100, Some("metrics"), false), // 2
        endpoint("demo", "web-unnamed", 80, None, false),       // 3
        endpoint("monitoring", "grafana", 3000, Some("service"), false), // 4
        endpoint("monitoring", "grafana", 8443, Some("https"), true), // 5
        endpoint("monitoring", "prometheus", 9090, Some("web"), false), // 6
        endpoint("other", "my-web", 8080, None, false),         // 7
        endpoint("other", "cobweb", 8080, None, false),         // 8
        endpoint("default", "web", 80, Some("http"), false),    // 9
        endpoint("argocd", "argocd-server", 443, Some("https"), true), // 10
        endpoint("argocd", "argocd-server", 80, Some("http"), false), // 11
    ]
}

fn options() -> SuggestOptions {
    SuggestOptions {
        namespace: "demo".to_owned(),
        limit: MAX_SUGGESTIONS,
        ..SuggestOptions::default()
    }
}

fn indices(input: &str) -> Vec<usize> {
    suggest_endpoints(input, &cluster(), &options())
        .iter()
        .map(|s| s.index)
        .collect()
}

fn first(input: &str) -> Suggestion {
    let found = suggest_endpoints(input, &cluster(), &options());
    match found.into_iter().next() {
        Some(s) => s,
        None => panic!("no suggestion for {input:?}"),
    }
}

fn url(namespace: &str, segment: &str, rest: &str) -> String {
    format!("{SERVER}/api/v1/namespaces/{namespace}/services/{segment}/proxy/{rest}")
}

#[test]
fn the_issue_examples_keep_the_typed_path() {
    let s = first("grafana.monitoring:3000/d/abc");
    assert_eq!(
        (s.index, s.url.as_str()),
        (4, url("monitoring", "grafana:3000", "d/abc").as_str())
    );
    assert_eq!(indices("grafana.monitoring:3000/d/abc"), [4]);

    // No port: every port of the service, each with the path.
    let found = suggest_endpoints("svc/monitoring/grafana/some/path", &cluster(), &options());
    let got: Vec<(usize, &str)> = found.iter().map(|s| (s.index, s.url.as_str())).collect();
    assert_eq!(
        got,
        [
            (4, url("monitoring", "grafana:3000", "some/path").as_str()),
            (5, url("monitoring", "https:grafana:8443", "some/path").as_str()),
        ]
    );
}

#[test]
fn query_and_fragment_are_kept_and_encoded() {
    let s = first("svc/demo/web:http/x?y=1&z=<a>#frag\"ment");
    assert_eq!(s.url, url("demo", "web:80", "x?y=1&z=%3Ca%3E#frag%22ment"));
    let s = first("web.demo/?q=1");
    assert_eq!(s.url, url("demo", "web:80", "?q=1"));
    let s = first("web.demo");
    assert_eq!(s.url, url("demo", "web:80", ""));
}

#[test]
fn a_typed_path_cannot_leave_the_prefix() {
    for input in [
        "svc/demo/web/../../../secrets",
        "web.demo/..%2f..%2fsecrets",
        "web/%2e%2e/%2e%2e/x",
    ] {
        let s = first(input);
        let back = parse_proxy_url(&s.url).map(|u| u.target.segment());
        assert_eq!(back.as_deref(), Some("web:80"), "{input:?} → {}", s.url);
        assert!(
            s.url.starts_with(&url("demo", "web:80", "")),
            "{input:?} → {}",
            s.url
        );
    }
}

#[test]
fn exact_beats_prefix_beats_after_a_dash_beats_anywhere() {
    // web (demo, the default namespace) and web (default), then web-multi's two ports and
    // web-unnamed by prefix, my-web after a dash, cobweb anywhere, and last prometheus, whose
    // port is named `web`.
    assert_eq!(indices("web"), [0, 9, 1, 2, 3, 7, 8, 6]);
}

#[test]
fn the_default_namespace_orders_equal_names() {
    let other = SuggestOptions {
        namespace: "default".to_owned(),
        ..options()
    };
    let found: Vec<usize> = suggest_endpoints("web", &cluster(), &other)
        .iter()
        .map(|s| s.index)
        .collect();
    assert_eq!(found.get(..2), Some(&[9, 0][..]));
    // A namespace typed replaces the preference.
    assert_eq!(indices("web.default"), [9]);
    assert_eq!(indices("-n default web"), [9]);
    assert_eq!(indices("web --namespace=default"), [9]);
}

#[test]
fn partial_words_while_typing() {
    assert_eq!(indices("graf"), [4, 5]);
    assert_eq!(indices("grafana.mon"), [4, 5]);
    assert_eq!(indices("grafana.monitoring.sv"), [4, 5]);
    assert_eq!(indices("grafana.monitoring.svc.cluster.lo"), [4, 5]);
    assert_eq!(indices("monit graf"), [4, 5]);
    assert_eq!(indices("monit"), [4, 5, 6]);
    assert_eq!(indices("svc/monit"), [4, 5, 6]);
    assert_eq!(indices("svc/monitoring/prom"), [6]);
    assert_eq!(indices("web:met"), [2]);
    assert_eq!(indices("web-multi:91"), [2]);
    // A namespace matched by a bare word ranks below a name matched by it.
    assert_eq!(indices("argo").first(), Some(&10));
}

#[test]
fn ports_by_number_or_name() {
    assert_eq!(indices("grafana:8443"), [5]);
    assert_eq!(indices("grafana:https"), [5]);
    assert_eq!(indices("web-multi:metrics"), [2]);
    assert_eq!(indices(":9100"), [2]);
    assert_eq!(indices("grafana:9999"), Vec::<usize>::new());
    // A port name typed as a bare word picks that port.
    assert_eq!(indices("web-multi metrics"), [2]);
}

#[test]
fn urls_with_a_scheme() {
    assert_eq!(indices("http://grafana.monitoring.svc.cluster.local:3000/x"), [4]);
    assert_eq!(
        first("http://grafana.monitoring.svc.cluster.local:3000/x").url,
        url("monitoring", "grafana:3000", "x")
    );
    // No port: the scheme's default port first, the others still offered.
    assert_eq!(indices("https://argocd-server.argocd.svc/"), [10, 11]);
    assert_eq!(indices("http://argocd-server.argocd.svc/"), [11, 10]);
    // Not an in-cluster host.
    assert_eq!(indices("https://grafana.example.com/"), Vec::<usize>::new());
    assert_eq!(indices("HTTP://GRAFANA.Monitoring:3000/D"), [4]);
    assert_eq!(
        first("HTTP://GRAFANA.Monitoring:3000/D").url,
        url("monitoring", "grafana:3000", "D")
    );
}

#[test]
fn a_proxy_url_is_not_suggested_again() {
    // It says exactly what to open already: the address bar offers what was typed as it is.
    let typed = "http://127.0.0.1:8001/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x";
    assert_eq!(indices(typed), Vec::<usize>::new());
    assert_eq!(
        indices("https://10.0.0.1:6443/api/v1/namespaces/demo/services/web/proxy/"),
        Vec::<usize>::new()
    );
}

#[test]
fn nothing_for_what_cannot_be_a_service_here() {
    for input in [
        "nosuchservice",
        "svc/demo/nosuch",
        "pod/demo/web-0",
        "node/node-1",
        "web --output=json",
        "a:b:c:d",
        "ftp:web:80",
        "web.demo.example.com",
    ] {
        assert_eq!(indices(input), Vec::<usize>::new(), "{input:?}");
    }
}

#[test]
fn empty_input_lists_the_default_namespace_first() {
    let found = indices("");
    assert_eq!(found.get(..4), Some(&[0, 1, 2, 3][..])); // shorter names first
    assert_eq!(found.len(), cluster().len());
    assert_eq!(indices("  -n "), found);
}

#[test]
fn flags_being_typed_are_ignored() {
    assert_eq!(indices("web -"), indices("web"));
    assert_eq!(indices("web --names"), indices("web"));
}

#[test]
fn bounded() {
    let few = SuggestOptions {
        limit: 2,
        ..options()
    };
    assert_eq!(suggest_endpoints("web", &cluster(), &few).len(), 2);
    let many = SuggestOptions {
        limit: usize::MAX,
        ..options()
    };
    let lots: Vec<SuggestEndpoint> = (0..200)
        .map(|i| endpoint("ns", &format!("web-{i}"), 80, None, false))
        .collect();
    assert_eq!(suggest_endpoints("web", &lots, &many).len(), MAX_SUGGESTIONS);
    assert_eq!(
        suggest_endpoints("web", &lots, &SuggestOptions::default()).len(),
        DEFAULT_LIMIT
    );

    let long = format!("web/{}", "x".repeat(MAX_INPUT));
    assert!(suggest_endpoints(&long, &cluster(), &options()).is_empty());
    let just_fits = format!("web/{}", "x".repeat(MAX_INPUT - 4));
    assert!(!suggest_endpoints(&just_fits, &cluster(), &options()).is_empty());
    let words = ["w"; MAX_WORDS + 1].join(" ");
    assert!(suggest_endpoints(&words, &cluster(), &options()).is_empty());
    let words = ["w"; MAX_WORDS].join(" ");
    assert!(!suggest_endpoints(&words, &cluster(), &options()).is_empty());
}

#[test]
fn endpoints_whose_url_is_not_a_service_proxy_url_are_skipped() {
    let odd = [
        SuggestEndpoint::new("demo", "web", 80, None, "http", "not a url"),
        SuggestEndpoint::new(
            "demo",
            "web",
            80,
            None,
            "http",
            "https://k/api/v1/nodes/web/proxy/",
        ),
        // The URL of another port, or of the https: target.
        SuggestEndpoint::new("demo", "web", 80, None, "http", &url("demo", "web:8080", "")),
        SuggestEndpoint::new("demo", "web", 80, None, "https", &url("demo", "web:80", "")),
        SuggestEndpoint::new("demo", "Web", 80, None, "http", &url("demo", "Web:80", "")),
        endpoint("demo", "web", 80, None, false),
    ];
    let found = suggest_endpoints("web", &odd, &options());
    assert_eq!(found.iter().map(|s| s.index).collect::<Vec<_>>(), [5]);
}

#[test]
fn descriptions_in_text() {
    assert_eq!(first("web").description, "web.demo port 80 (http)");
    assert_eq!(
        first("grafana:https/x").description,
        "grafana.monitoring port 8443 (https) · https — /x"
    );
    assert_eq!(first("web-unnamed").description, "web-unnamed.demo port 80");
    let long = format!("web/{}é", "x".repeat(MAX_SHOWN_PATH - 2));
    let d = first(&long).description;
    assert!(d.ends_with("x…"), "{d}");
}

#[test]
fn descriptions_for_chrome_are_escaped_xml_with_matches() {
    let xml = SuggestOptions {
        markup: Markup::OmniboxXml,
        ..options()
    };
    let d = |input: &str| suggest_endpoints(input, &cluster(), &xml).remove(0).description;
    assert_eq!(d("graf"), "<match>graf</match>ana.monitoring port 3000 (service)");
    assert_eq!(
        d("monit graf"),
        "<match>graf</match>ana.<match>monit</match>oring port 3000 (service)"
    );
    assert_eq!(
        d("grafana.monitoring:https/a?b=1&c=<d>'\"#e"),
        "<match>grafana</match>.<match>monitoring</match> port 8443 (https) <dim>· https</dim> — \
         <url>/a?b=1&amp;c=&lt;d&gt;&apos;&quot;#e</url>"
    );
    assert_eq!(d("cobw"), "<match>cobw</match>eb.other port 8080");
    assert_eq!(d("bwe"), "co<match>bwe</match>b.other port 8080");
    // Control characters cannot be in XML at all.
    assert_eq!(
        d("web/a\u{1}b"),
        "<match>web</match>.demo port 80 (http) — <url>/ab</url>"
    );
}

/// The markup Chrome accepts: only `<match>`, `<dim>`, `<url>`, balanced and not nested in
/// themselves, text with `&` only in the five predefined entities, no `<`/`>` otherwise, no
/// control characters.
fn well_formed_omnibox_xml(text: &str) -> bool {
    let mut open: Vec<&str> = Vec::new();
    let mut rest = text;
    while let Some(c) = rest.chars().next() {
        if c == '<' {
            let Some(end) = rest.find('>') else { return false };
            let tag = &rest[1..end];
            if let Some(name) = tag.strip_prefix('/') {
                if open.pop() != Some(name) {
                    return false;
                }
            } else if ["match", "dim", "url"].contains(&tag) && !open.contains(&tag) {
                open.push(tag);
            } else {
                return false;
            }
            rest = &rest[end + 1..];
        } else if c == '&' {
            let Some(entity) = ["&amp;", "&lt;", "&gt;", "&quot;", "&apos;"]
                .into_iter()
                .find(|e| rest.starts_with(e))
            else {
                return false;
            };
            rest = &rest[entity.len()..];
        } else if c == '>' || c.is_control() {
            return false;
        } else {
            rest = &rest[c.len_utf8()..];
        }
    }
    open.is_empty()
}

#[test]
fn the_well_formedness_check_rejects_what_chrome_rejects() {
    for bad in [
        "a & b",
        "a <b",
        "<match>x",
        "x</url>",
        "<b>x</b>",
        "<match><match>x</match></match>",
    ] {
        assert!(!well_formed_omnibox_xml(bad), "{bad:?}");
    }
    assert!(well_formed_omnibox_xml(
        "a &amp; <match>b</match> <dim>c</dim><url>&lt;</url>"
    ));
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 2000, ..ProptestConfig::default() })]

    /// Any input: no panic, within the limit, every URL a proxy URL of the suggested endpoint's
    /// target (the typed path never escapes it), every Chrome description well-formed.
    #[test]
    fn any_input(
        input in prop_oneof![
            any::<String>(),
            "[a-z:./ ?#&<>%-]{0,40}",
            "(svc/|http://|https://|-n )?[a-z-]{0,8}[.:/]?[a-z0-9-]{0,10}[.:/]?[a-z0-9:/?#&<>%. -]{0,20}",
        ],
        limit in 0usize..20,
    ) {
        let endpoints = cluster();
        for markup in [Markup::Text, Markup::OmniboxXml] {
            let options = SuggestOptions { limit, markup, ..options() };
            let found = suggest_endpoints(&input, &endpoints, &options);
            prop_assert!(found.len() <= limit);
            for s in &found {
                let e = &endpoints[s.index];
                let want = parse_proxy_url(&e.url).map(|u| u.target);
                let got = parse_proxy_url(&s.url);
                prop_assert_eq!(got.map(|u| u.target), want, "{:?} → {}", input, s.url);
                // `/proxy/` + path, or `/proxy?query` / `/proxy#fragment` for an empty path.
                let prefix = e.url.trim_end_matches('/');
                prop_assert!(s.url.starts_with(prefix), "{} not under {}", s.url, e.url);
                if markup == Markup::OmniboxXml {
                    prop_assert!(well_formed_omnibox_xml(&s.description), "{:?}", s.description);
                }
            }
            for pair in found.windows(2) {
                prop_assert!(pair[0].score >= pair[1].score);
            }
        }
    }
}
