// A file large enough to be read in parts side by side (4 MB or more): the worker starts a
// reader (a helper worker) per core beyond its own, each reads its part of the file, and the
// parts are joined; each reader is ended once it has answered, and new ones start when a file is
// chosen again. The report must be the one a single reading gives. Beside the readers run
// fitters (one per core beyond the worker's, up to two), to which the prediction sends its
// slowest model fits when there are many customers; they stay. The file is CDNOW_master.txt, each
// line padded with spaces to 72 bytes (the whitespace-separated layout reads them alike), which
// makes it 5 MB; the same data unpadded (1.9 MB) is read whole.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, unfold } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CDNOW = join(here, '..', 'tests', 'data', 'cdnow', 'CDNOW_master.txt');

const app = useApp();

const number = async (page, id) => Number((await page.getByTestId(id).innerText()).replace(/[^0-9.-]/g, ''));

/** The report's figures on screen. */
async function figuresOf(page) {
  await unfold(page);
  await page.getByTestId('import-report').waitFor({ timeout: 90_000 });
  const figures = {};
  for (const id of ['rows-read', 'rows-used', 'rows-rejected', 'customers', 'orders', 'revenue']) {
    figures[id] = await number(page, id);
  }
  return figures;
}

/**
 * Imports `file` and reads the report's figures; with `again`, chooses the file again in the same
 * page and imports it a second time. Counts the workers started and those still running.
 */
async function report(file, { again = false } = {}) {
  const page = await openCsvWith(app.browser, app.server.origin, file);
  // The workers started so far (the analysis worker and its helpers, started with the page),
  // and those started later.
  const started = [...page.workers()];
  page.on('worker', (worker) => started.push(worker));
  await page.getByTestId('import').click();
  await page.waitForFunction(() => document.body.dataset.pipeline === 'done', null, { timeout: 90_000 });
  const figures = await figuresOf(page);
  // The worker that runs the pipeline is the one that publishes the fits it sent away.
  const fitsAway = async () => {
    for (const worker of page.workers()) {
      const n = await worker.evaluate(() => self.ltvFitsAway ?? null).catch(() => null);
      if (n !== null) return n;
    }
    return 0;
  };
  const first = { started: started.length, running: page.workers().length, fitsAway: await fitsAway() };
  let second = null;
  if (again) {
    await page.locator('#csv-file').setInputFiles(file);
    await page.getByTestId('preview').waitFor({ timeout: 30_000 });
    await page.getByTestId('import').click();
    await page.waitForFunction(() => performance.getEntriesByName('ltv:import', 'measure').length >= 2
      && document.body.dataset.pipeline === 'done', null, { timeout: 90_000, polling: 100 });
    second = { figures: await figuresOf(page), started: started.length, fitsAway: await fitsAway() };
  }
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  await page.close();
  return { figures, cores, first, second };
}

test('a 5 MB export read in parts gives the report of one reading', async () => {
  const text = await readFile(CDNOW, 'latin1');
  const lines = text.split('\r\n').filter((l) => l.trim() !== '');
  const padded = lines.map((l) => l.padEnd(70, ' ')).join('\r\n') + '\r\n';
  assert.ok(padded.length >= 5_000_000, `${padded.length} bytes`);
  const dir = await mkdtemp(join(tmpdir(), 'ltv-parts-'));
  const large = join(dir, 'CDNOW_master_padded.txt');
  await writeFile(large, padded, 'latin1');

  // What the file holds, counted here: its rows and its customers.
  const rows = lines.slice(1).map((l) => l.trim().split(/\s+/));
  const customers = new Set(rows.map((r) => r[0])).size;
  assert.equal(rows.length, 69_659);
  assert.equal(customers, 23_570);

  const inParts = await report(large, { again: true });
  const whole = await report(CDNOW);
  assert.equal(inParts.figures['rows-read'], rows.length);
  assert.equal(inParts.figures['rows-rejected'], 0);
  assert.equal(inParts.figures.customers, customers);
  assert.deepEqual(inParts.figures, whole.figures);
  // Chosen again in the same page, the file reads the same.
  assert.deepEqual(inParts.second.figures, whole.figures);
  // With two cores or more, the worker has a reader beside it to read the second part, ended
  // once it has answered (its memory given back); the second import starts a new one. Its
  // fitters stay, and took Pareto/NBD's fit (and MBG/NBD's, with a second fitter) each time.
  if (inParts.cores >= 2) {
    const { first, second } = inParts;
    const fitters = Math.min(inParts.cores - 1, 2);
    assert.ok(first.started >= 3, `${first.started} workers started for the first import`);
    assert.equal(first.running, 1 + fitters, 'the analysis worker and its fitters run after the import');
    assert.ok(second.started > first.started, `${second.started} workers started in all`);
    assert.equal(first.fitsAway, fitters, 'fits sent to the fitters by the first import');
    assert.equal(second.fitsAway, 2 * fitters, 'and by the second');
    assert.equal(whole.first.fitsAway, fitters, 'the file read whole sends them too');
  }
});

