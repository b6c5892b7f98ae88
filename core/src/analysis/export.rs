//! 書き出し: the per-customer list as CSV for a targeted mailing, and the summary JSON
//! (schema in `SUMMARY_SCHEMA.md` beside this file). The words these files carry are in
//! [`file_text`] and [`CUSTOMER_CSV_HEADER`].

use serde::{Deserialize, Serialize};

use super::segments::Segment;
use super::summary::YearFigures;
use super::{Analysis, AnalysisError, AnalysisErrorKind, CustomerRow};
use crate::download::{Cell, CsvWriter};
use crate::orders::iso_date;

/// The formula guard of every download, kept here under its old name.
pub use crate::download::neutralise;

pub mod file_text;

/// The text encoding of a CSV download.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum CsvEncoding {
    /// UTF-8 with a byte order mark, so that Excel opens it as UTF-8.
    Utf8Bom,
    /// Windows-31J (cp932), for older Excel and tools; characters it lacks become `?`.
    Cp932,
}

/// The header of the per-customer CSV: file-format text, like [`file_text`].
pub const CUSTOMER_CSV_HEADER: [&str; 14] = [
    "顧客キー",
    "初回注文日",
    "最終注文日",
    "注文回数",
    "累計購入金額",
    "最終注文からの日数",
    "セグメント",
    "5分類",
    "R",
    "F",
    "M",
    "RFMグループ",
    "CPM",
    "購入日数",
];

/// The per-customer table as CSV bytes: CRLF line ends, the header above, only the
/// customers of `segment` when given.
///
/// Written by [`crate::download::CsvWriter`]: text cells that could start a formula (`=`, `+`,
/// `-`, `@`, a tab or a carriage return, also after spaces and in full width) are prefixed
/// with `'` so that a spreadsheet shows them as text instead of running them as formulas.
/// Number cells are written by this function (never taken from the file) and stay numbers.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, AnalysisParams};
/// use ltv_core::analysis::export::{customers_csv, CsvEncoding};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["=HYPERLINK(\"x\")"].into(),
///     orders: vec![Order { customer: 0, day: 19_000, amount: 1_200.0 }],
///     ..Default::default()
/// };
/// let a = analyse(&table, &AnalysisParams::default());
/// let bytes = customers_csv(&a.customers, None, CsvEncoding::Utf8Bom);
/// assert!(bytes.starts_with(b"\xEF\xBB\xBF"));
/// let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
/// assert!(text.contains("\r\n\"'=HYPERLINK(\"\"x\"\")\",2022-01-08,2022-01-08,1,1200,"));
/// ```
pub fn customers_csv(
    rows: &[CustomerRow],
    segment: Option<Segment>,
    encoding: CsvEncoding,
) -> Vec<u8> {
    customers_csv_with(rows, segment, encoding, &[], |_| Vec::new())
}

/// [`customers_csv`] with more columns after the standard ones (the predicted figures of a
/// model, say): `extra_headers` names them and `extra` gives each row's cells, which are
/// neutralised like every other text cell.
///
/// # Examples
/// ```
/// use ltv_core::analysis::export::{customers_csv_with, CsvEncoding};
/// use ltv_core::analysis::{analyse, AnalysisParams};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a@example.jp"].into(),
///     orders: vec![Order { customer: 0, day: 19_000, amount: 1_200.0 }],
///     ..Default::default()
/// };
/// let a = analyse(&table, &AnalysisParams::default());
/// let bytes = customers_csv_with(&a.customers, None, CsvEncoding::Utf8Bom, &["予測"], |_| vec!["=1".into()]);
/// let text = String::from_utf8(bytes[3..].to_vec()).unwrap();
/// assert!(text.lines().next().unwrap().ends_with(",予測"));
/// assert!(text.lines().nth(1).unwrap().ends_with(",'=1"));
/// ```
pub fn customers_csv_with(
    rows: &[CustomerRow],
    segment: Option<Segment>,
    encoding: CsvEncoding,
    extra_headers: &[&str],
    extra: impl Fn(&CustomerRow) -> Vec<String>,
) -> Vec<u8> {
    let mut csv = CsvWriter::with_capacity(64 * (rows.len() + 1));
    csv.header(CUSTOMER_CSV_HEADER.iter().chain(extra_headers).copied());
    for row in rows
        .iter()
        .filter(|r| segment.is_none_or(|s| r.segment == s))
    {
        let cells: [Cell<'_>; 14] = [
            Cell::text(row.key.as_str()),
            Cell::text(iso_date(row.first_day)),
            Cell::text(iso_date(row.last_day)),
            Cell::integer(row.orders),
            Cell::number(row.revenue),
            Cell::integer(row.days_since_last),
            Cell::text(file_text::segment_name(row.segment)),
            Cell::text(file_text::common_segment_name(row.common_segment)),
            Cell::integer(row.rfm.r),
            Cell::integer(row.rfm.f),
            Cell::integer(row.rfm.m),
            Cell::text(file_text::rfm_group_name(row.rfm_group)),
            Cell::text(file_text::cpm_group_name(row.cpm)),
            Cell::integer(row.order_days),
        ];
        let more = extra(row);
        csv.record(
            cells
                .into_iter()
                .chain(more.iter().map(|cell| Cell::text(cell.as_str()))),
        );
    }
    csv.finish(encoding)
}

