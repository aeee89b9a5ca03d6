import fs from 'node:fs';
import path from 'node:path';
import { BACKUP_KINDS, type BackupInfo, type BackupKind } from '../../common/contract/backup';
import { GlyphError } from '../../common/errors';

/** Rolling backups kept per data folder (daily, manual and pre-migration ones together). */
export const KEEP_BACKUPS = 10;
/** Kinds removed by rotation; 'before-restore' and 'salvage' copies are never deleted automatically. */
const ROTATED: readonly BackupKind[] = ['daily', 'manual', 'migration'];
/** Suffix of a backup being written: never listed, removed at the next start. */
export const TMP_SUFFIX = '.partial';
/** A database file and the sidecars SQLite may keep next to it. */
export const PARTIAL_FILE_SUFFIXES = ['', '-journal', '-wal', '-shm'] as const;

const NAME_RE = new RegExp(`^glyphlab-(${BACKUP_KINDS.join('|')})-(\\d{8}T\\d{9}Z)(?:-(\\d+))?\\.db$`);

export function backupDir(dataDir: string): string {
  return path.join(dataDir, 'backups');
}

function stamp(ms: number): string {
  return new Date(ms).toISOString().replace(/[-:.]/g, '');
}

function parseStamp(s: string): number {
  const iso = `${s.slice(0, 4)}-${s.slice(4, 6)}-${s.slice(6, 8)}T${s.slice(9, 11)}:${s.slice(11, 13)}:${s.slice(13, 15)}.${s.slice(15, 18)}Z`;
  return Date.parse(iso);
}

/** A new, unused file name for a backup of this kind taken now. */
export function newBackupName(dir: string, kind: BackupKind, now = Date.now()): string {
  const base = `glyphlab-${kind}-${stamp(now)}`;
  for (let n = 1; ; n++) {
    const name = n === 1 ? `${base}.db` : `${base}-${n}.db`;
    if (!fs.existsSync(path.join(dir, name)) && !fs.existsSync(path.join(dir, name + TMP_SUFFIX))) return name;
  }
}

/** Reads user_version from the 100-byte SQLite header (offset 60) without opening the database. */
export function headerSchemaVersion(file: string): number {
  const fd = fs.openSync(file, 'r');
  try {
    const buf = Buffer.alloc(100);
    const n = fs.readSync(fd, buf, 0, 100, 0);
    if (n < 100 || buf.toString('latin1', 0, 15) !== 'SQLite format 3') return 0;
    return buf.readInt32BE(60);
  } finally {
    fs.closeSync(fd);
  }
}

export function backupInfo(dir: string, name: string): BackupInfo | null {
  const m = NAME_RE.exec(name);
  if (!m) return null;
  const file = path.join(dir, name);
  let bytes: number;
  try {
    bytes = fs.statSync(file).size;
  } catch {
    return null;
  }
  return { name, kind: m[1] as BackupKind, createdAt: parseStamp(m[2]!), bytes, schemaVersion: headerSchemaVersion(file) };
}

/** Backups in the folder, newest first (files being written are not listed). */
export function listBackups(dir: string): BackupInfo[] {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .map((n) => backupInfo(dir, n))
    .filter((b): b is BackupInfo => b !== null)
    .sort((a, b) => b.createdAt - a.createdAt || b.name.localeCompare(a.name));
}

/** The path of an existing backup, or not_found; `name` never leaves the backups folder. */
export function resolveBackup(dir: string, name: string): { file: string; info: BackupInfo } {
  const info = path.basename(name) === name ? backupInfo(dir, name) : null;
  if (!info) throw new GlyphError('not_found', `No backup '${name}' in ${dir}`, { backups: listBackups(dir).map((b) => b.name) });
  return { file: path.join(dir, name), info };
}

/** Keeps the newest `keep` rotated backups; returns the names removed. */
export function rotateBackups(dir: string, keep = KEEP_BACKUPS): string[] {
  const rotated = listBackups(dir).filter((b) => ROTATED.includes(b.kind));
  const removed: string[] = [];
  for (const b of rotated.slice(keep)) {
    fs.rmSync(path.join(dir, b.name), { force: true });
    removed.push(b.name);
  }
  return removed;
}

/** Removes backups left half-written by a crash (only our own temp files). */
export function removePartialBackups(dir: string): void {
  let names: string[];
  try {
    names = fs.readdirSync(dir);
  } catch {
    return;
  }
  for (const n of names) {
    // The half-written file and SQLite's sidecars of it (a killed backup can leave -journal, -wal or -shm).
    if (n.startsWith('glyphlab-') && PARTIAL_FILE_SUFFIXES.some((s) => n.endsWith(TMP_SUFFIX + s))) {
      fs.rmSync(path.join(dir, n), { force: true });
    }
  }
}

export function fsyncPath(p: string): void {
  let fd: number | null = null;
  try {
    fd = fs.openSync(p, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Directories cannot be fsynced on some platforms (Windows): best effort.
  } finally {
    if (fd !== null) fs.closeSync(fd);
  }
}
