export * from "./index.js";
/** Loads and instantiates the wasm once; later calls return the same promise. */
export default function init(options?: {
  module_or_path?: RequestInfo | URL | Response | BufferSource | WebAssembly.Module;
}): Promise<void>;
