//! One context → what a browser needs: server, namespace, credentials, TLS facts, and a list of
//! everything in the kubeconfig that a browser cannot use, each with the reason and what to do
//! instead.
//!
//! The rules are client-go's `DirectClientConfig.ClientConfig` and `ConfirmUsable`
//! (`tools/clientcmd/client_config.go`, `validation.go`) and `transport.New`:
//! - **Scheme.** client-go reads credentials *and* the cluster's TLS settings only when `server`
//!   itself says `https://` (`IsConfigTransportTLS` runs before the CA is merged). A server with
//!   no scheme therefore becomes `http://…` and, like `http://` servers, gets no credentials and
//!   no CA; each ignored item is listed in `unsupported`.
//! - **Path.** A path on `server` is kept as a prefix for every request; query and fragment are
//!   dropped (`rest/url_utils.go`, `NewRESTClient`); trailing `/` is dropped here too.
//! - **Credentials.** `token` beats `tokenFile`; basic auth together with a token (or token
//!   file) is an error; a password without a user name is no basic auth (`HasBasicAuth`);
//!   `token`/basic beat an auth provider or exec plugin (their round-trippers defer to an
//!   existing `Authorization`). An `oidc` auth provider's stored `id-token` is used as a bearer
//!   token (it is what the plugin sends until it expires).
//! - **Validation.** CA plus `insecure-skip-tls-verify` is an error, as are exec plugins without
//!   `command`/`apiVersion`/a valid `interactiveMode`, exec together with `auth-provider`,
//!   `as-uid`/`as-groups`/`as-user-extra` without `as`, an unknown cluster or user, a cluster
//!   without server, a `proxy-url` with a scheme other than http/https/socks5 and a namespace
//!   that is not a DNS label.

use super::{AuthInfo, Cluster, Kubeconfig};
use crate::auth::base64::{Alphabet, decode};
use crate::auth::{Credentials, CredentialsError};
use crate::validation::Rule;

/// Something in the kubeconfig that kubeopen cannot use in a browser.
///
/// ```
/// let u = kubeopen::kubeconfig::Unsupported {
///     what: "user \"alice\": client-certificate-data".into(),
///     reason: "a browser cannot present a client certificate from a kubeconfig".into(),
///     instead: "create a token: `kubectl create token NAME`".into(),
/// };
/// assert!(u.to_string().starts_with("user \"alice\": client-certificate-data is not used:"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
pub struct Unsupported {
    /// The kubeconfig entry and field, e.g. `user "alice": exec`. Serialised as `field`.
    #[serde(rename = "field")]
    pub what: String,
    /// Why it cannot be used here.
    pub reason: String,
    /// What to do instead.
    pub instead: String,
}

impl std::fmt::Display for Unsupported {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(
            f,
            "{} is not used: {}; instead, {}",
            self.what, self.reason, self.instead
        )
    }
}

/// A context resolved for use from a browser. `Debug` does not print the credentials' secrets.
///
/// ```
/// use kubeopen::kubeconfig::{resolve_context, Kubeconfig};
/// let config = Kubeconfig::parse("clusters: [{name: c, cluster: {server: 'http://localhost:8001'}}]\ncontexts: [{name: p, context: {cluster: c}}]")?;
/// let r = resolve_context(&config, Some("p"))?;
/// assert_eq!((r.server.as_str(), r.namespace.as_str(), r.credentials), ("http://localhost:8001", "default", None));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ResolvedContext {
    /// The context's name.
    pub context: String,
    /// The cluster's name.
    pub cluster: String,
    /// The user's name, when the context names one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// The server base for proxy URLs: `scheme://host[:port][/prefix]`, no trailing `/`.
    pub server: String,
    /// The context's namespace, else `default`.
    pub namespace: String,
    /// What to send as `Authorization`, when anything usable is configured (serialised as
    /// `null` otherwise, so the field is always there to check).
    pub credentials: Option<Credentials>,
    /// The CA bundle (PEM text) from `certificate-authority-data`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_data: Option<String>,
    /// `insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// `tls-server-name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,
    /// `proxy-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
    /// Everything configured that is not used, with reasons.
    pub unsupported: Vec<Unsupported>,
}

