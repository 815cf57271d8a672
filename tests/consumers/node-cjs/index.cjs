// Node CommonJS consumer of the packed package (require of the ESM entries, Node >= 20.19). The
// sandbox's URL and token come from the environment.
const { parseSegment, formatSegment, version, KubeopenError } = require("kubeopen");
const { Cluster } = require("kubeopen/cluster");

async function main() {
  let code = null;
  try {
    parseSegment("ftp:web:21");
  } catch (e) {
    code = e instanceof KubeopenError ? e.code : "not a KubeopenError";
  }
  const server = process.env.KUBEOPEN_SERVER ?? "";
  const list = await new Cluster({ server, token: process.env.KUBEOPEN_TOKEN }).listServices("demo");
  const services = list.items.map((s) => s.metadata.name).sort();
  let clusterCode = null;
  try {
    await new Cluster({ server, token: "not-a-token" }).version();
  } catch (e) {
    clusterCode = e instanceof KubeopenError ? e.code : "not a KubeopenError";
  }
  console.log(
    JSON.stringify({ seg: parseSegment("https:grafana:3000"), joined: formatSegment({ name: "web", port: 80 }), version: version(), code, services, clusterCode }),
  );
}

main().catch((e) => {
  console.error(e);
  process.exitCode = 1;
});
