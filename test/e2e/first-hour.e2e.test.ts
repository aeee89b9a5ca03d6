/**
 * A new person's first hour (issue 23), in Chromium over the bridge: the sample page from the empty Dataset
 * view, a deleted sample's history, the lowercase-folder hint and its fix, a model exported by download and
 * imported by upload, and both colour schemes (screenshots at 1440×900 and 1024×700 in each).
 */
import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { contrast } from '../../renderer/src/lib/colors';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';
import { writeClassFolders } from './dataset-fixtures';

const skip = browserSkipReason();
if (skip) console.log(`first-hour e2e skipped: ${skip}`);
const BUNDLED = path.resolve('resources/models/default');

/** The page's background and text colours as #rrggbb. */
async function inkAndPaper(page: Page): Promise<{ bg: string; text: string; theme: string | undefined }> {
  return page.evaluate(() => {
    const hex = (c: string) => `#${(c.match(/\d+/g) ?? []).slice(0, 3).map((v) => Number(v).toString(16).padStart(2, '0')).join('')}`;
    const css = getComputedStyle(document.documentElement);
    return { bg: hex(css.backgroundColor), text: hex(css.color), theme: document.documentElement.dataset.theme };
  });
}

describe.skipIf(skip !== null)('first hour', () => {
  let browser: Browser;
  const files = tmpDir('glyphlab-first-hour-');
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    files.cleanup();
  });

  it.skipIf(!fs.existsSync(path.join(BUNDLED, 'model.json')))('reads a sample page from the empty Dataset view with the bundled model', async () => {
    const app = await openApp({ browser, viewport: { width: 1024, height: 700 } });
    try {
      const { page } = app;
      await page.getByTestId('empty-state').waitFor();
      expect(await page.getByRole('button', { name: /^Import/ }).allTextContents()).toEqual(['Import folder…', 'Import files…']);
      await page.screenshot({ path: screenshotPath('first-hour-empty-1024x700.png') });
      await page.getByTestId('sample-offer').getByTestId('read-sample').click();
      await page.getByTestId('box-count').waitFor({ timeout: 90_000 });
      expect(Number((await page.getByTestId('box-count').textContent())!.match(/\d+/)![0])).toBeGreaterThan(20);
      expect(await page.getByTestId('document-empty').count()).toBe(0);
      await page.screenshot({ path: screenshotPath('first-hour-sample-1024x700.png') });
    } finally {
      await app.close();
    }
  }, 120_000);

  it('shows a delete in a sample history as "deleted" with its time; a lowercase folder offers its capital', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await page.getByTestId('empty-state').waitFor();
      const root = await writeClassFolders(path.join(files.dir, 'mixed'), { A: 3, X: 1 });
      fs.renameSync(path.join(root, 'X'), path.join(root, 'x'));
      await page.getByTestId('import-folder').setInputFiles(root);
      await page.getByTestId('import-summary').waitFor({ timeout: 20_000 });
      const hint = page.getByTestId('import-label-hint');
      await hint.waitFor();
      expect(await hint.textContent()).toMatch(/The folder\s+x\/ \(1 image\)\s+is not in the class set/);
      await page.getByTestId('import-summary').getByText('Show errors').click();
      expect(await page.getByTestId('import-error-list').textContent()).toMatch(/label 'x' is not in the class set .*import it as 'X'/);
      // The batch is named by the folder picked and dated.
      expect(await page.getByTestId('filter-batch').locator('option').nth(1).textContent()).toMatch(/^mixed · .*\d{4}.* \(3\)$/);

      await page.getByTestId('classes-edit').click();
      await page.getByTestId('class-editor').waitFor();
      expect(await page.getByTestId('class-row').count()).toBe(36);
      await page.screenshot({ path: screenshotPath('first-hour-lowercase-hint.png') });
      await page.getByTestId('classes-edit').click();
      await page.getByTestId('import-as-capitals').click();
      await expect.poll(async () => (await app.call('dataset.stats', {})).byClass.X, { timeout: 20_000 }).toBe(1);
      await expect.poll(() => page.locator('[data-testid=class-count][data-label="X"]').getAttribute('data-count')).toBe('1');

      // Delete the first sample, then look at it among the deleted ones.
      const first = page.locator('[data-testid=tile][data-index="0"]');
      await first.waitFor();
      const id = Number(await first.getAttribute('data-id'));
      await first.click();
      await page.keyboard.press('Delete');
      await expect.poll(async () => (await app.call('dataset.sample', { id })).deletedAt).not.toBeNull();
      await page.getByTestId('filter-deleted').check();
      await page.locator(`[data-testid=tile][data-id="${id}"]`).click();
      const entry = page.getByTestId('history-entry').first();
      await entry.waitFor();
      const text = (await entry.textContent())!.replace(/\s+/g, ' ').trim();
      expect(text).toMatch(/ deleted \(manual\)$/);
      expect(text).not.toMatch(/\d{10,}/);
      const at = (await app.call('dataset.sample', { id })).history.find((h) => h.field === 'deleted')!.at;
      expect(text.startsWith(await page.evaluate((t) => new Date(t).toLocaleString(), at))).toBe(true);
    } finally {
      await app.close();
    }
  }, 60_000);

  it.skipIf(!fs.existsSync(path.join(BUNDLED, 'model.onnx')))('exports a model as one download and imports it by upload', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      const src = await app.call('models.import', { dir: BUNDLED, name: 'round trip' });
      await page.getByRole('button', { name: 'Models', exact: true }).click();
      await page.locator('[data-testid="model-row"]', { hasText: 'round trip' }).click();
      expect(await page.getByTestId('export-path').count()).toBe(0); // no server path in browser mode
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-archive').click()]);
      expect(download.suggestedFilename()).toBe('round-trip.glyphlab-model.zip');
      const zip = path.join(files.dir, download.suggestedFilename());
      await download.saveAs(zip);
      await page.getByTestId('import-model').click();
      await page.getByTestId('import-archive').setInputFiles(zip);
      await page.getByLabel('Name', { exact: true }).fill('came back');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.locator('[data-testid="model-row"]', { hasText: 'came back' }).waitFor();
      const back = (await app.call('models.list', {})).models.find((m) => m.name === 'came back')!;
      expect(back.classes).toBe(src.classes);
      for (const f of ['model.json', 'weights.bin', 'model.onnx']) {
        expect(fs.readFileSync(path.join(back.dir, f)).equals(fs.readFileSync(path.join(BUNDLED, f)))).toBe(true);
      }
    } finally {
      await app.close();
    }
  }, 60_000);

  it('follows the system scheme, toggles, and keeps text legible in both (screenshots of every view)', async () => {
    const app = await openApp({ browser, viewport: { width: 1440, height: 900 } });
    try {
      const { page } = app;
      await writeClassFolders(path.join(files.dir, 'themes'), { A: 6, B: 5, C: 4, '7': 3 });
      await page.getByTestId('import-folder').setInputFiles(path.join(files.dir, 'themes'));
      await page.getByTestId('import-summary').waitFor({ timeout: 20_000 });
      if (fs.existsSync(path.join(BUNDLED, 'model.json'))) await app.call('models.import', { dir: BUNDLED, name: 'bundled copy' });

      for (const scheme of ['light', 'dark'] as const) {
        await page.emulateMedia({ colorScheme: scheme });
        await expect.poll(async () => (await inkAndPaper(page)).theme).toBe(scheme);
        const { bg, text } = await inkAndPaper(page);
        expect(contrast(bg, text)).toBeGreaterThanOrEqual(4.5);
        expect(contrast(bg, '#ffffff') < 1.5, `${scheme} background ${bg}`).toBe(scheme === 'light');
        for (const size of [{ width: 1440, height: 900 }, { width: 1024, height: 700 }]) {
          await page.setViewportSize(size);
          for (const view of ['Dataset', 'Training', 'Models', 'Document'] as const) {
            await page.getByRole('button', { name: view, exact: true }).click();
            // The view lists its models once its own request answers: wait for the copy imported above.
            if (view === 'Models' && fs.existsSync(path.join(BUNDLED, 'model.json'))) {
              await page.locator('[data-testid="model-row"]').first().waitFor();
              await page.locator('[data-testid="model-row"]').first().click();
              const evaluate = page.getByTestId('evaluate');
              await evaluate.waitFor();
              // Under load the first result has been seen to vanish right after it showed (not understood yet): ask again.
              for (let attempt = 0; attempt < 3; attempt++) {
                if ((await evaluate.textContent())?.trim() === 'Evaluate' || attempt > 0) await evaluate.click();
                await page.getByTestId('confusion-matrix').waitFor({ timeout: 30_000 });
                await page.waitForTimeout(300);
                if (await page.getByTestId('confusion-matrix').isVisible()) break;
              }
            }
            if (view === 'Document' && fs.existsSync(path.join(BUNDLED, 'model.json')) && (await page.getByTestId('document-empty').count())) {
              await page.getByTestId('read-sample').click(); // a read page: the overlay in both schemes
              await page.getByTestId('box-count').waitFor({ timeout: 90_000 });
            }
            await page.waitForTimeout(150);
            if (view === 'Models') expect(await page.getByTestId('confusion-matrix').isVisible(), `confusion matrix, ${scheme} ${size.width}`).toBe(true);
            await page.screenshot({ path: screenshotPath(`first-hour-${view.toLowerCase()}-${scheme}-${size.width}x${size.height}.png`) });
          }
        }
      }

      // The toggle: System → Light → Dark → System, over the system's dark.
      const toggle = page.getByTestId('theme-toggle');
      expect(await toggle.getAttribute('data-theme-choice')).toBe('system');
      await toggle.click();
      expect(await toggle.getAttribute('data-theme-choice')).toBe('light');
      expect((await inkAndPaper(page)).theme).toBe('light');
      await toggle.click();
      expect((await inkAndPaper(page)).theme).toBe('dark');
      await page.reload();
      await expect.poll(async () => (await inkAndPaper(page)).theme).toBe('dark'); // the choice is kept
      await page.emulateMedia({ colorScheme: 'light' });
      expect((await inkAndPaper(page)).theme).toBe('dark'); // a choice wins over the system's
      await page.getByTestId('theme-toggle').click();
      await expect.poll(async () => (await inkAndPaper(page)).theme).toBe('light'); // back to the system's
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 180_000);
});