// After an import the analysis's first screen comes at once, and the parts below it wait until
// the prediction is in (the model fits have both cores meanwhile): the headline's 予測売上 is
// filled in before the monthly view is on the page, and every part comes after.
test('the parts below the first screen come after the prediction', async () => {
  const page = await openCsvWith(app.browser, app.server.origin, CDNOW);
  await page.evaluate(() => {
    const seen = { analysis: null, forecast: null, monthly: null };
    window.__seen = seen;
    const check = () => {
      const now = performance.now();
      if (seen.analysis === null && document.querySelector('[data-testid=kpi-customers]')) seen.analysis = now;
      const forecast = document.querySelector('[data-testid=kpi-forecast]');
      if (seen.forecast === null && forecast && /[0-9]/.test(forecast.innerText)) seen.forecast = now;
      if (seen.monthly === null && document.querySelector('[data-testid=monthly-chart]')) seen.monthly = now;
    };
    new MutationObserver(check).observe(document.body, { subtree: true, childList: true, characterData: true });
  });
  await page.getByTestId('import').click();
  await page.waitForFunction(() => document.body.dataset.parts === 'all', null, { timeout: 90_000 });
  const seen = await page.evaluate(() => window.__seen);
  assert.ok(seen.analysis !== null && seen.forecast !== null && seen.monthly !== null, JSON.stringify(seen));
  assert.ok(seen.analysis < seen.forecast, `the headline before the prediction: ${JSON.stringify(seen)}`);
  assert.ok(seen.forecast <= seen.monthly, `the monthly view after the prediction: ${JSON.stringify(seen)}`);
  assert.equal(await page.locator('.deferred').count(), 0, 'every part shown in the end');
  assert.equal(await page.evaluate(() => document.body.dataset.pipeline), 'done');
  await page.close();
});

// A section asked for by the page's contents while it still waits for the prediction comes at
// once, and the page goes to it.
test('a section still waiting comes when its link is clicked', async () => {
  const page = await openCsvWith(app.browser, app.server.origin, CDNOW);
  await page.getByTestId('import').click();
  await page.getByTestId('kpi-customers').waitFor({ timeout: 90_000 });
  const before = await page.evaluate(() => ({
    monthly: document.getElementById('csv-monthly') !== null,
    predicted: /[0-9]/.test(document.querySelector('[data-testid=kpi-forecast]').innerText),
  }));
  await page.getByTestId('csv-nav').getByRole('link', { name: '月次' }).click();
  await page.waitForFunction(() => document.body.dataset.parts === 'all', null, { timeout: 90_000 });
  await page.waitForTimeout(300);
  const top = await page.evaluate(() => Math.round(document.getElementById('csv-monthly').getBoundingClientRect().top));
  assert.ok(top >= -2 && top < 200, `the monthly view at the top of the screen (${top} px), asked for ${JSON.stringify(before)}`);
  await page.close();
});
