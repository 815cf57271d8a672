// Tunnel mode in the Firefox build (extension/dist/firefox), in Debian's Firefox ESR over WebDriver
// BiDi, against the sandbox's `identity` app (its HTML is sent with `Content-Encoding: identity`,
// which the API server's transport loses): the tab explains the failure; with tunnel mode on its
// pages come through the pod's port-forward as the shell document's body (Firefox's build streams
// it in with filterResponseData: bg/tunnel-deliver.firefox.js), while assets and the API call use
// the proxy. Reload, a second page and back work; no request of the app leaves the prefix; the
// shell has no token; a token without `create pods/portforward` gets an explanation naming it.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import path from "node:path";
import { proxyUrl } from "kubeopen";
import { EXTENSION_UUID, launchFirefox } from "./bidi.mjs";
import { root, startSandbox } from "../support/sandbox.mjs";
import { startRecordingFront } from "../e2e/content-support.mjs";

const extensionDir = process.env.KUBEOPEN_FIREFOX_EXTENSION ?? path.join(root, "extension", "dist", "firefox");
const TOKEN = "firefox-tunnel-token-3c7d19";
const LIMITED_TOKEN = "firefox-proxy-only-token-6e21";
// `proxy-only` may use the service proxy and read the API, not create pods/portforward (what
// `view` plus services/proxy gives in a real cluster).
const AUTHZ = `rules:
  - users: [firefox-tunnel-tester]
    resources: ["*"]
    verbs: ["*"]
  - users: [proxy-only]
    resources: [services, services/proxy, pods, endpoints, endpointslices, namespaces]
    verbs: [get, list]
`;
const TARGET = { kind: "service", namespace: "demo", name: "identity", port: "http" };
const SHELL_PATH = "/api/v1/kubeopen-tunnel-shell";
const TUNNEL_PAGE = `moz-extension://${EXTENSION_UUID}/tunnel.html`;

/** @type {Awaited<ReturnType<typeof launchFirefox>>} */
let firefox;
/** @type {import("../support/sandbox.mjs").Sandbox} */
let sandbox;
/** @type {import("../e2e/content-support.mjs").Front} */
let front;
/** A second address of the same sandbox, for the cluster added with the limited token. */
/** @type {import("../e2e/content-support.mjs").Front} */
let limitedFront;
/** @type {any} */
let popup;
let prefix = "";
let prefixPath = "";
let app = ""; // the app tab's browsing context

/** The browsing context whose URL satisfies `want`, polled. @param {(url: string) => boolean} want */
const contextWhere = (want) => firefox.contextWhere(want);

/** Polls `expression` in the app tab (or `context`) until it is truthy; returns it. @param {string} expression @param {string} [context] */
const until = (expression, context = app) => firefox.until(context, expression);

/** Waits for the identity app's page `name` at `url` with its ready marker shown. @param {string} name @param {string} url */
async function ready(name, url) {
  const got = await until(
    `(() => document.getElementById("ready")?.textContent === "ready" && location.href === ${JSON.stringify(url)} && document.getElementById("page")?.textContent)()`,
  );
  assert.equal(got, name);
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "firefox-tunnel-tester", [LIMITED_TOKEN]: "proxy-only" }, authz: AUTHZ });
  front = await startRecordingFront(sandbox.url);
  limitedFront = await startRecordingFront(sandbox.url);
  prefix = proxyUrl(front.url, TARGET, "/").replace(/\/$/, "");
  prefixPath = new URL(prefix).pathname;
  firefox = await launchFirefox();
  const installed = await firefox.bidi.send("webExtension.install", { extensionData: { type: "path", path: extensionDir } });
  assert.equal(installed.extension, "kubeopen@kubeopen.dev");
  const page = await firefox.openExtensionPage("popup.html");
  popup = page;
  const added = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:addCluster", name: "demo", server: ${JSON.stringify(front.url)}, credentials: { token: ${JSON.stringify(TOKEN)} } })`,
  );
  assert.equal(added.ok, true, JSON.stringify(added));
  const opened = await firefox.bidi.evaluate(
    page,
    `browser.runtime.sendMessage({ type: "kubeopen:open", clusterId: ${JSON.stringify(added.cluster.id)}, target: ${JSON.stringify(TARGET)} })`,
  );
  assert.equal(opened.ok, true, JSON.stringify(opened));
  app = await contextWhere((u) => u.startsWith(TUNNEL_PAGE));
});

after(async () => {
  await firefox?.close();
  await front?.close();
  await limitedFront?.close();
  await sandbox?.stop();
});

