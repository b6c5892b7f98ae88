// The pipeline in headless Chromium: the built release app (dist/) imports the file through the
// page, as a shop owner would, and the harness waits until the analysis is on screen.
//
// Each run opens a fresh page at /#csv, uploads the file through #csv-file, waits for the
// preview, clicks 取り込む ([data-testid=import]) and waits for `document.body.dataset.pipeline`
// to become "done". It reads the app's `ltv:*` performance measures; when the app does not
// record them (yet), it falls back to the time from the click to the import report on screen,
// and says which measures were missing. It also records main-thread long tasks between the click
// and the end, the page's JS heap (CDP Performance.getMetrics), and the WebAssembly memory of the
// workers (the analysis worker and the helpers that read a large file's parts, together) and of
// the page (wasm memory only grows, so its size at the end is its peak; see workersMemory for
// the helpers).
//
// A run that does not reach the end within --timeout seconds (default 300) is recorded as timed
// out, with the measures it did reach (the import, say), and the next run goes on; a run that
// fails is recorded with its error. --no-extras leaves out the first-load and cancel timings.
//
// Usage: node bench/browser.mjs FILE [RUNS] [--timeout SECONDS] [--no-extras]
//          (prints JSON on stdout, progress on stderr)
//        node bench/browser.mjs --big FILE
//        node bench/browser.mjs --phone [RUNS] [DIST]
import { resolve } from 'node:path';
import { serveDist, startBrowser, openCsvWith, unfold, DIST } from '../e2e/harness.mjs';
import { median } from './median.mjs';

// `--big FILE`: one import of a large file (about 200 MB), to see that it completes or is refused
// with a message, and never takes the tab down.
const BIG = process.argv[2] === '--big';
// `--phone [RUNS] [DIST]`: the first visit to the free 診断 on a phone over a slow mobile network
// (see phoneRun); DIST is the built app to serve (dist/ by default), so that two builds compare.
const PHONE = process.argv[2] === '--phone';
const argv = process.argv.slice(2);
const flag = (name) => {
  const i = argv.indexOf(name);
  if (i < 0) return undefined;
  const [, value] = argv.splice(i, name === '--timeout' ? 2 : 1);
  return value ?? true;
};
const TIMEOUT_S = Number(flag('--timeout') ?? 300);
const EXTRAS = flag('--no-extras') === undefined;
const args = BIG || PHONE ? argv.slice(1) : argv;
const FILE = resolve(BIG || !PHONE ? (args[0] ?? 'bench/data/orders_1m.csv') : '.');
const RUNS = BIG ? 1 : Number((PHONE ? args[0] : args[1]) ?? (PHONE ? 7 : 5));
const MEASURES = ['ltv:import', 'ltv:analyse', 'ltv:predict', 'ltv:pipeline', 'ltv:every-part'];
const TIMEOUT_MS = TIMEOUT_S * 1000;
// Without the app's "done" flag, how long the import report must stand with no sign of an
// analysis stage (no ltv:analyse mark, no data-pipeline attribute) before the run is taken as over.
const SETTLE_MS = 3_000;

