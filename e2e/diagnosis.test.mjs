// The free 診断 driven like a visitor: type by label, read results by test id, share, reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, screenshot, field } from './harness.mjs';

const app = useApp();

const text = async (page, id) => (await page.getByTestId(id).innerText()).trim();

test('the worked examples of the articles, typed as Japanese users type them', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, '平均注文単価').fill('¥5,000');
  await field(page, '年間購入回数').fill('３');
  assert.equal(await text(page, 'ltv'), '¥15,000');

  await field(page, '期間売上').fill('150,000,000円');
  await field(page, 'ユニーク顧客数').fill('10000');
  assert.equal(await text(page, 'ltv-rough'), '¥15,000');

  await field(page, '1回だけ購入した顧客数').fill('6,000');
  await field(page, 'リピート顧客数').fill('4,000');
  await field(page, 'リピート顧客の平均購入回数').fill('6');
  assert.equal(await text(page, 'mix-orders'), '30,000件');
  assert.equal(await text(page, 'mix-per-customer'), '3.0回');
  assert.equal(await text(page, 'mix-ltv'), '¥15,000');

  await field(page, '今月の顧客数').fill('1,000');
  await field(page, 'うちリピーター数').fill('700');
  assert.equal(await text(page, 'repeater-rate'), '70.0%');
  await field(page, '累計ユニーク顧客数').fill('700');
  await field(page, '今月のリピーター数').fill('70');
  assert.equal(await text(page, 'repeat-rate'), '10.0%');

  const concept = page.getByTestId('concept-1');
  await field(concept, '提示価格').fill('4000');
  await field(concept, '購入希望者数').fill('5');
  await field(concept, '提案人数').fill('10');
  assert.equal(await text(page, 'index-1'), '2,000');
  assert.match(await text(page, 'index-verdict-1'), /WEB販売に進む/);
  await page.close();
});

test('horizon of two years, profit verdict with its reason in numbers', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await page.getByLabel('2年').check();
  assert.equal(await text(page, 'ltv'), '¥30,000');
  await page.getByLabel('1年').check();
  await field(page, '限界利益率').fill('30%');
  await field(page, 'CPO').fill('5,000');
  await field(page, '既存顧客維持コスト').fill('0');
  assert.equal(await text(page, 'gross-ltv'), '¥4,500');
  const verdict = await text(page, 'verdict');
  assert.match(verdict, /回収できない/);
  assert.match(verdict, /粗利LTV ¥4,500 − CPO ¥5,000 − 維持コスト ¥0 = -¥500/);
  assert.equal(await text(page, 'break-even'), '4回');
  assert.match(await text(page, 'health'), /赤字/);
  await field(page, 'CPO').fill('1000');
  assert.match(await text(page, 'verdict'), /回収できる/);
  assert.equal(await text(page, 'ltv-cpo'), '4.5倍');
  assert.match(await text(page, 'health'), /良好/);
  await page.close();
});

test('a concept below 2,000 is told what price or how many buyers would pass', async () => {
  const page = await openApp(app.browser, app.server.origin);
  const concept = page.getByTestId('concept-1');
  await field(concept, '提示価格').fill('3,000');
  assert.equal(await text(page, 'index-1'), '1,500');
  const verdict = await text(page, 'index-verdict-1');
  assert.match(verdict, /見直し/);
  assert.match(verdict, /¥4,000/);
  assert.match(verdict, /7人/);
  await page.getByTestId('add-concept').click();
  const second = page.getByTestId('concept-2');
  await field(second, 'コンセプト名').fill('定期便');
  await field(second, '提示価格').fill('6000');
  await field(second, '購入希望者数').fill('4');
  assert.equal(await text(page, 'index-2'), '2,400');
  assert.match(await text(page, 'index-verdict-2'), /WEB販売に進む/);
  await page.getByRole('button', { name: 'コンセプトAを削除' }).click();
  assert.equal(await page.getByTestId('concept-2').count(), 0);
  assert.equal(await text(page, 'index-1'), '2,400');
  await page.close();
});

