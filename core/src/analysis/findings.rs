//! The three findings that matter most: each a figure of the shop, one sentence on what it
//! means, and what acting on it is worth in yen a year, chosen by rules written out here and
//! tested, never by opinion.
//!
//! Every rule reads [`FindingInputs`] (a handful of numbers taken from an [`Analysis`]), fires
//! when its condition holds, and prices its own step with an assumption stated in the rule (and
//! on the page): F2 up by [`F2_STEP`], a share [`WIN_BACK_SHARE`] of sleeping repeat customers
//! ordering once more, new customers back to last year's number, a share [`UPSELL_STEP`] more
//! on each order of the best customers, a share [`WIN_BACK_SHARE`] of two-time buyers ordering
//! a third time. The findings with the largest yen come first; the page shows three.

use serde::{Deserialize, Serialize};

use super::customers::CustomerBase;
use super::segments::Segment;
use super::Analysis;

/// The step of F2転換率 a follow-up within the F2 days is priced at: +5 points.
pub const F2_STEP: f64 = 0.05;
/// The share of sleeping repeat customers a reminder is priced at winning back: 20 %.
pub const WIN_BACK_SHARE: f64 = 0.20;
/// New customers must have fallen by at least this share for the rule to fire: 10 %.
pub const NEW_CUSTOMER_DROP: f64 = 0.10;
/// The larger basket of regular customers a cross-sell is priced at: +10 %.
pub const UPSELL_STEP: f64 = 0.10;
/// The findings a page shows.
pub const SHOWN: usize = 3;

/// What a finding is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum FindingKind {
    /// F2転換率: too few first-time buyers order a second time.
    SecondOrder,
    /// Repeat customers who have gone quiet (スリープ: 91–180 days).
    SleepingRepeaters,
    /// Fewer new customers in the last 12 months than in the 12 before.
    FewerNewCustomers,
    /// Regular customers (固定客) carry the shop: worth a larger basket.
    RegularsBasket,
    /// Two-time buyers (固定化候補) one order away from becoming regulars.
    ThirdOrder,
}

/// One finding: its figure, the figures behind it, and its worth in yen a year.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct Finding {
    pub kind: FindingKind,
    /// The headline figure: a rate (F2), a count (customers), or a share.
    pub figure: f64,
    /// A second figure the sentence needs (new customers the year before; regulars' share of
    /// revenue); 0 when the sentence needs none.
    pub compared_with: f64,
    /// The number of customers the finding is about.
    pub customers: u64,
    /// What the priced step is worth, yen a year.
    pub worth: f64,
}

/// The numbers the rules read, taken from an analysis.
#[derive(Clone, Copy, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct FindingInputs {
    /// F2転換率 and its F2 days; `None` when nobody is observed long enough.
    pub f2_rate: Option<f64>,
    pub f2_days: u32,
    /// New customers (first order) in the last 365 days, and in the 365 before.
    pub new_last_year: u64,
    pub new_year_before: u64,
    /// 平均注文単価 over all orders.
    pub average_order_value: Option<f64>,
    /// Mean orders of customers with two or more.
    pub repeat_orders_each: Option<f64>,
    /// Revenue per customer in the first year, for the new-customer rule.
    pub first_year_revenue_per_customer: Option<f64>,
    /// スリープ customers with two or more orders, and their mean order value.
    pub sleeping_repeaters: u64,
    pub sleeping_order_value: Option<f64>,
    /// 固定客, their revenue over the last 365 days and their share of all revenue then.
    pub regulars: u64,
    pub regulars_revenue_last_year: f64,
    pub regulars_share: Option<f64>,
    /// 固定化候補: active customers with two orders.
    pub candidates: u64,
}

