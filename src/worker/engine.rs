//! The worker's work, with no web dependency: a request (and the file sent beside it) in,
//! responses out, each sent as soon as it is ready. The engine owns the imported order table
//! and everything computed from it; [`super::service`] only carries bytes between it and the
//! page, and the native tests drive it directly.

use ltv_core::analysis::compare::{
    compare_group_with, compare_periods_with, parse_customer_list, Period,
};
use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::export::{
    customers_csv_with, file_text, summary_json_with, Comparisons, CsvEncoding,
};
use ltv_core::analysis::segments::Segment;
use ltv_core::analysis::{
    analyse_first_views, analyse_views, customer_rows, Analysis, AnalysisParams, LaterViews,
};
use ltv_core::forecast::{
    forecast, initial_calibration_end, model_json, predicted_cells, Forecast, PREDICTED_HEADERS,
};
use std::ops::Range;
use std::rc::Rc;
use std::time::Duration;

use web_time::Instant;

use ltv_core::import::{
    import, import_from, join_parts, made_up_export, made_up_id_export, read_after, read_part,
    rejected_rows_csv, sniff_start, ByteSource, Import, ImportError, ImportOptions, ImportPart,
    ImportReport, PartRows, Progress, RevenueBasis, SNIFF_BYTES,
};
use ltv_core::model::{
    fit_purchase_model, predict_with, refit, start_prediction, AliveThresholds, FinishBegun,
    ModelError, ModelParams, Optimizer, Prediction, PredictionStart, PurchaseFit, PurchaseModel,
    RefitAsk, SummaryGroup,
};
use ltv_core::orders::{Day, OrderTable};

use super::marks::{self, mark};
use super::protocol::{
    FitAnswer, HelperAnswer, PartAnswer, RefitAnswer, Request, Response, Settings, Stage,
};
use crate::i18n;

/// The file sent beside a request (the worker's `Blob`, bytes in the tests), read a range at
/// a time and only as far as the request needs: never held whole.
pub trait FileSource {
    /// The file's length in bytes.
    fn len(&self) -> u64;

    /// Whether the file is empty.
    fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// The bytes of `range` (within the file); `Err` is the message for the user.
    fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String>;
}

/// The file sent beside a request.
pub type File<'a> = &'a mut dyn FileSource;

/// A [`FileSource`] as the import reads it, keeping the message of a read that failed.
struct Reading<'a> {
    file: File<'a>,
    failure: Option<String>,
}

impl ByteSource for Reading<'_> {
    fn len(&self) -> u64 {
        self.file.len()
    }

    fn read(&mut self, range: Range<u64>) -> Option<Vec<u8>> {
        match self.file.read(range) {
            Ok(bytes) => Some(bytes),
            Err(message) => {
                self.failure = Some(message);
                None
            }
        }
    }
}

/// Customers named in each ranking of the 予測LTV view.
const RANKED: usize = 20;

/// Rounds of the warm-up ([`WarmUp`]).
const WARM_UP_ROUNDS: usize = 5;

/// The worker's state between requests.
#[derive(Default)]
pub struct Engine {
    /// The last import that succeeded, and what was computed from it.
    held: Option<Held>,
    /// Whether the warm-up ([`WarmUp`]) has begun: it is made once.
    warmed: bool,
    /// The warm-up's steps still to make, while the glue makes them one task at a time
    /// ([`Engine::begin_warm_up`]).
    warming: Option<WarmUp>,
    /// The made-up exports as files, and a reader's answer handed over, as the glue makes
    /// them ([`WarmUpGlue`]; in memory until it says).
    warm_up_glue: Option<Rc<dyn WarmUpGlue>>,
    /// An import read in parts, waiting for the parts that helper workers read.
    pending: Option<Pending>,
    /// The helper workers a prediction's slow fits are sent to.
    fitters: Fitters,
    /// In a helper: the last fit made, and the prediction it was for, kept for a refit
    /// ([`Request::Refit`]).
    last_fit: Option<(u32, PurchaseFit)>,
}

/// The fitters as the engine sees them: the glue's helpers, if any, and the number of the
/// last prediction whose fits were sent to them.
#[derive(Default)]
struct Fitters {
    helpers: Option<Box<dyn FitHelpers>>,
    job: u32,
}

impl Fitters {
    /// Sends the slowest fits on `groups` to free helpers, when there are enough groups to
    /// gain by it: the prediction's number and the models sent (`None`: none).
    fn ask(&mut self, groups: &[SummaryGroup]) -> Option<(u32, Vec<PurchaseModel>)> {
        let helpers = self.helpers.as_mut()?;
        if groups.len() < FIT_ELSEWHERE_FROM_GROUPS {
            return None;
        }
        let job = self.job.wrapping_add(1);
        let free = helpers.available();
        let sent: Vec<PurchaseModel> = FITS_ELSEWHERE
            .into_iter()
            .take(free)
            .filter(|&model| {
                helpers.ask(&Request::Fit {
                    job,
                    model,
                    groups: groups.to_vec(),
                })
            })
            .collect();
        if sent.is_empty() {
            return None;
        }
        self.job = job;
        Some((job, sent))
    }
}

impl Fitters {
    /// Asks the helper fitting `model` for prediction `job` to refit it on the whole
    /// history's `groups` once its fit is made ([`Request::Refit`]); whether it was sent.
    fn ask_refit_ahead(
        &mut self,
        job: u32,
        model: PurchaseModel,
        groups: Vec<SummaryGroup>,
    ) -> bool {
        self.helpers
            .as_mut()
            .is_some_and(|helpers| helpers.ask(&Request::Refit { job, model, groups }))
    }

    /// Ends the work of the helpers busy for prediction `job` (a refit not needed).
    fn cancel(&mut self, job: u32) {
        if let Some(helpers) = self.helpers.as_mut() {
            helpers.cancel(job);
        }
    }
}

/// The helper workers a prediction's purchase-model fits are sent to ([`Request::Fit`]),
/// as the worker's glue holds them; their answers come back through [`Engine::take_fit`].
pub trait FitHelpers {
    /// How many helpers are running and free to take a fit now.
    fn available(&self) -> usize;
    /// Sends a free helper a request (a [`Request::Refit`]: the helper busy with its
    /// prediction's fit); `false` when it could not.
    fn ask(&mut self, request: &Request) -> bool;
    /// Ends the work of the helpers busy for prediction `job`, whose answers are no longer
    /// needed; they are started again later.
    fn cancel(&mut self, job: u32);
}

/// The models a helper fits, in this order, one a helper: the slowest first (Pareto/NBD's
/// likelihood needs a series per group), and BG/NBD always here.
const FITS_ELSEWHERE: [PurchaseModel; 2] = [PurchaseModel::ParetoNbd, PurchaseModel::MbgNbd];

/// Fewer (x, tₓ, T) groups than this are fitted here: every model then takes a few
/// hundredths of a second at most, less than a message's way to a helper and back.
pub const FIT_ELSEWHERE_FROM_GROUPS: usize = 2_000;

/// An import read in parts whose first part is read here: it waits for the others.
struct Pending {
    /// The import's number, which the helpers' answers carry.
    import: u32,
    first: ImportPart,
    /// The later parts, by index − 1, as they arrive.
    later: Vec<Option<PartRows>>,
    options: ImportOptions,
    settings: Settings,
}

/// Files from this size on are read in parts when there are helper workers: below it, one
/// reading takes well under a tenth of a second.
pub const PARTS_FROM_BYTES: u64 = 4 << 20;

/// Files beyond this size are read whole: the parts handed over and joined would hold about
/// twice the rows at once, and a file of a gigabyte must fit in one worker's memory.
pub const PARTS_UP_TO_BYTES: u64 = 256 << 20;

/// The most WebAssembly memory the worker and its helpers held at once, as far as can be
/// told from inside: each memory only grows, so its size now is its peak so far. A reader
/// says its size in its answer and is ended once it has answered, which gives its memory
/// back; until then it counts in full, beside the worker's size at that moment. A fitter
/// stays: it says its size when its fit was asked (what it held since its last fit) and when
/// it answered (what it holds from then on).
#[derive(Debug, Default)]
pub struct MemoryPeak {
    /// The highest bound reached by the imports before this one.
    before: u64,
    /// This import's readers' answers, in the order they came: the worker's memory then,
    /// and the reader's.
    answers: Vec<(u64, u64)>,
    /// The worker's memory the last time it was seen.
    worker: u64,
    /// By fitter: its memory while this import was read (idle), and at its last answer.
    fitters: Vec<(u64, u64)>,
}

impl MemoryPeak {
    /// A new import in parts: its readers have not answered yet, and the fitters hold what
    /// they held at their last answer.
    pub fn start_import(&mut self) {
        self.before = self.bytes();
        self.answers.clear();
        for (idle, last) in &mut self.fitters {
            *idle = *last;
        }
    }

    /// A reader answered (and is then ended), its memory `helper` bytes, the worker's
    /// `worker` bytes.
    pub fn answered(&mut self, worker: u64, helper: u64) {
        self.worker = self.worker.max(worker);
        self.answers.push((worker, helper));
    }

    /// Fitter `k` answered a fit: it held `idle` bytes until the fit was asked (since the
    /// import began, as it does nothing else), and `busy` bytes from its answer on.
    pub fn fitted(&mut self, k: usize, idle: u64, busy: u64) {
        if self.fitters.len() <= k {
            self.fitters.resize(k + 1, (0, 0));
        }
        let (held, last) = &mut self.fitters[k];
        *held = (*held).max(idle);
        *last = (*last).max(busy);
    }

    /// The worker's memory now.
    pub fn seen(&mut self, worker: u64) {
        self.worker = self.worker.max(worker);
    }

    /// The bound: when reader `i` answered, the worker held no more than it did then, every
    /// reader that answered then or later was still running, at no more than its size when
    /// it answered, and the fitters were idle; since then, the worker at its largest beside
    /// the fitters at theirs.
    pub fn bytes(&self) -> u64 {
        let idle: u64 = self.fitters.iter().map(|f| f.0).sum();
        let busy: u64 = self.fitters.iter().map(|f| f.1).sum();
        let mut later = 0;
        let mut most = self.before.max(self.worker + busy);
        for &(worker, helper) in self.answers.iter().rev() {
            later += helper;
            most = most.max(worker + later + idle);
        }
        most
    }
}

/// How many parts a file of `bytes` is read in, with `helpers` helper workers.
pub fn parts_for(bytes: u64, helpers: usize) -> usize {
    if (PARTS_FROM_BYTES..=PARTS_UP_TO_BYTES).contains(&bytes) {
        helpers + 1
    } else {
        1
    }
}

/// An imported file and what was computed from it.
struct Held {
    table: OrderTable,
    report: ImportReport,
    /// The orders grouped by customer at the last analysis date: a new threshold is
    /// applied without grouping a million orders again.
    base: Option<CustomerBase>,
    /// The last analysis, for the next one to start from. Without its per-customer rows:
    /// an export makes them from `base` (they would double the memory held on many customers).
    analysis: Option<Analysis>,
    /// The last prediction, per customer, for the exports.
    prediction: Option<Predicted>,
    /// A prediction whose fits were asked of helpers, waiting for their answers.
    fitting: Option<Fitting>,
    /// A prediction whose refit on the whole history was asked of a helper, waiting for it.
    finishing: Option<Finishing>,
    /// The comparisons set on the page, for the summary JSON.
    comparisons: Comparisons,
}

/// A prediction begun, some of its purchase models fitted by helper workers.
struct Fitting {
    /// The number the helpers' answers carry.
    job: u32,
    params: ModelParams,
    alive: AliveThresholds,
    /// The prediction begun, with the fits made so far.
    start: PredictionStart,
    /// The models asked of helpers.
    elsewhere: Vec<PurchaseModel>,
    /// The fits to make here wait for the page to have laid out the analysis.
    held_back: bool,
    /// The refit of the model a helper fits, asked of it ahead, in case it is chosen.
    ahead: Option<Ahead>,
}

/// A refit on the whole history asked of the helper fitting `model` ([`Request::Refit`]).
struct Ahead {
    model: PurchaseModel,
    /// Its answer, once in.
    answer: Option<RefitAnswer>,
}

impl Fitting {
    fn is_complete(&self) -> bool {
        PurchaseModel::ALL.iter().all(|&m| self.start.has_fit(m))
    }
}

/// A prediction's finish begun, the chosen model's refit asked of a
/// helper worker ([`Request::Refit`]) while the rest was made here.
struct Finishing {
    /// The number the helper's answer carries.
    job: u32,
    params: ModelParams,
    alive: AliveThresholds,
    begun: FinishBegun,
}

/// A prediction with the settings it was made with.
struct Predicted {
    params: ModelParams,
    alive: AliveThresholds,
    result: Result<Prediction, ModelError>,
    /// The page's view of it, as last sent.
    view: Result<Box<Forecast>, ModelError>,
}

impl Engine {
    pub fn new() -> Self {
        Self::default()
    }

    /// Carries out one request, calling `send` with each response as soon as it is ready.
    /// `file` is the file sent beside the request (`None`: none was).
    pub fn handle(
        &mut self,
        request: Request,
        file: Option<File<'_>>,
        send: &mut dyn FnMut(Response),
    ) {
        // A prediction still waiting for a helper's fit is finished first (its fits made
        // here), so that what the request reads or changes comes after it.
        let waits = !matches!(
            request,
            Request::Predict { .. }
                | Request::Sniff { .. }
                | Request::WarmUp
                | Request::Import { .. }
                | Request::Shown
        );
        if let Some(held) = self.held.as_mut().filter(|_| waits) {
            held.settle(&mut self.fitters, false, send);
            held.make_later_views(send);
        }
        match request {
            Request::Sniff { options } => self.sniff(&options, file, send),
            Request::Import { options, settings } => {
                self.import(options, settings, file, 1, 0, send)
            }
            // For a helper worker, whose glue answers them with [`Engine::read_part`] and
            // [`Engine::fit`] and [`Engine::refit`].
            Request::ReadPart { .. } | Request::Fit { .. } | Request::Refit { .. } => {
                send(Response::Failed(i18n::WORKER_BAD_REQUEST.to_string()))
            }
            Request::Analyse { params } => match &mut self.held {
                Some(held) => held.analyse(params, false, send),
                None => nothing_imported(send),
            },
            Request::Predict { params, alive } => match &mut self.held {
                Some(held) => held.predict_beside(params, alive, &mut self.fitters, false, send),
                None => nothing_imported(send),
            },
            Request::RejectedRowsCsv => match &self.held {
                Some(held) => send(held.rejected_rows()),
                None => nothing_imported(send),
            },
            Request::CustomersCsv { encoding, segment } => {
                match self
                    .held
                    .as_ref()
                    .and_then(|h| h.customers_csv(encoding, segment))
                {
                    Some(file) => send(file),
                    None => nothing_imported(send),
                }
            }
            Request::SummaryJson => match self.held.as_ref().and_then(Held::summary_json) {
                Some(answer) => send(answer),
                None => nothing_imported(send),
            },
            Request::ComparePeriods { before, after } => {
                match self
                    .held
                    .as_mut()
                    .and_then(|h| h.compare_periods(before, after))
                {
                    Some(answer) => send(answer),
                    None => nothing_imported(send),
                }
            }
            // The glue makes its own (with its files, and with what it sends muted): this one
            // is the native tests'.
            Request::WarmUp => self.warm_up_once(&mut |_| {}),
            Request::Shown => {
                mark("analysis shown");
                if let Some(held) = &mut self.held {
                    held.go_on(&mut self.fitters, send);
                }
            }
            Request::CompareGroup { list, since } => {
                match self
                    .held
                    .as_mut()
                    .and_then(|h| h.compare_group(&list, since))
                {
                    Some(answer) => send(answer),
                    None => nothing_imported(send),
                }
            }
        }
    }

