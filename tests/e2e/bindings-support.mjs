// What the bindings and navigation tests share: Debian's Chromium with the real extension build
// (extension/dist/chrome), the sandbox with a token, a cluster added through the extension's own
// message, and small probes (tab ids, session rules, the worker's view of a tab).
import assert from "node:assert/strict";
import { createServer } from "node:http";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { chromium } from "playwright-core";
import { CHROMIUM, QUIET_ARGS } from "./chromium.mjs";
import { startSandbox } from "../support/sandbox.mjs";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
// KUBEOPEN_EXTENSION_OUT: a build made elsewhere with `KUBEOPEN_EXTENSION_OUT=DIR node extension/build.mjs`.
export const extensionDir = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(root, "extension", "dist"), "chrome");
export const TIMEOUT = 15_000;

/**
 * Chromium with the extension. With `trustSpki`, certificates whose public key hashes to it are
 * accepted (the sandbox's TLS; Chromium has no flag to add a CA to a profile).
 * @param {{ trustSpki?: string }} [options]
 */
export async function launchBrowser(options = {}) {
  const profile = await mkdtemp(path.join(tmpdir(), "kubeopen-bindings-"));
  const args = [...QUIET_ARGS, `--disable-extensions-except=${extensionDir}`, `--load-extension=${extensionDir}`];
  if (options.trustSpki) args.push(`--ignore-certificate-errors-spki-list=${options.trustSpki}`);
  const context = await chromium.launchPersistentContext(profile, { executablePath: CHROMIUM, headless: true, args });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: TIMEOUT });
  const extensionId = new URL(worker.url()).host;
  // An extension page to send messages from (the cluster and binding messages are for them only).
  const control = await context.newPage();
  await control.goto(`chrome-extension://${extensionId}/popup.html`);
  const browser = {
    context,
    extensionId,
    control,
    /** The current service worker (a new one after it was stopped). */
    worker() {
      const [w] = context.serviceWorkers();
      return w ?? worker;
    },
    /** @param {object} msg */
    send(msg) {
      return control.evaluate((m) => chrome.runtime.sendMessage(m), msg);
    },
    /** Runs `fn(arg)` in the extension's service worker. @template T @param {(arg: any) => T} fn @param {any} [arg] */
    inWorker(fn, arg) {
      return browser.worker().evaluate(fn, arg);
    },
    async sessionRules() {
      return browser.inWorker(() => chrome.declarativeNetRequest.getSessionRules());
    },
    async dynamicRules() {
      return browser.inWorker(() => chrome.declarativeNetRequest.getDynamicRules());
    },
    /** The tab id of `page`, found by a unique title. @param {import("playwright-core").Page} page */
    async tabIdOf(page) {
      const marker = `probe-${Math.random().toString(36).slice(2)}`;
      const before = await page.title();
      await page.evaluate((t) => (document.title = t), marker);
      const ids = await browser.inWorker(async (t) => (await chrome.tabs.query({ title: t })).map((tab) => tab.id), marker);
      await page.evaluate((t) => (document.title = t), before);
      assert.equal(ids.length, 1, `one tab titled ${marker}`);
      return ids[0];
    },
    /** @param {number} tabId */
    async bindingOf(tabId) {
      const answer = await browser.send({ type: "kubeopen:binding", tabId });
      assert.equal(answer.ok, true, JSON.stringify(answer));
      return answer.binding;
    },
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
  return browser;
}

/**
 * Adds a cluster through the extension (the clusters part's message).
 * @param {Awaited<ReturnType<typeof launchBrowser>>} browser
 * @param {{ name: string, server: string, token: string | null }} c
 */
export async function addCluster(browser, { name, server, token }) {
  const answer = await browser.send({
    type: "kubeopen:addCluster",
    name,
    server,
    credentials: token === null ? null : { token },
    namespace: "demo",
  });
  assert.equal(answer.ok, true, `addCluster: ${JSON.stringify(answer)}`);
  return answer.cluster;
}

/** A loopback server that records every request's headers; answers a small HTML page. */
export async function startRecorder() {
  /** @type {{ url: string, headers: import("node:http").IncomingHttpHeaders }[]} */
  const requests = [];
  const srv = createServer((req, res) => {
    requests.push({ url: req.url ?? "", headers: req.headers });
    res.writeHead(200, { "content-type": "text/html; charset=utf-8", "access-control-allow-origin": "*" });
    res.end("<!doctype html><title>recorder</title><p>another origin</p>");
  });
  await new Promise((resolve) => srv.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
  return {
    url: `http://127.0.0.1:${port}`,
    requests,
    close: () =>
      new Promise((resolve) => {
        srv.closeAllConnections();
        srv.close(() => resolve(undefined));
      }),
  };
}

/** Polls `probe` until it returns a truthy value (or fails with `what`). @template T @param {() => Promise<T>} probe @param {string} what */
export async function eventually(probe, what, timeout = TIMEOUT) {
  const end = Date.now() + timeout;
  let last;
  for (;;) {
    last = await probe();
    if (last) return last;
    if (Date.now() > end) throw new Error(`timed out waiting for ${what}; last: ${JSON.stringify(last)}`);
    await new Promise((r) => setTimeout(r, 50));
  }
}

/** Waits until `#id` in `page` no longer says "pending" and returns its text. @param {import("playwright-core").Page} page @param {string} id */
export async function settled(page, id) {
  const el = page.locator(`#${id}`, { hasNotText: "pending" });
  await el.waitFor({ timeout: TIMEOUT });
  return (await el.textContent()) ?? "";
}

/** What the demo backend received, through its X-Echo: 1 answer, from inside `page`. @param {import("playwright-core").Page} page */
export async function echoFrom(page, url = "/echo-me") {
  const echo = await page.evaluate(async (u) => {
    const r = await fetch(u, { headers: { "X-Echo": "1" } });
    return { status: r.status, url: r.url, body: await r.json() };
  }, url);
  const headers = Object.fromEntries(
    Object.entries(echo.body.headers ?? {}).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]),
  );
  return { status: echo.status, url: echo.url, headers };
}

export { startSandbox };
