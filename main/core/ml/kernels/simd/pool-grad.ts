import type { WasmMemoryLike } from '../heap';
import { maxPoolGrad2x2Into, type Pool2x2Geometry } from '../max-pool-grad-loops';
import { countSimdCall, simdExports } from './modules';

/** pool-grad.wat's kernel: byte offsets of x, dy, dx, then N, H, W, C, Ho, Wo. */
type PoolGrad2x2 = (x: number, dy: number, dx: number, N: number, H: number, W: number, C: number, Ho: number, Wo: number) => void;

/**
 * maxPoolGrad2x2Into on the project's SIMD kernel (simd/pool-grad.wat) when the arrays are views of
 * `memory` and the channels a multiple of 4; else the JS loop. Same result either way.
 */
export function maxPoolGrad2x2Fast(memory: WasmMemoryLike | null, x: Float32Array, dy: Float32Array, dx: Float32Array, ci: Pool2x2Geometry): void {
  // (No channels: the kernel's loops run at least once, so the JS loop takes it.)
  const fn = memory && ci.inChannels > 0 && ci.inChannels % 4 === 0 && [x, dy, dx].every((a) => a.buffer === memory.buffer)
    ? (simdExports('pool-grad', memory)?.maxPoolGrad2x2 as PoolGrad2x2 | undefined)
    : undefined;
  if (!fn) return maxPoolGrad2x2Into(x, dy, dx, ci);
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = ci;
  // Rows/cols no window covers (odd sizes) get no gradient; the kernel writes only covered cells.
  if (Ho * 2 < H || Wo * 2 < W) dx.fill(0);
  fn(x.byteOffset, dy.byteOffset, dx.byteOffset, N, H, W, C, Ho, Wo);
  countSimdCall('pool-grad');
}
