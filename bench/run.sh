#!/usr/bin/env bash
# `make bench`: the pipeline on 1,000,000 generated orders, ours (native and in headless Chromium)
# against the peer (pandas + lifetimes), one table printed and written to bench/RESULTS.md.
# Installs what it needs, skipping what is there. BENCH_RUNS (default 5): runs of the peer and
# of the browser; the native benches take 10 samples each.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-5}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=bench/data/out
log() { printf '[bench] %s\n' "$*" >&2; }

log "test data"
python3 bench/gen.py

if ! bench/.venv/bin/python -c 'import pandas, lifetimes' >/dev/null 2>&1; then
  log "installing the peer (pandas, lifetimes) into bench/.venv"
  python3 -m venv bench/.venv
  bench/.venv/bin/pip install --quiet --disable-pip-version-check pandas lifetimes "setuptools<82"
fi

make --no-print-directory setup
log "building the release app"
built=1
make --no-print-directory build || { built=0; log "the release build failed: no browser figures"; }

mkdir -p "$OUT"
# The load before the run, for the record: the machine may be shared.
cut -d' ' -f1-3 /proc/loadavg > "$OUT/loadavg-start"
rm -f "$OUT"/*.json
# Fresh medians only: a bench that no longer runs must not leave an old figure behind.
rm -rf "$TARGET/criterion/import" "$TARGET/criterion/analyse" "$TARGET/criterion/predict"

log "native: criterion benches of the core"
cargo bench -p ltv-core --bench pipeline 2>&1 | tee "$OUT/native.log" >&2 \
  || log "the native bench failed; its stages show as missing"

log "peer: pandas + lifetimes, $RUNS runs"
bench/.venv/bin/python bench/peer.py bench/data/orders_1m.csv "$RUNS" \
  bench/data/jp_export_300k_cp932.csv > "$OUT/peer.json" \
  || log "the peer failed; its column shows as missing"

if [ "$built" = 1 ]; then
  log "browser: headless Chromium, $RUNS runs"
  node bench/browser.mjs bench/data/orders_1m.csv "$RUNS" > "$OUT/browser.json" \
    || log "the browser bench failed; its column shows as missing"
fi

if [ "$built" = 1 ]; then
  # About 200 MB: the 1M-row file eight times over (8,000,000 orders of the same customers).
  if [ ! -s bench/data/orders_8m.csv ]; then
    { head -1 bench/data/orders_1m.csv; for _ in 1 2 3 4 5 6 7 8; do tail -n +2 bench/data/orders_1m.csv; done; } \
      > bench/data/orders_8m.csv
  fi
  log "browser: one import of a $(( $(stat -c %s bench/data/orders_8m.csv) / 1000000 )) MB file"
  node bench/browser.mjs --big bench/data/orders_8m.csv > "$OUT/big.json" \
    || log "the large-file run failed; its line shows as missing"
fi

make --no-print-directory size > "$OUT/size.txt" 2>/dev/null || true
python3 bench/table.py "$TARGET/criterion" "$OUT/peer.json" "$OUT/browser.json" bench/RESULTS.md
log "written to bench/RESULTS.md"
