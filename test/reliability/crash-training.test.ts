import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { checkAfterCrash } from '../helpers/crash-invariants';
import { LONG, runDriver, type DriverLine } from '../helpers/crash-harness';
import { tmpDir } from '../helpers/tmp';
import { writeIdx } from './support/idx';

// Training runs a TensorFlow.js worker: minutes per kill point on a shared 2-core machine, so this
// file runs with GLYPHLAB_LONG_TESTS=1 (or GLYPHLAB_CRASH_TRAIN=1) only.
const ENABLED = LONG || process.env.GLYPHLAB_CRASH_TRAIN === '1';
const KILLS = LONG ? 4 : 2;
const CONFIG = { epochs: 3, batchSize: 32, limit: 300, patience: 0, augment: { enabled: false } };
const CKPT_FILES = ['best.bin', 'optimizer.bin', 'state.json', 'weights.bin'];

if (!ENABLED) console.log('crash training: skipped (set GLYPHLAB_LONG_TESTS=1 or GLYPHLAB_CRASH_TRAIN=1; minutes on 2 cores)');

describe.skipIf(!ENABLED)('SIGKILL during training and model save', () => {
  let work: ReturnType<typeof tmpDir>;
  let images: string;
  const log: string[] = [];
  beforeAll(() => {
    work = tmpDir('glyphlab-crash-train-');
    images = writeIdx(work.dir, 600, { classes: 10 }).images;
  });
  afterAll(() => {
    console.log(`crash training: ${log.join('; ')}`);
    work.cleanup();
  });

  /** Checkpoints are whole or absent; every model row has its folder and files. */
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
        if (!m.dir || !fs.existsSync(path.join(dir, 'model.json'))) problems.push(`model ${m.id} has no files at '${m.dir}'`);
      }
    } finally {
      db.close();
    }
    return problems;
  }

  it(`resumes from the last checkpoint after a kill mid-epoch, and never keeps half a model (${KILLS} kill points)`, async () => {
    for (let k = 0; k < KILLS; k++) {
      const dataDir = path.join(work.dir, `kill-${k}`);
      await runDriver('import', { dataDir, paths: [images] });
      // Kill after a random epoch (the last one: during evaluation and the model save) plus a delay.
      const afterEpoch = 1 + (k % CONFIG.epochs);
      const run = await runDriver('train', { dataDir, config: CONFIG }, {
        timeoutMs: 600_000,
        killWhen: (l: DriverLine) => (l.ev === 'epoch' && Number(l.epoch) === afterEpoch ? Math.random() * 3000 : false),
      });
      const runId = Number(run.lines.find((l) => l.ev === 'started')?.runId);
      const core = createCore({ dataDir });
      const runs = (await core.handlers['training.runs']({ limit: 10 }, { signal: new AbortController().signal })) as { id: number; status: string; resumable: boolean; history: { epoch: number }[] }[];
      await core.close();
      expect(checkAfterCrash(path.join(dataDir, 'glyphlab.db')).problems).toEqual([]);
      expect(checkTrainingFiles(dataDir), `kill ${k}`).toEqual([]);
      const r = runs.find((x) => x.id === runId)!;
      if (!run.killed || r.status === 'done') {
        log.push(`kill ${k}: finished before the kill`);
        continue;
      }
      expect(r.status).toBe('interrupted');
      const epochsDone = r.history.length;
      if (!r.resumable) {
        // Killed before the first checkpoint: nothing to resume, nothing half-written.
        expect(epochsDone).toBe(0);
        log.push(`kill ${k} (after epoch ${afterEpoch}): no checkpoint yet`);
        continue;
      }
      const resumed = await runDriver('train', { dataDir, config: CONFIG, resumeRunId: runId }, { timeoutMs: 600_000 });
      const fin = resumed.lines.find((l) => l.ev === 'finished');
      expect(fin, resumed.stderr.slice(-1000)).toMatchObject({ status: 'done' });
      // Epochs already checkpointed are not trained again.
      const epochs = resumed.lines.filter((l) => l.ev === 'epoch').map((l) => Number(l.epoch));
      expect(epochs[0]).toBeGreaterThan(epochsDone);
      expect(checkTrainingFiles(dataDir)).toEqual([]);
      log.push(`kill ${k} (after epoch ${afterEpoch}, ${epochsDone} checkpointed): resumed at epoch ${epochs[0]} and finished`);
    }
  }, 1_800_000);
});