/// One month of the summary JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct MonthJson {
    /// `YYYY-MM`.
    pub month: String,
    pub customers: u64,
    pub new_customers: u64,
    pub repeat_customers: u64,
    pub repeater_rate: Option<f64>,
    pub cumulative_customers: u64,
    pub repeat_rate: Option<f64>,
}

/// One cohort of the summary JSON.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct CohortJson {
    /// `YYYY-MM` of the first order.
    pub cohort: String,
    pub size: u64,
    /// Active customers by months since the first (0 first), observed months only.
    pub active: Vec<u64>,
}

/// Customers per segment of the six, keyed by the Japanese name ([`file_text::segment_name`]).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SegmentCounts {
    #[serde(rename = "新規顧客")]
    pub new: u64,
    #[serde(rename = "固定化候補")]
    pub candidate: u64,
    #[serde(rename = "固定客")]
    pub regular: u64,
    #[serde(rename = "スリープ顧客")]
    pub sleep: u64,
    #[serde(rename = "半休眠顧客")]
    pub half_dormant: u64,
    #[serde(rename = "休眠顧客")]
    pub dormant: u64,
}

/// The summary JSON (「集計JSONをダウンロード」), documented in `SUMMARY_SCHEMA.md`.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct SummaryJson {
    /// Schema version, 1.
    pub schema_version: u32,
    /// 基準日, `YYYY-MM-DD`.
    pub as_of: String,
    pub horizon_years: u32,
    pub customers: u64,
    pub orders: u64,
    pub revenue: f64,
    pub average_order_value: Option<f64>,
    pub orders_per_customer: Option<f64>,
    pub repeat_customers: u64,
    pub repeat_share: Option<f64>,
    pub revenue_per_customer_12_months: Option<f64>,
    pub revenue_per_customer_24_months: Option<f64>,
    pub f2_days: u32,
    pub f2_rate: Option<f64>,
    pub by_year: Vec<YearFigures>,
    pub monthly: Vec<MonthJson>,
    pub cohorts: Vec<CohortJson>,
    pub segments: SegmentCounts,
    /// The import report's counts, as the caller gives them.
    pub import: serde_json::Value,
    /// Predictive model results when the caller has them; `null` otherwise.
    pub model: Option<serde_json::Value>,
    /// 施策の効果検証, present only when one was set on the page.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub comparison: Option<Comparisons>,
}

/// The comparisons set on the page, for the summary JSON.
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct Comparisons {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub periods: Option<super::compare::PeriodComparison>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub group: Option<super::compare::GroupComparison>,
}

