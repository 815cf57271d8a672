// Browsers and bundlers: initialises the wasm with top-level await, so every export is ready on
// import. Where top-level await is not allowed (extension service workers), use "kubeopen/manual".
import init from "./dist/kubeopen.js";
import { attach } from "./api.js";
// Imported here too, though api.js imports it: an unbundled page then requests it with the rest,
// one round trip sooner (the wasm's fetch can only start once every module has arrived).
import "./errors.js";

await init({ module_or_path: new URL("./dist/kubeopen_bg.wasm", import.meta.url) });
attach();

export * from "./api.js";
