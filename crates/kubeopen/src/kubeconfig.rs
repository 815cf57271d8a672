//! kubeconfig files: parse (YAML or JSON), list contexts, `kubectl config view --minify`, and
//! resolve one context to what a browser can use.
//!
//! Every field of client-go's v1 types is read (`tools/clientcmd/api/v1/types.go`; see spec §8).
//! Lists keep the file's order. As in Go, an empty string is the same as an absent value, so
//! optional strings are `None` for both.
//!
//! ```
//! use kubeopen::kubeconfig::Kubeconfig;
//!
//! let config = Kubeconfig::parse(r#"
//! apiVersion: v1
//! kind: Config
//! clusters:
//! - name: prod
//!   cluster: {server: "https://10.0.0.1:6443"}
//! users:
//! - name: alice
//!   user: {token: abc}
//! contexts:
//! - name: prod
//!   context: {cluster: prod, user: alice, namespace: monitoring}
//! current-context: prod
//! "#)?;
//! assert_eq!(config.context_names(), ["prod"]);
//! assert_eq!(config.current_context.as_deref(), Some("prod"));
//! # Ok::<(), kubeopen::kubeconfig::ParseError>(())
//! ```

mod convert;
mod object;
mod resolve;
#[cfg(test)]
mod tests;
mod yaml;

pub use resolve::{ResolveError, ResolvedContext, Unsupported, resolve_context};

use std::collections::BTreeMap;
use std::fmt;

/// A parsed kubeconfig (`clientcmd/api/v1.Config`).
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("kind: Config\ncurrent-context: dev\n")?;
/// assert_eq!((config.kind.as_deref(), config.current_context.as_deref()), (Some("Config"), Some("dev")));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Kubeconfig {
    /// `kind` (normally `Config`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub kind: Option<String>,
    /// `apiVersion` (normally `v1`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub api_version: Option<String>,
    /// `preferences`.
    pub preferences: Preferences,
    /// `clusters`, in file order.
    pub clusters: Vec<NamedCluster>,
    /// `users`, in file order.
    pub users: Vec<NamedAuthInfo>,
    /// `contexts`, in file order.
    pub contexts: Vec<NamedContext>,
    /// `current-context`, as written: it may name a context that does not exist.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub current_context: Option<String>,
    /// Top-level `extensions`.
    pub extensions: Vec<NamedExtension>,
}

/// `preferences`.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("preferences: {colors: true}")?;
/// assert_eq!(config.preferences.colors, Some(true));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Preferences {
    /// `colors`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub colors: Option<bool>,
    /// `extensions`.
    pub extensions: Vec<NamedExtension>,
}

/// One `extensions[]` entry: a name and any value.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("extensions: [{name: x, extension: {a: 1}}]")?;
/// assert_eq!(config.extensions[0].extension, serde_json::json!({"a": 1}));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NamedExtension {
    /// `name`.
    pub name: String,
    /// `extension`, as JSON (YAML scalars resolved by the core schema).
    pub extension: serde_json::Value,
}

/// One `clusters[]` entry.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("clusters: [{name: prod, cluster: {server: 'https://x'}}]")?;
/// assert_eq!(config.clusters[0].name, "prod");
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NamedCluster {
    /// `name`.
    pub name: String,
    /// `cluster`.
    pub cluster: Cluster,
}

/// `clusters[].cluster`.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("clusters: [{name: c, cluster: {server: 'https://x', insecure-skip-tls-verify: true}}]")?;
/// assert!(config.cluster("c").is_some_and(|c| c.insecure_skip_tls_verify));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Cluster {
    /// `server`: the API server's URL, possibly with a path prefix.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub server: Option<String>,
    /// `tls-server-name`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub tls_server_name: Option<String>,
    /// `insecure-skip-tls-verify`.
    pub insecure_skip_tls_verify: bool,
    /// `certificate-authority`: a file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_authority: Option<String>,
    /// `certificate-authority-data`: base64 as written (checked when parsing).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub certificate_authority_data: Option<String>,
    /// `proxy-url`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub proxy_url: Option<String>,
    /// `disable-compression`.
    pub disable_compression: bool,
    /// `extensions`.
    pub extensions: Vec<NamedExtension>,
}

/// One `users[]` entry.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: alice, user: {token: t}}]")?;
/// assert_eq!(config.users[0].name, "alice");
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NamedAuthInfo {
    /// `name`.
    pub name: String,
    /// `user`.
    pub user: AuthInfo,
}

