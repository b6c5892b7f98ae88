//! Three models of purchase counts (購入回数のモデル): BG/NBD, Pareto/NBD and MBG/NBD, behind
//! one interface: the likelihood, a fit that always ends with its best point (and says when
//! that point is at a boundary), P(alive), E[X(t)] and E[Y(t) | x, tₓ, T].
//!
//! All three share the purchase process while active: Poisson with rate λ ~ Gamma(r, α),
//! time in weeks. They differ in how a customer leaves:
//! - BG/NBD: after each repeat purchase, with probability p ~ Beta(a, b) (see [`super::bgnbd`]);
//! - MBG/NBD: also right at the first purchase, with the same p ~ Beta(a, b);
//! - Pareto/NBD: at any time, after an exponential lifetime with rate μ ~ Gamma(s, β).
//!
//! ## References
//! - Schmittlein, D. C., Morrison, D. G. & Colombo, R. (1987). Counting Your Customers:
//!   Who Are They and What Will They Do Next? *Management Science* 33(1), 1–24.
//! - Fader, P. S. & Hardie, B. G. S. (2005). A Note on Deriving the Pareto/NBD Model and
//!   Related Expressions. <http://brucehardie.com/notes/009/>
//! - Fader, P. S., Hardie, B. G. S. & Lee, K. L. (2005). "Counting Your Customers" the Easy
//!   Way. *Marketing Science* 24(2), 275–284.
//! - Batislam, E. P., Denizel, M. & Filiztekin, A. (2007). Empirical validation and
//!   comparison of models for customer base analysis. *International Journal of Research
//!   in Marketing* 24(3), 201–209.

use serde::{Deserialize, Serialize};
use statrs::function::gamma::ln_gamma;

use super::bgnbd::{BgNbdObjective, BgNbdParams};
use super::dual::{Dual, Hyper4, Number};
use super::error::{ModelError, ModelErrorKind, ModelName};
use super::optim::{fit_robust, Objective, Optimizer, SecondOrder};
use super::special::{
    difference, ln_rising, log_add_exp, log_add_exp_dual, logistic, LogProduct, ParetoTail,
};
use super::summary::{max_day, weeks, SummaryGroup, DAYS_PER_WEEK};

/// Customers below which no fit is attempted.
pub const PURCHASE_MODEL_MIN_CUSTOMERS: u64 = 2;

/// Which model of purchase counts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum PurchaseModel {
    BgNbd,
    ParetoNbd,
    MbgNbd,
}

impl PurchaseModel {
    /// Every model, in the order of preference on a tie.
    pub const ALL: [PurchaseModel; 3] = [
        PurchaseModel::BgNbd,
        PurchaseModel::ParetoNbd,
        PurchaseModel::MbgNbd,
    ];

    /// The key in JSON exports: `bg_nbd`, `pareto_nbd`, `mbg_nbd`.
    pub fn json_name(self) -> &'static str {
        match self {
            PurchaseModel::BgNbd => "bg_nbd",
            PurchaseModel::ParetoNbd => "pareto_nbd",
            PurchaseModel::MbgNbd => "mbg_nbd",
        }
    }

    /// The model's name in the core's messages ([`BoundaryNote::meaning`]). The page's words
    /// for it are the app's.
    pub fn label(self) -> &'static str {
        match self {
            PurchaseModel::BgNbd => "BG/NBD",
            PurchaseModel::ParetoNbd => "Pareto/NBD",
            PurchaseModel::MbgNbd => "MBG/NBD",
        }
    }

    /// The parameter names, in the order of [`PurchaseParams::values`].
    pub fn parameter_names(self) -> [&'static str; 4] {
        match self {
            PurchaseModel::BgNbd | PurchaseModel::MbgNbd => ["r", "alpha", "a", "b"],
            PurchaseModel::ParetoNbd => ["r", "alpha", "s", "beta"],
        }
    }

    /// Number of free parameters (for BIC).
    pub fn parameter_count(self) -> usize {
        4
    }

    /// The name in errors and warnings.
    pub fn model_name(self) -> ModelName {
        match self {
            PurchaseModel::BgNbd => ModelName::BgNbd,
            PurchaseModel::ParetoNbd => ModelName::ParetoNbd,
            PurchaseModel::MbgNbd => ModelName::MbgNbd,
        }
    }
}

/// The four Pareto/NBD parameters: r, α (purchase rate, α in weeks) and s, β (lifetime,
/// dropout rate μ ~ Gamma(s, β), β in weeks).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct ParetoNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub s: f64,
    pub beta: f64,
}

/// Pareto/NBD's parameters as numbers that carry derivatives ([`Number`]): as a [`Dual`]
/// with N = 4 in the log-parameters θ = ln(r, α, s, β), one pass over the groups gives the
/// likelihood and its gradient, as a [`Hyper4`] its Hessian too; with N = 0 the likelihood
/// alone.
#[derive(Clone, Copy, Debug)]
struct Pareto<T: Number> {
    r: T,
    alpha: T,
    s: T,
    beta: T,
}

impl<T: Number> Pareto<T> {
    /// At e^θ, with derivatives in θ.
    fn at_log(theta: &[f64]) -> Self {
        let v = |i| T::exp_of_variable(theta[i], i);
        Pareto {
            r: v(0),
            alpha: v(1),
            s: v(2),
            beta: v(3),
        }
    }

    /// ln(α^(r+x) βˢ A₀): A₀ times the size of its integrand at τ = 0, of the size of the
    /// likelihood itself (A₀ alone can be e^(−3,000,000) where a fit runs to a boundary).
    /// The integrand is (α+τ)^(−(r+x)) (β+τ)^(−(s+1)), so this is
    /// (G(tₓ) − G(T)) / β with G as [`ParetoTail`] holds it.
    fn log_scaled_a0(&self, x: u64, recency: f64, age: f64) -> T {
        self.tail(x).map_or(T::constant(f64::NAN), |tail| {
            tail.log_scaled_a0(recency, age) - self.beta.ln()
        })
    }

    /// G of A₀ (see [`ParetoTail`]) for customers with x repeat purchases.
    fn tail(&self, x: u64) -> Option<ParetoTail<T>> {
        let Pareto { r, alpha, s, beta } = *self;
        let xf = x as f64;
        let (low, high, t) = if alpha.value() < beta.value() {
            (alpha, beta, r + xf)
        } else {
            (beta, alpha, s + 1.0)
        };
        ParetoTail::new(r + s + xf, t, low, high)
    }

    /// The total log-likelihood of grouped customers (sorted by x, as
    /// [`super::summary::group_customers`] gives them): per run of equal x, G and the ln Γ
    /// terms once, G once per distinct day, and the alive term once per distinct T.
    fn total_log_likelihood(&self, groups: &[SummaryGroup]) -> T {
        let growth: Vec<(T, T)> = (0..=max_day(groups))
            .map(|d| self.growth(d as f64 / DAYS_PER_WEEK))
            .collect();
        let ln_beta = self.beta.ln();
        // Which of α and β is G's m (see `tail`).
        let low_is_alpha = self.alpha.value() < self.beta.value();
        let mut at_day = ByDayForX::default();
        // The bracket's alive term by x and T, made once for all the groups that share them.
        let mut alive_at = ByDayForX::default();
        let mut current: Option<(u64, [T; 2], ParetoTail<T>)> = None;
        let mut total = T::constant(0.0);
        // Σ w ln(factor) of the brackets, one logarithm per many groups.
        let mut logs = LogProduct::default();
        for g in groups {
            let x = g.frequency;
            let (common, dead_scale, tail) = match &current {
                Some((at, [common, dead_scale], tail)) if *at == x => (*common, *dead_scale, tail),
                _ => {
                    let Some(tail) = self.tail(x) else {
                        return T::constant(f64::NAN);
                    };
                    let (_, [common, dead_scale], tail) =
                        current.insert((x, [self.frequency_part(x), self.dead_scale(x)], tail));
                    (*common, *dead_scale, &*tail)
                }
            };
            let mut log_tail = |day: u32| {
                at_day.get_or_make(x, day, || {
                    let (by_alpha, by_beta) = growth[day as usize];
                    let low_high = if low_is_alpha {
                        (by_alpha, by_beta)
                    } else {
                        (by_beta, by_alpha)
                    };
                    tail.log_scaled_tail_growing(f64::from(day) / DAYS_PER_WEEK, low_high)
                })
            };
            let alive =
                alive_at.get_or_make(x, g.age_days, || self.alive(x, growth[g.age_days as usize]));
            let w = g.weight as f64;
            if g.recency_days >= g.age_days {
                // A₀ = 0: alive through T is the whole bracket.
                total = total + (common + alive) * w;
                continue;
            }
            let (at_recency, at_age) = (log_tail(g.recency_days), log_tail(g.age_days));
            let Some((base, factor)) = bracket(
                alive,
                dead_scale - ln_beta + at_recency,
                at_age - at_recency,
            ) else {
                // Outside where A₀ can be evaluated (a line search's wild step): stop here
                // rather than sum every group's NaN.
                return T::constant(f64::NAN);
            };
            // The bracket is base + ln(factor): the logarithm's value is summed in `logs`,
            // its derivatives here.
            total = total + (common + base + factor.ln_slope()) * w;
            logs.add(factor.value(), w);
        }
        total = total + logs.total();
        total
    }

