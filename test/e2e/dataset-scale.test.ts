/**
 * The Dataset view at 100k samples, in Chromium over the bridge: the grid keeps a bounded number of
 * tiles in the DOM while showing the right samples in the middle and at the end, and a relabel key
 * press shows in the grid within 30 ms (p95 over 50 presses; printed).
 */
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { tmpDir } from '../helpers/tmp';
import { CLASSES, jobFinished, percentile, tileLabels, writeIdxPair } from './dataset-fixtures';

const N = 100_000;
const MAX_TILES = 400;
const P95_BOUND_MS = 30;
const PRESSES = 50;
/** Presses before measuring (the page's code warms up: JIT, first proxies). */
const WARMUP = 5;

const skip = browserSkipReason();
if (skip) console.log(`dataset 100k e2e skipped: ${skip}`);

describe.skipIf(skip !== null)('Dataset view at 100k samples', () => {
  let browser: Browser;
  let app: Awaited<ReturnType<typeof openApp>>;
  const files = tmpDir('glyphlab-dataset-100k-');

  beforeAll(async () => {
    browser = await launchChromium();
    app = await openApp({ browser, viewport: { width: 1400, height: 900 } });
    const { images } = await writeIdxPair(files.dir, N);
    const finished = jobFinished(app.core, (p) => p.status !== 'running');
    const t0 = performance.now();
    await app.call('dataset.import', { paths: [images] });
    const end = await finished;
    expect(end.status, end.error?.message).toBe('done');
    console.log(`seeded ${N} samples through dataset.import (IDX) in ${((performance.now() - t0) / 1000).toFixed(1)} s`);
  }, 180_000);

  afterAll(async () => {
    await app?.close();
    await browser?.close();
    files.cleanup();
  });

  /** The id the core has at an index of the grid's order (newest first, no filter). */
  async function idAt(index: number): Promise<number> {
    const { rows } = await app.call('dataset.query', { sort: 'newest', offset: index, limit: 1, thumbs: false });
    return rows[0]!.id;
  }

  async function expectTilesMatchCore(around: number): Promise<void> {
    const { page } = app;
    // Wait until the window around `around` has arrived.
    await expect.poll(async () => (await tileLabels(page)).get(around)?.label ?? '', { timeout: 15_000 }).not.toBe('');
    const tiles = await tileLabels(page);
    expect(tiles.size).toBeLessThan(MAX_TILES);
    const { rows } = await app.call('dataset.query', { sort: 'newest', offset: around, limit: 5, thumbs: false });
    for (const [k, row] of rows.entries()) {
      const tile = tiles.get(around + k);
      if (!tile) continue; // past the end of the screen
      expect(tile.id).toBe(row.id);
      expect(tile.label).toBe(row.label ?? '–');
    }
  }

  it('scrolls to the middle and the end with a bounded DOM showing the right samples', async () => {
    const { page } = app;
    const grid = page.getByTestId('grid');
    await expect.poll(() => grid.getAttribute('data-total'), { timeout: 20_000 }).toBe(String(N));
    await expect.poll(() => page.getByTestId('filter-total').textContent()).toContain('100,000');
    await expectTilesMatchCore(0);

    // The middle: jump there as a scrollbar drag does.
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 2 - el.clientHeight / 2));
    await page.waitForTimeout(100);
    const firstShown = await page.evaluate(() => {
      const grid = document.querySelector<HTMLElement>('[data-testid=grid]')!;
      const top = grid.getBoundingClientRect().top;
      const visible = [...grid.querySelectorAll<HTMLElement>('[data-testid=tile]')].filter((t) => t.getBoundingClientRect().top >= top);
      return Math.min(...visible.map((t) => Number(t.dataset.index)));
    });
    console.log(`middle of ${N}: first tile on screen #${firstShown}, ${(await tileLabels(page)).size} tiles in the DOM`);
    expect(firstShown).toBeGreaterThan(N * 0.45);
    expect(firstShown).toBeLessThan(N * 0.55);
    await expectTilesMatchCore(firstShown);
    // A person selects a sample there: the detail panel shows it.
    await page.locator(`[data-testid=tile][data-index="${firstShown + 2}"]`).click();
    await expect.poll(() => page.getByTestId('detail-label').textContent()).toBe((await tileLabels(page)).get(firstShown + 2)?.label);
    await page.screenshot({ path: screenshotPath('dataset-100k.png') });

    // The end.
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight));
    await expectTilesMatchCore(N - 1);
    expect((await tileLabels(page)).has(N - 1)).toBe(true);
    expect(await idAt(N - 1)).toBe((await tileLabels(page)).get(N - 1)?.id);
    await page.screenshot({ path: screenshotPath('dataset-100k-end.png') });

    // Fast scrolling through the whole list settles on the right window.
    for (let k = 1; k <= 20; k++) await grid.evaluate((el, f) => (el.scrollTop = el.scrollHeight * f), k / 21);
    await grid.evaluate((el) => (el.scrollTop = el.scrollHeight / 4));
    // The tile in the middle of the screen, once the grid has drawn the window it scrolled to (the scroll
    // event, and so the redraw, comes on a later frame than the scrollTop assignment).
    const tileAtMiddle = () =>
      page.evaluate(() => {
        const grid = document.querySelector<HTMLElement>('[data-testid=grid]')!;
        const mid = grid.getBoundingClientRect().top + grid.clientHeight / 2;
        const t = [...grid.querySelectorAll<HTMLElement>('[data-testid=tile]')].find((el) => Math.abs(el.getBoundingClientRect().top - mid) < 60);
        return t ? Number(t.dataset.index) : -1;
      });
    await expect.poll(tileAtMiddle, { timeout: 10_000 }).toBeGreaterThanOrEqual(0);
    const quarter = await tileAtMiddle();
    expect(Math.abs(quarter - N / 4)).toBeLessThan(200);
    await expectTilesMatchCore(quarter);
    expect(app.consoleErrors).toEqual([]);
  });

  it(`shows a relabel key press in the grid within ${P95_BOUND_MS} ms (p95 over ${PRESSES} presses)`, async () => {
    const { page } = app;
    const grid = page.getByTestId('grid');
    await grid.evaluate((el) => (el.scrollTop = 0));
    await expectTilesMatchCore(0);
    await page.locator('[data-testid=tile][data-index="0"]').click();

    // In the page: from the keydown (capture, before the app sees it) to the cursor tile's label text changing.
    await page.evaluate(() => {
      const w = window as unknown as { latencies: number[] };
      w.latencies = [];
      document.addEventListener(
        'keydown',
        (e) => {
          const tile = document.querySelector<HTMLElement>('[data-testid=tile].cursor');
          const span = tile?.querySelector('[data-testid=tile-label]');
          if (!span || e.key.length !== 1) return;
          const want = e.key.toUpperCase();
          const t0 = performance.now();
          const mo = new MutationObserver(() => {
            if (span.textContent === want) {
              w.latencies.push(performance.now() - t0);
              mo.disconnect();
            }
          });
          mo.observe(span, { characterData: true, childList: true, subtree: true });
        },
        { capture: true },
      );
    });

    const expected = new Map<number, string>();
    for (let k = 0; k < WARMUP + PRESSES; k++) {
      const tile = await tileLabels(page);
      const current = tile.get(k)!;
      // A class different from the tile's label, so every press changes what is shown.
      const label = [...CLASSES.slice(10)].find((c, j) => j % 7 === k % 7 && c !== current.label) ?? (current.label === 'Z' ? 'Y' : 'Z');
      expected.set(current.id, label);
      await page.keyboard.press(label.toLowerCase());
      await page.waitForFunction((n) => (window as unknown as { latencies: number[] }).latencies.length >= n, k + 1, { timeout: 5000 });
    }
    const latencies = (await page.evaluate(() => (window as unknown as { latencies: number[] }).latencies)).slice(WARMUP);
    const p50 = percentile(latencies, 50);
    const p95 = percentile(latencies, 95);
    console.log(
      `relabel key → grid update over ${latencies.length} presses at ${N} samples: p50 ${p50.toFixed(1)} ms, p95 ${p95.toFixed(1)} ms, max ${Math.max(...latencies).toFixed(1)} ms`,
    );
    expect(latencies).toHaveLength(PRESSES);
    expect(p95).toBeLessThanOrEqual(P95_BOUND_MS);

    // The core has every label (the optimistic view was reconciled, not just drawn).
    await expect
      .poll(async () => {
        const got = await Promise.all([...expected.keys()].map((id) => app.call('dataset.sample', { id })));
        return got.every((s) => s.label === expected.get(s.id));
      })
      .toBe(true);
    const tiles = await tileLabels(page);
    for (let k = 0; k < WARMUP + PRESSES; k++) {
      const t = tiles.get(k)!;
      expect(t.label).toBe(expected.get(t.id));
    }
    expect(app.consoleErrors).toEqual([]);
  });
});