impl FindingInputs {
    /// The numbers of an analysis: its customers at its date (`base`, built for the same
    /// table at the analysis's date) in its segments.
    pub fn of(analysis: &Analysis, base: &CustomerBase) -> FindingInputs {
        let as_of = i64::from(analysis.as_of);
        let mut inputs = FindingInputs {
            f2_rate: analysis.summary.f2.rate,
            f2_days: analysis.summary.f2.days,
            average_order_value: analysis.summary.average_order_value,
            first_year_revenue_per_customer: analysis.summary.last_12_months.revenue_per_customer,
            ..FindingInputs::default()
        };
        let (mut repeat_orders, mut repeaters) = (0u64, 0u64);
        let (mut sleeping_revenue, mut sleeping_orders) = (0.0, 0u64);
        let (mut total, mut regulars_total) = (0.0, 0.0);
        for (c, customer) in base.customers() {
            let segment = analysis.segments.of(c);
            total += customer.revenue;
            let since_first = as_of - i64::from(customer.first_day);
            if since_first < 365 {
                inputs.new_last_year += 1;
            } else if since_first < 730 {
                inputs.new_year_before += 1;
            }
            if customer.orders >= 2 {
                repeaters += 1;
                repeat_orders += customer.orders;
                if segment == Segment::Sleep {
                    inputs.sleeping_repeaters += 1;
                    sleeping_revenue += customer.revenue;
                    sleeping_orders += customer.orders;
                }
            }
            match segment {
                Segment::Regular => {
                    inputs.regulars += 1;
                    regulars_total += customer.revenue;
                }
                Segment::Candidate => inputs.candidates += 1,
                _ => {}
            }
        }
        inputs.repeat_orders_each =
            (repeaters > 0).then(|| repeat_orders as f64 / repeaters as f64);
        inputs.sleeping_order_value =
            (sleeping_orders > 0).then(|| sleeping_revenue / sleeping_orders as f64);
        // The regulars' revenue of the last 12 months is not in the rows (they hold totals):
        // their share of all revenue to date, applied to the last 12 months' revenue.
        inputs.regulars_share = (total > 0.0).then(|| regulars_total / total);
        inputs.regulars_revenue_last_year = inputs
            .regulars_share
            .map_or(0.0, |s| s * analysis.summary.last_12_months.revenue);
        inputs
    }
}

/// Every rule that fires, largest worth first (equal worth: in the order of the rules).
///
/// # Examples
/// ```
/// use ltv_core::analysis::findings::{findings, FindingInputs, FindingKind};
/// let shop = FindingInputs {
///     f2_rate: Some(0.22), f2_days: 90, new_last_year: 1_000, new_year_before: 1_000,
///     average_order_value: Some(5_000.0), repeat_orders_each: Some(4.0),
///     ..Default::default()
/// };
/// let f = findings(&shop);
/// assert_eq!(f[0].kind, FindingKind::SecondOrder);
/// // 1,000 new a year × 5 points × ¥5,000 × (4 − 1) orders after the first.
/// assert_eq!(f[0].worth, 750_000.0);
/// ```
pub fn findings(inputs: &FindingInputs) -> Vec<Finding> {
    let mut found: Vec<Finding> = [
        second_order(inputs),
        sleeping_repeaters(inputs),
        fewer_new_customers(inputs),
        regulars_basket(inputs),
        third_order(inputs),
    ]
    .into_iter()
    .flatten()
    .filter(|f| f.worth.round() > 0.0)
    .collect();
    found.sort_by(|a, b| b.worth.round().total_cmp(&a.worth.round()));
    found
}

/// F2: if F2 rose by [`F2_STEP`], the new customers of a year would bring each converted
/// one's later orders: new a year × step × AOV × (repeat orders − 1). Fires below 90 %.
fn second_order(i: &FindingInputs) -> Option<Finding> {
    let rate = i.f2_rate?;
    if rate >= 0.9 || i.new_last_year == 0 {
        return None;
    }
    let later_orders = i.repeat_orders_each? - 1.0;
    Some(Finding {
        kind: FindingKind::SecondOrder,
        figure: rate,
        compared_with: 0.0,
        customers: i.new_last_year,
        worth: i.new_last_year as f64 * F2_STEP * i.average_order_value? * later_orders.max(0.0),
    })
}

/// Sleeping repeat customers: if [`WIN_BACK_SHARE`] of them ordered once more at their usual
/// order value.
fn sleeping_repeaters(i: &FindingInputs) -> Option<Finding> {
    if i.sleeping_repeaters == 0 {
        return None;
    }
    Some(Finding {
        kind: FindingKind::SleepingRepeaters,
        figure: i.sleeping_repeaters as f64,
        compared_with: 0.0,
        customers: i.sleeping_repeaters,
        worth: i.sleeping_repeaters as f64 * WIN_BACK_SHARE * i.sleeping_order_value?,
    })
}

/// New customers down by [`NEW_CUSTOMER_DROP`] or more: winning back last year's number is
/// worth the missing customers × a customer's first-year revenue.
fn fewer_new_customers(i: &FindingInputs) -> Option<Finding> {
    let (now, before) = (i.new_last_year as f64, i.new_year_before as f64);
    if before == 0.0 || now > before * (1.0 - NEW_CUSTOMER_DROP) {
        return None;
    }
    Some(Finding {
        kind: FindingKind::FewerNewCustomers,
        figure: now,
        compared_with: before,
        customers: i.new_year_before - i.new_last_year,
        worth: (before - now) * i.first_year_revenue_per_customer?,
    })
}

