//! 初回購入からの日数別LTV: cumulative revenue per customer at fixed days after the first
//! order, by first-order month, counting only customers observed that long.

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase};
use super::summary::ratio;
use crate::orders::{month_label, MonthIndex, OrderTable};

/// The days after the first order at which the curve is read.
pub const LTV_DAYS: [u32; 6] = [30, 60, 90, 180, 365, 730];

/// One point of the curve.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LtvPoint {
    pub days: u32,
    /// Customers whose first order + `days` is on or before the date.
    pub observed: u64,
    /// Their revenue from the first order day to `days` after it, ÷ `observed`.
    pub revenue_per_customer: Option<f64>,
}

/// One first-order month (or all of them).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LtvRow {
    /// `None` for the row of all customers.
    pub cohort: Option<MonthIndex>,
    /// `YYYY-MM`; empty for all customers (the page names that row).
    pub label: String,
    pub size: u64,
    /// One point per [`LTV_DAYS`] entry.
    pub points: Vec<LtvPoint>,
}

/// The curve of every first-order month, and of all customers.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LtvByDays {
    pub days: Vec<u32>,
    pub all: LtvRow,
    pub cohorts: Vec<LtvRow>,
}

/// Cumulative revenue per customer at [`LTV_DAYS`] after the first order.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, ltv_curve::ltv_by_days};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 1_000.0 },
///         Order { customer: 0, day: 30, amount: 2_000.0 },
///         Order { customer: 1, day: 40, amount: 500.0 },
///     ],
///     ..Default::default()
/// };
/// let l = ltv_by_days(&CustomerBase::new(&table, Some(80)), &table);
/// let at_30 = &l.all.points[0];
/// assert_eq!((at_30.days, at_30.observed), (30, 2)); // 0 + 30 ≤ 80 and 40 + 30 ≤ 80
/// assert_eq!(at_30.revenue_per_customer, Some(1_750.0)); // (3,000 + 500) ÷ 2
/// assert_eq!(l.all.points[1].observed, 1); // 60 days: only "a"
/// ```
pub fn ltv_by_days(base: &CustomerBase, table: &OrderTable) -> LtvByDays {
    let as_of = i64::from(base.as_of());
    let n = LTV_DAYS.len();
    let first = base.month(base.first_day());
    let span = if base.customer_count() == 0 {
        0
    } else {
        (base.month(base.as_of()) - first + 1).max(1) as usize
    };
    // Per cohort: size, then (observed, revenue) per point.
    let mut sizes = vec![0u64; span];
    let mut acc = vec![(0u64, 0f64); span * n];
    for (c, s) in base.customers() {
        let cohort = (base.month(s.first_day) - first) as usize;
        sizes[cohort] += 1;
        let first_day = i64::from(s.first_day);
        let observed = LTV_DAYS
            .iter()
            .take_while(|&&d| first_day + i64::from(d) <= as_of)
            .count();
        if observed == 0 {
            continue;
        }
        let mut within = [0f64; LTV_DAYS.len()];
        for (_, o) in base.orders_of(table, c) {
            let since = i64::from(o.day) - first_day;
            for (k, &d) in LTV_DAYS.iter().enumerate().take(observed) {
                if since <= i64::from(d) {
                    within[k] += yen(o.amount);
                }
            }
        }
        for k in 0..observed {
            let a = &mut acc[cohort * n + k];
            a.0 += 1;
            a.1 += within[k];
        }
    }
    let points = |cells: &[(u64, f64)]| -> Vec<LtvPoint> {
        LTV_DAYS
            .iter()
            .zip(cells)
            .map(|(&days, &(observed, revenue))| LtvPoint {
                days,
                observed,
                revenue_per_customer: ratio(revenue, observed),
            })
            .collect()
    };
    let mut total = vec![(0u64, 0f64); n];
    let mut cohorts = Vec::new();
    for i in (0..span).filter(|&i| sizes[i] > 0) {
        let cells = &acc[i * n..(i + 1) * n];
        for (t, c) in total.iter_mut().zip(cells) {
            t.0 += c.0;
            t.1 += c.1;
        }
        let month = first + i as MonthIndex;
        cohorts.push(LtvRow {
            cohort: Some(month),
            label: month_label(month),
            size: sizes[i],
            points: points(cells),
        });
    }
    LtvByDays {
        days: LTV_DAYS.to_vec(),
        all: LtvRow {
            cohort: None,
            label: String::new(),
            size: base.customer_count(),
            points: points(&total),
        },
        cohorts,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{day_from_ymd, Order, OrderTable};

    #[test]
    fn windows_are_inclusive_and_only_observed_customers_count() {
        let jan = day_from_ymd(2024, 1, 1).unwrap();
        let feb = day_from_ymd(2024, 2, 1).unwrap();
        // (customer, day, amount)
        let rows = [
            (0, jan, 100.0),
            (0, jan + 30, 10.0), // inside 30 days (inclusive)
            (0, jan + 31, 1.0),  // from 60 days on
            (0, jan + 365, 5.0), // inside 365 days
            (1, feb, 1_000.0),   // observed up to 365 days at the date below
            (1, feb + 200, 50.0),
        ];
        let t = OrderTable {
            customer_keys: ["a", "b"].into(),
            orders: rows
                .iter()
                .map(|&(c, day, a)| Order {
                    customer: c,
                    day,
                    amount: a,
                })
                .collect(),
            ..Default::default()
        };
        let as_of = feb + 400;
        let l = ltv_by_days(&CustomerBase::new(&t, Some(as_of)), &t);
        let a = &l.cohorts[0];
        let got: Vec<(u32, u64, Option<f64>)> = a
            .points
            .iter()
            .map(|p| (p.days, p.observed, p.revenue_per_customer))
            .collect();
        assert_eq!(
            got,
            vec![
                (30, 1, Some(110.0)),
                (60, 1, Some(111.0)),
                (90, 1, Some(111.0)),
                (180, 1, Some(111.0)),
                (365, 1, Some(116.0)),
                (730, 0, None),
            ]
        );
        let b = &l.cohorts[1];
        assert_eq!(b.label, "2024-02");
        assert_eq!(b.points[3].revenue_per_customer, Some(1_000.0));
        assert_eq!(b.points[4].revenue_per_customer, Some(1_050.0));
        assert_eq!(l.all.points[4].observed, 2);
        assert_eq!(
            l.all.points[4].revenue_per_customer,
            Some((116.0 + 1_050.0) / 2.0)
        );
        assert_eq!(l.all.points[5].revenue_per_customer, None);
    }
}
