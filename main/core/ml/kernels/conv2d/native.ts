import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { nativeOr, nativeThreads, type NativeKernels } from '../addon';
import { convInfo, nativeGeometry, type ConvAttrs } from '../conv-geometry';
import { float32Heap, heapViews } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';

/**
 * Conv2D of the wasm backend on the native kernels, reading and writing the tensors in place in the
 * wasm heap. Its only other tier is tfjs's own (XNNPACK), which `next` is: for NCHW or non-float32
 * tensors, and for convolutions with fewer than MIN_NATIVE_DEPTH products per output (the first
 * layer's 3x3x1: XNNPACK's direct convolution is faster there than im2col + GEMM).
 */
export const MIN_NATIVE_DEPTH = 32;

type Attrs = ConvAttrs & { dilations?: [number, number] | number; filterShape?: number[]; inputShape?: number[] };
type ConvCall = (geom: Int32Array, a: Float32Array, b: Float32Array, out: Float32Array, threads: number) => void;

/** The geometry when the native kernels should take this convolution, else null (the next tier). */
export function deepConvInfo(xShape: number[], fShape: number[], attrs: ConvAttrs, dilations: [number, number] | number = 1): tf.backend_util.Conv2DInfo | null {
  const ci = convInfo(xShape, fShape, attrs, dilations);
  if (ci == null || ci.filterHeight * ci.filterWidth * ci.inChannels < MIN_NATIVE_DEPTH) return null;
  return ci;
}

/**
 * A convolution kernel (forward or a gradient) on the addon: its two inputs `names`, the geometry
 * from `info` (null: `next` takes the call), the output of `outShape`, computed by `call`.
 */
export function nativeConv(
  names: [string, string],
  info: (a: TensorInfo, b: TensorInfo, attrs: Attrs) => tf.backend_util.Conv2DInfo | null,
  outShape: (ci: tf.backend_util.Conv2DInfo, attrs: Attrs) => number[],
  call: ConvCall,
  next: AnyKernel,
): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Record<string, TensorInfo>, Attrs>;
    const [a, b] = [args.inputs[names[0]]!, args.inputs[names[1]]!];
    const heap = float32Heap(args.backend, a, b);
    const ci = heap && info(a, b, args.attrs);
    if (heap == null || ci == null) return next(rawArgs);
    const { out, views, outView } = heapViews(heap, [a, b], outShape(ci, args.attrs));
    return nativeOr(heap, out, () => call(nativeGeometry(ci), views[0]!, views[1]!, outView, nativeThreads()), 'conv', () => next(rawArgs));
  };
}

export function makeNativeConv2D(k: NativeKernels, original: AnyKernel | null): AnyKernel {
  const next: AnyKernel = (rawArgs) => {
    if (original) return original(rawArgs);
    throw new Error('Conv2D: no kernel for this case');
  };
  return nativeConv(
    ['x', 'filter'],
    (x, filter, attrs) => deepConvInfo(x.shape, filter.shape, attrs, attrs.dilations ?? 1),
    (ci) => ci.outShape,
    (g, x, f, y, t) => k.conv2dForward(g, x, f, y, t),
    next,
  );
}
