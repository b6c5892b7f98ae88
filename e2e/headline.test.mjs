// The seminar take-home on a laptop: the jp-sample (cp932) imported, the shop's answer on the
// first screen, the figures carried into the 診断, a printed report, and 施策の効果検証 checked
// against the independent script's figures (tests/data/jp-sample/comparison_expected.json).
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { useApp, screenshot, field } from './harness.mjs';

const app = useApp();
const JP = 'tests/data/jp-sample/jp_orders_cp932.csv';
let expected;
let page;

before(async () => {
  await app.ready;
  expected = JSON.parse(await readFile('tests/data/jp-sample/comparison_expected.json', 'utf8'));
  page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 1366, height: 768 });
  await page.goto(`${app.server.origin}/#csv`);
  await page.locator('#csv-file').setInputFiles(JP);
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('headline').waitFor({ timeout: 60_000 });
  await page.getByTestId('kpi-forecast').filter({ hasNotText: '計算中' }).waitFor({ timeout: 90_000 });
});

const inView = async (locator) => {
  const box = await locator.boundingBox();
  return box && box.y >= 0 && box.y + box.height <= 768;
};

test('after the import, the headline cards and the three findings are on the first screen', async () => {
  for (const id of ['kpi-customers', 'kpi-ltv', 'kpi-f2', 'kpi-repeater', 'kpi-forecast']) {
    assert.ok(await inView(page.getByTestId(id)), `${id} on the first screen`);
  }
  assert.equal(await page.getByTestId('kpi-customers').innerText(), '400人');
  // The headline's 予測売上 is the prediction's plain 12-month sales, said under its discounted figure.
  const forecast = await page.getByTestId('kpi-forecast').innerText();
  assert.ok((await page.getByTestId('prediction-outlook').innerText()).includes(`今の価値に直す前）は${forecast}`), forecast);
  const findings = page.getByTestId('findings').locator('li');
  assert.equal(await findings.count(), 3);
  assert.ok(await inView(page.getByTestId('findings')), 'the findings on the first screen');
  for (const text of await findings.allInnerTexts()) {
    assert.match(text, /\+¥[\d,]+/, `each finding says what it is worth: ${text}`);
  }
  assert.match((await findings.allInnerTexts()).join('\n'), /F2転換率）は\d+\.\d%/);
  assert.equal(await page.getByTestId('import-fold').getAttribute('open'), null, 'import details folded');
  assert.equal(await page.getByTestId('prediction-settings-fold').getAttribute('open'), null, 'prediction settings folded');
  await screenshot(page, 'csv-headline-1366');
});

test('the section navigation reaches the segments in one click', async () => {
  await page.getByTestId('csv-nav').getByRole('link', { name: 'セグメント' }).click();
  await page.waitForTimeout(300);
  const top = (await page.locator('#csv-segments').boundingBox()).y;
  assert.ok(top >= 0 && top < 300, `segments at the top of the screen (y ${top})`);
  // Its heading is in sight, below the sticky navigation, not under it.
  const nav = await page.getByTestId('csv-nav').boundingBox();
  const heading = await page.locator('#csv-segments h2').boundingBox();
  assert.ok(heading.y >= nav.y + nav.height, `heading at y ${heading.y}, navigation ends at ${nav.y + nav.height}`);
});

test('施策の効果検証: two calendar years side by side, as the independent script computes them', async () => {
  const dates = ['2024-01-01', '2024-12-31', '2025-01-01', '2025-12-31'];
  for (const [i, d] of dates.entries()) await page.locator(`#compare-date-${i}`).fill(d);
  await page.getByTestId('compare-periods').click();
  const row = (metric) => page.getByTestId('period-table').locator(`tr[data-metric=${metric}] td`).allInnerTexts();
  const [a, b] = [expected.periods['2024'], expected.periods['2025']];
  await page.getByTestId('period-table').waitFor();
  assert.deepEqual((await row('Customers')).slice(0, 2), [`${a.customers}人`, `${b.customers}人`]);
  assert.deepEqual((await row('NewCustomers')).slice(0, 2), [`${a.new_customers}人`, `${b.new_customers}人`]);
  const f2 = await row('F2Rate');
  assert.equal(f2[1], `${(100 * b.f2_converted / b.f2_eligible).toFixed(1)}%`);
  assert.match(f2[2], /ポイント/);
  const aov = await row('AverageOrderValue');
  assert.equal(aov[0], `¥${Math.round(a.average_order_value).toLocaleString('en-US')}`);
});

test('a pasted list of 50 customers gets its group figures against everyone else', async () => {
  const list = await readFile('tests/data/jp-sample/dm_list_50.txt', 'utf8');
  await page.getByTestId('group-list').fill(list);
  await page.locator('#group-since').fill(expected.group_since);
  await page.getByTestId('compare-group').click();
  await page.getByTestId('group-table').waitFor();
  assert.match(await page.getByTestId('group-found').innerText(), /50件のうち50人/);
  const cells = await page.getByTestId('group-table').locator('tbody tr').allInnerTexts();
  assert.match(cells[0], new RegExp(`${expected.group.customers}人\\s+${expected.others.customers}人`));
  assert.match(cells[1], new RegExp(`${expected.group.bought_again}人\\s+${expected.others.bought_again}人`));
});

