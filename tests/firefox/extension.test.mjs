// The Firefox build (extension/dist/firefox) in Debian's Firefox ESR over WebDriver BiDi: it
// installs, its background (an event page) loads the wasm core, and the popup shows the parse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchFirefox } from "./bidi.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = path.join(root, "extension", "dist", "firefox");

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
let context = "";

before(async () => {
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
  context = await firefox.openExtensionPage("popup.html");
});

after(async () => {
  await firefox?.close();
});

test("the background answers with its wasm core ready", async () => {
  const status = await firefox.bidi.evaluate(context, `browser.runtime.sendMessage({ type: "kubeopen:status" })`);
  assert.deepEqual(status, { ok: true, core: "ready", version: "0.1.0" });
});

test("the popup shows the parse of what you type", async () => {
  const shown = await firefox.bidi.evaluate(
    context,
    `(async () => {
      const input = document.getElementById("segment");
      input.value = "https:grafana:3000";
      input.dispatchEvent(new Event("input"));
      for (let i = 0; i < 100 && !document.querySelector('dd[data-field="name"]'); i++) await new Promise(r => setTimeout(r, 50));
      return Object.fromEntries([...document.querySelectorAll("dd")].map(d => [d.dataset.field, d.textContent]));
    })()`,
  );
  assert.deepEqual(shown, { scheme: "https", name: "grafana", port: "3000" });
});