    /// See [`ParetoNbdParams::log_likelihood`].
    fn log_likelihood(&self, x: u64, recency: f64, age: f64) -> T {
        let (alive, dead) = self.customer_alive_and_dead(x, recency, age);
        self.frequency_part(x) + log_add_exp_dual(alive, dead)
    }

    /// ln(1+T/α) and ln(1+T/β) for T in weeks.
    fn growth(&self, weeks: f64) -> (T, T) {
        (
            (self.alpha.recip() * weeks).ln_1p(),
            (self.beta.recip() * weeks).ln_1p(),
        )
    }

    /// The two terms of the likelihood's bracket for one customer, in logs: alive through T,
    /// and the scaled A₀ of leaving between tₓ and T (see [`Self::alive_and_dead`]).
    fn customer_alive_and_dead(&self, x: u64, recency: f64, age: f64) -> (T, T) {
        let log_a0 = self.log_scaled_a0(x, recency, age);
        self.alive_and_dead(x, self.growth(age), self.dead_scale(x), log_a0)
    }

    /// The part of the log-likelihood that depends on x alone: ln Γ(r+x) − ln Γ(r) − x ln α.
    fn frequency_part(&self, x: u64) -> T {
        ln_rising(self.r, x) - self.alpha.ln() * x as f64
    }

    /// ln(s/(r+s+x)), the weight of A₀ in the likelihood.
    fn dead_scale(&self, x: u64) -> T {
        self.s.ln() - (self.r + self.s + x as f64).ln()
    }

    /// ln of (1+T/α)^(−(r+x)) (1+T/β)^(−s), the bracket's term for alive through T, with
    /// ln(1+T/α) and ln(1+T/β) given.
    fn alive(&self, x: u64, growth: (T, T)) -> T {
        -((self.r + x as f64) * growth.0 + self.s * growth.1)
    }

    /// With ln(1+T/α) and ln(1+T/β), ln(s/(r+s+x)) and ln(α^(r+x) βˢ A₀) given: the logs of
    /// (1+T/α)^(−(r+x)) (1+T/β)^(−s) and s/(r+s+x) · α^(r+x) βˢ A₀, whose sum is the
    /// likelihood's bracket and whose ratio the odds of having left.
    fn alive_and_dead(&self, x: u64, growth: (T, T), dead_scale: T, log_scaled_a0: T) -> (T, T) {
        (self.alive(x, growth), dead_scale + log_scaled_a0)
    }
}

/// Values made once per x and day, for one x at a time: customers come by x, and a slot
/// made for another x is made again (so one vector serves every x, and none is cleared).
struct ByDayForX<T> {
    /// Per day: the x the value was made for, and the value.
    slots: Vec<Option<(u64, T)>>,
}

impl<T> Default for ByDayForX<T> {
    fn default() -> Self {
        ByDayForX { slots: Vec::new() }
    }
}

impl<T: Copy> ByDayForX<T> {
    /// The value for x at `day`, made by `make` unless it was made for this x already.
    fn get_or_make(&mut self, x: u64, day: u32, make: impl FnOnce() -> T) -> T {
        let day = day as usize;
        if self.slots.len() <= day {
            self.slots.resize_with(day + 1, || None);
        }
        match self.slots[day] {
            Some((at, value)) if at == x => value,
            _ => {
                let value = make();
                self.slots[day] = Some((x, value));
                value
            }
        }
    }
}

/// The log of the likelihood's bracket for one group, e^alive + e^dead, where the dead term
/// is e^d₀ (1 − e^u): d₀ = ln(s/(r+s+x)) − ln β + ln G(tₓ) and u = ln G(T) − ln G(tₓ) ≤ 0,
/// so that A₀ is G(tₓ) − G(T) scaled. Two exponentials and a logarithm, where forming ln A₀
/// first and adding the two terms' logs takes four: with h the larger of alive and d₀, it is
/// h + ln(e^(alive−h) + (1 − e^u) e^(d₀−h)), one of the two exponents being 0. Given as
/// (h, the logarithm's argument), so that the caller can sum the logarithms of many groups
/// at once ([`LogProduct`]). `None` where u > 0 or is not a number (G rising: outside A₀'s
/// domain).
fn bracket<T: Number>(alive: T, d0: T, u: T) -> Option<(T, T)> {
    let one = T::constant(1.0);
    if d0.value() == f64::NEG_INFINITY {
        // G(tₓ) = 0, so A₀ = 0.
        return Some((alive, one));
    }
    if u.value() == f64::NEG_INFINITY {
        // G(T) = 0: A₀ is G(tₓ) alone.
        let (high, low) = if alive.value() >= d0.value() {
            (alive, d0)
        } else {
            (d0, alive)
        };
        return Some((high, (low - high).exp() + 1.0));
    }
    if u.value().is_nan() || u.value() > 0.0 || d0.value().is_nan() {
        return None;
    }
    // 1 − eᵘ: by e^u − 1 where u is near 0 (the difference would cancel); below −½ the
    // exponential itself loses nothing (1 − eᵘ > 0.39) and costs a third of it in
    // WebAssembly, where most groups take this branch.
    let leaving = if u.value() < -0.5 {
        -(u.exp() - 1.0)
    } else {
        -u.exp_m1()
    };
    Some(if alive.value() >= d0.value() {
        (alive, leaving * (d0 - alive).exp() + 1.0)
    } else {
        (d0, (alive - d0).exp() + leaving)
    })
}

impl ParetoNbdParams {
    /// The same parameters as numbers without derivatives.
    fn plain(&self) -> Pareto<Dual<0>> {
        let c = Dual::constant;
        Pareto {
            r: c(self.r),
            alpha: c(self.alpha),
            s: c(self.s),
            beta: c(self.beta),
        }
    }

    /// ln A₀ of the likelihood (−∞ when tₓ = T).
    ///
    /// # Formula
    /// Fader & Hardie (2005, note 009), eqs. (19)–(22): with m = min(α, β), M = max(α, β),
    /// t = r+x when α < β and t = s+1 otherwise,
    /// A₀ = ₂F₁(r+s+x, t; r+s+x+1; (M−m)/(M+tₓ)) / (M+tₓ)^(r+s+x)
    ///    − ₂F₁(r+s+x, t; r+s+x+1; (M−m)/(M+T)) / (M+T)^(r+s+x)
    ///    = (r+s+x) ∫ (m+τ)^(−t) (M+τ)^(−(r+s+x+1−t)) dτ over tₓ ≤ τ ≤ T,
    /// evaluated as in [`log_pareto_a0`](super::special::log_pareto_a0), which stays fast
    /// and exact however far apart α and β are. The likelihood uses it scaled
    /// (`Pareto::log_scaled_a0`); this form is for the tests against the integral.
    #[cfg(test)]
    fn log_a0(&self, x: u64, recency: f64, age: f64) -> f64 {
        let (r, s) = (self.r, self.s);
        self.plain().log_scaled_a0(x, recency, age).value()
            - (r + x as f64) * self.alpha.ln()
            - s * self.beta.ln()
    }

    /// The log-likelihood of one customer with x repeat transactions, the last at tₓ weeks,
    /// observed for T weeks.
    ///
    /// # Formula
    /// Fader & Hardie (2005, note 009), eq. (22):
    /// L = Γ(r+x) αʳ βˢ / Γ(r) · [1 / ((α+T)^(r+x) (β+T)ˢ) + s/(r+s+x) · A₀],
    /// A₀ as on `log_a0` (private), in log space, with α^(r+x) βˢ taken into the bracket:
    /// ln L = ln Γ(r+x) − ln Γ(r) − x ln α
    ///      + ln[(1+T/α)^(−(r+x)) (1+T/β)^(−s) + s/(r+s+x) · α^(r+x) βˢ A₀],
    /// whose terms stay of the size of ln L where r and α run to ∞ together.
    pub fn log_likelihood(&self, x: u64, recency: f64, age: f64) -> f64 {
        self.plain().log_likelihood(x, recency, age).value()
    }

