//! The worker's JavaScript glue: messages in, the [`Engine`] called, responses posted.
//!
//! The worker starts helper workers of its own (the same script), when the CSV page opens and
//! when a file is chosen, so that they are ready before the import: readers ([`Role::Reader`]),
//! one per core beyond its own, up to three, and fitters ([`Role::Fitter`]), one per core beyond
//! its own, up to two.
//!
//! A large file is read in parts side by side: on an import the worker sends each reader a
//! [`Request::ReadPart`] with the file, reads the first part itself, and joins the readers'
//! answers as they come ([`Engine::take_part`]). A reader is ended once it has answered,
//! which gives its memory back. Then a prediction on many customers sends its slowest
//! purchase-model fits to the fitters ([`Request::Fit`], asked through [`FitHelpers`]) and
//! makes the rest here meanwhile ([`Engine::take_fit`]), then the chosen model's refit on the
//! whole history ([`Request::Refit`], [`Engine::take_refit`]); a fitter holds little and stays.
//! Both are started ahead because a worker started by a busy worker starts only once that
//! one is free again; for the same reason the worker's warm-up is made a step a task
//! ([`State::warm_up_in_steps`]). A helper that fails leaves its work to be done here
//! ([`Engine::lose_part`], [`Engine::lose_fit`]). Cancelling ends the worker, and its
//! helpers with it.

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::{Rc, Weak};

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{
    Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageChannel, MessageEvent, Worker,
};

use super::client::{decode, encode, post_with_file};
use super::engine::{
    parts_for, Engine, File, FileSource, FitHelpers, MemoryPeak, WarmUp, WarmUpGlue,
};
use super::protocol::{ColumnBuffer, DecodeError, HelperAnswer, Request, Response};
use super::read_ahead::{RawFile, ReadAhead};
use crate::i18n;

/// What a helper worker does; its name, given when it is started, says which.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Role {
    /// Reads a part of a file ([`Request::ReadPart`]).
    Reader,
    /// Fits a purchase model ([`Request::Fit`]) or refits the chosen one ([`Request::Refit`]).
    Fitter,
}

impl Role {
    const ALL: [Role; 2] = [Role::Reader, Role::Fitter];

    /// The name a helper of this role is started with.
    fn name(self) -> &'static str {
        match self {
            Role::Reader => "ltv-helper",
            Role::Fitter => "ltv-fitter",
        }
    }

    /// At most this many helpers of this role, whatever the cores: three readers; two
    /// fitters, the models a prediction sends away.
    fn most(self) -> usize {
        match self {
            Role::Reader => 3,
            Role::Fitter => 2,
        }
    }

    /// The role of a worker of this name (`None`: the analysis worker itself).
    fn of(name: &str) -> Option<Role> {
        Role::ALL.into_iter().find(|role| role.name() == name)
    }
}

/// What the worker keeps between messages.
struct State {
    scope: DedicatedWorkerGlobalScope,
    engine: RefCell<Engine>,
    /// The readers, started at the warm-up and when a file is chosen (`None`: ended or lost,
    /// started again then).
    readers: RefCell<Vec<Option<Helper>>>,
    /// The fitters, started with the readers.
    fitters: RefCell<Vec<Option<Helper>>>,
    /// The number of the last import, which its parts' answers carry.
    import: Cell<u32>,
    /// The file of the import in parts, for joining and for reading a lost part.
    file: RefCell<Option<Blob>>,
    /// The most memory this worker and its helpers held at once, for the benchmark.
    memory: RefCell<MemoryPeak>,
    /// The fits sent to fitters so far, published for the tests and the benchmark (as
    /// `ltvFitsAway` on the worker's global scope).
    fits_away: Cell<u32>,
    /// The page's messages that came while the warm-up was made in steps, answered in order
    /// at its end (`None`: no warm-up under way).
    waiting: RefCell<Option<Vec<JsValue>>>,
    /// The channel the warm-up's steps are posted through, one task each: held for the
    /// worker's life, so that its ports are never collected while steps remain.
    steps: RefCell<Option<MessageChannel>>,
    /// While the warm-up runs: what the engine sends is not posted ([`State::post`]).
    muted: Cell<bool>,
}

