//! 信頼性の注意: when a prediction should be read with care, in plain Japanese.

use serde::{Deserialize, Serialize};

use super::error::ModelName;

/// Repeat customers below which the fit is flagged as unreliable.
pub const RECOMMENDED_REPEAT_CUSTOMERS: u64 = 100;
/// Calibration history (the oldest customer's T) below which the fit is flagged, in weeks.
pub const RECOMMENDED_HISTORY_WEEKS: f64 = 26.0;
/// Standard error over estimate above which a parameter is flagged as uncertain.
pub const MAX_RELATIVE_STANDARD_ERROR: f64 = 0.5;
/// Relative gap between predicted and actual holdout transactions above which the
/// validation is flagged.
pub const MAX_HOLDOUT_GAP: f64 = 0.2;

/// Something the user should know before trusting the figures.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum TrustWarning {
    /// Fewer repeat customers than [`RECOMMENDED_REPEAT_CUSTOMERS`].
    FewRepeatCustomers { count: u64, recommended: u64 },
    /// The calibration history is shorter than [`RECOMMENDED_HISTORY_WEEKS`].
    ShortHistory { weeks: f64 },
    /// A parameter's standard error is large against its value.
    UncertainParameter {
        model: ModelName,
        parameter: String,
        relative_error: f64,
    },
    /// The spend model could not be fitted: no 予想平均注文額 or 予測LTV; `reason` is the
    /// error's message.
    NoSpendModel { reason: String },
    /// Repeat customers left out of the spend model for a zero or negative mean value.
    SpendExcluded { count: u64 },
    /// q ≤ 1: the population mean order value is infinite, so customers without repeat
    /// purchases get no expected value.
    UnboundedMeanSpend,
    /// Days with nothing but returns, not counted as purchases.
    ReturnOnlyDays { count: u64 },
    /// Customers first seen after the calibration end: not in the fit, no prediction.
    CustomersAfterCalibration { count: u64 },
    /// A calibration end was given but no order comes after it: nothing to validate on.
    EmptyHoldout,
    /// Predicted and actual holdout transactions differ by more than [`MAX_HOLDOUT_GAP`].
    HoldoutGap { predicted: f64, actual: u64 },
    /// The purchase model's likelihood runs to a boundary: the predictions come from the
    /// best point; `notes` are the [`super::BoundaryNote`] meanings.
    FitAtBoundary {
        model: ModelName,
        notes: Vec<String>,
    },
}

impl TrustWarning {
    /// The Japanese message shown to the user.
    pub fn message(&self) -> String {
        match self {
            TrustWarning::FewRepeatCustomers { count, recommended } => format!(
                "2回以上購入した顧客が{count}人しかいません（目安は{recommended}人以上）。予測は大きくぶれる可能性があります。"
            ),
            TrustWarning::ShortHistory { weeks } => format!(
                "学習に使える期間が{weeks:.1}週しかありません（目安は{RECOMMENDED_HISTORY_WEEKS:.0}週以上）。購入の間隔を見積もるには短すぎる可能性があります。"
            ),
            TrustWarning::UncertainParameter {
                model,
                parameter,
                relative_error,
            } => format!(
                "{}のパラメータ{parameter}の標準誤差が推定値の{:.0}%あり、不確かです。",
                model.label(),
                relative_error * 100.0
            ),
            TrustWarning::NoSpendModel { reason } => format!(
                "注文金額のモデルを推定できないため、予想平均注文額と予測LTVは表示しません。理由: {reason}"
            ),
            TrustWarning::SpendExcluded { count } => format!(
                "平均リピート注文額が0円以下の顧客{count}人は、注文金額のモデルから除外しました。"
            ),
            TrustWarning::UnboundedMeanSpend => "注文金額のばらつきが大きく、全体の平均注文額を推定できません。リピート購入のない顧客の予想平均注文額は表示しません。".to_string(),
            TrustWarning::ReturnOnlyDays { count } => format!(
                "返品だけの日{count}件は購入として数えていません。"
            ),
            TrustWarning::CustomersAfterCalibration { count } => format!(
                "学習期間の後に初めて購入した顧客{count}人は、推定にも予測にも含まれていません。"
            ),
            TrustWarning::EmptyHoldout => "学習期間の後に注文がないため、予測と実績を比べる検証はできません。".to_string(),
            TrustWarning::HoldoutGap { predicted, actual } => format!(
                "検証期間のリピート購入は予測{predicted:.0}回に対し実績{actual}回で、{:.0}%ずれています。このデータにはモデルが合っていない可能性があります。",
                if *actual > 0 {
                    (predicted / *actual as f64 - 1.0).abs() * 100.0
                } else {
                    100.0
                }
            ),
            TrustWarning::FitAtBoundary { model, notes } => format!(
                "{}の推定は内側の最尤点に収束せず、境界に向かいました。予測は最良点から出しています。{}",
                model.label(),
                notes.join(" ")
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_pinned() {
        let warnings = vec![
            TrustWarning::FewRepeatCustomers {
                count: 42,
                recommended: RECOMMENDED_REPEAT_CUSTOMERS,
            },
            TrustWarning::ShortHistory { weeks: 12.43 },
            TrustWarning::UncertainParameter {
                model: ModelName::BgNbd,
                parameter: "a".into(),
                relative_error: 0.734,
            },
            TrustWarning::NoSpendModel {
                reason: "平均注文額が正のリピート顧客がいません。".into(),
            },
            TrustWarning::SpendExcluded { count: 3 },
            TrustWarning::UnboundedMeanSpend,
            TrustWarning::ReturnOnlyDays { count: 7 },
            TrustWarning::CustomersAfterCalibration { count: 120 },
            TrustWarning::EmptyHoldout,
            TrustWarning::HoldoutGap {
                predicted: 1500.4,
                actual: 1200,
            },
        ];
        let messages: Vec<String> = warnings.iter().map(TrustWarning::message).collect();
        insta::assert_snapshot!(messages.join("\n"));
    }
}
