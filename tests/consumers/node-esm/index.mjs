// Node ESM consumer of the packed package: prints one JSON line the test checks.
import { parseSegment, formatSegment, version, KubeopenError } from "kubeopen";

let code = null;
try {
  parseSegment("ftp:web:21");
} catch (e) {
  code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}
console.log(JSON.stringify({ seg: parseSegment("https:grafana:3000"), joined: formatSegment({ name: "web", port: 80 }), version: version(), code }));
