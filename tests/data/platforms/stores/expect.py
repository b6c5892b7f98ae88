#!/usr/bin/env python3
"""Expected figures for the STORES オーダー情報CSV fixture (rules: see SOURCE.md)."""
import csv
import glob
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PATTERN = '20*.csv'

NOT_SALES = {'キャンセル', '入金待ち', '未入金'}  # cancelled, and not yet paid


def email_key(s):
    return unicodedata.normalize('NFKC', s).strip().lower()


def money(s):
    return float(s.replace(',', '')) if s.strip() else 0.0


def main():
    path = sorted(glob.glob(os.path.join(HERE, PATTERN)))[0]
    with open(path, encoding='cp932', newline='') as f:
        records = list(csv.reader(f))
    head, data = records[0], records[1:]
    col = {name: i for i, name in enumerate(head)}

    orders = {}
    for r in data:
        orders.setdefault(r[col['オーダー番号']], []).append(r)

    def is_sale(rows):
        return rows[0][col['ステータス']].strip() not in NOT_SALES

    def gross(rows):
        r = rows[0]  # order-level amounts repeat on every item row: read them once
        return money(r[col['合計']]) + money(r[col['クーポン割引額']])

    def summarise(keep):
        kept = [rows for rows in orders.values() if keep(rows)]
        custs, days, revenue, lines = set(), [], 0.0, 0
        for rows in kept:
            custs.add(email_key(rows[0][col['メールアドレス']]))  # no customer ID: e-mail is the key
            revenue += gross(rows)
            days.append(rows[0][col['オーダー日']].strip()[:10].replace('/', '-'))
            lines += sum(1 for r in rows if r[col['アイテム名']].strip())
        return dict(orders=len(kept), customers=len(custs), revenue=round(revenue, 2), days=sorted(days),
                    lines=lines)

    sales = summarise(is_sale)
    allo = summarise(lambda rows: True)
    cancelled = [rows for rows in orders.values() if not is_sale(rows)]
    result = {
        'file': os.path.basename(path),
        'platform': 'Stores',
        'encoding': 'cp932',
        'delimiter': 'comma',
        'rows': len(data),
        'orders': sales['orders'],
        'customers': sales['customers'],
        'revenue': sales['revenue'],
        'revenue_column': '合計 + クーポン割引額',
        'revenue_after_points': None,
        'revenue_after_points_column': None,
        'first_day': sales['days'][0],
        'last_day': sales['days'][-1],
        'cancelled_orders': len(cancelled),
        'cancelled_revenue': round(sum(gross(rows) for rows in cancelled), 2),
        'status_column': 'ステータス',
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
