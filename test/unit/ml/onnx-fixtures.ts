import fs from 'node:fs';
import path from 'node:path';
import * as tf from '@tensorflow/tfjs';
import { buildModel, type ModelConfigInput } from '../../../main/core/ml/model';
import { MODEL_FILES } from '../../../main/core/ml/inference/model-files';
import { saveLayersModel } from '../../../main/core/models/model-files';
import { ensureTfjsBackend } from '../../../main/core/ml/inference/tfjs-backend';
import { exportOnnxToDir } from '../../../main/core/ml/onnx/export';

export const CLASSES36 = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * A model folder as training writes it (model.json + weights + metadata.json), from a randomly
 * initialised model of the real architecture; with model.onnx unless `onnx: false`.
 */
export async function writeRandomModelDir(
  dir: string,
  opts: { inputSize?: number; classes?: string; onnx?: boolean; config?: ModelConfigInput; seed?: number } = {},
): Promise<{ dir: string; model: tf.LayersModel; classes: string; inputSize: number }> {
  await ensureTfjsBackend();
  const classes = opts.classes ?? CLASSES36;
  const inputSize = opts.inputSize ?? 28;
  const model = buildModel({ ...opts.config, inputSize }, [...classes].length);
  if (opts.seed !== undefined) {
    // Deterministic weights that are not tiny (so classes are well separated).
    let s = opts.seed;
    const rnd = () => ((s = (s * 1664525 + 1013904223) >>> 0) / 2 ** 32) * 2 - 1;
    model.setWeights(model.getWeights().map((w) => tf.tensor(Float32Array.from({ length: w.size }, () => rnd() * 0.3), w.shape)));
  }
  await saveLayersModel(model, dir);
  fs.writeFileSync(path.join(dir, MODEL_FILES.metadata), JSON.stringify({ classes, inputSize }));
  if (opts.onnx !== false) exportOnnxToDir(model, dir, { classes });
  return { dir, model, classes, inputSize };
}

/** Glyph-like random images in [0,1] (sparse bright strokes on black). */
export function randomPixels(n: number, size: number, seed = 7): Float32Array {
  let s = seed;
  const rnd = () => ((s = (s * 1103515245 + 12345) >>> 0) / 2 ** 32);
  return Float32Array.from({ length: n * size * size }, () => (rnd() < 0.3 ? rnd() : 0));
}
