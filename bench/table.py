#!/usr/bin/env python3
"""Puts the measurements side by side: prints the tables and the issue's goals, writes RESULTS.md.

Reads criterion's medians (CRITERION_DIR/<group>/<bench>/new/estimates.json) and, from OUT_DIR,
the interleaved runs of bench/run.sh: runs.tsv (one line a run: kind, file, round, load average
before and after, wall ms, exit code) and each run's JSON (<kind>-<file>-<round>.json, from
bench/browser.mjs or bench/peer.py). Every figure is a median over the runs, with the range of
the 1-minute load average recorded beside those runs. A figure that was not measured shows as
"—", a browser run that timed out as "> N s", and both are named under the tables.
Usage: table.py CRITERION_DIR OUT_DIR RESULTS_MD
"""

import datetime
import hashlib
import json
import os
import platform
import re
import subprocess
import sys
from statistics import median as _median

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


SETS = {
    "orders_1m": "mixed customers",
    "orders_1m_steady": "one kind of customer",
}
INF = float("inf")
# The goals; each judged from the figures below, never from a literal.
GOAL_SCREEN_S = 0.5
GOAL_PEER_RATIO = 10.0
GOAL_IMPORT_VS_POLARS = 2.0
GOAL_MEMORY_RATIO = 4.0
GOAL_LONGTASK_MS = 50.0
GOAL_REFRESH_MS = 100.0
GOAL_BIG_BYTES = 1e9
GOAL_BIG_MEMORY_RATIO = 1.5
GOAL_PHONE_FIRST_FIGURE_MS = 1200.0


def median(xs):
    v = [x for x in xs if x is not None]
    return _median(v) if v else None


def fmt_t(x, timeout=None):
    """Seconds, or "> N s" for a run that timed out."""
    if x == INF:
        return f"> {timeout:,.0f} s" if timeout else "timed out"
    return fmt_s(x)


def fmt_ratio(peer, ours, timeout=None):
    if peer is None or ours is None or ours <= 0:
        return "—"
    if ours == INF:
        return f"< {peer / timeout:,.1f}×" if timeout else "—"
    return f"{peer / ours:,.1f}×"


def runs_of(out_dir):
    rows = []
    try:
        with open(os.path.join(out_dir, "runs.tsv")) as f:
            lines = [line.rstrip("\n").split("\t") for line in f if line.strip()]
    except OSError:
        return rows
    for kind, name, rnd, before, after, ms, rc in lines:
        rows.append({
            "kind": kind, "set": name, "round": int(rnd),
            "before": [float(x) for x in before.split(",")],
            "after": [float(x) for x in after.split(",")],
            "wall_s": int(ms) / 1000, "rc": int(rc),
            "data": load(os.path.join(out_dir, f"{kind}-{name}-{rnd}.json")),
        })
    return rows


def load_range(rows):
    xs = [r["before"][0] for r in rows] + [r["after"][0] for r in rows]
    return f"{min(xs):.2f}–{max(xs):.2f}" if xs else "?"


