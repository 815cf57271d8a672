//! `proxyPath`, `proxyUrl`, `parseProxyUrl`, `resolveAddress` (core `target`, `proxy_url`,
//! `address`). The raw exports take and return packed strings (see `packed.rs`); `api.js` gives
//! them the contract's shapes.

use std::borrow::Cow;
use std::sync::LazyLock;

use kubeopen::address::{AddressError, AddressOptions, resolve_address, resolve_address_parts};
use kubeopen::proxy_url::{
    ProxyUrlError, Query, parse_proxy_url, parse_proxy_url_parts, proxy_path, push_proxy_url_ref,
};
use kubeopen::segment::Scheme;
use kubeopen::target::{Kind, Port, Target, TargetError, TargetRef};
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, invalid_argument, kubeopen_error};
use crate::packed::{
    Fields, SEP, Spans, fields, push_optional, with_exchange, with_exchange_into, with_exchange_spans,
};

#[wasm_bindgen(typescript_custom_section)]
const TS_PROXY: &str = r#"
/** What is proxied to. Services and pods are namespaced; nodes are not. */
export type Target =
  | { kind: "service" | "pod"; namespace: string; name: string; scheme?: "" | "http" | "https"; port?: string | number }
  | { kind: "node"; name: string; scheme?: "" | "http" | "https"; port?: string | number };

/** A target as kubeopen returns it: every field present, the port as a string (`""` for none). */
export type ParsedTarget =
  | { kind: "service" | "pod"; namespace: string; name: string; scheme: "" | "http" | "https"; port: string }
  | { kind: "node"; name: string; scheme: "" | "http" | "https"; port: string };

/** A query: a raw string (`"a=1&b=2"`), or keys with one or more values, form-encoded in order. */
export type Query = string | Record<string, string | readonly string[]>;

/** The path of the target's proxy prefix, ending with `/proxy/`. Throws `InvalidTarget`. */
export function proxyPath(target: Target): string;

/**
 * The proxy URL of `target` on `server`, opening `path` (`"d/abc?orgId=1#panel"`), with `query`
 * appended. No `path` can leave the target's `/proxy/` prefix. Throws `InvalidTarget`, `InvalidServer`.
 */
export function proxyUrl(server: string, target: Target, path?: string, query?: Query): string;

/** A proxy URL taken apart. `path` is everything after `/proxy`, still percent-encoded. */
export interface ProxyUrlParts {
  server: string;
  target: ParsedTarget;
  path: string;
  query: string | null;
  fragment: string | null;
}

/** Takes a proxy URL apart; `null` for anything that is not one. */
export function parseProxyUrl(url: string): ProxyUrlParts | null;

/** Defaults for what an address leaves out. */
export interface AddressOptions {
  /** Default `"default"`. */
  namespace?: string;
  /** Default `"cluster.local"`. */
  clusterDomain?: string;
}

/** What a typed address resolves to. `server` is set when the input was a full proxy URL. */
export interface ResolvedAddress {
  target: ParsedTarget;
  path: string;
  query: string | null;
  fragment: string | null;
  server: string | null;
}

/**
 * Resolves what a person types — `grafana.monitoring.svc:3000/d/x`, `svc/monitoring/grafana:3000`,
 * `https:kubernetes-dashboard: -n kubernetes-dashboard`, `node/n1/metrics`, a proxy URL — to a
 * target and path. Throws `InvalidAddress` saying which form was expected.
 */
export function resolveAddress(input: string, options?: AddressOptions): ResolvedAddress;
"#;

fn target_error(e: &TargetError) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidTarget, &e.to_string(), &[])
}

fn proxy_url_error(e: &ProxyUrlError) -> JsValue {
    let ProxyUrlError::Server { server, reason, at } = e;
    kubeopen_error(
        KubeopenErrorCode::InvalidServer,
        &e.to_string(),
        &[
            ("input", server.as_str().into()),
            ("rule", (*reason).into()),
            ("at", (*at as u32).into()),
        ],
    )
}

fn address_error(input: &str, e: &AddressError) -> JsValue {
    kubeopen_error(
        KubeopenErrorCode::InvalidAddress,
        &e.to_string(),
        &[("input", input.into())],
    )
}

/// Builds a target from its packed fields: kind, namespace, name, scheme, port.
pub(crate) fn unpack_target(fields: [&str; 5]) -> Result<Target, JsValue> {
    unpack_target_ref(fields).map(TargetRef::into_target)
}

