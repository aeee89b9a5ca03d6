import type { TensorInfo } from '@tensorflow/tfjs';
import { nativeOr, type NativeKernels } from '../addon';
import type { AnyKernel } from '../registry';
import { adamArrays } from './js';

/** The fused Adam update on the native kernel (float32); if the addon refuses the call, `next` (js.ts) runs. */
export function makeNativeAdamStep(k: NativeKernels, next: AnyKernel): AnyKernel {
  return ((rawArgs: Parameters<AnyKernel>[0]) => {
    const { backend, attrs: a, outs, arrays } = adamArrays(rawArgs);
    const [w, m, v, g, wo, mo, vo] = arrays as [Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array, Float32Array];
    const call = () => k.adamStep(w, m, v, g, wo, mo, vo, a.beta1, a.beta2, a.learningRate / a.correction1, a.correction2, a.epsilon);
    return nativeOr<TensorInfo[]>(backend, outs, call, 'adam', () => next(rawArgs) as unknown as TensorInfo[]);
  }) as unknown as AnyKernel;
}
