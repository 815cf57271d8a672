// The packed npm package (`npm pack`, unmodified) in every kind of project a dashboard author has:
// Node ESM and CommonJS, a Vite app (dev server and production build), webpack 5, a plain
// <script type="module"> page, and strict TypeScript. Each consumer prints the same result, which
// includes `Cluster` calls from "kubeopen/cluster" against the sandbox API server (the browser ones
// across origins: the sandbox allows the consumers' origin with --cors-allowed-origins).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { execFileSync } from "node:child_process";
import { cp, readdir, rm, stat } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPlain } from "../e2e/chromium.mjs";
import { serveStatic } from "../e2e/static-server.mjs";
import { installPacked } from "./packed.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const sources = path.join(root, "tests", "consumers");
const work = path.join(root, "tests", ".artifacts", "consumers");
const installed = path.join(work, "node_modules", "kubeopen");

const EXPECTED = {
  seg: { scheme: "https", name: "grafana", port: "3000" },
  joined: "web:80",
  version: "0.1.0",
  code: "InvalidSegment",
  // `new Cluster({server, token}).listServices("demo")`, names sorted, and a wrong token's error.
  services: ["brotli", "identity", "no-endpoints", "web", "web-multi", "web-unnamed"],
  clusterCode: "Unauthorized",
};
/**
 * The browser consumers also open a tunnel (`Cluster.tunnelFetch`: the pod's portforward
 * WebSocket), which a plain page's self-contained "kubeopen/cluster" can do only after fetching the
 * URL module on the spot (dist/tunnel-url.js), and a bundle through its shared chunk.
 */
const BROWSER_EXPECTED = { ...EXPECTED, tunnelled: { items: ["alpha", "beta", "gamma"], authorization: false } };
const TOKEN = "consumer-token";

/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** What the Node consumers read: the sandbox's URL and token, in the environment (never in a URL). */
const consumerEnv = () => ({ ...process.env, KUBEOPEN_SERVER: sandbox.url, KUBEOPEN_TOKEN: TOKEN });

/** @type {import("playwright-core").Browser} */
let browser;

