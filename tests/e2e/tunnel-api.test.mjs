// `Cluster.tunnelFetch` and `Cluster.portForward` in a plain page in Debian's Chromium, with the
// browser's own WebSocket: the package served by a local static server (another origin than the
// API server, which allows it by `--cors-allowed-origins` for the lookups; WebSockets need no
// CORS), `kubeopen/cluster` imported through an import map. The `identity` app's page, which the
// proxy loses, arrives whole through the tunnel; a user without `create pods/portforward` gets
// `Forbidden` naming it, though the browser hides the handshake's status.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, QUIET_ARGS } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";
import { startSandbox, root } from "../support/sandbox.mjs";

const TOKENS = { "admin-token": "admin", "viewer-token": "viewer" };
const AUTHZ = `rules:
  - users: [admin]
    resources: ["*"]
    verbs: ["*"]
  - users: [viewer]
    resources: [services, services/proxy, endpointslices, pods, pods/portforward]
    verbs: [get, list]
`;
const CORS = ["--cors-allowed-origins", "//127\\.0\\.0\\.1(:|$)"];
const PAGE = `<!doctype html>
<title>kubeopen tunnel</title>
<script type="importmap">{"imports": {"kubeopen/cluster": "/kubeopen/dist/cluster.js"}}</script>`;

let browser, files, sandbox, site;

before(async () => {
  site = await mkdtemp(path.join(tmpdir(), "kubeopen-tunnel-page-"));
  await writeFile(path.join(site, "index.html"), PAGE);
  await symlink(path.join(root, "crates", "kubeopen-wasm", "npm"), path.join(site, "kubeopen"));
  files = await serveStatic(site);
  sandbox = await startSandbox({ tokens: TOKENS, authz: AUTHZ, args: CORS });
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: QUIET_ARGS });
});

after(async () => {
  await browser?.close();
  await sandbox?.stop();
  await files?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

test("tunnelFetch and portForward from a page: the identity page whole, its API, RBAC errors", async () => {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(files.url);
  const got = await page.evaluate(async (server) => {
    // @ts-ignore: resolved by the page's import map
    const { Cluster, KubeopenError } = await import("kubeopen/cluster");
    const identity = { kind: "service", namespace: "demo", name: "identity", port: "http" };
    const admin = new Cluster({ server, token: "admin-token" });
    const failure = async (promise) => {
      try {
        await promise;
        return null;
      } catch (e) {
        return { code: e.code, message: e.message, permission: e.detail?.permission, isKubeopenError: e instanceof KubeopenError };
      }
    };
    const proxied = await admin.proxyFetch(identity, "/").then((r) => r.text(), (e) => `error ${e.code}`);
    const tunnelled = await admin.tunnelFetch(identity, "/");
    const data = await (await admin.tunnelFetch(identity, "api/data")).json();
    const pf = await admin.portForward({ namespace: "demo", name: "identity-0" }, "http");
    const writer = pf.writable.getWriter();
    await writer.write(new TextEncoder().encode("GET /second.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"));
    let raw = "";
    const decoder = new TextDecoder();
    for await (const chunk of pf.readable) raw += decoder.decode(chunk, { stream: true });
    return {
      proxied,
      status: tunnelled.status,
      type: tunnelled.headers.get("content-type"),
      html: await tunnelled.text(),
      items: data.items,
      raw: raw.split("\r\n\r\n")[0].split("\r\n")[0],
      forbidden: await failure(new Cluster({ server, token: "viewer-token" }).tunnelFetch(identity, "/")),
      unauthorized: await failure(new Cluster({ server, token: "wrong" }).portForward({ namespace: "demo", name: "identity-0" }, 8080)),
      idle: await failure(admin.tunnelFetch({ kind: "service", namespace: "demo", name: "no-endpoints", port: 80 }, "/")),
    };
  }, sandbox.url);
  const expected = await readFile(path.join(root, "tests", "fixtures", "apps", "identity", "index.html"), "utf8");
  assert.notEqual(got.proxied, expected, "the proxy loses the page in Chromium too");
  assert.equal(got.status, 200);
  assert.equal(got.type, "text/html; charset=utf-8");
  assert.equal(got.html, expected);
  assert.deepEqual(got.items, ["alpha", "beta", "gamma"]);
  assert.equal(got.raw, "HTTP/1.1 200 OK");
  assert.deepEqual(got.forbidden && { ...got.forbidden, message: undefined }, {
    code: "Forbidden",
    message: undefined,
    permission: "create pods/portforward",
    isKubeopenError: true,
  });
  assert.equal(got.unauthorized?.code, "Unauthorized");
  assert.equal(got.idle?.code, "ServiceUnavailable");
  assert.deepEqual(errors, []);
  await page.close();
});
