// Tunnel mode in Debian's Chromium with the real extension build, against the sandbox's demo
// fixture: the `identity` app sends `Content-Encoding: identity` on its HTML, which the API
// server's transport loses (spec apiserver-proxy.md §3.3 step 5). Through the proxy its tab
// shows kubeopen's explanation; with tunnel mode on, its pages come through the pod's
// port-forward (bg/tunnel.js) while everything else keeps using the proxy: stylesheet, script,
// API call, reload, a second page and back all work, no request of the app leaves the prefix,
// the shell carries no credential, and nothing token-like reaches the page world. A token
// without `create pods/portforward` gets an explanation naming it and `kubectl port-forward`.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { proxyUrl } from "kubeopen";
import { addCluster, launchBrowser, startSandbox } from "./bindings-support.mjs";
import { startRecordingFront } from "./content-support.mjs";

const TOKEN = "tunnel-token-5f0c2a9e";
const LIMITED_TOKEN = "proxy-only-token-81d3b7";
const TARGET = { kind: "service", namespace: "demo", name: "identity", port: "http" };
const TIMEOUT = 20_000;
const SHELL_PATH = "/api/v1/kubeopen-tunnel-shell";
// The tester may do anything; `proxy-only` may use the service proxy and read the API, but not
// create pods/portforward (what `view` plus services/proxy gives in a real cluster).
const AUTHZ = `rules:
  - users: [tunnel-tester]
    resources: ["*"]
    verbs: ["*"]
  - users: [proxy-only]
    resources: [services, services/proxy, pods, endpoints, endpointslices, namespaces]
    verbs: [get, list]
`;

/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("./content-support.mjs").Front} */
let front;
/** @type {import("./content-support.mjs").Front} */
let limitedFront;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {import("playwright-core").Page} */
let app;
let prefix = "";
let prefixPath = "";
let clusterId = "";
/** How many requests the front had seen when tunnel mode was turned on. */
let seenBeforeTunnel = 0;

/** Opens `target` of `cluster` in a new bound tab; resolves with the tab once it left about:blank. @param {string} cluster */
async function openApp(cluster) {
  const opened = browser.context.waitForEvent("page", { timeout: TIMEOUT });
  const answer = await browser.send({ type: "kubeopen:open", clusterId: cluster, target: TARGET });
  assert.equal(answer?.ok, true, JSON.stringify(answer));
  return opened;
}

/** Waits until `page` shows the extension's explanation page; returns its parameters. @param {import("playwright-core").Page} page */
async function explained(page) {
  const end = Date.now() + TIMEOUT;
  while (!page.url().startsWith(`chrome-extension://${browser.extensionId}/tunnel.html`)) {
    if (Date.now() > end) throw new Error(`no explanation; the tab shows ${page.url()}`);
    await new Promise((r) => setTimeout(r, 50));
  }
  await page.locator("#switch").waitFor({ timeout: TIMEOUT });
  return new URL(page.url()).searchParams;
}

/** Waits for the identity app's page `name` to show its ready marker (all its checks passed). @param {string} name */
async function ready(name) {
  await app.locator("#ready", { hasText: /^ready$/ }).waitFor({ timeout: TIMEOUT });
  assert.equal(await app.locator("#page").textContent(), name);
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tunnel-tester", [LIMITED_TOKEN]: "proxy-only" }, authz: AUTHZ });
  front = await startRecordingFront(sandbox.url);
  limitedFront = await startRecordingFront(sandbox.url);
  prefix = proxyUrl(front.url, TARGET, "/").replace(/\/$/, "");
  prefixPath = new URL(prefix).pathname;
  browser = await launchBrowser();
  // What the page world could see, captured before any script of a page runs.
  await browser.context.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__seenConfig", { value: seen });
    document.addEventListener("kubeopen:config", (e) => seen.push(String(/** @type {CustomEvent} */ (e).detail)), true);
  });
  clusterId = (await addCluster(browser, { name: "full", server: front.url, token: TOKEN })).id;
});

after(async () => {
  await browser?.close();
  await front?.close();
  await limitedFront?.close();
  await sandbox?.stop();
});

test("through the proxy the identity app's page is lost, and the tab says why (tunnel mode off by default)", async () => {
  app = await openApp(clusterId);
  const params = await explained(app);
  assert.equal(params.get("reason"), "TransportLoss");
  assert.equal(params.get("url"), `${prefix}/`);
  assert.match(await app.locator("#what").textContent() ?? "", /Content-Encoding/);
  assert.equal(await app.locator("#switch").textContent(), "Open in tunnel mode");
  assert.equal(await app.locator("#kubectl").textContent(), "kubectl port-forward svc/identity -n demo 8080:http");
  const tabId = await browser.tabIdOf(app);
  assert.equal((await browser.bindingOf(tabId))?.prefix, prefix, "the tab stays bound while it explains");
  // Nothing stored says "tunnel" yet: off by default.
  const stored = await browser.inWorker(() => chrome.storage.local.get("kubeopen.tunnelApps"));
  assert.deepEqual(stored, {});
});

test("Open in tunnel mode: the page, its stylesheet, script and API call work, in the real URL", async () => {
  seenBeforeTunnel = front.seen.length;
  await app.locator("#switch").click();
  await app.waitForURL(`${prefix}/`, { timeout: TIMEOUT });
  await ready("index");
  assert.equal(await app.evaluate(() => location.href), `${prefix}/`);
  // The stored choice names the app, never a credential.
  const stored = JSON.stringify(await browser.inWorker(() => chrome.storage.local.get(null)));
  assert.match(stored, /identity/);
  assert.ok(!stored.includes(TOKEN), "no token in storage.local");
});

