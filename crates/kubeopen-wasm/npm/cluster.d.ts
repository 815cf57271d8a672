// The `kubeopen/cluster` entry: kubeconfig, credentials, tokens, in-cluster config, discovery and
// the `Cluster` client. Every shape below is exactly what the functions return (the Rust core's
// serde output); `Cluster` is plain JavaScript over `fetch` (npm/src/cluster-client.js).
import type { ParsedTarget, Target } from "./index.js";
import { KubeopenError, type KubeopenErrorCode } from "./errors.js";

export { KubeopenError, type KubeopenErrorCode, type ParsedTarget, type Target };

/** Any JSON value (kubeconfig `extensions`). */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

// ---------------------------------------------------------------------------------------------
// kubeconfig

/** One `extensions[]` entry. */
export interface NamedExtension {
  name: string;
  extension: JsonValue;
}

/** `clusters[].cluster`. Optional strings are absent when empty in the file (as in client-go). */
export interface KubeconfigCluster {
  server?: string;
  tlsServerName?: string;
  insecureSkipTlsVerify: boolean;
  /** A file path: not readable from a browser (resolveContext lists it as unsupported). */
  certificateAuthority?: string;
  /** Base64 of the PEM bundle, as written. */
  certificateAuthorityData?: string;
  proxyUrl?: string;
  disableCompression: boolean;
  extensions: NamedExtension[];
}

/** `users[].user.auth-provider`. */
export interface KubeconfigAuthProvider {
  name: string;
  config: Record<string, string>;
}

/** `users[].user.exec`. */
export interface KubeconfigExec {
  command: string;
  args: string[];
  env: { name: string; value: string }[];
  apiVersion: string;
  installHint?: string;
  provideClusterInfo: boolean;
  interactiveMode?: string;
}

/** `users[].user` (client-go's AuthInfo). `impersonate*` are the `as*` fields. */
export interface KubeconfigUser {
  clientCertificate?: string;
  clientCertificateData?: string;
  clientKey?: string;
  clientKeyData?: string;
  token?: string;
  tokenFile?: string;
  impersonate?: string;
  impersonateUid?: string;
  impersonateGroups: string[];
  impersonateUserExtra: Record<string, string[]>;
  username?: string;
  password?: string;
  authProvider?: KubeconfigAuthProvider;
  exec?: KubeconfigExec;
  extensions: NamedExtension[];
}

/** `contexts[].context`. */
export interface KubeconfigContext {
  cluster?: string;
  user?: string;
  namespace?: string;
  extensions: NamedExtension[];
}

/** A parsed kubeconfig. Lists keep the file's order. */
export interface Kubeconfig {
  kind?: string;
  apiVersion?: string;
  preferences: { colors?: boolean; extensions: NamedExtension[] };
  clusters: { name: string; cluster: KubeconfigCluster }[];
  users: { name: string; user: KubeconfigUser }[];
  contexts: { name: string; context: KubeconfigContext }[];
  /** As written: it may name a context that does not exist. */
  currentContext?: string;
  extensions: NamedExtension[];
}

/**
 * Parses a kubeconfig written as YAML or JSON. Throws `InvalidKubeconfig` with
 * `detail: {line, column, path?}` (1-based; `path` like `users[1].user.exec.args`).
 */
export function parseKubeconfig(text: string): Kubeconfig;

/**
 * `kubectl config view --minify [--context NAME]`: only the chosen context (or the current one),
 * its cluster and its user. Secrets are kept. Throws `InvalidKubeconfig`.
 */
export function minifyKubeconfig(kubeconfig: Kubeconfig | string, contextName?: string): Kubeconfig;

/** A bearer token, or basic auth. */
export type Credentials = { token: string } | { username: string; password: string };

/** Something in the kubeconfig a browser cannot use, why, and what to do instead. */
export interface Unsupported {
  /** The entry and field, e.g. `user "alice": client-certificate-data`. */
  field: string;
  reason: string;
  instead: string;
}

/** One context resolved for use from a browser (client-go's rules). */
export interface ResolvedContext {
  context: string;
  cluster: string;
  user?: string;
  /** `scheme://host[:port][/prefix]`, no trailing `/`: the base for proxy URLs. */
  server: string;
  /** The context's namespace, else `"default"`. */
  namespace: string;
  /** What to send as `Authorization`; `null` when nothing usable is configured. */
  credentials: Credentials | null;
  /** The CA bundle as PEM text (from `certificate-authority-data`). */
  caData?: string;
  insecureSkipTlsVerify: boolean;
  tlsServerName?: string;
  proxyUrl?: string;
  /** Everything configured that is not used, never silently dropped. */
  unsupported: Unsupported[];
}

