//! What can be wrong with analysis settings. Messages are in Japanese: the UI shows them as
//! they are.

use std::fmt;

use serde::{Deserialize, Serialize};

/// A setting of the analysis that cannot be used as given.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub struct AnalysisError {
    kind: AnalysisErrorKind,
}

/// The RFM axis a threshold belongs to.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum RfmAxis {
    Recency,
    Frequency,
    Monetary,
}

impl RfmAxis {
    /// The axis as [`AnalysisErrorKind::RfmThresholds`]'s message names it.
    fn name_in_message(self) -> &'static str {
        match self {
            RfmAxis::Recency => "R(最終注文からの日数)",
            RfmAxis::Frequency => "F(注文回数)",
            RfmAxis::Monetary => "M(累計購入金額)",
        }
    }
}

/// The kinds of bad setting, each naming the setting.
#[non_exhaustive]
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
pub enum AnalysisErrorKind {
    /// 分析期間: only 1 or 2 years.
    Horizon { years: u32 },
    /// F2転換率の日数: at least 1.
    F2Days { days: u32 },
    /// The day bounds of the six segments do not increase.
    SegmentDays {
        active_days: u32,
        sleep_days: u32,
        half_dormant_days: u32,
    },
    /// The order counts of the six segments do not make three groups.
    SegmentOrders {
        candidate_orders: u64,
        regular_orders: u64,
    },
    /// RFM thresholds of one axis that do not strictly increase.
    RfmThresholds { axis: RfmAxis },
    /// A CPM threshold that is zero, negative or not a number.
    CpmRules,
    /// The summary could not be written as JSON.
    Json { message: String },
}

impl AnalysisError {
    /// An error of the given kind.
    pub fn new(kind: AnalysisErrorKind) -> Self {
        AnalysisError { kind }
    }

    /// What is wrong.
    pub fn kind(&self) -> &AnalysisErrorKind {
        &self.kind
    }

    /// The Japanese message shown to the user.
    pub fn message(&self) -> String {
        self.to_string()
    }
}

impl From<AnalysisErrorKind> for AnalysisError {
    fn from(kind: AnalysisErrorKind) -> Self {
        AnalysisError::new(kind)
    }
}

impl fmt::Display for AnalysisError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match &self.kind {
            AnalysisErrorKind::Horizon { years } => {
                write!(f, "分析期間は1年か2年を選んでください(指定: {years}年)")
            }
            AnalysisErrorKind::F2Days { days } => {
                write!(f, "F2転換率の日数は1日以上にしてください(指定: {days}日)")
            }
            AnalysisErrorKind::SegmentDays {
                active_days,
                sleep_days,
                half_dormant_days,
            } => write!(
                f,
                "セグメントの日数は「現役 < スリープ < 半休眠」の順に大きくしてください(指定: {active_days}日 / {sleep_days}日 / {half_dormant_days}日)"
            ),
            AnalysisErrorKind::SegmentOrders {
                candidate_orders,
                regular_orders,
            } => write!(
                f,
                "固定化候補の注文回数は2回以上、固定客はそれより多くしてください(指定: {candidate_orders}回 / {regular_orders}回)"
            ),
            AnalysisErrorKind::RfmThresholds { axis } => write!(
                f,
                "RFMの{}の区切りは、左から順に大きくなるように入れてください",
                axis.name_in_message()
            ),
            AnalysisErrorKind::CpmRules => write!(
                f,
                "CPM分析の日数と金額は、どれも0より大きい値にしてください"
            ),
            AnalysisErrorKind::Json { message } => {
                write!(f, "集計JSONを作れませんでした: {message}")
            }
        }
    }
}

impl std::error::Error for AnalysisError {}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn messages_are_pinned() {
        let kinds = [
            AnalysisErrorKind::Horizon { years: 3 },
            AnalysisErrorKind::F2Days { days: 0 },
            AnalysisErrorKind::SegmentDays {
                active_days: 90,
                sleep_days: 60,
                half_dormant_days: 365,
            },
            AnalysisErrorKind::SegmentOrders {
                candidate_orders: 1,
                regular_orders: 3,
            },
            AnalysisErrorKind::RfmThresholds {
                axis: RfmAxis::Recency,
            },
            AnalysisErrorKind::RfmThresholds {
                axis: RfmAxis::Frequency,
            },
            AnalysisErrorKind::RfmThresholds {
                axis: RfmAxis::Monetary,
            },
            AnalysisErrorKind::CpmRules,
            AnalysisErrorKind::Json {
                message: "x".into(),
            },
        ];
        let text: Vec<String> = kinds
            .into_iter()
            .map(|k| AnalysisError::from(k).message())
            .collect();
        insta::assert_snapshot!(text.join("\n"));
    }
}
