//! Reading numbers as Japanese users type them, and showing them back.
//!
//! A visitor types `5000`, `5,000`, `５０００`, `¥5,000`, `5000円`, `30%` or `1.5万`: all of these are
//! numbers. What is not a number gets a message that says what was typed and what is expected.

use std::fmt;

/// What kind of quantity a form field holds: decides the units accepted and the range checks.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Unit {
    /// 円: money, ≥ 0.
    Yen,
    /// 人, 件, 回: a count or an average count, ≥ 0.
    Count,
    /// 年: a duration in years, ≥ 0.
    Years,
    /// %: a rate typed in percent points (`30` or `30%` is 30 %), 0 to 100 unless stated.
    Percent,
}

/// Why a typed value cannot be used.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum InputError {
    /// Nothing was typed.
    Empty,
    /// The text is not a number in any accepted form.
    NotANumber { text: String },
    /// A negative value where only zero or more makes sense.
    Negative,
    /// Zero where the value divides another (people pitched, customers...).
    Zero,
    /// A rate above the largest that makes sense (e.g. more than 100 %).
    AboveMax { max: String },
    /// A part larger than its whole (e.g. more repeaters than customers).
    MoreThan { whole: String },
}

impl fmt::Display for InputError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            InputError::Empty => write!(f, "値を入力してください"),
            InputError::NotANumber { text } => {
                // A long paste is quoted by its start: the message stays a message.
                let shown: String = text.chars().take(QUOTED_CHARS).collect();
                let more = if text.chars().count() > QUOTED_CHARS {
                    "…"
                } else {
                    ""
                };
                write!(
                    f,
                    "「{shown}{more}」を数値として読めません（例: 5000、5,000、¥5,000、30%）"
                )
            }
            InputError::Negative => write!(f, "0以上の値を入力してください"),
            InputError::Zero => write!(f, "0より大きい値を入力してください（割り算に使います）"),
            InputError::AboveMax { max } => write!(f, "{max}以下の値を入力してください"),
            InputError::MoreThan { whole } => write!(f, "「{whole}」以下の値を入力してください"),
        }
    }
}

impl std::error::Error for InputError {}

/// How much of a value an error message quotes.
const QUOTED_CHARS: usize = 30;

/// Reads a number as a Japanese user types it.
///
/// Accepted: ASCII or full-width digits, thousands separators (`,` `，` `、`), a decimal point
/// (`.` `．`), a leading sign (`-` `－` `−` `▲` for negative), a yen sign before (`¥` `￥` `\`)
/// or 円 after, a percent sign after (`%` `％`, which the caller's [`Unit`] decides the meaning
/// of), and 億 / 万 / 千 as units, alone or together (`1.5万` = 15,000, `3億`,
/// `1億5,000万`). Spaces anywhere are ignored.
///
/// # Examples
/// ```
/// use ltv_core::input::parse_number;
/// for text in ["5000", "5,000", "５０００", "¥5,000", "5000円", "0.5万", " 5 000 "] {
///     assert_eq!(parse_number(text), Ok(5000.0), "{text}");
/// }
/// assert_eq!(parse_number("30%"), Ok(30.0));
/// assert_eq!(parse_number("▲1,200"), Ok(-1200.0));
/// assert_eq!(parse_number("1億5,000万円"), Ok(150_000_000.0));
/// assert!(parse_number("五千").is_err());
/// assert!(parse_number("").is_err());
/// ```
pub fn parse_number(text: &str) -> Result<f64, InputError> {
    let not_a_number = || InputError::NotANumber {
        text: text.trim().to_string(),
    };
    // Groups of digits, each with the unit that closed it (億, 万, 千), largest first.
    let mut total = 0.0;
    let mut digits = String::with_capacity(text.len());
    let mut last_unit = f64::INFINITY;
    let mut negative = false;
    let mut seen_digit = false;
    let mut seen_suffix = false;
    let mut any = false;
    let group = |digits: &str| -> Result<f64, InputError> {
        if digits.is_empty() || digits == "." {
            return Err(not_a_number());
        }
        digits.parse::<f64>().map_err(|_| not_a_number())
    };
    for c in text.chars() {
        let c = half_width(c);
        match c {
            ' ' | '\u{3000}' | '\t' => continue,
            _ => any = true,
        }
        if seen_suffix && !matches!(c, '円' | '%') {
            return Err(not_a_number());
        }
        match c {
            '0'..='9' => {
                digits.push(c);
                seen_digit = true;
            }
            '.' => {
                if digits.contains('.') {
                    return Err(not_a_number());
                }
                digits.push('.');
            }
            // Thousands separators: only between digits.
            ',' | '、' => {
                if digits.is_empty() {
                    return Err(not_a_number());
                }
            }
            '-' | '▲' | '△' if !seen_digit && !negative => negative = true,
            '+' if !seen_digit => {}
            '¥' | '\\' if !seen_digit => {}
            '円' | '%' if seen_digit => seen_suffix = true,
            '億' | '万' | '千' if !digits.is_empty() => {
                let unit = match c {
                    '億' => 1e8,
                    '万' => 1e4,
                    _ => 1e3,
                };
                // 1億5000万 is read; 5万1億 is not.
                if unit >= last_unit {
                    return Err(not_a_number());
                }
                total += group(&digits)? * unit;
                digits.clear();
                last_unit = unit;
            }
            _ => return Err(not_a_number()),
        }
    }
    if !any {
        return Err(InputError::Empty);
    }
    if !seen_digit {
        return Err(not_a_number());
    }
    if !digits.is_empty() {
        total += group(&digits)?;
    }
    if !total.is_finite() {
        return Err(not_a_number());
    }
    Ok(if negative { -total } else { total })
}

