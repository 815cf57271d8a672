//! Suggestions while a person types an address: which of a cluster's openable service ports
//! ([`crate::discovery::openable_endpoints`]) they probably mean, best first, each with the proxy
//! URL to open — **with what they typed after the address** (path, query, fragment) — and a short
//! description.
//!
//! ## What is understood
//!
//! The service forms of [`crate::address`] (`svc/NS/NAME[:PORT]`,
//! `NAME.NS[.svc[.CLUSTER-DOMAIN]][:PORT]`, the same after `http://` or `https://`,
//! `[SCHEME:]NAME[:PORT]`, `-n NS`), each followed by `/PATH?QUERY#FRAGMENT`, and also the
//! unfinished words of someone still typing: `graf`, `grafana.mon`, `svc/monit`, `web:ht`, and
//! several bare words (`monit graf`) that must each match something. Pod and node addresses have
//! no suggestions (the endpoints are services), and neither has a full proxy URL: it already
//! says exactly what to open (what was typed is always one of the choices of an address bar).
//!
//! ## Ranking
//!
//! An endpoint is suggested only if every part typed matches it; its score adds up:
//!
//! | part typed | matches | score |
//! | --- | --- | --- |
//! | name (`grafana` in `grafana.mon`, `svc/ns/grafana`) | exact / prefix / after a `-` / anywhere | 400 / 300 / 200 / 100 |
//! | bare word (`graf`, `monit graf`) | the best of: as a name (above), as a namespace (below), as a port name exact / prefix | —, —, 15 / 5 |
//! | namespace (`mon` in `grafana.mon`, `-n mon`) | exact / prefix / after a `-` / anywhere | 40 / 30 / 20 / 10 |
//! | port (`:3000`, `:http`) | the number or name exactly / as a prefix (still typing) | 50 / 10 |
//! | scheme (`https:`, `https://`) | the endpoint's scheme (a mismatch is kept, not excluded) | 5 |
//! | a URL without a port (`http://web.demo.svc/`) | the scheme's default port (80, 443) — preferred, not required | 20 |
//! | no namespace typed | the endpoint is in [`SuggestOptions::namespace`] | 8 |
//!
//! So an exact name beats a prefix beats a substring whatever the namespace, and the namespace,
//! port and default namespace order endpoints of equally good names. Ties go to the shorter name,
//! then to the order of the list. Matching ignores ASCII case.
//!
//! ## Bounded work
//!
//! Input longer than [`MAX_INPUT`] bytes or with more than [`MAX_WORDS`] words gets no
//! suggestion; the work is one pass over the endpoints comparing at most [`MAX_WORDS`] short
//! terms each, plus building at most [`MAX_SUGGESTIONS`] URLs.
//!
//! ```
//! use kubeopen::suggest::{suggest_endpoints, SuggestEndpoint, SuggestOptions};
//!
//! let endpoints = [
//!     SuggestEndpoint::new("monitoring", "grafana", 3000, Some("service"), "http", "https://k/api/v1/namespaces/monitoring/services/grafana:3000/proxy/"),
//!     SuggestEndpoint::new("monitoring", "prometheus", 9090, Some("web"), "http", "https://k/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/"),
//! ];
//! let found = suggest_endpoints("grafana.monitoring:3000/d/abc?orgId=1", &endpoints, &SuggestOptions::default());
//! assert_eq!(found.len(), 1);
//! assert_eq!(found[0].url, "https://k/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/abc?orgId=1");
//! assert_eq!(found[0].description, "grafana.monitoring port 3000 (service) — /d/abc?orgId=1");
//!
//! let found = suggest_endpoints("monit prom", &endpoints, &SuggestOptions::default());
//! assert_eq!(found[0].index, 1);
//! ```

use std::borrow::Cow;

use crate::address::Address;
use crate::json_read::{self, FromJson, Object};
use crate::proxy_url::{proxy_path, split_query_fragment};
use crate::segment::Scheme;
use crate::target::{Kind, Port, Target};

