// @ts-check
// The `k8s` address-bar keyword: `k8s grafana.monitoring:3000/d/abc`, `k8s svc/monitoring/grafana`,
// `k8s http://grafana.monitoring.svc:3000/`, or pick one of the default cluster's services as you
// type. Suggestions come from the clusters part's cached service list. What is entered goes to
// open.html (`?input=`), the same page that finishes in-cluster and proxy URLs: it asks the
// background to resolve (the core), bind the tab and go on, and shows what went wrong otherwise.
import { ext } from "../messages.js";
import { defaultCluster, openableEndpointsFor } from "./clusters.js";
import { OPEN_PAGE } from "./open-rules.js";

/** @typedef {import("../messages.js").EndpointView} EndpointView */

const MAX_SUGGESTIONS = 8;
// Chrome reads suggestion descriptions as XML (for <match>/<dim>/<url>); Firefox shows them as
// they are. Only Chrome needs (and must get) the escaping.
const XML_DESCRIPTIONS = typeof (/** @type {any} */ (globalThis).browser) === "undefined";

/** @param {string} text */
function forDescription(text) {
  return XML_DESCRIPTIONS ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : text;
}

/**
 * The endpoints matching every word typed (in namespace, name, port name or number, scheme),
 * best first: a name that starts with the first word before one that only contains it.
 * @param {string} text @param {EndpointView[]} endpoints
 * @returns {EndpointView[]}
 */
export function matchEndpoints(text, endpoints) {
  const words = text.toLowerCase().split(/[\s/:.]+/).filter(Boolean);
  const haystack = (/** @type {EndpointView} */ e) =>
    `${e.namespace}/${e.name}:${e.portName ?? ""}:${e.port} ${e.scheme}`.toLowerCase();
  const hits = endpoints.filter((e) => words.every((w) => haystack(e).includes(w)));
  const first = words[0] ?? "";
  const rank = (/** @type {EndpointView} */ e) => (e.name.startsWith(first) ? 0 : 1);
  return hits.sort((a, b) => rank(a) - rank(b)).slice(0, MAX_SUGGESTIONS);
}

/** @param {EndpointView} e */
function describe(e) {
  const port = e.portName ? `${e.portName} (${e.port})` : String(e.port);
  return `${e.namespace}/${e.name} port ${port} — ${e.scheme}`;
}

/**
 * @param {(what: string, e: unknown) => void} report
 * @param {Promise<void>} ready
 */
export function startOmnibox(ready, report) {
  const omnibox = ext.omnibox;
  if (!omnibox) return; // a build without the keyword
  omnibox.onInputStarted.addListener(() => {
    // Warm the service list so the first suggestions come quickly.
    ready
      .then(defaultCluster)
      .then((c) => c && openableEndpointsFor(c.id))
      .catch(() => undefined);
  });
  omnibox.onInputChanged.addListener((text, suggest) => {
    ready
      .then(async () => {
        const cluster = await defaultCluster();
        if (!cluster) {
          omnibox.setDefaultSuggestion({ description: "kubeopen: add a cluster in the extension's options first" });
          suggest([]);
          return;
        }
        omnibox.setDefaultSuggestion({ description: forDescription(`Open ${text || "…"} in ${cluster.name}`) });
        const endpoints = await openableEndpointsFor(cluster.id).catch(() => []);
        // A suggestion's content is the proxy URL: the core resolves it back exactly.
        suggest(matchEndpoints(text, endpoints).map((e) => ({ content: e.url, description: forDescription(describe(e)) })));
      })
      .catch((e) => report("omnibox suggestions", e));
  });
  omnibox.onInputEntered.addListener((text, disposition) => {
    const url = `${ext.runtime.getURL(OPEN_PAGE)}?${new URLSearchParams({ input: text })}`;
    const opened =
      disposition === "currentTab"
        ? ext.tabs.update({ url })
        : ext.tabs.create({ url, active: disposition === "newForegroundTab" });
    opened.catch((e) => report("omnibox", e));
  });
}
