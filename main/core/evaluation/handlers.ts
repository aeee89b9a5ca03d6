import type { EvaluationResult } from '../../common/contract/evaluation';
import type { evaluationRequests } from '../../common/contract/evaluation';
import type { Split } from '../../common/contract/dataset';
import { GlyphError } from '../../common/errors';
import type { Handlers } from '../../common/rpc/server';
import type { CoreContext } from '../context';
import { loadClassifier } from '../ml/inference/load';
import { getModel } from '../models/registry';
import { readDbSource } from './db-source';
import { cellSampleIds, evaluateModel } from './evaluate';
import { predictDataset } from './predict';
import { storePredictions } from './predictions';

export type EvaluationHandlers = Pick<Handlers, keyof typeof evaluationRequests>;

/** Evaluation of registered models on the dataset's splits, and stored predictions. */
export function createEvaluationHandlers(ctx: CoreContext): EvaluationHandlers {
  /** Latest result per `${modelId}:${split}` in this session. */
  const results = new Map<string, EvaluationResult>();
  const key = (modelId: number, split: Split) => `${modelId}:${split}`;

  return {
    'evaluation.start': ({ modelId, split, storePredictions: store }) => {
      const model = getModel(ctx, modelId);
      const job = ctx.jobs.start('evaluate', `Evaluate ${model.name} on ${split}`, async ({ signal, progress }) => {
        const classifier = await loadClassifier(model.dir);
        try {
          const source = readDbSource(ctx.db, split, classifier.classes);
          if (source.items.length === 0) {
            throw new GlyphError('bad_input', `No labelled ${split} samples of the model's classes to evaluate ${model.name} on`);
          }
          let stored = 0;
          const ev = await evaluateModel(classifier, source, {
            signal,
            progress: (done, total, sps) => progress(done, total, `${Math.round(sps)} samples/s (${classifier.runtime})`),
            onBatch: store ? (batch) => void (stored += storePredictions(ctx.db, modelId, classifier.classes, batch)) : undefined,
          });
          const labels = [...classifier.classes];
          const result: EvaluationResult = {
            modelId,
            split,
            classes: classifier.classes,
            n: ev.metrics.n,
            accuracy: ev.metrics.accuracy,
            macroF1: ev.metrics.macroF1,
            perClass: ev.metrics.perClass,
            confusion: ev.metrics.confusion,
            cells: cellSampleIds(source, ev.predicted).map((c) => ({ true: labels[c.true]!, predicted: labels[c.predicted]!, ids: c.ids })),
            skipped: { count: source.skipped.count, byLabel: source.skipped.byLabel },
            runtime: ev.runtime,
            samplesPerSec: Math.round(ev.samplesPerSec),
            storedPredictions: stored,
            finishedAt: Date.now(),
          };
          results.set(key(modelId, split), result);
          ctx.emit('evaluation.finished', { modelId, split, accuracy: result.accuracy, n: result.n });
          return result;
        } finally {
          await classifier.dispose();
        }
      });
      return { jobId: job.id };
    },
    'evaluation.result': ({ modelId, split }) => results.get(key(modelId, split)) ?? null,
    'evaluation.cell': ({ modelId, split, true: t, predicted }) => {
      const r = results.get(key(modelId, split));
      if (!r) throw new GlyphError('not_found', `No evaluation of model ${modelId} on ${split} in this session: run evaluation.start first`);
      const cell = r.cells.find((c) => c.true === t && c.predicted === predicted);
      if (!cell && (!r.classes.includes(t) || !r.classes.includes(predicted))) {
        throw new GlyphError('not_found', `'${!r.classes.includes(t) ? t : predicted}' is not one of the model's classes '${r.classes}'`);
      }
      return { ids: cell ? cell.ids : [] };
    },
    'evaluation.predict': ({ modelId, splits }) => {
      const model = getModel(ctx, modelId);
      const job = ctx.jobs.start('predict', `Predictions of ${model.name}`, async ({ signal, progress }) => {
        const classifier = await loadClassifier(model.dir);
        try {
          return await predictDataset(ctx.db, modelId, classifier, { splits, signal, progress: (d, t) => progress(d, t) });
        } finally {
          await classifier.dispose();
        }
      });
      return { jobId: job.id };
    },
  };
}
