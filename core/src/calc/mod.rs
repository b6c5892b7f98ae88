//! The form calculators of the free 診断: the formulas of the source articles, one function
//! each, plus the form that gathers their inputs ([`form`]) and the diagnosis that reads
//! them all ([`diagnosis`]).
//!
//! Every function here takes checked numbers (see [`crate::input`]) and returns numbers or
//! `None` where a division has no meaning; none can return NaN or infinity from finite input.

use serde::{Deserialize, Serialize};

pub mod diagnosis;
pub mod form;
pub mod levers;

/// The pass line of 売れる通販指数: at or above it, a concept is ready to sell on the web.
pub const SELLABILITY_PASS: f64 = 2_000.0;

/// The common pass line of 粗利LTV ÷ CPO: gross-profit LTV at least three times the cost of
/// acquiring the customer.
pub const LTV_CPO_PASS_RATIO: f64 = 3.0;

/// The usual share of sales that new-customer acquisition takes in ad spend (docs/domain.md §2).
pub const AD_SPEND_REFERENCE: (f64, f64) = (0.20, 0.30);

/// 通販LTV: 平均注文単価 × 年間購入回数 × 継続年数.
///
/// # Examples
/// ```
/// // AOV ¥5,000, 3 orders a year, 1 year.
/// assert_eq!(ltv_core::calc::ltv(5_000.0, 3.0, 1.0), 15_000.0);
/// ```
pub fn ltv(average_order_value: f64, orders_per_year: f64, years: f64) -> f64 {
    average_order_value * orders_per_year * years
}

/// 通販LTV by the rough method: 期間売上 ÷ 期間のユニーク顧客数. `None` without customers.
///
/// # Examples
/// ```
/// assert_eq!(ltv_core::calc::ltv_rough(150_000_000.0, 10_000.0), Some(15_000.0));
/// assert_eq!(ltv_core::calc::ltv_rough(1.0, 0.0), None);
/// ```
pub fn ltv_rough(period_revenue: f64, unique_customers: f64) -> Option<f64> {
    (unique_customers > 0.0).then(|| period_revenue / unique_customers)
}

/// What a customer base of one-time and repeat buyers adds up to.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct OrderMix {
    pub customers: f64,
    /// 総注文数.
    pub orders: f64,
    /// 一人あたり購入回数.
    pub orders_per_customer: f64,
    /// 売上 = orders × AOV.
    pub revenue: f64,
    /// 通販LTV = revenue ÷ customers.
    pub ltv: f64,
}

/// Orders, revenue and LTV from how many customers order once and how often the others order.
/// `None` when there are no customers at all.
///
/// # Examples
/// ```
/// // 6,000 order once, 4,000 order 6 times on average, AOV ¥5,000.
/// let mix = ltv_core::calc::order_mix(6_000.0, 4_000.0, 6.0, 5_000.0).unwrap();
/// assert_eq!(mix.orders, 30_000.0);
/// assert_eq!(mix.revenue, 150_000_000.0);
/// assert_eq!(mix.orders_per_customer, 3.0);
/// assert_eq!(mix.ltv, 15_000.0);
/// ```
pub fn order_mix(
    one_time_customers: f64,
    repeat_customers: f64,
    repeat_orders_each: f64,
    average_order_value: f64,
) -> Option<OrderMix> {
    let customers = one_time_customers + repeat_customers;
    if customers <= 0.0 {
        return None;
    }
    let orders = one_time_customers + repeat_customers * repeat_orders_each;
    let revenue = orders * average_order_value;
    Some(OrderMix {
        customers,
        orders,
        orders_per_customer: orders / customers,
        revenue,
        ltv: revenue / customers,
    })
}

