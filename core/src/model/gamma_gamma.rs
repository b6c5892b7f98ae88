//! Gamma-Gamma (注文金額のモデル): the value of a customer's orders, fitted on customers
//! with at least one repeat transaction, from the mean of their repeat transactions.
//!
//! Each transaction's value is Gamma(p, ν); ν varies across customers as Gamma(q, γ).
//! Independent of the BG/NBD purchase process (an assumption worth checking on the data).
//!
//! ## References
//! - Fader, P. S. & Hardie, B. G. S. (2013). The Gamma-Gamma Model of Monetary Value (note).
//! - Colombo, R. & Jiang, W. (1999). A stochastic RFM model. *Journal of Interactive
//!   Marketing* 13(3), 2–12.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::{digamma, ln_gamma};

use super::error::{ModelError, ModelErrorKind, ModelName};
use super::optim::{maximize_likelihood, Objective, Optimizer, SecondOrder};
use super::special::trigamma;
use super::summary::CustomerRfm;

/// The three Gamma-Gamma parameters: p (shape of a transaction's value), q and γ (how the
/// scale varies across customers; γ in money units).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaParams {
    pub p: f64,
    pub q: f64,
    pub gamma: f64,
}

impl GammaGammaParams {
    /// Parameters, each positive and finite.
    ///
    /// # Errors
    /// [`ModelErrorKind::InvalidParameter`] naming the first bad one.
    pub fn new(p: f64, q: f64, gamma: f64) -> Result<Self, ModelError> {
        for (name, value) in [("p", p), ("q", q), ("gamma", gamma)] {
            if !(value > 0.0 && value.is_finite()) {
                return Err(ModelError::invalid(name, value));
            }
        }
        Ok(GammaGammaParams { p, q, gamma })
    }

    /// The log-likelihood of one customer's mean value m̄ over x transactions.
    ///
    /// # Formula
    /// f(m̄ | x) = Γ(px+q) / (Γ(px) Γ(q)) · γ^q x^(px) m̄^(px−1) / (γ + x m̄)^(px+q).
    /// `-inf` when x = 0 or m̄ ≤ 0 (outside the model).
    pub fn log_likelihood(&self, x: u64, mean_value: f64) -> f64 {
        if x == 0 || mean_value.is_nan() || mean_value <= 0.0 {
            return f64::NEG_INFINITY;
        }
        let GammaGammaParams { p, q, gamma } = *self;
        let xf = x as f64;
        ln_gamma(p * xf + q) - ln_gamma(p * xf) - ln_gamma(q)
            + q * gamma.ln()
            + p * xf * xf.ln()
            + (p * xf - 1.0) * mean_value.ln()
            - (p * xf + q) * (gamma + xf * mean_value).ln()
    }

    /// The population mean value of a transaction, pγ/(q−1); `None` when q ≤ 1 (the mean
    /// is infinite).
    pub fn mean_transaction_value(&self) -> Option<f64> {
        (self.q > 1.0).then(|| self.p * self.gamma / (self.q - 1.0))
    }

    /// 予想平均注文額: E[M | x, m̄], the expected value of this customer's future orders.
    /// For x = 0 the population mean. `None` when q ≤ 1 with few transactions (px + q ≤ 1)
    /// or for a non-finite m̄.
    ///
    /// # Formula
    /// E[M | p, q, γ, x, m̄] = p(γ + x m̄) / (px + q − 1)
    ///  = (q−1)/(px+q−1) · pγ/(q−1) + px/(px+q−1) · m̄: a weighted mean of the
    ///  population mean and the customer's own.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::model::GammaGammaParams;
    /// let p = GammaGammaParams::new(6.25, 3.74, 15.44).unwrap();
    /// let population = p.mean_transaction_value().unwrap();
    /// assert!((p.conditional_expected_value(0, 0.0).unwrap() - population).abs() < 1e-12);
    /// // A customer's own average pulls the estimate towards it.
    /// let e = p.conditional_expected_value(5, 100.0).unwrap();
    /// assert!(population < e && e < 100.0);
    /// ```
    pub fn conditional_expected_value(&self, x: u64, mean_value: f64) -> Option<f64> {
        let GammaGammaParams { p, q, gamma } = *self;
        let xf = x as f64;
        let m = if x == 0 { 0.0 } else { mean_value };
        let denominator = p * xf + q - 1.0;
        (denominator > 0.0 && m.is_finite()).then(|| p * (gamma + xf * m) / denominator)
    }
}

