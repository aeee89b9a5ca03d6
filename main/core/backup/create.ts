import fs from 'node:fs';
import path from 'node:path';
import Database from 'better-sqlite3';
import type { BackupInfo, BackupKind } from '../../common/contract/backup';
import { GlyphError } from '../../common/errors';
import type { DB } from '../db/open';
import { checkDatabaseFile } from './check';
import { backupInfo, fsyncPath, KEEP_BACKUPS, newBackupName, PARTIAL_FILE_SUFFIXES, rotateBackups, TMP_SUFFIX } from './files';

export interface BackupOptions {
  signal?: AbortSignal;
  /** Rotated backups kept (default 10). */
  keep?: number;
  now?: number;
}

/**
 * Turns a freshly written temp copy into a backup: a single self-contained file (rollback journal,
 * no -wal), checked with integrity_check, flushed to disk, then renamed to its final name. A crash at
 * any point leaves either no backup or a temp file removed at the next start, never a half backup
 * under a backup's name. A copy that fails the check is deleted and reported (the source is damaged).
 */
function finishBackup(tmp: string, dir: string, name: string, keep: number): BackupInfo {
  try {
    const db = new Database(tmp, { fileMustExist: true });
    try {
      db.pragma('journal_mode = DELETE');
    } finally {
      db.close();
    }
    const check = checkDatabaseFile(tmp);
    if (!check.ok) {
      throw new GlyphError('bad_input', `The database is damaged; backup refused (${check.problem})`, { problem: check.problem });
    }
    fsyncPath(tmp);
    fs.renameSync(tmp, path.join(dir, name));
    fsyncPath(dir);
  } catch (e) {
    for (const suffix of PARTIAL_FILE_SUFFIXES) fs.rmSync(tmp + suffix, { force: true });
    throw e;
  }
  rotateBackups(dir, keep);
  const info = backupInfo(dir, name);
  if (!info) throw new GlyphError('internal', `Backup ${name} vanished after writing`);
  return info;
}

/** Online backup of an open database (SQLite's backup API, in steps, so the event loop keeps running). */
export async function createBackup(db: DB, dir: string, kind: BackupKind, opts: BackupOptions = {}): Promise<BackupInfo> {
  fs.mkdirSync(dir, { recursive: true });
  const name = newBackupName(dir, kind, opts.now);
  const tmp = path.join(dir, name + TMP_SUFFIX);
  try {
    await db.backup(tmp, {
      progress: () => {
        if (opts.signal?.aborted) throw new GlyphError('cancelled', 'Backup cancelled');
        return 512;
      },
    });
  } catch (e) {
    for (const suffix of PARTIAL_FILE_SUFFIXES) fs.rmSync(tmp + suffix, { force: true });
    throw e;
  }
  return finishBackup(tmp, dir, name, opts.keep ?? KEEP_BACKUPS);
}

/**
 * Synchronous backup of a database file that is not open (before a migration): `VACUUM INTO` from a
 * read-only connection, which writes nothing to the source.
 */
export function createBackupOfFile(file: string, dir: string, kind: BackupKind, opts: BackupOptions = {}): BackupInfo {
  fs.mkdirSync(dir, { recursive: true });
  const name = newBackupName(dir, kind, opts.now);
  const tmp = path.join(dir, name + TMP_SUFFIX);
  const src = new Database(file, { readonly: true, fileMustExist: true });
  try {
    src.prepare('VACUUM INTO ?').run(tmp);
  } catch (e) {
    fs.rmSync(tmp, { force: true });
    throw new GlyphError('bad_input', `${file}: backup failed (${(e as Error).message})`);
  } finally {
    src.close();
  }
  return finishBackup(tmp, dir, name, opts.keep ?? KEEP_BACKUPS);
}
