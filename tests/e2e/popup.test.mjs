// The popup in Debian's Chromium with the unpacked extension, against the sandbox's demo cluster:
// the services of the default cluster grouped by namespace with every openable port, search by
// typing, keyboard-only choice, opening through `kubeopen:open`, pods and nodes, the current tab's
// binding with "Unbind", and the states that must never be a blank popup (no cluster, 401).
import { test, before, after, beforeEach } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { launchWithExtension } from "./chromium.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";

// KUBEOPEN_CHROME_EXTENSION: a copy of the build, so a rebuild during the run cannot reload it.
const extensionDir = process.env.KUBEOPEN_CHROME_EXTENSION ?? path.join(root, "extension", "dist", "chrome");
const TOKEN = "popup-test-token";
/** A token (service-account JWT form, unsigned: the sandbox compares strings) expiring in 10 minutes. */
const SOON = (() => {
  const part = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const exp = Math.floor(Date.now() / 1000) + 600;
  return `${part({ alg: "RS256" })}.${part({ exp, sub: "system:serviceaccount:demo:soon" })}.c2ln`;
})();

let sandbox;
let browser;
/** An extension page that stays open to send setup messages. */
let admin;

before(async () => {
  sandbox = await startSandbox({
    tokens: { [TOKEN]: "alice", "bob-token": "bob", "carol-token": "carol", [SOON]: "alice" },
    // alice may do anything; bob may only list and open services in demo; carol nothing.
    authz: `rules:
  - users: [alice]
    resources: ["*"]
    verbs: ["*"]
  - users: [bob]
    namespaces: [demo]
    resources: [services, services/proxy]
    verbs: [get, list]
`,
  });
  browser = await launchWithExtension(extensionDir);
  admin = await browser.context.newPage();
  // Not options.html: the popup's link to the options page would focus that tab instead of opening one.
  await admin.goto(`chrome-extension://${browser.extensionId}/popup.html`);
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

beforeEach(async () => {
  await admin.evaluate(async () => {
    const { clusters } = await chrome.runtime.sendMessage({ type: "kubeopen:listClusters" });
    for (const c of clusters) await chrome.runtime.sendMessage({ type: "kubeopen:removeCluster", clusterId: c.id });
  });
});

/** @param {string} token */
async function addCluster(token, name = "demo") {
  const answer = await admin.evaluate(
    ([server, token, name]) =>
      chrome.runtime.sendMessage({ type: "kubeopen:addCluster", name, server, credentials: { token }, namespace: "demo" }),
    [sandbox.url, token, name],
  );
  assert.equal(answer.ok, true, JSON.stringify(answer));
  return answer.cluster;
}

/**
 * Opens the popup as a page, recording every message it sends (the popup closes itself after
 * opening a target, so the record lives in the test).
 */
async function openPopup(query = "") {
  const page = await browser.context.newPage();
  const sent = [];
  await page.exposeFunction("__recordMessage", (m) => sent.push(m));
  await page.addInitScript(() => {
    const original = chrome.runtime.sendMessage.bind(chrome.runtime);
    chrome.runtime.sendMessage = (msg, ...rest) => {
      globalThis.__recordMessage(msg);
      return original(msg, ...rest);
    };
  });
  await page.goto(`chrome-extension://${browser.extensionId}/popup.html${query}`);
  return { page, sent };
}

test("lists the demo services by namespace with every openable port; typing filters", async () => {
  await addCluster(TOKEN);
  const { page } = await openPopup();
  const options = page.locator('#results [role="option"]');
  await options.first().waitFor();
  assert.deepEqual(await page.locator("#results .group").allTextContents(), ["demo", "kube-system", "monitoring"]);
  const labels = await page.locator("#results .option .label").allTextContents();
  for (const expected of ["web:80", "web-multi:80", "web-multi:9100", "no-endpoints:80", "web-unnamed:80", "kubernetes-dashboard:80", "prometheus:9090"]) {
    assert.ok(labels.includes(expected), `${expected} in ${labels}`);
  }
  assert.equal(await page.locator("#cluster-name").textContent(), "demo");

  await page.getByLabel("Search").fill("monitoring");
  await page.locator("#results .option").nth(1).waitFor({ state: "detached" });
  assert.deepEqual(await page.locator("#results .option .label").allTextContents(), ["prometheus:9090"]);
  assert.deepEqual(await page.locator("#results .group").allTextContents(), ["monitoring"]);

  // Every word must match: namespace and port together.
  await page.getByLabel("Search").fill("multi 9100");
  await page.locator("#results .option .label", { hasText: "web-multi:9100" }).waitFor();
  assert.equal(await page.locator("#results .option").count(), 1);
  await page.close();
});

test("keyboard only: arrows choose, Enter opens the service in a bound tab via kubeopen:open", async () => {
  const cluster = await addCluster(TOKEN);
  const { page, sent } = await openPopup();
  await page.locator('#results [role="option"]').first().waitFor();
  // Focus starts in the search box; no mouse from here on.
  assert.equal(await page.evaluate(() => document.activeElement?.id), "search");
  await page.keyboard.type("web-multi");
  await page.locator("#results .option").nth(2).waitFor({ state: "detached" });
  assert.equal(await page.locator('[role="option"][aria-selected="true"] .label').textContent(), "web-multi:80");
  await page.keyboard.press("ArrowDown");
  assert.equal(await page.locator('[role="option"][aria-selected="true"] .label').textContent(), "web-multi:9100");
  assert.equal(await page.getByLabel("Search").getAttribute("aria-activedescendant"), "option-1");
  await page.keyboard.press("ArrowUp");
  await page.keyboard.press("ArrowDown");

  const opened = browser.context.waitForEvent("page");
  await page.keyboard.press("Enter");
  const tab = await opened;
  const open = sent.find((m) => m.type === "kubeopen:open");
  assert.deepEqual(open, {
    type: "kubeopen:open",
    clusterId: cluster.id,
    target: { kind: "service", namespace: "demo", name: "web-multi", scheme: "", port: "9100" },
  });
  await tab.waitForURL(`${sandbox.url}/api/v1/namespaces/demo/services/web-multi:9100/proxy/`);

  // The popup for that tab shows its binding; Unbind removes it.
  const tabId = await browser.worker.evaluate(async (url) => (await chrome.tabs.query({ url }))[0]?.id, tab.url());
  const { page: status } = await openPopup(`?tab=${tabId}`);
  await status.locator("#binding:not([hidden])").waitFor();
  assert.equal(await status.locator("#binding-target").textContent(), "svc/demo/web-multi:9100");
  assert.equal(await status.locator("#binding-cluster").textContent(), "on demo");
  await status.getByRole("button", { name: "Unbind" }).click();
  await status.locator("#binding").waitFor({ state: "hidden" });
  const after = await admin.evaluate((tabId) => chrome.runtime.sendMessage({ type: "kubeopen:binding", tabId }), tabId);
  assert.deepEqual(after, { ok: true, binding: null });
  await Promise.all([tab.close(), status.close()]);
});

test("pods and nodes are reachable too", async () => {
  await addCluster(TOKEN);
  const { page } = await openPopup();
  await page.locator('#results [role="option"]').first().waitFor();
  await page.getByRole("tab", { name: "Pods" }).click();
  await page.locator("#results .option .label", { hasText: "web-0:8080" }).waitFor();
  assert.deepEqual(await page.locator("#results .option .label").allTextContents(), [
    "brotli-0:8080",
    "identity-0:8080",
    "identity-1:8080",
    "web-0:8080",
    "web-0:9100",
  ]);
  assert.equal(await page.locator("#pod-namespace").inputValue(), "demo");
  await page.locator("#pod-namespace").selectOption("monitoring");
  await page.locator("#results .option .label", { hasText: "prometheus-0:9090" }).waitFor();

  await page.getByRole("tab", { name: "Nodes" }).click();
  await page.locator("#results .option .label", { hasText: "node-1" }).waitFor();
  assert.deepEqual(await page.locator("#results .group").allTextContents(), ["nodes"]);
  await page.close();
});

test("no cluster yet: the popup says so and links to the options page", async () => {
  const { page } = await openPopup();
  await page.getByRole("button", { name: "Add a cluster" }).waitFor();
  assert.match(await page.locator("#message").textContent(), /No cluster yet/);
  const options = browser.context.waitForEvent("page", (p) => p.url().endsWith("/options.html"));
  await page.getByRole("button", { name: "Add a cluster" }).click();
  await (await options).close();
});

test("a rejected token: the popup shows the 401 and what to do, with Retry", async () => {
  await addCluster("wrong-token", "broken");
  const { page } = await openPopup();
  const error = page.locator("#message .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "Unauthorized");
  assert.match(await error.locator(".advice").textContent(), /kubectl create token/);
  await page.getByRole("button", { name: "Retry" }).waitFor();
  assert.equal(await page.locator('#results [role="option"]').count(), 0);
  await page.close();
});

test("403: credentials that may list services only in their namespace see that namespace", async () => {
  await addCluster("bob-token", "bob");
  const { page } = await openPopup();
  await page.locator('#results [role="option"]').first().waitFor();
  assert.deepEqual(await page.locator("#results .group").allTextContents(), ["demo"]);
  await page.close();
});

test("403 everywhere: the popup says what the account needs", async () => {
  await addCluster("carol-token", "carol");
  const { page } = await openPopup();
  const error = page.locator("#message .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "Forbidden");
  assert.match(await error.textContent(), /cannot list resource "services"/);
  assert.match(await error.locator(".advice").textContent(), /needs list on services/);
  await page.close();
});

test("a token about to expire is said before it fails", async () => {
  await addCluster(SOON, "soon");
  const { page } = await openPopup();
  await page.locator('#results [role="option"]').first().waitFor();
  const warning = page.locator("#message .warning");
  await warning.waitFor();
  assert.match(await warning.textContent(), /token expires .* \(in (9|10) min\)/);
  await page.close();
});
