// Every CSV the page writes neutralises formula cells, whatever the shop's data holds: the
// rejected rows, the per-customer list and the segment lists, downloaded as a user does.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useApp, unfold } from './harness.mjs';

const app = useApp();

// Customer IDs a spreadsheet would run as formulas, and a bad amount written as one.
const FORMULAS = ['=HYPERLINK("http://x")', '@SUM(A1)', '＝1+2', '-2+3', ' +81 90'];
const PASTE = [
  '注文番号,注文日,顧客ID,合計金額',
  ...FORMULAS.flatMap((id, i) => [
    `A${i},2024/01/0${i + 1},"${id.replace(/"/g, '""')}",1000`,
    `B${i},2024/03/0${i + 1},"${id.replace(/"/g, '""')}",2000`,
  ]),
  'C9,2024/04/01,OK1,=1+2',
].join('\n');

/** The first cell of each data row of a downloaded CSV (quotes removed). */
function firstCells(text) {
  return text.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1)
    .map((line) => line.match(/^("(?:[^"]|"")*"|[^,]*)/)[0].replace(/^"|"$/g, '').replace(/""/g, '"'));
}

const dangerous = (cell) => /^[\s\u3000]*[=+\-@＝＋－＠\t\r]/.test(cell);

test('formula cells come out neutralised in every download', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  await page.goto(`${app.server.origin}/#csv`);
  await page.getByLabel('CSVを貼り付け').fill(PASTE);
  await page.getByTestId('read-paste').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  await page.getByTestId('analysis').waitFor({ timeout: 60_000 });

  const save = async (testid) => {
    const [d] = await Promise.all([page.waitForEvent('download'), page.getByTestId(testid).click()]);
    return readFile(await d.path(), 'utf8');
  };
  // The rejected row's value column holds the formula the shop typed.
  const rejected = await save('download-rejected');
  const values = rejected.replace(/^\uFEFF/, '').trim().split('\r\n').slice(1).map((l) => l.split(',')[2]);
  assert.equal(values.length, 1);
  assert.ok(!dangerous(values[0].replace(/^"|"$/g, '')), `rejected value ${values[0]}`);

  const customers = firstCells(await save('download-customers'));
  assert.equal(customers.length, FORMULAS.length);
  for (const cell of customers) assert.ok(!dangerous(cell), `customer key ${JSON.stringify(cell)}`);

  const lists = page.locator('[data-testid^="download-"]:not([data-testid=download-customers]):not([data-testid=download-summary]):not([data-testid=download-rejected]):not([disabled])');
  const n = await lists.count();
  assert.ok(n > 0, 'segment lists offered');
  for (let i = 0; i < n; i++) {
    const [d] = await Promise.all([page.waitForEvent('download'), lists.nth(i).click()]);
    for (const cell of firstCells(await readFile(await d.path(), 'utf8'))) {
      assert.ok(!dangerous(cell), `segment list cell ${JSON.stringify(cell)}`);
    }
  }
  await page.close();
});