/**
 * Resolves `contextName` (default: `current-context`) of a kubeconfig (parsed, or its text).
 * Throws `InvalidKubeconfig` (no/unknown context, cluster or user, CA with insecure, basic auth
 * plus token, …; `detail.available` lists the contexts where that helps).
 */
export function resolveContext(kubeconfig: Kubeconfig | string, contextName?: string): ResolvedContext;

// ---------------------------------------------------------------------------------------------
// credentials and tokens

/**
 * The `Authorization` header value: `Bearer TOKEN` or `Basic base64(user:password)`. A pasted
 * token's surrounding whitespace is trimmed. Throws `InvalidCredentials` for values that could
 * inject a header (control characters, non-ASCII or whitespace inside a token, `:` in a user
 * name); `detail: {part: "token" | "username" | "password", at?}` — the secret is never repeated.
 * A token together with a user name or password is `InvalidCredentials` too (without `detail`),
 * as client-go refuses it.
 */
export function authorizationHeader(credentials: Credentials): string;

/**
 * Decodes a Secret's `.data.token` like `kubectl get secret … -o jsonpath='{.data.token}' |
 * base64 --decode`. Throws `InvalidToken`.
 */
export function decodeSecretToken(data: string): string;

/** A Kubernetes object named in a token. */
export interface TokenObjectRef {
  name: string;
  uid?: string;
}

/** What a JWT claims. **The signature is not verified**: for display only. Times are Unix seconds. */
export interface JwtTokenInfo {
  kind: "jwt";
  algorithm?: string;
  keyId?: string;
  subject?: string;
  issuer?: string;
  audiences: string[];
  issuedAt?: number;
  notBefore?: number;
  expiresAt?: number;
  /** `now >= expiresAt` (false without `exp`). */
  expired: boolean;
  /** `now < notBefore` (false without `nbf`). */
  notYetValid: boolean;
  namespace?: string;
  serviceAccount?: TokenObjectRef;
  pod?: TokenObjectRef;
  node?: TokenObjectRef;
  secret?: TokenObjectRef;
  warnAfter?: number;
  /** The legacy Secret-based claim form. */
  legacy: boolean;
}

/** A token that is not a JWT (a static token, a bootstrap token): nothing can be read from it. */
export interface OpaqueTokenInfo {
  kind: "opaque";
}

export type TokenInfo = JwtTokenInfo | OpaqueTokenInfo;

/**
 * Reads what a token claims, **without verifying its signature** (display only). `now` is Unix
 * seconds (default: the current time). Non-JWT tokens are `{kind: "opaque"}`, not errors; a JWT
 * whose claims cannot be read throws `InvalidToken`.
 */
export function inspectToken(token: string, now?: number): TokenInfo;

/** What `inClusterConfig` reads: environment values and file contents (`undefined` when unset). */
export interface InClusterInputs {
  /** `KUBERNETES_SERVICE_HOST`. */
  serviceHost?: string;
  /** `KUBERNETES_SERVICE_PORT`. */
  servicePort?: string;
  /** `POD_NAMESPACE`. */
  podNamespace?: string;
  /** Contents of `/var/run/secrets/kubernetes.io/serviceaccount/token`. */
  token?: string;
  /** Contents of `…/serviceaccount/ca.crt`. */
  caCrt?: string;
  /** Contents of `…/serviceaccount/namespace`. */
  namespaceFile?: string;
}

/** client-go's `rest.InClusterConfig`. */
export interface InClusterConfig {
  /** `https://HOST:PORT`, IPv6 bracketed. */
  server: string;
  token: string;
  caData?: string;
  namespace: string;
}

/** The in-cluster configuration (sans-I/O: you pass the values). Throws `NotInCluster`. */
export function inClusterConfig(inputs: InClusterInputs): InClusterConfig;

// ---------------------------------------------------------------------------------------------
// API types (only the fields kubeopen reads; absent fields take their zero value)

/** `GET /version`. */
export interface VersionInfo {
  major: string;
  minor: string;
  emulationMajor?: string;
  emulationMinor?: string;
  minCompatibilityMajor?: string;
  minCompatibilityMinor?: string;
  gitVersion: string;
  gitCommit: string;
  gitTreeState: string;
  buildDate: string;
  goVersion: string;
  compiler: string;
  platform: string;
}

