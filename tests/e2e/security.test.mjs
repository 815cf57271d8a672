// Threats from SECURITY.md that live in the browser and had no test of their own, in Debian's
// Chromium with the real extension (extension/dist/chrome) against the sandbox:
// - another site sending a person to a known cluster's proxy URL: a cross-site form POST gets no
//   token, and a tab bound by a GET reaches that target's prefix and nothing else of the API (no
//   CSRF on the API server), and a POST navigation never binds or rebinds a tab;
// - DNS rebinding: another host name for the same server address gets no token, navigated or
//   fetched — the rules name the server's host, not its address;
// - the token in an answer to the extension's own pages;
// - the token in a URL or in any console message of the extension's pages, worker or the app.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { proxyUrl } from "kubeopen";
import { TIMEOUT, addCluster, eventually, launchBrowser, startRecorder, startSandbox } from "./bindings-support.mjs";

const TOKEN = "security-test-token-93f1";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {Awaited<ReturnType<typeof startRecorder>>} */
let recorder;
let appUrl = "";
let prefix = "";
/** Every request URL and console message the browser saw, from the first page on. */
const seen = { urls: /** @type {string[]} */ ([]), console: /** @type {string[]} */ ([]) };

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" } });
  recorder = await startRecorder();
  browser = await launchBrowser();
  browser.context.on("request", (r) => seen.urls.push(r.url()));
  browser.context.on("console", (m) => seen.console.push(m.text()));
  browser.worker().on("console", (m) => seen.console.push(m.text()));
  await addCluster(browser, { name: "sandbox", server: sandbox.url, token: TOKEN });
  appUrl = proxyUrl(sandbox.url, WEB, "/");
  prefix = appUrl.replace(/\/$/, "");
});

after(async () => {
  await browser?.close();
  await recorder?.close();
  await sandbox?.stop();
});

/** A tab showing a page of another site (the recorder's origin). */
async function otherSite() {
  const page = await browser.context.newPage();
  await page.goto(`${recorder.url}/evil`);
  return page;
}

/**
 * Runs `action` and returns the status of `page`'s next document response from `origin`.
 * @param {import("playwright-core").Page} page @param {() => Promise<unknown>} action @param {string} [origin]
 */
async function documentStatus(page, action, origin = sandbox.url) {
  const response = page.waitForResponse((r) => r.request().resourceType() === "document" && r.url().startsWith(origin), { timeout: TIMEOUT });
  await action();
  return (await response).status();
}

test("sanity: the proxy URL needs the token", async () => {
  assert.equal((await fetch(appUrl)).status, 401);
});

/**
 * Closes `page` once the extension has handled its last navigation (it binds a tab that commits
 * on a proxy URL, and injects into it after load): closing in the middle of that left
 * Playwright's close waiting forever here. Waits at most 3 s for a binding to appear.
 * @param {import("playwright-core").Page} page
 */
async function closeSettled(page) {
  const tabId = await browser.tabIdOf(page).catch(() => null);
  const end = Date.now() + 3000;
  while (tabId !== null && Date.now() < end && !(await browser.bindingOf(tabId))) await new Promise((r) => setTimeout(r, 100));
  await page.waitForLoadState("load");
  await new Promise((r) => setTimeout(r, 300));
  await page.close();
}

/** Submits a form POST to `url` from `page`'s own script (after evaluate returns: it navigates away). @param {import("playwright-core").Page} page @param {string} url */
function postForm(page, url) {
  return page.evaluate((action) => {
    const form = document.createElement("form");
    form.method = "POST";
    form.action = action;
    const field = document.createElement("input");
    field.name = "user";
    field.value = "csrf";
    form.append(field);
    document.body.append(form);
    setTimeout(() => form.submit(), 0);
  }, url);
}

