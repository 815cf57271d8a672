//! Read-only inspection of bearer tokens, **for display only**.
//!
//! The signature of a JWT is **not verified** here and cannot be: kubeopen has no keys, and only
//! the API server decides whether a token is valid. Everything this module reports is what the
//! token *claims* — use it to show "service account `monitoring/grafana`, expires in 52 minutes",
//! never to make an access decision.
//!
//! Tokens that are not JWTs (static tokens from `--token-auth-file`, bootstrap tokens
//! `abcdef.0123456789abcdef`, opaque OIDC access tokens) are [`TokenInfo::Opaque`], not errors.
//! A token that *is* a JWT (its header decodes to a JSON object) but whose claims are not valid
//! JSON or have the wrong types is a [`TokenError`].
//!
//! ```
//! use kubeopen::token::{inspect_token, TokenInfo};
//!
//! assert_eq!(inspect_token("static-token-123", 0)?, TokenInfo::Opaque);
//! # Ok::<(), kubeopen::token::TokenError>(())
//! ```

use crate::auth::base64::{Alphabet, decode};
use crate::json_read::{
    FromJson, Object, deserialize_via_read, optional_nested, optional_string, string, wrong,
};
use serde_json::Value;

/// What a token says about itself.
///
/// ```
/// use kubeopen::token::{inspect_token, TokenInfo};
/// // header {"alg":"none"}, claims {"sub":"me"}
/// let info = inspect_token("eyJhbGciOiJub25lIn0.eyJzdWIiOiJtZSJ9.", 0)?;
/// assert!(matches!(info, TokenInfo::Jwt(jwt) if jwt.subject.as_deref() == Some("me")));
/// # Ok::<(), kubeopen::token::TokenError>(())
/// ```
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase", tag = "kind")]
pub enum TokenInfo {
    /// A JWT; its claims (unverified).
    Jwt(Box<JwtInfo>),
    /// Not a JWT: nothing can be read from it.
    Opaque,
}

/// The claims of a JWT, as written by the issuer. **Not verified.**
///
/// Kubernetes service-account tokens come in two forms, both read here:
/// - bound tokens (`kubectl create token`, projected volumes): a `kubernetes.io` claim object with
///   `namespace`, `serviceaccount {name, uid}`, and `pod` / `node` / `secret` when bound to one;
/// - legacy Secret-based tokens: flat `kubernetes.io/serviceaccount/namespace`,
///   `…/service-account.name`, `…/service-account.uid`, `…/secret.name` claims, no expiry.
///
/// ```
/// let info = kubeopen::token::JwtInfo { expires_at: Some(10), expired: true, ..Default::default() };
/// assert_eq!(serde_json::to_value(&info)?["expiresAt"], 10);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct JwtInfo {
    /// Header `alg` (e.g. `RS256`).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub algorithm: Option<String>,
    /// Header `kid`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub key_id: Option<String>,
    /// `sub`, e.g. `system:serviceaccount:monitoring:grafana`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// `iss`.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issuer: Option<String>,
    /// `aud`, a string or an array in the token; always a list here.
    pub audiences: Vec<String>,
    /// `iat`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub issued_at: Option<i64>,
    /// `nbf`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub not_before: Option<i64>,
    /// `exp`, seconds since the Unix epoch.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub expires_at: Option<i64>,
    /// `now >= exp` (false when there is no `exp`).
    pub expired: bool,
    /// `now < nbf` (false when there is no `nbf`).
    pub not_yet_valid: bool,
    /// The service account's namespace (bound or legacy claims).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub namespace: Option<String>,
    /// The service account.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub service_account: Option<ObjectRef>,
    /// The pod the token is bound to.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pod: Option<ObjectRef>,
    /// The node the token is bound to (or the pod's node).
    #[serde(skip_serializing_if = "Option::is_none")]
    pub node: Option<ObjectRef>,
    /// The Secret a token is bound to, or a legacy token's Secret name.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub secret: Option<ObjectRef>,
    /// `kubernetes.io.warnafter`: when the API server starts warning about the token's age.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub warn_after: Option<i64>,
    /// Whether the claims are the legacy Secret-based form.
    pub legacy: bool,
}

