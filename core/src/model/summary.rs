//! The per-customer summary the models read (頻度・最終購入・観測期間): x, tₓ, T and the
//! average repeat value, from an [`OrderTable`] and a calibration end day.
//!
//! Conventions, the same as Fader, Hardie & Lee (2005) and the reference CDNOW summary:
//! - time in weeks = days / 7 (not calendar weeks);
//! - several orders by one customer on one day are one transaction, their amounts summed;
//!   a day with nothing but returns (every amount negative) is not a purchase and is skipped;
//! - x (frequency) = transactions after the first, tₓ (recency) = weeks from the first to the
//!   last transaction, T (age) = weeks from the first transaction to the calibration end day;
//! - only customers whose first transaction is on or before the calibration end day.
//!
//! T is measured to the calibration end day itself (a customer who first bought on that day
//! has T = 0): the reference summary of the CDNOW sample (`cdnow_customers_summary.csv`)
//! is reproduced exactly with this convention.

use serde::{Deserialize, Serialize};

use super::error::{ModelError, ModelErrorKind};
use crate::analysis::customers::CustomerBase;
use crate::orders::{day_then_amount, Buckets, Day, OrderTable};

/// Days in a week: the models' time unit is the week, as days / 7.
pub const DAYS_PER_WEEK: f64 = 7.0;

/// A span of days in weeks, the models' unit: the one expression every tₓ and T is made with.
pub fn weeks(days: u32) -> f64 {
    f64::from(days) / DAYS_PER_WEEK
}

/// One customer's summary over the calibration period (and the holdout, when there is one).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRfm {
    /// Dense customer id (index into [`OrderTable::customer_keys`]).
    pub customer: u32,
    /// 初回購入日: the day of the first transaction.
    pub first_day: Day,
    /// x, リピート回数: transactions after the first within the calibration period.
    pub frequency: u64,
    /// tₓ in days: from the first to the last calibration transaction.
    pub recency_days: u32,
    /// T in days: from the first transaction to the calibration end day.
    pub age_days: u32,
    /// 平均リピート注文額: mean value of the repeat transactions (0 when there are none).
    pub monetary_value: f64,
    /// Transactions (customer-days) in the holdout period; 0 without a holdout.
    pub holdout_transactions: u64,
}

impl CustomerRfm {
    /// tₓ in weeks.
    pub fn recency_weeks(&self) -> f64 {
        weeks(self.recency_days)
    }

    /// T in weeks.
    pub fn age_weeks(&self) -> f64 {
        weeks(self.age_days)
    }
}

/// The summary of every customer first seen in the calibration period.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmSummary {
    /// The first customer's first transaction: where the weekly validation series starts.
    pub calibration_start: Day,
    /// The last day of the calibration period (inclusive).
    pub calibration_end: Day,
    /// The last day of the holdout period (inclusive), when there is one.
    pub holdout_end: Option<Day>,
    /// One entry per customer first seen in the calibration period, by customer id.
    pub customers: Vec<CustomerRfm>,
    /// Customers whose first transaction is after the calibration end (not modelled).
    pub customers_after_calibration: u64,
    /// Customer-days with nothing but returns, skipped.
    pub return_only_days: u64,
    /// Repeat transactions of the summarised customers per day, indexed by
    /// `day - calibration_start`, through the holdout end (or the calibration end).
    pub daily_repeat_transactions: Vec<u64>,
}

impl RfmSummary {
    /// Customers with at least one repeat transaction.
    pub fn repeat_customers(&self) -> u64 {
        self.customers.iter().filter(|c| c.frequency > 0).count() as u64
    }

    /// Length of the holdout in weeks (0 without a holdout).
    pub fn holdout_weeks(&self) -> f64 {
        self.holdout_end
            .map(|end| f64::from(end - self.calibration_end) / DAYS_PER_WEEK)
            .unwrap_or(0.0)
    }
}

