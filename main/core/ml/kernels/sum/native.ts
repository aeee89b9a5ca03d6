import type { TensorInfo } from '@tensorflow/tfjs';
import { nativeOr, type NativeKernels } from '../addon';
import { float32Heap, heapViews } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import { leadingSum } from './js';

/** The bias gradient's Sum (every axis but the last) on the native kernel; other sums go to `next` (js.ts). */
export function makeNativeSum(k: NativeKernels, next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo }, { axis: number | number[]; keepDims: boolean }>;
    const { x } = args.inputs;
    const b = float32Heap(args.backend, x);
    const s = b && leadingSum(x, args.attrs);
    if (b == null || s == null || s.channels === 0) return next(rawArgs);
    const { out, views, outView } = heapViews(b, [x], s.outShape);
    return nativeOr(b, out, () => k.sumRows(views[0]!, s.channels, outView), 'sum', () => next(rawArgs));
  };
}
