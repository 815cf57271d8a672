//! kubeconfig fixtures (`tests/fixtures/kubeconfig/`), checked field by field against client-go's
//! rules (spec §8).
#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    reason = "test helpers: a failed unwrap is a failed test"
)]

mod support;

use kubeopen::auth::Credentials;
use kubeopen::kubeconfig::{
    Kubeconfig, MinifyError, ParseError, ResolveError, ResolvedContext, resolve_context,
};

const ALL_AUTH_KINDS: &str = include_str!("fixtures/kubeconfig/all-auth-kinds.yaml");
const CA_PEM: &str = "-----BEGIN CERTIFICATE-----\nMIIBkTCB+wIJAKHHIG\n-----END CERTIFICATE-----\n";

fn all() -> Kubeconfig {
    Kubeconfig::parse(ALL_AUTH_KINDS).unwrap()
}

fn resolve(config: &Kubeconfig, context: &str) -> ResolvedContext {
    resolve_context(config, Some(context)).unwrap_or_else(|e| panic!("{context}: {e}"))
}

/// The `what` of every unsupported entry.
fn unsupported(r: &ResolvedContext) -> Vec<&str> {
    r.unsupported.iter().map(|u| u.what.as_str()).collect()
}

fn bearer(token: &str) -> Option<Credentials> {
    Some(Credentials::Bearer { token: token.into() })
}

#[test]
fn every_field_is_read() {
    let k = all();
    assert_eq!(k.api_version.as_deref(), Some("v1"));
    assert_eq!(k.kind.as_deref(), Some("Config"));
    assert_eq!(k.preferences.colors, Some(true));
    assert_eq!(k.preferences.extensions[0].name, "pref-ext");
    assert_eq!(
        k.preferences.extensions[0].extension,
        serde_json::json!({"theme": "dark"})
    );
    assert_eq!(k.current_context.as_deref(), Some("token"));
    assert_eq!(k.extensions[0].extension, serde_json::json!({"a": 1}));

    let prod = k.cluster("prod").unwrap();
    assert_eq!(prod.server.as_deref(), Some("https://10.0.0.1:6443"));
    assert_eq!(prod.tls_server_name.as_deref(), Some("api.prod.internal"));
    assert_eq!(prod.proxy_url.as_deref(), Some("socks5://localhost:1080"));
    assert!(prod.disable_compression);
    assert!(!prod.insecure_skip_tls_verify);
    assert!(
        prod.certificate_authority_data
            .as_deref()
            .unwrap()
            .starts_with("LS0tLS1CRUdJTi")
    );
    assert_eq!(prod.extensions[0].name, "client.authentication.k8s.io/exec");
    assert_eq!(
        prod.extensions[0].extension,
        serde_json::json!({"audience": "prod", "retries": 3})
    );
    assert!(k.cluster("rancher").unwrap().insecure_skip_tls_verify);
    assert_eq!(
        k.cluster("ca-file").unwrap().certificate_authority.as_deref(),
        Some("/home/me/.minikube/ca.crt")
    );

    let exec = k.user("exec").unwrap().exec.as_ref().unwrap();
    assert_eq!(exec.command, "aws");
    assert_eq!(exec.args, ["eks", "get-token", "--cluster-name", "prod"]);
    assert_eq!(
        (exec.env[0].name.as_str(), exec.env[0].value.as_str()),
        ("AWS_PROFILE", "prod")
    );
    assert_eq!(exec.api_version, "client.authentication.k8s.io/v1beta1");
    assert_eq!(exec.install_hint.as_deref(), Some("install the AWS CLI"));
    assert!(exec.provide_cluster_info);
    assert_eq!(exec.interactive_mode.as_deref(), Some("IfAvailable"));

    let oidc = k.user("oidc").unwrap().auth_provider.as_ref().unwrap();
    assert_eq!(oidc.name, "oidc");
    assert_eq!(oidc.config.len(), 6);
    assert_eq!(oidc.config["extra-scopes"], "groups,email");

    let imp = k.user("impersonate").unwrap();
    assert_eq!(imp.impersonate.as_deref(), Some("jane"));
    assert_eq!(imp.impersonate_uid.as_deref(), Some("1234"));
    assert_eq!(imp.impersonate_groups, ["developers", "system:authenticated"]);
    assert_eq!(imp.impersonate_user_extra["reason"], ["debugging"]);

    let basic = k.user("basic").unwrap();
    assert_eq!(
        (basic.username.as_deref(), basic.password.as_deref()),
        (Some("admin"), Some("s3cr3t: with colon"))
    );
    let cert = k.user("client-cert").unwrap();
    assert!(cert.client_certificate_data.is_some() && cert.client_key_data.is_some());
    let files = k.user("client-cert-files").unwrap();
    assert!(files.client_certificate.is_some() && files.client_key.is_some());
    assert_eq!(
        k.user("token-and-file").unwrap().token_file.as_deref(),
        Some("/var/run/secrets/token")
    );

    let ctx = k.context("with-extension").unwrap();
    assert_eq!(ctx.extensions[0].extension, serde_json::json!([1, "two", null]));
    assert_eq!(
        k.context("token").unwrap().namespace.as_deref(),
        Some("monitoring")
    );
    assert_eq!(k.contexts.len(), 16);
    assert_eq!(k.users.len(), 13);
    assert_eq!(k.clusters.len(), 5);
}

