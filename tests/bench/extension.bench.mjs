// Issue 8 budgets for the extension, in Debian's Chromium against the sandbox:
//  1. A bound tab loads the demo app within 10 % of the same page with the token supplied directly:
//     the baseline is a second Chromium with only the core's `browserRules` installed for its tab
//     (tests/fixtures/rules-extension), so the difference is everything kubeopen adds (its
//     content scripts, open rules, listeners). The baseline's demo tab also gets a five-line init
//     script that sends the app's WebSocket into the prefix (pointWebSocketIntoPrefix says why):
//     both apps do the same work, and every check of both must pass. Loads alternate between the two browsers; each
//     figure is the median of the per-pair ratios (with its 95 % bootstrap confidence interval
//     and the quartiles of single pairs: this machine is noisy)
//     of `loadEventEnd` (navigation start → load done) and of the moment the app's own
//     `fetch('/api/data')` answered (its resource timing `responseEnd`). Shown too, without a
//     budget: when the page first answered the bench after `load` (Playwright's round trip plus
//     whatever ran after load, e.g. the link fixer, which is injected then).
//     The same for the real Prometheus from Debian (tests/support/prometheus.mjs, on a free port,
//     dialled by the fixture's monitoring/prometheus pod), opened at /graph (which redirects to its
//     classic UI): `loadEventEnd`, and when its UI is ready for a query — the moment its query box
//     (`textarea.expression_input`) enters the DOM, seen by a MutationObserver both tabs get at
//     document start. That box is rendered by Prometheus' own script from a template it fetches
//     after DOMContentLoaded, so it comes after the page's own requests, not just after the HTML.
//  2. Service worker start → rules installed for a restored binding, under 150 ms: the rules are
//     removed, the worker is stopped (CDP ServiceWorker.stopAllWorkers) and woken by a message;
//     the worker itself records performance.now() (ms since it started) once the rules are back.
// Usage: KUBEOPEN_EXTENSION_OUT=… node tests/bench/extension.bench.mjs [--rounds N] [--sessions N] [--restarts N] [--settle MS] [--json FILE]
//   --rounds: alternating pairs per session (default 10); --sessions: fresh browser pairs, pooled
//   (default 5: browser instances differ by a few per cent on their own, so more of them).
import { writeFileSync } from "node:fs";
import { mkdtemp, rm } from "node:fs/promises";
import { tmpdir } from "node:os";
import path from "node:path";
import { chromium } from "playwright-core";
import { browserRules, proxyUrl } from "kubeopen";
import { CHROMIUM, QUIET_ARGS } from "../e2e/chromium.mjs";
import { addCluster, eventually, launchBrowser, root, startSandbox } from "../e2e/bindings-support.mjs";
import { PROMETHEUS_TARGET as PROM, startPrometheus } from "../support/prometheus.mjs";
import { median, medianCi95 } from "./harness.mjs";

const arg = (name, fallback) => {
  const i = process.argv.indexOf(name);
  return i > 0 ? process.argv[i + 1] : fallback;
};
const ROUNDS = Number(arg("--rounds", "10"));
const SESSIONS = Number(arg("--sessions", "5"));
const RESTARTS = Number(arg("--restarts", "10"));
// Pause after every load, so that each load starts on a machine at rest: what a browser still does
// after `load` (the link fixer, the service worker's bookkeeping, GC) would otherwise land in the
// other browser's next load, and on 2 cores that crosstalk was most of the spread of single pairs.
const SETTLE_MS = Number(arg("--settle", "250"));
const TOKEN = "bench-token-c0ffee";
const WEB = { kind: "service", namespace: "demo", name: "web", port: "http" };
const PROM_PATH = "/graph";

/**
 * Chromium with only the core's rules (the baseline): one tab per target, each with its rules.
 * @param {string} server @param {(typeof WEB)[]} targets
 */
