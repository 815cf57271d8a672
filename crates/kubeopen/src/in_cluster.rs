//! In-cluster configuration (client-go `rest.InClusterConfig` and the in-cluster namespace rule),
//! sans-I/O: the caller reads the environment and the service-account files and passes their
//! contents here.
//!
//! ```
//! use kubeopen::in_cluster::{in_cluster_config, InClusterInputs};
//!
//! let config = in_cluster_config(&InClusterInputs {
//!     service_host: Some("fd00::1"),
//!     service_port: Some("443"),
//!     token: Some("eyJhbGciOi...\n"),
//!     namespace_file: Some("monitoring\n"),
//!     ..InClusterInputs::default()
//! })?;
//! assert_eq!(config.server, "https://[fd00::1]:443");
//! assert_eq!(config.token, "eyJhbGciOi...");
//! assert_eq!(config.namespace, "monitoring");
//! # Ok::<(), kubeopen::in_cluster::InClusterError>(())
//! ```

/// Where a pod finds its service-account token.
///
/// ```
/// assert!(kubeopen::in_cluster::TOKEN_PATH.ends_with("/serviceaccount/token"));
/// ```
pub const TOKEN_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/token";
/// Where a pod finds the cluster's CA bundle.
///
/// ```
/// assert!(kubeopen::in_cluster::CA_PATH.ends_with("/ca.crt"));
/// ```
pub const CA_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/ca.crt";
/// Where a pod finds its namespace.
///
/// ```
/// assert!(kubeopen::in_cluster::NAMESPACE_PATH.ends_with("/namespace"));
/// ```
pub const NAMESPACE_PATH: &str = "/var/run/secrets/kubernetes.io/serviceaccount/namespace";

/// What [`in_cluster_config`] needs: environment values and file contents, `None` when unset or
/// unreadable.
///
/// ```
/// let inputs = kubeopen::in_cluster::InClusterInputs::default();
/// assert!(inputs.service_host.is_none());
/// ```
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct InClusterInputs<'a> {
    /// Env `KUBERNETES_SERVICE_HOST`.
    pub service_host: Option<&'a str>,
    /// Env `KUBERNETES_SERVICE_PORT`.
    pub service_port: Option<&'a str>,
    /// Env `POD_NAMESPACE`.
    pub pod_namespace: Option<&'a str>,
    /// Contents of [`TOKEN_PATH`].
    pub token: Option<&'a str>,
    /// Contents of [`CA_PATH`].
    pub ca_crt: Option<&'a str>,
    /// Contents of [`NAMESPACE_PATH`].
    pub namespace_file: Option<&'a str>,
}

/// The configuration a pod uses to reach its API server.
///
/// ```
/// use kubeopen::in_cluster::{in_cluster_config, InClusterInputs};
/// let c = in_cluster_config(&InClusterInputs { service_host: Some("10.96.0.1"), service_port: Some("443"), token: Some("t"), ..Default::default() })?;
/// assert_eq!((c.server.as_str(), c.namespace.as_str(), c.ca_data), ("https://10.96.0.1:443", "default", None));
/// # Ok::<(), kubeopen::in_cluster::InClusterError>(())
/// ```
#[derive(Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct InClusterConfig {
    /// `https://` + `JoinHostPort(host, port)`.
    pub server: String,
    /// The service-account token, surrounding whitespace trimmed (as client-go's file token
    /// source does when it re-reads the file).
    pub token: String,
    /// The CA bundle, when [`CA_PATH`] holds at least one PEM certificate. client-go logs and
    /// falls back to the system roots otherwise; so does this (`None`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub ca_data: Option<String>,
    /// `POD_NAMESPACE`, else the trimmed namespace file, else `default`.
    pub namespace: String,
}

impl std::fmt::Debug for InClusterConfig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InClusterConfig")
            .field("server", &self.server)
            .field("token", &format_args!("<{} bytes redacted>", self.token.len()))
            .field("ca_data", &self.ca_data.as_ref().map(String::len))
            .field("namespace", &self.namespace)
            .finish()
    }
}

/// Why the in-cluster configuration is not available.
///
/// ```
/// use kubeopen::in_cluster::InClusterError;
/// assert!(InClusterError::NotInCluster.to_string().contains("KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined"));
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum InClusterError {
    /// client-go's `ErrNotInCluster`, word for word.
    #[error(
        "unable to load in-cluster configuration, KUBERNETES_SERVICE_HOST and KUBERNETES_SERVICE_PORT must be defined"
    )]
    NotInCluster,
    /// The token file could not be read (client-go returns the read error).
    #[error(
        "unable to load in-cluster configuration: the service-account token {TOKEN_PATH} could not be read"
    )]
    NoToken,
}

