#!/usr/bin/env python3
"""Expected figures for the WooCommerce Analytics → Orders download fixture (rules: see SOURCE.md)."""
import csv
import glob
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = 'orders_'  # browser download name: orders_<today>_<report query>.csv

# cancelled / failed / fully refunded, and unpaid (pending payment, on hold) are not sales
NOT_SALES = {'cancelled', 'failed', 'refunded', 'pending', 'on-hold', 'checkout-draft', 'trash'}


def name_key(s):
    return unicodedata.normalize('NFKC', s).strip()


def money(s):
    return float(s) if s.strip() else 0.0


def main():
    path = sorted(glob.glob(os.path.join(HERE, PREFIX + '*.csv')))[0]
    with open(path, encoding='utf-8', newline='') as f:
        records = list(csv.reader(f))
    head, data = records[0], records[1:]
    col = {name: i for i, name in enumerate(head)}

    # A refund is a row of its own with the parent's Order # and a negative Net sales.
    orders = {}
    for r in data:
        orders.setdefault(r[col['Order #']], []).append(r)

    def is_sale(rows):
        return not any(r[col['Status']].strip() in NOT_SALES for r in rows)

    def net(rows):
        return sum(money(r[col['Net sales']]) for r in rows)

    def summarise(keep):
        kept = [rows for rows in orders.values() if keep(rows)]
        custs, days, revenue, lines = set(), [], 0.0, 0
        for rows in kept:
            # no e-mail and no customer ID in this export: the customer is the name
            custs.add(name_key(rows[0][col['Customer']]))
            revenue += net(rows)
            days.append(min(r[col['Date']].strip() for r in rows)[:10])
            if rows[0][col['Product(s)']].strip():
                lines += 1
        return dict(orders=len(kept), customers=len(custs), revenue=round(revenue, 2), days=sorted(days),
                    lines=lines)

    sales = summarise(is_sale)
    allo = summarise(lambda rows: True)
    cancelled = [rows for rows in orders.values() if not is_sale(rows)]
    result = {
        'file': os.path.basename(path),
        'platform': 'WooCommerce',
        'encoding': 'utf-8',
        'delimiter': 'comma',
        'rows': len(data),
        'orders': sales['orders'],
        'customers': sales['customers'],
        'revenue': sales['revenue'],
        'revenue_column': 'Net sales',
        'revenue_after_points': None,
        'revenue_after_points_column': None,
        'first_day': sales['days'][0],
        'last_day': sales['days'][-1],
        'cancelled_orders': len(cancelled),
        'cancelled_revenue': round(sum(net(rows) for rows in cancelled), 2),
        'status_column': 'Status',
        'guest_orders': 0,
        'orders_with_cancelled': allo['orders'],
        'customers_with_cancelled': allo['customers'],
        'revenue_with_cancelled': allo['revenue'],
        # "Product(s)" packs every product of the order into one cell ("2× A, 1× B"), and
        # product names may hold ", " themselves: the importer does not split it, so the
        # export gives no product lines.
        'product_lines': 0,
    }
    text = json.dumps(result, ensure_ascii=False, indent=2)
    with open(os.path.join(HERE, 'expected.json'), 'w', encoding='utf-8') as f:
        f.write(text + '\n')
    print(text)


if __name__ == '__main__':
    main()