/// The result of fitting Gamma-Gamma.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct GammaGammaFit {
    pub params: GammaGammaParams,
    /// Standard errors of p, q, γ (same field names), from the Hessian at the optimum.
    pub standard_errors: GammaGammaParams,
    pub log_likelihood: f64,
    /// Repeat customers the fit used.
    pub customers: u64,
    /// Repeat customers left out because their mean repeat value is zero, negative or not
    /// a number.
    pub excluded_non_positive: u64,
    /// Always true for a returned fit.
    pub converged: bool,
    pub iterations: u64,
    pub optimizer: Optimizer,
}

/// Customers below which no fit is attempted.
pub const GAMMA_GAMMA_MIN_CUSTOMERS: u64 = 2;

/// `value` as an integer in the order of [`f64::total_cmp`] (negative NaN, −∞, …, −0, +0,
/// …, +∞, NaN): its bits with the others than the sign flipped for a negative value (as
/// `total_cmp` does), then the sign bit flipped, so that the order is that of unsigned
/// integers.
fn ordered_key(value: f64) -> u64 {
    let bits = value.to_bits() as i64;
    ((bits ^ (((bits >> 63) as u64) >> 1) as i64) as u64) ^ (1 << 63)
}

/// The value [`ordered_key`] made `key` of.
fn from_ordered_key(key: u64) -> f64 {
    let bits = (key ^ (1 << 63)) as i64;
    f64::from_bits((bits ^ (((bits >> 63) as u64) >> 1) as i64) as u64)
}

/// The likelihood grouped by x: ln Γ and ψ once per distinct x, and one logarithm per
/// distinct (x, m̄): customers with the same number of repeat orders and the same mean value
/// (one order at the same price, most often) share it.
struct GammaGammaObjective {
    /// (x, count, Σ ln m̄) per distinct x.
    by_x: Vec<(f64, f64, f64)>,
    /// (x, m̄, count) per distinct (x, m̄).
    customers: Vec<(f64, f64, f64)>,
    total_weight: f64,
}

impl GammaGammaObjective {
    fn new(observations: &[(u64, f64)]) -> Self {
        // In order of x, then of m̄ as `f64::total_cmp` orders it: each pair as one integer
        // whose order is that order ([`ordered_key`]), sorted as integers, which is quicker
        // than a sort with that comparison (natively, this objective made for the 133,888
        // repeat customers of `orders_1m.csv`: 4.4–6.1 ms against 6.1–7.9; the refit's three
        // iterations after it take 1.6 ms). The sums below are made in this order, so their
        // bits depend on it alone.
        let mut sorted: Vec<u128> = observations
            .iter()
            .map(|&(x, m)| u128::from(x) << 64 | u128::from(ordered_key(m)))
            .collect();
        sorted.sort_unstable();
        Self::of_sorted(
            sorted
                .iter()
                .map(|&key| ((key >> 64) as u64, from_ordered_key(key as u64))),
        )
    }

    /// The sums over observations that come in order of x, then of m̄ (as
    /// [`f64::total_cmp`] orders it).
    fn of_sorted(sorted: impl Iterator<Item = (u64, f64)>) -> Self {
        let mut by_x: Vec<(f64, f64, f64)> = Vec::new();
        let mut customers: Vec<(f64, f64, f64)> = Vec::new();
        let mut last = None;
        let mut count = 0usize;
        for (x, m) in sorted {
            count += 1;
            if last == Some(x) {
                if let Some(entry) = by_x.last_mut() {
                    entry.1 += 1.0;
                    entry.2 += m.ln();
                }
            } else {
                by_x.push((x as f64, 1.0, m.ln()));
                last = Some(x);
            }
            match customers.last_mut() {
                Some(entry) if entry.0 == x as f64 && entry.1 == m => entry.2 += 1.0,
                _ => customers.push((x as f64, m, 1.0)),
            }
        }
        GammaGammaObjective {
            by_x,
            customers,
            total_weight: count as f64,
        }
    }

