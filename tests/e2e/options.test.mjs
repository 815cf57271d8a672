// The options page in Debian's Chromium with the unpacked extension, against the sandbox API
// server over HTTP and HTTPS: add a cluster by pasting a kubeconfig (choosing its context, seeing
// what a browser cannot use), test the connection (version, identity, token expiry), the advice
// for a wrong token and for a certificate the browser does not trust, rename / default / remove,
// and where the token is kept.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { readFile } from "node:fs/promises";
import path from "node:path";
import { launchWithExtension, trustCertificateArgs } from "./chromium.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";

// KUBEOPEN_CHROME_EXTENSION: a copy of the build, so a rebuild during the run cannot reload it.
const extensionDir = process.env.KUBEOPEN_CHROME_EXTENSION ?? path.join(root, "extension", "dist", "chrome");

/** An unsigned service-account-style JWT: the sandbox compares tokens as strings, kubeopen reads the claims. */
function serviceAccountJwt(namespace, name, expiresAt) {
  const part = (v) => Buffer.from(JSON.stringify(v)).toString("base64url");
  const claims = {
    aud: ["https://kubernetes.default.svc"],
    exp: expiresAt,
    iat: expiresAt - 3600,
    iss: "https://kubernetes.default.svc",
    "kubernetes.io": { namespace, serviceaccount: { name, uid: "5b1c0a2e-0000-4000-8000-000000000001" } },
    sub: `system:serviceaccount:${namespace}:${name}`,
  };
  return `${part({ alg: "RS256", kid: "test" })}.${part(claims)}.c2lnbmF0dXJl`;
}

const expiresAt = Math.floor(Date.now() / 1000) + 90 * 60;
const token = serviceAccountJwt("demo", "viewer", expiresAt);

/**
 * A kubeconfig (as `kubectl config view --raw --flatten` writes it: the CA inline) with a usable
 * context and one whose exec plugin a browser cannot run.
 */
function kubeconfig(server, caPem) {
  const ca = caPem ? `\n    certificate-authority-data: ${Buffer.from(caPem).toString("base64")}` : "";
  return `apiVersion: v1
kind: Config
current-context: sandbox
clusters:
- name: sandbox
  cluster:
    server: ${server}${ca}
users:
- name: viewer
  user:
    token: ${token}
- name: cloud
  user:
    exec:
      apiVersion: client.authentication.k8s.io/v1beta1
      command: gke-gcloud-auth-plugin
contexts:
- name: cloud
  context: {cluster: sandbox, user: cloud}
- name: sandbox
  context: {cluster: sandbox, user: viewer, namespace: demo}
`;
}

let sandbox; // HTTP
let tlsSandbox; // HTTPS, its certificate trusted by the browser
let untrustedSandbox; // HTTPS, its certificate not trusted
let browser;

before(async () => {
  const tokens = { [token]: "system:serviceaccount:demo:viewer" };
  [sandbox, tlsSandbox, untrustedSandbox] = await Promise.all([
    startSandbox({ tokens }),
    startSandbox({ tokens, tls: true }),
    startSandbox({ tokens, tls: true }),
  ]);
  // As a person would by importing the cluster's CA: trust this one server's certificate.
  const leaf = await readFile(path.join(path.dirname(tlsSandbox.caFile), "tls.crt"), "utf8");
  browser = await launchWithExtension(extensionDir, { args: trustCertificateArgs(leaf) });
});

after(async () => {
  await browser?.close();
  await Promise.all([sandbox?.stop(), tlsSandbox?.stop(), untrustedSandbox?.stop()]);
});

async function optionsPage() {
  const page = await browser.context.newPage();
  await page.goto(`chrome-extension://${browser.extensionId}/options.html`);
  return page;
}

