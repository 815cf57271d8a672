// `kubeopen/manual` and its `init()`: every function called before `init()` throws KubeopenError
// `NotInitialized` (not the glue's bare TypeError); `init({ cluster: false })` instantiates only
// the URL module; a later `init()` adds the cluster module; a failed load can be retried. The
// tests run in order in this file's own process (node --test gives each file one), so nothing has
// instantiated the package's wasm before the first.
import { test } from "node:test";
import assert from "node:assert/strict";
import { readFileSync } from "node:fs";
import path from "node:path";
import { root } from "../support/sandbox.mjs";
import * as manual from "kubeopen/manual";

const init = manual.default;
const dist = path.join(root, "crates", "kubeopen-wasm", "npm", "dist");
const urlWasm = readFileSync(path.join(dist, "kubeopen_bg.wasm"));
const clusterWasm = readFileSync(path.join(dist, "kubeopen_cluster_bg.wasm"));
// Node's fetch cannot read file: URLs, so the modules are handed over as bytes.

const server = "https://10.0.0.1:6443";
const grafana = { kind: "service", namespace: "monitoring", name: "grafana", port: 3000 };
const ctx = { server, target: grafana };
const KUBECONFIG =
  "apiVersion: v1\nkind: Config\nclusters:\n- name: c\n  cluster: {server: 'https://10.0.0.1:6443'}\nusers:\n- name: u\n  user: {token: t}\ncontexts:\n- name: x\n  context: {cluster: c, user: u}\ncurrent-context: x\n";
const services = { kind: "ServiceList", apiVersion: "v1", items: [] };

/**
 * A valid call of every function `kubeopen/manual` exports, by name, and the module it needs.
 * @type {Record<string, ["url" | "cluster", (m: any) => unknown]>}
 */
const CALLS = {
  parseSegment: ["url", (m) => m.parseSegment("https:web:8443")],
  formatSegment: ["url", (m) => m.formatSegment({ scheme: "https", name: "web", port: 8443 })],
  version: ["url", (m) => m.version()],
  proxyPath: ["url", (m) => m.proxyPath(grafana)],
  proxyUrl: ["url", (m) => m.proxyUrl(server, grafana, "d/abc")],
  parseProxyUrl: ["url", (m) => m.parseProxyUrl(`${server}/api/v1/namespaces/monitoring/services/grafana:3000/proxy/`)],
  resolveAddress: ["url", (m) => m.resolveAddress("grafana.monitoring.svc:3000/d/abc")],
  rewriteUrl: ["url", (m) => m.rewriteUrl("/public/app.js", ctx)],
  rewriteLocation: ["url", (m) => m.rewriteLocation("http://10.0.0.1:6443/login", ctx)],
  rewriteSrcset: ["url", (m) => m.rewriteSrcset("/a.png 1x", ctx)],
  rewriteCss: ["url", (m) => m.rewriteCss("body { background: url(/bg.png) }", ctx)],
  rewriteHtml: ["url", (m) => m.rewriteHtml('<a href="/login">', ctx)],
  HtmlRewriter: ["url", (m) => new m.HtmlRewriter(ctx).end()],
  browserRules: ["url", (m) => m.browserRules({ server, target: grafana, tabId: 1, token: "t", firstRuleId: 1 })],
  parseKubeconfig: ["cluster", (m) => m.parseKubeconfig(KUBECONFIG)],
  minifyKubeconfig: ["cluster", (m) => m.minifyKubeconfig(KUBECONFIG)],
  resolveContext: ["cluster", (m) => m.resolveContext(KUBECONFIG)],
  authorizationHeader: ["cluster", (m) => m.authorizationHeader({ token: "t" })],
  decodeSecretToken: ["cluster", (m) => m.decodeSecretToken(Buffer.from("t").toString("base64"))],
  inspectToken: ["cluster", (m) => m.inspectToken("opaque-token")],
  inClusterConfig: ["cluster", (m) => m.inClusterConfig({ serviceHost: "10.0.0.1", servicePort: "443", token: "t" })],
  clusterInfo: ["cluster", (m) => m.clusterInfo(services, server)],
  openableEndpoints: ["cluster", (m) => m.openableEndpoints(services, server)],
  suggestEndpoints: ["cluster", (m) => m.suggestEndpoints("graf", [])],
  responseError: ["cluster", (m) => m.responseError(new Response("{}", { status: 404 }))],
  Cluster: ["cluster", (m) => new m.Cluster({ server })],
};