/// A number as the visitor typed it, tidied for showing back once the field is left: yen and
/// counts grouped by thousands (`150000000` → `150,000,000`, `1.5万` → `15,000`). `None` when
/// the text is best left as typed (a decimal, a percentage, or text that cannot be read).
///
/// # Examples
/// ```
/// use ltv_core::input::{tidy, Unit};
/// assert_eq!(tidy("150000000", Unit::Yen).as_deref(), Some("150,000,000"));
/// assert_eq!(tidy("1.5万円", Unit::Yen).as_deref(), Some("15,000"));
/// assert_eq!(tidy("2.5", Unit::Count), None);
/// assert_eq!(tidy("30", Unit::Percent), None);
/// assert_eq!(tidy("abc", Unit::Yen), None);
/// ```
pub fn tidy(text: &str, unit: Unit) -> Option<String> {
    if !matches!(unit, Unit::Yen | Unit::Count) {
        return None;
    }
    let value = parse_number(text).ok()?;
    if value < 0.0 || value.fract() != 0.0 || value > MAX_VALUE {
        return None;
    }
    let tidied = group_thousands(value);
    (tidied != text).then_some(tidied)
}

/// A rate as a setting is written: `0.1` → `10%`, `0.125` → `12.5%` (one decimal at most).
///
/// # Examples
/// ```
/// use ltv_core::input::format_percent;
/// assert_eq!(format_percent(0.1), "10%");
/// assert_eq!(format_percent(0.125), "12.5%");
/// ```
pub fn format_percent(rate: f64) -> String {
    let shown = format_decimal(rate * 100.0);
    format!("{}%", shown.strip_suffix(".0").unwrap_or(&shown))
}

/// A large amount in 万 and 億, as it is said aloud: `150,000,000` → `1億5,000万`,
/// `12,345` → `1万2,345`. `None` below 1万, where the digits say it already.
///
/// # Examples
/// ```
/// use ltv_core::input::in_japanese_units;
/// assert_eq!(in_japanese_units(150_000_000.0).as_deref(), Some("1億5,000万"));
/// assert_eq!(in_japanese_units(15_000.0).as_deref(), Some("1万5,000"));
/// assert_eq!(in_japanese_units(300_000_000.0).as_deref(), Some("3億"));
/// assert_eq!(in_japanese_units(9_999.0), None);
/// ```
pub fn in_japanese_units(value: f64) -> Option<String> {
    if !value.is_finite() || value.abs() < 1e4 || value.abs() >= 1e16 {
        return None;
    }
    let whole = value.abs().round();
    let oku = (whole / 1e8).floor();
    let man = ((whole - oku * 1e8) / 1e4).floor();
    let rest = whole - oku * 1e8 - man * 1e4;
    let mut out = String::from(if value < 0.0 { "-" } else { "" });
    if oku > 0.0 {
        out.push_str(&group_thousands(oku));
        out.push('億');
    }
    if man > 0.0 {
        out.push_str(&group_thousands(man));
        out.push('万');
    }
    if rest > 0.0 {
        out.push_str(&group_thousands(rest));
    }
    Some(out)
}

