// `kubeopen/cluster`'s `Cluster` in a page in Debian's Chromium: the package files served by a
// local static server (another origin than the API server), the sandbox with
// `--cors-allowed-origins` for that origin, plain HTTP and TLS. Chromium trusts the TLS sandbox's
// certificate through `--ignore-certificate-errors-spki-list` with the SHA-256 of its public key
// (trustCertificateArgs) — what importing the cluster's CA does for a person, limited to that one
// key. Without the flag for the page's origin, the browser refuses the answers: `Network`.
// The page is a real file on a loopback server (not a request fulfilled by Playwright): Chromium's
// Local Network Access lets a loopback page call a loopback API server, but a page with no
// address of its own counts as public and is refused.
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { mkdtemp, readFile, rm, symlink, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { CHROMIUM, QUIET_ARGS, trustCertificateArgs } from "./chromium.mjs";
import { serveStatic } from "./static-server.mjs";
import { startSandbox, root } from "../support/sandbox.mjs";

const TOKENS = { "admin-token": "admin", "alice-token": "alice" };
const AUTHZ = `rules:
  - users: [admin]
    resources: ["*"]
    verbs: ["*"]
  - users: [alice]
    namespaces: [demo]
    resources: [services]
    verbs: [list]
`;
// kube-apiserver's own advice for the flag: anchor the host, so 127.0.0.1.evil does not match.
const CORS = ["--cors-allowed-origins", "//127\\.0\\.0\\.1(:|$)"];

let browser, files, plain, tls, noCors, site;

/** The page: the package under /kubeopen/, imported through an import map as a plain page would. */
const PAGE = `<!doctype html>
<title>kubeopen/cluster</title>
<script type="importmap">{"imports": {"kubeopen/cluster": "/kubeopen/dist/cluster.js"}}</script>`;

before(async () => {
  site = await mkdtemp(path.join(tmpdir(), "kubeopen-cluster-page-"));
  await writeFile(path.join(site, "index.html"), PAGE);
  await symlink(path.join(root, "crates", "kubeopen-wasm", "npm"), path.join(site, "kubeopen"));
  files = await serveStatic(site);
  [plain, tls, noCors] = await Promise.all([
    startSandbox({ tokens: TOKENS, authz: AUTHZ, args: CORS }),
    startSandbox({ tokens: TOKENS, authz: AUTHZ, args: CORS, tls: true }),
    startSandbox({ tokens: TOKENS, authz: AUTHZ }),
  ]);
  const cert = await readFile(path.join(path.dirname(/** @type {string} */ (tls.caFile)), "tls.crt"), "utf8");
  browser = await chromium.launch({ executablePath: CHROMIUM, headless: true, args: [...QUIET_ARGS, ...trustCertificateArgs(cert)] });
});

after(async () => {
  await browser?.close();
  await Promise.all([plain?.stop(), tls?.stop(), noCors?.stop()]);
  await files?.close();
  if (site) await rm(site, { recursive: true, force: true });
});

/** A page on the static server's origin that has imported `kubeopen/cluster` (top-level await entry). */
async function clusterPage() {
  const page = await browser.newPage();
  const errors = [];
  page.on("pageerror", (e) => errors.push(e));
  await page.goto(files.url);
  await page.evaluate(async () => {
    // @ts-ignore: resolved by the page's import map
    globalThis.kubeopen = await import("kubeopen/cluster");
  });
  return { page, errors };
}

/**
 * Runs every `Cluster` method and the error cases in the page against `server`; returns what it
 * saw (errors as `{code, message, isKubeopenError}`).
 */
function runInPage(page, server) {
  return page.evaluate(async (server) => {
    // @ts-ignore: set by clusterPage
    const { Cluster, KubeopenError, responseError } = globalThis.kubeopen;
    const failure = async (promise) => {
      try {
        await promise;
        return null;
      } catch (e) {
        return { code: e.code, message: e.message, isKubeopenError: e instanceof KubeopenError, status: e.detail?.status };
      }
    };
    const admin = new Cluster({ server, token: "admin-token" });
    const version = await admin.version();
    const api = await admin.apiVersions();
    const namespaces = await admin.listNamespaces();
    const services = await admin.listServices("demo");
    const pods = await admin.listPods("demo");
    const nodes = await admin.listNodes();
    const info = await admin.clusterInfo();
    const open = await admin.openableEndpoints("demo");
    const web = open.find((e) => e.name === "web");
    const page = await admin.proxyFetch(web.target, "/");
    const idle = await admin.proxyFetch({ kind: "service", namespace: "demo", name: "no-endpoints", port: 80 }, "/");
    const idleError = await responseError(idle);
    const controller = new AbortController();
    const pending = failure(admin.version({ signal: controller.signal }));
    controller.abort();
    const aborted = await pending;
    return {
      gitVersion: version.gitVersion,
      versions: api.versions,
      namespaces: namespaces.items.length,
      services: services.items.map((s) => s.metadata.name).sort(),
      pods: pods.items.map((p) => p.metadata.name),
      nodes: nodes.items.map((n) => n.metadata.name),
      info: info.map((i) => i.name),
      open: open.map((e) => `${e.name}:${e.port}`),
      pageStatus: page.status,
      pageHtml: (await page.text()).includes("<html"),
      idle: { status: idle.status, code: idleError?.code, message: idleError?.message },
      unauthorized: await failure(new Cluster({ server, token: "wrong" }).listNodes()),
      forbidden: await failure(new Cluster({ server, token: "alice-token" }).listServices("monitoring")),
      notFound: await failure(new Cluster({ server: `${server}/nope`, token: "admin-token" }).version()),
      aborted,
    };
  }, server);
}

function checkRun(r) {
  assert.match(r.gitVersion, /^v1\./);
  assert.deepEqual(r.versions, ["v1"]);
  assert.equal(r.namespaces, 6);
  assert.deepEqual(r.services, ["brotli", "identity", "no-endpoints", "web", "web-multi", "web-unnamed"]);
  assert.ok(r.pods.includes("web-0"));
  assert.deepEqual(r.nodes, ["node-1"]);
  assert.deepEqual(r.info, ["Dashboard"]);
  assert.deepEqual(r.open, ["brotli:80", "identity:80", "no-endpoints:80", "web:80", "web-multi:80", "web-multi:9100", "web-unnamed:80"]);
  assert.equal(r.pageStatus, 200);
  assert.equal(r.pageHtml, true);
  assert.deepEqual(r.idle, { status: 503, code: "ServiceUnavailable", message: 'no endpoints available for service "no-endpoints"' });
  assert.deepEqual(r.unauthorized, { code: "Unauthorized", message: "Unauthorized", isKubeopenError: true, status: 401 });
  assert.equal(r.forbidden?.code, "Forbidden");
  assert.match(r.forbidden?.message, /cannot list resource "services" in API group "" in the namespace "monitoring"/);
  assert.equal(r.notFound?.code, "NotFound");
  assert.equal(r.aborted?.code, "Aborted");
}

test("Cluster from a page on another origin, sandbox with --cors-allowed-origins (HTTP)", async () => {
  const { page, errors } = await clusterPage();
  checkRun(await runInPage(page, plain.url));
  assert.deepEqual(errors, []);
  await page.close();
});

test("Cluster over TLS, the sandbox's certificate trusted by its key", async () => {
  assert.ok(tls.url.startsWith("https://"));
  const { page, errors } = await clusterPage();
  checkRun(await runInPage(page, tls.url));
  assert.deepEqual(errors, []);
  await page.close();
});

test("without --cors-allowed-origins the browser refuses: Network; a server that is down: Network", async () => {
  const { page } = await clusterPage();
  const result = await page.evaluate(
    async ([refusing, down]) => {
      // @ts-ignore: set by clusterPage
      const { Cluster } = globalThis.kubeopen;
      const codeOf = async (cluster) => {
        try {
          await cluster.version();
          return "no error";
        } catch (e) {
          return `${e.code}: ${e.message}`;
        }
      };
      return [await codeOf(new Cluster({ server: refusing, token: "admin-token" })), await codeOf(new Cluster({ server: down }))];
    },
    [noCors.url, "http://127.0.0.1:9"],
  );
  assert.match(result[0], /^Network: could not reach http:\/\/127\.0\.0\.1:\d+\/version: Failed to fetch$/);
  assert.match(result[1], /^Network: /);
  // The server is up and answers the preflight, without permission (a 401 and no CORS headers):
  // it is the browser that refuses; the same sandbox with the flag answered above.
  const preflight = await fetch(`${noCors.url}/version`, {
    method: "OPTIONS",
    headers: { Origin: new URL(files.url).origin, "Access-Control-Request-Method": "GET", "Access-Control-Request-Headers": "authorization" },
  });
  assert.equal(preflight.status, 401);
  assert.equal(preflight.headers.get("access-control-allow-origin"), null);
  await page.close();
});

test("a slow server: Timeout", { timeout: 30_000 }, async () => {
  const { createServer } = await import("node:http");
  const hang = createServer((req, res) => {
    // Answers the preflight, then never the request itself.
    if (req.method === "OPTIONS") {
      res.writeHead(204, {
        "access-control-allow-origin": req.headers.origin ?? "*",
        "access-control-allow-headers": "Authorization, Accept",
      });
      res.end();
    }
  });
  await new Promise((resolve) => hang.listen(0, "127.0.0.1", resolve));
  const url = `http://127.0.0.1:${hang.address().port}`;
  const { page } = await clusterPage();
  const code = await page.evaluate(async (server) => {
    // @ts-ignore: set by clusterPage
    const { Cluster } = globalThis.kubeopen;
    try {
      await new Cluster({ server, token: "t", timeout: 300 }).listNodes();
      return "no error";
    } catch (e) {
      return e.code;
    }
  }, url);
  assert.equal(code, "Timeout");
  await page.close();
  hang.closeAllConnections();
  await new Promise((resolve) => hang.close(resolve));
});
