//! The declarativeNetRequest rules of one bound tab: the exact JSON, and what the regexes match
//! when run by an RE2-like engine (regex-lite: no lookaround, like RE2), with the substitution
//! applied the way the browser applies `regexSubstitution`.
#![allow(
    clippy::unwrap_used,
    clippy::panic,
    reason = "test helpers outside #[test] functions fail loudly on purpose"
)]

use kubeopen::auth::{CredentialPart, Credentials, CredentialsError};
use kubeopen::rules::{RULES_PER_BINDING, Rule, RuleAction, RulesError, RulesInput, browser_rules, rule_ids};
use kubeopen::segment::Scheme;
use kubeopen::target::{Port, Target};
use regex_lite::Regex;
use serde_json::json;

fn grafana() -> Target {
    Target::service("monitoring", "grafana")
        .unwrap()
        .with_port(Some(Port::number(3000).unwrap()))
}

fn rules(server: &str, target: &Target, token: Option<&str>) -> Vec<Rule> {
    let credentials = token.map(|token| Credentials::Bearer {
        token: token.to_owned(),
    });
    browser_rules(&RulesInput {
        server,
        target,
        tab_id: 42,
        credentials: credentials.as_ref(),
        first_rule_id: 1000,
    })
    .unwrap()
}

const ALL_TYPES: [&str; 13] = [
    "main_frame",
    "sub_frame",
    "stylesheet",
    "script",
    "image",
    "font",
    "object",
    "xmlhttprequest",
    "ping",
    "csp_report",
    "media",
    "websocket",
    "other",
];

#[test]
fn exact_json() {
    let rules = rules("https://10.0.0.1:6443/", &grafana(), Some("abc.def"));
    let condition = |regex: &str| json!({"regexFilter": regex, "isUrlFilterCaseSensitive": true, "tabIds": [42], "resourceTypes": ALL_TYPES});
    let want = json!([
        {
            "id": 1000,
            "priority": 3,
            "action": {"type": "modifyHeaders", "requestHeaders": [
                {"header": "Authorization", "operation": "set", "value": "Bearer abc.def"},
                {"header": "Accept-Encoding", "operation": "set", "value": "gzip"},
            ]},
            "condition": condition(r"^(?:https|wss)://10\.0\.0\.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy(?:[/?]|$)"),
        },
        {
            "id": 1001,
            "priority": 2,
            "action": {"type": "allow"},
            "condition": condition(r"^(?:https|wss)://10\.0\.0\.1:6443/api/v1/(?:namespaces/[^/?]+/(?:services|pods)|nodes)/[^/?]+/proxy(?:[/?]|$)"),
        },
        {
            "id": 1002,
            "priority": 1,
            "action": {"type": "redirect", "redirect": {"regexSubstitution": r"\1/api/v1/namespaces/monitoring/services/grafana:3000/proxy\2"}},
            "condition": condition(r"^((?:https|wss)://10\.0\.0\.1:6443)(/.*)$"),
        },
    ]);
    assert_eq!(serde_json::to_value(&rules).unwrap(), want);
    // Without credentials the first rule still asks for gzip.
    let rules = self::rules("https://10.0.0.1:6443", &grafana(), None);
    let RuleAction::ModifyHeaders { request_headers } = &rules[0].action else {
        panic!()
    };
    assert_eq!(request_headers.len(), 1);
    assert_eq!(request_headers[0].header, "Accept-Encoding");
    // Debug output never shows the token.
    let rules = self::rules("https://10.0.0.1:6443", &grafana(), Some("sekrit"));
    assert!(!format!("{rules:?}").contains("sekrit"));
}

#[test]
fn ids_are_stable_and_reversible() {
    let ids: Vec<u32> = rules("https://h", &grafana(), None)
        .iter()
        .map(|r| r.id)
        .collect();
    assert_eq!(ids, rule_ids(1000).collect::<Vec<_>>());
    assert_eq!(ids.len() as u32, RULES_PER_BINDING);
    let node = Target::node("n").unwrap();
    let input = |first_rule_id| RulesInput {
        server: "https://h",
        target: &node,
        tab_id: 1,
        credentials: None,
        first_rule_id,
    };
    assert!(matches!(browser_rules(&input(0)), Err(RulesError::RuleId { .. })));
    assert!(matches!(
        browser_rules(&input(i32::MAX as u32 - 1)),
        Err(RulesError::RuleId { .. })
    ));
    assert!(browser_rules(&input(i32::MAX as u32 - 2)).is_ok());
}

