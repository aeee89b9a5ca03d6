import fs from 'node:fs';
import Database from 'better-sqlite3';
import os from 'node:os';
import path from 'node:path';
import { GlyphError } from '../../common/errors';
import type { BackendInfo } from '../../common/contract/app';
import {
  type EpochStats,
  type RunStatus,
  type TrainConfig,
  type TrainStarted,
  type TrainingProgress,
  type TrainingRun,
  trainConfigSchema,
} from '../../common/contract/training';
import type { CoreContext } from '../context';
import { CPU_TRAINING_WARNING, detectBackend } from '../ml/backends';
import { modelConfigSchema } from '../ml/model';
import { latestCheckpointDir } from './checkpoint';
import { listTrainingData } from './data';
import { checkStartClasses, withStartNetwork } from './fine-tune';
import type { WorkerInput, WorkerMessage } from './protocol';
import { modelsRoot, registerModelDir } from '../models/registry';
import { type WorkerHandle, startTrainingWorker } from './runner';

interface RunRow {
  id: number;
  model_id: number | null;
  status: RunStatus;
  config: string;
  backend: string;
  history: string;
  checkpoint_dir: string | null;
  message: string | null;
  started_at: number;
  ended_at: number | null;
}

/** Stored in training_runs.config: the training settings, the run's name and the process running it. */
interface StoredConfig {
  name: string;
  config: TrainConfig;
  owner?: { pid: number; host: string };
  /** The run's samples come from this database instead of the core's (`glyphlab improve`: replay tiles and document samples). */
  dataDbPath?: string;
}

function ownerAlive(owner: StoredConfig['owner']): boolean {
  if (!owner || owner.host !== os.hostname()) return false;
  try {
    process.kill(owner.pid, 0);
    return true;
  } catch (e) {
    return (e as NodeJS.ErrnoException).code === 'EPERM';
  }
}

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

interface LiveRun {
  jobId: string;
  handle: WorkerHandle | null;
  forced: boolean;
}

const BATCH_EVENT_MS = 200;

/** Training runs: rows in training_runs, a worker thread each, one at a time per core. */
export class TrainingRuns {
  private readonly live = new Map<number, LiveRun>();
  private readonly results = new Map<number, Promise<TrainResult>>();

  constructor(private readonly ctx: CoreContext) {
    // Runs left 'running' by a process that has ended are not running any more (another live
    // process on the same database, e.g. the app while the CLI runs, keeps its own).
    const stale = (ctx.db.prepare(`SELECT id, config FROM training_runs WHERE status = 'running'`).all() as { id: number; config: string }[])
      .filter((r) => !ownerAlive((JSON.parse(r.config) as StoredConfig).owner));
    for (const r of stale) this.finish(r.id, 'interrupted', 'the process running it ended during training');
  }

  private owner(): StoredConfig['owner'] {
    return { pid: process.pid, host: os.hostname() };
  }

  private row(id: number): RunRow {
    const r = this.ctx.db.prepare(`SELECT * FROM training_runs WHERE id = ?`).get(id) as RunRow | undefined;
    if (!r) throw new GlyphError('not_found', `No training run ${id}`);
    return r;
  }

  private toRun(r: RunRow): TrainingRun {
    const stored = JSON.parse(r.config) as StoredConfig;
    const live = this.live.get(r.id);
    return {
      id: r.id,
      name: stored.name,
      modelId: r.model_id,
      status: r.status,
      config: stored.config,
      backend: r.backend,
      history: JSON.parse(r.history) as EpochStats[],
      message: r.message,
      startedAt: r.started_at,
      endedAt: r.ended_at,
      resumable: !live && r.status !== 'done' && !!r.checkpoint_dir && latestCheckpointDir(r.checkpoint_dir) !== null,
      jobId: live?.jobId ?? null,
    };
  }

  list(limit: number): TrainingRun[] {
    const rows = this.ctx.db.prepare(`SELECT * FROM training_runs ORDER BY id DESC LIMIT ?`).all(limit) as RunRow[];
    return rows.map((r) => this.toRun(r));
  }

