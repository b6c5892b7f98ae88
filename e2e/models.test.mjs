// 予測LTV on the app's own sample and on CDNOW with each purchase model: the sample gets a
// prediction, the page says which model it uses and why, and each model picked reproduces its
// published CDNOW fit in the summary JSON.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, edges, screenshot, summaryButton, predictionSettings } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const CDNOW = join(here, '..', 'tests', 'data', 'cdnow', 'CDNOW_sample.txt');

const app = useApp();

test('「サンプルデータで試す」 gives a prediction, the plain answer before any statistic', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${app.server.origin}/#csv`);
  await page.getByTestId('sample').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('prediction-outlook').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('prediction-error').count(), 0);
  const outlook = await page.getByTestId('prediction-outlook').innerText();
  assert.match(outlook, /予想売上/);
  assert.match(await page.getByTestId('model-choice').innerText(), /^この予測は.+/);
  const [answer, details] = await edges(page, 'prediction-outlook', 'prediction-details');
  assert.ok(answer.top < details.top, `outlook at ${answer.top}, details at ${details.top}`);
  await page.getByTestId('prediction-outlook').screenshot({ path: join(here, 'screenshots', 'prediction-sample-1366.png') });
  await page.close();
});

const PUBLISHED = {
  bg_nbd: { r: 0.243, alpha: 4.414, a: 0.793, b: 2.426 },
  pareto_nbd: { r: 0.5533, alpha: 10.578, s: 0.6062, beta: 11.668 },
  mbg_nbd: { r: 0.5248, alpha: 6.183, a: 0.8914, b: 1.614 },
};
const LABELS = { bg_nbd: 'BG/NBD', pareto_nbd: 'Pareto/NBD', mbg_nbd: 'MBG/NBD' };

test('CDNOW: each model picked in 「予測モデル」 gives its published fit in the summary JSON', async () => {
  const page = await openCsvWith(app.browser, app.server.origin, CDNOW);
  await page.getByLabel('「列1」の役割').selectOption({ label: '顧客ID' });
  await page.getByLabel('「列3」の役割').selectOption({ label: '注文日' });
  await page.getByLabel('「列5」の役割').selectOption({ label: '注文合計' });
  await page.waitForFunction(() => /1997-01-01/.test(document.querySelector('[data-testid=preview]')?.innerText ?? ''));
  await page.getByTestId('import').click();
  await page.getByTestId('prediction-results').waitFor({ timeout: 60_000 });
  await predictionSettings(page);
  await page.locator('#pred-validate').check();
  await page.getByTestId('validation').waitFor({ state: 'attached', timeout: 60_000 });
  // With a holdout, the page says which model came closest and why.
  assert.match(await page.getByTestId('model-choice').innerText(), /過去の実績に最も近かったのは/);
  for (const [name, want] of Object.entries(PUBLISHED)) {
    await page.getByLabel('予測モデル').selectOption({ label: LABELS[name] });
    await page.waitForFunction(
      (label) => (document.querySelector('[data-testid=model-choice]')?.innerText ?? '').includes(`選んだ${label}`)
        && !document.querySelector('#pred-horizon').disabled,
      LABELS[name],
    );
    const [json] = await Promise.all([page.waitForEvent('download'), (await summaryButton(page)).click()]);
    const model = JSON.parse(await readFile(await json.path(), 'utf8')).model;
    assert.equal(model.name, name);
    assert.equal(model.chosen_by, 'user');
    // Its fit on the 39-week calibration period, the one the papers publish.
    const row = model.comparison.find((r) => r.model === name);
    for (const [k, v] of Object.entries(want)) {
      const got = row.params[k];
      assert.ok(Math.abs(got - v) / v < 0.005, `${name}.${k}: ${got} vs ${v}`);
    }
  }
  await screenshot(page, 'prediction-models-1280');
  assert.deepEqual(app.browser.problems, []);
  await page.close();
});
