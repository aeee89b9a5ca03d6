import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews, isHeapBackend, type HeapBackend } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';
import type { ConvAttrs } from '../conv-geometry';
import { nativeKernels, nativeOr, nativeThreads, type NativeKernels } from './addon';

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

const sameShape = (a: number[], b: number[]) => a.length === b.length && a.every((v, i) => v === b[i]);

function geometry(ci: tf.backend_util.Conv2DInfo): Int32Array {
  return Int32Array.from([
    ci.batchSize, ci.inHeight, ci.inWidth, ci.inChannels,
    ci.outHeight, ci.outWidth, ci.outChannels,
    ci.filterHeight, ci.filterWidth,
    ci.strideHeight, ci.strideWidth, ci.dilationHeight, ci.dilationWidth,
    ci.padInfo.top, ci.padInfo.left,
  ]);
}

function info(xShape: number[], fShape: number[], attrs: ConvAttrs, dilations: [number, number] | number = 1): tf.backend_util.Conv2DInfo | null {
  if (tf.backend_util.convertConv2DDataFormat(attrs.dataFormat) !== 'channelsLast') return null;
  const ci = tf.backend_util.computeConv2DInfo(
    xShape as Shape4, fShape as Shape4, attrs.strides, dilations, attrs.pad as 'valid', attrs.dimRoundingMode, false, 'channelsLast',
  );
  if (ci.filterHeight * ci.filterWidth * ci.inChannels < MIN_NATIVE_DEPTH) return null;
  if (ci.outHeight <= 0 || ci.outWidth <= 0 || ci.batchSize <= 0) return null;
  return ci;
}

/** The addon and a heap backend when every tensor is float32, else null (use the fallback). */
function ready(backend: unknown, ...ts: TensorInfo[]): { k: NativeKernels; b: HeapBackend } | null {
  const k = nativeKernels();
  if (k == null || !isHeapBackend(backend) || ts.some((t) => t.dtype !== 'float32')) return null;
  return { k, b: backend };
}

export function makeNativeConv2D(next: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ x: TensorInfo; filter: TensorInfo }, FwdAttrs>;
    const { x, filter } = args.inputs;
    const r = ready(args.backend, x, filter);
    const ci = r && info(x.shape, filter.shape, args.attrs, args.attrs.dilations ?? 1);
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
    const r = ready(args.backend, x, dy);
    const ci = r && info(x.shape, args.attrs.filterShape, args.attrs);
    if (r == null || ci == null || !sameShape(dy.shape, ci.outShape)) return next(rawArgs);
    const { out, views, outView } = heapViews(r.b, [x, dy], args.attrs.filterShape);
    return nativeOr(r.b, out, () => r.k.conv2dBackpropFilter(geometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', () => next(rawArgs));
  };
}

export function makeNativeConv2DBackpropInput(next: AnyKernel): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<{ dy: TensorInfo; filter: TensorInfo }, ConvAttrs & { inputShape: Shape4 }>;
    const { dy, filter } = args.inputs;
    const r = ready(args.backend, dy, filter);
    const ci = r && info(args.attrs.inputShape, filter.shape, args.attrs);
    if (r == null || ci == null || !sameShape(dy.shape, ci.outShape)) return next(rawArgs);
    const { out, views, outView } = heapViews(r.b, [dy, filter], args.attrs.inputShape);
    return nativeOr(r.b, out, () => r.k.conv2dBackpropInput(geometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', () => next(rawArgs));
  };
}
