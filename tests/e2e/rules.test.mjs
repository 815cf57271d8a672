// The declarativeNetRequest session rules from `browserRules` (crates/kubeopen/src/rules.rs),
// installed in Debian's Chromium by a test-only extension and checked on real requests against the
// sandbox API server (issue 6, "Tests"): the bound tab shows the demo app through the proxy — the
// token reaches the navigation, root-relative subresources and fetch/XHR are redirected into the
// prefix — and nothing else gets the token: not another tab, not another origin, not another
// target's proxy path, and not the bound tab once the rules are removed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { browserRules, proxyUrl } from "kubeopen";
import { launchWithExtension } from "./chromium.mjs";
import { startRecorder } from "./bindings-support.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = path.join(root, "tests", "fixtures", "rules-extension");

const TOKEN = "rules-test-token-4f1c9a";
const TARGET = { kind: "service", namespace: "demo", name: "web", port: "http" };
const OTHER_TARGET = { kind: "service", namespace: "monitoring", name: "prometheus", port: "web" };
const FIRST_RULE_ID = 100;
const RULE_IDS = [FIRST_RULE_ID, FIRST_RULE_ID + 1, FIRST_RULE_ID + 2];
const TIMEOUT = 15_000;

/** @type {{ url: string, stop: () => Promise<void>, log: () => string }} */
let sandbox;
/** @type {{ url: string, requests: { url: string, headers: import("node:http").IncomingHttpHeaders }[], close: () => Promise<void> }} */
let otherOrigin;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
/** @type {import("playwright-core").Page} */
let tabA;
/** @type {import("playwright-core").Page} */
let tabB;
let tabIdA;
let tabIdB;
let server; // the sandbox base URL, no trailing slash
let appUrl; // proxyUrl(server, TARGET, "/")
let prefix; // appUrl without the trailing slash

/** The tab id of the tab whose title is `title`, asked from the extension's service worker. */
async function tabIdByTitle(title) {
  const ids = await browser.worker.evaluate(
    async (t) => (await chrome.tabs.query({ title: t })).map((tab) => tab.id),
    title,
  );
  assert.equal(ids.length, 1, `exactly one tab titled ${title}: ${JSON.stringify(ids)}`);
  return ids[0];
}

/** Waits until `#id` in `page` no longer says "pending" and returns its text. */
async function settled(page, id) {
  const el = page.locator(`#${id}`, { hasNotText: "pending" });
  await el.waitFor({ timeout: TIMEOUT });
  return (await el.textContent()) ?? "";
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "rules-tester" } });
  server = sandbox.url;
  appUrl = proxyUrl(server, TARGET, "/");
  prefix = appUrl.replace(/\/$/, "");
  otherOrigin = await startRecorder();

  browser = await launchWithExtension(extensionDir);
  tabA = await browser.context.newPage();
  tabB = await browser.context.newPage();
  await tabA.setContent("<title>rules-tab-a</title>");
  await tabB.setContent("<title>rules-tab-b</title>");
  tabIdA = await tabIdByTitle("rules-tab-a");
  tabIdB = await tabIdByTitle("rules-tab-b");
  assert.notEqual(tabIdA, tabIdB);

  const rules = browserRules({ server, target: TARGET, tabId: tabIdA, token: TOKEN, firstRuleId: FIRST_RULE_ID });
  assert.deepEqual(rules.map((r) => r.id), RULE_IDS);
  await browser.worker.evaluate(async (addRules) => {
    await chrome.declarativeNetRequest.updateSessionRules({ addRules });
  }, rules);
  const installed = await browser.worker.evaluate(async () =>
    (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.id).sort((a, b) => a - b),
  );
  assert.deepEqual(installed, RULE_IDS);
});

after(async () => {
  await browser?.close();
  await otherOrigin?.close();
  await sandbox?.stop();
});

test("sanity: without a token the sandbox answers the proxy URL with 401", async () => {
  const res = await fetch(appUrl, { redirect: "manual" });
  assert.equal(res.status, 401);
  const ok = await fetch(appUrl, { redirect: "manual", headers: { authorization: `Bearer ${TOKEN}` } });
  assert.equal(ok.status, 200);
});

