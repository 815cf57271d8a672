//! The API calls of the npm package's `Cluster` client, sans-I/O: [`ApiCall::url`] says what to
//! `GET`, and [`read_answer`] turns the HTTP status and body that came back into the decoded
//! answer or an [`ApiError`]. The client itself only moves bytes.
//!
//! ```
//! use kubeopen::discovery::requests::{read_answer, Answer, ApiCall};
//!
//! let call = ApiCall::Services { namespace: Some("monitoring") };
//! assert_eq!(call.url("https://10.0.0.1:6443/")?, "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services");
//! let answer = read_answer(&call, "https://10.0.0.1:6443", 200, r#"{"kind":"ServiceList","items":[]}"#)?;
//! assert!(matches!(answer, Answer::Services(list) if list.items.is_empty()));
//! # Ok::<(), Box<dyn std::error::Error>>(())
//! ```

use super::{
    ApiVersions, CLUSTER_SERVICE_SELECTOR, ClusterInfoEntry, NamespaceList, NodeList, OpenableEndpoint,
    PodList, ServiceList, StatusError, VersionInfo, cluster_info, openable_endpoints, status_error,
};
use crate::json_read::{FromJson, Object};
use crate::proxy_url::{ProxyUrlError, server_base};
use crate::validation::{Rule, Violation};

/// The namespace `kubectl cluster-info` looks in unless told otherwise.
///
/// ```
/// assert_eq!(kubeopen::discovery::requests::CLUSTER_INFO_NAMESPACE, "kube-system");
/// ```
pub const CLUSTER_INFO_NAMESPACE: &str = "kube-system";

/// One call of the `Cluster` client.
///
/// ```
/// use kubeopen::discovery::requests::ApiCall;
/// assert_eq!(ApiCall::Pods { namespace: "demo" }.path()?, "/api/v1/namespaces/demo/pods");
/// assert_eq!(ApiCall::Services { namespace: None }.path()?, "/api/v1/services");
/// assert!(ApiCall::Pods { namespace: "Demo" }.path().is_err());
/// # Ok::<(), kubeopen::discovery::requests::CallError>(())
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ApiCall<'a> {
    /// `GET /version`.
    Version,
    /// `GET /api`.
    ApiVersions,
    /// `GET /api/v1/namespaces`.
    Namespaces,
    /// `GET /api/v1/[namespaces/NS/]services`: one namespace, or all.
    Services {
        /// `None`: every namespace.
        namespace: Option<&'a str>,
    },
    /// `GET /api/v1/namespaces/NS/pods`.
    Pods {
        /// The namespace.
        namespace: &'a str,
    },
    /// `GET /api/v1/nodes`.
    Nodes,
    /// `kubectl cluster-info`: the services labelled [`CLUSTER_SERVICE_SELECTOR`] in a namespace
    /// (default [`CLUSTER_INFO_NAMESPACE`]), answered as [`cluster_info`] lines.
    ClusterInfo {
        /// `None`: [`CLUSTER_INFO_NAMESPACE`].
        namespace: Option<&'a str>,
    },
    /// The services of one namespace (or all), answered as [`openable_endpoints`].
    OpenableEndpoints {
        /// `None`: every namespace.
        namespace: Option<&'a str>,
    },
}

/// Why a call cannot be made.
///
/// ```
/// use kubeopen::discovery::requests::ApiCall;
/// let err = ApiCall::Pods { namespace: "a_b" }.path().unwrap_err();
/// assert!(err.to_string().starts_with("invalid namespace \"a_b\":"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum CallError {
    /// The namespace is not a DNS-1123 label (it would not name a namespace, and could change the path).
    #[error("invalid namespace {namespace:?}: {violation}")]
    Namespace {
        /// The namespace as given.
        namespace: String,
        /// The rule it breaks.
        violation: Violation,
    },
    /// The server base is not usable.
    #[error(transparent)]
    Server(#[from] ProxyUrlError),
}

