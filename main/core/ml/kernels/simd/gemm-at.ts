import type { WasmMemoryLike } from '../heap';
import { countSimdCall, simdExports } from './modules';

/**
 * The project's wasm SIMD product for the filter gradient and the dense layers (gemm-at.wat), instantiated on tfjs-wasm's
 * own memory so it reads and writes tensors in place: C[k, :] += sum over m of A[k, m] * B[m, :] for
 * rows [k0, k1) (A [K, M], B [M, N], C [K, N], N a multiple of 4; byte offsets); acc = 0: C = A·B.
 */
export type GemmAt = (a: number, b: number, c: number, k0: number, k1: number, M: number, N: number, m0: number, m1: number, blk: number, acc: number) => void;

/** Columns of B per pass (m block): B's block of rows stays in cache while both rows of C use it. */
export const GEMM_AT_BLOCK = 128;
/** N must be a multiple of this (columns go in register blocks of 16, the rest in blocks of 4). */
export const GEMM_AT_COLUMNS = 4;

/** The kernel bound to `memory`, or null when SIMD is off or unavailable (see simd/modules.ts). */
export function gemmAtFor(memory: WasmMemoryLike): GemmAt | null {
  return (simdExports('gemm-at', memory)?.gemmAt as GemmAt | undefined) ?? null;
}

/** Rows [k0, k1) of C = A·B, or C += A·B with `accumulate`. Arrays are views of `memory`. */
export function gemmAtRows(fn: GemmAt, A: Float32Array, B: Float32Array, C: Float32Array, K: number, N: number, k0: number, k1: number, accumulate = false): void {
  const M = A.length / K;
  if (M === 0) {
    if (!accumulate) C.fill(0, k0 * N, k1 * N);
    return;
  }
  fn(A.byteOffset, B.byteOffset, C.byteOffset, k0, k1, M, N, 0, M, GEMM_AT_BLOCK, accumulate ? 1 : 0);
  countSimdCall('gemm-at');
}
