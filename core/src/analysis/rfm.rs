//! RFM分析: recency, frequency and monetary value scored 1–5, the R × F grid and its named
//! groups.
//!
//! R = days since the last order (score 5 = most recent), F = number of orders, M = total
//! spend, at the analysis date.

use serde::{Deserialize, Serialize};

use super::customers::{CustomerBase, CustomerStats};
use super::summary::ratio;
use super::{AnalysisError, AnalysisErrorKind, RfmAxis};

/// How scores are given.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub enum RfmMode {
    /// By quintile with ties sharing a score ([`rfm`]: the worse a value, the lower its
    /// score; equal values share the score of the first of them).
    #[default]
    Quintile,
    /// By user thresholds.
    Thresholds(RfmThresholds),
}

/// User thresholds for scores 5, 4, 3, 2 (R) or 2, 3, 4, 5 (F, M).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmThresholds {
    /// R: days since the last order at most `recency_days[0]` → 5, at most `[1]` → 4, … ,
    /// more than `[3]` → 1. Increasing.
    pub recency_days: [u32; 4],
    /// F: at least `frequency[0]` orders → 2, … , at least `[3]` → 5. Increasing.
    pub frequency: [u64; 4],
    /// M: at least `monetary[0]` yen → 2, … , at least `[3]` → 5. Increasing.
    pub monetary: [f64; 4],
}

impl Default for RfmThresholds {
    /// R: ≤ 30 / 90 / 180 / 365 days; F: 1 / 2 / 3–4 / 5–9 / 10+; M: ¥10,000 / 30,000 /
    /// 50,000 / 100,000.
    fn default() -> Self {
        RfmThresholds {
            recency_days: [30, 90, 180, 365],
            frequency: [2, 3, 5, 10],
            monetary: [10_000.0, 30_000.0, 50_000.0, 100_000.0],
        }
    }
}

impl RfmThresholds {
    /// Checks that each axis's thresholds strictly increase (and are finite).
    pub fn validate(&self) -> Result<(), AnalysisError> {
        let bad = |axis| Err(AnalysisErrorKind::RfmThresholds { axis }.into());
        if !self.recency_days.windows(2).all(|w| w[0] < w[1]) {
            return bad(RfmAxis::Recency);
        }
        if !self.frequency.windows(2).all(|w| w[0] < w[1]) {
            return bad(RfmAxis::Frequency);
        }
        if !(self.monetary.iter().all(|m| m.is_finite())
            && self.monetary.windows(2).all(|w| w[0] < w[1]))
        {
            return bad(RfmAxis::Monetary);
        }
        Ok(())
    }

    fn recency_score(&self, days: i64) -> u8 {
        5 - self
            .recency_days
            .iter()
            .filter(|&&t| days > i64::from(t))
            .count() as u8
    }

    fn frequency_score(&self, orders: u64) -> u8 {
        1 + self.frequency.iter().filter(|&&t| orders >= t).count() as u8
    }

    fn monetary_score(&self, revenue: f64) -> u8 {
        1 + self.monetary.iter().filter(|&&t| revenue >= t).count() as u8
    }
}

/// One customer's scores, each 1..=5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct RfmScore {
    pub r: u8,
    pub f: u8,
    pub m: u8,
}

/// The named groups of the R × F grid.
///
/// The widely used mapping (R score, F score): Hibernating R 1–2 × F 1–2; At Risk R 1–2 ×
/// F 3–4; Can't Lose R 1–2 × F 5; About to Sleep R 3 × F 1–2; Need Attention R 3 × F 3;
/// Loyal R 3–4 × F 4–5; Promising R 4 × F 1; Potential Loyalist R 4–5 × F 2–3; New R 5 × F 1;
/// Champions R 5 × F 4–5.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum RfmGroup {
    Champions,
    Loyal,
    PotentialLoyalist,
    New,
    Promising,
    NeedAttention,
    AboutToSleep,
    AtRisk,
    CantLose,
    Hibernating,
}

impl RfmGroup {
    /// In the order the page lists them.
    pub const ALL: [RfmGroup; 10] = [
        RfmGroup::Champions,
        RfmGroup::Loyal,
        RfmGroup::PotentialLoyalist,
        RfmGroup::New,
        RfmGroup::Promising,
        RfmGroup::NeedAttention,
        RfmGroup::AboutToSleep,
        RfmGroup::AtRisk,
        RfmGroup::CantLose,
        RfmGroup::Hibernating,
    ];

