//! The state of the CSV analysis: the file, the import settings, what the worker found, and
//! where the work is. One reducer; the worker's answers arrive as actions.

use std::rc::Rc;

use ltv_core::analysis::{Analysis, AnalysisParams};
use ltv_core::forecast::Forecast;
use ltv_core::import::{
    ColumnRole, DateOrder, Delimiter, ImportError, ImportOptions, ImportReport, Platform,
    RevenueBasis, Sniff, TextEncoding,
};
use ltv_core::model::{AliveThresholds, ModelError, ModelParams};
use web_sys::Blob;
use yew::prelude::*;

use crate::worker::Stage;

/// The user's file, a paste or the sample, as a Blob the worker reads itself.
#[derive(Clone, Debug, PartialEq)]
pub struct Source {
    pub name: String,
    pub size: f64,
    pub blob: Blob,
}

/// Where the work is.
#[derive(Clone, Debug, PartialEq)]
pub enum Phase {
    /// Waiting for a file.
    Idle,
    /// The worker is looking at the start of the file.
    Sniffing,
    /// Settings shown; waiting for the user to import.
    Ready,
    Working {
        stage: Stage,
        fraction: f64,
    },
    Imported,
    Cancelled,
    /// The worker could not do what was asked (Japanese message).
    Failed(String),
}

#[derive(Clone, Debug, PartialEq)]
pub struct Session {
    pub source: Option<Source>,
    pub options: ImportOptions,
    pub sniff: Option<Result<Rc<Sniff>, ImportError>>,
    pub phase: Phase,
    pub report: Option<Result<Rc<ImportReport>, ImportError>>,
    /// How many imports have succeeded: a new one re-runs the analysis.
    pub imports: u32,
    /// The analysis settings (基準日, thresholds...).
    pub params: AnalysisParams,
    pub analysis: Option<Rc<Analysis>>,
    /// The 予測LTV settings.
    pub model_params: ModelParams,
    pub alive: AliveThresholds,
    pub forecast: Option<Result<Rc<Forecast>, ModelError>>,
    pub predicting: bool,
}

impl Default for Session {
    fn default() -> Self {
        Session {
            source: None,
            options: ImportOptions::new(),
            sniff: None,
            phase: Phase::Idle,
            report: None,
            imports: 0,
            params: AnalysisParams::default(),
            analysis: None,
            model_params: ModelParams::default(),
            alive: AliveThresholds::default(),
            forecast: None,
            predicting: false,
        }
    }
}

impl Session {
    /// Whether the import button can be pressed: settings known, dates settled, customers
    /// keyed, not busy.
    pub fn can_import(&self) -> bool {
        let sniffed = matches!(&self.sniff, Some(Ok(s))
            if (!s.date_order_ambiguous || self.options.date_order().is_some())
                && !s.rules.name_needs_consent
                && s.missing_roles().is_empty());
        sniffed && !self.is_busy()
    }

    pub fn is_busy(&self) -> bool {
        matches!(self.phase, Phase::Sniffing | Phase::Working { .. })
    }

    /// Whether imported orders are held by the worker, ready to analyse.
    pub fn has_orders(&self) -> bool {
        matches!(self.report, Some(Ok(_)))
    }
}

/// Today by the user's clock, for setting aside orders dated in the future.
#[cfg(target_arch = "wasm32")]
fn today() -> Option<ltv_core::orders::Day> {
    let now = js_sys::Date::new_0();
    ltv_core::orders::day_from_ymd(
        now.get_full_year() as i32,
        now.get_month() + 1,
        now.get_date(),
    )
}

#[cfg(not(target_arch = "wasm32"))]
fn today() -> Option<ltv_core::orders::Day> {
    None
}