// Installed before the app's scripts: stamps the click, the report and the end; keeps long tasks.
function instrument() {
  const bench = {
    clickAt: null, reportAt: null, doneAt: null, allAt: null, longtasks: [], frames: [], appWasm: null,
    longtaskSupported: false,
  };
  window.__ltvBench = bench;
  addEventListener('TrunkApplicationStarted', (e) => { bench.appWasm = e.detail?.wasm ?? null; });
  document.addEventListener('click', (e) => {
    if (bench.clickAt === null && e.target.closest?.('[data-testid=import]')) bench.clickAt = performance.now();
  }, true);
  try {
    new PerformanceObserver((list) => {
      for (const t of list.getEntries()) bench.longtasks.push([t.startTime, t.duration]);
    }).observe({ type: 'longtask', buffered: true });
    bench.longtaskSupported = true;
  } catch { /* reported as unsupported */ }
  // Long animation frames (50 ms or more from a task's start to the frame it ends in), with
  // when their rendering and their style and layout began, and their longest script: which
  // part of a long task was the page's code and which the browser's layout.
  try {
    new PerformanceObserver((list) => {
      for (const f of list.getEntries()) {
        const script = [...f.scripts].sort((a, b) => b.duration - a.duration)[0];
        bench.frames.push({
          start: f.startTime,
          duration: f.duration,
          renderStart: f.renderStart ? f.renderStart - f.startTime : null,
          styleAndLayoutStart: f.styleAndLayoutStart ? f.styleAndLayoutStart - f.startTime : null,
          script: script ? `${script.invoker} ${Math.round(script.duration)} ms` : null,
        });
      }
    }).observe({ type: 'long-animation-frame', buffered: true });
  } catch { /* not in this browser */ }
  const check = () => {
    if (bench.clickAt === null) return;
    const now = performance.now();
    if (bench.reportAt === null && document.querySelector('[data-testid=import-report]')) bench.reportAt = now;
    if (bench.doneAt === null && document.body?.dataset.pipeline === 'done') bench.doneAt = now;
    if (bench.allAt === null && document.body?.dataset.parts === 'all') bench.allAt = now;
  };
  new MutationObserver(check).observe(document, {
    subtree: true, childList: true, attributes: true, attributeFilter: ['data-pipeline', 'data-parts'],
  });
}

// A phone on a slow 4G network: Chrome's DevTools throttling of that name, and a CPU 4× slower.
const PHONE_NETWORK = {
  offline: false,
  latency: 150,
  downloadThroughput: 200_000, // 1.6 Mbit/s, in bytes a second
  uploadThroughput: 93_750, // 750 kbit/s
};
const PHONE_CPU_SLOWDOWN = 4;

// Installed before the page's own scripts on a phone visit. Stamps the first frame in which the
// 通販LTV figure is on screen; from then on, every frame types the worked example (¥5,000, 3
// orders a year) into the figure's two inputs, as a visitor would, until the figure follows:
// the page is interactive from that frame (a pre-rendered page once the app has taken it over).
function phoneProbe() {
  const probe = { figureAt: null, interactiveAt: null, before: null, after: null };
  window.__ltvPhone = probe;
  const type = (id, text) => {
    const input = document.getElementById(id);
    if (!input) return;
    input.value = text;
    input.dispatchEvent(new InputEvent('input', { bubbles: true }));
  };
  const frame = () => {
    const figure = document.querySelector('[data-testid=ltv]');
    if (figure && figure.getClientRects().length > 0) {
      const now = performance.now();
      const shown = figure.textContent.trim();
      if (probe.figureAt === null) {
        probe.figureAt = now;
        probe.before = shown;
      } else if (shown !== probe.before) {
        probe.interactiveAt = now;
        probe.after = shown;
        return;
      }
      type('f-aov', '5000');
      type('f-f', '3');
    }
    requestAnimationFrame(frame);
  };
  requestAnimationFrame(frame);
}

// First load: from navigation to the 診断 page's first figure on screen, and the page's own
// navigation timing; then a large import started and cancelled, timed from the click on 中止
// to the page saying so.
async function loadAndCancel(browser, origin) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  const t0 = Date.now();
  await page.goto(`${origin}/`);
  await page.getByTestId('ltv').first().waitFor();
  const firstFigureMs = Date.now() - t0;
  const nav = await page.evaluate(() => {
    const n = performance.getEntriesByType('navigation')[0];
    return n ? { domContentLoaded: n.domContentLoadedEventEnd, load: n.loadEventEnd } : null;
  });
  await page.goto(`${origin}/#csv`);
  await page.locator('#csv-file').setInputFiles(FILE);
  await page.getByTestId('preview').waitFor({ timeout: TIMEOUT_MS });
  await page.getByTestId('import').click();
  await page.getByTestId('cancel').waitFor();
  // Mid-import: the run of `orders_1m.csv` is past its analysis, and shows no 中止 button,
  // about 0.3 s after the click. A run already past it counts as missing.
  await page.waitForTimeout(100);
  const cancelMs = await page.evaluate(() => new Promise((done) => {
    const button = document.querySelector('[data-testid=cancel]');
    if (!button) return done(null);
    const t = performance.now();
    button.click();
    const check = () => (document.querySelector('[data-testid=cancel]') ? requestAnimationFrame(check)
      : done(performance.now() - t));
    requestAnimationFrame(check);
  }));
  await page.close();
  return { firstFigureMs, nav, cancelMs };
}

