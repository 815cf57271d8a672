// @ts-check
// Builds the package's JavaScript: the hand-written modules in src/ and wasm-bindgen's glue in
// dist/ (scripts/build-wasm.sh writes it) become, in dist/, one file per entry point and two
// shared chunks:
//   dist/kubeopen-url.js      the URL module's glue, api.js and errors.js
//   dist/kubeopen-cluster.js  the cluster module's glue, cluster-api.js, the Cluster and tunnel clients
// Why: a page without a bundler loads ES modules one level of imports at a time, and the wasm's
// fetch can only start once every module has arrived and run. The sources are eight modules up
// to three levels deep (`kubeopen/cluster`: cluster.js → cluster-client.js → tunnel-client.js →
// api.js); built, every entry is at most two files, fetched together, before its wasm
// (tests/bench/coldstart.bench.mjs: ~20 ms less for `kubeopen/cluster` and `kubeopen/manual`).
// Shared chunks, not one file per entry, so every module exists once: `KubeopenError` stays one
// class and each wasm module is instantiated once whichever entries a page imports. Bundlers
// see the same files; no minification, so what ships stays readable.
// Usage: node crates/kubeopen-wasm/npm/build.mjs (after scripts/build-wasm.sh)
import { readdir, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rolldown } from "rolldown";

const here = path.dirname(fileURLToPath(import.meta.url));
const dist = path.join(here, "dist");

/** Entry points: dist/NAME is built from src/NAME. */
const ENTRIES = ["index.js", "cluster.js", "manual.js", "node.mjs", "cluster-node.mjs"];
/** Shared chunks: name → the modules it holds (matched against module paths). */
const CHUNKS = [
  { name: "kubeopen-url", test: /([\\/]dist[\\/]kubeopen\.js|[\\/]src[\\/](api|errors)\.js)$/ },
  { name: "kubeopen-cluster", test: /([\\/]dist[\\/]kubeopen_cluster\.js|[\\/]src[\\/](cluster-api|cluster-client|tunnel-client)\.js)$/ },
];

// Outputs of an earlier build (not wasm-bindgen's files, which are this build's input).
const glue = new Set(["kubeopen.js", "kubeopen.d.ts", "kubeopen_cluster.js", "kubeopen_cluster.d.ts"]);
for (const f of await readdir(dist)) {
  if (/\.m?js$/.test(f) && !glue.has(f)) await rm(path.join(dist, f));
}

const bundle = await rolldown({
  cwd: here,
  input: Object.fromEntries(ENTRIES.map((f) => [f.replace(/\.m?js$/, ""), `./src/${f}`])),
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
  minify: false,
  minifyInternalExports: false,
});
await bundle.close();

const names = output.map((o) => o.fileName).sort();
const expected = [...ENTRIES, ...CHUNKS.map((c) => `${c.name}.js`)].sort();
if (JSON.stringify(names) !== JSON.stringify(expected)) {
  throw new Error(`npm build: wrote ${names.join(", ")}; expected ${expected.join(", ")}`);
}
console.log(`npm: built ${names.map((n) => `dist/${n}`).join(", ")}`);
