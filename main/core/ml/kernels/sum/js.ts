import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews, isHeapBackend } from '../heap';
import type { AnyKernel, KernelArgs } from '../registry';

type Inputs = { x: TensorInfo };
type Attrs = { axis: number | number[]; keepDims: boolean };

/**
 * A sum over every axis but the last (a bias gradient: dy [N,H,W,C] -> [C]): its channel count and
 * output shape, or null for any other sum (the backend's own kernel takes it).
 */
export function leadingSum(x: TensorInfo, attrs: Attrs): { channels: number; outShape: number[] } | null {
  const rank = x.shape.length;
  if (x.dtype !== 'float32' || rank < 2) return null;
  const axes = new Set(tf.util.parseAxisParam(attrs.axis, x.shape));
  if (axes.size !== rank - 1 || axes.has(rank - 1)) return null;
  const channels = x.shape[rank - 1]!;
  return { channels, outShape: attrs.keepDims ? [...Array(rank - 1).fill(1), channels] : [channels] };
}

/** acc[c] += sum over the rows of x viewed as [rows, channels] (in float64). */
export function sumRowsInto(x: Float32Array, channels: number, acc: Float64Array): void {
  const rows = x.length / channels;
  for (let r = 0, off = 0; r < rows; r++, off += channels) {
    for (let ch = 0; ch < channels; ch++) acc[ch] = acc[ch]! + x[off + ch]!;
  }
}

/**
 * The bias gradient's Sum as one sequential pass in JS on the wasm heap (tfjs-wasm's Sum first
 * transposes the reduced axes to the end). Other sums, non-float32 data or backends without heap
 * access use the original kernel.
 */
export function makeSum(original: AnyKernel | null): AnyKernel {
  if (original == null) throw new Error('Sum: the backend has no Sum kernel to speed up');
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend } = args;
    const { x } = args.inputs;
    const s = leadingSum(x, args.attrs);
    if (!isHeapBackend(backend) || s == null) return original(rawArgs);
    const { out, views, outView } = heapViews(backend, [x], s.outShape);
    const acc = new Float64Array(s.channels);
    sumRowsInto(views[0]!, s.channels, acc);
    outView.set(acc);
    return out;
  };
}
