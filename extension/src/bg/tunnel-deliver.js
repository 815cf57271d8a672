// @ts-check
// Chromium's delivery of a tunnelled page (design note §4.1 (b)): once the shell has committed,
// a MAIN-world function puts the real URL back (`history.replaceState`) and writes the page
// (`document.open(); document.write(html); document.close()`): the page's scripts run in order
// and DOMContentLoaded and load fire again. Chromium has no API to give a navigation a body of
// the extension's (short of `chrome.debugger`, with its infobar). Firefox's build replaces this
// file with tunnel-deliver.firefox.js. The shell is JSON served as text/html (tunnel-rules.js);
// Chromium would write over its JSON text view as well, measured.
import { ext } from "../messages.js";

/**
 * @typedef {import("./tunnel.js").Delivery} Delivery
 * @typedef {import("./tunnel.js").Pages} Pages
 */

/**
 * Runs in the shell's MAIN world (serialised by `executeScript`: no closure). Only if the frame
 * still shows the shell it was meant for; returns whether it wrote.
 * @param {string} shell the shell address, without fragment @param {Delivery} delivery @param {string} realUrl
 */
function writeShell(shell, delivery, realUrl) {
  if (location.href.split("#")[0] !== shell) return false;
  if (delivery.kind === "redirect") {
    location.replace(delivery.location);
    return true;
  }
  if (delivery.kind !== "html") return false;
  history.replaceState(null, "", realUrl);
  document.open();
  document.write(delivery.html);
  document.close();
  return true;
}

/**
 * @param {{ tabId: number, frameId: number, url: string, documentId?: string }} details
 * @param {Pages} pages
 */
async function shellCommitted(details, pages) {
  const page = await pages.toWrite(details);
  if (!page) return;
  const { delivery } = page;
  try {
    await ext.scripting.executeScript({
      // The exact document: nothing is written into whatever replaced the shell meanwhile.
      target: details.documentId
        ? { tabId: details.tabId, documentIds: [details.documentId] }
        : { tabId: details.tabId, frameIds: [details.frameId] },
      world: /** @type {chrome.scripting.ExecutionWorld} */ ("MAIN"),
      injectImmediately: true,
      func: writeShell,
      args: [page.shell, delivery, page.realUrl],
    });
  } catch (e) {
    // The frame navigated away meanwhile: its next shell brings its own page.
    console.warn("kubeopen tunnel: could not write the page:", e instanceof Error ? e.message : e);
  }
}

/**
 * Registers the listener (synchronously, at start-up).
 * @param {Promise<void>} ready @param {Pages} pages @param {(what: string, e: unknown) => void} report
 */
export function startDelivery(ready, pages, report) {
  ext.webNavigation.onCommitted.addListener(
    (details) => {
      ready.then(() => shellCommitted(details, pages)).catch((e) => report("commit", e));
    },
    { url: [{ queryPrefix: "url=", pathContains: "/api/v1/kubeopen-tunnel-shell" }] },
  );
}