    /// The helper workers a prediction's fits may be sent to from now on.
    pub fn set_fit_helpers(&mut self, helpers: Box<dyn FitHelpers>) {
        self.fitters.helpers = Some(helpers);
    }

    /// A helper worker's work: `model` fitted on `groups`, for prediction number `job`.
    pub fn fit(&mut self, job: u32, model: PurchaseModel, groups: &[SummaryGroup]) -> FitAnswer {
        let result = fit_purchase_model(model, groups);
        mark(format_args!("fitter: {} fitted", model.json_name()));
        self.last_fit = result.as_ref().ok().map(|fit| (job, fit.clone()));
        FitAnswer {
            job,
            model,
            result,
            memory_asked: 0,
            memory: 0,
        }
    }

    /// A helper's fit: the prediction is finished and sent once every fit has come (an
    /// answer for another prediction is dropped).
    pub fn take_fit(&mut self, answer: FitAnswer, send: &mut dyn FnMut(Response)) {
        mark("fitter's answer");
        if let Some(held) = self.held.as_mut() {
            held.take_fit(answer, &mut self.fitters, send);
        }
    }

    /// A helper worker's work: `model`, fitted last here for prediction number `job`, fitted
    /// again from that fit on the whole history's `groups` ([`refit`]); nothing when the last
    /// fit was another.
    pub fn refit(
        &mut self,
        job: u32,
        model: PurchaseModel,
        groups: &[SummaryGroup],
    ) -> RefitAnswer {
        let refit = self
            .last_fit
            .as_ref()
            .filter(|(fitted_for, fit)| *fitted_for == job && fit.model == model)
            .map(|(_, fit)| {
                let ask = RefitAsk::new(fit.params, true);
                (ask, refit(&ask, groups))
            });
        RefitAnswer {
            job,
            refit,
            memory_asked: 0,
            memory: 0,
        }
    }

    /// A helper's refit made ahead: kept until the model is chosen, or the prediction that
    /// waits for it finished with it and sent (an answer for another prediction is dropped).
    pub fn take_refit(&mut self, answer: RefitAnswer, send: &mut dyn FnMut(Response)) {
        if let Some(held) = self.held.as_mut() {
            held.take_refit(answer, &mut self.fitters, send);
        }
    }

    /// The helper fitting for prediction number `job` is lost (or answered what cannot be
    /// read): the fits or the refit it owed are made here, and the prediction is finished.
    pub fn lose_fit(&mut self, job: u32, send: &mut dyn FnMut(Response)) {
        if let Some(held) = self.held.as_mut() {
            if held.fitting.as_ref().is_some_and(|f| f.job == job)
                || held.finishing.as_ref().is_some_and(|f| f.job == job)
            {
                held.settle(&mut self.fitters, false, send);
            }
        }
    }

    /// Whether an import is held (for the tests).
    pub fn holds_orders(&self) -> bool {
        self.held.is_some()
    }

    fn sniff(
        &mut self,
        options: &ImportOptions,
        file: Option<File<'_>>,
        send: &mut dyn FnMut(Response),
    ) {
        match start_of(file) {
            Ok((start, total)) => send(Response::Sniffed(
                sniff_start(&start, total, options).map(Box::new),
            )),
            Err(message) => send(Response::Failed(message)),
        }
    }

    /// The warm-up's files and hand-over from now on ([`WarmUpGlue`]).
    pub fn set_warm_up_glue(&mut self, glue: Rc<dyn WarmUpGlue>) {
        self.warm_up_glue = Some(glue);
    }

    fn warm_up_glue(&mut self) -> Rc<dyn WarmUpGlue> {
        Rc::clone(
            self.warm_up_glue
                .get_or_insert_with(|| Rc::new(InMemory::default())),
        )
    }

    /// A reader's warm-up, the first time only: it only ever reads parts, so it reads the
    /// second half of each made-up export a few times as it reads a user's part
    /// ([`Engine::read_part`]) and hands it over, in a few hundredths of a second, and
    /// leaves the cores to the worker's own warm-up.
    pub fn warm_up_helper_once(&mut self) {
        if self.warmed {
            return;
        }
        self.warmed = true;
        marks::unmarked(|| self.warm_up_reading());
    }

    /// [`Engine::warm_up_helper_once`]'s reading.
    fn warm_up_reading(&mut self) {
        let glue = self.warm_up_glue();
        for _ in 0..WARM_UP_ROUNDS {
            for k in 0..WarmUp::EXPORTS {
                self.warm_up_second_half(&*glue, k);
            }
        }
    }

    /// The second of two parts of made-up export `k`, read as a reader reads a user's part
    /// ([`Engine::read_part`]) and handed over as its answer is: the answer as the worker
    /// receives it.
    fn warm_up_second_half(&mut self, glue: &dyn WarmUpGlue, k: usize) -> Option<PartAnswer> {
        let answer = self.read_part(
            &ImportOptions::new(),
            WARM_UP_IMPORT,
            1,
            2,
            Some(&mut *glue.file(k)),
        );
        match glue.hand_over(HelperAnswer::Part(Box::new(answer)))? {
            HelperAnswer::Part(answer) => Some(*answer),
            _ => None,
        }
    }

    /// A fitter's warm-up, the first time only: the purchase models fitted on the made-up
    /// export's customers ([`warm_up_fitting`]).
    pub fn warm_up_fitter_once(&mut self) {
        if !self.warmed {
            self.warmed = true;
            marks::unmarked(warm_up_fitting);
        }
    }

    /// The warm-up, the first time only, made whole (the rest of it, when the glue has begun
    /// it in steps); what it sends is sent to `send`, which the glue mutes meanwhile.
    pub fn warm_up_once(&mut self, send: &mut dyn FnMut(Response)) {
        if self.begin_warm_up() {
            while self.warm_up_step(send) {}
        }
    }

    /// Begins the warm-up, the first time only: whether it has steps to make
    /// ([`Engine::warm_up_step`]). The glue makes them one task at a time, so that the
    /// helpers it has just started can start meanwhile: a worker started by a worker starts
    /// only when its starter's event loop turns, and a warm-up made in one task held them
    /// back until its end (both began within 5 ms of it, in every trace).
    pub fn begin_warm_up(&mut self) -> bool {
        if self.warmed {
            return self.warming.is_some();
        }
        self.warmed = true;
        // A worker started again after a cancel gets no warm-up request, and its first sniff
        // may come while an import is under way: that import has warmed the code.
        if self.held.is_some() || self.pending.is_some() {
            return false;
        }
        self.warming = Some(WarmUp::default());
        true
    }

    /// Makes the warm-up's next step, its responses sent to `send` (the glue's own sender,
    /// muted: see [`WarmUp`]); whether steps remain.
    pub fn warm_up_step(&mut self, send: &mut dyn FnMut(Response)) -> bool {
        let Some(step) = self.warming.as_ref().map(|w| w.made) else {
            return false;
        };
        // Whatever the engine holds is put back afterwards, nothing of the made-up file kept.
        let (held, pending) = (self.held.take(), self.pending.take());
        marks::unmarked(|| self.warm_up_pipeline(step % WarmUp::EXPORTS, send));
        (self.held, self.pending) = (held, pending);
        let more = step + 1 < WarmUp::STEPS;
        match (&mut self.warming, more) {
            (Some(warming), true) => warming.made += 1,
            _ => self.warming = None,
        }
        more
    }

    /// The whole pipeline on made-up export `k`, through the very calls a user's file goes
    /// through: the import in two parts (the second read as a reader reads it and handed
    /// over as its answer comes), the join, the analysis, the prediction and the views.
    fn warm_up_pipeline(&mut self, k: usize, send: &mut dyn FnMut(Response)) {
        // The fitters are not asked: their answers would come after the warm-up, to a
        // sender no longer muted.
        let helpers = self.fitters.helpers.replace(Box::new(NoHelpers));
        let glue = self.warm_up_glue();
        self.import(
            ImportOptions::new(),
            Settings::default(),
            Some(&mut *glue.file(k)),
            2,
            WARM_UP_IMPORT,
            send,
        );
        if let Some(answer) = self.warm_up_second_half(&*glue, k) {
            self.take_part(answer, Some(&mut *glue.file(k)), send);
        }
        self.fitters.helpers = helpers;
    }

    /// The pipeline: import, then analyse and predict with the settings for the new file.
    /// With `parts` > 1 the file is read in parts: the first here, the others by helper
    /// workers (asked by the glue, for import number `import`), whose answers
    /// [`Engine::take_part`] joins; the pipeline goes on once the last has come.
    pub fn import(
        &mut self,
        options: ImportOptions,
        settings: Settings,
        file: Option<File<'_>>,
        parts: usize,
        import: u32,
        send: &mut dyn FnMut(Response),
    ) {
        // Nothing of the previous file survives a new import, whatever its outcome; dropped
        // first, so that a large file is read with the memory free. A fitter's refit asked
        // ahead for it is ended (it would hold the fitter from this file's fits).
        if let Some(mut held) = self.held.take() {
            held.drop_refit_ahead(&mut self.fitters);
        }
        self.pending = None;
        send(Response::Progress {
            stage: Stage::Reading,
            fraction: 0.0,
        });
        let Some(file) = file else {
            return send(Response::Failed(i18n::WORKER_NO_FILE.to_string()));
        };
        let mut source = Reading {
            file,
            failure: None,
        };
        if parts <= 1 {
            let result = with_progress(send, PROGRESS_GAP, |progress| {
                import_from(&mut source, &options, progress)
            });
            return self.imported(result, source.failure, settings, send);
        }
        let result = with_progress(send, PROGRESS_GAP, |progress| {
            read_part(&mut source, &options, 0, parts, progress)
        });
        mark("own part read");
        match (result, source.failure) {
            (_, Some(message)) => send(Response::Failed(message)),
            (Err(error), None) => send(Response::Imported(Err(error))),
            (Ok(first), None) => {
                self.pending = Some(Pending {
                    import,
                    first,
                    later: (1..parts).map(|_| None).collect(),
                    options,
                    settings,
                });
            }
        }
    }

    /// A helper's part of the import in parts: joined once every part has come (an answer for
    /// another import is dropped). A helper that failed leaves its part to be read here.
    pub fn take_part(
        &mut self,
        answer: PartAnswer,
        file: Option<File<'_>>,
        send: &mut dyn FnMut(Response),
    ) {
        let Some(pending) = self.pending.as_mut().filter(|p| p.import == answer.import) else {
            return;
        };
        mark("helper's part received");
        let slot = (answer.index as usize)
            .checked_sub(1)
            .and_then(|i| pending.later.get_mut(i));
        match (answer.result, slot) {
            (Ok(rows), Some(slot)) => *slot = Some(rows),
            _ => return self.lose_part(answer.import, file, send),
        }
        if pending.later.iter().all(Option::is_some) {
            let Some(file) = file else {
                self.pending = None;
                return send(Response::Failed(i18n::WORKER_NO_FILE.to_string()));
            };
            let source = Reading {
                file,
                failure: None,
            };
            self.join(None, source, send);
        }
    }

    /// A helper worker of import number `import` is lost (or answered with an error): the
    /// rest of the file is read here, and the import goes on.
    pub fn lose_part(
        &mut self,
        import: u32,
        file: Option<File<'_>>,
        send: &mut dyn FnMut(Response),
    ) {
        if self.pending.as_ref().is_none_or(|p| p.import != import) {
            return;
        }
        let Some(file) = file else {
            self.pending = None;
            return send(Response::Failed(i18n::WORKER_NO_FILE.to_string()));
        };
        let Some(pending) = self.pending.as_mut() else {
            return;
        };
        let mut source = Reading {
            file,
            failure: None,
        };
        let rest = read_after(&pending.first, &mut source, &pending.options);
        self.join(Some(rest), source, send);
    }

    /// Joins the parts held, then goes on with the pipeline. `rest`: the rest of the file
    /// read here, instead of the helpers' parts.
    fn join(
        &mut self,
        rest: Option<Result<Vec<PartRows>, ImportError>>,
        mut source: Reading<'_>,
        send: &mut dyn FnMut(Response),
    ) {
        let Some(Pending {
            first,
            later,
            options,
            settings,
            ..
        }) = self.pending.take()
        else {
            return;
        };
        let later = match rest {
            None => later.into_iter().flatten().collect(),
            Some(Ok(rest)) => rest,
            Some(Err(error)) => return self.imported(Err(error), source.failure, settings, send),
        };
        let result = join_parts(first, later, &mut source, &options, &mut |_| true);
        mark("parts joined");
        self.imported(result, source.failure, settings, send);
    }

    /// A helper worker's work: part `index` of `count` of the file, for import number
    /// `import`.
    pub fn read_part(
        &mut self,
        options: &ImportOptions,
        import: u32,
        index: u32,
        count: u32,
        file: Option<File<'_>>,
    ) -> PartAnswer {
        let result = match file {
            None => Err(ltv_core::import::ImportErrorKind::Cancelled.into()),
            Some(file) => {
                let mut source = Reading {
                    file,
                    failure: None,
                };
                let part = read_part(
                    &mut source,
                    options,
                    index as usize,
                    count as usize,
                    &mut |_| true,
                )
                .map(ImportPart::into_rows);
                mark("helper: part read");
                part
            }
        };
        PartAnswer {
            import,
            index,
            result,
            memory: 0,
        }
    }

    /// The import's outcome: sent, and on success analysed and predicted with the settings
    /// for the new file.
    fn imported(
        &mut self,
        result: Result<Import, ImportError>,
        failure: Option<String>,
        settings: Settings,
        send: &mut dyn FnMut(Response),
    ) {
        let done = match (result, failure) {
            (_, Some(message)) => return send(Response::Failed(message)),
            (Ok(done), None) => done,
            (Err(error), None) => return send(Response::Imported(Err(error))),
        };
        send(Response::Imported(Ok(Box::new(done.report.clone()))));
        let (analysis, model) = settings_for(&done.report, settings.analysis, settings.model);
        // In customer order, the analysis reads the orders where they are instead of
        // keeping a second copy of them.
        let mut table = done.table;
        table.group_by_customer();
        mark("customer order");
        let held = self.held.insert(Held {
            table,
            report: done.report,
            base: None,
            analysis: None,
            prediction: None,
            fitting: None,
            finishing: None,
            comparisons: Comparisons::default(),
        });
        // The customer base first, and from it the prediction's calibration period: its
        // slowest fit goes to a fitter now and runs beside the analysis's views.
        held.base_at(analysis.as_of());
        mark("customer base");
        held.begin_fitting(&model, settings.alive, &mut self.fitters, true);
        mark("calibration summary");
        // The views below the page's first screen are made once the prediction is sent
        // ([`Held::answer`]).
        held.analyse(analysis, true, send);
        mark("first views sent");
        // The page lays the analysis out now: the fits made here wait for
        // [`Request::Shown`] (or a fitter's answer), so that two fits do not share the cores
        // with it.
        held.predict_beside(model, settings.alive, &mut self.fitters, true, send);
    }
}

