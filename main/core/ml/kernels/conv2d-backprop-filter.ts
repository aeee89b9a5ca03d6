import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { convInfo, readWindow, type ConvAttrs } from './conv-geometry';
import { heapViews, isHeapBackend } from './heap';
import { run, Scratch, type AnyKernel, type KernelArgs } from './registry';

type Inputs = { x: TensorInfo; dy: TensorInfo };
type Attrs = ConvAttrs & { filterShape: [number, number, number, number] };

/**
 * Conv2DBackpropFilter from the backend's own (fast) Conv2D. With x (NHWC) padded/cropped to exactly the
 * window the forward conv read, the filter gradient is
 *   dW[kh,kw,ci,co] = sum_{n,y,x} xp[n, y*s + kh, x*s + kw, ci] * dy[n,y,x,co]
 * i.e. a VALID conv of x^T = [Cin, Hp, Wp, N] (Cin as batch, N as channels) with the filter
 * dy^T = [Ho, Wo, N, Cout] at dilation = forward stride, giving [Cin, fh, fw, Cout] -> transpose.
 * For very few input channels (the first layer: 1) that conv has a 9-pixel output and a huge kernel,
 * which XNNPACK runs at a fraction of its speed; a direct JS loop on the wasm heap that skips zero
 * pixels is faster there when the input is sparse (glyphs: black background).
 * Falls back to `original` (if any) for NCHW.
 */
export function makeConv2DBackpropFilter(backendName: string, original: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend, attrs } = args;
    const { x, dy } = args.inputs;
    const ci = convInfo(x.shape, attrs.filterShape, attrs);
    if (ci == null) {
      if (original) return original(rawArgs);
      throw new Error('Conv2DBackpropFilter: only NHWC is supported');
    }
    if (ci.inChannels <= directMaxInChannels && isHeapBackend(backend) && x.dtype === 'float32') {
      const { out, views, outView } = heapViews(backend, [x, dy], attrs.filterShape);
      // The direct loop skips zero pixels: it wins on glyphs (mostly black), loses on dense input.
      if (zeroFraction(views[0]!) >= DIRECT_MIN_ZERO_FRACTION) {
        backpropFilterDirect(views[0]!, views[1]!, outView, ci);
        return out;
      }
      backend.disposeData(out.dataId);
    }
    const s = new Scratch(backend);
    try {
      const w = readWindow(ci);
      let xp = x;
      if (w.top > 0 || w.left > 0 || w.bottom > 0 || w.right > 0) {
        const paddings = [[0, 0], [w.top, Math.max(w.bottom, 0)], [w.left, Math.max(w.right, 0)], [0, 0]];
        xp = s.keep(run('PadV2', backendName, backend, { x: xp }, { paddings, constantValue: 0 }));
      }
      if (w.bottom < 0 || w.right < 0) {
        const needH = (ci.outHeight - 1) * ci.strideHeight + ci.filterHeight;
        const needW = (ci.outWidth - 1) * ci.strideWidth + ci.filterWidth;
        xp = s.keep(
          run('Slice', backendName, backend, { x: xp }, { begin: [0, 0, 0, 0], size: [ci.batchSize, needH, needW, ci.inChannels] }),
        );
      }
      const xT = s.keep(run('Transpose', backendName, backend, { x: xp }, { perm: [3, 1, 2, 0] }));
      const dyT = s.keep(run('Transpose', backendName, backend, { x: dy }, { perm: [1, 2, 0, 3] }));
      const r = s.keep(
        run('Conv2D', backendName, backend, { x: xT, filter: dyT }, {
          strides: [1, 1],
          pad: 'valid',
          dataFormat: 'NHWC',
          dilations: [ci.strideHeight, ci.strideWidth],
          dimRoundingMode: undefined,
        }),
      );
      if (ci.inChannels === 1) {
        // [1, fh, fw, Cout] has the same layout as [fh, fw, 1, Cout].
        return run('Reshape', backendName, backend, { x: r }, { shape: attrs.filterShape });
      }
      return run('Transpose', backendName, backend, { x: r }, { perm: [1, 2, 0, 3] });
    } finally {
      s.release();
    }
  };
}

/** Input channels up to which the direct loop beats the conv composition (measured: see the bench). */
export const DIRECT_MAX_IN_CHANNELS = 2;
let directMaxInChannels = DIRECT_MAX_IN_CHANNELS;
/**
 * Measured (CPU time, layer 1 at batch 64): conv composition 20 ms; direct loop 33 ms on dense
 * random input, 12.5 ms with 70% zeros. Break-even is about 40% zeros.
 */
export const DIRECT_MIN_ZERO_FRACTION = 0.4;

function zeroFraction(x: Float32Array): number {
  let z = 0;
  for (let i = 0; i < x.length; i++) if (x[i] === 0) z++;
  return x.length ? z / x.length : 0;
}
/** For measurements and tests: 0 turns the direct loop off. */
export function setDirectFilterGradMaxChannels(n: number): void {
  directMaxInChannels = n;
}

/** dW[kh,kw,ci,co] = sum_{n,y,x} x[n, y*sh+kh-top, x*sw+kw-left, ci] * dy[n,y,x,co] (zero padding). */
export function backpropFilterDirect(x: Float32Array, dy: Float32Array, dw: Float32Array, ci: tf.backend_util.Conv2DInfo): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Cin, outChannels: Cout, outHeight: Ho, outWidth: Wo } = ci;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = ci;
  const top = ci.padInfo.top;
  const left = ci.padInfo.left;
  const acc = new Float64Array(fh * fw * Cin * Cout);
  for (let n = 0; n < N; n++) {
    for (let y = 0; y < Ho; y++) {
      for (let xo = 0; xo < Wo; xo++) {
        const dyOff = ((n * Ho + y) * Wo + xo) * Cout;
        for (let kh = 0; kh < fh; kh++) {
          const r = y * sh + kh - top;
          if (r < 0 || r >= H) continue;
          for (let kw = 0; kw < fw; kw++) {
            const c = xo * sw + kw - left;
            if (c < 0 || c >= W) continue;
            const xOff = ((n * H + r) * W + c) * Cin;
            for (let i = 0; i < Cin; i++) {
              const v = x[xOff + i]!;
              if (v === 0) continue; // black background / ReLU zeros contribute nothing
              const wOff = ((kh * fw + kw) * Cin + i) * Cout;
              for (let o = 0; o < Cout; o++) acc[wOff + o] = acc[wOff + o]! + v * dy[dyOff + o]!;
            }
          }
        }
      }
    }
  }
  dw.set(acc);
}
