//! 取り込み: bytes of a shop's order export in, a clean [`OrderTable`] and an
//! [`ImportReport`] out.
//!
//! Two calls, both pure and both run in a Web Worker by the app:
//! - [`sniff`] looks at the first part of the file and says what it found: the encoding
//!   ([`TextEncoding`]), the layout ([`Delimiter`], header or not), the platform, a guess of
//!   each column's [`ColumnRole`], and a preview of the first rows as they will be read;
//! - [`import`] reads the whole file with the settings of [`ImportOptions`] (each one
//!   detected when not given): rows become orders ([`OrderRule`]), customers are merged
//!   (名寄せ, [`canonical_key`]), and every row is accounted for: used, or rejected with its
//!   line, column, value and reason ([`RejectedRow`]).
//!
//! # Examples
//! ```
//! use ltv_core::import::{import, sniff, ImportOptions, Platform};
//! let csv = "注文番号,注文日時,購入者メールアドレス,合計金額\n\
//!            A1,2024/01/05 10:00,Taro@Example.jp,\"¥1,200\"\n\
//!            A2,2024/02/01 11:00,taro@example.jp ,800\n";
//! let found = sniff(csv.as_bytes(), &ImportOptions::new()).unwrap();
//! assert_eq!(found.platform, Platform::Generic);
//! let result = import(csv.as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
//! assert_eq!(result.table.customer_count(), 1);
//! assert_eq!(result.table.revenue(), 2000.0);
//! assert!(result.report.is_reconciled());
//! ```

mod columns;
mod encoding;
mod error;
mod identity;
mod layout;
mod report;
mod sample;
mod values;

#[cfg(test)]
mod tests;

use std::borrow::Cow;

use csv::ByteRecord;
use serde::{Deserialize, Serialize};

pub use columns::{guess_roles, ColumnRole, Platform};
pub use encoding::TextEncoding;
pub use error::{ImportError, ImportErrorKind, RejectedRow, RowErrorKind};
pub use identity::{canonical_key, MergeExample};
pub use layout::Delimiter;
pub use report::{rejected_rows_csv, ImportReport, OrderRule, MERGE_EXAMPLES};
pub use sample::{made_up_export, sample_export};
pub use values::{parse_amount, parse_date, parse_time, DateCell, DateOrder, MAX_AMOUNT};

use crate::input::format_plain;
use crate::orders::{iso_date, Day, Order, OrderLine, OrderTable};
use identity::{KeyInterner, StrInterner};
use layout::{field, raw_field, RecordReader};

/// The settings of an import; each `None` is detected. Build with [`ImportOptions::new`]
/// and the setters; the UI keeps it in state and sends it to the worker.
///
/// # Examples
/// ```
/// use ltv_core::import::{ColumnRole, DateOrder, Delimiter, ImportOptions};
/// // CDNOW_sample.txt: no header; customer in column 1, date in 3, amount in 5.
/// let options = ImportOptions::new()
///     .delimiter(Delimiter::Whitespace)
///     .has_header(false)
///     .roles(vec![
///         ColumnRole::CustomerId,
///         ColumnRole::Ignore,
///         ColumnRole::OrderDate,
///         ColumnRole::Ignore,
///         ColumnRole::Amount,
///     ])
///     .date_order(DateOrder::DayFirst);
/// assert_eq!(options.has_header, Some(false));
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOptions {
    pub encoding: Option<TextEncoding>,
    pub delimiter: Option<Delimiter>,
    pub has_header: Option<bool>,
    /// The role of each column by index; columns beyond the list are ignored.
    pub roles: Option<Vec<ColumnRole>>,
    /// How to read dates written with the year last (`01/02/2024`).
    pub date_order: Option<DateOrder>,
}

impl ImportOptions {
    /// Everything detected.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the bytes in this encoding.
    pub fn encoding(mut self, encoding: TextEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Cuts fields with this delimiter.
    pub fn delimiter(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Whether the first row holds column names.
    pub fn has_header(mut self, has_header: bool) -> Self {
        self.has_header = Some(has_header);
        self
    }

    /// The role of each column, by index (the mapping panel's choice).
    pub fn roles(mut self, roles: Vec<ColumnRole>) -> Self {
        self.roles = Some(roles);
        self
    }

    /// Reads year-last dates in this order.
    pub fn date_order(mut self, date_order: DateOrder) -> Self {
        self.date_order = Some(date_order);
        self
    }
}

/// How far an import has got, in bytes of the input.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Progress {
    pub bytes_done: u64,
    pub bytes_total: u64,
}

/// The result of an import: the clean order table and the report.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Import {
    pub table: OrderTable,
    pub report: ImportReport,
}

/// What [`sniff`] found, for the settings panel, the mapping panel and the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Sniff {
    pub encoding: TextEncoding,
    pub delimiter: Delimiter,
    pub has_header: bool,
    /// Header names (`列1`, `列2`… without a header).
    pub headers: Vec<String>,
    pub platform: Platform,
    /// The role of each column: the caller's when given, else the guess.
    pub roles: Vec<ColumnRole>,
    /// The first data rows as the app will read them.
    pub preview: Vec<PreviewRow>,
    /// The date column has year-last dates (`01/02/2024`) that no row looked at settles:
    /// the import needs a [`DateOrder`].
    pub date_order_ambiguous: bool,
    /// The day/month order given, or settled by a row such as `13/02/2024`.
    pub date_order: Option<DateOrder>,
    /// Lines in the file: exact for a file within the sniffed part, else an estimate.
    pub line_estimate: u64,
    /// Characters that could not be decoded in the sniffed part.
    pub undecodable_chars: u64,
}

