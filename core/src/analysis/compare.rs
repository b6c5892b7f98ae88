//! 施策の効果検証: the key figures of two periods side by side, and a group of customers (those
//! who received a DM or a coupon) against everyone else after a date.
//!
//! Both read the orders grouped by customer up to the analysis date (the analysis's
//! [`CustomerBase`], or one built for the purpose), in one pass each; they do not depend on the
//! other views' settings except the F2 days.
//!
//! Definitions, for a period from `from` to `to` (both included):
//! - 顧客数: customers with an order in the period; 新規顧客数: those whose first order ever
//!   falls in it.
//! - リピーター率: of the period's customers, those whose first order was before the period
//!   (the monthly figure's definition, over a period).
//! - F2転換率: of the period's new customers whose first order is at least N days before the
//!   analysis date, those with a second order within N days of the first (a second order on
//!   the same day counts, as in the summary). The second order may fall after the period.
//!
//! For a group after a date `since`: the customers compared are those who had ordered before
//! `since` (the customers a mailing could reach); for the group and for the others, how many
//! ordered again from `since` to the analysis date, and what they spent.

use serde::{Deserialize, Serialize};

use super::customers::CustomerBase;
use crate::import::canonical_key;
use crate::orders::{iso_date, Day, OrderTable};

/// A period of days, both ends included.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Period {
    pub from: Day,
    pub to: Day,
}

/// The key figures of one period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodFigures {
    /// First day, ISO date.
    pub from: String,
    /// Last day, ISO date.
    pub to: String,
    pub customers: u64,
    pub new_customers: u64,
    /// Customers of the period whose first order was before it.
    pub repeat_customers: u64,
    pub orders: u64,
    pub revenue: f64,
    /// 一人あたり注文回数: orders ÷ customers.
    pub orders_per_customer: Option<f64>,
    /// 平均注文単価: revenue ÷ orders.
    pub average_order_value: Option<f64>,
    /// 一人あたり売上: revenue ÷ customers.
    pub revenue_per_customer: Option<f64>,
    /// リピーター率: repeat customers ÷ customers.
    pub repeater_rate: Option<f64>,
    /// New customers observed long enough for F2.
    pub f2_eligible: u64,
    pub f2_converted: u64,
    /// F2転換率: converted ÷ eligible.
    pub f2_rate: Option<f64>,
}

/// A figure compared between the two periods.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Metric {
    Customers,
    NewCustomers,
    OrdersPerCustomer,
    AverageOrderValue,
    F2Rate,
    RepeaterRate,
    RevenuePerCustomer,
    Revenue,
}

impl Metric {
    /// Every figure, in the order the page lists them.
    pub const ALL: [Metric; 8] = [
        Metric::Customers,
        Metric::NewCustomers,
        Metric::OrdersPerCustomer,
        Metric::AverageOrderValue,
        Metric::F2Rate,
        Metric::RepeaterRate,
        Metric::RevenuePerCustomer,
        Metric::Revenue,
    ];

    /// A rate (compared in points) rather than an amount or a count (compared in %).
    pub fn is_rate(self) -> bool {
        matches!(self, Metric::F2Rate | Metric::RepeaterRate)
    }

    /// The figure of a period.
    pub fn of(self, p: &PeriodFigures) -> Option<f64> {
        match self {
            Metric::Customers => Some(p.customers as f64),
            Metric::NewCustomers => Some(p.new_customers as f64),
            Metric::OrdersPerCustomer => p.orders_per_customer,
            Metric::AverageOrderValue => p.average_order_value,
            Metric::F2Rate => p.f2_rate,
            Metric::RepeaterRate => p.repeater_rate,
            Metric::RevenuePerCustomer => p.revenue_per_customer,
            Metric::Revenue => Some(p.revenue),
        }
    }
}

/// One row of the comparison: the figure in each period and how it moved.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Change {
    pub metric: Metric,
    pub before: Option<f64>,
    pub after: Option<f64>,
    /// after − before (in points × 0.01 for a rate: 0.05 = +5 points).
    pub difference: Option<f64>,
    /// after ÷ before − 1, for amounts and counts; `None` for rates and from zero.
    pub relative: Option<f64>,
}

