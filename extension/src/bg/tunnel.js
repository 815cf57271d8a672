// @ts-check
// Tunnel mode's fetching (design note §4.1 (b), §6): a tunnelled app's HTML navigation reaches
// the shell document (bg/tunnel-rules.js); the background fetches the real page through the
// pod's port-forward (`Cluster.tunnelFetch`, token in the WebSocket subprotocol, never in the
// tab) and rewrites it with the core exactly as the API server would have rewritten it; the
// delivery module then puts it in the tab at its real URL (tunnel-deliver.js in Chromium,
// tunnel-deliver.firefox.js in Firefox). Only HTML reaches the page world; the token stays here.
//
// The fetch starts when the shell is *requested* (webRequest, observe only), so the tunnel's
// round trip overlaps the shell's own.
//
// Limits (design note §4.1 (b)): the shell's response headers (a CSP an API server front adds)
// apply to the page; navigation timing describes the shell; only GET navigations are tunnelled
// (a form POST to a page goes through the proxy, and is explained if lost); a navigation to a
// non-HTML resource in tunnel mode is shown as text; sub-frames whose page the proxy lost are
// not explained (only the top frame is).
import { Cluster, HtmlRewriter, rewriteLocation } from "kubeopen/manual";
import { ext } from "../messages.js";
import { bindingForTab } from "./binding-state.js";
import { getCluster } from "./clusters.js";
import { isTunnelled } from "./tunnel-prefs.js";
import { TUNNEL_PAGE, realUrlOf } from "./tunnel-rules.js";
// Chromium: written by a MAIN-world document.write; Firefox: the build puts
// tunnel-deliver.firefox.js here (filterResponseData). See those files for why.
import { startDelivery } from "./tunnel-deliver.js";

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {import("../messages.js").ClusterRecord} ClusterRecord
 * @typedef {{ kind: "html", html: string } | { kind: "redirect", location: string }
 *   | { kind: "failed", code: string, message: string, permission?: string }} Delivery
 * @typedef {{ shell: string, realUrl: string, delivery: Exclude<Delivery, { kind: "failed" }> }} PageToWrite
 * @typedef {{ toWrite: (details: { tabId: number, frameId: number, url: string }) => Promise<PageToWrite | undefined> }} Pages
 */

/** A tunnelled page bigger than this is refused (it is held whole to be written). */
const MAX_HTML_BYTES = 32 * 1024 * 1024;
/** How long a fetched page waits for its shell to commit before it is dropped. */
const PENDING_MS = 60_000;

/**
 * Pages being fetched, by `tabId:frameId`: the shell address they are for and the delivery.
 * @type {Map<string, { shell: string, delivery: Promise<Delivery>, at: number }>}
 */
const pending = new Map();

/** @param {number} tabId @param {number} frameId */
const frameKey = (tabId, frameId) => `${tabId}:${frameId}`;

/** @param {string} url */
function withoutFragment(url) {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * The credentials the tunnel authenticates with, as `Cluster` takes them.
 * @param {ClusterRecord} cluster
 */
function credentialsOf(cluster) {
  const c = cluster.credentials;
  if (c === null) return {};
  return "token" in c ? { token: c.token } : { username: c.username, password: c.password };
}

/** @param {string} contentType */
function charsetOf(contentType) {
  const m = /;\s*charset\s*=\s*"?([^";\s]+)/i.exec(contentType);
  return m ? m[1] : undefined;
}

/** @param {unknown} e @returns {Delivery} */
function failed(e) {
  const err = /** @type {{ code?: unknown, message?: unknown, detail?: Record<string, unknown> }} */ (e ?? {});
  const permission = typeof err.detail?.permission === "string" ? err.detail.permission : undefined;
  return {
    kind: "failed",
    code: typeof err.code === "string" ? err.code : "Internal",
    message: String(err.message ?? e),
    ...(permission ? { permission } : {}),
  };
}

/**
 * Reads a body whole, refusing one past MAX_HTML_BYTES.
 * @param {Response} response
 */