/// What a busy fitter owes: answers for prediction `job` (a fit, and a refit asked ahead).
#[derive(Clone, Copy)]
struct Owing {
    job: u32,
    answers: u32,
}

struct Helper {
    worker: Worker,
    /// For a fitter: the prediction it works for and the answers it owes (`None`: it is
    /// free).
    fitting: Option<Owing>,
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// Installs the message handler; called by the worker binary's `main`.
pub fn run() {
    // A panic ends the worker (the page says so and starts a new one); its message goes to the
    // console first, or it would be lost.
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let state = Rc::new(State {
        scope: scope.clone(),
        engine: RefCell::new(Engine::new()),
        readers: RefCell::new(Vec::new()),
        fitters: RefCell::new(Vec::new()),
        import: Cell::new(0),
        file: RefCell::new(None),
        memory: RefCell::new(MemoryPeak::default()),
        fits_away: Cell::new(0),
        waiting: RefCell::new(None),
        steps: RefCell::new(None),
        muted: Cell::new(false),
    });
    if let Some(glue) = BlobGlue::new() {
        state.engine.borrow_mut().set_warm_up_glue(Rc::new(glue));
    }
    if !state.is_helper() {
        let pool = HelperPool(Rc::downgrade(&state));
        state.engine.borrow_mut().set_fit_helpers(Box::new(pool));
    }
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        if let Some(waiting) = state.waiting.borrow_mut().as_mut() {
            waiting.push(event.data());
            return;
        }
        state.on_request(event.data());
        state.note_memory();
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

impl State {
    /// The warm-up, a step a task ([`Engine::begin_warm_up`]), each step posted through a
    /// message channel (a timer would wait 4 ms a step once nested), so that the helpers
    /// just started can start meanwhile. The page's messages that come before its end wait
    /// for it, as they did when it was made in one task.
    fn warm_up_in_steps(self: &Rc<Self>) {
        if !self.engine.borrow_mut().begin_warm_up() {
            return;
        }
        let Ok(channel) = MessageChannel::new() else {
            // Made here whole instead, in this task.
            return self.warm_up_whole();
        };
        let state = Rc::downgrade(self);
        let next = channel.port2();
        let on_step = Closure::<dyn FnMut(MessageEvent)>::new(move |_: MessageEvent| {
            let Some(state) = state.upgrade() else {
                return;
            };
            let more = state.warm_up_step();
            // A step that cannot be posted leaves the rest to the first sniff
            // ([`State::warm_up_whole`]).
            if !more || next.post_message(&JsValue::NULL).is_err() {
                state.after_warm_up();
            }
        });
        channel
            .port1()
            .set_onmessage(Some(on_step.as_ref().unchecked_ref()));
        // Made once per worker: kept for its life.
        on_step.forget();
        if channel.port2().post_message(&JsValue::NULL).is_err() {
            return self.warm_up_whole();
        }
        *self.waiting.borrow_mut() = Some(Vec::new());
        *self.steps.borrow_mut() = Some(channel);
    }

    /// The warm-up is over: the messages that waited for it are answered, in order.
    fn after_warm_up(self: &Rc<Self>) {
        let waiting = self.waiting.borrow_mut().take().unwrap_or_default();
        for data in waiting {
            self.on_request(data);
            self.note_memory();
        }
    }

    /// The warm-up's next step ([`Engine::warm_up_step`]); whether steps remain.
    fn warm_up_step(&self) -> bool {
        self.with_muted(|engine, send| engine.warm_up_step(send))
    }

    /// The warm-up made whole in this task, the first time only (the rest of it, when begun in
    /// steps).
    fn warm_up_whole(&self) {
        self.with_muted(|engine, send| engine.warm_up_once(send));
    }

    /// `work` on the engine with the very sender a user's file is answered through
    /// ([`State::poster`]), muted meanwhile.
    fn with_muted<T>(&self, work: impl FnOnce(&mut Engine, &mut dyn FnMut(Response)) -> T) -> T {
        self.muted.set(true);
        let out = work(&mut self.engine.borrow_mut(), &mut self.poster());
        self.muted.set(false);
        out
    }

    fn post(&self, response: Response) {
        if !self.muted.get() {
            post_bytes(&self.scope, encode(&response));
        }
    }

    /// What the engine sends, posted: one sender for every request, whose code the warm-up
    /// has run (a browser compiles the code that calls it for the sender it has seen).
    fn poster(&self) -> impl FnMut(Response) + '_ {
        move |response| self.post(response)
    }

    /// What this worker does, if it is a helper.
    fn role(&self) -> Option<Role> {
        Role::of(&self.scope.name())
    }

    fn is_helper(&self) -> bool {
        self.role().is_some()
    }

    /// A message from the page (or, for a helper, from the worker that started it).
    fn on_request(self: &Rc<Self>, data: JsValue) {
        let memory_asked = wasm_memory();
        // A request that carries the user's file sends it beside the bytes: [bytes, Blob].
        let (bytes, blob) = match data.dyn_ref::<js_sys::Array>() {
            Some(pair) => (pair.get(0), pair.get(1).dyn_into::<Blob>().ok()),
            None => (data, None),
        };
        let request = match decode::<Request>(&bytes) {
            Ok(request) => request,
            // The page is of another build than this worker: whichever is older, reloading
            // brings both to the same one.
            Err(DecodeError::Version(_)) => {
                return self.post(Response::Failed(i18n::APP_UPDATED.to_string()))
            }
            Err(DecodeError::Malformed) => {
                return self.post(Response::Failed(i18n::WORKER_BAD_REQUEST.to_string()))
            }
        };
        // The helpers start (and warm up) when the CSV page opens, and again when a file is
        // chosen (the last import in parts ended them), while the user looks at the preview.
        if matches!(request, Request::WarmUp | Request::Sniff { .. }) && !self.is_helper() {
            self.start_helpers(&Role::ALL);
        }
        // A fitter ended because its refit was not needed starts again for the next
        // prediction asked.
        if matches!(request, Request::Predict { .. }) && !self.is_helper() {
            self.start_helpers(&[Role::Fitter]);
        }
        let mut file = blob.as_ref().map(BlobFile::read_ahead);
        let file = file.as_mut().map(|f| f as File<'_>);
        let post = &mut self.poster();
        match request {
            Request::ReadPart {
                options,
                import,
                index,
                count,
            } => {
                let answer = self
                    .engine
                    .borrow_mut()
                    .read_part(&options, import, index, count, file);
                post_answer(&self.scope, HelperAnswer::Part(Box::new(answer)));
            }
            Request::Fit { job, model, groups } => {
                let mut answer = self.engine.borrow_mut().fit(job, model, &groups);
                answer.memory_asked = memory_asked;
                post_answer(&self.scope, HelperAnswer::Fit(answer));
            }
            Request::Refit { job, model, groups } => {
                let mut answer = self.engine.borrow_mut().refit(job, model, &groups);
                drop(groups);
                answer.memory_asked = memory_asked;
                post_answer(&self.scope, HelperAnswer::Refit(Box::new(answer)));
            }
            Request::WarmUp => match self.role() {
                Some(Role::Fitter) => self.engine.borrow_mut().warm_up_fitter_once(),
                Some(Role::Reader) => self.engine.borrow_mut().warm_up_helper_once(),
                None => self.warm_up_in_steps(),
            },
            Request::Import { options, settings } => {
                let import = self.import.get().wrapping_add(1);
                self.import.set(import);
                let size = blob.as_ref().map_or(0, |b| b.size() as u64);
                let parts = match (&blob, self.is_helper()) {
                    (Some(blob), false) => self.ask_helpers(&options, import, size, blob),
                    _ => 1,
                };
                *self.file.borrow_mut() = (parts > 1).then(|| blob.clone()).flatten();
                if parts > 1 {
                    self.memory.borrow_mut().start_import();
                }
                self.engine
                    .borrow_mut()
                    .import(options, settings, file, parts, import, post);
            }
            sniff @ Request::Sniff { .. } => {
                self.engine.borrow_mut().handle(sniff, file, post);
                // After the answer, so the preview is not delayed (when the page's warm-up
                // request did not come first).
                if !self.is_helper() {
                    self.warm_up_whole();
                }
            }
            request => self.engine.borrow_mut().handle(request, file, post),
        }
    }

    /// The helpers of a role to start: one per core beyond this worker's, up to
    /// [`Role::most`].
    fn helper_count(&self, role: Role) -> usize {
        let cores = self.scope.navigator().hardware_concurrency() as usize;
        cores.saturating_sub(1).min(role.most())
    }

    fn helpers_of(&self, role: Role) -> &RefCell<Vec<Option<Helper>>> {
        match role {
            Role::Reader => &self.readers,
            Role::Fitter => &self.fitters,
        }
    }

    /// Starts the helpers of `roles` not running, and has them warm up (a new reader also warms up
    /// when its first part comes, by reading it).
    fn start_helpers(self: &Rc<Self>, roles: &[Role]) {
        for &role in roles {
            let count = self.helper_count(role);
            let mut helpers = self.helpers_of(role).borrow_mut();
            helpers.resize_with(count, || None);
            for k in 0..count {
                if helpers[k].is_none() {
                    helpers[k] = self.start_helper(role, k);
                    if let Some(helper) = &helpers[k] {
                        post_to(&helper.worker, encode(&Request::WarmUp), None);
                    }
                }
            }
        }
    }

    fn start_helper(self: &Rc<Self>, role: Role, k: usize) -> Option<Helper> {
        let options = web_sys::WorkerOptions::new();
        options.set_name(role.name());
        let href = self.scope.location().href();
        let worker = Worker::new_with_options(&href, &options).ok()?;
        let state = Rc::clone(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            state.on_answer(role, k, event.data());
        });
        let state = Rc::clone(self);
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                state.on_helper_lost(role, k);
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Helper {
            worker,
            fitting: None,
            _on_message: on_message,
            _on_error: on_error,
        })
    }