/// Regular customers bringing at least a third of revenue: a basket [`UPSELL_STEP`] larger on
/// their orders of a year.
fn regulars_basket(i: &FindingInputs) -> Option<Finding> {
    let share = i.regulars_share?;
    if i.regulars == 0 || share < 1.0 / 3.0 {
        return None;
    }
    Some(Finding {
        kind: FindingKind::RegularsBasket,
        figure: share,
        compared_with: 0.0,
        customers: i.regulars,
        worth: i.regulars_revenue_last_year * UPSELL_STEP,
    })
}

/// Two-time buyers: if [`WIN_BACK_SHARE`] of them ordered a third time at the usual order
/// value.
fn third_order(i: &FindingInputs) -> Option<Finding> {
    if i.candidates == 0 {
        return None;
    }
    Some(Finding {
        kind: FindingKind::ThirdOrder,
        figure: i.candidates as f64,
        compared_with: 0.0,
        customers: i.candidates,
        worth: i.candidates as f64 * WIN_BACK_SHARE * i.average_order_value?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop() -> FindingInputs {
        FindingInputs {
            f2_rate: Some(0.22),
            f2_days: 90,
            new_last_year: 1_000,
            new_year_before: 1_000,
            average_order_value: Some(5_000.0),
            repeat_orders_each: Some(4.0),
            first_year_revenue_per_customer: Some(12_000.0),
            sleeping_repeaters: 300,
            sleeping_order_value: Some(6_000.0),
            regulars: 200,
            regulars_revenue_last_year: 4_000_000.0,
            regulars_share: Some(0.4),
            candidates: 0,
        }
    }

    fn kinds(inputs: &FindingInputs) -> Vec<FindingKind> {
        findings(inputs).iter().map(|f| f.kind).collect()
    }

    /// Which findings for which numbers, in which order.
    #[test]
    fn findings_by_the_numbers() {
        use FindingKind::*;
        let cases: Vec<(&str, FindingInputs, Vec<FindingKind>)> = vec![
            // F2 750,000; sleeping 300 × 0.2 × 6,000 = 360,000; regulars 400,000.
            (
                "the usual shop",
                shop(),
                vec![SecondOrder, RegularsBasket, SleepingRepeaters],
            ),
            (
                "F2 at 90 % or more is not a finding",
                FindingInputs {
                    f2_rate: Some(0.9),
                    ..shop()
                },
                vec![RegularsBasket, SleepingRepeaters],
            ),
            (
                "500 two-time buyers: 500 × 0.2 × 5,000 = 500,000 comes second",
                FindingInputs {
                    candidates: 500,
                    ..shop()
                },
                vec![SecondOrder, ThirdOrder, RegularsBasket, SleepingRepeaters],
            ),
            (
                "new customers down 30 %: 300 × 12,000 = 3,600,000 leads",
                FindingInputs {
                    new_last_year: 700,
                    ..shop()
                },
                vec![
                    FewerNewCustomers,
                    SecondOrder,
                    RegularsBasket,
                    SleepingRepeaters,
                ],
            ),
            (
                "down only 5 %: no finding",
                FindingInputs {
                    new_last_year: 950,
                    ..shop()
                },
                vec![SecondOrder, RegularsBasket, SleepingRepeaters],
            ),
            (
                "regulars under a third of revenue",
                FindingInputs {
                    regulars_share: Some(0.3),
                    ..shop()
                },
                vec![SecondOrder, SleepingRepeaters],
            ),
            (
                "nobody asleep, F2 not yet measurable",
                FindingInputs {
                    sleeping_repeaters: 0,
                    f2_rate: None,
                    ..shop()
                },
                vec![RegularsBasket],
            ),
            ("an empty shop", FindingInputs::default(), vec![]),
        ];
        for (what, inputs, want) in cases {
            assert_eq!(kinds(&inputs), want, "{what}");
        }
    }

    #[test]
    fn each_worth_is_its_stated_step() {
        let f = findings(&FindingInputs {
            new_last_year: 700,
            ..shop()
        });
        let worth = |k| f.iter().find(|x| x.kind == k).unwrap().worth;
        // 700 new × 5 points × ¥5,000 × 3 later orders.
        assert_eq!(worth(FindingKind::SecondOrder), 525_000.0);
        assert_eq!(worth(FindingKind::SleepingRepeaters), 360_000.0);
        assert_eq!(worth(FindingKind::FewerNewCustomers), 3_600_000.0);
        assert_eq!(worth(FindingKind::RegularsBasket), 400_000.0);
        let new = f
            .iter()
            .find(|x| x.kind == FindingKind::FewerNewCustomers)
            .unwrap();
        assert_eq!(
            (new.figure, new.compared_with, new.customers),
            (700.0, 1_000.0, 300)
        );
    }
}