/// `users[].user` (client-go's `AuthInfo`). `Debug` redacts secrets.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: a, user: {token: secret, as: jane}}]")?;
/// let user = config.user("a").unwrap();
/// assert_eq!(user.impersonate.as_deref(), Some("jane"));
/// assert!(!format!("{user:?}").contains("secret"));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Default, PartialEq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct AuthInfo {
    /// `client-certificate`: a file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate: Option<String>,
    /// `client-certificate-data`: base64 as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_certificate_data: Option<String>,
    /// `client-key`: a file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key: Option<String>,
    /// `client-key-data`: base64 as written.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub client_key_data: Option<String>,
    /// `token`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token: Option<String>,
    /// `tokenFile`: a file path.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub token_file: Option<String>,
    /// `as`: the user to impersonate.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonate: Option<String>,
    /// `as-uid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub impersonate_uid: Option<String>,
    /// `as-groups`.
    pub impersonate_groups: Vec<String>,
    /// `as-user-extra`.
    pub impersonate_user_extra: BTreeMap<String, Vec<String>>,
    /// `username`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub username: Option<String>,
    /// `password`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub password: Option<String>,
    /// `auth-provider`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub auth_provider: Option<AuthProvider>,
    /// `exec`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub exec: Option<ExecConfig>,
    /// `extensions`.
    pub extensions: Vec<NamedExtension>,
}

impl fmt::Debug for AuthInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let redacted = |v: &Option<String>| v.as_ref().map(|_| "<redacted>");
        f.debug_struct("AuthInfo")
            .field("client_certificate", &self.client_certificate)
            .field(
                "client_certificate_data",
                &self.client_certificate_data.as_ref().map(|_| "<data>"),
            )
            .field("client_key", &self.client_key)
            .field("client_key_data", &redacted(&self.client_key_data))
            .field("token", &redacted(&self.token))
            .field("token_file", &self.token_file)
            .field("impersonate", &self.impersonate)
            .field("impersonate_uid", &self.impersonate_uid)
            .field("impersonate_groups", &self.impersonate_groups)
            .field("impersonate_user_extra", &self.impersonate_user_extra)
            .field("username", &self.username)
            .field("password", &redacted(&self.password))
            .field("auth_provider", &self.auth_provider.as_ref().map(|p| &p.name))
            .field("exec", &self.exec.as_ref().map(|e| &e.command))
            .field("extensions", &self.extensions.len())
            .finish()
    }
}

/// `users[].user.auth-provider`.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: a, user: {auth-provider: {name: oidc, config: {id-token: x}}}}]")?;
/// let provider = config.user("a").and_then(|u| u.auth_provider.as_ref()).unwrap();
/// assert_eq!((provider.name.as_str(), provider.config["id-token"].as_str()), ("oidc", "x"));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Default, PartialEq, Eq, serde::Serialize)]
pub struct AuthProvider {
    /// `name`: `oidc`, or the removed `gcp` / `azure`.
    pub name: String,
    /// `config`: for `oidc`, `idp-issuer-url`, `client-id`, `id-token`, `refresh-token`, ….
    pub config: BTreeMap<String, String>,
}

impl fmt::Debug for AuthProvider {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("AuthProvider")
            .field("name", &self.name)
            .field("config_keys", &self.config.keys().collect::<Vec<_>>())
            .finish()
    }
}

/// `users[].user.exec`: a credential plugin.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: a, user: {exec: {command: aws, args: [eks, get-token]}}}]")?;
/// let exec = config.user("a").and_then(|u| u.exec.as_ref()).unwrap();
/// assert_eq!((exec.command.as_str(), exec.args.len()), ("aws", 2));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct ExecConfig {
    /// `command`.
    pub command: String,
    /// `args`.
    pub args: Vec<String>,
    /// `env`.
    pub env: Vec<ExecEnvVar>,
    /// `apiVersion` of the ExecCredential exchanged.
    pub api_version: String,
    /// `installHint`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub install_hint: Option<String>,
    /// `provideClusterInfo`.
    pub provide_cluster_info: bool,
    /// `interactiveMode`: `Never`, `IfAvailable` or `Always`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub interactive_mode: Option<String>,
}

/// `users[].user.exec.env[]`.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: a, user: {exec: {command: x, env: [{name: K, value: v}]}}}]")?;
/// let env = &config.user("a").and_then(|u| u.exec.as_ref()).unwrap().env[0];
/// assert_eq!((env.name.as_str(), env.value.as_str()), ("K", "v"));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ExecEnvVar {
    /// `name`.
    pub name: String,
    /// `value`.
    pub value: String,
}

/// One `contexts[]` entry.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("contexts: [{name: dev, context: {cluster: c}}]")?;
/// assert_eq!(config.contexts[0].name, "dev");
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct NamedContext {
    /// `name`.
    pub name: String,
    /// `context`.
    pub context: Context,
}

