#!/usr/bin/env bash
# Runs every test layer, even after one fails, and ends with one line: "N passed, N failed".
# Each layer's full output is in tests/.artifacts/LAYER.log; a failing layer's tail is shown.
# Exits non-zero when anything failed. Expects `make build` to have run (the Makefile does it).
set -uo pipefail
cd "$(dirname "$0")/.."

logs=tests/.artifacts
mkdir -p "$logs"
total_pass=0
total_fail=0
export CHROMEDRIVER="${CHROMEDRIVER:-/usr/bin/chromedriver}"
# In `make test` each fuzz target runs a fixed sequence of FUZZ_RUNS inputs (seed 1), capped at
# FUZZ_SECONDS; random exploration for longer: scripts/fuzz.sh 300.
FUZZ_SECONDS="${FUZZ_SECONDS:-30}"
export FUZZ_RUNS="${FUZZ_RUNS:-3000}"

# Counts from a runner's output. Kinds: cargo (libtest / wasm-bindgen-test-runner), node (TAP), check (one pass/fail).
count() {
  local kind=$1 log=$2
  case $kind in
    cargo) awk '/^test result:/ { for (i = 1; i <= NF; i++) { if ($(i+1) ~ /^passed/) p += $i; if ($(i+1) ~ /^failed/) f += $i } }
                END { print p + 0, f + 0 }' "$log" ;;
    node)  awk '/^# pass / { p += $3 } /^# fail / { f += $3 } /^# cancelled / { f += $3 } END { print p + 0, f + 0 }' "$log" ;;
    fuzz)  awk '/^fuzz .*: ok$/ { p++ } /^fuzz .*: FAILED/ { f++ } END { print p + 0, f + 0 }' "$log" ;;
    *)     echo "0 0" ;;
  esac
}

layer() {
  local name=$1 kind=$2; shift 2
  local log="$logs/$name.log" start=$SECONDS rc pass fail
  "$@" >"$log" 2>&1
  rc=$?
  read -r pass fail < <(count "$kind" "$log")
  if [ "$kind" = check ]; then
    if [ $rc -eq 0 ]; then pass=1; fail=0; else pass=0; fail=1; fi
  elif [ $rc -ne 0 ] && [ "$fail" -eq 0 ]; then
    fail=1 # it failed before reporting any test (build error, crash, timeout)
  elif [ $rc -eq 0 ] && [ $((pass + fail)) -eq 0 ]; then
    fail=1 # a layer that ran no test proves nothing
    echo "  (layer $name ran no test)" >>"$log"
  fi
  total_pass=$((total_pass + pass))
  total_fail=$((total_fail + fail))
  printf '%-14s %5d passed %5d failed  %4ds\n' "$name" "$pass" "$fail" $((SECONDS - start))
  if [ "$fail" -ne 0 ]; then
    echo "---- last lines of $log ----"
    tail -n 40 "$log"
    echo "----"
  fi
}

layer rustfmt        check cargo fmt --all --check
layer clippy         check cargo clippy --workspace --all-targets --all-features --locked -- -D warnings
# kubeopen-wasm builds two modules by feature (`url`, default; `cluster`): all of it, and the
# cluster module alone (what scripts/build-wasm.sh builds), so a cfg slip cannot hide.
layer clippy-wasm    check bash -c 'cargo clippy -p kubeopen-wasm --target wasm32-unknown-unknown --all-targets --all-features --locked -- -D warnings && cargo clippy -p kubeopen-wasm --target wasm32-unknown-unknown --all-targets --no-default-features --features cluster --locked -- -D warnings'
layer cargo-test     cargo cargo test --workspace --locked --no-fail-fast
layer wasm-browser   cargo cargo test -p kubeopen-wasm --target wasm32-unknown-unknown --all-features --locked
layer node-package   node  node --experimental-websocket --no-warnings --test --test-reporter=tap tests/node/*.test.mjs
layer consumers      node  node --test --test-reporter=tap --test-concurrency=1 tests/consumers/*.test.mjs
layer e2e-chromium   node  node --test --test-reporter=tap --test-concurrency=1 tests/e2e/*.test.mjs
layer typecheck      check npx --no-install tsc -p tsconfig.json
# Size budgets (scripts/bench-budgets.json) on the built files: deterministic, unlike `make bench`.
layer sizes          check node scripts/bench-sizes.mjs
# The committed API reference (docs/api/) must match the package's .d.ts files.
layer api-docs       check scripts/api-docs.sh --check
# The core's rustdoc builds without a warning (broken links, bad HTML); its examples run in cargo-test.
layer rustdoc        check env RUSTDOCFLAGS="-D warnings" cargo doc -p kubeopen --no-deps --locked
# Node 20 has WebSocket (for WebDriver BiDi) only behind this flag.
layer e2e-firefox    node  node --experimental-websocket --no-warnings --test --test-reporter=tap --test-concurrency=1 tests/firefox/*.test.mjs
layer web-ext-lint   check npx --no-install web-ext lint --source-dir extension/dist/firefox --self-hosted=false --warnings-as-errors
if [ -x scripts/fuzz.sh ]; then
  # Deterministic (fixed seed, bounded runs, fresh corpus): a test run must not fail at random.
  layer fuzz         fuzz  env FUZZ_DETERMINISTIC=1 scripts/fuzz.sh "$FUZZ_SECONDS"
fi

echo "$total_pass passed, $total_fail failed"
[ "$total_fail" -eq 0 ]