/// Two periods side by side.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PeriodComparison {
    /// The F2 days used.
    pub f2_days: u32,
    pub before: PeriodFigures,
    pub after: PeriodFigures,
    pub changes: Vec<Change>,
}

/// One customer's orders from `from` to `to` (both included) and their revenue.
fn orders_between(
    base: &CustomerBase,
    table: &OrderTable,
    customer: u32,
    from: Day,
    to: Day,
) -> (u64, f64) {
    base.orders_of(table, customer)
        .filter(|(_, o)| o.day >= from && o.day <= to)
        .fold((0, 0.0), |(n, revenue), (_, o)| (n + 1, revenue + o.amount))
}

fn ratio(a: f64, b: f64) -> Option<f64> {
    (b > 0.0).then(|| a / b)
}

/// Two periods the page offers to compare, ending on the analysis date.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Preset {
    /// The last 365 days against the 365 before.
    Years,
    /// The last 182 days against the 182 before.
    HalfYears,
    /// The last 91 days against the 91 before.
    Quarters,
}

impl Preset {
    pub const ALL: [Preset; 3] = [Preset::Years, Preset::HalfYears, Preset::Quarters];

    /// (before, after), the second ending on `as_of`.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::compare::{Period, Preset};
    /// let (before, after) = Preset::Years.periods(1_000);
    /// assert_eq!(after, Period { from: 636, to: 1_000 });
    /// assert_eq!(before, Period { from: 271, to: 635 });
    /// ```
    pub fn periods(self, as_of: Day) -> (Period, Period) {
        let days = match self {
            Preset::Years => 365,
            Preset::HalfYears => 182,
            Preset::Quarters => 91,
        };
        let after = Period {
            from: as_of - days + 1,
            to: as_of,
        };
        let before = Period {
            from: after.from - days,
            to: after.from - 1,
        };
        (before, after)
    }
}

/// The key figures of one period, with F2 within `f2_days` and nothing after `as_of`.
///
/// # Examples
/// ```
/// use ltv_core::analysis::compare::{period_figures, Period};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 3_000.0 },
///         Order { customer: 0, day: 40, amount: 5_000.0 },
///         Order { customer: 1, day: 50, amount: 4_000.0 },
///     ],
///     ..Default::default()
/// };
/// let p = period_figures(&table, Period { from: 30, to: 60 }, 90, 200);
/// assert_eq!((p.customers, p.new_customers, p.repeat_customers), (2, 1, 1));
/// assert_eq!(p.average_order_value, Some(4_500.0));
/// assert_eq!(p.repeater_rate, Some(0.5));
/// // "b" first ordered on day 50, observed until day 200, never came back.
/// assert_eq!((p.f2_eligible, p.f2_converted), (1, 0));
/// ```
pub fn period_figures(
    table: &OrderTable,
    period: Period,
    f2_days: u32,
    as_of: Day,
) -> PeriodFigures {
    figures_of(
        &CustomerBase::new(table, Some(as_of)),
        table,
        period,
        f2_days,
    )
}

fn figures_of(
    base: &CustomerBase,
    table: &OrderTable,
    period: Period,
    f2_days: u32,
) -> PeriodFigures {
    let as_of = base.as_of();
    let to = period.to.min(as_of);
    let (mut orders, mut revenue) = (0u64, 0.0);
    let (mut customers, mut new_customers, mut repeat_customers) = (0u64, 0u64, 0u64);
    let (mut f2_eligible, mut f2_converted) = (0u64, 0u64);
    for (c, s) in base.customers() {
        let (n, spent) = orders_between(base, table, c, period.from, to);
        if n == 0 {
            continue;
        }
        orders += n;
        revenue += spent;
        customers += 1;
        if s.first_day < period.from {
            repeat_customers += 1;
            continue;
        }
        new_customers += 1;
        if s.f2_eligible(as_of, f2_days) {
            f2_eligible += 1;
            f2_converted += u64::from(s.f2_converted(f2_days));
        }
    }
    PeriodFigures {
        from: iso_date(period.from),
        to: iso_date(to),
        customers,
        new_customers,
        repeat_customers,
        orders,
        revenue,
        orders_per_customer: ratio(orders as f64, customers as f64),
        average_order_value: ratio(revenue, orders as f64),
        revenue_per_customer: ratio(revenue, customers as f64),
        repeater_rate: ratio(repeat_customers as f64, customers as f64),
        f2_eligible,
        f2_converted,
        f2_rate: ratio(f2_converted as f64, f2_eligible as f64),
    }
}

