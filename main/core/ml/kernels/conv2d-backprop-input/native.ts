import * as tf from '@tensorflow/tfjs';
import type { NativeKernels } from '../addon';
import { deepConvInfo, nativeConv } from '../conv2d/native';
import type { AnyKernel } from '../registry';

/**
 * Conv2DBackpropInput on the native kernels (in place in the wasm heap). `next` (js.ts, a convolution
 * on XNNPACK) takes NCHW, non-float32 and shallow convolutions (as the forward Conv2D does).
 */
export function makeNativeConv2DBackpropInput(k: NativeKernels, next: AnyKernel): AnyKernel {
  return nativeConv(
    ['dy', 'filter'],
    (dy, filter, attrs) => {
      const ci = deepConvInfo(attrs.inputShape!, filter.shape, attrs);
      return ci && tf.util.arraysEqual(dy.shape, ci.outShape) ? ci : null;
    },
    (_, attrs) => attrs.inputShape!,
    (g, dy, f, dx, t) => k.conv2dBackpropInput(g, dy, f, dx, t),
    next,
  );
}
