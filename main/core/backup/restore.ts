import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { RestoreResult } from '../../common/contract/backup';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { openDatabase } from '../db/open';
import { LATEST_VERSION } from '../db/migrations';
import type { JobRegistry } from '../jobs/registry';
import { checkDatabaseFile } from './check';
import { createBackup } from './create';
import { fsyncPath, newBackupName, resolveBackup, TMP_SUFFIX } from './files';

/** A backup that can be restored: listed, intact, and not from a newer glyphlab. */
function usableBackup(dir: string, name: string): string {
  const { file, info } = resolveBackup(dir, name);
  if (info.schemaVersion > LATEST_VERSION) {
    throw new GlyphError('unsupported', `${name}: written by a newer glyphlab (schema v${info.schemaVersion})`);
  }
  const check = checkDatabaseFile(file);
  if (!check.ok) throw new GlyphError('bad_input', `${name}: the backup is damaged (${check.problem}); choose another`);
  return file;
}

/** Copies the raw database files (main, -wal) aside when a verified backup of them cannot be made. */
function rawCopyAside(dbPath: string, dir: string): string {
  const name = newBackupName(dir, 'before-restore');
  for (const suffix of ['', '-wal']) {
    if (fs.existsSync(dbPath + suffix)) fs.copyFileSync(dbPath + suffix, path.join(dir, name + suffix));
  }
  return name;
}

/**
 * Restores a backup into the running core's database. The current database is backed up first
 * (kept, never rotated away); the backup's pages are then written into the live file through SQLite's
 * backup API, in one write transaction (a crash leaves the old or the new content, not a mix), and
 * migrated to the current schema. Refused while a job is running.
 */
export async function restoreIntoOpenDatabase(
  ctx: { db: DB; dbPath: string; jobs: JobRegistry },
  dir: string,
  name: string,
): Promise<RestoreResult> {
  const file = usableBackup(dir, name);
  const running = ctx.jobs.list().filter((j) => j.status === 'running');
  if (running.length > 0) {
    throw new GlyphError('conflict', `Cannot restore while ${running.length} job(s) run (${running[0]!.title}); cancel or wait for them`);
  }
  let safetyCopy: string;
  try {
    safetyCopy = (await createBackup(ctx.db, dir, 'before-restore')).name;
  } catch (e) {
    if (!(e instanceof GlyphError && e.type === 'bad_input')) throw e;
    safetyCopy = rawCopyAside(ctx.dbPath, dir);
  }
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    await src.backup(ctx.dbPath, { progress: () => 0x7fffffff });
  } finally {
    src.close();
  }
  // A second connection migrates an older backup to the current schema; the live one sees it at once.
  openDatabase(ctx.dbPath).close();
  return { restored: name, safetyCopy, reloadRequired: true };
}

/**
 * Recovery mode (the database is damaged and not open): the damaged files are moved into the backups
 * folder unchanged (main, -wal, -shm), then the backup is copied in their place via a temp file.
 */
export function restoreIntoClosedDatabase(dbPath: string, dir: string, name: string): RestoreResult {
  const file = usableBackup(dir, name);
  fs.mkdirSync(dir, { recursive: true });
  const aside = newBackupName(dir, 'before-restore');
  for (const suffix of ['', '-wal', '-shm']) {
    const from = dbPath + suffix;
    if (!fs.existsSync(from)) continue;
    const to = path.join(dir, aside + suffix);
    try {
      fs.renameSync(from, to);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code !== 'EXDEV') throw e;
      fs.copyFileSync(from, to);
      if (fs.statSync(to).size !== fs.statSync(from).size) throw new GlyphError('internal', `Copying ${from} aside failed`);
      fs.rmSync(from);
    }
  }
  const tmp = dbPath + TMP_SUFFIX;
  fs.copyFileSync(file, tmp);
  fsyncPath(tmp);
  fs.renameSync(tmp, dbPath);
  fsyncPath(path.dirname(dbPath));
  return { restored: name, safetyCopy: fs.existsSync(path.join(dir, aside)) ? aside : null, reloadRequired: true };
}