/// Inputs longer than this many bytes get no suggestion (nobody types them; bounds the work).
pub const MAX_INPUT: usize = 1024;
/// Inputs with more words than this get no suggestion.
pub const MAX_WORDS: usize = 8;
/// The most suggestions returned, whatever [`SuggestOptions::limit`] asks for.
pub const MAX_SUGGESTIONS: usize = 50;
/// [`SuggestOptions::limit`] by default.
pub const DEFAULT_LIMIT: usize = 8;
/// The most bytes of the typed path shown in a description (the URL always has all of it).
const MAX_SHOWN_PATH: usize = 120;

/// One openable service port to suggest: the fields of
/// [`OpenableEndpoint`](crate::discovery::OpenableEndpoint) that suggestions read (its JSON,
/// with any other fields, deserialises into this).
///
/// ```
/// use kubeopen::suggest::SuggestEndpoint;
/// let e: SuggestEndpoint = serde_json::from_str(r#"{"namespace":"a","name":"web","port":80,"portName":null,
///   "scheme":"http","url":"https://k/api/v1/namespaces/a/services/web:80/proxy/"}"#)?;
/// assert_eq!(e, SuggestEndpoint::new("a", "web", 80, None, "http", "https://k/api/v1/namespaces/a/services/web:80/proxy/"));
/// # Ok::<(), serde_json::Error>(())
/// ```
///
/// Read like the API types ([`crate::discovery`]): absent or `null` fields are empty, other fields
/// are ignored, a port that is not a whole number from 0 to 65535 is an error.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct SuggestEndpoint {
    /// The service's namespace.
    pub namespace: String,
    /// The service's name.
    pub name: String,
    /// The service port number.
    pub port: u16,
    /// The port's name, when it has one.
    pub port_name: Option<String>,
    /// `https` when the API server speaks HTTPS to it (the target's `https:`), else `http`.
    pub scheme: String,
    /// The endpoint's proxy URL, ending in `/proxy/`: what comes before the target's proxy path
    /// (`/api/v1/namespaces/NS/services/[https:]NAME:PORT/proxy/`) is the server suggestions
    /// open it on. An endpoint whose URL does not end with that path is never suggested.
    pub url: String,
}

impl SuggestEndpoint {
    /// An endpoint from its parts.
    ///
    /// ```
    /// let e = kubeopen::suggest::SuggestEndpoint::new("a", "web", 80, Some("http"), "http", "https://k/api/v1/namespaces/a/services/web:80/proxy/");
    /// assert_eq!(e.port_name.as_deref(), Some("http"));
    /// ```
    pub fn new(
        namespace: &str,
        name: &str,
        port: u16,
        port_name: Option<&str>,
        scheme: &str,
        url: &str,
    ) -> SuggestEndpoint {
        SuggestEndpoint {
            namespace: namespace.to_owned(),
            name: name.to_owned(),
            port,
            port_name: port_name.map(str::to_owned),
            scheme: scheme.to_owned(),
            url: url.to_owned(),
        }
    }

    fn https(&self) -> bool {
        self.scheme.eq_ignore_ascii_case("https")
    }

    /// The server and target this endpoint opens: `None` when [`SuggestEndpoint::url`] is not
    /// a server followed by the proxy path of its namespace, name, scheme and port.
    fn server_and_target(&self) -> Option<(&str, Target)> {
        let target = Target::service(&self.namespace, &self.name)
            .ok()?
            .with_scheme(self.https().then_some(Scheme::Https))
            .with_port(Some(Port::number(self.port).ok()?));
        let server = self.url.strip_suffix(proxy_path(&target).as_str())?;
        Some((server, target))
    }
}

// By hand rather than derived: serde's derive costs the cluster wasm module ~20 KB (float
// formatting for its error messages); see `crate::json_read`.
impl FromJson for SuggestEndpoint {
    fn read(o: &Object) -> json_read::Result<Self> {
        let port = json_read::integer(o, "port")?;
        let port = u16::try_from(port).map_err(|_| {
            json_read::wrong("a port number (0 to 65535)", &serde_json::Value::from(port))
                .within("port".to_owned())
        })?;
        Ok(SuggestEndpoint {
            namespace: json_read::string(o, "namespace")?,
            name: json_read::string(o, "name")?,
            port,
            port_name: json_read::optional_string(o, "portName")?,
            scheme: json_read::string(o, "scheme")?,
            url: json_read::string(o, "url")?,
        })
    }
}

