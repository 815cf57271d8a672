// The demo fixture app through the Firefox build (extension/dist/firefox) in Debian's Firefox ESR
// over WebDriver BiDi: a cluster added and the app opened with the extension's own messages, then
// the app's checks — assets, CSS url(), fetch, XHR, WebSocket, srcset, pushState, form POST +
// redirect, meta refresh — with no request reaching the API server outside the prefix. In
// Firefox the HTML and CSS also stream through the core's rewriters (bg/firefox-filter.js).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchFirefox } from "./bidi.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";
import { startRecordingFront } from "../e2e/content-support.mjs";

const extensionDir = process.env.KUBEOPEN_FIREFOX_EXTENSION ?? path.join(root, "extension", "dist", "firefox");
const TOKEN = "firefox-demo-token-0b7c55";
const TARGET = { kind: "service", namespace: "demo", name: "web", port: "http" };

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("../e2e/content-support.mjs").Front} */
let front;
let prefix = "";
let prefixPath = "";
let app = ""; // the app tab's browsing context

/** The browsing context whose URL satisfies `want`, polled. @param {(url: string) => boolean} want */
const contextWhere = (want) => firefox.contextWhere(want);

/** Polls `expression` in the app tab until it is truthy; returns it. @param {string} expression */
const until = (expression) => firefox.until(app, expression);

/** The text of #id once it no longer says "pending". @param {string} id */
const settled = (id) => until(`(() => { const t = document.getElementById(${JSON.stringify(id)})?.textContent; return t && t !== "pending" ? t : null; })()`);

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "firefox-tester" } });
  front = await startRecordingFront(sandbox.url);
  prefix = proxyUrl(front.url, TARGET, "/").replace(/\/$/, "");
  prefixPath = new URL(prefix).pathname;
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
  const page = await firefox.openExtensionPage("popup.html");
  const added = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:addCluster", name: "demo", server: ${JSON.stringify(front.url)}, credentials: { token: ${JSON.stringify(TOKEN)} } })`,
  );
  assert.equal(added.ok, true, JSON.stringify(added));
  const opened = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:open", clusterId: ${JSON.stringify(added.cluster.id)}, target: ${JSON.stringify(TARGET)} })`,
  );
  assert.equal(opened.ok, true, JSON.stringify(opened));
  app = await contextWhere((u) => u === `${prefix}/`);
  await until(`document.readyState === "complete" && document.querySelector("h1")?.textContent`);
});

after(async () => {
  await firefox?.close();
  await front?.close();
  await sandbox?.stop();
});

test("Firefox: the app, its assets and its CSS url() background load inside the prefix", async () => {
  assert.equal(await firefox.bidi.evaluate(app, `document.querySelector("h1").textContent`), "kubeopen demo app");
  const loaded = await until(`(async () => {
    const entries = performance.getEntriesByType("resource").map((e) => e.name);
    const want = ["/static/app.css", "/static/app.js", "/static/logo.svg", "/static/bg.svg"].map((p) => ${JSON.stringify(prefix)} + p);
    return want.every((w) => entries.includes(w)) ? entries : null;
  })()`);
  assert.ok(Array.isArray(loaded));
  // In Firefox app.css itself is rewritten on the way in: its url() names the prefix.
  const bg = await firefox.bidi.evaluate(app, `getComputedStyle(document.querySelector(".banner")).backgroundImage`);
  assert.equal(bg, `url("${prefix}/static/bg.svg")`);
});

test("Firefox: fetch, XHR and the WebSocket reach the backend through the prefix", async () => {
  assert.match(await settled("fetch-result"), /^ok: /);
  assert.match(await settled("xhr-result"), /^ok: /);
  const ws = await settled("ws-result");
  assert.match(ws, /^ok: /, `ws-result: ${ws}`);
  for (const u of front.seen.filter((s) => s.upgrade)) assert.ok(u.url.startsWith(`${prefixPath}/ws`), u.url);
});

test("Firefox: srcset is inside the prefix (rewritten as the HTML streamed in)", async () => {
  const srcset = await firefox.bidi.evaluate(app, `document.querySelector("header img").getAttribute("srcset")`);
  assert.equal(srcset, `${prefixPath}/static/logo.svg 1x, ${prefixPath}/static/logo@2x.svg 2x`);
  // decode() rejects for an image that failed to load (an SVG without a size has naturalWidth 0 here).
  assert.ok(await until(`document.querySelector("header img").decode().then(() => true, () => false)`));
});

