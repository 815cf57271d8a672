// tunnel-url.js, on the first tunnel: for the self-contained browser build of `kubeopen/cluster`
// (build.mjs), which starts without the URL module's JavaScript. The file is dist/tunnel-url.js,
// beside the built dist/cluster.js; bundlers never see this (they get dist/cluster.module.js).

/** @returns {Promise<typeof import("./tunnel-url.js")>} */
export const loadTunnelUrl = () => import(/* @vite-ignore */ /* webpackIgnore: true */ new URL("./tunnel-url.js", import.meta.url).href);