  private finish(id: number, status: RunStatus, message: string | null, modelId: number | null = null): void {
    if (!this.ctx.db.open) return;
    this.ctx.db
      .prepare(`UPDATE training_runs SET status = ?, message = ?, model_id = COALESCE(?, model_id), ended_at = ? WHERE id = ?`)
      .run(status, message, modelId, Date.now(), id);
  }

  /** Settles when the run started last under this id ends (its model, or why not). */
  result(runId: number): Promise<TrainResult> {
    const r = this.results.get(runId);
    if (!r) throw new GlyphError('not_found', `Training run ${runId} is not running here`);
    return r;
  }

  async start(opts: { config: TrainConfig; name?: string; resumeRunId?: number; allowSlow: boolean; dataDbPath?: string }): Promise<TrainStarted> {
    if (this.live.size > 0) throw new GlyphError('conflict', 'A training is already running; cancel it or wait for it to end');
    let config = opts.config;
    let name = opts.name ?? `model ${new Date().toISOString().slice(0, 16).replace('T', ' ')}`;
    let runId: number;
    let dataDbPath = opts.dataDbPath;
    if (opts.resumeRunId !== undefined) {
      const r = this.row(opts.resumeRunId);
      if (r.status === 'done') throw new GlyphError('conflict', `Training run ${r.id} has finished; nothing to resume`);
      if (r.status === 'running') throw new GlyphError('conflict', `Training run ${r.id} is running in another process`);
      if (!r.checkpoint_dir || !latestCheckpointDir(r.checkpoint_dir)) {
        throw new GlyphError('not_found', `Training run ${r.id} has no checkpoint to resume from`);
      }
      const stored = JSON.parse(r.config) as StoredConfig;
      config = trainConfigSchema.parse(stored.config);
      name = opts.name ?? stored.name;
      dataDbPath = stored.dataDbPath;
      runId = r.id;
    } else {
      runId = 0;
      config = withStartNetwork(config);
    }

    const modelParsed = modelConfigSchema.safeParse({ ...(config.model ?? {}), inputSize: config.inputSize });
    if (!modelParsed.success) {
      const issue = modelParsed.error.issues[0];
      throw new GlyphError('validation', `config.model: ${issue ? `${issue.path.join('.') || '(root)'}: ${issue.message}` : 'invalid'}`);
    }
    // Fails fast (no worker) when the data cannot be trained on; the worker lists it again read-only.
    const dataDb = dataDbPath ? new Database(dataDbPath, { readonly: true, fileMustExist: true }) : this.ctx.db;
    let classes: string;
    try {
      ({ classes } = listTrainingData(dataDb, config, dataDbPath ?? this.ctx.dbPath));
    } finally {
      if (dataDb !== this.ctx.db) dataDb.close();
    }
    // A resumed run goes on from its checkpoint: its start model is not needed any more.
    if (opts.resumeRunId === undefined && config.initFrom !== undefined) checkStartClasses(config.initFrom, classes);
    const pref = config.backend ?? this.ctx.backendPreference;
    let backend: BackendInfo;
    try {
      backend = await detectBackend(pref);
    } catch (e) {
      throw new GlyphError('unsupported', (e as Error).message);
    }
    const warning = backend.name === 'cpu' ? CPU_TRAINING_WARNING : null;
    if (warning && !opts.allowSlow) {
      throw new GlyphError('unsupported', `${warning} Start again with allowSlow to train anyway.`, { backend });
    }

    if (runId === 0) {
      const stored: StoredConfig = { name, config, owner: this.owner(), ...(dataDbPath ? { dataDbPath } : {}) };
      runId = Number(
        this.ctx.db
          .prepare(`INSERT INTO training_runs (status, config, backend, started_at) VALUES ('running', ?, ?, ?)`)
          .run(JSON.stringify(stored), backend.name, Date.now()).lastInsertRowid,
      );
      const ckpt = path.join(this.ctx.dataDir, 'checkpoints', `run-${runId}`);
      this.ctx.db.prepare(`UPDATE training_runs SET checkpoint_dir = ? WHERE id = ?`).run(ckpt, runId);
    } else {
      const stored: StoredConfig = { name, config, owner: this.owner(), ...(dataDbPath ? { dataDbPath } : {}) };
      this.ctx.db
        .prepare(`UPDATE training_runs SET status = 'running', message = NULL, ended_at = NULL, backend = ?, config = ? WHERE id = ?`)
        .run(backend.name, JSON.stringify(stored), runId);
    }
    const resume = opts.resumeRunId !== undefined;
    const checkpointDir = this.row(runId).checkpoint_dir!;
    fs.mkdirSync(modelsRoot(this.ctx), { recursive: true });
    const input: WorkerInput = {
      dbPath: dataDbPath ?? this.ctx.dbPath,
      config,
      modelConfig: modelParsed.data as unknown as Record<string, unknown>,
      backend: pref,
      checkpointDir,
      outDir: path.join(modelsRoot(this.ctx), `tmp-run-${runId}-${Date.now()}`),
      resume,
      name,
    };
    const live: LiveRun = { jobId: '', handle: null, forced: false };
    this.live.set(runId, live);
    const job = this.ctx.jobs.start('train', `Train ${name}`, ({ signal, progress }) =>
      this.runWorker(runId, input, live, signal, progress),
    );
    live.jobId = job.id;
    job.done.catch(() => undefined);
    this.results.set(runId, job.done);
    return { runId, jobId: job.id, backend, warning };
  }

