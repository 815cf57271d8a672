// Node CommonJS consumer of the packed package (require of the ESM entry, Node >= 20.19).
const { parseSegment, formatSegment, version, KubeopenError } = require("kubeopen");

let code = null;
try {
  parseSegment("ftp:web:21");
} catch (e) {
  code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
}
console.log(JSON.stringify({ seg: parseSegment("https:grafana:3000"), joined: formatSegment({ name: "web", port: 80 }), version: version(), code }));
