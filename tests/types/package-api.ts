// Compiled with `strict` (tsconfig.json) against the package's generated .d.ts: a consumer's view.
// A type error here fails `make test`; the @ts-expect-error lines prove the types are not `any`.
import {
  parseSegment,
  formatSegment,
  version,
  proxyUrl,
  parseProxyUrl,
  resolveAddress,
  rewriteUrl,
  HtmlRewriter,
  browserRules,
  KubeopenError,
  type BrowserRule,
  type Segment,
  type Target,
  type ProxyUrlParts,
} from "kubeopen";
import init, { parseSegment as parseManual } from "kubeopen/manual";

const seg: Segment = parseSegment("https:grafana:3000");
const scheme: "" | "http" | "https" = seg.scheme;
const joined: string = formatSegment({ scheme, name: seg.name, port: 3000 });
const v: string = version();

// @ts-expect-error: the port is a string, not a number
const wrong: number = seg.port;
// @ts-expect-error: only "", "http" and "https" are schemes
formatSegment({ scheme: "ftp", name: "web" });
// @ts-expect-error: the name is required
formatSegment({ port: 80 });

function describe(e: unknown): string {
  if (!(e instanceof KubeopenError)) return String(e);
  const err = e;
  switch (err.code) {
    case "InvalidSegment":
    case "InvalidTarget":
    case "InvalidServer":
    case "InvalidAddress":
    case "InvalidContext":
    case "InvalidRules":
    case "InvalidArgument":
      return err.message;
    default: {
      const never: never = err.code;
      return never;
    }
  }
}

async function manual(): Promise<Segment> {
  await init();
  return parseManual("web");
}

const grafana: Target = { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 };
const url: string = proxyUrl("https://k8s.example", grafana, "d/x", { var: ["a", "b"], orgId: "1" });
const parts: ProxyUrlParts | null = parseProxyUrl(url);
const ns: string | undefined = parts?.target.kind === "node" ? undefined : parts?.target.namespace;
const resolvedPort: string = resolveAddress("grafana.monitoring:3000").target.port;
// @ts-expect-error: a node has no namespace
const badNode: Target = { kind: "node", namespace: "x", name: "n" };
// @ts-expect-error: services need a namespace
const badService: Target = { kind: "service", name: "web" };

const rewritten: string = rewriteUrl("/static/app.js", { server: "https://k8s.example", target: grafana });
const streamed: Uint8Array = new HtmlRewriter({ server: "https://k8s.example", target: grafana }).write(new Uint8Array());
const rules: BrowserRule[] = browserRules({ server: "https://k8s.example", target: grafana, tabId: 1, firstRuleId: 1 });
// @ts-expect-error: firstRuleId is required
browserRules({ server: "https://k8s.example", target: grafana, tabId: 1 });

export { rewritten, streamed, rules, joined, v, wrong, describe, manual, ns, resolvedPort, badNode, badService };
