//! The Gaussian hypergeometric function ₂F₁, which the BG/NBD expectations need.
//!
//! `statrs` has ln Γ and ψ but not ₂F₁, so it is summed here as its power series, with
//! Pfaff's transformation for negative arguments so that the series argument stays in
//! [0, 1). The BG/NBD code uses a transformed series of its own (see
//! [`super::bgnbd`]); this general function is kept for checks and for callers.

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
    hyp2f1_limited(a, b, c, z, MAX_SERIES_TERMS)
}

/// [`hyp2f1`] summing at most `max_terms` terms (`None` beyond): for a likelihood, where an
/// argument near 1 means a region of parameters the optimiser should leave anyway.
pub(crate) fn hyp2f1_limited(a: f64, b: f64, c: f64, z: f64, max_terms: u64) -> Option<f64> {
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
        return Some((1.0 - z).powf(-a) * series(a, c - b, c, w, max_terms)?);
    }
    series(a, b, c, z, max_terms)
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
        // Past n > |a| + |b| + |c| the ratios move monotonically towards z, so the tail is
        // bounded by a geometric series with the larger of the two.
        let q = ratio.abs().max(z);
        if n > a.abs() + b.abs() + c.abs()
            && q < 1.0
            && term.abs() * q / (1.0 - q) <= SERIES_TOLERANCE * sum.abs()
        {
            return sum.is_finite().then_some(sum);
        }
        if !sum.is_finite() {
            return None;
        }
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Tolerance for ₂F₁ against closed forms.
    const TOL: f64 = 1e-12;

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
