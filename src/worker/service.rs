//! The worker's JavaScript glue: messages in, the [`Engine`] called, responses posted.
//!
//! A large file is read in parts side by side: the worker starts helper workers of its own
//! (the same script, named [`HELPER`]), one per core beyond its own, up to three. On an
//! import it sends each a [`Request::ReadPart`] with the file, reads the first part itself,
//! and joins the helpers' [`PartAnswer`]s as they come ([`Engine::take_part`]). A helper that
//! fails leaves its part to be read here ([`Engine::lose_part`]). Cancelling ends the worker,
//! and its helpers with it.

use std::cell::{Cell, RefCell};
use std::ops::Range;
use std::rc::Rc;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent, Worker};

use super::client::{decode, encode};
use super::engine::{parts_for, Engine, File, FileSource, MemoryPeak};
use super::protocol::{ColumnBuffer, DecodeError, PartAnswer, Request, Response};
use crate::i18n;

/// The name a helper worker is started with.
const HELPER: &str = "ltv-helper";

/// At most this many helpers, whatever the cores.
const MOST_HELPERS: usize = 3;

/// What the worker keeps between messages.
struct State {
    scope: DedicatedWorkerGlobalScope,
    engine: RefCell<Engine>,
    /// The helper workers, started at the warm-up or the first import in parts (`None`: lost,
    /// started again when next needed).
    helpers: RefCell<Vec<Option<Helper>>>,
    /// The number of the last import, which its parts' answers carry.
    import: Cell<u32>,
    /// The file of the import in parts, for joining and for reading a lost part.
    file: RefCell<Option<Blob>>,
    /// The most memory this worker and its helpers held at once, for the benchmark.
    memory: RefCell<MemoryPeak>,
}

struct Helper {
    worker: Worker,
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
        helpers: RefCell::new(Vec::new()),
        import: Cell::new(0),
        file: RefCell::new(None),
        memory: RefCell::new(MemoryPeak::default()),
    });
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        state.on_request(event.data());
        state.note_memory();
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
}

impl State {
    fn post(&self, response: Response) {
        post_bytes(&self.scope, encode(&response));
    }

    fn is_helper(&self) -> bool {
        self.scope.name() == HELPER
    }

    /// A message from the page (or, for a helper, from the worker that started it).
    fn on_request(self: &Rc<Self>, data: JsValue) {
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
            self.start_helpers();
        }
        let mut file = blob.as_ref().map(|blob| BlobFile { blob, reader: None });
        let file = file.as_mut().map(|f| f as File<'_>);
        let post = &mut |response: Response| self.post(response);
        match request {
            Request::ReadPart {
                options,
                import,
                index,
                count,
            } => {
                let mut answer = self
                    .engine
                    .borrow_mut()
                    .read_part(&options, import, index, count, file);
                answer.memory = wasm_memory();
                post_part(&self.scope, &answer);
            }
            Request::WarmUp => {
                if self.is_helper() {
                    self.engine.borrow_mut().warm_up_helper_once();
                } else {
                    self.engine.borrow_mut().handle(Request::WarmUp, file, post);
                }
            }
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
            request => self.engine.borrow_mut().handle(request, file, post),
        }
    }

    /// The helpers to start: one per core beyond this worker's, up to [`MOST_HELPERS`].
    fn helper_count(&self) -> usize {
        let cores = self.scope.navigator().hardware_concurrency() as usize;
        cores.saturating_sub(1).min(MOST_HELPERS)
    }

    /// Starts the helpers not running, and has them warm up (a new one also warms up when
    /// its first part comes, by reading it).
    fn start_helpers(self: &Rc<Self>) {
        let count = self.helper_count();
        let mut helpers = self.helpers.borrow_mut();
        helpers.resize_with(count, || None);
        for k in 0..count {
            if helpers[k].is_none() {
                helpers[k] = self.start_helper(k);
                if let Some(helper) = &helpers[k] {
                    post_to(&helper.worker, encode(&Request::WarmUp), None);
                }
            }
        }
    }