json_read::deserialize_via_read!(SuggestEndpoint);

impl From<&crate::discovery::OpenableEndpoint> for SuggestEndpoint {
    /// ```
    /// use kubeopen::discovery::{openable_endpoints, ServiceList};
    /// use kubeopen::suggest::SuggestEndpoint;
    /// let list: ServiceList = serde_json::from_str(r#"{"items":[{"metadata":{"name":"web","namespace":"a"},"spec":{"ports":[{"name":"http","port":80}]}}]}"#)?;
    /// let e = SuggestEndpoint::from(&openable_endpoints(&list, "https://k")?[0]);
    /// assert_eq!((e.name.as_str(), e.port, e.port_name.as_deref()), ("web", 80, Some("http")));
    /// # Ok::<(), Box<dyn std::error::Error>>(())
    /// ```
    fn from(e: &crate::discovery::OpenableEndpoint) -> SuggestEndpoint {
        SuggestEndpoint {
            namespace: e.namespace.clone(),
            name: e.name.clone(),
            port: e.port,
            port_name: e.port_name.clone(),
            scheme: e.scheme.to_owned(),
            url: e.url.clone(),
        }
    }
}

/// How descriptions are written.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum Markup {
    /// Plain text (Firefox's omnibox, a web page's list).
    #[default]
    Text,
    /// Chrome's omnibox XML: `&`, `<`, `>`, `"`, `'` escaped, the matched parts of the name and
    /// namespace in `<match>`, the scheme in `<dim>` and the typed path in `<url>`.
    OmniboxXml,
}

/// Defaults and limits for [`suggest_endpoints`].
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SuggestOptions {
    /// The person's default namespace: preferred when they type none (`default` by default).
    pub namespace: String,
    /// The cluster's DNS domain, for `NAME.NS.svc.CLUSTER-DOMAIN` (`cluster.local` by default).
    pub cluster_domain: String,
    /// How many suggestions at most ([`DEFAULT_LIMIT`]; never more than [`MAX_SUGGESTIONS`]).
    pub limit: usize,
    /// How descriptions are written.
    pub markup: Markup,
}

impl Default for SuggestOptions {
    /// `default`, `cluster.local`, [`DEFAULT_LIMIT`] suggestions, plain text.
    ///
    /// ```
    /// let o = kubeopen::suggest::SuggestOptions::default();
    /// assert_eq!((o.namespace.as_str(), o.cluster_domain.as_str(), o.limit), ("default", "cluster.local", 8));
    /// ```
    fn default() -> SuggestOptions {
        SuggestOptions {
            namespace: "default".to_owned(),
            cluster_domain: "cluster.local".to_owned(),
            limit: DEFAULT_LIMIT,
            markup: Markup::Text,
        }
    }
}

/// One suggestion.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "camelCase")]
pub struct Suggestion {
    /// Which endpoint (its index in the list given).
    pub index: usize,
    /// The proxy URL to open: the endpoint's target with the typed path, query and fragment,
    /// confined to its prefix like every URL [`crate::proxy_url()`] builds.
    pub url: String,
    /// `NAME.NS port PORT (PORT-NAME)[ · https][ — PATH]`, in [`SuggestOptions::markup`].
    pub description: String,
    /// The ranking score (see the module docs): higher is better.
    pub score: u32,
}

