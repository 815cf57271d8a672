// TypeScript, strict, against the packed package's own .d.ts.
import { parseSegment, formatSegment, KubeopenError, type Segment } from "kubeopen";
import init from "kubeopen/manual";

export async function run(): Promise<string> {
  await init();
  const seg: Segment = parseSegment("web:80");
  try {
    formatSegment({ name: "" });
  } catch (e) {
    if (e instanceof KubeopenError && e.code === "InvalidSegment") return seg.port;
  }
  return "unexpected";
}
