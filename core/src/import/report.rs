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
use crate::input::format_yen;
use crate::orders::{iso_date, Day};

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

impl OrderRule {
    /// The rule in one Japanese sentence.
    pub fn description(self) -> &'static str {
        match self {
            OrderRule::RowIsOrder => "注文番号の列がないため、1行を1件の注文として数えました。",
            OrderRule::TotalRepeated => {
                "同じ注文番号の行を1件の注文にまとめ、各行にくり返し書かれた注文合計は1回だけ数えました。"
            }
            OrderRule::TotalOnFirstLine => {
                "同じ注文番号の行を1件の注文にまとめ、注文の最初の行にある注文合計を使いました。"
            }
            OrderRule::SumOfLines => {
                "同じ注文番号の行を1件の注文にまとめ、明細の金額を合計して注文金額にしました。"
            }
            OrderRule::SumOfLinesWithCharges => {
                "同じ注文番号の行を1件の注文にまとめ、明細の金額の合計に送料と調整金額（注文ごとに1回）を加えて注文金額にしました。"
            }
        }
    }
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

impl RevenueRule {
    /// The rule in one sentence: 「売上 = …」.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::import::{RevenueBasis, RevenueRule};
    /// let rule = RevenueRule {
    ///     basis: RevenueBasis::BeforePoints,
    ///     columns: vec!["支払合計".into()],
    ///     plus: vec!["値引き".into()],
    ///     minus: vec![],
    ///     summed: false,
    ///     switchable: true,
    /// };
    /// assert_eq!(rule.sentence(), "売上 = 注文ごとの「支払合計」＋「値引き」（ポイント・クーポン利用前、税込）");
    /// ```
    pub fn sentence(&self) -> String {
        let quoted = |names: &[String], sep: &str| {
            names
                .iter()
                .map(|n| format!("「{n}」"))
                .collect::<Vec<_>>()
                .join(sep)
        };
        let mut text = String::from("売上 = ");
        if self.summed {
            text.push_str(&format!("明細ごとの{}の合計", quoted(&self.columns, "＋")));
            if !self.plus.is_empty() {
                text.push_str(&format!("＋注文ごとに1回の{}", quoted(&self.plus, "＋")));
            }
            return text;
        }
        text.push_str(&format!("注文ごとの{}", quoted(&self.columns, "＋")));
        if !self.plus.is_empty() {
            text.push_str(&format!("＋{}", quoted(&self.plus, "＋")));
        }
        if !self.minus.is_empty() {
            text.push_str(&format!("－{}", quoted(&self.minus, "－")));
        }
        text.push_str(match self.basis {
            RevenueBasis::BeforePoints => "（ポイント・クーポン利用前、税込）",
            RevenueBasis::AfterPoints => "（ポイント・クーポン利用後の支払額）",
        });
        text
    }
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

    /// The report in Japanese sentences, in the order the UI shows them. The revenue rule
    /// ([`RevenueRule::sentence`]) and the orders left out ([`Self::excluded_line`]) are
    /// said on their own.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::import::{import, sample_export, ImportOptions};
    /// let result = import(sample_export(), &ImportOptions::new(), &mut |_| true).unwrap();
    /// let text = result.report.summary().join("\n");
    /// assert!(text.contains("行を読み"));
    /// ```
    /// 「キャンセル 3件（¥12,800）を集計から除外」: the orders left out by their status, or
    /// kept by the user's choice.
    pub fn excluded_line(&self) -> Option<String> {
        let (orders, _) = self.excluded_totals();
        if orders == 0 {
            return None;
        }
        let mut kinds: Vec<String> = Vec::new();
        for kind in [Exclusion::Cancelled, Exclusion::Unpaid, Exclusion::Returned] {
            let (n, a) = self
                .excluded
                .iter()
                .filter(|g| g.kind == kind)
                .fold((0u64, 0.0), |(n, a), g| (n + g.orders, a + g.amount));
            if n > 0 {
                kinds.push(format!("{} {}件（{}）", kind.label(), n, format_yen(a)));
            }
        }
        Some(if self.excluded_included {
            format!("{}を、指定により集計に含めています。", kinds.join("、"))
        } else {
            format!("{}を集計から除外しました。", kinds.join("、"))
        })
    }

    pub fn summary(&self) -> Vec<String> {
        let mut out = vec![if self.rows_excluded > 0 {
            format!(
                "{}行を読み、{}行を使い、{}行は読めずに除外、{}行はキャンセル等の注文として集計から外しました。",
                self.rows_read, self.rows_used, self.rows_rejected, self.rows_excluded
            )
        } else {
            format!(
                "{}行を読み、{}行を使い、{}行を除外しました。",
                self.rows_read, self.rows_used, self.rows_rejected
            )
        }];
        let range = match (self.first_day, self.last_day) {
            (Some(first), Some(last)) => format!("（{} 〜 {}）", iso_date(first), iso_date(last)),
            _ => String::new(),
        };
        out.push(format!(
            "注文{}件、顧客{}人、売上{}{}。",
            self.orders,
            self.customers,
            format_yen(self.revenue),
            range
        ));
        out.push(self.rule.description().to_string());
        if self.guest_orders > 0 {
            let why = if self.placeholder_ids.is_empty() && self.shared_ids == 0 {
                "顧客IDが空欄のため".to_string()
            } else {
                let mut parts: Vec<String> = Vec::new();
                if !self.placeholder_ids.is_empty() {
                    let ids: Vec<String> = self
                        .placeholder_ids
                        .iter()
                        .map(|p| format!("「{p}」"))
                        .collect();
                    parts.push(format!("顧客IDが空欄か{}のため", ids.join("")));
                }
                if self.shared_ids > 0 {
                    parts.push(format!(
                        "{}個の顧客IDが複数のメールアドレスで使われているため",
                        self.shared_ids
                    ));
                }
                parts.join("、また")
            };
            out.push(format!(
                "{why}、{}件の注文はメールアドレスで顧客を区別しました（ゲスト購入など。別の人を1人にまとめないため）。",
                self.guest_orders
            ));
        }
        if self.raw_keys > self.customers {
            out.push(format!(
                "顧客ID・メールアドレスの書き方{}通りを、表記ゆれ（大文字小文字・全角半角・空白）をそろえて{}人にまとめました（{}人が複数の書き方）。",
                self.raw_keys, self.customers, self.merged_customers
            ));
        }
        if self.negative_orders > 0 {
            out.push(format!(
                "マイナスの注文（返品など）{}件、計{}は注文として数え、売上から差し引いています。",
                self.negative_orders,
                format_yen(self.negative_amount)
            ));
        }
        if self.zero_orders > 0 {
            out.push(format!(
                "0円の注文{}件は注文として数えています（売上は増えませんが、購入回数には入ります）。",
                self.zero_orders
            ));
        }
        if self.undecodable_chars > 0 {
            let place = self
                .first_undecodable_line
                .map(|l| format!("（最初は{l}行目）"))
                .unwrap_or_default();
            out.push(format!(
                "文字コード{}で読めない文字が{}個あり{place}、「�」に置き換えました。",
                self.encoding.label(),
                self.undecodable_chars
            ));
        }
        out
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
        let text: Vec<&str> = rules.iter().map(|r| r.description()).collect();
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