/// Two periods side by side (this year vs last year, before vs after a 施策).
///
/// # Examples
/// ```
/// use ltv_core::analysis::compare::{compare_periods, Metric, Period};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 10, amount: 4_000.0 },
///         Order { customer: 0, day: 400, amount: 6_000.0 },
///         Order { customer: 1, day: 420, amount: 6_000.0 },
///     ],
///     ..Default::default()
/// };
/// let c = compare_periods(&table, Period { from: 0, to: 364 }, Period { from: 365, to: 729 }, 90, 729);
/// let aov = c.changes.iter().find(|r| r.metric == Metric::AverageOrderValue).unwrap();
/// assert_eq!((aov.before, aov.after), (Some(4_000.0), Some(6_000.0)));
/// assert_eq!(aov.relative, Some(0.5));
/// ```
pub fn compare_periods(
    table: &OrderTable,
    before: Period,
    after: Period,
    f2_days: u32,
    as_of: Day,
) -> PeriodComparison {
    compare_periods_with(
        &CustomerBase::new(table, Some(as_of)),
        table,
        before,
        after,
        f2_days,
    )
}

/// [`compare_periods`] on orders already grouped by customer, at the base's date.
pub fn compare_periods_with(
    base: &CustomerBase,
    table: &OrderTable,
    before: Period,
    after: Period,
    f2_days: u32,
) -> PeriodComparison {
    let before = figures_of(base, table, before, f2_days);
    let after = figures_of(base, table, after, f2_days);
    let changes = Metric::ALL
        .iter()
        .map(|&metric| {
            let (b, a) = (metric.of(&before), metric.of(&after));
            let difference = b.zip(a).map(|(b, a)| a - b);
            let relative = if metric.is_rate() {
                None
            } else {
                b.zip(a).and_then(|(b, a)| (b > 0.0).then(|| a / b - 1.0))
            };
            Change {
                metric,
                before: b,
                after: a,
                difference,
                relative,
            }
        })
        .collect();
    PeriodComparison {
        f2_days,
        before,
        after,
        changes,
    }
}

/// The customers of a pasted or uploaded list: one per line, or separated by commas, tabs or
/// spaces; each read as the import reads a customer key (e-mails folded, IDs kept), blanks
/// and repeats dropped. A header cell such as `メールアドレス` is simply not found.
///
/// # Examples
/// ```
/// use ltv_core::analysis::compare::parse_customer_list;
/// assert_eq!(
///     parse_customer_list("Taro@Example.jp\n hanako@example.jp, taro@example.jp\n\nA001"),
///     ["taro@example.jp", "hanako@example.jp", "A001"]
/// );
/// ```
pub fn parse_customer_list(text: &str) -> Vec<String> {
    let mut keys: Vec<String> = Vec::new();
    for item in text.split(['\n', '\r', ',', '\t', ';', ' ', '　']) {
        let key = canonical_key(item.trim_matches(|c: char| c == '"' || c.is_whitespace()));
        if !key.is_empty() && !keys.contains(&key) {
            keys.push(key);
        }
    }
    keys
}

/// What one group of customers did from a date on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupFigures {
    /// Customers of the group who had ordered before the date.
    pub customers: u64,
    /// Of those, customers with an order from the date to the analysis date.
    pub bought_again: u64,
    /// bought_again ÷ customers.
    pub repeat_rate: Option<f64>,
    pub orders: u64,
    pub revenue: f64,
    /// revenue ÷ customers (all of the group, bought or not).
    pub revenue_per_customer: Option<f64>,
}

