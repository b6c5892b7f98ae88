//! What can go wrong in an import: the whole file ([`ImportError`]) or one row
//! ([`RejectedRow`]). Messages are in Japanese: the UI shows them as they are.

use std::fmt;

use serde::{Deserialize, Serialize};

/// Why a whole file cannot be imported.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ImportError {
    kind: ImportErrorKind,
}

/// The kinds of whole-file failure, each with what the user needs to fix it.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ImportErrorKind {
    /// 空: nothing but blanks.
    Empty,
    /// Not text: NUL bytes outside UTF-16, or control bytes throughout.
    Binary,
    /// An Excel workbook (`.xlsx` is a zip, `.xls` an OLE file), not a CSV.
    ExcelWorkbook,
    /// Neither UTF-8 nor Shift_JIS reads the bytes.
    UnknownEncoding,
    /// A text encoding the importer does not read (e.g. UTF-16BE).
    UnsupportedEncoding { name: String },
    /// A header line and nothing else.
    NoRows,
    /// Rows were read but every one was rejected; `first_reason` is the first row's message.
    NoUsableRows {
        rows_read: u64,
        first_reason: String,
    },
    /// No column has the role 注文日.
    NoDateColumn,
    /// No column has the role 注文合計 or 明細金額.
    NoAmountColumn,
    /// No column has the role 顧客ID or メールアドレス.
    NoCustomerColumn,
    /// Only a customer-name column could key customers, and the user has not agreed to it.
    NameNeedsConsent { column: String },
    /// Dates written with the year last (`01/02/2024`) that no row disambiguates, and no
    /// [`crate::import::DateOrder`] given.
    AmbiguousDates { column: String, example: String },
    /// Two columns given the same role.
    DuplicateRole {
        role: String,
        first: String,
        second: String,
    },
    /// A role given to a column the data does not have (1-based column number).
    RoleOutOfRange { column: u64, columns: u64 },
    /// More columns than any order export has: not an order table (or a line that never
    /// ends), refused before the page tries to show them.
    TooManyColumns { found: u64, max: u64 },
    /// The progress callback asked to stop.
    Cancelled,
}

impl ImportError {
    /// An error of the given kind.
    pub fn new(kind: ImportErrorKind) -> Self {
        ImportError { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ImportErrorKind {
        &self.kind
    }

    /// The Japanese message shown to the user.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl From<ImportErrorKind> for ImportError {
    fn from(kind: ImportErrorKind) -> Self {
        ImportError::new(kind)
    }
}

impl fmt::Display for ImportError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        use ImportErrorKind::*;
        match &self.kind {
            Empty => write!(
                f,
                "データが空です。CSVファイルを選ぶか、注文データを貼り付けてください。"
            ),
            Binary => write!(
                f,
                "文字のデータではないファイルのようです（画像や圧縮ファイルなど）。CSVまたはタブ区切りのテキストを選んでください。"
            ),
            ExcelWorkbook => write!(
                f,
                "Excelのブック（.xlsx / .xls）はそのままでは読めません。Excelで「CSV UTF-8（コンマ区切り）」か「CSV（コンマ区切り）」の形式で保存してから選んでください。"
            ),
            UnknownEncoding => write!(
                f,
                "文字コードを判別できません。UTF-8かShift_JISのCSVで保存し直すか、文字コードを指定してください。"
            ),
            UnsupportedEncoding { name } => write!(
                f,
                "文字コード {name} には対応していません。UTF-8かShift_JISで保存し直してください。"
            ),
            NoRows => write!(f, "見出しの行しかなく、注文の行がありません。"),
            NoUsableRows {
                rows_read,
                first_reason,
            } => write!(
                f,
                "使える行がありませんでした（{rows_read}行を読み、すべて除外しました）。最初の理由: {first_reason}"
            ),
            NoDateColumn => write!(
                f,
                "注文日の列が見つかりません。列の割り当てで、どの列が「注文日」かを選んでください。"
            ),
            NoAmountColumn => write!(
                f,
                "金額の列が見つかりません。列の割り当てで「注文合計」か「明細金額」の列を選んでください。"
            ),
            NoCustomerColumn => write!(
                f,
                "顧客を表す列（顧客IDかメールアドレス）が見つかりません。列の割り当てで選んでください（氏名は同姓同名や表記ゆれがあるため使いません）。"
            ),
            NameNeedsConsent { column } => write!(
                f,
                "このデータには顧客IDもメールアドレスもありません。「{column}」の氏名で顧客を区別してよければ、「氏名で顧客を区別する」を選んでください（同姓同名の別の人は1人にまとまります）。"
            ),
            AmbiguousDates { column, example } => write!(
                f,
                "「{column}」の日付は「{example}」のように、月/日/年とも日/月/年とも読めます。どちらの順か選んでください。"
            ),
            DuplicateRole {
                role,
                first,
                second,
            } => write!(
                f,
                "「{first}」と「{second}」の両方が「{role}」になっています。どちらか一方にしてください。"
            ),
            RoleOutOfRange { column, columns } => write!(
                f,
                "{column}列目に役割が指定されていますが、このデータは{columns}列しかありません。"
            ),
            TooManyColumns { found, max } => write!(
                f,
                "1行目が{found}列あり、注文データとしては多すぎます（{max}列まで）。注文データのCSVか、区切り文字の設定が合っているか確かめてください。"
            ),
            Cancelled => write!(f, "読み込みを中止しました。"),
        }
    }
}

