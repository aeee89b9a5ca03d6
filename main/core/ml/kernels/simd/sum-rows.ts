import type { TensorInfo } from '@tensorflow/tfjs';
import type { HeapBackend, WasmMemoryLike } from '../heap';
import { countSimdCall, simdExports } from './modules';

/** sum-rows.wat's kernel: acc64[c] += column sums of x [rows, C] (byte offsets). */
type SumRows = (x: number, rows: number, C: number, acc: number) => void;

/**
 * out[c] = sum over the rows of x ([rows, C], a heap tensor) on the project's SIMD kernel, summed in
 * float32 over blocks of 64 rows and in float64 across blocks. False (nothing written) when the
 * kernel does not apply: SIMD off or unavailable, C not a multiple of 4.
 */
export function sumRowsSimd(backend: HeapBackend, memory: WasmMemoryLike, x: TensorInfo, C: number, out: TensorInfo): boolean {
  const fn = C % 4 === 0 ? (simdExports('sum-rows', memory)?.sumRows as SumRows | undefined) : undefined;
  if (!fn) return false;
  // Float64 accumulators on the heap (2 float32 slots each); views after the allocation.
  const acc = backend.makeOutput([2 * C], 'float32');
  try {
    const accBytes = (backend.typedArrayFromHeap(acc) as Float32Array).byteOffset;
    if (accBytes % 8 !== 0) return false;
    const acc64 = new Float64Array(memory.buffer, accBytes, C);
    acc64.fill(0);
    const xv = backend.typedArrayFromHeap(x) as Float32Array;
    if (xv.length > 0) fn(xv.byteOffset, xv.length / C, C, accBytes);
    (backend.typedArrayFromHeap(out) as Float32Array).set(acc64);
    countSimdCall('sum-rows');
    return true;
  } finally {
    backend.disposeData(acc.dataId);
  }
}