/** `GET /api`. */
export interface ApiVersions {
  versions: string[];
  serverAddressByClientCIDRs: { clientCIDR: string; serverAddress: string }[];
}

export interface ObjectMeta {
  name: string;
  namespace?: string;
  uid?: string;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  creationTimestamp?: string;
}

export interface ListMeta {
  resourceVersion?: string;
  continue?: string;
}

export interface ServicePort {
  name: string;
  protocol?: string;
  appProtocol?: string;
  port: number;
  targetPort?: number | string;
  nodePort?: number;
}

export interface Service {
  metadata: ObjectMeta;
  spec: {
    type?: string;
    clusterIP?: string;
    externalName?: string;
    selector?: Record<string, string>;
    ports: ServicePort[];
  };
  status: { loadBalancer: { ingress: { ip: string; hostname: string }[] } };
}

export interface ServiceList {
  metadata: ListMeta;
  items: Service[];
}

export interface Namespace {
  metadata: ObjectMeta;
  status: { phase?: string };
}

export interface NamespaceList {
  metadata: ListMeta;
  items: Namespace[];
}

export interface Pod {
  metadata: ObjectMeta;
  spec: {
    nodeName?: string;
    containers: { name: string; ports: { name?: string; containerPort: number; protocol?: string }[] }[];
  };
  status: { phase?: string; podIP?: string };
}

export interface PodList {
  metadata: ListMeta;
  items: Pod[];
}

export interface Node {
  metadata: ObjectMeta;
  status: {
    addresses: { type: string; address: string }[];
    daemonEndpoints: { kubeletEndpoint: { Port: number } };
    nodeInfo: { kubeletVersion: string; osImage: string; architecture: string };
  };
}

export interface NodeList {
  metadata: ListMeta;
  items: Node[];
}

/** One line of `kubectl cluster-info`: `${name} is running at ${url}`. */
export interface ClusterInfoEntry {
  name: string;
  namespace: string;
  url: string;
}

/** Why a port was taken to be HTTP(S). */
export type Evidence = "appProtocol" | "portName" | "wellKnownPort" | "unknown";

/** A service port that can probably be opened in a browser. */
export interface OpenableEndpoint {
  namespace: string;
  name: string;
  port: number;
  portName?: string;
  scheme: "http" | "https";
  /** The proxy URL, ending in `/proxy/`. */
  url: string;
  evidence: Evidence;
  /** The target, for `proxyUrl` / `Cluster.proxyFetch`. */
  target: ParsedTarget;
}

/** `kubectl cluster-info`'s rules over a service list (`server` is the API server's URL). */
export function clusterInfo(serviceList: ServiceList, server: string): ClusterInfoEntry[];

/**
 * Every service port that looks like HTTP(S), with its proxy URL. Services the proxy can never
 * reach (`ExternalName`, `default/kubernetes`) are left out; services without a selector are
 * listed (hand-written Endpoints naming pods are proxied), and may answer 503 if theirs do not.
 * Throws `InvalidServer`.
 */
export function openableEndpoints(serviceList: ServiceList, server: string): OpenableEndpoint[];

/** What `suggestEndpoints` reads of an endpoint: an `OpenableEndpoint` will do. */
export interface SuggestEndpoint {
  namespace: string;
  name: string;
  port: number;
  portName?: string | null;
  /** The endpoint's proxy URL: its server and target are what a suggestion opens. */
  url: string;
}

export interface SuggestOptions {
  /** Preferred when the input names no namespace (default `"default"`). */
  namespace?: string;
  /** For `NAME.NS.svc.CLUSTER-DOMAIN` (default `"cluster.local"`). */
  clusterDomain?: string;
  /** At most this many suggestions (default 8, never more than 50). */
  limit?: number;
  /** `"omnibox"`: Chrome's omnibox XML (escaped, `<match>`/`<dim>`/`<url>`); default `"text"`. */
  markup?: "text" | "omnibox";
}

/** One suggestion of `suggestEndpoints`. */
export interface EndpointSuggestion {
  /** The suggested endpoint's index in the list given. */
  index: number;
  /** Its proxy URL with what was typed after the address (path, query, fragment), confined to its prefix. */
  url: string;
  /** `NAME.NS port PORT (PORT-NAME)[ · https][ — PATH]`, in `options.markup`. */
  description: string;
  /** Higher is better; the list is sorted by it. */
  score: number;
}

