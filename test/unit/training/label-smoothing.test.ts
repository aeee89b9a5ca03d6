import * as tf from '@tensorflow/tfjs';
import { describe, expect, it } from 'vitest';
import { trainStep } from '../../../main/core/training/train-step';

/** Four 2x2 images, one lit pixel each, class = which pixel: trivially separable. */
function data() {
  const pixels = new Float32Array(16);
  for (let i = 0; i < 4; i++) pixels[i * 4 + i] = 1;
  const slice = [0, 1, 2, 3].map((y) => ({ id: y + 1, y }));
  return { pixels, slice };
}

/** After `steps` steps with this smoothing: the mean probability of the true class, and the last step's reported loss and plain loss. */
function train(smoothing: number, steps: number): { p: number; reported: number; plain: number } {
  tf.setBackend('cpu');
  const model = tf.sequential({ layers: [tf.layers.flatten({ inputShape: [2, 2, 1] }), tf.layers.dense({ units: 4, activation: 'softmax', kernelInitializer: 'zeros' })] });
  const optimizer = tf.train.adam(0.1);
  const { pixels, slice } = data();
  const weights = new Float32Array(4).fill(1);
  const probs = () => tf.tidy(() => (model.predict(tf.tensor4d(pixels, [4, 2, 2, 1])) as tf.Tensor2D).arraySync());
  let reported = NaN;
  let plain = NaN;
  for (let s = 0; s < steps; s++) {
    // The loss a step reports is computed before its update: the plain cross-entropy of the model as it was.
    if (s === steps - 1) plain = -probs().reduce((a, row, i) => a + Math.log(row[i]!), 0) / 4;
    const [loss, correct] = trainStep(model, optimizer, pixels, slice, 4, weights, false, smoothing);
    if (s === steps - 1) reported = loss.dataSync()[0]!;
    tf.dispose([loss, correct]);
  }
  const p = probs();
  model.dispose();
  optimizer.dispose();
  return { p: p.reduce((a, row, i) => a + row[i]!, 0) / 4, reported, plain };
}

describe('label smoothing', () => {
  it('keeps the true class at about 1 - s + s/K instead of driving it to 1; the reported loss stays plain', () => {
    const plain = train(0, 300);
    const smoothed = train(0.2, 300);
    expect(plain.p).toBeGreaterThan(0.98);
    // Optimum of smoothed cross-entropy: the target itself, 1 - 0.2 + 0.2 / 4 = 0.85.
    expect(smoothed.p).toBeGreaterThan(0.82);
    expect(smoothed.p).toBeLessThan(0.88);
    expect(smoothed.reported).toBeCloseTo(smoothed.plain, 4);
  });
});
