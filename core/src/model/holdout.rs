//! Validation on a holdout period (検証): fit on the calibration part, then compare predicted
//! and actual repeat transactions after it, as Fader, Hardie & Lee (2005) do on CDNOW.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdParams;
use super::purchase::{AliveAtDays, PurchaseParams};
use super::summary::{group_key, weeks, CustomerRfm, RfmSummary, DAYS_PER_WEEK};
use crate::orders::Day;

/// Calibration repeat counts at or above this share the last bucket ("7+").
pub const TOP_FREQUENCY_BUCKET: u64 = 7;

/// One week of the cumulative tracking chart.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct WeeklyPoint {
    /// Week number since the calibration start (1 = its first seven days).
    pub week: u32,
    /// The last day the point counts (the week's seventh day, or the holdout end).
    pub day: Day,
    /// Actual cumulative repeat transactions through `day`.
    pub actual: u64,
    /// Expected cumulative repeat transactions through `day`: Σ E[X(tᵢ)] over customers,
    /// tᵢ the weeks from each customer's first purchase to `day`.
    pub expected: f64,
}

/// Conditional expectations for the customers with one calibration repeat count.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct FrequencyBucket {
    /// Calibration repeat transactions (x); [`TOP_FREQUENCY_BUCKET`] means that many or more.
    pub frequency: u64,
    pub customers: u64,
    /// Mean actual transactions in the holdout.
    pub actual_mean: f64,
    /// Mean of E[Y(holdout) | x, tₓ, T].
    pub predicted_mean: f64,
}

/// Predicted against actual repeat transactions in the holdout.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct HoldoutValidation {
    pub calibration_start: Day,
    pub calibration_end: Day,
    pub holdout_end: Day,
    /// Holdout length in weeks (days / 7).
    pub holdout_weeks: f64,
    /// Cumulative repeat transactions by week, calibration and holdout together.
    pub weekly: Vec<WeeklyPoint>,
    /// By calibration repeat count 0, 1, …, 7+ (empty buckets left out).
    pub by_frequency: Vec<FrequencyBucket>,
    /// Actual transactions (customer-days) in the holdout.
    pub actual_holdout: u64,
    /// Expected holdout transactions from the tracking curve: Σ E[X(Tᵢ + t)] − E[X(Tᵢ)].
    pub expected_holdout: f64,
    /// Expected holdout transactions given each customer's history: Σ E[Y(t) | xᵢ, tₓᵢ, Tᵢ].
    pub conditional_expected_holdout: f64,
}

/// Compare a BG/NBD fit with what happened in the holdout; `None` without a holdout.
///
/// # Examples
/// ```
/// use ltv_core::model::{summarize, validate_holdout, BgNbdParams};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 10.0 },
///         Order { customer: 0, day: 20, amount: 10.0 },
///         Order { customer: 1, day: 3, amount: 10.0 },
///         Order { customer: 0, day: 40, amount: 10.0 },
///     ],
///     ..Default::default()
/// };
/// let summary = summarize(&table, 27, Some(55)).unwrap();
/// let p = BgNbdParams::new(0.5, 5.0, 0.8, 2.5).unwrap();
/// let v = validate_holdout(&summary, &p).unwrap();
/// assert_eq!(v.actual_holdout, 1);
/// assert_eq!(v.weekly.len(), 8);
/// assert_eq!(v.weekly.last().unwrap().actual, 2);
/// ```
pub fn validate_holdout(summary: &RfmSummary, params: &BgNbdParams) -> Option<HoldoutValidation> {
    validate_holdout_with(summary, &PurchaseParams::BgNbd(*params))
}

/// [`validate_holdout`] for any model of purchase counts.
pub fn validate_holdout_with(
    summary: &RfmSummary,
    params: &PurchaseParams,
) -> Option<HoldoutValidation> {
    summary.holdout_end?;
    validate_holdout_in(summary, &RfmOrder::of(&summary.customers), params)
}

