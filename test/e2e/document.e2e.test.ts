import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';

const skip = browserSkipReason();
if (skip) console.log(`[document e2e] skipped: ${skip}`);

/** A printed page: two lines of known text, dark ink on white paper. */
async function renderPage(file: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300">
    <rect width="100%" height="100%" fill="white"/>
    <text x="60" y="110" font-family="DejaVu Sans" font-weight="bold" font-size="64">HELLO 42</text>
    <text x="60" y="230" font-family="DejaVu Sans" font-weight="bold" font-size="64">WORLD 7</text>
  </svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}

describe.skipIf(skip !== null)('Document view in Chromium', () => {
  let browser: Browser;
  const tmp = tmpDir();
  let page1: string;
  beforeAll(async () => {
    browser = await launchChromium();
    // The bundled default model: the reader picks between a wide glyph and its split pieces by the
    // classifier's confidence, so the boxes drawn depend on a model that reads print.
    page1 = path.join(tmp.dir, 'letter page.png');
    await renderPage(page1);
  });
  afterAll(async () => {
    await browser?.close();
    tmp.cleanup();
  });

  it('reads a dropped page, draws its boxes, and turns a correction into a labeled sample', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Document', exact: true }).click();
      await page.getByTestId('document-empty').waitFor();
      await page.getByTestId('document-file-input').setInputFiles(page1);
      const canvas = page.getByTestId('page-canvas');
      await canvas.waitFor();
      await expect.poll(async () => Number(await canvas.getAttribute('data-boxes'))).toBe(13);
      await expect.poll(async () => (await page.getByTestId('document-text').textContent())?.split('\n').length).toBe(2);
      expect(await page.getByTestId('document-text').textContent()).toBe('HELLO 42\nWORLD 7');

      // Click the first box of the first line (the core's own result gives its place on the page).
      const result = await app.call('ocr.run', { paths: [page1], settings: {} });
      const first = result.documents[0]!.pages[0]!.lines[0]!.chars[0]!;
      await expect.poll(async () => canvas.getAttribute('data-transform')).not.toBe('1,0,0');
      const [scale, tx, ty] = (await canvas.getAttribute('data-transform'))!.split(',').map(Number) as [number, number, number];
      const [bx, by, bw, bh] = first.box;
      await canvas.click({ position: { x: tx + (bx + bw / 2) * scale, y: ty + (by + bh / 2) * scale } });
      await page.getByTestId('selected-char').waitFor();
      await page.screenshot({ path: screenshotPath('document-ocr.png') });

      await page.keyboard.press('h');
      await page.getByText(/Added to the dataset as “H”/).waitFor();
      await expect.poll(async () => (await page.getByTestId('document-text').textContent())?.startsWith('H')).toBe(true);
      const stats = await app.call('dataset.stats', {});
      expect(stats.total).toBe(1);
      expect(stats.byClass.H).toBe(1);
      const { rows } = await app.call('dataset.query', { filter: { source: 'letter page.png' }, thumbs: false });
      expect(rows.map((r) => r.label)).toEqual(['H']);
      await page.screenshot({ path: screenshotPath('document-corrected.png') });
      expect(app.consoleErrors).toEqual([]);
      expect(fs.existsSync(screenshotPath('document-corrected.png'))).toBe(true);
    } finally {
      await app.close();
    }
  });
});