    fn start_helper(self: &Rc<Self>, k: usize) -> Option<Helper> {
        let options = web_sys::WorkerOptions::new();
        options.set_name(HELPER);
        let href = self.scope.location().href();
        let worker = Worker::new_with_options(&href, &options).ok()?;
        let state = Rc::clone(self);
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            state.on_part(k, event.data());
        });
        let state = Rc::clone(self);
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                state.on_helper_lost(k);
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        Some(Helper {
            worker,
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
        let parts = parts_for(size, self.helper_count());
        if parts <= 1 {
            return 1;
        }
        self.start_helpers();
        let helpers = self.helpers.borrow();
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

    /// A helper's answer. The helper is then ended, which gives its memory back; a new one
    /// starts when the next file is chosen.
    fn on_part(self: &Rc<Self>, k: usize, data: JsValue) {
        // The message holds all the helper sent (its buffers were transferred): the helper
        // is ended before its columns are copied in here.
        self.forget_helper(k);
        let worker = wasm_memory();
        match receive_part(&data) {
            Some(answer) => {
                self.memory.borrow_mut().answered(worker, answer.memory);
                self.with_import_file(|engine, file, post| engine.take_part(answer, file, post))
            }
            None => self.on_helper_lost(k),
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

    /// A helper died (out of memory, say) or answered what cannot be read: its part, if
    /// any, is read here.
    fn on_helper_lost(self: &Rc<Self>, k: usize) {
        self.forget_helper(k);
        let import = self.import.get();
        self.with_import_file(|engine, file, post| engine.lose_part(import, file, post));
    }

    /// Calls the engine with the file of the import in parts.
    fn with_import_file(
        &self,
        call: impl FnOnce(&mut Engine, Option<File<'_>>, &mut dyn FnMut(Response)),
    ) {
        let blob = self.file.borrow().clone();
        let mut file = blob.as_ref().map(|blob| BlobFile { blob, reader: None });
        let file = file.as_mut().map(|f| f as File<'_>);
        call(
            &mut self.engine.borrow_mut(),
            file,
            &mut |response: Response| self.post(response),
        );
    }

    fn forget_helper(&self, k: usize) {
        if let Some(helper) = self.helpers.borrow_mut().get_mut(k).and_then(Option::take) {
            helper.worker.terminate();
        }
    }
}

/// Posts message bytes (their buffer transferred, not copied).
fn post_bytes(scope: &DedicatedWorkerGlobalScope, data: Option<js_sys::Uint8Array>) {
    if let Some(data) = data {
        let transfer = js_sys::Array::of1(&data.buffer());
        let _ = scope.post_message_with_transfer(&data, &transfer);
    }
}

/// Posts a helper's answer: its protocol bytes, then each long column of its rows in a
/// buffer of its own (every buffer transferred, not copied).
fn post_part(scope: &DedicatedWorkerGlobalScope, answer: &PartAnswer) {
    let Some(head) = encode(answer) else { return };
    let message = js_sys::Array::of1(&head);
    let transfer = js_sys::Array::of1(&head.buffer());
    for column in answer.columns::<js_sys::Uint8Array>() {
        transfer.push(&column.buffer());
        message.push(&column);
    }
    let _ = scope.post_message_with_transfer(&message, &transfer);
}

/// A helper's answer as [`post_part`] sent it; `None` when it cannot be read.
fn receive_part(data: &JsValue) -> Option<PartAnswer> {
    let message = data.dyn_ref::<js_sys::Array>()?;
    let answer = decode::<PartAnswer>(&message.get(0)).ok()?;
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
        let transfer = js_sys::Array::of1(&data.buffer());
        let message: JsValue = match file {
            Some(blob) => js_sys::Array::of2(&data, blob).into(),
            None => data.into(),
        };
        let _ = worker.post_message_with_transfer(&message, &transfer);
    }
}

/// The file sent beside a request, read here, off the page's thread, a slice at a time.
struct BlobFile<'a> {
    blob: &'a Blob,
    reader: Option<FileReaderSync>,
}

impl FileSource for BlobFile<'_> {
    fn len(&self) -> u64 {
        self.blob.size() as u64
    }

    fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
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
        Ok(js_sys::Uint8Array::new(&buffer).to_vec())
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
