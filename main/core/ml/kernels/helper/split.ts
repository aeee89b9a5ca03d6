import fs from 'node:fs';
import { Worker } from 'node:worker_threads';
import { findBuiltWorker } from '../../../built-worker';
import { wasmThreadsInUse } from '../../wasm-threads';
import type { AdamStepAttrs } from '../adam-loop';
import { wasmMemoryOfBackend, type HeapBackend, type WasmMemoryLike } from '../heap';
import { im2colRows, im2colT, type Im2colGeometry } from '../im2col';
import type { Pool2x2Geometry } from '../max-pool-grad-loops';
import { sumRowsInto } from '../sum-loop';
import {
  adamParams, CONTROL_BYTES, controlViews, gemmAtParams, im2colParams, maxPool2x2Params, ref, SCRATCH_SLOTS, STATE, sumRowsParams, type ControlViews,
} from './jobs';
import { gemmAtRows, type GemmAt } from '../simd/gemm-at';
import { adamStepFast } from '../simd/adam';
import { maxPoolGrad2x2Fast } from '../simd/pool-grad';

/**
 * The training kernels' JS loops (im2col, the 2x2 max-pool gradient, the bias-gradient sum) split
 * in two: one part runs in a helper thread on the shared wasm heap while the training thread runs
 * the other, then waits for it (Atomics; the kernels stay synchronous). Only with the threaded wasm
 * build (its heap is a SharedArrayBuffer, and there is a second core for it); otherwise, or below
 * MIN_SPLIT elements, or once the helper has failed, a loop runs whole in the calling thread.
 */
export const HELPER_FILE = 'kernel-helper.worker.js';
/** Smallest loop worth splitting (elements written or read): waking the helper costs ~0.05 ms. */
export const MIN_SPLIT = 1 << 15;
/** How long the helper may take to pick a job up (the first one waits for the thread to start). */
const PICKUP_MS = 10_000;
/** A job the helper took and never finished: a bug, reported instead of waiting forever. */
const STUCK_MS = 120_000;

interface Helper {
  worker: Worker;
  memory: WasmMemoryLike;
  views: ControlViews;
}

let helper: Helper | null = null;
let disabled: string | null = process.env.GLYPHLAB_KERNEL_HELPER === '0' ? 'turned off (GLYPHLAB_KERNEL_HELPER=0)' : null;
let helperFileOverride: string | null = null;
let jobsDone = 0;

/** Jobs the helper thread has finished in this thread's lifetime. */
export function kernelHelperJobs(): number {
  return jobsDone;
}

/** Why the helper is not used (null while it is, or may be, used). */
export function kernelHelperDisabled(): string | null {
  return disabled;
}

/** For tests: the helper script to run (null: the built one). Resets a failed helper. */
export function setKernelHelperFile(file: string | null): void {
  helperFileOverride = file;
  disabled = null;
  stopKernelHelper();
}

export function stopKernelHelper(): void {
  if (!helper) return;
  Atomics.store(helper.views.ctl, 0, STATE.stop);
  Atomics.notify(helper.views.ctl, 0);
  void helper.worker.terminate();
  helper = null;
}

function disable(reason: string): void {
  disabled = reason;
  if (helper) {
    void helper.worker.terminate();
    helper = null;
  }
}

function helperFor(backend: HeapBackend, a: Float32Array): Helper | null {
  if (disabled || wasmThreadsInUse() < 2) return null;
  // The threaded build's memory is shared: only then can the helper thread work on it.
  const memory = wasmMemoryOfBackend(backend);
  if (!(memory?.buffer instanceof SharedArrayBuffer) || a.buffer !== memory.buffer) return null;
  if (helper?.memory === memory) return helper;
  stopKernelHelper();
  const file = helperFileOverride ?? findBuiltWorker(HELPER_FILE);
  if (!file || !fs.existsSync(file)) {
    disable(`${file ?? HELPER_FILE} is not built`);
    return null;
  }
  const control = new SharedArrayBuffer(CONTROL_BYTES);
  const worker = new Worker(file, { workerData: { memory, control } });
  worker.unref();
  worker.on('error', (e) => disable(`the kernel helper thread failed: ${e.message}`));
  helper = { worker, memory, views: controlViews(control) };
  return helper;
}

/**
 * Post `params` to the helper, run `own` here, wait for the helper. If the helper does not pick the
 * job up in time or fails it, it is disabled and `theirs` (the same work) runs here instead.
 */
function splitRun(h: Helper, params: number[], own: () => void, theirs: () => void): void {
  const { ctl } = h.views;
  h.views.params.fill(0);
  h.views.params.set(params);
  Atomics.store(ctl, 0, STATE.posted);
  Atomics.notify(ctl, 0);
  // Whatever happens here, wait for the helper before returning: it writes into the heap.
  let ownError: unknown = null;
  try {
    own();
  } catch (e) {
    ownError = e;
  }
  waitForHelper(h, theirs);
  if (ownError !== null) throw ownError;
}

function waitForHelper(h: Helper, theirs: () => void): void {
  const { ctl } = h.views;
  const t0 = performance.now();
  for (;;) {
    const s = Atomics.load(ctl, 0);
    if (s === STATE.done) {
      Atomics.store(ctl, 0, STATE.idle);
      jobsDone++;
      return;
    }
    if (s === STATE.failed) {
      Atomics.store(ctl, 0, STATE.idle);
      disable('the kernel helper thread failed a job');
      theirs();
      return;
    }
    const waited = performance.now() - t0;
    if (s === STATE.posted && waited > PICKUP_MS && Atomics.compareExchange(ctl, 0, STATE.posted, STATE.idle) === STATE.posted) {
      disable('the kernel helper thread did not start');
      theirs();
      return;
    }
    if (s === STATE.taken && waited > STUCK_MS) {
      disable('the kernel helper thread stopped responding');
      throw new Error('the kernel helper thread stopped responding');
    }
    Atomics.wait(ctl, 0, s, 50);
  }
}

