// @ts-check
// Firefox's delivery of a tunnelled page (design note §4.1 (d) applied to the shell): the
// shell's own response body is replaced as it streams (`webRequest.filterResponseData`) by the
// page fetched through the tunnel, so Firefox's real parser reads the page from the network
// stream — no document.write, whose quirks (and the add-on linter's warnings) this avoids. The
// real URL is put back first: once the shell has committed (before any of its body is let
// through), a MAIN-world `history.replaceState` runs, so the page's relative URLs resolve against
// its real address. The build puts this file in place of tunnel-deliver.js for Firefox only;
// Chromium has no filterResponseData.
import { ext } from "../messages.js";
import { realUrlOf } from "./tunnel-rules.js";

/**
 * @typedef {import("./tunnel.js").Delivery} Delivery
 * @typedef {import("./tunnel.js").Pages} Pages
 * @typedef {{ ondata: ((e: { data: ArrayBuffer }) => void) | null, onstop: (() => void) | null,
 *   onerror: (() => void) | null, write: (data: ArrayBuffer | Uint8Array) => void, close: () => void }} StreamFilter
 */

/** How long a shell's body is held for its commit before the page is written all the same. */
const COMMIT_WAIT_MS = 5_000;

/**
 * Runs in the shell's MAIN world (no closure): the real URL back, or where a redirect goes.
 * @param {string} shell @param {string} url @param {boolean} redirect
 */
function moveTo(shell, url, redirect) {
  if (location.href.split("#")[0] !== shell) return false;
  if (redirect) location.replace(url);
  else history.replaceState(null, "", url);
  return true;
}

/**
 * Registers the listeners (synchronously, at start-up: an event page only gets events for
 * listeners added in its first turn).
 * @param {Promise<void>} ready @param {Pages} pages @param {(what: string, e: unknown) => void} report
 */
export function startDelivery(ready, pages, report) {
  const webRequest = /** @type {any} */ (ext).webRequest;
  /** Shell commits by `tabId:frameId:shell`, resolved when webNavigation reports them. */
  /** @type {Map<string, { committed: Promise<void>, resolve: () => void, at: number }>} */
  const commits = new Map();
  /** @param {string} key */
  const commitOf = (key) => {
    let entry = commits.get(key);
    if (!entry) {
      /** @type {() => void} */
      let resolve = () => undefined;
      const committed = new Promise((r) => (resolve = () => r(undefined)));
      entry = { committed, resolve, at: Date.now() };
      const now = Date.now();
      for (const [k, e] of commits) if (now - e.at > 60_000) commits.delete(k);
      commits.set(key, entry);
    }
    return entry;
  };
  const keyOf = (/** @type {{ tabId: number, frameId: number, url: string }} */ d) => `${d.tabId}:${d.frameId}:${d.url.split("#")[0]}`;

  ext.webNavigation.onCommitted.addListener(
    (details) => commitOf(keyOf(details)).resolve(),
    { url: [{ queryPrefix: "url=", pathContains: "/api/v1/kubeopen-tunnel-shell" }] },
  );

  /**
   * Writes the page into the shell once it has committed and the page has arrived.
   * @param {{ tabId: number, frameId: number, url: string }} details @param {StreamFilter} filter
   */
  const deliver = async (details, filter) => {
    const key = keyOf(details);
    try {
      await ready;
      const page = await pages.toWrite(details);
      if (!page) return;
      const { delivery } = page;
      await Promise.race([commitOf(key).committed, new Promise((r) => setTimeout(r, COMMIT_WAIT_MS))]);
      const target = { tabId: details.tabId, frameIds: [details.frameId] };
      const to = delivery.kind === "redirect" ? delivery.location : page.realUrl;
      await ext.scripting.executeScript({
        target,
        world: /** @type {chrome.scripting.ExecutionWorld} */ ("MAIN"),
        injectImmediately: true,
        func: moveTo,
        args: [page.shell, to, delivery.kind === "redirect"],
      });
      if (delivery.kind === "html") filter.write(new TextEncoder().encode(delivery.html));
    } catch (e) {
      report("deliver", e);
    } finally {
      commits.delete(key);
      filter.close();
    }
  };

  webRequest.onHeadersReceived.addListener(
    (/** @type {{ requestId: string, tabId: number, frameId: number, url: string, responseHeaders?: { name: string, value?: string }[] }} */ details) => {
      if (details.tabId < 0 || realUrlOf(details.url) === undefined) return {};
      /** @type {StreamFilter} */
      const filter = webRequest.filterResponseData(details.requestId);
      filter.ondata = () => undefined; // the shell's own body (an API Status) is dropped
      filter.onstop = () => undefined; // held open until the page is written
      void deliver(details, filter);
      // The page is HTML in UTF-8 (it was decoded to text); the length is the page's, not the shell's.
      const responseHeaders = (details.responseHeaders ?? [])
        .filter((h) => !["content-type", "content-length"].includes(h.name.toLowerCase()))
        .concat([{ name: "Content-Type", value: "text/html; charset=utf-8" }]);
      return { responseHeaders };
    },
    { urls: ["http://*/*", "https://*/*"], types: ["main_frame", "sub_frame"] },
    ["blocking", "responseHeaders"],
  );
}
