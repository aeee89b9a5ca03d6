import { createRequire } from 'node:module';
import os from 'node:os';
import type { TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend } from './heap';

/**
 * The project's native CPU kernels (native/: C++ SGEMM with an AVX2+FMA micro-kernel, NHWC convolution
 * and both its gradients parallel over the batch, and the single-pass max-pool gradient, bias sum and
 * Adam update), an optional dependency built by node-gyp at install. Where it did not build or load, or
 * GLYPHLAB_NATIVE_KERNELS=0, every kernel registers its JS tier instead (see index.ts);
 * `nativeKernelStatus()` says which and why.
 */
export interface NativeKernels {
  /** geometry: [n, h, w, cin, ho, wo, cout, fh, fw, sh, sw, dh, dw, padTop, padLeft] */
  conv2dForward(geom: Int32Array, x: Float32Array, filter: Float32Array, y: Float32Array, threads: number): void;
  conv2dBackpropFilter(geom: Int32Array, x: Float32Array, dy: Float32Array, dfilter: Float32Array, threads: number): void;
  conv2dBackpropInput(geom: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array, threads: number): void;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): void;
  maxPoolGrad2x2(x: Float32Array, dy: Float32Array, dx: Float32Array, n: number, h: number, w: number, c: number, ho: number, wo: number): void;
  /** out[c] = column sums of x viewed as [x.length / c, c]. */
  sumRows(x: Float32Array, c: number, out: Float32Array): void;
  /** step = learning rate / (1 - beta1^t). */
  adamStep(
    w: Float32Array, m: Float32Array, v: Float32Array, g: Float32Array, wOut: Float32Array, mOut: Float32Array, vOut: Float32Array,
    beta1: number, beta2: number, step: number, correction2: number, epsilon: number,
  ): void;
  /** 'avx2-fma' or 'generic': which micro-kernel the CPU runs. */
  simd(): string;
}

export const NATIVE_PACKAGE = '@glyphlab/native-kernels';

let loaded: { kernels: NativeKernels | null; reason: string } | null = null;
const calls = { conv: 0, matmul: 0, pool: 0, sum: 0, adam: 0 };
export type NativeKernelKind = keyof typeof calls;

function load(): { kernels: NativeKernels | null; reason: string } {
  if (process.env.GLYPHLAB_NATIVE_KERNELS === '0') return { kernels: null, reason: 'off (GLYPHLAB_NATIVE_KERNELS=0)' };
  try {
    const k = createRequire(import.meta.url)(NATIVE_PACKAGE) as NativeKernels;
    if (typeof k.conv2dForward !== 'function' || typeof k.adamStep !== 'function' || typeof k.simd !== 'function') {
      return { kernels: null, reason: `${NATIVE_PACKAGE} lacks kernels (an old build? run npm ci)` };
    }
    return { kernels: k, reason: `on (${k.simd()}, ${nativeThreads()} threads)` };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { kernels: null, reason: `not built here (${msg}); run npm ci with a C++ compiler to get them` };
  }
}

/** The addon, or null when it is missing, failed to load or was switched off (read once per thread). */
export function nativeKernels(): NativeKernels | null {
  loaded ??= load();
  return loaded.kernels;
}

/** 'on (avx2-fma, 2 threads)', 'off (...)', 'not built here (...)': for the backend's description. */
export function nativeKernelStatus(): string {
  loaded ??= load();
  return loaded.reason;
}

/** Threads the native convolutions split a batch over: the cores, 1-8. */
export function nativeThreads(): number {
  return Math.max(1, Math.min(8, os.availableParallelism()));
}

/** Native kernel calls so far in this thread, of one kind or all (tests and benches check which tier ran). */
export function nativeCalls(kind?: NativeKernelKind): number {
  return kind ? calls[kind] : Object.values(calls).reduce((s, n) => s + n, 0);
}

/**
 * Runs a native call that fills `out` (one tensor or several); if the addon throws (it refuses what it
 * cannot compute), frees `out` in the wasm heap and lets the next tier compute the result instead.
 */
export function nativeOr<T extends TensorInfo | TensorInfo[]>(b: HeapBackend, out: T, call: () => void, kind: NativeKernelKind, next: () => T): T {
  try {
    call();
  } catch {
    for (const t of [out].flat()) b.disposeData(t.dataId);
    return next();
  }
  calls[kind]++;
  return out;
}
