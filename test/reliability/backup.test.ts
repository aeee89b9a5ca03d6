import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it } from 'vitest';
import { createCore, openCoreOrRecovery, type Core } from '../../main/core';
import { dispatch } from '../../main/common/rpc/server';
import type { Input, Output, RequestName } from '../../main/common/contract';
import { createBackup } from '../../main/core/backup/create';
import { backupDir, KEEP_BACKUPS, listBackups } from '../../main/core/backup/files';
import { DAY_MS, isDamagedError } from '../../main/core/backup/startup';
import { openDatabase } from '../../main/core/db/open';
import { LATEST_VERSION } from '../../main/core/db/migrations';
import { tmpDir } from '../helpers/tmp';
import { checkpoint, corruptMiddle, countRows, hashFile, seedSamples } from './support/db';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  for (const c of cleanups.splice(0).reverse()) await c();
});

function folder() {
  const t = tmpDir('glyphlab-backup-');
  cleanups.push(t.cleanup);
  return t.dir;
}

function caller(core: Core) {
  return <K extends RequestName>(method: K, params: Input<K>) =>
    dispatch(core.handlers, method, params, { signal: new AbortController().signal }) as Promise<Output<K>>;
}

function open(dataDir: string) {
  const core = createCore({ dataDir });
  cleanups.push(() => core.close());
  return { core, call: caller(core) };
}

/** A second connection on the core's file (WAL: sees and makes committed changes alongside the core). */
function side(file: string) {
  const db = new Database(file);
  db.pragma('foreign_keys = ON');
  cleanups.push(() => db.open && db.close());
  return db;
}

function integrity(file: string): string {
  const db = new Database(file, { readonly: true, fileMustExist: true });
  try {
    return db.pragma('integrity_check', { simple: true }) as string;
  } finally {
    db.close();
  }
}