/// Why a context cannot be resolved. Messages follow client-go's where it has one.
///
/// ```
/// use kubeopen::kubeconfig::{resolve_context, Kubeconfig, ResolveError};
/// let config = Kubeconfig::parse("contexts: [{name: a, context: {cluster: gone}}]")?;
/// assert_eq!(
///     resolve_context(&config, Some("a")),
///     Err(ResolveError::ClusterNotFound { cluster: "gone".into(), context: "a".into() }),
/// );
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ResolveError {
    /// No context given and no `current-context`.
    #[error("no context chosen: current-context is not set{}", list_hint(.available))]
    NoContext {
        /// The contexts there are.
        available: Vec<String>,
    },
    /// The named context does not exist.
    #[error("context was not found for specified context: {name}{}", list_hint(.available))]
    ContextNotFound {
        /// The name asked for.
        name: String,
        /// The contexts there are.
        available: Vec<String>,
    },
    /// The context names no cluster.
    #[error("cluster was not specified for context {context:?}")]
    NoCluster {
        /// The context.
        context: String,
    },
    /// The context's cluster does not exist.
    #[error("cluster {cluster:?} was not found for context {context:?}")]
    ClusterNotFound {
        /// The cluster name.
        cluster: String,
        /// The context.
        context: String,
    },
    /// The context's user does not exist.
    #[error("user {user:?} was not found for context {context:?}")]
    UserNotFound {
        /// The user name.
        user: String,
        /// The context.
        context: String,
    },
    /// The cluster has no `server`.
    #[error("no server found for cluster {cluster:?}")]
    NoServer {
        /// The cluster.
        cluster: String,
    },
    /// The server URL is unusable.
    #[error("invalid server {server:?} for cluster {cluster:?}: {reason}")]
    InvalidServer {
        /// The cluster.
        cluster: String,
        /// The server as written.
        server: String,
        /// What is wrong.
        reason: String,
    },
    /// `proxy-url` has an unsupported scheme.
    #[error(
        "invalid proxy-url {proxy_url:?} for cluster {cluster:?}: unsupported scheme, must be http, https, or socks5"
    )]
    InvalidProxyUrl {
        /// The cluster.
        cluster: String,
        /// The proxy URL as written.
        proxy_url: String,
    },
    /// CA and `insecure-skip-tls-verify: true` together.
    #[error("cluster {cluster:?}: specifying a root certificates file with the insecure flag is not allowed")]
    CaWithInsecure {
        /// The cluster.
        cluster: String,
    },
    /// `certificate-authority-data` does not decode to PEM text.
    #[error("cluster {cluster:?}: certificate-authority-data is not a PEM certificate bundle ({reason})")]
    CaNotPem {
        /// The cluster.
        cluster: String,
        /// What is wrong.
        reason: &'static str,
    },
    /// Basic auth and a bearer token together (`transport.New`).
    #[error("user {user:?}: username/password or bearer token may be set, but not both")]
    BasicAndToken {
        /// The user.
        user: String,
    },
    /// A user entry that client-go's validation refuses.
    #[error("user {user:?}: {problem}")]
    InvalidUser {
        /// The user.
        user: String,
        /// client-go's message.
        problem: String,
    },
    /// The token or basic-auth values cannot be sent as a header.
    #[error("user {user:?}: {source}")]
    Credentials {
        /// The user.
        user: String,
        /// What is wrong.
        source: CredentialsError,
    },
    /// The namespace is not a DNS label.
    #[error(
        "namespace {namespace:?} for context {context:?} does not conform to the kubernetes DNS_LABEL rules"
    )]
    InvalidNamespace {
        /// The namespace.
        namespace: String,
        /// The context.
        context: String,
    },
}

fn list_hint(available: &[String]) -> String {
    if available.is_empty() {
        "; the kubeconfig has no contexts".to_owned()
    } else {
        format!("; contexts: {}", available.join(", "))
    }
}

/// How to get a token instead of a credential a browser cannot use.
const CREATE_TOKEN: &str =
    "create a service-account token with `kubectl create token NAME -n NAMESPACE` and use it as the token";

