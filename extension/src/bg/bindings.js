// @ts-check
// Bindings: "tab T shows target X on server S", and the network rules that make it work. This is
// the bindings part's face to the background and the other parts; the work is in
//   binding-state.js  the bindings (storage.session, no credentials) and their session rules,
//   open-rules.js     the rules that send proxy and in-cluster URLs to open.html,
//   navigation.js     opening targets; what a bound tab's navigations and new tabs mean,
//   omnibox.js        the `k8s` keyword,  badge.js  the toolbar badge and title.
import { MessageType, ext } from "../messages.js";
import { onClustersChanged } from "./store.js";
import { BindingError, allBindings, bindingForTab, onBindingChanged, reconcile, unbindTab } from "./binding-state.js";
import { installOpenRules } from "./open-rules.js";
import { openInTab, openTarget, startNavigation } from "./navigation.js";
import { startOmnibox } from "./omnibox.js";
import { showBinding, shownAfterNavigation, startBadge } from "./badge.js";

export { bindingForTab, openTarget };

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {import("../messages.js").OpenResponse} OpenResponse
 * @typedef {import("../messages.js").BindingResponse} BindingResponse
 */

/** @param {chrome.runtime.MessageSender} sender */
function fromExtensionPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(ext.runtime.getURL(""));
}

/** @param {unknown} e @returns {{ ok: false, error: { code: string, message: string } }} */
function failure(e) {
  const err = /** @type {{ code?: unknown, message?: unknown }} */ (e ?? {});
  return {
    ok: false,
    error: { code: typeof err.code === "string" ? err.code : "Internal", message: String(err.message ?? e) },
  };
}

/** @param {unknown} value @param {string} what */
function tabIdOf(value, what) {
  if (!Number.isInteger(value) || /** @type {number} */ (value) < 0) {
    throw new BindingError("InvalidArgument", `${what} must be a tab id`);
  }
  return /** @type {number} */ (value);
}

/** @param {string} what @param {unknown} e */
function report(what, e) {
  // No request data in the log: messages from the core name the input, never a credential.
  console.warn(`kubeopen bindings (${what}):`, e instanceof Error ? e.message : e);
}

/**
 * `kubeopen:open` {clusterId, target, path?, tabId?} from the extension's pages.
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<OpenResponse>}
 */
async function open(msg, sender) {
  try {
    if (!fromExtensionPage(sender)) throw new BindingError("Forbidden", "kubeopen:open is for the extension's own pages");
    if (typeof msg.clusterId !== "string") throw new BindingError("InvalidArgument", "clusterId must be a string");
    if (msg.path !== undefined && typeof msg.path !== "string") throw new BindingError("InvalidArgument", "path must be a string");
    const tabId = msg.tabId === undefined ? undefined : tabIdOf(msg.tabId, "tabId");
    const { binding, url } = await openTarget({ clusterId: msg.clusterId, target: msg.target, path: msg.path, tabId });
    return { ok: true, binding, url };
  } catch (e) {
    return failure(e);
  }
}

/**
 * `kubeopen:openHere` {input, clusterId?} from open.html: bind the page's own tab.
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<OpenResponse>}
 */
async function openHere(msg, sender) {
  try {
    const tabId = sender.tab?.id;
    if (!fromExtensionPage(sender) || tabId === undefined) {
      throw new BindingError("Forbidden", "kubeopen:openHere is for the extension's open page in a tab");
    }
    if (typeof msg.input !== "string") throw new BindingError("InvalidArgument", "input must be a string");
    if (msg.clusterId !== undefined && typeof msg.clusterId !== "string") {
      throw new BindingError("InvalidArgument", "clusterId must be a string");
    }
    const { binding, url } = await openInTab(msg.input, tabId, msg.clusterId);
    return { ok: true, binding, url };
  } catch (e) {
    return failure(e);
  }
}

/**
 * `kubeopen:binding` {tabId?}: the binding of a tab (pages name it; a content script gets its
 * own tab's). A binding holds no credential.
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<BindingResponse>}
 */
async function binding(msg, sender) {
  try {
    const own = sender.tab?.id;
    const tabId = fromExtensionPage(sender) && msg.tabId !== undefined ? tabIdOf(msg.tabId, "tabId") : own;
    if (tabId === undefined) throw new BindingError("InvalidArgument", "tabId is needed outside a tab");
    return { ok: true, binding: (await bindingForTab(tabId)) ?? null };
  } catch (e) {
    return failure(e);
  }
}

/**
 * `kubeopen:unbind` {tabId}: the tab's rules go; the page stays as it is (its next request to the
 * server goes without the token).
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<BindingResponse>}
 */
async function unbind(msg, sender) {
  try {
    if (!fromExtensionPage(sender)) throw new BindingError("Forbidden", "kubeopen:unbind is for the extension's own pages");
    return { ok: true, binding: (await unbindTab(tabIdOf(msg.tabId, "tabId"))) ?? null };
  } catch (e) {
    return failure(e);
  }
}

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const bindingHandlers = {
  [MessageType.Open]: open,
  [MessageType.OpenHere]: openHere,
  [MessageType.Binding]: binding,
  [MessageType.Unbind]: unbind,
};

/** When the rules of restored bindings were last rebuilt, in ms since this worker started. */
let restoredAt = -1;

/** Rebuilds everything derived (open rules, binding rules, badges) from the stored state. */
async function rebuild() {
  await Promise.all([installOpenRules(), reconcile()]);
  for (const b of await allBindings()) showBinding(b.tabId, b);
}

/**
 * Registers every listener synchronously, then rebuilds the derived state once the core is
 * loaded, and again whenever clusters change (a new token, a removed cluster, a new server).
 * @param {Promise<void>} ready resolves when the wasm core is loaded
 */
export function startBindings(ready) {
  startBadge();
  onBindingChanged((tabId, b) => void showBinding(tabId, b));
  startNavigation(ready, shownAfterNavigation, report);
  startOmnibox(ready, report);
  onClustersChanged(() => {
    ready.then(rebuild).catch((e) => report("clusters changed", e));
  });
  ext.runtime.onStartup.addListener(() => {
    // Only here so the background starts with the browser: the rebuild below runs on any start.
  });
  ready
    .then(rebuild)
    .then(() => {
      restoredAt = performance.now();
    })
    .catch((e) => report("start", e));
}

/**
 * How long this worker took from its start to having restored the rules of stored bindings, in
 * ms (-1 until done). The benchmark reads it through the worker's global.
 */
export function rulesRestoredAfter() {
  return restoredAt;
}
/** @type {any} */ (globalThis).kubeopenRulesRestoredAfter = rulesRestoredAfter;