    /// The total log-likelihood and its gradient in (p, q, γ); with `hessian`, the same
    /// pass adds the Hessian in (p, q, γ) to it: per x, n x² [ψ′(px+q) − ψ′(px)],
    /// n x ψ′(px+q) and n [ψ′(px+q) − ψ′(q)] from the ln Γ terms; per (x, m̄), with
    /// s = γ + x m̄, −n x / s, n (1/γ − 1/s) and n ((px+q)/s² − q/γ²) from
    /// q ln γ − (px+q) ln s.
    fn log_likelihood(
        &self,
        params: &GammaGammaParams,
        gradient: &mut [f64; 3],
        hessian: Option<&mut [[f64; 3]; 3]>,
    ) -> f64 {
        let GammaGammaParams { p, q, gamma } = *params;
        let (ln_gamma_q, psi_q, ln_g) = (ln_gamma(q), digamma(q), gamma.ln());
        let mut total = 0.0;
        let mut g = [0.0f64; 3];
        let mut h = [[0.0f64; 3]; 3];
        let second = hessian.is_some();
        let trigamma_q = if second { trigamma(q) } else { 0.0 };
        for &(x, n, sum_ln_m) in &self.by_x {
            let px = p * x;
            let (psi_pxq, psi_px) = (digamma(px + q), digamma(px));
            total += n * (ln_gamma(px + q) - ln_gamma(px) - ln_gamma_q + q * ln_g + px * x.ln())
                + (px - 1.0) * sum_ln_m;
            g[0] += x * (n * (psi_pxq - psi_px + x.ln()) + sum_ln_m);
            g[1] += n * (psi_pxq - psi_q + ln_g);
            if second {
                let (tri_pxq, tri_px) = (trigamma(px + q), trigamma(px));
                h[0][0] += n * x * x * (tri_pxq - tri_px);
                h[0][1] += n * x * tri_pxq;
                h[1][1] += n * (tri_pxq - trigamma_q);
            }
        }
        let inv_g = 1.0 / gamma;
        for &(x, m, n) in &self.customers {
            let s = gamma + x * m;
            let ln_s = n * s.ln();
            total -= (p * x + q) * ln_s;
            g[0] -= x * ln_s;
            g[1] -= ln_s;
            g[2] += n * (q * inv_g - (p * x + q) / s);
            if second {
                let inv_s = 1.0 / s;
                h[0][2] -= n * x * inv_s;
                h[1][2] += n * (inv_g - inv_s);
                h[2][2] += n * ((p * x + q) * inv_s * inv_s - q * inv_g * inv_g);
            }
        }
        *gradient = g;
        if let Some(hessian) = hessian {
            for i in 0..3 {
                for j in 0..3 {
                    hessian[i][j] = if j >= i { h[i][j] } else { h[j][i] };
                }
            }
        }
        total
    }

    /// The parameters at θ = ln(p, q, γ), `None` where one is not positive and finite.
    fn params_at(theta: &[f64]) -> Option<GammaGammaParams> {
        let [p, q, gamma] = [theta[0].exp(), theta[1].exp(), theta[2].exp()];
        [p, q, gamma]
            .iter()
            .all(|v| *v > 0.0 && v.is_finite())
            .then_some(GammaGammaParams { p, q, gamma })
    }
}

impl Objective for GammaGammaObjective {
    fn dim(&self) -> usize {
        3
    }

    fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
        let Some(p) = Self::params_at(theta) else {
            gradient.iter_mut().for_each(|g| *g = f64::NAN);
            return f64::NAN;
        };
        let params = [p.p, p.q, p.gamma];
        let mut g = [0.0; 3];
        let ll = self.log_likelihood(&p, &mut g, None);
        for i in 0..3 {
            gradient[i] = -g[i] * params[i] / self.total_weight;
        }
        -ll / self.total_weight
    }

    /// One pass of the likelihood with its Hessian, in θ = ln(p, q, γ).
    fn with_hessian(&self, theta: &[f64]) -> Option<SecondOrder> {
        let Some(p) = Self::params_at(theta) else {
            return Some(SecondOrder::undefined(3));
        };
        let (mut g, mut h) = ([0.0; 3], [[0.0; 3]; 3]);
        let ll = self.log_likelihood(&p, &mut g, Some(&mut h));
        let values = [p.p, p.q, p.gamma];
        Some(SecondOrder::in_log_parameters(
            ll,
            &g,
            &h,
            &values,
            self.total_weight,
        ))
    }
}

