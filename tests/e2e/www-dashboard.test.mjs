// The dashboard (www/dist/dashboard.html) in Debian's Chromium against the sandbox API server,
// from another origin (a static server, like a dashboard hosted apart from the cluster): listing,
// links, and each error state a person meets — 401, 403, CORS refused, server down.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { launchPlain } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";
import { freePort, wwwDist } from "./www-serve.mjs";
import { startSandbox } from "../support/sandbox.mjs";

const TOKENS = { "alice-token": "alice", "bob-token": "bob" };
// alice may do anything; bob only discovery (open to every authenticated user), so lists are 403.
const AUTHZ = `rules:
  - users: [alice]
    resources: ["*"]
    verbs: ["*"]
`;

let browser, site, sandbox, noCors;
before(async () => {
  site = await serveStatic(wwwDist);
  const origin = new URL(site.url).origin;
  const corsArgs = ["--cors-allowed-origins", `^${origin.replace(/[.]/g, "\\.")}$`];
  [sandbox, noCors, browser] = await Promise.all([
    startSandbox({ tokens: TOKENS, authz: AUTHZ, args: corsArgs }),
    startSandbox({ tokens: TOKENS, authz: AUTHZ }),
    launchPlain(),
  ]);
});
after(async () => {
  await browser?.close();
  await Promise.all([sandbox?.stop(), noCors?.stop(), site?.close()]);
});

/** @param {string} server @param {string} token */
async function connect(server, token) {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(`${site.url}dashboard.html`);
  await page.getByLabel("API server").fill(server);
  await page.getByLabel(/Bearer token/).fill(token);
  await page.getByRole("button", { name: "Connect" }).click();
  return { page, errors };
}

/** @param {number} expSecondsFromNow */
const jwt = (expSecondsFromNow) =>
  [{ alg: "RS256" }, { sub: "system:serviceaccount:demo:viewer", exp: Math.floor(Date.now() / 1000) + expSecondsFromNow }]
    .map((part) => Buffer.from(JSON.stringify(part)).toString("base64url"))
    .join(".") + ".c2ln";

test("lists the cluster's services with their openable ports, cross-origin with a token", async () => {
  const { page, errors } = await connect(sandbox.url, "alice-token");
  await page.locator("[data-connected]").waitFor();
  assert.match(await page.locator("[data-connected]").textContent(), /Kubernetes v1\.34\.0-kubeopen-sandbox/);
  const web = page.locator('tr[data-service="demo/web"]');
  await web.waitFor();
  const link = web.getByRole("link", { name: /Open http \(80\)/ });
  assert.equal(await link.getAttribute("href"), `${sandbox.url}/api/v1/namespaces/demo/services/web:80/proxy/`);
  assert.equal(await link.getAttribute("target"), "_blank");
  // Every service of the fixture, in every namespace; the multi-port one with both ports.
  for (const s of ["demo/web-multi", "demo/web-unnamed", "demo/no-endpoints", "monitoring/prometheus", "kube-system/kubernetes-dashboard"]) {
    await page.locator(`tr[data-service="${s}"]`).waitFor();
  }
  assert.equal(await page.locator('tr[data-service="demo/web-multi"] a.open').count(), 2);
  // cluster-info, as kubectl prints it.
  const dashboardLine = page.locator('[data-cluster-info="Dashboard"]');
  await dashboardLine.waitFor();
  assert.equal(
    await dashboardLine.getByRole("link").getAttribute("href"),
    `${sandbox.url}/api/v1/namespaces/kube-system/services/kubernetes-dashboard:http/proxy`,
  );

  // One namespace, picked from the suggestions the namespace list filled.
  assert.ok((await page.locator("#namespaces option").evaluateAll((o) => o.map((x) => x.getAttribute("value")))).includes("monitoring"));
  await page.getByLabel(/Namespace/).fill("monitoring");
  await page.getByRole("button", { name: "Show services" }).click();
  await page.locator("table.services caption", { hasText: "1 service" }).waitFor();
  assert.equal(await page.locator("tr[data-service]").count(), 1);
  assert.deepEqual(errors, []);
  // The token went to the API server in a header, never in a URL.
  assert.doesNotMatch(sandbox.log(), /alice-token/);
  await page.close();
});

test("401: a wrong token, and an expired one named as such", async () => {
  let { page } = await connect(sandbox.url, "not-a-token");
  let error = page.locator('#status .error[data-cause="unauthorized"]');
  await error.waitFor();
  assert.match(await error.textContent(), /401 Unauthorized/);
  assert.match(await error.textContent(), /kubectl create token/);
  await page.close();

  ({ page } = await connect(sandbox.url, jwt(-3600)));
  error = page.locator('#status .error[data-cause="unauthorized"]');
  await error.waitFor();
  assert.match(await error.textContent(), /This token has expired/);
  await page.close();
});

test("403: a token whose user may not list services gets the server's reason and how to fix it", async () => {
  const { page } = await connect(sandbox.url, "bob-token");
  await page.locator("[data-connected]").waitFor(); // discovery is open to every authenticated user
  const error = page.locator('#services .error[data-cause="forbidden"]');
  await error.waitFor();
  assert.match(await error.textContent(), /services is forbidden: User "bob" cannot list resource "services"/);
  assert.match(await error.textContent(), /clusterrolebinding/);
  // Namespaces could not be listed either: the field still takes one typed by hand.
  await page.locator("#cluster-summary", { hasText: "type one" }).waitFor();
  await page.close();
});

test("CORS: a server that does not allow this origin is told apart from one that is down", async () => {
  const { page } = await connect(noCors.url, "alice-token");
  const error = page.locator('#status .error[data-cause="cors"]');
  await error.waitFor();
  assert.match(await error.textContent(), /--cors-allowed-origins/);
  assert.match(await error.textContent(), /kubectl proxy --www=www\/dist --www-prefix=\/ui\//);
  await page.close();
});

test("network: a server that is down", async () => {
  const down = `http://127.0.0.1:${await freePort()}`;
  const { page } = await connect(down, "");
  const error = page.locator('#status .error[data-cause="network"]');
  await error.waitFor();
  assert.match(await error.textContent(), new RegExp(`Could not reach ${down.replace(/[.]/g, "\\.")}`));
  assert.equal(await page.locator("#cluster").isHidden(), true);
  await page.close();
});

test("a server address that is not a URL is explained before any request", async () => {
  const page = await browser.newPage();
  await page.goto(`${site.url}dashboard.html`);
  // type=url would stop the form; the check that matters is the package's.
  await page.locator("#dash-server").evaluate((input) => input.setAttribute("type", "text"));
  await page.getByLabel("API server").fill("10.0.0.1:6443");
  await page.getByRole("button", { name: "Connect" }).click();
  const error = page.locator("#status .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "InvalidServer");
  await page.close();
});
