// A worker that dies in the middle of an import: the page says so in Japanese, stays usable
// (no progress bar, buttons enabled), and the next import starts a new worker and works.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { useApp, screenshot, unfold } from './harness.mjs';

const app = useApp();

// The worker loader, as served once: it starts the real worker, then dies on the first
// Import request the way a panicking or out-of-memory worker does (an uncaught error in its
// message handler). A message is the protocol header `LTV` + version, then postcard, whose
// first byte is the request's variant: Import is 1 (src/worker/protocol.rs).
const DYING_LOADER = `
const version = self.location.search;
const early = [];
self.onmessage = (event) => early.push(event);
importScripts('./ltv-worker.js' + version);
wasm_bindgen({ module_or_path: './ltv-worker_bg.wasm' + version }).then(() => {
  const real = self.onmessage;
  self.onmessage = (event) => {
    const bytes = Array.isArray(event.data) ? event.data[0] : event.data;
    if (bytes[4] === 1) throw new Error('e2e: the worker dies during the import');
    real(event);
  };
  for (const event of early) self.onmessage(event);
});
`;

test('a worker that dies is reported, and the next import works', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  const loaders = [];
  await page.route('**/worker-loader.js*', async (route) => {
    loaders.push(route.request().url());
    if (loaders.length === 1) {
      await route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: DYING_LOADER });
    } else {
      await route.fallback();
    }
  });
  await page.goto(`${app.server.origin}/#csv`);
  await page.getByTestId('sample').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();

  const failed = page.getByTestId('failed');
  await failed.waitFor({ timeout: 30_000 });
  assert.match(await failed.innerText(), /分析の処理が途中で止まりました/);
  assert.match(await failed.innerText(), /ページはそのまま使えます/);
  // A defined state: no progress bar, nothing half-imported, the buttons usable.
  assert.equal(await page.getByTestId('progress').count(), 0);
  assert.equal(await page.getByTestId('import-report').count(), 0);
  assert.ok(await page.getByTestId('import').isEnabled());
  assert.ok(await page.getByTestId('sample').isEnabled());
  await screenshot(page, 'crash-reported');

  // The sample again, then the import: a new worker (the real one) does it.
  await page.getByTestId('sample').click();
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('headline').waitFor({ timeout: 60_000 });
  await unfold(page);
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  assert.equal(await page.getByTestId('failed').count(), 0);
  assert.equal(loaders.length, 2, `one worker died, one new one started: ${loaders}`);
  // The worker's files are versioned, so a deploy never runs a cached old worker.
  for (const url of loaders) assert.match(url, /worker-loader\.js\?v=\d+\.\d+\.\d+-p\d+\.[0-9a-f]{16}$/);
  await screenshot(page, 'crash-recovered');
  await page.close();
});

// A cached worker of another build: it answers with another protocol version.
const OLD_WORKER = `
self.onmessage = () => {
  // 'LTV', version 99, then bytes this build cannot read.
  const bytes = new Uint8Array([76, 84, 86, 99, 0, 1, 2]);
  self.postMessage(bytes, [bytes.buffer]);
};
`;

test('a worker of another build is named, not misread, and a new one takes over', async () => {
  const page = await app.browser.context.newPage();
  await page.setViewportSize({ width: 1280, height: 900 });
  let served = 0;
  await page.route('**/worker-loader.js*', async (route) => {
    served += 1;
    if (served === 1) {
      await route.fulfill({ contentType: 'text/javascript; charset=utf-8', body: OLD_WORKER });
    } else {
      await route.fallback();
    }
  });
  await page.goto(`${app.server.origin}/#csv`);
  // The page's first message to its worker, the warm-up it asks for as it opens, meets the old
  // build: the page says so before the user has chosen anything.
  const failed = page.getByTestId('failed');
  await failed.waitFor({ timeout: 30_000 });
  assert.equal(await failed.innerText(), 'アプリが更新されました。ページを再読み込みしてください。');
  assert.equal(served, 1);

  await page.getByTestId('sample').click();
  await page.getByTestId('preview').waitFor({ timeout: 30_000 });
  await page.getByTestId('import').click();
  await page.getByTestId('headline').waitFor({ timeout: 60_000 });
  await unfold(page);
  await page.getByTestId('import-report').waitFor({ timeout: 60_000 });
  assert.equal(served, 2);
  await page.close();
});