/** Removes every cluster (tests share one browser). */
async function clearClusters(page) {
  await page.evaluate(async () => {
    const { clusters } = await chrome.runtime.sendMessage({ type: "kubeopen:listClusters" });
    for (const c of clusters) await chrome.runtime.sendMessage({ type: "kubeopen:removeCluster", clusterId: c.id });
  });
}


test("over TLS, pasting a kubeconfig lists its contexts, explains what a browser cannot use, and adds the chosen one", async () => {
  const page = await optionsPage();
  await clearClusters(page);
  await page.getByRole("textbox", { name: /^Kubeconfig/ }).fill(kubeconfig(tlsSandbox.url, tlsSandbox.caPem));

  const context = page.locator("#context");
  await context.locator("option").nth(1).waitFor({ state: "attached" });
  assert.deepEqual(await context.locator("option").allTextContents(), [
    `cloud — ${tlsSandbox.url}`,
    `sandbox (current) — ${tlsSandbox.url}`,
  ]);
  assert.equal(await context.inputValue(), "sandbox", "the current context is chosen");
  assert.equal(await page.locator('#context-detail dd[data-field="server"]').textContent(), tlsSandbox.url);
  assert.equal(await page.locator('#context-detail dd[data-field="namespace"]').textContent(), "demo");
  assert.equal(await page.locator('#context-detail dd[data-field="auth"]').textContent(), "a bearer token (user viewer)");
  // The cluster has its own CA: the page says the browser must trust it and offers the file.
  assert.equal(await page.locator("#context-detail a.ca-download").getAttribute("download"), "ca.crt");

  // The exec plugin is shown as unusable, with what to do instead: never silently dropped.
  await context.selectOption("cloud");
  const unsupported = page.locator("#context-detail .unsupported li");
  await unsupported.first().waitFor();
  const exec = unsupported.filter({ hasText: "exec" });
  assert.equal(await exec.count(), 1, (await unsupported.allTextContents()).join("\n"));
  assert.match(await exec.locator(".instead").textContent(), /Instead: .*\S/);

  await context.selectOption("sandbox");
  // Test before adding: the background resolves the context itself (the page holds no token).
  await page.locator("#test").click();
  const tested = page.locator('#add-result dd[data-field="identity"]');
  await tested.waitFor({ timeout: 15_000 });
  assert.equal(await tested.textContent(), "service account demo/viewer");
  await page.getByRole("button", { name: "Add cluster" }).click();

  // Added, then checked at once: version, identity from the token, its expiry.
  const row = page.locator("li.cluster", { hasText: "sandbox" });
  await row.waitFor();
  assert.equal(await row.locator(".cluster-server").textContent(), tlsSandbox.url);
  assert.match(await row.locator(".cluster-facts").textContent(), /namespace demo · bearer token set, expires .* \(in (89|90) min\)/);
  assert.equal(await row.locator(".badge").textContent(), "default");
  const version = row.locator('.cluster-report dd[data-field="version"]');
  await version.waitFor({ timeout: 15_000 });
  assert.match(await version.textContent(), /^v\d+\.\d+/);
  assert.equal(await row.locator('dd[data-field="identity"]').textContent(), "service account demo/viewer");
  assert.match(await row.locator('dd[data-field="expiry"]').textContent(), /^expires .* \(in (89|90) min\)$/);

  // The form no longer holds the token; no page ever gets it back; it lives in session storage only.
  assert.equal(await page.getByRole("textbox", { name: /^Kubeconfig/ }).inputValue(), "");
  const seen = await page.evaluate(async () => ({
    list: JSON.stringify(await chrome.runtime.sendMessage({ type: "kubeopen:listClusters" })),
    local: JSON.stringify(await chrome.storage.local.get(null)),
    session: JSON.stringify(await chrome.storage.session.get(null)),
  }));
  assert.ok(!seen.list.includes(token), "listClusters never answers with the token");
  assert.ok(!seen.local.includes(token), "not persisted: nothing on disk");
  assert.ok(seen.session.includes(token), "kept for the session");
  await page.close();
});