/// Resolves `context` (or `current-context`) — see the module docs for every rule.
///
/// ```
/// use kubeopen::auth::Credentials;
/// use kubeopen::kubeconfig::{resolve_context, Kubeconfig};
///
/// let config = Kubeconfig::parse(r#"
/// clusters: [{name: c, cluster: {server: "https://rancher.example/k8s/clusters/c-1/"}}]
/// users:
/// - name: dev
///   user:
///     token: abc
///     client-certificate-data: Y2VydA==
///     client-key-data: a2V5
/// contexts: [{name: dev, context: {cluster: c, user: dev}}]
/// current-context: dev
/// "#)?;
/// let resolved = resolve_context(&config, None)?;
/// assert_eq!(resolved.server, "https://rancher.example/k8s/clusters/c-1");
/// assert_eq!(resolved.namespace, "default");
/// assert_eq!(resolved.credentials, Some(Credentials::Bearer { token: "abc".into() }));
/// assert_eq!(resolved.unsupported[0].what, "user \"dev\": client-certificate-data");
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn resolve_context(config: &Kubeconfig, context: Option<&str>) -> Result<ResolvedContext, ResolveError> {
    let available = || config.contexts.iter().map(|c| c.name.clone()).collect::<Vec<_>>();
    let name = match context
        .filter(|c| !c.is_empty())
        .or(config.current_context.as_deref())
    {
        Some(name) => name,
        None => {
            return Err(ResolveError::NoContext {
                available: available(),
            });
        }
    };
    let ctx = config
        .context(name)
        .ok_or_else(|| ResolveError::ContextNotFound {
            name: name.to_owned(),
            available: available(),
        })?;
    let cluster_name = ctx.cluster.clone().ok_or_else(|| ResolveError::NoCluster {
        context: name.to_owned(),
    })?;
    let cluster = config
        .cluster(&cluster_name)
        .ok_or_else(|| ResolveError::ClusterNotFound {
            cluster: cluster_name.clone(),
            context: name.to_owned(),
        })?;
    let user = match &ctx.user {
        None => None,
        Some(user) => Some((
            user.as_str(),
            config.user(user).ok_or_else(|| ResolveError::UserNotFound {
                user: user.clone(),
                context: name.to_owned(),
            })?,
        )),
    };
    let namespace = ctx.namespace.clone().unwrap_or_else(|| "default".to_owned());
    if Rule::Dns1123Label.check(&namespace).is_err() {
        return Err(ResolveError::InvalidNamespace {
            namespace,
            context: name.to_owned(),
        });
    }

    let mut unsupported = Vec::new();
    check_cluster(&cluster_name, cluster)?;
    if let Some((user_name, info)) = user {
        check_user(user_name, info)?;
    }
    let (server, tls) = server_url(&cluster_name, cluster, &mut unsupported)?;
    let mut resolved = ResolvedContext {
        context: name.to_owned(),
        cluster: cluster_name.clone(),
        user: user.map(|(n, _)| n.to_owned()),
        server,
        namespace,
        credentials: None,
        ca_data: None,
        insecure_skip_tls_verify: false,
        tls_server_name: None,
        proxy_url: cluster.proxy_url.clone(),
        unsupported: Vec::new(),
    };
    if let Some(proxy) = &cluster.proxy_url {
        unsupported.push(Unsupported {
            what: format!("cluster {cluster_name:?}: proxy-url {proxy:?}"),
            reason: "a browser sends requests through its own proxy settings, not one per cluster".into(),
            instead: format!("configure {proxy} as the browser's or system's proxy for this server"),
        });
    }
    if tls {
        let server = resolved.server.clone();
        tls_settings(&cluster_name, cluster, &server, &mut resolved, &mut unsupported)?;
        if let Some((user_name, info)) = user {
            resolved.credentials = credentials(user_name, info, &mut unsupported)?;
        }
    } else {
        ignored_without_tls(&cluster_name, cluster, &resolved.server, &mut unsupported);
    }
    if !tls
        && let Some((user_name, info)) = user
        && has_any_credential(info)
    {
        unsupported.push(Unsupported {
            what: format!("user {user_name:?}"),
            reason: format!(
                "client-go sends credentials only to an https:// server, and the server is {}",
                resolved.server
            ),
            instead:
                "write the cluster's server as https://… (or use `kubectl proxy`, which needs no credentials)"
                    .into(),
        });
    }
    resolved.unsupported = unsupported;
    Ok(resolved)
}

