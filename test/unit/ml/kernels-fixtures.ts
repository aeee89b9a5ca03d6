import * as tf from '@tensorflow/tfjs';
import { registerTrainingKernels, restoreKernels } from '../../../main/core/ml/kernels';
import { nativeKernels } from '../../../main/core/ml/kernels/addon';

/** Deterministic values in [-1, 1) (no tfjs RNG: the same numbers on every backend). */
export function values(n: number, seed: number, zeroEvery = 0): Float32Array {
  const out = new Float32Array(n);
  let s = seed >>> 0 || 1;
  for (let i = 0; i < n; i++) {
    s = (Math.imul(s, 1664525) + 1013904223) >>> 0;
    out[i] = zeroEvery > 0 && i % zeroEvery === 0 ? 0 : s / 2 ** 31 - 1;
  }
  return out;
}

/** Runs fn on a backend and returns the results as plain arrays (tensors disposed). */
export async function onBackend(name: string, fn: () => tf.Tensor[]): Promise<Float32Array[]> {
  if (!(await tf.setBackend(name))) throw new Error(`cannot set backend ${name}`);
  await tf.ready();
  const ts = fn();
  const out = ts.map((t) => t.dataSync() as Float32Array);
  tf.dispose(ts);
  return out;
}

/** Max |a-b| relative to max |a| (scale-free comparison of gradients). */
export function relDiff(a: Float32Array, b: Float32Array): number {
  if (a.length !== b.length) return Infinity;
  let d = 0;
  let m = 1e-12;
  for (let i = 0; i < a.length; i++) {
    d = Math.max(d, Math.abs(a[i]! - b[i]!));
    m = Math.max(m, Math.abs(a[i]!));
  }
  return d / m;
}

/** Make sure the cpu reference uses tfjs's own kernels. */
export function cpuReference(): void {
  restoreKernels('cpu');
}

/** Data buffers the active backend holds (intermediates of kernels are not tensors). */
export function backendDataIds(): number {
  return tf.engine().backend.numDataIds();
}

export type Pad = 'same' | 'valid' | number;

/** A convolution to check: input and filter shapes, stride, padding (and dilation, forward only). */
export interface ConvCase {
  name: string;
  x: [number, number, number, number];
  f: [number, number, number, number];
  stride: number;
  pad: Pad;
  dilation?: number;
}

/** The tiers to test: native (where the addon is built here) and JS. (A function: the addon loads on the first call.) */
export function tiers(): Array<'native' | 'js'> {
  return nativeKernels() ? ['native', 'js'] : ['js'];
}

/** Registers the wasm kernels with (or without) their native tier for a suite's tests; back to every tier afterwards. */
export function onTier(tier: 'native' | 'js'): { before: () => void; after: () => void } {
  return {
    before: () => void registerTrainingKernels('wasm', { native: tier === 'native' }),
    after: () => void registerTrainingKernels('wasm'),
  };
}
