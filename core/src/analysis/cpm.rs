//! CPM分析 (Customer Portfolio Management): ten groups by number of orders, tenure, total
//! spend and lapse, and how customers move between them month by month.
//!
//! # Rules (defaults editable in [`CpmRules`])
//! - 初回客: one order.
//! - よちよち客: two or more orders, total spend under ¥70,000, tenure under 90 days.
//! - コツコツ客: two or more orders, total spend under ¥70,000, tenure 90 days or more.
//! - 流行客: two or more orders, total spend ¥70,000 or more, tenure under 210 days.
//! - 優良客: two or more orders, total spend ¥70,000 or more, tenure 210 days or more.
//!
//! Tenure (在籍期間) is days from the first to the latest order. Each group is 現役 (active)
//! or 離脱 (lapsed: no order for 240 days or more at the date): ten groups.

use serde::{Deserialize, Serialize};

use super::customers::{yen, CustomerBase, CustomerStats};
use super::summary::ratio;
use super::{AnalysisError, AnalysisErrorKind};
use crate::orders::{day_from_ymd, iso_date, month_label, Day, MonthIndex, OrderTable};

/// How many month-to-month flows are reported (the last 12 months).
pub const FLOW_MONTHS: usize = 12;

/// The CPM rules, every threshold editable.
#[derive(Clone, Copy, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpmRules {
    /// 離脱: no order for at least this many days: 240.
    pub lapse_days: u32,
    /// よちよち客 below this tenure in days: 90.
    pub young_tenure_days: u32,
    /// 優良客 from this tenure in days: 210.
    pub loyal_tenure_days: u32,
    /// 流行客・優良客 from this total spend in yen: 70,000.
    pub spend_yen: f64,
}

impl Default for CpmRules {
    fn default() -> Self {
        CpmRules {
            lapse_days: 240,
            young_tenure_days: 90,
            loyal_tenure_days: 210,
            spend_yen: 70_000.0,
        }
    }
}

impl CpmRules {
    /// Checks that the values are positive and finite.
    pub fn validate(&self) -> Result<(), AnalysisError> {
        if self.lapse_days == 0
            || self.young_tenure_days == 0
            || self.loyal_tenure_days == 0
            || !(self.spend_yen.is_finite() && self.spend_yen > 0.0)
        {
            return Err(AnalysisErrorKind::CpmRules.into());
        }
        Ok(())
    }

    /// The group of a customer at `as_of`.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::{cpm::{CpmGroup, CpmRules, CpmStage}, customers::CustomerStats};
    /// let s = CustomerStats {
    ///     first_day: 0, second_day: Some(60), last_day: 210, orders: 4, order_days: 4, revenue: 70_000.0,
    /// };
    /// let g = CpmRules::default().group(&s, 449);
    /// assert_eq!(g, CpmGroup { stage: CpmStage::Loyal, lapsed: false });
    /// assert!(CpmRules::default().group(&s, 450).lapsed); // 240 days
    /// ```
    pub fn group(&self, stats: &CustomerStats, as_of: Day) -> CpmGroup {
        let stage = if stats.orders <= 1 {
            CpmStage::First
        } else if stats.revenue >= self.spend_yen {
            if stats.tenure_days() >= i64::from(self.loyal_tenure_days) {
                CpmStage::Loyal
            } else {
                CpmStage::Trendy
            }
        } else if stats.tenure_days() < i64::from(self.young_tenure_days) {
            CpmStage::Toddler
        } else {
            CpmStage::Steady
        };
        CpmGroup {
            stage,
            lapsed: stats.days_since_last(as_of) >= i64::from(self.lapse_days),
        }
    }
}

/// The five stages of CPM.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum CpmStage {
    /// 初回客.
    First,
    /// よちよち客.
    Toddler,
    /// コツコツ客.
    Steady,
    /// 流行客.
    Trendy,
    /// 優良客.
    Loyal,
}

impl CpmStage {
    pub const ALL: [CpmStage; 5] = [
        CpmStage::First,
        CpmStage::Toddler,
        CpmStage::Steady,
        CpmStage::Trendy,
        CpmStage::Loyal,
    ];
}

/// A stage, active or lapsed.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct CpmGroup {
    pub stage: CpmStage,
    /// 離脱: no order for the lapse days or more.
    pub lapsed: bool,
}

impl CpmGroup {
    /// The ten groups: the five active ones, then the five lapsed.
    pub fn all() -> [CpmGroup; 10] {
        let mut out = [CpmGroup {
            stage: CpmStage::First,
            lapsed: false,
        }; 10];
        for (i, g) in out.iter_mut().enumerate() {
            *g = CpmGroup {
                stage: CpmStage::ALL[i % 5],
                lapsed: i >= 5,
            };
        }
        out
    }

