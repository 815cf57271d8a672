#!/usr/bin/env bash
# Builds the npm package's two wasm modules from crates/kubeopen-wasm: cargo (size profile) ->
# wasm-bindgen (web target) -> wasm-opt -Oz from npm `binaryen` (never Debian's: it corrupts
# wasm-bindgen output, TOOLCHAIN.md).
#   kubeopen          default features (`url`): the `kubeopen` entry
#   kubeopen_cluster  `--no-default-features --features cluster`: the `kubeopen/cluster` entry
# Each module has its own cargo target dir, so both stay cached; wasm-bindgen and wasm-opt are
# skipped for a module whose cargo output did not change. Then the package's JavaScript is built
# around the glue (crates/kubeopen-wasm/npm/build.mjs). `make build` prints the sizes.
set -euo pipefail
cd "$(dirname "$0")/.."

out=crates/kubeopen-wasm/npm/dist
wasm_opt=node_modules/.bin/wasm-opt

die() { echo "build-wasm: $*" >&2; exit 1; }
[ -x "$wasm_opt" ] || die "$wasm_opt is missing: run npm ci (make bootstrap)"
mkdir -p "$out"

# build NAME TARGET_DIR CARGO_FEATURE_ARGS...
build() {
  local name=$1 target_dir=$2; shift 2
  local raw=$target_dir/wasm32-unknown-unknown/wasm/kubeopen_wasm.wasm
  local stamp=$out/.$name.source.sha256
  cargo build --quiet -p kubeopen-wasm --target wasm32-unknown-unknown --profile wasm \
    --target-dir "$target_dir" "$@" \
    || die "cargo build of kubeopen-wasm ($name) for wasm32 failed"
  local sum
  sum=$(sha256sum "$raw" | cut -d' ' -f1)
  if [ -f "$stamp" ] && [ "$(cat "$stamp")" = "$sum" ] && [ -f "$out/${name}_bg.wasm" ]; then
    echo "build-wasm: $name up to date"
    return
  fi
  rm -f "$out/$name.js" "$out/$name.d.ts" "$out/${name}_bg.wasm" "$stamp"
  wasm-bindgen --target web --out-dir "$out" --out-name "$name" "$raw" \
    || die "wasm-bindgen failed (is wasm-bindgen-cli the same version as the crate? make bootstrap)"
  "$wasm_opt" -Oz "$out/${name}_bg.wasm" -o "$out/${name}_bg.wasm" || die "wasm-opt -Oz failed ($name)"
  rm -f "$out/${name}_bg.wasm.d.ts" "$out/.gitignore"
  echo "$sum" > "$stamp"
}

# The old single-module stamp (before the cluster module existed).
rm -f "$out/.source.sha256"
build kubeopen target
# The cluster module is not on a hot path (a kubeconfig, a few API answers): optimised for size,
# which measured 163 KB gzipped against 190 KB at the profile's opt-level 3 (and 174 KB at "s").
CARGO_PROFILE_WASM_OPT_LEVEL=z build kubeopen_cluster target/wasm-cluster --no-default-features --features cluster

# The package's JavaScript: src/ and the glue above, built into dist/ (one file per entry, two
# shared chunks; crates/kubeopen-wasm/npm/build.mjs says why). Fast: always run.
node crates/kubeopen-wasm/npm/build.mjs || die "the npm package's JavaScript build failed"
