// @ts-check
// Talking to a cluster for the clusters part: checking credentials, "test connection", the
// service list, pods and nodes, and reading kubeconfigs. Everything goes through the package's
// `Cluster` client and kubeconfig functions; this module only turns their answers into views and
// their errors into advice a person can act on.
import * as kube from "kubeopen/manual";

/**
 * @typedef {import("../messages.js").Credentials} Credentials
 * @typedef {import("../messages.js").ClusterRecord} ClusterRecord
 * @typedef {import("../messages.js").EndpointView} EndpointView
 * @typedef {import("../messages.js").ResourceView} ResourceView
 * @typedef {import("../messages.js").IdentityView} IdentityView
 * @typedef {import("../messages.js").KubeconfigContextView} KubeconfigContextView
 * @typedef {import("../messages.js").TestClusterResponse} TestClusterResponse
 */

/** Per request: long enough for a slow VPN, short enough that a popup does not hang. */
const TIMEOUT_MS = 10_000;

/** An error with a stable code and what to do about it. */
class AdvisedError extends Error {
  /** @param {string} code @param {string} message @param {string} [advice] */
  constructor(code, message, advice) {
    super(message);
    this.code = code;
    this.advice = advice;
  }
}

/**
 * Checks credentials as given by a page: `{token}`, `{username, password}` or null (no
 * Authorization, e.g. `kubectl proxy`). The core refuses values that could inject a header.
 * @param {unknown} input
 * @returns {Credentials | null}
 */
export function checkCredentials(input) {
  if (input === null || input === undefined) return null;
  const c = /** @type {Record<string, unknown>} */ (input);
  /** @type {Credentials} */
  let credentials;
  if (typeof c.token === "string") {
    credentials = { token: c.token.trim() };
  } else if (typeof c.username === "string" && typeof c.password === "string") {
    credentials = { username: c.username, password: c.password };
  } else {
    throw new AdvisedError("InvalidCredentials", "credentials are {token} or {username, password}");
  }
  kube.authorizationHeader(credentials); // throws InvalidCredentials; the value is not kept
  return credentials;
}

/** @param {string} server @param {Credentials | null} credentials */
function client(server, credentials) {
  return new kube.Cluster({ server, timeout: TIMEOUT_MS, ...(credentials ?? {}) });
}

/**
 * Why a call failed, and what the person can do: a browser has fewer ways to reach a cluster
 * than kubectl (no client certificates, no CA of its own), so the advice names the ways it has.
 * @param {unknown} e @param {string} server
 * @returns {AdvisedError}
 */
export function explain(e, server) {
  const err = /** @type {{ code?: string, message?: string, detail?: { path?: string } }} */ (e);
  const code = err?.code ?? "Internal";
  const message = String(err?.message ?? e);
  const https = server.startsWith("https:");
  const advice = {
    Unauthorized:
      "The API server did not accept the credentials (401): the token is wrong or has expired. " +
      "Get a fresh one, e.g. `kubectl create token SERVICE_ACCOUNT -n NAMESPACE`, and update the cluster on the options page.",
    Forbidden:
      `The credentials are valid but not allowed to do this (403${err?.detail?.path ? ` on ${err.detail.path}` : ""}). ` +
      "Opening a service needs `get` on `services/proxy` in its namespace; browsing needs `list` on services " +
      "(e.g. `kubectl create clusterrolebinding … --clusterrole=view` plus a role with services/proxy).",
    Network: https
      ? `The browser could not reach ${server}. If the address is right and the server is up, the browser probably ` +
        "does not trust its certificate: a browser cannot be handed a cluster's CA the way kubectl is. Import the CA " +
        "(`kubectl config view --raw --minify -o jsonpath='{.clusters[0].cluster.certificate-authority-data}' | base64 -d > ca.crt`) " +
        `into your operating system's or browser's trusted authorities, open ${server}/version in a tab to check, ` +
        "or run `kubectl proxy` and add http://127.0.0.1:8001 without credentials."
      : `Nothing answered at ${server}: check the address and port, your VPN or firewall; or run \`kubectl proxy\` and add http://127.0.0.1:8001.`,
    Timeout: `${server} did not answer within ${TIMEOUT_MS / 1000} seconds: check your VPN or network, or try again.`,
    NotFound: `${server} answered 404: the URL is probably not the API server's (check its path prefix).`,
    InvalidResponse: `${server} answered, but not like a Kubernetes API server: is this the API server's URL (not a dashboard's)?`,
    ServiceUnavailable: "The API server or the service is unavailable (503); try again later.",
    HttpError: "The API server answered with an error; see the message.",
    InvalidServer: "Give the API server's URL, e.g. https://10.0.0.1:6443 (what `kubectl cluster-info` prints first).",
    InvalidCredentials: "Paste the token alone (no `Bearer `, no line breaks inside), or a user name without `:`.",
    InvalidKubeconfig: "Paste the whole kubeconfig (`kubectl config view --raw --minify` prints the current context's).",
  }[code];
  return new AdvisedError(code, message, advice);
}