    /// Index in [`CpmGroup::all`].
    pub fn index(self) -> usize {
        self.stage as usize + if self.lapsed { 5 } else { 0 }
    }
}

/// Customers and revenue of one group.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpmGroupFigures {
    pub group: CpmGroup,
    pub customers: u64,
    pub share: Option<f64>,
    pub revenue: f64,
    pub revenue_share: Option<f64>,
}

/// How customers moved from one month end to the next.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CpmFlow {
    /// `YYYY-MM` of the month whose end is the start.
    pub from_month: String,
    /// `YYYY-MM` of the month whose end (or the analysis date) is the end.
    pub to_month: String,
    /// The two dates, ISO.
    pub from_date: String,
    pub to_date: String,
    /// `counts[from][to]`, 11 × 11: index 0 is 未購入 (no order yet), then the ten groups in
    /// [`CpmGroup::all`] order plus one (a customer never goes back to 未購入, so column 0
    /// holds only those who stayed without an order).
    pub counts: Vec<Vec<u64>>,
}

/// The CPM table and its flows.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Cpm {
    pub rules: CpmRules,
    /// The ten groups in [`CpmGroup::all`] order.
    pub groups: Vec<CpmGroupFigures>,
    /// Up to [`FLOW_MONTHS`] flows, oldest first, only from month ends on or after the first
    /// order.
    pub flows: Vec<CpmFlow>,
    /// Each customer's group by id (`None` for ids without an order by the date).
    #[serde(skip)]
    pub by_customer: Vec<Option<CpmGroup>>,
}

/// The CPM groups at the date and the flows between the last 13 month ends.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{cpm::{cpm, CpmGroup, CpmRules, CpmStage}, customers::CustomerBase};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a"].into(),
///     orders: vec![Order { customer: 0, day: 0, amount: 5_000.0 }],
///     ..Default::default()
/// };
/// let c = cpm(&CustomerBase::new(&table, Some(300)), &table, &CpmRules::default());
/// assert_eq!(c.groups[5].group, CpmGroup { stage: CpmStage::First, lapsed: true });
/// assert_eq!(c.groups[5].customers, 1);
/// ```
pub fn cpm(base: &CustomerBase, table: &OrderTable, rules: &CpmRules) -> Cpm {
    let as_of = base.as_of();
    let mut by_customer = vec![None; base.id_count()];
    let mut acc = [(0u64, 0f64); 10];
    for (c, s) in base.customers() {
        let g = rules.group(s, as_of);
        by_customer[c as usize] = Some(g);
        acc[g.index()].0 += 1;
        acc[g.index()].1 += s.revenue;
    }
    let customers = base.customer_count();
    let revenue = base.revenue();
    let groups = CpmGroup::all()
        .iter()
        .zip(acc)
        .map(|(&g, (n, rev))| CpmGroupFigures {
            group: g,
            customers: n,
            share: ratio(n as f64, customers),
            revenue: rev,
            revenue_share: (revenue != 0.0 && customers > 0).then(|| rev / revenue),
        })
        .collect();
    Cpm {
        rules: *rules,
        groups,
        flows: flows(base, table, rules),
        by_customer,
    }
}

/// The last day of a month, or `None` far outside the calendar.
fn month_end(month: MonthIndex) -> Option<Day> {
    let next = month + 1;
    day_from_ymd(next.div_euclid(12), next.rem_euclid(12) as u32 + 1, 1).map(|d| d - 1)
}

