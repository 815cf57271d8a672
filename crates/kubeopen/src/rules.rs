//! The browser network rules for one bound tab: `chrome.declarativeNetRequest` **session** rules
//! that make tab T show target X through server S (ARCHITECTURE.md, "Network rules").
//!
//! [`browser_rules`] returns exactly [`RULES_PER_BINDING`] rules, with ids `first_rule_id`,
//! `first_rule_id + 1` and `first_rule_id + 2` (see [`rule_ids`]), so the extension can remove a
//! binding's rules knowing only its first id. Every rule has `tabIds: [T]`: nothing applies to
//! other tabs, and every URL pattern is anchored to S's origin: nothing applies to other origins.
//!
//! | id | priority | action | matches | the failure it prevents |
//! | --- | --- | --- | --- | --- |
//! | first + 0 | 3 | `modifyHeaders`: set `Authorization` (if given) and `Accept-Encoding: gzip` | requests inside X's prefix (all resource types, WebSocket included) | **401/403 on every request**: a browser cannot attach a bearer token to navigations, `<img>`, `<script>` or `new WebSocket()`; and **blank or truncated HTML pages**: the API server only rewrites (and, for other encodings, loses — spec §3.3 step 5) bodies in `gzip`/`deflate`, while browsers ask for `br`/`zstd` too. Scoping to the prefix keeps the token away from other paths of the API. |
//! | first + 1 | 2 | `allow` | real proxy paths of *any* target on S (`…/api/v1/namespaces/*/services\|pods/*/proxy`, `…/api/v1/nodes/*/proxy`) | **double prefixes and redirect loops**: without it, rule 3 would send already-correct proxy URLs (this target's, or another target's that the app links to) into X's prefix again. RE2 has no lookahead, so the exception must be its own, higher-priority rule. Priority 2 < 3 so that rule 1 still applies inside X's prefix. |
//! | first + 2 | 1 | `redirect` (`regexSubstitution`) | every other request from T to S's origin | **the app escaping its prefix**: root-relative URLs the page builds at run time (`fetch('/api/query')`, `/static/app.js` from a bundle, a reload after `history.pushState`, a form posting to `/login`) would hit the API server itself (404 or an API response). The redirect keeps the path and query and puts them under X's prefix; a 307-style internal redirect keeps the method and body. |
//!
//! **Measured in Chromium 156** (`tests/e2e/rules.test.mjs`): rules 1–3 do all of the above for
//! navigations, subresources, `fetch`, XHR and form posts, and rule 1 sets the header on a
//! WebSocket opened *inside* the prefix — provided the extension holds `ws://`/`wss://` host
//! permissions (`*://` does not cover them). Rule 3 does **not** apply to WebSocket handshakes:
//! Chromium never redirects them, so a root-relative `new WebSocket("/ws")` must be rewritten
//! before it is opened, by the extension's page-world script (ARCHITECTURE.md, content scripts).
//!
//! The regexes use RE2 syntax only (no lookaround, no backreferences) and every character taken
//! from the server or target is escaped. They match the URL as the browser canonicalises it:
//! lower-case scheme and host, no default port, `ws`/`wss` for WebSockets (hence
//! `(?:https|wss)`), no fragment.
//!
//! The `Authorization` value is built from [`Credentials`] (a bearer token or basic auth) by
//! [`Credentials::authorization_header`], which refuses anything that could end the header or
//! start another.

use std::fmt;
use std::ops::Range;

use serde::Serialize;

use crate::auth::{Credentials, CredentialsError};
use crate::proxy_url::{ProxyUrlError, Query, proxy_path, proxy_url};
use crate::target::Target;
use crate::url_split::split_url;

/// How many rules [`browser_rules`] returns for one binding.
pub const RULES_PER_BINDING: u32 = 3;

/// The rule ids of the binding whose first id is `first_rule_id`: the range to pass to
/// `updateSessionRules({removeRuleIds})` when the tab is unbound.
///
/// ```
/// assert_eq!(kubeopen::rules::rule_ids(100), 100..103);
/// ```
pub fn rule_ids(first_rule_id: u32) -> Range<u32> {
    first_rule_id..first_rule_id.saturating_add(RULES_PER_BINDING)
}

/// Why rules could not be built.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum RulesError {
    /// The server base is not usable.
    #[error(transparent)]
    Server(#[from] ProxyUrlError),
    /// The credentials cannot be sent as a header (the error says where, never what: it is a
    /// secret).
    #[error(transparent)]
    Credentials(#[from] CredentialsError),
    /// Rule ids must be 1 or more and all of a binding's ids must fit in a 32-bit signed integer.
    #[error("invalid first rule id {first_rule_id}: ids must be from 1 to {}", i32::MAX as u32 - RULES_PER_BINDING + 1)]
    RuleId {
        /// The id as given.
        first_rule_id: u32,
    },
}

/// What to build the rules from. `Debug` never shows a credential.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RulesInput<'a> {
    /// The API server base URL, as for [`crate::proxy_url::proxy_url`].
    pub server: &'a str,
    /// The target shown in the tab.
    pub target: &'a Target,
    /// The browser tab (`tabs.Tab.id`).
    pub tab_id: u32,
    /// What to send as `Authorization` (bearer token or basic auth), if requests need it;
    /// `None` for a server that authenticates by itself (`kubectl proxy`).
    pub credentials: Option<&'a Credentials>,
    /// The first of the [`RULES_PER_BINDING`] consecutive rule ids to use.
    pub first_rule_id: u32,
}

