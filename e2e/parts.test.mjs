// A file large enough to be read in parts side by side (4 MB or more): the worker starts a
// helper worker per core beyond its own, each reads its part of the file, and the parts are
// joined. The report must be the one a single reading gives. The file is CDNOW_master.txt,
// each line padded with spaces to 72 bytes (the whitespace-separated layout reads them alike),
// which makes it 5 MB; the same data unpadded (1.9 MB) is read whole.
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

/** Imports `file` and reads the report's figures. */
async function report(file) {
  const page = await openCsvWith(app.browser, app.server.origin, file);
  await page.getByTestId('import').click();
  await unfold(page);
  await page.getByTestId('import-report').waitFor({ timeout: 90_000 });
  const figures = {};
  for (const id of ['rows-read', 'rows-used', 'rows-rejected', 'customers', 'orders', 'revenue']) {
    figures[id] = await number(page, id);
  }
  const cores = await page.evaluate(() => navigator.hardwareConcurrency);
  const workers = page.workers().length;
  await page.close();
  return { figures, cores, workers };
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

  const inParts = await report(large);
  const whole = await report(CDNOW);
  assert.equal(inParts.figures['rows-read'], rows.length);
  assert.equal(inParts.figures['rows-rejected'], 0);
  assert.equal(inParts.figures.customers, customers);
  assert.deepEqual(inParts.figures, whole.figures);
  // With two cores or more, the worker has a helper beside it to read the second part.
  if (inParts.cores >= 2) assert.ok(inParts.workers >= 2, `${inParts.workers} workers`);
});