async function bodyOf(response) {
  const reader = response.body?.getReader();
  if (!reader) return new Uint8Array(0);
  /** @type {Uint8Array[]} */
  const chunks = [];
  let size = 0;
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    size += value.byteLength;
    if (size > MAX_HTML_BYTES) {
      await reader.cancel();
      throw Object.assign(new Error(`the page is larger than ${MAX_HTML_BYTES} bytes`), { code: "TooLarge" });
    }
    chunks.push(value);
  }
  const whole = new Uint8Array(size);
  let at = 0;
  for (const c of chunks) {
    whole.set(c, at);
    at += c.byteLength;
  }
  return whole;
}

/**
 * Fetches `realUrl` of the tab's app through the tunnel and makes it ready to write: rewritten
 * HTML, or where a redirect goes. Refuses a URL outside the binding's prefix or an app not in
 * tunnel mode (a page cannot make the extension port-forward by linking to a shell address).
 * @param {number} tabId @param {string} realUrl
 * @returns {Promise<Delivery>}
 */
async function fetchPage(tabId, realUrl) {
  try {
    const binding = await bindingForTab(tabId);
    const url = withoutFragment(realUrl);
    if (!binding || !(url === binding.prefix || url.startsWith(`${binding.prefix}/`) || url.startsWith(`${binding.prefix}?`))) {
      return { kind: "failed", code: "NotBound", message: "this tab is not bound to the app of that address" };
    }
    if (!(await isTunnelled({ clusterId: binding.clusterId, target: binding.target }))) {
      return { kind: "failed", code: "TunnelOff", message: "tunnel mode is off for this app" };
    }
    const cluster = await getCluster(binding.clusterId);
    if (!cluster) return { kind: "failed", code: "NotFound", message: "the cluster of this tab was removed" };
    const target = binding.target;
    if (target.kind === "node") {
      return { kind: "failed", code: "InvalidTarget", message: "a node has no port-forward: tunnel mode is for services and pods" };
    }
    const client = new Cluster({ server: cluster.server, ...credentialsOf(cluster) });
    const path = url.slice(binding.prefix.length) || "/";
    const response = await client.tunnelFetch(target, path, {
      headers: { accept: "text/html,application/xhtml+xml,application/xml;q=0.9,*/*;q=0.8" },
    });
    const ctx = { server: binding.server, target: binding.target, page: url, clusterDomain: cluster.clusterDomain || "cluster.local" };
    const location = response.headers.get("location");
    if (response.status >= 300 && response.status < 400 && location) {
      await response.body?.cancel();
      return { kind: "redirect", location: new URL(rewriteLocation(location, ctx), url).href };
    }
    const type = response.headers.get("content-type") ?? "";
    const charset = charsetOf(type);
    const bytes = await bodyOf(response);
    const essence = type.split(";")[0].trim().toLowerCase();
    if (essence !== "" && essence !== "text/html" && essence !== "application/xhtml+xml") {
      // Not a page: only HTML is what the API server loses, so show it as text rather than guess.
      return { kind: "html", html: `<!doctype html><pre>${escapeHtml(decode(bytes, charset))}</pre>` };
    }
    const rewriter = new HtmlRewriter(ctx, charset ? { charset } : undefined);
    try {
      const head = rewriter.write(bytes);
      const tail = rewriter.end();
      return { kind: "html", html: decode(head, charset) + decode(tail, charset) };
    } finally {
      rewriter.free();
    }
  } catch (e) {
    return failed(e);
  }
}

/** @param {Uint8Array} bytes @param {string | undefined} charset */
function decode(bytes, charset) {
  try {
    return new TextDecoder(charset ?? "utf-8").decode(bytes);
  } catch {
    return new TextDecoder().decode(bytes);
  }
}

/** @param {string} text */
function escapeHtml(text) {
  return text.replace(/[&<>"]/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;" })[c] ?? c);
}

/**
 * The explanation page (tunnel.html) for a failure at `realUrl`: what failed, in its words, and
 * (when known) the encoding the API server lost or the permission the tunnel lacks.
 * @param {string} realUrl @param {{ code: string, message: string, permission?: string, encoding?: string }} failure
 */
