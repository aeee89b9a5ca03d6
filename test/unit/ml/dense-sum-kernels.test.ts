/** The wasm backend's dense products (BatchMatMul), bias-gradient Sum and copy-free Identity/Cast against the cpu backend, on each tier. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { nativeCalls } from '../../../main/core/ml/kernels/addon';
import { backendDataIds, cpuReference, onBackend, onTier, relDiff, tiers, values } from './kernels-fixtures';

describe.each(tiers())('wasm matrix products vs the cpu backend (%s tier)', (tier) => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
    onTier(tier).before();
  });
  afterAll(onTier(tier).after);

  // [name, a, b, transposeA, transposeB, unbatched (the native tier takes it)]
  const mmCases: Array<[string, number[], number[], boolean, boolean, boolean]> = [
    ['dense input gradient dy·Wᵀ', [5, 7], [9, 7], false, true, true],
    ['dense weight gradient xᵀ·dy', [7, 5], [7, 9], true, false, true],
    ['both transposed', [7, 5], [9, 7], true, true, true],
    ['batched (original kernel)', [2, 5, 7], [2, 9, 7], false, true, false],
    ['dense forward x·W, 5 rows', [5, 37], [37, 32], false, false, true],
    ['the baseline dense input gradient', [64, 256], [1152, 256], false, true, true],
    ['the baseline dense weight gradient xᵀ·dy', [64, 1152], [64, 256], true, false, true],
    ['rank 3 with batch 1', [1, 5, 7], [1, 7, 16], false, false, true],
    ['the output layer, 36 columns', [5, 37], [37, 36], false, false, true],
    ['the baseline dense layer', [64, 1152], [1152, 256], false, false, true],
  ];
  for (const [name, sa, sb, ta, tb, unbatched] of mmCases) {
    it(`matMul: ${name}`, async () => {
      const av = values(sa.reduce((a, b) => a * b), 7);
      const bv = values(sb.reduce((a, b) => a * b), 8);
      const run = () => [tf.matMul(tf.tensor(av, sa), tf.tensor(bv, sb), ta, tb)];
      const [cpu] = await onBackend('cpu', () => tf.tidy(run));
      const calls = nativeCalls('matmul');
      const [wasm] = await onBackend('wasm', () => tf.tidy(run));
      expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-5);
      expect(nativeCalls('matmul') - calls).toBe(tier === 'native' && unbatched ? 1 : 0);
    });
  }
});

describe.each(tiers())('bias-gradient Sum on wasm (%s tier)', (tier) => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
    onTier(tier).before();
  });
  afterAll(onTier(tier).after);

  // [name, shape, axes, keepDims, over every axis but the last (the project's kernel takes it)]
  const sumCases: Array<[string, number[], number[] | number, boolean, boolean]> = [
    ['over N,H,W (bias gradient)', [3, 5, 4, 6], [0, 1, 2], false, true],
    ['negative axes, keepDims', [3, 5, 4, 6], [-4, -3, -2], true, true],
    ['rows of a matrix', [7, 5], [0], false, true],
    ['not the leading axes (original kernel)', [3, 5, 4, 6], [1, 3], false, false],
    ['20 channels, keepDims', [2, 40, 3, 20], [0, 1, 2], true, true],
    ['the baseline first layer', [64, 28, 28, 32], [0, 1, 2], false, true],
  ];
  for (const [name, shape, axis, keepDims, leading] of sumCases) {
    it(`sum ${name}`, async () => {
      const v = values(shape.reduce((a, b) => a * b), 9);
      const run = () => [tf.sum(tf.tensor(v, shape), axis, keepDims)];
      const [cpu] = await onBackend('cpu', () => tf.tidy(run));
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = nativeCalls('sum');
      const t = tf.tidy(run)[0]!;
      expect(nativeCalls('sum') - calls).toBe(tier === 'native' && leading ? 1 : 0);
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
