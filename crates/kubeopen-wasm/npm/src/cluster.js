// `kubeopen/cluster` for browsers and bundlers: initialises the cluster wasm module with top-level
// await, so every export is ready on import. Where top-level await is not allowed (extension
// service workers), use "kubeopen/manual".
import init from "../dist/kubeopen_cluster.js";
import { attachCluster } from "./cluster-api.js";

// Relative to the built file (dist/cluster.js), which sits beside the wasm.
await init({ module_or_path: new URL("./kubeopen_cluster_bg.wasm", import.meta.url) });
attachCluster();

export * from "./cluster-api.js";
