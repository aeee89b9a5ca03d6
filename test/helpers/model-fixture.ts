import fs from 'node:fs';
import path from 'node:path';
import { buildModel } from '../../main/core/ml/model';
import { saveLayersModel } from '../../main/core/models/model-files';
import { writeModelMetadata } from '../../main/core/models/metadata';

export const DEFAULT_CLASSES = '0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ';

/**
 * An untrained model folder of the real architecture (random weights), for tests of the paths around
 * a model (OCR plumbing, UI) where what it predicts is not the point.
 */
export async function makeUntrainedModel(dir: string, classes = DEFAULT_CLASSES, inputSize = 28): Promise<string> {
  fs.mkdirSync(dir, { recursive: true });
  const model = buildModel({ inputSize }, classes.length);
  await saveLayersModel(model, dir);
  model.dispose();
  writeModelMetadata(dir, {
    name: 'untrained test model',
    classes,
    inputSize,
    config: {},
    modelConfig: { inputSize },
    backend: 'test',
    data: null,
    metrics: {} as never,
    history: [],
  });
  return path.resolve(dir);
}
