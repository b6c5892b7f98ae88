#!/usr/bin/env python3
"""Expected figures for the EC-CUBE 4 受注CSV fixture (rules: see SOURCE.md)."""
import csv
import glob
import json
import os
import unicodedata

import sys

# The folder and the download's name prefix: the 受注CSV here by default; the 配送CSV
# (same columns, same rules) passes its own folder and 'shipping_'.
HERE = sys.argv[1] if len(sys.argv) > 1 else os.path.dirname(os.path.abspath(__file__))
PREFIX = sys.argv[2] if len(sys.argv) > 2 else 'order_'  # order_YYYYmmddHHMMSS.csv
PLATFORM = 'EcCube4'

NOT_SALES = {'3', '7', '8', '9'}  # 注文取消し, 決済処理中, 購入処理中, 返品
GUEST_IDS = {''}  # 会員ID is blank for non-member orders
PRODUCT_TYPE = '1'  # 明細区分(ID) 1 = 商品


def email_key(s):
    return unicodedata.normalize('NFKC', s).strip().lower()


def money(s):
    return float(s) if s.strip() else 0.0


def main():
    path = sorted(glob.glob(os.path.join(HERE, PREFIX + '*.csv')))[0]
    with open(path, encoding='cp932', newline='') as f:
        records = list(csv.reader(f))
    head, data = records[0], records[1:]
    # The header holds '送料' twice: the first (order level) is the one used here.
    col = {}
    for i, name in enumerate(head):
        col.setdefault(name, i)

    orders = {}
    for r in data:
        oid = r[col['注文ID']]
        o = orders.setdefault(oid, {'row': r, 'items': []})
        o['items'].append(r)

    def summarise(keep):
        kept = [o for o in orders.values() if keep(o['row'])]
        custs, guests, days = set(), 0, []
        revenue = after = 0.0
        lines = 0
        for o in kept:
            r = o['row']  # order-level columns repeat on every row: read them once
            member = r[col['会員ID']].strip()
            if member in GUEST_IDS:
                custs.add('mail:' + email_key(r[col['メールアドレス']]))
                guests += 1
            else:
                custs.add('id:' + member)
            # 合計 is already net of points and discounts; add 値引き back for the gross total
            revenue += money(r[col['合計']]) + money(r[col['値引き']])
            after += money(r[col['支払合計']])
            d = r[col['受注日']].strip()
            if d:
                days.append(d[:10])
            lines += sum(1 for it in o['items'] if it[col['明細区分(ID)']] == PRODUCT_TYPE)
        return dict(orders=len(kept), customers=len(custs), guests=guests, revenue=round(revenue, 2),
                    after=round(after, 2), days=sorted(days), lines=lines)

    sales = summarise(lambda r: r[col['対応状況(ID)']] not in NOT_SALES)
    allo = summarise(lambda r: True)
    cancelled = [o for o in orders.values() if o['row'][col['対応状況(ID)']] in NOT_SALES]
    result = {
        'file': os.path.basename(path),
        'platform': PLATFORM,
        'encoding': 'cp932',
        'delimiter': 'comma',
        'rows': len(data),
        'orders': sales['orders'],
        'customers': sales['customers'],
        'revenue': sales['revenue'],
        'revenue_column': '合計 + 値引き',
        'revenue_after_points': sales['after'],
        'revenue_after_points_column': '支払合計',
        'first_day': sales['days'][0],
        'last_day': sales['days'][-1],
        'cancelled_orders': len(cancelled),
        'cancelled_revenue': round(sum(money(o['row'][col['合計']]) + money(o['row'][col['値引き']])
                                       for o in cancelled), 2),
        'status_column': '対応状況(ID)',
        'guest_orders': sales['guests'],
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