/// The largest amount or count a field takes (10兆): beyond any shop, and far from overflow.
pub const MAX_VALUE: f64 = 1e13;

/// Reads a value of a given unit and checks its range: never negative; a percent at most 100
/// unless `allow_over_100` is set on the caller's side (see [`parse_percent_up_to`]).
///
/// # Examples
/// ```
/// use ltv_core::input::{parse_value, Unit};
/// assert_eq!(parse_value("30%", Unit::Percent), Ok(0.30));
/// assert_eq!(parse_value("¥5,000", Unit::Yen), Ok(5000.0));
/// assert!(parse_value("-1", Unit::Count).is_err());
/// assert!(parse_value("120%", Unit::Percent).is_err());
/// ```
pub fn parse_value(text: &str, unit: Unit) -> Result<f64, InputError> {
    match unit {
        Unit::Percent => parse_percent_up_to(text, 100.0),
        _ => {
            let v = parse_number(text)?;
            if v < 0.0 {
                return Err(InputError::Negative);
            }
            if v > MAX_VALUE {
                return Err(InputError::AboveMax {
                    max: "10兆".to_string(),
                });
            }
            Ok(v)
        }
    }
}

/// Reads a percentage (`30`, `30%`, `３０％` → 0.30), between 0 and `max_percent` percent.
pub fn parse_percent_up_to(text: &str, max_percent: f64) -> Result<f64, InputError> {
    let v = parse_number(text)?;
    if v < 0.0 {
        return Err(InputError::Negative);
    }
    if v > max_percent {
        return Err(InputError::AboveMax {
            max: format!("{}%", format_plain(max_percent)),
        });
    }
    Ok(v / 100.0)
}

/// Reads a value that divides another: it must be greater than zero.
pub fn parse_divisor(text: &str, unit: Unit) -> Result<f64, InputError> {
    let v = parse_value(text, unit)?;
    if v == 0.0 {
        return Err(InputError::Zero);
    }
    Ok(v)
}

fn half_width(c: char) -> char {
    match c {
        '０'..='９' => char::from_u32(c as u32 - '０' as u32 + '0' as u32).unwrap_or(c),
        '，' => ',',
        '．' => '.',
        '％' => '%',
        '￥' => '¥',
        '－' | '−' | 'ー' => '-',
        '＋' => '+',
        _ => c,
    }
}

/// `¥15,000`: yen rounded to the nearest whole yen, with thousands separators.
///
/// # Examples
/// ```
/// use ltv_core::input::format_yen;
/// assert_eq!(format_yen(15000.0), "¥15,000");
/// assert_eq!(format_yen(-1234.6), "-¥1,235");
/// assert_eq!(format_yen(f64::NAN), "—");
/// // Past what a double holds exactly, three significant digits and 約, never float noise.
/// assert_eq!(format_yen(2.0000000000000001e26), "約¥200,000,000,000,000,000,000,000,000");
/// ```
pub fn format_yen(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let rounded = value.round();
    let sign = if rounded < 0.0 { "-" } else { "" };
    if rounded.abs() >= EXACT_LIMIT {
        return format!("{sign}約¥{}", three_significant(rounded.abs()));
    }
    format!("{sign}¥{}", group_thousands(rounded.abs()))
}

/// Integers up to this are exact in a double; past it, digits are noise.
const EXACT_LIMIT: f64 = 1e15;

