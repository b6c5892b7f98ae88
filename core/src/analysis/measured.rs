//! 「この数値で診断する」: the shop's measured figures as the 診断's inputs, so that the
//! verdict and the lever simulator run on the shop's own numbers. The visitor then only adds
//! what an export cannot know (CPO, 粗利率, retention cost).
//!
//! Each figure is taken over the analysis's horizon (the last 12 or 24 months to the analysis
//! date), except the month figures, which are those of the last complete month.

use super::Analysis;
use crate::calc::form::Field;
use crate::input::{format_count, format_decimal};
use crate::orders::{day_from_ymd, month_of_day, ymd_from_day};

/// The 診断 fields an analysis fills, with their text as the form holds it. Figures that do
/// not exist (no orders in the window, no complete month) are left out, and their fields keep
/// what the visitor typed.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, measured::diagnosis_inputs, AnalysisParams};
/// use ltv_core::calc::form::Field;
/// use ltv_core::orders::{day_from_ymd, Order, OrderTable};
/// let d = |m, dd| day_from_ymd(2024, m, dd).unwrap();
/// let table = OrderTable {
///     customer_keys: ["a", "b"].into(),
///     orders: vec![
///         Order { customer: 0, day: d(1, 5), amount: 5_000.0 },
///         Order { customer: 0, day: d(3, 1), amount: 7_000.0 },
///         Order { customer: 1, day: d(3, 31), amount: 3_000.0 },
///     ],
///     ..Default::default()
/// };
/// let inputs = diagnosis_inputs(&analyse(&table, &AnalysisParams::default()));
/// let get = |f| inputs.iter().find(|(g, _)| *g == f).map(|(_, t)| t.as_str());
/// assert_eq!(get(Field::AverageOrderValue), Some("5,000"));
/// assert_eq!(get(Field::OrdersPerYear), Some("1.5"));
/// assert_eq!(get(Field::MonthCustomers), Some("2")); // March, complete on the 31st
/// assert_eq!(get(Field::MonthRepeaters), Some("1"));
/// ```
pub fn diagnosis_inputs(analysis: &Analysis) -> Vec<(Field, String)> {
    let mut out: Vec<(Field, String)> = Vec::new();
    let s = &analysis.summary;
    let window = if analysis.horizon_years >= 2 {
        &s.last_24_months
    } else {
        &s.last_12_months
    };
    out.push((
        Field::Horizon,
        analysis.horizon_years.clamp(1, 2).to_string(),
    ));
    if let Some(aov) = s.average_order_value {
        out.push((Field::AverageOrderValue, format_count(aov)));
    }
    if window.customers > 0 {
        let per_year = window.orders as f64
            / window.customers as f64
            / f64::from(analysis.horizon_years.clamp(1, 2));
        out.push((Field::OrdersPerYear, trimmed(format_decimal(per_year))));
        out.push((Field::PeriodRevenue, format_count(window.revenue)));
        out.push((
            Field::UniqueCustomers,
            format_count(window.customers as f64),
        ));
    }
    // Every one-time customer has exactly one order, so the repeat customers' orders are the
    // rest: the per-customer rows are not needed (the page has only the summary).
    if s.customers > 0 {
        let once = s.customers - s.repeat_customers;
        out.push((Field::OneTimeCustomers, format_count(once as f64)));
        out.push((
            Field::RepeatCustomers,
            format_count(s.repeat_customers as f64),
        ));
        if s.repeat_customers > 0 {
            let each = (s.orders - once) as f64 / s.repeat_customers as f64;
            out.push((Field::RepeatOrdersEach, trimmed(format_decimal(each))));
        }
    }
    if let Some(month) = last_complete_month(analysis) {
        out.push((Field::MonthCustomers, format_count(month.customers as f64)));
        out.push((
            Field::MonthRepeaters,
            format_count(month.repeat_customers as f64),
        ));
        out.push((
            Field::CumulativeCustomers,
            format_count(month.cumulative_customers as f64),
        ));
        out.push((
            Field::CumulativeRepeaters,
            format_count(month.repeat_customers as f64),
        ));
    }
    out
}

/// `2.0` → `2`: the form shows whole numbers without a decimal.
fn trimmed(text: String) -> String {
    match text.strip_suffix(".0") {
        Some(whole) => whole.to_string(),
        None => text,
    }
}

/// The last month that ended by the analysis date, with customers.
pub fn last_complete_month(analysis: &Analysis) -> Option<&super::monthly::MonthFigures> {
    let (y, m, _) = ymd_from_day(analysis.as_of);
    let next_month = if m == 12 {
        day_from_ymd(y + 1, 1, 1)
    } else {
        day_from_ymd(y, m + 1, 1)
    }?;
    let complete_through = if analysis.as_of + 1 == next_month {
        month_of_day(analysis.as_of)
    } else {
        month_of_day(analysis.as_of) - 1
    };
    analysis
        .monthly
        .months
        .iter()
        .rev()
        .find(|m| m.month <= complete_through)
        .filter(|m| m.customers > 0)
}
