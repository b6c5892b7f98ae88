//! 取り込み結果: what an import did, reconciled so that nothing is lost or silent.

use serde::{Deserialize, Serialize};

use super::columns::{ColumnRole, Platform};
use super::encoding::TextEncoding;
use super::error::RejectedRow;
use super::identity::MergeExample;
use super::layout::Delimiter;
use super::platforms::{Detection, Exclusion};
use super::values::DateOrder;
use crate::download::{Cell, CsvWriter};
use crate::orders::Day;

/// How the lines of the file became orders.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum OrderRule {
    /// No order-number column: each row is one order.
    RowIsOrder,
    /// The order total is written on every line of the order: counted once.
    TotalRepeated,
    /// The order total is on the first line of the order only (Shopify): used as is.
    TotalOnFirstLine,
    /// No order-total column: the line amounts are summed.
    SumOfLines,
    /// No order-total column: the line amounts are summed, plus 送料 and 調整金額 once per
    /// order (BASE).
    SumOfLinesWithCharges,
}

/// Which amount counts as revenue.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub enum RevenueBasis {
    /// The order's total before points and coupons are used (合計, 合計金額, Total).
    #[default]
    BeforePoints,
    /// What the customer paid after points and coupons (支払合計, 請求金額).
    AfterPoints,
}

/// What "revenue" means in an import: which columns, on which basis, and whether the other
/// basis can be chosen.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RevenueRule {
    pub basis: RevenueBasis,
    /// The order-total column, or the line-amount columns summed per order.
    pub columns: Vec<String>,
    /// Columns added once per order: discounts added back to an after-points total, or
    /// charges (送料, 調整金額) added to summed lines.
    pub plus: Vec<String>,
    /// Columns taken off once per order: discounts, for revenue after points.
    pub minus: Vec<String>,
    /// Line amounts are summed per order (no order-total column).
    pub summed: bool,
    /// The export lets the user choose the other basis.
    pub switchable: bool,
}

/// Orders left out of the figures by one status value (or kept by the user's choice).
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ExcludedGroup {
    /// The status column's header.
    pub column: String,
    /// The value as written (empty for a cancellation-date column: any date).
    pub value: String,
    pub kind: Exclusion,
    pub orders: u64,
    /// Rows of those orders (0 when they were kept).
    pub rows: u64,
    /// Their amounts under the revenue rule.
    pub amount: f64,
}

/// The import report: the settings used and every count, reconciled.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportReport {
    pub encoding: TextEncoding,
    pub delimiter: Delimiter,
    pub has_header: bool,
    pub platform: Platform,
    /// How the platform was recognised.
    pub detection: Detection,
    /// What revenue means here.
    pub revenue_rule: RevenueRule,
    /// The status column whose values leave orders out, and whether its rule is the
    /// keyword rule (an unknown layout) rather than the platform's codes.
    pub status_column: Option<String>,
    pub status_keywords: bool,
    /// The cancellation-date column (Shopify's `Cancelled at`).
    pub cancelled_at_column: Option<String>,
    /// Header names (`列1`, `列2`… without a header).
    pub headers: Vec<String>,
    /// The role each column had.
    pub roles: Vec<ColumnRole>,
    /// The day/month order used for year-last dates (`None`: no such dates).
    pub date_order: Option<DateOrder>,
    pub rule: OrderRule,
    /// Data rows read (the header not counted): always
    /// `rows_used + rows_rejected + rows_excluded`.
    pub rows_read: u64,
    pub rows_used: u64,
    pub rows_rejected: u64,
    /// Rows of orders left out by their status (cancelled, unpaid, returned).
    pub rows_excluded: u64,
    /// Those orders by status value (kept in the figures when `excluded_included`).
    pub excluded: Vec<ExcludedGroup>,
    pub excluded_included: bool,
    /// Orders keyed by e-mail because their customer ID was blank or a placeholder.
    pub guest_orders: u64,
    /// Placeholder IDs found (`0`, `-`, `guest`…), as written.
    pub placeholder_ids: Vec<String>,
    /// IDs carried by several different e-mail addresses, treated as placeholders.
    pub shared_ids: u64,
    pub orders: u64,
    pub customers: u64,
    /// Sum of all order amounts, returns included (they reduce it).
    pub revenue: f64,
    pub first_day: Option<Day>,
    pub last_day: Option<Day>,
    /// 返品: orders with a negative total, kept as orders.
    pub negative_orders: u64,
    /// Their total (≤ 0).
    pub negative_amount: f64,
    /// 0円の注文: kept as orders.
    pub zero_orders: u64,
    /// Distinct raw spellings of customer keys in the used rows.
    pub raw_keys: u64,
    /// Up to [`MERGE_EXAMPLES`] customers whose key was written more than one way.
    pub merge_examples: Vec<MergeExample>,
    /// Customers whose key was written more than one way.
    pub merged_customers: u64,
    /// Product lines kept (`OrderTable.lines`).
    pub lines: u64,
    pub products: u64,
    /// Characters that could not be decoded in the chosen encoding (shown as �).
    pub undecodable_chars: u64,
    /// The line of the first of them.
    pub first_undecodable_line: Option<u64>,
    /// Every rejected row, by line.
    pub rejected: Vec<RejectedRow>,
}