/**
 * The endpoints `input` probably means, best first, as someone types: every form
 * `resolveAddress` understands (`svc/NS/NAME[:PORT]`, `NAME.NS[.svc[.DOMAIN]][:PORT]`,
 * `http(s)://…`, `-n NS`, a proxy URL) followed by a path, and unfinished words (`graf`,
 * `monit graf`, `grafana.mon`, `web:ht`). Exact names before prefixes before substrings; then
 * namespace, port and the default namespace. Pod and node addresses, input over 1024 bytes or
 * over 8 words: `[]`. Throws `InvalidArgument` for arguments of the wrong type.
 *
 * ```js
 * const [best] = suggestEndpoints("grafana.mon/d/abc", openableEndpoints(list, server));
 * best.url; // ".../namespaces/monitoring/services/grafana:3000/proxy/d/abc"
 * ```
 */
export function suggestEndpoints(
  input: string,
  endpoints: readonly SuggestEndpoint[],
  options?: SuggestOptions,
): EndpointSuggestion[];

// ---------------------------------------------------------------------------------------------
// the client

/**
 * The `KubeopenError` an HTTP answer stands for, or `null` for a 2xx: the same mapping `Cluster`
 * uses (`Unauthorized`, `Forbidden`, `NotFound`, `ServiceUnavailable` — also the proxy's "no
 * endpoints available" —, `HttpError`), with the server's `Status.message`. For `proxyFetch`
 * answers: reads a clone of the body, so `response` stays readable.
 */
export function responseError(response: Response): Promise<KubeopenError | null>;

/** `Cluster` options. Without credentials (e.g. `kubectl proxy`), no `Authorization` is sent. */
export type ClusterOptions = {
  /** The API server's URL, possibly with a path prefix (`https://rancher.example/k8s/clusters/c-1`). */
  server: string;
  /** Per request, in milliseconds. Default 30000. */
  timeout?: number;
  /** A `fetch` implementation (e.g. one bound to an undici dispatcher that trusts your CA). Default: the global `fetch`. */
  fetch?: typeof globalThis.fetch;
  /**
   * The `WebSocket` class tunnels use (`portForward`, `tunnelFetch`). Default: the global one
   * (Node 20 has it only with `--experimental-websocket`; Node 22+ and browsers always).
   */
  WebSocket?: new (url: string, protocols: string[]) => WebSocket;
} & (
  | { token?: string; username?: undefined; password?: undefined }
  | { username: string; password: string; token?: undefined }
);

/** Options every `Cluster` method takes. */
export interface RequestOptions {
  /** Aborts the request: the method then throws `Aborted`. */
  signal?: AbortSignal;
}

/**
 * A client for the few API calls kubeopen needs. Errors are `KubeopenError`s:
 * `Unauthorized` (401), `Forbidden` (403), `NotFound` (404), `ServiceUnavailable` (503, or the
 * proxy's "no endpoints available"), `HttpError` (any other non-2xx; `detail.status`),
 * `Network` (fetch failed: DNS, refused, TLS not trusted, CORS), `Timeout`, `Aborted`,
 * `InvalidResponse` (a 2xx body that is not the expected JSON). HTTP errors carry the server's
 * `Status.message` as `message` and `detail: {status, reason, path}`.
 * Constructor: throws `InvalidServer`, `InvalidCredentials`, `InvalidArgument`.
 */
