//! Authentication (static token file, optional basic-auth file, both in kube-apiserver's CSV
//! format) and a small per-user/group rule file for authorization.

use std::collections::HashMap;
use std::path::Path;

use base64::Engine as _;
use serde::Deserialize;

/// An authenticated user.
#[derive(Clone, Debug)]
pub struct User {
    /// User name.
    pub name: String,
    /// Groups (plus `system:authenticated`).
    pub groups: Vec<String>,
}

/// One authorization rule. Empty lists never match; `"*"` matches anything.
#[derive(Deserialize, Debug, Clone)]
#[serde(deny_unknown_fields)]
pub struct Rule {
    #[serde(default)]
    users: Vec<String>,
    #[serde(default)]
    groups: Vec<String>,
    /// Namespaces; omitted means every namespace and the cluster scope.
    #[serde(default)]
    namespaces: Option<Vec<String>>,
    resources: Vec<String>,
    verbs: Vec<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RuleFile {
    rules: Vec<Rule>,
}

/// The configured authenticator and authorizer.
#[derive(Default)]
pub struct Auth {
    /// A token or basic-auth file was given. Authentication is on then even if the files list
    /// nobody: an empty (or half-written) file must refuse everyone, not let everyone in.
    configured: bool,
    tokens: HashMap<String, User>,
    first_token: Option<String>,
    basic: HashMap<(String, String), User>,
    rules: Option<Vec<Rule>>,
}

/// What a request wants to do, for authorization.
pub struct Attributes<'a> {
    /// `get`, `list`, `create`, … (`""` for OPTIONS on a proxy).
    pub verb: &'a str,
    /// `services`, `services/proxy`, …; `None` for a non-resource path.
    pub resource: Option<&'a str>,
    /// The API group (`""` for the core group). Rules match resources by name in any group.
    pub group: &'a str,
    /// Namespace (`""` = cluster scope).
    pub namespace: &'a str,
    /// Object name, if any.
    pub name: Option<&'a str>,
    /// The path (for non-resource requests).
    pub path: &'a str,
}

/// Splits one CSV record (double quotes, `""` escape), like Go's encoding/csv.
fn csv_record(line: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut cur = String::new();
    let mut quoted = false;
    let mut chars = line.chars().peekable();
    while let Some(c) = chars.next() {
        match c {
            '"' if quoted && chars.peek() == Some(&'"') => {
                cur.push('"');
                chars.next();
            }
            '"' => quoted = !quoted,
            ',' if !quoted => out.push(std::mem::take(&mut cur)),
            _ => cur.push(c),
        }
    }
    out.push(cur);
    out
}

fn read_csv(path: &Path, what: &str) -> Result<Vec<(String, User)>, String> {
    let text =
        std::fs::read_to_string(path).map_err(|e| format!("{}: cannot read {what}: {e}", path.display()))?;
    let mut out = Vec::new();
    for (i, line) in text.lines().enumerate() {
        let line = line.trim();
        if line.is_empty() || line.starts_with('#') {
            continue;
        }
        let rec = csv_record(line);
        if rec.len() < 3 {
            return Err(format!(
                "{}:{}: {what}: expected secret,user,uid[,\"group1,group2\"], got {} field(s)",
                path.display(),
                i + 1,
                rec.len()
            ));
        }
        let mut groups: Vec<String> = rec
            .get(3)
            .map(|g| {
                g.split(',')
                    .map(str::trim)
                    .filter(|s| !s.is_empty())
                    .map(str::to_owned)
                    .collect()
            })
            .unwrap_or_default();
        groups.push("system:authenticated".to_owned());
        out.push((
            rec[0].clone(),
            User {
                name: rec[1].clone(),
                groups,
            },
        ));
    }
    Ok(out)
}

