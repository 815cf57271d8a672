// @ts-check
// Firefox only: the bound tab's HTML and CSS responses are rewritten as they stream in
// (`webRequest.filterResponseData`) by the core's HtmlRewriter and rewriteCss. This fixes what
// no content script can reach in time: `<meta http-equiv=refresh>`, CSS `url()` and `@import`,
// inline styles, `srcset` before the parser picks an image. Chromium has no such API; there the
// network rules' redirect covers the same requests.
import { HtmlRewriter, rewriteCss } from "kubeopen/manual";
import { ext } from "../messages.js";

/** CSS is rewritten whole (its tokenizer needs the whole sheet); a bigger one passes unchanged. */
const MAX_CSS_BYTES = 8 * 1024 * 1024;

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {{ ondata: ((e: { data: ArrayBuffer }) => void) | null, onstop: (() => void) | null,
 *   onerror: (() => void) | null, write: (data: ArrayBuffer | Uint8Array) => void, close: () => void,
 *   disconnect: () => void, error?: string }} StreamFilter
 * @typedef {{ requestId: string, url: string, tabId: number, statusCode: number, type: string,
 *   responseHeaders?: { name: string, value?: string }[] }} HeadersDetails
 */

/**
 * What a response is, from its headers: "html", "css" or nothing to rewrite.
 * @param {HeadersDetails} details
 */
function kindOf(details) {
  if (details.statusCode < 200 || details.statusCode >= 300 || details.statusCode === 204) return undefined;
  const type = details.responseHeaders?.find((h) => h.name.toLowerCase() === "content-type")?.value ?? "";
  const essence = type.split(";")[0].trim().toLowerCase();
  if (essence === "text/html" || essence === "application/xhtml+xml") return { kind: "html", charset: charsetOf(type) };
  if (essence === "text/css") return { kind: "css", charset: charsetOf(type) };
  return undefined;
}

/** @param {string} contentType */
function charsetOf(contentType) {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return m ? m[1] : undefined;
}

/**
 * Streams an HTML response through the core's rewriter (bounded memory, chunks split anywhere).
 * @param {StreamFilter} filter @param {import("kubeopen/manual").RewriteContext} ctx @param {string | undefined} charset
 */
function rewriteHtmlStream(filter, ctx, charset) {
  const rewriter = new HtmlRewriter(ctx, charset ? { charset } : undefined);
  filter.ondata = (e) => filter.write(rewriter.write(new Uint8Array(e.data)));
  filter.onstop = () => {
    try {
      filter.write(rewriter.end());
    } finally {
      rewriter.free();
      filter.close();
    }
  };
  filter.onerror = () => rewriter.free();
}

/**
 * Collects a style sheet, rewrites it once complete.
 * @param {StreamFilter} filter @param {import("kubeopen/manual").RewriteContext} ctx @param {string | undefined} charset
 */
function rewriteCssStream(filter, ctx, charset) {
  /** @type {Uint8Array[]} */
  let chunks = [];
  let size = 0;
  let passing = false;
  filter.ondata = (e) => {
    const chunk = new Uint8Array(e.data);
    if (passing) return filter.write(chunk);
    chunks.push(chunk);
    size += chunk.byteLength;
    if (size > MAX_CSS_BYTES) {
      // Too big to hold: let it through as it is.
      passing = true;
      for (const c of chunks) filter.write(c);
      chunks = [];
    }
  };
  filter.onstop = () => {
    try {
      if (!passing) {
        const whole = new Uint8Array(size);
        let at = 0;
        for (const c of chunks) {
          whole.set(c, at);
          at += c.byteLength;
        }
        let text;
        try {
          text = new TextDecoder(charset ?? "utf-8").decode(whole);
        } catch {
          text = new TextDecoder().decode(whole);
        }
        filter.write(new TextEncoder().encode(rewriteCss(text, ctx)));
      }
    } finally {
      filter.close();
    }
  };
}

/**
 * Starts the filter where the browser has it (Firefox); does nothing elsewhere. The listener is
 * added synchronously (an event page only gets events for listeners added in its first turn).
 * @param {Promise<void>} ready
 * @param {(tabId: number) => Promise<Binding | undefined>} bindingOf
 * @param {(binding: Binding) => Promise<string>} clusterDomainOf
 */
export function startFirefoxFilter(ready, bindingOf, clusterDomainOf) {
  const webRequest = /** @type {any} */ (ext).webRequest;
  if (typeof webRequest?.filterResponseData !== "function") return;
  /** @param {HeadersDetails} details */
  const onHeaders = async (details) => {
    if (details.tabId < 0) return {};
    const what = kindOf(details);
    if (!what) return {};
    await ready;
    const binding = await bindingOf(details.tabId);
    // Only the bound target's own responses: nothing of other tabs, origins or prefixes.
    if (!binding || !details.url.startsWith(binding.prefix + "/")) return {};
    const ctx = {
      server: binding.server,
      target: binding.target,
      page: details.url,
      clusterDomain: await clusterDomainOf(binding),
    };
    /** @type {StreamFilter} */
    const filter = webRequest.filterResponseData(details.requestId);
    if (what.kind === "html") rewriteHtmlStream(filter, ctx, what.charset);
    else rewriteCssStream(filter, ctx, what.charset);
    // The body's length changes; Firefox would cut it at the old Content-Length.
    const responseHeaders = (details.responseHeaders ?? []).filter((h) => h.name.toLowerCase() !== "content-length");
    return { responseHeaders };
  };
  webRequest.onHeadersReceived.addListener(
    onHeaders,
    { urls: ["http://*/*", "https://*/*"], types: ["main_frame", "sub_frame", "stylesheet"] },
    ["blocking", "responseHeaders"],
  );
}
