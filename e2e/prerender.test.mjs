// The 診断 rendered at build time: in the page before any script runs, taken over by the app
// without a change on screen, and never shown for an address that asks for another page.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { createHash } from 'node:crypto';
import { useApp, screenshot, field, LIVE_APP } from './harness.mjs';

const app = useApp();

const text = async (page, id) => (await page.getByTestId(id).innerText()).trim();

/**
 * A phone-sized page opened at `path` with the app's wasm held back until `release` (or `start`,
 * which also waits for the 診断 to run) is called: what it shows meanwhile is the page as it
 * came from the server.
 */
async function openHeld(path) {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 390, height: 844 });
  let release;
  const held = new Promise((resolve) => { release = resolve; });
  await page.route(/\/ltv-app-[^/]*_bg\.wasm$/, async (route) => {
    await held;
    await route.continue();
  });
  await page.goto(app.server.origin + path, { waitUntil: 'commit' });
  return {
    page,
    release,
    async start() {
      release();
      await page.locator(LIVE_APP).getByTestId('ltv').waitFor();
    },
  };
}

test('the served page already holds the 診断 with its 通販LTV figure, and its CSP allows its scripts only', async () => {
  const html = await (await fetch(`${app.server.origin}/`)).text();
  const root = html.match(/<div id="app" data-prerendered="">([\s\S]*?)<\/main>/)?.[1];
  assert.ok(root, 'the 診断 is in #app');
  assert.match(root, /<span>通販LTV（1年）<\/span>/);
  assert.match(root, /<output [^>]*data-testid="ltv"[^>]*>—<\/output>/);
  assert.match(root, /<input [^>]*id="f-aov"/);
  assert.match(root, /data-testid="result-bar"/);
  assert.doesNotMatch(root, /<script/);

  const csp = html.match(/http-equiv="Content-Security-Policy"\s+content="([^"]*)"/)[1];
  const scriptSrc = csp.split(';').map((d) => d.trim()).find((d) => d.startsWith('script-src'));
  assert.doesNotMatch(scriptSrc, /unsafe-inline/);
  const inline = [...html.matchAll(/<script(?![^>]*\bsrc=)[^>]*>([\s\S]*?)<\/script>/g)].map((m) => m[1]);
  assert.equal(inline.length, 2, 'the loader of the app and the check of the address');
  for (const script of inline) {
    const hash = `'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`;
    assert.ok(scriptSrc.includes(hash), `the CSP allows ${script.slice(0, 40)}…`);
  }
});

test('before the wasm arrives the 診断 is on screen; the app then takes over the same elements and answers typing', async () => {
  const { page, start } = await openHeld('/');
  const figure = page.getByTestId('ltv');
  await figure.waitFor();
  assert.equal(await text(page, 'ltv'), '—');
  assert.ok(await field(page, '平均注文単価').isVisible());
  assert.ok(await page.getByTestId('bar-ltv').isVisible(), 'the result bar too');
  assert.equal(await page.locator('#app[data-prerendered]').count(), 1, 'the app has not started');
  await screenshot(page, 'prerendered-390');
  // The text of the page on screen (the printout's header gets its date once the app runs).
  const onScreen = () => page.evaluate(() => {
    const copy = document.getElementById('app').cloneNode(true);
    copy.querySelectorAll('.print-only').forEach((el) => el.remove());
    return copy.textContent;
  });
  await page.evaluate(() => { window.preRendered = document.querySelector('[data-testid=ltv]'); });
  const before = await onScreen();

  await start();
  const same = await page.evaluate(() => window.preRendered === document.querySelector('[data-testid=ltv]')
    && window.preRendered.isConnected);
  assert.ok(same, 'hydrated: the figure on screen is the element that came from the server');
  assert.equal(await onScreen(), before, 'nothing on screen changed when the app took over');

  await field(page, '平均注文単価').fill('5000');
  await field(page, '年間購入回数').fill('3');
  assert.equal(await text(page, 'ltv'), '¥15,000');
  assert.equal(await text(page, 'bar-ltv'), '¥15,000');
  assert.match(page.url(), /\?aov=5%2C000&f=3$/, 'the form in the address, as always');
  assert.equal(await page.locator('[data-testid=crash]').count(), 0);
  await page.close();
  assert.deepEqual(app.browser.problems, []);
});

test('what a visitor types before the app has started is kept and answered once it runs', async () => {
  const { page, start } = await openHeld('/');
  await field(page, '平均注文単価').fill('5,000');
  await field(page, '年間購入回数').fill('3');
  await page.getByLabel('2年').check();
  await start();
  assert.equal(await text(page, 'ltv'), '¥30,000');
  assert.equal(await field(page, '平均注文単価').inputValue(), '5,000');
  assert.equal(await field(page, '年間購入回数').inputValue(), '3');
  assert.ok(await page.getByLabel('2年').isChecked());
  await page.close();
  assert.deepEqual(app.browser.problems, []);
});

test('a shared link and the CSV page never show the pre-rendered 診断: each shows its own page', async () => {
  const shared = await openHeld('/?aov=6000&f=2&h=2');
  await shared.page.locator('#app').waitFor({ state: 'attached' });
  await shared.page.waitForLoadState('domcontentloaded');
  assert.equal(await shared.page.getByTestId('ltv').isVisible(), false, 'the defaults are not shown for a link with its own');
  await shared.start();
  assert.equal(await text(shared.page, 'ltv'), '¥24,000');
  assert.equal(await field(shared.page, '平均注文単価').inputValue(), '6000');
  assert.ok(await shared.page.getByLabel('2年').isChecked());
  await field(shared.page, '年間購入回数').fill('3');
  assert.equal(await text(shared.page, 'ltv'), '¥36,000');
  await shared.page.close();

  const csv = await openHeld('/#csv');
  await csv.page.waitForLoadState('domcontentloaded');
  assert.equal(await csv.page.getByTestId('ltv').isVisible(), false);
  csv.release();
  await csv.page.locator('#csv-file').waitFor({ state: 'attached' });
  assert.equal(await csv.page.locator('#app[data-prerendered]').count(), 0);
  assert.equal(await csv.page.getByTestId('ltv').count(), 0, 'the 診断 is not in the CSV page');
  await csv.page.close();

  // Another part of the 診断 is the same page: hydrated as well.
  const part = await openHeld('/#summary');
  await part.page.getByTestId('ltv').waitFor();
  await part.start();
  await field(part.page, '平均注文単価').fill('5000');
  await field(part.page, '年間購入回数').fill('3');
  assert.equal(await text(part.page, 'ltv'), '¥15,000');
  await part.page.close();
  assert.deepEqual(app.browser.problems, []);
});
