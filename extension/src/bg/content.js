// @ts-check
// The content scripts' side in the background: registers the isolated-world link fixer and the
// page-world script for the known clusters' servers, and answers the link fixer with the core.
// Content scripts only ever get URLs and a yes/no "this tab is bound" back: never a credential.
import { rewriteSrcset, rewriteUrl } from "kubeopen/manual";
import { MessageType, ext } from "../messages.js";
import { bindingForTab } from "./bindings.js";
import { getCluster, listClusters } from "./clusters.js";
import { onClustersChanged } from "./store.js";
import { startFirefoxFilter } from "./firefox-filter.js";

/** The registration id (fixed: re-registering replaces it). */
const PAGE_SCRIPT = "kubeopen-page";
/** Registered by earlier versions; removed if still there. */
const ISOLATED_SCRIPT = "kubeopen-isolated";
/** The isolated-world link fixer, injected once a frame has loaded (see injectLinkFixer). */
const LINK_FIXER = "content/isolated.js";
/** A frame whose load never completes (a hanging image) gets the link fixer this long after its commit. */
const LINK_FIXER_FALLBACK_MS = 3000;
/** At most this many values per request, each at most this long: a page cannot make us work unboundedly. */
const MAX_VALUES = 1000;
const MAX_VALUE_LENGTH = 16 * 1024;

/**
 * @typedef {import("../messages.js").ContentConfigResponse} ContentConfigResponse
 * @typedef {import("../messages.js").RewriteUrlsResponse} RewriteUrlsResponse
 * @typedef {import("../messages.js").Binding} Binding
 */

/**
 * The match pattern covering a server's proxy paths: `SCHEME://HOST/BASE/api/v1/*`. Without a
 * port, because patterns with ports are not portable (Firefox refuses them); the scripts check
 * with the background whether their tab is bound anyway.
 * @param {string} server
 */
export function matchPatternFor(server) {
  try {
    const url = new URL(server);
    if (url.protocol !== "http:" && url.protocol !== "https:") return undefined;
    return `${url.protocol}//${url.hostname}${url.pathname.replace(/\/+$/, "")}/api/v1/*`;
  } catch {
    return undefined;
  }
}

/**
 * The binding of the sender's tab, if the sender's frame is on the bound server.
 * @param {chrome.runtime.MessageSender} sender
 */
async function senderBinding(sender) {
  const tabId = sender.tab?.id;
  if (tabId === undefined || tabId < 0 || typeof sender.url !== "string") return undefined;
  const binding = await bindingForTab(tabId);
  if (!binding) return undefined;
  const origin = (/** @type {string} */ u) => {
    try {
      return new URL(u).origin;
    } catch {
      return "";
    }
  };
  return origin(sender.url) === origin(binding.server) ? binding : undefined;
}

/** @param {Binding} binding */
async function clusterDomainOf(binding) {
  return (await getCluster(binding.clusterId))?.clusterDomain || "cluster.local";
}

/**
 * @param {unknown} list
 * @returns {string[] | undefined}
 */
function strings(list) {
  if (!Array.isArray(list) || list.length > MAX_VALUES) return undefined;
  return list.every((v) => typeof v === "string" && v.length <= MAX_VALUE_LENGTH) ? list : undefined;
}

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const contentHandlers = {
  /** Is the sender's tab bound, and what is its cluster's DNS domain? @returns {Promise<ContentConfigResponse>} */
  [MessageType.ContentConfig]: async (_msg, sender) => {
    const binding = await senderBinding(sender);
    if (!binding) return { ok: true, bound: false };
    return { ok: true, bound: true, clusterDomain: await clusterDomainOf(binding) };
  },
  /** The link fixer's batch, rewritten by the core for the sender's tab. @returns {Promise<RewriteUrlsResponse>} */
  [MessageType.RewriteUrls]: async (msg, sender) => {
    const urls = strings(msg.urls);
    const srcsets = strings(msg.srcsets ?? []);
    if (!urls || !srcsets) return { ok: false, error: { code: "InvalidArgument", message: "urls and srcsets: arrays of strings" } };
    const binding = await senderBinding(sender);
    if (!binding) return { ok: false, error: { code: "NotBound", message: "this tab is not bound" } };
    // The page URL the script saw (after pushState), if it is on the sender's origin.
    const page =
      typeof msg.page === "string" && sender.url && new URL(msg.page).origin === new URL(sender.url).origin
        ? msg.page
        : sender.url;
    const ctx = { server: binding.server, target: binding.target, page, clusterDomain: await clusterDomainOf(binding) };
    const safely = (/** @type {(v: string) => string} */ f) => (/** @type {string} */ v) => {
      try {
        return f(v);
      } catch {
        return v;
      }
    };
    return {
      ok: true,
      urls: urls.map(safely((u) => rewriteUrl(u, ctx))),
      srcsets: srcsets.map(safely((s) => rewriteSrcset(s, ctx))),
    };
  },
};

/**
 * Registers the page-world script for every known cluster's server, or removes it when there is
 * none. Dynamic registration, because the servers are the person's.
 */