/// [`unpack_target`], borrowing the names.
fn unpack_target_ref([kind, namespace, name, scheme, port]: [&str; 5]) -> Result<TargetRef<'_>, JsValue> {
    let kind = match kind {
        "service" => Kind::Service,
        "pod" => Kind::Pod,
        "node" => Kind::Node,
        other => {
            return Err(invalid_argument(&format!(
                "target.kind must be \"service\", \"pod\" or \"node\", got {other:?}"
            )));
        }
    };
    let namespace = (kind != Kind::Node || !namespace.is_empty()).then_some(namespace);
    let scheme = Scheme::from_segment_str(scheme).map_err(|()| {
        invalid_argument(&format!(
            "target.scheme must be \"\", \"http\" or \"https\", got {scheme:?}"
        ))
    })?;
    let port = if port.is_empty() {
        None
    } else {
        Some(Port::parse(port).map_err(|e| target_error(&e))?)
    };
    Ok(
        TargetRef::new(kind, namespace.map(Cow::Borrowed), Cow::Borrowed(name))
            .map_err(|e| target_error(&e))?
            .with_scheme(scheme)
            .with_port(port),
    )
}

/// Appends kind, namespace, name, scheme and port, `\0`-separated (no leading separator).
fn push_target(out: &mut String, t: &Target) {
    out.push_str(kind_str(t.kind()));
    out.push(SEP);
    out.push_str(t.namespace().unwrap_or(""));
    out.push(SEP);
    out.push_str(t.name());
    out.push(SEP);
    out.push_str(t.scheme().map_or("", Scheme::as_str));
    out.push(SEP);
    if let Some(port) = t.port() {
        match port.as_number() {
            Some(n) => push_u16(out, n),
            None => out.push_str(port.as_name().unwrap_or("")),
        }
    }
}

/// `n` in decimal, without `fmt`.
fn push_u16(out: &mut String, n: u16) {
    let mut digits = [0u8; 5];
    let mut start = digits.len();
    let mut rest = n;
    for slot in digits.iter_mut().rev() {
        *slot = b'0' + (rest % 10) as u8;
        start -= 1;
        rest /= 10;
        if rest == 0 {
            break;
        }
    }
    for &d in digits.get(start..).unwrap_or_default() {
        out.push(char::from(d));
    }
}

fn kind_str(kind: Kind) -> &'static str {
    match kind {
        Kind::Service => "service",
        Kind::Pod => "pod",
        Kind::Node => "node",
    }
}

/// `target` packed: kind, namespace, name, scheme, port. In and out through the exchange buffer
/// (`packed.rs`): `len` is the packed call's length; returns the answer's (`packed.rs`, `with_exchange`).
#[wasm_bindgen(js_name = "__proxyPath", skip_typescript)]
pub fn proxy_path_exchange(len: usize) -> usize {
    with_exchange(len, "proxyPath", proxy_path_packed)
}

fn proxy_path_packed(target: &str) -> Result<String, JsValue> {
    Ok(proxy_path(&unpack_target(fields(target, "proxyPath")?)?))
}

/// Packed: server, kind, namespace, name, scheme, port, path, query mode (`""` none, `"r"` raw,
/// `"p"` pairs), then the raw query or the pairs (key, value, key, value…). Through the exchange
/// buffer, as `__proxyPath`.
#[wasm_bindgen(js_name = "__proxyUrl", skip_typescript)]
pub fn proxy_url_exchange(len: usize) -> usize {
    with_exchange_into(len, "proxyUrl", proxy_url_packed)
}

fn proxy_url_packed(packed: &str, out: &mut String) -> Result<(), JsValue> {
    let mut head = Fields::new(packed);
    let mut next = || {
        head.next()
            .ok_or_else(|| invalid_argument("proxyUrl: malformed call"))
    };
    let server = next()?;
    let target = unpack_target_ref([next()?, next()?, next()?, next()?, next()?])?;
    let path = next()?;
    let mode = next()?;
    let rest = head.rest().unwrap_or("");
    let pairs: Vec<(&str, &str)>;
    let query = match mode {
        "" => Query::None,
        "r" => Query::Raw(rest),
        "p" => {
            let items: Vec<&str> = Fields::new(rest).collect();
            if !items.len().is_multiple_of(2) {
                return Err(invalid_argument(
                    "proxyUrl: a query key or value contains a NUL character (U+0000)",
                ));
            }
            pairs = items.chunks_exact(2).map(|kv| (kv[0], kv[1])).collect();
            Query::Pairs(&pairs)
        }
        _ => return Err(invalid_argument("proxyUrl: malformed call")),
    };
    if mode == "r" && rest.contains(crate::packed::SEP) {
        return Err(invalid_argument(
            "proxyUrl: the query contains a NUL character (U+0000)",
        ));
    }
    push_proxy_url_ref(out, server, &target, path, query).map_err(|e| proxy_url_error(&e))
}

/// `""` when `url` is not a proxy URL; else server, kind, namespace, name, scheme, port, path,
/// query (optional), fragment (optional). Through the exchange buffer, as `__proxyPath`.
#[wasm_bindgen(js_name = "__parseProxyUrl", skip_typescript)]
pub fn parse_proxy_url_exchange(len: usize) -> usize {
    with_exchange(len, "parseProxyUrl", |url| Ok(parse_proxy_url_packed(url)))
}

