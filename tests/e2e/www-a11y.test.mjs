// Accessibility basics of the playground and the dashboard in Debian's Chromium: axe-core (from
// npm, injected into the page) finds no serious or critical violation — labelled inputs,
// contrast, names of links and buttons — in every state shown, light and dark; and both pages
// work from the keyboard alone.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { createRequire } from "node:module";
import { readFile } from "node:fs/promises";
import { launchPlain } from "./chromium.mjs";
import { wwwDist } from "./www-serve.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const axeSource = await readFile(createRequire(import.meta.url).resolve("axe-core/axe.min.js"), "utf8");

let browser, sandbox;
before(async () => {
  [browser, sandbox] = await Promise.all([
    launchPlain(),
    startSandbox({ tokens: { "demo-token": "alice" }, args: ["--www-dir", wwwDist, "--www-prefix", "/ui/"] }),
  ]);
});
after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/**
 * Runs axe on the page as it is now; returns the serious and critical violations, described.
 * @param {import("playwright-core").Page} page
 */
async function seriousViolations(page) {
  if (!(await page.evaluate(() => "axe" in window))) await page.addScriptTag({ content: axeSource });
  const violations = await page.evaluate(async () => {
    // @ts-ignore — injected above
    const result = await window.axe.run(document, { resultTypes: ["violations"] });
    return result.violations.map((/** @type {any} */ v) => ({
      id: v.id,
      impact: v.impact,
      help: v.help,
      nodes: v.nodes.map((/** @type {any} */ n) => `${n.target.join(" ")}: ${n.failureSummary}`),
    }));
  });
  return violations.filter((v) => v.impact === "serious" || v.impact === "critical");
}

for (const scheme of ["light", "dark"]) {
  test(`playground (${scheme}): no serious violations with every section filled`, async () => {
    const page = await browser.newPage({ colorScheme: /** @type {"light" | "dark"} */ (scheme) });
    await page.goto(`${sandbox.url}/ui/`);
    await page.locator("#rewrite-result mark").first().waitFor();
    await page.getByRole("button", { name: "Try an example token" }).click();
    await page.getByRole("button", { name: "Try an example kubeconfig" }).click();
    await page.locator('#kubeconfig-result article[data-context="prod-eks"]').waitFor();
    await page.locator('#token-result dd[data-field="expiry"]').waitFor();
    // An error shown too.
    await page.getByLabel("Segment", { exact: true }).fill("ftp:x:1");
    await page.locator("#segment-result .error").waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.close();
  });

  test(`dashboard (${scheme}): no serious violations connected, listing, and in an error state`, async () => {
    const page = await browser.newPage({ colorScheme: /** @type {"light" | "dark"} */ (scheme) });
    await page.goto(`${sandbox.url}/ui/dashboard.html`);
    await page.locator("#status", { hasText: "wants a token" }).waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel(/Bearer token/).fill("wrong");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator('.error[data-cause="unauthorized"]').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.getByLabel(/Bearer token/).fill("demo-token");
    await page.getByRole("button", { name: "Connect" }).click();
    await page.locator('tr[data-service="demo/web"]').waitFor();
    assert.deepEqual(await seriousViolations(page), []);
    await page.close();
  });
}

test("keyboard: the playground's fields are reached with Tab and react to typing", async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/ui/`);
  await page.locator("#address-result a[data-proxy-url]").waitFor();
  // Skip link, the two page links, then the address field.
  const reached = [];
  for (let i = 0; i < 4; i++) {
    await page.keyboard.press("Tab");
    reached.push(await page.evaluate(() => document.activeElement?.id || document.activeElement?.textContent?.trim()));
  }
  assert.deepEqual(reached, ["Skip to content", "Playground", "Dashboard", "address"]);
  await page.keyboard.press("ControlOrMeta+a");
  await page.keyboard.type("svc/demo/web:http");
  await page.locator('#address-result dd[data-field="name"]', { hasText: "web" }).waitFor();
  // The example buttons work with the keyboard.
  await page.getByRole("button", { name: "Try an example token" }).focus();
  await page.keyboard.press("Enter");
  await page.locator('#token-result dd[data-field="subject"]').waitFor();
  await page.close();
});

test("keyboard: the dashboard connects with Enter and its links are focusable", async () => {
  const page = await browser.newPage();
  await page.goto(`${sandbox.url}/ui/dashboard.html`);
  await page.locator("#status", { hasText: "wants a token" }).waitFor();
  await page.getByLabel(/Bearer token/).focus();
  await page.keyboard.type("demo-token");
  await page.keyboard.press("Enter");
  const link = page.locator('tr[data-service="demo/web"] a.open');
  await link.waitFor();
  await link.focus();
  assert.equal(await page.evaluate(() => document.activeElement?.getAttribute("data-endpoint")), "demo/web:http");
  await page.close();
});
