// The real Prometheus from Debian (/usr/bin/prometheus) as an in-cluster service, opened through
// the extension in Debian's Chromium: its pages load with no failed request and a query runs and
// shows its result. Prometheus runs on a free port; the sandbox gets a copy of the demo fixture
// whose monitoring/prometheus pod is dialled there.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { launchWithExtension } from "./chromium.mjs";
import { PROMETHEUS_TARGET as TARGET, startPrometheus } from "../support/prometheus.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";
import { addCluster, extensionPage, openBound, startRecordingFront } from "./content-support.mjs";

const extensionDir = path.join(process.env.KUBEOPEN_EXTENSION_OUT ?? path.join(root, "extension", "dist"), "chrome");
const TOKEN = "prometheus-test-token-51c0ae";
const TIMEOUT = 20_000;

/** @type {import("../support/prometheus.mjs").Prometheus | undefined} */
let prometheus;
/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("./content-support.mjs").Front} */
let front;
/** @type {Awaited<ReturnType<typeof launchWithExtension>>} */
let browser;
/** @type {import("playwright-core").Page} */
let tab;
let prefix = "";
/** @type {{ url: string, status: number, redirected: boolean }[]} */
const responses = [];
/** @type {{ url: string, error: string }[]} */
const failed = [];

before(async () => {
  // Prometheus on a free port, and a copy of the demo cluster whose prometheus pod dials it.
  prometheus = await startPrometheus();
  sandbox = await startSandbox({ fixture: prometheus.fixture, tokens: { [TOKEN]: "prometheus-tester" } });
  front = await startRecordingFront(sandbox.url);
  prefix = proxyUrl(front.url, TARGET, "/").replace(/\/$/, "");

  browser = await launchWithExtension(extensionDir);
  const ext = await extensionPage(browser);
  const clusterId = await addCluster(ext, { name: "demo", server: front.url, token: TOKEN });
  browser.context.on("response", (r) =>
    responses.push({ url: r.url(), status: r.status(), redirected: r.request().redirectedFrom() !== null }),
  );
  browser.context.on("requestfailed", (r) => failed.push({ url: r.url(), error: r.failure()?.errorText ?? "" }));
  ({ tab } = await openBound(browser.context, ext, { clusterId, target: TARGET, path: "/graph" }));
});

after(async () => {
  await browser?.close();
  await front?.close();
  await sandbox?.stop();
  await prometheus?.stop();
});

// The one request that fails through any API server: Prometheus serves its graph template as
// text/html, so the API server's HTML rewriting (kube-apiserver's, which the sandbox copies)
// re-serialises `<img src="{{ pathPrefix }}/…">` as `%7B%7B%20pathPrefix%20%7D%7D/…` and Mustache
// can no longer fill it in: the spinner image 404s. Checked below to come from the API server.
const SPINNER = "/classic/%7B%7B%20pathPrefix%20%7D%7D/classic/static/img/ajax-loader.gif";

test("the API server itself breaks Prometheus' spinner image (not kubeopen)", async () => {
  const template = await fetch(proxyUrl(sandbox.url, TARGET, "/classic/static/js/graph/graph_template.handlebar"), {
    headers: { authorization: `Bearer ${TOKEN}`, "accept-encoding": "gzip" },
  });
  assert.equal(template.status, 200);
  assert.match(await template.text(), /src="%7B%7B%20pathPrefix%20%7D%7D\/classic\/static\/img\/ajax-loader\.gif/);
});

test("Prometheus' graph page loads through the proxy with no failed request", async () => {
  // /graph redirects to the classic UI (Debian builds that one); the redirect stays in the prefix.
  await tab.waitForURL((u) => u.href.startsWith(`${prefix}/classic/graph`), { waitUntil: "load", timeout: TIMEOUT });
  await tab.locator("textarea.expression_input").waitFor({ timeout: TIMEOUT });
  await tab.waitForLoadState("networkidle");
  assert.deepEqual(failed, [], "failed requests");
  const bad = responses.filter((r) => r.status >= 400 && !r.url.startsWith(`${prefix}${SPINNER}`));
  assert.deepEqual(bad, [], "error responses");
  assert.ok(responses.filter((r) => r.url.startsWith(`${prefix}/classic/static/`)).length > 10, "its assets loaded");
});

test("a query runs and shows its result", async () => {
  const row = tab.locator(".console_table tbody tr", { hasText: "prometheus_build_info" });
  // Prometheus scrapes itself every second: run the query until the first scrape is in.
  for (let attempt = 0; attempt < 20 && (await row.count()) === 0; attempt++) {
    await tab.locator("textarea.expression_input").fill('prometheus_build_info{job="prometheus"}');
    await tab.locator("input.execute_btn").click();
    await row.first().waitFor({ timeout: 1000 }).catch(() => undefined);
  }
  await row.first().waitFor({ timeout: TIMEOUT });
  assert.match((await row.first().textContent()) ?? "", /version="2\./);
  const queries = responses.filter((r) => new URL(r.url).pathname === `${new URL(prefix).pathname}/api/v1/query`);
  assert.ok(queries.length >= 1, "the query went through the prefix");
  for (const q of queries) {
    assert.equal(q.status, 200);
    // Prometheus asks for PATH_PREFIX + "/api/v1/query" with PATH_PREFIX "": the page-world script
    // sends it into the prefix at once, no redirect.
    assert.equal(q.redirected, false, `${q.url} was redirected`);
  }
  assert.deepEqual(failed, []);
});

test("no request reached the API server outside the prefix", async () => {
  const prefixPath = new URL(prefix).pathname;
  assert.ok(front.seen.length > 10);
  assert.deepEqual(front.seen.filter((s) => !s.url.startsWith(`${prefixPath}/`)), []);
  assert.deepEqual(front.seen.filter((s) => !s.authorization), []);
});