/** im2colT over the batch slice [n0, n1), its rows split between this thread and the helper. */
export function splitIm2colT(backend: HeapBackend, xT: Float32Array, A: Float32Array, ci: Im2colGeometry, n0: number, n1: number): void {
  const rows = im2colRows(ci);
  const h = rows > 1 && A.length >= MIN_SPLIT ? helperFor(backend, A) : null;
  if (!h) return im2colT(xT, A, ci, n0, n1);
  const mid = rows >> 1;
  splitRun(
    h,
    im2colParams(ref(xT), ref(A), ci, n0, n1, mid, rows),
    () => im2colT(xT, A, ci, n0, n1, 0, mid),
    () => im2colT(xT, A, ci, n0, n1, mid, rows),
  );
}

/** C = A·B (or C += A·B) on the wasm SIMD kernel (A [K, M], B [M, N], C [K, N]), C's rows split with the helper. */
export function splitGemmAt(backend: HeapBackend, fn: GemmAt, A: Float32Array, B: Float32Array, C: Float32Array, K: number, N: number, accumulate = false): void {
  const h = K >= 4 && A.length >= MIN_SPLIT ? helperFor(backend, A) : null;
  if (!h) return gemmAtRows(fn, A, B, C, K, N, 0, K, accumulate);
  // An even split point: the kernel works on pairs of rows.
  const mid = (K >> 2) << 1;
  splitRun(
    h,
    gemmAtParams(ref(A), ref(B), ref(C), K, N, mid, K, accumulate),
    () => gemmAtRows(fn, A, B, C, K, N, 0, mid, accumulate),
    () => gemmAtRows(fn, A, B, C, K, N, mid, K, accumulate),
  );
}

/** The 2x2 max-pool gradient, the batch split between this thread and the helper. */
export function splitMaxPoolGrad2x2(backend: HeapBackend, x: Float32Array, dy: Float32Array, dx: Float32Array, ci: Pool2x2Geometry): void {
  const N = ci.batchSize;
  const memory = wasmMemoryOfBackend(backend);
  const h = N > 1 && x.length >= MIN_SPLIT ? helperFor(backend, x) : null;
  if (!h) return maxPoolGrad2x2Fast(memory, x, dy, dx, ci);
  const mid = N >> 1;
  const inPer = ci.inHeight * ci.inWidth * ci.inChannels;
  const outPer = ci.outHeight * ci.outWidth * ci.inChannels;
  const part = (n0: number, n1: number) => ({
    x: x.subarray(n0 * inPer, n1 * inPer),
    dy: dy.subarray(n0 * outPer, n1 * outPer),
    dx: dx.subarray(n0 * inPer, n1 * inPer),
    ci: { ...ci, batchSize: n1 - n0 },
  });
  const mine = part(0, mid);
  const other = part(mid, N);
  splitRun(
    h,
    maxPool2x2Params(ref(other.x), ref(other.dy), ref(other.dx), other.ci),
    () => maxPoolGrad2x2Fast(memory, mine.x, mine.dy, mine.dx, mine.ci),
    () => maxPoolGrad2x2Fast(memory, other.x, other.dy, other.dx, other.ci),
  );
}

/** out[c] = sum over the rows of x ([rows, channels]), the rows split between this thread and the helper. */
export function splitSumLeading(backend: HeapBackend, x: Float32Array, channels: number, out: Float32Array): void {
  const rows = x.length / channels;
  const acc = new Float64Array(channels);
  const h = rows > 1 && channels <= SCRATCH_SLOTS && x.length >= MIN_SPLIT ? helperFor(backend, x) : null;
  if (!h) {
    sumRowsInto(x, channels, acc);
    out.set(acc);
    return;
  }
  const mid = (rows >> 1) * channels;
  const other = x.subarray(mid);
  let helped = true;
  splitRun(
    h,
    sumRowsParams(ref(other), channels),
    () => sumRowsInto(x.subarray(0, mid), channels, acc),
    () => {
      helped = false;
      sumRowsInto(other, channels, acc);
    },
  );
  if (helped) {
    const theirs = h.views.scratch;
    for (let c = 0; c < channels; c++) acc[c] = acc[c]! + theirs[c]!;
  }
  out.set(acc);
}

/** One Adam step over arrays of one length (w, m, v, g in; w', m', v' out), split in two halves. */
export function splitAdamStep(backend: HeapBackend, arrays: Float32Array[], attrs: AdamStepAttrs): void {
  const n = arrays[0]!.length;
  const h = n >= MIN_SPLIT ? helperFor(backend, arrays[0]!) : null;
  const part = (lo: number, hi: number) => arrays.map((a) => a.subarray(lo, hi));
  const memory = wasmMemoryOfBackend(backend);
  const step = (p: Float32Array[]) => adamStepFast(memory, p, attrs);
  if (!h) return step(arrays);
  const mid = n >> 1;
  const mine = part(0, mid);
  const other = part(mid, n);
  splitRun(h, adamParams(other.map(ref), attrs), () => step(mine), () => step(other));
}