impl Auth {
    /// Loads the configured files; with no token or basic-auth file, authentication is off
    /// (everyone allowed).
    pub fn load(
        token_file: Option<&Path>,
        basic_file: Option<&Path>,
        rule_file: Option<&Path>,
    ) -> Result<Auth, String> {
        let mut a = Auth {
            configured: token_file.is_some() || basic_file.is_some(),
            ..Auth::default()
        };
        if let Some(p) = token_file {
            let list = read_csv(p, "token file")?;
            a.first_token = list.first().map(|(t, _)| t.clone());
            a.tokens = list.into_iter().collect();
        }
        if let Some(p) = basic_file {
            a.basic = read_csv(p, "basic auth file")?
                .into_iter()
                .map(|(pw, u)| ((u.name.clone(), pw), u))
                .collect();
        }
        if let Some(p) = rule_file {
            let text = std::fs::read_to_string(p)
                .map_err(|e| format!("{}: cannot read rule file: {e}", p.display()))?;
            let f: RuleFile = serde_saphyr::from_str(&text).map_err(|e| {
                let loc = e
                    .location()
                    .map(|l| format!(":{}:{}", l.line(), l.column()))
                    .unwrap_or_default();
                format!(
                    "{}{loc}: {}",
                    p.display(),
                    e.to_string().lines().next().unwrap_or("")
                )
            })?;
            a.rules = Some(f.rules);
        }
        Ok(a)
    }

    /// The first token of the token file (for the kubeconfig `--tls` writes).
    pub fn first_token(&self) -> Option<&str> {
        self.first_token.as_deref()
    }

    /// Is any authenticator configured?
    pub fn enabled(&self) -> bool {
        self.configured
    }

    /// Authenticates an `Authorization` header value. `Ok(None)` when auth is off.
    pub fn authenticate(&self, header: Option<&str>) -> Result<Option<User>, ()> {
        if !self.enabled() {
            return Ok(None);
        }
        let h = header.ok_or(())?;
        if let Some(tok) = h.strip_prefix("Bearer ").map(str::trim) {
            return self.tokens.get(tok).cloned().map(Some).ok_or(());
        }
        if let Some(b64) = h.strip_prefix("Basic ") {
            let raw = base64::engine::general_purpose::STANDARD
                .decode(b64.trim())
                .map_err(|_| ())?;
            let raw = String::from_utf8(raw).map_err(|_| ())?;
            let (u, p) = raw.split_once(':').ok_or(())?;
            return self
                .basic
                .get(&(u.to_owned(), p.to_owned()))
                .cloned()
                .map(Some)
                .ok_or(());
        }
        Err(())
    }

    /// Whether [`Auth::authorize`] can deny anything (an `--authz-file` was given).
    pub fn has_rules(&self) -> bool {
        self.rules.is_some()
    }

    /// Authenticates a bearer token (the token file only, as kube-apiserver's token
    /// authenticators). `Err` when auth is on and the token is unknown.
    pub fn authenticate_token(&self, token: &str) -> Result<Option<User>, ()> {
        if !self.enabled() {
            return Ok(None);
        }
        self.tokens.get(token).cloned().map(Some).ok_or(())
    }

    /// Whether the rules allow `a` (no message; for checks made after the filter, like the
    /// port-forward `create` check).
    pub fn allows(&self, user: Option<&User>, a: &Attributes<'_>) -> bool {
        self.authorize(user, a).is_ok()
    }

    /// Authorizes; `Err(message)` is the 403 message kube-apiserver would give.
    pub fn authorize(&self, user: Option<&User>, a: &Attributes<'_>) -> Result<(), String> {
        let (Some(rules), Some(user)) = (&self.rules, user) else {
            return Ok(());
        };
        let Some(resource) = a.resource else {
            // Discovery paths are open to every authenticated user (system:discovery).
            if crate::api::is_discovery_path(a.path) {
                return Ok(());
            }
            return Err(format!(
                "forbidden: User \"{}\" cannot {} path \"{}\"",
                user.name, a.verb, a.path
            ));
        };
        let any = |list: &[String], v: &str| list.iter().any(|x| x == "*" || x == v);
        let allowed = rules.iter().any(|r| {
            (any(&r.users, &user.name) || user.groups.iter().any(|g| any(&r.groups, g)))
                && any(&r.resources, resource)
                && any(&r.verbs, a.verb)
                && r.namespaces
                    .as_ref()
                    .is_none_or(|ns| !a.namespace.is_empty() && any(ns, a.namespace))
        });
        if allowed {
            return Ok(());
        }
        let base = resource.split('/').next().unwrap_or(resource);
        // schema.GroupResource.String(): `resource.group`.
        let base = if a.group.is_empty() {
            base.to_owned()
        } else {
            format!("{base}.{}", a.group)
        };
        let subject = match a.name {
            Some(n) => format!("{base} \"{n}\" is forbidden"),
            None => format!("{base} is forbidden"),
        };
        let scope = if a.namespace.is_empty() {
            "at the cluster scope".to_owned()
        } else {
            format!("in the namespace \"{}\"", a.namespace)
        };
        Err(format!(
            "{subject}: User \"{}\" cannot {} resource \"{resource}\" in API group \"{}\" {scope}",
            user.name, a.verb, a.group
        ))
    }
}

