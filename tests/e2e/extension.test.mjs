// The unpacked Chrome build in Debian's Chromium: the service worker loads the wasm, the manifest
// and icons are what a store listing needs, and a fresh popup is never blank.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchWithExtension } from "./chromium.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const extensionDir = process.env.KUBEOPEN_CHROME_EXTENSION ?? path.join(root, "extension", "dist", "chrome");

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

test("the manifest names the popup, the options page and every icon size, and the icons load", async () => {
  const manifest = await browser.worker.evaluate(() => chrome.runtime.getManifest());
  assert.equal(manifest.action.default_popup, "popup.html");
  assert.equal(manifest.options_ui.page, "options.html");
  assert.deepEqual(Object.keys(manifest.icons), ["16", "32", "48", "128"]);
  assert.ok(manifest.name.length <= 45 && manifest.description.length <= 132, "store limits (Chrome Web Store)");
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  const sizes = await page.evaluate(async (icons) => {
    const out = {};
    for (const [size, file] of Object.entries(icons)) {
      const img = new Image();
      img.src = `/${file}`;
      await img.decode();
      out[size] = img.naturalWidth;
    }
    return out;
  }, manifest.icons);
  assert.deepEqual(sizes, { 16: 16, 32: 32, 48: 48, 128: 128 });
  await page.close();
});

test("with no cluster, the popup is not blank: it says what to do", async () => {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html`);
  await page.getByRole("button", { name: "Add a cluster" }).waitFor();
  assert.match(await page.locator("#message").textContent(), /No cluster yet/);
  await page.close();
});
