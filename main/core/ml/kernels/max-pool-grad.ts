import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { heapViews, isHeapBackend } from './heap';
import type { AnyKernel, KernelArgs } from './registry';

type Inputs = { dy: TensorInfo; input: TensorInfo; output: TensorInfo };
type Attrs = {
  filterSize: [number, number] | number;
  strides: [number, number] | number;
  pad: 'valid' | 'same' | number;
  dimRoundingMode?: 'floor' | 'round' | 'ceil';
};

/**
 * MaxPoolGrad as one pass over the data in JS on the backend's own memory: for every output cell the
 * gradient goes to the first maximum of its window (row-major, the same tie rule as tfjs's cpu kernel).
 * NHWC channels are the inner loop, so reads and writes are sequential. Falls back to `original` on
 * backends without heap access or for non-float32 data.
 */
export function makeMaxPoolGrad(original: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend, attrs } = args;
    const { dy, input } = args.inputs;
    if (!isHeapBackend(backend) || input.dtype !== 'float32' || dy.dtype !== 'float32') {
      if (original) return original(rawArgs);
      throw new Error('MaxPoolGrad: backend has no heap access');
    }
    const ci = tf.backend_util.computePool2DInfo(
      input.shape as [number, number, number, number],
      attrs.filterSize,
      attrs.strides,
      1,
      attrs.pad,
      attrs.dimRoundingMode,
    );
    const { out, views, outView } = heapViews(backend, [input, dy], input.shape);
    maxPoolGradInto(views[0]!, views[1]!, outView, ci);
    return out;
  };
}

/** The computation itself, on plain arrays (NHWC). Exported for tests. */
export function maxPoolGradInto(x: Float32Array, dy: Float32Array, dx: Float32Array, ci: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = ci;
  const { strideHeight: sh, strideWidth: sw, effectiveFilterHeight: fh, effectiveFilterWidth: fw } = ci;
  const { dilationHeight: dh, dilationWidth: dw } = ci;
  const padTop = ci.padInfo.top;
  const padLeft = ci.padInfo.left;
  dx.fill(0);
  const best = new Float32Array(C);
  const bestAt = new Int32Array(C);
  for (let n = 0; n < N; n++) {
    const xBase = n * H * W * C;
    for (let yr = 0; yr < Ho; yr++) {
      const r0 = yr * sh - padTop;
      for (let yc = 0; yc < Wo; yc++) {
        const c0 = yc * sw - padLeft;
        best.fill(-Infinity);
        bestAt.fill(-1);
        for (let wr = 0; wr < fh; wr += dh) {
          const r = r0 + wr;
          if (r < 0 || r >= H) continue;
          for (let wc = 0; wc < fw; wc += dw) {
            const c = c0 + wc;
            if (c < 0 || c >= W) continue;
            const off = xBase + (r * W + c) * C;
            for (let ch = 0; ch < C; ch++) {
              const v = x[off + ch]!;
              // Strict '>' keeps the first maximum (a window of only -Infinity/NaN gets no gradient, as on cpu).
              if (v > best[ch]!) {
                best[ch] = v;
                bestAt[ch] = off + ch;
              }
            }
          }
        }
        const gOff = ((n * Ho + yr) * Wo + yc) * C;
        for (let ch = 0; ch < C; ch++) {
          const at = bestAt[ch]!;
          if (at >= 0) dx[at] = dx[at]! + dy[gOff + ch]!;
        }
      }
    }
  }
}
