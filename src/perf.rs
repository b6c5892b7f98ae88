//! Marks and measures on the page's performance timeline, for the benchmark and the
//! browser's profiler: `ltv:import`, `ltv:analyse`, `ltv:predict`, `ltv:pipeline`,
//! `ltv:every-part`.

/// The performance timeline of the scope this runs in: the page's window or a worker's
/// global scope (the worker's stage marks, [`crate::worker::marks`]); none off the browser.
pub(crate) fn performance() -> Option<web_sys::Performance> {
    use wasm_bindgen::JsCast;
    if !cfg!(target_arch = "wasm32") {
        return None;
    }
    js_sys::Reflect::get(&js_sys::global(), &"performance".into())
        .ok()?
        .dyn_into()
        .ok()
}

/// Marks the start of a stage (`<name>:start`).
pub fn start(name: &str) {
    if let Some(p) = performance() {
        let _ = p.mark(&format!("{name}:start"));
    }
}

/// Measures a stage from its start mark to now; nothing when it was never started.
pub fn end(name: &str) {
    if let Some(p) = performance() {
        let start = format!("{name}:start");
        if p.get_entries_by_name(&start).length() == 0 {
            return;
        }
        let _ = p.measure_with_start_mark(name, &start);
        p.clear_marks_with_mark_name(&start);
    }
}
