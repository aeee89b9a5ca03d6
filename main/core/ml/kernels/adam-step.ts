import type { TensorInfo } from '@tensorflow/tfjs';
import type { AdamStepAttrs } from './adam-loop';
import { isHeapBackend } from './heap';
import { splitAdamStep } from './helper/split';
import type { AnyKernel, KernelArgs } from './registry';

export type { AdamStepAttrs };

/** The project's fused Adam update of one variable (see ml/adam.ts); wasm only. */
export const ADAM_STEP = 'GlyphlabAdamStep';

type Inputs = { value: TensorInfo; m: TensorInfo; v: TensorInfo; g: TensorInfo };

/**
 * One Adam step of one variable in a single pass over the wasm heap (instead of ~14 tfjs ops):
 *   m' = b1 m + (1-b1) g,  v' = b2 v + (1-b2) g^2,  w' = w - lr (m'/c1) / (sqrt(v'/c2) + eps).
 * Returns [w', m', v'] as new tensors (nothing is written in place: other tensors may share the data).
 */
export function makeAdamStep(): AnyKernel {
  return ((rawArgs: unknown) => {
    const { inputs, backend, attrs } = rawArgs as KernelArgs<Inputs, AdamStepAttrs>;
    if (!isHeapBackend(backend)) throw new Error(`${ADAM_STEP}: the backend has no heap access`);
    const { value, m, v, g } = inputs;
    const outs = [value, m, v].map((t) => backend.makeOutput(t.shape, 'float32'));
    const arrays = [value, m, v, g, ...outs].map((t) => backend.typedArrayFromHeap(t) as Float32Array);
    splitAdamStep(backend, arrays, attrs);
    return outs;
  }) as unknown as AnyKernel;
}
