// The HTML transport's encodings in Debian's Chromium (spec apiserver-proxy.md §3.3 step 5;
// portforward-in-browser.md §4.0), against the sandbox's demo fixture:
// - the `brotli` app works through the proxy in a bound tab, because the tab's rule sends
//   `Accept-Encoding: gzip` (crates/kubeopen/src/rules.rs): its pages, stylesheet, script, API
//   call and a second page;
// - the control: the same app opened with the token only (Playwright's extraHTTPHeaders, no
//   extension, so Chromium's own `gzip, deflate, br, zstd`) is lost — the API server drops the
//   connection before a byte (net::ERR_EMPTY_RESPONSE) — and works again when only
//   `Accept-Encoding: gzip` is added;
// - the `identity` app is lost whatever the request says.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchPlain, launchWithExtension } from "./chromium.mjs";
import { startSandbox, root } from "../support/sandbox.mjs";
import { addCluster, extensionPage, openBound, startRecordingFront } from "./content-support.mjs";

const extensionDir = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(root, "extension", "dist"), "chrome");
const TOKEN = "encodings-token-3e8a61";
const BROTLI = { kind: "service", namespace: "demo", name: "brotli", port: "http" };
const IDENTITY = { kind: "service", namespace: "demo", name: "identity", port: "http" };
const TIMEOUT = 15_000;

/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("./content-support.mjs").Front} */
let front;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
/** @type {import("playwright-core").Browser} */
let plain;

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "encodings-tester" } });
  front = await startRecordingFront(sandbox.url);
  browser = await launchWithExtension(extensionDir);
  plain = await launchPlain();
});

after(async () => {
  await browser?.close();
  await plain?.close();
  await front?.close();
  await sandbox?.stop();
});

/** Waits for the app page's ready marker (stylesheet, script and API call all passed). @param {import("playwright-core").Page} page @param {string} name */
async function ready(page, name) {
  await page.locator("#ready", { hasText: "ready" }).waitFor({ timeout: TIMEOUT });
  assert.equal(await page.locator("#page").textContent(), name);
}

/** `page.goto` that returns the navigation's error text, or "" when it loaded. @param {import("playwright-core").Page} page @param {string} url */
async function gotoError(page, url) {
  try {
    await page.goto(url, { timeout: TIMEOUT });
    return "";
  } catch (e) {
    return String(/** @type {Error} */ (e).message);
  }
}

test("brotli app in a bound tab: works through the proxy thanks to the tab's Accept-Encoding rule", async () => {
  const ext = await extensionPage(browser);
  const clusterId = await addCluster(ext, { name: "encodings", server: front.url, token: TOKEN });
  await ext.waitForFunction(async () => (await chrome.runtime.sendMessage({ type: "kubeopen:status" }))?.ok === true, undefined, {
    timeout: TIMEOUT,
  });
  const prefix = proxyUrl(front.url, BROTLI, "/").replace(/\/$/, "");
  const { tab } = await openBound(browser.context, ext, { clusterId, target: BROTLI });
  await ready(tab, "index");
  assert.equal(tab.url(), `${prefix}/`);
  // The backend got the rule's Accept-Encoding, so it answered without brotli.
  const echo = await tab.evaluate(async () => (await fetch("api/data", { headers: { "X-Echo": "1" } })).json());
  assert.deepEqual(echo.headers["accept-encoding"], ["gzip"]);
  await tab.locator("a#second").click();
  await tab.waitForURL(`${prefix}/second.html`, { timeout: TIMEOUT });
  await ready(tab, "second");
  await tab.reload();
  await ready(tab, "second");
  await tab.close();
});

test("control: the same brotli app with the token only (Chromium's own Accept-Encoding) is lost", async () => {
  const prefix = proxyUrl(front.url, BROTLI, "/").replace(/\/$/, "");
  const context = await plain.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` } });
  const page = await context.newPage();
  // The API server's transport cannot rewrite br, its copy fails and it drops the connection
  // before sending anything: Chromium reports an empty response.
  assert.match(await gotoError(page, `${prefix}/`), /net::ERR_EMPTY_RESPONSE/);
  // A stylesheet (not HTML) passes through in brotli unharmed: only HTML is lost.
  const css = await page.request.get(`${prefix}/static/app.css`, { headers: { "Accept-Encoding": "br" } });
  assert.equal(css.status(), 200);
  assert.equal(css.headers()["content-encoding"], "br");
  assert.match(await css.text(), /#css-probe/);
  await context.close();
  // Only the Accept-Encoding header changes between failure and success.
  const gzipOnly = await plain.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}`, "Accept-Encoding": "gzip" } });
  const ok = await gzipOnly.newPage();
  assert.equal(await gotoError(ok, `${prefix}/`), "");
  await ready(ok, "index");
  await gzipOnly.close();
});

test("the identity app is lost through the proxy whatever the request's Accept-Encoding", async () => {
  const prefix = proxyUrl(front.url, IDENTITY, "/").replace(/\/$/, "");
  for (const encoding of [undefined, "gzip", "identity"]) {
    /** @type {Record<string, string>} */
    const headers = { Authorization: `Bearer ${TOKEN}` };
    if (encoding) headers["Accept-Encoding"] = encoding;
    const context = await plain.newContext({ extraHTTPHeaders: headers });
    const page = await context.newPage();
    assert.match(await gotoError(page, `${prefix}/`), /net::ERR_EMPTY_RESPONSE/, `Accept-Encoding: ${encoding ?? "(Chromium's)"}`);
    await context.close();
  }
  // Its API (JSON) is fine: only the HTML goes through the transport's encoding switch.
  const context = await plain.newContext({ extraHTTPHeaders: { Authorization: `Bearer ${TOKEN}` } });
  const api = await context.request.get(`${prefix}/api/data`);
  assert.equal(api.status(), 200);
  assert.deepEqual((await api.json()).items, ["alpha", "beta", "gamma"]);
  await context.close();
});
