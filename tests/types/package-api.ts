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
  rewriteSrcset,
  HtmlRewriter,
  browserRules,
  KubeopenError,
  type BrowserRule,
  type Segment,
  type Target,
  type ProxyUrlParts,
} from "kubeopen";
import init, { parseSegment as parseManual, Cluster as ManualCluster, KubeopenError as ManualError } from "kubeopen/manual";
import {
  parseKubeconfig,
  minifyKubeconfig,
  resolveContext,
  authorizationHeader,
  decodeSecretToken,
  inspectToken,
  inClusterConfig,
  clusterInfo,
  openableEndpoints,
  responseError,
  Cluster,
  KubeopenError as ClusterError,
  type Kubeconfig,
  type ResolvedContext,
  type TokenInfo,
  type ServiceList,
  type OpenableEndpoint,
  type ClusterInfoEntry,
  type VersionInfo,
  type PodList,
} from "kubeopen/cluster";

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
    case "InvalidKubeconfig":
    case "InvalidCredentials":
    case "InvalidToken":
    case "NotInCluster":
    case "Unauthorized":
    case "Forbidden":
    case "NotFound":
    case "ServiceUnavailable":
    case "HttpError":
    case "Network":
    case "Timeout":
    case "Aborted":
    case "InvalidResponse":
    case "NotInitialized":
    case "UnsupportedCredentials":
      return err.message;
    default: {
      const never: never = err.code;
      return never;
    }
  }
}

async function manual(): Promise<Segment> {
  await init({ cluster: false });
  // @ts-expect-error: `cluster` is a boolean
  await init({ cluster: "no" });
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
const basicRules: BrowserRule[] = browserRules({ server: "https://k8s.example", target: grafana, tabId: 1, username: "admin", password: "pw", firstRuleId: 1 });
// @ts-expect-error: a token or basic auth, not both
browserRules({ server: "https://k8s.example", target: grafana, tabId: 1, token: "t", username: "admin", password: "pw", firstRuleId: 1 });
const srcset: string = rewriteSrcset("/a.png 1x, /b.png 2x", { server: "https://k8s.example", target: grafana });

export { rewritten, streamed, rules, basicRules, srcset, joined, v, wrong, describe, manual, ns, resolvedPort, badNode, badService };

// ---- kubeopen/cluster ----

// One error class for every entry: a KubeopenError from one is the other's.
const sameClass: typeof KubeopenError = ClusterError;
const manualClass: typeof KubeopenError = ManualError;

const config: Kubeconfig = parseKubeconfig("current-context: a");
const current: string | undefined = config.currentContext;
const insecure: boolean = config.clusters[0].cluster.insecureSkipTlsVerify;
const groups: string[] = config.users[0].user.impersonateGroups;
const small: Kubeconfig = minifyKubeconfig(config, "a");
const resolved: ResolvedContext = resolveContext("...", "a");
const fromObject: ResolvedContext = resolveContext(config);
// credentials is null or one of the two shapes; narrowing works.
const credentialKind: string =
  resolved.credentials === null ? "none" : "token" in resolved.credentials ? resolved.credentials.token : resolved.credentials.username;
const why: string[] = resolved.unsupported.map((u) => `${u.field}: ${u.reason}; ${u.instead}`);
const header: string = authorizationHeader({ token: "t" }) + authorizationHeader({ username: "u", password: "p" });
// @ts-expect-error: basic auth needs a password
authorizationHeader({ username: "u" });
const decoded: string = decodeSecretToken("dG9r");
const token: TokenInfo = inspectToken("t", 0);
const expiry: number | undefined = token.kind === "jwt" ? token.expiresAt : undefined;
// @ts-expect-error: an opaque token has no claims
const opaqueSubject = inspectToken("t").subject;
const pod: { server: string; token: string; namespace: string } = inClusterConfig({ serviceHost: "h", servicePort: "443", token: "t" });
const list: ServiceList = { metadata: {}, items: [] };
const info: ClusterInfoEntry[] = clusterInfo(list, "https://k");
const open: OpenableEndpoint[] = openableEndpoints(list, "https://k");
const openScheme: "http" | "https" | undefined = open[0]?.scheme;

async function client(signal: AbortSignal): Promise<string> {
  const cluster = new Cluster({ server: "https://k", token: "t", timeout: 5000 });
  const basic = new Cluster({ server: "https://k", username: "u", password: "p", fetch: globalThis.fetch });
  const proxy = new ManualCluster({ server: "http://localhost:8001" });
  // @ts-expect-error: a token and basic auth together
  new Cluster({ server: "https://k", token: "t", username: "u", password: "p" });
  // @ts-expect-error: the server is required
  new Cluster({ token: "t" });
  const version: VersionInfo = await cluster.version({ signal });
  const pods: PodList = await basic.listPods("demo");
  const ports: number[] = (await cluster.listServices()).items.flatMap((s) => s.spec.ports.map((p) => p.port));
  const nodes: string[] = (await proxy.listNodes()).items.map((n) => n.metadata.name);
  const lines: string[] = (await cluster.clusterInfo({ namespace: "kube-system", signal })).map((e) => `${e.name} is running at ${e.url}`);
  const endpoints = await cluster.openableEndpoints("demo", { signal });
  const response: Response = await cluster.proxyFetch(endpoints[0].target, "/", { method: "GET", signal });
  const failure: InstanceType<typeof ClusterError> | null = await responseError(response);
  // @ts-expect-error: listPods needs a namespace
  await cluster.listPods();
  return `${version.gitVersion} ${pods.items.length} ${ports} ${nodes} ${lines} ${failure?.code} ${cluster.server}`;
}

async function tunnel(signal: AbortSignal): Promise<string> {
  const cluster = new Cluster({ server: "https://k", token: "t", WebSocket: globalThis.WebSocket });
  const page: Response = await cluster.tunnelFetch({ kind: "service", namespace: "demo", name: "identity", port: "http" }, "/", { signal });
  const pf = await cluster.portForward({ namespace: "demo", name: "identity-0" }, 8080, { signal });
  const bytes: ReadableStream<Uint8Array> = pf.readable;
  await pf.writable.getWriter().write(new Uint8Array([1]));
  pf.close();
  // @ts-expect-error: a tunnel goes to a service or a pod, not a node
  await cluster.tunnelFetch({ kind: "node", name: "n" }, "/");
  // @ts-expect-error: a pod needs a name
  await cluster.portForward({ namespace: "demo" }, 80);
  return `${page.status} ${pf.pod}:${pf.port} ${bytes.locked}`;
}

export { sameClass, manualClass, current, insecure, groups, small, fromObject, credentialKind, why, header, decoded, expiry, opaqueSubject, pod, info, openScheme, client, tunnel };
