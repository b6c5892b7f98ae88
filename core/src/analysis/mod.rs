//! 分析: the figures a shop owner asks of imported orders, computed from one set of
//! per-customer aggregates at an analysis date (基準日).
//!
//! [`analyse`] is the one entry point: an [`OrderTable`] and [`AnalysisParams`] in, an
//! [`Analysis`] with every view and the per-customer rows out. Each view is also a function
//! of its own over a [`customers::CustomerBase`], for callers that need one view only.
//!
//! - [`summary`]: customers, orders, AOV, revenue per customer by year and over 12 / 24
//!   months (通販LTV by the rough method), repeat customers, F2転換率.
//! - [`monthly`]: リピーター率 and リピート率 by month.
//! - [`cohorts`]: retention and the LTV curve by first-order month.
//! - [`segments`]: the six segments with their actions, and the common five.
//! - [`rfm`]: RFM scores, the R × F grid and its named groups.
//! - [`cpm`]: CPM groups and their month-to-month flows.
//! - [`ltv_curve`]: revenue per customer at fixed days after the first order.
//! - [`products`]: first products, next products, products bought together.
//! - [`export`]: the per-customer CSV and the summary JSON.

pub mod cohorts;
pub mod compare;
pub mod cpm;
pub mod customers;
mod error;
pub mod export;
pub mod findings;
pub mod ltv_curve;
pub mod measured;
pub mod monthly;
pub mod products;
pub mod rfm;
pub mod segments;
pub mod summary;

#[cfg(test)]
mod tests;

use serde::{Deserialize, Serialize};

pub use error::{AnalysisError, AnalysisErrorKind, RfmAxis};

use crate::orders::{iso_date, Day, OrderTable};
use cohorts::Cohorts;
use cpm::{Cpm, CpmGroup, CpmRules};
use customers::CustomerBase;
use ltv_curve::LtvByDays;
use monthly::Monthly;
use products::Products;
use rfm::{Rfm, RfmGroup, RfmMode, RfmScore};
use segments::{CommonSegment, CommonSegments, Segment, SegmentRules, Segments};
use summary::Summary;

/// The F2 days the page offers.
pub const F2_DAY_CHOICES: [u32; 4] = [30, 90, 180, 365];

/// The settings of an analysis. `Default` is the articles' defaults: the last order day,
/// 1 year, F2 within 90 days, the six segments' default rules, RFM by quintile, CPM 240 /
/// 90 / 210 days and ¥70,000.
///
/// Built with [`AnalysisParams::new`] and the `with_` methods, each of which checks its
/// setting and says what is wrong in Japanese; read with the getters. Settings read back
/// (serde) are checked the same way, so an `AnalysisParams` is always valid.
///
/// # Examples
/// ```
/// use ltv_core::analysis::AnalysisParams;
/// use ltv_core::analysis::segments::SegmentRules;
/// let two_years = AnalysisParams::new().with_horizon_years(2).unwrap();
/// assert_eq!(two_years.horizon_years(), 2);
/// let err = AnalysisParams::new().with_horizon_years(3).unwrap_err();
/// assert!(err.message().contains("1年か2年"));
/// let stricter = SegmentRules { active_days: 30, ..SegmentRules::default() };
/// let params = two_years.with_segment_rules(stricter).unwrap();
/// assert_eq!(params.segment_rules().active_days, 30);
/// ```
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(try_from = "AnalysisSettings")]
pub struct AnalysisParams {
    as_of: Option<Day>,
    horizon_years: u32,
    f2_days: u32,
    segment_rules: SegmentRules,
    rfm: RfmMode,
    cpm: CpmRules,
}

impl Default for AnalysisParams {
    fn default() -> Self {
        AnalysisParams {
            as_of: None,
            horizon_years: 1,
            f2_days: 90,
            segment_rules: SegmentRules::default(),
            rfm: RfmMode::Quintile,
            cpm: CpmRules::default(),
        }
    }
}

/// The fields of [`AnalysisParams`] as read, before they are checked.
#[derive(Deserialize)]
struct AnalysisSettings {
    as_of: Option<Day>,
    horizon_years: u32,
    f2_days: u32,
    segment_rules: SegmentRules,
    rfm: RfmMode,
    cpm: CpmRules,
}

