import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { setIm2colMaxFloats } from '../../../main/core/ml/kernels/conv2d-backprop-filter';
import { setSimdEnabled, simdCalls, simdStatus } from '../../../main/core/ml/kernels/simd/modules';
import { maxPoolGrad2x2Fast } from '../../../main/core/ml/kernels/simd/pool-grad';
import { wasmMemoryOfBackend, type HeapBackend } from '../../../main/core/ml/kernels/heap';
import { im2colTRows, im2colTShifted } from '../../../main/core/ml/kernels/im2col';
import { isPlain2x2, maxPoolGrad2x2Into, maxPoolGradInto } from '../../../main/core/ml/kernels/max-pool-grad-loops';
import { backendDataIds, cpuReference, onBackend, relDiff, values, type ConvCase } from './kernels-fixtures';
import { setNativeKernelsEnabled } from '../../../main/core/ml/kernels/native/addon';

// These tests are of the project's wasm kernels: the native ones (native-kernels.test.ts), which
// take the larger convolutions and the dense products when the addon is built, stay out of the way.
setNativeKernelsEnabled(false);


const convCases: ConvCase[] = [
  { name: 'stride 1 same', x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 1, pad: 'same' },
  { name: 'stride 2 same, odd size', x: [2, 7, 7, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: 'stride 1 valid, odd non-square', x: [2, 9, 8, 2], f: [3, 3, 2, 5], stride: 1, pad: 'valid' },
  { name: 'stride 2 valid, leftover rows', x: [2, 9, 8, 2], f: [3, 3, 2, 5], stride: 2, pad: 'valid' },
  { name: 'stride 2 same, even 2x3 filter', x: [1, 5, 6, 1], f: [2, 3, 1, 3], stride: 2, pad: 'same' },
  { name: 'stride 1 same, 5x5 filter', x: [3, 6, 6, 4], f: [5, 5, 4, 2], stride: 1, pad: 'same' },
  { name: 'stride 1 explicit pad 1', x: [2, 6, 5, 2], f: [3, 3, 2, 3], stride: 1, pad: 1 },
  { name: 'first layer (1 channel)', x: [4, 28, 28, 1], f: [3, 3, 1, 8], stride: 1, pad: 'same' },
  // Filters a multiple of 4: the filter gradient's product runs on the project's wasm SIMD kernel
  // (columns in blocks of 16, then of 4).
  { name: 'SIMD product: first layer, 32 filters (9 rows, odd)', x: [4, 28, 28, 1], f: [3, 3, 1, 32], stride: 1, pad: 'same' },
  { name: 'SIMD product: stride 2 valid, 45 rows, 16 filters', x: [3, 11, 10, 5], f: [3, 3, 5, 16], stride: 2, pad: 'valid' },
  { name: 'SIMD product: 24 filters (blocks of 16 and 4 columns)', x: [2, 9, 9, 3], f: [3, 3, 3, 24], stride: 1, pad: 'same' },
  { name: 'SIMD product: 4 filters (only the 4-column block)', x: [2, 8, 7, 3], f: [3, 3, 3, 4], stride: 2, pad: 'same' },
  { name: 'SIMD product: stride 1 same, 48 filters', x: [2, 7, 7, 8], f: [3, 3, 8, 48], stride: 1, pad: 'same' },
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

describe('wasm training kernels vs the cpu backend', () => {
  beforeAll(async () => {
    await initBackend('wasm');
    cpuReference();
  });

  for (const c of convCases) {
    it(`conv2d gradients: ${c.name}`, async () => {
      const [dxCpu, dfCpu] = await onBackend('cpu', convGrads(c));
      await tf.setBackend('wasm');
      const before = backendDataIds();
      const calls = simdCalls('gemm-at');
      const [dxW, dfW] = await onBackend('wasm', convGrads(c));
      expect(relDiff(dxCpu!, dxW!)).toBeLessThan(1e-5);
      expect(relDiff(dfCpu!, dfW!)).toBeLessThan(1e-5);
      expect(backendDataIds()).toBe(before);
      // The filter gradient's product takes the SIMD kernel exactly when the filters are a multiple of 4.
      expect(simdCalls('gemm-at') > calls).toBe(c.f[3] % 4 === 0);
    });
  }

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

describe('bias-gradient Sum and the im2col filter gradient on wasm', () => {
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

  it('the SIMD product runs for 4-filter multiples and equals the BatchMatMul path', async () => {
    const c: ConvCase = { name: 'simd', x: [3, 12, 12, 4], f: [3, 3, 4, 32], stride: 1, pad: 'same' };
    const run = () => {
      const x = tf.tensor4d(values(3 * 144 * 4, 61), c.x);
      const dy = tf.tensor4d(values(3 * 144 * 32, 62), [3, 12, 12, 32]);
      return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: c.f }) as tf.Tensor];
    };
    const before = simdCalls('gemm-at');
    const [simd] = await onBackend('wasm', () => tf.tidy(run));
    expect(simdCalls('gemm-at') - before).toBe(1);
    expect(simdStatus(tf.backend())).toBe('on');
    setSimdEnabled(false);
    try {
      expect(simdStatus(tf.backend())).toBe('off (turned off)');
      const [gemm] = await onBackend('wasm', () => tf.tidy(run));
      expect(simdCalls('gemm-at') - before).toBe(1);
      expect(relDiff(gemm!, simd!)).toBeLessThan(1e-6);
    } finally {
      setSimdEnabled(true);
    }
  });

  // 5 filters (and 27 rows): the chunks' BatchMatMul products (XNNPACK) are summed; 16: the SIMD product
  // accumulates into one result.
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
        const calls = simdCalls('gemm-at');
        const [wasm] = await onBackend('wasm', () => tf.tidy(run));
        expect(simdCalls('gemm-at') - calls).toBe(cout === 16 ? 3 : 0);
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
