//! The 診断 itself: from the numbers entered, how healthy one customer's economics are and
//! what to do first.
//!
//! The ranking is by money, not by opinion: each lever is moved by the same step (10 %) and
//! the one that adds the most profit per customer comes first.

use serde::{Deserialize, Serialize};

use super::levers::{outcome, Baseline, LeverSettings};
use super::{profitability, Profitability, AD_SPEND_REFERENCE, LTV_CPO_PASS_RATIO};

/// The step every lever is moved by to rank them.
pub const STANDARD_STEP: f64 = 0.10;

/// Below this many orders a year, winning the second order (F2) comes before anything else.
pub const LOW_FREQUENCY: f64 = 2.0;

/// How healthy acquisition is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    /// 良好: 粗利LTV is at least three times CPO and retention cost is covered.
    Healthy,
    /// 要改善: CPO and retention are recovered, but with less than the pass line of 3.
    Thin,
    /// 赤字: the customer does not pay back what it cost to win and keep.
    Losing,
}

/// A recommended action, ranked by the profit it adds.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Action {
    /// Win the second order: follow-up after the first purchase, a reason to come back.
    WinSecondOrder,
    /// Raise orders a year: reminders, newsletters, loyalty perks.
    RaiseFrequency,
    /// Raise the price while telling the value beyond price.
    RaisePrice,
    /// Raise the basket: upsell, cross-sell, three tiers.
    RaiseBasket,
    /// Acquire for less: better targeting, a trial product that leads to the main one.
    LowerCpo,
    /// Keep customers for less: automate reminders, segment the newsletter.
    LowerRetentionCost,
}

/// One ranked recommendation with the profit per customer that a 10 % step adds.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Recommendation {
    pub action: Action,
    pub profit_gain: f64,
}

/// The 診断: health, the figures behind it, and the actions in order.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    pub health: Health,
    pub figures: Profitability,
    /// CPO above the usual 20–30 % of the customer's revenue.
    pub acquisition_heavy: bool,
    /// Fewer than two orders a year: most customers buy once.
    pub low_frequency: bool,
    pub recommendations: Vec<Recommendation>,
}