/// client-go's cluster validation that does not depend on files.
fn check_cluster(name: &str, cluster: &Cluster) -> Result<(), ResolveError> {
    if cluster.server.is_none() {
        return Err(ResolveError::NoServer {
            cluster: name.to_owned(),
        });
    }
    if let Some(proxy) = &cluster.proxy_url {
        let scheme = proxy.split_once("://").map(|(s, _)| s.to_ascii_lowercase());
        if !matches!(scheme.as_deref(), Some("http" | "https" | "socks5")) {
            return Err(ResolveError::InvalidProxyUrl {
                cluster: name.to_owned(),
                proxy_url: proxy.clone(),
            });
        }
    }
    let has_ca = cluster.certificate_authority.is_some() || cluster.certificate_authority_data.is_some();
    if cluster.insecure_skip_tls_verify && has_ca {
        return Err(ResolveError::CaWithInsecure {
            cluster: name.to_owned(),
        });
    }
    Ok(())
}

/// client-go's `validateAuthInfo` (and `transport.New`'s basic-plus-token rule).
fn check_user(name: &str, user: &AuthInfo) -> Result<(), ResolveError> {
    let invalid = |problem: String| ResolveError::InvalidUser {
        user: name.to_owned(),
        problem,
    };
    let has_token = user.token.is_some() || user.token_file.is_some();
    if has_token && (user.username.is_some() || user.password.is_some()) {
        return Err(ResolveError::BasicAndToken {
            user: name.to_owned(),
        });
    }
    let has_cert = user.client_certificate.is_some() || user.client_certificate_data.is_some();
    if has_cert && user.client_key.is_none() && user.client_key_data.is_none() {
        return Err(invalid(format!(
            "client-key-data or client-key must be specified for {name} to use the clientCert authentication method"
        )));
    }
    if let Some(exec) = &user.exec {
        if user.auth_provider.is_some() {
            return Err(invalid(format!(
                "authProvider cannot be provided in combination with an exec plugin for {name}"
            )));
        }
        if exec.command.is_empty() {
            return Err(invalid(format!(
                "command must be specified for {name} to use exec authentication plugin"
            )));
        }
        if exec.api_version.is_empty() {
            return Err(invalid(format!(
                "apiVersion must be specified for {name} to use exec authentication plugin"
            )));
        }
        if exec.env.iter().any(|v| v.name.is_empty()) {
            return Err(invalid(format!(
                "env variable name must be specified for {name} to use exec authentication plugin"
            )));
        }
        // v1alpha1/v1beta1 default an absent interactiveMode to IfAvailable (api/v1 defaults).
        let legacy_api = matches!(
            exec.api_version.as_str(),
            "client.authentication.k8s.io/v1alpha1" | "client.authentication.k8s.io/v1beta1"
        );
        match exec.interactive_mode.as_deref() {
            None if legacy_api => {}
            None => {
                return Err(invalid(format!(
                    "interactiveMode must be specified for {name} to use exec authentication plugin"
                )));
            }
            Some("Never" | "IfAvailable" | "Always") => {}
            Some(other) => return Err(invalid(format!("invalid interactiveMode for {name}: {other:?}"))),
        }
    }
    let impersonates_extra = user.impersonate_uid.is_some()
        || !user.impersonate_groups.is_empty()
        || !user.impersonate_user_extra.is_empty();
    if impersonates_extra && user.impersonate.is_none() {
        return Err(invalid(format!(
            "requesting uid, groups or user-extra for {name} without impersonating a user"
        )));
    }
    Ok(())
}

/// The server base and whether client-go treats the connection as TLS.
fn server_url(
    cluster_name: &str,
    cluster: &Cluster,
    unsupported: &mut Vec<Unsupported>,
) -> Result<(String, bool), ResolveError> {
    let written = cluster.server.as_deref().unwrap_or_default();
    let invalid = |reason: &str| ResolveError::InvalidServer {
        cluster: cluster_name.to_owned(),
        server: written.to_owned(),
        reason: reason.to_owned(),
    };
    let (scheme, rest) = match written.split_once("://") {
        Some((scheme, rest))
            if scheme.bytes().next().is_some_and(|b| b.is_ascii_alphabetic())
                && scheme
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"+-.".contains(&b)) =>
        {
            (scheme.to_ascii_lowercase(), rest)
        }
        _ => {
            unsupported.push(Unsupported {
                what: format!("cluster {cluster_name:?}: server {written:?}"),
                reason: "it has no scheme, so client-go uses http:// and sends no credentials and no CA"
                    .into(),
                instead: format!("write server: https://{written}"),
            });
            ("http".to_owned(), written)
        }
    };
    if scheme != "http" && scheme != "https" {
        return Err(invalid("the scheme must be http or https"));
    }
    // Query and fragment are dropped (NewRESTClient); a trailing '/' would double in proxy URLs.
    let rest = rest
        .split(['?', '#'])
        .next()
        .unwrap_or_default()
        .trim_end_matches('/');
    if rest.is_empty() || rest.starts_with('/') {
        return Err(invalid("it has no host"));
    }
    if let Some(at) = rest.find(|c: char| c.is_ascii_whitespace() || c.is_ascii_control()) {
        return Err(invalid(&format!(
            "whitespace or a control character at byte {}",
            at + scheme.len() + 3
        )));
    }
    Ok((format!("{scheme}://{rest}"), scheme == "https"))
}

