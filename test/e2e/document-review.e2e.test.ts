import fs from 'node:fs';
import path from 'node:path';
import sharp from 'sharp';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser, Page } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';

const skip = browserSkipReason();
if (skip) console.log(`[document review e2e] skipped: ${skip}`);

/** Screenshots for a person to look at: /tmp/glyphlab-document-*.png. */
const shot = (name: string) => path.join('/tmp', `glyphlab-document-${name}.png`);

/** A printed page of letters only, dark ink on white paper. */
async function renderLetters(file: string): Promise<void> {
  const svg = `<svg xmlns="http://www.w3.org/2000/svg" width="900" height="300">
    <rect width="100%" height="100%" fill="white"/>
    <text x="60" y="110" font-family="DejaVu Sans" font-weight="bold" font-size="64">HELLO WORLD</text>
    <text x="60" y="230" font-family="DejaVu Sans" font-weight="bold" font-size="64">GLYPH LAB</text>
  </svg>`;
  await sharp(Buffer.from(svg)).png().toFile(file);
}

async function openDocument(page: Page, file: string): Promise<void> {
  await page.getByRole('button', { name: 'Document', exact: true }).click();
  await page.getByTestId('document-empty').waitFor();
  await page.getByTestId('document-file-input').setInputFiles(file);
  await page.getByTestId('page-canvas').waitFor();
  await expect.poll(async () => Number(await page.getByTestId('page-canvas').getAttribute('data-boxes')), { timeout: 30_000 }).toBeGreaterThan(10);
}

const text = async (page: Page) => (await page.getByTestId('document-text').textContent()) ?? '';

/** Clicks the centre of a page box, from the canvas's page-to-screen mapping. */
async function clickBox(page: Page, box: [number, number, number, number]): Promise<void> {
  const canvas = page.getByTestId('page-canvas');
  await expect.poll(async () => canvas.getAttribute('data-transform')).not.toBe('1,0,0');
  const [scale, tx, ty] = (await canvas.getAttribute('data-transform'))!.split(',').map(Number) as [number, number, number];
  await canvas.click({ position: { x: tx + (box[0] + box[2] / 2) * scale, y: ty + (box[1] + box[3] / 2) * scale } });
  await page.getByTestId('selected-char').waitFor();
}

