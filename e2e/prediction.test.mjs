// 予測LTV on the CDNOW sample, loaded through the page like a user would: the header-less file
// mapped by position, the model fitted in the browser, checked against the published figures.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, edges, screenshot, unfold, summaryButton, predictionSettings } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CDNOW = join(here, '..', 'tests', 'data', 'cdnow', 'CDNOW_sample.txt');

const app = useApp();
let page;

before(async () => {
  await app.ready;
  page = await openCsvWith(app.browser, app.server.origin, CDNOW);
});

/** The parameter table as { name: estimate }. */
async function parameters() {
  const rows = await page.getByTestId('model-parameters').locator('tbody tr').allInnerTexts();
  return Object.fromEntries(rows.map((r) => {
    const [name, estimate] = r.split('\t').map((s) => s.trim());
    return [name, Number(estimate)];
  }));
}

test('the header-less CDNOW sample is mapped by position and imported', async () => {
  assert.equal(await page.getByLabel('1行目は列名（見出し）').isChecked(), false);
  await page.getByLabel('「列1」の役割').selectOption({ label: '顧客ID' });
  await page.getByLabel('「列3」の役割').selectOption({ label: '注文日' });
  await page.getByLabel('「列5」の役割').selectOption({ label: '注文合計' });
  await page.waitForFunction(() => /1997-01-01/.test(document.querySelector('[data-testid=preview]')?.innerText ?? ''));
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.equal(Number((await page.getByTestId('rows-read').innerText()).replace(/\D/g, '')), 6919);
  assert.equal(Number((await page.getByTestId('customers').innerText()).replace(/\D/g, '')), 2357);
});

test('the outlook in plain words comes first; the statistics are folded away', async () => {
  await page.getByTestId('prediction-results').waitFor({ timeout: 60_000 });
  const details = page.getByTestId('prediction-details');
  assert.equal(await details.evaluate((d) => d.open), false);
  // The settings come after the answer, in a fold.
  const [outlook, statistics, settings] = await edges(page, 'prediction-outlook', 'prediction-details', 'prediction-settings-fold');
  assert.ok(outlook.top < statistics.top, `outlook at ${outlook.top}, statistics at ${statistics.top}`);
  assert.ok(outlook.top < settings.top, `outlook at ${outlook.top}, settings at ${settings.top}`);
  const text = await page.getByTestId('prediction-outlook').innerText();
  assert.match(text, /この先12か月の見通し/);
  assert.doesNotMatch(text, /標準誤差|対数尤度|パラメータ/);
  assert.match(await page.getByTestId('alive-groups').innerText(), /予測・また買いそう：[\d,]+人/);
  assert.equal(await page.getByTestId('prediction-settings-fold').evaluate((d) => d.tagName), 'DETAILS');
  // The same setting written another way does not lock the settings (nothing to refit).
  await predictionSettings(page);
  await page.locator('#pred-discount').fill('1.0');
  await page.locator('#pred-discount').press('Tab');
  await page.waitForFunction(() => !document.querySelector('#pred-discount').disabled);
  assert.equal(await page.getByText('モデルを当てはめています…').count(), 0);
});

test('fitted on the 39-week calibration period, the parameters match Fader, Hardie & Lee', async () => {
  await page.getByTestId('prediction-results').waitFor({ timeout: 60_000 });
  await page.getByTestId('prediction-details').locator('summary').click();
  await predictionSettings(page);
  await page.locator('#pred-validate').check();
  await page.locator('#pred-calibration').waitFor();
  assert.equal(await page.locator('#pred-calibration').inputValue(), '1997-09-30');
  await page.getByTestId('validation').waitFor({ state: 'attached' });
  if (!(await page.getByTestId('prediction-details').evaluate((d) => d.open))) {
    await page.getByTestId('prediction-details').locator('summary').click();
  }
  await page.getByTestId('validation').waitFor({ timeout: 60_000 });
  const p = await parameters();
  const close = (got, want, name) => assert.ok(Math.abs(got - want) / want < 0.005, `${name}: ${got} vs ${want}`);
  close(p['BG/NBD r'], 0.243, 'r');
  close(p['BG/NBD α'], 4.414, 'alpha');
  close(p['BG/NBD a'], 0.793, 'a');
  close(p['BG/NBD b'], 2.426, 'b');
  close(p['Gamma-Gamma p'], 6.25, 'p');
  close(p['Gamma-Gamma q'], 3.74, 'q');
  close(p['Gamma-Gamma γ'], 15.44, 'gamma');
  // Predicted against actual repeat purchases in the 39-week holdout: both on the page.
  const sums = await page.getByTestId('holdout-sums').innerText();
  const [predicted, actual] = sums.match(/[\d,.]+(?= 回)/g).map((s) => Number(s.replace(/,/g, '')));
  assert.equal(actual, 1882);
  assert.ok(Math.abs(predicted - 1653) / 1653 < 0.02, `predicted ${predicted}`);
  const chart = page.getByTestId('validation-chart');
  assert.equal(await chart.locator('path.line').count(), 2);
  assert.match(await chart.locator('path.line').first().getAttribute('d'), /^M[\d.]+ [\d.]+ L/);
  await screenshot(page, 'prediction-1280');
});

test('the predicted columns and the model go into the downloads', async () => {
  const [csv] = await Promise.all([page.waitForEvent('download'), page.getByTestId('download-customers').click()]);
  const lines = (await readFile(await csv.path(), 'utf8')).trim().split('\r\n');
  assert.match(lines[0], /まだ顧客でいる確率/);
  assert.match(lines[0], /予測LTV/);
  const [json] = await Promise.all([page.waitForEvent('download'), (await summaryButton(page)).click()]);
  const summary = JSON.parse(await readFile(await json.path(), 'utf8'));
  assert.ok(Math.abs(summary.model.bgnbd.r - 0.243) < 0.002);
  assert.equal(summary.model.bgnbd.customers, 2357);
  assert.equal(summary.model.calibration_end, '1997-09-30');
  await page.setViewportSize({ width: 360, height: 740 });
  await page.getByTestId('prediction').scrollIntoViewIfNeeded();
  await screenshot(page, 'prediction-360');
  assert.deepEqual(app.browser.problems, []);
});
