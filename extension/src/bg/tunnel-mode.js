// @ts-check
// Tunnel mode's face to the background and the extension's pages: the messages of the
// explanation page (tunnel.html) and the popup — what the tab's app is, whether it is in tunnel
// mode, the `kubectl port-forward` alternative, switching the mode — and the start of its parts:
//   transport-check.js  notices a page the API server's HTML transport lost, shows tunnel.html,
//   tunnel-prefs.js     which apps are in tunnel mode (storage.local, no credentials),
//   tunnel-rules.js     the tab's rules sending its HTML navigations to the shell,
//   tunnel.js           fetching a page through the tunnel and writing it into the shell.
import { MessageType, ext } from "../messages.js";
import { bindingForTab, reconcile } from "./binding-state.js";
import { getCluster } from "./clusters.js";
import { isTunnelled, setTunnelled } from "./tunnel-prefs.js";
import { startTransportCheck } from "./transport-check.js";
import { startTunnel } from "./tunnel.js";

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {import("../messages.js").TunnelInfoResponse} TunnelInfoResponse
 */

/** @param {chrome.runtime.MessageSender} sender */
function fromExtensionPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(ext.runtime.getURL(""));
}

/**
 * The tab a message is about: `msg.tabId` (the popup) or the sender's own tab (tunnel.html).
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 */
function tabOf(msg, sender) {
  if (!fromExtensionPage(sender)) throw Object.assign(new Error("tunnel messages are for the extension's own pages"), { code: "Forbidden" });
  const tabId = msg.tabId ?? sender.tab?.id;
  if (!Number.isInteger(tabId) || tabId < 0) throw Object.assign(new Error("a tab id is needed"), { code: "InvalidArgument" });
  return /** @type {number} */ (tabId);
}

/**
 * What a person runs instead, on their own machine: `kubectl port-forward` to the same target.
 * @param {Binding["target"]} target
 */
export function kubectlCommand(target) {
  if (target.kind === "node") return null;
  const what = target.kind === "service" ? "svc" : "pod";
  return `kubectl port-forward ${what}/${target.name} -n ${target.namespace} 8080:${target.port || "80"}`;
}

/** @param {unknown} e */
function failure(e) {
  const err = /** @type {{ code?: unknown, message?: unknown }} */ (e ?? {});
  return { ok: false, error: { code: typeof err.code === "string" ? err.code : "Internal", message: String(err.message ?? e) } };
}

/**
 * `kubeopen:tunnelInfo` {tabId?} → the tab's app, whether it is in tunnel mode, and the kubectl
 * alternative. Never a credential.
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<TunnelInfoResponse>}
 */
async function tunnelInfo(msg, sender) {
  try {
    const binding = await bindingForTab(tabOf(msg, sender));
    if (!binding) return { ok: true, app: null };
    const cluster = await getCluster(binding.clusterId);
    return {
      ok: true,
      app: {
        target: binding.target,
        prefix: binding.prefix,
        cluster: cluster?.name ?? binding.server,
        tunnel: await isTunnelled({ clusterId: binding.clusterId, target: binding.target }),
        kubectl: kubectlCommand(binding.target),
        basicAuth: cluster?.credentials !== null && cluster?.credentials !== undefined && !("token" in cluster.credentials),
      },
    };
  } catch (e) {
    return /** @type {TunnelInfoResponse} */ (failure(e));
  }
}

/**
 * `kubeopen:setTunnel` {tabId?, on} → tunnel mode on or off for the tab's app (every tab showing
 * it gets or loses the rules at once).
 * @param {any} msg @param {chrome.runtime.MessageSender} sender
 * @returns {Promise<TunnelInfoResponse>}
 */
async function setTunnel(msg, sender) {
  try {
    if (typeof msg.on !== "boolean") throw Object.assign(new Error("on must be true or false"), { code: "InvalidArgument" });
    const binding = await bindingForTab(tabOf(msg, sender));
    if (!binding) throw Object.assign(new Error("this tab shows no app"), { code: "NotBound" });
    await setTunnelled({ clusterId: binding.clusterId, target: binding.target }, msg.on);
    await reconcile();
    return tunnelInfo(msg, sender);
  } catch (e) {
    return /** @type {TunnelInfoResponse} */ (failure(e));
  }
}

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const tunnelHandlers = {
  [MessageType.TunnelInfo]: tunnelInfo,
  [MessageType.SetTunnel]: setTunnel,
};

/** @param {Promise<void>} ready resolves when the wasm core is loaded */
export function startTunnelMode(ready) {
  startTransportCheck(ready);
  startTunnel(ready);
}
