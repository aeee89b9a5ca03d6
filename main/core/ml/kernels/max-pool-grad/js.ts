import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews, isHeapBackend } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import { isPlain2x2, maxPoolGrad2x2Into, maxPoolGradInto } from './loops';

export type MaxPoolGradInputs = { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
export type MaxPoolGradAttrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/** The pool's geometry from the kernel's attributes. */
export function poolInfo(input: TensorInfo, attrs: MaxPoolGradAttrs): tf.backend_util.Conv2DInfo {
  const shape = input.shape as [number, number, number, number];
  return tf.backend_util.computePool2DInfo(shape, attrs.filterSize, attrs.strides, 1, attrs.pad, attrs.dimRoundingMode);
}

/**
 * MaxPoolGrad as one pass over the data in JS on the backend's own memory: for every output cell the
 * gradient goes to the first maximum of its window (row-major, the same tie rule as tfjs's cpu kernel).
 * NHWC channels are the inner loop, so reads and writes are sequential. Falls back to `original` on
 * backends without heap access or for non-float32 data.
 */
export function makeMaxPoolGrad(original: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<MaxPoolGradInputs, MaxPoolGradAttrs>;
    const { backend } = args;
    const { dy, input } = args.inputs;
    if (!isHeapBackend(backend) || input.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (original) return original(rawArgs);
      throw new Error('MaxPoolGrad: backend has no heap access');
    }
    const ci = poolInfo(input, args.attrs);
    const { out, views, outView } = heapViews(backend, [input, dy], input.shape);
    if (isPlain2x2(ci)) maxPoolGrad2x2Into(views[0]!, views[1]!, outView, ci);
    else maxPoolGradInto(views[0]!, views[1]!, outView, ci);
    return out;
  };
}
