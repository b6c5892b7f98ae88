//! Values as Japanese exports write them: money, dates, times and quantities.
//!
//! Parsers here never allocate: they run once per field on every row of a file that may hold a
//! million orders.

use serde::{Deserialize, Serialize};

use crate::orders::{day_from_ymd, Day};

/// The largest amount or quantity accepted (10兆円): beyond any shop, far from overflow.
pub const MAX_AMOUNT: f64 = 1e13;

/// Oldest and newest years read as a date: outside them a number is not an order date.
const YEAR_RANGE: std::ops::RangeInclusive<i32> = 1900..=2999;

/// 日付の順序: how to read a date written with the year last (`01/02/2024`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum DateOrder {
    /// 月/日/年: `01/02/2024` is 2 January (American style).
    MonthFirst,
    /// 日/月/年: `01/02/2024` is 1 February (European style).
    DayFirst,
}

/// Fast path of [`parse_date`]: exactly `YYYY-MM-DD` or `YYYY/MM/DD`, the most common form.
/// `None` sends anything else (or an impossible date) down the general path.
fn iso_day(b: &[u8]) -> Option<Day> {
    let &[y1, y2, y3, y4, s1, m1, m2, s2, d1, d2] = b else {
        return None;
    };
    if s1 != s2 || !matches!(s1, b'-' | b'/') {
        return None;
    }
    let digits = [y1, y2, y3, y4, m1, m2, d1, d2];
    if !digits.iter().all(u8::is_ascii_digit) {
        return None;
    }
    let n = |bs: &[u8]| {
        bs.iter()
            .fold(0u32, |acc, &d| acc * 10 + u32::from(d - b'0'))
    };
    let (year, month, day) = (n(&digits[..4]), n(&digits[4..6]), n(&digits[6..]));
    ymd(year, month, day)
}

/// Maps the full-width forms that Japanese exports use to ASCII; other characters unchanged.
fn half_width(c: char) -> char {
    match c {
        '０'..='９' | '，' | '．' | '／' | '－' | '：' | '＋' | '（' | '）' | '＠' => {
            char::from_u32(c as u32 - 0xFEE0).unwrap_or(c)
        }
        '−' | '‐' => '-',
        '\u{3000}' => ' ',
        _ => c,
    }
}

fn is_blank_char(c: char) -> bool {
    c.is_whitespace() || c == '\u{3000}' || c == '\u{FEFF}'
}

/// Trims ASCII and full-width spaces.
pub fn trim_field(text: &str) -> &str {
    // Fast path: a field that begins and ends with a visible ASCII character.
    match text.as_bytes() {
        [] => text,
        [first, .., last] | [first @ last]
            if first.is_ascii_graphic() && last.is_ascii_graphic() =>
        {
            text
        }
        _ => text.trim_matches(is_blank_char),
    }
}