    /// P(alive | x, tₓ, T).
    ///
    /// # Formula
    /// Fader & Hardie (2005, note 009), eq. (24):
    /// P(alive) = 1 / (1 + s/(r+s+x) · (α+T)^(r+x) (β+T)ˢ A₀), with α^(r+x) βˢ A₀ as the
    /// likelihood takes it (`Pareto::log_scaled_a0`, private) and (1+T/α)^(r+x) (1+T/β)ˢ for
    /// the rest.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::model::ParetoNbdParams;
    /// let p = ParetoNbdParams { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.669 };
    /// assert_eq!(p.probability_alive(3, 20.0, 20.0), 1.0);
    /// assert!(p.probability_alive(3, 5.0, 39.0) < p.probability_alive(3, 35.0, 39.0));
    /// ```
    pub fn probability_alive(&self, x: u64, recency: f64, age: f64) -> f64 {
        let recency = recency.clamp(0.0, age.max(0.0));
        let (alive, dead) = self.plain().customer_alive_and_dead(x, recency, age);
        if dead.value() == f64::NEG_INFINITY {
            return 1.0;
        }
        logistic(alive.value() - dead.value())
    }

    /// E[Y(t) | x, tₓ, T] / P(alive) for each t: it does not depend on tₓ.
    ///
    /// # Formula
    /// Fader & Hardie (2005, note 009), eq. (27):
    /// E[Y(t) | x, tₓ, T] = (r+x)(β+T) / ((α+T)(s−1)) · [1 − ((β+T)/(β+T+t))^(s−1)] · P(alive),
    /// written (r+x)(β+T)/(α+T) · (1 − e^(−(s−1)L))/(s−1), L = ln(1 + t/(β+T)), which is
    /// (r+x)(β+T)/(α+T) · L at s = 1.
    pub(crate) fn unconditional_bracket_at(&self, x: u64, age: f64, ts: &[f64]) -> Vec<f64> {
        let ParetoNbdParams { r, alpha, s, beta } = *self;
        let scale = (r + x as f64) * (beta + age) / (alpha + age);
        let eps = s - 1.0;
        ts.iter()
            .map(|&t| {
                if t <= 0.0 {
                    return 0.0;
                }
                let l = (t / (beta + age)).ln_1p();
                let g = if eps.abs() < 1e-12 {
                    l
                } else {
                    -(-eps * l).exp_m1() / eps
                };
                scale * g
            })
            .collect()
    }
}

/// The four MBG/NBD parameters: r, α (purchase rate) and a, b (dropout p ~ Beta(a, b)).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct MbgNbdParams {
    pub r: f64,
    pub alpha: f64,
    pub a: f64,
    pub b: f64,
}

impl MbgNbdParams {
    /// ln of the odds a/(b+x) · ((α+T)/(α+tₓ))^(r+x) that the customer has left.
    fn log_odds_dead(&self, x: u64, recency: f64, age: f64) -> f64 {
        let MbgNbdParams { r, alpha, a, b } = *self;
        let xf = x as f64;
        a.ln() - (b + xf).ln() + (r + xf) * ((alpha + age).ln() - (alpha + recency).ln())
    }

    /// The log-likelihood of one customer.
    ///
    /// # Formula
    /// Batislam et al. (2007), eq. (3):
    /// L = B(a, b+x+1)/B(a, b) · Γ(r+x) αʳ / (Γ(r) (α+T)^(r+x))
    ///   · [1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)],
    /// the BG/NBD likelihood with a dropout chance at the first purchase too (so also for
    /// x = 0).
    pub fn log_likelihood(&self, x: u64, recency: f64, age: f64) -> f64 {
        let MbgNbdParams { r, alpha, a, b } = *self;
        let xf = x as f64;
        ln_gamma(r + xf) - ln_gamma(r) + r * alpha.ln() + ln_gamma(a + b) + ln_gamma(b + xf + 1.0)
            - ln_gamma(b)
            - ln_gamma(a + b + xf + 1.0)
            - (r + xf) * (alpha + age).ln()
            + log_add_exp(0.0, self.log_odds_dead(x, recency, age))
    }

    /// P(alive | x, tₓ, T).
    ///
    /// # Formula
    /// Batislam et al. (2007), eq. (4):
    /// P(alive) = 1 / (1 + a/(b+x) · ((α+T)/(α+tₓ))^(r+x)), for every x (a customer may
    /// leave right after the first purchase).
    pub fn probability_alive(&self, x: u64, recency: f64, age: f64) -> f64 {
        let recency = recency.clamp(0.0, age.max(0.0));
        logistic(-self.log_odds_dead(x, recency, age))
    }

    /// E[Y(t) | x, tₓ, T] / P(alive) for each t.
    ///
    /// # Formula
    /// Batislam et al. (2007), eq. (6):
    /// E[Y(t) | x, tₓ, T] = (a+b+x)/(a−1) · [1 − ((α+T)/(α+T+t))^(r+x)
    ///   ₂F₁(r+x, b+x+1; a+b+x; t/(α+T+t))] · P(alive),
    /// which is the BG/NBD bracket with b+1 in place of b (evaluated by its transformed
    /// series, see [`BgNbdParams::conditional_expected_transactions`]). E[X(t)] is the
    /// case x = tₓ = T = 0: b/(a−1) · [1 − (α/(α+t))ʳ ₂F₁(r, b+1; a+b; t/(α+t))].
    pub(crate) fn unconditional_bracket_at(&self, x: u64, age: f64, ts: &[f64]) -> Vec<f64> {
        BgNbdParams {
            r: self.r,
            alpha: self.alpha,
            a: self.a,
            b: self.b + 1.0,
        }
        .unconditional_bracket_at(x, age, ts)
    }
}

/// The fitted parameters of one model.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub enum PurchaseParams {
    BgNbd(BgNbdParams),
    ParetoNbd(ParetoNbdParams),
    MbgNbd(MbgNbdParams),
}

impl PurchaseParams {
    /// Parameters of `model` from its four values in the order of
    /// [`PurchaseModel::parameter_names`].
    pub fn from_values(model: PurchaseModel, v: [f64; 4]) -> Self {
        match model {
            PurchaseModel::BgNbd => PurchaseParams::BgNbd(BgNbdParams {
                r: v[0],
                alpha: v[1],
                a: v[2],
                b: v[3],
            }),
            PurchaseModel::ParetoNbd => PurchaseParams::ParetoNbd(ParetoNbdParams {
                r: v[0],
                alpha: v[1],
                s: v[2],
                beta: v[3],
            }),
            PurchaseModel::MbgNbd => PurchaseParams::MbgNbd(MbgNbdParams {
                r: v[0],
                alpha: v[1],
                a: v[2],
                b: v[3],
            }),
        }
    }

    pub fn model(&self) -> PurchaseModel {
        match self {
            PurchaseParams::BgNbd(_) => PurchaseModel::BgNbd,
            PurchaseParams::ParetoNbd(_) => PurchaseModel::ParetoNbd,
            PurchaseParams::MbgNbd(_) => PurchaseModel::MbgNbd,
        }
    }

    /// The four values in the order of [`PurchaseModel::parameter_names`].
    pub fn values(&self) -> [f64; 4] {
        match *self {
            PurchaseParams::BgNbd(p) => [p.r, p.alpha, p.a, p.b],
            PurchaseParams::ParetoNbd(p) => [p.r, p.alpha, p.s, p.beta],
            PurchaseParams::MbgNbd(p) => [p.r, p.alpha, p.a, p.b],
        }
    }

    /// One customer's log-likelihood (x repeat transactions, the last at tₓ weeks, T weeks).
    pub fn log_likelihood(&self, x: u64, recency: f64, age: f64) -> f64 {
        match self {
            PurchaseParams::BgNbd(p) => p.log_likelihood(x, recency, age),
            PurchaseParams::ParetoNbd(p) => p.log_likelihood(x, recency, age),
            PurchaseParams::MbgNbd(p) => p.log_likelihood(x, recency, age),
        }
    }

    /// P(alive | x, tₓ, T), まだ顧客でいる確率.
    pub fn probability_alive(&self, x: u64, recency: f64, age: f64) -> f64 {
        match self {
            PurchaseParams::BgNbd(p) => p.probability_alive(x, recency, age),
            PurchaseParams::ParetoNbd(p) => p.probability_alive(x, recency, age),
            PurchaseParams::MbgNbd(p) => p.probability_alive(x, recency, age),
        }
    }

    /// E[Y(t) | x, tₓ, T] / P(alive) at each t; shared by customers with equal (x, T).
    pub(crate) fn unconditional_bracket_at(&self, x: u64, age: f64, ts: &[f64]) -> Vec<f64> {
        match self {
            PurchaseParams::BgNbd(p) => p.unconditional_bracket_at(x, age, ts),
            PurchaseParams::ParetoNbd(p) => p.unconditional_bracket_at(x, age, ts),
            PurchaseParams::MbgNbd(p) => p.unconditional_bracket_at(x, age, ts),
        }
    }

    /// E[Y(t) | x, tₓ, T] at each t: expected transactions in the next t weeks.
    pub fn conditional_expected_transactions_at(
        &self,
        x: u64,
        recency: f64,
        age: f64,
        ts: &[f64],
    ) -> Vec<f64> {
        let alive = self.probability_alive(x, recency, age);
        self.unconditional_bracket_at(x, age.max(0.0), ts)
            .into_iter()
            .map(|e| e * alive)
            .collect()
    }