test('the printed report: no form control, no e-mail address, whole tables with headings, 2 to 6 A4 pages', async (t) => {
  await page.emulateMedia({ media: 'print' });
  t.after(async () => {
    await page.emulateMedia({ media: 'screen' });
    await page.setViewportSize({ width: 1366, height: 768 });
  });
  const visible = await page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
    .filter((el) => el.getClientRects().length > 0).map((el) => el.outerHTML.slice(0, 60)));
  assert.deepEqual(visible, []);
  assert.doesNotMatch(await page.locator('body').innerText(), /[\w.+-]+@[\w-]+\.[\w.]+/, 'no e-mail address on paper');
  assert.match(await page.locator('.print-settings').innerText(), /基準日 2025-12-31/);
  // On an A4 page's width (182 mm between the margins, 688 CSS px): every printed table has
  // its headings and each of the six segments its name. The cohort heatmap has a landscape
  // page of its own (273 mm, 1,032 px) and fits it whole.
  await page.setViewportSize({ width: 688, height: 1000 });
  const paper = await page.evaluate(() => {
    const shown = (el) => el.getClientRects().length > 0;
    const tables = [...document.querySelectorAll('table')].filter(shown);
    const heatmap = document.querySelector('[data-testid=cohort-heatmap]');
    return {
      tables: tables.length,
      headless: tables.filter((t) => [...t.querySelectorAll('thead th')].some((th) => th.innerText.trim() === '')).length,
      emptyHeadings: [...document.querySelectorAll('.csv-results h3')].filter(shown)
        .filter((h) => {
          // What follows the heading up to the next heading: is any of it on paper?
          let printed = false;
          for (let el = h.nextElementSibling; el && !/^H[1-6]$/.test(el.tagName); el = el.nextElementSibling) {
            printed ||= shown(el);
          }
          return !printed;
        }).map((h) => h.innerText),
      segments: [...document.querySelectorAll('[data-testid^=segment-] h3')].filter(shown).map((h) => h.innerText.trim()),
      heatmap: heatmap.getBoundingClientRect().width,
      page: getComputedStyle(document.querySelector('#csv-cohorts')).page,
      months: heatmap.querySelectorAll('thead th').length,
    };
  });
  assert.ok(paper.tables >= 2, `${paper.tables} tables printed`);
  assert.equal(paper.headless, 0, 'every printed table has its headings');
  assert.deepEqual(paper.emptyHeadings, [], 'no heading over what is not printed');
  assert.equal(paper.segments.filter((n) => n !== '').length, 6, `segment names: ${paper.segments}`);
  assert.equal(paper.page, 'wide', 'the cohorts on a landscape page');
  assert.ok(paper.heatmap <= 1032, `heatmap ${paper.heatmap} px on a 1,032 px landscape page`);
  assert.ok(paper.months >= 24, `${paper.months} heatmap columns`);
  await page.setViewportSize({ width: 1366, height: 768 });
  const pdf = await page.pdf({ format: 'A4' });
  const pages = Number(pdf.toString('latin1').match(/\/Count (\d+)/)[1]);
  assert.ok(pages >= 2 && pages <= 6, `${pages} A4 pages`);
  await page.emulateMedia({ media: 'screen' });
});

test('「この数値で診断する」 puts the measured figures into the 診断, marked as from the CSV', async () => {
  const aov = (await page.getByTestId('a-aov').innerText()).replace('¥', '');
  await page.getByTestId('to-diagnosis').click();
  await page.getByTestId('ltv').waitFor();
  assert.equal(new URL(page.url()).hash, '#shindan');
  const input = field(page, '平均注文単価');
  assert.equal(await input.inputValue(), aov);
  const marks = await page.getByTestId('field-source').allInnerTexts();
  assert.ok(marks.length >= 6 && marks.every((m) => m === 'CSVから'), `${marks.length} fields from the CSV`);
  await field(page, '粗利率').fill('40');
  await field(page, 'CPO').fill('5000');
  assert.match(await page.getByTestId('bar-verdict').innerText(), /診断:/);
  await screenshot(page, 'diagnosis-from-csv-1366');
  assert.deepEqual(app.browser.problems, []);
});

test('印刷 pressed as soon as the headline shows prints the whole report, the parts still coming included', async () => {
  const own = await app.browser.context.newPage();
  await own.setViewportSize({ width: 1366, height: 768 });
  await own.goto(`${app.server.origin}/#csv`);
  // The print dialog is the browser's: here it only notes what the page held when asked.
  await own.evaluate(() => {
    window.print = () => {
      window.printedWith = {
        waiting: document.querySelectorAll('.deferred').length,
        tables: document.querySelectorAll('.csv-results table').length,
      };
    };
  });
  await own.locator('#csv-file').setInputFiles(JP);
  await own.getByTestId('preview').waitFor();
  await own.getByTestId('import').click();
  await own.getByTestId('print-report').click({ timeout: 60_000 });
  const printed = await (await own.waitForFunction(() => window.printedWith, null, { timeout: 30_000 })).jsonValue();
  assert.equal(printed.waiting, 0, `no part still waiting when printed: ${JSON.stringify(printed)}`);
  const all = await own.evaluate(() => document.querySelectorAll('.csv-results table').length);
  assert.ok(printed.tables > 0 && printed.tables >= all - 2, `the tables on paper: ${JSON.stringify(printed)}, on the page now ${all}`);
  await own.close();
});
