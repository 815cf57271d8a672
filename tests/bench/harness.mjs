// Side-by-side micro-benchmarks for Node: every candidate is timed against a baseline in the same
// run, interleaved round by round, so machine noise (this machine has ~60 % single-thread bursts)
// hits both alike. The figure that counts is the median of the per-round ratios.

/**
 * @typedef {{ name: string, fn: () => unknown }} Case
 * @typedef {{ name: string, nsPerOp: number, baselineNsPerOp: number, ratio: number, ratioMin: number, ratioMax: number, budget: number | null, pass: boolean | null }} Result
 */

/** @param {number[]} xs */
export function median(xs) {
  const s = [...xs].sort((a, b) => a - b);
  const m = s.length >> 1;
  return s.length % 2 ? s[m] : (s[m - 1] + s[m]) / 2;
}

/**
 * A 95 % bootstrap confidence interval of the median of `xs`: how far the median itself could
 * move on a rerun, which the spread of single samples overstates. Deterministic (a fixed-seed
 * generator), so the same samples always give the same interval.
 * @param {number[]} xs @param {number} [resamples]
 * @returns {[number, number]}
 */
export function medianCi95(xs, resamples = 2000) {
  let seed = 0x2545f491;
  const random = () => {
    // xorshift32: plenty for resampling, and reproducible.
    seed ^= seed << 13;
    seed ^= seed >>> 17;
    seed ^= seed << 5;
    return (seed >>> 0) / 2 ** 32;
  };
  const medians = [];
  for (let r = 0; r < resamples; r++) {
    const sample = xs.map(() => xs[Math.floor(random() * xs.length)]);
    medians.push(median(sample));
  }
  medians.sort((a, b) => a - b);
  return [medians[Math.floor(0.025 * resamples)], medians[Math.ceil(0.975 * resamples) - 1]];
}

/** Nanoseconds per call of `fn` over `iterations` calls. @param {() => unknown} fn @param {number} iterations */
function timeOnce(fn, iterations) {
  let sink;
  const start = process.hrtime.bigint();
  for (let i = 0; i < iterations; i++) sink = fn();
  const ns = Number(process.hrtime.bigint() - start) / iterations;
  if (sink === Symbol.for("never")) console.log(sink); // keep the result observable
  return ns;
}

/**
 * @param {Case} baseline
 * @param {(Case & { budget?: number })[]} cases  budget: the largest acceptable ratio
 * @param {{ rounds?: number, iterations?: number, warmup?: number }} [options]
 * @returns {Result[]}
 */
export function compare(baseline, cases, { rounds = 21, iterations = 20_000, warmup = 50_000 } = {}) {
  for (const c of [baseline, ...cases]) timeOnce(c.fn, warmup);
  /** @type {number[]} */ const base = [];
  /** @type {number[][]} */ const per = cases.map(() => []);
  for (let r = 0; r < rounds; r++) {
    base.push(timeOnce(baseline.fn, iterations));
    cases.forEach((c, i) => per[i].push(timeOnce(c.fn, iterations)));
  }
  return cases.map((c, i) => {
    const ratios = per[i].map((ns, r) => ns / base[r]);
    const ratio = median(ratios);
    const budget = c.budget ?? null;
    return {
      name: c.name,
      nsPerOp: median(per[i]),
      baselineNsPerOp: median(base),
      ratio,
      ratioMin: Math.min(...ratios),
      ratioMax: Math.max(...ratios),
      budget,
      pass: budget === null ? null : ratio <= budget,
    };
  });
}

/** @param {string} baselineName @param {Result[]} results */
export function printTable(baselineName, results) {
  console.log(`baseline: ${baselineName}`);
  for (const r of results) {
    const verdict = r.pass === null ? "" : r.pass ? "PASS" : "FAIL";
    console.log(
      `${r.name.padEnd(34)} ${r.nsPerOp.toFixed(0).padStart(6)} ns  vs ${r.baselineNsPerOp.toFixed(0).padStart(5)} ns` +
        `  ratio ${r.ratio.toFixed(2)} (${r.ratioMin.toFixed(2)}–${r.ratioMax.toFixed(2)})` +
        (r.budget === null ? "" : `  budget ≤${r.budget}×  ${verdict}`),
    );
  }
}