/// How many merge examples the report keeps.
pub const MERGE_EXAMPLES: usize = 5;

impl ImportReport {
    /// Whether the counts add up: rows read = used + rejected + left out by status.
    pub fn is_reconciled(&self) -> bool {
        self.rows_read == self.rows_used + self.rows_rejected + self.rows_excluded
    }

    /// Orders with an excluding status, and their amount.
    pub fn excluded_totals(&self) -> (u64, f64) {
        self.excluded
            .iter()
            .fold((0, 0.0), |(n, a), g| (n + g.orders, a + g.amount))
    }
}

/// The rejected rows as a CSV file to download: UTF-8 with a BOM (so Excel opens it),
/// CRLF, columns 行, 列, 値, 理由, written by [`CsvWriter`] (the cells from the file are
/// neutralised against spreadsheet formulas).
///
/// # Examples
/// ```
/// use ltv_core::import::{rejected_rows_csv, RejectedRow, RowErrorKind};
/// let rows = [RejectedRow {
///     line: 18,
///     column: "合計金額".into(),
///     value: "12,5€".into(),
///     kind: RowErrorKind::BadAmount,
/// }];
/// let csv = rejected_rows_csv(&rows);
/// assert!(csv.ends_with("18,合計金額,\"12,5€\",\"「12,5€」を金額として読めません\"\r\n"));
/// ```
pub fn rejected_rows_csv(rows: &[RejectedRow]) -> String {
    let mut csv = CsvWriter::new();
    csv.header(["行", "列", "値", "理由"]);
    for row in rows {
        csv.record([
            Cell::integer(row.line),
            Cell::text(row.column.as_str()),
            Cell::text(row.value.as_str()),
            Cell::text(row.reason()),
        ]);
    }
    csv.into_utf8_bom()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::import::RowErrorKind;

    #[test]
    fn rule_descriptions_are_pinned() {
        let rules = [
            OrderRule::RowIsOrder,
            OrderRule::TotalRepeated,
            OrderRule::TotalOnFirstLine,
            OrderRule::SumOfLines,
            OrderRule::SumOfLinesWithCharges,
        ];
        let text: Vec<&str> = rules
            .iter()
            .map(|&r| crate::analysis::export::file_text::order_rule_sentence(r))
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }

    #[test]
    fn rejected_rows_download_round_trips() {
        let rows = vec![
            RejectedRow {
                line: 3,
                column: "注文日時".into(),
                value: "2024/02/30".into(),
                kind: RowErrorKind::BadDate,
            },
            RejectedRow {
                line: 9,
                column: String::new(),
                value: String::new(),
                kind: RowErrorKind::WrongWidth {
                    expected: 8,
                    found: 3,
                },
            },
        ];
        let text = rejected_rows_csv(&rows);
        assert!(text.starts_with('\u{FEFF}'));
        let mut reader = csv::Reader::from_reader(text.trim_start_matches('\u{FEFF}').as_bytes());
        let records: Vec<csv::StringRecord> = reader.records().map(|r| r.unwrap()).collect();
        assert_eq!(records.len(), 2);
        assert_eq!(&records[0][0], "3");
        assert_eq!(&records[0][2], "2024/02/30");
        assert_eq!(&records[1][3], "列の数が3で、8列のはずの表と合いません");
        assert_eq!(rejected_rows_csv(&[]), "\u{FEFF}行,列,値,理由\r\n");
    }
}
