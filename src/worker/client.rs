//! The UI's side of the Web Worker: spawn it, send requests, receive responses, and terminate
//! it at once when the user cancels (a busy worker cannot read a "stop" message, so cancelling
//! ends the worker and the next request starts a fresh one).

use std::cell::RefCell;
use std::rc::Rc;

use serde::de::DeserializeOwned;
use serde::Serialize;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;
use web_sys::{MessageEvent, Worker};

use super::protocol::{self, DecodeError, WORKER_VERSION};

/// The script that loads the worker's wasm (copied into `dist/` by Trunk).
pub const LOADER: &str = "worker-loader.js";

/// The loader's URL with the version of the worker's files (the loader passes it on to the
/// worker's script and wasm), so that a deploy never runs a cached old worker: the crate
/// version and the protocol, then the hash of the worker's files that the build's post-build
/// hook (`scripts/post-build.mjs`) writes into the page as `<meta name="ltv-worker-version">`.
pub fn loader_url() -> String {
    let build = crate::document()
        .and_then(|d| {
            d.query_selector("meta[name=ltv-worker-version]")
                .ok()
                .flatten()
        })
        .and_then(|meta| meta.get_attribute("content"))
        .filter(|hash| !hash.is_empty() && hash.chars().all(|c| c.is_ascii_alphanumeric()))
        .map(|hash| format!(".{hash}"))
        .unwrap_or_default();
    format!("{LOADER}?v={WORKER_VERSION}{build}")
}

/// Encodes a message for `postMessage`: [`protocol`](super::protocol) bytes in a
/// `Uint8Array`.
pub fn encode<T: Serialize>(message: &T) -> Option<js_sys::Uint8Array> {
    let bytes = protocol::to_bytes(message)?;
    Some(js_sys::Uint8Array::from(bytes.as_slice()))
}

/// Posts message bytes that [`encode`] made to `worker`, their buffer transferred, with the
/// user's file beside them when there is one (the page to its worker, the worker to its
/// helpers).
pub fn post_with_file(
    worker: &Worker,
    data: &js_sys::Uint8Array,
    file: Option<&web_sys::Blob>,
) -> Result<(), wasm_bindgen::JsValue> {
    let transfer = js_sys::Array::of1(&data.buffer());
    let message: wasm_bindgen::JsValue = match file {
        Some(blob) => js_sys::Array::of2(data, blob).into(),
        None => data.into(),
    };
    worker.post_message_with_transfer(&message, &transfer)
}

/// Decodes a message that [`encode`] made (by this build: another version is an error).
pub fn decode<T: DeserializeOwned>(data: &wasm_bindgen::JsValue) -> Result<T, DecodeError> {
    let bytes = data
        .dyn_ref::<js_sys::Uint8Array>()
        .ok_or(DecodeError::Version(None))?
        .to_vec();
    protocol::from_bytes(&bytes)
}

struct Live {
    worker: Worker,
    // Kept alive as long as the worker is.
    _on_message: Closure<dyn FnMut(MessageEvent)>,
    _on_error: Closure<dyn FnMut(web_sys::ErrorEvent)>,
}

/// A worker that is started on first use and can be terminated and restarted.
pub struct WorkerClient<Res> {
    live: RefCell<Option<Live>>,
    /// A request held until the page's task is over ([`WorkerClient::send_after_task`]), with
    /// its file.
    held: RefCell<Option<(js_sys::Uint8Array, Option<web_sys::Blob>)>>,
    /// The worker stopped with an error (out of memory, say): the next request starts anew.
    crashed: Rc<std::cell::Cell<bool>>,
    on_response: Rc<dyn Fn(Res)>,
    on_failure: Rc<dyn Fn(String)>,
    on_lost: Rc<dyn Fn(String)>,
}

