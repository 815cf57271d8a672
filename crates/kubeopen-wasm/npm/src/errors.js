// The one error class every kubeopen entry throws (kubeopen, kubeopen/cluster, kubeopen/manual):
// one module, so `instanceof KubeopenError` holds whichever entry threw. Also which wasm modules
// are instantiated: only "kubeopen/manual" can be called before its `init()`, and such a call must
// say so rather than fail inside the wasm-bindgen glue with a bare TypeError.

/** What every kubeopen function throws: a stable `code`, a message, sometimes a `detail`. */
export class KubeopenError extends Error {
  /**
   * @param {string} code
   * @param {string} message
   * @param {Record<string, unknown>} [detail]
   * @param {{ cause?: unknown }} [options]
   */
  constructor(code, message, detail, options) {
    super(message, options);
    this.name = "KubeopenError";
    this.code = code;
    if (detail !== undefined) this.detail = detail;
  }
}

/** Set by `attach()` / `attachCluster()` once their wasm module is instantiated. */
export const loaded = { url: false, cluster: false };

/**
 * Throws `NotInitialized` unless `module` is instantiated.
 * @param {"url" | "cluster"} module
 */
export function assertLoaded(module) {
  if (loaded[module]) return;
  throw new KubeopenError(
    "NotInitialized",
    module === "cluster" && loaded.url
      ? 'the kubeopen cluster module is not loaded: init({ cluster: false }) loads only the URL functions; `await init()` from "kubeopen/manual" to load it too'
      : 'kubeopen is not initialised: `await init()` from "kubeopen/manual" once before calling its functions',
    { module },
  );
}