/// A `declarativeNetRequest.Rule`; serialises to exactly the JSON the API takes.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Rule {
    /// The rule id (≥ 1).
    pub id: u32,
    /// Higher wins among `allow`/`redirect`; `modifyHeaders` applies above any matching `allow`.
    pub priority: u32,
    /// What the rule does.
    pub action: RuleAction,
    /// Which requests it applies to.
    pub condition: RuleCondition,
}

/// A `declarativeNetRequest.RuleAction`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(tag = "type", rename_all = "camelCase", rename_all_fields = "camelCase")]
pub enum RuleAction {
    /// Let the request through; lower-priority redirects and `modifyHeaders` are skipped.
    Allow,
    /// Redirect the request.
    Redirect {
        /// Where to.
        redirect: Redirect,
    },
    /// Change request headers.
    ModifyHeaders {
        /// The changes, in order.
        request_headers: Vec<HeaderInfo>,
    },
}

/// A `declarativeNetRequest.Redirect` with a regex substitution.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Redirect {
    /// The replacement for the `regexFilter` match; `\1`… insert capture groups.
    pub regex_substitution: String,
}

/// A `declarativeNetRequest.ModifyHeaderInfo`.
#[derive(Clone, PartialEq, Eq, Serialize)]
pub struct HeaderInfo {
    /// The header name.
    pub header: String,
    /// Always `"set"` here.
    pub operation: HeaderOperation,
    /// The value to set.
    pub value: String,
}

impl fmt::Debug for HeaderInfo {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let secret = self.header.eq_ignore_ascii_case("authorization");
        f.debug_struct("HeaderInfo")
            .field("header", &self.header)
            .field("operation", &self.operation)
            .field("value", if secret { &"<redacted>" } else { &self.value })
            .finish()
    }
}

/// A `declarativeNetRequest.HeaderOperation`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub enum HeaderOperation {
    /// Replace the header (or add it).
    Set,
}

/// A `declarativeNetRequest.RuleCondition`.
#[derive(Clone, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "camelCase")]
pub struct RuleCondition {
    /// An RE2 regular expression matched against the whole request URL.
    pub regex_filter: String,
    /// The proxy path is case-sensitive on the server, so the match is too.
    pub is_url_filter_case_sensitive: bool,
    /// The one bound tab (session rules only).
    pub tab_ids: Vec<u32>,
    /// Every request type, listed because the default leaves out `main_frame`.
    pub resource_types: Vec<ResourceType>,
}

/// A `declarativeNetRequest.ResourceType`. `webtransport` and `webbundle` are Chrome-only and
/// would make Firefox refuse the rule, so they are left out.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
#[allow(missing_docs)]
pub enum ResourceType {
    MainFrame,
    SubFrame,
    Stylesheet,
    Script,
    Image,
    Font,
    Object,
    Xmlhttprequest,
    Ping,
    CspReport,
    Media,
    Websocket,
    Other,
}

const ALL_RESOURCE_TYPES: [ResourceType; 13] = [
    ResourceType::MainFrame,
    ResourceType::SubFrame,
    ResourceType::Stylesheet,
    ResourceType::Script,
    ResourceType::Image,
    ResourceType::Font,
    ResourceType::Object,
    ResourceType::Xmlhttprequest,
    ResourceType::Ping,
    ResourceType::CspReport,
    ResourceType::Media,
    ResourceType::Websocket,
    ResourceType::Other,
];

