#!/usr/bin/env python3
"""The peer: the same pipeline as the app, the way a pandas notebook with `lifetimes` does it.

On one `customer_id,order_date,amount` file, each stage timed with time.perf_counter():
- import:        pandas read_csv, dates parsed;
- analyse:       per-customer aggregates (first, last, orders, revenue) and RFM quintile scores
                 with pandas qcut (ranks first, as ties would otherwise break the quintile edges);
- summary:       lifetimes summary_data_from_transaction_data (frequency, recency, T, monetary
                 value), time in weeks = days / 7 as in the app's model (freq "D",
                 freq_multiplier 7);
- condense:      the summary's (frequency, recency, T) combinations with a count column
                 (a group-by), as lifetimes' docs do before fitting with `weights`;
- fit_bgnbd_weighted: BetaGeoFitter().fit(frequency, recency, T, weights=count) on the condensed
                 combinations (the fast way, lifetimes' documented way for large data);
- fit_bgnbd:     BetaGeoFitter().fit on every customer's row (the plain way);
- fit_gg:        GammaGammaFitter().fit on repeat customers with a positive monetary value;
- predict:       per customer: expected purchases in the next 52 weeks, P(alive), expected
                 average order value and the 12-month customer_lifetime_value (monthly discount
                 1 %), with the weighted fit's BG/NBD. The two ways make the same prediction
                 calls on the same 1-row-per-customer summary, so the stage is timed once and
                 counted in both ways' totals.
- polars_import: polars read_csv (dates parsed) + group_by customer: first and last order date,
                 order count, revenue sum (the per-customer aggregates the app computes on import).
                 Not part of either way's total: the yardstick of the app's import stage.

The ways' totals: fast = import + analyse + summary + condense + fit_bgnbd_weighted + fit_gg +
predict; plain = import + analyse + summary + fit_bgnbd + fit_gg + predict.

When a fit does not converge (lifetimes raises ConvergenceError), it is fitted again with
penalizer_coef 0.001, as lifetimes' message advises; the failed attempt's time is counted and the
retry is recorded under "retries".

With a JP_EXPORT file (the cp932 Japanese export), also `import_jp`: read_csv in cp932, dates
parsed, yen cleaned of ¥ (0x5C, read as a backslash), ￥, commas and 円, emails folded with NFKC +
trim + lowercase, one order per 注文番号 with its repeated total, customers numbered: what the
app's importer does to that file, the way pandas does it.

Prints JSON: every run's seconds per stage, the medians, both ways' totals, the peak resident
memory and the versions.
Usage: peer.py FILE [RUNS [JP_EXPORT]]
"""

import contextlib
import json
import resource
import sys
import time
import warnings
from statistics import median

import lifetimes
import numpy as np
import pandas as pd
import polars as pl
import scipy
from lifetimes import BetaGeoFitter, GammaGammaFitter
from lifetimes.utils import ConvergenceError, summary_data_from_transaction_data

STAGES = [
    "import", "analyse", "summary", "condense", "fit_bgnbd_weighted", "fit_bgnbd", "fit_gg",
    "predict", "polars_import",
]
WAYS = {
    "fast": ["import", "analyse", "summary", "condense", "fit_bgnbd_weighted", "fit_gg", "predict"],
    "plain": ["import", "analyse", "summary", "fit_bgnbd", "fit_gg", "predict"],
}
RETRY_PENALIZER = 0.001


def fit(fitter, *args, retries, label, **kwargs):
    try:
        return fitter(penalizer_coef=0.0).fit(*args, **kwargs)
    except ConvergenceError:
        retries.append(f"{label}: no convergence without a penalizer; refitted with "
                       f"penalizer_coef {RETRY_PENALIZER}")
        return fitter(penalizer_coef=RETRY_PENALIZER).fit(*args, **kwargs)


