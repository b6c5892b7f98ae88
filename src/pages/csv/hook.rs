//! The CSV page's session as a hook: the reducer, the worker client that feeds it, and the
//! performance marks of each stage. The page reads the state and calls the handle's methods;
//! it never talks to the worker itself.

use std::ops::Deref;
use std::rc::Rc;

use ltv_core::analysis::compare::Period;
use ltv_core::analysis::AnalysisParams;
use ltv_core::model::{AliveThresholds, ModelParams};
use ltv_core::orders::Day;
use yew::prelude::*;

use super::analysis::Download;
use super::session::{Fold, Session, SessionAction, Source};
use crate::components;
use crate::perf;
use crate::worker::client::WorkerClient;
use crate::worker::{Request, Response, Stage};

/// The CSV session: its state (through `Deref`) and what the user can do with it, as
/// callbacks made once for the page's life ([`Actions`]): a child whose props did not change
/// is then not laid out again when the session changes (a new callback on every render would
/// make every child render again, on every progress message and every typed setting).
#[derive(Clone)]
pub struct CsvSession {
    state: UseReducerHandle<Session>,
    pub on: Rc<Actions>,
}

impl Deref for CsvSession {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.state
    }
}

/// What the page's parts can ask of the session. Each callback reads the session as it is
/// when it is called.
pub struct Actions {
    pub choose: Callback<Source>,
    pub change: Callback<SessionAction>,
    pub import: Callback<MouseEvent>,
    pub import_including: Callback<bool>,
    pub cancel: Callback<()>,
    pub analyse: Callback<AnalysisParams>,
    pub predict: Callback<(ModelParams, AliveThresholds)>,
    pub download: Callback<Download>,
    pub download_rejected: Callback<()>,
    pub compare_periods: Callback<(Period, Period)>,
    pub compare_group: Callback<(String, Day)>,
    /// The user opened or closed a fold (the `toggle` event of its `details`): it stays so
    /// when the page is laid out again.
    pub toggle_data: Callback<Event>,
    pub toggle_settings: Callback<Event>,
    pub toggle_prediction: Callback<Event>,
}

impl Actions {
    fn of(session: &Handle) -> Self {
        let toggle = |fold: Fold| {
            session.to(move |s, e: Event| {
                let open = e
                    .target_unchecked_into::<web_sys::Element>()
                    .has_attribute("open");
                s.fold((fold, open));
            })
        };
        Self {
            choose: session.to(Handle::choose),
            change: session.to(Handle::change),
            import: session.to(|s, _: MouseEvent| s.import()),
            import_including: session.to(Handle::import_including),
            cancel: session.to(|s, ()| s.cancel()),
            analyse: session.to(Handle::analyse),
            predict: session.to(|s, (params, alive)| s.predict(params, alive)),
            download: session.to(Handle::download),
            download_rejected: session.to(|s, ()| s.download_rejected()),
            compare_periods: session.to(Handle::compare_periods),
            compare_group: session.to(Handle::compare_group),
            toggle_data: toggle(Fold::Data),
            toggle_settings: toggle(Fold::Settings),
            toggle_prediction: toggle(Fold::Prediction),
        }
    }
}

/// The session's state and its worker, behind [`Actions`]. Its state handle reads the state
/// as it is at each call, so callbacks made at the first render stay right.
#[derive(Clone)]
struct Handle {
    state: UseReducerHandle<Session>,
    client: Rc<WorkerClient<Response>>,
}

impl Deref for Handle {
    type Target = Session;

    fn deref(&self) -> &Session {
        &self.state
    }
}

