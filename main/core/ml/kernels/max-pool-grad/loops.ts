import type * as tf from '@tensorflow/tfjs';

/** The max-pool gradient's loops on plain arrays (NHWC), the JS tier of MaxPoolGrad. */

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

/** The parts of a pool's Conv2DInfo that the 2x2 loop reads (a Conv2DInfo is one). */
export type Pool2x2Geometry = Pick<
  tf.backend_util.Conv2DInfo,
  'batchSize' | 'inHeight' | 'inWidth' | 'inChannels' | 'outHeight' | 'outWidth'
>;

/** 2x2 windows, stride 2, no padding, no dilation (the model's pools): windows never overlap. */
export function isPlain2x2(ci: tf.backend_util.Conv2DInfo): boolean {
  return (
    ci.effectiveFilterHeight === 2 && ci.effectiveFilterWidth === 2 && ci.strideHeight === 2 && ci.strideWidth === 2 &&
    ci.dilationHeight === 1 && ci.dilationWidth === 1 && ci.padInfo.top === 0 && ci.padInfo.left === 0 &&
    ci.outHeight * 2 <= ci.inHeight && ci.outWidth * 2 <= ci.inWidth
  );
}

/**
 * maxPoolGradInto for isPlain2x2 pools in one sequential pass: each window's four cells are read
 * once and written once (the gradient to the first maximum in row-major order, 0 elsewhere).
 */
export function maxPoolGrad2x2Into(x: Float32Array, dy: Float32Array, dx: Float32Array, ci: Pool2x2Geometry): void {
  const { batchSize: N, inHeight: H, inWidth: W, inChannels: C, outHeight: Ho, outWidth: Wo } = ci;
  // Rows/cols no window covers (odd sizes) get no gradient.
  if (Ho * 2 < H || Wo * 2 < W) dx.fill(0);
  const rowC = W * C;
  for (let n = 0; n < N; n++) {
    for (let yr = 0; yr < Ho; yr++) {
      let o00 = (n * H + 2 * yr) * rowC;
      let g = (n * Ho + yr) * Wo * C;
      for (let yc = 0; yc < Wo; yc++, o00 += 2 * C) {
        const o01 = o00 + C;
        const o10 = o00 + rowC;
        const o11 = o10 + C;
        for (let ch = 0; ch < C; ch++, g++) {
          const a = x[o00 + ch]!;
          const b = x[o01 + ch]!;
          const c = x[o10 + ch]!;
          const d = x[o11 + ch]!;
          // Strict '>' from -Infinity: the first maximum wins; a window of only -Infinity/NaN gets none.
          let best = -Infinity;
          let w = -1;
          if (a > best) { best = a; w = 0; }
          if (b > best) { best = b; w = 1; }
          if (c > best) { best = c; w = 2; }
          if (d > best) w = 3;
          const v = dy[g]!;
          dx[o00 + ch] = w === 0 ? v : 0;
          dx[o01 + ch] = w === 1 ? v : 0;
          dx[o10 + ch] = w === 2 ? v : 0;
          dx[o11 + ch] = w === 3 ? v : 0;
        }
      }
    }
  }
}