/// A Kubernetes object named in a token.
///
/// ```
/// let sa = kubeopen::token::ObjectRef { name: "grafana".into(), uid: None };
/// assert_eq!(serde_json::to_string(&sa)?, r#"{"name":"grafana"}"#);
/// # Ok::<(), serde_json::Error>(())
/// ```
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize)]
pub struct ObjectRef {
    /// Its name.
    pub name: String,
    /// Its UID, when the token carries one.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub uid: Option<String>,
}

impl FromJson for ObjectRef {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(ObjectRef {
            name: string(o, "name")?,
            uid: optional_string(o, "uid")?,
        })
    }
}

deserialize_via_read!(ObjectRef);

/// A JWT whose claims cannot be read.
///
/// ```
/// use kubeopen::token::inspect_token;
/// // header {"alg":"none"}, payload `{"exp":"soon"}`
/// let err = inspect_token("eyJhbGciOiJub25lIn0.eyJleHAiOiJzb29uIn0.", 0).unwrap_err();
/// assert!(err.to_string().starts_with("the token is a JWT but its claims (part 2) are invalid:"), "{err}");
/// ```
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum TokenError {
    /// The payload is not base64url.
    #[error("the token is a JWT but its claims (part 2, from byte {start}) are not base64url: {detail}")]
    PayloadEncoding {
        /// Byte offset of the payload in the token.
        start: usize,
        /// What is wrong, with an offset inside the payload.
        detail: String,
    },
    /// The payload is not a JSON object of the expected claim types.
    #[error("the token is a JWT but its claims (part 2) are invalid: {detail}")]
    Claims {
        /// What is wrong: the JSON syntax error (with line and column), or the claim with the wrong type.
        detail: String,
    },
}

/// The JOSE header fields shown.
#[derive(Default)]
struct Header {
    alg: Option<String>,
    kid: Option<String>,
}

impl FromJson for Header {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(Header {
            alg: optional_string(o, "alg")?,
            kid: optional_string(o, "kid")?,
        })
    }
}

/// The registered claims shown, and both forms of Kubernetes' own (read by hand, like the API
/// types: `json_read.rs`).
#[derive(Default)]
struct Claims {
    sub: Option<String>,
    iss: Option<String>,
    /// `aud`: a string or an array of strings (RFC 7519 §4.1.3); always a list here.
    aud: Vec<String>,
    iat: Option<i64>,
    nbf: Option<i64>,
    exp: Option<i64>,
    kubernetes: Option<KubernetesClaims>,
    legacy_namespace: Option<String>,
    legacy_sa_name: Option<String>,
    legacy_sa_uid: Option<String>,
    legacy_secret_name: Option<String>,
}

impl FromJson for Claims {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        let aud = match o.get("aud") {
            None | Some(Value::Null) => Vec::new(),
            Some(Value::String(one)) => vec![one.clone()],
            Some(Value::Array(all)) => all
                .iter()
                .map(|a| a.as_str().map(str::to_owned).ok_or_else(|| wrong("a string", a)))
                .collect::<Result<_, _>>()
                .map_err(|e| e.within("aud".to_owned()))?,
            Some(other) => {
                return Err(wrong("a string or an array of strings", other).within("aud".to_owned()));
            }
        };
        Ok(Claims {
            sub: optional_string(o, "sub")?,
            iss: optional_string(o, "iss")?,
            aud,
            iat: numeric_date(o, "iat")?,
            nbf: numeric_date(o, "nbf")?,
            exp: numeric_date(o, "exp")?,
            kubernetes: optional_nested(o, "kubernetes.io")?,
            legacy_namespace: optional_string(o, "kubernetes.io/serviceaccount/namespace")?,
            legacy_sa_name: optional_string(o, "kubernetes.io/serviceaccount/service-account.name")?,
            legacy_sa_uid: optional_string(o, "kubernetes.io/serviceaccount/service-account.uid")?,
            legacy_secret_name: optional_string(o, "kubernetes.io/serviceaccount/secret.name")?,
        })
    }
}

