import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { backupDir, KEEP_BACKUPS, newBackupName, removePartialBackups } from '../../../main/core/backup/files';
import { prepareDatabaseFile } from '../../../main/core/backup/startup';

describe('half-written backups', () => {
  it('are removed at start with every SQLite sidecar a kill can leave; whole backups and other files stay', () => {
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-partials-'));
    const partial = 'glyphlab-manual-20261125T003023698Z.db.partial';
    const keep = ['glyphlab-manual-20261124T003023698Z.db', 'notes.partial', 'glyphlab-daily-20261124T000000000Z.db-wal'];
    for (const f of [partial, `${partial}-journal`, `${partial}-wal`, `${partial}-shm`, ...keep]) fs.writeFileSync(path.join(dir, f), 'x');
    removePartialBackups(dir);
    expect(fs.readdirSync(dir).sort()).toEqual([...keep].sort());
  });
});

describe('backups past the limit', () => {
  it('are rotated away at start (a kill after a backup is renamed, before the rotation, leaves one too many)', () => {
    const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-rotate-'));
    const dir = backupDir(dataDir);
    fs.mkdirSync(dir, { recursive: true });
    const day = 24 * 3600 * 1000;
    const names = Array.from({ length: KEEP_BACKUPS + 2 }, (_, i) => newBackupName(dir, i % 2 ? 'daily' : 'manual', Date.UTC(2026, 10, 1) + i * day));
    for (const n of names) fs.writeFileSync(path.join(dir, n), 'x');
    // Kinds outside the rotation stay whatever their number.
    const restorePoint = newBackupName(dir, 'before-restore', Date.UTC(2026, 9, 1));
    fs.writeFileSync(path.join(dir, restorePoint), 'x');
    // No database yet: the start-up still tidies the backups folder.
    expect(prepareDatabaseFile(path.join(dataDir, 'glyphlab.db'), dataDir)).toBe(false);
    expect(fs.readdirSync(dir).sort()).toEqual([...names.slice(2), restorePoint].sort());
  });
});
