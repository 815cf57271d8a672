// Opening in Debian's Chromium with the real extension (extension/dist/chrome) against the
// sandbox, every way a person gets there: an in-cluster URL typed with a scheme, a proxy URL of a
// known cluster opened directly (its first navigation must succeed, not 401), what is entered
// after the `k8s` keyword (the omnibox hands it to open.html, exercised here the same way), and
// a clear page when the cluster is unknown.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { proxyUrl } from "kubeopen";
import { TIMEOUT, addCluster, echoFrom, eventually, launchBrowser, settled, startSandbox } from "./bindings-support.mjs";

const TOKEN = "navigation-test-token-51ab";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
let cluster;

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" } });
  browser = await launchBrowser();
  cluster = await addCluster(browser, { name: "sandbox", server: sandbox.url, token: TOKEN });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/**
 * Navigates a fresh tab to `url` and records every main-frame response on the server.
 * @param {string} url
 */
async function openInNewTab(url) {
  const page = await browser.context.newPage();
  /** @type {{ url: string, status: number }[]} */
  const documents = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.url().startsWith(sandbox.url)) {
      documents.push({ url: r.url(), status: r.status() });
    }
  });
  await page.goto(url).catch(() => undefined); // the navigation is taken over: goto may abort
  return { page, documents };
}

test("the open rules are installed for the known cluster", async () => {
  // Rebuilt in the background once the cluster is stored: the in-cluster rule, then one per server.
  const rules = await eventually(async () => {
    const now = await browser.dynamicRules();
    return now.length >= 2 ? now : null;
  }, "the open rules for the added cluster");
  const page = `chrome-extension://${browser.extensionId}/open.html?url=\\1`;
  assert.deepEqual(rules.map((r) => r.action.redirect?.regexSubstitution), [page, page]);
  assert.ok(rules.every((r) => r.condition.resourceTypes?.join() === "main_frame"));
});

test("an in-cluster URL typed with a scheme opens the service through the proxy, bound", async () => {
  const { page } = await openInNewTab("http://web.demo.svc.cluster.local:80/home?from=typed#part");
  const target = { kind: "service", namespace: "demo", name: "web", scheme: "http", port: "80" };
  const want = proxyUrl(sandbox.url, target, "/home?from=typed#part");
  await page.waitForURL(want, { timeout: TIMEOUT });
  await page.waitForLoadState("load");
  assert.equal(new URL(page.url()).hash, "#part", "the fragment survives");
  const binding = await browser.bindingOf(await browser.tabIdOf(page));
  assert.deepEqual(binding.target, target);
  const echo = await echoFrom(page);
  assert.equal(echo.status, 200);
  assert.equal(echo.headers.authorization, undefined);
  await page.close();
});

test("the short form NAME.NS.svc:PORT works too", async () => {
  // The browser drops ":80" before the request: the port comes back as the scheme's default.
  const { page } = await openInNewTab("http://web.demo.svc:80/");
  const target = { kind: "service", namespace: "demo", name: "web", scheme: "http", port: "80" };
  await page.waitForURL(proxyUrl(sandbox.url, target, "/"), { timeout: TIMEOUT });
  await page.locator("h1", { hasText: "kubeopen demo app" }).waitFor({ timeout: TIMEOUT });
  await page.close();
});

test("a proxy URL opened directly is bound before its first request: no 401, fragment kept", async () => {
  const url = proxyUrl(sandbox.url, WEB, "/?opened=directly#frag");
  const { page, documents } = await openInNewTab(url);
  await page.waitForURL(url, { timeout: TIMEOUT });
  await page.locator("h1", { hasText: "kubeopen demo app" }).waitFor({ timeout: TIMEOUT });
  assert.match(await settled(page, "fetch-result"), /^ok: /);
  // The first request that reached the server already had the token: it was never answered 401.
  assert.ok(documents.length > 0);
  assert.deepEqual(documents.filter((d) => d.status === 401), [], JSON.stringify(documents));
  const binding = await browser.bindingOf(await browser.tabIdOf(page));
  assert.equal(binding.prefix, proxyUrl(sandbox.url, WEB, "").replace(/\/$/, ""));
  await page.close();
});

test("what is entered after the k8s keyword opens through open.html (svc/NS/NAME:PORT/path)", async () => {
  const input = "svc/demo/web:http/home";
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/open.html?${new URLSearchParams({ input })}`);
  await page.waitForURL(proxyUrl(sandbox.url, WEB, "/home"), { timeout: TIMEOUT });
  const binding = await browser.bindingOf(await browser.tabIdOf(page));
  assert.equal(binding.target.name, "web");
  // open.html replaced itself: Back does not land on it.
  assert.equal(await page.evaluate(() => history.length), 2, "about:blank, then the app");
  await page.close();
});

test("NAME.NS:PORT/path resolves in the cluster's default namespace rules", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/open.html?${new URLSearchParams({ input: "web.demo:http/home" })}`);
  await page.waitForURL(proxyUrl(sandbox.url, WEB, "/home"), { timeout: TIMEOUT });
  await page.close();
});

test("a proxy URL of an unknown server is left alone; open.html explains an unknown cluster", async () => {
  const unknown = "http://127.0.0.1:9/api/v1/namespaces/demo/services/web/proxy/";
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/open.html?url=${unknown}`);
  const error = page.locator("#error");
  await error.waitFor({ timeout: TIMEOUT });
  assert.match((await error.textContent()) ?? "", /no cluster added for http:\/\/127\.0\.0\.1:9/);
  assert.equal(await page.title(), "kubeopen: could not open");
  await page.close();
});

test("a bad address gets the core's explanation", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/open.html?${new URLSearchParams({ input: "svc/Not_A_Name" })}`);
  const error = page.locator("#error");
  await error.waitFor({ timeout: TIMEOUT });
  assert.ok(((await error.textContent()) ?? "").length > 10);
  await page.close();
});
