// Explicit initialisation, for places without top-level await (MV3 service workers):
//   import init, { parseSegment } from "kubeopen/manual";
//   await init();   // once, before the first call
import wasmInit from "./dist/kubeopen.js";
import { attach } from "./api.js";

/** @type {Promise<void> | undefined} */
let ready;

/**
 * Loads and instantiates the wasm once; later calls return the same promise.
 * @param {{ module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module }} [options]
 * @returns {Promise<void>}
 */
export default function init(options) {
  ready ??= wasmInit({ module_or_path: new URL("./dist/kubeopen_bg.wasm", import.meta.url), ...options }).then(
    () => attach(),
  );
  return ready;
}

export * from "./api.js";
