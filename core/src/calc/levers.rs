//! LTVを上げる施策シミュレーター: the levers of docs/domain.md §7 and what each does to LTV and profit.
//!
//! The model is the one of the calculators: LTV = AOV × orders a year × years, gross profit at
//! the contribution margin rate. A price rise keeps the cost of goods, so all of it is margin;
//! an upsell or a richer product range sells more goods at the same margin rate.

use serde::{Deserialize, Serialize};

/// The shop as it is: the base of a simulation.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Baseline {
    pub average_order_value: f64,
    pub orders_per_year: f64,
    pub years: f64,
    pub margin_rate: f64,
    pub cpo: f64,
    pub retention_cost: f64,
}

/// The step every lever starts at, so that a first ranking compares like with like: each lever
/// moved by 10 %.
pub const STANDARD_STEP: f64 = 0.10;

/// A lever of docs/domain.md §7, each matching one recommended action of the 診断.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lever {
    /// 注文単価アップ: a larger basket at the same margin rate (upsell, cross-sell, three tiers).
    Basket,
    /// 値上げ: a higher price, all of it margin, with the loss of repeat orders it may cost.
    Price,
    /// リマインド・ロイヤルティ施策: more orders a year.
    Frequency,
    /// CPOの削減: acquiring a new customer for less.
    Cpo,
    /// 維持コストの削減: keeping a customer for less.
    RetentionCost,
}

impl Lever {
    /// Every lever, in the order the simulator shows them (and the order of equal gains).
    pub const ALL: [Lever; 5] = [
        Lever::Frequency,
        Lever::Price,
        Lever::Basket,
        Lever::Cpo,
        Lever::RetentionCost,
    ];
}

/// The settings of the levers. Rates are fractions (0.1 = +10 %).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LeverSettings {
    /// Average order value up by upsell, cross-sell and a three-tier range.
    pub basket: f64,
    /// Price rise.
    pub price_rise: f64,
    /// Share of orders a year lost because of the price rise.
    pub price_repeat_loss: f64,
    /// Orders a year up by reminders, newsletters and loyalty work.
    pub frequency_up: f64,
    /// Share of CPO saved (better targeting, a trial product that leads on).
    pub cpo_down: f64,
    /// Share of the retention cost saved (segmented mailings instead of one for all).
    pub retention_cost_down: f64,
}

impl LeverSettings {
    /// Every lever at [`STANDARD_STEP`], no orders lost to the price rise: the simulator's
    /// starting point, and the step of the 診断's ranking.
    pub fn standard() -> LeverSettings {
        LeverSettings {
            basket: STANDARD_STEP,
            price_rise: STANDARD_STEP,
            price_repeat_loss: 0.0,
            frequency_up: STANDARD_STEP,
            cpo_down: STANDARD_STEP,
            retention_cost_down: STANDARD_STEP,
        }
    }

    /// The size of a lever (its rate: 0.1 = 10 %).
    pub fn size(&self, lever: Lever) -> f64 {
        match lever {
            Lever::Basket => self.basket,
            Lever::Price => self.price_rise,
            Lever::Frequency => self.frequency_up,
            Lever::Cpo => self.cpo_down,
            Lever::RetentionCost => self.retention_cost_down,
        }
    }

    /// Only one lever of these settings, the others at rest.
    pub fn only(&self, lever: Lever) -> LeverSettings {
        let rest = LeverSettings::default();
        match lever {
            Lever::Basket => LeverSettings {
                basket: self.basket,
                ..rest
            },
            Lever::Price => LeverSettings {
                price_rise: self.price_rise,
                price_repeat_loss: self.price_repeat_loss,
                ..rest
            },
            Lever::Frequency => LeverSettings {
                frequency_up: self.frequency_up,
                ..rest
            },
            Lever::Cpo => LeverSettings {
                cpo_down: self.cpo_down,
                ..rest
            },
            Lever::RetentionCost => LeverSettings {
                retention_cost_down: self.retention_cost_down,
                ..rest
            },
        }
    }
}