/** The exported functions and classes a caller may use: not `init`, the error class, or the entries' wiring (not in the .d.ts). */
const NOT_CALLS = ["default", "KubeopenError", "attach", "attachCluster"];
const exported = Object.keys(manual).filter((name) => typeof (/** @type {any} */ (manual)[name]) === "function" && !NOT_CALLS.includes(name));

/** Runs `call` (awaiting a promise) and returns what it threw, failing if it did not throw. @param {() => unknown} call */
async function thrown(call) {
  try {
    await call();
  } catch (e) {
    return e;
  }
  assert.fail("did not throw");
}

/** @param {unknown} e @param {"url" | "cluster"} module @param {string} name */
function assertNotInitialized(e, module, name) {
  assert.ok(e instanceof manual.KubeopenError, `${name}: not a KubeopenError: ${e}`);
  assert.equal(e.code, "NotInitialized", `${name}: ${e.message}`);
  assert.deepEqual(e.detail, { module }, name);
  assert.match(e.message, /await init\(\)/, name);
}

test("every exported function has a call in this test", () => {
  assert.ok(exported.length >= 20, `only ${exported.length} exports`);
  assert.deepEqual(exported.filter((name) => !(name in CALLS)), []);
});

test("before init(): every function throws KubeopenError NotInitialized, naming init()", async () => {
  for (const name of exported) {
    const [module, call] = CALLS[name];
    assertNotInitialized(await thrown(() => call(manual)), module, name);
  }
  // Wrong arguments are still reported as such.
  assert.equal((await thrown(() => manual.proxyUrl(server, null))).code, "InvalidArgument");
});

test("init() refuses a cluster option that is not a boolean", async () => {
  const e = await thrown(() => init(/** @type {any} */ ({ cluster: "no" })));
  assert.ok(e instanceof manual.KubeopenError);
  assert.equal(e.code, "InvalidArgument");
});

test("a failed load is not remembered: init() retries it", async () => {
  await assert.rejects(init({ cluster: false, module_or_path: new Uint8Array([0, 1, 2, 3]) }), WebAssembly.CompileError);
  assertNotInitialized(await thrown(() => manual.proxyPath(grafana)), "url", "proxyPath");
  // Retried below with the real module.
});

test("init({ cluster: false }): the URL functions work, the cluster module is not even read", async () => {
  const clusterResponse = new Response(clusterWasm, { headers: { "content-type": "application/wasm" } });
  await init({ cluster: false, module_or_path: urlWasm, cluster_module_or_path: clusterResponse });
  assert.equal(clusterResponse.bodyUsed, false, "the cluster module was read");
  for (const name of exported) {
    const [module, call] = CALLS[name];
    if (module === "url") {
      await call(manual);
      continue;
    }
    const e = await thrown(() => call(manual));
    assertNotInitialized(e, "cluster", name);
    assert.match(e.message, /cluster: false/, name);
  }
  assert.equal(manual.proxyUrl(server, grafana, "d/abc"), `${server}/api/v1/namespaces/monitoring/services/grafana:3000/proxy/d/abc`);
});

test("a later init() loads the cluster module too; once both are loaded, init() loads nothing", async () => {
  await init({ cluster_module_or_path: clusterWasm });
  for (const name of exported) await CALLS[name][1](manual);
  assert.equal(manual.resolveContext(KUBECONFIG).server, server);
  // Both modules are in: these would fail to compile if init() loaded anything again.
  const garbage = new Uint8Array([0, 1, 2, 3]);
  await init({ module_or_path: garbage, cluster_module_or_path: garbage });
  await init({ cluster: false, module_or_path: garbage });
});