/// One previewed row: its line, its fields as parsed, and how each is read.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct PreviewRow {
    pub line: u64,
    pub fields: Vec<String>,
    /// One cell per column (header width).
    pub cells: Vec<PreviewCell>,
}

/// How the app reads one field of the preview.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum PreviewCell {
    /// The column is not used.
    Unused,
    /// Blank (allowed on the later lines of an order).
    Blank,
    /// The value as read: a date as `YYYY-MM-DD`, an amount as a plain number, a customer
    /// key normalised, a time as `HH:MM:SS`.
    Read(String),
    /// Why it cannot be read (Japanese).
    Error(String),
}

/// Rows shown in the preview.
pub const PREVIEW_ROWS: usize = 10;

/// How much of the input [`sniff`] decodes.
const SNIFF_TEXT_BYTES: usize = 4 * encoding::SNIFF_BYTES;

/// Progress is reported about this often, in bytes of text.
const PROGRESS_STEP: usize = 64 * 1024;

/// Two order totals closer than this are the same total written twice.
const SAME_TOTAL_TOLERANCE: f64 = 0.005;

/// Looks at the start of an export and says what it is: encoding, layout, platform, column
/// roles, a preview, and whether the dates need a day/month order. Fails only when the
/// bytes are not a readable text table (empty, binary, an Excel workbook, unknown encoding).
///
/// # Examples
/// ```
/// use ltv_core::import::{sniff, ColumnRole, ImportOptions, PreviewCell, TextEncoding};
/// let csv = "Date,Email,Amount\n01/02/2024,A@x.jp,\"1,200\"\n";
/// let found = sniff(csv.as_bytes(), &ImportOptions::new()).unwrap();
/// assert_eq!(found.encoding, TextEncoding::Utf8);
/// assert_eq!(found.roles, vec![ColumnRole::OrderDate, ColumnRole::Email, ColumnRole::Amount]);
/// assert!(found.date_order_ambiguous);
/// assert_eq!(found.preview[0].cells[1], PreviewCell::Read("a@x.jp".into()));
/// assert_eq!(found.preview[0].cells[2], PreviewCell::Read("1200".into()));
/// ```
pub fn sniff(bytes: &[u8], options: &ImportOptions) -> Result<Sniff, ImportError> {
    let encoding = match options.encoding {
        Some(e) => e,
        None => encoding::detect(bytes)?,
    };
    let cut = bytes.len() > SNIFF_TEXT_BYTES;
    let (text, undecodable) =
        encoding::decode(&bytes[..bytes.len().min(SNIFF_TEXT_BYTES)], encoding);
    // A cut sample ends at its last full line.
    let text: &str = if cut {
        text.rfind('\n').map_or(&text, |i| &text[..=i])
    } else {
        &text
    };
    let setup = Setup::new(text, options)?;
    let mut reader = RecordReader::new(text, setup.delimiter);
    let mut record = ByteRecord::new();
    if setup.has_header {
        reader.next_record(&mut record);
    }
    let map = ColumnMap::new(&setup.roles);
    let mut preview = Vec::new();
    let mut evidence = DateEvidence::default();
    while let Some((line, _)) = reader.next_record(&mut record) {
        if let Some(i) = map.date {
            if let Some(cell) = parse_date(field(&record, i)) {
                evidence.add(cell, field(&record, i));
            }
        }
        if preview.len() < PREVIEW_ROWS {
            preview.push(preview_row(&record, line, &setup, options.date_order));
        }
    }
    let date_order = options.date_order.or(evidence.settled());
    let date_order_ambiguous = date_order.is_none() && evidence.needs_choice();
    if options.date_order.is_none() {
        if let Some(order) = evidence.settled() {
            for row in &mut preview {
                refresh_dates(row, &map, order);
            }
        }
    }
    let lines_in_text = text.bytes().filter(|&b| b == b'\n').count() as u64
        + u64::from(!text.ends_with('\n') && !text.is_empty());
    let line_estimate = if cut && !text.is_empty() {
        // Scale by the share of the input the text came from.
        let share = text.len() as f64 / SNIFF_TEXT_BYTES as f64;
        ((lines_in_text as f64 / share) * (bytes.len() as f64 / SNIFF_TEXT_BYTES as f64)).round()
            as u64
    } else {
        lines_in_text
    };
    Ok(Sniff {
        encoding,
        delimiter: setup.delimiter,
        has_header: setup.has_header,
        headers: setup.headers,
        platform: setup.platform,
        roles: setup.roles,
        preview,
        date_order_ambiguous,
        date_order,
        line_estimate,
        undecodable_chars: undecodable,
    })
}

