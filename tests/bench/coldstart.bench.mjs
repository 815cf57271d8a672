// @ts-check
// Issue 7 budget: from `import` to the first result under 50 ms, in Node and in Chromium.
// Every run is cold: a fresh Node process, or a fresh Chromium context (empty HTTP and code
// caches) with a fresh page. Each round runs every case once, interleaved, so machine noise hits
// them alike; the baseline in the same rounds is a trivial module imported the same way and
// `new URL()`'s first call — the floor any module pays, for scale.
// Usage: node tests/bench/coldstart.bench.mjs [--runs N] [--json FILE]
import { execFileSync } from "node:child_process";
import { mkdtemp, mkdir, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPlain } from "../e2e/chromium.mjs";
import { serveStatic } from "../e2e/static-server.mjs";
import { median } from "./harness.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const pkg = path.join(root, "crates", "kubeopen-wasm", "npm");
const BUDGET_MS = 50;
const arg = (/** @type {string} */ name) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : undefined;
};
const RUNS = Number(arg("--runs") ?? 15);

const URL_STRING = "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/abc";
// The first result of each entry: a call that needs the wasm (or, for the baseline, the platform).
const FIRST = {
  url: `new URL(${JSON.stringify(URL_STRING)}).href`,
  kubeopen: `m.proxyUrl("https://10.0.0.1:6443", { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 }, "d/abc")`,
  cluster: `m.resolveContext(m.parseKubeconfig(${JSON.stringify(
    "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://10.0.0.1:6443'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n",
  )})).server`,
};
const EXPECTED = { url: URL_STRING, kubeopen: URL_STRING, cluster: "https://10.0.0.1:6443" };

const packageJson = JSON.parse(await readFile(path.join(pkg, "package.json"), "utf8"));
const hasCluster = Boolean(packageJson.exports?.["./cluster"]);

/**
 * @typedef {{ name: string, result: keyof typeof FIRST, run: () => Promise<{ ms: number, value: unknown, afterWasmMs?: number | null }> }} Case
 * @typedef {{ where: string, name: string, runs: number[], afterWasm: number[] }} Series
 */

// ---- Node: one fresh process per run; the child times itself from before `import` to the result.
const work = await mkdtemp(path.join(tmpdir(), "kubeopen-coldstart-"));
await writeFile(path.join(work, "trivial.mjs"), "export const parse = (s) => new URL(s);\n");

/** @param {"module" | "commonjs"} type @param {string} load @param {keyof typeof FIRST} first */
function nodeCase(type, load, first) {
  const code =
    `const t0 = performance.now(); const m = ${load}; const value = ${FIRST[first]};` +
    ` const ms = performance.now() - t0; process.stdout.write(JSON.stringify({ ms, value }));`;
  return async () => {
    // cwd = the repository: "kubeopen" resolves through node_modules/kubeopen, the package folder.
    const out = execFileSync(process.execPath, ["--no-warnings", "--input-type", type, "-e", code], { cwd: root, encoding: "utf8" });
    return JSON.parse(out);
  };
}

/** @type {Case[]} */
const nodeCases = [
  { name: "baseline: import a trivial module + new URL", result: "url", run: nodeCase("module", `await import(${JSON.stringify(path.join(work, "trivial.mjs"))})`, "url") },
  { name: 'import "kubeopen" + proxyUrl', result: "kubeopen", run: nodeCase("module", `await import("kubeopen")`, "kubeopen") },
  { name: 'require("kubeopen") + proxyUrl', result: "kubeopen", run: nodeCase("commonjs", `require("kubeopen")`, "kubeopen") },
];
if (hasCluster) {
  nodeCases.push({ name: 'import "kubeopen/cluster" + parseKubeconfig', result: "cluster", run: nodeCase("module", `await import("kubeopen/cluster")`, "cluster") });
}

