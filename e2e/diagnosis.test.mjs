// The free 診断 driven like a visitor: type by label, read results by test id, share, reset.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, openApp, screenshot, field } from './harness.mjs';

const app = useApp();

const text = async (page, id) => (await page.getByTestId(id).innerText()).trim();

/** The worked examples of the articles, as a link: every field the visitor can fill. */
const EXAMPLE = '/?aov=5000&f=3&m=40&cpo=5000&rc=1000&rev=150000000&cust=10000&once=6000&rep=4000'
  + '&repn=6&ret=50&mc=1000&mr=700&cc=700&cr=70&c1p=4000&c1b=5&c1n=10';
/** The same shop winning customers at a loss: negative figures on screen. */
const LOSING = EXAMPLE.replace('cpo=5000', 'cpo=20000');

const PHONES = [[390, 844], [360, 740]];

/** Every result figure on the page, by test id. */
async function figures(page) {
  return page.evaluate(() => Object.fromEntries(
    [...document.querySelectorAll('main [data-testid]')]
      .filter((el) => el.matches('output, [data-testid=verdict], [data-testid=health], [data-testid=lever-ranking], [data-testid=summary-actions]'))
      .map((el) => [el.dataset.testid, el.innerText.trim()]),
  ));
}

/** ¥ amounts and percentages whose characters sit on more than one line. */
async function brokenFigures(page) {
  return page.evaluate(() => {
    const pattern = /[-+−]?約?¥[\d,]+|[\d.,]+%/g;
    const broken = [];
    const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
    while (walker.nextNode()) {
      const node = walker.currentNode;
      const parent = node.parentElement;
      if (!parent || !parent.getClientRects().length) continue;
      for (const m of node.data.matchAll(pattern)) {
        const range = document.createRange();
        range.setStart(node, m.index);
        range.setEnd(node, m.index + m[0].length);
        const lines = new Set([...range.getClientRects()].filter((r) => r.width > 0).map((r) => Math.round(r.bottom)));
        if (lines.size > 1) broken.push(`${m[0]} in 「${parent.textContent.trim().slice(0, 40)}」`);
      }
    }
    return broken;
  });
}

/** Interactive elements smaller than 44 × 44 px (a radio or checkbox counts by its label). */
async function smallTargets(page) {
  return page.evaluate(() => {
    const small = [];
    for (const el of document.querySelectorAll('a[href], button, input, select, textarea, summary')) {
      const target = el.matches('input[type=radio], input[type=checkbox]') ? (el.closest('label') ?? el) : el;
      const r = target.getBoundingClientRect();
      if (r.width === 0 && r.height === 0) continue;
      if (r.width < 44 || r.height < 44) small.push(`${el.outerHTML.slice(0, 70)} ${Math.round(r.width)}×${Math.round(r.height)}`);
    }
    return small;
  });
}

test('the worked examples of the articles, typed as Japanese users type them', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, '平均注文単価').fill('¥5,000');
  await field(page, '年間購入回数').fill('３');
  assert.equal(await text(page, 'ltv'), '¥15,000');

  await field(page, '期間売上').fill('1億5,000万円');
  await field(page, 'ユニーク顧客数').fill('1万');
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
  assert.match(await concept.innerText(), /提案人数を入れると/, 'the block says what it still needs');
  await field(concept, '提案人数').fill('10');
  assert.equal(await text(page, 'index-1'), '2,000');
  assert.match(await text(page, 'index-verdict-1'), /WEB販売に進む/);
  await page.close();
});