impl Handle {
    /// A callback that calls `f` on this session.
    fn to<T: 'static>(&self, f: impl Fn(&Handle, T) + 'static) -> Callback<T> {
        let session = self.clone();
        Callback::from(move |value| f(&session, value))
    }

    /// A new file, looked at afresh. No size is refused beforehand: what a file takes in the
    /// worker depends on its rows, not its bytes (a gigabyte of three-column rows takes about
    /// 2.4 GB), and a worker that runs out of memory is reported and replaced.
    pub fn choose(&self, source: Source) {
        self.state.dispatch(SessionAction::NewSource(source));
    }

    /// One of the import settings changed (the file is looked at again).
    pub fn change(&self, action: SessionAction) {
        self.state.dispatch(action);
    }

    /// Imports the file with the settings shown, then analyses and predicts.
    pub fn import(&self) {
        perf::start("ltv:pipeline");
        perf::start("ltv:every-part");
        self.run(self.options.clone());
    }

    /// The report's switch: keeps (or leaves out) the cancelled orders and imports again.
    pub fn import_including(&self, include: bool) {
        self.state.dispatch(SessionAction::IncludeExcluded(include));
        self.run(self.options.clone().with_include_excluded(include));
    }

    fn run(&self, options: ltv_core::import::ImportOptions) {
        let Some(source) = &self.source else {
            return;
        };
        self.state.dispatch(SessionAction::StartImport);
        perf::start("ltv:import");
        let settings = self.settings();
        // The worker and its helpers then take every core: sent once the page has answered
        // the click on screen, so that the click's task does not share the cores with them.
        self.client
            .send_after_task(&Request::Import { options, settings }, Some(&source.blob));
    }

    /// New analysis settings: the worker analyses the orders it holds again.
    pub fn analyse(&self, params: AnalysisParams) {
        self.state.dispatch(SessionAction::Params(params.clone()));
        if self.has_orders() {
            self.client.send(&Request::Analyse { params }, None);
        }
    }

    /// New 予測LTV settings: the worker predicts again (fitting only when needed).
    pub fn predict(&self, params: ModelParams, alive: AliveThresholds) {
        self.state
            .dispatch(SessionAction::ModelSettings(params.clone(), alive));
        if self.has_orders() {
            self.client.send(&Request::Predict { params, alive }, None);
        }
    }

    pub fn download(&self, download: Download) {
        let request = match download {
            Download::Customers(segment, encoding) => Request::CustomersCsv { encoding, segment },
            Download::Summary => Request::SummaryJson,
        };
        self.client.send(&request, None);
    }

    pub fn download_rejected(&self) {
        self.client.send(&Request::RejectedRowsCsv, None);
    }

    /// 施策の効果検証: two periods of the imported orders side by side.
    pub fn compare_periods(&self, (before, after): (Period, Period)) {
        self.client
            .send(&Request::ComparePeriods { before, after }, None);
    }

    /// A pasted list of customers against everyone else from `since` on.
    pub fn compare_group(&self, (list, since): (String, Day)) {
        self.client
            .send(&Request::CompareGroup { list, since }, None);
    }

    /// The user opened or closed a fold: it stays so when the page is laid out again.
    pub fn fold(&self, (fold, open): (Fold, bool)) {
        self.state.dispatch(SessionAction::Fold(fold, open));
    }

    /// Stops the worker at once, whatever it is doing (it cannot read a message while busy);
    /// the next request starts a new one.
    pub fn cancel(&self) {
        self.client.terminate();
        self.state.dispatch(SessionAction::Cancelled);
    }
}

/// The CSV page's session.
#[hook]
pub fn use_csv_session() -> CsvSession {
    let state = use_reducer(Session::default);
    let client = {
        let dispatcher = state.dispatcher();
        use_memo((), move |_| worker_client(dispatcher))
    };
    use_warm_up(&client);
    use_sniff(&state, &client);
    use_shown(&state, &client);
    use_pipeline_mark(&state);
    use_leave_guard(state.has_orders());
    let on = {
        let handle = Handle {
            state: state.clone(),
            client,
        };
        use_memo((), move |_| Actions::of(&handle))
    };
    CsvSession { state, on }
}

/// The client of the page's worker: each answer becomes an action, and its stage's
/// performance mark.
fn worker_client(dispatcher: UseReducerDispatcher<Session>) -> WorkerClient<Response> {
    let on_failure = {
        let dispatcher = dispatcher.clone();
        move |message: String| dispatcher.dispatch(SessionAction::Failed(message))
    };
    let on_lost = {
        let dispatcher = dispatcher.clone();
        move |message: String| dispatcher.dispatch(SessionAction::WorkerLost(message))
    };
    WorkerClient::new(
        move |response| {
            mark(&response);
            if let Some(action) = action_of(response) {
                dispatcher.dispatch(action);
            }
        },
        on_failure,
        on_lost,
    )
}

/// The performance mark an answer starts or ends (`ltv:import` starts with the request).
fn mark(response: &Response) {
    match response {
        Response::Progress {
            stage: Stage::Analysing,
            ..
        } => perf::start("ltv:analyse"),
        Response::Progress {
            stage: Stage::Predicting,
            ..
        } => perf::start("ltv:predict"),
        Response::Imported(_) => perf::end("ltv:import"),
        Response::Analysed(_) => perf::end("ltv:analyse"),
        Response::Predicted { .. } => perf::end("ltv:predict"),
        _ => {}
    }
}

/// What an answer does to the session (a file is saved instead).
fn action_of(response: Response) -> Option<SessionAction> {
    Some(match response {
        Response::Sniffed(result) => SessionAction::Sniffed(result),
        Response::Progress { stage, fraction } => SessionAction::Progress(stage, fraction),
        Response::Imported(result) => SessionAction::Imported(result),
        Response::Analysed(analysis) => SessionAction::Analysed(analysis),
        Response::LaterViews(later) => SessionAction::LaterViews(later),
        Response::Predicted {
            params,
            alive,
            forecast,
        } => SessionAction::Predicted {
            params,
            alive,
            forecast,
        },
        Response::File { name, mime, bytes } => {
            crate::download::save(&name, &mime, &bytes);
            return None;
        }
        Response::ComparedPeriods(c) => SessionAction::ComparedPeriods(c),
        Response::ComparedGroup(c) => SessionAction::ComparedGroup(c),
        Response::Failed(message) => SessionAction::Failed(message),
    })
}

