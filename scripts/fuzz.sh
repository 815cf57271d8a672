#!/usr/bin/env bash
# Runs every cargo-fuzz target in fuzz/ for SECONDS each and prints "fuzz TARGET: ok" per
# target; the first target that finds a crash (or does not build) stops the run with a non-zero
# exit. The seeds in fuzz/seeds/TARGET start each run; new inputs go to fuzz/corpus/TARGET
# (git-ignored), crashes to fuzz/artifacts/TARGET.
# Needs the nightly toolchain (libFuzzer's sanitizer flags); installs cargo-fuzz only if missing.
set -euo pipefail

die() { echo "fuzz: $*" >&2; exit 1; }

seconds="${1:-}"
[[ "$seconds" =~ ^[1-9][0-9]*$ ]] || die "usage: scripts/fuzz.sh SECONDS (a whole number of seconds per target)"

root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$root"

rustup toolchain list 2>/dev/null | grep -q '^nightly' \
  || die "the nightly toolchain is missing (rustup toolchain install nightly); cargo fuzz needs it"
if ! cargo +nightly fuzz --version >/dev/null 2>&1; then
  echo "fuzz: installing cargo-fuzz (once, about a minute)"
  cargo install --quiet cargo-fuzz || die "could not install cargo-fuzz from crates.io"
fi

targets="$(cargo +nightly fuzz list)" || die "cargo fuzz list failed in $root/fuzz"
[ -n "$targets" ] || die "no fuzz targets in $root/fuzz"

# Build first, so a compile error is reported as one and not as a crash.
build_log="$(mktemp)"
if ! cargo +nightly fuzz build >"$build_log" 2>&1; then
  tail -n 40 "$build_log" >&2
  die "the fuzz targets do not build (full log: $build_log)"
fi
rm -f "$build_log"

# FUZZ_DETERMINISTIC=1 (what `make test` uses): a fixed seed, at most FUZZ_RUNS inputs and a
# fresh corpus from the committed seeds only, so every run — a developer's, CI's — explores the
# same inputs in the same order (a slower machine explores a prefix of them). Random exploration
# that may find new bugs is for a plain `scripts/fuzz.sh SECONDS`, which keeps its corpus.
deterministic="${FUZZ_DETERMINISTIC:-0}"
for target in $targets; do
  seeds="$root/fuzz/seeds/$target"
  extra=()
  if [ "$deterministic" = 1 ]; then
    corpus="$(mktemp -d)"
    extra=(-seed=1 -runs="${FUZZ_RUNS:-5000}")
  else
    corpus="$root/fuzz/corpus/$target"
    mkdir -p "$corpus"
  fi
  log="$(mktemp)"
  corpora=("$corpus")
  [ -d "$seeds" ] && corpora+=("$seeds")
  if cargo +nightly fuzz run "$target" "${corpora[@]}" -- -max_total_time="$seconds" "${extra[@]}" >"$log" 2>&1; then
    echo "fuzz $target: ok"
    rm -f "$log"
    if [ "$deterministic" = 1 ]; then rm -rf "$corpus"; fi
  else
    tail -n 40 "$log" >&2
    die "$target found a failing input: see above (full log: $log; the input is under fuzz/artifacts/$target/)"
  fi
done