test('an empty form judges nothing and each block says what it still needs', async () => {
  const page = await openApp(app.browser, app.server.origin, '/', 390, 844);
  const body = await page.locator('main').innerText();
  assert.doesNotMatch(body, /診断:/, 'no verdict before the visitor types');
  assert.doesNotMatch(body, /回収できる(?!か)|回収できない|ちょうど回収/);
  assert.equal(await text(page, 'ltv'), '—');
  assert.equal(await field(page, '平均注文単価').inputValue(), '', 'fields start empty');
  assert.equal(await field(page, '平均注文単価').getAttribute('placeholder'), '例: 5,000');
  assert.match(await text(page, 'bar-needs'), /平均注文単価と年間購入回数を入れると、通販LTVが出ます/);
  assert.match(await page.locator('#profit').innerText(), /平均注文単価、年間購入回数、粗利率とCPOを入れると、回収できるかが分かります/);

  // Three numbers of the visitor's own are not enough for a verdict: CPO is still needed.
  await field(page, '平均注文単価').fill('5000');
  await field(page, '年間購入回数').fill('3');
  await field(page, '粗利率').fill('40');
  assert.match(await text(page, 'bar-needs'), /CPOを入れると、診断が出ます/);
  assert.doesNotMatch(await page.locator('main').innerText(), /診断:/);
  assert.match(await page.locator('#profit').innerText(), /CPOを入れると、回収できるかが分かります/);
  // Retention cost may stay empty; the verdict says it counted ¥0.
  await field(page, 'CPO').fill('4000');
  assert.match(await text(page, 'bar-verdict'), /診断: 要改善/);
  assert.match(await text(page, 'verdict'), /維持コストは未入力のため¥0で計算/);
  await page.close();
});

test('one verdict: 回収 only with a profit, ちょうど回収 at ¥0, 赤字 below; horizon of two years', async () => {
  const page = await openApp(app.browser, app.server.origin);
  await field(page, '平均注文単価').fill('5000');
  await field(page, '年間購入回数').fill('3');
  await page.getByLabel('2年').check();
  assert.equal(await text(page, 'ltv'), '¥30,000');
  await page.getByLabel('1年').check();
  await field(page, '粗利率').fill('30%');
  await field(page, 'CPO').fill('5,000');
  await field(page, '既存顧客維持コスト').fill('0');
  assert.equal(await text(page, 'gross-ltv'), '¥4,500');
  const verdict = await text(page, 'verdict');
  assert.match(verdict, /回収できない/);
  assert.match(verdict, /粗利LTV ¥4,500 − CPO ¥5,000 − 維持コスト ¥0 = 1人あたり利益 -¥500/);
  assert.equal(await text(page, 'break-even'), '4回');
  assert.match(await text(page, 'health'), /赤字/);
  assert.match(await text(page, 'bar-verdict'), /赤字/);

  // Gross ¥6,000 = CPO ¥5,000 + retention ¥1,000: exactly paid back, not green.
  await field(page, '粗利率').fill('40');
  await field(page, '既存顧客維持コスト').fill('1000');
  assert.equal(await text(page, 'profit'), '¥0');
  assert.match(await text(page, 'verdict'), /ちょうど回収/);
  assert.doesNotMatch(await text(page, 'verdict'), /回収できる/);
  assert.match(await text(page, 'health'), /要改善/);

  await field(page, 'CPO').fill('1000');
  await field(page, '既存顧客維持コスト').fill('0');
  assert.match(await text(page, 'verdict'), /回収できる/);
  assert.equal(await text(page, 'ltv-cpo'), '6.0倍');
  assert.match(await text(page, 'health'), /良好/);
  await page.close();
});

test('a concept below 2,000 is told what price or how many buyers would pass', async () => {
  const page = await openApp(app.browser, app.server.origin);
  const concept = page.getByTestId('concept-1');
  await field(concept, '提示価格').fill('3,000');
  await field(concept, '購入希望者数').fill('5');
  await field(concept, '提案人数').fill('10');
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
  await field(second, '提案人数').fill('10');
  assert.equal(await text(page, 'index-2'), '2,400');
  assert.match(await text(page, 'index-verdict-2'), /WEB販売に進む/);
  await page.getByRole('button', { name: 'コンセプトAを削除' }).click();
  assert.equal(await page.getByTestId('concept-2').count(), 0);
  assert.equal(await text(page, 'index-1'), '2,400');
  await page.close();
});