/// client-go's `rest.InClusterConfig` plus the in-cluster namespace rule
/// (`clientcmd.inClusterClientConfig.Namespace`).
///
/// Both env values must be non-empty. The host is joined like Go's `net.JoinHostPort`: it is put
/// in brackets when it contains `:` (an IPv6 address), exactly as Go does.
///
/// ```
/// use kubeopen::in_cluster::{in_cluster_config, InClusterError, InClusterInputs};
/// let err = in_cluster_config(&InClusterInputs { service_host: Some("10.0.0.1"), ..Default::default() });
/// assert_eq!(err, Err(InClusterError::NotInCluster));
/// ```
pub fn in_cluster_config(inputs: &InClusterInputs<'_>) -> Result<InClusterConfig, InClusterError> {
    let (Some(host), Some(port)) = (inputs.service_host, inputs.service_port) else {
        return Err(InClusterError::NotInCluster);
    };
    if host.is_empty() || port.is_empty() {
        return Err(InClusterError::NotInCluster);
    }
    let token = inputs.token.ok_or(InClusterError::NoToken)?;
    let server = if host.contains(':') {
        format!("https://[{host}]:{port}")
    } else {
        format!("https://{host}:{port}")
    };
    let ca_data = inputs
        .ca_crt
        .filter(|pem| pem.contains("-----BEGIN CERTIFICATE-----"))
        .map(str::to_owned);
    Ok(InClusterConfig {
        server,
        token: token.trim().to_owned(),
        ca_data,
        namespace: in_cluster_namespace(inputs.pod_namespace, inputs.namespace_file),
    })
}

/// The namespace of a pod: non-empty `POD_NAMESPACE`, else the trimmed namespace file when not
/// empty, else `default`.
///
/// ```
/// use kubeopen::in_cluster::in_cluster_namespace;
/// assert_eq!(in_cluster_namespace(Some(""), Some(" team-a\n")), "team-a");
/// assert_eq!(in_cluster_namespace(None, Some("\n")), "default");
/// ```
pub fn in_cluster_namespace(pod_namespace: Option<&str>, namespace_file: Option<&str>) -> String {
    if let Some(ns) = pod_namespace.filter(|ns| !ns.is_empty()) {
        return ns.to_owned();
    }
    match namespace_file.map(str::trim) {
        Some(ns) if !ns.is_empty() => ns.to_owned(),
        _ => "default".to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const CA: &str = "-----BEGIN CERTIFICATE-----\nMIIB\n-----END CERTIFICATE-----\n";

    fn inputs<'a>(host: &'a str, port: &'a str) -> InClusterInputs<'a> {
        InClusterInputs {
            service_host: Some(host),
            service_port: Some(port),
            token: Some("tok"),
            ..InClusterInputs::default()
        }
    }

    #[test]
    fn server_like_join_host_port() {
        for (host, port, server) in [
            ("10.96.0.1", "443", "https://10.96.0.1:443"),
            ("fd00:10:96::1", "443", "https://[fd00:10:96::1]:443"),
            (
                "kubernetes.default.svc",
                "6443",
                "https://kubernetes.default.svc:6443",
            ),
            // Go brackets anything with a colon, even an already-bracketed host.
            ("[::1]", "443", "https://[[::1]]:443"),
        ] {
            assert_eq!(in_cluster_config(&inputs(host, port)).unwrap().server, server);
        }
    }

    #[test]
    fn not_in_cluster() {
        for (host, port) in [
            (None, Some("443")),
            (Some("h"), None),
            (Some(""), Some("443")),
            (Some("h"), Some("")),
        ] {
            let i = InClusterInputs {
                service_host: host,
                service_port: port,
                token: Some("t"),
                ..Default::default()
            };
            assert_eq!(in_cluster_config(&i), Err(InClusterError::NotInCluster));
        }
        let i = InClusterInputs {
            token: None,
            ..inputs("h", "1")
        };
        assert_eq!(in_cluster_config(&i), Err(InClusterError::NoToken));
    }

    #[test]
    fn token_ca_and_namespace() {
        let i = InClusterInputs {
            token: Some("  abc\n"),
            ca_crt: Some(CA),
            pod_namespace: Some("from-env"),
            namespace_file: Some("from-file"),
            ..inputs("h", "1")
        };
        let c = in_cluster_config(&i).unwrap();
        assert_eq!(
            (c.token.as_str(), c.ca_data.as_deref(), c.namespace.as_str()),
            ("abc", Some(CA), "from-env")
        );
        let c = in_cluster_config(&InClusterInputs {
            ca_crt: Some("garbage"),
            pod_namespace: None,
            ..i
        })
        .unwrap();
        assert_eq!((c.ca_data.as_deref(), c.namespace.as_str()), (None, "from-file"));
        assert_eq!(in_cluster_namespace(None, None), "default");
        assert!(!format!("{c:?}").contains("abc"));
    }
}
