import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { tmpDir } from '../../helpers/tmp';
import { loadClassifier } from '../../../main/core/ml/inference/load';
import type { Classifier } from '../../../main/core/ml/inference/types';
import { randomPixels, writeRandomModelDir } from './onnx-fixtures';

/**
 * Inference throughput, onnxruntime-node vs TensorFlow.js (wasm), batch 128, on the real
 * architecture. CPU-heavy: runs only with GLYPHLAB_BENCH=1 (under `nice`), prints the figures.
 *   GLYPHLAB_BENCH=1 nice -n 10 npx vitest run test/unit/ml/inference-bench.test.ts
 */
const enabled = process.env.GLYPHLAB_BENCH === '1';
const tmp = tmpDir();
afterAll(() => tmp.cleanup());

async function samplesPerSec(c: Classifier, pixels: Float32Array, n: number, batch: number, rounds: number): Promise<number> {
  const px = c.inputSize * c.inputSize;
  await c.classify(pixels.subarray(0, batch * px), batch); // warm-up
  const t0 = performance.now();
  for (let r = 0; r < rounds; r++) {
    for (let s = 0; s + batch <= n; s += batch) await c.classify(pixels.subarray(s * px, (s + batch) * px), batch);
  }
  return (rounds * Math.floor(n / batch) * batch) / ((performance.now() - t0) / 1000);
}

describe.skipIf(!enabled)('inference throughput (GLYPHLAB_BENCH=1)', () => {
  for (const size of [28, 32]) {
    it(`ORT vs tfjs at ${size}px, batch 128`, { timeout: 300_000 }, async () => {
      const dir = path.join(tmp.dir, `b${size}`);
      await writeRandomModelDir(dir, { inputSize: size, seed: size });
      const n = 2048;
      const pixels = randomPixels(n, size, 1);
      const figures: Record<string, number> = {};
      for (const threads of [1, 2]) {
        const ort = await loadClassifier(dir, { threads });
        expect(ort.runtime).toBe('onnxruntime');
        figures[`onnxruntime_threads${threads}`] = Math.round(await samplesPerSec(ort, pixels, n, 128, 3));
        await ort.dispose();
      }
      const tfc = await loadClassifier(dir, { prefer: 'tfjs' });
      figures[`tfjs_${tfc.reason.match(/backend: (\w+)/)?.[1] ?? '?'}`] = Math.round(await samplesPerSec(tfc, pixels, n, 128, 1));
      await tfc.dispose();
      const single = await loadClassifier(dir);
      const lat: number[] = [];
      for (let i = 0; i < 200; i++) {
        const t = performance.now();
        await single.classify(pixels.subarray(0, size * size), 1);
        lat.push(performance.now() - t);
      }
      lat.sort((a, b) => a - b);
      figures.onnxruntime_single_ms_median = Math.round(lat[100]! * 1000) / 1000;
      await single.dispose();
      console.log(`BENCH size=${size} ${JSON.stringify(figures)}`);
      for (const v of Object.values(figures)) expect(v).toBeGreaterThan(0);
    });
  }
});
