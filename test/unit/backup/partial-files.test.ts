import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { removePartialBackups } from '../../../main/core/backup/files';

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
