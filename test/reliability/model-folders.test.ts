import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { tmpDir } from '../helpers/tmp';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function modelFolder(dir: string, files = ['model.json', 'weights.bin', 'metadata.json']): string {
  fs.mkdirSync(dir, { recursive: true });
  for (const f of files) fs.writeFileSync(path.join(dir, f), f === 'weights.bin' ? Buffer.alloc(64) : '{}');
  return dir;
}

/** A pid no process has (the highest ones are almost never in use; checked). */
function deadPid(): number {
  for (let pid = 4_000_000; pid > 3_000_000; pid -= 7919) {
    try {
      process.kill(pid, 0);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ESRCH') return pid;
    }
  }
  throw new Error('no free pid found');
}

describe('the models folder after a crash, checked at start', () => {
  it('removes temp folders no live process owns, keeps live ones, and reports orphan folders and rows without files', async () => {
    const t = tmpDir('glyphlab-model-folders-');
    cleanups.push(t.cleanup);
    const dataDir = t.dir;
    await createCore({ dataDir }).close();
    const models = path.join(dataDir, 'models');
    const db = new Database(path.join(dataDir, 'glyphlab.db'));
    const owner = (pid: number) => JSON.stringify({ name: 'r', config: {}, owner: { pid, host: os.hostname() } });
    const insRun = db.prepare(`INSERT INTO training_runs (id, status, config, backend, started_at) VALUES (?, 'running', ?, 'cpu', 1)`);
    insRun.run(1, owner(deadPid())); // its process was killed: interrupted at start
    insRun.run(2, owner(process.pid)); // still training in a live process
    const insModel = db.prepare(`INSERT INTO models (id, name, dir, classes, input_size, config, backend, created_at) VALUES (?, ?, ?, 'AB', 28, '{}', 'cpu', 1)`);
    insModel.run(1, 'kept', path.join('models', '1-kept'));
    insModel.run(2, 'gone', path.join('models', '2-gone'));
    insModel.run(3, 'no weights json', path.join('models', '3-half'));
    db.close();

    modelFolder(path.join(models, '1-kept'));
    modelFolder(path.join(models, '3-half'), ['weights.bin']);
    const deadSave = modelFolder(path.join(models, 'tmp-run-1-1700000000000'), ['model.json']);
    const liveSave = modelFolder(path.join(models, 'tmp-run-2-1700000000001'), ['model.json']);
    const deadImport = modelFolder(path.join(models, `tmp-import-${deadPid()}-1700000000002`));
    const liveImport = modelFolder(path.join(models, `tmp-import-${process.pid}-1700000000003`));
    // Renamed into place, but the row's transaction never committed (or restored from an older backup).
    const orphan = modelFolder(path.join(models, '4-lost-model'));
    const userFile = path.join(models, 'notes.txt');
    fs.writeFileSync(userFile, 'mine');
    const userDir = modelFolder(path.join(models, 'my exports'));

    const core = createCore({ dataDir });
    cleanups.push(() => core.close());
    const health = await core.handlers['backup.status']({}, { signal: new AbortController().signal });
    expect(health.state).toBe('ok');
    expect(health.models?.removed.sort()).toEqual([deadImport, deadSave].sort());
    expect(health.models?.unregistered).toEqual([orphan]);
    expect(health.models?.missing).toEqual([
      { id: 2, name: 'gone', dir: path.join('models', '2-gone') },
      { id: 3, name: 'no weights json', dir: path.join('models', '3-half') },
    ]);
    for (const gone of [deadSave, deadImport]) expect(fs.existsSync(gone), gone).toBe(false);
    // Nothing else is touched: live temp folders, orphans (importable again), the user's own files.
    for (const kept of [liveSave, liveImport, orphan, userDir, userFile, path.join(models, '1-kept', 'weights.bin')]) {
      expect(fs.existsSync(kept), kept).toBe(true);
    }
    // The orphan is a whole model folder: it can be added back by models.import.
    expect(fs.readdirSync(orphan).sort()).toEqual(['metadata.json', 'model.json', 'weights.bin']);
  });

  it('reports an empty models folder as clean, and a fresh data folder too', async () => {
    const t = tmpDir('glyphlab-model-folders-');
    cleanups.push(t.cleanup);
    const core = createCore({ dataDir: t.dir });
    cleanups.push(() => core.close());
    const health = await core.handlers['backup.status']({}, { signal: new AbortController().signal });
    expect(health.models).toEqual({ removed: [], unregistered: [], missing: [] });
  });
});