/// The endpoints `input` probably means, best first (see the module docs for the forms, the
/// ranking and the bounds). Never fails: input that matches nothing, or cannot be an address
/// of a service, gives an empty list.
///
/// ```
/// use kubeopen::suggest::{suggest_endpoints, Markup, SuggestEndpoint, SuggestOptions};
///
/// let url = |ns: &str, seg: &str| format!("http://localhost:8001/api/v1/namespaces/{ns}/services/{seg}/proxy/");
/// let endpoints = [
///     SuggestEndpoint::new("demo", "web-multi", 80, Some("http"), "http", &url("demo", "web-multi:80")),
///     SuggestEndpoint::new("demo", "web", 80, Some("http"), "http", &url("demo", "web:80")),
///     SuggestEndpoint::new("other", "web", 80, Some("http"), "http", &url("other", "web:80")),
/// ];
/// let options = SuggestOptions { namespace: "demo".into(), ..SuggestOptions::default() };
/// let names: Vec<usize> = suggest_endpoints("web", &endpoints, &options).iter().map(|s| s.index).collect();
/// assert_eq!(names, [1, 2, 0]); // exact names first, the default namespace first among them
///
/// let s = &suggest_endpoints("svc/demo/web:http/x?a=1&b=<", &endpoints, &options)[0];
/// assert_eq!(s.url, "http://localhost:8001/api/v1/namespaces/demo/services/web:80/proxy/x?a=1&b=%3C");
///
/// let xml = SuggestOptions { markup: Markup::OmniboxXml, ..options };
/// let s = &suggest_endpoints("we/x?a=1&b=<", &endpoints, &xml)[0];
/// assert_eq!(s.description, "<match>we</match>b.demo port 80 (http) — <url>/x?a=1&amp;b=&lt;</url>");
/// ```
pub fn suggest_endpoints(
    input: &str,
    endpoints: &[SuggestEndpoint],
    options: &SuggestOptions,
) -> Vec<Suggestion> {
    let Some(query) = read_query(input, options) else {
        return Vec::new();
    };
    let mut scored: Vec<(u32, usize, Highlights)> = endpoints
        .iter()
        .enumerate()
        .filter_map(|(i, e)| score(&query, e, options).map(|(s, h)| (s, i, h)))
        .collect();
    // The index breaks every tie: an unstable sort gives the one order (and is smaller in wasm).
    scored.sort_unstable_by(|a, b| {
        let name_len = |i: usize| endpoints.get(i).map_or(0, |e| e.name.len());
        b.0.cmp(&a.0)
            .then(name_len(a.1).cmp(&name_len(b.1)))
            .then(a.1.cmp(&b.1))
    });
    let limit = options.limit.min(MAX_SUGGESTIONS);
    scored
        .into_iter()
        .filter_map(|(score, index, highlights)| {
            let endpoint = endpoints.get(index)?;
            let url = suggestion_url(endpoint, &query)?;
            let description = describe(endpoint, &query, &highlights, options.markup);
            Some(Suggestion {
                index,
                url,
                description,
                score,
            })
        })
        .take(limit)
        .collect()
}

/// What was typed, taken apart. Terms are lowercase.
#[derive(Debug, Default)]
struct Query<'a> {
    /// A name term from a structured form (`svc/NS/NAME`, `NAME.NS`, a proxy URL).
    name: Option<String>,
    /// A namespace term (structured form or `-n`).
    namespace: Option<String>,
    /// Bare words: each must match the name, the namespace or the port name.
    free: Vec<String>,
    /// The port typed (a number or a name), not empty.
    port: Option<String>,
    scheme: Option<Scheme>,
    /// A URL form without a port: the port it means (preferred, not required while typing).
    default_port: Option<u16>,
    /// What follows the address: `[/path][?query][#fragment]`, as typed.
    rest: &'a str,
}

fn lower(s: &str) -> String {
    s.to_ascii_lowercase()
}

/// Reads `input` into a [`Query`]; `None` when it cannot mean a service (or is too big).
fn read_query<'a>(input: &'a str, options: &SuggestOptions) -> Option<Query<'a>> {
    if input.len() > MAX_INPUT {
        return None;
    }
    let mut words = input.split_ascii_whitespace();
    let mut query = Query::default();
    let mut address = None;
    let mut count = 0;
    while let Some(word) = words.next() {
        count += 1;
        if count > MAX_WORDS {
            return None;
        }
        let flag_value = if word == "-n" || word == "--namespace" {
            Some(words.next().unwrap_or(""))
        } else if let Some(v) = word.strip_prefix("--namespace=") {
            Some(v)
        } else if let Some(v) = word.strip_prefix("--") {
            // `--`, `--nam`: a flag still being typed.
            if "namespace".starts_with(v) {
                continue;
            }
            return None;
        } else if let Some(v) = word.strip_prefix("-n") {
            Some(v.strip_prefix('=').unwrap_or(v))
        } else if word == "-" {
            continue;
        } else if word.starts_with('-') {
            return None;
        } else {
            None
        };
        if let Some(value) = flag_value {
            if !value.is_empty() {
                query.namespace = Some(lower(value));
            }
            continue;
        }
        if address.is_none() {
            address = Some(word);
        } else {
            query.free.push(lower(word));
        }
    }
    if let Some(word) = address {
        read_address(word, &mut query, options)?;
    }
    Some(query)
}