def browser_figures(rows):
    """The medians of one file's browser runs (one run per invocation of browser.mjs)."""
    each, loads, problems, notes = [], [], [], []
    timeout, chromium = None, None
    for r in rows:
        d = r["data"]
        if not d:
            what = "killed by the bench's own time limit" if r["rc"] in (124, 137) else f"exit {r['rc']}"
            notes.append(f"round {r['round']}: no result ({what}; see bench/data/out/browser.log)")
            continue
        timeout = d.get("timeout_s", timeout)
        chromium = d.get("chromium", chromium)
        each.extend(d.get("each", []))
        loads.extend(d.get("loads", []))
        problems.extend(d.get("problems", []))
        notes.extend(f"round {r['round']}: {f}" for f in d.get("failed", []))
    if not each:
        return None, notes

    def stage(e, name):
        v = e["measures"].get(name)
        if v is not None:
            return v / 1000
        return INF if e.get("timedOut") else None

    def total(e):
        if e.get("timedOut"):
            return INF
        v = e["measures"].get("ltv:pipeline")
        if v is None and e.get("done"):
            v = e.get("harnessMs")
        return None if v is None else v / 1000

    finished = [e for e in each if not e.get("timedOut")]
    wasm = [e.get("workerWasmBytes") for e in finished if e.get("workerWasmBytes") is not None]
    refresh = [e.get("refreshMs") for e in finished]
    longest = [e["longestLongtaskMs"] for e in finished if e.get("longtaskSupported")]
    notes.extend(f"the threshold change: {e['refreshError']}" for e in finished if e.get("refreshError"))
    return {
        "runs": len(each),
        "timed_out": len(each) - len(finished),
        "timeout": timeout,
        "chromium": chromium,
        "import": median([stage(e, "ltv:import") for e in each]),
        "analyse": median([stage(e, "ltv:analyse") for e in each]),
        "model": median([stage(e, "ltv:predict") for e in each]),
        "total": median([total(e) for e in each]),
        "every_part": median([stage(e, "ltv:every-part") for e in each]),
        "all_done_flag": all(e.get("done") for e in finished),
        "longest_task_ms": max(longest) if longest else None,
        "median_longest_task_ms": median(longest),
        "median_longtask_count": median([e["longtaskCount"] for e in finished]),
        "refresh_ms": median(refresh),
        "max_refresh_ms": max([x for x in refresh if x is not None], default=None),
        "worker_wasm": max(wasm) if wasm else None,
        "js_heap": median([e.get("jsHeapUsedBytes") for e in finished]),
        "app_wasm": max([e.get("appWasmBytes") or 0 for e in finished], default=None) or None,
        "first_figure_ms": median([l["firstFigureMs"] for l in loads]),
        "load_event_ms": median([(l.get("nav") or {}).get("load") for l in loads]),
        "cancel_ms": max([l["cancelMs"] for l in loads if l.get("cancelMs") is not None], default=None),
        "problems": problems,
    }, notes


def peer_figures(rows):
    """The medians of one file's peer runs (one run per invocation of peer.py)."""
    seconds, notes = {}, []
    facts = versions = ways = None
    rss, runs = [], 0
    for r in rows:
        d = r["data"]
        if not d:
            notes.append(f"round {r['round']}: no result (exit {r['rc']}; see bench/data/out/peer.log)")
            continue
        runs += d["runs"]
        for k, v in d["seconds"].items():
            seconds.setdefault(k, []).extend(v)
        facts, versions, ways = d["facts"], d["versions"], d["ways"]
        rss.append(d["peak_rss_mb"])
    if not runs:
        return None, notes

    def per_run(stages):
        return median([sum(seconds[s][i] for s in stages) for i in range(runs)])

    model = {w: [s for s in stages if s not in ("import", "analyse")] for w, stages in ways.items()}
    return {
        "runs": runs,
        "median": {k: median(v) for k, v in seconds.items()},
        "import": median(seconds["import"]),
        "analyse": median(seconds["analyse"]),
        "model": {w: per_run(stages) for w, stages in model.items()},
        "total": {w: per_run(stages) for w, stages in ways.items()},
        "polars_import": median(seconds["polars_import"]),
        "import_jp": median(seconds.get("import_jp", [])),
        "facts": facts,
        "versions": versions,
        "peak_rss_mb": max(rss),
        "ways": ways,
    }, notes


def verdict(checks):
    """checks: (True | False | None) per file; None where the figure was not measured."""
    if any(c is False for c in checks):
        return "**not met**"
    if checks and all(c is True for c in checks):
        return "**met**"
    if any(c is True for c in checks):
        return "met where measured"
    return "not measured"