/// The session rules for one bound tab (see the [module docs](self) for each rule and why).
///
/// ```
/// use kubeopen::auth::Credentials;
/// use kubeopen::rules::{browser_rules, RulesInput};
/// use kubeopen::target::{Port, Target};
///
/// let grafana = Target::service("monitoring", "grafana")?.with_port(Some(Port::number(3000)?));
/// let rules = browser_rules(&RulesInput {
///     server: "https://10.0.0.1:6443",
///     target: &grafana,
///     tab_id: 7,
///     credentials: Some(&Credentials::Basic { username: "admin".into(), password: "s3cret".into() }),
///     first_rule_id: 100,
/// })?;
/// assert_eq!(rules.iter().map(|r| r.id).collect::<Vec<_>>(), [100, 101, 102]);
/// assert_eq!(
///     rules[0].condition.regex_filter,
///     r"^(?:https|wss)://10\.0\.0\.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy(?:[/?]|$)",
/// );
/// assert!(serde_json::to_string(&rules[0])?.contains(r#""value":"Basic YWRtaW46czNjcmV0""#));
/// # Ok::<(), Box<dyn std::error::Error>>(())
/// ```
pub fn browser_rules(input: &RulesInput<'_>) -> Result<Vec<Rule>, RulesError> {
    if input.first_rule_id == 0 || input.first_rule_id > i32::MAX as u32 - (RULES_PER_BINDING - 1) {
        return Err(RulesError::RuleId {
            first_rule_id: input.first_rule_id,
        });
    }
    let authorization = input
        .credentials
        .map(Credentials::authorization_header)
        .transpose()?;
    // proxy_url validates the server the same way everywhere; what precedes the proxy path is
    // the base (scheme, host, port, base path) without trailing `/`.
    let full = proxy_url(input.server, input.target, "", Query::None)?;
    let path = proxy_path(input.target);
    let base = full.get(..full.len() - path.len()).unwrap_or_default();
    let parts = split_url(base).map_err(|p| ProxyUrlError::Server {
        server: input.server.to_owned(),
        reason: p.reason,
        at: p.at,
    })?;
    let origin = origin_pattern(parts.https, parts.host, parts.port);
    let base_path = escape(parts.path);
    let prefix = path.strip_suffix('/').unwrap_or(&path);

    let condition = |regex_filter: String| RuleCondition {
        regex_filter,
        is_url_filter_case_sensitive: true,
        tab_ids: vec![input.tab_id],
        resource_types: ALL_RESOURCE_TYPES.to_vec(),
    };
    let mut request_headers = Vec::with_capacity(2);
    if let Some(value) = authorization {
        request_headers.push(HeaderInfo {
            header: "Authorization".to_owned(),
            operation: HeaderOperation::Set,
            value,
        });
    }
    request_headers.push(HeaderInfo {
        header: "Accept-Encoding".to_owned(),
        operation: HeaderOperation::Set,
        value: "gzip".to_owned(),
    });
    let id = input.first_rule_id;
    Ok(vec![
        Rule {
            id,
            priority: 3,
            action: RuleAction::ModifyHeaders { request_headers },
            condition: condition(format!("^{origin}{base_path}{}(?:[/?]|$)", escape(prefix))),
        },
        Rule {
            id: id + 1,
            priority: 2,
            action: RuleAction::Allow,
            condition: condition(format!(
                "^{origin}{base_path}/api/v1/(?:namespaces/[^/?]+/(?:services|pods)|nodes)/[^/?]+/proxy(?:[/?]|$)"
            )),
        },
        Rule {
            id: id + 2,
            priority: 1,
            action: RuleAction::Redirect {
                redirect: Redirect {
                    // `\` in a substitution starts a group reference; the prefix never contains
                    // one (validated names and base path), so it is inserted as it is.
                    regex_substitution: format!("\\1{}{prefix}\\2", parts.path),
                },
            },
            condition: condition(format!("^({origin})(/.*)$")),
        },
    ])
}

/// `scheme://host[:port]` as the browser writes it in a request URL: `ws`/`wss` for WebSockets,
/// lower-case host, the port only when it is not the scheme's default.
fn origin_pattern(https: bool, host: &str, port: Option<&str>) -> String {
    let schemes = if https { "(?:https|wss)" } else { "(?:http|ws)" };
    let default = if https { 443 } else { 80 };
    let port = port
        .and_then(|p| p.parse::<u16>().ok())
        .filter(|&p| p != default)
        .map(|p| format!(":{p}"))
        .unwrap_or_default();
    format!("{schemes}://{}{port}", escape(&host.to_ascii_lowercase()))
}

/// Escapes every ASCII punctuation character but `/` (RE2 reads `\` + punctuation as that
/// character literally); letters, digits and non-ASCII stay.
fn escape(text: &str) -> String {
    let mut out = String::with_capacity(text.len() + 8);
    for c in text.chars() {
        if c.is_ascii_punctuation() && c != '/' && c != ':' && c != '-' && c != '_' && c != '~' {
            out.push('\\');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn escaping() {
        assert_eq!(
            escape("a.b+c*d?e(f)g[h]i{j}k|l^m$n\\o"),
            r"a\.b\+c\*d\?e\(f\)g\[h\]i\{j\}k\|l\^m\$n\\o"
        );
        assert_eq!(escape("/k8s/clusters/c-1:x_~"), "/k8s/clusters/c-1:x_~");
        assert_eq!(
            origin_pattern(true, "K8S.example", Some("443")),
            r"(?:https|wss)://k8s\.example"
        );
        assert_eq!(
            origin_pattern(false, "[::1]", Some("8001")),
            r"(?:http|ws)://\[::1\]:8001"
        );
    }
}