// ---- Chromium: one fresh context and page per run, served from loopback. Two ways a page gets
// the package: unbundled (the package's files as they are, like the plain <script type=module>
// consumer: index.js → dist/kubeopen.js + api.js → … → the wasm) and a Vite production build (one
// chunk + the wasm: what a dashboard ships).
const site = path.join(work, "site");
await mkdir(path.join(work, "node_modules"), { recursive: true });
await symlink(pkg, path.join(work, "node_modules", "kubeopen"));
await mkdir(site);
await symlink(pkg, path.join(site, "kubeopen"));
await writeFile(path.join(site, "trivial.js"), "export const parse = (s) => new URL(s);\n");

/** The page's measuring script. The timer starts before the import is requested. @param {string} load @param {keyof typeof FIRST} first */
const pageScript = (load, first) =>
  `const t0 = performance.now();\nconst m = ${load};\nconst value = ${FIRST[first]};\nconst t1 = performance.now();\n` +
  // From the last byte of the (last) .wasm to the result: compiling what streaming compilation has not
  // yet, instantiating, the first call — the package's own work, apart from fetching.
  `const wasmEnd = Math.max(...performance.getEntriesByType("resource").filter((e) => e.name.endsWith(".wasm")).map((e) => e.responseEnd));\n` +
  `window.coldstart = { ms: t1 - t0, value, afterWasmMs: wasmEnd > 0 ? t1 - wasmEnd : null };\n`;

/** @param {string} name @param {string} load @param {keyof typeof FIRST} first */
async function page(name, load, first) {
  await writeFile(path.join(site, `${name}.html`), `<!doctype html><meta charset="utf-8"><script type="module">\n${pageScript(load, first)}</script>\n`);
  return `${name}.html`;
}

// The Vite app: one page, the entry picked by the URL's fragment (each dynamic import is its own chunk).
const viteSrc = path.join(work, "vite");
await mkdir(viteSrc);
await writeFile(path.join(viteSrc, "index.html"), `<!doctype html><meta charset="utf-8"><script type="module" src="./main.js"></script>\n`);
await writeFile(
  path.join(viteSrc, "main.js"),
  hasCluster
    ? `if (location.hash === "#cluster") {\n${pageScript(`await import("kubeopen/cluster")`, "cluster")}} else {\n${pageScript(`await import("kubeopen")`, "kubeopen")}}\n`
    : pageScript(`await import("kubeopen")`, "kubeopen"),
);
const { build } = await import("vite");
await build({ root: viteSrc, logLevel: "warn", base: "./", build: { outDir: path.join(site, "vite"), emptyOutDir: true, target: "es2022" } });

const server = await serveStatic(site);
const browser = await launchPlain();
/** @param {string} file */
function browserCase(file) {
  return async () => {
    const context = await browser.newContext();
    try {
      const tab = await context.newPage();
      /** @type {string[]} */ const errors = [];
      tab.on("pageerror", (e) => errors.push(String(e)));
      await tab.goto(server.url + file);
      const handle = await tab.waitForFunction(() => /** @type {any} */ (window).coldstart, null, { timeout: 30_000 });
      if (errors.length) throw new Error(`${file}: ${errors.join("; ")}`);
      return await handle.jsonValue();
    } finally {
      await context.close();
    }
  };
}

