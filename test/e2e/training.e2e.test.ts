import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { importToyDataset } from '../helpers/toy-dataset';

const skip = browserSkipReason();
if (skip) console.log(`[training e2e] skipped: ${skip}`);

/** What the dashboard showed, sampled every animation frame in the page. */
interface Trace {
  points: number[];
  epochs: string[];
  updates: number[];
}

describe.skipIf(skip !== null)('Training view in Chromium over the bridge', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('trains from the UI: the curves and counters update live, the run finishes and its model is listed', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await importToyDataset(app, { train: 40, validation: 10 });
      await page.getByRole('button', { name: 'Training', exact: true }).click();
      await page.getByRole('heading', { name: 'Training', level: 1 }).waitFor();

      // The augmentation preview shows a few training samples, each with its augmented versions.
      await page.getByTestId('augment-row').first().waitFor();
      expect(await page.getByTestId('augment-row').count()).toBe(3);
      expect(await page.getByTestId('augment-row').first().locator('img').count()).toBe(7);
      const filter = await page.getByTestId('augment-row').first().locator('img').first().evaluate((el) => getComputedStyle(el).filter);
      expect(filter).toContain('invert(1)');

      await page.getByTestId('train-name').fill('ui toy run');
      await page.getByTestId('train-epochs').fill('3');
      await page.getByTestId('train-batch').fill('8');
      await page.getByTestId('train-input').fill('20');
      await page.getByTestId('train-patience').fill('0');
      await page.getByTestId('train-lr').fill('0.003');
      await page.getByTestId('train-network').selectOption('small');

      // Trace the dashboard from the page itself, so fast epochs are not missed between polls.
      await page.evaluate(() => {
        const w = window as unknown as { __trace: Trace; __canvas: Element | null };
        w.__trace = { points: [], epochs: [], updates: [] };
        w.__canvas = document.querySelector('[data-testid="loss-chart"] canvas');
        const tick = () => {
          const fig = document.querySelector('[data-testid="loss-chart"]');
          const p = Number(fig?.getAttribute('data-points') ?? 0);
          const u = Number(fig?.getAttribute('data-updates') ?? 0);
          const e = document.querySelector('[data-testid="epoch-counter"]')?.textContent ?? '';
          const t = w.__trace;
          if (t.points.at(-1) !== p) t.points.push(p);
          if (t.updates.at(-1) !== u) t.updates.push(u);
          if (e && t.epochs.at(-1) !== e) t.epochs.push(e);
          requestAnimationFrame(tick);
        };
        tick();
      });

      await page.getByTestId('start-training').click();
      await page.getByTestId('cancel-training').waitFor();
      await page
        .locator('[data-testid="live-stats"][data-status="done"]')
        .waitFor({ timeout: 60_000 })
        .catch(async (e) => {
          await page.screenshot({ path: screenshotPath('training-dashboard-timeout.png') });
          throw e;
        });

      const trace = (await page.evaluate(() => (window as unknown as { __trace: Trace }).__trace)) as Trace;
      // The points grew over several updates, never shrinking, and the epoch counter went 1/3 → 3/3.
      expect(trace.points.filter((p) => p > 0).length, JSON.stringify(trace)).toBeGreaterThanOrEqual(3);
      expect([...trace.points].sort((a, b) => a - b)).toEqual(trace.points);
      expect(trace.epochs).toEqual(expect.arrayContaining(['1/3', '2/3', '3/3']));
      expect(trace.epochs.indexOf('1/3')).toBeLessThan(trace.epochs.indexOf('3/3'));
      // The same chart was updated in place, not re-created.
      expect(await page.evaluate(() => (window as unknown as { __canvas: Element | null }).__canvas?.isConnected)).toBe(true);
      expect(trace.updates.length).toBeGreaterThanOrEqual(3);

      const runs = await app.call('training.runs', {});
      expect(runs[0]).toMatchObject({ name: 'ui toy run', status: 'done' });
      expect(runs[0]!.config).toMatchObject({ epochs: 3, batchSize: 8, inputSize: 20, patience: 0, learningRate: 0.003 });
      // Validation loss points, one per epoch, are part of the final curve.
      const finalPoints = Number(await page.getByTestId('loss-chart').getAttribute('data-points'));
      expect(finalPoints).toBeGreaterThanOrEqual(2 * 3);
      // Three series, kept apart: per-batch moving average, epoch means, validation; the UI says what each is.
      const chart = page.getByTestId('loss-chart');
      expect(Number(await chart.getAttribute('data-epoch-points'))).toBe(3);
      expect(Number(await chart.getAttribute('data-val-points'))).toBe(3);
      expect(Number(await chart.getAttribute('data-smooth-points'))).toBeGreaterThanOrEqual(1);
      expect(await page.getByTestId('curve-explanation').textContent()).toMatch(/moving average.*epoch.*mean.*Validation/s);
      expect(await page.getByTestId('run-backend').textContent()).toBe(runs[0]!.backend);
      // The worker's own description: its threads and which of the project's kernels it runs on.
      expect(await page.getByTestId('run-backend-detail').textContent()).toMatch(/\d+ threads?; native kernels (on|off|not built)/);
      expect(await page.getByTestId('throughput').textContent()).toMatch(/samples\/s/);
      await page.getByTestId('run-model').waitFor();
      await page.screenshot({ path: screenshotPath('training-dashboard.png') });

      // The model it made is in the Models view.
      const models = (await app.call('models.list', {})).models;
      expect(models.map((m) => m.name)).toContain('ui toy run');

      // Fine-tuning: start a run from that model; its network and input size are the model's.
      const made = models.find((m) => m.name === 'ui toy run')!;
      await page.locator(`[data-testid="train-start"] option[value="${made.dir}"]`).waitFor({ state: 'attached' });
      // A model of other classes (the bundled default reads 0-9A-Z) is listed but cannot be chosen.
      const bundled = (await app.call('models.list', {})).bundled;
      expect(bundled, 'the bundled default model (resources/models/default)').not.toBeNull();
      expect(bundled!.classes).not.toBe(made.classes);
      const other = page.locator(`[data-testid="train-start"] option[value="${bundled!.dir}"]`);
      expect(await other.isDisabled()).toBe(true);
      expect(await other.textContent()).toContain('other classes');
      expect(await page.locator(`[data-testid="train-start"] option[value="${made.dir}"]`).isDisabled()).toBe(false);
      await page.getByTestId('train-start').selectOption(made.dir);
      expect(await page.getByTestId('train-network').isDisabled()).toBe(true);
      expect(await page.getByTestId('train-input').inputValue()).toBe('20');
      await page.getByTestId('train-name').fill('ui tuned run');
      await page.getByTestId('train-epochs').fill('1');
      await page.getByTestId('start-training').click();
      await page.getByTestId('cancel-training').waitFor();
      await page.locator('[data-testid="live-stats"][data-status="done"]').waitFor({ timeout: 60_000 });
      const tuned = (await app.call('training.runs', {})).find((r) => r.name === 'ui tuned run');
      expect(tuned).toMatchObject({ status: 'done', config: { initFrom: made.dir, inputSize: 20, model: { filters: [8, 16], dense: [32] } } });
      await page.screenshot({ path: screenshotPath('training-fine-tune.png') });
      await page.getByTestId('train-start').selectOption('');
      expect(await page.getByTestId('train-network').isDisabled()).toBe(false);

      await page.getByRole('button', { name: 'Models', exact: true }).click();
      await page.locator('[data-testid="model-row"]', { hasText: 'ui toy run' }).waitFor();
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 150_000);

  it('cancels a run, offers Resume for it, and finishes it from its checkpoint', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await importToyDataset(app, { train: 40, validation: 10 }, { seed: 5 });
      await page.getByRole('button', { name: 'Training', exact: true }).click();
      await page.getByTestId('train-name').fill('resumable run');
      // Small batches make epochs long enough to cancel in the second one, even on a fast machine.
      await page.getByTestId('train-epochs').fill('6');
      await page.getByTestId('train-batch').fill('4');
      await page.getByTestId('train-patience').fill('0');
      await page.getByTestId('train-network').selectOption('small');
      // Cancel as soon as the second epoch starts (the first one's checkpoint is written), from the page
      // itself so that no round trip lets a fast machine finish the run first.
      await page.evaluate(() => {
        const obs = new MutationObserver(() => {
          if (document.querySelector('[data-testid="epoch-counter"]')?.textContent === '2/6') {
            obs.disconnect();
            (document.querySelector('[data-testid="cancel-training"]') as HTMLButtonElement).click();
          }
        });
        obs.observe(document.body, { subtree: true, childList: true, characterData: true });
      });
      await page.getByTestId('start-training').click();
      await page.locator('[data-testid="live-stats"][data-status="cancelled"]').waitFor({ timeout: 30_000 });
      expect(await page.getByTestId('run-message').textContent()).toMatch(/cancelled/i);
      const [stopped] = await app.call('training.runs', {});
      expect(stopped).toMatchObject({ status: 'cancelled', resumable: true });
      expect(stopped!.history.length).toBeGreaterThanOrEqual(1);
      expect(stopped!.history.length).toBeLessThan(6);

      await page.getByTestId('resume-latest').click();
      await page.locator('[data-testid="live-stats"][data-status="done"]').waitFor({ timeout: 40_000 });
      expect(await page.getByTestId('epoch-counter').textContent()).toBe('6/6');
      const runs = await app.call('training.runs', {});
      expect(runs).toHaveLength(1);
      expect(runs[0]).toMatchObject({ id: stopped!.id, status: 'done', resumable: false });
      expect(runs[0]!.history.map((h) => h.epoch)).toEqual([1, 2, 3, 4, 5, 6]);
      expect(await page.getByTestId('resume-latest').count()).toBe(0);
    } finally {
      await app.close();
    }
  }, 90_000);

  it('warns before training on the cpu backend, starts nothing without a yes, and shows why a run fails', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Training', exact: true }).click();
      await page.getByTestId('train-backend').selectOption('cpu');
      await page.getByTestId('cpu-warning').waitFor();
      expect(await page.getByTestId('cpu-warning').textContent()).toMatch(/very slow/);
      await page.getByTestId('start-training').click();
      await page.getByTestId('slow-confirm').waitFor();
      await page.getByRole('button', { name: "Don't start" }).click();
      await page.getByTestId('slow-confirm').waitFor({ state: 'detached' });
      expect(await app.call('training.runs', {})).toEqual([]);

      // With the usual backend but nothing to learn from, the core's own message is shown.
      await page.getByTestId('train-backend').selectOption('auto');
      await page.getByTestId('start-training').click();
      const alert = page.locator('[data-testid="run-message"][role="alert"], [data-testid="training-error"]');
      await alert.first().waitFor({ timeout: 30_000 });
      const runs = await app.call('training.runs', {});
      const shown = (await alert.first().textContent()) ?? '';
      if (runs.length) {
        expect(runs[0]!.status).toBe('failed');
        expect(shown).toContain(runs[0]!.message);
      } else expect(shown).toMatch(/Cannot start the training: \S/);
    } finally {
      await app.close();
    }
  });
});