/// Reads a whole export into an order table and a report.
///
/// Settings not given in `options` are detected as [`sniff`] does. `progress` is called
/// about every 64 KiB with the bytes done; returning `false` cancels the import
/// ([`ImportErrorKind::Cancelled`]).
///
/// Rows become orders by the [`OrderRule`] the columns call for; a row that cannot be read
/// is rejected with its reason, never dropped silently; returns (negative totals) and zero
/// totals are kept as orders and counted in the report. Orders are in the order their
/// first line appears in the file; customers are numbered in the order of their first order.
///
/// # Examples
/// ```
/// use ltv_core::import::{import, ImportOptions, OrderRule, RowErrorKind};
/// let csv = "注文番号,注文日,メールアドレス,商品名,小計\n\
///            1,2024/1/5,a@x.jp,お試しセット,980\n\
///            1,2024/1/5,a@x.jp,送料,500\n\
///            2,2024/2/5,b@x.jp,本品,abc\n\
///            3,2024/3/5,A@X.JP,本品,3980\n";
/// let result = import(csv.as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
/// let report = &result.report;
/// assert_eq!(report.rule, OrderRule::SumOfLines);
/// assert_eq!((report.rows_read, report.rows_used, report.rows_rejected), (4, 3, 1));
/// assert_eq!(report.rejected[0].kind, RowErrorKind::BadAmount);
/// assert_eq!(report.rejected[0].line, 4);
/// assert_eq!(result.table.orders.len(), 2);
/// assert_eq!(result.table.customer_count(), 1);
/// assert_eq!(result.table.revenue(), 980.0 + 500.0 + 3980.0);
/// ```
pub fn import(
    bytes: &[u8],
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Import, ImportError> {
    let total = bytes.len() as u64;
    let mut report_progress = |done: u64| -> Result<(), ImportError> {
        if progress(Progress {
            bytes_done: done.min(total),
            bytes_total: total,
        }) {
            Ok(())
        } else {
            Err(ImportErrorKind::Cancelled.into())
        }
    };
    report_progress(0)?;
    let encoding = match options.encoding {
        Some(e) => e,
        None => encoding::detect(bytes)?,
    };
    let (text, undecodable): (Cow<'_, str>, u64) = encoding::decode(bytes, encoding);
    let setup = Setup::new(&text, options)?;
    let map = ColumnMap::new(&setup.roles);
    map.check()?;
    let mut reader = RecordReader::new(&text, setup.delimiter);
    let mut record = ByteRecord::new();
    if setup.has_header {
        reader.next_record(&mut record);
    }

    // Pass 1: read each row's fields.
    let mut reading = Reading::with_capacity(text.bytes().filter(|&b| b == b'\n').count(), &map);
    while let Some(offset) = reading.read_chunk(&mut reader, &mut record, &setup, &map) {
        let done = (offset as f64 / text.len().max(1) as f64 * total as f64) as u64;
        report_progress(done)?;
    }
    if reading.rows_read == 0 {
        return Err(ImportErrorKind::NoRows.into());
    }

    // Pass 2: settle the date order, group lines into orders, build the table.
    let date_order = match options.date_order.or(reading.evidence.settled()) {
        Some(order) => Some(order),
        None if reading.evidence.needs_choice() => {
            return Err(ImportErrorKind::AmbiguousDates {
                column: map
                    .date
                    .map(|i| setup.headers[i].clone())
                    .unwrap_or_default(),
                example: reading.evidence.example.clone().unwrap_or_default(),
            }
            .into())
        }
        None => None,
    };
    let built = build(reading, &setup, &map, date_order);
    report_progress(total)?;
    let Built { table, report } = built;
    if report.rows_used == 0 {
        let first_reason = report
            .rejected
            .first()
            .map(RejectedRow::message)
            .unwrap_or_default();
        return Err(ImportErrorKind::NoUsableRows {
            rows_read: report.rows_read,
            first_reason,
        }
        .into());
    }
    let has_year_last = report.has_year_last;
    let mut report = report.into_report(encoding, &setup);
    report.undecodable_chars = undecodable;
    report.date_order = if has_year_last { date_order } else { None };
    finish_report(&mut report, &table);
    Ok(Import { table, report })
}

/// The settings of a file, detected or given.
struct Setup {
    delimiter: Delimiter,
    has_header: bool,
    headers: Vec<String>,
    platform: Platform,
    roles: Vec<ColumnRole>,
    /// Expected fields per row: the header's width (or the first row's).
    width: usize,
}

impl Setup {
    fn new(text: &str, options: &ImportOptions) -> Result<Setup, ImportError> {
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .is_empty()
        {
            return Err(ImportErrorKind::Empty.into());
        }
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| layout::detect_delimiter(text));
        let mut reader = RecordReader::new(text, delimiter);
        let mut first = ByteRecord::new();
        if reader.next_record(&mut first).is_none() {
            return Err(ImportErrorKind::Empty.into());
        }
        let first_fields: Vec<String> = (0..first.len())
            .map(|i| field(&first, i).to_string())
            .collect();
        let has_header = options.has_header.unwrap_or_else(|| {
            columns::any_known(&first_fields) || layout::looks_like_header(&first)
        });
        let width = first_fields.len();
        let headers: Vec<String> = if has_header {
            first_fields
                .into_iter()
                .enumerate()
                .map(|(i, h)| if h.is_empty() { column_name(i) } else { h })
                .collect()
        } else {
            (0..width).map(column_name).collect()
        };
        let (platform, guessed) = if has_header {
            guess_roles(&headers)
        } else {
            (Platform::Generic, vec![ColumnRole::Ignore; width])
        };
        let roles = match &options.roles {
            None => guessed,
            Some(given) => {
                let mut roles = vec![ColumnRole::Ignore; width];
                for (i, &role) in given.iter().enumerate() {
                    if role == ColumnRole::Ignore {
                        continue;
                    }
                    if i >= width {
                        return Err(ImportErrorKind::RoleOutOfRange {
                            column: i as u64 + 1,
                            columns: width as u64,
                        }
                        .into());
                    }
                    if let Some(j) = roles.iter().position(|&r| r == role) {
                        return Err(ImportErrorKind::DuplicateRole {
                            role: role.label().into(),
                            first: headers[j].clone(),
                            second: headers[i].clone(),
                        }
                        .into());
                    }
                    roles[i] = role;
                }
                roles
            }
        };
        Ok(Setup {
            delimiter,
            has_header,
            headers,
            platform,
            roles,
            width,
        })
    }
}

fn column_name(i: usize) -> String {
    format!("列{}", i + 1)
}

/// Which column has which role.
#[derive(Default)]
struct ColumnMap {
    order_id: Option<usize>,
    date: Option<usize>,
    time: Option<usize>,
    customer_id: Option<usize>,
    email: Option<usize>,
    amount: Option<usize>,
    line_amount: Option<usize>,
    quantity: Option<usize>,
    product: Option<usize>,
    shipping: Option<usize>,
    adjustment: Option<usize>,
}

impl ColumnMap {
    fn new(roles: &[ColumnRole]) -> Self {
        let mut map = ColumnMap::default();
        for (i, role) in roles.iter().enumerate() {
            let slot = match role {
                ColumnRole::OrderId => &mut map.order_id,
                ColumnRole::OrderDate => &mut map.date,
                ColumnRole::OrderTime => &mut map.time,
                ColumnRole::CustomerId => &mut map.customer_id,
                ColumnRole::Email => &mut map.email,
                ColumnRole::Amount => &mut map.amount,
                ColumnRole::LineAmount => &mut map.line_amount,
                ColumnRole::Quantity => &mut map.quantity,
                ColumnRole::Product => &mut map.product,
                ColumnRole::Shipping => &mut map.shipping,
                ColumnRole::Adjustment => &mut map.adjustment,
                ColumnRole::Ignore => continue,
            };
            slot.get_or_insert(i);
        }
        map
    }

    fn check(&self) -> Result<(), ImportError> {
        if self.date.is_none() {
            return Err(ImportErrorKind::NoDateColumn.into());
        }
        if self.amount.is_none() && self.line_amount.is_none() {
            return Err(ImportErrorKind::NoAmountColumn.into());
        }
        if self.customer_id.is_none() && self.email.is_none() {
            return Err(ImportErrorKind::NoCustomerColumn.into());
        }
        Ok(())
    }

    /// The column an order's amount comes from, for messages.
    fn amount_column(&self) -> Option<usize> {
        self.amount.or(self.line_amount)
    }
}

/// What the year-last dates of a column say about its day/month order.
#[derive(Default)]
struct DateEvidence {
    /// Cells only month-first reads (`01/13/2024`), and only day-first reads (`13/01/2024`).
    month_first_only: u64,
    day_first_only: u64,
    /// Cells both orders read, differently.
    ambiguous: u64,
    example: Option<String>,
}

impl DateEvidence {
    fn add(&mut self, cell: DateCell, text: &str) {
        if let DateCell::YearLast {
            as_month_first,
            as_day_first,
        } = cell
        {
            match (as_month_first, as_day_first) {
                (Some(_), None) => self.month_first_only += 1,
                (None, Some(_)) => self.day_first_only += 1,
                _ if cell.is_ambiguous() => {
                    self.ambiguous += 1;
                    if self.example.is_none() {
                        self.example = Some(text.to_string());
                    }
                }
                _ => {}
            }
        }
    }

    /// The order the cells settle, if they settle one.
    fn settled(&self) -> Option<DateOrder> {
        match (self.month_first_only > 0, self.day_first_only > 0) {
            (true, false) => Some(DateOrder::MonthFirst),
            (false, true) => Some(DateOrder::DayFirst),
            _ => None,
        }
    }

    /// Whether the caller must choose: ambiguous cells with nothing settling them, or a
    /// column that reads both ways.
    fn needs_choice(&self) -> bool {
        self.settled().is_none()
            && (self.ambiguous > 0 || (self.month_first_only > 0 && self.day_first_only > 0))
    }
}

fn preview_row(
    record: &ByteRecord,
    line: u64,
    setup: &Setup,
    date_order: Option<DateOrder>,
) -> PreviewRow {
    let fields: Vec<String> = (0..record.len())
        .map(|i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned())
        .collect();
    let cells = (0..setup.width.max(record.len()))
        .map(|i| {
            let role = setup.roles.get(i).copied().unwrap_or(ColumnRole::Ignore);
            preview_cell(role, field(record, i), date_order)
        })
        .collect();
    PreviewRow {
        line,
        fields,
        cells,
    }
}

fn preview_cell(role: ColumnRole, text: &str, date_order: Option<DateOrder>) -> PreviewCell {
    if role == ColumnRole::Ignore {
        return PreviewCell::Unused;
    }
    if text.is_empty() {
        return PreviewCell::Blank;
    }
    let bad = |what: &str| PreviewCell::Error(format!("「{text}」を{what}として読めません"));
    match role {
        ColumnRole::OrderDate => match parse_date(text) {
            None => bad("日付"),
            Some(cell) => match cell.resolve(date_order) {
                Some(day) => PreviewCell::Read(iso_date(day)),
                None if cell.is_ambiguous() && date_order.is_none() => {
                    PreviewCell::Error(format!("「{text}」は月/日/年か日/月/年か決まっていません"))
                }
                None => bad("日付"),
            },
        },
        ColumnRole::OrderTime => match parse_time(text) {
            Some((h, m, s)) => PreviewCell::Read(format!("{h:02}:{m:02}:{s:02}")),
            None => bad("時刻"),
        },
        ColumnRole::Amount
        | ColumnRole::LineAmount
        | ColumnRole::Shipping
        | ColumnRole::Adjustment => match parse_amount(text) {
            Some(v) => PreviewCell::Read(format_plain(v)),
            None => bad("金額"),
        },
        ColumnRole::Quantity => match parse_amount(text) {
            Some(v) => PreviewCell::Read(format_plain(v)),
            None => bad("数量"),
        },
        ColumnRole::CustomerId | ColumnRole::Email => PreviewCell::Read(canonical_key(text)),
        ColumnRole::OrderId | ColumnRole::Product | ColumnRole::Ignore => {
            PreviewCell::Read(text.to_string())
        }
    }
}

/// Re-reads the preview's dates once the whole sample has settled the day/month order.
fn refresh_dates(row: &mut PreviewRow, map: &ColumnMap, order: DateOrder) {
    if let Some(i) = map.date {
        if let (Some(text), Some(cell)) = (row.fields.get(i), row.cells.get_mut(i)) {
            *cell = preview_cell(ColumnRole::OrderDate, trim_text(text), Some(order));
        }
    }
}

fn trim_text(text: &str) -> &str {
    values::trim_field(text)
}

/// "No value" in the per-row numbers: blank fields.
const BLANK: f64 = f64::NAN;
/// "No id" in the per-row ids.
const NONE: u32 = u32::MAX;

/// One read row, before grouping.
struct RowData {
    line: u64,
    /// Order-number id, or [`NONE`]: the row is an order of its own.
    order: u32,
    /// Raw customer-key id, or [`NONE`].
    customer: u32,
    /// Product id, or [`NONE`].
    product: u32,
    date: Option<DateCell>,
    /// The order total ([`ColumnRole::Amount`]) when the export has one, else the line's
    /// amount ([`ColumnRole::LineAmount`]): only one of them is ever used.
    amount: f64,
}

/// The rarer per-row numbers, kept beside [`RowData`] only when the export has their
/// columns, so that a plain three-column file does not pay for them row by row.
#[derive(Default)]
struct RowExtras {
    /// `(shipping, adjustment)` of each read row, when either column exists.
    charges: Vec<(f64, f64)>,
    /// The quantity of each read row, when the export has a product column.
    quantities: Vec<f64>,
}

/// Pass 1's state.
#[derive(Default)]
struct Reading {
    rows: Vec<RowData>,
    extras: RowExtras,
    /// Rows without an order number: each is an order of its own.
    rows_without_order: usize,
    rows_read: u64,
    rejected: Vec<RejectedRow>,
    keys: KeyInterner,
    order_ids: StrInterner,
    /// The order number of the last row read (a reused buffer).
    last_order_id: String,
    /// Its id ([`NONE`] before the first).
    last_order: u32,
    products: StrInterner,
    evidence: DateEvidence,
}

impl Reading {
    /// Sized for about `lines` rows, so that the maps do not grow row by row.
    fn with_capacity(lines: usize, map: &ColumnMap) -> Self {
        let mut reading = Reading {
            last_order: NONE,
            ..Reading::default()
        };
        reading.rows.reserve(lines);
        if map.order_id.is_some() {
            reading.order_ids.reserve(lines);
        }
        // Customers usually order more than once: a quarter of the lines is a fair guess,
        // and the tables grow past it when needed.
        reading.keys.reserve(lines / 4 + 1024);
        reading
    }

    /// Reads rows until about [`PROGRESS_STEP`] bytes further on; returns the offset
    /// reached, or `None` at the end of the text.
    ///
    /// A separate function called once per step, not one loop over the whole file: a
    /// browser's WebAssembly engine compiles a function well only after it has been called a
    /// few times, so a single long loop would run in its first, slow compilation throughout.
    #[inline(never)]
    fn read_chunk(
        &mut self,
        reader: &mut RecordReader<'_>,
        record: &mut ByteRecord,
        setup: &Setup,
        map: &ColumnMap,
    ) -> Option<usize> {
        let mut until = None;
        while let Some((line, offset)) = reader.next_record(record) {
            let until = *until.get_or_insert(offset + PROGRESS_STEP);
            self.read_row(record, line, setup, map);
            if offset >= until {
                return Some(offset);
            }
        }
        None
    }

    fn reject(&mut self, line: u64, column: &str, value: &str, kind: RowErrorKind) {
        // Keep a huge value from bloating the report.
        let value: String = value.chars().take(200).collect();
        self.rejected.push(RejectedRow {
            line,
            column: column.to_string(),
            value,
            kind,
        });
    }

    fn read_row(&mut self, record: &ByteRecord, line: u64, setup: &Setup, map: &ColumnMap) {
        self.rows_read += 1;
        let found = record.len();
        if found != setup.width {
            // Trailing empty fields (a spreadsheet's stray commas) are harmless.
            let extra_blank =
                found > setup.width && (setup.width..found).all(|i| field(record, i).is_empty());
            if !extra_blank {
                self.reject(
                    line,
                    "",
                    "",
                    RowErrorKind::WrongWidth {
                        expected: setup.width as u64,
                        found: found as u64,
                    },
                );
                return;
            }
        }
        if (0..found).all(|i| field(record, i).is_empty()) {
            self.reject(line, "", "", RowErrorKind::EmptyRow);
            return;
        }
        let headers = &setup.headers;
        let date = match map.date {
            Some(i) if !field(record, i).is_empty() => {
                let text = field(record, i);
                match parse_date(text) {
                    Some(cell) => {
                        self.evidence.add(cell, text);
                        Some(cell)
                    }
                    None => {
                        self.reject(line, &headers[i], text, RowErrorKind::BadDate);
                        return;
                    }
                }
            }
            _ => None,
        };
        let mut amounts = [BLANK; 4];
        let amount_columns = [map.amount, map.line_amount, map.shipping, map.adjustment];
        for (slot, column) in amounts.iter_mut().zip(amount_columns) {
            let Some(i) = column else { continue };
            let text = field(record, i);
            if text.is_empty() {
                continue;
            }
            match parse_amount(text) {
                Some(v) => *slot = v,
                None => {
                    self.reject(line, &headers[i], text, RowErrorKind::BadAmount);
                    return;
                }
            }
        }
        let quantity = match map.quantity.map(|i| (i, field(record, i))) {
            Some((i, text)) if !text.is_empty() => match parse_amount(text) {
                Some(q) => q,
                None => {
                    self.reject(line, &headers[i], text, RowErrorKind::BadQuantity);
                    return;
                }
            },
            _ => 1.0,
        };
        // Keys are interned as written, spaces included, so that the report shows the
        // spellings that were merged.
        let id_text = map.customer_id.map_or("", |i| raw_field(record, i));
        let key_text = if trim_text(id_text).is_empty() {
            map.email.map_or("", |i| raw_field(record, i))
        } else {
            id_text
        };
        let customer = if trim_text(key_text).is_empty() {
            NONE
        } else {
            self.keys.intern(key_text).unwrap_or(NONE)
        };
        let order = match map.order_id.map(|i| field(record, i)) {
            Some(text) if !text.is_empty() => {
                // The lines of an order are usually adjacent: skip the lookup for them.
                if self.last_order == NONE || self.last_order_id != text {
                    self.last_order_id.clear();
                    self.last_order_id.push_str(text);
                    self.last_order = self.order_ids.intern(text);
                }
                self.last_order
            }
            _ => NONE,
        };
        let product = match map.product.map(|i| field(record, i)) {
            Some(text) if !text.is_empty() => self.products.intern(text),
            _ => NONE,
        };
        self.rows_without_order += usize::from(order == NONE);
        self.rows.push(RowData {
            line,
            order,
            customer,
            product,
            date,
            amount: if map.amount.is_some() {
                amounts[0]
            } else {
                amounts[1]
            },
        });
        if map.shipping.is_some() || map.adjustment.is_some() {
            self.extras.charges.push((amounts[2], amounts[3]));
        }
        if map.product.is_some() {
            self.extras.quantities.push(quantity);
        }
    }
}

/// One order being assembled from its lines: 24 bytes, as there may be millions. Its
/// shipping and adjustment, when the export has them, are kept beside it.
struct OrderAcc {
    /// The order's day, or [`NO_DAY`].
    day: Day,
    /// Raw customer-key id of the first line that has one.
    customer: u32,
    /// Lines that carried a (matching) total.
    total_lines: u32,
    used_rows: u32,
    /// The order total (blank until a line gives it) when the export has one, else the sum
    /// of the line amounts.
    amount: f64,
}

/// No day yet.
const NO_DAY: Day = Day::MIN;

impl OrderAcc {
    fn new(use_total: bool) -> Self {
        OrderAcc {
            day: NO_DAY,
            customer: NONE,
            total_lines: 0,
            used_rows: 0,
            amount: if use_total { BLANK } else { 0.0 },
        }
    }
}

/// The result of pass 2 before the file-level fields are added.
struct Built {
    table: OrderTable,
    report: PartialReport,
}

struct PartialReport {
    rule: OrderRule,
    rows_read: u64,
    rows_used: u64,
    rejected: Vec<RejectedRow>,
    raw_keys: u64,
    merged_customers: u64,
    merge_examples: Vec<MergeExample>,
    has_year_last: bool,
}

impl PartialReport {
    fn into_report(self, encoding: TextEncoding, setup: &Setup) -> ImportReport {
        ImportReport {
            encoding,
            delimiter: setup.delimiter,
            has_header: setup.has_header,
            platform: setup.platform,
            headers: setup.headers.clone(),
            roles: setup.roles.clone(),
            date_order: None,
            rule: self.rule,
            rows_read: self.rows_read,
            rows_used: self.rows_used,
            rows_rejected: self.rejected.len() as u64,
            orders: 0,
            customers: 0,
            revenue: 0.0,
            first_day: None,
            last_day: None,
            negative_orders: 0,
            negative_amount: 0.0,
            zero_orders: 0,
            raw_keys: self.raw_keys,
            merge_examples: self.merge_examples,
            merged_customers: self.merged_customers,
            lines: 0,
            products: 0,
            undecodable_chars: 0,
            rejected: self.rejected,
        }
    }
}

fn build(
    mut reading: Reading,
    setup: &Setup,
    map: &ColumnMap,
    date_order: Option<DateOrder>,
) -> Built {
    let headers = &setup.headers;
    let name = |column: Option<usize>| column.map(|i| headers[i].clone()).unwrap_or_default();
    let use_total = map.amount.is_some();
    let rows = std::mem::take(&mut reading.rows);
    let extras = std::mem::take(&mut reading.extras);
    let mut has_year_last = false;

    // Orders in the order their first line appears.
    let mut accs: Vec<OrderAcc> =
        Vec::with_capacity(reading.order_ids.len() + reading.rows_without_order);
    // (shipping, adjustment) of each order, beside `accs`, when the export has them.
    let has_charges = !use_total && !extras.charges.is_empty();
    let mut charges: Vec<(f64, f64)> = Vec::new();
    let mut slot_of_order = vec![NONE; reading.order_ids.len()];
    let mut row_slot = vec![NONE; rows.len()];
    for (r, row) in rows.iter().enumerate() {
        let day = match row.date {
            None => None,
            Some(cell) => {
                has_year_last |= matches!(cell, DateCell::YearLast { .. });
                match cell.resolve(date_order) {
                    Some(day) => Some(day),
                    None => {
                        let value = year_last_text(cell);
                        reading.reject(row.line, &name(map.date), &value, RowErrorKind::BadDate);
                        continue;
                    }
                }
            }
        };
        let mut new_order = || {
            accs.push(OrderAcc::new(use_total));
            if has_charges {
                charges.push((BLANK, BLANK));
            }
            accs.len() - 1
        };
        let slot = if row.order == NONE {
            new_order()
        } else {
            let s = &mut slot_of_order[row.order as usize];
            if *s == NONE {
                *s = new_order() as u32;
            }
            *s as usize
        };
        let acc = &mut accs[slot];
        if use_total {
            if !row.amount.is_nan() {
                if acc.amount.is_nan() {
                    acc.amount = row.amount;
                } else if (acc.amount - row.amount).abs() > SAME_TOTAL_TOLERANCE {
                    let first = acc.amount;
                    reading.reject(
                        row.line,
                        &name(map.amount),
                        &format_plain(row.amount),
                        RowErrorKind::ConflictingTotal { first },
                    );
                    continue;
                }
                acc.total_lines += 1;
            }
        } else {
            if row.amount.is_nan() {
                reading.reject(
                    row.line,
                    &name(map.line_amount),
                    "",
                    RowErrorKind::MissingAmount,
                );
                continue;
            }
            acc.amount += row.amount;
            if let (Some(&(shipping, adjustment)), Some(order)) =
                (extras.charges.get(r), charges.get_mut(slot))
            {
                if order.0.is_nan() {
                    order.0 = shipping;
                }
                if order.1.is_nan() {
                    order.1 = adjustment;
                }
            }
        }
        if acc.day == NO_DAY {
            acc.day = day.unwrap_or(NO_DAY);
        }
        if acc.customer == NONE {
            acc.customer = row.customer;
        }
        acc.used_rows += 1;
        row_slot[r] = slot as u32;
    }

    // Orders missing a date, a customer or an amount lose all their rows.
    let customer_column = name(map.email.or(map.customer_id));
    let missing: Vec<Missing> = accs
        .iter()
        .map(|acc| {
            if acc.day == NO_DAY {
                Missing::Date
            } else if acc.customer == NONE {
                Missing::Customer
            } else if use_total && acc.amount.is_nan() {
                Missing::Amount
            } else {
                Missing::Nothing
            }
        })
        .collect();
    if missing.iter().any(|&m| m != Missing::Nothing) {
        let date_column = name(map.date);
        let amount_column = name(map.amount_column());
        for (r, row) in rows.iter().enumerate() {
            let slot = row_slot[r];
            if slot == NONE {
                continue;
            }
            let (kind, column) = match missing[slot as usize] {
                Missing::Nothing => continue,
                Missing::Date => (RowErrorKind::MissingDate, &date_column),
                Missing::Customer => (RowErrorKind::MissingCustomer, &customer_column),
                Missing::Amount => (RowErrorKind::MissingAmount, &amount_column),
            };
            reading.reject(row.line, column, "", kind);
            row_slot[r] = NONE;
        }
    }

    // The table: kept orders, customers and products renumbered densely by first use.
    let mut table = OrderTable::default();
    table.orders.reserve(accs.len());
    let mut order_index = vec![NONE; accs.len()];
    let mut customer_index = vec![NONE; reading.keys.canonical_count()];
    let mut repeated_totals = false;
    for (slot, acc) in accs.iter().enumerate() {
        if missing[slot] != Missing::Nothing || acc.used_rows == 0 {
            continue;
        }
        if acc.day == NO_DAY {
            continue;
        }
        let (day, canonical) = (acc.day, reading.keys.canonical_of(acc.customer));
        let customer = &mut customer_index[canonical as usize];
        if *customer == NONE {
            *customer = table.customer_keys.len() as u32;
            table
                .customer_keys
                .push(reading.keys.canonical_text(canonical).to_string());
        }
        let amount = if use_total {
            repeated_totals |= acc.total_lines > 1;
            acc.amount
        } else {
            let (shipping, adjustment) = charges.get(slot).copied().unwrap_or((BLANK, BLANK));
            acc.amount + zero_if_blank(shipping) + zero_if_blank(adjustment)
        };
        order_index[slot] = table.orders.len() as u32;
        table.orders.push(Order {
            customer: *customer,
            day,
            amount,
        });
    }

    // Lines, and the raw spellings of the kept customers.
    let mut product_index = vec![NONE; reading.products.len()];
    // Spellings per customer: counted here; the examples' spellings are gathered after.
    let mut spelling_count = vec![0u32; table.customer_keys.len()];
    let mut raw_seen = vec![false; reading.keys.raw_count()];
    let mut rows_used = 0u64;
    for (r, row) in rows.iter().enumerate() {
        let slot = row_slot[r];
        if slot == NONE {
            continue;
        }
        rows_used += 1;
        let order = order_index[slot as usize];
        if row.customer != NONE && !raw_seen[row.customer as usize] {
            let canonical = reading.keys.canonical_of(row.customer);
            let customer = customer_index[canonical as usize];
            if customer != NONE && customer == table.orders[order as usize].customer {
                raw_seen[row.customer as usize] = true;
                spelling_count[customer as usize] += 1;
            }
        }
        if row.product != NONE {
            let product = &mut product_index[row.product as usize];
            if *product == NONE {
                *product = table.product_names.len() as u32;
                table
                    .product_names
                    .push(reading.products.get(row.product).to_string());
            }
            table.lines.push(OrderLine {
                order,
                product: *product,
                quantity: extras.quantities.get(r).copied().unwrap_or(1.0),
            });
        }
    }
    let raw_keys = spelling_count.iter().map(|&n| u64::from(n)).sum();
    let merged_customers = spelling_count.iter().filter(|&&n| n > 1).count() as u64;
    // The first merged customers' spellings, in the order the file first uses them.
    let examples: Vec<u32> = (0..spelling_count.len() as u32)
        .filter(|&c| spelling_count[c as usize] > 1)
        .take(MERGE_EXAMPLES)
        .collect();
    let mut example_spellings: Vec<Vec<u32>> = vec![Vec::new(); examples.len()];
    if !examples.is_empty() {
        raw_seen.iter_mut().for_each(|seen| *seen = false);
        for (r, row) in rows.iter().enumerate() {
            let slot = row_slot[r];
            if slot == NONE || row.customer == NONE || raw_seen[row.customer as usize] {
                continue;
            }
            let canonical = reading.keys.canonical_of(row.customer);
            let customer = customer_index[canonical as usize];
            let order = order_index[slot as usize];
            if customer == NONE || customer != table.orders[order as usize].customer {
                continue;
            }
            if let Some(e) = examples.iter().position(|&c| c == customer) {
                raw_seen[row.customer as usize] = true;
                example_spellings[e].push(row.customer);
            }
        }
    }
    let merge_examples = examples
        .iter()
        .zip(&example_spellings)
        .map(|(&c, raws)| MergeExample {
            canonical: table.customer_keys[c as usize].clone(),
            spellings: raws
                .iter()
                .take(MERGE_EXAMPLES)
                .map(|&raw| reading.keys.raw_text(raw).to_string())
                .collect(),
        })
        .collect();

    let rule = if map.order_id.is_none() {
        OrderRule::RowIsOrder
    } else if use_total {
        if repeated_totals {
            OrderRule::TotalRepeated
        } else {
            OrderRule::TotalOnFirstLine
        }
    } else if map.shipping.is_some() || map.adjustment.is_some() {
        OrderRule::SumOfLinesWithCharges
    } else {
        OrderRule::SumOfLines
    };
    let mut rejected = std::mem::take(&mut reading.rejected);
    rejected.sort_by_key(|r| r.line);
    Built {
        table,
        report: PartialReport {
            rule,
            rows_read: reading.rows_read,
            rows_used,
            rejected,
            raw_keys,
            merged_customers,
            merge_examples,
            has_year_last,
        },
    }
}

/// Why an order loses its rows, if it does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Missing {
    Nothing,
    Date,
    Customer,
    Amount,
}

