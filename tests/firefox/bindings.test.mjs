// The Firefox build (extension/dist/firefox) in Debian's Firefox ESR over WebDriver BiDi, against
// the sandbox: `kubeopen:open` opens a service in a bound tab whose app works (the token reaches
// the navigation, root-relative requests land in the prefix, the backend sees no Authorization),
// and a proxy URL opened directly is bound before its first request.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchFirefox } from "./bidi.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";

const extensionDir = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(root, "extension", "dist"), "firefox");
const TOKEN = "firefox-bindings-token-3e7f";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };
const TIMEOUT = 20_000;

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
let control = ""; // an extension page's browsing context, to send messages from
let cluster;

/** @param {object} msg */
function send(msg) {
  return firefox.bidi.evaluate(control, `browser.runtime.sendMessage(${JSON.stringify(msg)})`);
}

/** The top-level browsing context showing `url` (waits for it). @param {string} url */
async function contextAt(url) {
  const end = Date.now() + TIMEOUT;
  for (;;) {
    const tree = await firefox.bidi.send("browsingContext.getTree", {});
    const found = tree.contexts.find((/** @type {{ url: string }} */ c) => c.url === url);
    if (found) return /** @type {string} */ (found.context);
    if (Date.now() > end) throw new Error(`no tab at ${url}; tabs: ${tree.contexts.map((/** @type {{ url: string }} */ c) => c.url)}`);
    await new Promise((r) => setTimeout(r, 100));
  }
}

/** Evaluates `expression` in `context` once its document has loaded. @param {string} context @param {string} expression */
async function whenLoaded(context, expression) {
  await firefox.bidi.evaluate(
    context,
    `new Promise(r => document.readyState === "complete" ? r(true) : addEventListener("load", () => r(true)))`,
  );
  return firefox.bidi.evaluate(context, expression);
}

const APP_STATE = `(async () => {
  for (let i = 0; i < 200 && document.getElementById("fetch-result")?.textContent === "pending"; i++) await new Promise(r => setTimeout(r, 50));
  const echo = await (await fetch("/echo-me", { headers: { "X-Echo": "1" } })).json();
  return {
    h1: document.querySelector("h1")?.textContent,
    fetchResult: document.getElementById("fetch-result")?.textContent.slice(0, 3),
    echoPath: echo.target ?? echo.path ?? null,
    authorization: Object.keys(echo.headers ?? {}).some(k => k.toLowerCase() === "authorization"),
  };
})()`;

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" } });
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
  control = await firefox.openExtensionPage("popup.html");
  const added = await send({ type: "kubeopen:addCluster", name: "sandbox", server: sandbox.url, credentials: { token: TOKEN }, namespace: "demo" });
  assert.equal(added.ok, true, JSON.stringify(added));
  cluster = added.cluster;
});

after(async () => {
  await firefox?.close();
  await sandbox?.stop();
});

test("Firefox: kubeopen:open opens the service in a bound tab and the app works", async () => {
  const answer = await send({ type: "kubeopen:open", clusterId: cluster.id, target: WEB, path: "/" });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.url, proxyUrl(sandbox.url, WEB, "/"));
  const context = await contextAt(answer.url);
  const state = await whenLoaded(context, APP_STATE);
  assert.equal(state.h1, "kubeopen demo app");
  assert.equal(state.fetchResult, "ok:");
  assert.equal(state.authorization, false, "the backend never receives Authorization");
  const binding = await send({ type: "kubeopen:binding", tabId: answer.binding.tabId });
  assert.equal(binding.binding?.prefix, answer.url.replace(/\/$/, ""));
});

test("Firefox: a proxy URL opened directly is bound and loads", async () => {
  const url = proxyUrl(sandbox.url, WEB, "/?opened=directly");
  const created = await firefox.bidi.send("browsingContext.create", { type: "tab" });
  await firefox.bidi.send("browsingContext.navigate", { context: created.context, url, wait: "none" }).catch(() => undefined);
  const context = await contextAt(url);
  const state = await whenLoaded(context, APP_STATE);
  assert.equal(state.h1, "kubeopen demo app");
  assert.equal(state.fetchResult, "ok:");
  assert.equal(state.authorization, false);
});

test("Firefox: an in-cluster URL typed with a scheme opens through the proxy", async () => {
  const typed = "http://web.demo.svc.cluster.local:80/?typed=1";
  const want = proxyUrl(sandbox.url, { kind: "service", namespace: "demo", name: "web", scheme: "http", port: "80" }, "/?typed=1");
  const created = await firefox.bidi.send("browsingContext.create", { type: "tab" });
  await firefox.bidi.send("browsingContext.navigate", { context: created.context, url: typed, wait: "none" }).catch(() => undefined);
  const context = await contextAt(want);
  const state = await whenLoaded(context, APP_STATE);
  assert.equal(state.h1, "kubeopen demo app");
  assert.equal(state.fetchResult, "ok:");
});
