//! The state of the CSV analysis: the file, the import settings, what the worker found, and
//! where the work is. One reducer: the user's changes and the worker's answers arrive as
//! actions, and it records them; what is sent to the worker is [`super::hook`]'s business.

use std::rc::Rc;

use ltv_core::analysis::compare::{GroupComparison, PeriodComparison};
use ltv_core::analysis::{Analysis, AnalysisParams, LaterViews};
use ltv_core::forecast::Forecast;
use ltv_core::import::{
    ColumnRole, DateOrder, Delimiter, ImportError, ImportOptions, ImportReport, Platform,
    RevenueBasis, Sniff, TextEncoding,
};
use ltv_core::model::{AliveThresholds, ModelError, ModelParams};
use web_sys::Blob;
use yew::prelude::*;

use crate::worker::{Settings, Stage};

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
    /// A run: the import, then the analysis (the prediction after it is
    /// [`Session::predicting`]).
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
    /// The analysis settings (基準日, thresholds...).
    pub params: AnalysisParams,
    pub analysis: Option<Rc<Analysis>>,
    /// How many analyses have come (their later views put in after one are not a new one).
    pub analyses: u64,
    /// The 予測LTV settings.
    pub model_params: ModelParams,
    pub alive: AliveThresholds,
    pub forecast: Option<Result<Rc<Forecast>, ModelError>>,
    /// The worker is fitting the models.
    pub predicting: bool,
    /// 施策の効果検証: the last two periods compared, and the last group.
    pub periods: Option<Rc<PeriodComparison>>,
    pub group: Option<Rc<GroupComparison>>,
    /// The folds the user opened, kept open when the page is laid out again (an import run
    /// again shows the page without its analysis until the new one arrives).
    pub folds: Folds,
}

/// A fold of the analysed page.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Fold {
    /// The file, its settings and the import report.
    Data,
    /// The analysis settings.
    Settings,
    /// The prediction's settings, under its answer.
    Prediction,
}

/// Which folds are open.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Folds {
    pub data: bool,
    pub settings: bool,
    pub prediction: bool,
}

impl Folds {
    /// Whether the user left `fold` open.
    pub fn get(self, fold: Fold) -> bool {
        match fold {
            Fold::Data => self.data,
            Fold::Settings => self.settings,
            Fold::Prediction => self.prediction,
        }
    }

    fn set(&mut self, fold: Fold, open: bool) {
        match fold {
            Fold::Data => self.data = open,
            Fold::Settings => self.settings = open,
            Fold::Prediction => self.prediction = open,
        }
    }
}

impl Default for Session {
    fn default() -> Self {
        Session {
            source: None,
            options: ImportOptions::new(),
            sniff: None,
            phase: Phase::Idle,
            report: None,
            params: AnalysisParams::default(),
            analysis: None,
            analyses: 0,
            model_params: ModelParams::default(),
            alive: AliveThresholds::default(),
            forecast: None,
            predicting: false,
            periods: None,
            group: None,
            folds: Folds::default(),
        }
    }
}

/// What keeps the import button off while the settings are known: each is a hint beside it.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct ImportGate {
    /// Dates such as `01/02/2024` that no row settles: the user picks the order.
    pub needs_date_order: bool,
    /// The customers would be keyed by name: the user must agree.
    pub needs_name: bool,
    /// A needed column (date, amount, customer) has no role.
    pub missing_roles: bool,
}

impl ImportGate {
    pub fn is_open(&self) -> bool {
        !(self.needs_date_order || self.needs_name || self.missing_roles)
    }
}

impl Session {
    /// What keeps the import button off, when the settings are known (`None` before).
    pub fn import_gate(&self) -> Option<ImportGate> {
        let Some(Ok(sniff)) = &self.sniff else {
            return None;
        };
        Some(ImportGate {
            needs_date_order: sniff.date_order_ambiguous && self.options.date_order().is_none(),
            needs_name: sniff.rules.name_needs_consent,
            missing_roles: !sniff.missing_roles().is_empty(),
        })
    }

