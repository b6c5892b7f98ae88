#!/usr/bin/env python3
"""Expected figures for the Rakuten Pay (RMS 楽天ペイ受注) fixture.

Rules (see SOURCE.md): one row per item; order-level money repeated on every
row of the order, so it is taken once per 注文番号. Cancelled = ステータス
'キャンセル確定' (or 'キャンセル確定待ち'). Revenue = 合計金額, after points =
請求金額; -9999 means "not yet fixed" and counts as no amount. No member ID:
every order is keyed by 注文者メールアドレス (NFKC, trimmed, lower-cased).
"""
import csv, json, os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'rakuten_pay_orders.csv'
CANCELLED = {'キャンセル確定', 'キャンセル確定待ち'}


def money(s):
    s = (s or '').strip().replace(',', '')
    if s == '' or s == '-9999':
        return 0.0
    return float(s)


def email_key(s):
    return unicodedata.normalize('NFKC', s or '').strip().lower()


with open(os.path.join(HERE, FILE), encoding='cp932', newline='') as f:
    rows = list(csv.DictReader(f))

orders = {}
for r in rows:
    o = orders.setdefault(r['注文番号'], {'rows': 0, 'first': r})
    o['rows'] += 1


def figures(include_cancelled):
    kept = {k: v for k, v in orders.items()
            if include_cancelled or v['first']['ステータス'] not in CANCELLED}
    days = sorted(v['first']['注文日時'][:10] for v in kept.values())
    return {
        'orders': len(kept),
        'customers': len({email_key(v['first']['注文者メールアドレス']) for v in kept.values()}),
        'revenue': sum(money(v['first']['合計金額']) for v in kept.values()),
        'after': sum(money(v['first']['請求金額']) for v in kept.values()),
        'first_day': days[0] if days else None,
        'last_day': days[-1] if days else None,
        'lines': sum(v['rows'] for v in kept.values()),
    }


kept, allo = figures(False), figures(True)
out = {
    'file': FILE,
    'platform': 'RakutenPay',
    'encoding': 'cp932',
    'delimiter': 'comma',
    'rows': len(rows),
    'orders': kept['orders'],
    'customers': kept['customers'],
    'revenue': kept['revenue'],
    'revenue_column': '合計金額',
    'revenue_after_points': kept['after'],
    'revenue_after_points_column': '請求金額',
    'first_day': kept['first_day'],
    'last_day': kept['last_day'],
    'cancelled_orders': allo['orders'] - kept['orders'],
    'cancelled_revenue': allo['revenue'] - kept['revenue'],
    'status_column': 'ステータス',
    'guest_orders': 0,
    'orders_with_cancelled': allo['orders'],
    'customers_with_cancelled': allo['customers'],
    'revenue_with_cancelled': allo['revenue'],
    'product_lines': kept['lines'],
}
text = json.dumps(out, ensure_ascii=False, indent=2)
with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
    f.write(text + '\n')
print(text)