fn has_url_scheme(word: &str) -> Option<Scheme> {
    let starts = |p: &str| word.get(..p.len()).is_some_and(|h| h.eq_ignore_ascii_case(p));
    if starts("https://") {
        Some(Scheme::Https)
    } else if starts("http://") {
        Some(Scheme::Http)
    } else {
        None
    }
}

/// Where the first `/`, `?` or `#` is, or the length.
fn path_start(text: &str) -> usize {
    text.bytes()
        .position(|b| matches!(b, b'/' | b'?' | b'#'))
        .unwrap_or(text.len())
}

/// Reads the address word into `query`; `None` for addresses of pods, nodes or out of the cluster.
fn read_address<'a>(word: &'a str, query: &mut Query<'a>, options: &SuggestOptions) -> Option<()> {
    if let Some(scheme) = has_url_scheme(word) {
        let after = word.get(word.find("://")? + 3..)?;
        let (authority, rest) = after.split_at(path_start(after));
        let (host, port) = split_port(authority);
        query.scheme = Some(scheme);
        if port.is_none() {
            query.default_port = Some(if scheme == Scheme::Https { 443 } else { 80 });
        }
        query.rest = rest;
        return read_host(host, port, query, options);
    }
    let (head, rest) = word.split_at(path_start(word));
    query.rest = rest;
    let kind = match head {
        "svc" | "service" | "services" => Some(Kind::Service),
        "pod" | "pods" | "po" | "node" | "nodes" | "no" => Some(Kind::Pod),
        _ => None,
    };
    if let (Some(kind), Some(after_kind)) = (kind, rest.strip_prefix('/')) {
        if kind != Kind::Service {
            return None;
        }
        // `svc/NS`, `svc/NS/`, `svc/NS/SEGMENT[rest]`.
        let Some((namespace, after_namespace)) = after_kind.split_once('/') else {
            query.namespace = Some(lower(after_kind)).filter(|n| !n.is_empty());
            query.rest = "";
            return Some(());
        };
        query.namespace = Some(lower(namespace)).filter(|n| !n.is_empty());
        let (segment, rest) = after_namespace.split_at(path_start(after_namespace));
        query.rest = rest;
        let (scheme, name, port) = split_segment(segment)?;
        query.scheme = scheme;
        query.name = Some(lower(name)).filter(|n| !n.is_empty());
        query.port = port.map(str::to_owned);
        return Some(());
    }
    if head.contains('.') {
        let (host, port) = split_port(head);
        return read_host(host, port, query, options);
    }
    let (scheme, name, port) = split_segment(head)?;
    query.scheme = scheme;
    query.port = port.map(str::to_owned);
    if !name.is_empty() {
        // A bare name may be a namespace being typed (`monit graf`): matched like any bare word.
        query.free.insert(0, lower(name));
    }
    Some(())
}

/// `HOST[:PORT]`; an empty port is none.
fn split_port(authority: &str) -> (&str, Option<&str>) {
    match authority.split_once(':') {
        Some((host, port)) => (host, Some(port).filter(|p| !p.is_empty())),
        None => (authority, None),
    }
}

/// `[SCHEME:]NAME[:PORT]` as the API server splits it (two parts are `NAME:PORT`), allowing an
/// empty name (`:3000` alone) and an unfinished port; `None` for more than three parts or an
/// unknown scheme.
fn split_segment(segment: &str) -> Option<(Option<Scheme>, &str, Option<&str>)> {
    fn port(p: &str) -> Option<&str> {
        Some(p).filter(|p| !p.is_empty())
    }
    let mut parts = segment.splitn(4, ':');
    let (a, b, c, d) = (parts.next(), parts.next(), parts.next(), parts.next());
    match (a, b, c, d) {
        (Some(name), None, None, None) => Some((None, name, None)),
        (Some(name), Some(p), None, None) => Some((None, name, port(p))),
        (Some(scheme), Some(name), Some(p), None) => {
            Some((Scheme::from_segment_str(scheme).ok()?, name, port(p)))
        }
        _ => None,
    }
}

