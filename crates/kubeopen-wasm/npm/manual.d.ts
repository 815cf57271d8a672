export * from "./index.js";
export * from "./cluster.js";

/** What `init` accepts for a module: its URL (or a `Request`), a `Response`, its bytes, or a compiled module. */
export type InitInput = RequestInfo | URL | Response | BufferSource | WebAssembly.Module;

/** Options of {@link init}. */
export interface InitOptions {
  /** The URL module (`kubeopen_bg.wasm`); by default fetched from next to this file. */
  module_or_path?: InitInput;
  /** The cluster module (`kubeopen_cluster_bg.wasm`); by default fetched from next to this file. */
  cluster_module_or_path?: InitInput;
  /**
   * `false` loads only the URL module: every function of `kubeopen` works, those of
   * `kubeopen/cluster` (and `Cluster`) throw `NotInitialized` until a later `init()` loads it.
   * Default `true`: both modules, fetched and compiled in parallel.
   */
  cluster?: boolean;
}

/**
 * Loads and instantiates the wasm modules; await it once before calling any other function, which
 * otherwise throws a `KubeopenError` with code `NotInitialized`. Each module is loaded once: later
 * calls resolve at once for what is loaded, load what an earlier `{ cluster: false }` left out,
 * and retry a module whose load failed.
 * @example
 * ```ts
 * import init, { proxyUrl } from "kubeopen/manual";
 * await init({ cluster: false }); // only the URL functions: one .wasm to fetch and compile
 * proxyUrl("https://10.0.0.1:6443", { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 });
 * ```
 */
export default function init(options?: InitOptions): Promise<void>;
