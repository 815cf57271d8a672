// @ts-check
// tunnel.html: shown in a bound tab whose page the API server lost (bg/transport-check.js) or that
// tunnel mode could not fetch (bg/tunnel.js), and from the popup (`?tab=ID`) to switch tunnel mode
// for that tab's app. It explains what happened in plain words, offers tunnel mode (or turning it
// off) and the `kubectl port-forward` alternative. It never sees a credential.
import { MessageType, ext } from "./messages.js";

/** @param {string} id */
const byId = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

const params = new URLSearchParams(location.search);
/** The app's address that failed (absent when opened from the popup). */
const url = params.get("url");
const reason = params.get("reason");
/** The tab the page is about: `?tab=` from the popup, else its own (the background knows it). */
const asked = Number(params.get("tab"));
const tabId = Number.isInteger(asked) && asked > 0 ? asked : undefined;

/** @param {string} text */
function say(text) {
  byId("status").textContent = text;
}

/**
 * What went wrong, in plain words, and why.
 * @param {import("./messages.js").TunnelAppView | null} app
 */
function explain(app) {
  if (!reason) return;
  byId("failure").hidden = false;
  byId("url").textContent = url ?? "";
  const message = params.get("message") ?? "";
  const permission = params.get("permission");
  if (reason === "TransportLoss") {
    byId("headline").textContent = "The API server cannot pass this app's pages";
    byId("what").textContent = message;
    byId("why").textContent =
      "Its proxy rewrites the links in HTML pages and can only do that for pages sent plain or gzip/deflate-compressed; " +
      "this app sends its pages in another encoding, so the API server drops them. No browser setting changes that. " +
      "Tunnel mode below fetches the pages another way.";
  } else if (reason === "Forbidden") {
    byId("headline").textContent = "Tunnel mode is not allowed with these credentials";
    byId("what").textContent = permission
      ? `Your credentials for this cluster lack the permission to ${permission}, which tunnel mode needs.`
      : `The cluster refused the tunnel: ${message}`;
    byId("why").textContent =
      "Ask for that permission in the app's namespace (the built-in edit role has it), or use kubectl port-forward from your own machine.";
  } else {
    byId("headline").textContent = "Tunnel mode could not fetch this page";
    byId("what").textContent = message || reason;
    byId("why").textContent = app?.basicAuth
      ? "Tunnel mode needs a token: a browser cannot send a user name and password on a WebSocket."
      : "Try again; if it keeps failing, kubectl port-forward below reaches the app without the API server's proxy.";
  }
}

/** @param {import("./messages.js").TunnelAppView} app */
function showTunnel(app) {
  byId("tunnel").hidden = false;
  byId("app").textContent = app.target.kind === "node" ? app.target.name : `${app.target.namespace}/${app.target.name}`;
  byId("cluster").textContent = `on ${app.cluster}`;
  byId("state").textContent = app.tunnel ? "Tunnel mode is on for this app." : "Tunnel mode is off for this app.";
  const button = /** @type {HTMLButtonElement} */ (byId("switch"));
  button.textContent = app.tunnel ? "Turn tunnel mode off" : "Open in tunnel mode";
  button.onclick = async () => {
    button.disabled = true;
    /** @type {import("./messages.js").TunnelInfoResponse} */
    const answer = await ext.runtime.sendMessage({ type: MessageType.SetTunnel, tabId, on: !app.tunnel });
    button.disabled = false;
    if (!answer.ok) {
      say(answer.error.message);
      return;
    }
    if (!answer.app) return;
    if (url && tabId === undefined) {
      location.replace(url); // back to the app, now in the new mode
      return;
    }
    // Opened from the popup for another tab: that tab shows its page again, in the new mode.
    if (tabId !== undefined) await ext.tabs.reload(tabId).catch(() => undefined);
    say(answer.app.tunnel ? "Tunnel mode is on; the app's tab was reloaded." : "Tunnel mode is off; the app's tab was reloaded.");
    showTunnel(answer.app);
  };
  if (app.kubectl) {
    byId("instead").hidden = false;
    byId("kubectl").textContent = app.kubectl;
  }
}

async function main() {
  /** @type {import("./messages.js").TunnelInfoResponse} */
  const answer = await ext.runtime.sendMessage({ type: MessageType.TunnelInfo, tabId });
  if (!answer.ok) {
    say(answer.error.message);
    return;
  }
  explain(answer.app);
  if (answer.app) showTunnel(answer.app);
  else say("This tab no longer shows an app of a cluster.");
}

main().catch((e) => say(String(e?.message ?? e)));