test("the sandbox's own kubeconfig, dropped as a file: its CA file path is reported as unusable, its token works", async () => {
  const page = await optionsPage();
  await clearClusters(page);
  // Dropped as a file on the kubeconfig panel.
  const text = await readFile(path.join(path.dirname(tlsSandbox.caFile), "kubeconfig"), "utf8");
  await page.evaluate((text) => {
    const data = new DataTransfer();
    data.items.add(new File([text], "kubeconfig", { type: "text/plain" }));
    document.getElementById("panel-kubeconfig").dispatchEvent(new DragEvent("drop", { dataTransfer: data, bubbles: true, cancelable: true }));
  }, text);
  const unsupported = page.locator("#context-detail .unsupported li");
  await unsupported.first().waitFor();
  assert.match((await unsupported.allTextContents()).join("\n"), /certificate-authority/);
  await page.getByRole("button", { name: "Add cluster" }).click();
  const version = page.locator('li.cluster .cluster-report dd[data-field="version"]');
  await version.waitFor({ timeout: 15_000 });
  assert.match(await version.textContent(), /^v\d+\.\d+/);
  await page.close();
});

test("over HTTP: a kubeconfig's token is not used (as client-go), server + token is", async () => {
  const page = await optionsPage();
  await clearClusters(page);
  await page.getByRole("textbox", { name: /^Kubeconfig/ }).fill(kubeconfig(sandbox.url));
  const auth = page.locator('#context-detail dd[data-field="auth"]');
  await auth.waitFor();
  assert.match(await auth.textContent(), /^no credentials/);
  assert.match((await page.locator("#context-detail .unsupported li").allTextContents()).join("\n"), /https/);

  await page.getByRole("tab", { name: "Server and token" }).click();
  await page.getByLabel("API server URL").fill(sandbox.url);
  await page.getByLabel(/^Token/).fill(token);
  await page.getByLabel("Default namespace").fill("demo");
  await page.getByLabel(/^Name/).fill("plain");
  await page.locator("#test").click();
  const tested = page.locator('#add-result dd[data-field="identity"]');
  await tested.waitFor();
  assert.equal(await tested.textContent(), "service account demo/viewer");

  await page.getByRole("button", { name: "Add cluster" }).click();
  const row = page.locator("li.cluster", { hasText: "plain" });
  await row.locator('.cluster-report dd[data-field="version"]').waitFor({ timeout: 15_000 });
  assert.equal(await row.locator(".cluster-server").textContent(), sandbox.url);
  assert.equal(await page.getByLabel(/^Token/).inputValue(), "", "the token leaves the form once stored");
  await page.close();
});

test("a wrong token gets the 401 advice", async () => {
  const page = await optionsPage();
  await page.getByRole("tab", { name: "Server and token" }).click();
  await page.getByLabel("API server URL").fill(sandbox.url);
  await page.getByLabel(/^Token/).fill("not-the-token");
  await page.locator("#test").click();
  const error = page.locator("#add-result .error");
  await error.waitFor();
  assert.equal(await error.getAttribute("data-code"), "Unauthorized");
  assert.match(await error.locator(".advice").textContent(), /401.*kubectl create token/s);
  await page.close();
});

test("a certificate the browser does not trust gets the CA advice", async () => {
  const page = await optionsPage();
  await page.getByRole("tab", { name: "Server and token" }).click();
  await page.getByLabel("API server URL").fill(untrustedSandbox.url);
  await page.getByLabel(/^Token/).fill(token);
  await page.locator("#test").click();
  const error = page.locator("#add-result .error");
  await error.waitFor({ timeout: 15_000 });
  assert.equal(await error.getAttribute("data-code"), "Network");
  const advice = await error.locator(".advice").textContent();
  assert.match(advice, /does not trust its certificate/);
  assert.match(advice, /kubectl proxy/);
  await page.close();
});

