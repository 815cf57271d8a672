// Bindings in Debian's Chromium with the real extension (extension/dist/chrome) against the
// sandbox: `kubeopen:open` opens a service in a tab bound before its first request; the token
// reaches only that tab, that server and that target's prefix (never the backend, another tab,
// another origin or another target); the badge says so; closing the tab, leaving the app and
// `kubeopen:unbind` remove the rules; a tab opened from a bound tab inherits the binding; a
// stopped service worker rebuilds the rules from stored state; a cluster with a user name and
// password (basic auth) binds the same way.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { proxyUrl } from "kubeopen";
import {
  TIMEOUT,
  addCluster,
  echoFrom,
  eventually,
  launchBrowser,
  settled,
  startRecorder,
  startSandbox,
} from "./bindings-support.mjs";

const TOKEN = "bindings-test-token-7d2e";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };
const POD = { kind: "pod", namespace: "demo", name: "web-0", port: "8080" };

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
/** @type {Awaited<ReturnType<typeof startRecorder>>} */
let recorder;
let cluster;
let appUrl = "";
let prefix = "";

/** Opens WEB through the extension's message; resolves with the new tab's page and tab id. */
async function openWeb(path = "/") {
  const answer = await browser.send({ type: "kubeopen:open", clusterId: cluster.id, target: WEB, path });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  const page = await eventually(
    async () => browser.context.pages().find((p) => p.url() === answer.url),
    `a tab at ${answer.url} (tabs: ${browser.context.pages().map((p) => p.url())})`,
  );
  await page.waitForLoadState("load");
  return { page, tabId: answer.binding.tabId, binding: answer.binding, url: answer.url };
}

/** @param {number} tabId */
async function rulesOfTab(tabId) {
  return (await browser.sessionRules()).filter((r) => r.condition.tabIds?.includes(tabId));
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" } });
  recorder = await startRecorder();
  browser = await launchBrowser();
  cluster = await addCluster(browser, { name: "sandbox", server: sandbox.url, token: TOKEN });
  appUrl = proxyUrl(sandbox.url, WEB, "/");
  prefix = appUrl.replace(/\/$/, "");
});

after(async () => {
  await browser?.close();
  await recorder?.close();
  await sandbox?.stop();
});

test("sanity: the proxy URL needs the token", async () => {
  assert.equal((await fetch(appUrl, { redirect: "manual" })).status, 401);
});

test("kubeopen:open opens the service in a new tab, bound before its first request", async () => {
  /** @type {{ url: string, status: number }[]} */
  const responses = [];
  browser.context.on("response", (r) => responses.push({ url: r.url(), status: r.status() }));
  const { page, tabId, binding, url } = await openWeb("/");
  assert.equal(url, appUrl);
  assert.deepEqual(
    { ...binding, tabId: 0, firstRuleId: 0 },
    {
      tabId: 0,
      clusterId: cluster.id,
      server: sandbox.url,
      target: { kind: "service", namespace: "demo", name: "web", scheme: "", port: "http" },
      prefix,
      firstRuleId: 0,
    },
  );
  assert.equal(await page.locator("h1").textContent(), "kubeopen demo app");
  assert.match(await settled(page, "fetch-result"), /^ok: /);
  assert.match(await settled(page, "xhr-result"), /^ok: /);
  const unauthorized = responses.filter((r) => r.url.startsWith(sandbox.url) && (r.status === 401 || r.status === 403));
  assert.deepEqual(unauthorized, [], "no request of the app was refused");

  // The rules are the core's three, for this tab only, in the binding's slot.
  const rules = await rulesOfTab(tabId);
  assert.deepEqual(
    rules.map((r) => r.id).sort((a, b) => a - b),
    [binding.firstRuleId, binding.firstRuleId + 1, binding.firstRuleId + 2],
  );
  assert.deepEqual(await browser.bindingOf(tabId), binding);

  // The badge and title say it.
  const badgeOf = () =>
    browser.inWorker(
      async (id) => ({ text: await chrome.action.getBadgeText({ tabId: id }), title: await chrome.action.getTitle({ tabId: id }) }),
      tabId,
    );
  const badge = await badgeOf();
  assert.equal(badge.text, "k8s");
  assert.match(badge.title, /service demo\/web:http/);
  assert.ok(badge.title.includes(sandbox.url), badge.title);
  // The browser resets a tab's badge on every navigation; the background shows it again
  // (bg/badge.js remembers what it showed, so this guards that memory): after a reload and a
  // link inside the app it is as it was.
  await page.reload();
  await page.goto(`${prefix}/home.html`);
  await new Promise((resolve) => setTimeout(resolve, 300)); // any late update would have landed
  assert.deepEqual(await badgeOf(), badge);
  await page.close();
});