/// LTV and profit per customer under one set of levers.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Outcome {
    pub average_order_value: f64,
    pub orders_per_year: f64,
    pub ltv: f64,
    pub gross_ltv: f64,
    /// 粗利LTV − CPO − 維持コスト.
    pub profit: f64,
}

/// What one lever alone adds to LTV and profit.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct LeverEffect {
    pub lever: Lever,
    pub ltv_change: f64,
    pub profit_change: f64,
}

/// A simulation: the base, all levers together, and each lever alone, largest profit gain
/// first. This ranking is the one list of what to do first: the simulator shows it, and the
/// 診断's recommendations are the same list.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub base: Outcome,
    pub with_levers: Outcome,
    pub by_lever: Vec<LeverEffect>,
}

/// LTV and profit of the baseline under the given levers.
///
/// # Formula
/// AOV′ = AOV × (1 + basket) × (1 + price rise);
/// gross per order = AOV × (1 + basket) × (margin + price rise);
/// orders′ = orders × (1 + frequency up) × (1 − repeat loss);
/// profit = gross per order × orders′ × years − CPO × (1 − CPO down)
/// − retention cost × (1 − retention cost down).
///
/// # Examples
/// ```
/// use ltv_core::calc::levers::{outcome, Baseline, LeverSettings};
/// let base = Baseline { average_order_value: 5_000.0, orders_per_year: 3.0, years: 1.0,
///     margin_rate: 0.4, cpo: 4_000.0, retention_cost: 500.0 };
/// let plus_ten = LeverSettings { basket: 0.1, ..Default::default() };
/// let o = outcome(&base, &plus_ten);
/// assert!((o.ltv - 16_500.0).abs() < 1e-9);
/// assert!((o.profit - (6_600.0 - 4_500.0)).abs() < 1e-9);
/// ```
pub fn outcome(base: &Baseline, levers: &LeverSettings) -> Outcome {
    let basket = 1.0 + levers.basket;
    let average_order_value = base.average_order_value * basket * (1.0 + levers.price_rise);
    let gross_per_order =
        base.average_order_value * basket * (base.margin_rate + levers.price_rise);
    let orders_per_year = base.orders_per_year
        * (1.0 + levers.frequency_up)
        * (1.0 - levers.price_repeat_loss).max(0.0);
    let ltv = average_order_value * orders_per_year * base.years;
    let gross_ltv = gross_per_order * orders_per_year * base.years;
    let cpo = base.cpo * (1.0 - levers.cpo_down).max(0.0);
    let retention_cost = base.retention_cost * (1.0 - levers.retention_cost_down).max(0.0);
    let profit = gross_ltv - cpo - retention_cost;
    Outcome {
        average_order_value,
        orders_per_year,
        ltv,
        gross_ltv,
        profit,
    }
}

