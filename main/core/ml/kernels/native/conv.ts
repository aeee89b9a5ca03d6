import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import { convInfo, type ConvAttrs } from '../conv-geometry';
import { nativeOr, nativeReady, nativeThreads } from './addon';

/**
 * Conv2D, Conv2DBackpropFilter and Conv2DBackpropInput of the wasm backend on the native kernels
 * (addon.ts), reading and writing the tensors in place in the wasm heap. Each falls back to `next`
 * (the project's wasm kernel or tfjs's own) when the addon is not there, for NCHW or non-float32
 * tensors, and for convolutions with fewer than MIN_NATIVE_DEPTH products per output (the first layer's
 * 3x3x1: XNNPACK's direct convolution is faster there than im2col + GEMM).
 */
export const MIN_NATIVE_DEPTH = 32;

type Shape4 = [number, number, number, number];
type FwdAttrs = ConvAttrs & { dilations: [number, number] | number };

function geometry(ci: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels,
    ci.outHeight, ci.outWidth, ci.outChannels,
    ci.filterHeight, ci.filterWidth,
    ci.strideHeight, ci.strideWidth, ci.dilationHeight, ci.dilationWidth,
    ci.padInfo.top, ci.padInfo.left,
  ]);
}

/** The geometry when the native kernels should take this convolution, else null (use the fallback). */
function nativeInfo(xShape: number[], fShape: number[], attrs: ConvAttrs, dilations: [number, number] | number = 1): tf.backend_util.Conv2DInfo | null {
  const ci = convInfo(xShape, fShape, attrs, dilations);
  if (ci == null || ci.filterHeight * ci.filterWidth * ci.inChannels < MIN_NATIVE_DEPTH) return null;
  return ci;
}

export function makeNativeConv2D(next: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo; filter: TensorInfo }, FwdAttrs>;
    const { x, filter } = args.inputs;
    const r = nativeReady(args.backend, x, filter);
    const ci = r && nativeInfo(x.shape, filter.shape, args.attrs, args.attrs.dilations ?? 1);
    const fallback = () => {
      if (next) return next(rawArgs);
      throw new Error('Conv2D: no kernel for this case');
    };
    if (r == null || ci == null) return fallback();
    const { out, views, outView } = heapViews(r.b, [x, filter], ci.outShape);
    return nativeOr(r.b, out, () => r.k.conv2dForward(geometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', fallback);
  };
}

export function makeNativeConv2DBackpropFilter(next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo; dy: TensorInfo }, ConvAttrs & { filterShape: Shape4 }>;
    const { x, dy } = args.inputs;
    const r = nativeReady(args.backend, x, dy);
    const ci = r && nativeInfo(x.shape, args.attrs.filterShape, args.attrs);
    if (r == null || ci == null || !tf.util.arraysEqual(dy.shape, ci.outShape)) return next(rawArgs);
    const { out, views, outView } = heapViews(r.b, [x, dy], args.attrs.filterShape);
    return nativeOr(r.b, out, () => r.k.conv2dBackpropFilter(geometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', () => next(rawArgs));
  };
}

export function makeNativeConv2DBackpropInput(next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ dy: TensorInfo; filter: TensorInfo }, ConvAttrs & { inputShape: Shape4 }>;
    const { dy, filter } = args.inputs;
    const r = nativeReady(args.backend, dy, filter);
    const ci = r && nativeInfo(args.attrs.inputShape, filter.shape, args.attrs);
    if (r == null || ci == null || !tf.util.arraysEqual(dy.shape, ci.outShape)) return next(rawArgs);
    const { out, views, outView } = heapViews(r.b, [dy, filter], args.attrs.inputShape);
    return nativeOr(r.b, out, () => r.k.conv2dBackpropInput(geometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', () => next(rawArgs));
  };
}