/// CA, insecure and SNI settings (only read for TLS servers, as client-go).
fn tls_settings(
    cluster_name: &str,
    cluster: &Cluster,
    server: &str,
    resolved: &mut ResolvedContext,
    unsupported: &mut Vec<Unsupported>,
) -> Result<(), ResolveError> {
    let what = |field: &str| format!("cluster {cluster_name:?}: {field}");
    if let Some(data) = &cluster.certificate_authority_data {
        let not_pem = |reason| ResolveError::CaNotPem {
            cluster: cluster_name.to_owned(),
            reason,
        };
        let bytes = decode(data, Alphabet::Standard).map_err(|_| not_pem("not base64"))?;
        let pem =
            String::from_utf8(bytes).map_err(|_| not_pem("not text; PEM is expected, DER is not read"))?;
        if !pem.contains("-----BEGIN CERTIFICATE-----") {
            return Err(not_pem("no -----BEGIN CERTIFICATE----- block"));
        }
        resolved.ca_data = Some(pem);
        unsupported.push(Unsupported {
            what: what("certificate-authority-data"),
            reason: "a browser trusts only its own certificate store, not a CA given per request".into(),
            instead: format!("import this CA (caData) into the browser's or system's trust store, or open {server} once and accept its certificate"),
        });
    } else if let Some(path) = &cluster.certificate_authority {
        unsupported.push(Unsupported {
            what: what("certificate-authority"),
            reason: format!("a browser cannot read the file {path}"),
            instead: "inline it with `kubectl config view --raw --flatten --minify` (certificate-authority-data), or import the CA into the browser's trust store".into(),
        });
    }
    if cluster.insecure_skip_tls_verify {
        resolved.insecure_skip_tls_verify = true;
        unsupported.push(Unsupported {
            what: what("insecure-skip-tls-verify"),
            reason: "a browser always verifies the server's certificate".into(),
            instead: format!("open {server} once in a tab and accept its certificate, or import the cluster's CA into the browser"),
        });
    }
    if let Some(name) = &cluster.tls_server_name {
        resolved.tls_server_name = Some(name.clone());
        unsupported.push(Unsupported {
            what: what("tls-server-name"),
            reason: "a browser checks the certificate against the host in the URL and cannot send another server name".into(),
            instead: format!("reach the server under a URL whose host is {name} (a DNS or hosts-file entry)"),
        });
    }
    Ok(())
}

/// A plain-http server gets none of the cluster's TLS settings (client-go merges them only for
/// TLS); say so rather than drop them quietly.
fn ignored_without_tls(
    cluster_name: &str,
    cluster: &Cluster,
    server: &str,
    unsupported: &mut Vec<Unsupported>,
) {
    let fields = [
        (
            "certificate-authority-data",
            cluster.certificate_authority_data.is_some(),
        ),
        ("certificate-authority", cluster.certificate_authority.is_some()),
        ("insecure-skip-tls-verify", cluster.insecure_skip_tls_verify),
        ("tls-server-name", cluster.tls_server_name.is_some()),
    ];
    for (field, set) in fields {
        if set {
            unsupported.push(Unsupported {
                what: format!("cluster {cluster_name:?}: {field}"),
                reason: format!("TLS settings do not apply to the plain-http server {server}"),
                instead: "write the cluster's server as https://…".into(),
            });
        }
    }
}

fn has_any_credential(user: &AuthInfo) -> bool {
    user.token.is_some()
        || user.token_file.is_some()
        || user.username.is_some()
        || user.password.is_some()
        || user.client_certificate.is_some()
        || user.client_certificate_data.is_some()
        || user.auth_provider.is_some()
        || user.exec.is_some()
}