test('bad input gets a Japanese message at its field, and never NaN or Infinity', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE);
  const cases = [
    ['平均注文単価', 'abc', '「abc」を数値として読めません'],
    ['年間購入回数', '-3', '0以上の値を入力してください'],
    ['ユニーク顧客数', '0', '0より大きい値を入力してください'],
    ['粗利率', '150%', '100%以下の値を入力してください'],
    ['CPO', '5万1億', '「5万1億」を数値として読めません'],
    ['うちリピーター数', '1200', '「今月の顧客数」以下の値を入力してください'],
    ['購入回数アップ', 'たくさん', '「たくさん」を数値として読めません'],
    ['CPOの削減', '120', '100%以下の値を入力してください'],
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

test('numbers are tidied once typed, and 万 and 億 are read', async () => {
  const page = await openApp(app.browser, app.server.origin, '/', 390, 844);
  const revenue = field(page, '期間売上');
  await revenue.fill('150000000');
  assert.match(await page.locator('#ltv').innerText(), /＝1億5,000万円/);
  await revenue.blur();
  assert.equal(await revenue.inputValue(), '150,000,000');
  const aov = field(page, '平均注文単価');
  await aov.fill('1.5万');
  await aov.blur();
  assert.equal(await aov.inputValue(), '15,000');
  await revenue.fill('3億');
  await revenue.blur();
  assert.equal(await revenue.inputValue(), '300,000,000');
  const orders = field(page, '年間購入回数');
  await orders.fill('2.5');
  await orders.blur();
  assert.equal(await orders.inputValue(), '2.5', 'a decimal stays as typed');
  assert.equal(await text(page, 'ltv'), '¥37,500');
  await page.close();
});

test('a shared link carries exactly what was typed and reproduces the results; reset empties the form', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE);
  await field(page, '平均注文単価').fill('6,500');
  await field(page, '年間購入回数').fill('2.5');
  await page.getByLabel('2年').check();
  await field(page, '値上げ').fill('5');
  await field(page.getByTestId('concept-1'), 'コンセプト名').fill('お試しセット');
  const link = await page.locator('#share-url').inputValue();
  assert.match(link, /aov=6%2C500/);
  assert.doesNotMatch(link, /fu=/, 'a lever left at its start is not in the link');
  assert.equal(link, page.url());
  const before = await figures(page);
  assert.ok(Object.keys(before).length > 20, 'every figure compared');

  const other = await app.browser.context.newPage();
  await other.goto(link);
  await other.getByTestId('ltv').waitFor();
  assert.equal(await field(other, '平均注文単価').inputValue(), '6,500');
  assert.equal(await text(other, 'ltv'), '¥32,500');
  assert.equal(await field(other.getByTestId('concept-1'), 'コンセプト名').inputValue(), 'お試しセット');
  assert.deepEqual(await figures(other), before, 'the same results on a fresh page');

  await other.reload();
  await other.getByTestId('ltv').waitFor();
  assert.deepEqual(await figures(other), before, 'and after a reload');

  await other.getByTestId('reset').click();
  assert.equal(await text(other, 'ltv'), '—');
  assert.equal(await field(other, '平均注文単価').inputValue(), '');
  assert.equal(new URL(other.url()).search, '');
  assert.doesNotMatch(await other.locator('main').innerText(), /診断:/);
  await other.close();
  await page.close();
});

