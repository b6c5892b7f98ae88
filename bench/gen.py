#!/usr/bin/env python3
"""Deterministic generator of the benchmark's synthetic order files (standard library only).

Writes into bench/data/:
- orders_1m.csv: 1,000,000 rows `customer_id,order_date,amount`, about 200,000 customers over
  2023-01-01 .. 2024-12-31, ISO dates, whole yen, oldest first. Customers buy and drop out as the
  BG/NBD and Gamma-Gamma models assume (a Poisson rate and a dropout chance after each order,
  each drawn per customer; a spend level per customer), so there are many one-time buyers and a
  few very frequent ones.
- orders_1m_steady.csv: a second 1,000,000 rows of the same columns with other parameters: about
  470,000 customers who all buy at one rate (gaps of 1 + Exp(40) days) and stop with a 45 %
  chance after each order, first orders over the first 700 days, customer ids as `S` + number,
  amounts a fixed level per customer plus a small step. A shop of one kind of customer: the
  models' rate and dropout mixtures run to their limits here, where the 1M file above is the
  mixed case.
- jp_export_300k_cp932.csv: 300,000 order lines of a Japanese shop export in cp932 (Windows-31J),
  CRLF, newest order first, with the columns of the jp-sample: 注文番号, 注文日時, 購入者メールアドレス,
  購入者名, 商品名, 数量, 小計, 合計金額 (the order total repeated on each line of the order); yen
  written as 12800, 12,800, ¥12,800 (byte 0x5C, as cp932 exports do), ￥12,800 or 12,800円; about
  15 % of orders spell the customer's email differently (case, full width, stray spaces);
  cp932-only characters in names and products (髙, 﨑, ①).

Each file is made from a fixed seed; a file that exists with the expected SHA-256 is kept.
Usage: gen.py [--force] [--print-hashes]
"""

import csv
import hashlib
import io
import math
import os
import random
import sys
from datetime import date, timedelta

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "data")

ORDERS_1M = "orders_1m.csv"
ORDERS_STEADY = "orders_1m_steady.csv"
JP_EXPORT = "jp_export_300k_cp932.csv"

# The SHA-256 of each file as this generator writes it; a mismatch regenerates the file.
EXPECTED = {
    ORDERS_1M: "4ba0c9a25c49ebfbbb8d5b7318b3e0c19c9de06c016dd165d8c565552117cc98",
    ORDERS_STEADY: "85ef2ce670519000fd6ba26314cdf4fc834760a247f56dccb1774cea42e424a1",
    JP_EXPORT: "dd2cf18d2e3dbabce8bbe3e1d24c8974dfa883718d1085ebe279b8d9ff1176ef",
}

START = date(2023, 1, 1)
DAYS = (date(2024, 12, 31) - START).days + 1  # 731 days, both ends included


def first_day(rng):
    """A first-order day; more customers arrive later, as in a growing shop."""
    # Density proportional to 1 + 2u on [0, 1): inverse CDF of (u + u^2) / 2.
    v = rng.random() * 2.0
    u = (-1.0 + math.sqrt(1.0 + 4.0 * v)) / 2.0
    return min(int(u * DAYS), DAYS - 1)


def customer_days(rng, start_day, rate_shape, rate_scale, drop_a, drop_b):
    """The order days of one customer: BG/NBD (Poisson orders, dropout after each order)."""
    rate = rng.gammavariate(rate_shape, rate_scale)  # orders per day while alive
    p_drop = rng.betavariate(drop_a, drop_b)
    days = [start_day]
    t = float(start_day)
    while rate > 0.0:
        if rng.random() < p_drop:
            break
        t += rng.expovariate(rate)
        if t >= DAYS:
            break
        days.append(int(t))
    return days


def gamma_gamma_spend(rng, p, q, gamma):
    """A per-customer spend sampler: each order ~ Gamma(p, 1/nu), nu ~ Gamma(q, 1/gamma)."""
    nu = rng.gammavariate(q, 1.0 / gamma)
    scale = 1.0 / nu

    def draw():
        return max(100, int(round(rng.gammavariate(p, scale) / 10.0)) * 10)

    return draw