impl std::error::Error for ImportError {}

/// A row left out of the import, with where and why: 除外した行.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct RejectedRow {
    /// Line number in the file, 1-based, counting the header line (where the row starts, for
    /// a row with a line break inside a quoted field).
    pub line: u64,
    /// The header name of the column at fault (`列3` without a header; empty for the row as
    /// a whole).
    pub column: String,
    /// The raw value at fault, as written (empty when the row as a whole is at fault).
    pub value: String,
    /// Why the row was left out.
    pub kind: RowErrorKind,
}

/// Why a row was left out of the import.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum RowErrorKind {
    /// Not an amount of money in any accepted form.
    BadAmount,
    /// Not a date in any accepted form, or not a real date.
    BadDate,
    /// Not a quantity.
    BadQuantity,
    /// Neither this row nor another row of its order has a date.
    MissingDate,
    /// Neither this row nor another row of its order has an amount.
    MissingAmount,
    /// Neither this row nor another row of its order has a customer ID or email.
    MissingCustomer,
    /// A different number of fields from the header.
    WrongWidth { expected: u64, found: u64 },
    /// Every field blank.
    EmptyRow,
    /// The order total differs from the one on an earlier row of the same order.
    ConflictingTotal { first: f64 },
    /// A `"` opens a quoted field that never closes where a row should end: the row is left
    /// out and reading goes on at the next line, so the rest of the file is not swallowed.
    UnclosedQuote,
    /// The date is after today (a typo such as 2099 for 2024): set aside so that the 基準日
    /// does not move into the future.
    DateInFuture,
    /// The date is before [`crate::import::EARLIEST_ORDER_YEAR`].
    DateTooEarly,
}

impl RejectedRow {
    /// The Japanese message shown to the user, e.g.
    /// 「18行目「合計金額」: 「12,5€」を金額として読めません」.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::import::{RejectedRow, RowErrorKind};
    /// let row = RejectedRow {
    ///     line: 18,
    ///     column: "合計金額".into(),
    ///     value: "12,5€".into(),
    ///     kind: RowErrorKind::BadAmount,
    /// };
    /// assert_eq!(row.message(), "18行目「合計金額」: 「12,5€」を金額として読めません");
    /// ```
    pub fn message(&self) -> String {
        self.to_string()
    }

