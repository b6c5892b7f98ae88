// The analysis of an imported export: figures on screen, thresholds that move the counts,
// and the lists and summary a shop owner downloads.
import { test, before } from 'node:test';
import assert from 'node:assert/strict';
import { readFile, writeFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';
import { useApp, openCsvWith, edges, screenshot, unfold, summaryButton } from './harness.mjs';

const here = dirname(fileURLToPath(import.meta.url));
const JP = join(here, '..', 'tests', 'data', 'jp-sample');

const app = useApp();
let page;

const number = async (locator) => Number((await locator.innerText()).replace(/[^0-9.-]/g, ''));

async function segmentCounts() {
  const cards = page.getByTestId('segments').locator('article');
  // The segments come a moment after the summary (the page is built in short steps).
  await cards.first().waitFor();
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

test('the six segments lead; 別の見方 below them holds the other schemes, each with names of its own', async () => {
  const other = page.getByTestId('other-views');
  await other.getByTestId('alt-cpm').waitFor();
  const follows = await page.evaluate(() => Boolean(document.querySelector('#csv-segments')
    .compareDocumentPosition(document.querySelector('#csv-other-views')) & Node.DOCUMENT_POSITION_FOLLOWING));
  assert.ok(follows, 'the six come before 別の見方');
  assert.match(await other.locator('h2').innerText(), /^別の見方/);
  assert.equal(await page.locator('#csv-segments [data-testid=common-segments]').count(), 0, 'no second scheme among the six');
  for (const id of ['alt-common', 'alt-rfm', 'alt-cpm', 'alt-alive']) {
    assert.match(await other.getByTestId(id).locator('.when').innerText(), /^使いどころ：.{10,}/, `${id} says when to use it`);
  }
  const firstColumn = async (id) => (await page.getByTestId(id).locator('tbody tr td:first-child').allInnerTexts())
    .map((t) => t.replace('（データに該当なし）', '').trim());
  const alive = (await page.getByTestId('alive-groups').locator('li strong').allInnerTexts()).map((t) => t.split('：')[0]);
  const schemes = {
    six: await page.getByTestId('segments').locator('article h3').allInnerTexts(),
    common: await firstColumn('common-segments'),
    rfm: await firstColumn('rfm-groups'),
    cpm: await firstColumn('cpm-groups'),
    alive,
  };
  assert.equal(schemes.six.length, 6);
  assert.equal(schemes.alive.length, 3);
  assert.ok(schemes.common.length >= 5 && schemes.rfm.length > 0 && schemes.cpm.length > 0);
  const seen = new Map();
  for (const [scheme, names] of Object.entries(schemes)) {
    for (const name of new Set(names)) {
      assert.ok(!seen.has(name), `「${name}」 is a name in ${seen.get(name)} and in ${scheme}`);
      seen.set(name, scheme);
    }
  }
  // The problem users saw: 休眠顧客 with two meanings. The common five's is named by its scheme.
  assert.ok(schemes.common.includes('5分類・休眠顧客'));
  assert.match(await other.locator('.intro').first().innerText(), /「休眠顧客」は最終注文から365日超、「5分類・休眠顧客」は91〜365日/);
});

test('shop owners\' words: no 来店, ⌊, JSON or 尤度 outside 詳しく, even with every term explained', async () => {
  const bad = /来店|店舗|⌊|JSON|尤度/;
  const visibleOffenders = () => page.evaluate((source) => {
    const bad = new RegExp(source);
    const walker = document.createTreeWalker(document.querySelector('.csv-results'), NodeFilter.SHOW_TEXT);
    const out = [];
    while (walker.nextNode()) {
      const el = walker.currentNode.parentElement;
      if (el.closest('details') || !el.checkVisibility()) continue;
      if (bad.test(walker.currentNode.textContent)) out.push(walker.currentNode.textContent.slice(0, 80));
    }
    return out;
  }, bad.source);
  assert.deepEqual(await visibleOffenders(), []);
  const buttons = page.locator('.csv-results .term-button');
  let opened = 0;
  for (let i = 0; i < (await buttons.count()); i++) {
    const button = buttons.nth(i);
    if (!(await button.isVisible()) || (await button.evaluate((b) => Boolean(b.closest('details'))))) continue;
    await button.click();
    opened++;
  }
  assert.ok(opened >= 10, `${opened} terms explained on the page`);
  const helps = await page.locator('.csv-results [data-testid=term-help]').allInnerTexts();
  for (const term of ['RFM分析', 'CPM分析', 'F2転換率', 'リピーター率', '通販LTV', 'P(alive)']) {
    assert.ok(helps.some((h) => h.includes(term)), `${term} explained`);
  }
  assert.deepEqual(await visibleOffenders(), []);
  // The formulas are there, behind 詳しく.
  const rfmMore = page.getByTestId('alt-rfm').locator('details.more');
  assert.equal((await rfmMore.locator('summary').innerText()).trim(), '詳しく');
  assert.equal(await rfmMore.getByText(/スコア = 1 \+ ⌊5/).isVisible(), false);
  await rfmMore.locator('summary').click();
  assert.ok(await rfmMore.getByText(/スコア = 1 \+ ⌊5/).isVisible());
  await rfmMore.locator('summary').click();
  // The summary JSON is no main action: it waits under 詳しく（その他のダウンロード）.
  assert.equal(await page.getByTestId('download-summary').isVisible(), false);
  assert.match(await page.getByTestId('more-downloads').locator('summary').innerText(), /^詳しく/);
  for (let i = 0; i < (await buttons.count()); i++) {
    if ((await buttons.nth(i).getAttribute('aria-expanded')) === 'true') await buttons.nth(i).click();
  }
});

test('LTV曲線 is drawn: a line chart above its table', async () => {
  const section = page.locator('#csv-ltv-days');
  assert.match(await section.locator('h2').innerText(), /^LTV曲線/);
  const chart = section.locator('svg[data-testid=ltv-curve]');
  await chart.waitFor();
  assert.match(await chart.locator('path.line').getAttribute('d'), /^M[\d.]+ [\d.]+( L[\d.]+ [\d.]+){3,}$/);
  assert.ok((await chart.locator('circle.marker').count()) >= 4);
  assert.match((await chart.locator('.tick text').allTextContents()).join(' '), /¥[\d,]+/);
  const [svg, table] = await edges(page, 'ltv-curve', 'ltv-days');
  assert.ok(svg.bottom <= table.top, 'the chart comes before the table');
});

test('every figure has its unit', async () => {
  assert.match(await page.getByTestId('a-orders-per-customer').innerText(), /^\d+(\.\d)?回$/);
  assert.match(await page.getByTestId('a-customers').innerText(), /^[\d,]+人$/);
  const card = page.getByTestId('segment-Regular');
  const figures = await card.locator('.segment-figures dd').allInnerTexts();
  assert.match(figures[1], /^[\d.]+回$/, '平均注文回数');
  assert.match(figures[2], /^¥[\d,]+$/, '平均購入金額');
  assert.match(figures[3], /^[\d.]+日$/, '最終注文からの平均日数');
  for (const id of ['common-segments', 'rfm-groups', 'cpm-groups', 'by-year', 'monthly-table', 'ltv-days']) {
    const header = await page.getByTestId(id).locator('thead th').allInnerTexts();
    const column = header.findIndex((h) => /^(顧客数|人数)/.test(h.trim()));
    assert.ok(column >= 0, `${id} has a column of people`);
    const cells = await page.getByTestId(id).locator(`tbody tr td:nth-child(${column + 1})`).allInnerTexts();
    assert.ok(cells.length > 0 && cells.every((c) => /^[\d,]+人$/.test(c.trim())), `${id}: ${cells.slice(0, 3)}`);
  }
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

test('the settings fold the user opened stays open while the analysis runs again', async () => {
  await page.evaluate(() => document.querySelectorAll('details.fold').forEach((d) => { d.open = false; }));
  const fold = page.getByTestId('settings-fold');
  await fold.locator(':scope > summary').click();
  await page.waitForFunction(() => document.querySelector('[data-testid=settings-fold]').open);
  const before = await segmentCounts();
  const active = page.getByLabel('現役とみなす日数（最終注文から）');
  await active.fill('60');
  await active.blur();
  await page.waitForFunction(
    (old) => {
      const el = document.querySelector('[data-testid=segments] article [data-testid=segment-customers]');
      return el && Number(el.textContent.replace(/[^0-9]/g, '')) !== old;
    },
    before['新規顧客'],
  );
  // The new counts are on screen, and the fold is as the user left it.
  await page.waitForTimeout(300);
  assert.equal(await fold.evaluate((d) => d.open), true, 'the settings fold is still open');
  assert.ok(await active.isVisible(), 'the threshold is still on screen');
  await active.fill('90');
  await active.blur();
  await page.waitForFunction((old) => {
    const el = document.querySelector('[data-testid=segments] article [data-testid=segment-customers]');
    return el && Number(el.textContent.replace(/[^0-9]/g, '')) === old;
  }, before['新規顧客']);
  assert.equal(await fold.evaluate((d) => d.open), true, 'still open after the second change');
  // A fold inside it, closed and opened again, leaves it open.
  const inner = fold.locator('details.thresholds').first();
  await inner.locator(':scope > summary').click();
  await page.waitForFunction(() => !document.querySelector('[data-testid=settings-fold] details.thresholds').open);
  await inner.locator(':scope > summary').click();
  await page.waitForTimeout(300);
  assert.equal(await fold.evaluate((d) => d.open), true, 'still open after a fold inside it was toggled');
  assert.equal(await page.getByTestId('import-fold').evaluate((d) => d.open), false, 'the other fold left as it was');
});

/**
 * An export of 20,000 customers over two years, about 118,000 orders, as bench/gen.py makes
 * its orders (BG/NBD orders, Gamma-Gamma amounts) from a fixed seed: large enough that its
 * analysis arrives a moment after its import report.
 */
function shopOrders() {
  let seed = 20240601;
  const random = () => (seed = (seed * 1103515245 + 12345) % 2147483648) / 2147483648 || 1e-9;
  const normal = () => Math.sqrt(-2 * Math.log(random())) * Math.cos(2 * Math.PI * random());
  const gamma = (shape, scale) => {
    if (shape < 1) return gamma(shape + 1, scale) * random() ** (1 / shape);
    const d = shape - 1 / 3;
    const c = 1 / Math.sqrt(9 * d);
    for (;;) {
      const x = normal();
      const v = (1 + c * x) ** 3;
      if (v > 0 && Math.log(random()) < 0.5 * x * x + d - d * v + d * Math.log(v)) return d * v * scale;
    }
  };
  const beta = (a, b) => {
    const x = gamma(a, 1);
    return x / (x + gamma(b, 1));
  };
  const days = 731;
  const start = Date.UTC(2023, 0, 1);
  const rows = ['customer_id,order_date,amount'];
  for (let c = 0; c < 20000; c++) {
    let t = Math.min(Math.floor(((-1 + Math.sqrt(1 + 8 * random())) / 2) * days), days - 1);
    const rate = gamma(0.9, 1 / 30);
    const drop = beta(0.8, 5);
    const nu = gamma(4, 1 / 2500);
    for (;;) {
      const date = new Date(start + Math.floor(t) * 86400000).toISOString().slice(0, 10);
      rows.push(`C${c},${date},${Math.max(100, Math.round(gamma(6, 1 / nu) / 10) * 10)}`);
      if (random() < drop) break;
      t += -Math.log(random()) / rate;
      if (t >= days) break;
    }
  }
  return `${rows.join('\n')}\n`;
}

test('importing again keeps the folds the user opened, though the page is laid out anew', async () => {
  const dir = await mkdtemp(join(tmpdir(), 'ltv-folds-'));
  const file = join(dir, 'orders.csv');
  await writeFile(file, shopOrders());
  const shop = await openCsvWith(app.browser, app.server.origin, file);
  await shop.getByTestId('import').click();
  await shop.waitForFunction(() => document.body.dataset.pipeline === 'done', null, { timeout: 120_000 });
  for (const id of ['import-fold', 'settings-fold', 'prediction-settings-fold']) {
    assert.equal(await shop.getByTestId(id).evaluate((d) => d.open), false, `${id} folded after the import`);
    await shop.getByTestId(id).locator(':scope > summary').click();
  }
  // Whether the page is laid out without its analysis while the file is read again.
  await shop.evaluate(() => {
    document.body.removeAttribute('data-pipeline');
    window.laidOutAnew = false;
    new MutationObserver(() => {
      if (!document.querySelector('[data-testid=headline]')) window.laidOutAnew = true;
    }).observe(document.body, { childList: true, subtree: true });
  });
  await shop.getByTestId('import').click();
  await shop.waitForFunction(() => document.body.dataset.pipeline === 'done', null, { timeout: 120_000 });
  assert.ok(await shop.evaluate(() => window.laidOutAnew), 'the page was laid out without the analysis meanwhile');
  for (const id of ['import-fold', 'settings-fold', 'prediction-settings-fold']) {
    assert.equal(await shop.getByTestId(id).evaluate((d) => d.open), true, `${id} open again`);
  }
  assert.ok(await shop.getByLabel('現役とみなす日数（最終注文から）').isVisible(), 'the settings on screen');
  await shop.close();
  await rm(dir, { recursive: true, force: true });
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