#[test]
fn basic_auth_sets_a_basic_header() {
    let basic = Credentials::Basic {
        username: "admin".into(),
        password: "pä:ss".into(),
    };
    let rules = browser_rules(&RulesInput {
        server: "https://h",
        target: &grafana(),
        tab_id: 1,
        credentials: Some(&basic),
        first_rule_id: 1,
    })
    .unwrap();
    let RuleAction::ModifyHeaders { request_headers } = &rules[0].action else {
        panic!()
    };
    assert_eq!(request_headers[0].header, "Authorization");
    // base64("admin:pä:ss") with ä as UTF-8, like client-go.
    assert_eq!(request_headers[0].value, "Basic YWRtaW46cMOkOnNz");
    assert!(!format!("{rules:?}").contains("YWRtaW46cMOkOnNz"));
}

#[test]
fn refuses_header_injection() {
    let bearer = |token: &str| Credentials::Bearer { token: token.into() };
    let basic = |username: &str, password: &str| Credentials::Basic {
        username: username.into(),
        password: password.into(),
    };
    for (credentials, part, at) in [
        (bearer("x\r\nCookie: a"), CredentialPart::Token, Some(1)),
        (bearer("x\n"), CredentialPart::Token, Some(1)),
        (bearer("\u{0}x"), CredentialPart::Token, Some(0)),
        (bearer("a b"), CredentialPart::Token, Some(1)),
        (bearer(""), CredentialPart::Token, None),
        (basic("admin\r\nX: 1", "pw"), CredentialPart::Username, Some(5)),
        (basic("admin", "pw\n"), CredentialPart::Password, Some(2)),
        (basic("ad:min", "pw"), CredentialPart::Username, Some(2)),
        (basic("", "pw"), CredentialPart::Username, None),
    ] {
        let err = browser_rules(&RulesInput {
            server: "https://h",
            target: &grafana(),
            tab_id: 1,
            credentials: Some(&credentials),
            first_rule_id: 1,
        })
        .unwrap_err();
        let RulesError::Credentials(inner) = &err else {
            panic!("{credentials:?}: {err:?}")
        };
        let (got_part, got_at) = match *inner {
            CredentialsError::Empty { part } => (part, None),
            CredentialsError::ControlCharacter { part, at, .. }
            | CredentialsError::NonAscii { part, at, .. }
            | CredentialsError::Whitespace { part, at }
            | CredentialsError::ColonInUsername { part, at } => (part, Some(at)),
            CredentialsError::TokenAndBasic => panic!("{credentials:?}: {err:?}"),
        };
        assert_eq!((got_part, got_at), (part, at), "{credentials:?}");
        // The secret is not in the message.
        for secret in ["Cookie", "X: 1", "pw"] {
            assert!(!err.to_string().contains(secret), "{err}");
        }
    }
}

/// What the three rules do to a request URL, in the browser's order: the highest-priority
/// allow/redirect wins, modifyHeaders applies when its priority is above a matching allow.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    /// Sent as it is, with the headers set.
    SentWithHeaders,
    /// Sent as it is, untouched.
    Untouched,
    /// Redirected to this URL.
    Redirected(String),
}

fn outcome(rules: &[Rule], url: &str) -> Outcome {
    let regex = |rule: &Rule| Regex::new(&rule.condition.regex_filter).unwrap();
    let headers = regex(&rules[0]).is_match(url);
    let allowed = regex(&rules[1]).is_match(url);
    let RuleAction::Redirect { redirect } = &rules[2].action else {
        panic!()
    };
    if headers {
        assert!(rules[0].priority > rules[1].priority);
        return Outcome::SentWithHeaders;
    }
    if allowed {
        return Outcome::Untouched;
    }
    let redirect_re = regex(&rules[2]);
    if redirect_re.is_match(url) {
        // DNR's `\1` is regex-lite's `${1}`.
        let substitution = redirect
            .regex_substitution
            .replace("\\1", "${1}")
            .replace("\\2", "${2}");
        return Outcome::Redirected(redirect_re.replace(url, substitution.as_str()).into_owned());
    }
    Outcome::Untouched
}