test('one list of what to do first: the simulator and 診断結果 rank the same levers the same way', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE);
  // Every lever at 10 %: +10 % price adds ¥1,500 per customer (all of it margin).
  assert.equal(await text(page, 'sim-base-ltv'), '¥15,000');
  const ranking = page.getByTestId('lever-ranking').locator('li');
  const actions = page.getByTestId('summary-actions').locator('li');
  const order = async (list) => list.evaluateAll((items) => items.map((li) => li.dataset.lever));
  assert.equal(await ranking.count(), 5);
  assert.deepEqual(await order(actions), await order(ranking));
  assert.match(await ranking.first().innerText(), /値上げ[\s\S]*\+¥1,500/);
  assert.match(await actions.first().innerText(), /価格を上げる[\s\S]*10%アップで 1人あたり利益 \+¥1,500/);

  // A price rise that loses a fifth of the orders falls down both lists together.
  await field(page, '値上げで減る購入回数').fill('20');
  assert.notEqual((await order(ranking))[0], 'Price');
  assert.deepEqual(await order(actions), (await order(ranking)).slice(0, await actions.count()));
  // All levers: ¥5,000 × 1.1 × 1.1 = ¥6,050 an order; 3 × 1.1 × 0.8 = 2.64 orders → ¥15,972.
  assert.equal(await text(page, 'sim-new-ltv'), '¥15,972');
  await page.close();
});

for (const [width, height] of PHONES) {
  test(`on a phone (${width}×${height}): typing on the first screen, the answer in sight, whole figures, 44 px taps`, async () => {
    const page = await openApp(app.browser, app.server.origin, '/', width, height);
    const first = await field(page, '平均注文単価').boundingBox();
    assert.ok(first.y + first.height <= height, `first input inside the first screen (bottom at ${first.y + first.height})`);
    assert.doesNotMatch(await page.locator('main').innerText(), /診断:/);

    await field(page, '平均注文単価').fill('5000');
    const bar = await page.getByTestId('bar-ltv').boundingBox();
    assert.ok(bar.y >= 0 && bar.y + bar.height <= height, `result bar in the viewport (y ${bar.y})`);
    await field(page, '年間購入回数').fill('3');
    assert.equal(await text(page, 'bar-ltv'), '¥15,000');
    const barAfter = await page.getByTestId('bar-ltv').boundingBox();
    assert.ok(barAfter.y >= 0 && barAfter.y + barAfter.height <= height, 'still in sight, no scrolling needed');
    await screenshot(page, `diagnosis-typing-${width}`);

    // The bar takes the visitor to 診断結果.
    await page.goto(app.server.origin + EXAMPLE);
    await page.getByTestId('ltv').waitFor();
    await page.getByTestId('result-bar').getByRole('link').click();
    await page.waitForFunction(() => location.hash === '#summary');
    const summary = await page.locator('#summary').boundingBox();
    assert.ok(summary.y < height, '診断結果 on screen');

    for (const path of [EXAMPLE, LOSING]) {
      await page.goto(app.server.origin + path);
      await page.getByTestId('ltv').waitFor();
      assert.deepEqual(await brokenFigures(page), [], `no figure broken across lines (${path === LOSING ? 'losing' : 'example'})`);
    }
    assert.deepEqual(await smallTargets(page), [], 'every tap target at least 44 × 44 px');
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling (overflow ${overflow}px)`);
    await screenshot(page, `diagnosis-losing-${width}`);
    await page.close();
  });
}

test('every sentence once, and each term explained on tap', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE, 390, 844);
  const repeated = await page.evaluate(() => {
    const sentences = document.querySelector('main').innerText.match(/[^。\n]{12,}。/g) ?? [];
    return sentences.filter((s, i) => sentences.indexOf(s) !== i);
  });
  assert.deepEqual(repeated, []);
  assert.doesNotMatch(await page.locator('main').innerText(), /限界利益率(?!とも)/, 'one term: 粗利率');

  for (const [term, words] of [
    ['CPO', /新規のお客さま1人/],
    ['粗利率', /限界利益率とも呼びます/],
    ['粗利LTV', /通販LTV × 粗利率/],
    ['リピーター率', /2回目以降の購入/],
    ['リピート率', /全員のうち/],
    ['F2転換率', /2回目も買った人の割合/],
    ['売れる通販指数', /2,000以上/],
  ]) {
    const button = page.getByRole('button', { name: `${term}とは` }).first();
    await button.click();
    assert.equal(await button.getAttribute('aria-expanded'), 'true', term);
    const help = page.locator(`#${await button.getAttribute('aria-controls')}`);
    assert.match(await help.innerText(), words, term);
    await button.click();
    assert.equal(await help.count(), 0, `${term} closes again`);
  }
  await page.close();
});

