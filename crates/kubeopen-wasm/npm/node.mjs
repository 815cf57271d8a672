// Node 20+: the wasm is read from disk and instantiated synchronously on import.
import { readFileSync } from "node:fs";
import { initSync } from "./dist/kubeopen.js";
import { attach } from "./api.js";

initSync({ module: readFileSync(new URL("./dist/kubeopen_bg.wasm", import.meta.url)) });
attach();

export * from "./api.js";
