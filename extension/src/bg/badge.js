// @ts-check
// The toolbar button says, per tab, whether the tab is bound and to what: a badge, and a title
// naming the target and the server. Chromium and Firefox both reset a tab's badge and title when
// the tab navigates to another document, so the bindings part calls `shownAfterNavigation` after
// every navigation that keeps the binding. Each call is work for the service worker and for the
// browser's UI thread while the page loads, so: the badge colour is set once for all tabs (only
// bound tabs have a badge), and a tab's button is only sent what it does not show yet.
import { formatSegment } from "kubeopen/manual";
import { ext } from "../messages.js";

/** @typedef {import("../messages.js").Binding} Binding */

const BADGE_TEXT = "k8s";
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

/** Sets what every tab's button shares: the badge colour. Once per start of the background. */
export function startBadge() {
  ext.action.setBadgeBackgroundColor({ color: BADGE_COLOR }).catch(() => undefined);
}

/**
 * Shows (or clears, for `undefined`) the binding of a tab on the toolbar button, unless the
 * button shows it already.
 * @param {number} tabId @param {Binding | undefined} binding
 */
export async function showBinding(tabId, binding) {
  const action = ext.action;
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
 * A navigation of a bound tab committed and kept its binding: the browser has reset the button.
 * @param {number} tabId @param {Binding} binding
 */
export function shownAfterNavigation(tabId, binding) {
  shown.delete(tabId);
  void showBinding(tabId, binding);
}