#[derive(Clone, Debug, PartialEq)]
pub enum SessionAction {
    /// A new file: everything detected afresh.
    NewSource(Source),
    /// The user changed a setting.
    Encoding(TextEncoding),
    Delimiter(Delimiter),
    HasHeader(bool),
    DateOrder(DateOrder),
    /// The role of column `index`.
    Role(usize, ColumnRole),
    /// The platform whose rules apply (roles guessed again under them).
    Platform(Platform),
    /// Keep cancelled, unpaid and returned orders in the figures.
    IncludeExcluded(bool),
    /// Revenue before or after points.
    Revenue(RevenueBasis),
    /// The user agrees to key customers by name.
    NameAsKey(bool),
    Sniffed(Result<Box<Sniff>, ImportError>),
    StartImport,
    Progress(Stage, f64),
    Imported(Result<Box<ImportReport>, ImportError>),
    /// New analysis settings: the worker analyses again.
    Params(AnalysisParams),
    Analysed(Box<Analysis>),
    /// New 予測LTV settings: the worker fits again.
    ModelSettings(ModelParams, AliveThresholds),
    Predicted(Result<Box<Forecast>, ModelError>),
    Cancelled,
    Failed(String),
    /// The worker was lost with the orders it held (it crashed, or it is of another build):
    /// the message is shown, the results of that worker go, the file and its settings stay,
    /// so that the next import starts a new worker and works.
    WorkerLost(String),
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            SessionAction::NewSource(source) => {
                next = Session {
                    source: Some(source),
                    phase: Phase::Sniffing,
                    imports: self.imports,
                    ..Session::default()
                };
                if let Some(day) = today() {
                    next.options = next.options.with_today(day);
                }
            }
            SessionAction::Encoding(e) => {
                next.options = next.options.with_encoding(e);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Delimiter(d) => {
                // Another cut gives other columns: guess their roles again.
                next.options = next.options.with_delimiter(d).with_detected_roles();
                next.phase = Phase::Sniffing;
            }
            SessionAction::HasHeader(h) => {
                next.options = next.options.with_has_header(h).with_detected_roles();
                next.phase = Phase::Sniffing;
            }
            SessionAction::DateOrder(o) => {
                next.options = next.options.with_date_order(o);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Role(index, role) => {
                let mut roles = next
                    .options
                    .roles()
                    .map(<[_]>::to_vec)
                    .or_else(|| match &next.sniff {
                        Some(Ok(s)) => Some(s.roles.clone()),
                        _ => None,
                    })
                    .unwrap_or_default();
                if roles.len() <= index {
                    roles.resize(index + 1, ColumnRole::Ignore);
                }
                roles[index] = role;
                next.options = next.options.with_roles(roles);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Platform(p) => {
                next.options = next.options.with_platform(p).with_detected_roles();
                next.phase = Phase::Sniffing;
            }
            SessionAction::IncludeExcluded(include) => {
                next.options = next.options.with_include_excluded(include);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Revenue(basis) => {
                next.options = next.options.with_revenue(basis);
                next.phase = Phase::Sniffing;
            }
            SessionAction::NameAsKey(agree) => {
                next.options = next.options.with_name_as_key(agree);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Sniffed(result) => {
                // A new look at the settings while an import runs (the report's switch
                // re-imports at once) does not end the import's progress.
                if !matches!(next.phase, Phase::Working { .. }) {
                    next.phase = Phase::Ready;
                }
                next.sniff = Some(result.map(|s| Rc::new(*s)));
            }
            SessionAction::StartImport => {
                next.phase = Phase::Working {
                    stage: Stage::Reading,
                    fraction: 0.0,
                };
                next.report = None;
            }
            SessionAction::Progress(stage, fraction) => {
                if matches!(next.phase, Phase::Working { .. }) {
                    next.phase = Phase::Working { stage, fraction };
                }
            }
            SessionAction::Imported(result) => {
                next.analysis = None;
                next.forecast = None;
                // A year or more of orders: the models are compared on a holdout by default.
                next.model_params = next.model_params.with_calibration_end(match &result {
                    Ok(report) => match (report.first_day, report.last_day) {
                        (Some(first), Some(last)) => {
                            ltv_core::forecast::initial_calibration_end(first, last)
                        }
                        _ => None,
                    },
                    Err(_) => None,
                });
                next.predicting = result.is_ok();
                match result {
                    Ok(report) => {
                        next.imports += 1;
                        // The date of a new file is its own last order day.
                        next.params = next.params.with_as_of(None);
                        next.phase = Phase::Working {
                            stage: Stage::Analysing,
                            fraction: 0.0,
                        };
                        next.report = Some(Ok(Rc::new(*report)));
                    }
                    Err(error) => {
                        next.phase = Phase::Imported;
                        next.report = Some(Err(error));
                    }
                }
            }
            SessionAction::Params(params) => {
                next.params = params;
            }
            SessionAction::Analysed(analysis) => {
                if matches!(
                    next.phase,
                    Phase::Working {
                        stage: Stage::Analysing,
                        ..
                    }
                ) {
                    next.phase = Phase::Imported;
                }
                next.analysis = Some(Rc::new(*analysis));
            }
            SessionAction::ModelSettings(params, alive) => {
                // The same settings written another way (2 → 2.0, 40 → 40%) send nothing to
                // the worker: waiting for an answer would lock the settings.
                if params != next.model_params || alive != next.alive {
                    next.model_params = params;
                    next.alive = alive;
                    next.predicting = true;
                }
            }
            SessionAction::Predicted(result) => {
                next.predicting = false;
                next.forecast = Some(result.map(|f| Rc::new(*f)));
            }
            SessionAction::Cancelled => next.phase = Phase::Cancelled,
            SessionAction::Failed(message) => next.phase = Phase::Failed(message),
            SessionAction::WorkerLost(message) => {
                next.phase = Phase::Failed(message);
                next.predicting = false;
                next.report = None;
                next.analysis = None;
                next.forecast = None;
            }
        }
        Rc::new(next)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_lost_worker_leaves_a_defined_state() {
        let Err(empty) = ltv_core::import::import(b"", &ImportOptions::new(), &mut |_| true) else {
            panic!("an empty file fails");
        };
        let busy = Rc::new(Session {
            phase: Phase::Working {
                stage: Stage::Importing,
                fraction: 0.5,
            },
            report: Some(Err(empty)),
            predicting: true,
            ..Session::default()
        });
        assert!(busy.is_busy());
        let after = busy.reduce(SessionAction::WorkerLost("止まりました".into()));
        assert_eq!(after.phase, Phase::Failed("止まりました".into()));
        assert!(!after.is_busy() && !after.predicting);
        assert!(after.report.is_none() && after.analysis.is_none() && after.forecast.is_none());
    }
}