    /// E[Y(t) | x, tₓ, T].
    ///
    /// # Examples
    /// ```
    /// use ltv_core::model::{BgNbdParams, PurchaseParams};
    /// let bg = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
    /// let e = PurchaseParams::BgNbd(bg).conditional_expected_transactions(2, 30.43, 38.86, 39.0);
    /// assert!((e - 1.226).abs() < 1e-3);
    /// ```
    pub fn conditional_expected_transactions(&self, x: u64, recency: f64, age: f64, t: f64) -> f64 {
        self.conditional_expected_transactions_at(x, recency, age, &[t])[0]
    }

    /// E[X(t)] at each t: expected transactions of a new customer in (0, t] weeks.
    pub fn expected_transactions_at(&self, ts: &[f64]) -> Vec<f64> {
        self.conditional_expected_transactions_at(0, 0.0, 0.0, ts)
    }

    /// E[X(t)].
    pub fn expected_transactions(&self, t: f64) -> f64 {
        self.expected_transactions_at(&[t])[0]
    }
}

/// P(alive) of many customers under one model at whole days, the same figures as
/// [`PurchaseParams::probability_alive`] at `weeks(recency_days)` and `weeks(age_days)`.
/// For Pareto/NBD, each customer's A₀ takes G at two days ([`ParetoTail`]): here G is made
/// once per x and day, and the tail once per x, where a customer alone makes both (and a
/// continued fraction each) again. Customers are best given by x, as
/// [`super::summary::group_customers`] and the holdout's groups come; any order gives the
/// same figures.
pub(crate) struct AliveAtDays {
    params: PurchaseParams,
    pareto: Option<ParetoDays>,
}

/// What [`AliveAtDays`] keeps for Pareto/NBD: the x its tail and days are for.
struct ParetoDays {
    plain: Pareto<Dual<0>>,
    ln_beta: Dual<0>,
    x: u64,
    /// ln(s/(r+s+x)) and G's tail for `x` (`None` outside the tail's domain).
    dead_scale: Dual<0>,
    tail: Option<ParetoTail<Dual<0>>>,
    /// ln G at each day for `x`.
    log_tail: ByDayForX<Dual<0>>,
    /// ln(1+T/α) and ln(1+T/β) at each day.
    growth: ByDayForX<(Dual<0>, Dual<0>)>,
}

impl AliveAtDays {
    pub(crate) fn new(params: &PurchaseParams) -> Self {
        let pareto = match params {
            PurchaseParams::ParetoNbd(p) => {
                let plain = p.plain();
                Some(ParetoDays {
                    plain,
                    ln_beta: plain.beta.ln(),
                    x: u64::MAX,
                    dead_scale: Dual::constant(f64::NAN),
                    tail: None,
                    log_tail: ByDayForX::default(),
                    growth: ByDayForX::default(),
                })
            }
            _ => None,
        };
        AliveAtDays {
            params: *params,
            pareto,
        }
    }

    /// P(alive | x, tₓ, T) with tₓ and T in days.
    pub(crate) fn get(&mut self, x: u64, recency_days: u32, age_days: u32) -> f64 {
        let Some(days) = &mut self.pareto else {
            return self
                .params
                .probability_alive(x, weeks(recency_days), weeks(age_days));
        };
        days.probability_alive(x, recency_days.min(age_days), age_days)
    }
}

impl ParetoDays {
    /// [`ParetoNbdParams::probability_alive`] step by step, with what depends on x alone or
    /// on the day alone kept.
    fn probability_alive(&mut self, x: u64, recency_days: u32, age_days: u32) -> f64 {
        if self.x != x {
            self.x = x;
            self.dead_scale = self.plain.dead_scale(x);
            self.tail = self.plain.tail(x);
        }
        let log_a0 = match &self.tail {
            None => Dual::constant(f64::NAN),
            Some(_) if age_days <= recency_days => Dual::constant(f64::NEG_INFINITY),
            Some(tail) => {
                let mut log_tail = |day: u32| {
                    self.log_tail
                        .get_or_make(x, day, || tail.log_scaled_tail(weeks(day)))
                };
                difference(log_tail(recency_days), log_tail(age_days)) - self.ln_beta
            }
        };
        // ln(1+T/α) and ln(1+T/β) depend on the day alone: one x for them all.
        let plain = self.plain;
        let growth = self
            .growth
            .get_or_make(0, age_days, || plain.growth(weeks(age_days)));
        let (alive, dead) = plain.alive_and_dead(x, growth, self.dead_scale, log_a0);
        if dead.value() == f64::NEG_INFINITY {
            return 1.0;
        }
        logistic(alive.value() - dead.value())
    }
}

/// Which way a parameter ran.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum BoundaryLimit {
    /// The parameter grows without bound.
    Infinity,
    /// The parameter shrinks towards 0.
    Zero,
    /// The data do not pin the parameter down (a flat ridge of the likelihood).
    Undetermined,
}

/// A parameter of a fit that is not an interior maximum, and what that means.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct BoundaryNote {
    /// The parameter's name as in [`PurchaseModel::parameter_names`].
    pub parameter: String,
    pub limit: BoundaryLimit,
    /// What it means for the shop, in Japanese.
    pub meaning: String,
}

impl BoundaryNote {
    fn new(model: PurchaseModel, parameter: &str, limit: BoundaryLimit) -> Self {
        use BoundaryLimit::*;
        let label = model.label();
        let meaning = match (model, parameter, limit) {
            (_, _, Undetermined) => format!(
                "{label}のパラメータ{parameter}はデータから決まりませんでした（尤度が平らです）。予測は最良点から出していますが、幅を持って見てください。"
            ),
            (PurchaseModel::BgNbd | PurchaseModel::MbgNbd, "b", Infinity)
            | (PurchaseModel::BgNbd | PurchaseModel::MbgNbd, "a", Zero) => format!(
                "{label}: 購入のあとに離脱する確率がほぼ0と推定されました（{parameter}→{}）。データの期間では離脱がほとんど見えません。",
                limit_symbol(limit)
            ),
            (PurchaseModel::ParetoNbd, "s", Zero) | (PurchaseModel::ParetoNbd, "beta", Infinity) => format!(
                "{label}: 離脱の速さがほぼ0と推定されました（{parameter}→{}）。データの期間では離脱がほとんど見えません。",
                limit_symbol(limit)
            ),
            (_, "r", Infinity) | (_, "alpha", Infinity) => format!(
                "{label}: 購入頻度の顧客ごとのばらつきがほぼないと推定されました（{parameter}→∞）。全員がほぼ同じ頻度で買うとみなしています。"
            ),
            _ => format!(
                "{label}: パラメータ{parameter}が境界（→{}）に向かい、内側の最尤点がありません。予測は最良点から出しています。",
                limit_symbol(limit)
            ),
        };
        BoundaryNote {
            parameter: parameter.to_string(),
            limit,
            meaning,
        }
    }
}

fn limit_symbol(limit: BoundaryLimit) -> &'static str {
    match limit {
        BoundaryLimit::Infinity => "∞",
        BoundaryLimit::Zero => "0",
        BoundaryLimit::Undetermined => "?",
    }
}

/// The result of fitting one model of purchase counts.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PurchaseFit {
    pub model: PurchaseModel,
    /// The maximum-likelihood point, or the best point found when the likelihood runs to
    /// a boundary (then see [`Self::boundary`]).
    pub params: PurchaseParams,
    /// Standard errors in the order of [`PurchaseModel::parameter_names`]; `None` for a
    /// parameter at a boundary or not determined.
    pub standard_errors: [Option<f64>; 4],
    /// 対数尤度 (sum over customers).
    pub log_likelihood: f64,
    /// −2 LL + k ln n, k = 4 parameters, n = customers.
    pub bic: f64,
    pub customers: u64,
    pub repeat_customers: u64,
    /// Distinct (x, tₓ, T) groups.
    pub groups: u64,
    /// An interior maximum with every parameter determined.
    pub converged: bool,
    /// Empty when converged; otherwise the parameters at a boundary and what that means.
    pub boundary: Vec<BoundaryNote>,
    pub iterations: u64,
    pub optimizer: Optimizer,
}

/// Pareto/NBD's negative mean log-likelihood over log-parameters, with its gradient (and for
/// Newton's method and the standard errors its Hessian) carried through the same evaluation
/// ([`Dual`], [`Hyper4`]): A₀ has no closed-form derivative in r and s (BG/NBD and MBG/NBD
/// have an analytic one, see [`BgNbdObjective`]).
struct ParetoObjective<'a> {
    groups: &'a [SummaryGroup],
    total_weight: f64,
}

impl<'a> ParetoObjective<'a> {
    fn new(groups: &'a [SummaryGroup]) -> Self {
        ParetoObjective {
            groups,
            total_weight: groups.iter().map(|g| g.weight as f64).sum(),
        }
    }

