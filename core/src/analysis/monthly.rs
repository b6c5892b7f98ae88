//! 月次推移: customers, new and repeat customers, リピーター率 and リピート率 by month
//! (docs/domain.md §3).

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase};
use super::summary::ratio;
use crate::orders::{month_label, MonthIndex, OrderTable};

/// One month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthFigures {
    pub month: MonthIndex,
    /// `YYYY-MM`.
    pub label: String,
    /// Customers with an order this month.
    pub customers: u64,
    /// 新規顧客: first order this month.
    pub new_customers: u64,
    /// リピート顧客: ordered this month, first order in an earlier month.
    pub repeat_customers: u64,
    /// リピーター率 = repeat ÷ customers this month.
    pub repeater_rate: Option<f64>,
    /// 累計顧客数: unique customers up to the end of this month.
    pub cumulative_customers: u64,
    /// リピート率 = repeat ÷ cumulative customers.
    pub repeat_rate: Option<f64>,
    pub orders: u64,
    pub revenue: f64,
}

/// Monthly figures from the first order month to the analysis date's month (the last one
/// partial), every month present even without orders.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Monthly {
    pub months: Vec<MonthFigures>,
}

/// The monthly table of a base.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, monthly::monthly};
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 5), amount: 1.0 },
///         Order { customer: 0, day: d(2, 5), amount: 1.0 },
///         Order { customer: 1, day: d(2, 9), amount: 1.0 },
///     ],
///     ..Default::default()
/// };
/// let m = monthly(&CustomerBase::new(&table, None), &table);
/// let feb = &m.months[1];
/// assert_eq!(feb.label, "2024-02");
/// assert_eq!((feb.customers, feb.new_customers, feb.repeat_customers), (2, 1, 1));
/// assert_eq!(feb.repeater_rate, Some(0.5));
/// assert_eq!(feb.cumulative_customers, 2);
/// ```
pub fn monthly(base: &CustomerBase, table: &OrderTable) -> Monthly {
    if base.customer_count() == 0 {
        return Monthly { months: Vec::new() };
    }
    let first = base.month(base.first_day());
    let last = base.month(base.as_of());
    let span = (last - first + 1).max(1) as usize;
    let mut rows: Vec<MonthFigures> = (0..span)
        .map(|i| {
            let month = first + i as MonthIndex;
            MonthFigures {
                month,
                label: month_label(month),
                customers: 0,
                new_customers: 0,
                repeat_customers: 0,
                repeater_rate: None,
                cumulative_customers: 0,
                repeat_rate: None,
                orders: 0,
                revenue: 0.0,
            }
        })
        .collect();
    for (c, s) in base.customers() {
        let first_month = base.month(s.first_day);
        let mut previous = None;
        for (_, o) in base.orders_of(table, c) {
            let month = base.month(o.day);
            let Some(row) = rows.get_mut((month - first) as usize) else {
                continue;
            };
            row.orders += 1;
            row.revenue += yen(o.amount);
            if previous != Some(month) {
                previous = Some(month);
                row.customers += 1;
                if month == first_month {
                    row.new_customers += 1;
                } else {
                    row.repeat_customers += 1;
                }
            }
        }
    }
    let mut cumulative = 0;
    for row in &mut rows {
        cumulative += row.new_customers;
        row.cumulative_customers = cumulative;
        row.repeater_rate = ratio(row.repeat_customers as f64, row.customers);
        row.repeat_rate = ratio(row.repeat_customers as f64, cumulative);
    }
    Monthly { months: rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{day_from_ymd, Day, Order, OrderTable};

    fn day(m: u32, d: u32) -> Day {
        day_from_ymd(2024, m, d).unwrap()
    }

    /// docs/domain.md §3: 1,000 customers this month, 700 of them repeaters → リピーター率 70 %.
    #[test]
    fn repeater_rate_of_the_articles() {
        let mut orders = Vec::new();
        // 700 customers first bought in January and come back in March; 300 are new in March.
        for c in 0..700 {
            orders.push(Order {
                customer: c,
                day: day(1, 10),
                amount: 1.0,
            });
            orders.push(Order {
                customer: c,
                day: day(3, 10),
                amount: 1.0,
            });
        }
        for c in 700..1_000 {
            orders.push(Order {
                customer: c,
                day: day(3, 20),
                amount: 1.0,
            });
        }
        let t = OrderTable {
            customer_keys: (0..1_000).map(|c| c.to_string()).collect(),
            orders,
            ..Default::default()
        };
        let m = monthly(&CustomerBase::new(&t, None), &t);
        let march = &m.months[2];
        assert_eq!(march.label, "2024-03");
        assert_eq!((march.customers, march.repeat_customers), (1_000, 700));
        assert_eq!(march.repeater_rate, Some(0.7));
        // February has no orders but is listed.
        assert_eq!(
            (m.months[1].customers, m.months[1].repeater_rate),
            (0, None)
        );
    }

    /// docs/domain.md §3: 700 unique customers to date, 70 repeaters this month → リピート率 10 %.
    #[test]
    fn repeat_rate_of_the_articles() {
        let mut orders = Vec::new();
        // 700 customers all first bought in January; 70 of them order again in February.
        for c in 0..700 {
            orders.push(Order {
                customer: c,
                day: day(1, 1 + c % 28),
                amount: 1.0,
            });
        }
        for c in 0..70 {
            orders.push(Order {
                customer: c,
                day: day(2, 15),
                amount: 1.0,
            });
        }
        let t = OrderTable {
            customer_keys: (0..700).map(|c| c.to_string()).collect(),
            orders,
            ..Default::default()
        };
        let m = monthly(&CustomerBase::new(&t, None), &t);
        let feb = &m.months[1];
        assert_eq!((feb.cumulative_customers, feb.repeat_customers), (700, 70));
        assert_eq!(feb.repeat_rate, Some(0.1));
        // Every February customer is a repeater, so the other rate is 100 %.
        assert_eq!(feb.repeater_rate, Some(1.0));
    }

    #[test]
    fn repeat_means_an_earlier_month_not_an_earlier_order() {
        // (customer, month, day): two orders in the first month are not a repeat.
        let t = OrderTable {
            customer_keys: ["a"].into(),
            orders: [(1, 3), (1, 20), (2, 2), (2, 28)]
                .iter()
                .map(|&(m, d)| Order {
                    customer: 0,
                    day: day(m, d),
                    amount: 10.0,
                })
                .collect(),
            ..Default::default()
        };
        let m = monthly(&CustomerBase::new(&t, None), &t);
        let got: Vec<(u64, u64, u64, u64, u64)> = m
            .months
            .iter()
            .map(|r| {
                (
                    r.customers,
                    r.new_customers,
                    r.repeat_customers,
                    r.cumulative_customers,
                    r.orders,
                )
            })
            .collect();
        assert_eq!(got, vec![(1, 1, 0, 1, 2), (1, 0, 1, 1, 2)]);
    }
}
