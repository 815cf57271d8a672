// Node 20+: the wasm is read from disk and instantiated synchronously on import.
// The wasm paths are relative to the built file in dist/, which sits beside the wasm.
import { readFileSync } from "node:fs";
import { initSync } from "../dist/kubeopen.js";
import { attach } from "./api.js";

initSync({ module: readFileSync(new URL("./kubeopen_bg.wasm", import.meta.url)) });
attach();

export * from "./api.js";