#[test]
fn debug_output_redacts_secrets() {
    let k = all();
    let debug = format!("{k:?}");
    for secret in [
        "eyJhbGciOiJSUzI1NiJ9.e30.c2ln",
        "s3cr3t",
        "very-secret",
        "refresh-me",
        "admin-token",
    ] {
        assert!(!debug.contains(secret), "{secret} in Debug output");
    }
}

#[test]
fn token_user_with_every_tls_setting() {
    let r = resolve(&all(), "token");
    assert_eq!(r.context, "token");
    assert_eq!(r.cluster, "prod");
    assert_eq!(r.user.as_deref(), Some("token"));
    assert_eq!(r.server, "https://10.0.0.1:6443");
    assert_eq!(r.namespace, "monitoring");
    assert_eq!(r.credentials, bearer("eyJhbGciOiJSUzI1NiJ9.e30.c2ln"));
    assert_eq!(r.ca_data.as_deref(), Some(CA_PEM));
    assert!(!r.insecure_skip_tls_verify);
    assert_eq!(r.tls_server_name.as_deref(), Some("api.prod.internal"));
    assert_eq!(r.proxy_url.as_deref(), Some("socks5://localhost:1080"));
    assert_eq!(
        unsupported(&r),
        [
            "cluster \"prod\": proxy-url \"socks5://localhost:1080\"",
            "cluster \"prod\": certificate-authority-data",
            "cluster \"prod\": tls-server-name",
        ]
    );
    let ca = &r.unsupported[1];
    assert!(ca.instead.contains("trust store"), "{ca}");
}

#[test]
fn current_context_is_the_default() {
    assert_eq!(resolve_context(&all(), None).unwrap().context, "token");
    // An empty name means "the current context", as kubectl's --context="".
    assert_eq!(resolve_context(&all(), Some("")).unwrap().context, "token");
}

#[test]
fn token_beats_token_file_and_server_path_is_a_prefix() {
    let r = resolve(&all(), "token-and-file");
    assert_eq!(r.credentials, bearer("inline-token"));
    // Query and fragment dropped, trailing slash dropped, path kept.
    assert_eq!(r.server, "https://rancher.example/k8s/clusters/c-abc");
    assert!(r.insecure_skip_tls_verify);
    assert_eq!(r.namespace, "default");
    assert_eq!(
        unsupported(&r),
        [
            "cluster \"rancher\": insecure-skip-tls-verify",
            "user \"token-and-file\": tokenFile"
        ]
    );
}

#[test]
fn token_file_alone_gives_no_credentials_and_says_why() {
    let r = resolve(&all(), "token-file");
    assert_eq!(r.credentials, None);
    assert_eq!(r.ca_data, None);
    assert_eq!(
        unsupported(&r),
        [
            "cluster \"ca-file\": certificate-authority",
            "user \"token-file\": tokenFile"
        ]
    );
    let token_file = &r.unsupported[1];
    assert!(
        token_file
            .reason
            .contains("/var/run/secrets/kubernetes.io/serviceaccount/token"),
        "{token_file}"
    );
    assert!(
        token_file.instead.contains("kubectl create token"),
        "{token_file}"
    );
    assert!(
        r.unsupported[0].instead.contains("--flatten"),
        "{}",
        r.unsupported[0]
    );
}