test("tab A: the navigation gets the token and the app's root-relative requests land in the prefix", async () => {
  /** @type {{ url: string, status: number, type: string }[]} */
  const responses = [];
  const onResponse = (r) => responses.push({ url: r.url(), status: r.status(), type: r.request().resourceType() });
  tabA.on("response", onResponse);
  try {
    const nav = await tabA.goto(appUrl, { timeout: TIMEOUT });
    assert.ok(nav, "navigation response");
    assert.equal(nav.status(), 200, "the Authorization header reached the navigation");
    assert.equal(nav.url(), appUrl);
    assert.equal(await tabA.locator("h1").textContent(), "kubeopen demo app");

    // fetch('/api/data') and XHR: redirected into the prefix, token added there.
    const fetchResult = await settled(tabA, "fetch-result");
    assert.match(fetchResult, /^ok: /, `fetch('/api/data'): ${fetchResult}`);
    const data = JSON.parse(fetchResult.slice(4));
    assert.equal(data.path, "/api/data", "the backend saw the root-relative path");
    const xhrResult = await settled(tabA, "xhr-result");
    assert.match(xhrResult, /^ok: /, `XHR /api/data: ${xhrResult}`);

    // CSS url(/static/bg.svg) is not rewritten by the API server: only the redirect rule brings it
    // into the prefix. (app.css's `@import url("/static/extra.css")` comes after a rule, so CSS
    // ignores it and the browser never requests extra.css: nothing to check there.)
    const bg = await tabA.evaluate(async () => {
      const banner = document.querySelector(".banner");
      return banner ? getComputedStyle(banner).backgroundImage : "";
    });
    assert.match(bg, /bg\.svg/, "app.css applied (its .banner rule)");
    await tabA.waitForLoadState("load");
    const sub = responses.filter((r) => r.type !== "document" && r.type !== "websocket");
    for (const want of ["/static/app.css", "/static/app.js", "/static/logo.svg", "/static/bg.svg", "/api/data"]) {
      const hits = sub.filter((r) => new URL(r.url).pathname === new URL(prefix + want).pathname);
      assert.ok(hits.length > 0, `${want} loaded under the prefix; saw ${JSON.stringify(sub)}`);
      for (const h of hits) assert.equal(h.status, 200, `${h.url}`);
    }
    // Nothing the page loaded got a 401/403 or stayed outside the prefix with a final answer.
    const bad = responses.filter((r) => r.status === 401 || r.status === 403);
    assert.deepEqual(bad, []);
    const escaped = responses.filter(
      (r) => r.url.startsWith(`${server}/`) && !r.url.startsWith(`${prefix}/`) && r.status !== 307 && r.status !== 302,
    );
    assert.deepEqual(escaped, [], "every final response from the server's origin is inside the prefix");
  } finally {
    tabA.off("response", onResponse);
  }
});

test("tab A: a request inside the prefix carries Accept-Encoding: gzip (seen by the backend)", async () => {
  // The built-in backend echoes the request headers it received when asked with X-Echo: 1.
  const echo = await tabA.evaluate(async () => {
    const r = await fetch("/echo-me", { headers: { "X-Echo": "1" } });
    return { status: r.status, url: r.url, body: await r.json() };
  });
  assert.equal(echo.status, 200);
  assert.ok(echo.url.startsWith(`${prefix}/`), `redirected into the prefix: ${echo.url}`);
  const headers = Object.fromEntries(
    Object.entries(echo.body.headers ?? {}).map(([k, v]) => [k.toLowerCase(), Array.isArray(v) ? v.join(", ") : v]),
  );
  assert.equal(headers["accept-encoding"], "gzip", `backend saw ${JSON.stringify(echo.body.headers)}`);
  assert.equal(headers["authorization"], undefined, "the API server removes Authorization before proxying");
});

/** Opens a WebSocket from `page` and resolves with its first message, or "error"/"closed CODE". */
function openSocket(page, url) {
  return page.evaluate(
    (u) =>
      new Promise((resolve) => {
        const ws = new WebSocket(u);
        ws.onmessage = (m) => {
          resolve(`message ${m.data}`);
          ws.close();
        };
        ws.onerror = () => resolve("error");
        ws.onclose = (e) => resolve(`closed ${e.code}`);
      }),
    url,
  );
}

const proxyLines = (pathSuffix) =>
  sandbox
    .log()
    .split("\n")
    .filter((l) => l.startsWith("proxy GET ") && l.includes(`/proxy${pathSuffix}`));

test("tab A: a WebSocket inside the prefix gets the token (rule +0 covers websocket)", async () => {
  const wsUrl = proxyUrl(server, TARGET, "/ws").replace(/^http:/, "ws:");
  const before = proxyLines("/ws").length;
  const got = await openSocket(tabA, `${wsUrl}?from=rules-test`);
  assert.match(got, /^message /, `WebSocket inside the prefix: ${got}`);
  const hello = JSON.parse(got.slice("message ".length));
  assert.equal(hello.hello, "/ws", "the backend's first message names the path it got");
  assert.equal(proxyLines("/ws").length, before + 1, `sandbox proxied /ws once:\n${sandbox.log()}`);
});

