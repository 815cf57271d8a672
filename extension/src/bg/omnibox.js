// @ts-check
// The `k8s` address-bar keyword: `k8s grafana.monitoring:3000/d/abc`, `k8s svc/monitoring/grafana`,
// `k8s http://grafana.monitoring.svc:3000/`, or pick one of the default cluster's services as you
// type. Suggestions come from the clusters part's cached service list, matched and ranked by the
// core (`suggestEndpoints`: crates/kubeopen/src/suggest.rs), each a proxy URL that keeps the path
// typed after the address. What is entered goes to open.html (`?input=`), the same page that
// finishes in-cluster and proxy URLs: it asks the background to resolve (the core), bind the tab
// and go on, and shows what went wrong otherwise.
import { suggestEndpoints } from "kubeopen/manual";
import { ext, isFirefox } from "../messages.js";
import { defaultCluster, openableEndpointsFor } from "./clusters.js";
import { OPEN_PAGE } from "./open-rules.js";

const MAX_SUGGESTIONS = 8;
// Chrome reads suggestion descriptions as XML (for <match>/<dim>/<url>) and rejects a malformed
// one; Firefox shows them as they are. Only Chrome needs (and must get) the markup.
const XML_DESCRIPTIONS = !isFirefox;

/** The default suggestion repeats what was typed: escaped for Chrome like the core's descriptions. @param {string} text */
function forDescription(text) {
  return XML_DESCRIPTIONS ? text.replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;") : text;
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
        const found = suggestEndpoints(text, endpoints, {
          namespace: cluster.namespace,
          clusterDomain: cluster.clusterDomain,
          limit: MAX_SUGGESTIONS,
          markup: XML_DESCRIPTIONS ? "omnibox" : "text",
        });
        // A suggestion's content is its proxy URL (with the typed path): open.html resolves it
        // back exactly.
        suggest(found.map((s) => ({ content: s.url, description: s.description })));
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
