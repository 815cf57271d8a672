// The playground (www/dist, built by Vite) in Debian's Chromium: what a person types, pastes and
// sees, all computed by the npm package's wasm in the page. Also the www budgets: first render
// and the gzipped size of the built JS + wasm.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readdir, readFile } from "node:fs/promises";
import path from "node:path";
import { gzipSync } from "node:zlib";
import { launchPlain } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";
import { wwwDist } from "./www-serve.mjs";

/** Budgets from issue 9. */
const FIRST_RENDER_MS = 1000;
const GZIP_BUDGET = 300 * 1024;

let browser, server;
before(async () => {
  server = await serveStatic(wwwDist);
  browser = await launchPlain();
});
after(async () => {
  await browser?.close();
  await server?.close();
});

/** A fresh page on the playground that records page errors and the wasm files it fetched. */
async function openPlayground() {
  const page = await browser.newPage();
  const errors = [];
  const wasm = [];
  page.on("pageerror", (e) => errors.push(e));
  page.on("request", (r) => {
    if (r.url().endsWith(".wasm")) wasm.push(path.basename(new URL(r.url()).pathname));
  });
  await page.goto(server.url);
  await page.locator("#address-result dd[data-field='name']").waitFor();
  return { page, errors, wasm };
}

/** @param {import("playwright-core").Page} page @param {string} scope @param {string} field */
const field = (page, scope, field) => page.locator(`${scope} dd[data-field="${field}"]`).textContent();