/// Reads an amount of money as exports write it.
///
/// Accepted: `12800`, `12,800`, `¥12,800`, `￥12,800`, `12,800円`, `\12,800` (cp932's yen sign
/// decodes as a backslash), full-width digits `１２，８００`, negatives `-1,200`, `▲1,200`,
/// `△1,200` and `(1,200)`, decimals `29.33`. Thousands separators must group three digits,
/// so `12,5` is refused rather than read as 125. Returns `None` for anything else, including
/// a blank field (the caller decides whether blank is allowed).
///
/// # Examples
/// ```
/// use ltv_core::import::parse_amount;
/// assert_eq!(parse_amount("¥12,800"), Some(12800.0));
/// assert_eq!(parse_amount("\\12,800"), Some(12800.0));
/// assert_eq!(parse_amount("▲1,200"), Some(-1200.0));
/// assert_eq!(parse_amount("29.33"), Some(29.33));
/// assert_eq!(parse_amount("12,5€"), None);
/// ```
pub fn parse_amount(text: &str) -> Option<f64> {
    let text = trim_field(text);
    // Fast path: plain ASCII digits, the most common form.
    if !text.is_empty() && text.len() <= 15 && text.bytes().all(|b| b.is_ascii_digit()) {
        // At most 15 digits: below 2⁵³, so the integer is the f64 parsing gives, exactly.
        let value = text
            .bytes()
            .fold(0u64, |value, b| value * 10 + u64::from(b - b'0')) as f64;
        return (value <= MAX_AMOUNT).then_some(value);
    }
    let mut buf = [0u8; 40];
    let mut len = 0usize;
    let mut negative = false;
    let mut parenthesised = false;
    let mut closed = false;
    let mut seen_yen = false;
    let mut seen_suffix = false;
    let mut seen_point = false;
    // Digits since the last comma, or None when no comma seen yet.
    let mut group: Option<u32> = None;
    let mut digits_before = 0u32;
    for c in text.chars() {
        let c = half_width(c);
        if closed || (seen_suffix && c != ' ') {
            return None;
        }
        match c {
            '0'..='9' => {
                if len >= buf.len() {
                    return None;
                }
                buf[len] = c as u8;
                len += 1;
                if !seen_point {
                    digits_before += 1;
                    if let Some(g) = group.as_mut() {
                        *g += 1;
                    }
                }
            }
            ',' => {
                if seen_point || digits_before == 0 || group.is_some_and(|g| g != 3) {
                    return None;
                }
                group = Some(0);
            }
            '.' => {
                if seen_point || digits_before == 0 || group.is_some_and(|g| g != 3) {
                    return None;
                }
                seen_point = true;
                if len >= buf.len() {
                    return None;
                }
                buf[len] = b'.';
                len += 1;
            }
            '-' | '▲' | '△' if len == 0 && !negative && !parenthesised => negative = true,
            '+' if len == 0 && !negative && !parenthesised => {}
            '(' if len == 0 && !negative && !parenthesised && !seen_yen => parenthesised = true,
            ')' if parenthesised && len > 0 => closed = true,
            '¥' | '￥' | '\\' if len == 0 && !seen_yen => seen_yen = true,
            '円' if len > 0 => seen_suffix = true,
            ' ' if len == 0 || seen_suffix => {}
            _ => return None,
        }
    }
    if len == 0 || (parenthesised && !closed) || group.is_some_and(|g| g != 3) {
        return None;
    }
    if buf[len - 1] == b'.' {
        return None;
    }
    let digits = std::str::from_utf8(&buf[..len]).ok()?;
    let value: f64 = digits.parse().ok()?;
    if !value.is_finite() || value > MAX_AMOUNT {
        return None;
    }
    Some(if negative || parenthesised {
        -value
    } else {
        value
    })
}

/// A date cell as read before the column's day/month order is known.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum DateCell {
    /// A date with the year first or in Japanese (`2024/01/05`, `20240105`, `2024年1月5日`).
    Day(Day),
    /// A date with the year last (`01/02/2024`): which of the two is the month waits for the
    /// column's [`DateOrder`]. `as_month_first` / `as_day_first` are the day under each
    /// reading, `None` where that reading is not a real date.
    YearLast {
        as_month_first: Option<Day>,
        as_day_first: Option<Day>,
    },
}

impl DateCell {
    /// The day under a chosen order (`None`: not a date under it, or no order given for a
    /// year-last date that both orders accept).
    pub fn resolve(self, order: Option<DateOrder>) -> Option<Day> {
        match self {
            DateCell::Day(day) => Some(day),
            DateCell::YearLast {
                as_month_first,
                as_day_first,
            } => match (order, as_month_first, as_day_first) {
                (Some(DateOrder::MonthFirst), d, _) => d,
                (Some(DateOrder::DayFirst), _, d) => d,
                // Without a chosen order, only an unambiguous cell has a day.
                (None, Some(d), None) | (None, None, Some(d)) => Some(d),
                (None, Some(a), Some(b)) if a == b => Some(a),
                (None, _, _) => None,
            },
        }
    }

    /// Whether both orders read this cell as a real date, and differently.
    pub fn is_ambiguous(self) -> bool {
        matches!(self, DateCell::YearLast { as_month_first: Some(a), as_day_first: Some(b) } if a != b)
    }
}

/// A small cursor over the ASCII-folded characters of a date or time.
struct Cursor<'a> {
    chars: std::iter::Peekable<std::str::Chars<'a>>,
}

impl<'a> Cursor<'a> {
    fn new(text: &'a str) -> Self {
        Cursor {
            chars: text.chars().peekable(),
        }
    }

    fn peek(&mut self) -> Option<char> {
        self.chars.peek().map(|&c| half_width(c))
    }

    fn bump(&mut self) -> Option<char> {
        self.chars.next().map(half_width)
    }

    /// A run of ASCII digits: (value, number of digits). At most 8 digits.
    fn number(&mut self) -> Option<(u32, u32)> {
        let mut value = 0u32;
        let mut count = 0u32;
        while let Some(c) = self.peek() {
            let Some(d) = c.to_digit(10) else { break };
            if count == 8 {
                return None;
            }
            value = value * 10 + d;
            count += 1;
            self.bump();
        }
        (count > 0).then_some((value, count))
    }

