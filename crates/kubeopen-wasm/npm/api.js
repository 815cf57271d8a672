// The package's public JavaScript API, over the wasm-bindgen glue. Conversion and wiring only:
// every rule lives in the Rust core. Entry points (index.js, node.mjs, manual.js) initialise the
// wasm, call `attach()`, and re-export this module.
import { __registerErrorClass } from "./dist/kubeopen.js";

export { parseSegment, formatSegment, version } from "./dist/kubeopen.js";

/** What every kubeopen function throws: a stable `code`, a message, sometimes a `detail`. */
export class KubeopenError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [detail]
   */
  constructor(code, message, detail) {
    super(message);
    this.name = "KubeopenError";
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

/** Wires the JavaScript side into a freshly instantiated wasm module. */
export function attach() {
  __registerErrorClass(KubeopenError);
}
