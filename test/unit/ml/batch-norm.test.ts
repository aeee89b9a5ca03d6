import * as tf from '@tensorflow/tfjs';
import { beforeAll, describe, expect, it } from 'vitest';
import { fastBatchNorm } from '../../../main/core/ml/batch-norm';
import { ensureTfjsBackend } from '../../../main/core/ml/inference/tfjs-backend';

beforeAll(async () => {
  await ensureTfjsBackend();
});

function seeded(n: number, seed: number, lo = -1, hi = 1): Float32Array {
  let s = seed;
  return Float32Array.from({ length: n }, () => lo + ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * (hi - lo));
}

const maxDiff = (a: tf.Tensor, b: tf.Tensor) => tf.tidy(() => tf.max(tf.abs(tf.sub(a, b))).dataSync()[0]!);

describe('fast batch normalization (training step in loops)', () => {
  it("gives tfjs's BatchNormalization output and gradients; moving statistics from the first batches", () => {
    const shape: [number, number, number, number] = [6, 5, 4, 3];
    const x = tf.tensor4d(seeded(6 * 5 * 4 * 3, 3, -2, 3), shape);
    const dy = tf.tensor4d(seeded(6 * 5 * 4 * 3, 5), shape);
    const args = { momentum: 0.9, epsilon: 1e-3 };
    const fast = fastBatchNorm({ name: 'fast', ...args });
    const ref = tf.layers.batchNormalization({ name: 'ref', axis: -1, ...args });
    fast.apply(x);
    ref.apply(x);
    const init = [seeded(3, 7, 0.5, 1.5), seeded(3, 8), seeded(3, 9), seeded(3, 10, 0.5, 2)].map((v) => tf.tensor1d(v));
    fast.setWeights(init);
    ref.setWeights(init);
    const run = (layer: tf.layers.Layer) => {
      const f = (xx: tf.Tensor) => tf.sum(tf.mul(layer.apply(xx, { training: true }) as tf.Tensor, dy));
      const vars = layer.trainableWeights.map((w) => w.read() as tf.Variable);
      const { grads } = tf.variableGrads(() => f(x) as tf.Scalar, vars);
      const dx = tf.grad(f)(x);
      const y = layer.apply(x, { training: true }) as tf.Tensor;
      return { y, dx, grads: vars.map((v) => grads[v.name]!) };
    };
    const a = run(fast);
    const b = run(ref);
    expect(maxDiff(a.y, b.y)).toBeLessThan(1e-4);
    expect(maxDiff(a.dx, b.dx)).toBeLessThan(1e-4);
    expect(a.grads).toHaveLength(2);
    a.grads.forEach((g, i) => expect(maxDiff(g, b.grads[i]!)).toBeLessThan(1e-3));
    // Applied in training three times to the same batch: the moving statistics start as the running
    // average of the batches' (not pulled towards their initial values), so they are that batch's.
    const { mean, variance } = tf.moments(x, [0, 1, 2]);
    expect(maxDiff(fast.getWeights()[2]!, mean)).toBeLessThan(1e-5);
    expect(maxDiff(fast.getWeights()[3]!, variance)).toBeLessThan(1e-4);
    // tfjs's layer at momentum 0.9 is still 0.9^3 of the way at its initial statistics.
    expect(maxDiff(ref.getWeights()[2]!, mean)).toBeGreaterThan(1e-2);
    // Inference uses the moving statistics (the standard layer's own path): with the same ones, the same output.
    ref.setWeights(fast.getWeights());
    expect(maxDiff(fast.apply(x) as tf.Tensor, ref.apply(x) as tf.Tensor)).toBeLessThan(1e-4);
    // Saved as the standard layer, so any tfjs loads it.
    expect(fast.getClassName()).toBe('BatchNormalization');
  });
});
