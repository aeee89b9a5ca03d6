import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { DatabaseHealth } from '../../main/common/contract';
import { createCore } from '../../main/core';
import { checkAfterCrash } from '../helpers/crash-invariants';
import { LONG, runDriver, type DriverLine, type DriverRun, type RunOptions } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';
import { writeIdx } from './support/idx';

// A tiny network on a small set (seconds per run on one core), so that kills land in every phase of a
// training: mid-epoch, while a checkpoint is written, during the final evaluation, model save, ONNX
// export and registration. Default: a kill mid-epoch and two during the model save; with
// GLYPHLAB_LONG_TESTS=1, 20 more at random points (15 by training progress, 5 in the save).
const CONFIG = {
  epochs: 3,
  batchSize: 32,
  inputSize: 16,
  patience: 0,
  learningRate: 0.005,
  augment: { enabled: false },
  model: { filters: [4], dense: [16], dropout: 0 },
  backend: 'cpu' as const,
};
const RANDOM_KILLS = LONG ? 20 : 0;
const CKPT_FILES = ['best.bin', 'optimizer.bin', 'state.json', 'weights.bin'];

interface RunRow {
  id: number;
  status: string;
  resumable: boolean;
  modelId: number | null;
  history: { epoch: number }[];
}

describe('SIGKILL during training and model save', () => {
  let work: ReturnType<typeof tmpDir>;
  let images: string;
  let seeded: string;
  const log: string[] = [];
  let survived = 0;

  beforeAll(async () => {
    work = tmpDir('glyphlab-crash-train-');
    images = writeIdx(work.dir, 400, { classes: 10 }).images;
    // One imported dataset, copied for each kill point.
    seeded = path.join(work.dir, 'seed');
    const imp = await runDriver('import', { dataDir: seeded, paths: [images] });
    expect(imp.lines.find((l) => l.ev === 'finished')).toMatchObject({ status: 'done' });
  }, 120_000);
  afterAll(() => {
    console.log(`crash training: ${survived} kill points survived; ${log.join('; ')}`);
    work.cleanup();
  });

  function freshDataDir(name: string): string {
    const dataDir = path.join(work.dir, name);
    fs.cpSync(seeded, dataDir, { recursive: true });
    return dataDir;
  }

  /** Checkpoints are whole or absent; every model row has its files; no temp model folder is left. */
  function checkTrainingFiles(dataDir: string): string[] {
    const problems: string[] = [];
    const ckRoot = path.join(dataDir, 'checkpoints');
    if (fs.existsSync(ckRoot)) {
      for (const run of fs.readdirSync(ckRoot)) {
        for (const d of fs.readdirSync(path.join(ckRoot, run))) {
          if (!/^ckpt-\d+$/.test(d)) continue;
          const files = fs.readdirSync(path.join(ckRoot, run, d)).sort();
          if (JSON.stringify(files) !== JSON.stringify(CKPT_FILES)) problems.push(`${run}/${d} is partial: ${files.join(',')}`);
        }
      }
    }
    const db = new Database(path.join(dataDir, 'glyphlab.db'), { readonly: true });
    try {
      for (const m of db.prepare('SELECT id, dir FROM models').all() as { id: number; dir: string }[]) {
        const dir = path.resolve(dataDir, m.dir);
        for (const f of ['model.json', 'weights.bin', 'metadata.json']) {
          if (!m.dir || !fs.existsSync(path.join(dir, f))) problems.push(`model ${m.id} has no ${f} at '${m.dir}'`);
        }
      }
    } finally {
      db.close();
    }
    const models = path.join(dataDir, 'models');
    if (fs.existsSync(models)) for (const d of fs.readdirSync(models)) if (d.startsWith('tmp-')) problems.push(`models/${d} left behind`);
    return problems;
  }

  /** Opens the app on the folder as after a crash: its start-up report and the runs. */
  async function reopen(dataDir: string): Promise<{ health: DatabaseHealth; runs: RunRow[] }> {
    const core = createCore({ dataDir });
    try {
      const sig = { signal: new AbortController().signal };
      const health = (await core.handlers['backup.status']({}, sig)) as DatabaseHealth;
      const runs = (await core.handlers['training.runs']({ limit: 10 }, sig)) as RunRow[];
      return { health, runs };
    } finally {
      await core.close();
    }
  }

  const epochsOf = (run: DriverRun) => run.lines.filter((l) => l.ev === 'epoch').map((l) => Number(l.epoch));
  const range = (from: number, to: number) => Array.from({ length: Math.max(0, to - from + 1) }, (_, i) => from + i);

  /** The run's unregistered model output (`models/tmp-run-*`), once the worker has started saving it. */
  function modelTmpDir(dataDir: string): string | null {
    const models = path.join(dataDir, 'models');
    if (!fs.existsSync(models)) return null;
    const d = fs.readdirSync(models).find((e) => e.startsWith('tmp-run-'));
    return d ? path.join(models, d) : null;
  }

  /** The epoch of the run's newest complete checkpoint (0: none). */
  function checkpointedEpoch(dataDir: string, runId: number): number {
    const root = path.join(dataDir, 'checkpoints', `run-${runId}`);
    if (!fs.existsSync(root)) return 0;
    const done = fs.readdirSync(root).filter((d) => /^ckpt-\d+$/.test(d) && fs.existsSync(path.join(root, d, 'state.json')));
    return Math.max(0, ...done.map((d) => (JSON.parse(fs.readFileSync(path.join(root, d, 'state.json'), 'utf8')) as { epoch: number }).epoch));
  }

  type KillPoint = { name: string } & Pick<RunOptions, 'killAfterMs' | 'killWhen' | 'killPoll'>;

  /**
   * Runs (or resumes) one training with a kill point; then opens the app on the folder as after a crash
   * and checks: integrity, no partial checkpoint, no model row without its files, no temp model folder
   * left, the run interrupted and resumable once it has a checkpoint.
   */
  async function killOnce(dataDir: string, point: KillPoint, resumeRunId?: number) {
    const { name, ...kill } = point;
    const run = await runDriver('train', { dataDir, config: CONFIG, ...(resumeRunId ? { resumeRunId } : {}) }, { timeoutMs: 300_000, ...kill });
    const runId = resumeRunId ?? Number(run.lines.find((l) => l.ev === 'started')?.runId);
    const { health, runs } = await reopen(dataDir);
    expect(checkAfterCrash(path.join(dataDir, 'glyphlab.db')).problems, name).toEqual([]);
    expect(checkTrainingFiles(dataDir), name).toEqual([]);
    expect(health.models?.missing, name).toEqual([]);
    const r = runs.find((x) => x.id === runId);
    survived++;
    if (!run.killed || r?.status === 'done') {
      expect(r?.modelId ?? null, name).not.toBeNull();
      log.push(`${name}: finished before the kill`);
      return { run, r, ckpt: 0, finished: true };
    }
    if (!r) {
      log.push(`${name}: killed before the run was created`);
      return { run, r, ckpt: 0, finished: false };
    }
    expect(r.status, name).toBe('interrupted');
    expect(r.modelId, name).toBeNull();
    // Every epoch the killed process reported is checkpointed (the checkpoint is written first); the
    // run's stored history may lag the checkpoint by the one epoch whose message the kill cut off.
    const ckpt = checkpointedEpoch(dataDir, runId);
    expect(ckpt, name).toBeGreaterThanOrEqual(Math.max(0, ...epochsOf(run)));
    expect(ckpt - r.history.length, name).toBeGreaterThanOrEqual(0);
    expect(ckpt - r.history.length, name).toBeLessThanOrEqual(1);
    expect(r.resumable, name).toBe(ckpt > 0);
    const removed = health.models?.removed.length ?? 0;
    log.push(`${name}: killed after ${run.ms} ms, ${ckpt} epochs checkpointed${removed ? `, ${removed} half-saved model folder removed at start` : ''}`);
    return { run, r, ckpt, finished: false };
  }

  /** Resumes an interrupted run to the end: checkpointed epochs are not trained again; one whole model. */
  async function resumeToEnd(dataDir: string, runId: number, epochsDone: number): Promise<void> {
    const resumed = await runDriver('train', { dataDir, config: CONFIG, resumeRunId: runId }, { timeoutMs: 300_000 });
    expect(resumed.lines.find((l) => l.ev === 'finished'), resumed.stderr.slice(-2000)).toMatchObject({ status: 'done' });
    expect(epochsOf(resumed)).toEqual(range(epochsDone + 1, CONFIG.epochs));
    const { runs, health } = await reopen(dataDir);
    const done = runs.find((x) => x.id === runId)!;
    expect(done).toMatchObject({ status: 'done', resumable: false });
    expect(done.history.map((h) => h.epoch)).toEqual(range(1, CONFIG.epochs));
    expect(done.modelId).not.toBeNull();
    expect(health.models).toMatchObject({ removed: [], unregistered: [], missing: [] });
    expect(checkTrainingFiles(dataDir)).toEqual([]);
    expect(checkAfterCrash(path.join(dataDir, 'glyphlab.db')).problems).toEqual([]);
  }

  it('resumes from the last checkpoint after kills mid-epoch, at the start of the model save and during the ONNX export', async () => {
    const dataDir = freshDataDir('chain');
    // 1. Half-way through epoch 2 (by the job's progress: done = (epoch - 1) * batches + batch).
    const mid = await killOnce(dataDir, {
      name: 'mid-epoch 2',
      killWhen: (l: DriverLine) => {
        if (l.ev !== 'progress' || !l.total) return false;
        const batches = Number(l.total) / CONFIG.epochs;
        return Number(l.done) >= batches * 1.5 ? Math.random() * 50 : false;
      },
    });
    expect(mid.finished, 'the training ended before the kill mid-epoch').toBe(false);
    const runId = mid.r!.id;
    // Normally epoch 1 only; a fast machine may have checkpointed epoch 2 before the kill landed.
    const checkpointed = mid.ckpt;
    expect(checkpointed).toBeGreaterThanOrEqual(1);
    expect(checkpointed).toBeLessThan(CONFIG.epochs);
    // 2. Resumed after the checkpoint; killed as soon as the worker starts writing the model (all epochs done).
    const early = await killOnce(dataDir, { name: 'model save (folder created)', killPoll: () => modelTmpDir(dataDir) !== null }, runId);
    expect(early.finished).toBe(false);
    expect(epochsOf(early.run)).toEqual(range(checkpointed + 1, CONFIG.epochs));
    expect(early.ckpt).toBe(CONFIG.epochs);
    // 3. Resumed with no epoch left to train; killed once model.json and metadata.json are written
    //    (during the ONNX export and its check, before the registration).
    const late = await killOnce(
      dataDir,
      {
        name: 'model save (ONNX export)',
        killPoll: () => {
          const tmp = modelTmpDir(dataDir);
          return tmp !== null && fs.existsSync(path.join(tmp, 'metadata.json')) ? Math.random() * 30 : false;
        },
      },
      runId,
    );
    if (!late.finished) {
      expect(epochsOf(late.run)).toEqual([]);
      await resumeToEnd(dataDir, runId, CONFIG.epochs);
    }
  }, 600_000);

  it.skipIf(RANDOM_KILLS === 0)(`survives ${RANDOM_KILLS} kills at random points over a whole training`, async () => {
    // The reference run times the phase after the last epoch (evaluation, save, ONNX, registration).
    const reference = await runDriver('train', { dataDir: freshDataDir('reference'), config: CONFIG }, { timeoutMs: 300_000 });
    const finished = reference.lines.find((l) => l.ev === 'finished');
    expect(finished, reference.stderr.slice(-2000)).toMatchObject({ status: 'done' });
    const saveMs = finished!.t - reference.lines.filter((l) => l.ev === 'epoch').at(-1)!.t;
    for (let k = 0; k < RANDOM_KILLS; k++) {
      const dataDir = freshDataDir(`random-${k}`);
      let point: KillPoint;
      if (k % 4 === 3) {
        // A quarter of them after the last epoch, anywhere in the save.
        const delay = Math.round(Math.random() * saveMs);
        point = {
          name: `random ${k + 1}/${RANDOM_KILLS}: save +${delay}ms`,
          killWhen: (l: DriverLine) => (l.ev === 'epoch' && Number(l.epoch) === CONFIG.epochs ? delay : false),
        };
      } else {
        // The others at a random point of the training, by progress (batches done of all batches).
        const at = (k + Math.random()) / RANDOM_KILLS;
        point = {
          name: `random ${k + 1}/${RANDOM_KILLS}: ${(at * 100).toFixed(0)}% of the batches`,
          killWhen: (l: DriverLine) => (l.ev === 'progress' && l.total && Number(l.done) / Number(l.total) >= at ? Math.random() * 100 : false),
        };
      }
      const killed = await killOnce(dataDir, point);
      if (!killed.finished && killed.r?.resumable) await resumeToEnd(dataDir, killed.r.id, killed.ckpt);
    }
  }, 3_600_000);
});
