// The HTML transport's encodings in Debian's Firefox ESR over WebDriver BiDi (spec
// apiserver-proxy.md §3.3 step 5), against the sandbox's demo fixture with authentication off
// (kubectl-proxy style, so a plain tab needs no token):
// - the `brotli` app works through the proxy in a bound tab, because the tab's rule sends
//   `Accept-Encoding: gzip`: its page, stylesheet, script, API call and a second page;
// - the control: the same app in a plain tab (Firefox's own `gzip, deflate, br, zstd`) gets the
//   dropped connection — Firefox's network error page — and so does the `identity` app.
// The plain tab uses the sandbox's own address, not the cluster's (a recording front on another
// port), so the extension does not take it for one of its clusters.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchFirefox } from "./bidi.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";
import { startRecordingFront } from "../e2e/content-support.mjs";

const extensionDir = process.env.KUBEOPEN_FIREFOX_EXTENSION ?? path.join(root, "extension", "dist", "firefox");
const BROTLI = { kind: "service", namespace: "demo", name: "brotli", port: "http" };
const IDENTITY = { kind: "service", namespace: "demo", name: "identity", port: "http" };

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("../e2e/content-support.mjs").Front} */
let front;
let page = ""; // an extension page, to send the extension's messages from

/** The browsing context whose URL satisfies `want`, polled. @param {(url: string) => boolean} want */
const contextWhere = (want) => firefox.contextWhere(want);

/** Polls `expression` in `context` until it is truthy; returns it. @param {string} context @param {string} expression */
const until = (context, expression) => firefox.until(context, expression);

/** The app page's ready marker and name, once its checks passed. @param {string} context */
const ready = (context) =>
  until(context, `document.getElementById("ready")?.textContent === "ready" && document.getElementById("page").textContent`);

/**
 * Opens `url` in a new plain tab; returns the navigation's error ("" when it loaded) and the
 * document the tab then shows (an `about:neterror?…` page for a network error).
 * @param {string} url
 */
async function plainTab(url) {
  const { context } = await firefox.bidi.send("browsingContext.create", { type: "tab" });
  const error = await firefox.bidi.send("browsingContext.navigate", { context, url, wait: "complete" }).then(
    () => "",
    (/** @type {Error} */ e) => e.message,
  );
  const shown = await until(context, `document.documentURI !== "about:blank" && document.documentURI`);
  await firefox.bidi.send("browsingContext.close", { context });
  return { error, shown: /** @type {string} */ (shown) };
}

before(async () => {
  sandbox = await startSandbox({});
  front = await startRecordingFront(sandbox.url);
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
  page = await firefox.openExtensionPage("popup.html");
});

after(async () => {
  await firefox?.close();
  await front?.close();
  await sandbox?.stop();
});

test("Firefox: the brotli app in a bound tab works through the proxy thanks to the Accept-Encoding rule", async () => {
  const added = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:addCluster", name: "encodings", server: ${JSON.stringify(front.url)}, credentials: null })`,
  );
  assert.equal(added.ok, true, JSON.stringify(added));
  const opened = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:open", clusterId: ${JSON.stringify(added.cluster.id)}, target: ${JSON.stringify(BROTLI)} })`,
  );
  assert.equal(opened.ok, true, JSON.stringify(opened));
  const prefix = proxyUrl(front.url, BROTLI, "/").replace(/\/$/, "");
  const app = await contextWhere((u) => u === `${prefix}/`);
  assert.equal(await ready(app), "index");
  const echo = await firefox.bidi.evaluate(app, `fetch("api/data", { headers: { "X-Echo": "1" } }).then((r) => r.json())`);
  assert.deepEqual(echo.headers["accept-encoding"], ["gzip"]);
  await firefox.bidi.evaluate(app, `(document.getElementById("second").click(), true)`);
  await until(app, `location.href === ${JSON.stringify(`${prefix}/second.html`)}`);
  assert.equal(await ready(app), "second");
  await firefox.bidi.send("browsingContext.close", { context: app });
});

test("Firefox control: in a plain tab the brotli and identity apps get a network error page", async () => {
  for (const target of [BROTLI, IDENTITY]) {
    // The API server drops the connection before a byte: "The connection was reset".
    const { error, shown } = await plainTab(proxyUrl(sandbox.url, target, "/"));
    assert.match(error, /NS_ERROR_NET_RESET/, target.name);
    assert.match(shown, /^about:neterror\?e=netReset/, `${target.name}: ${shown}`);
  }
  // The demo app (no odd encoding) loads in the same kind of tab: the tab itself is fine.
  const web = await plainTab(proxyUrl(sandbox.url, { kind: "service", namespace: "demo", name: "web", port: "http" }, "/"));
  assert.equal(web.error, "");
  assert.match(web.shown, /\/services\/web:http\/proxy\/$/);
});