    /// Sends each helper its part of the file; returns how many parts the file is read in
    /// (1: whole, here).
    fn ask_helpers(
        self: &Rc<Self>,
        options: &ltv_core::import::ImportOptions,
        import: u32,
        size: u64,
        blob: &Blob,
    ) -> usize {
        let parts = parts_for(size, self.helper_count(Role::Reader));
        if parts <= 1 {
            return 1;
        }
        self.start_helpers(&Role::ALL);
        let helpers = self.readers.borrow();
        if helpers.len() + 1 < parts || helpers.iter().any(Option::is_none) {
            return 1;
        }
        for (k, helper) in helpers.iter().flatten().enumerate().take(parts - 1) {
            let request = Request::ReadPart {
                options: options.clone(),
                import,
                index: k as u32 + 1,
                count: parts as u32,
            };
            post_to(&helper.worker, encode(&request), Some(blob));
        }
        parts
    }

    /// A helper's answer. A reader is then ended, which gives its memory back; a fitter is
    /// free again.
    fn on_answer(self: &Rc<Self>, role: Role, k: usize, data: JsValue) {
        // The message holds all the helper sent (its buffers were transferred): a reader is
        // ended before its columns are copied in here.
        if role == Role::Reader {
            self.forget_helper(role, k);
        }
        let worker = wasm_memory();
        match (receive_answer(&data), role) {
            (Some(HelperAnswer::Part(answer)), Role::Reader) => {
                self.memory.borrow_mut().answered(worker, answer.memory);
                self.with_import_file(|engine, file, post| engine.take_part(*answer, file, post))
            }
            (Some(HelperAnswer::Fit(answer)), Role::Fitter) => {
                self.fitter_answered(k, answer.memory_asked, answer.memory);
                self.engine
                    .borrow_mut()
                    .take_fit(answer, &mut self.poster());
            }
            (Some(HelperAnswer::Refit(answer)), Role::Fitter) => {
                self.fitter_answered(k, answer.memory_asked, answer.memory);
                self.engine
                    .borrow_mut()
                    .take_refit(*answer, &mut self.poster());
            }
            _ => self.on_helper_lost(role, k),
        }
        self.note_memory();
    }