/// When the page opens, the worker starts and warms up while the user looks for the file: an
/// import asked for as soon as the preview shows no longer waits for the warm-up (a quarter of
/// a second on two cores when it ran after the preview).
#[hook]
fn use_warm_up(client: &Rc<WorkerClient<Response>>) {
    let client = client.clone();
    use_effect_with((), move |_| client.send(&Request::WarmUp, None));
}

/// Once a new analysis is on screen (after the frame that paints its headline, and the frames
/// that bring the parts below it that are not held back, a few to a frame), the worker is told
/// ([`Request::Shown`]): after an import it holds its own model fits back until then, so that
/// the page lays the analysis out with a core to itself (the fitter has the other).
///
/// While the prediction that follows an import is under way, only the parts of the first
/// screen come before it ([`FIRST_HELD_ORDER`]): the parts below wait until it is in (or the
/// run has ended without it), so that the fits have both cores meanwhile, and until the
/// analysis's views below the first screen have come, which the worker makes after the
/// prediction ([`ltv_core::analysis::Analysis::later_pending`]). Parts that come later for the same analysis (a
/// table the user opens while other settings are predicted) never wait.
#[hook]
fn use_shown(state: &UseReducerHandle<Session>, client: &Rc<WorkerClient<Response>>) {
    let client = client.clone();
    let analysis = state.analysis.as_ref().map(|_| state.analyses);
    // After an import, the session predicts from the moment the analysis is in, and the
    // analysis's views below the first screen come after the prediction.
    let waiting = state.is_predicting() || state.later_pending();
    // A new analysis while either is awaited: its parts below the first screen wait.
    use_effect_with(analysis, move |analysis| {
        if analysis.is_some() {
            if waiting {
                components::hold_from(FIRST_HELD_ORDER);
            }
            components::when_shown_below_gate(move || client.send(&Request::Shown, None));
        }
    });
    // They come once both are in, and when the page goes.
    use_effect_with(waiting, |&waiting| {
        if !waiting {
            components::release();
        }
        components::release
    });
}

/// The first order of the analysis's parts that waits for the prediction (the monthly view
/// and all below it; the headline and the summary come first).
const FIRST_HELD_ORDER: u32 = 2;

/// Whenever the file or an import setting changes, the worker looks at the start of the file
/// again. The whole file goes with the request (a handle, not its bytes): the worker reads no
/// more of it than the core's sniff does, and learns its size (for the line estimate, and
/// whether the start is cut mid-line).
#[hook]
fn use_sniff(state: &UseReducerHandle<Session>, client: &Rc<WorkerClient<Response>>) {
    let client = client.clone();
    use_effect_with(
        (state.source.clone(), state.options.clone()),
        move |(source, options)| {
            if let Some(source) = source {
                let options = options.clone();
                client.send(&Request::Sniff { options }, Some(&source.blob));
            }
        },
    );
}

/// The pipeline is on screen once the analysis and the prediction have rendered and no run
/// is under way: the `ltv:pipeline` measure, and `data-pipeline="done"` on the body for the
/// tests. The parts below the first screen may still be coming then ([`use_shown`]): once
/// every part is shown, the `ltv:every-part` measure and `data-parts="all"`. `rendered` is
/// among the effect's inputs: importing the same file again gives results equal to the last
/// ones, and without it a run whose results arrived between two renders left no mark.
#[hook]
fn use_pipeline_mark(state: &UseReducerHandle<Session>) {
    let rendered = state.analysis.is_some()
        && state.forecast.is_some()
        && !state.predicting
        && !state.is_running();
    use_effect_with(
        (state.analysis.clone(), state.forecast.clone(), rendered),
        move |_| {
            if rendered {
                perf::end("ltv:pipeline");
                mark_body("data-pipeline", "done");
                components::when_all_shown(|| {
                    perf::end("ltv:every-part");
                    mark_body("data-parts", "all");
                });
            }
        },
    );
}

/// Sets `attribute` on the page's body, for the tests and the bench.
fn mark_body(attribute: &str, value: &str) {
    if let Some(body) = crate::document().and_then(|d| d.body()) {
        let _ = body.set_attribute(attribute, value);
    }
}

/// The data lives only in this tab: leaving or reloading with orders imported asks first.
#[hook]
fn use_leave_guard(holding: bool) {
    use_effect_with(holding, move |holding| {
        let listener = holding.then(web_sys::window).flatten().map(|window| {
            let options = gloo::events::EventListenerOptions::enable_prevent_default();
            gloo::events::EventListener::new_with_options(
                &window,
                "beforeunload",
                options,
                |event| {
                    event.prevent_default();
                    let _ = js_sys::Reflect::set(event, &"returnValue".into(), &"".into());
                },
            )
        });
        move || drop(listener)
    });
}
