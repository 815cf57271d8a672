// @ts-check
// Opening targets in tabs, and what a bound tab's navigations mean for its binding.
//
// Leaving: a bound tab's redirect rule pulls every request to the server's origin back into the
// prefix, so a committed main-frame URL outside the prefix can only be (a) another target's real
// proxy URL (rule +1 lets those through, without the token), (b) another origin, or (c) a
// non-web page (new tab page, about:, an extension page). (a) is the person (or the app) opening
// another app of a known cluster: the tab is rebound to it and reloaded, since that first request
// went without the token. (b) and (c) are leaving: the binding and its rules go. Back into the
// app later is a proxy URL opened in an unbound tab, which open-rules.js binds again. (A page of
// the server's origin outside every proxy path only commits when its request left before the
// tab's rules existed, e.g. a tab that is inheriting: that is not leaving.)
//
// Only GET navigations bind or rebind. A form POST (from another site, or from a bound app to
// another target) that lands on a proxy URL went without the token and got 401; binding the tab
// then — or reloading it after a rebind — would resubmit that POST *with* the token: a CSRF on
// whatever the token may `create`. So a non-GET commit never binds, never reloads, and leaves
// the target it was bound to (SECURITY.md, tests/e2e/security.test.mjs).
import { parseProxyUrl, proxyUrl, resolveAddress } from "kubeopen/manual";
import { ext } from "../messages.js";
import { clusterForServer, defaultCluster, getCluster } from "./clusters.js";
import { BindingError, bindTab, bindingForTab, sameTarget, unbindTab } from "./binding-state.js";
import { OPEN_PAGE } from "./open-rules.js";
import { isTunnelPage } from "./tunnel-rules.js";

/**
 * @typedef {import("../messages.js").Binding} Binding
 * @typedef {import("../messages.js").ClusterRecord} ClusterRecord
 * @typedef {import("kubeopen/manual").Target} Target
 */

/**
 * The address of open.html finishing `url` with cluster `clusterId`.
 * @param {string} url @param {string} clusterId
 */
function openPageFor(url, clusterId) {
  return `${ext.runtime.getURL(OPEN_PAGE)}?${new URLSearchParams({ input: url, cluster: clusterId })}`;
}

/**
 * Opens `target` of cluster `clusterId` (at `path`, which may carry `?query` and `#fragment`) in
 * tab `tabId` or a new tab, bound before its first request. A new tab starts at open.html, which
 * goes on once the binding made here is in place (a new tab's first navigation cannot be
 * replaced reliably while the browser is still creating it).
 * @param {{ clusterId: string, target: Target, path?: string, tabId?: number, active?: boolean }} request
 * @returns {Promise<{ binding: Binding, url: string }>}
 */
export async function openTarget({ clusterId, target, path, tabId, active = true }) {
  const cluster = await getCluster(clusterId);
  if (!cluster) throw new BindingError("NotFound", `no cluster with id ${JSON.stringify(clusterId)}`);
  const url = proxyUrl(cluster.server, target, path ?? ""); // throws InvalidTarget before a tab opens
  if (tabId !== undefined) {
    const binding = await bindTab(tabId, cluster, target);
    await ext.tabs.update(tabId, { url });
    return { binding, url };
  }
  const tab = await ext.tabs.create({ url: openPageFor(url, cluster.id), active });
  if (tab.id === undefined) throw new BindingError("Internal", "the browser gave the new tab no id");
  return { binding: await bindTab(tab.id, cluster, target), url };
}

/**
 * `path?query#fragment` of a resolved address, as `proxyUrl` takes it.
 * @param {{ path: string, query: string | null, fragment: string | null }} r
 */
function pathOf(r) {
  return r.path + (r.query === null ? "" : `?${r.query}`) + (r.fragment === null ? "" : `#${r.fragment}`);
}

/**
 * What a person typed or opened — `grafana.monitoring:3000/d/x`, `svc/monitoring/grafana`,
 * `http://grafana.monitoring.svc:3000/`, a full proxy URL — resolved by the core against a
 * cluster (the given one, the one whose server a proxy URL names, else the default).
 * @param {string} input @param {string} [clusterId]
 * @returns {Promise<{ cluster: ClusterRecord, target: Target, path: string }>}
 */
