//! Marks of the worker's stages on its performance timeline (`ltv-worker:<stage>`), for the
//! benchmark (`bench/worker-stages.mjs` reads them from Chromium's trace) and the browser's
//! profiler: where an import's time goes in the browser, thread by thread. Each mark is
//! cleared as soon as it is made, so none pile up; natively (the tests) marking does nothing.
//! The warm-up's runs are not marked ([`unmarked`]).

use std::cell::Cell;

thread_local! {
    static OFF: Cell<bool> = const { Cell::new(false) };
}

/// The end of a stage of the pipeline in this worker (its name made only when marks are on:
/// `format_args!` for a name put together).
pub fn mark(stage: impl std::fmt::Display) {
    if OFF.with(Cell::get) {
        return;
    }
    if let Some(performance) = crate::perf::performance() {
        let name = format!("ltv-worker:{stage}");
        let _ = performance.mark(&name);
        performance.clear_marks_with_mark_name(&name);
    }
}

/// `work` without marks: the warm-up's made-up files are not the user's.
pub fn unmarked<T>(work: impl FnOnce() -> T) -> T {
    let before = OFF.with(|off| off.replace(true));
    let out = work();
    OFF.with(|off| off.set(before));
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn marks_are_off_within_unmarked_and_back_after() {
        assert!(!OFF.with(Cell::get));
        let inside = unmarked(|| unmarked(|| OFF.with(Cell::get)) && OFF.with(Cell::get));
        assert!(inside);
        assert!(!OFF.with(Cell::get));
    }
}
