// Explicit initialisation, for places without top-level await (MV3 service workers):
//   import init, { parseSegment, Cluster } from "kubeopen/manual";
//   await init();                       // once, before the first call: both wasm modules
//   await init({ cluster: false });     // or only the URL functions' module (no kubeconfigs, no Cluster)
// Everything of `kubeopen` and of `kubeopen/cluster`. A call before its module is instantiated
// throws KubeopenError `NotInitialized` (errors.js). The wasm URLs below are relative to the built
// file (dist/manual.js), which sits beside the wasm.
import wasmInit from "../dist/kubeopen.js";
import clusterInit from "../dist/kubeopen_cluster.js";
import { attach } from "./api.js";
import { attachCluster } from "./cluster-api.js";
import { KubeopenError } from "./errors.js";

/** @typedef {RequestInfo | URL | Response | BufferSource | WebAssembly.Module} InitInput */

/** @type {Promise<void> | undefined} */
let urlReady;
/** @type {Promise<void> | undefined} */
let clusterReady;

/**
 * Starts loading one module, once; a failed load is forgotten, so a later `init()` retries it.
 * @param {() => Promise<void>} load @param {() => void} forget
 */
function once(load, forget) {
  const ready = load();
  ready.catch(forget);
  return ready;
}

/**
 * Loads and instantiates the URL module and, unless `cluster: false`, the cluster module — both
 * fetched and compiled in parallel. Each is loaded once: a later call returns at once for what is
 * loaded and loads what was left out before.
 * @param {{ module_or_path?: InitInput, cluster_module_or_path?: InitInput, cluster?: boolean }} [options]
 * @returns {Promise<void>}
 */
export default function init(options) {
  const cluster = options?.cluster ?? true;
  if (typeof cluster !== "boolean") {
    return Promise.reject(new KubeopenError("InvalidArgument", `options.cluster must be a boolean, got ${typeof cluster}`));
  }
  urlReady ??= once(
    () => wasmInit({ module_or_path: options?.module_or_path ?? new URL("./kubeopen_bg.wasm", import.meta.url) }).then(attach),
    () => (urlReady = undefined),
  );
  if (!cluster) return urlReady;
  clusterReady ??= once(
    () =>
      clusterInit({
        module_or_path: options?.cluster_module_or_path ?? new URL("./kubeopen_cluster_bg.wasm", import.meta.url),
      }).then(attachCluster),
    () => (clusterReady = undefined),
  );
  return Promise.all([urlReady, clusterReady]).then(() => undefined);
}

export * from "./api.js";
export * from "./cluster-api.js";