async function oneRun(browser, origin) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.addInitScript(instrument);
  await page.goto(`${origin}/#csv`);
  await page.locator('#csv-file').waitFor({ state: 'attached' });
  const cdp = await browser.context.newCDPSession(page);
  await cdp.send('Performance.enable');

  await page.locator('#csv-file').setInputFiles(FILE);
  await page.getByTestId('preview').waitFor({ timeout: TIMEOUT_MS });
  // Playwright puts its helper script into the page at the first waitForFunction: 7 to 20 ms of
  // the page's thread (Chromium's trace: one EvaluateScript), which after the click would be
  // taken from the import's two cores and counted in the app's time. It goes in before.
  await page.waitForFunction(() => true);
  await page.getByTestId('import').click();
  let timedOut = false;
  await page.waitForFunction(({ settle }) => {
    const b = window.__ltvBench;
    if (document.querySelector('[data-testid=import-error]')) return 'error';
    if (b.doneAt !== null) return 'done';
    const started = document.body.dataset.pipeline !== undefined
      || performance.getEntriesByName('ltv:analyse:start').length > 0
      || performance.getEntriesByName('ltv:analyse').length > 0;
    return b.reportAt !== null && !started && performance.now() - b.reportAt > settle ? 'report' : false;
  }, { settle: SETTLE_MS }, { timeout: TIMEOUT_MS, polling: 100 }).catch((e) => {
    if (e.name !== 'TimeoutError') throw e;
    timedOut = true;
  });
  // The parts below the first screen may still be coming once the answer is on screen: the
  // long tasks and frames are counted until every part is shown.
  if (!timedOut) {
    await page.waitForFunction(() => {
      const b = window.__ltvBench;
      return b.doneAt === null || b.allAt !== null;
    }, null, { timeout: TIMEOUT_MS, polling: 100 }).catch((e) => {
      if (e.name !== 'TimeoutError') throw e;
      timedOut = true;
    });
  }

  const page_ = await page.evaluate((names) => {
    const b = window.__ltvBench;
    const measures = {};
    for (const name of names) {
      const e = performance.getEntriesByName(name, 'measure');
      measures[name] = e.length ? e[e.length - 1].duration : null;
    }
    const answerAt = b.doneAt ?? b.reportAt;
    const endAt = b.allAt ?? answerAt;
    // When a stage's measure ended (never, when it did not).
    const ended = (name) => {
      const e = performance.getEntriesByName(name, 'measure');
      return e.length ? e[e.length - 1].startTime + e[e.length - 1].duration : Infinity;
    };
    const during = b.longtasks.filter(([start, d]) => start + d >= b.clickAt && start <= endAt);
    const error = document.querySelector('[data-testid=import-error]')?.innerText ?? null;
    return {
      error,
      done: b.doneAt !== null,
      harnessMs: answerAt === null ? null : answerAt - b.clickAt,
      measures,
      longtaskSupported: b.longtaskSupported,
      longtaskCount: during.length,
      longestLongtaskMs: during.reduce((m, [, d]) => Math.max(m, d), 0),
      // Where each long task fell: ms after the click, its length, and the stage the page was
      // in (before the import report, before the analysis arrived, before the prediction, after).
      longtasks: during.map(([start, d]) => {
        const stage = start < ended('ltv:import') ? 'import'
          : start < ended('ltv:analyse') ? 'analysis'
            : start < ended('ltv:predict') ? 'analysis on screen, prediction under way' : 'prediction on screen';
        return [Math.round(start - b.clickAt), Math.round(d), stage];
      }),
      longFrames: b.frames
        .filter((f) => f.start + f.duration >= b.clickAt && f.start <= endAt)
        .map((f) => ({ ...f, start: Math.round(f.start - b.clickAt) })),
      appWasmBytes: b.appWasm?.memory?.buffer?.byteLength ?? null,
    };
  }, MEASURES);
  if (page_.error) throw new Error(`the import failed: ${page_.error}`);
  if (timedOut) {
    // Not at the end after TIMEOUT_S: what was reached is kept, the rest is missing.
    await cdp.detach();
    await page.close();
    return { ...page_, timedOut, harnessMs: null, refreshMs: null, workerWasmBytes: null };
  }

  // A segment threshold changed on the imported data: the worker analyses again from the table
  // it holds (no re-reading of the file), and the page shows the new counts. Timed from the
  // change event (its own time stamp, taken by the browser as it fires) to the next frame after
  // the new analysis is on screen. A clock read in the page before the harness sends the blur
  // would add the harness's round trip to the browser (20 to 30 ms here) to the page's time.
  // The thresholds sit in the 分析の設定 fold, closed by default: opened as a user would.
  await unfold(page);
  const threshold = page.getByLabel('現役とみなす日数（最終注文から）');
  const refreshMs = [];
  let refreshError = null;
  try {
    for (const days of ['60', '90']) {
      await threshold.fill(days);
      const before = await page.evaluate(() => performance.getEntriesByName('ltv:analyse', 'measure').length);
      await threshold.evaluate((input) => {
        window.__ltvChange = null;
        input.addEventListener('change', (e) => { window.__ltvChange = e.timeStamp; }, { once: true, capture: true });
      });
      await threshold.blur();
      await page.waitForFunction((n) => performance.getEntriesByName('ltv:analyse', 'measure').length > n,
        before, { timeout: TIMEOUT_MS, polling: 'raf' });
      const [t0, t1] = await page.evaluate(() => new Promise((done) => {
        requestAnimationFrame(() => setTimeout(() => done([window.__ltvChange, performance.now()]), 0));
      }));
      if (t0 == null) throw new Error('no change event fired on the threshold');
      refreshMs.push(t1 - t0);
    }
  } catch (e) {
    refreshError = `the threshold change: ${e.message.split('\n')[0]}`;
  }

  const metrics = Object.fromEntries(
    (await cdp.send('Performance.getMetrics')).metrics.map((m) => [m.name, m.value]),
  );
  const workerWasmBytes = await workersMemory(page);
  await cdp.detach();
  await page.close();
  return {
    ...page_,
    timedOut,
    refreshMs: refreshError ? null : Math.max(...refreshMs),
    refreshError,
    jsHeapUsedBytes: metrics.JSHeapUsedSize ?? null,
    jsHeapTotalBytes: metrics.JSHeapTotalSize ?? null,
    workerWasmBytes,
  };
}

