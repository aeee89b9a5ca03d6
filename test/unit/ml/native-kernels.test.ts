import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { kernelTiers, registerTrainingKernels } from '../../../main/core/ml/kernels';
import { nativeCalls, nativeKernels, nativeKernelStatus } from '../../../main/core/ml/kernels/addon';
import { MIN_NATIVE_DEPTH } from '../../../main/core/ml/kernels/conv2d/native';
import { backendDataIds, cpuReference, onBackend, relDiff, values, type ConvCase } from './kernels-fixtures';

// The addon is an optional dependency that npm ci builds with node-gyp (native/). Where it could not
// be built, these tests cannot run; every kernel then registers its JS tier.
const addon = nativeKernels();
// With the portable micro-kernel (no AVX2+FMA), Conv2D and its input gradient stay on XNNPACK.
const avx2 = addon?.simd() === 'avx2-fma';
if (addon == null) console.warn(`native-kernels tests skipped: the addon is ${nativeKernelStatus()}`);


// Depth fh*fw*cin >= MIN_NATIVE_DEPTH (32) unless said otherwise; odd sizes, both paddings, strides 1 and 2.
const cases: ConvCase[] = [
  { name: 'stride 1 same, 3x3x8 -> 12', x: [3, 7, 9, 8], f: [3, 3, 8, 12], stride: 1, pad: 'same' },
  { name: 'stride 2 same, odd size', x: [2, 9, 7, 5], f: [3, 3, 5, 17], stride: 2, pad: 'same' },
  { name: 'stride 1 valid, non-square', x: [2, 10, 8, 4], f: [3, 3, 4, 7], stride: 1, pad: 'valid' },
  { name: 'stride 2 valid, leftover rows and cols', x: [2, 10, 9, 4], f: [3, 3, 4, 16], stride: 2, pad: 'valid' },
  { name: 'even 2x4 filter, stride 2 same', x: [1, 7, 8, 6], f: [2, 4, 6, 5], stride: 2, pad: 'same' },
  { name: '5x5 filter, stride 1 same', x: [3, 6, 6, 4], f: [5, 5, 4, 3], stride: 1, pad: 'same' },
  { name: 'explicit padding 1', x: [2, 6, 5, 4], f: [3, 3, 4, 6], stride: 1, pad: 1 },
  { name: 'explicit padding 4, larger than the filter (border outputs are 0)', x: [2, 5, 4, 4], f: [3, 3, 4, 3], stride: 2, pad: 4 },
  { name: 'filter larger than the input (same)', x: [2, 3, 3, 2], f: [5, 5, 2, 4], stride: 1, pad: 'same' },
  { name: 'batch of 9 in 3 tasks of 3 images on 2 threads', x: [9, 14, 14, 32], f: [3, 3, 32, 4], stride: 1, pad: 'same' },
  { name: 'forward with dilation 2', x: [2, 11, 10, 4], f: [3, 3, 4, 8], stride: 1, pad: 'same', dilation: 2 },
];

function grads(c: ConvCase): () => tf.Tensor[] {
  const xv = values(c.x.reduce((a, b) => a * b), 11);
  const fv = values(c.f.reduce((a, b) => a * b), 12);
  return () => {
    const x = tf.tensor4d(xv, c.x);
    const f = tf.tensor4d(fv, c.f);
    const conv = (a: tf.Tensor, b: tf.Tensor) => tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, c.stride, c.pad as 'same', 'NHWC', c.dilation ?? 1);
    const y = conv(x, f);
    if (c.dilation) {
      tf.dispose([x, f]);
      return [y]; // tfjs has no gradient for dilated convolutions
    }
    const w = tf.tensor(values(y.size, 13), y.shape);
    const [dx, df] = tf.grads((a: tf.Tensor, b: tf.Tensor) => conv(a, b).mul(w).sum())([x, f]);
    tf.dispose([x, f, w]);
    return [y, dx!, df!];
  };
}

