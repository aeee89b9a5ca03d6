import path from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openDatabase } from '../../../main/core/db/open';
import { decodeGrayPng } from '../../../main/core/imaging/png';
import { tmpCore } from '../../helpers/tmp';
import { type Summary, tile, waitJob, writeIdx } from './fixtures';

let t: ReturnType<typeof tmpCore>;
let ids: number[];
// 12 samples: labels A,B,C repeating; batch 1 = first 8 (train split forced), batch 2 = last 4 (test split).
beforeEach(async () => {
  t = tmpCore();
  const a = writeIdx(path.join(t.dir, 'one'), 'first', Array.from({ length: 8 }, (_, i) => tile(i)), [10, 11, 12, 10, 11, 12, 10, 11]);
  const b = writeIdx(path.join(t.dir, 'two'), 'second', Array.from({ length: 4 }, (_, i) => tile(100 + i)), [12, 10, 11, 12]);
  await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [a.images], split: 'train' }));
  await waitJob<Summary>(t.core, () => t.call('dataset.import', { paths: [b.images], split: 'test' }));
  ids = (await t.call('dataset.ids', { sort: 'oldest' })).ids;
});
afterEach(async () => {
  await t.close();
});

/** Adds a model with predictions: confidence i/12 for sample i; predicted label 'A' for all. */
function addPredictions(modelName: string, createdAt: number, confidence: (i: number) => number) {
  const db = openDatabase(t.core.dbPath);
  try {
    const modelId = Number(
      db
        .prepare(`INSERT INTO models (name, dir, classes, input_size, config, backend, created_at) VALUES (?, 'x', 'ABC', 28, '{}', 'cpu', ?)`)
        .run(modelName, createdAt).lastInsertRowid,
    );
    const ins = db.prepare(`INSERT INTO predictions (sample_id, model_id, label, confidence, top3) VALUES (?, ?, 'A', ?, '[]')`);
    ids.forEach((id, i) => ins.run(id, modelId, confidence(i)));
    return modelId;
  } finally {
    db.close();
  }
}

describe('dataset.query', () => {
  it('windows newest and oldest first with thumbnails that decode as 28x28 PNGs', async () => {
    const w = await t.call('dataset.query', { sort: 'newest', offset: 2, limit: 3 });
    expect(w.total).toBe(12);
    expect(w.rows.map((r) => r.id)).toEqual([ids[9], ids[8], ids[7]]);
    const png = decodeGrayPng(Buffer.from(w.rows[0]!.thumb!, 'base64'));
    expect(Buffer.from(png.px).equals(Buffer.from(tile(101)))).toBe(true);
    const o = await t.call('dataset.query', { sort: 'oldest', offset: 10, limit: 5, thumbs: false });
    expect(o.rows.map((r) => r.id)).toEqual([ids[10], ids[11]]);
    expect(o.rows[0]!.thumb).toBeUndefined();
  });

  it('filters by labels, splits, batches, source and unlabeled, and sorts by label', async () => {
    const q = async (filter: object, sort: 'oldest' | 'label' = 'oldest') =>
      (await t.call('dataset.query', { filter, sort, thumbs: false, limit: 100 })).rows.map((r) => r.id);
    expect(await q({ labels: ['A'] })).toEqual([ids[0], ids[3], ids[6], ids[9]]);
    expect(await q({ splits: ['test'] })).toEqual(ids.slice(8));
    const stats = await t.call('dataset.stats', {});
    const second = stats.batches.find((b) => b.source.includes('second'))!;
    expect(await q({ batches: [second.id] })).toEqual(ids.slice(8));
    expect(await q({ source: 'first-images-idx3-ubyte#7' })).toEqual([ids[7]]);
    expect(await q({ ids: [ids[5]!, ids[2]!, 999_999] })).toEqual([ids[2], ids[5]]);
    expect(await q({ ids: [] })).toEqual([]);
    expect(await q({ ids: [ids[0]!, ids[9]!], labels: ['A'], splits: ['test'] })).toEqual([ids[9]]);
    expect(await q({ source: '%' })).toEqual([]); // LIKE wildcards are literal
    await t.call('dataset.relabel', { ids: [ids[1]!], label: null });
    expect(await q({ unlabeled: true })).toEqual([ids[1]]);
    expect(await q({ labels: ['C'], unlabeled: true })).toEqual([ids[1], ids[2], ids[5], ids[8], ids[11]]);
    expect(await q({ labels: ['A', 'B'], splits: ['train'] }, 'label')).toEqual([ids[0], ids[3], ids[6], ids[4], ids[7]]);
    const all = await t.call('dataset.ids', { filter: { labels: ['B'] }, sort: 'newest' });
    expect(all.ids).toEqual([ids[10], ids[7], ids[4]]);
  });

  it('filters by confidence and disagreement of the most recent model, and sorts by confidence', async () => {
    expect((await t.call('dataset.query', { filter: { disagree: true } })).total).toBe(0); // no model yet
    addPredictions('old', 1000, () => 0.99);
    addPredictions('new', 2000, (i) => i / 12);
    const q = await t.call('dataset.query', { filter: { minConfidence: 0.5, maxConfidence: 0.75 }, sort: 'oldest', thumbs: false });
    expect(q.rows.map((r) => r.id)).toEqual([ids[6], ids[7], ids[8], ids[9]]);
    expect(q.rows[0]).toMatchObject({ predicted: 'A', confidence: 0.5 });
    const dis = await t.call('dataset.ids', { filter: { disagree: true }, sort: 'oldest' });
    expect(dis.ids).toEqual(ids.filter((_, i) => ![0, 3, 6, 9].includes(i)));
    const byConf = await t.call('dataset.query', { sort: 'confidence', limit: 3, thumbs: false });
    expect(byConf.rows.map((r) => r.id)).toEqual([ids[0], ids[1], ids[2]]);
    const detail = await t.call('dataset.sample', { id: ids[3]! });
    expect(detail.predictions.map((p) => p.confidence)).toEqual([0.25, 0.99]);
  });

  it('rejects bad windows through validation and answers not_found for unknown samples', async () => {
    await expect(t.call('dataset.query', { limit: 5000 })).rejects.toMatchObject({ type: 'validation' });
    await expect(t.call('dataset.sample', { id: 123456 })).rejects.toMatchObject({ type: 'not_found' });
  });
});