#[test]
fn basic_auth() {
    let r = resolve(&all(), "basic");
    assert_eq!(
        r.credentials,
        Some(Credentials::Basic {
            username: "admin".into(),
            password: "s3cr3t: with colon".into()
        })
    );
    assert_eq!(
        r.credentials.unwrap().authorization_header().unwrap(),
        "Basic YWRtaW46czNjcjN0OiB3aXRoIGNvbG9u"
    );
}

#[test]
fn client_certificates_are_unsupported() {
    for (context, field) in [
        ("client-cert", "client-certificate-data"),
        ("client-cert-files", "client-certificate"),
    ] {
        let r = resolve(&all(), context);
        assert_eq!(r.credentials, None, "{context}");
        let entry = r
            .unsupported
            .iter()
            .find(|u| u.what == format!("user {context:?}: {field}"))
            .unwrap();
        assert!(entry.instead.contains("kubectl create token"), "{entry}");
    }
}

#[test]
fn exec_plugins_are_unsupported_with_the_command_to_run() {
    let r = resolve(&all(), "exec");
    assert_eq!(r.credentials, None);
    let exec = r
        .unsupported
        .iter()
        .find(|u| u.what == "user \"exec\": exec")
        .unwrap();
    assert!(exec.reason.contains("`aws`"), "{exec}");
    assert!(
        exec.instead.contains("`aws eks get-token --cluster-name prod`"),
        "{exec}"
    );
    assert!(exec.instead.contains("status.token"), "{exec}");
}

#[test]
fn oidc_id_token_is_used_and_refresh_is_not() {
    let r = resolve(&all(), "oidc");
    assert_eq!(
        r.credentials,
        bearer("eyJhbGciOiJSUzI1NiJ9.eyJzdWIiOiJtZSJ9.c2ln")
    );
    assert!(unsupported(&r).contains(&"user \"oidc\": auth-provider oidc refresh"));

    let r = resolve(&all(), "oidc-no-id-token");
    assert_eq!(r.credentials, None);
    assert!(unsupported(&r).contains(&"user \"oidc-no-id-token\": auth-provider oidc"));
}

#[test]
fn removed_auth_providers() {
    for (context, hint) in [("gcp", "gcloud auth print-access-token"), ("azure", "kubelogin")] {
        let r = resolve(&all(), context);
        assert_eq!(r.credentials, None);
        let entry = r
            .unsupported
            .iter()
            .find(|u| u.what == format!("user {context:?}: auth-provider {context}"))
            .unwrap();
        assert!(entry.reason.contains("has been removed"), "{entry}");
        assert!(entry.instead.contains(hint), "{entry}");
    }
}

#[test]
fn impersonation_is_reported_and_the_token_still_used() {
    let r = resolve(&all(), "impersonate");
    assert_eq!(r.credentials, bearer("admin-token"));
    let entry = r
        .unsupported
        .iter()
        .find(|u| u.what == "user \"impersonate\": as")
        .unwrap();
    assert!(entry.reason.contains("\"jane\""), "{entry}");
}

#[test]
fn plain_http_servers_get_no_credentials_like_client_go() {
    let r = resolve(&all(), "kubectl-proxy");
    assert_eq!(r.server, "http://localhost:8001");
    assert_eq!(r.credentials, None);
    assert_eq!(unsupported(&r), ["user \"token\""]);
    assert!(
        r.unsupported[0].reason.contains("https://"),
        "{}",
        r.unsupported[0]
    );

    // No scheme: http, and neither credentials nor CA (client-go checks TLS before merging them).
    let r = resolve(&all(), "no-scheme");
    assert_eq!(r.server, "http://10.0.0.9:6443");
    assert_eq!((r.credentials.as_ref(), r.ca_data.as_ref()), (None, None));
    assert_eq!(
        unsupported(&r),
        [
            "cluster \"no-scheme\": server \"10.0.0.9:6443\"",
            "cluster \"no-scheme\": certificate-authority-data",
            "user \"token\""
        ]
    );
    assert!(r.unsupported[0].instead.contains("https://10.0.0.9:6443"));
}