test("rename, make default, keep on this computer, and remove, through the page", async () => {
  const page = await optionsPage();
  await clearClusters(page);
  for (const name of ["first", "second"]) {
    await page.evaluate(
      ([server, name, token]) => chrome.runtime.sendMessage({ type: "kubeopen:addCluster", name, server, credentials: { token } }),
      [sandbox.url, name, token],
    );
  }
  const second = page.locator("li.cluster", { hasText: "second" });
  await second.waitFor();
  assert.equal(await page.locator("li.cluster .badge").count(), 1);
  assert.equal(await page.locator("li.cluster", { hasText: "first" }).locator(".badge").count(), 1, "the first cluster added is the default");

  await second.getByRole("button", { name: "Make default" }).click();
  await second.locator(".badge").waitFor();
  assert.equal(await page.locator("li.cluster", { hasText: "first" }).locator(".badge").count(), 0);

  await second.getByRole("button", { name: "Rename" }).click();
  await second.getByLabel("New name for second").fill("staging");
  await second.getByRole("button", { name: "Save name" }).click();
  const renamed = page.locator("li.cluster", { hasText: "staging" });
  await renamed.waitFor();

  // Opting in to persistence moves the cluster, token included, to storage.local.
  await renamed.locator(".persist-toggle").check();
  await page.waitForFunction(async (t) => JSON.stringify(await chrome.storage.local.get(null)).includes(t), token);
  const areas = await page.evaluate(async () => ({
    local: (await chrome.storage.local.get("kubeopen.clusters"))["kubeopen.clusters"].map((c) => c.name),
    session: (await chrome.storage.session.get("kubeopen.clusters"))["kubeopen.clusters"].map((c) => c.name),
  }));
  assert.deepEqual(areas, { local: ["staging"], session: ["first"] });

  await renamed.getByRole("button", { name: "Remove" }).click();
  await renamed.getByRole("button", { name: "Remove staging?" }).click();
  await renamed.waitFor({ state: "detached" });
  const left = await page.evaluate(() => chrome.runtime.sendMessage({ type: "kubeopen:listClusters" }));
  assert.deepEqual(left.clusters.map((c) => [c.name, c.isDefault]), [["first", true]]);
  assert.ok(!JSON.stringify(await page.evaluate(() => chrome.storage.local.get(null))).includes(token), "removed from disk");
  await page.close();
});

test("bad input is refused with the core's reason and advice, never echoing a secret", async () => {
  const page = await optionsPage();
  const cases = [
    [{ type: "kubeopen:addCluster", server: "ftp://x", credentials: null }, "InvalidServer", /kubectl cluster-info/],
    [{ type: "kubeopen:addCluster", server: "https://x", credentials: { token: "sec\nret" } }, "InvalidCredentials", /line breaks/],
    [{ type: "kubeopen:addCluster", server: "https://x", credentials: null, namespace: "Bad_NS" }, "InvalidTarget", undefined],
    [{ type: "kubeopen:readKubeconfig", text: "clusters: [" }, "InvalidKubeconfig", /kubectl config view --raw --minify/],
  ];
  for (const [msg, code, advice] of cases) {
    const answer = await page.evaluate((m) => chrome.runtime.sendMessage(m), msg);
    assert.equal(answer.ok, false);
    assert.equal(answer.error.code, code, JSON.stringify(answer));
    if (advice) assert.match(answer.error.advice, advice);
    assert.ok(!JSON.stringify(answer).includes("sec\\nret") && !JSON.stringify(answer).includes("ret\""), "the token is not repeated");
  }
  await page.close();
});

test("the options page warns that apps on one API server share an origin (SECURITY.md)", async () => {
  const page = await optionsPage();
  const warning = page.locator("#shared-origin");
  assert.ok(await warning.isVisible(), "the warning is shown");
  const text = (await warning.textContent()) ?? "";
  assert.match(text, /share one origin/);
  assert.match(text, /cookies and local storage are shared/);
  await page.close();
});
