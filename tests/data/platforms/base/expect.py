#!/usr/bin/env python3
"""Expected figures for the BASE 注文CSV fixture.

Rules (see SOURCE.md): one row per product line, plus an extra row per chosen
paid option (商品名 '商品オプション「…」', 商品ID empty). 合計金額 is per row
(価格 × 数量); 送料, 代引き手数料 and 調整金額 are order-level values repeated
on every row of the order and are added once per 注文ID. Cancelled = 発送状況
'キャンセル'. No points column. No member ID: every order is keyed by
メールアドレス(請求先) (NFKC, trimmed, lower-cased).
"""
import csv, json, os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'base_orders.csv'
CANCELLED = {'キャンセル'}


def money(s):
    s = (s or '').strip().replace(',', '').replace('¥', '').replace('円', '')
    return float(s) if s else 0.0


def email_key(s):
    return unicodedata.normalize('NFKC', s or '').strip().lower()


with open(os.path.join(HERE, FILE), encoding='cp932', newline='') as f:
    rows = list(csv.DictReader(f))

orders = {}
for r in rows:
    o = orders.setdefault(r['注文ID'], {'first': r, 'lines': 0.0, 'products': 0})
    o['lines'] += money(r['合計金額'])
    if r['商品ID'].strip():
        o['products'] += 1


def order_total(o):
    f = o['first']
    return o['lines'] + money(f['送料']) + money(f['代引き手数料']) + money(f['調整金額'])


def figures(include_cancelled):
    kept = [o for o in orders.values()
            if include_cancelled or o['first']['発送状況'].strip() not in CANCELLED]
    days = sorted(o['first']['注文日時'][:10] for o in kept)
    return {
        'orders': len(kept),
        'customers': len({email_key(o['first']['メールアドレス(請求先)']) for o in kept}),
        'revenue': sum(order_total(o) for o in kept),
        'first_day': days[0] if days else None,
        'last_day': days[-1] if days else None,
        'lines': sum(o['products'] for o in kept),
    }


kept, allo = figures(False), figures(True)
out = {
    'file': FILE,
    'platform': 'Base',
    'encoding': 'cp932',
    'delimiter': 'comma',
    'rows': len(rows),
    'orders': kept['orders'],
    'customers': kept['customers'],
    'revenue': kept['revenue'],
    'revenue_column': '合計金額 + 送料 + 代引き手数料 + 調整金額',
    'revenue_after_points': None,
    'revenue_after_points_column': None,
    'first_day': kept['first_day'],
    'last_day': kept['last_day'],
    'cancelled_orders': allo['orders'] - kept['orders'],
    'cancelled_revenue': allo['revenue'] - kept['revenue'],
    'status_column': '発送状況',
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