describe.skipIf(addon == null)('native kernels on the wasm backend vs the cpu backend', () => {
  beforeAll(async () => {
    const info = await initBackend('wasm');
    expect(info.reason).toMatch(/native kernels on \((avx2-fma|generic), \d+ threads\)/);
    expect(info.kernels.includes('Conv2D')).toBe(avx2);
    expect(kernelTiers('wasm')).toMatchObject({
      Conv2DBackpropFilter: 'native > js',
      Conv2DBackpropInput: avx2 ? 'native > js > tfjs' : 'js > tfjs',
      MaxPoolGrad: 'native > js > tfjs',
    });
    cpuReference();
  });

  for (const c of cases) {
    it(`conv2d and its gradients: ${c.name}`, async () => {
      const ref = await onBackend('cpu', grads(c));
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = nativeCalls('conv');
      const got = await onBackend('wasm', grads(c));
      expect(got).toHaveLength(ref.length);
      for (let i = 0; i < ref.length; i++) expect(relDiff(ref[i]!, got[i]!)).toBeLessThan(1e-5);
      expect(backendDataIds()).toBe(before);
      // The forward conv (run twice: for y and inside tf.grads), filter and input gradient ran natively
      // (only the filter gradient with the portable micro-kernel).
      const expected = avx2 ? (c.dilation ? 1 : 4) : c.dilation ? 0 : 1;
      expect(nativeCalls('conv') - calls).toBe(expected);
    });
  }

  it(`leaves forward convolutions shallower than ${MIN_NATIVE_DEPTH} to XNNPACK, with the same results`, async () => {
    // The first layer (3x3x1): its forward conv stays on XNNPACK, its filter gradient runs natively.
    // (Its input gradient, never needed in training, is a conv over the 32 output channels.)
    const xv = values(4 * 28 * 28, 41);
    const fv = values(9 * 32, 42);
    const run = () => {
      const x = tf.tensor4d(xv, [4, 28, 28, 1]);
      const f = tf.tensor4d(fv, [3, 3, 1, 32]);
      const y = tf.conv2d(x, f, 1, 'same');
      const w = tf.tensor(values(y.size, 43), y.shape);
      const df = tf.grad((b: tf.Tensor) => tf.conv2d(x, b as tf.Tensor4D, 1, 'same').mul(w).sum())(f);
      tf.dispose([x, f, w]);
      return [y, df];
    };
    const ref = await onBackend('cpu', run);
    const calls = nativeCalls('conv');
    const got = await onBackend('wasm', run);
    for (let i = 0; i < ref.length; i++) expect(relDiff(ref[i]!, got[i]!)).toBeLessThan(1e-5);
    expect(nativeCalls('conv') - calls).toBe(1);
  });

  const mm: Array<[string, [number, number], [number, number], boolean, boolean]> = [
    ['x·W (the dense layer)', [64, 1152], [1152, 256], false, false],
    ['dy·Wᵀ', [7, 36], [128, 36], false, true],
    ['xᵀ·dy', [33, 13], [33, 21], true, false],
    ['both transposed', [5, 9], [17, 5], true, true],
  ];
  for (const [name, as, bs, ta, tb] of mm) {
    it(`matMul: ${name}`, async () => {
      const run = () => [tf.matMul(tf.tensor2d(values(as[0] * as[1], 21), as), tf.tensor2d(values(bs[0] * bs[1], 22), bs), ta, tb)];
      const [ref] = await onBackend('cpu', () => tf.tidy(run));
      const calls = nativeCalls('matmul');
      const [got] = await onBackend('wasm', () => tf.tidy(run));
      expect(relDiff(ref!, got!)).toBeLessThan(1e-5);
      expect(nativeCalls('matmul') - calls).toBe(1);
    });
  }

  it('a training step gives the same loss and weights with and without the native kernels', async () => {
    const step = () => {
      const x = tf.tensor4d(values(6 * 12 * 12 * 8, 31), [6, 12, 12, 8]);
      const f = tf.variable(tf.tensor4d(values(3 * 3 * 8 * 16, 32), [3, 3, 8, 16]));
      const w = tf.variable(tf.tensor2d(values(6 * 6 * 16 * 5, 33), [6 * 6 * 16, 5]));
      const opt = tf.train.sgd(0.1);
      const loss = opt.minimize(() => {
        const h = tf.maxPool(tf.relu(tf.conv2d(x, f, 1, 'same')), 2, 2, 'valid').reshape([6, 6 * 6 * 16]);
        return tf.mean(tf.square(tf.matMul(h as tf.Tensor2D, w)));
      }, true)!;
      const out = [loss, f.clone(), w.clone()];
      tf.dispose([x, f, w]);
      opt.dispose();
      return out;
    };
    registerTrainingKernels('wasm', { native: false });
    const calls = nativeCalls();
    const plain = await onBackend('wasm', step);
    expect(nativeCalls()).toBe(calls);
    registerTrainingKernels('wasm');
    const native = await onBackend('wasm', step);
    expect(nativeCalls()).toBeGreaterThan(calls);
    for (let i = 0; i < plain.length; i++) expect(relDiff(plain[i]!, native[i]!)).toBeLessThan(1e-5);
  });
});

