import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { wasmPThreads, wasmThreadsInUse } from '../../../main/core/ml/wasm-threads';
import { cpuReference, onBackend, relDiff, values } from './kernels-fixtures';

// Its own file: the wasm backend's thread count is fixed when it first starts in a process.
describe('multi-threaded wasm backend in Node', () => {
  it('starts with the threads asked for, says so, and trains a conv net to the cpu backend result', async () => {
    const info = await initBackend('wasm', { wasmThreads: 2 });
    expect(info.name).toBe('wasm');
    expect(info.threads).toBe(2);
    expect(wasmThreadsInUse()).toBe(2);
    expect(info.reason).toMatch(/2 threads; native kernels (on|off|not built)/);
    // XNNPACK's pool holds one worker (this thread is the other); the glue's idle spares are ended.
    expect(wasmPThreads()?.runningWorkers).toHaveLength(1);
    expect(wasmPThreads()?.unusedWorkers).toHaveLength(0);
    // A second start keeps the running backend and reports it the same way.
    expect((await initBackend('wasm', { wasmThreads: 1 })).threads).toBe(2);

    cpuReference();
    const xs: [number, number, number, number] = [8, 12, 12, 3];
    const fs: [number, number, number, number] = [3, 3, 3, 16];
    const xv = values(xs.reduce((a, b) => a * b), 5);
    const fv = values(fs.reduce((a, b) => a * b), 6);
    const run = () => {
      const x = tf.tensor4d(xv, xs);
      const f = tf.tensor4d(fv, fs);
      const loss = (a: tf.Tensor, b: tf.Tensor) =>
        tf.sum(tf.square(tf.maxPool(tf.relu(tf.conv2d(a as tf.Tensor4D, b as tf.Tensor4D, 1, 'same')), 2, 2, 'valid')));
      const [dx, df] = tf.grads(loss)([x, f]);
      return [tf.conv2d(x, f, 1, 'same'), dx!, df!];
    };
    const cpu = await onBackend('cpu', () => tf.tidy(run));
    const wasm = await onBackend('wasm', () => tf.tidy(run));
    for (let i = 0; i < cpu.length; i++) expect(relDiff(cpu[i]!, wasm[i]!)).toBeLessThan(1e-5);
  });
});
