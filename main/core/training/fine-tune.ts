import path from 'node:path';
import type * as tf from '@tensorflow/tfjs';
import { GlyphError } from '../../common/errors';
import type { TrainConfig } from '../../common/contract/training';
import { readModelMetadata } from '../ml/inference/model-files';
import { loadLayersModelFromDir } from '../ml/inference/tfjs-files';
import { readModelMetadataFile } from '../models/metadata';

/**
 * Fine-tuning (TrainConfig.initFrom): a run that starts from another model's weights. It trains that
 * model's own network at its input size (`withStartNetwork`); the core checks the classes before
 * starting the worker, and the worker checks the network's weight shapes when it loads them. A resumed
 * run starts from its checkpoint, so none of this applies to it (the start model may be gone by then).
 */

/** Network settings a model folder records (metadata.json's modelConfig), as TrainConfig.model takes them. */
const NETWORK_KEYS = ['filters', 'kernelSize', 'dense', 'dropout', 'batchNorm', 'convsPerBlock'] as const;

/**
 * A fine-tuning run's config: the start model's network (filters, kernel size, dense layers, dropout, batch
 * norm, convolutions per block) and input size replace the ones asked for, since only those can take its weights. Other settings
 * (epochs, learning rate, augmentation...) stay the run's own. Configs without initFrom pass unchanged.
 */
export function withStartNetwork(config: TrainConfig): TrainConfig {
  if (config.initFrom === undefined) return config;
  if (!path.isAbsolute(config.initFrom)) throw new GlyphError('validation', `config.initFrom: '${config.initFrom}' is not an absolute path`);
  const meta = readModelMetadataFile(config.initFrom);
  const recorded = (meta.modelConfig ?? {}) as Record<string, unknown>;
  const network: Record<string, unknown> = {};
  for (const k of NETWORK_KEYS) if (recorded[k] !== undefined) network[k] = recorded[k];
  return { ...config, inputSize: meta.inputSize, model: { ...(config.model ?? {}), ...network } };
}

/** A fine-tuning start must be a model of the same classes, in the same order (its input size is the run's: withStartNetwork). */
export function checkStartClasses(dir: string, classes: string): void {
  const meta = readModelMetadata(dir);
  if (meta.classes !== classes) {
    throw new GlyphError('bad_input', `${dir}: the model's classes '${meta.classes}' are not this dataset's '${classes}'; fine-tuning needs the same classes`);
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