fn zero_if_blank(v: f64) -> f64 {
    if v.is_nan() {
        0.0
    } else {
        v
    }
}

/// A year-last date cell written back as `MM/DD/YYYY` or `DD/MM/YYYY` (whichever reading
/// exists), for the message of a date the chosen order refuses.
fn year_last_text(cell: DateCell) -> String {
    match cell {
        DateCell::YearLast {
            as_month_first: Some(day),
            ..
        } => {
            let (y, m, d) = crate::orders::ymd_from_day(day);
            format!("{m:02}/{d:02}/{y}")
        }
        DateCell::YearLast {
            as_day_first: Some(day),
            ..
        } => {
            let (y, m, d) = crate::orders::ymd_from_day(day);
            format!("{d:02}/{m:02}/{y}")
        }
        DateCell::YearLast { .. } => String::new(),
        DateCell::Day(day) => iso_date(day),
    }
}

/// Fills in the report's totals from the table.
fn finish_report(report: &mut ImportReport, table: &OrderTable) {
    report.orders = table.orders.len() as u64;
    report.customers = table.customer_count();
    report.revenue = table.revenue();
    let range = table.date_range();
    report.first_day = range.map(|r| r.0);
    report.last_day = range.map(|r| r.1);
    report.negative_orders = table.orders.iter().filter(|o| o.amount < 0.0).count() as u64;
    report.negative_amount = table
        .orders
        .iter()
        .filter(|o| o.amount < 0.0)
        .map(|o| o.amount)
        .sum();
    report.zero_orders = table.orders.iter().filter(|o| o.amount == 0.0).count() as u64;
    report.lines = table.lines.len() as u64;
    report.products = table.product_names.len() as u64;
}
