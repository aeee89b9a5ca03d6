import type * as tf from '@tensorflow/tfjs';
import fs from 'node:fs';
import type { BackendInfo } from '../../common/contract/app';
import type { ModelMetrics } from '../../common/contract/models';
import type { ImageSource } from '../datasets/image-source';
import { writeModelMetadata } from '../models/metadata';
import { saveLayersModel } from '../models/model-files';
import type { CheckpointState } from './checkpoint';
import type { TrainingData } from './data';
import { evaluate, exportAndVerifyOnnx } from './evaluate';
import type { WorkerInput } from './protocol';

/**
 * Writes the finished model (already holding its best weights) to `input.outDir`: validation and test
 * figures, the tfjs files, metadata.json and the checked ONNX export. Returns its metrics.
 */
export async function saveFinishedModel(
  model: tf.LayersModel,
  input: WorkerInput,
  data: TrainingData,
  images: ImageSource,
  state: CheckpointState,
  backend: BackendInfo,
  stoppedEarly: boolean,
): Promise<ModelMetrics> {
  const size = input.config.inputSize;
  const metrics: ModelMetrics = {
    training: {
      seconds: state.trainSeconds,
      epochs: state.history.length,
      bestEpoch: state.bestEpoch,
      trainSamplesPerSec: state.trainSamples / Math.max(state.trainSeconds, 1e-6),
      stoppedEarly,
    },
  };
  if (data.validation.length) metrics.validation = await evaluate(model, images, data.validation, size, data.classes, 'validation');
  if (data.test.length) metrics.test = await evaluate(model, images, data.test, size, data.classes, 'test');
  fs.rmSync(input.outDir, { recursive: true, force: true });
  await saveLayersModel(model, input.outDir);
  const meta = {
    name: input.name,
    classes: data.classes,
    inputSize: size,
    config: input.config,
    modelConfig: input.modelConfig,
    backend: backend.name,
    data: data.snapshot,
    metrics,
    history: state.history,
  };
  writeModelMetadata(input.outDir, meta);
  metrics.onnx = await exportAndVerifyOnnx(model, input.outDir, data.classes, images, data.validation, size);
  // Again, now that model.onnx exists (files list) and the verification is known.
  writeModelMetadata(input.outDir, meta);
  return metrics;
}
