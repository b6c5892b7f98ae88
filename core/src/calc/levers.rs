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

/// A lever of docs/domain.md §7.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Lever {
    /// アップセル・クロスセル: a larger basket at the same margin rate.
    Upsell,
    /// 商品バリエーション（松竹梅）: a middle tier that lifts the average order.
    Tiers,
    /// 値上げ: a higher price, all of it margin, with the loss of repeat orders it may cost.
    Price,
    /// リマインド・ロイヤルティ施策: more orders a year.
    Frequency,
    /// 維持コスト: what the retention work costs per customer (more or less).
    RetentionCost,
}

impl Lever {
    /// Every lever, in the order the simulator shows them.
    pub const ALL: [Lever; 5] = [
        Lever::Upsell,
        Lever::Tiers,
        Lever::Price,
        Lever::Frequency,
        Lever::RetentionCost,
    ];
}

/// The settings of the levers. Rates are fractions (0.1 = +10 %).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct LeverSettings {
    /// Average order value up by upsell and cross-sell.
    pub upsell: f64,
    /// Average order value up by a three-tier range.
    pub tiers: f64,
    /// Price rise.
    pub price_rise: f64,
    /// Share of orders a year lost because of the price rise.
    pub price_repeat_loss: f64,
    /// Orders a year up by reminders, newsletters and loyalty work.
    pub frequency_up: f64,
    /// Change of retention cost per customer over the horizon, in yen (may be negative).
    pub retention_cost_change: f64,
}

impl LeverSettings {
    /// Only one lever of these settings, the others at rest.
    pub fn only(&self, lever: Lever) -> LeverSettings {
        let rest = LeverSettings::default();
        match lever {
            Lever::Upsell => LeverSettings {
                upsell: self.upsell,
                ..rest
            },
            Lever::Tiers => LeverSettings {
                tiers: self.tiers,
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
            Lever::RetentionCost => LeverSettings {
                retention_cost_change: self.retention_cost_change,
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

/// A simulation: the base, all levers together, and each lever alone, largest profit gain first.
#[derive(Clone, Debug, PartialEq)]
pub struct Simulation {
    pub base: Outcome,
    pub with_levers: Outcome,
    pub by_lever: Vec<LeverEffect>,
}

/// LTV and profit of the baseline under the given levers.
///
/// # Formula
/// AOV′ = AOV × (1 + upsell + tiers) × (1 + price rise);
/// gross per order = AOV × (1 + upsell + tiers) × (margin + price rise);
/// orders′ = orders × (1 + frequency up) × (1 − repeat loss);
/// profit = gross per order × orders′ × years − CPO − (retention cost + change).
///
/// # Examples
/// ```
/// use ltv_core::calc::levers::{outcome, Baseline, LeverSettings};
/// let base = Baseline { average_order_value: 5_000.0, orders_per_year: 3.0, years: 1.0,
///     margin_rate: 0.4, cpo: 4_000.0, retention_cost: 500.0 };
/// let plus_ten = LeverSettings { upsell: 0.1, ..Default::default() };
/// let o = outcome(&base, &plus_ten);
/// assert!((o.ltv - 16_500.0).abs() < 1e-9);
/// assert!((o.profit - (6_600.0 - 4_500.0)).abs() < 1e-9);
/// ```
pub fn outcome(base: &Baseline, levers: &LeverSettings) -> Outcome {
    let basket = 1.0 + levers.upsell + levers.tiers;
    let average_order_value = base.average_order_value * basket * (1.0 + levers.price_rise);
    let gross_per_order =
        base.average_order_value * basket * (base.margin_rate + levers.price_rise);
    let orders_per_year = base.orders_per_year
        * (1.0 + levers.frequency_up)
        * (1.0 - levers.price_repeat_loss).max(0.0);
    let ltv = average_order_value * orders_per_year * base.years;
    let gross_ltv = gross_per_order * orders_per_year * base.years;
    let profit = gross_ltv - base.cpo - (base.retention_cost + levers.retention_cost_change);
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
                    upsell: 0.1,
                    ..Default::default()
                },
                16_500.0,
                2_100.0,
            ),
            (
                LeverSettings {
                    tiers: 0.2,
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
            (
                LeverSettings {
                    retention_cost_change: 300.0,
                    ..Default::default()
                },
                15_000.0,
                1_200.0,
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
        let levers = LeverSettings {
            upsell: 0.1,
            tiers: 0.0,
            price_rise: 0.1,
            price_repeat_loss: 0.0,
            frequency_up: 0.1,
            retention_cost_change: -100.0,
        };
        let sim = simulate(&shop(), &levers);
        let order: Vec<Lever> = sim.by_lever.iter().map(|e| e.lever).collect();
        // Price +10 % adds 1,500; upsell and frequency +10 % add 600 each; cost −100 adds 100.
        assert_eq!(
            order,
            [
                Lever::Price,
                Lever::Upsell,
                Lever::Frequency,
                Lever::RetentionCost,
                Lever::Tiers
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
            let small = outcome(&shop(), &LeverSettings { upsell: up, ..Default::default() });
            let large = outcome(&shop(), &LeverSettings { upsell: up + more, ..Default::default() });
            prop_assert!(large.profit >= small.profit - EPS);
        }
    }
}
