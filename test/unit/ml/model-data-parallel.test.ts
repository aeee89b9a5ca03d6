import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { DataParallelTrainer } from '../../../bench/parallel/data-parallel';
import { Replica } from '../../../bench/parallel/replica';
import { relDiff, values } from './kernels-fixtures';

const init = {
  config: { inputSize: 16, filters: [4, 8, 8], dense: [16], dropout: 0 },
  numClasses: 5,
  backend: 'wasm' as const,
};
const n = 6;
const px = 16 * 16;
const x = values(n * px, 31).map(Math.abs);
const y = Int32Array.from({ length: n }, (_, i) => i % 5);

describe('data-parallel training', () => {
  let ref: Replica;
  beforeAll(async () => {
    await initBackend('wasm');
    ref = await Replica.create(init);
  });
  afterAll(() => ref.dispose());

  it('shard gradients sum to the whole-batch gradient', () => {
    const whole = ref.computeGrads({ x, y, norm: n });
    const a = ref.computeGrads({ x: x.slice(0, 4 * px), y: y.slice(0, 4), norm: n });
    const b = ref.computeGrads({ x: x.slice(4 * px), y: y.slice(4), norm: n });
    expect(a.loss + b.loss).toBeCloseTo(whole.loss, 5);
    whole.grads.forEach((g, i) => {
      const sum = a.grads[i]!.map((v, j) => v + b.grads[i]![j]!);
      expect(relDiff(g, sum), `weight ${i}`).toBeLessThan(1e-4);
    });
  });

  it('two worker replicas train like one model on the whole batch', async () => {
    const { build } = await import('esbuild');
    const workerFile = path.resolve('node_modules/.cache/glyphlab-test/replica.worker.mjs');
    await build({
      entryPoints: ['bench/parallel/replica.worker.ts'],
      outfile: workerFile,
      bundle: true,
      platform: 'node',
      format: 'esm',
      packages: 'external',
      logLevel: 'warning',
    });
    const start = ref.getWeights();
    const dp = await DataParallelTrainer.create({ ...init, weights: start, replicas: 2, workerFile });
    try {
      expect(dp.backend.name).toBe('wasm');
      for (let step = 0; step < 2; step++) {
        const r = ref.computeGrads({ x, y, norm: n });
        ref.applyGrads(r.grads);
        const d = await dp.step(x, y);
        expect(d.loss).toBeCloseTo(r.loss, 4);
        expect(d.correct).toBe(r.correct);
      }
      const got = await dp.getWeights();
      const want = ref.getWeights();
      // Adam moves every weight by ~lr per step, so the weights must have changed...
      expect(Math.max(...want.map((w, i) => Math.max(...w.map((v, j) => Math.abs(v - start[i]![j]!)))))).toBeGreaterThan(1e-3);
      // ...and agree (a near-zero gradient whose sign differs by rounding may flip one weight's update).
      let worst = 0;
      let mean = 0;
      let count = 0;
      want.forEach((w, i) => w.forEach((v, j) => {
        const e = Math.abs(v - got[i]![j]!);
        worst = Math.max(worst, e);
        mean += e;
        count++;
      }));
      expect(worst).toBeLessThan(5e-3);
      expect(mean / count).toBeLessThan(1e-5);
    } finally {
      await dp.dispose();
    }
  });
});
