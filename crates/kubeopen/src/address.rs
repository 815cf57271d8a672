//! What a person types into an address bar or a search box, resolved to a proxy target, path,
//! query and fragment.
//!
//! | form | example | target |
//! | --- | --- | --- |
//! | `svc/NS/SEGMENT[/PATH]` (also `service/`, `services/`) | `svc/monitoring/grafana:3000/d/x` | service |
//! | `pod/NS/SEGMENT[/PATH]` (also `pods/`, `po/`) | `pod/default/web-0:8080/healthz` | pod |
//! | `node/SEGMENT[/PATH]` (also `nodes/`, `no/`) | `node/n1:9100/metrics` | node |
//! | `NAME.NS[:PORT][/PATH]` | `grafana.monitoring:3000/d/x` | service |
//! | `NAME.NS.svc[:PORT][/PATH]` | `grafana.monitoring.svc:3000` | service |
//! | `NAME.NS.svc.CLUSTER-DOMAIN[:PORT][/PATH]` | `grafana.monitoring.svc.cluster.local` | service |
//! | any of the three above after `http://` or `https://` | `https://argocd-server.argocd.svc/` | service, with that scheme (and port 443 here: see below) |
//! | `SEGMENT[/PATH]` with `-n NS`, `--namespace NS` or `--namespace=NS`, or alone | `https:web:8443 -n prod` | service |
//! | a full proxy URL | `https://10.0.0.1:6443/api/v1/nodes/n1/proxy/` | as in the URL |
//!
//! `SEGMENT` is `[scheme:]name[:port]`, split exactly like `SplitSchemeNamePort`
//! ([`crate::segment`]), quirks included. A namespace that is not given is
//! [`AddressOptions::namespace`]; host forms are matched case-insensitively (DNS is) and are
//! lowercased, every other part is taken exactly as typed and validated like the API server
//! validates names ([`crate::target`]). A first word that is a kind (`svc`, `pod`, `node`, …)
//! followed by `/` is always read as that kind, never as a service named `svc`.
//!
//! **A URL with a scheme and no port means the scheme's default port**: `http://web.demo.svc/`
//! is service port 80, `https://argocd-server.argocd.svc/` port 443 — that is where the URL
//! connects inside the cluster, and browsers drop a default port from every URL they show or
//! hand over (`http://web.demo.svc:80/` arrives as `http://web.demo.svc/`), so "no port" cannot
//! mean anything else there. Forms *without* a scheme (`web.demo.svc`, `svc/demo/web`, `web`)
//! keep an empty port, which the API server reads as the service's one unnamed port
//! (`../spec/apiserver-proxy.md` §2.2). The rewriter maps in-cluster URLs the same way
//! ([`crate::rewrite::rewrite_url`]).

use std::borrow::Cow;

use crate::proxy_url::{
    ProxyUrlError, is_read_as_written, parse_proxy_url_parts, proxy_url_from_parts, push_proxy_url,
    split_query_fragment,
};
use crate::segment::Scheme;
use crate::target::{Kind, Port, Target, TargetError, TargetRef};
use crate::url_split::{find_below, has_byte_without_0x20, split_url};

/// Every form [`resolve_address`] understands, for error messages.
pub const ADDRESS_FORMS: &str = "svc/NS/NAME[:PORT][/PATH], pod/NS/NAME[:PORT][/PATH], node/NAME[:PORT][/PATH], \
     NAME.NS[.svc[.CLUSTER-DOMAIN]][:PORT][/PATH] (optionally after http:// or https://), \
     [https:]NAME[:PORT][/PATH] [-n NS], or a proxy URL";

/// Defaults for what an address leaves out.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressOptions {
    /// The namespace of forms that name none (`default` by default).
    pub namespace: String,
    /// The cluster's DNS domain, for `NAME.NS.svc.CLUSTER-DOMAIN` (`cluster.local` by default).
    pub cluster_domain: String,
}

impl Default for AddressOptions {
    /// `default` and `cluster.local`, Kubernetes' defaults.
    ///
    /// ```
    /// let options = kubeopen::address::AddressOptions::default();
    /// assert_eq!((options.namespace.as_str(), options.cluster_domain.as_str()), ("default", "cluster.local"));
    /// ```
    fn default() -> AddressOptions {
        AddressOptions {
            namespace: "default".to_owned(),
            cluster_domain: "cluster.local".to_owned(),
        }
    }
}