    /// The group of an R and F score (scores outside 1..=5 are clamped).
    pub fn of(r: u8, f: u8) -> RfmGroup {
        match (r.clamp(1, 5), f.clamp(1, 5)) {
            (1..=2, 1..=2) => RfmGroup::Hibernating,
            (1..=2, 3..=4) => RfmGroup::AtRisk,
            (1..=2, _) => RfmGroup::CantLose,
            (3, 1..=2) => RfmGroup::AboutToSleep,
            (3, 3) => RfmGroup::NeedAttention,
            (3..=4, 4..=5) => RfmGroup::Loyal,
            (4, 1) => RfmGroup::Promising,
            (4..=5, 2..=3) => RfmGroup::PotentialLoyalist,
            (5, 1) => RfmGroup::New,
            _ => RfmGroup::Champions,
        }
    }
}

/// One cell of the R × F grid.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmCell {
    pub r: u8,
    pub f: u8,
    pub customers: u64,
    pub revenue: f64,
    /// revenue ÷ all revenue.
    pub revenue_share: Option<f64>,
}

/// The figures of one named group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RfmGroupFigures {
    pub group: RfmGroup,
    pub customers: u64,
    pub share: Option<f64>,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

/// RFM scores, the grid and the named groups.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rfm {
    pub mode: RfmMode,
    /// 25 cells, R 5 → 1 (rows) × F 1 → 5 (columns).
    pub grid: Vec<RfmCell>,
    pub groups: Vec<RfmGroupFigures>,
    /// Scores by customer id (`None` for ids without an order by the date).
    #[serde(skip)]
    pub by_customer: Vec<Option<RfmScore>>,
}

/// Scores every customer and builds the R × F grid.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, rfm::{rfm, RfmMode}};
/// use ltv_core::orders::{Order, OrderTable};
/// let orders = (0..5u32)
///     .map(|c| Order { customer: c, day: 10 * c as i32, amount: 100.0 * f64::from(c + 1) })
///     .collect();
/// let table = OrderTable { customer_keys: (0..5).map(|c| c.to_string()).collect(), orders, ..Default::default() };
/// let r = rfm(&CustomerBase::new(&table, None), &RfmMode::Quintile);
/// let last = r.by_customer[4].unwrap();
/// assert_eq!((last.r, last.f, last.m), (5, 1, 5)); // everyone has one order: all F = 1
/// assert_eq!(r.by_customer[0].unwrap().r, 1);
/// ```
pub fn rfm(base: &CustomerBase, mode: &RfmMode) -> Rfm {
    let as_of = base.as_of();
    let mut by_customer: Vec<Option<RfmScore>> = vec![None; base.id_count()];
    match mode {
        RfmMode::Quintile => {
            // "Better" is larger for every key: recency is negated days.
            let r = quintiles(base, |s| -(s.days_since_last(as_of) as f64));
            let f = quintiles(base, |s| s.orders as f64);
            let m = quintiles(base, |s| s.revenue);
            for (i, (c, _)) in base.customers().enumerate() {
                by_customer[c as usize] = Some(RfmScore {
                    r: r[i],
                    f: f[i],
                    m: m[i],
                });
            }
        }
        RfmMode::Thresholds(t) => {
            for (c, s) in base.customers() {
                by_customer[c as usize] = Some(RfmScore {
                    r: t.recency_score(s.days_since_last(as_of)),
                    f: t.frequency_score(s.orders),
                    m: t.monetary_score(s.revenue),
                });
            }
        }
    }

    let mut cells = [[(0u64, 0f64); 5]; 5];
    let mut groups = [(0u64, 0f64); 10];
    for (c, s) in base.customers() {
        let Some(score) = by_customer[c as usize] else {
            continue;
        };
        let cell = &mut cells[usize::from(score.r - 1)][usize::from(score.f - 1)];
        cell.0 += 1;
        cell.1 += s.revenue;
        let g = group_index(RfmGroup::of(score.r, score.f));
        groups[g].0 += 1;
        groups[g].1 += s.revenue;
    }
    let customers = base.customer_count();
    let revenue = base.revenue();
    let share = |x: f64| (revenue != 0.0 && customers > 0).then(|| x / revenue);
    let mut grid = Vec::with_capacity(25);
    for r in (1..=5u8).rev() {
        for f in 1..=5u8 {
            let (n, rev) = cells[usize::from(r - 1)][usize::from(f - 1)];
            grid.push(RfmCell {
                r,
                f,
                customers: n,
                revenue: rev,
                revenue_share: share(rev),
            });
        }
    }
    let groups = RfmGroup::ALL
        .iter()
        .zip(groups)
        .map(|(&g, (n, rev))| RfmGroupFigures {
            group: g,
            customers: n,
            share: ratio(n as f64, customers),
            revenue: rev,
            revenue_share: share(rev),
        })
        .collect();
    Rfm {
        mode: mode.clone(),
        grid,
        groups,
        by_customer,
    }
}