/// Fit Gamma-Gamma on the customers with at least one repeat transaction and a positive
/// mean repeat value; the others with x ≥ 1 are counted in
/// [`GammaGammaFit::excluded_non_positive`], never a crash.
///
/// # Errors
/// [`ModelErrorKind::NoPositiveSpend`] when no usable customer is left,
/// [`ModelErrorKind::TooFewCustomers`] under [`GAMMA_GAMMA_MIN_CUSTOMERS`], and
/// [`ModelErrorKind::NotConverged`].
///
/// # Examples
/// ```
/// use ltv_core::model::{fit_gamma_gamma, CustomerRfm};
/// let c = |customer, frequency, monetary_value| CustomerRfm {
///     customer, first_day: 0, frequency, recency_days: 10, age_days: 20,
///     monetary_value, holdout_transactions: 0,
/// };
/// // 40 repeat customers whose averages differ widely and scatter less with more orders,
/// // one with a refund larger than the purchase, one without repeats.
/// let mut customers: Vec<CustomerRfm> = (0..40u32)
///     .map(|i| {
///         let x = 1 + (i % 4) as u64;
///         let own = 3000.0 * 1.03f64.powi(i as i32);
///         let noise = [0.6, -0.6, 0.3, -0.3][(i % 4) as usize] * if i % 8 < 4 { 1.0 } else { -1.0 };
///         c(i, x, own * (1.0 + noise / (x as f64).sqrt()))
///     })
///     .collect();
/// customers.push(c(40, 1, -500.0));
/// customers.push(c(41, 0, 0.0));
/// let fit = fit_gamma_gamma(&customers).unwrap();
/// assert_eq!((fit.customers, fit.excluded_non_positive), (40, 1));
/// ```
pub fn fit_gamma_gamma(customers: &[CustomerRfm]) -> Result<GammaGammaFit, ModelError> {
    fit_gamma_gamma_near(customers, None)
}

/// [`fit_gamma_gamma`] from `near`'s parameters when given (the same model fitted on a
/// shorter history, as the refit on the whole history is of the 学習期間's fit): fewer steps
/// than from the fixed start.
pub fn fit_gamma_gamma_near(
    customers: &[CustomerRfm],
    near: Option<&GammaGammaParams>,
) -> Result<GammaGammaFit, ModelError> {
    let repeat = customers.iter().filter(|c| c.frequency > 0);
    let observations: Vec<(u64, f64)> = repeat
        .clone()
        .filter(|c| c.monetary_value > 0.0 && c.monetary_value.is_finite())
        .map(|c| (c.frequency, c.monetary_value))
        .collect();
    let excluded = repeat.count() as u64 - observations.len() as u64;
    fit_observations(&observations, excluded, near)
}