before(async () => {
  await rm(work, { recursive: true, force: true });
  await installPacked(work);
  for (const entry of await readdir(sources)) {
    if (entry.endsWith(".test.mjs")) continue;
    await cp(path.join(sources, entry), path.join(work, entry), { recursive: true });
  }
  browser = await launchPlain();
  // Every consumer page is served from 127.0.0.1 on some port; kube-apiserver's usual safe pattern.
  sandbox = await startSandbox({ tokens: { [TOKEN]: "consumer" }, args: ["--cors-allowed-origins", "//127\\.0\\.0\\.1(:|$)"] });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** Loads `url` in Chromium and returns the JSON the page wrote into #result. @param {string} url */
async function pageResult(url) {
  const page = await browser.newPage();
  // The page reads the sandbox's URL and token from this global (browser-app.js).
  await page.addInitScript((config) => Object.assign(globalThis, { kubeopenSandbox: config }), { server: sandbox.url, token: TOKEN });
  /** @type {string[]} */ const errors = [];
  /** @type {() => void} */ let broke = () => {};
  const brokeNow = new Promise((resolve) => (broke = () => resolve(false)));
  page.on("pageerror", (e) => {
    errors.push(String(e));
    broke();
  });
  page.on("console", (m) => {
    if (m.type() !== "error") return;
    console.error(`[${url}] console: ${m.text()}`);
    // A module that fails to resolve or load is reported here, not as a page error.
    if (!m.text().startsWith("Failed to load resource")) {
      errors.push(m.text());
      broke();
    }
  });
  // (The sandbox's 401 for the wrong token is expected.)
  page.on("response", (r) => { if (r.status() >= 400 && !r.url().startsWith(sandbox.url)) console.error(`[${url}] HTTP ${r.status()} ${r.url()}`); });
  try {
    await page.goto(url);
    // A page that breaks before writing its result says why in the failure (not just "timeout").
    const written = await Promise.race([
      page.waitForFunction(() => document.getElementById("result")?.textContent, null, { timeout: 60_000 }).then(() => true, () => false),
      brokeNow,
    ]);
    assert.ok(written, `${url} wrote no result; page errors: ${JSON.stringify(errors)}`);
    assert.deepEqual(errors, []);
    return JSON.parse(/** @type {string} */ (await page.locator("#result").textContent()));
  } finally {
    await page.close();
  }
}

/** @param {string} dir */
async function du(dir) {
  let total = 0;
  for (const entry of await readdir(dir, { withFileTypes: true, recursive: true })) {
    if (entry.isFile()) total += (await stat(path.join(entry.parentPath, entry.name))).size;
  }
  return total;
}

test("the packed package contains only what it ships, under 1 MB unpacked", async () => {
  const files = (await readdir(installed, { recursive: true })).sort();
  // The built entries and their two shared chunks (crates/kubeopen-wasm/npm/build.mjs), never
  // the sources they are built from nor wasm-bindgen's glue (inlined in the chunks).
  const entries = ["index.js", "index.module.js", "cluster.js", "cluster.module.js", "manual.js", "node.mjs", "cluster-node.mjs", "tunnel-url.js"];
  entries.push("kubeopen-url.js", "kubeopen-cluster.js");
  const shipped = ["package.json", "README.md", "index.d.ts", "manual.d.ts", "cluster.d.ts", "errors.d.ts", ...entries.map((f) => `dist/${f}`)];
  shipped.push("dist/kubeopen.d.ts", "dist/kubeopen_cluster.d.ts", "dist/kubeopen_bg.wasm", "dist/kubeopen_cluster_bg.wasm");
  const installedFiles = [];
  for (const f of files) if ((await stat(path.join(installed, f))).isFile()) installedFiles.push(f);
  assert.deepEqual(installedFiles, [...shipped].sort(), "the tarball holds exactly what the package ships");
  assert.ok((await du(installed)) < 1_000_000);
});

test("Node ESM: import", () => {
  const out = execFileSync(process.execPath, [path.join(work, "node-esm", "index.mjs")], { encoding: "utf8", env: consumerEnv() });
  assert.deepEqual(JSON.parse(out), EXPECTED);
});

test("Node CommonJS: require", () => {
  const out = execFileSync(process.execPath, [path.join(work, "node-cjs", "index.cjs")], { encoding: "utf8", env: consumerEnv() });
  assert.deepEqual(JSON.parse(out), EXPECTED);
});

test("TypeScript strict against the package's .d.ts, compiled and run", () => {
  const tsc = path.join(root, "node_modules", "typescript", "bin", "tsc");
  execFileSync(process.execPath, [tsc, "-p", path.join(work, "ts-strict")], { encoding: "utf8" });
  const out = execFileSync(process.execPath, [path.join(work, "ts-strict", "out", "index.js")], { encoding: "utf8", env: consumerEnv() });
  assert.deepEqual(JSON.parse(out), { port: "80", code: "InvalidSegment", services: EXPECTED.services, clusterCode: "Unauthorized" });
});

test("plain <script type=module> page, no bundler", async () => {
  const server = await serveStatic(work);
  try {
    assert.deepEqual(await pageResult(`${server.url}plain/index.html`), BROWSER_EXPECTED);
  } finally {
    await server.close();
  }
});

test("plain page: a tunnel whose code was not served fails with a KubeopenError naming the file", async () => {
  const server = await serveStatic(work);
  try {
    // The import map sends dist/tunnel-url.js to a missing file: Network, with the URL it tried.
    assert.deepEqual(await pageResult(`${server.url}plain/missing-tunnel-code.html`), {
      error: "Network",
      url: "…/kubeopen/dist/tunnel-url.js",
    });
  } finally {
    await server.close();
  }
});

test("Vite production build", async () => {
  const { build } = await import("vite");
  const dir = path.join(work, "vite");
  await build({ root: dir, logLevel: "silent", base: "./", build: { outDir: "dist", target: "es2022" } });
  const server = await serveStatic(path.join(dir, "dist"));
  try {
    assert.deepEqual(await pageResult(server.url), BROWSER_EXPECTED);
  } finally {
    await server.close();
  }
});

test("Vite dev server", async () => {
  const { createServer } = await import("vite");
  const server = await createServer({
    root: path.join(work, "vite"),
    logLevel: "silent",
    server: { port: 0, host: "127.0.0.1" },
  });
  await server.listen();
  try {
    const url = server.resolvedUrls?.local[0];
    assert.ok(url);
    assert.deepEqual(await pageResult(url), BROWSER_EXPECTED);
  } finally {
    await server.close();
  }
});

test("webpack 5 production build", async () => {
  const { default: webpack } = await import("webpack");
  const dir = path.join(work, "webpack");
  const stats = await new Promise((resolve, reject) =>
    webpack(
      { mode: "production", context: dir, entry: "../browser-app.js", output: { path: path.join(dir, "dist"), filename: "main.js" } },
      (err, s) => (err ? reject(err) : resolve(s)),
    ),
  );
  assert.ok(!stats.hasErrors(), stats.toString("errors-only"));
  await cp(path.join(dir, "index.html"), path.join(dir, "dist", "index.html"));
  const server = await serveStatic(path.join(dir, "dist"));
  try {
    assert.deepEqual(await pageResult(server.url), BROWSER_EXPECTED);
  } finally {
    await server.close();
  }
});
