// `kubeopen/cluster` for browsers and bundlers: initialises the cluster wasm module with top-level
// await, so every export is ready on import. Where top-level await is not allowed (extension
// service workers), use "kubeopen/manual".
import init from "./dist/kubeopen_cluster.js";
import { attachCluster } from "./cluster-api.js";
// Imported here too, though cluster-api.js imports them: an unbundled page then requests them with
// the rest, one round trip sooner (the wasm's fetch can only start once every module has arrived).
import "./errors.js";
import "./cluster-client.js";

await init({ module_or_path: new URL("./dist/kubeopen_cluster_bg.wasm", import.meta.url) });
attachCluster();

export * from "./cluster-api.js";