fn fit_observations(
    observations: &[(u64, f64)],
    excluded: u64,
    near: Option<&GammaGammaParams>,
) -> Result<GammaGammaFit, ModelError> {
    let count = observations.len() as u64;
    if count == 0 {
        return Err(ModelErrorKind::NoPositiveSpend { excluded }.into());
    }
    if count < GAMMA_GAMMA_MIN_CUSTOMERS {
        return Err(ModelErrorKind::TooFewCustomers {
            model: ModelName::GammaGamma,
            count,
            minimum: GAMMA_GAMMA_MIN_CUSTOMERS,
        }
        .into());
    }
    // Fit in units of the mean value (γ scales with the currency, p and q do not), so that
    // the optimiser's bounds mean the same for yen and for dollars.
    let scale = observations.iter().map(|o| o.1).sum::<f64>() / count as f64;
    let scaled: Vec<(u64, f64)> = observations.iter().map(|&(x, m)| (x, m / scale)).collect();
    let objective = GammaGammaObjective::new(&scaled);
    // Start at p = 1, q = 2, γ = 1, where the population mean pγ/(q−1) is the data's, or at
    // the nearby fit's parameters (γ in this data's units).
    let start = near
        .map(|n| [n.p.ln(), n.q.ln(), (n.gamma / scale).ln()])
        .filter(|start| start.iter().all(|t| t.is_finite()))
        .unwrap_or([0.0, 2f64.ln(), 0.0]);
    let w = objective.total_weight;
    let estimate = maximize_likelihood(&objective, &start, w).map_err(|f| {
        ModelError::new(ModelErrorKind::NotConverged {
            model: ModelName::GammaGamma,
            iterations: f.iterations,
        })
    })?;
    let (optimum, se) = (&estimate.optimum, &estimate.standard_errors);
    let th = &optimum.theta;
    Ok(GammaGammaFit {
        params: GammaGammaParams {
            p: th[0].exp(),
            q: th[1].exp(),
            gamma: th[2].exp() * scale,
        },
        standard_errors: GammaGammaParams {
            p: se[0],
            q: se[1],
            gamma: se[2] * scale,
        },
        // The density of m̄ = scale · m̄′ is f(m̄′)/scale per customer.
        log_likelihood: -optimum.value * w - w * scale.ln(),
        customers: count,
        excluded_non_positive: excluded,
        converged: true,
        iterations: optimum.iterations,
        optimizer: optimum.optimizer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    const PUBLISHED: GammaGammaParams = GammaGammaParams {
        p: 6.25,
        q: 3.74,
        gamma: 15.44,
    };

    /// Grouped by x and by equal (x, m̄) (customers who repeat one price), the likelihood
    /// is the sum over customers, and its gradient matches central differences.
    #[test]
    fn grouped_likelihood_and_gradient() {
        let observations = [
            (3u64, 12.0),
            (1, 20.0),
            (1, 35.5),
            (3, 12.0),
            (7, 80.0),
            (1, 20.0),
            (3, 12.0),
        ];
        let objective = GammaGammaObjective::new(&observations);
        let by_hand: f64 = observations
            .iter()
            .map(|&(x, m)| PUBLISHED.log_likelihood(x, m))
            .sum();
        let mut g = [0.0; 3];
        assert!((objective.log_likelihood(&PUBLISHED, &mut g, None) - by_hand).abs() < 1e-9);
        let theta = [1.5f64, 1.1, 2.7];
        let mut grad = [0.0; 3];
        objective.value_and_gradient(&theta, &mut grad);
        for i in 0..3 {
            let h = 1e-6;
            let (mut up, mut down) = (theta, theta);
            up[i] += h;
            down[i] -= h;
            let mut s = [0.0; 3];
            let numeric = (objective.value_and_gradient(&up, &mut s)
                - objective.value_and_gradient(&down, &mut s))
                / (2.0 * h);
            assert!(
                (numeric - grad[i]).abs() < 1e-6,
                "∂{i}: {numeric} vs {}",
                grad[i]
            );
        }
    }

    #[test]
    fn density_integrates_to_one() {
        // Independent check of the formula: ∫ f(m̄ | x) dm̄ = 1 (midpoint rule in ln m̄).
        for x in [1u64, 2, 5] {
            let steps = 200_000;
            let (lo, hi) = ((1e-3f64).ln(), (1e5f64).ln());
            let h = (hi - lo) / steps as f64;
            let total: f64 = (0..steps)
                .map(|i| {
                    let m = (lo + (i as f64 + 0.5) * h).exp();
                    PUBLISHED.log_likelihood(x, m).exp() * m * h
                })
                .sum();
            assert!((total - 1.0).abs() < 1e-6, "x={x}: {total}");
        }
    }

    #[test]
    fn expected_value_cases() {
        let mean = PUBLISHED.p * PUBLISHED.gamma / (PUBLISHED.q - 1.0);
        // (x, m̄, expected) from p(γ + x m̄)/(px + q − 1) by hand.
        let cases = [
            (0u64, 999.0, Some(mean)),
            (1, 30.0, Some(6.25 * (15.44 + 30.0) / (6.25 + 2.74))),
            (10, 50.0, Some(6.25 * (15.44 + 500.0) / (62.5 + 2.74))),
            (1, f64::NAN, None),
        ];
        for (x, m, expected) in cases {
            let got = PUBLISHED.conditional_expected_value(x, m);
            match (got, expected) {
                (Some(g), Some(e)) => assert!((g - e).abs() < 1e-9, "x={x}"),
                (g, e) => assert_eq!(g, e, "x={x}"),
            }
        }
        let heavy = GammaGammaParams::new(0.2, 0.5, 10.0).unwrap();
        assert_eq!(heavy.mean_transaction_value(), None);
        assert_eq!(heavy.conditional_expected_value(0, 0.0), None);
        assert!(heavy.conditional_expected_value(10, 5.0).is_some());
    }

    #[test]
    fn fits_that_cannot_work() {
        let c = |frequency, monetary_value| CustomerRfm {
            customer: 0,
            first_day: 0,
            frequency,
            recency_days: 1,
            age_days: 2,
            monetary_value,
            holdout_transactions: 0,
        };
        let kind = |cs: &[CustomerRfm]| fit_gamma_gamma(cs).unwrap_err().kind().clone();
        assert_eq!(
            kind(&[c(0, 0.0), c(2, 0.0), c(1, -3.0)]),
            ModelErrorKind::NoPositiveSpend { excluded: 2 }
        );
        assert!(matches!(
            kind(&[c(2, 10.0)]),
            ModelErrorKind::TooFewCustomers { count: 1, .. }
        ));
        // Identical values: no spread across customers, the fit runs to a boundary.
        assert!(matches!(
            kind(&[c(1, 10.0), c(1, 10.0), c(1, 10.0)]),
            ModelErrorKind::NotConverged { .. }
        ));
    }

    /// [`GammaGammaObjective::new`] as it was before its integer sort: the pairs sorted with
    /// `Ord` on x and [`f64::total_cmp`] on m̄.
    fn objective_by_comparison(observations: &[(u64, f64)]) -> GammaGammaObjective {
        let mut sorted = observations.to_vec();
        sorted.sort_unstable_by(|a, b| a.0.cmp(&b.0).then(a.1.total_cmp(&b.1)));
        GammaGammaObjective::of_sorted(sorted.into_iter())
    }

    /// Every value comes back from its ordered key, and the keys order values as
    /// [`f64::total_cmp`] does, at the edges too (zeros of both signs, infinities, NaNs,
    /// the smallest subnormals).
    #[test]
    fn ordered_keys_order_values_as_total_cmp() {
        let values = [
            f64::NEG_INFINITY,
            -1e300,
            -1.0,
            -f64::from_bits(1),
            -0.0,
            0.0,
            f64::from_bits(1),
            f64::MIN_POSITIVE,
            1.0,
            1e300,
            f64::INFINITY,
            f64::NAN,
            -f64::NAN,
        ];
        for a in values {
            assert_eq!(from_ordered_key(ordered_key(a)).to_bits(), a.to_bits());
            for b in values {
                assert_eq!(
                    ordered_key(a).cmp(&ordered_key(b)),
                    a.total_cmp(&b),
                    "{a} {b}"
                );
            }
        }
    }

    proptest! {
        /// The objective's sums are those of a sort by comparison, bit for bit: on values with
        /// many repeats (one order at the same price), and on any values.
        #[test]
        fn the_integer_sort_gives_the_sums_of_a_comparison_sort(
            repeats in prop::collection::vec((1u64..8, 0usize..6), 0..200),
            any in prop::collection::vec((any::<u64>(), any::<f64>()), 0..60),
        ) {
            let prices = [980.0, 1_980.0, 2_500.5, 0.25, 1e-300, 3.0];
            let mut values: Vec<(u64, f64)> =
                repeats.iter().map(|&(x, k)| (x, prices[k])).collect();
            for observations in [values.clone(), { values.extend(any); values }] {
                let made = GammaGammaObjective::new(&observations);
                let reference = objective_by_comparison(&observations);
                let bits = |o: &GammaGammaObjective| {
                    let each = |v: &[(f64, f64, f64)]| {
                        v.iter()
                            .map(|t| [t.0.to_bits(), t.1.to_bits(), t.2.to_bits()])
                            .collect::<Vec<_>>()
                    };
                    (each(&o.by_x), each(&o.customers), o.total_weight.to_bits())
                };
                prop_assert_eq!(bits(&made), bits(&reference));
            }
        }

        /// The Hessian in closed form is the slope of the analytic gradient (central
        /// differences), anywhere on random data: the ln Γ terms' trigammas per x and the
        /// ln s terms per (x, m̄), for q and p x on both sides of 10 (trigamma's switch).
        #[test]
        fn the_hessian_is_the_gradients_slope(
            values in prop::collection::vec((1u64..30, 0.05f64..20.0), 1..40),
            theta in prop::array::uniform3(-3.0f64..4.0),
        ) {
            let objective = GammaGammaObjective::new(&values);
            let mismatch = crate::model::optim::hessian_mismatch(&objective, &theta);
            prop_assert!(mismatch.is_none(), "{}", mismatch.unwrap_or_default());
        }

        #[test]
        fn fit_beats_perturbed_points(
            values in prop::collection::vec((1u64..6, 5.0f64..200.0), 30..60),
            which in 0usize..3, step in prop::sample::select(vec![-0.05f64, 0.05]),
        ) {
            if let Ok(fit) = fit_observations(&values, 0, None) {
                let mut v = [fit.params.p, fit.params.q, fit.params.gamma];
                v[which] *= step.exp();
                let perturbed = GammaGammaParams { p: v[0], q: v[1], gamma: v[2] };
                let at = |p: &GammaGammaParams| -> f64 {
                    values.iter().map(|&(x, m)| p.log_likelihood(x, m)).sum()
                };
                prop_assert!((fit.log_likelihood - at(&fit.params)).abs() < 1e-6);
                prop_assert!(fit.log_likelihood >= at(&perturbed) - 1e-9);
            }
        }
    }
}