#[test]
fn contexts_without_a_user() {
    let r = resolve(&all(), "no-user");
    assert_eq!((r.user, r.credentials), (None, None));
    let r = resolve(&all(), "with-extension");
    assert_eq!(r.user.as_deref(), Some("nothing"));
    assert_eq!(r.credentials, None);
}

#[test]
fn json_form() {
    let k = Kubeconfig::parse(include_str!("fixtures/kubeconfig/kubeconfig.json")).unwrap();
    assert_eq!(k.context_names(), ["kind-kind"]);
    let r = resolve_context(&k, None).unwrap();
    assert_eq!(r.server, "https://127.0.0.1:41234");
    assert_eq!(r.namespace, "dev");
    assert_eq!(r.ca_data.as_deref(), Some(CA_PEM));
    assert_eq!(
        r.credentials,
        Some(Credentials::Basic {
            username: "kind".into(),
            password: "pw".into()
        })
    );
}

#[test]
fn current_context_missing() {
    let k = Kubeconfig::parse(include_str!("fixtures/kubeconfig/no-current-context.yaml")).unwrap();
    assert_eq!(k.current_context, None);
    assert!(k.current().is_none());
    let err = resolve_context(&k, None).unwrap_err();
    assert_eq!(
        err,
        ResolveError::NoContext {
            available: vec!["first".into(), "second".into()]
        }
    );
    assert_eq!(
        err.to_string(),
        "no context chosen: current-context is not set; contexts: first, second"
    );
    assert_eq!(k.minify(None), Err(MinifyError::NoCurrentContext));
    assert_eq!(
        k.minify(None).unwrap_err().to_string(),
        "current-context must exist in order to minify"
    );
    // An explicit context still works.
    assert_eq!(
        resolve_context(&k, Some("second")).unwrap().namespace,
        "kube-system"
    );
}

#[test]
fn current_context_dangling() {
    let k = Kubeconfig::parse(include_str!("fixtures/kubeconfig/dangling-current-context.yaml")).unwrap();
    assert_eq!(k.current_context.as_deref(), Some("deleted-yesterday"));
    assert!(k.current().is_none());
    assert_eq!(
        resolve_context(&k, None).unwrap_err().to_string(),
        "context was not found for specified context: deleted-yesterday; contexts: first"
    );
    assert_eq!(
        k.minify(None).unwrap_err().to_string(),
        "cannot locate context deleted-yesterday"
    );
}

#[test]
fn dangling_references() {
    let k = Kubeconfig::parse(include_str!("fixtures/kubeconfig/dangling-references.yaml")).unwrap();
    let err = |c: &str| resolve_context(&k, Some(c)).unwrap_err().to_string();
    assert_eq!(
        err("missing-cluster"),
        "cluster \"gone\" was not found for context \"missing-cluster\""
    );
    assert_eq!(
        err("missing-user"),
        "user \"gone\" was not found for context \"missing-user\""
    );
    assert_eq!(
        err("no-cluster"),
        "cluster was not specified for context \"no-cluster\""
    );
    assert_eq!(
        err("bad-namespace"),
        "namespace \"Not_A_Label\" for context \"bad-namespace\" does not conform to the kubernetes DNS_LABEL rules"
    );
    assert_eq!(
        k.minify(None).unwrap_err().to_string(),
        "cannot locate cluster gone"
    );
    assert_eq!(
        k.minify(Some("missing-user")).unwrap_err().to_string(),
        "cannot locate user gone"
    );
    assert_eq!(
        k.minify(Some("nope")).unwrap_err().to_string(),
        "cannot locate context nope"
    );
}