/** The statuses of every POST `page` sends to `url` from now on. @param {import("playwright-core").Page} page @param {string} url */
function postsTo(page, url) {
  /** @type {number[]} */
  const statuses = [];
  page.on("response", (r) => {
    if (r.request().method() === "POST" && r.url() === url) statuses.push(r.status());
  });
  return statuses;
}

test("another site's form POST to a known cluster's proxy URL gets no token: 401", async () => {
  const page = await otherSite();
  const status = await documentStatus(page, () => postForm(page, `${prefix}/login`));
  assert.equal(status, 401, "a POST navigation must reach the server without the token");
  await closeSettled(page);
});

// Found while writing SECURITY.md ("A site sending you to a proxy URL"): binding a tab on any
// committed navigation to a proxy URL, POST included, made reloading the 401 page resubmit the
// other site's POST with the token. Only GET navigations bind (extension/src/bg/navigation.js).
test(
  "…and that POST does not bind the tab, so reloading it cannot resubmit it with the token",
  async () => {
    const page = await otherSite();
    const url = `${prefix}/login`;
    const statuses = postsTo(page, url);
    await documentStatus(page, () => postForm(page, url));
    await new Promise((r) => setTimeout(r, 1500)); // as a person would: the 401 page, then reload
    await page.reload().catch(() => undefined);
    await page.waitForLoadState("load");
    const binding = await browser.bindingOf(await browser.tabIdOf(page));
    await closeSettled(page);
    assert.deepEqual(statuses.filter((s) => s !== 401), [], `every POST got 401: ${statuses}`);
    assert.equal(binding, null, "the tab is not bound by a POST");
  },
);

// Found the same way: a bound app submitting a form POST to another target's proxy URL made the
// extension rebind the tab and reload it, resubmitting the POST with the token — one app POSTing
// as you to any other target (even `nodes/NAME/proxy`). A POST commit now never rebinds or reloads.
test(
  "a proxied app cannot POST with the token to another target by submitting a form",
  async () => {
    const page = await otherSite();
    await page.evaluate((url) => (location.href = url), appUrl);
    await page.waitForURL(appUrl, { timeout: TIMEOUT });
    await page.waitForLoadState("load");
    const podLogin = proxyUrl(sandbox.url, { kind: "pod", namespace: "demo", name: "web-0", port: "8080" }, "/login");
    const statuses = postsTo(page, podLogin);
    await documentStatus(page, () => postForm(page, podLogin));
    await page.waitForLoadState("load");
    await new Promise((r) => setTimeout(r, 1500)); // a rebind reloads the tab shortly after
    await closeSettled(page);
    assert.ok(statuses.length > 0, "the POST was sent");
    assert.deepEqual(statuses.filter((s) => s !== 401), [], `every POST to the other target got 401: ${statuses}`);
  },
);

test("another site's link (GET) to a known cluster's proxy URL binds the tab to that target's prefix only", async () => {
  const page = await otherSite();
  await page.evaluate((url) => (location.href = url), appUrl);
  await page.waitForURL(appUrl, { timeout: TIMEOUT });
  await page.waitForLoadState("load");
  assert.equal(await page.locator("h1").textContent(), "kubeopen demo app", "a GET navigation is bound: the app loads");
  const tabId = await browser.tabIdOf(page);
  const binding = await eventually(async () => browser.bindingOf(tabId), "the tab's binding");
  assert.equal(binding.prefix, prefix);

  // The app (or anything running in its page) turns to the API itself, with the person's
  // token in the tab's rules: reading a list, creating an object, absolute and root-relative.
  // Every such request is sent into the app's own prefix (to the app's backend), never to the API.
  const attempts = await page.evaluate(
    async ([server]) => {
      const tries = [
        [`${server}/api/v1/namespaces/demo/services`, "GET"],
        ["/api/v1/namespaces/demo/services", "GET"],
        ["/api/v1/namespaces/demo/configmaps", "POST"],
        [`${server}/apis/apps/v1/namespaces/demo/deployments`, "GET"],
        [`${server}/version`, "GET"],
      ];
      const out = [];
      for (const [url, method] of tries) {
        const r = await fetch(url, { method, body: method === "POST" ? '{"kind":"ConfigMap"}' : undefined });
        const text = await r.text();
        out.push({ asked: url, url: r.url, status: r.status, apiAnswer: /"kind":\s*"(ServiceList|DeploymentList|ConfigMap|Status)"|"gitVersion"/.test(text) });
      }
      return out;
    },
    [sandbox.url],
  );
  for (const a of attempts) {
    assert.ok(a.url.startsWith(`${prefix}/`), `${a.asked} must be sent into the prefix, not to the API; it went to ${a.url}`);
    assert.equal(a.apiAnswer, false, `${a.asked} got an answer of the API server: ${JSON.stringify(a)}`);
  }
  await page.close();
});