export async function resolveInput(input, clusterId) {
  const chosen = clusterId === undefined ? await defaultCluster() : await getCluster(clusterId);
  const resolved = resolveAddress(input.trim(), chosen ? { namespace: chosen.namespace, clusterDomain: chosen.clusterDomain } : {});
  if (resolved.server !== null) {
    const cluster = await clusterForServer(resolved.server);
    if (!cluster) {
      throw new BindingError("UnknownCluster", `no cluster added for ${resolved.server}: add it in kubeopen's options first`);
    }
    return { cluster, target: resolved.target, path: pathOf(resolved) };
  }
  if (!chosen) throw new BindingError("NoCluster", "no cluster added yet: add one in kubeopen's options first");
  return { cluster: chosen, target: resolved.target, path: pathOf(resolved) };
}

/**
 * open.html's question: bind its tab for `input` (a proxy URL or an in-cluster URL the open rules
 * redirected, or what was typed after `k8s`) with cluster `clusterId` (default: the one whose
 * server a proxy URL names, else the default cluster) and say where to go. For a proxy URL the
 * answer is that URL, byte for byte.
 * @param {string} input @param {number} tabId @param {string} [clusterId]
 * @returns {Promise<{ binding: Binding, url: string }>}
 */
export async function openInTab(input, tabId, clusterId) {
  const url = input.trim();
  const parsed = parseProxyUrl(url);
  if (parsed) {
    const chosen = clusterId === undefined ? undefined : await getCluster(clusterId);
    const cluster = chosen?.server === parsed.server ? chosen : await clusterForServer(parsed.server);
    if (!cluster) throw new BindingError("UnknownCluster", `no cluster added for ${parsed.server}: add it in kubeopen's options first`);
    const binding = await bindTab(tabId, cluster, parsed.target);
    return { binding, url };
  }
  const resolved = await resolveInput(input, clusterId);
  const { cluster, path } = resolved;
  // An in-cluster URL without a port (browsers drop `:80`) already has its scheme's default port
  // from the core (crates/kubeopen/src/address.rs).
  const binding = await bindTab(tabId, cluster, resolved.target);
  return { binding, url: proxyUrl(cluster.server, resolved.target, path) };
}

/**
 * Pages a bound tab passes through without leaving its app: open.html, and tunnel.html (the
 * explanation of a page the API server lost, whose "Open in tunnel mode" goes back to the app).
 * @param {string} url
 */
function isTransient(url) {
  return url === "about:blank" || url.startsWith(ext.runtime.getURL(OPEN_PAGE)) || isTunnelPage(url);
}

/**
 * Each tab's latest main-frame request (webNavigation does not say the method): tab → request.
 * In memory only: a navigation's request and its commit happen within one service-worker life.
 * @type {Map<number, { url: string, method: string }>}
 */
const mainFrameRequests = new Map();

/**
 * The method of the main-frame request `url` of tab `tabId`, if it is the tab's latest and has
 * not committed (a request that failed, for transport-check.js).
 * @param {number} tabId @param {string} url
 */
export function pendingMainFrameMethod(tabId, url) {
  const request = mainFrameRequests.get(tabId);
  return request && request.url === withoutFragment(url) ? request.method : undefined;
}

/** @param {string} url */
function withoutFragment(url) {
  const hash = url.indexOf("#");
  return hash === -1 ? url : url.slice(0, hash);
}

/**
 * Did this commit come from a form submission or another non-GET request? Script-submitted forms
 * are not always `form_submit` transitions, hence the request's method as well.
 * @param {{ tabId: number, url: string, transitionType?: string }} details
 */
function notAGet({ tabId, url, transitionType }) {
  const request = mainFrameRequests.get(tabId);
  mainFrameRequests.delete(tabId);
  if (transitionType === "form_submit") return true;
  return request !== undefined && request.method !== "GET" && request.url === withoutFragment(url);
}

/**
 * A main-frame navigation committed in a tab: keep, move or drop its binding (see the top).
 * @param {{ tabId: number, frameId: number, url: string, transitionType?: string, timeStamp: number }} details
 * @param {(tabId: number, binding: Binding, committedAt: number) => void} stillBound called when the
 *   tab stays bound, with the commit's time (webNavigation's timeStamp)
 */
