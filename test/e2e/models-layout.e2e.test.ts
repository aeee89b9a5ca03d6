/**
 * The Models view at 1024×700 (the smallest window the app is laid out for): the registry table, the
 * selected model's actions, the evaluation with its confusion matrix over many classes and both
 * comparisons fit the width: nothing is cut off at the right and the view never scrolls sideways.
 */
import fs from 'node:fs';
import path from 'node:path';
import type { Browser, Page } from 'playwright-core';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';
import { jobResult } from '../helpers/toy-dataset';
import { CLASSES, writeClassFolders } from './dataset-fixtures';

const BUNDLED = path.resolve('resources/models/default');
const skip = browserSkipReason() ?? (fs.existsSync(path.join(BUNDLED, 'model.json')) ? null : `no bundled model at ${BUNDLED}`);
if (skip) console.log(`models layout e2e skipped: ${skip}`);

/** Elements of the view whose right edge passes the viewport's, and whether the view's body scrolls sideways. */
async function overflow(page: Page) {
  return page.evaluate(() => {
    const width = document.documentElement.clientWidth;
    const body = document.querySelector('[aria-labelledby="models-title"] .body') as HTMLElement;
    const cut = [...body.querySelectorAll('td, th, button, select, svg, h2, p, label')]
      .map((e) => ({ e, r: e.getBoundingClientRect() }))
      .filter(({ r }) => r.width > 0 && r.right > width + 0.5)
      .map(({ e, r }) => `${e.tagName.toLowerCase()} "${(e.textContent ?? '').trim().slice(0, 30)}" ends at ${Math.round(r.right)}`);
    return { cut, scrollsSideways: body.scrollWidth > body.clientWidth + 1 };
  });
}

describe.skipIf(skip !== null)('Models view at 1024x700', () => {
  let browser: Browser;
  const files = tmpDir('glyphlab-models-layout-');
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    files.cleanup();
  });

  it('fits the width: the registry, the actions, a 30-class evaluation and both comparisons', async () => {
    const app = await openApp({ browser, viewport: { width: 1024, height: 700 } });
    try {
      const { page } = app;
      const counts = Object.fromEntries([...CLASSES.slice(0, 30)].map((c) => [c, 2]));
      const root = await writeClassFolders(path.join(files.dir, 'test-split'), counts);
      await jobResult(app.core, app.call('dataset.import', { paths: [root], split: 'test', format: 'folder' }));
      await app.call('models.import', { dir: BUNDLED, name: 'a copy of the bundled model with a long name, for the table' });
      await app.call('models.import', { dir: BUNDLED, name: 'second copy' });

      await page.getByRole('button', { name: 'Models', exact: true }).click();
      const row = page.locator('[data-testid="model-row"]', { hasText: 'second copy' });
      await row.click();
      await page.getByTestId('evaluate').click();
      await page.getByTestId('confusion-matrix').waitFor({ timeout: 60_000 });
      expect(Number(await page.getByTestId('confusion-matrix').getAttribute('data-classes'))).toBeGreaterThanOrEqual(30);
      await page.getByTestId('compare').waitFor();
      await page.getByTestId('compare-on-data').waitFor();
      await page.waitForTimeout(200);
      await page.screenshot({ path: screenshotPath('models-1024x700.png') });
      expect(await overflow(page)).toEqual({ cut: [], scrollsSideways: false });
      // Every row of the registry is shown in full (a scrolling box in the view's column must not be squeezed away).
      for (const r of await page.locator('[data-testid="model-row"], [data-testid="bundled-row"]').all()) {
        expect((await r.boundingBox())?.height ?? 0).toBeGreaterThan(20);
      }
      const picks = page.getByTestId('compare').locator('select');
      expect((await picks.nth(0).boundingBox())!.y).toBe((await picks.nth(1).boundingBox())!.y); // the comparison's picks on one line

      // The lower half: the evaluation and the comparisons, scrolled to.
      await page.getByTestId('compare-on-data').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('models-1024x700-lower.png') });
      await page.getByTestId('confusion-matrix').getByRole('checkbox').check(); // all 36 classes
      await page.waitForTimeout(150);
      expect(await overflow(page)).toEqual({ cut: [], scrollsSideways: false });
      await page.getByTestId('confusion-matrix').scrollIntoViewIfNeeded();
      await page.screenshot({ path: screenshotPath('models-1024x700-matrix.png') });
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
