import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore } from '../../main/core';
import { openCoreOrRecovery } from '../../main/core';
import { backupDir, listBackups } from '../../main/core/backup/files';
import { LATEST_VERSION, MIGRATIONS } from '../../main/core/db/migrations';
import { dumpSchema, openDatabase } from '../../main/core/db/open';
import { tmpCore, tmpDir } from '../helpers/tmp';
import { checkpoint, countRows, hashFile, seedSamples } from './support/db';

// Schema versions as the app meets them: a database or a backup from an older glyphlab is migrated
// with its data; one from a newer glyphlab is refused and left exactly as it was.

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function folder(): string {
  const t = tmpDir('glyphlab-schema-');
  cleanups.push(t.cleanup);
  return t.dir;
}

/** Every file under a folder with its sha256 (to prove nothing was written). */
function snapshot(dir: string): Record<string, string> {
  const out: Record<string, string> = {};
  for (const e of fs.readdirSync(dir, { recursive: true, withFileTypes: true })) {
    if (e.isFile()) {
      const f = path.join(e.parentPath ?? e.path, e.name);
      out[path.relative(dir, f)] = hashFile(f);
    }
  }
  return out;
}

describe('schema versions at the app level', () => {
  for (const m of MIGRATIONS.filter((x) => x.version > 1)) {
    it(`opens a v${m.version - 1} data folder with data: backs it up, migrates to v${LATEST_VERSION}, keeps every row`, async () => {
      const dir = folder();
      const file = path.join(dir, 'glyphlab.db');
      const old = openDatabase(file, { targetVersion: m.version - 1 });
      seedSamples(old, 120);
      old.pragma('wal_checkpoint(TRUNCATE)');
      old.close();
      const core = createCore({ dataDir: dir });
      cleanups.push(() => core.close());
      const info = await core.handlers['app.info']({}, { signal: new AbortController().signal });
      expect(info).toMatchObject({ schemaVersion: LATEST_VERSION });
      expect(countRows(file, 'samples')).toBe(120);
      expect(countRows(file, 'sample_images')).toBe(120);
      const fresh = openDatabase(path.join(folder(), 'fresh.db'));
      const migrated = new Database(file, { readonly: true });
      expect(dumpSchema(migrated)).toBe(dumpSchema(fresh));
      expect(migrated.pragma('integrity_check', { simple: true })).toBe('ok');
      migrated.close();
      fresh.close();
      // The pre-migration backup holds the old version, with the data.
      const backup = listBackups(backupDir(dir)).find((b) => b.kind === 'migration');
      expect(backup?.schemaVersion).toBe(m.version - 1);
      expect(countRows(path.join(backupDir(dir), backup!.name), 'samples')).toBe(120);
    });
  }

  it('restores a backup of an older schema into the running app and migrates it', async () => {
    const app = tmpCore();
    cleanups.push(() => app.close());
    // An old backup, written by an older glyphlab (v1, with data), dropped in the backups folder.
    const bdir = backupDir(app.dir);
    fs.mkdirSync(bdir, { recursive: true });
    const name = 'glyphlab-manual-20250101T000000000Z.db';
    const old = openDatabase(path.join(bdir, name), { targetVersion: 1 });
    seedSamples(old, 70);
    old.pragma('journal_mode = DELETE');
    old.close();
    const side = new Database(app.core.dbPath);
    seedSamples(side, 5);
    checkpoint(side);
    side.close();
    expect((await app.call('backup.list', {})).find((b) => b.name === name)?.schemaVersion).toBe(1);
    const r = await app.call('backup.restore', { name });
    expect(r.restored).toBe(name);
    expect(countRows(app.core.dbPath, 'samples')).toBe(70);
    expect((await app.call('app.info', {})).schemaVersion).toBe(LATEST_VERSION);
    expect((await app.call('dataset.stats', {})).total).toBe(70);
    // v2 tables are there and usable after the restore.
    expect(countRows(app.core.dbPath, 'models')).toBe(0);
    expect(countRows(app.core.dbPath, 'training_runs')).toBe(0);
    expect(countRows(path.join(bdir, r.safetyCopy!), 'samples')).toBe(5);
  });

  it('refuses a backup from a newer glyphlab, changing nothing', async () => {
    const app = tmpCore();
    cleanups.push(() => app.close());
    const bdir = backupDir(app.dir);
    fs.mkdirSync(bdir, { recursive: true });
    const name = 'glyphlab-manual-20990101T000000000Z.db';
    const future = openDatabase(path.join(bdir, name));
    future.pragma(`user_version = ${LATEST_VERSION + 1}`);
    future.pragma('journal_mode = DELETE');
    future.close();
    const side = new Database(app.core.dbPath);
    seedSamples(side, 9);
    checkpoint(side);
    side.close();
    const before = hashFile(app.core.dbPath);
    await expect(app.call('backup.restore', { name })).rejects.toMatchObject({ type: 'unsupported', message: expect.stringContaining('newer glyphlab') });
    expect(hashFile(app.core.dbPath)).toBe(before);
    expect((await app.call('backup.list', {})).filter((b) => b.kind === 'before-restore')).toEqual([]);
  });

  it('refuses to open a data folder whose database is from a newer glyphlab: not recovery mode, every file untouched', () => {
    const dir = folder();
    const file = path.join(dir, 'glyphlab.db');
    const db = openDatabase(file);
    seedSamples(db, 30);
    db.pragma(`user_version = ${LATEST_VERSION + 3}`);
    db.pragma('journal_mode = DELETE');
    db.close();
    fs.mkdirSync(backupDir(dir));
    const before = snapshot(dir);
    let error: unknown;
    try {
      const opened = openCoreOrRecovery({ dataDir: dir });
      cleanups.push(() => opened.core.close());
    } catch (e) {
      error = e;
    }
    expect(error).toMatchObject({ type: 'unsupported', message: expect.stringMatching(/newer glyphlab/) });
    expect(snapshot(dir)).toEqual(before);
  });
});