/// Diagnoses a shop's customer economics.
///
/// # Examples
/// ```
/// use ltv_core::calc::diagnosis::{diagnose, Action, Health};
/// use ltv_core::calc::levers::Baseline;
/// let shop = Baseline { average_order_value: 5_000.0, orders_per_year: 3.0, years: 1.0,
///     margin_rate: 0.3, cpo: 5_000.0, retention_cost: 0.0 };
/// let d = diagnose(&shop);
/// assert_eq!(d.health, Health::Losing); // 粗利LTV ¥4,500 < CPO ¥5,000
/// assert_eq!(d.recommendations[0].action, Action::RaisePrice);
/// ```
pub fn diagnose(base: &Baseline) -> Diagnosis {
    let figures = profitability(
        base.average_order_value,
        base.orders_per_year,
        base.years,
        base.margin_rate,
        base.cpo,
        base.retention_cost,
    );
    let health = if !figures.recovers {
        Health::Losing
    } else if figures.gross_ltv >= LTV_CPO_PASS_RATIO * base.cpo + base.retention_cost {
        Health::Healthy
    } else {
        Health::Thin
    };
    let rest = outcome(base, &LeverSettings::default()).profit;
    let gain = |levers: LeverSettings| outcome(base, &levers).profit - rest;
    let mut recommendations = vec![
        Recommendation {
            action: Action::RaiseFrequency,
            profit_gain: gain(LeverSettings {
                frequency_up: STANDARD_STEP,
                ..Default::default()
            }),
        },
        Recommendation {
            action: Action::RaisePrice,
            profit_gain: gain(LeverSettings {
                price_rise: STANDARD_STEP,
                ..Default::default()
            }),
        },
        Recommendation {
            action: Action::RaiseBasket,
            profit_gain: gain(LeverSettings {
                upsell: STANDARD_STEP,
                ..Default::default()
            }),
        },
        Recommendation {
            action: Action::LowerCpo,
            profit_gain: STANDARD_STEP * base.cpo,
        },
        Recommendation {
            action: Action::LowerRetentionCost,
            profit_gain: STANDARD_STEP * base.retention_cost,
        },
    ];
    // Stable: equal gains keep the order above (frequency before price before basket).
    recommendations.sort_by(|a, b| b.profit_gain.round().total_cmp(&a.profit_gain.round()));
    recommendations.retain(|r| r.profit_gain > 0.0);
    let low_frequency = base.orders_per_year < LOW_FREQUENCY;
    if low_frequency {
        // The gain of the second order is that of the frequency lever: shown first.
        let f2_gain = recommendations
            .iter()
            .find(|r| r.action == Action::RaiseFrequency)
            .map_or(0.0, |r| r.profit_gain);
        recommendations.insert(
            0,
            Recommendation {
                action: Action::WinSecondOrder,
                profit_gain: f2_gain,
            },
        );
    }
    Diagnosis {
        health,
        acquisition_heavy: figures
            .acquisition_share
            .is_some_and(|share| share > AD_SPEND_REFERENCE.1),
        low_frequency,
        figures,
        recommendations,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn shop(aov: f64, freq: f64, margin: f64, cpo: f64, cost: f64) -> Baseline {
        Baseline {
            average_order_value: aov,
            orders_per_year: freq,
            years: 1.0,
            margin_rate: margin,
            cpo,
            retention_cost: cost,
        }
    }

    #[test]
    fn health_by_the_numbers() {
        let cases: &[(Baseline, Health)] = &[
            // gross 6,000 vs CPO 1,000 + 500: 3 × 1,000 + 500 = 3,500 ≤ 6,000.
            (shop(5_000.0, 3.0, 0.4, 1_000.0, 500.0), Health::Healthy),
            // gross 6,000 vs CPO 4,000: recovered, but less than 3 ×.
            (shop(5_000.0, 3.0, 0.4, 4_000.0, 0.0), Health::Thin),
            // exactly at the line: recovered.
            (shop(5_000.0, 3.0, 0.4, 5_000.0, 1_000.0), Health::Thin),
            (shop(5_000.0, 3.0, 0.4, 5_000.0, 1_001.0), Health::Losing),
            (shop(5_000.0, 3.0, 0.4, 2_000.0, 0.0), Health::Healthy),
        ];
        for (base, want) in cases {
            assert_eq!(diagnose(base).health, *want, "{base:?}");
        }
    }

    #[test]
    fn actions_ranked_by_profit() {
        // Margin 40 %: +10 % price adds 1,500; +10 % orders or basket add 600; −10 % CPO adds 800.
        let d = diagnose(&shop(5_000.0, 3.0, 0.4, 8_000.0, 0.0));
        let order: Vec<Action> = d.recommendations.iter().map(|r| r.action).collect();
        assert_eq!(
            order,
            [
                Action::RaisePrice,
                Action::LowerCpo,
                Action::RaiseFrequency,
                Action::RaiseBasket
            ]
        );
        assert!((d.recommendations[0].profit_gain - 1_500.0).abs() < 1e-9);
        assert!(d.acquisition_heavy, "CPO 8,000 is 53 % of LTV 15,000");
        assert!(!d.low_frequency);
    }

    #[test]
    fn one_time_buyers_win_the_second_order_first() {
        let d = diagnose(&shop(5_000.0, 1.2, 0.4, 2_000.0, 200.0));
        assert!(d.low_frequency);
        assert_eq!(d.recommendations[0].action, Action::WinSecondOrder);
        assert!(
            d.acquisition_heavy,
            "CPO 2,000 is 33 % of LTV 6,000: above 30 %"
        );
    }
}