fn parse_proxy_url_packed(url: &str) -> String {
    let Some(parts) = parse_proxy_url(url) else {
        return String::new();
    };
    let mut out = String::with_capacity(url.len() + 32);
    out.push_str(&parts.server);
    out.push(SEP);
    push_target(&mut out, &parts.target);
    out.push(SEP);
    out.push_str(&parts.path);
    push_optional(&mut out, parts.query.as_deref());
    push_optional(&mut out, parts.fragment.as_deref());
    out
}

/// Packed in: input, namespace, cluster domain. Out: kind, namespace, name, scheme, port, path,
/// query, fragment, server (the last three optional). Through the exchange buffer, as
/// `__proxyPath`.
#[wasm_bindgen(js_name = "__resolveAddress", skip_typescript)]
pub fn resolve_address_exchange(len: usize) -> usize {
    with_exchange(len, "resolveAddress", resolve_address_packed)
}

fn resolve_address_packed(packed: &str) -> Result<String, JsValue> {
    let [input, namespace, cluster_domain] = fields(packed, "resolveAddress")?;
    let mut given = None;
    let options = address_options(namespace, cluster_domain, &mut given);
    let a = resolve_address(input, options).map_err(|e| address_error(input, &e))?;
    let mut out = String::with_capacity(input.len() + 64);
    push_target(&mut out, &a.target);
    out.push(SEP);
    out.push_str(&a.path);
    push_optional(&mut out, a.query.as_deref());
    push_optional(&mut out, a.fragment.as_deref());
    push_optional(&mut out, a.server.as_deref());
    Ok(out)
}

/// The options of a call: the defaults when none are given (the usual call), without
/// allocating them each time; else `given`, filled in.
fn address_options<'a>(
    namespace: &str,
    cluster_domain: &str,
    given: &'a mut Option<AddressOptions>,
) -> &'a AddressOptions {
    static DEFAULTS: LazyLock<AddressOptions> = LazyLock::new(AddressOptions::default);
    if namespace.is_empty() && cluster_domain.is_empty() {
        return &DEFAULTS;
    }
    given.insert(AddressOptions {
        namespace: if namespace.is_empty() {
            DEFAULTS.namespace.clone()
        } else {
            namespace.to_owned()
        },
        cluster_domain: if cluster_domain.is_empty() {
            DEFAULTS.cluster_domain.clone()
        } else {
            cluster_domain.to_owned()
        },
    })
}

/// Kind, scheme and port number of `t` into the first three words, then its namespace, name and
/// port name fields.
fn push_target_spans(spans: &mut Spans, t: &TargetRef<'_>) {
    spans.set(
        0,
        match t.kind() {
            Kind::Service => 1,
            Kind::Pod => 2,
            Kind::Node => 3,
        },
    );
    spans.set(
        1,
        match t.scheme() {
            None => 0,
            Some(Scheme::Http) => 1,
            Some(Scheme::Https) => 2,
        },
    );
    spans.set(2, t.port().and_then(Port::as_number).map_or(0, u32::from));
    spans.push(t.namespace());
    spans.push(Some(t.name()));
    spans.push(t.port().and_then(Port::as_name));
}

/// `parseProxyUrl` for an ASCII call, answering with spans (`packed.rs`): kind (0 for not a
/// proxy URL, 1 service, 2 pod, 3 node), scheme (0 none, 1 http, 2 https), port number (0 for
/// none), then namespace, name, port name, server, path, query, fragment.
#[wasm_bindgen(js_name = "__parseProxyUrlSpans", skip_typescript)]
pub fn parse_proxy_url_spans(len: usize) -> usize {
    with_exchange_spans(len, "parseProxyUrl", |url, spans| {
        if let Some(parts) = parse_proxy_url_parts(url) {
            push_target_spans(spans, &parts.target);
            spans.push(Some(&parts.server));
            spans.push(Some(&parts.path));
            spans.push(parts.query.as_deref());
            spans.push(parts.fragment.as_deref());
        }
        Ok(())
    })
}

/// `resolveAddress` for an ASCII call (packed as for `__resolveAddress`), answering with spans
/// laid out as `__parseProxyUrlSpans`'s (the server may be none).
#[wasm_bindgen(js_name = "__resolveAddressSpans", skip_typescript)]
pub fn resolve_address_spans(len: usize) -> usize {
    with_exchange_spans(len, "resolveAddress", |packed, spans| {
        let [input, namespace, cluster_domain] = fields(packed, "resolveAddress")?;
        let mut given = None;
        let options = address_options(namespace, cluster_domain, &mut given);
        let a = resolve_address_parts(input, options).map_err(|e| address_error(input, &e))?;
        push_target_spans(spans, &a.target);
        spans.push(a.server.as_deref());
        spans.push(Some(&a.path));
        spans.push(a.query.as_deref());
        spans.push(a.fragment.as_deref());
        Ok(())
    })
}