/// `contexts[].context`.
///
/// ```
/// let config = kubeopen::kubeconfig::Kubeconfig::parse("contexts: [{name: dev, context: {cluster: c, user: u, namespace: ns}}]")?;
/// let ctx = config.context("dev").unwrap();
/// assert_eq!((ctx.cluster.as_deref(), ctx.user.as_deref(), ctx.namespace.as_deref()), (Some("c"), Some("u"), Some("ns")));
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, serde::Serialize)]
pub struct Context {
    /// `cluster`: a cluster name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub cluster: Option<String>,
    /// `user`: a user name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub user: Option<String>,
    /// `namespace`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// `extensions`.
    pub extensions: Vec<NamedExtension>,
}

/// Why a kubeconfig could not be read. Lines and columns are 1-based.
///
/// ```
/// use kubeopen::kubeconfig::Kubeconfig;
/// let err = Kubeconfig::parse("clusters:\n- name: a\n  cluster:\n    insecure-skip-tls-verify: maybe\n").unwrap_err();
/// assert_eq!(
///     err.to_string(),
///     "invalid kubeconfig at line 4, column 31 (clusters[0].cluster.insecure-skip-tls-verify): expected true or false, found \"maybe\"",
/// );
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ParseError {
    /// Not well-formed YAML or JSON.
    #[error("invalid kubeconfig YAML at line {line}, column {column}: {message}")]
    Syntax {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// What the parser expected.
        message: String,
    },
    /// Well-formed, but a field has the wrong shape or value.
    #[error("invalid kubeconfig at line {line}, column {column} ({path}): {message}")]
    Field {
        /// 1-based line.
        line: usize,
        /// 1-based column.
        column: usize,
        /// Where in the document, e.g. `users[1].user.exec.args`.
        path: String,
        /// What is wrong.
        message: String,
    },
}

/// Why `--minify` failed: the messages are client-go's `MinifyConfig`, word for word.
///
/// ```
/// use kubeopen::kubeconfig::{Kubeconfig, MinifyError};
/// let config = Kubeconfig::parse("contexts: [{name: a, context: {cluster: gone}}]\ncurrent-context: a\n")?;
/// assert_eq!(config.minify(None).unwrap_err().to_string(), "cannot locate cluster gone");
/// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum MinifyError {
    /// No context given and no `current-context`.
    #[error("current-context must exist in order to minify")]
    NoCurrentContext,
    /// The context does not exist.
    #[error("cannot locate context {0}")]
    Context(String),
    /// The context's cluster does not exist.
    #[error("cannot locate cluster {0}")]
    Cluster(String),
    /// The context's user does not exist.
    #[error("cannot locate user {0}")]
    User(String),
}

impl Kubeconfig {
    /// Parses a kubeconfig written as YAML or JSON. An empty document is an empty kubeconfig
    /// (as `clientcmd.Load`).
    ///
    /// ```
    /// use kubeopen::kubeconfig::Kubeconfig;
    /// let json = Kubeconfig::parse(r#"{"kind":"Config","current-context":"a","contexts":[{"name":"a","context":{}}]}"#)?;
    /// assert_eq!(json.context_names(), ["a"]);
    /// let err = Kubeconfig::parse("clusters: [\n").unwrap_err();
    /// assert!(err.to_string().starts_with("invalid kubeconfig YAML at line 2, column 1:"), "{err}");
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn parse(text: &str) -> Result<Kubeconfig, ParseError> {
        let root = yaml::parse(text).map_err(|e| ParseError::Syntax {
            line: e.mark.line,
            column: e.mark.column,
            message: e.message,
        })?;
        match root {
            None => Ok(Kubeconfig::default()),
            Some(root) => convert::kubeconfig(&root),
        }
    }

    /// Reads a kubeconfig given as the JSON of an object: the shape [`Kubeconfig`] serialises to
    /// (camelCase names, what the npm package's `parseKubeconfig` returns) or the file's own
    /// (`kubectl config view -o json`), or a mix. It gets every check [`Kubeconfig::parse`] makes.
    ///
    /// ```
    /// use kubeopen::kubeconfig::Kubeconfig;
    /// let text = "clusters: [{name: c, cluster: {server: 'https://x', insecure-skip-tls-verify: true}}]\ncurrent-context: a\n";
    /// let config = Kubeconfig::parse(text)?;
    /// let json = serde_json::to_string(&config).unwrap();
    /// assert!(json.contains(r#""currentContext":"a""#));
    /// assert_eq!(Kubeconfig::from_object_json(&json)?, config);
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn from_object_json(json: &str) -> Result<Kubeconfig, ParseError> {
        let root = yaml::parse(json).map_err(|e| ParseError::Syntax {
            line: e.mark.line,
            column: e.mark.column,
            message: e.message,
        })?;
        match root {
            None => Ok(Kubeconfig::default()),
            Some(mut root) => {
                object::to_file_names(&mut root);
                convert::kubeconfig(&root)
            }
        }
    }

