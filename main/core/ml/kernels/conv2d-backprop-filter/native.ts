import * as tf from '@tensorflow/tfjs';
import type { NativeKernels } from '../addon';
import { convInfo } from '../conv-geometry';
import { nativeConv } from '../conv2d/native';
import type { AnyKernel } from '../registry';

/** Conv2DBackpropFilter on the native kernels (in place in the wasm heap); NCHW or non-float32 go to `next` (js.ts). */
export function makeNativeConv2DBackpropFilter(k: NativeKernels, next: AnyKernel): AnyKernel {
  return nativeConv(
    ['x', 'dy'],
    (x, dy, attrs) => {
      const ci = convInfo(x.shape, attrs.filterShape!, attrs);
      return ci && tf.util.arraysEqual(dy.shape, ci.outShape) ? ci : null;
    },
    (_, attrs) => attrs.filterShape!,
    (g, x, dy, df, t) => k.conv2dBackpropFilter(g, x, dy, df, t),
    next,
  );
}
