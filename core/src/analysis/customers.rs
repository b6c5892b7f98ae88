//! 顧客別集計: the per-customer aggregates every analysis reads, built once per analysis date.
//!
//! The orders up to the analysis date are grouped by customer with a counting sort (dense
//! customer ids, no hashing) and sorted by day within each customer, so that every analysis
//! after this one is a single pass over plain arrays. A table already in that order (the
//! worker's, see `OrderTable::group_by_customer`) is read where it is, without a copy.

use serde::{Deserialize, Serialize};

use crate::orders::{
    customer_order, day_then_amount, month_of_day, Buckets, Day, MonthIndex, Order, OrderTable,
};

/// One customer's orders up to the analysis date.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct CustomerStats {
    /// 初回購入日.
    pub first_day: Day,
    /// 2回目の購入日: the day of the second order, which is the first order's day when two
    /// orders share it; `None` for a customer with one order.
    pub second_day: Option<Day>,
    /// 最終購入日.
    pub last_day: Day,
    /// 購入回数: the number of orders (two orders on one day count as two).
    pub orders: u64,
    /// Distinct days with an order.
    pub order_days: u64,
    /// 累計購入金額 in yen.
    pub revenue: f64,
}

impl CustomerStats {
    /// F2: whether the first order is at least `f2_days` before `as_of`, so that a second
    /// order within them could have been seen.
    pub fn f2_eligible(&self, as_of: Day, f2_days: u32) -> bool {
        i64::from(self.first_day) + i64::from(f2_days) <= i64::from(as_of)
    }

    /// F2: whether the second order came within `f2_days` of the first (on the same day
    /// counts).
    pub fn f2_converted(&self, f2_days: u32) -> bool {
        self.second_day
            .is_some_and(|d| i64::from(d) - i64::from(self.first_day) <= i64::from(f2_days))
    }

    /// 最終購入からの日数 at `as_of` (0 when the last order is on `as_of`).
    pub fn days_since_last(&self, as_of: Day) -> i64 {
        i64::from(as_of) - i64::from(self.last_day)
    }

    /// 在籍期間: days from the first to the last order.
    pub fn tenure_days(&self) -> i64 {
        i64::from(self.last_day) - i64::from(self.first_day)
    }
}

/// The orders of a table up to an analysis date, grouped by customer, with each customer's
/// [`CustomerStats`]. Build it once with [`CustomerBase::new`] and pass it to every analysis.
///
/// Orders after `as_of` are left out, so moving the date back needs only a new base, not
/// the file again. A customer whose every order is after `as_of` is not a customer yet and
/// is skipped by [`CustomerBase::customers`].
#[derive(Clone, Debug)]
pub struct CustomerBase {
    as_of: Day,
    /// The orders up to `as_of`, grouped by customer id, by day (then amount) within one.
    orders: Held,
    stats: Vec<CustomerStats>,
    calendar: Calendar,
    customers: u64,
    order_count: u64,
    revenue: f64,
}

/// Where a base reads each customer's orders.
#[derive(Clone, Debug)]
enum Held {
    /// In the table, which is in customer order ([`OrderTable::group_by_customer`]): customer
    /// `c`'s orders begin at `starts[c]`, and its first `stats[c].orders` are on or before
    /// `as_of`. Nothing is copied. `len` is the table's order count, to tell another table.
    Table { starts: Vec<u32>, len: usize },
    /// A copy, for a table in another order.
    Own(Buckets<CustomerOrder>),
}

