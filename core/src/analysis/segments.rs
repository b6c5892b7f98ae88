//! 顧客セグメント: the six segments of small shops (docs/domain.md §5), each with its action, and
//! the common five of large mail-order companies.
//!
//! The order count here is the number of orders (two orders on one day count as two), and
//! days since the last order are counted at the analysis date.

use serde::{Deserialize, Serialize};

use super::customers::{CustomerBase, CustomerStats};
use super::summary::ratio;
use super::{AnalysisError, AnalysisErrorKind};
use crate::orders::Day;

/// The share of active customers that are 優良顧客 in the common five.
pub const TOP_SHARE: f64 = 0.20;

/// The thresholds of the six segments, every one editable. Days are days since the last
/// order at the analysis date, inclusive upper bounds.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentRules {
    /// Active (新規・固定化候補・固定客) up to this many days: 90.
    pub active_days: u32,
    /// スリープ顧客 up to this many days: 180.
    pub sleep_days: u32,
    /// 半休眠顧客 up to this many days: 365; beyond is 休眠顧客.
    pub half_dormant_days: u32,
    /// 固定化候補 from this many orders: 2 (fewer is 新規顧客).
    pub candidate_orders: u64,
    /// 固定客 from this many orders: 3.
    pub regular_orders: u64,
}

impl Default for SegmentRules {
    fn default() -> Self {
        SegmentRules {
            active_days: 90,
            sleep_days: 180,
            half_dormant_days: 365,
            candidate_orders: 2,
            regular_orders: 3,
        }
    }
}

impl SegmentRules {
    /// Checks that the day bounds increase and the order counts make three groups.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::segments::SegmentRules;
    /// assert!(SegmentRules::default().validate().is_ok());
    /// let bad = SegmentRules { sleep_days: 60, ..SegmentRules::default() };
    /// assert!(bad.validate().is_err());
    /// ```
    pub fn validate(&self) -> Result<(), AnalysisError> {
        if !(self.active_days < self.sleep_days && self.sleep_days < self.half_dormant_days) {
            return Err(AnalysisErrorKind::SegmentDays {
                active_days: self.active_days,
                sleep_days: self.sleep_days,
                half_dormant_days: self.half_dormant_days,
            }
            .into());
        }
        if !(2 <= self.candidate_orders && self.candidate_orders < self.regular_orders) {
            return Err(AnalysisErrorKind::SegmentOrders {
                candidate_orders: self.candidate_orders,
                regular_orders: self.regular_orders,
            }
            .into());
        }
        Ok(())
    }

    /// The segment of one customer at `as_of`.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::{customers::CustomerStats, segments::{Segment, SegmentRules}};
    /// let s = CustomerStats {
    ///     first_day: 0, second_day: Some(5), last_day: 10, orders: 3, order_days: 3, revenue: 1.0,
    /// };
    /// let rules = SegmentRules::default();
    /// assert_eq!(rules.segment(&s, 100), Segment::Regular); // 90 days: still active
    /// assert_eq!(rules.segment(&s, 101), Segment::Sleep); // 91 days
    /// ```
    pub fn segment(&self, stats: &CustomerStats, as_of: Day) -> Segment {
        let days = stats.days_since_last(as_of);
        if days <= i64::from(self.active_days) {
            if stats.orders >= self.regular_orders {
                Segment::Regular
            } else if stats.orders >= self.candidate_orders {
                Segment::Candidate
            } else {
                Segment::New
            }
        } else if days <= i64::from(self.sleep_days) {
            Segment::Sleep
        } else if days <= i64::from(self.half_dormant_days) {
            Segment::HalfDormant
        } else {
            Segment::Dormant
        }
    }
}

/// The six segments of small shops.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
pub enum Segment {
    /// 新規顧客: one order, active.
    New,
    /// 固定化候補: two orders, active.
    Candidate,
    /// 固定客: three or more orders, active.
    Regular,
    /// スリープ顧客: last order 91–180 days ago.
    Sleep,
    /// 半休眠顧客: last order 181–365 days ago.
    HalfDormant,
    /// 休眠顧客: no order for over 365 days.
    Dormant,
}