/// `NAME.NS[.svc[.CLUSTER-DOMAIN]]`, any part of it still being typed.
fn read_host(host: &str, port: Option<&str>, query: &mut Query<'_>, options: &SuggestOptions) -> Option<()> {
    let host = lower(host);
    let host = host.strip_suffix('.').unwrap_or(&host);
    let mut labels = host.splitn(3, '.');
    let name = labels.next().unwrap_or_default();
    let namespace = labels.next();
    if let Some(suffix) = labels.next() {
        // What follows `NAME.NS.` must be the start of `svc.CLUSTER-DOMAIN`.
        let full = format!("svc.{}", lower(options.cluster_domain.trim_end_matches('.')));
        if !full.starts_with(suffix) {
            return None;
        }
    }
    query.name = Some(name.to_owned()).filter(|n| !n.is_empty());
    query.namespace = namespace.map(str::to_owned).filter(|n| !n.is_empty());
    query.port = port.map(str::to_owned);
    Some(())
}

/// How well a term matches a text.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Strength {
    Substring,
    WordPrefix,
    Prefix,
    Exact,
}

/// Where `term` is in `text` (both lowercase) and how good that is.
fn find_term(term: &str, text: &str) -> Option<(Strength, usize)> {
    if text == term {
        return Some((Strength::Exact, 0));
    }
    if text.starts_with(term) {
        return Some((Strength::Prefix, 0));
    }
    let first = text.find(term)?;
    let after_dash = text
        .match_indices(term)
        .map(|(at, _)| at)
        .find(|&at| at > 0 && text.as_bytes().get(at - 1) == Some(&b'-'));
    Some(match after_dash {
        Some(at) => (Strength::WordPrefix, at),
        None => (Strength::Substring, first),
    })
}

fn name_score(s: Strength) -> u32 {
    match s {
        Strength::Exact => 400,
        Strength::Prefix => 300,
        Strength::WordPrefix => 200,
        Strength::Substring => 100,
    }
}

fn namespace_score(s: Strength) -> u32 {
    name_score(s) / 10
}

/// Matched byte ranges of the name and the namespace, for `<match>`.
#[derive(Debug, Default)]
struct Highlights {
    name: Vec<(usize, usize)>,
    namespace: Vec<(usize, usize)>,
}

/// The endpoint's score, or `None` when a typed part does not match it.
fn score(query: &Query<'_>, e: &SuggestEndpoint, options: &SuggestOptions) -> Option<(u32, Highlights)> {
    let name = ascii_lowercase(&e.name);
    let namespace = ascii_lowercase(&e.namespace);
    let port_name = e.port_name.as_deref().map(ascii_lowercase);
    let mut total = 0;
    let mut lights = Highlights::default();
    if let Some(term) = &query.name {
        let (s, at) = find_term(term, &name)?;
        total += name_score(s);
        lights.name.push((at, term.len()));
    }
    if let Some(term) = &query.namespace {
        let (s, at) = find_term(term, &namespace)?;
        total += namespace_score(s);
        lights.namespace.push((at, term.len()));
    } else if e.namespace == options.namespace {
        total += 8;
    }
    for term in &query.free {
        let as_name = find_term(term, &name).map(|(s, at)| (name_score(s), at));
        let as_namespace = find_term(term, &namespace).map(|(s, at)| (namespace_score(s), at));
        let as_port = port_name.as_deref().and_then(|p| match find_term(term, p) {
            Some((Strength::Exact, _)) => Some(15),
            Some((Strength::Prefix, _)) => Some(5),
            _ => None,
        });
        let best = [as_name.map(|x| x.0), as_namespace.map(|x| x.0), as_port]
            .into_iter()
            .flatten()
            .max()?;
        total += best;
        match (as_name, as_namespace) {
            (Some((s, at)), _) if s == best => lights.name.push((at, term.len())),
            (_, Some((s, at))) if s == best => lights.namespace.push((at, term.len())),
            _ => {}
        }
    }
    if let Some(port) = &query.port {
        let typed = port.to_ascii_lowercase();
        let number = e.port.to_string();
        total += if number == typed || port_name.as_deref() == Some(typed.as_str()) {
            50
        } else if number.starts_with(&typed) || port_name.as_deref().is_some_and(|p| p.starts_with(&typed)) {
            10
        } else {
            return None;
        };
    }
    if query.default_port == Some(e.port) {
        total += 20;
    }
    if query
        .scheme
        .is_some_and(|scheme| (scheme == Scheme::Https) == e.https())
    {
        total += 5;
    }
    Some((total, lights))
}

