// Node ESM consumer of the packed package: prints one JSON line the test checks. The sandbox's URL
// and token come from the environment.
import { parseSegment, formatSegment, version, KubeopenError } from "kubeopen";
import { Cluster } from "kubeopen/cluster";

let code = null;
try {
  parseSegment("ftp:web:21");
} catch (e) {
  code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}
const server = process.env.KUBEOPEN_SERVER ?? "";
const services = (await new Cluster({ server, token: process.env.KUBEOPEN_TOKEN }).listServices("demo")).items.map((s) => s.metadata.name).sort();
let clusterCode = null;
try {
  await new Cluster({ server, token: "not-a-token" }).version();
} catch (e) {
  clusterCode = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}
console.log(
  JSON.stringify({ seg: parseSegment("https:grafana:3000"), joined: formatSegment({ name: "web", port: 80 }), version: version(), code, services, clusterCode }),
);
