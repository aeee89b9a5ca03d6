import * as tf from '@tensorflow/tfjs';
import type { ImageSource } from '../datasets/image-source';
import { augmentImage } from './augment';
import type { SampleRef } from './data';
import { crossEntropy } from './evaluate';
import type { WorkerInput } from './protocol';
import type { Rng } from './rng';

/** One batch's input pixels (augmented when the run says so), `size`x`size` per sample. */
export async function batchPixels(
  images: ImageSource,
  slice: SampleRef[],
  size: number,
  cfg: WorkerInput['config'],
  rng: Rng,
): Promise<Float32Array> {
  const imgs = await images.load(slice.map((s) => s.id));
  const px = size * size;
  const x = new Float32Array(slice.length * px);
  imgs.forEach((img, i) => x.set(cfg.augment.enabled ? augmentImage(img, size, cfg.augment, rng) : img, i * px));
  return x;
}

/**
 * One optimizer step on a batch: minimizes the class-weighted mean cross-entropy (against targets smoothed
 * by `smoothing`); returns the plain mean loss and the number correct (`poison` makes the loss NaN: the
 * non-finite stop's test hook).
 */
export function trainStep(
  model: tf.LayersModel,
  optimizer: tf.Optimizer,
  pixels: Float32Array,
  slice: SampleRef[],
  numClasses: number,
  classW: Float32Array,
  poison: boolean,
  smoothing = 0,
): [tf.Scalar, tf.Scalar] {
  return tf.tidy(() => {
    const n = slice.length;
    const size = Math.round(Math.sqrt(pixels.length / n));
    const xs = tf.tensor4d(pixels, [n, size, size, 1]);
    const labels = tf.tensor1d(Int32Array.from(slice, (s) => s.y), 'int32');
    const ys = tf.oneHot(labels, numClasses).toFloat();
    const ws = tf.tensor1d(Float32Array.from(slice, (s) => classW[s.y]!));
    let correct: tf.Scalar | null = null;
    let plain: tf.Scalar | null = null;
    // Minimized: the class-weighted mean; reported: the plain mean, the figure validation reports.
    optimizer.minimize(() => {
      const p = model.apply(xs, { training: true }) as tf.Tensor2D;
      correct = tf.keep(tf.sum(tf.cast(tf.equal(tf.argMax(p, 1), labels), 'float32')) as tf.Scalar);
      const ce = crossEntropy(p, ys);
      plain = tf.keep(tf.mean(ce) as tf.Scalar);
      const target = smoothing > 0 ? crossEntropy(p, tf.add(tf.mul(ys, 1 - smoothing), smoothing / numClasses)) : ce;
      let l = tf.div(tf.sum(tf.mul(target, ws)), tf.sum(ws)) as tf.Scalar;
      if (poison) {
        l = tf.mul(l, NaN) as tf.Scalar;
        const before: tf.Scalar = plain;
        plain = tf.keep(tf.mul(before, NaN) as tf.Scalar);
        before.dispose();
      }
      return l;
    });
    return [plain!, correct!] as [tf.Scalar, tf.Scalar];
  });
}