impl ApiCall<'_> {
    /// The request path (and query), below the server base.
    ///
    /// ```
    /// use kubeopen::discovery::requests::ApiCall;
    /// assert_eq!(
    ///     ApiCall::ClusterInfo { namespace: None }.path()?,
    ///     "/api/v1/namespaces/kube-system/services?labelSelector=kubernetes.io%2Fcluster-service%3Dtrue",
    /// );
    /// # Ok::<(), kubeopen::discovery::requests::CallError>(())
    /// ```
    pub fn path(&self) -> Result<String, CallError> {
        let namespaced = |resource: &str, namespace: Option<&str>| -> Result<String, CallError> {
            match namespace {
                None => Ok(format!("/api/v1/{resource}")),
                Some(namespace) => {
                    Rule::Dns1123Label
                        .check(namespace)
                        .map_err(|violation| CallError::Namespace {
                            namespace: namespace.to_owned(),
                            violation,
                        })?;
                    Ok(format!("/api/v1/namespaces/{namespace}/{resource}"))
                }
            }
        };
        match *self {
            ApiCall::Version => Ok("/version".to_owned()),
            ApiCall::ApiVersions => Ok("/api".to_owned()),
            ApiCall::Namespaces => Ok("/api/v1/namespaces".to_owned()),
            ApiCall::Services { namespace } | ApiCall::OpenableEndpoints { namespace } => {
                namespaced("services", namespace)
            }
            ApiCall::Pods { namespace } => namespaced("pods", Some(namespace)),
            ApiCall::Nodes => Ok("/api/v1/nodes".to_owned()),
            ApiCall::ClusterInfo { namespace } => {
                let path = namespaced("services", Some(namespace.unwrap_or(CLUSTER_INFO_NAMESPACE)))?;
                // The selector form-encoded, as client-go writes `ListOptions.LabelSelector`.
                let selector = CLUSTER_SERVICE_SELECTOR.replace('/', "%2F").replace('=', "%3D");
                Ok(format!("{path}?labelSelector={selector}"))
            }
        }
    }

    /// The full URL on `server` (checked and without trailing `/`, as for proxy URLs).
    ///
    /// ```
    /// use kubeopen::discovery::requests::ApiCall;
    /// assert_eq!(ApiCall::Version.url("http://localhost:8001/k8s")?, "http://localhost:8001/k8s/version");
    /// assert!(ApiCall::Version.url("localhost:8001").is_err());
    /// # Ok::<(), kubeopen::discovery::requests::CallError>(())
    /// ```
    pub fn url(&self, server: &str) -> Result<String, CallError> {
        let base = server_base(server)?;
        Ok(format!("{base}{}", self.path()?))
    }

    /// The `kind` a successful answer has (`None`: `/version` has none).
    fn expected_kind(&self) -> Option<&'static str> {
        match self {
            ApiCall::Version => None,
            ApiCall::ApiVersions => Some("APIVersions"),
            ApiCall::Namespaces => Some("NamespaceList"),
            ApiCall::Services { .. } | ApiCall::ClusterInfo { .. } | ApiCall::OpenableEndpoints { .. } => {
                Some("ServiceList")
            }
            ApiCall::Pods { .. } => Some("PodList"),
            ApiCall::Nodes => Some("NodeList"),
        }
    }
}