#[test]
fn what_the_rules_do() {
    let rules = rules("https://10.0.0.1:6443", &grafana(), Some("t"));
    let p = "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy";
    use Outcome::*;
    let cases = [
        (format!("{p}/"), SentWithHeaders),
        (format!("{p}/api/ds/query?x=1"), SentWithHeaders),
        (p.to_owned(), SentWithHeaders),
        (format!("{p}?a"), SentWithHeaders),
        (
            "wss://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/api/live/ws".into(),
            SentWithHeaders,
        ),
        // Another target's proxy path: allowed, but no token.
        (
            "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/graph".into(),
            Untouched,
        ),
        (
            "https://10.0.0.1:6443/api/v1/nodes/n1/proxy/metrics".into(),
            Untouched,
        ),
        (
            "https://10.0.0.1:6443/api/v1/namespaces/monitoring/pods/web-0/proxy/".into(),
            Untouched,
        ),
        // A prefix lookalike is not the prefix.
        (
            format!("{p}foo/x"),
            Redirected(format!(
                "{p}/api/v1/namespaces/monitoring/services/grafana:3000/proxyfoo/x"
            )),
        ),
        // Everything else on the server's origin goes into the prefix, path and query kept.
        (
            "https://10.0.0.1:6443/public/app.js".into(),
            Redirected(format!("{p}/public/app.js")),
        ),
        (
            "https://10.0.0.1:6443/api/ds/query?from=now-6h".into(),
            Redirected(format!("{p}/api/ds/query?from=now-6h")),
        ),
        ("https://10.0.0.1:6443/".into(), Redirected(format!("{p}/"))),
        (
            "https://10.0.0.1:6443/api/v1/namespaces/monitoring/secrets".into(),
            Redirected(format!("{p}/api/v1/namespaces/monitoring/secrets")),
        ),
        (
            "wss://10.0.0.1:6443/api/live/ws".into(),
            Redirected(
                "wss://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/api/live/ws"
                    .into(),
            ),
        ),
        // Other origins, ports or schemes: nothing.
        ("https://10.0.0.1:6444/public/app.js".into(), Untouched),
        ("https://10.0.0.10:6443/public/app.js".into(), Untouched),
        ("http://10.0.0.1:6443/public/app.js".into(), Untouched),
        ("https://10.0.0.1:6443.evil.example/x".into(), Untouched),
        (
            "https://evil.example/?u=https://10.0.0.1:6443/x".into(),
            Untouched,
        ),
        ("https://10x0x0x1:6443/x".into(), Untouched),
    ];
    for (url, want) in cases {
        assert_eq!(outcome(&rules, &url), want, "{url}");
    }
    // A redirected URL is never redirected again.
    let Redirected(once) = outcome(&rules, "https://10.0.0.1:6443/a/b?c") else {
        panic!()
    };
    assert_eq!(outcome(&rules, &once), SentWithHeaders);
}

#[test]
fn any_server_and_target_is_escaped() {
    let target = Target::pod("kube-system", "etcd-0.x")
        .unwrap()
        .with_scheme(Some(Scheme::Https))
        .with_port(Some(Port::number(2379).unwrap()));
    let rules = rules("http://LOCALHOST:80/k8s/clusters/c-1.a+b", &target, None);
    let p =
        "http://localhost/k8s/clusters/c-1.a+b/api/v1/namespaces/kube-system/pods/https:etcd-0.x:2379/proxy";
    assert_eq!(outcome(&rules, &format!("{p}/metrics")), Outcome::SentWithHeaders);
    // `.` and `+` are literal, not "any character" / "one or more".
    let lookalike =
        "http://localhost/k8s/clusters/c-1xaab/api/v1/namespaces/kube-system/pods/https:etcd-0.x:2379/proxy/";
    assert_eq!(
        outcome(&rules, lookalike),
        Outcome::Redirected(format!(
            "{p}/k8s/clusters/c-1xaab/api/v1/namespaces/kube-system/pods/https:etcd-0.x:2379/proxy/"
        ))
    );
    assert_eq!(
        outcome(&rules, "ws://localhost/x"),
        Outcome::Redirected(format!("ws{}/x", &p[4..]))
    );
    // IPv6 hosts keep their brackets literal.
    let rules = self::rules("https://[fd00::1]:6443", &grafana(), None);
    assert!(
        Regex::new(&rules[2].condition.regex_filter)
            .unwrap()
            .is_match("https://[fd00::1]:6443/x")
    );
    assert!(
        !Regex::new(&rules[2].condition.regex_filter)
            .unwrap()
            .is_match("https://f:6443/x")
    );
}
