#!/usr/bin/env bash
# `make bench`: the pipeline on 1,000,000 generated orders, ours (native and in headless Chromium)
# against the peer (pandas + lifetimes, and polars for the import), one table printed and written
# to bench/RESULTS.md.
#
# Two files of 1,000,000 orders (bench/gen.py): orders_1m (mixed customers) and orders_1m_steady
# (one kind of customer). The browser and the peer run alternately in one loop, BENCH_RUNS rounds
# (default 3), each round one browser run and one peer run per file, their order swapped every
# round; /proc/loadavg is recorded before and after every run. A browser run that has not reached
# the end after BENCH_TIMEOUT seconds (default 120) is recorded as timed out and the bench goes
# on. The native benches (criterion, 10 samples each) run once before the loop.
# Installs what it needs, skipping what is there.
set -euo pipefail
cd "$(dirname "$0")/.."

RUNS=${BENCH_RUNS:-3}
TIMEOUT=${BENCH_TIMEOUT:-120}
TARGET=${CARGO_TARGET_DIR:-target}
OUT=bench/data/out
SETS=(orders_1m orders_1m_steady)
log() { printf '[bench] %s\n' "$*" >&2; }
load1() { cut -d' ' -f1-3 /proc/loadavg | tr ' ' ','; }

log "test data"
python3 bench/gen.py

# The peer's packages: only the missing ones are installed (lifetimes needs setuptools < 82).
missing=()
[ -x bench/.venv/bin/python ] || python3 -m venv bench/.venv
for module in pandas lifetimes polars; do
  bench/.venv/bin/python -c "import $module" >/dev/null 2>&1 || missing+=("$module")
