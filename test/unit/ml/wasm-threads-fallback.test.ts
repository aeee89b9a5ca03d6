import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { initBackend } from '../../../main/core/ml/backends';
import { setWasmThreadsCacheDir, wasmThreadsInUse } from '../../../main/core/ml/wasm-threads';

// Its own file: the wasm backend starts once per process.
describe('multi-threaded wasm backend cannot start', () => {
  it('falls back to the single-threaded build and says why', async () => {
    // The pool's worker scripts cannot be written (the cache "folder" is a file).
    const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-wt-')), 'not-a-dir');
    fs.writeFileSync(file, '');
    setWasmThreadsCacheDir(file);
    const info = await initBackend('wasm', { wasmThreads: 2 });
    expect(info.name).toBe('wasm');
    expect(tf.getBackend()).toBe('wasm');
    expect(info.threads).toBe(1);
    expect(wasmThreadsInUse()).toBe(0);
    expect(info.reason).toMatch(/1 thread \(the threaded build failed: .+\)/);
    const y = tf.conv2d(tf.ones([1, 5, 5, 1]) as tf.Tensor4D, tf.ones([3, 3, 1, 1]) as tf.Tensor4D, 1, 'same');
    expect(Array.from(y.dataSync()).slice(0, 7)).toEqual([4, 6, 6, 6, 4, 6, 9]);
  });
});
