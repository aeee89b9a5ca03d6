import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import { afterEach, describe, expect, it, vi } from 'vitest';
import type { BackupInfo, DatabaseHealth, RestoreResult, SalvageResult } from '../../main/common/contract';
import { createCore } from '../../main/core';
import { runCli } from '../../main/host/cli/main';
import { tmpDir } from '../helpers/tmp';
import { checkpoint, corruptMiddle, countRows, hashFile, seedSamples } from './support/db';

const cleanups: (() => unknown)[] = [];
afterEach(async () => {
  vi.restoreAllMocks();
  for (const c of cleanups.splice(0).reverse()) await c();
});

/** Runs `glyphlab <args>` in this process: exit code, stdout (JSON lines and console.log) and stderr. */
async function cli(...args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  const out = vi.spyOn(process.stdout, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stdout += String(chunk);
    return true;
  });
  const log = vi.spyOn(console, 'log').mockImplementation((...a: unknown[]) => {
    stdout += `${a.join(' ')}\n`;
  });
  const err = vi.spyOn(process.stderr, 'write').mockImplementation((chunk: string | Uint8Array) => {
    stderr += String(chunk);
    return true;
  });
  try {
    const code = await runCli(args);
    return { code, stdout, stderr };
  } finally {
    out.mockRestore();
    log.mockRestore();
    err.mockRestore();
  }
}

const lastJson = <T>(stdout: string): T => JSON.parse(stdout.trim().split('\n').at(-1)!) as T;

async function dataFolder(samples: number): Promise<{ dir: string; db: string }> {
  const t = tmpDir('glyphlab-cli-backup-');
  cleanups.push(t.cleanup);
  const core = createCore({ dataDir: t.dir });
  const db = new Database(core.dbPath);
  seedSamples(db, samples, { imageBytes: 500 });
  checkpoint(db);
  db.close();
  await core.close();
  return { dir: t.dir, db: path.join(t.dir, 'glyphlab.db') };
}

describe('glyphlab backup', () => {
  it('creates, lists and restores backups, keeping the current database as a safety copy', async () => {
    const { db } = await dataFolder(40);
    const created = await cli('backup', 'create', '--db', db, '--json');
    expect(created.code, created.stderr).toBe(0);
    const b = lastJson<BackupInfo>(created.stdout);
    expect(b).toMatchObject({ kind: 'manual', name: expect.stringMatching(/^glyphlab-manual-.*\.db$/) });
    expect(countRows(path.join(path.dirname(db), 'backups', b.name), 'samples')).toBe(40);

    const text = await cli('backup', 'list', '--db', db);
    expect(text.code).toBe(0);
    expect(text.stdout).toContain(b.name);
    expect(text.stdout).toMatch(/manual\s+\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\s+\d+ kB\s+schema v\d+/);

    // Work after the backup, then restore it: the later work is in the safety copy, not lost.
    const side = new Database(db);
    seedSamples(side, 25);
    side.close();
    expect(countRows(db, 'samples')).toBe(65);
    const restored = await cli('backup', 'restore', b.name, '--db', db, '--json');
    expect(restored.code, restored.stderr).toBe(0);
    const r = lastJson<RestoreResult>(restored.stdout);
    expect(r.restored).toBe(b.name);
    expect(countRows(db, 'samples')).toBe(40);
    expect(countRows(path.join(path.dirname(db), 'backups', r.safetyCopy!), 'samples')).toBe(65);
    const list = lastJson<BackupInfo[]>((await cli('backup', 'list', '--db', db, '--json')).stdout);
    // (and perhaps the daily backup a command's start began, the database having none that day)
    expect(list.map((x) => x.name)).toEqual(expect.arrayContaining([b.name, r.safetyCopy!]));
    expect(list.filter((x) => x.kind !== 'daily')).toHaveLength(2);
  });

  it('refuses a backup name that is a path or unknown, changing nothing', async () => {
    const { db } = await dataFolder(10);
    const before = hashFile(db);
    const traversal = await cli('backup', 'restore', '../glyphlab.db', '--db', db);
    expect(traversal.code).toBe(2);
    expect(traversal.stderr).toMatch(/not a path/);
    const unknown = await cli('backup', 'restore', 'glyphlab-manual-nope.db', '--db', db);
    expect(unknown.code).not.toBe(0);
    expect(unknown.stderr).toContain('glyphlab-manual-nope.db');
    expect(hashFile(db)).toBe(before);
  });

  it('on a damaged database: says so, refuses create, salvages and restores', async () => {
    const { db } = await dataFolder(1500);
    const good = lastJson<BackupInfo>((await cli('backup', 'create', '--db', db, '--json')).stdout);
    corruptMiddle(db);
    const hash = hashFile(db);

    const status = await cli('backup', 'status', '--db', db, '--json');
    expect(status.code).toBe(0);
    expect(status.stderr).toMatch(/is damaged/);
    expect(lastJson<DatabaseHealth>(status.stdout)).toMatchObject({ state: 'damaged', dbPath: db });
    const text = await cli('backup', 'status', '--db', db);
    expect(text.stdout).toMatch(/DAMAGED/);

    const create = await cli('backup', 'create', '--db', db);
    expect(create.code).not.toBe(0);
    expect(create.stderr).toMatch(/damaged/);

    const salvage = await cli('backup', 'salvage', '--db', db, '--json');
    expect(salvage.code, salvage.stderr).toBe(0);
    const s = lastJson<SalvageResult>(salvage.stdout);
    expect(s.kind).toBe('salvage');
    expect(s.rows.samples).toBeGreaterThan(1000);
    expect(hashFile(db)).toBe(hash); // salvage only reads

    const restore = await cli('backup', 'restore', good.name, '--db', db, '--json');
    expect(restore.code, restore.stderr).toBe(0);
    expect(countRows(db, 'samples')).toBe(1500);
    const after = await cli('backup', 'status', '--db', db, '--json');
    expect(lastJson<DatabaseHealth>(after.stdout)).toMatchObject({ state: 'ok', models: { removed: [], unregistered: [], missing: [] } });
    // The damaged file is kept, unchanged, among the backups.
    const kept = lastJson<BackupInfo[]>((await cli('backup', 'list', '--db', db, '--json')).stdout).filter((x) => x.kind === 'before-restore');
    expect(kept.map((k) => hashFile(path.join(path.dirname(db), 'backups', k.name)))).toContain(hash);
    expect(fs.existsSync(db)).toBe(true);
  });
});