/// Summarise an order table for the models.
///
/// `calibration_end` is inclusive; `holdout_end` (inclusive, after the calibration end)
/// counts each customer's transactions between the two. Orders after the last of the two
/// days are ignored.
///
/// # Errors
/// [`ModelErrorKind::CalibrationBeforeData`] when the calibration ends before the first
/// order, [`ModelErrorKind::NoCustomers`] when no customer is left, and
/// [`ModelErrorKind::InvalidParameter`] for a holdout end not after the calibration end.
///
/// # Examples
/// ```
/// use ltv_core::model::summarize;
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, d| day_from_ymd(2024, m, d).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 1), amount: 1000.0 },
///         Order { customer: 0, day: d(1, 15), amount: 2000.0 },
///         Order { customer: 0, day: d(1, 15), amount: 500.0 },
///     ],
///     ..Default::default()
/// };
/// let summary = summarize(&table, d(1, 29), None).unwrap();
/// let c = &summary.customers[0];
/// assert_eq!(c.frequency, 1); // two orders on 15 January are one transaction
/// assert_eq!(c.recency_weeks(), 2.0);
/// assert_eq!(c.age_weeks(), 4.0);
/// assert_eq!(c.monetary_value, 2500.0);
/// ```
pub fn summarize(
    table: &OrderTable,
    calibration_end: Day,
    holdout_end: Option<Day>,
) -> Result<RfmSummary, ModelError> {
    summarize_with(table, None, calibration_end, holdout_end)
}

/// [`summarize`], reading each customer's orders from `base` (the analysis's orders grouped
/// by customer) when it is of this table and reaches the last day the summary needs, instead
/// of grouping the table's orders again. The summary is the same either way.
pub fn summarize_with(
    table: &OrderTable,
    base: Option<&CustomerBase>,
    calibration_end: Day,
    holdout_end: Option<Day>,
) -> Result<RfmSummary, ModelError> {
    let shape = TableShape::of(table);
    summarize_shaped(table, &shape, base, calibration_end, holdout_end)
}

/// What every summary of a table needs of all its orders, counted once: its first and last
/// order days (`None` without orders) and its number of customer ids. The prediction makes
/// two summaries of one table from one count.
#[derive(Debug)]
pub(crate) struct TableShape {
    pub span: Option<(Day, Day)>,
    pub ids: usize,
}

impl TableShape {
    pub fn of(table: &OrderTable) -> Self {
        TableShape {
            span: table.date_range(),
            ids: table.customer_id_count(),
        }
    }
}

/// [`summarize_with`] on a table whose [`TableShape`] is known.
pub(crate) fn summarize_shaped(
    table: &OrderTable,
    shape: &TableShape,
    base: Option<&CustomerBase>,
    calibration_end: Day,
    holdout_end: Option<Day>,
) -> Result<RfmSummary, ModelError> {
    // At most one a customer: made in one piece, not grown by doubling to up to twice that.
    let mut customers = Vec::with_capacity(shape.ids);
    let tallies = summarize_each(table, shape, base, calibration_end, holdout_end, |c| {
        customers.push(c)
    })?;
    let mut daily_repeat_transactions = tallies.repeats_by_day;
    daily_repeat_transactions
        .drain(..(tallies.calibration_start - tallies.first_order_day) as usize);
    Ok(RfmSummary {
        calibration_start: tallies.calibration_start,
        calibration_end,
        holdout_end,
        customers,
        customers_after_calibration: tallies.customers_after_calibration,
        return_only_days: tallies.return_only_days,
        daily_repeat_transactions,
    })
}

/// [`group_customers`] of [`summarize_shaped`]'s customers, without keeping the customers
/// (8 bytes a customer while they are gathered instead of a whole summary's 48).
pub(crate) fn groups_shaped(
    table: &OrderTable,
    shape: &TableShape,
    base: Option<&CustomerBase>,
    calibration_end: Day,
    holdout_end: Option<Day>,
) -> Result<Vec<SummaryGroup>, ModelError> {
    let mut gathered = Gathered::with_capacity(shape.ids);
    summarize_each(table, shape, base, calibration_end, holdout_end, |c| {
        gathered.push((c.frequency, c.recency_days, c.age_days))
    })?;
    Ok(gathered.groups())
}

/// What a summary counts beside its customers ([`summarize_each`]).
struct Tallies {
    first_order_day: Day,
    /// The first customer's first day.
    calibration_start: Day,
    customers_after_calibration: u64,
    return_only_days: u64,
    /// Repeat transactions by day from `first_order_day`.
    repeats_by_day: Vec<u64>,
}