impl TryFrom<AnalysisSettings> for AnalysisParams {
    type Error = AnalysisError;

    fn try_from(s: AnalysisSettings) -> Result<Self, AnalysisError> {
        let params = AnalysisParams {
            as_of: s.as_of,
            horizon_years: s.horizon_years,
            f2_days: s.f2_days,
            segment_rules: s.segment_rules,
            rfm: s.rfm,
            cpm: s.cpm,
        };
        params.validate().map(|()| params)
    }
}

impl AnalysisParams {
    /// The defaults.
    pub fn new() -> Self {
        Self::default()
    }

    /// 基準日: orders after it are ignored; `None` = the last order day.
    pub fn with_as_of(mut self, as_of: Option<Day>) -> Self {
        self.as_of = as_of;
        self
    }

    /// 分析期間 in years.
    ///
    /// # Errors
    /// [`AnalysisErrorKind::Horizon`] for anything but 1 or 2.
    pub fn with_horizon_years(mut self, years: u32) -> Result<Self, AnalysisError> {
        self.horizon_years = years;
        self.validate().map(|()| self)
    }

    /// F2転換率 within this many days of the first order.
    ///
    /// # Errors
    /// [`AnalysisErrorKind::F2Days`] for 0.
    pub fn with_f2_days(mut self, days: u32) -> Result<Self, AnalysisError> {
        self.f2_days = days;
        self.validate().map(|()| self)
    }

    /// The six segments' rules.
    ///
    /// # Errors
    /// When the day bounds do not increase or the order counts do not make three groups.
    pub fn with_segment_rules(mut self, rules: SegmentRules) -> Result<Self, AnalysisError> {
        self.segment_rules = rules;
        self.validate().map(|()| self)
    }

    /// How RFM scores are given.
    ///
    /// # Errors
    /// When thresholds are given whose axis does not strictly increase.
    pub fn with_rfm(mut self, rfm: RfmMode) -> Result<Self, AnalysisError> {
        self.rfm = rfm;
        self.validate().map(|()| self)
    }

    /// The CPM rules.
    ///
    /// # Errors
    /// [`AnalysisErrorKind::CpmRules`] when a value is not positive and finite.
    pub fn with_cpm(mut self, cpm: CpmRules) -> Result<Self, AnalysisError> {
        self.cpm = cpm;
        self.validate().map(|()| self)
    }

    /// 基準日 (`None`: the last order day).
    pub fn as_of(&self) -> Option<Day> {
        self.as_of
    }

    /// 分析期間: 1 or 2 years.
    pub fn horizon_years(&self) -> u32 {
        self.horizon_years
    }

    /// F2転換率 within this many days of the first order.
    pub fn f2_days(&self) -> u32 {
        self.f2_days
    }

    pub fn segment_rules(&self) -> SegmentRules {
        self.segment_rules
    }

    pub fn rfm(&self) -> &RfmMode {
        &self.rfm
    }

    pub fn cpm(&self) -> CpmRules {
        self.cpm
    }

    /// Checks every setting, the first problem in Japanese. [`analyse`] never fails: with a
    /// bad setting (only the crate's own tests can make one) it still answers, some groups
    /// empty, a horizon read as the nearer of 1 and 2.
    fn validate(&self) -> Result<(), AnalysisError> {
        if !(1..=2).contains(&self.horizon_years) {
            return Err(AnalysisErrorKind::Horizon {
                years: self.horizon_years,
            }
            .into());
        }
        if self.f2_days == 0 {
            return Err(AnalysisErrorKind::F2Days { days: 0 }.into());
        }
        self.segment_rules.validate()?;
        if let RfmMode::Thresholds(t) = &self.rfm {
            t.validate()?;
        }
        self.cpm.validate()
    }
}