/**
 * Who the credentials say they are. A token is read without verifying it (display only).
 * @param {Credentials | null} credentials
 * @returns {IdentityView}
 */
function identityOf(credentials) {
  if (credentials === null) return { kind: "unknown", name: "no credentials (kubectl proxy or anonymous)" };
  if ("username" in credentials) return { kind: "user", name: credentials.username };
  let info;
  try {
    info = kube.inspectToken(credentials.token);
  } catch {
    return { kind: "unknown", name: "a token that cannot be read" };
  }
  if (info.kind === "opaque") return { kind: "unknown", name: "an opaque token (not a JWT)" };
  /** @type {IdentityView} */
  const view = info.serviceAccount
    ? { kind: "serviceAccount", name: info.serviceAccount.name }
    : { kind: "user", name: info.subject ?? "(no subject)" };
  if (info.namespace) view.namespace = info.namespace;
  if (info.expiresAt !== undefined) view.expiresAt = info.expiresAt;
  view.expired = info.expired;
  return view;
}

/**
 * "Test connection": `/version`, `/api`, and whether services can be listed.
 * @param {string} server @param {Credentials | null} credentials
 * @returns {Promise<TestClusterResponse>}
 */
export async function testConnection(server, credentials) {
  const identity = identityOf(credentials);
  try {
    const cluster = client(server, credentials);
    const [version, api] = await Promise.all([cluster.version(), cluster.apiVersions()]);
    let canListServices = true;
    /** @type {string | undefined} */
    let warning;
    try {
      await cluster.listServices();
    } catch (e) {
      const err = /** @type {{ code?: string }} */ (e);
      if (err?.code !== "Forbidden") throw e;
      canListServices = false;
      warning = "These credentials may not list services in all namespaces: the popup can only list what they may see.";
    }
    /** @type {TestClusterResponse} */
    const answer = {
      ok: true,
      server,
      version: version.gitVersion || `v${version.major}.${version.minor}`,
      platform: version.platform,
      apiVersions: api.versions,
      identity,
      canListServices,
    };
    if (warning) answer.warning = warning;
    return answer;
  } catch (e) {
    const err = explain(e, server);
    // A 401 with a token that says it expired: say so first.
    if (err.code === "Unauthorized" && identity.expired && identity.expiresAt) {
      err.advice = `The token expired on ${new Date(identity.expiresAt * 1000).toISOString()}. ${err.advice}`;
    }
    const { code, message, advice } = err;
    return { ok: false, error: advice ? { code, message, advice } : { code, message } };
  }
}

/**
 * Every openable service port of the cluster, in all namespaces (or the cluster's namespace when
 * the credentials may not list all), sorted by namespace, name and port.
 * @param {ClusterRecord} record
 * @returns {Promise<EndpointView[]>}
 */
export async function loadEndpoints(record) {
  const cluster = client(record.server, record.credentials);
  let found;
  try {
    found = await cluster.openableEndpoints();
  } catch (e) {
    if (/** @type {{ code?: string }} */ (e)?.code !== "Forbidden") throw explain(e, record.server);
    try {
      found = await cluster.openableEndpoints(record.namespace);
    } catch (inner) {
      throw explain(inner, record.server);
    }
  }
  return found
    .map((e) => ({
      namespace: e.namespace,
      name: e.name,
      port: e.port,
      portName: e.portName ?? null,
      scheme: e.scheme,
      url: e.url,
      target: e.target,
    }))
    .sort((a, b) => a.namespace.localeCompare(b.namespace) || a.name.localeCompare(b.name) || a.port - b.port);
}

