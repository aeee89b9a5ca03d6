import fs from 'node:fs';
import path from 'node:path';
import type { ImproveReport } from '../../../common/contract/learn';
import { trainConfigSchema } from '../../../common/contract/training';
import { GlyphError } from '../../../common/errors';
import type { CoreContext } from '../../context';
import type { JobContext } from '../../jobs/registry';
import { readModelMetadata } from '../../ml/inference/model-files';
import { activeModel, setActiveModel } from '../../models/registry';
import { classifierFor } from '../model';
import { trainingRunsFor } from '../../training/runs';
import { buildImproveDb, documentSamples, type DocumentSample } from './improve-data';
import { classChanges, scoreTiles, type TileScore } from './measure';
import { shippedReplaySet, type ReplaySet } from './replay';

export interface ImproveOptions {
  from?: string;
  epochs: number;
  replay: boolean;
  learningRate: number;
  name?: string;
}

/** Least document samples to fine-tune on. */
export const MIN_DOCUMENT_SAMPLES = 10;
/** Most base accuracy the improved model may lose and still become active. */
export const MAX_BASE_LOSS = 0.01;

/** The activation rule: better on the person's documents, and at most MAX_BASE_LOSS worse on the base tiles. */
export function shouldActivate(base: { before: number | null; after: number | null }, docs: { before: number | null; after: number | null }): { activate: boolean; reason: string } {
  const pts = (x: number) => `${(x * 100).toFixed(1)}%`;
  if (docs.before === null || docs.after === null) return { activate: false, reason: 'no document samples were held back to judge it on' };
  if (docs.after <= docs.before) return { activate: false, reason: `not better on your documents (${pts(docs.before)} → ${pts(docs.after)})` };
  if (base.before !== null && base.after !== null && base.after < base.before - MAX_BASE_LOSS) {
    return { activate: false, reason: `it lost more than 1 point on the base test tiles (${pts(base.before)} → ${pts(base.after)})` };
  }
  return { activate: true, reason: `better on your documents (${pts(docs.before)} → ${pts(docs.after)})${base.before !== null && base.after !== null ? `, base test tiles ${pts(base.before)} → ${pts(base.after)}` : ''}` };
}

/**
 * Improves a model on the samples from the person's documents: a fine-tune (a training run, on the
 * dashboard like any other) of the start model on the document samples of the train split, with the
 * shipped base tiles replayed so it keeps what it knew. The document samples of the other splits are
 * held back; before/after accuracy on them and on the base test tiles decides whether the new model
 * becomes active.
 */
/** What an improve starts from, checked before its job starts (a clear error instead of a failed job). */
export function improvePlan(ctx: CoreContext, opts: Pick<ImproveOptions, 'from' | 'replay'>): { from: string; classes: string; docs: DocumentSample[]; shipped: ReplaySet | null } {
  const from = opts.from ? path.resolve(opts.from) : activeModel(ctx).model?.dir;
  if (!from) throw new GlyphError('not_found', 'No model to improve: neither an active model nor the bundled default');
  const classes = readModelMetadata(from).classes;
  const docs = documentSamples(ctx.db, classes);
  const train = docs.filter((d) => !d.heldOut).length;
  if (train < MIN_DOCUMENT_SAMPLES) {
    throw new GlyphError('bad_input', `Only ${train} samples from documents to learn from (at least ${MIN_DOCUMENT_SAMPLES}): correct characters or give a page's transcript first`);
  }
  const shipped = shippedReplaySet();
  if (opts.replay && !shipped) throw new GlyphError('not_found', 'The replay tiles (resources/replay/base-tiles.bin.gz) are not installed');
  return { from, classes, docs, shipped };
}

export async function improveModel(ctx: CoreContext, opts: ImproveOptions, job: JobContext, plan = improvePlan(ctx, opts)): Promise<ImproveReport> {
  const { from, classes, docs, shipped } = plan;
  const train = docs.filter((d) => !d.heldOut);
  const replay = opts.replay ? shipped : null;
  // Document glyphs repeated so they make about a third of each epoch.
  const repeat = replay ? Math.max(1, Math.min(8, Math.round((0.5 * replay.train.length) / train.length))) : 1;
  const dataDb = path.join(ctx.dataDir, 'improve', `data-${Date.now()}.db`);
  job.progress(0, null, 'preparing the samples', undefined, true);
  const trained = buildImproveDb(dataDb, classes, replay, docs, repeat);
  const config = trainConfigSchema.parse({
    epochs: opts.epochs,
    learningRate: opts.learningRate,
    batchSize: 64,
    patience: 0,
    balance: 'none',
    validationFraction: 0.05,
    augment: { rotation: 5, shift: 0.04, scale: 0.06, thickness: 0.15, noise: 0.01 },
    initFrom: from,
  });
  const runs = trainingRunsFor(ctx);
  const name = opts.name ?? `improved ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
  const started = await runs.start({ config, name, allowSlow: true, dataDbPath: dataDb });
  const onAbort = () => runs.cancel(started.runId, false, false);
  job.signal.addEventListener('abort', onAbort, { once: true });
  job.progress(0, null, `fine-tuning (training run ${started.runId})`, { runId: started.runId, jobId: started.jobId }, true);
  let result;
  try {
    result = await runs.result(started.runId);
  } finally {
    job.signal.removeEventListener('abort', onAbort);
  }
  // A finished run needs its samples no more (a cancelled one keeps them, to resume).
  for (const f of [dataDb, `${dataDb}-wal`, `${dataDb}-shm`]) fs.rmSync(f, { force: true });
  job.progress(0, null, 'measuring before and after', undefined, true);
  const held = docs.filter((d) => d.heldOut);
  const baseTiles = (shipped?.test ?? []).map((t) => ({ label: shipped!.classes[t.y]!, px: t.px })).filter((t) => classes.includes(t.label));
  const before = await classifierFor(from);
  const after = await classifierFor(result.dir);
  const s = async (c: typeof before.classifier) => ({ base: await scoreTiles(c, baseTiles), docs: await scoreTiles(c, held) });
  const b = await s(before.classifier);
  const a = await s(after.classifier);
  const pair = (x: TileScore, y: TileScore) => ({ before: x.accuracy, after: y.accuracy, n: y.n });
  const base = pair(b.base, a.base);
  const documents = pair(b.docs, a.docs);
  const decision = shouldActivate(base, documents);
  if (decision.activate) setActiveModel(ctx, result.modelId);
  return {
    modelId: result.modelId,
    model: result.dir,
    from,
    runId: started.runId,
    base,
    documents,
    baseClasses: classChanges(b.base, a.base),
    documentClasses: classChanges(b.docs, a.docs),
    trained: { documents: trained.documents, replay: trained.replay, repeat },
    activated: decision.activate,
    reason: decision.activate ? `made active: ${decision.reason}` : `kept the old model: ${decision.reason}`,
  };
}