/// Expected years of a relationship for a shop that keeps a share `retention` of its customers
/// each year, counted over at most `cap_years` years and discounted at `annual_discount` a
/// year: Σₖ₌₀ⁿ⁻¹ (retention ÷ (1 + discount))ᵏ with n = cap. Without cap or discount this is
/// the familiar 1 ÷ (1 − 継続率). `None` for a retention of 100 % or more with no cap.
///
/// # Formula
/// With q = r ÷ (1 + d): years = (1 − qⁿ) ÷ (1 − q), or n when q = 1.
///
/// # Examples
/// ```
/// use ltv_core::calc::expected_years;
/// // 50 % kept each year: 1 ÷ (1 − 0.5) = 2 years in the long run.
/// let years = expected_years(0.5, 0.0, 100.0).unwrap();
/// assert!((years - 2.0).abs() < 1e-9);
/// // Capped at 3 years: 1 + 0.5 + 0.25.
/// assert_eq!(expected_years(0.5, 0.0, 3.0), Some(1.75));
/// ```
pub fn expected_years(retention: f64, annual_discount: f64, cap_years: f64) -> Option<f64> {
    if !(0.0..=1.0).contains(&retention) || annual_discount < 0.0 || cap_years <= 0.0 {
        return None;
    }
    let q = retention / (1.0 + annual_discount);
    let whole_years = cap_years.floor();
    // A part year at the end counts in proportion.
    let part = cap_years - whole_years;
    let sum_whole = if (1.0 - q).abs() < 1e-12 {
        whole_years
    } else {
        (1.0 - q.powf(whole_years)) / (1.0 - q)
    };
    let years = sum_whole + part * q.powf(whole_years);
    years.is_finite().then_some(years)
}

/// Whether a customer pays back what it cost to win and keep, judged on the profit per customer
/// in whole yen (the figure the page shows), so that the judgement and the figure never disagree.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum Recovery {
    /// 回収できる: the profit per customer is above zero.
    Recovers,
    /// ちょうど回収: the profit per customer rounds to ¥0.
    BreaksEven,
    /// 回収できない: the profit per customer is below zero.
    Short,
}

impl Recovery {
    /// The judgement of a profit per customer, in yen.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::calc::Recovery;
    /// assert_eq!(Recovery::of_profit(1.0), Recovery::Recovers);
    /// assert_eq!(Recovery::of_profit(0.4), Recovery::BreaksEven);
    /// assert_eq!(Recovery::of_profit(-0.5), Recovery::Short);
    /// ```
    pub fn of_profit(profit: f64) -> Recovery {
        // The same rounding as the yen formatter: half away from zero.
        let shown = profit.round();
        if shown > 0.0 {
            Recovery::Recovers
        } else if shown == 0.0 {
            Recovery::BreaksEven
        } else {
            Recovery::Short
        }
    }
}

/// 粗利LTV, profit and payback of one customer: is acquisition paying off? (docs/domain.md §2)
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Profitability {
    /// 通販LTV (revenue) over the horizon.
    pub ltv: f64,
    /// 粗利LTV = LTV × 限界利益率.
    pub gross_ltv: f64,
    /// CPO, as given.
    pub cpo: f64,
    /// 既存顧客維持コスト over the horizon, as given.
    pub retention_cost: f64,
    /// 顧客一人あたり利益 = 粗利LTV − CPO − 維持コスト.
    pub profit: f64,
    /// 粗利LTV ÷ CPO; `None` when CPO is zero.
    pub ltv_to_cpo: Option<f64>,
    /// 回収期間: months of gross profit (less retention cost) to pay back the CPO; `None` when
    /// the monthly contribution is zero or less (never paid back).
    pub payback_months: Option<f64>,
    /// 損益分岐の購入回数: orders whose gross profit covers CPO and retention cost; `None`
    /// when an order makes no gross profit.
    pub break_even_orders: Option<f64>,
    /// 回収: judged on [`Profitability::profit`] in whole yen.
    pub recovery: Recovery,
    /// CPO as a share of the customer's revenue (LTV): compare with 20–30 %.
    pub acquisition_share: Option<f64>,
}