def write_orders(path, rows, customer_id):
    """Writes (day, customer number, amount) rows as `customer_id,order_date,amount`, by day and
    then customer, with `customer_id` naming each customer number."""
    rows.sort(key=lambda r: (r[0], r[1]))
    iso = [(START + timedelta(days=d)).isoformat() for d in range(DAYS)]
    out = io.StringIO()
    out.write("customer_id,order_date,amount\n")
    for d, c, amount in rows:
        out.write(f"{customer_id(c)},{iso[d]},{amount}\n")
    with open(path, "wb") as f:
        f.write(out.getvalue().encode("ascii"))


def make_orders_1m(path):
    rng = random.Random(20240601)
    target = 1_000_000
    rows = []  # (day, customer number, amount)
    customer = 0
    while len(rows) < target:
        customer += 1
        days = customer_days(
            rng, first_day(rng), rate_shape=0.9, rate_scale=1.0 / 30.0, drop_a=0.8, drop_b=5.0
        )
        spend = gamma_gamma_spend(rng, p=6.0, q=4.0, gamma=2500.0)
        for d in days[: target - len(rows)]:
            rows.append((d, customer, spend()))
    # Customer ids in a scrambled order, so that ids do not follow the first order day.
    ids = list(range(1, customer + 1))
    rng.shuffle(ids)
    write_orders(path, rows, lambda c: f"C{ids[c - 1]:06d}")
    return customer


def make_orders_steady(path):
    rng = random.Random(20261202)
    target = 1_000_000
    rows = []  # (day, customer number, amount)
    customer = 0
    while len(rows) < target:
        customer += 1
        day = rng.randrange(700)
        level = 2000 + rng.randrange(8) * 1000
        while day < DAYS and len(rows) < target:
            rows.append((day, customer, level + rng.randrange(10) * 100))
            if rng.random() < 0.45:
                break
            day += 1 + int(rng.expovariate(1.0 / 40.0))
    write_orders(path, rows, lambda c: f"S{c:07d}")
    return customer


FAMILY = ["佐藤", "鈴木", "高橋", "髙橋", "田中", "伊藤", "渡辺", "山本", "中村", "小林", "加藤",
          "吉田", "山田", "佐々木", "山口", "松本", "井上", "木村", "林", "斎藤", "清水", "山崎",
          "山﨑", "森", "池田", "橋本", "阿部", "石川", "前田", "藤田", "小川", "岡田", "長谷川"]
GIVEN = ["太郎", "花子", "健太", "優子", "蓮", "陽翔", "結衣", "美咲", "大輝", "翔太", "さくら",
         "陽菜", "悠真", "葵", "湊", "凛", "直樹", "恵子", "誠", "由美", "裕子", "和也", "真由美"]
ROMAN_FAMILY = ["sato", "suzuki", "takahashi", "tanaka", "ito", "watanabe", "yamamoto", "nakamura",
                "kobayashi", "kato", "yoshida", "yamada", "sasaki", "yamaguchi", "matsumoto",
                "inoue", "kimura", "hayashi", "saito", "shimizu", "yamazaki", "mori", "ikeda"]
ROMAN_GIVEN = ["taro", "hanako", "kenta", "yuko", "ren", "haruto", "yui", "misaki", "daiki",
               "shota", "sakura", "hina", "yuma", "aoi", "minato", "rin", "naoki", "keiko"]
DOMAINS = ["example.jp", "example.co.jp", "example.ne.jp", "example.net", "example.com"]
PRODUCTS = [
    ("静岡県産 深蒸し煎茶 100g×3袋", 3240), ("無添加 だしパック 8g×30袋", 1944),
    ("オーガニック 化粧水 200mL", 3300), ("竹製 お箸 5膳セット", 1650),
    ("国産 黒酢ドリンク 500mL×6本", 4860), ("青汁 3g×30包", 3980), ("お試しセット①", 980),
    ("髙級 玉露 50g", 5400), ("山﨑農園 有機みかん 5kg", 4320), ("天然酵母パン 詰め合わせ", 2700),
    ("ハンドクリーム 50g", 1320), ("コラーゲンゼリー 10本入", 2980), ("定期便 プレミアム米 5kg", 3600),
    ("手ぬぐい 和柄 ②", 880), ("黒豆茶 ティーバッグ 30包", 1580), ("はちみつ 国産 250g", 2160),
]
SHIPPING = [0, 0, 0, 550, 880]


