// CSV分析 driven like a seminar attendee: upload a cp932 export, check the settings and the
// preview, change a mapping, import, read the report, download the rejected rows, cancel.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, screenshot, unfold } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const JP = join(here, '..', 'tests', 'data', 'jp-sample');

const app = useApp();

async function openCsv(width = 1280) {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${app.server.origin}/#csv`);
  await page.getByTestId('sample').waitFor();
  return page;
}

const number = async (page, id) => Number((await page.getByTestId(id).innerText()).replace(/[^0-9.-]/g, ''));

/** The ground truth of the jp-sample: customers, orders and revenue. */
async function groundTruth() {
  const text = await readFile(join(JP, 'jp_orders_ground_truth_customers.csv'), 'utf8');
  const rows = text.trim().split(/\r?\n/).slice(1).map((l) => l.split(','));
  return {
    customers: rows.length,
    orders: rows.reduce((s, r) => s + Number(r[6]), 0),
    revenue: rows.reduce((s, r) => s + Number(r[7]), 0),
  };
}

test('upload the cp932 export: Shift_JIS detected, 400 customers merged, every row accounted for', async () => {
  const page = await openCsv();
  await page.locator('#csv-file').setInputFiles(join(JP, 'jp_orders_cp932.csv'));
  await page.getByTestId('preview').waitFor();
  const encoding = page.getByTestId('encoding');
  assert.match(await encoding.locator('option:checked').innerText(), /Shift_JIS/);
  // The preview shows values as they will be read: the cp932 yen sign as an amount.
  const preview = await page.getByTestId('preview').innerText();
  assert.match(preview, /注文番号/);
  assert.doesNotMatch(preview, /\uFFFD/);

  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  const truth = await groundTruth();
  assert.equal(await number(page, 'customers'), truth.customers);
  assert.equal(await number(page, 'orders'), truth.orders);
  assert.equal(await number(page, 'revenue'), truth.revenue);
  const read = await number(page, 'rows-read');
  assert.equal(read, 2235);
  assert.equal(read, (await number(page, 'rows-used')) + (await number(page, 'rows-rejected')));
  assert.match(await page.getByTestId('reconciled').innerText(), /読んだ行はすべて/);
  assert.match(await page.getByTestId('report-lines').innerText(), /1回だけ数えました/);
  assert.ok((await page.getByTestId('merge-examples').locator('li').count()) > 0, 'merge examples shown');
  await screenshot(page, 'import-report-1280');
  await page.close();
});

test('changing a column mapping changes the preview at once', async () => {
  const page = await openCsv(360);
  await page.locator('#csv-file').setInputFiles(join(JP, 'jp_orders_utf8bom.csv'));
  await page.getByTestId('preview').waitFor();
  const amountRole = page.getByLabel('「合計金額」の役割');
  assert.equal(await amountRole.locator('option:checked').innerText(), '注文合計');
  const lastCell = page.getByTestId('preview').locator('tbody tr').first().locator('td').last();
  assert.match(await lastCell.locator('.as-read').innerText(), /^\d+$/);
  await amountRole.selectOption({ label: '使わない' });
  await page.waitForFunction(() => {
    const cell = document.querySelector('[data-testid=preview] tbody tr td:last-child .as-read');
    return cell && cell.textContent.includes('使わない');
  });
  // Without the order total, the line amounts (小計) are summed, and the report says so.
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.match(await page.getByTestId('report-lines').innerText(), /明細の金額を合計/);
  // Without any amount, the settings say what is missing before anything is read.
  const lineRole = page.getByLabel('「小計」の役割');
  await lineRole.selectOption({ label: '使わない' });
  await page.getByTestId('missing-roles').waitFor();
  assert.match(await page.getByTestId('missing-roles').innerText(), /金額/);
  assert.equal(await page.getByTestId('import').isDisabled(), true);
  await lineRole.selectOption({ label: '明細金額' });
  await amountRole.selectOption({ label: '注文合計' });
  await page.waitForFunction(() => /^\d+$/.test(document.querySelector('[data-testid=preview] tbody tr td:last-child .as-read')?.textContent ?? ''));
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.equal(await number(page, 'customers'), 400);
  await screenshot(page, 'import-report-360');
  await page.close();
});

