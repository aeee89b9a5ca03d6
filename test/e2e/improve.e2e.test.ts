import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { readReplaySet, shippedReplaySet, writeReplaySet } from '../../main/core/ocr/learn/replay';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';

const skip = browserSkipReason() ?? (shippedReplaySet() ? null : 'the replay set (resources/replay) is not installed');
if (skip) console.log(`[improve e2e] skipped: ${skip}`);

describe.skipIf(skip !== null)('Improve in the Models view', () => {
  let browser: Browser;
  const tmp = tmpDir();
  const page1 = path.join(tmp.dir, 'page.png');
  const TEXT = ['THE QUICK BROWN', 'FOX JUMPS OVER', 'LAZY DOG 1234567890'];
  beforeAll(async () => {
    browser = await launchChromium();
    const lines = TEXT.map((t, i) => `<text x="40" y="${90 + i * 90}" font-family="DejaVu Sans" font-weight="bold" font-size="56">${t}</text>`).join('');
    await sharp(Buffer.from(`<svg xmlns="http://www.w3.org/2000/svg" width="1000" height="320"><rect width="100%" height="100%" fill="white"/>${lines}</svg>`)).png().toFile(page1);
    // A few replay tiles per class keep the run short; the shipped set's test tiles too.
    const set = shippedReplaySet()!;
    const few = (tiles: typeof set.train) => set.classes.split('').flatMap((_, y) => tiles.filter((t) => t.y === y).slice(0, 4));
    const file = path.join(tmp.dir, 'replay.bin.gz');
    writeReplaySet(file, { classes: set.classes, train: few(set.train), test: few(set.test) });
    expect(readReplaySet(file).train.length).toBe(4 * set.classes.length);
    process.env.GLYPHLAB_REPLAY_SET = file;
  });
  afterAll(async () => {
    delete process.env.GLYPHLAB_REPLAY_SET;
    await browser?.close();
    tmp.cleanup();
  });

  it('runs as a training run and reports before/after and whether it became active', async () => {
    const app = await openApp({ browser });
    try {
      const learned = await app.call('learn.transcript', { path: page1, text: TEXT.join('\n') });
      expect(learned.samples).toBeGreaterThanOrEqual(30);
      const { page } = app;
      await page.getByRole('button', { name: 'Models', exact: true }).click();
      await page.getByTestId('improve-start').click();
      const report = page.getByTestId('improve-report');
      await report.waitFor({ timeout: 240_000 });
      const text = (await report.textContent()) ?? '';
      expect(text).toMatch(/your documents \(held back\)/);
      expect(text).toMatch(/base test tiles/);
      expect(text).toMatch(/made active|kept the old model/);
      await page.screenshot({ path: screenshotPath('models-improve.png') });
      // The bundled model and the new one, compared on the person's own data.
      const cmp = page.getByTestId('compare-on-data');
      await cmp.waitFor();
      await page.getByTestId('compare-on-data-run').click();
      await expect.poll(async () => page.getByTestId('compare-on-data-set').count(), { timeout: 60_000 }).toBe(2);
      expect(await page.getByTestId('compare-on-data-set').first().textContent()).toMatch(new RegExp(`your documents \\(${learned.samples} samples\\)`));
      await page.screenshot({ path: screenshotPath('models-compare-on-data.png') });
      const runs = await app.call('training.runs', { limit: 5 });
      expect(runs[0]?.status).toBe('done');
      expect(runs[0]?.config.initFrom).toBeDefined();
    } finally {
      await app.close();
    }
  }, 300_000);
});