  private runWorker(
    runId: number,
    input: WorkerInput,
    live: LiveRun,
    signal: AbortSignal,
    progress: (done: number, total: number | null, message?: string, data?: unknown, force?: boolean) => void,
  ): Promise<TrainResult> {
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
        this.live.delete(runId);
        fn();
      };
      const fail = (status: RunStatus, err: GlyphError) => {
        settle(() => {
          this.finish(runId, status, err.message);
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
        this.ctx.emit('training.progress', { runId, jobId: live.jobId, phase, epochs, backend: backendName, backendDetail, ...f });
      };
      const handle = (m: WorkerMessage) => {
        switch (m.type) {
          case 'ready':
            batches = m.batches;
            backendName = m.backend.name;
            backendDetail = m.backend.reason;
            history = [];
            // The checkpoint is the truth about finished epochs (a kill can come between it and the epoch message).
            this.ctx.db
              .prepare(`UPDATE training_runs SET backend = ?, history = ? WHERE id = ?`)
              .run(m.backend.name, JSON.stringify(m.history), runId);
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
            const stored = this.row(runId);
            history = (JSON.parse(stored.history) as EpochStats[]).filter((h) => h.epoch < s.epoch);
            history.push(s);
            this.ctx.db.prepare(`UPDATE training_runs SET history = ? WHERE id = ?`).run(JSON.stringify(history), runId);
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
                const model = registerModelDir(this.ctx, m.outDir, {
                  name: input.name,
                  classes: m.classes,
                  inputSize: input.config.inputSize,
                  config: { ...input.config, model: input.modelConfig },
                  backend: m.backend.name,
                  metrics: m.metrics,
                  snapshot: m.snapshot,
                });
                this.finish(runId, 'done', null, model.id);
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
                this.finish(runId, 'failed', `saving the model failed: ${(e as Error).message}`);
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

  cancel(runId: number, force: boolean, keep: boolean): boolean {
    const live = this.live.get(runId);
    if (!live) {
      this.row(runId);
      return false;
    }
    if (keep && !force) live.handle?.stop(true);
    else if (force) {
      live.forced = true;
      void live.handle?.kill();
    } else this.ctx.jobs.cancel(live.jobId);
    return true;
  }
}

const perCore = new WeakMap<CoreContext, TrainingRuns>();

/** The core's one TrainingRuns (training.* requests and `improve` share it: one run at a time). */
export function trainingRunsFor(ctx: CoreContext): TrainingRuns {
  let r = perCore.get(ctx);
  if (!r) perCore.set(ctx, (r = new TrainingRuns(ctx)));
  return r;
}