def run(path):
    seconds = {}
    out = {"retries": []}

    t = time.perf_counter()
    df = pd.read_csv(path, parse_dates=["order_date"], dtype={"customer_id": str})
    seconds["import"] = time.perf_counter() - t

    t = time.perf_counter()
    as_of = df["order_date"].max()
    per = df.groupby("customer_id").agg(
        first=("order_date", "min"),
        last=("order_date", "max"),
        orders=("order_date", "size"),
        revenue=("amount", "sum"),
    )
    recency_days = (as_of - per["last"]).dt.days
    quintiles = [1, 2, 3, 4, 5]
    per["R"] = pd.qcut((-recency_days).rank(method="first"), 5, labels=quintiles)
    per["F"] = pd.qcut(per["orders"].rank(method="first"), 5, labels=quintiles)
    per["M"] = pd.qcut(per["revenue"].rank(method="first"), 5, labels=quintiles)
    per["RFM"] = per["R"].astype(int) * 100 + per["F"].astype(int) * 10 + per["M"].astype(int)
    seconds["analyse"] = time.perf_counter() - t
    out["customers"] = int(len(per))
    out["orders"] = int(len(df))

    t = time.perf_counter()
    summary = summary_data_from_transaction_data(
        df,
        "customer_id",
        "order_date",
        monetary_value_col="amount",
        observation_period_end=as_of,
        freq="D",
        freq_multiplier=7,
    )
    seconds["summary"] = time.perf_counter() - t

    # The fast way: lifetimes' docs condense the summary to its (frequency, recency, T)
    # combinations with a count, and fit with that count as `weights`.
    t = time.perf_counter()
    condensed = (
        summary.groupby(["frequency", "recency", "T"]).size().rename("count").reset_index()
    )
    seconds["condense"] = time.perf_counter() - t
    out["combinations"] = int(len(condensed))

    t = time.perf_counter()
    bgf = fit(BetaGeoFitter, condensed["frequency"], condensed["recency"], condensed["T"],
              weights=condensed["count"], retries=out["retries"], label="BG/NBD, weighted")
    seconds["fit_bgnbd_weighted"] = time.perf_counter() - t
    out["bgnbd_weighted"] = {k: float(v) for k, v in bgf.params_.items()}

    # The plain way: one row per customer.
    t = time.perf_counter()
    plain = fit(BetaGeoFitter, summary["frequency"], summary["recency"], summary["T"],
                retries=out["retries"], label="BG/NBD, plain")
    seconds["fit_bgnbd"] = time.perf_counter() - t
    out["bgnbd"] = {k: float(v) for k, v in plain.params_.items()}

    t = time.perf_counter()
    repeat = summary[(summary["frequency"] > 0) & (summary["monetary_value"] > 0)]
    ggf = fit(GammaGammaFitter, repeat["frequency"], repeat["monetary_value"],
              retries=out["retries"], label="Gamma-Gamma")
    seconds["fit_gg"] = time.perf_counter() - t
    out["gamma_gamma"] = {k: float(v) for k, v in ggf.params_.items()}
    out["repeat_customers"] = int(len(repeat))

    t = time.perf_counter()
    f, r, T, m = summary["frequency"], summary["recency"], summary["T"], summary["monetary_value"]
    pred = pd.DataFrame(index=summary.index)
    pred["expected_52w"] = bgf.conditional_expected_number_of_purchases_up_to_time(52, f, r, T)
    pred["p_alive"] = bgf.conditional_probability_alive(f, r, T)
    pred["expected_aov"] = ggf.conditional_expected_average_profit(f, m)
    pred["clv_12m"] = ggf.customer_lifetime_value(
        bgf, f, r, T, m, time=12, discount_rate=0.01, freq="W"
    )
    seconds["predict"] = time.perf_counter() - t
    out["predicted_customers"] = int(pred["clv_12m"].notna().sum())
    out["expected_52w_total"] = float(pred["expected_52w"].sum())

    # The yardstick of the app's import: polars reading the file and the per-customer aggregates.
    t = time.perf_counter()
    pdf = pl.read_csv(path, try_parse_dates=True, schema_overrides={"customer_id": pl.String})
    agg = pdf.group_by("customer_id").agg(
        pl.col("order_date").min().alias("first"),
        pl.col("order_date").max().alias("last"),
        pl.len().alias("orders"),
        pl.col("amount").sum().alias("revenue"),
    )
    seconds["polars_import"] = time.perf_counter() - t
    out["polars_customers"] = int(agg.height)
    out["polars_date_type"] = str(pdf.schema["order_date"])
    return seconds, out


def import_jp(path):
    t = time.perf_counter()
    df = pd.read_csv(path, encoding="cp932", dtype=str)
    df["date"] = pd.to_datetime(df["注文日時"], format="%Y/%m/%d %H:%M")
    df["total"] = pd.to_numeric(df["合計金額"].str.replace(r"[\\￥¥,円\s]", "", regex=True))
    df["email"] = df["購入者メールアドレス"].str.normalize("NFKC").str.strip().str.lower()
    orders = df.drop_duplicates("注文番号")[["注文番号", "date", "email", "total"]]
    orders = orders.assign(customer=orders["email"].factorize()[0])
    seconds = time.perf_counter() - t
    return seconds, {"jp_lines": int(len(df)), "jp_orders": int(len(orders)),
                     "jp_customers": int(orders["customer"].max() + 1),
                     "jp_revenue": float(orders["total"].sum())}


def main():
    path = sys.argv[1]
    runs = int(sys.argv[2]) if len(sys.argv) > 2 else 5
    jp_path = sys.argv[3] if len(sys.argv) > 3 else None
    warnings.simplefilter("ignore")
    times = {s: [] for s in STAGES}
    facts = None
    for _ in range(runs):
        # lifetimes prints scipy's result to stdout when a fit fails: kept off the JSON.
        with contextlib.redirect_stdout(sys.stderr):
            seconds, facts = run(path)
        for s in STAGES:
            times[s].append(seconds[s])
        print(f"[peer] run: fast way {sum(seconds[s] for s in WAYS['fast']):.2f} s, plain way "
              f"{sum(seconds[s] for s in WAYS['plain']):.2f} s, polars import "
              f"{seconds['polars_import']:.2f} s", file=sys.stderr)
        if jp_path:
            with contextlib.redirect_stdout(sys.stderr):
                jp_seconds, jp_facts = import_jp(jp_path)
            times.setdefault("import_jp", []).append(jp_seconds)
    totals = {w: [sum(times[s][i] for s in stages) for i in range(runs)] for w, stages in WAYS.items()}
    result = {
        "file": path,
        "runs": runs,
        "seconds": times,
        "ways": WAYS,
        "totals": totals,
        "median": {s: median(times[s]) for s in STAGES},
        "total_median": {w: median(v) for w, v in totals.items()},
        "import_jp_median": median(times["import_jp"]) if jp_path else None,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "facts": {**facts, **(jp_facts if jp_path else {})},
        "versions": {
            "python": sys.version.split()[0],
            "pandas": pd.__version__,
            "numpy": np.__version__,
            "scipy": scipy.__version__,
            "lifetimes": lifetimes.__version__,
            "polars": pl.__version__,
        },
    }
    print(json.dumps(result, indent=1))


if __name__ == "__main__":
    main()