async function committed(details, stillBound) {
  const { tabId, frameId, url } = details;
  if (frameId !== 0) return;
  const posted = notAGet(details);
  const binding = await bindingForTab(tabId);
  if (isTransient(url)) return;
  const parsed = parseProxyUrl(url);
  if (posted) {
    // The app's own forms stay inside its prefix; anything else is leaving, without a rebind.
    if (binding && parsed && sameTarget(binding, parsed.server, parsed.target)) stillBound(tabId, binding, details.timeStamp);
    else if (binding && !(!parsed && sameOrigin(url, binding.server))) await unbindTab(tabId);
    return;
  }
  if (!binding) {
    // Back into an app from another site may restore the page from the back/forward cache,
    // with no request the open rules could catch: bind the tab to it all the same.
    const cluster = parsed && (await clusterForServer(parsed.server));
    if (parsed && cluster) await bindTab(tabId, cluster, parsed.target);
    return;
  }
  if (parsed && sameTarget(binding, parsed.server, parsed.target)) {
    stillBound(tabId, binding, details.timeStamp);
    return;
  }
  const cluster = parsed
    ? parsed.server === binding.server
      ? ((await getCluster(binding.clusterId)) ?? (await clusterForServer(parsed.server)))
      : await clusterForServer(parsed.server)
    : undefined;
  if (parsed && cluster) {
    await bindTab(tabId, cluster, parsed.target);
    await ext.tabs.reload(tabId);
    return;
  }
  // A page on the server's origin outside every proxy path was requested before the tab's rules
  // existed (rule +2 redirects any later one): a tab just inherited, being issued again. Staying.
  if (!parsed && sameOrigin(url, binding.server)) return;
  await unbindTab(tabId);
}

/** @param {string} a @param {string} b */
function sameOrigin(a, b) {
  try {
    return new URL(a).origin === new URL(b).origin;
  } catch {
    return false;
  }
}

/**
 * A tab opened from a bound tab (a link with target=_blank, window.open, middle click) shows the
 * same app: it inherits the binding. A proxy URL of another target is left to the open rules; a
 * URL of another origin to nobody. A root-relative URL on the server's origin (a link the page
 * script did not fix) may already have gone out without rules, so it is issued again once bound.
 * @param {{ sourceTabId: number, tabId: number, url: string }} details
 */
async function createdFromTab({ sourceTabId, tabId, url }) {
  const source = await bindingForTab(sourceTabId);
  if (!source) return;
  const cluster = await getCluster(source.clusterId);
  if (!cluster) return;
  const parsed = parseProxyUrl(url);
  if (parsed) {
    if (sameTarget(source, parsed.server, parsed.target)) await bindTab(tabId, cluster, source.target);
    return;
  }
  if (!sameOrigin(url, source.server)) return;
  await bindTab(tabId, cluster, source.target);
  const frame = await ext.webNavigation.getFrame({ tabId, frameId: 0 }).catch(() => null);
  if (frame && frame.url === url) await ext.tabs.reload(tabId);
  else await ext.tabs.update(tabId, { url });
}

/**
 * Registers the tab listeners (synchronously: a restarted service worker only gets events for
 * listeners added in its first turn).
 * @param {Promise<void>} ready
 * @param {(tabId: number, binding: Binding, committedAt: number) => void} stillBound
 * @param {(what: string, e: unknown) => void} report
 */
export function startNavigation(ready, stillBound, report) {
  ext.webRequest.onBeforeRequest.addListener(
    ({ tabId, url, method }) => {
      if (tabId >= 0) mainFrameRequests.set(tabId, { url: withoutFragment(url), method });
      return undefined; // observe only: never blocks or changes a request
    },
    // Only URLs that can be proxy URLs (with or without a base path before /api/v1/): for any other
    // URL a commit means the same whatever the method (committed() below), and every event is
    // work for the worker and the browser while a page loads.
    { urls: ["*://*/api/v1/*", "*://*/*/api/v1/*"], types: ["main_frame"] },
  );
  ext.webNavigation.onCommitted.addListener((details) => {
    ready.then(() => committed(details, stillBound)).catch((e) => report("commit", e));
  });
  ext.webNavigation.onCreatedNavigationTarget.addListener((details) => {
    ready.then(() => createdFromTab(details)).catch((e) => report("new tab", e));
  });
  ext.tabs.onRemoved.addListener((tabId) => {
    unbindTab(tabId).catch((e) => report("tab closed", e));
  });
  ext.tabs.onReplaced.addListener((added, removed) => {
    // A prerendered tab swapped in for a bound one shows the same app.
    ready
      .then(async () => {
        const old = await unbindTab(removed);
        const cluster = old && (await getCluster(old.clusterId));
        if (old && cluster) await bindTab(added, cluster, old.target);
      })
      .catch((e) => report("tab replaced", e));
  });
}
