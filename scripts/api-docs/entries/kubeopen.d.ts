/**
 * The default entry: `import { proxyUrl, … } from "kubeopen"`. Ready on import — top-level await
 * in browsers and bundlers, a synchronous load from disk in Node (`import` or `require`).
 *
 * @module kubeopen
 */
export * from "kubeopen";
