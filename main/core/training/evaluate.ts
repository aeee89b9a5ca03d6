import * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import type { SplitMetrics } from '../../common/contract/models';
import { exportOnnxToDir, verifyOnnx } from '../ml/onnx';
import type { ImageSource } from '../datasets/image-source';
import type { SampleRef } from './data';
import { splitMetrics } from './metrics';

/** The training loop's evaluation of a model on a split, and the ONNX export checked against it. */

const EVAL_BATCH = 256;

/** Lets the worker's messages (cancel, finish) in between batches. */
export const yieldToEvents = () => new Promise<void>((r) => setImmediate(r));

/** Per-sample categorical cross-entropy of softmax outputs `p` against one-hot `ys` (train and validation alike). */
export function crossEntropy(p: tf.Tensor2D, ys: tf.Tensor): tf.Tensor1D {
  return tf.neg(tf.sum(tf.mul(ys, tf.log(tf.clipByValue(p, 1e-7, 1))), 1)) as tf.Tensor1D;
}

/** Loss and accuracy on a split (no augmentation); with `classes`, full per-class metrics. */
export async function evaluate(model: tf.LayersModel, images: ImageSource, refs: SampleRef[], size: number): Promise<{ loss: number; accuracy: number }>;
export async function evaluate(
  model: tf.LayersModel,
  images: ImageSource,
  refs: SampleRef[],
  size: number,
  classes: string,
  split: SplitMetrics['split'],
): Promise<SplitMetrics>;
export async function evaluate(
  model: tf.LayersModel,
  images: ImageSource,
  refs: SampleRef[],
  size: number,
  classes?: string,
  split?: SplitMetrics['split'],
): Promise<{ loss: number; accuracy: number } | SplitMetrics> {
  const px = size * size;
  const predicted = new Int32Array(refs.length);
  let lossSum = 0;
  let correct = 0;
  for (let start = 0; start < refs.length; start += EVAL_BATCH) {
    const slice = refs.slice(start, start + EVAL_BATCH);
    const imgs = await images.load(slice.map((s) => s.id));
    const x = new Float32Array(slice.length * px);
    imgs.forEach((img, i) => x.set(img, i * px));
    const [lossT, predT] = tf.tidy(() => {
      const p = model.predict(tf.tensor4d(x, [slice.length, size, size, 1])) as tf.Tensor2D;
      const labels = tf.tensor1d(Int32Array.from(slice, (s) => s.y), 'int32');
      const ys = tf.oneHot(labels, p.shape[1]).toFloat();
      const ce = tf.sum(crossEntropy(p, ys));
      return [ce, tf.argMax(p, 1)];
    });
    const [l] = await lossT.data();
    const pred = await predT.data();
    tf.dispose([lossT, predT]);
    lossSum += l!;
    slice.forEach((s, i) => {
      predicted[start + i] = pred[i]!;
      if (pred[i] === s.y) correct++;
    });
    await yieldToEvents();
  }
  const loss = refs.length ? lossSum / refs.length : 0;
  if (classes === undefined || split === undefined) return { loss, accuracy: refs.length ? correct / refs.length : 0 };
  return splitMetrics(split, classes, Int32Array.from(refs, (s) => s.y), predicted, loss);
}

/** model.onnx next to the tfjs files, checked for top-1 agreement on up to 256 validation images. */
export async function exportAndVerifyOnnx(
  model: tf.LayersModel,
  dir: string,
  classes: string,
  images: ImageSource,
  validation: SampleRef[],
  size: number,
): Promise<{ ok: boolean; top1Agreement?: number; maxAbsDiff?: number; n?: number; error?: string }> {
  try {
    exportOnnxToDir(model, dir, { classes });
    const refs = validation.slice(0, 256);
    const px = size * size;
    let samples: Float32Array | number = 64;
    if (refs.length) {
      const imgs = await images.load(refs.map((r) => r.id));
      samples = new Float32Array(refs.length * px);
      const s = samples;
      imgs.forEach((img, i) => s.set(img, i * px));
    }
    const v = await verifyOnnx(dir, samples);
    // A model.onnx that disagrees with the tfjs model must not be used: inference falls back to tfjs.
    if (!v.ok) fs.rmSync(`${dir}/model.onnx`, { force: true });
    return { ok: v.ok, top1Agreement: v.top1Agreement, maxAbsDiff: v.maxAbsDiff, n: v.n };
  } catch (e) {
    fs.rmSync(`${dir}/model.onnx`, { force: true });
    return { ok: false, error: (e as Error).message };
  }
}
