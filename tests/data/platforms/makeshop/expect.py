#!/usr/bin/env python3
"""Expected figures for the MakeShop 注文データ fixture (orders.csv).

Rules applied (see SOURCE.md; several of them are inferred, not documented):
  * one row per ordered product line; order-level columns repeat on every row
    of the same 注文番号, so order figures are taken once per 注文番号;
  * 処理状況 注文キャンセル (cancelled) and 返送 (returned) are not sales;
  * the order date is 日付 (Y/M/D, no zero padding); 注文時間 (hhmmss) is ignored here;
  * the customer key is 会員ID; visitors (non-members) have it blank and are
    keyed by メールアドレス (NFKC, trimmed, lower-cased);
  * revenue = 合計金額 once per order; no after-points column in this template.
"""
import csv
import io
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = "orders.csv"
ENCODING = "cp932"

STATUS = "処理状況"
NOT_SALES = {"注文キャンセル", "返送"}
REVENUE = "合計金額"


def money(text):
    text = (text or "").strip().replace(",", "").replace("¥", "").replace("￥", "")
    return float(text) if text else 0.0


def iso_day(text):
    y, m, d = text.strip().split(" ")[0].split("/")
    return f"{int(y):04d}-{int(m):02d}-{int(d):02d}"


def email_key(text):
    return unicodedata.normalize("NFKC", text or "").strip().lower()


def main():
    raw = open(os.path.join(HERE, FILE), "rb").read()
    reader = csv.reader(io.StringIO(raw.decode(ENCODING), newline=""))
    header = next(reader)
    records = [dict(zip(header, r)) for r in reader if any(c.strip() for c in r)]

    orders = {}
    for rec in records:
        orders.setdefault(rec["注文番号"], {"head": rec, "rows": []})["rows"].append(rec)

    def is_cancelled(order):
        return order["head"][STATUS].strip() in NOT_SALES

    def customer(order):
        head = order["head"]
        mid = head["会員ID"].strip()
        if mid in ("", "0"):
            return ("email", email_key(head["メールアドレス"])), True
        return ("id", mid), False

    def figures(selected):
        days = sorted(iso_day(o["head"]["日付"]) for o in selected)
        return {
            "orders": len(selected),
            "customers": len({customer(o)[0] for o in selected}),
            "revenue": sum(money(o["head"][REVENUE]) for o in selected),
            "guests": sum(1 for o in selected if customer(o)[1]),
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
            "lines": sum(1 for o in selected for r in o["rows"] if r["商品名"].strip()),
        }

    everything = list(orders.values())
    kept = [o for o in everything if not is_cancelled(o)]
    dropped = [o for o in everything if is_cancelled(o)]
    k, a = figures(kept), figures(everything)

    result = {
        "file": FILE,
        "platform": "MakeShop",
        "encoding": "cp932",
        "delimiter": "comma",
        "rows": len(records),
        "orders": k["orders"],
        "customers": k["customers"],
        "revenue": k["revenue"],
        "revenue_column": REVENUE,
        "revenue_after_points": None,
        "revenue_after_points_column": None,
        "first_day": k["first"],
        "last_day": k["last"],
        "cancelled_orders": len(dropped),
        "cancelled_revenue": figures(dropped)["revenue"],
        "status_column": STATUS,
        "guest_orders": k["guests"],
        "orders_with_cancelled": a["orders"],
        "customers_with_cancelled": a["customers"],
        "revenue_with_cancelled": a["revenue"],
        "product_lines": k["lines"],
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    with open(os.path.join(HERE, "expected.json"), "w", encoding="utf-8") as fh:
        fh.write(text + "\n")
    print(text)


if __name__ == "__main__":
    main()
