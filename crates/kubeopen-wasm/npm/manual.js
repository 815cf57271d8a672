// Explicit initialisation, for places without top-level await (MV3 service workers):
//   import init, { parseSegment, Cluster } from "kubeopen/manual";
//   await init();   // once, before the first call
// Everything of `kubeopen` and of `kubeopen/cluster`; `init()` instantiates both wasm modules.
import wasmInit from "./dist/kubeopen.js";
import clusterInit from "./dist/kubeopen_cluster.js";
import { attach } from "./api.js";
import { attachCluster } from "./cluster-api.js";

/** @type {Promise<void> | undefined} */
let ready;

/**
 * Loads and instantiates both wasm modules once; later calls return the same promise.
 * @param {{ module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module, cluster_module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }} [options]
 * @returns {Promise<void>}
 */
export default function init(options) {
  ready ??= Promise.all([
    wasmInit({ module_or_path: options?.module_or_path ?? new URL("./dist/kubeopen_bg.wasm", import.meta.url) }).then(() => attach()),
    clusterInit({
      module_or_path: options?.cluster_module_or_path ?? new URL("./dist/kubeopen_cluster_bg.wasm", import.meta.url),
    }).then(() => attachCluster()),
  ]).then(() => undefined);
  return ready;
}

export * from "./api.js";
export * from "./cluster-api.js";