// The most WebAssembly memory the workers held at once, in bytes (null when none is found).
// Each memory only grows, so a worker's size at the end is its peak. The analysis worker ends
// the readers of a large file's parts once they have answered (which gives their memory back),
// keeps its fitters, and publishes `ltvMemoryPeak`: a bound on its own memory and its helpers'
// together (each reader counted in full until it answered, beside the worker as it was then;
// each fitter at what it held at each moment). Without that figure, the workers' sizes add up.
async function workersMemory(page) {
  let total = null;
  let peak = null;
  for (const worker of page.workers()) {
    try {
      const [bytes, bound] = await worker.evaluate(async () => (typeof wasm_bindgen === 'function'
        ? [(await wasm_bindgen()).memory.buffer.byteLength, self.ltvMemoryPeak ?? null]
        : [null, null]));
      if (bytes !== null) total = (total ?? 0) + bytes;
      if (bound !== null) peak = Math.max(peak ?? 0, bound);
    } catch { /* a worker that ended meanwhile */ }
  }
  return peak === null ? total : Math.max(peak, total ?? 0);
}

async function bigRun(browser, origin) {
  const page = await openCsvWith(browser, origin, FILE, { timeout: TIMEOUT_MS });
  let crashed = false;
  page.on('crash', () => { crashed = true; });
  // Playwright's helper script in before the click, as in `oneRun`.
  await page.waitForFunction(() => true);
  const t0 = Date.now();
  await page.getByTestId('import').click();
  const outcome = await (await page.waitForFunction(() => {
    if (document.body.dataset.pipeline === 'done') return 'done';
    const error = document.querySelector('[data-testid=import-error], [role=alert]');
    return error ? `message: ${error.innerText}` : false;
  }, null, { timeout: 900_000, polling: 500 })).jsonValue();
  const ms = Date.now() - t0;
  const workerWasmBytes = await workersMemory(page);
  // The report sits in a fold, laid out once opened: opened as a user would.
  await unfold(page);
  const report = await page.getByTestId('import-report').innerText({ timeout: 30_000 }).catch(() => null);
  const rows = report?.match(/読んだ行\s*([\d,]+)/)?.[1] ?? null;
  await page.close();
  return { file: FILE, outcome, crashed, ms, workerWasmBytes, rowsRead: rows };
}

