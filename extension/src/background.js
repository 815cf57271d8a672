// @ts-check
// The background (Chrome: service worker; Firefox: event page). Loads the wasm once and answers
// the pages' messages. Service workers forbid top-level await, hence the explicit init.
import init, { parseSegment, version } from "kubeopen/manual";
import { MessageType, ext } from "./messages.js";

const ready = init();

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
 * The answer to one page message, or `undefined` for messages that are not ours.
 * @param {any} msg
 * @returns {(() => import("./messages.js").ParseSegmentResponse | import("./messages.js").StatusResponse) | undefined}
 */
function handler(msg) {
  switch (msg?.type) {
    case MessageType.ParseSegment:
      return typeof msg.id === "string" ? () => parse(msg.id) : undefined;
    case MessageType.Status:
      return () => ({ ok: true, core: "ready", version: version() });
    default:
      return undefined;
  }
}

ext.runtime.onMessage.addListener((msg, _sender, sendResponse) => {
  const answer = handler(msg);
  if (!answer) return false;
  ready.then(
    () => sendResponse(answer()),
    (/** @type {unknown} */ e) => sendResponse({ ok: false, error: { code: "WasmLoadFailed", message: String(e) } }),
  );
  return true; // the answer comes asynchronously
});