impl CustomerBase {
    /// Groups the orders on or before `as_of` (default: the last order day; 1970-01-01 for
    /// an empty table) by customer.
    ///
    /// A table in customer order ([`OrderTable::group_by_customer`]) is read where it is:
    /// the base then keeps a count a customer, not a copy of the orders, and must be read
    /// with that table. Any other table is copied, grouped.
    ///
    /// Amounts that are not finite count as ¥0 (the importer never makes them). A customer id
    /// beyond `customer_keys` is kept as its own customer.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::customers::CustomerBase;
    /// use ltv_core::orders::{Order, OrderTable};
    /// let table = OrderTable {
    ///     customer_keys: ["a", "b"].into(),
    ///     orders: vec![
    ///         Order { customer: 0, day: 10, amount: 1_000.0 },
    ///         Order { customer: 1, day: 12, amount: 500.0 },
    ///         Order { customer: 0, day: 20, amount: 2_000.0 },
    ///     ],
    ///     ..Default::default()
    /// };
    /// let base = CustomerBase::new(&table, None);
    /// assert_eq!(base.as_of(), 20);
    /// let a = base.stats(0).unwrap();
    /// assert_eq!((a.first_day, a.last_day, a.orders, a.revenue), (10, 20, 2, 3_000.0));
    /// // Moving the date back drops the later order.
    /// let earlier = CustomerBase::new(&table, Some(15));
    /// assert_eq!(earlier.stats(0).unwrap().orders, 1);
    /// // The same from the table in customer order, read where it is.
    /// let mut grouped = table.clone();
    /// grouped.group_by_customer();
    /// let base = CustomerBase::new(&grouped, Some(15));
    /// assert_eq!(base.stats(0), earlier.stats(0));
    /// assert_eq!(base.orders_of(&grouped, 0).count(), 1);
    /// ```
    pub fn new(table: &OrderTable, as_of: Option<Day>) -> Self {
        let as_of = Self::as_of_for(table, as_of);
        let id_count = table.customer_id_count();
        let mut orders = match starts_in_place(table, id_count) {
            Some(starts) => Held::Table {
                starts,
                len: table.orders.len(),
            },
            None => Held::Own(Buckets::new(
                id_count,
                &table.orders,
                |o| (o.day <= as_of).then_some(o.customer as usize),
                |i, o| CustomerOrder {
                    day: o.day,
                    index: i as u32,
                    amount: yen(o.amount),
                },
            )),
        };

        let mut stats = Vec::with_capacity(id_count);
        let (mut customers, mut order_count, mut revenue) = (0, 0, 0.0);
        let mut first_day = Day::MAX;
        for c in 0..id_count {
            let mut s = CustomerStats::default();
            let mut previous_day = None;
            let mut add = |day: Day, amount: f64| {
                match s.orders {
                    0 => s.first_day = day,
                    1 => s.second_day = Some(day),
                    _ => {}
                }
                s.last_day = day;
                if previous_day != Some(day) {
                    s.order_days += 1;
                    previous_day = Some(day);
                }
                s.orders += 1;
                s.revenue += amount;
            };
            // Day first, then amount: the order of rows in the file never changes a sum.
            match &mut orders {
                Held::Table { starts, .. } => {
                    let all = &table.orders[starts[c] as usize..starts[c + 1] as usize];
                    let slice = &all[..all.partition_point(|o| o.day <= as_of)];
                    slice.iter().for_each(|o| add(o.day, o.amount));
                }
                Held::Own(buckets) => {
                    let slice = buckets.get_mut(c);
                    slice.sort_unstable_by(|a, b| {
                        day_then_amount((a.day, a.amount), (b.day, b.amount))
                    });
                    slice.iter().for_each(|o| add(o.day, o.amount));
                }
            }
            if s.orders > 0 {
                first_day = first_day.min(s.first_day);
                customers += 1;
                order_count += s.orders;
                revenue += s.revenue;
            }
            stats.push(s);
        }
        let first_day = if customers == 0 { as_of } else { first_day };
        CustomerBase {
            as_of,
            orders,
            stats,
            calendar: Calendar::new(first_day, as_of),
            customers,
            order_count,
            revenue,
        }
    }

    /// The date a base for `as_of` is built at: `as_of`, else the last order day (1970-01-01
    /// for an empty table). A base kept from before can be reused when this is its date.
    pub fn as_of_for(table: &OrderTable, as_of: Option<Day>) -> Day {
        as_of
            .or_else(|| table.orders.iter().map(|o| o.day).max())
            .unwrap_or(0)
    }

    /// 基準日: the analysis date.
    pub fn as_of(&self) -> Day {
        self.as_of
    }

    /// Customers with at least one order on or before `as_of`.
    pub fn customer_count(&self) -> u64 {
        self.customers
    }

    /// Orders on or before `as_of`.
    pub fn order_count(&self) -> u64 {
        self.order_count
    }

    /// Revenue of the orders on or before `as_of`.
    pub fn revenue(&self) -> f64 {
        self.revenue
    }

    /// The first order day of all (`as_of` when there is none).
    pub fn first_day(&self) -> Day {
        self.calendar.start
    }

    /// Number of customer ids (including those with no order by `as_of`).
    pub fn id_count(&self) -> usize {
        self.stats.len()
    }

    /// One customer's aggregates, or `None` when the customer has no order by `as_of`.
    pub fn stats(&self, customer: u32) -> Option<&CustomerStats> {
        self.stats.get(customer as usize).filter(|s| s.orders > 0)
    }

