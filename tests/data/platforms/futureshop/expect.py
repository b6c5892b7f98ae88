#!/usr/bin/env python3
"""Expected figures for the futureshop 受注データ fixture (orders.csv).

Rules applied (see SOURCE.md):
  * one row per ordered product line; order-level columns repeat on every row
    of the same 受注コード, so order figures are taken once per 受注コード;
  * 処理状況区分 注文取消 (cancelled) and 返品 (returned) are not sales;
  * the customer key is 会員ID; non-members have it blank and are keyed by
    メールアドレス（メイン） (NFKC, trimmed, lower-cased);
  * revenue before points = 総合計金額; after points = 請求合計金額.
"""
import csv
import io
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = "orders.csv"
ENCODING = "cp932"

STATUS = "処理状況区分"
NOT_SALES = {"注文取消", "返品"}
BEFORE_POINTS = "総合計金額"
AFTER_POINTS = "請求合計金額"


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
        orders.setdefault(rec["受注コード"], {"head": rec, "rows": []})["rows"].append(rec)

    def is_cancelled(order):
        return order["head"][STATUS].strip() in NOT_SALES

    def customer(order):
        head = order["head"]
        mid = head["会員ID"].strip()
        if mid in ("", "0"):
            return ("email", email_key(head["メールアドレス（メイン）"])), True
        return ("id", mid), False

    def figures(selected):
        days = sorted(iso_day(o["head"]["注文日時"]) for o in selected)
        return {
            "orders": len(selected),
            "customers": len({customer(o)[0] for o in selected}),
            "revenue": sum(money(o["head"][BEFORE_POINTS]) for o in selected),
            "after": sum(money(o["head"][AFTER_POINTS]) for o in selected),
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
        "platform": "Futureshop",
        "encoding": "cp932",
        "delimiter": "comma",
        "rows": len(records),
        "orders": k["orders"],
        "customers": k["customers"],
        "revenue": k["revenue"],
        "revenue_column": BEFORE_POINTS,
        "revenue_after_points": k["after"],
        "revenue_after_points_column": AFTER_POINTS,
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