/// A resolved address.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Address {
    /// What to proxy to.
    pub target: Target,
    /// Everything typed after the target, up to `?` or `#`, as typed: `""`, `"/"`, `"/d/x"`.
    pub path: String,
    /// The query after `?`, as typed.
    pub query: Option<String>,
    /// The fragment after `#`, as typed.
    pub fragment: Option<String>,
    /// The server base, when the input was a full proxy URL.
    pub server: Option<String>,
}

impl Address {
    /// The proxy URL of this address on `server`, with the encoding rules of [`mod@crate::proxy_url`].
    ///
    /// ```
    /// use kubeopen::address::{resolve_address, AddressOptions};
    /// let a = resolve_address("node/n1:9100/metrics", &AddressOptions::default())?;
    /// assert_eq!(a.proxy_url("http://localhost:8001")?, "http://localhost:8001/api/v1/nodes/n1:9100/proxy/metrics");
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    pub fn proxy_url(&self, server: &str) -> Result<String, ProxyUrlError> {
        let mut out = String::new();
        push_proxy_url(
            &mut out,
            server,
            &self.target,
            &self.path,
            self.query.as_deref(),
            self.fragment.as_deref(),
        )?;
        Ok(out)
    }
}

/// A resolved address borrowing from the input (or the options) where a part is their text as
/// written: what [`resolve_address_parts`] returns.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct AddressParts<'a> {
    /// As [`Address::target`].
    pub target: TargetRef<'a>,
    /// As [`Address::path`].
    pub path: Cow<'a, str>,
    /// As [`Address::query`].
    pub query: Option<Cow<'a, str>>,
    /// As [`Address::fragment`].
    pub fragment: Option<Cow<'a, str>>,
    /// As [`Address::server`].
    pub server: Option<Cow<'a, str>>,
}

impl AddressParts<'_> {
    /// The owned [`Address`], moving what is already owned.
    pub fn into_address(self) -> Address {
        Address {
            target: self.target.into_target(),
            path: self.path.into_owned(),
            query: self.query.map(Cow::into_owned),
            fragment: self.fragment.map(Cow::into_owned),
            server: self.server.map(Cow::into_owned),
        }
    }

    /// The owned [`Address`].
    pub fn to_address(&self) -> Address {
        Address {
            target: self.target.to_target(),
            path: self.path.clone().into_owned(),
            query: self.query.clone().map(Cow::into_owned),
            fragment: self.fragment.clone().map(Cow::into_owned),
            server: self.server.clone().map(Cow::into_owned),
        }
    }
}

/// Why an input is not an address.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum AddressError {
    /// Nothing but spaces and flags.
    #[error("nothing to open; expected {ADDRESS_FORMS}")]
    Empty,
    /// A form was recognised but a part of it is missing.
    #[error("{input:?} has no {missing}; expected {form}")]
    Incomplete {
        /// The input word.
        input: String,
        /// The form it was read as.
        form: &'static str,
        /// The part that is missing.
        missing: &'static str,
    },
    /// A part does not follow Kubernetes' rules.
    #[error("{input:?}, read as {form}: {source}")]
    Target {
        /// The input word.
        input: String,
        /// The form it was read as.
        form: &'static str,
        /// Which part broke which rule, and where.
        source: TargetError,
    },
    /// A URL that is neither a proxy URL nor an in-cluster service URL.
    #[error("{input:?} is not a proxy URL or an in-cluster service URL: {reason} (at byte {at})")]
    Url {
        /// The input word.
        input: String,
        /// What is wrong.
        reason: &'static str,
        /// Byte offset in the input word.
        at: usize,
    },
    /// A host that is not `NAME.NS`, `NAME.NS.svc` or `NAME.NS.svc.CLUSTER-DOMAIN`.
    #[error("the host {host:?} is not NAME.NS, NAME.NS.svc or NAME.NS.svc.{cluster_domain}")]
    Host {
        /// The host as typed.
        host: String,
        /// The configured cluster domain.
        cluster_domain: String,
    },
    /// `-n`/`--namespace` without a value.
    #[error("{flag} needs a namespace after it")]
    FlagWithoutValue {
        /// The flag as typed.
        flag: String,
    },
    /// A flag other than `-n`/`--namespace`.
    #[error("unknown flag {flag:?} at byte {at}; only -n NS and --namespace NS are understood")]
    UnknownFlag {
        /// The flag as typed.
        flag: String,
        /// Byte offset in the input.
        at: usize,
    },
    /// More than one address.
    #[error("{word:?} at byte {at} is one word too many; expected a single address (and optionally -n NS)")]
    ExtraWord {
        /// The extra word.
        word: String,
        /// Byte offset in the input.
        at: usize,
    },
    /// The namespace was given both in the address and with `-n`, differently — or with `-n` for
    /// a node, which has none.
    #[error("-n {flag:?} contradicts the address {input:?}")]
    NamespaceConflict {
        /// The input word.
        input: String,
        /// The namespace given with `-n`.
        flag: String,
    },
}