/// The private claim of bound service-account tokens (`pkg/serviceaccount/claims.go`).
#[derive(Default)]
struct KubernetesClaims {
    namespace: Option<String>,
    serviceaccount: Option<ObjectRef>,
    pod: Option<ObjectRef>,
    node: Option<ObjectRef>,
    secret: Option<ObjectRef>,
    warnafter: Option<i64>,
}

impl FromJson for KubernetesClaims {
    fn read(o: &Object) -> crate::json_read::Result<Self> {
        Ok(KubernetesClaims {
            namespace: optional_string(o, "namespace")?,
            serviceaccount: optional_nested(o, "serviceaccount")?,
            pod: optional_nested(o, "pod")?,
            node: optional_nested(o, "node")?,
            secret: optional_nested(o, "secret")?,
            warnafter: numeric_date(o, "warnafter")?,
        })
    }
}

/// RFC 7519 NumericDate: a JSON number of seconds, possibly fractional; truncated to whole
/// seconds (`as` saturates beyond i64, which is what a display wants).
fn numeric_date(o: &Object, key: &str) -> crate::json_read::Result<Option<i64>> {
    match o.get(key) {
        None | Some(Value::Null) => Ok(None),
        Some(v) => match v.as_f64().filter(|f| f.is_finite()) {
            Some(seconds) => Ok(Some(seconds.trunc() as i64)),
            None => Err(wrong("a number of seconds", v).within(key.to_owned())),
        },
    }
}

/// Reads what a token claims; `now` is the current time in seconds since the Unix epoch, used
/// only for [`JwtInfo::expired`] and [`JwtInfo::not_yet_valid`]. **The signature is not checked.**
///
/// A token is taken as a JWT when it has exactly three `.`-separated parts and the first is
/// base64url of a JSON object (the JOSE header); otherwise it is [`TokenInfo::Opaque`].
/// Surrounding whitespace is ignored.
///
/// ```
/// use kubeopen::token::{inspect_token, TokenInfo};
///
/// // Claims: {"iss":"https://kubernetes.default.svc","sub":"system:serviceaccount:monitoring:grafana",
/// //          "aud":["https://kubernetes.default.svc"],"exp":1700003600,"iat":1700000000,
/// //          "kubernetes.io":{"namespace":"monitoring","serviceaccount":{"name":"grafana","uid":"u-1"}}}
/// let jwt = "eyJhbGciOiJSUzI1NiIsImtpZCI6ImsxIn0.eyJpc3MiOiJodHRwczovL2t1YmVybmV0ZXMuZGVmYXVsdC5zdmMiLCJzdWIiOiJzeXN0ZW06c2VydmljZWFjY291bnQ6bW9uaXRvcmluZzpncmFmYW5hIiwiYXVkIjpbImh0dHBzOi8va3ViZXJuZXRlcy5kZWZhdWx0LnN2YyJdLCJleHAiOjE3MDAwMDM2MDAsImlhdCI6MTcwMDAwMDAwMCwia3ViZXJuZXRlcy5pbyI6eyJuYW1lc3BhY2UiOiJtb25pdG9yaW5nIiwic2VydmljZWFjY291bnQiOnsibmFtZSI6ImdyYWZhbmEiLCJ1aWQiOiJ1LTEifX19.c2ln";
/// let TokenInfo::Jwt(info) = inspect_token(jwt, 1_700_003_600)? else { panic!("a JWT") };
/// assert_eq!(info.subject.as_deref(), Some("system:serviceaccount:monitoring:grafana"));
/// assert_eq!(info.namespace.as_deref(), Some("monitoring"));
/// assert_eq!(info.service_account.as_ref().map(|sa| sa.name.as_str()), Some("grafana"));
/// assert_eq!(info.expires_at, Some(1_700_003_600));
/// assert!(info.expired); // at exactly `exp`, a token is no longer valid
/// # Ok::<(), kubeopen::token::TokenError>(())
/// ```
pub fn inspect_token(token: &str, now: i64) -> Result<TokenInfo, TokenError> {
    let leading = token.len() - token.trim_start().len();
    let token = token.trim();
    let mut parts = token.split('.');
    let (Some(header), Some(payload), Some(_signature), None) =
        (parts.next(), parts.next(), parts.next(), parts.next())
    else {
        return Ok(TokenInfo::Opaque);
    };
    let Some(header) = decode(header, Alphabet::UrlSafe)
        .ok()
        .and_then(|bytes| serde_json::from_slice::<Value>(&bytes).ok())
        .and_then(|value| value.as_object().and_then(|o| Header::read(o).ok()))
    else {
        return Ok(TokenInfo::Opaque);
    };
    let start = leading + token.find('.').map_or(0, |i| i + 1);
    let bytes = decode(payload, Alphabet::UrlSafe).map_err(|e| TokenError::PayloadEncoding {
        start,
        detail: e.to_string(),
    })?;
    let claims = serde_json::from_slice::<Value>(&bytes)
        .map_err(|e| e.to_string())
        .and_then(|value| Claims::from_value(&value).map_err(|e| e.to_string()))
        .map_err(|detail| TokenError::Claims { detail })?;
    Ok(TokenInfo::Jwt(Box::new(jwt_info(header, claims, now))))
}

