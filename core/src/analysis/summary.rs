//! 全体サマリー: customers, orders, revenue, AOV, revenue per customer by calendar year and
//! over the last 12 / 24 months (通販LTV by the rough method), repeat customers and F2転換率.

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase};
use crate::orders::{iso_date, Day, OrderTable};

/// Days in the "last 12 months" window; the 24-month window is twice as long.
pub const DAYS_PER_YEAR_WINDOW: i32 = 365;

/// One calendar year.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct YearFigures {
    pub year: i32,
    pub revenue: f64,
    /// Customers with an order that year.
    pub customers: u64,
    pub orders: u64,
    /// 年間の顧客一人あたり売上: revenue ÷ customers; `None` without customers.
    pub revenue_per_customer: Option<f64>,
}

/// Revenue per customer over a window ending on the analysis date (通販LTV, rough method).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WindowLtv {
    pub months: u32,
    /// First day in the window, ISO date.
    pub from: String,
    /// Last day in the window (the analysis date), ISO date.
    pub to: String,
    pub revenue: f64,
    /// Unique customers with an order in the window.
    pub customers: u64,
    pub orders: u64,
    pub revenue_per_customer: Option<f64>,
}

/// F2転換率 within `days` of the first order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct F2Rate {
    pub days: u32,
    /// Customers whose first order is at least `days` before the analysis date.
    pub eligible: u64,
    /// Of those, customers with a second order within `days` of the first.
    pub converted: u64,
    pub rate: Option<f64>,
}

/// The summary of the whole table up to the analysis date.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Summary {
    /// 基準日, ISO date.
    pub as_of: String,
    pub customers: u64,
    pub orders: u64,
    pub revenue: f64,
    /// 平均注文単価: revenue ÷ orders.
    pub average_order_value: Option<f64>,
    /// 一人あたり注文回数: orders ÷ customers.
    pub orders_per_customer: Option<f64>,
    /// 一人あたり累計売上: revenue ÷ customers (all time up to the date).
    pub revenue_per_customer: Option<f64>,
    pub by_year: Vec<YearFigures>,
    pub last_12_months: WindowLtv,
    pub last_24_months: WindowLtv,
    /// Customers with 2 or more orders.
    pub repeat_customers: u64,
    pub repeat_share: Option<f64>,
    pub f2: F2Rate,
}

/// The summary figures at the base's analysis date, with F2転換率 within `f2_days`.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, summary::summary};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 3_000.0 },
///         Order { customer: 0, day: 20, amount: 5_000.0 },
///         Order { customer: 1, day: 100, amount: 4_000.0 },
///     ],
///     ..Default::default()
/// };
/// let s = summary(&CustomerBase::new(&table, None), &table, 90);
/// assert_eq!((s.customers, s.orders, s.revenue), (2, 3, 12_000.0));
/// assert_eq!(s.average_order_value, Some(4_000.0));
/// assert_eq!(s.repeat_customers, 1);
/// // Only "a" started 90+ days before the date, and came back on day 20.
/// assert_eq!((s.f2.eligible, s.f2.converted), (1, 1));
/// ```
pub fn summary(base: &CustomerBase, table: &OrderTable, f2_days: u32) -> Summary {
    let as_of = base.as_of();
    let customers = base.customer_count();
    let orders = base.order_count();
    let revenue = base.revenue();

    let first_year = base.month(base.first_day()).div_euclid(12);
    let last_year = base.month(as_of).div_euclid(12);
    let span = (last_year - first_year + 1).max(1) as usize;
    let mut years: Vec<YearFigures> = (0..span)
        .map(|i| YearFigures {
            year: first_year + i as i32,
            revenue: 0.0,
            customers: 0,
            orders: 0,
            revenue_per_customer: None,
        })
        .collect();
    let mut windows = [Window::new(as_of, 1), Window::new(as_of, 2)];
    let mut repeat_customers = 0;
    let (mut eligible, mut converted) = (0, 0);

    for (c, s) in base.customers() {
        if s.orders >= 2 {
            repeat_customers += 1;
        }
        if s.f2_eligible(as_of, f2_days) {
            eligible += 1;
            converted += u64::from(s.f2_converted(f2_days));
        }
        let mut last_year_seen = None;
        let mut in_window = [false; 2];
        for (_, o) in base.orders_of(table, c) {
            let amount = yen(o.amount);
            let year = base.month(o.day).div_euclid(12);
            if let Some(y) = years.get_mut((year - first_year) as usize) {
                y.revenue += amount;
                y.orders += 1;
                if last_year_seen != Some(year) {
                    y.customers += 1;
                    last_year_seen = Some(year);
                }
            }
            for (w, seen) in windows.iter_mut().zip(in_window.iter_mut()) {
                if o.day >= w.from {
                    w.revenue += amount;
                    w.orders += 1;
                    if !*seen {
                        w.customers += 1;
                        *seen = true;
                    }
                }
            }
        }
    }
    for y in &mut years {
        y.revenue_per_customer = ratio(y.revenue, y.customers);
    }
    let [w12, w24] = windows.map(|w| w.finish(as_of));
    Summary {
        as_of: iso_date(as_of),
        customers,
        orders,
        revenue,
        average_order_value: ratio(revenue, orders),
        orders_per_customer: ratio(orders as f64, customers),
        revenue_per_customer: ratio(revenue, customers),
        by_year: if customers == 0 { Vec::new() } else { years },
        last_12_months: w12,
        last_24_months: w24,
        repeat_customers,
        repeat_share: ratio(repeat_customers as f64, customers),
        f2: F2Rate {
            days: f2_days,
            eligible,
            converted,
            rate: ratio(converted as f64, eligible),
        },
    }
}

