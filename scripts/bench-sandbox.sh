#!/usr/bin/env bash
# kubeopen-sandbox proxy overhead against issue 4's budgets, side by side in one process run:
# direct vs proxied req/s and their ratio (budget >= 50 %), p50 latency direct vs proxied and the
# difference (budget < 1 ms), sandbox RSS idle / with 1,000 keep-alive connections / after two
# more rounds on them (flat: the third round within 10 % of the first).
#
#   scripts/bench-sandbox.sh [RUNS]     (default 3; each run ~20 s, loopback only)
#
# Builds the release test binary once, runs crates/sandbox/tests/bench.rs RUNS times and prints
# every run, then the median and spread (min–max) of each figure over the runs. Exits 1 when
# the median of a budgeted figure misses its budget. See crates/sandbox/BENCHMARKS.md.
# BENCH_SANDBOX_RAW=FILE also writes every run's raw "BENCH key=value" lines there (make bench
# reads them).
set -euo pipefail

runs="${1:-3}"
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || { echo "usage: scripts/bench-sandbox.sh [RUNS]" >&2; exit 2; }
(( runs <= 20 )) || { echo "bench-sandbox: at most 20 runs" >&2; exit 2; }

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

echo "bench-sandbox: building (release)"
cargo test --release -p kubeopen-sandbox --test bench --no-run --quiet 2>&1 | grep -v '^ *Executable' || true

all="$(mktemp)"
trap 'if [ -n "${BENCH_SANDBOX_RAW:-}" ]; then cp "$all" "$BENCH_SANDBOX_RAW"; fi; rm -f "$all"' EXIT
for i in $(seq "$runs"); do
  echo "--- run $i/$runs"
  out="$(cargo test --release -p kubeopen-sandbox --test bench --quiet -- --ignored --nocapture 2>&1)" || {
    echo "$out" >&2
    echo "bench-sandbox: run $i failed" >&2
    exit 1
  }
  echo "$out" | grep -E '^(==|   |budgets|kubeopen-sandbox bench)' || true
  echo "$out" | grep '^BENCH ' >>"$all"
done

echo "--- summary over $runs run(s): median (min–max)"
awk '
  {
    route = ""; for (i = 2; i <= NF; i++) { split($i, kv, "="); if (kv[1] == "route") route = kv[2] }
    for (i = 2; i <= NF; i++) {
      split($i, kv, "=")
      if (kv[1] == "route") continue
      key = route "." kv[1]
      if (!(key in n)) order[++keys] = key
      v[key, ++n[key]] = kv[2] + 0
    }
  }
  function med(key,   m, i, j, t, a) {
    m = n[key]; for (i = 1; i <= m; i++) a[i] = v[key, i]
    for (i = 2; i <= m; i++) { t = a[i]; for (j = i - 1; j >= 1 && a[j] > t; j--) a[j + 1] = a[j]; a[j + 1] = t }
    lo[key] = a[1]; hi[key] = a[m]
    return (m % 2) ? a[(m + 1) / 2] : (a[m / 2] + a[m / 2 + 1]) / 2
  }
  END {
    fail = 0
    for (k = 1; k <= keys; k++) {
      key = order[k]; m = med(key)
      printf "  %-26s %10.1f  (%g–%g)\n", key, m, lo[key], hi[key]
      split(key, p, ".")
      if (p[2] == "ratio_pct" && m < 50) { verdict[key] = "FAIL"; fail = 1 }
      if (p[2] == "p50_added_us" && m >= 1000) { verdict[key] = "FAIL"; fail = 1 }
      if (p[2] == "rss_last_kb") { again = med(p[1] ".rss_again_kb"); if (m > again * 1.05) { verdict[key] = "FAIL"; fail = 1 } }
    }
    for (key in verdict) printf "  budget missed: %s\n", key
    printf "budgets (medians): throughput >= 50 %% of direct, added p50 < 1000 µs, memory flat: %s\n", fail ? "FAIL" : "PASS"
    exit fail
  }
' "$all"
