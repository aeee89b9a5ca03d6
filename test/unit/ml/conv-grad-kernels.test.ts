/** The wasm backend's convolution gradients on their JS tier (im2col + BatchMatMul filter gradient, Conv2D input gradient) against the cpu backend. */
import * as tf from '@tensorflow/tfjs';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { setIm2colMaxFloats } from '../../../main/core/ml/kernels/conv2d-backprop-filter/js';
import { im2colTRows, im2colTShifted } from '../../../main/core/ml/kernels/conv2d-backprop-filter/im2col';
import { nativeCalls } from '../../../main/core/ml/kernels/addon';
import { backendDataIds, cpuReference, onBackend, onTier, relDiff, values, type ConvCase } from './kernels-fixtures';

// The native tier (native-kernels.test.ts) is registered out of the way: these are the JS tier's tests.
const jsTier = onTier('js');

const convCases: ConvCase[] = [
  { name: 'stride 1 same', x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: 'stride 2 same, odd size', x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: 'stride 1 valid, odd non-square', x: [2, 9, 8, 2], f: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: 'stride 2 valid, leftover rows', x: [2, 9, 8, 2], f: [3, 3, 2, 5], stride: 2, pad: 'valid' },
  { name: 'stride 2 same, even 2x3 filter', x: [1, 5, 6, 1], f: [2, 3, 1, 3], stride: 2, pad: 'same' },
  { name: 'stride 1 same, 5x5 filter', x: [3, 6, 6, 4], f: [5, 5, 4, 2], stride: 1, pad: 'same' },
  { name: 'stride 1 explicit pad 1', x: [2, 6, 5, 2], f: [3, 3, 2, 3], stride: 1, pad: 1 },
  { name: 'first layer (1 channel)', x: [4, 28, 28, 1], f: [3, 3, 1, 8], stride: 1, pad: 'same' },
  { name: 'first layer, 32 filters', x: [4, 28, 28, 1], f: [3, 3, 1, 32], stride: 1, pad: 'same' },
  { name: 'stride 2 valid, 45 rows, 16 filters', x: [3, 11, 10, 5], f: [3, 3, 5, 16], stride: 2, pad: 'valid' },
  { name: 'stride 1 same, 48 filters', x: [2, 7, 7, 8], f: [3, 3, 8, 48], stride: 1, pad: 'same' },
];

function convGrads(c: ConvCase): () => tf.Tensor[] {
  const xv = values(c.x.reduce((a, b) => a * b), 1);
  const fv = values(c.f.reduce((a, b) => a * b), 2);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const f = tf.tensor4d(fv, c.f);
    const y = tf.conv2d(x, f, c.stride, c.pad as 'same');
    // A non-uniform upstream gradient: weight the output by fixed values.
    const w = tf.tensor(values(y.size, 3), y.shape);
    const g = tf.grads((a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad as 'same').mul(w).sum());
    const [dx, df] = g([x, f]);
    tf.dispose([x, f, y, w]);
    return [dx!, df!];
  };
}

