// Explicit initialisation, for places without top-level await (MV3 service workers):
//   import init, { parseSegment } from "kubeopen/manual";
//   await init();   // once, before the first call
import wasmInit from "./dist/kubeopen.js";

let ready;

/**
 * Loads and instantiates the wasm once; later calls return the same promise.
 * @param {{ module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }} [options]
 */
export default function init(options) {
  ready ??= wasmInit({ module_or_path: new URL("./dist/kubeopen_bg.wasm", import.meta.url), ...options });
  return ready;
}

export * from "./dist/kubeopen.js";
