// Starts Debian's real Prometheus (/usr/bin/prometheus) on a free loopback port, scraping itself,
// and writes a copy of the demo cluster fixture whose monitoring/prometheus pod is dialled there.
// Shared by tests/e2e/prometheus.test.mjs and tests/bench/extension.bench.mjs.
import { spawn } from "node:child_process";
import { mkdtemp, readFile, rm, writeFile } from "node:fs/promises";
import { createServer } from "node:net";
import { tmpdir } from "node:os";
import path from "node:path";
import { fixtures, root } from "./sandbox.mjs";

export const PROMETHEUS = process.env.PROMETHEUS_BIN ?? "/usr/bin/prometheus";
/** The demo fixture's Prometheus service, by its named port. @type {{ kind: "service", namespace: string, name: string, port: string }} */
export const PROMETHEUS_TARGET = { kind: "service", namespace: "monitoring", name: "prometheus", port: "web" };
const READY_TIMEOUT = 20_000;

/**
 * @typedef {object} Prometheus
 * @property {string} url       its own base URL (http://127.0.0.1:PORT), no trailing slash
 * @property {number} port
 * @property {string} fixture   the demo cluster fixture file pointing the prometheus pod at it
 * @property {() => Promise<void>} stop   stops it and removes its data and the fixture
 */

/** A free loopback port. @returns {Promise<number>} */
export function freePort() {
  return new Promise((resolve, reject) => {
    const srv = createServer();
    srv.once("error", reject);
    srv.listen(0, "127.0.0.1", () => {
      const { port } = /** @type {import("node:net").AddressInfo} */ (srv.address());
      srv.close(() => resolve(port));
    });
  });
}

/**
 * @param {{ scrapeInterval?: string }} [options]  scrape interval (default 1s, so a query has data soon)
 * @returns {Promise<Prometheus>}
 */
export async function startPrometheus(options = {}) {
  const tmp = await mkdtemp(path.join(tmpdir(), "kubeopen-prometheus-"));
  const port = await freePort();
  const url = `http://127.0.0.1:${port}`;
  const config = path.join(tmp, "prometheus.yml");
  // The committed config with Prometheus scraping itself on this port.
  const committed = await readFile(path.join(root, "tests", "fixtures", "prometheus", "prometheus.yml"), "utf8");
  const scrape = `scrape_interval: ${options.scrapeInterval ?? "1s"}`;
  await writeFile(config, committed.replaceAll("127.0.0.1:9090", `127.0.0.1:${port}`).replace("scrape_interval: 15s", scrape));
  const child = spawn(
    PROMETHEUS,
    [`--config.file=${config}`, `--web.listen-address=127.0.0.1:${port}`, `--storage.tsdb.path=${path.join(tmp, "data")}`],
    { stdio: "ignore" },
  );
  /** @type {Error | undefined} */
  let spawnError;
  /** @type {Promise<unknown>} */
  const exited = new Promise((r) => {
    child.once("exit", r);
    child.once("error", (e) => r((spawnError = e)));
  });
  // Not left running if the caller dies before stop() (e.g. a bench failing during set-up).
  const killOnExit = () => child.kill("SIGTERM");
  process.once("exit", killOnExit);
  const stop = async () => {
    process.off("exit", killOnExit);
    if (!spawnError && child.exitCode === null && child.signalCode === null) {
      child.kill("SIGTERM");
      await exited;
    }
    await rm(tmp, { recursive: true, force: true });
  };
  try {
    await ready(url, () => spawnError?.message ?? (child.exitCode ?? child.signalCode)?.toString());
    // The demo cluster, its prometheus pod's container port moved to Prometheus' port (the service
    // maps its port 9090 to the named target port "web"), `serve:` paths made absolute.
    const demo = await readFile(fixtures.demo, "utf8");
    const moved = demo.replace("ports: [{name: web, containerPort: 9090}]", `ports: [{name: web, containerPort: ${port}}]`);
    if (moved === demo) throw new Error("the demo fixture no longer has the prometheus pod's port line");
    const fixture = path.join(tmp, "cluster.yaml");
    await writeFile(fixture, moved.replaceAll("serve: ../apps/", `serve: ${path.join(root, "tests", "fixtures", "apps")}/`));
    return { url, port, fixture, stop };
  } catch (e) {
    await stop();
    throw e;
  }
}

/**
 * Resolves once Prometheus answers /-/ready; fails at once if it could not start or exited.
 * @param {string} url @param {() => string | undefined} gone  why the process is gone, if it is
 */
async function ready(url, gone) {
  const until = Date.now() + READY_TIMEOUT;
  while (Date.now() < until) {
    const why = gone();
    if (why !== undefined) throw new Error(`Prometheus (${PROMETHEUS}) is not running: ${why}`);
    const ok = await fetch(`${url}/-/ready`).then((r) => r.ok, () => false);
    if (ok) return;
    await new Promise((r) => setTimeout(r, 200));
  }
  throw new Error(`Prometheus at ${url} not ready`);
}