impl Segment {
    /// The six, in the order the page lists them.
    pub const ALL: [Segment; 6] = [
        Segment::New,
        Segment::Candidate,
        Segment::Regular,
        Segment::Sleep,
        Segment::HalfDormant,
        Segment::Dormant,
    ];
}

/// The figures of one segment.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentFigures {
    pub segment: Segment,
    pub customers: u64,
    /// customers ÷ all customers.
    pub share: Option<f64>,
    pub revenue: f64,
    /// revenue ÷ all revenue.
    pub revenue_share: Option<f64>,
    /// 平均注文回数.
    pub average_orders: Option<f64>,
    /// 平均累計購入金額 (revenue per customer).
    pub average_spend: Option<f64>,
    /// 最終注文からの平均日数.
    pub average_days_since_last: Option<f64>,
}

/// The six segments, always all six in [`Segment::ALL`] order.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Segments {
    pub rules: SegmentRules,
    pub segments: Vec<SegmentFigures>,
    /// Each customer's segment, by customer id (`None` for ids without an order by the date).
    #[serde(skip)]
    pub by_customer: Vec<Option<Segment>>,
}

impl Segments {
    /// The figures of one segment.
    pub fn get(&self, segment: Segment) -> &SegmentFigures {
        // ALL order is kept by construction.
        &self.segments[segment as usize]
    }

    /// Customer `c`'s segment; 休眠 for a customer without an order by the analysis's date
    /// (the per-customer rows and the findings read it so).
    pub fn of(&self, c: u32) -> Segment {
        super::assigned(&self.by_customer, c).unwrap_or(Segment::Dormant)
    }
}

/// The six segments at the base's date under `rules`.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, segments::{segments, Segment, SegmentRules}};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: 0, amount: 1_000.0 },
///         Order { customer: 1, day: 400, amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let s = segments(&CustomerBase::new(&table, None), &SegmentRules::default());
/// assert_eq!(s.get(Segment::New).customers, 1);
/// assert_eq!(s.get(Segment::Dormant).customers, 1); // 400 days since day 0
/// assert_eq!(s.get(Segment::New).revenue_share, Some(0.75));
/// ```
pub fn segments(base: &CustomerBase, rules: &SegmentRules) -> Segments {
    let as_of = base.as_of();
    let mut acc = [(0u64, 0f64, 0u64, 0i64); 6];
    let mut by_customer = vec![None; base.id_count()];
    for (c, s) in base.customers() {
        let seg = rules.segment(s, as_of);
        by_customer[c as usize] = Some(seg);
        let a = &mut acc[seg as usize];
        a.0 += 1;
        a.1 += s.revenue;
        a.2 += s.orders;
        a.3 += s.days_since_last(as_of);
    }
    let customers = base.customer_count();
    let revenue = base.revenue();
    let segments = Segment::ALL
        .iter()
        .map(|&seg| {
            let (n, rev, orders, days) = acc[seg as usize];
            SegmentFigures {
                segment: seg,
                customers: n,
                share: ratio(n as f64, customers),
                revenue: rev,
                revenue_share: (revenue != 0.0 && customers > 0).then(|| rev / revenue),
                average_orders: ratio(orders as f64, n),
                average_spend: ratio(rev, n),
                average_days_since_last: ratio(days as f64, n),
            }
        })
        .collect();
    Segments {
        rules: *rules,
        segments,
        by_customer,
    }
}

/// The common five of large mail-order companies, plus the active repeat customers that
/// none of the five names.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CommonSegment {
    /// 見込み顧客: registered, never ordered. An order table has no such rows, so it is
    /// always reported absent.
    Prospect,
    /// 優良顧客: active, and in the top 20 % of active customers by orders × revenue.
    Loyal,
    /// 新規顧客: active, first order within the active days, not 優良.
    New,
    /// 既存顧客: active, first order before the active days, not 優良 (the five leave them out).
    Existing,
    /// 休眠顧客: last order past the active days, up to the half-dormant days (91–365).
    Dormant,
    /// 離反顧客: no order for longer than the half-dormant days (over 365).
    Lapsed,
}

