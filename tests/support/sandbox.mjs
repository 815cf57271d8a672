// Starts `kubeopen-sandbox` (built by `make build` into target/debug) for a test, on a free port.
// Every test that needs an API server uses this, so flags and start-up checks live in one place.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { fileURLToPath } from "node:url";

export const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), "..", "..");
export const sandboxBin = path.join(root, "target", "debug", "kubeopen-sandbox");
export const fixtures = {
  demo: path.join(root, "tests", "fixtures", "clusters", "demo.yaml"),
  upstream: path.join(root, "tests", "fixtures", "clusters", "upstream.yaml"),
};
const START_TIMEOUT = 15_000;

/**
 * @typedef {object} SandboxOptions
 * @property {string} [fixture]            cluster fixture file (default: the demo cluster)
 * @property {Record<string, string>} [tokens]  token → user name, written to a --token-auth-file
 * @property {Record<string, string>} [basicAuth]  user name → password, written to a --basic-auth-file
 * @property {string} [authz]              contents of an --authz-file (see crates/sandbox/README.md)
 * @property {boolean} [tls]               serve HTTPS with a generated CA (`caPem` is then set)
 * @property {string[]} [args]             further flags
 *
 * @typedef {object} Sandbox
 * @property {string} url                  base URL, no trailing slash
 * @property {string | undefined} caPem    the CA certificate (PEM) when `tls`
 * @property {string | undefined} caFile   its path
 * @property {() => string} log            everything the sandbox wrote to stderr (with --verbose: one line per request)
 * @property {() => Promise<void>} stop
 */

/**
 * @param {SandboxOptions} [options]
 * @returns {Promise<Sandbox>}
 */
export async function startSandbox(options = {}) {
  const dir = await mkdtemp(path.join(tmpdir(), "kubeopen-sandbox-"));
  const args = ["--listen", "127.0.0.1:0", "--fixture", options.fixture ?? fixtures.demo, "--verbose"];
  if (options.tokens) {
    const file = path.join(dir, "tokens.csv");
    const lines = Object.entries(options.tokens).map(([token, user], i) => `${token},${user},uid-${i}`);
    await writeFile(file, lines.join("\n") + "\n");
    args.push("--token-auth-file", file);
  }
  if (options.basicAuth) {
    const file = path.join(dir, "basic.csv");
    // kube-apiserver's format, `password,user,uid`, each field quoted (Go's encoding/csv rules).
    const quote = (/** @type {string} */ field) => `"${field.replace(/"/g, '""')}"`;
    const lines = Object.entries(options.basicAuth).map(([user, password], i) => [password, user, `uid-basic-${i}`].map(quote).join(","));
    await writeFile(file, lines.join("\n") + "\n");
    args.push("--basic-auth-file", file);
  }
  if (options.authz !== undefined) {
    const file = path.join(dir, "authz.yaml");
    await writeFile(file, options.authz);
    args.push("--authz-file", file);
  }
  if (options.tls) args.push("--tls", "--cert-dir", dir);
  args.push(...(options.args ?? []));

  const child = spawn(sandboxBin, args, { stdio: ["ignore", "pipe", "pipe"] });
  let stdout = "";
  let stderr = "";
  child.stderr.on("data", (chunk) => (stderr += chunk));
  const exited = new Promise((resolve) => child.once("exit", resolve));
  const url = await new Promise((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error(`sandbox did not start:\n${stdout}\n${stderr}`)), START_TIMEOUT);
    child.stdout.on("data", (chunk) => {
      stdout += chunk;
      const m = /kubeopen-sandbox listening on (https?:\/\/[^\s]+)/.exec(stdout);
      if (m) {
        clearTimeout(timer);
        resolve(m[1].replace(/\/$/, ""));
      }
    });
    child.once("exit", (code) => {
      clearTimeout(timer);
      reject(new Error(`sandbox exited with ${code}:\n${stdout}\n${stderr}`));
    });
  });
  const caFile = options.tls ? path.join(dir, "ca.crt") : undefined;
  const caPem = caFile ? await readFile(caFile, "utf8").catch(() => undefined) : undefined;
  return {
    url,
    caPem,
    caFile,
    log: () => stderr,
    async stop() {
      if (child.exitCode === null && child.signalCode === null) child.kill("SIGTERM");
      await exited;
      await rm(dir, { recursive: true, force: true });
    },
  };
}