test("the backend never receives Authorization, and the token is in no storage", async () => {
  const { page } = await openWeb("/");
  const echo = await echoFrom(page);
  assert.equal(echo.status, 200);
  assert.ok(echo.url.startsWith(`${prefix}/`), echo.url);
  assert.equal(echo.headers.authorization, undefined, "the API server strips it; the backend must not see it");
  assert.equal(echo.headers["accept-encoding"], "gzip");
  const stored = await browser.inWorker(async () => ({
    session: await chrome.storage.session.get("kubeopen.bindings"),
    local: await chrome.storage.local.get(null),
  }));
  assert.ok(!JSON.stringify(stored.session).includes(TOKEN), "bindings hold no token");
  assert.ok(!JSON.stringify(stored.local).includes(TOKEN), "nothing persisted holds the token");
  await page.close();
});

test("no request from another tab, to another origin or to another target's prefix carries the token", async () => {
  const { page } = await openWeb("/");
  // Another origin, from the bound tab.
  const before = recorder.requests.length;
  await page.evaluate(async (u) => {
    await fetch(`${u}/from-bound-tab`, { mode: "no-cors" });
  }, recorder.url);
  const seen = recorder.requests.slice(before);
  assert.deepEqual(seen.map((r) => r.url), ["/from-bound-tab"]);
  assert.equal(seen[0].headers.authorization, undefined);
  // Another target's proxy URL, from the bound tab: let through (not redirected), without token.
  const otherTarget = proxyUrl(sandbox.url, POD, "/");
  const other = await page.evaluate(async (u) => {
    const r = await fetch(u);
    return { status: r.status, url: r.url };
  }, otherTarget);
  assert.deepEqual(other, { status: 401, url: otherTarget });
  // Another tab (unbound) on the server's origin, outside any proxy path (a navigation to the
  // proxy URL itself would be taken over and bound: that is the feature). Same-origin fetch of
  // the bound tab's proxy URL: no token.
  const plain = await browser.context.newPage();
  await plain.goto(`${sandbox.url}/version`);
  const fromOtherTab = await plain.evaluate(async (u) => (await fetch(u)).status, appUrl);
  assert.equal(fromOtherTab, 401, "another tab gets no token");
  await plain.close();
  await page.close();
});

test("a basic-auth cluster binds too: the demo app opens with Basic credentials, only inside the prefix", async () => {
  const USER = "ada";
  const PASSWORD = "pä ss:wörd,\"x"; // non-ASCII, a space, ':' , ',' and '"': all legal in a password
  const basic = await startSandbox({ basicAuth: { [USER]: PASSWORD } });
  try {
    const basicApp = proxyUrl(basic.url, WEB, "/");
    assert.equal((await fetch(basicApp, { redirect: "manual" })).status, 401, "the proxy URL needs credentials");
    const added = await browser.send({
      type: "kubeopen:addCluster",
      name: "basic",
      server: basic.url,
      credentials: { username: USER, password: PASSWORD },
    });
    assert.equal(added.ok, true, JSON.stringify(added));
    const answer = await browser.send({ type: "kubeopen:open", clusterId: added.cluster.id, target: WEB, path: "/" });
    assert.equal(answer.ok, true, JSON.stringify(answer));
    assert.equal(answer.url, basicApp);
    const page = await eventually(async () => browser.context.pages().find((p) => p.url() === basicApp), `a tab at ${basicApp}`);
    await page.waitForLoadState("load");
    assert.equal(await page.locator("h1").textContent(), "kubeopen demo app");
    assert.match(await settled(page, "fetch-result"), /^ok: /);
    assert.match(await settled(page, "xhr-result"), /^ok: /);
    const echo = await echoFrom(page);
    assert.equal(echo.status, 200);
    assert.equal(echo.headers.authorization, undefined, "the backend never sees the credentials");

    // The header is the core's Basic value, in the binding's first rule only.
    const expected = `Basic ${Buffer.from(`${USER}:${PASSWORD}`, "utf8").toString("base64")}`;
    const rules = await rulesOfTab(answer.binding.tabId);
    const withAuth = rules.filter((r) => r.action.requestHeaders?.some((h) => h.header === "Authorization"));
    assert.deepEqual(
      withAuth.map((r) => [r.id, r.action.requestHeaders?.find((h) => h.header === "Authorization")?.value]),
      [[answer.binding.firstRuleId, expected]],
    );
    // Another tab on that server gets no credentials; nothing stored holds the password.
    const plain = await browser.context.newPage();
    await plain.goto(`${basic.url}/version`);
    assert.equal(await plain.evaluate(async (u) => (await fetch(u)).status, basicApp), 401);
    await plain.close();
    const stored = await browser.inWorker(async () => JSON.stringify({
      session: await chrome.storage.session.get("kubeopen.bindings"),
      local: await chrome.storage.local.get(null),
    }));
    assert.ok(!stored.includes(PASSWORD) && !stored.includes(expected.slice(6)), "no binding or persisted value holds the password");
    await page.close();
    await browser.send({ type: "kubeopen:removeCluster", clusterId: added.cluster.id });
  } finally {
    await basic.stop();
  }
});

