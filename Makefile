# kubeopen — the two commands a newcomer needs: `make demo` and `make test`.
# Both install what is missing first (scripts/bootstrap.sh), idempotently.
SHELL := /bin/bash
.SHELLFLAGS := -euo pipefail -c

# wasm-bindgen-cli must equal the crate's exact pin in Cargo.toml.
WASM_BINDGEN_VERSION := $(shell sed -n 's/^wasm-bindgen = "=\(.*\)"/\1/p' Cargo.toml)
export WASM_BINDGEN_VERSION

.PHONY: demo test bench build bootstrap wasm extension www sandbox clean

## demo: build everything, start the sandbox cluster and the www page; Ctrl-C stops both
demo: build
	@scripts/demo.sh

## test: every test layer; ends with "N passed, N failed"
test: build
	@scripts/test.sh

## bench: every benchmark beside its same-run baseline and budget; writes BENCHMARKS.md (< 10 min).
## Not part of `make test` (timings are not deterministic); the size budgets are.
bench: build
	@node scripts/bench.mjs

build: bootstrap wasm extension www sandbox
	@scripts/size-report.sh $(filter-out %/kubeopen.js %/kubeopen_cluster.js,$(wildcard crates/kubeopen-wasm/npm/dist/*.wasm \
		crates/kubeopen-wasm/npm/dist/*.js crates/kubeopen-wasm/npm/dist/*.mjs extension/dist/*/vendor/kubeopen/dist/*.wasm www/dist/assets/*.wasm))

bootstrap:
	@scripts/bootstrap.sh

wasm: bootstrap
	@scripts/build-wasm.sh

extension: wasm
	@node extension/build.mjs
	@node extension/package.mjs

www: wasm
	@npx --no-install vite build www --logLevel warn
	@echo "www: built www/dist"

sandbox:
	@cargo build --quiet --locked -p kubeopen-sandbox
	@echo "sandbox: built target/debug/kubeopen-sandbox"

clean:
	cargo clean
	rm -rf crates/kubeopen-wasm/npm/dist extension/dist www/dist tests/.artifacts
