// `kubeopen/cluster` for Node 20+: the wasm is read from disk and instantiated synchronously on import.
// The wasm paths are relative to the built file in dist/, which sits beside the wasm.
import { readFileSync } from "node:fs";
import { initSync } from "../dist/kubeopen_cluster.js";
import { attachCluster } from "./cluster-api.js";
import { setUrlModuleSource } from "./tunnel-client.js";

initSync({ module: readFileSync(new URL("./kubeopen_cluster_bg.wasm", import.meta.url)) });
attachCluster();
// Tunnels need the URL module, instantiated on first use; fetch cannot read a file: URL.
setUrlModuleSource(() => readFileSync(new URL("./kubeopen_bg.wasm", import.meta.url)));

export * from "./cluster-api.js";
