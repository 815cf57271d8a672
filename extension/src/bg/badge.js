// @ts-check
// The toolbar button says, per tab, whether the tab is bound and to what: a badge, and a title
// naming the target and the server. Chromium and Firefox both reset a tab's badge and title when
// the tab navigates to another document, so the bindings part calls `shownAfterNavigation` after
// every navigation that keeps the binding. Each call is work for the service worker and for the
// browser's UI thread, the thread every request of the page passes through, so: the badge colour
// is set once for all tabs (only bound tabs have a badge), a tab's button is only sent what it
// does not show yet, and after a navigation it is shown again once the page has loaded (or after
// BADGE_LATEST_MS, for a page whose load never completes), not while it loads.
import { formatSegment } from "kubeopen/manual";
import { ext } from "../messages.js";

/** @typedef {import("../messages.js").Binding} Binding */

const BADGE_TEXT = "k8s";
/** A committed page whose load has not completed by then gets its badge all the same. */
const BADGE_LATEST_MS = 3000;
const BADGE_COLOR = "#326ce5"; // Kubernetes blue

/**
 * `service monitoring/grafana:3000`, `node node-1:10250`.
 * @param {Binding["target"]} target
 */
export function describeTarget(target) {
  const segment = formatSegment({ scheme: target.scheme, name: target.name, port: target.port });
  return target.kind === "node" ? `node ${segment}` : `${target.kind} ${target.namespace}/${segment}`;
}

/** What each tab's button shows now, as a key (its title says everything shown): tab → title. */
const shown = new Map();

/**
 * Tabs whose button is shown again once their page has loaded: tab → binding and fallback timer.
 * @type {Map<number, { binding: Binding, timer: ReturnType<typeof setTimeout> }>}
 */
const afterLoad = new Map();
/**
 * When each tab's main frame last finished loading (webNavigation's timeStamp): a small page may
 * load before the background has decided that its commit kept the binding.
 * @type {Map<number, number>}
 */
const loadedAt = new Map();

/**
 * Sets what every tab's button shares (the badge colour) and listens for loaded pages. Once per
 * start of the background, synchronously (a restarted service worker only gets events for
 * listeners added in its first turn).
 */
export function startBadge() {
  ext.action.setBadgeBackgroundColor({ color: BADGE_COLOR }).catch(() => undefined);
  ext.tabs.onRemoved.addListener((tabId) => {
    loadedAt.delete(tabId);
    stopWaiting(tabId);
  });
  ext.webNavigation.onCompleted.addListener(
    (details) => {
      if (details.frameId !== 0) return;
      loadedAt.set(details.tabId, details.timeStamp);
      showAfterLoad(details.tabId);
    },
    // Bound tabs show proxy URLs: only those loads can be waited for.
    { url: [{ pathContains: "/api/v1/" }] },
  );
}

/**
 * Forgets what tab `tabId` waited to show after its load; returns it.
 * @param {number} tabId
 */
function stopWaiting(tabId) {
  const waiting = afterLoad.get(tabId);
  clearTimeout(waiting?.timer);
  afterLoad.delete(tabId);
  return waiting?.binding;
}

/** @param {number} tabId */
function showAfterLoad(tabId) {
  const binding = afterLoad.get(tabId)?.binding;
  if (binding) void showBinding(tabId, binding);
}

/**
 * Shows (or clears, for `undefined`) the binding of a tab on the toolbar button, unless the
 * button shows it already.
 * @param {number} tabId @param {Binding | undefined} binding
 */
export async function showBinding(tabId, binding) {
  const action = ext.action;
  stopWaiting(tabId); // what is shown now supersedes what waited for the load
  const title = binding
    ? `kubeopen: this tab shows ${describeTarget(binding.target)} on ${binding.server}. Open the popup to unbind it.`
    : "kubeopen";
  if (shown.get(tabId) === title) return;
  // Remembered before the calls: a second call meanwhile (a rebuild racing a navigation) asks for
  // the same state and need not send it again.
  if (binding) shown.set(tabId, title);
  else shown.delete(tabId); // nothing to remember for a tab that may be closing
  try {
    await action.setBadgeText({ tabId, text: binding ? BADGE_TEXT : "" });
    await action.setTitle({ tabId, title });
  } catch {
    // The tab closed meanwhile: nothing left to show.
    shown.delete(tabId);
  }
}

/**
 * A navigation of a bound tab committed (at `committedAt`, webNavigation's timeStamp) and kept its
 * binding: the browser has reset the button, which shows the binding again once the page has
 * loaded — at once if it already has.
 * @param {number} tabId @param {Binding} binding @param {number} committedAt
 */
export function shownAfterNavigation(tabId, binding, committedAt) {
  shown.delete(tabId);
  stopWaiting(tabId);
  afterLoad.set(tabId, { binding, timer: setTimeout(() => showAfterLoad(tabId), BADGE_LATEST_MS) });
  if ((loadedAt.get(tabId) ?? -Infinity) >= committedAt) showAfterLoad(tabId);
}
