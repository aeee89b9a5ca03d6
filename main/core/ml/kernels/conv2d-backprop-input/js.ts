import type { TensorInfo } from '@tensorflow/tfjs';
import { convInfo, type ConvAttrs } from '../conv-geometry';
import { heapViews, isHeapBackend, transposeInto } from '../heap';
import { run, Scratch, type AnyKernel, type KernelArgs } from '../registry';

type Inputs = { dy: TensorInfo; filter: TensorInfo };
type Attrs = ConvAttrs & { inputShape: [number, number, number, number] };

/**
 * Conv2DBackpropInput from the backend's own (fast) Conv2D:
 *   dx = conv2d(dilate(dy, stride), W'),  W' = reverse(W, [fh, fw]) transposed to [fh, fw, Cout, Cin],
 * with explicit "full" padding (fh-1-padTop, ...). For stride > 1, dy is dilated by inserting stride-1
 * zeros between rows/cols (reshape + pad). Falls back to `original` for NCHW or a padding the
 * composition cannot express (forward padding larger than the filter).
 */
export function makeConv2DBackpropInput(backendName: string, original: AnyKernel | null): AnyKernel {
  return (rawArgs) => {
    const args = rawArgs as unknown as KernelArgs<Inputs, Attrs>;
    const { backend, attrs } = args;
    const { dy, filter } = args.inputs;
    const ci = convInfo(attrs.inputShape, filter.shape, attrs);
    const fallback = (why: string) => {
      if (original) return original(rawArgs);
      throw new Error(`Conv2DBackpropInput: ${why}`);
    };
    if (ci == null) return fallback('only NHWC is supported');
    const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = ci;
    const { inHeight: H, inWidth: W, outHeight: Ho, outWidth: Wo, batchSize: N, outChannels: Cout } = ci;
    const pt = fh - 1 - ci.padInfo.top;
    const pl = fw - 1 - ci.padInfo.left;
    // Length of the (dilated) dy along each axis, trailing zeros included.
    const Ld = Ho * sh;
    const Lw = Wo * sw;
    let pb = H + fh - 1 - pt - Ld;
    let pr = W + fw - 1 - pl - Lw;
    if (pt < 0 || pl < 0) return fallback('padding larger than the filter');
    const s = new Scratch(backend);
    try {
      let d = dy;
      if (sh > 1 || sw > 1) {
        const d6 = s.keep(run('Reshape', backendName, backend, { x: dy }, { shape: [N, Ho, 1, Wo, 1, Cout] }));
        const p6 = s.keep(
          run('PadV2', backendName, backend, { x: d6 }, {
            paddings: [[0, 0], [0, 0], [0, sh - 1], [0, 0], [0, sw - 1], [0, 0]],
            constantValue: 0,
          }),
        );
        d = s.keep(run('Reshape', backendName, backend, { x: p6 }, { shape: [N, Ld, Lw, Cout] }));
      }
      if (pb < 0 || pr < 0) {
        // Trailing dy rows/cols that reach past the input (or trailing dilation zeros): cut them off.
        const keepH = Ld + Math.min(pb, 0);
        const keepW = Lw + Math.min(pr, 0);
        d = s.keep(run('Slice', backendName, backend, { x: d }, { begin: [0, 0, 0, 0], size: [N, keepH, keepW, Cout] }));
        pb = Math.max(pb, 0);
        pr = Math.max(pr, 0);
      }
      const wT = s.keep(flippedFilter(backendName, backend, filter));
      return run('Conv2D', backendName, backend, { x: d, filter: wT }, {
        strides: [1, 1],
        dilations: [1, 1],
        dataFormat: 'NHWC',
        dimRoundingMode: undefined,
        pad: [[0, 0], [pt, pb], [pl, pr], [0, 0]],
      });
    } finally {
      s.release();
    }
  };
}

/**
 * The filter rotated by 180 degrees in (fh, fw) and transposed to [fh, fw, Cout, Cin]. On a heap backend
 * one JS pass over the (small) filter: tfjs-wasm's Reverse takes ~6 ms for the baseline's 3x3x64x128
 * filter (index arithmetic per element), more than the 73,728 multiply-free copies need.
 */
function flippedFilter(backendName: string, backend: KernelArgs<Inputs, Attrs>['backend'], filter: TensorInfo): TensorInfo {
  const [fh, fw, cin, cout] = filter.shape as [number, number, number, number];
  if (!isHeapBackend(backend) || filter.dtype !== 'float32') {
    const rev = run('Reverse', backendName, backend, { x: filter }, { dims: [0, 1] });
    try {
      return run('Transpose', backendName, backend, { x: rev }, { perm: [0, 1, 3, 2] });
    } finally {
      backend.disposeData(rev.dataId);
    }
  }
  const { out, views, outView } = heapViews(backend, [filter], [fh, fw, cout, cin]);
  const w = views[0]!;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      // Tap (kh, kw) of the result is tap (fh-1-kh, fw-1-kw) of the filter, its [Cin, Cout] transposed.
      const src = ((fh - 1 - kh) * fw + (fw - 1 - kw)) * cin * cout;
      const dst = (kh * fw + kw) * cout * cin;
      transposeInto(w.subarray(src, src + cin * cout), outView.subarray(dst, dst + cin * cout), cin, cout);
    }
  }
  return out;
}
