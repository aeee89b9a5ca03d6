import type { Split } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import type { Classifier } from '../ml/inference/types';
import { ImageSource } from '../datasets/image-source';
import { storePredictions } from './predictions';

export interface PredictOptions {
  splits?: Split[];
  batchSize?: number;
  signal?: AbortSignal;
  progress?: (done: number, total: number) => void;
}

/**
 * Classifies every live sample (labelled or not) of the given splits and stores the predictions of
 * `modelId`, one transaction per batch: cancelling keeps the batches already stored.
 */
export async function predictDataset(db: DB, modelId: number, classifier: Classifier, opts: PredictOptions = {}) {
  const splits = opts.splits ?? ['train', 'validation', 'test'];
  const ids = db
    .prepare(`SELECT id FROM samples WHERE deleted_at IS NULL AND split IN (SELECT value FROM json_each(?)) ORDER BY id`)
    .pluck()
    .all(JSON.stringify(splits)) as number[];
  const images = new ImageSource(db, classifier.inputSize, 0);
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const size = classifier.inputSize;
  const t0 = performance.now();
  let stored = 0;
  for (let start = 0; start < ids.length; start += batchSize) {
    if (opts.signal?.aborted) throw new GlyphError('cancelled', 'Predictions cancelled');
    const batchIds = ids.slice(start, start + batchSize);
    const rows = await images.load(batchIds);
    const pixels = new Float32Array(batchIds.length * size * size);
    rows.forEach((r, i) => pixels.set(r, i * size * size));
    const res = await classifier.classify(pixels, batchIds.length);
    stored += storePredictions(
      db,
      modelId,
      classifier.classes,
      batchIds.map((id, i) => {
        const top3 = res.top(i, 3);
        return { index: start + i, id, label: -1, predicted: res.argmax(i), confidence: top3[0]?.confidence ?? 0, top3 };
      }),
    );
    opts.progress?.(start + batchIds.length, ids.length);
  }
  const secs = (performance.now() - t0) / 1000;
  return { modelId, stored, runtime: classifier.runtime, samplesPerSec: secs > 0 ? Math.round(ids.length / secs) : 0 };
}