async function launchRulesOnly(server, targets) {
  const dir = path.join(root, "tests", "fixtures", "rules-extension");
  const profile = await mkdtemp(path.join(tmpdir(), "kubeopen-bench-rules-"));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: CHROMIUM,
    headless: true,
    args: [...QUIET_ARGS, `--disable-extensions-except=${dir}`, `--load-extension=${dir}`],
  });
  let [worker] = context.serviceWorkers();
  worker ??= await context.waitForEvent("serviceworker", { timeout: 15_000 });
  const pages = [];
  let firstRuleId = 1;
  for (const [i, target] of targets.entries()) {
    const page = await context.newPage();
    const title = `bench-baseline-${i}`;
    await page.setContent(`<title>${title}</title>`);
    const [tabId] = await worker.evaluate(async (t) => (await chrome.tabs.query({ title: t })).map((tab) => tab.id), title);
    const addRules = browserRules({ server, target, tabId, token: TOKEN, firstRuleId });
    firstRuleId += addRules.length;
    await worker.evaluate((rules) => chrome.declarativeNetRequest.updateSessionRules({ addRules: rules }), addRules);
    pages.push(page);
  }
  return {
    pages,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

/**
 * Loads `url` in `page`; returns [loadEventEnd, when the app's fetch answered, when the page first
 * answered after load], in ms since navigation start.
 * @param {import("playwright-core").Page} page @param {string} url
 */
async function load(page, url) {
  await page.goto(url, { waitUntil: "load" });
  return page.evaluate(async () => {
    const answeredAfterLoad = performance.now();
    const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType("navigation")[0]);
    // Every check of the app that runs on load, in both tabs: the same work was done.
    for (const id of ["fetch-result", "xhr-result", "ws-result"]) {
      const el = document.getElementById(id);
      const until = performance.now() + 10_000;
      while (el && el.textContent === "pending" && performance.now() < until) await new Promise((r) => setTimeout(r, 2));
      if (!el?.textContent?.startsWith("ok")) throw new Error(`the app's ${id}: ${el?.textContent}`);
    }
    // The app's fetch: straight into the prefix with kubeopen, redirected there in the baseline.
    const fetched = performance
      .getEntriesByType("resource")
      .find((e) => /** @type {PerformanceResourceTiming} */ (e).initiatorType === "fetch" && e.name.endsWith("/api/data"));
    if (!fetched) throw new Error("no resource timing for the app's fetch");
    return [nav.loadEventEnd, /** @type {PerformanceResourceTiming} */ (fetched).responseEnd, answeredAfterLoad];
  });
}

/**
 * The baseline tab's one script (an init script: runs at document start, before the app's): the
 * demo app's WebSocket to `/ws` goes into the proxy prefix, as kubeopen's page-world script sends
 * it. Without it the baseline app did less work than the bound one: Chromium never redirects a
 * WebSocket handshake, so the baseline's failed at once, while kubeopen's opened through the API
 * server to the app and exchanged its messages during the load — about 7 points of the ratio
 * that were the app working, not kubeopen's overhead. Both tabs' apps must report every check ok
 * (load() below). Written out, not kubeopen's rewriter: the baseline must not use the product.
 */
function pointWebSocketIntoPrefix() {
  const at = location.pathname.indexOf("/proxy/");
  if (at < 0) return;
  const prefix = location.pathname.slice(0, at + "/proxy".length);
  globalThis.WebSocket = new Proxy(WebSocket, {
    construct(target, [url, ...rest]) {
      const u = new URL(url, location.href);
      if (u.host === location.host && !u.pathname.startsWith(`${prefix}/`)) u.pathname = prefix + u.pathname;
      return Reflect.construct(target, [u.href, ...rest]);
    },
  });
}

