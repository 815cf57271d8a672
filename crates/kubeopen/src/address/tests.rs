use super::*;
use crate::target::Field;
use crate::validation::Problem;
use proptest::prelude::*;

fn resolve(input: &str) -> Result<Address, AddressError> {
    resolve_address(input, &AddressOptions::default())
}

/// (input, kind, namespace, segment, path, query, fragment)
type Row = (
    &'static str,
    Kind,
    Option<&'static str>,
    &'static str,
    &'static str,
    Option<&'static str>,
    Option<&'static str>,
);

/// Every form of the module docs, with what it resolves to.
#[rustfmt::skip]
const FORMS: &[Row] = &[
    ("svc/monitoring/grafana", Kind::Service, Some("monitoring"), "grafana", "", None, None),
    ("svc/monitoring/grafana:3000/d/x", Kind::Service, Some("monitoring"), "grafana:3000", "/d/x", None, None),
    ("service/monitoring/grafana:http/", Kind::Service, Some("monitoring"), "grafana:http", "/", None, None),
    ("services/kube-system/https:kubernetes-dashboard:/#/login", Kind::Service, Some("kube-system"), "https:kubernetes-dashboard:", "/", None, Some("/login")),
    ("svc/ns/web?x=1", Kind::Service, Some("ns"), "web", "", Some("x=1"), None),
    ("pod/default/web-0:8080/healthz", Kind::Pod, Some("default"), "web-0:8080", "/healthz", None, None),
    ("pods/default/web-0.web:8080", Kind::Pod, Some("default"), "web-0.web:8080", "", None, None),
    ("po/default/https:web-0:8443/", Kind::Pod, Some("default"), "https:web-0:8443", "/", None, None),
    ("node/n1/metrics", Kind::Node, None, "n1", "/metrics", None, None),
    ("nodes/ip-10-0-0-1.ec2.internal:9100/metrics", Kind::Node, None, "ip-10-0-0-1.ec2.internal:9100", "/metrics", None, None),
    ("no/https:n1:10250/stats/summary", Kind::Node, None, "https:n1:10250", "/stats/summary", None, None),
    ("grafana.monitoring", Kind::Service, Some("monitoring"), "grafana", "", None, None),
    ("grafana.monitoring:3000/d/x?orgId=1#p", Kind::Service, Some("monitoring"), "grafana:3000", "/d/x", Some("orgId=1"), Some("p")),
    ("grafana.monitoring:http-web", Kind::Service, Some("monitoring"), "grafana:http-web", "", None, None),
    ("grafana.monitoring.svc:3000", Kind::Service, Some("monitoring"), "grafana:3000", "", None, None),
    ("grafana.monitoring.svc.cluster.local:3000/", Kind::Service, Some("monitoring"), "grafana:3000", "/", None, None),
    ("Grafana.Monitoring.SVC.Cluster.Local.", Kind::Service, Some("monitoring"), "grafana", "", None, None),
    ("http://grafana.monitoring:3000/d/x", Kind::Service, Some("monitoring"), "http:grafana:3000", "/d/x", None, None),
    // A URL without a port connects to the scheme's default port (browsers drop `:80`/`:443`).
    ("https://argocd-server.argocd.svc/", Kind::Service, Some("argocd"), "https:argocd-server:443", "/", None, None),
    ("http://web.demo.svc/", Kind::Service, Some("demo"), "http:web:80", "/", None, None),
    ("http://web.demo.svc.cluster.local?x", Kind::Service, Some("demo"), "http:web:80", "", Some("x"), None),
    ("http://web.demo:80/", Kind::Service, Some("demo"), "http:web:80", "/", None, None),
    ("HTTP://grafana.monitoring.svc.cluster.local:3000?x#y", Kind::Service, Some("monitoring"), "http:grafana:3000", "", Some("x"), Some("y")),
    ("grafana", Kind::Service, Some("default"), "grafana", "", None, None),
    ("grafana:3000/d/x", Kind::Service, Some("default"), "grafana:3000", "/d/x", None, None),
    ("https:web:8443 -n prod", Kind::Service, Some("prod"), "https:web:8443", "", None, None),
    ("-n prod  https:web:8443/x", Kind::Service, Some("prod"), "https:web:8443", "/x", None, None),
    ("web --namespace prod", Kind::Service, Some("prod"), "web", "", None, None),
    ("web --namespace=prod", Kind::Service, Some("prod"), "web", "", None, None),
    ("web -nprod", Kind::Service, Some("prod"), "web", "", None, None),
    ("web -n=prod", Kind::Service, Some("prod"), "web", "", None, None),
    // `https:web` is name "https", port "web" — SplitSchemeNamePort's two-part rule (spec §1).
    ("https:web -n prod", Kind::Service, Some("prod"), "https:web", "", None, None),
    ("svc/prod/web -n prod", Kind::Service, Some("prod"), "web", "", None, None),
    ("https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/https:grafana:3000/proxy/d?x=1", Kind::Service, Some("monitoring"), "https:grafana:3000", "/d", Some("x=1"), None),
    ("http://localhost:8001/api/v1/nodes/n1/proxy", Kind::Node, None, "n1", "", None, None),
];

#[test]
fn every_form_resolves() {
    for &(input, kind, namespace, segment, path, query, fragment) in FORMS {
        let a = resolve(input).unwrap_or_else(|e| panic!("{input:?}: {e}"));
        assert_eq!(
            (a.target.kind(), a.target.namespace(), a.target.segment().as_str()),
            (kind, namespace, segment),
            "{input:?}"
        );
        assert_eq!(
            (a.path.as_str(), a.query.as_deref(), a.fragment.as_deref()),
            (path, query, fragment),
            "{input:?}"
        );
    }
}

