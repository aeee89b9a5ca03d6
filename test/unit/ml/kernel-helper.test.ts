import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { FusedAdam } from '../../../main/core/ml/adam';
import { initBackend } from '../../../main/core/ml/backends';
import { kernelHelperDisabled, kernelHelperJobs, setKernelHelperFile } from '../../../main/core/ml/kernels/helper/split';
import { cpuReference, onBackend, relDiff, values } from './kernels-fixtures';
import { simdCalls } from '../../../main/core/ml/kernels/simd/modules';
import { setNativeKernelsEnabled } from '../../../main/core/ml/kernels/native/addon';

// These tests are of the project's wasm kernels: the native ones (native-kernels.test.ts), which
// take the larger convolutions and the dense products when the addon is built, stay out of the way.
setNativeKernelsEnabled(false);

// Its own file: needs the threaded wasm backend, which is chosen once per process.
// Shapes above the split threshold, odd batch so the halves differ.
const run = () => {
  const x = tf.tensor4d(values(9 * 20 * 22 * 16, 3), [9, 20, 22, 16]);
  // 16 filters: the filter gradient's product runs on the wasm SIMD kernel, its rows split too.
  const f = tf.tensor4d(values(3 * 3 * 16 * 16, 4), [3, 3, 16, 16]);
  const y = tf.conv2d(x, f, 1, 'same');
  const dy = tf.tensor4d(values(y.size, 5), y.shape as [number, number, number, number]);
  const df = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 16, 16] });
  const pool = tf.maxPool(x, 2, 2, 'valid');
  const dpool = tf.tensor(values(pool.size, 6), pool.shape);
  const dx = tf.engine().runKernel('MaxPoolGrad', { dy: dpool, input: x, output: pool }, { filterSize: 2, strides: 2, pad: 'valid' });
  // 6 channels: the bias sum's JS loop, split (16 would take the single-threaded SIMD kernel).
  const s = tf.tensor4d(values(9 * 40 * 22 * 6, 7), [9, 40, 22, 6]);
  return [df as tf.Tensor, dx as tf.Tensor, tf.sum(s, [0, 1, 2]), tf.sum(x, [0, 1, 2])];
};

async function expectLikeCpu(): Promise<void> {
  const cpu = await onBackend('cpu', () => tf.tidy(run));
  const wasm = await onBackend('wasm', () => tf.tidy(run));
  expect(wasm).toHaveLength(4);
  for (let i = 0; i < cpu.length; i++) expect(relDiff(cpu[i]!, wasm[i]!)).toBeLessThan(1e-5);
}

describe('kernel helper thread (threaded wasm)', () => {
  beforeAll(async () => {
    const info = await initBackend('wasm', { wasmThreads: 2 });
    expect(info.threads).toBe(2);
    cpuReference();
  });

  it('splits im2col, the SIMD product, the max-pool gradient and the bias sum with the helper; results equal the cpu backend', async () => {
    const before = kernelHelperJobs();
    const gemmBefore = simdCalls('gemm-at');
    await expectLikeCpu();
    expect(kernelHelperDisabled()).toBeNull();
    expect(kernelHelperJobs() - before).toBeGreaterThanOrEqual(4);
    expect(simdCalls('gemm-at') - gemmBefore).toBe(1);
  });

  it('splits the fused Adam update; the weights equal tfjs Adam on the cpu backend', async () => {
    const steps = async (backend: string, make: () => tf.Optimizer) => {
      await tf.setBackend(backend);
      const w = tf.variable(tf.tensor(values(200 * 200, 8), [200, 200]), true, `helper-adam-${backend}-${make.name}`);
      const opt = make();
      for (let k = 0; k < 3; k++) {
        const g = tf.tensor(values(200 * 200, 20 + k, 5), [200, 200]);
        opt.applyGradients([{ name: w.name, tensor: g }]);
        g.dispose();
      }
      const out = w.dataSync() as Float32Array;
      w.dispose();
      opt.dispose();
      return out;
    };
    const ref = await steps('cpu', () => tf.train.adam(0.01));
    const before = kernelHelperJobs();
    const fused = await steps('wasm', () => new FusedAdam(0.01));
    expect(kernelHelperJobs() - before).toBe(3);
    expect(relDiff(ref, fused)).toBeLessThan(1e-5);
  });

  it('a helper that fails its job is turned off, and the kernel finishes the work itself', async () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-helper-'));
    const file = path.join(dir, 'failing-helper.mjs');
    // Takes every job (posted 1 -> taken 2) and reports failure (4).
    fs.writeFileSync(
      file,
      `import { workerData } from 'node:worker_threads';
const ctl = new Int32Array(workerData.control, 0, 4);
for (;;) { Atomics.wait(ctl, 0, 0); if (Atomics.compareExchange(ctl, 0, 1, 2) === 1) { Atomics.store(ctl, 0, 4); Atomics.notify(ctl, 0); } else Atomics.wait(ctl, 0, Atomics.load(ctl, 0)); }`,
    );
    setKernelHelperFile(file);
    try {
      const before = kernelHelperJobs();
      await expectLikeCpu();
      expect(kernelHelperDisabled()).toMatch(/failed a job/);
      expect(kernelHelperJobs()).toBe(before);
    } finally {
      setKernelHelperFile(null);
    }
  });

  it('a helper script that is not built leaves the loops in the training thread', async () => {
    setKernelHelperFile(path.join(os.tmpdir(), 'glyphlab-no-such-helper.js'));
    try {
      await expectLikeCpu();
      expect(kernelHelperDisabled()).toMatch(/not built/);
    } finally {
      setKernelHelperFile(null);
    }
    await expectLikeCpu();
    expect(kernelHelperDisabled()).toBeNull();
  });
});