#[test]
fn minify_keeps_one_context_its_cluster_and_user() {
    let k = all();
    let m = k.minify(Some("oidc")).unwrap();
    assert_eq!(m.context_names(), ["oidc"]);
    assert_eq!(m.current_context.as_deref(), Some("oidc"));
    assert_eq!(
        m.clusters.iter().map(|c| c.name.as_str()).collect::<Vec<_>>(),
        ["prod"]
    );
    assert_eq!(
        m.users.iter().map(|u| u.name.as_str()).collect::<Vec<_>>(),
        ["oidc"]
    );
    assert_eq!(m.preferences, k.preferences);
    assert_eq!(m.extensions, k.extensions);
    assert_eq!(m.users[0].user, *k.user("oidc").unwrap());
    // Without a name: the current context.
    assert_eq!(k.minify(None).unwrap().context_names(), ["token"]);
    // A context without a user keeps no users.
    assert!(k.minify(Some("no-user")).unwrap().users.is_empty());
}

/// A broken file's error names line and column.
fn parse_error(text: &str) -> ParseError {
    Kubeconfig::parse(text).unwrap_err()
}

#[test]
fn broken_files_say_where() {
    let e = parse_error(include_str!("fixtures/kubeconfig/broken-syntax.yaml"));
    assert!(matches!(e, ParseError::Syntax { line: 6, .. }), "{e}");

    let e = parse_error(include_str!("fixtures/kubeconfig/broken-type.yaml"));
    assert_eq!(
        e.to_string(),
        "invalid kubeconfig at line 7, column 13 (users[0].user.exec.args): expected a list, found a scalar"
    );

    let e = parse_error(include_str!("fixtures/kubeconfig/broken-base64.yaml"));
    assert_eq!(
        e.to_string(),
        "invalid kubeconfig at line 5, column 33 (clusters[0].cluster.certificate-authority-data): not valid base64: '*' at byte 14 is not a base64 character"
    );

    let e = parse_error(include_str!("fixtures/kubeconfig/duplicate-names.yaml"));
    assert_eq!(
        e.to_string(),
        "invalid kubeconfig at line 6, column 9 (contexts[2].name): duplicate name \"prod\" in contexts (first at line 2)"
    );

    let e = parse_error(include_str!("fixtures/kubeconfig/duplicate-keys.yaml"));
    assert_eq!(
        e.to_string(),
        "invalid kubeconfig at line 5, column 5 (users[0].user): key \"token\" appears twice (first at line 4)"
    );

    let e = parse_error("- just\n- a list\n");
    assert_eq!(
        e.to_string(),
        "invalid kubeconfig at line 1, column 1 (): a kubeconfig is a mapping (clusters, users, contexts, …), found a list"
    );
    assert!(matches!(
        parse_error("{\"clusters\": [}"),
        ParseError::Syntax { line: 1, .. }
    ));
    assert!(matches!(
        parse_error("a: 'unterminated\n"),
        ParseError::Syntax { .. }
    ));
}

#[test]
fn empty_documents_are_empty_configs() {
    assert_eq!(Kubeconfig::parse("").unwrap(), Kubeconfig::default());
    assert_eq!(Kubeconfig::parse("---\n").unwrap(), Kubeconfig::default());
    assert_eq!(
        Kubeconfig::parse("clusters:\nusers: ~\n").unwrap(),
        Kubeconfig::default()
    );
}

#[test]
fn scalars_are_read_as_written() {
    let k = Kubeconfig::parse(
        "contexts: [{name: 007, context: {namespace: 123, cluster: true}}]\nclusters: [{name: c, cluster: {insecure-skip-tls-verify: yes}}]",
    )
    .unwrap();
    assert_eq!(k.contexts[0].name, "007");
    assert_eq!(k.contexts[0].context.namespace.as_deref(), Some("123"));
    assert_eq!(k.contexts[0].context.cluster.as_deref(), Some("true"));
    assert!(k.clusters[0].cluster.insecure_skip_tls_verify);
    let e = parse_error("clusters: [{name: c, cluster: {insecure-skip-tls-verify: 'true'}}]");
    assert!(e.to_string().contains("quoted string"), "{e}");
}

