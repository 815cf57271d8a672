// The page-world script's URL rewrite (extension/src/content/page-rewrite.js), the one copy of
// URL logic outside the core, run in a real Chromium page against the core's shared case list
// (tests/url-cases.json) and against the core itself (the npm package) on extra inputs, so the
// copy cannot drift from the core unnoticed.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { fileURLToPath } from "node:url";
import { rewriteUrl } from "kubeopen";
import { launchPlain } from "./chromium.mjs";

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
const script = await readFile(path.join(root, "extension", "src", "content", "page-rewrite.js"), "utf8");
const { cases } = JSON.parse(await readFile(path.join(root, "tests", "url-cases.json"), "utf8"));

/** @type {import("playwright-core").Browser} */
let browser;
/** @type {import("playwright-core").Page} */
let page;

before(async () => {
  browser = await launchPlain();
  page = await browser.newPage();
  await page.setContent("<title>page-rewrite</title>");
  await page.addScriptTag({ content: script });
});
after(async () => {
  await browser?.close();
});

/**
 * Runs the page-world rewrite in the page for each item: with a page URL, the context is read
 * from that URL alone (as the page-world script does); without, from server + target.
 * @param {{ server: string, target: object, page: string | null, input: string, clusterDomain?: string }[]} items
 */
function inPage(items) {
  return page.evaluate((list) => {
    const api = /** @type {any} */ (globalThis).__kubeopenPageRewrite;
    return list.map((c) => {
      const ctx = c.page
        ? api.contextForPage(c.page, c.clusterDomain)
        : api.contextFor(c.server, c.target, null, c.clusterDomain);
      return api.rewriteUrl(c.input, ctx);
    });
  }, items);
}

test("the shared case list: the page world gives exactly the core's expected output for all 92 cases", async () => {
  assert.equal(cases.length, 92);
  const got = await inPage(cases);
  const wrong = cases
    .map((c, i) => ({ name: c.name, input: c.input, expected: c.expected, got: got[i] }))
    .filter((r) => r.got !== r.expected);
  assert.deepEqual(wrong, [], `${cases.length - wrong.length}/${cases.length} cases agree`);
});

test("the page URL alone gives the same context as the case's server and target", async () => {
  const withPage = cases.filter((c) => c.page);
  assert.ok(withPage.length > 50);
  const fromParts = await page.evaluate((list) => {
    const api = /** @type {any} */ (globalThis).__kubeopenPageRewrite;
    return list.map((c) => api.rewriteUrl(c.input, api.contextFor(c.server, c.target, c.page, c.clusterDomain)));
  }, withPage);
  withPage.forEach((c, i) => assert.equal(fromParts[i], c.expected, c.name));
});

test("extra inputs: the page world agrees with the core (npm package) on what pages really build", async () => {
  const server = "http://127.0.0.1:6443";
  const target = { kind: "service", namespace: "demo", name: "web", port: "http" };
  const pages = [
    `${server}/api/v1/namespaces/demo/services/web:http/proxy/`,
    `${server}/api/v1/namespaces/demo/services/web:http/proxy/virtual/route?x=1#f`,
    `${server}/api/v1/namespaces/demo/services/web:http/proxy/a/b/c/`,
  ];
  const inputs = [
    "/ws?client=demo",
    "ws://127.0.0.1:6443/ws?client=demo",
    "http://127.0.0.1:6443/api/data",
    "/api/v1/query?query=up",
    "/api/v1/namespaces/demo/services/web:http/proxy/x",
    "/api/v1/namespaces/other/pods/p/proxy",
    "../../../../..//x",
    "./a/../../../b/%2e%2e/c",
    "/a%2Fb%5Cc/%2E%2E/d",
    "/é/ü?ä#ö",
    "/a|b[c]^d\"e",
    "//127.0.0.1:6443/x",
    "//127.0.0.1:6444/x",
    "http://web.demo.svc:8080/m",
    "http://web.demo.svc.cluster.local/x",
    "http://web/x",
    "wss://web.demo.svc/x",
    "http://[::1]:6443/x",
    "HTTP://127.0.0.1:6443\\a\\..\\..\\b",
    "http:127.0.0.1:6443/x",
    "  \t/x\n ",
    "",
    "?q",
    "#h",
    "javascript:void(0)",
  ];
  const items = pages.flatMap((p) => inputs.map((input) => ({ server, target, page: p, input })));
  const got = await inPage(items);
  items.forEach((item, i) => {
    const want = rewriteUrl(item.input, { server, target, page: item.page });
    assert.equal(got[i], want, `${JSON.stringify(item.input)} on ${item.page}`);
  });
});
