// The three ways www is served, each in Debian's Chromium: Vite's dev server (sources, no build;
// the dashboard calls the sandbox cross-origin, allowed by --cors-allowed-origins), the built
// files from the sandbox's --www-dir (same origin as the API), and the real
// `kubectl proxy --www=www/dist --www-prefix=/ui/` in front of the sandbox (same origin). In the
// two same-origin ways the dashboard connects by itself, and a service opens in a new tab.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir } from "node:fs/promises";
import path from "node:path";
import { launchPlain } from "./chromium.mjs";
import { startKubectlProxy, startViteDev, wwwDist } from "./www-serve.mjs";
import { startSandbox } from "../support/sandbox.mjs";

let browser;
before(async () => {
  browser = await launchPlain();
});
after(async () => {
  await browser?.close();
});

/** The playground works at `url`: the wasm core resolves the default address. */
async function checkPlayground(url) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  const link = page.locator("#address-result a[data-proxy-url]");
  await link.waitFor();
  assert.equal(await link.textContent(), "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x");
  // The lazily loaded cluster module resolves from here too.
  await page.getByRole("button", { name: "Try an example token" }).click();
  await page.locator('#token-result dd[data-field="service account"]').waitFor();
  assert.deepEqual(errors, []);
  await page.close();
}

/**
 * The dashboard at `url` lists the demo cluster's services and, when `open`, opens demo/web in a
 * new tab, where the demo app is served through the API server's proxy.
 * @param {string} url @param {string} server @param {{ open: boolean }} options
 */
async function checkDashboard(url, server, { open }) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(url);
  await page.locator("[data-connected]").waitFor();
  assert.equal(await page.getByLabel("API server").inputValue(), server);
  const link = page.locator('tr[data-service="demo/web"]').getByRole("link", { name: /Open http \(80\)/ });
  await link.waitFor();
  assert.equal(await link.getAttribute("href"), `${server}/api/v1/namespaces/demo/services/web:80/proxy/`);
  const rendered = await page.evaluate(() => performance.getEntriesByName("kubeopen:rendered")[0]?.startTime ?? NaN);
  console.log(`# dashboard at ${url}: connected and listed ${rendered.toFixed(0)} ms after navigation`);
  if (open) {
    const [tab] = await Promise.all([page.context().waitForEvent("page"), link.click()]);
    await tab.waitForLoadState();
    assert.equal(tab.url(), `${server}/api/v1/namespaces/demo/services/web:80/proxy/`);
    assert.equal(await tab.title(), "kubeopen demo app");
    await tab.close();
  }
  assert.deepEqual(errors, []);
  await page.close();
}

test("Vite's dev server: the playground, and the dashboard against a CORS-enabled sandbox", async () => {
  const vite = await startViteDev();
  const origin = new URL(vite.url).origin;
  const sandbox = await startSandbox({ args: ["--cors-allowed-origins", `^${origin.replace(/[.]/g, "\\.")}$`] });
  try {
    await checkPlayground(vite.url);
    // Not same-origin: the server comes from ?server= (what `make demo` prints).
    await checkDashboard(`${vite.url}dashboard.html?server=${encodeURIComponent(sandbox.url)}`, sandbox.url, { open: true });
  } finally {
    await sandbox.stop();
    await vite.stop();
  }
});

test("static files from the sandbox (--www-dir at /ui/): same origin, the dashboard connects by itself", async () => {
  const sandbox = await startSandbox({ args: ["--www-dir", wwwDist, "--www-prefix", "/ui/"] });
  try {
    await checkPlayground(`${sandbox.url}/ui/`);
    await checkDashboard(`${sandbox.url}/ui/dashboard.html`, sandbox.url, { open: true });
    // The prefix without its slash redirects, as Go's ServeMux does; the API is still the API.
    const res = await fetch(`${sandbox.url}/ui`, { redirect: "manual" });
    assert.equal(res.status, 301);
    assert.equal(res.headers.get("location"), "/ui/");
    // WebAssembly.instantiateStreaming wants application/wasm.
    const wasmFile = (await readdir(path.join(wwwDist, "assets"))).find((f) => f.endsWith(".wasm"));
    const wasm = await fetch(`${sandbox.url}/ui/assets/${wasmFile}`);
    assert.equal(wasm.headers.get("content-type"), "application/wasm");
    // Outside the prefix, the API as before; no way out of the folder.
    assert.equal((await fetch(`${sandbox.url}/api/v1/namespaces`)).status, 200);
    assert.equal((await fetch(`${sandbox.url}/ui/..%2f..%2fCargo.toml`)).status, 404);
  } finally {
    await sandbox.stop();
  }
});

test("static files from the sandbox with tokens: files need none, the dashboard asks for one", async () => {
  const sandbox = await startSandbox({ tokens: { "demo-token": "alice" }, args: ["--www-dir", wwwDist, "--www-prefix", "/ui/"] });
  try {
    const page = await browser.newPage();
    await page.goto(`${sandbox.url}/ui/dashboard.html`);
    await page.locator("#status", { hasText: "wants a token" }).waitFor();
    assert.equal(await page.getByLabel("API server").inputValue(), sandbox.url);
    await page.getByLabel(/Bearer token/).fill("demo-token");
    await page.getByLabel(/Bearer token/).press("Enter");
    await page.locator('tr[data-service="demo/web"]').waitFor();
    await page.close();
  } finally {
    await sandbox.stop();
  }
});

test("the real kubectl proxy --www=www/dist --www-prefix=/ui/ in front of the sandbox", async () => {
  const sandbox = await startSandbox();
  const proxy = await startKubectlProxy(sandbox.url);
  try {
    await checkPlayground(proxy.url);
    await checkDashboard(`${proxy.url}dashboard.html`, proxy.origin, { open: true });
  } finally {
    await proxy.stop();
    await sandbox.stop();
  }
});
