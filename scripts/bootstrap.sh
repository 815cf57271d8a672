#!/usr/bin/env bash
# Installs what `make demo` / `make test` need, only when missing. Safe to re-run.
# Each step fails loudly with a one-line reason; nothing is skipped silently.
set -euo pipefail

WASM_BINDGEN_VERSION="${WASM_BINDGEN_VERSION:?set by the Makefile from Cargo.toml}"
need_browsers="${NEED_BROWSERS:-1}"

die() { echo "bootstrap: $*" >&2; exit 1; }
step() { echo "bootstrap: $*"; }

# --- Rust: wasm32 target -------------------------------------------------------
if ! rustup target list --installed 2>/dev/null | grep -qx wasm32-unknown-unknown; then
  step "adding rustup target wasm32-unknown-unknown"
  rustup target add wasm32-unknown-unknown >/dev/null || die "could not add the wasm32-unknown-unknown target (rustup target add failed)"
fi

# --- wasm-bindgen-cli at exactly the crate's version ---------------------------
have_wb="$(wasm-bindgen --version 2>/dev/null | awk '{print $2}' || true)"
if [ "$have_wb" != "$WASM_BINDGEN_VERSION" ]; then
  step "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (was: ${have_wb:-none}); takes 2-3 minutes once"
  # No --locked: its lock file pins a webpki-roots version this registry lacks (TOOLCHAIN.md).
  cargo install --quiet wasm-bindgen-cli --version "$WASM_BINDGEN_VERSION" --force \
    || die "could not install wasm-bindgen-cli $WASM_BINDGEN_VERSION from crates.io"
fi

# --- Debian packages: Chromium + driver, Firefox ESR, Prometheus (a real app) --
if [ "$need_browsers" = 1 ]; then
  missing=()
  [ -x /usr/bin/chromium ] || missing+=(chromium)
  [ -x /usr/bin/chromedriver ] || missing+=(chromium-driver)
  [ -x /usr/bin/firefox-esr ] || missing+=(firefox-esr)
  [ -x /usr/bin/prometheus ] || missing+=(prometheus)
  if [ ${#missing[@]} -gt 0 ]; then
    step "apt-get install ${missing[*]}"
    SUDO=""; [ "$(id -u)" = 0 ] || SUDO="sudo"
    $SUDO apt-get update -qq >/dev/null || die "apt-get update failed (need root or sudo, and Debian's mirror)"
    DEBIAN_FRONTEND=noninteractive $SUDO apt-get install -y -qq --no-install-recommends "${missing[@]}" >/dev/null \
      || die "apt-get install ${missing[*]} failed"
  fi
fi

# --- npm packages from the committed lock file ---------------------------------
stamp=node_modules/.kubeopen-lock-stamp
if [ ! -f "$stamp" ] || ! cmp -s package-lock.json "$stamp"; then
  step "npm ci"
  npm ci --no-audit --no-fund --loglevel=error >/dev/null || die "npm ci failed (is package-lock.json in sync with package.json?)"
  cp package-lock.json "$stamp"
fi
