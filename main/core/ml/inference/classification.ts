import { GlyphError } from '../../../common/errors';
import type { Classification, Prediction } from './types';

/** Wraps softmax rows (`n × classes.length`) with top-k and argmax helpers. */
export function makeClassification(probs: Float32Array, classes: string): Classification {
  const labels = [...classes];
  const c = labels.length;
  const n = c ? probs.length / c : 0;
  const row = (i: number) => {
    if (!Number.isInteger(i) || i < 0 || i >= n) throw new RangeError(`image index ${i} out of range 0..${n - 1}`);
    return probs.subarray(i * c, (i + 1) * c);
  };
  return {
    probs,
    argmax(i) {
      const r = row(i);
      let best = 0;
      for (let j = 1; j < c; j++) if (r[j]! > r[best]!) best = j;
      return best;
    },
    top(i, k): Prediction[] {
      const r = row(i);
      const order = Array.from({ length: c }, (_, j) => j).sort((a, b) => r[b]! - r[a]! || a - b);
      return order.slice(0, Math.max(0, Math.min(k, c))).map((j) => ({ label: labels[j]!, confidence: r[j]! }));
    },
  };
}

export function checkPixels(pixels: Float32Array, n: number, inputSize: number): void {
  if (!Number.isInteger(n) || n < 0) throw new GlyphError('bad_input', `classify: n must be a non-negative integer, got ${n}`);
  const want = n * inputSize * inputSize;
  if (pixels.length !== want) {
    throw new GlyphError('bad_input', `classify: expected ${n}×${inputSize}×${inputSize} = ${want} pixels, got ${pixels.length}`);
  }
}