describe('wasm convolution gradients vs the cpu backend (JS tier)', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
    jsTier.before();
  });
  afterAll(jsTier.after);

  for (const c of convCases) {
    it(`conv2d gradients: ${c.name}`, async () => {
      const [dxCpu, dfCpu] = await onBackend('cpu', convGrads(c));
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = nativeCalls();
      const [dxW, dfW] = await onBackend('wasm', convGrads(c));
      expect(relDiff(dxCpu!, dxW!)).toBeLessThan(1e-5);
      expect(relDiff(dfCpu!, dfW!)).toBeLessThan(1e-5);
      expect(backendDataIds()).toBe(before);
      expect(nativeCalls()).toBe(calls);
    });
  }

  it('sparse single-channel input matches cpu', async () => {
    const c: ConvCase = { name: 'sparse', x: [3, 11, 11, 1], f: [3, 3, 1, 6], stride: 1, pad: 'same' };
    const xv = values(3 * 121, 21).map((v) => Math.max(0, v - 0.4)); // ~70% zeros
    const run = () => {
      const x = tf.tensor4d(xv, c.x);
      const y = tf.conv2d(x, tf.ones(c.f) as tf.Tensor4D, 1, 'same');
      const dy = tf.tensor(values(y.size, 22), y.shape) as tf.Tensor4D;
      const df = tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: c.f });
      return [df as tf.Tensor];
    };
    const [cpu] = await onBackend('cpu', () => tf.tidy(run));
    const [wasm] = await onBackend('wasm', () => tf.tidy(run));
    expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-5);
  });

  // The chunks' BatchMatMul products (XNNPACK) are summed.
  for (const cout of [5, 16]) {
    it(`filter gradient in batch chunks (small im2col cap) matches cpu, stride 2 valid, odd sizes, ${cout} filters`, async () => {
      const shape: [number, number, number, number] = [5, 9, 7, 3];
      const f: [number, number, number, number] = [3, 3, 3, cout];
      const xv = values(shape.reduce((a, b) => a * b), 31);
      const run = () => {
        const x = tf.tensor4d(xv, shape);
        const y = tf.conv2d(x, tf.ones(f) as tf.Tensor4D, 2, 'valid');
        const dy = tf.tensor(values(y.size, 32), y.shape) as tf.Tensor4D;
        return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 2, pad: 'valid', dataFormat: 'NHWC', filterShape: f }) as tf.Tensor];
      };
      const [cpu] = await onBackend('cpu', () => tf.tidy(run));
      // 27 rows x 12 columns per sample: a cap of 2 samples gives chunks of 2, 2, 1.
      setIm2colMaxFloats(27 * 12 * 2);
      try {
        await tf.setBackend('wasm');
        const before = backendDataIds();
        const [wasm] = await onBackend('wasm', () => tf.tidy(run));
        expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-5);
        expect(backendDataIds()).toBe(before);
      } finally {
        setIm2colMaxFloats(Infinity);
      }
    });
  }
});

describe('im2col for the filter gradient', () => {
  const cases: Array<[string, [number, number, number, number], [number, number, number, number], number | 'same' | 'valid']> = [
    ['3x3 same, odd sizes', [3, 7, 5, 2], [3, 3, 2, 4], 'same'],
    ['5x5 same, one channel', [2, 6, 9, 1], [5, 5, 1, 3], 'same'],
    ['1x1', [2, 4, 4, 3], [1, 1, 3, 2], 'same'],
    ['filter larger than the image', [2, 3, 2, 1], [5, 5, 1, 1], 'same'],
    ['explicit padding 1 (3x3 keeps the size)', [2, 5, 6, 2], [3, 3, 2, 1], 1],
  ];
  for (const [name, xs, fs, pad] of cases) {
    it(`the shifted-copy path equals the row loop: ${name}`, () => {
      const ci = tf.backend_util.computeConv2DInfo(xs, fs, 1, 1, pad);
      expect(ci.outHeight).toBe(xs[1]);
      const [N, H, W, C] = xs;
      const xT = values(N * H * W * C, 41);
      const K = fs[0] * fs[1] * C;
      for (const [n0, n1] of [[0, N], [1, N], [0, 1]] as const) {
        const cols = (n1 - n0) * H * W;
        const rows = new Float32Array(K * cols).fill(7);
        const shifted = new Float32Array(K * cols).fill(-7);
        const part = { n0, n1, r0: 0, r1: K };
        im2colTRows(xT, rows, ci, part);
        im2colTShifted(xT, shifted, ci, part);
        expect(Array.from(shifted)).toEqual(Array.from(rows));
      }
      // A band of rows only: the others are left as they were.
      const cols = N * H * W;
      const band = new Float32Array(K * cols).fill(-7);
      im2colTShifted(xT, band, ci, { n0: 0, n1: N, r0: 1, r1: K });
      const whole = new Float32Array(K * cols);
      im2colTRows(xT, whole, ci, { n0: 0, n1: N, r0: 0, r1: K });
      expect(Array.from(band.subarray(0, cols)).every((v) => v === -7)).toBe(true);
      expect(Array.from(band.subarray(cols))).toEqual(Array.from(whole.subarray(cols)));
    });
  }
});
