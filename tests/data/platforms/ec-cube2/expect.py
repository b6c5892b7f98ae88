#!/usr/bin/env python3
"""Expected figures for the EC-CUBE 2 受注管理 CSV fixture (rules: see SOURCE.md)."""
import csv
import glob
import json
import os
import unicodedata

HERE = os.path.dirname(os.path.abspath(__file__))
PREFIX = 'order_'  # download name: order_yymmdd_HHMMSS.csv
PLATFORM = 'EcCube2'

NOT_SALES = {'3', '7'}  # キャンセル, 決済処理中 (the platform's own sales report leaves out exactly these)
GUEST_IDS = {'0', ''}  # 会員ID is 0 for non-member orders
PRODUCT_COLUMNS = ('商品名',)  # this export has no product column at all


def email_key(s):
    return unicodedata.normalize('NFKC', s).strip().lower()


def money(s):
    return float(s) if s.strip() else 0.0


def main():
    path = sorted(glob.glob(os.path.join(HERE, PREFIX + '*.csv')))[0]
    with open(path, encoding='cp932', newline='') as f:
        records = list(csv.reader(f))
    head, data = records[0], records[1:]
    col = {name: i for i, name in enumerate(head)}
    product_cols = [col[c] for c in PRODUCT_COLUMNS if c in col]

    def summarise(keep):
        kept = [r for r in data if keep(r)]  # one record per order
        custs, guests, days = set(), 0, []
        revenue = after = 0.0
        lines = 0
        for r in kept:
            member = r[col['会員ID']].strip()
            if member in GUEST_IDS:
                custs.add('mail:' + email_key(r[col['メールアドレス']]))
                guests += 1
            else:
                custs.add('id:' + member)
            revenue += money(r[col['合計']])
            after += money(r[col['お支払い合計']])
            d = r[col['注文日時']].strip()
            if d:
                days.append(d[:10])  # drops the time and any fractional seconds
            if any(r[i].strip() for i in product_cols):
                lines += 1
        return dict(orders=len({r[col['注文番号']] for r in kept}), customers=len(custs), guests=guests,
                    revenue=round(revenue, 2), after=round(after, 2), days=sorted(days), lines=lines)

    sales = summarise(lambda r: r[col['対応状況']].strip() not in NOT_SALES)
    allo = summarise(lambda r: True)
    cancelled = [r for r in data if r[col['対応状況']].strip() in NOT_SALES]
    result = {
        'file': os.path.basename(path),
        'platform': PLATFORM,
        'encoding': 'cp932',
        'delimiter': 'comma',
        'rows': len(data),
        'orders': sales['orders'],
        'customers': sales['customers'],
        'revenue': sales['revenue'],
        'revenue_column': '合計',
        'revenue_after_points': sales['after'],
        'revenue_after_points_column': 'お支払い合計',
        'first_day': sales['days'][0],
        'last_day': sales['days'][-1],
        'cancelled_orders': len(cancelled),
        'cancelled_revenue': round(sum(money(r[col['合計']]) for r in cancelled), 2),
        'status_column': '対応状況',
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
