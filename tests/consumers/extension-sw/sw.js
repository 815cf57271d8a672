// An MV3 service worker using the packed package the only way it can: service workers forbid
// top-level await, so "kubeopen/manual" with an explicit `await init()` (no bundler: the package's
// files are copied into the extension, as an extension must ship them). The test reads
// `self.kubeopenResult`.
import init, {
  parseSegment,
  proxyUrl,
  resolveAddress,
  rewriteHtml,
  browserRules,
  version,
  KubeopenError,
  resolveContext,
  Cluster,
} from "./node_modules/kubeopen/dist/manual.js";

const server = "https://10.0.0.1:6443";
const kubeconfig = `apiVersion: v1
kind: Config
clusters: [{name: c, cluster: {server: "https://10.0.0.1:6443"}}]
users: [{name: u, user: {client-certificate-data: Y2VydA==, client-key-data: a2V5}}]
contexts: [{name: x, context: {cluster: c, user: u, namespace: monitoring}}]
current-context: x
`;

async function exercise() {
  await init();
  await init(); // a second call is harmless (the same promise)
  // The cluster module, initialised by the same init(): a context whose credential a browser cannot use.
  const context = resolveContext(kubeconfig);
  let code = null;
  try {
    parseSegment("ftp:web:21");
  } catch (e) {
    code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
  }
  const { target, path } = resolveAddress("grafana.monitoring.svc:3000/d/abc");
  const rules = browserRules({ server, target, tabId: 7, token: "sw-test-token", firstRuleId: 100 });
  // The rules as Chromium itself takes them: an invalid rule makes updateSessionRules reject.
  await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: rules.map((r) => r.id), addRules: rules });
  const installed = await chrome.declarativeNetRequest.getSessionRules();
  return {
    seg: parseSegment("https:grafana:3000"),
    url: proxyUrl(server, target, path),
    html: rewriteHtml('<script src="/public/app.js"></script>', { server, target }),
    ruleIds: installed.map((r) => r.id).sort((a, b) => a - b),
    version: version(),
    code,
    context: { server: context.server, namespace: context.namespace, unsupported: context.unsupported.length > 0 },
  };
}

self.kubeopenResult = exercise();

/**
 * A `Cluster` call from the worker, as an extension makes it: its host permissions let it reach the
 * API server without CORS. The test calls this with the sandbox's URL and token.
 * @param {string} apiServer @param {string} token
 */
self.listServices = async (apiServer, token) => {
  await init();
  const list = await new Cluster({ server: apiServer, token }).listServices("demo");
  return list.items.map((s) => s.metadata.name).sort();
};
