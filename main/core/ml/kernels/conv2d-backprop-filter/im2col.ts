/** The parts of a tfjs Conv2DInfo that im2col reads (a Conv2DInfo is one). */
export interface Im2colGeometry {
  batchSize: number;
  inHeight: number;
  inWidth: number;
  inChannels: number;
  outHeight: number;
  outWidth: number;
  filterHeight: number;
  filterWidth: number;
  strideHeight: number;
  strideWidth: number;
  padInfo: { top: number; left: number };
}

/** Rows of the transposed im2col matrix: one per filter tap and input channel. */
export const im2colRows = (ci: Im2colGeometry): number => ci.filterHeight * ci.filterWidth * ci.inChannels;

/**
 * Transposed im2col of a batch slice, for the filter gradient as one GEMM:
 *   A[(kh*fw + kw)*Cin + ci, m] = x[n, y*sh + kh - top, x*sw + kw - left, ci]  (0 outside the input)
 * with m = ((n - n0)*Ho + y)*Wo + x over n in [n0, n1). `xT` is the input as [Cin, N, H, W] (for
 * Cin = 1 that is NHWC itself), so every row of A is written, and read, sequentially.
 * A has (n1 - n0)*Ho*Wo columns; every element of rows [r0, r1) is written (no need to clear first).
 */
export function im2colT(xT: Float32Array, A: Float32Array, ci: Im2colGeometry, n0: number, n1: number, r0 = 0, r1 = im2colRows(ci)): void {
  const sameSize = ci.outHeight === ci.inHeight && ci.outWidth === ci.inWidth;
  const part = { n0, n1, r0, r1 };
  if (ci.strideHeight === 1 && ci.strideWidth === 1 && sameSize) im2colTShifted(xT, A, ci, part);
  else im2colTRows(xT, A, ci, part);
}

/** Which part of A to write: the batch slice [n0, n1) (A's columns) and rows [r0, r1). */
export interface Im2colPart {
  n0: number;
  n1: number;
  r0: number;
  r1: number;
}

/**
 * im2colT for stride 1 with the output the input's size ('same' padding): for one filter tap and
 * channel, A's row is the channel's [n0, n1) planes shifted by (kh - top) rows and (kw - left)
 * columns, i.e. one contiguous copy, after which the cells whose source lies outside the image
 * (the first/last rows and columns of each plane) are zeroed.
 */
export function im2colTShifted(xT: Float32Array, A: Float32Array, ci: Im2colGeometry, part: Im2colPart): void {
  const { n0, n1, r0, r1 } = part;
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: Cin, filterHeight: fh, filterWidth: fw } = ci;
  const HW = H * W;
  const cols = (n1 - n0) * HW;
  for (let kh = 0; kh < fh; kh++) {
    const dh = kh - ci.padInfo.top;
    const yLo = Math.min(H, Math.max(0, -dh));
    const yHi = Math.max(yLo, Math.min(H, H - dh));
    for (let kw = 0; kw < fw; kw++) {
      const dw = kw - ci.padInfo.left;
      const xLo = Math.min(W, Math.max(0, -dw));
      const xHi = Math.max(xLo, Math.min(W, W - dw));
      for (let c = 0; c < Cin; c++) {
        const row = (kh * fw + kw) * Cin + c;
        if (row < r0 || row >= r1) continue;
        const dst = row * cols;
        const src = (c * N + n0) * HW + dh * W + dw;
        const lo = Math.min(cols, Math.max(0, -src));
        const hi = Math.max(lo, Math.min(cols, xT.length - src));
        if (hi > lo) A.set(xT.subarray(src + lo, src + hi), dst + lo);
        if (lo > 0) A.fill(0, dst, dst + lo);
        if (hi < cols) A.fill(0, dst + hi, dst + cols);
        for (let p = dst; p < dst + cols; p += HW) {
          if (yLo > 0) A.fill(0, p, p + yLo * W);
          if (yHi < H) A.fill(0, p + yHi * W, p + HW);
          if (xLo === 0 && xHi === W) continue;
          for (let line = p + yLo * W; line < p + yHi * W; line += W) {
            for (let x = 0; x < xLo; x++) A[line + x] = 0;
            for (let x = xHi; x < W; x++) A[line + x] = 0;
          }
        }
      }
    }
  }
}

/** im2colT row by row: any stride and padding. */
export function im2colTRows(xT: Float32Array, A: Float32Array, ci: Im2colGeometry, part: Im2colPart): void {
  const { n0, n1, r0, r1 } = part;
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
        const row = (kh * fw + kw) * Cin + c;
        if (row < r0 || row >= r1) continue;
        let dst = row * cols;
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