/// The credentials a browser can send, recording everything else.
fn credentials(
    name: &str,
    user: &AuthInfo,
    unsupported: &mut Vec<Unsupported>,
) -> Result<Option<Credentials>, ResolveError> {
    let what = |field: &str| format!("user {name:?}: {field}");
    let mut note = |field: &str, reason: String, instead: String| {
        unsupported.push(Unsupported {
            what: what(field),
            reason,
            instead,
        });
    };
    if user.client_certificate_data.is_some() || user.client_certificate.is_some() {
        let field = if user.client_certificate_data.is_some() {
            "client-certificate-data"
        } else {
            "client-certificate"
        };
        note(
            field,
            "a browser cannot present a client certificate from a kubeconfig".into(),
            CREATE_TOKEN.into(),
        );
    }
    if user.impersonate.is_some() {
        note(
            "as",
            format!(
                "kubeopen sends no Impersonate-* headers, so requests run as the credential's own identity, not as {:?}",
                user.impersonate.as_deref().unwrap_or_default()
            ),
            "use a token of the identity you want to act as (for a service account: `kubectl create token NAME -n NAMESPACE`)".into(),
        );
    }
    let mut chosen: Option<Credentials> = None;
    if let Some(token) = &user.token {
        chosen = Some(Credentials::Bearer { token: token.clone() });
        if let Some(file) = &user.token_file {
            note(
                "tokenFile",
                format!("a browser cannot re-read {file} when the token rotates; the inline token is used"),
                "paste the new token when it changes".into(),
            );
        }
    } else if let Some(file) = &user.token_file {
        note(
            "tokenFile",
            format!("a browser cannot read the file {file}"),
            format!("paste the token itself (`cat {file}`), or {CREATE_TOKEN}"),
        );
    } else if let Some(username) = &user.username {
        chosen = Some(Credentials::Basic {
            username: username.clone(),
            password: user.password.clone().unwrap_or_default(),
        });
    } else if user.password.is_some() {
        note(
            "password",
            "a password without a username is not basic auth (client-go sends nothing)".into(),
            "add the username".into(),
        );
    }
    if let Some(provider) = &user.auth_provider {
        let id_token = provider.config.get("id-token").filter(|t| !t.is_empty());
        match (provider.name.as_str(), id_token) {
            ("oidc", Some(token)) if chosen.is_none() && user.token_file.is_none() => {
                chosen = Some(Credentials::Bearer { token: token.clone() });
                note(
                    "auth-provider oidc refresh",
                    "a browser cannot refresh the id-token with the refresh-token; the stored id-token is used until it expires".into(),
                    "when it expires, run any kubectl command to refresh it and load the kubeconfig again".into(),
                );
            }
            ("oidc", _) if chosen.is_some() || user.token_file.is_some() => note(
                "auth-provider oidc",
                "the user also has a token or tokenFile, which client-go sends instead".into(),
                "remove one of them".into(),
            ),
            ("oidc", _) => note(
                "auth-provider oidc",
                "there is no stored id-token, and a browser cannot run the OIDC login".into(),
                "log in once with kubectl (the plugin stores id-token in the kubeconfig) and load the kubeconfig again".into(),
            ),
            (plugin @ ("gcp" | "azure"), _) => note(
                &format!("auth-provider {plugin}"),
                format!("the {plugin} auth provider has been removed from client-go"),
                if plugin == "gcp" {
                    "paste an access token from `gcloud auth print-access-token` as the token".into()
                } else {
                    "paste a token from `kubelogin get-token` (its status.token) as the token".into()
                },
            ),
            (other, _) => note(
                &format!("auth-provider {other}"),
                format!("client-go knows no auth provider {other:?}"),
                CREATE_TOKEN.into(),
            ),
        }
    }
    if let Some(exec) = &user.exec {
        let mut command = exec.command.clone();
        for arg in &exec.args {
            command.push(' ');
            command.push_str(arg);
        }
        note(
            "exec",
            format!("a browser cannot run the credential plugin `{}`", exec.command),
            format!(
                "run `{command}` yourself and paste the status.token of the ExecCredential it prints, or {CREATE_TOKEN}"
            ),
        );
    }
    if let Some(credentials) = &chosen {
        credentials
            .authorization_header()
            .map_err(|source| ResolveError::Credentials {
                user: name.to_owned(),
                source,
            })?;
    }
    Ok(chosen)
}
