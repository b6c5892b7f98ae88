#!/usr/bin/env bash
# Installs what building and testing LTV診断 needs, skipping whatever is already there.
# Safe to run again and again: every step checks first.
set -euo pipefail
cd "$(dirname "$0")/.."

TRUNK_VERSION=0.21.14
BINARYEN_NPM_VERSION=132.0.0

log() { printf '[setup] %s\n' "$*"; }

# wasm-bindgen-cli must match the wasm-bindgen crate in Cargo.lock exactly.
wasm_bindgen_version() {
  awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock
}

need_apt=()
command -v chromium >/dev/null 2>&1 || need_apt+=(chromium)
command -v chromedriver >/dev/null 2>&1 || need_apt+=(chromium-driver)
# A Japanese font, so that screenshots show the page as a Japanese user sees it.
fc-list 2>/dev/null | grep -qi 'IPAGothic' || need_apt+=(fonts-ipafont-gothic)
if [ ${#need_apt[@]} -gt 0 ]; then
  log "installing ${need_apt[*]} from Debian"
  export DEBIAN_FRONTEND=noninteractive
  apt-get update -qq
  apt-get install -y -qq "${need_apt[@]}" >/dev/null
fi

if ! rustup target list --installed | grep -qx wasm32-unknown-unknown; then
  log "adding the wasm32-unknown-unknown target"
  rustup target add wasm32-unknown-unknown
fi

if ! trunk --version 2>/dev/null | grep -q " ${TRUNK_VERSION}\$"; then
  log "installing trunk ${TRUNK_VERSION} (a few minutes)"
  cargo install --locked trunk --version "${TRUNK_VERSION}"
fi

WB=$(wasm_bindgen_version)
if ! wasm-bindgen --version 2>/dev/null | grep -q " ${WB}\$" \
   || ! command -v wasm-bindgen-test-runner >/dev/null 2>&1; then
  log "installing wasm-bindgen-cli ${WB}"
  # Without --locked: its own lockfile pins a crate version the registry no longer serves.
  cargo install wasm-bindgen-cli --version "${WB}" --force
fi

# npm: playwright-core for the end-to-end tests, binaryen for wasm-opt.
if [ ! -x node_modules/.bin/wasm-opt ] || [ ! -d node_modules/playwright-core ] \
   || [ package-lock.json -nt node_modules/.package-lock.json ]; then
  log "installing npm packages (package-lock.json)"
  npm ci --no-audit --no-fund --loglevel=error
fi
log "ready: $(trunk --version), wasm-bindgen $(wasm-bindgen --version | cut -d' ' -f2), $(node_modules/.bin/wasm-opt --version | head -1), $(chromium --version)"