test("tab A: the app's root-relative WebSocket /ws is NOT redirected by Chromium (rule +2 cannot redirect WebSockets)", async () => {
  // rules.rs claims rule +2 redirects every request of the tab on the server's origin, `ws`
  // included. Chromium 156 does not apply declarativeNetRequest redirects to WebSocket handshakes
  // (neither regexSubstitution nor a fixed url; onRuleMatchedDebug does not even report a match),
  // so the demo's `new WebSocket(ws://HOST/ws?client=demo)` reaches the API server outside the
  // prefix, without the token, and fails. This asserts that actual behaviour: if Chromium starts
  // redirecting WebSockets, this fails and the claim can be checked positively instead.
  const before = proxyLines("/ws").length;
  const text = await settled(tabA, "ws-result");
  assert.equal(text, "failed: websocket error", `the demo's ws-result: ${text}`);
  const direct = await openSocket(tabA, `${server.replace(/^http:/, "ws:")}/ws?from=rules-test-root`);
  assert.doesNotMatch(direct, /^message /, `root-relative WebSocket: ${direct}`);
  assert.equal(proxyLines("/ws").length, before, "no WebSocket reached the backend through the prefix");
});

test("tab B (no rules): the same proxy URL gets 401", async () => {
  const nav = await tabB.goto(appUrl, { timeout: TIMEOUT });
  assert.ok(nav);
  assert.equal(nav.status(), 401);
  const status = await tabB.evaluate(async () => (await fetch(location.href)).status);
  assert.equal(status, 401);
});

test("tab A: requests to another origin carry no Authorization and are not redirected", async () => {
  const before = otherOrigin.requests.length;
  // From the proxied page (a cross-origin fetch; no-cors so no preflight).
  const fetched = await tabA.evaluate(async (u) => {
    await fetch(`${u}/from-fetch`, { mode: "no-cors" });
    return true;
  }, otherOrigin.url);
  assert.equal(fetched, true);
  // A navigation of tab A itself.
  const nav = await tabA.goto(`${otherOrigin.url}/from-navigation`, { timeout: TIMEOUT });
  assert.ok(nav);
  assert.equal(nav.status(), 200);
  assert.equal(nav.url(), `${otherOrigin.url}/from-navigation`, "not redirected");
  const seen = otherOrigin.requests.slice(before);
  const paths = seen.map((r) => r.url);
  assert.ok(paths.includes("/from-fetch"), `recorder saw ${JSON.stringify(paths)}`);
  assert.ok(paths.includes("/from-navigation"), `recorder saw ${JSON.stringify(paths)}`);
  for (const r of seen) {
    assert.equal(r.headers.authorization, undefined, `${r.url} carried Authorization`);
    assert.notEqual(r.headers["accept-encoding"], "gzip", `${r.url} got the rule's Accept-Encoding`);
  }
});

test("tab A: another target's proxy path is allowed through but gets no token (401)", async () => {
  const otherProxy = proxyUrl(server, OTHER_TARGET, "/");
  assert.equal(otherProxy, `${server}/api/v1/namespaces/monitoring/services/prometheus:web/proxy/`);
  // fetch from the bound page (same origin as the server).
  const nav = await tabA.goto(appUrl, { timeout: TIMEOUT });
  assert.equal(nav?.status(), 200);
  const fromFetch = await tabA.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, url: r.url };
  }, otherProxy);
  assert.deepEqual(fromFetch, { status: 401, url: otherProxy }, "allowed (not redirected), no token");
  // A root-relative API path outside any proxy prefix is redirected into the bound prefix, so the
  // API itself never sees it (the backend's static server answers instead).
  const api = await tabA.evaluate(async () => {
    const r = await fetch("/api/v1/namespaces");
    return { status: r.status, url: r.url };
  });
  assert.equal(api.url, `${prefix}/api/v1/namespaces`);
  assert.notEqual(api.status, 401);
  // And a navigation of tab A to the other target's proxy URL.
  const other = await tabA.goto(otherProxy, { timeout: TIMEOUT });
  assert.ok(other);
  assert.equal(other.status(), 401);
  assert.equal(other.url(), otherProxy);
});

test("tab A after removing the rules: 401", async () => {
  await browser.worker.evaluate(async (removeRuleIds) => {
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds });
  }, RULE_IDS);
  const left = await browser.worker.evaluate(async () => (await chrome.declarativeNetRequest.getSessionRules()).length);
  assert.equal(left, 0);
  const nav = await tabA.goto(appUrl, { timeout: TIMEOUT });
  assert.ok(nav);
  assert.equal(nav.status(), 401);
});