fn jwt_info(header: Header, claims: Claims, now: i64) -> JwtInfo {
    let expires_at = claims.exp;
    let not_before = claims.nbf;
    let legacy =
        claims.kubernetes.is_none() && (claims.legacy_namespace.is_some() || claims.legacy_sa_name.is_some());
    let mut info = JwtInfo {
        algorithm: header.alg,
        key_id: header.kid,
        subject: claims.sub,
        issuer: claims.iss,
        audiences: claims.aud,
        issued_at: claims.iat,
        not_before,
        expires_at,
        expired: expires_at.is_some_and(|exp| now >= exp),
        not_yet_valid: not_before.is_some_and(|nbf| now < nbf),
        legacy,
        ..JwtInfo::default()
    };
    if let Some(k) = claims.kubernetes {
        info.namespace = k.namespace;
        info.service_account = k.serviceaccount;
        info.pod = k.pod;
        info.node = k.node;
        info.secret = k.secret;
        info.warn_after = k.warnafter;
    } else {
        info.namespace = claims.legacy_namespace;
        info.service_account = claims.legacy_sa_name.map(|name| ObjectRef {
            name,
            uid: claims.legacy_sa_uid,
        });
        info.secret = claims
            .legacy_secret_name
            .map(|name| ObjectRef { name, uid: None });
    }
    info
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::auth::base64::encode;

    /// A JWT with this header and payload (base64url, unpadded) and a fake signature.
    fn jwt(header: &str, payload: &str) -> String {
        let b64 = |s: &str| {
            encode(s.as_bytes())
                .replace('+', "-")
                .replace('/', "_")
                .replace('=', "")
        };
        format!("{}.{}.c2lnbmF0dXJl", b64(header), b64(payload))
    }

    fn info(token: &str, now: i64) -> JwtInfo {
        match inspect_token(token, now).unwrap() {
            TokenInfo::Jwt(info) => *info,
            TokenInfo::Opaque => panic!("expected a JWT: {token}"),
        }
    }

    #[test]
    fn bound_service_account_token() {
        // The shape kube-apiserver issues for a projected token (pkg/serviceaccount/claims.go).
        let t = jwt(
            r#"{"alg":"RS256","kid":"abc"}"#,
            r#"{"aud":["https://kubernetes.default.svc.cluster.local","k3s"],"exp":1764000000,"iat":1763996400,"nbf":1763996400,
               "iss":"https://kubernetes.default.svc.cluster.local",
               "kubernetes.io":{"namespace":"monitoring","node":{"name":"n1","uid":"nu"},"pod":{"name":"grafana-0","uid":"pu"},
                                "serviceaccount":{"name":"grafana","uid":"su"},"warnafter":1763999999},
               "sub":"system:serviceaccount:monitoring:grafana"}"#,
        );
        let i = info(&t, 1_763_999_999);
        assert_eq!(i.algorithm.as_deref(), Some("RS256"));
        assert_eq!(i.key_id.as_deref(), Some("abc"));
        assert_eq!(
            i.subject.as_deref(),
            Some("system:serviceaccount:monitoring:grafana")
        );
        assert_eq!(
            i.issuer.as_deref(),
            Some("https://kubernetes.default.svc.cluster.local")
        );
        assert_eq!(
            i.audiences,
            ["https://kubernetes.default.svc.cluster.local", "k3s"]
        );
        assert_eq!(
            (i.issued_at, i.not_before, i.expires_at),
            (Some(1_763_996_400), Some(1_763_996_400), Some(1_764_000_000))
        );
        assert_eq!(i.namespace.as_deref(), Some("monitoring"));
        assert_eq!(
            i.service_account,
            Some(ObjectRef {
                name: "grafana".into(),
                uid: Some("su".into())
            })
        );
        assert_eq!(
            i.pod,
            Some(ObjectRef {
                name: "grafana-0".into(),
                uid: Some("pu".into())
            })
        );
        assert_eq!(
            i.node,
            Some(ObjectRef {
                name: "n1".into(),
                uid: Some("nu".into())
            })
        );
        assert_eq!(i.warn_after, Some(1_763_999_999));
        assert!(!i.expired && !i.not_yet_valid && !i.legacy);
        assert!(info(&t, 1_764_000_000).expired);
        assert!(info(&t, 1_763_996_399).not_yet_valid);
    }

    #[test]
    fn legacy_secret_token() {
        let t = jwt(
            r#"{"alg":"RS256"}"#,
            r#"{"iss":"kubernetes/serviceaccount","kubernetes.io/serviceaccount/namespace":"kube-system",
               "kubernetes.io/serviceaccount/secret.name":"admin-token-x","kubernetes.io/serviceaccount/service-account.name":"admin",
               "kubernetes.io/serviceaccount/service-account.uid":"u1","sub":"system:serviceaccount:kube-system:admin"}"#,
        );
        let i = info(&t, i64::MAX);
        assert!(i.legacy);
        assert_eq!(i.namespace.as_deref(), Some("kube-system"));
        assert_eq!(
            i.service_account,
            Some(ObjectRef {
                name: "admin".into(),
                uid: Some("u1".into())
            })
        );
        assert_eq!(
            i.secret,
            Some(ObjectRef {
                name: "admin-token-x".into(),
                uid: None
            })
        );
        assert_eq!(i.expires_at, None);
        assert!(!i.expired, "no exp: never expired");
        assert!(i.audiences.is_empty());
    }

    #[test]
    fn audience_string_fractional_dates_and_surrounding_whitespace() {
        let t = jwt(r#"{"alg":"ES256"}"#, r#"{"aud":"api","exp":100.9,"sub":"me"}"#);
        let i = info(&format!("\n {t}\n"), 100);
        assert_eq!(i.audiences, ["api"]);
        assert_eq!(i.expires_at, Some(100));
        assert!(i.expired);
    }

    #[test]
    fn non_jwts_are_opaque() {
        for token in [
            "",
            "31ada4fd-adec-460c-809a-9e56ceb75269",
            "abcdef.0123456789abcdef",           // bootstrap token: two parts
            "a.b.c",                             // header is not base64 JSON
            "e30.e30.e30.e30",                   // four parts
            &format!("{}.e30.", encode(b"[1]")), // header is JSON but not an object
        ] {
            assert_eq!(inspect_token(token, 0).unwrap(), TokenInfo::Opaque, "{token:?}");
        }
        // Header `{}` is an object: a JWT, and `e30` is `{}` claims.
        assert_eq!(info("e30.e30.", 0), JwtInfo::default());
    }

    #[test]
    fn broken_claims_are_errors_that_say_where() {
        let err = inspect_token("e30.e*30.sig", 0).unwrap_err();
        assert_eq!(
            err,
            TokenError::PayloadEncoding {
                start: 4,
                detail: "'*' at byte 1 is not a base64 character".into()
            }
        );
        let err = inspect_token(&jwt("{}", r#"{"exp":"tomorrow"}"#), 0).unwrap_err();
        assert_eq!(
            err.to_string(),
            "the token is a JWT but its claims (part 2) are invalid: exp: expected a number of seconds, found a string"
        );
        assert!(matches!(
            inspect_token(&jwt("{}", "not json"), 0),
            Err(TokenError::Claims { .. })
        ));
        assert!(matches!(
            inspect_token(&jwt("{}", r#"{"aud":[1]}"#), 0),
            Err(TokenError::Claims { .. })
        ));
    }
}
