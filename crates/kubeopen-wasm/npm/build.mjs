// @ts-check
// Builds the package's JavaScript: the hand-written modules in src/ and wasm-bindgen's glue in
// dist/ (scripts/build-wasm.sh writes it) become, in dist/:
//   index.js, cluster.js, manual.js
//                          `kubeopen`, `kubeopen/cluster` and `kubeopen/manual` without a bundler:
//                          one file each, then its wasm. cluster.js holds no URL module: its tunnels
//                          fetch tunnel-url.js (and the URL chunk, and its wasm) on the first tunnel.
//   index.module.js, cluster.module.js, node.mjs, cluster-node.mjs, tunnel-url.js: the other
//                          entries (*.module.js: the first two for bundlers), each importing
//   kubeopen-url.js        the URL module's glue, api.js, errors.js and tunnel-url.js
//   kubeopen-cluster.js    the cluster module's glue, cluster-api.js, the Cluster and tunnel clients
// Why: without a bundler, ES modules load one level of imports at a time, and the wasm's fetch
// can only start once every module has arrived and run, so each level is a round trip before the
// wasm: ~10 ms in a page on the test VM, ~6 ms in an extension's service worker
// (tests/bench/coldstart.bench.mjs). Bundlers get the *.module.js files (the `module` condition),
// which share the chunks: an app that imports `kubeopen` and `kubeopen/cluster` holds one copy of
// the URL module. A page without a bundler that imports several entries holds several copies of
// errors.js, which is why `instanceof KubeopenError` checks a mark, not the class (errors.js).
// Each copy of a glue has its own wasm instance, instantiated once.
// Minified (MINIFY below), keeping top-level names: a third smaller, which is what lets three
// self-contained entries fit in the package's 1 MB; stack traces still name the functions. The
// readable sources are src/ and the glue; the docs and types are the .d.ts files.
// Usage: node crates/kubeopen-wasm/npm/build.mjs (after scripts/build-wasm.sh)
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");

/**
 * Entry points sharing the chunks below: dist/NAME is built from src/NAME without ".module".
 * dist/index.module.js and dist/cluster.module.js are `kubeopen` and `kubeopen/cluster` for
 * bundlers (the `module` condition), which inline chunks anyway: an app that imports both gets one
 * copy of the URL module. dist/tunnel-url.js is internal: what the self-contained dist/cluster.js
 * fetches on the first tunnel.
 */
const ENTRIES = ["index.module.js", "cluster.module.js", "node.mjs", "cluster-node.mjs", "tunnel-url.js"];
/** @param {string} entry */
const sourceOf = (entry) => `./src/${entry.replace(".module", "")}`;
/** Entry points built alone, into one file each, for pages and extensions without a bundler. */
const SELF_CONTAINED = ["index.js", "cluster.js", "manual.js"];
/** Shared chunks: name → the modules it holds (matched against module paths). */
const CHUNKS = [
  { name: "kubeopen-url", test: /([\\/]dist[\\/]kubeopen\.js|[\\/]src[\\/](api|errors|tunnel-url|tunnel-url-load)\.js)$/ },
  { name: "kubeopen-cluster", test: /([\\/]dist[\\/]kubeopen_cluster\.js|[\\/]src[\\/](cluster-api|cluster-client|tunnel-client)\.js)$/ },
];
/**
 * The shipped JavaScript is minified but keeps its top-level names (functions, classes) and their
 * `name`s, so a stack trace still says where it was. JSDoc is dropped: the .d.ts files carry it.
 * @type {import("rolldown").OutputOptions["minify"]}
 */
const MINIFY = { mangle: { toplevel: false, keepNames: true }, compress: { keepNames: { function: true, class: true } } };
const COMMENTS = { jsdoc: false, legal: true, annotation: true };
/**
 * For the self-contained `kubeopen/cluster`: its tunnels load the URL module's JavaScript on the
 * first tunnel (src/tunnel-url-load.lazy.js), not with it.
 * @type {import("rolldown").Plugin}
 */
const lazyTunnelUrl = {
  name: "kubeopen-lazy-tunnel-url",
  resolveId(source, importer) {
    if (source === "./tunnel-url-load.js" && importer?.endsWith(`${path.sep}tunnel-client.js`)) {
      return path.join(here, "src", "tunnel-url-load.lazy.js");
    }
    return null;
  },
};

// Outputs of an earlier build (not wasm-bindgen's files, which are this build's input).
const glue = new Set(["kubeopen.js", "kubeopen.d.ts", "kubeopen_cluster.js", "kubeopen_cluster.d.ts"]);
for (const f of await readdir(dist)) {
  if (/\.m?js$/.test(f) && !glue.has(f)) await rm(path.join(dist, f));
}

const bundle = await rolldown({
  cwd: here,
  input: Object.fromEntries(ENTRIES.map((f) => [f.replace(/\.m?js$/, ""), sourceOf(f)])),
  platform: "neutral",
  external: [/^node:/],
  // Every export of every entry stays, with its name: these files are a library's interface.
  preserveEntrySignatures: "strict",
});
const { output } = await bundle.write({
  dir: dist,
  format: "es",
  entryFileNames: (chunk) => ENTRIES.find((f) => f.replace(/\.m?js$/, "") === chunk.name) ?? `${chunk.name}.js`,
  chunkFileNames: "[name].js",
  codeSplitting: { groups: CHUNKS },
  minify: MINIFY,
  minifyInternalExports: false,
  comments: COMMENTS,
});
await bundle.close();

const names = output.map((o) => o.fileName);
for (const entry of SELF_CONTAINED) {
  const alone = await rolldown({
    cwd: here,
    input: { [entry.replace(/\.m?js$/, "")]: `./src/${entry}` },
    platform: "neutral",
    preserveEntrySignatures: "strict",
    plugins: entry === "cluster.js" ? [lazyTunnelUrl] : [],
  });
  const written = await alone.write({ dir: dist, format: "es", entryFileNames: entry, minify: MINIFY, comments: COMMENTS });
  await alone.close();
  names.push(...written.output.map((o) => o.fileName));
}
names.sort();
const expected = [...ENTRIES, ...SELF_CONTAINED, ...CHUNKS.map((c) => `${c.name}.js`)].sort();
if (JSON.stringify(names) !== JSON.stringify(expected)) {
  throw new Error(`npm build: wrote ${names.join(", ")}; expected ${expected.join(", ")}`);
}
console.log(`npm: built ${names.map((n) => `dist/${n}`).join(", ")}`);
