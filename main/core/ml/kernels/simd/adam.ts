import { adamStepInto, type AdamStepAttrs } from '../adam-loop';
import type { WasmMemoryLike } from '../heap';
import { countSimdCall, simdExports } from './modules';

/** adam.wat's kernel: byte offsets of w, m, v, g, w', m', v', then n, b1, 1 - b1, b2, 1 - b2, lr / c1, c2, eps. */
type AdamSimd = (
  w: number, m: number, v: number, g: number, wo: number, mo: number, vo: number, n: number,
  b1: number, b1c: number, b2: number, b2c: number, step: number, c2: number, eps: number,
) => void;

/**
 * adamStepInto on the project's SIMD kernel (simd/adam.wat, in float32) when every array is a view of
 * `memory`; else the JS loop (float64). Arrays: w, m, v, g, w', m', v', all of one length.
 */
export function adamStepFast(memory: WasmMemoryLike | null, arrays: Float32Array[], a: AdamStepAttrs): void {
  const fn = memory && arrays.every((x) => x.buffer === memory.buffer)
    ? (simdExports('adam', memory)?.adamStep as AdamSimd | undefined)
    : undefined;
  const [w, m, v, g, wo, mo, vo] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
  if (!fn) return adamStepInto(w, m, v, g, wo, mo, vo, a);
  fn(w.byteOffset, m.byteOffset, v.byteOffset, g.byteOffset, wo.byteOffset, mo.byteOffset, vo.byteOffset, w.length,
    a.beta1, 1 - a.beta1, a.beta2, 1 - a.beta2, a.learningRate / a.correction1, a.correction2, a.epsilon);
  countSimdCall('adam');
}
