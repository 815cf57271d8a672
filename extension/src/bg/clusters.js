// @ts-check
// Clusters: the servers and credentials the person added, kept in storage.session unless they
// opted in to persisting them (bg/store.js). Other background parts use the exported functions;
// extension pages use the messages. Credentials never leave the background: pages get views.
import { inspectToken, proxyPath, proxyUrl } from "kubeopen/manual";
import { MessageType, ext } from "../messages.js";
import { onClustersChanged, readClusters, updateClusters } from "./store.js";
import {
  checkCredentials,
  explain,
  kubeconfigCluster,
  listResources,
  loadEndpoints,
  readKubeconfig,
  testConnection,
} from "./connection.js";

/**
 * @typedef {import("../messages.js").ClusterRecord} ClusterRecord
 * @typedef {import("../messages.js").ClusterView} ClusterView
 * @typedef {import("../messages.js").Credentials} Credentials
 * @typedef {import("../messages.js").EndpointView} EndpointView
 * @typedef {import("./store.js").StoredCluster} StoredCluster
 */

const DEFAULT_NAMESPACE = "default";
const DEFAULT_CLUSTER_DOMAIN = "cluster.local";
const MAX_NAME = 100;
/** How long a cluster's service list is reused before it is fetched again. */
const ENDPOINTS_TTL_MS = 60_000;

/** An error with a stable code (and, for people, what to do about it). */
export class ClusterError extends Error {
  /** @param {string} code @param {string} message @param {string} [advice] */
  constructor(code, message, advice) {
    super(message);
    this.code = code;
    this.advice = advice;
  }
}

/**
 * The server as the browser writes it (lower-case scheme and host, no default port, no trailing
 * slash), so that it compares equal to `parseProxyUrl(tab.url).server` for a URL the browser
 * produced. The core checks it first (scheme, no query, no credentials in it).
 * @param {string} server
 */
export function canonicalServer(server) {
  proxyUrl(server.trim(), { kind: "node", name: "x" }); // throws InvalidServer, with where and why
  const url = new URL(server.trim());
  return url.origin + url.pathname.replace(/\/+$/, "");
}

/** @param {StoredCluster} c @param {string | undefined} defaultId @returns {ClusterRecord} */
function toRecord(c, defaultId) {
  const { id, name, server, namespace, clusterDomain, credentials, persist } = c;
  return { id, name, server, namespace, clusterDomain, credentials, persist, isDefault: id === defaultId };
}

/** What a page may see of a cluster: never the token or password. @param {ClusterRecord} c */
function toView(c) {
  /** @type {ClusterView} */
  const view = {
    id: c.id,
    name: c.name,
    server: c.server,
    namespace: c.namespace,
    clusterDomain: c.clusterDomain,
    isDefault: c.isDefault,
    persist: c.persist,
    auth: c.credentials === null ? "none" : "token" in c.credentials ? "token" : "basic",
  };
  if (c.credentials && "username" in c.credentials) view.username = c.credentials.username;
  // When the token says it expires (read, not verified: for display), pages can warn in time.
  if (c.credentials && "token" in c.credentials) {
    try {
      const info = inspectToken(c.credentials.token);
      if (info.kind === "jwt" && info.expiresAt !== undefined) view.tokenExpiresAt = info.expiresAt;
    } catch {
      // an unreadable token is still sent as given; the server decides
    }
  }
  return view;
}

// ---- for the other background parts ------------------------------------------------------------

/** Every cluster, credentials included (background only). @returns {Promise<ClusterRecord[]>} */
export async function listClusters() {
  const { clusters, defaultId } = await readClusters();
  return clusters.map((c) => toRecord(c, defaultId));
}

/** @param {string} id @returns {Promise<ClusterRecord | undefined>} */
export async function getCluster(id) {
  return (await listClusters()).find((c) => c.id === id);
}

/** @returns {Promise<ClusterRecord | undefined>} */
export async function defaultCluster() {
  return (await listClusters()).find((c) => c.isDefault);
}

/**
 * The cluster whose server is `server` (the `server` part of a parsed proxy URL); the default one
 * first when several clusters share a server.
 * @param {string} server
 * @returns {Promise<ClusterRecord | undefined>}
 */
export async function clusterForServer(server) {
  let wanted;
  try {
    wanted = canonicalServer(server);
  } catch {
    return undefined;
  }
  const matching = (await listClusters()).filter((c) => c.server === wanted);
  return matching.find((c) => c.isDefault) ?? matching[0];
}

/** @type {Map<string, { at: number, endpoints: Promise<EndpointView[]> }>} */
const endpointCache = new Map();

/**
 * A cluster's openable service ports, all namespaces, reused for a minute (omnibox suggestions,
 * the popup). Rejects with a ClusterError (code from the API: Unauthorized, Network, …).
 * @param {string} id
 * @param {{ refresh?: boolean }} [options]
 * @returns {Promise<EndpointView[]>}
 */
