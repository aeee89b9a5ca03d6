import { GlyphError } from '../../common/errors';
import type { Classifier, Prediction } from '../ml/inference/types';
import { computeMetrics, type Metrics } from './metrics';
import type { SampleSource } from './source';

export interface SamplePrediction {
  /** Index into `source.items`. */
  index: number;
  id: number | null;
  /** True and predicted class indices. */
  label: number;
  predicted: number;
  confidence: number;
  top3: Prediction[];
}

export interface EvaluateOptions {
  batchSize?: number;
  signal?: AbortSignal;
  progress?: (done: number, total: number, samplesPerSec: number) => void;
  /** Called with each batch's predictions (e.g. to store them); awaited before the next batch. */
  onBatch?: (batch: SamplePrediction[]) => void | Promise<void>;
}

export interface Evaluation {
  metrics: Metrics;
  /** Classes in model order (metrics index them). */
  classes: string;
  runtime: Classifier['runtime'];
  seconds: number;
  samplesPerSec: number;
  /** Predicted class index per item of the source. */
  predicted: Int32Array;
}

/**
 * Runs `classifier` over every item of `source` in batches and computes the metrics. Checks the
 * signal between batches (GlyphError 'cancelled'); `onBatch` sees the predictions as they come.
 */
export async function evaluateModel(classifier: Classifier, source: SampleSource, opts: EvaluateOptions = {}): Promise<Evaluation> {
  const batchSize = Math.max(1, opts.batchSize ?? 256);
  const items = source.items;
  const total = items.length;
  const predicted = new Int32Array(total);
  const t0 = performance.now();
  const size = classifier.inputSize;
  for (let start = 0; start < total; start += batchSize) {
    if (opts.signal?.aborted) throw new GlyphError('cancelled', 'Evaluation cancelled');
    const count = Math.min(batchSize, total - start);
    const pixels = await source.pixels(start, count, size);
    const result = await classifier.classify(pixels, count);
    const batch: SamplePrediction[] = [];
    for (let i = 0; i < count; i++) {
      const top3 = result.top(i, 3);
      const p = result.argmax(i);
      predicted[start + i] = p;
      if (opts.onBatch) {
        const it = items[start + i]!;
        batch.push({ index: start + i, id: it.id, label: it.label, predicted: p, confidence: top3[0]?.confidence ?? 0, top3 });
      }
    }
    if (opts.onBatch) await opts.onBatch(batch);
    const secs = (performance.now() - t0) / 1000;
    opts.progress?.(start + count, total, secs > 0 ? (start + count) / secs : 0);
  }
  const seconds = (performance.now() - t0) / 1000;
  const labels = [...classifier.classes];
  const metrics = computeMetrics(
    items.map((it) => it.label),
    predicted,
    labels,
  );
  return { metrics, classes: classifier.classes, runtime: classifier.runtime, seconds, samplesPerSec: seconds > 0 ? total / seconds : 0, predicted };
}

/** Sample ids per non-empty confusion cell (true t, predicted p), for opening a cell's samples. */
export function cellSampleIds(source: SampleSource, predicted: Int32Array): { true: number; predicted: number; ids: number[] }[] {
  const cells = new Map<number, { true: number; predicted: number; ids: number[] }>();
  const k = 1 << 16;
  source.items.forEach((it, i) => {
    if (it.id === null) return;
    const p = predicted[i]!;
    const key = it.label * k + p;
    let cell = cells.get(key);
    if (!cell) cells.set(key, (cell = { true: it.label, predicted: p, ids: [] }));
    cell.ids.push(it.id);
  });
  return [...cells.values()].sort((a, b) => a.true - b.true || a.predicted - b.predicted);
}
