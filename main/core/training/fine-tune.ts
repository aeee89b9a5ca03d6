import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GlyphError } from '../../common/errors';
import { readModelMetadata } from '../ml/inference/model-files';
import { loadLayersModelFromDir } from '../ml/inference/tfjs-files';

/**
 * Fine-tuning (TrainConfig.initFrom): a run that starts from another model's weights. The core checks
 * classes and input size before starting the worker; the worker checks the network when it loads them.
 */
/** A fine-tuning start must be a model of the same classes (same order) and input size. */
export function checkInitModel(dir: string, classes: string, inputSize: number): void {
  if (!path.isAbsolute(dir)) throw new GlyphError('validation', `config.initFrom: '${dir}' is not an absolute path`);
  const meta = readModelMetadata(dir);
  if (meta.classes !== classes) {
    throw new GlyphError('bad_input', `${dir}: the model's classes '${meta.classes}' are not this dataset's '${classes}'; fine-tuning needs the same classes`);
  }
  if (meta.inputSize !== inputSize) {
    throw new GlyphError('bad_input', `${dir}: the model's input is ${meta.inputSize} px, this run's ${inputSize} px`);
  }
}

/** Fine-tuning: the network starts from another model's weights (same layers, same shapes). */
export async function initWeightsFrom(model: tf.LayersModel, dir: string): Promise<void> {
  const source = await loadLayersModelFromDir(dir);
  try {
    const from = source.getWeights();
    const to = model.weights;
    const same = from.length === to.length && from.every((w, i) => w.shape.join('x') === to[i]!.shape.join('x'));
    if (!same) {
      throw new GlyphError('bad_input', `${dir}: its network differs from this run's (${from.length} weight tensors, expected ${to.length}); fine-tuning needs the same network settings`);
    }
    model.setWeights(from);
  } finally {
    source.dispose();
  }
}