/// Resolves what a person typed (see the module docs for every form).
///
/// ```
/// use kubeopen::address::{resolve_address, AddressOptions};
/// use kubeopen::segment::Scheme;
///
/// let options = AddressOptions::default();
/// let a = resolve_address("http://grafana.monitoring.svc.cluster.local:3000/d/x?orgId=1", &options)?;
/// assert_eq!(a.target.segment(), "http:grafana:3000");
/// assert_eq!((a.target.namespace(), a.path.as_str(), a.query.as_deref()), (Some("monitoring"), "/d/x", Some("orgId=1")));
///
/// let a = resolve_address("https:kubernetes-dashboard: -n kubernetes-dashboard", &options)?;
/// assert_eq!(a.target.scheme(), Some(Scheme::Https));
///
/// let err = resolve_address("svc/monitoring", &options).unwrap_err();
/// assert_eq!(err.to_string(), "\"svc/monitoring\" has no name; expected svc/NS/NAME[:PORT][/PATH]");
/// # Ok::<(), kubeopen::address::AddressError>(())
/// ```
pub fn resolve_address(input: &str, options: &AddressOptions) -> Result<Address, AddressError> {
    resolve_address_parts(input, options).map(AddressParts::into_address)
}

/// [`resolve_address`] without copying what it can borrow from `input` and `options`.
///
/// ```
/// use std::borrow::Cow;
/// use kubeopen::address::{resolve_address, resolve_address_parts, AddressOptions};
///
/// let options = AddressOptions::default();
/// let a = resolve_address_parts("svc/monitoring/grafana:3000/d/x", &options)?;
/// assert!(matches!(a.path, Cow::Borrowed("/d/x")));
/// assert_eq!(a.to_address(), resolve_address("svc/monitoring/grafana:3000/d/x", &options)?);
/// # Ok::<(), kubeopen::address::AddressError>(())
/// ```
pub fn resolve_address_parts<'a>(
    input: &'a str,
    options: &'a AddressOptions,
) -> Result<AddressParts<'a>, AddressError> {
    let (word, flag_namespace) = split_words(input)?;
    let address = resolve_word(word, flag_namespace, options)?;
    // A namespace from -n must agree with one the address names itself (a bare segment takes
    // it, so it agrees; a node has none, so it never does).
    if let Some(flag) = flag_namespace
        && address.target.namespace() != Some(flag)
    {
        return Err(AddressError::NamespaceConflict {
            input: word.to_owned(),
            flag: flag.to_owned(),
        });
    }
    Ok(address)
}

/// The one address word and the `-n` namespace, if any.
fn split_words(input: &str) -> Result<(&str, Option<&str>), AddressError> {
    let mut words = words_with_offsets(input);
    let (mut address, mut namespace) = (None, None);
    while let Some((at, word)) = words.next() {
        let value = if word == "-n" || word == "--namespace" {
            words.next().map_or("", |(_, value)| value)
        } else if let Some(value) = word.strip_prefix("--namespace=") {
            value
        } else if let Some(value) = word.strip_prefix("-n") {
            // pflag's shorthand forms: -nNS and -n=NS.
            value.strip_prefix('=').unwrap_or(value)
        } else if word.starts_with('-') {
            return Err(AddressError::UnknownFlag {
                flag: word.to_owned(),
                at,
            });
        } else if address.is_some() {
            return Err(AddressError::ExtraWord {
                word: word.to_owned(),
                at,
            });
        } else {
            address = Some(word);
            continue;
        };
        if value.is_empty() {
            return Err(AddressError::FlagWithoutValue {
                flag: word.to_owned(),
            });
        }
        namespace = Some(value);
    }
    address.map(|a| (a, namespace)).ok_or(AddressError::Empty)
}

