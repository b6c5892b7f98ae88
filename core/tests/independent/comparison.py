#!/usr/bin/env python3
"""Period and group comparison of the jp-sample, computed independently of the app.

Standard library only. Reads tests/data/jp-sample/jp_orders_utf8bom.csv (one row per order
line, the order total repeated on every line), folds e-mails the way the import documents
(NFKC, no whitespace, lower case), and applies the definitions of core/src/analysis/compare.rs
as written in docs/domain.md §10:

- a period's customers: those with an order in it; new: first order ever in it; repeat: first
  order before it; リピーター率 = repeat / customers;
- F2: of the period's new customers whose first order is at least 90 days before the last
  order day of the file, those with a second order (same day counts) within 90 days;
- a group after a date: customers whose first order is before the date, split by the list;
  who ordered from the date to the last order day, and what they spent.

Writes the list of 50 customers (tests/data/jp-sample/dm_list_50.txt) and the figures
(tests/data/jp-sample/comparison_expected.json).
"""
import csv
import datetime as dt
import json
import os
import unicodedata

ROOT = os.path.join(os.path.dirname(__file__), "..", "..", "..")
DATA = os.path.join(ROOT, "tests", "data", "jp-sample")
F2_DAYS = 90


def fold(email):
    text = unicodedata.normalize("NFKC", email).strip()
    if "@" in text:
        text = "".join(text.split()).lower()
    return text


def money(text):
    text = unicodedata.normalize("NFKC", text)
    for c in "¥\\,円 ":
        text = text.replace(c, "")
    return float(text)


def read_orders():
    orders = {}
    with open(os.path.join(DATA, "jp_orders_utf8bom.csv"), encoding="utf-8-sig", newline="") as f:
        for row in csv.DictReader(f):
            number = row["注文番号"]
            day = dt.datetime.strptime(row["注文日時"], "%Y/%m/%d %H:%M").date()
            orders[number] = (fold(row["購入者メールアドレス"]), day, money(row["合計金額"]))
    return list(orders.values())


def period(orders, first, second, start, end, as_of):
    inside = [o for o in orders if start <= o[1] <= end]
    customers = {o[0] for o in inside}
    new = {c for c in customers if first[c] >= start}
    eligible = [c for c in new if first[c] + dt.timedelta(days=F2_DAYS) <= as_of]
    converted = [c for c in eligible if second.get(c) and (second[c] - first[c]).days <= F2_DAYS]
    revenue = sum(o[2] for o in inside)
    n, k = len(customers), len(inside)
    return {
        "customers": n,
        "new_customers": len(new),
        "repeat_customers": n - len(new),
        "orders": k,
        "revenue": revenue,
        "average_order_value": revenue / k if k else None,
        "orders_per_customer": k / n if n else None,
        "revenue_per_customer": revenue / n if n else None,
        "repeater_rate": (n - len(new)) / n if n else None,
        "f2_eligible": len(eligible),
        "f2_converted": len(converted),
    }


def group(orders, first, members, since, as_of):
    out = {"customers": 0, "bought_again": 0, "orders": 0, "revenue": 0.0}
    for c in members:
        out["customers"] += 1
        after = [o for o in orders if o[0] == c and since <= o[1] <= as_of]
        out["bought_again"] += 1 if after else 0
        out["orders"] += len(after)
        out["revenue"] += sum(o[2] for o in after)
    return out


def main():
    orders = read_orders()
    as_of = max(o[1] for o in orders)
    days = {}
    for c, d, _ in orders:
        days.setdefault(c, []).append(d)
    first = {c: min(ds) for c, ds in days.items()}
    second = {c: sorted(ds)[1] for c, ds in days.items() if len(ds) > 1}
    periods = {
        "2024": period(orders, first, second, dt.date(2024, 1, 1), dt.date(2024, 12, 31), as_of),
        "2025": period(orders, first, second, dt.date(2025, 1, 1), dt.date(2025, 12, 31), as_of),
    }
    since = dt.date(2025, 7, 1)
    existing = sorted(c for c in first if first[c] < since)
    # Every fifth existing customer, the first 50: a mailing list that is not the best customers.
    listed = existing[::5][:50]
    with open(os.path.join(DATA, "dm_list_50.txt"), "w", encoding="utf-8", newline="\n") as f:
        f.write("\n".join(listed) + "\n")
    others = [c for c in existing if c not in set(listed)]
    since_first = {c: (as_of - first[c]).days for c in first}
    december = {o[0] for o in orders if o[1].year == 2025 and o[1].month == 12}
    measured = {
        "average_order_value": round(sum(o[2] for o in orders) / len(orders)),
        "one_time_customers": sum(1 for ds in days.values() if len(ds) == 1),
        "repeat_customers": sum(1 for ds in days.values() if len(ds) > 1),
        "month_customers": len(december),
        "month_repeaters": sum(1 for c in december if first[c] < dt.date(2025, 12, 1)),
        "cumulative_customers": len(first),
    }
    result = {
        "as_of": as_of.isoformat(),
        "measured_for_diagnosis": measured,
        "new_last_365_days": sum(1 for d in since_first.values() if d < 365),
        "new_365_days_before": sum(1 for d in since_first.values() if 365 <= d < 730),
        "repeat_orders_each": (
            sum(len(ds) for ds in days.values() if len(ds) > 1)
            / sum(1 for ds in days.values() if len(ds) > 1)
        ),
        "f2_days": F2_DAYS,
        "periods": periods,
        "group_since": since.isoformat(),
        "group": group(orders, first, listed, since, as_of),
        "others": group(orders, first, others, since, as_of),
    }
    with open(os.path.join(DATA, "comparison_expected.json"), "w", encoding="utf-8") as f:
        json.dump(result, f, ensure_ascii=False, indent=2)
        f.write("\n")
    print(json.dumps(result, ensure_ascii=False, indent=2))


if __name__ == "__main__":
    main()
