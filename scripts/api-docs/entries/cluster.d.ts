/**
 * The second entry, with its own wasm module: kubeconfig parsing and context resolution,
 * credentials, service-account tokens, in-cluster configuration, discovery, and `Cluster`, a small
 * client for the API server. Ready on import, like `kubeopen`.
 *
 * ```js
 * import { Cluster } from "kubeopen/cluster";
 * const cluster = new Cluster({ server: "https://10.0.0.1:6443", token });
 * const endpoints = await cluster.openableEndpoints("monitoring");
 * ```
 *
 * @module kubeopen/cluster
 */
export * from "kubeopen/cluster";