describe('backups', () => {
  it('creates verified, self-contained backups with the data, and lists them newest first', async () => {
    const dir = folder();
    const { core, call } = open(dir);
    seedSamples(side(core.dbPath), 50);
    const a = await call('backup.create', {});
    seedSamples(side(core.dbPath), 25);
    const b = await call('backup.create', {});
    expect(a.kind).toBe('manual');
    expect(a.schemaVersion).toBe(LATEST_VERSION);
    const list = await call('backup.list', {});
    expect(list.map((x) => x.name)).toEqual([b.name, a.name]);
    const files = fs.readdirSync(backupDir(dir));
    expect(files.sort()).toEqual([a.name, b.name].sort()); // no -wal, -shm or temp files next to them
    expect(integrity(path.join(backupDir(dir), a.name))).toBe('ok');
    expect(countRows(path.join(backupDir(dir), a.name), 'samples')).toBe(50);
    expect(countRows(path.join(backupDir(dir), b.name), 'samples')).toBe(75);
    expect(countRows(path.join(backupDir(dir), b.name), 'sample_images')).toBe(75);
  });

  it(`keeps the last ${KEEP_BACKUPS} rotated backups and never rotates safety copies away`, async () => {
    const dir = folder();
    const db = openDatabase(path.join(dir, 'glyphlab.db'));
    cleanups.push(() => db.close());
    const bdir = backupDir(dir);
    const t0 = Date.UTC(2026, 0, 1);
    const safety = await createBackup(db, bdir, 'before-restore', { now: t0 - 1000 });
    const made = [];
    for (let i = 0; i < KEEP_BACKUPS + 3; i++) made.push(await createBackup(db, bdir, i % 2 ? 'daily' : 'manual', { now: t0 + i * 1000 }));
    const names = listBackups(bdir).map((b) => b.name);
    const expected = made.slice(-KEEP_BACKUPS).reverse().map((b) => b.name);
    expect(names).toEqual([...expected, safety.name]);
    expect(fs.readdirSync(bdir)).toHaveLength(KEEP_BACKUPS + 1);
  });

  it('restores a backup into the running core, keeping the current database as a safety copy', async () => {
    const dir = folder();
    const { core, call } = open(dir);
    const db = side(core.dbPath);
    seedSamples(db, 40);
    const backup = await call('backup.create', {});
    seedSamples(db, 60);
    db.prepare(`UPDATE meta SET value = 'AB' WHERE key = 'classes'`).run();
    const res = await call('backup.restore', { name: backup.name });
    expect(res).toMatchObject({ restored: backup.name, reloadRequired: true });
    expect(res.safetyCopy).toMatch(/^glyphlab-before-restore-/);
    // The live database now holds the backup's content; the safety copy holds what was there before.
    expect(db.prepare('SELECT count(*) FROM samples').pluck().get()).toBe(40);
    expect(db.prepare(`SELECT value FROM meta WHERE key = 'classes'`).pluck().get()).toBe('0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZ');
    const safety = path.join(backupDir(dir), res.safetyCopy!);
    expect(countRows(safety, 'samples')).toBe(100);
    expect(integrity(core.dbPath)).toBe('ok');
    // The backup restored is still there, and so is everything else.
    expect((await call('backup.list', {})).map((b) => b.name).sort()).toEqual([backup.name, res.safetyCopy!].sort());
    expect((await call('app.info', {})).schemaVersion).toBe(LATEST_VERSION);
  });

  it('refuses names that are paths or unknown, and damaged backups', async () => {
    const dir = folder();
    const { core, call } = open(dir);
    for (const name of ['../glyphlab.db', '/etc/passwd', 'a/b.db', '..', '.hidden']) {
      await expect(call('backup.restore', { name }), name).rejects.toMatchObject({ type: 'validation' });
    }
    await expect(call('backup.restore', { name: 'glyphlab-manual-20260101T000000000Z.db' })).rejects.toMatchObject({ type: 'not_found' });
    seedSamples(side(core.dbPath), 400, { imageBytes: 600 });
    const b = await call('backup.create', {});
    const file = path.join(backupDir(dir), b.name);
    corruptMiddle(file);
    const before = hashFile(core.dbPath);
    await expect(call('backup.restore', { name: b.name })).rejects.toMatchObject({ type: 'bad_input', message: expect.stringContaining('damaged') });
    expect(hashFile(core.dbPath)).toBe(before);
    expect(countRows(core.dbPath, 'samples')).toBe(400);
  });

  it('backs up before a migration and once a day at start', async () => {
    const dir = folder();
    const file = path.join(dir, 'glyphlab.db');
    const old = openDatabase(file, { targetVersion: 1 });
    seedSamples(old, 10);
    old.close();
    const first = open(dir);
    const migration = listBackups(backupDir(dir)).find((b) => b.kind === 'migration');
    expect(migration?.schemaVersion).toBe(1);
    expect(countRows(path.join(backupDir(dir), migration!.name), 'samples')).toBe(10);
    // The daily backup runs as a job at start (the pre-migration one is less than a day old: none).
    expect((await first.call('jobs.list', {})).filter((j) => j.kind === 'backup')).toHaveLength(0);
    await first.core.close();

    // Make every backup look two days old: the next start takes a daily one.
    const bdir = backupDir(dir);
    for (const b of listBackups(bdir)) {
      const old = new Date(b.createdAt - 2 * DAY_MS).toISOString().replace(/[-:.]/g, '');
      fs.renameSync(path.join(bdir, b.name), path.join(bdir, b.name.replace(/\d{8}T\d{9}Z/, old)));
    }
    const second = open(dir);
    const jobs = (await second.call('jobs.list', {})).filter((j) => j.kind === 'backup');
    expect(jobs).toHaveLength(1);
    await waitFor(async () => (await second.call('jobs.get', { id: jobs[0]!.id })).status !== 'running');
    expect((await second.call('jobs.get', { id: jobs[0]!.id })).status).toBe('done');
    const daily = listBackups(bdir).filter((b) => b.kind === 'daily');
    expect(daily).toHaveLength(1);
    expect(countRows(path.join(bdir, daily[0]!.name), 'samples')).toBe(10);
    await second.core.close();
    const third = open(dir);
    expect((await third.call('jobs.list', {})).filter((j) => j.kind === 'backup')).toHaveLength(0);
  });
});

