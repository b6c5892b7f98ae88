//! The 診断 form: every input of the calculators, its default, its unit, and one evaluation
//! that turns the typed text into every result on the page.
//!
//! The form holds text as typed, so that a link can carry it and a reload restores it; the
//! evaluation reads each field once, reports what cannot be read next to its field, and
//! computes whatever the readable fields allow.
//!
//! The shop's own figures start empty: a result about the visitor's shop comes only from
//! numbers the visitor typed. The worked examples of the articles are placeholders
//! ([`Field::example`]), not values. Only the settings of a method (the horizon, the
//! retention method's discount and cap, the size of each lever) start at a value.

use std::collections::{BTreeMap, BTreeSet};

use super::diagnosis::{diagnose, Diagnosis};
use super::levers::{Baseline, LeverSettings, Simulation, STANDARD_STEP};
use super::{
    expected_years, ltv, ltv_rough, order_mix, profitability, repeat_rate, repeater_rate,
    sellability, OrderMix, Profitability, Sellability,
};
use crate::input::{parse_divisor, parse_number, parse_value, InputError, Unit};

/// How many product concepts 売れる通販指数 compares side by side.
pub const MAX_CONCEPTS: u8 = 5;

/// The longest retention horizon the retention method counts, in years.
pub const MAX_CAP_YEARS: f64 = 50.0;

/// An input of the 診断 form.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Field {
    /// 継続年数: the horizon of LTV, 1 or 2 years.
    Horizon,
    /// 平均注文単価 (AOV).
    AverageOrderValue,
    /// 年間購入回数.
    OrdersPerYear,
    /// 期間売上 (over the horizon).
    PeriodRevenue,
    /// 期間のユニーク顧客数.
    UniqueCustomers,
    /// 1回だけ購入した顧客数.
    OneTimeCustomers,
    /// リピート顧客数.
    RepeatCustomers,
    /// リピート顧客の平均購入回数.
    RepeatOrdersEach,
    /// 年間継続率.
    RetentionRate,
    /// 割引率（年）.
    DiscountRate,
    /// 上限年数 of the retention method.
    CapYears,
    /// 粗利率 (the contribution margin rate: revenue less every cost that comes with a sale).
    MarginRate,
    /// CPO: the cost of acquiring one new customer.
    Cpo,
    /// 既存顧客維持コスト per customer over the horizon.
    RetentionCost,
    /// 今月の顧客数.
    MonthCustomers,
    /// うちリピーター数 (of this month's customers).
    MonthRepeaters,
    /// 累計ユニーク顧客数.
    CumulativeCustomers,
    /// 今月のリピーター数 (for the cumulative base).
    CumulativeRepeaters,
    /// Lever: AOV up by upsell, cross-sell and a three-tier range (%).
    Basket,
    /// Lever: price rise (%).
    PriceRise,
    /// Lever: orders lost to the price rise (%).
    PriceRepeatLoss,
    /// Lever: orders a year up by reminders and loyalty work (%).
    FrequencyUp,
    /// Lever: CPO saved (%).
    CpoDown,
    /// Lever: retention cost saved (%).
    RetentionCostDown,
    /// How many concepts are compared (1 to 5).
    ConceptCount,
    /// A concept's name (free text), by concept number 1 to 5.
    ConceptName(u8),
    /// 提示価格 of a concept.
    ConceptPrice(u8),
    /// 購入希望者数 of a concept.
    ConceptBuyers(u8),
    /// 提案人数 of a concept.
    ConceptPitched(u8),
}

impl Field {
    /// Every field with a single value, in page order (concept fields are in
    /// [`Field::concept_fields`]).
    pub const SINGLE: [Field; 25] = [
        Field::Horizon,
        Field::AverageOrderValue,
        Field::OrdersPerYear,
        Field::PeriodRevenue,
        Field::UniqueCustomers,
        Field::OneTimeCustomers,
        Field::RepeatCustomers,
        Field::RepeatOrdersEach,
        Field::RetentionRate,
        Field::DiscountRate,
        Field::CapYears,
        Field::MarginRate,
        Field::Cpo,
        Field::RetentionCost,
        Field::MonthCustomers,
        Field::MonthRepeaters,
        Field::CumulativeCustomers,
        Field::CumulativeRepeaters,
        Field::FrequencyUp,
        Field::PriceRise,
        Field::PriceRepeatLoss,
        Field::Basket,
        Field::CpoDown,
        Field::RetentionCostDown,
        Field::ConceptCount,
    ];

    /// The lever fields of the simulator.
    pub const LEVERS: [Field; 6] = [
        Field::FrequencyUp,
        Field::PriceRise,
        Field::PriceRepeatLoss,
        Field::Basket,
        Field::CpoDown,
        Field::RetentionCostDown,
    ];