/// A large whole number to three significant digits, the rest written as zeros, grouped.
fn three_significant(value: f64) -> String {
    let exponent = value.log10().floor() as i32;
    let shift = (exponent - 2).max(0);
    let mut mantissa = (value / 10f64.powi(shift)).round() as u64;
    let mut zeros = shift as usize;
    if mantissa >= 1000 {
        mantissa /= 10;
        zeros += 1;
    }
    let digits = format!("{mantissa}{}", "0".repeat(zeros));
    let mut out = String::with_capacity(digits.len() * 4 / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

/// `70.0%`: a rate (0.7) shown in percent with one decimal.
///
/// # Examples
/// ```
/// use ltv_core::input::format_rate;
/// assert_eq!(format_rate(0.7), "70.0%");
/// assert_eq!(format_rate(0.12345), "12.3%");
/// ```
pub fn format_rate(rate: f64) -> String {
    if !rate.is_finite() {
        return "—".to_string();
    }
    format!("{:.1}%", rate * 100.0)
}

/// `30,000`: a count rounded to a whole number, with thousands separators.
pub fn format_count(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let rounded = value.round();
    let sign = if rounded < 0.0 { "-" } else { "" };
    format!("{sign}{}", group_thousands(rounded.abs()))
}

/// A number with one decimal, thousands grouped: `1,234.5`; `3.0` stays `3.0`.
pub fn format_decimal(value: f64) -> String {
    if !value.is_finite() {
        return "—".to_string();
    }
    let tenths = (value * 10.0).round();
    let sign = if tenths < 0.0 { "-" } else { "" };
    let tenths = tenths.abs();
    let whole = (tenths / 10.0).trunc();
    let frac = tenths - whole * 10.0;
    format!("{sign}{}.{}", group_thousands(whole), frac as u8)
}

/// A number as typed back into a field: no grouping, no trailing `.0`.
pub fn format_plain(value: f64) -> String {
    if value.fract() == 0.0 && value.abs() < 1e15 {
        format!("{}", value as i64)
    } else {
        format!("{value}")
    }
}

fn group_thousands(whole: f64) -> String {
    let digits = format!("{whole:.0}");
    let mut out = String::with_capacity(digits.len() + digits.len() / 3);
    for (i, c) in digits.chars().enumerate() {
        if i > 0 && (digits.len() - i) % 3 == 0 {
            out.push(',');
        }
        out.push(c);
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn numbers_as_typed() {
        let cases: &[(&str, f64)] = &[
            ("5000", 5000.0),
            ("5,000", 5000.0),
            ("５０００", 5000.0),
            ("５，０００", 5000.0),
            ("¥5,000", 5000.0),
            ("￥5,000", 5000.0),
            ("\\5,000", 5000.0),
            ("5000円", 5000.0),
            ("5,000 円", 5000.0),
            ("30%", 30.0),
            ("３０％", 30.0),
            ("1.5", 1.5),
            ("１．５", 1.5),
            ("1.5万", 15000.0),
            ("3千", 3000.0),
            ("3億", 300_000_000.0),
            ("1億5000万", 150_000_000.0),
            ("１億５，０００万円", 150_000_000.0),
            ("1万5千", 15_000.0),
            ("5万1億", f64::NAN),
            ("万", f64::NAN),
            ("1万万", f64::NAN),
            ("-1,200", -1200.0),
            ("▲1,200", -1200.0),
            ("+12", 12.0),
            ("  42  ", 42.0),
            ("0", 0.0),
        ];
        for &(text, want) in cases {
            let got = parse_number(text);
            if want.is_nan() {
                assert!(got.is_err(), "{text} should be rejected, got {got:?}");
            } else {
                assert_eq!(got, Ok(want), "{text}");
            }
        }
    }

    #[test]
    fn nonsense_is_named_in_the_message() {
        let cases: &[(&str, InputError)] = &[
            ("", InputError::Empty),
            ("   ", InputError::Empty),
            ("abc", InputError::NotANumber { text: "abc".into() }),
            (
                "五千",
                InputError::NotANumber {
                    text: "五千".into(),
                },
            ),
            (
                "1.2.3",
                InputError::NotANumber {
                    text: "1.2.3".into(),
                },
            ),
            ("%", InputError::NotANumber { text: "%".into() }),
            (
                "5円5",
                InputError::NotANumber {
                    text: "5円5".into(),
                },
            ),
            (",5", InputError::NotANumber { text: ",5".into() }),
            ("--5", InputError::NotANumber { text: "--5".into() }),
            (
                "1e309",
                InputError::NotANumber {
                    text: "1e309".into(),
                },
            ),
        ];
        for (text, want) in cases {
            assert_eq!(parse_number(text).as_ref(), Err(want), "{text:?}");
        }
    }

    #[test]
    fn units_check_their_ranges() {
        assert_eq!(parse_value("30", Unit::Percent), Ok(0.3));
        assert_eq!(parse_value("100%", Unit::Percent), Ok(1.0));
        assert_eq!(
            parse_value("101%", Unit::Percent),
            Err(InputError::AboveMax { max: "100%".into() })
        );
        assert_eq!(parse_value("-5", Unit::Yen), Err(InputError::Negative));
        assert_eq!(parse_divisor("0", Unit::Count), Err(InputError::Zero));
        assert_eq!(parse_divisor("10人", Unit::Count).ok(), None);
        assert_eq!(parse_divisor("10", Unit::Count), Ok(10.0));
        assert_eq!(
            parse_value("99999999999999", Unit::Yen),
            Err(InputError::AboveMax {
                max: "10兆".into()
            })
        );
    }

    #[test]
    fn messages_in_japanese() {
        insta::assert_snapshot!(
            [
                InputError::Empty,
                InputError::NotANumber { text: "abc".into() },
                InputError::Negative,
                InputError::Zero,
                InputError::AboveMax { max: "100%".into() },
                InputError::MoreThan { whole: "今月の顧客数".into() },
            ]
            .iter()
            .map(|e| e.to_string())
            .collect::<Vec<_>>()
            .join("\n"),
            @r"
        値を入力してください
        「abc」を数値として読めません（例: 5000、5,000、¥5,000、30%）
        0以上の値を入力してください
        0より大きい値を入力してください（割り算に使います）
        100%以下の値を入力してください
        「今月の顧客数」以下の値を入力してください
        "
        );
    }

    #[test]
    fn formats() {
        let cases: &[(f64, &str, &str, &str)] = &[
            (15000.0, "¥15,000", "15,000", "15,000.0"),
            (0.0, "¥0", "0", "0.0"),
            (999.5, "¥1,000", "1,000", "999.5"),
            (1234567.0, "¥1,234,567", "1,234,567", "1,234,567.0"),
            (-1500.0, "-¥1,500", "-1,500", "-1,500.0"),
            (f64::INFINITY, "—", "—", "—"),
        ];
        for &(v, yen, count, dec) in cases {
            assert_eq!(format_yen(v), yen);
            assert_eq!(format_count(v), count);
            assert_eq!(format_decimal(v), dec);
        }
        assert_eq!(format_rate(0.1), "10.0%");
        assert_eq!(format_rate(f64::NAN), "—");
        assert_eq!(format_plain(5000.0), "5000");
        assert_eq!(format_plain(1.5), "1.5");
    }

    proptest! {
        #[test]
        fn formatted_yen_reads_back(v in 0u64..10_000_000_000) {
            let shown = format_yen(v as f64);
            prop_assert_eq!(parse_number(&shown), Ok(v as f64));
        }

        #[test]
        fn any_text_is_a_number_or_a_message(text in "\\PC{0,12}") {
            match parse_number(&text) {
                Ok(v) => prop_assert!(v.is_finite()),
                Err(e) => prop_assert!(!e.to_string().is_empty()),
            }
        }
    }
}

#[cfg(test)]
mod hostile_tests {
    use super::*;

    #[test]
    fn a_long_paste_is_quoted_by_its_start() {
        let long = "x".repeat(10_000);
        let message = parse_number(&long).unwrap_err().to_string();
        assert!(message.chars().count() < 80, "{message}");
        assert!(message.starts_with(&format!("「{}…」", "x".repeat(30))));
    }
}