/// One customer's row: the per-customer table the page lists and exports.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CustomerRow {
    /// Dense customer id.
    pub id: u32,
    /// 顧客キー (normalised email or ID).
    pub key: String,
    /// 初回注文日 (format with [`crate::orders::iso_date`]).
    pub first_day: Day,
    /// 最終注文日.
    pub last_day: Day,
    /// 注文回数.
    pub orders: u64,
    /// Distinct days with an order.
    pub order_days: u64,
    /// 累計購入金額.
    pub revenue: f64,
    /// 最終注文からの日数.
    pub days_since_last: i64,
    pub segment: Segment,
    pub common_segment: CommonSegment,
    pub rfm: RfmScore,
    pub rfm_group: RfmGroup,
    pub cpm: CpmGroup,
}

/// Everything the analysis page shows, at one date with one set of settings.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Analysis {
    /// 基準日.
    pub as_of: Day,
    /// 基準日, ISO.
    pub as_of_date: String,
    /// 1 or 2.
    pub horizon_years: u32,
    /// Revenue per customer over the horizon ending on the date (the 12- or 24-month
    /// figure of the summary).
    pub horizon_ltv: Option<f64>,
    pub params: AnalysisParams,
    pub summary: Summary,
    pub monthly: Monthly,
    pub cohorts: Cohorts,
    pub segments: Segments,
    pub common_segments: CommonSegments,
    pub rfm: Rfm,
    pub cpm: Cpm,
    pub ltv_by_days: LtvByDays,
    /// `None` when the table has no product lines.
    pub products: Option<Products>,
    /// Every customer with an order by the date, by id.
    pub customers: Vec<CustomerRow>,
    /// The findings that matter most, largest yen first ([`findings`]); made from the
    /// per-customer rows, so they stay when the rows are dropped.
    pub findings: Vec<findings::Finding>,
    /// Whether the views below a page's first screen ([`LaterViews`]) are still to come: an
    /// analysis made by [`analyse_first_views`] holds those of no orders until
    /// [`Analysis::set_later_views`].
    pub later_pending: bool,
}

/// The views a page shows below its first screen (the headline with its findings, and the
/// summary), which it can be given after the rest ([`analyse_first_views`]): on a million
/// orders they are about two thirds of the analysis's time, and a page that waits for them
/// waits for nothing it shows first.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct LaterViews {
    pub common_segments: CommonSegments,
    pub rfm: Rfm,
    pub cpm: Cpm,
    pub cohorts: Cohorts,
    pub ltv_by_days: LtvByDays,
    pub products: Option<Products>,
}

impl LaterViews {
    /// The later views of `table` from its `base`, with `params`.
    pub fn new(table: &OrderTable, base: &CustomerBase, params: &AnalysisParams) -> LaterViews {
        LaterViews {
            common_segments: segments::common_segments(base, &params.segment_rules),
            rfm: rfm::rfm(base, &params.rfm),
            cpm: cpm::cpm(base, table, &params.cpm),
            cohorts: cohorts::cohorts(base, table),
            ltv_by_days: ltv_curve::ltv_by_days(base, table),
            products: products::products(base, table, params.f2_days),
        }
    }

    /// Those of no orders at `as_of`: what an analysis holds until its own come.
    fn of_no_orders(as_of: Day, params: &AnalysisParams) -> LaterViews {
        let table = OrderTable::default();
        LaterViews::new(&table, &CustomerBase::new(&table, Some(as_of)), params)
    }
}

impl Analysis {
    /// Puts the later views in ([`analyse_first_views`]); they are no longer pending.
    pub fn set_later_views(&mut self, later: LaterViews) {
        let LaterViews {
            common_segments,
            rfm,
            cpm,
            cohorts,
            ltv_by_days,
            products,
        } = later;
        self.common_segments = common_segments;
        self.rfm = rfm;
        self.cpm = cpm;
        self.cohorts = cohorts;
        self.ltv_by_days = ltv_by_days;
        self.products = products;
        self.later_pending = false;
    }