    fn evaluate<T: Number>(&self, theta: &[f64]) -> T {
        let params = Pareto::<T>::at_log(theta);
        let nan = T::constant(f64::NAN);
        if ![params.r, params.alpha, params.s, params.beta]
            .iter()
            .all(|x| x.value() > 0.0 && x.value().is_finite())
        {
            return nan;
        }
        let ll = params.total_log_likelihood(self.groups);
        if ll.value().is_finite() {
            ll * (-1.0 / self.total_weight)
        } else {
            nan
        }
    }
}

impl Objective for ParetoObjective<'_> {
    fn dim(&self) -> usize {
        4
    }
    fn value_only(&self, theta: &[f64]) -> f64 {
        self.evaluate::<Dual<0>>(theta).v
    }
    fn value_and_gradient(&self, theta: &[f64], gradient: &mut [f64]) -> f64 {
        let value = self.evaluate::<Dual<4>>(theta);
        gradient.copy_from_slice(&value.d);
        value.v
    }
    fn with_hessian(&self, theta: &[f64]) -> Option<SecondOrder> {
        let value = self.evaluate::<Hyper4>(theta);
        Some(SecondOrder {
            value: value.v,
            gradient: value.g.to_vec(),
            hessian: value.hessian().iter().map(|row| row.to_vec()).collect(),
        })
    }
}

/// Starting points: a coarse grid on the log parameters, with α (and β) scaled so that
/// the mean purchase rate r/α (and the mean lifetime) match the data's.
fn starts(model: PurchaseModel, groups: &[SummaryGroup]) -> Vec<Vec<f64>> {
    let w: f64 = groups.iter().map(|g| g.weight as f64).sum();
    let mean_x = groups
        .iter()
        .map(|g| g.frequency as f64 * g.weight as f64)
        .sum::<f64>()
        / w;
    let mean_age = groups
        .iter()
        .map(|g| g.age_days as f64 / DAYS_PER_WEEK * g.weight as f64)
        .sum::<f64>()
        / w;
    let rate = (mean_x.max(1e-3) / mean_age.max(1.0)).clamp(1e-4, 10.0);
    let mut out = Vec::new();
    for r in [0.25f64, 1.0, 4.0] {
        let alpha = r / rate;
        match model {
            PurchaseModel::BgNbd | PurchaseModel::MbgNbd => {
                for a in [0.3f64, 1.0, 3.0] {
                    for b in [0.5f64, 2.0, 8.0] {
                        out.push(vec![r.ln(), alpha.ln(), a.ln(), b.ln()]);
                    }
                }
            }
            PurchaseModel::ParetoNbd => {
                for s in [0.3f64, 1.0, 3.0] {
                    for lifetimes in [0.5f64, 2.0, 8.0] {
                        let beta = s * lifetimes * mean_age.max(1.0);
                        out.push(vec![r.ln(), alpha.ln(), s.ln(), beta.ln()]);
                    }
                }
            }
        }
    }
    out
}

/// The negative mean log-likelihood of `model` over `groups`, in log-parameters.
fn objective(model: PurchaseModel, groups: &[SummaryGroup]) -> Box<dyn Objective + '_> {
    match model {
        PurchaseModel::BgNbd => Box::new(BgNbdObjective::new(groups)),
        PurchaseModel::MbgNbd => Box::new(BgNbdObjective::mbg(groups)),
        PurchaseModel::ParetoNbd => Box::new(ParetoObjective::new(groups)),
    }
}

/// Groups beyond which the grid is scored on a sample of them first.
const GRID_SAMPLE_ABOVE: usize = 20_000;
/// About how many groups that sample has. Pareto/NBD's pass costs by its (x, day) tails more
/// than by its groups, and a sample of 4,000 groups had nearly as many as every group: its
/// 27 passes were a tenth of the fit. With 1,000 the grid keeps the same best point on the
/// bench files and the test history.
const GRID_SAMPLE: usize = 1_000;
/// How many of the grid's best points on the sample are scored on every group.
const GRID_FINALISTS: usize = 4;

/// The grid of [`starts`], on a large file narrowed to the few points that score best on an
/// even sample of the groups (every k-th, so still sorted by x): the fit then scores only
/// those on every group and starts from the best, which is the grid's best point unless the
/// sample misjudges the order of the top few. (Should none of them be finite on every group,
/// the fit takes the whole grid.)
fn grid_starts(model: PurchaseModel, groups: &[SummaryGroup]) -> Vec<Vec<f64>> {
    let grid = starts(model, groups);
    if groups.len() <= GRID_SAMPLE_ABOVE {
        return grid;
    }
    let sample: Vec<SummaryGroup> = groups
        .iter()
        .step_by(groups.len() / GRID_SAMPLE)
        .copied()
        .collect();
    let objective = objective(model, &sample);
    let mut scored: Vec<(f64, Vec<f64>)> = grid
        .into_iter()
        .map(|theta| (objective.value_only(&theta), theta))
        .collect();
    // Points where the sample's likelihood is not finite go last; they stay candidates.
    scored.sort_by(|a, b| match (a.0.is_finite(), b.0.is_finite()) {
        (true, true) => a.0.total_cmp(&b.0),
        (x, y) => y.cmp(&x),
    });
    scored
        .into_iter()
        .take(GRID_FINALISTS)
        .map(|(_, theta)| theta)
        .collect()
}

/// Fit one model of purchase counts by maximum likelihood on grouped customers.
///
/// Over the log parameters: a coarse grid for the start, L-BFGS, Nelder–Mead from its best
/// point, a restart, and when the likelihood keeps rising towards a boundary (b → ∞,
/// α → 0, s → 0, …) the parameters that run off are held there and the others fitted:
/// the fit then has `converged = false` and [`PurchaseFit::boundary`] says which parameter
/// went where and what it means; its parameters are still the best point and predict.
///
/// # Errors
/// [`ModelErrorKind::TooFewCustomers`], [`ModelErrorKind::NoRepeatCustomers`], and
/// [`ModelErrorKind::NotConverged`] only when the likelihood is nowhere finite.
///
/// # Examples
/// ```
/// use ltv_core::model::{fit_purchase_model, PurchaseModel, SummaryGroup};
/// let g = |frequency, recency_days, age_days, weight| SummaryGroup {
///     frequency, recency_days, age_days, weight,
/// };
/// let groups = [
///     g(0, 0, 200, 50), g(1, 30, 200, 20), g(2, 150, 200, 10), g(4, 190, 200, 8),
///     g(3, 40, 200, 6), g(8, 195, 200, 5), g(1, 180, 190, 5),
/// ];
/// for model in PurchaseModel::ALL {
///     let fit = fit_purchase_model(model, &groups).unwrap();
///     assert_eq!((fit.customers, fit.repeat_customers), (104, 54));
///     assert!(fit.log_likelihood.is_finite() && fit.bic > 0.0);
/// }
/// ```
pub fn fit_purchase_model(
    model: PurchaseModel,
    groups: &[SummaryGroup],
) -> Result<PurchaseFit, ModelError> {
    fit_purchase_model_near(model, groups, None)
}

