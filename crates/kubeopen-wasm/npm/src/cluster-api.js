// The `kubeopen/cluster` functions, over the cluster module's wasm-bindgen glue. Conversion only:
// values cross as strings and JSON text, and every rule is in the Rust core
// (crates/kubeopen-wasm/src/cluster_api.rs). Entry points (cluster.js, cluster-node.mjs,
// manual.js) initialise the wasm, call `attachCluster()`, and re-export this module.
import {
  __registerErrorClass,
  __parseKubeconfig,
  __minifyKubeconfig,
  __resolveContext,
  __authorizationHeader,
  __decodeSecretToken,
  __inspectToken,
  __inClusterConfig,
  __clusterInfo,
  __openableEndpoints,
  __suggestEndpoints,
  __responseError,
} from "../dist/kubeopen_cluster.js";
import { KubeopenError, assertLoaded, loaded } from "./errors.js";

export { KubeopenError };
export { Cluster } from "./cluster-client.js";

/** Wires the JavaScript side into a freshly instantiated cluster wasm module. */
export function attachCluster() {
  __registerErrorClass(KubeopenError);
  loaded.cluster = true;
}

/** @param {unknown} value @param {string} what @returns {string} */
function string(value, what) {
  if (typeof value === "string") return value;
  throw new KubeopenError("InvalidArgument", `${what} must be a string, got ${value === null ? "null" : typeof value}`);
}

/** `undefined` for undefined/null, else a string. @param {unknown} value @param {string} what */
function optional(value, what) {
  return value === undefined || value === null ? undefined : string(value, what);
}

/** @param {unknown} value @param {string} what @returns {Record<string, unknown>} */
function object(value, what) {
  if (typeof value === "object" && value !== null && !Array.isArray(value)) return /** @type {Record<string, unknown>} */ (value);
  throw new KubeopenError("InvalidArgument", `${what} must be an object`);
}

/**
 * A kubeconfig argument: its text, or JSON of an object (`parseKubeconfig`'s shape or the file's).
 * @param {unknown} kubeconfig @returns {[string, boolean]}
 */
function kubeconfigArgument(kubeconfig) {
  if (typeof kubeconfig === "string") return [kubeconfig, false];
  return [JSON.stringify(object(kubeconfig, "kubeconfig")), true];
}

/** @param {string} text */
export function parseKubeconfig(text) {
  assertLoaded("cluster");
  return JSON.parse(__parseKubeconfig(string(text, "text")));
}

/** @param {unknown} kubeconfig @param {string} [contextName] */
export function minifyKubeconfig(kubeconfig, contextName) {
  assertLoaded("cluster");
  const [input, isObject] = kubeconfigArgument(kubeconfig);
  return JSON.parse(__minifyKubeconfig(input, isObject, optional(contextName, "contextName")));
}

/** @param {unknown} kubeconfig @param {string} [contextName] */
export function resolveContext(kubeconfig, contextName) {
  assertLoaded("cluster");
  const [input, isObject] = kubeconfigArgument(kubeconfig);
  return JSON.parse(__resolveContext(input, isObject, optional(contextName, "contextName")));
}

/** @param {unknown} credentials */
export function authorizationHeader(credentials) {
  assertLoaded("cluster");
  const c = object(credentials, "credentials");
  return __authorizationHeader(
    optional(c.token, "credentials.token"),
    optional(c.username, "credentials.username"),
    optional(c.password, "credentials.password"),
  );
}

/** @param {string} data */
export function decodeSecretToken(data) {
  assertLoaded("cluster");
  return __decodeSecretToken(string(data, "data"));
}

/** @param {string} token @param {number} [now] Unix seconds */
export function inspectToken(token, now) {
  assertLoaded("cluster");
  const seconds = now ?? Math.floor(Date.now() / 1000);
  if (typeof seconds !== "number" || !Number.isFinite(seconds)) {
    throw new KubeopenError("InvalidArgument", "now must be a finite number of seconds since the Unix epoch");
  }
  return JSON.parse(__inspectToken(string(token, "token"), seconds));
}

/** @param {unknown} inputs */
export function inClusterConfig(inputs) {
  assertLoaded("cluster");
  const i = object(inputs, "inputs");
  return JSON.parse(
    __inClusterConfig(
      optional(i.serviceHost, "inputs.serviceHost"),
      optional(i.servicePort, "inputs.servicePort"),
      optional(i.podNamespace, "inputs.podNamespace"),
      optional(i.token, "inputs.token"),
      optional(i.caCrt, "inputs.caCrt"),
      optional(i.namespaceFile, "inputs.namespaceFile"),
    ),
  );
}

/** @param {unknown} serviceList @param {string} server */
export function clusterInfo(serviceList, server) {
  assertLoaded("cluster");
  return JSON.parse(__clusterInfo(JSON.stringify(object(serviceList, "serviceList")), string(server, "server")));
}

/** @param {unknown} serviceList @param {string} server */
export function openableEndpoints(serviceList, server) {
  assertLoaded("cluster");
  return JSON.parse(__openableEndpoints(JSON.stringify(object(serviceList, "serviceList")), string(server, "server")));
}

/**
 * The endpoints `input` probably means, best first, each with its proxy URL including the typed
 * path (the ranking is the core's: crates/kubeopen/src/suggest.rs).
 * @param {string} input @param {unknown} endpoints @param {unknown} [options]
 */
export function suggestEndpoints(input, endpoints, options) {
  assertLoaded("cluster");
  if (!Array.isArray(endpoints)) throw new KubeopenError("InvalidArgument", "endpoints must be an array");
  const o = options === undefined || options === null ? {} : object(options, "options");
  const limit = o.limit;
  if (limit !== undefined && limit !== null && !(Number.isInteger(limit) && /** @type {number} */ (limit) >= 0)) {
    throw new KubeopenError("InvalidArgument", "options.limit must be a whole number");
  }
  return JSON.parse(
    __suggestEndpoints(
      string(input, "input"),
      JSON.stringify(endpoints),
      optional(o.namespace, "options.namespace"),
      optional(o.clusterDomain, "options.clusterDomain"),
      limit === undefined || limit === null ? undefined : Math.min(/** @type {number} */ (limit), 0xffffffff),
      optional(o.markup, "options.markup"),
    ),
  );
}

/**
 * The error an HTTP answer stands for, or null for a 2xx; reads a clone, so `response` stays readable.
 * @param {Response} response
 * @returns {Promise<KubeopenError | null>}
 */
export async function responseError(response) {
  assertLoaded("cluster");
  if (response.ok) return null;
  const body = await response.clone().text();
  const path = response.url ? new URL(response.url).pathname : "";
  return __responseError(response.status, body, path) ?? null;
}