    /// The four fields of concept `n` (1-based).
    pub fn concept_fields(n: u8) -> [Field; 4] {
        [
            Field::ConceptName(n),
            Field::ConceptPrice(n),
            Field::ConceptBuyers(n),
            Field::ConceptPitched(n),
        ]
    }

    /// Every field of the form, concepts included.
    pub fn all() -> impl Iterator<Item = Field> {
        Field::SINGLE
            .into_iter()
            .chain((1..=MAX_CONCEPTS).flat_map(Field::concept_fields))
    }

    /// The short key of the field in a shared link.
    pub fn key(self) -> String {
        let fixed = match self {
            Field::Horizon => "h",
            Field::AverageOrderValue => "aov",
            Field::OrdersPerYear => "f",
            Field::PeriodRevenue => "rev",
            Field::UniqueCustomers => "cust",
            Field::OneTimeCustomers => "once",
            Field::RepeatCustomers => "rep",
            Field::RepeatOrdersEach => "repn",
            Field::RetentionRate => "ret",
            Field::DiscountRate => "disc",
            Field::CapYears => "cap",
            Field::MarginRate => "m",
            Field::Cpo => "cpo",
            Field::RetentionCost => "rc",
            Field::MonthCustomers => "mc",
            Field::MonthRepeaters => "mr",
            Field::CumulativeCustomers => "cc",
            Field::CumulativeRepeaters => "cr",
            Field::Basket => "up",
            Field::PriceRise => "pr",
            Field::PriceRepeatLoss => "prl",
            Field::FrequencyUp => "fu",
            Field::CpoDown => "cpod",
            Field::RetentionCostDown => "rcd",
            Field::ConceptCount => "n",
            Field::ConceptName(n) => return format!("c{n}name"),
            Field::ConceptPrice(n) => return format!("c{n}p"),
            Field::ConceptBuyers(n) => return format!("c{n}b"),
            Field::ConceptPitched(n) => return format!("c{n}n"),
        };
        fixed.to_string()
    }

    /// The field a link key names, if any.
    pub fn from_key(key: &str) -> Option<Field> {
        Field::all().find(|f| f.key() == key)
    }

    /// What the field holds.
    pub fn unit(self) -> Unit {
        match self {
            Field::AverageOrderValue
            | Field::PeriodRevenue
            | Field::Cpo
            | Field::RetentionCost
            | Field::ConceptPrice(_) => Unit::Yen,
            Field::RetentionRate
            | Field::DiscountRate
            | Field::MarginRate
            | Field::Basket
            | Field::PriceRise
            | Field::PriceRepeatLoss
            | Field::FrequencyUp
            | Field::CpoDown
            | Field::RetentionCostDown => Unit::Percent,
            Field::Horizon | Field::CapYears => Unit::Years,
            _ => Unit::Count,
        }
    }

    /// The text the form starts with: empty for the shop's own figures; a value only for the
    /// settings of a method (horizon, discount and cap of the retention method, lever sizes).
    pub fn default_text(self) -> String {
        let step = crate::input::format_plain(STANDARD_STEP * 100.0);
        let text = match self {
            Field::Horizon => "1",
            Field::DiscountRate => "0",
            Field::CapYears => "10",
            Field::Basket
            | Field::PriceRise
            | Field::FrequencyUp
            | Field::CpoDown
            | Field::RetentionCostDown => return step,
            Field::PriceRepeatLoss => "0",
            Field::ConceptCount => "1",
            Field::ConceptName(n) => {
                return format!("コンセプト{}", char::from(b'A' + n.saturating_sub(1)))
            }
            _ => "",
        };
        text.to_string()
    }

    /// The worked example of the source articles for a field the visitor fills in: shown as a
    /// placeholder, never used as a value (docs/domain.md §1–§4).
    pub fn example(self) -> Option<&'static str> {
        Some(match self {
            Field::AverageOrderValue => "5000",
            Field::OrdersPerYear => "3",
            Field::PeriodRevenue => "150000000",
            Field::UniqueCustomers => "10000",
            Field::OneTimeCustomers => "6000",
            Field::RepeatCustomers => "4000",
            Field::RepeatOrdersEach => "6",
            Field::RetentionRate => "50",
            Field::MarginRate => "40",
            Field::Cpo => "5000",
            Field::RetentionCost => "1000",
            Field::MonthCustomers => "1000",
            Field::MonthRepeaters => "700",
            Field::CumulativeCustomers => "700",
            Field::CumulativeRepeaters => "70",
            Field::ConceptPrice(_) => "4000",
            Field::ConceptBuyers(_) => "5",
            Field::ConceptPitched(_) => "10",
            _ => return None,
        })
    }

    /// A field the visitor may leave empty: it then counts as zero, and the page says so.
    pub fn optional(self) -> bool {
        matches!(self, Field::RetentionCost)
    }
}