def main():
    crit, out_dir, out_path = sys.argv[1:4]
    rows = runs_of(out_dir)
    notes = []
    if not rows:
        notes.append(f"no interleaved runs recorded ({os.path.join(out_dir, 'runs.tsv')} is missing)")

    native = {
        "import": criterion_median_s(crit, "import", "orders_1m"),
        "analyse": criterion_median_s(crit, "analyse", "orders_1m"),
        "model": criterion_median_s(crit, "predict", "orders_1m"),
    }
    native_jp = criterion_median_s(crit, "import", "jp_export_300k_cp932")
    for stage, v in native.items():
        if v is None:
            notes.append(f"native {stage}: not measured (the criterion bench did not run or failed)")
    native["total"] = sum(native.values()) if all(v is not None for v in native.values()) else None

    data = os.path.join(HERE, "data")
    web, peer, size, lr = {}, {}, {}, {}
    for name in SETS:
        b_rows = [r for r in rows if r["set"] == name and r["kind"] == "browser"]
        p_rows = [r for r in rows if r["set"] == name and r["kind"] == "peer"]
        web[name], n = browser_figures(b_rows)
        notes.extend(f"browser, {name}: {x}" for x in n)
        if web[name] is None and b_rows:
            notes.append(f"browser, {name}: not measured")
        peer[name], n = peer_figures(p_rows)
        notes.extend(f"peer, {name}: {x}" for x in n)
        if peer[name] is None and p_rows:
            notes.append(f"peer, {name}: not measured")
        path = os.path.join(data, f"{name}.csv")
        size[name] = os.path.getsize(path) if os.path.exists(path) else None
        lr[name] = {"browser": load_range(b_rows), "peer": load_range(p_rows), "all": load_range(b_rows + p_rows)}
        w = web[name]
        if w and w["timed_out"]:
            notes.append(
                f"browser, {name}: {w['timed_out']} of {w['runs']} runs did not reach the end within "
                f"{w['timeout']:.0f} s; counted as \"> {w['timeout']:.0f} s\" in the medians"
            )
        if w and not w["all_done_flag"]:
            notes.append(f"browser, {name}: a finished run did not set `data-pipeline=\"done\"`")
        p = peer[name]
        if p and p["facts"].get("retries"):
            notes.append(f"peer, {name}: " + "; ".join(sorted(set(p["facts"]["retries"]))))

    def fastest(name):
        """The peer's fastest way on this file, by its median total: (way, seconds)."""
        totals = {w: v for w, v in (g(peer[name], "total") or {}).items() if v is not None}
        if not totals:
            return None, None
        way = min(totals, key=totals.get)
        return way, totals[way]

    def g(d, *keys):
        for k in keys:
            if d is None:
                return None
            d = d.get(k)
        return d

    # The stage table of each file.
    label = {
        "import": "import (CSV → orders)",
        "analyse": "analyse (per-customer aggregates, RFM, …)",
        "model": "model (BG/NBD + Gamma-Gamma fit, predictions)",
        "total": "**total (file → screen)**",
    }
    stage_tables = []
    for name, what in SETS.items():
        w, p = web[name], peer[name]
        t = g(w, "timeout")
        rows_md = [
            "| stage | ours, native | ours, in Chromium | peer, fast way | peer, plain way | fast way ÷ Chromium |",
            "|---|--:|--:|--:|--:|--:|",
        ]
        for s in ["import", "analyse", "model", "total"]:
            nat = native[s] if name == "orders_1m" else None
            ours = g(w, s)
            if s in ("import", "analyse"):
                fast = plain = g(p, s)
            else:
                fast, plain = g(p, s, "fast"), g(p, s, "plain")
            rows_md.append(
                f"| {label[s]} | {fmt_s(nat)} | {fmt_t(ours, t)} | {fmt_s(fast)} | {fmt_s(plain)} | "
                f"{fmt_ratio(fast, ours, t)} |"
            )
        f = g(p, "facts") or {}
        customers = f"{f['customers']:,} customers, " if f.get("customers") else ""
        stage_tables.append(
            f"**`{name}.csv`** ({what}; {customers}{g(w, 'runs') or 0} browser runs, "
            f"{g(p, 'runs') or 0} peer runs; 1-minute load average {lr[name]['browser']} over the "
            f"browser runs, {lr[name]['peer']} over the peer runs"
            + ("; the native benches run on `orders_1m.csv` only" if name != "orders_1m" else "")
            + "):\n\n" + "\n".join(rows_md)
        )

    headline = [
        "| file | ours in Chromium, file → screen | peer, fast way | peer, plain way | peer's fastest ÷ ours | 1-min load over these runs |",
        "|---|--:|--:|--:|--:|--:|",
    ]
    for name in SETS:
        t = g(web[name], "timeout")
        ours, fast, plain = g(web[name], "total"), g(peer[name], "total", "fast"), g(peer[name], "total", "plain")
        way, best = fastest(name)
        headline.append(
            f"| `{name}.csv` | {fmt_t(ours, t)} | {fmt_s(fast)} | {fmt_s(plain)} | "
            f"**{fmt_ratio(best, ours, t)}**{f' ({way} way)' if way else ''} | {lr[name]['all']} |"
        )

    # The goals of the issue, each beside its figure.
    def per_file(fn):
        return [(name, *fn(name)) for name in SETS]

    def screen(name):
        v, every, t = g(web[name], "total"), g(web[name], "every_part"), g(web[name], "timeout")
        text = fmt_t(v, t) + ("" if every is None else f" (every part below: {fmt_t(every, t)})")
        return text, None if v is None else v <= GOAL_SCREEN_S

    def vs_peer(name):
        (way, fast), ours, t = fastest(name), g(web[name], "total"), g(web[name], "timeout")
        if ours is None or fast is None:
            return "—", None
        if ours == INF:
            return (f"{fmt_ratio(fast, ours, t)} ({way} way)",
                    False if t and fast / t < GOAL_PEER_RATIO else None)
        return f"{fmt_ratio(fast, ours)} ({way} way)", fast / ours >= GOAL_PEER_RATIO

    def vs_polars(name):
        ours, pol = g(web[name], "import"), g(peer[name], "polars_import")
        if ours is None or pol is None or ours == INF:
            return "—", None
        return f"{fmt_s(ours)} vs {fmt_s(pol)}: {ours / pol:.1f}×", ours <= GOAL_IMPORT_VS_POLARS * pol

    def memory(name):
        wasm, sz = g(web[name], "worker_wasm"), size[name]
        if wasm is None or not sz:
            return "—", None
        return f"{wasm / 1e6:,.0f} MB for {sz / 1e6:.1f} MB: {wasm / sz:.1f}×", wasm <= GOAL_MEMORY_RATIO * sz

    def longtask(name):
        v = g(web[name], "longest_task_ms")
        return ("—", None) if v is None else (f"{v:.0f} ms", v <= GOAL_LONGTASK_MS)

    def refresh(name):
        v, mx = g(web[name], "refresh_ms"), g(web[name], "max_refresh_ms")
        if v is None:
            return "—", None
        return f"{v:.0f} ms (longest {mx:.0f} ms)", v <= GOAL_REFRESH_MS

    goals = [
        (f"1M orders to screen in Chromium ≤ {GOAL_SCREEN_S} s (median, click on 取り込む → the analysis's first screen and the prediction on screen; the parts below it come after)", screen),
        (f"≥ {GOAL_PEER_RATIO:.0f}× pandas + lifetimes, its fastest way (peer's total ÷ ours in Chromium)", vs_peer),
        (f"import stage (`ltv:import`) within {GOAL_IMPORT_VS_POLARS:.0f}× of polars read_csv + group_by (medians)", vs_polars),
        (f"worker memory ≤ {GOAL_MEMORY_RATIO:.0f}× the file (the most WebAssembly memory the analysis worker and its helpers held at once: each reader counted in full until it answered and was ended, each fitter at what it held at each moment)", memory),
        (f"main-thread longest task ≤ {GOAL_LONGTASK_MS:.0f} ms (longest over the finished runs, click → every part shown)", longtask),
        (f"threshold change ≤ {GOAL_REFRESH_MS:.0f} ms (median of each run's slower of two changes)", refresh),
    ]
    goal_rows = ["| goal (issue 16) | `orders_1m.csv` | `orders_1m_steady.csv` | verdict |", "|---|--:|--:|---|"]
    goal_lines = []
    for text, fn in goals:
        results = per_file(fn)
        v = verdict([ok for _, _, ok in results])
        goal_rows.append(f"| {text} | {results[0][1]} | {results[1][1]} | {v} |")
        goal_lines.append(f"goal: {text}: " + "; ".join(f"{n} {s}" for n, s, _ in results) + f" → {v.strip('*')}")

    # The scale goal, on the one large file (a row of its own: it is not one of the two).
    big = load(os.path.join(out_dir, "big.json"))
    big_size = os.path.getsize(big["file"]) if big and os.path.exists(big["file"]) else None
    big_text = (f"scale: an export of {GOAL_BIG_BYTES / 1e9:.0f} GB or more imports and is analysed, "
                f"no tab crash, worker memory ≤ {GOAL_BIG_MEMORY_RATIO}× the file")
    if big and big_size:
        wasm = big.get("workerWasmBytes")
        done = big["outcome"] == "done" and not big.get("crashed")
        figure = (f"{big_size / 1e6:,.0f} MB file: {'done' if done else big['outcome']} in "
                  f"{big['ms'] / 1000:.1f} s, "
                  + ("memory not readable" if wasm is None else f"{wasm / 1e6:,.0f} MB: {wasm / big_size:.1f}×"))
        ok = (done and big_size >= GOAL_BIG_BYTES and wasm is not None
              and wasm <= GOAL_BIG_MEMORY_RATIO * big_size)
        v = verdict([ok])
    else:
        figure, v = "—", verdict([None])
    goal_rows.append(f"| {big_text} | {figure} | — | {v} |")
    goal_lines.append(f"goal: {big_text}: {figure} → {v.strip('*')}")

    # The phone goal, on the 診断 page (a row of its own: no file is read).
    phone = load(os.path.join(out_dir, "phone.json"))
    phone_text = (f"phone: first 通販LTV figure ≤ {GOAL_PHONE_FIRST_FIGURE_MS / 1000:.1f} s (slow 4G, "
                  "CPU 4× slower, files served with brotli, cold cache; median)")
    if phone and phone.get("median_first_figure_ms") is not None:
        first = phone["median_first_figure_ms"]
        figure = (f"{first:,.0f} ms ({phone['runs']} runs; typing answered at "
                  f"{phone['median_interactive_ms']:,.0f} ms, "
                  f"{phone['median_bytes_to_first_figure'] / 1000:,.0f} KB by the figure)")
        v = verdict([first <= GOAL_PHONE_FIRST_FIGURE_MS])
    else:
        figure, v = "—", verdict([None])
    goal_rows.append(f"| {phone_text} | {figure} | — | {v} |")
    goal_lines.append(f"goal: {phone_text}: {figure} → {v.strip('*')}")

    extra = []
    p1, w1 = peer["orders_1m"], web["orders_1m"]
    if native_jp is not None or g(p1, "import_jp") is not None:
        extra.append(
            f"- Import of the 300,000-line cp932 Japanese export (encoding, yen in five spellings, "
            f"emails folded, one order per 注文番号): ours native {fmt_s(native_jp)}, peer (pandas "
            f"read_csv + str cleaning + NFKC + drop_duplicates) {fmt_s(g(p1, 'import_jp'))}, peer ÷ native "
            f"{fmt_ratio(g(p1, 'import_jp'), native_jp)}."
        )
    for name in SETS:
        p = peer[name]
        if not p:
            continue
        f = p["facts"]
        bw, bp = f.get("bgnbd_weighted", {}), f.get("bgnbd", {})
        extra.append(
            f"- Peer on `{name}.csv` (medians): "
            + ", ".join(f"{k} {fmt_s(v)}" for k, v in p["median"].items() if v is not None)
            + f"; peak RSS {p['peak_rss_mb']:.0f} MB; {f['customers']:,} customers, "
            f"{f['repeat_customers']:,} repeat, {f.get('combinations', 0):,} (frequency, recency, T) "
            f"combinations for the weighted fit; BG/NBD weighted r={bw.get('r', 0):.3f} "
            f"α={bw.get('alpha', 0):.3f} a={bw.get('a', 0):.3f} b={bw.get('b', 0):.3f}, plain "
            f"r={bp.get('r', 0):.3f} α={bp.get('alpha', 0):.3f} a={bp.get('a', 0):.3f} "
            f"b={bp.get('b', 0):.3f}; Gamma-Gamma p={f['gamma_gamma']['p']:.2f} "
            f"q={f['gamma_gamma']['q']:.2f} γ={f['gamma_gamma']['v']:.0f}."
        )
    if p1:
        v = p1["versions"]
        extra.append(
            f"- Peer versions: Python {v['python']}, pandas {v['pandas']}, numpy {v['numpy']}, "
            f"scipy {v['scipy']}, lifetimes {v['lifetimes']}, polars {v.get('polars', '?')}; "
            f"one run per process, the processes interleaved with the browser's."
        )
    if w1:
        extra.append(f"- Chromium {w1.get('chromium')}, headless, a fresh browser and page each run.")
    for name in SETS:
        w = web[name]
        if not w:
            continue
        lt = (
            "no run reached the end" if w["runs"] == w["timed_out"] else
            "not supported by this Chromium" if w["longest_task_ms"] is None else
            f"longest {w['longest_task_ms']:.0f} ms over the finished runs (median of the runs' "
            f"longest {w['median_longest_task_ms']:.0f} ms), median count {w['median_longtask_count']:.0f}"
        )
        mem = "not read" if w["worker_wasm"] is None else f"{w['worker_wasm'] / 1e6:,.0f} MB"
        if w["worker_wasm"] is not None and size[name]:
            mem += f" ({w['worker_wasm'] / size[name]:.1f} × the file's {size[name] / 1e6:.1f} MB)"
        extra.append(
            f"- Chromium on `{name}.csv`: main-thread long tasks between the click and every part shown: {lt}; "
            f"most WebAssembly memory of the worker and its helpers at once {mem}; page JS heap at the end "
            f"{'—' if w['js_heap'] is None else format(w['js_heap'] / 1e6, '.1f') + ' MB'}"
            + ("" if w["refresh_ms"] is None else
               f"; a segment threshold changed on the imported orders, from the change to the next "
               f"frame with every view updated: median {w['refresh_ms']:.0f} ms, longest "
               f"{w['max_refresh_ms']:.0f} ms (no re-reading of the file)")
            + "."
        )
    if w1 and w1.get("first_figure_ms") is not None:
        extra.append(
            f"- First load of the 診断 page at phone width: the first LTV figure on screen "
            f"{w1['first_figure_ms']:.0f} ms after navigation (median; load event at "
            f"{w1['load_event_ms']:.0f} ms). A running import cancelled: the page says so "
            f"{w1['cancel_ms']:.0f} ms after the click (longest)."
        )
    for name in SETS:
        st = load(os.path.join(out_dir, f"wasm-stages-{name}.json"))
        if not st:
            notes.append(f"stages in WebAssembly, {name}: not measured")
            continue
        ms = st["median_ms"]
        extra.append(
            f"- The worker's stages on `{name}.csv` in WebAssembly outside the browser (Node "
            f"{st['node']}'s V8, WASI, one thread; medians of {st['rounds']} rounds after one not "
            f"counted): " + ", ".join(f"{k} {v:.0f}" for k, v in ms.items())
            + f" ms (all {sum(ms.values()):.0f} ms of work; the model chosen: {st['model']}). In the "
            "app the two parts are read side by side and the fits are shared with a helper."
        )
    for name in SETS:
        ws = load(os.path.join(out_dir, f"worker-stages-{name}.json"))
        if not ws:
            notes.append(f"the workers' stages in Chromium, {name}: not measured")
            continue
        extra.append(
            f"- Where the time goes in Chromium on `{name}.csv` (the end of each stage, ms after "
            f"the click, medians of {ws['runs']} runs apart from the loop above; `helper:` the "
            "reading helper, `fitter:` the fitting helper, `page:` the page, the rest the worker): "
            + ", ".join(f"{k} {v:.0f}" for k, v in ws["median_ms"].items())
            + "."
        )
    problems = sorted({x for name in SETS if web[name] for x in web[name]["problems"]})
    if problems:
        extra.append("- Browser problems: " + "; ".join(problems[:5]))

    if big:
        wasm = big.get("workerWasmBytes")
        bsize = big_size
        mem = "not readable" if wasm is None else f"{wasm / 1e6:,.0f} MB of worker memory"
        if wasm is not None and bsize:
            mem += f" ({wasm / bsize:.1f} × the file)"
        what = "completed" if big["outcome"] == "done" else big["outcome"]
        extra.append(
            f"- A {(bsize or 0) / 1e6:,.0f} MB file ({big.get('rowsRead') or '?'} rows) in Chromium: "
            f"{what} in {big['ms'] / 1000:.1f} s, {mem}; tab crashed: "
            f"{'yes' if big.get('crashed') else 'no'}."
        )
    sizes = read(os.path.join(out_dir, "size.txt"))
    if sizes:
        found = re.findall(r"dist/(\S+?):.*?(\d+) bytes gzipped", sizes)
        gz = [int(n) for _, n in found]
        parts = "; ".join(f"{name} {int(n) / 1000:.0f} KB" for name, n in found)
        extra.append(f"- WebAssembly shipped, gzipped: {sum(gz) / 1000:.0f} KB in all ({parts}).")

    hashes = ", ".join(
        f"`{name}` sha256 {sha256(os.path.join(data, name))[:16]}…"
        for name in ["orders_1m.csv", "orders_1m_steady.csv", "jp_export_300k_cp932.csv"]
        if os.path.exists(os.path.join(data, name))
    )
    load_start = read(os.path.join(out_dir, "loadavg-start"))
    load_end = read(os.path.join(out_dir, "loadavg-end")) or "?"
    all_loads = load_range(rows)
    extra.append(
        f"- Load average (1, 5, 15 min) before the bench: {load_start or '?'}; after: {load_end}; "
        f"1-minute load average over the interleaved runs: {all_loads}."
    )
    now = datetime.datetime.now(datetime.timezone.utc).strftime("%Y-%m-%d %H:%M UTC")
    rounds = max((r["round"] for r in rows), default=0)
    body = f"""# Benchmark results

Taken {now} by `make bench` on: {machine()}; {rustc()}.

Two files of 1,000,000 orders over 2 years, made by `bench/gen.py` with fixed seeds
({hashes}): `orders_1m.csv`, mixed customers (many one-time buyers, a few very frequent ones),
and `orders_1m_steady.csv`, one kind of customer (one purchase rate, one dropout chance). The
browser and the peer ran alternately in one loop of {rounds} rounds (each round one browser run and
one peer run per file, their order swapped every round), the load average recorded beside every
run; each figure is the median of its runs.

The headline: the whole pipeline from the file to the screen, ours in Chromium against the
peer's two ways (pandas + lifetimes with BG/NBD fitted on the condensed combinations with
`weights`, the fast way of its docs, and on one row per customer, the plain way), the ratio
taken against whichever of the two was faster on that file, on both files:

{chr(10).join(headline)}

The issue's goals, each beside its measured figure:

{chr(10).join(goal_rows)}

{(chr(10) * 2).join(stage_tables)}

- **ours, native**: criterion benches `core/benches/pipeline.rs` on `orders_1m.csv` (release profile:
  the core at `opt-level = 3`, LTO; the file read into memory first, each later stage from the
  imported table), run once before the interleaved loop.
- **ours, in Chromium**: `bench/browser.mjs`: the release build in headless Chromium, the file uploaded
  through the page; the stages are the app's `ltv:*` performance measures, the total
  (`ltv:pipeline`) is from the click on 取り込む until the analysis's first screen (the headline and
  the summary) and the prediction are on screen; while the prediction is made the parts below the
  first screen wait, and come after it (`ltv:every-part`: until every part is shown). The analysis and
  the model are asked for together and run one after the other in the one worker, so the model's
  measure includes the wait for the analysis. After an import the analysis stage makes the first
  screen's views (the summary, the segments, the months, the findings); RFM, CPM, the cohorts,
  the LTV curve and the rest are made once the prediction is sent and count in every part's
  time, not in this stage: the analyse row compares less of our work than the peer's (its
  groupby and RFM quintiles), the total compares the whole. A run that does not reach the end within its time
  limit counts as "> limit" in the medians.
- **peer**: `bench/peer.py`: pandas `read_csv` (import), groupby + `qcut` RFM quintiles (analyse),
  lifetimes `summary_data_from_transaction_data` (daily units, `freq_multiplier` 7: weeks),
  BG/NBD, `GammaGammaFitter`, and per-customer expected purchases, P(alive), expected order
  value and 12-month CLV (model). **Fast way**: the summary condensed to its (frequency, recency,
  T) combinations with a count column, `BetaGeoFitter.fit(frequency, recency, T, weights=count)`,
  as lifetimes' docs do it. **Plain way**: `BetaGeoFitter.fit` on every customer's row. Both
  ways predict for every customer with the same calls; that stage is timed once per run (with
  the weighted fit) and counted in both totals. The polars yardstick of the import: `pl.read_csv`
  (dates parsed) + `group_by` customer (first and last order date, order count, revenue sum).
{chr(10).join(extra)}
""" + ("\nNot measured or measured differently:\n" + "\n".join(f"- {n}" for n in notes) + "\n" if notes else "") + """
Caveats: the machine may be shared with other builds; when the load average exceeds the number
of CPUs, every column is slowed, by tens of percent, and unevenly between stages. The import
rows are not like for like: `read_csv` only parses, while the app's import also detects the
encoding and columns, validates every value, merges customers and accounts for every row in its
report. The peer reads the file through the OS page cache, warm after the first run, as the app's
import reads bytes already in memory (native) or a `File` the browser holds (Chromium); no stage
of either side is cached between runs.
"""
    print("\n".join(headline))
    print()
    print("\n".join(goal_rows))
    for t in stage_tables:
        print()
        print(t)
    print()
    for line in extra:
        print(line)
    for line in goal_lines:
        print(line)
    for n in notes:
        print("note:", n)
    with open(out_path, "w") as f:
        f.write(body)


if __name__ == "__main__":
    main()