def yen(amount, rng):
    """An amount written one of the ways Japanese exports write yen."""
    grouped = f"{amount:,}"
    return rng.choice([str(amount), grouped, "\\" + grouped, "\uffe5" + grouped, grouped + "円"])


def to_full_width(text):
    return "".join(chr(ord(c) + 0xFEE0) if "!" <= c <= "~" else c for c in text)


def spelled_differently(email, rng):
    """The same address as a customer might type it another time (NFKC + trim + lower folds it)."""
    way = rng.randrange(4)
    if way == 0:
        return email.upper()
    if way == 1:
        return email[0].upper() + email[1:]
    if way == 2:
        return to_full_width(email)
    return " " + email + " "


def make_jp_export(path):
    rng = random.Random(20240602)
    target = 300_000
    customers = []
    orders = []  # (minute, customer, lines)
    line_count = 0
    while line_count < target:
        n = len(customers)
        fam, giv = rng.randrange(len(FAMILY)), rng.randrange(len(GIVEN))
        sep = rng.choice(["", " ", "\u3000"])
        name = FAMILY[fam] + sep + GIVEN[giv]
        local = rng.choice([".", "_", "-"]).join(
            [rng.choice(ROMAN_GIVEN), rng.choice(ROMAN_FAMILY)]
        ) + str(n)
        email = local + "@" + rng.choice(DOMAINS)
        customers.append((email, name))
        days = customer_days(
            rng, first_day(rng), rate_shape=0.9, rate_scale=1.0 / 30.0, drop_a=0.8, drop_b=5.0
        )
        for d in days:
            k = min(1 + int(rng.expovariate(1.0 / 0.7)), 5)
            lines = [(rng.choice(PRODUCTS), 1 + (rng.random() < 0.15)) for _ in range(k)]
            lines = lines[: target - line_count]
            if not lines:
                break
            line_count += len(lines)
            orders.append((d * 1440 + rng.randrange(7 * 60, 24 * 60), n, lines))
    orders.sort(key=lambda o: (o[0], o[1]))
    out = io.StringIO()
    writer = csv.writer(out, lineterminator="\r\n")
    writer.writerow(["注文番号", "注文日時", "購入者メールアドレス", "購入者名", "商品名", "数量", "小計", "合計金額"])
    number = 100_000 + len(orders)
    for minute, n, lines in reversed(orders):  # newest order first
        email, name = customers[n]
        if rng.random() < 0.15:
            email = spelled_differently(email, rng)
        day = START + timedelta(days=minute // 1440)
        when = f"{day.year}/{day.month:02d}/{day.day:02d} {minute % 1440 // 60:02d}:{minute % 60:02d}"
        subtotals = [price * qty for (_, price), qty in lines]
        total = sum(subtotals) + rng.choice(SHIPPING)
        for ((product, _), qty), sub in zip(lines, subtotals):
            writer.writerow([f"ORD-{number:08d}", when, email, name, product, qty,
                             yen(sub, rng), yen(total, rng)])
        number -= 1
    with open(path, "wb") as f:
        f.write(out.getvalue().encode("cp932"))
    return len(customers), len(orders)


def sha256(path):
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            h.update(chunk)
    return h.hexdigest()


def main():
    force = "--force" in sys.argv
    os.makedirs(DATA, exist_ok=True)
    for name, make in [
        (ORDERS_1M, make_orders_1m),
        (ORDERS_STEADY, make_orders_steady),
        (JP_EXPORT, make_jp_export),
    ]:
        path = os.path.join(DATA, name)
        if not force and os.path.exists(path) and sha256(path) == EXPECTED[name]:
            print(f"[gen] {name}: present, hash matches")
            continue
        what = make(path)
        digest = sha256(path)
        print(f"[gen] {name}: {os.path.getsize(path):,} bytes, {what}, sha256 {digest}")
        if EXPECTED[name] is not None and digest != EXPECTED[name]:
            # Another Python may draw differently; the figures are then not comparable with
            # bench/RESULTS.md, so say it loudly (the table records each file's hash).
            print(f"[gen] WARNING {name}: sha256 differs from the expected {EXPECTED[name]}")


if __name__ == "__main__":
    main()