impl CommonSegment {
    /// In the order the page lists them.
    pub const ALL: [CommonSegment; 6] = [
        CommonSegment::Prospect,
        CommonSegment::New,
        CommonSegment::Existing,
        CommonSegment::Loyal,
        CommonSegment::Dormant,
        CommonSegment::Lapsed,
    ];
}

/// The figures of one of the common five.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommonSegmentFigures {
    pub segment: CommonSegment,
    /// `false` for 見込み顧客 (the data cannot hold them).
    pub present: bool,
    pub customers: u64,
    pub share: Option<f64>,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

/// The common five (and 既存顧客) with each customer's group by id.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CommonSegments {
    pub segments: Vec<CommonSegmentFigures>,
    #[serde(skip)]
    pub by_customer: Vec<Option<CommonSegment>>,
}

/// The common five under `rules` (active = within `active_days`; 離反 beyond
/// `half_dormant_days`). 優良顧客: active customers are ranked by orders × revenue; a
/// customer is 優良 when fewer than 20 % of active customers (rounded up) score strictly
/// higher, so equal scores are never split.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{customers::CustomerBase, segments::*};
/// use ltv_core::orders::{Order, OrderTable};
/// let orders = (0..5u32)
///     .map(|c| Order { customer: c, day: 100, amount: 1_000.0 * f64::from(c + 1) })
///     .collect();
/// let table = OrderTable { customer_keys: (0..5).map(|c| c.to_string()).collect(), orders, ..Default::default() };
/// let five = common_segments(&CustomerBase::new(&table, None), &SegmentRules::default());
/// assert_eq!(five.by_customer[4], Some(CommonSegment::Loyal)); // the top 1 of 5
/// assert_eq!(five.by_customer[3], Some(CommonSegment::New));
/// ```
pub fn common_segments(base: &CustomerBase, rules: &SegmentRules) -> CommonSegments {
    let as_of = base.as_of();
    let active_days = i64::from(rules.active_days);
    let mut scores: Vec<f64> = base
        .customers()
        .filter(|(_, s)| s.days_since_last(as_of) <= active_days)
        .map(|(_, s)| loyalty_score(s))
        .collect();
    scores.sort_unstable_by(|a, b| b.total_cmp(a));
    let top = (TOP_SHARE * scores.len() as f64).ceil() as usize;
    // The lowest score still in the top: a customer is 優良 when fewer than `top` score higher.
    let cutoff = scores.get(top.saturating_sub(1)).copied();

    let mut by_customer = vec![None; base.id_count()];
    let mut acc = [(0u64, 0f64); 6];
    for (c, s) in base.customers() {
        let days = s.days_since_last(as_of);
        let group = if days > i64::from(rules.half_dormant_days) {
            CommonSegment::Lapsed
        } else if days > active_days {
            CommonSegment::Dormant
        } else if top > 0 && cutoff.is_some_and(|cut| loyalty_score(s) >= cut) {
            CommonSegment::Loyal
        } else if i64::from(as_of) - i64::from(s.first_day) <= active_days {
            CommonSegment::New
        } else {
            CommonSegment::Existing
        };
        by_customer[c as usize] = Some(group);
        let i = CommonSegment::ALL
            .iter()
            .position(|&g| g == group)
            .unwrap_or(0);
        acc[i].0 += 1;
        acc[i].1 += s.revenue;
    }
    let customers = base.customer_count();
    let revenue = base.revenue();
    let segments = CommonSegment::ALL
        .iter()
        .zip(acc)
        .map(|(&g, (n, rev))| CommonSegmentFigures {
            segment: g,
            present: g != CommonSegment::Prospect,
            customers: n,
            share: ratio(n as f64, customers),
            revenue: rev,
            revenue_share: (revenue != 0.0 && customers > 0).then(|| rev / revenue),
        })
        .collect();
    CommonSegments {
        segments,
        by_customer,
    }
}

