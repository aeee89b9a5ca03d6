import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadLayersModelFromDir } from '../../../main/core/ml/inference/tfjs-files';
import { exportOnnxToDir } from '../../../main/core/ml/onnx';
import { classifierFor, ocrModelDir } from '../../../main/core/ocr/model';
import { makeUntrainedModel } from '../../helpers/model-fixture';
import { tmpCore, tmpDir } from '../../helpers/tmp';
import { pageSvg, renderPng } from './fixtures';

/** Which model folder OCR reads with: the one asked for, else the active one, else the bundled default. */
describe('OCR model resolution', () => {
  const tmp = tmpDir();
  let env: ReturnType<typeof tmpCore>;
  let bundled: string;
  let trained: string;
  let pagePath: string;
  const savedEnv = process.env.GLYPHLAB_DEFAULT_MODEL;

  beforeAll(async () => {
    // The "bundled" model has no model.onnx (tfjs reads it); the person's model has one (onnxruntime).
    bundled = await makeUntrainedModel(path.join(tmp.dir, 'bundled'));
    trained = await makeUntrainedModel(path.join(tmp.dir, 'trained'));
    const m = await loadLayersModelFromDir(trained);
    exportOnnxToDir(m, trained, { classes: '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ' });
    m.dispose();
    process.env.GLYPHLAB_DEFAULT_MODEL = bundled;
    env = tmpCore();
    pagePath = path.join(tmp.dir, 'page.png');
    fs.writeFileSync(pagePath, await renderPng(pageSvg({ lines: ['AB12'] })));
  });
  afterAll(async () => {
    await env.close();
    tmp.cleanup();
    if (savedEnv === undefined) delete process.env.GLYPHLAB_DEFAULT_MODEL;
    else process.env.GLYPHLAB_DEFAULT_MODEL = savedEnv;
  });

  it('reads with the bundled default while no model is active (tfjs: it has no model.onnx)', async () => {
    const r = await env.call('ocr.run', { paths: [pagePath] });
    expect(r.model.dir).toBe(bundled);
    expect(r.model.runtime).toBe('tfjs');
    expect(ocrModelDir(null)).toBe(bundled);
  });

  it('reads with the active model once one is set, and with the default again when it is unset', async () => {
    const summary = await env.call('models.import', { dir: trained, name: 'mine' });
    const state = await env.call('models.setActive', { id: summary.id });
    const activeDir = state.model!.dir;
    expect(activeDir).not.toBe(bundled);
    const r = await env.call('ocr.run', { paths: [pagePath] });
    expect(r.model.dir).toBe(activeDir);
    expect(r.model.runtime).toBe('onnxruntime');
    // An explicit folder wins over the active model.
    const explicit = await env.call('ocr.run', { paths: [pagePath], model: bundled });
    expect(explicit.model.dir).toBe(bundled);
    await env.call('models.setActive', { id: null });
    expect((await env.call('ocr.run', { paths: [pagePath] })).model.dir).toBe(bundled);
  });

  it('an active model whose folder is gone falls back to the default', async () => {
    const summary = await env.call('models.import', { dir: trained, name: 'short-lived' });
    const state = await env.call('models.setActive', { id: summary.id });
    fs.rmSync(state.model!.dir, { recursive: true, force: true });
    expect((await env.call('ocr.run', { paths: [pagePath] })).model.dir).toBe(bundled);
  });

  it('without an active model or a bundled default: not_found that says how to get one', async () => {
    process.env.GLYPHLAB_DEFAULT_MODEL = path.join(tmp.dir, 'nothing-here');
    try {
      await expect(env.call('ocr.run', { paths: [pagePath] })).rejects.toMatchObject({
        type: 'not_found',
        message: expect.stringMatching(/--model/),
      });
      expect(() => ocrModelDir(null)).toThrow(/not installed/);
    } finally {
      process.env.GLYPHLAB_DEFAULT_MODEL = bundled;
    }
  });

  it('loads a folder once and again only when its files change', async () => {
    const dir = path.join(tmp.dir, 'reload');
    fs.cpSync(trained, dir, { recursive: true });
    const a = await classifierFor(dir);
    const b = await classifierFor(dir);
    expect(b.classifier).toBe(a.classifier);
    expect(a.classifier.runtime).toBe('onnxruntime');
    // The ONNX file goes away (a re-export in progress, a copy without it): tfjs takes over.
    fs.rmSync(path.join(dir, 'model.onnx'));
    const c = await classifierFor(dir);
    expect(c.classifier).not.toBe(a.classifier);
    expect(c.classifier.runtime).toBe('tfjs');
    await expect(classifierFor(path.join(tmp.dir, 'nope'))).rejects.toMatchObject({ type: 'not_found', message: expect.stringContaining('nope') });
  });
});
