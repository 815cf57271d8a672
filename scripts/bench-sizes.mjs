// @ts-check
// The size budgets (scripts/bench-budgets.json), checked on what is built: every shipped .wasm
// (npm dist, both extension builds, www assets) against its module's gzip budget, the www page's
// JS + wasm together, and the npm package unpacked; then every .js the package ships, reported.
// Deterministic: same build, same answer, so `make test` runs it (a layer of scripts/test.sh)
// and `make bench` reports it.
// Usage: node scripts/bench-sizes.mjs [--json FILE]   (exit 1 when a budget is missed)
import { execFileSync } from "node:child_process";
import { existsSync, readdirSync, readFileSync, statSync, writeFileSync } from "node:fs";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { gzipSync } from "node:zlib";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..");
const budgets = JSON.parse(readFileSync(path.join(root, "scripts", "bench-budgets.json"), "utf8")).sizes;

/** @typedef {{ name: string, file?: string, raw: number | null, gzip: number | null, budget: number | null, budgetKey: string | null, measured: number | null, pass: boolean | null }} Row */

/** gzip -9 size, as `gzip -9 -c FILE | wc -c` gives it. @param {string} file */
const gzipSize = (file) => gzipSync(readFileSync(file), { level: 9 }).length;

/** @param {string} dir @param {RegExp} pattern @returns {string[]} */
const filesIn = (dir, pattern) =>
  existsSync(dir) ? readdirSync(dir).filter((f) => pattern.test(f)).sort().map((f) => path.join(dir, f)) : [];

/** Which module a .wasm is: the cluster module's file names (hashed or not) contain "cluster". @param {string} file */
const wasmBudgetKey = (file) => (path.basename(file).includes("cluster") ? "clusterWasmGzip" : "defaultWasmGzip");

/** @type {Row[]} */
const rows = [];
/** @type {string[]} */
const missing = [];

const npmDist = path.join(root, "crates", "kubeopen-wasm", "npm", "dist");
const wasmFiles = [
  ...filesIn(npmDist, /\.wasm$/),
  ...["chrome", "firefox"].flatMap((b) => filesIn(path.join(root, "extension", "dist", b, "vendor", "kubeopen", "dist"), /\.wasm$/)),
  ...filesIn(path.join(root, "www", "dist", "assets"), /\.wasm$/),
];
for (const key of ["defaultWasmGzip", "clusterWasmGzip"]) {
  if (!wasmFiles.some((f) => wasmBudgetKey(f) === key && f.startsWith(npmDist))) missing.push(`${budgets[key].what} in ${path.relative(root, npmDist)}`);
}
for (const file of wasmFiles) {
  const key = wasmBudgetKey(file);
  const gzip = gzipSize(file);
  rows.push({ name: path.relative(root, file), file, raw: statSync(file).size, gzip, budget: budgets[key].budget, budgetKey: key, measured: gzip, pass: gzip <= budgets[key].budget });
}

// The www page: every JS chunk and wasm it can load, gzipped one by one and summed (what a
// first visit downloads at most).
const wwwAssets = filesIn(path.join(root, "www", "dist", "assets"), /\.(js|wasm)$/);
if (wwwAssets.length === 0) missing.push("www/dist/assets (build www first)");
else {
  const gzip = wwwAssets.reduce((sum, f) => sum + gzipSize(f), 0);
  const raw = wwwAssets.reduce((sum, f) => sum + statSync(f).size, 0);
  const budget = budgets.wwwGzip.budget;
  rows.push({ name: `www/dist/assets: ${wwwAssets.length} JS + wasm files`, raw, gzip, budget, budgetKey: "wwwGzip", measured: gzip, pass: gzip <= budget });
}

// The npm package as `npm pack` would publish it (the `files` list), unpacked.
const pack = JSON.parse(execFileSync("npm", ["pack", "--dry-run", "--json", "--ignore-scripts"], { cwd: path.join(root, "crates", "kubeopen-wasm", "npm"), encoding: "utf8" }));
const unpacked = Number(pack[0]?.unpackedSize);
const budget = budgets.npmUnpacked.budget;
rows.push({ name: `npm package (${pack[0]?.entryCount} files), unpacked`, raw: unpacked, gzip: Number(pack[0]?.size), budget, budgetKey: "npmUnpacked", measured: unpacked, pass: unpacked < budget });

// Every JavaScript file the package ships, raw and gzipped: no budget of its own (the package's
// and the www page's totals above hold them), listed so a change in one shows.
const packageDir = path.join(root, "crates", "kubeopen-wasm", "npm");
for (const { path: file } of /** @type {{ path: string }[]} */ (pack[0]?.files ?? [])) {
  if (!/\.m?js$/.test(file)) continue;
  const full = path.join(packageDir, file);
  const gzip = gzipSize(full);
  rows.push({ name: path.relative(root, full), file: full, raw: statSync(full).size, gzip, budget: null, budgetKey: null, measured: gzip, pass: null });
}

const fmt = (/** @type {number | null} */ n) => (n === null ? "" : n.toLocaleString("en-US"));
console.log(`${"shipped".padEnd(70)} ${"raw B".padStart(10)} ${"gzip B".padStart(9)} ${"budget B".padStart(10)}  verdict`);
for (const r of rows) {
  console.log(`${r.name.padEnd(70)} ${fmt(r.raw).padStart(10)} ${fmt(r.gzip).padStart(9)} ${fmt(r.budget).padStart(10)}  ${r.pass === null ? "—" : r.pass ? "pass" : "FAIL"}`);
}
for (const m of missing) console.log(`missing: ${m}`);
const failed = rows.filter((r) => r.pass === false);
const budgeted = rows.filter((r) => r.pass !== null).length;
console.log(failed.length || missing.length ? `sizes: ${failed.length} over budget, ${missing.length} missing` : `sizes: all ${budgeted} within budget`);

const json = process.argv.indexOf("--json");
if (json > 0) writeFileSync(process.argv[json + 1], JSON.stringify({ bench: "sizes", rows: rows.map(({ file, ...r }) => r), missing }, null, 2));
process.exitCode = failed.length || missing.length ? 1 : 0;