/// A call's decoded answer. Serialised as the bare value (the JSON the npm package returns).
///
/// ```
/// use kubeopen::discovery::requests::{read_answer, ApiCall};
/// let answer = read_answer(&ApiCall::Version, "https://k", 200, r#"{"major":"1","minor":"34","gitVersion":"v1.34.1"}"#)?;
/// assert!(serde_json::to_string(&answer)?.starts_with(r#"{"major":"1","minor":"34","gitVersion":"v1.34.1""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(untagged)]
pub enum Answer {
    /// For [`ApiCall::Version`].
    Version(Box<VersionInfo>),
    /// For [`ApiCall::ApiVersions`].
    ApiVersions(ApiVersions),
    /// For [`ApiCall::Namespaces`].
    Namespaces(NamespaceList),
    /// For [`ApiCall::Services`].
    Services(ServiceList),
    /// For [`ApiCall::Pods`].
    Pods(PodList),
    /// For [`ApiCall::Nodes`].
    Nodes(NodeList),
    /// For [`ApiCall::ClusterInfo`].
    ClusterInfo(Vec<ClusterInfoEntry>),
    /// For [`ApiCall::OpenableEndpoints`].
    OpenableEndpoints(Vec<OpenableEndpoint>),
}

/// The kind of failure an HTTP error answer stands for: the npm package's error codes.
///
/// ```
/// use kubeopen::discovery::{status_error, requests::ErrorKind};
/// assert_eq!(status_error(403, "").kind(), ErrorKind::Forbidden);
/// assert_eq!(status_error(500, "").kind(), ErrorKind::Http);
/// ```
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ErrorKind {
    /// 401: no or wrong credentials.
    Unauthorized,
    /// 403: the credentials may not do this.
    Forbidden,
    /// 404: no such object or path.
    NotFound,
    /// 503, or the proxy's "no endpoints available for service …" whatever its status.
    ServiceUnavailable,
    /// Any other non-2xx status.
    Http,
}

impl ErrorKind {
    /// The npm package's `KubeopenError.code`.
    ///
    /// ```
    /// assert_eq!(kubeopen::discovery::requests::ErrorKind::Http.code(), "HttpError");
    /// ```
    pub const fn code(self) -> &'static str {
        match self {
            ErrorKind::Unauthorized => "Unauthorized",
            ErrorKind::Forbidden => "Forbidden",
            ErrorKind::NotFound => "NotFound",
            ErrorKind::ServiceUnavailable => "ServiceUnavailable",
            ErrorKind::Http => "HttpError",
        }
    }
}

/// How the API server's proxy says a service has no ready endpoints
/// (`pkg/registry/core/service/storage/storage.go`, `ResourceLocation`).
const NO_ENDPOINTS: &str = "no endpoints available for service";

impl StatusError {
    /// What kind of failure this is (by `code`, and the proxy's "no endpoints" message).
    ///
    /// ```
    /// use kubeopen::discovery::{status_error, requests::ErrorKind};
    /// let err = status_error(503, r#"{"kind":"Status","message":"no endpoints available for service \"idle\"","reason":"ServiceUnavailable","code":503}"#);
    /// assert_eq!(err.kind(), ErrorKind::ServiceUnavailable);
    /// ```
    pub fn kind(&self) -> ErrorKind {
        match self.code {
            401 => ErrorKind::Unauthorized,
            403 => ErrorKind::Forbidden,
            404 => ErrorKind::NotFound,
            503 => ErrorKind::ServiceUnavailable,
            _ if self.message.starts_with(NO_ENDPOINTS) => ErrorKind::ServiceUnavailable,
            _ => ErrorKind::Http,
        }
    }
}

/// Why a call's answer is not a result.
///
/// ```
/// use kubeopen::discovery::requests::{read_answer, ApiCall, ApiError};
/// let err = read_answer(&ApiCall::Nodes, "https://k", 200, "<html>").unwrap_err();
/// assert!(matches!(err, ApiError::InvalidResponse { .. }));
/// assert!(err.to_string().starts_with("the API server's answer to GET /api/v1/nodes is not a NodeList:"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum ApiError {
    /// A non-2xx answer.
    #[error(transparent)]
    Status(#[from] StatusError),
    /// A 2xx answer whose body is not the expected JSON.
    #[error("the API server's answer to GET {path} is not {expected}: {detail}")]
    InvalidResponse {
        /// The request path.
        path: String,
        /// What was expected, e.g. `a NodeList`.
        expected: String,
        /// What is wrong: the JSON syntax error, or the field with the wrong type, or the `kind` found.
        detail: String,
    },
}