export async function openableEndpointsFor(id, options = {}) {
  const cluster = await getCluster(id);
  if (!cluster) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(id)}`);
  const key = `${id}\n${cluster.server}`;
  const cached = endpointCache.get(key);
  if (cached && !options.refresh && Date.now() - cached.at < ENDPOINTS_TTL_MS) return cached.endpoints;
  const endpoints = loadEndpoints(cluster);
  endpointCache.set(key, { at: Date.now(), endpoints });
  endpoints.catch(() => endpointCache.delete(key)); // never cache a failure
  return endpoints;
}

// ---- changes -------------------------------------------------------------------------------------

/**
 * @param {unknown} value @param {string} what
 * @returns {string | undefined}
 */
function optionalString(value, what) {
  if (value === undefined || value === null) return undefined;
  if (typeof value !== "string") throw new ClusterError("InvalidArgument", `${what} must be a string`);
  return value.trim();
}

/** @param {string} name @param {string} server */
function checkName(name, server) {
  const clean = name.replace(/\s+/g, " ").trim();
  if (clean.length > MAX_NAME) throw new ClusterError("InvalidArgument", `a cluster name has at most ${MAX_NAME} characters`);
  return clean || new URL(server).host;
}

/** @param {string} namespace */
function checkNamespace(namespace) {
  // The core checks the name rules (a DNS-1123 label) as it builds a path in that namespace.
  proxyPath({ kind: "service", namespace, name: "x" });
  return namespace;
}

/** @param {string} domain */
function checkClusterDomain(domain) {
  const clean = domain.replace(/^\.+|\.+$/g, "").toLowerCase();
  if (!/^[a-z0-9]([-a-z0-9]*[a-z0-9])?(\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*$/.test(clean)) {
    throw new ClusterError("InvalidArgument", `cluster domain ${JSON.stringify(domain)} is not a DNS name (e.g. cluster.local)`);
  }
  return clean;
}

/**
 * Checks and stores a new cluster.
 * @param {{ name?: unknown, server?: unknown, credentials?: unknown, namespace?: unknown,
 *   clusterDomain?: unknown, persist?: unknown }} input
 * @returns {Promise<ClusterRecord>}
 */
export async function addCluster(input) {
  const rawServer = optionalString(input.server, "server");
  if (!rawServer) throw new ClusterError("InvalidArgument", "a server URL is needed (e.g. https://10.0.0.1:6443)");
  const server = canonicalServer(rawServer);
  /** @type {StoredCluster} */
  const cluster = {
    id: crypto.randomUUID(),
    name: checkName(optionalString(input.name, "name") ?? "", server),
    server,
    namespace: checkNamespace(optionalString(input.namespace, "namespace") || DEFAULT_NAMESPACE),
    clusterDomain: checkClusterDomain(optionalString(input.clusterDomain, "clusterDomain") || DEFAULT_CLUSTER_DOMAIN),
    credentials: checkCredentials(input.credentials),
    persist: input.persist === true,
  };
  return updateClusters((clusters, defaultId) => ({
    clusters: [...clusters, cluster],
    defaultId: defaultId ?? cluster.id,
    result: toRecord(cluster, defaultId ?? cluster.id),
  }));
}

/**
 * @param {string} id
 * @param {(c: StoredCluster) => void} edit
 * @returns {Promise<ClusterRecord>}
 */
function editCluster(id, edit) {
  return updateClusters((clusters, defaultId) => {
    const cluster = clusters.find((c) => c.id === id);
    if (!cluster) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(id)}`);
    edit(cluster);
    return { clusters, result: toRecord(cluster, defaultId) };
  });
}

/** @param {string} id */
export function removeCluster(id) {
  return updateClusters((clusters, defaultId) => {
    if (!clusters.some((c) => c.id === id)) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(id)}`);
    const rest = clusters.filter((c) => c.id !== id);
    return { clusters: rest, defaultId: defaultId === id ? (rest[0]?.id ?? "") : undefined, result: undefined };
  });
}

/** @param {string} id */
export function setDefaultCluster(id) {
  return updateClusters((clusters) => {
    if (!clusters.some((c) => c.id === id)) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(id)}`);
    return { clusters, defaultId: id, result: undefined };
  });
}

// ---- messages ------------------------------------------------------------------------------------

/**
 * Cluster messages carry secrets in (and could list servers out): only the extension's own pages
 * may send them, never a content script running in a web page.
 * @param {chrome.runtime.MessageSender} sender
 */
function fromExtensionPage(sender) {
  return sender.id === ext.runtime.id && typeof sender.url === "string" && sender.url.startsWith(ext.runtime.getURL(""));
}

/** @param {unknown} e @returns {{ ok: false, error: import("../messages.js").ClusterErrorView }} */
function failure(e) {
  const err = /** @type {{ code?: string, message?: string, advice?: string }} */ (e);
  /** @type {import("../messages.js").ClusterErrorView} */
  const error = { code: err?.code ?? "Internal", message: String(err?.message ?? e) };
  if (err?.advice) error.advice = err.advice;
  return { ok: false, error };
}

/** @param {unknown} id */
function clusterId(id) {
  if (typeof id !== "string" || !id) throw new ClusterError("InvalidArgument", "clusterId is missing");
  return id;
}