    fn rest_is_time(&mut self) -> bool {
        // After the date: nothing, or a separator and a time of day with an optional offset
        // (`13:22`, `09:50:26 +0900`, `13:22:00.000Z`). The offset is ignored: the date is
        // the shop's local date as written.
        match self.peek() {
            None => return true,
            Some(' ' | 'T') => {}
            _ => return false,
        }
        while matches!(self.peek(), Some(' ' | 'T')) {
            self.bump();
        }
        if self.peek().is_none() {
            return true;
        }
        if !self.time_of_day() {
            return false;
        }
        while self.peek() == Some(' ') {
            self.bump();
        }
        match self.bump() {
            None => true,
            Some('Z') => self.peek().is_none(),
            Some('+' | '-') => {
                let Some((_, len)) = self.number() else {
                    return false;
                };
                if len == 2 && self.peek() == Some(':') {
                    self.bump();
                    if self.number().map(|(_, l)| l) != Some(2) {
                        return false;
                    }
                } else if len != 4 && len != 2 {
                    return false;
                }
                self.peek().is_none()
            }
            Some(_) => false,
        }
    }

    /// `H:MM`, `HH:MM:SS`, `HH:MM:SS.fff`.
    fn time_of_day(&mut self) -> bool {
        let Some((h, h_len)) = self.number() else {
            return false;
        };
        // Compact `HHMMSS` / `HHMM`.
        if h_len == 6 || h_len == 4 {
            let (hh, mm, ss) = if h_len == 6 {
                (h / 10_000, h / 100 % 100, h % 100)
            } else {
                (h / 100, h % 100, 0)
            };
            return hh < 24 && mm < 60 && ss < 60;
        }
        if h_len > 2 || h > 23 || self.bump() != Some(':') {
            return false;
        }
        match self.number() {
            Some((m, 2)) if m < 60 => {}
            _ => return false,
        }
        if self.peek() == Some(':') {
            self.bump();
            match self.number() {
                Some((s, 2)) if s < 60 => {}
                _ => return false,
            }
            if self.peek() == Some('.') {
                self.bump();
                if self.number().is_none() {
                    return false;
                }
            }
        }
        true
    }
}

fn ymd(year: u32, month: u32, day: u32) -> Option<Day> {
    let year = i32::try_from(year).ok()?;
    if !YEAR_RANGE.contains(&year) {
        return None;
    }
    day_from_ymd(year, month, day)
}

/// Reads an order date as exports write it, keeping the date as written (a time of day and
/// a UTC offset after it are allowed and ignored).
///
/// Accepted: `2024/01/05`, `2024/1/5 13:22`, `2024-01-05T13:22:00`,
/// `2025-10-07 09:50:26 +0900`, `20240105`, `2024年1月5日`, `2024.1.5`, full-width digits,
/// and dates with the year last (`01/02/2024`), which come back as
/// [`DateCell::YearLast`] for the column's order to decide. `None` when it is not a date
/// that exists (`2023/02/29`), or is blank.
///
/// # Examples
/// ```
/// use ltv_core::import::{parse_date, DateCell, DateOrder};
/// use ltv_core::orders::day_from_ymd;
/// let jan5 = day_from_ymd(2024, 1, 5).unwrap();
/// assert_eq!(parse_date("2024/1/5 13:22"), Some(DateCell::Day(jan5)));
/// assert_eq!(parse_date("2024年1月5日"), Some(DateCell::Day(jan5)));
/// let cell = parse_date("01/05/2024").unwrap();
/// assert!(cell.is_ambiguous());
/// assert_eq!(cell.resolve(Some(DateOrder::MonthFirst)), Some(jan5));
/// assert_eq!(parse_date("2023/02/29"), None);
/// ```
pub fn parse_date(text: &str) -> Option<DateCell> {
    let text = trim_field(text);
    if let Some(day) = iso_day(text.as_bytes()) {
        return Some(DateCell::Day(day));
    }
    let mut cur = Cursor::new(text);
    let (first, first_len) = cur.number()?;
    if first_len == 8 {
        // YYYYMMDD
        let day = ymd(first / 10_000, first / 100 % 100, first % 100)?;
        return cur.rest_is_time().then_some(DateCell::Day(day));
    }
    let sep = cur.bump()?;
    if first_len == 4 {
        let (month_sep, day_sep) = match sep {
            '/' | '-' | '.' => (sep, sep),
            '年' => ('月', '日'),
            _ => return None,
        };
        let (month, month_len) = cur.number()?;
        if month_len > 2 || cur.bump()? != month_sep {
            return None;
        }
        let (day, day_len) = cur.number()?;
        if day_len > 2 {
            return None;
        }
        if sep == '年' && cur.peek() == Some(day_sep) {
            cur.bump();
        }
        let day = ymd(first, month, day)?;
        return cur.rest_is_time().then_some(DateCell::Day(day));
    }
    if first_len <= 2 && matches!(sep, '/' | '-' | '.') {
        let (second, second_len) = cur.number()?;
        if second_len > 2 || cur.bump()? != sep {
            return None;
        }
        let (year, year_len) = cur.number()?;
        if year_len != 4 || !cur.rest_is_time() {
            return None;
        }
        let as_month_first = ymd(year, first, second);
        let as_day_first = ymd(year, second, first);
        if as_month_first.is_none() && as_day_first.is_none() {
            return None;
        }
        return Some(DateCell::YearLast {
            as_month_first,
            as_day_first,
        });
    }
    None
}