impl SummaryJson {
    /// The summary of an analysis, with the import report and model results as given.
    pub fn new(
        analysis: &Analysis,
        import: serde_json::Value,
        model: Option<serde_json::Value>,
    ) -> Self {
        let s = &analysis.summary;
        let count = |seg| analysis.segments.get(seg).customers;
        SummaryJson {
            schema_version: 1,
            as_of: analysis.as_of_date.clone(),
            horizon_years: analysis.horizon_years,
            customers: s.customers,
            orders: s.orders,
            revenue: s.revenue,
            average_order_value: s.average_order_value,
            orders_per_customer: s.orders_per_customer,
            repeat_customers: s.repeat_customers,
            repeat_share: s.repeat_share,
            revenue_per_customer_12_months: s.last_12_months.revenue_per_customer,
            revenue_per_customer_24_months: s.last_24_months.revenue_per_customer,
            f2_days: s.f2.days,
            f2_rate: s.f2.rate,
            by_year: s.by_year.clone(),
            monthly: analysis
                .monthly
                .months
                .iter()
                .map(|m| MonthJson {
                    month: m.label.clone(),
                    customers: m.customers,
                    new_customers: m.new_customers,
                    repeat_customers: m.repeat_customers,
                    repeater_rate: m.repeater_rate,
                    cumulative_customers: m.cumulative_customers,
                    repeat_rate: m.repeat_rate,
                })
                .collect(),
            cohorts: analysis
                .cohorts
                .cohorts
                .iter()
                .map(|c| CohortJson {
                    cohort: c.label.clone(),
                    size: c.size,
                    active: c.active.iter().map_while(|a| *a).collect(),
                })
                .collect(),
            segments: SegmentCounts {
                new: count(Segment::New),
                candidate: count(Segment::Candidate),
                regular: count(Segment::Regular),
                sleep: count(Segment::Sleep),
                half_dormant: count(Segment::HalfDormant),
                dormant: count(Segment::Dormant),
            },
            import,
            model,
            comparison: None,
        }
    }
}

/// The summary JSON text, pretty-printed.
///
/// # Examples
/// ```
/// use ltv_core::analysis::{analyse, export::summary_json, AnalysisParams};
/// use ltv_core::orders::{Order, OrderTable};
/// let table = OrderTable {
///     customer_keys: ["a"].into(),
///     orders: vec![Order { customer: 0, day: 19_000, amount: 1_200.0 }],
///     ..Default::default()
/// };
/// let a = analyse(&table, &AnalysisParams::default());
/// let json = summary_json(&a, serde_json::json!({"rows_read": 1}), None).unwrap();
/// let v: serde_json::Value = serde_json::from_str(&json).unwrap();
/// assert_eq!(v["as_of"], "2022-01-08");
/// assert_eq!(v["segments"]["新規顧客"], 1);
/// assert_eq!(v["import"]["rows_read"], 1);
/// ```
pub fn summary_json(
    analysis: &Analysis,
    import: serde_json::Value,
    model: Option<serde_json::Value>,
) -> Result<String, AnalysisError> {
    summary_json_with(analysis, import, model, None)
}