    /// The analysis as a page shows it: every view, without the per-customer rows (the
    /// caller keeps those for the exports). The rows are not copied.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::analysis::{analyse, AnalysisParams};
    /// use ltv_core::orders::{Order, OrderTable};
    /// let table = OrderTable {
    ///     customer_keys: ["a"].into(),
    ///     orders: vec![Order { customer: 0, day: 10, amount: 1_000.0 }],
    ///     ..Default::default()
    /// };
    /// let full = analyse(&table, &AnalysisParams::default());
    /// let view = full.without_customers();
    /// assert!(view.customers.is_empty());
    /// assert_eq!((view.summary.customers, full.customers.len()), (1, 1));
    /// ```
    pub fn without_customers(&self) -> Analysis {
        Analysis {
            as_of: self.as_of,
            as_of_date: self.as_of_date.clone(),
            horizon_years: self.horizon_years,
            horizon_ltv: self.horizon_ltv,
            params: self.params.clone(),
            summary: self.summary.clone(),
            monthly: self.monthly.clone(),
            cohorts: self.cohorts.clone(),
            segments: self.segments.clone(),
            common_segments: self.common_segments.clone(),
            rfm: self.rfm.clone(),
            cpm: self.cpm.clone(),
            ltv_by_days: self.ltv_by_days.clone(),
            products: self.products.clone(),
            customers: Vec::new(),
            findings: self.findings.clone(),
            later_pending: self.later_pending,
        }
    }
}

/// Analyses a table at `params.as_of` (default: the last order day).
///
/// The orders are grouped by customer once ([`CustomerBase`]) and every view reads that.
/// Orders after the date are ignored by every view. Never fails and never panics: empty
/// tables give zero counts and `None` ratios.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, AnalysisParams};
/// use ltv_core::analysis::segments::Segment;
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a@example.jp", "b@example.jp"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 5), amount: 5_000.0 },
///         Order { customer: 0, day: d(6, 1), amount: 5_000.0 },
///         Order { customer: 1, day: d(2, 1), amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let a = analyse(&table, &AnalysisParams::default());
/// assert_eq!(a.as_of_date, "2024-06-01");
/// assert_eq!(a.summary.customers, 2);
/// assert_eq!(a.customers[0].segment, Segment::Candidate);
/// assert_eq!(a.customers[1].segment, Segment::Sleep); // 121 days since
///
/// // Move the date back: the June order no longer counts.
/// let earlier = AnalysisParams::new().with_as_of(Some(d(3, 1)));
/// assert_eq!(analyse(&table, &earlier).summary.orders, 2);
/// ```
pub fn analyse(table: &OrderTable, params: &AnalysisParams) -> Analysis {
    analyse_with(table, &CustomerBase::new(table, params.as_of), params, None)
}

/// [`analyse`] from a [`CustomerBase`] already built for the table at `params.as_of`, and
/// from the `previous` analysis of the same table, when there is one: each view whose
/// settings did not change is taken over as it is. Moving a segment threshold on a million
/// orders then costs the segments and the per-customer rows. A `previous` made at another
/// date is ignored. [`analyse_views`] leaves the rows out.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, analyse_with, AnalysisParams};
/// use ltv_core::analysis::customers::CustomerBase;
/// use ltv_core::analysis::segments::SegmentRules;
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a@example.jp", "b@example.jp"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 5), amount: 5_000.0 },
///         Order { customer: 0, day: d(6, 1), amount: 5_000.0 },
///         Order { customer: 1, day: d(2, 1), amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let params = AnalysisParams::default();
/// let base = CustomerBase::new(&table, params.as_of());
/// let first = analyse_with(&table, &base, &params, None);
/// let rules = SegmentRules { active_days: 30, ..SegmentRules::default() };
/// let stricter = params.clone().with_segment_rules(rules).unwrap();
/// let again = analyse_with(&table, &base, &stricter, Some(first));
/// assert_eq!(again, analyse(&table, &stricter));
/// ```
pub fn analyse_with(
    table: &OrderTable,
    base: &CustomerBase,
    params: &AnalysisParams,
    previous: Option<Analysis>,
) -> Analysis {
    let mut analysis = analyse_views(table, base, params, previous);
    analysis.customers = customer_rows(table, base, &analysis);
    analysis
}