/// Reads a time of day: `10:33`, `10:33:09`, or MakeShop's `103309` / `1033`.
/// Returns `(hour, minute, second)`.
///
/// # Examples
/// ```
/// use ltv_core::import::parse_time;
/// assert_eq!(parse_time("103309"), Some((10, 33, 9)));
/// assert_eq!(parse_time("9:05"), Some((9, 5, 0)));
/// assert_eq!(parse_time("25:00"), None);
/// ```
pub fn parse_time(text: &str) -> Option<(u32, u32, u32)> {
    let text = trim_field(text);
    let mut cur = Cursor::new(text);
    let (first, first_len) = cur.number()?;
    let (h, m, s) = match (first_len, cur.peek()) {
        (6, None) => (first / 10_000, first / 100 % 100, first % 100),
        (4, None) => (first / 100, first % 100, 0),
        (1 | 2, Some(':')) => {
            cur.bump();
            let (m, m_len) = cur.number()?;
            if m_len != 2 {
                return None;
            }
            let s = if cur.peek() == Some(':') {
                cur.bump();
                let (s, s_len) = cur.number()?;
                if s_len != 2 {
                    return None;
                }
                s
            } else {
                0
            };
            if cur.peek().is_some() {
                return None;
            }
            (first, m, s)
        }
        _ => return None,
    };
    (h < 24 && m < 60 && s < 60).then_some((h, m, s))
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Amounts in these tests are exact in binary or parsed from the same decimal text.
    const AMOUNT_TOLERANCE: f64 = 1e-9;

    #[test]
    fn money_forms_parse() {
        let cases: &[(&str, Option<f64>)] = &[
            ("12800", Some(12800.0)),
            ("12,800", Some(12800.0)),
            ("¥12,800", Some(12800.0)),
            ("￥12,800", Some(12800.0)),
            ("12,800円", Some(12800.0)),
            ("\\12,800", Some(12800.0)),
            ("１２，８００", Some(12800.0)),
            ("１２８００円", Some(12800.0)),
            ("▲1,200", Some(-1200.0)),
            ("△1,200", Some(-1200.0)),
            ("-1,200", Some(-1200.0)),
            ("－１，２００", Some(-1200.0)),
            ("(1,200)", Some(-1200.0)),
            ("29.33", Some(29.33)),
            ("0.00", Some(0.0)),
            ("0", Some(0.0)),
            (" 4,400 ", Some(4400.0)),
            ("¥ 4,400", Some(4400.0)),
            ("1,234,567", Some(1_234_567.0)),
            ("+500", Some(500.0)),
            // Bad ones.
            ("", None),
            ("   ", None),
            ("12,5€", None),
            ("12,5", None),
            ("1,2345", None),
            (",100", None),
            ("1.2.3", None),
            ("12.", None),
            ("abc", None),
            ("1200円x", None),
            ("円", None),
            ("¥", None),
            ("--5", None),
            ("5-", None),
            ("(100", None),
            ("1e5", None),
            ("NaN", None),
            ("99999999999999999", None),
        ];
        for &(text, expected) in cases {
            let got = parse_amount(text);
            match (got, expected) {
                (Some(g), Some(e)) => assert!((g - e).abs() < AMOUNT_TOLERANCE, "{text}: {g}"),
                (None, None) => {}
                _ => panic!("{text}: got {got:?}, expected {expected:?}"),
            }
        }
    }

    #[test]
    fn date_forms_parse() {
        let jan5 = day_from_ymd(2024, 1, 5).unwrap();
        let oct7 = day_from_ymd(2025, 10, 7).unwrap();
        let cases: &[(&str, Option<Day>)] = &[
            ("2024/01/05", Some(jan5)),
            ("2024/1/5", Some(jan5)),
            ("2024/1/5 13:22", Some(jan5)),
            ("2024-01-05", Some(jan5)),
            ("2024-01-05T13:22:00", Some(jan5)),
            ("2024-01-05T13:22:00Z", Some(jan5)),
            ("2024-01-05T13:22:00.123+09:00", Some(jan5)),
            ("2025-10-07 09:50:26 +0900", Some(oct7)),
            ("2025-10-07 23:50:26 -0500", Some(oct7)),
            ("20240105", Some(jan5)),
            ("20240105 133000", Some(jan5)),
            ("2024年1月5日", Some(jan5)),
            ("2024年01月05日 13:22", Some(jan5)),
            ("2024.1.5", Some(jan5)),
            ("２０２４／０１／０５", Some(jan5)),
            ("13/01/2024", Some(day_from_ymd(2024, 1, 13).unwrap())),
            ("01/13/2024", Some(day_from_ymd(2024, 1, 13).unwrap())),
            ("05/05/2024", Some(day_from_ymd(2024, 5, 5).unwrap())),
            // Bad ones.
            ("", None),
            ("2023/02/29", None),
            ("2024/13/01", None),
            ("2024/1/5x", None),
            ("2024/1-5", None),
            ("2024/1/5 25:00", None),
            ("1/5/24", None),
            ("32/13/2024", None),
            ("12800", None),
            ("00000001", None),
            ("1850/01/01", None),
            ("令和6年1月5日", None),
            ("abc", None),
        ];
        for &(text, expected) in cases {
            let got = parse_date(text).and_then(|cell| cell.resolve(None));
            assert_eq!(got, expected, "{text}");
        }
    }

    #[test]
    fn year_last_dates_wait_for_the_order() {
        let cell = parse_date("01/02/2024").unwrap();
        assert!(cell.is_ambiguous());
        assert_eq!(cell.resolve(None), None);
        assert_eq!(
            cell.resolve(Some(DateOrder::MonthFirst)),
            day_from_ymd(2024, 1, 2)
        );
        assert_eq!(
            cell.resolve(Some(DateOrder::DayFirst)),
            day_from_ymd(2024, 2, 1)
        );
        // 13/02 can only be day-first: not ambiguous, and month-first refuses it.
        let cell = parse_date("13/02/2024").unwrap();
        assert!(!cell.is_ambiguous());
        assert_eq!(cell.resolve(Some(DateOrder::MonthFirst)), None);
        // The same day either way is not ambiguous.
        assert!(!parse_date("03/03/2024").unwrap().is_ambiguous());
    }

    #[test]
    fn times_parse() {
        type Hms = (u32, u32, u32);
        let cases: &[(&str, Option<Hms>)] = &[
            ("103309", Some((10, 33, 9))),
            ("000000", Some((0, 0, 0))),
            ("1033", Some((10, 33, 0))),
            ("10:33", Some((10, 33, 0))),
            ("9:05:07", Some((9, 5, 7))),
            ("１０：３３", Some((10, 33, 0))),
            ("246000", None),
            ("10:3", None),
            ("10:60", None),
            ("12345", None),
            ("", None),
            ("noon", None),
        ];
        for &(text, expected) in cases {
            assert_eq!(parse_time(text), expected, "{text}");
        }
    }

    proptest! {
        #[test]
        fn parsers_never_panic(text in "\\PC{0,40}") {
            let _ = parse_amount(&text);
            let _ = parse_date(&text);
            let _ = parse_time(&text);
        }

        /// Plain digits (leading zeros too) read as the standard parser reads them, up to
        /// the largest amount accepted.
        #[test]
        fn plain_digits_read_as_parsed(digits in "[0-9]{1,16}") {
            let parsed: f64 = digits.parse().unwrap();
            let expected = (parsed <= MAX_AMOUNT).then_some(parsed);
            prop_assert_eq!(parse_amount(&digits), expected);
        }

        #[test]
        fn grouped_amounts_read_back(n in 0u64..10_000_000_000u64, negative: bool) {
            let digits = n.to_string();
            let mut grouped = String::new();
            for (i, c) in digits.chars().enumerate() {
                if i > 0 && (digits.len() - i) % 3 == 0 {
                    grouped.push(',');
                }
                grouped.push(c);
            }
            let text = if negative { format!("▲¥{grouped}") } else { format!("{grouped}円") };
            let expected = if negative { -(n as f64) } else { n as f64 };
            prop_assert_eq!(parse_amount(&text), Some(expected));
        }

        #[test]
        fn iso_dates_read_back(day in -25_000i32..375_000) {
            let (y, m, d) = crate::orders::ymd_from_day(day);
            let text = format!("{y:04}/{m}/{d}");
            prop_assert_eq!(parse_date(&text).and_then(|c| c.resolve(None)), Some(day));
        }
    }
}
