import fs from 'node:fs';
import type { BackupInfo } from '../../common/contract/backup';
import { GlyphError } from '../../common/errors';
import type { CoreContext } from '../context';
import { LATEST_VERSION } from '../db/migrations';
import { checkDatabaseFile } from './check';
import { createBackup, createBackupOfFile } from './create';
import { backupDir, headerSchemaVersion, listBackups, removePartialBackups, rotateBackups } from './files';

export const DAY_MS = 24 * 60 * 60 * 1000;

/** Details of the GlyphError createCore throws for a damaged database (`details.damaged === true`). */
export interface DamagedDetails {
  damaged: true;
  dbPath: string;
  problem: string;
  backupDir: string;
  backups: BackupInfo[];
}

export function damagedError(dbPath: string, dataDir: string, problem: string): GlyphError {
  const dir = backupDir(dataDir);
  const details: DamagedDetails = { damaged: true, dbPath, problem, backupDir: dir, backups: listBackups(dir) };
  return new GlyphError(
    'bad_input',
    `${dbPath}: the database is damaged (${problem}). It was left unchanged; restore a backup or salvage what is readable.`,
    details,
  );
}

export function isDamagedError(e: unknown): e is GlyphError & { details: DamagedDetails } {
  return e instanceof GlyphError && (e.details as Partial<DamagedDetails> | undefined)?.damaged === true;
}

/**
 * Runs before the database is opened for writing: removes half-written backups and rotated ones past
 * the limit (both left by a kill during a backup), checks an existing
 * file read-only (a damaged one throws `damagedError` before anything touches it) and backs it up
 * when a migration is about to run. Returns whether the database existed.
 */
export function prepareDatabaseFile(dbPath: string, dataDir: string): boolean {
  const dir = backupDir(dataDir);
  removePartialBackups(dir);
  // A kill between a new backup's rename and the rotation after it leaves one backup too many.
  rotateBackups(dir);
  if (!fs.existsSync(dbPath) || fs.statSync(dbPath).size === 0) return false;
  const check = checkDatabaseFile(dbPath, { quick: true });
  if (!check.ok) throw damagedError(dbPath, dataDir, check.problem);
  const version = headerSchemaVersion(dbPath);
  if (version > 0 && version < LATEST_VERSION) createBackupOfFile(dbPath, dir, 'migration');
  return true;
}

/** At core start: a backup job when the newest backup is older than a day (or there is none). */
export function scheduleDailyBackup(ctx: CoreContext, now = Date.now()): string | null {
  const dir = backupDir(ctx.dataDir);
  const last = listBackups(dir).find((b) => b.kind !== 'salvage' && b.kind !== 'before-restore');
  if (last && now - last.createdAt < DAY_MS) return null;
  const job = ctx.jobs.start('backup', 'Daily backup', async ({ signal }) => createBackup(ctx.db, dir, 'daily', { signal }));
  return job.id;
}