/// [`Held::base_at`] on a held file's parts, so that its other parts stay free to borrow.
fn base_at<'a>(
    held: &'a mut Option<CustomerBase>,
    table: &OrderTable,
    as_of: Option<Day>,
) -> &'a CustomerBase {
    let day = CustomerBase::as_of_for(table, as_of);
    if held.as_ref().is_some_and(|base| base.as_of() != day) {
        *held = None;
    }
    held.get_or_insert_with(|| CustomerBase::new(table, as_of))
}

/// The settings a new file starts with: its own last order day as the 基準日, and a holdout
/// when it spans a year or more.
fn settings_for(
    report: &ImportReport,
    analysis: AnalysisParams,
    model: ModelParams,
) -> (AnalysisParams, ModelParams) {
    let calibration_end = match (report.first_day, report.last_day) {
        (Some(first), Some(last)) => initial_calibration_end(first, last),
        _ => None,
    };
    (
        analysis.with_as_of(None),
        model.with_calibration_end(calibration_end),
    )
}

/// The first [`SNIFF_BYTES`] of the file (all of a shorter one) and its length.
fn start_of(file: Option<File<'_>>) -> Result<(Vec<u8>, u64), String> {
    let file = file.ok_or_else(|| i18n::WORKER_NO_FILE.to_string())?;
    let total = file.len();
    let start = file.read(0..total.min(SNIFF_BYTES as u64))?;
    Ok((start, total))
}

fn nothing_imported(send: &mut dyn FnMut(Response)) {
    send(Response::Failed(i18n::WORKER_NOTHING_IMPORTED.to_string()));
}

/// Progress messages are this far apart at least: each one re-renders the page, and a
/// million orders took about a hundred of them (one per percent) in under a second, a few
/// milliseconds of the page's thread each, taken from the import on a machine of two cores.
/// About 30 a second still moves the bar smoothly.
const PROGRESS_GAP: Duration = Duration::from_millis(33);

/// Runs `work` (an import, or the first part of one), telling it to send a progress message
/// when it has moved on by a percent or more and `gap` has passed since the last one.
fn with_progress<T>(
    send: &mut dyn FnMut(Response),
    gap: Duration,
    work: impl FnOnce(&mut dyn FnMut(Progress) -> bool) -> Result<T, ImportError>,
) -> Result<T, ImportError> {
    let mut last = 0.0;
    let mut last_at: Option<Instant> = None;
    work(&mut |p| {
        let fraction = p.bytes_done as f64 / (p.bytes_total.max(1)) as f64;
        if fraction - last >= 0.01 && last_at.is_none_or(|at| at.elapsed() >= gap) {
            last = fraction;
            last_at = Some(Instant::now());
            send(Response::Progress {
                stage: Stage::Importing,
                fraction,
            });
        }
        true
    })
}

impl Held {
    /// Analyses with `params`, or answers the analysis held when they did not change.
    ///
    /// `first_screen` (a new file's analysis): without the views below the page's first screen
    /// ([`analyse_first_views`]), so that the page shows its first screen, and the prediction
    /// is made, before they are ([`Held::make_later_views`]); the page's parts below wait for
    /// both anyway. Measured 2026-12-06 in Chromium, interleaved, the click at the preview:
    /// the analysis 84 → 30 ms and to screen 666 → 641 ms on `orders_1m.csv` (8 rounds; the
    /// prediction then waits longer for the fitter's Pareto/NBD fit), 148 → 44 and 1,352 →
    /// 1,282 ms on `orders_1m_steady.csv` (5 rounds); every part on screen 40 to 50 ms later.
    fn analyse(
        &mut self,
        params: AnalysisParams,
        first_screen: bool,
        send: &mut dyn FnMut(Response),
    ) {
        if let Some(analysis) = self.analysis.as_ref().filter(|a| a.params == params) {
            return send(Response::Analysed(Box::new(analysis.without_customers())));
        }
        send(Response::Progress {
            stage: Stage::Analysing,
            fraction: 0.0,
        });
        let base = base_at(&mut self.base, &self.table, params.as_of());
        let analysis = if first_screen {
            analyse_first_views(&self.table, base, &params)
        } else {
            analyse_views(&self.table, base, &params, self.analysis.take())
        };
        send(Response::Analysed(Box::new(analysis.without_customers())));
        self.analysis = Some(analysis);
    }

    /// The views below the first screen of the analysis held, when they are still to be made:
    /// made, kept, and sent to the page.
    fn make_later_views(&mut self, send: &mut dyn FnMut(Response)) {
        let Some(analysis) = self.analysis.as_mut().filter(|a| a.later_pending) else {
            return;
        };
        let base = base_at(&mut self.base, &self.table, Some(analysis.as_of));
        let later = LaterViews::new(&self.table, base, &analysis.params);
        send(Response::LaterViews(Box::new(later.clone())));
        mark("later views sent");
        analysis.set_later_views(later);
    }

    /// The orders grouped by customer at `as_of` (the last order day when `None`): the one
    /// held, or made now and held.
    fn base_at(&mut self, as_of: Option<Day>) -> &CustomerBase {
        base_at(&mut self.base, &self.table, as_of)
    }

    /// [`Held::predict`], with the slowest fits sent to the fitters when some are free and
    /// the file is large enough to gain by it; the prediction is then finished when their
    /// fits have come ([`Held::take_fit`]). `hold`: the fits made here wait for the page to
    /// have laid out the analysis ([`Held::go_on`]) or for a fitter's answer.
    fn predict_beside(
        &mut self,
        params: ModelParams,
        alive: AliveThresholds,
        fitters: &mut Fitters,
        hold: bool,
        send: &mut dyn FnMut(Response),
    ) {
        self.begin_fitting(&params, alive, fitters, hold);
        match self.fitting.as_ref() {
            Some(fitting) if fitting.held_back => send(Response::Progress {
                stage: Stage::Predicting,
                fraction: 0.0,
            }),
            _ => self.predict(params, alive, fitters, send),
        }
    }

    /// Begins a prediction with `params`, its slowest fits sent to the fitters, when some
    /// are free and it is not made or begun already. `hold`: as [`Held::predict_beside`].
    fn begin_fitting(
        &mut self,
        params: &ModelParams,
        alive: AliveThresholds,
        fitters: &mut Fitters,
        hold: bool,
    ) {
        let made = self
            .prediction
            .as_ref()
            .is_some_and(|p| p.params == *params)
            || self.fitting.as_ref().is_some_and(|f| f.params == *params)
            || self.finishing.as_ref().is_some_and(|f| f.params == *params);
        if made || fitters.helpers.is_none() {
            return;
        }
        // Another prediction begun is dropped (below, or by [`Held::predict`]): a refit asked
        // ahead for it is ended, and the fitter is not held by it.
        self.drop_refit_ahead(fitters);
        if let Ok(start) = start_prediction(&self.table, self.base.as_ref(), params) {
            // Begun here either way: [`Held::predict`] goes on from it.
            let (job, elsewhere) = fitters.ask(start.groups()).unwrap_or_default();
            self.fitting = Some(Fitting {
                job,
                params: params.clone(),
                alive,
                start,
                held_back: hold && !elsewhere.is_empty(),
                elsewhere,
                ahead: None,
            });
        }
    }

    /// Ends the work of a fitter refitting ahead for the prediction begun (or being finished),
    /// which is dropped: the prediction begun is then finished without it.
    fn drop_refit_ahead(&mut self, fitters: &mut Fitters) {
        let ahead = self
            .fitting
            .as_mut()
            .and_then(|f| f.ahead.take().map(|_| f.job));
        let finishing = self.finishing.take().map(|f| f.job);
        for job in ahead.into_iter().chain(finishing) {
            fitters.cancel(job);
        }
    }

    /// A helper's fit for the prediction begun; it is finished once every fit is there.
    fn take_fit(
        &mut self,
        answer: FitAnswer,
        fitters: &mut Fitters,
        send: &mut dyn FnMut(Response),
    ) {
        let Some(fitting) = self.fitting.as_mut().filter(|f| f.job == answer.job) else {
            return;
        };
        if fitting.elsewhere.contains(&answer.model) {
            fitting.start.add_fit(answer.model, answer.result);
        }
        if fitting.held_back {
            self.fit_here(fitters);
        }
        self.finish_fitting(fitters, send);
    }

    /// Makes here every fit of the prediction begun not asked of a helper, then the spend
    /// model's while the helpers' fits are awaited. After a fit here that Newton's method did
    /// not settle (a likelihood along a ridge, where L-BFGS takes several times as long), the
    /// fits here are the longer work and the helper would wait once its fit is made: its
    /// model's refit on the whole history is asked of it then ([`Held::ask_refit_ahead`]).
    fn fit_here(&mut self, fitters: &mut Fitters) {
        for model in PurchaseModel::ALL {
            let Some(fitting) = self.fitting.as_mut() else {
                return;
            };
            fitting.held_back = false;
            if fitting.start.has_fit(model) || fitting.elsewhere.contains(&model) {
                continue;
            }
            let fit = fit_purchase_model(model, fitting.start.groups());
            mark(format_args!("{} fitted", model.json_name()));
            let slow = fit.as_ref().is_ok_and(|f| f.optimizer != Optimizer::Newton);
            fitting.start.add_fit(model, fit);
            mark(format_args!("{} compared", model.json_name()));
            if slow {
                self.ask_refit_ahead(fitters);
            }
        }
        if let Some(fitting) = self.fitting.as_mut().filter(|f| !f.is_complete()) {
            fitting.start.fit_spend_ahead();
            mark("spend fitted");
        }
    }

    /// The refit on the whole history of the model a helper fits, asked of that helper while
    /// it fits (once, and only while it has not answered): when the model is chosen, its
    /// refit is then ready or under way when the fits are in. The whole history's groups are
    /// made here for it.
    fn ask_refit_ahead(&mut self, fitters: &mut Fitters) {
        let Some(fitting) = self.fitting.as_mut() else {
            return;
        };
        let Some(&model) = fitting.elsewhere.first() else {
            return;
        };
        if fitting.ahead.is_some() || fitting.start.has_fit(model) {
            return;
        }
        let Some(groups) = fitting
            .start
            .whole_groups(&self.table, self.base.as_ref())
            .filter(|g| g.len() >= FIT_ELSEWHERE_FROM_GROUPS)
        else {
            return;
        };
        // Not kept here: the finish makes them again after the spend model's fit, as
        // without a refit ahead, so that this worker's memory peaks no higher.
        if fitters.ask_refit_ahead(fitting.job, model, groups) {
            fitting.ahead = Some(Ahead {
                model,
                answer: None,
            });
        }
    }

    /// A helper's refit made ahead: kept while the fits are awaited; the prediction waiting
    /// for it is finished with it and sent.
    fn take_refit(
        &mut self,
        answer: RefitAnswer,
        fitters: &mut Fitters,
        send: &mut dyn FnMut(Response),
    ) {
        if let Some(ahead) = self
            .fitting
            .as_mut()
            .filter(|f| f.job == answer.job)
            .and_then(|f| f.ahead.as_mut())
        {
            ahead.answer = Some(answer);
            return;
        }
        if let Some(finishing) = self.finishing.take_if(|f| f.job == answer.job) {
            self.complete(finishing, Some(answer), Some(fitters), send);
        }
    }

    /// The page has laid out the analysis: the fits held back are made now, and the
    /// prediction is finished if the fitters have answered.
    fn go_on(&mut self, fitters: &mut Fitters, send: &mut dyn FnMut(Response)) {
        if self.fitting.as_ref().is_some_and(|f| f.held_back) {
            self.fit_here(fitters);
            self.finish_fitting(fitters, send);
        }
    }

    /// The prediction begun, finished when every fit is there: sent then, or once the
    /// helper has refitted the chosen model.
    fn finish_fitting(&mut self, fitters: &mut Fitters, send: &mut dyn FnMut(Response)) {
        if self.fitting.as_ref().is_some_and(Fitting::is_complete) {
            self.settle(fitters, true, send);
        }
    }

    /// Finishes the prediction begun, if any: the fits still owed by helpers are made here
    /// ([`PredictionStart::begin_finish`] makes every fit not handed in) and the model
    /// chosen. Its refit on the whole history is the one a helper made ahead when it is
    /// that helper's model; when that refit is still under way, the rest is made here and,
    /// when `wait`, the prediction is sent once it comes ([`Held::take_refit`]); otherwise
    /// the refit is made here, and a helper's refit not needed is ended.
    fn settle(&mut self, fitters: &mut Fitters, wait: bool, send: &mut dyn FnMut(Response)) {
        if let Some(finishing) = self.finishing.take() {
            return self.complete(finishing, None, Some(fitters), send);
        }
        let Some(Fitting {
            job,
            params,
            alive,
            start,
            ahead,
            ..
        }) = self.fitting.take()
        else {
            return;
        };
        let (answer, ahead_model) = match ahead {
            Some(Ahead { model, answer }) => (answer, Some(model)),
            None => (None, None),
        };
        let begun = match start.begin_finish(&self.table, self.base.as_ref()) {
            Ok(begun) => begun,
            Err(e) => return self.send_prediction(params, alive, Err(e), send),
        };
        mark("model chosen");
        let mut finishing = Finishing {
            job,
            params,
            alive,
            begun,
        };
        match ahead_model {
            Some(model) if model == finishing.begun.model() => {
                if answer.is_none() && wait {
                    finishing.begun.prepare();
                    self.finishing = Some(finishing);
                } else {
                    self.complete(finishing, answer, Some(fitters), send);
                }
            }
            // Another model chosen: the refit is made here, the helper's ended.
            Some(_) => self.complete(finishing, None, Some(fitters), send),
            // None asked ahead: nothing to end.
            None => self.complete(finishing, None, None, send),
        }
    }

    /// Completes and sends a prediction's finish: with a helper's refit made ahead (when it
    /// was made for what the finish asks), or with the refit made here, the helper refitting
    /// ahead for it, in `fitters`, then ended.
    fn complete(
        &mut self,
        finishing: Finishing,
        answer: Option<RefitAnswer>,
        fitters: Option<&mut Fitters>,
        send: &mut dyn FnMut(Response),
    ) {
        let Finishing {
            job,
            params,
            alive,
            begun,
        } = finishing;
        let refitted = match answer {
            Some(answer) => answer
                .refit
                .filter(|(ask, _)| ask == begun.refit_ask())
                .map(|(_, refitted)| refitted),
            None => {
                if let Some(fitters) = fitters {
                    fitters.cancel(job);
                }
                None
            }
        };
        let result = begun.complete(refitted);
        mark("prediction made");
        self.send_prediction(params, alive, result, send);
    }

