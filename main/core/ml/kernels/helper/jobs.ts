import type { AdamStepAttrs } from '../adam-loop';
import { im2colT, type Im2colGeometry } from '../im2col';
import type { Pool2x2Geometry } from '../max-pool-grad-loops';
import { sumRowsInto } from '../sum-loop';
import type { WasmMemoryLike } from '../heap';
import { gemmAtFor, gemmAtRows } from '../simd/gemm-at';
import { adamStepFast } from '../simd/adam';
import { maxPoolGrad2x2Fast } from '../simd/pool-grad';

/**
 * What the kernel helper thread and the thread that trains share: a small control block (a state
 * word, a job's parameters, a float64 scratch for partial sums) next to the wasm heap itself. A job
 * is one part of a kernel's loop over the heap (its other part runs in the training thread).
 */
export const STATE = { idle: 0, posted: 1, taken: 2, done: 3, failed: 4, stop: 5 } as const;
export const JOB = { im2col: 1, maxPool2x2: 2, sumRows: 3, adam: 4, gemmAt: 5 } as const;
export const PARAM_SLOTS = 32;
/** Channels a split Sum can hold in the scratch (wider sums are not split). */
export const SCRATCH_SLOTS = 4096;
export const CONTROL_BYTES = 16 + 8 * (PARAM_SLOTS + SCRATCH_SLOTS);

export interface ControlViews {
  ctl: Int32Array;
  params: Float64Array;
  scratch: Float64Array;
}

export function controlViews(sab: SharedArrayBuffer): ControlViews {
  return {
    ctl: new Int32Array(sab, 0, 4),
    params: new Float64Array(sab, 16, PARAM_SLOTS),
    scratch: new Float64Array(sab, 16 + 8 * PARAM_SLOTS, SCRATCH_SLOTS),
  };
}

/** A float32 array on the heap, as (byte offset, length) so another thread can view it. */
export type HeapRef = [byteOffset: number, length: number];
export const ref = (a: Float32Array): HeapRef => [a.byteOffset, a.length];

export function im2colParams(xT: HeapRef, A: HeapRef, ci: Im2colGeometry, n0: number, n1: number, r0: number, r1: number): number[] {
  const g = [ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.outHeight, ci.outWidth, ci.filterHeight, ci.filterWidth];
  return [JOB.im2col, ...g, ci.strideHeight, ci.strideWidth, ci.padInfo.top, ci.padInfo.left, ...xT, ...A, n0, n1, r0, r1];
}

export function maxPool2x2Params(x: HeapRef, dy: HeapRef, dx: HeapRef, ci: Pool2x2Geometry): number[] {
  return [JOB.maxPool2x2, ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels, ci.outHeight, ci.outWidth, ...x, ...dy, ...dx];
}

export function sumRowsParams(x: HeapRef, channels: number): number[] {
  return [JOB.sumRows, ...x, channels];
}

/** Arrays w, m, v, g (in) and w', m', v' (out) of one Adam step; the attrs are the job's float slots. */
export function adamParams(arrays: HeapRef[], a: AdamStepAttrs): number[] {
  return [JOB.adam, ...arrays.flat(), a.learningRate, a.beta1, a.beta2, a.epsilon, a.correction1, a.correction2];
}

/** Rows [k0, k1) of C = A·B (or C += A·B) on the wasm SIMD kernel (A [K, M], B [M, N], C [K, N]). */
export function gemmAtParams(A: HeapRef, B: HeapRef, C: HeapRef, K: number, N: number, k0: number, k1: number, accumulate: boolean): number[] {
  return [JOB.gemmAt, ...A, ...B, ...C, K, N, k0, k1, accumulate ? 1 : 0];
}

/** Runs the job described by `p` on `memory`'s heap; a sum's result goes to scratch[0, channels). */
export function runJob(memory: WasmMemoryLike, params: Float64Array, scratch: Float64Array): void {
  const heap = memory.buffer;
  // Integers again (all are non-negative, heap offsets < 4 GB): the loops index arrays with these, and
  // doubles there make them ~1.7x slower.
  const p = Uint32Array.from(params);
  const f32 = (at: number) => {
    const [off, len] = [p[at]!, p[at + 1]!];
    if (off + 4 * len > heap.byteLength) throw new Error(`heap range ${off}+${4 * len} beyond ${heap.byteLength} bytes`);
    return new Float32Array(heap, off, len);
  };
  switch (p[0]) {
    case JOB.im2col: {
      const ci: Im2colGeometry = {
        batchSize: p[1]!, inHeight: p[2]!, inWidth: p[3]!, inChannels: p[4]!, outHeight: p[5]!, outWidth: p[6]!,
        filterHeight: p[7]!, filterWidth: p[8]!, strideHeight: p[9]!, strideWidth: p[10]!,
        padInfo: { top: p[11]!, left: p[12]! },
      };
      im2colT(f32(13), f32(15), ci, p[17]!, p[18]!, p[19]!, p[20]!);
      return;
    }
    case JOB.maxPool2x2: {
      const ci: Pool2x2Geometry = { batchSize: p[1]!, inHeight: p[2]!, inWidth: p[3]!, inChannels: p[4]!, outHeight: p[5]!, outWidth: p[6]! };
      maxPoolGrad2x2Fast(memory, f32(7), f32(9), f32(11), ci);
      return;
    }
    case JOB.adam: {
      const [w, m, v, g, w1, m1, v1] = [1, 3, 5, 7, 9, 11, 13].map(f32);
      const [learningRate, beta1, beta2, epsilon, correction1, correction2] = params.subarray(15, 21);
      adamStepFast(memory, [w!, m!, v!, g!, w1!, m1!, v1!], { learningRate: learningRate!, beta1: beta1!, beta2: beta2!, epsilon: epsilon!, correction1: correction1!, correction2: correction2! });
      return;
    }
    case JOB.sumRows: {
      const channels = p[3]!;
      const acc = scratch.subarray(0, channels);
      acc.fill(0);
      sumRowsInto(f32(1), channels, acc);
      return;
    }
    case JOB.gemmAt: {
      const fn = gemmAtFor(memory);
      if (!fn) throw new Error('the wasm SIMD kernel is not available in the helper thread');
      gemmAtRows(fn, f32(1), f32(3), f32(5), p[7]!, p[8]!, p[9]!, p[10]!, p[11] === 1);
      return;
    }
    default:
      throw new Error(`unknown kernel helper job ${p[0]}`);
  }
}
