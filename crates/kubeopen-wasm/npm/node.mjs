// Node 20+: the wasm is read from disk and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/kubeopen.js";

initSync({ module: readFileSync(new URL("./dist/kubeopen_bg.wasm", import.meta.url)) });

export * from "./dist/kubeopen.js";
