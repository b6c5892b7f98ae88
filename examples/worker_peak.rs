//! The worker's heap over one import of a file, natively: the engine is driven as the worker
//! drives it (the file read a piece at a time, each answer encoded as it is posted), and the
//! heap in use and its peak so far are printed at every stage's answer. The worker's
//! WebAssembly memory is at least this peak (its allocator never gives memory back). Then
//! the heap each held part takes (the table, the customer base, the analysis, the
//! prediction), built again one after another from the core.
//! `cargo run --release --example worker_peak -- bench/data/orders_1m.csv`
//!
//! `PARTS=n` reads the file in `n` parts as the worker and its helpers do: each helper's
//! heap is printed on its own (it is another worker), then the worker's, which joins them.

use std::alloc::{GlobalAlloc, Layout, System};
use std::fs::File;
use std::io::{Read, Seek, SeekFrom};
use std::ops::Range;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::Instant;

use ltv_app::worker::engine::{Engine, FileSource};
use ltv_app::worker::protocol::{answer_from_bytes, answer_to_bytes, to_bytes, HelperAnswer};
use ltv_app::worker::{Request, Response, Settings};
use ltv_core::analysis::customers::CustomerBase;
use ltv_core::analysis::{analyse_views, customer_rows, AnalysisParams};
use ltv_core::forecast::initial_calibration_end;
use ltv_core::import::{import, ImportOptions};
use ltv_core::model::{predict, AliveThresholds, ModelParams};

struct Counting;

static NOW: AtomicUsize = AtomicUsize::new(0);
static PEAK: AtomicUsize = AtomicUsize::new(0);

unsafe impl GlobalAlloc for Counting {
    unsafe fn alloc(&self, layout: Layout) -> *mut u8 {
        let now = NOW.fetch_add(layout.size(), Ordering::Relaxed) + layout.size();
        PEAK.fetch_max(now, Ordering::Relaxed);
        unsafe { System.alloc(layout) }
    }

    unsafe fn dealloc(&self, ptr: *mut u8, layout: Layout) {
        NOW.fetch_sub(layout.size(), Ordering::Relaxed);
        unsafe { System.dealloc(ptr, layout) }
    }

    unsafe fn realloc(&self, ptr: *mut u8, layout: Layout, new_size: usize) -> *mut u8 {
        if new_size > layout.size() {
            let now = NOW.fetch_add(new_size - layout.size(), Ordering::Relaxed) + new_size
                - layout.size();
            PEAK.fetch_max(now, Ordering::Relaxed);
        } else {
            NOW.fetch_sub(layout.size() - new_size, Ordering::Relaxed);
        }
        unsafe { System.realloc(ptr, layout, new_size) }
    }
}

#[global_allocator]
static ALLOCATOR: Counting = Counting;

struct DiskFile {
    file: File,
    len: u64,
}

impl FileSource for DiskFile {
    fn len(&self) -> u64 {
        self.len
    }

    fn read(&mut self, range: Range<u64>) -> Result<Vec<u8>, String> {
        let mut bytes = vec![0; (range.end - range.start) as usize];
        self.file
            .seek(SeekFrom::Start(range.start))
            .map_err(|e| e.to_string())?;
        self.file
            .read_exact(&mut bytes)
            .map_err(|e| e.to_string())?;
        Ok(bytes)
    }
}

fn mb(bytes: usize) -> f64 {
    bytes as f64 / 1e6
}

