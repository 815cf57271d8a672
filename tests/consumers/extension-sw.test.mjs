// @ts-check
// The packed package in a browser extension's service worker: a throwaway MV3 extension
// (tests/consumers/extension-sw) loaded unpacked in Debian's Chromium, using "kubeopen/manual"
// (both wasm modules) and a `Cluster` call to the sandbox from the worker.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { cp, rm } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchWithExtension } from "../e2e/chromium.mjs";
import { installPacked } from "./packed.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const extension = path.join(root, "tests", ".artifacts", "consumer-extension-sw");

/** @type {Awaited<ReturnType<typeof launchWithExtension>> | undefined} */
let browser;
/** @type {import("../support/sandbox.mjs").Sandbox | undefined} */
let sandbox;
const TOKEN = "extension-token";

before(async () => {
  await rm(extension, { recursive: true, force: true });
  await cp(path.join(root, "tests", "consumers", "extension-sw"), extension, { recursive: true });
  await installPacked(extension, path.join(root, "tests", ".artifacts"));
  browser = await launchWithExtension(extension);
  // No --cors-allowed-origins: an extension's host permissions are what let its worker in.
  sandbox = await startSandbox({ tokens: { [TOKEN]: "extension" } });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** @template T @param {Promise<T>} promise @param {number} ms @param {string} what @returns {Promise<T>} */
function within(promise, ms, what) {
  /** @type {ReturnType<typeof setTimeout> | undefined} */ let timer;
  const timeout = new Promise((_, reject) => {
    timer = setTimeout(() => reject(new Error(`${what}: no answer within ${ms / 1000} s`)), ms);
  });
  return Promise.race([promise, timeout]).finally(() => clearTimeout(timer));
}

test("MV3 service worker: kubeopen/manual with await init(), rules accepted by Chromium", { timeout: 90_000 }, async () => {
  assert.ok(browser);
  const worker = browser.worker;
  // A worker whose module failed to load (a file missing from the tarball, say) never answers.
  const result = await within(
    worker.evaluate(() => /** @type {any} */ (self).kubeopenResult),
    30_000,
    "the service worker's kubeopenResult (did its module graph fail to load from the tarball?)",
  );
  const prefix = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy/";
  assert.deepEqual(result, {
    seg: { scheme: "https", name: "grafana", port: "3000" },
    url: `https://10.0.0.1:6443${prefix}d/abc`,
    html: `<script src="${prefix}public/app.js"></script>`,
    ruleIds: [100, 101, 102],
    version: "0.1.0",
    code: "InvalidSegment",
    context: { server: "https://10.0.0.1:6443", namespace: "monitoring", unsupported: true },
  });
});

test("MV3 service worker: a Cluster call to the API server", { timeout: 90_000 }, async () => {
  assert.ok(browser && sandbox);
  const { url } = sandbox;
  const services = await within(
    browser.worker.evaluate(([server, token]) => /** @type {any} */ (self).listServices(server, token), [url, TOKEN]),
    30_000,
    "listServices from the service worker",
  );
  assert.deepEqual(services, ["brotli", "identity", "no-endpoints", "web", "web-multi", "web-unnamed"]);
});
