//! The worker's JavaScript glue: messages in, the [`Engine`] called, responses posted.

use std::cell::RefCell;
use std::ops::Range;

use wasm_bindgen::closure::Closure;
use wasm_bindgen::{JsCast, JsValue};
use web_sys::{Blob, DedicatedWorkerGlobalScope, FileReaderSync, MessageEvent};

use super::client::{decode, encode};
use super::engine::{Engine, File, FileSource};
use super::protocol::{DecodeError, Request, Response};
use crate::i18n;

/// Installs the message handler; called by the worker binary's `main`.
pub fn run() {
    // A panic ends the worker (the page says so and starts a new one); its message goes to the
    // console first, or it would be lost.
    std::panic::set_hook(Box::new(console_error_panic_hook::hook));
    let scope: DedicatedWorkerGlobalScope = js_sys::global().unchecked_into();
    let engine = RefCell::new(Engine::new());
    let post_scope = scope.clone();
    let handler = Closure::<dyn FnMut(MessageEvent)>::new(move |event: MessageEvent| {
        let mut post = |response: Response| {
            if let Some(data) = encode(&response) {
                let transfer = js_sys::Array::of1(&data.buffer());
                let _ = post_scope.post_message_with_transfer(&data, &transfer);
            }
        };
        let data = event.data();
        // A request that carries the user's file sends it beside the bytes: [bytes, Blob].
        let (bytes, blob) = match data.dyn_ref::<js_sys::Array>() {
            Some(pair) => (pair.get(0), pair.get(1).dyn_into::<Blob>().ok()),
            None => (data, None),
        };
        match decode::<Request>(&bytes) {
            Ok(request) => {
                let mut file = blob.as_ref().map(|blob| BlobFile { blob, reader: None });
                let file = file.as_mut().map(|f| f as File<'_>);
                engine.borrow_mut().handle(request, file, &mut post);
            }
            // The page is of another build than this worker: whichever is older, reloading
            // brings both to the same one.
            Err(DecodeError::Version(_)) => post(Response::Failed(i18n::APP_UPDATED.to_string())),
            Err(DecodeError::Malformed) => {
                post(Response::Failed(i18n::WORKER_BAD_REQUEST.to_string()))
            }
        }
    });
    scope.set_onmessage(Some(handler.as_ref().unchecked_ref()));
    handler.forget();
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

fn describe(error: JsValue) -> String {
    format!("{}: {error:?}", i18n::WORKER_READ_FAILED)
}
