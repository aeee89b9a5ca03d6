/** The wasm backend's max-pool gradient (native 2x2 kernel; JS generic loop and 2x2 fast path) against the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { nativeCalls, nativeKernels } from '../../../main/core/ml/kernels/addon';
import { isPlain2x2, maxPoolGrad2x2Into, maxPoolGradInto } from '../../../main/core/ml/kernels/max-pool-grad/loops';
import { backendDataIds, cpuReference, onBackend, onTier, relDiff, tiers, values } from './kernels-fixtures';

describe.each(tiers())('wasm max-pool gradient vs the cpu backend (%s tier)', (tier) => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
    onTier(tier).before();
  });
  afterAll(onTier(tier).after);

  const poolCases = [
    { name: '2x2/2 valid, odd input', x: [2, 7, 7, 3], size: 2, stride: 2, pad: 'valid' as const, zeros: 0 },
    { name: '2x2/2 valid with ties (ReLU zeros)', x: [2, 8, 8, 4], size: 2, stride: 2, pad: 'valid' as const, zeros: 2 },
    { name: '3x3/2 same (overlapping windows)', x: [1, 7, 6, 2], size: 3, stride: 2, pad: 'same' as const, zeros: 0 },
  ];
  for (const c of poolCases) {
    it(`maxPool gradient: ${c.name}`, async () => {
      const xv = values(c.x.reduce((a, b) => a * b), 5, c.zeros);
      const run = () => {
        const x = tf.tensor4d(xv, c.x as [number, number, number, number]);
        const pooled = tf.maxPool(x, c.size, c.stride, c.pad);
        const w = tf.tensor(values(pooled.size, 6), pooled.shape);
        const dx = tf.grad((a: tf.Tensor) => tf.maxPool(a as tf.Tensor4D, c.size, c.stride, c.pad).mul(w).sum())(x);
        tf.dispose([x, w, pooled]);
        return [dx];
      };
      const [cpu] = await onBackend('cpu', run);
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = nativeCalls('pool');
      const [wasm] = await onBackend('wasm', run);
      expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-6);
      expect(backendDataIds()).toBe(before);
      // The native tier takes the 2x2 pools; overlapping ones stay on the JS loop.
      expect(nativeCalls('pool') - calls).toBe(tier === 'native' && c.size === 2 ? 1 : 0);
    });
  }

  it('maxPoolGradInto routes each window gradient to its first maximum', () => {
    // One 2x2 window per channel: channel 0 max at (1,0), channel 1 tie between (0,0) and (1,1).
    const x = new Float32Array([0.1, 5, 0.2, 1, 0.9, 2, 0.3, 5]);
    const dy = new Float32Array([10, 20]);
    const dx = new Float32Array(8);
    const ci = tf.backend_util.computePool2DInfo([1, 2, 2, 2], 2, 2, 1, 'valid');
    maxPoolGradInto(x, dy, dx, ci);
    expect([...dx]).toEqual([0, 20, 0, 0, 10, 0, 0, 0]);
  });
});

describe('2x2 max-pool gradient fast path', () => {
  it('agrees with the generic loop (ties, -Infinity windows, odd sizes)', () => {
    const shape: [number, number, number, number] = [2, 7, 9, 3];
    const ci = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
    expect(isPlain2x2(ci)).toBe(true);
    const n = shape.reduce((a, b) => a * b);
    // Values from a small set: many ties; some -Infinity, including a whole window.
    const x = values(n, 41).map((v) => Math.round(v * 2) / 2);
    for (const i of [0, 3, 27, 30]) x[i] = -Infinity; // window (0,0) channel 0 is all -Infinity
    const dy = values(2 * 3 * 4 * 3, 42);
    const a = new Float32Array(n).fill(7);
    const b = new Float32Array(n).fill(7);
    maxPoolGradInto(x, dy, a, ci);
    maxPoolGrad2x2Into(x, dy, b, ci);
    expect([...b]).toEqual([...a]);
    expect(a[0]).toBe(0);
  });

  it('is not used for overlapping or padded pools', () => {
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 6, 6, 1], 3, 2, 1, 'same'))).toBe(false);
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 5, 5, 1], 2, 2, 1, 'same'))).toBe(false);
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 6, 6, 1], 2, 1, 1, 'valid'))).toBe(false);
  });
});

describe.skipIf(nativeKernels() == null)('the native 2x2 max-pool gradient', () => {
  it('agrees with the generic loop (ties, -Infinity, NaN, odd sizes)', () => {
    const shape: [number, number, number, number] = [3, 7, 9, 8];
    const ci = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
    const n = shape.reduce((a, b) => a * b);
    const x = values(n, 43).map((v) => Math.round(v * 2) / 2);
    for (const i of [0, 8, 72, 80]) x[i] = -Infinity; // window (0,0) channel 0 is all -Infinity
    for (const i of [1, 9, 73, 81]) x[i] = NaN; // window (0,0) channel 1 is all NaN
    x[2] = NaN; // a NaN before the maximum of window (0,0) channel 2
    const dy = values(3 * 3 * 4 * 8, 44);
    const want = new Float32Array(n);
    maxPoolGradInto(x, dy, want, ci);
    const got = new Float32Array(n).fill(7);
    nativeKernels()!.maxPoolGrad2x2(x, dy, got, 3, 7, 9, 8, 3, 4);
    expect([...got]).toEqual([...want]);
  });

  it('refuses a geometry its arrays do not hold, naming the argument', () => {
    const k = nativeKernels()!;
    expect(() => k.maxPoolGrad2x2(new Float32Array(16), new Float32Array(4), new Float32Array(15), 1, 4, 4, 1, 2, 2)).toThrow(/dx has 15 floats, needs 16/);
    expect(() => k.maxPoolGrad2x2(new Float32Array(16), new Float32Array(4), new Float32Array(16), 1, 4, 4, 1, 3, 2)).toThrow(/invalid 2x2 pool geometry/);
  });
});
