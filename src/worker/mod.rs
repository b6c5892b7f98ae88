//! The Web Worker that reads, analyses and predicts on an order export off the UI thread.
//!
//! Three layers:
//! - [`protocol`]: the requests, the responses, their bytes and the protocol version;
//! - [`engine`]: the work itself, with no web dependency (tested natively): it owns the
//!   imported order table and everything computed from it;
//! - `service` (in the worker) and [`client`] (in the page): the JavaScript glue on each side.
//!
//! Messages are [`protocol`] bytes (a version header, then postcard) in a `Uint8Array`; a
//! request that carries the user's file sends it beside them as a `Blob` (a file, a paste or
//! the sample), which the worker reads itself, so the UI thread never copies the file.

pub mod client;
pub mod engine;
pub mod marks;
pub mod protocol;
pub mod read_ahead;
#[cfg(target_arch = "wasm32")]
pub mod service;

pub use protocol::{Request, Response, Settings, Stage};
