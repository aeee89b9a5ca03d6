import type { TensorInfo } from '@tensorflow/tfjs';
import { isHeapBackend, type HeapBackend } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import { ADAM_STEP, adamStepInto, type AdamStepAttrs } from './loop';

export type AdamInputs = { value: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };

/** The kernel's arguments checked, its outputs [w', m', v'] allocated, and every array's heap view (w, m, v, g, w', m', v'). */
export function adamArrays(rawArgs: unknown): { backend: HeapBackend; attrs: AdamStepAttrs; outs: TensorInfo[]; arrays: Float32Array[] } {
  const { inputs, backend, attrs } = rawArgs as KernelArgs<AdamInputs, AdamStepAttrs>;
  if (!isHeapBackend(backend)) throw new Error(`${ADAM_STEP}: the backend has no heap access`);
  const { value, m, v, g } = inputs;
  const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
  const arrays = [value, m, v, g, ...outs].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
  return { backend, attrs, outs, arrays };
}

/**
 * One Adam step of one variable in a single JS pass over the wasm heap (instead of ~14 tfjs ops).
 * Returns [w', m', v'] as new tensors (nothing is written in place: other tensors may share the data).
 */
export function makeAdamStep(): AnyKernel {
  return ((rawArgs: unknown) => {
    const { attrs, outs, arrays } = adamArrays(rawArgs);
    const [w, m, v, g, wo, mo, vo] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    adamStepInto(w, m, v, g, wo, mo, vo, attrs);
    return outs;
  }) as unknown as AnyKernel;
}