/// The summary's customers, each handed to `each` in id order, and what it counts beside
/// them; [`ModelErrorKind::NoCustomers`] when there is none.
fn summarize_each(
    table: &OrderTable,
    shape: &TableShape,
    base: Option<&CustomerBase>,
    calibration_end: Day,
    holdout_end: Option<Day>,
    mut each: impl FnMut(CustomerRfm),
) -> Result<Tallies, ModelError> {
    if let Some(end) = holdout_end {
        if end <= calibration_end {
            return Err(ModelError::invalid("holdout_end", f64::from(end)));
        }
    }
    let last_day = holdout_end.unwrap_or(calibration_end);
    let first_order_day = match shape.span {
        Some((first, _)) if calibration_end < first => {
            return Err(ModelErrorKind::CalibrationBeforeData {
                calibration_end,
                first_day: first,
            }
            .into());
        }
        Some((first, _)) => first,
        None => calibration_end,
    };

    // The orders by customer, up to the last day: the base's, or grouped here.
    let n_customers = shape.ids;
    let mut source = match base.filter(|b| b.as_of() >= last_day && b.id_count() == n_customers) {
        Some(base) => Source::Base(base),
        None => Source::Grouped(Buckets::new(
            n_customers,
            &table.orders,
            |o| (o.day <= last_day).then_some(o.customer as usize),
            |_, o| (o.day, o.amount),
        )),
    };

    let mut calibration_start: Option<Day> = None;
    let mut customers_after_calibration = 0u64;
    let mut return_only_days = 0u64;
    // Repeat transactions by day from the first order day; the days before the first
    // customer's first purchase are cut off at the end.
    let mut repeats_by_day = vec![0u64; (last_day - first_order_day).max(0) as usize + 1];
    let mut days: Vec<(Day, f64, bool)> = Vec::new();
    for customer in 0..n_customers {
        // One transaction per day: (day, summed amount, has a purchase). A day's amounts are
        // summed from the smallest, in both sources, so the sum never depends on the source.
        days.clear();
        let mut add = |day: Day, amount: f64| {
            let purchase = amount >= 0.0 || amount.is_nan();
            match days.last_mut() {
                Some(last) if last.0 == day => {
                    last.1 += amount;
                    last.2 |= purchase;
                }
                _ => days.push((day, amount, purchase)),
            }
        };
        match &mut source {
            Source::Grouped(bucket) => {
                let orders = bucket.get_mut(customer);
                orders.sort_unstable_by(|a, b| day_then_amount(*a, *b));
                for &(day, amount) in orders.iter() {
                    add(day, amount);
                }
            }
            Source::Base(base) => {
                for (_, order) in base.orders_of(table, customer as u32) {
                    if order.day > last_day {
                        break;
                    }
                    add(order.day, order.amount);
                }
            }
        }
        return_only_days += days.iter().filter(|d| !d.2).count() as u64;
        days.retain(|d| d.2);
        let Some(&(first_day, _, _)) = days.first() else {
            continue;
        };
        if first_day > calibration_end {
            customers_after_calibration += 1;
            continue;
        }
        let mut frequency = 0u64;
        let mut last_calibration_day = first_day;
        let mut repeat_value = 0.0;
        let mut holdout_transactions = 0u64;
        for &(day, amount, _) in &days[1..] {
            repeats_by_day[(day - first_order_day) as usize] += 1;
            if day <= calibration_end {
                frequency += 1;
                last_calibration_day = day;
                repeat_value += amount;
            } else {
                holdout_transactions += 1;
            }
        }
        calibration_start = Some(calibration_start.map_or(first_day, |d| d.min(first_day)));
        each(CustomerRfm {
            customer: customer as u32,
            first_day,
            frequency,
            recency_days: (last_calibration_day - first_day) as u32,
            age_days: (calibration_end - first_day) as u32,
            monetary_value: if frequency > 0 {
                repeat_value / frequency as f64
            } else {
                0.0
            },
            holdout_transactions,
        });
    }
    Ok(Tallies {
        first_order_day,
        calibration_start: calibration_start
            .ok_or(ModelErrorKind::NoCustomers { calibration_end })?,
        customers_after_calibration,
        return_only_days,
        repeats_by_day,
    })
}