fn main() {
    let path = std::env::args().nth(1).expect("usage: worker_peak <file>");
    let file = File::open(&path).expect("the file opens");
    let len = file.metadata().expect("the file has a length").len();
    let mut disk = DiskFile { file, len };
    let mut engine = Engine::new();
    let t = Instant::now();
    let mut last_stage = None;
    let report = |what: &str| {
        println!(
            "{:>8.1} ms  {what:<24} heap {:>7.1} MB, peak so far {:>7.1} MB",
            t.elapsed().as_secs_f64() * 1e3,
            mb(NOW.load(Ordering::Relaxed)),
            mb(PEAK.load(Ordering::Relaxed)),
        )
    };
    let request = Request::Import {
        options: ImportOptions::new(),
        settings: Settings {
            analysis: AnalysisParams::new(),
            model: ModelParams::new(),
            alive: AliveThresholds::default(),
        },
    };
    let count: usize = std::env::var("PARTS")
        .ok()
        .and_then(|p| p.parse().ok())
        .unwrap_or(1);
    let mut answers = Vec::new();
    for index in 1..count {
        // A helper's heap: its own, measured alone (it is another worker).
        let (now, peak) = (NOW.load(Ordering::Relaxed), PEAK.load(Ordering::Relaxed));
        PEAK.store(now, Ordering::Relaxed);
        let mut helper = Engine::new();
        helper.warm_up_helper_once();
        let answer = helper.read_part(
            &ImportOptions::new(),
            1,
            index as u32,
            count as u32,
            Some(&mut disk),
        );
        report(&format!("helper {index}: part read"));
        // As the glue posts it: the protocol bytes, and each column in a buffer outside the
        // heap (counted here).
        let answer = HelperAnswer::Part(Box::new(answer));
        let bytes = answer_to_bytes(&answer).expect("encodes");
        report(&format!(
            "helper {index}: written ({} B beside)",
            bytes.1.iter().map(Vec::len).sum::<usize>()
        ));
        drop(answer);
        drop(helper);
        println!(
            "helper {index}: peak over its start {:.1} MB",
            mb(PEAK.load(Ordering::Relaxed) - now)
        );
        answers.push(bytes);
        PEAK.store(peak.max(NOW.load(Ordering::Relaxed)), Ordering::Relaxed);
    }
    let now = NOW.load(Ordering::Relaxed);
    PEAK.store(now, Ordering::Relaxed);
    let held: usize = answers.iter().flat_map(|(_, c)| c).map(Vec::len).sum();
    println!(
        "worker starts with {:.1} MB of answers held outside its heap",
        mb(held)
    );
    let mut send = |response: Response| {
        let bytes = to_bytes(&response).map_or(0, |b| b.len());
        let what = match &response {
            Response::Progress { stage, .. } => {
                if last_stage == Some(*stage) {
                    return;
                }
                last_stage = Some(*stage);
                format!("{stage:?} starts")
            }
            Response::Imported(_) => format!("Imported ({} B)", bytes),
            Response::Analysed(_) => format!("Analysed ({} B)", bytes),
            Response::Predicted { .. } => format!("Predicted ({} B)", bytes),
            other => format!("{:?}", std::mem::discriminant(other)),
        };
        report(&what);
    };
    if count > 1 {
        let Request::Import { options, settings } = request else {
            unreachable!()
        };
        engine.import(options, settings, Some(&mut disk), count, 1, &mut send);
        report("worker: part 0 read");
        for (head, columns) in answers {
            // As the glue receives it: the columns copied in from the message's buffers.
            let Some(HelperAnswer::Part(answer)) = answer_from_bytes(&head, &columns) else {
                panic!("a part's answer decodes as one");
            };
            drop(columns);
            engine.take_part(*answer, Some(&mut disk), &mut send);
        }
    } else {
        engine.handle(request, Some(&mut disk), &mut send);
    }
    report("end");
    println!(
        "worker: peak over its start {:.1} MB",
        mb(PEAK.load(Ordering::Relaxed) - now)
    );
    drop(engine);
    parts(&path);
}

/// The heap each part of the held state takes, built one after another from the core (the
/// file read whole here), with the peak reached while it was made.
fn parts(path: &str) {
    let step = |what: &str, before: usize| {
        let now = NOW.load(Ordering::Relaxed);
        println!(
            "{what:<30} {:>+7.1} MB (heap {:>7.1} MB, peak while made {:>7.1} MB)",
            mb(now) - mb(before),
            mb(now),
            mb(PEAK.load(Ordering::Relaxed))
        );
        PEAK.store(now, Ordering::Relaxed);
        now
    };
    let start = step("start", 0);
    let bytes = std::fs::read(path).expect("the file reads");
    let read = step("file bytes", start);
    let mut imported = import(&bytes, &ImportOptions::new(), &mut |_| true).expect("imports");
    drop(bytes);
    let table = step("table (file dropped)", read);
    // As the worker holds it: in customer order, read there by the base.
    imported.table.group_by_customer();
    let table = step("table in customer order", table);
    let base = CustomerBase::new(&imported.table, None);
    let grouped = step("customer base", table);
    let analysis = analyse_views(&imported.table, &base, &AnalysisParams::new(), None);
    let viewed = step("analysis, without rows", grouped);
    let rows = customer_rows(&imported.table, &base, &analysis);
    step("per-customer rows (an export)", viewed);
    drop(rows);
    let calibration_end = imported
        .table
        .date_range()
        .and_then(|(first, last)| initial_calibration_end(first, last));
    let params = ModelParams::default().with_calibration_end(calibration_end);
    let prediction = predict(&imported.table, &params);
    step("prediction", viewed);
    if let Ok(p) = &prediction {
        println!(
            "  of which per customer {:.1} MB ({:.1} bytes a customer id)",
            mb(p.customers.heap_bytes()),
            p.customers.heap_bytes() as f64 / p.customers.len().max(1) as f64
        );
    }
}
