#!/usr/bin/env python3
"""Figures of the CDNOW master file, computed independently of the Rust code.

Reads tests/data/cdnow/CDNOW_master.txt (in the repository) (or the path given as the first
argument) with the standard library only. Every row is one order (rows repeating a
customer and a day are separate orders). The analysis date is the last order day.

Prints: customers, orders, revenue, AOV, 1997 revenue per customer (customers with an
order in 1997), the share of customers with 2+ orders, and for the January, February and
March 1997 cohorts (first-order month) their size and month-1 retention (customers with an
order in the calendar month after their first-order month, divided by the cohort size).
"""

import os
import sys
from collections import defaultdict

here = os.path.dirname(os.path.abspath(__file__))
path = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
    here, "..", "..", "..", "tests", "data", "cdnow", "CDNOW_master.txt")

orders = []  # (customer, year, month, dollars)
with open(path, newline="") as f:
    next(f)  # header
    for line in f:
        fields = line.split()
        if not fields:
            continue
        customer, date, _cds, dollars = fields
        orders.append((customer, int(date[:4]), int(date[4:6]), float(dollars)))

orders_per_customer = defaultdict(int)
months_per_customer = defaultdict(set)
revenue_1997 = 0.0
customers_1997 = set()
for customer, year, month, dollars in orders:
    orders_per_customer[customer] += 1
    months_per_customer[customer].add(year * 12 + month - 1)
    if year == 1997:
        revenue_1997 += dollars
        customers_1997.add(customer)

revenue = sum(o[3] for o in orders)
customers = len(orders_per_customer)
print(f"customers {customers}")
print(f"orders {len(orders)}")
print(f"revenue {revenue:.2f}")
print(f"average_order_value {revenue / len(orders):.10f}")
print(f"customers_1997 {len(customers_1997)}")
print(f"revenue_1997 {revenue_1997:.2f}")
print(f"revenue_per_customer_1997 {revenue_1997 / len(customers_1997):.10f}")
repeat = sum(1 for n in orders_per_customer.values() if n >= 2)
print(f"repeat_customers {repeat}")
print(f"repeat_share {repeat / customers:.10f}")
for month in (1, 2, 3):
    cohort = 1997 * 12 + month - 1
    members = [c for c, ms in months_per_customer.items() if min(ms) == cohort]
    back = sum(1 for c in members if cohort + 1 in months_per_customer[c])
    print(f"cohort_1997_{month:02d} size {len(members)} month1_active {back} "
          f"month1_rate {back / len(members):.10f}")