/// The 診断 form as typed: text by field, defaults for what was never typed.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Form {
    typed: BTreeMap<Field, String>,
}

impl Form {
    /// A form with every field at its default: the shop's figures empty.
    pub fn new() -> Form {
        Form::default()
    }

    /// The form filled in with the worked examples of the articles (what the placeholders
    /// show), as if typed.
    pub fn example() -> Form {
        let mut form = Form::new();
        for field in Field::all() {
            if field == Field::ConceptPrice(1)
                || field == Field::ConceptBuyers(1)
                || field == Field::ConceptPitched(1)
                || Field::SINGLE.contains(&field)
            {
                if let Some(text) = field.example() {
                    form.set(field, text);
                }
            }
        }
        form
    }

    /// Whether the visitor has typed anything (the form differs from a new one).
    pub fn is_blank(&self) -> bool {
        self.typed.is_empty()
    }

    /// The text of a field: as typed, or its default.
    pub fn get(&self, field: Field) -> String {
        self.typed
            .get(&field)
            .cloned()
            .unwrap_or_else(|| field.default_text())
    }

    /// Sets a field's text; setting the default text forgets the field, so links stay short.
    pub fn set(&mut self, field: Field, text: impl Into<String>) {
        let text = text.into();
        if text == field.default_text() {
            self.typed.remove(&field);
        } else {
            self.typed.insert(field, text);
        }
    }

    /// The same form with one field set.
    pub fn with(mut self, field: Field, text: impl Into<String>) -> Form {
        self.set(field, text);
        self
    }

    /// How many concepts are shown: 1 to [`MAX_CONCEPTS`].
    pub fn concept_count(&self) -> u8 {
        parse_number(&self.get(Field::ConceptCount))
            .ok()
            .filter(|n| n.is_finite())
            .map(|n| n.clamp(1.0, f64::from(MAX_CONCEPTS)) as u8)
            .unwrap_or(1)
    }

    /// Shows one more concept, up to [`MAX_CONCEPTS`]; false when all are shown already.
    pub fn add_concept(&mut self) -> bool {
        let n = self.concept_count();
        if n >= MAX_CONCEPTS {
            return false;
        }
        self.set(Field::ConceptCount, (n + 1).to_string());
        true
    }

    /// Removes concept `n` (1-based): the ones after it move up one place. The last concept
    /// left cannot be removed.
    pub fn remove_concept(&mut self, n: u8) -> bool {
        let count = self.concept_count();
        if count <= 1 || n == 0 || n > count {
            return false;
        }
        for k in n..count {
            for (to, from) in Field::concept_fields(k)
                .into_iter()
                .zip(Field::concept_fields(k + 1))
            {
                let text = self.get(from);
                self.set(to, text);
            }
        }
        for field in Field::concept_fields(count) {
            self.typed.remove(&field);
        }
        self.set(Field::ConceptCount, (count - 1).to_string());
        true
    }

    /// The fields typed (those that differ from their defaults), in page order.
    pub fn typed(&self) -> impl Iterator<Item = (Field, &str)> {
        self.typed.iter().map(|(f, t)| (*f, t.as_str()))
    }

    /// The fields that differ from their defaults, as `(key, text)` pairs for a link.
    pub fn to_pairs(&self) -> Vec<(String, String)> {
        self.typed
            .iter()
            .map(|(f, t)| (f.key(), t.clone()))
            .collect()
    }

    /// A form from link pairs; unknown keys are ignored, later pairs win.
    pub fn from_pairs<K: AsRef<str>, V: Into<String>>(
        pairs: impl IntoIterator<Item = (K, V)>,
    ) -> Form {
        let mut form = Form::new();
        for (key, value) in pairs {
            if let Some(field) = Field::from_key(key.as_ref()) {
                form.set(field, value);
            }
        }
        form
    }
}

/// The LTV of the retention method.
#[derive(Clone, Copy, Debug, PartialEq)]
pub struct RetentionLtv {
    /// 期待継続年数 (discounted, capped).
    pub expected_years: f64,
    /// AOV × orders a year × expected years.
    pub ltv: f64,
}

/// A concept of 売れる通販指数 with its result.
#[derive(Clone, Debug, PartialEq)]
pub struct ConceptResult {
    pub number: u8,
    pub name: String,
    /// 提示価格, 購入希望者数 and 提案人数 as read, when all three could be.
    pub inputs: Option<(f64, f64, f64)>,
    pub sellability: Option<Sellability>,
}

