//! The Gaussian hypergeometric function ₂F₁, which the BG/NBD expectations need, and the
//! Pareto/NBD likelihood's A₀ ([`log_pareto_a0`]), an integral that ₂F₁ series could not
//! sum where the fit runs to a boundary.
//!
//! `statrs` has ln Γ and ψ but not ₂F₁, so it is summed here as its power series, with
//! Pfaff's transformation for negative arguments so that the series argument stays in
//! [0, 1). BG/NBD's E[Y(t)] uses it where a is large, and a transformed series of its own
//! elsewhere (see [`super::bgnbd`]).

use std::cell::RefCell;

use super::dual::{Dual, Number};

/// Relative size of the last term (and of the geometric tail bound) at which a series stops.
pub(crate) const SERIES_TOLERANCE: f64 = 1e-16;

/// Most terms summed before a series is declared not to converge.
pub(crate) const MAX_SERIES_TERMS: u64 = 2_000_000;

/// ₂F₁(a, b; c; z) for real parameters and −1 < z < 1, or `None` when `c` is zero or a
/// negative integer, `z` is outside that range, or the series does not converge.
///
/// # Formula
/// ₂F₁(a, b; c; z) = Σₙ (a)ₙ (b)ₙ / (c)ₙ · zⁿ / n!, and for z < 0 Pfaff's
/// ₂F₁(a, b; c; z) = (1 − z)^(−a) ₂F₁(a, c − b; c; z / (z − 1)).
///
/// ## References
/// - Abramowitz & Stegun, *Handbook of Mathematical Functions*, 15.1.1 and 15.3.4.
///
/// # Examples
/// ```
/// use ltv_core::model::hyp2f1;
/// // ₂F₁(1, 1; 2; z) = −ln(1 − z) / z
/// let z = 0.5;
/// let f = hyp2f1(1.0, 1.0, 2.0, z).unwrap();
/// assert!((f - (-(1.0f64 - z).ln() / z)).abs() < 1e-14);
/// ```
pub fn hyp2f1(a: f64, b: f64, c: f64, z: f64) -> Option<f64> {
    if !(a.is_finite() && b.is_finite() && c.is_finite() && z.is_finite()) {
        return None;
    }
    if c <= 0.0 && c == c.floor() {
        return None;
    }
    if !(-1.0 < z && z < 1.0) {
        return None;
    }
    if z < 0.0 {
        let w = z / (z - 1.0);
        return Some((1.0 - z).powf(-a) * series(a, c - b, c, w, MAX_SERIES_TERMS)?);
    }
    series(a, b, c, z, MAX_SERIES_TERMS)
}