fn flows(base: &CustomerBase, table: &OrderTable, rules: &CpmRules) -> Vec<CpmFlow> {
    if base.customer_count() == 0 {
        return Vec::new();
    }
    let as_of = base.as_of();
    let last = base.month(as_of);
    // Month ends from 12 months before the date's month to the date itself, kept only from
    // the first order on (earlier ones would show nobody).
    let mut ends: Vec<(MonthIndex, Day)> = Vec::with_capacity(FLOW_MONTHS + 1);
    for k in (0..=FLOW_MONTHS as i32).rev() {
        let month = last - k;
        let Some(end) = (if k == 0 {
            Some(as_of)
        } else {
            month_end(month)
        }) else {
            continue;
        };
        if end >= base.first_day() {
            ends.push((month, end));
        }
    }
    if ends.len() < 2 {
        return Vec::new();
    }
    // Flat: flow e, from, to.
    let mut counts = vec![0u64; (ends.len() - 1) * 121];
    let mut states = vec![0usize; ends.len()];
    for (c, _) in base.customers() {
        // Walk the orders once, taking a snapshot of the aggregates at each month end.
        let mut orders = base.orders_of(table, c).peekable();
        let mut s = CustomerStats::default();
        for (e, &(_, end)) in ends.iter().enumerate() {
            while let Some((_, o)) = orders.next_if(|(_, o)| o.day <= end) {
                if s.orders == 0 {
                    s.first_day = o.day;
                }
                s.last_day = o.day;
                s.orders += 1;
                s.revenue += yen(o.amount);
            }
            states[e] = if s.orders == 0 {
                0
            } else {
                1 + rules.group(&s, end).index()
            };
        }
        for e in 0..ends.len() - 1 {
            counts[e * 121 + states[e] * 11 + states[e + 1]] += 1;
        }
    }
    ends.windows(2)
        .zip(counts.chunks(121))
        .map(|(w, flat)| CpmFlow {
            from_month: month_label(w[0].0),
            to_month: month_label(w[1].0),
            from_date: iso_date(w[0].1),
            to_date: iso_date(w[1].1),
            counts: flat.chunks(11).map(<[u64]>::to_vec).collect(),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::{Order, OrderTable};

    fn stats(first: Day, last: Day, orders: u64, revenue: f64) -> CustomerStats {
        CustomerStats {
            first_day: first,
            second_day: None, // the rules do not read it
            last_day: last,
            orders,
            order_days: orders,
            revenue,
        }
    }

    #[test]
    fn groups_at_their_edges() {
        let r = CpmRules::default();
        let as_of = 1_000;
        let g = |stage, lapsed| CpmGroup { stage, lapsed };
        use CpmStage::*;
        // (first, last, orders, revenue, group)
        let cases = [
            (990, 990, 1, 200_000.0, g(First, false)),
            (911, 1_000, 2, 69_999.0, g(Toddler, false)), // tenure 89
            (910, 1_000, 2, 69_999.0, g(Steady, false)),  // tenure 90
            (791, 1_000, 2, 70_000.0, g(Trendy, false)),  // tenure 209
            (790, 1_000, 2, 70_000.0, g(Loyal, false)),   // tenure 210
            (500, 761, 5, 100_000.0, g(Loyal, false)),    // 239 days since
            (500, 760, 5, 100_000.0, g(Loyal, true)),     // 240 days since
            (100, 100, 1, 1.0, g(First, true)),
            (600, 700, 3, 10.0, g(Steady, true)),
            (690, 700, 3, 10.0, g(Toddler, true)),
            (690, 700, 3, 80_000.0, g(Trendy, true)),
        ];
        for (first, last, orders, revenue, want) in cases {
            let got = r.group(&stats(first, last, orders, revenue), as_of);
            assert_eq!(got, want, "{first}..{last}, {orders} orders, ¥{revenue}");
        }
        let all = CpmGroup::all();
        for (i, g) in all.iter().enumerate() {
            assert_eq!(g.index(), i);
        }
        assert!(r.validate().is_ok());
        assert!(CpmRules {
            spend_yen: 0.0,
            ..r
        }
        .validate()
        .is_err());
        assert!(CpmRules { lapse_days: 0, ..r }.validate().is_err());
    }

    #[test]
    fn flows_follow_customers_across_month_ends() {
        let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
        // a: first order in January, second in March (よちよち from the end of March);
        // b: first order in March.
        let t = OrderTable {
            customer_keys: ["a", "b"].into(),
            orders: vec![
                Order {
                    customer: 0,
                    day: d(1, 10),
                    amount: 1_000.0,
                },
                Order {
                    customer: 0,
                    day: d(3, 5),
                    amount: 1_000.0,
                },
                Order {
                    customer: 1,
                    day: d(3, 20),
                    amount: 1_000.0,
                },
            ],
            ..Default::default()
        };
        let c = cpm(
            &CustomerBase::new(&t, Some(d(4, 10))),
            &t,
            &CpmRules::default(),
        );
        // Month ends from January (the first order) to the date: Jan→Feb, Feb→Mar, Mar→Apr 10.
        let labels: Vec<(&str, &str)> = c
            .flows
            .iter()
            .map(|f| (f.from_month.as_str(), f.to_month.as_str()))
            .collect();
        assert_eq!(
            labels,
            vec![
                ("2024-01", "2024-02"),
                ("2024-02", "2024-03"),
                ("2024-03", "2024-04")
            ]
        );
        assert_eq!(c.flows[2].to_date, "2024-04-10");
        let first = 1 + CpmGroup {
            stage: CpmStage::First,
            lapsed: false,
        }
        .index();
        let toddler = 1 + CpmGroup {
            stage: CpmStage::Toddler,
            lapsed: false,
        }
        .index();
        let jan_feb = &c.flows[0].counts;
        assert_eq!(jan_feb[first][first], 1);
        assert_eq!(jan_feb[0][0], 1); // b not yet a customer
        let feb_mar = &c.flows[1].counts;
        assert_eq!(feb_mar[first][toddler], 1);
        assert_eq!(feb_mar[0][first], 1);
        for flow in &c.flows {
            let total: u64 = flow.counts.iter().flatten().sum();
            assert_eq!(total, 2);
        }
    }
}