#[test]
fn invalid_users_and_clusters() {
    let k = Kubeconfig::parse(include_str!("fixtures/kubeconfig/invalid-users.yaml")).unwrap();
    let err = |c: &str| resolve_context(&k, Some(c)).unwrap_err().to_string();
    assert_eq!(
        err("basic-and-token"),
        "user \"basic-and-token\": username/password or bearer token may be set, but not both"
    );
    assert_eq!(
        err("exec-and-provider"),
        "user \"exec-and-provider\": authProvider cannot be provided in combination with an exec plugin for exec-and-provider"
    );
    assert_eq!(
        err("exec-no-command"),
        "user \"exec-no-command\": command must be specified for exec-no-command to use exec authentication plugin"
    );
    assert_eq!(
        err("exec-v1-no-mode"),
        "user \"exec-v1-no-mode\": interactiveMode must be specified for exec-v1-no-mode to use exec authentication plugin"
    );
    assert_eq!(
        err("exec-bad-mode"),
        "user \"exec-bad-mode\": invalid interactiveMode for exec-bad-mode: \"Sometimes\""
    );
    assert_eq!(
        err("groups-without-as"),
        "user \"groups-without-as\": requesting uid, groups or user-extra for groups-without-as without impersonating a user"
    );
    assert_eq!(
        err("cert-without-key"),
        "user \"cert-without-key\": client-key-data or client-key must be specified for cert-without-key to use the clientCert authentication method"
    );
    assert_eq!(
        err("header-injection"),
        "user \"header-injection\": invalid bearer token: a control character (U+000D) at byte 3; it could inject an HTTP header"
    );
    assert_eq!(
        err("insecure-with-ca"),
        "cluster \"insecure-with-ca\": specifying a root certificates file with the insecure flag is not allowed"
    );
    assert_eq!(
        err("bad-proxy"),
        "invalid proxy-url \"ftp://proxy\" for cluster \"bad-proxy\": unsupported scheme, must be http, https, or socks5"
    );
    assert_eq!(
        err("ftp"),
        "invalid server \"ftp://d.example\" for cluster \"ftp\": the scheme must be http or https"
    );
    assert_eq!(err("no-server"), "no server found for cluster \"no-server\"");
    assert_eq!(
        err("ca-not-pem"),
        "cluster \"ca-not-pem\": certificate-authority-data is not a PEM certificate bundle (not text; PEM is expected, DER is not read)"
    );
}

#[test]
fn resolved_context_serialises_for_javascript() {
    let r = resolve(&all(), "token");
    let json = serde_json::to_value(&r).unwrap();
    assert_eq!(json["insecureSkipTlsVerify"], false);
    assert_eq!(json["caData"], CA_PEM);
    assert_eq!(
        json["credentials"],
        serde_json::json!({"token": "eyJhbGciOiJSUzI1NiJ9.e30.c2ln"})
    );
    assert_eq!(
        json["unsupported"][0]["field"],
        "cluster \"prod\": proxy-url \"socks5://localhost:1080\""
    );
}

#[test]
fn big_kubeconfigs_parse() {
    let text = support::big_kubeconfig::big_kubeconfig(300);
    let k = Kubeconfig::parse(&text).unwrap();
    assert_eq!(k.contexts.len(), 300);
    let r = resolve_context(&k, None).unwrap();
    assert_eq!(
        (r.context.as_str(), r.namespace.as_str()),
        ("context-150", "team-150")
    );
}

/// The npm package hands `parseKubeconfig`'s objects back to `resolveContext`: serialised and
/// read again, every field survives, and the file's own JSON names are read too.
#[test]
fn objects_round_trip() {
    let k = all();
    let json = serde_json::to_string(&k).unwrap();
    assert!(json.contains(r#""impersonate":"#) && json.contains(r#""certificateAuthorityData":"#));
    assert_eq!(Kubeconfig::from_object_json(&json).unwrap(), k);
    let native = include_str!("fixtures/kubeconfig/kubeconfig.json");
    assert_eq!(
        Kubeconfig::from_object_json(native).unwrap(),
        Kubeconfig::parse(native).unwrap()
    );
    // An object gets the checks a file gets.
    let err = Kubeconfig::from_object_json(
        r#"{"clusters":[{"name":"c","cluster":{"insecureSkipTlsVerify":"maybe"}}]}"#,
    )
    .unwrap_err();
    assert!(
        err.to_string()
            .contains("clusters[0].cluster.insecure-skip-tls-verify"),
        "{err}"
    );
}
