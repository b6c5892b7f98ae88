#!/usr/bin/env python3
"""Expected figures for the Yahoo!ショッピング order-file fixture (yahoo_order.csv).

Rules (see SOURCE.md): the order file has one row per order (items live in
yahoo_item.csv, joined by OrderId). Cancelled = OrderStatus 4 (キャンセル).
Revenue = TotalPrice (order total before points). No verified after-points
column, so revenue_after_points is null. No customer ID column: every order is
keyed by BillMailAddress (NFKC, trimmed, lower-cased). The order file names no
product, so product_lines is 0.
"""
import csv, json, os, unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'yahoo_order.csv'
CANCELLED = {'4', 'キャンセル'}


def money(s):
    s = (s or '').strip().replace(',', '')
    return float(s) if s else 0.0


def email_key(s):
    return unicodedata.normalize('NFKC', s or '').strip().lower()


def day(s):
    return s.strip()[:10].replace('/', '-')


with open(os.path.join(HERE, FILE), encoding='cp932', newline='') as f:
    rows = list(csv.DictReader(f))

orders = {}
for r in rows:
    orders.setdefault(r['OrderId'], r)


def figures(include_cancelled):
    kept = [r for r in orders.values()
            if include_cancelled or r['OrderStatus'].strip() not in CANCELLED]
    days = sorted(day(r['OrderTime']) for r in kept)
    return {
        'orders': len(kept),
        'customers': len({email_key(r['BillMailAddress']) for r in kept}),
        'revenue': sum(money(r['TotalPrice']) for r in kept),
        'first_day': days[0] if days else None,
        'last_day': days[-1] if days else None,
        'lines': sum(1 for r in kept if (r.get('Title') or '').strip()),
    }


kept, allo = figures(False), figures(True)
out = {
    'file': FILE,
    'platform': 'Yahoo',
    'encoding': 'cp932',
    'delimiter': 'comma',
    'rows': len(rows),
    'orders': kept['orders'],
    'customers': kept['customers'],
    'revenue': kept['revenue'],
    'revenue_column': 'TotalPrice',
    'revenue_after_points': None,
    'revenue_after_points_column': None,
    'first_day': kept['first_day'],
    'last_day': kept['last_day'],
    'cancelled_orders': allo['orders'] - kept['orders'],
    'cancelled_revenue': allo['revenue'] - kept['revenue'],
    'status_column': 'OrderStatus',
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
