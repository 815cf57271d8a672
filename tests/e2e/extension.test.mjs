// The unpacked Chrome build in Debian's Chromium: the service worker loads the wasm, and the popup
// shows the core's parse of what a person types (through the background, never wasm in the page).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchWithExtension } from "./chromium.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = path.join(root, "extension", "dist", "chrome");

let browser;
before(async () => {
  browser = await launchWithExtension(extensionDir);
});
after(async () => {
  await browser?.close();
});

test("the background reports its wasm core ready, with the package version", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  const status = await page.evaluate(() => chrome.runtime.sendMessage({ type: "kubeopen:status" }));
  assert.deepEqual(status, { ok: true, core: "ready", version: "0.1.0" });
  await page.close();
});

test("the popup shows the parse of what you type", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.getByLabel("Proxy segment").fill("https:grafana:3000");
  await assert.doesNotReject(page.locator('dd[data-field="name"]', { hasText: "grafana" }).waitFor());
  assert.equal(await page.locator('dd[data-field="scheme"]').textContent(), "https");
  assert.equal(await page.locator('dd[data-field="port"]').textContent(), "3000");

  // The https:name quirk: two parts are name:port.
  await page.getByLabel("Proxy segment").fill("https:web");
  await page.locator('dd[data-field="port"]', { hasText: "web" }).waitFor();
  assert.equal(await page.locator('dd[data-field="name"]').textContent(), "https");
  await page.close();
});

test("the popup explains a bad segment", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.getByLabel("Proxy segment").fill("ftp:web:21");
  const error = page.locator(".error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidSegment");
  assert.match(await error.textContent(), /scheme "ftp"/);
  await page.close();
});
