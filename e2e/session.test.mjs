// The analysis survives a look at the 診断, and leaving the page with data open asks first.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, unfold } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const JP = join(here, '..', 'tests', 'data', 'jp-sample', 'jp_orders_cp932.csv');

const app = useApp();

test('import, visit 無料診断, come back: the report, analysis and prediction are still there', async () => {
  const page = await openCsvWith(app.browser, app.server.origin, JP);
  await page.getByTestId('import').click();
  await page.getByTestId('prediction-outlook').waitFor({ timeout: 60_000 });
  await unfold(page);
  const customers = await page.getByTestId('customers').innerText();
  const clv = await page.getByTestId('pred-clv').innerText();

  await page.getByTestId('view-diagnosis').click();
  await page.getByLabel('平均注文単価', { exact: true }).waitFor();
  assert.equal(await page.getByTestId('csv-view').isHidden(), true);

  await page.getByTestId('view-csv').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.equal(await page.getByTestId('customers').innerText(), customers);
  assert.equal(await page.getByTestId('pred-clv').innerText(), clv);
  assert.equal(await page.getByTestId('analysis').count(), 1);

  // With orders held only in this tab, closing it asks first.
  let dialog = null;
  page.on('dialog', async (d) => {
    dialog = d.type();
    await d.dismiss();
  });
  await page.close({ runBeforeUnload: true });
  for (let i = 0; i < 50 && dialog === null; i++) await new Promise((r) => setTimeout(r, 100));
  assert.equal(dialog, 'beforeunload');
  assert.deepEqual(app.browser.problems, []);
});