test('bad input gets a Japanese message at its field, and never NaN or Infinity', async () => {
  const page = await openApp(app.browser, app.server.origin);
  const cases = [
    ['平均注文単価', 'abc', '「abc」を数値として読めません'],
    ['年間購入回数', '-3', '0以上の値を入力してください'],
    ['ユニーク顧客数', '0', '0より大きい値を入力してください'],
    ['限界利益率', '150%', '100%以下の値を入力してください'],
    ['CPO', '', '値を入力してください'],
    ['うちリピーター数', '1200', '「今月の顧客数」以下の値を入力してください'],
  ];
  for (const [label, typed, message] of cases) {
    const input = field(page, label);
    await input.fill(typed);
    const id = await input.getAttribute('id');
    assert.match(await page.locator(`#${id}-msg`).innerText(), new RegExp(message), label);
    assert.equal(await input.getAttribute('aria-invalid'), 'true', label);
  }
  const body = await page.locator('body').innerText();
  assert.doesNotMatch(body, /NaN|Infinity|undefined/);
  assert.equal(await page.getByTestId('crash').count(), 0);
  await page.close();
});

test('a shared link restores the inputs; reset restores the defaults', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, '平均注文単価').fill('6,500');
  await field(page, '年間購入回数').fill('2.5');
  await page.getByLabel('2年').check();
  await field(page.getByTestId('concept-1'), 'コンセプト名').fill('お試しセット');
  const link = await page.locator('#share-url').inputValue();
  assert.match(link, /aov=6%2C500/);
  assert.equal(link, page.url());

  const other = await app.browser.context.newPage();
  await other.goto(link);
  await other.getByTestId('ltv').waitFor();
  assert.equal(await field(other, '平均注文単価').inputValue(), '6,500');
  assert.equal(await field(other, '年間購入回数').inputValue(), '2.5');
  assert.equal(await text(other, 'ltv'), '¥32,500');
  assert.equal(await field(other.getByTestId('concept-1'), 'コンセプト名').inputValue(), 'お試しセット');

  await other.reload();
  await other.getByTestId('ltv').waitFor();
  assert.equal(await text(other, 'ltv'), '¥32,500', 'survives a reload');

  await other.getByTestId('reset').click();
  assert.equal(await text(other, 'ltv'), '¥15,000');
  assert.equal(await field(other, '平均注文単価').inputValue(), '5000');
  assert.equal(new URL(other.url()).search, '');
  await other.close();
  await page.close();
});

test('the lever simulator and the diagnosis rank what to do', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, 'アップセル・クロスセル').fill('10');
  await field(page, 'リマインド・ロイヤルティ施策').fill('0');
  // Defaults: AOV 5,000 × 3 × 1 year = 15,000; +10 % basket → 16,500.
  assert.equal(await text(page, 'sim-base-ltv'), '¥15,000');
  assert.equal(await text(page, 'sim-new-ltv'), '¥16,500');
  await field(page, '値上げ').fill('10');
  await field(page, '値上げで減る購入回数').fill('20');
  const ranking = await page.getByTestId('lever-ranking').locator('li').allInnerTexts();
  assert.equal(ranking.length, 5);
  assert.match(ranking[0], /アップセル・クロスセル/);
  const actions = await page.getByTestId('summary-actions').locator('li').allInnerTexts();
  assert.ok(actions.length >= 3);
  assert.match(actions[0], /価格を上げる/);
  await page.close();
});

test('nothing is sent anywhere: every request stays on the page origin', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, '平均注文単価').fill('7000');
  await page.getByTestId('copy-link').click();
  const csp = await page.locator('meta[http-equiv="Content-Security-Policy"]').getAttribute('content');
  assert.match(csp, /connect-src 'self'/);
  assert.match(csp, /default-src 'self'/);
  const foreign = app.browser.requests.filter((u) => !u.startsWith(app.server.origin) && !/^(data|blob):/.test(u));
  assert.deepEqual(foreign, []);
  assert.ok(app.browser.requests.some((u) => u.endsWith('.wasm')), 'the app itself was loaded');
  await page.close();
});

test('screenshots at phone and laptop width, with no console errors', async () => {
  for (const width of [360, 1280]) {
    const page = await openApp(app.browser, app.server.origin, '/', width);
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width}px (overflow ${overflow}px)`);
    await screenshot(page, `diagnosis-${width}`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, `diagnosis-print-${width}`);
    await page.close();
  }
  assert.deepEqual(app.browser.problems, []);
});