test("Firefox: through the proxy the identity app's page is lost, and the tab explains why", async () => {
  const what = await until(`document.getElementById("what")?.textContent`);
  assert.match(what, /Content-Encoding/);
  assert.equal(await until(`document.getElementById("switch")?.textContent`), "Open in tunnel mode");
  assert.equal(await until(`document.getElementById("kubectl")?.textContent`), "kubectl port-forward svc/identity -n demo 8080:http");
});

test("Firefox: in tunnel mode the page, its assets and API call work; reload, a second page and back too", async () => {
  await firefox.bidi.evaluate(app, `(document.getElementById("switch").click(), true)`);
  await ready("index", `${prefix}/`);
  await firefox.bidi.send("browsingContext.reload", { context: app, wait: "complete" });
  await ready("index", `${prefix}/`);
  await firefox.bidi.evaluate(app, `(document.getElementById("second").click(), true)`);
  await ready("second", `${prefix}/second.html`);
  await firefox.bidi.send("browsingContext.traverseHistory", { context: app, delta: -1 });
  await ready("index", `${prefix}/`);
});

test("Firefox: no request of the app left the prefix; the shell went without a credential", async () => {
  const outside = front.seen.filter((s) => !s.url.startsWith(`${prefixPath}/`));
  const shell = outside.filter((s) => s.url.startsWith(`${SHELL_PATH}?url=`));
  // The first page, its reload and the second page (back may come from Firefox's page cache).
  assert.ok(shell.length >= 3, JSON.stringify(shell));
  assert.deepEqual(shell.filter((s) => s.authorization), []);
  const tunnel = (/** @type {{ url: string }} */ s) =>
    s.url === "/api/v1/namespaces/demo/services/identity" ||
    s.url.startsWith("/apis/discovery.k8s.io/v1/namespaces/demo/endpointslices") ||
    s.url === "/apis/authorization.k8s.io/v1/selfsubjectaccessreviews" ||
    /^\/api\/v1\/namespaces\/demo\/pods\/[^/]+\/portforward\?/.test(s.url);
  assert.deepEqual(outside.filter((s) => !s.url.startsWith(`${SHELL_PATH}?url=`) && !tunnel(s)), []);
  const inside = front.seen.filter((s) => s.url.startsWith(`${prefixPath}/`));
  assert.deepEqual(inside.filter((s) => !s.authorization), []);
  // Only the first, lost page went through the proxy as a page (the browser may retry it).
  const pages = inside.filter((s) => s.url === `${prefixPath}/` || s.url === `${prefixPath}/second.html`);
  assert.ok(pages.length >= 1 && pages.every((s) => s.url === `${prefixPath}/`), JSON.stringify(pages));
});

test("Firefox: a token without create pods/portforward: the explanation names the permission and kubectl port-forward", async () => {
  const added = await firefox.bidi.evaluate(
    popup,
    `browser.runtime.sendMessage({ type: "kubeopen:addCluster", name: "limited", server: ${JSON.stringify(limitedFront.url)}, credentials: { token: ${JSON.stringify(LIMITED_TOKEN)} } })`,
  );
  assert.equal(added.ok, true, JSON.stringify(added));
  const opened = await firefox.bidi.evaluate(
    popup,
    `browser.runtime.sendMessage({ type: "kubeopen:open", clusterId: ${JSON.stringify(added.cluster.id)}, target: ${JSON.stringify(TARGET)} })`,
  );
  assert.equal(opened.ok, true, JSON.stringify(opened));
  const limitedPrefix = proxyUrl(limitedFront.url, TARGET, "/");
  const shows = (/** @type {string} */ u, /** @type {(reason: string | null) => boolean} */ reason) => {
    if (!u.startsWith(TUNNEL_PAGE)) return false;
    const q = new URL(u).searchParams;
    return (q.get("url") ?? "").startsWith(limitedPrefix) && reason(q.get("reason"));
  };
  const tab = await contextWhere((u) => shows(u, (r) => r === "TransportLoss"));
  assert.equal(await until(`document.getElementById("switch")?.textContent`, tab), "Open in tunnel mode");
  await firefox.bidi.evaluate(tab, `(document.getElementById("switch").click(), true)`);
  // The tab goes back to the app, then (the tunnel refused) to a new explanation.
  await contextWhere((u) => shows(u, (r) => r === "Forbidden"));
  const permission = await until(`new URL(location.href).searchParams.get("permission")`, tab);
  assert.match(permission, /pods\/portforward/);
  assert.match(await until(`document.getElementById("what")?.textContent`, tab), /pods\/portforward/);
  assert.equal(await until(`document.getElementById("kubectl")?.textContent`, tab), "kubectl port-forward svc/identity -n demo 8080:http");
});