fn ascii_lowercase(s: &str) -> Cow<'_, str> {
    if s.bytes().any(|b| b.is_ascii_uppercase()) {
        Cow::Owned(s.to_ascii_lowercase())
    } else {
        Cow::Borrowed(s)
    }
}

/// The endpoint's proxy URL with the typed rest; `None` when the endpoint's URL is not its
/// proxy URL on some server.
fn suggestion_url(e: &SuggestEndpoint, query: &Query<'_>) -> Option<String> {
    let (server, target) = e.server_and_target()?;
    let (path, q, fragment) = split_query_fragment(query.rest);
    let address = Address {
        target,
        path: path.to_owned(),
        query: q.map(str::to_owned),
        fragment: fragment.map(str::to_owned),
        server: None,
    };
    address.proxy_url(server).ok()
}

/// `NAME.NS port PORT (PORT-NAME)[ · https][ — PATH]`.
fn describe(e: &SuggestEndpoint, query: &Query<'_>, lights: &Highlights, markup: Markup) -> String {
    let mut out = String::with_capacity(64 + query.rest.len());
    push_highlighted(&mut out, &e.name, &lights.name, markup);
    out.push('.');
    push_highlighted(&mut out, &e.namespace, &lights.namespace, markup);
    out.push_str(" port ");
    out.push_str(&e.port.to_string());
    if let Some(name) = &e.port_name {
        out.push_str(" (");
        push_text(&mut out, name, markup);
        out.push(')');
    }
    if e.https() {
        out.push_str(match markup {
            Markup::Text => " · https",
            Markup::OmniboxXml => " <dim>· https</dim>",
        });
    }
    if !query.rest.is_empty() {
        out.push_str(" — ");
        let mut end = query.rest.len().min(MAX_SHOWN_PATH);
        while !query.rest.is_char_boundary(end) {
            end -= 1;
        }
        let shown = query.rest.get(..end).unwrap_or_default();
        let cut = if end < query.rest.len() { "…" } else { "" };
        match markup {
            Markup::Text => {
                out.push_str(shown);
                out.push_str(cut);
            }
            Markup::OmniboxXml => {
                out.push_str("<url>");
                push_text(&mut out, shown, markup);
                out.push_str(cut);
                out.push_str("</url>");
            }
        }
    }
    out
}

/// `text` with the byte ranges in `<match>` (Chrome) or as it is (plain text).
fn push_highlighted(out: &mut String, text: &str, ranges: &[(usize, usize)], markup: Markup) {
    if markup == Markup::Text || ranges.is_empty() {
        push_text(out, text, markup);
        return;
    }
    // Which bytes are matched (names are short: a flag per byte is simplest).
    let mut matched = vec![false; text.len()];
    for &(at, len) in ranges {
        for flag in matched.iter_mut().skip(at).take(len) {
            *flag = true;
        }
    }
    let mut open = false;
    for (i, c) in text.char_indices() {
        let on = matched.get(i).copied().unwrap_or(false);
        if on != open {
            out.push_str(if on { "<match>" } else { "</match>" });
            open = on;
        }
        let mut buf = [0; 4];
        push_text(out, c.encode_utf8(&mut buf), markup);
    }
    if open {
        out.push_str("</match>");
    }
}

fn push_text(out: &mut String, text: &str, markup: Markup) {
    if markup == Markup::Text {
        out.push_str(text);
        return;
    }
    for c in text.chars() {
        match c {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\'' => out.push_str("&apos;"),
            // XML 1.0 forbids most control characters even as references: leave them out.
            c if c.is_control() => {}
            c => out.push(c),
        }
    }
}

#[cfg(test)]
mod tests;
