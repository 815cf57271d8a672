// `kubeopen/cluster` for Node 20+: the wasm is read from disk and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/kubeopen_cluster.js";
import { attachCluster } from "./cluster-api.js";

initSync({ module: readFileSync(new URL("./dist/kubeopen_cluster_bg.wasm", import.meta.url)) });
attachCluster();

export * from "./cluster-api.js";