/// Runs the simulator: the base, all levers together, and each lever on its own, ranked by the
/// profit it adds (ties keep the order of [`Lever::ALL`]).
pub fn simulate(base: &Baseline, levers: &LeverSettings) -> Simulation {
    let rest = outcome(base, &LeverSettings::default());
    let mut by_lever: Vec<LeverEffect> = Lever::ALL
        .iter()
        .map(|&lever| {
            let alone = outcome(base, &levers.only(lever));
            LeverEffect {
                lever,
                ltv_change: alone.ltv - rest.ltv,
                profit_change: alone.profit - rest.profit,
            }
        })
        .collect();
    // Compared in whole yen, so that equal gains tie whatever the rounding of the floats.
    by_lever.sort_by(|a, b| b.profit_change.round().total_cmp(&a.profit_change.round()));
    Simulation {
        base: rest,
        with_levers: outcome(base, levers),
        by_lever,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EPS: f64 = 1e-6;

    fn shop() -> Baseline {
        Baseline {
            average_order_value: 5_000.0,
            orders_per_year: 3.0,
            years: 1.0,
            margin_rate: 0.4,
            cpo: 4_000.0,
            retention_cost: 500.0,
        }
    }

    #[test]
    fn each_lever_moves_what_it_should() {
        let base = shop();
        let rest = outcome(&base, &LeverSettings::default());
        assert!((rest.ltv - 15_000.0).abs() < EPS);
        assert!((rest.profit - 1_500.0).abs() < EPS);
        let cases: &[(LeverSettings, f64, f64)] = &[
            // settings, LTV, profit
            (
                LeverSettings {
                    basket: 0.1,
                    ..Default::default()
                },
                16_500.0,
                2_100.0,
            ),
            (
                LeverSettings {
                    basket: 0.2,
                    ..Default::default()
                },
                18_000.0,
                2_700.0,
            ),
            // +10 % price, no loss: revenue 16,500, gross 5,000 × 0.5 × 3 = 7,500.
            (
                LeverSettings {
                    price_rise: 0.1,
                    ..Default::default()
                },
                16_500.0,
                3_000.0,
            ),
            // +10 % price, 20 % fewer orders: 5,500 × 2.4 = 13,200; gross 2,500 × 2.4 = 6,000.
            (
                LeverSettings {
                    price_rise: 0.1,
                    price_repeat_loss: 0.2,
                    ..Default::default()
                },
                13_200.0,
                1_500.0,
            ),
            (
                LeverSettings {
                    frequency_up: 1.0 / 3.0,
                    ..Default::default()
                },
                20_000.0,
                3_500.0,
            ),
            // CPO 4,000 − 25 % = 3,000: profit up 1,000.
            (
                LeverSettings {
                    cpo_down: 0.25,
                    ..Default::default()
                },
                15_000.0,
                2_500.0,
            ),
            // Retention 500 − 40 % = 300.
            (
                LeverSettings {
                    retention_cost_down: 0.4,
                    ..Default::default()
                },
                15_000.0,
                1_700.0,
            ),
        ];
        for (settings, ltv, profit) in cases {
            let o = outcome(&base, settings);
            assert!((o.ltv - ltv).abs() < EPS, "{settings:?}: LTV {}", o.ltv);
            assert!(
                (o.profit - profit).abs() < EPS,
                "{settings:?}: profit {}",
                o.profit
            );
        }
    }

    #[test]
    fn simulation_ranks_levers_by_profit() {
        let levers = LeverSettings::standard();
        let sim = simulate(&shop(), &levers);
        let order: Vec<Lever> = sim.by_lever.iter().map(|e| e.lever).collect();
        // Price +10 % adds 1,500; CPO −10 % adds 400; frequency and basket +10 % add 600 each
        // (equal: frequency first, as in Lever::ALL); retention −10 % adds 50.
        assert_eq!(
            order,
            [
                Lever::Price,
                Lever::Frequency,
                Lever::Basket,
                Lever::Cpo,
                Lever::RetentionCost
            ]
        );
        assert!((sim.by_lever[0].profit_change - 1_500.0).abs() < EPS);
        assert!(sim.with_levers.profit > sim.base.profit);
    }

    proptest! {
        #[test]
        fn levers_at_rest_change_nothing(
            aov in 0.0f64..1e5, f in 0.0f64..20.0, y in 0.0f64..3.0, m in 0.0f64..1.0,
            cpo in 0.0f64..1e5, cost in 0.0f64..1e4
        ) {
            let base = Baseline { average_order_value: aov, orders_per_year: f, years: y,
                margin_rate: m, cpo, retention_cost: cost };
            let sim = simulate(&base, &LeverSettings::default());
            prop_assert_eq!(sim.base, sim.with_levers);
            prop_assert!(sim.by_lever.iter().all(|e| e.profit_change == 0.0));
            prop_assert!((sim.base.ltv - crate::calc::ltv(aov, f, y)).abs() <= 1e-9 * (1.0 + sim.base.ltv));
        }

        #[test]
        fn more_of_a_good_lever_never_hurts(up in 0.0f64..1.0, more in 0.0f64..1.0) {
            let small = outcome(&shop(), &LeverSettings { basket: up, ..Default::default() });
            let large = outcome(&shop(), &LeverSettings { basket: up + more, ..Default::default() });
            prop_assert!(large.profit >= small.profit - EPS);
        }
    }
}
