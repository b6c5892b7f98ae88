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
mod parts;
mod platforms;
mod report;
mod sample;
mod source;
mod values;

#[cfg(test)]
mod deferred_keys_tests;
#[cfg(test)]
mod row_order_tests;
#[cfg(test)]
mod stream_tests;
#[cfg(test)]
mod tests;

use csv::{ByteRecord, StringRecord};
use serde::{Deserialize, Serialize};

pub use columns::{detect_platform, guess_roles, roles_for, ColumnRole, Platform};
pub use encoding::TextEncoding;
pub use error::{ImportError, ImportErrorKind, RejectedRow, RowErrorKind};
pub use identity::{canonical_key, MergeExample};
pub use layout::Delimiter;
#[cfg(not(target_arch = "wasm32"))]
pub use parts::import_parallel;
pub use parts::{join_parts, read_after, read_part, ImportPart, PartRows, PART_COLUMNS};
pub use platforms::{is_fee_line, status_exclusion, status_rule_is_keywords, Detection, Exclusion};
pub use report::{
    rejected_rows_csv, ExcludedGroup, ImportReport, OrderRule, RevenueBasis, RevenueRule,
    MERGE_EXAMPLES,
};
pub use sample::{made_up_export, made_up_id_export, sample_export};
pub use source::{ByteSource, CHUNK_BYTES};
pub use values::{parse_amount, parse_date, parse_time, DateCell, DateOrder, MAX_AMOUNT};

use crate::input::format_plain;
use crate::orders::{iso_date, CustomerKeys, Day, Order, OrderLine, OrderTable};
use identity::{canonical_key_cow, KeyInterner, StrInterner};
use layout::{count_breaks, field, raw_field, RecordReader, Row, TextFeed, Window};
use source::Feed;

/// The settings of an import; each one not given is detected. Built with
/// [`ImportOptions::new`] and the `with_` methods, read with the getters; the UI keeps it
/// in state and sends it to the worker. Every combination is valid as such: roles are
/// checked against the file when it is read.
///
/// # Examples
/// ```
/// use ltv_core::import::{ColumnRole, DateOrder, Delimiter, ImportOptions};
/// // CDNOW_sample.txt: no header; customer in column 1, date in 3, amount in 5.
/// let options = ImportOptions::new()
///     .with_delimiter(Delimiter::Whitespace)
///     .with_has_header(false)
///     .with_roles(vec![
///         ColumnRole::CustomerId,
///         ColumnRole::Ignore,
///         ColumnRole::OrderDate,
///         ColumnRole::Ignore,
///         ColumnRole::Amount,
///     ])
///     .with_date_order(DateOrder::DayFirst);
/// assert_eq!(options.has_header(), Some(false));
/// assert_eq!(options.roles().map(<[_]>::len), Some(5));
/// // Roles forgotten: guessed again from the header.
/// assert_eq!(options.with_detected_roles().roles(), None);
/// ```
#[derive(Clone, Debug, Default, PartialEq, Serialize, Deserialize)]
pub struct ImportOptions {
    encoding: Option<TextEncoding>,
    delimiter: Option<Delimiter>,
    has_header: Option<bool>,
    roles: Option<Vec<ColumnRole>>,
    date_order: Option<DateOrder>,
    #[serde(default)]
    platform: Option<Platform>,
    #[serde(default)]
    include_excluded: bool,
    #[serde(default)]
    revenue: RevenueBasis,
    #[serde(default)]
    name_as_key: bool,
    #[serde(default)]
    today: Option<Day>,
}

impl ImportOptions {
    /// Everything detected.
    pub fn new() -> Self {
        Self::default()
    }

    /// Reads the bytes in this encoding.
    pub fn with_encoding(mut self, encoding: TextEncoding) -> Self {
        self.encoding = Some(encoding);
        self
    }

    /// Cuts fields with this delimiter.
    pub fn with_delimiter(mut self, delimiter: Delimiter) -> Self {
        self.delimiter = Some(delimiter);
        self
    }

    /// Whether the first row holds column names.
    pub fn with_has_header(mut self, has_header: bool) -> Self {
        self.has_header = Some(has_header);
        self
    }

    /// The role of each column, by index (the mapping panel's choice).
    pub fn with_roles(mut self, roles: Vec<ColumnRole>) -> Self {
        self.roles = Some(roles);
        self
    }

    /// Forgets the roles given: they are guessed again (another cut or header gives other
    /// columns).
    pub fn with_detected_roles(mut self) -> Self {
        self.roles = None;
        self
    }

    /// Reads year-last dates in this order.
    pub fn with_date_order(mut self, date_order: DateOrder) -> Self {
        self.date_order = Some(date_order);
        self
    }

    /// Applies this platform's rules instead of the detected one's.
    pub fn with_platform(mut self, platform: Platform) -> Self {
        self.platform = Some(platform);
        self
    }

    /// Keeps cancelled, unpaid and returned orders in the figures.
    pub fn with_include_excluded(mut self, include: bool) -> Self {
        self.include_excluded = include;
        self
    }

    /// Takes revenue before or after points.
    pub fn with_revenue(mut self, basis: RevenueBasis) -> Self {
        self.revenue = basis;
        self
    }

    /// Sets today's date: orders dated after it are set aside and reported.
    pub fn with_today(mut self, day: Day) -> Self {
        self.today = Some(day);
        self
    }

    /// Lets a customer-name column key customers when there is no ID and no e-mail.
    pub fn with_name_as_key(mut self, agree: bool) -> Self {
        self.name_as_key = agree;
        self
    }

    /// The encoding given (`None`: detected).
    pub fn encoding(&self) -> Option<TextEncoding> {
        self.encoding
    }

    /// The delimiter given (`None`: detected).
    pub fn delimiter(&self) -> Option<Delimiter> {
        self.delimiter
    }

    /// Whether the first row was said to hold column names (`None`: detected).
    pub fn has_header(&self) -> Option<bool> {
        self.has_header
    }

    /// The role of each column by index (`None`: guessed); columns beyond the list are
    /// ignored.
    pub fn roles(&self) -> Option<&[ColumnRole]> {
        self.roles.as_deref()
    }

    /// How to read dates written with the year last (`01/02/2024`); `None`: settled by the
    /// file when it can be.
    pub fn date_order(&self) -> Option<DateOrder> {
        self.date_order
    }

    /// The platform whose rules apply (`None`: detected).
    pub fn platform(&self) -> Option<Platform> {
        self.platform
    }

    /// Whether cancelled, unpaid and returned orders stay in the figures (left out by
    /// default).
    pub fn include_excluded(&self) -> bool {
        self.include_excluded
    }

    /// Which amount is revenue: before points and coupons (default) or after.
    pub fn revenue(&self) -> RevenueBasis {
        self.revenue
    }

    /// Whether the user agreed that a customer name may key customers when the export has
    /// no ID and no e-mail (namesakes then merge).
    pub fn name_as_key(&self) -> bool {
        self.name_as_key
    }