/// Computes [`Profitability`] for a customer of a given LTV over `years`.
///
/// # Examples
/// ```
/// use ltv_core::calc::profitability;
/// // LTV ¥15,000 over 1 year at AOV ¥5,000, margin 40 %, CPO ¥4,000, retention ¥500.
/// let p = profitability(5_000.0, 3.0, 1.0, 0.4, 4_000.0, 500.0);
/// assert_eq!(p.gross_ltv, 6_000.0);
/// assert_eq!(p.profit, 1_500.0);
/// assert_eq!(p.ltv_to_cpo, Some(1.5));
/// assert_eq!(p.break_even_orders, Some(3.0)); // (4,000 + 500) ÷ (5,000 × 0.4) = 2.25 → 3
/// assert_eq!(p.recovery, ltv_core::calc::Recovery::Recovers);
/// ```
pub fn profitability(
    average_order_value: f64,
    orders_per_year: f64,
    years: f64,
    margin_rate: f64,
    cpo: f64,
    retention_cost: f64,
) -> Profitability {
    let ltv = ltv(average_order_value, orders_per_year, years);
    let gross_ltv = ltv * margin_rate;
    let profit = gross_ltv - cpo - retention_cost;
    let months = years * 12.0;
    let monthly_contribution = if months > 0.0 {
        (gross_ltv - retention_cost) / months
    } else {
        0.0
    };
    let gross_per_order = average_order_value * margin_rate;
    Profitability {
        ltv,
        gross_ltv,
        cpo,
        retention_cost,
        profit,
        ltv_to_cpo: (cpo > 0.0).then(|| gross_ltv / cpo),
        payback_months: (monthly_contribution > 0.0).then(|| cpo / monthly_contribution),
        break_even_orders: (gross_per_order > 0.0).then(|| {
            ((cpo + retention_cost) / gross_per_order - 1e-9)
                .ceil()
                .max(1.0)
        }),
        recovery: Recovery::of_profit(profit),
        acquisition_share: (ltv > 0.0).then(|| cpo / ltv),
    }
}

/// リピーター率: repeat customers this month ÷ all customers this month. Rises when new
/// customers fall. `None` without customers.
///
/// # Examples
/// ```
/// assert_eq!(ltv_core::calc::repeater_rate(1_000.0, 700.0), Some(0.7));
/// ```
pub fn repeater_rate(customers_this_month: f64, repeaters_this_month: f64) -> Option<f64> {
    (customers_this_month > 0.0).then(|| repeaters_this_month / customers_this_month)
}

/// リピート率 on the cumulative base: repeaters this month ÷ unique customers to date.
/// `None` without customers to date.
///
/// # Examples
/// ```
/// assert_eq!(ltv_core::calc::repeat_rate(700.0, 70.0), Some(0.1));
/// ```
pub fn repeat_rate(unique_customers_to_date: f64, repeaters_this_month: f64) -> Option<f64> {
    (unique_customers_to_date > 0.0).then(|| repeaters_this_month / unique_customers_to_date)
}

/// 売れる通販指数 of a product concept and what it would take to pass.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct Sellability {
    /// 提示価格 × 購入希望者数 ÷ 提案人数.
    pub index: f64,
    /// At or above [`SELLABILITY_PASS`]: go ahead and sell on the web.
    pub passes: bool,
    /// The price that reaches the pass line with the same buyers; `None` without buyers.
    pub price_to_pass: Option<f64>,
    /// The whole number of willing buyers that reaches the pass line at the same price;
    /// `None` when even everyone pitched would not be enough.
    pub buyers_to_pass: Option<f64>,
}