/// A listed group against everyone else, from a date on.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GroupComparison {
    /// The date the 施策 started, ISO.
    pub since: String,
    /// The analysis date, ISO.
    pub until: String,
    /// Distinct customers in the list.
    pub listed: u64,
    /// Listed customers found in the orders.
    pub found: u64,
    /// Found, but whose first order is on or after the date: not in either group.
    pub new_after: u64,
    /// The first few listed keys not found in the orders, to show.
    pub not_found_examples: Vec<String>,
    pub group: GroupFigures,
    pub others: GroupFigures,
}

/// How many keys that were not found a comparison names.
pub const NOT_FOUND_EXAMPLES: usize = 5;

/// Compares the listed customers with everyone else who had ordered before `since`: who
/// ordered again from `since` to `as_of`, and what they spent.
///
/// # Examples
/// ```
/// use ltv_core::analysis::compare::compare_group;
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a@x.jp", "b@x.jp", "c@x.jp"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 1_000.0 },
///         Order { customer: 1, day: 0, amount: 1_000.0 },
///         Order { customer: 2, day: 5, amount: 1_000.0 },
///         Order { customer: 0, day: 20, amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let c = compare_group(&table, &["A@x.jp".into(), "zz@x.jp".into()], 10, 30);
/// assert_eq!((c.listed, c.found), (2, 1));
/// assert_eq!(c.group.repeat_rate, Some(1.0));
/// assert_eq!((c.others.customers, c.others.bought_again), (2, 0));
/// ```
pub fn compare_group(
    table: &OrderTable,
    list: &[String],
    since: Day,
    as_of: Day,
) -> GroupComparison {
    compare_group_with(table, &CustomerBase::new(table, Some(as_of)), list, since)
}

/// [`compare_group`] on the orders of `table` already grouped by customer, to the base's date.
pub fn compare_group_with(
    table: &OrderTable,
    base: &CustomerBase,
    list: &[String],
    since: Day,
) -> GroupComparison {
    let as_of = base.as_of();
    let wanted: Vec<String> = list.iter().map(|k| canonical_key(k)).collect();
    let mut in_list = vec![false; table.customer_keys.len()];
    let mut found_keys = vec![false; wanted.len()];
    // A list is short next to the table: index it once by key.
    let index: std::collections::HashMap<&str, usize> = wanted
        .iter()
        .enumerate()
        .map(|(i, k)| (k.as_str(), i))
        .collect();
    for (c, key) in table.customer_keys.iter().enumerate() {
        if let Some(&i) = index.get(key) {
            in_list[c] = true;
            found_keys[i] = true;
        }
    }
    let mut group = Tally::default();
    let mut others = Tally::default();
    let mut new_after = 0u64;
    for (c, s) in base.customers() {
        let listed = in_list.get(c as usize).is_some_and(|l| *l);
        if s.first_day >= since {
            if listed {
                new_after += 1;
            }
            continue;
        }
        let (orders, revenue) = orders_between(base, table, c, since, as_of);
        let t = if listed { &mut group } else { &mut others };
        t.customers += 1;
        t.bought_again += u64::from(orders > 0);
        t.orders += orders;
        t.revenue += revenue;
    }
    let found = found_keys.iter().filter(|f| **f).count() as u64;
    GroupComparison {
        since: iso_date(since),
        until: iso_date(as_of),
        listed: wanted.len() as u64,
        found,
        new_after,
        not_found_examples: wanted
            .iter()
            .zip(&found_keys)
            .filter(|(_, f)| !**f)
            .map(|(k, _)| k.clone())
            .take(NOT_FOUND_EXAMPLES)
            .collect(),
        group: group.figures(),
        others: others.figures(),
    }
}

#[derive(Default)]
struct Tally {
    customers: u64,
    bought_again: u64,
    orders: u64,
    revenue: f64,
}