    /// Today, as the user's clock has it: an order dated later is a typo, not a sale, and is
    /// set aside with its line rather than moving the 基準日 into the future.
    pub fn today(&self) -> Option<Day> {
        self.today
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
    /// How the platform was recognised, and which others came close.
    pub detection: Detection,
    /// The role of each column: the caller's when given, else the guess.
    pub roles: Vec<ColumnRole>,
    /// The rules the import will follow, for the user to see before reading.
    pub rules: Rules,
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

impl Sniff {
    /// The roles the import needs that no column has: 注文日, an amount (注文合計, ポイント
    /// 利用後の金額 or 明細金額) and a customer (顧客ID or メールアドレス; a name only with
    /// consent, which [`Rules::name_needs_consent`] asks for). The user is asked to map them
    /// before reading.
    ///
    /// # Examples
    /// ```
    /// use ltv_core::import::{sniff, ColumnRole, ImportOptions};
    /// let found = sniff("注文番号,メール,備考\n1,a@x.jp,x\n".as_bytes(), &ImportOptions::new()).unwrap();
    /// assert_eq!(found.missing_roles(), vec![ColumnRole::OrderDate, ColumnRole::Amount]);
    /// ```
    pub fn missing_roles(&self) -> Vec<ColumnRole> {
        let has = |wanted: &[ColumnRole]| self.roles.iter().any(|r| wanted.contains(r));
        let mut missing = Vec::new();
        if !has(&[ColumnRole::OrderDate]) {
            missing.push(ColumnRole::OrderDate);
        }
        if !has(&[
            ColumnRole::Amount,
            ColumnRole::AmountAfterPoints,
            ColumnRole::LineAmount,
        ]) {
            missing.push(ColumnRole::Amount);
        }
        if !has(&[
            ColumnRole::CustomerId,
            ColumnRole::Email,
            ColumnRole::CustomerName,
        ]) {
            missing.push(ColumnRole::CustomerId);
        }
        missing
    }
}

/// The rules an import follows with the columns it has: what is left out, what revenue is,
/// and who a customer is.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct Rules {
    /// The status column, and whether its rule is the keyword rule offered for an unknown
    /// layout (the user should confirm it) rather than the platform's documented codes.
    pub status_column: Option<String>,
    pub status_keywords: bool,
    /// The cancellation-date column (Shopify's `Cancelled at`).
    pub cancelled_at_column: Option<String>,
    /// The revenue rule as it will be applied.
    pub revenue: RevenueRule,
    /// The export keys customers by nothing but a name: the import needs the user's consent
    /// ([`ImportOptions::name_as_key`]).
    pub name_needs_consent: bool,
    /// The customer-name column used as the key with consent.
    pub name_column: Option<String>,
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

/// How much of a file [`sniff`] reads (four times what encoding detection looks at): a
/// caller may hand it no more than this many leading bytes of a large file.
pub const SNIFF_BYTES: usize = 4 * encoding::DETECT_BYTES;

/// Progress is reported about this often, in bytes of text.
const PROGRESS_STEP: usize = 64 * 1024;

/// The widest export taken: the platforms write up to about 160 columns (楽天ペイ); a first
/// line with thousands of fields is not an order table, and showing it would freeze the page.
pub const MAX_COLUMNS: usize = 1000;

/// Orders dated before this year are taken for typos (`1924` for `2024`) and set aside with
/// their line: no shop's export reaches back further, and one such date would stretch every
/// monthly table over decades.
pub const EARLIEST_ORDER_YEAR: i32 = 1990;

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
    sniff_start(
        &bytes[..bytes.len().min(SNIFF_BYTES)],
        bytes.len() as u64,
        options,
    )
}

/// [`sniff`] on the start of a file of `total` bytes: its first [`SNIFF_BYTES`] (all of a
/// shorter file) are all it looks at.
pub fn sniff_start(
    start: &[u8],
    total: u64,
    options: &ImportOptions,
) -> Result<Sniff, ImportError> {
    let encoding = match options.encoding {
        Some(e) => e,
        None => encoding::detect_start(start, total)?,
    };
    let cut = total > SNIFF_BYTES as u64;
    let (text, undecodable) = encoding::decode(&start[..start.len().min(SNIFF_BYTES)], encoding);
    // A cut sample ends at its last full line.
    let text: &str = if cut {
        text.rfind('\n').map_or(&text, |i| &text[..=i])
    } else {
        &text
    };
    let setup = Setup::whole(text, options)?;
    let mut reader = RecordReader::new(text, setup.delimiter);
    let mut record = ByteRecord::new();
    if setup.has_header {
        reader.next_record(&mut record);
    }
    reader.set_width(setup.width);
    let map = ColumnMap::new(&setup.roles, options);
    let mut preview = Vec::new();
    let mut evidence = DateEvidence::default();
    while let Some((line, _)) = reader.next_record(&mut record) {
        if reader.take_runaway() {
            continue;
        }
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
    let lines_in_text =
        count_breaks(text.as_bytes()) + u64::from(!text.ends_with('\n') && !text.is_empty());
    let line_estimate = if cut && !text.is_empty() {
        // Scale by the share of the input the text came from.
        let share = text.len() as f64 / SNIFF_BYTES as f64;
        ((lines_in_text as f64 / share) * (total as f64 / SNIFF_BYTES as f64)).round() as u64
    } else {
        lines_in_text
    };
    let rules = setup.rules(&map, options);
    Ok(Sniff {
        encoding,
        delimiter: setup.delimiter,
        has_header: setup.has_header,
        platform: setup.platform,
        detection: setup.detection.clone(),
        roles: setup.roles.clone(),
        rules,
        headers: setup.headers,
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
    import_from(&mut &*bytes, options, progress)
}

/// [`import`] reading the file piece by piece ([`CHUNK_BYTES`] at a time): the bytes and
/// their text are held a piece at a time, never whole, and the result is the same as
/// [`import`] on the whole file's bytes.
///
/// `progress` is told the bytes read; returning `false` cancels. A source that fails to
/// read stops the import with [`ImportErrorKind::Cancelled`] (the source knows why).
pub fn import_from(
    source: &mut dyn ByteSource,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Import, ImportError> {
    import_pieces(source, CHUNK_BYTES, options, progress)
}

/// [`import_from`] reading `chunk` bytes at a time.
pub(crate) fn import_pieces(
    source: &mut dyn ByteSource,
    chunk: usize,
    options: &ImportOptions,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> Result<Import, ImportError> {
    let mut report_progress = bytes_progress(source.len(), progress);
    report_progress(0)?;
    let part = parts::read_range(source, chunk, options, 0, None, &mut report_progress)?;
    parts::join(part, Vec::new(), options, &mut report_progress)
}

/// Tells `progress` the bytes read of a file of `total` bytes; `Err` (cancelled) when it
/// answers `false`.
fn bytes_progress(
    total: u64,
    progress: &mut dyn FnMut(Progress) -> bool,
) -> impl FnMut(u64) -> Result<(), ImportError> + '_ {
    move |done: u64| {
        if progress(Progress {
            bytes_done: done.min(total),
            bytes_total: total,
        }) {
            Ok(())
        } else {
            Err(ImportErrorKind::Cancelled.into())
        }
    }
}

/// What the reading of a file needs from its start: the encoding, the settings, which column
/// is which, and the text decoded to tell them.
struct Start {
    encoding: TextEncoding,
    setup: Setup,
    map: ColumnMap,
    text: String,
}

/// Reads the start of the file from `feed` (which has read nothing yet) until the settings
/// can be told.
fn read_start(feed: &mut Feed<'_>, options: &ImportOptions) -> Result<Start, ImportError> {
    let unreadable = || ImportError::from(ImportErrorKind::Cancelled);
    // Detection looks at the first bytes only: read them before decoding anything.
    let start = feed.start(encoding::DETECT_BYTES).ok_or_else(unreadable)?;
    let encoding = match options.encoding {
        Some(e) => e,
        None => encoding::detect_start(&start, feed.total())?,
    };
    drop(start);
    feed.decode_as(encoding);
    // The settings are read from the start of the text: decode until it holds what they
    // depend on (one piece, unless its rows are very long).
    let mut text = String::new();
    let mut tried = 0;
    let setup = loop {
        let more = feed.feed(&mut text);
        if feed.failed {
            return Err(unreadable());
        }
        let complete = !more || feed.finished;
        // Tried again once the text has doubled, not at each piece, whatever the file.
        if !complete && text.len() < 2 * tried {
            continue;
        }
        tried = text.len();
        if let Some(setup) = Setup::new(&text, complete, options)? {
            break setup;
        }
    };
    let map = ColumnMap::new(&setup.roles, options);
    map.check(&setup)?;
    Ok(Start {
        encoding,
        setup,
        map,
        text,
    })
}

/// Pass 2: settles the date order, groups the lines of the rows read into orders and builds
/// the table and its report.
#[allow(clippy::too_many_arguments)]
fn settle(
    reading: Reading,
    encoding: TextEncoding,
    setup: &Setup,
    map: &ColumnMap,
    undecodable: (u64, Option<u64>),
    options: &ImportOptions,
    total: u64,
    report_progress: &mut dyn FnMut(u64) -> Result<(), ImportError>,
) -> Result<Import, ImportError> {
    if reading.rows_read == 0 {
        return Err(ImportErrorKind::NoRows.into());
    }
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
    let built = build(reading, setup, map, date_order, options);
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
    let mut report = report.into_report(encoding, setup, setup.rules(map, options));
    (report.undecodable_chars, report.first_undecodable_line) = undecodable;
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
    detection: Detection,
    roles: Vec<ColumnRole>,
    /// Expected fields per row: the header's width (or the first row's).
    width: usize,
    /// The value that means "not fixed yet" in each column, read as 0: `-99999` where the
    /// header says so (楽天's older RMS layout), `-9999` in 楽天ペイ's amounts.
    sentinel: Vec<Option<f64>>,
}

impl Setup {
    /// The settings of a text, or `None` when `text` is the start of a longer text (not
    /// `complete`) that does not hold all they depend on yet: the first line that is not
    /// blank, the first record whole, and the rows the delimiter is guessed from.
    fn new(
        text: &str,
        complete: bool,
        options: &ImportOptions,
    ) -> Result<Option<Setup>, ImportError> {
        if text
            .trim_matches(|c: char| c.is_whitespace() || c == '\u{FEFF}')
            .is_empty()
        {
            if !complete {
                return Ok(None);
            }
            return Err(ImportErrorKind::Empty.into());
        }
        if !complete && options.delimiter.is_none() && !layout::delimiter_sample_is_in(text) {
            return Ok(None);
        }
        let delimiter = options
            .delimiter
            .unwrap_or_else(|| layout::detect_delimiter(text));
        let mut reader = RecordReader::new(text, delimiter);
        let mut first = ByteRecord::new();
        let found = reader.next_record(&mut first);
        // The first record is whole when the text goes on after its end.
        if !complete && (found.is_none() || reader.end() >= text.len()) {
            return Ok(None);
        }
        if found.is_none() {
            return Err(ImportErrorKind::Empty.into());
        }
        if first.len() > MAX_COLUMNS {
            return Err(ImportErrorKind::TooManyColumns {
                found: first.len() as u64,
                max: MAX_COLUMNS as u64,
            }
            .into());
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
        let mut detection = if has_header {
            detect_platform(&headers)
        } else {
            detect_platform::<&str>(&[])
        };
        if let Some(chosen) = options.platform {
            detection.platform = chosen;
            detection.chosen = true;
        }
        let platform = detection.platform;
        let guessed = if has_header {
            roles_for(platform, &headers)
        } else {
            vec![ColumnRole::Ignore; width]
        };
        let sentinel = headers
            .iter()
            .map(|h| {
                if columns::fold_header(h).contains("99999=無効値") {
                    Some(-99999.0)
                } else if platform == Platform::RakutenPay {
                    Some(-9999.0)
                } else {
                    None
                }
            })
            .collect();
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
                    if let Some(j) = roles.iter().position(|&r| r == role && role.is_single()) {
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
        Ok(Some(Setup {
            delimiter,
            has_header,
            headers,
            platform,
            detection,
            roles,
            width,
            sentinel,
        }))
    }

    /// The settings of a text that is all there.
    fn whole(text: &str, options: &ImportOptions) -> Result<Setup, ImportError> {
        Setup::new(text, true, options)?.ok_or_else(|| ImportErrorKind::Empty.into())
    }

    fn header(&self, column: Option<usize>) -> Option<String> {
        column.map(|i| self.headers[i].clone())
    }

    /// The rules the columns call for, as the user will see them.
    fn rules(&self, map: &ColumnMap, options: &ImportOptions) -> Rules {
        let header = |c: Option<usize>| self.header(c);
        let names = |columns: &[usize]| -> Vec<String> {
            columns.iter().map(|&i| self.headers[i].clone()).collect()
        };
        let revenue = if let Some(amount) = map.amount {
            let discounts = names(&map.discounts);
            let basis = if map.discount_sign > 0.0
                || (Some(amount) == map.total && map.discount_sign == 0.0)
            {
                RevenueBasis::BeforePoints
            } else {
                RevenueBasis::AfterPoints
            };
            RevenueRule {
                basis,
                columns: vec![self.headers[amount].clone()],
                plus: if map.discount_sign > 0.0 {
                    discounts.clone()
                } else {
                    Vec::new()
                },
                minus: if map.discount_sign < 0.0 {
                    discounts
                } else {
                    Vec::new()
                },
                summed: false,
                switchable: (map.total.is_some() && map.after_points.is_some())
                    || !map.discounts.is_empty(),
            }
        } else {
            let mut charges = names(&map.shipping);
            charges.extend(names(&map.adjustment));
            RevenueRule {
                basis: RevenueBasis::BeforePoints,
                columns: names(&map.line_amounts),
                plus: charges,
                minus: Vec::new(),
                summed: true,
                switchable: false,
            }
        };
        let keyless = map.customer_id.is_none() && map.email.is_none();
        Rules {
            status_column: header(map.status),
            status_keywords: map.status.is_some()
                && platforms::status_rule_is_keywords(self.platform),
            cancelled_at_column: header(map.cancelled_at),
            revenue,
            name_needs_consent: keyless && map.name.is_some() && !options.name_as_key,
            name_column: header(map.name),
        }
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
    /// The customer's key: the ID column, or the name column when the user agreed to it.
    customer_id: Option<usize>,
    email: Option<usize>,
    /// The column the order total is read from: 注文合計, or the after-points amount when
    /// the user chose it (or when it is the only total).
    amount: Option<usize>,
    /// 注文合計 (before points) and the after-points amount, as the roles give them.
    total: Option<usize>,
    after_points: Option<usize>,
    /// 明細金額 columns, added up per row.
    line_amounts: Vec<usize>,
    /// ポイント・クーポン利用額 columns: added to (`+1`) or taken from (`-1`) `amount` for the
    /// chosen basis, or not used (`0`).
    discounts: Vec<usize>,
    discount_sign: f64,
    quantity: Option<usize>,
    product: Option<usize>,
    /// 送料 and 調整金額 columns (each added up), once per order to summed lines.
    shipping: Vec<usize>,
    adjustment: Vec<usize>,
    status: Option<usize>,
    cancelled_at: Option<usize>,
    line_kind: Option<usize>,
    name: Option<usize>,
}

impl ColumnMap {
    fn new(roles: &[ColumnRole], options: &ImportOptions) -> Self {
        let mut map = ColumnMap::default();
        for (i, role) in roles.iter().enumerate() {
            let slot = match role {
                ColumnRole::OrderId => &mut map.order_id,
                ColumnRole::OrderDate => &mut map.date,
                ColumnRole::OrderTime => &mut map.time,
                ColumnRole::CustomerId => &mut map.customer_id,
                ColumnRole::Email => &mut map.email,
                ColumnRole::Amount => &mut map.total,
                ColumnRole::AmountAfterPoints => &mut map.after_points,
                ColumnRole::LineAmount => {
                    map.line_amounts.push(i);
                    continue;
                }
                ColumnRole::Discount => {
                    map.discounts.push(i);
                    continue;
                }
                ColumnRole::Shipping => {
                    map.shipping.push(i);
                    continue;
                }
                ColumnRole::Adjustment => {
                    map.adjustment.push(i);
                    continue;
                }
                ColumnRole::Quantity => &mut map.quantity,
                ColumnRole::Product => &mut map.product,
                ColumnRole::Status => &mut map.status,
                ColumnRole::CancelledAt => &mut map.cancelled_at,
                ColumnRole::LineKind => &mut map.line_kind,
                ColumnRole::CustomerName => &mut map.name,
                ColumnRole::Ignore => continue,
            };
            slot.get_or_insert(i);
        }
        // Before points: the total, or the after-points amount with the discounts added
        // back; after points: the after-points amount, or the total less the discounts.
        let has_discounts = !map.discounts.is_empty();
        (map.amount, map.discount_sign) = match (options.revenue, map.total, map.after_points) {
            (RevenueBasis::BeforePoints, Some(t), _) => (Some(t), 0.0),
            (RevenueBasis::BeforePoints, None, Some(a)) => {
                (Some(a), if has_discounts { 1.0 } else { 0.0 })
            }
            (RevenueBasis::AfterPoints, _, Some(a)) => (Some(a), 0.0),
            (RevenueBasis::AfterPoints, Some(t), None) => {
                (Some(t), if has_discounts { -1.0 } else { 0.0 })
            }
            (_, None, None) => (None, 0.0),
        };
        if map.customer_id.is_none() && map.email.is_none() && options.name_as_key {
            map.customer_id = map.name;
        }
        map
    }

    fn check(&self, setup: &Setup) -> Result<(), ImportError> {
        if self.date.is_none() {
            return Err(ImportErrorKind::NoDateColumn.into());
        }
        if self.amount.is_none() && self.line_amounts.is_empty() {
            return Err(ImportErrorKind::NoAmountColumn.into());
        }
        if self.customer_id.is_none() && self.email.is_none() {
            if let Some(i) = self.name {
                return Err(ImportErrorKind::NameNeedsConsent {
                    column: setup.headers[i].clone(),
                }
                .into());
            }
            return Err(ImportErrorKind::NoCustomerColumn.into());
        }
        Ok(())
    }

    /// The column an order's amount comes from, for messages.
    fn amount_column(&self) -> Option<usize> {
        self.amount.or(self.line_amounts.first().copied())
    }
}

/// What the year-last dates of a column say about its day/month order.
#[derive(Default, Serialize, Deserialize)]
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
    // A row far wider than the header shows one extra cell, not thousands.
    let shown = record.len().min(setup.width + 1);
    let fields: Vec<String> = (0..shown)
        .map(|i| String::from_utf8_lossy(record.get(i).unwrap_or_default()).into_owned())
        .collect();
    let cells = (0..setup.width.max(shown))
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
        | ColumnRole::AmountAfterPoints
        | ColumnRole::Discount
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
        ColumnRole::CustomerId | ColumnRole::Email | ColumnRole::CustomerName => {
            PreviewCell::Read(canonical_key(text))
        }
        ColumnRole::OrderId
        | ColumnRole::Product
        | ColumnRole::Status
        | ColumnRole::CancelledAt
        | ColumnRole::LineKind
        | ColumnRole::Ignore => PreviewCell::Read(text.to_string()),
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

/// Records a rejected row with its reason.
fn reject_row(
    rejected: &mut Vec<RejectedRow>,
    line: u64,
    column: &str,
    value: &str,
    kind: RowErrorKind,
) {
    // Keep a huge value from bloating the report.
    let value: String = value.chars().take(200).collect();
    rejected.push(RejectedRow {
        line,
        column: column.to_string(),
        value,
        kind,
    });
}

fn trim_text(text: &str) -> &str {
    values::trim_field(text)
}

/// "No value" in the per-row numbers: blank fields.
const BLANK: f64 = f64::NAN;
/// "No id" in the per-row ids.
const NONE: u32 = u32::MAX;

/// One read row, before grouping: 24 bytes, as there may be tens of millions. Its line's
/// high bits and whether it is a guest's are kept in [`Rows`]; its order number, product and
/// status beside it ([`RowExtras`]) when the export has them. Plain data without padding
/// (`repr(C)`): a part's rows are handed to another worker as their bytes in memory.
#[derive(Clone, Copy, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct RowData {
    /// The line number's low 32 bits.
    line: u32,
    /// Raw customer-key id, or [`NONE`].
    customer: u32,
    date: PackedDate,
    /// The order total ([`ColumnRole::Amount`]) when the export has one, else the line's
    /// amount (the sum of its [`ColumnRole::LineAmount`] columns): only one is ever used.
    amount: f64,
}

const _: () = assert!(std::mem::size_of::<RowData>() == 24);

/// The rows read, in the order of their lines.
#[derive(Default, Serialize, Deserialize)]
struct Rows {
    #[serde(skip)]
    data: Vec<RowData>,
    /// The first row of each next 2³² lines, for a file of more lines than that: a row's line
    /// is its high bits (how many of these are at or before it) and its low bits.
    line_high: Vec<usize>,
    /// One bit a row, set when the row's customer is keyed by e-mail because the ID was
    /// blank or a placeholder; as long as the last such row needs.
    #[serde(skip)]
    guests: Vec<u64>,
}

impl Rows {
    fn push(&mut self, line: u64, row: RowData, guest: bool) {
        while (self.line_high.len() as u64) < line >> 32 {
            self.line_high.push(self.data.len());
        }
        if guest {
            self.set_guest(self.data.len());
        }
        self.data.push(row);
    }

    /// Row `r`'s line number.
    #[inline]
    fn line(&self, r: usize) -> u64 {
        self.line_of(r, self.data[r].line)
    }

    /// The line number of row `r`, whose low 32 bits are `low` (for a row no longer in
    /// `data`).
    #[inline]
    fn line_of(&self, r: usize, low: u32) -> u64 {
        let high = self.line_high.partition_point(|&first| first <= r) as u64;
        high << 32 | u64::from(low)
    }

    /// Whether row `r`'s customer is keyed by e-mail because the ID was blank or a
    /// placeholder.
    #[inline]
    fn guest(&self, r: usize) -> bool {
        self.guests
            .get(r / 64)
            .is_some_and(|bits| bits >> (r % 64) & 1 == 1)
    }

    fn set_guest(&mut self, r: usize) {
        if r / 64 >= self.guests.len() {
            self.guests.resize(r / 64 + 1, 0);
        }
        self.guests[r / 64] |= 1 << (r % 64);
    }
}

/// A row's date cell (or none) in 8 bytes instead of 20: there is one per row, and a
/// million rows or more. Day numbers of real dates are far from `i32::MIN`, which leaves
/// room for the markers.
#[derive(Clone, Copy, Serialize, Deserialize, bytemuck::Pod, bytemuck::Zeroable)]
#[repr(C)]
struct PackedDate {
    /// The day, or the month-first reading ([`NOT_A_DAY`] when none).
    first: i32,
    /// [`NO_DATE`], [`PLAIN_DAY`], or the day-first reading ([`NOT_A_DAY`] when none).
    second: i32,
}

const NO_DATE: i32 = i32::MIN;
const PLAIN_DAY: i32 = i32::MIN + 1;
const NOT_A_DAY: i32 = i32::MIN + 2;

impl PackedDate {
    fn pack(cell: Option<DateCell>) -> Self {
        let day = |d: Option<Day>| d.unwrap_or(NOT_A_DAY);
        let (first, second) = match cell {
            None => (NO_DATE, NO_DATE),
            Some(DateCell::Day(d)) => (d, PLAIN_DAY),
            Some(DateCell::YearLast {
                as_month_first,
                as_day_first,
            }) => (day(as_month_first), day(as_day_first)),
        };
        PackedDate { first, second }
    }

    fn unpack(self) -> Option<DateCell> {
        let day = |d: i32| (d != NOT_A_DAY).then_some(d);
        match self.second {
            NO_DATE => None,
            PLAIN_DAY => Some(DateCell::Day(self.first)),
            second => Some(DateCell::YearLast {
                as_month_first: day(self.first),
                as_day_first: day(second),
            }),
        }
    }
}

/// A row's amounts as read, each [`BLANK`] when blank.
struct RowAmounts {
    /// The order total, with the discounts added or taken for the chosen basis.
    total: f64,
    /// The sum of the line-amount columns.
    line: f64,
    shipping: f64,
    adjustment: f64,
}

/// An ID carried by this many different e-mail addresses is a shared placeholder, not a
/// person (a shop's staff account, a "guest" member).
const SHARED_ID_EMAILS: usize = 3;

/// Customer IDs that mean "no member" rather than a person: 会員ID `0` of EC-CUBE 2's
/// guest orders, and the like. Compared after [`canonical_key`] and lower-casing.
const PLACEHOLDER_IDS: [&str; 11] = [
    "0",
    "-",
    "ー",
    "―",
    "guest",
    "ゲスト",
    "非会員",
    "none",
    "null",
    "n/a",
    "なし",
];

fn is_placeholder_id(id: &str) -> bool {
    // ASCII without an `@` folds to itself trimmed: the fold is skipped for it, row after row.
    let folded;
    let key = if id.is_ascii() && !id.contains('@') {
        id.trim()
    } else {
        folded = canonical_key_cow(id);
        folded.trim()
    };
    PLACEHOLDER_IDS.iter().any(|p| key.eq_ignore_ascii_case(p)) || key.bytes().all(|b| b == b'0')
}

/// A status value that leaves its order out.
#[derive(Serialize, Deserialize)]
struct StatusValue {
    column: usize,
    value: String,
    kind: Exclusion,
}

/// The rarer per-row numbers, kept beside [`RowData`] only when the export has their
/// columns, so that a plain three-column file does not pay for them row by row.
#[derive(Default)]
struct RowExtras {
    /// `(shipping, adjustment)` of each read row, when either column exists.
    charges: Vec<[f64; 2]>,
    /// The quantity of each read row, when the export has a product column.
    quantities: Vec<f64>,
    /// The raw e-mail key of each read row ([`NONE`] when blank), when the export has both
    /// an ID and an e-mail column: for telling shared IDs.
    emails: Vec<u32>,
    /// The order-number id of each read row ([`NONE`]: the row is an order of its own),
    /// when the export has an order-number column.
    orders: Vec<u32>,
    /// The product id of each read row ([`NONE`] for none, and for fee lines), when the
    /// export has a product column.
    products: Vec<u32>,
    /// The excluding status value of each read row (an index into `Reading::statuses`), or
    /// [`NONE`], when the export has a status or cancellation column.
    statuses: Vec<u32>,
}

impl RowExtras {
    /// Row `r`'s order-number id, product id and excluding status, each [`NONE`] when the
    /// export has no such column.
    #[inline]
    fn order(&self, r: usize) -> u32 {
        self.orders.get(r).copied().unwrap_or(NONE)
    }

    #[inline]
    fn product(&self, r: usize) -> u32 {
        self.products.get(r).copied().unwrap_or(NONE)
    }

    #[inline]
    fn status(&self, r: usize) -> u32 {
        self.statuses.get(r).copied().unwrap_or(NONE)
    }
}

/// How far [`Reading::read_chunk`] read.
enum Chunk {
    /// A step's worth, to the record starting at `offset`: there is more.
    Read { offset: usize },
    /// To the end of the text. `previous_end`: where the last record read ends.
    End { previous_end: usize },
    /// To the next part's start: the record after it is left to that part.
    AtMark { previous_end: usize },
}

/// Pass 1's state.
#[derive(Default)]
struct Reading {
    rows: Rows,
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
    /// The distinct status values that leave an order out.
    statuses: Vec<StatusValue>,
    /// The last status value that did not (most rows repeat it).
    last_kept_status: String,
    /// Placeholder IDs found, as written (a few).
    placeholders: Vec<String>,
}

/// The customer keys of the rows read, in the order they were interned: a row's e-mail (when
/// the export has both columns) before its customer, then `before`.
struct RowKeys<'a> {
    data: &'a mut [RowData],
    emails: &'a mut [u32],
    before: &'a mut [u32],
}

impl identity::KeySeq for RowKeys<'_> {
    #[inline]
    fn each(&mut self, mut visit: impl FnMut(&mut u32)) {
        if self.emails.is_empty() {
            self.data
                .iter_mut()
                .for_each(|row| visit(&mut row.customer));
        } else {
            for (row, email) in self.data.iter_mut().zip(self.emails.iter_mut()) {
                visit(email);
                visit(&mut row.customer);
            }
        }
        self.before.iter_mut().for_each(visit);
    }
}

/// The most customer keys room is made for before reading: two tables of 32-byte slots.
const KEYS_RESERVED: usize = 1 << 18;

/// How many placeholder spellings the report keeps.
const PLACEHOLDERS_KEPT: usize = 5;

impl Reading {
    /// Sized for about `lines` rows, so that the maps do not grow row by row.
    fn with_capacity(lines: usize, map: &ColumnMap) -> Self {
        let mut reading = Reading {
            last_order: NONE,
            ..Reading::default()
        };
        reading.rows.data.reserve(lines);
        let extras = &mut reading.extras;
        if map.order_id.is_some() {
            reading.order_ids.reserve(lines);
            extras.orders.reserve(lines);
        }
        if map.product.is_some() {
            extras.products.reserve(lines);
            extras.quantities.reserve(lines);
        }
        if map.status.is_some() || map.cancelled_at.is_some() {
            extras.statuses.reserve(lines);
        }
        if !map.shipping.is_empty() || !map.adjustment.is_empty() {
            extras.charges.reserve(lines);
        }
        if map.customer_id.is_some() && map.email.is_some() {
            extras.emails.reserve(lines);
        }
        // Customers usually order more than once: a quarter of the lines is a fair guess,
        // up to a quarter of a million (a big file is more orders of as many customers more
        // often than more customers); the tables grow past it when needed.
        reading.keys.reserve((lines / 4).min(KEYS_RESERVED) + 1024);
        // Settled when the reading ends ([`Reading::settle_keys`]).
        if defer_keys() {
            reading.keys.defer_numbered();
        }
        reading
    }

    /// Reads rows until about [`PROGRESS_STEP`] bytes further on, to the end of the text,
    /// or, in a part of a file read in parallel (`parted`), to the first record that starts
    /// at the next part's start or later (which is left unread).
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
        parted: bool,
    ) -> Chunk {
        let mut until = None;
        // The record being read, while `record` is lent to the reader.
        let mut spare = ByteRecord::new();
        // Where a row's fields are in its text.
        let mut bounds = Vec::new();
        loop {
            // Where the last record read ends: only a part asks.
            let previous_end = if parted { reader.end() } else { 0 };
            let Some((line, offset, plain)) = reader.next_row(record, &mut bounds) else {
                return Chunk::End { previous_end };
            };
            if parted && reader.is_past_mark(offset) {
                return Chunk::AtMark { previous_end };
            }
            let until = *until.get_or_insert(offset + PROGRESS_STEP);
            if let Some(place) = plain {
                // A plain line, read where the reader holds it.
                self.read_row(
                    &Row::new(reader.line_text(place), &bounds),
                    line,
                    setup,
                    map,
                );
            } else if reader.take_runaway() {
                self.rows_read += 1;
                self.reject(line, "", "", RowErrorKind::UnclosedQuote);
            } else {
                // The row's text is checked once, whole: it comes from decoded text, so it
                // always is UTF-8 (were it not, a byte that is not would read as U+FFFD).
                std::mem::swap(record, &mut spare);
                let text = StringRecord::from_byte_record(spare).unwrap_or_else(|error| {
                    StringRecord::from_byte_record_lossy(error.into_byte_record())
                });
                self.read_row(&Row::of(&text, &mut bounds), line, setup, map);
                spare = text.into_byte_record();
                std::mem::swap(record, &mut spare);
            }
            if offset >= until {
                return Chunk::Read { offset };
            }
        }
    }

    fn reject(&mut self, line: u64, column: &str, value: &str, kind: RowErrorKind) {
        reject_row(&mut self.rejected, line, column, value, kind);
    }

    /// The amount in column `i`: [`BLANK`] when blank, 0 for the column's "not fixed yet"
    /// value (`-99999` under a header that says so); `None` after rejecting the row.
    fn amount_at(&mut self, record: &Row<'_>, i: usize, line: u64, setup: &Setup) -> Option<f64> {
        let text = field(record, i);
        if text.is_empty() {
            return Some(BLANK);
        }
        match parse_amount(text) {
            Some(v) if setup.sentinel.get(i).copied().flatten() == Some(v) => Some(0.0),
            Some(v) => Some(v),
            None => {
                self.reject(line, &setup.headers[i], text, RowErrorKind::BadAmount);
                None
            }
        }
    }

    /// The excluding status of a row, or [`NONE`].
    fn status_of(&mut self, record: &Row<'_>, setup: &Setup, map: &ColumnMap) -> u32 {
        if let Some(i) = map.cancelled_at {
            let text = field(record, i);
            if !text.is_empty() {
                return self.status_value(i, "", Exclusion::Cancelled);
            }
        }
        let Some(i) = map.status else { return NONE };
        let text = field(record, i);
        if text.is_empty() || text == self.last_kept_status {
            return NONE;
        }
        match status_exclusion(setup.platform, text) {
            Some(kind) => self.status_value(i, text, kind),
            None => {
                self.last_kept_status.clear();
                self.last_kept_status.push_str(text);
                NONE
            }
        }
    }

    fn status_value(&mut self, column: usize, value: &str, kind: Exclusion) -> u32 {
        let found = self
            .statuses
            .iter()
            .position(|s| s.column == column && s.value == value);
        let index = found.unwrap_or_else(|| {
            self.statuses.push(StatusValue {
                column,
                value: value.to_string(),
                kind,
            });
            self.statuses.len() - 1
        });
        index as u32
    }

    /// The raw key of the row's customer, whether it is a guest's (keyed by e-mail because
    /// the ID was blank or a placeholder), and the raw key of its e-mail.
    fn customer_of(&mut self, record: &Row<'_>, map: &ColumnMap) -> (u32, bool, u32) {
        // Keys are interned as written, spaces included, so that the report shows the
        // spellings that were merged.
        let id_text = map.customer_id.map_or("", |i| raw_field(record, i));
        let email_text = map.email.map_or("", |i| raw_field(record, i));
        let mut email = if trim_text(email_text).is_empty() {
            NONE
        } else {
            self.key(email_text, &mut [])
        };
        let id = if trim_text(id_text).is_empty() {
            NONE
        } else if is_placeholder_id(id_text) {
            let written = trim_text(id_text);
            if self.placeholders.len() < PLACEHOLDERS_KEPT
                && !self.placeholders.iter().any(|p| p == written)
            {
                self.placeholders.push(written.to_string());
            }
            NONE
        } else {
            // The row's e-mail, interned first, is settled before it if need be.
            let mut before = [email];
            let id = self.key(id_text, &mut before);
            email = before[0];
            id
        };
        if id != NONE {
            (id, false, email)
        } else {
            (email, map.customer_id.is_some() && email != NONE, email)
        }
    }

    /// The raw key of `text` ([`NONE`] when blank after normalisation), or a numbered key's
    /// stand-in while they are deferred ([`KeyInterner::defer_numbered`]). `before`: keys of
    /// the row being read, interned before this one and not stored yet, settled after the
    /// rows' if the stand-ins must be settled now.
    #[inline]
    fn key(&mut self, text: &str, before: &mut [u32]) -> u32 {
        match self.keys.intern_or_defer(text) {
            Ok(id) => id.unwrap_or(NONE),
            Err(_) => {
                self.settle_keys(before);
                self.keys.intern(text).unwrap_or(NONE)
            }
        }
    }

    /// Gives the stand-ins of numbered keys in the rows read (and then in `before`) their
    /// raw keys, in the order they were read: the rows' e-mails and customers are then what
    /// interning each at once would have made them. Keys are interned at once from then on.
    fn settle_keys(&mut self, before: &mut [u32]) {
        let mut keys = RowKeys {
            data: &mut self.rows.data,
            emails: &mut self.extras.emails,
            before,
        };
        self.keys.settle(&mut keys);
    }

    /// Reads one row: its shape, its date, its amounts and quantity, then its keys; a row
    /// that fails any of these is rejected with the reason and read no further.
    fn read_row(&mut self, record: &Row<'_>, line: u64, setup: &Setup, map: &ColumnMap) {
        self.rows_read += 1;
        if !self.has_shape(record, line, setup) {
            return;
        }
        // The date cell (`None`: blank, allowed on an order's later lines), read into the
        // date evidence. Written out here: as a method it cost the loop about ten
        // instructions a row.
        let date = match map.date {
            Some(i) if !field(record, i).is_empty() => {
                let text = field(record, i);
                match parse_date(text) {
                    Some(cell) => {
                        self.evidence.add(cell, text);
                        Some(cell)
                    }
                    None => {
                        self.reject(line, &setup.headers[i], text, RowErrorKind::BadDate);
                        return;
                    }
                }
            }
            _ => None,
        };
        let Some(amounts) = self.amounts_of(record, line, setup, map) else {
            return;
        };
        let Some(quantity) = self.quantity_of(record, line, setup, map) else {
            return;
        };
        let (customer, guest, email) = self.customer_of(record, map);
        let status = self.status_of(record, setup, map);
        let order = self.order_of(record, map);
        let product = self.product_of(record, setup, map);
        self.rows_without_order += usize::from(order == NONE);
        let row = RowData {
            // The high bits are kept by `Rows`.
            line: line as u32,
            customer,
            date: PackedDate::pack(date),
            amount: if map.amount.is_some() {
                amounts.total
            } else {
                amounts.line
            },
        };
        self.rows.push(line, row, guest);
        if !map.shipping.is_empty() || !map.adjustment.is_empty() {
            self.extras
                .charges
                .push([amounts.shipping, amounts.adjustment]);
        }
        if map.product.is_some() {
            self.extras.quantities.push(quantity);
        }
        if map.customer_id.is_some() && map.email.is_some() {
            self.extras.emails.push(email);
        }
        if map.order_id.is_some() {
            self.extras.orders.push(order);
        }
        if map.product.is_some() {
            self.extras.products.push(product);
        }
        if map.status.is_some() || map.cancelled_at.is_some() {
            self.extras.statuses.push(status);
        }
    }

    /// Whether the row has the header's width (stray empty fields at the end are harmless)
    /// and anything in it; rejects it otherwise.
    #[inline]
    fn has_shape(&mut self, record: &Row<'_>, line: u64, setup: &Setup) -> bool {
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
                return false;
            }
        }
        if (0..found).all(|i| field(record, i).is_empty()) {
            self.reject(line, "", "", RowErrorKind::EmptyRow);
            return false;
        }
        true
    }

    /// The row's amounts, each [`BLANK`] when blank; `None` after rejecting the row.
    #[inline]
    fn amounts_of(
        &mut self,
        record: &Row<'_>,
        line: u64,
        setup: &Setup,
        map: &ColumnMap,
    ) -> Option<RowAmounts> {
        let mut total = BLANK;
        if let Some(i) = map.amount {
            total = self.amount_at(record, i, line, setup)?;
            if map.discount_sign != 0.0 && !total.is_nan() {
                for &d in &map.discounts {
                    let v = self.amount_at(record, d, line, setup)?;
                    total += map.discount_sign * zero_if_blank(v);
                }
            }
        }
        let line_amount = self.sum_at(record, &map.line_amounts, line, setup)?;
        let shipping = self.sum_at(record, &map.shipping, line, setup)?;
        let adjustment = self.sum_at(record, &map.adjustment, line, setup)?;
        Some(RowAmounts {
            total,
            line: line_amount,
            shipping,
            adjustment,
        })
    }

    /// The sum of the amounts in `columns` ([`BLANK`] when all are blank); `None` after
    /// rejecting the row.
    #[inline]
    fn sum_at(
        &mut self,
        record: &Row<'_>,
        columns: &[usize],
        line: u64,
        setup: &Setup,
    ) -> Option<f64> {
        let mut sum = BLANK;
        for &i in columns {
            let v = self.amount_at(record, i, line, setup)?;
            if !v.is_nan() {
                sum = zero_if_blank(sum) + v;
            }
        }
        Some(sum)
    }

    /// The row's quantity (1 when there is none); `None` after rejecting the row.
    #[inline]
    fn quantity_of(
        &mut self,
        record: &Row<'_>,
        line: u64,
        setup: &Setup,
        map: &ColumnMap,
    ) -> Option<f64> {
        match map.quantity.map(|i| (i, field(record, i))) {
            Some((i, text)) if !text.is_empty() => match parse_amount(text) {
                Some(q) => Some(q),
                None => {
                    self.reject(line, &setup.headers[i], text, RowErrorKind::BadQuantity);
                    None
                }
            },
            _ => Some(1.0),
        }
    }

    /// The id of the row's order number, or [`NONE`] (the row is an order of its own).
    #[inline]
    fn order_of(&mut self, record: &Row<'_>, map: &ColumnMap) -> u32 {
        match map.order_id.map(|i| field(record, i)) {
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
        }
    }

    /// The id of the row's product, or [`NONE`] (none, or a fee or option line).
    #[inline]
    fn product_of(&mut self, record: &Row<'_>, setup: &Setup, map: &ColumnMap) -> u32 {
        let fee = map.line_kind.is_some_and(|i| is_fee_line(field(record, i)));
        match map.product.map(|i| field(record, i)) {
            Some(text)
                if !text.is_empty() && !fee && !platforms::is_option_line(setup.platform, text) =>
            {
                self.products.intern(text)
            }
            _ => NONE,
        }
    }

    /// Re-keys by e-mail the rows whose ID is carried by [`SHARED_ID_EMAILS`] or more
    /// different e-mail addresses: such an ID is not one person. Returns how many IDs.
    fn unshare_ids(&mut self) -> u64 {
        let emails = std::mem::take(&mut self.extras.emails);
        if emails.is_empty() {
            return 0;
        }
        let (keys, rows) = (&self.keys, &self.rows);
        let mut pairs: Vec<(u32, u32)> = rows
            .data
            .iter()
            .zip(&emails)
            .enumerate()
            .filter(|&(r, (row, &email))| row.customer != NONE && !rows.guest(r) && email != NONE)
            .map(|(_, (row, &email))| (keys.canonical_of(row.customer), keys.canonical_of(email)))
            .collect();
        pairs.sort_unstable();
        pairs.dedup();
        let mut shared = vec![false; keys.canonical_count()];
        let mut count = 0u64;
        for run in pairs.chunk_by(|a, b| a.0 == b.0) {
            if run.len() >= SHARED_ID_EMAILS {
                shared[run[0].0 as usize] = true;
                count += 1;
            }
        }
        if count > 0 {
            let (keys, rows) = (&self.keys, &mut self.rows);
            for (r, &email) in emails.iter().enumerate() {
                let customer = rows.data[r].customer;
                if customer != NONE
                    && !rows.guest(r)
                    && shared[keys.canonical_of(customer) as usize]
                {
                    rows.data[r].customer = email;
                    rows.set_guest(r);
                }
            }
        }
        count
    }
}

/// One order being assembled from its lines: 24 bytes, as there may be millions. Its
/// shipping and adjustment, when the export has them, are kept beside it.
struct OrderAcc {
    /// The order's day, or [`NO_DAY`].
    day: Day,
    /// Raw customer-key id of the first line that has one.
    customer: u32,
    /// Lines that carried a (matching) total, counted up to 2: only "more than one" is
    /// ever asked.
    total_lines: u8,
    /// Some line of the order is used.
    used: bool,
    /// The first excluding status among its lines, or [`NONE`].
    status: u32,
    /// The customer is keyed by e-mail because the ID was blank or a placeholder.
    guest: bool,
    /// The order total (blank until a line gives it) when the export has one, else the sum
    /// of the line amounts.
    amount: f64,
}

/// No day yet.
const NO_DAY: Day = Day::MIN;

// There is one per order, and millions of orders: the size is kept.
const _: () = assert!(std::mem::size_of::<OrderAcc>() == 24);

impl OrderAcc {
    fn new(use_total: bool) -> Self {
        OrderAcc {
            day: NO_DAY,
            customer: NONE,
            total_lines: 0,
            used: false,
            status: NONE,
            guest: false,
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
    rows_excluded: u64,
    excluded: Vec<ExcludedGroup>,
    excluded_included: bool,
    guest_orders: u64,
    placeholder_ids: Vec<String>,
    shared_ids: u64,
    rejected: Vec<RejectedRow>,
    raw_keys: u64,
    merged_customers: u64,
    merge_examples: Vec<MergeExample>,
    has_year_last: bool,
}

impl PartialReport {
    fn into_report(self, encoding: TextEncoding, setup: &Setup, rules: Rules) -> ImportReport {
        ImportReport {
            encoding,
            delimiter: setup.delimiter,
            has_header: setup.has_header,
            platform: setup.platform,
            detection: setup.detection.clone(),
            revenue_rule: rules.revenue,
            status_column: rules.status_column,
            status_keywords: rules.status_keywords,
            cancelled_at_column: rules.cancelled_at_column,
            rows_excluded: self.rows_excluded,
            excluded: self.excluded,
            excluded_included: self.excluded_included,
            guest_orders: self.guest_orders,
            placeholder_ids: self.placeholder_ids,
            shared_ids: self.shared_ids,
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
            first_undecodable_line: None,
            rejected: self.rejected,
        }
    }
}

/// Pass 2: the rows read become the order table, in named steps: group the rows into orders,
/// tell the orders left out or incomplete and take their rows off, number the kept orders
/// and customers, add the product lines and count the spellings merged, and name the rule.
/// An export without an order number takes the shorter way of
/// [`Building::rows_as_orders`], to the same result.
fn build(
    mut reading: Reading,
    setup: &Setup,
    map: &ColumnMap,
    date_order: Option<DateOrder>,
    options: &ImportOptions,
) -> Built {
    let building = Building {
        setup,
        map,
        options,
        use_total: map.amount.is_some(),
    };
    let shared_ids = reading.unshare_ids();
    let outcome = if map.order_id.is_none() && !always_group() {
        building.rows_as_orders(&mut reading, date_order)
    } else {
        building.group(&mut reading, date_order)
    };
    building.finish(reading, shared_ids, outcome)
}

/// Whether an export without an order number is grouped as the others are, for the tests
/// that compare the two ways.
#[cfg(test)]
fn always_group() -> bool {
    ALWAYS_GROUP.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn always_group() -> bool {
    false
}

/// Whether numbered keys are deferred while reading: the tests compare with interning each
/// at once.
#[cfg(test)]
fn defer_keys() -> bool {
    !NEVER_DEFER.with(std::cell::Cell::get)
}

#[cfg(not(test))]
fn defer_keys() -> bool {
    true
}

#[cfg(test)]
thread_local! {
    static NEVER_DEFER: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

#[cfg(test)]
thread_local! {
    static ALWAYS_GROUP: std::cell::Cell<bool> = const { std::cell::Cell::new(false) };
}

/// What pass 2 ends with, either way, before the report is put together.
struct Outcome {
    table: OrderTable,
    rows_used: u64,
    rows_excluded: u64,
    excluded: Vec<ExcludedGroup>,
    guest_orders: u64,
    /// How many raw spellings each customer's key had.
    spelling_count: Vec<u32>,
    merge_examples: Vec<MergeExample>,
    /// Some order repeats its total on several lines.
    repeated_totals: bool,
    /// Some date was written with the year last.
    has_year_last: bool,
}

/// What pass 2 works with: the file's settings and columns, and the user's options.
struct Building<'a> {
    setup: &'a Setup,
    map: &'a ColumnMap,
    options: &'a ImportOptions,
    /// The export has an order total (else an order is the sum of its lines).
    use_total: bool,
}

/// The rows grouped into orders.
struct Grouped {
    /// The orders, in the order their first line appears.
    accs: Vec<OrderAcc>,
    /// (shipping, adjustment) of each order, beside `accs`, when the export has them and
    /// orders are summed from their lines.
    charges: Vec<(f64, f64)>,
    /// The order of each row, or [`NONE`] for a row rejected or taken off its order.
    row_slot: Vec<u32>,
    /// Some date was written with the year last.
    has_year_last: bool,
}

impl Grouped {
    fn charges_of(&self, slot: usize) -> (f64, f64) {
        self.charges.get(slot).copied().unwrap_or((BLANK, BLANK))
    }

    /// An order's amount: its total, or its lines with its shipping and adjustment.
    fn amount_of(&self, slot: usize, use_total: bool) -> f64 {
        let acc = &self.accs[slot];
        if use_total {
            acc.amount
        } else {
            let (shipping, adjustment) = self.charges_of(slot);
            acc.amount + zero_if_blank(shipping) + zero_if_blank(adjustment)
        }
    }
}

/// The kept orders as the table, with the maps from the rows' numbering to the table's.
struct Kept {
    table: OrderTable,
    /// The table's index of each order slot ([`NONE`]: not kept).
    order_index: Vec<u32>,
    /// The table's customer of each canonical key that has a kept order.
    customers: FirstUse,
    /// Some order repeats its total on several lines.
    repeated_totals: bool,
    guest_orders: u64,
    /// How many raw spellings each kept customer's key had (filled by `add_lines`).
    spelling_count: Vec<u32>,
}

impl Building<'_> {
    /// Pass 2 by grouping the rows into orders ([`build`]'s steps).
    fn group(&self, reading: &mut Reading, date_order: Option<DateOrder>) -> Outcome {
        let rows = std::mem::take(&mut reading.rows);
        let extras = std::mem::take(&mut reading.extras);
        // The order numbers' texts were needed only to tell them apart while reading; their
        // table (sized for a number a line) goes before the rows are grouped.
        let order_numbers = std::mem::take(&mut reading.order_ids).len();
        let mut grouped = self.group_orders(reading, &rows, &extras, order_numbers, date_order);
        let mut excluded = self.excluded_groups(reading, &grouped);
        let missing: Vec<Missing> = grouped.accs.iter().map(|acc| self.missing(acc)).collect();
        let rows_excluded = self.drop_rows(reading, &rows, &mut grouped, &missing, &mut excluded);
        // From here on a row is only its raw customer key: the rest of it (24 bytes a row)
        // goes before the table is built, and the import's peak memory is lower by as much.
        let row_customers: Vec<u32> = rows.data.iter().map(|row| row.customer).collect();
        drop(rows);
        let mut kept = self.table(reading, &grouped, &missing);
        let Grouped {
            row_slot,
            has_year_last,
            ..
        } = grouped;
        let rows_used = kept.add_lines(reading, &row_customers, &extras, &row_slot);
        // Each raw key at its first kept row, with its customer.
        let mut raw_seen = vec![false; reading.keys.raw_count()];
        let first_uses = row_customers.iter().enumerate().filter_map(|(r, &raw)| {
            let slot = row_slot[r];
            if slot == NONE || raw == NONE || raw_seen[raw as usize] {
                return None;
            }
            let customer = kept.customer_of_row(reading, raw, slot)?;
            raw_seen[raw as usize] = true;
            Some((raw, customer))
        });
        let merge_examples = merge_examples(
            reading,
            &kept.table.customer_keys,
            &kept.spelling_count,
            first_uses,
        );
        Outcome {
            rows_used,
            rows_excluded,
            excluded,
            guest_orders: kept.guest_orders,
            merge_examples,
            repeated_totals: kept.repeated_totals,
            has_year_last,
            spelling_count: kept.spelling_count,
            table: kept.table,
        }
    }

    /// Pass 2 for an export without an order number, where each row is an order of its own.
    /// The rows become the table's orders in the memory they were read into, one by one:
    /// no order being assembled, no map from rows to orders and no second copy, so that a
    /// file of tens of millions of short rows never holds its rows and its orders at once.
    /// Each row meets the checks grouping would put its one-row order through, in the same
    /// order, and the table, the counts and the messages are the same.
    fn rows_as_orders(&self, reading: &mut Reading, date_order: Option<DateOrder>) -> Outcome {
        let use_total = self.use_total;
        let earliest = crate::orders::day_from_ymd(EARLIEST_ORDER_YEAR, 1, 1).unwrap_or(Day::MIN);
        let extras = std::mem::take(&mut reading.extras);
        let has_charges = !use_total && !extras.charges.is_empty();
        let data = std::mem::take(&mut reading.rows.data);
        let rows = &reading.rows;
        let rejected = &mut reading.rejected;
        let mut excluded = self.excluded_list(&reading.statuses);
        let columns = self.missing_columns();
        let (mut has_year_last, mut rows_excluded, mut guest_orders) = (false, 0u64, 0u64);
        let mut table = OrderTable::default();
        let mut lines = ProductLines::new(&reading.products);
        let mut kept = 0u32;
        // `RowData` and `Order` have one alignment and the order is the smaller, so the
        // standard library collects into the rows' own buffer (its optimisation, not its
        // promise: without it the result is the same, in more memory).
        let mut orders: Vec<Order> = data
            .into_iter()
            .enumerate()
            .filter_map(|(r, row)| {
                let line = rows.line_of(r, row.line);
                let day = match row.date.unpack() {
                    None => NO_DAY,
                    Some(cell) => {
                        has_year_last |= matches!(cell, DateCell::YearLast { .. });
                        self.day_of(rejected, line, cell, date_order, earliest)?
                    }
                };
                if !use_total && row.amount.is_nan() {
                    reject_row(
                        rejected,
                        line,
                        &columns.amount,
                        "",
                        RowErrorKind::MissingAmount,
                    );
                    return None;
                }
                let row_amount = row.amount;
                let [shipping, adjustment] = if has_charges {
                    extras.charges[r]
                } else {
                    [BLANK, BLANK]
                };
                let amount = if use_total {
                    row_amount
                } else {
                    row_amount + zero_if_blank(shipping) + zero_if_blank(adjustment)
                };
                let status = extras.status(r);
                if status != NONE {
                    let group = &mut excluded[status as usize];
                    group.orders += 1;
                    group.amount += if use_total {
                        zero_if_blank(row_amount)
                    } else {
                        amount
                    };
                }
                match self.missing_of(status, day, row.customer, amount) {
                    Missing::Nothing => {}
                    Missing::Excluded => {
                        excluded[status as usize].rows += 1;
                        rows_excluded += 1;
                        return None;
                    }
                    missing => {
                        if let Some((kind, column)) = missing.rejection(&columns) {
                            reject_row(rejected, line, column, "", kind);
                        }
                        return None;
                    }
                }
                guest_orders += u64::from(rows.guest(r));
                lines.add(&mut table, &extras, r, kept);
                kept += 1;
                // The raw key until the customers are numbered below.
                Some(Order {
                    customer: row.customer,
                    day,
                    amount,
                })
            })
            .collect();
        // The buffer is the rows' size until it is shrunk in place: the rest is free again.
        orders.shrink_to_fit();

        // Customers numbered by first use, and each raw key's spellings counted at its first
        // row.
        let keys = &reading.keys;
        let canonical_is_raw = keys.canonical_is_raw();
        let mut customers = FirstUse::new(keys.canonical_count());
        let mut raws = FirstUse::new(keys.raw_count());
        let mut spelling_count = Vec::new();
        let mut first_uses = Vec::new();
        for order in &mut orders {
            let raw = order.customer;
            let canonical = if canonical_is_raw {
                raw
            } else {
                keys.canonical_of(raw)
            };
            let (customer, new_customer) = customers.number(canonical);
            if new_customer {
                table.customer_keys.push(keys.canonical_text(canonical));
                spelling_count.push(0);
            }
            if raws.number(raw).1 {
                spelling_count[customer as usize] += 1;
                first_uses.push((raw, customer));
            }
            order.customer = customer;
        }
        table.orders = orders;
        let merge_examples = merge_examples(
            reading,
            &table.customer_keys,
            &spelling_count,
            first_uses.into_iter(),
        );
        Outcome {
            rows_used: u64::from(kept),
            rows_excluded,
            excluded,
            guest_orders,
            spelling_count,
            merge_examples,
            repeated_totals: false,
            has_year_last,
            table,
        }
    }

    /// The report of pass 2, from either way's outcome.
    fn finish(&self, mut reading: Reading, shared_ids: u64, outcome: Outcome) -> Built {
        let raw_keys = outcome.spelling_count.iter().map(|&n| u64::from(n)).sum();
        let merged_customers = outcome.spelling_count.iter().filter(|&&n| n > 1).count() as u64;
        let rule = self.order_rule(outcome.repeated_totals);
        let mut rejected = std::mem::take(&mut reading.rejected);
        rejected.sort_by_key(|r| r.line);
        Built {
            table: outcome.table,
            report: PartialReport {
                rule,
                rows_read: reading.rows_read,
                rows_used: outcome.rows_used,
                rows_excluded: outcome.rows_excluded,
                excluded: outcome.excluded,
                excluded_included: self.options.include_excluded,
                guest_orders: outcome.guest_orders,
                placeholder_ids: std::mem::take(&mut reading.placeholders),
                shared_ids,
                rejected,
                raw_keys,
                merged_customers,
                merge_examples: outcome.merge_examples,
                has_year_last: outcome.has_year_last,
            },
        }
    }

    /// The name of a column, for messages (empty for none).
    fn name(&self, column: Option<usize>) -> String {
        column
            .map(|i| self.setup.headers[i].clone())
            .unwrap_or_default()
    }

    /// Groups the rows into orders: an order's day, customer and status are those of its
    /// first line that has one; its amount is the total its lines repeat, or the sum of its
    /// lines. Rejects dates out of range or unreadable in the chosen order, totals that
    /// disagree within an order, and lines without an amount.
    fn group_orders(
        &self,
        reading: &mut Reading,
        rows: &Rows,
        extras: &RowExtras,
        order_numbers: usize,
        date_order: Option<DateOrder>,
    ) -> Grouped {
        let map = self.map;
        let use_total = self.use_total;
        let earliest = crate::orders::day_from_ymd(EARLIEST_ORDER_YEAR, 1, 1).unwrap_or(Day::MIN);
        let has_charges = !use_total && !extras.charges.is_empty();
        let mut grouped = Grouped {
            accs: Vec::with_capacity(order_numbers + reading.rows_without_order),
            charges: Vec::new(),
            row_slot: vec![NONE; rows.data.len()],
            has_year_last: false,
        };
        let mut slot_of_order = vec![NONE; order_numbers];
        for (r, row) in rows.data.iter().enumerate() {
            let day = match row.date.unpack() {
                None => None,
                Some(cell) => {
                    grouped.has_year_last |= matches!(cell, DateCell::YearLast { .. });
                    match self.day_of(
                        &mut reading.rejected,
                        rows.line(r),
                        cell,
                        date_order,
                        earliest,
                    ) {
                        Some(day) => Some(day),
                        None => continue,
                    }
                }
            };
            let accs = &mut grouped.accs;
            let charges = &mut grouped.charges;
            let mut new_order = || {
                accs.push(OrderAcc::new(use_total));
                if has_charges {
                    charges.push((BLANK, BLANK));
                }
                accs.len() - 1
            };
            let order = extras.order(r);
            let slot = if order == NONE {
                new_order()
            } else {
                let s = &mut slot_of_order[order as usize];
                if *s == NONE {
                    *s = new_order() as u32;
                }
                *s as usize
            };
            let acc = &mut grouped.accs[slot];
            if use_total {
                if !row.amount.is_nan() {
                    if acc.amount.is_nan() {
                        acc.amount = row.amount;
                    } else if (acc.amount - row.amount).abs() > SAME_TOTAL_TOLERANCE {
                        let first = acc.amount;
                        reading.reject(
                            rows.line(r),
                            &self.name(map.amount),
                            &format_plain(row.amount),
                            RowErrorKind::ConflictingTotal { first },
                        );
                        continue;
                    }
                    acc.total_lines = (acc.total_lines + 1).min(2);
                }
            } else {
                if row.amount.is_nan() {
                    reading.reject(
                        rows.line(r),
                        &self.name(map.amount_column()),
                        "",
                        RowErrorKind::MissingAmount,
                    );
                    continue;
                }
                acc.amount += row.amount;
                if let (Some(&[shipping, adjustment]), Some(order)) =
                    (extras.charges.get(r), grouped.charges.get_mut(slot))
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
                acc.guest = rows.guest(r);
            }
            if acc.status == NONE {
                acc.status = extras.status(r);
            }
            acc.used = true;
            grouped.row_slot[r] = slot as u32;
        }
        grouped
    }

    /// The day of a row's date cell in the chosen order; `None` after rejecting the row (a
    /// day before [`EARLIEST_ORDER_YEAR`] or after today, or one the order cannot read).
    #[inline]
    fn day_of(
        &self,
        rejected: &mut Vec<RejectedRow>,
        line: u64,
        cell: DateCell,
        date_order: Option<DateOrder>,
        earliest: Day,
    ) -> Option<Day> {
        match cell.resolve(date_order) {
            Some(day) if day < earliest || self.options.today.is_some_and(|t| day > t) => {
                let kind = if day < earliest {
                    RowErrorKind::DateTooEarly
                } else {
                    RowErrorKind::DateInFuture
                };
                reject_row(
                    rejected,
                    line,
                    &self.name(self.map.date),
                    &iso_date(day),
                    kind,
                );
                None
            }
            Some(day) => Some(day),
            None => {
                let value = year_last_text(cell);
                reject_row(
                    rejected,
                    line,
                    &self.name(self.map.date),
                    &value,
                    RowErrorKind::BadDate,
                );
                None
            }
        }
    }

    /// The status values that leave orders out, each with its orders and their amount.
    fn excluded_groups(&self, reading: &Reading, grouped: &Grouped) -> Vec<ExcludedGroup> {
        let mut excluded = self.excluded_list(&reading.statuses);
        for (slot, acc) in grouped.accs.iter().enumerate() {
            if acc.status != NONE {
                let group = &mut excluded[acc.status as usize];
                group.orders += 1;
                group.amount += if self.use_total {
                    zero_if_blank(acc.amount)
                } else {
                    grouped.amount_of(slot, false)
                };
            }
        }
        excluded
    }

    /// The status values that leave orders out, each with nothing counted yet.
    fn excluded_list(&self, statuses: &[StatusValue]) -> Vec<ExcludedGroup> {
        statuses
            .iter()
            .map(|s| ExcludedGroup {
                column: self.setup.headers[s.column].clone(),
                value: s.value.clone(),
                kind: s.kind,
                orders: 0,
                rows: 0,
                amount: 0.0,
            })
            .collect()
    }

    /// Why an order loses its rows, if it does.
    fn missing(&self, acc: &OrderAcc) -> Missing {
        self.missing_of(acc.status, acc.day, acc.customer, acc.amount)
    }

    /// Why an order of this status, day, customer and amount loses its rows, if it does:
    /// the one rule for grouped orders and for rows that are orders of their own.
    fn missing_of(&self, status: u32, day: Day, customer: u32, amount: f64) -> Missing {
        if status != NONE && !self.options.include_excluded {
            Missing::Excluded
        } else if day == NO_DAY {
            Missing::Date
        } else if customer == NONE {
            Missing::Customer
        } else if self.use_total && amount.is_nan() {
            Missing::Amount
        } else {
            Missing::Nothing
        }
    }

    /// The columns the rejections of incomplete orders name.
    fn missing_columns(&self) -> MissingColumns {
        let map = self.map;
        MissingColumns {
            date: self.name(map.date),
            amount: self.name(map.amount_column()),
            customer: self.name(map.email.or(map.customer_id)),
        }
    }

    /// Takes the rows of the orders that lose them off their orders: cancelled, unpaid and
    /// returned orders are left out (unless the user keeps them) and counted by status;
    /// the rows of orders missing a date, a customer or an amount are rejected. Returns the
    /// rows left out.
    fn drop_rows(
        &self,
        reading: &mut Reading,
        rows: &Rows,
        grouped: &mut Grouped,
        missing: &[Missing],
        excluded: &mut [ExcludedGroup],
    ) -> u64 {
        if missing.iter().all(|&m| m == Missing::Nothing) {
            return 0;
        }
        let columns = self.missing_columns();
        let mut rows_excluded = 0u64;
        for r in 0..rows.data.len() {
            let slot = grouped.row_slot[r];
            if slot == NONE {
                continue;
            }
            let missing = missing[slot as usize];
            if missing == Missing::Nothing {
                continue;
            }
            if missing == Missing::Excluded {
                excluded[grouped.accs[slot as usize].status as usize].rows += 1;
                rows_excluded += 1;
            } else if let Some((kind, column)) = missing.rejection(&columns) {
                reading.reject(rows.line(r), column, "", kind);
            }
            grouped.row_slot[r] = NONE;
        }
        rows_excluded
    }

    /// The kept orders as the table: orders, and customers renumbered densely by first use.
    fn table(&self, reading: &Reading, grouped: &Grouped, missing: &[Missing]) -> Kept {
        let mut kept = Kept {
            table: OrderTable::default(),
            order_index: vec![NONE; grouped.accs.len()],
            customers: FirstUse::new(reading.keys.canonical_count()),
            repeated_totals: false,
            guest_orders: 0,
            spelling_count: Vec::new(),
        };
        kept.table.orders.reserve(grouped.accs.len());
        for (slot, acc) in grouped.accs.iter().enumerate() {
            if missing[slot] != Missing::Nothing || !acc.used {
                continue;
            }
            let (day, canonical) = (acc.day, reading.keys.canonical_of(acc.customer));
            let (customer, new_customer) = kept.customers.number(canonical);
            if new_customer {
                kept.table
                    .customer_keys
                    .push(reading.keys.canonical_text(canonical));
            }
            kept.repeated_totals |= self.use_total && acc.total_lines > 1;
            kept.guest_orders += u64::from(acc.guest);
            kept.order_index[slot] = kept.table.orders.len() as u32;
            kept.table.orders.push(Order {
                customer,
                day,
                amount: grouped.amount_of(slot, self.use_total),
            });
        }
        kept
    }

    /// How the rows became orders, for the report.
    fn order_rule(&self, repeated_totals: bool) -> OrderRule {
        let map = self.map;
        if map.order_id.is_none() {
            OrderRule::RowIsOrder
        } else if self.use_total {
            if repeated_totals {
                OrderRule::TotalRepeated
            } else {
                OrderRule::TotalOnFirstLine
            }
        } else if !map.shipping.is_empty() || !map.adjustment.is_empty() {
            OrderRule::SumOfLinesWithCharges
        } else {
            OrderRule::SumOfLines
        }
    }
}

impl Kept {
    /// The customer of a kept row under its raw key `raw`, when the key is the one of the row's
    /// order (a row of a shared ID re-keyed by e-mail may belong to another customer).
    fn customer_of_row(&self, reading: &Reading, raw: u32, slot: u32) -> Option<u32> {
        let canonical = reading.keys.canonical_of(raw);
        let customer = self.customers.get(canonical)?;
        let order = self.order_index[slot as usize];
        (customer == self.table.orders[order as usize].customer).then_some(customer)
    }

    /// Adds the product lines of the kept rows, products renumbered densely by first use,
    /// and counts the raw spellings of each customer's key. Returns the rows used.
    fn add_lines(
        &mut self,
        reading: &Reading,
        row_customers: &[u32],
        extras: &RowExtras,
        row_slot: &[u32],
    ) -> u64 {
        let mut lines = ProductLines::new(&reading.products);
        // Spellings per customer: counted here; the examples' spellings are gathered after.
        self.spelling_count = vec![0u32; self.table.customer_keys.len()];
        let mut raw_seen = vec![false; reading.keys.raw_count()];
        let mut rows_used = 0u64;
        for (r, &raw) in row_customers.iter().enumerate() {
            let slot = row_slot[r];
            if slot == NONE {
                continue;
            }
            rows_used += 1;
            if raw != NONE && !raw_seen[raw as usize] {
                if let Some(customer) = self.customer_of_row(reading, raw, slot) {
                    raw_seen[raw as usize] = true;
                    self.spelling_count[customer as usize] += 1;
                }
            }
            lines.add(&mut self.table, extras, r, self.order_index[slot as usize]);
        }
        rows_used
    }
}

/// Numbers ids (raw spellings, canonical keys, products) in the order of their first use.
///
/// The ids are given in the order the file first writes their texts, so when every row is
/// kept they come in order here too: each id is either one seen already (below `next`) or
/// the next one, and its number is itself. That is checked without a lookup; on a file of
/// half a million customers a lookup by id lands somewhere new in megabytes for each
/// returning customer. The first id out of that order (a customer whose first rows were
/// dropped) builds the index of the numbers given so far, and the lookups start there.
struct FirstUse {
    /// The numbers given so far.
    next: u32,
    /// How many ids there are.
    count: usize,
    /// The number of each id ([`NONE`]: not used yet); empty while the ids come in order.
    index: Vec<u32>,
}

impl FirstUse {
    fn new(count: usize) -> Self {
        FirstUse {
            next: 0,
            count,
            index: Vec::new(),
        }
    }

    /// The number of `id`, and whether this is its first use.
    #[inline]
    fn number(&mut self, id: u32) -> (u32, bool) {
        if self.index.is_empty() {
            if id < self.next {
                return (id, false);
            }
            if id == self.next {
                self.next += 1;
                return (id, true);
            }
            self.leave_order();
        }
        let number = &mut self.index[id as usize];
        if *number != NONE {
            return (*number, false);
        }
        *number = self.next;
        self.next += 1;
        (*number, true)
    }

    /// The number of `id`, if it has been used.
    #[inline]
    fn get(&self, id: u32) -> Option<u32> {
        if self.index.is_empty() {
            (id < self.next).then_some(id)
        } else {
            Some(self.index[id as usize]).filter(|&n| n != NONE)
        }
    }

    /// The ids no longer come in order: each id used so far is its own number.
    #[cold]
    fn leave_order(&mut self) {
        self.index = (0..self.next).collect();
        self.index.resize(self.count.max(1), NONE);
    }
}

/// The table's product lines, added a kept row at a time: each product is named in the
/// table once, numbered in the order the rows first use it.
struct ProductLines<'a> {
    products: &'a StrInterner,
    /// The table's number of each product read.
    numbers: FirstUse,
}

impl<'a> ProductLines<'a> {
    fn new(products: &'a StrInterner) -> Self {
        ProductLines {
            products,
            numbers: FirstUse::new(products.len()),
        }
    }

    /// Row `r`'s line, if it names a product, for the table's order `order`.
    fn add(&mut self, table: &mut OrderTable, extras: &RowExtras, r: usize, order: u32) {
        let row_product = extras.product(r);
        if row_product == NONE {
            return;
        }
        let (product, new_product) = self.numbers.number(row_product);
        if new_product {
            table
                .product_names
                .push(self.products.get(row_product).to_string());
        }
        table.lines.push(OrderLine {
            order,
            product,
            quantity: extras.quantities.get(r).copied().unwrap_or(1.0),
        });
    }
}

/// The first merged customers (a key written more than one way) with their spellings, in the
/// order the file first uses them, from each kept raw key with its customer at its first use
/// (`first_uses`, in the order of the file; read only when some customer has two spellings).
fn merge_examples(
    reading: &Reading,
    customer_keys: &CustomerKeys,
    spelling_count: &[u32],
    first_uses: impl Iterator<Item = (u32, u32)>,
) -> Vec<MergeExample> {
    let examples: Vec<u32> = (0..spelling_count.len() as u32)
        .filter(|&c| spelling_count[c as usize] > 1)
        .take(MERGE_EXAMPLES)
        .collect();
    if examples.is_empty() {
        return Vec::new();
    }
    let mut spellings: Vec<Vec<u32>> = vec![Vec::new(); examples.len()];
    for (raw, customer) in first_uses {
        if let Some(e) = examples.iter().position(|&c| c == customer) {
            spellings[e].push(raw);
        }
    }
    examples
        .iter()
        .zip(&spellings)
        .map(|(&c, raws)| MergeExample {
            canonical: customer_keys[c as usize].to_string(),
            spellings: raws
                .iter()
                .take(MERGE_EXAMPLES)
                .map(|&raw| reading.keys.raw_text(raw).to_string())
                .collect(),
        })
        .collect()
}

/// Why an order loses its rows, if it does.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Missing {
    Nothing,
    Excluded,
    Date,
    Customer,
    Amount,
}

/// The columns named when an incomplete order's rows are rejected.
struct MissingColumns {
    date: String,
    amount: String,
    customer: String,
}

impl Missing {
    /// The reason and column each row of an incomplete order is rejected with (`None` for a
    /// complete order, or one left out by its status).
    fn rejection(self, columns: &MissingColumns) -> Option<(RowErrorKind, &str)> {
        match self {
            Missing::Nothing | Missing::Excluded => None,
            Missing::Date => Some((RowErrorKind::MissingDate, &columns.date)),
            Missing::Customer => Some((RowErrorKind::MissingCustomer, &columns.customer)),
            Missing::Amount => Some((RowErrorKind::MissingAmount, &columns.amount)),
        }
    }
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