/// `numerator ÷ denominator`, or `None` when the denominator is 0.
pub(crate) fn ratio(numerator: f64, denominator: u64) -> Option<f64> {
    (denominator > 0).then(|| numerator / denominator as f64)
}

struct Window {
    years: u32,
    from: Day,
    revenue: f64,
    customers: u64,
    orders: u64,
}

impl Window {
    fn new(as_of: Day, years: u32) -> Self {
        Window {
            years,
            from: as_of.saturating_sub(DAYS_PER_YEAR_WINDOW * years as i32 - 1),
            revenue: 0.0,
            customers: 0,
            orders: 0,
        }
    }

    fn finish(self, as_of: Day) -> WindowLtv {
        WindowLtv {
            months: 12 * self.years,
            from: iso_date(self.from),
            to: iso_date(as_of),
            revenue: self.revenue,
            customers: self.customers,
            orders: self.orders,
            revenue_per_customer: ratio(self.revenue, self.customers),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::tests::{assert_close, MONEY_TOLERANCE};
    use crate::orders::{day_from_ymd, Order, OrderTable};

    fn table(orders: &[(u32, Day, f64)]) -> OrderTable {
        let customers = orders.iter().map(|o| o.0 + 1).max().unwrap_or(0);
        OrderTable {
            customer_keys: (0..customers).map(|c| format!("c{c}")).collect(),
            orders: orders
                .iter()
                .map(|&(customer, day, amount)| Order {
                    customer,
                    day,
                    amount,
                })
                .collect(),
            ..Default::default()
        }
    }

    /// docs/domain.md §1: 6,000 customers order once and 4,000 order six times, 30,000 orders of
    /// ¥5,000 in one year: ¥150,000,000 ÷ 10,000 = ¥15,000 and 3 orders per customer.
    #[test]
    fn rough_method_ltv_of_the_articles() {
        let start = day_from_ymd(2024, 1, 1).unwrap();
        let mut orders = Vec::new();
        for c in 0..10_000u32 {
            let n = if c < 6_000 { 1 } else { 6 };
            for k in 0..n {
                // Spread over 2024 (a leap year: 366 days, the window is 365 → start from Jan 2).
                let day = start + 1 + ((c as i32 * 7 + k * 60) % 365);
                orders.push((c, day, 5_000.0));
            }
        }
        let t = table(&orders);
        let as_of = day_from_ymd(2024, 12, 31).unwrap();
        let s = summary(&CustomerBase::new(&t, Some(as_of)), &t, 90);
        assert_eq!(s.orders, 30_000);
        assert_eq!(s.customers, 10_000);
        assert_close(s.revenue, 150_000_000.0, MONEY_TOLERANCE);
        assert_eq!(s.orders_per_customer, Some(3.0));
        assert_eq!(s.last_12_months.customers, 10_000);
        assert_close(
            s.last_12_months.revenue_per_customer.unwrap(),
            15_000.0,
            MONEY_TOLERANCE,
        );
        assert_eq!(s.by_year.len(), 1);
        assert_eq!(s.by_year[0].year, 2024);
        assert_close(
            s.by_year[0].revenue_per_customer.unwrap(),
            15_000.0,
            MONEY_TOLERANCE,
        );
        assert_eq!(s.repeat_customers, 4_000);
        assert_eq!(s.repeat_share, Some(0.4));
    }

    #[test]
    fn f2_counts_only_customers_observed_long_enough() {
        // (f2_days, eligible, converted): first orders on 0, 10, 50, 95; as_of 100.
        let t = table(&[
            (0, 0, 1.0),
            (0, 30, 1.0), // 2nd after 30 days
            (1, 10, 1.0),
            (1, 10, 1.0), // 2nd on the same day
            (2, 50, 1.0),
            (3, 95, 1.0),
            (3, 96, 1.0), // started too recently for any N ≥ 6
        ]);
        let base = CustomerBase::new(&t, Some(100));
        for &(days, eligible, converted) in &[
            (30, 3, 2), // 0 (day 30 − 0 = 30 ≤ 30), 1; 2 is eligible but has no 2nd
            (29, 3, 1), // 0 misses by one day
            (50, 3, 2), // 0, 1, 2 eligible (50 + 50 ≤ 100)
            (51, 2, 2), // 2 no longer eligible
            (90, 2, 2),
            (101, 0, 0), // nobody observed that long: no rate
        ] {
            let f2 = summary(&base, &t, days).f2;
            assert_eq!(
                (f2.eligible, f2.converted),
                (eligible, converted),
                "N = {days}"
            );
            assert_eq!(f2.rate.is_none(), eligible == 0);
        }
    }

    #[test]
    fn windows_and_years_are_calendar_correct() {
        let d = |y, m, dd| day_from_ymd(y, m, dd).unwrap();
        let t = table(&[
            (0, d(2022, 12, 31), 100.0),
            (0, d(2023, 6, 30), 200.0),
            (1, d(2023, 7, 1), 300.0),
            (1, d(2024, 6, 30), 400.0),
        ]);
        let s = summary(&CustomerBase::new(&t, None), &t, 90);
        assert_eq!(s.as_of, "2024-06-30");
        let years: Vec<(i32, u64, u64, f64)> = s
            .by_year
            .iter()
            .map(|y| (y.year, y.customers, y.orders, y.revenue))
            .collect();
        assert_eq!(
            years,
            vec![
                (2022, 1, 1, 100.0),
                (2023, 2, 2, 500.0),
                (2024, 1, 1, 400.0)
            ]
        );
        // 365 days ending 2024-06-30 start on 2023-07-02 (2024 is a leap year).
        assert_eq!(s.last_12_months.from, "2023-07-02");
        assert_eq!(
            (s.last_12_months.customers, s.last_12_months.revenue),
            (1, 400.0)
        );
        assert_eq!(s.last_24_months.from, "2022-07-02");
        assert_eq!(
            (s.last_24_months.customers, s.last_24_months.revenue),
            (2, 1_000.0)
        );
        assert_eq!(s.last_24_months.revenue_per_customer, Some(500.0));
    }

    #[test]
    fn empty_table_has_no_ratios() {
        let t = OrderTable::default();
        let s = summary(&CustomerBase::new(&t, None), &t, 90);
        assert_eq!((s.customers, s.orders), (0, 0));
        assert_eq!(s.average_order_value, None);
        assert_eq!(s.orders_per_customer, None);
        assert_eq!(s.repeat_share, None);
        assert!(s.by_year.is_empty());
        assert_eq!(s.last_12_months.revenue_per_customer, None);
    }
}
