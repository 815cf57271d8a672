//! `rewriteUrl`, `rewriteLocation`, `rewriteSrcset`, `rewriteCss`, `rewriteHtml`, `HtmlRewriter`
//! and `browserRules` (core `rewrite`, `rules`).
//!
//! A rewrite context is parsed once and kept: the hot path (`rewriteUrl` on every URL of a page)
//! sends the packed context with each call, and when it equals the last one the prepared
//! `RewriteContext` is reused — so a call costs a string compare, not a server parse.

use std::cell::RefCell;

use kubeopen::auth::Credentials;
use kubeopen::rewrite::html::HtmlRewriter;
use kubeopen::rewrite::{
    RewriteContext, RewriteError, rewrite_css, rewrite_html, rewrite_location, rewrite_srcset, rewrite_url,
};
use kubeopen::rules::{RulesError, RulesInput, browser_rules};
use wasm_bindgen::prelude::*;

use crate::error::{KubeopenErrorCode, credentials_error, invalid_argument, kubeopen_error};
use crate::packed::{SEP, fields};
use crate::proxy_api::unpack_target;

#[wasm_bindgen(typescript_custom_section)]
const TS_REWRITE: &str = r#"
/** Where a page is shown: the API server, the target whose prefix the page lives in, and optionally the page's own URL and the cluster's DNS domain. */
export interface RewriteContext {
  server: string;
  target: Target;
  /** The page's URL, for resolving relative references and `<base href>`. */
  page?: string;
  /** Default `"cluster.local"`. */
  clusterDomain?: string;
}

/**
 * Keeps one URL inside the target's proxy prefix: root-relative and same-origin URLs go into it,
 * in-cluster service URLs (`http://grafana.monitoring.svc:3000/x`) become their proxy URLs,
 * everything else (relative, other origins, `data:`, already-prefixed) is returned unchanged.
 * Throws `InvalidContext`.
 */
export function rewriteUrl(url: string, ctx: RewriteContext): string;
/** `rewriteUrl` for a `Location` header value. */
export function rewriteLocation(location: string, ctx: RewriteContext): string;
/**
 * Rewrites every candidate URL of a `srcset` or `imagesrcset` value (`"/a.png 1x, /b.png 2x"`)
 * as `rewriteUrl` would; descriptors, commas and spacing are kept byte for byte.
 * Throws `InvalidContext`.
 */
export function rewriteSrcset(value: string, ctx: RewriteContext): string;
/** Rewrites `url(…)`, `@import` and `image-set()` references in a style sheet; the rest is unchanged byte for byte. */
export function rewriteCss(css: string, ctx: RewriteContext): string;
/** Rewrites every URL-bearing attribute, `srcset`, `style`, `<style>`, `<meta http-equiv=refresh>` and `<base href>` of a page. */
export function rewriteHtml(html: string, ctx: RewriteContext): string;

/** Options of a streaming `HtmlRewriter`. */
export interface HtmlRewriterOptions {
  /** The page's declared charset (from `Content-Type`), e.g. `"windows-1252"`. Default UTF-8. */
  charset?: string;
}

/** The HTML rewriter for chunks split anywhere (inside tags, attributes or UTF-8 sequences), with bounded memory. */
export class HtmlRewriter {
  constructor(ctx: RewriteContext, options?: HtmlRewriterOptions);
  /** Rewrites a chunk; returns what can be written out so far. */
  write(chunk: Uint8Array): Uint8Array;
  /** Flushes the rest. The rewriter is then ready for a new document. */
  end(): Uint8Array;
  /** Releases the wasm memory now (otherwise when garbage-collected). */
  free(): void;
}

/**
 * What `browserRules` needs: the server, the target shown in the tab, the tab, the credentials
 * to send (as `authorizationHeader` takes them: a bearer `token`, or `username` and `password`,
 * or none, e.g. for `kubectl proxy`) and the first rule id. Empty strings count as not given.
 */
export type BrowserRulesInput = {
  server: string;
  target: Target;
  tabId: number;
  /** The binding uses this id and the next two. */
  firstRuleId: number;
} & (
  | { token?: string; username?: undefined; password?: undefined }
  | { username: string; password: string; token?: undefined }
);

