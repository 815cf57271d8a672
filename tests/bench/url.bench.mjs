// Issue budgets: from JavaScript under Node, proxyUrl, parseProxyUrl and resolveAddress each cost
// at most 3× one `new URL(sameString)`, measured side by side in the same run.
// Usage: node tests/bench/url.bench.mjs [--json FILE]
import { writeFileSync } from "node:fs";
import { proxyUrl, parseProxyUrl, resolveAddress } from "kubeopen";
import { compare, printTable } from "./harness.mjs";

const URL_STRING =
  "https://10.0.1.149:443/api/v1/namespaces/kube-system/services/https:kubernetes-dashboard:/proxy/#!/login?x=1";
const server = "https://10.0.1.149:443";
const target = { kind: "service", namespace: "kube-system", name: "kubernetes-dashboard", scheme: "https" };

// The same URL, produced by each function: the comparison is like for like.
if (proxyUrl(server, target, "#!/login?x=1") !== URL_STRING) throw new Error("proxyUrl does not build URL_STRING");

const results = compare({ name: "new URL(same string)", fn: () => new URL(URL_STRING) }, [
  { name: "proxyUrl", fn: () => proxyUrl(server, target, "#!/login?x=1"), budget: 3 },
  { name: "parseProxyUrl", fn: () => parseProxyUrl(URL_STRING), budget: 3 },
  { name: "resolveAddress (svc.cluster.local URL)", fn: () => resolveAddress("https://kubernetes-dashboard.kube-system.svc.cluster.local:443/#!/login"), budget: 3 },
]);
printTable("new URL(same string)", results);

const json = process.argv.indexOf("--json");
if (json > 0) writeFileSync(process.argv[json + 1], JSON.stringify({ bench: "url-js", results }, null, 2));
