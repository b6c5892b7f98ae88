//! The analysis worker: a Web Worker that imports the user's export and keeps the order table
//! for the analyses, so that the UI thread only shows results.

#[cfg(target_arch = "wasm32")]
fn main() {
    ltv_app::worker::service::run();
}

#[cfg(not(target_arch = "wasm32"))]
fn main() {
    eprintln!("ltv-worker runs in a browser's Web Worker; build it with Trunk.");
}