/// The subprotocol prefix that carries a bearer token on a WebSocket handshake.
pub const BEARER_PROTOCOL_PREFIX: &str = "base64url.bearer.authorization.k8s.io.";

/// What `Sec-WebSocket-Protocol` says about a bearer token
/// (`apiserver/pkg/authentication/request/websocket/protocol.go`).
#[derive(Debug, PartialEq, Eq)]
pub enum ProtocolToken {
    /// No token entry: this authenticator has no opinion.
    None,
    /// A token, and the header value to set once it authenticates (every other entry, joined
    /// by `,`).
    Token {
        /// The decoded token.
        token: String,
        /// The remaining subprotocols.
        filtered: String,
    },
    /// A malformed entry (several tokens, bad base64url, not UTF-8, no other subprotocol):
    /// an authentication error.
    Invalid(&'static str),
}

/// Reads the token entry from every `Sec-WebSocket-Protocol` header value (call only for
/// WebSocket requests, as the authenticator does).
pub fn protocol_token<'a>(values: impl Iterator<Item = &'a str>) -> ProtocolToken {
    let mut token: Option<String> = None;
    let mut filtered: Vec<&str> = Vec::new();
    for value in values {
        for p in value.split(',').map(str::trim) {
            let Some(encoded) = p.strip_prefix(BEARER_PROTOCOL_PREFIX) else {
                filtered.push(p);
                continue;
            };
            if token.is_some() {
                return ProtocolToken::Invalid("multiple base64.bearer.authorization tokens specified");
            }
            let Ok(raw) = base64::engine::general_purpose::URL_SAFE_NO_PAD.decode(encoded) else {
                return ProtocolToken::Invalid("invalid base64.bearer.authorization token encoding");
            };
            let Ok(t) = String::from_utf8(raw) else {
                return ProtocolToken::Invalid("invalid base64.bearer.authorization token");
            };
            token = Some(t);
        }
    }
    match token {
        Some(t) if !t.is_empty() && filtered.is_empty() => {
            ProtocolToken::Invalid("missing additional subprotocol")
        }
        Some(t) if !t.is_empty() => ProtocolToken::Token {
            token: t,
            filtered: filtered.join(","),
        },
        _ => ProtocolToken::None,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn an_empty_credential_file_refuses_everyone() {
        let dir = std::env::temp_dir().join(format!("kubeopen-auth-empty-{}", std::process::id()));
        std::fs::create_dir_all(&dir).unwrap();
        let empty = dir.join("empty.csv");
        std::fs::write(&empty, "").unwrap();
        for (tokens, basic) in [(Some(empty.as_path()), None), (None, Some(empty.as_path()))] {
            let a = Auth::load(tokens, basic, None).unwrap();
            assert!(a.enabled());
            assert!(a.authenticate(None).is_err());
            assert!(a.authenticate(Some("Bearer anything")).is_err());
        }
        let off = Auth::load(None, None, None).unwrap();
        assert!(!off.enabled());
        assert!(matches!(off.authenticate(None), Ok(None)));
    }

    #[test]
    fn protocol_tokens() {
        // "abc" base64url without padding is "YWJj".
        let t = |v: &str| protocol_token([v].into_iter());
        assert_eq!(
            t("base64url.bearer.authorization.k8s.io.YWJj, v4.channel.k8s.io"),
            ProtocolToken::Token {
                token: "abc".into(),
                filtered: "v4.channel.k8s.io".into()
            }
        );
        assert_eq!(t("v4.channel.k8s.io"), ProtocolToken::None);
        assert_eq!(
            t("base64url.bearer.authorization.k8s.io.YWJj"),
            ProtocolToken::Invalid("missing additional subprotocol")
        );
        assert_eq!(
            t("base64url.bearer.authorization.k8s.io.YWJj=,x"),
            ProtocolToken::Invalid("invalid base64.bearer.authorization token encoding")
        );
        assert!(matches!(
            t("base64url.bearer.authorization.k8s.io.YWJj,base64url.bearer.authorization.k8s.io.YWJj,x"),
            ProtocolToken::Invalid(_)
        ));
    }

    #[test]
    fn csv_groups() {
        assert_eq!(
            csv_record(r#"tok,alice,1,"a,b""#),
            vec!["tok", "alice", "1", "a,b"]
        );
    }
}
