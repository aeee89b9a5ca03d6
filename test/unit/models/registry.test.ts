import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { buildModel } from '../../../main/core/ml/model';
import { writeModelMetadata } from '../../../main/core/models/metadata';
import { loadLayersModelFromDir } from '../../../main/core/ml/inference/tfjs-files';
import { saveLayersModel } from '../../../main/core/models/model-files';
import { defaultModelDir } from '../../../main/core/models/bundled';
import { tmpCore, tmpDir } from '../../helpers/tmp';

const scratch = tmpDir();
let modelDir = '';

beforeAll(async () => {
  await tf.setBackend('cpu');
  modelDir = path.join(scratch.dir, 'src-model');
  const model = buildModel({ filters: [4], dense: [8], inputSize: 12 }, 3);
  await saveLayersModel(model, modelDir);
  const perClass = ['a', 'b', 'c'].map((label, i) => ({ label, precision: 0.5 + i / 10, recall: 0.6, f1: 0.55, support: 10 }));
  writeModelMetadata(modelDir, {
    name: 'hand made',
    classes: 'abc',
    inputSize: 12,
    config: { epochs: 1 },
    modelConfig: { filters: [4] },
    backend: 'cpu',
    data: { counts: { train: { a: 1 } }, total: 1, hash: 'x' },
    metrics: { test: { split: 'test', samples: 30, accuracy: 0.6, loss: 1, perClass, confusion: [] } },
    history: [],
  });
  model.dispose();
});
afterAll(() => scratch.cleanup());