    /// Whether the import button can be pressed: settings known, dates settled, customers
    /// keyed, not busy.
    pub fn can_import(&self) -> bool {
        self.import_gate().is_some_and(|gate| gate.is_open()) && !self.is_busy()
    }

    pub fn is_busy(&self) -> bool {
        matches!(self.phase, Phase::Sniffing) || self.is_running()
    }

    /// Whether a run (the import, then the analysis) is under way.
    pub fn is_running(&self) -> bool {
        matches!(self.phase, Phase::Working { .. })
    }

    /// Whether a fold is open: opened by the user, or the data fold when rows were rejected.
    pub fn is_open(&self, fold: Fold) -> bool {
        let rejected = matches!(&self.report, Some(Ok(r)) if r.rows_rejected > 0);
        self.folds.get(fold) || (fold == Fold::Data && rejected)
    }

    /// Whether imported orders are held by the worker, ready to analyse.
    pub fn has_orders(&self) -> bool {
        matches!(self.report, Some(Ok(_)))
    }

    /// Whether the analysis shown waits for its views below the first screen.
    pub fn later_pending(&self) -> bool {
        self.analysis.as_ref().is_some_and(|a| a.later_pending)
    }

    /// Whether a prediction is on its way: the models are being fitted, or a run that ends
    /// with them is under way.
    pub fn is_predicting(&self) -> bool {
        self.predicting || self.is_running()
    }

    /// The settings a run starts from (the worker sets the 基準日 and the calibration end
    /// of the new file).
    pub fn settings(&self) -> Settings {
        Settings {
            analysis: self.params.clone(),
            model: self.model_params.clone(),
            alive: self.alive,
        }
    }

    /// The worker and what it held are gone (cancelled, or lost): the results go with it,
    /// the file and the settings stay, so that the next import starts a new worker.
    fn stop(&mut self, phase: Phase) {
        self.phase = phase;
        self.predicting = false;
        self.report = None;
        self.analysis = None;
        self.forecast = None;
        self.periods = None;
        self.group = None;
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
    /// The user started a run.
    StartImport,
    Progress(Stage, f64),
    Imported(Result<Box<ImportReport>, ImportError>),
    /// New analysis settings (the worker analyses again).
    Params(AnalysisParams),
    Analysed(Box<Analysis>),
    /// The views below the first screen of the analysis shown, which came without them.
    LaterViews(Box<LaterViews>),
    /// New 予測LTV settings (the worker predicts again).
    ModelSettings(ModelParams, AliveThresholds),
    Predicted {
        params: ModelParams,
        alive: AliveThresholds,
        forecast: Result<Box<Forecast>, ModelError>,
    },
    /// Two periods compared.
    ComparedPeriods(Box<PeriodComparison>),
    /// A listed group compared with everyone else.
    ComparedGroup(Box<GroupComparison>),
    /// The user opened (`true`) or closed a fold.
    Fold(Fold, bool),
    /// The user stopped the worker.
    Cancelled,
    Failed(String),
    /// The worker was lost with the orders it held (it crashed, or it is of another build).
    WorkerLost(String),
}

impl Reducible for Session {
    type Action = SessionAction;

