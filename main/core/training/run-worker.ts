import fs from 'node:fs';
import { GlyphError } from '../../common/errors';
import type { EpochStats, RunStatus, TrainingProgress } from '../../common/contract/training';
import type { CoreContext } from '../context';
import type { JobContext } from '../jobs/registry';
import { registerModelDir } from '../models/registry';
import type { WorkerInput, WorkerMessage } from './protocol';
import { finishRun, runRow } from './run-rows';
import { type WorkerHandle, startTrainingWorker } from './runner';

export interface TrainResult {
  runId: number;
  modelId: number;
  dir: string;
  backend: string;
  epochs: number;
  trainSamplesPerSec: number;
  valAccuracy: number | null;
  testAccuracy: number | null;
}

/** A run going on in this process: its job, its worker thread, and whether it was killed on purpose. */
export interface LiveRun {
  jobId: string;
  handle: WorkerHandle | null;
  forced: boolean;
}

const BATCH_EVENT_MS = 200;

/**
 * Runs one training run's worker thread as the body of its job: the worker's messages become job
 * progress, `training.progress` events and the run's row (history, status); its model is registered
 * when it is done. `ended` is called once, when the run ends in any way.
 */
export function runTrainingWorker(
  ctx: CoreContext,
  runId: number,
  input: WorkerInput,
  live: LiveRun,
  job: JobContext,
  ended: () => void,
): Promise<TrainResult> {
  const { signal, progress } = job;
  const epochs = input.config.epochs;
  return new Promise<TrainResult>((resolve, reject) => {
    let settled = false;
    let batches = 1;
    let backendName = 'unknown';
    let backendDetail: string | undefined;
    let lastBatchEvent = 0;
    let history: EpochStats[] = [];
    const settle = (fn: () => void) => {
      if (settled) return;
      settled = true;
      ended();
      fn();
    };
    const fail = (status: RunStatus, err: GlyphError) => {
      settle(() => {
        finishRun(ctx.db, runId, status, err.message);
        fs.rmSync(input.outDir, { recursive: true, force: true });
        reject(err);
      });
    };
    const onMessage = (m: WorkerMessage) => {
      try {
        handle(m);
      } catch (e) {
        void live.handle?.kill();
        fail('failed', e instanceof GlyphError ? e : new GlyphError('internal', (e as Error).message));
      }
    };
    const emitProgress = (phase: 'batch' | 'epoch', f: Omit<TrainingProgress, 'runId' | 'jobId' | 'phase' | 'epochs' | 'backend' | 'backendDetail'>) => {
      ctx.emit('training.progress', { runId, jobId: live.jobId, phase, epochs, backend: backendName, backendDetail, ...f });
    };
    const handle = (m: WorkerMessage) => {
      switch (m.type) {
        case 'ready':
          batches = m.batches;
          backendName = m.backend.name;
          backendDetail = m.backend.reason;
          history = [];
          // The checkpoint is the truth about finished epochs (a kill can come between it and the epoch message).
          ctx.db.prepare(`UPDATE training_runs SET backend = ?, history = ? WHERE id = ?`).run(m.backend.name, JSON.stringify(m.history), runId);
          progress(m.startEpoch * batches, epochs * batches, `${m.trainCount} training samples, ${m.validationCount} validation (${m.backend.name})`, { backend: m.backend }, true);
          break;
        case 'batch': {
          const done = (m.epoch - 1) * batches + m.batch;
          const msg = `epoch ${m.epoch}/${epochs} batch ${m.batch}/${m.batches} loss ${m.loss.toFixed(4)} acc ${(m.accuracy * 100).toFixed(1)}%`;
          progress(done, epochs * batches, msg, m);
          const now = Date.now();
          if (now - lastBatchEvent >= BATCH_EVENT_MS) {
            lastBatchEvent = now;
            emitProgress('batch', {
              epoch: m.epoch,
              batch: m.batch,
              batches: m.batches,
              loss: m.loss,
              accuracy: m.accuracy,
              valLoss: null,
              valAccuracy: null,
              samplesPerSec: m.samplesPerSec,
              etaSeconds: m.etaSeconds,
            });
          }
          break;
        }
        case 'epoch': {
          const s = m.stats;
          const stored = runRow(ctx.db, runId);
          history = (JSON.parse(stored.history) as EpochStats[]).filter((h) => h.epoch < s.epoch);
          history.push(s);
          ctx.db.prepare(`UPDATE training_runs SET history = ? WHERE id = ?`).run(JSON.stringify(history), runId);
          const val = s.valAccuracy === null ? '' : ` val ${(s.valAccuracy * 100).toFixed(2)}%`;
          progress(s.epoch * batches, epochs * batches, `epoch ${s.epoch}/${epochs} loss ${s.loss.toFixed(4)}${val}`, s, true);
          emitProgress('epoch', {
            epoch: s.epoch,
            batch: batches,
            batches,
            loss: s.loss,
            accuracy: s.accuracy,
            valLoss: s.valLoss,
            valAccuracy: s.valAccuracy,
            samplesPerSec: s.samplesPerSec,
            etaSeconds: m.etaSeconds,
            numTensors: s.numTensors,
            ...(s.learningRate !== undefined ? { learningRate: s.learningRate } : {}),
          });
          break;
        }
        case 'done':
          settle(() => {
            try {
              const model = registerModelDir(ctx, m.outDir, {
                name: input.name,
                classes: m.classes,
                inputSize: input.config.inputSize,
                config: { ...input.config, model: input.modelConfig },
                backend: m.backend.name,
                metrics: m.metrics,
                snapshot: m.snapshot,
              });
              finishRun(ctx.db, runId, 'done', null, model.id);
              const last = m.history[m.history.length - 1];
              resolve({
                runId,
                modelId: model.id,
                dir: model.dir,
                backend: m.backend.name,
                epochs: m.history.length,
                trainSamplesPerSec: m.metrics.training?.trainSamplesPerSec ?? 0,
                valAccuracy: m.metrics.validation?.accuracy ?? last?.valAccuracy ?? null,
                testAccuracy: m.metrics.test?.accuracy ?? null,
              });
            } catch (e) {
              finishRun(ctx.db, runId, 'failed', `saving the model failed: ${(e as Error).message}`);
              fs.rmSync(m.outDir, { recursive: true, force: true });
              reject(e);
            }
          });
          break;
        case 'stopped':
          fail('cancelled', new GlyphError('cancelled', `Training cancelled after epoch ${m.epoch} (resumable from its checkpoint)`));
          break;
        case 'error':
          fail('failed', new GlyphError(m.errorType, m.message));
          break;
      }
    };
    try {
      live.handle = startTrainingWorker(input, onMessage);
    } catch (e) {
      fail('failed', e instanceof GlyphError ? e : new GlyphError('internal', (e as Error).message));
      return;
    }
    signal.addEventListener('abort', () => live.handle?.stop(false), { once: true });
    void live.handle.exited.then((code) => {
      if (live.forced) fail('interrupted', new GlyphError('cancelled', 'Training stopped at once (resumable from its last checkpoint)'));
      else fail('failed', new GlyphError('internal', `The training worker exited unexpectedly (code ${code})`));
    });
  });
}
