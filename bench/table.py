#!/usr/bin/env python3
"""Puts the three measurements side by side: prints one table and writes bench/RESULTS.md.

Reads criterion's medians (CRITERION_DIR/<group>/<bench>/new/estimates.json), the peer's JSON
and the browser harness's JSON. A stage that was not measured shows as "—" and is named under
the table. Usage: table.py CRITERION_DIR PEER_JSON BROWSER_JSON RESULTS_MD
"""

import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys

HERE = os.path.dirname(os.path.abspath(__file__))


def criterion_median_s(root, group, bench):
    path = os.path.join(root, group, bench, "new", "estimates.json")
    try:
        with open(path) as f:
            return json.load(f)["median"]["point_estimate"] / 1e9
    except (OSError, KeyError, ValueError):
        return None


def load(path):
    try:
        with open(path) as f:
            return json.load(f)
    except (OSError, ValueError):
        return None


def read(path):
    try:
        with open(path) as f:
            return f.read().strip()
    except OSError:
        return None


def fmt_s(x):
    if x is None:
        return "—"
    return f"{x * 1000:,.0f} ms" if x < 10 else f"{x:,.1f} s"


def ratio(peer, ours):
    if peer is None or ours is None or ours <= 0:
        return "—"
    return f"{peer / ours:,.1f}×"


def machine():
    cpu = "unknown"
    mem_kb = None
    try:
        with open("/proc/cpuinfo") as f:
            for line in f:
                if line.startswith("model name"):
                    cpu = line.split(":", 1)[1].strip()
                    break
        with open("/proc/meminfo") as f:
            for line in f:
                if line.startswith("MemTotal:"):
                    mem_kb = int(line.split()[1])
    except OSError:
        pass
    mem = f"{mem_kb / 1024 / 1024:.0f} GiB" if mem_kb else "unknown"
    return f"{os.cpu_count()} CPUs (nproc {nproc()}), {mem} memory, {cpu}, {platform.system()} {platform.release()}"