test('a pasted export with bad rows: each reported with its line and column, and downloadable', async () => {
  const page = await openCsv();
  const pasted = [
    '注文日,メールアドレス,金額',
    '2024/01/05,a@example.jp,"¥1,200"',
    '2024/13/40,b@example.jp,800',
    '2024/02/01,A@Example.jp ,12,5€',
    '2024/02/03,c@example.jp,▲500',
  ].join('\n');
  await page.locator('#csv-paste').fill(pasted);
  await page.getByTestId('read-paste').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.equal(await number(page, 'rows-read'), 4);
  const rejected = await number(page, 'rows-rejected');
  assert.equal(await number(page, 'rows-used') + rejected, 4);
  assert.ok(rejected >= 1);
  const table = await page.getByTestId('rejected').innerText();
  assert.match(table, /3\s+注文日\s+2024\/13\/40/);
  const [download] = await Promise.all([
    page.waitForEvent('download'),
    page.getByTestId('download-rejected').click(),
  ]);
  const saved = await readFile(await download.path(), 'utf8');
  assert.ok(saved.startsWith('\uFEFF'), 'UTF-8 with BOM for Excel');
  assert.match(saved, /3,注文日,2024\/13\/40,/);
  assert.equal(download.suggestedFilename(), '除外した行.csv');
  await page.close();
});

test('an empty paste and a binary file get clear messages', async () => {
  const page = await openCsv();
  await page.getByTestId('read-paste').click();
  assert.match(await page.getByRole('alert').first().innerText(), /空です/);
  await page.locator('#csv-file').setInputFiles({
    name: 'picture.png', mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0xff, 0xfe]),
  });
  await page.getByTestId('sniff-error').waitFor();
  assert.match(await page.getByTestId('sniff-error').innerText(), /.+/);
  await page.close();
});

test('on a phone, a file that cannot be read or imported is said on the screen the user is on', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 360, height: 740 });
  await page.goto(`${app.server.origin}/#csv`);
  await page.getByTestId('sample').waitFor();
  await page.locator('#csv-file').setInputFiles({
    name: 'picture.png', mimeType: 'image/png',
    buffer: Buffer.from([0x89, 0x50, 0x4e, 0x47, 0, 0, 0, 0x0d, 0x49, 0x48, 0x44, 0x52, 0, 0, 1, 0, 0, 0, 0xff, 0xfe]),
  });
  await page.getByTestId('sniff-error').waitFor();
  // Whole within the viewport once the page has settled (it scrolls at the next frame).
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid=sniff-error]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight + 1; // a subpixel of layout
  }, null, { timeout: 5_000, polling: 'raf' });
  await screenshot(page, 'csv-unreadable-360');

  // A file that reads but has no usable row: the import's message is below the 取り込む
  // button, at the foot of the screen; it is brought whole into view.
  await page.locator('#csv-file').setInputFiles({
    name: 'bad-dates.csv', mimeType: 'text/csv',
    buffer: Buffer.from('customer_id,order_date,amount\nA,not a date,100\nB,still not,200\n'),
  });
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('import-error').waitFor();
  assert.match(await page.getByTestId('import-error').innerText(), /2行目「order_date」/);
  await page.waitForFunction(() => {
    const box = document.querySelector('[data-testid=import-error]').getBoundingClientRect();
    return box.top >= 0 && box.bottom <= innerHeight + 1;
  }, null, { timeout: 5_000, polling: 'raf' });
  await screenshot(page, 'csv-import-failed-360');
  await page.close();
});

test('the sample export imports; a large import shows progress and can be cancelled', async () => {
  const page = await openCsv();
  await page.getByTestId('sample').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  const sampleCustomers = await number(page, 'customers');
  assert.ok(sampleCustomers >= 200);

  // About 60 MB: long enough to see the bar and press 中止.
  const dir = await mkdtemp(join(tmpdir(), 'ltv-big-'));
  const file = join(dir, 'big.csv');
  const lines = ['customer_id,order_date,amount'];
  for (let i = 0; i < 2_500_000; i++) lines.push(`C${i % 200000},2024-${String(1 + (i % 12)).padStart(2, '0')}-15,${1000 + (i % 5000)}`);
  await writeFile(file, lines.join('\n'));
  await page.locator('#csv-file').setInputFiles(file);
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('progress').waitFor();
  const started = Date.now();
  await page.getByTestId('cancel').click();
  await page.getByTestId('cancelled').waitFor();
  assert.ok(Date.now() - started < 2000, 'cancel answers at once');
  // The page still works: import the sample again. The sample is fetched before it is
  // chosen: its preview, not the cancelled file's still on screen, is waited for.
  await page.getByTestId('sample').click();
  await page.getByTestId('source').filter({ hasText: 'サンプル注文データ.csv' }).waitFor();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor();
  assert.equal(await number(page, 'customers'), sampleCustomers, 'the sample, not the cancelled file');
  assert.deepEqual(app.browser.problems, []);
  await page.close();
});
