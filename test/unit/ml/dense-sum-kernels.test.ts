/** The wasm backend's dense products (BatchMatMul, SIMD product), bias-gradient Sum and copy-free Identity/Cast against the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { simdCalls } from '../../../main/core/ml/kernels/simd/modules';
import { backendDataIds, cpuReference, onBackend, relDiff, values } from './kernels-fixtures';
import { setNativeKernelsEnabled } from '../../../main/core/ml/kernels/native/addon';

// These tests are of the project's wasm kernels: the native ones (native-kernels.test.ts), which
// take the larger convolutions and the dense products when the addon is built, stay out of the way.
setNativeKernelsEnabled(false);

describe('wasm matrix products vs the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

  const mmCases: Array<[string, number[], number[], boolean, boolean]> = [
    ['dense input gradient dy·Wᵀ', [5, 7], [9, 7], false, true],
    ['dense weight gradient xᵀ·dy', [7, 5], [7, 9], true, false],
    ['both transposed', [7, 5], [9, 7], true, true],
    ['batched (original kernel)', [2, 5, 7], [2, 9, 7], false, true],
  ];
  // Outputs with a multiple of 4 columns take the SIMD product (odd row counts, every transpose).
  const simdCases: Array<[string, number[], number[], boolean, boolean]> = [
    ['SIMD: dense forward x·W, 5 rows', [5, 37], [37, 32], false, false],
    ['SIMD: dense input gradient dy·Wᵀ', [6, 16], [48, 16], false, true],
    ['SIMD: dy·Wᵀ as (W·dyᵀ)ᵀ (16 rows, 45 columns)', [16, 32], [45, 32], false, true],
    ['SIMD: the baseline dense input gradient, as (W·dyᵀ)ᵀ', [64, 256], [1152, 256], false, true],
    ['SIMD: xᵀ·y with a small x, 33 rows', [7, 33], [7, 160], true, false],
    ['SIMD: both transposed (as the swap)', [40, 8], [32, 40], true, true],
    // Copying x in JS would cost more than the backend's native transpose and packing of dy.
    ['the baseline dense weight gradient xᵀ·dy (the backend\'s path)', [64, 1152], [64, 256], true, false],
    ['SIMD: rank 3 with batch 1', [1, 5, 7], [1, 7, 16], false, false],
    ['SIMD: 36 columns (the output layer: blocks of 16, 16, 4)', [5, 37], [37, 36], false, false],
    ['SIMD: 4 columns, 3 rows', [3, 7], [7, 4], false, false],
    ['SIMD: the baseline dense layer (split with the helper when it runs)', [64, 1152], [1152, 256], false, false],
  ];
  for (const [name, sa, sb, ta, tb] of [...mmCases, ...simdCases]) {
    it(`matMul: ${name}`, async () => {
      const av = values(sa.reduce((a, b) => a * b), 7);
      const bv = values(sb.reduce((a, b) => a * b), 8);
      const run = () => [tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), ta, tb)];
      const [cpu] = await onBackend('cpu', () => tf.tidy(run));
      const calls = simdCalls('gemm-at');
      const [wasm] = await onBackend('wasm', () => tf.tidy(run));
      expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-5);
      expect(simdCalls('gemm-at') > calls).toBe(name.startsWith('SIMD'));
    });
  }
});

describe('bias-gradient Sum on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

  const sumCases: Array<[string, number[], number[] | number, boolean]> = [
    ['over N,H,W (bias gradient)', [3, 5, 4, 6], [0, 1, 2], false],
    ['negative axes, keepDims', [3, 5, 4, 6], [-4, -3, -2], true],
    ['rows of a matrix', [7, 5], [0], false],
    ['not the leading axes (original kernel)', [3, 5, 4, 6], [1, 3], false],
    // Channels a multiple of 4: the SIMD kernel (groups of 16 and of 4 channels, partial row blocks).
    ['SIMD: 8 channels', [3, 5, 4, 8], [0, 1, 2], false],
    ['SIMD: 20 channels, 4 row blocks, keepDims', [2, 40, 3, 20], [0, 1, 2], true],
    ['SIMD: the baseline first layer', [64, 28, 28, 32], [0, 1, 2], false],
  ];
  for (const [name, shape, axis, keepDims] of sumCases) {
    it(`sum ${name}`, async () => {
      const v = values(shape.reduce((a, b) => a * b), 9);
      const run = () => [tf.sum(tf.tensor(v, shape), axis, keepDims)];
      const [cpu] = await onBackend('cpu', () => tf.tidy(run));
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = simdCalls('sum-rows');
      const t = tf.tidy(run)[0]!;
      expect(simdCalls('sum-rows') > calls).toBe(name.startsWith('SIMD'));
      const expectedShape = shape.map((d, i) => ([axis].flat().some((a) => (a + shape.length) % shape.length === i) ? 1 : d));
      expect(t.shape).toEqual(keepDims ? expectedShape : shape.filter((_, i) => expectedShape[i] !== 1 || shape[i] === 1));
      expect(relDiff(cpu!, t.dataSync() as Float32Array)).toBeLessThan(1e-6);
      t.dispose();
      expect(backendDataIds()).toBe(before);
    });
  }
});

describe('sharing Identity on wasm', () => {
  beforeAll(async () => {
    await initBackend('wasm');
  });

  it('clones without copying and keeps the data alive until both tensors are disposed', () => {
    const before = backendDataIds();
    const a = tf.tensor([1, 2, 3, 4], [2, 2]);
    const b = tf.clone(a);
    expect(backendDataIds()).toBe(before + 1); // one buffer, two tensors
    a.dispose();
    expect([...b.dataSync()]).toEqual([1, 2, 3, 4]);
    const c = tf.add(b, 1);
    b.dispose();
    expect([...c.dataSync()]).toEqual([2, 3, 4, 5]);
    c.dispose();
    expect(backendDataIds()).toBe(before);
  });

  it('casts to the same dtype without copying; real casts still convert', () => {
    const before = backendDataIds();
    const a = tf.tensor([1.5, -2.5, 0]);
    const same = tf.cast(a, 'float32');
    expect(backendDataIds()).toBe(before + 1);
    const asInt = tf.cast(a, 'int32');
    a.dispose();
    expect([...same.dataSync()]).toEqual([1.5, -2.5, 0]);
    expect(asInt.dtype).toBe('int32');
    expect([...asInt.dataSync()]).toEqual([1, -2, 0]);
    tf.dispose([same, asInt]);
    expect(backendDataIds()).toBe(before);
  });
});
