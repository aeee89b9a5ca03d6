import fs from 'node:fs';
import Database from 'better-sqlite3';
import path from 'node:path';
import { GlyphError } from '../../common/errors';
import type { BackendInfo } from '../../common/contract/app';
import { type TrainConfig, type TrainStarted, type TrainingRun, trainConfigSchema } from '../../common/contract/training';
import type { CoreContext } from '../context';
import { CPU_TRAINING_WARNING, detectBackend } from '../ml/backends';
import { modelConfigSchema } from '../ml/model';
import { latestCheckpointDir } from './checkpoint';
import { listTrainingData } from './data';
import { checkStartClasses, withStartNetwork } from './fine-tune';
import type { WorkerInput } from './protocol';
import { modelsRoot } from '../models/registry';
import { type RunRow, type StoredConfig, finishRun, ownerAlive, runRow, thisOwner, toTrainingRun } from './run-rows';
import { type LiveRun, type TrainResult, runTrainingWorker } from './run-worker';

export type { TrainResult } from './run-worker';

/** Training runs: rows in training_runs, a worker thread each, one at a time per core. */
export class TrainingRuns {
  private readonly live = new Map<number, LiveRun>();
  private readonly results = new Map<number, Promise<TrainResult>>();

  constructor(private readonly ctx: CoreContext) {
    // Runs left 'running' by a process that has ended are not running any more (another live
    // process on the same database, e.g. the app while the CLI runs, keeps its own).
    const stale = (ctx.db.prepare(`SELECT id, config FROM training_runs WHERE status = 'running'`).all() as { id: number; config: string }[])
      .filter((r) => !ownerAlive((JSON.parse(r.config) as StoredConfig).owner));
    for (const r of stale) finishRun(ctx.db, r.id, 'interrupted', 'the process running it ended during training');
  }

  private row(id: number): RunRow {
    return runRow(this.ctx.db, id);
  }

  list(limit: number): TrainingRun[] {
    const rows = this.ctx.db.prepare(`SELECT * FROM training_runs ORDER BY id DESC LIMIT ?`).all(limit) as RunRow[];
    return rows.map((r) => toTrainingRun(r, this.live.get(r.id)?.jobId ?? null));
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
      const stored: StoredConfig = { name, config, owner: thisOwner(), ...(dataDbPath ? { dataDbPath } : {}) };
      runId = Number(
        this.ctx.db
          .prepare(`INSERT INTO training_runs (status, config, backend, started_at) VALUES ('running', ?, ?, ?)`)
          .run(JSON.stringify(stored), backend.name, Date.now()).lastInsertRowid,
      );
      const ckpt = path.join(this.ctx.dataDir, 'checkpoints', `run-${runId}`);
      this.ctx.db.prepare(`UPDATE training_runs SET checkpoint_dir = ? WHERE id = ?`).run(ckpt, runId);
    } else {
      const stored: StoredConfig = { name, config, owner: thisOwner(), ...(dataDbPath ? { dataDbPath } : {}) };
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
    const job = this.ctx.jobs.start('train', `Train ${name}`, (jobCtx) =>
      runTrainingWorker(this.ctx, runId, input, live, jobCtx, () => this.live.delete(runId)),
    );
    live.jobId = job.id;
    job.done.catch(() => undefined);
    this.results.set(runId, job.done);
    return { runId, jobId: job.id, backend, warning };
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