test('the printed 診断: the date and the inputs, sections numbered in order, one or two A4 pages', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE.replace(/&mc=.*&cr=70/, ''));
  await page.emulateMedia({ media: 'print' });
  const header = page.getByTestId('print-header');
  assert.ok(await header.isVisible());
  assert.match(await header.innerText(), /\d{4}年\d{1,2}月\d{1,2}日 作成/);
  const inputs = await page.getByTestId('print-inputs').innerText();
  assert.match(inputs, /平均注文単価\s*5,000円/);
  assert.match(inputs, /粗利率\s*40%/);
  assert.match(inputs, /値上げ\s*10%/, 'the lever sizes the ranking used');
  const visible = await page.evaluate(() => [...document.querySelectorAll('input, select, button, textarea')]
    .filter((el) => el.getClientRects().length > 0).map((el) => el.outerHTML.slice(0, 60)));
  assert.deepEqual(visible, [], 'no form control on paper');
  // The empty section (リピーター率) is left out, so the numbers that follow close up.
  const printed = await page.evaluate(() => [...document.querySelectorAll('.diagnosis-main > .card')]
    .filter((el) => el.getClientRects().length > 0).map((el) => el.id));
  assert.deepEqual(printed, ['ltv', 'profit', 'index', 'levers', 'summary']);
  const pdf = await page.pdf({ format: 'A4' });
  const pages = Number(pdf.toString('latin1').match(/\/Count (\d+)/)[1]);
  assert.ok(pages >= 1 && pages <= 2, `${pages} A4 pages`);
  await page.close();
});

test('nothing is sent anywhere: every request stays on the page origin', async () => {
  const page = await openApp(app.browser, app.server.origin, EXAMPLE);
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

/** Figures whose text runs past the right edge of their card. */
async function figuresOutOfTheirCards(page) {
  return page.evaluate(() => [...document.querySelectorAll('.figure-value')]
    .filter((el) => el.getClientRects().length)
    .flatMap((el) => {
      const range = document.createRange();
      range.selectNodeContents(el);
      const text = range.getBoundingClientRect();
      const card = el.closest('.figure').getBoundingClientRect();
      return text.right > card.right - 1 ? [`${el.innerText.trim()} ${Math.round(text.right - card.right)}px`] : [];
    }));
}

test('a shop of billions: every figure shrinks to fit its card, on a phone and a laptop', async () => {
  for (const [width, height] of [[360, 740], [1280, 800]]) {
    const page = await openApp(app.browser, app.server.origin, EXAMPLE, width, height);
    await field(page, '平均注文単価').fill('9,999万');
    await field(page, '年間購入回数').fill('99');
    await field(page, '期間売上').fill('9,999億');
    await page.getByTestId('ltv').getByText('¥9,899,010,000').waitFor();
    assert.deepEqual(await figuresOutOfTheirCards(page), [], `at ${width}px`);
    assert.deepEqual(await brokenFigures(page), [], `at ${width}px`);
    await screenshot(page, `diagnosis-billions-${width}`);
    await page.close();
  }
});

test('screenshots at phone and laptop width, with no console errors', async () => {
  for (const [width, height] of [[390, 844], [360, 740], [1280, 800]]) {
    const page = await openApp(app.browser, app.server.origin, '/', width, height);
    await screenshot(page, `diagnosis-empty-${width}`);
    await page.goto(app.server.origin + EXAMPLE);
    await page.getByTestId('ltv').waitFor();
    const overflow = await page.evaluate(() => document.documentElement.scrollWidth - window.innerWidth);
    assert.ok(overflow <= 0, `no sideways scrolling at ${width}px (overflow ${overflow}px)`);
    await screenshot(page, `diagnosis-${width}`);
    await page.emulateMedia({ media: 'print' });
    await screenshot(page, `diagnosis-print-${width}`);
    await page.close();
  }
  assert.deepEqual(app.browser.problems, []);
});
