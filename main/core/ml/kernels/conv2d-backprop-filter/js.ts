import * as tf from '@tensorflow/tfjs';
import type { TensorInfo } from '@tensorflow/tfjs';
import { convInfo, readWindow, type ConvAttrs } from '../conv-geometry';
import { isHeapBackend, type HeapBackend } from '../heap';
import { run, Scratch, type AnyKernel, type KernelArgs } from '../registry';
import { im2colT } from './im2col';

type Inputs = { x: TensorInfo; dy: TensorInfo };
type Attrs = ConvAttrs & { filterShape: [number, number, number, number] };

/**
 * Conv2DBackpropFilter on the backend's fast kernels.
 * On a backend with heap access (wasm), as one GEMM per batch chunk on the untransposed BatchMatMul
 * (XNNPACK's fully-connected path):
 *   dW[(kh,kw,ci), co] = sum_m A[(kh,kw,ci), m] * dy[m, co],  A = transposed im2col of x (see im2col.ts),
 * m running over (n, y, x). A is built in JS from x transposed to [Cin, N, H, W] by the backend; the
 * product runs on the backend's BatchMatMul.
 * Otherwise (cpu backend) from the backend's Conv2D: with x padded/cropped to the window the forward
 * conv read, dW is a VALID conv of x^T = [Cin, Hp, Wp, N] with the filter dy^T = [Ho, Wo, N, Cout] at
 * dilation = forward stride, giving [Cin, fh, fw, Cout] -> transpose.
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
    if (isHeapBackend(backend) && x.dtype === 'float32' && dy.dtype === 'float32') {
      return backpropFilterGemm(backendName, backend, x, dy, ci, attrs.filterShape);
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

/** Largest transposed-im2col buffer (floats, 16 MB) built at once; larger batches go in chunks. */
export const IM2COL_MAX_FLOATS = 1 << 22;
let im2colMaxFloats = IM2COL_MAX_FLOATS;
/** For tests: a smaller cap forces the chunked path. */
export function setIm2colMaxFloats(n: number): void {
  im2colMaxFloats = n;
}

function backpropFilterGemm(
  backendName: string,
  backend: HeapBackend,
  x: TensorInfo,
  dy: TensorInfo,
  ci: tf.backend_util.Conv2DInfo,
  filterShape: [number, number, number, number],
): TensorInfo {
  const { batchSize: N, inChannels: Cin, outChannels: Cout, outHeight: Ho, outWidth: Wo } = ci;
  const K = ci.filterHeight * ci.filterWidth * Cin;
  const perSample = Ho * Wo;
  const chunk = Math.max(1, Math.min(N, Math.floor(im2colMaxFloats / (K * perSample))));
  const s = new Scratch(backend);
  try {
    // [N, H, W, 1] already has the layout of [1, N, H, W].
    const xT = Cin === 1 ? x : s.keep(run('Transpose', backendName, backend, { x }, { perm: [3, 0, 1, 2] }));
    const dy2 = s.keep(run('Reshape', backendName, backend, { x: dy }, { shape: [N * perSample, Cout] }));
    let acc: Float64Array | null = null;
    let result: TensorInfo | null = null;
    for (let n0 = 0; n0 < N; n0 += chunk) {
      const n1 = Math.min(N, n0 + chunk);
      const cols = (n1 - n0) * perSample;
      const A = backend.makeOutput([K, cols], 'float32');
      im2colT(backend.typedArrayFromHeap(xT) as Float32Array, backend.typedArrayFromHeap(A) as Float32Array, ci, n0, n1);
      // The chunk's rows of dy, copied on the heap (wasm's Slice reads the whole tensor into JS first).
      let b = dy2;
      if (n0 > 0 || n1 < N) {
        b = backend.makeOutput([cols, Cout], 'float32');
        (backend.typedArrayFromHeap(b) as Float32Array).set(
          (backend.typedArrayFromHeap(dy2) as Float32Array).subarray(n0 * perSample * Cout, n1 * perSample * Cout),
        );
      }
      const part = run('BatchMatMul', backendName, backend, { a: A, b }, { transposeA: false, transposeB: false });
      // Release this chunk's buffers now: the next chunk can reuse the memory.
      backend.disposeData(A.dataId);
      if (b !== dy2) backend.disposeData(b.dataId);
      if (n1 === N && acc == null) {
        result = part;
        break;
      }
      const v = backend.typedArrayFromHeap(part) as Float32Array;
      acc ??= new Float64Array(v.length);
      for (let i = 0; i < v.length; i++) acc[i]! += v[i]!;
      backend.disposeData(part.dataId);
    }
    if (result == null) {
      result = backend.makeOutput([K, Cout], 'float32');
      (backend.typedArrayFromHeap(result) as Float32Array).set(acc!);
    }
    const out = run('Reshape', backendName, backend, { x: result }, { shape: filterShape });
    backend.disposeData(result.dataId);
    return out;
  } finally {
    s.release();
  }
}