/// Computes 売れる通販指数. `None` when nobody was pitched.
///
/// # Examples
/// ```
/// use ltv_core::calc::sellability;
/// // 10 people, price ¥4,000, 5 want to buy.
/// let s = sellability(4_000.0, 5.0, 10.0).unwrap();
/// assert_eq!(s.index, 2_000.0);
/// assert!(s.passes);
/// let s = sellability(3_000.0, 5.0, 10.0).unwrap();
/// assert!(!s.passes);
/// assert_eq!(s.buyers_to_pass, Some(7.0)); // 3,000 × 7 ÷ 10 = 2,100
/// ```
pub fn sellability(price: f64, willing_buyers: f64, pitched: f64) -> Option<Sellability> {
    if pitched <= 0.0 {
        return None;
    }
    let index = price * willing_buyers / pitched;
    // Compare the products, not the quotient, so that the pass line is exact.
    let passes = price * willing_buyers >= SELLABILITY_PASS * pitched;
    let price_to_pass = (willing_buyers > 0.0).then(|| SELLABILITY_PASS * pitched / willing_buyers);
    let buyers_to_pass = if price > 0.0 {
        let needed = (SELLABILITY_PASS * pitched / price - 1e-9).ceil().max(0.0);
        (needed <= pitched).then_some(needed)
    } else {
        None
    };
    Some(Sellability {
        index,
        passes,
        price_to_pass,
        buyers_to_pass,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const EPS: f64 = 1e-9;

    /// docs/domain.md §1, the three worked examples.
    #[test]
    fn domain_ltv_examples() {
        assert_eq!(ltv(5_000.0, 3.0, 1.0), 15_000.0);
        assert_eq!(ltv_rough(150_000_000.0, 10_000.0), Some(15_000.0));
        let mix = order_mix(6_000.0, 4_000.0, 6.0, 5_000.0).unwrap();
        assert_eq!(mix.orders, 30_000.0);
        assert_eq!(mix.revenue, 150_000_000.0);
        assert_eq!(mix.ltv, 15_000.0);
        assert_eq!(mix.orders_per_customer, 3.0);
        assert_eq!(order_mix(0.0, 0.0, 6.0, 5_000.0), None);
    }

    /// docs/domain.md §3, both repeat figures.
    #[test]
    fn domain_repeat_examples() {
        assert_eq!(repeater_rate(1_000.0, 700.0), Some(0.7));
        assert_eq!(repeat_rate(700.0, 70.0), Some(0.1));
        assert_eq!(repeater_rate(0.0, 0.0), None);
        assert_eq!(repeat_rate(0.0, 5.0), None);
    }

    /// docs/domain.md §4.
    #[test]
    fn domain_sellability_example() {
        let s = sellability(4_000.0, 5.0, 10.0).unwrap();
        assert_eq!(s.index, 2_000.0);
        assert!(s.passes);
        assert_eq!(s.price_to_pass, Some(4_000.0));
        assert_eq!(s.buyers_to_pass, Some(5.0));
        type Case = (f64, f64, f64, bool, Option<f64>, Option<f64>);
        let cases: &[Case] = &[
            // price, buyers, pitched, passes, price to pass, buyers to pass
            (3_000.0, 5.0, 10.0, false, Some(4_000.0), Some(7.0)),
            (1_000.0, 5.0, 10.0, false, Some(4_000.0), None), // would need 20 of 10
            (5_000.0, 0.0, 10.0, false, None, Some(4.0)),
            (0.0, 3.0, 10.0, false, Some(2_000.0 * 10.0 / 3.0), None),
        ];
        for &(p, b, n, passes, price, buyers) in cases {
            let s = sellability(p, b, n).unwrap();
            assert_eq!(s.passes, passes, "{p} {b} {n}");
            assert_eq!(s.price_to_pass, price, "{p} {b} {n}");
            assert_eq!(s.buyers_to_pass, buyers, "{p} {b} {n}");
        }
        assert_eq!(sellability(4_000.0, 5.0, 0.0), None);
    }

    #[test]
    fn retention_method() {
        let cases: &[(f64, f64, f64, f64)] = &[
            (0.0, 0.0, 10.0, 1.0),
            (0.5, 0.0, 1.0, 1.0),
            (0.5, 0.0, 2.0, 1.5),
            (0.5, 0.0, 2.5, 1.625),
            (1.0, 0.0, 4.0, 4.0),
            (0.6, 0.2, 2.0, 1.5),
        ];
        for &(r, d, cap, want) in cases {
            let got = expected_years(r, d, cap).unwrap();
            assert!((got - want).abs() < EPS, "{r} {d} {cap}: {got} != {want}");
        }
        assert!((expected_years(0.8, 0.0, 1_000.0).unwrap() - 5.0).abs() < 1e-6);
        assert_eq!(expected_years(1.2, 0.0, 5.0), None);
        assert_eq!(expected_years(0.5, 0.0, 0.0), None);
    }

    #[test]
    fn profitability_cases() {
        // Gross LTV 15,000 × 0.3 = 4,500 does not cover CPO 5,000.
        let p = profitability(5_000.0, 3.0, 1.0, 0.3, 5_000.0, 0.0);
        assert_eq!(p.recovery, Recovery::Short);
        assert!((p.profit + 500.0).abs() < EPS);
        // Gross 6,000 = CPO 5,000 + retention 1,000: exactly paid back, not "回収できる".
        let even = profitability(5_000.0, 3.0, 1.0, 0.4, 5_000.0, 1_000.0);
        assert_eq!(even.recovery, Recovery::BreaksEven);
        assert_eq!(even.profit, 0.0);
        assert_eq!(p.break_even_orders, Some(4.0)); // 5,000 ÷ 1,500 = 3.33 → 4
                                                    // 4,500 a year = 375 a month: 13.3 months.
        assert!((p.payback_months.unwrap() - 5_000.0 / 375.0).abs() < EPS);
        assert_eq!(p.acquisition_share, Some(5_000.0 / 15_000.0));
        // Nothing earned: never paid back, no break-even.
        let p = profitability(5_000.0, 0.0, 1.0, 0.0, 5_000.0, 100.0);
        assert_eq!(p.payback_months, None);
        assert_eq!(p.break_even_orders, None);
        assert_eq!(p.acquisition_share, None);
        // CPO zero: no ratio, recovered at once.
        let p = profitability(5_000.0, 3.0, 2.0, 0.4, 0.0, 0.0);
        assert_eq!(p.ltv, 30_000.0);
        assert_eq!(p.ltv_to_cpo, None);
        assert_eq!(p.payback_months, Some(0.0));
    }

    proptest! {
        #[test]
        fn ltv_is_linear_in_each_factor(
            aov in 0.0f64..1e6, freq in 0.0f64..50.0, years in 0.0f64..10.0, k in 0.0f64..10.0
        ) {
            let base = ltv(aov, freq, years);
            let tol = 1e-9 * (1.0 + base * k);
            prop_assert!((ltv(aov * k, freq, years) - base * k).abs() <= tol);
            prop_assert!((ltv(aov, freq * k, years) - base * k).abs() <= tol);
            prop_assert!((ltv(aov, freq, years * k) - base * k).abs() <= tol);
        }

        #[test]
        fn index_passes_exactly_at_the_line(
            price in 0u32..100_000, buyers in 0u32..1_000, pitched in 1u32..1_000
        ) {
            let s = sellability(price as f64, buyers as f64, pitched as f64).unwrap();
            let exact = u64::from(price) * u64::from(buyers) >= 2_000 * u64::from(pitched);
            prop_assert_eq!(s.passes, exact);
            if let Some(b) = s.buyers_to_pass {
                prop_assert!(sellability(price as f64, b, pitched as f64).unwrap().passes);
                if b >= 1.0 {
                    prop_assert!(!sellability(price as f64, b - 1.0, pitched as f64).unwrap().passes);
                }
            }
        }

        #[test]
        fn profit_figures_are_finite(
            aov in 0.0f64..1e6, freq in 0.0f64..50.0, years in 0.0f64..3.0,
            margin in 0.0f64..1.0, cpo in 0.0f64..1e6, cost in 0.0f64..1e6
        ) {
            let p = profitability(aov, freq, years, margin, cpo, cost);
            prop_assert!(p.ltv.is_finite() && p.gross_ltv.is_finite() && p.profit.is_finite());
            for v in [p.ltv_to_cpo, p.payback_months, p.break_even_orders, p.acquisition_share]
                .into_iter()
                .flatten()
            {
                prop_assert!(v.is_finite());
            }
            // The judgement agrees with the profit per customer as the page shows it.
            let shown = crate::input::format_yen(p.profit);
            let want = if shown == "¥0" {
                Recovery::BreaksEven
            } else if shown.starts_with('-') {
                Recovery::Short
            } else {
                Recovery::Recovers
            };
            prop_assert_eq!(p.recovery, want, "profit {} shown {}", p.profit, shown);
        }
    }
}
