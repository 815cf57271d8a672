#!/usr/bin/env bash
# Builds the npm package's wasm: cargo (size profile) -> wasm-bindgen (web target) -> wasm-opt -Oz
# from npm `binaryen` (never Debian's: it corrupts wasm-bindgen output, TOOLCHAIN.md).
# Skips wasm-bindgen and wasm-opt when cargo's output did not change. `make build` prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=crates/kubeopen-wasm/npm/dist
raw=target/wasm32-unknown-unknown/wasm/kubeopen_wasm.wasm
stamp=$out/.source.sha256
wasm_opt=node_modules/.bin/wasm-opt

die() { echo "build-wasm: $*" >&2; exit 1; }
[ -x "$wasm_opt" ] || die "$wasm_opt is missing: run npm ci (make bootstrap)"

cargo build --quiet -p kubeopen-wasm --target wasm32-unknown-unknown --profile wasm \
  || die "cargo build of kubeopen-wasm for wasm32 failed"

sum=$(sha256sum "$raw" | cut -d' ' -f1)
if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$out/kubeopen_bg.wasm" ]; then
  echo "build-wasm: up to date"
else
  rm -rf "$out" && mkdir -p "$out"
  wasm-bindgen --target web --out-dir "$out" --out-name kubeopen "$raw" \
    || die "wasm-bindgen failed (is wasm-bindgen-cli the same version as the crate? make bootstrap)"
  "$wasm_opt" -Oz "$out/kubeopen_bg.wasm" -o "$out/kubeopen_bg.wasm" || die "wasm-opt -Oz failed"
  rm -f "$out/kubeopen_bg.wasm.d.ts" "$out/.gitignore"
  echo "$sum" > "$stamp"
fi