/** @type {Case[]} */
const browserCases = [
  { name: "baseline: import a trivial module + new URL", result: "url", run: browserCase(await page("baseline", `await import("./trivial.js")`, "url")) },
  { name: 'unbundled: import "kubeopen" + proxyUrl', result: "kubeopen", run: browserCase(await page("index", `await import("./kubeopen/index.js")`, "kubeopen")) },
  {
    name: 'unbundled: "kubeopen/manual" + init() (2 .wasm) + proxyUrl',
    result: "kubeopen",
    run: browserCase(await page("manual", `await import("./kubeopen/manual.js").then(async (m) => { await m.default(); return m; })`, "kubeopen")),
  },
  { name: 'Vite build: import("kubeopen") + proxyUrl', result: "kubeopen", run: browserCase("vite/index.html") },
];
if (hasCluster) {
  const entry = String(packageJson.exports["./cluster"].default ?? "./cluster.js").replace(/^\.\//, "");
  browserCases.push(
    { name: 'unbundled: "kubeopen/cluster" + parseKubeconfig', result: "cluster", run: browserCase(await page("cluster", `await import("./kubeopen/${entry}")`, "cluster")) },
    { name: 'Vite build: import("kubeopen/cluster") + parseKubeconfig', result: "cluster", run: browserCase("vite/index.html#cluster") },
  );
}

/** @param {string} where @param {Case[]} cases @returns {Promise<Series[]>} */
async function measure(where, cases) {
  /** @type {Series[]} */ const series = cases.map((c) => ({ where, name: c.name, runs: [], afterWasm: [] }));
  // One unmeasured round: the first spawn / page of a process pays for loading Node's or
  // Chromium's own code from disk, which is not what is measured here.
  for (const c of cases) await c.run();
  for (let r = 0; r < RUNS; r++) {
    for (const [i, c] of cases.entries()) {
      const { ms, value, afterWasmMs } = await c.run();
      if (value !== EXPECTED[c.result]) throw new Error(`${where} ${c.name}: got ${JSON.stringify(value)}`);
      series[i].runs.push(ms);
      if (typeof afterWasmMs === "number") series[i].afterWasm.push(afterWasmMs);
    }
  }
  return series;
}

/** @type {Series[]} */ let results = [];
try {
  results = [...(await measure("Node", nodeCases)), ...(await measure("Chromium", browserCases))];
} finally {
  await browser.close();
  await server.close();
  await rm(work, { recursive: true, force: true });
}

/** @param {number[]} xs @param {number} q */
const quantile = (xs, q) => [...xs].sort((a, b) => a - b)[Math.min(xs.length - 1, Math.floor(q * xs.length))];
const rows = results.map((s) => {
  const isBaseline = s.name.startsWith("baseline");
  const base = results.find((b) => b.where === s.where && b.name.startsWith("baseline"));
  const ms = median(s.runs);
  return {
    where: s.where,
    name: s.name,
    medianMs: ms,
    p25Ms: quantile(s.runs, 0.25),
    p75Ms: quantile(s.runs, 0.75),
    minMs: Math.min(...s.runs),
    maxMs: Math.max(...s.runs),
    // What the package adds to the floor: the median of per-round differences (same round, same noise).
    overBaselineMs: isBaseline || !base ? null : median(s.runs.map((x, r) => x - base.runs[r])),
    afterWasmMs: s.afterWasm.length ? median(s.afterWasm) : null,
    runs: s.runs,
    budgetMs: isBaseline ? null : BUDGET_MS,
    pass: isBaseline ? null : ms < BUDGET_MS,
  };
});

const ms = (/** @type {number} */ x) => `${x.toFixed(1)}`;
console.log(`cold start, import → first result (ms): median of ${RUNS} fresh runs per case, interleaved; spread p25–p75 [min–max]`);
console.log(`${"where".padEnd(9)}${"case".padEnd(58)}${"median".padStart(7)}${"over base".padStart(10)}${"after .wasm".padStart(12)}  spread`);
for (const r of rows) {
  const verdict = r.pass === null ? "" : `  budget <${r.budgetMs}: ${r.pass ? "PASS" : "FAIL"}`;
  console.log(
    `${r.where.padEnd(9)}${r.name.padEnd(58)}${ms(r.medianMs).padStart(7)}` +
      `${(r.overBaselineMs === null ? "" : `+${ms(r.overBaselineMs)}`).padStart(10)}${(r.afterWasmMs === null ? "" : ms(r.afterWasmMs)).padStart(12)}  ` +
      `${ms(r.p25Ms)}–${ms(r.p75Ms)} [${ms(r.minMs)}–${ms(r.maxMs)}]${verdict}`,
  );
}
console.log("over base: median of per-round differences from the baseline; after .wasm: from the .wasm's last byte to the result");
if (!hasCluster) console.log("(no kubeopen/cluster entry in package.json exports: not measured)");

const json = arg("--json");
if (json) writeFileSync(json, JSON.stringify({ bench: "coldstart", runs: RUNS, results: rows }, null, 2));