/// [`fit_purchase_model`] from another start: the parameters of a fit of the same model on
/// similar data (the calibration period's, when the whole history is fitted again), which is
/// usually the best start by far and saves most of the iterations; the grid is used only when
/// the likelihood is not finite there.
pub fn fit_purchase_model_near(
    model: PurchaseModel,
    groups: &[SummaryGroup],
    near: Option<&PurchaseParams>,
) -> Result<PurchaseFit, ModelError> {
    let customers: u64 = groups.iter().map(|g| g.weight).sum();
    let repeat_customers: u64 = groups
        .iter()
        .filter(|g| g.frequency > 0)
        .map(|g| g.weight)
        .sum();
    if customers < PURCHASE_MODEL_MIN_CUSTOMERS {
        return Err(ModelErrorKind::TooFewCustomers {
            model: model.model_name(),
            count: customers,
            minimum: PURCHASE_MODEL_MIN_CUSTOMERS,
        }
        .into());
    }
    if repeat_customers == 0 {
        return Err(ModelErrorKind::NoRepeatCustomers.into());
    }
    let w = customers as f64;
    let objective = objective(model, groups);
    let fit = |starts: &[Vec<f64>]| fit_robust(&objective, starts, w);
    let near = near
        .filter(|p| p.model() == model)
        .map(|p| p.values().iter().map(|v| v.ln()).collect::<Vec<f64>>());
    // A nearby fit (the same history but shorter) is the start by itself: the grid only
    // chooses a start, and on a large file each of its 27 points is a pass over every group.
    // The grid still serves when the likelihood is not finite there.
    let from_grid = || fit(&grid_starts(model, groups)).or_else(|_| fit(&starts(model, groups)));
    let estimate = match near {
        Some(start) => fit(&[start]).or_else(|_| from_grid()),
        None => from_grid(),
    }
    .map_err(|f| {
        ModelError::new(ModelErrorKind::NotConverged {
            model: model.model_name(),
            iterations: f.iterations,
        })
    })?;
    let th = &estimate.theta;
    let params =
        PurchaseParams::from_values(model, [th[0].exp(), th[1].exp(), th[2].exp(), th[3].exp()]);
    let names = model.parameter_names();
    let mut boundary = Vec::new();
    for ((name, theta), held) in names.iter().zip(th).zip(&estimate.at_boundary) {
        if *held {
            let limit = if *theta > 0.0 {
                BoundaryLimit::Infinity
            } else {
                BoundaryLimit::Zero
            };
            boundary.push(BoundaryNote::new(model, name, limit));
        }
    }
    for ((name, held), se) in names
        .iter()
        .zip(&estimate.at_boundary)
        .zip(&estimate.standard_errors)
    {
        if !*held && se.is_none() {
            boundary.push(BoundaryNote::new(model, name, BoundaryLimit::Undetermined));
        }
    }
    let log_likelihood = -estimate.value * w;
    let se = &estimate.standard_errors;
    Ok(PurchaseFit {
        model,
        params,
        standard_errors: [se[0], se[1], se[2], se[3]],
        log_likelihood,
        bic: -2.0 * log_likelihood + model.parameter_count() as f64 * w.ln(),
        customers,
        repeat_customers,
        groups: groups.len() as u64,
        converged: estimate.converged,
        boundary,
        iterations: estimate.iterations,
        optimizer: estimate.optimizer,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Relative agreement with the independent script.
    const AGREE: f64 = 1e-7;

    fn params(model: PurchaseModel) -> PurchaseParams {
        match model {
            PurchaseModel::BgNbd => {
                PurchaseParams::from_values(model, [0.243, 4.414, 0.793, 2.426])
            }
            PurchaseModel::ParetoNbd => {
                PurchaseParams::from_values(model, [0.5533, 10.578, 0.6062, 11.669])
            }
            PurchaseModel::MbgNbd => {
                PurchaseParams::from_values(model, [0.5248, 6.183, 0.8914, 1.614])
            }
        }
    }

    fn agree(got: f64, want: f64, what: &str) {
        assert!(
            (got - want).abs() <= AGREE * want.abs().max(1e-3),
            "{what}: {got} vs {want}"
        );
    }

    /// The figures printed by `core/tests/independent/models.py` (pure Python, written from
    /// the papers' formulas with a plain ₂F₁ series): E[X(39)], E[X(78)], then per customer
    /// (x, tₓ, T) P(alive) and E[Y(39) | x, tₓ, T], with the published CDNOW parameters.
    #[test]
    fn point_checks_against_the_independent_script() {
        let customers = [
            (0u64, 0.0, 38.86),
            (1, 2.0, 30.0),
            (2, 30.43, 38.86),
            (5, 10.0, 38.0),
            (7, 35.0, 38.0),
        ];
        #[rustfmt::skip]
        let printed: [(PurchaseModel, [f64; 2], [[f64; 2]; 5]); 3] = [
            (PurchaseModel::BgNbd, [1.1967231933, 1.8605190579], [
                [1.0000000000, 0.1950980520], [0.2748725860, 0.3204866693],
                [0.7265785701, 1.2260281748], [0.0274815797, 0.1063763949],
                [0.8619910651, 4.5561852766],
            ]),
            (PurchaseModel::ParetoNbd, [1.2134656128, 1.9099928455], [
                [0.2951181603, 0.1070720877], [0.2507549430, 0.3017707174],
                [0.8691242544, 1.4551353139], [0.0517206902, 0.1911770649],
                [0.9528240246, 4.7903779083],
            ]),
            (PurchaseModel::MbgNbd, [1.1821661637, 1.8034481237], [
                [0.3897227917, 0.1539447734], [0.2331126387, 0.3096091572],
                [0.7061177324, 1.2626285628], [0.0280629371, 0.1076869581],
                [0.8505915071, 4.3932255812],
            ]),
        ];
        for (model, ex, rows) in printed {
            let p = params(model);
            agree(
                p.expected_transactions(39.0),
                ex[0],
                &format!("{model:?} E[X(39)]"),
            );
            agree(
                p.expected_transactions(78.0),
                ex[1],
                &format!("{model:?} E[X(78)]"),
            );
            for ((x, tx, age), [alive, ey]) in customers.into_iter().zip(rows) {
                let what = format!("{model:?} x={x} tx={tx} T={age}");
                agree(
                    p.probability_alive(x, tx, age),
                    alive,
                    &format!("{what} P(alive)"),
                );
                agree(
                    p.conditional_expected_transactions(x, tx, age, 39.0),
                    ey,
                    &format!("{what} E[Y(39)]"),
                );
            }
        }
        let pareto = params(PurchaseModel::ParetoNbd);
        agree(
            pareto.log_likelihood(2, 30.43, 38.86),
            -9.5542536216,
            "Pareto LL",
        );
    }

    /// ln A₀ as `core/tests/independent/pareto_a0.py` prints it: the integral's definition,
    /// by quadrature at 40 digits, in the regions where the ₂F₁ series needed too many terms,
    /// on both sides of α = β (which way A₀'s integral is turned). (r, α, s, β, x, tₓ, T).
    type Customer = (f64, f64, f64, f64, u64, f64, f64);

    #[test]
    #[allow(clippy::excessive_precision)]
    fn pareto_a0_matches_the_integral() {
        #[rustfmt::skip]
        let printed: [(Customer, f64); 12] = [
            ((0.5533, 10.578, 0.6062, 11.669, 2, 30.43, 38.86), -12.579833623888074),
            ((0.5, 3.0, 0.7, 20.0, 1, 2.0, 30.0), -5.4775455556259815),
            ((0.3, 1.0, 5.0, 500.0, 7, 20.0, 40.0), -56.089761444019543),
            ((0.3, 1.0, 5.0, 500.0, 0, 0.0, 40.0), -32.933199127977942),
            ((0.9, 2.0, 40.0, 4000.0, 3, 10.0, 52.0), -344.71417148298196),
            ((0.9, 2.0, 4000.0, 400000.0, 3, 10.0, 52.0), -51609.920150945209),
            ((9000.0, 96000.0, 9.7, 106.5, 4, 30.0, 47.0), -103339.41575304792),
            ((1.0, 0.05, 0.8, 30.0, 0, 0.0, 60.0), -3.8380469930006632),
            ((2.0, 5.0, 1.0, 8.0, 3, 12.0, 40.0), -17.283328630027486),
            ((0.6, 6.0, 0.9, 31.0, 60, 50.0, 52.0), -248.37637837736495),
            ((0.6, 6.0, 0.9, 31.0, 5, 51.857142857142854, 52.0), -31.199835554592832),
            ((0.6, 31.0, 0.9, 6.0, 5, 20.0, 52.0), -24.508239939160464),
        ];
        for ((r, alpha, s, beta, x, tx, age), want) in printed {
            let got = ParetoNbdParams { r, alpha, s, beta }.log_a0(x, tx, age);
            assert!(
                (got - want).abs() <= 1e-11 * want.abs().max(1.0),
                "{:?}: {got} vs {want}",
                (r, alpha, s, beta, x, tx, age)
            );
        }
    }

    /// The whole log-likelihood of one customer where a fit runs to a boundary (r and α in
    /// the hundreds of thousands: customers who all buy at one rate), as
    /// `core/tests/independent/pareto_a0.py` prints it at 40 digits. Its terms are millions
    /// (r ln α, ln Γ(r+x)) and cancel to a few units; computed as they stand they lose ten
    /// digits, and a fit's central differences see noise instead of a slope.
    #[test]
    #[allow(clippy::excessive_precision)]
    fn pareto_likelihood_at_a_boundary() {
        let steady = (
            227052.99796729122,
            2374074.07368377,
            120.61736238305605,
            1543.6498926447252,
        );
        type Point = ((f64, f64, f64, f64), (u64, f64, f64), f64);
        #[rustfmt::skip]
        let printed: [Point; 6] = [
            (steady, (0, 0.0, 40.0), -0.80010529372577201231),
            (steady, (3, 20.0, 52.0), -11.310380887638259053),
            (steady, (12, 50.0, 52.0), -36.969628111117135791),
            (steady, (40, 51.0, 52.0), -102.77473848589143253),
            ((0.9, 2.0, 4000.0, 400000.0), (3, 10.0, 52.0), -10.76983810079894176),
            ((9000.0, 96000.0, 9.7, 106.5), (4, 30.0, 47.0), -15.464826151203883618),
        ];
        for ((r, alpha, s, beta), (x, tx, age), want) in printed {
            let p = ParetoNbdParams { r, alpha, s, beta };
            let got = p.log_likelihood(x, tx, age);
            assert!(
                (got - want).abs() <= 1e-13 * want.abs().max(1.0),
                "{:?}: {got} vs {want}",
                (r, alpha, s, beta, x, tx, age)
            );
            // The grouped form the fit uses gives the same.
            let day = |weeks: f64| (weeks * DAYS_PER_WEEK).round() as u32;
            let group = SummaryGroup {
                frequency: x,
                recency_days: day(tx),
                age_days: day(age),
                weight: 1,
            };
            let grouped = p.plain().total_log_likelihood(&[group]).v;
            let by_day = p.log_likelihood(
                x,
                f64::from(group.recency_days) / DAYS_PER_WEEK,
                f64::from(group.age_days) / DAYS_PER_WEEK,
            );
            assert!(
                (grouped - by_day).abs() <= 1e-13 * by_day.abs().max(1.0),
                "grouped {grouped} vs {by_day}"
            );
        }
    }

    /// MBG/NBD's likelihood, per customer and as the fit's objective (grouped, with the
    /// analytic gradient), against the independent script and against central differences.
    #[test]
    fn mbg_likelihood_and_its_gradient() {
        let p = params(PurchaseModel::MbgNbd);
        let printed = [
            ((0u64, 0.0, 38.86), -0.5395684358),
            ((2, 30.43, 38.86), -9.4859091957),
            ((7, 35.0, 38.0), -21.9442930374),
        ];
        for ((x, tx, age), ll) in printed {
            agree(p.log_likelihood(x, tx, age), ll, &format!("MBG LL x={x}"));
        }
        let groups = history(3000, 0.4, 11);
        let weight: f64 = groups.iter().map(|g| g.weight as f64).sum();
        let objective = BgNbdObjective::mbg(&groups);
        let at = |theta: [f64; 4]| {
            let p = PurchaseParams::from_values(PurchaseModel::MbgNbd, theta.map(f64::exp));
            groups
                .iter()
                .map(|g| {
                    let (tx, age) = (g.recency_days as f64 / 7.0, g.age_days as f64 / 7.0);
                    g.weight as f64 * p.log_likelihood(g.frequency, tx, age)
                })
                .sum::<f64>()
        };
        for theta in [
            [0.1f64, 1.2, -0.3, 0.8],
            [-1.5, 2.5, 1.0, 3.0],
            [0.7, 0.2, -2.0, -1.0],
        ] {
            let mut gradient = [0.0; 4];
            let value = objective.value_and_gradient(&theta, &mut gradient);
            let ll = at(theta);
            assert!(
                (value * weight + ll).abs() < 1e-9 * ll.abs(),
                "{value} vs {ll}"
            );
            for i in 0..4 {
                let h = 1e-6;
                let (mut up, mut down) = (theta, theta);
                up[i] += h;
                down[i] -= h;
                let numeric = -(at(up) - at(down)) / (2.0 * h) / weight;
                assert!(
                    (numeric - gradient[i]).abs() < 1e-6,
                    "{theta:?} ∂{i}: {numeric} vs {}",
                    gradient[i]
                );
            }
        }
    }

    #[test]
    fn json_names() {
        let names: Vec<&str> = PurchaseModel::ALL.iter().map(|m| m.json_name()).collect();
        assert_eq!(names, ["bg_nbd", "pareto_nbd", "mbg_nbd"]);
    }

    /// A random realistic history: `customers` buyers over 52 weeks of days, a share of
    /// them repeat buyers with a rate and a last purchase drawn from the seed.
    fn history(customers: u64, repeat_share: f64, seed: u64) -> Vec<SummaryGroup> {
        let mut state = seed
            .wrapping_mul(6364136223846793005)
            .wrapping_add(1442695040888963407);
        let mut next = move || {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            ((state >> 33) as f64) / (1u64 << 31) as f64
        };
        let mut groups = Vec::new();
        for _ in 0..customers {
            let age = 7 + (next() * 357.0) as u32;
            if next() < repeat_share {
                let frequency = 1 + (next() * next() * 15.0) as u64;
                let recency = ((next().sqrt() * age as f64) as u32).max(1).min(age);
                groups.push(SummaryGroup {
                    frequency,
                    recency_days: recency,
                    age_days: age,
                    weight: 1,
                });
            } else {
                groups.push(SummaryGroup {
                    frequency: 0,
                    recency_days: 0,
                    age_days: age,
                    weight: 1,
                });
            }
        }
        groups
    }

    /// Pareto/NBD's gradient, carried through A₀'s continued fraction and series, against
    /// central differences of its value: at CDNOW's fit, on both sides of α = β, with A₀
    /// summed as a series in w (s small, w below w*), and where a fit runs to a boundary.
    #[test]
    fn pareto_gradient_matches_differences() {
        let g = |frequency, recency_days, age_days, weight| SummaryGroup {
            frequency,
            recency_days,
            age_days,
            weight,
        };
        let groups = [
            g(0, 0, 270, 40),
            g(1, 30, 270, 12),
            g(1, 200, 250, 7),
            g(2, 150, 270, 9),
            g(4, 260, 270, 6),
            g(7, 40, 200, 3),
            g(12, 265, 270, 2),
            g(40, 269, 270, 1),
        ];
        let objective = ParetoObjective {
            groups: &groups,
            total_weight: 80.0,
        };
        let points: [[f64; 4]; 6] = [
            [0.5533, 10.578, 0.6062, 11.669],
            [0.5, 40.0, 0.7, 3.0],
            [2.0, 5.0, 0.05, 300.0],
            [0.9, 2.0, 4000.0, 400000.0],
            [9000.0, 96000.0, 9.7, 106.5],
            [227052.99, 2374074.07, 120.6, 1543.6],
        ];
        for point in points {
            let theta: Vec<f64> = point.iter().map(|v| v.ln()).collect();
            let mut gradient = [0.0; 4];
            let value = objective.value_and_gradient(&theta, &mut gradient);
            assert_eq!(value, objective.value_only(&theta), "{point:?}");
            for i in 0..4 {
                let h = 1e-5;
                let mut at = theta.clone();
                at[i] += h;
                let plus = objective.value_only(&at);
                at[i] -= 2.0 * h;
                let minus = objective.value_only(&at);
                let numeric = (plus - minus) / (2.0 * h);
                assert!(
                    (gradient[i] - numeric).abs() <= 1e-6 * numeric.abs().max(1.0),
                    "{point:?} ∂θ{i}: {} vs {numeric}",
                    gradient[i]
                );
            }
        }
    }

    /// A shop whose customers all buy at one rate (gaps of 1 + Exp(40 days)) and stop with a
    /// 45 % chance after each order: the Pareto/NBD fit runs towards r, α → ∞ with β far
    /// below α, where the ₂F₁ argument of A₀ nears 1. That once took minutes; now the fit
    /// ends, finite, and explains the data better than BG/NBD, whose dropout it can mimic.
    #[test]
    fn pareto_fit_where_every_customer_buys_at_one_rate() {
        let mut seed: u64 = 12345;
        let mut random = move || {
            seed = (seed * 1103515245 + 12345) % 2147483648;
            seed as f64 / 2147483648.0
        };
        let mut groups = Vec::new();
        for _ in 0..3000 {
            let first = (random() * 300.0) as u32;
            let (mut day, mut last, mut repeats) = (first, first, 0u64);
            while random() >= 0.45 {
                day += 1 + (-(1.0 - random()).ln() * 40.0) as u32;
                if day >= 330 {
                    break;
                }
                last = day;
                repeats += 1;
            }
            groups.push((repeats, last - first, 330 - first));
        }
        groups.sort_unstable();
        let groups: Vec<SummaryGroup> = groups
            .chunk_by(|a, b| a == b)
            .map(|run| SummaryGroup {
                frequency: run[0].0,
                recency_days: run[0].1,
                age_days: run[0].2,
                weight: run.len() as u64,
            })
            .collect();
        let pareto = fit_purchase_model(PurchaseModel::ParetoNbd, &groups).unwrap();
        let bg = fit_purchase_model(PurchaseModel::BgNbd, &groups).unwrap();
        assert!(pareto.log_likelihood.is_finite(), "{pareto:?}");
        assert!(
            pareto.converged || !pareto.boundary.is_empty(),
            "{pareto:?}"
        );
        assert!(
            pareto.log_likelihood > bg.log_likelihood,
            "{} vs {}",
            pareto.log_likelihood,
            bg.log_likelihood
        );
    }

    /// On a large file the grid is narrowed on a sample, and the point that scores best on
    /// every group is still among the few kept: the fit starts where it started before.
    #[test]
    fn the_grid_narrowed_on_a_sample_keeps_its_best_point() {
        let mut groups = history(30_000, 0.4, 11);
        groups.sort_unstable();
        assert!(groups.len() > GRID_SAMPLE_ABOVE);
        for model in PurchaseModel::ALL {
            let full = objective(model, &groups);
            let grid = starts(model, &groups);
            let best = grid
                .iter()
                .min_by(|a, b| full.value_only(a).total_cmp(&full.value_only(b)))
                .unwrap();
            let kept = grid_starts(model, &groups);
            assert_eq!(kept.len(), GRID_FINALISTS);
            assert!(kept.contains(best), "{model:?}");
            // A small file scores the whole grid.
            assert_eq!(
                grid_starts(model, &groups[..5_000]),
                starts(model, &groups[..5_000])
            );
        }
    }

    /// A refit from a nearby fit (the calibration period's, on the whole history) starts there
    /// alone and reaches the maximum the grid reaches, in fewer iterations; where the
    /// likelihood is not finite at the nearby point, the grid serves as before.
    #[test]
    fn a_refit_from_a_nearby_fit() {
        let shorter = history(1500, 0.4, 7);
        let longer = history(2500, 0.4, 8);
        for model in PurchaseModel::ALL {
            let near = fit_purchase_model(model, &shorter).unwrap().params;
            let grid = fit_purchase_model(model, &longer).unwrap();
            let refit = fit_purchase_model_near(model, &longer, Some(&near)).unwrap();
            assert!(
                refit.log_likelihood >= grid.log_likelihood - 1e-6,
                "{model:?}: {} vs {}",
                refit.log_likelihood,
                grid.log_likelihood
            );
            // A parameter held at a boundary may stop anywhere out there; the others agree.
            assert_eq!(refit.boundary, grid.boundary, "{model:?}");
            let held: Vec<&str> = grid.boundary.iter().map(|b| b.parameter.as_str()).collect();
            let values = refit.params.values().into_iter().zip(grid.params.values());
            for (name, (a, b)) in model.parameter_names().iter().zip(values) {
                if !held.contains(name) {
                    assert!((a - b).abs() < 1e-3 * b, "{model:?} {name}: {a} vs {b}");
                }
            }
            assert!(refit.iterations < grid.iterations, "{model:?}");
            let nowhere = PurchaseParams::from_values(model, [f64::MAX; 4]);
            let fallback = fit_purchase_model_near(model, &longer, Some(&nowhere)).unwrap();
            assert_eq!(fallback, grid, "{model:?}");
        }
    }

    proptest! {
        /// The fit's grouped Pareto/NBD likelihood (the bracket from G's two days, three
        /// exponentials and logarithms) agrees with each customer's own (A₀'s log first, then
        /// the two terms' logs added), whichever term is larger, at tₓ = T, at tₓ = 0, and out
        /// where a fit runs to a boundary.
        #[test]
        fn pareto_grouped_likelihood_is_the_customers_sum(
            log_params in proptest::array::uniform4(-3.0f64..18.0),
            groups in proptest::collection::vec((0u64..40, 0u32..800, 0u32..800, 1u64..5), 1..40),
        ) {
            let [r, alpha, s, beta] = log_params.map(f64::exp);
            let p = ParetoNbdParams { r, alpha, s, beta };
            let mut groups: Vec<SummaryGroup> = groups
                .into_iter()
                .map(|(frequency, a, b, weight)| SummaryGroup {
                    frequency,
                    recency_days: a.min(b),
                    age_days: a.max(b),
                    weight,
                })
                .collect();
            groups.sort_by_key(|g| g.frequency);
            let grouped = p.plain().total_log_likelihood(&groups).v;
            let each: f64 = groups
                .iter()
                .map(|g| {
                    g.weight as f64 * p.log_likelihood(g.frequency, weeks(g.recency_days), weeks(g.age_days))
                })
                .sum();
            prop_assume!(each.is_finite());
            prop_assert!(
                (grouped - each).abs() <= 1e-11 * each.abs().max(1.0),
                "{p:?}: grouped {grouped} vs {each}"
            );
        }
    }

    proptest! {
        /// Pareto/NBD's likelihood in second derivatives ([`Hyper4`], for Newton's method and
        /// the standard errors): its value and gradient are the gradient pass's to rounding
        /// (the continued fraction is summed from its last term back, and its derivatives and
        /// the series' come through their own three variables), and its Hessian the central
        /// differences of that gradient, on random groups and parameters.
        #[test]
        fn pareto_hessian_is_the_gradients_slope(
            theta in proptest::array::uniform4(-2.0f64..4.0),
            groups in proptest::collection::vec((0u64..15, 0u32..400, 0u32..400, 1u64..20), 1..40),
        ) {
            let mut groups: Vec<SummaryGroup> = groups
                .into_iter()
                .map(|(frequency, a, b, weight)| SummaryGroup {
                    frequency,
                    recency_days: if frequency == 0 { 0 } else { a.min(b) },
                    age_days: a.max(b),
                    weight,
                })
                .collect();
            groups.sort_by_key(|g| g.frequency);
            let objective = ParetoObjective::new(&groups);
            let mut gradient = [0.0; 4];
            let value = objective.value_and_gradient(&theta, &mut gradient);
            prop_assume!(value.is_finite());
            let second = objective.with_hessian(&theta).expect("Pareto/NBD has its Hessian");
            prop_assert!((second.value - value).abs() <= 1e-13 * value.abs().max(1.0), "{} vs {value}", second.value);
            // Rounding is of the size of the likelihood's terms, not of a gradient that
            // cancels to near 0 (as it does near a maximum).
            let size = gradient.iter().fold(value.abs().max(1.0), |m, g| m.max(g.abs()));
            for (got, want) in second.gradient.iter().zip(gradient) {
                prop_assert!((got - want).abs() <= 1e-12 * size, "{:?} vs {gradient:?}", second.gradient);
            }
            // Against central differences of the gradient (steps of 10⁻⁵ θ), whose own
            // rounding reaches ~10⁻⁸ where the entries are small and the parameters large
            // (differences with longer steps converge on the exact entry there), hence the
            // floor.
            let exact = second.hessian;
            let differenced = crate::model::optim::differenced_hessian(&objective, &theta, 1.0);
            let size = exact.iter().flatten().fold(0.0f64, |m, h| m.max(h.abs()));
            for (i, j) in (0..4).flat_map(|i| (0..4).map(move |j| (i, j))) {
                prop_assert!(
                    (exact[i][j] - differenced[i][j]).abs() <= 1e-6 * size + 1e-7,
                    "[{i}][{j}]: {} exactly, {} by differences", exact[i][j], differenced[i][j]
                );
            }
        }
    }

    proptest! {
        /// P(alive) kept by x and day gives each customer's own figure to the last bit, for
        /// every model, customers in any order (x changing back and forth), tₓ = T, tₓ > T,
        /// and parameters out where a fit runs to a boundary.
        #[test]
        fn alive_at_days_is_each_customers_own_figure(
            log_params in proptest::array::uniform4(-3.0f64..18.0),
            customers in proptest::collection::vec((0u64..40, 0u32..800, 0u32..800), 1..60),
        ) {
            for model in PurchaseModel::ALL {
                let params = PurchaseParams::from_values(model, log_params.map(f64::exp));
                let mut kept = AliveAtDays::new(&params);
                for &(x, recency_days, age_days) in &customers {
                    let own = params.probability_alive(
                        x,
                        weeks(recency_days),
                        weeks(age_days),
                    );
                    let got = kept.get(x, recency_days, age_days);
                    prop_assert!(
                        got.to_bits() == own.to_bits(),
                        "{model:?} {params:?} ({x}, {recency_days}, {age_days}): {got} vs {own}"
                    );
                }
            }
        }
    }

    proptest! {
        #![proptest_config(ProptestConfig { cases: 4, ..ProptestConfig::default() })]

        /// Each model either converges or reports a boundary, and never gives NaN.
        #[test]
        fn fits_converge_or_report_a_boundary(
            customers in 50u64..5_000,
            repeat_share in 0.05f64..0.8,
            seed in any::<u64>(),
        ) {
            let groups = history(customers, repeat_share, seed);
            prop_assume!(groups.iter().any(|g| g.frequency > 0));
            for model in PurchaseModel::ALL {
                let fit = fit_purchase_model(model, &groups).unwrap();
                prop_assert!(fit.log_likelihood.is_finite(), "{model:?}: {fit:?}");
                prop_assert!(fit.params.values().iter().all(|v| v.is_finite() && *v > 0.0));
                prop_assert!(fit.converged || !fit.boundary.is_empty(), "{model:?}: {fit:?}");
                let p = fit.params;
                for g in groups.iter().take(50) {
                    let (tx, age) = (g.recency_days as f64 / 7.0, g.age_days as f64 / 7.0);
                    let alive = p.probability_alive(g.frequency, tx, age);
                    let e = p.conditional_expected_transactions(g.frequency, tx, age, 52.0);
                    prop_assert!((0.0..=1.0).contains(&alive) && e.is_finite() && e >= 0.0,
                        "{model:?} {g:?}: {alive} {e}");
                }
            }
        }
    }
}
