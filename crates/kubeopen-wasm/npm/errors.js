// The one error class every kubeopen entry throws (kubeopen, kubeopen/cluster, kubeopen/manual):
// one module, so `instanceof KubeopenError` holds whichever entry threw.

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
