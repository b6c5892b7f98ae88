//! コホート分析: customers by first-order month, followed month by month: how many order
//! again (retention) and how much they spend in total (the LTV curve).

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase};
use super::summary::ratio;
use crate::orders::{month_label, MonthIndex, OrderTable};

/// One first-order month.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohort {
    pub cohort: MonthIndex,
    /// `YYYY-MM`.
    pub label: String,
    /// Customers whose first order is in this month.
    pub size: u64,
    /// Customers with an order in month `k` after the first (index `k`, 0 = the first month);
    /// `None` for months after the analysis date's month.
    pub active: Vec<Option<u64>>,
    /// `active[k] ÷ size`.
    pub rate: Vec<Option<f64>>,
    /// 累計売上/人: revenue of the cohort from its first month to month `k`, ÷ size.
    pub revenue_per_customer: Vec<Option<f64>>,
    /// The LTV curve at 12 months (months 0–11), when observed.
    pub ltv_12_months: Option<f64>,
    /// The LTV curve at 24 months (months 0–23), when observed.
    pub ltv_24_months: Option<f64>,
}

/// The cohort table: one row per first-order month with customers, all rows as long as the
/// oldest cohort's observed span.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cohorts {
    pub cohorts: Vec<Cohort>,
}

/// Retention and cumulative revenue per customer by first-order month.
///
/// A month since `k` is observed when month `cohort + k` has begun by the analysis date.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{cohorts::cohorts, customers::CustomerBase};
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 5), amount: 1_000.0 },
///         Order { customer: 1, day: d(1, 9), amount: 3_000.0 },
///         Order { customer: 0, day: d(2, 5), amount: 2_000.0 },
///     ],
///     ..Default::default()
/// };
/// let c = cohorts(&CustomerBase::new(&table, None), &table);
/// let jan = &c.cohorts[0];
/// assert_eq!((jan.label.as_str(), jan.size), ("2024-01", 2));
/// assert_eq!(jan.active, vec![Some(2), Some(1)]);
/// assert_eq!(jan.rate[1], Some(0.5));
/// assert_eq!(jan.revenue_per_customer, vec![Some(2_000.0), Some(3_000.0)]);
/// ```
pub fn cohorts(base: &CustomerBase, table: &OrderTable) -> Cohorts {
    if base.customer_count() == 0 {
        return Cohorts {
            cohorts: Vec::new(),
        };
    }
    let first = base.month(base.first_day());
    let last = base.month(base.as_of());
    let span = (last - first + 1).max(1) as usize;
    // Dense span × span arrays: cohort index × months since.
    let mut size = vec![0u64; span];
    let mut active = vec![0u64; span * span];
    let mut revenue = vec![0f64; span * span];
    for (c, s) in base.customers() {
        let cohort = (base.month(s.first_day) - first) as usize;
        size[cohort] += 1;
        let mut previous = None;
        for (_, o) in base.orders_of(table, c) {
            let since = (base.month(o.day) - first) as usize - cohort;
            if since >= span {
                continue;
            }
            revenue[cohort * span + since] += yen(o.amount);
            if previous != Some(since) {
                previous = Some(since);
                active[cohort * span + since] += 1;
            }
        }
    }
    let rows = (0..span)
        .filter(|&i| size[i] > 0)
        .map(|i| {
            let observed = span - i;
            let mut cumulative = 0.0;
            let mut row = Cohort {
                cohort: first + i as MonthIndex,
                label: month_label(first + i as MonthIndex),
                size: size[i],
                active: Vec::with_capacity(span),
                rate: Vec::with_capacity(span),
                revenue_per_customer: Vec::with_capacity(span),
                ltv_12_months: None,
                ltv_24_months: None,
            };
            for k in 0..span {
                if k < observed {
                    let n = active[i * span + k];
                    cumulative += revenue[i * span + k];
                    row.active.push(Some(n));
                    row.rate.push(ratio(n as f64, size[i]));
                    row.revenue_per_customer.push(ratio(cumulative, size[i]));
                } else {
                    row.active.push(None);
                    row.rate.push(None);
                    row.revenue_per_customer.push(None);
                }
            }
            row.ltv_12_months = row.revenue_per_customer.get(11).copied().flatten();
            row.ltv_24_months = row.revenue_per_customer.get(23).copied().flatten();
            row
        })
        .collect();
    Cohorts { cohorts: rows }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{day_from_ymd, Order, OrderTable};

    #[test]
    fn unobserved_months_are_none_never_zero() {
        let d = |y, m| day_from_ymd(y, m, 15).unwrap();
        // (customer, year, month, amount)
        let rows = [
            (0, 2023, 1, 100.0),
            (0, 2023, 3, 100.0),
            (0, 2024, 1, 100.0), // month 12 since
            (1, 2023, 2, 50.0),
            (2, 2023, 3, 10.0),
            (2, 2023, 3, 10.0), // two orders in one month: one active customer
        ];
        let t = OrderTable {
            customer_keys: ["a", "b", "c"].into(),
            orders: rows
                .iter()
                .map(|&(c, y, m, a)| Order {
                    customer: c,
                    day: d(y, m),
                    amount: a,
                })
                .collect(),
            ..Default::default()
        };
        let c = cohorts(&CustomerBase::new(&t, None), &t);
        let sizes: Vec<(&str, u64)> = c
            .cohorts
            .iter()
            .map(|r| (r.label.as_str(), r.size))
            .collect();
        assert_eq!(sizes, vec![("2023-01", 1), ("2023-02", 1), ("2023-03", 1)]);
        let jan = &c.cohorts[0];
        assert_eq!(jan.active.len(), 13);
        assert_eq!(&jan.active[..3], &[Some(1), Some(0), Some(1)]);
        assert_eq!(jan.active[12], Some(1));
        assert_eq!(jan.ltv_12_months, Some(200.0));
        assert_eq!(jan.revenue_per_customer[12], Some(300.0));
        assert_eq!(jan.ltv_24_months, None);
        let mar = &c.cohorts[2];
        assert_eq!(mar.active[0], Some(1));
        assert_eq!(mar.revenue_per_customer[0], Some(20.0));
        assert_eq!(mar.active[10], Some(0)); // 2024-01: observed, no order
        assert_eq!(mar.active[11], None); // 2024-02: after the date
        assert_eq!(mar.rate[11], None);
        assert_eq!(mar.ltv_12_months, None);
    }

    #[test]
    fn empty_table_has_no_cohorts() {
        let t = OrderTable::default();
        assert!(cohorts(&CustomerBase::new(&t, None), &t).cohorts.is_empty());
    }
}