describe.skipIf(skip !== null)('Document view: reading profiles, review, state across views', () => {
  let browser: Browser;
  const tmp = tmpDir();
  const letters = path.join(tmp.dir, 'letters.png');
  beforeAll(async () => {
    browser = await launchChromium();
    await renderLetters(letters);
  });
  afterAll(async () => {
    await browser?.close();
    tmp.cleanup();
  });

  it('picking the digits profile reads the same page again as digits, from the cached layout', async () => {
    const app = await openApp({ browser, viewport: { width: 1440, height: 900 } });
    try {
      const { page } = app;
      await openDocument(page, letters);
      await expect.poll(() => text(page)).toMatch(/[A-Z]{4}/);
      const before = await text(page);
      await page.getByTestId('profile-select').selectOption('digits');
      await expect.poll(() => text(page), { timeout: 30_000 }).toMatch(/^[0-9\s]+$/);
      expect(await text(page)).not.toBe(before);
      // Read again from the core's cache: still the one ocr job of the first read.
      expect((await app.call('jobs.list', {})).filter((j) => j.kind === 'ocr')).toHaveLength(1);
      await expect.poll(async () => page.getByTestId('box-count').textContent()).toMatch(/\d+ characters/);
      expect(await page.locator('.page-status').textContent()).toContain('profile digits');
      await page.screenshot({ path: shot('digits-1440') });
      // And back: letters again.
      await page.getByTestId('profile-select').selectOption('text');
      await expect.poll(() => text(page), { timeout: 30_000 }).toBe(before);

      // Once the page has left the core's cache (it keeps the last few pages), the file is read again.
      const others = Array.from({ length: 8 }, (_, i) => path.join(tmp.dir, `other-${i}.png`));
      for (const f of others) fs.copyFileSync(letters, f);
      await app.call('ocr.run', { paths: others, settings: {} });
      await page.getByTestId('profile-select').selectOption('digits');
      await expect.poll(() => text(page), { timeout: 30_000 }).toMatch(/^[0-9\s]+$/);
      await page.getByText(/the file was read again/).waitFor();
      expect((await app.call('jobs.list', {})).filter((j) => j.kind === 'ocr')).toHaveLength(2);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('open pages and their corrections survive switching to another view and back', async () => {
    const app = await openApp({ browser, viewport: { width: 1440, height: 900 } });
    try {
      const { page } = app;
      await openDocument(page, letters);
      const boxes = await page.getByTestId('page-canvas').getAttribute('data-boxes');
      const result = await app.call('ocr.run', { paths: [letters], settings: {} });
      const first = result.documents[0]!.pages[0]!.lines[0]!.chars[0]!;
      await clickBox(page, first.box);
      const label = first.char === 'Q' ? 'X' : 'Q';
      await page.keyboard.press(label.toLowerCase());
      await expect.poll(() => text(page)).toMatch(new RegExp(`^${label}`));
      const corrected = await text(page);

      await page.getByRole('button', { name: 'Dataset', exact: true }).click();
      await page.getByTestId('page-canvas').waitFor({ state: 'detached' });
      await page.getByRole('button', { name: 'Document', exact: true }).click();
      await page.getByTestId('page-canvas').waitFor();
      expect(await page.getByTestId('page-canvas').getAttribute('data-boxes')).toBe(boxes);
      expect(await text(page)).toBe(corrected);
      // Tab, then corrections: each correction moves on to the next least certain glyph not corrected yet.
      const facts = page.getByTestId('selected-char');
      const glyphPct = async () => {
        const t = (await facts.textContent()) ?? '';
        expect(t).not.toContain('corrected');
        return Number(/glyph (\d+)%/.exec(t)![1]);
      };
      await page.keyboard.press('Tab');
      const seen = [await glyphPct()];
      for (let i = 0; i < 3; i++) {
        const was = await facts.locator('.facts').textContent();
        await page.keyboard.press('z');
        await expect.poll(async () => facts.locator('.facts').textContent()).not.toBe(was);
        seen.push(await glyphPct());
      }
      expect(seen).toEqual([...seen].sort((a, b) => a - b));
      // Enter: the least certain word, outlined, its first glyph not corrected selected.
      await page.keyboard.press('Escape');
      await facts.waitFor({ state: 'detached' });
      await page.keyboard.press('Enter');
      await expect.poll(async () => facts.textContent()).toMatch(/word “\w+” \d+%/);
      // Labels over the boxes are readable: at least 13 px on screen.
      await expect.poll(async () => Number(await page.getByTestId('page-canvas').getAttribute('data-label-px'))).toBeGreaterThanOrEqual(13);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('a split box is read by the core, not left as "?"; the layout fits 1024x700', async () => {
    const app = await openApp({ browser, viewport: { width: 1024, height: 700 } });
    try {
      const { page } = app;
      await openDocument(page, letters);
      const count = Number(await page.getByTestId('page-canvas').getAttribute('data-boxes'));
      // The widest box of the first line (W): split it in two.
      const result = await app.call('ocr.run', { paths: [letters], settings: {} });
      const chars = result.documents[0]!.pages[0]!.lines[0]!.chars;
      const wide = chars.reduce((a, b) => (b.box[2] > a.box[2] ? b : a));
      await clickBox(page, wide.box);
      await page.keyboard.press('|');
      await expect.poll(async () => Number(await page.getByTestId('page-canvas').getAttribute('data-boxes'))).toBe(count + 1);
      await expect.poll(() => text(page), { timeout: 20_000 }).not.toContain('?');
      const big = page.getByTestId('selected-char').locator('.big');
      expect((await big.textContent())?.trim()).toMatch(/^[0-9A-Z]$/);
      await page.screenshot({ path: shot('split-1024') });
      // Merge the two halves back: one box again, read by the core too.
      await page.keyboard.press('+');
      await expect.poll(async () => Number(await page.getByTestId('page-canvas').getAttribute('data-boxes'))).toBe(count);
      await expect.poll(async () => (await big.textContent())?.trim(), { timeout: 20_000 }).toMatch(/^[0-9A-Z]$/);
      expect(await text(page)).not.toContain('?');
      // Undo the merge, then the split; redo the split.
      const boxes = async () => Number(await page.getByTestId('page-canvas').getAttribute('data-boxes'));
      await page.keyboard.press('Control+z');
      await expect.poll(boxes).toBe(count + 1);
      await page.keyboard.press('Control+z');
      await expect.poll(boxes).toBe(count);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(boxes).toBe(count + 1);

      // The edited page exports (words and confidences as the contract wants them).
      const download = page.waitForEvent('download');
      await page.getByRole('button', { name: 'JSON', exact: true }).click();
      const exported = JSON.parse(fs.readFileSync((await (await download).path())!, 'utf8')) as { text: string; lines: { confidence: number; words: unknown[] }[] };
      expect(exported.text).toBe(await text(page));
      expect(exported.lines[0]!.words.length).toBeGreaterThan(0);

      // Nothing is cut off: the header's last button, the profile picker and the text are on screen.
      for (const el of [page.getByRole('button', { name: 'ALTO' }), page.getByTestId('profile-select'), page.getByTestId('document-text')]) {
        const b = (await el.boundingBox())!;
        expect(b.x + b.width).toBeLessThanOrEqual(1024);
        expect(b.y).toBeLessThan(700);
      }
      const canvas = (await page.getByTestId('page-canvas').boundingBox())!;
      expect(canvas.height).toBeGreaterThan(250);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);

  it('reads as a job with progress and Cancel; a profile saved from the picker is listed and read with', async () => {
    const app = await openApp({ browser, viewport: { width: 1024, height: 700 } });
    try {
      const { page } = app;
      const many = Array.from({ length: 12 }, (_, i) => path.join(tmp.dir, `copy-${i}.png`));
      for (const f of many) fs.copyFileSync(letters, f);
      await page.getByRole('button', { name: 'Document', exact: true }).click();
      await page.getByTestId('document-file-input').setInputFiles(many);
      const progress = page.getByTestId('read-progress');
      await progress.waitFor();
      await expect.poll(async () => progress.textContent(), { timeout: 20_000 }).toMatch(/file \d+\/12/);
      await page.screenshot({ path: shot('progress-1024') });
      await progress.getByRole('button', { name: 'Cancel' }).click();
      await page.getByText('Reading: cancelled').waitFor();
      await expect.poll(async () => (await app.call('jobs.list', {})).find((j) => j.kind === 'ocr')?.status).toBe('cancelled');
      expect(await page.getByTestId('document-empty').isVisible()).toBe(true);

      // Save the digits profile with a word list under a new name: listed under Saved, picked, and read with.
      await openDocument(page, letters);
      await page.getByTestId('profile-select').selectOption('digits');
      await expect.poll(() => text(page), { timeout: 30_000 }).toMatch(/^[0-9\s]+$/);
      await page.locator('summary', { hasText: 'Settings' }).click();
      await page.getByTestId('profile-words').fill('12345\n67890');
      await page.getByRole('button', { name: 'Save as…' }).click();
      await page.getByTestId('profile-save-name').fill('codes');
      await page.getByRole('button', { name: 'Save', exact: true }).click();
      await expect.poll(async () => page.getByTestId('profile-select').inputValue()).toBe('codes');
      const { profiles } = await app.call('ocr.profiles', {});
      expect(profiles.find((p) => p.name === 'codes')).toMatchObject({ charset: '0-9', words: ['12345', '67890'] });
      await page.getByTestId('profile-select').selectOption('text');
      await expect.poll(() => text(page), { timeout: 30_000 }).toMatch(/[A-Z]{4}/);
      await page.getByTestId('profile-select').selectOption('codes');
      await expect.poll(() => text(page), { timeout: 30_000 }).toMatch(/^[0-9\s]+$/);
      expect(await page.locator('.page-status').textContent()).toContain('profile codes');
      await page.screenshot({ path: shot('saved-profile-1024') });
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 120_000);
});
