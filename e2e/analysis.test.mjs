// The analysis of an imported export: figures on screen, thresholds that move the counts,
// and the lists and summary a shop owner downloads.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, screenshot, unfold, summaryButton } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const JP = join(here, '..', 'tests', 'data', 'jp-sample');

const app = useApp();
let page;

const number = async (locator) => Number((await locator.innerText()).replace(/[^0-9.-]/g, ''));

async function segmentCounts() {
  const cards = page.getByTestId('segments').locator('article');
  const out = {};
  for (let i = 0; i < (await cards.count()); i++) {
    const card = cards.nth(i);
    out[(await card.locator('h3').innerText()).trim()] = await number(card.getByTestId('segment-customers'));
  }
  return out;
}

before(async () => {
  await app.ready;
  page = await openCsvWith(app.browser, app.server.origin, join(JP, 'jp_orders_cp932.csv'));
  await page.getByTestId('import').click();
  await page.getByTestId('analysis').waitFor();
});

test('the summary and the six segments account for every customer', async () => {
  assert.equal(await number(page.getByTestId('a-customers')), 400);
  assert.equal(await number(page.getByTestId('a-orders')), 1602);
  assert.equal(await number(page.getByTestId('a-revenue')), 10638592);
  const counts = await segmentCounts();
  assert.deepEqual(Object.keys(counts), ['新規顧客', '固定化候補', '固定客', 'スリープ顧客', '半休眠顧客', '休眠顧客']);
  assert.equal(Object.values(counts).reduce((a, b) => a + b, 0), 400);
  // The pipeline is done once the prediction (three models on a holdout) has rendered too.
  await page.waitForFunction(() => document.body.dataset.pipeline === 'done', null, { timeout: 60_000 });
  // Unobserved cohort months are empty, never 0.
  const lastCohort = page.getByTestId('cohort-heatmap').locator('tbody tr').last();
  assert.equal((await lastCohort.locator('td').last().innerText()).trim(), '');
  await page.getByTestId('monthly-chart').locator('rect.bar').first().waitFor();
  assert.ok((await page.getByTestId('monthly-chart').locator('rect.bar').count()) > 10);
});

test('a threshold changes the counts without reading the file again', async () => {
  const before = await segmentCounts();
  await unfold(page);
  await page.getByLabel('現役とみなす日数（最終注文から）').fill('30');
  await page.getByLabel('現役とみなす日数（最終注文から）').press('Enter');
  await page.getByLabel('現役とみなす日数（最終注文から）').blur();
  await page.waitForFunction(
    (old) => {
      const el = document.querySelector('[data-testid=segments] article [data-testid=segment-customers]');
      return el && Number(el.textContent.replace(/[^0-9]/g, '')) !== old;
    },
    before['新規顧客'],
  );
  const after = await segmentCounts();
  assert.ok(after['新規顧客'] < before['新規顧客'], `${after['新規顧客']} < ${before['新規顧客']}`);
  assert.equal(Object.values(after).reduce((a, b) => a + b, 0), 400);
  // A bad threshold is explained, not applied.
  await page.getByLabel('スリープの上限日数').fill('10');
  await page.getByLabel('スリープの上限日数').blur();
  await page.getByTestId('params-error').waitFor();
  await page.getByLabel('スリープの上限日数').fill('180');
  await page.getByLabel('スリープの上限日数').blur();
  await page.getByLabel('現役とみなす日数（最終注文から）').fill('90');
  await page.getByLabel('現役とみなす日数（最終注文から）').blur();
  await page.waitForFunction(() => !document.querySelector('[data-testid=params-error]'));
});

test('the per-customer CSV and the summary JSON download with the figures on screen', async () => {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-customers').click()]);
  const text = await readFile(await csv.path(), 'utf8');
  assert.ok(text.startsWith('\uFEFF'), 'BOM for Excel');
  const lines = text.trim().split('\r\n');
  assert.equal(lines.length, 401, 'a header and 400 customers');
  assert.match(lines[0], /顧客/);

  const [json] = await Promise.all([page.waitForEvent('download'), (await summaryButton(page)).click()]);
  const summary = JSON.parse(await readFile(await json.path(), 'utf8'));
  for (const key of ['as_of', 'customers', 'orders', 'revenue', 'average_order_value', 'orders_per_customer',
    'repeat_customers', 'by_year', 'monthly', 'cohorts', 'segments', 'import']) {
    assert.ok(key in summary, key);
  }
  assert.equal(summary.customers, 400);
  assert.equal(summary.orders, 1602);
  assert.equal(summary.import.rows_read, 2235);
  const segments = Object.values(summary.segments).reduce((a, b) => a + b, 0);
  assert.equal(segments, 400);
  assert.equal(summary.cohorts.reduce((a, c) => a + c.size, 0), 400);

  const [list] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-Dormant').click()]);
  const dormant = (await readFile(await list.path(), 'utf8')).trim().split('\r\n');
  const shown = (await segmentCounts())['休眠顧客'];
  assert.equal(dormant.length - 1, shown);
});

test('screenshots of the analysis at laptop and phone width', async () => {
  await screenshot(page, 'analysis-1280');
  await page.setViewportSize({ width: 360, height: 740 });
  const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
  assert.ok(overflow <= 0, `no sideways scrolling at 360px (overflow ${overflow}px)`);
  await screenshot(page, 'analysis-360');
  assert.deepEqual(app.browser.problems, []);
});