#[test]
fn proxy_urls_keep_their_server() {
    let a = resolve("https://rancher.example/k8s/clusters/c-abc/api/v1/namespaces/ns/services/web/proxy/")
        .unwrap();
    assert_eq!(
        a.server.as_deref(),
        Some("https://rancher.example/k8s/clusters/c-abc")
    );
    assert_eq!(resolve("svc/ns/web").unwrap().server, None);
}

#[test]
fn options_set_the_defaults() {
    let options = AddressOptions {
        namespace: "team-a".to_owned(),
        cluster_domain: "corp.internal".to_owned(),
    };
    let a = resolve_address("web:8080", &options).unwrap();
    assert_eq!(a.target.namespace(), Some("team-a"));
    let a = resolve_address("web.ns.svc.corp.internal", &options).unwrap();
    assert_eq!(a.target.namespace(), Some("ns"));
    assert!(matches!(
        resolve_address("web.ns.svc.cluster.local", &options),
        Err(AddressError::Host { .. })
    ));
}

#[test]
fn errors_say_what_was_expected() {
    let err = |input| resolve(input).unwrap_err();
    assert_eq!(err(""), AddressError::Empty);
    assert_eq!(err("  -n prod "), AddressError::Empty);
    assert!(err("").to_string().contains(ADDRESS_FORMS));
    assert_eq!(
        err("svc/"),
        AddressError::Incomplete {
            input: "svc/".into(),
            form: SERVICE_FORM,
            missing: "namespace"
        }
    );
    assert_eq!(
        err("svc/ns"),
        AddressError::Incomplete {
            input: "svc/ns".into(),
            form: SERVICE_FORM,
            missing: "name"
        }
    );
    assert_eq!(
        err("pod/ns/"),
        AddressError::Incomplete {
            input: "pod/ns/".into(),
            form: POD_FORM,
            missing: "name"
        }
    );
    assert_eq!(
        err("node/?x"),
        AddressError::Incomplete {
            input: "node/?x".into(),
            form: NODE_FORM,
            missing: "name"
        }
    );
    assert_eq!(
        err("web -n"),
        AddressError::FlagWithoutValue { flag: "-n".into() }
    );
    assert_eq!(
        err("web --context x"),
        AddressError::UnknownFlag {
            flag: "--context".into(),
            at: 4
        }
    );
    assert_eq!(
        err("web other"),
        AddressError::ExtraWord {
            word: "other".into(),
            at: 4
        }
    );
    assert_eq!(
        err("svc/a/web -n b"),
        AddressError::NamespaceConflict {
            input: "svc/a/web".into(),
            flag: "b".into()
        }
    );
    assert!(matches!(
        err("node/n1 -n b"),
        AddressError::NamespaceConflict { .. }
    ));
    assert!(matches!(err("grafana.monitoring.pod"), AddressError::Host { .. }));
    assert!(matches!(
        err("https://10.0.0.1:6443/api/v1/namespaces"),
        AddressError::Host { .. }
    ));
    assert!(matches!(
        err("https://user@grafana.monitoring/"),
        AddressError::Url { at: 12, .. }
    ));

    // Kubernetes' rules, with the field and byte.
    match err("svc/monitoring/Grafana:3000") {
        AddressError::Target {
            form,
            source: TargetError::Invalid { field, violation, .. },
            ..
        } => {
            assert_eq!(form, SERVICE_FORM);
            assert_eq!(
                (field, violation.problem, violation.at),
                (Field::Name(Kind::Service), Problem::Character('G'), 0)
            );
        }
        other => panic!("{other:?}"),
    }
    match err("grafana.monitoring:99999") {
        AddressError::Target {
            form,
            source: TargetError::Invalid { field, violation, .. },
            ..
        } => {
            assert_eq!(
                (form, field, violation.problem),
                (HOST_FORM, Field::Port, Problem::OutOfRange)
            );
        }
        other => panic!("{other:?}"),
    }
    assert!(matches!(
        err("ftp:web:21 -n x"),
        AddressError::Target {
            source: TargetError::Segment(_),
            ..
        }
    ));
    assert!(matches!(
        err("web -n Prod"),
        AddressError::Target {
            form: SEGMENT_FORM,
            ..
        }
    ));
    let message = err("pod/default/web_0").to_string();
    assert!(
        message.contains("pod/NS/NAME") && message.contains("'_' is not allowed (at byte 3)"),
        "{message}"
    );
}

#[test]
fn resolved_addresses_open_inside_the_prefix() {
    let a = resolve("svc/ns/web:80/../../../secrets?x#y").unwrap();
    assert_eq!(
        a.proxy_url("http://localhost:8001").unwrap(),
        "http://localhost:8001/api/v1/namespaces/ns/services/web:80/proxy/secrets?x#y"
    );
}

proptest! {
    /// No input panics, and whatever resolves builds a URL that parses back to the same target.
    #[test]
    fn resolve_is_total(input in "\\PC{0,40}|(svc|pod|node|https?:/)/[a-z.:/ -]{0,20}|[a-z]{1,5}\\.[a-z]{1,5}(\\.svc)?:?[0-9]{0,5}[/?#a-z]{0,6}( -n [a-z]{1,4})?") {
        if let Ok(a) = resolve(&input) {
            let url = a.proxy_url("https://h").unwrap();
            let parsed = crate::parse_proxy_url(&url);
            prop_assert_eq!(parsed.map(|p| p.target), Some(a.target));
        }
    }
}
