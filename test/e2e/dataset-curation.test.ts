/**
 * The Dataset view in Chromium over the bridge, against a real core: import through the UI (folder
 * picker and a drop), counts per class, keyboard relabel, undo/redo, filters, delete, and how a core
 * error shows.
 */
import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';
import { glyph, pngOf, variant, writeClassFolders, writeIdxPair } from './dataset-fixtures';

const skip = browserSkipReason();
if (skip) console.log(`dataset e2e skipped: ${skip}`);

describe.skipIf(skip !== null)('Dataset view: import, counts, keyboard curation', () => {
  let browser: Browser;
  const files = tmpDir('glyphlab-dataset-e2e-');

  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
    files.cleanup();
  });

  it('imports class folders from the picker, counts them, relabels with keys, undoes, filters, deletes', async () => {
    const app = await openApp({ browser });
    const { page } = app;
    try {
      await page.getByTestId('empty-state').waitFor();
      const undoButton = page.getByTestId('undo-button');
      const redoButton = page.getByTestId('redo-button');
      await expect.poll(() => undoButton.getAttribute('title')).toBe('Nothing to undo');
      expect(await undoButton.isDisabled()).toBe(true);
      const root = await writeClassFolders(path.join(files.dir, 'letters'), { A: 4, B: 2 });
      fs.writeFileSync(path.join(root, 'A', 'broken.png'), 'not a png at all');

      await page.getByTestId('import-folder').setInputFiles(root);
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('import-imported').textContent()).toBe('6');
      expect(await page.getByTestId('import-errors').textContent()).toBe('1');
      await summary.getByText('Show errors').click();
      expect(await page.getByTestId('import-error-list').textContent()).toContain('A/broken.png');

      const count = (label: string) => page.locator(`[data-testid=class-count][data-label="${label}"]`);
      await expect.poll(() => count('A').getAttribute('data-count')).toBe('4');
      expect(await count('B').getAttribute('data-count')).toBe('2');
      const stats = await app.call('dataset.stats', {});
      expect(stats.byClass).toMatchObject({ A: 4, B: 2 });
      await expect.poll(() => page.locator('[data-testid=tile-label]').count()).toBe(6);
      await page.screenshot({ path: screenshotPath('dataset-imported.png') });

      // Keyboard: select the first tile, type "b" → it becomes B (at once, then in the core), cursor moves on.
      const first = page.locator('[data-testid=tile][data-index="0"]');
      const firstId = Number(await first.getAttribute('data-id'));
      const before = (await app.call('dataset.sample', { id: firstId })).label;
      const target = before === 'B' ? 'A' : 'B';
      await first.click();
      await page.waitForTimeout(500); // the click's own requests (the detail panel) are done
      const sentBefore = app.sentMethods.length;
      await page.keyboard.press(target.toLowerCase());
      await expect.poll(() => first.getByTestId('tile-label').textContent()).toBe(target);
      await expect.poll(async () => (await app.call('dataset.sample', { id: firstId })).label).toBe(target);
      await expect.poll(() => undoButton.isDisabled()).toBe(false);
      await page.waitForTimeout(800);
      // The edit is one round trip (its answer carries the undo state); then the next tile's detail and the counts, once.
      expect(app.sentMethods.slice(sentBefore).sort()).toEqual(['dataset.relabel', 'dataset.sample', 'dataset.stats']);
      expect(await page.locator('[data-testid=tile][data-index="1"]').getAttribute('class')).toContain('cursor');
      const after = await app.call('dataset.stats', {});
      expect(after.byClass[target]).toBe((stats.byClass[target] ?? 0) + 1);
      await expect.poll(() => count(target).getAttribute('data-count')).toBe(String(after.byClass[target]));

      // The Undo button says what it would undo; then undo and redo through the core's persistent history.
      await expect.poll(() => undoButton.getAttribute('title')).toBe(`Undo: relabel 1 sample to '${target}' (Ctrl+Z)`);
      expect(await undoButton.isDisabled()).toBe(false);
      expect(await redoButton.isDisabled()).toBe(true);
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await app.call('dataset.sample', { id: firstId })).label).toBe(before);
      await expect.poll(() => first.getByTestId('tile-label').textContent()).toBe(before);
      await expect.poll(() => redoButton.getAttribute('title')).toBe(`Redo: relabel 1 sample to '${target}' (Ctrl+Shift+Z)`);
      await page.keyboard.press('Control+Shift+z');
      await expect.poll(async () => (await app.call('dataset.sample', { id: firstId })).label).toBe(target);
      await expect.poll(() => first.getByTestId('tile-label').textContent()).toBe(target);

      // Filter by clicking a class: only that class, and the filter's total.
      const bCount = Number(await count('B').getAttribute('data-count'));
      await count('B').click();
      await expect.poll(() => page.getByTestId('filter-total').textContent()).toContain(`${bCount} matching`);
      await expect.poll(async () => (await page.locator('[data-testid=tile-label]').allTextContents()).join('')).toBe('B'.repeat(bCount));
      await count('B').click(); // toggles the filter off
      await expect.poll(() => page.locator('[data-testid=tile-label]').count()).toBe(6);

      // Shift+arrow selects a range; Delete soft-deletes it; the Deleted filter shows them; undo restores.
      await first.click();
      await page.keyboard.press('Shift+ArrowRight');
      await expect.poll(() => page.locator('[data-testid=tile][aria-selected=true]').count()).toBe(2);
      await page.keyboard.press('Delete');
      await expect.poll(async () => (await app.call('dataset.stats', {})).deleted).toBe(2);
      await expect.poll(() => page.locator('[data-testid=tile-label]').count()).toBe(4);
      await page.getByTestId('filter-deleted').check();
      await expect.poll(() => page.locator('[data-testid=tile-label]').count()).toBe(2);
      await page.getByTestId('filter-deleted').uncheck();
      await page.keyboard.press('Control+z');
      await expect.poll(async () => (await app.call('dataset.stats', {})).deleted).toBe(0);
      await expect.poll(() => page.locator('[data-testid=tile-label]').count()).toBe(6);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  });

  it('imports a dropped file with the label set in the header, and shows the detail panel', async () => {
    const app = await openApp({ browser });
    const { page } = app;
    try {
      await page.getByTestId('empty-state').waitFor();
      await page.getByTestId('import-label').fill('C');
      const png = await pngOf(variant(await glyph('C'), 7));
      await page.evaluate(async (b64) => {
        const bytes = Uint8Array.from(atob(b64), (c) => c.charCodeAt(0));
        const dt = new DataTransfer();
        dt.items.add(new File([bytes], 'loose-c.png', { type: 'image/png' }));
        const view = document.querySelector('[data-testid=dataset-view]')!;
        view.dispatchEvent(new DragEvent('dragenter', { dataTransfer: dt, bubbles: true, cancelable: true }));
        view.dispatchEvent(new DragEvent('drop', { dataTransfer: dt, bubbles: true, cancelable: true }));
      }, png.toString('base64'));
      await page.getByTestId('import-summary').waitFor({ timeout: 20_000 });
      expect(await page.getByTestId('import-imported').textContent()).toBe('1');
      await expect.poll(() => page.locator('[data-testid=class-count][data-label="C"]').getAttribute('data-count')).toBe('1');
      const tile = page.locator('[data-testid=tile][data-index="0"]');
      expect(await tile.getByTestId('tile-label').textContent()).toBe('C');

      await tile.click();
      const detail = page.getByTestId('detail');
      await expect.poll(() => detail.getByTestId('detail-label').textContent()).toBe('C');
      const text = await detail.textContent();
      expect(text).toContain('loose-c.png');
      expect(text).toContain('28 × 28');
      // Shown as a person reads it: inverted (dark ink on light) and pixelated, like the tiles.
      const style = await detail.locator('img').evaluate((img) => {
        const s = getComputedStyle(img);
        return { filter: s.filter, rendering: s.imageRendering };
      });
      expect(style).toEqual({ filter: 'invert(1)', rendering: 'pixelated' });
      await page.screenshot({ path: screenshotPath('dataset-detail.png') });

      // Typing in a text field stays there: it labels nothing.
      await tile.click();
      const field = page.getByTestId('import-label');
      await field.fill('');
      await field.click();
      await page.keyboard.press('k');
      expect(await field.inputValue()).toBe('k');
      await page.waitForTimeout(300);
      expect(await tile.getByTestId('tile-label').textContent()).toBe('C');
      expect((await app.call('dataset.stats', {})).byClass).toMatchObject({ C: 1 });
      await field.fill('');
      // "?" (outside a field) shows the keyboard help; Escape closes it.
      await tile.click();
      await page.keyboard.press('?');
      await page.getByTestId('key-help').waitFor();
      await page.keyboard.press('Escape');
      await page.getByTestId('key-help').waitFor({ state: 'detached' });
    } finally {
      await app.close();
    }
  });

  it('shows a core error clearly and takes back the optimistic label', async () => {
    const app = await openApp({ browser });
    const { page } = app;
    try {
      const root = await writeClassFolders(path.join(files.dir, 'one'), { D: 1 });
      await page.getByTestId('import-folder').setInputFiles(root);
      await page.getByTestId('import-summary').waitFor({ timeout: 20_000 });
      const tile = page.locator('[data-testid=tile][data-index="0"]');
      await expect.poll(() => tile.getByTestId('tile-label').textContent()).toBe('D');
      // Another process holds the database's write lock: the core's next relabel fails (after its busy timeout).
      const other = new Database(app.core.dbPath);
      other.exec('BEGIN EXCLUSIVE');
      try {
        await tile.click();
        await page.keyboard.press('e');
        await expect.poll(() => page.getByTestId('dataset-error').textContent(), { timeout: 20_000 }).toContain('database is locked');
        await expect.poll(() => tile.getByTestId('tile-label').textContent()).toBe('D');
      } finally {
        other.exec('ROLLBACK');
        other.close();
      }
      expect((await app.call('dataset.stats', {})).byClass).toMatchObject({ D: 1 });
    } finally {
      await app.close();
    }
  });

  it('uploads an IDX pair with its labels, keeps same-named files from two folders apart, and cancels a long import', async () => {
    const app = await openApp({ browser });
    const { page } = app;
    try {
      // A folder holding an IDX pair and two sets whose class folders repeat file names.
      const root = path.join(files.dir, 'mixed');
      fs.mkdirSync(path.join(root, 'emnist'), { recursive: true });
      await writeIdxPair(path.join(root, 'emnist'), 40);
      await writeClassFolders(path.join(root, 'set1'), { E: 2 });
      fs.mkdirSync(path.join(root, 'set2', 'E'), { recursive: true });
      for (let i = 0; i < 2; i++) fs.writeFileSync(path.join(root, 'set2', 'E', `E-${i}.png`), await pngOf(variant(await glyph('E'), 1000 + i)));
      await page.getByTestId('import-folder').setInputFiles(root);
      await page.getByTestId('import-summary').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('import-errors').textContent()).toBe('0');
      expect(await page.getByTestId('import-imported').textContent()).toBe('44');
      const stats = await app.call('dataset.stats', {});
      expect(stats.total).toBe(44);
      expect(stats.unlabeled).toBe(0);
      expect(stats.byClass.E).toBe(4 + 1); // 2 + 2 from the folders, 1 from the IDX pair (40 cycling over 36 classes)

      // Cancel: a 100k-image IDX upload (gzipped) is stopped mid-way; what was committed stays.
      const big = path.join(files.dir, 'big');
      fs.mkdirSync(big);
      await writeIdxPair(big, 100_000, { gzip: true });
      await page.getByTestId('import-summary').getByLabel('Dismiss').click();
      await page.getByTestId('import-folder').setInputFiles(big);
      await expect.poll(async () => (await app.call('jobs.list', {})).some((j) => j.status === 'running' && j.done > 0), { timeout: 30_000 }).toBe(true);
      await page.getByTestId('import-cancel').click();
      const summary = page.getByTestId('import-summary');
      await summary.waitFor({ timeout: 30_000 });
      expect(await summary.textContent()).toContain('Import cancelled');
      // The partial summary counts duplicates and errors too: the first 40 images of this set are the 40 of
      // the IDX pair imported above (same generator), so they come back as duplicates.
      expect(await page.getByTestId('import-duplicates').textContent()).toBe('40');
      expect(await page.getByTestId('import-errors').textContent()).toBe('0');
      const imported = Number((await page.getByTestId('import-imported').textContent())!.replace(/,/g, ''));
      const total = (await app.call('dataset.stats', {})).total;
      expect(total).toBeLessThan(44 + 100_000);
      expect(total).toBeGreaterThanOrEqual(44);
      expect(imported).toBe(total - 44);
    } finally {
      await app.close();
    }
  }, 120_000);
});