    /// Notes this worker's memory, and publishes the bound for the benchmark (as
    /// `ltvMemoryPeak` on the worker's global scope).
    fn note_memory(&self) {
        if self.is_helper() {
            return;
        }
        let mut memory = self.memory.borrow_mut();
        memory.seen(wasm_memory());
        let _ = js_sys::Reflect::set(
            &self.scope,
            &JsValue::from_str("ltvMemoryPeak"),
            &JsValue::from_f64(memory.bytes() as f64),
        );
    }

    /// A helper died (out of memory, say) or answered what cannot be read: its part, or the
    /// fit it owed, is made here.
    fn on_helper_lost(self: &Rc<Self>, role: Role, k: usize) {
        let fit = match role {
            Role::Reader => None,
            Role::Fitter => self
                .fitters
                .borrow()
                .get(k)
                .and_then(|f| Some(f.as_ref()?.fitting?.job)),
        };
        self.forget_helper(role, k);
        if role == Role::Reader {
            let import = self.import.get();
            self.with_import_file(|engine, file, post| engine.lose_part(import, file, post));
        }
        if let Some(job) = fit {
            self.engine.borrow_mut().lose_fit(job, &mut self.poster());
        }
    }

    /// Calls the engine with the file of the import in parts.
    fn with_import_file(
        &self,
        call: impl FnOnce(&mut Engine, Option<File<'_>>, &mut dyn FnMut(Response)),
    ) {
        let blob = self.file.borrow().clone();
        let mut file = blob.as_ref().map(BlobFile::read_ahead);
        let file = file.as_mut().map(|f| f as File<'_>);
        call(&mut self.engine.borrow_mut(), file, &mut self.poster());
    }

    fn forget_helper(&self, role: Role, k: usize) {
        if let Some(helper) = self
            .helpers_of(role)
            .borrow_mut()
            .get_mut(k)
            .and_then(Option::take)
        {
            helper.worker.terminate();
        }
    }

    /// Fitter `k` has answered, holding `idle` bytes when asked and `busy` when answering:
    /// its memory noted, and free once it owes nothing more.
    fn fitter_answered(&self, k: usize, idle: u64, busy: u64) {
        self.memory.borrow_mut().fitted(k, idle, busy);
        if let Some(Some(fitter)) = self.fitters.borrow_mut().get_mut(k) {
            fitter.fitting = fitter
                .fitting
                .filter(|owing| owing.answers > 1)
                .map(|owing| Owing {
                    answers: owing.answers - 1,
                    ..owing
                });
        }
    }

    /// The fitters working for prediction `job`, by index.
    fn fitters_on(&self, job: u32) -> Vec<usize> {
        let fitters = self.fitters.borrow();
        let on = |(k, f): (usize, &Option<Helper>)| {
            f.as_ref()?
                .fitting
                .is_some_and(|o| o.job == job)
                .then_some(k)
        };
        fitters.iter().enumerate().filter_map(on).collect()
    }

    /// The fitters running and not fitting, by index.
    fn free_fitters(&self) -> Vec<usize> {
        let fitters = self.fitters.borrow();
        let free = |(k, f): (usize, &Option<Helper>)| f.as_ref()?.fitting.is_none().then_some(k);
        fitters.iter().enumerate().filter_map(free).collect()
    }
}

/// The helpers as the engine asks them for fits.
struct HelperPool(Weak<State>);

impl FitHelpers for HelperPool {
    fn available(&self) -> usize {
        self.0
            .upgrade()
            .map_or(0, |state| state.free_fitters().len())
    }

    fn cancel(&mut self, job: u32) {
        // Ended at once: a fitter cannot be interrupted otherwise. The next file chosen or
        // prediction asked starts it again.
        if let Some(state) = self.0.upgrade() {
            for k in state.fitters_on(job) {
                state.forget_helper(Role::Fitter, k);
            }
        }
    }

    fn ask(&mut self, request: &Request) -> bool {
        let Some(state) = self.0.upgrade() else {
            return false;
        };
        // A fit goes to a free fitter; a refit ahead to the first fitter busy with its
        // prediction, which was asked its slowest fit.
        let index = match request {
            Request::Fit { .. } => state.free_fitters().first().copied(),
            Request::Refit { job, .. } => state.fitters_on(*job).first().copied(),
            _ => None,
        };
        let (Some(index), Request::Fit { job, .. } | Request::Refit { job, .. }) = (index, request)
        else {
            return false;
        };
        let mut fitters = state.fitters.borrow_mut();
        let (Some(fitter), Some(bytes)) = (&mut fitters[index], encode(request)) else {
            return false;
        };
        post_to(&fitter.worker, Some(bytes), None);
        let answers = fitter.fitting.map_or(0, |owing| owing.answers) + 1;
        fitter.fitting = Some(Owing { job: *job, answers });
        drop(fitters);
        if matches!(request, Request::Refit { .. }) {
            return true;
        }
        state.fits_away.set(state.fits_away.get() + 1);
        let _ = js_sys::Reflect::set(
            &state.scope,
            &JsValue::from_str("ltvFitsAway"),
            &JsValue::from_f64(f64::from(state.fits_away.get())),
        );
        true
    }
}

/// Posts message bytes (their buffer transferred, not copied).
fn post_bytes(scope: &DedicatedWorkerGlobalScope, data: Option<js_sys::Uint8Array>) {
    if let Some(data) = data {
        let transfer = js_sys::Array::of1(&data.buffer());
        let _ = scope.post_message_with_transfer(&data, &transfer);
    }
}

/// Posts a helper's answer, with its memory now: its protocol bytes, then each long column
/// of a part's rows in a buffer of its own (every buffer transferred, not copied).
fn post_answer(scope: &DedicatedWorkerGlobalScope, mut answer: HelperAnswer) {
    answer.set_memory(wasm_memory());
    let Some(message) = answer_message(&answer) else {
        return;
    };
    // Every piece's buffer is handed over, not copied.
    let transfer: js_sys::Array = message
        .iter()
        .map(|piece| piece.unchecked_into::<js_sys::Uint8Array>().buffer())
        .collect();
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// A helper's answer as [`post_answer`] puts it in its message: its protocol bytes, then its
/// long columns.
fn answer_message(answer: &HelperAnswer) -> Option<js_sys::Array> {
    let head = encode(answer)?;
    let message = js_sys::Array::of1(&head);
    for column in answer.columns::<js_sys::Uint8Array>() {
        message.push(&column);
    }
    Some(message)
}

/// A helper's answer as [`post_answer`] sent it; `None` when it cannot be read.
fn receive_answer(data: &JsValue) -> Option<HelperAnswer> {
    let message = data.dyn_ref::<js_sys::Array>()?;
    let answer = decode::<HelperAnswer>(&message.get(0)).ok()?;
    let columns: Vec<js_sys::Uint8Array> = (1..message.length())
        .map(|k| message.get(k).dyn_into().ok())
        .collect::<Option<_>>()?;
    answer.with_columns(&columns)
}

/// A column of a helper's answer in the message: copied in and out a piece at a time.
impl ColumnBuffer for js_sys::Uint8Array {
    fn of_len(len: usize) -> Self {
        js_sys::Uint8Array::new_with_length(len as u32)
    }

    fn byte_len(&self) -> usize {
        self.length() as usize
    }

    fn put(&mut self, at: usize, bytes: &[u8]) {
        self.subarray(at as u32, (at + bytes.len()) as u32)
            .copy_from(bytes);
    }

    fn take(&self, at: usize, out: &mut [u8]) {
        self.subarray(at as u32, (at + out.len()) as u32)
            .copy_to(out);
    }
}

/// Posts message bytes to a helper, with the file beside them when there is one.
fn post_to(worker: &Worker, data: Option<js_sys::Uint8Array>, file: Option<&Blob>) {
    if let Some(data) = data {
        let _ = post_with_file(worker, &data, file);
    }
}

/// The file sent beside a request, read here, off the page's thread, a slice at a time
/// ([`ReadAhead`] reads it a few megabytes at a time into buffers of JavaScript's).
struct BlobFile<'a> {
    blob: &'a Blob,
    reader: Option<FileReaderSync>,
}

impl<'a> BlobFile<'a> {
    /// The file, read ahead a few megabytes at a time.
    fn read_ahead(blob: &'a Blob) -> ReadAhead<Self> {
        ReadAhead::new(BlobFile { blob, reader: None })
    }
}

impl RawFile for BlobFile<'_> {
    type Bytes = js_sys::Uint8Array;

    fn size(&self) -> u64 {
        self.blob.size() as u64
    }

    fn read_raw(&mut self, range: Range<u64>) -> Result<js_sys::Uint8Array, String> {
        let slice = self
            .blob
            .slice_with_f64_and_f64(range.start as f64, range.end as f64)
            .map_err(describe)?;
        let reader = match self.reader.take() {
            Some(reader) => reader,
            None => FileReaderSync::new().map_err(describe)?,
        };
        let buffer = reader.read_as_array_buffer(&slice).map_err(describe)?;
        self.reader = Some(reader);
        Ok(js_sys::Uint8Array::new(&buffer))
    }
}

/// The warm-up's made-up exports as `Blob`s, read as a user's file is ([`BlobFile`]), and a
/// reader's answer put in a message and read back as it is sent ([`WarmUpGlue`]).
struct BlobGlue {
    blobs: Vec<Blob>,
}

impl BlobGlue {
    fn new() -> Option<Self> {
        let blobs = WarmUp::exports()
            .iter()
            .map(|text| {
                let bytes = js_sys::Uint8Array::from(text.as_bytes());
                Blob::new_with_u8_array_sequence(&js_sys::Array::of1(&bytes)).ok()
            })
            .collect::<Option<Vec<Blob>>>()?;
        Some(BlobGlue { blobs })
    }
}

impl WarmUpGlue for BlobGlue {
    fn file(&self, k: usize) -> Box<dyn FileSource + '_> {
        Box::new(BlobFile::read_ahead(&self.blobs[k]))
    }

    fn hand_over(&self, answer: HelperAnswer) -> Option<HelperAnswer> {
        receive_answer(answer_message(&answer)?.as_ref())
    }
}

/// This worker's WebAssembly memory, in bytes.
fn wasm_memory() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory().unchecked_into();
    let buffer: js_sys::ArrayBuffer = memory.buffer().unchecked_into();
    u64::from(buffer.byte_length())
}

fn describe(error: JsValue) -> String {
    format!("{}: {error:?}", i18n::WORKER_READ_FAILED)
}