export function tunnelPageFor(realUrl, failure) {
  const params = new URLSearchParams({ url: realUrl, reason: failure.code, message: failure.message });
  if (failure.permission) params.set("permission", failure.permission);
  if (failure.encoding) params.set("encoding", failure.encoding);
  return `${ext.runtime.getURL(TUNNEL_PAGE)}?${params}`;
}

/**
 * Starts fetching the page a shell request stands for.
 * @param {{ tabId: number, frameId: number, url: string }} details
 */
function shellRequested({ tabId, frameId, url }) {
  const realUrl = realUrlOf(url);
  if (tabId < 0 || realUrl === undefined) return;
  const now = Date.now();
  for (const [key, p] of pending) if (now - p.at > PENDING_MS) pending.delete(key);
  pending.set(frameKey(tabId, frameId), { shell: withoutFragment(url), delivery: fetchPage(tabId, realUrl), at: now });
}

/**
 * The page for a shell that reached frame `frameId` of tab `tabId` (committed, or answering):
 * the one whose fetch started with the shell's request, or a new fetch (a service worker started
 * by this very navigation saw no request).
 * @param {{ tabId: number, frameId: number, url: string }} details
 * @returns {{ shell: string, realUrl: string, delivery: Promise<Delivery> } | undefined}
 */
function takePage({ tabId, frameId, url }) {
  const realUrl = realUrlOf(url);
  if (tabId < 0 || realUrl === undefined) return undefined;
  const shell = withoutFragment(url);
  const key = frameKey(tabId, frameId);
  const entry = pending.get(key);
  pending.delete(key);
  return { shell, realUrl, delivery: entry && entry.shell === shell ? entry.delivery : fetchPage(tabId, realUrl) };
}

/**
 * A failed delivery: the top frame goes to the explanation page; a sub-frame gets a short note
 * as its page (returned as a delivery to write), since an extension page cannot be framed there.
 * @param {number} tabId @param {number} frameId @param {string} realUrl
 * @param {Extract<Delivery, { kind: "failed" }>} failure
 * @returns {Promise<Delivery | undefined>} what to write instead, if anything
 */
async function explain(tabId, frameId, realUrl, failure) {
  if (failure.code === "NotBound") return undefined; // not ours to explain: the tab left the app
  if (frameId === 0) {
    await ext.tabs.update(tabId, { url: tunnelPageFor(realUrl, failure) });
    return undefined;
  }
  const note = `<!doctype html><title>kubeopen</title><p>kubeopen could not open this frame through the tunnel: ${escapeHtml(failure.message)}</p>`;
  return { kind: "html", html: note };
}

/**
 * What to write into a shell that reached frame `frameId` of tab `tabId`: its page, or in its
 * place a note where the page failed (a top frame is sent to the explanation page instead:
 * nothing to write).
 * @param {{ tabId: number, frameId: number, url: string }} details
 * @returns {Promise<PageToWrite | undefined>}
 */
async function toWrite(details) {
  const page = takePage(details);
  if (!page) return undefined;
  const delivery = await page.delivery;
  if (delivery.kind !== "failed") return { shell: page.shell, realUrl: page.realUrl, delivery };
  const instead = await explain(details.tabId, details.frameId, page.realUrl, delivery);
  return instead && instead.kind !== "failed" ? { shell: page.shell, realUrl: page.realUrl, delivery: instead } : undefined;
}

/**
 * Registers the listeners (synchronously: a restarted service worker only gets events for
 * listeners added in its first turn).
 * @param {Promise<void>} ready
 */
export function startTunnel(ready) {
  /** @param {string} what @param {unknown} e */
  const report = (what, e) => console.warn(`kubeopen tunnel (${what}):`, e instanceof Error ? e.message : e);
  ext.webRequest.onBeforeRequest.addListener(
    (details) => {
      if (realUrlOf(details.url) !== undefined) {
        ready.then(() => shellRequested(details)).catch((e) => report("request", e));
      }
      return undefined; // observe only
    },
    // Only shells: every event is work for the worker and the browser while a page loads.
    { urls: ["http://*/*kubeopen-tunnel-shell*", "https://*/*kubeopen-tunnel-shell*"], types: ["main_frame", "sub_frame"] },
  );
  startDelivery(ready, { toWrite }, report);
}
