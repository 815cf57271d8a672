/**
 * Everything of `kubeopen` and `kubeopen/cluster`, for places without top-level await (an MV3
 * extension's service worker): call the default export `init()` once, and await it, before the
 * first call. It loads both wasm modules.
 *
 * ```js
 * import init, { parseSegment } from "kubeopen/manual";
 * await init();
 * parseSegment("https:web:8443");
 * ```
 *
 * @module kubeopen/manual
 */
export * from "kubeopen/manual";
export { default } from "kubeopen/manual";