/**
 * Pods of a namespace (one item per declared container port, or one without a port) or nodes.
 * @param {ClusterRecord} record @param {"pods" | "nodes"} kind @param {string | undefined} namespace
 * @returns {Promise<ResourceView[]>}
 */
export async function listResources(record, kind, namespace) {
  const cluster = client(record.server, record.credentials);
  try {
    if (kind === "nodes") {
      const nodes = await cluster.listNodes();
      return nodes.items.map((n) => ({
        name: n.metadata.name,
        ready: true,
        detail: [n.status.nodeInfo.kubeletVersion, n.status.addresses.find((a) => a.type === "InternalIP")?.address]
          .filter(Boolean)
          .join(" · "),
        target: { kind: "node", name: n.metadata.name },
      }));
    }
    const ns = namespace || record.namespace;
    const pods = await cluster.listPods(ns);
    return pods.items.flatMap((p) => {
      const ports = p.spec.containers.flatMap((c) => c.ports.filter((port) => (port.protocol ?? "TCP") === "TCP"));
      const phase = p.status.phase ?? "Unknown";
      /** @param {number} [port] @returns {ResourceView} */
      const item = (port) => ({
        namespace: ns,
        name: p.metadata.name,
        ready: phase === "Running",
        detail: port === undefined ? phase : `${phase} · port ${port}`,
        target: port === undefined ? { kind: "pod", namespace: ns, name: p.metadata.name } : { kind: "pod", namespace: ns, name: p.metadata.name, port },
      });
      return ports.length ? ports.map((port) => item(port.containerPort)) : [item()];
    });
  } catch (e) {
    throw explain(e, record.server);
  }
}

/**
 * The contexts of a kubeconfig, each resolved as it would be used, with what a browser cannot
 * use and why. Never returns a secret (the CA certificate is public).
 * @param {unknown} text
 * @returns {KubeconfigContextView[]}
 */
export function readKubeconfig(text) {
  if (typeof text !== "string" || !text.trim()) throw new AdvisedError("InvalidKubeconfig", "the kubeconfig is empty", "Paste a kubeconfig or drop its file here.");
  let config;
  try {
    config = kube.parseKubeconfig(text);
  } catch (e) {
    throw explain(e, "");
  }
  if (config.contexts.length === 0) {
    throw new AdvisedError("InvalidKubeconfig", "the kubeconfig has no contexts", "`kubectl config view --raw --minify` prints one with its cluster and user.");
  }
  return config.contexts.map(({ name, context }) => {
    try {
      const r = kube.resolveContext(config, name);
      return {
        name,
        current: name === config.currentContext,
        cluster: r.cluster,
        user: r.user ?? null,
        server: r.server,
        namespace: r.namespace,
        auth: r.credentials === null ? "none" : "token" in r.credentials ? "token" : "basic",
        caData: r.caData ?? null,
        unsupported: r.unsupported.map((u) => ({ what: u.field, reason: u.reason, instead: u.instead })),
        error: null,
      };
    } catch (e) {
      const err = /** @type {{ code?: string, message?: string }} */ (e);
      return {
        name,
        current: name === config.currentContext,
        cluster: context.cluster ?? "",
        user: context.user ?? null,
        server: null,
        namespace: null,
        auth: null,
        caData: null,
        unsupported: [],
        error: { code: err?.code ?? "Internal", message: String(err?.message ?? e) },
      };
    }
  });
}

/**
 * What to store for one context of a kubeconfig.
 * @param {unknown} text @param {unknown} context
 * @returns {{ name: string, server: string, credentials: Credentials | null, namespace: string }}
 */
export function kubeconfigCluster(text, context) {
  if (typeof text !== "string" || typeof context !== "string") throw new AdvisedError("InvalidArgument", "a kubeconfig and a context name are needed");
  let r;
  try {
    r = kube.resolveContext(text, context);
  } catch (e) {
    throw explain(e, "");
  }
  return { name: r.context, server: r.server, credentials: r.credentials, namespace: r.namespace };
}