/// The non-empty words of `input` between ASCII whitespace, with their byte offsets. ASCII
/// whitespace never occurs inside a multi-byte character, so bytes will do.
fn words_with_offsets(input: &str) -> impl Iterator<Item = (usize, &str)> {
    let bytes = input.as_bytes();
    let mut at = 0;
    std::iter::from_fn(move || {
        let start = at + bytes.get(at..)?.iter().position(|b| !b.is_ascii_whitespace())?;
        // ASCII whitespace is all below '!': skip to such bytes a word at a time.
        let mut end = start;
        while let Some(rest) = bytes.get(end..) {
            end += find_below(rest, b' ' + 1);
            match bytes.get(end) {
                Some(b) if !b.is_ascii_whitespace() => end += 1,
                _ => break,
            }
        }
        at = end;
        Some((start, input.get(start..end)?))
    })
}

fn has_url_scheme(word: &str) -> bool {
    let starts_with = |prefix: &str| {
        word.as_bytes()
            .get(..prefix.len())
            .is_some_and(|head| head.eq_ignore_ascii_case(prefix.as_bytes()))
    };
    starts_with("http://") || starts_with("https://")
}

fn kind_keyword(word: &str) -> Option<Kind> {
    match word {
        "svc" | "service" | "services" => Some(Kind::Service),
        "pod" | "pods" | "po" => Some(Kind::Pod),
        "node" | "nodes" | "no" => Some(Kind::Node),
        _ => None,
    }
}

/// Where the first `/`, `?` or `#` is, or the length.
fn path_start(text: &str) -> usize {
    text.bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(text.len())
}

const SERVICE_FORM: &str = "svc/NS/NAME[:PORT][/PATH]";
const POD_FORM: &str = "pod/NS/NAME[:PORT][/PATH]";
const NODE_FORM: &str = "node/NAME[:PORT][/PATH]";
const HOST_FORM: &str = "NAME.NS[.svc[.CLUSTER-DOMAIN]][:PORT][/PATH]";
const SEGMENT_FORM: &str = "[https:]NAME[:PORT][/PATH] -n NS";

fn resolve_word<'a>(
    word: &'a str,
    flag_namespace: Option<&'a str>,
    options: &'a AddressOptions,
) -> Result<AddressParts<'a>, AddressError> {
    if has_url_scheme(word) {
        return resolve_url(word, options);
    }
    let head_end = path_start(word);
    let (head, rest) = word.split_at(head_end);
    if let (Some(kind), Some(after_kind)) = (kind_keyword(head), rest.strip_prefix('/')) {
        return resolve_kind_form(word, kind, after_kind);
    }
    if head.contains('.') {
        let (host, port) = match head.split_once(':') {
            Some((host, port)) => (host, Some(port)),
            None => (head, None),
        };
        return resolve_host_form(word, host, None, port, rest, options);
    }
    let namespace = flag_namespace.unwrap_or(&options.namespace);
    let target =
        TargetRef::from_segment(Kind::Service, Some(Cow::Borrowed(namespace)), head).map_err(|source| {
            AddressError::Target {
                input: word.to_owned(),
                form: SEGMENT_FORM,
                source,
            }
        })?;
    Ok(with_rest(target, rest))
}

/// `svc/NS/SEGMENT…`, `pod/NS/SEGMENT…`, `node/SEGMENT…`.
fn resolve_kind_form<'a>(
    word: &'a str,
    kind: Kind,
    after_kind: &'a str,
) -> Result<AddressParts<'a>, AddressError> {
    let form = match kind {
        Kind::Service => SERVICE_FORM,
        Kind::Pod => POD_FORM,
        Kind::Node => NODE_FORM,
    };
    let incomplete = |missing| AddressError::Incomplete {
        input: word.to_owned(),
        form,
        missing,
    };
    let (namespace, after_namespace) = if kind.is_namespaced() {
        match after_kind.split_once('/') {
            Some((ns, rest)) if !ns.is_empty() => (Some(ns), rest),
            _ if after_kind.is_empty() => return Err(incomplete("namespace")),
            _ => return Err(incomplete("name")),
        }
    } else {
        (None, after_kind)
    };
    let segment_end = path_start(after_namespace);
    let (segment, rest) = after_namespace.split_at(segment_end);
    if segment.is_empty() {
        return Err(incomplete("name"));
    }
    let target = TargetRef::from_segment(kind, namespace.map(Cow::Borrowed), segment).map_err(|source| {
        AddressError::Target {
            input: word.to_owned(),
            form,
            source,
        }
    })?;
    Ok(with_rest(target, rest))
}