export class Cluster {
  constructor(options: ClusterOptions);
  /** The server base, normalised (no trailing `/`). */
  readonly server: string;
  /** `GET /version`. */
  version(options?: RequestOptions): Promise<VersionInfo>;
  /** `GET /api`. */
  apiVersions(options?: RequestOptions): Promise<ApiVersions>;
  /** `GET /api/v1/namespaces`. */
  listNamespaces(options?: RequestOptions): Promise<NamespaceList>;
  /** `GET /api/v1/[namespaces/NS/]services` (all namespaces when `namespace` is omitted). Throws `InvalidArgument` for a namespace that is not a DNS label. */
  listServices(namespace?: string, options?: RequestOptions): Promise<ServiceList>;
  /** `GET /api/v1/namespaces/NS/pods`. */
  listPods(namespace: string, options?: RequestOptions): Promise<PodList>;
  /** `GET /api/v1/nodes`. */
  listNodes(options?: RequestOptions): Promise<NodeList>;
  /** `kubectl cluster-info`: services labelled `kubernetes.io/cluster-service=true` in `namespace` (default `kube-system`). */
  clusterInfo(options?: RequestOptions & { namespace?: string }): Promise<ClusterInfoEntry[]>;
  /** Openable service ports in `namespace`, or in all namespaces. */
  openableEndpoints(namespace?: string, options?: RequestOptions): Promise<OpenableEndpoint[]>;
  /**
   * Fetches `path` of `target` through the API server's proxy, with the credentials. Returns the
   * `Response` whatever its status (see `responseError`); throws `Network`, `Timeout` (no
   * headers within `timeout`; the body may then stream for as long as it takes), `Aborted` (and
   * `InvalidTarget` for a bad target). `init.signal` is honoured, also while the body streams.
   * The client's credentials replace any `Authorization` in `init.headers`.
   */
  proxyFetch(target: Target, path?: string, init?: RequestInit): Promise<Response>;
  /**
   * A byte stream to `port` of a pod (a number, or a container port's name, looked up in the
   * pod), through the API server's `pods/NAME/portforward` WebSocket (`v4.channel.k8s.io`; the
   * token travels as the `base64url.bearer.authorization.k8s.io.…` subprotocol, never in the URL).
   * Needs `get` and `create` on `pods/portforward`. Resolves once the socket is open. Throws
   * `Forbidden` (`detail.permission`: what is missing, e.g. `"create pods/portforward"`),
   * `Unauthorized`, `NotFound`, `Network` (the socket could not open; bytes on the port's error
   * channel error the readable with `detail.portForwardError`), `Timeout`, `Aborted`,
   * `UnsupportedCredentials` (basic auth), `InvalidTarget`, `InvalidResponse` (a protocol violation).
   */
  portForward(pod: { namespace: string; name: string }, port: number | string, options?: RequestOptions): Promise<PortForward>;
  /**
   * One HTTP/1.1 request to `target` through a portforward WebSocket, for apps the service proxy
   * breaks (an `identity`- or brotli-encoded HTML page): a service resolves, like `kubectl
   * port-forward svc/…` but pinned to a ready endpoint, to the first ready pod (by name) of its
   * EndpointSlices and the slice's target port (needs `get services`, `list endpointslices`); a
   * pod's port is a number or a container port name. The request is the one the proxy would send:
   * `path` (and its query) placed and cleaned as in a proxy URL, `X-Forwarded-Uri` the proxy path,
   * `Host: localhost:PORT`, `Accept-Encoding: identity` unless `init.headers` says otherwise,
   * `Connection: close`. The `Response` is what the pod answered — any status, redirects not
   * followed, `url` empty — its body streamed; a gzip or deflate body is decoded (and
   * `Content-Encoding`/`Content-Length` dropped). The socket closes when the body is complete.
   * `init`: `method`, `headers`, `body`, `signal` (aborts at any time, the body too).
   * Throws what `portForward` throws, `ServiceUnavailable` (no ready endpoint), `InvalidTarget`
   * (no such port; an `https` target: the tunnel carries plain HTTP), `InvalidArgument` (a header
   * with a control character, a body on GET/HEAD), `InvalidResponse` (a malformed HTTP answer,
   * `detail.at`: the byte offset), `Timeout` (no response head within `timeout`).
   */
  tunnelFetch(target: TunnelTarget, path?: string, init?: RequestInit): Promise<Response>;
}

/** What a tunnel goes to: a service (its port by number or name; may be omitted when it has one port) or a pod (port required). */
export type TunnelTarget = {
  kind: "service" | "pod";
  namespace: string;
  name: string;
  port?: string | number;
  /** `"https"` is refused: the tunnel carries plain HTTP. */
  scheme?: "" | "http" | "https";
};

/**
 * An open port-forward: bytes from the pod on `readable`, to the pod on `writable`. The v4
 * protocol has no half-close, so closing `writable` leaves the socket open; `close()` ends both.
 * `readable` closes when the server closes the socket (and errors with `Network` when the
 * kubelet reported a forwarding error), errors with `Aborted` on the signal.
 */
export interface PortForward {
  readonly readable: ReadableStream<Uint8Array>;
  readonly writable: WritableStream<Uint8Array>;
  /** The pod forwarded to. */
  readonly pod: string;
  /** The pod's port number (a named port resolved). */
  readonly port: number;
  close(): void;
}