/// Reads the answer to `call` on `server` (needed for the URLs of [`ApiCall::ClusterInfo`] and
/// [`ApiCall::OpenableEndpoints`]): a 2xx body decoded into the call's type, else the
/// [`status_error`] of the status and body.
///
/// ```
/// use kubeopen::discovery::requests::{read_answer, ApiCall, ApiError, ErrorKind};
/// let Err(ApiError::Status(err)) = read_answer(&ApiCall::Namespaces, "https://k", 401,
///     r#"{"kind":"Status","status":"Failure","message":"Unauthorized","reason":"Unauthorized","code":401}"#)
/// else { panic!() };
/// assert_eq!((err.kind(), err.message.as_str()), (ErrorKind::Unauthorized, "Unauthorized"));
/// ```
pub fn read_answer(call: &ApiCall<'_>, server: &str, status: u16, body: &str) -> Result<Answer, ApiError> {
    if !(200..300).contains(&status) {
        return Err(ApiError::Status(status_error(status, body)));
    }
    let path = || call.path().unwrap_or_default();
    let expected = call.expected_kind();
    let invalid = |detail: String| ApiError::InvalidResponse {
        path: path(),
        expected: match expected {
            Some(kind) => format!("a{} {kind}", if kind.starts_with('A') { "n" } else { "" }),
            None => "version information".to_owned(),
        },
        detail,
    };
    let value: serde_json::Value = serde_json::from_str(body).map_err(|e| invalid(e.to_string()))?;
    let Some(object) = value.as_object() else {
        return Err(invalid("it is not a JSON object".to_owned()));
    };
    if let (Some(want), Some(found)) = (expected, object.get("kind").and_then(|k| k.as_str()))
        && want != found
    {
        return Err(invalid(format!("its kind is {found:?}")));
    }
    fn decode<T: FromJson>(object: &Object, invalid: impl Fn(String) -> ApiError) -> Result<T, ApiError> {
        T::read(object).map_err(|e| invalid(e.to_string()))
    }
    let body = object;
    let server = || server_base(server).map_err(|e| invalid(e.to_string()));
    Ok(match call {
        ApiCall::Version => Answer::Version(Box::new(decode(body, invalid)?)),
        ApiCall::ApiVersions => Answer::ApiVersions(decode(body, invalid)?),
        ApiCall::Namespaces => Answer::Namespaces(decode(body, invalid)?),
        ApiCall::Services { .. } => Answer::Services(decode(body, invalid)?),
        ApiCall::Pods { .. } => Answer::Pods(decode(body, invalid)?),
        ApiCall::Nodes => Answer::Nodes(decode(body, invalid)?),
        ApiCall::ClusterInfo { .. } => {
            let list: ServiceList = decode(body, invalid)?;
            Answer::ClusterInfo(cluster_info(&list, server()?))
        }
        ApiCall::OpenableEndpoints { .. } => {
            let list: ServiceList = decode(body, invalid)?;
            Answer::OpenableEndpoints(
                openable_endpoints(&list, server()?).map_err(|e| invalid(e.to_string()))?,
            )
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_call_has_its_path() {
        let cases: [(ApiCall<'_>, &str); 9] = [
            (ApiCall::Version, "/version"),
            (ApiCall::ApiVersions, "/api"),
            (ApiCall::Namespaces, "/api/v1/namespaces"),
            (ApiCall::Services { namespace: None }, "/api/v1/services"),
            (
                ApiCall::Services { namespace: Some("a") },
                "/api/v1/namespaces/a/services",
            ),
            (ApiCall::Pods { namespace: "a" }, "/api/v1/namespaces/a/pods"),
            (ApiCall::Nodes, "/api/v1/nodes"),
            (
                ApiCall::OpenableEndpoints { namespace: Some("b") },
                "/api/v1/namespaces/b/services",
            ),
            (
                ApiCall::ClusterInfo { namespace: Some("x") },
                "/api/v1/namespaces/x/services?labelSelector=kubernetes.io%2Fcluster-service%3Dtrue",
            ),
        ];
        for (call, path) in cases {
            assert_eq!(call.path().unwrap(), path, "{call:?}");
        }
    }

    #[test]
    fn namespaces_cannot_change_the_path() {
        for bad in ["", "..", "a/b", "a%2Fb", "A", "a?b", "-a", &"a".repeat(64)] {
            let err = ApiCall::Services { namespace: Some(bad) }.path().unwrap_err();
            assert!(matches!(err, CallError::Namespace { .. }), "{bad:?}: {err:?}");
        }
    }

    #[test]
    fn error_kinds_follow_the_status() {
        let kind = |status, body: &str| match read_answer(&ApiCall::Nodes, "https://k", status, body) {
            Err(ApiError::Status(e)) => e.kind(),
            other => panic!("{other:?}"),
        };
        assert_eq!(kind(401, ""), ErrorKind::Unauthorized);
        assert_eq!(kind(403, "forbidden"), ErrorKind::Forbidden);
        assert_eq!(kind(404, "404 page not found"), ErrorKind::NotFound);
        assert_eq!(kind(503, ""), ErrorKind::ServiceUnavailable);
        assert_eq!(kind(500, ""), ErrorKind::Http);
        assert_eq!(kind(302, ""), ErrorKind::Http);
        // Some front proxies turn the proxy's 503 into a 502 but keep the Status body.
        assert_eq!(
            kind(
                502,
                r#"{"kind":"Status","message":"no endpoints available for service \"x\"","code":502}"#
            ),
            ErrorKind::ServiceUnavailable
        );
    }

    #[test]
    fn invalid_answers_say_what_was_expected() {
        let err = |call: ApiCall<'_>, body: &str| {
            read_answer(&call, "https://k", 200, body)
                .unwrap_err()
                .to_string()
        };
        assert_eq!(
            err(ApiCall::Namespaces, r#"{"kind":"PodList","items":[]}"#),
            "the API server's answer to GET /api/v1/namespaces is not a NamespaceList: its kind is \"PodList\""
        );
        assert!(err(ApiCall::ApiVersions, "[1]").contains("is not an APIVersions:"));
        assert!(err(ApiCall::Version, "").contains("is not version information:"));
        assert!(
            err(
                ApiCall::Pods { namespace: "a" },
                r#"{"items":[{"metadata":{"name":7}}]}"#
            )
            .ends_with("is not a PodList: items[0].metadata.name: expected a string, found a number")
        );
        assert!(err(ApiCall::Nodes, "{").contains("EOF while parsing"));
    }

    #[test]
    fn cluster_info_and_endpoints_use_the_server() {
        let body = r#"{"kind":"ServiceList","items":[{"metadata":{"name":"dns","namespace":"kube-system",
            "labels":{"kubernetes.io/cluster-service":"true"}},"spec":{"selector":{"k":"v"},"ports":[{"name":"http","port":80}]}}]}"#;
        let Answer::ClusterInfo(info) =
            read_answer(&ApiCall::ClusterInfo { namespace: None }, "https://k/", 200, body).unwrap()
        else {
            panic!()
        };
        assert_eq!(
            info[0].url,
            "https://k/api/v1/namespaces/kube-system/services/dns:http/proxy"
        );
        let Answer::OpenableEndpoints(open) = read_answer(
            &ApiCall::OpenableEndpoints { namespace: None },
            "https://k",
            200,
            body,
        )
        .unwrap() else {
            panic!()
        };
        assert_eq!(
            open[0].url,
            "https://k/api/v1/namespaces/kube-system/services/dns:80/proxy/"
        );
    }
}
