// Shared set-up of the end-to-end tests: serve dist/ on 127.0.0.1 and drive Debian's Chromium.
import { createServer } from 'node:http';
import { brotliCompressSync, constants as zlib } from 'node:zlib';
import { readFile, mkdtemp, mkdir, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join, extname, normalize, dirname, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { before, after } from 'node:test';
import { chromium } from 'playwright-core';

const here = dirname(fileURLToPath(import.meta.url));
// LTV_DIST: another build to serve (to compare two builds with the bench's harness).
export const DIST = process.env.LTV_DIST ? resolve(process.env.LTV_DIST) : join(here, '..', 'dist');
export const SCREENSHOTS = join(here, 'screenshots');

const TYPES = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.wasm': 'application/wasm',
  '.css': 'text/css; charset=utf-8',
  '.json': 'application/json',
  '.csv': 'text/csv; charset=utf-8',
  '.svg': 'image/svg+xml',
};

/** Files a static host serves compressed when asked to (`brotli`). */
const COMPRESSED = new Set(['.html', '.js', '.wasm', '.css']);

/**
 * Serves dist/ (or `dir`) on a random port of 127.0.0.1. With `brotli`, the page, scripts,
 * styles and wasm are sent brotli-compressed (`Content-Encoding: br`), as static hosts do.
 */
export async function serveDist({ dir = DIST, brotli = false } = {}) {
  const root = resolve(dir);
  const compressed = new Map();
  const server = createServer(async (req, res) => {
    const path = decodeURIComponent(new URL(req.url, 'http://x').pathname);
    const file = normalize(join(root, path === '/' ? 'index.html' : path));
    if (!file.startsWith(root)) {
      res.writeHead(403).end();
      return;
    }
    try {
      let body = await readFile(file);
      const headers = { 'content-type': TYPES[extname(file)] ?? 'application/octet-stream' };
      if (brotli && COMPRESSED.has(extname(file))) {
        if (!compressed.has(file)) {
          compressed.set(file, brotliCompressSync(body, { params: { [zlib.BROTLI_PARAM_QUALITY]: 11 } }));
        }
        body = compressed.get(file);
        headers['content-encoding'] = 'br';
      }
      res.writeHead(200, headers);
      res.end(body);
    } catch {
      res.writeHead(404).end('not found');
    }
  });
  await new Promise((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address();
  return { origin: `http://127.0.0.1:${port}`, close: () => new Promise((r) => server.close(r)) };
}

/** Starts Chromium with a fresh profile; every request the pages make is recorded. */
export async function startBrowser() {
  const profile = await mkdtemp(join(tmpdir(), 'ltv-e2e-'));
  const context = await chromium.launchPersistentContext(profile, {
    executablePath: process.env.CHROMIUM ?? '/usr/bin/chromium',
    headless: true,
    acceptDownloads: true,
    locale: 'ja-JP',
    args: [
      '--no-sandbox', '--disable-gpu', '--disable-quic', '--no-first-run',
      '--disable-background-networking', '--disable-component-update', '--disable-sync',
      '--disable-dev-shm-usage',
    ],
  });
  const requests = [];
  const problems = [];
  context.on('request', (req) => requests.push(req.url()));
  context.on('page', (page) => watch(page, problems));
  for (const page of context.pages()) watch(page, problems);
  return {
    context,
    requests,
    problems,
    async close() {
      await context.close();
      await rm(profile, { recursive: true, force: true });
    },
  };
}

function watch(page, problems) {
  page.on('pageerror', (err) => problems.push(`page error: ${err.message}`));
  page.on('console', (msg) => {
    if (msg.type() === 'error') problems.push(`console error: ${msg.text()}`);
  });
}

/**
 * The page's #app once the app runs in it: the 診断 pre-rendered at build time is in the page
 * before the app has started, and answers no typing until the app has taken it over.
 */
export const LIVE_APP = '#app:not([data-prerendered])';

/** A page at the given width (360 = phone, 1280 = laptop), opened at `path`, app running. */
export async function openApp(browser, origin, path = '/', width = 1280, height = width < 600 ? 740 : 900) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height });
  await page.goto(origin + path);
  await page.locator(LIVE_APP).getByTestId('ltv').waitFor();
  return page;
}

/** The CSV page at the given width with `file` uploaded, its preview on screen. */
export async function openCsvWith(browser, origin, file, { width = 1280, timeout = 30_000 } = {}) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width, height: 900 });
  await page.goto(`${origin}/#csv`);
  await page.locator('#csv-file').setInputFiles(file);
  await page.getByTestId('preview').waitFor({ timeout });
  return page;
}

export async function screenshot(page, name) {
  await mkdir(SCREENSHOTS, { recursive: true });
  await page.screenshot({ path: join(SCREENSHOTS, `${name}.png`), fullPage: true });
}

/**
 * The top and bottom edges of the elements with these test ids, read in one go: the page may
 * still be laying out (the analysis arriving above the prediction, the scroll to the headline),
 * and two reads apart could see two different layouts.
 */
export async function edges(page, ...testids) {
  return page.evaluate((ids) => ids.map((id) => {
    const el = document.querySelector(`[data-testid="${id}"]`);
    if (!el) throw new Error(`no element with data-testid ${id}`);
    const { top, bottom } = el.getBoundingClientRect();
    return { top, bottom };
  }), testids);
}

/** The input labelled exactly `label`, inside `scope` (a page or a locator). */
export function field(scope, label) {
  return scope.getByLabel(label, { exact: true });
}

/**
 * Serves dist/ and starts Chromium for the file's tests, closing both after them. Returns an
 * object whose `server` and `browser` are set once `ready` has resolved (a file's own `before`
 * hook awaits it: hooks of one file may start together).
 */
export function useApp() {
  let started;
  const app = { server: null, browser: null, ready: new Promise((resolve) => { started = resolve; }) };
  before(async () => {
    app.server = await serveDist();
    app.browser = await startBrowser();
    started();
  });
  after(async () => {
    await app.browser?.close();
    await app.server?.close();
  });
  return app;
}

/**
 * Opens the folded parts of the CSV page (the data and import report, the analysis settings),
 * once the analysis is on screen: they fold away when it arrives.
 */
export async function unfold(page) {
  await page.waitForFunction(
    () => document.querySelector('[data-testid=headline], [data-testid=failed], [data-testid=import-error], [data-testid=cancelled]'),
    null,
    { timeout: 90_000 },
  );
  // With an analysis, the folds come a frame after the headline, as a user sees them.
  await page.waitForFunction(() => !document.querySelector('[data-testid=headline]')
    || document.querySelector('[data-testid=import-fold]'));
  await page.evaluate(() => document.querySelectorAll('details.fold').forEach((d) => { d.open = true; }));
}

/** Opens 「詳しく（その他のダウンロード）」, where the summary JSON is, and returns its button. */
export async function summaryButton(page) {
  await page.getByTestId('more-downloads').evaluate((d) => { d.open = true; });
  return page.getByTestId('download-summary');
}

/** Opens 「予測の設定」 under the prediction's answer, where the model and its settings are. */
export async function predictionSettings(page) {
  await page.getByTestId('prediction-settings-fold').evaluate((d) => { d.open = true; });
}