impl<Res: DeserializeOwned + 'static> WorkerClient<Res> {
    /// A client whose responses go to `on_response`; a request that cannot be sent or
    /// answered reports to `on_failure`; a worker that is lost with what it held (it crashed,
    /// or it is of another build) reports to `on_lost`, and the next request starts a new one.
    /// Each gets a Japanese message for the user.
    pub fn new(
        on_response: impl Fn(Res) + 'static,
        on_failure: impl Fn(String) + 'static,
        on_lost: impl Fn(String) + 'static,
    ) -> Self {
        WorkerClient {
            live: RefCell::new(None),
            held: RefCell::new(None),
            crashed: Rc::new(std::cell::Cell::new(false)),
            on_response: Rc::new(on_response),
            on_failure: Rc::new(on_failure),
            on_lost: Rc::new(on_lost),
        }
    }

    fn start(&self) -> Result<(), String> {
        if self.crashed.replace(false) {
            self.terminate();
        }
        if self.live.borrow().is_some() {
            return Ok(());
        }
        let worker = Worker::new(&loader_url()).map_err(|e| format!("{e:?}"))?;
        let on_response = self.on_response.clone();
        let on_failure = self.on_failure.clone();
        let on_lost = self.on_lost.clone();
        let crashed = self.crashed.clone();
        let on_message = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
            match decode::<Res>(&event.data()) {
                Ok(response) => on_response(response),
                // A worker of another build: the next request starts a new one.
                Err(DecodeError::Version(_)) => {
                    crashed.set(true);
                    on_lost(crate::i18n::APP_UPDATED.to_string())
                }
                Err(DecodeError::Malformed) => {
                    on_failure(crate::i18n::WORKER_BAD_RESPONSE.to_string())
                }
            }
        });
        // The worker died (a panic, out of memory, a script that failed to load): end it, say
        // so, and let the next request start a new one. Nothing it held survives.
        let on_lost = self.on_lost.clone();
        let crashed = self.crashed.clone();
        let dying = worker.clone();
        let on_error =
            Closure::<dyn FnMut(web_sys::ErrorEvent)>::new(move |e: web_sys::ErrorEvent| {
                e.prevent_default();
                crashed.set(true);
                dying.terminate();
                let detail = match e.message() {
                    m if m.is_empty() => "error".to_string(),
                    m => m,
                };
                on_lost(crate::i18n::worker_crashed(&detail));
            });
        worker.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
        worker.set_onerror(Some(on_error.as_ref().unchecked_ref()));
        *self.live.borrow_mut() = Some(Live {
            worker,
            _on_message: on_message,
            _on_error: on_error,
        });
        Ok(())
    }

    /// Sends a request, with the user's file beside it when the request needs one, starting the
    /// worker if needed. Messages sent before the worker's wasm is ready are held by its loader.
    pub fn send<Req: Serialize>(&self, request: &Req, file: Option<&web_sys::Blob>) {
        self.send_held();
        match encode(request) {
            Some(data) => self.post(data, file),
            None => (self.on_failure)(crate::i18n::WORKER_SEND_FAILED.to_string()),
        }
    }

    /// Sends a request once the page's task is over, with the frame it lays out: a request
    /// that sets the worker (and its helpers) to work on every core, sent after the click
    /// that asked for it has been answered on screen. A request sent meanwhile goes after it;
    /// [`WorkerClient::terminate`] drops it.
    pub fn send_after_task<Req: Serialize>(
        self: &Rc<Self>,
        request: &Req,
        file: Option<&web_sys::Blob>,
    ) where
        Res: 'static,
    {
        let Some(data) = encode(request) else {
            (self.on_failure)(crate::i18n::WORKER_SEND_FAILED.to_string());
            return;
        };
        self.send_held();
        *self.held.borrow_mut() = Some((data, file.cloned()));
        let client = Rc::downgrade(self);
        gloo::timers::callback::Timeout::new(0, move || {
            if let Some(client) = client.upgrade() {
                client.send_held();
            }
        })
        .forget();
    }

    /// Sends the request held by [`WorkerClient::send_after_task`], if any.
    fn send_held(&self) {
        let held = self.held.borrow_mut().take();
        if let Some((data, file)) = held {
            self.post(data, file.as_ref());
        }
    }

    fn post(&self, data: js_sys::Uint8Array, file: Option<&web_sys::Blob>) {
        if let Err(e) = self.start() {
            (self.on_failure)(e);
            return;
        }
        if let Some(live) = self.live.borrow().as_ref() {
            if let Err(e) = post_with_file(&live.worker, &data, file) {
                (self.on_failure)(format!("{e:?}"));
            }
        }
    }

    /// Ends the worker now, whatever it is doing, and drops a request not yet sent; the next
    /// request starts a new one.
    pub fn terminate(&self) {
        self.held.borrow_mut().take();
        if let Some(live) = self.live.borrow_mut().take() {
            live.worker.terminate();
        }
    }

    /// Whether a worker is running (it may hold imported data).
    pub fn is_running(&self) -> bool {
        self.live.borrow().is_some() && !self.crashed.get()
    }
}

impl<Res> Drop for WorkerClient<Res> {
    fn drop(&mut self) {
        if let Some(live) = self.live.borrow_mut().take() {
            live.worker.terminate();
        }
    }
}