async function syncRegistration() {
  const scripting = ext.scripting;
  if (!scripting?.registerContentScripts) return;
  const matches = [...new Set((await listClusters()).map((c) => matchPatternFor(c.server)).filter((m) => m !== undefined))]
    .map(String)
    .sort();
  const existing = await scripting.getRegisteredContentScripts({ ids: [PAGE_SCRIPT, ISOLATED_SCRIPT] });
  const same =
    existing.length === 1 &&
    existing[0].id === PAGE_SCRIPT &&
    JSON.stringify([...(existing[0].matches ?? [])].sort()) === JSON.stringify(matches);
  if (same) return;
  if (existing.length > 0) await scripting.unregisterContentScripts({ ids: existing.map((s) => s.id) });
  if (matches.length === 0) return;
  /** @type {chrome.scripting.RegisteredContentScript[]} */
  const scripts = [
    {
      id: PAGE_SCRIPT,
      // One file in the build: src/content/page-rewrite.js, then src/content/page.js (build.mjs).
      js: ["content/page.js"],
      matches,
      runAt: "document_start",
      world: "MAIN",
      allFrames: true,
      persistAcrossSessions: false,
    },
  ];
  await scripting.registerContentScripts(scripts);
}

/**
 * Whether `url` is inside the API paths of a known cluster's server: the frames the page-world
 * script is registered for (matchPatternFor), which the link fixer joins.
 * @param {string} url
 */
async function onKnownServer(url) {
  let u;
  try {
    u = new URL(url);
  } catch {
    return false;
  }
  for (const c of await listClusters()) {
    let s;
    try {
      s = new URL(c.server);
    } catch {
      continue;
    }
    const base = s.pathname.replace(/\/+$/, "");
    if (u.protocol === s.protocol && u.hostname === s.hostname && u.pathname.startsWith(`${base}/api/v1/`)) return true;
  }
  return false;
}

/**
 * Injects the isolated-world link fixer into a frame of a known cluster's server once the frame
 * has loaded. Not a registered content script: injecting one creates an isolated world with the
 * extension's bindings and then messages the background, all before the page's load event
 * (document_start: before the parser even starts; document_idle: just before `load`). That was
 * most of a bound tab's extra load time (tests/bench/extension.bench.mjs), and nothing it does
 * is needed earlier: the network rules bring every load into the prefix, the page-world script
 * keeps the page's own URLs there, and the fixer scans the whole document when it starts. It
 * asks whether its tab is bound itself (and tells the page-world script); a second injection
 * into the same document does nothing.
 * @param {{ tabId: number, frameId: number, url: string }} details
 */
async function injectLinkFixer({ tabId, frameId, url }) {
  if (tabId < 0 || !(await onKnownServer(url))) return;
  try {
    await ext.scripting.executeScript({ target: { tabId, frameIds: [frameId] }, files: [LINK_FIXER] });
  } catch {
    // The frame went away or navigated meanwhile: its next load brings the fixer.
  }
}

/**
 * Listens for loaded frames (synchronously, at start-up: a restarted service worker only gets
 * events for listeners added in its first turn). A frame whose load never completes (a hanging
 * image) still gets the fixer, a little later, if it still shows that document. The fallback is
 * timed from the commit, which navigation.js listens to anyway: a DOMContentLoaded listener was
 * one more event for the worker and the browser's UI thread during every load.
 */
function startLinkFixer() {
  const nav = ext.webNavigation;
  if (!nav?.onCompleted) return;
  const filter = { url: [{ pathContains: "/api/v1/" }] };
  /** Frames committed whose load has not completed yet: `tabId:frameId` → fallback timer. */
  const loading = new Map();
  const settle = (/** @type {string} */ key) => {
    clearTimeout(loading.get(key));
    loading.delete(key);
  };
  nav.onCompleted.addListener((details) => {
    settle(`${details.tabId}:${details.frameId}`);
    void injectLinkFixer(details);
  }, filter);
  nav.onCommitted.addListener((details) => {
    const key = `${details.tabId}:${details.frameId}`;
    settle(key);
    const timer = setTimeout(async () => {
      loading.delete(key);
      const frame = await nav.getFrame({ tabId: details.tabId, frameId: details.frameId }).catch(() => null);
      if (frame?.url === details.url) await injectLinkFixer(details);
    }, LINK_FIXER_FALLBACK_MS);
    loading.set(key, timer);
  }, filter);
}

/** @type {Promise<void>} */
let registering = Promise.resolve();

/** Runs registrations one after the other (cluster changes can come in bursts). */
function queueRegistration() {
  registering = registering.then(syncRegistration).catch((e) => {
    console.warn("kubeopen: content scripts not registered:", e?.message ?? e);
  });
  return registering;
}

/** @param {Promise<void>} ready resolves when the wasm core is loaded */
export function startContent(ready) {
  onClustersChanged(() => void queueRegistration());
  queueRegistration();
  startLinkFixer();
  startFirefoxFilter(ready, bindingForTab, clusterDomainOf);
}
