// Browsers and bundlers: initialises the wasm with top-level await, so every export is ready on
// import. Where top-level await is not allowed (extension service workers), use "kubeopen/manual".
import init from "../dist/kubeopen.js";
import { attach } from "./api.js";

// Relative to the built file (dist/index.js), which sits beside the wasm.
await init({ module_or_path: new URL("./kubeopen_bg.wasm", import.meta.url) });
attach();

export * from "./api.js";
