// Where an import's time goes in Chromium, thread by thread: the built app (dist/) imports the
// file as the browser bench does (a fresh page, the file chosen, the click on 取り込む at the
// preview), with Chromium's trace on, and reads the marks the workers make at the end of each
// stage (`ltv-worker:<stage>`, see src/worker/marks.rs) and the page's own measures
// (`ltv:analyse`, `ltv:pipeline`, `ltv:every-part`), in milliseconds after the click. Stages named `helper: …` are
// the reading helper's, `fitter: …` the fitting helper's, `page: …` the page's; the rest are the
// worker's. Medians over the runs.
//
// Usage: node bench/worker-stages.mjs FILE [RUNS]   (prints JSON on stdout)
import { resolve } from 'node:path';
import { serveDist, startBrowser, openCsvWith } from '../e2e/harness.mjs';
import { median } from './median.mjs';

const FILE = resolve(process.argv[2]);
const RUNS = Number(process.argv[3] ?? 3);
const PAGE_MEASURES = {
  'ltv:analyse': 'page: analysis received',
  'ltv:pipeline': 'page: analysis and prediction on screen',
  'ltv:every-part': 'page: every part on screen',
};

async function oneRun(browser, origin) {
  const page = await openCsvWith(browser, origin, FILE, { timeout: 120_000 });
  // Playwright's helper script goes in before the click (see bench/browser.mjs).
  await page.waitForFunction(() => true);
  const cdp = await browser.context.newCDPSession(page);
  const events = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...e.value));
  const complete = new Promise((done) => cdp.once('Tracing.tracingComplete', done));
  await cdp.send('Tracing.start', {
    categories: 'devtools.timeline,blink.user_timing',
    transferMode: 'ReportEvents',
  });
  await page.getByTestId('import').click();
  // The views below the first screen come after the prediction.
  await page.waitForFunction(() => document.body.dataset.parts === 'all', null, {
    timeout: 120_000,
    polling: 20,
  });
  await page.waitForTimeout(100);
  await cdp.send('Tracing.end');
  await complete;
  await cdp.detach();
  await page.close();
  const click = events.find((e) => e.name === 'EventDispatch' && e.args?.data?.type === 'click');
  if (!click) throw new Error('the click is not in the trace');
  const after = (e) => (e.ts - click.ts) / 1000;
  const stages = {};
  for (const e of events) {
    if (!e.cat?.includes('user_timing') || e.ts < click.ts) continue;
    if (e.name.startsWith('ltv-worker:')) {
      const stage = e.name.slice('ltv-worker:'.length);
      // The first mark of each stage: a stage marked twice (a prediction asked again) keeps
      // the import's.
      stages[stage] ??= after(e);
    } else if (PAGE_MEASURES[e.name] && (e.ph === 'e' || e.ph === 'E')) {
      stages[PAGE_MEASURES[e.name]] ??= after(e);
    }
  }
  return stages;
}

const server = await serveDist({});
const browser = await startBrowser();
const each = [];
try {
  for (let r = 0; r < RUNS; r++) {
    each.push(await oneRun(browser, server.origin));
    process.stderr.write(`[worker-stages] run ${r + 1}/${RUNS}\n`);
  }
} finally {
  await browser.close();
  await server.close();
}
const names = [...new Set(each.flatMap((s) => Object.keys(s)))];
const medianMs = Object.fromEntries(
  names
    .map((name) => [name, median(each.map((s) => s[name]))])
    .sort((a, b) => a[1] - b[1])
    .map(([name, ms]) => [name, Math.round(ms)]),
);
console.log(JSON.stringify({ file: FILE.split('/').pop(), runs: RUNS, median_ms: medianMs, each }, null, 1));