fn group_index(g: RfmGroup) -> usize {
    RfmGroup::ALL.iter().position(|&x| x == g).unwrap_or(0)
}

/// Quintile scores of `key` for the base's customers, in [`CustomerBase::customers`] order:
/// `1 + ⌊5 × (customers with a strictly smaller key) ÷ customers⌋`.
fn quintiles(base: &CustomerBase, key: impl Fn(&CustomerStats) -> f64) -> Vec<u8> {
    let keys: Vec<f64> = base.customers().map(|(_, s)| key(s)).collect();
    quintile_scores(&keys)
}

/// `1 + ⌊5 × (values strictly smaller) ÷ n⌋` for each value: equal values always share a
/// score, the one of their first position in ascending order.
///
/// Without sorting: at least m values are strictly smaller than v exactly when the m-th
/// smallest is, so a value's score is 1 plus how many of the four cut values
/// (the ⌈k·n/5⌉-th smallest, k = 1…4) lie strictly below it. Four selections find them, a
/// few passes over the values where a sort takes about log₂ n (18 for 200,000 customers).
pub(crate) fn quintile_scores(values: &[f64]) -> Vec<u8> {
    let n = values.len();
    let mut rest: Vec<f64> = values.to_vec();
    let mut cuts = Vec::with_capacity(4);
    // Each selection leaves the values above its cut after it: the next one looks there.
    let mut from = 0;
    for k in 1..=4 {
        let m = (k * n).div_ceil(5);
        if m == 0 {
            continue;
        }
        if m == from {
            // The same place as the cut before (fewer than five values).
            cuts.push(rest[m - 1]);
            continue;
        }
        let (_, cut, _) = rest[from..].select_nth_unstable_by(m - 1 - from, f64::total_cmp);
        cuts.push(*cut);
        from = m;
    }
    values
        .iter()
        .map(|v| 1 + cuts.iter().filter(|c| c.total_cmp(v).is_lt()).count() as u8)
        .collect()
}

