//! What can stop a prediction: [`ModelError`]. Messages are in Japanese: the UI shows them
//! as they are, and a failed fit never shows numbers.

use std::fmt;

use serde::{Deserialize, Serialize};

use crate::orders::{iso_date, Day};

/// Why the models cannot be fitted or used.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct ModelError {
    kind: ModelErrorKind,
}

/// Which model a message is about.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ModelName {
    /// BG/NBD: 購入回数と離脱のモデル.
    BgNbd,
    /// Gamma-Gamma: 注文金額のモデル.
    GammaGamma,
    /// Pareto/NBD: 購入回数と離脱のモデル (離脱はいつでも).
    ParetoNbd,
    /// MBG/NBD: 購入回数と離脱のモデル (初回購入の直後にも離脱).
    MbgNbd,
}

impl ModelName {
    /// The name shown to the user.
    pub fn label(self) -> &'static str {
        match self {
            ModelName::BgNbd => "BG/NBDモデル（購入回数）",
            ModelName::GammaGamma => "Gamma-Gammaモデル（注文金額）",
            ModelName::ParetoNbd => "Pareto/NBDモデル（購入回数）",
            ModelName::MbgNbd => "MBG/NBDモデル（購入回数）",
        }
    }
}

/// The kinds of failure, each saying where.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum ModelErrorKind {
    /// No customer made a first purchase on or before the calibration end day.
    NoCustomers { calibration_end: Day },
    /// The calibration end day is before the first order.
    CalibrationBeforeData {
        calibration_end: Day,
        first_day: Day,
    },
    /// Fewer customers than a fit needs.
    TooFewCustomers {
        model: ModelName,
        count: u64,
        minimum: u64,
    },
    /// No customer bought twice: the repeat behaviour cannot be estimated.
    NoRepeatCustomers,
    /// Every order has a negative amount (returns): there is no purchase to learn from.
    OnlyReturns { orders: u64 },
    /// No repeat customer has a positive average order value (Gamma-Gamma).
    NoPositiveSpend { excluded: u64 },
    /// The optimiser did not reach a maximum of the likelihood.
    NotConverged { model: ModelName, iterations: u64 },
    /// A setting or parameter outside its range (`name` is the field name).
    InvalidParameter { name: String, value: f64 },
}

impl ModelError {
    /// An error of the given kind.
    pub fn new(kind: ModelErrorKind) -> Self {
        ModelError { kind }
    }

    /// What went wrong.
    pub fn kind(&self) -> &ModelErrorKind {
        &self.kind
    }

    /// The Japanese message shown to the user.
    pub fn message(&self) -> String {
        self.to_string()
    }

    pub(crate) fn invalid(name: &str, value: f64) -> Self {
        ModelError::new(ModelErrorKind::InvalidParameter {
            name: name.to_string(),
            value,
        })
    }
}

impl From<ModelErrorKind> for ModelError {
    fn from(kind: ModelErrorKind) -> Self {
        ModelError::new(kind)
    }
}

/// The Japanese name of a setting or parameter, for messages.
fn parameter_label(name: &str) -> &str {
    match name {
        "horizon_months" => "予測期間（月）",
        "monthly_discount" => "月次割引率",
        "margin" => "利益率",
        "calibration_end" => "学習期間の終わり",
        "holdout_end" => "検証期間の終わり",
        "sleep" => "スリープのしきい値",
        "dormant" => "休眠のしきい値",
        other => other,
    }
}

impl fmt::Display for ModelError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            ModelErrorKind::NoCustomers { calibration_end } => write!(
                f,
                "{}までに初回購入した顧客がいないため、予測モデルを推定できません。",
                iso_date(*calibration_end)
            ),
            ModelErrorKind::CalibrationBeforeData {
                calibration_end,
                first_day,
            } => write!(
                f,
                "学習期間の終わり（{}）が最初の注文日（{}）より前です。もっと後の日付を選んでください。",
                iso_date(*calibration_end),
                iso_date(*first_day)
            ),
            ModelErrorKind::TooFewCustomers {
                model,
                count,
                minimum,
            } => write!(
                f,
                "{}を推定するには少なくとも{minimum}人の顧客が必要ですが、{count}人しかいません。",
                model.label()
            ),
            ModelErrorKind::NoRepeatCustomers => write!(
                f,
                "2回以上購入した顧客がいないため、リピート購入の予測モデルを推定できません。"
            ),
            ModelErrorKind::OnlyReturns { orders } => write!(
                f,
                "{orders}件の注文がすべてマイナスの金額（返品など）で、購入がないため予測できません。金額の列の割り当てを確かめてください。"
            ),
            ModelErrorKind::NoPositiveSpend { excluded: 0 } => write!(
                f,
                "平均注文額が正のリピート顧客がいないため、注文金額のモデルを推定できません。"
            ),
            ModelErrorKind::NoPositiveSpend { excluded } => write!(
                f,
                "平均注文額が正のリピート顧客がいないため、注文金額のモデルを推定できません（0円以下の{excluded}人を除外）。"
            ),
            ModelErrorKind::NotConverged { model, iterations } => write!(
                f,
                "{}の推定が収束しませんでした（{iterations}回反復）。データがこのモデルに合っていない可能性があるため、数値は表示しません。",
                model.label()
            ),
            ModelErrorKind::InvalidParameter { name, value } => write!(
                f,
                "{}の値「{value}」は範囲外です。",
                parameter_label(name)
            ),
        }
    }
}

impl std::error::Error for ModelError {}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::orders::day_from_ymd;

    #[test]
    fn messages_are_pinned() {
        let day = day_from_ymd(1997, 9, 30).unwrap();
        let first = day_from_ymd(1997, 1, 1).unwrap();
        let kinds = vec![
            ModelErrorKind::NoCustomers {
                calibration_end: day,
            },
            ModelErrorKind::CalibrationBeforeData {
                calibration_end: day,
                first_day: first,
            },
            ModelErrorKind::TooFewCustomers {
                model: ModelName::BgNbd,
                count: 1,
                minimum: 2,
            },
            ModelErrorKind::NoRepeatCustomers,
            ModelErrorKind::NoPositiveSpend { excluded: 0 },
            ModelErrorKind::NoPositiveSpend { excluded: 3 },
            ModelErrorKind::NotConverged {
                model: ModelName::GammaGamma,
                iterations: 500,
            },
            ModelErrorKind::InvalidParameter {
                name: "monthly_discount".into(),
                value: -0.5,
            },
            ModelErrorKind::InvalidParameter {
                name: "alpha".into(),
                value: 0.0,
            },
        ];
        let messages: Vec<String> = kinds
            .into_iter()
            .map(|k| ModelError::new(k).message())
            .collect();
        insta::assert_snapshot!(messages.join("\n"));
    }
}

#[cfg(test)]
mod only_returns_tests {
    use crate::model::{predict, ModelParams};
    use crate::orders::{Order, OrderTable};

    #[test]
    fn all_negative_amounts_name_their_cause() {
        let table = OrderTable {
            customer_keys: ["a", "b"].into(),
            orders: vec![
                Order {
                    customer: 0,
                    day: 100,
                    amount: -1000.0,
                },
                Order {
                    customer: 0,
                    day: 130,
                    amount: -500.0,
                },
                Order {
                    customer: 1,
                    day: 140,
                    amount: -700.0,
                },
            ],
            ..Default::default()
        };
        let err = predict(&table, &ModelParams::new()).unwrap_err();
        assert_eq!(
            err.message(),
            "3件の注文がすべてマイナスの金額（返品など）で、購入がないため予測できません。金額の列の割り当てを確かめてください。"
        );
    }
}
