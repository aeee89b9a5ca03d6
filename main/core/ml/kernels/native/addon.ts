import { createRequire } from 'node:module';
import os from 'node:os';
import type { TensorInfo } from '@tensorflow/tfjs';
import { isHeapBackend, type HeapBackend } from '../heap';

/**
 * The project's native CPU kernels (native/: C++ SGEMM with an AVX2+FMA micro-kernel, NHWC
 * convolution and both its gradients, parallel over the batch), an optional dependency built by
 * node-gyp at install. Where it did not build or load, or GLYPHLAB_NATIVE_KERNELS=0, the wasm backend
 * keeps the project's wasm kernels; `nativeKernelStatus()` says which and why.
 */
export interface NativeKernels {
  /** geometry: [n, h, w, cin, ho, wo, cout, fh, fw, sh, sw, dh, dw, padTop, padLeft] */
  conv2dForward(geom: Int32Array, x: Float32Array, filter: Float32Array, y: Float32Array, threads: number): void;
  conv2dBackpropFilter(geom: Int32Array, x: Float32Array, dy: Float32Array, dfilter: Float32Array, threads: number): void;
  conv2dBackpropInput(geom: Int32Array, dy: Float32Array, filter: Float32Array, dx: Float32Array, threads: number): void;
  matmul(a: Float32Array, b: Float32Array, out: Float32Array, m: number, n: number, k: number, transposeA: boolean, transposeB: boolean): void;
  /** 'avx2-fma' or 'generic': which micro-kernel the CPU runs. */
  simd(): string;
}

export const NATIVE_PACKAGE = '@glyphlab/native-kernels';

let loaded: { kernels: NativeKernels | null; reason: string } | null = null;
let enabled = true;
const calls = { conv: 0, matmul: 0 };
export type NativeKernelKind = keyof typeof calls;

function load(): { kernels: NativeKernels | null; reason: string } {
  if (process.env.GLYPHLAB_NATIVE_KERNELS === '0') return { kernels: null, reason: 'off (GLYPHLAB_NATIVE_KERNELS=0)' };
  try {
    const k = createRequire(import.meta.url)(NATIVE_PACKAGE) as NativeKernels;
    if (typeof k.conv2dForward !== 'function' || typeof k.simd !== 'function') {
      return { kernels: null, reason: `${NATIVE_PACKAGE} has no kernels (an old build?)` };
    }
    return { kernels: k, reason: `on (${k.simd()}, ${nativeThreads()} threads)` };
  } catch (e) {
    const msg = e instanceof Error ? e.message.split('\n')[0]! : String(e);
    return { kernels: null, reason: `not built here (${msg}); run npm ci with a C++ compiler to get them` };
  }
}

/** The addon, or null when it is missing, failed to load or was switched off. */
export function nativeKernels(): NativeKernels | null {
  loaded ??= load();
  return enabled ? loaded.kernels : null;
}

/** 'on (avx2-fma, 2 threads)', 'off (...)', 'not built here (...)': for the backend's description. */
export function nativeKernelStatus(): string {
  loaded ??= load();
  if (!enabled && loaded.kernels) return 'off (switched off in this process)';
  return loaded.reason;
}

/** For tests and benches: route kernels to the wasm paths (false) or back to native (true). */
export function setNativeKernelsEnabled(on: boolean): void {
  enabled = on;
}

let threads: number | null = null;

/** Threads the native kernels split a batch over: GLYPHLAB_NATIVE_THREADS, else the cores (1-8); read once. */
export function nativeThreads(): number {
  if (threads == null) {
    const env = Number(process.env.GLYPHLAB_NATIVE_THREADS);
    const n = Number.isInteger(env) && env > 0 ? env : os.availableParallelism();
    threads = Math.max(1, Math.min(8, n));
  }
  return threads;
}

/** The addon and a heap backend when every tensor is float32, else null (the kernel's fallback runs). */
export function nativeReady(backend: unknown, ...ts: TensorInfo[]): { k: NativeKernels; b: HeapBackend } | null {
  const k = nativeKernels();
  if (k == null || !isHeapBackend(backend) || ts.some((t) => t.dtype !== 'float32')) return null;
  return { k, b: backend };
}

/** Native kernel calls so far in this thread, of one kind or all (tests check which path ran). */
export function nativeCalls(kind?: NativeKernelKind): number {
  return kind ? calls[kind] : calls.conv + calls.matmul;
}

export function countNativeCall(kind: NativeKernelKind): void {
  calls[kind]++;
}

/**
 * Runs a native call that fills `out`; if the addon throws (it refuses what it cannot compute), frees
 * `out` in the wasm heap and lets the fallback kernel compute the result instead.
 */
export function nativeOr(b: HeapBackend, out: TensorInfo, call: () => void, kind: NativeKernelKind, fallback: () => TensorInfo): TensorInfo {
  try {
    call();
  } catch {
    b.disposeData(out.dataId);
    return fallback();
  }
  countNativeCall(kind);
  return out;
}

