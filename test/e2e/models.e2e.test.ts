import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Browser } from 'playwright-core';
import type { EvaluationResult } from '../../main/common/contract';
import { encodeGrayPng } from '../../main/core/imaging/png';
import { Rng } from '../../main/core/training/rng';
import { browserSkipReason, launchChromium, openApp, screenshotPath } from '../helpers/browser';
import { importToyDataset, jobResult, toyShape } from '../helpers/toy-dataset';

const skip = browserSkipReason();
if (skip) console.log(`[models e2e] skipped: ${skip}`);

describe.skipIf(skip !== null)('Models view in Chromium over the bridge', () => {
  let browser: Browser;
  beforeAll(async () => {
    browser = await launchChromium();
  });
  afterAll(async () => {
    await browser?.close();
  });

  it('evaluates a model: figures, per-class table, confusion matrix; a cell opens its samples, relabeled by keyboard', async () => {
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await importToyDataset(app, { train: 30, validation: 6, test: 8 });
      // Four crosses filed as 'O' in the test split: a model that learned the shapes reads them as 'X'.
      const wrong = path.join(app.dir, 'mislabeled', 'O');
      fs.mkdirSync(wrong, { recursive: true });
      const rng = new Rng(99);
      for (let i = 0; i < 4; i++) fs.writeFileSync(path.join(wrong, `${i}.png`), encodeGrayPng(toyShape('X', 28, rng), 28, 28));
      await jobResult(app.core, app.call('dataset.import', { paths: [path.dirname(wrong)], split: 'test', format: 'folder' }));

      await jobResult(
        app.core,
        app.call('training.start', {
          name: 'toy shapes',
          config: { epochs: 4, batchSize: 16, inputSize: 16, learningRate: 0.005, patience: 0, augment: { enabled: false }, model: { filters: [8, 16], dense: [32], dropout: 0 } },
        }),
      );
      const [model] = (await app.call('models.list', {})).models;

      await page.getByRole('button', { name: 'Models', exact: true }).click();
      const row = page.locator('[data-testid="model-row"]', { hasText: 'toy shapes' });
      await row.waitFor();
      await row.click();
      expect(await row.textContent()).toMatch(/train 90/);

      await page.getByTestId('evaluate').click();
      await page.getByTestId('eval-accuracy').waitFor({ timeout: 30_000 });
      const result = (await app.call('evaluation.result', { modelId: model!.id, split: 'test' })) as EvaluationResult;
      expect(result.n).toBe(28);
      expect(await page.getByTestId('eval-accuracy').textContent()).toBe(`${(result.accuracy * 100).toFixed(2)}%`);
      expect(await page.getByTestId('eval-macro-f1').textContent()).toBe(`${(result.macroF1 * 100).toFixed(2)}%`);

      // The per-class table lists the classes with samples, and sorts by a column.
      const labelsShown = () => page.getByTestId('class-row').evaluateAll((rows) => rows.map((r) => r.getAttribute('data-label')));
      expect((await labelsShown()).sort()).toEqual(['I', 'O', 'X']);
      await page.getByTestId('sort-support').click();
      const bySupport = result.perClass.filter((c) => c.support > 0).sort((a, b) => a.support - b.support || result.classes.indexOf(a.label) - result.classes.indexOf(b.label));
      expect(await labelsShown()).toEqual(bySupport.map((c) => c.label));
      await page.getByTestId('sort-support').click();
      expect(await labelsShown()).toEqual(
        result.perClass.filter((c) => c.support > 0).sort((a, b) => b.support - a.support || result.classes.indexOf(a.label) - result.classes.indexOf(b.label)).map((c) => c.label),
      );

      // The matrix: the classes that occur on both axes, counts adding up to the samples evaluated.
      const cells = page.getByTestId('cm-cell');
      const shown = Number(await page.getByTestId('confusion-matrix').getAttribute('data-classes'));
      expect(await cells.count()).toBe(shown * shown);
      const counts = await cells.evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-count'))));
      expect(counts.reduce((a, b) => a + b, 0)).toBe(result.n);

      // The cell to open: the biggest mistake (the mislabeled crosses), else the 'O' diagonal.
      const target = [...result.cells].filter((c) => c.true !== c.predicted).sort((a, b) => b.ids.length - a.ids.length)[0]
        ?? result.cells.find((c) => c.true === 'O' && c.predicted === 'O')!;
      const cell = page.locator(`[data-testid="cm-cell"][data-true="${target.true}"][data-predicted="${target.predicted}"]`);
      await cell.hover();
      await page.getByTestId('cm-tooltip').waitFor();
      expect(await page.getByTestId('cm-tooltip').textContent()).toContain(`: ${target.ids.length}`);
      await cell.click();
      await page.getByTestId('gallery-tile').first().waitFor();
      const ids = await page.getByTestId('gallery-tile').evaluateAll((els) => els.map((e) => Number(e.getAttribute('data-id'))));
      expect(ids).toEqual(target.ids);
      await page.screenshot({ path: screenshotPath('models-confusion.png'), fullPage: true });

      // Keyboard relabel: select the first tile, type the class character.
      const newLabel = target.true === 'O' ? 'X' : 'I';
      await page.getByTestId('gallery-tile').first().click();
      await page.keyboard.press(newLabel.toLowerCase());
      await page.locator(`[data-testid="gallery-tile"][data-id="${ids[0]}"][data-label="${newLabel}"]`).waitFor();
      expect((await app.call('dataset.sample', { id: ids[0]! })).label).toBe(newLabel);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      await app.close();
    }
  }, 90_000);

  it('sets the active model, exports and imports a folder, compares two versions and deletes one', async () => {
    const savedDefault = process.env.GLYPHLAB_DEFAULT_MODEL;
    // No bundled model yet (the core runs in this process): the view says so as a hint, not an error.
    process.env.GLYPHLAB_DEFAULT_MODEL = path.join(process.cwd(), 'no-bundled-model-here');
    const app = await openApp({ browser });
    try {
      const { page } = app;
      await page.getByRole('button', { name: 'Models', exact: true }).click();
      await page.getByTestId('no-model-hint').waitFor();
      expect(await page.getByTestId('no-model-hint').textContent()).toMatch(/No model yet/);
      expect(await page.getByTestId('active-model').textContent()).toMatch(/no model yet/);
      expect(await page.getByTestId('models-error').count()).toBe(0);
      await page.getByRole('button', { name: 'Dataset', exact: true }).click();
      await importToyDataset(app, { train: 12, validation: 4 }, { seed: 3 });
      await jobResult(
        app.core,
        app.call('training.start', {
          name: 'first',
          config: { epochs: 1, batchSize: 16, inputSize: 12, augment: { enabled: false }, model: { filters: [4], dense: [8], dropout: 0 } },
        }),
      );
      const [model] = (await app.call('models.list', {})).models;
      await page.getByRole('button', { name: 'Models', exact: true }).click();
      await page.locator('[data-testid="model-row"]', { hasText: 'first' }).click();

      // Accuracy and macro-F1 per version, as the registry reports them.
      const firstRow = page.locator('[data-testid="model-row"]', { hasText: 'first' });
      const cells = await firstRow.locator('td').allTextContents();
      expect(model!.macroF1).not.toBeNull();
      expect(cells[4]).toBe(`${(model!.accuracy! * 100).toFixed(1)}% (val)`);
      expect(cells[5]).toBe(`${(model!.macroF1! * 100).toFixed(1)}%`);

      await page.getByTestId('set-active').click();
      await page.locator('[data-testid="model-row"]', { hasText: 'first' }).getByTestId('active-mark').waitFor();
      expect((await app.call('models.active', {})).model?.id).toBe(model!.id);
      expect(await page.getByTestId('no-model-hint').count()).toBe(0);

      // Browser mode: Export downloads one archive, Import uploads it (no path on the server's disk).
      const [download] = await Promise.all([page.waitForEvent('download'), page.getByTestId('export-archive').click()]);
      expect(download.suggestedFilename()).toBe('first.glyphlab-model.zip');
      const archive = path.join(app.dir, 'first.zip');
      await download.saveAs(archive);

      // A folder copy (the CLI's and the desktop app's export) stands in for the bundled default: listed after the registry, read-only.
      const out = `${app.dir}/exported-first`;
      await app.call('models.export', { id: model!.id, out });
      expect(fs.existsSync(path.join(out, 'metadata.json'))).toBe(true);
      process.env.GLYPHLAB_DEFAULT_MODEL = out;
      await page.getByTestId('import-model').click();
      await page.getByTestId('import-archive').setInputFiles(archive);
      await page.getByLabel('Name', { exact: true }).fill('imported copy');
      await page.getByRole('button', { name: 'Import', exact: true }).click();
      await page.locator('[data-testid="model-row"]', { hasText: 'imported copy' }).waitFor();
      expect(((await app.call('models.list', {})).models).map((m) => m.name).sort()).toEqual(['first', 'imported copy']);
      const bundledRow = page.getByTestId('bundled-row');
      await bundledRow.waitFor();
      expect(await bundledRow.textContent()).toContain('default · read-only');
      expect(await bundledRow.getByTestId('active-mark').count()).toBe(0);
      expect(await bundledRow.locator('td').nth(5).textContent()).toBe(`${(model!.macroF1! * 100).toFixed(1)}%`);
      await page.screenshot({ path: screenshotPath('models-registry.png') });

      // Two versions side by side: the same weights, so the same figures per class.
      await page.getByLabel('First model').selectOption({ label: 'first' });
      await page.getByLabel('Second model').selectOption({ label: 'imported copy' });
      await page.getByTestId('compare-run').click();
      await page.getByTestId('compare-table').waitFor();
      const cmp = await app.call('models.compare', { a: model!.id, b: ((await app.call('models.list', {})).models).find((m) => m.name === 'imported copy')!.id });
      const rows = page.getByTestId('compare-table').locator('tbody tr');
      expect(await rows.count()).toBe(cmp.perClass.filter((r) => (r.a?.support ?? 0) > 0 || (r.b?.support ?? 0) > 0).length);
      expect(await rows.count()).toBeGreaterThan(0);
      for (const d of await rows.locator('td:last-child').allTextContents()) expect(d).toBe('0.0');

      // Delete the copy after a confirmation.
      await page.locator('[data-testid="model-row"]', { hasText: 'imported copy' }).click();
      await page.getByTestId('delete-model').click();
      await page.getByTestId('confirm-delete').click();
      await page.locator('[data-testid="model-row"]', { hasText: 'imported copy' }).waitFor({ state: 'detached' });
      expect(((await app.call('models.list', {})).models).map((m) => m.name)).toEqual(['first']);
      expect(app.consoleErrors).toEqual([]);
    } finally {
      if (savedDefault === undefined) delete process.env.GLYPHLAB_DEFAULT_MODEL;
      else process.env.GLYPHLAB_DEFAULT_MODEL = savedDefault;
      await app.close();
    }
  }, 90_000);
});
