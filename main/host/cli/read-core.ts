import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { type Core, createCore } from '../../core';
import { defaultDataDir } from '../../core/paths';
import { openCore } from './context';

/**
 * The core for a command that only reads (`glyphlab ocr`): the database when it exists (its active model
 * counts), else an empty in-memory one in a temporary folder removed on close, so a plain read with
 * --model or the bundled model creates nothing under ~/.config (or at --db).
 */
export function openCoreToRead(opts: { db?: string }): Core {
  const dbPath = opts.db ? path.resolve(opts.db) : path.join(defaultDataDir(), 'glyphlab.db');
  if (fs.existsSync(dbPath)) return openCore(opts);
  const dataDir = fs.mkdtempSync(path.join(os.tmpdir(), 'glyphlab-read-'));
  try {
    const core = createCore({ dataDir, dbPath: ':memory:' });
    return {
      ...core,
      async close() {
        await core.close();
        fs.rmSync(dataDir, { recursive: true, force: true });
      },
    };
  } catch (e) {
    fs.rmSync(dataDir, { recursive: true, force: true });
    throw e;
  }
}
