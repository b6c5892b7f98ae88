//! The 診断 itself: from the numbers entered, how healthy one customer's economics are and
//! what to do first.
//!
//! The ranking is by money, not by opinion, and it is the simulator's: each lever at the
//! simulator's settings (every one at 10 % to start with), the one that adds the most profit
//! per customer first. There is one list, so the simulator and the 診断 never disagree.

use serde::{Deserialize, Serialize};

use super::levers::{simulate, Baseline, LeverEffect, LeverSettings, Simulation};
use super::{profitability, Profitability, Recovery, AD_SPEND_REFERENCE, LTV_CPO_PASS_RATIO};

/// Below this many orders a year, the frequency lever is about winning the second order (F2).
pub const LOW_FREQUENCY: f64 = 2.0;

/// How healthy acquisition is.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Health {
    /// 良好: a profit per customer, and 粗利LTV at least three times CPO (plus retention cost).
    Healthy,
    /// 要改善: CPO and retention are paid back (at least exactly), but below the 3× line.
    Thin,
    /// 赤字: the customer does not pay back what it cost to win and keep.
    Losing,
}

/// The 診断: health, the figures behind it, and the levers in order of the profit they add.
#[derive(Clone, Debug, PartialEq)]
pub struct Diagnosis {
    pub health: Health,
    pub figures: Profitability,
    /// CPO above the usual 20–30 % of the customer's revenue.
    pub acquisition_heavy: bool,
    /// Fewer than two orders a year: most customers buy once, so more orders means the second.
    pub low_frequency: bool,
    /// The simulator at the settings given: its ranking is the list of recommendations.
    pub simulation: Simulation,
}

impl Diagnosis {
    /// What to do first: the levers that add profit, largest first (the simulator's ranking
    /// without the levers that add nothing at their settings).
    pub fn recommendations(&self) -> impl Iterator<Item = &LeverEffect> {
        self.simulation
            .by_lever
            .iter()
            .filter(|e| e.profit_change.round() > 0.0)
    }
}

/// The health that a set of figures gives.
pub fn health(figures: &Profitability) -> Health {
    match figures.recovery {
        Recovery::Short => Health::Losing,
        Recovery::BreaksEven => Health::Thin,
        Recovery::Recovers
            if figures.gross_ltv >= LTV_CPO_PASS_RATIO * figures.cpo + figures.retention_cost =>
        {
            Health::Healthy
        }
        Recovery::Recovers => Health::Thin,
    }
}