/// [`validate_holdout_with`], the summary's customers in an order made before
/// ([`RfmOrder::of`] on them).
pub(crate) fn validate_holdout_in(
    summary: &RfmSummary,
    order: &RfmOrder,
    params: &PurchaseParams,
) -> Option<HoldoutValidation> {
    let holdout_end = summary.holdout_end?;
    let start = summary.calibration_start;
    let span = (holdout_end - start) as usize;
    let holdout_weeks = summary.holdout_weeks();

    // E[X(u/7)] for every day offset u: the tracking curve needs nothing else.
    let ts: Vec<f64> = (0..=span).map(|u| u as f64 / DAYS_PER_WEEK).collect();
    let ex = params.expected_transactions_at(&ts);
    // Customers by first-purchase day offset.
    let mut births = vec![0u64; span + 1];
    for c in &summary.customers {
        births[(c.first_day - start) as usize] += 1;
    }

    let weeks = span / 7 + 1;
    let mut weekly = Vec::with_capacity(weeks);
    let mut actual = 0u64;
    let mut counted = 0usize;
    for week in 1..=weeks {
        let last = (7 * week - 1).min(span);
        while counted <= last {
            actual += summary
                .daily_repeat_transactions
                .get(counted)
                .copied()
                .unwrap_or(0);
            counted += 1;
        }
        let expected: f64 = births[..=last]
            .iter()
            .enumerate()
            .filter(|(_, &n)| n > 0)
            .map(|(birth, &n)| n as f64 * ex[last - birth])
            .sum();
        weekly.push(WeeklyPoint {
            week: week as u32,
            day: start + last as Day,
            actual,
            expected,
        });
    }

    let calibration_offset = (summary.calibration_end - start) as usize;
    let expected_holdout: f64 = births
        .iter()
        .enumerate()
        .filter(|(_, &n)| n > 0)
        .map(|(birth, &n)| {
            n as f64 * (ex[span - birth] - ex[calibration_offset.saturating_sub(birth)])
        })
        .sum();

    let mut buckets = vec![(0u64, 0u64, 0.0f64); TOP_FREQUENCY_BUCKET as usize + 1];
    let mut conditional_expected_holdout = 0.0;
    let mut shared = SharedByAge::new(params, vec![holdout_weeks]);
    let mut alive = AliveAtDays::new(params);
    for_each_in_order(&summary.customers, order, |members| {
        let c = members[0];
        let predicted = shared.get(c.frequency, c.age_days)[0]
            * alive.get(c.frequency, c.recency_days, c.age_days);
        for m in members {
            let bucket = &mut buckets[m.frequency.min(TOP_FREQUENCY_BUCKET) as usize];
            bucket.0 += 1;
            bucket.1 += m.holdout_transactions;
            bucket.2 += predicted;
            conditional_expected_holdout += predicted;
        }
    });
    let by_frequency = buckets
        .into_iter()
        .enumerate()
        .filter(|(_, b)| b.0 > 0)
        .map(|(x, (n, actual, predicted))| FrequencyBucket {
            frequency: x as u64,
            customers: n,
            actual_mean: actual as f64 / n as f64,
            predicted_mean: predicted / n as f64,
        })
        .collect();

    Some(HoldoutValidation {
        calibration_start: start,
        calibration_end: summary.calibration_end,
        holdout_end,
        holdout_weeks,
        weekly,
        by_frequency,
        actual_holdout: summary
            .customers
            .iter()
            .map(|c| c.holdout_transactions)
            .sum(),
        expected_holdout,
        conditional_expected_holdout,
    })
}

/// Customers sorted by (x, T, tₓ), as [`for_each_in_order`] reads them. Made once, it
/// serves every model compared on the same summary.
#[derive(Debug)]
pub(crate) struct RfmOrder(Vec<u32>);

impl RfmOrder {
    pub(crate) fn of(customers: &[CustomerRfm]) -> Self {
        let key = |c: &CustomerRfm| (c.frequency, c.age_days, c.recency_days);
        // Sorted by the three packed into one number, read once a customer, when they fit
        // (the comparisons then read no customer); the members of a group are all that is
        // ever asked of it, in any order.
        let packed: Option<Vec<(u64, u32)>> = customers
            .iter()
            .zip(0u32..)
            // (x, T, tₓ) in the places of (x, tₓ, T): the packing only keeps the order of
            // its parts.
            .map(|(c, i)| group_key(c.frequency, c.age_days, c.recency_days).map(|k| (k, i)))
            .collect();
        RfmOrder(match packed {
            Some(mut packed) => {
                packed.sort_unstable_by_key(|&(k, _)| k);
                packed.into_iter().map(|(_, i)| i).collect()
            }
            None => {
                let mut sorted: Vec<u32> = (0..customers.len() as u32).collect();
                sorted.sort_unstable_by_key(|&i| key(&customers[i as usize]));
                sorted
            }
        })
    }
}