    /// Sends a prediction made with `params`, seen with `alive`, and keeps it.
    fn send_prediction(
        &mut self,
        params: ModelParams,
        alive: AliveThresholds,
        result: Result<Prediction, ModelError>,
        send: &mut dyn FnMut(Response),
    ) {
        let view = self.view(&result, alive);
        self.answer(
            Predicted {
                params,
                alive,
                result,
                view,
            },
            send,
        );
    }

    /// Predicts with `params` and `alive`: the models are fitted again only when `params`
    /// changed, the view made again only when `alive` did.
    fn predict(
        &mut self,
        params: ModelParams,
        alive: AliveThresholds,
        fitters: &mut Fitters,
        send: &mut dyn FnMut(Response),
    ) {
        if let Some(finishing) = self.finishing.as_mut() {
            if finishing.params == params {
                // Its refit is with a helper: sent when it comes, seen with `alive`.
                finishing.alive = alive;
                return send(Response::Progress {
                    stage: Stage::Predicting,
                    fraction: 0.0,
                });
            }
            self.finishing = None;
        }
        if let Some(fitting) = self.fitting.as_mut() {
            if fitting.params == params {
                // Begun, its slowest fits with helpers: the others are made here meanwhile.
                fitting.alive = alive;
                send(Response::Progress {
                    stage: Stage::Predicting,
                    fraction: 0.0,
                });
                self.fit_here(fitters);
                return self.finish_fitting(fitters, send);
            }
            self.fitting = None;
        }
        let held = self.prediction.take().filter(|p| p.params == params);
        let predicted = match held {
            Some(same) if same.alive == alive => same,
            Some(fitted) => {
                let view = self.view(&fitted.result, alive);
                Predicted {
                    alive,
                    view,
                    ..fitted
                }
            }
            None => {
                send(Response::Progress {
                    stage: Stage::Predicting,
                    fraction: 0.0,
                });
                let result = predict_with(&self.table, self.base.as_ref(), &params);
                let view = self.view(&result, alive);
                Predicted {
                    params,
                    alive,
                    result,
                    view,
                }
            }
        };
        self.answer(predicted, send);
    }

    /// Sends a prediction's view and keeps the prediction.
    fn answer(&mut self, predicted: Predicted, send: &mut dyn FnMut(Response)) {
        send(Response::Predicted {
            params: predicted.params.clone(),
            alive: predicted.alive,
            forecast: predicted.view.clone(),
        });
        mark("prediction sent");
        self.prediction = Some(predicted);
        // After a new file's first prediction: the views the page shows below it.
        self.make_later_views(send);
    }

    fn view(
        &self,
        result: &Result<Prediction, ModelError>,
        alive: AliveThresholds,
    ) -> Result<Box<Forecast>, ModelError> {
        match result {
            Ok(prediction) => Ok(Box::new(forecast(
                prediction,
                &self.table.customer_keys,
                alive,
                RANKED,
            ))),
            Err(error) => Err(error.clone()),
        }
    }

    fn rejected_rows(&self) -> Response {
        Response::File {
            name: i18n::REJECTED_FILE_NAME.to_string(),
            mime: "text/csv;charset=utf-8".to_string(),
            bytes: rejected_rows_csv(&self.report.rejected).into_bytes(),
        }
    }

    /// The per-customer table, with the predicted columns when there is a prediction.
    fn customers_csv(&self, encoding: CsvEncoding, segment: Option<Segment>) -> Option<Response> {
        let analysis = self.analysis.as_ref()?;
        let rows = customer_rows(&self.table, self.base.as_ref()?, analysis);
        let prediction = self
            .prediction
            .as_ref()
            .and_then(|p| p.result.as_ref().ok().map(|result| (result, p.alive)));
        let bytes = match prediction {
            Some((prediction, alive)) => {
                customers_csv_with(&rows, segment, encoding, &PREDICTED_HEADERS, |row| {
                    predicted_cells(prediction, row.id, alive)
                })
            }
            None => customers_csv_with(&rows, segment, encoding, &[], |_| Vec::new()),
        };
        Some(Response::File {
            name: i18n::customers_file_name(segment, encoding),
            mime: "text/csv".to_string(),
            bytes,
        })
    }

    /// Two periods side by side, at the last analysis's date and F2 days.
    fn compare_periods(&mut self, before: Period, after: Period) -> Option<Response> {
        let analysis = self.analysis.as_ref()?;
        let base = self.base.as_ref()?;
        let c = compare_periods_with(base, &self.table, before, after, analysis.params.f2_days());
        self.comparisons.periods = Some(c.clone());
        Some(Response::ComparedPeriods(Box::new(c)))
    }

    /// The listed customers against everyone else, from `since` to the last analysis's date.
    fn compare_group(&mut self, list: &str, since: Day) -> Option<Response> {
        let base = self.base.as_ref()?;
        let keys = parse_customer_list(list);
        let c = compare_group_with(&self.table, base, &keys, since);
        self.comparisons.group = Some(c.clone());
        Some(Response::ComparedGroup(Box::new(c)))
    }

    /// The summary JSON, with the model when there is one.
    fn summary_json(&self) -> Option<Response> {
        let analysis = self.analysis.as_ref()?;
        let model = self
            .prediction
            .as_ref()
            .and_then(|p| p.result.as_ref().ok())
            .map(model_json);
        Some(
            match summary_json_with(
                analysis,
                import_json(&self.report),
                model,
                Some(self.comparisons.clone()),
            ) {
                Ok(json) => Response::File {
                    name: i18n::SUMMARY_FILE_NAME.to_string(),
                    mime: "application/json".to_string(),
                    bytes: json.into_bytes(),
                },
                Err(error) => Response::Failed(error.message()),
            },
        )
    }
}

/// Runs the whole pipeline a few times on a small made-up export, in about 0.8 s in Chromium
/// on two cores beside the helpers' own (its first step, in the slow code, about a quarter of
/// a second; the preview of a file chosen the moment the page opens comes no later than with
/// the shorter warm-up before, about 1.0 s after it opens): the import in two parts joined
/// (as a large file is read), the analysis, the models, the forecast's view and the views
/// below the first screen; on the same orders in the other common shape too, by numbered
/// customer ID without order numbers ([`made_up_id_export`]), whose ways through the import
/// are others. A browser compiles WebAssembly in two tiers: a function runs first in quickly
/// made, slow code, and is compiled well only once it has been used a while; a loop over a
/// million rows that starts in the slow code stays in it to the end. Warming up while the user
/// looks for the file (the page asks for it when it opens, see [`Request::WarmUp`]) makes the
/// real run start in the fast code. Measured in Chromium 156 on a million orders (2026-12-03), it saves about a
/// tenth of a second on the analysis and another on the prediction. The second shape, added
/// 2026-12-05, took the import of `orders_1m_steady.csv` (by customer ID) from about 380 to
/// about 350 ms.
///
/// **Through the very calls a user's file goes through** (2026-12-06): the browser compiles
/// a function for the calls it has seen it make: where a function calls through a pointer (a
/// trait object, a closure passed in), the code is made for the targets seen, and a call to
/// another target throws it away in the middle of the call, which ends in the slow code. A
/// warm-up that read the made-up export from memory with its own progress closure had the
/// file's reading (`read_range`) thrown away at the user's first read, and the whole first
/// half of the file read in the slow code (seen with V8's `--trace-deopt`: "wrong call
/// target"). So the warm-up goes through [`Engine::import`], [`Engine::read_part`] and
/// [`Engine::take_part`] with the glue's own files (the made-up exports as `Blob`s, read as a
/// user's file is: [`WarmUpGlue`]), the reader's answer handed over as a reader's message is,
/// and the glue's own sender (muted meanwhile); the readers warm up through
/// [`Engine::read_part`] too. The first import of a page was about 0.15 s slower than the
/// same import made again in the same page; measured 2026-12-06 in Chromium, the click at the
/// preview, the prediction's stage of `orders_1m.csv` 321 → 279 ms (6 rounds interleaved).
///
/// It is made in steps ([`Engine::warm_up_step`]), each the whole pipeline on one export, the
/// two in turn; the glue gives its event loop a turn between them ([`Engine::begin_warm_up`])
/// and answers the page's requests at the end. The helpers started with it then start about
/// 0.14 s after the page opens instead of 0.38 s (when the warm-up made in one task ended),
/// and their own warm-ups are over when the preview shows: an import asked for at once then
/// does not run beside them (the import of `orders_1m_steady.csv` 411 → 269 ms, 2026-12-06).
#[derive(Default)]
pub struct WarmUp {
    /// Steps made.
    made: usize,
}

impl WarmUp {
    /// The made-up exports: by order number and email, and the same orders by numbered
    /// customer ID ([`made_up_id_export`]), whose ways through the import are others.
    const EXPORTS: usize = 2;
    const STEPS: usize = WARM_UP_ROUNDS * Self::EXPORTS;

    /// The made-up exports' text, in [`WarmUpGlue::file`]'s order.
    pub fn exports() -> [String; Self::EXPORTS] {
        [made_up_export(), made_up_id_export()]
    }
}

/// The number the warm-up's import goes by: the glue counts a user's imports from 1.
const WARM_UP_IMPORT: u32 = 0;

/// What the warm-up needs of the glue, so that it runs through the very code a user's file
/// runs through ([`WarmUp`]).
pub trait WarmUpGlue {
    /// Made-up export `k` ([`WarmUp::exports`]) as a file of the kind a user's file comes as,
    /// read as one is read.
    fn file(&self, k: usize) -> Box<dyn FileSource + '_>;
    /// A reader's answer as it reaches the worker: sent and received as the glue sends it.
    fn hand_over(&self, answer: HelperAnswer) -> Option<HelperAnswer>;
}

/// Fit helpers none of which is free: the warm-up's prediction makes every fit here, as a
/// prediction on a large file does when its helpers are busy.
struct NoHelpers;

impl FitHelpers for NoHelpers {
    fn available(&self) -> usize {
        0
    }

    fn ask(&mut self, _: &Request) -> bool {
        false
    }

    fn cancel(&mut self, _: u32) {}
}

/// The made-up exports in memory, for a worker whose glue gave none (the native tests).
struct InMemory {
    exports: [String; WarmUp::EXPORTS],
}

impl Default for InMemory {
    fn default() -> Self {
        InMemory {
            exports: WarmUp::exports(),
        }
    }
}

impl WarmUpGlue for InMemory {
    fn file(&self, k: usize) -> Box<dyn FileSource + '_> {
        Box::new(self.exports[k].as_bytes())
    }

    fn hand_over(&self, answer: HelperAnswer) -> Option<HelperAnswer> {
        crate::worker::protocol::answer_sent(&answer)
    }
}

/// Bytes in memory, read as a file (the made-up exports, in the native tests).
impl FileSource for &[u8] {
    fn len(&self) -> u64 {
        <[u8]>::len(self) as u64
    }

    fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
        Ok(self[range.start as usize..range.end as usize].to_vec())
    }
}

/// [`WarmUp`] for a fitter: the purchase models fitted on the made-up export, then each
/// model's refit on its whole history ([`refit`], which a fitter
/// is asked once the model is chosen), a few times.
fn warm_up_fitting() {
    let export = made_up_export();
    let Ok(sample) = import(export.as_bytes(), &ImportOptions::new(), &mut |_| true) else {
        return;
    };
    let Ok(start) = start_prediction(&sample.table, None, &ModelParams::default()) else {
        return;
    };
    for _ in 0..WARM_UP_ROUNDS {
        for model in FITS_ELSEWHERE {
            let _ = fit_purchase_model(model, start.groups());
        }
    }
    for model in PurchaseModel::ALL {
        let Ok(fit) = fit_purchase_model(model, start.groups()) else {
            continue;
        };
        let ask = RefitAsk::new(fit.params, true);
        for _ in 0..WARM_UP_ROUNDS {
            let _ = refit(&ask, start.groups());
        }
    }
}