describe('model registry', () => {
  it('imports, lists, exports, re-imports, compares, activates and deletes models', async () => {
    const a = tmpCore();
    const b = tmpCore();
    try {
      const imported = await a.call('models.import', { dir: modelDir });
      expect(imported).toMatchObject({ name: 'hand made', classes: 'abc', inputSize: 12, backend: 'cpu', accuracy: 0.6, active: false });
      // Metrics saved without macro-F1 (older files): the mean F1 of the classes with samples.
      expect(imported).toMatchObject({ figuresSplit: 'test' });
      expect(imported.macroF1).toBeCloseTo(0.55, 10);
      expect(path.dirname(imported.dir)).toBe(path.join(a.dir, 'models'));
      expect(path.basename(imported.dir)).toBe(`${imported.id}-hand-made`);

      const out = path.join(scratch.dir, 'exported');
      expect(await a.call('models.export', { id: imported.id, out })).toEqual({ dir: out });
      expect(fs.readdirSync(out).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
      await expect(a.call('models.export', { id: imported.id, out })).rejects.toMatchObject({ type: 'conflict' });

      // The exported folder loads as a tfjs LayersModel and registers in another data folder.
      const loaded = await loadLayersModelFromDir(out);
      expect(loaded.outputs[0]!.shape).toEqual([null, 3]);
      loaded.dispose();
      const again = await b.call('models.import', { dir: out, name: 'copy' });
      const detail = await b.call('models.get', { id: again.id });
      expect(detail).toMatchObject({ name: 'copy', classes: 'abc', inputSize: 12 });
      expect(detail.metrics?.test?.accuracy).toBe(0.6);
      expect(detail.dataset?.hash).toBe('x');

      const second = await a.call('models.import', { dir: out, name: 'second' });
      const cmp = await a.call('models.compare', { a: imported.id, b: second.id });
      expect(cmp.split).toBe('test');
      expect(cmp.accuracy).toEqual({ a: 0.6, b: 0.6 });
      expect(cmp.macroF1.a).toBeCloseTo(0.55, 10);
      expect(cmp.macroF1.b).toBeCloseTo(0.55, 10);
      expect(cmp.perClass.map((r) => [r.label, r.a?.precision, r.b?.precision])).toEqual([
        ['a', 0.5, 0.5],
        ['b', 0.6, 0.6],
        ['c', 0.7, 0.7],
      ]);

      const active = await a.call('models.setActive', { id: second.id });
      expect(active).toMatchObject({ model: { id: second.id, classes: 'abc' }, reason: null });
      expect((await a.call('models.list', {})).models.find((m) => m.id === second.id)?.active).toBe(true);
      expect(await a.call('models.delete', { id: second.id })).toEqual({ deleted: true });
      expect(fs.existsSync(second.dir)).toBe(false);
      // With the active model gone, the bundled default is used (pointed at a known folder here).
      process.env.GLYPHLAB_DEFAULT_MODEL = out;
      try {
        expect(defaultModelDir()).toBe(out);
        expect(await a.call('models.active', {})).toMatchObject({ model: { id: null, dir: out, classes: 'abc', name: 'hand made' }, reason: null });
      } finally {
        delete process.env.GLYPHLAB_DEFAULT_MODEL;
      }
      await expect(a.call('models.get', { id: second.id })).rejects.toMatchObject({ type: 'not_found' });
    } finally {
      await a.close();
      await b.close();
    }
  });

  it('answers "no model yet" without an error, and lists the bundled default as a read-only entry', async () => {
    const env = tmpCore();
    const saved = process.env.GLYPHLAB_DEFAULT_MODEL;
    try {
      // No bundled model (pointed at an empty folder) and nothing trained: a state, not a failure.
      process.env.GLYPHLAB_DEFAULT_MODEL = path.join(scratch.dir, 'no-default-here');
      const none = await env.call('models.active', {});
      expect(none.model).toBeNull();
      expect(none.reason).toMatch(/No model yet/);
      expect(await env.call('models.setActive', { id: null })).toEqual(none);
      expect(await env.call('models.list', {})).toEqual({ models: [], bundled: null });

      // The bundled default: listed read-only with its figures, active while nothing else is.
      process.env.GLYPHLAB_DEFAULT_MODEL = modelDir;
      const list = await env.call('models.list', {});
      expect(list.models).toEqual([]);
      expect(list.bundled).toMatchObject({ name: 'hand made', dir: modelDir, classes: 'abc', inputSize: 12, accuracy: 0.6, figuresSplit: 'test', active: true, readOnly: true });
      expect(list.bundled!.macroF1).toBeCloseTo(0.55, 10);
      const mine = await env.call('models.import', { dir: modelDir, name: 'mine' });
      await env.call('models.setActive', { id: mine.id });
      const after = await env.call('models.list', {});
      expect(after.bundled?.active).toBe(false);
      expect(after.models.map((m) => [m.name, m.active])).toEqual([['mine', true]]);
      expect((await env.call('models.active', {})).model?.id).toBe(mine.id);

      // An unreadable bundled metadata.json is reported as the reason, not thrown.
      const broken = path.join(scratch.dir, 'broken-default');
      fs.mkdirSync(broken, { recursive: true });
      fs.writeFileSync(path.join(broken, 'metadata.json'), '{"classes": 5}');
      process.env.GLYPHLAB_DEFAULT_MODEL = broken;
      await env.call('models.setActive', { id: null });
      const bad = await env.call('models.active', {});
      expect(bad.model).toBeNull();
      expect(bad.reason).toContain(path.join(broken, 'metadata.json'));
      expect((await env.call('models.list', {})).bundled).toBeNull();
    } finally {
      if (saved === undefined) delete process.env.GLYPHLAB_DEFAULT_MODEL;
      else process.env.GLYPHLAB_DEFAULT_MODEL = saved;
      await env.close();
    }
  });

  it('refuses folders that are not glyphlab models, naming the file and keeping what is stored', async () => {
    const env = tmpCore();
    try {
      const bad = path.join(scratch.dir, 'bad');
      fs.cpSync(modelDir, bad, { recursive: true });
      fs.writeFileSync(path.join(bad, 'metadata.json'), '{"classes": "aa", "inputSize": 12}');
      await expect(env.call('models.import', { dir: bad })).rejects.toMatchObject({
        type: 'bad_input',
        message: expect.stringContaining(path.join(bad, 'metadata.json')),
      });
      fs.rmSync(path.join(bad, 'weights.bin'));
      fs.writeFileSync(path.join(bad, 'metadata.json'), '{"classes": "ab", "inputSize": 12}');
      await expect(env.call('models.import', { dir: bad })).rejects.toMatchObject({ type: 'bad_input', message: expect.stringMatching(/weights\.bin/) });
      await expect(env.call('models.import', { dir: path.join(scratch.dir, 'nope') })).rejects.toMatchObject({ type: 'not_found' });
      expect((await env.call('models.list', {})).models).toEqual([]);
      const models = path.join(env.dir, 'models');
      expect(fs.existsSync(models) ? fs.readdirSync(models) : []).toEqual([]);
    } finally {
      await env.close();
    }
  });
});

describe('training runs left behind', () => {
  it('marks runs of ended processes interrupted, and leaves those of live ones running', async () => {
    const { dir, cleanup } = tmpDir();
    try {
      const dbPath = path.join(dir, 'glyphlab.db');
      const { openDatabase } = await import('../../../main/core/db/open');
      const db = openDatabase(dbPath);
      const os = await import('node:os');
      const insert = db.prepare(`INSERT INTO training_runs (status, config, backend, started_at) VALUES ('running', ?, 'wasm', 1)`);
      const cfg = (pid: number) => JSON.stringify({ name: `pid ${pid}`, config: { epochs: 1 }, owner: { pid, host: os.hostname() } });
      insert.run(cfg(process.pid));
      insert.run(cfg(2 ** 22 + 12345)); // above Linux's pid_max: never a live process
      db.close();
      const env = tmpCore({ dataDir: dir, dbPath });
      try {
        const runs = await env.call('training.runs', {});
        expect(runs.map((r) => [r.name, r.status])).toEqual([
          [`pid ${2 ** 22 + 12345}`, 'interrupted'],
          [`pid ${process.pid}`, 'running'],
        ]);
      } finally {
        await env.core.close();
      }
    } finally {
      cleanup();
    }
  });
});
