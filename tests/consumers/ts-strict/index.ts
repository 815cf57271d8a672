// TypeScript, strict, against the packed package's own .d.ts; compiled, then run under Node
// against the sandbox (its URL and token come from the environment). Prints one JSON line.
import { parseSegment, formatSegment, KubeopenError, type Segment, type KubeopenErrorCode } from "kubeopen";
import { Cluster, type ServiceList } from "kubeopen/cluster";
import init from "kubeopen/manual";

// Node's `process`, declared here: the consumer compiles without @types/node.
declare const process: { env: Record<string, string | undefined> };

// Type-checked only: "kubeopen/manual" is for service workers (its init fetches the wasm).
export async function run(): Promise<string> {
  await init();
  return parseSegment("web:80").port;
}

const seg: Segment = parseSegment("web:80");
let code: KubeopenErrorCode | null = null;
try {
  formatSegment({ name: "" });
} catch (e) {
  if (e instanceof KubeopenError) code = e.code;
}

const server: string = process.env.KUBEOPEN_SERVER ?? "";
const list: ServiceList = await new Cluster({ server, token: process.env.KUBEOPEN_TOKEN }).listServices("demo");
const services: string[] = list.items.map((s) => s.metadata.name).sort();
let clusterCode: KubeopenErrorCode | null = null;
try {
  await new Cluster({ server, token: "not-a-token" }).version();
} catch (e) {
  if (e instanceof KubeopenError) clusterCode = e.code;
}
console.log(JSON.stringify({ port: seg.port, code, services, clusterCode }));
