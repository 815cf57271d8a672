// The `k8s` keyword in Debian's Chromium with the real extension (extension/dist/chrome) against
// the sandbox's demo cluster. Headless Chromium has no address bar to type into, so the test
// fires the omnibox events the way the browser does: `chrome.omnibox.onInputChanged.dispatch`
// in the service worker runs the extension's registered listeners with a `suggest` callback
// (Chromium exposes `dispatch` on extension events), and `onInputEntered.dispatch` enters a
// suggestion. Every description is then handed to Chromium's own omnibox XML parser
// (`setDefaultSuggestion` rejects malformed markup), so the escaping is checked by the browser.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { TIMEOUT, addCluster, echoFrom, launchBrowser, startSandbox } from "./bindings-support.mjs";

const TOKEN = "omnibox-test-token-7c1f";

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" } });
  browser = await launchBrowser();
  await addCluster(browser, { name: "sandbox", server: sandbox.url, token: TOKEN });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

/** The demo web service's proxy URL (its one port, 80, named http) followed by `rest`. */
const web = (rest = "") => `${sandbox.url}/api/v1/namespaces/demo/services/web:80/proxy/${rest}`;

/**
 * Types `text` after the keyword: the extension's onInputChanged listeners run, and what they
 * suggest comes back, each description having passed Chromium's omnibox XML parser.
 * @param {string} text
 * @returns {Promise<{ content: string, description: string }[]>}
 */
function type(text) {
  return browser.inWorker(async (t) => {
    const suggested = await new Promise((resolve, reject) => {
      const timer = setTimeout(() => reject(new Error(`no suggestions for ${JSON.stringify(t)}`)), 10_000);
      chrome.omnibox.onInputChanged.dispatch(t, (/** @type {unknown} */ s) => {
        clearTimeout(timer);
        resolve(s);
      });
    });
    for (const s of suggested) {
      try {
        await chrome.omnibox.setDefaultSuggestion({ description: s.description });
      } catch (e) {
        throw new Error(`Chromium rejects the description ${JSON.stringify(s.description)}: ${e}`);
      }
    }
    return suggested;
  }, text);
}

test("typing a service name suggests it, exact name first, with Chrome's match markup", async () => {
  const found = await type("web");
  assert.ok(found.length >= 3, JSON.stringify(found)); // web, web-multi (two ports), web-unnamed
  assert.equal(found[0].content, web());
  assert.equal(found[0].description, "<match>web</match>.demo port 80 (http)");
  const names = found.map((s) => s.content.replace(/.*\/services\//, "").replace(/\/proxy\/$/, ""));
  assert.deepEqual(names.slice(0, 4), ["web:80", "web-multi:80", "web-multi:9100", "web-unnamed:80"]);
});

test("partial words: a namespace and a name being typed", async () => {
  const found = await type("demo web-mu");
  assert.deepEqual(
    found.map((s) => s.content),
    [80, 9100].map((port) => `${sandbox.url}/api/v1/namespaces/demo/services/web-multi:${port}/proxy/`),
  );
});

test("svc/NS/NAME:PORTNAME/path?query suggests the service with the path and query", async () => {
  const found = await type("svc/demo/web:http/x?y=1");
  assert.equal(found[0].content, web("x?y=1"));
  // Names that only start with "web" come after it (the name may still be being typed).
  assert.ok(found.slice(1).every((s) => /\/services\/web-/.test(s.content) && s.content.endsWith("/x?y=1")), JSON.stringify(found));
  assert.match(found[0].description, /<url>\/x\?y=1<\/url>$/);
});

test("an unknown name suggests nothing", async () => {
  assert.deepEqual(await type("nosuchservice"), []);
  assert.deepEqual(await type("svc/demo/nosuch/x"), []);
});

test("&, <, > typed in the path are escaped for Chrome's XML (the browser's parser accepts them)", async () => {
  // Service names cannot hold & or <; a typed path can, and the description shows it.
  const found = await type("web/a?b=1&c=<d>");
  assert.equal(found[0].content, web("a?b=1&c=%3Cd%3E"));
  assert.match(found[0].description, /<url>\/a\?b=1&amp;c=&lt;d&gt;<\/url>$/);
});

test("entering a suggestion opens a bound tab at that URL; the first request already has the token", async () => {
  const [suggestion] = await type("web.demo/?from=omnibox");
  assert.equal(suggestion.content, web("?from=omnibox"));
  // Every document response from the sandbox, in any tab, from before the suggestion is entered.
  /** @type {{ url: string, status: number }[]} */
  const documents = [];
  /** @param {import("playwright-core").Response} r */
  const record = (r) => {
    if (r.request().resourceType() === "document" && r.url().startsWith(sandbox.url)) {
      documents.push({ url: r.url(), status: r.status() });
    }
  };
  browser.context.on("response", record);
  const opened = browser.context.waitForEvent("page", { timeout: TIMEOUT });
  await browser.inWorker((c) => chrome.omnibox.onInputEntered.dispatch(c, "newForegroundTab"), suggestion.content);
  const page = await opened;
  await page.waitForURL(suggestion.content, { timeout: TIMEOUT });
  await page.locator("h1", { hasText: "kubeopen demo app" }).waitFor({ timeout: TIMEOUT });
  browser.context.off("response", record);
  const binding = await browser.bindingOf(await browser.tabIdOf(page));
  assert.equal(binding.prefix, web().replace(/\/$/, ""));
  // The tab's first request to the sandbox already carried the token: answered 200, never 401.
  assert.deepEqual(documents[0], { url: suggestion.content, status: 200 }, JSON.stringify(documents));
  assert.deepEqual(documents.filter((d) => d.status === 401), []);
  // The backend never sees the token.
  const echo = await echoFrom(page);
  assert.equal(echo.status, 200);
  assert.equal(echo.headers.authorization, undefined);
  await page.close();
});