test("DNS rebinding: another host name for the same server address gets no token", async () => {
  // `localhost` reaches the same sandbox as 127.0.0.1: what a rebound name looks like to the
  // browser. The cluster was added as 127.0.0.1.
  const rebound = appUrl.replace("://127.0.0.1:", "://localhost:");
  assert.notEqual(rebound, appUrl);
  assert.equal((await fetch(rebound, { headers: { authorization: `Bearer ${TOKEN}` } })).status, 200, "sanity: the name reaches the sandbox");

  // Navigated: not taken over, not bound, no token.
  const page = await browser.context.newPage();
  const status = await documentStatus(page, () => page.goto(rebound).catch(() => undefined), "http://localhost:");
  assert.equal(status, 401);
  assert.equal(await browser.bindingOf(await browser.tabIdOf(page)), null, "the tab is not bound");
  await page.close();

  // Fetched from a bound tab (the app's script asking the rebound name): no token. The page
  // cannot read a cross-origin answer; the browser's network log shows what the server said.
  const bound = await otherSite();
  await bound.evaluate((url) => (location.href = url), appUrl);
  await bound.waitForURL(appUrl, { timeout: TIMEOUT });
  await bound.waitForLoadState("load");
  const answer = bound.waitForResponse((r) => r.url() === rebound, { timeout: TIMEOUT });
  await bound.evaluate((url) => fetch(url, { mode: "no-cors" }).then(() => undefined), rebound);
  assert.equal((await answer).status(), 401, "the rebound name got no token from the bound tab");
  // The same request to the real name from the same tab does carry it (the test can tell).
  const real = bound.waitForResponse((r) => r.url() === appUrl && r.request().resourceType() === "fetch", { timeout: TIMEOUT });
  await bound.evaluate((url) => fetch(url).then(() => undefined), appUrl);
  assert.equal((await real).status(), 200);
  await bound.close();
});

test("no answer the extension gives its own pages holds the token", async () => {
  const { clusters } = await browser.send({ type: "kubeopen:listClusters" });
  assert.ok(Array.isArray(clusters) && clusters.length === 1, JSON.stringify(clusters));
  const id = clusters[0].id;
  const answers = [
    clusters,
    await browser.send({ type: "kubeopen:status" }),
    await browser.send({ type: "kubeopen:testCluster", clusterId: id }),
    await browser.send({ type: "kubeopen:endpoints", clusterId: id }),
    await browser.send({ type: "kubeopen:open", clusterId: id, target: WEB, path: "/" }),
  ];
  const text = JSON.stringify(answers);
  assert.match(text, /"ok":true/, "the messages were answered");
  assert.ok(!text.includes(TOKEN), text.slice(0, 400));
});

test("the token is in no URL the browser requested and in no console message", async () => {
  assert.ok(seen.urls.length > 10, `requests were recorded (${seen.urls.length})`);
  const inUrls = seen.urls.filter((u) => u.includes(TOKEN) || decodeURIComponent(u).includes(TOKEN));
  assert.deepEqual(inUrls, []);
  const inConsole = seen.console.filter((m) => m.includes(TOKEN));
  assert.deepEqual(inConsole, []);
});
