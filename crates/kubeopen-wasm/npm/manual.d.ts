export * from "./index.js";
export * from "./cluster.js";
/** Loads and instantiates both wasm modules (`kubeopen` and `kubeopen/cluster`) once; later calls return the same promise. */
export default function init(options?: {
  module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
  cluster_module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
}): Promise<void>;
