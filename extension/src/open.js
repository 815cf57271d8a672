// @ts-check
// open.html: where the extension sends a navigation it takes over (bg/open-rules.js: an in-cluster
// URL, a proxy URL of a known cluster in an unbound tab; bg/omnibox.js: what was typed after
// `k8s`). It asks the background to bind this tab and then replaces itself with the proxy URL, so
// the app's first request already has its rules and open.html leaves no history entry.
import { MessageType, ext } from "./messages.js";

/**
 * What was asked for: `?url=` + a URL exactly as requested (the redirect inserts it raw; a
 * fragment never reaches the network, so the browser keeps the original one on this page), or
 * `?input=…&cluster=…`, form-encoded (typed text; a target the background opens).
 * @returns {{ input: string, clusterId?: string }}
 */
function asked() {
  const query = location.search.slice(1);
  if (query.startsWith("url=")) return { input: query.slice("url=".length) + location.hash };
  const params = new URLSearchParams(query);
  return { input: params.get("input") ?? "", clusterId: params.get("cluster") ?? undefined };
}

/** @param {string} message @param {string} [advice] */
function fail(message, advice) {
  /** @type {HTMLElement} */ (document.getElementById("status")).hidden = true;
  /** @type {HTMLElement} */ (document.getElementById("failed")).hidden = false;
  /** @type {HTMLElement} */ (document.getElementById("error")).textContent = message;
  /** @type {HTMLElement} */ (document.getElementById("advice")).textContent = advice ?? "";
  document.title = "kubeopen: could not open";
}

async function main() {
  const { input, clusterId } = asked();
  /** @type {HTMLElement} */ (document.getElementById("asked")).textContent = input;
  if (!input) {
    fail("Nothing to open.");
    return;
  }
  /** @type {import("./messages.js").OpenResponse} */
  const answer = await ext.runtime.sendMessage({ type: MessageType.OpenHere, input, clusterId });
  if (answer?.ok) location.replace(answer.url);
  else fail(answer?.error?.message ?? "The extension did not answer.", answer?.error?.advice);
}

main().catch((e) => fail(String(e?.message ?? e)));
