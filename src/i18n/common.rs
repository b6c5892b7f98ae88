//! Words both pages use: the app's name, the crash screen, the views, the terms explained
//! on tap, and the small formatters of counts and missing figures.

use ltv_core::input::format_decimal;
use ltv_core::input::format_rate;
use ltv_core::input::format_yen;

pub const APP_NAME: &str = "LTV診断";
pub const TAGLINE: &str = "通販のお客さま1人の価値と、次の一手がわかる無料診断";
pub const PRIVACY: &str = "入力した数字はこの端末の中だけで計算され、どこにも送信されません。";
pub const CRASH_TITLE: &str = "申し訳ありません。計算中に問題が起きました。";
pub const CRASH_BODY: &str =
    "入力した数字はリンクに残っています。再読み込みすると続きから使えます。";
pub const CRASH_RELOAD: &str = "再読み込み";
pub const FOOTER: &str =
    "計算式は通販の実務で使われる定義によります。結果は入力した数字からの試算です。";

// ---- Terms, explained on tap ----

/// A term the page explains on tap.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Term {
    Ltv,
    GrossLtv,
    MarginRate,
    Cpo,
    RepeaterRate,
    RepeatRate,
    F2,
    Sellability,
    Rfm,
    Cpm,
    PAlive,
}

pub fn term_name(term: Term) -> &'static str {
    match term {
        Term::Ltv => "通販LTV",
        Term::GrossLtv => "粗利LTV",
        Term::MarginRate => "粗利率",
        Term::Cpo => "CPO",
        Term::RepeaterRate => "リピーター率",
        Term::RepeatRate => "リピート率",
        Term::F2 => "F2転換率",
        Term::Sellability => "売れる通販指数",
        Term::Rfm => "RFM分析",
        Term::Cpm => "CPM分析",
        Term::PAlive => "まだ顧客でいる確率（P(alive)）",
    }
}

pub fn term_explanation(term: Term) -> &'static str {
    match term {
        Term::Ltv => "お客さま1人が、つきあいの続く期間に買ってくれる金額の合計です。平均注文単価 × 年間購入回数 × 継続年数で出します。",
        Term::GrossLtv => "通販LTVのうち、売れるたびにかかる費用を引いて手元に残る分です。通販LTV × 粗利率。獲得や維持に使えるのはこの金額です。",
        Term::MarginRate => "売上から、原価だけでなく送料・決済手数料・梱包など売れるたびにかかる費用も引いた残りの割合です。会計では限界利益率とも呼びます。結果の「粗利LTV」に合わせて、このツールでは粗利率と呼びます。",
        Term::Cpo => "Cost Per Order。新規のお客さま1人に初めて買ってもらうまでにかかった広告費です。広告費 ÷ 新規顧客数。",
        Term::RepeaterRate => "その月に買ったお客さまのうち、2回目以降の購入だった人の割合です。新規が減ると上がるので、新規数と並べて見ます。",
        Term::RepeatRate => "これまでに買ったことのある全員のうち、その月にまた買った人の割合です。美容室や飲食店のように、同じ人に通ってもらう商売向けの指標です。",
        Term::F2 => "初めて買ったお客さまのうち、2回目も買った人の割合です。通販のLTVを最も大きく左右します。",
        Term::Sellability => "提示価格 × 買いたいと言った人数 ÷ 話を聞いた人数。2,000以上ならWEBで売り始めてよい目安です。",
        Term::Rfm => "最近いつ買ったか（R）、何回買ったか（F）、いくら使ったか（M）をそれぞれ1〜5点で採点し、その組み合わせでお客さまを分ける方法です。",
        Term::Cpm => "注文回数・累計購入金額・おつきあいの長さ（初回から最新の注文までの日数）でお客さまを5つの段階に分け、しばらく注文のない人を「離脱客」として分ける方法です。",
        Term::PAlive => "最後の注文からの日数を、その人のふだんの購入の間隔と比べて出した、まだお客さまでいる見込みです。ふだんより間が空いている人ほど低くなります。",
    }
}

/// The label of the button that explains a term: 「CPOとは」.
pub fn term_button_label(term: Term) -> String {
    format!("{}とは", term_name(term))
}

// ---- Views ----
pub const VIEW_DIAGNOSIS: &str = "無料診断";
pub const VIEW_CSV: &str = "CSV分析";
pub const VIEWS_LABEL: &str = "表示の切り替え";

// ---- Japanese typography between the words ----
/// Between a label and what follows it: 「読み込むデータ：…」.
pub const COLON: &str = "：";
/// The summary of a fold that holds the figures' definitions and formulas.
pub const MORE: &str = "詳しく";
/// The mark on the button that explains a term.
pub const TERM_MARK: &str = "？";

/// A figure or a note in full-width parentheses after what it qualifies: 「（12.5%）」.
pub fn in_parens(text: &str) -> String {
    format!("（{text}）")
}

/// Units written after a figure, kept on one line with it: 「12.5%」「3倍」「4か月」.
pub const FIGURE_UNITS: [&str; 12] = [
    "か月",
    "%",
    "円",
    "倍",
    "回",
    "人",
    "件",
    "年",
    "日",
    "万",
    "億",
    "ポイント",
];
/// Written before an amount rounded to three significant figures: 「約¥1,230,000,000,000,000」.
pub const ABOUT: char = '約';

pub fn percent(fraction: f64) -> String {
    format!("{:.0}%", (fraction * 100.0).clamp(0.0, 100.0))
}

pub fn count_people(n: u64) -> String {
    format!("{}人", ltv_core::input::format_count(n as f64))
}

pub fn count_rows(n: u64) -> String {
    format!("{}行", ltv_core::input::format_count(n as f64))
}

pub fn count_orders(n: u64) -> String {
    format!("{}件", ltv_core::input::format_count(n as f64))
}

// ---- Tables, counts and missing figures ----
pub const SORT_HINT: &str = "押すと並べ替え";
pub const NONE: &str = "—";

pub fn yen_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), format_yen)
}

pub fn rate_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), format_rate)
}

/// A number of times with one decimal: 「3.1回」.
pub fn times(value: f64) -> String {
    format!("{}回", format_decimal(value))
}

pub fn times_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), times)
}

/// A number of days with one decimal: 「58.9日」.
pub fn days_or_none(value: Option<f64>) -> String {
    value.map_or_else(|| NONE.to_string(), |v| format!("{}日", format_decimal(v)))
}

/// A whole number of times: 「3回」.
pub fn count_times(n: u64) -> String {
    format!("{}回", ltv_core::input::format_count(n as f64))
}

pub fn count(n: u64) -> String {
    ltv_core::input::format_count(n as f64)
}

pub fn tick_yen(v: f64) -> String {
    format_yen(v)
}

pub fn tick_count(v: f64) -> String {
    ltv_core::input::format_count(v)
}