test("first render: the address is resolved in under a second, without the cluster module", async () => {
  const { page, errors, wasm } = await openPlayground();
  const rendered = await page.evaluate(() => performance.getEntriesByName("kubeopen:rendered")[0]?.startTime ?? NaN);
  const fcp = await page.evaluate(() => performance.getEntriesByName("first-contentful-paint")[0]?.startTime ?? NaN);
  console.log(`# playground: first contentful paint ${fcp.toFixed(0)} ms, every section rendered by the wasm core ${rendered.toFixed(0)} ms`);
  assert.ok(rendered < FIRST_RENDER_MS, `rendered after ${rendered} ms`);
  // Only the default module: the token and kubeconfig views load theirs when used.
  assert.equal(wasm.length, 1, `wasm fetched: ${wasm}`);
  assert.doesNotMatch(wasm[0], /cluster/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("an in-cluster address becomes its proxy URL on the server entered", async () => {
  const { page, errors } = await openPlayground();
  const r = "#address-result";
  assert.equal(await field(page, r, "kind"), "service");
  assert.equal(await field(page, r, "namespace"), "monitoring");
  assert.equal(await field(page, r, "name"), "grafana");
  assert.equal(await field(page, r, "port"), "3000");
  assert.equal(await field(page, r, "path"), "/d/x");
  const link = page.locator(`${r} a[data-proxy-url]`);
  assert.equal(await link.textContent(), "https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/x");
  assert.equal(await link.getAttribute("target"), "_blank");

  // A server with a path (Rancher-style) and a pod address with the https scheme.
  await page.getByLabel("API server").fill("https://rancher.example/k8s/clusters/c-1");
  await page.getByLabel("Address, segment or proxy URL").fill("pod/demo/https:web-0:8443/metrics?x=1");
  await page.locator(`${r} dd[data-field="query"]`).waitFor();
  assert.equal(await field(page, r, "scheme"), "https");
  assert.equal(await field(page, r, "segment"), "https:web-0:8443");
  assert.equal(await link.textContent(), "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/demo/pods/https:web-0:8443/proxy/metrics?x=1");

  // A whole proxy URL is taken apart; its server is shown, the entered one is used.
  await page.getByLabel("Address, segment or proxy URL").fill("http://127.0.0.1:6443/api/v1/namespaces/demo/services/web:http/proxy/x?y=1");
  await page.locator(`${r} dd[data-field="server in the URL"]`).waitFor();
  assert.equal(await field(page, r, "server in the URL"), "http://127.0.0.1:6443");
  assert.equal(await field(page, r, "port"), "http");
  assert.equal(await link.textContent(), "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/demo/services/web:http/proxy/x?y=1");

  // The default namespace applies to a bare segment.
  await page.getByLabel("Default namespace").fill("kube-system");
  await page.getByLabel("Address, segment or proxy URL").fill("https:kubernetes-dashboard:");
  await page.locator(`${r} dd[data-field="namespace"]`, { hasText: "kube-system" }).waitFor();
  assert.equal(await link.textContent(), "https://rancher.example/k8s/clusters/c-1/api/v1/namespaces/kube-system/services/https:kubernetes-dashboard:/proxy/");
  assert.deepEqual(errors, []);
  await page.close();
});

test("bad input shows the core's error, its code and what to do", async () => {
  const { page, errors } = await openPlayground();
  await page.getByLabel("Address, segment or proxy URL").fill("ftp:grafana:21");
  const error = page.locator("#address-result .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidAddress");
  assert.match(await error.textContent(), /the scheme "ftp" \(at byte 0\) must be "http", "https" or empty/);
  assert.match(await error.locator(".hint").textContent(), /svc\/NAMESPACE\/NAME:PORT/);

  // A good address on a bad server: the parse stays, the proxy URL explains.
  await page.getByLabel("Address, segment or proxy URL").fill("svc/demo/web:http");
  await page.getByLabel("API server").fill("10.0.0.1:6443");
  const serverError = page.locator('#address-result dd[data-field="proxy URL"] .error');
  await serverError.waitFor();
  assert.equal(await serverError.getAttribute("data-code"), "InvalidServer");
  assert.equal(await field(page, "#address-result", "name"), "web");

  await page.getByLabel("Segment", { exact: true }).fill("aoeu:asdf:htns");
  const segmentError = page.locator("#segment-result .error");
  await segmentError.waitFor();
  assert.equal(await segmentError.getAttribute("data-code"), "InvalidSegment");
  assert.deepEqual(errors, []);
  await page.close();
});

test("the segment is split exactly as Kubernetes does", async () => {
  const { page } = await openPlayground();
  const r = "#segment-result";
  assert.equal(await field(page, r, "scheme"), "https");
  assert.equal(await field(page, r, "name"), "grafana");
  assert.equal(await field(page, r, "port"), "3000");
  // The https:name quirk: two parts are name:port.
  await page.getByLabel("Segment", { exact: true }).fill("https:web");
  await page.locator(`${r} dd[data-field="port"]`, { hasText: "web" }).waitFor();
  assert.equal(await field(page, r, "name"), "https");
  assert.equal(await page.locator("#version").textContent(), "0.1.0");
  await page.close();
});

test("pasted HTML and CSS are rewritten for the target, with the changes highlighted", async () => {
  const { page, errors } = await openPlayground();
  const prefix = "/api/v1/namespaces/monitoring/services/grafana:3000/proxy";
  const marks = () => page.locator("#rewrite-result mark").allTextContents();
  await page.locator("#rewrite-result mark").first().waitFor();
  let marked = await marks();
  assert.ok(marked.includes(`${prefix}/static/app.css`), marked.join("\n"));
  assert.ok(marked.includes(`${prefix}/login`));
  assert.ok(marked.some((m) => m.includes(`${prefix}/img/logo@2x.png`)));
  // An in-cluster link becomes the other service's proxy URL.
  assert.ok(marked.includes("https://10.0.0.1:6443/api/v1/namespaces/monitoring/services/prometheus:9090/proxy/graph"), marked.join("\n"));
  // Other sites and relative links are left alone: present in the output, never marked.
  const text = await page.locator("#rewrite-result pre").textContent();
  assert.match(text, /href="https:\/\/kubernetes\.io\/"/);
  assert.match(text, /href="docs\/intro\.html"/);
  assert.ok(!marked.some((m) => m.includes("kubernetes.io") || m.includes("docs/intro")));
  assert.match(await page.locator('#rewrite-result [data-field="summary"]').textContent(), /^\d+ changes, highlighted:$/);

  await page.getByLabel("CSS").check();
  await page.locator("#rewrite-result mark", { hasText: `${prefix}/static/theme.css` }).waitFor();
  marked = await marks();
  assert.ok(marked.includes(`${prefix}/img/bg.png`), marked.join("\n"));
  assert.ok(!marked.some((m) => m.includes("img/ok.png")));

  // The target follows the address above.
  await page.getByLabel("Address, segment or proxy URL").fill("svc/demo/web:http");
  await page.locator("#rewrite-result mark", { hasText: "/api/v1/namespaces/demo/services/web:http/proxy/static/theme.css" }).waitFor();

  // Nothing to do is said plainly; an invalid address stops the rewrite with a hint.
  await page.getByLabel("Page source").fill("a { color: red }");
  await page.locator('#rewrite-result [data-field="summary"]', { hasText: "Nothing to change" }).waitFor();
  await page.getByLabel("Address, segment or proxy URL").fill("svc/");
  await page.locator("#rewrite-result .hint", { hasText: "Enter a valid address" }).waitFor();
  assert.deepEqual(errors, []);
  await page.close();
});

/** @param {object} claims */
const unsignedJwt = (claims) =>
  [{ alg: "RS256" }, claims].map((part) => Buffer.from(JSON.stringify(part)).toString("base64url")).join(".") + ".c2ln";

test("a pasted token shows its claims and expiry (the cluster module loads on demand)", async () => {
  const { page, errors, wasm } = await openPlayground();
  await page.getByRole("button", { name: "Try an example token" }).click();
  const r = "#token-result";
  await page.locator(`${r} dd[data-field="subject"]`).waitFor();
  assert.equal(await field(page, r, "subject"), "system:serviceaccount:monitoring:grafana-viewer");
  assert.equal(await field(page, r, "service account"), "grafana-viewer");
  assert.equal(await field(page, r, "namespace"), "monitoring");
  assert.match(await field(page, r, "expiry"), /^expires in 60 minutes \(\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ\)$/);
  assert.ok(wasm.some((w) => /cluster/.test(w)), `wasm fetched: ${wasm}`);

  const now = Math.floor(Date.now() / 1000);
  await page.getByLabel("Bearer token").fill(unsignedJwt({ sub: "system:serviceaccount:demo:old", exp: now - 3 * 86400 }));
  await page.locator(`${r} dd[data-field="expiry"] .bad`).waitFor();
  assert.match(await field(page, r, "expiry"), /^expired 3 days ago/);

  await page.getByLabel("Bearer token").fill("31ada4fd-adec-460c-809a-9e56ceb75269");
  await page.locator(`${r} dd[data-field="kind"]`, { hasText: "opaque" }).waitFor();

  await page.getByLabel("Bearer token").fill("eyJhbGciOiJSUzI1NiJ9.not-json.c2ln");
  const error = page.locator(`${r} .error`);
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidToken");
  assert.deepEqual(errors, []);
  await page.close();
});

test("a pasted kubeconfig shows each context and what a browser can use", async () => {
  const { page, errors } = await openPlayground();
  await page.getByRole("button", { name: "Try an example kubeconfig" }).click();
  const ctx = (name) => page.locator(`#kubeconfig-result article[data-context="${name}"]`);
  await ctx("dev").waitFor();
  assert.equal(await page.locator("#kubeconfig-result article").count(), 4);
  assert.match(await ctx("dev").locator("h3").textContent(), /\(current\)/);
  assert.equal(await ctx("dev").locator(".verdict").getAttribute("data-verdict"), "good");
  assert.equal(await ctx("dev").locator('dd[data-field="server"]').textContent(), "https://10.0.0.1:6443");
  assert.equal(await ctx("dev").locator('dd[data-field="namespace"]').textContent(), "monitoring");
  // Its CA cannot be handed to the browser per request: said, with what to do.
  assert.match(await ctx("dev").locator("ul.unsupported").textContent(), /certificate-authority-data.*trust store/s);
  assert.equal(await ctx("through-kubectl-proxy").locator(".verdict").getAttribute("data-verdict"), "warn");
  for (const [name, what] of [["prod-admin", /client-certificate/], ["prod-eks", /exec/]]) {
    assert.equal(await ctx(name).locator(".verdict").getAttribute("data-verdict"), "bad");
    assert.match(await ctx(name).locator("ul.unsupported").textContent(), what);
    assert.match(await ctx(name).locator("ul.unsupported").textContent(), /Instead:/);
  }

  // A broken file says where.
  await page.getByLabel("Kubeconfig (YAML or JSON)").fill("apiVersion: v1\ncontexts:\n  - name: [unclosed\n");
  const error = page.locator("#kubeconfig-result .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidKubeconfig");
  // The flow sequence is still open when the text ends: the parser says where it stopped.
  assert.match(await error.textContent(), /at line 4, column 1/);
  assert.deepEqual(errors, []);
  await page.close();
});

test("budget: the built www JS + wasm is under 300 KB gzipped", async () => {
  const assets = path.join(wwwDist, "assets");
  const files = (await readdir(assets)).filter((f) => /\.(js|wasm)$/.test(f));
  let total = 0;
  const lines = [];
  for (const f of files) {
    const gz = gzipSync(await readFile(path.join(assets, f)), { level: 9 }).length;
    total += gz;
    lines.push(`${f} ${gz}`);
  }
  console.log(`# www assets gzipped: ${lines.join(", ")}; total ${total} B`);
  assert.ok(files.some((f) => f.endsWith(".wasm")), "no wasm in the build");
  assert.ok(total < GZIP_BUDGET, `${total} B gzipped`);
});
