import { describe, expect, it } from 'vitest';
import { cellSampleIds, evaluateModel, type SamplePrediction } from '../../../main/core/evaluation/evaluate';
import { emptySkipped, type SampleSource } from '../../../main/core/evaluation/source';
import { makeClassification } from '../../../main/core/ml/inference/classification';
import type { Classifier } from '../../../main/core/ml/inference/types';

/** A classifier over 1×1 "images" that predicts class round(pixel × 2) of 'ABC'. */
function fakeClassifier(): Classifier & { calls: number[] } {
  const calls: number[] = [];
  return {
    classes: 'ABC',
    inputSize: 1,
    runtime: 'tfjs',
    reason: 'test',
    calls,
    async classify(pixels, n) {
      calls.push(n);
      const probs = new Float32Array(n * 3);
      for (let i = 0; i < n; i++) {
        const c = Math.round(pixels[i]! * 2);
        for (let j = 0; j < 3; j++) probs[i * 3 + j] = j === c ? 0.8 : 0.1;
      }
      return makeClassification(probs, 'ABC');
    },
    async dispose() {},
  };
}

/** Items with true labels `labels` and pixels that make the fake classifier predict `preds`. */
function source(labels: number[], preds: number[], ids = true): SampleSource {
  return {
    items: labels.map((label, i) => ({ id: ids ? 100 + i : null, source: `s${i}`, label })),
    skipped: emptySkipped(),
    errors: [],
    async pixels(start, count) {
      return Float32Array.from(preds.slice(start, start + count), (p) => p / 2);
    },
  };
}

describe('evaluateModel', () => {
  const labels = [0, 0, 1, 1, 2, 2, 2];
  const preds = [0, 1, 1, 1, 2, 0, 2];

  it('runs in batches, reports progress and computes the metrics of the predictions', async () => {
    const c = fakeClassifier();
    const progress: number[] = [];
    const batches: SamplePrediction[][] = [];
    const ev = await evaluateModel(c, source(labels, preds), {
      batchSize: 3,
      progress: (done) => progress.push(done),
      onBatch: (b) => void batches.push(b),
    });
    expect(c.calls).toEqual([3, 3, 1]);
    expect(progress).toEqual([3, 6, 7]);
    expect(Array.from(ev.predicted)).toEqual(preds);
    expect(ev.metrics.confusion).toEqual([
      [1, 1, 0],
      [0, 2, 0],
      [1, 0, 2],
    ]);
    expect(ev.metrics.accuracy).toBeCloseTo(5 / 7, 12);
    expect(batches.flat().map((p) => [p.id, p.predicted, p.top3[0]!.label])).toEqual(
      preds.map((p, i) => [100 + i, p, 'ABC'[p]]),
    );
    expect(batches.flat()[0]!.confidence).toBeCloseTo(0.8, 6);
  });

  it('stops between batches when cancelled', async () => {
    const c = fakeClassifier();
    const ctl = new AbortController();
    const run = evaluateModel(c, source(labels, preds), { batchSize: 2, progress: (done) => done >= 4 && ctl.abort(), signal: ctl.signal });
    await expect(run).rejects.toMatchObject({ type: 'cancelled' });
    expect(c.calls).toEqual([2, 2]);
  });

  it('groups sample ids by confusion cell', async () => {
    const src = source(labels, preds);
    const ev = await evaluateModel(fakeClassifier(), src);
    expect(cellSampleIds(src, ev.predicted)).toEqual([
      { true: 0, predicted: 0, ids: [100] },
      { true: 0, predicted: 1, ids: [101] },
      { true: 1, predicted: 1, ids: [102, 103] },
      { true: 2, predicted: 0, ids: [105] },
      { true: 2, predicted: 2, ids: [104, 106] },
    ]);
    expect(cellSampleIds(source(labels, preds, false), ev.predicted)).toEqual([]);
  });
});