/// Recency score under thresholds, for tests of the edges.
#[cfg(test)]
fn recency_days_score(
    t: &RfmThresholds,
    last: crate::orders::Day,
    as_of: crate::orders::Day,
) -> u8 {
    t.recency_score(i64::from(as_of) - i64::from(last))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn quintiles_share_scores_on_ties() {
        // (values, scores)
        let cases: &[(&[f64], &[u8])] = &[
            (&[], &[]),
            (&[7.0], &[1]),
            (&[1.0, 2.0, 3.0, 4.0, 5.0], &[1, 2, 3, 4, 5]),
            (&[5.0, 4.0, 3.0, 2.0, 1.0], &[5, 4, 3, 2, 1]),
            // Ten values: two per score.
            (
                &[1., 2., 3., 4., 5., 6., 7., 8., 9., 10.],
                &[1, 1, 2, 2, 3, 3, 4, 4, 5, 5],
            ),
            // Six one-time buyers of ten: all score 1; the next value starts at position 6.
            (
                &[1., 1., 1., 1., 1., 1., 2., 2., 3., 9.],
                &[1, 1, 1, 1, 1, 1, 4, 4, 5, 5],
            ),
            (&[4.0, 4.0, 4.0], &[1, 1, 1]),
        ];
        for &(values, want) in cases {
            assert_eq!(quintile_scores(values), want, "{values:?}");
        }
    }

    /// The scores as their definition reads: each value's first position among the values
    /// sorted.
    fn quintile_scores_by_sorting(values: &[f64]) -> Vec<u8> {
        let n = values.len();
        let mut sorted: Vec<(f64, usize)> = values.iter().copied().zip(0..).collect();
        sorted.sort_by(|a, b| a.0.total_cmp(&b.0));
        let mut scores = vec![0u8; n];
        let mut first = 0;
        for pos in 0..n {
            if pos > 0 && sorted[pos - 1].0.total_cmp(&sorted[pos].0).is_ne() {
                first = pos;
            }
            scores[sorted[pos].1] = 1 + (5 * first / n) as u8;
        }
        scores
    }

    proptest::proptest! {
        #[test]
        fn quintile_scores_match_their_definition(
            // Few distinct values (ties everywhere), or any numbers; up to 60 values.
            small in proptest::collection::vec(0u8..6, 0..60),
            any in proptest::collection::vec(proptest::num::f64::ANY, 0..60),
        ) {
            let small: Vec<f64> = small.into_iter().map(f64::from).collect();
            proptest::prop_assert_eq!(quintile_scores(&small), quintile_scores_by_sorting(&small));
            proptest::prop_assert_eq!(quintile_scores(&any), quintile_scores_by_sorting(&any));
        }
    }

    #[test]
    fn named_groups_cover_the_grid_as_stated() {
        // Rows R 5 → 1, columns F 1 → 5, by the first letters of the English names.
        let expected = [
            ["N", "PL", "PL", "C", "C"],
            ["Pr", "PL", "PL", "L", "L"],
            ["AS", "AS", "NA", "L", "L"],
            ["H", "H", "AR", "AR", "CL"],
            ["H", "H", "AR", "AR", "CL"],
        ];
        let short = |g: RfmGroup| match g {
            RfmGroup::Champions => "C",
            RfmGroup::Loyal => "L",
            RfmGroup::PotentialLoyalist => "PL",
            RfmGroup::New => "N",
            RfmGroup::Promising => "Pr",
            RfmGroup::NeedAttention => "NA",
            RfmGroup::AboutToSleep => "AS",
            RfmGroup::AtRisk => "AR",
            RfmGroup::CantLose => "CL",
            RfmGroup::Hibernating => "H",
        };
        for (row, r) in (1..=5u8).rev().enumerate() {
            for f in 1..=5u8 {
                assert_eq!(
                    short(RfmGroup::of(r, f)),
                    expected[row][f as usize - 1],
                    "R{r} F{f}"
                );
            }
        }
        assert_eq!(RfmGroup::of(0, 9), RfmGroup::CantLose);
    }

    #[test]
    fn thresholds_at_their_edges() {
        let t = RfmThresholds::default();
        // (days since last, R)
        for (days, r) in [
            (0, 5),
            (30, 5),
            (31, 4),
            (90, 4),
            (91, 3),
            (180, 3),
            (181, 2),
            (365, 2),
            (366, 1),
        ] {
            assert_eq!(
                recency_days_score(&t, 1_000 - days, 1_000),
                r,
                "{days} days"
            );
        }
        // F: 1 / 2 / 3–4 / 5–9 / 10+
        for (orders, f) in [
            (1, 1),
            (2, 2),
            (3, 3),
            (4, 3),
            (5, 4),
            (9, 4),
            (10, 5),
            (99, 5),
        ] {
            assert_eq!(t.frequency_score(orders), f, "{orders} orders");
        }
        for (yen, m) in [
            (0.0, 1),
            (9_999.0, 1),
            (10_000.0, 2),
            (49_999.0, 3),
            (100_000.0, 5),
            (-5.0, 1),
        ] {
            assert_eq!(t.monetary_score(yen), m, "¥{yen}");
        }
        assert!(t.validate().is_ok());
        let bad = RfmThresholds {
            frequency: [2, 2, 5, 10],
            ..t.clone()
        };
        assert!(bad.validate().is_err());
        let bad = RfmThresholds {
            monetary: [1.0, f64::NAN, 3.0, 4.0],
            ..t.clone()
        };
        assert!(bad.validate().is_err());
        let bad = RfmThresholds {
            recency_days: [90, 30, 180, 365],
            ..t
        };
        assert!(bad.validate().is_err());
    }
}