/** A `chrome.declarativeNetRequest.Rule` (session rule), as `updateSessionRules` takes it. */
export interface BrowserRule {
  id: number;
  priority: number;
  action: {
    type: "modifyHeaders" | "allow" | "redirect";
    requestHeaders?: { header: string; operation: "set" | "remove"; value?: string }[];
    redirect?: { regexSubstitution: string };
  };
  condition: {
    regexFilter: string;
    tabIds: number[];
    resourceTypes?: string[];
  };
}

/**
 * The declarativeNetRequest session rules for one bound tab: attach the credentials as
 * `Authorization` (and ask for gzip) inside the target's prefix, leave other proxy paths alone,
 * redirect everything else on the server's origin into the prefix. Nothing for other tabs or
 * origins. Throws `InvalidRules` (server, rule id) and `InvalidCredentials` (values that could
 * inject a header, or a token together with basic auth; `detail` as for `authorizationHeader`).
 */
export function browserRules(input: BrowserRulesInput): BrowserRule[];
"#;

fn context_error(e: &RewriteError) -> JsValue {
    kubeopen_error(KubeopenErrorCode::InvalidContext, &e.to_string(), &[])
}

/// Builds a context from packed fields: server, kind, namespace, name, scheme, port, page,
/// cluster domain.
fn unpack_context(packed: &str) -> Result<RewriteContext, JsValue> {
    let [server, kind, namespace, name, scheme, port, page, cluster_domain] = fields(packed, "ctx")?;
    let target = unpack_target([kind, namespace, name, scheme, port])?;
    let mut ctx = RewriteContext::new(server, &target).map_err(|e| context_error(&e))?;
    if !page.is_empty() {
        ctx = ctx.with_page_url(page).map_err(|e| context_error(&e))?;
    }
    if !cluster_domain.is_empty() {
        ctx = ctx
            .with_cluster_domain(cluster_domain)
            .map_err(|e| context_error(&e))?;
    }
    Ok(ctx)
}

thread_local! {
    /// The last context used, keyed by its packed form.
    static LAST_CONTEXT: RefCell<Option<(String, RewriteContext)>> = const { RefCell::new(None) };
}

/// Runs `f` with the context `packed` describes, reusing the last one when it is the same.
fn with_context<R>(packed: &str, f: impl FnOnce(&RewriteContext) -> R) -> Result<R, JsValue> {
    LAST_CONTEXT.with(|cell| {
        let mut last = cell.borrow_mut();
        match &*last {
            Some((key, ctx)) if key == packed => Ok(f(ctx)),
            _ => {
                let ctx = unpack_context(packed)?;
                let out = f(&ctx);
                *last = Some((packed.to_owned(), ctx));
                Ok(out)
            }
        }
    })
}

/// Splits `"<8 context fields>\0<text>"`: the text is everything after the 8th separator.
fn split_call(packed: &str) -> Result<(&str, &str), JsValue> {
    let mut seps = packed.match_indices(SEP).map(|(i, _)| i);
    let at = seps
        .nth(7)
        .ok_or_else(|| invalid_argument("ctx: malformed call"))?;
    Ok((&packed[..at], &packed[at + 1..]))
}

/// Packed: 8 context fields, then the URL.
#[wasm_bindgen(js_name = "__rewriteUrl", skip_typescript)]
pub fn rewrite_url_packed(packed: &str) -> Result<String, JsValue> {
    let (ctx, url) = split_call(packed)?;
    with_context(ctx, |ctx| rewrite_url(url, ctx).into_owned())
}

/// Packed: 8 context fields, then the `Location` value.
#[wasm_bindgen(js_name = "__rewriteLocation", skip_typescript)]
pub fn rewrite_location_packed(packed: &str) -> Result<String, JsValue> {
    let (ctx, value) = split_call(packed)?;
    with_context(ctx, |ctx| rewrite_location(value, ctx).into_owned())
}

