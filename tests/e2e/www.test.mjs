// The built www page (www/dist) in Debian's Chromium: the npm package's wasm loads in a page built
// by Vite, and the playground shows the core's parse.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { launchPlain } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");

let browser, server;
before(async () => {
  server = await serveStatic(path.join(root, "www", "dist"));
  browser = await launchPlain();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

test("the playground parses a segment with the wasm core", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(server.url);
  await page.locator('dd[data-field="name"]', { hasText: "grafana" }).waitFor();
  assert.equal(await page.locator('dd[data-field="scheme"]').textContent(), "https");
  assert.equal(await page.locator('dd[data-field="port"]').textContent(), "3000");
  assert.equal(await page.locator("#version").textContent(), "0.1.0");

  await page.getByRole("textbox", { name: "Segment" }).fill("aoeu:asdf:htns");
  const error = page.locator(".error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidSegment");
  assert.deepEqual(errors, []);
  await page.close();
});