describe('a damaged database', () => {
  /** A database with content, a good backup of it, then pages in the middle overwritten. */
  async function damaged() {
    const dir = folder();
    const { core, call } = caller2(dir);
    const db = side(core.dbPath);
    seedSamples(db, 1500, { imageBytes: 500 });
    const good = await call('backup.create', {});
    seedSamples(db, 100);
    checkpoint(db);
    db.close();
    await core.close();
    const file = path.join(dir, 'glyphlab.db');
    expect(fs.existsSync(`${file}-wal`)).toBe(false);
    corruptMiddle(file);
    return { dir, file, good, hash: hashFile(file) };
  }

  function caller2(dir: string) {
    const core = createCore({ dataDir: dir });
    return { core, call: caller(core) };
  }

  it('is detected at start, left byte-for-byte unchanged, and reported with the backups', async () => {
    const { dir, file, good, hash } = await damaged();
    let error: unknown;
    try {
      createCore({ dataDir: dir });
    } catch (e) {
      error = e;
    }
    expect(isDamagedError(error)).toBe(true);
    if (!isDamagedError(error)) return;
    expect(error.type).toBe('bad_input');
    expect(error.message).toContain(file);
    expect(error.details.backups.map((b) => b.name)).toEqual([good.name]);
    expect(hashFile(file)).toBe(hash);
    // Only the read-only check's (empty) WAL index files may appear next to it; nothing was written.
    expect(fs.readdirSync(dir).filter((f) => !/^glyphlab\.db-(wal|shm)$/.test(f)).sort()).toEqual(['backups', 'glyphlab.db']);
    if (fs.existsSync(`${file}-wal`)) expect(fs.statSync(`${file}-wal`).size).toBe(0);
  });

  it('opens in recovery mode, salvages what is readable, and restores a backup', async () => {
    const { dir, file, good, hash } = await damaged();
    const { core, damaged: report } = openCoreOrRecovery({ dataDir: dir });
    cleanups.push(() => core.close());
    const call = caller(core);
    expect(report?.dbPath).toBe(file);
    expect(await call('backup.status', {})).toMatchObject({ state: 'damaged', dbPath: file });
    expect((await call('app.info', {})).dbPath).toBe(file);
    await expect(call('dataset.stats', {})).rejects.toMatchObject({ type: 'unsupported' });
    await expect(call('backup.create', {})).rejects.toMatchObject({ type: 'unsupported' });

    const salvaged = await call('backup.salvage', {});
    expect(salvaged.kind).toBe('salvage');
    const salvagedFile = path.join(backupDir(dir), salvaged.name);
    expect(integrity(salvagedFile)).toBe('ok');
    const samples = countRows(salvagedFile, 'samples');
    expect(samples).toBeGreaterThan(1000); // most of the 1600 survive 8 damaged pages
    expect(samples).toBeLessThanOrEqual(1600);
    expect(countRows(salvagedFile, 'sample_images')).toBe(samples); // no sample without its image
    expect(hashFile(file)).toBe(hash); // salvage only reads

    const res = await call('backup.restore', { name: good.name });
    expect(res.restored).toBe(good.name);
    // The damaged file was moved aside unchanged, and the core now runs on the restored one.
    expect(hashFile(path.join(backupDir(dir), res.safetyCopy!))).toBe(hash);
    expect(await call('backup.status', {})).toMatchObject({ state: 'ok' });
    expect(integrity(file)).toBe('ok');
    expect(countRows(file, 'samples')).toBe(1500);
  });
});

async function waitFor(cond: () => Promise<boolean>, ms = 20_000) {
  const t0 = Date.now();
  while (!(await cond())) {
    if (Date.now() - t0 > ms) throw new Error('timed out');
    await new Promise((r) => setTimeout(r, 20));
  }
}
