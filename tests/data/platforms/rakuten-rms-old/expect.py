#!/usr/bin/env python3
"""Expected figures for the old Rakuten RMS 受注 CSV fixture (pre-楽天ペイ layout).

Rules (see SOURCE.md): one row per item; order-level money repeated on every
row, taken once per 受注番号. Cancelled = 受注ステータス 'キャンセル'.
Revenue = 合計金額(-99999=無効値), after points = 請求金額(-99999=無効値);
-99999 is the platform's "invalid / not yet fixed" marker and counts as no
amount. No member ID: every order is keyed by メールアドレス (NFKC, trimmed,
lower-cased).
"""
import csv, json, os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'rakuten_rms_orders.csv'
CANCELLED = {'キャンセル'}
TOTAL = '合計金額(-99999=無効値)'
AFTER = '請求金額(-99999=無効値)'


def money(s):
    s = (s or '').strip().replace(',', '')
    if s == '' or s == '-99999':
        return 0.0
    return float(s)


def email_key(s):
    return unicodedata.normalize('NFKC', s or '').strip().lower()


with open(os.path.join(HERE, FILE), encoding='cp932', newline='') as f:
    rows = list(csv.DictReader(f))

orders = {}
for r in rows:
    o = orders.setdefault(r['受注番号'], {'rows': 0, 'first': r})
    o['rows'] += 1


def figures(include_cancelled):
    kept = {k: v for k, v in orders.items()
            if include_cancelled or v['first']['受注ステータス'] not in CANCELLED}
    days = sorted(v['first']['注文日時'][:10] for v in kept.values())
    return {
        'orders': len(kept),
        'customers': len({email_key(v['first']['メールアドレス']) for v in kept.values()}),
        'revenue': sum(money(v['first'][TOTAL]) for v in kept.values()),
        'after': sum(money(v['first'][AFTER]) for v in kept.values()),
        'first_day': days[0] if days else None,
        'last_day': days[-1] if days else None,
        'lines': sum(v['rows'] for v in kept.values()),
    }


kept, allo = figures(False), figures(True)
out = {
    'file': FILE,
    'platform': 'RakutenRms',
    'encoding': 'cp932',
    'delimiter': 'comma',
    'rows': len(rows),
    'orders': kept['orders'],
    'customers': kept['customers'],
    'revenue': kept['revenue'],
    'revenue_column': TOTAL,
    'revenue_after_points': kept['after'],
    'revenue_after_points_column': AFTER,
    'first_day': kept['first_day'],
    'last_day': kept['last_day'],
    'cancelled_orders': allo['orders'] - kept['orders'],
    'cancelled_revenue': allo['revenue'] - kept['revenue'],
    'status_column': '受注ステータス',
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
