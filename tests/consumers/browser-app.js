// The same little app for every browser consumer (Vite, webpack, plain ESM): writes its result
// into <pre id="result"> as JSON for the test to read.
import { parseSegment, formatSegment, version, KubeopenError } from "kubeopen";

let code = null;
try {
  parseSegment("ftp:web:21");
} catch (e) {
  code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}
const result = { seg: parseSegment("https:grafana:3000"), joined: formatSegment({ name: "web", port: 80 }), version: version(), code };
document.getElementById("result").textContent = JSON.stringify(result);