/// Where [`summarize_with`] reads each customer's orders.
enum Source<'a> {
    /// The table's orders up to the last day, grouped by customer here as (day, amount).
    Grouped(Buckets<(Day, f64)>),
    /// The analysis's, by day then amount within a customer.
    Base(&'a CustomerBase),
}

/// Customers with the same (x, tₓ, T) in days, counted once with a weight: the BG/NBD
/// likelihood depends on nothing else, so fitting on groups is exact and much cheaper.
/// (Not the analysis's `RfmGroup`, a named group of its R × F grid.)
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize)]
pub struct SummaryGroup {
    pub frequency: u64,
    pub recency_days: u32,
    pub age_days: u32,
    /// Number of customers with these values.
    pub weight: u64,
}

impl SummaryGroup {
    /// tₓ in weeks.
    pub fn recency_weeks(&self) -> f64 {
        weeks(self.recency_days)
    }

    /// T in weeks.
    pub fn age_weeks(&self) -> f64 {
        weeks(self.age_days)
    }
}

/// Bits of each part of a [`group_key`].
const KEY_BITS: u32 = 21;

/// An (x, tₓ, T) packed into one number, ordered as the three are, when its parts fit (x
/// counts days after the first, so it is below tₓ, and 2²¹ days are 5,700 years).
pub(crate) fn group_key(frequency: u64, recency_days: u32, age_days: u32) -> Option<u64> {
    let fits = |v: u64| v < 1 << KEY_BITS;
    (fits(frequency) && fits(u64::from(recency_days)) && fits(u64::from(age_days))).then(|| {
        frequency << (2 * KEY_BITS) | u64::from(recency_days) << KEY_BITS | u64::from(age_days)
    })
}

/// Compress customers into [`SummaryGroup`]s, sorted by (x, tₓ, T).
pub fn group_customers(customers: &[CustomerRfm]) -> Vec<SummaryGroup> {
    let mut gathered = Gathered::with_capacity(customers.len());
    for c in customers {
        gathered.push((c.frequency, c.recency_days, c.age_days));
    }
    gathered.groups()
}

/// Customers' (x, tₓ, T), gathered to be grouped: each packed into one number while every
/// one's parts fit ([`group_key`]), sorted the same, in half the room of the three (8 bytes
/// a customer instead of 16), and faster; all three from the first that does not fit on.
enum Gathered {
    Packed(Vec<u64>),
    Wide(Vec<(u64, u32, u32)>),
}

impl Gathered {
    fn with_capacity(customers: usize) -> Self {
        Gathered::Packed(Vec::with_capacity(customers))
    }

    fn push(&mut self, (frequency, recency_days, age_days): (u64, u32, u32)) {
        match self {
            Gathered::Packed(keys) => match group_key(frequency, recency_days, age_days) {
                Some(key) => keys.push(key),
                None => {
                    let mut wide: Vec<(u64, u32, u32)> =
                        keys.iter().map(|&key| unpack_key(key)).collect();
                    wide.push((frequency, recency_days, age_days));
                    *self = Gathered::Wide(wide);
                }
            },
            Gathered::Wide(wide) => wide.push((frequency, recency_days, age_days)),
        }
    }

    /// The groups, sorted by (x, tₓ, T).
    fn groups(self) -> Vec<SummaryGroup> {
        match self {
            Gathered::Packed(mut keys) => {
                keys.sort_unstable();
                groups_of(&keys, unpack_key)
            }
            Gathered::Wide(mut wide) => {
                wide.sort_unstable();
                groups_of(&wide, |k| k)
            }
        }
    }
}

/// The (x, tₓ, T) of a [`group_key`].
fn unpack_key(key: u64) -> (u64, u32, u32) {
    let part = |shift: u32| (key >> shift) & ((1 << KEY_BITS) - 1);
    (part(2 * KEY_BITS), part(KEY_BITS) as u32, part(0) as u32)
}