/// Frequency × spend, the ranking of 優良顧客.
fn loyalty_score(s: &CustomerStats) -> f64 {
    s.orders as f64 * s.revenue
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Order, OrderTable};

    fn stats(last_day: Day, orders: u64) -> CustomerStats {
        CustomerStats {
            first_day: 0,
            second_day: None, // the rules do not read it
            last_day,
            orders,
            order_days: orders,
            revenue: 1.0,
        }
    }

    #[test]
    fn default_rules_at_their_edges() {
        let rules = SegmentRules::default();
        let as_of = 1_000;
        // (days since last order, orders, segment)
        let cases = [
            (0, 1, Segment::New),
            (90, 1, Segment::New),
            (90, 2, Segment::Candidate),
            (90, 3, Segment::Regular),
            (0, 40, Segment::Regular),
            (91, 1, Segment::Sleep),
            (91, 9, Segment::Sleep),
            (180, 2, Segment::Sleep),
            (181, 2, Segment::HalfDormant),
            (365, 5, Segment::HalfDormant),
            (366, 1, Segment::Dormant),
            (999, 3, Segment::Dormant),
        ];
        for (days, orders, want) in cases {
            let got = rules.segment(&stats(as_of - days, orders), as_of);
            assert_eq!(got, want, "{days} days, {orders} orders");
        }
    }

    #[test]
    fn edited_rules_move_the_edges() {
        let rules = SegmentRules {
            active_days: 30,
            sleep_days: 60,
            half_dormant_days: 120,
            candidate_orders: 3,
            regular_orders: 5,
        };
        let cases = [
            (30, 2, Segment::New),
            (30, 3, Segment::Candidate),
            (30, 5, Segment::Regular),
            (31, 5, Segment::Sleep),
            (61, 5, Segment::HalfDormant),
            (121, 5, Segment::Dormant),
        ];
        for (days, orders, want) in cases {
            assert_eq!(rules.segment(&stats(500 - days, orders), 500), want);
        }
    }

    #[test]
    fn bad_rules_are_refused() {
        let d = SegmentRules::default();
        let cases = [
            (d, true),
            (
                SegmentRules {
                    sleep_days: 90,
                    ..d
                },
                false,
            ),
            (
                SegmentRules {
                    half_dormant_days: 100,
                    ..d
                },
                false,
            ),
            (
                SegmentRules {
                    candidate_orders: 1,
                    ..d
                },
                false,
            ),
            (
                SegmentRules {
                    regular_orders: 2,
                    ..d
                },
                false,
            ),
            (
                SegmentRules {
                    candidate_orders: 3,
                    regular_orders: 6,
                    ..d
                },
                true,
            ),
        ];
        for (rules, ok) in cases {
            assert_eq!(rules.validate().is_ok(), ok, "{rules:?}");
        }
    }

    #[test]
    fn loyal_ties_are_not_split_and_prospects_are_absent() {
        // Ten active customers: scores 10, 10, 10, 5, 5, 1 × 5 → the top 20 % is two places,
        // but three share the top score, so three are 優良.
        let amounts = [10.0, 10.0, 10.0, 5.0, 5.0, 1.0, 1.0, 1.0, 1.0, 1.0];
        let mut orders: Vec<Order> = amounts
            .iter()
            .enumerate()
            .map(|(c, &a)| Order {
                customer: c as u32,
                day: 500,
                amount: a,
            })
            .collect();
        // One customer since long ago (既存), one lapsed, one dormant.
        orders.push(Order {
            customer: 9,
            day: 100,
            amount: 0.0,
        });
        orders.push(Order {
            customer: 10,
            day: 100,
            amount: 50.0,
        });
        orders.push(Order {
            customer: 11,
            day: 300,
            amount: 50.0,
        });
        let t = OrderTable {
            customer_keys: (0..12).map(|c| c.to_string()).collect(),
            orders,
            ..Default::default()
        };
        let five = common_segments(&CustomerBase::new(&t, None), &SegmentRules::default());
        let count = |g: CommonSegment| five.by_customer.iter().filter(|&&x| x == Some(g)).count();
        assert_eq!(count(CommonSegment::Loyal), 3);
        assert_eq!(count(CommonSegment::New), 6);
        assert_eq!(count(CommonSegment::Existing), 1);
        assert_eq!(count(CommonSegment::Lapsed), 1);
        assert_eq!(count(CommonSegment::Dormant), 1);
        let prospect = &five.segments[0];
        assert_eq!(
            (prospect.segment, prospect.present, prospect.customers),
            (CommonSegment::Prospect, false, 0)
        );
    }
}