/** Marks when Prometheus' query box enters the DOM (an init script: runs at document start). */
function markPrometheusUiReady() {
  const w = /** @type {any} */ (window);
  const observer = new MutationObserver(() => {
    if (w.kubeopenBenchUiReady === undefined && document.querySelector("textarea.expression_input")) {
      w.kubeopenBenchUiReady = performance.now();
      observer.disconnect();
    }
  });
  observer.observe(document, { childList: true, subtree: true });
}

/**
 * Loads Prometheus' `url` in `page` (which has markPrometheusUiReady); returns [loadEventEnd,
 * when its query box appeared], in ms since navigation start (redirects included).
 * @param {import("playwright-core").Page} page @param {string} url
 */
async function loadPrometheus(page, url) {
  await page.goto(url, { waitUntil: "load" });
  if (!page.url().includes("/classic/graph")) throw new Error(`Prometheus' ${url} ended at ${page.url()}`);
  return page.evaluate(async () => {
    const nav = /** @type {PerformanceNavigationTiming} */ (performance.getEntriesByType("navigation")[0]);
    const w = /** @type {any} */ (window);
    const until = performance.now() + 15_000;
    while (w.kubeopenBenchUiReady === undefined) {
      if (performance.now() > until) throw new Error("Prometheus' query box never appeared");
      await new Promise((r) => setTimeout(r, 2));
    }
    return [nav.loadEventEnd, w.kubeopenBenchUiReady];
  });
}

/**
 * Warm-up, then `rounds` pairs of loads of `url`, the order alternating; each pair is kubeopen's
 * figures followed by the baseline's.
 * @param {(page: import("playwright-core").Page, url: string) => Promise<number[]>} loadFn
 * @param {import("playwright-core").Page} bound @param {import("playwright-core").Page} base
 * @param {string} url @param {number} rounds
 */
async function alternate(loadFn, bound, base, url, rounds) {
  /** @param {import("playwright-core").Page} page */
  const settled = async (page) => {
    const figures = await loadFn(page, url);
    await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
    return figures;
  };
  for (let i = 0; i < 3; i++) {
    await settled(bound);
    await settled(base);
  }
  /** @type {number[][]} */
  const pairs = [];
  for (let r = 0; r < rounds; r++) {
    const first = r % 2 === 0;
    const a = first ? await settled(bound) : undefined;
    const b = await settled(base);
    const c = first ? a : await settled(bound);
    pairs.push([.../** @type {number[]} */ (c), ...b]);
  }
  return pairs;
}

/** The q-quantile of xs (nearest rank). @param {number[]} xs @param {number} q */
function quantile(xs, q) {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.max(0, Math.ceil(q * s.length) - 1))];
}

/** @param {number[]} xs */
const spreadOf = (xs) => {
  const [ciLow, ciHigh] = medianCi95(xs);
  return { ratioMin: Math.min(...xs), ratioMax: Math.max(...xs), q1: quantile(xs, 0.25), q3: quantile(xs, 0.75), ciLow, ciHigh };
};

// The demo cluster with its prometheus pod dialling our Prometheus (scraping at the committed
// 15 s, not the test's 1 s: less work beside the loads).
const prometheus = await startPrometheus({ scrapeInterval: "15s" });
const sandbox = await startSandbox({ fixture: prometheus.fixture, tokens: { [TOKEN]: "bench" } });

/**
 * One session: a fresh kubeopen browser and a fresh baseline browser, the demo app's and
 * Prometheus' alternating loads. Returns the pairs, and the kubeopen browser (still open) with
 * Prometheus' bound tab, for the last session's part 2.
 */
