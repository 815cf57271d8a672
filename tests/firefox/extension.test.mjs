// The Firefox build (extension/dist/firefox) in Debian's Firefox ESR over WebDriver BiDi: it
// installs, its background (an event page) loads the wasm core, a pasted kubeconfig is read, a
// cluster is added through the options page and its connection checked, and the popup lists its
// services (so the build's host permissions let the background reach the API server).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launchFirefox } from "./bidi.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";

const extensionDir = process.env.KUBEOPEN_FIREFOX_EXTENSION ?? path.join(root, "extension", "dist", "firefox");
const TOKEN = "firefox-test-token";

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "alice" } });
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
});

after(async () => {
  await firefox?.close();
  await sandbox?.stop();
});

/** Polls `selector` in the page until it exists; returns its text. */
const waitForText = (selector) => `(async () => {
  for (let i = 0; i < 100; i++) {
    const el = document.querySelector(${JSON.stringify(selector)});
    if (el) return el.textContent;
    await new Promise((r) => setTimeout(r, 50));
  }
  throw new Error("timed out waiting for " + ${JSON.stringify(selector)});
})()`;

test("the background answers with its wasm core ready", async () => {
  const context = await firefox.openExtensionPage("popup.html");
  const status = await firefox.bidi.evaluate(context, `browser.runtime.sendMessage({ type: "kubeopen:status" })`);
  assert.deepEqual(status, { ok: true, core: "ready", version: "0.1.0" });
});

test("add a cluster on the options page; the connection test shows version and identity", async () => {
  const context = await firefox.openExtensionPage("options.html");
  // A pasted kubeconfig is read by the core in the background: its context is listed, and its
  // token is not used for an http:// server (as client-go), which the page says.
  const kubeconfig = `apiVersion: v1
kind: Config
current-context: sandbox
clusters: [{name: sandbox, cluster: {server: "${sandbox.url}"}}]
users: [{name: alice, user: {token: ${TOKEN}}}]
contexts: [{name: sandbox, context: {cluster: sandbox, user: alice, namespace: demo}}]
`;
  await firefox.bidi.evaluate(
    context,
    `(() => {
      const field = document.getElementById("kubeconfig");
      field.value = ${JSON.stringify(kubeconfig)};
      field.dispatchEvent(new Event("input"));
      return true;
    })()`,
  );
  assert.equal(await firefox.bidi.evaluate(context, waitForText('#context-detail dd[data-field="server"]')), sandbox.url);
  assert.match(await firefox.bidi.evaluate(context, waitForText("#context-detail .unsupported li")), /https/);

  // Server and token.
  await firefox.bidi.evaluate(
    context,
    `(() => {
      document.getElementById("tab-server").click();
      const set = (id, value) => {
        const field = document.getElementById(id);
        field.value = value;
        field.dispatchEvent(new Event("input"));
      };
      set("server", ${JSON.stringify(sandbox.url)});
      set("token", ${JSON.stringify(TOKEN)});
      set("namespace", "demo");
      document.getElementById("add").click();
      return true;
    })()`,
  );
  const report = await firefox.bidi.evaluate(context, waitForText("li.cluster .cluster-report :is(.report, .error)"));
  assert.match(report, /Connected/, report);
  const version = await firefox.bidi.evaluate(context, waitForText('li.cluster .cluster-report dd[data-field="version"]'));
  assert.match(version, /^v\d+\.\d+/);
  assert.equal(await firefox.bidi.evaluate(context, waitForText('li.cluster dd[data-field="identity"]')), "an opaque token (not a JWT)");
  const stored = await firefox.bidi.evaluate(
    context,
    `(async () => ({ local: JSON.stringify(await browser.storage.local.get(null)), session: JSON.stringify(await browser.storage.session.get(null)) }))()`,
  );
  assert.ok(!stored.local.includes(TOKEN), "the token is not written to disk");
  assert.ok(stored.session.includes(TOKEN), "the token is kept for the session");
});

test("the popup lists the added cluster's services", async () => {
  // A query makes it a new tab: openExtensionPage finds tabs by URL, and test 1 opened popup.html.
  const context = await firefox.openExtensionPage("popup.html?services");
  await firefox.bidi.evaluate(context, waitForText("#results .option"));
  const labels = await firefox.bidi.evaluate(context, `[...document.querySelectorAll("#results .option .label")].map((e) => e.textContent)`);
  assert.ok(labels.includes("web:80") && labels.includes("prometheus:9090"), String(labels));
});
