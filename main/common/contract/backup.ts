import { z } from 'zod';
import { request } from './define';

// Backups of the database and recovery from a damaged one (issue: reliability and security).

export const BACKUP_KINDS = ['daily', 'manual', 'migration', 'before-restore', 'salvage'] as const;
export type BackupKind = (typeof BACKUP_KINDS)[number];

export interface BackupInfo {
  /** File name inside `<dataDir>/backups/` (what `backup.restore` takes). */
  name: string;
  kind: BackupKind;
  /** Epoch ms the backup was taken. */
  createdAt: number;
  bytes: number;
  /** Schema version (user_version) of the copy. */
  schemaVersion: number;
}

export interface DatabaseHealth {
  /** 'damaged': the core runs in recovery mode; only app.info and backup.* answer. */
  state: 'ok' | 'damaged';
  dbPath: string;
  /** What the check found (SQLite's words), when damaged. */
  problem: string | null;
  backupDir: string;
  /** What the start-up check of the models folder found (absent in recovery mode). */
  models?: ModelFolderReport;
}

/** The models folder against the models table, checked when the core starts (after a crash). */
export interface ModelFolderReport {
  /** Temp folders of a model save or import that no live process owned (removed: never registered). */
  removed: string[];
  /** Model folders no model row points to (kept; `models.import` adds one back). */
  unregistered: string[];
  /** Model rows whose folder or model.json is missing. */
  missing: { id: number; name: string; dir: string }[];
  /** Set when the check itself failed (the core still opens). */
  problem?: string;
}

export interface RestoreResult {
  restored: string;
  /** The backup of the database as it was just before (name in the backups folder). */
  safetyCopy: string | null;
  /** Always true: views and caches must reload (the window reloads; the CLI exits). */
  reloadRequired: boolean;
}

export interface SalvageResult extends BackupInfo {
  /** Rows copied, per table. */
  rows: Record<string, number>;
  /** Unreadable stretches skipped while reading (0: everything was readable). */
  skipped: number;
  /** Rows dropped because what they pointed to was lost (e.g. an image without its sample). */
  dropped: number;
}

/** A backup file name: letters, digits, dot, dash, underscore; no path. */
const backupName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][A-Za-z0-9._-]*$/, 'a backup file name, not a path');

export const backupRequests = {
  'backup.status': request<DatabaseHealth>()(
    z.strictObject({}),
    'Whether the database opened cleanly, or is damaged and the core runs in recovery mode.',
  ),
  'backup.list': request<BackupInfo[]>()(z.strictObject({}), 'Backups of the database, newest first.'),
  'backup.create': request<BackupInfo>()(
    z.strictObject({}),
    'Take a backup now (online, verified with integrity_check, kept among the last ones).',
  ),
  'backup.restore': request<RestoreResult>()(
    z.strictObject({ name: backupName }),
    'Replace the database with a backup; the current one is kept as a backup first. Nothing is deleted.',
  ),
  'backup.salvage': request<SalvageResult>()(
    z.strictObject({}),
    'Recovery mode: copy every readable row of the damaged database into a new backup file (restore it after).',
  ),
};