def nproc():
    try:
        return subprocess.run(["nproc"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "?"


def rustc():
    try:
        return subprocess.run(["rustc", "--version"], capture_output=True, text=True).stdout.strip()
    except OSError:
        return "rustc ?"


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()[:16]


def main():
    crit, peer_path, browser_path, out_path = sys.argv[1:5]
    peer = load(peer_path)
    browser = load(browser_path)
    notes = []

    native = {
        "import": criterion_median_s(crit, "import", "orders_1m"),
        "analyse": criterion_median_s(crit, "analyse", "orders_1m"),
        "model": criterion_median_s(crit, "predict", "orders_1m"),
    }
    native_jp = criterion_median_s(crit, "import", "jp_export_300k_cp932")
    for stage, v in native.items():
        if v is None:
            notes.append(f"native {stage}: not measured (the criterion bench did not run or failed)")
    native_total = sum(v for v in native.values() if v is not None)
    native_complete = all(v is not None for v in native.values())

    if browser:
        ms = browser["median_ms"]
        sec = lambda k: None if ms.get(k) is None else ms[k] / 1000  # noqa: E731
        web = {"import": sec("ltv:import"), "analyse": sec("ltv:analyse"), "model": sec("ltv:predict")}
        web_total = sec("ltv:pipeline")
        if web_total is None and browser.get("done_flag"):
            web_total = sec("harness")
            notes.append(
                "browser total: the app records no `ltv:pipeline` measure; timed by the harness from "
                "the click on 取り込む to `data-pipeline=\"done\"`"
            )
        if not browser.get("done_flag"):
            # Without the app's end flag the harness saw the import report only: that time is an
            # import time, never a total to set against the peer's whole pipeline.
            if web["import"] is None:
                web["import"] = sec("harness")
                notes.append(
                    "browser import: the app records no `ltv:import` measure; timed by the harness "
                    "from the click on 取り込む to the import report on screen"
                )
            if web_total is None:
                notes.append(
                    "browser total: the app does not set `document.body.dataset.pipeline = \"done\"` "
                    "nor record `ltv:pipeline`, so the end of the whole pipeline could not be timed"
                )
        if browser.get("missing_measures"):
            notes.append("browser: measures missing from the app: " + ", ".join(
                f"`{m}`" for m in browser["missing_measures"]))
    else:
        web = {"import": None, "analyse": None, "model": None}
        web_total = None
        notes.append("browser: not measured (the harness failed; see its log)")

    if peer:
        pm = peer["median"]
        peer_stages = {
            "import": pm["import"],
            "analyse": pm["analyse"],
            "model": pm["summary"] + pm["fit_bgnbd"] + pm["fit_gg"] + pm["predict"],
        }
        peer_total = peer["total_median"]
    else:
        peer_stages = {"import": None, "analyse": None, "model": None}
        peer_total = None
        notes.append("peer: not measured (see its log)")

    label = {
        "import": "import (CSV → orders)",
        "analyse": "analyse (per-customer aggregates, RFM, …)",
        "model": "model (BG/NBD + Gamma-Gamma fit, predictions)",
    }
    rows = [
        "| stage | ours, native | ours, in Chromium | peer: pandas + lifetimes | peer ÷ native | peer ÷ Chromium |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for s in ["import", "analyse", "model"]:
        rows.append(
            f"| {label[s]} | {fmt_s(native[s])} | {fmt_s(web[s])} | {fmt_s(peer_stages[s])} | "
            f"{ratio(peer_stages[s], native[s])} | {ratio(peer_stages[s], web[s])} |"
        )
    total_native = native_total if native_complete else None
    rows.append(
        f"| **total** | **{fmt_s(total_native)}** | **{fmt_s(web_total)}** | **{fmt_s(peer_total)}** | "
        f"**{ratio(peer_total, total_native)}** | **{ratio(peer_total, web_total)}** |"
    )
    table = "\n".join(rows)

    extra = []
    peer_jp = peer.get("import_jp_median") if peer else None
    if native_jp is not None or peer_jp is not None:
        extra.append(
            f"- Import of the 300,000-line cp932 Japanese export (encoding, yen in five spellings, "
            f"emails folded, one order per 注文番号): ours native {fmt_s(native_jp)}, peer (pandas "
            f"read_csv + str cleaning + NFKC + drop_duplicates) {fmt_s(peer_jp)}, peer ÷ native "
            f"{ratio(peer_jp, native_jp)}."
        )
    if peer:
        pm = peer["median"]
        f = peer["facts"]
        extra.append(
            "- Peer stages (medians): "
            + ", ".join(f"{k} {fmt_s(v)}" for k, v in pm.items())
            + f"; peak RSS {peer['peak_rss_mb']:.0f} MB; {f['customers']:,} customers, "
            f"{f['repeat_customers']:,} repeat; BG/NBD r={f['bgnbd']['r']:.3f} α={f['bgnbd']['alpha']:.3f} "
            f"a={f['bgnbd']['a']:.3f} b={f['bgnbd']['b']:.3f}; Gamma-Gamma p={f['gamma_gamma']['p']:.2f} "
            f"q={f['gamma_gamma']['q']:.2f} γ={f['gamma_gamma']['v']:.0f}."
        )
        v = peer["versions"]
        extra.append(
            f"- Peer versions: Python {v['python']}, pandas {v['pandas']}, numpy {v['numpy']}, "
            f"scipy {v['scipy']}, lifetimes {v['lifetimes']}; {peer['runs']} runs in one process."
        )
    if browser:
        size = os.path.getsize(browser["file"]) if os.path.exists(browser["file"]) else None
        wasm = browser.get("max_worker_wasm_bytes")
        mem = "not readable" if wasm is None else f"{wasm / 1e6:,.0f} MB"
        if wasm is not None and size:
            mem += f" ({wasm / size:.1f} × the file's {size / 1e6:.1f} MB)"
        lt = (
            f"longest {browser['longest_longtask_ms']:.0f} ms over all runs (median of the runs' "
            f"longest {browser['median_longest_longtask_ms']:.0f} ms), median count "
            f"{browser['median_longtask_count']:.0f}"
            if browser.get("longtask_supported")
            else "not supported by this Chromium"
        )
        heap = browser.get("median_js_heap_used_bytes")
        app_wasm = browser.get("max_app_wasm_bytes")
        extra.append(f"- Chromium {browser.get('chromium')}, headless, {browser['runs']} runs, a fresh page each.")
        extra.append(f"- Main-thread long tasks between the click and the end: {lt}.")
        extra.append(
            f"- Peak WebAssembly memory of the worker: {mem}; page JS heap at the end "
            f"{'—' if heap is None else f'{heap / 1e6:.1f} MB'}; page wasm memory "
            f"{'—' if app_wasm is None else f'{app_wasm / 1e6:.1f} MB'}."
        )
        if browser.get("median_refresh_ms") is not None:
            extra.append(
                f"- A segment threshold changed on the imported 1M orders, from the change to the "
                f"next frame with every view updated: median {browser['median_refresh_ms']:.0f} ms, "
                f"longest {browser['max_refresh_ms']:.0f} ms (no re-reading of the file)."
            )
        if browser.get("median_first_figure_ms") is not None:
            extra.append(
                f"- First load of the 診断 page at phone width: the first LTV figure on screen "
                f"{browser['median_first_figure_ms']:.0f} ms after navigation (median; load event "
                f"at {browser['median_load_event_ms']:.0f} ms). A running import cancelled: the "
                f"page says so {browser['max_cancel_ms']:.0f} ms after the click (longest)."
            )
        if browser.get("problems"):
            extra.append("- Browser problems: " + "; ".join(browser["problems"][:5]))

    big = load(os.path.join(os.path.dirname(peer_path), "big.json"))
    if big:
        wasm = big.get("workerWasmBytes")
        size = os.path.getsize(big["file"]) if os.path.exists(big["file"]) else None
        mem = "not readable" if wasm is None else f"{wasm / 1e6:,.0f} MB of worker memory"
        if wasm is not None and size:
            mem += f" ({wasm / size:.1f} × the file)"
        what = "completed" if big["outcome"] == "done" else big["outcome"]
        extra.append(
            f"- A {size / 1e6:,.0f} MB file ({big.get('rowsRead') or '?'} rows) in Chromium: "
            f"{what} in {big['ms'] / 1000:.1f} s, {mem}; tab crashed: "
            f"{'yes' if big.get('crashed') else 'no'}."
        )
    sizes = read(os.path.join(os.path.dirname(peer_path), "size.txt"))
    if sizes:
        found = re.findall(r"dist/(\S+?):.*?(\d+) bytes gzipped", sizes)
        gz = [int(n) for _, n in found]
        parts = "; ".join(f"{name} {int(n) / 1000:.0f} KB" for name, n in found)
        extra.append(f"- WebAssembly shipped, gzipped: {sum(gz) / 1000:.0f} KB in all ({parts}).")

    data = os.path.join(HERE, "data")
    hashes = ", ".join(
        f"`{name}` sha256 {sha256(os.path.join(data, name))}…"
        for name in ["orders_1m.csv", "jp_export_300k_cp932.csv"]
        if os.path.exists(os.path.join(data, name))
    )
    load_start = read(os.path.join(os.path.dirname(peer_path), "loadavg-start"))
    load_end = read("/proc/loadavg")
    load_end = " ".join(load_end.split()[:3]) if load_end else "?"
    extra.append(f"- Load average (1, 5, 15 min) before the run: {load_start or '?'}; after: {load_end}.")
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    body = f"""# Benchmark results

Taken {now} by `make bench` on: {machine()}; {rustc()}.

1,000,000 orders of about 192,000 customers over 2 years (`bench/data/orders_1m.csv`, made by
`bench/gen.py` with a fixed seed; {hashes}). Each figure is the median of several runs.

{table}

- **ours, native**: criterion benches `core/benches/pipeline.rs` (release profile: the core at
  `opt-level = 3`, LTO; the file read into memory first, each later stage from the imported table).
- **ours, in Chromium**: `bench/browser.mjs`: the release build in headless Chromium, the file uploaded
  through the page; the stages are the app's `ltv:*` performance measures, the total is from the click
  on 取り込む until everything is on screen. The analysis and the model are asked for together and
  run one after the other in the one worker, so the model's measure includes the wait for the
  analysis.
- **peer**: `bench/peer.py`: pandas `read_csv` (import), groupby + `qcut` RFM quintiles (analyse),
  lifetimes `summary_data_from_transaction_data` + `BetaGeoFitter` + `GammaGammaFitter` + per-customer
  expected purchases, P(alive), expected order value and 12-month CLV (model).
{chr(10).join(extra)}
""" + ("\nNot measured or measured differently:\n" + "\n".join(f"- {n}" for n in notes) + "\n" if notes else "") + """
Caveats: the machine may be shared with other builds; when the load average above exceeds the
number of CPUs, every column is slowed, by tens of percent, and unevenly between stages. The
import rows are not like for like: `read_csv` only parses, while the app's import also detects
the encoding and columns, validates every value, merges customers and accounts for every row in
its report. The peer's `read_csv` reads the file through the OS page cache, warm after the first
run, as the app's import reads bytes already in memory (native) or a `File` the browser holds
(Chromium); no stage of either side is cached between runs.
"""
    print(table)
    for line in extra:
        print(line)
    for n in notes:
        print("note:", n)
    with open(out_path, "w") as f:
        f.write(body)


if __name__ == "__main__":
    main()