/// [`summary_json`] with the page's comparisons, when any is set (key `comparison`).
pub fn summary_json_with(
    analysis: &Analysis,
    import: serde_json::Value,
    model: Option<serde_json::Value>,
    comparison: Option<Comparisons>,
) -> Result<String, AnalysisError> {
    let mut json = SummaryJson::new(analysis, import, model);
    json.comparison = comparison.filter(|c| c.periods.is_some() || c.group.is_some());
    serde_json::to_string_pretty(&json).map_err(|e| {
        AnalysisErrorKind::Json {
            message: e.to_string(),
        }
        .into()
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::analysis::{analyse, AnalysisParams};
    use crate::orders::{day_from_ymd, Order, OrderTable};

    fn analysis(keys: &[&str]) -> Analysis {
        let day = day_from_ymd(2024, 4, 1).unwrap();
        let t = OrderTable {
            customer_keys: keys.iter().map(|k| k.to_string()).collect(),
            orders: (0..keys.len() as u32)
                .map(|c| Order {
                    customer: c,
                    day: day - 100 * c as i32,
                    amount: 1_000.0 + f64::from(c),
                })
                .collect(),
            ..Default::default()
        };
        analyse(&t, &AnalysisParams::default())
    }

    #[test]
    fn formula_injection_is_neutralised() {
        let cases = [
            ("=SUM(A1:A9)", "'=SUM(A1:A9)"),
            ("+81 90", "'+81 90"),
            ("-1", "'-1"),
            ("@cmd", "'@cmd"),
            ("\tx", "'\tx"),
            ("\rx", "'\rx"),
            ("a=b", "a=b"),
            ("山田", "山田"),
            ("", ""),
        ];
        for (cell, want) in cases {
            assert_eq!(neutralise(cell), want, "{cell:?}");
        }
        let a = analysis(&["=cmd|' /C calc'!A0", "-2+3", "ok@example.jp"]);
        let bytes = customers_csv(&a.customers, None, CsvEncoding::Utf8Bom);
        let text = std::str::from_utf8(&bytes[3..]).unwrap();
        let lines: Vec<&str> = text.split("\r\n").collect();
        assert_eq!(lines.len(), 5, "header, three rows, and the empty end");
        assert_eq!(lines[0], CUSTOMER_CSV_HEADER.join(","));
        assert!(lines[1].starts_with("'=cmd|' /C calc'!A0,"), "{}", lines[1]);
        assert!(lines[2].starts_with("'-2+3,"), "{}", lines[2]);
        assert!(lines[3].starts_with("ok@example.jp,"));
        assert_eq!(lines[4], "");
        // No line feed without its carriage return.
        assert_eq!(text.matches('\n').count(), text.matches("\r\n").count());
    }

    #[test]
    fn bom_and_cp932_round_trip() {
        let a = analysis(&["髙橋①@example.jp", "山﨑 太郎", "plain"]);
        let utf8 = customers_csv(&a.customers, None, CsvEncoding::Utf8Bom);
        assert_eq!(&utf8[..3], b"\xEF\xBB\xBF");
        let cp932 = customers_csv(&a.customers, None, CsvEncoding::Cp932);
        assert!(!cp932.starts_with(b"\xEF\xBB\xBF"));
        let (decoded, _, had_errors) = encoding_rs::SHIFT_JIS.decode(&cp932);
        assert!(!had_errors);
        assert_eq!(decoded, std::str::from_utf8(&utf8[3..]).unwrap());
        assert!(decoded.contains("髙橋①@example.jp") && decoded.contains("新規顧客"));
        // A character cp932 lacks becomes "?".
        assert_eq!(crate::download::to_cp932("a😀b"), b"a?b");
    }

    #[test]
    fn filter_to_one_segment() {
        // Last orders 0, 100, 200, 300 and 400 days before the date: 新規, スリープ, 半休眠 × 2,
        // 休眠.
        let a = analysis(&["a", "b", "c", "d", "e"]);
        let count = |s| {
            let bytes = customers_csv(&a.customers, Some(s), CsvEncoding::Utf8Bom);
            std::str::from_utf8(&bytes[3..])
                .unwrap()
                .matches("\r\n")
                .count()
                - 1
        };
        assert_eq!(count(Segment::New), 1);
        assert_eq!(count(Segment::Sleep), 1);
        assert_eq!(count(Segment::HalfDormant), 2);
        assert_eq!(count(Segment::Dormant), 1);
        assert_eq!(count(Segment::Regular), 0);
    }

    #[test]
    fn summary_json_has_every_key() {
        let a = analysis(&["a", "b", "c"]);
        let json =
            summary_json(&a, serde_json::json!({"rows_read": 3, "merged": 0}), None).unwrap();
        let v: serde_json::Value = serde_json::from_str(&json).unwrap();
        for key in [
            "as_of",
            "customers",
            "orders",
            "revenue",
            "average_order_value",
            "orders_per_customer",
            "repeat_customers",
            "by_year",
            "monthly",
            "cohorts",
            "segments",
            "import",
            "model",
        ] {
            assert!(v.get(key).is_some(), "missing {key}");
        }
        assert_eq!(v["as_of"], "2024-04-01");
        assert_eq!(v["customers"], 3);
        assert!(v["model"].is_null());
        for key in [
            "year",
            "revenue",
            "customers",
            "orders",
            "revenue_per_customer",
        ] {
            assert!(v["by_year"][0].get(key).is_some(), "by_year missing {key}");
        }
        for key in [
            "month",
            "customers",
            "new_customers",
            "repeat_customers",
            "repeater_rate",
            "cumulative_customers",
            "repeat_rate",
        ] {
            assert!(v["monthly"][0].get(key).is_some(), "monthly missing {key}");
        }
        assert!(v["monthly"][0]["month"].as_str().unwrap().len() == 7);
        for key in ["cohort", "size", "active"] {
            assert!(v["cohorts"][0].get(key).is_some(), "cohorts missing {key}");
        }
        let names: Vec<&str> = v["segments"]
            .as_object()
            .unwrap()
            .keys()
            .map(|k| k.as_str())
            .collect();
        for s in Segment::ALL {
            let name = file_text::segment_name(s);
            assert!(names.contains(&name), "segments missing {name}");
        }
        assert_eq!(v["import"]["rows_read"], 3);
        let with_model = summary_json(
            &a,
            serde_json::Value::Null,
            Some(serde_json::json!({"r": 0.243})),
        )
        .unwrap();
        let v: serde_json::Value = serde_json::from_str(&with_model).unwrap();
        assert_eq!(v["model"]["r"], 0.243);
    }
}