/// `http(s)://…`: a proxy URL, or an in-cluster service URL.
fn resolve_url<'a>(word: &'a str, options: &'a AddressOptions) -> Result<AddressParts<'a>, AddressError> {
    let split = split_url(word);
    // Split once when the proxy-URL reading sees the same string.
    let proxy = match split {
        Ok(parts) if is_read_as_written(word) => proxy_url_from_parts(word, parts),
        _ => parse_proxy_url_parts(word),
    };
    if let Some(url) = proxy {
        return Ok(AddressParts {
            target: url.target,
            path: url.path,
            query: url.query,
            fragment: url.fragment,
            server: Some(url.server),
        });
    }
    let parts = split.map_err(|p| AddressError::Url {
        input: word.to_owned(),
        reason: p.reason,
        at: p.at,
    })?;
    let scheme = if parts.https { Scheme::Https } else { Scheme::Http };
    let rest = &word[parts.origin.len()..];
    resolve_host_form(word, parts.host, Some(scheme), parts.port, rest, options)
}

/// `NAME.NS[.svc[.CLUSTER-DOMAIN]]` with an optional port; `rest` is what follows the port.
fn resolve_host_form<'a>(
    word: &'a str,
    host: &'a str,
    scheme: Option<Scheme>,
    port: Option<&'a str>,
    rest: &'a str,
    options: &AddressOptions,
) -> Result<AddressParts<'a>, AddressError> {
    let wrong_host = || AddressError::Host {
        host: host.to_owned(),
        cluster_domain: options.cluster_domain.clone(),
    };
    // Uppercase letters (like '_' and controls) have bit 0x20 clear; most hosts have none.
    let lower = if has_byte_without_0x20(host.as_bytes()) && host.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(host.to_ascii_lowercase())
    } else {
        Cow::Borrowed(host)
    };
    // A fully qualified name may end with the root's '.'.
    let fqdn = lower.strip_suffix('.').unwrap_or(&lower);
    // `NAME.NS[.SUFFIX]`, cut at the first two '.'s (ASCII, so on char boundaries).
    let Some(dot) = fqdn.bytes().position(|b| b == b'.') else {
        return Err(wrong_host());
    };
    let name = fqdn.get(..dot).unwrap_or_default();
    let after_name = fqdn.get(dot + 1..).unwrap_or_default();
    let (namespace, suffix) = match after_name.bytes().position(|b| b == b'.') {
        Some(dot) => (
            after_name.get(..dot).unwrap_or_default(),
            after_name.get(dot + 1..),
        ),
        None => (after_name, None),
    };
    match suffix {
        None | Some("svc") => {}
        Some(suffix) => {
            let domain = suffix.strip_prefix("svc.").ok_or_else(wrong_host)?;
            if !domain.eq_ignore_ascii_case(options.cluster_domain.trim_end_matches('.')) {
                return Err(wrong_host());
            }
        }
    }
    let target_error = |source| AddressError::Target {
        input: word.to_owned(),
        form: HOST_FORM,
        source,
    };
    // A URL without a port connects to its scheme's default port (see the module docs).
    let port = match (port, scheme) {
        (Some(port), _) => Some(Port::parse(port)),
        (None, Some(Scheme::Http)) => Some(Port::number(80)),
        (None, Some(Scheme::Https)) => Some(Port::number(443)),
        (None, None) => None,
    }
    .transpose()
    .map_err(target_error)?;
    // Borrowed: `fqdn` is a prefix of `host`, with the name at `..dot` and the namespace after it.
    let namespace_at = dot + 1..dot + 1 + namespace.len();
    let target = match (&lower, host.get(namespace_at), host.get(..dot)) {
        (Cow::Borrowed(_), Some(namespace), Some(name)) => {
            TargetRef::new(Kind::Service, Some(Cow::Borrowed(namespace)), Cow::Borrowed(name))
        }
        _ => Target::service(namespace, name).map(TargetRef::from),
    }
    .map_err(target_error)?
    .with_scheme(scheme)
    .with_port(port);
    Ok(with_rest(target, rest))
}

/// The address of `target` with `rest` (`[/path][?query][#fragment]`) split up.
fn with_rest<'a>(target: TargetRef<'a>, rest: &'a str) -> AddressParts<'a> {
    let (path, query, fragment) = split_query_fragment(rest);
    AddressParts {
        target,
        path: Cow::Borrowed(path),
        query: query.map(Cow::Borrowed),
        fragment: fragment.map(Cow::Borrowed),
        server: None,
    }
}

#[cfg(test)]
mod tests;
