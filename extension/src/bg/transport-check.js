// @ts-check
// Notices when a bound tab's page fails the way the API server's HTML transport fails
// (spec apiserver-proxy.md §3.3 step 5): it cannot rewrite a `text/html` body whose
// Content-Encoding is not empty, gzip or deflate (`identity`, `br`, `zstd`), and loses it. A real
// server drops the connection before any answer (Chromium: net::ERR_EMPTY_RESPONSE, or
// net::ERR_HTTP2_PROTOCOL_ERROR where HTTP/2 resets the stream; Firefox: NS_ERROR_NET_EMPTY_RESPONSE
// or a reset); a server that flushed the headers first would send them with no body. The tab is
// then shown the explanation page (tunnel.html), which offers tunnel mode and `kubectl port-forward`.
//
// Chromium: webNavigation.onErrorOccurred, which fires only when a navigation fails. Observing
// every navigation's response (webRequest) woke the service worker three times per page load of
// every tab, and that work in the worker and in the browser's UI thread slowed a bound tab's loads
// (tests/bench/extension.bench.mjs). A body lost after its headers is an error there too
// (truncated) or a blank page, which only Firefox's observers below recognise.
// Firefox: webRequest, whose errors carry NS_ERROR_* names (webNavigation's do not), and whose
// headers show a lost encoding before the body is missing.
import { ext, isFirefox } from "../messages.js";
import { bindingForTab } from "./binding-state.js";
import { isTunnelled } from "./tunnel-prefs.js";
import { tunnelPageFor } from "./tunnel.js";
import { pendingMainFrameMethod } from "./navigation.js";

/** Encodings the transport rewrites; any other on an HTML page is lost. */
const PASSED = new Set(["", "gzip", "deflate"]);
/** Network errors of a body lost or a connection dropped, in Chromium's and Firefox's words. */
const LOST =
  /ERR_EMPTY_RESPONSE|ERR_HTTP2_PROTOCOL_ERROR|ERR_INCOMPLETE_CHUNKED_ENCODING|ERR_CONTENT_LENGTH_MISMATCH|ERR_CONNECTION_CLOSED|ERR_CONNECTION_RESET|NS_ERROR_NET_EMPTY_RESPONSE|NS_ERROR_NET_RESET|NS_ERROR_NET_INTERRUPT|NS_ERROR_NET_PARTIAL_TRANSFER|NS_ERROR_PARTIAL_TRANSFER/;

/**
 * HTML responses with an encoding the transport loses, by request id → that encoding.
 * @type {Map<string, string>}
 */
const lostEncodings = new Map();

/**
 * The encoding that makes the transport lose this response, if it is HTML with one.
 * @param {{ name: string, value?: string }[] | undefined} headers
 */
export function lostEncoding(headers) {
  const get = (/** @type {string} */ name) => headers?.find((h) => h.name.toLowerCase() === name)?.value ?? "";
  const type = get("content-type").split(";")[0].trim().toLowerCase();
  if (type !== "text/html") return undefined;
  const encoding = get("content-encoding").trim().toLowerCase();
  return PASSED.has(encoding) ? undefined : encoding;
}

/**
 * A frame of a bound tab failed inside its app's prefix: explain (main frame) and offer the tunnel.
 * @param {{ tabId: number, frameId: number, url: string, method: string }} details
 * @param {string | null} encoding what the response said, if it said anything
 */
async function failedInPrefix({ tabId, frameId, url, method }, encoding) {
  if (tabId < 0 || frameId !== 0) return; // a frame's failure stays in its frame
  const binding = await bindingForTab(tabId);
  if (!binding || !(url === binding.prefix || url.startsWith(`${binding.prefix}/`) || url.startsWith(`${binding.prefix}?`))) return;
  // In tunnel mode GET navigations never reach the prefix; a form POST still does.
  const tunnelled = await isTunnelled({ clusterId: binding.clusterId, target: binding.target });
  if (tunnelled && method === "GET") return;
  const message = encoding
    ? `The API server cannot pass this app's pages: it sends Content-Encoding: ${encoding}.`
    : "The API server closed the connection without an answer: it does this with an app's page whose Content-Encoding it cannot rewrite (identity, br or zstd).";
  await ext.tabs.update(tabId, { url: tunnelPageFor(url, { code: "TransportLoss", message, ...(encoding ? { encoding } : {}) }) });
}


/**
 * Registers the observers (synchronously, at start-up).
 * @param {Promise<void>} ready
 */
export function startTransportCheck(ready) {
  /** @param {unknown} e */
  const report = (e) => console.warn("kubeopen transport check:", e instanceof Error ? e.message : e);
  if (isFirefox) observeResponses(ready, report);
  else observeFailedNavigations(ready, report);
}

/**
 * Chromium: failed navigations only. The method is the one navigation.js saw requested.
 * @param {Promise<void>} ready @param {(e: unknown) => void} report
 */
function observeFailedNavigations(ready, report) {
  ext.webNavigation.onErrorOccurred.addListener(
    (details) => {
      if (/ABORTED/.test(details.error) || !LOST.test(details.error)) return; // stopped, or navigated elsewhere meanwhile
      const method = pendingMainFrameMethod(details.tabId, details.url) ?? "GET";
      ready.then(() => failedInPrefix({ ...details, method }, null)).catch(report);
    },
    { url: [{ pathContains: "/api/v1/" }] },
  );
}

/**
 * Firefox: every frame's response headers and outcome.
 * @param {Promise<void>} ready @param {(e: unknown) => void} report
 */
function observeResponses(ready, report) {
  const filter = { urls: ["http://*/*", "https://*/*"], types: /** @type {any} */ (["main_frame", "sub_frame"]) };
  ext.webRequest.onHeadersReceived.addListener(
    (details) => {
      // A redirect keeps its request id: only the response that ends the request counts.
      const final = details.statusCode < 300 || details.statusCode >= 400;
      const encoding = details.tabId >= 0 && final ? lostEncoding(details.responseHeaders) : undefined;
      if (encoding !== undefined) lostEncodings.set(details.requestId, encoding);
      else lostEncodings.delete(details.requestId);
      return undefined; // observe only
    },
    filter,
    ["responseHeaders"],
  );
  ext.webRequest.onCompleted.addListener((details) => {
    const encoding = lostEncodings.get(details.requestId);
    lostEncodings.delete(details.requestId);
    if (encoding === undefined) return;
    ready.then(() => failedInPrefix(details, encoding)).catch(report);
  }, filter);
  ext.webRequest.onErrorOccurred.addListener((details) => {
    const encoding = lostEncodings.get(details.requestId) ?? null;
    lostEncodings.delete(details.requestId);
    if (/ABORTED/.test(details.error)) return; // stopped, or navigated elsewhere meanwhile
    if (!LOST.test(details.error) && encoding === null) return;
    ready.then(() => failedInPrefix(details, encoding)).catch(report);
  }, filter);
}