    /// Every customer with an order by `as_of`, by ascending id.
    pub fn customers(&self) -> impl Iterator<Item = (u32, &CustomerStats)> + '_ {
        self.stats
            .iter()
            .enumerate()
            .filter(|(_, s)| s.orders > 0)
            .map(|(c, s)| (c as u32, s))
    }

    /// One customer's orders up to `as_of`, by day (then amount), each with its index in
    /// the table's orders. `table` is the one the base was made from.
    ///
    /// # Panics
    /// When the base reads its orders in the table and `table` has another number of them.
    pub fn orders_of<'a>(
        &'a self,
        table: &'a OrderTable,
        customer: u32,
    ) -> impl Iterator<Item = (u32, CustomerOrder)> + 'a {
        let c = customer as usize;
        // Either a copy of the customer's orders, or where they begin in the table and how
        // many there are.
        let (copied, read, first): (&[CustomerOrder], &[Order], u32) = match &self.orders {
            Held::Own(buckets) => (buckets.get(c), &[], 0),
            Held::Table { starts, len } => {
                assert_eq!(
                    table.orders.len(),
                    *len,
                    "a base is read with its own table"
                );
                let first = starts.get(c).copied().unwrap_or(0);
                let count = self.stats.get(c).map_or(0, |s| s.orders as usize);
                let start = first as usize;
                (&[], &table.orders[start..start + count], first)
            }
        };
        let read = read.iter().zip(first..).map(|(o, index)| {
            let order = CustomerOrder {
                day: o.day,
                index,
                amount: o.amount,
            };
            (index, order)
        });
        copied.iter().map(|&o| (o.index, o)).chain(read)
    }

    /// The month of a day within the analysed span, by table look-up.
    pub fn month(&self, day: Day) -> MonthIndex {
        self.calendar.month(day)
    }

    /// The customer key of an id in the base's table (`#id` for an id beyond the keys).
    pub fn key(table: &OrderTable, customer: u32) -> String {
        table
            .customer_keys
            .get(customer as usize)
            .map_or_else(|| format!("#{customer}"), str::to_string)
    }
}

/// Where each customer's orders begin in a table in customer order whose amounts are all
/// finite (one pass that checks both and counts), or `None` for any other table.
fn starts_in_place(table: &OrderTable, id_count: usize) -> Option<Vec<u32>> {
    let mut starts = vec![0u32; id_count + 1];
    let mut previous: Option<&Order> = None;
    for o in &table.orders {
        if !o.amount.is_finite() || previous.is_some_and(|p| customer_order(p, o).is_gt()) {
            return None;
        }
        starts[o.customer as usize + 1] += 1;
        previous = Some(o);
    }
    for c in 0..id_count {
        starts[c + 1] += starts[c];
    }
    Some(starts)
}

/// One order as the base keeps it.
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct CustomerOrder {
    pub day: Day,
    /// Index in [`OrderTable::orders`].
    pub index: u32,
    /// Amount in yen; not finite in the table is ¥0 here.
    pub amount: f64,
}

/// An amount in yen, with anything not finite read as 0.
pub(crate) fn yen(amount: f64) -> f64 {
    if amount.is_finite() {
        amount
    } else {
        0.0
    }
}

/// Month of each day from the first order to the analysis date, so a million orders cost a
/// million look-ups, not a million calendar conversions.
#[derive(Clone, Debug)]
struct Calendar {
    start: Day,
    months: Vec<MonthIndex>,
}

impl Calendar {
    fn new(start: Day, end: Day) -> Self {
        let months = (start..=end.max(start)).map(month_of_day).collect();
        Calendar { start, months }
    }