async function session() {
  const kube = await launchBrowser();
  const baseline = await launchRulesOnly(sandbox.url, [WEB, PROM]);
  try {
    const [baseWeb, baseProm] = baseline.pages;
    await baseProm.addInitScript(markPrometheusUiReady);
    await baseWeb.addInitScript(pointWebSocketIntoPrefix);
    const cluster = await addCluster(kube, { name: "bench", server: sandbox.url, token: TOKEN });
    const opened = await kube.send({ type: "kubeopen:open", clusterId: cluster.id, target: WEB, path: "/" });
    if (!opened.ok) throw new Error(JSON.stringify(opened));
    const bound = await eventually(async () => kube.context.pages().find((p) => p.url() === opened.url), "the bound tab");
    const url = proxyUrl(sandbox.url, WEB, "/");
    const promOpened = await kube.send({ type: "kubeopen:open", clusterId: cluster.id, target: PROM, path: PROM_PATH });
    if (!promOpened.ok) throw new Error(JSON.stringify(promOpened));
    const promPrefix = proxyUrl(sandbox.url, PROM, "/");
    const promBound = await eventually(async () => kube.context.pages().find((p) => p.url().startsWith(promPrefix)), "Prometheus' bound tab");
    await promBound.addInitScript(markPrometheusUiReady);
    const promUrl = proxyUrl(sandbox.url, PROM, PROM_PATH);
    const pairs = await alternate(load, bound, baseWeb, url, ROUNDS);
    const promPairs = await alternate(loadPrometheus, promBound, baseProm, promUrl, ROUNDS);
    return { kube, promBound, pairs, promPairs };
  } catch (e) {
    await kube.close();
    throw e;
  } finally {
    await baseline.close();
  }
}

