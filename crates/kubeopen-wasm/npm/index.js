// Browsers and bundlers: initialises the wasm with top-level await, so every export is ready on
// import. Where top-level await is not allowed (extension service workers), use "kubeopen/manual".
import init from "./dist/kubeopen.js";
import { attach } from "./api.js";

await init({ module_or_path: new URL("./dist/kubeopen_bg.wasm", import.meta.url) });
attach();

export * from "./api.js";