    fn month(&self, day: Day) -> MonthIndex {
        usize::try_from(i64::from(day) - i64::from(self.start))
            .ok()
            .and_then(|i| self.months.get(i).copied())
            .unwrap_or_else(|| month_of_day(day))
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{day_from_ymd, Order};

    fn order(customer: u32, day: Day, amount: f64) -> Order {
        Order {
            customer,
            day,
            amount,
        }
    }

    fn table(orders: Vec<Order>, customers: usize) -> OrderTable {
        OrderTable {
            customer_keys: (0..customers).map(|c| format!("c{c}")).collect(),
            orders,
            ..Default::default()
        }
    }

    #[test]
    fn aggregates_per_customer() {
        let t = table(
            vec![
                order(1, 30, 100.0),
                order(0, 10, 1_000.0),
                order(0, 10, 500.0),
                order(2, 50, 7.0),
                order(0, 40, -200.0),
            ],
            4,
        );
        // (as_of, customer, expected stats or None)
        type Stats = (Day, Day, u64, u64, f64);
        let cases: &[(Option<Day>, u32, Option<Stats>)] = &[
            (None, 0, Some((10, 40, 3, 2, 1_300.0))),
            (None, 1, Some((30, 30, 1, 1, 100.0))),
            (None, 2, Some((50, 50, 1, 1, 7.0))),
            (None, 3, None), // a key without orders
            (None, 9, None), // beyond every id
            (Some(35), 0, Some((10, 10, 2, 1, 1_500.0))),
            (Some(35), 2, None), // only ordered after the date
            (Some(9), 0, None),
        ];
        // The same read where the orders are, from the table in customer order.
        let mut grouped = t.clone();
        grouped.group_by_customer();
        assert_ne!(grouped.orders, t.orders);
        for t in [&t, &grouped] {
            for &(as_of, c, want) in cases {
                let base = CustomerBase::new(t, as_of);
                let got = base
                    .stats(c)
                    .map(|s| (s.first_day, s.last_day, s.orders, s.order_days, s.revenue));
                assert_eq!(got, want, "as_of {as_of:?} customer {c}");
            }
            let base = CustomerBase::new(t, None);
            assert_eq!(base.as_of(), 50);
            assert_eq!(base.customer_count(), 3);
            assert_eq!(base.order_count(), 5);
            assert_eq!(base.revenue(), 1_407.0);
            let days: Vec<Day> = base.orders_of(t, 0).map(|(_, o)| o.day).collect();
            assert_eq!(days, vec![10, 10, 40]);
            // Each order's index is its place in the table it was read from.
            for (i, o) in base.orders_of(t, 0) {
                let there = t.orders[i as usize];
                assert_eq!(
                    (there.customer, there.day, yen(there.amount)),
                    (0, o.day, o.amount)
                );
            }
            assert_eq!(base.orders_of(t, 99).count(), 0);
        }
        assert_eq!(CustomerBase::key(&t, 2), "c2");
        assert_eq!(CustomerBase::key(&t, 7), "#7");
    }

    #[test]
    fn the_second_order_day_and_f2() {
        // (customer, day), out of order; customer 1 ordered twice on its first day.
        let rows = [(0, 40), (1, 30), (0, 10), (0, 25), (1, 30), (2, 50)];
        let t = table(rows.map(|(c, d)| order(c, d, 1.0)).to_vec(), 3);
        // (as_of, customer, second day)
        let cases: &[(Option<Day>, u32, Option<Day>)] = &[
            (None, 0, Some(25)),
            (None, 1, Some(30)), // the same day counts
            (None, 2, None),
            (Some(24), 0, None), // the second order is after the date
        ];
        for &(as_of, c, want) in cases {
            let base = CustomerBase::new(&t, as_of);
            assert_eq!(
                base.stats(c).unwrap().second_day,
                want,
                "as_of {as_of:?} customer {c}"
            );
        }
        let a = *CustomerBase::new(&t, None).stats(0).unwrap();
        // First order on day 10, second on 25: within 15 days, observed 15 days by day 25.
        assert!(a.f2_converted(15) && !a.f2_converted(14));
        assert!(a.f2_eligible(25, 15) && !a.f2_eligible(24, 15));
        assert!(!CustomerStats::default().f2_converted(u32::MAX));
    }

    proptest::proptest! {
        /// The second order day is the second of the customer's order days up to the date,
        /// sorted, whatever the order of the rows.
        #[test]
        fn the_second_day_is_the_second_smallest(
            orders in proptest::collection::vec((0u32..6, 0i32..60), 0..40),
            as_of in 0i32..60,
        ) {
            let t = table(orders.iter().map(|&(c, d)| order(c, d, 1.0)).collect(), 6);
            let base = CustomerBase::new(&t, Some(as_of));
            for c in 0..6 {
                let mut days: Vec<Day> = orders
                    .iter()
                    .filter(|&&(o, d)| o == c && d <= as_of)
                    .map(|&(_, d)| d)
                    .collect();
                days.sort_unstable();
                let got = base.stats(c).map(|s| (s.first_day, s.second_day));
                let want = days.first().map(|&first| (first, days.get(1).copied()));
                proptest::prop_assert_eq!(got, want, "customer {}", c);
            }
        }
    }

    #[test]
    fn odd_tables_do_not_panic() {
        let empty = OrderTable::default();
        let base = CustomerBase::new(&empty, None);
        assert_eq!((base.as_of(), base.customer_count()), (0, 0));
        // An id beyond the keys, and a non-finite amount read as ¥0.
        let t = table(vec![order(5, 3, f64::NAN), order(0, 1, 10.0)], 1);
        let base = CustomerBase::new(&t, None);
        assert_eq!(base.stats(5).map(|s| s.revenue), Some(0.0));
        assert_eq!(base.customer_count(), 2);
        assert_eq!(CustomerBase::key(&t, 5), "#5");
    }

    #[test]
    fn months_by_lookup_match_the_calendar() {
        let start = day_from_ymd(2023, 12, 30).unwrap();
        let t = table(vec![order(0, start, 1.0), order(0, start + 400, 1.0)], 1);
        let base = CustomerBase::new(&t, None);
        for day in [
            start - 40,
            start,
            start + 2,
            start + 63,
            start + 400,
            start + 900,
        ] {
            assert_eq!(base.month(day), month_of_day(day), "day {day}");
        }
    }
}