impl Tally {
    fn figures(&self) -> GroupFigures {
        GroupFigures {
            customers: self.customers,
            bought_again: self.bought_again,
            repeat_rate: ratio(self.bought_again as f64, self.customers as f64),
            orders: self.orders,
            revenue: self.revenue,
            revenue_per_customer: ratio(self.revenue, self.customers as f64),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::Order;
    use proptest::prelude::*;

    fn order(customer: u32, day: Day, amount: f64) -> Order {
        Order {
            customer,
            day,
            amount,
        }
    }

    #[test]
    fn f2_counts_a_second_order_after_the_period_and_on_the_same_day() {
        let table = OrderTable {
            customer_keys: ["a", "b", "c", "d"].into(),
            orders: vec![
                // a: first on 50, second on 120 (after the period, within 90 days).
                order(0, 50, 1_000.0),
                order(0, 120, 1_000.0),
                // b: two orders on day 60.
                order(1, 60, 1_000.0),
                order(1, 60, 1_000.0),
                // c: first on 70, second on 200: 130 days, too late.
                order(2, 70, 1_000.0),
                order(2, 200, 1_000.0),
                // d: first on 99, not observed 90 days by the date 150.
                order(3, 99, 1_000.0),
            ],
            ..Default::default()
        };
        let p = period_figures(&table, Period { from: 0, to: 100 }, 90, 150);
        assert_eq!(p.new_customers, 4);
        // By day 150 only a (50 + 90 = 140) and b (60 + 90 = 150) are observed 90 days.
        assert_eq!((p.f2_eligible, p.f2_converted), (2, 2));
        assert_eq!(p.orders, 5, "orders after the period are not the period's");
        let p = period_figures(&table, Period { from: 0, to: 100 }, 90, 300);
        assert_eq!((p.f2_eligible, p.f2_converted), (4, 2));
    }

    #[test]
    fn the_group_is_compared_with_customers_who_existed_before_the_date() {
        let table = OrderTable {
            customer_keys: (0..6).map(|i| format!("c{i}@x.jp")).collect(),
            orders: vec![
                order(0, 0, 1_000.0),
                order(1, 0, 1_000.0),
                order(2, 0, 1_000.0),
                order(3, 0, 1_000.0),
                order(4, 50, 1_000.0), // new after the date: in neither group
                order(5, 400, 1_000.0),
                order(0, 60, 5_000.0),
                order(0, 70, 5_000.0),
                order(2, 80, 2_000.0),
                order(5, 420, 9_999.0), // after the analysis date
            ],
            ..Default::default()
        };
        let list = parse_customer_list("C0@x.jp\nc1@x.jp\nc4@x.jp\nnobody@x.jp");
        let c = compare_group(&table, &list, 40, 300);
        assert_eq!((c.listed, c.found, c.new_after), (4, 3, 1));
        assert_eq!(c.not_found_examples, ["nobody@x.jp"]);
        assert_eq!(
            (c.group.customers, c.group.bought_again, c.group.orders),
            (2, 1, 2)
        );
        assert_eq!(c.group.revenue_per_customer, Some(5_000.0));
        assert_eq!((c.others.customers, c.others.bought_again), (2, 1));
        assert_eq!(c.others.revenue, 2_000.0);
    }

    proptest! {
        /// The period's customers split into new and repeat ones; the figures add up to the
        /// orders in the period.
        #[test]
        fn period_figures_add_up(
            orders in proptest::collection::vec((0u32..20, 0i32..400, 1u32..10_000), 0..200),
            from in 0i32..400, len in 0i32..400, f2 in 1u32..200,
        ) {
            let table = OrderTable {
                customer_keys: (0..20).map(|i| format!("c{i}")).collect(),
                orders: orders.iter().map(|&(c, d, a)| order(c, d, f64::from(a))).collect(),
                ..Default::default()
            };
            let as_of = 399;
            let period = Period { from, to: (from + len).min(as_of) };
            let p = period_figures(&table, period, f2, as_of);
            prop_assert_eq!(p.customers, p.new_customers + p.repeat_customers);
            prop_assert!(p.f2_converted <= p.f2_eligible && p.f2_eligible <= p.new_customers);
            let in_period: Vec<_> = orders.iter().filter(|o| o.1 >= period.from && o.1 <= period.to).collect();
            prop_assert_eq!(p.orders, in_period.len() as u64);
            let revenue: f64 = in_period.iter().map(|o| f64::from(o.2)).sum();
            prop_assert!((p.revenue - revenue).abs() < 1e-6);
        }
    }
}