// 1. Page loads in SESSIONS pairs of fresh browsers (two browser instances differ by a few per
// cent on their own, so one pair of them is not enough), ROUNDS alternating pairs each, pooled.
/** @type {number[][]} */
const pairs = [];
/** @type {number[][]} */
const promPairs = [];
/** @type {Awaited<ReturnType<typeof session>> | undefined} */
let last;
try {
  for (let i = 0; i < SESSIONS; i++) {
    if (last) await last.kube.close();
    last = await session();
    pairs.push(...last.pairs);
    promPairs.push(...last.promPairs);
  }
} catch (e) {
  if (last) await last.kube.close();
  await sandbox.stop();
  await prometheus.stop();
  throw e;
}
const kube = /** @type {NonNullable<typeof last>} */ (last).kube;
const promBound = /** @type {NonNullable<typeof last>} */ (last).promBound;
try {
  // Part 2 measures one restored binding, as before Prometheus was added: its tab goes.
  await promBound.close();
  // Each pair: kubeopen's three figures, then the baseline's (see load()).
  const N = 3;
  const ratiosOf = (/** @type {number} */ i) => pairs.map((p) => p[i] / p[i + N]);
  const msOf = (/** @type {number} */ i) => ({ kubeopen: median(pairs.map((p) => p[i])), rulesOnly: median(pairs.map((p) => p[i + N])) });
  const loadRatio = median(ratiosOf(0));
  const appRatio = median(ratiosOf(1));
  const afterRatio = median(ratiosOf(2));
  const loadMs = msOf(0);
  const appMs = msOf(1);
  const afterMs = msOf(2);
  const P = 2;
  const promRatiosOf = (/** @type {number} */ i) => promPairs.map((p) => p[i] / p[i + P]);
  const promMsOf = (/** @type {number} */ i) => ({ kubeopen: median(promPairs.map((p) => p[i])), rulesOnly: median(promPairs.map((p) => p[i + P])) });
  /** @param {number} i */
  const promFigure = (i) => {
    const ratio = median(promRatiosOf(i));
    return { ...promMsOf(i), ratio, ...spreadOf(promRatiosOf(i)), budget: 1.1, pass: ratio <= 1.1 };
  };

  // 2. Service worker restarts.
  const cdp = await kube.context.newCDPSession(kube.control);
  await cdp.send("ServiceWorker.enable");
  /** @type {number[]} */
  const restores = [];
  for (let i = 0; i < RESTARTS; i++) {
    await kube.inWorker(async () => {
      const ids = (await chrome.declarativeNetRequest.getSessionRules()).map((r) => r.id);
      await chrome.declarativeNetRequest.updateSessionRules({ removeRuleIds: ids });
    });
    await cdp.send("ServiceWorker.stopAllWorkers");
    await kube.send({ type: "kubeopen:status" });
    const ms = await eventually(async () => {
      const t = await kube.inWorker(() => globalThis.kubeopenRulesRestoredAfter?.() ?? -1);
      const n = (await kube.sessionRules()).length;
      return t >= 0 && n === 3 ? t : null;
    }, "rules restored");
    restores.push(ms);
  }
  const restoreMs = median(restores);

  const results = {
    bench: "extension",
    rounds: pairs.length,
    sessions: SESSIONS,
    // ratioMin/ratioMax: the spread of the per-pair ratios (make bench shows it).
    load: { ...loadMs, ratio: loadRatio, ...spreadOf(ratiosOf(0)), budget: 1.1, pass: loadRatio <= 1.1 },
    appReady: { ...appMs, ratio: appRatio, ...spreadOf(ratiosOf(1)), budget: 1.1, pass: appRatio <= 1.1 },
    pageAnsweredAfterLoad: { ...afterMs, ratio: afterRatio, ...spreadOf(ratiosOf(2)) },
    // Prometheus' /graph: load event, and its query box in the DOM (see the top of this file).
    prometheus: { path: PROM_PATH, rounds: promPairs.length, load: promFigure(0), uiReady: promFigure(1) },
    swRestore: { medianMs: restoreMs, maxMs: Math.max(...restores), samples: restores.length, budget: 150, pass: restoreMs < 150 },
  };
  const f = (/** @type {number} */ n) => n.toFixed(1);
  console.log(`demo app, ${pairs.length} alternating loads in ${SESSIONS} browser sessions (medians):`);
  const q = (/** @type {{ q1: number, q3: number, ciLow: number, ciHigh: number }} */ x) =>
    `median's 95 % CI ${x.ciLow.toFixed(3)}–${x.ciHigh.toFixed(3)}, quartiles ${x.q1.toFixed(2)}–${x.q3.toFixed(2)}`;
  console.log(`  load event       kubeopen ${f(loadMs.kubeopen)} ms  rules only ${f(loadMs.rulesOnly)} ms  ratio ${loadRatio.toFixed(3)} (${q(results.load)}; budget 1.10) ${results.load.pass ? "PASS" : "FAIL"}`);
  console.log(`  app fetch done   kubeopen ${f(appMs.kubeopen)} ms  rules only ${f(appMs.rulesOnly)} ms  ratio ${appRatio.toFixed(3)} (${q(results.appReady)}; budget 1.10) ${results.appReady.pass ? "PASS" : "FAIL"}`);
  console.log(`  answered after load  kubeopen ${f(afterMs.kubeopen)} ms  rules only ${f(afterMs.rulesOnly)} ms  ratio ${afterRatio.toFixed(3)} (${q(results.pageAnsweredAfterLoad)}; no budget)`);
  console.log(`Prometheus ${PROM_PATH}, ${promPairs.length} alternating loads in ${SESSIONS} browser sessions (medians):`);
  for (const [label, x] of /** @type {const} */ ([["load event      ", results.prometheus.load], ["query box shown ", results.prometheus.uiReady]])) {
    console.log(`  ${label} kubeopen ${f(x.kubeopen)} ms  rules only ${f(x.rulesOnly)} ms  ratio ${x.ratio.toFixed(3)} (${q(x)}; budget 1.10) ${x.pass ? "PASS" : "FAIL"}`);
  }
  console.log(`service worker start → rules restored: median ${f(restoreMs)} ms, max ${f(Math.max(...restores))} ms over ${restores.length} restarts (budget 150) ${results.swRestore.pass ? "PASS" : "FAIL"}`);
  const json = arg("--json", "");
  if (json) writeFileSync(json, JSON.stringify(results, null, 2));
} finally {
  await kube.close();
  await sandbox.stop();
  await prometheus.stop();
}
