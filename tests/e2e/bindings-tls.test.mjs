// The same bindings over TLS (the sandbox with its generated CA; Chromium trusts exactly the
// sandbox's key): the rules' `https`/`wss` patterns, a WebSocket inside the prefix getting the
// token, and a proxy URL opened directly.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { X509Certificate, createHash } from "node:crypto";
import tls from "node:tls";
import { proxyUrl } from "kubeopen";
import { TIMEOUT, addCluster, echoFrom, eventually, launchBrowser, settled, startSandbox } from "./bindings-support.mjs";

const TOKEN = "bindings-tls-token-90c1";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;
/** @type {Awaited<ReturnType<typeof launchBrowser>>} */
let browser;
let cluster;

/**
 * base64(sha256(SubjectPublicKeyInfo)) of the certificate `url` serves: Chromium trusts exactly
 * that key, as a person would after importing the cluster's CA.
 * @param {string} url
 */
function spkiHash(url) {
  const { hostname, port } = new URL(url);
  return new Promise((resolve, reject) => {
    const socket = tls.connect({ host: hostname, port: Number(port), rejectUnauthorized: false }, () => {
      const cert = socket.getPeerCertificate();
      socket.end();
      const spki = new X509Certificate(cert.raw).publicKey.export({ type: "spki", format: "der" });
      resolve(createHash("sha256").update(spki).digest("base64"));
    });
    socket.once("error", reject);
  });
}

before(async () => {
  sandbox = await startSandbox({ tokens: { [TOKEN]: "tester" }, tls: true });
  assert.match(sandbox.url, /^https:/);
  browser = await launchBrowser({ trustSpki: await spkiHash(sandbox.url) });
  cluster = await addCluster(browser, { name: "sandbox-tls", server: sandbox.url, token: TOKEN });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
});

test("kubeopen:open over https: the app loads, the backend sees no Authorization", async () => {
  const answer = await browser.send({ type: "kubeopen:open", clusterId: cluster.id, target: WEB, path: "/" });
  assert.equal(answer.ok, true, JSON.stringify(answer));
  const page = await eventually(async () => browser.context.pages().find((p) => p.url() === answer.url), "the tab");
  await page.locator("h1", { hasText: "kubeopen demo app" }).waitFor({ timeout: TIMEOUT });
  assert.match(await settled(page, "fetch-result"), /^ok: /);
  const echo = await echoFrom(page);
  assert.equal(echo.status, 200);
  assert.equal(echo.headers.authorization, undefined);

  // A WebSocket opened inside the prefix (wss://) carries the token: the backend answers.
  const wsUrl = proxyUrl(sandbox.url, WEB, "/ws").replace(/^https:/, "wss:");
  const got = await page.evaluate(
    (u) =>
      new Promise((resolve) => {
        const ws = new WebSocket(u);
        ws.onmessage = (m) => {
          resolve(String(m.data));
          ws.close();
        };
        ws.onerror = () => resolve("error");
      }),
    wsUrl,
  );
  assert.equal(JSON.parse(got).hello, "/ws", `WebSocket: ${got}`);
  await page.close();
});

test("a proxy URL opened directly over https is bound before its first request", async () => {
  const url = proxyUrl(sandbox.url, WEB, "/home");
  const page = await browser.context.newPage();
  /** @type {number[]} */
  const statuses = [];
  page.on("response", (r) => {
    if (r.request().resourceType() === "document" && r.url().startsWith(sandbox.url)) statuses.push(r.status());
  });
  await page.goto(url).catch(() => undefined);
  await page.waitForURL(url, { timeout: TIMEOUT });
  await page.waitForLoadState("load");
  assert.ok(statuses.length > 0 && !statuses.includes(401), `document statuses ${statuses}`);
  await page.close();
});