// One first visit at phone size (390 × 844) with the network, the CPU and the cache as a phone
// that has never seen the site: times from the navigation's start, bytes as they came over the
// wire (compressed), counted until the page was interactive.
async function phoneRun(browser, origin) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  await page.addInitScript(phoneProbe);
  const cdp = await browser.context.newCDPSession(page);
  const urls = new Map();
  const finished = [];
  let startedAt = null;
  cdp.on('Network.requestWillBeSent', (e) => {
    urls.set(e.requestId, e.request.url);
    if (startedAt === null && e.type === 'Document') startedAt = e.timestamp;
  });
  cdp.on('Network.loadingFinished', (e) => finished.push({ id: e.requestId, at: e.timestamp, bytes: e.encodedDataLength }));
  await cdp.send('Network.enable');
  await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
  await cdp.send('Network.emulateNetworkConditions', PHONE_NETWORK);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: PHONE_CPU_SLOWDOWN });
  await page.goto(`${origin}/`, { waitUntil: 'commit' });
  await page.waitForFunction(() => window.__ltvPhone?.interactiveAt !== null, null, { timeout: 60_000, polling: 100 });
  const probe = await page.evaluate(() => window.__ltvPhone);
  await cdp.send('Emulation.setCPUThrottlingRate', { rate: 1 });
  await cdp.detach();
  await page.close();
  // The page's clock starts at the navigation, about when the document's request is sent.
  const msOf = (at) => (at - startedAt) * 1000;
  const until = (ms) => finished.filter((f) => msOf(f.at) <= ms).reduce((sum, f) => sum + f.bytes, 0);
  const files = Object.fromEntries(finished.filter((f) => msOf(f.at) <= probe.interactiveAt)
    .map((f) => [new URL(urls.get(f.id)).pathname, f.bytes]));
  return {
    firstFigureMs: probe.figureAt,
    interactiveMs: probe.interactiveAt,
    shown: [probe.before, probe.after],
    bytesToFirstFigure: until(probe.figureAt),
    bytesToInteractive: until(probe.interactiveAt),
    files,
  };
}

