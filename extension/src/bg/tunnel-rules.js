// @ts-check
// Tunnel mode's network rules for one bound tab (design note §4.1 (b)): the tab's HTML
// navigations inside the app's prefix go to a *shell* document on the API server's origin, which
// bg/tunnel.js then replaces with the page fetched through the tunnel. Every other request of
// the tab (assets, fetch, XHR, WebSocket, form posts) keeps the binding's proxy rules.
//
// The shell is `SERVER/api/v1/kubeopen-tunnel-shell?url=REAL_URL`, asked for without any
// credential. Why that URL:
// - it is on the API server's origin, so after `history.replaceState` to the real URL the page
//   has the origin, cookies and relative URLs it would have had through the proxy;
// - every API server answers it with a small, healthy JSON document (401, 403 or 404 `Status`,
//   depending on anonymous access): content scripts run in it, unlike in a browser error page;
//   nothing else in the API lives there, and it is outside every proxy path;
// - it is under `/api/v1/`, where the page-world script is already registered
//   (bg/content.js), so `fetch`, XHR and WebSocket URLs the app builds at run time stay in the
//   prefix after the document is replaced (document.open keeps the window and its globals);
// - the real URL rides in the query, so the background knows what to fetch from the request
//   alone (a restarted service worker included); it is not a secret.
// Its Content-Type is set to text/html by a response-header rule, so the shell is an HTML
// document from the start in both browsers. Measured (Chromium 156, Firefox ESR 153): without
// it Chromium still writes over its JSON text view, but Firefox shows its JSON viewer, a
// privileged document the page world cannot replace (Firefox's delivery, which streams the page
// in as the shell's body, also sets the type in its own listener).
//
// Priorities against the binding's rules (crates/kubeopen/src/rules.rs): the redirect must beat
// the `allow` of real proxy paths (2, and `allow` wins ties); the shell's `allow` must beat the
// catch-all redirect into the prefix (1); the response-header rule must be above that `allow`.
import { ext } from "../messages.js";

/** The shell's path under the server's base. */
export const SHELL_PATH = "/api/v1/kubeopen-tunnel-shell";
/** What precedes the real URL in the shell's address. */
const URL_PARAM = "?url=";
/** How many rules a tunnelled binding adds. */
export const TUNNEL_RULES = 3;

/** @param {string} text */
function escapeRegex(text) {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/**
 * The shell's address on `server` without the real URL: `SERVER/api/v1/kubeopen-tunnel-shell?url=`.
 * @param {string} server the binding's server (a base URL, maybe with a path)
 */
export function shellBase(server) {
  return `${server.replace(/\/+$/, "")}${SHELL_PATH}${URL_PARAM}`;
}

/**
 * The real URL a shell address stands for (fragment included: the browser keeps a navigation's
 * fragment across the redirect), or undefined if `url` is not a shell address.
 * @param {string} url
 */
export function realUrlOf(url) {
  const at = url.indexOf(`${SHELL_PATH}${URL_PARAM}`);
  if (at === -1) return undefined;
  const rest = url.slice(at + SHELL_PATH.length + URL_PARAM.length);
  return /^https?:\/\//.test(rest) ? rest : undefined;
}

/**
 * The tunnel rules of a binding, with ids `firstId`, `firstId + 1`, `firstId + 2`.
 * @param {{ tabId: number, server: string, prefix: string }} binding
 * @param {number} firstId
 * @returns {chrome.declarativeNetRequest.Rule[]}
 */
export function tunnelRules(binding, firstId) {
  const shell = shellBase(binding.server);
  const frames = /** @type {any} */ (["main_frame", "sub_frame"]);
  const get = /** @type {any} */ (["get"]);
  const tabIds = [binding.tabId];
  const shellCondition = {
    regexFilter: `^${escapeRegex(shell)}`,
    isUrlFilterCaseSensitive: true,
    resourceTypes: frames,
    tabIds,
  };
  return [
    {
      // The app's HTML navigations (GET only: a form POST is not replayed) → the shell.
      id: firstId,
      priority: 4,
      action: { type: /** @type {any} */ ("redirect"), redirect: { regexSubstitution: `${shell}\\1` } },
      condition: {
        regexFilter: `^(${escapeRegex(binding.prefix)}(?:[/?].*)?)$`,
        isUrlFilterCaseSensitive: true,
        resourceTypes: frames,
        requestMethods: get,
        tabIds,
      },
    },
    {
      // The shell goes to the API server as it is, without the token.
      id: firstId + 1,
      priority: 4,
      action: { type: /** @type {any} */ ("allow") },
      condition: shellCondition,
    },
    {
      id: firstId + 2,
      priority: 5,
      action: {
        type: /** @type {any} */ ("modifyHeaders"),
        responseHeaders: [{ header: "content-type", operation: /** @type {any} */ ("set"), value: "text/html; charset=utf-8" }],
      },
      condition: shellCondition,
    },
  ];
}

/** The extension page that explains a failure and switches tunnel mode. */
export const TUNNEL_PAGE = "tunnel.html";

/** @param {string} url */
export function isTunnelPage(url) {
  return url.startsWith(ext.runtime.getURL(TUNNEL_PAGE));
}