/// The plain power series for 0 ≤ z < 1.
fn series(a: f64, b: f64, c: f64, z: f64, max_terms: u64) -> Option<f64> {
    let mut term = 1.0f64;
    let mut sum = 1.0f64;
    let mut n = 0.0f64;
    for _ in 0..max_terms {
        let ratio = (a + n) * (b + n) / ((c + n) * (n + 1.0)) * z;
        term *= ratio;
        sum += term;
        n += 1.0;
        if term == 0.0 {
            return Some(sum);
        }
        // The tail is bounded by a geometric series whose ratio q bounds every later term
        // ratio. With a, b, c > 0 each later ratio is z · (a+m)/(m+1) · (b+m)/(c+m), m ≥ n,
        // and each factor moves monotonically towards 1, so it is at most the larger of its
        // value now and 1. Otherwise, past n > |a| + |b| + |c| the ratios move monotonically
        // towards z, and q is the larger of the two.
        let q = if a > 0.0 && b > 0.0 && c > 0.0 {
            z * ((a + n) / (n + 1.0)).max(1.0) * ((b + n) / (c + n)).max(1.0)
        } else if n > a.abs() + b.abs() + c.abs() {
            ratio.abs().max(z)
        } else {
            f64::INFINITY
        };
        if q < 1.0 && term.abs() * q / (1.0 - q) <= SERIES_TOLERANCE * sum.abs() {
            return sum.is_finite().then_some(sum);
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

/// Below this w (see [`log_pareto_a0`]) the integral is summed as a series in w, above it in
/// z = 1 − w, each where it converges fast; for a > 1 the split moves down to 3/(a − 1), where
/// the w series' alternating terms stay within e⁶ of their sum.
const PARETO_SPLIT: f64 = 0.5;
const PARETO_SPLIT_SCALE: f64 = 3.0;

/// Most steps of one series or continued fraction in [`log_pareto_a0`]: the fraction needs
/// about 20/√w* ≈ 12√a, so this is reached only where a = r + s + x is in the tens of
/// thousands with α and β far apart (a fit running to a boundary), which is then left out
/// of the likelihood's domain.
const PARETO_MAX_TERMS: u64 = 2_000;

/// ln A₀ of the Pareto/NBD likelihood: ln of a·∫ (m+τ)^(−p) (M+τ)^(−(a+1−p)) dτ over
/// `from` ≤ τ ≤ `to`, for 0 < m = `low` ≤ M = `high`, a > 0, 0 < p < a + 1; −∞ for an
/// empty range, NaN when the arguments are outside that domain.
///
/// This is the integral Fader & Hardie (2005, note 009) turn into
/// A₀ = ₂F₁(a, p; a+1; z₁) / (M+tₓ)^a − ₂F₁(a, p; a+1; z₂) / (M+T)^a with z = (M−m)/(M+τ).
/// That series needs about 37/(1 − z) terms, so it fails as M grows (a dropout rate that
/// tends to a constant: s, β → ∞), which is where a fit that runs to a boundary goes. Here,
/// with w = 1 − z = (m+τ)/(M+τ), the integral is
/// A₀ = a (M−m)^(−a) ∫ (1−w)^(a−1) w^(−p) dw over [w(from), w(to)], split at w* (see
/// `PARETO_SPLIT`):
/// - above w*, z ≤ 1 − w* and Euler's transformation
///   ₂F₁(a, p; a+1; z) = (1−z)^(1−p) ₂F₁(1, a+1−p; a+1; z) leaves a series of positive terms
///   whose ratio is below z;
/// - below w*, (1−w)^(a−1) = Σ cₖ wᵏ with cₖ = (1−a)ₖ / k!, integrated term by term:
///   ∫ w^(k−p) dw = w₁^e · (e^(eL) − 1)/e with e = k+1−p, L = ln(w₂/w₁), exact even where e
///   passes 0 (r + x or s + 1 a whole number).
///
/// Both are evaluated relative to m^(−p) M^(−(a+1−p)), the integrand's size at τ = 0 (see
/// `ParetoTail::log_scaled_tail`, private), so that the likelihood can cancel that factor
/// before it is formed.
///
/// # Examples
/// ```
/// use ltv_core::model::log_pareto_a0;
/// // a = p = 1: ∫ 1/((m+τ)(M+τ)) dτ = ln((m+τ)/(M+τ)) / (M−m) between the ends.
/// let (m, big, from, to) = (2.0f64, 50.0f64, 3.0f64, 40.0f64);
/// let exact = (((m + to) / (big + to)).ln() - ((m + from) / (big + from)).ln()) / (big - m);
/// let got = log_pareto_a0(1.0, 1.0, m, big, from, to);
/// assert!((got - exact.ln()).abs() < 1e-13);
/// ```
pub fn log_pareto_a0(a: f64, p: f64, low: f64, high: f64, from: f64, to: f64) -> f64 {
    let c = Dual::<0>::constant;
    ParetoTail::new(c(a), c(p), c(low), c(high)).map_or(f64::NAN, |tail| {
        tail.log_scaled_a0(from, to).value() - p * low.ln() - (a + 1.0 - p) * high.ln()
    })
}

/// H(τ) = a·∫ (m+u)^(−p) (M+u)^(−(a+1−p)) du over u ≥ τ, for one (a, p, m, M), held as
/// G(τ) = m^p M^(a+1−p) H(τ) = a·∫ (1+u/m)^(−p) (1+u/M)^(−(a+1−p)) du: A₀ is H(tₓ) − H(T),
/// so a likelihood evaluates G once per distinct day and x rather than twice per customer.
///
/// G rather than H: where a fit runs to a boundary (r, α → ∞ together) ln H is −a ln(M+τ),
/// millions, and the likelihood adds r ln α + s ln β, millions again, to get a few units.
/// ln G is of the size of the result, so no digits are lost on the way.
///
/// Its numbers carry their derivatives ([`Number`]: a [`Dual`] with none for values alone,
/// the first in the log-parameters, or a [`super::dual::Hyper`] with the second too).
/// The split w* and the stopping rules look at values only: G does not depend on where
/// the split is, so its derivatives are those of the same sums.
#[derive(Clone, Debug)]
pub(crate) struct ParetoTail<T: Number> {
    a: T,
    p: T,
    low: T,
    high: T,
    /// ln m.
    ln_low: T,
    /// w* (see `PARETO_SPLIT`).
    split: f64,
    /// ln G at w = w* (unused when w never goes below w*).
    at_split: T,
    /// The continued fraction's coefficients k₁, k₂, … as far as any day has needed them:
    /// they depend on a and p alone, and a likelihood evaluates the fraction for every day
    /// of one x with the same a and p.
    coefficients: RefCell<Vec<T::Inner>>,
    /// a and p as the fraction's numbers ([`Number::inner`]).
    inner: (T::Inner, T::Inner),
}

impl<T: Number> ParetoTail<T> {
    /// `None` outside a > 0, 0 < p < a + 1, 0 < m ≤ M (all finite).
    pub(crate) fn new(a: T, p: T, low: T, high: T) -> Option<Self> {
        let valid = a.value() > 0.0
            && p.value() > 0.0
            && p.value() < a.value() + 1.0
            && low.value() > 0.0
            && high.value() >= low.value()
            && (a.value() + p.value() + low.value() + high.value()).is_finite();
        if !valid {
            return None;
        }
        let split = if a.value() > 1.0 {
            (PARETO_SPLIT_SCALE / (a.value() - 1.0)).min(PARETO_SPLIT)
        } else {
            PARETO_SPLIT
        };
        let mut tail = ParetoTail {
            a,
            p,
            low,
            high,
            ln_low: low.ln(),
            split,
            at_split: T::constant(f64::NAN),
            coefficients: RefCell::new(Vec::new()),
            inner: T::inner(a, p),
        };
        // The day where w reaches w*, if it lies ahead (w starts at m/M and rises to 1).
        let tau = (high * split - low) / (1.0 - split);
        if tau.value() > 0.0 {
            tail.at_split = tail.away_from_one(tail.log_growth(tau), T::constant(1.0 - split));
        }
        Some(tail)
    }

    /// ln G(τ) for τ ≥ 0.
    pub(crate) fn log_scaled_tail(&self, tau: f64) -> T {
        self.log_scaled_tail_growing(tau, self.log_growth(T::constant(tau)))
    }

    /// [`Self::log_scaled_tail`] with ln(1 + τ/m) and ln(1 + τ/M) given: they depend on the
    /// day alone, so a likelihood computes them once per day, not once per day and x.
    pub(crate) fn log_scaled_tail_growing(&self, tau: f64, growth: (T, T)) -> T {
        let w = (self.low + tau) / (self.high + tau);
        if w.value() >= self.split {
            self.away_from_one(growth, (self.high - self.low) / (self.high + tau))
        } else {
            log_add_exp_dual(self.near_one(growth, w), self.at_split)
        }
    }

    /// ln(G(from) − G(to)) = ln A₀ + p ln m + (a+1−p) ln M; −∞ for an empty range.
    pub(crate) fn log_scaled_a0(&self, from: f64, to: f64) -> T {
        if !(from >= 0.0 && to.is_finite()) {
            return T::constant(f64::NAN);
        }
        if to <= from {
            return T::constant(f64::NEG_INFINITY);
        }
        difference(self.log_scaled_tail(from), self.log_scaled_tail(to))
    }

    /// ln(1 + τ/m) and ln(1 + τ/M).
    fn log_growth(&self, tau: T) -> (T, T) {
        ((tau / self.low).ln_1p(), (tau / self.high).ln_1p())
    }

    /// ln G where w ≥ w*, from ₂F₁(a, p; a+1; z) / (M+τ)^a with z = (M−m)/(M+τ) given (so
    /// that at w* it is 1 − w* exactly): that is H, and with (M+τ) = M(1 + τ/M),
    /// w = (m+τ)/(M+τ) and Euler's transformation,
    /// ln G = ln m + (1−p) ln(1+τ/m) − (a+1−p) ln(1+τ/M) + ln ₂F₁(1, a+1−p; a+1; z).
    fn away_from_one(&self, (grow_low, grow_high): (T, T), z: T) -> T {
        let (a, p) = (self.a, self.p);
        let (inner_a, inner_p) = self.inner;
        let mut coefficients = self.coefficients.borrow_mut();
        let fraction = gauss_fraction(T::inner_z(z), |j| {
            while coefficients.len() < j {
                let next = coefficients.len() + 1;
                coefficients.push(fraction_coefficient(inner_a, inner_p, next));
            }
            coefficients[j - 1]
        });
        let log_fraction = T::from_inner(fraction.ln(), a, p, z);
        self.ln_low + (-p + 1.0) * grow_low - (a + 1.0 - p) * grow_high + log_fraction
    }

    /// ln of m^p M^(a+1−p) · a·(M−m)^(−a)·∫ (1−v)^(a−1) v^(−p) dv over [w, w*]: G(τ) − G(w*)
    /// where w = w(τ) < w*. With M−m = M(1 − m/M) and w as in `away_from_one`, the powers of
    /// M cancel: ln a + ln m − a ln(1 − m/M) + (1−p)(ln(1+τ/m) − ln(1+τ/M)) + ln Σ.
    fn near_one(&self, (grow_low, grow_high): (T, T), w: T) -> T {
        let (a, p) = (self.a, self.p);
        let (inner_a, inner_p) = self.inner;
        let sum = near_one_sum(inner_a, inner_p, T::inner_z(w), self.split);
        a.ln() + self.ln_low - a * (-(self.low / self.high)).ln_1p()
            + (-p + 1.0) * (grow_low - grow_high)
            + T::from_inner(sum.ln(), a, p, w)
    }
}

/// ln(eˣ − eʸ) for x ≥ y (−∞ when they are equal, NaN when y > x).
pub(crate) fn difference<T: Number>(x: T, y: T) -> T {
    if y.value() == f64::NEG_INFINITY {
        return x;
    }
    let exponent = y - x;
    if exponent.value() > 0.0 {
        return T::constant(f64::NAN);
    }
    x + (-exponent.exp_m1()).ln()
}

/// ₂F₁(1, a+1−p; a+1; z) by Gauss's continued fraction, which converges in about
/// 20/√(1 − z) steps where the series needs 37/(1 − z) terms:
/// ₂F₁(1, c; a+1; z) = 1 / (1 − k₁z / (1 − k₂z / (1 − …))), with kⱼ from
/// [`fraction_coefficient`] (`k(j)`), all positive. Summed by the modified Lentz method; NaN
/// past [`PARETO_MAX_TERMS`] steps.
///
/// In second derivatives ([`Number::SECOND_ORDER`]) Lentz's method runs on the values alone,
/// for the number of steps, and the same convergent is then summed from its last term back:
/// two operations a step in those numbers where Lentz's method takes six.
fn gauss_fraction<T: Number>(z: T, mut k: impl FnMut(usize) -> T) -> T {
    if T::SECOND_ORDER {
        let on_values = lentz(Dual::<0>::constant(z.value()), |j| {
            Dual::constant(k(j).value())
        });
        if let Some((_, steps, false)) = on_values {
            let mut tail = T::constant(1.0);
            for j in (1..=steps).rev() {
                tail = -(k(j) * z) / tail + 1.0;
            }
            return tail.recip();
        }
    }
    lentz(z, k).map_or(T::constant(f64::NAN), |(fraction, _, _)| fraction)
}

/// [`gauss_fraction`] by the modified Lentz method: the fraction, the steps it took, and
/// whether a denominator came so near 0 that it was moved off (the sum from the last term
/// back would divide by it); `None` past [`PARETO_MAX_TERMS`] steps.
fn lentz<T: Number>(z: T, mut k: impl FnMut(usize) -> T) -> Option<(T, usize, bool)> {
    const TINY: f64 = 1e-300;
    let one = T::constant(1.0);
    let (mut f, mut big_c, mut d) = (one, one, T::constant(0.0));
    let mut moved = false;
    for j in 1..=PARETO_MAX_TERMS as usize {
        let coefficient = -(k(j) * z);
        d = coefficient * d + 1.0;
        if d.value().abs() < TINY {
            d = T::constant(TINY);
            moved = true;
        }
        big_c = coefficient / big_c + 1.0;
        if big_c.value().abs() < TINY {
            big_c = T::constant(TINY);
            moved = true;
        }
        d = d.recip();
        let delta = big_c * d;
        f = f * delta;
        if (delta.value() - 1.0).abs() <= SERIES_TOLERANCE {
            return Some((f.recip(), j, moved));
        }
    }
    None
}

/// kⱼ (j ≥ 1) of [`gauss_fraction`] for ₂F₁(1, c; a+1; z), c = a+1−p:
/// k₂ₙ₊₁ = (c+n)(a+n) / ((a+2n)(a+2n+1)), k₂ₙ₊₂ = (n+1)(p+n) / ((a+2n+1)(a+2n+2)):
/// Gauss's fraction for ₂F₁(α, β+1; γ+1; z) / ₂F₁(α, β; γ; z) at β = 0, γ = a, α = c.
fn fraction_coefficient<T: Number>(a: T, p: T, j: usize) -> T {
    let c = a + 1.0 - p;
    let n = ((j - 1) / 2) as f64;
    if j % 2 == 1 {
        (c + n) * (a + n) / ((a + 2.0 * n) * (a + (2.0 * n + 1.0)))
    } else {
        (p + n) * (n + 1.0) / ((a + (2.0 * n + 1.0)) * (a + (2.0 * n + 2.0)))
    }
}

/// ∫ (1−w)^(a−1) w^(−p) dw over [w1, w2] (w2 ≤ w*) relative to w1^(1−p), summed as a
/// series in w: Σ cₖ ∫ w^(k−p) dw with cₖ = (1−a)ₖ / k!; NaN where it is not positive.
fn near_one_sum<T: Number>(a: T, p: T, w1: T, w2: f64) -> T {
    if w2 <= w1.value() {
        return T::constant(0.0);
    }
    let l = (w1 / w2).ln() * -1.0;
    // ∫ w^(k−p) dw / w1^(1−p) = (w2ᵏ ρ^(1−p) − w1ᵏ) / e with ρ = w2/w1, e = k+1−p; where eL
    // is small the difference cancels, and w1ᵏ L (e^(eL) − 1)/(eL) is used instead.
    let rho_part = ((-p + 1.0) * l).exp();
    let integral = |k: f64, upper: f64, lower: T| {
        let e = -p + (k + 1.0);
        let el = e * l;
        if el.value().abs() < 0.5 {
            lower * l * el.exprel()
        } else {
            (rho_part * upper - lower) / e
        }
    };
    let one = T::constant(1.0);
    let (mut upper, mut lower) = (1.0f64, one);
    let mut sum = integral(0.0, upper, lower);
    let (mut c, mut k) = (one, 0.0f64);
    for _ in 0..PARETO_MAX_TERMS {
        c = c * (-a + (k + 1.0)) / (k + 1.0);
        k += 1.0;
        if c.value() == 0.0 {
            break;
        }
        upper *= w2;
        lower = lower * w1;
        let term = c * integral(k, upper, lower);
        sum = sum + term;
        // |term k+1| ≤ |term k| · |k+1−a|/(k+1) · w2 (the integral shrinks by at most w2 a
        // step), and |k+1−a|/(k+1) falls while k+1 < a and stays below 1 after: the tail is
        // bounded by a geometric series with that ratio (or w2).
        let ratio = ((k + 1.0 - a.value()).abs() / (k + 1.0)).max(1.0) * w2;
        if ratio < 1.0
            && term.value().abs() * ratio <= SERIES_TOLERANCE * sum.value().abs() * (1.0 - ratio)
        {
            break;
        }
    }
    if sum.value().partial_cmp(&0.0) != Some(std::cmp::Ordering::Greater) {
        return T::constant(f64::NAN);
    }
    sum
}

/// Above this r, [`ln_rising`] takes Stirling's series instead of ln Γ's difference.
const RISING_STIRLING_FROM: f64 = 100.0;

/// ln Γ(r+x) − ln Γ(r) = ln(r(r+1)…(r+x−1)) for r > 0, without the cancellation of the
/// two ln Γ (each about r ln r, millions where a fit runs r to ∞) when r is large; its
/// derivative in r is ψ(r+x) − ψ(r).
///
/// # Formula
/// For r ≥ 100, Stirling's series ln Γ(z) = (z−½) ln z − z + ½ ln 2π + ω(z) with
/// ω(z) = 1/(12z) − 1/(360z³) + 1/(1260z⁵) − 1/(1680z⁷) (next term below 1e−21 there):
/// the difference is (r−½) ln(1 + x/r) + x ln(r+x) − x + ω(r+x) − ω(r).
/// Abramowitz & Stegun 6.1.40.
pub(crate) fn ln_rising<T: Number>(r: T, x: u64) -> T {
    if x == 0 {
        return T::constant(0.0);
    }
    let xf = x as f64;
    if r.value() < RISING_STIRLING_FROM {
        use statrs::function::gamma::{digamma, ln_gamma};
        let curvature = if T::SECOND_ORDER {
            trigamma(r.value() + xf) - trigamma(r.value())
        } else {
            0.0
        };
        return r.chain(
            ln_gamma(r.value() + xf) - ln_gamma(r.value()),
            digamma(r.value() + xf) - digamma(r.value()),
            curvature,
        );
    }
    let omega = |z: T| {
        let z2 = (z * z).recip();
        (((z2 * (-1.0 / 1680.0) + 1.0 / 1260.0) * z2 - 1.0 / 360.0) * z2 + 1.0 / 12.0) / z
    };
    (r - 0.5) * (r.recip() * xf).ln_1p() + (r + xf).ln() * xf - xf + (omega(r + xf) - omega(r))
}

/// The trigamma function ψ′(x) = d²/dx² ln Γ(x), for x > 0: the recurrence
/// ψ′(x) = ψ′(x + 1) + 1/x² up to x ≥ 10, then the asymptotic series
/// 1/x + 1/(2x²) + Σ B₂ₖ / x^(2k+1) to B₁₂ (Abramowitz & Stegun 6.4.12): the first term
/// left out is below 2·10⁻¹⁵ of the value.
pub(crate) fn trigamma(x: f64) -> f64 {
    let mut shifted = x;
    let mut sum = 0.0;
    while shifted < 10.0 {
        sum += 1.0 / (shifted * shifted);
        shifted += 1.0;
    }
    let inv = 1.0 / shifted;
    let inv2 = inv * inv;
    // B₂ = 1/6, B₄ = −1/30, B₆ = 1/42, B₈ = −1/30, B₁₀ = 5/66, B₁₂ = −691/2730.
    let bernoulli = [
        1.0 / 6.0,
        -1.0 / 30.0,
        1.0 / 42.0,
        -1.0 / 30.0,
        5.0 / 66.0,
        -691.0 / 2730.0,
    ];
    let series = bernoulli.iter().rev().fold(0.0, |acc, b| (acc + b) * inv2);
    sum + inv * (1.0 + inv * 0.5 + series)
}

/// 1 / (1 + e⁻ˣ) without overflow.
pub(crate) fn logistic(x: f64) -> f64 {
    if x >= 0.0 {
        1.0 / (1.0 + (-x).exp())
    } else {
        let e = x.exp();
        e / (1.0 + e)
    }
}

/// ln(eˣ + eʸ) without overflow.
pub(crate) fn log_add_exp(x: f64, y: f64) -> f64 {
    log_add_exp_dual(Dual::<0>::constant(x), Dual::constant(y)).v
}

/// [`log_add_exp`] with derivatives.
pub(crate) fn log_add_exp_dual<T: Number>(x: T, y: T) -> T {
    if x.value() == f64::NEG_INFINITY {
        return y;
    }
    if y.value() == f64::NEG_INFINITY {
        return x;
    }
    let (hi, lo) = if x.value() > y.value() {
        (x, y)
    } else {
        (y, x)
    };
    hi + (lo - hi).exp().ln_1p()
}

/// A sum of weighted logarithms, Σ wᵢ ln fᵢ, made with few logarithms: the factors are
/// multiplied together and the product's logarithm taken only when it grows beyond
/// [`LogProduct::FLUSH`] (or shrinks below its inverse), and at the end. A likelihood over
/// tens of thousands of groups takes one logarithm a group otherwise, and WebAssembly's
/// logarithms are software (Pareto/NBD's fit in WASI: 0.64 → 0.58 s with this and a
/// cheaper 1 − eᵘ). Each product of up to a few hundred factors rounds by about 10⁻¹⁴ of
/// itself, so the sum is as exact as a sum of the logarithms, to within about 10⁻¹⁴ a
/// flush. (Not in BG/NBD's likelihood: its fits are the same to 10⁻¹³, but where they run
/// along a ridge the last bits change the path the optimiser takes, and its time.)
#[derive(Clone, Copy, Debug)]
pub(crate) struct LogProduct {
    product: f64,
    logs: f64,
}

impl Default for LogProduct {
    fn default() -> Self {
        LogProduct {
            product: 1.0,
            logs: 0.0,
        }
    }
}

impl LogProduct {
    /// The product is logged beyond this (or below its inverse). A factor within 10^±6 to
    /// a power of at most [`LogProduct::MOST_POWER`] moves it by 10^±96 at most, so it stays
    /// finite between flushes.
    const FLUSH: f64 = 1e200;
    /// Weights up to this are powers of the factor; larger ones take a logarithm.
    const MOST_POWER: f64 = 16.0;

    /// Adds w ln f for a factor f > 0 (finite) and a weight w ≥ 0.
    #[inline]
    pub(crate) fn add(&mut self, factor: f64, weight: f64) {
        let in_range = factor > 1e-6 && factor < 1e6;
        if weight == 1.0 && in_range {
            self.product *= factor;
        } else if in_range && weight <= Self::MOST_POWER && weight.fract() == 0.0 {
            self.product *= factor.powi(weight as i32);
        } else {
            self.logs += weight * factor.ln();
            return;
        }
        if !(self.product < Self::FLUSH && self.product > 1.0 / Self::FLUSH) {
            self.logs += self.product.ln();
            self.product = 1.0;
        }
    }

    /// Σ w ln f so far.
    pub(crate) fn total(&self) -> f64 {
        self.logs + self.product.ln()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The sum of a product's logarithms equals the sum of the logarithms: for factors near
    /// 1 and far from it, weights of 1, small powers and large counts, across many flushes.
    #[test]
    fn a_log_product_is_the_sum_of_the_logs() {
        let mut product = LogProduct::default();
        let mut direct = 0.0;
        let mut magnitude = 0.0;
        let mut state = 12345u64;
        for i in 0..200_000u64 {
            state = state
                .wrapping_mul(6364136223846793005)
                .wrapping_add(1442695040888963407);
            let unit = (state >> 11) as f64 / (1u64 << 53) as f64;
            let factor = match i % 5 {
                0 => 1.0 + unit * 1e-12,
                1 => 1.0 + unit,
                2 => 1e-3 + unit * 1e-2,
                3 => 1e7 * (1.0 + unit),
                _ => 1e-9 + unit * 1e-9,
            };
            let weight = [1.0, 2.0, 7.0, 16.0, 17.0, 250.0][(i % 6) as usize];
            product.add(factor, weight);
            direct += weight * factor.ln();
            magnitude += (weight * factor.ln()).abs();
        }
        let error = (product.total() - direct).abs();
        assert!(error <= 1e-13 * magnitude, "{error} of {magnitude}");
    }

    /// Tolerance for ₂F₁ against closed forms.
    const TOL: f64 = 1e-12;

    /// With large parameters the series stops as soon as its tail is small (it used to sum
    /// until n passed a + b + c: a billion terms at a, b ~ 10⁸). Values from mpmath's
    /// `hyp2f1` at 40 digits.
    #[test]
    #[allow(clippy::excessive_precision)]
    fn large_parameters() {
        let printed = [
            ((0.38, 4.85e8, 8.06e8, 0.3), 1.0785881474767070076),
            ((19142.5, 1305.0, 2364.6, 4.7e-4), 144.05865159081903752),
            ((0.5, 2000.0, 2100.0, 0.95), 3.2429737863188353718),
            ((2.5, 300.0, 250.0, 0.4), 5.1160227758620682067),
        ];
        for ((a, b, c, z), want) in printed {
            let got = hyp2f1(a, b, c, z).unwrap();
            assert!(
                (got - want).abs() <= 1e-12 * want,
                "{a} {b} {c} {z}: {got} vs {want}"
            );
        }
    }

    /// ψ′(1) = π²/6, ψ′(½) = π²/2, ψ′(n) = π²/6 − Σ_{k<n} 1/k², and far out
    /// ψ′(x) ≈ 1/x + 1/(2x²); between, the slope of statrs' digamma.
    #[test]
    fn trigamma_values() {
        use std::f64::consts::PI;
        let close = |got: f64, want: f64, tolerance: f64| {
            assert!((got - want).abs() <= tolerance * want, "{got} vs {want}")
        };
        close(trigamma(1.0), PI * PI / 6.0, 1e-14);
        close(trigamma(0.5), PI * PI / 2.0, 1e-14);
        let mut want = PI * PI / 6.0;
        for n in 1..40 {
            close(trigamma(f64::from(n)), want, 1e-13);
            want -= 1.0 / f64::from(n * n);
        }
        close(trigamma(1e8), 1e-8 + 0.5e-16, 1e-15);
        for x in [1e-3, 0.07, 0.9, 3.3, 5.99, 6.01, 17.5, 250.0] {
            let h = 1e-5 * x;
            let slope = (statrs::function::gamma::digamma(x + h)
                - statrs::function::gamma::digamma(x - h))
                / (2.0 * h);
            close(trigamma(x), slope, 1e-6);
        }
    }

    #[test]
    fn closed_forms() {
        let cases: Vec<(&str, f64, f64, f64, f64, f64)> = vec![
            // ₂F₁(1,1;2;z) = −ln(1−z)/z
            ("log 0.1", 1.0, 1.0, 2.0, 0.1, -(0.9f64).ln() / 0.1),
            ("log 0.9", 1.0, 1.0, 2.0, 0.9, -(0.1f64).ln() / 0.9),
            ("log 0.99", 1.0, 1.0, 2.0, 0.99, -(0.01f64).ln() / 0.99),
            // ₂F₁(1,1;2;−z) = ln(1+z)/z
            ("log −0.5", 1.0, 1.0, 2.0, -0.5, (1.5f64).ln() / 0.5),
            // ₂F₁(a,b;b;z) = (1−z)^−a
            ("power", 0.243, 2.426, 2.426, 0.7, 0.3f64.powf(-0.243)),
            // ₂F₁(1/2,1/2;3/2;z²) = arcsin(z)/z
            ("arcsin", 0.5, 0.5, 1.5, 0.36, (0.6f64).asin() / 0.6),
            // ₂F₁(1/2,1;3/2;z²) = artanh(z)/z
            ("artanh", 0.5, 1.0, 1.5, 0.64, (0.8f64).atanh() / 0.8),
            // ₂F₁(1/2,1;3/2;−z²) = arctan(z)/z
            ("arctan", 0.5, 1.0, 1.5, -0.81, (0.9f64).atan() / 0.9),
            // a terminating series: ₂F₁(−2,b;c;z) = 1 − 2bz/c + b(b+1)z²/(c(c+1))
            (
                "polynomial",
                -2.0,
                3.0,
                4.0,
                0.5,
                1.0 - 2.0 * 3.0 * 0.5 / 4.0 + 3.0 * 4.0 * 0.25 / 20.0,
            ),
            ("z = 0", 3.0, 4.0, 5.0, 0.0, 1.0),
        ];
        for (name, a, b, c, z, expected) in cases {
            let got = hyp2f1(a, b, c, z).unwrap();
            assert!(
                (got - expected).abs() <= TOL * expected.abs().max(1.0),
                "{name}: {got} vs {expected}"
            );
        }
    }

    /// Where both converge, the old form (₂F₁ series at both ends) agrees with the new one:
    /// a grid over the argument z₁ up to 0.999, a, p and the day range.
    #[test]
    fn pareto_a0_matches_the_series_where_it_converges() {
        for &a in &[0.4, 1.0, 2.5, 8.0, 30.0] {
            for &p_share in &[0.2, 0.5, 0.9] {
                let p = p_share * (a + 1.0);
                for &(low, high) in &[(1.0, 1.5), (2.0, 20.0), (0.5, 200.0), (3.0, 3000.0)] {
                    for &(from, to) in &[(0.0, 30.0), (10.0, 52.0), (50.0, 52.0)] {
                        let gap: f64 = high - low;
                        let (q1, q2) = (high + from, high + to);
                        let f1 = hyp2f1(a, p, a + 1.0, gap / q1).unwrap();
                        let f2 = hyp2f1(a, p, a + 1.0, gap / q2).unwrap();
                        let old = (f1 / q1.powf(a) - f2 / q2.powf(a)).ln();
                        let new = log_pareto_a0(a, p, low, high, from, to);
                        assert!(
                            (new - old).abs() <= 1e-9 * old.abs().max(1.0),
                            "a={a} p={p} m={low} M={high} [{from}, {to}]: {new} vs {old}"
                        );
                    }
                }
            }
        }
    }

    /// ln Γ(r+x) − ln Γ(r) against the sum Σ ln(r+k) over k < x, on both sides of the
    /// switch to Stirling's series, up to r where the two ln Γ are millions and cancel: from
    /// r = 100 on, to the last few bits of the sum.
    #[test]
    fn rising_factorial() {
        for &r in &[0.3, 2.5, 99.9, 100.0, 150.0, 9_000.0, 227_052.99, 1.3e7] {
            for &x in &[1u64, 2, 7, 40, 120] {
                let sum: f64 = (0..x).map(|k| (r + k as f64).ln()).sum();
                let got = ln_rising(Dual::<0>::constant(r), x).v;
                let bits = if r < RISING_STIRLING_FROM {
                    1e-13
                } else {
                    4e-15 * (x as f64).sqrt()
                };
                assert!(
                    (got - sum).abs() <= bits * sum.abs().max(1.0),
                    "r={r} x={x}: {got} vs {sum}"
                );
            }
        }
        assert_eq!(ln_rising(Dual::<0>::constant(5.0), 0).v, 0.0);
    }

    #[test]
    fn refused_arguments() {
        let cases = [
            (1.0, 1.0, 0.0, 0.5),
            (1.0, 1.0, -3.0, 0.5),
            (1.0, 1.0, 2.0, 1.0),
            (1.0, 1.0, 2.0, -1.0),
            (1.0, 1.0, 2.0, f64::NAN),
            (f64::INFINITY, 1.0, 2.0, 0.5),
        ];
        for (a, b, c, z) in cases {
            assert_eq!(hyp2f1(a, b, c, z), None, "({a}, {b}; {c}; {z})");
        }
    }
}