/// Diagnoses a shop's customer economics, with the levers at the given settings.
///
/// # Examples
/// ```
/// use ltv_core::calc::diagnosis::{diagnose, Health};
/// use ltv_core::calc::levers::{Baseline, Lever, LeverSettings};
/// let shop = Baseline { average_order_value: 5_000.0, orders_per_year: 3.0, years: 1.0,
///     margin_rate: 0.3, cpo: 5_000.0, retention_cost: 0.0 };
/// let d = diagnose(&shop, &LeverSettings::standard());
/// assert_eq!(d.health, Health::Losing); // 粗利LTV ¥4,500 < CPO ¥5,000
/// assert_eq!(d.recommendations().next().unwrap().lever, Lever::Price);
/// ```
pub fn diagnose(base: &Baseline, levers: &LeverSettings) -> Diagnosis {
    let figures = profitability(
        base.average_order_value,
        base.orders_per_year,
        base.years,
        base.margin_rate,
        base.cpo,
        base.retention_cost,
    );
    Diagnosis {
        health: health(&figures),
        acquisition_heavy: figures
            .acquisition_share
            .is_some_and(|share| share > AD_SPEND_REFERENCE.1),
        low_frequency: base.orders_per_year < LOW_FREQUENCY,
        figures,
        simulation: simulate(base, levers),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::calc::levers::Lever;
    use proptest::prelude::*;

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
            // exactly at the line: paid back to the yen, profit ¥0.
            (shop(5_000.0, 3.0, 0.4, 5_000.0, 1_000.0), Health::Thin),
            (shop(5_000.0, 3.0, 0.4, 5_000.0, 1_001.0), Health::Losing),
            (shop(5_000.0, 3.0, 0.4, 2_000.0, 0.0), Health::Healthy),
            // Nothing earned and nothing spent: ¥0 is not 良好.
            (shop(0.0, 3.0, 0.4, 0.0, 0.0), Health::Thin),
        ];
        for (base, want) in cases {
            let d = diagnose(base, &LeverSettings::standard());
            assert_eq!(d.health, *want, "{base:?}");
        }
    }

    #[test]
    fn actions_ranked_by_profit() {
        // Margin 40 %: +10 % price adds 1,500; −10 % CPO adds 800; +10 % orders or basket 600.
        let d = diagnose(
            &shop(5_000.0, 3.0, 0.4, 8_000.0, 0.0),
            &LeverSettings::standard(),
        );
        let order: Vec<Lever> = d.recommendations().map(|r| r.lever).collect();
        assert_eq!(
            order,
            [Lever::Price, Lever::Cpo, Lever::Frequency, Lever::Basket],
            "retention cost ¥0: saving 10 % of it adds nothing and is not recommended"
        );
        assert!((d.simulation.by_lever[0].profit_change - 1_500.0).abs() < 1e-9);
        assert!(d.acquisition_heavy, "CPO 8,000 is 53 % of LTV 15,000");
        assert!(!d.low_frequency);
    }

    #[test]
    fn the_ranking_follows_the_simulator_settings() {
        // A price rise that loses a fifth of the orders now adds less than the others.
        let levers = LeverSettings {
            price_repeat_loss: 0.2,
            ..LeverSettings::standard()
        };
        let d = diagnose(&shop(5_000.0, 3.0, 0.4, 8_000.0, 0.0), &levers);
        assert_ne!(d.recommendations().next().unwrap().lever, Lever::Price);
        let order: Vec<Lever> = d.recommendations().map(|r| r.lever).collect();
        assert_eq!(order, [Lever::Cpo, Lever::Frequency, Lever::Basket]);
    }

    #[test]
    fn one_time_buyers_are_flagged() {
        let d = diagnose(
            &shop(5_000.0, 1.2, 0.4, 2_000.0, 200.0),
            &LeverSettings::standard(),
        );
        assert!(d.low_frequency);
        assert!(
            d.acquisition_heavy,
            "CPO 2,000 is 33 % of LTV 6,000: above 30 %"
        );
    }

    proptest! {
        /// One verdict: health, the 回収 judgement and the profit per customer agree, and the
        /// recommendations are the simulator's ranking, in its order.
        #[test]
        fn one_verdict_and_one_ranking(
            aov in 0.0f64..1e5, freq in 0.0f64..20.0, margin in 0.0f64..1.0,
            cpo in 0.0f64..1e5, cost in 0.0f64..1e4,
            basket in 0.0f64..0.5, price in 0.0f64..0.5, loss in 0.0f64..1.0,
            up in 0.0f64..0.5, cpo_down in 0.0f64..1.0, cost_down in 0.0f64..1.0,
        ) {
            let base = shop(aov, freq, margin, cpo, cost);
            let levers = LeverSettings { basket, price_rise: price, price_repeat_loss: loss,
                frequency_up: up, cpo_down, retention_cost_down: cost_down };
            let d = diagnose(&base, &levers);
            let shown = crate::input::format_yen(d.figures.profit);
            match d.health {
                Health::Losing => prop_assert!(shown.starts_with('-'), "{}", shown),
                Health::Thin => prop_assert!(!shown.starts_with('-'), "{}", shown),
                Health::Healthy => prop_assert!(!shown.starts_with('-') && shown != "¥0", "{}", shown),
            }
            prop_assert_eq!(d.health == Health::Losing, d.figures.recovery == Recovery::Short);
            let sim = simulate(&base, &levers);
            prop_assert_eq!(&d.simulation, &sim);
            let ranked: Vec<&LeverEffect> = d.recommendations().collect();
            let from_sim: Vec<&LeverEffect> =
                sim.by_lever.iter().filter(|e| e.profit_change.round() > 0.0).collect();
            prop_assert_eq!(ranked, from_sim);
            for pair in sim.by_lever.windows(2) {
                prop_assert!(pair[0].profit_change.round() >= pair[1].profit_change.round());
            }
        }
    }
}
