// Issue 11 budget: a tunnelled page load takes at most 2× the same page through the proxy, in
// Debian's Chromium with the real extension, against the sandbox (same run).
// The page is the demo app (`demo/web`), which works both ways. The same browser has two bound
// tabs on it through two cluster records of one sandbox (`127.0.0.1` and `localhost`, so one can
// be in tunnel mode and the other not): the proxied tab loads it as usual; the tunnelled tab's
// HTML comes through the pod's port-forward into the shell document (extension/src/bg/tunnel.js),
// its assets and API call through the proxy. Loads alternate between the two tabs; each pair
// gives a ratio, and the figure is the median ratio (95 % bootstrap CI, quartiles of single
// pairs). What is timed, from the bench: navigation start → the app's own `fetch('/api/data')`
// has answered and shows its result (`#fetch-result`), i.e. the page is there and working.
// Usage: KUBEOPEN_EXTENSION_OUT=… node tests/bench/tunnel.bench.mjs [--rounds N] [--json FILE]
import { writeFileSync } from "node:fs";
import { proxyUrl } from "kubeopen";
import { addCluster, launchBrowser, startSandbox } from "../e2e/bindings-support.mjs";
import { median, medianCi95 } from "./harness.mjs";

const arg = (/** @type {string} */ name, /** @type {string} */ fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg("--rounds", "15"));
const JSON_FILE = arg("--json", "");
const TOKEN = "tunnel-bench-token-9e1f";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };
const BUDGET = 2;
const TIMEOUT = 20_000;

const sandbox = await startSandbox({ tokens: { [TOKEN]: "bench" } });
const browser = await launchBrowser();
try {
  const proxied = await addCluster(browser, { name: "proxied", server: sandbox.url, token: TOKEN });
  const tunnelledServer = sandbox.url.replace("127.0.0.1", "localhost");
  const tunnelled = await addCluster(browser, { name: "tunnelled", server: tunnelledServer, token: TOKEN });

  /** Opens the app of `clusterId` in a bound tab. @param {string} clusterId */
  const open = async (clusterId) => {
    const opened = browser.context.waitForEvent("page", { timeout: TIMEOUT });
    const answer = await browser.send({ type: "kubeopen:open", clusterId, target: WEB });
    if (!answer?.ok) throw new Error(`open: ${JSON.stringify(answer)}`);
    const page = await opened;
    await page.locator("#fetch-result", { hasNotText: "pending" }).waitFor({ timeout: TIMEOUT });
    return page;
  };
  const proxiedTab = await open(proxied.id);
  const tunnelTab = await open(tunnelled.id);
  const on = await browser.send({ type: "kubeopen:setTunnel", tabId: await browser.tabIdOf(tunnelTab), on: true });
  if (!on?.ok || !on.app?.tunnel) throw new Error(`setTunnel: ${JSON.stringify(on)}`);

  /**
   * One load of `url` in `page`, in ms: navigation start → the app's fetch has answered. A
   * tunnelled load must have come through the shell (only tunnel mode asks for it), a proxied one
   * must not: the document's navigation entry names what was actually loaded.
   * @param {import("playwright-core").Page} page @param {string} url
   */
  const load = async (page, url) => {
    const viaShell = page === tunnelTab;
    const t0 = performance.now();
    await page.goto(url, { waitUntil: "commit", timeout: TIMEOUT });
    await page.waitForFunction(
      () => {
        const text = document.getElementById("fetch-result")?.textContent;
        return location.pathname.endsWith("/proxy/") && !!text && text.startsWith("ok: ");
      },
      undefined,
      { timeout: TIMEOUT, polling: 5 },
    );
    const ms = performance.now() - t0;
    const loaded = await page.evaluate(() => performance.getEntriesByType("navigation")[0]?.name ?? "");
    if (loaded.includes("/kubeopen-tunnel-shell?") !== viaShell) throw new Error(`${url} loaded ${loaded}`);
    return ms;
  };
  const proxiedUrl = proxyUrl(sandbox.url, WEB, "/");
  const tunnelUrl = proxyUrl(tunnelledServer, WEB, "/");
  // Warm-up: the browser's cache, the worker, the sandbox's connections.
  for (let i = 0; i < 3; i++) {
    await load(proxiedTab, proxiedUrl);
    await load(tunnelTab, tunnelUrl);
  }
  /** @type {number[]} */ const proxiedMs = [];
  /** @type {number[]} */ const tunnelMs = [];
  /** @type {number[]} */ const ratios = [];
  for (let r = 0; r < ROUNDS; r++) {
    // Alternate which goes first, so neither always gets the warmer machine.
    const [p, t] =
      r % 2 === 0
        ? [await load(proxiedTab, proxiedUrl), await load(tunnelTab, tunnelUrl)]
        : await (async () => {
            const tt = await load(tunnelTab, tunnelUrl);
            return [await load(proxiedTab, proxiedUrl), tt];
          })();
    proxiedMs.push(p);
    tunnelMs.push(t);
    ratios.push(t / p);
  }
  const sorted = [...ratios].sort((a, b) => a - b);
  const [ciLow, ciHigh] = medianCi95(ratios);
  const result = {
    rounds: ROUNDS,
    load: {
      proxied: median(proxiedMs),
      tunnelled: median(tunnelMs),
      ratio: median(ratios),
      ciLow,
      ciHigh,
      ratioMin: sorted[Math.floor(0.25 * (sorted.length - 1))],
      ratioMax: sorted[Math.ceil(0.75 * (sorted.length - 1))],
    },
    budget: BUDGET,
  };
  const x = result.load;
  console.log(
    `tunnelled demo app load: ${x.tunnelled.toFixed(1)} ms vs proxied ${x.proxied.toFixed(1)} ms; ratio ${x.ratio.toFixed(3)} ` +
      `(95 % CI ${ciLow.toFixed(3)}–${ciHigh.toFixed(3)}; quartiles ${x.ratioMin.toFixed(3)}–${x.ratioMax.toFixed(3)}) ` +
      `budget ≤ ${BUDGET}: ${x.ratio <= BUDGET ? "PASS" : "FAIL"}`,
  );
  if (JSON_FILE) writeFileSync(JSON_FILE, JSON.stringify(result, null, 2));
  process.exitCode = x.ratio <= BUDGET ? 0 : 1;
} finally {
  await browser.close();
  await sandbox.stop();
}