async function clustersAnswer() {
  return { ok: true, clusters: (await listClusters()).map(toView) };
}

/**
 * @param {(msg: any) => Promise<unknown>} handle
 * @returns {(msg: any, sender: chrome.runtime.MessageSender) => Promise<unknown>}
 */
function pageOnly(handle) {
  return async (msg, sender) => {
    if (!fromExtensionPage(sender)) return failure(new ClusterError("Forbidden", "cluster messages are for the extension's own pages"));
    try {
      return await handle(msg);
    } catch (e) {
      // Input errors from the core (a bad server URL, a token with a line break) get advice too.
      const advised = /** @type {{ advice?: string }} */ (e)?.advice ? e : explain(e, "");
      return failure(advised);
    }
  };
}

/** @type {Record<string, (msg: any, sender: chrome.runtime.MessageSender) => unknown>} */
export const clusterHandlers = {
  [MessageType.AddCluster]: pageOnly(async (msg) => ({ ok: true, cluster: toView(await addCluster(msg)) })),
  [MessageType.ReadKubeconfig]: pageOnly(async (msg) => ({ ok: true, contexts: readKubeconfig(msg.text) })),
  [MessageType.AddFromKubeconfig]: pageOnly(async (msg) => {
    const from = kubeconfigCluster(msg.text, msg.context);
    const name = typeof msg.name === "string" && msg.name.trim() ? msg.name : from.name;
    return { ok: true, cluster: toView(await addCluster({ ...from, name, persist: msg.persist, clusterDomain: msg.clusterDomain })) };
  }),
  [MessageType.ListClusters]: pageOnly(clustersAnswer),
  [MessageType.RemoveCluster]: pageOnly(async (msg) => {
    await removeCluster(clusterId(msg.clusterId));
    return clustersAnswer();
  }),
  [MessageType.SetDefaultCluster]: pageOnly(async (msg) => {
    await setDefaultCluster(clusterId(msg.clusterId));
    return clustersAnswer();
  }),
  [MessageType.RenameCluster]: pageOnly(async (msg) => {
    const id = clusterId(msg.clusterId);
    const name = optionalString(msg.name, "name") ?? "";
    return { ok: true, cluster: toView(await editCluster(id, (c) => (c.name = checkName(name, c.server)))) };
  }),
  [MessageType.UpdateCluster]: pageOnly(async (msg) => {
    const id = clusterId(msg.clusterId);
    const namespace = optionalString(msg.namespace, "namespace");
    const domain = optionalString(msg.clusterDomain, "clusterDomain");
    const credentials = msg.credentials === undefined ? undefined : checkCredentials(msg.credentials);
    const cluster = await editCluster(id, (c) => {
      if (namespace) c.namespace = checkNamespace(namespace);
      if (domain) c.clusterDomain = checkClusterDomain(domain);
      if (credentials !== undefined) c.credentials = credentials;
      if (typeof msg.persist === "boolean") c.persist = msg.persist;
    });
    return { ok: true, cluster: toView(cluster) };
  }),
  [MessageType.TestCluster]: pageOnly(async (msg) => {
    if (typeof msg.clusterId === "string") {
      const cluster = await getCluster(msg.clusterId);
      if (!cluster) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(msg.clusterId)}`);
      return testConnection(cluster.server, cluster.credentials);
    }
    if (typeof msg.kubeconfig === "string") {
      const from = kubeconfigCluster(msg.kubeconfig, msg.context);
      return testConnection(canonicalServer(from.server), from.credentials);
    }
    const server = canonicalServer(optionalString(msg.server, "server") ?? "");
    return testConnection(server, checkCredentials(msg.credentials));
  }),
  [MessageType.Endpoints]: pageOnly(async (msg) => {
    const cluster = msg.clusterId === undefined ? await defaultCluster() : await getCluster(clusterId(msg.clusterId));
    if (!cluster) throw new ClusterError("NoCluster", "no cluster has been added yet", "Add one on the options page.");
    try {
      const all = await openableEndpointsFor(cluster.id, { refresh: msg.refresh === true });
      const endpoints = typeof msg.namespace === "string" ? all.filter((e) => e.namespace === msg.namespace) : all;
      const at = endpointCache.get(`${cluster.id}\n${cluster.server}`)?.at ?? Date.now();
      return { ok: true, cluster: toView(cluster), endpoints, fetchedAt: at };
    } catch (e) {
      return { ...failure(e), cluster: toView(cluster) };
    }
  }),
  [MessageType.Resources]: pageOnly(async (msg) => {
    const cluster = await getCluster(clusterId(msg.clusterId));
    if (!cluster) throw new ClusterError("NotFound", `no cluster with id ${JSON.stringify(msg.clusterId)}`);
    const kind = msg.kind === "nodes" ? "nodes" : "pods";
    return { ok: true, items: await listResources(cluster, kind, optionalString(msg.namespace, "namespace")) };
  }),
};

/** @param {Promise<void>} _ready resolves when the wasm core is loaded */
export function startClusters(_ready) {
  // A changed server or credentials makes cached service lists stale.
  onClustersChanged(() => endpointCache.clear());
}