const server = await serveDist(PHONE ? { dir: resolve(args[1] ?? DIST), brotli: true } : {});
const browser = await startBrowser();
if (PHONE) {
  try {
    // A first visit in a browser just started is slower than any later one (its processes and
    // fonts are cold): it is run once before the measured runs and not counted.
    await phoneRun(browser, server.origin);
    const runs = [];
    for (let i = 0; i < RUNS; i++) {
      const run = await phoneRun(browser, server.origin);
      runs.push(run);
      console.error(`[browser] phone run ${i + 1}/${RUNS}: figure ${run.firstFigureMs.toFixed(0)} ms, `
        + `interactive ${run.interactiveMs.toFixed(0)} ms, ${run.bytesToInteractive} bytes`);
    }
    console.log(JSON.stringify({
      dist: resolve(args[1] ?? DIST),
      runs: RUNS,
      chromium: browser.context.browser()?.version() ?? null,
      network: PHONE_NETWORK,
      cpu_slowdown: PHONE_CPU_SLOWDOWN,
      viewport: [390, 844],
      median_first_figure_ms: median(runs.map((r) => r.firstFigureMs)),
      median_interactive_ms: median(runs.map((r) => r.interactiveMs)),
      median_bytes_to_first_figure: median(runs.map((r) => r.bytesToFirstFigure)),
      median_bytes_to_interactive: median(runs.map((r) => r.bytesToInteractive)),
      problems: browser.problems,
      each: runs,
    }, null, 1));
  } finally {
    await browser.close();
    await server.close();
  }
  process.exit(0);
}
if (BIG) {
  try {
    console.log(JSON.stringify(await bigRun(browser, server.origin), null, 1));
  } finally {
    await browser.close();
    await server.close();
  }
  process.exit(0);
}
const runs = [];
const failed = [];
const loads = [];
const max = (xs) => {
  const v = xs.filter((x) => typeof x === 'number' && Number.isFinite(x));
  return v.length ? Math.max(...v) : null;
};
try {
  const version = browser.context.browser()?.version() ?? null;
  for (let i = 0; i < RUNS; i++) {
    let run;
    try {
      run = await oneRun(browser, server.origin);
    } catch (e) {
      failed.push(e.message.split('\n')[0]);
      console.error(`[browser] run ${i + 1}/${RUNS} failed: ${e.message.split('\n')[0]}`);
      for (const p of browser.context.pages()) await p.close().catch(() => {});
      continue;
    }
    runs.push(run);
    const shown = run.measures['ltv:pipeline'] ?? run.harnessMs;
    console.error(`[browser] run ${i + 1}/${RUNS}: ${run.timedOut ? `timed out after ${TIMEOUT_S} s` : `${shown?.toFixed(0)} ms`}`
      + `${run.done || run.timedOut ? '' : ' (to the import report)'}`
      + `${run.refreshMs == null ? '' : `, threshold change ${run.refreshMs.toFixed(0)} ms`}`
      + `${run.refreshError ? ` (${run.refreshError})` : ''}`);
  }
  if (EXTRAS) {
    for (let i = 0; i < Math.min(RUNS, 3); i++) {
      try {
        loads.push(await loadAndCancel(browser, server.origin));
      } catch (e) {
        failed.push(`first load and cancel: ${e.message.split('\n')[0]}`);
      }
    }
  }
  const finished = runs.filter((r) => !r.timedOut);
  const missing = MEASURES.filter((m) => runs.every((r) => r.measures[m] === null));
  const result = {
    file: FILE,
    runs: RUNS,
    timeout_s: TIMEOUT_S,
    timed_out: runs.filter((r) => r.timedOut).length,
    failed,
    chromium: version,
    done_flag: finished.length > 0 && finished.every((r) => r.done),
    missing_measures: missing,
    median_ms: {
      ...Object.fromEntries(MEASURES.map((m) => [m, median(runs.map((r) => r.measures[m]))])),
      harness: median(runs.map((r) => r.harnessMs)),
    },
    longtask_supported: runs.every((r) => r.longtaskSupported),
    longest_longtask_ms: max(runs.map((r) => r.longestLongtaskMs)),
    median_longest_longtask_ms: median(runs.map((r) => r.longestLongtaskMs)),
    median_longtask_count: median(runs.map((r) => r.longtaskCount)),
    max_refresh_ms: max(runs.map((r) => r.refreshMs)),
    median_refresh_ms: median(runs.map((r) => r.refreshMs)),
    median_first_figure_ms: median(loads.map((l) => l.firstFigureMs)),
    median_load_event_ms: median(loads.map((l) => l.nav?.load)),
    max_cancel_ms: max(loads.map((l) => l.cancelMs)),
    loads,
    max_worker_wasm_bytes: runs.some((r) => r.workerWasmBytes !== null)
      ? Math.max(...runs.map((r) => r.workerWasmBytes ?? 0)) : null,
    max_app_wasm_bytes: runs.some((r) => r.appWasmBytes !== null)
      ? Math.max(...runs.map((r) => r.appWasmBytes ?? 0)) : null,
    median_js_heap_used_bytes: median(runs.map((r) => r.jsHeapUsedBytes)),
    problems: browser.problems,
    each: runs,
  };
  console.log(JSON.stringify(result, null, 1));
} finally {
  await browser.close();
  await server.close();
}
