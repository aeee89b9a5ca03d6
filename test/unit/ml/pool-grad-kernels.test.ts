/** The wasm backend's max-pool gradient (generic loop, 2x2 fast path, SIMD kernel) against the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { simdCalls } from '../../../main/core/ml/kernels/simd/modules';
import { maxPoolGrad2x2Fast } from '../../../main/core/ml/kernels/simd/pool-grad';
import { wasmMemoryOfBackend, type HeapBackend } from '../../../main/core/ml/kernels/heap';
import { isPlain2x2, maxPoolGrad2x2Into, maxPoolGradInto } from '../../../main/core/ml/kernels/max-pool-grad-loops';
import { backendDataIds, cpuReference, onBackend, relDiff, values } from './kernels-fixtures';
import { setNativeKernelsEnabled } from '../../../main/core/ml/kernels/native/addon';

// These tests are of the project's wasm kernels: the native ones (native-kernels.test.ts), which
// take the larger convolutions and the dense products when the addon is built, stay out of the way.
setNativeKernelsEnabled(false);

describe('wasm max-pool gradient vs the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

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
      const [wasm] = await onBackend('wasm', run);
      expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-6);
      expect(backendDataIds()).toBe(before);
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

  it('the SIMD kernel on the wasm heap agrees with the generic loop (ties, -Infinity, NaN, odd sizes)', async () => {
    await initBackend('wasm');
    const shape: [number, number, number, number] = [3, 7, 9, 8];
    const ci = tf.backend_util.computePool2DInfo(shape, 2, 2, 1, 'valid');
    const n = shape.reduce((a, b) => a * b);
    const xv = values(n, 43).map((v) => Math.round(v * 2) / 2);
    for (const i of [0, 8, 72, 80]) xv[i] = -Infinity; // window (0,0) channel 0 is all -Infinity
    for (const i of [1, 9, 73, 81]) xv[i] = NaN; // window (0,0) channel 1 is all NaN
    xv[2] = NaN; // a NaN before the maximum of window (0,0) channel 2
    const dyv = values(3 * 3 * 4 * 8, 44);
    const want = new Float32Array(n);
    maxPoolGradInto(xv, dyv, want, ci);
    const backend = tf.backend() as unknown as HeapBackend;
    const memory = wasmMemoryOfBackend(backend)!;
    const [x, dy, dx] = [tf.tensor(xv), tf.tensor(dyv), tf.fill([n], 7)];
    const heap = (t: tf.Tensor) => backend.typedArrayFromHeap(t) as Float32Array;
    const calls = simdCalls('pool-grad');
    maxPoolGrad2x2Fast(memory, heap(x), heap(dy), heap(dx), ci);
    expect(simdCalls('pool-grad')).toBe(calls + 1);
    expect([...heap(dx)]).toEqual([...want]);
    tf.dispose([x, dy, dx]);
  });

  it('is not used for overlapping or padded pools', () => {
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 6, 6, 1], 3, 2, 1, 'same'))).toBe(false);
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 5, 5, 1], 2, 2, 1, 'same'))).toBe(false);
    expect(isPlain2x2(tf.backend_util.computePool2DInfo([1, 6, 6, 1], 2, 1, 1, 'valid'))).toBe(false);
  });
});
