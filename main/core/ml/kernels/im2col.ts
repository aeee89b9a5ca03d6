import type * as tf from '@tensorflow/tfjs';

/**
 * Transposed im2col of a batch slice, for the filter gradient as one GEMM:
 *   A[(kh*fw + kw)*Cin + ci, m] = x[n, y*sh + kh - top, x*sw + kw - left, ci]  (0 outside the input)
 * with m = ((n - n0)*Ho + y)*Wo + x over n in [n0, n1). `xT` is the input as [Cin, N, H, W] (for
 * Cin = 1 that is NHWC itself), so every row of A is written, and read, sequentially.
 * A has (n1 - n0)*Ho*Wo columns; every element is written (no need to clear it first).
 */
export function im2colT(xT: Float32Array, A: Float32Array, ci: tf.backend_util.Conv2DInfo, n0: number, n1: number): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Cin, outHeight: Ho, outWidth: Wo } = ci;
  const { filterHeight: fh, filterWidth: fw, strideHeight: sh, strideWidth: sw } = ci;
  const top = ci.padInfo.top;
  const left = ci.padInfo.left;
  const cols = (n1 - n0) * Ho * Wo;
  for (let kh = 0; kh < fh; kh++) {
    for (let kw = 0; kw < fw; kw++) {
      // Output columns whose input column is inside the image: [xLo, xHi).
      let xLo = 0;
      while (xLo < Wo && xLo * sw + kw - left < 0) xLo++;
      let xHi = Wo;
      while (xHi > xLo && (xHi - 1) * sw + kw - left >= W) xHi--;
      for (let c = 0; c < Cin; c++) {
        let dst = ((kh * fw + kw) * Cin + c) * cols;
        for (let n = n0; n < n1; n++) {
          const plane = (c * N + n) * H;
          for (let y = 0; y < Ho; y++, dst += Wo) {
            const r = y * sh + kh - top;
            if (r < 0 || r >= H) {
              A.fill(0, dst, dst + Wo);
              continue;
            }
            for (let x = 0; x < xLo; x++) A[dst + x] = 0;
            let src = (plane + r) * W + xLo * sw + kw - left;
            for (let x = xLo; x < xHi; x++, src += sw) A[dst + x] = xT[src]!;
            for (let x = xHi; x < Wo; x++) A[dst + x] = 0;
          }
        }
      }
    }
  }
}