/// Call `f` once per set of customers with equal (x, tₓ, T), in `order`, so that each
/// prediction is computed once per group; groups with equal (x, T) come one after another.
fn for_each_in_order<'a>(
    customers: &'a [CustomerRfm],
    order: &RfmOrder,
    mut f: impl FnMut(&[&'a CustomerRfm]),
) {
    let key = |c: &CustomerRfm| (c.frequency, c.age_days, c.recency_days);
    let sorted: Vec<&CustomerRfm> = order.0.iter().map(|&i| &customers[i as usize]).collect();
    let mut begin = 0;
    while begin < sorted.len() {
        let k = key(sorted[begin]);
        let mut end = begin + 1;
        while end < sorted.len() && key(sorted[end]) == k {
            end += 1;
        }
        f(&sorted[begin..end]);
        begin = end;
    }
}

/// E[Y(t) | x, tₓ, T] / P(alive) at fixed times t, kept for every T of the last x: it does
/// not depend on tₓ, and the groups are asked for by x (then by T or by tₓ), so each (x, T)
/// is computed once. A time asked for twice is computed once (a prediction asks for 52
/// weeks as the next year, as a 12-month horizon and as the 12th month's end); each time's
/// value does not depend on the others asked with it.
pub(crate) struct SharedByAge {
    params: PurchaseParams,
    /// The distinct times, in the order first asked for.
    ts: Vec<f64>,
    /// Where each time asked for is in `ts`.
    places: Vec<usize>,
    /// By age in days: the x its values were made for (none yet), and the values, one for each
    /// time asked for. A slot made for another x is made again, in the same vector: the groups
    /// come by x, so each (x, T) is made once.
    by_age: Vec<(Option<u64>, Vec<f64>)>,
}

impl SharedByAge {
    pub(crate) fn new(params: &PurchaseParams, asked: Vec<f64>) -> Self {
        let mut ts: Vec<f64> = Vec::with_capacity(asked.len());
        let places: Vec<usize> = asked
            .iter()
            .map(|&t| {
                ts.iter().position(|&d| d == t).unwrap_or_else(|| {
                    ts.push(t);
                    ts.len() - 1
                })
            })
            .collect();
        SharedByAge {
            params: *params,
            places,
            ts,
            by_age: Vec::new(),
        }
    }

    /// The values for x = `frequency` and T = `age_days`, one for each time asked for.
    pub(crate) fn get(&mut self, frequency: u64, age_days: u32) -> &[f64] {
        let day = age_days as usize;
        if self.by_age.len() <= day {
            self.by_age.resize_with(day + 1, || (None, Vec::new()));
        }
        let (params, ts, places) = (&self.params, &self.ts, &self.places);
        let (made_for, values) = &mut self.by_age[day];
        if *made_for != Some(frequency) {
            let made = params.unconditional_bracket_at(frequency, weeks(age_days), ts);
            *made_for = Some(frequency);
            values.clear();
            values.extend(places.iter().map(|&k| made[k]));
        }
        values
    }
}

#[cfg(test)]
mod tests {
    use super::super::purchase::{MbgNbdParams, ParetoNbdParams};
    use super::super::summary::summarize;
    use super::*;
    use crate::orders::{Order, OrderTable};

    /// The comparisons' order sorts the customers by (x, T, tₓ), with the packed keys and
    /// without them (a T beyond 2²¹ days does not pack).
    #[test]
    fn the_comparisons_order_sorts_by_frequency_age_and_recency() {
        let c = |customer, frequency, recency_days, age_days| CustomerRfm {
            customer,
            first_day: 0,
            frequency,
            recency_days,
            age_days,
            monetary_value: 0.0,
            holdout_transactions: 0,
        };
        let customers = [
            c(0, 2, 50, 90),
            c(1, 0, 0, 90),
            c(2, 2, 10, 90),
            c(3, 2, 70, 80),
            c(4, 0, 0, 40),
        ];
        assert_eq!(RfmOrder::of(&customers).0, [4, 1, 3, 2, 0]);
        let mut far = customers.to_vec();
        far[1].age_days = 1 << 22;
        assert_eq!(RfmOrder::of(&far).0, [4, 1, 3, 2, 0]);
    }

    /// A time asked for twice is computed once, and every value is the one the model gives
    /// when asked for all the times together, to the bit: for each model, BG/NBD by its
    /// transformed series (a < 20) and by the plain one.
    #[test]
    fn times_asked_twice_and_ages_asked_again_give_the_same_values() {
        let mut asked = vec![52.0, 52.0];
        asked.extend((1..=12).map(|k| f64::from(k) * 52.0 / 12.0));
        let models = [
            PurchaseParams::BgNbd(BgNbdParams::new(0.6, 3.5, 0.9, 7.6).unwrap()),
            PurchaseParams::BgNbd(BgNbdParams::new(0.6, 3.5, 40.0, 70.0).unwrap()),
            PurchaseParams::MbgNbd(MbgNbdParams {
                r: 0.95,
                alpha: 4.7,
                a: 0.74,
                b: 4.4,
            }),
            PurchaseParams::ParetoNbd(ParetoNbdParams {
                r: 1.0,
                alpha: 6.1,
                s: 0.9,
                beta: 31.1,
            }),
        ];
        for params in models {
            let mut shared = SharedByAge::new(&params, asked.clone());
            assert_eq!(shared.ts.len(), 12, "{params:?}");
            // An age asked again for another x, and an x asked again after another, are made
            // for the x asked.
            for (x, age) in [
                (0u64, 30u32),
                (3, 300),
                (40, 700),
                (3, 30),
                (0, 30),
                (40, 300),
            ] {
                let together = params.unconditional_bracket_at(x, weeks(age), &asked);
                assert_eq!(
                    shared.get(x, age),
                    together.as_slice(),
                    "{params:?} {x} {age}"
                );
            }
        }
    }

    fn table(orders: &[(u32, Day)]) -> OrderTable {
        OrderTable {
            customer_keys: (0..3).map(|i| i.to_string()).collect(),
            orders: orders
                .iter()
                .map(|&(customer, day)| Order {
                    customer,
                    day,
                    amount: 1.0,
                })
                .collect(),
            ..Default::default()
        }
    }

    #[test]
    fn tracking_curve_by_hand() {
        let p = BgNbdParams::new(0.5, 5.0, 0.8, 2.5).unwrap();
        // Customer 0 born day 0, repeats days 3 and 12; customer 1 born day 8, repeat day 16.
        let t = table(&[(0, 0), (0, 3), (0, 12), (1, 8), (1, 16)]);
        let s = summarize(&t, 10, Some(20)).unwrap();
        let v = validate_holdout(&s, &p).unwrap();
        // Days 0..=20: weeks end on days 6, 13, 20.
        let days: Vec<Day> = v.weekly.iter().map(|w| w.day).collect();
        assert_eq!(days, vec![6, 13, 20]);
        let actual: Vec<u64> = v.weekly.iter().map(|w| w.actual).collect();
        assert_eq!(actual, vec![1, 2, 3]);
        // Expected through day 13: E[X(13/7)] + E[X(5/7)], written out.
        let by_hand = p.expected_transactions(13.0 / 7.0) + p.expected_transactions(5.0 / 7.0);
        assert!((v.weekly[1].expected - by_hand).abs() < 1e-12);
        assert_eq!(v.weekly[0].expected, p.expected_transactions(6.0 / 7.0));
        // Holdout: customer 0 days 12 (1), customer 1 day 16 (1).
        assert_eq!(v.actual_holdout, 2);
        let expected = p.expected_transactions(20.0 / 7.0) - p.expected_transactions(10.0 / 7.0)
            + p.expected_transactions(12.0 / 7.0)
            - p.expected_transactions(2.0 / 7.0);
        assert!((v.expected_holdout - expected).abs() < 1e-12);
        // Buckets: customer 0 has x = 1, customer 1 has x = 0.
        let freq: Vec<(u64, u64, f64)> = v
            .by_frequency
            .iter()
            .map(|b| (b.frequency, b.customers, b.actual_mean))
            .collect();
        assert_eq!(freq, vec![(0, 1, 1.0), (1, 1, 1.0)]);
        assert!(validate_holdout(&summarize(&t, 10, None).unwrap(), &p).is_none());
    }
}