    /// Context names, in file order (`kubectl config get-contexts -o name` sorts them; the
    /// file's order is what people arranged).
    ///
    /// ```
    /// let config = kubeopen::kubeconfig::Kubeconfig::parse("contexts: [{name: b}, {name: a}]")?;
    /// assert_eq!(config.context_names(), ["b", "a"]);
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn context_names(&self) -> Vec<&str> {
        self.contexts.iter().map(|c| c.name.as_str()).collect()
    }

    /// The context named `name`.
    ///
    /// ```
    /// let config = kubeopen::kubeconfig::Kubeconfig::parse("contexts: [{name: a, context: {namespace: x}}]")?;
    /// assert_eq!(config.context("a").and_then(|c| c.namespace.as_deref()), Some("x"));
    /// assert!(config.context("b").is_none());
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn context(&self, name: &str) -> Option<&Context> {
        self.contexts.iter().find(|c| c.name == name).map(|c| &c.context)
    }

    /// The cluster named `name`.
    ///
    /// ```
    /// let config = kubeopen::kubeconfig::Kubeconfig::parse("clusters: [{name: a, cluster: {server: 'https://x'}}]")?;
    /// assert_eq!(config.cluster("a").and_then(|c| c.server.as_deref()), Some("https://x"));
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn cluster(&self, name: &str) -> Option<&Cluster> {
        self.clusters.iter().find(|c| c.name == name).map(|c| &c.cluster)
    }

    /// The user named `name`.
    ///
    /// ```
    /// let config = kubeopen::kubeconfig::Kubeconfig::parse("users: [{name: a, user: {username: u}}]")?;
    /// assert_eq!(config.user("a").and_then(|u| u.username.as_deref()), Some("u"));
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn user(&self, name: &str) -> Option<&AuthInfo> {
        self.users.iter().find(|u| u.name == name).map(|u| &u.user)
    }

    /// The current context, when `current-context` names one that exists.
    ///
    /// ```
    /// let config = kubeopen::kubeconfig::Kubeconfig::parse("contexts: [{name: a}]\ncurrent-context: gone")?;
    /// assert!(config.current().is_none());
    /// # Ok::<(), kubeopen::kubeconfig::ParseError>(())
    /// ```
    pub fn current(&self) -> Option<&NamedContext> {
        let name = self.current_context.as_deref()?;
        self.contexts.iter().find(|c| c.name == name)
    }

    /// `kubectl config view --minify [--context NAME]` (client-go `MinifyConfig`): only the
    /// chosen context (which becomes `current-context`), its cluster and its user when they are
    /// named; preferences and top-level extensions are kept. Secrets are **not** redacted
    /// (that is `view` without `--raw`, a display concern).
    ///
    /// ```
    /// use kubeopen::kubeconfig::Kubeconfig;
    /// let config = Kubeconfig::parse(
    ///     "clusters: [{name: c1}, {name: c2}]\nusers: [{name: u1}]\n\
    ///      contexts: [{name: a, context: {cluster: c1, user: u1}}, {name: b, context: {cluster: c2}}]\n\
    ///      current-context: a\n",
    /// )?;
    /// let small = config.minify(Some("b"))?;
    /// assert_eq!(small.context_names(), ["b"]);
    /// assert_eq!(small.clusters.len(), 1);
    /// assert!(small.users.is_empty());
    /// assert_eq!(small.current_context.as_deref(), Some("b"));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn minify(&self, context: Option<&str>) -> Result<Kubeconfig, MinifyError> {
        let name = context
            .filter(|c| !c.is_empty())
            .or(self.current_context.as_deref())
            .ok_or(MinifyError::NoCurrentContext)?;
        let ctx = self
            .contexts
            .iter()
            .find(|c| c.name == name)
            .ok_or_else(|| MinifyError::Context(name.to_owned()))?;
        let clusters = match &ctx.context.cluster {
            None => Vec::new(),
            Some(cluster) => vec![
                self.clusters
                    .iter()
                    .find(|c| c.name == *cluster)
                    .cloned()
                    .ok_or_else(|| MinifyError::Cluster(cluster.clone()))?,
            ],
        };
        let users = match &ctx.context.user {
            None => Vec::new(),
            Some(user) => vec![
                self.users
                    .iter()
                    .find(|u| u.name == *user)
                    .cloned()
                    .ok_or_else(|| MinifyError::User(user.clone()))?,
            ],
        };
        Ok(Kubeconfig {
            clusters,
            users,
            contexts: vec![ctx.clone()],
            current_context: Some(name.to_owned()),
            kind: self.kind.clone(),
            api_version: self.api_version.clone(),
            preferences: self.preferences.clone(),
            extensions: self.extensions.clone(),
        })
    }
}
