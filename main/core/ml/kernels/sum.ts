import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews, isHeapBackend, wasmMemoryOfBackend } from './heap';
import { sumRowsSimd } from './simd/sum-rows';
import { splitSumLeading } from './helper/split';
import type { AnyKernel, KernelArgs } from './registry';

type Inputs = { x: TensorInfo };
type Attrs = { axis: number | number[]; keepDims: boolean };

/**
 * Sum over every axis but the last (a bias gradient: dy [N,H,W,C] -> [C]) as one sequential pass on
 * the wasm heap, on the project's SIMD kernel (simd/sum-rows.wat) when C is a multiple of 4, else in
 * JS; the wasm kernel first transposes the reduced axes to the end. Other sums,
 * non-float32 data or backends without heap access use the original kernel.
 */
export function makeSum(original: AnyKernel | null): AnyKernel {
  if (original == null) throw new Error('Sum: the backend has no Sum kernel to speed up');
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend, attrs } = args;
    const { x } = args.inputs;
    const rank = x.shape.length;
    if (!isHeapBackend(backend) || x.dtype !== 'float32' || rank < 2) return original(rawArgs);
    const axes = new Set(tf.util.parseAxisParam(attrs.axis, x.shape));
    const leading = axes.size === rank - 1 && !axes.has(rank - 1);
    if (!leading) return original(rawArgs);
    const c = x.shape[rank - 1]!;
    const outShape = attrs.keepDims ? [...Array(rank - 1).fill(1), c] : [c];
    const memory = wasmMemoryOfBackend(backend);
    if (memory) {
      const out = backend.makeOutput(outShape, 'float32');
      let done = false;
      try {
        done = sumRowsSimd(backend, memory, x, c, out);
      } finally {
        if (!done) backend.disposeData(out.dataId);
      }
      if (done) return out;
    }
    const { out, views, outView } = heapViews(backend, [x], outShape);
    splitSumLeading(backend, views[0]!, c, outView);
    return out;
  };
}