/// [`analyse_with`] without the per-customer rows: [`Analysis::customers`] is empty, and
/// everything else is the same. This is what a page shows; on many customers the rows are
/// most of an analysis's memory (80 bytes and a key each), so a caller that holds the
/// analysis makes them only when they are asked for, with [`customer_rows`].
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, analyse_views, customer_rows, AnalysisParams};
/// use ltv_core::analysis::customers::CustomerBase;
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a@example.jp", "b@example.jp"].into(),
///     orders: vec![
///         Order { customer: 0, day: 19_000, amount: 5_000.0 },
///         Order { customer: 1, day: 19_100, amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let params = AnalysisParams::default();
/// let base = CustomerBase::new(&table, params.as_of());
/// let views = analyse_views(&table, &base, &params, None);
/// assert!(views.customers.is_empty());
/// let whole = analyse(&table, &params);
/// assert_eq!(views, whole.without_customers());
/// assert_eq!(customer_rows(&table, &base, &views), whole.customers);
/// ```
pub fn analyse_views(
    table: &OrderTable,
    base: &CustomerBase,
    params: &AnalysisParams,
    previous: Option<Analysis>,
) -> Analysis {
    let as_of = base.as_of();
    let previous = previous.filter(|p| p.as_of == as_of);
    let old = previous.as_ref().map(|p| &p.params);
    let unchanged = |same: fn(&AnalysisParams, &AnalysisParams) -> bool| {
        old.is_some_and(|old| same(old, params))
    };
    let same_f2 = unchanged(|a, b| a.f2_days == b.f2_days);
    let same_segments = unchanged(|a, b| a.segment_rules == b.segment_rules);
    let same_rfm = unchanged(|a, b| a.rfm == b.rfm);
    let same_cpm = unchanged(|a, b| a.cpm == b.cpm);
    // A previous analysis whose later views had not come holds those of no orders.
    let later_held = previous.as_ref().is_some_and(|p| !p.later_pending);
    let old = previous.as_ref();
    let views = Views {
        summary: reuse(old.map(|p| &p.summary), same_f2, || {
            summary::summary(base, table, params.f2_days)
        }),
        segments: reuse(old.map(|p| &p.segments), same_segments, || {
            segments::segments(base, &params.segment_rules)
        }),
        // It depends on the date alone.
        monthly: reuse(old.map(|p| &p.monthly), true, || {
            monthly::monthly(base, table)
        }),
        later: LaterViews {
            common_segments: reuse(
                old.map(|p| &p.common_segments),
                same_segments && later_held,
                || segments::common_segments(base, &params.segment_rules),
            ),
            rfm: reuse(old.map(|p| &p.rfm), same_rfm && later_held, || {
                rfm::rfm(base, &params.rfm)
            }),
            cpm: reuse(old.map(|p| &p.cpm), same_cpm && later_held, || {
                cpm::cpm(base, table, &params.cpm)
            }),
            // These depend on the date alone.
            cohorts: reuse(old.map(|p| &p.cohorts), later_held, || {
                cohorts::cohorts(base, table)
            }),
            ltv_by_days: reuse(old.map(|p| &p.ltv_by_days), later_held, || {
                ltv_curve::ltv_by_days(base, table)
            }),
            products: reuse(old.map(|p| &p.products), same_f2 && later_held, || {
                products::products(base, table, params.f2_days)
            }),
        },
    };
    assemble(base, params, views)
}

/// [`analyse_views`] without the views below a page's first screen ([`LaterViews`]), for a
/// page that shows its first screen before they are made: they are those of no orders, and
/// [`Analysis::later_pending`] says so, until [`Analysis::set_later_views`] puts in
/// [`LaterViews::new`] of the same table, base and settings, which gives what
/// [`analyse_views`] gives. The findings are made here (from the summary and the segments).
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse_first_views, analyse_views, AnalysisParams, LaterViews};
/// use ltv_core::analysis::customers::CustomerBase;
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a@example.jp", "b@example.jp"].into(),
///     orders: vec![
///         Order { customer: 0, day: 19_000, amount: 5_000.0 },
///         Order { customer: 0, day: 19_090, amount: 4_000.0 },
///         Order { customer: 1, day: 19_100, amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let params = AnalysisParams::default();
/// let base = CustomerBase::new(&table, params.as_of());
/// let mut first = analyse_first_views(&table, &base, &params);
/// assert!(first.later_pending && first.rfm.by_customer.is_empty());
/// assert_eq!(first.summary.customers, 2);
/// first.set_later_views(LaterViews::new(&table, &base, &params));
/// assert_eq!(first, analyse_views(&table, &base, &params, None));
/// ```
pub fn analyse_first_views(
    table: &OrderTable,
    base: &CustomerBase,
    params: &AnalysisParams,
) -> Analysis {
    let views = Views {
        summary: summary::summary(base, table, params.f2_days),
        segments: segments::segments(base, &params.segment_rules),
        monthly: monthly::monthly(base, table),
        later: LaterViews::of_no_orders(base.as_of(), params),
    };
    let mut analysis = assemble(base, params, views);
    analysis.later_pending = true;
    analysis
}