test("closing a bound tab removes its rules and its binding", async () => {
  const { page, tabId } = await openWeb("/");
  assert.equal((await rulesOfTab(tabId)).length, 3);
  await page.close();
  await eventually(async () => (await rulesOfTab(tabId)).length === 0, "the tab's rules to go");
  assert.equal(await browser.bindingOf(tabId), null);
});

test("kubeopen:unbind removes the rules and clears the badge; the tab then gets 401", async () => {
  const { page, tabId } = await openWeb("/");
  const answer = await browser.send({ type: "kubeopen:unbind", tabId });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  assert.equal(answer.binding.tabId, tabId);
  assert.deepEqual(await rulesOfTab(tabId), []);
  assert.equal(await browser.inWorker((id) => chrome.action.getBadgeText({ tabId: id }), tabId), "");
  const status = await page.evaluate(async (u) => (await fetch(u)).status, appUrl);
  assert.equal(status, 401);
  await page.close();
});

test("leaving the app for another origin unbinds the tab; going back binds it again", async () => {
  const { page, tabId } = await openWeb("/");
  await page.goto(`${recorder.url}/left`);
  await eventually(async () => (await browser.bindingOf(tabId)) === null, "the binding to go");
  assert.deepEqual(await rulesOfTab(tabId), []);
  assert.equal(recorder.requests.at(-1)?.headers.authorization, undefined);
  await page.goBack();
  await page.waitForURL(appUrl, { timeout: TIMEOUT });
  const again = await eventually(async () => browser.bindingOf(tabId), "the binding to come back");
  assert.equal(again.prefix, prefix);
  assert.equal((await echoFrom(page)).status, 200, "the app's requests carry the token again");
  await page.close();
});

test("navigating a bound tab to another target's proxy URL rebinds it to that target", async () => {
  const { page, tabId } = await openWeb("/");
  const podUrl = proxyUrl(sandbox.url, POD, "/");
  await page.goto(podUrl);
  const binding = await eventually(async () => {
    const b = await browser.bindingOf(tabId);
    return b?.target.kind === "pod" ? b : null;
  }, "the pod binding");
  assert.equal(binding.prefix, podUrl.replace(/\/$/, ""));
  await page.locator("h1", { hasText: "kubeopen demo app" }).waitFor({ timeout: TIMEOUT });
  assert.equal(page.url(), podUrl);
  assert.match(await settled(page, "fetch-result"), /^ok: /);
  await page.close();
});

test("a tab opened from a bound tab inherits the binding (a root-relative link, target=_blank)", async () => {
  const { page, tabId } = await openWeb("/");
  const popupPromise = page.waitForEvent("popup");
  // Clicked in the same task it is created in, before the link fixer can see it: the new tab's
  // first request goes to the server's origin outside the prefix, and only the inherited binding
  // (its redirect rule) brings it into the app.
  await page.evaluate(() => {
    const a = document.createElement("a");
    a.href = "/home";
    a.target = "_blank";
    document.body.append(a);
    a.click();
  });
  const child = await popupPromise;
  await child.waitForURL(`${prefix}/home`, { timeout: TIMEOUT });
  await child.waitForLoadState("load");
  const childId = await browser.tabIdOf(child);
  assert.notEqual(childId, tabId);
  const inherited = await browser.bindingOf(childId);
  assert.equal(inherited?.prefix, prefix);
  assert.notEqual(inherited.firstRuleId, (await browser.bindingOf(tabId)).firstRuleId, "its own rule ids");
  const echo = await echoFrom(child);
  assert.equal(echo.status, 200, "the new tab's requests carry the token");
  await child.close();
  await page.close();
});

test("a stopped service worker rebuilds missing rules from the stored bindings", async () => {
  const { page, tabId, binding } = await openWeb("/");
  // Lose the rules (as a browser that drops session rules would), then stop the worker.
  await browser.inWorker(async () => {
    const ids = (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.id);
    await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
  });
  assert.equal((await page.evaluate(async (u) => (await fetch(u)).status, appUrl)), 401, "really gone");
  const cdp = await browser.context.newCDPSession(browser.control);
  await cdp.send("ServiceWorker.enable");
  await cdp.send("ServiceWorker.stopAllWorkers");
  // Any event starts it again; a page's message is one.
  const status = await browser.send({ type: "kubeopen:status" });
  assert.equal(status.ok, true);
  const restored = await eventually(async () => {
    const ids = (await rulesOfTab(tabId)).map((r) => r.id).sort((a, b) => a - b);
    return ids.length ? ids : null;
  }, "rules back");
  assert.deepEqual(restored, [binding.firstRuleId, binding.firstRuleId + 1, binding.firstRuleId + 2]);
  const after = await browser.inWorker(() => globalThis.kubeopenRulesRestoredAfter());
  assert.ok(after >= 0 && after < 1000, `restored ${after} ms after the worker started`);
  assert.equal(await page.evaluate(async (u) => (await fetch(u)).status, appUrl), 200);
  await cdp.detach();
  await page.close();
});
