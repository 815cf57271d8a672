// @ts-check
// The rules that send a top-level navigation the extension should take over to open.html, which
// binds the tab and goes on to the proxy URL (bg/navigation.js). Both kinds hold no secret and are
// derived from the clusters alone, so they are dynamic rules (they survive a browser restart and
// catch a restored tab before the background has even started) rebuilt whenever clusters change.
//
// 1. In-cluster URLs typed with a scheme: `http://grafana.monitoring.svc:3000/x`,
//    `https://web.demo.svc.cluster.local/`. Chrome sends them to the network layer (a bare
//    `grafana.monitoring.svc` is a search, landscape §4), where this redirect runs before any DNS
//    lookup. The core resolves the address; this rule only recognises the host's shape.
// 2. Proxy URLs of a known cluster opened by any means (pasted, a bookmark, a dashboard's link, a
//    restored tab) in a tab that is not bound to them: without a binding that request would get a
//    401, and a binding made while it is in flight comes too late. Redirecting it to open.html
//    makes the first request of the app the one that already carries the token. The regex is the
//    core's own "real proxy path on S" (rule +1 of `browserRules`). Priority 2 ties with a bound
//    tab's `allow` rule (+1), and `allow` wins a tie over `redirect` (Chrome and Firefox), so a
//    bound tab's own navigations are never bounced through open.html; its `modifyHeaders` rule
//    (priority 3) still applies.
import { browserRules } from "kubeopen/manual";
import { ext } from "../messages.js";
import { listClusters } from "./clusters.js";

/** The page that finishes opening: `?url=` + the URL that was asked for (raw), or `?input=` + what was typed (encoded). */
export const OPEN_PAGE = "open.html";

/** Dynamic rule ids 1…OPEN_RULE_LIMIT belong to this module. */
const IN_CLUSTER_RULE_ID = 1;
const FIRST_SERVER_RULE_ID = 2;
const OPEN_RULE_LIMIT = 999;

/**
 * The RE2 regex of every real proxy path on `server`, from the core.
 * @param {string} server
 */
export function proxyPathsRegex(server) {
  const [, allowProxyPaths] = browserRules({
    server,
    target: { kind: "node", name: "placeholder" }, // rule +1 does not depend on the target
    tabId: 1,
    firstRuleId: 1,
  });
  return allowProxyPaths.condition.regexFilter;
}

/** @param {string} text */
function escapeRegex(text) {
  return text.replace(/[\\^$.*+?()[\]{}|]/g, "\\$&");
}

/**
 * @param {{ server: string, clusterDomain: string }[]} clusters
 * @returns {chrome.declarativeNetRequest.Rule[]}
 */
export function openRules(clusters) {
  const page = ext.runtime.getURL(OPEN_PAGE);
  const domains = [...new Set(["cluster.local", ...clusters.map((c) => c.clusterDomain).filter(Boolean)])];
  const suffixes = domains.map((d) => `\\.${escapeRegex(d.toLowerCase())}`).join("|");
  // A server that is itself an in-cluster name (a browser inside the cluster) is left to rule 2.
  const serverHosts = clusters.map((c) => new URL(c.server).hostname).filter((h) => /\.svc(\.|$)/.test(h));
  /** @type {chrome.declarativeNetRequest.Rule[]} */
  const rules = [
    {
      id: IN_CLUSTER_RULE_ID,
      priority: 1,
      action: { type: /** @type {any} */ ("redirect"), redirect: { regexSubstitution: `${page}?url=\\1` } },
      condition: {
        regexFilter: `^(https?://[a-z0-9-]+(?:\\.[a-z0-9-]+)*\\.svc(?:${suffixes})?(?::[0-9]+)?(?:[/?].*)?)$`,
        resourceTypes: /** @type {any} */ (["main_frame"]),
        requestMethods: /** @type {any} */ (["get"]),
        ...(serverHosts.length ? { excludedRequestDomains: serverHosts } : {}),
      },
    },
  ];
  const servers = [...new Set(clusters.map((c) => c.server))];
  servers.slice(0, OPEN_RULE_LIMIT - FIRST_SERVER_RULE_ID + 1).forEach((server, i) => {
    // The core's pattern is anchored with ^ and ends at the prefix; capture the whole URL.
    const inner = proxyPathsRegex(server).replace(/^\^/, "");
    rules.push({
      id: FIRST_SERVER_RULE_ID + i,
      priority: 2,
      action: { type: /** @type {any} */ ("redirect"), redirect: { regexSubstitution: `${page}?url=\\1` } },
      condition: {
        regexFilter: `^(${inner}.*)$`,
        isUrlFilterCaseSensitive: true,
        resourceTypes: /** @type {any} */ (["main_frame"]),
        // Only GET: a form posting to a proxy URL from elsewhere is not replayed with the token.
        requestMethods: /** @type {any} */ (["get"]),
      },
    });
  });
  return rules;
}

// Two rebuilds at once (start-up and a cluster change) would both remove the same old ids and
// add the same new ones: one at a time.
/** @type {Promise<unknown>} */
let queue = Promise.resolve();

/**
 * Installs the open rules for the clusters as they are now, replacing what was installed before.
 * @returns {Promise<void>}
 */
export function installOpenRules() {
  const run = queue.then(async () => {
    const addRules = openRules(await listClusters());
    const installed = await ext.declarativeNetRequest.getDynamicRules();
    const removeRuleIds = installed.filter((r) => r.id <= OPEN_RULE_LIMIT).map((r) => r.id);
    await ext.declarativeNetRequest.updateDynamicRules({ removeRuleIds, addRules });
  });
  queue = run.catch(() => undefined);
  return run;
}
