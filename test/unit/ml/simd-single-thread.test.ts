import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { wasmMemoryOfBackend } from '../../../main/core/ml/kernels/heap';
import { cpuReference, onBackend, relDiff, values } from './kernels-fixtures';
import { simdCalls } from '../../../main/core/ml/kernels/simd/modules';
import { setNativeKernelsEnabled } from '../../../main/core/ml/kernels/native/addon';

// These tests are of the project's wasm kernels: the native ones (native-kernels.test.ts), which
// take the larger convolutions and the dense products when the addon is built, stay out of the way.
setNativeKernelsEnabled(false);

// Its own file: the single-threaded wasm build (its memory is a plain ArrayBuffer) is chosen once per process.
describe('the SIMD filter-gradient product on single-threaded wasm', () => {
  beforeAll(async () => {
    const info = await initBackend('wasm', { wasmThreads: 1 });
    expect(info.threads).toBe(1);
    expect(info.reason).toMatch(/1 thread; SIMD kernels on; native kernels (on|off|not built)/);
    cpuReference();
  });

  it('runs on the plain-memory variant and equals the cpu backend', async () => {
    await tf.setBackend('wasm');
    expect(wasmMemoryOfBackend(tf.backend())?.buffer).toBeInstanceOf(ArrayBuffer);
    const run = () => {
      const x = tf.tensor4d(values(5 * 10 * 9 * 3, 71), [5, 10, 9, 3]);
      const dy = tf.tensor4d(values(5 * 10 * 9 * 32, 72), [5, 10, 9, 32]);
      return [tf.engine().runKernel('Conv2DBackpropFilter', { x, dy }, { strides: 1, pad: 'same', dataFormat: 'NHWC', filterShape: [3, 3, 3, 32] }) as tf.Tensor];
    };
    const [cpu] = await onBackend('cpu', () => tf.tidy(run));
    const before = simdCalls('gemm-at');
    const [wasm] = await onBackend('wasm', () => tf.tidy(run));
    expect(simdCalls('gemm-at') - before).toBe(1);
    expect(relDiff(cpu!, wasm!)).toBeLessThan(1e-5);
  });
});
