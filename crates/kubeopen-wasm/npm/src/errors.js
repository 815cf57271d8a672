// The error class every kubeopen entry throws (kubeopen, kubeopen/cluster, kubeopen/manual). The
// built `kubeopen` entry is self-contained (build.mjs says why), so a page that imports it and
// `kubeopen/cluster` holds two copies of this module: `instanceof KubeopenError` checks a mark that
// both copies' errors carry, not the class, and holds whichever entry threw. Also which wasm
// modules are instantiated: only "kubeopen/manual" can be called before its `init()`, and such a
// call must say so rather than fail inside the wasm-bindgen glue with a bare TypeError.

/** The mark of a kubeopen error, shared by every copy of this module (a registered symbol). */
const KUBEOPEN_ERROR = Symbol.for("kubeopen.KubeopenError");

/** What every kubeopen function throws: a stable `code`, a message, sometimes a `detail`. */
export class KubeopenError extends Error {
  /**
   * Whether `value` is a kubeopen error from any copy of this module.
   * @param {unknown} value
   */
  static [Symbol.hasInstance](value) {
    return typeof value === "object" && value !== null && /** @type {any} */ (value)[KUBEOPEN_ERROR] === true;
  }

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

  /** The mark, on the prototype and not enumerable: errors print and serialise as before. */
  get [KUBEOPEN_ERROR]() {
    return true;
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