done
if [ ${#missing[@]} -gt 0 ]; then
  log "installing the peer's ${missing[*]} into bench/.venv"
  extra=()
  [[ " ${missing[*]} " == *" lifetimes "* ]] && extra+=("setuptools<82")
  bench/.venv/bin/pip install --quiet --disable-pip-version-check "${missing[@]}" "${extra[@]}"
fi

make --no-print-directory setup
log "building the release app"
built=1
make --no-print-directory build || { built=0; log "the release build failed: no browser figures"; }

mkdir -p "$OUT"
# The load before the run, for the record: the machine may be shared.
cut -d' ' -f1-3 /proc/loadavg > "$OUT/loadavg-start"
rm -f "$OUT"/*.json "$OUT"/runs.tsv "$OUT"/*.log "$OUT"/loadavg-end
# Fresh medians only: a bench that no longer runs must not leave an old figure behind.
rm -rf "$TARGET/criterion/import" "$TARGET/criterion/analyse" "$TARGET/criterion/predict"

log "native: criterion benches of the core"
cargo bench -p ltv-core --bench pipeline 2>&1 | tee "$OUT/native.log" >&2 \
  || log "the native bench failed; its stages show as missing"

# The worker's stages one at a time in WebAssembly outside the browser (Node's V8, WASI): a
# figure for each stage, steadier than the browser's (bench/wasm-stages/src/main.rs).
log "WebAssembly outside the browser: the worker's stages"
rustup target list --installed | grep -qx wasm32-wasip1 || rustup target add wasm32-wasip1
STAGES_TARGET=${CARGO_TARGET_DIR:-bench/wasm-stages/target}
if cargo build --release --target wasm32-wasip1 --manifest-path bench/wasm-stages/Cargo.toml >&2; then
  for set in "${SETS[@]}"; do
    node --no-warnings bench/wasm-stages.mjs "$STAGES_TARGET/wasm32-wasip1/release/wasm-stages.wasm" \
      "bench/data/$set.csv" "${STAGES_ROUNDS:-5}" > "$OUT/wasm-stages-$set.json" \
      || log "the stages in WebAssembly failed on $set"
  done
else
  log "the stages in WebAssembly did not build: their lines show as missing"
fi

# One run of KIND (browser or peer) on SET in ROUND: its JSON in $OUT, one line in runs.tsv:
# kind, set, round, load before, load after (1, 5, 15 min, comma-separated), wall ms, exit code.
one() {
  local kind=$1 set=$2 round=$3 file=bench/data/$2.csv json=$OUT/$1-$2-$3.json
  local before after t0 rc=0
  before=$(load1)
  t0=$(date +%s%N)
  if [ "$kind" = browser ]; then
    local extras=()
    # The first-load and cancel timings once a round, on the first file only.
    [ "$set" = orders_1m ] || extras+=(--no-extras)
    timeout --kill-after=20 $((TIMEOUT + 240)) \
      node bench/browser.mjs "$file" 1 --timeout "$TIMEOUT" "${extras[@]}" > "$json" 2>> "$OUT/browser.log" || rc=$?
  else
    local jp=()
    [ "$set" = orders_1m ] && jp+=(bench/data/jp_export_300k_cp932.csv)
    timeout --kill-after=20 900 \
      bench/.venv/bin/python bench/peer.py "$file" 1 "${jp[@]}" > "$json" 2>> "$OUT/peer.log" || rc=$?
  fi
  after=$(load1)
  printf '%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$kind" "$set" "$round" "$before" "$after" \
    "$(( ($(date +%s%N) - t0) / 1000000 ))" "$rc" >> "$OUT/runs.tsv"
  log "$kind on $set, round $round: exit $rc, load $before → $after"
}

for round in $(seq 1 "$RUNS"); do
  for set in "${SETS[@]}"; do
    if [ "$built" = 1 ] && [ $((round % 2)) = 1 ]; then
      one browser "$set" "$round"; one peer "$set" "$round"
    elif [ "$built" = 1 ]; then
      one peer "$set" "$round"; one browser "$set" "$round"
    else
      one peer "$set" "$round"
    fi
  done
done

if [ "$built" = 1 ]; then
  # About 1 GB: the 1M-row file 42 times over (42,000,000 orders of the same customers), the
  # shortest rows and so the most rows a gigabyte holds.
  big=bench/data/orders_42m.csv
  if [ ! -s "$big" ]; then
    { head -1 bench/data/orders_1m.csv; for _ in $(seq 42); do tail -n +2 bench/data/orders_1m.csv; done; } \
      > "$big"
  fi
  rm -f bench/data/orders_8m.csv
  log "browser: one import of a $(( $(stat -c %s "$big") / 1000000 )) MB file"
  node bench/browser.mjs --big "$big" --timeout 600 > "$OUT/big.json" \
    || log "the large-file run failed; its line shows as missing"
  # A phone's first visit to the 診断: dist/ served brotli-compressed, slow 4G, the CPU 4×
  # slower, a cold cache each run (PHONE_RUNS runs, default 5, after one not counted).
  log "browser: a phone's first visit to the 診断, ${PHONE_RUNS:-5} runs"
  node bench/browser.mjs --phone "${PHONE_RUNS:-5}" > "$OUT/phone.json" 2>> "$OUT/browser.log" \
    || log "the phone run failed; its line shows as missing"
  # Where the time goes in the browser: the workers' stage marks and the page's measures, in ms
  # after the click (STAGE_RUNS runs a file, default 3).
  for set in "${SETS[@]}"; do
    log "browser: the workers' stages on $set, ${STAGE_RUNS:-3} runs"
    timeout --kill-after=20 600 node bench/worker-stages.mjs "bench/data/$set.csv" "${STAGE_RUNS:-3}" \
      > "$OUT/worker-stages-$set.json" 2>> "$OUT/browser.log" \
      || log "the workers' stages on $set failed; their line shows as missing"
  done
fi

cut -d' ' -f1-3 /proc/loadavg > "$OUT/loadavg-end"
make --no-print-directory size > "$OUT/size.txt" 2>/dev/null || true
python3 bench/table.py "$TARGET/criterion" "$OUT" bench/RESULTS.md
log "written to bench/RESULTS.md"
