import fs from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { tmpCore, tmpDir } from '../../helpers/tmp';
import type { EvaluationResult } from '../../../main/common/contract/evaluation';
import { randomPixels, writeRandomModelDir } from '../ml/onnx-fixtures';

const files = tmpDir();
let env: ReturnType<typeof tmpCore>;

function idxPair(dir: string, n: number, labels: number[], seed: number): string {
  const px = randomPixels(n, 28, seed);
  const head = Buffer.alloc(16);
  head.writeUInt32BE(0x803, 0);
  head.writeUInt32BE(n, 4);
  head.writeUInt32BE(28, 8);
  head.writeUInt32BE(28, 12);
  const images = path.join(dir, 'test-images-idx3-ubyte');
  fs.writeFileSync(images, Buffer.concat([head, Buffer.from(Uint8Array.from(px, (v) => Math.round(v * 255)))]));
  const lh = Buffer.alloc(8);
  lh.writeUInt32BE(0x801, 0);
  lh.writeUInt32BE(n, 4);
  fs.writeFileSync(path.join(dir, 'test-labels-idx1-ubyte'), Buffer.concat([lh, Buffer.from(labels)]));
  return images;
}

/** Resolves with the job's result when job.finished arrives (rejects on failure). */
function waitJob<R>(jobId: Promise<{ jobId: string }>): Promise<R> {
  return new Promise((resolve, reject) => {
    let id: string | null = null;
    const seen: { name: string; p: { id: string; status: string; result?: unknown; error?: { message: string } } }[] = [];
    const check = (name: string, p: (typeof seen)[number]['p']) => {
      if (name !== 'job.finished' || p.id !== id) return;
      off();
      if (p.status === 'done') resolve(p.result as R);
      else reject(new Error(p.error?.message ?? p.status));
    };
    const off = env.core.onEvent((name, payload) => {
      const p = payload as (typeof seen)[number]['p'];
      if (id === null) seen.push({ name, p });
      else check(name, p);
    });
    jobId.then((r) => {
      id = r.jobId;
      for (const s of seen) check(s.name, s.p);
    }, reject);
  });
}

let modelId: number;
const n = 40;
// '0'..'9' by class-set index; 36+ would be outside the dataset's class set, so all are valid here.
const labels = Array.from({ length: n }, (_, i) => i % 12);

beforeAll(async () => {
  env = tmpCore();
  const images = idxPair(files.dir, n, labels, 13);
  await waitJob(env.call('dataset.import', { paths: [images], split: 'test' }));
  // A 10-class model: samples labelled 'A' and 'B' (index 10, 11) are outside its classes.
  const dir = path.join(files.dir, 'model');
  await writeRandomModelDir(dir, { classes: '0123456789', seed: 5 });
  modelId = (await env.call('models.import', { dir, name: 'tiny' })).id;
});
afterAll(async () => {
  await env.close();
  files.cleanup();
});

describe('evaluation requests', () => {
  it('evaluates a split, returns cells with sample ids and stores predictions', async () => {
    const r = await waitJob<EvaluationResult>(env.call('evaluation.start', { modelId, split: 'test' }));
    const inClass = labels.filter((l) => l < 10).length;
    expect(r.n).toBe(inClass);
    expect(r.skipped.count).toBe(n - inClass);
    expect(r.skipped.byLabel).toEqual({ A: labels.filter((l) => l === 10).length, B: labels.filter((l) => l === 11).length });
    expect(r.confusion.flat().reduce((a, b) => a + b, 0)).toBe(inClass);
    // Cells partition the evaluated samples and agree with the matrix.
    const allIds = r.cells.flatMap((c) => c.ids);
    expect(new Set(allIds).size).toBe(inClass);
    for (const c of r.cells) expect(r.confusion[r.classes.indexOf(c.true)]![r.classes.indexOf(c.predicted)]).toBe(c.ids.length);
    expect(r.storedPredictions).toBe(inClass);

    const again = await env.call('evaluation.result', { modelId, split: 'test' });
    expect(again?.accuracy).toBe(r.accuracy);
    const first = r.cells[0]!;
    expect((await env.call('evaluation.cell', { modelId, split: 'test', true: first.true, predicted: first.predicted })).ids).toEqual(first.ids);
    await expect(env.call('evaluation.cell', { modelId, split: 'test', true: 'Z', predicted: '0' })).rejects.toMatchObject({ type: 'not_found' });

    // The sample's stored prediction agrees with its cell.
    const detail = await env.call('dataset.sample', { id: first.ids[0]! });
    const pred = detail.predictions.find((p) => p.modelId === modelId)!;
    expect(pred.label).toBe(first.predicted);
    expect(pred.top3).toHaveLength(3);
    expect(pred.top3[0]!.label).toBe(first.predicted);
  });

  it('has no result for a split not evaluated, and not_found for an unknown model', async () => {
    expect(await env.call('evaluation.result', { modelId, split: 'validation' })).toBeNull();
    await expect(env.call('evaluation.start', { modelId: 9999 })).rejects.toMatchObject({ type: 'not_found' });
  });

  it('predicts every live sample of the dataset', async () => {
    const r = await waitJob<{ stored: number }>(env.call('evaluation.predict', { modelId }));
    expect(r.stored).toBe(n);
    const low = await env.call('dataset.query', { filter: { maxConfidence: 1 }, thumbs: false });
    expect(low.total).toBe(n);
  });
});
