// The same little app for every browser consumer (Vite, webpack, plain ESM): writes its result
// into <pre id="result"> as JSON for the test to read.
import { parseSegment, formatSegment, version, KubeopenError } from "kubeopen";
import { Cluster } from "kubeopen/cluster";

let code = null;
try {
  parseSegment("ftp:web:21");
} catch (e) {
  code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}

// The sandbox API server the test started (it allows this page's origin with
// --cors-allowed-origins). The test hands its URL and token to the page in a global, never in a URL.
const { server, token } = globalThis.kubeopenSandbox;
const services = (await new Cluster({ server, token }).listServices("demo")).items.map((s) => s.metadata.name).sort();
let clusterCode = null;
try {
  await new Cluster({ server, token: "not-a-token" }).version();
} catch (e) {
  // One error class for every entry: "kubeopen"'s KubeopenError is the one "kubeopen/cluster" throws.
  clusterCode = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}

// A tunnel: `tunnelFetch` through the pod's portforward WebSocket, to the demo cluster's identity app.
const answer = await (await new Cluster({ server, token }).tunnelFetch({ namespace: "demo", name: "identity", port: "http" }, "/api/data")).json();
const tunnelled = { items: answer.items, authorization: answer.authorization };

const result = {
  seg: parseSegment("https:grafana:3000"),
  joined: formatSegment({ name: "web", port: 80 }),
  version: version(),
  code,
  services,
  clusterCode,
  tunnelled,
};
document.getElementById("result").textContent = JSON.stringify(result);