/// Packed: 8 context fields, then the `srcset` value.
#[wasm_bindgen(js_name = "__rewriteSrcset", skip_typescript)]
pub fn rewrite_srcset_packed(packed: &str) -> Result<String, JsValue> {
    let (ctx, value) = split_call(packed)?;
    with_context(ctx, |ctx| rewrite_srcset(value, ctx).into_owned())
}

/// The packed context and the style sheet, separately (a style sheet may contain NUL).
#[wasm_bindgen(js_name = "__rewriteCss", skip_typescript)]
pub fn rewrite_css_packed(ctx: &str, css: &str) -> Result<String, JsValue> {
    with_context(ctx, |ctx| rewrite_css(css, ctx).into_owned())
}

/// The packed context and the page, separately.
#[wasm_bindgen(js_name = "__rewriteHtml", skip_typescript)]
pub fn rewrite_html_packed(ctx: &str, html: &str) -> Result<String, JsValue> {
    with_context(ctx, |ctx| rewrite_html(html, ctx))
}

/// The streaming rewriter behind the JS `HtmlRewriter`.
#[wasm_bindgen(js_name = "__HtmlRewriter", skip_typescript)]
pub struct HtmlRewriterHandle {
    inner: HtmlRewriter,
}

#[wasm_bindgen(js_class = "__HtmlRewriter")]
impl HtmlRewriterHandle {
    /// `ctx` packed; `charset` `""` for UTF-8.
    #[wasm_bindgen(constructor)]
    pub fn new(ctx: &str, charset: &str) -> Result<HtmlRewriterHandle, JsValue> {
        let mut inner = HtmlRewriter::new(unpack_context(ctx)?);
        if !charset.is_empty() {
            inner = inner
                .with_charset(charset)
                .map_err(|e| invalid_argument(&format!("options.charset: {e}")))?;
        }
        Ok(HtmlRewriterHandle { inner })
    }

    /// Rewrites a chunk; returns the bytes ready so far.
    pub fn write(&mut self, chunk: &[u8]) -> Vec<u8> {
        let mut out = Vec::with_capacity(chunk.len() + chunk.len() / 8);
        self.inner.write(chunk, &mut |bytes| out.extend_from_slice(bytes));
        out
    }

    /// Flushes the rest.
    pub fn end(&mut self) -> Vec<u8> {
        let mut out = Vec::new();
        self.inner.end(&mut |bytes| out.extend_from_slice(bytes));
        out
    }
}

/// Packed: server, kind, namespace, name, scheme, port, tab id, token, username, password (each
/// `""` for none), first rule id. Returns the rules as JSON.
#[wasm_bindgen(js_name = "__browserRules", skip_typescript)]
pub fn browser_rules_packed(packed: &str) -> Result<String, JsValue> {
    let [
        server,
        kind,
        namespace,
        name,
        scheme,
        port,
        tab_id,
        token,
        username,
        password,
        first_rule_id,
    ] = fields(packed, "browserRules")?;
    let target = unpack_target([kind, namespace, name, scheme, port])?;
    let number = |value: &str, what: &str| {
        value
            .parse::<u32>()
            .map_err(|_| invalid_argument(&format!("input.{what} must be a whole number ≥ 0, got {value:?}")))
    };
    let credentials = Credentials::from_parts(given(token), given(username), given(password))
        .map_err(|e| credentials_error(&e))?;
    let input = RulesInput {
        server,
        target: &target,
        tab_id: number(tab_id, "tabId")?,
        credentials: credentials.as_ref(),
        first_rule_id: number(first_rule_id, "firstRuleId")?,
    };
    let rules = browser_rules(&input).map_err(|e| rules_error(&e))?;
    serde_json::to_string(&rules).map_err(|e| invalid_argument(&format!("browserRules: {e}")))
}

/// A packed optional field: `""` is not given.
fn given(value: &str) -> Option<&str> {
    Some(value).filter(|v| !v.is_empty())
}

fn rules_error(e: &RulesError) -> JsValue {
    // The message never repeats a credential (the core's errors carry only its byte offset).
    match e {
        RulesError::Credentials(e) => credentials_error(e),
        _ => kubeopen_error(KubeopenErrorCode::InvalidRules, &e.to_string(), &[]),
    }
}
