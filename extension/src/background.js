// @ts-check
// The background (Chrome: service worker; Firefox: event page): wiring only. It loads the wasm
// once, starts its parts (clusters, bindings, content scripts) and routes page messages to them.
// Service workers forbid top-level await, hence the explicit init.
import init, { parseSegment, version } from "kubeopen/manual";
import { MessageType, ext } from "./messages.js";
import { bindingHandlers, startBindings } from "./bg/bindings.js";
import { clusterHandlers, startClusters } from "./bg/clusters.js";
import { contentHandlers, startContent } from "./bg/content.js";
import { startTunnelMode, tunnelHandlers } from "./bg/tunnel-mode.js";

const ready = init();
// Listeners must be registered synchronously at start-up (a restarted service worker only
// receives events for listeners added in its first turn); their work waits for `ready`.
startClusters(ready);
startBindings(ready);
startContent(ready);
startTunnelMode(ready);

/**
 * @param {string} id
 * @returns {import("./messages.js").ParseSegmentResponse}
 */
function parse(id) {
  try {
    const { scheme, name, port } = parseSegment(id);
    return { ok: true, segment: { scheme, name, port } };
  } catch (e) {
    const err = /** @type {{ code?: string, message?: string }} */ (e);
    return { ok: false, error: { code: err.code ?? "Internal", message: String(err.message ?? e) } };
  }
}

/**
 * Every message a page may send, by type. A handler gets the message and its sender and
 * returns the answer (or a promise of it).
 * @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>}
 */
const handlers = {
  [MessageType.ParseSegment]: (msg) => (typeof msg.id === "string" ? parse(msg.id) : undefined),
  [MessageType.Status]: () => ({ ok: true, core: "ready", version: version() }),
  ...clusterHandlers,
  ...bindingHandlers,
  ...contentHandlers,
  ...tunnelHandlers,
};

ext.runtime.onMessage.addListener((msg, sender, sendResponse) => {
  const handle = typeof msg?.type === "string" ? handlers[msg.type] : undefined;
  if (!handle) return false;
  ready
    .then(() => handle(msg, sender))
    .then(
      (answer) => sendResponse(answer),
      (/** @type {any} */ e) =>
        sendResponse({ ok: false, error: { code: e?.code ?? "Internal", message: String(e?.message ?? e) } }),
    );
  return true; // the answer comes asynchronously
});
