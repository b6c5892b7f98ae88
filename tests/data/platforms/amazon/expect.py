#!/usr/bin/env python3
"""Expected figures for the Amazon.co.jp order report fixture (rules: see SOURCE.md)."""
import csv
import json
import os
import unicodedata
from datetime import datetime, timedelta, timezone

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'OrderReport.txt'
JST = timezone(timedelta(hours=9))


def email_key(s):
    return unicodedata.normalize('NFKC', s).strip().lower()


def money(s):
    return float(s) if s.strip() else 0.0


def jst_day(s):
    # purchase-date is ISO 8601 with an offset; report the day in Japan time
    return datetime.fromisoformat(s.strip()).astimezone(JST).strftime('%Y-%m-%d')


def main():
    with open(os.path.join(HERE, FILE), encoding='utf-8', newline='') as f:
        # tab separated, no quoting: a comma or quote in a product name is plain text
        records = list(csv.reader(f, delimiter='\t', quoting=csv.QUOTE_NONE))
    head, data = records[0], records[1:]
    col = {name: i for i, name in enumerate(head)}

    orders = {}
    for r in data:
        orders.setdefault(r[col['order-id']], []).append(r)

    # The report has no status column: every order counts as a sale.
    custs, days, revenue, lines = set(), [], 0.0, 0
    for rows in orders.values():
        custs.add(email_key(rows[0][col['buyer-email']]))
        days.append(jst_day(rows[0][col['purchase-date']]))
        for r in rows:
            # item-price and shipping-price are per item row and already multiplied by the quantity
            revenue += money(r[col['item-price']]) + money(r[col['shipping-price']])
            if r[col['sku']].strip() or r[col['product-name']].strip():
                lines += 1
    days.sort()
    revenue = round(revenue, 2)
    result = {
        'file': FILE,
        'platform': 'Amazon',
        'encoding': 'utf-8',
        'delimiter': 'tab',
        'rows': len(data),
        'orders': len(orders),
        'customers': len(custs),
        'revenue': revenue,
        'revenue_column': 'item-price + shipping-price',
        'revenue_after_points': None,
        'revenue_after_points_column': None,
        'first_day': days[0],
        'last_day': days[-1],
        'cancelled_orders': 0,
        'cancelled_revenue': 0.0,
        'status_column': None,
        'guest_orders': 0,
        'orders_with_cancelled': len(orders),
        'customers_with_cancelled': len(custs),
        'revenue_with_cancelled': revenue,
        'product_lines': lines,
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    main()
