// The demo fixture app (tests/fixtures/apps/demo) through the real extension in Debian's Chromium:
// a cluster added with the extension's `kubeopen:addCluster`, the app opened in a bound tab with
// `kubeopen:open`, and every check of the app passing — assets, CSS url(), fetch, XHR, WebSocket,
// pushState + reload, form POST + redirect, srcset, meta refresh, a link opened in a new tab —
// with no request of the app reaching the API server outside the prefix, no Authorization at the
// backend and nothing token-like in the page's world.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchWithExtension } from "./chromium.mjs";
import { startSandbox, root } from "../support/sandbox.mjs";
import { addCluster, extensionPage, openBound, startRecordingFront } from "./content-support.mjs";

const extensionDir = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(root, "extension", "dist"), "chrome");
const TOKEN = "demo-app-token-7d2e91";
const TARGET = { kind: "service", namespace: "demo", name: "web", port: "http" };
const TIMEOUT = 15_000;

/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("./content-support.mjs").Front} */
let front;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
/** @type {import("playwright-core").Page} */
let app;
/** @type {{ url: string, status: number, type: string, redirected: boolean }[]} */
const responses = [];
let server = "";
let prefix = ""; // proxyUrl(server, TARGET, "/") without the final "/"
let prefixPath = "";

/** Waits until `#id` no longer says "pending" and returns its text. @param {import("playwright-core").Page} page @param {string} id */
async function settled(page, id) {
  const el = page.locator(`#${id}`, { hasNotText: "pending" });
  await el.waitFor({ timeout: TIMEOUT });
  return (await el.textContent()) ?? "";
}

/** @param {import("playwright-core").Page} page */
function record(page) {
  page.on("response", (r) =>
    responses.push({ url: r.url(), status: r.status(), type: r.request().resourceType(), redirected: r.request().redirectedFrom() !== null }),
  );
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "demo-tester" } });
  front = await startRecordingFront(sandbox.url);
  server = front.url;
  prefix = proxyUrl(server, TARGET, "/").replace(/\/$/, "");
  prefixPath = new URL(prefix).pathname;
  browser = await launchWithExtension(extensionDir);
  // Capture what the page world is told, before any script of the page runs.
  await browser.context.addInitScript(() => {
    const seen = [];
    Object.defineProperty(window, "__seenConfig", { value: seen });
    document.addEventListener("kubeopen:config", (e) => seen.push(String(/** @type {CustomEvent} */ (e).detail)), true);
  });
  const ext = await extensionPage(browser);
  const clusterId = await addCluster(ext, { name: "demo", server, token: TOKEN });
  // The content scripts are registered for the cluster's server once it is known.
  await ext.waitForFunction(
    async () => (await chrome.runtime.sendMessage({ type: "kubeopen:status" }))?.ok === true,
    undefined,
    { timeout: TIMEOUT },
  );
  browser.context.on("page", record);
  ({ tab: app } = await openBound(browser.context, ext, { clusterId, target: TARGET }));
  record(app);
});

after(async () => {
  await browser?.close();
  await front?.close();
  await sandbox?.stop();
});

test("the bound tab shows the app, with its assets and the CSS url() background inside the prefix", async () => {
  assert.equal(app.url(), `${prefix}/`);
  assert.equal(await app.locator("h1").textContent(), "kubeopen demo app");
  const bg = await app.evaluate(() => getComputedStyle(/** @type {Element} */ (document.querySelector(".banner"))).backgroundImage);
  assert.match(bg, /bg\.svg/);
  const bgLoaded = await app.evaluate(async (url) => {
    const img = new Image();
    img.src = url;
    await img.decode().catch(() => undefined);
    return img.naturalWidth > 0;
  }, bg.replace(/^url\("?|"?\)$/g, ""));
  assert.ok(bgLoaded, `the CSS background ${bg} loads`);
  for (const want of ["/static/app.css", "/static/app.js", "/static/logo.svg", "/static/bg.svg"]) {
    const hits = responses.filter((r) => r.url === `${prefix}${want}`);
    assert.ok(hits.some((h) => h.status === 200), `${want} loaded under the prefix: ${JSON.stringify(hits)}`);
  }
});

test("fetch and XHR of /api/data go straight into the prefix (the page-world script, no redirect)", async () => {
  assert.match(await settled(app, "fetch-result"), /^ok: /);
  assert.match(await settled(app, "xhr-result"), /^ok: /);
  const api = responses.filter((r) => new URL(r.url).pathname.endsWith("/api/data"));
  assert.ok(api.length >= 2, JSON.stringify(api));
  for (const r of api) {
    assert.equal(r.url, `${prefix}/api/data`);
    assert.equal(r.redirected, false, `${r.type} ${r.url} was redirected: the page-world script did not rewrite it`);
  }
});

test("the app's WebSocket to ws://HOST/ws reaches the backend through the prefix", async () => {
  const text = await settled(app, "ws-result");
  assert.match(text, /^ok: /, `ws-result: ${text}`);
  const hello = JSON.parse(text.slice(4).split(" | ")[0]);
  assert.equal(hello.hello, "/ws", "the backend got /ws (the API server drops the query on upgrades)");
  const upgrades = front.seen.filter((s) => s.upgrade);
  assert.ok(upgrades.length >= 1);
  for (const u of upgrades) assert.ok(u.url.startsWith(`${prefixPath}/ws`), `upgrade to ${u.url}`);
});