describe.skipIf(addon == null)('native kernel arguments', () => {
  const geom = (over: Partial<Record<number, number>> = {}) => {
    // x [2, 5, 5, 3], 3x3 'same' stride 1 -> y [2, 5, 5, 4]
    const g = Int32Array.from([2, 5, 5, 3, 5, 5, 4, 3, 3, 1, 1, 1, 1, 1, 1]);
    for (const [i, v] of Object.entries(over)) g[Number(i)] = v!;
    return g;
  };
  const x = new Float32Array(2 * 5 * 5 * 3);
  const f = new Float32Array(3 * 3 * 3 * 4);
  const y = new Float32Array(2 * 5 * 5 * 4);

  it('accepts views of a SharedArrayBuffer (the threaded wasm heap)', () => {
    const sx = new Float32Array(new SharedArrayBuffer(x.byteLength)).fill(1);
    const sf = new Float32Array(new SharedArrayBuffer(f.byteLength)).fill(1);
    const sy = new Float32Array(new SharedArrayBuffer(y.byteLength));
    addon!.conv2dForward(geom(), sx, sf, sy, 2);
    // Centre pixel: 9 taps x 3 channels of ones; a corner: 4 taps x 3 channels.
    expect(sy[(0 * 25 + 2 * 5 + 2) * 4]).toBe(27);
    expect(sy[0]).toBe(12);
  });

  it('refuses too-short arrays, naming the argument, and writes nothing', () => {
    const out = new Float32Array(y.length - 1).fill(7);
    expect(() => addon!.conv2dForward(geom(), x, f, out, 1)).toThrow(/y has 199 floats, needs 200/);
    expect(out.every((v) => v === 7)).toBe(true);
    expect(() => addon!.conv2dBackpropFilter(geom(), x, y, new Float32Array(3), 1)).toThrow(RangeError);
    expect(() => addon!.conv2dBackpropInput(geom(), y.subarray(1), f, x, 1)).toThrow(/dy has 199 floats/);
    expect(() => addon!.matmul(new Float32Array(5), new Float32Array(6), new Float32Array(4), 2, 2, 3, false, false)).toThrow(/a has 5 floats, needs 6/);
    expect(() => addon!.sumRows(new Float32Array(12), 5, new Float32Array(5))).toThrow(/c must be positive and divide/);
    expect(() => addon!.sumRows(new Float32Array(12), 4, new Float32Array(3))).toThrow(/out has 3 floats, needs 4/);
    const a = () => new Float32Array(8);
    expect(() => addon!.adamStep(a(), a(), a(), a(), a(), new Float32Array(7), a(), 0.9, 0.999, 1e-3, 1, 1e-7)).toThrow(/mOut has 7 floats, needs 8/);
  });

  it('gives the same filter gradient, bit for bit, on every run (fixed split of the batch over the threads)', () => {
    // 9 images of 14x14x32, 3x3 -> 4: 3 tasks of 3 images over 2 threads.
    const g = Int32Array.from([9, 14, 14, 32, 14, 14, 4, 3, 3, 1, 1, 1, 1, 1, 1]);
    const gx = values(9 * 14 * 14 * 32, 61);
    const gdy = values(9 * 14 * 14 * 4, 62);
    const first = new Float32Array(3 * 3 * 32 * 4);
    addon!.conv2dBackpropFilter(g, gx, gdy, first, 2);
    for (let i = 0; i < 5; i++) {
      const again = new Float32Array(first.length);
      addon!.conv2dBackpropFilter(g, gx, gdy, again, 2);
      expect(Buffer.from(again.buffer).equals(Buffer.from(first.buffer))).toBe(true);
    }
  });

  it('refuses wrong types and an impossible geometry', () => {
    expect(() => addon!.conv2dForward(geom(), new Float64Array(x.length) as unknown as Float32Array, f, y, 1)).toThrow(/a must be a Float32Array/);
    expect(() => addon!.conv2dForward(new Int32Array(3), x, f, y, 1)).toThrow(/geometry must be an Int32Array of 15/);
    expect(() => addon!.conv2dForward(geom({ 9: 0 }), x, f, y, 1)).toThrow(/invalid convolution geometry/);
    expect(() => addon!.matmul(x, f, y, 2, 2, 3, 'yes' as unknown as boolean, false)).toThrow(/transposeA must be a boolean/);
    expect(() => addon!.matmul(x, f, y, 2.5, 2, 3, false, false)).toThrow(/M must be an integer/);
  });
});