    /// The reason alone, without the place (the third column of the download).
    pub fn reason(&self) -> String {
        let value = &self.value;
        match &self.kind {
            RowErrorKind::BadAmount => format!("「{value}」を金額として読めません"),
            RowErrorKind::BadDate => format!("「{value}」を日付として読めません"),
            RowErrorKind::BadQuantity => format!("「{value}」を数量として読めません"),
            RowErrorKind::MissingDate => {
                "注文日がありません（同じ注文の他の行にもありません）".into()
            }
            RowErrorKind::MissingAmount => {
                "金額がありません（同じ注文の他の行にもありません）".into()
            }
            RowErrorKind::MissingCustomer => {
                "顧客IDもメールアドレスもありません（同じ注文の他の行にもありません）".into()
            }
            RowErrorKind::WrongWidth { expected, found } => {
                format!("列の数が{found}で、{expected}列のはずの表と合いません")
            }
            RowErrorKind::EmptyRow => "空の行です".into(),
            RowErrorKind::ConflictingTotal { first } => {
                format!("同じ注文の前の行の注文合計（{first}）と違う「{value}」です")
            }
            RowErrorKind::DateInFuture => {
                format!("「{value}」は今日より後の日付です（入力の誤りと見て、集計に入れていません）")
            }
            RowErrorKind::DateTooEarly => format!(
                "「{value}」は{}年より前の日付です（入力の誤りと見て、集計に入れていません）",
                crate::import::EARLIEST_ORDER_YEAR
            ),
            RowErrorKind::UnclosedQuote => {
                "「\"」で始まる値が閉じられていないため、この行は読めません（次の行から読み続けました）"
                    .into()
            }
        }
    }
}

impl fmt::Display for RejectedRow {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if self.column.is_empty() {
            write!(f, "{}行目: {}", self.line, self.reason())
        } else {
            write!(f, "{}行目「{}」: {}", self.line, self.column, self.reason())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn file_messages_are_pinned() {
        use ImportErrorKind::*;
        let kinds = vec![
            Empty,
            Binary,
            ExcelWorkbook,
            UnknownEncoding,
            UnsupportedEncoding {
                name: "UTF-16BE".into(),
            },
            NoRows,
            NoUsableRows {
                rows_read: 3,
                first_reason: "2行目「合計金額」: 「abc」を金額として読めません".into(),
            },
            NoDateColumn,
            NoAmountColumn,
            NoCustomerColumn,
            AmbiguousDates {
                column: "Date".into(),
                example: "01/02/2024".into(),
            },
            DuplicateRole {
                role: "注文日".into(),
                first: "注文日".into(),
                second: "発送日".into(),
            },
            RoleOutOfRange {
                column: 7,
                columns: 5,
            },
            Cancelled,
        ];
        let text: Vec<String> = kinds
            .into_iter()
            .map(|k| ImportError::new(k).message())
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }

    #[test]
    fn row_messages_are_pinned() {
        let cases = vec![
            (18, "合計金額", "12,5€", RowErrorKind::BadAmount),
            (5, "注文日時", "2023/02/29", RowErrorKind::BadDate),
            (6, "数量", "たくさん", RowErrorKind::BadQuantity),
            (7, "注文日時", "", RowErrorKind::MissingDate),
            (8, "合計金額", "", RowErrorKind::MissingAmount),
            (9, "メールアドレス", "", RowErrorKind::MissingCustomer),
            (
                10,
                "",
                "",
                RowErrorKind::WrongWidth {
                    expected: 8,
                    found: 7,
                },
            ),
            (11, "", "", RowErrorKind::EmptyRow),
            (
                12,
                "合計金額",
                "5,300",
                RowErrorKind::ConflictingTotal { first: 5244.0 },
            ),
        ];
        let text: Vec<String> = cases
            .into_iter()
            .map(|(line, column, value, kind)| {
                RejectedRow {
                    line,
                    column: column.into(),
                    value: value.into(),
                    kind,
                }
                .message()
            })
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }

    #[test]
    fn the_example_message_reads_as_specified() {
        let row = RejectedRow {
            line: 18,
            column: "合計金額".into(),
            value: "12,5€".into(),
            kind: RowErrorKind::BadAmount,
        };
        assert_eq!(
            row.to_string(),
            "18行目「合計金額」: 「12,5€」を金額として読めません"
        );
    }
}