/// Everything the page shows, computed from one reading of the form.
#[derive(Clone, Debug, PartialEq)]
pub struct Evaluation {
    /// What could not be read, by field: shown next to the field.
    pub errors: BTreeMap<Field, InputError>,
    /// The fields still empty: each block says which of its inputs it still needs.
    pub empty: BTreeSet<Field>,
    /// 既存顧客維持コスト was left empty and counts as ¥0.
    pub retention_cost_empty: bool,
    /// The horizon in years (1 or 2).
    pub horizon_years: u8,
    /// 平均注文単価 as read, for showing the formula.
    pub average_order_value: Option<f64>,
    /// 年間購入回数 as read.
    pub orders_per_year: Option<f64>,
    /// 通販LTV = AOV × orders a year × horizon.
    pub ltv: Option<f64>,
    /// 通販LTV by the rough method.
    pub ltv_rough: Option<f64>,
    /// Orders and LTV from the mix of one-time and repeat customers.
    pub order_mix: Option<OrderMix>,
    pub retention: Option<RetentionLtv>,
    pub profitability: Option<Profitability>,
    pub repeater_rate: Option<f64>,
    pub repeat_rate: Option<f64>,
    pub concepts: Vec<ConceptResult>,
    /// The lever settings as read (a lever that cannot be read counts as 0, and its field says
    /// why).
    pub levers: LeverSettings,
    /// The 診断, with the simulator inside it: one computation for both.
    pub diagnosis: Option<Diagnosis>,
}

impl Evaluation {
    /// The message for a field, if its text cannot be used.
    pub fn error(&self, field: Field) -> Option<&InputError> {
        self.errors.get(&field)
    }

    /// Of `fields`, those still empty or unreadable: what a block needs before it can answer.
    pub fn needs(&self, fields: &[Field]) -> Vec<Field> {
        fields
            .iter()
            .copied()
            .filter(|f| !f.optional() && (self.empty.contains(f) || self.errors.contains_key(f)))
            .collect()
    }

    /// The lever simulator: the one inside the 診断.
    pub fn simulation(&self) -> Option<&Simulation> {
        self.diagnosis.as_ref().map(|d| &d.simulation)
    }
}

/// The inputs the profit verdict needs, in the order the page asks for them.
pub const PROFIT_INPUTS: [Field; 4] = [
    Field::AverageOrderValue,
    Field::OrdersPerYear,
    Field::MarginRate,
    Field::Cpo,
];

/// The inputs 通販LTV needs.
pub const LTV_INPUTS: [Field; 2] = [Field::AverageOrderValue, Field::OrdersPerYear];

struct Reader<'a> {
    form: &'a Form,
    errors: BTreeMap<Field, InputError>,
    empty: BTreeSet<Field>,
}

impl Reader<'_> {
    fn note<T>(&mut self, field: Field, result: Result<T, InputError>) -> Option<T> {
        match result {
            Ok(v) => Some(v),
            Err(e) => {
                self.errors.insert(field, e);
                None
            }
        }
    }

    /// The text of a field, or `None` (noted as empty) when nothing is typed: not an error,
    /// just not yet there.
    fn text(&mut self, field: Field) -> Option<String> {
        let text = self.form.get(field);
        if text.trim().is_empty() {
            self.empty.insert(field);
            None
        } else {
            Some(text)
        }
    }

    fn value(&mut self, field: Field) -> Option<f64> {
        let text = self.text(field)?;
        self.note(field, parse_value(&text, field.unit()))
    }

    fn divisor(&mut self, field: Field) -> Option<f64> {
        let text = self.text(field)?;
        self.note(field, parse_divisor(&text, field.unit()))
    }

    /// A lever's size: each read on its own, so every bad one is reported; one that cannot be
    /// read (or is empty) leaves its lever at rest.
    fn lever(&mut self, field: Field) -> f64 {
        self.value(field).unwrap_or(0.0)
    }

    /// A part that may not exceed its whole.
    fn part_of(&mut self, field: Field, whole: Option<f64>, whole_label: &str) -> Option<f64> {
        let part = self.value(field)?;
        match whole {
            Some(w) if part > w => self.note(
                field,
                Err(InputError::MoreThan {
                    whole: whole_label.to_string(),
                }),
            ),
            _ => Some(part),
        }
    }
}

