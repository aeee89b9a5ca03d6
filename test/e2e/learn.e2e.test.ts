import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';

const skip = browserSkipReason();
if (skip) console.log(`[learn e2e] skipped: ${skip}`);

describe.skipIf(skip !== null)('Learning from a page’s text in Chromium', () => {
  let browser: Browser;
  const tmp = tmpDir();
  const file = path.join(tmp.dir, 'form.png');
  beforeAll(async () => {
    browser = await launchChromium();
    // A printed label and a "filled in" value beside it: the person gives the value's text only.
    const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="200"><rect width="100%" height="100%" fill="white"/>
      <text x="40" y="120" font-family="DejaVu Sans" font-weight="bold" font-size="64">NAME: KWPZ 47</text></svg>`;
    await sharp(Buffer.from(svg)).png().toFile(file);
  });
  afterAll(async () => {
    await browser?.close();
    tmp.cleanup();
  });

  it("typing what a page reads stores its glyphs (the transcript's part only) as one import batch", async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Document', exact: true }).click();
      await page.getByTestId('document-file-input').setInputFiles(file);
      await page.getByTestId('page-canvas').waitFor();
      await page.getByTestId('transcript-text').fill('KWPZ 47');
      await page.getByTestId('transcript-apply').click();
      const result = page.getByTestId('transcript-result');
      await result.waitFor();
      expect(await result.textContent()).toMatch(/^\s*6 glyphs added to the dataset/);
      await page.screenshot({ path: screenshotPath('document-transcript.png') });
      const stats = await app.call('dataset.stats', {});
      expect(stats.total).toBe(6);
      const batches = stats.batches.filter((b) => b.imported > 0);
      expect(batches).toHaveLength(1);
      expect(batches[0]!.format).toBe('ocr');
      expect(Object.entries(stats.byClass).filter(([, n]) => n > 0).map(([c]) => c).sort().join('')).toBe('47KPWZ');
    } finally {
      await app.close();
    }
  }, 120_000);
});
