#!/usr/bin/env python3
"""Expected figures for the Shopify orders export fixture (rules: see SOURCE.md)."""
import csv
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
FILE = 'orders_export_1.csv'

NOT_SALES_FINANCIAL = {'refunded', 'voided'}  # plus any order whose 'Cancelled at' is filled


def email_key(s):
    return unicodedata.normalize('NFKC', s).strip().lower()


def money(s):
    return float(s) if s.strip() else 0.0


def main():
    with open(os.path.join(HERE, FILE), encoding='utf-8', newline='') as f:
        records = list(csv.reader(f))
    head, data = records[0], records[1:]
    col = {name: i for i, name in enumerate(head)}

    orders = {}
    for r in data:
        o = orders.setdefault(r[col['Name']], {'head': None, 'items': []})
        o['items'].append(r)
        # order-level columns are only filled on the order's first row
        if o['head'] is None and r[col['Financial Status']].strip():
            o['head'] = r

    def is_sale(h):
        return not h[col['Cancelled at']].strip() and h[col['Financial Status']].strip() not in NOT_SALES_FINANCIAL

    def gross(h):
        # Total is after discount codes; add Discount Amount back for the figure before coupons
        return money(h[col['Total']]) + money(h[col['Discount Amount']])

    def summarise(keep):
        kept = [o for o in orders.values() if keep(o['head'])]
        custs, days, revenue, lines = set(), [], 0.0, 0
        for o in kept:
            h = o['head']
            custs.add(email_key(h[col['Email']]))  # no customer-ID column: e-mail is the key
            revenue += gross(h)
            days.append(h[col['Created at']][:10])
            lines += sum(1 for it in o['items'] if it[col['Lineitem name']].strip())
        return dict(orders=len(kept), customers=len(custs), revenue=round(revenue, 2), days=sorted(days),
                    lines=lines)

    sales = summarise(is_sale)
    allo = summarise(lambda h: True)
    cancelled = [o for o in orders.values() if not is_sale(o['head'])]
    result = {
        'file': FILE,
        'platform': 'Shopify',
        'encoding': 'utf-8',
        'delimiter': 'comma',
        'rows': len(data),
        'orders': sales['orders'],
        'customers': sales['customers'],
        'revenue': sales['revenue'],
        'revenue_column': 'Total + Discount Amount',
        'revenue_after_points': None,
        'revenue_after_points_column': None,
        'first_day': sales['days'][0],
        'last_day': sales['days'][-1],
        'cancelled_orders': len(cancelled),
        'cancelled_revenue': round(sum(gross(o['head']) for o in cancelled), 2),
        'status_column': 'Cancelled at',
        'guest_orders': 0,
        'orders_with_cancelled': allo['orders'],
        'customers_with_cancelled': allo['customers'],
        'revenue_with_cancelled': allo['revenue'],
        'product_lines': sales['lines'],
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    main()
