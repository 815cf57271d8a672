// The three ways the www build is served, for the www tests: Vite's dev server, the sandbox's
// --www-dir (beside the API, same origin) and the real `kubectl proxy --www` in front of the
// sandbox (same origin too). Each returns { url, stop } with `url` ending in "/".
import { spawn } from "node:child_process";
import { createServer } from "node:net";
import path from "node:path";
import { root } from "../support/sandbox.mjs";

export const wwwDir = path.join(root, "www");
export const wwwDist = path.join(wwwDir, "dist");
const START_TIMEOUT = 30_000;

/** A port that was free a moment ago (for servers that cannot report the one they chose). */
export async function freePort() {
  const server = createServer();
  await new Promise((resolve) => server.listen(0, "127.0.0.1", () => resolve(undefined)));
  const { port } = /** @type {import("node:net").AddressInfo} */ (server.address());
  await new Promise((resolve) => server.close(() => resolve(undefined)));
  return port;
}

/**
 * Spawns `command` and resolves with the first match of `ready` in its output.
 * @param {string} command @param {string[]} args @param {RegExp} ready @param {NodeJS.ProcessEnv} [env]
 */
function startProcess(command, args, ready, env) {
  const child = spawn(command, args, { cwd: root, stdio: ["ignore", "pipe", "pipe"], env: { ...process.env, ...env } });
  let output = "";
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const match = new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`${command} did not start:\n${output}`)), START_TIMEOUT);
    const onData = (/** @type {Buffer} */ chunk) => {
      output += chunk;
      // Vite colours its banner; strip ANSI escapes before matching.
      const m = ready.exec(output.replace(/\x1b\[[0-9;]*m/g, ""));
      if (m) {
        clearTimeout(timer);
        resolve(m);
      }
    };
    child.stdout.on("data", onData);
    child.stderr.on("data", onData);
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`${command} exited with ${code}:\n${output}`));
    });
  });
  return {
    match,
    output: () => output,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
    },
  };
}

/** Vite's dev server on the www sources (modules transformed on request, no build). */
export async function startViteDev() {
  const port = await freePort();
  const vite = path.join(root, "node_modules", ".bin", "vite");
  const p = startProcess(vite, [wwwDir, "--host", "127.0.0.1", "--port", String(port), "--strictPort"], /Local:\s+(http:\/\/\S+)/);
  const [, url] = await p.match;
  return { url: url.endsWith("/") ? url : `${url}/`, stop: p.stop, output: p.output };
}

/**
 * The real kubectl proxy in front of `apiServer`, serving www/dist at /ui/ (its own kubeconfig
 * ignored: KUBECONFIG=/dev/null and --server).
 * @param {string} apiServer
 */
export async function startKubectlProxy(apiServer) {
  const p = startProcess(
    "kubectl",
    ["--server", apiServer, "proxy", "--port=0", `--www=${wwwDist}`, "--www-prefix=/ui/"],
    /Starting to serve on (127\.0\.0\.1:\d+)/,
    { KUBECONFIG: "/dev/null" },
  );
  const [, hostPort] = await p.match;
  return { origin: `http://${hostPort}`, url: `http://${hostPort}/ui/`, stop: p.stop, output: p.output };
}
