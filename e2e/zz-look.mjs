import { serveDist, startBrowser } from './harness.mjs';
const server = await serveDist();
const browser = await startBrowser();
for (const [w, h] of [[360, 740]]) {
  const page = await browser.context.newPage();
  await page.setViewportSize({ width: w, height: h });
  await page.goto(`${server.origin}/#csv`);
  await page.locator('#csv-file').setInputFiles('tests/data/jp-sample/jp_orders_cp932.csv');
  await page.getByTestId('preview').waitFor();
  await page.getByTestId('import').click();
  await page.getByTestId('headline').waitFor({ timeout: 60_000 });
  await page.waitForFunction(() => document.body.dataset.pipeline === 'done', null, { timeout: 90_000 });
  await page.screenshot({ path: `/tmp/look-head-${w}.png` });
  for (const id of ['csv-other-views', 'csv-prediction']) {
    await page.locator(`#${id}`).scrollIntoViewIfNeeded();
    await page.evaluate((id) => document.getElementById(id).scrollIntoView(), id);
    await page.waitForTimeout(300);
    await page.screenshot({ path: `/tmp/look-${id}-${w}.png` });
  }
  const screens = await page.evaluate(() => document.documentElement.scrollHeight / innerHeight);
  console.log(w, 'screens', screens.toFixed(1));
}
await browser.close(); await server.close();