/// Reads the whole form and computes every result it allows.
///
/// # Examples
/// ```
/// use ltv_core::calc::form::{evaluate, Field, Form};
/// // A new form has nothing of the shop yet: no figure, no verdict.
/// let eval = evaluate(&Form::new());
/// assert_eq!(eval.ltv, None);
/// assert!(eval.diagnosis.is_none() && eval.errors.is_empty());
///
/// let eval = evaluate(&Form::example());
/// assert_eq!(eval.ltv, Some(15_000.0));
/// assert_eq!(eval.ltv_rough, Some(15_000.0));
/// assert_eq!(eval.order_mix.unwrap().orders, 30_000.0);
///
/// let eval = evaluate(&Form::example().with(Field::AverageOrderValue, "五千"));
/// assert!(eval.ltv.is_none());
/// assert!(eval.error(Field::AverageOrderValue).is_some());
/// ```
pub fn evaluate(form: &Form) -> Evaluation {
    let mut r = Reader {
        form,
        errors: BTreeMap::new(),
        empty: BTreeSet::new(),
    };

    let horizon_text = form.get(Field::Horizon);
    let horizon_years: u8 = match parse_number(&horizon_text) {
        Ok(2.0) => 2,
        Ok(1.0) => 1,
        _ => {
            r.note::<()>(
                Field::Horizon,
                Err(InputError::NotANumber {
                    text: horizon_text.clone(),
                }),
            );
            1
        }
    };
    let years = f64::from(horizon_years);

    let aov = r.value(Field::AverageOrderValue);
    let freq = r.value(Field::OrdersPerYear);
    let simple = aov.zip(freq).map(|(a, f)| ltv(a, f, years));

    let revenue = r.value(Field::PeriodRevenue);
    let customers = r.divisor(Field::UniqueCustomers);
    let rough = revenue
        .zip(customers)
        .and_then(|(rev, c)| ltv_rough(rev, c));

    let once = r.value(Field::OneTimeCustomers);
    let repeaters = r.value(Field::RepeatCustomers);
    let each = r.value(Field::RepeatOrdersEach);
    let mix = match (once, repeaters, each, aov) {
        (Some(o), Some(rep), Some(n), Some(a)) => {
            let mix = order_mix(o, rep, n, a);
            if mix.is_none() {
                r.note::<()>(Field::RepeatCustomers, Err(InputError::Zero));
            }
            mix
        }
        _ => None,
    };

    let retention_rate = r.value(Field::RetentionRate);
    let discount = r.value(Field::DiscountRate);
    let cap = r.divisor(Field::CapYears).and_then(|cap| {
        if cap > MAX_CAP_YEARS {
            r.note(
                Field::CapYears,
                Err(InputError::AboveMax {
                    max: format!("{MAX_CAP_YEARS}年"),
                }),
            )
        } else {
            Some(cap)
        }
    });
    let retention = match (retention_rate, discount, cap, aov, freq) {
        (Some(rate), Some(d), Some(cap), Some(a), Some(f)) => {
            expected_years(rate, d, cap).map(|expected| RetentionLtv {
                expected_years: expected,
                ltv: ltv(a, f, expected),
            })
        }
        _ => None,
    };

    let margin = r.value(Field::MarginRate);
    let cpo = r.value(Field::Cpo);
    let retention_cost_empty = form.get(Field::RetentionCost).trim().is_empty();
    let retention_cost = if retention_cost_empty {
        r.empty.insert(Field::RetentionCost);
        Some(0.0)
    } else {
        r.value(Field::RetentionCost)
    };
    let baseline = match (aov, freq, margin, cpo, retention_cost) {
        (Some(a), Some(f), Some(m), Some(c), Some(rc)) => Some(Baseline {
            average_order_value: a,
            orders_per_year: f,
            years,
            margin_rate: m,
            cpo: c,
            retention_cost: rc,
        }),
        _ => None,
    };
    let profit = baseline.map(|b| {
        profitability(
            b.average_order_value,
            b.orders_per_year,
            b.years,
            b.margin_rate,
            b.cpo,
            b.retention_cost,
        )
    });

    let month_customers = r.divisor(Field::MonthCustomers);
    let month_repeaters = r.part_of(Field::MonthRepeaters, month_customers, "今月の顧客数");
    let repeater = month_customers
        .zip(month_repeaters)
        .and_then(|(c, rep)| repeater_rate(c, rep));
    let cumulative = r.divisor(Field::CumulativeCustomers);
    let cumulative_repeaters =
        r.part_of(Field::CumulativeRepeaters, cumulative, "累計ユニーク顧客数");
    let repeat = cumulative
        .zip(cumulative_repeaters)
        .and_then(|(c, rep)| repeat_rate(c, rep));

    let concepts = (1..=form.concept_count())
        .map(|n| {
            let price = r.value(Field::ConceptPrice(n));
            let buyers = r.value(Field::ConceptBuyers(n));
            let pitched = r.divisor(Field::ConceptPitched(n));
            let buyers = match (buyers, pitched) {
                (Some(b), Some(p)) if b > p => r.note(
                    Field::ConceptBuyers(n),
                    Err(InputError::MoreThan {
                        whole: "提案人数".to_string(),
                    }),
                ),
                _ => buyers,
            };
            let name = form.get(Field::ConceptName(n));
            let inputs = match (price, buyers, pitched) {
                (Some(p), Some(b), Some(n)) => Some((p, b, n)),
                _ => None,
            };
            ConceptResult {
                number: n,
                inputs,
                name: if name.trim().is_empty() {
                    Field::ConceptName(n).default_text()
                } else {
                    name.trim().to_string()
                },
                sellability: inputs.and_then(|(p, b, n)| sellability(p, b, n)),
            }
        })
        .collect();

    let levers = LeverSettings {
        frequency_up: r.lever(Field::FrequencyUp),
        price_rise: r.lever(Field::PriceRise),
        price_repeat_loss: r.lever(Field::PriceRepeatLoss),
        basket: r.lever(Field::Basket),
        cpo_down: r.lever(Field::CpoDown),
        retention_cost_down: r.lever(Field::RetentionCostDown),
    };
    let diagnosis = baseline.map(|b| diagnose(&b, &levers));

    Evaluation {
        errors: r.errors,
        empty: r.empty,
        retention_cost_empty,
        horizon_years,
        average_order_value: aov,
        orders_per_year: freq,
        ltv: simple,
        ltv_rough: rough,
        order_mix: mix,
        retention,
        profitability: profit,
        repeater_rate: repeater,
        repeat_rate: repeat,
        concepts,
        levers,
        diagnosis,
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    #[test]
    fn a_new_form_judges_nothing_and_says_what_it_needs() {
        let e = evaluate(&Form::new());
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert_eq!((e.ltv, e.ltv_rough, e.repeater_rate), (None, None, None));
        assert!(e.profitability.is_none() && e.diagnosis.is_none());
        assert_eq!(e.needs(&PROFIT_INPUTS), PROFIT_INPUTS);
        assert!(e.concepts[0].sellability.is_none());
        // The LTV inputs alone give LTV; the verdict still needs 粗利率 and CPO.
        let e = evaluate(
            &Form::new()
                .with(Field::AverageOrderValue, "5000")
                .with(Field::OrdersPerYear, "3"),
        );
        assert_eq!(e.ltv, Some(15_000.0));
        assert_eq!(e.needs(&PROFIT_INPUTS), [Field::MarginRate, Field::Cpo]);
        assert!(e.diagnosis.is_none());
        // Retention cost may stay empty: it counts as ¥0, and the evaluation says so.
        let e = evaluate(
            &Form::new()
                .with(Field::AverageOrderValue, "5000")
                .with(Field::OrdersPerYear, "3")
                .with(Field::MarginRate, "40")
                .with(Field::Cpo, "4000"),
        );
        assert!(e.retention_cost_empty);
        assert_eq!(e.needs(&PROFIT_INPUTS), []);
        assert_eq!(e.profitability.unwrap().profit, 2_000.0);
        assert!(e.diagnosis.is_some());
    }

    #[test]
    fn examples_are_the_worked_examples() {
        let e = evaluate(&Form::example());
        assert!(e.errors.is_empty(), "{:?}", e.errors);
        assert_eq!(e.horizon_years, 1);
        assert_eq!(e.ltv, Some(15_000.0));
        assert_eq!(e.ltv_rough, Some(15_000.0));
        let mix = e.order_mix.unwrap();
        assert_eq!((mix.orders, mix.ltv), (30_000.0, 15_000.0));
        assert_eq!(e.repeater_rate, Some(0.7));
        assert_eq!(e.repeat_rate, Some(0.1));
        assert_eq!(e.concepts.len(), 1);
        assert_eq!(e.concepts[0].sellability.unwrap().index, 2_000.0);
        assert!(e.profitability.is_some() && e.simulation().is_some());
        // AOV 5,000 × 3 × 40 % = 6,000 = CPO 5,000 + retention 1,000: exactly paid back.
        assert_eq!(
            e.profitability.unwrap().recovery,
            crate::calc::Recovery::BreaksEven
        );
        for field in Field::all() {
            if let Some(example) = field.example() {
                assert!(field.default_text().is_empty(), "{field:?} starts empty");
                assert!(parse_number(example).is_ok(), "{field:?}");
            }
        }
    }

    #[test]
    fn horizon_of_two_years_doubles_ltv() {
        let e = evaluate(&Form::example().with(Field::Horizon, "2"));
        assert_eq!(e.ltv, Some(30_000.0));
        assert_eq!(e.profitability.unwrap().ltv, 30_000.0);
    }

    #[test]
    fn japanese_typing_is_read() {
        let form = Form::new()
            .with(Field::AverageOrderValue, "¥5,000")
            .with(Field::OrdersPerYear, "３")
            .with(Field::MarginRate, "30%")
            .with(Field::Cpo, "１万");
        let e = evaluate(&form);
        assert_eq!(e.ltv, Some(15_000.0));
        assert_eq!(e.profitability.unwrap().gross_ltv, 4_500.0);
    }

    #[test]
    fn bad_input_is_reported_at_its_field_and_blocks_only_its_results() {
        let cases: &[(Field, &str, InputError)] = &[
            (
                Field::AverageOrderValue,
                "abc",
                InputError::NotANumber { text: "abc".into() },
            ),
            (Field::OrdersPerYear, "-3", InputError::Negative),
            (Field::UniqueCustomers, "0", InputError::Zero),
            (
                Field::MarginRate,
                "120%",
                InputError::AboveMax { max: "100%".into() },
            ),
            (
                Field::MonthRepeaters,
                "1200",
                InputError::MoreThan {
                    whole: "今月の顧客数".into(),
                },
            ),
            (Field::ConceptPitched(1), "0", InputError::Zero),
            (
                Field::ConceptBuyers(1),
                "11",
                InputError::MoreThan {
                    whole: "提案人数".into(),
                },
            ),
            (
                Field::CapYears,
                "80",
                InputError::AboveMax {
                    max: "50年".into()
                },
            ),
            (
                Field::Horizon,
                "3",
                InputError::NotANumber { text: "3".into() },
            ),
        ];
        for (field, text, want) in cases {
            let e = evaluate(&Form::example().with(*field, *text));
            assert_eq!(e.error(*field), Some(want), "{field:?} = {text:?}");
            assert_eq!(e.errors.len(), 1, "{field:?}: {:?}", e.errors);
        }
        let e = evaluate(&Form::example().with(Field::UniqueCustomers, "0"));
        assert_eq!(e.ltv_rough, None);
        assert_eq!(e.ltv, Some(15_000.0), "other calculators keep working");
        // Emptied again: no message, the field is simply needed.
        let e = evaluate(&Form::example().with(Field::Cpo, ""));
        assert!(e.errors.is_empty());
        assert_eq!(e.needs(&PROFIT_INPUTS), [Field::Cpo]);
        assert!(e.diagnosis.is_none());
    }

    #[test]
    fn every_bad_lever_is_reported_and_the_others_still_count() {
        let e = evaluate(
            &Form::example()
                .with(Field::FrequencyUp, "abc")
                .with(Field::PriceRise, "-5")
                .with(Field::RetentionCostDown, "200"),
        );
        assert_eq!(e.errors.len(), 3, "{:?}", e.errors);
        assert_eq!(e.levers.frequency_up, 0.0);
        assert_eq!(e.levers.price_rise, 0.0);
        assert_eq!(e.levers.basket, 0.1);
        assert!(
            e.diagnosis.is_some(),
            "a bad lever does not hide the verdict"
        );
    }

    #[test]
    fn concepts_side_by_side() {
        let form = Form::example()
            .with(Field::ConceptCount, "3")
            .with(Field::ConceptPrice(2), "3000")
            .with(Field::ConceptBuyers(2), "5")
            .with(Field::ConceptPitched(2), "10")
            .with(Field::ConceptName(3), "  定期便  ");
        let e = evaluate(&form);
        assert_eq!(e.concepts.len(), 3);
        assert_eq!(e.concepts[1].name, "コンセプトB");
        assert!(!e.concepts[1].sellability.unwrap().passes);
        assert_eq!(e.concepts[2].name, "定期便");
        assert_eq!(e.error(Field::ConceptPrice(3)), None);
        assert!(e.empty.contains(&Field::ConceptPrice(3)));
        assert!(e.concepts[2].sellability.is_none());
        assert_eq!(
            Form::new().with(Field::ConceptCount, "9").concept_count(),
            5
        );
        assert_eq!(
            Form::new().with(Field::ConceptCount, "x").concept_count(),
            1
        );
    }

    #[test]
    fn concepts_added_and_removed() {
        let mut form = Form::new();
        assert!(form.add_concept());
        form.set(Field::ConceptName(2), "定期便");
        form.set(Field::ConceptPrice(2), "3000");
        assert!(form.add_concept());
        form.set(Field::ConceptName(3), "ギフト");
        assert!(form.remove_concept(2));
        assert_eq!(form.concept_count(), 2);
        assert_eq!(form.get(Field::ConceptName(2)), "ギフト");
        assert_eq!(form.get(Field::ConceptPrice(2)), "");
        assert_eq!(form.get(Field::ConceptName(3)), "コンセプトC");
        assert!(form.remove_concept(1));
        assert!(!form.remove_concept(1), "the last concept stays");
        assert_eq!(form.get(Field::ConceptName(1)), "ギフト");
        for _ in 0..10 {
            form.add_concept();
        }
        assert_eq!(form.concept_count(), MAX_CONCEPTS);
        assert!(!form.add_concept());
    }

    #[test]
    fn links_carry_exactly_what_was_typed() {
        let form = Form::new()
            .with(Field::AverageOrderValue, "6,000")
            .with(Field::ConceptName(2), "定期便")
            .with(Field::OrdersPerYear, "3")
            .with(Field::Basket, "10");
        let pairs = form.to_pairs();
        assert_eq!(
            pairs,
            [
                ("aov".to_string(), "6,000".to_string()),
                ("f".to_string(), "3".to_string()),
                ("c2name".to_string(), "定期便".to_string())
            ],
            "a lever left at its 10 % is not carried"
        );
        assert!(Form::new().is_blank() && !form.is_blank());
        assert_eq!(Form::from_pairs(pairs.clone()), form);
        assert_eq!(
            Form::from_pairs([
                ("zzz", "1"),
                ("aov", "6,000"),
                ("f", "3"),
                ("c2name", "定期便")
            ]),
            form
        );
    }

    #[test]
    fn keys_are_unique() {
        let keys: Vec<String> = Field::all().map(Field::key).collect();
        let mut sorted = keys.clone();
        sorted.sort();
        sorted.dedup();
        assert_eq!(keys.len(), sorted.len());
        for f in Field::all() {
            assert_eq!(Field::from_key(&f.key()), Some(f));
        }
    }

    proptest! {
        /// Whatever is typed anywhere, no figure is NaN or infinite.
        #[test]
        fn no_nan_on_screen(
            idx in 0usize..45, text in prop_oneof![
                "\\PC{0,8}".boxed(), "[-0-9,.%円¥]{0,10}".boxed(), Just("0".to_string()).boxed()
            ]
        ) {
            let field = Field::all().nth(idx).unwrap();
            let e = evaluate(&Form::example().with(field, text).with(Field::ConceptCount, "5"));
            let mut figures: Vec<f64> = [e.ltv, e.ltv_rough, e.repeater_rate, e.repeat_rate]
                .into_iter().flatten().collect();
            if let Some(p) = e.profitability {
                figures.extend([p.ltv, p.gross_ltv, p.profit]);
                figures.extend([p.ltv_to_cpo, p.payback_months, p.break_even_orders].into_iter().flatten());
            }
            if let Some(r) = e.retention { figures.extend([r.ltv, r.expected_years]); }
            if let Some(s) = e.simulation() {
                figures.extend([s.base.ltv, s.with_levers.ltv, s.with_levers.profit]);
            }
            for c in &e.concepts {
                if let Some(s) = c.sellability { figures.push(s.index); }
            }
            for v in figures {
                prop_assert!(v.is_finite(), "{field:?}: {v}");
            }
        }

        /// Whatever is typed in the verdict's inputs, the 回収 judgement agrees with the profit
        /// per customer as shown, and the 診断 ranks with the simulator's one list.
        #[test]
        fn the_verdict_agrees_with_the_profit_shown(
            aov in "[0-9]{1,6}", freq in "[0-9]{1,2}(\\.[0-9])?", margin in "[0-9]{1,2}",
            cpo in "[0-9]{1,6}", cost in prop_oneof![Just(String::new()), "[0-9]{1,5}".boxed()],
            up in "[0-9]{1,2}",
        ) {
            let form = Form::new()
                .with(Field::AverageOrderValue, aov)
                .with(Field::OrdersPerYear, freq)
                .with(Field::MarginRate, margin)
                .with(Field::Cpo, cpo)
                .with(Field::RetentionCost, cost)
                .with(Field::FrequencyUp, up);
            let e = evaluate(&form);
            let d = e.diagnosis.as_ref().unwrap();
            let p = e.profitability.unwrap();
            prop_assert_eq!(&d.figures, &p);
            let shown = crate::input::format_yen(p.profit);
            let want = if shown == "¥0" {
                crate::calc::Recovery::BreaksEven
            } else if shown.starts_with('-') {
                crate::calc::Recovery::Short
            } else {
                crate::calc::Recovery::Recovers
            };
            prop_assert_eq!(p.recovery, want);
            // The recommendations are the simulator's ranking, in its order.
            let ranked: Vec<_> = d.recommendations().map(|l| l.lever).collect();
            let from_sim: Vec<_> = e
                .simulation()
                .unwrap()
                .by_lever
                .iter()
                .filter(|l| l.profit_change.round() > 0.0)
                .map(|l| l.lever)
                .collect();
            prop_assert_eq!(ranked, from_sim);
        }
    }
}