    fn reduce(self: Rc<Self>, action: SessionAction) -> Rc<Self> {
        // A fold already as the user left it (the page opening it again) changes nothing; nor
        // does the progress of a stage outside a run (a new threshold analysed): the page is
        // not laid out again for them.
        match action {
            SessionAction::Fold(fold, open) if self.folds.get(fold) == open => return self,
            SessionAction::Progress(stage, _)
                if stage != Stage::Predicting && !self.is_running() =>
            {
                return self
            }
            _ => {}
        }
        let mut next = (*self).clone();
        match action {
            SessionAction::NewSource(source) => {
                next = Session {
                    source: Some(source),
                    phase: Phase::Sniffing,
                    ..Session::default()
                };
                if let Some(day) = today() {
                    next.options = next.options.with_today(day);
                }
            }
            SessionAction::Encoding(_)
            | SessionAction::Delimiter(_)
            | SessionAction::HasHeader(_)
            | SessionAction::DateOrder(_)
            | SessionAction::Role(..)
            | SessionAction::Platform(_)
            | SessionAction::IncludeExcluded(_)
            | SessionAction::Revenue(_)
            | SessionAction::NameAsKey(_) => {
                next.options = next.changed_options(action);
                next.phase = Phase::Sniffing;
            }
            SessionAction::Sniffed(result) => {
                // A new look at the settings while a run goes on (the report's switch
                // imports again at once) does not end the run's progress.
                if !next.is_running() {
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
            SessionAction::Progress(Stage::Predicting, _) => next.predicting = true,
            SessionAction::Progress(stage, fraction) => {
                if next.is_running() {
                    next.phase = Phase::Working { stage, fraction };
                }
            }
            SessionAction::Imported(result) => {
                next.analysis = None;
                next.forecast = None;
                next.periods = None;
                next.group = None;
                match result {
                    // The run goes on: the analysis, then the prediction.
                    Ok(report) => next.report = Some(Ok(Rc::new(*report))),
                    Err(error) => {
                        next.phase = Phase::Imported;
                        next.report = Some(Err(error));
                    }
                }
            }
            SessionAction::Params(params) => next.params = params,
            SessionAction::Analysed(analysis) => {
                // An answer about orders no longer shown (a new file was chosen) is dropped.
                if next.has_orders() {
                    if next.is_running() {
                        // The run goes on to the prediction.
                        next.phase = Phase::Imported;
                        next.predicting = true;
                    }
                    next.params = analysis.params.clone();
                    next.analysis = Some(Rc::new(*analysis));
                    next.analyses += 1;
                }
            }
            SessionAction::LaterViews(later) => {
                if let Some(analysis) = next.analysis.as_mut().filter(|a| a.later_pending) {
                    Rc::make_mut(analysis).set_later_views(*later);
                }
            }
            SessionAction::ModelSettings(params, alive) => {
                // The same settings written another way (2 → 2.0, 40 → 40%) wait for nothing:
                // waiting for an answer would lock the settings.
                if params != next.model_params || alive != next.alive {
                    next.model_params = params;
                    next.alive = alive;
                    next.predicting = true;
                }
            }
            SessionAction::Predicted {
                params,
                alive,
                forecast,
            } => {
                next.predicting = false;
                if next.has_orders() {
                    next.model_params = params;
                    next.alive = alive;
                    next.forecast = Some(forecast.map(|f| Rc::new(*f)));
                }
            }
            SessionAction::ComparedPeriods(c) => {
                if next.has_orders() {
                    next.periods = Some(Rc::new(*c));
                }
            }
            SessionAction::ComparedGroup(c) => {
                if next.has_orders() {
                    next.group = Some(Rc::new(*c));
                }
            }
            SessionAction::Fold(fold, open) => next.folds.set(fold, open),
            SessionAction::Cancelled => next.stop(Phase::Cancelled),
            SessionAction::Failed(message) => next.phase = Phase::Failed(message),
            SessionAction::WorkerLost(message) => next.stop(Phase::Failed(message)),
        }
        Rc::new(next)
    }
}

impl Session {
    /// The import settings after one of the user's changes.
    fn changed_options(&self, action: SessionAction) -> ImportOptions {
        let options = self.options.clone();
        match action {
            SessionAction::Encoding(e) => options.with_encoding(e),
            // Another cut or header gives other columns: their roles are guessed again.
            SessionAction::Delimiter(d) => options.with_delimiter(d).with_detected_roles(),
            SessionAction::HasHeader(h) => options.with_has_header(h).with_detected_roles(),
            SessionAction::DateOrder(o) => options.with_date_order(o),
            SessionAction::Role(index, role) => {
                let mut roles = match (options.roles(), &self.sniff) {
                    (Some(given), _) => given.to_vec(),
                    (None, Some(Ok(sniff))) => sniff.roles.clone(),
                    (None, _) => Vec::new(),
                };
                if roles.len() <= index {
                    roles.resize(index + 1, ColumnRole::Ignore);
                }
                roles[index] = role;
                options.with_roles(roles)
            }
            SessionAction::Platform(p) => options.with_platform(p).with_detected_roles(),
            SessionAction::IncludeExcluded(include) => options.with_include_excluded(include),
            SessionAction::Revenue(basis) => options.with_revenue(basis),
            SessionAction::NameAsKey(agree) => options.with_name_as_key(agree),
            _ => options,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ltv_core::analysis::analyse;
    use ltv_core::forecast::forecast;
    use ltv_core::import::{import, made_up_export, sniff};
    use ltv_core::model::predict;
    use wasm_bindgen::{JsCast, JsValue};

    /// A file as the picker gives it. Natively there is no JavaScript: the Blob is a
    /// placeholder that is only carried (never read, compared or printed).
    fn source() -> Source {
        Source {
            name: "orders.csv".into(),
            size: 100.0,
            blob: JsValue::UNDEFINED.unchecked_into(),
        }
    }

    fn reduce(session: Session, actions: impl IntoIterator<Item = SessionAction>) -> Session {
        let mut state = Rc::new(session);
        for action in actions {
            state = state.reduce(action);
        }
        Rc::try_unwrap(state).unwrap_or_else(|rc| (*rc).clone())
    }

    /// What the worker answers about the made-up export.
    struct Answers {
        sniff: Sniff,
        report: ImportReport,
        analysis: Analysis,
        forecast: Forecast,
    }

    fn answers() -> Answers {
        let text = made_up_export();
        let options = ImportOptions::new();
        let done = import(text.as_bytes(), &options, &mut |_| true).unwrap();
        let analysis = analyse(&done.table, &AnalysisParams::default()).without_customers();
        let prediction = predict(&done.table, &ModelParams::default()).unwrap();
        let forecast = forecast(
            &prediction,
            &done.table.customer_keys,
            AliveThresholds::default(),
            5,
        );
        Answers {
            sniff: sniff(text.as_bytes(), &options).unwrap(),
            report: done.report,
            analysis,
            forecast,
        }
    }

    fn import_error() -> ImportError {
        match import(b"", &ImportOptions::new(), &mut |_| true) {
            Err(error) => error,
            Ok(_) => panic!("an empty file fails"),
        }
    }

    fn predicted(a: &Answers) -> SessionAction {
        SessionAction::Predicted {
            params: ModelParams::default(),
            alive: AliveThresholds::default(),
            forecast: Ok(Box::new(a.forecast.clone())),
        }
    }

    /// The actions of a whole run, as the worker answers it.
    fn run(a: &Answers) -> Vec<SessionAction> {
        vec![
            SessionAction::StartImport,
            SessionAction::Progress(Stage::Reading, 0.0),
            SessionAction::Progress(Stage::Importing, 0.5),
            SessionAction::Imported(Ok(Box::new(a.report.clone()))),
            SessionAction::Progress(Stage::Analysing, 0.0),
            SessionAction::Analysed(Box::new(a.analysis.clone())),
            SessionAction::Progress(Stage::Predicting, 0.0),
            predicted(a),
        ]
    }

    /// A session with the made-up export chosen and its settings known.
    fn ready(a: &Answers) -> Session {
        reduce(
            Session::default(),
            [
                SessionAction::NewSource(source()),
                SessionAction::Sniffed(Ok(Box::new(a.sniff.clone()))),
            ],
        )
    }

    /// A session after a whole run.
    fn done(a: &Answers) -> Session {
        reduce(ready(a), run(a))
    }

    /// An import's analysis comes without the views below its first screen, which come after
    /// the prediction: they are put into the analysis shown, which then equals the whole
    /// analysis, and it is not a new analysis (the page does not lay it out anew). Later views
    /// for an analysis no longer shown (a new import begun) are dropped.
    #[test]
    fn the_later_views_complete_the_analysis_shown() {
        let a = answers();
        let table = import(
            made_up_export().as_bytes(),
            &ImportOptions::new(),
            &mut |_| true,
        )
        .unwrap()
        .table;
        let params = AnalysisParams::default();
        let base = ltv_core::analysis::customers::CustomerBase::new(&table, params.as_of());
        let first = ltv_core::analysis::analyse_first_views(&table, &base, &params);
        let later = LaterViews::new(&table, &base, &params);
        let mut actions = run(&a);
        for action in &mut actions {
            if let SessionAction::Analysed(analysis) = action {
                **analysis = first.clone();
            }
        }
        let session = reduce(ready(&a), actions);
        assert!(session.later_pending() && !session.is_predicting());
        assert_eq!(session.analyses, 1);
        let session = reduce(
            session,
            [SessionAction::LaterViews(Box::new(later.clone()))],
        );
        assert!(!session.later_pending());
        assert_eq!(session.analysis.as_deref(), Some(&a.analysis));
        assert_eq!(session.analyses, 1, "the same analysis, completed");

        let again = reduce(
            session,
            [
                SessionAction::StartImport,
                SessionAction::Imported(Ok(Box::new(a.report.clone()))),
                SessionAction::LaterViews(Box::new(later)),
            ],
        );
        assert!(again.analysis.is_none() && !again.later_pending());
    }

    #[test]
    fn a_new_file_is_looked_at_then_ready() {
        let a = answers();
        let chosen = reduce(Session::default(), [SessionAction::NewSource(source())]);
        assert_eq!(chosen.phase, Phase::Sniffing);
        assert!(chosen.is_busy() && !chosen.can_import());
        assert_eq!(
            chosen.source.as_ref().map(|s| s.name.as_str()),
            Some("orders.csv")
        );
        let shown = reduce(
            chosen,
            [SessionAction::Sniffed(Ok(Box::new(a.sniff.clone())))],
        );
        assert_eq!(shown.phase, Phase::Ready);
        assert_eq!(shown.import_gate(), Some(ImportGate::default()));
        assert!(shown.can_import());
        // A file that is not a table: no settings, no import.
        let bad = reduce(
            Session::default(),
            [
                SessionAction::NewSource(source()),
                SessionAction::Sniffed(Err(import_error())),
            ],
        );
        assert_eq!(bad.import_gate(), None);
        assert!(!bad.can_import());
    }

    #[test]
    fn each_setting_changes_the_options_and_looks_again() {
        let a = answers();
        let base = ready(&a);
        let roles = a.sniff.roles.clone();
        type Holds = Box<dyn Fn(&ImportOptions) -> bool>;
        let cases: Vec<(SessionAction, Holds)> = vec![
            (
                SessionAction::Encoding(TextEncoding::ShiftJis),
                Box::new(|o| o.encoding() == Some(TextEncoding::ShiftJis)),
            ),
            (
                SessionAction::Delimiter(Delimiter::Tab),
                Box::new(|o| o.delimiter() == Some(Delimiter::Tab) && o.roles().is_none()),
            ),
            (
                SessionAction::HasHeader(false),
                Box::new(|o| o.has_header() == Some(false) && o.roles().is_none()),
            ),
            (
                SessionAction::DateOrder(DateOrder::DayFirst),
                Box::new(|o| o.date_order() == Some(DateOrder::DayFirst)),
            ),
            (
                SessionAction::Platform(Platform::Shopify),
                Box::new(|o| o.platform() == Some(Platform::Shopify) && o.roles().is_none()),
            ),
            (
                SessionAction::IncludeExcluded(true),
                Box::new(|o| o.include_excluded()),
            ),
            (
                SessionAction::Revenue(RevenueBasis::AfterPoints),
                Box::new(|o| o.revenue() == RevenueBasis::AfterPoints),
            ),
            (
                SessionAction::NameAsKey(true),
                Box::new(|o| o.name_as_key()),
            ),
            // A role: the others are the sniff's guesses, the list grows to the column.
            (
                SessionAction::Role(roles.len() + 1, ColumnRole::Product),
                Box::new(move |o| {
                    let given = o.roles().unwrap();
                    given[..roles.len()] == roles[..]
                        && given[roles.len()] == ColumnRole::Ignore
                        && given[roles.len() + 1] == ColumnRole::Product
                }),
            ),
        ];
        for (action, holds) in cases {
            let label = format!("{action:?}");
            let after = reduce(base.clone(), [action]);
            assert!(holds(&after.options), "{label}: {:?}", after.options);
            assert_eq!(after.phase, Phase::Sniffing, "{label}");
            assert!(after.sniff.is_some(), "{label}: the last look stays shown");
        }
        // A second role keeps the first.
        let two = reduce(
            base,
            [
                SessionAction::Role(0, ColumnRole::Ignore),
                SessionAction::Role(1, ColumnRole::Ignore),
            ],
        );
        let given = two.options.roles().unwrap();
        assert_eq!(&given[..2], &[ColumnRole::Ignore, ColumnRole::Ignore]);
    }

    #[test]
    fn the_import_button_says_what_it_waits_for() {
        let a = answers();
        let mut ambiguous = a.sniff.clone();
        ambiguous.date_order_ambiguous = true;
        ambiguous.rules.name_needs_consent = true;
        ambiguous.roles = vec![ColumnRole::Ignore; ambiguous.roles.len()];
        let session = reduce(
            Session::default(),
            [
                SessionAction::NewSource(source()),
                SessionAction::Sniffed(Ok(Box::new(ambiguous))),
            ],
        );
        let gate = session.import_gate().unwrap();
        assert!(gate.needs_date_order && gate.needs_name && gate.missing_roles);
        assert!(!session.can_import());
        let chosen = reduce(session, [SessionAction::DateOrder(DateOrder::MonthFirst)]);
        assert!(!chosen.import_gate().unwrap().needs_date_order);
    }

    #[test]
    fn a_run_is_recorded_as_it_arrives() {
        let a = answers();
        let mut session = ready(&a);
        let mut seen = Vec::new();
        for action in run(&a) {
            session = reduce(session, [action]);
            seen.push((
                session.phase.clone(),
                session.is_busy(),
                session.is_predicting(),
                session.has_orders(),
            ));
        }
        let working = |stage, fraction| Phase::Working { stage, fraction };
        assert_eq!(
            seen,
            [
                (working(Stage::Reading, 0.0), true, true, false),
                (working(Stage::Reading, 0.0), true, true, false),
                (working(Stage::Importing, 0.5), true, true, false),
                (working(Stage::Importing, 0.5), true, true, true),
                (working(Stage::Analysing, 0.0), true, true, true),
                // The analysis in, the prediction is waited for without a gap.
                (Phase::Imported, false, true, true),
                (Phase::Imported, false, true, true),
                (Phase::Imported, false, false, true),
            ]
        );
        assert!(session.analysis.is_some());
        assert!(matches!(session.forecast, Some(Ok(_))));
    }

    #[test]
    fn the_settings_the_worker_used_are_recorded() {
        let a = answers();
        let mut analysis = a.analysis.clone();
        analysis.params = AnalysisParams::new().with_f2_days(30).unwrap();
        let model = ModelParams::new().with_calibration_end(Some(19_600));
        let session = reduce(
            reduce(
                ready(&a),
                [
                    SessionAction::StartImport,
                    SessionAction::Imported(Ok(Box::new(a.report.clone()))),
                ],
            ),
            [
                SessionAction::Analysed(Box::new(analysis)),
                SessionAction::Predicted {
                    params: model.clone(),
                    alive: AliveThresholds::default(),
                    forecast: Ok(Box::new(a.forecast.clone())),
                },
            ],
        );
        assert_eq!(session.params.f2_days(), 30);
        assert_eq!(session.model_params, model);
        assert_eq!(session.settings().model, model);
        assert_eq!(session.settings().analysis.f2_days(), 30);
    }

    #[test]
    fn a_failed_import_ends_the_run_and_clears_the_results() {
        let a = answers();
        let session = reduce(
            done(&a),
            [
                SessionAction::StartImport,
                SessionAction::Imported(Err(import_error())),
            ],
        );
        assert_eq!(session.phase, Phase::Imported);
        assert!(matches!(session.report, Some(Err(_))));
        assert!(session.analysis.is_none() && session.forecast.is_none());
        assert!(!session.is_busy() && !session.is_predicting() && !session.has_orders());
    }

    #[test]
    fn settings_changes_wait_only_when_something_changed() {
        let a = answers();
        let session = done(&a);
        // Analysis settings: recorded, nothing locked.
        let params = AnalysisParams::new().with_horizon_years(2).unwrap();
        let changed = reduce(session.clone(), [SessionAction::Params(params.clone())]);
        assert_eq!(changed.params, params);
        assert!(!changed.is_busy() && !changed.is_predicting());
        // The same model settings: nothing to wait for.
        let same = reduce(
            session.clone(),
            [SessionAction::ModelSettings(
                session.model_params.clone(),
                session.alive,
            )],
        );
        assert!(!same.is_predicting());
        // New ones: the prediction view waits for the answer.
        let longer = ModelParams::new().with_horizon_months(24).unwrap();
        let waiting = reduce(
            session,
            [SessionAction::ModelSettings(
                longer.clone(),
                AliveThresholds::default(),
            )],
        );
        assert!(waiting.is_predicting() && !waiting.is_busy());
        assert_eq!(waiting.model_params, longer);
        let answered = reduce(
            waiting,
            [SessionAction::Predicted {
                params: longer.clone(),
                alive: AliveThresholds::default(),
                forecast: Ok(Box::new(a.forecast.clone())),
            }],
        );
        assert!(!answered.is_predicting());
        assert_eq!(answered.model_params, longer);
    }

    #[test]
    fn a_new_file_resets_everything_but_drops_late_answers() {
        let a = answers();
        let session = reduce(done(&a), [SessionAction::NewSource(source())]);
        assert!(session.report.is_none() && session.analysis.is_none());
        assert!(session.forecast.is_none() && session.sniff.is_none());
        assert_eq!(session.params, AnalysisParams::default());
        // The worker still answering about the last file: not shown with the new one.
        let late = reduce(
            session,
            [
                SessionAction::Analysed(Box::new(a.analysis.clone())),
                predicted(&a),
            ],
        );
        assert!(late.analysis.is_none() && late.forecast.is_none());
        assert!(!late.is_predicting());
        assert_eq!(late.phase, Phase::Sniffing);
    }

    /// Cancelling and losing the worker end in the same state: no run, nothing of what the
    /// worker held, the file and the settings kept for the next import.
    #[test]
    fn cancel_and_a_lost_worker_leave_one_defined_state() {
        let a = answers();
        let mut during = Vec::new();
        // Stopped at every point of a run, and after it.
        let steps = run(&a);
        for cut in 1..=steps.len() {
            let before = reduce(ready(&a), steps[..cut].iter().cloned());
            during.push(before);
        }
        for before in during {
            let options = before.options.clone();
            let params = before.params.clone();
            for (stop, phase) in [
                (SessionAction::Cancelled, Phase::Cancelled),
                (
                    SessionAction::WorkerLost("止まりました".into()),
                    Phase::Failed("止まりました".into()),
                ),
            ] {
                let after = reduce(before.clone(), [stop]);
                assert_eq!(after.phase, phase);
                assert!(!after.is_busy() && !after.is_predicting());
                assert!(after.report.is_none() && after.analysis.is_none());
                assert!(after.forecast.is_none() && !after.has_orders());
                assert!(after.source.is_some() && after.sniff.is_some());
                assert_eq!(after.options, options);
                assert_eq!(after.params, params);
                assert!(after.can_import(), "the next import can start");
            }
        }
    }

    #[test]
    fn a_fold_the_user_opened_stays_open_until_a_new_file() {
        let a = answers();
        let session = done(&a);
        assert!(!session.is_open(Fold::Data) && !session.is_open(Fold::Settings));
        let opened = reduce(
            session,
            [
                SessionAction::Fold(Fold::Settings, true),
                SessionAction::Fold(Fold::Prediction, true),
            ],
        );
        assert!(opened.is_open(Fold::Settings) && !opened.is_open(Fold::Data));
        assert!(opened.is_open(Fold::Prediction));
        // A threshold analysed again, then the file imported again: the page is laid out
        // without the analysis until it comes back, and the fold opens again with it.
        let params = AnalysisParams::new().with_f2_days(30).unwrap();
        let mut actions = vec![
            SessionAction::Params(params),
            SessionAction::Analysed(Box::new(a.analysis.clone())),
        ];
        actions.extend(run(&a));
        let mut session = opened;
        for action in actions {
            session = reduce(session, [action]);
            assert!(session.is_open(Fold::Settings), "{:?}", session.phase);
            assert!(session.is_open(Fold::Prediction), "{:?}", session.phase);
        }
        assert!(!session.is_open(Fold::Data));
        let closed = reduce(
            session.clone(),
            [SessionAction::Fold(Fold::Settings, false)],
        );
        assert!(!closed.is_open(Fold::Settings));
        // Stopped, the folds stay as they were; a new file starts with the answer, folded.
        let cancelled = reduce(session.clone(), [SessionAction::Cancelled]);
        assert!(cancelled.is_open(Fold::Settings));
        let new = reduce(session, [SessionAction::NewSource(source())]);
        assert_eq!(new.folds, Folds::default());
    }

    #[test]
    fn the_data_fold_opens_by_itself_when_rows_were_rejected() {
        let a = answers();
        let mut report = a.report.clone();
        report.rows_rejected = 3;
        let session = reduce(
            ready(&a),
            [
                SessionAction::StartImport,
                SessionAction::Imported(Ok(Box::new(report))),
            ],
        );
        assert!(session.is_open(Fold::Data) && !session.is_open(Fold::Settings));
    }

    /// The progress of a stage outside a run (a threshold analysed again) renders nothing.
    #[test]
    fn a_progress_outside_a_run_changes_nothing() {
        let a = answers();
        let session = Rc::new(done(&a));
        for stage in [Stage::Analysing, Stage::Importing, Stage::Reading] {
            let after = Rc::clone(&session).reduce(SessionAction::Progress(stage, 0.0));
            assert!(Rc::ptr_eq(&after, &session), "{stage:?}");
        }
        // The prediction's progress still marks the prediction as under way.
        let predicting =
            Rc::clone(&session).reduce(SessionAction::Progress(Stage::Predicting, 0.0));
        assert!(predicting.predicting);
    }

    /// The page reports each fold it lays out open: the same state again renders nothing.
    #[test]
    fn a_fold_left_as_it_was_changes_nothing() {
        let a = answers();
        let state = Rc::new(done(&a));
        let same = Rc::clone(&state).reduce(SessionAction::Fold(Fold::Data, false));
        assert!(Rc::ptr_eq(&state, &same));
        let opened = Rc::clone(&state).reduce(SessionAction::Fold(Fold::Data, true));
        assert!(!Rc::ptr_eq(&state, &opened) && opened.folds.data);
        let again = Rc::clone(&opened).reduce(SessionAction::Fold(Fold::Data, true));
        assert!(Rc::ptr_eq(&opened, &again));
    }

    #[test]
    fn a_failure_is_shown_and_ends_the_wait() {
        let a = answers();
        let busy = reduce(ready(&a), [SessionAction::StartImport]);
        let failed = reduce(busy, [SessionAction::Failed("読めません".into())]);
        assert_eq!(failed.phase, Phase::Failed("読めません".into()));
        assert!(!failed.is_busy() && failed.can_import());
    }
}
