#!/usr/bin/env python3
"""Expected figures for the カラーミーショップ 受注一括データ fixture (sales_all.csv).

Rules applied (see SOURCE.md):
  * one row per purchased product line; order-level columns repeat on every row
    of the same 売上ID, so order figures are taken once per 売上ID;
  * an order is cancelled when 発送状態 (or 入金状態 / 配送先 発送状態) reads キャンセル;
  * the customer key is 購入者 顧客ID; a blank or "0" ID would fall back to the
    e-mail (NFKC, trimmed, lower-cased);
  * revenue before points/coupons = 商品の合計金額(税込) + 送料合計 + 決済手数料
    + 熨斗/メッセージカード/ラッピング手数料合計; after points = 総合計金額.
"""
import csv
import io
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = "sales_all.csv"
ENCODING = "cp932"

BEFORE_POINTS = ["商品の合計金額(税込)", "送料合計", "決済手数料",
                 "熨斗手数料合計", "メッセージカード手数料合計", "ラッピング手数料合計"]
AFTER_POINTS = "総合計金額"
CANCEL_COLUMNS = ["発送状態", "入金状態", "配送先 発送状態"]
CANCEL_VALUE = "キャンセル"


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
        order = orders.setdefault(rec["売上ID"], {"head": rec, "rows": []})
        order["rows"].append(rec)

    def is_cancelled(order):
        return any(r.get(c, "").strip() == CANCEL_VALUE for r in order["rows"] for c in CANCEL_COLUMNS)

    def customer(order):
        head = order["head"]
        cid = head["購入者 顧客ID"].strip()
        if cid in ("", "0"):
            return ("email", email_key(head["購入者 メールアドレス"])), True
        return ("id", cid), False

    def figures(selected):
        days = sorted(iso_day(o["head"]["受注日"]) for o in selected)
        return {
            "orders": len(selected),
            "customers": len({customer(o)[0] for o in selected}),
            "revenue": sum(sum(money(o["head"][c]) for c in BEFORE_POINTS) for o in selected),
            "after": sum(money(o["head"][AFTER_POINTS]) for o in selected),
            "guests": sum(1 for o in selected if customer(o)[1]),
            "first": days[0] if days else None,
            "last": days[-1] if days else None,
            "lines": sum(1 for o in selected for r in o["rows"] if r["購入商品 商品名"].strip()),
        }

    everything = list(orders.values())
    kept = [o for o in everything if not is_cancelled(o)]
    dropped = [o for o in everything if is_cancelled(o)]
    k, a = figures(kept), figures(everything)

    result = {
        "file": FILE,
        "platform": "ColorMe",
        "encoding": "cp932",
        "delimiter": "comma",
        "rows": len(records),
        "orders": k["orders"],
        "customers": k["customers"],
        "revenue": k["revenue"],
        "revenue_column": " + ".join(BEFORE_POINTS),
        "revenue_after_points": k["after"],
        "revenue_after_points_column": AFTER_POINTS,
        "first_day": k["first"],
        "last_day": k["last"],
        "cancelled_orders": len(dropped),
        "cancelled_revenue": figures(dropped)["revenue"],
        "status_column": "発送状態",
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
