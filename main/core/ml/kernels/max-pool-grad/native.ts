import { nativeOr, type NativeKernels } from '../addon';
import { float32Heap, heapViews } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import { poolInfo, type MaxPoolGradAttrs, type MaxPoolGradInputs } from './js';
import { isPlain2x2 } from './loops';

/** The 2x2 max-pool gradient (the model's pools) on the native kernel; other pools go to `next` (js.ts). */
export function makeNativeMaxPoolGrad(k: NativeKernels, next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<MaxPoolGradInputs, MaxPoolGradAttrs>;
    const { dy, input } = args.inputs;
    const b = float32Heap(args.backend, input, dy);
    const ci = b && poolInfo(input, args.attrs);
    if (b == null || ci == null || !isPlain2x2(ci)) return next(rawArgs);
    const { out, views, outView } = heapViews(b, [input, dy], input.shape);
    const { batchSize: n, inHeight: h, inWidth: w, inChannels: c, outHeight: ho, outWidth: wo } = ci;
    return nativeOr(b, out, () => k.maxPoolGrad2x2(views[0]!, views[1]!, outView, n, h, w, c, ho, wo), 'pool', () => next(rawArgs));
  };
}