/// The import report's counts for the summary JSON.
fn import_json(report: &ImportReport) -> serde_json::Value {
    serde_json::json!({
        "platform": file_text::platform_name(report.platform),
        "encoding": file_text::encoding_name(report.encoding),
        "rule": file_text::order_rule_sentence(report.rule),
        "revenue_rule": file_text::revenue_rule_sentence(&report.revenue_rule),
        "revenue_basis": match report.revenue_rule.basis {
            RevenueBasis::BeforePoints => "before_points",
            RevenueBasis::AfterPoints => "after_points",
        },
        "rows_read": report.rows_read,
        "rows_used": report.rows_used,
        "rows_rejected": report.rows_rejected,
        "rows_excluded": report.rows_excluded,
        "excluded_orders": report.excluded_totals().0,
        "excluded_amount": report.excluded_totals().1,
        "excluded_included": report.excluded_included,
        "status_column": report.status_column.as_ref().or(report.cancelled_at_column.as_ref()),
        "guest_orders": report.guest_orders,
        "orders": report.orders,
        "customers": report.customers,
        "revenue": report.revenue,
        "first_order": report.first_day.map(ltv_core::orders::iso_date),
        "last_order": report.last_day.map(ltv_core::orders::iso_date),
        "raw_customer_keys": report.raw_keys,
        "merged_customers": report.merged_customers,
        "negative_orders": report.negative_orders,
        "zero_orders": report.zero_orders,
    })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::worker::protocol::{answer_sent, to_bytes};
    use ltv_core::analysis::analyse;
    use ltv_core::analysis::segments::SegmentRules;
    use ltv_core::import::sample_export;
    use ltv_core::model::{predict, PurchaseModel};

    /// A file in memory, read a range at a time as the worker reads a `Blob`; the ranges
    /// asked for are kept.
    struct Bytes<'a> {
        bytes: &'a [u8],
        asked: Vec<Range<u64>>,
    }

    impl FileSource for Bytes<'_> {
        fn len(&self) -> u64 {
            self.bytes.len() as u64
        }

        fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
            self.asked.push(range.clone());
            Ok(self.bytes[range.start as usize..range.end as usize].to_vec())
        }
    }

    /// The responses to one request, with `bytes` sent beside it when given.
    fn answer(engine: &mut Engine, request: Request, bytes: Option<&[u8]>) -> Vec<Response> {
        answer_reading(engine, request, bytes).0
    }

    /// [`answer`], and the ranges of the file read.
    fn answer_reading(
        engine: &mut Engine,
        request: Request,
        bytes: Option<&[u8]>,
    ) -> (Vec<Response>, Vec<Range<u64>>) {
        let mut out = Vec::new();
        let mut file = bytes.map(|bytes| Bytes {
            bytes,
            asked: Vec::new(),
        });
        engine.handle(request, file.as_mut().map(|f| f as File<'_>), &mut |r| {
            out.push(r)
        });
        (out, file.map(|f| f.asked).unwrap_or_default())
    }

    /// A response in a word, for comparing sequences.
    fn kind(response: &Response) -> String {
        match response {
            Response::Sniffed(r) => format!("Sniffed({})", ok(r)),
            Response::Progress { stage, .. } => format!("{stage:?}"),
            Response::Imported(r) => format!("Imported({})", ok(r)),
            Response::Analysed(_) => "Analysed".into(),
            Response::LaterViews(_) => "LaterViews".into(),
            Response::Predicted { forecast, .. } => format!("Predicted({})", ok(forecast)),
            Response::File { name, .. } => format!("File({name})"),
            Response::ComparedPeriods(_) => "ComparedPeriods".into(),
            Response::ComparedGroup(_) => "ComparedGroup".into(),
            Response::Failed(message) => format!("Failed({message})"),
        }
    }

    fn ok<T, E>(result: &Result<T, E>) -> &'static str {
        if result.is_ok() {
            "ok"
        } else {
            "err"
        }
    }

    /// The kinds in order, with the import's progress messages folded into one.
    fn kinds(responses: &[Response]) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for r in responses {
            let k = kind(r);
            if out.last() != Some(&k) || k != "Importing" {
                out.push(k);
            }
        }
        out
    }

    fn export() -> String {
        made_up_export()
    }

    /// Settings as the page sends them with an import: someone else's 基準日 and calibration
    /// end, which a new file replaces.
    fn page_settings() -> Settings {
        Settings {
            analysis: AnalysisParams::new()
                .with_as_of(Some(19_500))
                .with_f2_days(30)
                .unwrap(),
            model: ModelParams::new()
                .with_calibration_end(Some(19_400))
                .with_model(Some(PurchaseModel::BgNbd)),
            alive: AliveThresholds::default(),
        }
    }

    fn import_request() -> Request {
        Request::Import {
            options: ImportOptions::new(),
            settings: page_settings(),
        }
    }

    /// An engine that holds the made-up export, and the responses of its run.
    fn imported() -> (Engine, Vec<Response>) {
        let mut engine = Engine::new();
        let text = export();
        let run = answer(&mut engine, import_request(), Some(text.as_bytes()));
        (engine, run)
    }

    fn analysed(responses: &[Response]) -> &Analysis {
        responses
            .iter()
            .find_map(|r| match r {
                Response::Analysed(a) => Some(&**a),
                _ => None,
            })
            .expect("an analysis")
    }

    /// Whether answers end as an import's do: its prediction, then the analysis's views
    /// below the first screen.
    fn ends_the_pipeline(responses: &[Response]) -> bool {
        kinds(responses).ends_with(&["Predicted(ok)".into(), "LaterViews".into()])
    }

    /// The last prediction among the answers.
    fn last_prediction(responses: &[Response]) -> &Response {
        responses
            .iter()
            .rev()
            .find(|r| matches!(r, Response::Predicted { .. }))
            .expect("a prediction")
    }

    /// The analysis as the page holds it: the last one sent, with the later views sent after
    /// it put in.
    fn analysis_shown(responses: &[Response]) -> Analysis {
        let mut shown = None;
        for response in responses {
            match response {
                Response::Analysed(a) => shown = Some((**a).clone()),
                Response::LaterViews(later) => {
                    let analysis = shown.as_mut().expect("an analysis before its later views");
                    assert!(analysis.later_pending);
                    analysis.set_later_views((**later).clone());
                }
                _ => {}
            }
        }
        shown.expect("an analysis")
    }

    fn predicted(responses: &[Response]) -> (&ModelParams, AliveThresholds, &Forecast) {
        responses
            .iter()
            .find_map(|r| match r {
                Response::Predicted {
                    params,
                    alive,
                    forecast: Ok(f),
                } => Some((params, *alive, &**f)),
                _ => None,
            })
            .expect("a prediction")
    }

    /// Compared as bytes: the figures hold NaN, not equal to itself.
    fn same<T: serde::Serialize>(a: &T, b: &T) -> bool {
        to_bytes(a) == to_bytes(b)
    }

    fn nothing() -> String {
        format!("Failed({})", i18n::WORKER_NOTHING_IMPORTED)
    }

    /// A sniff with the default import settings.
    fn sniff_request() -> Request {
        Request::Sniff {
            options: ImportOptions::new(),
        }
    }

    #[test]
    fn a_sniff_answers_from_the_start_of_the_file() {
        let mut engine = Engine::new();
        let sniffed = answer(&mut engine, sniff_request(), Some(sample_export()));
        assert_eq!(kinds(&sniffed), ["Sniffed(ok)"]);
        // The glue warms up after a sniff, with its own files and its sender muted.
        assert!(!engine.warmed);
        let Response::Sniffed(Ok(sniff)) = &sniffed[0] else {
            unreachable!()
        };
        assert!(sniff.missing_roles().is_empty());
        // Not a table, and no file at all.
        let bad = answer(&mut engine, sniff_request(), Some(b""));
        assert_eq!(kinds(&bad), ["Sniffed(err)"]);
        let none = answer(&mut engine, sniff_request(), None);
        assert_eq!(kinds(&none), [format!("Failed({})", i18n::WORKER_NO_FILE)]);
        assert!(!engine.holds_orders());
    }

    /// The page's warm-up request is answered with nothing and warms up once: the sniff after
    /// it does not warm up again, and neither does a second request.
    #[test]
    fn a_helper_warms_up_once() {
        let mut engine = Engine::new();
        engine.warm_up_helper_once();
        assert!(engine.warmed);
        // Its warm-up is the worker's: a WarmUp request after it does nothing more.
        assert!(answer(&mut engine, Request::WarmUp, None).is_empty());
    }

    /// The warm-up's pipeline on each made-up export goes the whole way, as a user's file
    /// does: the import in two parts (the second handed over as a reader's answer) gives what
    /// one reading gives, then the analysis, the prediction and the views below the first
    /// screen are sent. The export by numbered customer ID is read as it is there for (each
    /// row an order, each customer by the ID as written, none merged), else warming up on it
    /// would warm up nothing new.
    #[test]
    fn the_warm_up_runs_the_whole_pipeline_on_each_export() {
        for (k, export) in WarmUp::exports().into_iter().enumerate() {
            let mut engine = Engine::new();
            let mut sent = Vec::new();
            engine.warm_up_pipeline(k, &mut |r| sent.push(r));
            let whole = import(export.as_bytes(), &ImportOptions::new(), &mut |_| true).unwrap();
            let held = engine.held.as_ref().expect("the export is imported");
            assert!(held.table.orders.len() > 1_000);
            let mut table = whole.table.clone();
            table.group_by_customer();
            assert!(same(&held.table, &table), "export {k}");
            assert!(same(&held.report, &whole.report), "export {k}");
            let seen = kinds(&sent);
            assert!(seen.contains(&"Imported(ok)".to_string()), "{seen:?}");
            assert!(seen.contains(&"Analysed".to_string()), "{seen:?}");
            assert!(ends_the_pipeline(&sent), "export {k}: {seen:?}");
            if k == 1 {
                assert_eq!(whole.report.rule, ltv_core::import::OrderRule::RowIsOrder);
                assert_eq!(whole.table.customer_keys.get(0), Some("C000000"));
                assert_eq!(whole.report.merged_customers, 0);
            }
        }
    }

    /// The warm-up made a step at a time, as the glue makes it: each step the whole pipeline
    /// on one export, the two in turn; it ends after its steps, keeps nothing and is made
    /// once.
    #[test]
    fn the_warm_up_is_made_in_steps_once() {
        let mut engine = Engine::new();
        assert!(engine.begin_warm_up());
        let mut steps = 0;
        loop {
            let mut sent = Vec::new();
            let more = engine.warm_up_step(&mut |r| sent.push(r));
            steps += 1;
            assert!(ends_the_pipeline(&sent), "step {steps}");
            assert!(!engine.holds_orders(), "the made-up export is not kept");
            if !more {
                break;
            }
        }
        assert_eq!(steps, WarmUp::STEPS);
        assert!(engine.warmed && engine.warming.is_none());
        assert!(!engine.begin_warm_up(), "made once");
        let mut sent = Vec::new();
        assert!(!engine.warm_up_step(&mut |r| sent.push(r)));
        assert!(sent.is_empty());
    }

    #[test]
    fn the_warm_up_request_warms_up_once_and_answers_nothing() {
        let mut engine = Engine::new();
        assert!(!engine.warmed);
        assert!(answer(&mut engine, Request::WarmUp, None).is_empty());
        assert!(engine.warmed);
        assert!(!engine.holds_orders(), "the made-up export is not kept");
        assert!(answer(&mut engine, Request::WarmUp, None).is_empty());
        let sniffed = answer(&mut engine, sniff_request(), Some(sample_export()));
        assert_eq!(kinds(&sniffed), ["Sniffed(ok)"]);
    }

    /// Progress messages are spaced in time: with a gap longer than the import, only the
    /// first is sent; with none, one per percent.
    #[test]
    fn progress_messages_are_spaced_by_the_gap() {
        // About 1.8 MB: progress is looked at every 64 KB.
        let text = many_orders(60_000);
        let count = |gap| {
            let mut file = Bytes {
                bytes: text.as_bytes(),
                asked: Vec::new(),
            };
            let mut source = Reading {
                file: &mut file,
                failure: None,
            };
            let mut out = Vec::new();
            with_progress(&mut |r| out.push(r), gap, |progress| {
                import_from(&mut source, &ImportOptions::new(), progress)
            })
            .unwrap();
            out.len()
        };
        assert_eq!(count(Duration::from_secs(3600)), 1);
        let every_percent = count(Duration::ZERO);
        assert!(every_percent >= 20, "{every_percent} progress messages");
    }

    /// A plain export of `n` orders.
    fn many_orders(n: usize) -> String {
        let mut text = String::from("customer_id,order_date,amount\n");
        for i in 0..n {
            let (month, day) = (i % 12 + 1, i % 28 + 1);
            let line = format!(
                "C{:05},2024-{month:02}-{day:02},{}\n",
                i % 7919,
                500 + i % 900
            );
            text.push_str(&line);
        }
        text
    }

    /// `customers` customers over two years, each with a first day, a number of repeats and
    /// a gap of its own: thousands of distinct (x, tₓ, T), as a real shop's file has.
    fn varied_orders(customers: u32) -> String {
        let start = ltv_core::orders::day_from_ymd(2023, 1, 1).unwrap();
        let mut text = String::from("customer_id,order_date,amount\n");
        for c in 0..customers {
            let first = (c * 7919) % 600;
            let (repeats, gap) = ((c * 31) % 9, 9 + (c * 13) % 61);
            for k in 0..=repeats {
                let day = first + k * gap;
                if day > 729 {
                    break;
                }
                let date = ltv_core::orders::iso_date(start + day as i32);
                let amount = 800 + (c * 37 + k * 101) % 4000;
                text.push_str(&format!("K{c:06},{date},{amount}\n"));
            }
        }
        text
    }

    /// An engine without helpers (warmed up) that imported `bytes`, and its answers: what an
    /// engine with helpers must answer too.
    fn alone_on(bytes: &[u8]) -> (Engine, Vec<Response>) {
        let mut alone = Engine::new();
        alone.warmed = true;
        let whole = answer(&mut alone, import_request(), Some(bytes));
        (alone, whole)
    }

    /// Helper workers as the tests stand in for them: `free` of them, each request asked
    /// kept to be answered by hand (a helper is busy while a fit of its is kept, or a refit
    /// whose fit was answered), and the predictions whose helpers were ended.
    struct FakeHelpers {
        free: usize,
        asked: Asked,
        cancelled: std::rc::Rc<std::cell::RefCell<Vec<u32>>>,
    }

    type Asked = std::rc::Rc<std::cell::RefCell<Vec<Request>>>;

    impl FitHelpers for FakeHelpers {
        fn available(&self) -> usize {
            let asked = self.asked.borrow();
            let fit_kept = |job: u32, of: PurchaseModel| {
                asked
                    .iter()
                    .any(|r| matches!(r, Request::Fit { job: j, model, .. } if *j == job && *model == of))
            };
            let busy = asked
                .iter()
                .filter(|r| match r {
                    Request::Fit { .. } => true,
                    Request::Refit { job, model, .. } => !fit_kept(*job, *model),
                    _ => false,
                })
                .count();
            self.free - busy
        }

        fn ask(&mut self, request: &Request) -> bool {
            self.asked.borrow_mut().push(request.clone());
            true
        }

        fn cancel(&mut self, job: u32) {
            self.cancelled.borrow_mut().push(job);
            self.asked.borrow_mut().retain(|r| match r {
                Request::Fit { job: j, .. } | Request::Refit { job: j, .. } => *j != job,
                _ => true,
            });
        }
    }

    /// A fit request answered as a helper answers it, through the bytes the workers exchange.
    fn fit_answer(request: &Request) -> FitAnswer {
        let Request::Fit { job, model, groups } = request else {
            panic!("not a fit: {request:?}");
        };
        let answer = HelperAnswer::Fit(Engine::new().fit(*job, *model, groups));
        match answer_sent(&answer) {
            Some(HelperAnswer::Fit(answer)) => answer,
            other => panic!("decodes as a fit: {other:?}"),
        }
    }

    /// A refit request answered as the helper that made `fit` answers it, through the bytes
    /// the workers exchange.
    fn refit_answer(fit: &Request, request: &Request) -> RefitAnswer {
        let (
            Request::Fit {
                job: fit_job,
                model: fit_model,
                groups: fit_groups,
            },
            Request::Refit { job, model, groups },
        ) = (fit, request)
        else {
            panic!("not a fit and a refit");
        };
        let mut helper = Engine::new();
        helper.fit(*fit_job, *fit_model, fit_groups);
        let answer = HelperAnswer::Refit(Box::new(helper.refit(*job, *model, groups)));
        match answer_sent(&answer) {
            Some(HelperAnswer::Refit(answer)) => *answer,
            other => panic!("decodes as a refit: {other:?}"),
        }
    }

    /// The helpers' requests answered, the oldest first, as the helpers answer them (a
    /// refit by the helper that answered its fit), until none is left.
    fn answer_helpers(engine: &mut Engine, asked: &Asked, out: &mut Vec<Response>) {
        let mut fits: Vec<Request> = Vec::new();
        loop {
            if asked.borrow().is_empty() {
                return;
            }
            let request = asked.borrow_mut().remove(0);
            match &request {
                Request::Fit { .. } => {
                    engine.take_fit(fit_answer(&request), &mut |r| out.push(r));
                    fits.push(request);
                }
                Request::Refit { job, model, .. } => {
                    let fit = fits
                        .iter()
                        .find(|f| matches!(f, Request::Fit { job: j, model: m, .. } if j == job && m == model))
                        .expect("its fit was asked first");
                    let answer = refit_answer(fit, &request);
                    engine.take_refit(answer, &mut |r| out.push(r));
                }
                other => panic!("not a helper's request: {other:?}"),
            }
        }
    }

    /// An engine with `free` fake helpers, the requests they are asked, and the predictions
    /// whose helpers were ended.
    fn with_helpers_ended(
        free: usize,
    ) -> (Engine, Asked, std::rc::Rc<std::cell::RefCell<Vec<u32>>>) {
        let asked = std::rc::Rc::default();
        let cancelled = std::rc::Rc::default();
        let mut engine = Engine::new();
        engine.warmed = true;
        engine.set_fit_helpers(Box::new(FakeHelpers {
            free,
            asked: std::rc::Rc::clone(&asked),
            cancelled: std::rc::Rc::clone(&cancelled),
        }));
        (engine, asked, cancelled)
    }

    /// A helper's request, named without its groups.
    fn kind_of(request: &Request) -> String {
        match request {
            Request::Fit { job, model, .. } => format!("Fit({job}, {model:?})"),
            Request::Refit { job, model, .. } => format!("Refit({job}, {model:?})"),
            other => format!("{other:?}"),
        }
    }

    /// An engine with `free` fake helpers, and the requests they are asked.
    fn with_helpers(free: usize) -> (Engine, Asked) {
        let (engine, asked, _) = with_helpers_ended(free);
        (engine, asked)
    }

    /// A large file's slowest fits go to the helpers (Pareto/NBD to the first, MBG/NBD to a
    /// second), the analysis and BG/NBD are made meanwhile, and the prediction is sent once
    /// their answers have come, in any order: the same as one made here alone. An answer for
    /// another prediction is dropped; few customers are fitted here.
    #[test]
    fn fits_made_by_helpers_answer_as_fits_made_here() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let (_, whole) = alone_on(bytes);
        assert!(ends_the_pipeline(&whole), "{:?}", kinds(&whole));
        for free in [1, 2, 3] {
            let (mut engine, helpers, ended) = with_helpers_ended(free);
            let mut out = answer(&mut engine, import_request(), Some(bytes));
            let asked = helpers.borrow().clone();
            let fits: Vec<&Request> = asked
                .iter()
                .filter(|r| matches!(r, Request::Fit { .. }))
                .collect();
            let models: Vec<PurchaseModel> = fits
                .iter()
                .map(|r| match r {
                    Request::Fit { model, groups, .. } => {
                        assert!(
                            groups.len() >= FIT_ELSEWHERE_FROM_GROUPS,
                            "{}",
                            groups.len()
                        );
                        *model
                    }
                    other => panic!("{other:?}"),
                })
                .collect();
            assert_eq!(models, FITS_ELSEWHERE[..free.min(2)], "{free} free");
            assert_eq!(
                asked.len(),
                models.len(),
                "nothing more before the fits here"
            );
            assert!(
                kinds(&out).ends_with(&["Analysed".into(), "Predicting".into()]),
                "{:?}",
                kinds(&out)
            );
            let mut stale = fit_answer(fits[0]);
            stale.job += 1;
            engine.take_fit(stale, &mut |r| out.push(r));
            for (k, request) in fits.iter().enumerate().rev() {
                assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
                engine.take_fit(fit_answer(request), &mut |r| out.push(r));
                let predicted = kinds(&out).iter().any(|k| k.starts_with("Predicted"));
                assert_eq!(predicted, k == 0, "sent once every fit has come");
                // The fits here (BG/NBD's not settled by Newton's method, on these orders)
                // made at the first answer, while Pareto/NBD's is away with two fitters:
                // its refit is asked ahead of its fitter.
                let refit = helpers.borrow().iter().any(|r| {
                    matches!(r, Request::Refit { model: PurchaseModel::ParetoNbd, groups, .. }
                        if groups.len() >= FIT_ELSEWHERE_FROM_GROUPS)
                });
                assert_eq!(refit, k == 1, "{free} free, answer {k}");
            }
            // The settings choose BG/NBD: a refit asked ahead is not needed, and its helper
            // is ended.
            let Some(Request::Fit { job, .. }) = fits.first() else {
                unreachable!()
            };
            let expected_ended: &[u32] = if free > 1 { &[*job] } else { &[] };
            assert_eq!(ended.borrow()[..], *expected_ended, "{free} free");
            let (got, expected) = (after_progress(&out), after_progress(&whole));
            assert_eq!(got.len(), expected.len(), "{free} free");
            for (a, b) in got.iter().zip(&expected) {
                assert!(same(a, b), "{free} free: {} differs", kind(a));
            }
        }
        let (mut engine, asked) = with_helpers(2);
        let few = varied_orders(500);
        answer(&mut engine, import_request(), Some(few.as_bytes()));
        assert!(asked.borrow().is_empty(), "500 customers are fitted here");
    }

    /// After an import whose slow fit went to a fitter, the worker's own fits wait for the
    /// page to say the analysis is laid out ([`Request::Shown`]) or for the fitter, whichever
    /// comes first; either way the prediction is the one an engine alone makes. Shown with
    /// nothing held back answers nothing.
    #[test]
    fn the_fits_here_wait_for_the_analysis_on_screen() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let (mut alone, whole) = alone_on(bytes);
        assert!(answer(&mut alone, Request::Shown, None).is_empty());

        let (mut engine, asked) = with_helpers(1);
        let mut out = answer(&mut engine, import_request(), Some(bytes));
        let fitting = engine
            .held
            .as_ref()
            .and_then(|h| h.fitting.as_ref())
            .unwrap();
        assert!(fitting.held_back);
        assert!(!fitting.start.has_fit(PurchaseModel::BgNbd), "held back");
        out.extend(answer(&mut engine, Request::Shown, None));
        let fitting = engine
            .held
            .as_ref()
            .and_then(|h| h.fitting.as_ref())
            .unwrap();
        assert!(fitting.start.has_fit(PurchaseModel::BgNbd));
        assert!(!fitting.start.has_fit(PurchaseModel::ParetoNbd));
        assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
        let request = asked.borrow()[0].clone();
        engine.take_fit(fit_answer(&request), &mut |r| out.push(r));
        assert!(same(out.last().unwrap(), whole.last().unwrap()));
        // Said late, after the prediction: nothing more.
        assert!(answer(&mut engine, Request::Shown, None).is_empty());
    }

    /// After an import, the slow fit is asked of the fitter before the analysis is made (the
    /// calibration period is summarised from the analysis's customer base), so that it runs
    /// beside the analysis's views and the page's layout of them; the stages still come in
    /// their order, the analysis's before the prediction's.
    #[test]
    fn the_fitter_is_asked_before_the_analysis() {
        let text = varied_orders(9_000);
        let (mut engine, asked) = with_helpers(1);
        let mut file = Bytes {
            bytes: text.as_bytes(),
            asked: Vec::new(),
        };
        let mut out = Vec::new();
        let mut asked_at_analysis = None;
        engine.handle(import_request(), Some(&mut file), &mut |r| {
            if matches!(r, Response::Analysed(_)) {
                asked_at_analysis = Some(asked.borrow().len());
            }
            out.push(r);
        });
        assert_eq!(
            asked_at_analysis,
            Some(1),
            "asked before the analysis was sent"
        );
        let stages: Vec<String> = kinds(&out)
            .into_iter()
            .filter(|k| k == "Analysing" || k == "Predicting")
            .collect();
        assert_eq!(stages, ["Analysing", "Predicting"]);
    }

    /// The page's own prediction request (other settings) also sends its fits to free
    /// fitters, and is answered once they are in, as an engine alone answers it; the same
    /// settings again are answered from the prediction held, with nothing asked.
    #[test]
    fn a_prediction_asked_by_the_page_uses_the_fitters_too() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let predict = Request::Predict {
            params: ModelParams::new()
                .with_calibration_end(ltv_core::orders::day_from_ymd(2024, 3, 31))
                .with_horizon_months(24)
                .unwrap(),
            alive: AliveThresholds::default(),
        };
        let (mut alone, _) = alone_on(bytes);
        let expected = answer(&mut alone, predict.clone(), None);
        assert_eq!(kinds(&expected).last().unwrap(), "Predicted(ok)");

        let (mut engine, asked) = with_helpers(1);
        let mut out = answer(&mut engine, import_request(), Some(bytes));
        let first = asked.borrow()[0].clone();
        answer_helpers(&mut engine, &asked, &mut out);
        let mut out = answer(&mut engine, predict.clone(), None);
        // The new settings' Pareto/NBD fit is asked, then, the fits here not settled by
        // Newton's method on these orders, its refit ahead.
        assert!(
            matches!(
                asked.borrow()[..],
                [Request::Fit { .. }, Request::Refit { .. }]
            ),
            "{:?}",
            asked.borrow().iter().map(kind_of).collect::<Vec<_>>()
        );
        assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
        let second = asked.borrow()[0].clone();
        let Request::Fit { job, .. } = &second else {
            panic!("a fit")
        };
        assert_ne!(
            Some(*job),
            match &first {
                Request::Fit { job, .. } => Some(*job),
                _ => None,
            }
        );
        answer_helpers(&mut engine, &asked, &mut out);
        assert!(same(out.last().unwrap(), expected.last().unwrap()));
        let again = answer(&mut engine, predict, None);
        assert!(asked.borrow().is_empty());
        assert!(same(again.last().unwrap(), expected.last().unwrap()));
    }

    /// A helper lost while fitting, or a request that reads the prediction before the
    /// helpers answered: the fits they owed are made here, and the answers are the same.
    #[test]
    fn owed_fits_are_made_here_when_a_helper_is_lost_or_the_page_asks_first() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let (mut alone, whole) = alone_on(bytes);
        let csv = Request::CustomersCsv {
            encoding: CsvEncoding::Utf8Bom,
            segment: None,
        };
        let alone_csv = answer(&mut alone, csv.clone(), None);

        let (mut engine, asked) = with_helpers(1);
        let mut out = answer(&mut engine, import_request(), Some(bytes));
        let fit = asked.borrow()[0].clone();
        let Request::Fit { job, .. } = fit else {
            panic!("a fit was asked");
        };
        engine.lose_fit(job + 1, &mut |r| out.push(r));
        assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
        engine.lose_fit(job, &mut |r| out.push(r));
        let (got, expected) = (after_progress(&out), after_progress(&whole));
        assert_eq!(got.len(), expected.len());
        assert!(same(last_prediction(&out), last_prediction(&whole)));
        assert!(same(got.last().unwrap(), expected.last().unwrap()));
        // The helper's answer after that is for a prediction finished: dropped.
        let late = fit_answer(&fit);
        let before = out.len();
        engine.take_fit(late, &mut |r| out.push(r));
        assert_eq!(out.len(), before);

        let (mut engine, asked) = with_helpers(2);
        let out = answer(&mut engine, import_request(), Some(bytes));
        let fits = asked
            .borrow()
            .iter()
            .filter(|r| matches!(r, Request::Fit { .. }))
            .count();
        assert_eq!(fits, 2);
        assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
        let first = answer(&mut engine, csv.clone(), None);
        assert_eq!(kinds(&first)[..2], ["Predicted(ok)", "LaterViews"]);
        assert!(kinds(&first)[2].starts_with("File("));
        assert!(same(&first[0], last_prediction(&whole)));
        assert!(same(&first[1], whole.last().unwrap()));
        assert!(same(&first[2], &alone_csv[0]));
    }

    /// The fitter's refit asked ahead, when its model is chosen: taken whether it comes
    /// before the other fits (a second fitter's) or after them (the prediction then waits
    /// for it), with the prediction the one an engine alone makes; an answer for another prediction is
    /// dropped. The fitter lost, or the page asking first: the refit is made here, the same,
    /// and the fitter ended; its late answer is dropped.
    #[test]
    fn a_refit_made_ahead_is_taken_when_its_model_is_chosen() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let mut settings = page_settings();
        settings.model = settings.model.with_model(Some(PurchaseModel::ParetoNbd));
        let import = Request::Import {
            options: ImportOptions::new(),
            settings,
        };
        let csv = Request::CustomersCsv {
            encoding: CsvEncoding::Utf8Bom,
            segment: None,
        };
        let mut alone = Engine::new();
        alone.warmed = true;
        let whole = answer(&mut alone, import.clone(), Some(bytes));
        assert!(ends_the_pipeline(&whole), "{:?}", kinds(&whole));
        let expected = last_prediction(&whole);
        let alone_csv = answer(&mut alone, csv.clone(), None);
        for how in ["before the other fits", "after them", "lost", "asked first"] {
            let first = how == "before the other fits";
            let (mut engine, helpers, ended) = with_helpers_ended(if first { 2 } else { 1 });
            let mut out = answer(&mut engine, import.clone(), Some(bytes));
            assert!(helpers
                .borrow()
                .iter()
                .all(|r| matches!(r, Request::Fit { .. })));
            // The fits here (BG/NBD's, not settled by Newton's method on these orders) ask
            // Pareto/NBD's refit ahead of its fitter.
            out.extend(answer(&mut engine, Request::Shown, None));
            let asked = helpers.borrow().clone();
            let (fit, refit) = match &asked[..] {
                [fit, refit] if !first => (fit, refit),
                [fit, _, refit] if first => (fit, refit),
                _ => panic!(
                    "{how}: the fits and a refit: {:?}",
                    asked.iter().map(kind_of).collect::<Vec<_>>()
                ),
            };
            let Request::Fit { job, .. } = fit else {
                panic!("{how}: a fit first: {fit:?}");
            };
            let predicted = |out: &[Response]| {
                out.iter()
                    .filter(|r| matches!(r, Response::Predicted { .. }))
                    .count()
            };
            match how {
                "before the other fits" => {
                    engine.take_fit(fit_answer(fit), &mut |r| out.push(r));
                    engine.take_refit(refit_answer(fit, refit), &mut |r| out.push(r));
                    assert_eq!(predicted(&out), 0, "{how}");
                    engine.take_fit(fit_answer(&asked[1]), &mut |r| out.push(r));
                }
                "after them" => {
                    engine.take_fit(fit_answer(fit), &mut |r| out.push(r));
                    assert_eq!(predicted(&out), 0, "{how}: waits for the refit");
                    let mut stale = refit_answer(fit, refit);
                    stale.job += 1;
                    engine.take_refit(stale, &mut |r| out.push(r));
                    assert_eq!(predicted(&out), 0, "{how}");
                    engine.take_refit(refit_answer(fit, refit), &mut |r| out.push(r));
                }
                "lost" => {
                    engine.take_fit(fit_answer(fit), &mut |r| out.push(r));
                    engine.lose_fit(*job, &mut |r| out.push(r));
                }
                _ => {
                    engine.take_fit(fit_answer(fit), &mut |r| out.push(r));
                    let first = answer(&mut engine, csv.clone(), None);
                    assert_eq!(kind(&first[1]), "LaterViews", "{how}");
                    assert!(same(&first[2], &alone_csv[0]), "{how}");
                    out.extend(first);
                }
            }
            assert_eq!(predicted(&out), 1, "{how}");
            let sent = out
                .iter()
                .find(|r| matches!(r, Response::Predicted { .. }))
                .unwrap();
            assert!(same(sent, expected), "{how}");
            let ahead_taken = first || how == "after them";
            assert_eq!(ended.borrow().is_empty(), ahead_taken, "{how}");
            let before = out.len();
            engine.take_refit(refit_answer(fit, refit), &mut |r| out.push(r));
            assert_eq!(out.len(), before, "{how}: a late refit is dropped");
        }
    }

    /// A refit asked ahead for a prediction then dropped, for other settings or a new file,
    /// ends its fitter (which it would otherwise hold); the prediction asked is still made.
    #[test]
    fn a_refit_ahead_no_longer_needed_ends_its_fitter() {
        let text = varied_orders(9_000);
        let bytes = text.as_bytes();
        let mut settings = page_settings();
        settings.model = settings.model.with_model(Some(PurchaseModel::ParetoNbd));
        let import = Request::Import {
            options: ImportOptions::new(),
            settings,
        };
        let other = Request::Predict {
            params: ModelParams::new()
                .with_calibration_end(Some(19_400))
                .with_horizon_months(24)
                .unwrap(),
            alive: AliveThresholds::default(),
        };
        for next in [other, import.clone()] {
            let (mut engine, helpers, ended) = with_helpers_ended(1);
            let mut out = answer(&mut engine, import.clone(), Some(bytes));
            out.extend(answer(&mut engine, Request::Shown, None));
            let fit = helpers.borrow()[0].clone();
            let Request::Fit { job, .. } = fit else {
                panic!("a fit first");
            };
            assert!(matches!(helpers.borrow()[1], Request::Refit { .. }));
            // The fit in, the prediction waits for the refit.
            engine.take_fit(fit_answer(&fit), &mut |r| out.push(r));
            assert!(!kinds(&out).iter().any(|k| k.starts_with("Predicted")));
            let asked_for = format!("{:?}", std::mem::discriminant(&next));
            let mut then = answer(&mut engine, next, Some(bytes));
            assert_eq!(ended.borrow()[..], [job], "{asked_for}");
            // The new prediction's own fits, asked of the fitter started again, answered.
            answer_helpers(&mut engine, &helpers, &mut then);
            let last = then
                .iter()
                .rev()
                .find(|r| matches!(r, Response::Predicted { .. }))
                .map(kind);
            assert_eq!(last.as_deref(), Some("Predicted(ok)"), "{asked_for}");
        }
    }

    /// The responses after the import's progress, for comparing runs.
    fn after_progress(responses: &[Response]) -> Vec<&Response> {
        responses
            .iter()
            .filter(|r| !matches!(r, Response::Progress { .. }))
            .collect()
    }

    /// The first part of an import in `parts` parts read by `engine` (number `import`); the
    /// responses so far.
    fn first_part(engine: &mut Engine, bytes: &[u8], parts: usize, import: u32) -> Vec<Response> {
        let mut out = Vec::new();
        let mut file = Bytes {
            bytes,
            asked: Vec::new(),
        };
        engine.import(
            ImportOptions::new(),
            page_settings(),
            Some(&mut file),
            parts,
            import,
            &mut |r| out.push(r),
        );
        out
    }

    /// The memory bound counts each reader until it answers, beside the worker as it was
    /// then; after that only the worker's own memory. A fitter counts all along, at what it
    /// held at each moment.
    #[test]
    fn the_memory_peak_counts_helpers_until_they_answer() {
        let mut peak = MemoryPeak::default();
        peak.seen(10);
        assert_eq!(peak.bytes(), 10);
        peak.start_import();
        // Two helpers of 30 and 20: the first answers when the worker holds 40, the second
        // when it holds 50. At the first answer both ran: 40 + 30 + 20.
        peak.answered(40, 30);
        peak.answered(50, 20);
        assert_eq!(peak.bytes(), 90);
        // The worker then grows past it alone.
        peak.seen(95);
        assert_eq!(peak.bytes(), 95);
        // A later import keeps the highest bound so far.
        peak.start_import();
        peak.answered(60, 10);
        assert_eq!(peak.bytes(), 95);
        peak.answered(100, 10);
        assert_eq!(peak.bytes(), 110);
        peak.start_import();
        assert_eq!(peak.bytes(), 110);
        // A reader answers beside a fitter, which held 3 while idle and 8 after its fit:
        // beside the worker as it is now (100 + 8), and at 3 beside the reader's answer.
        peak.answered(100, 10);
        assert_eq!(peak.bytes(), 110);
        peak.fitted(1, 3, 8);
        assert_eq!(peak.bytes(), 113);
        // The next import: the fitter holds 8 while its readers answer, then 9.
        peak.start_import();
        peak.answered(100, 10);
        assert_eq!(peak.bytes(), 118);
        peak.fitted(1, 8, 9);
        peak.seen(120);
        assert_eq!(peak.bytes(), 129);
    }

    /// A helper's answer, through the bytes the workers exchange.
    fn helper_answer(bytes: &[u8], import: u32, index: u32, count: u32) -> PartAnswer {
        let mut file = Bytes {
            bytes,
            asked: Vec::new(),
        };
        let answer =
            Engine::new().read_part(&ImportOptions::new(), import, index, count, Some(&mut file));
        match answer_sent(&HelperAnswer::Part(Box::new(answer))) {
            Some(HelperAnswer::Part(answer)) => *answer,
            other => panic!("decodes as a part, with columns that fit: {other:?}"),
        }
    }

    /// A file read in parts, the first here and the others by helpers whose answers come in
    /// any order, answers as one reading does: the same report, analysis and prediction.
    #[test]
    fn an_import_in_parts_answers_as_one_reading() {
        // Customers that order again across the parts, and a note over two lines.
        let mut text = many_orders(30_000);
        text.insert_str(text.find('\n').unwrap(), "\nC00001,2024-01-02,\"1,200\"");
        let bytes = text.as_bytes();
        let mut one = Engine::new();
        one.warmed = true;
        let whole = answer(&mut one, import_request(), Some(bytes));
        assert!(ends_the_pipeline(&whole), "{:?}", kinds(&whole));
        for parts in [2u32, 3] {
            let mut engine = Engine::new();
            engine.warmed = true;
            let mut out = first_part(&mut engine, bytes, parts as usize, 7);
            assert_eq!(
                kinds(&out),
                ["Reading", "Importing"],
                "waits for the other parts"
            );
            for index in (1..parts).rev() {
                let answer = helper_answer(bytes, 7, index, parts);
                assert!(answer.result.as_ref().unwrap().rows_read() > 0);
                let mut file = Bytes {
                    bytes,
                    asked: Vec::new(),
                };
                engine.take_part(answer, Some(&mut file), &mut |r| out.push(r));
            }
            assert!(engine.holds_orders());
            let (got, expected) = (after_progress(&out), after_progress(&whole));
            assert_eq!(got.len(), expected.len(), "{parts} parts");
            for (a, b) in got.iter().zip(&expected) {
                assert!(same(a, b), "{parts} parts: {} differs", kind(a));
            }
        }
    }

    /// A worker started again after a cancel gets no warm-up request: its first sniff may come
    /// while an import waits for its parts. The warm-up the glue then asks for leaves that
    /// import alone (it warmed the code itself), and the import goes on when its part comes.
    #[test]
    fn a_warm_up_asked_during_an_import_leaves_it_alone() {
        let text = many_orders(20_000);
        let bytes = text.as_bytes();
        let (_, whole) = alone_on(bytes);
        let mut engine = Engine::new();
        let mut out = first_part(&mut engine, bytes, 2, 7);
        let mut warm_up = Vec::new();
        engine.warm_up_once(&mut |r| warm_up.push(r));
        assert!(warm_up.is_empty(), "{:?}", kinds(&warm_up));
        assert!(engine.warmed && !engine.begin_warm_up());
        let mut file = Bytes {
            bytes,
            asked: Vec::new(),
        };
        engine.take_part(helper_answer(bytes, 7, 1, 2), Some(&mut file), &mut |r| {
            out.push(r)
        });
        let (got, expected) = (after_progress(&out), after_progress(&whole));
        assert_eq!(got.len(), expected.len());
        for (a, b) in got.iter().zip(&expected) {
            assert!(same(a, b), "{} differs", kind(a));
        }
        // The same with an import held: the warm-up keeps it.
        let mut held = Engine::new();
        answer(&mut held, import_request(), Some(bytes));
        held.warm_up_once(&mut |_| {});
        assert!(held.holds_orders());
    }

    /// A helper that is lost leaves its part to be read here; an answer for another import
    /// is dropped.
    #[test]
    fn a_lost_part_is_read_here_and_a_stale_answer_dropped() {
        let text = many_orders(20_000);
        let bytes = text.as_bytes();
        let mut one = Engine::new();
        one.warmed = true;
        let whole = answer(&mut one, import_request(), Some(bytes));

        let mut engine = Engine::new();
        engine.warmed = true;
        let mut out = first_part(&mut engine, bytes, 2, 8);
        // An answer for the import before is not this one's part.
        let stale = helper_answer(bytes, 7, 1, 2);
        let mut file = Bytes {
            bytes,
            asked: Vec::new(),
        };
        engine.take_part(stale, Some(&mut file), &mut |r| out.push(r));
        engine.lose_part(7, Some(&mut file), &mut |r| out.push(r));
        assert!(!engine.holds_orders());
        assert_eq!(kinds(&out), ["Reading", "Importing"]);
        // This import's helper is lost: the rest is read here, from the first part's end.
        engine.lose_part(8, Some(&mut file), &mut |r| out.push(r));
        assert!(engine.holds_orders());
        // The settings from the file's start, then the rest from the first part's end.
        let asked = &file.asked;
        assert_eq!(asked.len(), 2, "{asked:?}");
        assert!(
            asked[1].start > 0 && asked[1].end == bytes.len() as u64,
            "{asked:?}"
        );
        let (got, expected) = (after_progress(&out), after_progress(&whole));
        assert_eq!(got.len(), expected.len());
        for (a, b) in got.iter().zip(&expected) {
            assert!(same(a, b), "{} differs", kind(a));
        }
        // A part that failed is lost as well.
        let mut out = first_part(&mut engine, bytes, 2, 9);
        let failed = PartAnswer {
            import: 9,
            index: 1,
            result: Err(ltv_core::import::ImportErrorKind::Cancelled.into()),
            memory: 0,
        };
        engine.take_part(failed, Some(&mut file), &mut |r| out.push(r));
        assert!(ends_the_pipeline(&out), "{:?}", kinds(&out));
    }

    /// Only files of some size are read in parts, and never the largest.
    #[test]
    fn parts_are_for_files_of_some_size() {
        assert_eq!(parts_for(1 << 20, 1), 1);
        assert_eq!(parts_for(PARTS_FROM_BYTES, 1), 2);
        assert_eq!(parts_for(100 << 20, 3), 4);
        assert_eq!(parts_for(100 << 20, 0), 1);
        assert_eq!(parts_for(PARTS_UP_TO_BYTES + 1, 3), 1);
    }

    #[test]
    fn a_sniff_reads_the_start_of_the_file_only() {
        let text = many_orders(50_000);
        assert!(text.len() > 2 * SNIFF_BYTES);
        let mut engine = Engine::new();
        engine.warmed = true;
        let request = Request::Sniff {
            options: ImportOptions::new(),
        };
        let (sniffed, asked) = answer_reading(&mut engine, request, Some(text.as_bytes()));
        assert_eq!(kinds(&sniffed), ["Sniffed(ok)"]);
        assert_eq!(asked, vec![(0..SNIFF_BYTES as u64)]);
        let Response::Sniffed(Ok(found)) = &sniffed[0] else {
            unreachable!()
        };
        // The line estimate is for the whole file.
        let lines = text.lines().count() as f64;
        assert!((found.line_estimate as f64 - lines).abs() < lines * 0.05);
    }

    /// The import reads the file in pieces, each once, in order; progress moves by the bytes
    /// read, and the result is the import of the whole bytes.
    #[test]
    fn the_file_is_read_a_piece_at_a_time() {
        let text = many_orders(400_000);
        let bytes = text.as_bytes();
        assert!(bytes.len() > 2 * ltv_core::import::CHUNK_BYTES);
        let mut file = Bytes {
            bytes,
            asked: Vec::new(),
        };
        let mut source = Reading {
            file: &mut file,
            failure: None,
        };
        let mut out = Vec::new();
        let done = with_progress(&mut |r| out.push(r), Duration::ZERO, |progress| {
            import_from(&mut source, &ImportOptions::new(), progress)
        })
        .unwrap();
        let whole = import(bytes, &ImportOptions::new(), &mut |_| true).unwrap();
        assert!(same(&done, &whole));
        let asked = &file.asked;
        assert!(asked.len() >= 3, "{asked:?}");
        assert_eq!(asked[0].start, 0);
        assert_eq!(asked.last().unwrap().end, bytes.len() as u64);
        assert!(asked.windows(2).all(|w| w[0].end == w[1].start));
        assert!(asked
            .iter()
            .all(|r| r.end - r.start <= ltv_core::import::CHUNK_BYTES as u64));
        let steps = out
            .iter()
            .filter(|r| matches!(r, Response::Progress { .. }))
            .count();
        assert!(steps >= 50, "{steps} progress messages");
    }

    #[test]
    fn an_import_runs_the_pipeline_in_order() {
        let (engine, run) = imported();
        assert_eq!(
            kinds(&run),
            [
                "Reading",
                "Importing",
                "Imported(ok)",
                "Analysing",
                "Analysed",
                "Predicting",
                "Predicted(ok)",
                "LaterViews"
            ]
        );
        assert!(engine.holds_orders());
        let Some(Response::Imported(Ok(report))) =
            run.iter().find(|r| matches!(r, Response::Imported(_)))
        else {
            unreachable!()
        };
        // A new file: its own last order day, and a holdout from its own dates.
        let analysis = analysed(&run);
        assert_eq!(analysis.params.as_of(), None);
        assert_eq!(
            analysis.params.f2_days(),
            30,
            "the page's other settings stay"
        );
        assert!(analysis.customers.is_empty(), "the rows stay in the worker");
        // The views below the first screen come after the prediction.
        assert!(analysis.later_pending);
        let analysis = &analysis_shown(&run);
        assert!(!analysis.later_pending);
        let (params, _, forecast) = predicted(&run);
        let expected_end =
            initial_calibration_end(report.first_day.unwrap(), report.last_day.unwrap());
        assert!(expected_end.is_some());
        assert_eq!(params.calibration_end(), expected_end);
        assert_eq!(params.model(), Some(PurchaseModel::BgNbd));
        assert_eq!(&forecast.prediction.settings, params);
        assert!(forecast.prediction.customers.is_empty());
        // The same as the core computes on its own.
        let table = import(export().as_bytes(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        let direct = analyse(&table, &analysis.params).without_customers();
        assert!(same(analysis, &direct));
        let fitted = predict(&table, params).unwrap();
        let view = forecast_of(&fitted, &table, AliveThresholds::default());
        assert!(same(forecast, &view));
    }

    fn forecast_of(p: &Prediction, table: &OrderTable, alive: AliveThresholds) -> Forecast {
        forecast(p, &table.customer_keys, alive, RANKED)
    }

    #[test]
    fn comparisons_answer_and_reach_the_summary_json() {
        let (mut engine, run) = imported();
        let analysis = analysed(&run).clone();
        let last = analysis.as_of;
        let before = Period {
            from: last - 729,
            to: last - 365,
        };
        let after = Period {
            from: last - 364,
            to: last,
        };
        let periods = answer(&mut engine, Request::ComparePeriods { before, after }, None);
        assert_eq!(kinds(&periods), ["ComparedPeriods"]);
        let Response::ComparedPeriods(c) = &periods[0] else {
            unreachable!()
        };
        assert_eq!(c.f2_days, analysis.params.f2_days());
        assert_eq!(
            **c,
            ltv_core::analysis::compare::compare_periods(
                &engine_table(),
                before,
                after,
                analysis.params.f2_days(),
                last
            )
        );
        let json = answer_json(&mut engine);
        assert!(json["comparison"]["periods"]["after"]["customers"].is_u64());
        assert!(json["comparison"].get("group").is_none());

        let list = engine_table()
            .customer_keys
            .iter()
            .take(5)
            .collect::<Vec<_>>()
            .join("\n");
        let group = answer(
            &mut engine,
            Request::CompareGroup {
                list,
                since: last - 180,
            },
            None,
        );
        let Response::ComparedGroup(g) = &group[0] else {
            panic!("{:?}", kinds(&group))
        };
        assert_eq!((g.listed, g.found), (5, 5));
        let json = answer_json(&mut engine);
        assert_eq!(json["comparison"]["group"]["listed"], 5);
    }

    /// The table the made-up export imports to.
    fn engine_table() -> OrderTable {
        import(export().as_bytes(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table
    }

    /// The summary JSON the engine answers, parsed.
    fn answer_json(engine: &mut Engine) -> serde_json::Value {
        match &answer(engine, Request::SummaryJson, None)[0] {
            Response::File { bytes, .. } => serde_json::from_slice(bytes).unwrap(),
            other => panic!("{}", kind(other)),
        }
    }

    #[test]
    fn progress_goes_forward() {
        let (_, run) = imported();
        let fractions: Vec<f64> = run
            .iter()
            .filter_map(|r| match r {
                Response::Progress {
                    stage: Stage::Importing,
                    fraction,
                } => Some(*fraction),
                _ => None,
            })
            .collect();
        assert!(!fractions.is_empty());
        assert!(fractions.windows(2).all(|w| w[0] < w[1]), "{fractions:?}");
        assert!(fractions.iter().all(|f| (0.0..=1.0).contains(f)));
    }

    #[test]
    fn before_any_import_every_request_is_answered_with_a_message() {
        let mut engine = Engine::new();
        let requests = [
            Request::Analyse {
                params: AnalysisParams::default(),
            },
            Request::Predict {
                params: ModelParams::default(),
                alive: AliveThresholds::default(),
            },
            Request::RejectedRowsCsv,
            Request::CustomersCsv {
                encoding: CsvEncoding::Utf8Bom,
                segment: None,
            },
            Request::SummaryJson,
            Request::ComparePeriods {
                before: Period { from: 0, to: 10 },
                after: Period { from: 11, to: 20 },
            },
            Request::CompareGroup {
                list: "a@example.jp".into(),
                since: 0,
            },
        ];
        for request in requests {
            assert_eq!(kinds(&answer(&mut engine, request, None)), [nothing()]);
        }
    }

    #[test]
    fn a_failed_import_leaves_nothing_of_the_last_one() {
        let (mut engine, _) = imported();
        let failed = answer(&mut engine, import_request(), Some(b"a,b\n"));
        assert_eq!(kinds(&failed), ["Reading", "Imported(err)"]);
        assert!(!engine.holds_orders());
        for request in [
            Request::SummaryJson,
            Request::RejectedRowsCsv,
            Request::Predict {
                params: ModelParams::default(),
                alive: AliveThresholds::default(),
            },
        ] {
            assert_eq!(kinds(&answer(&mut engine, request, None)), [nothing()]);
        }
    }

    #[test]
    fn a_file_that_cannot_be_read_is_said_and_drops_the_last_import() {
        let (mut engine, _) = imported();
        struct Unreadable;
        impl FileSource for Unreadable {
            fn len(&self) -> u64 {
                10_000_000
            }
            fn read(&mut self, _: Range<u64>) -> Result<Vec<u8>, String> {
                Err("読めません".to_string())
            }
        }
        let mut out = Vec::new();
        engine.handle(import_request(), Some(&mut Unreadable), &mut |r| {
            out.push(r)
        });
        assert_eq!(kinds(&out), ["Reading", "Failed(読めません)"]);
        assert!(!engine.holds_orders());
        let none = answer(&mut engine, import_request(), None);
        assert_eq!(
            kinds(&none),
            ["Reading", &format!("Failed({})", i18n::WORKER_NO_FILE)]
        );
    }

    #[test]
    fn analysis_settings_run_the_analysis_only() {
        let (mut engine, run) = imported();
        let first = analysed(&run).clone();
        let rules = SegmentRules {
            active_days: 30,
            ..SegmentRules::default()
        };
        let stricter = first.params.clone().with_segment_rules(rules).unwrap();
        let again = answer(
            &mut engine,
            Request::Analyse {
                params: stricter.clone(),
            },
            None,
        );
        assert_eq!(kinds(&again), ["Analysing", "Analysed"]);
        let table = import(export().as_bytes(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        assert!(same(
            analysed(&again),
            &analyse(&table, &stricter).without_customers()
        ));
        // The same settings again: the analysis held, nothing computed.
        let same_again = answer(&mut engine, Request::Analyse { params: stricter }, None);
        assert_eq!(kinds(&same_again), ["Analysed"]);
        assert!(same(analysed(&same_again), analysed(&again)));
        // Another date: still right (a new grouping of the orders).
        let earlier = first.params.clone().with_as_of(Some(first.as_of - 100));
        let moved = answer(
            &mut engine,
            Request::Analyse {
                params: earlier.clone(),
            },
            None,
        );
        assert!(same(
            analysed(&moved),
            &analyse(&table, &earlier).without_customers()
        ));
    }

    #[test]
    fn model_settings_run_the_prediction_only() {
        let (mut engine, run) = imported();
        let (params, alive, first) = predicted(&run);
        let (params, first) = (params.clone(), first.clone());
        // Only the thresholds: the same fit, a new view.
        let looser = AliveThresholds::new(0.5, 0.2).unwrap();
        let regrouped = answer(
            &mut engine,
            Request::Predict {
                params: params.clone(),
                alive: looser,
            },
            None,
        );
        assert_eq!(kinds(&regrouped), ["Predicted(ok)"]);
        let (_, got_alive, view) = predicted(&regrouped);
        assert_eq!(got_alive, looser);
        assert!(
            same(&view.prediction, &first.prediction),
            "not fitted again"
        );
        assert_eq!(view.thresholds, looser);
        // The same settings: the view held.
        let again = answer(
            &mut engine,
            Request::Predict {
                params: params.clone(),
                alive: looser,
            },
            None,
        );
        assert_eq!(kinds(&again), ["Predicted(ok)"]);
        assert!(same(predicted(&again).2, view));
        // New model settings: fitted again.
        let longer = params.clone().with_horizon_months(24).unwrap();
        let refit = answer(
            &mut engine,
            Request::Predict {
                params: longer.clone(),
                alive,
            },
            None,
        );
        assert_eq!(kinds(&refit), ["Predicting", "Predicted(ok)"]);
        assert_eq!(predicted(&refit).0, &longer);
        assert_eq!(predicted(&refit).2.prediction.settings.horizon_months(), 24);
    }

    #[test]
    fn a_model_that_cannot_be_fitted_is_an_answer_not_a_failure() {
        // One customer with one order: nothing to fit.
        let mut engine = Engine::new();
        let csv = "注文日,メールアドレス,金額\n2024/01/05,a@x.jp,1000\n";
        let run = answer(&mut engine, import_request(), Some(csv.as_bytes()));
        assert_eq!(
            kinds(&run),
            [
                "Reading",
                "Importing",
                "Imported(ok)",
                "Analysing",
                "Analysed",
                "Predicting",
                "Predicted(err)",
                "LaterViews"
            ]
        );
        // The exports still work, without the predicted columns.
        let csv = answer(
            &mut engine,
            Request::CustomersCsv {
                encoding: CsvEncoding::Utf8Bom,
                segment: None,
            },
            None,
        );
        let Response::File { bytes, .. } = &csv[0] else {
            panic!("{:?}", kinds(&csv));
        };
        assert!(!String::from_utf8_lossy(bytes).contains(PREDICTED_HEADERS[0]));
        // The same settings again: the same error, not fitted again.
        let Response::Predicted { params, alive, .. } = last_prediction(&run).clone() else {
            unreachable!()
        };
        let again = answer(&mut engine, Request::Predict { params, alive }, None);
        assert_eq!(kinds(&again), ["Predicted(err)"]);
    }

    #[test]
    fn the_downloads_hold_the_analysis_and_the_model() {
        let (mut engine, _) = imported();
        let customers = answer(
            &mut engine,
            Request::CustomersCsv {
                encoding: CsvEncoding::Utf8Bom,
                segment: None,
            },
            None,
        );
        let Response::File { name, bytes, .. } = &customers[0] else {
            panic!("{:?}", kinds(&customers));
        };
        assert_eq!(name, &i18n::customers_file_name(None, CsvEncoding::Utf8Bom));
        let text = String::from_utf8_lossy(bytes);
        assert!(text.lines().next().unwrap().contains(PREDICTED_HEADERS[0]));
        assert_eq!(text.lines().count(), 1 + 600, "a header and every customer");
        let dormant = answer(
            &mut engine,
            Request::CustomersCsv {
                encoding: CsvEncoding::Cp932,
                segment: Some(Segment::Dormant),
            },
            None,
        );
        assert_eq!(
            kinds(&dormant),
            [format!(
                "File({})",
                i18n::customers_file_name(Some(Segment::Dormant), CsvEncoding::Cp932)
            )]
        );
        let summary = answer(&mut engine, Request::SummaryJson, None);
        let Response::File { bytes, mime, .. } = &summary[0] else {
            panic!("{:?}", kinds(&summary));
        };
        assert_eq!(mime, "application/json");
        let json: serde_json::Value = serde_json::from_slice(bytes).unwrap();
        assert_eq!(json["customers"], 600);
        assert_eq!(json["import"]["customers"], 600);
        assert!(json["model"]["bgnbd"]["r"].as_f64().unwrap() > 0.0);
        let rejected = answer(&mut engine, Request::RejectedRowsCsv, None);
        assert_eq!(
            kinds(&rejected),
            [format!("File({})", i18n::REJECTED_FILE_NAME)]
        );
    }

    /// The customer list is made when it is asked for, from the last analysis's settings and
    /// date: after a new threshold and a new date, its rows are those of a fresh analysis.
    #[test]
    fn the_customer_list_follows_the_last_settings() {
        let (mut engine, run) = imported();
        let first = analysed(&run).clone();
        let rules = SegmentRules {
            active_days: 30,
            ..SegmentRules::default()
        };
        let changed = first
            .params
            .clone()
            .with_segment_rules(rules)
            .unwrap()
            .with_as_of(Some(first.as_of - 100));
        answer(
            &mut engine,
            Request::Analyse {
                params: changed.clone(),
            },
            None,
        );
        let list = answer(
            &mut engine,
            Request::CustomersCsv {
                encoding: CsvEncoding::Utf8Bom,
                segment: None,
            },
            None,
        );
        let Response::File { bytes, .. } = &list[0] else {
            panic!("{:?}", kinds(&list));
        };
        let table = engine_table();
        let fresh = analyse(&table, &changed);
        // The settings change the rows (else the test would show nothing).
        assert_ne!(fresh.customers, analyse(&table, &first.params).customers);
        let want =
            ltv_core::analysis::export::customers_csv(&fresh.customers, None, CsvEncoding::Utf8Bom);
        // The engine's list has the predicted columns after the analysis's fourteen.
        let columns = |text: &str| -> Vec<String> {
            text.lines()
                .map(|line| line.split(',').take(14).collect::<Vec<_>>().join(","))
                .collect()
        };
        assert_eq!(
            columns(&String::from_utf8_lossy(bytes)),
            columns(&String::from_utf8_lossy(&want))
        );
    }

    /// Every order of the requests after a file is chosen: each is answered by what came
    /// before it alone, and the engine ends holding what the last settings make.
    /// The made-up export's first 150 customers: quicker to fit, for tests that fit often.
    fn small_export() -> String {
        export()
            .lines()
            .filter(|line| {
                let digits: String = line
                    .split(',')
                    .nth(2)
                    .unwrap_or_default()
                    .chars()
                    .filter(char::is_ascii_digit)
                    .collect();
                digits
                    .parse::<u32>()
                    .map_or(true, |customer| customer < 150)
            })
            .map(|line| format!("{line}\n"))
            .collect()
    }

    #[test]
    fn every_order_of_requests_is_answered_alike() {
        let text = small_export();
        let table = import(text.as_bytes(), &ImportOptions::new(), &mut |_| true)
            .unwrap()
            .table;
        let params = AnalysisParams::new().with_horizon_years(2).unwrap();
        let model = ModelParams::new()
            .with_model(Some(PurchaseModel::BgNbd))
            .with_horizon_months(24)
            .unwrap();
        let alive = AliveThresholds::new(0.7, 0.4).unwrap();
        let want_analysis = analyse(&table, &params).without_customers();
        let want_forecast = forecast_of(&predict(&table, &model).unwrap(), &table, alive);
        let requests = [
            import_request(),
            Request::Analyse {
                params: params.clone(),
            },
            Request::Predict {
                params: model.clone(),
                alive,
            },
            Request::SummaryJson,
        ];
        for order in permutations(requests.len()) {
            let mut engine = Engine::new();
            let mut imported = false;
            for &i in &order {
                let request = requests[i].clone();
                let got = answer(&mut engine, request.clone(), Some(text.as_bytes()));
                match request {
                    Request::Import { .. } => {
                        imported = true;
                        assert!(ends_the_pipeline(&got), "{order:?}");
                    }
                    _ if !imported => assert_eq!(kinds(&got), [nothing()], "{order:?}"),
                    Request::Analyse { .. } => {
                        assert!(same(analysed(&got), &want_analysis), "{order:?}")
                    }
                    Request::Predict { .. } => {
                        assert!(same(predicted(&got).2, &want_forecast), "{order:?}")
                    }
                    _ => assert!(matches!(got[..], [Response::File { .. }]), "{order:?}"),
                }
            }
        }
    }

    /// The orders of `0..n`.
    fn permutations(n: usize) -> Vec<Vec<usize>> {
        if n == 0 {
            return vec![Vec::new()];
        }
        let mut out = Vec::new();
        for rest in permutations(n - 1) {
            for at in 0..=rest.len() {
                let mut order = rest.clone();
                order.insert(at, n - 1);
                out.push(order);
            }
        }
        out
    }

    /// Cancelling ends the worker: the next request starts a new engine, which holds nothing
    /// and answers as before any import.
    #[test]
    fn after_a_cancel_a_new_engine_starts_afresh() {
        let (engine, _) = imported();
        drop(engine);
        let mut fresh = Engine::new();
        assert!(!fresh.holds_orders());
        assert_eq!(
            kinds(&answer(&mut fresh, Request::SummaryJson, None)),
            [nothing()]
        );
        let text = export();
        let run = answer(&mut fresh, import_request(), Some(text.as_bytes()));
        assert!(ends_the_pipeline(&run), "{:?}", kinds(&run));
    }
}
