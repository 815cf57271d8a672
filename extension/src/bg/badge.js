// @ts-check
// The toolbar button says, per tab, whether the tab is bound and to what: a badge, and a title
// naming the target and the server. Firefox resets per-tab badges when the tab navigates, so the
// bindings part calls `showBinding` again after every navigation that keeps the binding.
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

/**
 * Shows (or clears, for `undefined`) the binding of a tab on the toolbar button.
 * @param {number} tabId @param {Binding | undefined} binding
 */
export async function showBinding(tabId, binding) {
  const action = ext.action;
  try {
    if (!binding) {
      await action.setBadgeText({ tabId, text: "" });
      await action.setTitle({ tabId, title: "kubeopen" });
      return;
    }
    await action.setBadgeBackgroundColor({ tabId, color: BADGE_COLOR });
    await action.setBadgeText({ tabId, text: BADGE_TEXT });
    await action.setTitle({
      tabId,
      title: `kubeopen: this tab shows ${describeTarget(binding.target)} on ${binding.server}. Open the popup to unbind it.`,
    });
  } catch {
    // The tab closed meanwhile: nothing left to show.
  }
}
