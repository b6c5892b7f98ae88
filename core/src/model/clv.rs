//! 予測LTV per customer from the two fitted models, and P(alive) as a segment rule.
//!
//! Time units, stated once: the models work in weeks (days / 7); a month of the horizon is
//! [`WEEKS_PER_MONTH`] = 52/12 weeks, so 12 months are exactly the 52 weeks of
//! 「今後1年の予想購入回数」.

use serde::{Deserialize, Serialize};

use super::bgnbd::BgNbdParams;
use super::error::ModelError;

/// A month of the horizon in weeks: 52/12 (a year of 52 weeks).
pub const WEEKS_PER_MONTH: f64 = 52.0 / 12.0;

/// Σₖ E[transactions in month k] / (1+d)ᵏ for k = 1..=H: the discounted expected number of
/// transactions over the horizon, each month's count from differences of the conditional
/// expectation E[Y(k·52/12) | x, tₓ, T] − E[Y((k−1)·52/12) | x, tₓ, T] (discounted at
/// the end of its month).
///
/// # Examples
/// ```
/// use ltv_core::model::{discounted_transactions, BgNbdParams};
/// let p = BgNbdParams::new(0.243, 4.414, 0.793, 2.426).unwrap();
/// let undiscounted = discounted_transactions(&p, 2, 30.43, 38.86, 12, 0.0);
/// let year = p.conditional_expected_transactions(2, 30.43, 38.86, 52.0);
/// assert!((undiscounted - year).abs() < 1e-9);
/// assert!(discounted_transactions(&p, 2, 30.43, 38.86, 12, 0.01) < year);
/// ```
pub fn discounted_transactions(
    params: &BgNbdParams,
    frequency: u64,
    recency_weeks: f64,
    age_weeks: f64,
    horizon_months: u32,
    monthly_discount: f64,
) -> f64 {
    let cumulative = params.conditional_expected_transactions_at(
        frequency,
        recency_weeks,
        age_weeks,
        &month_ends(horizon_months),
    );
    discount_monthly(&cumulative, monthly_discount)
}

/// The ends of months 1..=H in weeks.
pub(crate) fn month_ends(horizon_months: u32) -> Vec<f64> {
    (1..=horizon_months)
        .map(|k| f64::from(k) * WEEKS_PER_MONTH)
        .collect()
}

/// Σₖ (cumulativeₖ − cumulativeₖ₋₁) / (1+d)ᵏ for cumulative expectations at month ends.
pub(crate) fn discount_monthly(cumulative: &[f64], monthly_discount: f64) -> f64 {
    let mut previous = 0.0;
    let mut factor = 1.0;
    let mut total = 0.0;
    for &e in cumulative {
        factor /= 1.0 + monthly_discount;
        total += (e - previous).max(0.0) * factor;
        previous = e;
    }
    total
}

/// P(alive)-based segment: スリープ and 休眠 by the probability of still being a customer,
/// offered beside the fixed-day rules.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum AliveSegment {
    /// 稼働: P(alive) at or above the スリープ threshold.
    Active,
    /// スリープ: below the スリープ threshold.
    Sleeping,
    /// 休眠: below the 休眠 threshold.
    Dormant,
}

/// Thresholds of the P(alive) segments (editable): スリープ below `sleep` (0.6), 休眠 below
/// `dormant` (0.3).
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct AliveThresholds {
    pub sleep: f64,
    pub dormant: f64,
}

impl Default for AliveThresholds {
    fn default() -> Self {
        AliveThresholds {
            sleep: 0.6,
            dormant: 0.3,
        }
    }
}

impl AliveThresholds {
    /// Thresholds with 0 ≤ dormant ≤ sleep ≤ 1.
    ///
    /// # Errors
    /// [`super::ModelErrorKind::InvalidParameter`] naming `sleep` or `dormant`.
    pub fn new(sleep: f64, dormant: f64) -> Result<Self, ModelError> {
        if !(0.0..=1.0).contains(&sleep) {
            return Err(ModelError::invalid("sleep", sleep));
        }
        if !(0.0..=sleep).contains(&dormant) {
            return Err(ModelError::invalid("dormant", dormant));
        }
        Ok(AliveThresholds { sleep, dormant })
    }

    /// The segment of a P(alive).
    ///
    /// # Examples
    /// ```
    /// use ltv_core::model::{AliveSegment, AliveThresholds};
    /// let t = AliveThresholds::default();
    /// assert_eq!(t.segment(0.75), AliveSegment::Active);
    /// assert_eq!(t.segment(0.45), AliveSegment::Sleeping);
    /// assert_eq!(t.segment(0.1), AliveSegment::Dormant);
    /// ```
    pub fn segment(&self, p_alive: f64) -> AliveSegment {
        if p_alive < self.dormant {
            AliveSegment::Dormant
        } else if p_alive < self.sleep {
            AliveSegment::Sleeping
        } else {
            AliveSegment::Active
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const PUBLISHED: BgNbdParams = BgNbdParams {
        r: 0.243,
        alpha: 4.414,
        a: 0.793,
        b: 2.426,
    };

    #[test]
    fn discounting_cases() {
        let year = PUBLISHED.conditional_expected_transactions(1, 10.0, 30.0, 52.0);
        let two = PUBLISHED.conditional_expected_transactions(1, 10.0, 30.0, 104.0);
        // (horizon, discount, lower, upper)
        let cases = [
            (12, 0.0, year, year),
            (24, 0.0, two, two),
            // Discounted at between 1.01⁻¹ and 1.01⁻¹² per transaction.
            (12, 0.01, year / 1.01f64.powi(12), year / 1.01),
            (0, 0.01, 0.0, 0.0),
        ];
        for (h, d, lo, hi) in cases {
            let v = discounted_transactions(&PUBLISHED, 1, 10.0, 30.0, h, d);
            assert!(lo - 1e-9 <= v && v <= hi + 1e-9, "H={h} d={d}: {v}");
        }
        // By hand for two months: Δ₁/1.05 + Δ₂/1.05².
        let e1 = PUBLISHED.conditional_expected_transactions(1, 10.0, 30.0, WEEKS_PER_MONTH);
        let e2 = PUBLISHED.conditional_expected_transactions(1, 10.0, 30.0, 2.0 * WEEKS_PER_MONTH);
        let by_hand = e1 / 1.05 + (e2 - e1) / 1.05 / 1.05;
        let v = discounted_transactions(&PUBLISHED, 1, 10.0, 30.0, 2, 0.05);
        assert!((v - by_hand).abs() < 1e-12);
    }

    #[test]
    fn segment_cases() {
        let t = AliveThresholds::default();
        for (p, s) in [
            (1.0, AliveSegment::Active),
            (0.6, AliveSegment::Active),
            (0.5999, AliveSegment::Sleeping),
            (0.3, AliveSegment::Sleeping),
            (0.2999, AliveSegment::Dormant),
            (0.0, AliveSegment::Dormant),
        ] {
            assert_eq!(t.segment(p), s, "{p}");
        }
        let custom = AliveThresholds::new(0.8, 0.5).unwrap();
        assert_eq!(custom.segment(0.7), AliveSegment::Sleeping);
        assert!(AliveThresholds::new(0.5, 0.6).is_err());
        assert!(AliveThresholds::new(1.5, 0.3).is_err());
        assert!(AliveThresholds::new(0.6, f64::NAN).is_err());
        assert_eq!(
            crate::analysis::export::file_text::alive_segment_name(AliveSegment::Dormant),
            "休眠"
        );
    }
}
