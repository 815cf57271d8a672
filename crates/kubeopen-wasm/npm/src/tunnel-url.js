// What tunnels need of the URL module, whose wasm holds the channel codec, the HTTP request writer
// and the response parser: its glue's tunnel functions, and instantiating it once. Reached through
// tunnel-url-load.js: statically where a shared chunk already holds the URL module, or fetched on
// the first tunnel by the self-contained browser build of `kubeopen/cluster` (build.mjs says why),
// which then needs none of it to start.
import urlInit from "../dist/kubeopen.js";
import { attach } from "./api.js";
import { loaded } from "./errors.js";

export {
  __websocketProtocols,
  __tunnelLookups,
  __portForwardUrl,
  __tunnelRequest,
  __forbiddenPermission,
  __portForwardPermission,
  __PortForwardChannel,
  __TunnelResponse,
} from "../dist/kubeopen.js";

/** @type {Promise<void> | undefined} */
let instantiating;

/**
 * Instantiates the URL module once, unless an entry did; a failed load is retried next time.
 * @param {() => (URL | BufferSource | Promise<URL | BufferSource>)} source where its wasm comes from
 */
export async function instantiate(source) {
  if (loaded.url) return;
  instantiating ??= (async () => {
    await urlInit({ module_or_path: await source() });
    attach();
  })();
  instantiating.catch(() => (instantiating = undefined));
  await instantiating;
}
