// tunnel-url.js, statically: for the entries built on the shared chunks, which hold the URL
// module's JavaScript anyway. The self-contained `kubeopen/cluster` gets tunnel-url-load.lazy.js
// instead (build.mjs).
import * as tunnelUrl from "./tunnel-url.js";

/** @returns {Promise<typeof tunnelUrl>} */
export const loadTunnelUrl = async () => tunnelUrl;
