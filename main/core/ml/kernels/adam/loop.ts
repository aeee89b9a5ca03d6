/** The fused Adam update's name, attributes and JS loop (its JS tier; ml/adam.ts calls the kernel). */

/** The project's fused Adam update of one variable (see ml/adam.ts); registered on wasm only. */
export const ADAM_STEP = 'GlyphlabAdamStep';

export interface AdamStepAttrs {
  learningRate: number;
  beta1: number;
  beta2: number;
  epsilon: number;
  /** 1 - beta1^t and 1 - beta2^t for this step t (bias corrections). */
  correction1: number;
  correction2: number;
}

/** The update on plain arrays (all of one length): m' = b1 m + (1-b1) g, v' = b2 v + (1-b2) g², w' = w - lr (m'/c1) / (sqrt(v'/c2) + eps). */
export function adamStepInto(
  w: Float32Array,
  m: Float32Array,
  v: Float32Array,
  g: Float32Array,
  wOut: Float32Array,
  mOut: Float32Array,
  vOut: Float32Array,
  a: AdamStepAttrs,
): void {
  const { beta1: b1, beta2: b2, epsilon: eps, correction1: c1, correction2: c2 } = a;
  const step = a.learningRate / c1;
  const b1c = 1 - b1;
  const b2c = 1 - b2;
  for (let i = 0; i < w.length; i++) {
    const gi = g[i]!;
    const mi = b1 * m[i]! + b1c * gi;
    const vi = b2 * v[i]! + b2c * gi * gi;
    mOut[i] = mi;
    vOut[i] = vi;
    wOut[i] = w[i]! - (step * mi) / (Math.sqrt(vi / c2) + eps);
  }
}