/// Runs of equal keys in sorted `keys`, as groups (`parts` gives a key's (x, tₓ, T)), made in
/// one piece of their number: grown by doubling they took up to twice the room, beside the
/// keys.
fn groups_of<K: Copy + PartialEq>(
    keys: &[K],
    parts: impl Fn(K) -> (u64, u32, u32),
) -> Vec<SummaryGroup> {
    let runs = || keys.chunk_by(|a, b| a == b);
    let mut groups = Vec::with_capacity(runs().count());
    groups.extend(runs().map(|run| {
        let (frequency, recency_days, age_days) = parts(run[0]);
        SummaryGroup {
            frequency,
            recency_days,
            age_days,
            weight: run.len() as u64,
        }
    }));
    groups
}

/// The last day any group's tₓ or T reaches.
pub(crate) fn max_day(groups: &[SummaryGroup]) -> usize {
    groups
        .iter()
        .map(|g| g.age_days.max(g.recency_days))
        .max()
        .unwrap_or(0) as usize
}

/// ln(c + d/7) for each day d = 0..=`max_day` (weeks, as the likelihoods take them): computed
/// once per distinct day rather than once per customer.
pub(crate) fn ln_per_day(c: f64, max_day: usize) -> Vec<f64> {
    (0..=max_day)
        .map(|d| (c + d as f64 / DAYS_PER_WEEK).ln())
        .collect()
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;
    use crate::orders::{day_from_ymd, Order};
    use proptest::prelude::*;

    /// Customers 0, 1, … with these (x, tₓ, T), each spending its number (to tell them apart).
    pub(crate) fn customers_with_keys<'a>(
        keys: impl Iterator<Item = &'a (u64, u32, u32)>,
    ) -> Vec<CustomerRfm> {
        keys.enumerate()
            .map(|(i, &(frequency, recency_days, age_days))| CustomerRfm {
                customer: i as u32,
                first_day: 0,
                frequency,
                recency_days,
                age_days,
                monetary_value: i as f64,
                holdout_transactions: 0,
            })
            .collect()
    }

    fn day(m: u32, d: u32) -> Day {
        day_from_ymd(2024, m, d).unwrap()
    }

    fn table(orders: &[(u32, Day, f64)]) -> OrderTable {
        let n = orders.iter().map(|o| o.0 + 1).max().unwrap_or(0);
        OrderTable {
            customer_keys: (0..n).map(|i| format!("c{i}")).collect(),
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

    #[test]
    fn summary_cases() {
        // (orders, calibration end, holdout end, expected (customer, x, tx days, T days, m, holdout))
        type Expect = (u32, u64, u32, u32, f64, u64);
        type Case = (
            &'static str,
            Vec<(u32, Day, f64)>,
            Day,
            Option<Day>,
            Vec<Expect>,
        );
        let cases: Vec<Case> = vec![
            (
                "one order: no repeat",
                vec![(0, day(1, 1), 100.0)],
                day(1, 8),
                None,
                vec![(0, 0, 0, 7, 0.0, 0)],
            ),
            (
                "same-day orders merge; mean of repeats only",
                vec![
                    (0, day(1, 1), 999.0),
                    (0, day(1, 3), 100.0),
                    (0, day(1, 3), 50.0),
                    (0, day(1, 5), 250.0),
                ],
                day(1, 8),
                None,
                vec![(0, 2, 4, 7, 200.0, 0)],
            ),
            (
                "unsorted input",
                vec![(0, day(1, 5), 10.0), (0, day(1, 1), 10.0)],
                day(1, 5),
                None,
                vec![(0, 1, 4, 4, 10.0, 0)],
            ),
            (
                "holdout counted, later orders ignored",
                vec![
                    (0, day(1, 1), 10.0),
                    (0, day(2, 1), 10.0),
                    (0, day(2, 1), 10.0),
                    (0, day(2, 2), 10.0),
                    (0, day(5, 1), 10.0),
                ],
                day(1, 31),
                Some(day(3, 1)),
                vec![(0, 0, 0, 30, 0.0, 2)],
            ),
            (
                "customer first seen after calibration is left out",
                vec![(0, day(1, 1), 10.0), (1, day(1, 20), 10.0)],
                day(1, 10),
                Some(day(1, 30)),
                vec![(0, 0, 0, 9, 0.0, 0)],
            ),
            (
                "return-only day skipped, return on a purchase day netted",
                vec![
                    (0, day(1, 1), 100.0),
                    (0, day(1, 2), -100.0),
                    (0, day(1, 3), 300.0),
                    (0, day(1, 3), -100.0),
                ],
                day(1, 8),
                None,
                vec![(0, 1, 2, 7, 200.0, 0)],
            ),
            (
                "zero-valued order is a transaction",
                vec![(0, day(1, 1), 0.0), (0, day(1, 2), 0.0)],
                day(1, 2),
                None,
                vec![(0, 1, 1, 1, 0.0, 0)],
            ),
        ];
        for (name, orders, cal, hold, expected) in cases {
            let s = summarize(&table(&orders), cal, hold).unwrap();
            let got: Vec<Expect> = s
                .customers
                .iter()
                .map(|c| {
                    (
                        c.customer,
                        c.frequency,
                        c.recency_days,
                        c.age_days,
                        c.monetary_value,
                        c.holdout_transactions,
                    )
                })
                .collect();
            assert_eq!(got, expected, "{name}");
        }
    }

    #[test]
    fn summary_errors() {
        let t = table(&[(0, day(2, 1), 10.0)]);
        let kind = |r: Result<RfmSummary, ModelError>| r.unwrap_err().kind().clone();
        assert!(matches!(
            kind(summarize(&t, day(1, 1), None)),
            ModelErrorKind::CalibrationBeforeData { .. }
        ));
        assert!(matches!(
            kind(summarize(&t, day(2, 1), Some(day(2, 1)))),
            ModelErrorKind::InvalidParameter { .. }
        ));
        assert!(matches!(
            kind(summarize(&OrderTable::default(), day(1, 1), None)),
            ModelErrorKind::NoCustomers { .. }
        ));
        let only_returns = table(&[(0, day(1, 1), -5.0)]);
        assert!(matches!(
            kind(summarize(&only_returns, day(1, 1), None)),
            ModelErrorKind::NoCustomers { .. }
        ));
    }

    /// A return before anyone's first purchase: the daily series still starts on the first
    /// purchase day, the return's day left out.
    #[test]
    fn daily_repeats_start_at_the_first_purchase() {
        let t = table(&[
            (0, day(1, 1), -3.0),
            (0, day(1, 3), 1.0),
            (0, day(1, 5), 1.0),
            (1, day(1, 4), 1.0),
            (1, day(1, 5), 1.0),
        ]);
        let s = summarize(&t, day(1, 6), None).unwrap();
        assert_eq!(s.calibration_start, day(1, 3));
        assert_eq!(s.daily_repeat_transactions, vec![0, 0, 2, 0]);
    }

    #[test]
    fn daily_repeats_and_groups() {
        let t = table(&[
            (0, day(1, 1), 1.0),
            (0, day(1, 3), 1.0),
            (1, day(1, 2), 1.0),
            (1, day(1, 3), 1.0),
            (1, day(1, 6), 1.0),
            (2, day(1, 1), 1.0),
            (3, day(1, 1), 1.0),
        ]);
        let s = summarize(&t, day(1, 4), Some(day(1, 6))).unwrap();
        assert_eq!(s.calibration_start, day(1, 1));
        assert_eq!(s.daily_repeat_transactions, vec![0, 0, 2, 0, 0, 1]);
        let groups = group_customers(&s.customers);
        assert_eq!(groups.len(), 3);
        assert_eq!(groups[0].weight, 2, "customers 2 and 3 share (0, 0, 3)");
        assert_eq!(s.repeat_customers(), 2);
        assert!((s.holdout_weeks() - 2.0 / 7.0).abs() < 1e-12);
    }

    proptest! {
        /// Grouping gives each distinct (x, tₓ, T) once, in sorted order, with its count: as a
        /// sorted map counts them; with parts too large to pack as well (the other way).
        #[test]
        fn groups_are_the_distinct_keys_with_their_counts(
            keys in prop::collection::vec((0u64..4, 0u32..5, 0u32..5), 0..80),
            huge in prop::option::of(prop_oneof![
                Just((1u64 << 21, 0u32, 0u32)),
                Just((0, 1 << 21, 3)),
                Just((1, 2, u32::MAX)),
                Just((u64::MAX, 0, 0)),
            ]),
            huge_first in any::<bool>(),
        ) {
            // A key too large met first or last: the keys packed so far are unpacked then.
            let customers = if huge_first {
                customers_with_keys(huge.iter().chain(keys.iter()))
            } else {
                customers_with_keys(keys.iter().chain(huge.iter()))
            };
            let mut counts = std::collections::BTreeMap::new();
            for c in &customers {
                *counts.entry((c.frequency, c.recency_days, c.age_days)).or_insert(0u64) += 1;
            }
            let groups = group_customers(&customers);
            // Made in one piece of their number.
            prop_assert_eq!(groups.capacity(), groups.len());
            let got: Vec<((u64, u32, u32), u64)> = groups
                .iter()
                .map(|g| ((g.frequency, g.recency_days, g.age_days), g.weight))
                .collect();
            prop_assert_eq!(got, counts.into_iter().collect::<Vec<_>>());
        }

        /// The summary read from the analysis's base (when it reaches the last day needed)
        /// is the one grouped from the table: same customers, same sums of a day's amounts.
        #[test]
        fn the_analysis_base_gives_the_same_summary(
            rows in prop::collection::vec((0u32..6, 0i32..60, -50.0f64..500.0), 1..60),
            as_of in 30i32..75,
        ) {
            let start = day(1, 1);
            let orders: Vec<(u32, Day, f64)> =
                rows.iter().map(|&(c, d, a)| (c, start + d, a)).collect();
            let t = table(&orders);
            let base = CustomerBase::new(&t, Some(start + as_of));
            let shape = TableShape::of(&t);
            for (end, holdout) in [(40, Some(59)), (59, None), (25, None)] {
                let want = summarize(&t, start + end, holdout.map(|h| start + h));
                let got = summarize_with(&t, Some(&base), start + end, holdout.map(|h| start + h));
                prop_assert_eq!(format!("{got:?}"), format!("{want:?}"));
                // The groups made without keeping the summary are its customers' groups.
                for b in [None, Some(&base)] {
                    let groups = groups_shaped(&t, &shape, b, start + end, holdout.map(|h| start + h));
                    prop_assert_eq!(
                        groups,
                        want.as_ref().map(|s| group_customers(&s.customers)).map_err(Clone::clone)
                    );
                }
            }
        }

        #[test]
        fn summary_ignores_row_order_and_conserves_days(
            rows in prop::collection::vec((0u32..6, 0i32..60, -50.0f64..500.0), 1..60),
            seed in any::<u64>(),
        ) {
            let base = day(1, 1);
            let orders: Vec<(u32, Day, f64)> =
                rows.iter().map(|&(c, d, a)| (c, base + d, a)).collect();
            let mut shuffled = orders.clone();
            let n = shuffled.len();
            let mut state = seed;
            for i in (1..n).rev() {
                state = state.wrapping_mul(6364136223846793005).wrapping_add(1442695040888963407);
                shuffled.swap(i, (state >> 33) as usize % (i + 1));
            }
            let a = summarize(&table(&orders), base + 40, Some(base + 59));
            let b = summarize(&table(&shuffled), base + 40, Some(base + 59));
            match (a, b) {
                (Ok(a), Ok(b)) => {
                    for (x, y) in a.customers.iter().zip(&b.customers) {
                        prop_assert_eq!(x.frequency, y.frequency);
                        prop_assert_eq!(x.recency_days, y.recency_days);
                        prop_assert_eq!(x.holdout_transactions, y.holdout_transactions);
                        prop_assert!((x.monetary_value - y.monetary_value).abs() < 1e-9);
                        prop_assert!(x.recency_days <= x.age_days);
                    }
                    let repeats: u64 = a.customers.iter()
                        .map(|c| c.frequency + c.holdout_transactions).sum();
                    prop_assert_eq!(repeats, a.daily_repeat_transactions.iter().sum::<u64>());
                    let weights: u64 = group_customers(&a.customers).iter().map(|g| g.weight).sum();
                    prop_assert_eq!(weights, a.customers.len() as u64);
                }
                (Err(a), Err(b)) => prop_assert_eq!(a, b),
                _ => prop_assert!(false, "order changed the outcome"),
            }
        }
    }
}
