// DNS rebinding against `kubectl proxy` (SECURITY.md): kubeopen's advice for a cluster without a
// token is `kubectl proxy` with its defaults, whose --accept-hosts filter answers 403 to any Host
// header but localhost, 127.0.0.1 and [::1] — what a page on a rebound name (evil.example →
// 127.0.0.1) sends. The real kubectl in front of the sandbox; the last case shows the filter is
// what protects (`--accept-hosts='.*'` lets the rebound name in).
import { test, before, after } from "node:test";
import assert from "node:assert/strict";
import { spawn } from "node:child_process";
import { request } from "node:http";
import { proxyUrl } from "kubeopen";
import { startSandbox } from "../support/sandbox.mjs";

const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };

/** @type {Awaited<ReturnType<typeof startSandbox>>} */
let sandbox;

before(async () => {
  sandbox = await startSandbox();
});

after(async () => {
  await sandbox?.stop();
});

/**
 * Starts `kubectl proxy` on a free loopback port in front of the sandbox.
 * @param {string[]} flags
 * @returns {Promise<{ port: number, stop: () => void }>}
 */
function kubectlProxy(flags = []) {
  const child = spawn("kubectl", ["--server", sandbox.url, "proxy", "--port=0", ...flags], {
    env: { ...process.env, KUBECONFIG: "/dev/null" },
    stdio: ["ignore", "pipe", "pipe"],
  });
  return new Promise((resolve, reject) => {
    let out = "";
    const timer = setTimeout(() => reject(new Error(`kubectl proxy did not start: ${out}`)), 15_000);
    const onData = (/** @type {Buffer} */ d) => {
      out += d;
      const m = /Starting to serve on 127\.0\.0\.1:(\d+)/.exec(out);
      if (m) {
        clearTimeout(timer);
        resolve({ port: Number(m[1]), stop: () => child.kill() });
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.on("exit", (code) => reject(new Error(`kubectl proxy exited (${code}): ${out}`)));
  });
}

/**
 * GET `path` from 127.0.0.1:`port` with the given Host header (what a browser sends for a name
 * that resolves to that address). @param {number} port @param {string} path @param {string} host
 * @returns {Promise<{ status: number, body: string }>}
 */
function get(port, path, host) {
  return new Promise((resolve, reject) => {
    const req = request({ host: "127.0.0.1", port, path, headers: { host } }, (res) => {
      let body = "";
      res.on("data", (d) => (body += d));
      res.on("end", () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on("error", reject);
    req.end();
  });
}

test("kubectl proxy with its default --accept-hosts refuses a rebound host name", async () => {
  const proxy = await kubectlProxy();
  try {
    const path = new URL(proxyUrl(`http://127.0.0.1:${proxy.port}`, WEB, "/")).pathname;
    const good = await get(proxy.port, path, `127.0.0.1:${proxy.port}`);
    assert.equal(good.status, 200, "sanity: the proxy reaches the app");
    assert.match(good.body, /kubeopen demo app/);
    assert.equal((await get(proxy.port, path, `localhost:${proxy.port}`)).status, 200);
    for (const host of [`evil.example:${proxy.port}`, "evil.example", `127.0.0.1.evil.example:${proxy.port}`, `localhost.evil.example:${proxy.port}`]) {
      const rebound = await get(proxy.port, path, host);
      assert.equal(rebound.status, 403, `Host: ${host} → ${rebound.status}`);
      assert.doesNotMatch(rebound.body, /kubeopen demo app/);
    }
    // The API itself (secrets, anything the kubeconfig may do) is as closed to the rebound name.
    assert.equal((await get(proxy.port, "/api/v1/namespaces", `evil.example:${proxy.port}`)).status, 403);
  } finally {
    proxy.stop();
  }
});

test("--accept-hosts='.*' is what would let a rebound page in (why SECURITY.md says never to use it)", async () => {
  const proxy = await kubectlProxy(["--accept-hosts=.*"]);
  try {
    const path = new URL(proxyUrl(`http://127.0.0.1:${proxy.port}`, WEB, "/")).pathname;
    const rebound = await get(proxy.port, path, `evil.example:${proxy.port}`);
    assert.equal(rebound.status, 200);
  } finally {
    proxy.stop();
  }
});