test("tunnel mode: reload, a second page by a link, and back all show the app", async () => {
  await app.reload();
  await ready("index");
  await app.locator("a#second").click();
  await app.waitForURL(`${prefix}/second.html`, { timeout: TIMEOUT });
  await ready("second");
  await app.goBack();
  await app.waitForURL(`${prefix}/`, { timeout: TIMEOUT });
  await ready("index");
});

test("tunnel mode: no request of the app left the prefix; the shell went without a credential", async () => {
  const outside = front.seen.filter((s) => !s.url.startsWith(`${prefixPath}/`));
  const shell = outside.filter((s) => s.url.startsWith(`${SHELL_PATH}?url=`));
  assert.ok(shell.length >= 4, `a shell per tunnelled page: ${JSON.stringify(shell)}`);
  assert.deepEqual(shell.filter((s) => s.authorization), [], "the shell carries no token");
  // The rest is the background's own tunnel (not the tab): the service, which pod serves it, the port-forward.
  const tunnel = (/** @type {{ url: string }} */ s) =>
    s.url === "/api/v1/namespaces/demo/services/identity" ||
    s.url.startsWith("/apis/discovery.k8s.io/v1/namespaces/demo/endpointslices") ||
    s.url === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" ||
    /^\/api\/v1\/namespaces\/demo\/pods\/[^/]+\/portforward\?/.test(s.url);
  assert.deepEqual(outside.filter((s) => !s.url.startsWith(`${SHELL_PATH}?url=`) && !tunnel(s)), []);
  assert.ok(outside.some((s) => s.upgrade && tunnel(s)), `the pages came through port-forward: ${JSON.stringify(outside)}`);
  // Assets and the API call went through the proxy, inside the prefix, with the token.
  const assets = front.seen.filter((s) => s.url.startsWith(`${prefixPath}/`));
  assert.ok(assets.length >= 3, JSON.stringify(assets));
  assert.deepEqual(assets.filter((s) => !s.authorization), []);
  // No HTML navigation of the app reached the proxy once tunnel mode was on (before, the lost
  // page did, maybe more than once: Chromium retries a GET whose connection closed unanswered).
  const pages = (/** @type {typeof front.seen} */ seen) =>
    seen.filter((s) => s.url === `${prefixPath}/` || s.url === `${prefixPath}/second.html`);
  assert.ok(pages(front.seen.slice(0, seenBeforeTunnel)).length >= 1);
  assert.deepEqual(pages(front.seen.slice(seenBeforeTunnel)), []);
});

test("tunnel mode: the backend never sees Authorization, and the page world never sees the token", async () => {
  // The identity app's API answer echoes whether its request had an Authorization header.
  const echoed = await app.evaluate(async () => (await fetch("api/data")).json());
  assert.equal(echoed.authorization, false, JSON.stringify(echoed));
  const world = await app.evaluate(() =>
    JSON.stringify({
      html: document.documentElement.outerHTML,
      url: location.href,
      names: performance.getEntries().map((e) => e.name),
      storage: { ...localStorage, ...sessionStorage },
      config: /** @type {any} */ (window).__seenConfig,
      cookie: document.cookie,
      name: window.name,
    }),
  );
  const b64url = Buffer.from(TOKEN).toString("base64url");
  assert.ok(!world.includes(TOKEN) && !world.includes(b64url), "nothing token-like in the page world");
});

test("tunnel mode can be turned off again; the app then fails through the proxy as before", async () => {
  const tabId = await browser.tabIdOf(app);
  const off = await browser.send({ type: "kubeopen:setTunnel", tabId, on: false });
  assert.equal(off.ok, true, JSON.stringify(off));
  assert.equal(off.app.tunnel, false);
  const rules = await browser.sessionRules();
  assert.deepEqual(rules.filter((/** @type {any} */ r) => JSON.stringify(r).includes("kubeopen-tunnel-shell")), []);
  await app.goto(`${prefix}/`).catch(() => undefined); // the lost page: an error or a blank page
  const params = await explained(app);
  assert.equal(params.get("reason"), "TransportLoss");
});

test("a token without create pods/portforward: the explanation names the permission and kubectl port-forward", async () => {
  const limitedId = (await addCluster(browser, { name: "limited", server: limitedFront.url, token: LIMITED_TOKEN })).id;
  const page = await openApp(limitedId);
  await explained(page);
  await page.locator("#switch").click();
  // The tab goes back to the app, then (the tunnel refused) to a new explanation.
  await page.waitForURL((u) => u.protocol === "chrome-extension:" && u.searchParams.get("reason") !== "TransportLoss", { timeout: TIMEOUT });
  const params = await explained(page);
  assert.equal(params.get("reason"), "Forbidden", page.url());
  assert.match(params.get("permission") ?? "", /pods\/portforward/);
  const what = (await page.locator("#what").textContent()) ?? "";
  assert.match(what, /pods\/portforward/);
  assert.equal(await page.locator("#kubectl").textContent(), "kubectl port-forward svc/identity -n demo 8080:http");
  assert.ok(await page.locator("#instead").isVisible());
  // Turning it off from here works, the same way it was turned on.
  assert.equal(await page.locator("#switch").textContent(), "Turn tunnel mode off");
  await page.close();
});
