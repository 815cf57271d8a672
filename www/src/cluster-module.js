// @ts-check
// The `kubeopen/cluster` entry carries its own wasm (~100 KB gzipped): load it only when a view
// that needs it is used, so the playground's first render does not wait for it.

/** @type {Promise<typeof import("kubeopen/cluster")> | undefined} */
let loading;

/** The `kubeopen/cluster` module, loaded once. */
export function clusterModule() {
  loading ??= import("kubeopen/cluster");
  return loading;
}