test("srcset is fixed in the DOM and the image shows", async () => {
  const img = app.locator("header img");
  await app.waitForFunction(
    (p) => document.querySelector("header img")?.getAttribute("srcset")?.startsWith(`${p}/static/logo.svg`),
    prefixPath,
    { timeout: TIMEOUT },
  );
  assert.equal(await img.getAttribute("srcset"), `${prefixPath}/static/logo.svg 1x, ${prefixPath}/static/logo@2x.svg 2x`);
  assert.ok(await img.evaluate((el) => /** @type {HTMLImageElement} */ (el).complete && /** @type {HTMLImageElement} */ (el).naturalWidth > 0));
});

test("a link the app adds at run time is fixed, and opened in a new tab it shows the page", async () => {
  await app.evaluate(() => {
    const a = document.createElement("a");
    a.id = "added";
    a.href = "/home";
    a.target = "_blank";
    a.textContent = "added at run time";
    document.body.append(a);
  });
  await app.waitForFunction((p) => document.getElementById("added")?.getAttribute("href") === `${p}/home`, prefixPath, {
    timeout: TIMEOUT,
  });
  assert.equal(await app.evaluate(() => /** @type {HTMLAnchorElement} */ (document.getElementById("added")).href), `${prefix}/home`);
  const opened = browser.context.waitForEvent("page", { timeout: TIMEOUT });
  await app.click("#added");
  const tab = await opened;
  // The new tab may pass through the extension's open page, which binds it first.
  await tab.waitForURL(`${prefix}/home`, { waitUntil: "load", timeout: TIMEOUT });
  assert.equal(await tab.locator("h1").textContent(), "Welcome home");
  await tab.close();
});

test("history.pushState stays inside the prefix, and a reload comes back from the app", async () => {
  await app.click("#push");
  assert.equal(await app.locator("#location").textContent(), `${prefixPath}/virtual/route`);
  assert.equal(app.url(), `${prefix}/virtual/route`);
  const reloaded = await app.reload();
  assert.ok(reloaded);
  assert.equal(reloaded.url(), `${prefix}/virtual/route`);
  // The app's own 404 (plain text), not the API server's Status JSON: the reload reached the app.
  assert.equal(reloaded.status(), 404);
  assert.match(await reloaded.text(), /^404 page not found/);
});

test("the login form POSTs into the prefix and follows the app's redirect to /home", async () => {
  await app.goto(`${prefix}/`);
  await app.locator("h1").waitFor();
  await Promise.all([app.waitForURL(`${prefix}/home`, { timeout: TIMEOUT }), app.click('form button[type="submit"]')]);
  assert.equal(await app.locator("h1").textContent(), "Welcome home");
  const posts = front.seen.filter((s) => s.method === "POST");
  assert.ok(posts.length >= 1);
  for (const p of posts) assert.equal(p.url, `${prefixPath}/login`);
});

test("the meta refresh page goes to /home inside the prefix", async () => {
  await app.goto(`${prefix}/refresh.html`);
  await app.waitForURL(`${prefix}/home`, { timeout: TIMEOUT });
  assert.equal(await app.locator("h1").textContent(), "Welcome home");
});

test("no request of the app reached the API server outside the prefix, and every one had the token", async () => {
  assert.ok(front.seen.length > 10, `front saw ${front.seen.length} requests`);
  const outside = front.seen.filter((s) => !s.url.startsWith(`${prefixPath}/`));
  assert.deepEqual(outside, [], "requests outside the prefix");
  const noToken = front.seen.filter((s) => !s.authorization);
  assert.deepEqual(noToken, [], "requests without Authorization");
  const proxied = sandbox.log().split("\n").filter((l) => l.startsWith("proxy "));
  assert.ok(proxied.length > 10);
  for (const line of proxied) assert.match(line, /^proxy \w+ \/api\/v1\/namespaces\/demo\/services\/web:http\/proxy\//, line);
});

test("the backend never receives Authorization", async () => {
  await app.goto(`${prefix}/`);
  const echo = await app.evaluate(async () => (await (await fetch("/echo", { headers: { "X-Echo": "1" } })).json()).headers);
  const names = Object.keys(echo).map((k) => k.toLowerCase());
  assert.ok(names.includes("host"), JSON.stringify(echo));
  assert.ok(!names.includes("authorization"), JSON.stringify(echo));
});

test("nothing token-like is reachable from the page's own JavaScript", async () => {
  await app.goto(`${prefix}/`);
  await settled(app, "ws-result");
  // The link fixer, injected once the page has loaded, tells the page world whether it is bound.
  await app.waitForFunction(() => /** @type {any} */ (window).__seenConfig.length >= 1, undefined, { timeout: TIMEOUT });
  const found = await app.evaluate((token) => {
    const places = {
      config: JSON.stringify(/** @type {any} */ (window).__seenConfig),
      html: document.documentElement.outerHTML,
      cookie: document.cookie,
      storage: JSON.stringify({ ...localStorage }) + JSON.stringify({ ...sessionStorage }),
      globals: Object.getOwnPropertyNames(window)
        .map((k) => {
          try {
            const v = /** @type {any} */ (window)[k];
            return typeof v === "string" ? v : typeof v === "object" && v && !(v instanceof Node) ? JSON.stringify(v) ?? "" : "";
          } catch {
            return "";
          }
        })
        .join("\n"),
      resources: performance.getEntries().map((e) => e.name).join("\n"),
    };
    return {
      configs: /** @type {any} */ (window).__seenConfig,
      hits: Object.entries(places).filter(([, text]) => text.includes(token) || /Bearer /i.test(text)).map(([k]) => k),
    };
  }, TOKEN);
  assert.deepEqual(found.hits, []);
  // The page world was told exactly this, and nothing more.
  assert.ok(found.configs.length >= 1);
  for (const c of found.configs) assert.deepEqual(JSON.parse(c), { bound: true, clusterDomain: "cluster.local" });
});
