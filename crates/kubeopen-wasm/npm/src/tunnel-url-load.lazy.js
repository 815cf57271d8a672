// tunnel-url.js, on the first tunnel: for the self-contained browser build of `kubeopen/cluster`
// (build.mjs), which starts without the URL module's JavaScript. The file is dist/tunnel-url.js,
// beside the built dist/cluster.js; bundlers get dist/cluster.module.js and never run this.
import { KubeopenError } from "./errors.js";

/** @returns {Promise<typeof import("./tunnel-url.js")>} */
export function loadTunnelUrl() {
  const url = new URL("./tunnel-url.js", import.meta.url).href;
  return import(/* @vite-ignore */ /* webpackIgnore: true */ url).catch((error) => {
    throw new KubeopenError(
      "Network",
      `the tunnel's code could not be loaded from ${url}: it ships beside kubeopen/cluster's dist/cluster.js (a bundler should resolve kubeopen/cluster with the "module" condition) (${error instanceof Error ? error.message : String(error)})`,
      { url },
      { cause: error },
    );
  });
}