test("Firefox: a link the app adds at run time is fixed by the link fixer (injected once the page loaded)", async () => {
  await firefox.bidi.evaluate(app, `(() => { const a = document.createElement("a"); a.id = "added"; a.href = "/home"; document.body.append(a); return true; })()`);
  assert.equal(await until(`(() => { const h = document.getElementById("added").getAttribute("href"); return h === "/home" ? null : h; })()`), `${prefixPath}/home`);
});

test("Firefox: pushState stays inside the prefix", async () => {
  await firefox.bidi.evaluate(app, `(document.getElementById("push").click(), true)`);
  assert.equal(await firefox.bidi.evaluate(app, `location.pathname`), `${prefixPath}/virtual/route`);
});

test("Firefox: the login form POSTs into the prefix and lands on /home", async () => {
  await firefox.bidi.send("browsingContext.navigate", { context: app, url: `${prefix}/`, wait: "complete" });
  await firefox.bidi.evaluate(app, `(document.querySelector('form button[type="submit"]').click(), true)`);
  await until(`location.href === ${JSON.stringify(`${prefix}/home`)} && document.querySelector("h1")?.textContent === "Welcome home"`);
  for (const p of front.seen.filter((s) => s.method === "POST")) assert.equal(p.url, `${prefixPath}/login`);
});

test("Firefox: the meta refresh (rewritten in the streamed HTML) goes to /home inside the prefix", async () => {
  await firefox.bidi.send("browsingContext.navigate", { context: app, url: `${prefix}/refresh.html`, wait: "complete" });
  const content = await firefox.bidi.evaluate(app, `document.querySelector('meta[http-equiv="refresh"]').content`);
  assert.equal(content, `3; url=${prefixPath}/home`);
  await new Promise((r) => setTimeout(r, 3000));
  await until(`location.href === ${JSON.stringify(`${prefix}/home`)}`);
});

// Firefox's request types are finer than Chromium's: an image chosen from `srcset` is `imageset`,
// `navigator.sendBeacon` is `beacon`. The tab's rules must name them (bg/firefox-rules.js), or
// these go out without the token (401) or outside the prefix.
test("Firefox: a srcset image and a beacon the app makes at run time are redirected into the prefix with the token", async () => {
  await firefox.bidi.send("browsingContext.navigate", { context: app, url: `${prefix}/`, wait: "complete" });
  const before = front.seen.length;
  await firefox.bidi.evaluate(
    app,
    `(() => {
      const img = new Image();
      img.id = "run-time";
      // Root-relative: the first request goes out before the link fixer sees the element.
      img.srcset = "/static/logo@2x.svg?run-time 2x";
      document.body.append(img);
      return navigator.sendBeacon("/beacon-from-app", "x");
    })()`,
  );
  // decode() rejects while the link fixer swaps the srcset for its fixed value: ask until it settles.
  assert.ok(await until(`document.getElementById("run-time").decode().then(() => true, () => false)`), "the run-time srcset image decodes");
  const seen = async (/** @type {string} */ path) => {
    for (let i = 0; i < 100; i++) {
      const hits = front.seen.slice(before).filter((s) => s.url === `${prefixPath}${path}`);
      if (hits.length) return hits;
      await new Promise((r) => setTimeout(r, 50));
    }
    return [];
  };
  const image = await seen("/static/logo@2x.svg?run-time");
  assert.ok(image.length >= 1 && image.every((s) => s.authorization), `the srcset image: ${JSON.stringify(image)}`);
  const beacon = await seen("/beacon-from-app");
  assert.ok(beacon.length === 1 && beacon[0].authorization, `the beacon: ${JSON.stringify(beacon)}`);
});

test("Firefox: no request reached the API server outside the prefix, each with the token", async () => {
  assert.ok(front.seen.length > 10);
  assert.deepEqual(front.seen.filter((s) => !s.url.startsWith(`${prefixPath}/`)), []);
  assert.deepEqual(front.seen.filter((s) => !s.authorization), []);
});