/// The previous view when its settings are unchanged (a copy: the views are small, the
/// per-customer rows aside), else a new one.
fn reuse<T: Clone>(old: Option<&T>, unchanged: bool, make: impl FnOnce() -> T) -> T {
    match old {
        Some(view) if unchanged => view.clone(),
        _ => make(),
    }
}

/// Every view but the per-customer rows.
struct Views {
    summary: Summary,
    segments: Segments,
    monthly: Monthly,
    later: LaterViews,
}

/// The analysis from its views, without the per-customer rows.
fn assemble(base: &CustomerBase, params: &AnalysisParams, views: Views) -> Analysis {
    let as_of = base.as_of();
    let horizon_years = params.horizon_years.clamp(1, 2);
    let Views {
        summary,
        segments,
        monthly,
        later,
    } = views;
    let LaterViews {
        common_segments,
        rfm,
        cpm,
        cohorts,
        ltv_by_days,
        products,
    } = later;
    let mut analysis = Analysis {
        as_of,
        as_of_date: iso_date(as_of),
        horizon_years,
        horizon_ltv: if horizon_years == 1 {
            summary.last_12_months.revenue_per_customer
        } else {
            summary.last_24_months.revenue_per_customer
        },
        params: params.clone(),
        monthly,
        cohorts,
        ltv_by_days,
        products,
        summary,
        segments,
        common_segments,
        rfm,
        cpm,
        customers: Vec::new(),
        findings: Vec::new(),
        later_pending: false,
    };
    analysis.findings = findings::findings(&findings::FindingInputs::of(&analysis, base));
    analysis
}

/// The per-customer rows of `analysis` ([`Analysis::customers`]): one a customer with an
/// order on or before its date, from `base` (built for the same table at the same date) and
/// the analysis's own views and settings.
pub fn customer_rows(
    table: &OrderTable,
    base: &CustomerBase,
    analysis: &Analysis,
) -> Vec<CustomerRow> {
    debug_assert_eq!(base.as_of(), analysis.as_of, "the base is of another date");
    let as_of = analysis.as_of;
    base.customers()
        .map(|(c, s)| {
            let score =
                assigned(&analysis.rfm.by_customer, c).unwrap_or(RfmScore { r: 1, f: 1, m: 1 });
            CustomerRow {
                id: c,
                key: CustomerBase::key(table, c),
                first_day: s.first_day,
                last_day: s.last_day,
                orders: s.orders,
                order_days: s.order_days,
                revenue: s.revenue,
                days_since_last: s.days_since_last(as_of),
                segment: analysis.segments.of(c),
                common_segment: assigned(&analysis.common_segments.by_customer, c)
                    .unwrap_or(CommonSegment::Lapsed),
                rfm: score,
                rfm_group: RfmGroup::of(score.r, score.f),
                cpm: assigned(&analysis.cpm.by_customer, c)
                    .unwrap_or_else(|| analysis.params.cpm.group(s, as_of)),
            }
        })
        .collect()
}

/// What a view's `by_customer` says of customer `c`: `None` for a customer it did not
/// classify (no order by the analysis's date).
fn assigned<T: Copy>(by_customer: &[Option<T>], c: u32) -> Option<T> {
    by_customer.get(c as usize).copied().flatten()
}
